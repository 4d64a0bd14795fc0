//! The stable-toolchain replay of the fuzz targets, part of `cargo test --workspace`.
//!
//! * Every file under `fuzz/regressions/<target>/` goes through that target's body: the
//!   inputs of fixed crashes (named after the bug) and, in `corpus/`, a sample of 50
//!   inputs the fuzzer found (`fuzz/README.md` says how files get here).
//! * Programs generated from a fixed list of pseudo-random byte strings go through the
//!   `vm` target in generator mode and through `opt_diff`, so the generator and the
//!   checker are kept in agreement without running the fuzzer.
//!
//! A failure names the input file (or the generator seed) and the broken invariant; all
//! failures of a target are collected before the test fails.

use orus_fuzz::{gen, targets};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Number of generator seeds replayed per target.
const GENERATED: u64 = 500;

/// Every file under `fuzz/regressions/<target>/`, subdirectories included, sorted.
fn regressions(target: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = vec![];
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../regressions")
            .join(target),
        &mut files,
    );
    files.sort();
    files
}

/// Runs `body` on every regression input of `target`; panics listing the failures.
fn replay(target: &str, body: fn(&[u8])) {
    let files = regressions(target);
    let mut failures = vec![];
    for path in &files {
        let data = std::fs::read(path).expect("reading a regression input");
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| body(&data))) {
            failures.push(format!("{}: {}", path.display(), message(&panic)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} `{target}` inputs fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-string panic".into())
}

/// The bytes of generator seed `seed`: a xorshift stream of a seed-dependent length.
pub fn seed_bytes(seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let len = 16 + (next() % 2048) as usize;
    (0..len).map(|_| next() as u8).collect()
}

fn replay_generated(name: &str, body: impl Fn(&[u8])) {
    let mut failures = vec![];
    for seed in 0..GENERATED {
        let data = seed_bytes(seed);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| body(&data))) {
            failures.push(format!("seed {seed}: {}", message(&panic)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {GENERATED} generated programs fail `{name}`:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn lexer_regressions() {
    replay("lexer", targets::lexer);
}

#[test]
fn parser_regressions() {
    replay("parser", targets::parser);
}

#[test]
fn typeck_regressions() {
    replay("typeck", targets::typeck);
}

#[test]
fn vm_regressions() {
    replay("vm", targets::vm);
}

#[test]
fn opt_diff_regressions() {
    replay("opt_diff", targets::opt_diff);
}

#[test]
fn generated_programs_compile_and_run() {
    replay_generated("vm", |data| {
        let mut input = vec![targets::GENERATOR_MODE];
        input.extend_from_slice(data);
        targets::vm(&input);
    });
}

#[test]
fn generated_programs_agree_with_and_without_optimizer() {
    replay_generated("opt_diff", targets::opt_diff);
}

#[test]
fn generated_programs_exercise_the_language() {
    // The generator must reach the constructs it promises, not only leaves.
    let text: String = (0..GENERATED)
        .map(|s| gen::generate(&seed_bytes(s)))
        .collect();
    for construct in [
        "struct ", "enum ", "impl ", "fn(", "match ", "try:", "catch", "throw ", "while ", "for ",
        "break", "continue", "elif ", " as ", "push(", "pop(", "len(", "global ", "'lbl", "<<",
        "print(",
    ] {
        assert!(
            text.contains(construct),
            "no generated program contains `{construct}`"
        );
    }
}

#[test]
#[should_panic(expected = "broken invariant")]
fn a_panic_on_the_compiler_thread_reaches_the_caller() {
    targets::on_big_stack(|| panic!("broken invariant"));
}

/// Found by the `vm` fuzzer: printing an array that the loop grows did quadratic work on a
/// budget that counted only calls and back-edges, and ran for minutes. Output is now
/// charged to the budget too (one unit per KiB), so the run stops after a bounded amount
/// of printing.
#[test]
fn printing_is_charged_to_the_budget() {
    let source = "xs: [i32] = []\nfor i in 0..100000:\n    push(xs, i)\n    print(xs)\n";
    let outcome = targets::on_big_stack(move || {
        let compiled = targets::compile_checked(source.as_bytes(), true).expect("compiles");
        targets::run_checked(&compiled, source.as_bytes())
    });
    assert_eq!(outcome.end, Some(orus::diag::Code::BudgetExhausted));
    let budget = targets::vm_limits().instruction_budget.unwrap_or(0);
    assert!(
        outcome.printed < (budget + 1) * 1024 * 2,
        "printed {} bytes on a budget of {budget}",
        outcome.printed
    );
}

/// Runs `source` as the `vm` target does (budget, heap cap) and returns how it ended.
fn run_under_budget(source: &'static str) -> targets::RunOutcome {
    targets::on_big_stack(move || {
        let compiled = targets::compile_checked(source.as_bytes(), true).expect("compiles");
        targets::run_checked(&compiled, source.as_bytes())
    })
}

/// A struct that holds the same value twice at every level prints to 2⁴⁰ elements from a
/// few kilobytes of heap. Printing used to build the whole text in memory before writing
/// it (and before charging the budget), so the run grew without bound; now output is
/// written, and charged, as it is formatted.
#[test]
fn printing_an_exponentially_shared_value_stops_at_the_budget() {
    let outcome = run_under_budget(
        "struct Node:\n    kids: [Node]\nmut n = Node{kids: []}\nfor i in 0..40:\n    n = Node{kids: [n, n]}\nprint(n)\n",
    );
    assert_eq!(outcome.end, Some(orus::diag::Code::BudgetExhausted));
    let budget = targets::vm_limits().instruction_budget.unwrap_or(0);
    assert!(
        outcome.printed <= (budget + 64) * 1024,
        "{}",
        outcome.printed
    );
}

/// The same sharing through enum payloads gives `==` 2⁴⁰ paths over 41 distinct pairs:
/// it remembers the pairs it has met, so the comparison ends well inside the budget
/// (it used to run until the budget stopped it).
#[test]
fn comparing_exponentially_shared_enums_is_linear() {
    let outcome = run_under_budget(
        "enum T:\n    Leaf\n    Two(T, T)\nmut t = T.Leaf\nmut u = T.Leaf\nfor i in 0..40:\n    t = T.Two(t, t)\n    u = T.Two(u, u)\nprint(t == u)\n",
    );
    assert_eq!(outcome.end, None);
    assert_eq!(outcome.printed, 5, "`true` and a newline");
}
