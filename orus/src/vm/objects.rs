//! The out-of-line parts of the object instructions: making structs, enum values, cells
//! and closures, joining strings (`Concat`, `ConcatN`, `ConcatFmt`), and turning `throw`
//! operands into faults. They stay out of the dispatch
//! loop so that its hot arms keep their registers; reading and writing objects
//! (`GetField`, `GetCell`, `GetCapture`, ...) stays inline and never allocates.

use super::{frames, Vm};
use crate::bytecode::{ValType, MAX_CONCAT_FMT_PARTS};
use crate::diag::Code;
use crate::runtime::format;
use crate::runtime::heap::{Handle, Piece};
use crate::runtime::Fault;
use std::ops::Range;

/// Most bytes of the parts after the first that `ConcatFmt` formats on the stack.
const TAIL_BYTES: usize = 128;

/// What an instruction copying a run of registers into a new object makes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Made {
    /// `NewStruct` of this layout.
    Struct(u32),
    /// `NewEnum` of this layout and variant.
    Enum(u32, u16),
    /// `MakeClosure` of this function.
    Closure(u32),
}

impl Vm<'_, '_> {
    /// `ArrayPush` of `value` onto the array `array` when it has no room left: the array
    /// grows, which is an allocation.
    #[inline(never)]
    pub(super) fn push_growing(&mut self, array: u64, value: u64) -> Result<(), Fault> {
        self.alloc_with([array, value], |heap| {
            heap.array_push(array as Handle, value)
        })
    }

    /// `Concat` of the strings `a` and `b`.
    #[inline(never)]
    pub(super) fn concat_two(&mut self, a: u64, b: u64) -> Result<Handle, Fault> {
        self.alloc_with([a, b], |heap| heap.concat(a as Handle, b as Handle))
    }

    /// `ConcatN` of the strings in the absolute register range `parts`.
    #[inline(never)]
    pub(super) fn concat_strings(&mut self, parts: Range<usize>) -> Result<Handle, Fault> {
        self.alloc_from_regs(frames::NO_ROOTS, parts, |heap, parts| {
            heap.concat_many(parts)
        })
    }

    /// `ConcatFmt` over the absolute register range `parts`, typed by print format
    /// `format`: integer parts are written into digit buffers here, so the result is built
    /// in one allocation (or appended in place) with no temporary string per `as string`.
    /// `verify` bounds the number of parts and their types. A format marked `append`
    /// extends its first part in place when it can (`Heap::append_owned`).
    #[inline(never)]
    pub(super) fn concat_formatted(
        &mut self,
        parts: Range<usize>,
        format: u32,
    ) -> Result<Handle, Fault> {
        let program = self.program;
        let format = &program.print_formats[format as usize];
        let types = &format.arg_types;
        if let (Some((&first_ty, rest_types)), Some(&first)) =
            (types.split_first(), self.regs.get(parts.start))
        {
            if program.types[first_ty as usize] == ValType::Str {
                let rest = parts.start + 1..parts.end;
                return self.concat_after(first, rest, rest_types, format.append);
            }
        }
        self.concat_parts(None, parts, types)
    }

    /// The string `first` followed by the parts in the absolute register range `rest`
    /// (types `types`). The usual shape, short parts (`s + (n as string) + ","`), is
    /// formatted one part after another on the stack, and the heap appends those bytes to
    /// the string in one step: in place when `owned` (nothing else holds `first`), else
    /// into a new object.
    #[inline(always)]
    fn concat_after(
        &mut self,
        first: u64,
        rest: Range<usize>,
        types: &[u32],
        owned: bool,
    ) -> Result<Handle, Fault> {
        let mut tail = [0u8; TAIL_BYTES];
        if let Some(start) = self.format_tail(rest.clone(), types, &mut tail) {
            let tail = &tail[start..];
            return self.alloc_with([first, frames::NOT_A_HANDLE], |heap| {
                if owned {
                    heap.append_owned(first as Handle, tail)
                } else {
                    heap.concat_bytes(first as Handle, tail)
                }
            });
        }
        self.concat_parts(Some(first), rest, types)
    }

    /// The concatenation of the string `first`, if any, and the parts in the absolute
    /// register range `parts` (types `types`), in one allocation: the general way, for
    /// parts too long for the stack or a first part that is no string.
    #[inline(never)]
    fn concat_parts(
        &mut self,
        first: Option<u64>,
        parts: Range<usize>,
        types: &[u32],
    ) -> Result<Handle, Fault> {
        let program = self.program;
        let mut digits = [[0u8; 20]; MAX_CONCAT_FMT_PARTS];
        let mut pieces = [Piece::Str(0); MAX_CONCAT_FMT_PARTS];
        let (slots, bufs) = match first {
            Some(first) => {
                pieces[0] = Piece::Str(first as Handle);
                (&mut pieces[1..], &mut digits[1..])
            }
            None => (&mut pieces[..], &mut digits[..]),
        };
        let values = self.regs[parts.clone()].iter().zip(types);
        let mut count = usize::from(first.is_some());
        for (((&bits, &ty), piece), buf) in values.zip(slots.iter_mut()).zip(bufs.iter_mut()) {
            // `verify` allows only strings besides integers.
            *piece = match format::integer_digits(buf, bits, &program.types[ty as usize]) {
                Some(digits) => Piece::Bytes(digits),
                None => Piece::Str(bits as Handle),
            };
            count += 1;
        }
        let pieces = &pieces[..count];
        let extra = [first.unwrap_or(frames::NOT_A_HANDLE), frames::NOT_A_HANDLE];
        self.alloc_from_regs(extra, parts, |heap, _| heap.concat_pieces(pieces))
    }

    /// Writes the parts in the absolute register range `parts` (types `types`: strings
    /// and integers) into the end of `tail`, last part first, and returns where they
    /// start; `None` when they do not fit. (Integers are written from their last digit:
    /// backwards, no part needs its length before it is written.)
    #[inline(always)]
    fn format_tail(
        &self,
        parts: Range<usize>,
        types: &[u32],
        tail: &mut [u8; TAIL_BYTES],
    ) -> Option<usize> {
        let program = self.program;
        let mut start = TAIL_BYTES;
        for (&bits, &ty) in self.regs[parts].iter().zip(types).rev() {
            let room = &mut tail[..start];
            start = match &program.types[ty as usize] {
                ValType::Str => {
                    let bytes = self.heap.get_str(bits as Handle);
                    let at = start.checked_sub(bytes.len())?;
                    room[at..].copy_from_slice(bytes);
                    at
                }
                // `verify` allows only strings besides integers.
                ty => format::integer_before(room, bits, ty)?,
            };
        }
        Some(start)
    }

    /// Makes the object `made` from the absolute register range `slots`.
    #[inline(never)]
    pub(super) fn new_object(&mut self, made: Made, slots: Range<usize>) -> Result<Handle, Fault> {
        self.alloc_from_regs(frames::NO_ROOTS, slots, |heap, slots| match made {
            Made::Struct(layout) => heap.alloc_struct(layout, slots),
            Made::Enum(layout, variant) => heap.alloc_enum(layout, variant, slots),
            Made::Closure(func) => heap.alloc_closure(func, slots),
        })
    }

    /// Makes an enum value; a variant without payload is one shared value, made once, and
    /// found here without the allocation path.
    #[inline(never)]
    pub(super) fn new_enum(
        &mut self,
        layout: u32,
        variant: u16,
        payload: Range<usize>,
    ) -> Result<Handle, Fault> {
        if payload.is_empty() {
            if let Some(handle) = self.heap.unit_enum(layout, variant) {
                return Ok(handle);
            }
        }
        self.new_object(Made::Enum(layout, variant), payload)
    }

    /// Makes a cell holding `value`.
    #[inline(never)]
    pub(super) fn new_cell(&mut self, value: u64) -> Result<Handle, Fault> {
        self.alloc_with([value, frames::NOT_A_HANDLE], |heap| heap.alloc_cell(value))
    }

    /// The fault `throw` raises for the string `message` (E0012).
    #[cold]
    #[inline(never)]
    pub(super) fn thrown(&self, message: u64) -> Fault {
        let message = self.heap.get_str(message as Handle);
        Fault::new(Code::Thrown, String::from_utf8_lossy(message).into_owned())
    }

    /// The fault `throw` raises for the Error value `error`: the one it was made from.
    #[cold]
    #[inline(never)]
    pub(super) fn rethrown(&self, error: u64) -> Fault {
        let (code, message, origin) = self.heap.error_value(error as Handle);
        Fault {
            origin: Some(origin),
            ..Fault::new(code, message)
        }
    }
}
