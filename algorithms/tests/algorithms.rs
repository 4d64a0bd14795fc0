//! Runs every fixture under `algorithms/fixtures/` against the release `orus` binary; the
//! case format is that of `conformance/CASES.md` and the runner is `harness/`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Every fixture runs twice: as written and with the optimizer off (`-O0`).
    harness::Suite::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
        .also_with_flags(["-O0"])
        .run(&harness::Arguments::from_args())
}
