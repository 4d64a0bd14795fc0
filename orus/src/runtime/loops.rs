//! The checked generic paths behind the VM's loop fast paths.
//!
//! The VM's typed loop instructions (`ForPrep*`/`ForLoop*`, the `AddI32Imm` increment, the
//! conditional jumps) have fast paths specialised per integer type. The fast-path switches
//! of spec §18 (see `vm::FastPaths`) send them here instead, to code that computes the very
//! same results another way, so that the fallbacks are exercised and tested:
//!
//! * [`first`] and [`step`] decide a range loop's entry and back-edge for any integer type
//!   by widening index, end and step to `i128` and checking the result against the bounds
//!   of the type (the overflow guard);
//! * [`RangeIter`] is the materialised iterator object of a range loop: it captures the
//!   range once and yields the index values (in canonical register form) one by one;
//! * [`add_i32_imm`] is the checked increment: it adds in `i64` and reports whether the
//!   `i32` result wrapped;
//! * [`checked_bool`] reads a condition slot and rejects anything but the canonical 0 / 1.
//!
//! Values arrive as the untagged 64-bit slots of `bytecode`; [`Prim`] says how to read
//! them (only the four integer types are meaningful here).

use super::Fault;
use crate::bytecode::Prim;
use crate::diag::Code;

/// What one step of a range loop found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The loop runs (again) with this index, in canonical register form.
    Next(u64),
    /// The next index is past the end: the loop is over.
    Done,
    /// The next index would leave the index type: the overflow guard ends the loop.
    Overflow,
}

/// The value of the integer slot `bits` of type `kind`, widened.
#[inline]
pub fn decode(kind: Prim, bits: u64) -> i128 {
    match kind {
        Prim::I32 => i128::from(bits as u32 as i32),
        Prim::U32 => i128::from(bits as u32),
        Prim::U64 => i128::from(bits),
        // i64, and (meaningless here) f64 / bool read as their raw bits
        _ => i128::from(bits as i64),
    }
}

/// The canonical slot of `v`, which must lie within the bounds of `kind`.
#[inline]
pub fn encode(kind: Prim, v: i128) -> u64 {
    match kind {
        Prim::I32 => i64::from(v as i32) as u64,
        Prim::U32 => u64::from(v as u32),
        Prim::U64 => v as u64,
        _ => v as i64 as u64,
    }
}

/// The smallest and largest value of `kind`.
fn bounds(kind: Prim) -> (i128, i128) {
    match kind {
        Prim::I32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Prim::U32 => (0, i128::from(u32::MAX)),
        Prim::U64 => (0, i128::from(u64::MAX)),
        _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
    }
}

/// Whether index `v` is inside the range: below `end` for an upward step, above it for a
/// downward one, `end` itself included when `inclusive`.
fn in_range(v: i128, end: i128, step: i128, inclusive: bool) -> bool {
    if step > 0 {
        v < end || (inclusive && v == end)
    } else {
        v > end || (inclusive && v == end)
    }
}

/// The loop's entry test: `Next(index)` when the range is not empty. The step must not be
/// zero (the caller raises E0008 first).
pub fn first(kind: Prim, index: u64, end: u64, step: u64, inclusive: bool) -> Step {
    let (i, e, s) = (decode(kind, index), decode(kind, end), decode(kind, step));
    if in_range(i, e, s, inclusive) {
        Step::Next(encode(kind, i))
    } else {
        Step::Done
    }
}

/// The loop's back-edge: the next index `index + step` if it is in the type and the range.
pub fn step(kind: Prim, index: u64, end: u64, step: u64, inclusive: bool) -> Step {
    let (i, e, s) = (decode(kind, index), decode(kind, end), decode(kind, step));
    advance(kind, i + s, e, s, inclusive)
}

fn advance(kind: Prim, next: i128, end: i128, step: i128, inclusive: bool) -> Step {
    let (lo, hi) = bounds(kind);
    if next < lo || next > hi {
        Step::Overflow
    } else if in_range(next, end, step, inclusive) {
        Step::Next(encode(kind, next))
    } else {
        Step::Done
    }
}

/// A materialised range iterator: the heap object a range loop uses when iterators are
/// forced to be boxed. It captures the bounds once and yields each index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeIter {
    kind: Prim,
    /// The index to try next, or (after the first value) the last one yielded.
    at: i128,
    started: bool,
    finished: bool,
    end: i128,
    step: i128,
    inclusive: bool,
}

impl RangeIter {
    /// An iterator over `start, start + step, …` up to `end`. `step` must not be zero.
    pub fn new(kind: Prim, start: u64, end: u64, step: u64, inclusive: bool) -> RangeIter {
        RangeIter {
            kind,
            at: decode(kind, start),
            started: false,
            finished: false,
            end: decode(kind, end),
            step: decode(kind, step),
            inclusive,
        }
    }

    /// An iterator that has just yielded `current` and continues with `end` and `step`
    /// (used when a loop's bounds had to be read again).
    pub fn resume(kind: Prim, current: u64, end: u64, step: u64, inclusive: bool) -> RangeIter {
        RangeIter {
            started: true,
            ..RangeIter::new(kind, current, end, step, inclusive)
        }
    }

    /// The index yielded last (canonical), while the iterator is running.
    pub fn current(&self) -> Option<u64> {
        (self.started && !self.finished).then(|| encode(self.kind, self.at))
    }

    /// The next index, or why there is none; after `Done` or `Overflow` always `Done`.
    pub fn advance(&mut self) -> Step {
        if self.finished {
            return Step::Done;
        }
        let candidate = if self.started {
            self.at + self.step
        } else {
            self.at
        };
        let result = advance(self.kind, candidate, self.end, self.step, self.inclusive);
        match result {
            Step::Next(_) => {
                self.at = candidate;
                self.started = true;
            }
            Step::Done | Step::Overflow => self.finished = true,
        }
        result
    }
}

impl Iterator for RangeIter {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        match self.advance() {
            Step::Next(v) => Some(v),
            Step::Done | Step::Overflow => None,
        }
    }
}

/// `x + imm` for `i32`, computed in `i64`: the wrapped result and whether it wrapped.
#[inline]
pub fn add_i32_imm(x: i32, imm: i32) -> (i32, bool) {
    let wide = i64::from(x) + i64::from(imm);
    let v = wide as i32;
    (v, i64::from(v) != wide)
}

/// A condition slot as a `bool`; anything but 0 or 1 is an internal error (the code
/// generator only branches on comparison and logic results).
#[inline]
pub fn checked_bool(bits: u64) -> Result<bool, Fault> {
    match bits {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(not_bool(bits)),
    }
}

#[cold]
fn not_bool(bits: u64) -> Fault {
    Fault::new(
        Code::Internal,
        format!("branch condition is not a bool (slot {bits:#x})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(kind: Prim, start: i128, end: i128, step: i128, inclusive: bool) -> Vec<i128> {
        let e = |v: i128| encode(kind, v);
        RangeIter::new(kind, e(start), e(end), e(step), inclusive)
            .map(|bits| decode(kind, bits))
            .collect()
    }

    #[test]
    fn iterators_yield_the_range() {
        assert_eq!(collect(Prim::I32, 0, 5, 2, false), [0, 2, 4]);
        assert_eq!(collect(Prim::I32, 5, 0, -2, true), [5, 3, 1]);
        assert_eq!(collect(Prim::I32, 3, 3, 1, false), [] as [i128; 0]);
        let max = i128::from(i32::MAX);
        assert_eq!(collect(Prim::I32, max - 1, max, 1, true), [max - 1, max]);
        let umax = i128::from(u64::MAX);
        assert_eq!(
            collect(Prim::U64, umax - 2, umax, 1, true),
            [umax - 2, umax - 1, umax]
        );
        assert_eq!(collect(Prim::U32, 7, 10, 1, false), [7, 8, 9]);
    }

    #[test]
    fn the_overflow_guard_ends_a_range_at_the_type_bound() {
        let e = |v: i32| encode(Prim::I32, i128::from(v));
        assert_eq!(
            step(Prim::I32, e(i32::MAX), e(i32::MAX), e(1), true),
            Step::Overflow
        );
        assert_eq!(step(Prim::I32, e(3), e(5), e(1), false), Step::Next(e(4)));
        assert_eq!(step(Prim::I32, e(4), e(5), e(1), false), Step::Done);
        assert_eq!(first(Prim::I32, e(5), e(5), e(1), false), Step::Done);
        assert_eq!(
            first(Prim::I32, e(-1), e(5), e(1), false),
            Step::Next(e(-1))
        );
        let mut it = RangeIter::new(Prim::I32, e(i32::MAX), e(i32::MAX), e(1), true);
        assert_eq!(it.advance(), Step::Next(e(i32::MAX)));
        assert_eq!(it.advance(), Step::Overflow);
        assert_eq!(it.advance(), Step::Done);
    }

    #[test]
    fn checked_increment_and_bool() {
        assert_eq!(add_i32_imm(1, 2), (3, false));
        assert_eq!(add_i32_imm(i32::MAX, 1), (i32::MIN, true));
        assert_eq!(add_i32_imm(i32::MIN, -1), (i32::MAX, true));
        assert_eq!(checked_bool(1), Ok(true));
        assert_eq!(checked_bool(0), Ok(false));
        assert_eq!(checked_bool(2).unwrap_err().code, Code::Internal);
    }
}
