//! How values become text: the print rules of spec §16.3 and the `print` templates of
//! §16.2.
//!
//! Integers print in decimal, `bool` as `true`/`false`, strings as their raw bytes, and
//! `f64` exactly like C's `printf("%g")` ([`format_f64`]): six significant digits, the
//! exponent form when the decimal exponent after rounding is below -4 or at least 6,
//! trailing zeros removed, `-0`, `inf`, `-inf`, and `nan`/`-nan` by sign bit. Rust's
//! `{:.Ne}` and `{:.N}` are correctly rounded with ties to even on the exact binary value,
//! which is what glibc does, so both C conversions are built on them. `%g` first tries
//! a fast path (`six_digits`): one multiplication by an exact power of ten, used only when
//! it cannot round differently from the exact value.
//!
//! [`format_print`] renders one `print` statement. If the first argument is a string it
//! is a template: each `@` takes the next unused argument, `@x @X @o @b` choose a radix
//! (signed integers as 64-bit two's complement), `@.N` / `@.Nf` fixed decimals; a spec
//! that does not fit the value's type falls back to default formatting, placeholders
//! beyond the last argument print literally, and unused arguments follow, each after one
//! space. Without a template the arguments are joined by single spaces. Arrays print
//! their elements recursively, joined by `, ` and without brackets, and take no spec. The
//! same functions serve `ToStr` (`as string`, concatenation) and, with [`format_scalar`],
//! a compile-time folder. Tests, with expected strings produced by glibc, are at the bottom.

use super::heap::{Handle, Heap};
pub use super::value::{format_value, Spill, SPILL_BYTES};
use crate::bytecode::{Prim, PrintFormat, Program, ValType};
use std::io::Write as _;

/// Largest `N` honoured in `@.N`; Rust's formatter caps precision at `u16::MAX`.
const MAX_DECIMALS: usize = u16::MAX as usize;

/// C `printf("%g", v)`.
pub fn format_f64(v: f64) -> String {
    let mut out = Vec::new();
    write_f64(&mut out, v);
    String::from_utf8(out).expect("ASCII")
}

/// C `printf("%.Nf", v)` with `N = decimals`.
pub fn format_fixed(v: f64, decimals: usize) -> String {
    let mut out = Vec::new();
    write_fixed(&mut out, v, decimals);
    String::from_utf8(out).expect("ASCII")
}

/// Appends the print form of a non-heap value.
pub fn format_scalar(out: &mut Vec<u8>, bits: u64, prim: Prim) {
    match prim {
        Prim::I32 => write_int(out, i64::from(bits as u32 as i32)),
        Prim::I64 => write_int(out, bits as i64),
        Prim::U32 => write_uint(out, u64::from(bits as u32)),
        Prim::U64 => write_uint(out, bits),
        Prim::F64 => write_f64(out, f64::from_bits(bits)),
        Prim::Bool => out.extend_from_slice(if bits != 0 { b"true" } else { b"false" }),
    }
}

/// The decimal form of the slot `bits` of integer type `ty`, written into the end of
/// `buf`; `None` when `ty` is not an integer type.
#[inline]
pub fn integer_digits<'b>(buf: &'b mut [u8; 20], bits: u64, ty: &ValType) -> Option<&'b [u8]> {
    Some(match ty {
        ValType::I32 => int_digits(buf, i64::from(bits as u32 as i32)),
        ValType::I64 => int_digits(buf, bits as i64),
        ValType::U32 => uint_digits(buf, u64::from(bits as u32)),
        ValType::U64 => uint_digits(buf, bits),
        _ => return None,
    })
}

/// Appends the decimal form of `v` (a leading `-` when negative).
#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0; 20];
    out.extend_from_slice(int_digits(&mut buf, v));
}

/// Appends the decimal form of `v`.
#[inline]
pub fn write_uint(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0; 20];
    out.extend_from_slice(uint_digits(&mut buf, v));
}

/// The decimal form of `v` (a leading `-` when negative), written into the end of `buf`.
#[inline]
pub fn int_digits(buf: &mut [u8; 20], v: i64) -> &[u8] {
    let len = uint_digits(buf, v.unsigned_abs()).len();
    if v >= 0 {
        return &buf[20 - len..];
    }
    // |i64::MIN| has 19 digits, so the sign fits.
    let at = 20 - len - 1;
    buf[at] = b'-';
    &buf[at..]
}

/// The decimal form of `v`, written into the end of `buf`. Not inlined: the dispatch
/// loop calls it (`ToStr`), and inlining it there spilled the register file pointer.
#[inline(never)]
pub fn uint_digits(buf: &mut [u8; 20], v: u64) -> &[u8] {
    let at = fill_digits(buf, v);
    &buf[at..]
}

/// Writes the decimal form of the slot `bits` of integer type `ty` into the end of `out`
/// and returns where it starts; `None` when `ty` is not an integer type or `out` is
/// shorter than 20 bytes. For writing parts one before another into a buffer
/// (`ConcatFmt`).
#[inline]
pub fn integer_before(out: &mut [u8], bits: u64, ty: &ValType) -> Option<usize> {
    let (negative, magnitude) = match ty {
        ValType::I32 => {
            let v = bits as u32 as i32;
            (v < 0, u64::from(v.unsigned_abs()))
        }
        ValType::I64 => ((bits as i64) < 0, (bits as i64).unsigned_abs()),
        ValType::U32 => (false, u64::from(bits as u32)),
        ValType::U64 => (false, bits),
        _ => return None,
    };
    if out.len() < 20 {
        return None;
    }
    let at = fill_digits(out, magnitude);
    if !negative {
        return Some(at);
    }
    // |i64::MIN| has 19 digits, so the sign fits.
    out[at - 1] = b'-';
    Some(at - 1)
}

/// Writes the decimal digits of `v` into the end of `out` and returns where they start
/// (`out` must have room: 20 bytes hold any `u64`).
#[inline]
fn fill_digits(out: &mut [u8], mut v: u64) -> usize {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut at = out.len();
    while v >= 100 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        at -= 2;
        out[at] = PAIRS[pair];
        out[at + 1] = PAIRS[pair + 1];
    }
    if v >= 10 {
        let pair = v as usize * 2;
        at -= 2;
        out[at] = PAIRS[pair];
        out[at + 1] = PAIRS[pair + 1];
    } else {
        at -= 1;
        out[at] = b'0' + v as u8;
    }
    at
}

/// Appends the output of one `print` statement whose argument slots are `args`, with
/// their types given by `format.arg_types` (indices into `program.types`). The output is
/// offered to `spill` as it grows (see [`Spill`]); returns `false` when `spill` stopped it.
pub fn format_print(
    out: &mut Vec<u8>,
    args: &[u64],
    format: &PrintFormat,
    program: &Program,
    heap: &Heap,
    spill: &mut Spill<'_>,
) -> bool {
    let ty = |i: usize| &program.types[format.arg_types[i] as usize];
    let mut next = 0;
    if !args.is_empty() && *ty(0) == ValType::Str {
        let template = heap.get_str(args[0] as Handle);
        next = 1;
        let mut i = 0;
        while i < template.len() {
            let byte = template[i];
            i += 1;
            if byte != b'@' || next == args.len() {
                out.push(byte);
                continue;
            }
            let (spec, used) = parse_spec(&template[i..]);
            i += used;
            if !format_with_spec(out, args[next], ty(next), spec, heap, program, spill) {
                return false;
            }
            next += 1;
        }
    }
    for (k, &arg) in args.iter().enumerate().skip(next) {
        if k > 0 {
            out.push(b' ');
        }
        if !format_value(out, arg, ty(k), heap, program, spill) {
            return false;
        }
    }
    if format.newline {
        out.push(b'\n');
    }
    true
}

/// What follows an `@` in a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    Default,
    Hex,
    HexUpper,
    Octal,
    Binary,
    Fixed(usize),
}

/// The spec at the start of `rest` (the bytes after an `@`) and how many bytes it uses.
fn parse_spec(rest: &[u8]) -> (Spec, usize) {
    match rest.first() {
        Some(b'x') => (Spec::Hex, 1),
        Some(b'X') => (Spec::HexUpper, 1),
        Some(b'o') => (Spec::Octal, 1),
        Some(b'b') => (Spec::Binary, 1),
        Some(b'.') => {
            let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return (Spec::Default, 0);
            }
            let decimals = rest[1..=digits].iter().fold(0usize, |n, &d| {
                (n * 10 + usize::from(d - b'0')).min(MAX_DECIMALS)
            });
            let f = usize::from(rest.get(1 + digits) == Some(&b'f'));
            (Spec::Fixed(decimals), 1 + digits + f)
        }
        _ => (Spec::Default, 0),
    }
}

fn format_with_spec(
    out: &mut Vec<u8>,
    bits: u64,
    ty: &ValType,
    spec: Spec,
    heap: &Heap,
    program: &Program,
    spill: &mut Spill<'_>,
) -> bool {
    let integer = match ty {
        ValType::I32 => Some(bits as u32 as i32 as i64 as u64),
        ValType::U32 => Some(u64::from(bits as u32)),
        ValType::I64 | ValType::U64 => Some(bits),
        _ => None,
    };
    let _ = match (spec, integer) {
        (Spec::Hex, Some(n)) => write!(out, "{n:x}"),
        (Spec::HexUpper, Some(n)) => write!(out, "{n:X}"),
        (Spec::Octal, Some(n)) => write!(out, "{n:o}"),
        (Spec::Binary, Some(n)) => write!(out, "{n:b}"),
        (Spec::Fixed(decimals), _) if *ty == ValType::F64 => {
            write_fixed(out, f64::from_bits(bits), decimals);
            Ok(())
        }
        _ => return format_value(out, bits, ty, heap, program, spill),
    };
    true
}

/// The primitive of a non-heap type, `None` for the reference types.
pub(super) fn scalar_prim(ty: &ValType) -> Option<Prim> {
    match ty {
        ValType::I32 => Some(Prim::I32),
        ValType::I64 => Some(Prim::I64),
        ValType::U32 => Some(Prim::U32),
        ValType::U64 => Some(Prim::U64),
        ValType::F64 => Some(Prim::F64),
        ValType::Bool => Some(Prim::Bool),
        ValType::Str
        | ValType::Array(_)
        | ValType::Struct(_)
        | ValType::Enum(_)
        | ValType::Func
        | ValType::Error => None,
    }
}

/// `nan`, `-nan`, `inf` or `-inf` for a non-finite `v`, as C prints them.
fn non_finite(v: f64) -> &'static [u8] {
    match (v.is_nan(), v.is_sign_negative()) {
        (true, false) => b"nan",
        (true, true) => b"-nan",
        (false, false) => b"inf",
        (false, true) => b"-inf",
    }
}

/// Appends C `%g` of `v`.
fn write_f64(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(non_finite(v));
        return;
    }
    // Integers below 10^6 print exactly as integers (and so does zero, with its sign).
    if v.trunc() == v && v.abs() < 1e6 {
        if v == 0.0 && v.is_sign_negative() {
            out.push(b'-');
        }
        let _ = write!(out, "{}", v as i64);
        return;
    }
    if let Some((digits, exponent)) = six_digits(v.abs()) {
        if v < 0.0 {
            out.push(b'-');
        }
        write_g_digits(out, digits, exponent);
        return;
    }
    write_f64_exact(out, v);
}

/// Powers of ten that `f64` holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `a` (positive, finite) rounded to six significant digits: the digits as an integer in
/// `100_000..1_000_000` and the decimal exponent of the first, when one multiplication by
/// an exact power of ten decides the rounding. The product is within half an ulp
/// (< 6e-11) of the exact `a * 10^k`, so unless its fraction is that close to one half,
/// rounding it rounds the exact value the same way. `None` (about one value in 10^9, and
/// magnitudes beyond 10^±17) leaves the value to the exact formatter.
fn six_digits(a: f64) -> Option<(u32, i32)> {
    // floor(log10(a)) from the binary exponent (78913 / 2^18 is log10(2) to 6 digits), at
    // most two below the true value, which the loop corrects. No `log10`: that call alone
    // made the binary load libm at every start-up.
    let binary_exponent = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let mut exponent = (binary_exponent * 78913) >> 18;
    for _ in 0..3 {
        let k = 5 - exponent;
        let scale = *EXACT_POW10.get(k.unsigned_abs() as usize)?;
        let y = if k >= 0 { a * scale } else { a / scale };
        if y < 1e5 {
            exponent -= 1;
            continue;
        }
        if y >= 1e6 {
            exponent += 1;
            continue;
        }
        let whole = y.floor();
        let fraction = y - whole;
        if (fraction - 0.5).abs() < 1e-9 {
            return None;
        }
        let mut digits = whole as u32 + u32::from(fraction > 0.5);
        if digits == 1_000_000 {
            digits = 100_000;
            exponent += 1;
        }
        return Some((digits, exponent));
    }
    None
}

/// `%g` of `digits * 10^(exponent - 5)` (six significant digits, first one nonzero).
fn write_g_digits(out: &mut Vec<u8>, digits: u32, exponent: i32) {
    let mut text = [0u8; 6];
    let mut d = digits;
    for slot in text.iter_mut().rev() {
        *slot = b'0' + (d % 10) as u8;
        d /= 10;
    }
    let significant = 6 - text.iter().rev().take_while(|&&b| b == b'0').count();
    let text = &text[..significant.max(1)];
    if (-4..6).contains(&exponent) {
        if exponent >= 0 {
            let whole = exponent as usize + 1;
            for i in 0..whole {
                out.push(text.get(i).copied().unwrap_or(b'0'));
            }
            if text.len() > whole {
                out.push(b'.');
                out.extend_from_slice(&text[whole..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            for _ in 0..(-exponent - 1) {
                out.push(b'0');
            }
            out.extend_from_slice(text);
        }
    } else {
        out.push(text[0]);
        if text.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&text[1..]);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        let e = exponent.unsigned_abs();
        if e >= 100 {
            out.push(b'0' + (e / 100) as u8);
        }
        out.push(b'0' + (e / 10 % 10) as u8);
        out.push(b'0' + (e % 10) as u8);
    }
}

/// C `%g` of a finite, non-integer (or large) `v` through Rust's exactly rounded `%e` and
/// `%f`: the reference the fast path must agree with.
fn write_f64_exact(out: &mut Vec<u8>, v: f64) {
    // %g takes the exponent X of the %e form rounded to 6 significant digits.
    let start = out.len();
    let _ = write!(out, "{v:.5e}");
    let e = start
        + out[start..]
            .iter()
            .position(|&b| b == b'e')
            .expect("exponent");
    let exponent: i32 = std::str::from_utf8(&out[e + 1..])
        .ok()
        .and_then(|s| s.parse().ok())
        .expect("exponent digits");
    if (-4..6).contains(&exponent) {
        out.truncate(start);
        let _ = write!(out, "{:.*}", (5 - exponent) as usize, v);
        strip_fraction_zeros(out, start);
    } else {
        out.truncate(e);
        strip_fraction_zeros(out, start);
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// Removes trailing zeros of a fraction in `out[start..]`, and the `.` if nothing is left.
fn strip_fraction_zeros(out: &mut Vec<u8>, start: usize) {
    if !out[start..].contains(&b'.') {
        return;
    }
    while out.last() == Some(&b'0') {
        out.pop();
    }
    if out.last() == Some(&b'.') {
        out.pop();
    }
}

/// Appends C `%.Nf` of `v`.
fn write_fixed(out: &mut Vec<u8>, v: f64, decimals: usize) {
    if v.is_finite() {
        let _ = write!(out, "{:.*}", decimals.min(MAX_DECIMALS), v);
    } else {
        out.extend_from_slice(non_finite(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_written_backwards_match_their_print_form() {
        let cases: [(u64, ValType); 10] = [
            (0, ValType::I32),
            (-1i32 as u32 as u64, ValType::I32),
            (i32::MIN as i64 as u64, ValType::I32),
            (i32::MAX as u64, ValType::I32),
            (i64::MIN as u64, ValType::I64),
            (1_000_000, ValType::I64),
            (u64::from(u32::MAX), ValType::U32),
            (u64::MAX, ValType::U64),
            (9, ValType::U64),
            (10, ValType::U32),
        ];
        for (bits, ty) in cases {
            let mut out = [b'.'; 24];
            let start = integer_before(&mut out, bits, &ty).unwrap();
            let mut expected = [0; 20];
            let expected = integer_digits(&mut expected, bits, &ty).unwrap();
            assert_eq!(&out[start..], expected, "{bits} as {ty:?}");
            assert!(
                out[..start].iter().all(|&b| b == b'.'),
                "wrote before {start}"
            );
        }
        // Too little room, or not an integer: `None`, nothing written.
        let mut short = [b'.'; 19];
        assert_eq!(integer_before(&mut short, 5, &ValType::I32), None);
        assert_eq!(integer_before(&mut [0; 24], 5, &ValType::Str), None);
    }

    #[test]
    fn fast_g_agrees_with_the_exact_formatter() {
        // Random bit patterns over the whole range, values near powers of ten and near
        // the rounding boundaries, and short decimals as programs compute them.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = Vec::new();
        for _ in 0..200_000 {
            values.push(f64::from_bits(next()));
            let k = (next() % 40) as i32 - 20;
            let m = (next() % 10_000_000) as f64;
            values.push(m * 10f64.powi(k));
            values.push((m + 0.5) * 10f64.powi(k));
            values.push((next() % 100_000) as f64 / 1000.0 + 0.1);
            values.push(10f64.powi(k) * (1.0 - f64::EPSILON));
        }
        let mut fast_used = 0;
        for v in values.into_iter().filter(|v| v.is_finite()) {
            let mut exact = Vec::new();
            if v.trunc() == v && v.abs() < 1e6 {
                continue;
            }
            write_f64_exact(&mut exact, v);
            let mut fast = Vec::new();
            write_f64(&mut fast, v);
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&exact),
                "%g of {v:e}"
            );
            fast_used += usize::from(six_digits(v.abs()).is_some());
        }
        assert!(fast_used > 500_000, "the fast path served only {fast_used}");
    }

    /// `(value, printf("%g", value))`, the expected strings produced by glibc.
    const G_CASES: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "-0"),
        (1.0, "1"),
        (-1.0, "-1"),
        (0.30000000000000004, "0.3"),
        (1e-05, "1e-05"),
        (0.0001, "0.0001"),
        (123456.0, "123456"),
        (1234567.0, "1.23457e+06"),
        (999999.5, "1e+06"),
        (999999.4, "999999"),
        (1e+100, "1e+100"),
        (1.5e-07, "1.5e-07"),
        (1.7976931348623157e+308, "1.79769e+308"),
        (-1.7976931348623157e+308, "-1.79769e+308"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (100000.0, "100000"),
        (1000000000000000.0, "1e+15"),
        (0.000123456789, "0.000123457"),
        (2.0, "2"),
        (2.5, "2.5"),
        (123456.7, "123457"),
        (1e-05, "1e-05"),
        (1000000.0, "1e+06"),
        (1e-300, "1e-300"),
        (5e-324, "4.94066e-324"),
        (2.2250738585072014e-308, "2.22507e-308"),
        (3.24159265358979, "3.24159"),
        (-2.5e-05, "-2.5e-05"),
        (0.5, "0.5"),
        (100.0, "100"),
        (1e+21, "1e+21"),
        (1e+22, "1e+22"),
        (123.456, "123.456"),
        (0.0001234565, "0.000123457"),
        (9.9999949999, "9.99999"),
        (9.99999500001, "10"),
        (9.9999995e-05, "0.0001"),
        (1234565.0, "1.23456e+06"),
        (9.9999999e-05, "0.0001"),
        (65536.0, "65536"),
        (4294967295.0, "4.29497e+09"),
        (-123456789.0, "-1.23457e+08"),
        (0.3, "0.3"),
        (0.3333333333333333, "0.333333"),
        (0.6666666666666666, "0.666667"),
        (100000.5, "100000"),
        (12345.678, "12345.7"),
    ];

    /// `(value, N, printf("%.Nf", value))` from glibc.
    const F_CASES: &[(f64, usize, &str)] = &[
        (2.5, 0, "2"),
        (0.125, 2, "0.12"),
        (0.375, 2, "0.38"),
        (1.005, 2, "1.00"),
        (-0.001, 2, "-0.00"),
        (-0.0, 2, "-0.00"),
        (0.6666666666666666, 2, "0.67"),
        (1e+20, 3, "100000000000000000000.000"),
        (123.456, 1, "123.5"),
        (0.5, 0, "0"),
        (1.5, 0, "2"),
        (-1.5, 0, "-2"),
        (1e-10, 12, "0.000000000100"),
        (999.9999, 3, "1000.000"),
    ];

    #[test]
    fn percent_g_matches_glibc() {
        for &(v, expected) in G_CASES {
            assert_eq!(format_f64(v), expected, "%g of {v:e}");
        }
    }

    #[test]
    fn percent_g_nan_sign() {
        assert_eq!(format_f64(f64::NAN), "nan");
        assert_eq!(format_f64(-f64::NAN), "-nan");
        assert_eq!(format_f64(f64::from_bits(0xFFF8_0000_0000_0000)), "-nan");
        assert_eq!(format_fixed(-f64::NAN, 2), "-nan");
        assert_eq!(format_fixed(f64::INFINITY, 2), "inf");
    }

    #[test]
    fn percent_f_matches_glibc() {
        for &(v, decimals, expected) in F_CASES {
            assert_eq!(
                format_fixed(v, decimals),
                expected,
                "%.{decimals}f of {v:e}"
            );
        }
    }

    fn types() -> Vec<ValType> {
        vec![
            ValType::I32,
            ValType::I64,
            ValType::U32,
            ValType::U64,
            ValType::F64,
            ValType::Bool,
            ValType::Str,
        ]
    }

    /// Renders `print(args...)` where each argument is `(slot, index into types())`;
    /// string arguments are given as text and allocated first.
    fn render(args: &[Arg]) -> String {
        let mut heap = Heap::new(&[], None);
        let mut slots = Vec::new();
        let mut arg_types = Vec::new();
        for arg in args {
            let (bits, ty) = match arg {
                Arg::I32(v) => (*v as i64 as u64, 0),
                Arg::I64(v) => (*v as u64, 1),
                Arg::U32(v) => (u64::from(*v), 2),
                Arg::U64(v) => (*v, 3),
                Arg::F64(v) => (v.to_bits(), 4),
                Arg::Bool(v) => (u64::from(*v), 5),
                Arg::Str(s) => (u64::from(heap.alloc_str(s.as_bytes()).unwrap()), 6),
            };
            slots.push(bits);
            arg_types.push(ty);
        }
        let format = PrintFormat {
            arg_types,
            newline: true,
            append: false,
        };
        let program = Program {
            types: types(),
            ..Program::default()
        };
        let mut out = Vec::new();
        format_print(&mut out, &slots, &format, &program, &heap, &mut |_| true);
        String::from_utf8(out).unwrap()
    }

    enum Arg {
        I32(i32),
        I64(i64),
        U32(u32),
        U64(u64),
        F64(f64),
        Bool(bool),
        Str(&'static str),
    }
    use Arg::*;

    #[test]
    fn plain_print_joins_with_spaces() {
        assert_eq!(render(&[]), "\n");
        assert_eq!(
            render(&[I32(-3), I64(1 << 40), U32(u32::MAX), U64(u64::MAX)]),
            "-3 1099511627776 4294967295 18446744073709551615\n"
        );
        assert_eq!(
            render(&[F64(3.5), I32(3), Bool(true), Bool(false)]),
            "3.5 3 true false\n"
        );
        assert_eq!(
            render(&[I32(1), Str("@x")]),
            "1 @x\n",
            "only the first is a template"
        );
    }

    #[test]
    fn template_spec_example() {
        assert_eq!(
            render(&[
                Str("@ items, @.2f avg, mask @b"),
                I32(3),
                F64(2.0 / 3.0),
                I32(5),
                Str("extra"),
            ]),
            "3 items, 0.67 avg, mask 101 extra\n"
        );
    }

    #[test]
    fn template_radix_specs() {
        assert_eq!(
            render(&[Str("@x @X @o @b"), I32(255), U32(255), I64(8), U64(5)]),
            "ff FF 10 101\n"
        );
        assert_eq!(render(&[Str("@x"), I32(-1)]), "ffffffffffffffff\n");
        assert_eq!(
            render(&[Str("@b"), I64(-2)]),
            format!("{}0\n", "1".repeat(63))
        );
        assert_eq!(render(&[Str("@x"), U32(u32::MAX)]), "ffffffff\n");
        assert_eq!(
            render(&[Str("@o"), I32(i32::MIN)]),
            "1777777777760000000000\n"
        );
    }

    #[test]
    fn template_fixed_specs() {
        assert_eq!(render(&[Str("@.0f|@.0"), F64(2.5), F64(3.5)]), "2|4\n");
        assert_eq!(render(&[Str("@.3x"), F64(1.0)]), "1.000x\n");
        assert_eq!(render(&[Str("@.12f"), F64(0.1)]), "0.100000000000\n");
        assert_eq!(render(&[Str("[@.]"), F64(0.5)]), "[0.5.]\n");
    }

    #[test]
    fn specs_that_do_not_fit_fall_back() {
        assert_eq!(render(&[Str("@.2f"), I32(7)]), "7\n");
        assert_eq!(render(&[Str("@x"), F64(0.5)]), "0.5\n");
        assert_eq!(render(&[Str("@x|@b"), Str("s"), Bool(true)]), "s|true\n");
        assert_eq!(render(&[Str("@.2f"), Bool(false)]), "false\n");
    }

    #[test]
    fn leftover_placeholders_and_extra_args() {
        assert_eq!(render(&[Str("a @ b @x c @.2f")]), "a @ b @x c @.2f\n");
        assert_eq!(render(&[Str("@ and @x"), I32(1)]), "1 and @x\n");
        assert_eq!(render(&[Str("@"), I32(1), I32(2), Str("z")]), "1 2 z\n");
        assert_eq!(
            render(&[Str("no placeholders"), I32(1)]),
            "no placeholders 1\n"
        );
        assert_eq!(render(&[Str("x\\y@@"), I32(1), I32(2)]), "x\\y12\n");
        assert_eq!(render(&[Str("@,@!"), I32(1), I32(2)]), "1,2!\n");
        assert_eq!(render(&[Str("")]), "\n");
        assert_eq!(render(&[Str(""), I32(4)]), " 4\n");
    }

    #[test]
    fn huge_precision_is_capped() {
        let out = render(&[Str("@.99999999999999999999999f"), F64(1.0)]);
        assert_eq!(out.len(), 2 + MAX_DECIMALS + 1);
    }

    #[test]
    fn arrays_print_recursively_without_brackets() {
        let mut heap = Heap::new(&[], None);
        let ints = ValType::Array(Box::new(ValType::I32));
        let nested = ValType::Array(Box::new(ints.clone()));
        let one_two = heap.alloc_array(&[1, 2], false).unwrap();
        let three = heap.alloc_array(&[i64::from(-3) as u64], false).unwrap();
        let empty = heap.alloc_array(&[], false).unwrap();
        let m = [one_two, three].map(u64::from);
        let m = heap.alloc_array(&m, true).unwrap();
        let holes = [empty, three, empty].map(u64::from);
        let holes = heap.alloc_array(&holes, true).unwrap();
        fn show(heap: &Heap, bits: Handle, ty: &ValType) -> String {
            let mut out = Vec::new();
            let keep = &mut |_: &mut Vec<u8>| true;
            format_value(
                &mut out,
                u64::from(bits),
                ty,
                heap,
                &Program::default(),
                keep,
            );
            String::from_utf8(out).unwrap()
        }
        assert_eq!(show(&heap, one_two, &ints), "1, 2");
        assert_eq!(show(&heap, empty, &ints), "");
        assert_eq!(show(&heap, m, &nested), "1, 2, -3");
        assert_eq!(show(&heap, holes, &nested), ", -3, ");
        let floats = heap.alloc_array(&[0.5f64.to_bits(), 1e6f64.to_bits()], false);
        let floats = floats.unwrap();
        assert_eq!(
            show(&heap, floats, &ValType::Array(Box::new(ValType::F64))),
            "0.5, 1e+06"
        );
        let strs = [b"a".as_slice(), b"b c"].map(|s| u64::from(heap.alloc_str(s).unwrap()));
        let strs = heap.alloc_array(&strs, true).unwrap();
        let strs_ty = ValType::Array(Box::new(ValType::Str));
        assert_eq!(show(&heap, strs, &strs_ty), "a, b c");
        // In a template, specs do not apply to arrays: `@x` falls back to default form.
        let template = heap.alloc_str(b"@x|@.2f|@").unwrap();
        let program = Program {
            types: vec![ValType::Str, ints.clone(), nested.clone(), strs_ty],
            ..Program::default()
        };
        let format = PrintFormat {
            arg_types: vec![0, 1, 2, 3, 1],
            newline: true,
            append: false,
        };
        let args = [template, one_two, m, strs, empty].map(u64::from);
        let mut out = Vec::new();
        format_print(&mut out, &args, &format, &program, &heap, &mut |_| true);
        assert_eq!(String::from_utf8(out).unwrap(), "1, 2|1, 2, -3|a, b c \n");
    }

    #[test]
    fn scalar_forms() {
        let mut out = Vec::new();
        format_scalar(&mut out, (-7i64) as u64, Prim::I32);
        out.push(b' ');
        format_scalar(&mut out, 0xFFFF_FFFF_0000_0001, Prim::U32);
        out.push(b' ');
        format_scalar(&mut out, (-0.0f64).to_bits(), Prim::F64);
        assert_eq!(out, b"-7 1 -0");
    }
}
