//! The `orus` binary: the command line (`cli`) and the interactive session (`repl`) on top
//! of the `orus` library. Everything else lives in the library.
//!
//! On Linux the binary provides the C `main` itself (`#![no_main]`) instead of going
//! through Rust's runtime start-up, whose one costly step, finding the main thread's stack
//! guard by parsing `/proc/self/maps`, was a quarter of a hello-world's instructions. Here
//! `SIGPIPE` keeps its default action, as in C programs and Lua: `orus prog | head` ends
//! when `head` does (with writes failing quietly instead, a printing loop ran forever), and
//! stdout is flushed at the end. Deep recursion never happens on the main thread: the
//! compiler runs on its own big-stack thread and the VM is a loop.
//! Command-line arguments still reach `std::env::args` (glibc passes them to initialisers).

// Unit tests of the binary keep the test harness's own `main`.
#![cfg_attr(all(target_os = "linux", not(test)), no_main)]

mod arena;
mod cli;
mod repl;

#[global_allocator]
static ALLOCATOR: arena::Allocator = arena::Allocator;

#[cfg(all(target_os = "linux", not(test)))]
#[no_mangle]
extern "C" fn main(_argc: i32, _argv: *const *const u8) -> i32 {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: setting a signal's disposition before any thread starts.
    unsafe { signal(SIGPIPE, SIG_DFL) };
    let code = cli::main();
    let _ = std::io::Write::flush(&mut std::io::stdout());
    i32::from(code)
}

#[cfg(any(not(target_os = "linux"), test))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}
