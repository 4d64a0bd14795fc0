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

    /// `ty` with every bound hole replaced by its type.
    pub(super) fn resolve(&self, ty: &Type) -> Type {
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
                self.holes[*h as usize] = Some(other.clone());
                true
            }
            (Type::Array(x), Type::Array(y)) => self.unify_resolved(x, y),
            _ => true,
        }
    }

    /// The element type of an array that is about to be read; E2011 while still open.
    pub(super) fn known_element(&mut self, elem: &Type, span: Span) -> Option<Type> {
        let elem = self.resolve(elem);
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

    /// Replaces every hole in the finished program's types.
    pub(super) fn resolve_all(&self, functions: &mut [TFunction], tops: &mut [Option<Type>]) {
        let finalize = |ty: &mut Type| {
            let resolved = self.resolve(ty);
            *ty = default_holes(resolved);
        };
        for f in functions.iter_mut() {
            for l in &mut f.locals {
                finalize(&mut l.ty);
            }
            f.ret = default_holes(self.resolve(&f.ret));
            for s in &mut f.body {
                self.resolve_stmt(s);
            }
        }
        for t in tops.iter_mut().flatten() {
            finalize(t);
        }
    }

    fn resolve_stmt(&self, s: &mut TStmt) {
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => self.resolve_expr(e),
            Child::Block(b) => b.iter_mut().for_each(|s| self.resolve_stmt(s)),
        });
    }

    fn resolve_expr(&self, e: &mut TExpr) {
        e.ty = default_holes(self.resolve(&e.ty));
        for_each_subexpr(e, &mut |c| self.resolve_expr(c));
    }
}

/// `ty` (resolved) mentions the open hole `h` among its element types.
fn contains_hole(ty: &Type, h: u32) -> bool {
    let mut at = ty;
    loop {
        match at {
            Type::Hole(g) => return *g == h,
            Type::Array(elem) => at = elem,
            _ => return false,
        }
    }
}

/// An open hole left at the end (an array never given an element) becomes `i32`.
fn default_holes(ty: Type) -> Type {
    match ty {
        Type::Hole(_) => Type::I32,
        Type::Array(elem) => Type::Array(Rc::new(default_holes(Rc::unwrap_or_clone(elem)))),
        other => other,
    }
}
