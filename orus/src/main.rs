//! The `orus` command: `orus [options] FILE` compiles and runs an Orus program.
//!
//! Exit codes (spec §17.4, decision D4): 0 success, 64 usage error, 65 compile error,
//! 66 unreadable source file, 70 runtime error.

use orus::bytecode;
use orus::diag::{self, Diagnostic, ErrorFormat, RenderOptions, SourceMap};
use orus::vm::{self, VmConfig};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

const EXIT_USAGE: u8 = 64;
const EXIT_COMPILE: u8 = 65;
const EXIT_NO_INPUT: u8 = 66;
const EXIT_RUNTIME: u8 = 70;

/// Stack size of the compiler thread: the parser bounds nesting, but a generous stack keeps
/// debug builds and long operator chains well away from the host limit.
const COMPILER_STACK: usize = 256 * 1024 * 1024;

const USAGE: &str = "\
Usage: orus [options] FILE

Options:
  -h, --help               print this help and exit
  -v, --version            print the version and exit
  -d, --debug, --show-bytecode
                           print the bytecode before running
  --show-tokens            print the token stream and exit
  --show-ast               print the syntax tree and exit
  --show-typed-ast         print the typed tree and exit
  --max-recursion=N        allow at most N nested calls (10..=100000, default 10000)
  --error-format=FORMAT    `long` (default) or `short` (one line per error)
  --no-colors              never colour diagnostics
Other options of the reference implementation are accepted and have no effect.
";

/// Options of the reference implementation that we accept without any effect (spec §18).
const IGNORED_FLAGS: &[&str] = &[
    "--trace-typed-fallbacks",
    "--no-trace-typed-fallbacks",
    "--disable-inc-typed-fastpath",
    "--enable-inc-typed-fastpath",
    "--benchmark",
    "--show-opt-stats",
    "--verbose",
    "-q",
    "--quiet",
    "-O0",
    "-O1",
    "-O2",
    "--no-inline",
    "--no-dce",
    "--strict",
    "-t",
    "--trace",
    "--no-context",
];

#[derive(Clone, Default)]
struct Cli {
    file: Option<String>,
    show_tokens: bool,
    show_ast: bool,
    show_typed_ast: bool,
    show_bytecode: bool,
    max_recursion: Option<usize>,
    format: ErrorFormat,
    no_colors: bool,
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("{message}");
    eprintln!("Run `orus --help` for usage.");
    ExitCode::from(EXIT_USAGE)
}

fn parse_args(args: &[String]) -> Result<Cli, ExitCode> {
    let mut cli = Cli::default();
    for arg in args {
        let (flag, value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg.as_str(), None),
        };
        match flag {
            "-h" | "--help" => {
                print!("{USAGE}");
                return Err(ExitCode::SUCCESS);
            }
            "-v" | "--version" => {
                println!(
                    "Orus Language Interpreter v0.6.0 (orus-rs {})",
                    env!("CARGO_PKG_VERSION")
                );
                return Err(ExitCode::SUCCESS);
            }
            "-d" | "--debug" | "--show-bytecode" => cli.show_bytecode = true,
            "--show-tokens" => cli.show_tokens = true,
            "--show-ast" => cli.show_ast = true,
            "--show-typed-ast" => cli.show_typed_ast = true,
            "--no-colors" => cli.no_colors = true,
            "--max-recursion" => match value.and_then(|v| v.parse::<usize>().ok()) {
                Some(n) if (10..=100_000).contains(&n) => cli.max_recursion = Some(n),
                _ => {
                    return Err(usage_error(
                        "Error: --max-recursion must be a number from 10 to 100000",
                    ))
                }
            },
            "--error-format" => match value {
                Some("short") => cli.format = ErrorFormat::Short,
                Some("long") | Some("human") | Some("default") => cli.format = ErrorFormat::Long,
                _ => {
                    return Err(usage_error(
                        "Error: --error-format must be `long` or `short`",
                    ))
                }
            },
            _ if IGNORED_FLAGS.contains(&flag) => {}
            _ if flag.starts_with("--registers")
                || flag.starts_with("--stack-size")
                || flag.starts_with("--heap-size")
                || flag.starts_with("--gc-")
                || flag.starts_with("--profile")
                || flag.starts_with("--memory-")
                || flag.starts_with("--parser-depth")
                || flag.starts_with("--debug-")
                || flag.starts_with("--config")
                || flag.starts_with("--output")
                || flag.starts_with("--log") => {}
            _ if flag.starts_with('-') && flag.len() > 1 => {
                return Err(usage_error(&format!("Unknown option: {arg}")))
            }
            _ => {
                if cli.file.is_some() {
                    return Err(usage_error("Too many arguments."));
                }
                cli.file = Some(arg.clone());
            }
        }
    }
    Ok(cli)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match parse_args(&args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let Some(path) = cli.file.clone() else {
        return usage_error("Error: no input file (the REPL is not available yet).");
    };
    let source = match std::fs::read(&path) {
        Ok(s) => s,
        Err(_) => {
            eprintln!("Could not open file \"{path}\".");
            return ExitCode::from(EXIT_NO_INPUT);
        }
    };
    // Compile on a thread with a large stack; run on this one (the VM does not recurse).
    let compiled = std::thread::Builder::new()
        .stack_size(COMPILER_STACK)
        .spawn({
            let path = path.clone();
            let source = source.clone();
            let cli = cli.clone();
            move || compile_stage(&path, &source, &cli)
        })
        .expect("spawning the compiler thread")
        .join();
    let render = RenderOptions {
        format: cli.format,
        color: !cli.no_colors
            && std::env::var_os("NO_COLOR").is_none()
            && std::io::stderr().is_terminal(),
    };
    let map = SourceMap::new(&path, &source);
    let program = match compiled {
        Ok(Ok(Some(program))) => program,
        Ok(Ok(None)) => return ExitCode::SUCCESS,
        Ok(Err(diags)) => {
            report(&diags, &map, render);
            eprintln!("Compilation failed for \"{path}\".");
            return ExitCode::from(EXIT_COMPILE);
        }
        Err(_) => {
            eprintln!("-- INTERNAL ERROR [E9001]: the compiler crashed; please report this bug");
            return ExitCode::from(EXIT_COMPILE);
        }
    };
    let config = VmConfig {
        max_frames: cli.max_recursion.unwrap_or(VmConfig::default().max_frames),
        ..VmConfig::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = vm::run(&program, &config, &mut out);
    let _ = out.flush();
    drop(out);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let span = error
                .trace
                .first()
                .and_then(|&(func, pc)| program.functions.get(func as usize)?.spans.get(pc))
                .copied()
                .unwrap_or_default();
            let diag = Diagnostic::new(error.code, span, error.message);
            report(&[diag], &map, render);
            ExitCode::from(EXIT_RUNTIME)
        }
    }
}

/// Runs the front end and code generator, printing any requested dumps. `Ok(None)` means
/// a dump-only flag asked us to stop after printing.
fn compile_stage(
    path: &str,
    source: &[u8],
    cli: &Cli,
) -> Result<Option<bytecode::Program>, Vec<Diagnostic>> {
    if cli.show_tokens {
        let (tokens, _) = orus::lexer::tokenize(source);
        let map = SourceMap::new(path, source);
        for t in &tokens {
            let (line, col) = map.line_col(t.span.start);
            println!("{line}:{col} {}", t.kind.describe());
        }
        return Ok(None);
    }
    if cli.show_ast {
        let (ast, diags) = orus::parser::parse(source);
        if !diags.is_empty() {
            return Err(diags);
        }
        println!("{ast:#?}");
        return Ok(None);
    }
    let compiled = orus::driver::compile(path, source)?;
    if cli.show_typed_ast {
        println!("{:#?}", compiled.typed);
        return Ok(None);
    }
    if cli.show_bytecode {
        print!("{}", bytecode::disassemble(&compiled.program));
    }
    Ok(Some(compiled.program))
}

fn report(diags: &[Diagnostic], map: &SourceMap<'_>, options: RenderOptions) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = err.write_all(diag::render(d, map, options).as_bytes());
    }
}
