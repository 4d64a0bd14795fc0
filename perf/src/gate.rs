//! The instruction-count gate: every workload at its gate size, run by the release `orus`
//! binary under callgrind, against the committed baseline `ci/perf-baseline.json`.
//!
//! Counts are of the whole process (start-up, compile and run), so they need nothing but
//! valgrind and the binary, and they are deterministic to a few thousand instructions.

use crate::measure;
use perf::{Lang, Workload, WORKLOADS};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub struct Options {
    pub bless: bool,
    pub threshold: f64,
    pub baseline: PathBuf,
    pub orus: Option<PathBuf>,
}

/// One baseline entry.
#[derive(Clone, Debug)]
pub struct Entry {
    pub n: u64,
    pub checksum: String,
    pub instructions: u64,
}

/// A scratch directory under target/ for sized sources and callgrind profiles.
pub fn scratch_dir() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| perf::workspace_root().join("target"));
    let dir = target.join("perf").join("scratch");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Writes workload `w` in `lang` at size `n` to the scratch directory.
pub fn write_sized(dir: &Path, w: &Workload, lang: Lang, n: u64) -> Result<PathBuf, String> {
    let src = perf::sized_source(w.name, lang, n).map_err(|e| e.to_string())?;
    let path = dir.join(format!("{}_{n}.{}", w.name, lang.ext()));
    std::fs::write(&path, src).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Callgrind instruction count of `lang` running `file`; the profile stays at
/// `<file>.callgrind`. Returns (instructions, stdout).
pub fn count(orus: &Path, lang: Lang, file: &Path) -> Result<(u64, String), String> {
    let profile = file.with_extension(format!("{}.callgrind", lang.ext()));
    measure::callgrind(&measure::command(lang, orus, file), &profile)
}

pub fn load(path: &Path) -> Result<BTreeMap<String, Entry>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    let Some(map) = value.get("workloads").and_then(Value::as_object) else {
        return Err(format!("{}: no \"workloads\" object", path.display()));
    };
    for (name, e) in map {
        let entry = Entry {
            n: e.get("n").and_then(Value::as_u64).unwrap_or(0),
            checksum: e
                .get("checksum")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            instructions: e.get("instructions").and_then(Value::as_u64).unwrap_or(0),
        };
        out.insert(name.clone(), entry);
    }
    Ok(out)
}

fn save(path: &Path, entries: &BTreeMap<String, Entry>) -> Result<(), String> {
    let mut workloads = serde_json::Map::new();
    for (name, e) in entries {
        workloads.insert(
            name.clone(),
            json!({ "n": e.n, "checksum": e.checksum, "instructions": e.instructions }),
        );
    }
    let value = json!({
        "about": "Instructions (callgrind Ir) of target/release/orus running perf/workloads/NAME.orus \
                  with N set to n: whole process, start-up + compile + run. \
                  Checked by `cargo run -p perf --release -- gate`; rewritten by `-- gate --bless`.",
        "valgrind": measure::first_line(&["valgrind", "--version"]).unwrap_or_default(),
        "workloads": Value::Object(workloads),
    });
    let text = serde_json::to_string_pretty(&value).map_err(|e| e.to_string())? + "\n";
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Measures every workload at its gate size.
pub fn measure_all(orus: &Path) -> Result<BTreeMap<String, Entry>, String> {
    let dir = scratch_dir()?;
    let mut out = BTreeMap::new();
    for w in WORKLOADS {
        let file = write_sized(&dir, w, Lang::Orus, w.gate)?;
        eprint!("  callgrind {:<12}", w.name);
        let (instructions, stdout) = count(orus, Lang::Orus, &file)?;
        eprintln!("{instructions:>15}");
        out.insert(
            w.name.to_string(),
            Entry {
                n: w.gate,
                checksum: stdout.trim().to_string(),
                instructions,
            },
        );
    }
    Ok(out)
}

/// How one workload compares with its baseline.
pub struct Change {
    pub name: &'static str,
    pub base: Option<Entry>,
    pub now: Entry,
    /// Percent change of the instruction count, when comparable.
    pub percent: Option<f64>,
    pub status: &'static str,
    pub failed: bool,
}

pub fn diff(
    base: &BTreeMap<String, Entry>,
    now: &BTreeMap<String, Entry>,
    threshold: f64,
) -> Vec<Change> {
    let mut rows = Vec::new();
    for w in WORKLOADS {
        let Some(cur) = now.get(w.name) else { continue };
        let old = base.get(w.name).cloned();
        let (percent, status, failed) = match &old {
            None => (None, "no baseline (bless)", true),
            Some(b) if b.n != cur.n => (None, "size changed (bless)", true),
            Some(b) if b.checksum != cur.checksum => (None, "WRONG CHECKSUM", true),
            Some(b) => {
                let pct = (cur.instructions as f64 / b.instructions.max(1) as f64 - 1.0) * 100.0;
                if pct > threshold {
                    (Some(pct), "REGRESSION", true)
                } else if pct < -threshold {
                    (Some(pct), "improved (bless?)", false)
                } else {
                    (Some(pct), "ok", false)
                }
            }
        };
        rows.push(Change {
            name: w.name,
            base: old,
            now: cur.clone(),
            percent,
            status,
            failed,
        });
    }
    rows
}

/// The change table as markdown.
pub fn table(rows: &[Change]) -> String {
    let mut s = String::from(
        "| workload | N | baseline Ir | current Ir | change | status |\n|---|---:|---:|---:|---:|---|\n",
    );
    for r in rows {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.name,
            r.now.n,
            r.base
                .as_ref()
                .map_or("–".to_string(), |b| group(b.instructions)),
            group(r.now.instructions),
            r.percent.map_or("–".to_string(), |p| format!("{p:+.2}%")),
            r.status
        ));
    }
    s
}

/// 1234567 → "1,234,567".
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn run(opts: &Options) -> Result<(), String> {
    if !measure::have_valgrind() {
        return Err("valgrind is missing: `apt-get install -y valgrind`".into());
    }
    let orus = measure::orus_binary(opts.orus.clone())?;
    eprintln!("perf gate: {} under callgrind", orus.display());
    let now = measure_all(&orus)?;
    for w in WORKLOADS {
        let expected = perf::run_orus_in_process(
            w.name,
            &perf::sized_source(w.name, Lang::Orus, w.gate).map_err(|e| e.to_string())?,
        );
        let got = &now[w.name].checksum;
        if expected.as_deref().map(str::trim) != Ok(got.as_str()) {
            return Err(format!(
                "{}: the binary printed {got:?}, the library {expected:?}",
                w.name
            ));
        }
    }
    if opts.bless {
        // Show what changes against the old baseline, if there is one, then replace it.
        let base = load(&opts.baseline).unwrap_or_default();
        println!("{}", table(&diff(&base, &now, opts.threshold)));
        save(&opts.baseline, &now)?;
        println!("perf gate: wrote {}", opts.baseline.display());
        return Ok(());
    }
    let base = load(&opts.baseline)?;
    let rows = diff(&base, &now, opts.threshold);
    println!("{}", table(&rows));
    let failed: Vec<&str> = rows.iter().filter(|r| r.failed).map(|r| r.name).collect();
    if failed.is_empty() {
        println!(
            "perf gate: ok ({} workloads within +{}% of {})",
            rows.len(),
            opts.threshold,
            opts.baseline.display()
        );
        Ok(())
    } else {
        Err(format!(
            "gate failed for {}: more than +{}% instructions, or a changed size/checksum \
             (after an intended change: `cargo run -p perf --release -- gate --bless`)",
            failed.join(", "),
            opts.threshold
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u64, ir: u64) -> Entry {
        Entry {
            n,
            checksum: "1".into(),
            instructions: ir,
        }
    }

    #[test]
    fn flags_regressions_beyond_threshold_only() {
        let mut base = BTreeMap::new();
        let mut now = BTreeMap::new();
        base.insert("fib".to_string(), entry(25, 1000));
        now.insert("fib".to_string(), entry(25, 1049));
        base.insert("sort".to_string(), entry(10, 1000));
        now.insert("sort".to_string(), entry(10, 1051));
        base.insert("calls".to_string(), entry(10, 1000));
        now.insert("calls".to_string(), entry(10, 500));
        now.insert("sieve".to_string(), entry(10, 500));
        let rows = diff(&base, &now, 5.0);
        let status: Vec<(&str, bool)> = rows.iter().map(|r| (r.name, r.failed)).collect();
        assert_eq!(
            status,
            vec![
                ("fib", false),
                ("sort", true),
                ("sieve", true),
                ("calls", false)
            ]
        );
        assert!(table(&rows).contains("+5.10%"));
    }

    #[test]
    fn groups_digits() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1234567), "1,234,567");
    }
}
