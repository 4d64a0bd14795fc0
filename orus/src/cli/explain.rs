//! `orus --explain E2001`: prints one code's entry of `docs/errors.md`, which is compiled
//! into the binary so the explanation always matches the code table it was built with.
//!
//! The entry is the code's table row (title, example message, meaning) and, when the
//! document has one, its `### E2001` example section. Tests at the bottom check that every
//! code has both.

use orus::diag::Code;

/// The error code reference, embedded at build time.
pub const ERRORS_MD: &str = include_str!("../../../docs/errors.md");

/// The explanation of `query` (`E2001`, `e2001` or `2001`), or `None` for an unknown code.
pub fn explain(query: &str) -> Option<String> {
    let code = normalise(query)?;
    let row = table_row(&code)?;
    let mut text = format!("{code}: {}\n", row.title);
    if let Some(known) = Code::ALL.iter().find(|c| c.to_string() == code) {
        let exit = match known.category() {
            orus::diag::Category::Runtime => 70,
            _ => 65,
        };
        text.push_str(&format!(
            "Reported as: {} (exit code {exit})\n",
            known.category().label()
        ));
    }
    text.push_str(&format!("\n{}\n", sentence(&row.meaning)));
    text.push_str(&format!("\nExample message:\n    {}\n", row.message));
    if let Some(example) = example_section(&code) {
        text.push_str("\nExample:\n");
        text.push_str(&example);
    }
    Some(text)
}

/// One row of an error table.
struct Row {
    title: String,
    message: String,
    meaning: String,
}

/// `E2001` from `E2001`, `e2001` or `2001`.
fn normalise(query: &str) -> Option<String> {
    let digits = query
        .trim()
        .strip_prefix(['E', 'e'])
        .unwrap_or(query.trim());
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("E{digits}"))
}

/// Finds `| E2001 | title | message | meaning |` and splits it into cells. Cells may contain
/// `\|` (an escaped bar inside code).
fn table_row(code: &str) -> Option<Row> {
    let prefix = format!("| {code} |");
    let line = ERRORS_MD.lines().find(|l| l.starts_with(&prefix))?;
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().trim_matches('|').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => cell.push(chars.next().unwrap_or('|')),
            '|' => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    let cell = |i: usize| cells.get(i).map_or(String::new(), |c| c.trim().to_string());
    Some(Row {
        title: cell(1),
        message: unquote(&cell(2)),
        meaning: cell(3),
    })
}

/// Removes the Markdown code quotes around a table cell: `` `x` `` and ``` `` a `b` `` ```.
fn unquote(cell: &str) -> String {
    for fence in ["``", "`"] {
        if let Some(inner) = cell.strip_prefix(fence).and_then(|c| c.strip_suffix(fence)) {
            return inner.trim().to_string();
        }
    }
    cell.to_string()
}

/// Capitalises the meaning and ends it with a full stop.
fn sentence(meaning: &str) -> String {
    let mut chars = meaning.chars();
    let mut text = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
        None => return String::new(),
    };
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// The body of the `### E2001 …` section under `## Examples`, with code blocks indented
/// and their fences dropped.
fn example_section(code: &str) -> Option<String> {
    let examples = &ERRORS_MD[ERRORS_MD.find("\n## Examples")?..];
    let heading = format!("\n### {code}");
    let start = examples.find(&heading)? + heading.len();
    let body = &examples[start..];
    let body = &body[body.find('\n')? + 1..];
    let end = body
        .find("\n### ")
        .or_else(|| body.find("\n## "))
        .unwrap_or(body.len());
    let mut text = String::new();
    let mut in_code = false;
    for line in body[..end].trim().lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            text.push_str("    ");
        }
        text.push_str(line);
        text.push('\n');
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_meaning_an_example_message_and_an_example() {
        for code in Code::ALL {
            let name = code.to_string();
            let row = table_row(&name).unwrap_or_else(|| panic!("no row for {name}"));
            assert_eq!(row.title, code.title(), "{name}");
            assert!(!row.message.is_empty(), "{name} has no example message");
            assert!(!row.meaning.is_empty(), "{name} has no meaning");
            let example = example_section(&name).unwrap_or_else(|| panic!("no example for {name}"));
            assert!(
                example.contains("    "),
                "{name}'s example has no code block"
            );
        }
    }

    #[test]
    fn explains_e2001() {
        let text = explain("e2001").unwrap();
        assert!(text.starts_with("E2001: Type mismatch found\n"), "{text}");
        assert!(text.contains("Reported as: TYPE MISMATCH (exit code 65)"));
        assert!(text.contains("Example message:\n    this is a `i64`, but `i32` was expected\n"));
    }

    #[test]
    fn unknown_codes_are_none() {
        assert!(explain("E4242").is_none());
        assert!(explain("hello").is_none());
        assert!(explain("E20011").is_none());
    }

    #[test]
    fn escaped_bars_stay_in_their_cell() {
        let row = table_row("E1018").unwrap();
        assert!(row.meaning.contains("`||`"), "{}", row.meaning);
    }
}
