//! The punctuation that does more than make a token, and the bytes that start no token.
//! Brackets and `:` also drive the layout contexts (`Ctx`), and `=` inside brackets
//! triggers the unclosed-bracket recovery; both are described in `lexer.rs`, whose line
//! loop reads the plain operators itself and calls these for the rest.

use super::{describe_char, ident_end, is_stray_byte, lossy, Ctx, Level, Lexer, UTF8_BOM};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::{LexKind, TokenKind};

impl Lexer<'_> {
    /// A `'` at `self.pos`: a string written with single quotes, or a loop label.
    #[inline(never)]
    pub(super) fn quote(&mut self) {
        let start = self.pos;
        let next = self.src.get(start + 1).copied().unwrap_or(0);
        if self.single_quoted_end(start).is_some() {
            self.single_quoted();
        } else if next.is_ascii_alphabetic() || next == b'_' {
            let end = ident_end(self.src, start + 1);
            let name = self.name_id(&self.src[start + 1..end]);
            self.pos = end;
            self.push(TokenKind::Label(name), start);
        } else {
            self.unexpected_run();
        }
    }

    /// `(`, `[` or `{`.
    pub(super) fn opener(&mut self, b: u8) {
        let start = self.pos;
        self.pos += 1;
        let kind = match b {
            b'(' => TokenKind::LParen,
            b'[' => TokenKind::LBracket,
            _ => TokenKind::LBrace,
        };
        self.push(kind, start);
        self.ctx.push(Ctx::Bracket { open: b });
    }

    /// `=` or a compound assignment, `len` bytes long.
    pub(super) fn assignment(&mut self, kind: LexKind, len: usize) {
        if matches!(self.ctx.last(), Some(Ctx::Bracket { .. })) {
            if let Some(mark) = self.bracket_line {
                // `=` never appears inside brackets: the bracket was left open.
                self.resync(mark);
                return;
            }
        }
        let start = self.pos;
        self.pos += len;
        self.push(kind, start);
    }

    /// `:`. At the end of a line inside brackets it opens a nested layout.
    pub(super) fn colon(&mut self) {
        let start = self.pos;
        self.pos += 1;
        self.push(TokenKind::Colon, start);
        if matches!(self.ctx.last(), Some(Ctx::Bracket { .. })) && self.rest_of_line_blank() {
            let outer_line = self.line_first;
            self.ctx.push(Ctx::Layout {
                levels: vec![Level {
                    col: self.line_indent,
                    real: false,
                }],
                nested: true,
                outer_line,
            });
        }
    }

    /// A closing bracket. It first ends any nested layout opened inside its bracket.
    pub(super) fn closer(&mut self, b: u8) {
        let start = self.pos;
        let open = match b {
            b')' => b'(',
            b']' => b'[',
            _ => b'{',
        };
        loop {
            match self.ctx.last() {
                Some(Ctx::Layout { nested: true, .. }) => self.close_layout(start),
                Some(Ctx::Bracket { open: o }) if *o == open => {
                    self.ctx.pop();
                    break;
                }
                Some(Ctx::Bracket { .. }) => {
                    // Mismatched: close up to a matching bracket of this layout, if any.
                    let matching = self
                        .ctx
                        .iter()
                        .rev()
                        .take_while(|c| matches!(c, Ctx::Bracket { .. }))
                        .position(|c| matches!(c, Ctx::Bracket { open: o } if *o == open));
                    if let Some(n) = matching {
                        let keep = self.ctx.len() - n - 1;
                        self.ctx.truncate(keep);
                    }
                    break;
                }
                _ => break,
            }
        }
        if !matches!(self.ctx.last(), Some(Ctx::Bracket { .. })) {
            self.bracket_line = None;
        }
        self.pos += 1;
        let kind = match b {
            b')' => TokenKind::RParen,
            b']' => TokenKind::RBracket,
            _ => TokenKind::RBrace,
        };
        self.push(kind, start);
    }

    /// Where a `'...'` that looks like a string written with single quotes (Python,
    /// JavaScript) ends: the next `'` on the same line, with no `"` before it. Labels
    /// (`'outer:`, `break 'outer`) have no second quote.
    fn single_quoted_end(&self, start: usize) -> Option<usize> {
        let rest = &self.src[start + 1..];
        let n = rest
            .iter()
            .position(|&c| matches!(c, b'\'' | b'"' | b'\n'))?;
        (rest[n] == b'\'').then_some(start + 1 + n)
    }

    /// `'text'`: one E1001 at the opening quote saying strings use double quotes, and a
    /// string token, so the rest of the line is read as the user meant it.
    fn single_quoted(&mut self) {
        let start = self.pos;
        let end = self
            .single_quoted_end(start)
            .expect("checked by the caller");
        let text = self.src[start + 1..end].to_vec();
        let shown = lossy(&text);
        self.diags.push(
            Diagnostic::new(
                Code::UnexpectedChar,
                Span::new(start, start + 1),
                "Unexpected character `'`: strings use double quotes",
            )
            .with_help(format!("write \"{shown}\"")),
        );
        self.pos = end + 1;
        let id = self.string_id(text.into_boxed_slice());
        self.push(TokenKind::Str(id), start);
    }

    /// A run of bytes that start no token: one E1001 for the whole run.
    #[inline(never)]
    pub(super) fn unexpected_run(&mut self) {
        let start = self.pos;
        while let Some(&b) = self.src.get(self.pos) {
            if self.pos > start && !is_stray_byte(b) {
                break;
            }
            self.pos += 1;
        }
        let first = describe_char(&self.src[start..self.pos]);
        let mut diag = Diagnostic::new(
            Code::UnexpectedChar,
            Span::new(start, self.pos),
            format!("Unexpected character '{first}'"),
        );
        if self.src[start] == b'#' {
            diag = diag.with_help("Comments in Orus start with `//`.");
        } else if self.src[start..].starts_with(UTF8_BOM) {
            // Invisible in an editor: name it.
            diag.message = "Unexpected byte order mark (U+FEFF)".into();
            diag = diag.with_help(
                "only one, at the very start of the file, is allowed: delete this one (most \
                 editors can save the file as UTF-8 without a BOM)",
            );
        }
        self.diags.push(diag);
    }
}
