//! Frame records, the collector's roots, the clock, and the VM's own faults.
//!
//! A [`Frame`] is four words: besides the function, its register base and its closure, it
//! holds where its caller resumes (the instruction after the `Call` and the caller's
//! register base), so that a return reads only the record it pops. The running frame's
//! instruction pointer lives in a local of the dispatch loop; the pc of a caller is that
//! return address in the record above it. A frame made by
//! `CallValue` remembers its closure, which `GetCapture` reads. The roots of a collection
//! are the registers each live frame lists in `Function::ref_regs`, each live frame's
//! closure, the globals marked `is_ref`, and the operands of the allocating instruction
//! (for `NewArray`, `NewStruct`, `NewEnum` and `MakeClosure`, their whole run of operand
//! registers); the heap ignores any root that is not a live handle.

use super::Vm;
use crate::bytecode::{Instr, Program};
use crate::diag::Code;
use crate::runtime::heap::Handle;
use crate::runtime::{Fault, Heap};
use std::ops::Range;
use std::sync::OnceLock;
use std::time::Instant;

/// One live call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Frame {
    /// Index into `Program::functions`.
    pub func: u32,
    /// The closure being run, for a frame made by `CallValue`; else [`NO_CLOSURE`].
    pub closure: Handle,
    /// Index of the frame's `R[0]` in the register file.
    pub base: usize,
    /// Where the caller resumes when this frame returns: the instruction just after its
    /// `Call`, a pointer into the caller's code (never one past its end: a call is never
    /// last). Null for the entry frame.
    pub ret_ip: *const Instr,
    /// The caller's register base.
    pub ret_base: usize,
}

/// The index of the instruction `ip` points at in the code of `functions[func]`.
pub(super) fn pc_of(program: &Program, func: u32, ip: *const Instr) -> usize {
    let code = &program.functions[func as usize].code;
    (ip as usize).wrapping_sub(code.as_ptr() as usize) / std::mem::size_of::<Instr>()
}

/// `Frame::closure` of a frame made by `Call`; the heap never hands out this handle.
pub(super) const NO_CLOSURE: Handle = Handle::MAX;

/// A register or operand value the collector never takes for a handle (handles are
/// 32-bit). 0 is no such value: it is the first object's handle.
pub(super) const NOT_A_HANDLE: u64 = u64::MAX;

/// The `extra` roots of an allocation whose operands hold no handle.
pub(super) const NO_ROOTS: [u64; 2] = [NOT_A_HANDLE; 2];

static CLOCK_START: OnceLock<Instant> = OnceLock::new();

/// Fixes the epoch of `time_stamp()` no later than the first run.
pub(super) fn start_clock() {
    CLOCK_START.get_or_init(Instant::now);
}

/// Seconds since the process-wide epoch, from a monotonic clock.
pub(super) fn now_seconds() -> f64 {
    CLOCK_START
        .get_or_init(Instant::now)
        .elapsed()
        .as_secs_f64()
}

impl Vm<'_, '_> {
    /// Runs the heap operation `alloc`, collecting first if the heap asks for it, and
    /// collecting and retrying once if the heap limit refused it. `extra` are slots the
    /// pending instruction still needs (its operands), treated as roots.
    #[inline]
    pub(super) fn alloc_with<T>(
        &mut self,
        extra: [u64; 2],
        alloc: impl Fn(&mut Heap) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        self.alloc_from_regs(extra, 0..0, |heap, _| alloc(heap))
    }

    /// Like [`Vm::alloc_with`], for an operation that reads the absolute register range
    /// `regs` (given to `alloc` as a slice); those registers are roots too.
    #[inline]
    pub(super) fn alloc_from_regs<T>(
        &mut self,
        extra: [u64; 2],
        regs: Range<usize>,
        alloc: impl Fn(&mut Heap, &[u64]) -> Result<T, Fault>,
    ) -> Result<T, Fault> {
        if self.heap.wants_collection() {
            self.collect_garbage(extra, regs.clone());
        }
        match alloc(&mut self.heap, &self.regs[regs.clone()]) {
            Err(fault) if fault.code == Code::OutOfMemory => {
                self.collect_garbage(extra, regs.clone());
                alloc(&mut self.heap, &self.regs[regs])
            }
            result => result,
        }
    }

    /// A new array of the plain values (no handles) in the absolute register range
    /// `elems`. They are no roots: integers there could keep alive the objects they happen
    /// to number, which matters when the heap is full.
    #[inline(never)]
    pub(super) fn new_plain_array(&mut self, elems: Range<usize>) -> Result<Handle, Fault> {
        if self.heap.wants_collection() {
            self.collect_garbage(NO_ROOTS, 0..0);
        }
        match self.heap.alloc_array(&self.regs[elems.clone()], false) {
            Err(fault) if fault.code == Code::OutOfMemory => {
                self.collect_garbage(NO_ROOTS, 0..0);
                self.heap.alloc_array(&self.regs[elems], false)
            }
            result => result,
        }
    }

    #[cold]
    #[inline(never)]
    fn collect_garbage(&mut self, extra: [u64; 2], extra_regs: Range<usize>) {
        let program = self.program;
        let regs = &self.regs;
        let frame_roots = self.frames.iter().flat_map(|frame| {
            let func = &program.functions[frame.func as usize];
            func.ref_regs
                .iter()
                .filter_map(move |&r| regs.get(frame.base + usize::from(r)).copied())
        });
        let closure_roots = self.frames.iter().map(|frame| u64::from(frame.closure));
        let global_roots = program
            .globals
            .iter()
            .zip(&self.globals)
            .filter(|(info, _)| info.is_ref)
            .map(|(_, &slot)| slot);
        let operand_roots = regs[extra_regs].iter().copied().chain(extra);
        self.heap.collect(
            frame_roots
                .chain(closure_roots)
                .chain(global_roots)
                .chain(operand_roots),
        );
    }
}

/// Most register slots all frames together may use (512 MiB): the frame limit alone lets
/// 10 000 frames of a function with 50 000 locals ask for 4 GB.
pub(super) const MAX_REGISTERS: usize = 1 << 26;

#[cold]
pub(super) fn registers_exhausted() -> Fault {
    Fault::new(
        Code::StackOverflow,
        format!(
            "stack overflow: the frames on the call stack need more than {} MiB of registers",
            (MAX_REGISTERS * 8) >> 20
        ),
    )
}

#[cold]
pub(super) fn stack_overflow(max_frames: usize) -> Fault {
    Fault::new(
        Code::StackOverflow,
        format!("stack overflow: more than {max_frames} frames on the call stack"),
    )
}

#[cold]
pub(super) fn budget_exhausted() -> Fault {
    Fault::new(Code::BudgetExhausted, "instruction budget exhausted")
}

#[cold]
pub(super) fn interrupted() -> Fault {
    Fault::new(Code::Interrupted, "interrupted")
}

#[cold]
pub(super) fn output_failed(error: &std::io::Error) -> Fault {
    Fault::new(
        Code::OutputFailed,
        format!("could not write the program's output: {error}"),
    )
}

#[cold]
pub(super) fn zero_step() -> Fault {
    Fault::new(Code::InvalidRange, "for loop step cannot be zero")
}

#[cold]
pub(super) fn bad_call_value(func: u32, arity: u16) -> Fault {
    Fault::new(
        Code::Internal,
        format!(
            "invalid bytecode: the arguments of function {func} (arity {arity}) leave the frame"
        ),
    )
}

#[cold]
pub(super) fn no_capture(index: u16) -> Fault {
    Fault::new(
        Code::Internal,
        format!("invalid bytecode: no captured value {index} in this frame"),
    )
}

#[cold]
pub(super) fn no_handler() -> Fault {
    Fault::new(
        Code::Internal,
        "invalid bytecode: PopTry without a handler of this frame",
    )
}
