//! Keeps `docs/errors.md` honest: every `orus` example program under `## Examples` must
//! report the code of its section when run (examples that cannot run on their own, such
//! as multi-file module errors, are `text` blocks and are not run).

use std::process::{Command, Stdio};

const ERRORS_MD: &str = include_str!("../../docs/errors.md");

/// `(code, program)` for every `### Exxxx` section whose example is an `orus` block.
fn runnable_examples() -> Vec<(String, String)> {
    let examples = &ERRORS_MD[ERRORS_MD
        .find("\n## Examples")
        .expect("an Examples section")..];
    let mut found = Vec::new();
    for section in examples.split("\n### ").skip(1) {
        let code = section.get(..5).unwrap_or_default().to_string();
        let Some(start) = section.find("```orus\n") else {
            continue;
        };
        let body = &section[start + "```orus\n".len()..];
        let end = body.find("\n```").expect("a closed code block");
        found.push((code, body[..end].to_string() + "\n"));
    }
    found
}

#[test]
fn every_runnable_example_reports_its_code() {
    let examples = runnable_examples();
    assert!(
        examples.len() >= 50,
        "only {} runnable examples",
        examples.len()
    );
    let dir = std::env::temp_dir().join(format!("orus-errors-doc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (code, program) in &examples {
        let path = dir.join(format!("{code}.orus"));
        std::fs::write(&path, program).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_orus"))
            .arg("--error-format=short")
            .arg(&path)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expected_exit = if code.starts_with("E0") { 70 } else { 65 };
        if !stderr.contains(&format!("error[{code}]"))
            || output.status.code() != Some(expected_exit)
        {
            failures.push(format!("{code}: exit {:?}\n{stderr}", output.status.code()));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not report their code:\n{}",
        failures.join("\n")
    );
}
