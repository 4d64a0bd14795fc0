//! The dispatch loop.
//!
//! One `match` on [`Instr`] per instruction. The instruction pointer, a pointer to the
//! running frame's `R[0]`, its register base and the remaining budget are locals, reloaded
//! only by calls, returns and caught errors; the pc (an index) is computed from the
//! instruction pointer only where an instruction or an error needs it. Operands are read
//! by truncation and results written in canonical form through the [`Slot`] trait, so a
//! typed arm is a load, an operation and a store: no tag checks, no allocation. Anything
//! that can fail calls into `runtime` and sends the fault to the `#[cold]` `Vm::raise`,
//! which either unwinds to the innermost `try` handler (see `unwind`) or records the call
//! trace. The budget is charged at calls, taken backward jumps and loop back-edges, and per
//! KiB a `print` formats.
//! The instruction fetch and the register accesses are the VM's only `unsafe` code: they
//! skip bounds checks because `verify` proved them in range (each block says which fact
//! it relies on; debug builds still assert). Table lookups (constants, globals, functions)
//! stay checked.
//!
//! The loop is monomorphised on three const parameters: `TRACE` (count loop telemetry, see
//! `trace`), `PLAIN` (every fast-path switch at its default) and `BUDGET` (an instruction
//! budget is set). The default run uses `dispatch::<false, true, false>`, in which every
//! `if TRACE`, every switch test and every budget charge is a constant, so it contains no
//! telemetry or budget code at all. The switches' alternative paths (checked generic range
//! steps and increments, validated bools, boxed range iterators, hoisted loop guards) are
//! in `trace` and `runtime::loops`.

use super::frames::{self, Frame, NO_CLOSURE};
use super::objects::Made;
use super::{RuntimeError, Vm};
use crate::bytecode::{Instr, Prim, ValType};
use crate::runtime::heap::Handle;
use crate::runtime::loops::{self, Step};
use crate::runtime::{arith, array, convert::convert, format, value, Fault};

/// A Rust type stored in a register: read by truncation, written canonically.
trait Slot: Copy {
    fn get(bits: u64) -> Self;
    fn put(self) -> u64;
}

impl Slot for i32 {
    #[inline(always)]
    fn get(bits: u64) -> i32 {
        bits as u32 as i32
    }
    #[inline(always)]
    fn put(self) -> u64 {
        i64::from(self) as u64
    }
}

impl Slot for i64 {
    #[inline(always)]
    fn get(bits: u64) -> i64 {
        bits as i64
    }
    #[inline(always)]
    fn put(self) -> u64 {
        self as u64
    }
}

impl Slot for u32 {
    #[inline(always)]
    fn get(bits: u64) -> u32 {
        bits as u32
    }
    #[inline(always)]
    fn put(self) -> u64 {
        u64::from(self)
    }
}

impl Slot for u64 {
    #[inline(always)]
    fn get(bits: u64) -> u64 {
        bits
    }
    #[inline(always)]
    fn put(self) -> u64 {
        self
    }
}

impl Slot for f64 {
    #[inline(always)]
    fn get(bits: u64) -> f64 {
        f64::from_bits(bits)
    }
    #[inline(always)]
    fn put(self) -> u64 {
        self.to_bits()
    }
}

impl Slot for bool {
    #[inline(always)]
    fn get(bits: u64) -> bool {
        bits != 0
    }
    #[inline(always)]
    fn put(self) -> u64 {
        u64::from(self)
    }
}

/// Whether a range loop whose index is `v` still runs: below `end` for an upward step,
/// above it for a downward one, `end` itself included when `inclusive`.
#[inline(always)]
fn in_range<T: PartialOrd + Default>(v: T, end: T, step: T, inclusive: bool) -> bool {
    if step > T::default() {
        v < end || (inclusive && v == end)
    } else {
        v > end || (inclusive && v == end)
    }
}

/// An integer type a range loop can count with.
trait RangeIndex: Slot + PartialOrd + Default {
    fn checked_step(self, step: Self) -> Option<Self>;
}

macro_rules! range_index {
    ($($t:ty),*) => {$(
        impl RangeIndex for $t {
            #[inline(always)]
            fn checked_step(self, step: $t) -> Option<$t> {
                self.checked_add(step)
            }
        }
    )*};
}
range_index!(i32, i64, u32, u64);

/// A range loop's entry or back-edge decision on slots (index, end, step, inclusive).
pub(super) type StepFn = fn(u64, u64, u64, bool) -> Step;

/// The typed entry test of a range loop over `T`, on slots.
fn typed_first<T: RangeIndex>(index: u64, end: u64, step: u64, inclusive: bool) -> Step {
    if in_range(T::get(index), T::get(end), T::get(step), inclusive) {
        Step::Next(index)
    } else {
        Step::Done
    }
}

/// The typed back-edge of a range loop over `T`, on slots.
fn typed_step<T: RangeIndex>(index: u64, end: u64, step: u64, inclusive: bool) -> Step {
    let step = T::get(step);
    match T::get(index).checked_step(step) {
        Some(next) if in_range(next, T::get(end), step, inclusive) => Step::Next(next.put()),
        Some(_) => Step::Done,
        None => Step::Overflow,
    }
}

impl Vm<'_, '_> {
    /// Whether the embedder asked the run to stop (and the request is taken).
    #[cold]
    #[inline(never)]
    fn interrupted(&self) -> bool {
        self.interruptible && super::INTERRUPT.swap(false, std::sync::atomic::Ordering::Relaxed)
    }

    /// Runs until the entry frame returns, in the dispatch loop the configuration needs.
    pub(super) fn execute(&mut self) -> Result<(), RuntimeError> {
        let limited = self.budget != u64::MAX || self.interruptible;
        match (
            self.tracing,
            self.paths == super::FastPaths::DEFAULT,
            limited,
        ) {
            (false, true, false) => self.dispatch::<false, true, false>(),
            (false, true, true) => self.dispatch::<false, true, true>(),
            (false, false, _) => self.dispatch::<false, false, true>(),
            (true, _, _) => self.dispatch::<true, false, true>(),
        }
    }

    /// The dispatch loop; see the module docs for `TRACE` and `PLAIN`.
    fn dispatch<const TRACE: bool, const PLAIN: bool, const BUDGET: bool>(
        &mut self,
    ) -> Result<(), RuntimeError> {
        let program = self.program;
        let top = *self.frames.last().expect("the entry frame");
        // The next instruction to run, the frame's register base and a pointer to its R[0].
        // `fp` is re-derived from the register file whenever the file may have grown
        // (calls) or the frame changed.
        let mut ip: *const Instr = program.functions[top.func as usize].code.as_ptr();
        let mut base = top.base;
        let mut fp: *mut u64 = self.regs.as_mut_ptr().wrapping_add(base);
        let mut budget = self.budget;

        // The pc of the next instruction (the running one is `pc!() - 1`); only for the
        // rare instructions and the error path that need it.
        macro_rules! pc {
            () => {{
                let running = self.frames.last().expect("a running frame");
                frames::pc_of(program, running.func, ip)
            }};
        }
        // SAFETY (the two register macros): `verify` checked every register operand of
        // every function against its `num_regs`, and while a frame runs the register file
        // holds at least `base + num_regs` slots (grown by each call, never shrunk), and
        // `fp` is `regs.as_mut_ptr() + base`, re-derived after every growth. `fp` comes
        // from `Vec::as_mut_ptr`, so other (safe) uses of `self.regs` do not invalidate it.
        macro_rules! reg {
            ($r:expr) => {{
                let r = usize::from($r);
                debug_assert!(base + r < self.regs.len());
                // SAFETY: see above.
                unsafe { *fp.add(r) }
            }};
        }
        macro_rules! put {
            ($r:expr, $bits:expr) => {{
                let bits: u64 = $bits;
                let r = usize::from($r);
                debug_assert!(base + r < self.regs.len());
                // SAFETY: see above.
                unsafe { *fp.add(r) = bits }
            }};
        }
        macro_rules! get {
            ($t:ty, $r:expr) => {
                <$t as Slot>::get(reg!($r))
            };
        }
        macro_rules! set {
            ($r:expr, $v:expr) => {
                put!($r, Slot::put($v))
            };
        }
        // Raises a fault at the current instruction: leaves the dispatch loop (arms contain
        // no loops of their own) for the one place that raises it, below.
        macro_rules! fail {
            ($fault:expr) => {
                break $fault
            };
        }
        // Makes sure the frame stack has room for a call's frame; E0005 at the depth limit.
        macro_rules! frame_room {
            () => {
                if !self.frames.has_room() {
                    if let Err(fault) = self.frames.make_room() {
                        fail!(fault);
                    }
                }
            };
        }
        // Pushes a frame for `functions[func]` at R[args] and starts running it; after
        // `frame_room!`.
        macro_rules! enter {
            ($func:expr, $callee:expr, $args:expr, $closure:expr) => {{
                let func: u32 = $func;
                let args = usize::from($args);
                let callee: frames::Callee = $callee;
                let callee_base = base + args;
                let needed = callee_base + callee.num_regs as usize;
                if self.regs.len() < needed {
                    if !self.grow_registers(needed) {
                        fail!(frames::registers_exhausted());
                    }
                    fp = self.regs.as_mut_ptr().wrapping_add(base);
                }
                self.frames.push(Frame {
                    func,
                    closure: $closure,
                    base: callee_base,
                    ret_ip: ip,
                });
                ip = callee.code;
                base = callee_base;
                fp = fp.wrapping_add(args);
            }};
        }
        // Pops the running frame and resumes its caller; ends the run after the entry frame.
        macro_rules! leave {
            () => {{
                let (ret_ip, caller_base) = match self.frames.pop_to_caller() {
                    Some(caller) => caller,
                    None => match self.leave_guarded() {
                        Some(caller) => caller,
                        None => return Ok(()),
                    },
                };
                ip = ret_ip;
                base = caller_base;
                fp = self.regs.as_mut_ptr().wrapping_add(base);
            }};
        }
        // Stores the handle an allocation produced, or raises its fault.
        macro_rules! alloc {
            ($dst:expr, $result:expr) => {
                match $result {
                    Ok(handle) => put!($dst, u64::from(handle)),
                    Err(fault) => fail!(fault),
                }
            };
        }
        macro_rules! bin {
            ($t:ty, $dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = get!($t, $a);
                let $y = get!($t, $b);
                set!($dst, $e);
            }};
        }
        macro_rules! checked {
            ($t:ty, $dst:expr, $a:expr, $b:expr, $f:path) => {
                match $f(get!($t, $a), get!($t, $b)) {
                    Ok(v) => set!($dst, v),
                    Err(fault) => fail!(fault),
                }
            };
        }
        macro_rules! checked_imm {
            ($dst:expr, $a:expr, $imm:expr, $f:path) => {
                match $f(get!(i32, $a), $imm) {
                    Ok(v) => set!($dst, v),
                    Err(fault) => fail!(fault),
                }
            };
        }
        macro_rules! charge {
            () => {
                if BUDGET {
                    if budget == 0 {
                        fail!(frames::budget_exhausted());
                    }
                    budget -= 1;
                    if budget & 0xFFFF == 0 && self.interrupted() {
                        fail!(frames::interrupted());
                    }
                }
            };
        }
        macro_rules! jump {
            ($offset:expr) => {{
                let offset: i32 = $offset;
                if offset < 0 {
                    charge!();
                }
                ip = ip.wrapping_offset(offset as isize);
            }};
        }
        // A conditional jump on the bool slot `$bits`, taken when it is `$when`.
        macro_rules! branch {
            ($bits:expr, $when:expr, $offset:expr) => {{
                let bits: u64 = $bits;
                let truth = if PLAIN || self.paths.bool_branch {
                    bits != 0
                } else {
                    match loops::checked_bool(bits) {
                        Ok(truth) => truth,
                        Err(fault) => fail!(fault),
                    }
                };
                if TRACE {
                    self.note_branch(pc!() - 1);
                }
                if truth == $when {
                    jump!($offset);
                }
            }};
        }
        // A fused compare-and-branch: taken when the comparison is `$when`. With the bool
        // fast path off, the comparison's bool goes through the same validation as a
        // `JumpIfFalse` condition.
        macro_rules! branch_if {
            ($cmp:expr, $when:expr, $offset:expr) => {{
                let cmp: bool = $cmp;
                if PLAIN || (self.paths.bool_branch && !TRACE) {
                    if cmp == $when {
                        jump!($offset);
                    }
                } else {
                    branch!(u64::from(cmp), $when, $offset)
                }
            }};
        }
        macro_rules! branch_unless {
            ($cmp:expr, $offset:expr) => {
                branch_if!($cmp, false, $offset)
            };
        }
        // Range loops: the typed fast path inline; with a switch off, `trace`'s paths.
        macro_rules! for_prep {
            ($t:ty, $kind:expr, $b:expr, $inclusive:expr, $offset:expr) => {{
                let i = usize::from($b);
                if PLAIN || self.fast_ranges {
                    let (index, end, step) = (get!($t, i), get!($t, i + 1), get!($t, i + 2));
                    if step == <$t>::default() {
                        fail!(frames::zero_step());
                    }
                    if TRACE {
                        self.trace.iter_alloc_saved += 1;
                    }
                    if !in_range(index, end, step, $inclusive) {
                        if TRACE {
                            self.trace.typed_miss += 1;
                        }
                        jump!($offset);
                    } else if TRACE {
                        self.trace.typed_hit += 1;
                    }
                } else {
                    let typed: StepFn = typed_first::<$t>;
                    match self.range_prep::<TRACE>($kind, typed, base + i, $inclusive) {
                        Ok(true) => {}
                        Ok(false) => jump!($offset),
                        Err(fault) => fail!(fault),
                    }
                }
            }};
        }
        macro_rules! for_loop {
            // `$step` is the step register's value, or the constant 1 it is known to hold.
            ($t:ty, $kind:expr, $b:expr, $inclusive:expr, $offset:expr, $step:expr) => {{
                let i = usize::from($b);
                if PLAIN || self.fast_ranges {
                    let (index, end, step): ($t, $t, $t) = (get!($t, i), get!($t, i + 1), $step);
                    // One copy of the test per flag value, so each is a single comparison.
                    let next = index.checked_add(step);
                    let running = match next {
                        Some(next) if $inclusive => in_range(next, end, step, true),
                        Some(next) => in_range(next, end, step, false),
                        None => false,
                    };
                    if running {
                        set!(i, next.unwrap_or_default());
                        if TRACE {
                            self.trace.typed_hit += 1;
                        }
                        charge!();
                        ip = ip.wrapping_offset($offset as isize);
                    } else if TRACE {
                        self.trace.typed_miss += 1;
                        if next.is_none() {
                            self.trace.boxed_overflow_guard += 1;
                        }
                    }
                } else {
                    let typed: StepFn = typed_step::<$t>;
                    if self.range_loop::<TRACE>($kind, typed, base + i, $inclusive) {
                        charge!();
                        ip = ip.wrapping_offset($offset as isize);
                    }
                }
            }};
        }
        // Counts an array-loop iteration begun (`true`) or the loop's exit (`false`).
        macro_rules! note_each {
            ($begun:expr) => {
                if TRACE {
                    if $begun && self.paths.inc_typed {
                        self.trace.typed_hit += 1;
                    } else {
                        self.trace.typed_miss += 1;
                    }
                }
            };
        }
        macro_rules! string {
            ($bits:expr) => {
                self.heap.get_str($bits as Handle)
            };
        }

        loop {
            let fault: Fault = loop {
                debug_assert!(
                    pc!()
                        < program.functions[self.frames.last().unwrap().func as usize]
                            .code
                            .len()
                );
                // SAFETY: `verify` checked that every function's code is non-empty and ends in
                // an unconditional jump or return, that every jump and every `try` handler
                // lands inside the function, and a return resumes just after a `Call` or
                // `CallValue`, which is never last: so `ip` always points into `code`.
                let instr = unsafe { &*ip };
                ip = ip.wrapping_add(1);
                match *instr {
                    // ---- moves and constants ----
                    Instr::Move { dst, src } => put!(dst, reg!(src)),
                    Instr::LoadInt { dst, value } => set!(dst, value),
                    Instr::LoadConst { dst, index } => put!(dst, program.consts[index as usize]),
                    Instr::LoadStr { dst, index } => put!(dst, u64::from(index)),
                    Instr::GetGlobal { dst, index } => put!(dst, self.globals[index as usize]),
                    Instr::SetGlobal { index, src } => self.globals[index as usize] = reg!(src),

                    // ---- i32 ----
                    Instr::AddI32 { dst, a, b } => bin!(i32, dst, a, b, |x, y| x.wrapping_add(y)),
                    Instr::AddI32Imm { dst, a, imm } => {
                        let x = get!(i32, a);
                        if PLAIN || self.paths.inc_typed {
                            if TRACE && x.checked_add(imm).is_none() {
                                self.trace.inc_overflow_bailouts += 1;
                            }
                            set!(dst, x.wrapping_add(imm));
                        } else {
                            let (v, wrapped) = loops::add_i32_imm(x, imm);
                            if TRACE && wrapped {
                                self.trace.inc_overflow_bailouts += 1;
                            }
                            set!(dst, v);
                        }
                    }
                    Instr::SubI32 { dst, a, b } => bin!(i32, dst, a, b, |x, y| x.wrapping_sub(y)),
                    Instr::MulI32 { dst, a, b } => bin!(i32, dst, a, b, |x, y| x.wrapping_mul(y)),
                    Instr::DivI32 { dst, a, b } => checked!(i32, dst, a, b, arith::div_i32),
                    Instr::RemI32 { dst, a, b } => checked!(i32, dst, a, b, arith::rem_i32),
                    Instr::NegI32 { dst, src } => match arith::neg_i32(get!(i32, src)) {
                        Ok(v) => set!(dst, v),
                        Err(fault) => fail!(fault),
                    },
                    Instr::MulI32Imm { dst, a, imm } => set!(dst, get!(i32, a).wrapping_mul(imm)),
                    Instr::DivI32Imm { dst, a, imm } => checked_imm!(dst, a, imm, arith::div_i32),
                    Instr::RemI32Imm { dst, a, imm } => checked_imm!(dst, a, imm, arith::rem_i32),

                    // ---- i64 ----
                    Instr::AddI64 { dst, a, b } => bin!(i64, dst, a, b, |x, y| x.wrapping_add(y)),
                    Instr::SubI64 { dst, a, b } => bin!(i64, dst, a, b, |x, y| x.wrapping_sub(y)),
                    Instr::MulI64 { dst, a, b } => bin!(i64, dst, a, b, |x, y| x.wrapping_mul(y)),
                    Instr::DivI64 { dst, a, b } => checked!(i64, dst, a, b, arith::div_i64),
                    Instr::RemI64 { dst, a, b } => checked!(i64, dst, a, b, arith::rem_i64),
                    Instr::NegI64 { dst, src } => match arith::neg_i64(get!(i64, src)) {
                        Ok(v) => set!(dst, v),
                        Err(fault) => fail!(fault),
                    },

                    // ---- u32 ----
                    Instr::AddU32 { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_add(y)),
                    Instr::SubU32 { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_sub(y)),
                    Instr::MulU32 { dst, a, b } => bin!(u32, dst, a, b, |x, y| x.wrapping_mul(y)),
                    Instr::DivU32 { dst, a, b } => checked!(u32, dst, a, b, arith::div_u32),
                    Instr::RemU32 { dst, a, b } => checked!(u32, dst, a, b, arith::rem_u32),

                    // ---- u64 ----
                    Instr::AddU64 { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_add(y)),
                    Instr::SubU64 { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_sub(y)),
                    Instr::MulU64 { dst, a, b } => bin!(u64, dst, a, b, |x, y| x.wrapping_mul(y)),
                    Instr::DivU64 { dst, a, b } => checked!(u64, dst, a, b, arith::div_u64),
                    Instr::RemU64 { dst, a, b } => checked!(u64, dst, a, b, arith::rem_u64),

                    // ---- f64 ----
                    Instr::AddF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x + y),
                    Instr::SubF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x - y),
                    Instr::MulF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x * y),
                    Instr::DivF64 { dst, a, b } => checked!(f64, dst, a, b, arith::div_f64),
                    Instr::RemF64 { dst, a, b } => checked!(f64, dst, a, b, arith::rem_f64),
                    Instr::NegF64 { dst, src } => set!(dst, -get!(f64, src)),

                    // ---- comparisons ----
                    Instr::EqInt { dst, a, b } => bin!(u64, dst, a, b, |x, y| x == y),
                    Instr::NeInt { dst, a, b } => bin!(u64, dst, a, b, |x, y| x != y),
                    Instr::LtI32 { dst, a, b } => bin!(i32, dst, a, b, |x, y| x < y),
                    Instr::LeI32 { dst, a, b } => bin!(i32, dst, a, b, |x, y| x <= y),
                    Instr::LtI64 { dst, a, b } => bin!(i64, dst, a, b, |x, y| x < y),
                    Instr::LeI64 { dst, a, b } => bin!(i64, dst, a, b, |x, y| x <= y),
                    Instr::LtU32 { dst, a, b } => bin!(u32, dst, a, b, |x, y| x < y),
                    Instr::LeU32 { dst, a, b } => bin!(u32, dst, a, b, |x, y| x <= y),
                    Instr::LtU64 { dst, a, b } => bin!(u64, dst, a, b, |x, y| x < y),
                    Instr::LeU64 { dst, a, b } => bin!(u64, dst, a, b, |x, y| x <= y),
                    Instr::EqF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x == y),
                    Instr::NeF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x != y),
                    Instr::LtF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x < y),
                    Instr::LeF64 { dst, a, b } => bin!(f64, dst, a, b, |x, y| x <= y),
                    Instr::EqStr { dst, a, b } => {
                        let same = self.heap.str_eq(reg!(a) as Handle, reg!(b) as Handle);
                        set!(dst, same);
                    }
                    Instr::NeStr { dst, a, b } => {
                        let same = self.heap.str_eq(reg!(a) as Handle, reg!(b) as Handle);
                        set!(dst, !same);
                    }
                    Instr::LtStr { dst, a, b } => {
                        let order = self.heap.str_cmp(reg!(a) as Handle, reg!(b) as Handle);
                        set!(dst, order.is_lt());
                    }
                    Instr::LeStr { dst, a, b } => {
                        let order = self.heap.str_cmp(reg!(a) as Handle, reg!(b) as Handle);
                        set!(dst, order.is_le());
                    }

                    // ---- logic and bits ----
                    Instr::Not { dst, src } => set!(dst, !get!(bool, src)),
                    Instr::BitAnd { dst, a, b } => bin!(u64, dst, a, b, |x, y| x & y),
                    Instr::BitOr { dst, a, b } => bin!(u64, dst, a, b, |x, y| x | y),
                    Instr::BitXor { dst, a, b } => bin!(u64, dst, a, b, |x, y| x ^ y),
                    Instr::BitNot { dst, src } => set!(dst, !get!(u64, src)),
                    Instr::BitNotU32 { dst, src } => set!(dst, !get!(u32, src)),
                    Instr::ShlI32 { dst, a, b } => checked!(i32, dst, a, b, arith::shl_i32),
                    Instr::ShrI32 { dst, a, b } => checked!(i32, dst, a, b, arith::shr_i32),
                    Instr::ShlI64 { dst, a, b } => checked!(i64, dst, a, b, arith::shl_i64),
                    Instr::ShrI64 { dst, a, b } => checked!(i64, dst, a, b, arith::shr_i64),
                    Instr::ShlU32 { dst, a, b } => checked!(u32, dst, a, b, arith::shl_u32),
                    Instr::ShrU32 { dst, a, b } => checked!(u32, dst, a, b, arith::shr_u32),
                    Instr::ShlU64 { dst, a, b } => checked!(u64, dst, a, b, arith::shl_u64),
                    Instr::ShrU64 { dst, a, b } => checked!(u64, dst, a, b, arith::shr_u64),
                    Instr::BitAndImm { dst, a, imm } => put!(dst, reg!(a) & sign_extend(imm)),
                    Instr::BitOrImm { dst, a, imm } => put!(dst, reg!(a) | sign_extend(imm)),
                    Instr::BitXorImm { dst, a, imm } => put!(dst, reg!(a) ^ sign_extend(imm)),
                    Instr::ShlI32Imm { dst, a, imm } => checked_imm!(dst, a, imm, arith::shl_i32),
                    Instr::ShrI32Imm { dst, a, imm } => checked_imm!(dst, a, imm, arith::shr_i32),

                    // ---- conversions and strings ----
                    Instr::Convert { dst, src, from, to } => {
                        let bits = reg!(src);
                        // The common infallible casts inline; the rest in `runtime::convert`.
                        match (from, to) {
                            (Prim::I32, Prim::I64) => put!(dst, bits),
                            (Prim::I32, Prim::F64) => set!(dst, f64::from(get!(i32, src))),
                            (Prim::I64, Prim::I32) => set!(dst, bits as i64 as i32),
                            (Prim::I64, Prim::F64) => set!(dst, bits as i64 as f64),
                            // Registers hold `i32` sign-extended: non-negative bits are the value.
                            (Prim::I32 | Prim::I64, Prim::U64) if (bits as i64) >= 0 => {
                                put!(dst, bits)
                            }
                            // In range, an unsigned value's bits are the target's: `u32`
                            // is zero-extended, and a non-negative `i32` sign-extends to
                            // the same bits.
                            (Prim::U64, Prim::I32) if bits <= i32::MAX as u64 => put!(dst, bits),
                            (Prim::U64, Prim::I64) if bits <= i64::MAX as u64 => put!(dst, bits),
                            (Prim::U32, Prim::I64 | Prim::U64) => put!(dst, bits),
                            _ => match convert(from, to, bits) {
                                Ok(bits) => put!(dst, bits),
                                Err(fault) => fail!(fault),
                            },
                        }
                    }
                    Instr::ToStr { dst, src, ty } => {
                        let bits = reg!(src);
                        let ty = &program.types[ty as usize];
                        let mut digits = [0; 20];
                        // `format::integer_digits` spelled out: calling it here changed the
                        // dispatch loop's code layout and cost `structs` 25 % in wall time.
                        let int = match ty {
                            ValType::I32 => {
                                Some(format::int_digits(&mut digits, bits as u32 as i32 as i64))
                            }
                            ValType::I64 => Some(format::int_digits(&mut digits, bits as i64)),
                            ValType::U32 => {
                                Some(format::uint_digits(&mut digits, bits as u32 as u64))
                            }
                            ValType::U64 => Some(format::uint_digits(&mut digits, bits)),
                            _ => None,
                        };
                        if *ty == ValType::Str {
                            put!(dst, bits);
                        } else if let Some(text) = int {
                            // Integers are formatted in place: no scratch buffer.
                            match self.alloc_with(frames::NO_ROOTS, |heap| heap.alloc_str(text)) {
                                Ok(handle) => put!(dst, u64::from(handle)),
                                Err(fault) => fail!(fault),
                            }
                        } else {
                            let mut text = std::mem::take(&mut self.scratch);
                            text.clear();
                            let room = self.heap.string_room();
                            let within = &mut |text: &mut Vec<u8>| text.len() <= room;
                            let whole = format::format_value(
                                &mut text, bits, ty, &self.heap, program, within,
                            );
                            let result = if whole {
                                self.alloc_with(frames::NO_ROOTS, |heap| heap.alloc_str(&text))
                            } else {
                                Err(crate::runtime::heap::out_of_memory("string too large"))
                            };
                            self.scratch = text;
                            match result {
                                Ok(handle) => put!(dst, u64::from(handle)),
                                Err(fault) => fail!(fault),
                            }
                        }
                    }
                    Instr::Concat { dst, a, b } => {
                        let result = self.concat_two(reg!(a), reg!(b));
                        alloc!(dst, result);
                    }

                    Instr::ConcatN {
                        dst,
                        base: first,
                        count,
                    } => {
                        let start = base + usize::from(first);
                        let result = self.concat_strings(start..start + usize::from(count));
                        alloc!(dst, result);
                    }

                    Instr::ConcatFmt {
                        dst,
                        base: first,
                        count,
                        format,
                    } => {
                        let start = base + usize::from(first);
                        let parts = start..start + usize::from(count);
                        let result = self.concat_formatted(parts, format);
                        alloc!(dst, result);
                    }

                    // ---- arrays and string access ----
                    Instr::NewArray {
                        dst,
                        base: first,
                        count,
                        elem_ref,
                    } => {
                        let start = base + usize::from(first);
                        let elems = start..start + usize::from(count);
                        let made = if elem_ref {
                            self.alloc_from_regs(frames::NO_ROOTS, elems, |heap, elems| {
                                heap.alloc_array(elems, true)
                            })
                        } else {
                            self.new_plain_array(elems)
                        };
                        match made {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
                    }
                    // A negative index slot reads as a huge `usize`: one bounds check finds
                    // both faults (`array::element`).
                    Instr::ArrayGet { dst, arr, index } => {
                        let elems = self.heap.array(reg!(arr) as Handle);
                        let i = reg!(index);
                        match usize::try_from(i).ok().and_then(|i| elems.get(i)) {
                            Some(&value) => put!(dst, value),
                            None => fail!(array::element_fault(i, elems.len())),
                        }
                    }
                    Instr::ArraySet { arr, index, src } => {
                        let (i, value) = (reg!(index), reg!(src));
                        let elems = self.heap.array_mut(reg!(arr) as Handle);
                        let len = elems.len();
                        match usize::try_from(i).ok().and_then(|i| elems.get_mut(i)) {
                            Some(slot) => *slot = value,
                            None => fail!(array::element_fault(i, len)),
                        }
                    }
                    Instr::ArrayLen { dst, arr } => {
                        // The heap keeps every array's length within i32.
                        let len = self.heap.array(reg!(arr) as Handle).len();
                        set!(dst, len as i32);
                    }
                    Instr::ArrayPush { arr, src } => {
                        let (a, value) = (reg!(arr), reg!(src));
                        // Only a push that grows the array allocates (and may collect).
                        if !self.heap.push_within_capacity(a as Handle, value) {
                            if let Err(fault) = self.push_growing(a, value) {
                                fail!(fault);
                            }
                        }
                    }
                    Instr::ArrayPop { dst, arr } => {
                        match self.heap.array_pop(reg!(arr) as Handle) {
                            Some(value) => put!(dst, value),
                            None => fail!(array::pop_empty()),
                        }
                    }
                    Instr::ArraySlice {
                        dst,
                        arr,
                        start,
                        end,
                        has_start,
                        has_end,
                    } => {
                        let a = reg!(arr);
                        let start = if has_start { Some(reg!(start)) } else { None };
                        let end = if has_end { Some(reg!(end)) } else { None };
                        let len = self.heap.array(a as Handle).len();
                        let range = match array::slice_range(len, start, end) {
                            Ok(range) => range,
                            Err(fault) => fail!(fault),
                        };
                        match self.alloc_with([a, frames::NOT_A_HANDLE], |heap| {
                            heap.slice_array(a as Handle, range.clone())
                        }) {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::StrLen { dst, s } => {
                        // The heap keeps every string's length within i32.
                        let len = self.heap.str_len(reg!(s) as Handle);
                        set!(dst, len as i32);
                    }
                    Instr::StrIndex { dst, s, index } => {
                        let bytes = string!(reg!(s));
                        let byte = match array::byte(reg!(index), bytes.len()) {
                            Ok(i) => bytes[i],
                            Err(fault) => fail!(fault),
                        };
                        // Each one-byte string is made once; only the first needs the
                        // allocation path.
                        let made = match self.heap.byte_str_made(byte) {
                            Some(handle) => Ok(handle),
                            None => self.alloc_with(frames::NO_ROOTS, |heap| heap.byte_str(byte)),
                        };
                        match made {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::StrByte { dst, s, index } => {
                        let bytes = string!(reg!(s));
                        match array::byte(reg!(index), bytes.len()) {
                            Ok(i) => set!(dst, i32::from(bytes[i])),
                            Err(fault) => fail!(fault),
                        }
                    }

                    // ---- structs, enums, closures ----
                    Instr::NewStruct {
                        dst,
                        base: first,
                        count,
                        layout,
                    } => {
                        let start = base + usize::from(first);
                        let fields = start..start + usize::from(count);
                        alloc!(dst, self.new_object(Made::Struct(layout), fields))
                    }
                    Instr::GetField { dst, obj, field } => {
                        put!(dst, self.heap.field(reg!(obj) as Handle, field))
                    }
                    Instr::SetField { obj, field, src } => {
                        let value = reg!(src);
                        self.heap.set_field(reg!(obj) as Handle, field, value);
                    }
                    Instr::NewEnum {
                        dst,
                        base: first,
                        count,
                        variant,
                        layout,
                    } => {
                        let start = base + usize::from(first);
                        let payload = start..start + usize::from(count);
                        alloc!(dst, self.new_enum(u32::from(layout), variant, payload))
                    }
                    Instr::EnumTag { dst, obj } => {
                        let (_, variant, _) = self.heap.enum_value(reg!(obj) as Handle);
                        set!(dst, i32::from(variant));
                    }
                    Instr::EnumPayload { dst, obj, index } => {
                        let (_, _, payload) = self.heap.enum_value(reg!(obj) as Handle);
                        put!(dst, payload[usize::from(index)]);
                    }
                    Instr::EqValue { dst, a, b, ty } => {
                        let ty = &program.types[ty as usize];
                        // Under a budget, 1024 pairs compared cost one unit.
                        let allowance = if BUDGET {
                            budget.saturating_mul(1024)
                        } else {
                            u64::MAX
                        };
                        let mut steps = allowance;
                        let (x, y) = (reg!(a), reg!(b));
                        match value::values_equal(x, y, ty, &self.heap, program, &mut steps) {
                            Some(equal) => {
                                if BUDGET {
                                    budget -= (allowance - steps) >> 10;
                                }
                                set!(dst, equal);
                            }
                            None => fail!(frames::budget_exhausted()),
                        }
                    }
                    Instr::NewCell { dst, src } => alloc!(dst, self.new_cell(reg!(src))),
                    Instr::GetCell { dst, cell } => put!(dst, self.heap.cell(reg!(cell) as Handle)),
                    Instr::SetCell { cell, src } => {
                        let value = reg!(src);
                        self.heap.set_cell(reg!(cell) as Handle, value);
                    }
                    Instr::MakeClosure {
                        dst,
                        func,
                        base: first,
                        count,
                    } => {
                        // A function used as a value, without captures, is made once.
                        if let Some(handle) = self.heap.plain_closure(func) {
                            put!(dst, u64::from(handle));
                            continue;
                        }
                        let start = base + usize::from(first);
                        let captures = start..start + usize::from(count);
                        alloc!(dst, self.new_object(Made::Closure(func), captures))
                    }
                    Instr::GetCapture { dst, index } => {
                        let closure = self.frames.last().map_or(NO_CLOSURE, |f| f.closure);
                        match self.heap.capture(closure, index) {
                            Some(value) => put!(dst, value),
                            None => fail!(frames::no_capture(index)),
                        }
                    }
                    Instr::GetCaptured { dst, index } => {
                        let closure = self.frames.last().map_or(NO_CLOSURE, |f| f.closure);
                        match self.heap.capture(closure, index) {
                            Some(cell) => put!(dst, self.heap.cell(cell as Handle)),
                            None => fail!(frames::no_capture(index)),
                        }
                    }
                    Instr::SetCaptured { index, src } => {
                        let closure = self.frames.last().map_or(NO_CLOSURE, |f| f.closure);
                        match self.heap.capture(closure, index) {
                            Some(cell) => self.heap.set_cell(cell as Handle, reg!(src)),
                            None => fail!(frames::no_capture(index)),
                        }
                    }

                    // ---- errors ----
                    Instr::PushTry { dst, offset } => {
                        let target = pc!().wrapping_add_signed(offset as isize);
                        self.push_handler(target, dst, base);
                    }
                    Instr::PopTry {} => {
                        if !self.pop_handler() {
                            fail!(frames::no_handler());
                        }
                    }
                    Instr::ThrowStr { src } => fail!(self.thrown(reg!(src))),
                    Instr::Rethrow { src } => fail!(self.rethrown(reg!(src))),

                    // ---- control flow ----
                    Instr::Jump { offset } => jump!(offset),
                    Instr::JumpTable { src, count, base } => {
                        // Forward only; the verifier checked that all `count + 1`
                        // landing places exist. Below `base` wraps to a large `t`.
                        let step = (reg!(src) as u32)
                            .wrapping_sub(base as u32)
                            .min(u32::from(count));
                        ip = ip.wrapping_add(step as usize);
                    }
                    Instr::JumpIfFalse { cond, offset } => branch!(reg!(cond), false, offset),
                    Instr::JumpIfTrue { cond, offset } => branch!(reg!(cond), true, offset),
                    Instr::JumpIfNotEq { a, b, offset } => {
                        branch_unless!(reg!(a) == reg!(b), offset)
                    }
                    Instr::JumpIfNotNe { a, b, offset } => {
                        branch_unless!(reg!(a) != reg!(b), offset)
                    }
                    Instr::JumpIfNotEqImm { a, imm, offset } => {
                        branch_unless!(reg!(a) == sign_extend(imm), offset)
                    }
                    Instr::JumpIfNotNeImm { a, imm, offset } => {
                        branch_unless!(reg!(a) != sign_extend(imm), offset)
                    }
                    Instr::JumpIfNotLtI32 { a, b, offset } => {
                        branch_unless!(get!(i32, a) < get!(i32, b), offset)
                    }
                    Instr::JumpIfNotLeI32 { a, b, offset } => {
                        branch_unless!(get!(i32, a) <= get!(i32, b), offset)
                    }
                    Instr::JumpIfNotLtI32Imm { a, imm, offset } => {
                        branch_unless!(get!(i32, a) < imm, offset)
                    }
                    Instr::JumpIfNotLeI32Imm { a, imm, offset } => {
                        branch_unless!(get!(i32, a) <= imm, offset)
                    }
                    Instr::JumpIfNotGtI32Imm { a, imm, offset } => {
                        branch_unless!(get!(i32, a) > imm, offset)
                    }
                    Instr::JumpIfNotGeI32Imm { a, imm, offset } => {
                        branch_unless!(get!(i32, a) >= imm, offset)
                    }
                    Instr::JumpIfNotLtI64 { a, b, offset } => {
                        branch_unless!(get!(i64, a) < get!(i64, b), offset)
                    }
                    Instr::JumpIfNotLeI64 { a, b, offset } => {
                        branch_unless!(get!(i64, a) <= get!(i64, b), offset)
                    }
                    Instr::JumpIfNotLtF64 { a, b, offset } => {
                        branch_unless!(get!(f64, a) < get!(f64, b), offset)
                    }
                    Instr::JumpIfNotLeF64 { a, b, offset } => {
                        branch_unless!(get!(f64, a) <= get!(f64, b), offset)
                    }
                    Instr::JumpIfLtF64 { a, b, offset } => {
                        branch_if!(get!(f64, a) < get!(f64, b), true, offset)
                    }
                    Instr::JumpIfLeF64 { a, b, offset } => {
                        branch_if!(get!(f64, a) <= get!(f64, b), true, offset)
                    }
                    Instr::ForPrepI32 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_prep!(i32, Prim::I32, b, inclusive, offset)
                    }
                    Instr::ForLoopI32 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(
                            i32,
                            Prim::I32,
                            b,
                            inclusive,
                            offset,
                            get!(i32, usize::from(b) + 2)
                        )
                    }
                    Instr::ForLoopI32Step1 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(i32, Prim::I32, b, inclusive, offset, 1)
                    }
                    Instr::ForLoopI64Step1 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(i64, Prim::I64, b, inclusive, offset, 1)
                    }
                    Instr::ForPrepI64 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_prep!(i64, Prim::I64, b, inclusive, offset)
                    }
                    Instr::ForLoopI64 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(
                            i64,
                            Prim::I64,
                            b,
                            inclusive,
                            offset,
                            get!(i64, usize::from(b) + 2)
                        )
                    }
                    Instr::ForPrepU32 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_prep!(u32, Prim::U32, b, inclusive, offset)
                    }
                    Instr::ForLoopU32 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(
                            u32,
                            Prim::U32,
                            b,
                            inclusive,
                            offset,
                            get!(u32, usize::from(b) + 2)
                        )
                    }
                    Instr::ForPrepU64 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_prep!(u64, Prim::U64, b, inclusive, offset)
                    }
                    Instr::ForLoopU64 {
                        base: b,
                        inclusive,
                        offset,
                    } => {
                        for_loop!(
                            u64,
                            Prim::U64,
                            b,
                            inclusive,
                            offset,
                            get!(u64, usize::from(b) + 2)
                        )
                    }
                    Instr::ForEachPrep { base: b, offset } => {
                        let b = usize::from(b);
                        if TRACE {
                            self.trace.iter_alloc_saved += 1;
                        }
                        match self.heap.array(reg!(b) as Handle).first() {
                            Some(&first) => {
                                put!(b + 1, 0);
                                put!(b + 2, first);
                                note_each!(true);
                            }
                            None => {
                                note_each!(false);
                                jump!(offset);
                            }
                        }
                    }
                    Instr::ForEachNext { base: b, offset } => {
                        let b = usize::from(b);
                        let index = get!(i32, b + 1);
                        let next = if PLAIN || self.paths.inc_typed {
                            if TRACE && index == i32::MAX {
                                self.trace.inc_overflow_bailouts += 1;
                            }
                            index.wrapping_add(1)
                        } else {
                            let (next, wrapped) = loops::add_i32_imm(index, 1);
                            if TRACE && wrapped {
                                self.trace.inc_overflow_bailouts += 1;
                            }
                            next
                        };
                        set!(b + 1, next);
                        let elems = self.heap.array(reg!(b) as Handle);
                        match usize::try_from(next).ok().and_then(|i| elems.get(i)) {
                            Some(&item) => {
                                put!(b + 2, item);
                                note_each!(true);
                                charge!();
                                ip = ip.wrapping_offset(offset as isize);
                            }
                            None => note_each!(false),
                        }
                    }

                    // ---- calls ----
                    Instr::Call { func, base: args } => {
                        charge!();
                        frame_room!();
                        debug_assert!((func as usize) < self.callees.len());
                        // SAFETY: `verify` checked that a `Call` names a function of the
                        // program, and `callees` has one entry per function.
                        let callee = unsafe { *self.callees.get_unchecked(func as usize) };
                        enter!(func, callee, args, NO_CLOSURE);
                    }
                    Instr::CallValue {
                        callee,
                        base: args,
                        arity,
                    } => {
                        charge!();
                        frame_room!();
                        let handle = reg!(callee) as Handle;
                        let func = self.heap.closure_func(handle);
                        // `verify` checked the stated arity against the caller's frame; the
                        // callee is known only now.
                        let callee = self.callees[func as usize];
                        if callee.arity != arity {
                            fail!(frames::bad_call_value(func, callee.arity, arity));
                        }
                        enter!(func, callee, args, handle);
                    }
                    Instr::Return { src } => {
                        // The callee's R[0] is the caller's R[args]; it exists because
                        // `src` is a register of the callee.
                        put!(0u16, reg!(src));
                        leave!();
                    }
                    Instr::ReturnVoid {} => leave!(),

                    // ---- built-ins ----
                    Instr::Print {
                        base: args,
                        count,
                        format,
                    } => {
                        let start = base + usize::from(args);
                        let slots = &self.regs[start..start + usize::from(count)];
                        self.scratch.clear();
                        // Under a budget, output is charged too, one unit per KiB: a loop
                        // that prints an array it grows did quadratic work on a budget of
                        // back-edges and ran for minutes (found by the `vm` fuzzer).
                        // A failed write (a full disk) ends the program with E0015, as
                        // Python's print raises. Long output is written as it is formatted.
                        let writer = &mut self.out;
                        let mut write_error = None;
                        let mut emit = |text: &mut Vec<u8>| {
                            if BUDGET {
                                let cost = (text.len() >> 10) as u64;
                                if cost > budget {
                                    return false;
                                }
                                budget -= cost;
                            }
                            if let Err(e) = writer.write_all(text) {
                                write_error = Some(e);
                                return false;
                            }
                            text.clear();
                            true
                        };
                        let done = format::format_print(
                            &mut self.scratch,
                            slots,
                            &program.print_formats[format as usize],
                            program,
                            &self.heap,
                            &mut emit,
                        ) && emit(&mut self.scratch);
                        if !done {
                            match write_error {
                                Some(e) => fail!(frames::output_failed(&e)),
                                None => fail!(frames::budget_exhausted()),
                            }
                        }
                    }
                    Instr::TimeStamp { dst } => set!(dst, self.time_stamp()),

                    // ---- f64 product then sum ----
                    Instr::MulAddF64 { dst, a, b, c } => {
                        set!(dst, get!(f64, a) * get!(f64, b) + get!(f64, c))
                    }
                    Instr::MulSubF64 { dst, a, b, c } => {
                        set!(dst, get!(f64, a) * get!(f64, b) - get!(f64, c))
                    }
                    Instr::SubMulF64 { dst, a, b, c } => {
                        set!(dst, get!(f64, c) - get!(f64, a) * get!(f64, b))
                    }
                }
            };
            // Either the program ends with the fault, or a handler caught it and execution
            // continues in the handler's frame.
            let handler_pc = self.raise(pc!() - 1, fault)?;
            let top = *self.frames.last().expect("the handler's frame");
            // `verify` checked that the handler's pc lies inside the function.
            ip = program.functions[top.func as usize].code[handler_pc..].as_ptr();
            base = top.base;
            fp = self.regs.as_mut_ptr().wrapping_add(base);
        }
    }

    /// Grows the register file to at least `needed` slots (geometrically). False when that
    /// would pass [`frames::MAX_REGISTERS`] or the memory is not there: deep recursion of a
    /// function with thousands of locals ends in E0005 like any other, never in an abort.
    #[cold]
    #[inline(never)]
    fn grow_registers(&mut self, needed: usize) -> bool {
        if needed > frames::MAX_REGISTERS {
            return false;
        }
        let len = needed.max(self.regs.len() * 2).min(frames::MAX_REGISTERS);
        if self.regs.try_reserve_exact(len - self.regs.len()).is_err() {
            return false;
        }
        self.regs.resize(len, 0);
        true
    }
}

/// The register slot of an immediate: sign-extended, like `LoadInt` writes it.
#[inline(always)]
fn sign_extend(imm: i32) -> u64 {
    i64::from(imm) as u64
}
