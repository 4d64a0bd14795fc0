//! Conditions compiled to jumps: `and`/`or`/`not` as jump chains, comparisons fused with
//! their branch (immediate operands, one-byte string comparisons as integer ones, unit
//! enum variants by tag), anything else as a value tested with `JumpIfFalse`/`JumpIfTrue`.

use super::expr::{byte_comparison, immediate, is_integer, unit_variant_test};
use super::{FnGen, Jumps};
use crate::ast::{BinOp, UnaryOp};
use crate::bytecode::{Instr, Reg};
use crate::types::typed::*;
use crate::types::Type;

/// An ordering comparison, normalised: `a < b` or `a <= b`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Order {
    fn of(op: BinOp) -> Option<Order> {
        match op {
            BinOp::Lt => Some(Order::Lt),
            BinOp::Le => Some(Order::Le),
            BinOp::Gt => Some(Order::Gt),
            BinOp::Ge => Some(Order::Ge),
            _ => None,
        }
    }

    /// `b op' a` means `a op b`.
    fn flipped(self) -> Order {
        match self {
            Order::Lt => Order::Gt,
            Order::Le => Order::Ge,
            Order::Gt => Order::Lt,
            Order::Ge => Order::Le,
        }
    }

    /// `not (a op b)` is `a op' b` (integers only: not for NaN).
    fn negated(self) -> Order {
        match self {
            Order::Lt => Order::Ge,
            Order::Le => Order::Gt,
            Order::Gt => Order::Le,
            Order::Ge => Order::Lt,
        }
    }
}

impl FnGen<'_, '_> {
    /// Emits the test of the bool condition `e`: jumps taken when its value is `when`
    /// (to be patched; returned), falling through otherwise. `not`, `and` and `or` become
    /// jumps, and a comparison a fused compare-and-branch where one exists.
    pub(super) fn cond_jump(&mut self, e: &TExpr, when: bool) -> Jumps {
        let mark = self.next_reg;
        let jumps = match &e.kind {
            TExprKind::Int(bits) if matches!(e.ty, Type::Bool) => {
                if (*bits != 0) == when {
                    self.span = e.span;
                    let at = self.emit(Instr::Jump { offset: 0 });
                    self.one_jump(at)
                } else {
                    Jumps::NONE
                }
            }
            TExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => self.cond_jump(operand, !when),
            TExprKind::Logic { is_and, lhs, rhs } => {
                if *is_and != when {
                    // `a and b` is false when either is; `a or b` true when either is.
                    let mut jumps = self.cond_jump(lhs, when);
                    let more = self.cond_jump(rhs, when);
                    self.join_jumps(&mut jumps, more);
                    jumps
                } else {
                    // `a and b` is true when `a` is and then `b` is (and dually for `or`).
                    let skip = self.cond_jump(lhs, !when);
                    let jumps = self.cond_jump(rhs, when);
                    let here = self.code.len();
                    self.patch_all(skip, here);
                    jumps
                }
            }
            TExprKind::Binary { op, lhs, rhs } => match self.compare_jump(e, *op, lhs, rhs, when) {
                Some(at) => self.one_jump(at),
                None => self.bool_jump(e, when),
            },
            _ => self.bool_jump(e, when),
        };
        self.free_to(mark);
        jumps
    }

    /// The fallback of [`FnGen::cond_jump`]: the bool in a register, then a jump on it.
    fn bool_jump(&mut self, e: &TExpr, when: bool) -> Jumps {
        let cond = self.expr_any(e);
        self.span = e.span;
        let at = self.emit(if when {
            Instr::JumpIfTrue { cond, offset: 0 }
        } else {
            Instr::JumpIfFalse { cond, offset: 0 }
        });
        self.one_jump(at)
    }

    /// The comparison `lhs op rhs` as one fused compare-and-branch taken when its value is
    /// `when`, if there is such an instruction; else emits nothing.
    fn compare_jump(
        &mut self,
        e: &TExpr,
        op: BinOp,
        lhs: &TExpr,
        rhs: &TExpr,
        when: bool,
    ) -> Option<usize> {
        let ty = &lhs.ty;
        if let Some((l, r)) = byte_comparison(op, lhs, rhs) {
            return self.compare_jump(e, op, &l, &r, when);
        }
        if let Some((obj, variant)) = unit_variant_test(op, lhs, rhs) {
            let obj = self.expr_any(obj);
            let tag = self.alloc();
            self.span = e.span;
            self.emit(Instr::EnumTag { dst: tag, obj });
            let imm = i32::from(variant);
            let instr = if (op == BinOp::Ne) == when {
                Instr::JumpIfNotEqImm {
                    a: tag,
                    imm,
                    offset: 0,
                }
            } else {
                Instr::JumpIfNotNeImm {
                    a: tag,
                    imm,
                    offset: 0,
                }
            };
            return Some(self.emit(instr));
        }
        let raw_bits = is_integer(ty) || matches!(*ty, Type::Bool);
        if matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Matches) && raw_bits {
            // Taken when `a == b` is false, i.e. for `==` when `when` is false.
            let unless_eq = (op == BinOp::Ne) == when;
            let instr = match (immediate(rhs), immediate(lhs)) {
                (Some(imm), _) | (None, Some(imm)) => {
                    let operand = if immediate(rhs).is_some() { lhs } else { rhs };
                    let a = self.expr_any(operand);
                    if unless_eq {
                        Instr::JumpIfNotEqImm { a, imm, offset: 0 }
                    } else {
                        Instr::JumpIfNotNeImm { a, imm, offset: 0 }
                    }
                }
                (None, None) => {
                    let a = self.expr_any(lhs);
                    let b = self.expr_any(rhs);
                    if unless_eq {
                        Instr::JumpIfNotEq { a, b, offset: 0 }
                    } else {
                        Instr::JumpIfNotNe { a, b, offset: 0 }
                    }
                }
            };
            self.span = e.span;
            return Some(self.emit(instr));
        }
        let order = Order::of(op)?;
        let instr = match ty {
            Type::I32 => {
                let imm_form = match (immediate(rhs), immediate(lhs)) {
                    (Some(imm), _) => Some((lhs, order, imm)),
                    (None, Some(imm)) => Some((rhs, order.flipped(), imm)),
                    (None, None) => None,
                };
                if let Some((operand, order, imm)) = imm_form {
                    let a = self.expr_any(operand);
                    // Taken when `a order imm` is false, i.e. `not (a order' imm)`.
                    let order = if when { order.negated() } else { order };
                    let offset = 0;
                    match order {
                        Order::Lt => Instr::JumpIfNotLtI32Imm { a, imm, offset },
                        Order::Le => Instr::JumpIfNotLeI32Imm { a, imm, offset },
                        Order::Gt => Instr::JumpIfNotGtI32Imm { a, imm, offset },
                        Order::Ge => Instr::JumpIfNotGeI32Imm { a, imm, offset },
                    }
                } else {
                    let (a, b, lt) = self.ordered_operands(lhs, rhs, order, when);
                    if lt {
                        Instr::JumpIfNotLtI32 { a, b, offset: 0 }
                    } else {
                        Instr::JumpIfNotLeI32 { a, b, offset: 0 }
                    }
                }
            }
            Type::I64 => {
                let (a, b, lt) = self.ordered_operands(lhs, rhs, order, when);
                if lt {
                    Instr::JumpIfNotLtI64 { a, b, offset: 0 }
                } else {
                    Instr::JumpIfNotLeI64 { a, b, offset: 0 }
                }
            }
            // `not (a < b)` is not `a >= b` when a NaN is involved: each sense has its own
            // instructions.
            Type::F64 => {
                let (a, b, lt) = self.ordered_operands(lhs, rhs, order, false);
                match (when, lt) {
                    (false, true) => Instr::JumpIfNotLtF64 { a, b, offset: 0 },
                    (false, false) => Instr::JumpIfNotLeF64 { a, b, offset: 0 },
                    (true, true) => Instr::JumpIfLtF64 { a, b, offset: 0 },
                    (true, false) => Instr::JumpIfLeF64 { a, b, offset: 0 },
                }
            }
            _ => return None,
        };
        self.span = e.span;
        Some(self.emit(instr))
    }

    /// Evaluates `lhs` then `rhs` for an ordering jump; returns `(a, b, lt)` such that
    /// `lhs order rhs` is `a < b` (`lt`) or `a <= b`, negated first when `when` (so the
    /// jump `JumpIfNotLt a b` or `JumpIfNotLe a b` is taken exactly when the comparison is
    /// `when`). `when` must be false unless the operands are integers: the negation swaps
    /// `<` and `>=`, which NaN does not allow.
    fn ordered_operands(
        &mut self,
        lhs: &TExpr,
        rhs: &TExpr,
        order: Order,
        when: bool,
    ) -> (Reg, Reg, bool) {
        let l = self.expr_any(lhs);
        let r = self.expr_any(rhs);
        let order = if when { order.negated() } else { order };
        match order {
            Order::Lt => (l, r, true),
            Order::Le => (l, r, false),
            // `l > r` is `r < l`, exactly, also for floats.
            Order::Gt => (r, l, true),
            Order::Ge => (r, l, false),
        }
    }
}
