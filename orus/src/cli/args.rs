//! The command line as data: the clap definition of every option of spec §18, and the
//! translation of clap's outcomes (help, version, errors) into our exit codes.
//!
//! Nothing here compiles or runs anything; `cli::main` acts on the parsed [`Cli`].

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::ffi::OsString;

/// What `orus --help` prints after the option list.
const AFTER_HELP: &str = "\
Without FILE, `orus` starts an interactive session (REPL) when standard input is a
terminal, and otherwise reads the whole of standard input as one program; `-` as FILE
reads standard input too.

Only one FILE: a further argument is a usage error (exit 64).

Accepted for compatibility with the reference implementation, with no effect:
--verbose, --disable-inc-typed-fastpath, --enable-inc-typed-fastpath, --no-inline, --no-dce,
--strict, -t/--trace, --no-context, --registers=N, --stack-size=S, --heap-size=S (sizes
of at least 1024 bytes), --parser-depth=N, --config=F, --output=F, --log=F, and
--gc-*, --profile*, --memory-*, --debug-*. `--verbose` and `--quiet` exclude each other.
`--benchmark` prints `Benchmark mode enabled` first.

Environment: ORUS_DEBUG, ORUS_QUIET, ORUS_VERBOSE, ORUS_TRACE (1 or true) act as -d, -q,
--verbose and -t; ORUS_MAX_RECURSION=N as --max-recursion=N. Flags win.

Exit codes: 0 success, 64 usage error, 65 compile error, 66 unreadable file,
70 runtime error. `orus --explain E2001` explains an error code.";

/// The parsed command line.
#[derive(Parser, Debug)]
#[command(
    name = "orus",
    about = "Compile and run Orus programs",
    after_help = AFTER_HELP,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The program to run
    #[arg(value_name = "FILE")]
    pub file: Option<String>,

    /// Run CODE as a program named `<eval>`
    #[arg(
        short = 'e',
        long = "eval",
        value_name = "CODE",
        conflicts_with = "file"
    )]
    pub eval: Option<String>,

    /// Print what an error code means, with an example, and exit
    #[arg(long, value_name = "CODE", conflicts_with_all = ["file", "eval"])]
    pub explain: Option<String>,

    /// Print the version and exit
    #[arg(short = 'v', long = "version")]
    pub version: bool,

    #[command(flatten)]
    pub options: Options,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Parse and type-check FILE without running it; prints nothing when it is correct
    Check {
        #[arg(value_name = "FILE")]
        file: String,
    },
}

/// How diagnostics are laid out.
#[derive(ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorFormatArg {
    /// The multi-line report of spec §17.2
    #[default]
    #[value(alias = "human", alias = "default")]
    Long,
    /// One line per error: `file:line:col: error[E2001]: message`
    Short,
}

/// Options that apply to every way of running a program (global: accepted before or
/// after `check`).
#[derive(Args, Clone, Debug, Default)]
pub struct Options {
    /// Print the token stream and exit
    #[arg(long, global = true, help_heading = "Debug output")]
    pub show_tokens: bool,

    /// Print the syntax tree and exit
    #[arg(long, global = true, help_heading = "Debug output")]
    pub show_ast: bool,

    /// Print the typed tree and exit
    #[arg(long, global = true, help_heading = "Debug output")]
    pub show_typed_ast: bool,

    /// Print the bytecode before running
    #[arg(
        short = 'd',
        long = "show-bytecode",
        visible_alias = "debug",
        global = true,
        help_heading = "Debug output"
    )]
    pub show_bytecode: bool,

    /// Allow at most N nested calls (10..=100000, default 10000)
    #[arg(
        long,
        value_name = "N",
        global = true,
        value_parser = clap::value_parser!(u32).range(10..=100_000)
    )]
    pub max_recursion: Option<u32>,

    /// How to print errors
    #[arg(
        long,
        value_name = "FORMAT",
        value_enum,
        global = true,
        default_value_t
    )]
    pub error_format: ErrorFormatArg,

    /// Never colour diagnostics (colour is only used when stderr is a terminal and
    /// NO_COLOR is unset)
    #[arg(long, global = true)]
    pub no_colors: bool,

    /// Suppress the REPL banner
    #[arg(short = 'q', long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Optimisation level: 0 turns the optimiser off; 1 and 2 (the default) turn it on
    #[arg(short = 'O', value_name = "LEVEL", global = true, value_parser = ["0", "1", "2"], overrides_with = "opt_level")]
    pub opt_level: Option<String>,

    /// Print the optimiser's counters to stderr before running
    #[arg(
        long,
        visible_alias = "opt-stats",
        global = true,
        help_heading = "Debug output"
    )]
    pub show_opt_stats: bool,

    /// Print the `[loop-trace]` telemetry line to stderr at the end (also enabled by
    /// ORUS_TRACE_TYPED_FALLBACKS=1)
    #[arg(long, global = true, overrides_with = "no_trace_typed_fallbacks")]
    pub trace_typed_fallbacks: bool,

    /// No telemetry line, whatever ORUS_TRACE_TYPED_FALLBACKS says
    #[arg(long, global = true, overrides_with = "trace_typed_fallbacks")]
    pub no_trace_typed_fallbacks: bool,

    #[command(flatten)]
    pub compat: CompatOptions,
}

/// Options of the reference implementation that we accept without any effect (spec §18);
/// hidden from the option list and named in `AFTER_HELP` instead.
/// The families `--gc-*`, `--profile*`, `--memory-*` and `--debug-*` are removed from the
/// command line before clap sees it (see [`strip_prefixed_compat_flags`]).
#[derive(Args, Clone, Debug, Default)]
pub struct CompatOptions {
    #[arg(long, global = true, hide = true)]
    pub verbose: bool,
    #[arg(long, global = true, hide = true)]
    pub disable_inc_typed_fastpath: bool,
    #[arg(long, global = true, hide = true)]
    pub enable_inc_typed_fastpath: bool,
    #[arg(long, global = true, hide = true)]
    pub benchmark: bool,
    #[arg(long, global = true, hide = true)]
    pub no_inline: bool,
    #[arg(long, global = true, hide = true)]
    pub no_dce: bool,
    #[arg(long, global = true, hide = true)]
    pub strict: bool,
    #[arg(short = 't', long, global = true, hide = true)]
    pub trace: bool,
    #[arg(long, global = true, hide = true)]
    pub no_context: bool,
    /// Accepted for compatibility (no effect); must be a number.
    #[arg(long, value_name = "N", global = true, hide = true)]
    pub registers: Option<u32>,
    #[arg(long, value_name = "SIZE", global = true, hide = true, value_parser = parse_size)]
    pub stack_size: Option<u64>,
    #[arg(long, value_name = "SIZE", global = true, hide = true, value_parser = parse_size)]
    pub heap_size: Option<u64>,
    /// Accepted for compatibility (no effect); must be a number.
    #[arg(long, value_name = "N", global = true, hide = true)]
    pub parser_depth: Option<u32>,
    #[arg(long, value_name = "FILE", global = true, hide = true)]
    pub config: Option<String>,
    #[arg(long, value_name = "FILE", global = true, hide = true)]
    pub output: Option<String>,
    #[arg(long, value_name = "FILE", global = true, hide = true)]
    pub log: Option<String>,
}

impl Cli {
    /// The command line `orus FILE` (one argument, not an option or subcommand), parsed
    /// without clap: what clap would return for it, as a test checks. Building clap's
    /// command (every option of spec §18) costs about a third of the start-up of a
    /// hello-world program, and running a file is what start-up is for.
    pub fn plain_file(argv: &[OsString]) -> Option<Cli> {
        let [_, arg] = argv else { return None };
        let file = arg.to_str()?;
        if file.is_empty() || file.starts_with('-') || file == "check" {
            return None;
        }
        Some(Cli {
            command: None,
            file: Some(file.to_string()),
            eval: None,
            explain: None,
            version: false,
            options: Options::default(),
        })
    }
}

/// The families of reference options accepted with any suffix and no effect.
const COMPAT_PREFIXES: &[&str] = &["--gc-", "--profile", "--memory-", "--debug-"];

/// Removes the reference's option families that clap cannot declare by prefix. Only
/// options before a `--` are touched.
pub fn strip_prefixed_compat_flags(args: Vec<OsString>) -> Vec<OsString> {
    let mut after_separator = false;
    args.into_iter()
        .filter(|arg| {
            if after_separator {
                return true;
            }
            let Some(text) = arg.to_str() else {
                return true;
            };
            if text == "--" {
                after_separator = true;
                return true;
            }
            !COMPAT_PREFIXES.iter().any(|p| text.starts_with(p))
        })
        .collect()
}

/// Parses a byte size such as `4096`, `64K`, `8M` or `1G`; below 1024 bytes is an error
/// (spec §17.4: exit 64).
pub(super) fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let upper = upper.strip_suffix('B').unwrap_or(&upper);
    let (digits, scale) = match upper.as_bytes().last() {
        Some(b'K') => (&upper[..upper.len() - 1], 1u64 << 10),
        Some(b'M') => (&upper[..upper.len() - 1], 1 << 20),
        Some(b'G') => (&upper[..upper.len() - 1], 1 << 30),
        _ => (upper, 1),
    };
    let bytes = digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is not a size such as 4096, 64K or 8M"))?;
    if bytes < 1024 {
        return Err(format!("the size must be at least 1024 bytes, not {bytes}"));
    }
    Ok(bytes)
}

/// What to do when clap did not produce a [`Cli`]: the text to print, where, and the exit
/// code.
pub struct Early {
    pub text: String,
    pub to_stdout: bool,
    pub exit: u8,
}

/// Turns a clap error into our conventions: `--help` on stdout with exit 0, an unknown
/// option as `Unknown option: -x` and every other misuse as `Error: …`, both exit 64.
pub fn early_exit(error: clap::Error) -> Early {
    const HINT: &str = "Run `orus --help` for usage.";
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Early {
            text: error.render().to_string(),
            to_stdout: true,
            exit: 0,
        },
        ErrorKind::UnknownArgument => {
            let arg = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::String(arg)) => arg.clone(),
                _ => String::from("?"),
            };
            let (text, hint) = if arg.starts_with('-') {
                (format!("Unknown option: {arg}"), HINT)
            } else {
                (format!("Too many arguments: {arg}"), HINT)
            };
            Early {
                text: format!("{text}\n{hint}\n"),
                to_stdout: false,
                exit: 64,
            }
        }
        _ => {
            // clap's message is its first paragraph (a line, sometimes followed by the
            // names of missing arguments); its usage and tip paragraphs are replaced by ours.
            let rendered = error.render().to_string();
            let message: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            Early {
                text: format!("Error: {message}\n{HINT}\n"),
                to_stdout: false,
                exit: 64,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        let args = std::iter::once("orus").chain(args.iter().copied());
        Cli::try_parse_from(strip_prefixed_compat_flags(
            args.map(OsString::from).collect(),
        ))
    }

    #[test]
    fn plain_file_is_what_clap_parses() {
        for file in [
            "prog.orus",
            "dir/a b.orus",
            "x",
            "help",
            "checks.orus",
            "é.orus",
        ] {
            let argv = vec![OsString::from("orus"), OsString::from(file)];
            let fast = Cli::plain_file(&argv).expect("a plain file argument");
            let slow = parse(&[file]).expect("clap accepts it");
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "for `{file}`");
        }
        for not_plain in [
            &["check"][..],
            &["-e"],
            &["--version"],
            &["-"],
            &[""],
            &["a", "b"],
            &[],
        ] {
            let argv: Vec<OsString> = std::iter::once("orus")
                .chain(not_plain.iter().copied())
                .map(OsString::from)
                .collect();
            assert!(Cli::plain_file(&argv).is_none(), "{not_plain:?}");
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn file_and_flags_on_either_side() {
        let cli = parse(&["-d", "prog.orus", "--max-recursion=50"]).unwrap();
        assert_eq!(cli.file.as_deref(), Some("prog.orus"));
        assert!(cli.options.show_bytecode);
        assert_eq!(cli.options.max_recursion, Some(50));
    }

    #[test]
    fn a_second_file_argument_is_a_usage_error() {
        let early = early_exit(parse(&["prog.orus", "extra"]).unwrap_err());
        assert_eq!(early.exit, 64);
        assert!(
            early.text.starts_with("Too many arguments: extra\n"),
            "{}",
            early.text
        );
    }

    #[test]
    fn check_accepts_global_flags_on_either_side() {
        let cli = parse(&["--error-format=short", "check", "x.orus", "--no-colors"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Check { ref file }) if file == "x.orus"));
        assert_eq!(cli.options.error_format, ErrorFormatArg::Short);
        assert!(cli.options.no_colors);
    }

    #[test]
    fn reference_options_are_accepted() {
        let cli = parse(&[
            "-O0",
            "--gc-threshold=5",
            "--profile",
            "--debug-parser",
            "--stack-size=64K",
            "--registers=256",
            "--no-context",
            "-t",
            "f.orus",
        ])
        .unwrap();
        assert_eq!(cli.options.opt_level.as_deref(), Some("0"));
        assert_eq!(cli.options.compat.stack_size, Some(65536));
    }

    #[test]
    fn misuse_exits_64() {
        for args in [
            &["-x"][..],
            &["--max-recursion=5", "f.orus"],
            &["--stack-size=10", "f.orus"],
            &["--registers=abc", "f.orus"],
            &["--parser-depth=-1", "f.orus"],
            &["--verbose", "--quiet"],
            &["-e", "print(1)", "f.orus"],
            &["--error-format=json"],
        ] {
            let early = early_exit(parse(args).unwrap_err());
            assert_eq!(early.exit, 64, "{args:?}");
        }
        let early = early_exit(parse(&["-x"]).unwrap_err());
        assert!(
            early.text.starts_with("Unknown option: -x\n"),
            "{}",
            early.text
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("2m"), Ok(2 << 20));
        assert_eq!(parse_size("1KB"), Ok(1024));
        assert!(parse_size("100").is_err());
        assert!(parse_size("lots").is_err());
    }
}
