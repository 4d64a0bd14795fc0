//! Lexer: turns source bytes into tokens, including the layout tokens `Newline`, `Indent`
//! and `Dedent` that make Orus's off-side rule visible to the parser.
//!
//! The source is bytes, not necessarily UTF-8: strings and comments may hold any byte,
//! anything else outside ASCII is an "unexpected character" (E1001, one report per run of
//! bad bytes). The lexer never fails: it reports what it cannot read, skips it, and always
//! ends the stream with `Eof`. It knows nothing of the grammar beyond what layout needs.
//!
//! Layout rules (spec §3), implemented with a small stack of contexts:
//! * A `Layout` context measures each non-blank line (tab = 4 columns) against a stack of
//!   indentation levels and emits `Newline`, then `Indent` or `Dedent`s. A deeper line is
//!   only a block if the previous logical line ended with `:` or `->` or began with a
//!   block keyword (otherwise E1007; a missing `:` is left to the parser's clearer message).
//!   A dedent between two open levels is E1006. After either error the line's column is
//!   remembered as a "phantom" level that emits no tokens, so one mistake reports once.
//! * A `Bracket` context (inside `()`, `[]`, `{}`) ignores newlines and indentation: full
//!   implicit line joining (spec Q38).
//! * Inside brackets, a `:` that ends a line opens a nested `Layout` whose base is that
//!   line's indentation. This is how an anonymous `fn(...) -> T:` or a `match x:` passed as
//!   an argument gets its indented block; the nested layout closes at the first line
//!   indented no deeper than its base, or at a closing bracket that belongs to the outside.
//! * Recovery from an unclosed bracket: a continuation line that starts with a statement
//!   keyword, or contains `=` or a compound assignment (never valid inside brackets), is
//!   re-read as a new logical line, so the parser reports the unclosed bracket (E1010) and
//!   the rest of the file is still checked.
//!
//! `tokenize` returns every token at once; the parser instead drives the same `Lexer` a
//! line at a time (`Lexer::advance`). Token kinds are in `lexer/token.rs`, brackets, `:`,
//! assignments and stray bytes in `lexer/punct.rs` (the plain operators are read by the
//! line loop here), literals in `lexer/literal.rs`, the word table in `lexer/names.rs`,
//! tests in `lexer/tests.rs`.

mod literal;
mod names;
mod punct;
mod token;

pub(crate) use token::{LexKind, LexToken, NameId, StrId};
pub use token::{Token, TokenKind};

/// Whether `word` is one of Orus's keywords (spec §2.4), which can't be names.
pub fn is_keyword(word: &[u8]) -> bool {
    token::keyword(word).is_some()
}

use crate::ast::Name;
use crate::diag::{Code, Diagnostic, Span};
use names::{Key, Names};

/// Splits `src` into tokens. Never panics; the last token is always `Eof`.
pub fn tokenize(src: &[u8]) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut lexer = Lexer::new(src);
    lexer.tokens.reserve(src.len() / 5 + 8);
    while lexer.advance() {}
    lexer.owned_tokens()
}

/// [`tokenize`] from byte `offset` of `src` on, with the spans of the whole file; see
/// `Lexer::starting_at` for which offsets give the whole file's tokens.
pub fn tokenize_from(src: &[u8], offset: usize) -> (Vec<Token>, Vec<Diagnostic>) {
    let mut lexer = Lexer::starting_at(src, offset);
    while lexer.advance() {}
    lexer.owned_tokens()
}

/// Columns a tab advances the indentation by (spec §3).
const TAB_WIDTH: u32 = 4;

/// A UTF-8 byte order mark, which some Windows editors write at the start of a file and
/// Python, Lua and Rust all accept there.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// `src` without one leading [`UTF8_BOM`]. Callers remove it before lexing (the module
/// loader, the token and tree dumps), so columns on line 1 are right; the lexer itself
/// reports a BOM as an unexpected character, so a second one is not silently accepted.
pub fn strip_bom(src: &[u8]) -> &[u8] {
    src.strip_prefix(UTF8_BOM).unwrap_or(src)
}

/// One open indentation level. `real` levels were opened by an `Indent` token; phantom
/// levels remember the column of a line already reported as wrongly indented.
#[derive(Clone, Copy)]
struct Level {
    col: u32,
    real: bool,
}

enum Ctx {
    /// Indentation-sensitive lines. `levels[0]` is the base: column 0 for the file, or the
    /// indentation of the line whose trailing `:` opened a nested layout inside brackets.
    Layout {
        levels: Vec<Level>,
        nested: bool,
        /// For a nested layout, the state of the logical line it interrupted.
        outer_line: Option<LineStart>,
    },
    /// Inside an open bracket (`open` is its byte).
    Bracket { open: u8 },
}

/// Where a continuation line inside brackets started, so it can be re-read as a new
/// logical line if it turns out the bracket was never closed.
#[derive(Clone, Copy)]
struct LineMark {
    pos: usize,
    tokens: usize,
    diags: usize,
}

/// Where [`Lexer::line_tokens`] stopped.
enum LineEnd {
    /// After the `\n` ending the line.
    Newline,
    /// The line is to be read again as a new logical line (an unclosed bracket).
    Reread,
    /// At the end of the input.
    Input,
}

/// What layout needs to know about the first token of a logical line.
#[derive(Clone, Copy)]
struct LineStart {
    /// The line starts with a keyword that introduces a block (`if`, `fn`, …), so a
    /// deeper next line is its block even when the `:` is missing.
    block_keyword: bool,
}

/// The lexer as a resumable state machine: `advance` reads one more physical line, so the
/// parser can consume tokens as they are produced instead of holding the whole file's
/// tokens in memory. Only tokens of the line being read are ever retracted (the
/// unclosed-bracket recovery), and a line is always completed within one `advance`.
pub(crate) struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    /// Output buffer; a streaming consumer may drain it between calls to `advance`.
    pub(crate) tokens: Vec<LexToken>,
    /// The contents of the string literals read so far, which `Str` tokens index; the
    /// parser takes each out for its tree.
    pub(crate) strings: Vec<Box<[u8]>>,
    pub(crate) diags: Vec<Diagnostic>,
    ctx: Vec<Ctx>,
    /// Set once the current logical line has a token.
    line_first: Option<LineStart>,
    /// Whether the last token emitted was `:` or `->`, which open a block.
    last_opens: bool,
    /// Where lexing started: the end of the last token emitted until there is one (the
    /// buffer then always holds the last token, since a consumer drains only tokens
    /// before one it has not consumed).
    first_pos: usize,
    finished: bool,
    /// The `\n` that ended the last physical line read in layout mode.
    newline_at: Option<usize>,
    at_line_start: bool,
    /// Indentation of the current physical line.
    line_indent: u32,
    bracket_line: Option<LineMark>,
    /// The current line is being re-read after an unclosed bracket: its indentation is
    /// accepted silently (the parser reports the bracket).
    resynced: bool,
    /// Identifiers seen so far, to share one [`Name`] per distinct text.
    names: Names<'a>,
    /// Start and end of the last string literal that spanned lines, named when a string
    /// opened on the line where it ends is left unterminated (the earlier one may be what
    /// lacks its quote).
    pub(crate) multiline_string: Option<(usize, usize)>,
    /// An unterminated `/*` hid the rest of the input (silently, spec §2.2).
    pub(crate) comment_runs_to_end: bool,
    /// Start and end of every string literal that spanned lines, in order: when errors
    /// follow one closely, the parser blames its missing quote instead.
    pub(crate) multiline_strings: Vec<(usize, usize)>,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a [u8]) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            tokens: Vec::new(),
            strings: Vec::new(),
            diags: Vec::new(),
            ctx: vec![Ctx::Layout {
                levels: vec![Level {
                    col: 0,
                    real: false,
                }],
                nested: false,
                outer_line: None,
            }],
            line_first: None,
            last_opens: false,
            first_pos: 0,
            finished: false,
            newline_at: None,
            at_line_start: true,
            line_indent: 0,
            bracket_line: None,
            resynced: false,
            names: Names::new(),
            multiline_string: None,
            comment_runs_to_end: false,
            multiline_strings: Vec::new(),
        }
    }

    /// A lexer that starts at byte `offset` of `src` instead of at 0, so that two halves
    /// of a file can be lexed (and parsed) separately with the spans of the whole file.
    /// `offset` must be the start of a line that begins a top-level statement: column 0,
    /// outside any bracket, string or comment. The tokens are then those of the whole
    /// file from that line's first token on; the whole file's `Newline` and `Dedent`s
    /// before that token end the first half, which `Lexer::new(&src[..offset])` lexes.
    /// Diagnostics that look back across the split (a runaway string from the first half)
    /// are not made.
    pub(crate) fn starting_at(src: &'a [u8], offset: usize) -> Lexer<'a> {
        let mut lexer = Lexer::new(src);
        lexer.pos = offset.min(src.len());
        lexer.first_pos = lexer.pos;
        lexer
    }

    /// The byte the lexer reads next.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Reads up to the end of the next non-blank physical line, or to the end of the
    /// input (adding the closing layout tokens and `Eof`). Returns false once there is
    /// nothing left to read.
    pub(crate) fn advance(&mut self) -> bool {
        if self.finished {
            return false;
        }
        loop {
            if self.at_line_start {
                if !self.start_line() {
                    break;
                }
                continue;
            }
            match self.line_tokens() {
                LineEnd::Newline => return true,
                LineEnd::Reread => continue,
                LineEnd::Input => break,
            }
        }
        self.finish();
        self.finished = true;
        true
    }

    /// Reads the tokens of the current physical line, through its `\n`, with the position
    /// in a local. One `match` on the byte (a single jump) picks what starts there: words,
    /// blanks and the operators are read here; brackets, `:`, assignments (which may
    /// re-read the line), literals and comments by the methods in `lexer/punct.rs` and
    /// `lexer/literal.rs`, which move `self.pos`.
    fn line_tokens(&mut self) -> LineEnd {
        use TokenKind::*;
        let src = self.src;
        let mut pos = self.pos;
        macro_rules! at_self_pos {
            ($call:expr) => {{
                self.pos = pos;
                $call;
                pos = self.pos;
                continue;
            }};
        }
        loop {
            let Some(&b) = src.get(pos) else {
                self.pos = pos;
                return LineEnd::Input;
            };
            // The byte after `b`, read only by the arms that look at it.
            macro_rules! next {
                () => {
                    src.get(pos + 1).copied().unwrap_or(0)
                };
            }
            let (kind, len) = match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    pos = self.word(src, pos);
                    continue;
                }
                b' ' | b'\t' | b'\r' => {
                    pos += 1;
                    continue;
                }
                b'\n' => {
                    if matches!(self.ctx.last(), Some(Ctx::Layout { .. })) {
                        self.newline_at = Some(pos);
                    }
                    self.pos = pos + 1;
                    self.at_line_start = true;
                    return LineEnd::Newline;
                }
                b'0'..=b'9' => at_self_pos!(self.number()),
                b',' => (Comma, 1),
                b':' => at_self_pos!(self.colon()),
                b'(' | b'[' | b'{' => at_self_pos!(self.opener(b)),
                b')' | b']' | b'}' => at_self_pos!(self.closer(b)),
                b'.' => match next!() {
                    b'0'..=b'9' => at_self_pos!(self.leading_dot_number()),
                    b'.' if src.get(pos + 2) == Some(&b'=') => (DotDotEq, 3),
                    b'.' => (DotDot, 2),
                    _ => (Dot, 1),
                },
                b'=' if next!() == b'=' => (EqEq, 2),
                b'+' if next!() != b'=' => (Plus, 1),
                b'-' if next!() == b'>' => (Arrow, 2),
                b'-' if next!() != b'=' => (Minus, 1),
                b'*' if next!() != b'=' => (Star, 1),
                b'/' if next!() == b'/' || next!() == b'*' => at_self_pos!(self.skip_trivia()),
                b'/' if next!() != b'=' => (Slash, 1),
                b'%' if next!() != b'=' => (Percent, 1),
                b'=' | b'+' | b'-' | b'*' | b'/' | b'%' => {
                    let (kind, len) = match b {
                        b'=' => (Assign, 1),
                        b'+' => (PlusEq, 2),
                        b'-' => (MinusEq, 2),
                        b'*' => (StarEq, 2),
                        b'/' => (SlashEq, 2),
                        _ => (PercentEq, 2),
                    };
                    self.pos = pos;
                    self.assignment(kind, len);
                    if self.at_line_start {
                        return LineEnd::Reread;
                    }
                    pos = self.pos;
                    continue;
                }
                b'!' if next!() == b'=' => (NotEq, 2),
                b'!' => (Bang, 1),
                b'<' if next!() == b'=' => (Le, 2),
                b'<' if next!() == b'<' => (Shl, 2),
                b'<' => (Lt, 1),
                b'>' if next!() == b'=' => (Ge, 2),
                b'>' if next!() == b'>' => (Shr, 2),
                b'>' => (Gt, 1),
                b'&' if next!() == b'&' => (AmpAmp, 2),
                b'&' => (Amp, 1),
                b'|' if next!() == b'|' => (PipePipe, 2),
                b'|' => (Pipe, 1),
                b'^' => (Caret, 1),
                b'~' => (Tilde, 1),
                b'?' => (Question, 1),
                b';' => (Semicolon, 1),
                b'"' => at_self_pos!(self.string()),
                b'\'' => at_self_pos!(self.quote()),
                _ => at_self_pos!(self.unexpected_run()),
            };
            self.push_at(kind, pos, pos + len);
            pos += len;
        }
    }

    /// Reads the indentation of a physical line. Blank and comment-only lines are skipped
    /// (returns true with `at_line_start` still set); returns false at end of input.
    fn start_line(&mut self) -> bool {
        let src = self.src;
        let line_start = self.pos;
        let mut pos = line_start;
        let mut col: u32 = 0;
        // Four spaces at a time first: the usual indentation step.
        while src.get(pos..pos + 4) == Some(b"    ") {
            col = col.saturating_add(4);
            pos += 4;
        }
        while let Some(&b) = src.get(pos) {
            match b {
                b' ' => col = col.saturating_add(1),
                b'\t' => col = col.saturating_add(TAB_WIDTH),
                b'\r' => {}
                _ => break,
            }
            pos += 1;
        }
        self.pos = pos;
        if src.get(pos) == Some(&b'/') {
            self.skip_trivia();
        }
        match self.src.get(self.pos) {
            None => return false,
            Some(b'\n') => {
                if matches!(self.ctx.last(), Some(Ctx::Layout { .. })) {
                    self.newline_at = Some(self.pos);
                }
                self.pos += 1;
                return true;
            }
            Some(_) => {}
        }
        self.at_line_start = false;
        self.line_indent = col;
        self.begin_line(line_start, col);
        true
    }

    /// Decides how a non-blank physical line continues the context stack.
    fn begin_line(&mut self, line_start: usize, col: u32) {
        loop {
            match self.ctx.last() {
                Some(Ctx::Layout { levels, nested, .. }) => {
                    if *nested && col <= levels[0].col {
                        self.close_layout(self.newline_at.unwrap_or(self.pos));
                        continue;
                    }
                    self.bracket_line = None;
                    self.layout_line(col);
                    return;
                }
                Some(Ctx::Bracket { .. }) => {
                    if self.starts_with_statement_keyword() {
                        self.pop_brackets();
                        self.resynced = true;
                        self.newline_at = Some(line_start.saturating_sub(1));
                        continue;
                    }
                    self.resynced = false;
                    self.bracket_line = Some(LineMark {
                        pos: line_start,
                        tokens: self.tokens.len(),
                        diags: self.diags.len(),
                    });
                    return;
                }
                None => return,
            }
        }
    }

    /// Emits the `Newline` ending the previous logical line, then `Indent`/`Dedent`s.
    fn layout_line(&mut self, col: u32) {
        let here = self.pos;
        let mut opens_block = false;
        if let Some(first) = self.line_first.take() {
            opens_block = first.block_keyword || self.last_opens;
            let at = self.newline_at.unwrap_or(here);
            self.push_raw(TokenKind::Newline, at, (at + 1).min(self.src.len()));
        }
        let Some(Ctx::Layout { levels, .. }) = self.ctx.last_mut() else {
            return;
        };
        let top = levels[levels.len() - 1].col;
        // Below a phantom level (a line already reported as wrongly indented), a deeper
        // line is most likely the rest of the same block: one mistake, one report.
        let after_phantom = levels.len() > 1 && !levels[levels.len() - 1].real;
        let quiet = std::mem::take(&mut self.resynced);
        if col > top {
            levels.push(Level {
                col,
                real: opens_block,
            });
            if opens_block {
                self.push_raw(TokenKind::Indent, here, here);
            } else if !quiet && !after_phantom {
                self.error(
                    Code::UnexpectedIndent,
                    here,
                    here + 1,
                    "It looks like this line is indented, but there's no open block above it.",
                );
            }
        } else if col < top {
            let mut dedents = 0;
            while levels.len() > 1 && levels[levels.len() - 1].col > col {
                if levels.pop().is_some_and(|l| l.real) {
                    dedents += 1;
                }
            }
            let inconsistent = levels[levels.len() - 1].col < col;
            if inconsistent {
                levels.push(Level { col, real: false });
            }
            for _ in 0..dedents {
                self.push_raw(TokenKind::Dedent, here, here);
            }
            if inconsistent && !quiet {
                self.error(
                    Code::InconsistentIndent,
                    here,
                    here + 1,
                    "Inconsistent indentation: this line does not match any enclosing block",
                );
            }
        }
    }

    /// Closes the innermost (nested) layout: ends its last line and its blocks. The
    /// layout tokens are placed at `at`, which is at or before the next token.
    #[inline(never)]
    fn close_layout(&mut self, at: usize) {
        let Some(Ctx::Layout {
            levels, outer_line, ..
        }) = self.ctx.pop()
        else {
            return;
        };
        if self.line_first.take().is_some() {
            self.push_raw(TokenKind::Newline, at, at);
        }
        for level in &levels[1..] {
            if level.real {
                self.push_raw(TokenKind::Dedent, at, at);
            }
        }
        self.line_first = outer_line;
    }

    fn pop_brackets(&mut self) {
        while matches!(self.ctx.last(), Some(Ctx::Bracket { .. })) {
            self.ctx.pop();
        }
        self.bracket_line = None;
    }

    /// Re-reads the current continuation line as a new logical line (unclosed bracket).
    #[inline(never)]
    fn resync(&mut self, mark: LineMark) {
        self.tokens.truncate(mark.tokens);
        self.diags.truncate(mark.diags);
        self.pos = mark.pos;
        self.pop_brackets();
        self.resynced = true;
        self.newline_at = Some(mark.pos.saturating_sub(1));
        self.at_line_start = true;
    }

    #[inline(never)]
    fn starts_with_statement_keyword(&mut self) -> bool {
        let src = self.src;
        let word = &src[self.pos..ident_end(src, self.pos)];
        if word.is_empty() {
            return false;
        }
        let id = self.names.find(Key::of(word), word);
        use TokenKind::*;
        matches!(
            Names::kind(id),
            If | Elif
                | Else
                | While
                | For
                | Return
                | Print
                | PrintNoNewline
                | Mut
                | Const
                | Struct
                | Enum
                | Impl
                | Use
                | Global
                | Pub
                | Break
                | Continue
                | Try
                | Catch
                | Throw
                | Module
                | Static
        )
    }

    #[inline(never)]
    fn finish(&mut self) {
        let end = self.src.len();
        let last_end = self
            .tokens
            .last()
            .map_or(self.first_pos, |t| t.span.end as usize);
        let nl = match self.newline_at {
            Some(at) if at >= last_end => at,
            _ => end,
        };
        loop {
            match self.ctx.pop() {
                Some(Ctx::Layout {
                    levels,
                    nested,
                    outer_line,
                }) => {
                    if self.line_first.take().is_some() {
                        self.push_raw(TokenKind::Newline, nl, (nl + 1).min(end));
                    }
                    for level in &levels[1..] {
                        if level.real {
                            self.push_raw(TokenKind::Dedent, nl, nl);
                        }
                    }
                    self.line_first = outer_line;
                    if !nested {
                        break;
                    }
                }
                Some(Ctx::Bracket { .. }) => {}
                None => break,
            }
        }
        self.push_raw(TokenKind::Eof, end, end);
    }

    /// Skips spaces, tabs, `\r` and comments, stopping at a newline or a token.
    #[inline(never)]
    fn skip_trivia(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'/' if self.src.get(self.pos + 1) == Some(&b'/') => {
                    self.pos = match memchr(b'\n', &self.src[self.pos..]) {
                        Some(n) => self.pos + n,
                        None => self.src.len(),
                    };
                }
                b'/' if self.src.get(self.pos + 1) == Some(&b'*') => {
                    // Not nested; an unterminated comment runs to the end of the file.
                    let body = &self.src[self.pos + 2..];
                    self.pos = match body.windows(2).position(|w| w == b"*/") {
                        Some(n) => self.pos + 2 + n + 2,
                        None => {
                            self.comment_runs_to_end = true;
                            self.src.len()
                        }
                    };
                }
                _ => return,
            }
        }
    }

    /// Whether only trivia remains before the end of the physical line.
    fn rest_of_line_blank(&self) -> bool {
        let mut i = self.pos;
        while let Some(&b) = self.src.get(i) {
            match b {
                b' ' | b'\t' | b'\r' => i += 1,
                b'\n' => return true,
                b'/' if self.src.get(i + 1) == Some(&b'/') => return true,
                _ => return false,
            }
        }
        true
    }

    fn push_raw(&mut self, kind: LexKind, start: usize, end: usize) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, end),
        });
    }

    fn push(&mut self, kind: LexKind, start: usize) {
        self.push_at(kind, start, self.pos);
    }

    #[inline(always)]
    fn push_at(&mut self, kind: LexKind, start: usize, end: usize) {
        if self.line_first.is_none() {
            self.line_first = Some(LineStart {
                block_keyword: kind.introduces_block(),
            });
        }
        self.last_opens = matches!(kind, TokenKind::Colon | TokenKind::Arrow);
        self.push_raw(kind, start, end);
    }

    #[cold]
    #[inline(never)]
    fn error(&mut self, code: Code, start: usize, end: usize, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(code, Span::new(start, end), message));
    }

    /// The identifier or keyword starting at `start` of `src` (`self.src`, which the
    /// caller holds in a register); returns its end.
    #[inline(always)]
    fn word(&mut self, src: &'a [u8], start: usize) -> usize {
        let end = ident_end(src, start + 1);
        let id = self.names.find_at(src, start, end);
        // Two pushes, so that a name's token (most words) is written as a tag and an
        // index rather than copied as a whole kind from wherever it came from.
        match Names::keyword(id) {
            Some(kind) => self.push_at(kind, start, end),
            None => self.push_at(TokenKind::Ident(id), start, end),
        }
        end
    }

    /// The shared [`Name`] for the identifier bytes `text`: one allocation per distinct
    /// name in the file, however often it occurs.
    pub(crate) fn intern(&mut self, text: &'a [u8]) -> Name {
        self.names.intern(text)
    }

    /// The index in the word table of the identifier bytes `text`.
    fn name_id(&mut self, text: &'a [u8]) -> NameId {
        self.names.find(Key::of(text), text)
    }

    /// The name a token's [`NameId`] stands for.
    #[inline]
    pub(crate) fn name(&self, id: NameId) -> &Name {
        self.names.name(id)
    }

    /// Adds a string literal's contents to the string table.
    fn string_id(&mut self, bytes: Box<[u8]>) -> StrId {
        self.strings.push(bytes);
        StrId(self.strings.len() as u32 - 1)
    }

    /// The tokens read, with their names and strings, and the diagnostics.
    fn owned_tokens(mut self) -> (Vec<Token>, Vec<Diagnostic>) {
        let (names, strings) = (&self.names, &mut self.strings);
        let tokens = std::mem::take(&mut self.tokens)
            .into_iter()
            .map(|t| Token {
                kind: t.kind.map(
                    |id| names.name(id).clone(),
                    |id| std::mem::take(&mut strings[id.0 as usize]),
                ),
                span: t.span,
            })
            .collect();
        (tokens, self.diags)
    }
}

/// Whether each byte may continue an identifier: one load and a compare per byte in
/// [`ident_end`]'s loop rather than range tests.
static IDENT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

#[inline]
fn is_ident_byte(b: u8) -> bool {
    IDENT[b as usize]
}

/// The end of the identifier bytes of `src` from `from` on.
#[inline]
fn ident_end(src: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < src.len() && is_ident_byte(src[end]) {
        end += 1;
    }
    end
}

/// The offset of the first `byte` in `haystack`.
#[inline]
fn memchr(byte: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&c| c == byte)
}

/// Bytes that start no token and are grouped into one E1001 report.
fn is_stray_byte(b: u8) -> bool {
    b >= 0x80
        || matches!(b, b'$' | b'@' | b'#' | b'`' | b'\\')
        || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
}

/// The first character of `bytes` for a message: the UTF-8 character if it decodes,
/// otherwise an escape such as `\xFF`.
fn describe_char(bytes: &[u8]) -> String {
    let width = match bytes.first() {
        Some(0xC0..=0xDF) => 2,
        Some(0xE0..=0xEF) => 3,
        Some(0xF0..=0xF7) => 4,
        _ => 1,
    };
    match bytes.get(..width).map(std::str::from_utf8) {
        Some(Ok(s)) if !s.chars().any(char::is_control) => s.to_string(),
        _ => bytes
            .first()
            .map_or(String::new(), |b| format!("\\x{b:02X}")),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests;
