//! Constants kept in registers: literals that loops use as operands are loaded once, at
//! the function's entry, into registers of their own ("pinned"), instead of by a
//! `LoadInt`/`LoadConst` in every iteration.
//!
//! [`loop_constants`] walks a function body the way the code generator will compile it
//! and collects the literals met inside a loop (its condition or body) in an *operand*
//! position: where the generator evaluates an expression into whatever register holds it
//! (`FnGen::expr_any`), not into a given destination, and where no immediate-operand
//! instruction takes the literal. Registers hold untagged bits, so one pinned register
//! serves every literal with the same bits (`0`, `false` and `0.0` alike). The walk only
//! decides which loads are hoisted; a literal it misses is simply loaded where it is used.
//! Outside loops it looks only for loops: an expression holds no statement, so no loop.

use super::expr::{binary_immediate, immediate, is_integer};
use crate::ast::{BinOp, UnaryOp};
use crate::types::typed::*;
use crate::types::Type;

/// The most constants pinned per function.
const MAX_PINNED: usize = 12;

/// The bits of the literals to pin, in order of first use, into `found` (emptied first:
/// the caller's buffer is reused from one function to the next).
pub(super) fn loop_constants(body: &[TStmt], found: &mut Vec<u64>) {
    found.clear();
    Finder { found }.stmts(body, false);
}

struct Finder<'f> {
    found: &'f mut Vec<u64>,
}

impl Finder<'_> {
    fn collect(&mut self, bits: u64) {
        if self.found.len() < MAX_PINNED && !self.found.contains(&bits) {
            self.found.push(bits);
        }
    }

    fn stmts(&mut self, stmts: &[TStmt], in_loop: bool) {
        if self.found.len() == MAX_PINNED {
            return;
        }
        for s in stmts {
            self.stmt(s, in_loop);
        }
    }

    fn stmt(&mut self, stmt: &TStmt, in_loop: bool) {
        match &stmt.kind {
            TStmtKind::Store { value, .. } | TStmtKind::Expr(value) => self.value(value, in_loop),
            TStmtKind::Destructure { value, .. } => self.value(value, in_loop),
            TStmtKind::Print { args, .. } => args.iter().for_each(|a| self.value(a, in_loop)),
            TStmtKind::If {
                branches,
                else_body,
            } => {
                for (cond, body) in branches {
                    self.cond(cond, in_loop);
                    self.stmts(body, in_loop);
                }
                if let Some(body) = else_body {
                    self.stmts(body, in_loop);
                }
            }
            TStmtKind::While { cond, body, .. } => {
                self.cond(cond, true);
                self.stmts(body, true);
            }
            TStmtKind::ForRange { range, body, .. } => {
                let TRange {
                    start, end, step, ..
                } = &**range;
                self.value(start, in_loop);
                self.value(end, in_loop);
                if let Some(step) = step {
                    self.value(step, in_loop);
                }
                self.stmts(body, true);
            }
            TStmtKind::ForEach { array, body, .. } => {
                self.value(array, in_loop);
                self.stmts(body, true);
            }
            TStmtKind::SetIndex {
                array,
                index,
                value,
                ..
            } => {
                self.operand(array, in_loop);
                self.operand(index, in_loop);
                self.operand(value, in_loop);
            }
            TStmtKind::SetField { obj, value, .. } => {
                self.operand(obj, in_loop);
                self.operand(value, in_loop);
            }
            TStmtKind::Match(m) => {
                let TMatch { subject, arms, .. } = &**m;
                self.value(subject, in_loop);
                for arm in arms {
                    if let ArmTest::Cond(cond) = &arm.test {
                        self.cond(cond, in_loop);
                    }
                    self.stmts(&arm.body, in_loop);
                }
            }
            TStmtKind::Try { body, handler, .. } => {
                self.stmts(body, in_loop);
                self.stmts(handler, in_loop);
            }
            TStmtKind::Throw(value) | TStmtKind::Return(Some(value)) => {
                self.operand(value, in_loop)
            }
            TStmtKind::Block(body) => self.stmts(body, in_loop),
            TStmtKind::Break(_) | TStmtKind::Continue(_) | TStmtKind::Return(None) => {}
        }
    }

    /// `e` evaluated into a register of its own (`expr_any`).
    #[inline(always)]
    fn operand(&mut self, e: &TExpr, in_loop: bool) {
        if !in_loop {
            return; // An expression holds no loop, so no literal of it is pinned.
        }
        match e.kind {
            TExprKind::Int(bits) => self.collect(bits),
            TExprKind::Float(v) => self.collect(v.to_bits()),
            _ => self.value(e, in_loop),
        }
    }

    /// `e` tested as a condition (`cond_jump`).
    fn cond(&mut self, e: &TExpr, in_loop: bool) {
        if !in_loop {
            return; // An expression holds no loop, so no literal of it is pinned.
        }
        match &e.kind {
            TExprKind::Int(_) => {}
            TExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => self.cond(operand, in_loop),
            TExprKind::Logic { lhs, rhs, .. } => {
                self.cond(lhs, in_loop);
                self.cond(rhs, in_loop);
            }
            TExprKind::Binary { op, lhs, rhs } => {
                let ordering = matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge);
                let equality = matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Matches);
                let raw_bits = is_integer(&lhs.ty) || matches!(lhs.ty, Type::Bool);
                let takes_imm = (ordering && matches!(lhs.ty, Type::I32)) || (equality && raw_bits);
                if takes_imm && immediate(rhs).is_some() {
                    self.operand(lhs, in_loop);
                } else if takes_imm && immediate(lhs).is_some() {
                    self.operand(rhs, in_loop);
                } else if ordering || equality {
                    self.operand(lhs, in_loop);
                    self.operand(rhs, in_loop);
                } else {
                    self.operand(e, in_loop);
                }
            }
            _ => self.operand(e, in_loop),
        }
    }

    /// `e` evaluated into a given register (`expr_to`): its operands are walked.
    #[inline(always)]
    fn value(&mut self, e: &TExpr, in_loop: bool) {
        // An expression holds no loop, so no literal of it is pinned outside loops; and
        // leaves (half the nodes) have no operands: no call for either.
        if in_loop && !e.is_leaf() {
            self.value_node(e, in_loop);
        }
    }

    /// [`Finder::value`] of an expression with operands.
    fn value_node(&mut self, e: &TExpr, in_loop: bool) {
        match &e.kind {
            TExprKind::Int(_)
            | TExprKind::Float(_)
            | TExprKind::Str(_)
            | TExprKind::Load(_)
            | TExprKind::TimeStamp
            | TExprKind::Closure { .. } => {}
            TExprKind::Binary { op, lhs, rhs } => {
                if *op == BinOp::Add && matches!(e.ty, Type::Str) {
                    self.value(lhs, in_loop);
                    self.value(rhs, in_loop);
                } else if let Some((operand, _, _)) = binary_immediate(*op, &lhs.ty, lhs, rhs) {
                    self.operand(operand, in_loop);
                } else {
                    self.operand(lhs, in_loop);
                    self.operand(rhs, in_loop);
                }
            }
            TExprKind::Unary { operand, .. } => self.operand(operand, in_loop),
            TExprKind::Logic { lhs, rhs, .. } => {
                self.value(lhs, in_loop);
                self.value(rhs, in_loop);
            }
            TExprKind::Convert(inner)
            | TExprKind::ToStr(inner)
            | TExprKind::Len(inner)
            | TExprKind::Pop(inner) => self.operand(inner, in_loop),
            TExprKind::Call { args, .. }
            | TExprKind::Array(args)
            | TExprKind::NewStruct { fields: args, .. }
            | TExprKind::NewEnum { payload: args, .. } => {
                args.iter().for_each(|a| self.value(a, in_loop))
            }
            TExprKind::CallValue { callee, args } => {
                self.operand(callee, in_loop);
                args.iter().for_each(|a| self.value(a, in_loop));
            }
            TExprKind::Index { base, index } => {
                self.operand(base, in_loop);
                self.operand(index, in_loop);
            }
            TExprKind::Slice { base, start, end } => {
                self.operand(base, in_loop);
                for bound in [start, end].into_iter().flatten() {
                    self.operand(bound, in_loop);
                }
            }
            TExprKind::Push { array, value } => {
                self.operand(array, in_loop);
                self.operand(value, in_loop);
            }
            TExprKind::GetField { obj, .. } => self.operand(obj, in_loop),
            TExprKind::Match(m) => {
                let TMatch { subject, arms, .. } = &**m;
                self.value(subject, in_loop);
                for arm in arms {
                    if let ArmTest::Cond(cond) = &arm.test {
                        self.cond(cond, in_loop);
                    }
                    self.value(&arm.body, in_loop);
                }
            }
        }
    }
}
