//! Runs every case under `conformance/cases/` against the release `orus` binary, once as
//! written and once more with the optimizer off (`-O0`): both runs must match the same
//! expectations. See `conformance/CASES.md` for the case format and `harness/` for the
//! runner.

use harness::Arguments;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    harness::Suite::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"))
        .also_with_flags(["-O0"])
        .run(&Arguments::from_args())
}
