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
    /// `verify` bounds the number of parts and their types.
    #[inline(never)]
    pub(super) fn concat_formatted(
        &mut self,
        parts: Range<usize>,
        format: u32,
    ) -> Result<Handle, Fault> {
        let program = self.program;
        let types = &program.print_formats[format as usize].arg_types;
        // The usual shape, a string and then short parts (`s + (n as string) + ","`):
        // the short parts are formatted one after another on the stack, and the heap
        // appends them to the string in one step.
        let mut tail = [0u8; TAIL_BYTES];
        if let Some(start) = self.format_tail(parts.clone(), types, &mut tail) {
            let first = self.regs[parts.start];
            return self.alloc_from_regs(frames::NO_ROOTS, parts, |heap, _| {
                heap.concat_bytes(first as Handle, &tail[start..])
            });
        }
        let mut digits = [[0u8; 20]; MAX_CONCAT_FMT_PARTS];
        let mut pieces = [Piece::Str(0); MAX_CONCAT_FMT_PARTS];
        let count = parts.len().min(MAX_CONCAT_FMT_PARTS);
        let slots = self.regs[parts.clone()].iter().zip(types);
        for (((&bits, &ty), piece), buf) in slots.zip(pieces.iter_mut()).zip(digits.iter_mut()) {
            // `verify` allows only strings besides integers.
            *piece = match format::integer_digits(buf, bits, &program.types[ty as usize]) {
                Some(digits) => Piece::Bytes(digits),
                None => Piece::Str(bits as Handle),
            };
        }
        let pieces = &pieces[..count];
        self.alloc_from_regs(frames::NO_ROOTS, parts, |heap, _| {
            heap.concat_pieces(pieces)
        })
    }

    /// Writes the parts of a `ConcatFmt` after the first, a string, into the end of
    /// `tail`, last part first, and returns where they start; `None` when the first part
    /// is not a string or the others do not fit. (Integers are written from their last
    /// digit: backwards, no part needs its length before it is written.)
    #[inline(always)]
    fn format_tail(
        &self,
        parts: Range<usize>,
        types: &[u32],
        tail: &mut [u8; TAIL_BYTES],
    ) -> Option<usize> {
        let program = self.program;
        let (_, rest) = self.regs[parts].split_first()?;
        let (&first, rest_types) = types.split_first()?;
        if program.types[first as usize] != ValType::Str {
            return None;
        }
        let mut start = TAIL_BYTES;
        for (&bits, &ty) in rest.iter().zip(rest_types).rev() {
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
