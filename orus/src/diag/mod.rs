//! Diagnostics: the structured error value every stage returns, and its rendering in the
//! layout of spec §17.2 with the code in the header (decision D3).
//!
//! A report has one primary span (caret `^`), optional secondary labels (`-`), and
//! `help:`/`note:` lines; a diagnostic without its own help shows its code's general advice
//! (`advice.rs`). The layout is written here rather than with a rendering crate
//! (codespan-reporting, ariadne, annotate-snippets): each of those imposes its own header
//! and gutter, while §17.2 fixes ours to the column and the harness parses it.
//!
//! This module knows source text only as bytes plus byte-offset spans; it knows nothing
//! of tokens, types or bytecode. Rendering tests live at the bottom of this file.

mod advice;
mod code;

pub use advice::general_help;
pub use code::{Category, Code};

use std::fmt::Write as _;

/// A half-open byte range `start..end` in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start.min(u32::MAX as usize) as u32,
            end: end.min(u32::MAX as usize) as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One error report: what went wrong, where, and what might fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// The source file the span belongs to, when a program has several (modules); `None`
    /// means the file being compiled.
    pub file: Option<u32>,
    /// Secondary locations in the same file, each with a short text ("first defined
    /// here"); printed under the primary caret line.
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub note: Option<String>,
}

/// A secondary location of a diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            span,
            file: None,
            labels: Vec::new(),
            help: None,
            note: None,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }
}

/// Line/column lookup for one source file. The index of line starts is made at the first
/// lookup: a compilation without diagnostics never needs it (indexing a 100 000-line file
/// cost about 1 % of compiling it).
pub struct SourceMap<'a> {
    pub name: &'a str,
    pub text: &'a [u8],
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(name: &'a str, text: &'a [u8]) -> SourceMap<'a> {
        SourceMap {
            name,
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// The offset where each line starts (the first is 0).
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(self.text))
    }

    /// 1-based line and column of a byte offset. The column counts characters (a tab is
    /// one, each byte of invalid UTF-8 is one), as editors do.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let (line, start, offset) = self.locate(offset);
        let prefix = &self.text[start..offset];
        let col = if prefix.is_ascii() {
            prefix.len()
        } else {
            String::from_utf8_lossy(prefix).chars().count()
        };
        (line + 1, col + 1)
    }

    /// 1-based byte column of a byte offset in its line.
    pub fn byte_col(&self, offset: u32) -> usize {
        let (_, start, offset) = self.locate(offset);
        offset - start + 1
    }

    /// The 0-based line of `offset` (clamped to the text), the line's start, and `offset`.
    fn locate(&self, offset: u32) -> (usize, usize, usize) {
        let offset = (offset as usize).min(self.text.len());
        let starts = self.line_starts();
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        (line, starts[line], offset)
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: usize) -> Option<&'a [u8]> {
        let starts = self.line_starts();
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
        let mut text = &self.text[start..end.max(start)];
        if let [rest @ .., b'\r'] = text {
            text = rest;
        }
        Some(text)
    }
}

/// The offset where each line of `text` starts (the first is 0).
fn line_starts(text: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    // Eight bytes at a time: a word without a `\n` (the common case) costs a few
    // operations instead of eight compares. `x - 0x01..` & `!x` & `0x80..` is non-zero
    // exactly when some byte of `x` is zero.
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const NEWLINES: u64 = u64::from_ne_bytes([b'\n'; 8]);
    let mut chunks = text.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("8 bytes")) ^ NEWLINES;
        if word.wrapping_sub(ONES) & !word & HIGHS != 0 {
            for (i, &b) in chunk.iter().enumerate() {
                if b == b'\n' {
                    starts.push(at + i + 1);
                }
            }
        }
        at += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            starts.push(at + i + 1);
        }
    }
    starts
}

/// How reports are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorFormat {
    /// The multi-line layout of spec §17.2.
    #[default]
    Long,
    /// One line per error: `file:line:col: error[E2001]: message`.
    Short,
}

/// Rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct RenderOptions {
    pub format: ErrorFormat,
    pub color: bool,
}

const RED: &str = "\x1b[0;31m";
const BOLD: &str = "\x1b[1m";
const CYAN: &str = "\x1b[0;36m";
const GREEN: &str = "\x1b[0;32m";
const RESET: &str = "\x1b[0m";

/// Widest source line shown whole under a diagnostic; a longer one is cut to a window
/// around the caret.
const MAX_SHOWN_COLUMNS: usize = 160;

/// A source line as printed under a diagnostic, and the caret's offset in it: tabs become
/// four spaces (spec §3) and each character, not byte, takes one column, so the caret
/// lands under its token; a very long line shows only the part around the caret.
fn shown_line(text: &[u8], byte_col: usize) -> (String, usize) {
    let before = String::from_utf8_lossy(&text[..byte_col.saturating_sub(1).min(text.len())]);
    let width = |c: char| if c == '\t' { TAB_COLUMNS } else { 1 };
    let caret: usize = before.chars().map(width).sum();
    let mut shown = String::with_capacity(text.len());
    for c in String::from_utf8_lossy(text).chars() {
        match c {
            '\t' => shown.push_str(&" ".repeat(TAB_COLUMNS)),
            // A control character (an escape sequence in a comment, say) is shown as one
            // replacement character: echoed raw it would act on the user's terminal.
            c if c.is_control() => shown.push('\u{FFFD}'),
            c => shown.push(c),
        }
    }
    let total = shown.chars().count();
    if total <= MAX_SHOWN_COLUMNS {
        return (shown, caret.min(total));
    }
    let start = caret.saturating_sub(MAX_SHOWN_COLUMNS / 2);
    let end = (start + MAX_SHOWN_COLUMNS).min(total);
    let mut window = String::new();
    let mut offset = caret - start;
    if start > 0 {
        window.push_str("...");
        offset += 3;
    }
    window.extend(shown.chars().skip(start).take(end - start));
    if end < total {
        window.push_str("...");
    }
    (window, offset)
}

/// Columns a tab takes in a shown source line.
const TAB_COLUMNS: usize = 4;

/// A message as a report shows it, on one line: a thrown string may hold any text, and a
/// line break in it would break the report's layout (and the short format's one line per
/// error), a terminal escape would act on the terminal. Control characters are written
/// as escapes (`\n`, `\x1b`); an empty message says so.
fn one_line(message: &str) -> std::borrow::Cow<'_, str> {
    if message.is_empty() {
        return "(empty message)".into();
    }
    if !message.chars().any(|c| c.is_ascii_control()) {
        return message.into();
    }
    let mut shown = String::with_capacity(message.len() + 8);
    for c in message.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(shown, "\\x{:02x}", c as u32);
            }
            c => shown.push(c),
        }
    }
    shown.into()
}

/// Renders one diagnostic as text ending in a newline.
pub fn render(diag: &Diagnostic, source: &SourceMap<'_>, options: RenderOptions) -> String {
    let (line, col) = source.line_col(diag.span.start);
    let mut out = String::new();
    let message = one_line(&diag.message);
    if options.format == ErrorFormat::Short {
        let _ = writeln!(
            out,
            "{}:{line}:{col}: error[{}]: {}",
            source.name, diag.code, message
        );
        return out;
    }
    let paint = |style: &'static str| if options.color { style } else { "" };
    let reset = paint(RESET);
    let category = diag.code.category().label();
    let title = diag.code.title();
    let dashes = 56usize.saturating_sub(category.len() + title.len()).min(50);
    let _ = writeln!(
        out,
        "{}-- {category} [{}]: {title} {reset}{} {}:{line}:{col}",
        paint(RED),
        diag.code,
        "-".repeat(dashes),
        source.name
    );
    out.push('\n');
    match source.line_text(line) {
        Some(text) => {
            let (text, indent) = shown_line(text, source.byte_col(diag.span.start));
            let _ = writeln!(out, "{}{line:>3}{reset} | {text}", paint(BOLD));
            let _ = writeln!(
                out,
                "      | {}{}^{reset} {}",
                " ".repeat(indent),
                paint(RED),
                message
            );
        }
        None => {
            out.push_str("      | (source line not available)\n");
            let _ = writeln!(
                out,
                "      | {}{}^{reset} {}",
                " ".repeat(col - 1),
                paint(RED),
                message
            );
        }
    }
    for label in &diag.labels {
        let (line, _) = source.line_col(label.span.start);
        if let Some(text) = source.line_text(line) {
            let (text, indent) = shown_line(text, source.byte_col(label.span.start));
            let _ = writeln!(out, "{}{line:>3}{reset} | {text}", paint(BOLD));
            let _ = writeln!(
                out,
                "      | {}{}-{reset} {}",
                " ".repeat(indent),
                paint(CYAN),
                label.message
            );
        }
    }
    out.push_str("      |\n");
    let _ = writeln!(out, "      = {message}");
    // A stage with nothing specific to suggest leaves the help to the code's general advice.
    if let Some(help) = diag.help.as_deref().or_else(|| general_help(diag.code)) {
        let _ = writeln!(out, "      = {}help{reset}: {help}", paint(CYAN));
    }
    if let Some(note) = &diag.note {
        let _ = writeln!(out, "      = {}note{reset}: {note}", paint(GREEN));
    }
    out.push('\n');
    out
}

/// Sorts diagnostics by position and drops exact repeats (spec Q36: print each once).
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by_key(|d| (d.file, d.span.start, d.code));
    diags.dedup_by(|a, b| a.file == b.file && a.span.start == b.span.start && a.code == b.code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_stays_on_its_line() {
        let src = b"throw msg\n";
        let map = SourceMap::new("t.orus", src);
        let diag = Diagnostic::new(Code::Thrown, Span::new(0, 5), "line1\nline2\x1b[2J");
        for format in [ErrorFormat::Short, ErrorFormat::Long] {
            let options = RenderOptions {
                format,
                color: false,
            };
            let text = render(&diag, &map, options);
            assert!(text.contains("line1\\nline2\\x1b[2J"), "{text}");
            assert!(!text.contains('\x1b'));
            if format == ErrorFormat::Short {
                assert_eq!(text.lines().count(), 1, "{text}");
            }
        }
        let empty = Diagnostic::new(Code::Thrown, Span::new(0, 5), "");
        let text = render(&empty, &map, RenderOptions::default());
        assert!(text.contains("^ (empty message)"), "{text}");
    }

    #[test]
    fn control_characters_are_not_echoed_raw() {
        // `print(y) // ESC]0;title BEL`: the escape would retitle or clear the terminal.
        let (shown, caret) = shown_line(b"print(y) // \x1b]0;PWNED\x07\x1b[2J", 7);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(caret, 6);
        assert_eq!(shown.chars().count(), 26, "one column per character");
    }

    #[test]
    fn a_long_line_is_shown_as_a_window_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let (shown, caret) = shown_line(line.as_bytes(), 5001);
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert!(shown.chars().count() <= MAX_SHOWN_COLUMNS + 6);
        assert_eq!(shown.chars().nth(caret), Some('X'));
        // Tabs widen to four columns and a character is one column, whatever its bytes.
        let (shown, caret) = shown_line("\té*x".as_bytes(), 5);
        assert_eq!((shown.as_str(), caret), ("    é*x", 6));
    }

    #[test]
    fn line_index_finds_every_newline_at_every_offset() {
        // Newlines at each position of an 8-byte word, runs of them, bytes that differ
        // from `\n` by one bit, and a tail shorter than a word.
        let mut text = Vec::new();
        for k in 0..40u8 {
            text.resize(text.len() + usize::from(k % 11), b'a' + k % 26);
            text.push(if k % 7 == 0 { 0x0B } else { b'\n' });
            if k % 5 == 0 {
                text.extend_from_slice(b"\n\n\x8a\x0a");
            }
        }
        let want: Vec<usize> = std::iter::once(0)
            .chain(
                text.iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        for cut in 0..text.len() {
            let map = SourceMap::new("t", &text[..cut]);
            let expect: Vec<usize> = want.iter().copied().filter(|&s| s <= cut).collect();
            assert_eq!(map.line_starts(), expect, "prefix of {cut} bytes");
        }
    }

    #[test]
    fn renders_the_spec_sample() {
        let src = b"total = 1\nlabel = \"n\"\nprint(total + label)\n";
        let map = SourceMap::new("sample.orus", src);
        let diag = Diagnostic::new(
            Code::TypeMismatch,
            Span::new(34, 35),
            "this is a `string`, but `i32` was expected",
        )
        .with_help("Try converting one value to match the other's type.");
        let text = render(&diag, &map, RenderOptions::default());
        let expected = "\
-- TYPE MISMATCH [E2001]: Type mismatch found ------------------------ sample.orus:3:13

  3 | print(total + label)
      |             ^ this is a `string`, but `i32` was expected
      |
      = this is a `string`, but `i32` was expected
      = help: Try converting one value to match the other's type.

";
        assert_eq!(text, expected);
    }

    #[test]
    fn labels_show_their_lines_and_missing_help_falls_back_to_advice() {
        let src = b"mut n = 1\nmut n = 2\n";
        let map = SourceMap::new("r.orus", src);
        let diag = Diagnostic::new(
            Code::Redeclared,
            Span::new(14, 15),
            "Variable 'n' is already defined on line 1",
        )
        .with_label(Span::new(4, 5), "first defined here");
        let text = render(&diag, &map, RenderOptions::default());
        let expected = "\
-- SYNTAX ERROR [E1016]: This variable name is already taken --------- r.orus:2:5

  2 | mut n = 2
      |     ^ Variable 'n' is already defined on line 1
  1 | mut n = 1
      |     - first defined here
      |
      = Variable 'n' is already defined on line 1
      = help: Choose another name, or assign to the existing variable without redeclaring it.

";
        assert_eq!(text, expected);
    }

    #[test]
    fn short_format_is_one_line() {
        let map = SourceMap::new("a.orus", b"x\n");
        let diag = Diagnostic::new(
            Code::UndefinedName,
            Span::new(0, 1),
            "Undefined variable 'x'.",
        );
        let text = render(
            &diag,
            &map,
            RenderOptions {
                format: ErrorFormat::Short,
                color: false,
            },
        );
        assert_eq!(text, "a.orus:1:1: error[E1014]: Undefined variable 'x'.\n");
    }

    #[test]
    fn line_col_handles_end_of_file_and_crlf() {
        let map = SourceMap::new("f", b"ab\r\ncd");
        assert_eq!(map.line_col(0), (1, 1));
        assert_eq!(map.line_col(4), (2, 1));
        assert_eq!(map.line_col(99), (2, 3));
        assert_eq!(map.line_text(1), Some(&b"ab"[..]));
        assert_eq!(map.line_text(3), None);
    }
}
