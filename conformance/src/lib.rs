//! Golden Orus programs live in `cases/`; `tests/conformance.rs` runs them through the harness.
