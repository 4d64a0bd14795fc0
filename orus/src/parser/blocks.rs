//! Lines, blocks and bracketed lists: the per-line item loop with its recovery, block
//! bodies (indented or one-line), and comma lists that may span lines.

use super::pending::Listed;
use super::{Closer, Fail, OneLine, PResult, Parser};
use crate::ast::{Block, Stmt};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::TokenKind;

impl<'a> Parser<'a> {
    /// Parses the lines of a block (after its `Indent`, up to and including its `Dedent`)
    /// or of the whole file, one `item` per line, recovering from failed items.
    pub(super) fn items<T: Listed>(
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
    pub(super) fn terminator(&mut self) -> PResult<()> {
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
    pub(super) fn recover(&mut self, brackets: u32) {
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
    pub(super) fn skip_block(&mut self) {
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
    pub(super) fn header_colon(&mut self, what: &str) -> PResult<()> {
        self.colon_missing = false;
        if self.eat(TokenKind::Colon) {
            return Ok(());
        }
        self.no_header_colon(what)
    }

    /// [`Parser::header_colon`] without its `:`.
    #[cold]
    #[inline(never)]
    pub(super) fn no_header_colon(&mut self, what: &str) -> PResult<()> {
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
    pub(super) fn body(&mut self, one_line: OneLine, what: &str) -> PResult<Block> {
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
    pub(super) fn indented_block(&mut self, module_scope: bool) -> PResult<Block> {
        self.enter("Block")?;
        let indent = self.bump();
        let saved = std::mem::replace(&mut self.module_scope, module_scope);
        let stmts = self.items(true, |p| p.stmt());
        self.module_scope = saved;
        self.leave();
        Ok(block_of(stmts, indent))
    }

    /// A body written on its header's line.
    pub(super) fn one_line(&mut self, form: OneLine) -> PResult<Block> {
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
    pub(super) fn indented_items<T: Listed>(
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
    pub(super) fn bad_list_end(&mut self, open: Span, closer: Closer) -> Fail {
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
    pub(super) fn comment_before_current(&self) -> &[u8] {
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
    pub(super) fn after_open(&mut self, open: Span, closer: Closer) -> PResult<()> {
        if self.at_layout() {
            return Err(self.bad_list_end(open, closer));
        }
        Ok(())
    }

    /// Whether only blanks or a comment follow the next token on its line (`global x`).
    pub(super) fn line_ends_after_next(&self) -> bool {
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
    pub(super) fn at_layout(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Newline | TokenKind::Indent | TokenKind::Dedent | TokenKind::Eof
        )
    }

    /// Consumes the closer of a bracket opened at `open`. Forced inline like
    /// [`Parser::ident`]; a missing closer is reported out of line.
    #[inline(always)]
    pub(super) fn close(&mut self, open: Span, closer: Closer) -> PResult<()> {
        if self.eat(closer.token()) {
            self.brackets = self.brackets.saturating_sub(1);
            return Ok(());
        }
        self.not_closed(open, closer)
    }

    /// [`Parser::close`]'s failure: what stands where the closer should be.
    #[cold]
    #[inline(never)]
    pub(super) fn not_closed(&mut self, open: Span, closer: Closer) -> PResult<()> {
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
    pub(super) fn list<T: Listed>(
        &mut self,
        open: Span,
        closer: Closer,
        item: impl FnMut(&mut Self) -> PResult<T>,
    ) -> PResult<Vec<T>> {
        self.pending_list(|p| p.list_items(open, closer, item))
    }

    /// The list of `T` that `read` pushes on its pending stack (`pending.rs`).
    pub(super) fn pending_list<T: Listed>(
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
    pub(super) fn list_items<T: Listed>(
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
