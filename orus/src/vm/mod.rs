//! The register VM: executes a verified [`Program`].
//!
//! [`run`] checks the program with [`verify::verify`], interns its string constants into
//! a fresh [`Heap`] (handle `i` is `Program::strings[i]`), and calls the entry function.
//! Registers of all frames live in one `Vec<u64>`; a call's frame starts at the caller's
//! argument base (see `bytecode`), and frames are records in a `Vec`, so Orus recursion
//! never recurses on the host stack; depth is capped by [`VmConfig::max_frames`] (E0005).
//! The dispatch loop is in `exec`, frame bookkeeping and garbage-collection roots in
//! `frames`, `try` handlers and error unwinding in `unwind`. What operations mean (arithmetic, casts, printing, the heap) is not here but
//! in `runtime`; this module knows nothing of syntax or types beyond the bytecode.
//! Loop telemetry and the fast-path switches (spec §18) are in `trace`; [`run_traced`]
//! returns the counters. Tests hand-assemble programs and live in `tests/`.

mod exec;
mod frames;
mod objects;
mod trace;
mod unwind;
pub mod verify;

pub use trace::{FastPaths, LoopTrace};

#[cfg(test)]
mod tests;

use crate::bytecode::Program;
use crate::diag::Code;
use crate::runtime::{Fault, Heap};
use frames::{Frame, Frames};
use std::fmt;
use std::io::Write;
use unwind::Handler;

/// Limits the embedder sets for one run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VmConfig {
    /// Most frames alive at once, the entry frame included (decision D6); E0005 beyond.
    pub max_frames: usize,
    /// When set, how many budget units may be spent before E0013: one per call and loop
    /// back-edge, and one per KiB a `print` formats.
    pub instruction_budget: Option<u64>,
    /// When set, the most bytes the heap may hold before E0014.
    pub heap_limit: Option<usize>,
    /// Count loop telemetry ([`LoopTrace`], returned by [`run_traced`]).
    pub trace_loops: bool,
    /// The fast-path switches; they change only the telemetry, never the output.
    pub fastpaths: FastPaths,
    /// Whether [`INTERRUPT`] can stop the run (the REPL's Ctrl-C): it is checked every
    /// 65 536 calls and back-edges, then E0016. Such runs take the budgeted dispatch loop.
    pub interruptible: bool,
}

/// Set (by a signal handler, say) to stop an interruptible run; taken when it stops one.
pub static INTERRUPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Default for VmConfig {
    fn default() -> VmConfig {
        VmConfig {
            max_frames: 10_000,
            instruction_budget: None,
            heap_limit: None,
            trace_loops: false,
            fastpaths: FastPaths::DEFAULT,
            interruptible: false,
        }
    }
}

/// A runtime failure, with where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeError {
    pub code: Code,
    pub message: String,
    /// innermost first: (function index, pc of the faulting/calling instruction)
    pub trace: Vec<(u32, usize)>,
    /// For an Error value thrown again: where it was first raised (function index, pc).
    pub origin: Option<(u32, usize)>,
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for RuntimeError {}

/// Runs `program` from its entry function, writing `print` output to `out` (not flushed).
pub fn run(program: &Program, config: &VmConfig, out: &mut dyn Write) -> Result<(), RuntimeError> {
    run_traced(program, config, out).0
}

/// [`run`], also returning the loop telemetry counted so far, also when the run failed.
/// The counters are all zero unless `config.trace_loops` is set.
pub fn run_traced(
    program: &Program,
    config: &VmConfig,
    out: &mut dyn Write,
) -> (Result<(), RuntimeError>, LoopTrace) {
    let mut vm = match Vm::new(program, config, out) {
        Ok(vm) => vm,
        Err(e) => return (Err(e), LoopTrace::default()),
    };
    let result = vm.execute();
    (result, vm.trace)
}

/// The values `time_stamp()` gave in a run, in order. A run given a tape
/// ([`run_replaying`]) gives the recorded values first and records each later one it reads
/// from the clock: the REPL re-runs its earlier entries with their tape, so they see the
/// times they saw the first time and behave and print as they did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClockTape {
    pub values: Vec<f64>,
    /// How many values this run has given.
    given: usize,
}

impl ClockTape {
    /// A tape that gives `values` first.
    pub fn with(values: Vec<f64>) -> ClockTape {
        ClockTape { values, given: 0 }
    }

    fn next(&mut self) -> f64 {
        let value = match self.values.get(self.given) {
            Some(&recorded) => recorded,
            None => {
                let now = frames::now_seconds();
                self.values.push(now);
                now
            }
        };
        self.given += 1;
        value
    }
}

/// What the heap held when a run ended (the REPL's `:memory on` shows it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapSummary {
    /// Objects alive (interned strings included).
    pub objects: usize,
    /// The most objects alive at once.
    pub peak_objects: usize,
    /// Bytes charged to the live objects.
    pub live_bytes: usize,
    /// Collections run.
    pub collections: u64,
}

/// [`run`] with `time_stamp()` read from `tape` (see [`ClockTape`]); also says what the
/// heap held at the end.
pub fn run_replaying(
    program: &Program,
    config: &VmConfig,
    out: &mut dyn Write,
    tape: &mut ClockTape,
) -> (Result<(), RuntimeError>, HeapSummary) {
    let mut vm = match Vm::new(program, config, out) {
        Ok(vm) => vm,
        Err(e) => return (Err(e), HeapSummary::default()),
    };
    vm.tape = Some(std::mem::take(tape));
    let result = vm.execute();
    *tape = vm.tape.take().unwrap_or_default();
    let summary = HeapSummary {
        objects: vm.heap.object_count(),
        peak_objects: vm.heap.peak_object_count(),
        live_bytes: vm.heap.live_bytes(),
        collections: vm.heap.collections(),
    };
    (result, summary)
}

/// The state of one run.
struct Vm<'p, 'o> {
    program: &'p Program,
    /// The registers of every live frame; frame `f` owns `regs[f.base..f.base + num_regs]`.
    regs: Vec<u64>,
    /// Live frames, the running one last.
    frames: Frames,
    /// [`frames::callees`] of the program: what a call needs of each function.
    callees: Box<[frames::Callee]>,
    /// Active `try` handlers, the innermost last; each belongs to a live frame.
    handlers: Vec<Handler>,
    globals: Vec<u64>,
    heap: Heap,
    /// Remaining budget units (calls, back-edges, KiB printed); `u64::MAX` when unlimited.
    budget: u64,
    /// [`VmConfig::interruptible`].
    interruptible: bool,
    out: &'o mut dyn Write,
    /// Reused buffer for text being formatted.
    scratch: Vec<u8>,
    /// Whether loop telemetry is counted (selects the traced dispatch loop).
    tracing: bool,
    paths: FastPaths,
    /// `paths.fast_ranges()`: range loops need no `LoopRecord`.
    fast_ranges: bool,
    trace: LoopTrace,
    /// Per function, the telemetry role of each instruction; empty unless tracing.
    roles: Vec<Vec<trace::PcRole>>,
    /// Range loops with a boxed iterator or hoisted guards.
    loop_records: trace::LoopRecords,
    /// Where `time_stamp()` reads from, when not the clock.
    tape: Option<ClockTape>,
}

impl<'p, 'o> Vm<'p, 'o> {
    fn new(
        program: &'p Program,
        config: &VmConfig,
        out: &'o mut dyn Write,
    ) -> Result<Vm<'p, 'o>, RuntimeError> {
        verify::verify(program).map_err(|e| RuntimeError {
            code: Code::Internal,
            message: format!("invalid bytecode: {}", e.message),
            trace: vec![(e.func, e.pc)],
            origin: None,
        })?;
        frames::start_clock();
        let mut heap = Heap::new(&program.strings, config.heap_limit);
        heap.set_layouts(&program.structs, &program.enums);
        let entry = program.entry;
        let entry_regs = usize::from(program.functions[entry as usize].num_regs);
        Ok(Vm {
            program,
            regs: vec![0; entry_regs.max(1)],
            frames: Frames::new(
                Frame {
                    func: entry,
                    closure: frames::NO_CLOSURE,
                    base: 0,
                    ret_ip: std::ptr::null(),
                },
                config.max_frames,
            ),
            callees: frames::callees(program),
            handlers: Vec::new(),
            globals: vec![0; program.globals.len()],
            heap,
            budget: config.instruction_budget.unwrap_or(u64::MAX),
            interruptible: config.interruptible,
            out,
            scratch: Vec::new(),
            tracing: config.trace_loops,
            paths: config.fastpaths,
            fast_ranges: config.fastpaths.fast_ranges(),
            trace: LoopTrace::default(),
            roles: if config.trace_loops {
                program
                    .functions
                    .iter()
                    .map(|f| trace::roles(&f.code))
                    .collect()
            } else {
                Vec::new()
            },
            loop_records: trace::LoopRecords::default(),
            tape: None,
        })
    }

    /// `time_stamp()`: the clock, or the tape when the run has one.
    #[inline(never)]
    fn time_stamp(&mut self) -> f64 {
        match &mut self.tape {
            Some(tape) => tape.next(),
            None => frames::now_seconds(),
        }
    }

    /// Turns a fault raised by the running frame at `pc` into an error with the call trace.
    #[cold]
    #[inline(never)]
    fn error(&self, pc: usize, fault: Fault) -> RuntimeError {
        let mut trace = Vec::with_capacity(self.frames.len());
        if let Some(top) = self.frames.last() {
            trace.push((top.func, pc));
        }
        // Each caller resumes just after its Call instruction.
        for pair in self.frames.windows(2).rev() {
            let (caller, callee) = (pair[0], pair[1]);
            let resume = frames::pc_of(self.program, caller.func, callee.ret_ip);
            trace.push((caller.func, resume.saturating_sub(1)));
        }
        RuntimeError {
            code: fault.code,
            message: fault.message,
            trace,
            origin: fault.origin.map(|(func, pc)| (func, pc as usize)),
        }
    }
}
