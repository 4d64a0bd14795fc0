//! One body per fuzz target. Each takes arbitrary bytes and panics when an invariant of
//! `crate::invariants` breaks; anything else it returns is a pass.
//!
//! | target | input | what runs |
//! |---|---|---|
//! | `lexer` | source bytes | `lexer::tokenize` |
//! | `parser` | source bytes | `parser::parse` |
//! | `typeck` | source bytes | parse, then `types::check` and `codegen::generate` when parsing succeeded |
//! | `vm` | source bytes, or `0xFF` + generator bytes | the whole driver, then the VM under a budget and a heap cap |
//! | `opt_diff` | generator bytes | a generated program compiled with the optimizer (twice: the bytecode must be identical) and without it (`-O0`, run with the VM's fast paths flipped); both runs must agree |
//!
//! Every compiling stage runs on a thread with a 64 MiB stack, as the binary does: the
//! parser bounds nesting depth, and the passes after it recurse over the tree, so a debug
//! build needs more than the 2 MiB of a test thread. One such thread serves the whole
//! process ([`on_big_stack`]). A Rust stack overflow still aborts the process, which the
//! fuzzer reports as a crash.

use crate::gen;
use crate::invariants::{self, check_diagnostics, check_span, spans_in_debug, Stage};
use orus::bytecode::Program;
use orus::diag::{Category, Code, Diagnostic};
use orus::driver::{self, CompileOptions};
use orus::modules::SearchPath;
use orus::modules::SourceFile;
use orus::vm::{self, VmConfig};
use std::io::Write;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Mutex, OnceLock};

/// The main file's name. Its directory does not exist, so every `use` fails to load
/// (E3001) instead of reading whatever files happen to be on the machine.
pub const MAIN_NAME: &str = "/nonexistent-orus-fuzz-dir/main.orus";

/// A first byte that selects the generator in the `vm` target. Orus source never starts
/// with it (it is not ASCII and not valid UTF-8), so seed files need no prefix.
pub const GENERATOR_MODE: u8 = 0xFF;

/// Stack of the compiler thread.
const COMPILER_STACK: usize = 64 * 1024 * 1024;

/// Limits of every run: budget units (calls, loop back-edges, KiB printed), heap bytes and
/// frames. How much output is kept is [`OUTPUT_CAP`].
pub fn vm_limits() -> VmConfig {
    VmConfig {
        max_frames: 2_000,
        instruction_budget: Some(20_000),
        heap_limit: Some(4 << 20),
        ..VmConfig::default()
    }
}
const OUTPUT_CAP: usize = 1 << 16;

/// `lexer`: tokens have spans inside the source, in order, ending with `Eof`.
pub fn lexer(data: &[u8]) {
    let (tokens, diags) = orus::lexer::tokenize(data);
    let mut last = 0;
    for t in &tokens {
        check_span(t.span, data.len(), &format!("token {:?}", t.kind));
        assert!(
            t.span.start >= last,
            "token {:?} at {} starts before the previous token ({last})",
            t.kind,
            t.span.start
        );
        last = t.span.start;
    }
    assert!(
        matches!(
            tokens.last().map(|t| &t.kind),
            Some(orus::lexer::TokenKind::Eof)
        ),
        "the token stream does not end with Eof"
    );
    check_diagnostics(&diags, data, Stage::Lexer);
}

/// `parser`: every span of the tree and of the diagnostics is inside the source.
pub fn parser(data: &[u8]) {
    let source = data.to_vec();
    on_big_stack(move || {
        let (program, diags) = orus::parser::parse(&source);
        check_diagnostics(&diags, &source, Stage::Parser);
        check_tree_spans(&format!("{program:?}"), source.len(), "syntax tree");
    });
}

/// `typeck`: a file that parses is checked; a file that checks is compiled and the
/// bytecode verified.
pub fn typeck(data: &[u8]) {
    let source = data.to_vec();
    on_big_stack(move || {
        let (program, diags) = orus::parser::parse(&source);
        check_diagnostics(&diags, &source, Stage::Parser);
        if !diags.is_empty() {
            return;
        }
        let map = orus::diag::SourceMap::new("fuzz.orus", &source);
        let (typed, diags) = orus::types::check(&program, &map);
        check_diagnostics(&diags, &source, Stage::Checker);
        if !diags.is_empty() {
            return;
        }
        check_tree_spans(&format!("{typed:?}"), source.len(), "typed tree");
        match orus::codegen::generate(&typed) {
            Ok(compiled) => invariants::check_compiled(&compiled, &source),
            Err(d) => check_codegen_error(&d, &source),
        }
    });
}

/// `vm`: compile and run. With [`GENERATOR_MODE`] first, the rest of the input drives the
/// program generator, and the program must compile.
pub fn vm(data: &[u8]) {
    let data = data.to_vec();
    on_big_stack(move || vm_body(&data));
}

fn vm_body(data: &[u8]) {
    match data.split_first() {
        Some((&GENERATOR_MODE, rest)) => {
            let source = gen::generate(rest);
            let compiled = compile_generated(&source, true);
            let _ = run_checked(&compiled, source.as_bytes());
        }
        _ => {
            if let Some(compiled) = compile_checked(data, true) {
                let _ = run_checked(&compiled, data);
            }
        }
    }
}

/// `opt_diff`: a generated program compiled without the optimizer (`-O0`) and with it
/// must print the same bytes and end the same way (the `-O0` run also flips the VM's
/// fast-path switches); and compiling the same program twice must give identical bytecode
/// (determinism).
pub fn opt_diff(data: &[u8]) {
    let data = data.to_vec();
    on_big_stack(move || opt_diff_body(&data));
}

fn opt_diff_body(data: &[u8]) {
    let source = gen::generate(data);
    // OPTIMIZER HOOK: the two sides of the comparison. `false` is `-O0`; when more
    // optimization levels or passes that can be switched separately land, compare each
    // against `false` here.
    let unoptimized = compile_generated(&source, false);
    let optimized = compile_generated(&source, true);
    let again = compile_generated(&source, true);
    assert!(
        optimized.program == again.program,
        "two compilations of the same program differ\n{source}"
    );
    // The -O0 side also runs every VM fast path the other way, with loop telemetry on:
    // they are documented to change only the telemetry.
    let a = run_with(&unoptimized, source.as_bytes(), &alternative_paths());
    let b = run_checked(&optimized, source.as_bytes());
    // Constant folding may allocate less, so a run that hit the heap cap may legitimately
    // stop at a different point; such runs are not compared.
    let out_of_memory = |r: &RunOutcome| r.end == Some(Code::OutOfMemory);
    if a != b && !out_of_memory(&a) && !out_of_memory(&b) {
        panic!(
            "-O0 and the optimizer disagree\n--- -O0: {:?}\n{}\n--- optimized: {:?}\n{}\n--- program:\n{source}",
            a.end,
            String::from_utf8_lossy(&a.stdout),
            b.end,
            String::from_utf8_lossy(&b.stdout)
        );
    }
}

/// How a run ended, and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// `None` for a normal end, else the runtime error's code.
    pub end: Option<Code>,
    /// The first [`OUTPUT_CAP`] bytes of stdout.
    pub stdout: Vec<u8>,
    /// Every byte printed.
    pub printed: u64,
}

/// Compiles `source` with the driver (no module search path), checking every diagnostic
/// and, on success, the bytecode. `None` when compilation failed. Runs on the caller's
/// thread, which needs a big stack ([`on_big_stack`]).
pub fn compile_checked(source: &[u8], optimize: bool) -> Option<Compiled> {
    match compile(source, optimize) {
        Ok(compiled) => {
            invariants::check_compiled(&compiled.program, source);
            Some(compiled)
        }
        Err(diags) => {
            let (codegen, front): (Vec<_>, Vec<_>) =
                diags.into_iter().partition(|d| d.code == Code::Internal);
            check_diagnostics(&front, source, Stage::Checker);
            for d in &codegen {
                check_codegen_error(d, source);
            }
            None
        }
    }
}

/// Compiles a generated program, which must succeed (on the caller's thread, like
/// [`compile_checked`]).
pub fn compile_generated(source: &str, optimize: bool) -> Compiled {
    match compile(source.as_bytes(), optimize) {
        Ok(compiled) => {
            invariants::check_compiled(&compiled.program, source.as_bytes());
            compiled
        }
        Err(diags) => {
            let map = orus::diag::SourceMap::new("gen.orus", source.as_bytes());
            let text: String = diags
                .iter()
                .map(|d| orus::diag::render(d, &map, Default::default()))
                .collect();
            panic!("a generated program does not compile:\n{text}\n--- program:\n{source}");
        }
    }
}

/// Runs a compiled program under [`vm_limits`] and checks how it ended: a runtime error
/// has a runtime code (never an internal one) and a trace whose frames map to spans
/// inside the source.
pub fn run_checked(compiled: &Compiled, source: &[u8]) -> RunOutcome {
    run_with(compiled, source, &vm_limits())
}

/// [`vm_limits`] with every fast-path switch flipped and loop telemetry counted.
fn alternative_paths() -> VmConfig {
    let mut config = vm_limits();
    let paths = &mut config.fastpaths;
    paths.inc_typed = !paths.inc_typed;
    paths.bool_branch = !paths.bool_branch;
    paths.boxed_iterators = !paths.boxed_iterators;
    paths.licm_typed_guards = !paths.licm_typed_guards;
    config.trace_loops = true;
    config
}

/// [`run_checked`] under `config`.
fn run_with(compiled: &Compiled, source: &[u8], config: &VmConfig) -> RunOutcome {
    let mut out = CappedOutput::default();
    let result = vm::run(&compiled.program, config, &mut out);
    let end = match result {
        Ok(()) => None,
        Err(error) => {
            assert!(
                error.code.category() == Category::Runtime,
                "the VM raised {} ({}), not a runtime error\n{}",
                error.code,
                error.message,
                orus::bytecode::disassemble(&compiled.program)
            );
            assert!(
                !error.trace.is_empty(),
                "runtime error without a trace: {error:?}"
            );
            for &(func, pc) in &error.trace {
                let f = compiled
                    .program
                    .functions
                    .get(func as usize)
                    .unwrap_or_else(|| panic!("trace names function {func}: {error:?}"));
                assert!(
                    pc < f.code.len(),
                    "trace pc {pc} outside function {func}: {error:?}"
                );
            }
            let d = driver::runtime_diagnostic(&compiled.program, &compiled.files, &error);
            if d.file.unwrap_or(0) == 0 {
                check_span(d.span, source.len(), &format!("runtime error {error:?}"));
                invariants::render_both(&d, source);
            }
            Some(error.code)
        }
    };
    RunOutcome {
        end,
        stdout: out.kept,
        printed: out.printed,
    }
}

/// What the targets keep of a compilation: the program and its source files.
pub struct Compiled {
    pub program: Program,
    pub files: Vec<SourceFile>,
}

/// Compiles `source` with the driver, with no module search path. Call it on a thread
/// with a big stack ([`on_big_stack`]).
fn compile(source: &[u8], optimize: bool) -> Result<Compiled, Vec<Diagnostic>> {
    let options = CompileOptions {
        search: SearchPath::default(),
        optimize,
        max_depth: orus::parser::MAX_DEPTH,
    };
    driver::compile_with(MAIN_NAME, source, &options)
        .map(|c| Compiled {
            program: c.program,
            files: c.files,
        })
        .map_err(|f| f.diags)
}

/// A codegen failure must be a known limitation with a span inside the source.
fn check_codegen_error(d: &Diagnostic, source: &[u8]) {
    assert!(invariants::is_known_internal(d), "codegen failed: {d:?}");
    check_span(d.span, source.len(), "codegen error");
    invariants::render_both(d, source);
}

fn check_tree_spans(debug: &str, len: usize, what: &str) {
    for span in spans_in_debug(debug) {
        check_span(span, len, what);
    }
}

/// Runs `job` on the compiler thread, which has [`COMPILER_STACK`] bytes of stack; a panic
/// in it is re-raised here so that the caller (the fuzzer or a test) sees it.
///
/// The thread lives as long as the process and runs one job at a time: spawning a thread
/// per input cost a large share of each execution and let the fuzzer's resident memory
/// grow under AddressSanitizer.
pub fn on_big_stack<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    let (reply, answer) = mpsc::sync_channel(1);
    let job: Job = Box::new(move || {
        let _ = reply.send(catch_unwind(AssertUnwindSafe(job)));
    });
    compiler_thread()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .send(job)
        .expect("the compiler thread is running");
    match answer
        .recv()
        .expect("the compiler thread answers every job")
    {
        Ok(value) => value,
        Err(panic) => resume_unwind(panic),
    }
}

type Job = Box<dyn FnOnce() + Send>;

fn compiler_thread() -> &'static Mutex<mpsc::Sender<Job>> {
    static THREAD: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    THREAD.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("orus-fuzz-compiler".into())
            .stack_size(COMPILER_STACK)
            .spawn(move || queue.into_iter().for_each(|job| job()))
            .expect("spawning the compiler thread");
        Mutex::new(jobs)
    })
}

/// Keeps the first [`OUTPUT_CAP`] bytes written and counts the rest.
#[derive(Default)]
struct CappedOutput {
    kept: Vec<u8>,
    printed: u64,
}

impl Write for CappedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.printed += buf.len() as u64;
        let room = OUTPUT_CAP.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&buf[..buf.len().min(room)]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
