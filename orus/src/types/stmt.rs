//! Checking statements: declarations and assignments, control flow, loops, returns.

use super::func::{Checker, RetKind};
use super::typed::*;
use super::Type;
use crate::ast::{self, ForIter, Stmt, StmtKind};
use crate::diag::{Code, Span};

impl Checker<'_, '_> {
    /// Checks a block's statements in a new scope.
    pub(super) fn scoped_block(&mut self, stmts: &[Stmt]) -> Vec<TStmt> {
        self.cx.open_scope();
        let body = self.block_stmts(stmts);
        self.cx.close_scope();
        body
    }

    /// Checks statements in the current scope.
    pub(super) fn block_stmts(&mut self, stmts: &[Stmt]) -> Vec<TStmt> {
        let mut out = Vec::with_capacity(stmts.len());
        for stmt in stmts {
            self.stmt(stmt, &mut out);
        }
        out
    }

    fn stmt(&mut self, stmt: &Stmt, out: &mut Vec<TStmt>) {
        let span = stmt.span;
        let kind = match &stmt.kind {
            StmtKind::Bind(bindings) => {
                for b in bindings {
                    if let Some(s) = self.binding(b) {
                        out.push(s);
                    }
                }
                return;
            }
            StmtKind::Global { binding, .. } => {
                let name = &binding.name.name;
                let valid = name.chars().any(|c| c.is_ascii_alphabetic())
                    && !name.chars().any(|c| c.is_ascii_lowercase());
                if !valid {
                    self.error(
                        Code::InvalidGlobalName,
                        binding.name.span,
                        format!("Invalid variable name '{name}': global variable names must be uppercase"),
                    );
                }
                let mut b = binding.clone();
                b.declares = true;
                // The clone lives only for this call; its expressions are checked here.
                if let Some(s) = self.binding_owned(&b, true) {
                    out.push(s);
                }
                return;
            }
            StmtKind::Assign(a) => match self.assign(&a.target, a.op, &a.value) {
                Some(kind) => kind,
                None => return,
            },
            StmtKind::Expr(e) => TStmtKind::Expr(self.expr(e, None)),
            StmtKind::Destructure(d) => match self.destructure(&d.names, &d.value) {
                Some(kind) => kind,
                None => return,
            },
            StmtKind::Print { args, newline } => {
                let args = args.iter().map(|a| self.value(a, None)).collect();
                TStmtKind::Print {
                    args,
                    newline: *newline,
                }
            }
            StmtKind::If {
                branches,
                else_block,
            } => {
                let branches = branches
                    .iter()
                    .map(|(cond, block)| (self.condition(cond), self.scoped_block(&block.stmts)))
                    .collect();
                let else_body = else_block.as_ref().map(|b| self.scoped_block(&b.stmts));
                TStmtKind::If {
                    branches,
                    else_body,
                }
            }
            StmtKind::While(w) => {
                let ast::While { label, cond, body } = &**w;
                let cond = self.condition(cond);
                let id = self.open_loop(label);
                let body = self.scoped_block(&body.stmts);
                self.cx.loops.pop();
                TStmtKind::While {
                    id,
                    cond: Box::new(cond),
                    body,
                }
            }
            StmtKind::For(f) => match self.for_loop(&f.label, &f.var, &f.iter, &f.body) {
                Some(kind) => kind,
                None => return,
            },
            StmtKind::Break { label } => match self.jump_target(label, span, "break") {
                Some(id) => TStmtKind::Break(id),
                None => return,
            },
            StmtKind::Continue { label } => match self.jump_target(label, span, "continue") {
                Some(id) => TStmtKind::Continue(id),
                None => return,
            },
            StmtKind::Return(value) => self.return_stmt(value.as_ref(), span),
            StmtKind::Fn(decl) => {
                let at_top = self.cx.is_entry && self.cx.scopes.len() == 1;
                if !at_top {
                    if let Some(s) = self.nested_fn(decl, span) {
                        out.push(s);
                    }
                    return;
                }
                // The next function of the pre-pass's order (always, but for duplicates).
                let next = self.walk_fns.get(self.walk_fns_passed).copied();
                let entry = match next {
                    Some(e) if std::ptr::eq(self.fns[e].decl, &**decl) => {
                        self.walk_fns_passed += 1;
                        Some(e)
                    }
                    _ => decl
                        .name
                        .as_ref()
                        .and_then(|n| self.top_fns.get(&*n.name))
                        .copied(),
                };
                match entry {
                    Some(e)
                        if std::ptr::eq(self.fns[e].decl, &**decl)
                            && !self.check_last.contains(&e) =>
                    {
                        self.check_declared(e)
                    }
                    // A duplicate definition (already reported by the pre-pass), or one
                    // whose body is checked last.
                    _ => {}
                }
                return;
            }
            StmtKind::Struct(_) | StmtKind::Enum(_) | StmtKind::Impl(_)
                if !(self.cx.is_entry && self.cx.scopes.len() == 1) =>
            {
                self.error(
                    Code::NotAtModuleScope,
                    span,
                    "struct, enum and impl declarations are only allowed at module scope",
                );
                return;
            }
            StmtKind::Struct(decl) => {
                // Defaults are checked here once, even if no literal ever uses them.
                if let Some(Type::Struct(id, _)) = self.type_names.get(&*decl.name.name).cloned() {
                    self.check_defaults(id);
                }
                return;
            }
            StmtKind::Enum(_) => return,
            StmtKind::Impl(imp) => {
                self.check_impl(imp);
                return;
            }
            StmtKind::Match(m) => self.match_stmt(m),
            StmtKind::Try(t) => self.try_stmt(&t.body, t.catch_name.as_ref(), &t.handler),
            StmtKind::Throw(value) => match self.throw_stmt(value) {
                Some(kind) => kind,
                None => return,
            },
            // `use` was resolved before the walk and `module` removed by the loader; inside
            // a block the parser has already reported them (E1026).
            StmtKind::Use(_) | StmtKind::Module { .. } => return,
        };
        out.push(TStmt { kind, span });
    }

    fn open_loop(&mut self, label: &Option<ast::Ident>) -> LoopId {
        let id = self.cx.next_loop;
        self.cx.next_loop += 1;
        self.cx
            .loops
            .push((label.as_ref().map(|l| String::from(&*l.name)), id));
        id
    }

    fn jump_target(
        &mut self,
        label: &Option<ast::Ident>,
        span: Span,
        keyword: &str,
    ) -> Option<LoopId> {
        match label {
            None => match self.cx.loops.last() {
                Some(&(_, id)) => Some(id),
                None => {
                    let mut diag = crate::diag::Diagnostic::new(
                        Code::JumpOutsideLoop,
                        span,
                        format!("'{keyword}' can only be used inside a loop"),
                    );
                    // A loop around the function this is in: a jump can't leave a function.
                    if self.parents.iter().any(|p| !p.loops.is_empty()) {
                        diag = diag.with_help(format!(
                            "the loop around this is outside the function it is in, and '{keyword}' can't \
                             leave a function: return a value and test it in the loop instead"
                        ));
                    }
                    self.diags.push(diag);
                    None
                }
            },
            Some(label) => {
                let found = self
                    .cx
                    .loops
                    .iter()
                    .rev()
                    .find(|(l, _)| l.as_deref() == Some(&*label.name));
                match found {
                    Some(&(_, id)) => Some(id),
                    None => {
                        let mut diag = crate::diag::Diagnostic::new(
                            Code::UnknownLabel,
                            label.span,
                            format!("No enclosing loop is labelled '{}'", label.name),
                        );
                        let outside = self.parents.iter().any(|p| {
                            p.loops
                                .iter()
                                .any(|(l, _)| l.as_deref() == Some(&*label.name))
                        });
                        if outside {
                            diag = diag.with_help(format!(
                                "the loop '{0} is outside the function this is in, and \
                                 '{keyword}' can't leave a function",
                                label.name
                            ));
                        }
                        self.diags.push(diag);
                        None
                    }
                }
            }
        }
    }

    fn for_loop(
        &mut self,
        label: &Option<ast::Ident>,
        var: &ast::Ident,
        iter: &ForIter,
        body: &ast::Block,
    ) -> Option<TStmtKind> {
        let (start, end, step, inclusive) = match iter {
            ForIter::Range {
                start,
                end,
                step,
                inclusive,
            } => {
                let (start, end, step) = self.same_integer_type(start, end, step.as_deref());
                (start, end, step, *inclusive)
            }
            ForIter::Each(e) => {
                let mut end = self.value(e, None);
                if let Type::Array(elem) = &end.ty {
                    let elem = self.known_element(&elem.clone(), e.span)?;
                    self.cx.open_scope();
                    let at = var.span.start;
                    let var_id = self.declare_local(&var.name, elem, false, true, at);
                    let id = self.open_loop(label);
                    // The body shares the loop variable's scope: redeclaring it is E1016.
                    let body = self.block_stmts(&body.stmts);
                    self.cx.loops.pop();
                    self.cx.close_scope();
                    return Some(TStmtKind::ForEach {
                        id,
                        var: var_id,
                        array: Box::new(end),
                        body,
                    });
                }
                if !end.ty.is_integer() && end.ty != Type::Error {
                    self.error(
                        Code::TypeMismatch,
                        e.span,
                        format!(
                            "this is a `{}`, but `array or integer` was expected",
                            end.ty
                        ),
                    );
                    // Reported once: a type still open stays open for its other uses.
                    end.ty = Type::Error;
                }
                let zero = TExpr {
                    kind: TExprKind::Int(0),
                    ty: end.ty.clone(),
                    span: e.span,
                };
                (zero, end, None, false)
            }
        };
        let ty = start.ty.clone();
        self.cx.open_scope();
        let at = var.span.start;
        let var_id = self.declare_local(&var.name, ty.clone(), false, true, at);
        let id = self.open_loop(label);
        // The body shares the loop variable's scope: redeclaring it is E1016 (spec §5.3).
        let body = self.block_stmts(&body.stmts);
        self.cx.loops.pop();
        self.cx.close_scope();
        Some(TStmtKind::ForRange {
            id,
            var: var_id,
            range: Box::new(TRange {
                ty: if ty.is_integer() { ty } else { Type::I32 },
                start,
                end,
                step: step.map(Box::new),
                inclusive,
            }),
            body,
        })
    }

    /// Types range bounds so they share one integer type; literals adapt to the others.
    fn same_integer_type(
        &mut self,
        start: &ast::Expr,
        end: &ast::Expr,
        step: Option<&ast::Expr>,
    ) -> (TExpr, TExpr, Option<TExpr>) {
        let all = [start, end, step.unwrap_or(end)];
        let parts = &all[..2 + usize::from(step.is_some())];
        let anchor = parts.iter().position(|e| !self.literal(e)).unwrap_or(0);
        let mut first = self.value(parts[anchor], None);
        if matches!(first.ty, Type::Hole(_)) {
            // An unannotated parameter as a bound: the default integer type, as a literal.
            self.unify(&first.ty, &Type::I32);
            first.ty = Type::I32;
        }
        let mut ty = first.ty.clone();
        if !ty.is_integer() && ty != Type::Error {
            self.mismatch(parts[anchor].span, &ty, &Type::I32);
            ty = Type::Error;
        }
        let mut out: [Option<TExpr>; 3] = [None, None, None];
        out[anchor] = Some(first);
        for (i, e) in parts.iter().enumerate() {
            if i != anchor {
                out[i] = Some(self.expect_value(e, &ty));
            }
        }
        let [start, end, step] = out;
        (start.expect("start typed"), end.expect("end typed"), step)
    }

    fn return_stmt(&mut self, value: Option<&ast::Expr>, span: Span) -> TStmtKind {
        match self.cx.ret.clone() {
            RetKind::Entry => TStmtKind::Return(value.map(|v| self.value(v, None))),
            RetKind::Declared(ty) => match value {
                Some(v) => {
                    if ty == Type::Void {
                        let t = self.value(v, None);
                        self.error(
                            Code::TypeMismatch,
                            v.span,
                            format!("this is a `{}`, but `void` was expected", t.ty),
                        );
                        TStmtKind::Return(None)
                    } else {
                        TStmtKind::Return(Some(self.expect_value(v, &ty)))
                    }
                }
                None => {
                    if ty != Type::Void && ty != Type::Error {
                        self.error(
                            Code::TypeMismatch,
                            span,
                            format!("this is a `void`, but `{ty}` was expected"),
                        );
                    }
                    TStmtKind::Return(None)
                }
            },
            kind @ (RetKind::Inferred(..) | RetKind::InferLocal) => {
                let known = self.inferred_ret(&kind);
                let weak = match kind {
                    RetKind::Inferred(e, i) => self.fns[e].instances[i].weak_ret,
                    _ => false,
                };
                match (value, known) {
                    (Some(v), Some(ty)) if weak && !self.literal(v) => {
                        // The type so far came from a literal: a value it could adapt to is
                        // remembered (the body is checked again), not reported.
                        let t = self.value(v, Some(&ty));
                        let found = self.resolve(&t.ty);
                        if found != ty && (found.is_integer() || found == Type::F64) {
                            if !self.cx.ret_widenings.contains(&found) {
                                self.cx.ret_widenings.push(found);
                            }
                        } else {
                            self.check_expected(&t, v.span, &ty);
                        }
                        TStmtKind::Return(Some(t))
                    }
                    (Some(v), Some(ty)) => TStmtKind::Return(Some(self.expect_value(v, &ty))),
                    (Some(v), None) => {
                        let t = self.value(v, None);
                        let ty = if t.ty == Type::Void {
                            Type::Error
                        } else {
                            t.ty.clone()
                        };
                        if let RetKind::Inferred(e, i) = kind {
                            let widen_done = self.fns[e].instances[i].widen_done;
                            if !widen_done && ty.is_integer() && self.literal(v) {
                                self.fns[e].instances[i].weak_ret = true;
                            }
                        }
                        self.set_inferred_ret(&kind, ty);
                        self.cx.saw_value_return = true;
                        TStmtKind::Return(Some(t))
                    }
                    (None, Some(ty)) => {
                        if ty != Type::Void && ty != Type::Error {
                            self.error(
                                Code::TypeMismatch,
                                span,
                                format!("this is a `void`, but `{ty}` was expected"),
                            );
                        }
                        TStmtKind::Return(None)
                    }
                    (None, None) => {
                        self.set_inferred_ret(&kind, Type::Void);
                        TStmtKind::Return(None)
                    }
                }
            }
        }
    }

    /// The return type inferred so far for the current function.
    pub(super) fn inferred_ret(&self, kind: &RetKind) -> Option<Type> {
        match *kind {
            RetKind::Inferred(entry, inst) => self.fns[entry].instances[inst].ret.clone(),
            RetKind::InferLocal => self.cx.inferred_ret.clone(),
            _ => None,
        }
    }

    fn set_inferred_ret(&mut self, kind: &RetKind, ty: Type) {
        match *kind {
            RetKind::Inferred(entry, inst) => self.fns[entry].instances[inst].ret = Some(ty),
            RetKind::InferLocal => self.cx.inferred_ret = Some(ty),
            _ => {}
        }
    }
}

/// Whether control can never fall off the end of these statements: each path returns or
/// throws. A `try` does when its body and its handler both do; a `match` when every arm
/// does and some arm applies (an enum match has been checked exhaustive, others need `_`).
pub(super) fn always_returns(stmts: &[TStmt]) -> bool {
    // From the end: a body that returns usually does so in its last statement.
    stmts.iter().rev().any(|s| match &s.kind {
        TStmtKind::Return(_) | TStmtKind::Throw(_) => true,
        TStmtKind::Try { body, handler, .. } => always_returns(body) && always_returns(handler),
        TStmtKind::Match(m) => {
            let (subject, arms) = (&m.subject, &m.arms);
            let exhaustive = matches!(subject.ty, Type::Enum(..))
                || arms.iter().any(|a| matches!(a.test, ArmTest::Any));
            exhaustive && !arms.is_empty() && arms.iter().all(|a| always_returns(&a.body))
        }
        TStmtKind::Block(body) => always_returns(body),
        TStmtKind::If {
            branches,
            else_body: Some(else_body),
        } => branches.iter().all(|(_, b)| always_returns(b)) && always_returns(else_body),
        TStmtKind::While { id, cond, body } => {
            matches!(cond.kind, TExprKind::Int(1)) && !breaks_out(body, *id)
        }
        _ => false,
    })
}

/// Whether a loop body contains a `break` of loop `id`.
fn breaks_out(stmts: &[TStmt], id: LoopId) -> bool {
    stmts.iter().any(|s| match &s.kind {
        TStmtKind::Break(target) => *target == id,
        TStmtKind::Block(body) => breaks_out(body, id),
        TStmtKind::If {
            branches,
            else_body,
        } => {
            branches.iter().any(|(_, b)| breaks_out(b, id))
                || else_body.as_ref().is_some_and(|b| breaks_out(b, id))
        }
        TStmtKind::While { body, .. }
        | TStmtKind::ForRange { body, .. }
        | TStmtKind::ForEach { body, .. } => breaks_out(body, id),
        _ => false,
    })
}
