//! cargo-fuzz entry for the `vm` target; the body and its invariants are
//! `orus_fuzz::targets::vm` (fuzz/bodies/src/targets.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| orus_fuzz::targets::vm(data));
