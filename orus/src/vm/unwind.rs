//! `try` handlers and error unwinding.
//!
//! `PushTry` records a [`Handler`]: the depth of its frame, the pc of the `catch` code, the
//! register that receives the Error value and the frame's register base. Handlers form a
//! stack in `Vm::handlers`, innermost last; because a returning frame discards its own
//! handlers, every handler belongs to a live frame and the frames above the innermost
//! handler's frame have none. Every fault goes through [`Vm::raise`]: when it is catchable
//! (anything but an exhausted budget E0013, failed output E0015, an interrupt E0016 and
//! internal errors E9001) and a handler exists, the frames above the handler's frame are
//! popped and their registers cleared, the handler is popped, an Error value carrying the fault's code and message is stored in
//! its register, and the dispatch loop resumes at the handler's pc. Otherwise the fault
//! becomes the program's `RuntimeError`, with the call trace. Nothing is printed for a
//! caught error.

use super::frames::{self, NOT_A_HANDLE};
use super::{RuntimeError, Vm};
use crate::bytecode::{Instr, Reg};
use crate::diag::Code;
use crate::runtime::Fault;

/// One active `try`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Handler {
    /// `frames.len()` while its frame runs.
    depth: usize,
    /// Where the `catch` code starts.
    pc: usize,
    /// The register (of the handler's frame) that receives the Error value.
    dst: Reg,
    /// The register base of the handler's frame.
    base: usize,
}

impl Vm<'_, '_> {
    /// Installs a handler for the running frame (`PushTry`).
    pub(super) fn push_handler(&mut self, pc: usize, dst: Reg, base: usize) {
        self.handlers.push(Handler {
            depth: self.frames.len(),
            pc,
            dst,
            base,
        });
        self.handlers_changed();
    }

    /// Tells the frame stack the depth of the innermost handler's frame, whose return must
    /// drop its handlers (after every change to `handlers`).
    fn handlers_changed(&mut self) {
        self.frames
            .set_innermost_handler(self.handlers.last().map(|h| h.depth));
    }

    /// Removes the innermost handler (`PopTry`); false if the running frame has none.
    pub(super) fn pop_handler(&mut self) -> bool {
        match self.handlers.last() {
            Some(handler) if handler.depth == self.frames.len() => {
                self.handlers.pop();
                self.handlers_changed();
                true
            }
            _ => false,
        }
    }

    /// Pops the running frame when [`Frames::pop_to_caller`] would not: the entry frame
    /// (`None`: the run ends) or the frame of the innermost handler, whose handlers go
    /// (a `return` inside `try`). Returns where the caller resumes and its register base.
    ///
    /// [`Frames::pop_to_caller`]: super::frames::Frames::pop_to_caller
    #[cold]
    #[inline(never)]
    pub(super) fn leave_guarded(&mut self) -> Option<(*const Instr, usize)> {
        let frame = self.frames.pop()?;
        let depth = self.frames.len();
        while self.handlers.last().is_some_and(|h| h.depth > depth) {
            self.handlers.pop();
        }
        self.handlers_changed();
        if frame.ret_ip.is_null() {
            return None;
        }
        Some((frame.ret_ip, self.frames.last()?.base))
    }

    /// Raises `fault` at `pc` of the running frame. `Ok(pc)` when a handler caught it: the
    /// handler's frame is then the last one, to resume at that pc.
    #[cold]
    #[inline(never)]
    pub(super) fn raise(&mut self, pc: usize, fault: Fault) -> Result<usize, RuntimeError> {
        let catchable = !matches!(
            fault.code,
            Code::BudgetExhausted | Code::OutputFailed | Code::Interrupted | Code::Internal
        );
        let handler = match self.handlers.last() {
            Some(&handler) if catchable => handler,
            _ => return Err(self.error(pc, fault)),
        };
        self.handlers.pop();
        self.handlers_changed();
        // A re-thrown Error keeps where it was first raised.
        let origin = fault.origin.unwrap_or_else(|| {
            let func = self.frames.last().map_or(0, |f| f.func);
            (func, u32::try_from(pc).unwrap_or(u32::MAX))
        });
        // The registers of the frames unwound hold their values, which would stay roots
        // wherever the handler's frame later reuses a register as a reference: after a
        // caught out-of-memory, what the failed call built must be garbage at once. They
        // are filled with a value that is no handle (0 is one: the first object).
        if let (Some(first), Some(last)) = (self.frames.get(handler.depth), self.frames.last()) {
            let top = last.base + usize::from(self.program.functions[last.func as usize].num_regs);
            let end = top.min(self.regs.len());
            self.regs[first.base.min(end)..end].fill(NOT_A_HANDLE);
        }
        self.frames.truncate(handler.depth);
        let Fault { code, message, .. } = fault;
        match self.alloc_with(frames::NO_ROOTS, |heap| {
            heap.alloc_error(code, &message, origin)
        }) {
            Ok(error) => {
                self.regs[handler.base + usize::from(handler.dst)] = u64::from(error);
                Ok(handler.pc)
            }
            Err(fault) => Err(self.error(handler.pc, fault)),
        }
    }
}
