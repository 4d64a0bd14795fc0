//! Loop-invariant code motion.
//!
//! The places a loop may write are the writes that the optimiser's walk logged while it
//! went through the loop ([`WriteLog`]): assignments, loop variables, pattern bindings;
//! and, when the loop calls anything, every global, captured variable and local that
//! lives in a cell, since a callee may write those. A subexpression is hoisted when it
//! contains an operator, reads only constants and places the loop never writes, and can
//! neither raise an error nor have an effect (no calls, allocation, division, shifts or
//! checked conversions). Evaluating such an expression once before the loop, even when
//! the loop then runs zero times, cannot be observed.

use crate::ast::{BinOp, UnaryOp};
use crate::types::typed::*;
use crate::types::Type;

/// When each place was last written, on a clock that ticks at every logged write. The
/// walk goes through a loop whole before it hoists from it, so a place was written inside
/// the loop exactly when its last write is later than the clock at the loop's start: no
/// set of places per loop, and nested loops share one log.
#[derive(Default)]
pub(super) struct WriteLog {
    clock: u32,
    locals: Vec<u32>,
    tops: Vec<u32>,
    captures: Vec<u32>,
    /// The last call, closure, `match` or `try`: code that may write anything shared.
    call: u32,
}

impl WriteLog {
    /// Prepares the log for a function with `locals` locals. Stamps of earlier functions
    /// stay: they are older than any loop of this one.
    pub(super) fn start_function(&mut self, locals: usize) {
        if self.clock > u32::MAX / 2 {
            *self = WriteLog::default();
        }
        if self.locals.len() < locals {
            self.locals.resize(locals, 0);
        }
    }

    /// The clock now: a loop that starts here wrote what is logged later.
    pub(super) fn now(&self) -> u32 {
        self.clock
    }

    fn tick(&mut self) -> u32 {
        self.clock += 1;
        self.clock
    }

    #[inline]
    pub(super) fn write(&mut self, place: Place) {
        match place {
            Place::Local(id) => self.write_local(id),
            Place::Top(id) => {
                let at = self.tick();
                stamp(&mut self.tops, id, at);
            }
            Place::Capture(index) => {
                let at = self.tick();
                stamp(&mut self.captures, usize::from(index), at);
            }
        }
    }

    #[inline]
    pub(super) fn write_local(&mut self, id: LocalId) {
        let at = self.tick();
        stamp(&mut self.locals, id, at);
    }

    pub(super) fn call(&mut self) {
        self.call = self.tick();
    }
}

#[inline(always)]
fn stamp(table: &mut Vec<u32>, index: usize, at: u32) {
    match table.get_mut(index) {
        Some(slot) => *slot = at,
        None => stamp_grown(table, index, at),
    }
}

/// [`stamp`] past the end of `table` (rare: the tables grow to the largest function),
/// kept out of line so that logging a write inlines to a few instructions.
#[cold]
#[inline(never)]
fn stamp_grown(table: &mut Vec<u32>, index: usize, at: u32) {
    table.resize(index + 1, 0);
    table[index] = at;
}

fn written_since(table: &[u32], index: usize, since: u32) -> bool {
    table.get(index).is_some_and(|&at| at > since)
}

/// What one loop may write: what the log holds from the loop's start on.
struct Writes<'a> {
    log: &'a WriteLog,
    since: u32,
    /// The loop calls functions, makes closures, or runs `try`: anything shared may change.
    calls: bool,
}

impl Writes<'_> {
    fn may_change(&self, place: Place, locals: &[LocalVar]) -> bool {
        let log = self.log;
        match place {
            // A captured local lives in a cell that the closure holding it may write.
            Place::Local(id) => {
                written_since(&log.locals, id, self.since)
                    || (self.calls && locals.get(id).is_some_and(|l| l.captured))
            }
            Place::Top(id) => self.calls || written_since(&log.tops, id, self.since),
            Place::Capture(index) => {
                self.calls || written_since(&log.captures, usize::from(index), self.since)
            }
        }
    }
}

/// Hoists the invariants of the loop `s`, whose writes are those logged after `since`;
/// returns the stores that compute them, to go before the loop.
pub(super) fn hoist_loop(
    s: &mut TStmt,
    log: &WriteLog,
    since: u32,
    locals: &mut Vec<LocalVar>,
) -> Vec<TStmt> {
    let mut cx = Hoist {
        writes: Writes {
            log,
            since,
            calls: log.call > since,
        },
        locals,
        out: vec![],
        span: s.span,
    };
    // The expressions evaluated on every iteration: a `while` condition and every
    // expression of the body (range bounds are evaluated once already). Most loops have
    // nothing to hoist: one bottom-up pass tells, and only a loop that has something
    // goes through the hoisting pass, which asks at every level of an expression whether
    // all of it is invariant.
    let (mut cond, body) = match &mut s.kind {
        TStmtKind::While { cond, body, .. } => (Some(cond), body),
        TStmtKind::ForRange { body, .. } | TStmtKind::ForEach { body, .. } => (None, body),
        _ => return vec![],
    };
    let mut found = false;
    if let Some(cond) = cond.as_deref_mut() {
        cx.scan(cond, &mut found);
    }
    cx.scan_stmts(body, &mut found);
    if !found {
        return vec![];
    }
    if let Some(cond) = cond {
        cx.expr(cond);
    }
    cx.stmts(body);
    cx.out
}

struct Hoist<'a, 'l> {
    writes: Writes<'a>,
    locals: &'l mut Vec<LocalVar>,
    out: Vec<TStmt>,
    span: crate::diag::Span,
}

impl Hoist<'_, '_> {
    fn stmts(&mut self, stmts: &mut [TStmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    /// Every expression of `s`, in evaluation order.
    fn stmt(&mut self, s: &mut TStmt) {
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => self.expr(e),
            Child::Block(body) => self.stmts(body),
        });
    }

    /// Hoists the maximal invariant subexpressions of `e` that contain an operator.
    #[inline(always)]
    fn expr(&mut self, e: &mut TExpr) {
        // Leaves (half the nodes) have no operator: no call for them.
        if !e.is_leaf() {
            self.node(e);
        }
    }

    fn node(&mut self, e: &mut TExpr) {
        match &mut e.kind {
            TExprKind::Int(_) | TExprKind::Float(_) | TExprKind::Load(_) => return,
            // Short-circuit operands are only evaluated conditionally; keep them in place.
            TExprKind::Logic { lhs, .. } => return self.expr(lhs),
            _ => {}
        }
        if self.invariant(e) {
            let id = self.locals.len();
            self.locals.push(LocalVar {
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
            self.out.push(TStmt {
                kind: TStmtKind::Store {
                    place: Place::Local(id),
                    value,
                },
                span: self.span,
            });
            return;
        }
        match &mut e.kind {
            TExprKind::Int(_)
            | TExprKind::Float(_)
            | TExprKind::Str(_)
            | TExprKind::Load(_)
            | TExprKind::TimeStamp
            | TExprKind::Closure { .. }
            | TExprKind::Logic { .. } => {}
            TExprKind::Unary { operand: inner, .. }
            | TExprKind::Convert(inner)
            | TExprKind::ToStr(inner)
            | TExprKind::Len(inner)
            | TExprKind::Pop(inner)
            | TExprKind::GetField { obj: inner, .. } => self.expr(inner),
            TExprKind::Binary { lhs, rhs, .. }
            | TExprKind::Index {
                base: lhs,
                index: rhs,
            }
            | TExprKind::Push {
                array: lhs,
                value: rhs,
            } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            TExprKind::Call { args: items, .. }
            | TExprKind::Array(items)
            | TExprKind::NewStruct { fields: items, .. }
            | TExprKind::NewEnum { payload: items, .. } => {
                items.iter_mut().for_each(|a| self.expr(a));
            }
            TExprKind::CallValue { callee, args } => {
                self.expr(callee);
                args.iter_mut().for_each(|a| self.expr(a));
            }
            TExprKind::Slice { base, start, end } => {
                self.expr(base);
                if let Some(s) = start {
                    self.expr(s);
                }
                if let Some(x) = end {
                    self.expr(x);
                }
            }
            TExprKind::Match(m) => {
                let TMatch { subject, arms, .. } = &mut **m;
                self.expr(subject);
                for arm in arms {
                    if let ArmTest::Cond(c) = &mut arm.test {
                        self.expr(c);
                    }
                    self.expr(&mut arm.body);
                }
            }
        }
    }

    /// Whether evaluating `e` can neither fail nor have an effect, and it reads only
    /// places the loop does not write.
    fn invariant(&self, e: &TExpr) -> bool {
        match &e.kind {
            TExprKind::Int(_) | TExprKind::Float(_) => true,
            TExprKind::Load(p) => !self.writes.may_change(*p, self.locals),
            TExprKind::Unary { operand, .. } => safe_op(e) && self.invariant(operand),
            TExprKind::Binary { lhs, rhs, .. } => {
                safe_op(e) && self.invariant(lhs) && self.invariant(rhs)
            }
            TExprKind::Convert(inner) => safe_op(e) && self.invariant(inner),
            _ => false,
        }
    }

    /// Sets `found` when some expression of `stmts` that the hoisting pass visits has an
    /// operator and is [`invariant`](Hoist::invariant): when that pass would hoist.
    fn scan_stmts(&self, stmts: &mut [TStmt], found: &mut bool) {
        for s in stmts {
            if *found {
                return;
            }
            for_each_child(s, &mut |child| match child {
                Child::Expr(e) => {
                    self.scan(e, found);
                }
                Child::Block(body) => self.scan_stmts(body, found),
            });
        }
    }

    /// [`Hoist::invariant`] of `e`, computed bottom-up (each node once); sets `found` as
    /// [`Hoist::scan_stmts`] does. Like the hoisting pass, it looks only at the left
    /// operand of `and`/`or`. Leaves (half the nodes) are decided here, without a call.
    #[inline(always)]
    fn scan(&self, e: &mut TExpr, found: &mut bool) -> bool {
        match &e.kind {
            TExprKind::Int(_) | TExprKind::Float(_) => true,
            TExprKind::Load(p) => !self.writes.may_change(*p, self.locals),
            _ if e.is_leaf() => false,
            _ => self.scan_node(e, found),
        }
    }

    /// [`Hoist::scan`] of an expression with operands.
    fn scan_node(&self, e: &mut TExpr, found: &mut bool) -> bool {
        let invariant = match &mut e.kind {
            TExprKind::Unary { operand: inner, .. } | TExprKind::Convert(inner) => {
                self.scan(inner, found) && safe_op(e)
            }
            TExprKind::Binary { lhs, rhs, .. } => {
                let both = self.scan(lhs, found) & self.scan(rhs, found);
                both && safe_op(e)
            }
            TExprKind::Logic { lhs, .. } => {
                self.scan(lhs, found);
                false
            }
            _ => {
                self.scan_parts(e, found);
                false
            }
        };
        // An invariant node with operands is what the hoisting pass hoists.
        *found |= invariant;
        invariant
    }

    /// [`Hoist::scan`] of each operand of `e` (calls, arrays, objects, `match`).
    #[inline(never)]
    fn scan_parts(&self, e: &mut TExpr, found: &mut bool) {
        for_each_subexpr(e, &mut |sub| {
            self.scan(sub, found);
        });
    }
}

/// Whether the operation of `e` itself, an operator or a conversion, can neither fail
/// nor have an effect (whatever its operands are).
fn safe_op(e: &TExpr) -> bool {
    match &e.kind {
        TExprKind::Unary { op, operand } => match op {
            UnaryOp::Not | UnaryOp::BitNot => true,
            UnaryOp::Neg => operand.ty == Type::F64,
        },
        TExprKind::Binary { op, lhs, .. } => {
            let ty = &lhs.ty;
            match op {
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
            }
        }
        // Only conversions that cannot fail.
        TExprKind::Convert(inner) => match (&inner.ty, &e.ty) {
            (Type::F64, to) => *to == Type::Bool,
            (_, Type::F64 | Type::Bool) | (Type::Bool, _) => true,
            (Type::I32 | Type::U32, Type::I64) | (Type::U32, Type::U64) => true,
            _ => false,
        },
        _ => false,
    }
}
