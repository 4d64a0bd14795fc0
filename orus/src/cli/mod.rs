//! The `orus` command line (spec §18): `orus FILE`, `orus check FILE`,
//! `orus -e CODE`, `orus --explain E2001`, and without a file the REPL (stdin a terminal)
//! or the program read from stdin.
//!
//! `args` defines the options (clap) and maps misuse to exit 64; `run` compiles, runs and
//! reports; `explain` prints entries of `docs/errors.md`. The REPL lives in `crate::repl`.
//! Exit codes (spec §17.4, decision D4): 0 success, 64 usage error, 65 compile error,
//! 66 unreadable source file, 70 runtime error. Tests: unit tests in each module, and
//! `orus/tests/cli.rs`, `orus/tests/repl.rs` drive the built binary.

pub mod args;
pub mod explain;
pub mod run;

use args::{Cli, Command, ErrorFormatArg, Options};
use clap::Parser;
use orus::diag::{ErrorFormat, RenderOptions};
use orus::vm::{FastPaths, VmConfig};
use run::{Dumps, Settings, EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE};
use std::io::{IsTerminal, Read, Write};

/// What `orus --version` prints.
pub const VERSION: &str = concat!(
    "Orus Language Interpreter v0.6.0 (orus-rs ",
    env!("CARGO_PKG_VERSION"),
    ")"
);

/// Writes to stdout, ignoring a closed or full stdout (`orus --help | head -1`): a reader
/// that went away is not an error of ours, and `print!` would panic. Flushed at once: a
/// program run after a `-d` listing writes to the descriptor directly.
/// Writes `text` to stderr. A failed write (stderr closed or a full disk) is ignored:
/// `eprintln!` panics on it, and a message that cannot be shown must not turn into a crash.
pub fn err(text: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(text);
}

/// `eprintln!` through [`err`]: never panics.
macro_rules! say_err {
    ($($arg:tt)*) => {
        $crate::cli::err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say_err;

pub fn out(text: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_fmt(text);
    let _ = stdout.flush();
}

/// Parses the command line, does what it asks, and returns the exit code.
pub fn main() -> u8 {
    let argv = args::strip_prefixed_compat_flags(std::env::args_os().collect());
    let parsed = match Cli::plain_file(&argv) {
        Some(cli) => Ok(cli),
        None => Cli::try_parse_from(argv),
    };
    let mut cli = match parsed {
        Ok(cli) => cli,
        Err(error) => {
            let early = args::early_exit(error);
            if early.to_stdout {
                out(format_args!("{}", early.text));
            } else {
                err(format_args!("{}", early.text));
            }
            return early.exit;
        }
    };
    if cli.version {
        out(format_args!("{VERSION}\n"));
        return EXIT_OK;
    }
    if let Some(code) = &cli.explain {
        return match explain::explain(code) {
            Some(text) => {
                let _ = std::io::stdout().write_all(text.as_bytes());
                EXIT_OK
            }
            None => {
                say_err!("Error: `{code}` is not an Orus error code (they look like E2001).");
                say_err!("docs/errors.md lists every code.");
                EXIT_USAGE
            }
        };
    }
    if let Err(code) = apply_env(&mut cli.options) {
        return code;
    }
    if cli.options.compat.benchmark && cli.command.is_none() {
        out(format_args!("Benchmark mode enabled\n"));
    }
    let settings = settings(&cli.options);
    match (cli.command, cli.eval, cli.file) {
        (Some(Command::Check { file }), _, _) => match read_source(&file) {
            Ok(source) => run::check_program(display_name(&file), source, &settings),
            Err(code) => code,
        },
        (None, Some(code), _) => run::run_program("<eval>", code.into_bytes(), &settings),
        (None, None, Some(file)) => match read_source(&file) {
            Ok(source) => run::run_program(display_name(&file), source, &settings),
            Err(code) => code,
        },
        (None, None, None) if std::io::stdin().is_terminal() => {
            crate::repl::run(settings, !cli.options.quiet)
        }
        (None, None, None) => match read_source("-") {
            Ok(source) => run::run_program(display_name("-"), source, &settings),
            Err(code) => code,
        },
    }
}

/// The settings the options ask for.
fn settings(options: &Options) -> Settings {
    let format = match options.error_format {
        ErrorFormatArg::Long => ErrorFormat::Long,
        ErrorFormatArg::Short => ErrorFormat::Short,
    };
    let default = VmConfig::default();
    let memory = memory_limits();
    // A second parser thread's stack and arena count against an address-space limit.
    orus::parser::allow_second_thread(memory.address_space.is_none());
    Settings {
        render: RenderOptions {
            format,
            color: run::use_colour(options.no_colors),
        },
        vm: VmConfig {
            max_frames: options
                .max_recursion
                .map_or(default.max_frames, |n| n as usize),
            trace_loops: trace_loops(options),
            fastpaths: FastPaths::from_env(),
            heap_limit: memory_budget(memory),
            ..default
        },
        dumps: Dumps {
            tokens: options.show_tokens,
            ast: options.show_ast,
            typed_ast: options.show_typed_ast,
            bytecode: options.show_bytecode,
        },
        optimize: options.opt_level.as_deref() != Some("0"),
        opt_stats: options.show_opt_stats,
    }
}

/// The machine's memory and the process's address-space limit (`ulimit -v`), in bytes,
/// where known; no address-space limit when it is unlimited.
#[derive(Clone, Copy, Default)]
struct MemoryLimits {
    physical: Option<u64>,
    address_space: Option<u64>,
}

/// The most bytes a program's values may hold (E0014 beyond): half of the smaller of the
/// machine's memory and the address-space limit. Without it a program that grows an array
/// forever would end in an allocation failure, which aborts the process, or in the
/// kernel's out-of-memory killer. Half, because an array that doubles needs its old and
/// new storage at once.
fn memory_budget(limits: MemoryLimits) -> Option<usize> {
    let smallest = [limits.physical, limits.address_space]
        .into_iter()
        .flatten()
        .min()?;
    usize::try_from(smallest / 2).ok()
}

#[cfg(target_os = "linux")]
fn memory_limits() -> MemoryLimits {
    #[repr(C)]
    struct Rlimit {
        cur: u64,
        max: u64,
    }
    // `sysconf` and `syscall` are symbols the binary imports anyway; a new one (such as
    // `getrlimit`) would cost every start-up its lookup in the dynamic linker.
    extern "C" {
        fn sysconf(name: i32) -> i64;
        fn syscall(number: i64, ...) -> i64;
    }
    const SC_PAGESIZE: i32 = 30;
    const SC_PHYS_PAGES: i32 = 85;
    const RLIMIT_AS: i64 = 9;
    #[cfg(target_arch = "x86_64")]
    const SYS_PRLIMIT64: Option<i64> = Some(302);
    #[cfg(target_arch = "aarch64")]
    const SYS_PRLIMIT64: Option<i64> = Some(261);
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    const SYS_PRLIMIT64: Option<i64> = None;
    // SAFETY: sysconf reads a system constant; prlimit64 of this process (pid 0) with no
    // new limit only writes the struct it is given.
    let (page, pages, address_space) = unsafe {
        let mut limit = Rlimit { cur: 0, max: 0 };
        let address_space = SYS_PRLIMIT64
            .filter(|&n| {
                syscall(
                    n,
                    0i64,
                    RLIMIT_AS,
                    std::ptr::null::<Rlimit>(),
                    &mut limit as *mut Rlimit,
                ) == 0
            })
            .map(|_| limit.cur);
        (sysconf(SC_PAGESIZE), sysconf(SC_PHYS_PAGES), address_space)
    };
    const UNLIMITED: u64 = u64::MAX;
    MemoryLimits {
        physical: (page > 0 && pages > 0).then(|| (page as u64).saturating_mul(pages as u64)),
        address_space: address_space.filter(|&limit| limit != UNLIMITED),
    }
}

#[cfg(not(target_os = "linux"))]
fn memory_limits() -> MemoryLimits {
    MemoryLimits::default()
}

/// The environment variables of spec §18 that stand for flags: `ORUS_DEBUG`, `ORUS_QUIET`,
/// `ORUS_VERBOSE`, `ORUS_TRACE` (`1` or `true`) and `ORUS_MAX_RECURSION=N` (checked like
/// `--max-recursion`; a bad value is a usage error). A flag on the command line wins.
fn apply_env(options: &mut Options) -> Result<(), u8> {
    let on = |name: &str| {
        std::env::var(name).is_ok_and(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("true"))
    };
    options.show_bytecode |= on("ORUS_DEBUG");
    options.compat.trace |= on("ORUS_TRACE");
    if !options.quiet && !options.compat.verbose {
        options.quiet = on("ORUS_QUIET");
        options.compat.verbose = on("ORUS_VERBOSE");
        if options.quiet && options.compat.verbose {
            // As `--verbose --quiet` (spec §17.4).
            say_err!("Error: ORUS_VERBOSE and ORUS_QUIET can't both be set");
            say_err!("Run `orus --help` for usage.");
            return Err(EXIT_USAGE);
        }
    }
    // Sizes are checked as the matching flags check theirs, unless a flag gave one.
    for (name, given) in [
        ("ORUS_STACK_SIZE", options.compat.stack_size.is_some()),
        ("ORUS_HEAP_SIZE", options.compat.heap_size.is_some()),
    ] {
        // An empty value counts as unset.
        if let (false, Ok(value)) = (given, std::env::var(name)) {
            if value.trim().is_empty() {
                continue;
            }
            if let Err(problem) = args::parse_size(&value) {
                say_err!("Error: {name}: {problem}");
                say_err!("Run `orus --help` for usage.");
                return Err(EXIT_USAGE);
            }
        }
    }
    if options.max_recursion.is_none() {
        if let Ok(value) = std::env::var("ORUS_MAX_RECURSION") {
            match value.trim().parse::<u32>() {
                Ok(n) if (10..=100_000).contains(&n) => options.max_recursion = Some(n),
                _ => {
                    say_err!(
                        "Error: ORUS_MAX_RECURSION must be a number from 10 to 100000, not `{value}`"
                    );
                    say_err!("Run `orus --help` for usage.");
                    return Err(EXIT_USAGE);
                }
            }
        }
    }
    Ok(())
}

/// Whether to print the loop telemetry line (spec §18): the flags win over
/// `ORUS_TRACE_TYPED_FALLBACKS` (`1` or, in any case, `true`).
fn trace_loops(options: &Options) -> bool {
    if options.trace_typed_fallbacks || options.no_trace_typed_fallbacks {
        return options.trace_typed_fallbacks;
    }
    std::env::var("ORUS_TRACE_TYPED_FALLBACKS")
        .is_ok_and(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("true"))
}

/// The largest program read: far more than can be compiled in memory (a compiled line
/// takes about a kilobyte), and a bound for endless inputs like `/dev/zero`, which grew
/// memory at 1.6 GB/s until the kernel killed the process.
const MAX_SOURCE_BYTES: u64 = 256 << 20;

/// Reads a source file, or standard input for `-` (the usual convention); a failure
/// prints `Could not open file "<path>".` and gives 66, as does a program over
/// [`MAX_SOURCE_BYTES`].
fn read_source(path: &str) -> Result<Vec<u8>, u8> {
    let mut source = Vec::new();
    let read = if path == "-" {
        std::io::stdin()
            .take(MAX_SOURCE_BYTES + 1)
            .read_to_end(&mut source)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // Sized once from the file's length: growing by doubling copied a large file
            // several times.
            let len = f
                .metadata()
                .map_or(0, |m| m.len().min(MAX_SOURCE_BYTES + 1));
            // A large file is the compiler's first allocation: made in its region, it lands
            // on huge pages instead of taking a 4 KiB page fault per page read (`arena`).
            let _bump = (len as usize >= crate::arena::LARGE_SOURCE)
                .then(crate::arena::Compiling::start_large);
            source.reserve_exact(len as usize + 1);
            f.take(MAX_SOURCE_BYTES + 1).read_to_end(&mut source)
        })
    };
    let shown = if path == "-" { "standard input" } else { path };
    match read {
        Ok(n) if n as u64 > MAX_SOURCE_BYTES => {
            say_err!(
                "The program in {shown} is larger than {} MiB, the most Orus reads.",
                MAX_SOURCE_BYTES >> 20
            );
            Err(EXIT_NO_INPUT)
        }
        Ok(_) => Ok(source),
        Err(_) if path == "-" => {
            say_err!("Could not read the program from standard input.");
            Err(EXIT_NO_INPUT)
        }
        Err(_) => {
            say_err!("Could not open file \"{path}\".");
            Err(EXIT_NO_INPUT)
        }
    }
}

/// The name diagnostics give the program read from `path`.
fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}
