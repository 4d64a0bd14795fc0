//! Parser: tokens → syntax tree (`ast`), by recursive descent with precedence climbing.
//! Tokens are pulled from the lexer one physical line at a time, so memory follows the
//! size of the tree rather than the number of tokens in the file.
//!
//! `parse` never fails: it returns the tree and every diagnostic (lexer and parser),
//! sorted by position and capped at 20. When a statement goes wrong the error is reported
//! once and the parser skips to the end of that logical line — and past the block below
//! it when the error was in a block header — then carries on, so independent mistakes are
//! all reported while one mistake is reported once. A parser error on a line that already
//! has a lexer error is dropped as a likely cascade.
//!
//! Safety valves: nesting of expressions, blocks and types is limited to 256 levels, and
//! the depth of the tree (nesting plus the one level per operator that a chain or prefix
//! run builds) to the caller's bound, 256 unless it passes more (E1019, reported once),
//! so neither the parser nor later passes that recurse over the tree can exhaust the host
//! stack; every loop consumes a token or stops.
//!
//! Spans: a statement's span covers the whole statement; `Binary` and `Cast` expressions
//! start at their operator and `Index`/`Slice` at their `[` (spec §17.2 puts the caret
//! there); every other expression covers its whole text, a call from the start of its
//! callee to its `)`.
//!
//! A file of 256 KiB or more is parsed as two halves on two threads when that certainly
//! gives the same tree (`halves.rs`).
//!
//! This module holds the driver, the token cursor and recovery; `stmt.rs` statements,
//! `decl.rs` declarations and types, `expr.rs` expressions. Tests are in `parser/tests*.rs`.

mod decl;
mod expr;
mod halves;
mod pending;
mod stmt;

pub use halves::{allow_second_thread, STACK_PER_TREE_LEVEL};

use crate::ast::{Block, Ident, Name, Program, Stmt};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::{LexKind, Lexer, TokenKind};
use pending::{Listed, Pending};

/// Deepest nesting of expressions, blocks and types, and (by default) deepest syntax tree.
pub const MAX_DEPTH: u32 = 256;
/// How many consumed tokens the parser's buffer holds before they are drained.
const DRAIN_AT: usize = 1024;
/// Most diagnostics reported for one file.
const MAX_ERRORS: usize = 20;

/// Parses one source file, with trees at most [`MAX_DEPTH`] deep.
pub fn parse(src: &[u8]) -> (Program, Vec<Diagnostic>) {
    parse_with_depth(src, MAX_DEPTH)
}

/// Parses one source file, with syntax trees at most `max_depth` levels deep (at least
/// [`MAX_DEPTH`]). Nesting (brackets, blocks, types) stays within [`MAX_DEPTH`]; what may go
/// deeper are operator chains (`a + b + c ...`, prefix runs, `x.f().g()...`), which build
/// one tree level per operator. Every pass after the parser recurses over the tree, so
/// the caller picks `max_depth` from the stack the compiler will run on.
///
/// A large file is read in two halves on two threads when that gives the same tree
/// (`halves.rs`).
pub fn parse_with_depth(src: &[u8], max_depth: u32) -> (Program, Vec<Diagnostic>) {
    let max_depth = max_depth.max(MAX_DEPTH);
    if src.len() >= halves::MIN_BYTES {
        if let Some(stmts) = halves::parse_halves(src, max_depth) {
            return (Program { stmts }, Vec::new());
        }
    }
    parse_on_this_thread(src, max_depth)
}

fn parse_on_this_thread(src: &[u8], max_depth: u32) -> (Program, Vec<Diagnostic>) {
    let mut parser = Parser::new(src, max_depth);
    let stmts = parser.items(false, |p| p.stmt());
    let mut diags = std::mem::take(&mut parser.lexer.diags);
    diags.append(&mut parser.diags);
    crate::diag::sort_and_dedup(&mut diags);
    blame_runaway_string(src, &parser.lexer.multiline_strings, &mut diags);
    diags.retain(|d| {
        let at = d.span.start as usize;
        !(d.code == Code::UnexpectedIndent
            && parser
                .continued_at
                .iter()
                .any(|&nl| nl < at && !src[nl + 1..at.min(src.len())].contains(&b'\n')))
    });
    if diags.len() >= MAX_ERRORS {
        diags.truncate(MAX_ERRORS);
        // Parsing stopped here: say so, or the file looks as if it had no more mistakes.
        if let Some(last) = diags.last_mut().filter(|d| d.note.is_none()) {
            last.note = Some(format!(
                "Orus stops after {MAX_ERRORS} syntax errors; fix these and run it again to see the rest"
            ));
        }
    }
    (Program { stmts }, diags)
}

/// A string may run over several lines (spec §2.5), so a missing closing quote turns the
/// following code into string text and the next quote, an opening one, into its end:
/// code then follows that quote directly (`print("hello, name)` / `print("bye")` ends the
/// string at `("` and `bye` follows it), and the errors land on the lines after it, far
/// from the mistake. When the multi-line string just before the first error ends that
/// way and the error is on its last line or the next, the errors from the string on
/// become one E1002 at its opening quote. A string that was closed on purpose is followed
/// by an operator, a bracket or a line break, and its errors are reported as they are.
fn blame_runaway_string(src: &[u8], strings: &[(usize, usize)], diags: &mut Vec<Diagnostic>) {
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
fn ends_with_word(text: &[u8], word: &[u8]) -> bool {
    text.ends_with(word)
        && !text[..text.len() - word.len()]
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// The construct failed and its error is already reported; the caller recovers.
struct Fail;
type PResult<T> = Result<T, Fail>;

/// How a header's body may be written on the header's own line.
#[derive(Clone, Copy, PartialEq)]
enum OneLine {
    /// One statement (`if`, `elif`, `else`, `try`, `catch`, match arms).
    Single,
    /// All `;`-separated statements up to the end of the line (`while`, named `fn`).
    Many,
}

/// The kind of bracket being closed, for E1010 messages.
#[derive(Clone, Copy)]
enum Closer {
    Paren,
    Array,
    Index,
    Brace,
    ArrayType,
}

impl Closer {
    fn token(self) -> LexKind {
        match self {
            Closer::Paren => TokenKind::RParen,
            Closer::Array | Closer::Index | Closer::ArrayType => TokenKind::RBracket,
            Closer::Brace => TokenKind::RBrace,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Closer::Paren => "parenthesis",
            Closer::Array => "array literal",
            Closer::Index => "index",
            Closer::Brace => "struct literal",
            Closer::ArrayType => "array type",
        }
    }
}

struct Parser<'a> {
    src: &'a [u8],
    /// Tokens are read from the lexer a line at a time; `lexer.tokens[pos]` is the
    /// current token and the buffer always holds the next one too (or ends with `Eof`).
    lexer: Lexer<'a>,
    pos: usize,
    /// `bump` moves on without a further test while `pos + 1` is below this: the token
    /// after the next one is buffered too, and the buffer is not due to be drained
    /// (`min(tokens.len() - 1, DRAIN_AT)`, set by `refill`).
    fast_end: usize,
    /// Tokens drained from the front of the buffer: with `pos`, the tokens consumed so
    /// far, to check that loops make progress.
    drained: usize,
    /// End of the last consumed token other than a layout token, so spans end on text.
    prev_end: u32,
    diags: Vec<Diagnostic>,
    /// Byte ranges of the lines holding a lexer error, in order, and how many of the
    /// lexer's diagnostics they cover.
    lex_lines: Vec<(u32, u32)>,
    lex_seen: usize,
    /// Depth of the tree being built (nesting and operator chains).
    depth: u32,
    /// Nesting of brackets, blocks and types alone: bounded by [`MAX_DEPTH`].
    nesting: u32,
    /// The bound of `depth`.
    max_depth: u32,
    too_deep_reported: bool,
    /// Set when the last consumed token was the `Dedent` closing a block: the statement
    /// that owned the block is complete and no `Newline` follows it.
    ended_block: bool,
    /// Brackets consumed and not yet closed, so recovery can skip to their end.
    brackets: u32,
    /// Whether statements being parsed are at module scope (for E1026).
    module_scope: bool,
    /// Set when a header's missing `:` was reported, so the missing block that usually
    /// follows is not reported again.
    colon_missing: bool,
    /// Keywords the program assigned to as variables (`match = 3`, reported once): a later
    /// expression that fails right after one of them is the same mistake, not reported.
    keywords_as_names: Vec<String>,
    /// Line breaks after a trailing operator (`total = a +`), reported with a help: the
    /// indented line after one is the expression's rest, not a stray block (no E1007).
    continued_at: Vec<usize>,
    /// Items of the lists being read (`pending.rs`).
    pending: Pending,
    /// The names of `i32`, `i64`, `u32`, `u64`, `f64` and `bool` as types, once used.
    type_names: [Option<Name>; 6],
}

impl<'a> Parser<'a> {
    fn new(src: &'a [u8], max_depth: u32) -> Parser<'a> {
        Parser::reading(src, Lexer::new(src), max_depth)
    }

    /// A parser of `src` from byte `start`, the start of a line at column 0, giving the
    /// spans that parsing all of `src` gives (for [`halves`]).
    fn starting_at(src: &'a [u8], start: usize, max_depth: u32) -> Parser<'a> {
        Parser::reading(src, Lexer::starting_at(src, start), max_depth)
    }

    fn reading(src: &'a [u8], mut lexer: Lexer<'a>, max_depth: u32) -> Parser<'a> {
        let prev_end = lexer.position() as u32;
        // Room for the buffer's usual most (it is drained past `DRAIN_AT` consumed tokens),
        // or for a small file's tokens, so it does not grow by copying a line at a time.
        let rest = src.len() - lexer.position().min(src.len());
        lexer.tokens.reserve((rest / 4).min(2 * DRAIN_AT) + 16);
        let mut parser = Parser {
            src,
            lexer,
            pos: 0,
            fast_end: 0,
            drained: 0,
            prev_end,
            diags: Vec::new(),
            lex_lines: Vec::new(),
            lex_seen: 0,
            depth: 0,
            nesting: 0,
            max_depth,
            too_deep_reported: false,
            ended_block: false,
            keywords_as_names: Vec::new(),
            continued_at: Vec::new(),
            pending: Pending::default(),
            type_names: Default::default(),
            brackets: 0,
            module_scope: true,
            colon_missing: false,
        };
        parser.refill();
        parser
    }

    /// Keeps the current and the next token buffered, dropping consumed ones now and then.
    /// Kept out of line: it runs once per line, and it is where the lexer's cost shows.
    #[inline(never)]
    fn refill(&mut self) {
        let tokens = &mut self.lexer.tokens;
        if self.pos >= DRAIN_AT && self.pos * 2 >= tokens.len() {
            tokens.drain(..self.pos);
            self.drained += self.pos;
            self.pos = 0;
        }
        while self.lexer.tokens.len() < self.pos + 2 && self.lexer.advance() {}
        self.fast_end = (self.lexer.tokens.len().saturating_sub(1)).min(DRAIN_AT);
    }

    /// Tokens consumed so far, to check that loops make progress.
    fn consumed(&self) -> usize {
        self.drained + self.pos
    }

    // ----- Token cursor -----

    #[inline]
    fn kind(&self) -> &LexKind {
        &self.lexer.tokens[self.pos].kind
    }

    /// The token `n` ahead (`n` is 0 or 1).
    #[inline]
    fn nth(&self, n: usize) -> &LexKind {
        let i = (self.pos + n).min(self.lexer.tokens.len() - 1);
        &self.lexer.tokens[i].kind
    }

    #[inline]
    fn span(&self) -> Span {
        self.lexer.tokens[self.pos].span
    }

    fn start(&self) -> u32 {
        self.span().start
    }

    /// Whether the current token is `kind`, which carries no payload (so comparing the
    /// variants is the whole comparison, without the derived `==` over payloads).
    #[inline]
    fn at(&self, kind: LexKind) -> bool {
        std::mem::discriminant(self.kind()) == std::mem::discriminant(&kind)
    }

    /// Consumes the current token (never `Eof`) and returns its span.
    #[inline]
    fn bump(&mut self) -> Span {
        let span = self.span();
        if !matches!(
            self.kind(),
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof
        ) {
            self.prev_end = span.end;
        }
        // The common case (the token after the next one is already lexed) is one test.
        if self.pos + 1 < self.fast_end {
            self.pos += 1;
        } else {
            self.bump_slow();
        }
        self.ended_block = false;
        span
    }

    /// [`Parser::bump`] near the end of the buffered tokens: reads more, drains the
    /// consumed ones, or stays on the final `Eof`.
    #[inline(never)]
    fn bump_slow(&mut self) {
        if self.pos + 1 < self.lexer.tokens.len() {
            self.pos += 1;
            if self.pos >= DRAIN_AT || self.lexer.tokens.len() < self.pos + 2 {
                self.refill();
            }
        }
    }

    #[inline]
    fn eat(&mut self, kind: LexKind) -> bool {
        let found = self.at(kind);
        if found {
            self.bump();
        }
        found
    }

    /// The span from `start` to the end of the last consumed token.
    fn since(&self, start: u32) -> Span {
        Span {
            start,
            end: self.prev_end.max(start),
        }
    }

    /// Whether the current token ends a statement.
    fn at_stmt_end(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Newline | TokenKind::Semicolon | TokenKind::Dedent | TokenKind::Eof
        )
    }

    /// Whether a line break separates the current token from the previous one.
    fn at_line_break(&self) -> bool {
        if self.at_layout() {
            return true;
        }
        let from = (self.prev_end as usize).min(self.src.len());
        let to = (self.start() as usize).clamp(from, self.src.len());
        self.src[from..to].contains(&b'\n')
    }

    fn is_underscore(&self) -> bool {
        matches!(self.kind(), TokenKind::Ident(name) if &**self.lexer.name(*name) == "_")
    }

    /// Consumes an identifier, or reports `expected` and fails. Forced inline (the hint
    /// was not taken, and the call cost more than the test); the report is out of line.
    #[inline(always)]
    fn ident(&mut self, expected: &str) -> PResult<Ident> {
        if let TokenKind::Ident(id) = *self.kind() {
            let name = self.lexer.name(id).clone();
            let span = self.bump();
            return Ok(Ident { name, span });
        }
        self.not_ident(expected)
    }

    /// [`Parser::ident`]'s failure: reports `expected`.
    #[cold]
    #[inline(never)]
    fn not_ident(&mut self, expected: &str) -> PResult<Ident> {
        self.unexpected(expected);
        Err(Fail)
    }

    /// Whether the current token is the `Newline` (or `Eof`) the lexer adds after the last
    /// byte of a file that does not end with a line break: messages say "end of file".
    fn at_end_of_input(&self) -> bool {
        matches!(self.kind(), TokenKind::Newline | TokenKind::Eof)
            && self.span().start as usize >= self.src.len()
            && !self.src.ends_with(b"\n")
    }

    /// The current token as messages quote it.
    fn found(&self) -> String {
        if self.at_end_of_input() {
            return TokenKind::Eof.describe();
        }
        match self.kind() {
            TokenKind::Newline
            | TokenKind::Indent
            | TokenKind::Dedent
            | TokenKind::Eof
            | TokenKind::Str(_) => self.owned_kind().describe(),
            _ => format!("'{}'", self.text(self.span())),
        }
    }

    /// The current token with its name or string, for messages.
    fn owned_kind(&self) -> TokenKind {
        self.kind().map(
            |id| self.lexer.name(id).clone(),
            |id| self.lexer.strings[id.0 as usize].clone(),
        )
    }

    fn text(&self, span: Span) -> String {
        let end = (span.end as usize).min(self.src.len());
        let start = (span.start as usize).min(end);
        String::from_utf8_lossy(&self.src[start..end]).into_owned()
    }

    // ----- Diagnostics -----

    fn report(&mut self, diag: Diagnostic) {
        if self.full() || self.near_lex_error(diag.span.start) {
            return;
        }
        self.diags.push(diag);
    }

    fn err(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.report(Diagnostic::new(code, span, message));
    }

    fn full(&self) -> bool {
        self.lexer.diags.len() + self.diags.len() >= MAX_ERRORS
    }

    /// Whether a lexer error was reported on the line containing `at`. The lexer has
    /// always finished that line, since the parser is looking at one of its tokens.
    fn near_lex_error(&mut self, at: u32) -> bool {
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
    fn unexpected(&mut self, expected: &str) {
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
    fn keyword_as_name_help(&self) -> Option<String> {
        let word = self.kind().text()?;
        crate::lexer::is_keyword(word.as_bytes()).then(|| {
            format!("'{word}' is a keyword, so it can't be used as a name; choose another, like `{word}_`")
        })
    }

    /// Like `unexpected`, after a complete expression: `if` there is an inline
    /// `a if c else b` and `?` a ternary.
    fn unexpected_after_expr(&mut self, expected: &str) {
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
    fn unexpected_with_help(&mut self, expected: &str, help: &str) {
        let message = format!("{expected}, found {}", self.found());
        let diag = Diagnostic::new(Code::ExpectedToken, self.span(), message).with_help(help);
        self.report(diag);
    }

    /// The current line's text before the current token, without its indentation.
    fn line_before_current(&self) -> &'a [u8] {
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
    fn statement_habit_help(&self, expected: &str) -> Option<&'static str> {
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
    fn not_orus(&self) -> Option<Diagnostic> {
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

    // ----- Nesting limit -----

    /// Enters one level of nesting, failing with E1019 (reported once) past the limit.
    #[inline]
    fn enter(&mut self, what: &str) -> PResult<()> {
        if self.nesting >= MAX_DEPTH || self.depth >= self.max_depth {
            return self.too_deep_at(what);
        }
        self.depth += 1;
        self.nesting += 1;
        Ok(())
    }

    /// Deepens the tree by one level for an operator of a chain; callers restore `depth`
    /// when the chain ends.
    #[inline]
    fn enter_chain(&mut self) -> PResult<()> {
        if self.depth >= self.max_depth {
            return self.too_deep_at("");
        }
        self.depth += 1;
        Ok(())
    }

    /// The E1019 report of [`Parser::enter`] (`what` is the construct) or, when `what` is
    /// empty, of [`Parser::enter_chain`].
    #[cold]
    #[inline(never)]
    fn too_deep_at(&mut self, what: &str) -> PResult<()> {
        if !what.is_empty() && self.nesting >= MAX_DEPTH {
            return self.too_deep(format!(
                "{what} nesting exceeds the limit of {MAX_DEPTH} levels (the blocks, \
                 expressions and types around it count together)"
            ));
        }
        let max = self.max_depth;
        self.too_deep(format!(
            "Expression depth exceeds the limit of {max} levels"
        ))
    }

    fn too_deep(&mut self, message: String) -> PResult<()> {
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.err(Code::TooDeep, self.span(), message);
        }
        Err(Fail)
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        self.nesting = self.nesting.saturating_sub(1);
    }

    // ----- Lines, blocks and recovery -----

    /// Parses the lines of a block (after its `Indent`, up to and including its `Dedent`)
    /// or of the whole file, one `item` per line, recovering from failed items.
    fn items<T: Listed>(
        &mut self,
        in_block: bool,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> Vec<T> {
        let start = self.pending.start::<T>();
        let mut count = 0;
        loop {
            match self.kind() {
                TokenKind::Newline | TokenKind::Semicolon => {
                    self.bump();
                    continue;
                }
                TokenKind::Dedent => {
                    self.bump();
                    if in_block {
                        self.ended_block = true;
                        return self.pending.take(start);
                    }
                    continue;
                }
                TokenKind::Eof => {
                    self.ended_block = in_block;
                    return self.pending.take(start);
                }
                TokenKind::Indent => {
                    self.err(
                        Code::UnexpectedIndent,
                        self.span(),
                        "It looks like this line is indented, but there's no open block above it.",
                    );
                    self.skip_block();
                    continue;
                }
                _ => {}
            }
            if self.full() {
                while !self.at(TokenKind::Eof) {
                    self.bump();
                }
                continue;
            }
            let before = self.consumed();
            let (depth, nesting) = (self.depth, self.nesting);
            let brackets = self.brackets;
            let scope = self.module_scope;
            let result = item(self);
            // (Only a list of the same type that failed inside the item could have left
            // anything above this list's items, and lists drop theirs when they fail.)
            debug_assert_eq!(self.pending.start::<T>(), start + count);
            match result {
                Ok(x) => {
                    self.pending.push(x);
                    count += 1;
                    if self.terminator().is_err() {
                        self.recover(brackets);
                    }
                }
                Err(Fail) => {
                    (self.depth, self.nesting) = (depth, nesting);
                    self.recover(brackets);
                }
            }
            (self.depth, self.nesting) = (depth, nesting);
            self.brackets = brackets;
            self.module_scope = scope;
            if self.consumed() == before {
                self.bump();
            }
        }
    }

    /// Checks what follows a complete line item: `;`, a newline, or the end of the block.
    fn terminator(&mut self) -> PResult<()> {
        if self.ended_block {
            return Ok(());
        }
        match self.kind() {
            TokenKind::Semicolon | TokenKind::Newline => {
                self.bump();
                Ok(())
            }
            TokenKind::Dedent | TokenKind::Eof => Ok(()),
            _ => {
                self.unexpected_after_expr("Expected a new line after this statement");
                Err(Fail)
            }
        }
    }

    /// Skips the rest of a failed statement: to the end of its logical line (a line break
    /// inside brackets only ends it when no block follows), then past the block below it.
    fn recover(&mut self, brackets: u32) {
        let mut open = self.brackets.max(brackets);
        loop {
            match self.kind() {
                TokenKind::Eof | TokenKind::Dedent => break,
                TokenKind::Indent => {
                    self.skip_block();
                    if open <= brackets {
                        break;
                    }
                }
                TokenKind::Newline => {
                    self.bump();
                    if open > brackets && self.at(TokenKind::Indent) {
                        continue;
                    }
                    if self.at(TokenKind::Indent) {
                        self.skip_block();
                    }
                    break;
                }
                TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => {
                    open += 1;
                    self.bump();
                }
                TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                    open = open.saturating_sub(1).max(brackets);
                    self.bump();
                }
                _ => {
                    self.bump();
                }
            }
        }
        self.brackets = brackets;
    }

    /// Skips a balanced `Indent … Dedent` block (the cursor is at the `Indent`).
    fn skip_block(&mut self) {
        let mut level = 0u32;
        loop {
            match self.kind() {
                TokenKind::Eof => break,
                TokenKind::Indent => level += 1,
                TokenKind::Dedent => {
                    level = level.saturating_sub(1);
                    if level == 0 {
                        self.bump();
                        break;
                    }
                }
                _ => {}
            }
            self.bump();
        }
        self.ended_block = true;
    }

    /// The `:` ending a header. A missing `:` at the end of the line is reported and the
    /// header is accepted, so its block is still parsed.
    /// Forced inline like [`Parser::ident`]; a missing `:` is handled out of line.
    #[inline(always)]
    fn header_colon(&mut self, what: &str) -> PResult<()> {
        self.colon_missing = false;
        if self.eat(TokenKind::Colon) {
            return Ok(());
        }
        self.no_header_colon(what)
    }

    /// [`Parser::header_colon`] without its `:`.
    #[cold]
    #[inline(never)]
    fn no_header_colon(&mut self, what: &str) -> PResult<()> {
        if let Some(diag) = self.not_orus() {
            self.report(diag);
            return Err(Fail);
        }
        let message = format!("Expected ':' after {what}");
        let mut diag = Diagnostic::new(Code::ExpectedToken, self.span(), message);
        if self.at(TokenKind::LBrace) {
            diag = diag.with_help("Orus blocks use `:` and an indented body, not braces");
        } else if self.at(TokenKind::In) {
            // Python's `if x in xs:`.
            diag = diag.with_help(
                "Orus has no `in` test: loop over the array (`for x in xs:`) and compare each \
                 element with `==`",
            );
        } else if matches!(self.kind(), TokenKind::Ident(n) if &**self.lexer.name(*n) == "is") {
            // Python's `if x is None:` / `is not`.
            diag = diag.with_help("Orus compares with `==` and `!=`; there is no `is`");
        }
        self.report(diag);
        if self.at(TokenKind::Newline) {
            self.colon_missing = true;
            Ok(())
        } else {
            Err(Fail)
        }
    }

    /// The body after a header's `:`: an indented block, or a one-line form.
    fn body(&mut self, one_line: OneLine, what: &str) -> PResult<Block> {
        if self.at(TokenKind::Newline) {
            let here = self.bump();
            if !self.at(TokenKind::Indent) {
                if !std::mem::take(&mut self.colon_missing) {
                    let message = format!("Expected an indented block after {what}");
                    self.err(Code::ExpectedToken, self.span(), message);
                }
                self.ended_block = true;
                return Ok(Block {
                    stmts: Vec::new(),
                    span: here,
                });
            }
            return self.indented_block(false);
        }
        self.one_line(one_line)
    }

    /// An indented block of statements; the cursor is at its `Indent`. `module_scope` is
    /// true only for the block form of `module`.
    fn indented_block(&mut self, module_scope: bool) -> PResult<Block> {
        self.enter("Block")?;
        let indent = self.bump();
        let saved = std::mem::replace(&mut self.module_scope, module_scope);
        let stmts = self.items(true, |p| p.stmt());
        self.module_scope = saved;
        self.leave();
        Ok(block_of(stmts, indent))
    }

    /// A body written on its header's line.
    fn one_line(&mut self, form: OneLine) -> PResult<Block> {
        self.enter("Block")?;
        let here = self.span();
        let saved = std::mem::replace(&mut self.module_scope, false);
        let mut stmts = vec![self.stmt()?];
        while form == OneLine::Many && !self.ended_block && self.at(TokenKind::Semicolon) {
            self.bump();
            if self.at_stmt_end() {
                break;
            }
            stmts.push(self.stmt()?);
        }
        self.module_scope = saved;
        self.leave();
        Ok(block_of(stmts, here))
    }

    /// Lines of items in a block that must be indented below its header (`match`,
    /// `struct`, `enum`, `impl`); the cursor is after the header's `:`.
    fn indented_items<T: Listed>(
        &mut self,
        what: &str,
        item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        if !self.at(TokenKind::Newline) {
            let message = format!("Expected a new line and an indented block after {what}");
            self.unexpected(&message);
            return Err(Fail);
        }
        self.bump();
        if !self.at(TokenKind::Indent) {
            if !std::mem::take(&mut self.colon_missing) {
                let message = format!("Expected an indented block after {what}");
                self.err(Code::ExpectedToken, self.span(), message);
            }
            self.ended_block = true;
            return Ok(Vec::new());
        }
        self.enter("Block")?;
        self.bump();
        let saved = std::mem::replace(&mut self.module_scope, false);
        let out = self.items(true, item);
        self.module_scope = saved;
        self.leave();
        Ok(out)
    }

    /// Reports a bracket that is not closed where a `,` or the closer was expected: E1010
    /// at the opening bracket when the line ended or another closer came, else E1008.
    fn bad_list_end(&mut self, open: Span, closer: Closer) -> Fail {
        let close = closer.token().text().unwrap_or(")");
        let wrong_closer = matches!(
            self.kind(),
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace
        );
        if self.at_line_break() || wrong_closer {
            let found = if wrong_closer {
                format!("'{}'", self.text(self.span()))
            } else {
                self.found()
            };
            let message = format!(
                "Expected '{close}' to close this {}, but found {found} instead.",
                closer.what()
            );
            let mut diag = Diagnostic::new(Code::UnclosedBracket, open, message);
            // `print(10 // 3)`: Python's floor division is a comment here, and the closer
            // the user wrote is in it.
            let comment = self.comment_before_current();
            if !wrong_closer && comment.starts_with(b"//") && comment.contains(&close.as_bytes()[0])
            {
                diag = diag.with_help(
                    "`//` starts a comment in Orus, so the rest of the line was ignored; \
                     integer division is `/` (it truncates for integers)",
                );
            }
            self.report(diag);
        } else {
            self.unexpected_after_expr(&format!("Expected ',' or '{close}'"));
        }
        Fail
    }

    /// The text between the previous token and the current one, without leading blanks
    /// (a comment, if any).
    fn comment_before_current(&self) -> &[u8] {
        let Some(prev) = self
            .pos
            .checked_sub(1)
            .and_then(|i| self.lexer.tokens.get(i))
        else {
            return &[];
        };
        let start = (prev.span.end as usize).min(self.src.len());
        let end = (self.span().start as usize).clamp(start, self.src.len());
        self.src[start..end].trim_ascii_start()
    }

    /// Fails with E1010 when the line ends right after the bracket opened at `open`.
    fn after_open(&mut self, open: Span, closer: Closer) -> PResult<()> {
        if self.at_layout() {
            return Err(self.bad_list_end(open, closer));
        }
        Ok(())
    }

    /// Whether only blanks or a comment follow the next token on its line (`global x`).
    fn line_ends_after_next(&self) -> bool {
        let Some(next) = self.lexer.tokens.get(self.pos + 1) else {
            return false;
        };
        let rest = &self.src[(next.span.end as usize).min(self.src.len())..];
        let line = rest.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let code = line.split(|&b| b == b'/').next().unwrap_or(&[]);
        code.iter().all(|b| b.is_ascii_whitespace())
            && (code.len() == line.len() || line[code.len()..].starts_with(b"//"))
    }

    /// Whether the current token is a layout token (or the end of input).
    fn at_layout(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof
        )
    }

    /// Consumes the closer of a bracket opened at `open`. Forced inline like
    /// [`Parser::ident`]; a missing closer is reported out of line.
    #[inline(always)]
    fn close(&mut self, open: Span, closer: Closer) -> PResult<()> {
        if self.eat(closer.token()) {
            self.brackets = self.brackets.saturating_sub(1);
            return Ok(());
        }
        self.not_closed(open, closer)
    }

    /// [`Parser::close`]'s failure: what stands where the closer should be.
    #[cold]
    #[inline(never)]
    fn not_closed(&mut self, open: Span, closer: Closer) -> PResult<()> {
        // `xs[1:]`: Python's slice.
        if matches!(closer, Closer::Index) && self.at(TokenKind::Colon) {
            let diag = Diagnostic::new(Code::ExpectedToken, self.span(), "Expected ']', found ':'")
                .with_help("slices use `..`, like `xs[1..]` or `xs[1..3]`");
            self.report(diag);
            return Err(Fail);
        }
        // One item belongs inside (`(a)`, `a[i]`): a comma is not "expected" here.
        if self.at(TokenKind::Comma) && !self.at_line_break() {
            let close = closer.token().text().unwrap_or(")");
            let mut diag = Diagnostic::new(
                Code::ExpectedToken,
                self.span(),
                format!("Expected '{close}', found ','"),
            );
            if matches!(closer, Closer::Paren) {
                diag = diag.with_help("Orus has no tuples: use an array like `[a, b]` or a struct");
            }
            self.report(diag);
            return Err(Fail);
        }
        Err(self.bad_list_end(open, closer))
    }

    /// A comma-separated list up to its closer; the opener is already consumed. A
    /// trailing comma is allowed.
    fn list<T: Listed>(
        &mut self,
        open: Span,
        closer: Closer,
        item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.pending_list(|p| p.list_items(open, closer, item))
    }

    /// The list of `T` that `read` pushes on its pending stack (`pending.rs`).
    fn pending_list<T: Listed>(
        &mut self,
        read: impl FnOnce(&mut Self) -> PResult<()>,
    ) -> PResult<Vec<T>> {
        let start = self.pending.start::<T>();
        match read(self) {
            Ok(()) => Ok(self.pending.take(start)),
            Err(fail) => {
                self.pending.drop_from::<T>(start);
                Err(fail)
            }
        }
    }

    /// The items of [`Parser::list`], pushed on their pending stack.
    fn list_items<T: Listed>(
        &mut self,
        open: Span,
        closer: Closer,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<()> {
        self.brackets += 1;
        let close = closer.token();
        loop {
            if *self.kind() == close {
                break;
            }
            self.after_open(open, closer)?;
            let x = item(self)?;
            self.pending.push(x);
            if self.eat(TokenKind::Comma) {
                continue;
            }
            if *self.kind() != close {
                return Err(self.bad_list_end(open, closer));
            }
        }
        self.close(open, closer)
    }
}

/// A block's span covers its statements (or `fallback` when it has none).
fn block_of(stmts: Vec<Stmt>, fallback: Span) -> Block {
    let span = match (stmts.first(), stmts.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => fallback,
    };
    Block { stmts, span }
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_robust;
