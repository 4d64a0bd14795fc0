//! Typing of integer literals in context (spec §2.5, §4.3 and ARCHITECTURE.md choices 1–3).
//!
//! A literal is its magnitude, whether it was written in hex, and whether a unary minus was
//! applied to it. Given the type its context expects (if any), it either takes that type and
//! yields the canonical 64-bit encoding, or fails with a message for E2008.

use super::Type;

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
