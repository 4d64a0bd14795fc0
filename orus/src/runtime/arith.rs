//! Checked integer and float arithmetic: the operations that can fail at run time.
//!
//! `+ - *` wrap for every integer type and need no helper (`wrapping_add` and friends);
//! what is here are the operations with a failure case: division and remainder (a zero
//! divisor is E0001 for integers and `f64` alike, `MIN / -1` and `MIN % -1` are E0002),
//! negation of a signed minimum (E0002), and shifts whose count is negative or not below
//! the bit width (E0007, spec D5). Every function is total: it returns the value or the
//! [`Fault`], never panics. The error values are built in `#[cold]` helpers so the
//! success paths stay small enough to inline into the VM's instruction arms.

use super::Fault;
use crate::diag::Code;

/// `a / b` for `i32`, truncating toward zero.
#[inline]
pub fn div_i32(a: i32, b: i32) -> Result<i32, Fault> {
    match a.checked_div(b) {
        Some(v) => Ok(v),
        None => Err(div_fault(b == 0, "INT32_MIN", "/")),
    }
}

/// `a % b` for `i32`; the result has the sign of the dividend.
#[inline]
pub fn rem_i32(a: i32, b: i32) -> Result<i32, Fault> {
    match a.checked_rem(b) {
        Some(v) => Ok(v),
        None => Err(div_fault(b == 0, "INT32_MIN", "%")),
    }
}

/// `a / b` for `i64`, truncating toward zero.
#[inline]
pub fn div_i64(a: i64, b: i64) -> Result<i64, Fault> {
    match a.checked_div(b) {
        Some(v) => Ok(v),
        None => Err(div_fault(b == 0, "INT64_MIN", "/")),
    }
}

/// `a % b` for `i64`; the result has the sign of the dividend.
#[inline]
pub fn rem_i64(a: i64, b: i64) -> Result<i64, Fault> {
    match a.checked_rem(b) {
        Some(v) => Ok(v),
        None => Err(div_fault(b == 0, "INT64_MIN", "%")),
    }
}

/// `a / b` for `u32`.
#[inline]
pub fn div_u32(a: u32, b: u32) -> Result<u32, Fault> {
    a.checked_div(b).ok_or_else(division_by_zero)
}

/// `a % b` for `u32`.
#[inline]
pub fn rem_u32(a: u32, b: u32) -> Result<u32, Fault> {
    a.checked_rem(b).ok_or_else(division_by_zero)
}

/// `a / b` for `u64`.
#[inline]
pub fn div_u64(a: u64, b: u64) -> Result<u64, Fault> {
    a.checked_div(b).ok_or_else(division_by_zero)
}

/// `a % b` for `u64`.
#[inline]
pub fn rem_u64(a: u64, b: u64) -> Result<u64, Fault> {
    a.checked_rem(b).ok_or_else(division_by_zero)
}

/// `-a` for `i32`; negating `i32::MIN` is an overflow error (spec §6.2, Q31).
#[inline]
pub fn neg_i32(a: i32) -> Result<i32, Fault> {
    a.checked_neg().ok_or_else(|| negate_fault("INT32_MIN"))
}

/// `-a` for `i64`; negating `i64::MIN` is an overflow error.
#[inline]
pub fn neg_i64(a: i64) -> Result<i64, Fault> {
    a.checked_neg().ok_or_else(|| negate_fault("INT64_MIN"))
}

/// `a / b` for `f64`; a divisor equal to zero (either sign) is an error (spec §6.2).
#[inline]
pub fn div_f64(a: f64, b: f64) -> Result<f64, Fault> {
    if b == 0.0 {
        return Err(division_by_zero());
    }
    Ok(a / b)
}

/// `a % b` for `f64` with C `fmod` semantics (Rust's `%` on floats is `fmod`); a zero
/// divisor is an error.
#[inline]
pub fn rem_f64(a: f64, b: f64) -> Result<f64, Fault> {
    if b == 0.0 {
        return Err(division_by_zero());
    }
    Ok(a % b)
}

/// `a << count` for `i32`; bits shifted out are lost.
#[inline]
pub fn shl_i32(a: i32, count: i32) -> Result<i32, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 32 => Ok(a << n),
        _ => Err(shift_fault(i64::from(count), "i32")),
    }
}

/// `a >> count` for `i32` (arithmetic shift).
#[inline]
pub fn shr_i32(a: i32, count: i32) -> Result<i32, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 32 => Ok(a >> n),
        _ => Err(shift_fault(i64::from(count), "i32")),
    }
}

/// `a << count` for `i64`.
#[inline]
pub fn shl_i64(a: i64, count: i64) -> Result<i64, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 64 => Ok(a << n),
        _ => Err(shift_fault(count, "i64")),
    }
}

/// `a >> count` for `i64` (arithmetic shift).
#[inline]
pub fn shr_i64(a: i64, count: i64) -> Result<i64, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 64 => Ok(a >> n),
        _ => Err(shift_fault(count, "i64")),
    }
}

/// `a << count` for `u32`.
#[inline]
pub fn shl_u32(a: u32, count: u32) -> Result<u32, Fault> {
    a.checked_shl(count)
        .ok_or_else(|| shift_fault(i64::from(count), "u32"))
}

/// `a >> count` for `u32` (logical shift).
#[inline]
pub fn shr_u32(a: u32, count: u32) -> Result<u32, Fault> {
    a.checked_shr(count)
        .ok_or_else(|| shift_fault(i64::from(count), "u32"))
}

/// `a << count` for `u64`.
#[inline]
pub fn shl_u64(a: u64, count: u64) -> Result<u64, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 64 => Ok(a << n),
        _ => Err(shift_fault_u64(count)),
    }
}

/// `a >> count` for `u64` (logical shift).
#[inline]
pub fn shr_u64(a: u64, count: u64) -> Result<u64, Fault> {
    match u32::try_from(count) {
        Ok(n) if n < 64 => Ok(a >> n),
        _ => Err(shift_fault_u64(count)),
    }
}

/// The E0001 fault shared by every division and remainder.
#[cold]
pub fn division_by_zero() -> Fault {
    Fault::new(Code::DivisionByZero, "Division by zero")
}

/// A failed signed division: a zero divisor, or else `MIN op -1`.
#[cold]
fn div_fault(zero_divisor: bool, min_name: &str, op: &str) -> Fault {
    if zero_divisor {
        return division_by_zero();
    }
    let what = if op == "/" {
        "divide"
    } else {
        "take the remainder of"
    };
    Fault::new(
        Code::IntegerOverflow,
        format!("Integer overflow: cannot {what} {min_name} by -1"),
    )
}

#[cold]
fn negate_fault(min_name: &str) -> Fault {
    Fault::new(
        Code::IntegerOverflow,
        format!("Integer overflow: cannot negate {min_name}"),
    )
}

#[cold]
fn shift_fault(count: i64, type_name: &str) -> Fault {
    Fault::new(
        Code::InvalidShift,
        format!("Shift count {count} is out of range for {type_name}"),
    )
}

#[cold]
fn shift_fault_u64(count: u64) -> Fault {
    Fault::new(
        Code::InvalidShift,
        format!("Shift count {count} is out of range for u64"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: std::fmt::Debug>(r: Result<T, Fault>) -> Code {
        r.expect_err("expected a fault").code
    }

    #[test]
    fn signed_division_truncates_and_traps() {
        assert_eq!(div_i32(-7, 2), Ok(-3));
        assert_eq!(rem_i32(-7, 2), Ok(-1));
        assert_eq!(rem_i32(7, -2), Ok(1));
        assert_eq!(div_i32(i32::MIN, 1), Ok(i32::MIN));
        assert_eq!(code(div_i32(1, 0)), Code::DivisionByZero);
        assert_eq!(code(rem_i32(1, 0)), Code::DivisionByZero);
        assert_eq!(div_i32(0, 0).unwrap_err().message, "Division by zero");
        assert_eq!(code(div_i32(i32::MIN, -1)), Code::IntegerOverflow);
        assert_eq!(code(rem_i32(i32::MIN, -1)), Code::IntegerOverflow);
        assert_eq!(div_i64(-9, 4), Ok(-2));
        assert_eq!(rem_i64(-9, 4), Ok(-1));
        assert_eq!(code(div_i64(5, 0)), Code::DivisionByZero);
        assert_eq!(code(rem_i64(5, 0)), Code::DivisionByZero);
        assert_eq!(code(div_i64(i64::MIN, -1)), Code::IntegerOverflow);
        assert_eq!(code(rem_i64(i64::MIN, -1)), Code::IntegerOverflow);
        assert_eq!(
            div_i64(i64::MIN, -1).unwrap_err().message,
            "Integer overflow: cannot divide INT64_MIN by -1"
        );
    }

    #[test]
    fn unsigned_division() {
        assert_eq!(div_u32(u32::MAX, 2), Ok(u32::MAX / 2));
        assert_eq!(rem_u32(7, 3), Ok(1));
        assert_eq!(code(div_u32(7, 0)), Code::DivisionByZero);
        assert_eq!(code(rem_u32(7, 0)), Code::DivisionByZero);
        assert_eq!(div_u64(u64::MAX, 1), Ok(u64::MAX));
        assert_eq!(rem_u64(u64::MAX, 10), Ok(5));
        assert_eq!(code(div_u64(7, 0)), Code::DivisionByZero);
        assert_eq!(code(rem_u64(7, 0)), Code::DivisionByZero);
    }

    #[test]
    fn negation() {
        assert_eq!(neg_i32(5), Ok(-5));
        assert_eq!(neg_i32(i32::MAX), Ok(-i32::MAX));
        let fault = neg_i32(i32::MIN).unwrap_err();
        assert_eq!(fault.code, Code::IntegerOverflow);
        assert_eq!(fault.message, "Integer overflow: cannot negate INT32_MIN");
        assert_eq!(neg_i64(-5), Ok(5));
        assert_eq!(
            neg_i64(i64::MIN).unwrap_err().message,
            "Integer overflow: cannot negate INT64_MIN"
        );
    }

    #[test]
    fn float_division_traps_on_zero_only() {
        assert_eq!(div_f64(1.0, 4.0), Ok(0.25));
        assert_eq!(code(div_f64(1.0, 0.0)), Code::DivisionByZero);
        assert_eq!(code(div_f64(1.0, -0.0)), Code::DivisionByZero);
        assert_eq!(code(rem_f64(1.0, 0.0)), Code::DivisionByZero);
        assert!(div_f64(1.0, f64::NAN).unwrap().is_nan());
        assert_eq!(div_f64(1.0, f64::INFINITY), Ok(0.0));
        assert_eq!(rem_f64(5.5, 2.0), Ok(1.5));
        assert_eq!(rem_f64(-5.5, 2.0), Ok(-1.5));
        assert_eq!(rem_f64(5.5, -2.0), Ok(1.5));
        assert!(rem_f64(f64::INFINITY, 2.0).unwrap().is_nan());
        assert_eq!(rem_f64(3.0, f64::INFINITY), Ok(3.0));
    }

    #[test]
    fn shifts_check_their_count() {
        assert_eq!(shl_i32(1, 31), Ok(i32::MIN));
        assert_eq!(shl_i32(3, 31), Ok(i32::MIN));
        assert_eq!(shr_i32(-8, 1), Ok(-4));
        assert_eq!(shr_i32(-1, 31), Ok(-1));
        let fault = shl_i32(1, 40).unwrap_err();
        assert_eq!(fault.code, Code::InvalidShift);
        assert_eq!(fault.message, "Shift count 40 is out of range for i32");
        assert_eq!(
            shr_i32(1, -1).unwrap_err().message,
            "Shift count -1 is out of range for i32"
        );
        assert_eq!(code(shl_i32(1, 32)), Code::InvalidShift);
        assert_eq!(shl_i64(1, 63), Ok(i64::MIN));
        assert_eq!(shr_i64(i64::MIN, 63), Ok(-1));
        assert_eq!(code(shl_i64(1, 64)), Code::InvalidShift);
        assert_eq!(code(shr_i64(1, -3)), Code::InvalidShift);
        assert_eq!(shl_u32(0x8000_0001, 1), Ok(2));
        assert_eq!(shr_u32(0x8000_0000, 31), Ok(1));
        assert_eq!(code(shl_u32(1, 32)), Code::InvalidShift);
        assert_eq!(code(shr_u32(1, u32::MAX)), Code::InvalidShift);
        assert_eq!(shl_u64(1, 63), Ok(1 << 63));
        assert_eq!(shr_u64(u64::MAX, 63), Ok(1));
        assert_eq!(
            shr_u64(1, u64::MAX).unwrap_err().message,
            format!("Shift count {} is out of range for u64", u64::MAX)
        );
    }
}
