//! Constant folding over the typed tree.
//!
//! A fold evaluates an operator on constant operands with the runtime's own semantics
//! (`runtime::arith`, `runtime::convert`, `runtime::format`), and refuses any fold that
//! would trap (division by zero, overflow errors, bad shifts, failing casts): those stay in
//! the program and fail at run time with their usual error and location (spec Q11).

use super::OptStats;
use crate::ast::{BinOp, UnaryOp};
use crate::bytecode::Prim;
use crate::runtime::{arith, convert, format};
use crate::types::typed::*;
use crate::types::Type;

fn prim(ty: &Type) -> Option<Prim> {
    Some(match ty {
        Type::I32 => Prim::I32,
        Type::I64 => Prim::I64,
        Type::U32 => Prim::U32,
        Type::U64 => Prim::U64,
        Type::F64 => Prim::F64,
        Type::Bool => Prim::Bool,
        _ => return None,
    })
}

/// A constant operand: canonical bits of an integer/bool, an f64, or string bytes.
enum Const<'e> {
    Bits(u64),
    Float(f64),
    Str(&'e [u8]),
}

fn constant(e: &TExpr) -> Option<Const<'_>> {
    match &e.kind {
        TExprKind::Int(bits) => Some(Const::Bits(*bits)),
        TExprKind::Float(v) => Some(Const::Float(*v)),
        TExprKind::Str(s) => Some(Const::Str(s)),
        _ => None,
    }
}

/// Whether `e` is a literal: an operator folds only when its operands are.
#[inline]
pub(super) fn is_constant(e: &TExpr) -> bool {
    matches!(
        e.kind,
        TExprKind::Int(_) | TExprKind::Float(_) | TExprKind::Str(_)
    )
}

/// Canonical bits of an integer value of type `ty`.
fn canon(ty: &Type, v: i128) -> u64 {
    match ty {
        Type::I32 => v as i32 as i64 as u64,
        Type::U32 => v as u32 as u64,
        _ => v as u64,
    }
}

fn signed(ty: &Type, bits: u64) -> i128 {
    match ty {
        Type::I32 => bits as i32 as i128,
        Type::I64 => bits as i64 as i128,
        Type::U32 => bits as u32 as i128,
        _ => bits as i128,
    }
}

/// `a op b` on integers of type `ty`, or `None` when the operation would trap.
fn int_binary(op: BinOp, ty: &Type, a: u64, b: u64) -> Option<u64> {
    let (x, y) = (signed(ty, a), signed(ty, b));
    let bool_bits = |c: bool| Some(c as u64);
    match op {
        BinOp::Add => Some(canon(ty, x.wrapping_add(y))),
        BinOp::Sub => Some(canon(ty, x.wrapping_sub(y))),
        BinOp::Mul => Some(canon(ty, x.wrapping_mul(y))),
        BinOp::Div | BinOp::Rem | BinOp::Shl | BinOp::Shr => {
            let r = match (ty, op) {
                (Type::I32, BinOp::Div) => arith::div_i32(a as i32, b as i32).map(|v| v as i128),
                (Type::I32, BinOp::Rem) => arith::rem_i32(a as i32, b as i32).map(|v| v as i128),
                (Type::I64, BinOp::Div) => arith::div_i64(a as i64, b as i64).map(|v| v as i128),
                (Type::I64, BinOp::Rem) => arith::rem_i64(a as i64, b as i64).map(|v| v as i128),
                (Type::U32, BinOp::Div) => arith::div_u32(a as u32, b as u32).map(|v| v as i128),
                (Type::U32, BinOp::Rem) => arith::rem_u32(a as u32, b as u32).map(|v| v as i128),
                (Type::U64, BinOp::Div) => arith::div_u64(a, b).map(|v| v as i128),
                (Type::U64, BinOp::Rem) => arith::rem_u64(a, b).map(|v| v as i128),
                (Type::I32, BinOp::Shl) => arith::shl_i32(a as i32, b as i32).map(|v| v as i128),
                (Type::I32, BinOp::Shr) => arith::shr_i32(a as i32, b as i32).map(|v| v as i128),
                (Type::I64, BinOp::Shl) => arith::shl_i64(a as i64, b as i64).map(|v| v as i128),
                (Type::I64, BinOp::Shr) => arith::shr_i64(a as i64, b as i64).map(|v| v as i128),
                (Type::U32, BinOp::Shl) => arith::shl_u32(a as u32, b as u32).map(|v| v as i128),
                (Type::U32, BinOp::Shr) => arith::shr_u32(a as u32, b as u32).map(|v| v as i128),
                (Type::U64, BinOp::Shl) => arith::shl_u64(a, b).map(|v| v as i128),
                (Type::U64, BinOp::Shr) => arith::shr_u64(a, b).map(|v| v as i128),
                _ => return None,
            };
            r.ok().map(|v| canon(ty, v))
        }
        BinOp::BitAnd => Some(a & b),
        BinOp::BitOr => Some(a | b),
        BinOp::BitXor => Some(a ^ b),
        BinOp::Eq | BinOp::Matches => bool_bits(a == b),
        BinOp::Ne => bool_bits(a != b),
        BinOp::Lt => bool_bits(x < y),
        BinOp::Le => bool_bits(x <= y),
        BinOp::Gt => bool_bits(x > y),
        BinOp::Ge => bool_bits(x >= y),
        BinOp::And | BinOp::Or => None,
    }
}

fn float_binary(op: BinOp, a: f64, b: f64) -> Option<TExprKind> {
    let f = |v: f64| Some(TExprKind::Float(v));
    let c = |v: bool| Some(TExprKind::Int(v as u64));
    match op {
        BinOp::Add => f(a + b),
        BinOp::Sub => f(a - b),
        BinOp::Mul => f(a * b),
        BinOp::Div => arith::div_f64(a, b).ok().and_then(f),
        BinOp::Rem => arith::rem_f64(a, b).ok().and_then(f),
        BinOp::Eq | BinOp::Matches => c(a == b),
        BinOp::Ne => c(a != b),
        BinOp::Lt => c(a < b),
        BinOp::Le => c(a <= b),
        BinOp::Gt => c(a > b),
        BinOp::Ge => c(a >= b),
        _ => None,
    }
}

/// Folds `e` (whose operands are already folded) if it is an operator on constants. Out of
/// line: most nodes have an operand that is not a constant and never get here, and inlined
/// into the walk it made every node's call dearer.
#[inline(never)]
pub(super) fn fold_expr(e: &mut TExpr, stats: &mut OptStats) {
    let folded = match &e.kind {
        TExprKind::Binary { op, lhs, rhs } => match (constant(lhs), constant(rhs)) {
            (Some(Const::Bits(a)), Some(Const::Bits(b))) if lhs.ty.is_integer() => {
                int_binary(*op, &lhs.ty, a, b).map(TExprKind::Int)
            }
            (Some(Const::Bits(a)), Some(Const::Bits(b))) if lhs.ty == Type::Bool => match op {
                BinOp::Eq | BinOp::Matches => Some(TExprKind::Int((a == b) as u64)),
                BinOp::Ne => Some(TExprKind::Int((a != b) as u64)),
                _ => None,
            },
            (Some(Const::Float(a)), Some(Const::Float(b))) => float_binary(*op, a, b),
            (Some(Const::Str(a)), Some(Const::Str(b))) => match op {
                BinOp::Add => Some(TExprKind::Str([a, b].concat())),
                BinOp::Eq | BinOp::Matches => Some(TExprKind::Int((a == b) as u64)),
                BinOp::Ne => Some(TExprKind::Int((a != b) as u64)),
                BinOp::Lt => Some(TExprKind::Int((a < b) as u64)),
                BinOp::Le => Some(TExprKind::Int((a <= b) as u64)),
                BinOp::Gt => Some(TExprKind::Int((a > b) as u64)),
                BinOp::Ge => Some(TExprKind::Int((a >= b) as u64)),
                _ => None,
            },
            _ => None,
        },
        TExprKind::Unary { op, operand } => match (op, constant(operand)) {
            (UnaryOp::Not, Some(Const::Bits(b))) => Some(TExprKind::Int(b ^ 1)),
            (UnaryOp::Neg, Some(Const::Float(v))) => Some(TExprKind::Float(-v)),
            (UnaryOp::Neg, Some(Const::Bits(b))) => match operand.ty {
                Type::I32 => arith::neg_i32(b as i32)
                    .ok()
                    .map(|v| TExprKind::Int(v as i64 as u64)),
                Type::I64 => arith::neg_i64(b as i64)
                    .ok()
                    .map(|v| TExprKind::Int(v as u64)),
                _ => None,
            },
            (UnaryOp::BitNot, Some(Const::Bits(b))) => Some(TExprKind::Int(match operand.ty {
                Type::U32 => !b & 0xFFFF_FFFF,
                _ => !b,
            })),
            _ => None,
        },
        TExprKind::Logic { is_and, lhs, .. } => match constant(lhs) {
            // `true and x` is x, `false and x` is false; `or` likewise.
            Some(Const::Bits(b)) => {
                if (b == 1) == *is_and {
                    // `x` moves up: the whole node is replaced, so nothing else reads it.
                    let TExprKind::Logic { rhs, .. } = &mut e.kind else {
                        unreachable!()
                    };
                    Some(std::mem::replace(&mut rhs.kind, TExprKind::TimeStamp))
                } else {
                    Some(TExprKind::Int(b))
                }
            }
            _ => None,
        },
        TExprKind::Convert(inner) => {
            let from = prim(&inner.ty);
            let to = prim(&e.ty);
            let bits = match constant(inner) {
                Some(Const::Bits(b)) => Some(b),
                Some(Const::Float(v)) => Some(v.to_bits()),
                _ => None,
            };
            match (from, to, bits) {
                (Some(from), Some(to), Some(bits)) => {
                    convert::convert(from, to, bits).ok().map(|out| {
                        if to == Prim::F64 {
                            TExprKind::Float(f64::from_bits(out))
                        } else {
                            TExprKind::Int(out)
                        }
                    })
                }
                _ => None,
            }
        }
        TExprKind::ToStr(inner) => {
            let bits = match constant(inner) {
                Some(Const::Bits(b)) => Some(b),
                Some(Const::Float(v)) => Some(v.to_bits()),
                _ => None,
            };
            match (prim(&inner.ty), bits) {
                (Some(p), Some(bits)) => {
                    let mut out = vec![];
                    format::format_scalar(&mut out, bits, p);
                    Some(TExprKind::Str(out))
                }
                _ => None,
            }
        }
        _ => None,
    };
    if let Some(kind) = folded {
        e.kind = kind;
        stats.constants_folded += 1;
    }
}

/// Whether folding `lhs and rhs` (`is_and`) or `lhs or rhs`, with `lhs` already folded,
/// drops `rhs`: `false and x` and `true or x` never evaluate `x`.
pub(super) fn logic_drops_rhs(is_and: bool, lhs: &TExpr) -> bool {
    matches!(lhs.kind, TExprKind::Int(b) if (b == 1) != is_and)
}
