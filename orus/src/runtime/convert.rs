//! The numeric `as` casts of spec §7, on canonical slot encodings.
//!
//! [`convert`] reads its operand by truncation to the source type and returns the
//! canonical encoding of the target type (see `bytecode`). Casts that can lose the value
//! in a way the spec calls an error return an E0006 [`Fault`]; the others wrap, truncate,
//! widen or round to nearest as the table says. `f64` to `i32`/`i64` truncates toward
//! zero and saturates, with NaN giving 0 (ARCHITECTURE.md choice 11); `f64` to
//! `u32`/`u64` is an error below 0, above the maximum, or for NaN. Casts to `string` are
//! not here: they are `ToStr`, which uses the print rules in `format`.

use super::Fault;
use crate::bytecode::Prim;
use crate::diag::Code;

/// `bits as to`, where `bits` holds a value of type `from`.
pub fn convert(from: Prim, to: Prim, bits: u64) -> Result<u64, Fault> {
    let value = match from {
        Prim::I32 => Value::Signed(i64::from(bits as u32 as i32)),
        Prim::I64 => Value::Signed(bits as i64),
        Prim::U32 => Value::Unsigned(u64::from(bits as u32)),
        Prim::U64 => Value::Unsigned(bits),
        Prim::Bool => Value::Unsigned(u64::from(bits != 0)),
        Prim::F64 => Value::Float(f64::from_bits(bits)),
    };
    match value {
        Value::Signed(v) => from_signed(from, to, v),
        Value::Unsigned(v) => from_unsigned(from, to, v),
        Value::Float(v) => from_float(to, v),
    }
}

/// The source value, widened to one of three lossless carriers.
enum Value {
    Signed(i64),
    Unsigned(u64),
    Float(f64),
}

/// From `i32` or `i64`: narrowing to 32 bits wraps, negative to `u64` is an error.
fn from_signed(from: Prim, to: Prim, v: i64) -> Result<u64, Fault> {
    Ok(match to {
        Prim::I32 => canonical_i32(v as i32),
        Prim::I64 => v as u64,
        Prim::U32 => u64::from(v as u32),
        Prim::U64 if v < 0 => return Err(negative_to_u64(from)),
        Prim::U64 => v as u64,
        Prim::F64 => (v as f64).to_bits(),
        Prim::Bool => u64::from(v != 0),
    })
}

/// From `u32`, `u64` or `bool`: `u32` wraps into `i32`; `u64` is checked against the
/// target's maximum.
fn from_unsigned(from: Prim, to: Prim, v: u64) -> Result<u64, Fault> {
    let fits = |max: u64| v <= max || from != Prim::U64;
    Ok(match to {
        Prim::I32 if !fits(i32::MAX as u64) => return Err(too_large(to)),
        Prim::I32 => canonical_i32(v as i32),
        Prim::I64 if !fits(i64::MAX as u64) => return Err(too_large(to)),
        Prim::I64 | Prim::U64 => v,
        Prim::U32 if !fits(u64::from(u32::MAX)) => return Err(too_large(to)),
        Prim::U32 => u64::from(v as u32),
        Prim::F64 => (v as f64).to_bits(),
        Prim::Bool => u64::from(v != 0),
    })
}

/// From `f64`: truncation toward zero.
fn from_float(to: Prim, v: f64) -> Result<u64, Fault> {
    Ok(match to {
        // `as` saturates and maps NaN to 0, which is our documented choice.
        Prim::I32 => canonical_i32(v as i32),
        Prim::I64 => v as i64 as u64,
        // NaN is in no range. 2^64 is the first f64 above u64::MAX.
        Prim::U32 if !(0.0..=f64::from(u32::MAX)).contains(&v) => return Err(float_range(to)),
        Prim::U32 => u64::from(v as u32),
        Prim::U64 if !(0.0..18_446_744_073_709_551_616.0).contains(&v) => {
            return Err(float_range(to))
        }
        Prim::U64 => v as u64,
        Prim::F64 => v.to_bits(),
        Prim::Bool => u64::from(v != 0.0),
    })
}

fn canonical_i32(v: i32) -> u64 {
    i64::from(v) as u64
}

fn prim_name(p: Prim) -> &'static str {
    match p {
        Prim::I32 => "i32",
        Prim::I64 => "i64",
        Prim::U32 => "u32",
        Prim::U64 => "u64",
        Prim::F64 => "f64",
        Prim::Bool => "bool",
    }
}

#[cold]
fn negative_to_u64(from: Prim) -> Fault {
    Fault::new(
        Code::InvalidConversion,
        format!("Cannot convert negative {} to u64", prim_name(from)),
    )
}

#[cold]
fn too_large(to: Prim) -> Fault {
    Fault::new(
        Code::InvalidConversion,
        format!("u64 value too large for {}", prim_name(to)),
    )
}

#[cold]
fn float_range(to: Prim) -> Fault {
    Fault::new(
        Code::InvalidConversion,
        format!("f64 value out of {} range", prim_name(to)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Prim::*;

    fn i32b(v: i32) -> u64 {
        canonical_i32(v)
    }
    fn f(v: f64) -> u64 {
        v.to_bits()
    }
    fn ok(from: Prim, to: Prim, bits: u64) -> u64 {
        convert(from, to, bits).unwrap_or_else(|e| panic!("{from:?}->{to:?}: {e}"))
    }
    fn err(from: Prim, to: Prim, bits: u64) -> String {
        let fault = convert(from, to, bits).expect_err("expected a conversion error");
        assert_eq!(fault.code, Code::InvalidConversion);
        fault.message
    }

    #[test]
    fn from_i32() {
        assert_eq!(ok(I32, I32, i32b(-5)), i32b(-5));
        assert_eq!(ok(I32, I64, i32b(-5)), (-5i64) as u64);
        assert_eq!(ok(I32, U32, i32b(-1)), 4_294_967_295);
        assert_eq!(ok(I32, U64, i32b(7)), 7);
        assert_eq!(
            err(I32, U64, i32b(-1)),
            "Cannot convert negative i32 to u64"
        );
        assert_eq!(ok(I32, F64, i32b(i32::MIN)), f(-2147483648.0));
        assert_eq!(ok(I32, Bool, i32b(-3)), 1);
        assert_eq!(ok(I32, Bool, 0), 0);
    }

    #[test]
    fn from_i64() {
        let big = 0x1_2345_6789_i64;
        assert_eq!(ok(I64, I32, big as u64), i32b(0x2345_6789));
        assert_eq!(ok(I64, I32, (-1i64) as u64), i32b(-1));
        assert_eq!(ok(I64, I32, 0xFFFF_FFFF), i32b(-1));
        assert_eq!(ok(I64, I64, 9), 9);
        assert_eq!(ok(I64, U32, (-1i64) as u64), 0xFFFF_FFFF);
        assert_eq!(ok(I64, U32, big as u64), 0x2345_6789);
        assert_eq!(ok(I64, U64, i64::MAX as u64), i64::MAX as u64);
        assert_eq!(
            err(I64, U64, (-2i64) as u64),
            "Cannot convert negative i64 to u64"
        );
        assert_eq!(ok(I64, F64, (1i64 << 53) as u64 + 1), f(9007199254740992.0));
        assert_eq!(ok(I64, F64, (-3i64) as u64), f(-3.0));
        assert_eq!(ok(I64, Bool, 1 << 40), 1);
    }

    #[test]
    fn from_u32() {
        assert_eq!(ok(U32, I32, 0xFFFF_FFFF), i32b(-1));
        assert_eq!(ok(U32, I32, 5), 5);
        assert_eq!(ok(U32, I64, 0xFFFF_FFFF), 0xFFFF_FFFF);
        assert_eq!(ok(U32, U32, 7), 7);
        assert_eq!(ok(U32, U64, 0xFFFF_FFFF), 0xFFFF_FFFF);
        assert_eq!(ok(U32, F64, 0xFFFF_FFFF), f(4294967295.0));
        assert_eq!(ok(U32, Bool, 2), 1);
    }

    #[test]
    fn from_u64() {
        assert_eq!(ok(U64, I32, i32::MAX as u64), i32::MAX as u64);
        assert_eq!(
            err(U64, I32, i32::MAX as u64 + 1),
            "u64 value too large for i32"
        );
        assert_eq!(ok(U64, I64, i64::MAX as u64), i64::MAX as u64);
        assert_eq!(err(U64, I64, 1 << 63), "u64 value too large for i64");
        assert_eq!(ok(U64, U32, u32::MAX as u64), u32::MAX as u64);
        assert_eq!(err(U64, U32, 1 << 32), "u64 value too large for u32");
        assert_eq!(ok(U64, U64, u64::MAX), u64::MAX);
        assert_eq!(ok(U64, F64, u64::MAX), f(18446744073709551616.0));
        assert_eq!(ok(U64, Bool, 0), 0);
        assert_eq!(ok(U64, Bool, u64::MAX), 1);
    }

    #[test]
    fn from_f64() {
        assert_eq!(ok(F64, I32, f(3.99)), 3);
        assert_eq!(ok(F64, I32, f(-3.99)), i32b(-3));
        assert_eq!(ok(F64, I32, f(1e10)), i32::MAX as u64);
        assert_eq!(ok(F64, I32, f(-1e10)), i32b(i32::MIN));
        assert_eq!(ok(F64, I32, f(f64::NAN)), 0);
        assert_eq!(ok(F64, I64, f(-2.5)), (-2i64) as u64);
        assert_eq!(ok(F64, I64, f(f64::INFINITY)), i64::MAX as u64);
        assert_eq!(ok(F64, I64, f(f64::NEG_INFINITY)), i64::MIN as u64);
        assert_eq!(ok(F64, I64, f(-f64::NAN)), 0);
        assert_eq!(ok(F64, U32, f(4294967295.0)), 4294967295);
        assert_eq!(ok(F64, U32, f(7.9)), 7);
        assert_eq!(ok(F64, U32, f(-0.0)), 0);
        assert_eq!(err(F64, U32, f(-1.0)), "f64 value out of u32 range");
        assert_eq!(err(F64, U32, f(-0.5)), "f64 value out of u32 range");
        assert_eq!(err(F64, U32, f(4294967296.0)), "f64 value out of u32 range");
        assert_eq!(err(F64, U32, f(f64::NAN)), "f64 value out of u32 range");
        assert_eq!(
            ok(F64, U64, f(18446744073709549568.0)),
            18446744073709549568
        );
        assert_eq!(
            err(F64, U64, f(18446744073709551616.0)),
            "f64 value out of u64 range"
        );
        assert_eq!(
            err(F64, U64, f(f64::INFINITY)),
            "f64 value out of u64 range"
        );
        assert_eq!(err(F64, U64, f(-1e-300)), "f64 value out of u64 range");
        assert_eq!(err(F64, U64, f(f64::NAN)), "f64 value out of u64 range");
        assert_eq!(ok(F64, F64, f(-0.0)), f(-0.0));
        assert_eq!(ok(F64, Bool, f(0.0)), 0);
        assert_eq!(ok(F64, Bool, f(-0.0)), 0);
        assert_eq!(ok(F64, Bool, f(0.1)), 1);
        assert_eq!(ok(F64, Bool, f(f64::NAN)), 1);
    }

    #[test]
    fn from_bool() {
        for (bits, one) in [(0u64, 0u64), (1, 1)] {
            assert_eq!(ok(Bool, I32, bits), one);
            assert_eq!(ok(Bool, I64, bits), one);
            assert_eq!(ok(Bool, U32, bits), one);
            assert_eq!(ok(Bool, U64, bits), one);
            assert_eq!(ok(Bool, F64, bits), f(one as f64));
            assert_eq!(ok(Bool, Bool, bits), one);
        }
    }

    #[test]
    fn operands_are_read_by_truncation() {
        // A non-canonical i32 slot (upper bits garbage) still reads as its low 32 bits.
        assert_eq!(ok(I32, I64, 0xDEAD_0000_FFFF_FFFF), (-1i64) as u64);
        assert_eq!(ok(U32, U64, 0xDEAD_0000_0000_0005), 5);
    }
}
