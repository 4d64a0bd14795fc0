//! Literals: which expressions are literals (and so adapt their type to the context), the
//! type a lone literal has without context, and the typing of integer literals in context
//! (spec §2.5, §4.3 and ARCHITECTURE.md choices 1–3).
//!
//! An integer literal is its magnitude, whether it was written in hex, and whether a unary
//! minus was applied to it. Given the type its context expects (if any), it either takes
//! that type and yields the canonical 64-bit encoding, or fails with a message for E2008.

use super::expr::is_arith;
use super::func::Checker;
use super::Type;
use crate::ast::{Expr, ExprKind, UnaryOp};

/// An integer literal, possibly negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntLit {
    pub magnitude: u64,
    pub hex: bool,
    pub negative: bool,
}

/// The value a literal takes: its type and canonical bits (or an f64 for float contexts).
#[derive(Clone, Debug, PartialEq)]
pub enum LitValue {
    Int(Type, u64),
    Float(f64),
}

impl IntLit {
    /// The type the literal takes without context: `i32` when it fits, else `i64`.
    pub fn default_type(self) -> Type {
        if self.hex {
            if self.magnitude <= u32::MAX as u64 {
                Type::I32
            } else {
                Type::I64
            }
        } else if self
            .signed_value()
            .is_some_and(|v| i32::try_from(v).is_ok())
        {
            Type::I32
        } else {
            Type::I64
        }
    }

    /// The mathematical value, when it fits in an `i128` (always).
    fn signed_value(self) -> Option<i128> {
        let v = self.magnitude as i128;
        Some(if self.negative { -v } else { v })
    }

    /// Types the literal as `target` (an integer type or `f64`).
    pub fn value_as(self, target: &Type) -> Result<LitValue, String> {
        let value = self.signed_value().unwrap_or_default();
        let out_of_range = || {
            let sign = if self.negative { "-" } else { "" };
            let written = if self.hex {
                format!("{sign}0x{:X}", self.magnitude)
            } else {
                format!("{sign}{}", self.magnitude)
            };
            format!("Literal {written} does not fit in {target}")
        };
        let bits = match target {
            Type::I32 => {
                if self.hex && self.magnitude <= u32::MAX as u64 {
                    let v = self.magnitude as u32 as i32;
                    (if self.negative { v.wrapping_neg() } else { v }) as i64 as u64
                } else {
                    let v = i32::try_from(value).map_err(|_| out_of_range())?;
                    v as i64 as u64
                }
            }
            Type::I64 => {
                if self.hex && !self.negative {
                    self.magnitude
                } else {
                    let v = i64::try_from(value).map_err(|_| out_of_range())?;
                    v as u64
                }
            }
            Type::U32 => u32::try_from(value).map_err(|_| out_of_range())? as u64,
            Type::U64 => u64::try_from(value).map_err(|_| out_of_range())?,
            Type::F64 => return Ok(LitValue::Float(value as f64)),
            _ => return Err(out_of_range()),
        };
        Ok(LitValue::Int(target.clone(), bits))
    }
}

impl Checker<'_, '_> {
    /// Whether an expression is a literal (possibly negated, or an operation on literals),
    /// and so adapts its type to its context. A small tree is decided directly; a larger
    /// one is remembered per operator node: an operator chain asks at every level, which
    /// would take time quadratic in the chain's length.
    #[inline]
    pub(super) fn literal(&mut self, e: &Expr) -> bool {
        // Leaves (most operands) are decided by their kind alone.
        match &e.kind {
            ExprKind::Int { .. } | ExprKind::Float(_) => return true,
            ExprKind::Unary { .. } | ExprKind::Binary { .. } => {}
            _ => return false,
        }
        self.literal_tree(e)
    }

    #[inline(never)]
    fn literal_tree(&mut self, e: &Expr) -> bool {
        let mut budget = LITERAL_DIRECT_NODES;
        match literal_within(e, &mut budget) {
            Some(known) => known,
            None => self.literal_remembered(e),
        }
    }

    fn literal_remembered(&mut self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Int { .. } | ExprKind::Float(_) => return true,
            ExprKind::Unary { .. } | ExprKind::Binary { .. } => {}
            _ => return false,
        }
        let key: *const Expr = e;
        if let Some(&known) = self.literal_memo.get(&key) {
            return known;
        }
        let known = match &e.kind {
            ExprKind::Unary {
                op: UnaryOp::Neg | UnaryOp::BitNot,
                operand,
            } => self.literal(operand),
            ExprKind::Binary { op, operands } => {
                let [lhs, rhs] = &**operands;
                is_arith(*op) && self.literal(rhs) && self.literal(lhs)
            }
            _ => false,
        };
        self.literal_memo.insert(key, known);
        known
    }
}

/// How many operator nodes `Checker::literal` looks at before it switches to its memo.
const LITERAL_DIRECT_NODES: u32 = 16;

/// [`Checker::literal`] without the memo: `None` once more than `budget` operator nodes
/// would have to be looked at.
fn literal_within(e: &Expr, budget: &mut u32) -> Option<bool> {
    match &e.kind {
        ExprKind::Int { .. } | ExprKind::Float(_) => Some(true),
        ExprKind::Unary {
            op: UnaryOp::Neg | UnaryOp::BitNot,
            operand,
        } => {
            *budget = budget.checked_sub(1)?;
            literal_within(operand, budget)
        }
        ExprKind::Binary { op, operands } if is_arith(*op) => {
            let [lhs, rhs] = &**operands;
            *budget = budget.checked_sub(1)?;
            if literal_within(rhs, budget)? {
                literal_within(lhs, budget)
            } else {
                Some(false)
            }
        }
        _ => Some(false),
    }
}

/// A literal of a primitive type that `string + literal` converts to text (spec §6.3).
pub(super) fn is_stringifiable_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int { .. } | ExprKind::Float(_) | ExprKind::Bool(_) => true,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => matches!(operand.kind, ExprKind::Int { .. } | ExprKind::Float(_)),
        _ => false,
    }
}

/// The type a lone integer or float literal has without context (spec §2.5): `i32` when
/// it fits, else `i64`; `f64` for a float. `None` for anything else (and hex literals,
/// whose type rules differ).
pub(super) fn leaf_literal_type(e: &Expr) -> Option<Type> {
    match &e.kind {
        ExprKind::Int { value, hex: false } if *value <= i32::MAX as u64 => Some(Type::I32),
        ExprKind::Int { value, hex: false } if *value <= i64::MAX as u64 => Some(Type::I64),
        ExprKind::Float(_) => Some(Type::F64),
        // `-2147483648` still fits `i32`; a magnitude up to 2^63 fits `i64`.
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => match operand.kind {
            ExprKind::Int { value, hex: false } if value <= 1 << 31 => Some(Type::I32),
            ExprKind::Int { value, hex: false } if value <= 1 << 63 => Some(Type::I64),
            ExprKind::Float(_) => Some(Type::F64),
            _ => None,
        },
        _ => None,
    }
}

/// The wider of two literal types (`a` when neither widens the other).
pub(super) fn wider(a: Type, b: Type) -> Type {
    if widens(&a, &b) {
        b
    } else {
        a
    }
}

/// Whether literal type `wide` holds every value of literal type `narrow` and more.
pub(super) fn widens(narrow: &Type, wide: &Type) -> bool {
    matches!(
        (narrow, wide),
        (Type::I32, Type::I64) | (Type::I32 | Type::I64, Type::F64)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(magnitude: u64, hex: bool, negative: bool) -> IntLit {
        IntLit {
            magnitude,
            hex,
            negative,
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(lit(5, false, false).default_type(), Type::I32);
        assert_eq!(lit(2147483648, false, false).default_type(), Type::I64);
        assert_eq!(lit(2147483648, false, true).default_type(), Type::I32);
        assert_eq!(lit(0xFFFF_FFFF, true, false).default_type(), Type::I32);
        assert_eq!(lit(0x1_0000_0000, true, false).default_type(), Type::I64);
    }

    #[test]
    fn hex_is_a_bit_pattern_in_i32_only() {
        let v = lit(0xFFFF_FFFF, true, false);
        assert_eq!(
            v.value_as(&Type::I32),
            Ok(LitValue::Int(Type::I32, u64::MAX))
        );
        assert_eq!(
            v.value_as(&Type::I64),
            Ok(LitValue::Int(Type::I64, 0xFFFF_FFFF))
        );
        assert_eq!(
            v.value_as(&Type::U32),
            Ok(LitValue::Int(Type::U32, 0xFFFF_FFFF))
        );
    }

    #[test]
    fn ranges() {
        assert!(lit(1, false, true).value_as(&Type::U32).is_err());
        assert!(lit(3_000_000_000, false, false)
            .value_as(&Type::I32)
            .is_err());
        assert_eq!(
            lit(u64::MAX, false, false).value_as(&Type::U64),
            Ok(LitValue::Int(Type::U64, u64::MAX))
        );
        assert!(lit(u64::MAX, false, false).value_as(&Type::I64).is_err());
        assert_eq!(
            lit(3, false, true).value_as(&Type::F64),
            Ok(LitValue::Float(-3.0))
        );
    }
}
