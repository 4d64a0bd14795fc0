//! Loop telemetry (spec §18, decision D7) and the fast-path switches.
//!
//! With [`VmConfig::trace_loops`](super::VmConfig) the VM counts, per run, how its loop
//! machinery executed, and [`LoopTrace`] prints the `[loop-trace]` line. Orus registers
//! are statically typed and untagged, so the counters of the reference (which talk about
//! boxed values) are defined for this VM as follows. A *typed loop* is a range loop
//! (`ForPrep*` … `ForLoop*`) or a `for x in array` loop (`ForEachPrep` … `ForEachNext`);
//! an *iteration begins* when a loop's entry instruction (`ForPrep*`, `ForEachPrep`) finds
//! the range or array non-empty, or its back-edge (`ForLoop*`, `ForEachNext`) is taken.
//!
//! | counter | counts |
//! |---|---|
//! | `typed_hit` | iterations of typed loops begun on the typed fast path |
//! | `typed_miss` | typed-loop steps off the fast path: every loop exit through a typed loop instruction (range exhausted, overflow guard, array empty or index at the length), plus every iteration begun by a fallback (the checked generic step when `inc_typed` is off, the boxed iterator when `boxed_iterators` is on) |
//! | `boxed_type_mismatch` | always 0: a register's type is fixed by the instruction, so no operand can have the wrong type at run time (the verifier and the checker guarantee it) |
//! | `boxed_overflow_guard` | range loops ended by the overflow guard: the next index would leave the index type (e.g. `for i in 2147483646..=2147483647`) |
//! | `branch_fast_hits` | conditional jumps (`JumpIfFalse`/`JumpIfTrue` and the fused compare-and-branch `JumpIfNot*`) that lie inside a loop body and ran on the bool fast path |
//! | `branch_fast_misses` | the same jumps when they ran on the checked path that validates the bool (`bool_branch` off) |
//! | `inc_overflow_bailouts` | `AddI32Imm` (`x += k` on `i32`) and `ForEachNext` index steps whose results wrapped around |
//! | `inc_type_instability` | always 0: an increment's operand type is fixed at compile time and can never change between iterations |
//! | `iter_alloc_saved` | typed loops entered without allocating an iterator: every `ForPrep*` that did not fault (unless boxed iterators are forced) and every `ForEachPrep` |
//! | `iter_fallbacks` | range loops entered with a materialised heap iterator (`boxed_iterators` on) |
//! | `licm_guard_fusions` | range loops entered with `licm_typed_guards` on: the loop-invariant end and step are read once at the entry (the guard is fused into `ForPrep*`) and the back-edges step with those hoisted values |
//! | `licm_guard_demotions` | back-edges where the hoisted guard failed (end or step register changed inside the loop): the loop is demoted to the register values again; compiled code never writes those registers, so this stays 0 for Orus programs |
//!
//! "Inside a loop body" is static: a pc between the target of a back-edge (`ForLoop*`,
//! `ForEachNext` or a backward jump, conditional or not) and the back-edge itself, in the
//! same function; code in a function called from a loop does not count. A fused
//! compare-and-branch counts like the `JumpIfFalse` it replaces; with `bool_branch` off it
//! validates its comparison result as a bool like `JumpIfFalse` does. All counters are deterministic for a given program,
//! input and configuration. `docs/loop-trace.md` repeats these definitions for users.
//!
//! Zero cost when off: the dispatch loop is monomorphised on `TRACE` and on whether every
//! switch is at its default (`PLAIN`), so the untraced default loop contains no counter
//! code and no switch test.

use super::exec::StepFn;
use super::{frames, Vm};
use crate::bytecode::{Instr, Prim};
use crate::runtime::loops::{self, RangeIter, Step};
use crate::runtime::Fault;
use std::fmt;

/// The twelve counters of the `[loop-trace]` line, in its order (see the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopTrace {
    pub typed_hit: u64,
    pub typed_miss: u64,
    pub boxed_type_mismatch: u64,
    pub boxed_overflow_guard: u64,
    pub branch_fast_hits: u64,
    pub branch_fast_misses: u64,
    pub inc_overflow_bailouts: u64,
    pub inc_type_instability: u64,
    pub iter_alloc_saved: u64,
    pub iter_fallbacks: u64,
    pub licm_guard_fusions: u64,
    pub licm_guard_demotions: u64,
}

impl LoopTrace {
    /// The counters as `(name, value)` pairs, in the order of the line.
    pub fn fields(&self) -> [(&'static str, u64); 12] {
        [
            ("typed_hit", self.typed_hit),
            ("typed_miss", self.typed_miss),
            ("boxed_type_mismatch", self.boxed_type_mismatch),
            ("boxed_overflow_guard", self.boxed_overflow_guard),
            ("branch_fast_hits", self.branch_fast_hits),
            ("branch_fast_misses", self.branch_fast_misses),
            ("inc_overflow_bailouts", self.inc_overflow_bailouts),
            ("inc_type_instability", self.inc_type_instability),
            ("iter_alloc_saved", self.iter_alloc_saved),
            ("iter_fallbacks", self.iter_fallbacks),
            ("licm_guard_fusions", self.licm_guard_fusions),
            ("licm_guard_demotions", self.licm_guard_demotions),
        ]
    }
}

/// `[loop-trace] typed_hit=N … licm_guard_demotions=N`, without a newline.
impl fmt::Display for LoopTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[loop-trace]")?;
        for (name, value) in self.fields() {
            write!(f, " {name}={value}")?;
        }
        Ok(())
    }
}

/// The VM fast-path switches of spec §18. Each selects a real alternative code path that
/// computes the same results; only the telemetry counters tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FastPaths {
    /// Range loops step, and `AddI32Imm` adds, on the typed fast path; off
    /// (`ORUS_DISABLE_INC_TYPED_FASTPATH`): through the checked generic `i128`/`i64` code
    /// of `runtime::loops`.
    pub inc_typed: bool,
    /// Conditional jumps test the register for non-zero; off
    /// (`ORUS_DISABLE_BOOL_BRANCH_FASTPATH`): they validate it as a canonical bool first.
    pub bool_branch: bool,
    /// On (`ORUS_FORCE_BOXED_ITERATORS`): every range loop allocates a `RangeIter` object
    /// that yields its indices. (`for x in array` loops index the live array and are not
    /// affected.)
    pub boxed_iterators: bool,
    /// On (`ORUS_ENABLE_LICM_TYPED_GUARDS`): range loops hoist their invariant end and step
    /// to the entry and check that guard at every back-edge.
    pub licm_typed_guards: bool,
}

impl FastPaths {
    /// The defaults: both fast paths on, no boxed iterators, no LICM guards.
    pub const DEFAULT: FastPaths = FastPaths {
        inc_typed: true,
        bool_branch: true,
        boxed_iterators: false,
        licm_typed_guards: false,
    };

    /// The switches from the environment: a variable is set when it is non-empty and not
    /// `0`. (`ORUS_EXPERIMENT_BOOL_BRANCH_FASTPATH` needs no handling: the bool fast path
    /// is on unless disabled.)
    pub fn from_env() -> FastPaths {
        FastPaths::from_lookup(|name| {
            std::env::var_os(name).map(|v| v.to_string_lossy().into_owned())
        })
    }

    /// [`FastPaths::from_env`] with a custom variable lookup.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> FastPaths {
        let set = |name: &str| lookup(name).is_some_and(|v| !v.is_empty() && v != "0");
        FastPaths {
            inc_typed: !set("ORUS_DISABLE_INC_TYPED_FASTPATH"),
            bool_branch: !set("ORUS_DISABLE_BOOL_BRANCH_FASTPATH"),
            boxed_iterators: set("ORUS_FORCE_BOXED_ITERATORS"),
            licm_typed_guards: set("ORUS_ENABLE_LICM_TYPED_GUARDS"),
        }
    }

    /// Whether range loops can run entirely on the typed fast path.
    pub(super) fn fast_ranges(&self) -> bool {
        self.inc_typed && !self.boxed_iterators && !self.licm_typed_guards
    }
}

impl Default for FastPaths {
    fn default() -> FastPaths {
        FastPaths::DEFAULT
    }
}

/// What telemetry needs to know about one instruction (only computed when tracing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PcRole {
    Other,
    /// A conditional jump inside a loop body.
    LoopBranch,
}

/// The role of every instruction of `code`: a conditional jump (`JumpIfFalse`,
/// `JumpIfTrue` or a fused `JumpIfNot*`) is a loop branch when it lies in a loop region,
/// from the target of a back-edge (`ForLoop*`, `ForEachNext` or any backward jump) to the
/// back-edge itself.
pub(super) fn roles(code: &[Instr]) -> Vec<PcRole> {
    let mut roles = vec![PcRole::Other; code.len()];
    // +1 where a loop region starts, -1 just after it ends.
    let mut depth = vec![0i32; code.len() + 1];
    for (pc, instr) in code.iter().enumerate() {
        let back = match *instr {
            Instr::PushTry { .. } | Instr::ForPrepI32 { .. } | Instr::ForPrepI64 { .. } => continue,
            Instr::ForPrepU32 { .. } | Instr::ForPrepU64 { .. } | Instr::ForEachPrep { .. } => {
                continue
            }
            _ => match instr.jump_offset() {
                Some(offset) => offset,
                None => continue,
            },
        };
        if let Some(target) = (pc + 1).checked_add_signed(back as isize) {
            if target <= pc {
                depth[target] += 1;
                depth[pc + 1] -= 1;
            }
        }
    }
    let mut inside = 0;
    for pc in 0..code.len() {
        inside += depth[pc];
        if inside > 0 && code[pc].is_conditional_jump() {
            roles[pc] = PcRole::LoopBranch;
        }
    }
    roles
}

/// The state a range loop keeps outside its registers when a switch asks for it: the
/// boxed iterator and/or the hoisted invariants.
#[derive(Debug)]
pub(super) struct LoopRecord {
    /// Absolute register index of the loop's `R[base]`.
    pub slot: usize,
    pub end: u64,
    pub step: u64,
    pub iter: Option<Box<RangeIter>>,
}

/// Open range-loop records, ordered by `slot`. A loop's registers lie above those of every
/// loop enclosing it (in its frame, or in a calling frame, whose argument window is above
/// its own loops), so when a loop at `slot` is entered or steps, every record at a higher
/// slot belongs to a loop that is over (left by `break`, `return` or an error).
#[derive(Debug, Default)]
pub(super) struct LoopRecords(Vec<LoopRecord>);

impl LoopRecords {
    /// Starts the record of the loop at `record.slot`.
    pub fn open(&mut self, record: LoopRecord) {
        while self.0.last().is_some_and(|r| r.slot >= record.slot) {
            self.0.pop();
        }
        self.0.push(record);
    }

    /// The record of the running loop at `slot`, if it has one.
    pub fn find(&mut self, slot: usize) -> Option<&mut LoopRecord> {
        while self.0.last().is_some_and(|r| r.slot > slot) {
            self.0.pop();
        }
        self.0.last_mut().filter(|r| r.slot == slot)
    }

    /// Ends the loop at `slot`.
    pub fn close(&mut self, slot: usize) {
        if self.find(slot).is_some() {
            self.0.pop();
        }
    }
}

impl Vm<'_, '_> {
    /// Counts a range-loop step; `fast` when it ran on the typed fast path.
    #[inline]
    fn count_step(&mut self, step: Step, fast: bool) {
        match step {
            Step::Next(_) if fast => self.trace.typed_hit += 1,
            Step::Next(_) | Step::Done => self.trace.typed_miss += 1,
            Step::Overflow => {
                self.trace.typed_miss += 1;
                self.trace.boxed_overflow_guard += 1;
            }
        }
    }

    /// `ForPrep*` when a switch is off: enters the range loop whose `R[base]` is the
    /// absolute register `slot`; true when the range is not empty. `typed` is the typed
    /// entry test for the loop's index type.
    #[inline(never)]
    pub(super) fn range_prep<const TRACE: bool>(
        &mut self,
        kind: Prim,
        typed: StepFn,
        slot: usize,
        inclusive: bool,
    ) -> Result<bool, Fault> {
        let (index, end, step) = (self.regs[slot], self.regs[slot + 1], self.regs[slot + 2]);
        // Slots are canonical, so a zero step of any integer type is the slot 0.
        if step == 0 {
            return Err(frames::zero_step());
        }
        let paths = self.paths;
        let mut iter = paths
            .boxed_iterators
            .then(|| Box::new(RangeIter::new(kind, index, end, step, inclusive)));
        let first = match &mut iter {
            Some(iter) => iter.advance(),
            None if paths.inc_typed => typed(index, end, step, inclusive),
            None => loops::first(kind, index, end, step, inclusive),
        };
        if TRACE {
            if iter.is_some() {
                self.trace.iter_fallbacks += 1;
            } else {
                self.trace.iter_alloc_saved += 1;
            }
            if paths.licm_typed_guards {
                self.trace.licm_guard_fusions += 1;
            }
            self.count_step(first, iter.is_none() && paths.inc_typed);
        }
        let Step::Next(value) = first else {
            return Ok(false);
        };
        self.regs[slot] = value;
        if iter.is_some() || paths.licm_typed_guards {
            self.loop_records.open(LoopRecord {
                slot,
                end,
                step,
                iter,
            });
        }
        Ok(true)
    }

    /// `ForLoop*` when a switch is off: the back-edge of the range loop at `slot`; true
    /// when it is taken (the next index is then in `R[base]`).
    #[inline(never)]
    pub(super) fn range_loop<const TRACE: bool>(
        &mut self,
        kind: Prim,
        typed: StepFn,
        slot: usize,
        inclusive: bool,
    ) -> bool {
        let (index, mut end, mut step) =
            (self.regs[slot], self.regs[slot + 1], self.regs[slot + 2]);
        let paths = self.paths;
        let recorded = paths.boxed_iterators || paths.licm_typed_guards;
        let mut demoted = false;
        let next = if recorded {
            if self.loop_records.find(slot).is_none() {
                // Reached without its `ForPrep` (possible only in hand-assembled code).
                let iter = paths
                    .boxed_iterators
                    .then(|| Box::new(RangeIter::resume(kind, index, end, step, inclusive)));
                self.loop_records.open(LoopRecord {
                    slot,
                    end,
                    step,
                    iter,
                });
            }
            let record = self.loop_records.find(slot).expect("the loop's record");
            let changed = (record.end, record.step) != (end, step);
            if changed {
                // The guard failed: the invariants were written inside the loop.
                demoted = paths.licm_typed_guards;
                (record.end, record.step) = (end, step);
            } else {
                // The guard holds: step with the hoisted invariants.
                (end, step) = (record.end, record.step);
            }
            if let Some(iter) = &mut record.iter {
                if changed || iter.current() != Some(index) {
                    // Registers the iterator captured were written inside the loop (only
                    // hand-assembled code does that): follow them, as the typed loop does.
                    **iter = RangeIter::resume(kind, index, end, step, inclusive);
                }
            }
            match &mut record.iter {
                Some(iter) => iter.advance(),
                None if paths.inc_typed => typed(index, end, step, inclusive),
                None => loops::step(kind, index, end, step, inclusive),
            }
        } else if paths.inc_typed {
            typed(index, end, step, inclusive)
        } else {
            loops::step(kind, index, end, step, inclusive)
        };
        if TRACE {
            if demoted {
                self.trace.licm_guard_demotions += 1;
            }
            self.count_step(next, paths.inc_typed && !paths.boxed_iterators);
        }
        match next {
            Step::Next(value) => {
                self.regs[slot] = value;
                true
            }
            Step::Done | Step::Overflow => {
                if recorded {
                    self.loop_records.close(slot);
                }
                false
            }
        }
    }

    /// Telemetry of a conditional jump at `pc` of the running function.
    #[inline(never)]
    pub(super) fn note_branch(&mut self, pc: usize) {
        let func = self.frames.last().expect("a running frame").func;
        if self.roles[func as usize][pc] == PcRole::LoopBranch {
            if self.paths.bool_branch {
                self.trace.branch_fast_hits += 1;
            } else {
                self.trace.branch_fast_misses += 1;
            }
        }
    }
}
