//! The `orus` binary: the command line (`cli`) and the interactive session (`repl`) on top
//! of the `orus` library. Everything else lives in the library.

mod cli;
mod repl;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::main())
}
