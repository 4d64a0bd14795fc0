//! The parser's diagnostics: reporting (capped, and quiet near a lexer error), the
//! "unexpected token" messages with their help for habits from other languages, and
//! blaming a runaway multi-line string for the errors after it.

use super::{Parser, MAX_ERRORS};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::TokenKind;

impl<'a> Parser<'a> {
    pub(super) fn report(&mut self, diag: Diagnostic) {
        if self.full() || self.near_lex_error(diag.span.start) {
            return;
        }
        self.diags.push(diag);
    }

    pub(super) fn err(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.report(Diagnostic::new(code, span, message));
    }

    pub(super) fn full(&self) -> bool {
        self.lexer.diags.len() + self.diags.len() >= MAX_ERRORS
    }

    /// Whether a lexer error was reported on the line containing `at`. The lexer has
    /// always finished that line, since the parser is looking at one of its tokens.
    pub(super) fn near_lex_error(&mut self, at: u32) -> bool {
        while self.lex_seen < self.lexer.diags.len() {
            let line = line_around(self.src, self.lexer.diags[self.lex_seen].span.start);
            self.lex_seen += 1;
            let i = self.lex_lines.partition_point(|&l| l < line);
            if self.lex_lines.get(i) != Some(&line) {
                self.lex_lines.insert(i, line);
            }
        }
        let i = self.lex_lines.partition_point(|&(_, end)| end < at);
        self.lex_lines.get(i).is_some_and(|&(start, _)| start <= at)
    }

    /// Reports the current token as unexpected: a "not part of Orus" error for tokens such
    /// as `!`, otherwise `"{expected}, found X"` (E1008).
    pub(super) fn unexpected(&mut self, expected: &str) {
        if let Some(diag) = self.not_orus() {
            self.report(diag);
            return;
        }
        let message = format!("{expected}, found {}", self.found());
        let mut diag = Diagnostic::new(Code::ExpectedToken, self.span(), message);
        // (`fn f64(x)` reads as an anonymous `fn` missing its `(`.)
        if expected.contains("name") || expected.contains("parameter list") {
            if let Some(help) = self.keyword_as_name_help() {
                diag = diag.with_help(help);
            }
        }
        self.report(diag);
    }

    /// When the current token is a keyword where a name was wanted (`for = 2`,
    /// `fn f(match: i32)`): says so, since the message alone reads like a typo.
    pub(super) fn keyword_as_name_help(&self) -> Option<String> {
        let word = self.kind().text()?;
        crate::lexer::is_keyword(word.as_bytes()).then(|| {
            format!("'{word}' is a keyword, so it can't be used as a name; choose another, like `{word}_`")
        })
    }

    /// Like `unexpected`, after a complete expression: `if` there is an inline
    /// `a if c else b` and `?` a ternary.
    pub(super) fn unexpected_after_expr(&mut self, expected: &str) {
        let span = self.span();
        let diag = match self.kind() {
            // `Color::Red` (Rust, C++): members are reached with `.`.
            TokenKind::Colon if matches!(self.nth(1), TokenKind::Colon) => {
                Diagnostic::new(Code::NotInLanguage, span, "'::' is not part of Orus")
                    .with_help("reach a variant or static method with `.`, like `Color.Red`")
            }
            TokenKind::If => Diagnostic::new(
                Code::NotInLanguage,
                span,
                "Inline 'a if c else b' expressions are not part of Orus",
            )
            .with_help("use an if statement"),
            TokenKind::Question => Diagnostic::new(
                Code::NotInLanguage,
                span,
                "The ternary operator 'c ? a : b' is not part of Orus",
            )
            .with_help("use an if statement"),
            _ => match self.statement_habit_help(expected) {
                Some(help) if self.not_orus().is_none() => {
                    return self.unexpected_with_help(expected, help)
                }
                _ => return self.unexpected(expected),
            },
        };
        self.report(diag);
    }

    /// `{expected}, found X` at the current token, with a help naming the likely habit.
    pub(super) fn unexpected_with_help(&mut self, expected: &str, help: &str) {
        let message = format!("{expected}, found {}", self.found());
        let diag = Diagnostic::new(Code::ExpectedToken, self.span(), message).with_help(help);
        self.report(diag);
    }

    /// The current line's text before the current token, without its indentation.
    pub(super) fn line_before_current(&self) -> &'a [u8] {
        let at = self.span().start as usize;
        let line_start = self.src[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        self.src[line_start..at].trim_ascii_start()
    }

    /// A statement that read as an expression and then met another word: a declaration
    /// or a statement of another language, named by the line's first word (`raise`,
    /// `let mut`, `lambda`, `int x = 5`), or a struct field ended with a comma.
    pub(super) fn statement_habit_help(&self, expected: &str) -> Option<&'static str> {
        let line = self.line_before_current();
        let first_len = line
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        let first = &line[..first_len];
        let lambda = ends_with_word(line.trim_ascii_end(), b"lambda");
        Some(match first {
            _ if lambda => {
                "a function without a name is written `fn(x: i32) -> i32:` with its body \
                 indented below, or on the same line after the `:`"
            }
            b"raise" => "Orus raises an error with `throw \"message\"`",
            b"let" => "Orus declares without `let`: `x = 0`, or `mut x = 0` to change it later",
            b"int" | b"float" | b"double" | b"char" | b"long" | b"auto" | b"var" | b"String" => {
                "a declaration writes the type after the name: `x: i32 = 5`, or just `x = 5`"
            }
            _ if self.at(TokenKind::Comma)
                && line.contains(&b':')
                && expected.contains("new line") =>
            {
                "struct fields are written one per line, without commas"
            }
            b"fn" if self.at(TokenKind::Assign) && expected.contains("')'") => {
                "parameters have no default values in Orus: callers pass every argument"
            }
            _ if self.at(TokenKind::Else) && expected.contains("new line") => {
                "`else:` goes on its own line, below the `if` block"
            }
            _ if self.at(TokenKind::Assign)
                && expected.contains("new line")
                && first.first().is_some_and(u8::is_ascii_uppercase)
                && line[first_len..].trim_ascii().is_empty() =>
            {
                // `Red = 1` inside an `enum` (C, Rust, Python's Enum).
                "enum variants carry no values in Orus: write the variant alone, or give it a \
                 payload like `Red(i32)`"
            }
            _ if self.at(TokenKind::Lt) && expected.contains("')'") => {
                "arrays are written `[i32]`; Orus has no generic types like `Vec<i32>`"
            }
            _ if self.at(TokenKind::Assign) && expected.contains("')'") => {
                "Orus has no keyword arguments: pass the arguments by position, like `f(1, true)`"
            }
            _ if self.at(TokenKind::For) && expected.contains("']'") => {
                "Orus has no list comprehensions: build the array with a `for` loop and `push`"
            }
            _ => return None,
        })
    }

    /// The E1018 report for a token that looks like another language's syntax.
    pub(super) fn not_orus(&self) -> Option<Diagnostic> {
        let (message, help) = match self.kind() {
            // `println!(…)`: a macro call glued to a name.
            TokenKind::Bang
                if matches!(self.nth(1), TokenKind::LParen)
                    && self.span().start > 0
                    && self.src[self.span().start as usize - 1].is_ascii_alphanumeric() =>
            {
                (
                    "Orus has no macros",
                    "call the built-in, like `print(\"hi\")`",
                )
            }
            TokenKind::Bang => ("'!' is not an operator in Orus", "use `not`"),
            TokenKind::AmpAmp => ("'&&' is not an operator in Orus", "use `and`"),
            TokenKind::PipePipe => ("'||' is not an operator in Orus", "use `or`"),
            TokenKind::Question => (
                "The ternary operator 'c ? a : b' is not part of Orus",
                "use an if statement",
            ),
            TokenKind::Static => (
                "'static' is not part of Orus",
                "declare module-level variables with `global`",
            ),
            _ => return None,
        };
        Some(Diagnostic::new(Code::NotInLanguage, self.span(), message).with_help(help))
    }
}

/// A string may run over several lines (spec §2.5), so a missing closing quote turns the
/// following code into string text and the next quote, an opening one, into its end:
/// code then follows that quote directly (`print("hello, name)` / `print("bye")` ends the
/// string at `("` and `bye` follows it), and the errors land on the lines after it, far
/// from the mistake. When the multi-line string just before the first error ends that
/// way and the error is on its last line or the next, the errors from the string on
/// become one E1002 at its opening quote. A string that was closed on purpose is followed
/// by an operator, a bracket or a line break, and its errors are reported as they are.
pub(super) fn blame_runaway_string(
    src: &[u8],
    strings: &[(usize, usize)],
    diags: &mut Vec<Diagnostic>,
) {
    // (An unclosed bracket is reported at its opening, before the string that closed it.)
    let Some(first_error) = diags
        .iter()
        .filter(|d| d.code != Code::UnclosedBracket)
        .map(|d| d.span.start as usize)
        .min()
    else {
        return;
    };
    // The last multi-line string that starts before the first error.
    let Some(&(start, end)) = strings
        .iter()
        .rev()
        .find(|(start, _)| *start <= first_error)
    else {
        return;
    };
    let runs_into_code = src
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'"');
    let line_of = |at: usize| {
        src[..at.min(src.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    if !runs_into_code || line_of(first_error) > line_of(end) + 1 {
        return;
    }
    let (opened, closed) = (line_of(start) + 1, line_of(end) + 1);
    // A bracket opened before the string on its line was closed inside it.
    diags.retain(|d| {
        let at = d.span.start as usize;
        at < start && !(d.code == Code::UnclosedBracket && line_of(at) + 1 == opened)
    });
    diags.push(
        Diagnostic::new(
            Code::UnterminatedString,
            Span::new(start, start + 1),
            format!(
                "This string is not closed on line {opened}: it runs on to the `\"` on line \
                 {closed}, and the code between became its text"
            ),
        )
        .with_help(format!(
            "add the closing `\"` where the string should end on line {opened}"
        )),
    );
    crate::diag::sort_and_dedup(diags);
}

/// Whether `text` ends with the word `word`, not with a longer name that ends with it.
pub(super) fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    text.ends_with(word)
        && !text[..text.len() - word.len()]
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// The byte range of the source line containing `at`.
fn line_around(src: &[u8], at: u32) -> (u32, u32) {
    let at = (at as usize).min(src.len());
    let start = src[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = src[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |i| at + i);
    (start as u32, end as u32)
}
