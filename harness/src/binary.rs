//! Finding the `orus` binary the cases run against.
//!
//! `ORUS_BIN` names a prebuilt binary. Without it the release binary is built once per
//! test process with the same cargo that runs the tests, from the workspace root, and
//! every case waits for that one build. A failed build is remembered and becomes the
//! failure of every case, so the cause is shown once per case rather than as a panic.
//! Tests never need this module: they pass a binary to `run_case` directly.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The binary to run, building it on first use. The result, good or bad, is computed once
/// per process.
pub fn orus_binary() -> Result<PathBuf, String> {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY.get_or_init(locate).clone()
}

fn locate() -> Result<PathBuf, String> {
    if let Some(path) = env::var_os("ORUS_BIN").filter(|p| !p.is_empty()) {
        // Cases run in their own folders, so a relative path must be made absolute here.
        let path = absolute(PathBuf::from(path));
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "ORUS_BIN names {}, which is not a file",
                path.display()
            ))
        };
    }
    let root = workspace_root()?;
    build(&root)
}

/// Builds the release binary and returns its path.
fn build(root: &Path) -> Result<PathBuf, String> {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let args = ["build", "--release", "-p", "orus", "--bin", "orus"];
    let shown = format!("{} {}", Path::new(&cargo).display(), args.join(" "));
    eprintln!("harness: building the orus binary ({shown})");
    let output = Command::new(&cargo)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("could not run `{shown}`: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "building orus failed (`{shown}` in {}, {}); every case needs it:\n{}",
            root.display(),
            output.status,
            tail(&stderr, 80),
        ));
    }
    let target = match env::var_os("CARGO_TARGET_DIR").filter(|t| !t.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    };
    let binary = target
        .join("release")
        .join(format!("orus{}", env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "`{shown}` succeeded but {} does not exist",
            binary.display()
        ))
    }
}

/// The folder whose `Cargo.toml` declares `[workspace]`, searched upward from the calling
/// package (`CARGO_MANIFEST_DIR` as cargo sets it for the test process), or from this
/// crate when run outside cargo.
pub fn workspace_root() -> Result<PathBuf, String> {
    let start = env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    find_workspace_root(&start)
}

fn find_workspace_root(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            if text.lines().any(|line| line.trim() == "[workspace]") {
                return Ok(dir.to_path_buf());
            }
        }
    }
    Err(format!(
        "no Cargo.toml with [workspace] above {}",
        start.display()
    ))
}

fn absolute(path: PathBuf) -> PathBuf {
    if path.is_absolute() {
        path
    } else {
        env::current_dir()
            .map(|dir| dir.join(&path))
            .unwrap_or(path)
    }
}

/// The last `count` lines of `text`: compiler errors end with the summary that matters.
fn tail(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(count);
    let mut shown = lines[start..].join("\n");
    if start > 0 {
        shown = format!("... ({start} earlier lines)\n{shown}");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_is_found_above_this_crate() {
        let root = find_workspace_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert!(
            root.join("harness").join("Cargo.toml").is_file(),
            "{}",
            root.display()
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail("a\nb\nc", 2), "... (1 earlier lines)\nb\nc");
        assert_eq!(tail("a\nb", 5), "a\nb");
    }
}
