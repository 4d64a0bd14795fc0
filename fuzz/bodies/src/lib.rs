//! The fuzz targets of Orus, written as ordinary functions so that the stable toolchain can
//! replay them: `targets` holds one body per cargo-fuzz target (`lexer`, `parser`, `typeck`,
//! `vm`, `opt_diff`), each taking the fuzzer's bytes and panicking when an invariant breaks;
//! `invariants` holds the checks they share (spans inside the source, diagnostics with a
//! code, no internal errors, compiled bytecode that passes the verifier and never reads a
//! register before writing it, see `regs`); `gen` turns bytes into a well-typed Orus program
//! so that the VM targets reach deep code rather than stopping at a parse error.
//!
//! This crate knows Orus only through the public API of the `orus` library; it does not
//! depend on libFuzzer. The cargo-fuzz crate in `fuzz/` wraps each body in `fuzz_target!`,
//! and `tests/replay.rs` runs every committed input of `fuzz/regressions/` and a fixed set
//! of generated programs through the same bodies. `fuzz/README.md` has the commands.

pub mod gen;
pub mod invariants;
pub mod regs;
pub mod targets;
