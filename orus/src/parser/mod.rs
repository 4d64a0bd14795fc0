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
//! This module holds the driver, the token cursor and the nesting limit; `blocks.rs` the
//! per-line item loop, recovery, blocks and bracketed lists; `report.rs` diagnostics and
//! their help; `stmt.rs` statements, `decl.rs` declarations and types, `expr.rs`
//! expressions. Tests are in `parser/tests*.rs`.

mod blocks;
mod decl;
mod expr;
mod halves;
mod pending;
mod report;
mod stmt;

pub use halves::{allow_second_thread, STACK_PER_TREE_LEVEL};

use crate::ast::{Ident, Name, Program};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::{LexKind, Lexer, TokenKind};
use pending::Pending;
use report::blame_runaway_string;

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
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_robust;
