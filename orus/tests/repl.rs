//! The REPL as a user meets it: the `orus` binary in a pseudo-terminal, driven by typing.
//!
//! Each test starts `orus` with no arguments (so stdin is a terminal and the REPL starts),
//! with `HOME` in a fresh temporary folder so the history file is the test's own, and
//! `NO_COLOR` set so reports are plain text.

#![cfg(unix)]

use expectrl::{ControlCode, Session, WaitStatus};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// A fresh, empty folder to serve as `HOME`.
fn temp_home(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orus-repl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("creating a temporary HOME");
    dir
}

/// Starts the REPL and waits for its first prompt.
fn start(home: &PathBuf) -> Session {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orus"));
    command
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut session = Session::spawn(command).expect("spawning orus in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session.expect("orus> ").expect("the first prompt");
    session
}

/// Types one line and waits until `expected` appears.
fn type_line(session: &mut Session, line: &str, expected: &str) {
    session.send_line(line).expect("typing");
    if let Err(e) = session.expect(expected) {
        panic!("after typing {line:?}, expected {expected:?}: {e}");
    }
}

/// Ends the session with Ctrl-D and checks the farewell and the exit status.
fn quit_with_ctrl_d(mut session: Session) {
    session
        .send(ControlCode::EndOfTransmission)
        .expect("sending Ctrl-D");
    session.expect("Goodbye!").expect("the farewell");
    let status = session.get_process().wait().expect("waiting for orus");
    assert!(
        matches!(status, WaitStatus::Exited(_, 0)),
        "orus ended with {status:?}"
    );
}

#[test]
fn a_multi_line_function_persists_and_can_be_called() {
    let home = temp_home("function");
    let mut s = start(&home);
    type_line(&mut s, "fn square(n: i32) -> i32:", "... ");
    type_line(&mut s, "    return n * n", "... ");
    type_line(&mut s, "", "orus> ");
    type_line(&mut s, "print(square(7))", "49");
    s.expect("orus> ").unwrap();
    // A bare expression shows its value.
    type_line(&mut s, "square(3) + 1", "10");
    s.expect("orus> ").unwrap();
    quit_with_ctrl_d(s);
}

#[test]
fn an_error_is_reported_and_the_session_continues() {
    let home = temp_home("error");
    let mut s = start(&home);
    type_line(&mut s, "mut count = 41", "orus> ");
    type_line(&mut s, "count = count + \"one\"", "[E2001]");
    s.expect("<repl>:1:").unwrap();
    s.expect("orus> ").unwrap();
    type_line(&mut s, "print(undefined_name)", "[E1014]");
    s.expect("orus> ").unwrap();
    // A runtime error keeps the session alive too, and carries a stack trace.
    type_line(&mut s, "print(count / 0)", "[E0001]");
    s.expect("at <main> (<repl>:1)").unwrap();
    s.expect("orus> ").unwrap();
    // The failed entries changed nothing.
    type_line(&mut s, "count += 1", "orus> ");
    type_line(&mut s, "count", "42");
    s.expect("orus> ").unwrap();
    quit_with_ctrl_d(s);
}

#[test]
fn blocks_brackets_and_commands() {
    let home = temp_home("blocks");
    let mut s = start(&home);
    type_line(&mut s, "xs = [1,", "... ");
    type_line(&mut s, "      2, 3]", "orus> ");
    type_line(&mut s, "for x in xs:", "... ");
    type_line(&mut s, "    print(x * 10)", "... ");
    type_line(&mut s, "", "30");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":help", ":quit");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":nonsense", "Unknown command: :nonsense");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":reset", "orus> ");
    type_line(&mut s, "print(xs)", "[E1014]");
    s.expect("orus> ").unwrap();
    s.send_line(":quit").unwrap();
    s.expect("Goodbye!").unwrap();
    let status = s.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
}

#[test]
fn history_is_saved_in_the_home_folder() {
    let home = temp_home("history");
    let mut s = start(&home);
    type_line(&mut s, "print(\"remember me\")", "remember me");
    s.expect("orus> ").unwrap();
    quit_with_ctrl_d(s);
    let history = std::fs::read_to_string(home.join(".orus_history")).expect("history file");
    assert!(history.contains("print(\"remember me\")"), "{history}");
}

#[test]
fn reports_are_coloured_on_a_terminal_unless_no_color_is_set() {
    let home = temp_home("colour");
    let mut command = Command::new(env!("CARGO_BIN_EXE_orus"));
    command
        .env("HOME", &home)
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    let mut s = Session::spawn(command).expect("spawning orus in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s.expect("orus> ").unwrap();
    type_line(
        &mut s,
        "print(missing)",
        "\x1b[0;31m-- SYNTAX ERROR [E1014]",
    );
    s.expect("orus> ").unwrap();
    quit_with_ctrl_d(s);
}

/// Spec §16.1: `print` flushes stdout. On a terminal a line shows before the program goes
/// on (here: forever), not at exit.
#[test]
fn a_program_on_a_terminal_shows_each_line_at_once() {
    let home = temp_home("flush");
    let file = home.join("spin.orus");
    std::fs::write(
        &file,
        "print(\"started\")\nmut i = 0\nwhile true:\n    i += 1\n",
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_orus"));
    command.arg(&file).env("NO_COLOR", "1").env("TERM", "xterm");
    let mut session = Session::spawn(command).expect("spawning orus in a pty");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    let seen = session.expect("started");
    let _ = session.get_process_mut().kill(expectrl::Signal::SIGKILL);
    seen.expect("the first line while the program still runs");
}

#[test]
fn ctrl_c_stops_a_running_entry_and_the_session_goes_on() {
    // An endless loop typed at the prompt: Ctrl-C stops it with E0016 (it used to spin
    // until the process was killed), and the session keeps its earlier definitions.
    let home = temp_home("interrupt");
    let mut s = start(&home);
    type_line(&mut s, "base = 40", "orus> ");
    type_line(&mut s, "while true:", "... ");
    type_line(&mut s, "    x = 1", "... ");
    s.send_line("").expect("ending the block");
    std::thread::sleep(Duration::from_millis(300));
    s.send(ControlCode::EndOfText).expect("sending Ctrl-C");
    s.expect("E0016").expect("the interruption report");
    s.expect("orus> ").expect("the prompt again");
    type_line(&mut s, "print(base + 2)", "42");
    // Ctrl-D only once the line editor reads again (sent while the entry still runs, the
    // terminal's end-of-file can be lost when the editor switches modes).
    s.expect("orus> ").expect("the prompt after the entry");
    quit_with_ctrl_d(s);
}

#[test]
fn load_history_timing_and_an_open_block_at_the_end() {
    let home = temp_home("commands");
    let program = home.join("lib.orus");
    std::fs::write(
        &program,
        "\u{feff}fn triple(n: i32) -> i32:\n    return 3 * n\nprint(\"loaded\")\n",
    )
    .unwrap();
    let mut s = start(&home);
    // `:load` runs the file as one entry; its definitions stay.
    type_line(&mut s, &format!(":load {}", program.display()), "loaded");
    s.expect("orus> ").unwrap();
    type_line(&mut s, "triple(14)", "42");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":load /no/such/file.orus", "Could not open file");
    s.expect("orus> ").unwrap();
    // A loaded file's `use` finds modules beside it, as `orus FILE` would.
    std::fs::create_dir_all(home.join("sub/lib")).unwrap();
    std::fs::write(
        home.join("sub/lib/m.orus"),
        "module lib.m\npub fn m_value() -> i32:\n    return 7\n",
    )
    .unwrap();
    std::fs::write(
        home.join("sub/app.orus"),
        "use lib.m\nprint(m_value() * 6)\n",
    )
    .unwrap();
    type_line(
        &mut s,
        &format!(":load {}", home.join("sub/app.orus").display()),
        "42",
    );
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":timing on", "orus> ");
    type_line(&mut s, "1 + 1", "(took ");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":timing off", "orus> ");
    type_line(&mut s, ":memory on", "orus> ");
    type_line(&mut s, "names = [\"a\", \"b\"]", "(heap: ");
    s.expect("orus> ").unwrap();
    type_line(&mut s, ":memory off", "orus> ");
    type_line(&mut s, ":history", "triple(14)");
    s.expect("orus> ").unwrap();
    // A block still open at Ctrl-D runs before the farewell, as in Python.
    type_line(&mut s, "if true:", "... ");
    type_line(&mut s, "    print(\"ran at the end\")", "... ");
    s.send(ControlCode::EndOfTransmission).unwrap();
    s.expect("ran at the end").unwrap();
    s.expect("Goodbye!").unwrap();
    let status = s.get_process().wait().unwrap();
    assert!(matches!(status, WaitStatus::Exited(_, 0)), "{status:?}");
}
