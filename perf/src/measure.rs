//! Running child processes: wall time and peak RSS (from `wait4`'s rusage), the tools the
//! comparison needs (`python3`, `lua5.4`, the release `orus` binary), and callgrind.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a child process gave.
#[derive(Clone, Debug)]
pub struct Run {
    pub wall: Duration,
    /// Peak resident set size of the child, in KiB (`ru_maxrss`).
    pub max_rss_kb: u64,
    pub stdout: String,
    pub success: bool,
    pub stderr: String,
}

/// Runs `argv` to completion, timing from spawn to reaping.
pub fn run(argv: &[OsString]) -> std::io::Result<Run> {
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    // Workload outputs are one line and errors short, so reading stdout then stderr
    // cannot dead-lock on a full pipe in practice; stderr is read on a thread anyway.
    let mut err_pipe = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let _ = err_pipe.read_to_end(&mut stderr);
        stderr
    });
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut stdout)?;
    let (status, rss) = wait4(child.id())?;
    let wall = start.elapsed();
    let stderr = err_thread.join().unwrap_or_default();
    Ok(Run {
        wall,
        max_rss_kb: rss,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        success: status == 0,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Reaps `pid`; returns (exit status, or -1 when killed by a signal, and ru_maxrss in KiB).
fn wait4(pid: u32) -> std::io::Result<(i32, u64)> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; zeroed is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: pid is our own un-reaped child; both pointers are valid for the call.
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if r >= 0 {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, usage.ru_maxrss.max(0) as u64))
}

/// The peak resident set of the program `argv` runs, itself only, in KiB: its `VmHWM`,
/// read when it is about to exit (the child is traced and stopped at its exit event).
///
/// Why not `ru_maxrss`: the kernel carries the maximum over a process's whole life across
/// `exec`, and a spawned child starts life as a copy of the parent, so every program's
/// `ru_maxrss` is at least the RSS of whoever spawned it (this tool: about 3 MiB, which
/// was exactly the figure reported for both Orus and Lua). `VmHWM` belongs to the memory
/// image `exec` created.
#[cfg(target_os = "linux")]
pub fn own_peak_rss_kb(argv: &[OsString]) -> std::io::Result<u64> {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: ptrace(PTRACE_TRACEME) is async-signal-safe and only marks this child as
    // traced; the child then stops at its `exec`.
    unsafe {
        cmd.pre_exec(|| {
            if libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let wait = || -> std::io::Result<libc::c_int> {
        let mut status = 0;
        // SAFETY: waiting for our own child.
        if unsafe { libc::waitpid(pid, &mut status, 0) } == -1 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(status)
    };
    // Stopped at exec: ask to stop again at exit, and let it run.
    wait()?;
    // SAFETY: pid is our stopped tracee.
    unsafe {
        libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, libc::PTRACE_O_TRACEEXIT);
        libc::ptrace(libc::PTRACE_CONT, pid, 0, 0);
    }
    let mut peak = 0;
    loop {
        let status = wait()?;
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            break;
        }
        let at_exit = (status >> 8) == (libc::SIGTRAP | (libc::PTRACE_EVENT_EXIT << 8));
        if at_exit {
            let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
            peak = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0);
        }
        // Deliver any other signal it stopped for; at the exit stop, just continue.
        let sig = if at_exit || !libc::WIFSTOPPED(status) {
            0
        } else {
            libc::WSTOPSIG(status)
        };
        // SAFETY: pid is our stopped tracee.
        unsafe { libc::ptrace(libc::PTRACE_CONT, pid, 0, sig) };
    }
    Ok(peak)
}

/// Whether `argv` runs and exits 0.
pub fn works(argv: &[&str]) -> bool {
    Command::new(argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// First line of `argv`'s output (stdout, else stderr), for version strings.
pub fn first_line(argv: &[&str]) -> Option<String> {
    let out = Command::new(argv[0]).args(&argv[1..]).output().ok()?;
    let text = if out.stdout.is_empty() {
        out.stderr
    } else {
        out.stdout
    };
    String::from_utf8_lossy(&text)
        .lines()
        .next()
        .map(|l| l.trim().to_string())
}

/// Makes sure `lua5.4` is there, installing it with apt when missing and running as root.
pub fn ensure_lua() -> bool {
    if works(&["lua5.4", "-v"]) {
        return true;
    }
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("perf: lua5.4 is missing and we are not root; run `apt-get install -y lua5.4`");
        return false;
    }
    eprintln!("perf: installing lua5.4 with apt-get");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "lua5.4"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let _ = Command::new("apt-get").arg("update").status();
        install();
    }
    works(&["lua5.4", "-v"])
}

/// Builds the release `orus` binary with cargo and copies it to `target/perf/orus`, so a
/// whole measurement uses one binary even if the workspace is rebuilt meanwhile.
pub fn orus_binary(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    let root = perf::workspace_root();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(&cargo)
        .args(["build", "--release", "-p", "orus", "--bin", "orus"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("`cargo build --release -p orus` failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let built = target.join("release").join("orus");
    let snapshot_dir = target.join("perf");
    std::fs::create_dir_all(&snapshot_dir).map_err(|e| e.to_string())?;
    let snapshot = snapshot_dir.join("orus");
    std::fs::copy(&built, &snapshot)
        .map_err(|e| format!("cannot copy {}: {e}", built.display()))?;
    Ok(snapshot)
}

/// The command line that runs `file` in `lang`.
pub fn command(lang: perf::Lang, orus: &Path, file: &Path) -> Vec<OsString> {
    match lang {
        perf::Lang::Orus => vec![orus.into(), file.into()],
        perf::Lang::Python => vec![python().into(), file.into()],
        perf::Lang::Lua => vec!["lua5.4".into(), file.into()],
    }
}

/// The real `python3` executable (`sys.executable`), not a wrapper such as a pyenv shim,
/// which would add its own start-up to every run and hide Python from callgrind.
pub fn python() -> String {
    static EXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    EXE.get_or_init(|| {
        first_line(&["python3", "-c", "import sys; print(sys.executable)"])
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "python3".into())
    })
    .clone()
}

/// Whether valgrind can be run.
pub fn have_valgrind() -> bool {
    works(&["valgrind", "--version"])
}

/// Runs `argv` under `valgrind --tool=callgrind`; returns (instructions executed by the
/// whole process, stdout) and keeps the profile at `profile` for annotation.
pub fn callgrind(argv: &[OsString], profile: &Path) -> Result<(u64, String), String> {
    let mut full: Vec<OsString> = vec![
        "valgrind".into(),
        "--tool=callgrind".into(),
        "-q".into(),
        format!("--callgrind-out-file={}", profile.display()).into(),
    ];
    full.extend(argv.iter().cloned());
    let run = run(&full).map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !run.success {
        return Err(format!("valgrind {:?} failed: {}", argv, run.stderr.trim()));
    }
    let text = std::fs::read_to_string(profile)
        .map_err(|e| format!("cannot read {}: {e}", profile.display()))?;
    let ir = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("summary:")
                .or_else(|| l.strip_prefix("totals:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .ok_or_else(|| format!("no summary line in {}", profile.display()))?;
    Ok((ir, run.stdout))
}

/// The functions with the most self instructions in a callgrind profile, as
/// (share of total, instructions, function name), via `callgrind_annotate`.
pub fn hot_functions(profile: &Path, top: usize) -> Vec<(f64, u64, String)> {
    let Ok(out) = Command::new("callgrind_annotate")
        .arg("--inclusive=no")
        .arg("--threshold=100")
        .arg(profile)
        .output()
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut total = 0u64;
    let mut rows = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((num, rest)) = line.split_once(' ') else {
            continue;
        };
        let Ok(n) = num.replace(',', "").parse::<u64>() else {
            continue;
        };
        let rest = rest.trim();
        if rest.contains("PROGRAM TOTALS") {
            total = n;
        } else if let Some(idx) = rest.find(')') {
            // "(12.34%)  file:function [binary]" in newer versions; "file:function" else.
            let name = rest[idx + 1..].trim();
            rows.push((n, name.to_string()));
        } else {
            rows.push((n, rest.to_string()));
        }
        if rows.len() >= top {
            break;
        }
    }
    rows.into_iter()
        .map(|(n, name)| {
            let share = if total > 0 {
                n as f64 / total as f64
            } else {
                0.0
            };
            (share, n, clean_symbol(&name))
        })
        .collect()
}

/// "/rustc/<hash>/library/core/src/slice/index.rs:orus::vm::Vm::execute [/path/orus]" →
/// "core/src/slice/index.rs: orus::vm::Vm::execute": the source file (where inlined code
/// came from) and the function, with the toolchain and workspace prefixes dropped.
fn clean_symbol(raw: &str) -> String {
    let mut s = match raw.rfind(" [") {
        Some(i) if raw.ends_with(']') => &raw[..i],
        _ => raw,
    };
    if let Some(rest) = s.strip_prefix("/rustc/") {
        if let Some(i) = rest.find("/library/") {
            s = &rest[i + "/library/".len()..];
        }
    }
    let root = format!("{}/", perf::workspace_root().display());
    let s = s.strip_prefix(root.as_str()).unwrap_or(s);
    // The file part ends at the first ':' that is not part of a '::'.
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            if bytes.get(i + 1) == Some(&b':') {
                i += 2;
                continue;
            }
            return format!("{} ({})", short_file(&s[..i]), short_fn(&s[i + 1..]));
        }
        i += 1;
    }
    s.to_string()
}

/// "./malloc/./malloc/malloc.c" → "malloc/malloc.c"; workspace and Rust library paths
/// ("orus/src/vm/exec.rs", "core/src/slice/index.rs") stay whole.
fn short_file(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let keep_whole = ["orus/", "core/", "alloc/", "std/"]
        .iter()
        .any(|p| path.starts_with(p));
    if keep_whole || parts.len() <= 2 {
        parts.join("/")
    } else {
        parts[parts.len() - 2..].join("/")
    }
}

/// "orus::vm::exec::<impl orus::vm::Vm>::dispatch" → "Vm::dispatch": the last two path
/// segments, with `<impl path::Type>` read as `Type`.
fn short_fn(name: &str) -> String {
    let mut text = name.to_string();
    while let Some(start) = text.find("<impl ") {
        let Some(len) = text[start..].find('>') else {
            break;
        };
        let inner = &text[start + "<impl ".len()..start + len];
        let ty = inner.rsplit("::").next().unwrap_or(inner).to_string();
        text.replace_range(start..start + len + 1, &ty);
    }
    let segments: Vec<&str> = text.split("::").collect();
    if segments.len() <= 2 {
        text
    } else {
        segments[segments.len() - 2..].join("::")
    }
}

/// Peak RSS, a readable unit.
pub fn mib(kb: u64) -> String {
    format!("{:.1} MiB", kb as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_callgrind_locations() {
        assert_eq!(
            clean_symbol(
                "/rustc/abc/library/core/src/slice/index.rs:orus::vm::exec::<impl orus::vm::Vm>::dispatch [/x/orus]"
            ),
            "core/src/slice/index.rs (Vm::dispatch)"
        );
        assert_eq!(
            clean_symbol("./malloc/./malloc/malloc.c:_int_free [/lib/libc.so.6]"),
            "malloc/malloc.c (_int_free)"
        );
        assert_eq!(
            short_fn("orus::runtime::heap::Heap::get_str"),
            "Heap::get_str"
        );
    }
}

#[cfg(all(test, target_os = "linux"))]
mod own_rss_tests {
    use super::*;

    #[test]
    fn a_small_program_peaks_below_what_it_inherits() {
        let argv: Vec<OsString> = vec!["/bin/true".into()];
        // Where ptrace is not allowed (some sandboxes) there is nothing to measure.
        let Ok(own) = own_peak_rss_kb(&argv) else {
            eprintln!("ptrace unavailable: skipped");
            return;
        };
        let inherited = run(&argv).expect("running /bin/true").max_rss_kb;
        assert!(own > 0, "VmHWM read at exit");
        assert!(
            own <= inherited,
            "own peak {own} KiB, ru_maxrss {inherited} KiB"
        );
    }
}
