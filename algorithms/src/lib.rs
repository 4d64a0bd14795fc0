//! Algorithm stress fixtures: golden Orus programs under `fixtures/` (sorting and graphs,
//! searching and arrays, recursion and dynamic programming) that print their results,
//! their own instrumentation counters and `ok`/`FAILED` self-checks. `tests/algorithms.rs`
//! runs them through the harness against the release `orus` binary; the Python programs in
//! `reference/` re-implement each fixture independently and produced the `.stdout` files.
