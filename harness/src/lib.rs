//! Golden-file runner for Orus programs: each case is a program with its expected output
//! beside it and its expected errors annotated inside it (see `conformance/CASES.md`).
//!
//! A test crate needs one line: `harness::main_for(&cases_folder)` discovers the cases,
//! makes one libtest trial per case and runs them in parallel, with the usual `cargo test`
//! filters. The pieces are separate so that each knows as little as possible: `case` reads
//! the tree and the annotations (no processes), `run` starts a process under a time limit
//! (no expectations), `check` compares and blesses (no processes), and `binary` finds or
//! builds `orus`. Nothing here depends on the `orus` crate: the compiler is only ever a
//! process, so the harness builds even while the compiler does not. Unit tests sit in
//! each module; end-to-end tests with fake binaries are in `tests.rs`.

mod binary;
mod case;
mod check;
mod run;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

pub use libtest_mimic::Arguments;
use libtest_mimic::{Failed, Trial};

pub use binary::{orus_binary, workspace_root};
pub use case::{derived_exit_code, discover, read_expectations, Case, ErrorAt, Expectations};
pub use check::reported_errors;
pub use run::{Finished, Termination};

/// The result of one case: `Ok`, or the failure text shown by the test runner.
pub type Outcome = Result<(), String>;

/// How long a case may run when it does not say (`//@ timeout:`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs the cases under `root` as a libtest-compatible test binary and returns its exit
/// code. The bless hint names the package from `CARGO_PKG_NAME`, which cargo sets when it
/// runs a test binary.
pub fn main_for(root: &Path) -> ExitCode {
    Suite::new(root).run(&Arguments::from_args())
}

/// A folder of cases and how to run them.
#[derive(Clone, Debug)]
pub struct Suite {
    root: PathBuf,
    package: String,
    binary: Option<PathBuf>,
    variants: Vec<Vec<String>>,
    default_timeout: Duration,
    bless: bool,
}

/// How `run_case` runs and checks one case.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Rewrite `.stdout` (and existing `.stderr`) files from the actual output.
    pub bless: bool,
    /// Flags passed before the case's own `//@ flags:`, e.g. `-O0` for a variant run.
    pub extra_flags: Vec<String>,
    /// The time limit for cases without `//@ timeout:`.
    pub default_timeout: Duration,
    /// The cargo package whose tests run the case, for the bless command.
    pub package: String,
    /// The test name the bless command selects.
    pub test_name: String,
}

impl Suite {
    /// A suite of the cases under `root`, run once each with the binary from
    /// `orus_binary()`, blessing when `ORUS_BLESS` is set.
    pub fn new(root: impl Into<PathBuf>) -> Suite {
        let root = root.into();
        let package = std::env::var("CARGO_PKG_NAME").unwrap_or_else(|_| package_guess(&root));
        Suite {
            root,
            package,
            binary: None,
            variants: Vec::new(),
            default_timeout: DEFAULT_TIMEOUT,
            bless: bless_requested(),
        }
    }

    /// Overrides whether output files are blessed (by default: whether `ORUS_BLESS` is set).
    pub fn bless(mut self, bless: bool) -> Suite {
        self.bless = bless;
        self
    }

    /// Names the cargo package in bless commands (`cargo test -p <name>`).
    pub fn package(mut self, name: impl Into<String>) -> Suite {
        self.package = name.into();
        self
    }

    /// Runs this binary instead of locating or building one.
    pub fn binary(mut self, path: impl Into<PathBuf>) -> Suite {
        self.binary = Some(path.into());
        self
    }

    /// Runs every case a second time with these flags before its own, as a separate trial
    /// named `<case> [<flags>]`. Variant runs check but never bless: the plain run owns the
    /// output files, so two runs never race to write them.
    pub fn also_with_flags<S: Into<String>>(mut self, flags: impl IntoIterator<Item = S>) -> Suite {
        self.variants
            .push(flags.into_iter().map(Into::into).collect());
        self
    }

    /// Changes the time limit for cases without `//@ timeout:`.
    pub fn default_timeout(mut self, limit: Duration) -> Suite {
        self.default_timeout = limit;
        self
    }

    /// Discovers the cases and runs the trials `args` selects.
    pub fn run(&self, args: &Arguments) -> ExitCode {
        match self.trials() {
            Ok(trials) => libtest_mimic::run(args, trials).exit_code(),
            Err(message) => {
                eprintln!("harness: {message}");
                ExitCode::FAILURE
            }
        }
    }

    /// One trial per case and variant, plus one that fails when expectation files belong
    /// to no case.
    pub fn trials(&self) -> Result<Vec<Trial>, String> {
        let jobs = self.jobs()?;
        Ok(jobs
            .into_iter()
            .map(|(name, job)| Trial::test(name, move || job().map_err(Failed::from)))
            .collect())
    }

    /// The trials as plain named closures, so tests can run them without libtest's output.
    fn jobs(&self) -> Result<Vec<(String, Job)>, String> {
        let tree = case::walk(&self.root)?;
        let flag_sets = std::iter::once(Vec::new()).chain(self.variants.iter().cloned());
        let mut jobs: Vec<(String, Job)> = Vec::new();
        for flags in flag_sets {
            for case in &tree.cases {
                let options = RunOptions {
                    bless: self.bless && flags.is_empty(),
                    test_name: case.name.clone(),
                    extra_flags: flags.clone(),
                    default_timeout: self.default_timeout,
                    package: self.package.clone(),
                };
                let name = trial_name(&case.name, &flags);
                let case = case.clone();
                let binary = self.binary.clone();
                jobs.push((
                    name,
                    Box::new(move || {
                        let binary = match binary {
                            Some(path) => path,
                            None => orus_binary()?,
                        };
                        run_case(&case, &binary, &options)
                    }),
                ));
            }
        }
        let orphans = tree.orphans;
        let root = self.root.clone();
        let orphan_check: Job = Box::new(move || {
            if orphans.is_empty() {
                return Ok(());
            }
            let list: Vec<String> = orphans
                .iter()
                .map(|p| format!("  {}", p.strip_prefix(&root).unwrap_or(p).display()))
                .collect();
            Err(format!(
                "these files sit beside no case of the same name, so nothing checks them \
                 (rename or delete them):\n{}",
                list.join("\n")
            ))
        });
        jobs.push(("orphaned_expectation_files".to_string(), orphan_check));
        Ok(jobs)
    }
}

/// A trial's body: runs and checks one thing.
type Job = Box<dyn FnOnce() -> Outcome + Send>;

/// Runs one case with `binary` and checks it. With `options.bless`, output files are
/// rewritten from the actual output instead of compared (exit code and errors still are).
pub fn run_case(case: &Case, binary: &Path, options: &RunOptions) -> Outcome {
    let expected = read_expectations(case)
        .map_err(|problems| format!("malformed expectations in the case:\n{problems}"))?;
    let stdin_path = case.sibling("stdin");
    let stdin = match fs::read(&stdin_path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read {}: {e}", stdin_path.display())),
    };

    let args: Vec<OsString> = (options.extra_flags.iter())
        .chain(&expected.flags)
        .cloned()
        .chain(std::iter::once(case.file_name()))
        .chain(expected.args.iter().cloned())
        .map(OsString::from)
        .collect();
    // Plain, uncoloured output keeps the expectation files readable and stable; the case's
    // own variables come last so that it can override these.
    let mut env = vec![
        ("NO_COLOR".to_string(), "1".to_string()),
        ("TERM".to_string(), "dumb".to_string()),
    ];
    env.extend(expected.env.iter().cloned());
    let invocation = run::Invocation {
        program: binary.to_path_buf(),
        args,
        cwd: case.dir.clone(),
        stdin: stdin.clone().unwrap_or_default(),
        env,
        timeout: expected.timeout.unwrap_or(options.default_timeout),
    };

    let reproduce = reproduce_command(case, &invocation, &expected, stdin.is_some());
    let finished = run::execute(&invocation).map_err(|e| {
        format!(
            "could not start {}: {e}\nreproduce: {reproduce}",
            binary.display()
        )
    })?;
    let bless_command = format!(
        "ORUS_BLESS=1 cargo test -p {} -- {}",
        options.package, options.test_name
    );
    let context = check::CheckContext {
        bless: options.bless,
        bless_command: &bless_command,
        reproduce: &reproduce,
    };
    check::check(case, &expected, &finished, &context)
}

/// The trial name of a case run with extra flags.
fn trial_name(case: &str, flags: &[String]) -> String {
    if flags.is_empty() {
        case.to_string()
    } else {
        format!("{case} [{}]", flags.join(" "))
    }
}

/// Whether `ORUS_BLESS` asks for blessing: set, non-empty and not `0`.
fn bless_requested() -> bool {
    std::env::var("ORUS_BLESS").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// The package name when cargo did not give one: cases live in `<package>/cases`.
fn package_guess(root: &Path) -> String {
    root.parent().and_then(Path::file_name).map_or_else(
        || "conformance".to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A shell line that reruns the case by hand, with its folder, variables and input.
fn reproduce_command(
    case: &Case,
    invocation: &run::Invocation,
    expected: &Expectations,
    has_stdin: bool,
) -> String {
    let mut line = format!("cd {} && ", run::command_line(&case.dir, &[]));
    for (key, value) in &expected.env {
        line.push_str(&run::command_line(
            Path::new(&format!("{key}={value}")),
            &[],
        ));
        line.push(' ');
    }
    line.push_str(&run::command_line(&invocation.program, &invocation.args));
    if has_stdin {
        line.push_str(&format!(" < {}.stdin", case.stem));
    }
    line
}
