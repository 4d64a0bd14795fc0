//! The `orus` command line as a script or a user calls it: subcommands, flags, exit codes
//! and what goes to stdout and stderr. Each test runs the built binary.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The outcome of one run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().expect("orus was killed by a signal"),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// Runs `orus` with `args` in `dir`, stdin empty, no colour.
fn orus_in(dir: &PathBuf, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_orus"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("running orus")
        .into()
}

fn orus(args: &[&str]) -> Run {
    orus_in(&std::env::temp_dir(), args)
}

/// A folder holding `files` (name, contents), fresh for each test.
fn folder(test: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orus-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const FIB: &str = "\
fn fib(n: i32) -> i32:
    if n < 2:
        return n / 0
    return fib(n - 1) + fib(n - 2)

print(\"start\")
print(fib(3))
";

#[test]
fn runs_a_file_and_refuses_extra_arguments() {
    let dir = folder("run", &[("hi.orus", "print(\"hi\")\n")]);
    let run = orus_in(&dir, &["hi.orus"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "hi\n", "")
    );
    // Spec §18 and D4: one file argument; another is a usage error and nothing runs.
    for extra in [&["hi.orus", "one"][..], &["hi.orus", "--", "-three"]] {
        let run = orus_in(&dir, extra);
        assert_eq!((run.code, run.stdout.as_str()), (64, ""), "{extra:?}");
    }
    let run = orus_in(&dir, &["hi.orus", "one"]);
    assert!(
        run.stderr.starts_with("Too many arguments: one\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_prints_nothing_for_a_correct_program_and_does_not_run_it() {
    let dir = folder("check-ok", &[("ok.orus", "print(1 / 0)\n")]);
    let run = orus_in(&dir, &["check", "ok.orus"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn check_reports_every_error_and_exits_65() {
    let dir = folder("check-bad", &[("bad.orus", "x: i32 = \"a\"\nprint(y)\n")]);
    let run = orus_in(&dir, &["check", "bad.orus"]);
    assert_eq!(run.code, 65);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("[E2001]") && run.stderr.contains("bad.orus:1:"));
    assert!(run.stderr.contains("[E1014]") && run.stderr.contains("bad.orus:2:"));
    assert!(run
        .stderr
        .ends_with("Compilation failed for \"bad.orus\".\n"));
}

#[test]
fn eval_runs_code_named_eval() {
    let run = orus(&["-e", "x = 20\nprint(x + 1)"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "21\n"));
    let run = orus(&["-e", "print(nope)"]);
    assert_eq!(run.code, 65);
    assert!(run.stderr.contains("<eval>:1:7"), "{}", run.stderr);
}

#[test]
fn explain_prints_the_entry_of_a_code() {
    let run = orus(&["--explain", "E2001"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.starts_with("E2001: Type mismatch found\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Example:"), "{}", run.stdout);
    let lower = orus(&["--explain", "e1014"]);
    assert!(lower
        .stdout
        .starts_with("E1014: Can't find this variable\n"));
}

#[test]
fn explain_of_an_unknown_code_is_a_usage_error() {
    let run = orus(&["--explain", "E4242"]);
    assert_eq!((run.code, run.stdout.as_str()), (64, ""));
    assert!(run.stderr.contains("E4242"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_64() {
    let unknown = orus(&["-x", "f.orus"]);
    assert_eq!(unknown.code, 64);
    assert!(
        unknown.stderr.starts_with("Unknown option: -x\n"),
        "{}",
        unknown.stderr
    );
    for args in [
        &["--max-recursion=9", "f.orus"][..],
        &["--max-recursion=100001", "f.orus"],
        &["--error-format=xml", "f.orus"],
        &["--verbose", "--quiet", "f.orus"],
        &["check"],
        &["-e"],
    ] {
        let run = orus(args);
        assert_eq!(run.code, 64, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("Error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn unreadable_file_exits_66() {
    let run = orus(&["no/such/file.orus"]);
    assert_eq!(run.code, 66);
    assert_eq!(run.stderr, "Could not open file \"no/such/file.orus\".\n");
    let run = orus(&["check", "no/such/file.orus"]);
    assert_eq!(run.code, 66);
}

#[test]
fn version_and_help() {
    for flag in ["--version", "-v"] {
        let run = orus(&[flag]);
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.starts_with("Orus Language Interpreter v0.6.0"),
            "{}",
            run.stdout
        );
    }
    let help = orus(&["--help"]);
    assert_eq!(help.code, 0);
    for needle in [
        "check",
        "--eval",
        "--explain",
        "--max-recursion",
        "--error-format",
        "-O",
    ] {
        assert!(help.stdout.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn reference_options_are_accepted_without_effect() {
    let dir = folder("compat", &[("p.orus", "print(7)\n")]);
    let run = orus_in(
        &dir,
        &[
            "-O0",
            "--no-context",
            "--gc-threshold=9",
            "--profile",
            "--stack-size=1M",
            "-t",
            "p.orus",
        ],
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "7\n", "")
    );
}

#[test]
fn short_error_format_is_one_line_per_error() {
    let dir = folder("short", &[("s.orus", "x = 1\nx = 2\nprint(y)\n")]);
    let run = orus_in(&dir, &["--error-format=short", "s.orus"]);
    assert_eq!(run.code, 65);
    assert_eq!(
        run.stderr,
        "s.orus:2:1: error[E1015]: Cannot assign to immutable variable 'x'. Add 'mut' when declaring it.\n\
         s.orus:3:7: error[E1014]: Undefined variable 'y'. Variables must be declared before use.\n\
         Compilation failed for \"s.orus\".\n"
    );
}

#[test]
fn runtime_errors_end_with_a_stack_trace() {
    let dir = folder("trace", &[("fib.orus", FIB)]);
    let run = orus_in(&dir, &["fib.orus"]);
    assert_eq!((run.code, run.stdout.as_str()), (70, "start\n"));
    assert!(
        run.stderr
            .starts_with("-- RUNTIME PANIC [E0001]: This operation isn't allowed here"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with(
            "\n\n  at fib (fib.orus:3)\n  at fib (fib.orus:4)\n  at fib (fib.orus:4)\n  \
             at <main> (fib.orus:7)\n"
        ),
        "{}",
        run.stderr
    );
    // The short format stays one line.
    let short = orus_in(&dir, &["--error-format=short", "fib.orus"]);
    assert_eq!(
        short.stderr,
        "fib.orus:3:18: error[E0001]: Division by zero\n"
    );
}

#[test]
fn max_recursion_sets_the_frame_limit() {
    let dir = folder(
        "recursion",
        &[(
            "deep.orus",
            "fn depth(n: i32) -> i32:\n    if n == 0:\n        return 0\n    return depth(n - 1) + 1\nprint(depth(50))\n",
        )],
    );
    assert_eq!(orus_in(&dir, &["deep.orus"]).stdout, "50\n");
    let limited = orus_in(&dir, &["--max-recursion=20", "deep.orus"]);
    assert_eq!(limited.code, 70);
    assert!(limited.stderr.contains("[E0005]"), "{}", limited.stderr);
    assert!(
        limited.stderr.contains("  ... the frame above repeats"),
        "{}",
        limited.stderr
    );
}

#[test]
fn without_a_file_a_program_is_read_from_stdin() {
    for args in [&[][..], &["-"][..], &["check", "-"][..]] {
        let run = orus_with_stdin(args, b"print(\"from stdin\")\nprint(oops)\n");
        assert_eq!(run.code, 65, "{args:?}");
        assert!(
            run.stderr.contains("<stdin>:2:7"),
            "{args:?}: {}",
            run.stderr
        );
    }
    let run = orus_with_stdin(&["-"], b"print(40 + 2)\n");
    assert_eq!((run.code, run.stdout.as_str()), (0, "42\n"));
}

/// Runs `orus args` with `input` on its standard input.
fn orus_with_stdin(args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_orus"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap().into()
}

#[test]
fn debug_dumps() {
    let dir = folder("dumps", &[("d.orus", "print(1 + 2)\n")]);
    let tokens = orus_in(&dir, &["--show-tokens", "d.orus"]);
    assert_eq!(tokens.code, 0);
    assert!(tokens.stdout.starts_with("1:1 "), "{}", tokens.stdout);
    let ast = orus_in(&dir, &["--show-ast", "d.orus"]);
    assert!(ast.stdout.contains("Print"), "{}", ast.stdout);
    let typed = orus_in(&dir, &["--show-typed-ast", "d.orus"]);
    assert_eq!(typed.code, 0);
    assert!(!typed.stdout.is_empty() && !typed.stdout.ends_with("3\n"));
    let bytecode = orus_in(&dir, &["-d", "d.orus"]);
    assert_eq!(bytecode.code, 0);
    assert!(bytecode.stdout.ends_with("3\n") && bytecode.stdout.len() > 2);
}

#[test]
fn loop_telemetry_line_follows_the_flag_and_the_environment() {
    let dir = folder("telemetry", &[("l.orus", "for i in 0..3:\n    print(i)\n")]);
    let traced = orus_in(&dir, &["--trace-typed-fallbacks", "l.orus"]);
    assert_eq!(traced.stdout, "0\n1\n2\n");
    assert!(
        traced.stderr.starts_with("[loop-trace] typed_hit="),
        "{}",
        traced.stderr
    );
    assert_eq!(traced.stderr.lines().count(), 1);
    let plain = orus_in(&dir, &["l.orus"]);
    assert_eq!(plain.stderr, "");
    let from_env = Command::new(env!("CARGO_BIN_EXE_orus"))
        .args(["--no-trace-typed-fallbacks", "l.orus"])
        .current_dir(&dir)
        .env("ORUS_TRACE_TYPED_FALLBACKS", "true")
        .output()
        .unwrap();
    assert!(
        from_env.stderr.is_empty(),
        "the flag overrides the environment"
    );
}

/// A full or closed stdout is not a crash: `--help`, `--version` and the dumps write what
/// they can and exit as usual (they used `println!`, which panics).
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_not_a_panic() {
    let dir = folder("full-stdout", &[("hi.orus", "print(\"hi\")\n")]);
    for args in [
        &["--help"][..],
        &["--version"],
        &["-d", "hi.orus"],
        &["--show-ast", "hi.orus"],
        &["--show-typed-ast", "hi.orus"],
        &["--explain", "E2001"],
    ] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full");
        let run: Run = Command::new(env!("CARGO_BIN_EXE_orus"))
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .expect("running orus")
            .into();
        // Running a program whose `print` can't be written is E0015 (exit 70); the
        // other commands' own output is best effort.
        let runs_program = args == ["-d", "hi.orus"];
        let expected = if runs_program { 70 } else { 0 };
        assert_eq!(run.code, expected, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
        assert_eq!(runs_program, run.stderr.contains("E0015"), "{}", run.stderr);
    }
}

#[test]
fn a_closed_pipe_ends_a_printing_loop() {
    // `orus prog | head -1`: the program must end when the reader is gone, as C programs
    // and Lua do (by SIGPIPE), not print into the void for ever.
    let dir = folder(
        "closed-pipe",
        &[(
            "loop.orus",
            "mut i = 0\nwhile true:\n    print(i)\n    i += 1\n",
        )],
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_orus"))
        .arg("loop.orus")
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running orus");
    let mut first = [0u8; 2];
    let mut out = child.stdout.take().expect("piped stdout");
    std::io::Read::read_exact(&mut out, &mut first).expect("some output");
    assert_eq!(&first, b"0\n");
    drop(out);
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("orus kept running after its output pipe closed");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(13), "ended by SIGPIPE: {status:?}");
}

/// Runs `orus args` in `dir` under an address-space limit of `kib` KiB (`ulimit -v`).
fn orus_limited(dir: &PathBuf, kib: u64, args: &[&str]) -> Run {
    let script = format!("ulimit -v {kib} && exec \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_orus"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("running orus under sh")
        .into()
}

#[test]
fn running_out_of_memory_is_a_runtime_error_not_an_abort() {
    // Growing one array, or an array of arrays, forever: the heap stops at half of what
    // the address-space limit allows (E0014), before an allocation can fail and abort.
    let dir = folder(
        "oom",
        &[
            (
                "flat.orus",
                "xs = []\nmut i = 0\nwhile true:\n    push(xs, i)\n    i += 1\n",
            ),
            (
                "rows.orus",
                "xs = [[0]]\nwhile true:\n    push(xs, [1, 2, 3, 4, 5, 6, 7, 8])\n",
            ),
        ],
    );
    for file in ["flat.orus", "rows.orus"] {
        let run = orus_limited(&dir, 1_000_000, &[file]);
        assert_eq!(run.code, 70, "{file}: {}", run.stderr);
        assert!(run.stderr.contains("[E0014]"), "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains("help: Keep fewer values alive"),
            "{file}: {}",
            run.stderr
        );
    }
}

#[test]
fn deep_recursion_of_a_large_frame_is_a_stack_overflow() {
    // 5 000 registers per frame times 100 000 allowed frames would be 4 GB of registers:
    // the register file stops at its cap with E0005 instead.
    let mut program = String::from("fn f(n: i32) -> i32:\n");
    for i in 0..5000 {
        program.push_str(&format!("    a{i} = n + {i}\n"));
    }
    program
        .push_str("    if n == 0:\n        return 0\n    return f(n - 1) + a0\nprint(f(99990))\n");
    let dir = folder("bigframe", &[("big.orus", &program)]);
    let run = orus_limited(&dir, 2_000_000, &["--max-recursion=100000", "big.orus"]);
    assert_eq!(run.code, 70, "{}", run.stderr);
    assert!(
        run.stderr.contains("[E0005]") && run.stderr.contains("MiB of registers"),
        "{}",
        run.stderr
    );
}

#[test]
fn nested_inference_cannot_overflow_the_host_stack() {
    // Each body is within the parser's depth, but checking `h0` checks `h1` inside its
    // innermost expression, and so on: 64 bodies of 4 000 levels stacked on the host
    // stack crashed the compiler thread. The nesting is now counted across them.
    let mut program = String::new();
    for k in 0..64 {
        program.push_str(&format!(
            "fn h{k}(x):\n    return {}h{}(x)\n",
            "- ".repeat(4000),
            k + 1
        ));
    }
    program.push_str("fn h64(x):\n    return x\nprint(h0(5))\n");
    let dir = folder("nested-inference", &[("deep.orus", &program)]);
    let run = orus_in(&dir, &["deep.orus"]);
    assert_eq!(run.code, 65, "{}", run.stderr);
    assert!(run.stderr.contains("[E2011]"), "{}", run.stderr);
}

#[test]
fn show_ast_accepts_the_trees_a_run_accepts() {
    // A 300-term sum is deeper than the library's default tree depth (256) but within the
    // binary's: the dump parsed with the default and reported a false E1019.
    let program = format!("x = {}\nprint(x)\n", vec!["1"; 300].join(" + "));
    let dir = folder("show-ast-depth", &[("sum.orus", &program)]);
    assert_eq!(orus_in(&dir, &["sum.orus"]).stdout, "300\n");
    let dump = orus_in(&dir, &["--show-ast", "sum.orus"]);
    assert_eq!(dump.code, 0, "{}", dump.stderr);
    assert!(dump.stdout.contains("Binary"), "{}", &dump.stdout[..200]);
}

#[test]
fn module_paths_in_reports_are_relative_to_the_working_directory() {
    // `orus app/main.orus` run from the folder above `app`: an error in the imported
    // `app/lib/m.orus` names that path (it named `lib/m.orus`, which is not there).
    let dir = folder(
        "module-paths",
        &[
            ("app/main.orus", "use lib.m\nprint(f())\n"),
            (
                "app/lib/m.orus",
                "module lib.m\npub fn f() -> i32:\n    return 1 / 0\n",
            ),
        ],
    );
    let run = orus_in(&dir, &["app/main.orus"]);
    assert_eq!(run.code, 70, "{}", run.stderr);
    assert!(run.stderr.contains("app/lib/m.orus:3:14"), "{}", run.stderr);
    assert!(
        run.stderr.contains("at f (app/lib/m.orus:3)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_small_address_space_limit_still_compiles() {
    // Under `ulimit -v` below the compiler thread's 256 MiB stack the spawn failed and the
    // binary aborted on any program; it now takes a smaller stack (and a depth limit to
    // match), down to none at all.
    let dir = folder("small-limit", &[("hi.orus", "x = 6 * 7\nprint(x)\n")]);
    for kib in [200_000, 60_000] {
        let run = orus_limited(&dir, kib, &["hi.orus"]);
        assert_eq!(run.code, 0, "ulimit -v {kib}: {}", run.stderr);
        assert_eq!(run.stdout, "42\n", "ulimit -v {kib}");
    }
}

#[test]
fn a_large_file_under_an_address_space_limit_compiles_on_one_thread() {
    // A file of 256 KiB or more is parsed on two threads; under `ulimit -v` the second
    // thread's stack and arena took the room a later allocation needed (exit 134).
    let source: String = (0..40_000).map(|i| format!("a{i} = {i}\n")).collect();
    let dir = folder(
        "large-limited",
        &[("big.orus", &format!("{source}print(a39999)\n"))],
    );
    let run = orus_limited(&dir, 650_000, &["big.orus"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "39999\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_compiler_out_of_memory_is_a_report_not_an_abort() {
    // 300 000 lines need about 240 MB to compile; under a 150 MB limit an allocation of
    // the compiler fails. That used to abort (134) with a Rust backtrace.
    let source: String = (0..300_000).map(|i| format!("print({i})\n")).collect();
    let dir = folder("compile-oom", &[("big.orus", &source)]);
    let run = orus_limited(&dir, 150_000, &["big.orus"]);
    assert_eq!(run.code, 65, "{}", run.stderr);
    assert!(run.stderr.contains("E9001"), "{}", run.stderr);
    assert!(
        run.stderr.contains("Out of memory while compiling"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_to_a_descriptor_that_cannot_be_written_is_e0015() {
    // Standard output opened read-only (as `orus prog >&-` can leave it): every write
    // fails with EBADF, which std's own stdout would report as success.
    let dir = folder("ebadf", &[("p.orus", "for i in 0..3:\n    print(i)\n")]);
    let read_only = std::fs::File::open(dir.join("p.orus")).unwrap();
    let run: Run = Command::new(env!("CARGO_BIN_EXE_orus"))
        .arg("p.orus")
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(read_only))
        .stderr(Stdio::piped())
        .output()
        .expect("running orus")
        .into();
    assert_eq!(run.code, 70, "{}", run.stderr);
    assert!(run.stderr.contains("E0015"), "{}", run.stderr);
}

#[test]
fn an_endless_program_is_refused_at_a_size_limit() {
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let run: Run = Command::new(env!("CARGO_BIN_EXE_orus"))
        .arg("-")
        .env("NO_COLOR", "1")
        .stdin(Stdio::from(zero))
        .output()
        .expect("running orus")
        .into();
    assert_eq!(run.code, 66, "{}", run.stderr);
    assert!(run.stderr.contains("larger than 256 MiB"), "{}", run.stderr);
}

#[test]
fn a_failed_write_to_stderr_keeps_the_exit_code() {
    // stderr on a full device: the message is lost, but the process must not panic
    // (`eprintln!` aborted with exit 134) and still reports what happened by its code.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let dir = folder("stderr-full", &[("boom.orus", "print(1 / 0)\n")]);
    for (args, code) in [
        (&["--bogus"][..], 64),
        (&["missing.orus"], 66),
        (&["--trace-typed-fallbacks", "boom.orus"], 70),
        (&["--explain", "E9999"], 64),
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_orus"))
            .args(args)
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(full.try_clone().unwrap())
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
}
