//! The Orus benchmark suite: the workload table shared by the `perf` binary (`compare`,
//! `gate`, `nightly`), the criterion and gungraun benches and the checksum test.
//!
//! Every workload is one file per language in `perf/workloads/` (`NAME.orus`, `NAME.py`,
//! `NAME.lua`) computing the same checksum, printed as one line on stdout. Each file has a
//! size constant on a line of its own (`N = 30`, `local N = 30` in Lua) holding the full
//! size used by `compare`; [`with_size`] rewrites it, which is how the gate and the tests run
//! the same programs at smaller sizes.

pub mod gen;

use std::path::{Path, PathBuf};

/// One benchmark program and the sizes it is run at.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// File stem in `perf/workloads/`.
    pub name: &'static str,
    /// What it exercises, for the report.
    pub what: &'static str,
    /// The `N` written in the files: ~0.3–1 s in CPython on the reference machine.
    pub full: u64,
    /// The `N` for instruction counts (gate, gungraun, criterion): 1/10 to 1/20 of the work.
    pub gate: u64,
    /// The `N` for the checksum test: a few milliseconds.
    pub test: u64,
}

/// All workloads, in report order.
pub const WORKLOADS: &[Workload] = &[
    Workload {
        name: "fib",
        what: "recursive Fibonacci (calls, compare, add)",
        full: 33,
        gate: 27,
        test: 12,
    },
    Workload {
        name: "int_loop",
        what: "tight integer loop (+ - * / % ^ & >>)",
        full: 2_500_000,
        gate: 250_000,
        test: 1_000,
    },
    Workload {
        name: "matmul",
        what: "nested loops: integer matrix multiply on arrays of arrays",
        full: 220,
        gate: 74,
        test: 6,
    },
    Workload {
        name: "sort",
        what: "hand-written recursive quicksort of an i32 array",
        full: 300_000,
        gate: 20_000,
        test: 300,
    },
    Workload {
        name: "sieve",
        what: "sieve of Eratosthenes on a bool array",
        full: 5_000_000,
        gate: 300_000,
        test: 1_000,
    },
    Workload {
        name: "strings",
        what: "string building: concat, int→string, len, index, ==",
        full: 3_000_000,
        gate: 150_000,
        test: 500,
    },
    Workload {
        name: "calls",
        what: "many small function calls (3 per iteration)",
        full: 3_000_000,
        gate: 200_000,
        test: 1_000,
    },
    Workload {
        name: "mandelbrot",
        what: "f64 kernel: Mandelbrot iteration counts",
        full: 450,
        gate: 95,
        test: 8,
    },
    Workload {
        name: "structs",
        what: "struct field reads and writes, a method call",
        full: 4_000,
        gate: 120,
        test: 2,
    },
    Workload {
        name: "closures",
        what: "closure calls: captured values, a mutable capture, higher-order call",
        full: 3_000_000,
        gate: 150_000,
        test: 1_000,
    },
];

/// Finds a workload by name.
pub fn workload(name: &str) -> Option<&'static Workload> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// The languages every workload is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Orus,
    Python,
    Lua,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Orus, Lang::Python, Lang::Lua];

    pub fn ext(self) -> &'static str {
        match self {
            Lang::Orus => "orus",
            Lang::Python => "py",
            Lang::Lua => "lua",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Lang::Orus => "Orus",
            Lang::Python => "Python",
            Lang::Lua => "Lua",
        }
    }
}

/// The workspace root (parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("perf/ is inside the workspace")
        .to_path_buf()
}

/// `perf/workloads/`.
pub fn workloads_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workloads")
}

/// The source of workload `name` in `lang`.
pub fn source(name: &str, lang: Lang) -> std::io::Result<String> {
    std::fs::read_to_string(workloads_dir().join(format!("{name}.{}", lang.ext())))
}

/// Reads the size constant of a workload source: the first line that is `N = <digits>`
/// (optionally preceded by `local `).
pub fn size_of(src: &str) -> Option<u64> {
    src.lines().find_map(|line| {
        let rest = line.strip_prefix("local ").unwrap_or(line);
        let value = rest.strip_prefix("N = ")?;
        value.trim().parse().ok()
    })
}

/// Returns `src` with its size constant replaced by `n`; `None` when it has none.
pub fn with_size(src: &str, n: u64) -> Option<String> {
    let mut done = false;
    let mut out = String::with_capacity(src.len() + 8);
    for line in src.split_inclusive('\n') {
        let (prefix, rest) = match line.strip_prefix("local ") {
            Some(rest) => ("local ", rest),
            None => ("", line),
        };
        let is_size = !done
            && rest.strip_prefix("N = ").is_some_and(|v| {
                !v.trim().is_empty() && v.trim().bytes().all(|b| b.is_ascii_digit())
            });
        if is_size {
            done = true;
            out.push_str(prefix);
            out.push_str(&format!("N = {n}"));
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    done.then_some(out)
}

/// The source of workload `name` in `lang` with size `n`.
pub fn sized_source(name: &str, lang: Lang, n: u64) -> std::io::Result<String> {
    let src = source(name, lang)?;
    with_size(&src, n).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{name}.{} has no `N = <digits>` line", lang.ext()),
        )
    })
}

/// Compiles and runs an Orus program in this process; returns its stdout.
pub fn run_orus_in_process(name: &str, src: &str) -> Result<String, String> {
    let compiled = orus::driver::compile(name, src.as_bytes()).map_err(|diags| {
        let mut msg = format!("{name}: {} compile error(s):", diags.len());
        for d in &diags {
            msg.push_str(&format!("\n  {d:?}"));
        }
        msg
    })?;
    let mut out = Vec::new();
    orus::vm::run(&compiled.program, &orus::vm::VmConfig::default(), &mut out)
        .map_err(|e| format!("{name}: runtime error {e}"))?;
    String::from_utf8(out).map_err(|e| format!("{name}: output is not UTF-8: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_first_size_line() {
        let src = "// N = 3 in a comment\nN = 30\nprint(N)\nN = 4\n";
        assert_eq!(size_of(src), Some(30));
        assert_eq!(
            with_size(src, 7).unwrap(),
            "// N = 3 in a comment\nN = 7\nprint(N)\nN = 4\n"
        );
        let lua = "local N = 30\nprint(N)";
        assert_eq!(with_size(lua, 5).unwrap(), "local N = 5\nprint(N)");
        assert!(with_size("x = 1\n", 5).is_none());
    }
}
