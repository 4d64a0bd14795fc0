//! The out-of-line parts of the object instructions: making structs, enum values, cells
//! and closures, and turning `throw` operands into faults. They stay out of the dispatch
//! loop so that its hot arms keep their registers; reading and writing objects
//! (`GetField`, `GetCell`, `GetCapture`, ...) stays inline and never allocates.

use super::Vm;
use crate::diag::Code;
use crate::runtime::heap::Handle;
use crate::runtime::Fault;
use std::ops::Range;

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
    /// Makes the object `made` from the absolute register range `slots`.
    #[inline(never)]
    pub(super) fn new_object(&mut self, made: Made, slots: Range<usize>) -> Result<Handle, Fault> {
        self.alloc_from_regs([0, 0], slots, |heap, slots| match made {
            Made::Struct(layout) => heap.alloc_struct(layout, slots),
            Made::Enum(layout, variant) => heap.alloc_enum(layout, variant, slots),
            Made::Closure(func) => heap.alloc_closure(func, slots),
        })
    }

    /// Makes a cell holding `value`.
    #[inline(never)]
    pub(super) fn new_cell(&mut self, value: u64) -> Result<Handle, Fault> {
        self.alloc_with([value, 0], |heap| heap.alloc_cell(value))
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
        let (code, message) = self.heap.error_value(error as Handle);
        Fault::new(code, message)
    }
}
