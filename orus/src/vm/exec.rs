//! The dispatch loop.
//!
//! One `match` on [`Instr`] per instruction. The running function's code slice, its
//! register base, the pc and the remaining budget are locals, reloaded only by calls and
//! returns. Operands are read by truncation and results written in canonical form through
//! the [`Slot`] trait, so a typed arm is a load, an operation and a store: no tag checks,
//! no allocation. Anything that can fail calls into `runtime` and sends the fault to the
//! `#[cold]` `Vm::raise`, which either unwinds to the innermost `try` handler (see
//! `unwind`) or records the call trace. The budget is charged at calls, taken backward
//! jumps and loop back-edges only. The instruction fetch and the register
//! accesses are the VM's only `unsafe` code: they skip bounds checks because
//! `verify` proved them in range (each block says which fact it relies on; debug builds
//! still assert). Table lookups (constants, globals, functions) stay checked.
//!
//! The loop is monomorphised on two const parameters: `TRACE` (count loop telemetry, see
//! `trace`) and `PLAIN` (every fast-path switch at its default). The default run uses
//! `dispatch::<false, true>`, in which every `if TRACE` and every switch test is a
//! constant, so it contains no telemetry code at all. The switches' alternative paths
//! (checked generic range steps and increments, validated bools, boxed range iterators,
//! hoisted loop guards) are in `trace` and `runtime::loops`.

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
    /// Runs until the entry frame returns, in the dispatch loop the configuration needs.
    pub(super) fn execute(&mut self) -> Result<(), RuntimeError> {
        match (self.tracing, self.paths == super::FastPaths::DEFAULT) {
            (false, true) => self.dispatch::<false, true>(),
            (false, false) => self.dispatch::<false, false>(),
            (true, _) => self.dispatch::<true, false>(),
        }
    }

    /// The dispatch loop; see the module docs for `TRACE` and `PLAIN`.
    fn dispatch<const TRACE: bool, const PLAIN: bool>(&mut self) -> Result<(), RuntimeError> {
        let program = self.program;
        let top = *self.frames.last().expect("the entry frame");
        let mut code: &[Instr] = &program.functions[top.func as usize].code;
        let mut base = top.base;
        let mut pc = top.pc;
        let mut budget = self.budget;

        // SAFETY (the two register macros): `verify` checked every register operand of
        // every function against its `num_regs`, and while a frame runs the register file
        // holds at least `base + num_regs` slots (grown by each call, never shrunk).
        macro_rules! reg {
            ($r:expr) => {{
                let index = base + usize::from($r);
                debug_assert!(index < self.regs.len());
                // SAFETY: see above.
                unsafe { *self.regs.get_unchecked(index) }
            }};
        }
        macro_rules! put {
            ($r:expr, $bits:expr) => {{
                let bits: u64 = $bits;
                let index = base + usize::from($r);
                debug_assert!(index < self.regs.len());
                // SAFETY: see above.
                unsafe { *self.regs.get_unchecked_mut(index) = bits }
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
        // Pushes a frame for `functions[func]` at R[args] and starts running it.
        macro_rules! enter {
            ($func:expr, $args:expr, $closure:expr) => {{
                let func: u32 = $func;
                let callee = &program.functions[func as usize];
                let callee_base = base + usize::from($args);
                let needed = callee_base + usize::from(callee.num_regs);
                if self.regs.len() < needed {
                    self.regs.resize(needed, 0);
                }
                if let Some(caller) = self.frames.last_mut() {
                    caller.pc = pc;
                }
                let frame = Frame {
                    func,
                    base: callee_base,
                    pc: 0,
                    closure: $closure,
                };
                self.frames.push(frame);
                code = &callee.code;
                base = callee_base;
                pc = 0;
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
        macro_rules! charge {
            () => {
                if budget == 0 {
                    fail!(frames::budget_exhausted());
                }
                budget -= 1;
            };
        }
        macro_rules! jump {
            ($offset:expr) => {{
                if $offset < 0 {
                    charge!();
                }
                pc = pc.wrapping_add_signed($offset as isize);
            }};
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
            ($t:ty, $kind:expr, $b:expr, $inclusive:expr, $offset:expr) => {{
                let i = usize::from($b);
                if PLAIN || self.fast_ranges {
                    let (index, end, step) = (get!($t, i), get!($t, i + 1), get!($t, i + 2));
                    if let Some(next) = index.checked_add(step) {
                        if in_range(next, end, step, $inclusive) {
                            set!(i, next);
                            if TRACE {
                                self.trace.typed_hit += 1;
                            }
                            charge!();
                            pc = pc.wrapping_add_signed($offset as isize);
                        } else if TRACE {
                            self.trace.typed_miss += 1;
                        }
                    } else if TRACE {
                        self.trace.typed_miss += 1;
                        self.trace.boxed_overflow_guard += 1;
                    }
                } else {
                    let typed: StepFn = typed_step::<$t>;
                    if self.range_loop::<TRACE>($kind, typed, base + i, $inclusive) {
                        charge!();
                        pc = pc.wrapping_add_signed($offset as isize);
                    }
                }
            }};
        }
        macro_rules! string {
            ($bits:expr) => {
                self.heap.get_str($bits as Handle)
            };
        }
        macro_rules! compare_str {
            ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = string!(reg!($a));
                let $y = string!(reg!($b));
                let result = $e;
                set!($dst, result);
            }};
        }

        loop {
            let fault: Fault = loop {
                debug_assert!(pc < code.len());
                // SAFETY: `verify` checked that every function's code is non-empty and ends in
                // an unconditional jump or return, that every jump and every `try` handler
                // lands inside the function, and a return resumes just after a `Call` or
                // `CallValue`, which is never last: so `pc` always indexes `code`.
                let instr = unsafe { *code.get_unchecked(pc) };
                pc += 1;
                match instr {
                    // ---- moves and constants ----
                    Instr::Move { dst, src } => put!(dst, reg!(src)),
                    Instr::LoadInt { dst, value } => {
                        set!(dst, value);
                        if TRACE {
                            self.note_load(pc - 1);
                        }
                    }
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
                    Instr::EqStr { dst, a, b } => compare_str!(dst, a, b, |x, y| x == y),
                    Instr::NeStr { dst, a, b } => compare_str!(dst, a, b, |x, y| x != y),
                    Instr::LtStr { dst, a, b } => compare_str!(dst, a, b, |x, y| x < y),
                    Instr::LeStr { dst, a, b } => compare_str!(dst, a, b, |x, y| x <= y),

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

                    // ---- conversions and strings ----
                    Instr::Convert { dst, src, from, to } => match convert(from, to, reg!(src)) {
                        Ok(bits) => put!(dst, bits),
                        Err(fault) => fail!(fault),
                    },
                    Instr::ToStr { dst, src, ty } => {
                        let bits = reg!(src);
                        let ty = &program.types[ty as usize];
                        if *ty == ValType::Str {
                            put!(dst, bits);
                        } else {
                            let mut text = std::mem::take(&mut self.scratch);
                            text.clear();
                            format::format_value(&mut text, bits, ty, &self.heap, program);
                            let result = self.alloc_with([0, 0], |heap| heap.alloc_str(&text));
                            self.scratch = text;
                            match result {
                                Ok(handle) => put!(dst, u64::from(handle)),
                                Err(fault) => fail!(fault),
                            }
                        }
                    }
                    Instr::Concat { dst, a, b } => {
                        let (x, y) = (reg!(a), reg!(b));
                        match self.alloc_with([x, y], |heap| heap.concat(x as Handle, y as Handle))
                        {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
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
                        match self.alloc_from_regs([0, 0], elems, |heap, elems| {
                            heap.alloc_array(elems, elem_ref)
                        }) {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::ArrayGet { dst, arr, index } => {
                        let elems = self.heap.array(reg!(arr) as Handle);
                        match array::element(reg!(index), elems.len()) {
                            Ok(i) => put!(dst, elems[i]),
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::ArraySet { arr, index, src } => {
                        let (i, value) = (reg!(index), reg!(src));
                        let elems = self.heap.array_mut(reg!(arr) as Handle);
                        match array::element(i, elems.len()) {
                            Ok(i) => elems[i] = value,
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::ArrayLen { dst, arr } => {
                        // The heap keeps every array's length within i32.
                        let len = self.heap.array(reg!(arr) as Handle).len();
                        set!(dst, len as i32);
                    }
                    Instr::ArrayPush { arr, src } => {
                        let (a, value) = (reg!(arr), reg!(src));
                        if let Err(fault) =
                            self.alloc_with([a, value], |heap| heap.array_push(a as Handle, value))
                        {
                            fail!(fault);
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
                        match self
                            .alloc_with([a, 0], |heap| heap.slice_array(a as Handle, range.clone()))
                        {
                            Ok(handle) => put!(dst, u64::from(handle)),
                            Err(fault) => fail!(fault),
                        }
                    }
                    Instr::StrLen { dst, s } => {
                        // The heap keeps every string's length within i32.
                        let len = string!(reg!(s)).len();
                        set!(dst, len as i32);
                    }
                    Instr::StrIndex { dst, s, index } => {
                        let bytes = string!(reg!(s));
                        let byte = match array::byte(reg!(index), bytes.len()) {
                            Ok(i) => bytes[i],
                            Err(fault) => fail!(fault),
                        };
                        match self.alloc_with([0, 0], |heap| heap.byte_str(byte)) {
                            Ok(handle) => put!(dst, u64::from(handle)),
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
                        alloc!(
                            dst,
                            self.new_object(Made::Enum(u32::from(layout), variant), payload)
                        )
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
                        let equal = value::values_equal(reg!(a), reg!(b), ty, &self.heap, program);
                        set!(dst, equal);
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

                    // ---- errors ----
                    Instr::PushTry { dst, offset } => {
                        let target = pc.wrapping_add_signed(offset as isize);
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
                    Instr::JumpIfFalse { cond, offset } => {
                        let truth = if PLAIN || self.paths.bool_branch {
                            reg!(cond) != 0
                        } else {
                            match loops::checked_bool(reg!(cond)) {
                                Ok(truth) => truth,
                                Err(fault) => fail!(fault),
                            }
                        };
                        if TRACE {
                            self.note_branch(pc - 1, truth);
                        }
                        if !truth {
                            jump!(offset);
                        }
                    }
                    Instr::JumpIfTrue { cond, offset } => {
                        let truth = if PLAIN || self.paths.bool_branch {
                            reg!(cond) != 0
                        } else {
                            match loops::checked_bool(reg!(cond)) {
                                Ok(truth) => truth,
                                Err(fault) => fail!(fault),
                            }
                        };
                        if TRACE {
                            self.note_branch(pc - 1, truth);
                        }
                        if truth {
                            jump!(offset);
                        }
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
                        for_loop!(i32, Prim::I32, b, inclusive, offset)
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
                        for_loop!(i64, Prim::I64, b, inclusive, offset)
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
                        for_loop!(u32, Prim::U32, b, inclusive, offset)
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
                        for_loop!(u64, Prim::U64, b, inclusive, offset)
                    }

                    // ---- calls ----
                    Instr::Call { func, base: args } => {
                        charge!();
                        if self.frames.len() >= self.max_frames {
                            fail!(frames::stack_overflow(self.max_frames));
                        }
                        enter!(func, args, NO_CLOSURE);
                    }
                    Instr::CallValue { callee, base: args } => {
                        charge!();
                        if self.frames.len() >= self.max_frames {
                            fail!(frames::stack_overflow(self.max_frames));
                        }
                        let handle = reg!(callee) as Handle;
                        let func = self.heap.closure_func(handle);
                        // `verify` checks a `Call`'s arguments against the callee's arity; here
                        // the callee is known only now.
                        let arity = program.functions[func as usize].arity;
                        let caller = self.frames.last().expect("a running frame").func;
                        let caller_regs = program.functions[caller as usize].num_regs;
                        if usize::from(args) + usize::from(arity) > usize::from(caller_regs) {
                            fail!(frames::bad_call_value(func, arity));
                        }
                        enter!(func, args, handle);
                    }
                    Instr::Return { src } => {
                        let result = reg!(src);
                        self.frames.pop();
                        if !self.handlers.is_empty() {
                            self.drop_returned_handlers();
                        }
                        let Some(caller) = self.frames.last() else {
                            return Ok(());
                        };
                        // The callee's R[0] is the caller's R[args].
                        self.regs[base] = result;
                        code = &program.functions[caller.func as usize].code;
                        base = caller.base;
                        pc = caller.pc;
                    }
                    Instr::ReturnVoid {} => {
                        self.frames.pop();
                        if !self.handlers.is_empty() {
                            self.drop_returned_handlers();
                        }
                        let Some(caller) = self.frames.last() else {
                            return Ok(());
                        };
                        code = &program.functions[caller.func as usize].code;
                        base = caller.base;
                        pc = caller.pc;
                    }

                    // ---- built-ins ----
                    Instr::Print {
                        base: args,
                        count,
                        format,
                    } => {
                        let start = base + usize::from(args);
                        let slots = &self.regs[start..start + usize::from(count)];
                        self.scratch.clear();
                        format::format_print(
                            &mut self.scratch,
                            slots,
                            &program.print_formats[format as usize],
                            program,
                            &self.heap,
                        );
                        // Like C's printf, a failed write (a closed pipe) does not stop the program.
                        let _ = self.out.write_all(&self.scratch);
                    }
                    Instr::TimeStamp { dst } => set!(dst, frames::now_seconds()),
                }
            };
            // Either the program ends with the fault, or a handler caught it and execution
            // continues in the handler's frame.
            self.raise(pc - 1, fault)?;
            let top = *self.frames.last().expect("the handler's frame");
            code = &program.functions[top.func as usize].code;
            base = top.base;
            pc = top.pc;
        }
    }
}
