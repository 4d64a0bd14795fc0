//! Declarations and types: functions (named and anonymous), `struct`, `enum`, `impl`,
//! `use`, `module`, `global`, the `pub` prefix, and written types (`i32`, `Point`, `[T]`,
//! `fn(T, U) -> R`, with an ignored `?` suffix).
//!
//! `pub`, `use`, `global` and `module` are only allowed at module scope (the file, or the
//! block of `module a.b:`); elsewhere they are reported (E1026) and parsed anyway so the
//! rest of the statement produces no further errors.

use super::{Closer, Fail, OneLine, PResult, Parser};
use crate::ast::{
    Binding, EnumDecl, Expr, ExprKind, FieldDecl, FnDecl, FnType, Ident, ImplDecl, Name, Param,
    StmtKind, StructDecl, TypeExpr, TypeExprKind, UseDecl, UseItem, VariantDecl,
};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::TokenKind;

impl Parser<'_> {
    pub(super) fn fn_stmt(&mut self, start: u32, is_pub: bool) -> PResult<StmtKind> {
        Ok(StmtKind::Fn(Box::new(self.fn_decl(start, is_pub)?)))
    }

    /// `fn name(params) [-> T]:` and its body (a block, or `;`-separated statements on
    /// the same line). `start` is where the declaration began (`pub` included).
    pub(super) fn fn_decl(&mut self, start: u32, is_pub: bool) -> PResult<FnDecl> {
        self.bump();
        let name = self.ident("Expected a function name after 'fn'")?;
        let (params, ret) = self.signature()?;
        self.header_colon("the function signature")?;
        let body = self.body(OneLine::Many, "the function signature")?;
        Ok(FnDecl {
            name: Some(name),
            params,
            ret,
            body,
            is_pub,
            span: self.since(start),
        })
    }

    /// An anonymous `fn(params) [-> T]:` whose block starts on the next line.
    pub(super) fn fn_expr(&mut self) -> PResult<Expr> {
        let start = self.bump().start;
        let (params, ret) = self.signature()?;
        self.header_colon("the function signature")?;
        let body = if self.at(TokenKind::Newline) {
            self.body(OneLine::Many, "the function signature")?
        } else {
            self.err(
                Code::ExpectedToken,
                self.span(),
                "The body of an anonymous function must start on the next line, indented",
            );
            self.one_line(OneLine::Many)?
        };
        let decl = FnDecl {
            name: None,
            params,
            ret,
            body,
            is_pub: false,
            span: self.since(start),
        };
        Ok(Expr {
            span: decl.span,
            kind: ExprKind::Fn(Box::new(decl)),
        })
    }

    /// `(name [: T], …) [-> T]`
    fn signature(&mut self) -> PResult<(Vec<Param>, Option<TypeExpr>)> {
        if !self.at(TokenKind::LParen) {
            self.unexpected("Expected '(' to start the parameter list");
            return Err(Fail);
        }
        let open = self.bump();
        let params = self.list(open, Closer::Paren, |p| {
            if p.at(TokenKind::Mut) {
                // Rust's `fn inc(mut n: i32)`.
                p.unexpected_with_help(
                    "Expected a parameter name",
                    "parameters are immutable and can't be declared `mut`; to change one, copy \
                     it into a variable in the body: `mut n2 = n`",
                );
                return Err(Fail);
            }
            let name = p.ident("Expected a parameter name")?;
            let ty = if p.eat(TokenKind::Colon) {
                Some(p.ty()?)
            } else {
                None
            };
            Ok(Param { name, ty })
        })?;
        let ret = if self.eat(TokenKind::Arrow) {
            Some(self.ty()?)
        } else {
            None
        };
        Ok((params, ret))
    }

    /// `struct Name:` with one `field: T [= default]` per indented line.
    pub(super) fn struct_decl(&mut self, is_pub: bool) -> PResult<StmtKind> {
        self.bump();
        let name = self.ident("Expected a struct name after 'struct'")?;
        self.header_colon("the struct name")?;
        let fields = self.indented_items("'struct'", |p| {
            let name = p.ident("Expected a field name")?;
            if !p.eat(TokenKind::Colon) {
                p.unexpected("Expected ':' and a type after the field name");
                return Err(Fail);
            }
            let ty = p.ty()?;
            let default = if p.eat(TokenKind::Assign) {
                Some(p.expr()?)
            } else {
                None
            };
            Ok(FieldDecl { name, ty, default })
        })?;
        Ok(StmtKind::Struct(Box::new(StructDecl {
            name,
            fields,
            is_pub,
        })))
    }

    /// `enum Name:` with variants `V` or `V(T, name: T)` on indented lines (several per
    /// line when separated by commas).
    pub(super) fn enum_decl(&mut self, is_pub: bool) -> PResult<StmtKind> {
        self.bump();
        let name = self.ident("Expected an enum name after 'enum'")?;
        self.header_colon("the enum name")?;
        let lines = self.indented_items("'enum'", |p| {
            let mut variants = vec![p.variant()?];
            while p.eat(TokenKind::Comma) {
                if p.at_stmt_end() {
                    break;
                }
                variants.push(p.variant()?);
            }
            Ok(variants)
        })?;
        let mut variants = Vec::with_capacity(lines.iter().map(Vec::len).sum());
        variants.extend(lines.into_iter().flatten());
        Ok(StmtKind::Enum(Box::new(EnumDecl {
            name,
            variants,
            is_pub,
        })))
    }

    fn variant(&mut self) -> PResult<VariantDecl> {
        let name = self.ident("Expected a variant name")?;
        let mut fields = Vec::new();
        if self.at(TokenKind::LParen) {
            let open = self.bump();
            fields = self.list(open, Closer::Paren, |p| {
                let label =
                    if matches!(p.kind(), TokenKind::Ident(_)) && *p.nth(1) == TokenKind::Colon {
                        let label = p.ident("Expected a field name")?;
                        p.bump();
                        Some(label)
                    } else {
                        None
                    };
                Ok((label, p.ty()?))
            })?;
        }
        Ok(VariantDecl { name, fields })
    }

    /// `impl Name:` with `[pub] fn` definitions on indented lines.
    pub(super) fn impl_decl(&mut self, is_pub: bool) -> PResult<StmtKind> {
        self.bump();
        let type_name = self.ident("Expected a type name after 'impl'")?;
        self.header_colon("the impl type name")?;
        let methods = self.indented_items("'impl'", |p| {
            let start = p.start();
            let is_pub = p.eat(TokenKind::Pub);
            if !p.at(TokenKind::Fn) || !matches!(p.nth(1), TokenKind::Ident(_)) {
                p.unexpected("Expected a method definition ('fn name(...)') inside 'impl'");
                return Err(Fail);
            }
            p.fn_decl(start, is_pub)
        })?;
        Ok(StmtKind::Impl(Box::new(ImplDecl {
            type_name,
            methods,
            is_pub,
        })))
    }

    /// `use a.b`, `use a.b: *`, `use a.b: x, y as z`, `use a.b as m`.
    pub(super) fn use_decl(&mut self) -> PResult<StmtKind> {
        self.module_only("use");
        self.bump();
        let path = self.path("'use'")?;
        let mut items = None;
        if self.eat(TokenKind::Colon) && !self.eat(TokenKind::Star) {
            let mut list = Vec::new();
            loop {
                let name = self.ident("Expected a name to import")?;
                let alias = if self.eat(TokenKind::As) {
                    Some(self.ident("Expected a name after 'as'")?)
                } else {
                    None
                };
                list.push(UseItem { name, alias });
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
            items = Some(list);
        }
        let alias = if items.is_none() && self.eat(TokenKind::As) {
            Some(self.ident("Expected a module alias after 'as'")?)
        } else {
            None
        };
        Ok(StmtKind::Use(Box::new(UseDecl { path, items, alias })))
    }

    /// `module a.b` or `module a.b:` with the rest of the file indented below it.
    pub(super) fn module_decl(&mut self) -> PResult<StmtKind> {
        self.module_only("module");
        self.bump();
        let path = self.path("'module'")?;
        if !self.eat(TokenKind::Colon) {
            return Ok(StmtKind::Module { path, body: None });
        }
        if !self.at(TokenKind::Newline) {
            self.unexpected("Expected the module's statements on the following lines, indented");
            return Err(Fail);
        }
        self.bump();
        if !self.at(TokenKind::Indent) {
            self.err(
                Code::ExpectedToken,
                self.span(),
                "Expected an indented block after 'module'",
            );
            self.ended_block = true;
            return Ok(StmtKind::Module { path, body: None });
        }
        let body = self.indented_block(true)?;
        Ok(StmtKind::Module {
            path,
            body: Some(Box::new(body)),
        })
    }

    fn path(&mut self, after: &str) -> PResult<Vec<Ident>> {
        self.reject_file_path()?;
        let mut path = vec![self.ident(&format!("Expected a module path after {after}"))?];
        while self.eat(TokenKind::Dot) {
            self.reject_file_path()?;
            path.push(self.ident("Expected a name after '.'")?);
        }
        if matches!(self.kind(), TokenKind::DotDot | TokenKind::Slash) {
            self.reject_file_path()?;
        }
        Ok(path)
    }

    /// Module paths are dotted names: a file path (`/abs`, `../up`, `"x.orus"`) can never
    /// reach the file system through `use` (E3005).
    fn reject_file_path(&mut self) -> PResult<()> {
        if matches!(
            self.kind(),
            TokenKind::DotDot
                | TokenKind::DotDotEq
                | TokenKind::Slash
                | TokenKind::Dot
                | TokenKind::Str(_)
        ) {
            let span = self.span();
            self.err(
                Code::InvalidModulePath,
                span,
                format!(
                    "Module paths are dotted names like 'geo.shapes', not file paths; found {}",
                    self.found()
                ),
            );
            return Err(Fail);
        }
        Ok(())
    }

    /// `global [mut] NAME [: T] = value`; `start` includes a `pub` prefix.
    pub(super) fn global_decl(&mut self, start: u32, is_pub: bool) -> PResult<StmtKind> {
        // Python's `global count` inside a function: one report saying what to do instead.
        if !self.module_scope
            && matches!(self.nth(1), TokenKind::Ident(_))
            && self.line_ends_after_next()
        {
            let diag = Diagnostic::new(
                Code::NotAtModuleScope,
                self.span(),
                "'global' declarations are only allowed at module scope",
            )
            .with_help(
                "a function can assign a top-level `mut` variable directly; remove this line",
            );
            self.report(diag);
            return Err(Fail);
        }
        self.module_only("global");
        self.bump();
        let mutable = self.eat(TokenKind::Mut);
        let name = self.ident("Expected a variable name after 'global'")?;
        let ty = if self.eat(TokenKind::Colon) {
            Some(Box::new(self.ty()?))
        } else {
            None
        };
        if !self.eat(TokenKind::Assign) {
            self.missing_initializer(&name);
            return Err(Fail);
        }
        let value = self.expr()?;
        let binding = Binding {
            name,
            mutable,
            ty,
            value,
            declares: true,
            is_const: false,
            span: self.since(start),
        };
        Ok(StmtKind::Global {
            binding: Box::new(binding),
            is_pub,
        })
    }

    /// `pub` before `fn`, `struct`, `enum`, `impl` or `global`.
    pub(super) fn pub_decl(&mut self) -> PResult<StmtKind> {
        self.module_only("pub");
        let start = self.bump().start;
        match self.kind() {
            // `fn_stmt` reports a missing or keyword name as it does without `pub`.
            TokenKind::Fn => self.fn_stmt(start, true),
            TokenKind::Struct => self.struct_decl(true),
            TokenKind::Enum => self.enum_decl(true),
            TokenKind::Impl => self.impl_decl(true),
            TokenKind::Global => {
                // Reported once for the whole `pub global`.
                let scope = std::mem::replace(&mut self.module_scope, true);
                let kind = self.global_decl(start, true);
                self.module_scope = scope;
                kind
            }
            _ => {
                self.unexpected("Expected 'fn', 'struct', 'enum', 'impl' or 'global' after 'pub'");
                Err(Fail)
            }
        }
    }

    /// E1026 for a module-level declaration (at the current token) inside a block.
    fn module_only(&mut self, word: &str) {
        if !self.module_scope {
            let message = format!("'{word}' declarations are only allowed at module scope");
            self.err(Code::NotAtModuleScope, self.span(), message);
        }
    }

    /// E1025 when a declaration has no `= value`, else the generic missing-`=` report.
    pub(super) fn missing_initializer(&mut self, name: &Ident) {
        if self.at_stmt_end() {
            let message = format!("Variable '{}' needs an initial value", name.name);
            self.err(Code::MissingInitializer, name.span, message);
        } else {
            self.unexpected_after_expr("Expected '=' and a value");
        }
    }

    /// The name of the built-in type whose keyword is the current token, interned once
    /// per file.
    fn keyword_type_name(&mut self) -> Name {
        let kind = *self.kind();
        let i = match kind {
            TokenKind::I32 => 0,
            TokenKind::I64 => 1,
            TokenKind::U32 => 2,
            TokenKind::U64 => 3,
            TokenKind::F64 => 4,
            _ => 5,
        };
        self.type_names[i]
            .get_or_insert_with(|| {
                self.lexer
                    .intern(kind.text().unwrap_or_default().as_bytes())
            })
            .clone()
    }

    /// A written type.
    pub(super) fn ty(&mut self) -> PResult<TypeExpr> {
        self.enter("Type")?;
        let start = self.start();
        let kind = match self.kind() {
            TokenKind::I32
            | TokenKind::I64
            | TokenKind::U32
            | TokenKind::U64
            | TokenKind::F64
            | TokenKind::Bool => {
                let name = self.keyword_type_name();
                self.bump();
                TypeExprKind::Named(name)
            }
            TokenKind::Ident(_) => TypeExprKind::Named(self.ident("Expected a type")?.name),
            TokenKind::LBracket => {
                let open = self.bump();
                self.brackets += 1;
                self.after_open(open, Closer::ArrayType)?;
                let element = self.ty()?;
                self.close(open, Closer::ArrayType)?;
                TypeExprKind::Array(Box::new(element))
            }
            TokenKind::Fn => {
                self.bump();
                if !self.at(TokenKind::LParen) {
                    self.unexpected("Expected '(' after 'fn' in a function type");
                    return Err(Fail);
                }
                let open = self.bump();
                let params = self.list(open, Closer::Paren, |p| p.ty())?;
                let ret = if self.eat(TokenKind::Arrow) {
                    Some(self.ty()?)
                } else {
                    None
                };
                TypeExprKind::Fn(Box::new(FnType { params, ret }))
            }
            // Go's `x := 0`: the `:` read as the start of a type annotation.
            TokenKind::Assign
                if self.span().start > 0 && self.src[self.span().start as usize - 1] == b':' =>
            {
                self.unexpected_with_help(
                    "Expected a type",
                    "Orus declares with `=` alone: `x = 0`, or `mut x = 0` to change it later",
                );
                return Err(Fail);
            }
            _ => {
                let line = self.line_before_current().trim_ascii_end();
                let help = match self.kind() {
                    // `loop:` (Rust), `do:` (C): read as `name: type`.
                    TokenKind::Newline if line == b"loop:" || line == b"do:" => Some(
                        "Orus loops with `while condition:` (`while true:` loops until `break`); \
                         there is no `loop` or `do`",
                    ),
                    // `&[i32]`, `&mut T` (Rust, C++).
                    TokenKind::Amp | TokenKind::AmpAmp => Some(
                        "Orus has no references: arrays and structs are already shared, so write \
                         the type itself, like `[i32]`",
                    ),
                    _ => None,
                };
                match help {
                    Some(help) => self.unexpected_with_help("Expected a type", help),
                    None => self.unexpected("Expected a type"),
                }
                return Err(Fail);
            }
        };
        while self.eat(TokenKind::Question) {}
        self.leave();
        Ok(TypeExpr {
            kind,
            span: Span {
                start,
                end: self.prev_end.max(start),
            },
        })
    }
}
