//! Element types of empty array literals, inferred from the first value stored.
//!
//! `xs = []` gives `xs` the type `[?h]` with a fresh hole `h`. The first `push(xs, v)`,
//! `xs[i] = v`, assignment of a non-empty array, or use where an array type is expected
//! binds the hole; every later read of `xs` sees the resolved type. Reading an element
//! while the hole is open is E2011. When checking ends, every type in the typed tree is
//! resolved (a hole never bound, e.g. of an array that stays empty, becomes `i32`, which no
//! observable behaviour depends on).

use std::rc::Rc;

use super::func::Checker;
use super::typed::*;
use super::Type;
use crate::diag::{Code, Diagnostic, Span};

impl Checker<'_, '_> {
    pub(super) fn new_hole(&mut self) -> Type {
        self.holes.push(None);
        Type::Hole(self.holes.len() as u32 - 1)
    }

    /// Binds open hole `h`, counting bindings of holes made before the current
    /// `hole_floor` (the types of values from outside the body being checked).
    fn bind_hole(&mut self, h: u32, ty: Type) {
        if h < self.hole_floor {
            self.outer_binds += 1;
        }
        self.holes[h as usize] = Some(ty);
    }

    /// A hole for an unannotated parameter of a nested or anonymous function (or the
    /// elements it turned out to hold): a literal beside it does not decide it (choice 31).
    pub(super) fn new_param_hole(&mut self) -> Type {
        let hole = self.new_hole();
        if let Type::Hole(h) = hole {
            self.param_holes.insert(h);
        }
        hole
    }

    /// A hole for a built-in `Result` whose `Ok` type is not known yet.
    pub(super) fn new_result_hole(&mut self) -> Type {
        let hole = self.new_hole();
        if let Type::Hole(h) = hole {
            self.result_holes.insert(h);
        }
        hole
    }

    /// Whether `ty` (resolved) is a built-in `Result` type or a result hole.
    pub(super) fn is_result(&self, ty: &Type) -> bool {
        match ty {
            // Only the built-in's instances: a module may declare its own `enum Result`.
            Type::Enum(id, _) => self.result_instances.iter().any(|(_, i, _)| i == id),
            Type::Hole(h) => self.result_holes.contains(h),
            _ => false,
        }
    }

    /// A result hole on one side and, on the other, a known type that is not a `Result`.
    pub(super) fn result_hole_clash(&self, a: &Type, b: &Type) -> bool {
        let (a, b) = (self.resolve(a), self.resolve(b));
        let open_result = |t: &Type| matches!(t, Type::Hole(h) if self.result_holes.contains(h));
        let known = |t: &Type| !matches!(t, Type::Hole(_) | Type::Error);
        (open_result(&a) && known(&b) && !self.is_result(&b))
            || (open_result(&b) && known(&a) && !self.is_result(&a))
    }

    /// E2001 for a result-hole clash, naming the open side `Result`.
    pub(super) fn mismatch_result(&mut self, span: Span, found: &Type, expected: &Type) {
        let show = |this: &Self, t: &Type| match this.resolve(t) {
            Type::Hole(_) => "Result".to_string(),
            t => t.to_string(),
        };
        let (found, expected) = (show(self, found), show(self, expected));
        self.error(
            Code::TypeMismatch,
            span,
            format!("this is a `{found}`, but `{expected}` was expected"),
        );
    }

    /// A `Result` type for `ty`: an open result hole becomes `Result<i32>` (what `match`
    /// needs to see variants); anything else is returned resolved.
    pub(super) fn settle_result(&mut self, ty: &Type) -> Type {
        let ty = self.resolve(ty);
        if let Type::Hole(h) = ty {
            if self.result_holes.contains(&h) {
                if let Some(&entry) = self.cycle_results.get(&h) {
                    if !self.assumed_results.contains(&entry) {
                        self.assumed_results.push(entry);
                    }
                }
                let settled = self.result_enum(&Type::I32);
                self.bind_hole(h, settled.clone());
                return settled;
            }
        }
        ty
    }

    /// Binds every result hole still open to `Result<i32>` (before `resolve_all`).
    pub(super) fn settle_result_holes(&mut self) {
        let mut open: Vec<u32> = self.result_holes.iter().copied().collect();
        open.sort_unstable();
        for h in open {
            if self.holes[h as usize].is_none() {
                self.settle_result(&Type::Hole(h));
            }
        }
    }

    /// Checks the operators (and `len` calls) recorded in `open_ops` against the types
    /// their operands ended with; an operand never decided is the `i32` it becomes.
    pub(super) fn check_open_ops(&mut self) {
        use super::func::OpenOp;
        use crate::ast::{BinOp, UnaryOp};
        for (ty, op, span, file) in std::mem::take(&mut self.open_ops) {
            // A type never decided becomes `i32` (`resolve_all`): check against that.
            let undecided = matches!(self.resolve(&ty), Type::Hole(_));
            let ty = default_holes(self.resolve(&ty));
            let ok = match op {
                OpenOp::Binary(BinOp::Eq | BinOp::Ne | BinOp::Matches) => ty != Type::Void,
                OpenOp::Binary(BinOp::Add | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge) => {
                    ty.is_numeric() || ty == Type::Str
                }
                OpenOp::Binary(BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem) => {
                    ty.is_numeric()
                }
                OpenOp::Binary(_) | OpenOp::Unary(UnaryOp::BitNot) => ty.is_integer(),
                OpenOp::Unary(UnaryOp::Neg) => matches!(ty, Type::I32 | Type::I64 | Type::F64),
                OpenOp::Unary(UnaryOp::Not) => ty == Type::Bool,
                OpenOp::Len => ty == Type::Str || matches!(ty, Type::Array(_)),
            };
            if !ok && ty != Type::Error {
                let (code, message) = match op {
                    OpenOp::Len if undecided => (
                        Code::TypeMismatch,
                        "`len` takes an array or a string, not `i32`, which this parameter is \
                         when nothing (only literals, or no call) decides its type"
                            .to_string(),
                    ),
                    OpenOp::Len => (
                        Code::TypeMismatch,
                        format!(
                            "`len` takes an array or a string, not `{ty}`, the type this \
                             parameter was given later"
                        ),
                    ),
                    OpenOp::Binary(op) => (Code::OperatorNotSupported, operator(op.symbol(), &ty)),
                    OpenOp::Unary(op) => (Code::OperatorNotSupported, operator(op.symbol(), &ty)),
                };
                let mut diag = Diagnostic::new(code, span, message)
                    .with_help("annotate the parameters where the function is declared");
                diag.file = Some(file);
                self.diags.push(diag);
            }
        }
    }

    /// `ty` with every bound hole replaced by its type.
    #[inline]
    pub(super) fn resolve(&self, ty: &Type) -> Type {
        // (A type without holes resolves to itself.)
        if mentions_hole(ty) {
            self.resolve_holes(ty)
        } else {
            ty.clone()
        }
    }

    fn resolve_holes(&self, ty: &Type) -> Type {
        match ty {
            Type::Hole(h) => match &self.holes[*h as usize] {
                Some(t) => self.resolve(t),
                None => ty.clone(),
            },
            Type::Array(elem) => {
                // Unchanged element types are shared, not rebuilt: resolving a deeply
                // nested array type many times must not allocate each time.
                let inner = self.resolve(elem);
                let unchanged = match (&inner, &**elem) {
                    (Type::Array(a), Type::Array(b)) => Rc::ptr_eq(a, b),
                    (Type::Array(_), _) | (_, Type::Array(_)) => false,
                    (a, b) => a == b,
                };
                if unchanged {
                    ty.clone()
                } else {
                    Type::Array(Rc::new(inner))
                }
            }
            Type::Func(f) if mentions_hole(ty) => Type::Func(Rc::new(super::FnType {
                params: f.params.iter().map(|p| self.resolve(p)).collect(),
                ret: self.resolve(&f.ret),
            })),
            _ => ty.clone(),
        }
    }

    /// Binds open holes of `a` to the matching parts of `b`, and of `b` to `a`'s. Returns
    /// false where a hole would have to contain itself (`push(xs, xs)` with `xs = []`):
    /// that type would be infinite, so the hole stays open and the caller reports it.
    pub(super) fn unify(&mut self, a: &Type, b: &Type) -> bool {
        let (a, b) = (self.resolve(a), self.resolve(b));
        self.unify_resolved(&a, &b)
    }

    /// [`Checker::unify`] of two resolved types: every hole in them is open.
    fn unify_resolved(&mut self, a: &Type, b: &Type) -> bool {
        match (a, b) {
            (Type::Hole(h), other) | (other, Type::Hole(h))
                if !matches!(other, Type::Hole(_) | Type::Error) =>
            {
                if contains_hole(other, *h) {
                    return false;
                }
                if self.result_holes.contains(h) && !self.is_result(other) {
                    // Not a `Result`: the hole stays open and the caller reports the clash.
                    return true;
                }
                self.bind_hole(*h, other.clone());
                true
            }
            (Type::Hole(a), Type::Hole(b)) if a != b => {
                // Two types not known yet that must agree (two `Result`s, two parameters
                // in `a + b`, an empty array's element and a `Result.Err(..)`) are one
                // type. The representative is a result hole if either is (the other
                // becomes a `Result` too), else a hole that is not a parameter's (an empty
                // array's element is decided by the first value stored, literal or not).
                let rank = |h: &u32| {
                    if self.result_holes.contains(h) {
                        2
                    } else if self.param_holes.contains(h) {
                        0
                    } else {
                        1
                    }
                };
                if rank(a) >= rank(b) {
                    self.bind_hole(*b, Type::Hole(*a));
                } else {
                    self.bind_hole(*a, Type::Hole(*b));
                }
                true
            }
            (Type::Array(x), Type::Array(y)) => self.unify_resolved(x, y),
            (Type::Func(x), Type::Func(y)) if x.params.len() == y.params.len() => {
                let mut ok = true;
                for (p, q) in x.params.iter().zip(&y.params) {
                    ok &= self.unify(p, q);
                }
                ok & self.unify(&x.ret, &y.ret)
            }
            _ => true,
        }
    }

    /// The element type of an array that is about to be read; E2011 while still open.
    pub(super) fn known_element(&mut self, elem: &Type, span: Span) -> Option<Type> {
        // An array of `Result.Err(..)` only: its elements are `Result`s all the same.
        let elem = self.settle_result(elem);
        // The elements of an array that an unannotated parameter was found to be: as
        // open as the parameter, and decided the same way (choice 31).
        if matches!(elem, Type::Hole(h) if self.param_holes.contains(&h)) {
            return Some(elem);
        }
        if let Type::Hole(_) = elem {
            self.diags.push(
                Diagnostic::new(
                    Code::CannotInfer,
                    span,
                    "Can't infer the element type of this array: nothing has been stored in it yet",
                )
                .with_help("annotate the variable, like `xs: [i32] = []`"),
            );
            return None;
        }
        Some(elem)
    }

    /// Replaces every hole in the field types of structs and the payload types of enums
    /// (a field written `Result` holds a result hole until a value is stored).
    pub(super) fn resolve_declared_types(&mut self) {
        for s in 0..self.structs.len() {
            for f in 0..self.structs[s].fields.len() {
                let ty = default_holes(self.resolve(&self.structs[s].fields[f].ty));
                self.structs[s].fields[f].ty = ty;
            }
        }
        for e in 0..self.enums.len() {
            for v in 0..self.enums[e].variants.len() {
                for p in 0..self.enums[e].variants[v].1.len() {
                    let ty = default_holes(self.resolve(&self.enums[e].variants[v].1[p]));
                    self.enums[e].variants[v].1[p] = ty;
                }
            }
        }
    }

    /// Replaces every hole in the finished program's types, and encodes the integer
    /// literals that were typed with one; a literal whose type turned out not to take it
    /// is reported (E2008 / E2001).
    pub(super) fn resolve_all(
        &mut self,
        functions: &mut [Option<TFunction>],
        tops: &mut [Option<Type>],
    ) {
        // No hole was ever made: no type mentions one, and no literal waits for its type.
        if self.holes.is_empty() {
            return;
        }
        let finalize = |ty: &mut Type| {
            let resolved = self.resolve(ty);
            *ty = default_holes(resolved);
        };
        let mut errors = vec![];
        for f in functions.iter_mut().flatten() {
            for l in &mut f.locals {
                finalize(&mut l.ty);
            }
            f.ret = default_holes(self.resolve(&f.ret));
            for s in &mut f.body {
                self.resolve_stmt(s, f.file, &mut errors);
            }
        }
        for t in tops.iter_mut().flatten() {
            finalize(t);
        }
        self.diags.extend(errors);
    }

    fn resolve_stmt(&self, s: &mut TStmt, file: u32, errors: &mut Vec<Diagnostic>) {
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => self.resolve_expr(e, file, errors),
            Child::Block(b) => b
                .iter_mut()
                .for_each(|s| self.resolve_stmt(s, file, errors)),
        });
    }

    fn resolve_expr(&self, e: &mut TExpr, file: u32, errors: &mut Vec<Diagnostic>) {
        // Most expressions never had a hole: leave their type alone instead of rebuilding it.
        if mentions_hole(&e.ty) {
            let was_hole = matches!(e.ty, Type::Hole(_));
            e.ty = default_holes(self.resolve(&e.ty));
            if was_hole && matches!(e.kind, TExprKind::Int(_)) {
                if let Some(lit) = self.open_literals.get(&(file, e.span.start)) {
                    self.encode_open_literal(e, *lit, file, errors);
                }
            }
        }
        // A `Result.Err` made before its `Ok` type was known takes its enum from the type.
        if let (TExprKind::NewEnum { id, .. }, Type::Enum(resolved, _)) = (&mut e.kind, &e.ty) {
            *id = *resolved;
        }
        for_each_subexpr(e, &mut |c| self.resolve_expr(c, file, errors));
    }

    /// Gives integer literal `e`, typed with a hole that is now `e.ty`, its encoding in
    /// that type.
    fn encode_open_literal(
        &self,
        e: &mut TExpr,
        lit: super::literal::IntLit,
        file: u32,
        errors: &mut Vec<Diagnostic>,
    ) {
        use super::literal::LitValue;
        let mut report = |code, message: String| {
            let mut diag = Diagnostic::new(code, e.span, message);
            diag.file = Some(file);
            errors.push(diag);
        };
        match &e.ty {
            Type::Error => {}
            ty if ty.is_numeric() => match lit.value_as(ty) {
                Ok(LitValue::Int(_, bits)) => e.kind = TExprKind::Int(bits),
                Ok(LitValue::Float(v)) => e.kind = TExprKind::Float(v),
                Err(message) => report(Code::LiteralOutOfRange, message),
            },
            ty => report(
                Code::TypeMismatch,
                format!("this is an integer literal, but `{ty}` was expected"),
            ),
        }
    }
}

/// `ty` (resolved) mentions the open hole `h` among its element, parameter or result
/// types.
fn contains_hole(ty: &Type, h: u32) -> bool {
    let mut at = ty;
    loop {
        match at {
            Type::Hole(g) => return *g == h,
            Type::Array(elem) => at = elem,
            Type::Func(f) => {
                return f.params.iter().any(|p| contains_hole(p, h)) || contains_hole(&f.ret, h)
            }
            _ => return false,
        }
    }
}

/// Whether `ty` has a hole among its element, parameter or result types (bound or not).
/// Asked of most types the checker handles, which are primitives: those are answered
/// inline.
#[inline(always)]
pub(super) fn mentions_hole(ty: &Type) -> bool {
    match ty {
        Type::Hole(_) => true,
        Type::Array(_) | Type::Func(_) => mentions_hole_inside(ty),
        _ => false,
    }
}

fn mentions_hole_inside(ty: &Type) -> bool {
    let mut at = ty;
    loop {
        match at {
            Type::Hole(_) => return true,
            Type::Array(elem) => at = elem,
            Type::Func(f) => return f.params.iter().any(mentions_hole) || mentions_hole(&f.ret),
            _ => return false,
        }
    }
}

/// An open hole left at the end (an array never given an element, a parameter never
/// used in a way that decides its type) becomes `i32`.
fn default_holes(ty: Type) -> Type {
    match ty {
        Type::Hole(_) => Type::I32,
        Type::Array(elem) => Type::Array(Rc::new(default_holes(Rc::unwrap_or_clone(elem)))),
        Type::Func(f) if f.params.iter().any(mentions_hole) || mentions_hole(&f.ret) => {
            let f = Rc::unwrap_or_clone(f);
            Type::Func(Rc::new(super::FnType {
                params: f.params.into_iter().map(default_holes).collect(),
                ret: default_holes(f.ret),
            }))
        }
        other => other,
    }
}

/// E2009's message for an operator checked once its operand's type was known.
fn operator(symbol: &str, ty: &Type) -> String {
    format!(
        "Operator `{symbol}` is not defined for `{ty}`, the type this parameter was given later"
    )
}
