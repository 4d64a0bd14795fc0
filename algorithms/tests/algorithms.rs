//! Runs every fixture under `algorithms/fixtures/` against the release `orus` binary; the
//! case format is that of `conformance/CASES.md` and the runner is `harness/`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    harness::main_for(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
}
