//! Runs every case under `conformance/cases/` against the release `orus` binary; see
//! `conformance/CASES.md` for the case format and `harness/` for the runner.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    harness::main_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
}
