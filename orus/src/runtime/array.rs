//! The index rules of arrays and strings (spec §10, §11): which element an index names,
//! which elements a slice takes, and the fault when there is none.
//!
//! An index arrives as a raw register slot and is read as a signed 64-bit value: the
//! canonical encodings make an `i32` sign-extended and a `u32` zero-extended already, and a
//! `u64` at or above 2^63 reads as negative (ARCHITECTURE choice 15). A negative array
//! index is E0004 and one at or past the length E0003; strings report both as E0010. A
//! slice's end is inclusive with the special cases of §10, see [`slice_range`]; every bad
//! bound is E0011. Pop on an empty array is E0009. This module knows nothing of the heap:
//! the VM looks up the length and passes it in. Like `arith`, success paths are small and
//! `#[inline]`, faults are built in `#[cold]` helpers. Tests are at the bottom.

use super::Fault;
use crate::diag::Code;
use std::ops::Range;

/// The position of the element that the index slot `index` names in an array of `len`.
#[inline(always)]
pub fn element(index: u64, len: usize) -> Result<usize, Fault> {
    // A negative index reads as a huge unsigned one: one comparison finds both faults.
    if index < len as u64 {
        Ok(index as usize)
    } else {
        Err(element_fault(index, len))
    }
}

/// The fault of an index slot that names no element of an array of `len`.
#[cold]
#[inline(never)]
pub fn element_fault(index: u64, len: usize) -> Fault {
    match position(index, len) {
        Err(Position::Negative) => negative_index(),
        _ => index_out_of_bounds(),
    }
}

/// The position of the byte that the index slot `index` names in a string of `len` bytes.
#[inline(always)]
pub fn byte(index: u64, len: usize) -> Result<usize, Fault> {
    if index < len as u64 {
        Ok(index as usize)
    } else {
        Err(byte_fault(index, len))
    }
}

/// The fault of an index slot that names no byte of a string of `len` bytes.
#[cold]
#[inline(never)]
fn byte_fault(index: u64, len: usize) -> Fault {
    match position(index, len) {
        Err(Position::Negative) => string_fault("String index must be a non-negative integer"),
        _ => string_fault("String index out of bounds"),
    }
}

/// The elements `a[start..end]` takes from an array of `len`, given the index slots of the
/// bounds that were written (`None` when omitted). Spec §10, literally: an omitted start
/// is 0 and an omitted end `len`; a bound below 0 or above `len` is out of bounds; when
/// `start == len` the end must be `len` too and the slice is empty; otherwise an end equal
/// to `len` means `len - 1`, and the slice is `start..=end` provided `start <= end`.
pub fn slice_range(
    len: usize,
    start: Option<u64>,
    end: Option<u64>,
) -> Result<Range<usize>, Fault> {
    let len = len as i64;
    let s = start.map_or(0, |bits| bits as i64);
    let e = end.map_or(len, |bits| bits as i64);
    if !(0..=len).contains(&s) {
        return Err(slice_fault("Array slice start out of bounds"));
    }
    if !(0..=len).contains(&e) {
        return Err(slice_fault("Array slice end out of bounds"));
    }
    if s == len {
        return if e == len {
            Ok(s as usize..s as usize)
        } else {
            Err(slice_fault("Array slice end before start"))
        };
    }
    let last = if e == len { len - 1 } else { e };
    if last < s {
        return Err(slice_fault("Array slice end before start"));
    }
    Ok(s as usize..last as usize + 1)
}

/// E0009: `pop` on an empty array.
#[cold]
pub fn pop_empty() -> Fault {
    Fault::new(Code::ValueError, "Cannot pop from an empty array")
}

/// Why an index names no element.
enum Position {
    Negative,
    PastEnd,
}

#[inline(always)]
fn position(index: u64, len: usize) -> Result<usize, Position> {
    let i = index as i64;
    if i < 0 {
        Err(Position::Negative)
    } else if (i as u64) < len as u64 {
        Ok(i as usize)
    } else {
        Err(Position::PastEnd)
    }
}

#[cold]
fn negative_index() -> Fault {
    Fault::new(
        Code::NegativeIndex,
        "Array index must be a non-negative integer",
    )
}

#[cold]
fn index_out_of_bounds() -> Fault {
    Fault::new(Code::IndexOutOfBounds, "Array index out of bounds")
}

#[cold]
fn string_fault(message: &str) -> Fault {
    Fault::new(Code::StringIndex, message)
}

#[cold]
fn slice_fault(message: &str) -> Fault {
    Fault::new(Code::SliceBounds, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slot of an `i32` index.
    fn i(v: i32) -> u64 {
        v as i64 as u64
    }

    fn slice(len: usize, start: Option<i32>, end: Option<i32>) -> Result<Range<usize>, String> {
        slice_range(len, start.map(i), end.map(i)).map_err(|f| f.message)
    }

    #[test]
    fn element_positions_and_faults() {
        assert_eq!(element(i(0), 3), Ok(0));
        assert_eq!(element(i(2), 3), Ok(2));
        let past = element(i(3), 3).unwrap_err();
        assert_eq!(
            (past.code, past.message.as_str()),
            (Code::IndexOutOfBounds, "Array index out of bounds")
        );
        let negative = element(i(-1), 3).unwrap_err();
        assert_eq!(
            (negative.code, negative.message.as_str()),
            (
                Code::NegativeIndex,
                "Array index must be a non-negative integer"
            )
        );
        // A u32 index is zero-extended, so u32::MAX is large, not negative.
        assert_eq!(
            element(u64::from(u32::MAX), 3).unwrap_err().code,
            Code::IndexOutOfBounds
        );
        // A u64 at or above 2^63 reads as negative.
        assert_eq!(element(1 << 63, 3).unwrap_err().code, Code::NegativeIndex);
        assert_eq!(element(i(0), 0).unwrap_err().code, Code::IndexOutOfBounds);
    }

    #[test]
    fn byte_positions_and_faults() {
        assert_eq!(byte(i(1), 2), Ok(1));
        let past = byte(i(2), 2).unwrap_err();
        assert_eq!(
            (past.code, past.message.as_str()),
            (Code::StringIndex, "String index out of bounds")
        );
        let negative = byte(i(-5), 2).unwrap_err();
        assert_eq!(
            (negative.code, negative.message.as_str()),
            (
                Code::StringIndex,
                "String index must be a non-negative integer"
            )
        );
    }

    #[test]
    fn slice_end_is_inclusive() {
        assert_eq!(slice(5, Some(1), Some(3)), Ok(1..4));
        assert_eq!(
            slice(5, Some(0), Some(1)),
            Ok(0..2),
            "a[0..1] has 2 elements"
        );
        assert_eq!(slice(5, Some(2), Some(2)), Ok(2..3));
    }

    #[test]
    fn slice_omitted_bounds() {
        assert_eq!(slice(5, None, None), Ok(0..5), "a[..] copies all");
        assert_eq!(slice(5, None, Some(1)), Ok(0..2));
        assert_eq!(slice(5, Some(3), None), Ok(3..5));
        assert_eq!(slice(0, None, None), Ok(0..0));
        assert_eq!(slice(0, Some(0), Some(0)), Ok(0..0));
    }

    #[test]
    fn slice_end_equal_to_len_means_last() {
        assert_eq!(slice(4, Some(0), Some(4)), Ok(0..4));
        assert_eq!(slice(4, Some(0), Some(3)), Ok(0..4));
        assert_eq!(slice(4, Some(3), Some(4)), Ok(3..4));
    }

    #[test]
    fn slice_starting_at_len_is_empty() {
        assert_eq!(slice(3, Some(3), None), Ok(3..3));
        assert_eq!(slice(3, Some(3), Some(3)), Ok(3..3));
        assert_eq!(
            slice(3, Some(3), Some(2)),
            Err("Array slice end before start".into())
        );
    }

    #[test]
    fn slice_bad_bounds() {
        let start_oob = Err("Array slice start out of bounds".to_string());
        let end_oob = Err("Array slice end out of bounds".to_string());
        let before = Err("Array slice end before start".to_string());
        assert_eq!(slice(4, Some(5), None), start_oob);
        assert_eq!(slice(4, Some(-1), Some(2)), start_oob);
        assert_eq!(slice(4, Some(0), Some(5)), end_oob);
        assert_eq!(slice(4, Some(0), Some(-1)), end_oob);
        assert_eq!(slice(4, Some(3), Some(1)), before);
        assert_eq!(slice(4, Some(2), Some(1)), before);
        // The start is checked first.
        assert_eq!(slice(4, Some(9), Some(9)), start_oob);
        assert_eq!(
            slice_range(4, Some(1 << 63), None).unwrap_err().code,
            Code::SliceBounds
        );
        assert_eq!(
            slice_range(4, None, Some(u64::MAX)).unwrap_err().code,
            Code::SliceBounds
        );
    }

    #[test]
    fn pop_empty_fault() {
        let fault = pop_empty();
        assert_eq!(
            (fault.code, fault.message.as_str()),
            (Code::ValueError, "Cannot pop from an empty array")
        );
    }
}
