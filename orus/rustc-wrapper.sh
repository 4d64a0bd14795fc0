#!/bin/sh
# Cargo runs every rustc through this script (.cargo/config.toml, `build.rustc-wrapper`).
# It changes one thing: the `orus` executable is linked statically (crt-static) and at a
# fixed address (not position-independent) on x86_64 Linux with glibc, when the static C
# library is installed. A static binary skips the dynamic loader, which was half of the
# instructions of a hello-world run (symbol lookup and relocation of libc.so and
# libgcc_s.so); a fixed address skips relocating the binary itself, 40 % of what was left. The flag cannot go in `rustflags`: without
# `--target` those apply to proc-macro crates too, which glibc's crt-static forbids.
# Every other compilation, and every other platform, passes through unchanged.
rustc="$1"
shift
case " $* " in
*" --crate-name orus "*)
    case " $* " in
    *" --crate-type bin "*)
        if [ "$(uname -sm)" = "Linux x86_64" ] && [ -e /usr/lib/x86_64-linux-gnu/libc.a ] &&
            [ -z "$ORUS_DYNAMIC" ]; then
            case " $* " in
            *" --target "*) case " $* " in *" --target x86_64-unknown-linux-gnu "*) ;; *) exec "$rustc" "$@" ;; esac ;;
            esac
            exec "$rustc" "$@" -C target-feature=+crt-static -C relocation-model=static
        fi
        ;;
    esac
    ;;
esac
exec "$rustc" "$@"
