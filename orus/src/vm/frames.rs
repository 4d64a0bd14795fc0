//! Frame records, the collector's roots, the clock, and the VM's own faults.
//!
//! A [`Frame`] is three words: besides the function and its closure, its register base and
//! where its caller resumes (the instruction after the `Call`). A return pops the record
//! and reads the caller's base from the record below it. The running frame's instruction
//! pointer lives in a local of the dispatch loop; the pc of a caller is that return
//! address in the record above it. A frame made by
//! `CallValue` remembers its closure, which `GetCapture` reads. The records live in
//! [`Frames`], a stack that keeps room for one more frame below its limit, so that a call
//! makes one comparison for both the depth limit and the stack's capacity.
//! The roots of a collection
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
}

/// The live frames, the running one last, read as a slice. Pushing and popping are the
/// call path's: [`Frames::push`] writes without a capacity check after
/// [`Frames::has_room`], and [`Frames::pop_to_caller`] makes one comparison to know that
/// the frame has a caller and no `try` handler.
#[derive(Debug)]
pub(super) struct Frames {
    stack: Vec<Frame>,
    /// `min(max, stack.capacity())`: below it a push needs neither a depth nor a capacity
    /// check.
    room: usize,
    /// Most frames alive at once (`VmConfig::max_frames`).
    max: usize,
    /// At least 1: a frame at this depth or below returns through the slow path (the
    /// entry frame ends the run, the innermost `try` handler's frame drops its handlers).
    floor: usize,
}

impl Frames {
    /// A stack holding only `entry`, for at most `max` frames.
    pub fn new(entry: Frame, max: usize) -> Frames {
        let mut stack = Vec::with_capacity(max.clamp(1, 256));
        stack.push(entry);
        Frames {
            room: max.min(stack.capacity()),
            stack,
            max,
            floor: 1,
        }
    }

    /// Whether one more frame may be pushed with [`Frames::push`].
    #[inline(always)]
    pub fn has_room(&self) -> bool {
        self.stack.len() < self.room
    }

    /// Makes room for one more frame, or says that the stack is at its limit (E0005).
    #[cold]
    #[inline(never)]
    pub fn make_room(&mut self) -> Result<(), Fault> {
        if self.stack.len() >= self.max {
            return Err(stack_overflow(self.max));
        }
        self.stack.reserve(1);
        self.room = self.max.min(self.stack.capacity());
        Ok(())
    }

    /// Pushes `frame`; the caller has made sure of [`Frames::has_room`].
    #[inline(always)]
    pub fn push(&mut self, frame: Frame) {
        let len = self.stack.len();
        debug_assert!(len < self.room && self.room <= self.stack.capacity());
        // SAFETY: `has_room` held (the caller checked it, or `make_room` made it hold), so
        // `len < room <= capacity`: slot `len` is allocated, and `Frame` is `Copy`.
        unsafe {
            self.stack.as_mut_ptr().add(len).write(frame);
            self.stack.set_len(len + 1);
        }
    }

    /// Pops the running frame and returns where its caller resumes and the caller's
    /// register base; `None`, popping nothing, when the frame is the entry frame or the
    /// innermost `try` handler's frame (see [`Frames::set_innermost_handler`]).
    #[inline(always)]
    pub fn pop_to_caller(&mut self) -> Option<(*const Instr, usize)> {
        let len = self.stack.len();
        if len <= self.floor {
            return None;
        }
        // SAFETY: `floor >= 1`, so `len >= 2` and both records are initialised; `Frame`
        // is `Copy`.
        unsafe {
            let top = self.stack.as_ptr().add(len - 1);
            let ret_ip = (*top).ret_ip;
            let caller_base = (*top.sub(1)).base;
            self.stack.set_len(len - 1);
            Some((ret_ip, caller_base))
        }
    }

    /// Records the depth (`len()` while it runs) of the frame of the innermost `try`
    /// handler, if any: that frame returns through the slow path, which drops its handlers.
    pub fn set_innermost_handler(&mut self, depth: Option<usize>) {
        self.floor = depth.unwrap_or(1).max(1);
    }

    /// Pops the running frame.
    pub fn pop(&mut self) -> Option<Frame> {
        self.stack.pop()
    }

    /// Keeps the `len` outermost frames.
    pub fn truncate(&mut self, len: usize) {
        self.stack.truncate(len);
    }
}

impl std::ops::Deref for Frames {
    type Target = [Frame];
    fn deref(&self) -> &[Frame] {
        &self.stack
    }
}

/// What a call reads of its callee: 16 bytes in a table of their own (a [`Function`] is
/// 80), indexed like `Program::functions`. `CallValue` compares the arity.
///
/// [`Function`]: crate::bytecode::Function
#[derive(Clone, Copy, Debug)]
pub(super) struct Callee {
    /// `code.as_ptr()` of the function (the program outlives the run and is not changed).
    pub code: *const Instr,
    /// Its `num_regs`.
    pub num_regs: u32,
    /// Its `arity`.
    pub arity: u16,
}

/// The [`Callee`] of every function of `program`, in order.
pub(super) fn callees(program: &Program) -> Box<[Callee]> {
    program
        .functions
        .iter()
        .map(|f| Callee {
            code: f.code.as_ptr(),
            num_regs: u32::from(f.num_regs),
            arity: f.arity,
        })
        .collect()
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
pub(super) fn bad_call_value(func: u32, arity: u16, args: u16) -> Fault {
    Fault::new(
        Code::Internal,
        format!("invalid bytecode: function {func} (arity {arity}) called with {args} arguments"),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(base: usize, ret_ip: *const Instr) -> Frame {
        Frame {
            func: 0,
            closure: NO_CLOSURE,
            base,
            ret_ip,
        }
    }

    #[test]
    fn room_ends_at_the_depth_limit() {
        let code = [Instr::ReturnVoid {}; 2];
        let mut frames = Frames::new(frame(0, std::ptr::null()), 300);
        while frames.len() < 300 {
            if !frames.has_room() {
                frames.make_room().expect("below the limit");
            }
            frames.push(frame(frames.len(), code.as_ptr()));
        }
        assert!(!frames.has_room());
        let fault = frames.make_room().expect_err("at the limit");
        assert_eq!(fault.code, Code::StackOverflow);
        assert!(fault.message.contains("more than 300 frames"));
    }

    #[test]
    fn the_entry_frame_and_a_handler_frame_take_the_slow_return() {
        let code = [Instr::ReturnVoid {}; 3];
        let mut frames = Frames::new(frame(0, std::ptr::null()), 10);
        assert_eq!(frames.pop_to_caller(), None);
        frames.push(frame(5, code[1..].as_ptr()));
        frames.push(frame(9, code[2..].as_ptr()));
        frames.set_innermost_handler(Some(3));
        assert_eq!(frames.pop_to_caller(), None);
        assert_eq!(frames.len(), 3);
        frames.set_innermost_handler(Some(2));
        assert_eq!(frames.pop_to_caller(), Some((code[2..].as_ptr(), 5)));
        assert_eq!(frames.pop_to_caller(), None);
        frames.set_innermost_handler(None);
        assert_eq!(frames.pop_to_caller(), Some((code[1..].as_ptr(), 0)));
        assert_eq!(frames.pop_to_caller(), None);
        assert_eq!(frames.len(), 1);
    }
}
