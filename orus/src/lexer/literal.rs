//! Literal scanning: strings with their escapes, and integer and float numbers
//! (spec §2.5), with their lexical errors (E1002–E1005).

use super::{describe_char, is_ident_byte, lossy, Lexer};
use crate::diag::{Code, Diagnostic, Span};
use crate::lexer::TokenKind;

impl Lexer<'_> {
    /// A string literal; the opening quote is at `self.pos`.
    #[inline(never)]
    pub(super) fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let mut value = Vec::new();
        loop {
            let rest = &self.src[self.pos..];
            let n = rest
                .iter()
                .position(|&c| c == b'"' || c == b'\\')
                .unwrap_or(rest.len());
            value.extend_from_slice(&rest[..n]);
            self.pos += n;
            match self.src.get(self.pos) {
                None => {
                    let mut diag = Diagnostic::new(
                        Code::UnterminatedString,
                        Span::new(start, start + 1),
                        "Unterminated string literal",
                    );
                    // Raw newlines are allowed in strings, so an earlier string that lacks
                    // its closing quote runs on and ends at this one's opening quote.
                    let same_line =
                        |(_, end): (usize, usize)| !self.src[end..start].contains(&b'\n');
                    if let Some((earlier, _)) = self.multiline_string.filter(|&s| same_line(s)) {
                        diag = diag
                            .with_label(
                                Span::new(earlier, earlier + 1),
                                "this string runs over several lines and ends just before the error",
                            )
                            .with_help("if that string was meant to end on its first line, add the closing `\"` there");
                    }
                    self.diags.push(diag);
                    break;
                }
                Some(b'"') => {
                    self.pos += 1;
                    if self.src[start..self.pos].contains(&b'\n') {
                        self.multiline_string = Some((start, self.pos));
                        self.multiline_strings.push((start, self.pos));
                    }
                    break;
                }
                Some(_) => {
                    let Some(&esc) = self.src.get(self.pos + 1) else {
                        self.pos += 1;
                        continue;
                    };
                    let byte = match esc {
                        b'n' => Some(b'\n'),
                        b't' => Some(b'\t'),
                        b'r' => Some(b'\r'),
                        b'\\' => Some(b'\\'),
                        b'"' => Some(b'"'),
                        b'0' => Some(0),
                        _ => None,
                    };
                    match byte {
                        Some(byte) => value.push(byte),
                        None => {
                            let shown = describe_char(&self.src[self.pos + 1..]);
                            self.error(
                                Code::InvalidEscape,
                                self.pos,
                                self.pos + 2,
                                format!("Invalid escape sequence '\\{shown}'"),
                            );
                            value.push(b'\\');
                            value.push(esc);
                        }
                    }
                    self.pos += 2;
                }
            }
        }
        let id = self.string_id(value.into_boxed_slice());
        self.push(TokenKind::Str(id), start);
    }

    /// A number literal starting with a digit (spec §2.5). Malformed literals are reported
    /// once (E1004) with all the identifier-like bytes that follow, and become `0`.
    pub(super) fn number(&mut self) {
        if let Some((kind, end)) = plain_number(self.src, self.pos) {
            let start = self.pos;
            self.pos = end;
            self.push(kind, start);
            return;
        }
        self.general_number();
    }

    /// Any number literal, with its errors; [`plain_number`] reads the common ones faster.
    #[inline(never)]
    pub(super) fn general_number(&mut self) {
        let start = self.pos;
        let src = self.src;
        let at = |i: usize| src.get(i).copied().unwrap_or(0);
        let mut ok = true;
        let hex = at(start) == b'0' && matches!(at(start + 1), b'x' | b'X');
        let mut float = false;
        if hex {
            self.pos += 2;
            let (digits, clean) = self.digit_run(|c| c.is_ascii_hexdigit());
            ok &= digits > 0 && clean;
        } else {
            let (_, clean) = self.digit_run(|c| c.is_ascii_digit());
            ok &= clean;
            if at(self.pos) == b'.' && at(self.pos + 1) != b'.' {
                self.pos += 1;
                if at(self.pos).is_ascii_digit() {
                    let (_, clean) = self.digit_run(|c| c.is_ascii_digit());
                    ok &= clean;
                    float = true;
                } else {
                    ok = false; // `5.` or `1.e3`
                }
            }
            if ok && matches!(at(self.pos), b'e' | b'E') {
                self.pos += 1;
                if matches!(at(self.pos), b'+' | b'-') {
                    self.pos += 1;
                }
                let (digits, clean) = self.digit_run(|c| c.is_ascii_digit());
                ok &= digits > 0 && clean;
                float = true;
            }
        }
        if is_ident_byte(at(self.pos)) {
            ok = false; // digits running into letters, e.g. `10u32`
        }
        if !ok {
            while is_ident_byte(at(self.pos)) {
                self.pos += 1;
            }
            let text = lossy(&src[start..self.pos]);
            self.error(
                Code::MalformedNumber,
                start,
                self.pos,
                format!("Malformed number literal '{text}'"),
            );
            let kind = if float {
                TokenKind::Float(0.0)
            } else {
                TokenKind::Int { value: 0, hex }
            };
            self.push(kind, start);
            return;
        }
        let text = &src[start..self.pos];
        let digits = text.iter().filter(|c| **c != b'_');
        if float {
            let clean: String = digits.map(|&c| c as char).collect();
            let value = clean.parse::<f64>().unwrap_or(0.0);
            self.push(TokenKind::Float(value), start);
            return;
        }
        let (radix, skip) = if hex { (16, 2) } else { (10, 0) };
        let mut value: Option<u64> = Some(0);
        for &c in digits.skip(skip) {
            let d = (c as char).to_digit(radix).unwrap_or(0) as u64;
            value = value
                .and_then(|v| v.checked_mul(radix as u64))
                .and_then(|v| v.checked_add(d));
        }
        let value = value.unwrap_or_else(|| {
            self.error(
                Code::NumberTooLarge,
                start,
                self.pos,
                format!("Integer literal {} is out of range", lossy(text)),
            );
            0
        });
        self.push(TokenKind::Int { value, hex }, start);
    }

    /// `.5`: a float needs digits before its point (E1004); it becomes `0.0`.
    #[inline(never)]
    pub(super) fn leading_dot_number(&mut self) {
        let start = self.pos;
        self.pos += 1;
        while self.src.get(self.pos).is_some_and(|&c| is_ident_byte(c)) {
            self.pos += 1;
        }
        let text = lossy(&self.src[start..self.pos]);
        let mut diag = Diagnostic::new(
            Code::MalformedNumber,
            Span::new(start, self.pos),
            format!("Malformed number literal '{text}'"),
        );
        if self.src[..start].ends_with(b"..") {
            // `0...3`: a range with one dot too many.
            diag = diag
                .with_help("ranges are written `0..3` (end excluded) or `0..=3` (end included)");
        }
        self.diags.push(diag);
        self.push(TokenKind::Float(0.0), start);
    }

    /// Consumes digits and `_` separators; returns the digit count and whether every `_`
    /// sits between two digits.
    fn digit_run(&mut self, is_digit: impl Fn(u8) -> bool) -> (usize, bool) {
        let mut digits = 0;
        let mut clean = true;
        let mut prev_digit = false;
        while let Some(&c) = self.src.get(self.pos) {
            if is_digit(c) {
                digits += 1;
                prev_digit = true;
            } else if c == b'_' {
                let next_digit = self.src.get(self.pos + 1).is_some_and(|&n| is_digit(n));
                clean &= prev_digit && next_digit;
                prev_digit = false;
            } else {
                break;
            }
            self.pos += 1;
        }
        (digits, clean)
    }
}

/// Powers of ten that an `f64` holds exactly.
const EXACT_POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The commonest number literals, read in one pass: decimal digits (`42`) or digits, a
/// point and digits (`1.5`), with no separator, exponent or anything that makes the
/// literal malformed after them, and few enough digits to compute the value exactly (for
/// a float: a mantissa below 2^53 divided by an exact power of ten, which IEEE division
/// rounds correctly, so the value is the one `str::parse` gives). Returns the token and
/// its end, or `None` for everything else (read by `general_number`).
fn plain_number(src: &[u8], start: usize) -> Option<(crate::lexer::LexKind, usize)> {
    let digits = |from: usize, mut value: u64| {
        let mut i = from;
        while let Some(&c) = src.get(i) {
            if !c.is_ascii_digit() {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            i += 1;
        }
        (value, i)
    };
    let (int, end) = digits(start, 0);
    // 19 digits never overflow a u64; longer literals may be out of range.
    if end - start > 19 {
        return None;
    }
    let next = src.get(end).copied().unwrap_or(0);
    if next == b'.' {
        let after = src.get(end + 1).copied().unwrap_or(0);
        if after == b'.' {
            return Some((
                TokenKind::Int {
                    value: int,
                    hex: false,
                },
                end,
            )); // `0..n`
        }
        if !after.is_ascii_digit() {
            return None;
        }
        let (mantissa, stop) = digits(end + 1, int);
        let frac = stop - end - 1;
        let follow = src.get(stop).copied().unwrap_or(0);
        if stop - start - 1 > 19 || mantissa >= 1 << 53 || frac >= EXACT_POW10.len() {
            return None;
        }
        if is_ident_byte(follow) {
            return None;
        }
        let value = mantissa as f64 / EXACT_POW10[frac];
        return Some((TokenKind::Float(value), stop));
    }
    if is_ident_byte(next) {
        return None;
    }
    Some((
        TokenKind::Int {
            value: int,
            hex: false,
        },
        end,
    ))
}
