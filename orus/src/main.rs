//! The `orus` binary: the command line (`cli`) and the interactive session (`repl`) on top
//! of the `orus` library. Everything else lives in the library.

mod arena;
mod cli;
mod repl;

#[global_allocator]
static ALLOCATOR: arena::Allocator = arena::Allocator;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}
