//! Compiling and running one program for the command line: the debug dumps, the VM,
//! the rendering of compile and runtime errors (with the runtime stack trace), and the
//! exit codes of spec §17.4.
//!
//! The pipeline itself, and the mapping of errors to source files (modules), are the
//! library's `driver`. The REPL reuses the pieces here (`compile_isolated`, `trace_frames`,
//! `format_trace`) with its own source layout.

use orus::bytecode::{self, Program};
use orus::diag::{self, Category, Code, ErrorFormat, RenderOptions, SourceMap, Span};
use orus::driver::{self, CompileFailure, CompileOptions};
use orus::modules::{SearchPath, SourceFile};
use orus::opt::OptStats;
use orus::vm::{self, LoopTrace, RuntimeError, VmConfig};
use std::io::{IsTerminal, Write};

pub const EXIT_OK: u8 = 0;
pub const EXIT_USAGE: u8 = 64;
pub const EXIT_COMPILE: u8 = 65;
pub const EXIT_NO_INPUT: u8 = 66;
pub const EXIT_RUNTIME: u8 = 70;

/// Stack size of the compiler thread: the parser bounds nesting, but a generous stack keeps
/// debug builds and long operator chains well away from the host limit.
const COMPILER_STACK: usize = 256 * 1024 * 1024;

// Stack one level of syntax tree may need in the compiler's recursive passes, with a wide
// margin: measured at 1.0–2.0 KiB in release builds (parentheses 1.0, operator chains 1.4,
// nested calls 2.0), far more in unoptimised builds.
use orus::parser::STACK_PER_TREE_LEVEL;

/// The deepest syntax tree the binary accepts (long operator chains; nesting of brackets,
/// blocks and types stays at `parser::MAX_DEPTH`): what the compiler thread's stack holds.
const COMPILER_MAX_DEPTH: u32 = (COMPILER_STACK / STACK_PER_TREE_LEVEL) as u32;

/// A stack trace longer than this many lines keeps its first and last halves.
const MAX_TRACE_LINES: usize = 40;

/// How a program is compiled, run and reported.
#[derive(Clone, Debug)]
pub struct Settings {
    pub render: RenderOptions,
    pub vm: VmConfig,
    pub dumps: Dumps,
    /// Run the optimiser (`-O0` turns it off).
    pub optimize: bool,
    /// Print the optimiser's counters to stderr after compiling (`--show-opt-stats`).
    pub opt_stats: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            render: RenderOptions::default(),
            vm: VmConfig::default(),
            dumps: Dumps::default(),
            optimize: true,
            opt_stats: false,
        }
    }
}

impl Settings {
    /// The library's compile options for these settings.
    pub fn compile_options(&self) -> CompileOptions {
        CompileOptions {
            search: SearchPath::from_env(),
            optimize: self.optimize,
            max_depth: COMPILER_MAX_DEPTH,
        }
    }
}

/// Which intermediate stages to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct Dumps {
    /// Print the tokens and stop.
    pub tokens: bool,
    /// Print the syntax tree and stop.
    pub ast: bool,
    /// Print the typed tree and stop.
    pub typed_ast: bool,
    /// Print the bytecode, then run.
    pub bytecode: bool,
}

/// Whether diagnostics get colour: stderr is a terminal, `NO_COLOR` is unset, `TERM` is set
/// and not `dumb` (spec §18), and `--no-colors` was not given.
pub fn use_colour(no_colors: bool) -> bool {
    let term_ok = std::env::var("TERM").is_ok_and(|t| !t.is_empty() && t != "dumb");
    !no_colors
        && std::env::var_os("NO_COLOR").is_none()
        && term_ok
        && std::io::stderr().is_terminal()
}

/// Compiles and runs `source`, named `name` in diagnostics; returns the exit code.
pub fn run_program(name: &str, source: Vec<u8>, settings: &Settings) -> u8 {
    let compiled = compile_isolated({
        let name = name.to_string();
        let (dumps, options) = (settings.dumps, settings.compile_options());
        move |max_depth| {
            let _bump = crate::arena::Compiling::start();
            let options = CompileOptions {
                max_depth,
                ..options
            };
            compile_stage(&name, source, dumps, &options)
        }
    });
    let (program, files, stats) = match compiled {
        Some(Ok(Some(compiled))) => compiled,
        Some(Ok(None)) => return EXIT_OK,
        Some(Err(failure)) => return compile_failed(name, &failure, settings),
        None => return compiler_crashed(),
    };
    if settings.opt_stats {
        crate::cli::say_err!("{stats}");
    }
    // On a terminal every printed line shows at once, so a long computation or an
    // interrupted program shows what it printed; into a pipe or a file output is paced
    // (`Paced`).
    let stdout = program_stdout();
    let (mut lines, mut paced);
    let out: &mut dyn Write = if stdout.is_terminal() {
        lines = std::io::LineWriter::new(&*stdout);
        &mut lines
    } else {
        paced = Paced::new(&*stdout);
        &mut paced
    };
    let (result, loops) = vm::run_traced(&program, &settings.vm, out);
    // A print that fails is E0015 (`vm`); the last block is written here.
    if let (Err(error), Ok(())) = (out.flush(), &result) {
        crate::cli::say_err!("Error [E0015]: could not write the program's output: {error}");
        return EXIT_RUNTIME;
    }
    let exit = match result {
        Ok(()) => EXIT_OK,
        Err(error) => {
            let diag = driver::runtime_diagnostic(&program, &files, &error);
            let mut text =
                driver::render_diagnostics(std::slice::from_ref(&diag), &files, settings.render);
            // A runtime error inside a module's initialiser is a module error (E3008),
            // reported at the `use`; its trace stops at the module's top-level code, since
            // the frames outside it are only the loading machinery.
            if settings.render.format == ErrorFormat::Long {
                // One line index per file, built when a frame first needs it: a trace of
                // 10 000 frames over a large file must not index the file 10 000 times.
                let mut maps: Vec<Option<SourceMap<'_>>> = files.iter().map(|_| None).collect();
                let mut frames = trace_frames(&error, &program, |file, span| {
                    let Some(source) = files.get(file as usize) else {
                        return ("<unknown>".to_string(), 0);
                    };
                    let map = maps[file as usize]
                        .get_or_insert_with(|| SourceMap::new(&source.display, &source.text));
                    (source.display.clone(), map.line_col(span.start).0)
                });
                if diag.code != error.code {
                    if let Some(i) = frames
                        .iter()
                        .position(|f| f.function.starts_with("<module "))
                    {
                        frames.truncate(i + 1);
                    }
                }
                text.push_str(&format_trace(&frames));
            }
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            exit_code_for(diag.code)
        }
    };
    if settings.vm.trace_loops {
        crate::cli::say_err!("{loops}");
    }
    exit
}

/// Parses and type-checks `source` without running it: prints nothing on success.
pub fn check_program(name: &str, source: Vec<u8>, settings: &Settings) -> u8 {
    let compiled = compile_isolated({
        let (name, options) = (name.to_string(), settings.compile_options());
        move |max_depth| {
            let _bump = crate::arena::Compiling::start();
            let options = CompileOptions {
                max_depth,
                ..options
            };
            // Nothing of a correct program is used after checking: all of it is let go
            // of like the trees (freeing the bytecode cost 0.4 % of `orus check`).
            driver::compile_source(&name, source, &options).map(std::mem::forget)
        }
    });
    match compiled {
        Some(Ok(())) => EXIT_OK,
        Some(Err(failure)) => compile_failed(
            name,
            &failure,
            &Settings {
                vm: VmConfig::default(),
                ..settings.clone()
            },
        ),
        None => compiler_crashed(),
    }
}

/// The exit code for a program that stopped with an error of this code (spec §17.4).
pub fn exit_code_for(code: Code) -> u8 {
    match code.category() {
        Category::Runtime => EXIT_RUNTIME,
        _ => EXIT_COMPILE,
    }
}

/// Runs `job` (a compilation) on a thread with a large stack, giving it the deepest syntax
/// tree that stack holds. `None` means it panicked, which is a compiler bug; the panic
/// message has already been printed by the hook.
///
/// Under a small address-space limit (`ulimit -v`) the 256 MiB stack can't be reserved:
/// smaller ones are tried, with a depth limit to match, and last the calling thread.
pub fn compile_isolated<T: Send + 'static>(
    job: impl FnOnce(u32) -> T + Send + 'static,
) -> Option<T> {
    let job = std::sync::Arc::new(std::sync::Mutex::new(Some(job)));
    for stack in [
        COMPILER_STACK,
        COMPILER_STACK / 4,
        COMPILER_STACK / 16,
        COMPILER_STACK / 64,
    ] {
        let depth = (stack / STACK_PER_TREE_LEVEL) as u32;
        let slot = std::sync::Arc::clone(&job);
        let spawned = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let job = slot.lock().ok()?.take()?;
                Some(job(depth))
            });
        if let Ok(handle) = spawned {
            return handle.join().ok().flatten();
        }
    }
    // No thread at all: compile here, within what a default 8 MiB main stack holds.
    let job = job.lock().ok()?.take()?;
    Some(job((COMPILER_STACK / 64 / STACK_PER_TREE_LEVEL) as u32))
}

/// One stack frame as it is printed: the function's name, the file and the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub function: String,
    pub file: String,
    pub line: usize,
}

/// The frames of a runtime error, innermost first; `locate` turns a file index and a span
/// into a file name and a 1-based line.
pub fn trace_frames(
    error: &RuntimeError,
    program: &Program,
    mut locate: impl FnMut(u32, Span) -> (String, usize),
) -> Vec<Frame> {
    error
        .trace
        .iter()
        .map(|&(func, pc)| {
            let function = program.functions.get(func as usize);
            let (file, line) = locate(
                function.map_or(0, |f| f.file),
                frame_span(program, func, pc).unwrap_or_default(),
            );
            let function = function.map_or_else(|| "<unknown>".to_string(), |f| f.name.clone());
            Frame {
                function,
                file,
                line,
            }
        })
        .collect()
}

/// The stack trace printed after a runtime error report: one `  at f (file:line)` line per
/// frame, innermost first. A frame repeated more than three times in a row (deep
/// recursion) is printed three times and counted, and a trace longer than
/// `MAX_TRACE_LINES` keeps its two ends.
pub fn format_trace(frames: &[Frame]) -> String {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < frames.len() {
        let run = frames[i..].iter().take_while(|f| **f == frames[i]).count();
        let f = &frames[i];
        for _ in 0..run.min(3) {
            lines.push(format!("  at {} ({}:{})", f.function, f.file, f.line));
        }
        if run > 3 {
            lines.push(format!(
                "  ... the frame above repeats {} more times",
                run - 3
            ));
        }
        i += run;
    }
    if lines.len() > MAX_TRACE_LINES {
        let half = MAX_TRACE_LINES / 2;
        let omitted = lines.len() - 2 * half;
        let tail = lines.split_off(lines.len() - half);
        lines.truncate(half);
        lines.push(format!("  ... {omitted} more lines ..."));
        lines.extend(tail);
    }
    let mut text = String::new();
    for line in lines {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Prints compile diagnostics, the loop telemetry line when it is on (all zeros: nothing
/// ran) and the closing `Compilation failed` line; returns 65.
pub fn compile_failed(name: &str, failure: &CompileFailure, settings: &Settings) -> u8 {
    let text = driver::render_diagnostics(&failure.diags, &failure.files, settings.render);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    if settings.vm.trace_loops {
        let _ = writeln!(err, "{}", LoopTrace::default());
    }
    let _ = writeln!(err, "Compilation failed for \"{name}\".");
    EXIT_COMPILE
}

fn compiler_crashed() -> u8 {
    crate::cli::say_err!("-- INTERNAL ERROR [E9001]: the compiler crashed; please report this bug");
    EXIT_COMPILE
}

fn frame_span(program: &Program, func: u32, pc: usize) -> Option<Span> {
    program.functions.get(func as usize)?.spans.get(pc).copied()
}

/// Runs the front end and code generator, printing any requested dumps. `Ok(None)` means
/// a dump-only flag asked us to stop after printing.
fn compile_stage(
    path: &str,
    source: Vec<u8>,
    dumps: Dumps,
    options: &CompileOptions,
) -> Result<Option<(Program, Vec<SourceFile>, OptStats)>, CompileFailure> {
    // The dumps lex the file here; they remove a leading BOM as the module loader does
    // (once), so their columns on line 1 are right too.
    let dump_source = orus::lexer::strip_bom(&source);
    let main_file = || {
        vec![SourceFile {
            display: path.to_string(),
            text: dump_source.to_vec(),
        }]
    };
    if dumps.tokens {
        let (tokens, _) = orus::lexer::tokenize(dump_source);
        let map = SourceMap::new(path, dump_source);
        let mut out = std::io::stdout().lock();
        for t in &tokens {
            let (line, col) = map.line_col(t.span.start);
            let _ = writeln!(out, "{line}:{col} {}", t.kind.describe());
        }
        return Ok(None);
    }
    if dumps.ast {
        let (ast, mut diags) = orus::parser::parse_with_depth(dump_source, options.max_depth);
        if !diags.is_empty() {
            diag::sort_and_dedup(&mut diags);
            return Err(CompileFailure {
                diags,
                files: main_file(),
            });
        }
        super::out(format_args!("{}\n", pretty_debug(&format!("{ast:?}"))));
        return Ok(None);
    }
    let compiled = driver::compile_source(path, source, options)?;
    if dumps.typed_ast {
        let typed = pretty_debug(&format!("{:?}", compiled.typed));
        super::out(format_args!("{typed}\n"));
        return Ok(None);
    }
    if dumps.bytecode {
        super::out(format_args!("{}", bytecode::disassemble(&compiled.program)));
    }
    release_trees(compiled.ast, compiled.typed);
    Ok(Some((compiled.program, compiled.files, compiled.opt_stats)))
}

/// Program output into a pipe or a file. After a pause of [`PACE_MS`] or more without a
/// write-out, the next [`THROUGH_WRITES`] writes go straight out; later ones collect in a
/// 64 KiB block, written out when full or at the first write [`PACE_MS`] after the last
/// write-out, which starts the count again. Output that trickles (progress lines, the few
/// lines before a long computation) is seen as it is printed, as spec §16.1's "print
/// flushes stdout" asks, while a burst of lines costs a few dozen system calls per
/// [`PACE_MS`] instead of one per line (C's stdio and Python hold it all until exit).
struct Paced<W: Write> {
    block: std::io::BufWriter<W>,
    /// [`coarse_ms`] when the block was last written out; `None` before the first write.
    written_at: Option<u64>,
    /// Writes that went straight out since the last pause.
    through: u32,
}

const PACE_MS: u64 = 20;
const THROUGH_WRITES: u32 = 32;

impl<W: Write> Paced<W> {
    fn new(inner: W) -> Paced<W> {
        Paced {
            block: std::io::BufWriter::with_capacity(64 * 1024, inner),
            written_at: None,
            through: 0,
        }
    }
}

impl<W: Write> Write for Paced<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = self.block.write(bytes)?;
        let now = coarse_ms();
        if self
            .written_at
            .is_none_or(|at| now.wrapping_sub(at) >= PACE_MS)
        {
            self.through = 0;
        }
        if self.through < THROUGH_WRITES {
            self.through += 1;
            self.block.flush()?;
            self.written_at = Some(now);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.written_at = Some(coarse_ms());
        self.block.flush()
    }
}

/// Milliseconds of a monotonic clock, to a few milliseconds: Linux's coarse clock is
/// read from memory the kernel updates (a few nanoseconds; the precise clock doubled the
/// time of a loop of short prints).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn coarse_ms() -> u64 {
    const CLOCK_MONOTONIC_COARSE: i32 = 6;
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut [i64; 2]) -> i32;
    }
    let mut time = [0i64; 2];
    // SAFETY: on 64-bit Linux a `timespec` is two 64-bit integers (seconds, nanoseconds),
    // which the call fills in; it reads nothing else.
    unsafe { clock_gettime(CLOCK_MONOTONIC_COARSE, &mut time) };
    (time[0] as u64).wrapping_mul(1000) + (time[1] as u64) / 1_000_000
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn coarse_ms() -> u64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_millis() as u64
}

/// Standard output for the program's prints, as the file descriptor itself: `std`'s
/// `Stdout` reports a write to a closed descriptor (EBADF) as a success, so
/// `orus prog >&-` lost all output and exited 0 instead of E0015.
#[cfg(unix)]
fn program_stdout() -> std::mem::ManuallyDrop<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: descriptor 1 belongs to the process for its whole life; `ManuallyDrop`
    // never closes it, and a descriptor that is not open only makes writes fail.
    std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) })
}

/// Lets go of a compilation's syntax trees without freeing them node by node: the process
/// ends after this run, and walking a large program's trees to free them cost about a
/// sixth of its compile time (16 % of the instructions of `orus check` on a generated
/// 100 000-line file). Their memory stays counted until exit, which does not raise the
/// peak: it was reached while they were all alive, at the end of compilation.
fn release_trees(ast: orus::ast::Program, typed: orus::types::typed::TProgram) {
    std::mem::forget(ast);
    std::mem::forget(typed);
}

/// The layout of `{:#?}` made from the one-line `{:?}` text in one pass. The standard
/// pretty form indents through one adapter per open level, so every byte of a tree `d`
/// levels deep passes `d` adapters: a 5 000-term chain took minutes to dump. Indentation
/// stops growing at [`MAX_DUMP_INDENT`] levels, so the output stays linear in the tree's
/// size: an 8 000-term chain indented in full was 4.9 GB of spaces.
fn pretty_debug(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 4 * depth.min(MAX_DUMP_INDENT), b' ');
    };
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' => {
                // A string literal, escapes included, is copied as it is.
                out.push(c);
                i += 1;
                while i < bytes.len() {
                    out.push(bytes[i]);
                    match bytes[i] {
                        b'\\' if i + 1 < bytes.len() => {
                            out.push(bytes[i + 1]);
                            i += 1;
                        }
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'{' | b'(' | b'[' => {
                let close = match c {
                    b'{' => b'}',
                    b'(' => b')',
                    _ => b']',
                };
                if bytes.get(i + 1) == Some(&close) {
                    out.extend_from_slice(&[c, close]);
                    i += 1;
                } else {
                    out.push(c);
                    depth += 1;
                    newline(&mut out, depth);
                    if bytes.get(i + 1) == Some(&b' ') {
                        i += 1;
                    }
                }
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
                if bytes.get(i + 1) == Some(&b' ') {
                    i += 1;
                }
            }
            b'}' | b')' | b']' => {
                while out.last() == Some(&b' ') {
                    out.pop();
                }
                out.push(b',');
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            _ => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The deepest indentation of a dumped tree, in levels of four spaces.
const MAX_DUMP_INDENT: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    /// The first lines go out at once (the few lines before a long computation), and so
    /// does one printed after a pause; what the block holds is never lost.
    #[test]
    fn paced_output_goes_out_at_first_and_after_a_pause() {
        let mut out = Paced::new(Vec::new());
        let mut expected = Vec::new();
        for i in 0..THROUGH_WRITES {
            let line = format!("line {i}\n");
            out.write_all(line.as_bytes()).unwrap();
            expected.extend_from_slice(line.as_bytes());
            assert_eq!(out.block.get_ref(), &expected, "write {i} went out");
        }
        for _ in 0..1000 {
            out.write_all(b"burst\n").unwrap();
            expected.extend_from_slice(b"burst\n");
        }
        std::thread::sleep(std::time::Duration::from_millis(3 * PACE_MS));
        out.write_all(b"later\n").unwrap();
        expected.extend_from_slice(b"later\n");
        assert_eq!(
            out.block.get_ref(),
            &expected,
            "the write after a pause went out"
        );
        out.write_all(b"last\n").unwrap();
        out.flush().unwrap();
        expected.extend_from_slice(b"last\n");
        assert_eq!(out.block.get_ref(), &expected);
    }

    #[test]
    fn a_deep_dump_stays_linear_in_size() {
        let depth = 5_000;
        let compact = format!("{}x{}", "Add(".repeat(depth), ")".repeat(depth));
        let pretty = pretty_debug(&compact);
        // Each level makes two lines of at most MAX_DUMP_INDENT levels of indentation.
        assert!(
            pretty.len() < depth * 2 * (4 * MAX_DUMP_INDENT + 8),
            "{}",
            pretty.len()
        );
        let widest = pretty.lines().map(|l| l.len() - l.trim_start().len()).max();
        assert_eq!(widest, Some(4 * MAX_DUMP_INDENT));
    }

    #[test]
    fn pretty_debug_matches_the_standard_pretty_form() {
        let src = b"struct P:\n    x: i32\nfn f(a: i32) -> [i32]:\n    s = \"q\\\"{(,)}\"\n    return [a, -2, 3]\nprint(f(1), P{x: 2}.x, 1.5)\n";
        let (ast, diags) = orus::parser::parse(src);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            super::pretty_debug(&format!("{ast:?}")),
            format!("{ast:#?}")
        );
        let compiled = orus::driver::compile("t.orus", src).expect("compiles");
        assert_eq!(
            super::pretty_debug(&format!("{:?}", compiled.typed)),
            format!("{:#?}", compiled.typed)
        );
    }

    fn frame(function: &str, line: usize) -> Frame {
        Frame {
            function: function.into(),
            file: "f.orus".into(),
            line,
        }
    }

    #[test]
    fn trace_lists_frames_innermost_first() {
        let text = format_trace(&[frame("fib", 4), frame("<main>", 9)]);
        assert_eq!(text, "  at fib (f.orus:4)\n  at <main> (f.orus:9)\n");
    }

    #[test]
    fn deep_recursion_is_summarised() {
        let mut frames = vec![frame("down", 2)];
        frames.extend(vec![frame("down", 3); 500]);
        frames.push(frame("<main>", 5));
        let text = format_trace(&frames);
        assert_eq!(
            text,
            "  at down (f.orus:2)\n  at down (f.orus:3)\n  at down (f.orus:3)\n  \
             at down (f.orus:3)\n  ... the frame above repeats 497 more times\n  \
             at <main> (f.orus:5)\n"
        );
    }

    #[test]
    fn long_alternating_traces_keep_both_ends() {
        let frames: Vec<Frame> = (0..100)
            .map(|i| frame(if i % 2 == 0 { "even" } else { "odd" }, 2 + i % 2))
            .collect();
        let text = format_trace(&frames);
        assert_eq!(text.lines().count(), MAX_TRACE_LINES + 1);
        assert!(text.contains("  ... 60 more lines ...\n"));
    }
}
