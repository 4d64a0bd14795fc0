//! Running one process under a time limit and collecting everything it wrote.
//!
//! The child's stdin, stdout and stderr are each served by their own thread, so a program
//! that fills one pipe while we wait on another cannot deadlock the suite. The child is
//! polled with `try_wait` and killed when its time is up; a hang becomes
//! `Termination::TimedOut`, never a stuck test. This module knows nothing of cases or
//! expectations. Its tests (with fake binaries) are in `lib.rs`.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How to start a process.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    pub stdin: Vec<u8>,
    /// Added to (or overriding) the inherited environment.
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
}

/// What a finished (or killed) process left behind.
#[derive(Clone, Debug)]
pub struct Finished {
    pub termination: Termination,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// How a process ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Termination {
    /// It exited with this code.
    Exited(i32),
    /// A signal ended it (Unix), or it ended without a code for another reason.
    Killed(Option<i32>),
    /// It was still running at the time limit, and we killed it.
    TimedOut(Duration),
}

impl std::fmt::Display for Termination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Termination::Exited(code) => write!(f, "exit code {code}"),
            Termination::Killed(Some(signal)) => write!(f, "killed by signal {signal}"),
            Termination::Killed(None) => write!(f, "ended without an exit code"),
            Termination::TimedOut(limit) => write!(f, "timed out after {}s", limit.as_secs_f64()),
        }
    }
}

/// After the child ends, how long to wait for its output pipes to close. They stay open
/// when the child left a grandchild behind that inherited them; we then keep what was
/// read so far rather than wait for the grandchild.
const PIPE_GRACE: Duration = Duration::from_millis(1000);

/// Runs `invocation` to completion or to its time limit.
pub fn execute(invocation: &Invocation) -> io::Result<Finished> {
    let mut child = spawn(invocation)?;

    let stdin = child.stdin.take().expect("stdin is piped");
    let input = invocation.stdin.clone();
    // A child that exits without reading its input breaks the pipe; that is its right,
    // so the write error is ignored.
    let writer = thread::spawn(move || {
        let mut stdin = stdin;
        let _ = stdin.write_all(&input);
    });
    let stdout = Collector::start(child.stdout.take().expect("stdout is piped"));
    let stderr = Collector::start(child.stderr.take().expect("stderr is piped"));

    let termination = wait_with_limit(&mut child, invocation.timeout)?;

    let deadline = Instant::now() + PIPE_GRACE;
    let stdout = stdout.finish(deadline);
    let stderr = stderr.finish(deadline);
    // The writer ends when the child's stdin closes, which its death guarantees.
    let _ = writer.join();
    Ok(Finished {
        termination,
        stdout,
        stderr,
    })
}

/// Starts the child, retrying briefly on `ETXTBSY`.
///
/// A binary written moments ago (a fake one in tests, or one `cargo build` just linked)
/// can fail to exec with "text file busy" while another thread's fork still holds the
/// writing descriptor; the window is tiny and closes by itself.
fn spawn(invocation: &Invocation) -> io::Result<Child> {
    const TEXT_FILE_BUSY: i32 = 26;
    let mut attempts = 0;
    loop {
        let mut command = Command::new(&invocation.program);
        command
            .args(&invocation.args)
            .current_dir(&invocation.cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in &invocation.env {
            command.env(key, value);
        }
        match command.spawn() {
            Err(e) if cfg!(unix) && e.raw_os_error() == Some(TEXT_FILE_BUSY) && attempts < 20 => {
                attempts += 1;
                thread::sleep(Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// Polls the child until it exits or `limit` passes, then kills it.
fn wait_with_limit(child: &mut Child, limit: Duration) -> io::Result<Termination> {
    let start = Instant::now();
    // Short first pauses keep quick programs quick; the cap keeps polling cheap.
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(termination_of(status));
        }
        let elapsed = start.elapsed();
        if elapsed >= limit {
            // The child may exit between the poll and the kill; either way it is gone.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Termination::TimedOut(limit));
        }
        thread::sleep(pause.min(limit - elapsed));
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

fn termination_of(status: ExitStatus) -> Termination {
    match status.code() {
        Some(code) => Termination::Exited(code),
        None => Termination::Killed(signal_of(status)),
    }
}

#[cfg(unix)]
fn signal_of(status: ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: ExitStatus) -> Option<i32> {
    None
}

/// Reads a pipe to its end on its own thread, keeping the bytes where the caller can take
/// them even if the pipe never closes.
struct Collector {
    bytes: Arc<Mutex<Vec<u8>>>,
    thread: JoinHandle<()>,
}

impl Collector {
    fn start(mut pipe: impl Read + Send + 'static) -> Collector {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&bytes);
        let thread = thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            loop {
                match pipe.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => sink
                        .lock()
                        .expect("collector lock")
                        .extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
        });
        Collector { bytes, thread }
    }

    /// Waits for the pipe to close until `deadline`, then returns what was read.
    fn finish(self, deadline: Instant) -> Vec<u8> {
        while !self.thread.is_finished() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        if self.thread.is_finished() {
            let _ = self.thread.join();
        }
        // A thread still blocked on a pipe held open by a grandchild is left to end with it.
        let bytes = self.bytes.lock().expect("collector lock");
        bytes.clone()
    }
}

/// The binary and arguments as one line a person can paste into a shell.
pub fn command_line(program: &Path, args: &[OsString]) -> String {
    std::iter::once(program.as_os_str())
        .chain(args.iter().map(OsString::as_os_str))
        .map(|part| shell_quote(&part.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=./:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
