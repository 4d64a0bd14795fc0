//! Function values and closures (spec §9; ARCHITECTURE.md choice 21).
//!
//! An anonymous `fn` or a named `fn` nested in a block is checked where it appears, with
//! the contexts of its enclosing functions kept in `Checker::parents`. A name that resolves
//! to a local of an enclosing function is captured: the local is marked `captured` (it will
//! live in a heap cell) and each function between the owner and the user gets a capture
//! slot for it. An unannotated parameter starts as a hole that its first deciding use
//! binds, in the body or at a call (choice 31); the return type may be inferred.

use super::func::{Checker, FnCx, RetKind};
use super::scope::{Sym, VarInfo};
use super::typed::*;
use super::{FnType, Type};
use crate::ast::{self, FnDecl};
use crate::diag::{Code, Span};
use std::rc::Rc;

impl Checker<'_, '_> {
    /// Resolves `name` in the enclosing functions' scopes, capturing it if it is a local.
    pub(super) fn lookup_in_parents(&mut self, name: &str) -> Option<Sym> {
        for level in (0..self.parents.len()).rev() {
            let found = self.parents[level]
                .scopes
                .iter()
                .rev()
                .find_map(|s| s.get(name));
            let found = found.or_else(|| {
                self.parents[level]
                    .own_fn
                    .as_ref()
                    .filter(|(own, _)| super::scope::same_name(own, name))
                    .map(|&(_, f)| Sym::Func(f))
            });
            match found {
                Some(Sym::Local(id)) => return Some(self.capture(level, CaptureSource::Local(id))),
                Some(Sym::Capture(idx)) => {
                    return Some(self.capture(level, CaptureSource::Capture(idx)))
                }
                Some(Sym::Top(id)) => {
                    self.top_vars[id].captured = true;
                    return Some(Sym::Top(id));
                }
                Some(sym @ Sym::Func(_)) => return Some(sym),
                None => {}
            }
        }
        None
    }

    /// Threads a variable owned by `parents[level]` down to the current function, adding a
    /// capture slot to every function in between; returns the current function's slot.
    fn capture(&mut self, level: usize, source: CaptureSource) -> Sym {
        let (ty, info, name) = {
            let owner = &mut self.parents[level];
            match source {
                CaptureSource::Local(id) => {
                    // A variable that can't change once the closure exists is copied into
                    // it; others live in a cell that the closure shares.
                    if owner.local_info[id].shared_by_cell() {
                        owner.locals[id].captured = true;
                    }
                    (
                        owner.locals[id].ty.clone(),
                        owner.local_info[id],
                        owner.locals[id].name.clone(),
                    )
                }
                CaptureSource::Capture(idx) => {
                    let (_, ty, info, name) = &owner.captures[idx as usize];
                    (ty.clone(), *info, name.clone())
                }
            }
        };
        let mut source = source;
        for l in level + 1..=self.parents.len() {
            let cx: &mut FnCx = if l == self.parents.len() {
                &mut self.cx
            } else {
                &mut self.parents[l]
            };
            let idx = match cx.captures.iter().position(|c| c.0 == source) {
                Some(i) => i,
                None => {
                    cx.captures.push((source, ty.clone(), info, name.clone()));
                    cx.captures.len() - 1
                }
            };
            source = CaptureSource::Capture(idx as u16);
        }
        match source {
            CaptureSource::Capture(idx) => Sym::Capture(idx),
            CaptureSource::Local(_) => unreachable!("a capture always ends in a slot"),
        }
    }

    /// A named function used as a value (not called): a closure with no captures. A
    /// function with unannotated parameters takes their types from the function type the
    /// context expects (`apply(double, 3)` with `f: fn(i32) -> i32`), if it expects one.
    pub(super) fn function_value(
        &mut self,
        entry: usize,
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        let wanted = match expected.map(|t| self.resolve(t)) {
            Some(Type::Func(ft)) if ft.params.len() == self.fns[entry].params.len() => Some(ft),
            _ => None,
        };
        let params: Option<Vec<Type>> = self.fns[entry]
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.cloned().or_else(|| {
                    let t = self.resolve(&wanted.as_ref()?.params[i]);
                    (!super::holes::mentions_hole(&t) && t != Type::Error).then_some(t)
                })
            })
            .collect();
        let Some(params) = params else {
            return self.open_function_value(entry, span);
        };
        let (func, ret) = self.instance(entry, &params, span);
        plain_closure(func, params, ret, span)
    }

    /// A function with unannotated parameters used as a value where no function type is
    /// expected (`fold(xs, 0, add)` with `fold`'s `f` unannotated, `g = add`): its
    /// parameter and return types are holes that the first call through the value binds,
    /// and then its version for those types is made (`resolve_function_values`). The
    /// value is a small function in a slot reserved now that calls that version.
    fn open_function_value(&mut self, entry: usize, span: Span) -> TExpr {
        let declared = self.fns[entry].params.clone();
        let params: Vec<Type> = declared
            .iter()
            .map(|p| p.cloned().unwrap_or_else(|| self.new_hole()))
            .collect();
        let ret = self.new_hole();
        let func = self.functions.len();
        self.functions.push(None);
        self.open_fn_values.push(OpenFnValue {
            entry,
            params: params.clone(),
            ret: ret.clone(),
            func,
            span,
            module: self.module,
            file: self.file,
        });
        plain_closure(func, params, ret, span)
    }

    /// Makes the versions of the open function values whose parameter types are known
    /// now. At the end (`at_end`), the ones still open are reported.
    pub(super) fn resolve_function_values(&mut self, at_end: bool) {
        let mut i = 0;
        while i < self.open_fn_values.len() {
            let params: Vec<Type> = self.open_fn_values[i]
                .params
                .iter()
                .map(|t| self.resolve(t))
                .collect();
            let open = params
                .iter()
                .any(|t| super::holes::mentions_hole(t) || *t == Type::Error);
            if open && !at_end {
                i += 1;
                continue;
            }
            let value = self.open_fn_values.remove(i);
            let saved_module = self.module;
            if at_end {
                self.switch_module(value.module);
            }
            let before = self.diags.len();
            let name = self.fn_name(value.entry);
            if open {
                if !params.contains(&Type::Error) {
                    self.error(
                        Code::CannotInfer,
                        value.span,
                        format!("Can't infer the parameter types of '{name}', used here as a value: nothing calls it with known arguments; annotate its parameters, or use it where a function type is expected (`f: fn(i32) -> i32 = {name}`)"),
                    );
                }
            } else {
                let (id, ret) = self.instance(value.entry, &params, value.span);
                // (`unify` only binds holes; a clash of known types is found by comparing.)
                self.unify(&value.ret, &ret);
                let wanted = self.resolve(&value.ret);
                if !wanted.compatible(&ret) {
                    self.error(
                        Code::TypeMismatch,
                        value.span,
                        format!("'{name}' returns a `{ret}` for these arguments, but a `{wanted}` was expected from it"),
                    );
                }
                self.functions[value.func] = Some(forwarder(&value, &name, id, params, ret));
            }
            self.stamp(before, value.file);
            self.switch_module(saved_module);
        }
    }

    /// Checks a closure body now, in a context nested in the current one. `self_local` is
    /// the local that will hold a named nested function (so it can call itself).
    pub(super) fn closure(&mut self, decl: &FnDecl, span: Span) -> TExpr {
        self.check_param_names(decl);
        let mut params = vec![];
        for p in &decl.params {
            match &p.ty {
                Some(t) => params.push(self.resolve_type(t)),
                // Typed by its first use that decides (choice 31).
                None => params.push(self.new_param_hole()),
            }
        }
        let declared_ret = decl.ret.as_ref().map(|t| self.resolve_return_type(t));
        let id = self.functions.len();
        self.functions.push(None);
        let ret_kind = match &declared_ret {
            Some(t) => RetKind::Declared(t.clone()),
            None => RetKind::InferLocal,
        };
        let top_visible = if self.cx.is_entry {
            self.next_top
        } else {
            self.cx.top_visible
        };
        let parent = self.enter_cx(ret_kind, top_visible, None);
        self.cx.is_entry = false;
        self.parents.push(parent);
        for (p, ty) in decl.params.iter().zip(&params) {
            let at = p.name.span.start;
            self.declare_local(&p.name.name, ty.clone(), false, false, at);
        }
        self.cx.open_scope();
        let diags_before = self.diags.len();
        let body = self.block_stmts(&decl.body.stmts);
        self.cx.close_scope();
        self.explain_open_params(decl, &params, diags_before);
        let parent = self.parents.pop().expect("pushed above");
        let cx = std::mem::replace(&mut self.cx, parent);
        let ret = declared_ret
            .or_else(|| cx.inferred_ret.clone())
            .unwrap_or(Type::Void);
        if ret != Type::Void && ret != Type::Error && !super::stmt::always_returns(&body) {
            self.error(
                Code::MissingReturn,
                decl.name.as_ref().map_or(decl.span, |n| n.span),
                format!("Function must return a value of type `{ret}` on every path"),
            );
        }
        let captures = cx.captures.iter().map(|c| c.0).collect();
        let capture_by_value = cx.captures.iter().map(|c| !c.2.shared_by_cell()).collect();
        self.functions[id] = Some(TFunction {
            file: self.file,
            is_toplevel: false,
            name: decl
                .name
                .as_ref()
                .map_or_else(|| "<anonymous>".into(), |n| n.name.as_ref().into()),
            params: decl.params.len(),
            locals: cx.locals,
            ret: ret.clone(),
            body,
            span: decl.span,
            capture_by_value,
        });
        TExpr {
            kind: TExprKind::Closure { func: id, captures },
            ty: Type::Func(Rc::new(FnType { params, ret })),
            span,
        }
    }

    /// Errors in a closure body about a value of a type not known yet (shown as
    /// `unknown`) come from a parameter still open there: a help names them.
    fn explain_open_params(&mut self, decl: &FnDecl, params: &[Type], diags_before: usize) {
        let open: Vec<&str> = decl
            .params
            .iter()
            .zip(params)
            .filter(|(_, t)| matches!(self.resolve(t), Type::Hole(_)))
            .map(|(p, _)| &*p.name.name)
            .collect();
        let Some(first) = open.first() else { return };
        let unknown = format!("`{}`", Type::Hole(0));
        let help = format!(
            "the type of an unannotated parameter ({}) comes from its first use that decides \
             it, and this use needs it before that: annotate it with its type where the \
             function is declared (`{first}: T`)",
            open.iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for d in &mut self.diags[diags_before..] {
            if d.help.is_none() && d.message.contains(&unknown) {
                d.help = Some(help.clone());
            }
        }
    }

    /// A named `fn` nested in a block: a local variable holding its closure. The variable
    /// is declared before the body is checked so the function can call itself (which
    /// needs an annotated return type).
    pub(super) fn nested_fn(&mut self, decl: &FnDecl, span: Span) -> Option<TStmt> {
        let name = decl.name.as_ref()?;
        let params: Vec<Type> = decl
            .params
            .iter()
            .map(|p| p.ty.as_ref().map_or(Type::Error, |t| self.resolve_type(t)))
            .collect();
        let ret = decl
            .ret
            .as_ref()
            .map_or(Type::Error, |t| self.resolve_return_type(t));
        if let Some(Sym::Local(prev)) = self.cx.scopes.last().and_then(|s| s.get(&name.name)) {
            let prev_line = self.line_at(self.module, self.cx.local_info[prev].at);
            self.error(
                Code::Redeclared,
                name.span,
                format!("'{}' is already defined on line {prev_line}", name.name),
            );
        }
        let ty = Type::Func(Rc::new(FnType { params, ret }));
        let local = self.declare_local(&name.name, ty, false, false, name.span.start);
        self.cx.local_info[local].late = true;
        let value = self.closure(decl, span);
        // Captured by its own body, it lives in a cell (filled after the closure is
        // made); otherwise later closures may copy it like any other variable.
        self.cx.local_info[local].late = self.cx.locals[local].captured;
        let returns_value = matches!(&value.ty, Type::Func(ft) if ft.ret != Type::Void);
        if decl.ret.is_none() && returns_value {
            if let TExprKind::Closure { captures, .. } = &value.kind {
                if captures.contains(&CaptureSource::Local(local)) {
                    self.error(
                        Code::CannotInfer,
                        name.span,
                        format!("Nested function '{}' calls itself, so annotate its return type, like `-> i32`", name.name),
                    );
                }
            }
        }
        // The inferred return type is known now.
        self.cx.locals[local].ty = value.ty.clone();
        Some(TStmt {
            kind: TStmtKind::Store {
                place: Place::Local(local),
                value,
            },
            span,
        })
    }

    /// The type and binding facts of a capture slot of the current function.
    pub(super) fn capture_info(&self, idx: u16) -> (Type, VarInfo) {
        let c = &self.cx.captures[idx as usize];
        (c.1.clone(), c.2)
    }

    /// Calls a function value.
    pub(super) fn call_value(&mut self, callee: TExpr, args: &[ast::Expr], span: Span) -> TExpr {
        let mut callee = callee;
        if let Type::Hole(_) = self.resolve(&callee.ty) {
            // An unannotated parameter called as a function (`f(x)`): it is one, taking
            // these arguments and returning a type its uses will decide.
            let params = args.iter().map(|_| self.new_hole()).collect();
            let ret = self.new_hole();
            let fn_ty = Type::Func(Rc::new(FnType { params, ret }));
            self.unify(&callee.ty, &fn_ty);
            callee.ty = fn_ty;
        }
        let ft = match &callee.ty {
            Type::Func(ft) => ft.clone(),
            Type::Error => {
                for a in args {
                    self.value(a, None);
                }
                return self.poisoned_expr(span);
            }
            other => {
                self.error(
                    Code::NotCallable,
                    callee.span,
                    format!("this is a `{other}`, which can't be called"),
                );
                for a in args {
                    self.value(a, None);
                }
                return self.poisoned_expr(span);
            }
        };
        if ft.params.len() != args.len() {
            let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
            self.error(
                Code::ArityMismatch,
                span,
                format!(
                    "This function expects {} {} but received {} {}",
                    ft.params.len(),
                    plural(ft.params.len()),
                    args.len(),
                    plural(args.len())
                ),
            );
            for a in args {
                self.value(a, None);
            }
            return self.poisoned_expr(span);
        }
        let args = args
            .iter()
            .zip(&ft.params)
            .map(|(a, t)| self.expect_value(a, t))
            .collect();
        // The call may have decided the argument types of a function passed as a value.
        if !self.open_fn_values.is_empty() {
            self.resolve_function_values(false);
        }
        TExpr {
            kind: TExprKind::CallValue {
                callee: Box::new(callee),
                args,
            },
            ty: self.resolve(&ft.ret),
            span,
        }
    }
}

/// A function value without captures: function `func` taking `params`, returning `ret`.
fn plain_closure(func: FuncId, params: Vec<Type>, ret: Type, span: Span) -> TExpr {
    TExpr {
        kind: TExprKind::Closure {
            func,
            captures: Box::new([]),
        },
        ty: Type::Func(Rc::new(FnType { params, ret })),
        span,
    }
}

/// A named function with unannotated parameters used as a value before its parameter
/// types are known (see `Checker::open_function_value`).
pub(super) struct OpenFnValue {
    entry: usize,
    params: Vec<Type>,
    ret: Type,
    /// The reserved function slot that the value calls.
    func: FuncId,
    span: Span,
    module: usize,
    file: u32,
}

/// The function behind an open function value: it passes its arguments to version `id`
/// of the named function and returns its result.
fn forwarder(
    value: &OpenFnValue,
    name: &str,
    id: FuncId,
    params: Vec<Type>,
    ret: Type,
) -> TFunction {
    let span = value.span;
    let args = params
        .iter()
        .enumerate()
        .map(|(i, ty)| TExpr {
            kind: TExprKind::Load(Place::Local(i)),
            ty: ty.clone(),
            span,
        })
        .collect();
    let call = TExpr {
        kind: TExprKind::Call { func: id, args },
        ty: ret.clone(),
        span,
    };
    let kind = if ret == Type::Void {
        TStmtKind::Expr(call)
    } else {
        TStmtKind::Return(Some(call))
    };
    TFunction {
        name: format!("<{name} as a value>").into(),
        file: value.file,
        is_toplevel: false,
        params: params.len(),
        locals: params
            .into_iter()
            .enumerate()
            .map(|(i, ty)| LocalVar {
                name: format!("<arg {i}>").into(),
                ty,
                captured: false,
            })
            .collect(),
        ret,
        body: vec![TStmt { kind, span }],
        span,
        capture_by_value: Box::default(),
    }
}
