//! Statements: bindings and assignments, control flow (`if`, `while`, `for`, labels,
//! `break`, `continue`, `return`), `print`, `match`, `try`/`catch`, `throw`, and dispatch
//! to the declarations in `decl.rs`.
//!
//! A statement starting with a name is classified by the next token: `=` or `:` starts a
//! binding list (`a = 1, mut b: i64 = 2`), `,` a destructuring (`a, b = f()`); anything
//! else is an expression, which becomes an assignment if `=` or a compound operator
//! follows and it is a valid target (a name, a field, an element).

use super::expr::starts_expr;
use super::{Closer, Fail, OneLine, PResult, Parser};
use crate::ast::{
    Assign, BinOp, Binding, Block, Destructure, Expr, ExprKind, For, ForIter, Ident, Stmt,
    StmtKind, Try, While,
};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::{LexKind, TokenKind};

/// The arithmetic of a compound assignment token.
fn compound_op(kind: &LexKind) -> Option<BinOp> {
    Some(match kind {
        TokenKind::PlusEq => BinOp::Add,
        TokenKind::MinusEq => BinOp::Sub,
        TokenKind::StarEq => BinOp::Mul,
        TokenKind::SlashEq => BinOp::Div,
        TokenKind::PercentEq => BinOp::Rem,
        _ => return None,
    })
}

impl Parser<'_> {
    /// One statement, without its terminator.
    pub(super) fn stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        match self.stmt_kind(start) {
            Ok(kind) => Ok(Stmt {
                kind,
                span: self.since(start),
            }),
            Err(fail) => Err(fail),
        }
    }

    /// Dispatch on the first token. Every arm is a single call, so this frame stays small
    /// on the recursion path of nested blocks (debug builds give each temporary a slot).
    fn stmt_kind(&mut self, start: u32) -> PResult<StmtKind> {
        // `for = 2`, `in = 3`: a keyword assigned to as if it were a variable (a name,
        // the common case, is told by one test).
        if !matches!(self.kind(), TokenKind::Ident(_)) && matches!(self.nth(1), TokenKind::Assign) {
            if let Some(help) = self.keyword_as_name_help() {
                let word = self.text(self.span());
                let diag = Diagnostic::new(
                    Code::ExpectedExpression,
                    self.span(),
                    format!("Expected a variable name, found the keyword '{word}'"),
                )
                .with_help(help);
                self.report(diag);
                self.keywords_as_names.push(word);
                return Err(Fail);
            }
        }
        match self.kind() {
            TokenKind::Label(_) => self.labeled_loop(),
            TokenKind::If => self.if_stmt(),
            TokenKind::While => self.while_stmt(None),
            TokenKind::For => self.for_stmt(None),
            TokenKind::Break | TokenKind::Continue => self.jump(),
            TokenKind::Return => self.return_stmt(),
            TokenKind::Print | TokenKind::PrintNoNewline => self.print_stmt(),
            TokenKind::Fn if matches!(self.nth(1), TokenKind::Ident(_)) => {
                self.fn_stmt(start, false)
            }
            TokenKind::Struct => self.struct_decl(false),
            TokenKind::Enum => self.enum_decl(false),
            TokenKind::Impl => self.impl_decl(false),
            TokenKind::Match => self.match_stmt(),
            TokenKind::Try => self.try_stmt(),
            TokenKind::Throw => self.throw_stmt(),
            TokenKind::Use => self.use_decl(),
            TokenKind::Module => self.module_decl(),
            TokenKind::Global => self.global_decl(start, false),
            TokenKind::Pub => self.pub_decl(),
            TokenKind::Mut | TokenKind::Const => self.bindings(),
            TokenKind::Elif | TokenKind::Else | TokenKind::Catch => self.orphan(),
            TokenKind::Ident(word) if matches!(self.nth(1), TokenKind::Ident(_)) => {
                match foreign_keyword(self.lexer.name(*word)) {
                    Some(help) => self.foreign_keyword(help),
                    None => self.expr_stmt(),
                }
            }
            TokenKind::Ident(word)
                if &**self.lexer.name(*word) == "finally"
                    && matches!(self.nth(1), TokenKind::Colon) =>
            {
                self.foreign_keyword("Orus has no `finally`: put that code after the try/catch")
            }
            TokenKind::Ident(_) => match self.nth(1) {
                TokenKind::Assign | TokenKind::Colon => self.bindings(),
                TokenKind::Comma => self.destructure(),
                _ => self.expr_stmt(),
            },
            _ => self.expr_stmt(),
        }
    }

    /// `break ['label]` or `continue ['label]`.
    fn jump(&mut self) -> PResult<StmtKind> {
        let is_break = self.at(TokenKind::Break);
        self.bump();
        let label = self.label_ref();
        Ok(if is_break {
            StmtKind::Break { label }
        } else {
            StmtKind::Continue { label }
        })
    }

    fn match_stmt(&mut self) -> PResult<StmtKind> {
        Ok(StmtKind::Match(Box::new(self.match_common(false)?)))
    }

    fn throw_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        Ok(StmtKind::Throw(self.expr()?))
    }

    /// A statement that starts with another language's keyword (`def f`, `let x`): one
    /// E1018 at the keyword, naming the Orus form, instead of "expected a new line" at the
    /// second word.
    fn foreign_keyword(&mut self, help: &str) -> PResult<StmtKind> {
        let word = self.text(self.span());
        let diag = Diagnostic::new(
            Code::NotInLanguage,
            self.span(),
            format!("'{word}' is not a keyword in Orus"),
        )
        .with_help(help);
        self.report(diag);
        Err(Fail)
    }

    /// `elif`, `else` or `catch` with nothing to attach to.
    fn orphan(&mut self) -> PResult<StmtKind> {
        let word = self.text(self.span());
        let owner = if word == "catch" {
            "a 'try'"
        } else {
            "an 'if'"
        };
        let message = format!("'{word}' needs {owner} before it");
        self.err(Code::ExpectedExpression, self.span(), message);
        Err(Fail)
    }

    /// `a = 1, mut b = 2, c: T = 3, const d = 4`
    fn bindings(&mut self) -> PResult<StmtKind> {
        let mut list = vec![self.binding()?];
        while !self.ended_block && self.eat(TokenKind::Comma) {
            list.push(self.binding()?);
        }
        Ok(StmtKind::Bind(list))
    }

    fn binding(&mut self) -> PResult<Binding> {
        let start = self.start();
        let mutable = self.eat(TokenKind::Mut);
        let is_const = !mutable && self.eat(TokenKind::Const);
        let name = self.ident("Expected a variable name")?;
        let ty = if self.eat(TokenKind::Colon) {
            Some(Box::new(self.ty()?))
        } else {
            None
        };
        let declares = mutable || is_const || ty.is_some();
        if compound_op(self.kind()).is_some() {
            self.err(
                Code::CompoundDeclares,
                self.span(),
                "Compound assignments cannot declare a new variable",
            );
            return Err(Fail);
        }
        if !self.eat(TokenKind::Assign) {
            self.missing_initializer(&name);
            return Err(Fail);
        }
        let value = self.expr()?;
        Ok(Binding {
            name,
            mutable,
            ty,
            value,
            declares,
            is_const,
            span: self.since(start),
        })
    }

    /// `a, b = value`
    fn destructure(&mut self) -> PResult<StmtKind> {
        let mut names = vec![self.ident("Expected a variable name")?];
        while self.eat(TokenKind::Comma) {
            names.push(self.ident("Expected a variable name to unpack into")?);
        }
        if !self.eat(TokenKind::Assign) {
            self.unexpected("Expected '=' after the names to unpack");
            return Err(Fail);
        }
        let value = self.expr()?;
        Ok(StmtKind::Destructure(Box::new(Destructure {
            names,
            value,
        })))
    }

    /// An expression statement, or an assignment to a target expression.
    fn expr_stmt(&mut self) -> PResult<StmtKind> {
        let start = self.start();
        let target = self.expr()?;
        if self.ended_block {
            return Ok(StmtKind::Expr(target));
        }
        let op = match self.kind() {
            TokenKind::Assign => None,
            kind => match compound_op(kind) {
                Some(op) => Some((op, self.span())),
                None => return Ok(StmtKind::Expr(target)),
            },
        };
        let valid = matches!(
            target.kind,
            ExprKind::Name(_) | ExprKind::Field { .. } | ExprKind::Index { .. }
        );
        if !valid {
            let span = self.since(start);
            self.err(
                Code::InvalidAssignTarget,
                span,
                "Can't assign to this expression",
            );
            return Err(Fail);
        }
        self.bump();
        let value = self.expr()?;
        Ok(match (target.kind, op) {
            (ExprKind::Name(name), None) => StmtKind::Bind(vec![Binding {
                name: Ident {
                    name,
                    span: target.span,
                },
                mutable: false,
                ty: None,
                value,
                declares: false,
                is_const: false,
                span: self.since(start),
            }]),
            (kind, op) => StmtKind::Assign(Box::new(Assign {
                target: Expr {
                    kind,
                    span: target.span,
                },
                op,
                value,
            })),
        })
    }

    /// An optional `'label` after `break`/`continue`.
    fn label_ref(&mut self) -> Option<Ident> {
        let TokenKind::Label(name) = *self.kind() else {
            return None;
        };
        let name = self.lexer.name(name).clone();
        let span = self.bump();
        Some(Ident { name, span })
    }

    /// `'name: for …` or `'name: while …`
    fn labeled_loop(&mut self) -> PResult<StmtKind> {
        let label = self.label_ref();
        if !self.eat(TokenKind::Colon) {
            self.unexpected("Expected ':' after the loop label");
            return Err(Fail);
        }
        match self.kind() {
            TokenKind::For => self.for_stmt(label),
            TokenKind::While => self.while_stmt(label),
            _ => {
                self.unexpected("Expected 'for' or 'while' after the loop label");
                Err(Fail)
            }
        }
    }

    fn if_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        let mut branches = vec![self.branch("if statement")?];
        let mut else_block = None;
        loop {
            if self.continues_with(TokenKind::Elif) {
                self.eat(TokenKind::Newline);
                self.bump();
                branches.push(self.branch("elif statement")?);
            } else if self.continues_with(TokenKind::Else) {
                self.eat(TokenKind::Newline);
                self.bump();
                if self.at(TokenKind::If) {
                    self.report(
                        Diagnostic::new(
                            Code::ExpectedToken,
                            self.span(),
                            "Expected ':' after else",
                        )
                        .with_help("write `elif` instead of `else if`"),
                    );
                    // Read on as the `elif` it means, so a later `else` still has its `if`.
                    self.bump();
                    branches.push(self.branch("elif statement")?);
                    continue;
                }
                self.header_colon("else")?;
                else_block = Some(Box::new(self.body(OneLine::Single, "else")?));
                break;
            } else {
                break;
            }
        }
        Ok(StmtKind::If {
            branches,
            else_block,
        })
    }

    /// Whether the statement goes on with `word` (`elif`, `else`, `catch`): directly
    /// after a block, or on the next line after a one-line body.
    fn continues_with(&self, word: LexKind) -> bool {
        if self.ended_block {
            return *self.kind() == word;
        }
        self.at(TokenKind::Newline) && *self.nth(1) == word
    }

    /// `cond: body` of an `if` or `elif`.
    fn branch(&mut self, what: &str) -> PResult<(Expr, Block)> {
        let cond = self.condition()?;
        self.header_colon(what)?;
        let body = self.body(OneLine::Single, what)?;
        Ok((cond, body))
    }

    /// A condition; `=` where `==` was meant is reported (E1023) and read as `==`.
    fn condition(&mut self) -> PResult<Expr> {
        let cond = self.expr()?;
        if self.ended_block || !self.at(TokenKind::Assign) {
            return Ok(cond);
        }
        let eq = self.bump();
        self.report(
            Diagnostic::new(
                Code::AssignInCondition,
                eq,
                "Use '==' to compare; '=' assigns",
            )
            .with_help("use `==`"),
        );
        let rhs = self.expr()?;
        Ok(Expr {
            kind: ExprKind::Binary {
                op: BinOp::Eq,
                operands: Box::new([cond, rhs]),
            },
            span: self.since(eq.start),
        })
    }

    fn while_stmt(&mut self, label: Option<Ident>) -> PResult<StmtKind> {
        self.bump();
        let cond = self.condition()?;
        self.header_colon("while statement")?;
        let body = self.body(OneLine::Many, "while statement")?;
        Ok(StmtKind::While(Box::new(While { label, cond, body })))
    }

    /// `for x in a..b[..step]:`, `for x in a..=b[..step]:`, `for x in expr:`
    fn for_stmt(&mut self, label: Option<Ident>) -> PResult<StmtKind> {
        self.bump();
        let var = self.ident("Expected a loop variable name after 'for'")?;
        if !self.eat(TokenKind::In) {
            self.unexpected("Expected 'in' after the loop variable");
            return Err(Fail);
        }
        let first = self.expr()?;
        let iter = match self.kind() {
            TokenKind::DotDot | TokenKind::DotDotEq => {
                let inclusive = self.at(TokenKind::DotDotEq);
                self.bump();
                let end = self.expr()?;
                let step = if self.eat(TokenKind::DotDot) {
                    Some(Box::new(self.expr()?))
                } else {
                    None
                };
                ForIter::Range {
                    start: first,
                    end,
                    step,
                    inclusive,
                }
            }
            _ => ForIter::Each(first),
        };
        self.header_colon("for statement")?;
        let body = if self.at(TokenKind::Newline) {
            self.body(OneLine::Many, "for statement")?
        } else {
            self.err(
                Code::ExpectedToken,
                self.span(),
                "The body of a 'for' loop must start on the next line, indented",
            );
            self.one_line(OneLine::Many)?
        };
        Ok(StmtKind::For(Box::new(For {
            label,
            var,
            iter,
            body,
        })))
    }

    /// `return`, `return e`, or `return a, b` (the array `[a, b]`).
    fn return_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if self.at_stmt_end() {
            return Ok(StmtKind::Return(None));
        }
        let start = self.start();
        let first = self.expr()?;
        if self.ended_block || !self.at(TokenKind::Comma) {
            return Ok(StmtKind::Return(Some(first)));
        }
        let mut elems = vec![first];
        while !self.ended_block && self.eat(TokenKind::Comma) {
            elems.push(self.expr()?);
        }
        Ok(StmtKind::Return(Some(Expr {
            kind: ExprKind::Array(elems.into_boxed_slice()),
            span: self.since(start),
        })))
    }

    /// `print(a, b, …)` / `print_no_newline(…)`; a missing comma between two arguments
    /// is reported (E1011) and parsing goes on as if it were there.
    fn print_stmt(&mut self) -> PResult<StmtKind> {
        let newline = self.at(TokenKind::Print);
        self.bump();
        if !self.at(TokenKind::LParen) {
            let word = if newline { "print" } else { "print_no_newline" };
            self.unexpected(&format!("Expected '(' after '{word}'"));
            return Err(Fail);
        }
        let open = self.bump();
        self.brackets += 1;
        let args = self.pending_list(|p| p.print_args(open))?;
        self.close(open, Closer::Paren)?;
        Ok(StmtKind::Print { args, newline })
    }

    /// The arguments of `print`, pushed on the pending expressions.
    fn print_args(&mut self, open: Span) -> PResult<()> {
        loop {
            if self.at(TokenKind::RParen) {
                return Ok(());
            }
            self.after_open(open, Closer::Paren)?;
            let arg = self.expr()?;
            let is_f = matches!(&arg.kind, ExprKind::Name(n) if &**n == "f");
            self.pending.push(arg);
            if self.eat(TokenKind::Comma) || self.at(TokenKind::RParen) {
                continue;
            }
            if starts_expr(self.kind()) && !self.at_line_break() {
                // A string shows its own quotes; other tokens get the spec's quotes.
                let text = self.text(self.span());
                let shown = if text.starts_with('"') {
                    text.clone()
                } else {
                    format!("\"{text}\"")
                };
                let message =
                    format!("I was expecting a comma before {shown} so the next value is clear.");
                let mut diag = Diagnostic::new(Code::PrintNeedsComma, self.span(), message);
                // `f"..."`: Python's f-string, read as the name `f` and then a string.
                if is_f && text.starts_with('"') {
                    diag = diag.with_help(
                        "Orus has no f-strings: `print(\"hello @\", name)` puts `name` at the @",
                    );
                }
                self.report(diag);
                continue;
            }
            return Err(self.bad_list_end(open, Closer::Paren));
        }
    }

    /// `try: … catch [name]: …`
    fn try_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        self.header_colon("try")?;
        let body = self.body(OneLine::Single, "try")?;
        // Python's `except e:`: reported once, then read as the `catch` it stands for.
        let except = {
            let next = if self.ended_block {
                self.kind()
            } else {
                self.nth(1)
            };
            let newline_first = self.ended_block || self.at(TokenKind::Newline);
            newline_first
                && matches!(next, TokenKind::Ident(word) if &**self.lexer.name(*word) == "except")
        };
        if except {
            self.eat(TokenKind::Newline);
            let diag = Diagnostic::new(
                Code::NotInLanguage,
                self.span(),
                "'except' is not a keyword in Orus",
            )
            .with_help("write `catch e:`");
            self.report(diag);
        } else if !self.continues_with(TokenKind::Catch) {
            self.err(
                Code::ExpectedToken,
                self.span(),
                "Expected 'catch' after the 'try' block",
            );
            let handler = Block {
                stmts: Vec::new(),
                span: Span::new(body.span.end as usize, body.span.end as usize),
            };
            return Ok(StmtKind::Try(Box::new(Try {
                body,
                catch_name: None,
                handler,
            })));
        }
        self.eat(TokenKind::Newline);
        self.bump();
        let catch_name = if matches!(self.kind(), TokenKind::Ident(_)) {
            Some(self.ident("Expected a name")?)
        } else {
            None
        };
        self.header_colon("catch")?;
        let handler = self.body(OneLine::Single, "catch")?;
        Ok(StmtKind::Try(Box::new(Try {
            body,
            catch_name,
            handler,
        })))
    }
}

/// The Orus form of a keyword that starts statements in other languages, for the
/// `def f(...)`-style mistake; `None` for any other word.
fn foreign_keyword(word: &str) -> Option<&'static str> {
    Some(match word {
        "def" | "func" | "function" => "functions are declared with `fn name(params):`",
        "let" | "var" => "declare with `x = value`, or `mut x = value` to change it later",
        "except" => "handle errors with `try:` ... `catch e:`",
        "import" | "from" | "require" | "include" => "import a module with `use a.b`",
        "switch" => "use `match value:` with `pattern -> ...` arms",
        "new" => "build a struct value with `Name{field: value}`",
        "lambda" => "write `fn(x):` with the body on the next line",
        "class" => "declare data with `struct Name:` and methods with `impl Name:`",
        _ => return None,
    })
}
