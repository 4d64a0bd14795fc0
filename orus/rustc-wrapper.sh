#!/bin/sh
# Cargo runs every rustc through this script (.cargo/config.toml, `build.rustc-wrapper`).
# Only the `orus` executable on x86_64 Linux is changed; every other compilation, and every
# other platform, passes through untouched.
#  - `-C relocation-model=static`: the binary is not position-independent. Under the
#    release profile's LTO the whole program, the VM's dispatch loop included, is compiled
#    that way: jump tables and constants are addressed directly (10-20 % fewer
#    instructions on the benchmark workloads), and nothing is relocated at start-up.
#  - `-C target-feature=+crt-static`, when glibc's static library is installed: no dynamic
#    loader (its symbol lookups and relocations of libc.so and libgcc_s.so were half of a
#    hello world's instructions).
# The flags cannot go in `rustflags`: without `--target` those reach proc-macro crates too,
# which crt-static cannot build. `ORUS_DYNAMIC=1` keeps the default build; `ORUS_LIBC_A`
# names the static C library to look for (to try the build without it).
rustc="$1"
shift
orus_bin=no
case " $* " in
*" --crate-name orus "*)
    case " $* " in
    *" --crate-type bin "*) orus_bin=yes ;;
    esac
    ;;
esac
if [ "$orus_bin" = no ] || [ -n "$ORUS_DYNAMIC" ] || [ "$(uname -sm)" != "Linux x86_64" ]; then
    exec "$rustc" "$@"
fi
case " $* " in
*" --target "*)
    case " $* " in
    *" --target x86_64-unknown-linux-gnu "*) ;;
    *) exec "$rustc" "$@" ;;
    esac
    ;;
esac
if [ -e "${ORUS_LIBC_A:-/usr/lib/x86_64-linux-gnu/libc.a}" ]; then
    exec "$rustc" "$@" -C relocation-model=static -C target-feature=+crt-static
fi
exec "$rustc" "$@" -C relocation-model=static
