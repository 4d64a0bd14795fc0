//! End-to-end tests of `run_case` and `Suite` against a fake `orus`: a shell script that
//! reads simple commands out of the case file, so each test states the program's behaviour
//! in the case itself. The real compiler is never needed. Unix only, for the script.
#![cfg(unix)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::*;
use crate::test_support::TempDir;

/// Finds the first `*.orus` argument and obeys the lines of that file: `out X` prints X,
/// `err X` prints X to stderr, `code N` exits with N, and `hang`, `argv`, `envvar`,
/// `stdin` sleep, echo the arguments, echo some variables and copy stdin.
const FAKE_ORUS: &str = r#"
for a; do case "$a" in *.orus) f="$a"; break;; esac; done
if grep -q '^hang' "$f"; then sleep 5; fi
if grep -q '^argv' "$f"; then echo "argv: $*"; fi
if grep -q '^envvar' "$f"; then echo "env: $GREETING $NO_COLOR $TERM"; fi
if grep -q '^stdin' "$f"; then cat; fi
sed -n 's/^out //p' "$f"
sed -n 's/^err //p' "$f" >&2
code=$(sed -n 's/^code \([0-9][0-9]*\).*/\1/p' "$f")
exit "${code:-0}"
"#;

struct Fixture {
    tmp: TempDir,
    binary: PathBuf,
}

impl Fixture {
    fn new(label: &str) -> Fixture {
        let tmp = TempDir::new(label);
        let binary = tmp.script("bin/orus", FAKE_ORUS);
        tmp.write("cases/.keep", "");
        Fixture { tmp, binary }
    }

    /// Writes a file below `cases/`.
    fn case_file(&self, relative: &str, contents: &str) {
        self.tmp.write(&format!("cases/{relative}"), contents);
    }

    fn read(&self, relative: &str) -> Option<String> {
        self.tmp.read(&format!("cases/{relative}"))
    }

    fn case(&self, name: &str) -> Case {
        let cases = discover(&self.tmp.path().join("cases")).unwrap();
        cases
            .into_iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    }

    fn run(&self, name: &str) -> Outcome {
        self.run_with(name, options(name))
    }

    fn run_with(&self, name: &str, options: RunOptions) -> Outcome {
        run_case(&self.case(name), &self.binary, &options)
    }
}

fn options(name: &str) -> RunOptions {
    RunOptions {
        bless: false,
        extra_flags: Vec::new(),
        default_timeout: DEFAULT_TIMEOUT,
        package: "pkg".into(),
        test_name: name.into(),
    }
}

fn blessing(name: &str) -> RunOptions {
    RunOptions {
        bless: true,
        ..options(name)
    }
}

const TYPED: &str = "out hello\n\
                     err -- TYPE MISMATCH [E2001]: Type mismatch found ------ typed.orus:3:13\n\
                     code 65 //~ E2001\n";

#[test]
fn matching_output_errors_and_exit_code_pass() {
    let f = Fixture::new("pass");
    f.case_file("area/typed.orus", TYPED);
    f.case_file("area/typed.stdout", "hello\n");
    assert_eq!(f.run("area::typed"), Ok(()));
}

#[test]
fn stdout_mismatch_shows_a_diff_and_the_bless_command() {
    let f = Fixture::new("diff");
    f.case_file("area/typed.orus", TYPED);
    f.case_file("area/typed.stdout", "goodbye\n");
    let failure = f.run("area::typed").unwrap_err();
    for needle in [
        "stdout differs from typed.stdout:",
        "--- expected typed.stdout\n+++ actual stdout\n",
        "-goodbye\n+hello",
        "reproduce: cd ",
        "typed.orus",
        "bless the output files: ORUS_BLESS=1 cargo test -p pkg -- area::typed",
    ] {
        assert!(failure.contains(needle), "{needle:?} not in:\n{failure}");
    }
    assert!(!failure.contains("actual stderr"), "{failure}");
}

#[test]
fn a_missing_stdout_file_expects_empty_output() {
    let f = Fixture::new("empty");
    f.case_file("quiet.orus", "");
    assert_eq!(f.run("quiet"), Ok(()));
    f.case_file("loud.orus", "out hi\n");
    let failure = f.run("loud").unwrap_err();
    assert!(failure.contains("+hi"), "{failure}");
}

#[test]
fn error_mismatch_lists_the_difference_and_the_stderr() {
    let f = Fixture::new("errors");
    f.case_file(
        "typed.orus",
        "nothing //~ E2001\n\
         out hello\n\
         err -- TYPE MISMATCH [E2001]: Type mismatch found ------ typed.orus:3:13\n\
         code 65\n",
    );
    f.case_file("typed.stdout", "hello\n");
    let failure = f.run("typed").unwrap_err();
    for needle in [
        "missing error    E2001 at typed.orus:1\nunexpected error E2001 at typed.orus:3\n",
        "actual stderr:\n-- TYPE MISMATCH [E2001]",
        "never blessed",
    ] {
        assert!(failure.contains(needle), "{needle:?} not in:\n{failure}");
    }
    assert!(!failure.contains("expected exit code"), "{failure}");
    assert!(!failure.contains("bless the output files"), "{failure}");
}

#[test]
fn exit_code_mismatch_is_reported() {
    let f = Fixture::new("exit");
    f.case_file("x.orus", "code 65\nerr boom\n");
    let failure = f.run("x").unwrap_err();
    assert!(
        failure.starts_with("expected exit code 0, got exit code 65\n"),
        "{failure}"
    );
    assert!(failure.contains("actual stderr:\nboom"), "{failure}");
    f.case_file("y.orus", "//@ exit: 3\ncode 3\n");
    assert_eq!(f.run("y"), Ok(()));
}

#[test]
fn bless_writes_and_deletes_stdout_and_only_rewrites_existing_stderr() {
    let f = Fixture::new("bless");
    f.case_file("new.orus", "out hello\nerr noise\n");
    f.case_file("gone.orus", "");
    f.case_file("gone.stdout", "old\n");
    f.case_file("none.orus", "");
    f.case_file("pinned.orus", "err fresh\n");
    f.case_file("pinned.stderr", "stale\n");
    for name in ["new", "gone", "none", "pinned"] {
        assert_eq!(f.run_with(name, blessing(name)), Ok(()), "{name}");
    }
    assert_eq!(f.read("new.stdout").as_deref(), Some("hello\n"));
    assert_eq!(f.read("new.stderr"), None);
    assert_eq!(f.read("gone.stdout"), None);
    assert_eq!(f.read("none.stdout"), None);
    assert_eq!(f.read("pinned.stderr").as_deref(), Some("fresh\n"));
    for name in ["new", "gone", "none", "pinned"] {
        assert_eq!(f.run(name), Ok(()), "{name} after blessing");
    }
}

#[test]
fn bless_never_fixes_annotations_or_exit_codes() {
    let f = Fixture::new("bless-errors");
    f.case_file("x.orus", "out new\ncode 70 //~ E2001\n");
    let failure = f.run_with("x", blessing("x")).unwrap_err();
    assert!(
        failure.contains("expected exit code 65, got exit code 70"),
        "{failure}"
    );
    assert!(
        failure.contains("missing error    E2001 at x.orus:2"),
        "{failure}"
    );
    assert!(!failure.contains("stdout differs"), "{failure}");
    assert_eq!(f.read("x.stdout").as_deref(), Some("new\n"));
}

#[test]
fn a_hang_is_killed_at_its_time_limit() {
    let f = Fixture::new("hang");
    f.case_file("slow.orus", "//@ timeout: 1\nhang\nout never checked\n");
    let start = Instant::now();
    let failure = f.run_with("slow", blessing("slow")).unwrap_err();
    let elapsed = start.elapsed();
    assert!(failure.starts_with("timed out after 1s"), "{failure}");
    // The shell is killed at 1s; its `sleep` keeps the pipes open until the grace period
    // ends, well before the sleep would.
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
    assert_eq!(
        f.read("slow.stdout"),
        None,
        "a killed run must not be blessed"
    );
}

#[test]
fn flags_args_env_and_stdin_reach_the_program() {
    let f = Fixture::new("inputs");
    f.case_file(
        "x.orus",
        "//@ flags: -O0\n//@ args: one two\n//@ env: GREETING=hi\nargv\nenvvar\nstdin\n",
    );
    f.case_file("x.stdin", "typed input\n");
    f.case_file(
        "x.stdout",
        "argv: -X -O0 x.orus one two\nenv: hi 1 dumb\ntyped input\n",
    );
    let options = RunOptions {
        extra_flags: vec!["-X".into()],
        ..options("x")
    };
    assert_eq!(f.run_with("x", options), Ok(()));
}

#[test]
fn malformed_expectations_fail_only_their_case() {
    let f = Fixture::new("malformed");
    f.case_file("x.orus", "//@ exit: many\nx //~ E99\n");
    let failure = f.run("x").unwrap_err();
    assert!(
        failure.starts_with("malformed expectations in the case:\n"),
        "{failure}"
    );
    assert!(failure.contains("x.orus:1: exit code must be"), "{failure}");
    assert!(
        failure.contains("x.orus:2: `E99` is not an error code"),
        "{failure}"
    );
}

#[test]
fn a_missing_binary_is_a_failure() {
    let f = Fixture::new("nobinary");
    f.case_file("x.orus", "");
    let failure = run_case(&f.case("x"), Path::new("/no/such/orus"), &options("x")).unwrap_err();
    assert!(
        failure.starts_with("could not start /no/such/orus"),
        "{failure}"
    );
}

#[test]
fn multi_file_cases_check_annotations_in_modules() {
    let f = Fixture::new("modules");
    f.case_file(
        "modules/use/main.orus",
        "err -- MODULE ERROR [E3001]: Bad import ------ ./lib/util.orus:2:1\ncode 65\n",
    );
    f.case_file("modules/use/lib/util.orus", "fn a()\nfn b() //~ E3001\n");
    assert_eq!(f.run("modules::use"), Ok(()));
    f.case_file("modules/use/lib/util.orus", "fn a() //~ E3001\nfn b()\n");
    let failure = f.run("modules::use").unwrap_err();
    assert!(
        failure.contains("missing error    E3001 at lib/util.orus:1"),
        "{failure}"
    );
}

#[test]
fn suite_makes_a_trial_per_case_and_variant_and_checks_orphans() {
    let f = Fixture::new("suite");
    f.case_file("a/ok.orus", "out yes\n");
    f.case_file("a/ok.stdout", "yes\n");
    f.case_file("a/bad.orus", "out no\n");
    f.case_file("a/renamed.stdout", "left behind\n");
    let suite = Suite::new(f.tmp.path().join("cases"))
        .package("pkg")
        .bless(false)
        .binary(&f.binary)
        .also_with_flags(["-O0"]);
    let jobs = suite.jobs().unwrap();
    let names: Vec<&str> = jobs.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "a::bad",
            "a::ok",
            "a::bad [-O0]",
            "a::ok [-O0]",
            "orphaned_expectation_files"
        ]
    );
    let outcomes: Vec<bool> = jobs.into_iter().map(|(_, job)| job().is_ok()).collect();
    assert_eq!(outcomes, [false, true, false, true, false]);
    assert_eq!(suite.trials().unwrap().len(), 5);
}
