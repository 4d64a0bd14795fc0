//! Comparing what a run produced with what its case expects, and blessing output files.
//!
//! Four things are checked, and every mismatch is reported together so one run shows the
//! whole picture: the exit code, the set of reported errors (read from the report headers
//! on stderr), stdout against `<stem>.stdout`, and stderr against `<stem>.stderr` when that
//! file exists. Blessing rewrites only the output files; annotations and exit codes come
//! from the spec and are never written by the harness. This module does not start
//! processes. Unit tests are at the bottom; end-to-end tests are in `lib.rs`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use similar::TextDiff;

use crate::case::{is_error_code, Case, ErrorAt, Expectations};
use crate::run::{Finished, Termination};

/// Longest diff or stderr excerpt shown in a failure, in lines; a runaway program should
/// not bury the other failures.
const MAX_SHOWN_LINES: usize = 200;

/// What the checker needs to know beyond the case and the run.
pub struct CheckContext<'a> {
    /// Rewrite output files instead of failing on them.
    pub bless: bool,
    /// The command that blesses this case, shown when output differs.
    pub bless_command: &'a str,
    /// The command that reproduces the run, shown in every failure.
    pub reproduce: &'a str,
}

/// Checks a finished run against its expectations, blessing output files if asked.
/// Returns the failure text, or `Ok` when everything matched.
pub fn check(
    case: &Case,
    expected: &Expectations,
    run: &Finished,
    context: &CheckContext<'_>,
) -> Result<(), String> {
    let mut report = String::new();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);

    let exit_ok = match run.termination {
        Termination::Exited(code) => code == expected.exit_code(),
        _ => false,
    };
    if let Termination::TimedOut(_) = run.termination {
        let _ = writeln!(
            report,
            "{}: the program was killed as a hang",
            run.termination
        );
    } else if !exit_ok {
        let _ = writeln!(
            report,
            "expected exit code {}, got {}",
            expected.exit_code(),
            run.termination
        );
    }

    let errors_ok = compare_errors(&expected.errors, &reported_errors(&stderr), &mut report);

    // Partial output of a killed program is not worth a diff or a bless.
    let mut blessable = false;
    if !matches!(run.termination, Termination::TimedOut(_)) {
        let stdout_path = case.sibling("stdout");
        blessable |= compare_output("stdout", &stdout_path, &stdout, true, context, &mut report);
        let stderr_path = case.sibling("stderr");
        if stderr_path.exists() {
            blessable |=
                compare_output("stderr", &stderr_path, &stderr, false, context, &mut report);
        }
    }

    if report.is_empty() {
        return Ok(());
    }
    if !exit_ok || !errors_ok {
        let _ = writeln!(report, "\nactual stderr:\n{}", excerpt(&stderr));
    }
    let _ = writeln!(report, "\nreproduce: {}", context.reproduce);
    if blessable {
        let _ = writeln!(report, "bless the output files: {}", context.bless_command);
    }
    if !exit_ok || !errors_ok {
        let _ = writeln!(
            report,
            "(exit codes and error annotations are never blessed: fix the case or the compiler)"
        );
    }
    Err(report)
}

/// Compares expected and reported errors as multisets, listing the difference in `report`.
/// Returns whether they matched.
fn compare_errors(expected: &[ErrorAt], reported: &[ErrorAt], report: &mut String) -> bool {
    let mut balance: BTreeMap<&ErrorAt, isize> = BTreeMap::new();
    for error in expected {
        *balance.entry(error).or_default() += 1;
    }
    for error in reported {
        *balance.entry(error).or_default() -= 1;
    }
    let mut missing = Vec::new();
    let mut unexpected = Vec::new();
    for (error, count) in balance {
        let list = if count > 0 {
            &mut missing
        } else {
            &mut unexpected
        };
        for _ in 0..count.unsigned_abs() {
            list.push(error);
        }
    }
    // Listed in source order, which is how a reader walks the case to fix it.
    let source_order = |e: &&ErrorAt| (e.file.clone(), e.line, e.code.clone());
    missing.sort_by_key(source_order);
    unexpected.sort_by_key(source_order);
    for error in &missing {
        let _ = writeln!(report, "missing error    {error}");
    }
    for error in &unexpected {
        let _ = writeln!(report, "unexpected error {error}");
    }
    missing.is_empty() && unexpected.is_empty()
}

/// Compares one output stream with its expectation file, or blesses the file when asked.
/// Returns whether a mismatch was reported that blessing would fix.
///
/// A missing stdout file means "expects empty stdout", so blessing an empty stdout deletes
/// the file rather than create an empty one (`missing_is_empty`). A stderr file is only
/// ever rewritten, never created: whether to pin the full report is the author's choice,
/// and the caller only compares stderr when its file exists.
fn compare_output(
    stream: &str,
    path: &Path,
    actual: &str,
    missing_is_empty: bool,
    context: &CheckContext<'_>,
    report: &mut String,
) -> bool {
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let expected = match fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound && missing_is_empty => String::new(),
        Err(e) => {
            let _ = writeln!(report, "cannot read {}: {e}", path.display());
            return false;
        }
    };
    if expected == actual {
        return false;
    }
    if context.bless {
        let result = if actual.is_empty() && missing_is_empty {
            match fs::remove_file(path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                other => other,
            }
        } else {
            fs::write(path, actual)
        };
        if let Err(e) = result {
            let _ = writeln!(report, "cannot bless {}: {e}", path.display());
        }
        return false;
    }
    let diff = TextDiff::from_lines(expected.as_str(), actual);
    let shown = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("expected {file_name}"),
            &format!("actual {stream}"),
        )
        .to_string();
    let _ = writeln!(
        report,
        "{stream} differs from {file_name}:\n{}",
        excerpt(&shown)
    );
    true
}

/// The reported errors in a program's stderr, in the order they appear.
///
/// Two line shapes count. The report header
/// `-- TYPE MISMATCH [E2001]: Type mismatch found ------ x.orus:3:13`, and the short form
/// `x.orus:3:13: error[E2001]: message`. A header without a location cannot be annotated,
/// so it is left to the exit code and the `.stderr` file to pin.
pub fn reported_errors(stderr: &str) -> Vec<ErrorAt> {
    stderr
        .lines()
        .filter_map(|line| parse_header(line).or_else(|| parse_short(line)))
        .collect()
}

/// Parses `-- TITLE [E2001]: message ------ file:LINE:COL`.
fn parse_header(line: &str) -> Option<ErrorAt> {
    let line = line.trim_end();
    if !line.starts_with("-- ") {
        return None;
    }
    let code = bracketed_code(line)?;
    let location = line.rsplit(char::is_whitespace).next()?;
    let (file, line_number) = parse_location(location)?;
    Some(ErrorAt {
        file,
        code,
        line: line_number,
    })
}

/// Parses `file:LINE:COL: error[E2001]: message`.
fn parse_short(line: &str) -> Option<ErrorAt> {
    let (location, rest) = line.split_once(": error[")?;
    let code = rest
        .get(..5)
        .filter(|c| is_error_code(c) && rest[5..].starts_with(']'))?;
    let (file, line_number) = parse_location(location)?;
    Some(ErrorAt {
        file,
        code: code.to_string(),
        line: line_number,
    })
}

/// Finds the first `[E1234]` in `text`.
fn bracketed_code(text: &str) -> Option<String> {
    text.match_indices("[E").find_map(|(at, _)| {
        let candidate = text.get(at + 1..at + 6)?;
        (is_error_code(candidate) && text[at + 6..].starts_with(']')).then(|| candidate.to_string())
    })
}

/// Parses `file:LINE:COL` into the file (normalised to `/` separators, without a leading
/// `./`) and the line.
fn parse_location(location: &str) -> Option<(String, usize)> {
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?;
    let line = parts.next()?;
    let file = parts.next().filter(|f| !f.is_empty())?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(column) || !digits(line) {
        return None;
    }
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file).to_string();
    Some((file, line.parse().ok()?))
}

/// `text`, cut to `MAX_SHOWN_LINES` lines with a note saying how much was left out.
fn excerpt(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return "(empty)".to_string();
    }
    if lines.len() <= MAX_SHOWN_LINES {
        return text.trim_end_matches('\n').to_string();
    }
    let hidden = lines.len() - MAX_SHOWN_LINES;
    format!(
        "{}\n... ({hidden} more lines)",
        lines[..MAX_SHOWN_LINES].join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(file: &str, code: &str, line: usize) -> ErrorAt {
        ErrorAt {
            file: file.into(),
            code: code.into(),
            line,
        }
    }

    #[test]
    fn header_yields_code_file_and_line() {
        let header = "-- TYPE MISMATCH [E2001]: Type mismatch found ------ x.orus:3:13";
        assert_eq!(parse_header(header), Some(at("x.orus", "E2001", 3)));
        let nested = "-- MODULE ERROR [E3001]: Cannot find it --- ./lib/m.orus:12:1  ";
        assert_eq!(parse_header(nested), Some(at("lib/m.orus", "E3001", 12)));
    }

    #[test]
    fn lines_that_are_not_located_headers_are_ignored() {
        for line in [
            "-- TYPE MISMATCH: no code ------ x.orus:3:13",
            "-- TYPE MISMATCH [E201]: short code ------ x.orus:3:13",
            "-- TYPE MISMATCH [E2001]: no location ------",
            "-- TYPE MISMATCH [E2001]: bad location ------ x.orus:3:",
            "-- TYPE MISMATCH [E2001]: bad location ------ :3:4",
            "   -- TYPE MISMATCH [E2001]: indented ------ x.orus:3:13",
            "3 | x = [E2001] -- x.orus:3:13",
        ] {
            assert_eq!(parse_header(line), None, "{line}");
        }
    }

    #[test]
    fn short_format_lines_count_as_reports() {
        let stderr = "x.orus:4:2: error[E1014]: Undefined variable 'x'\n\
                      x.orus:4:2: warning[E1014]: not an error\n\
                      x.orus:4:2: error[E10]: malformed\n\
                      -- SYNTAX ERROR [E1002]: Unterminated string ------ x.orus:7:1\n";
        assert_eq!(
            reported_errors(stderr),
            [at("x.orus", "E1014", 4), at("x.orus", "E1002", 7)]
        );
    }

    #[test]
    fn errors_compare_as_multisets() {
        let mut report = String::new();
        let expected = [
            at("a.orus", "E2001", 3),
            at("a.orus", "E2001", 3),
            at("a.orus", "E1002", 1),
        ];
        let reported = [
            at("a.orus", "E2001", 3),
            at("a.orus", "E1014", 5),
            at("a.orus", "E1002", 1),
        ];
        assert!(!compare_errors(&expected, &reported, &mut report));
        assert_eq!(
            report,
            "missing error    E2001 at a.orus:3\nunexpected error E1014 at a.orus:5\n"
        );
        assert!(compare_errors(
            &expected[1..],
            &expected[1..],
            &mut String::new()
        ));
    }

    #[test]
    fn long_text_is_cut() {
        let text: String = (0..250).map(|i| format!("{i}\n")).collect();
        let shown = excerpt(&text);
        assert!(shown.ends_with("199\n... (50 more lines)"), "{shown}");
        assert_eq!(excerpt(""), "(empty)");
    }
}
