//! cargo-fuzz entry for the `typeck` target; the body and its invariants are
//! `orus_fuzz::targets::typeck` (fuzz/bodies/src/targets.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| orus_fuzz::targets::typeck(data));
