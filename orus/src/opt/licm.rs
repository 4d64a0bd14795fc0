//! Loop-invariant code motion.
//!
//! For each loop, the places the loop may write are collected first (assignments, loop
//! variables, pattern bindings; and, when the loop calls anything, every global, captured
//! variable and local that lives in a cell, since a callee may write those). A
//! subexpression is hoisted when it contains an operator, reads only constants and places
//! the loop never writes, and can neither raise an error nor have an effect (no calls,
//! allocation, division, shifts or checked conversions). Evaluating such an expression once before the loop, even when the
//! loop then runs zero times, cannot be observed.

use super::OptStats;
use crate::ast::{BinOp, UnaryOp};
use crate::types::typed::*;
use crate::types::typed::{for_each_child, for_each_subexpr, Child};
use crate::types::Type;
use std::collections::BTreeSet;

/// What a loop may write.
#[derive(Default)]
struct Writes {
    places: BTreeSet<PlaceKey>,
    /// The loop calls functions, makes closures, or runs `try`: anything shared may change.
    calls: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PlaceKey {
    Local(LocalId),
    Top(TopId),
    Capture(u16),
}

impl From<Place> for PlaceKey {
    fn from(p: Place) -> PlaceKey {
        match p {
            Place::Local(id) => PlaceKey::Local(id),
            Place::Top(id) => PlaceKey::Top(id),
            Place::Capture(i) => PlaceKey::Capture(i),
        }
    }
}

/// Hoists invariants out of every loop in `stmts` (recursively).
pub(super) fn hoist_block(
    stmts: &mut Vec<TStmt>,
    locals: &mut Vec<LocalVar>,
    stats: &mut OptStats,
) {
    let mut i = 0;
    while i < stmts.len() {
        // Inner loops first, so their invariants can move further out.
        for_each_child(&mut stmts[i], &mut |child| {
            if let Child::Block(b) = child {
                hoist_block(b, locals, stats);
            }
        });
        let mut hoisted = vec![];
        if is_loop(&stmts[i]) {
            let mut writes = Writes::default();
            collect_writes(std::slice::from_mut(&mut stmts[i]), &mut writes);
            if writes.calls {
                // A captured local lives in a cell that the closure holding it may write.
                let cells = locals.iter().enumerate().filter(|(_, l)| l.captured);
                writes
                    .places
                    .extend(cells.map(|(id, _)| PlaceKey::Local(id)));
            }
            let span = stmts[i].span;
            for_each_loop_expr(&mut stmts[i], &mut |e| {
                hoist_expr(e, &writes, locals, &mut hoisted, span);
            });
        }
        if hoisted.is_empty() {
            i += 1;
        } else {
            stats.loops_optimized += 1;
            stats.loop_invariants_hoisted += hoisted.len() as u64;
            let n = hoisted.len();
            stmts.splice(i..i, hoisted);
            i += n + 1;
        }
    }
}

fn is_loop(s: &TStmt) -> bool {
    matches!(
        s.kind,
        TStmtKind::While { .. } | TStmtKind::ForRange { .. } | TStmtKind::ForEach { .. }
    )
}

/// Calls `f` on the expressions evaluated on every iteration: a `while` condition and every
/// expression of the body (range bounds are evaluated once already).
fn for_each_loop_expr(s: &mut TStmt, f: &mut dyn FnMut(&mut TExpr)) {
    fn walk(stmts: &mut [TStmt], f: &mut dyn FnMut(&mut TExpr)) {
        for s in stmts {
            for_each_child(s, &mut |child| match child {
                Child::Expr(e) => f(e),
                Child::Block(b) => walk(b, f),
            });
        }
    }
    match &mut s.kind {
        TStmtKind::While { cond, body, .. } => {
            f(cond);
            walk(body, f);
        }
        TStmtKind::ForRange { body, .. } | TStmtKind::ForEach { body, .. } => walk(body, f),
        _ => {}
    }
}

fn collect_writes(stmts: &mut [TStmt], w: &mut Writes) {
    for s in stmts {
        match &s.kind {
            TStmtKind::Store { place, .. } => {
                w.places.insert((*place).into());
            }
            TStmtKind::Destructure { targets, .. } => {
                w.places.extend(targets.iter().map(|&p| PlaceKey::from(p)));
            }
            TStmtKind::ForRange { var, .. } | TStmtKind::ForEach { var, .. } => {
                w.places.insert(PlaceKey::Local(*var));
            }
            TStmtKind::Match { temp, arms, .. } => {
                w.places.insert(PlaceKey::Local(*temp));
                for arm in arms {
                    w.places
                        .extend(arm.binds.iter().map(|&(l, _)| PlaceKey::Local(l)));
                }
            }
            TStmtKind::Try { error_local, .. } => {
                w.places.insert(PlaceKey::Local(*error_local));
                w.calls = true;
            }
            _ => {}
        }
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => {
                w.calls |= has_call(e);
                match_expr_writes(e, w);
            }
            Child::Block(b) => collect_writes(b, w),
        });
    }
}

/// The locals written by the `match` expressions inside `e`: each one's hidden subject
/// local and its arms' bindings. (Found by the `opt_diff` fuzzer: without them, the arm
/// test `temp == 0` of a match expression inside a loop was hoisted above the loop, where
/// `temp` is not yet written, so the wrong arm ran.)
fn match_expr_writes(e: &mut TExpr, w: &mut Writes) {
    if let TExprKind::Match { temp, arms, .. } = &e.kind {
        w.places.insert(PlaceKey::Local(*temp));
        for arm in arms {
            w.places
                .extend(arm.binds.iter().map(|&(l, _)| PlaceKey::Local(l)));
        }
    }
    for_each_subexpr(e, &mut |c| match_expr_writes(c, w));
}

/// Whether evaluating `e` may run code that writes shared state.
fn has_call(e: &mut TExpr) -> bool {
    let mut found = matches!(
        e.kind,
        TExprKind::Call { .. }
            | TExprKind::CallValue { .. }
            | TExprKind::Closure { .. }
            | TExprKind::Match { .. }
    );
    for_each_subexpr(e, &mut |c| found |= has_call(c));
    found
}

/// Whether evaluating `e` can neither fail nor have an effect, and it reads only places
/// the loop does not write.
fn invariant(e: &TExpr, w: &Writes) -> bool {
    match &e.kind {
        TExprKind::Int(_) | TExprKind::Float(_) => true,
        TExprKind::Load(p) => {
            let key = PlaceKey::from(*p);
            let shared = !matches!(p, Place::Local(_));
            !(w.places.contains(&key) || (shared && w.calls))
        }
        TExprKind::Unary { op, operand } => {
            let safe = match op {
                UnaryOp::Not | UnaryOp::BitNot => true,
                UnaryOp::Neg => operand.ty == Type::F64,
            };
            safe && invariant(operand, w)
        }
        TExprKind::Binary { op, lhs, rhs } => {
            let ty = &lhs.ty;
            let safe = match op {
                BinOp::Add | BinOp::Sub | BinOp::Mul => ty.is_numeric(),
                BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => true,
                BinOp::Eq
                | BinOp::Ne
                | BinOp::Matches
                | BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge => ty.is_numeric() || *ty == Type::Bool,
                _ => false,
            };
            safe && invariant(lhs, w) && invariant(rhs, w)
        }
        TExprKind::Convert(inner) => {
            // Only conversions that cannot fail.
            let safe = match (&inner.ty, &e.ty) {
                (Type::F64, to) => *to == Type::Bool,
                (_, Type::F64 | Type::Bool) | (Type::Bool, _) => true,
                (Type::I32 | Type::U32, Type::I64) | (Type::U32, Type::U64) => true,
                _ => false,
            };
            safe && invariant(inner, w)
        }
        _ => false,
    }
}

/// Hoists the maximal invariant subexpressions of `e` that contain an operator.
fn hoist_expr(
    e: &mut TExpr,
    w: &Writes,
    locals: &mut Vec<LocalVar>,
    out: &mut Vec<TStmt>,
    span: crate::diag::Span,
) {
    let has_operator = !matches!(
        e.kind,
        TExprKind::Int(_) | TExprKind::Float(_) | TExprKind::Load(_)
    );
    if has_operator && invariant(e, w) {
        let id = locals.len();
        locals.push(LocalVar {
            name: "<invariant>".into(),
            ty: e.ty.clone(),
            captured: false,
        });
        let load = TExpr {
            kind: TExprKind::Load(Place::Local(id)),
            ty: e.ty.clone(),
            span: e.span,
        };
        let value = std::mem::replace(e, load);
        out.push(TStmt {
            kind: TStmtKind::Store {
                place: Place::Local(id),
                value,
            },
            span,
        });
        return;
    }
    // Short-circuit operands are only evaluated conditionally; keep them in place.
    if matches!(e.kind, TExprKind::Logic { .. }) {
        if let TExprKind::Logic { lhs, .. } = &mut e.kind {
            hoist_expr(lhs, w, locals, out, span);
        }
        return;
    }
    for_each_subexpr(e, &mut |c| hoist_expr(c, w, locals, out, span));
}
