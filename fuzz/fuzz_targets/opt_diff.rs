//! cargo-fuzz entry for the `opt_diff` target; the body and its invariants are
//! `orus_fuzz::targets::opt_diff` (fuzz/bodies/src/targets.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| orus_fuzz::targets::opt_diff(data));
