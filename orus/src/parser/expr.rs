//! Expressions: precedence climbing over the binary operators of spec §6.1 with the
//! bitwise levels of ARCHITECTURE.md choice 5, prefix operators, postfix chains (call,
//! index, slice, field), and the primary forms, including struct literals, `match`
//! expressions and anonymous functions (in `decl.rs`).
//!
//! Binding power, loosest first: `or`; `and`; comparisons, `matches` and `as` (one level,
//! left-associative, so `a == b as i32` is `(a == b) as i32`); `|`; `^`; `&`; `<< >>`;
//! `+ -`; `* / %`; then prefix `-`, `not`, `~`; then postfix.

use super::report::ends_with_word;
use super::{Closer, Fail, OneLine, PResult, Parser};
use crate::ast::{
    ArmBody, BinOp, Call, Expr, ExprKind, Field, MatchArm, MatchExpr, Pattern, Slice, StructLit,
    UnaryOp,
};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::{LexKind, TokenKind};

/// An operator at one of the binary levels.
#[derive(Clone, Copy)]
enum Infix {
    Bin(BinOp),
    /// `as`, whose right side is a type.
    As,
}

/// The operator a token stands for and its binding power (higher binds tighter). `&&`
/// and `||` are recognised so that, after their E1018 report, parsing continues as if
/// `and`/`or` had been written.
#[inline(always)]
fn infix(kind: &LexKind) -> Option<(Infix, u8)> {
    use TokenKind as T;
    let (op, power) = match kind {
        T::Or | T::PipePipe => (BinOp::Or, 1),
        T::And | T::AmpAmp => (BinOp::And, 2),
        T::EqEq => (BinOp::Eq, 3),
        T::NotEq => (BinOp::Ne, 3),
        T::Lt => (BinOp::Lt, 3),
        T::Le => (BinOp::Le, 3),
        T::Gt => (BinOp::Gt, 3),
        T::Ge => (BinOp::Ge, 3),
        T::Matches => (BinOp::Matches, 3),
        T::As => return Some((Infix::As, 3)),
        T::Pipe => (BinOp::BitOr, 4),
        T::Caret => (BinOp::BitXor, 5),
        T::Amp => (BinOp::BitAnd, 6),
        T::Shl => (BinOp::Shl, 7),
        T::Shr => (BinOp::Shr, 7),
        T::Plus => (BinOp::Add, 8),
        T::Minus => (BinOp::Sub, 8),
        T::Star => (BinOp::Mul, 9),
        T::Slash => (BinOp::Div, 9),
        T::Percent => (BinOp::Rem, 9),
        _ => return None,
    };
    Some((Infix::Bin(op), power))
}

/// Whether a token after a name or a literal makes more of the operand than the token
/// itself: a call, an index, a field access, or (after a capitalised name) a struct
/// literal's fields.
#[inline]
fn starts_postfix_or_literal(next: &LexKind) -> bool {
    matches!(
        next,
        TokenKind::LParen | TokenKind::LBracket | TokenKind::Dot | TokenKind::LBrace
    )
}

/// Whether a token can begin an expression (used to spot a missing comma in `print`).
pub(super) fn starts_expr(kind: &LexKind) -> bool {
    use TokenKind as T;
    matches!(
        kind,
        T::Int { .. }
            | T::Float(_)
            | T::Str(_)
            | T::Ident(_)
            | T::True
            | T::False
            | T::LParen
            | T::LBracket
            | T::Minus
            | T::Not
            | T::Tilde
            | T::Fn
            | T::Match
            | T::TimeStamp
    )
}

impl Parser<'_> {
    // The functions on the recursion path (`expr` → `binary` → `unary` → `postfix` →
    // `primary` → e.g. `paren` → `expr`) keep few locals and end in tail calls: in debug
    // builds every temporary gets its own stack slot, and 256 levels must fit in a 2 MB
    // thread.

    /// A full expression. Every nested expression goes through here, which bounds the
    /// recursion depth.
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        self.enter("Expression")?;
        let e = self.binary(0);
        self.leave();
        e
    }

    /// Operators binding at least as tightly as `min`.
    fn binary(&mut self, min: u8) -> PResult<Expr> {
        match self.unary() {
            // Most operands are followed by no operator of this level: no call for them.
            Ok(lhs) if !self.at_infix(min) => Ok(lhs),
            Ok(lhs) => self.binary_rest(lhs, min),
            Err(fail) => Err(fail),
        }
    }

    /// Whether the current token is a binary operator binding at least as tightly as
    /// `min` that continues the expression.
    #[inline(always)]
    fn at_infix(&self, min: u8) -> bool {
        !self.ended_block && infix(self.kind()).is_some_and(|(_, power)| power >= min)
    }

    fn binary_rest(&mut self, mut lhs: Expr, min: u8) -> PResult<Expr> {
        let depth = self.depth;
        let mut after_cast = false;
        while !self.ended_block {
            let Some((op, power)) = infix(self.kind()) else {
                break;
            };
            if power < min {
                break;
            }
            // Each operator of a chain deepens the tree by one level.
            self.enter_chain()?;
            if matches!(self.kind(), TokenKind::AmpAmp | TokenKind::PipePipe) {
                if let Some(diag) = self.not_orus() {
                    self.report(diag);
                }
            }
            let op_span = self.bump();
            lhs = match op {
                Infix::As => {
                    if after_cast {
                        self.err(
                            Code::ChainedCast,
                            op_span,
                            "Chained type casts need parentheses: write (v as T) as U",
                        );
                    }
                    after_cast = true;
                    self.cast(lhs, op_span)?
                }
                Infix::Bin(op) => {
                    after_cast = false;
                    self.binary_rhs(lhs, op, op_span, power)?
                }
            };
        }
        self.depth = depth;
        Ok(lhs)
    }

    fn cast(&mut self, lhs: Expr, op_span: Span) -> PResult<Expr> {
        let ty = self.ty()?;
        Ok(Expr {
            kind: ExprKind::Cast {
                expr: Box::new(lhs),
                ty: Box::new(ty),
            },
            span: self.since(op_span.start),
        })
    }

    fn binary_rhs(&mut self, lhs: Expr, op: BinOp, op_span: Span, power: u8) -> PResult<Expr> {
        let rhs = self.binary(power + 1)?;
        Ok(Expr {
            kind: ExprKind::Binary {
                op,
                operands: Box::new([lhs, rhs]),
            },
            span: self.since(op_span.start),
        })
    }

    /// Prefix operators and their operand. A name (with any postfix chain after it) or a
    /// number that no postfix follows, most operands, is read here, without the calls
    /// and the large frame of the general path.
    #[inline]
    fn unary(&mut self) -> PResult<Expr> {
        match *self.kind() {
            TokenKind::Ident(id) if !matches!(self.nth(1), TokenKind::LBrace) => {
                let name = self.lexer.name(id).clone();
                let span = self.bump();
                let e = Expr {
                    kind: ExprKind::Name(name),
                    span,
                };
                // A callee, a base of a field access or an index goes on to its postfix
                // chain from here.
                if self.at_postfix() {
                    return self.postfix_rest(e, span.start);
                }
                Ok(e)
            }
            TokenKind::Int { value, hex } if !starts_postfix_or_literal(self.nth(1)) => {
                let span = self.bump();
                Ok(Expr {
                    kind: ExprKind::Int { value, hex },
                    span,
                })
            }
            TokenKind::Float(value) if !starts_postfix_or_literal(self.nth(1)) => {
                let span = self.bump();
                Ok(Expr {
                    kind: ExprKind::Float(value),
                    span,
                })
            }
            TokenKind::Minus | TokenKind::Not | TokenKind::Tilde | TokenKind::Bang => {
                self.prefixed()
            }
            _ => self.postfix(),
        }
    }

    /// A run of prefix operators, read in a loop so a long run costs no stack.
    fn prefixed(&mut self) -> PResult<Expr> {
        let depth = self.depth;
        let mut ops = Vec::new();
        loop {
            let op = match self.kind() {
                TokenKind::Minus => UnaryOp::Neg,
                TokenKind::Not => UnaryOp::Not,
                TokenKind::Tilde => UnaryOp::BitNot,
                TokenKind::Bang => {
                    if let Some(diag) = self.not_orus() {
                        self.report(diag);
                    }
                    UnaryOp::Not
                }
                _ => break,
            };
            self.enter_chain()?;
            ops.push((op, self.bump().start));
        }
        let mut e = self.postfix()?;
        let end = self.prev_end;
        while let Some((op, start)) = ops.pop() {
            e = Expr {
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(e),
                },
                span: Span { start, end },
            };
        }
        self.depth = depth;
        Ok(e)
    }

    /// A primary expression followed by calls, indexes, slices and field accesses.
    fn postfix(&mut self) -> PResult<Expr> {
        let start = self.start();
        match self.primary() {
            Ok(e) if self.ended_block || !self.at_postfix() => Ok(e),
            Ok(e) => self.postfix_rest(e, start),
            Err(fail) => Err(fail),
        }
    }

    /// Whether the current token starts a call, an index or a field access.
    #[inline]
    fn at_postfix(&self) -> bool {
        matches!(
            self.kind(),
            TokenKind::LParen | TokenKind::LBracket | TokenKind::Dot
        )
    }

    fn postfix_rest(&mut self, mut e: Expr, start: u32) -> PResult<Expr> {
        let depth = self.depth;
        while !self.ended_block {
            e = match self.kind() {
                TokenKind::LParen => {
                    self.enter_chain()?;
                    self.call(e, start)?
                }
                TokenKind::LBracket => {
                    self.enter_chain()?;
                    self.index(e)?
                }
                TokenKind::Dot => {
                    self.enter_chain()?;
                    self.field(e, start)?
                }
                _ => break,
            };
        }
        self.depth = depth;
        Ok(e)
    }

    fn call(&mut self, callee: Expr, start: u32) -> PResult<Expr> {
        let open = self.bump();
        let args = self.list(open, Closer::Paren, |p| p.expr())?;
        Ok(Expr {
            kind: ExprKind::Call(Box::new(Call {
                callee,
                args: args.into_boxed_slice(),
            })),
            span: self.since(start),
        })
    }

    fn field(&mut self, base: Expr, start: u32) -> PResult<Expr> {
        self.bump();
        let name = self.ident("Expected a field or method name after '.'")?;
        Ok(Expr {
            kind: ExprKind::Field(Box::new(Field { base, name })),
            span: self.since(start),
        })
    }

    /// `base[i]`, `base[a..b]`, `base[a..]`, `base[..b]`, `base[..]`.
    fn index(&mut self, base: Expr) -> PResult<Expr> {
        let open = self.bump();
        self.brackets += 1;
        self.after_open(open, Closer::Index)?;
        let kind = if self.eat(TokenKind::DotDot) {
            let end = self.slice_end()?;
            ExprKind::Slice(Box::new(Slice {
                base,
                start: None,
                end,
            }))
        } else {
            let index = self.expr()?;
            if self.eat(TokenKind::DotDot) {
                let end = self.slice_end()?;
                ExprKind::Slice(Box::new(Slice {
                    base,
                    start: Some(index),
                    end,
                }))
            } else {
                ExprKind::Index {
                    base: Box::new(base),
                    index: Box::new(index),
                }
            }
        };
        self.close(open, Closer::Index)?;
        Ok(Expr {
            kind,
            span: self.since(open.start),
        })
    }

    fn slice_end(&mut self) -> PResult<Option<Expr>> {
        if self.at(TokenKind::RBracket) {
            return Ok(None);
        }
        Ok(Some(self.expr()?))
    }

    fn primary(&mut self) -> PResult<Expr> {
        match self.kind() {
            TokenKind::Int { .. }
            | TokenKind::Float(_)
            | TokenKind::Str(_)
            | TokenKind::True
            | TokenKind::False => self.literal(),
            TokenKind::Ident(name) => {
                if matches!(self.nth(1), TokenKind::LBrace)
                    && self
                        .lexer
                        .name(*name)
                        .starts_with(|c: char| c.is_ascii_uppercase())
                {
                    self.struct_lit()
                } else {
                    self.name_expr()
                }
            }
            TokenKind::LParen => self.paren(),
            TokenKind::LBracket => self.array(),
            TokenKind::Fn => self.fn_expr(),
            TokenKind::Match => self.match_expr(),
            TokenKind::TimeStamp => self.time_stamp(),
            _ => {
                self.expected_expr();
                Err(Fail)
            }
        }
    }

    fn literal(&mut self) -> PResult<Expr> {
        let span = self.span();
        let kind = match *self.kind() {
            TokenKind::Int { value, hex } => ExprKind::Int { value, hex },
            TokenKind::Float(value) => ExprKind::Float(value),
            TokenKind::Str(id) => {
                ExprKind::Str(std::mem::take(&mut self.lexer.strings[id.0 as usize]))
            }
            TokenKind::True => ExprKind::Bool(true),
            _ => ExprKind::Bool(false),
        };
        self.bump();
        Ok(Expr { kind, span })
    }

    fn name_expr(&mut self) -> PResult<Expr> {
        let name = self.ident("Expected a name")?;
        Ok(Expr {
            kind: ExprKind::Name(name.name),
            span: name.span,
        })
    }

    /// `( expr )`: the inner expression keeps its own span.
    fn paren(&mut self) -> PResult<Expr> {
        let open = self.bump();
        self.brackets += 1;
        self.after_open(open, Closer::Paren)?;
        if self.at(TokenKind::RParen) {
            self.expected_expr();
            return Err(Fail);
        }
        let e = self.expr()?;
        self.close(open, Closer::Paren)?;
        Ok(e)
    }

    fn array(&mut self) -> PResult<Expr> {
        let open = self.bump();
        let items = self.list(open, Closer::Array, |p| p.expr())?;
        Ok(Expr {
            kind: ExprKind::Array(items.into_boxed_slice()),
            span: self.since(open.start),
        })
    }

    fn match_expr(&mut self) -> PResult<Expr> {
        let m = self.match_common(true)?;
        Ok(Expr {
            span: m.span,
            kind: ExprKind::Match(Box::new(m)),
        })
    }

    fn time_stamp(&mut self) -> PResult<Expr> {
        let start = self.bump().start;
        if !self.at(TokenKind::LParen) {
            self.unexpected("Expected '()' after 'time_stamp'");
            return Err(Fail);
        }
        let open = self.bump();
        self.brackets += 1;
        self.close(open, Closer::Paren)?;
        Ok(Expr {
            kind: ExprKind::TimeStamp,
            span: self.since(start),
        })
    }

    /// E1009 at the current token (or the E1018 report for tokens such as `!`).
    fn expected_expr(&mut self) {
        if let Some(diag) = self.not_orus() {
            self.report(diag);
            return;
        }
        let at = self.span().start as usize;
        let before = self.src[..at].trim_ascii_end();
        if self
            .keywords_as_names
            .iter()
            .any(|k| ends_with_word(before, k.as_bytes()))
        {
            // A use of a keyword already reported as a variable name (`match = 3`).
            return;
        }
        let message = format!("Expected an expression, found {}", self.found());
        let mut diag = Diagnostic::new(Code::ExpectedExpression, self.span(), message);
        // `matches = 3`: a keyword on the left of an assignment was meant as a name.
        if matches!(self.nth(1), TokenKind::Assign | TokenKind::Colon) {
            if let Some(help) = self.keyword_as_name_help() {
                diag = diag.with_help(help);
            }
        }
        // `i++`, `2 ** 8`: a doubled operator from another language.
        if self.at(TokenKind::Plus) && before.ends_with(b"+") {
            diag = diag.with_help("Orus has no `++`; write `i += 1`");
        } else if self.at(TokenKind::Minus) && before.ends_with(b"-") {
            diag = diag.with_help("Orus has no `--`; write `i -= 1`");
        } else if self.at(TokenKind::Star) && before.ends_with(b"*") {
            diag = diag.with_help("Orus has no `**`; multiply, or write a loop");
        } else if self.at(TokenKind::Gt) && before.ends_with(b"<") {
            diag = diag.with_help("Orus writes \"not equal\" as `!=`");
        } else if self.at(TokenKind::LBrace) {
            // `d = {}` / `{"a": 1}` (Python, JavaScript).
            diag = diag.with_help(
                "Orus has no dictionary or object literals: use a struct, or arrays of keys and \
                 values",
            );
        } else if self.at(TokenKind::Assign) && (before.ends_with(b"==") || before.ends_with(b"!="))
        {
            // JavaScript's `===` / `!==`: values of different types never compare here.
            diag = diag.with_help(
                "Orus has no `===` or `!==`: `==` and `!=` already compare values of one type",
            );
        } else if self.at(TokenKind::Newline)
            && !self.at_end_of_input()
            && ends_with_operator(before)
        {
            // `total = a +` with the rest on the next line, as Python without brackets.
            self.continued_at.push(self.span().start as usize);
            diag = diag.with_help(
                "a line ends its statement, even after an operator: to continue an \
                 expression on the next line, wrap it in parentheses (lines inside `( )` join)",
            );
        }
        // `x >>= 1`, `x &= m`: compound assignment exists for + - * / % only.
        if self.at(TokenKind::Assign) {
            let op = [">>", "<<", "&", "|", "^"]
                .into_iter()
                .find(|op| before.ends_with(op.as_bytes()));
            if let Some(op) = op {
                diag = diag.with_help(format!(
                    "there is no `{op}=`; write the operation out, like `x = x {op} value`"
                ));
            }
        }
        self.report(diag);
    }

    /// `Name{ field: value, … }`; fields are separated by commas or line breaks.
    fn struct_lit(&mut self) -> PResult<Expr> {
        let start = self.start();
        let name = self.ident("Expected a struct name")?;
        let open = self.bump();
        self.brackets += 1;
        let fields = self.pending_list(|p| p.field_values(open))?;
        self.close(open, Closer::Brace)?;
        Ok(Expr {
            kind: ExprKind::StructLit(Box::new(StructLit { name, fields })),
            span: self.since(start),
        })
    }

    /// The `field: value` pairs of a struct literal, pushed on their pending stack.
    fn field_values(&mut self, open: Span) -> PResult<()> {
        loop {
            if self.at(TokenKind::RBrace) {
                return Ok(());
            }
            self.after_open(open, Closer::Brace)?;
            let field = self.ident("Expected a field name in the struct literal")?;
            if !self.eat(TokenKind::Colon) {
                self.unexpected("Expected ':' after the field name");
                return Err(Fail);
            }
            let value = self.expr()?;
            self.pending.push((field, value));
            if self.eat(TokenKind::Comma) || self.at(TokenKind::RBrace) {
                continue;
            }
            if matches!(self.kind(), TokenKind::Ident(_)) && self.at_line_break() {
                continue;
            }
            return Err(self.bad_list_end(open, Closer::Brace));
        }
    }

    /// `match subject:` and its indented arms, in statement form (arm bodies are
    /// statements or blocks) or expression form (arm bodies are expressions).
    pub(super) fn match_common(&mut self, expression: bool) -> PResult<MatchExpr> {
        let start = self.bump().start;
        let subject = self.expr()?;
        let what = if expression {
            "match expression"
        } else {
            "match statement"
        };
        self.header_colon(what)?;
        let arms = self.indented_items("'match'", |p| p.match_arm(expression))?;
        let end = arms.last().map_or(self.prev_end, |arm| arm.span.end);
        Ok(MatchExpr {
            subject,
            arms,
            span: Span { start, end },
        })
    }

    fn match_arm(&mut self, expression: bool) -> PResult<MatchArm> {
        let start = self.start();
        let pattern = if self.is_underscore() && *self.nth(1) == TokenKind::Arrow {
            Pattern::Wildcard(self.bump())
        } else {
            Pattern::Expr(self.expr()?)
        };
        if !self.eat(TokenKind::Arrow) {
            if matches!(&pattern, Pattern::Expr(e) if matches!(&e.kind, crate::ast::ExprKind::Name(n) if &**n == "case"))
            {
                // `case 1 ->` (Python's `match`, C's `switch`).
                self.unexpected_with_help(
                    "Expected '->' after the match pattern",
                    "match arms are written without `case`: `1 -> ...`",
                );
                return Err(Fail);
            }
            self.unexpected_after_expr("Expected '->' after the match pattern");
            return Err(Fail);
        }
        let body = if expression {
            ArmBody::Expr(self.expr()?)
        } else {
            ArmBody::Block(self.body(OneLine::Single, "'->'")?)
        };
        Ok(MatchArm {
            pattern,
            body,
            span: self.since(start),
        })
    }
}

/// Whether source text ends with a binary operator (`a +`, `x and`), so that what follows
/// on the next line was meant as its right operand.
fn ends_with_operator(text: &[u8]) -> bool {
    // Only the code of the last line counts, not a comment after it.
    let line = &text[text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..];
    let code = line
        .windows(2)
        .position(|w| w == b"//")
        .map_or(line, |i| &line[..i]);
    let text = code.trim_ascii_end();
    let word = |w: &[u8]| ends_with_word(text, w);
    // A lone `=` (or `+=`) is an assignment still missing its value, not an operator.
    let comparison = [b"==", b"!=", b"<=", b">="]
        .iter()
        .any(|op| text.ends_with(*op));
    matches!(
        text.last(),
        Some(b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'&' | b'|' | b'^')
    ) || comparison
        || word(b"and")
        || word(b"or")
}
