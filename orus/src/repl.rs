//! The interactive session: `orus` with no file and a terminal on stdin.
//!
//! Design: definitions and variables persist between entries (decision D8) by *replay*.
//! The session keeps the source of every accepted entry. A new entry is appended to them
//! and the whole text is compiled as one program and run from the start, with the output
//! the earlier entries produced (counted in bytes when they were accepted) suppressed, so
//! only the new entry's output appears. An entry that fails to compile or stops with a
//! runtime error prints its report and is not kept. This keeps exactly the semantics of a
//! file — forward references, monomorphised functions, closures, mutation of earlier
//! variables — without the VM having to keep state between runs. The price: every entry
//! re-runs the earlier ones (`:reset` starts afresh). The only input a program has,
//! `time_stamp()`, is recorded and given back on re-runs (`vm::ClockTape`), so an earlier
//! entry computes, prints and decides exactly what it did the first time.
//!
//! A bare expression entry of non-void type (`1 + 2`, `xs`) is run as `print(…)` so its
//! value is shown. Reports name the current entry `<repl>` and earlier ones
//! `<repl entry N>`, with line numbers inside that entry.
//!
//! Input: a line ending in `:` opens a block that ends at an empty line; unbalanced
//! brackets or an open `/*` continue the entry too (`... ` prompt). Tests: unit tests here
//! for entry splitting and the session; `orus/tests/repl.rs` drives the binary in a
//! pseudo-terminal.

use crate::cli::out;
use crate::cli::run::{self, Settings};
use orus::ast::StmtKind;
use orus::bytecode::Program;
use orus::diag::{self, Diagnostic, SourceMap, Span};
use orus::driver::{self, CompileFailure};
use orus::modules::SourceFile;
use orus::vm::{ClockTape, HeapSummary, RuntimeError};
use std::io::Write;

const PROMPT: &str = "orus> ";
const CONTINUATION: &str = "... ";

const HELP: &str = "\
Type Orus statements and expressions; the value of an expression is printed.
Definitions and variables persist between entries. A line ending in `:` opens a
block, which ends at an empty line.

  :help          show this text
  :load FILE     run the program in FILE as one entry (its definitions stay)
  :history       list the lines typed so far
  :timing on|off show how long each entry takes
  :memory on|off show what the heap holds after each entry
  :clear         clear the screen
  :reset         forget every definition and variable
  :quit, :exit   leave (Ctrl-D also works)
";

/// Makes SIGINT set [`orus::vm::INTERRUPT`] instead of ending the process.
fn catch_interrupts() {
    #[cfg(unix)]
    {
        extern "C" fn on_interrupt(_signal: i32) {
            // An atomic store is async-signal-safe.
            orus::vm::INTERRUPT.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        extern "C" {
            fn signal(signum: i32, handler: usize) -> usize;
        }
        const SIGINT: i32 = 2;
        // SAFETY: the handler only stores to an atomic.
        unsafe { signal(SIGINT, on_interrupt as *const () as usize) };
    }
}

/// Runs the interactive loop until Ctrl-D or `:quit`; returns the exit code.
pub fn run(settings: Settings, banner: bool) -> u8 {
    use rustyline::error::ReadlineError;

    let mut editor = match rustyline::DefaultEditor::new() {
        Ok(editor) => editor,
        Err(e) => {
            crate::cli::say_err!("Error: cannot start the REPL: {e}");
            return run::EXIT_USAGE;
        }
    };
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    if banner {
        out(format_args!(
            "{} — type :help for help, Ctrl-D to exit\n",
            crate::cli::VERSION
        ));
    }
    // Ctrl-C while an entry runs stops it (E0016) and the prompt comes back; at the prompt
    // the line editor reads Ctrl-C as a key, as before.
    let mut settings = settings;
    settings.vm.interruptible = true;
    catch_interrupts();
    let mut session = Session::new(settings);
    let mut lines: Vec<String> = Vec::new();
    let mut shows = Shows::default();
    // Input the line editor could not read (bytes that are not UTF-8): skipped with a
    // message, unless it keeps failing, which means the terminal is gone.
    let mut unreadable = 0;
    loop {
        let prompt = if lines.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        let line = match editor.readline(prompt) {
            Ok(line) => line,
            Err(ReadlineError::Interrupted) => {
                lines.clear();
                continue;
            }
            Err(ReadlineError::Eof) => {
                // An entry left open (a block not yet ended by an empty line) runs, as
                // Python's REPL does at end of input.
                if !lines.is_empty() {
                    let entry = lines.join("\n");
                    lines.clear();
                    submit(&mut session, &entry, shows);
                }
                out(format_args!("Goodbye!\n"));
                break;
            }
            Err(ReadlineError::Io(e))
                if e.kind() == std::io::ErrorKind::InvalidData && unreadable < 3 =>
            {
                unreadable += 1;
                crate::cli::say_err!("Error: that line is not valid UTF-8 text; it was ignored");
                continue;
            }
            Err(e) => {
                crate::cli::say_err!("Error: {e}");
                break;
            }
        };
        unreadable = 0;
        if !line.trim().is_empty() {
            let _ = editor.add_history_entry(line.as_str());
        }
        if lines.is_empty() {
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            if trimmed.starts_with(':') {
                match command(trimmed, &mut session, &editor, &mut shows) {
                    Flow::Continue => continue,
                    Flow::Quit => {
                        out(format_args!("Goodbye!\n"));
                        break;
                    }
                }
            }
        }
        lines.push(line);
        let entry = lines.join("\n");
        if !entry_is_complete(&entry) {
            continue;
        }
        lines.clear();
        submit(&mut session, &entry, shows);
    }
    if let Some(path) = &history {
        let _ = editor.save_history(path);
    }
    run::EXIT_OK
}

/// `~/.orus_history`, when the home directory is known.
fn history_path() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(std::path::Path::new(&home).join(".orus_history"))
}

enum Flow {
    Continue,
    Quit,
}

/// What is shown after each entry (`:timing on`, `:memory on`).
#[derive(Clone, Copy, Debug, Default)]
struct Shows {
    timing: bool,
    memory: bool,
}

/// Runs `entry` in the session on the terminal's streams, with its time and the heap's
/// contents if asked.
fn submit(session: &mut Session, entry: &str, shows: Shows) {
    submit_from(session, entry, None, shows)
}

/// [`submit`] for the contents of the file `origin` (`:load`).
fn submit_from(session: &mut Session, entry: &str, origin: Option<&str>, shows: Shows) {
    let started = std::time::Instant::now();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let outcome = session.submit_from(entry, origin, &mut stdout.lock(), &mut stderr.lock());
    if shows.timing {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        out(format_args!("(took {ms:.3} ms)\n"));
    }
    if shows.memory && outcome != Outcome::Failed {
        out(format_args!("{}\n", memory_line(&session.heap)));
    }
}

/// The `:memory on` line: the heap after the entry ran (the whole session's values, since
/// each entry runs after the accepted ones).
fn memory_line(heap: &HeapSummary) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "(heap: {} object{}, {:.1} KiB live; at most {} object{}; {} collection{})",
        heap.objects,
        plural(heap.objects),
        heap.live_bytes as f64 / 1024.0,
        heap.peak_objects,
        plural(heap.peak_objects),
        heap.collections,
        plural(heap.collections as usize),
    )
}

/// Runs a `:command`.
fn command(
    text: &str,
    session: &mut Session,
    editor: &rustyline::DefaultEditor,
    shows: &mut Shows,
) -> Flow {
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let rest = rest.trim();
    match (word, rest) {
        (":quit" | ":exit" | ":q", "") => return Flow::Quit,
        (":help" | ":h", "") => out(format_args!("{HELP}")),
        (":load", "") => out(format_args!("Usage: :load FILE\n")),
        (":load", path) => match std::fs::read(path) {
            // A leading BOM is removed as for `orus FILE`.
            Ok(bytes) => match String::from_utf8(orus::lexer::strip_bom(&bytes).to_vec()) {
                Ok(program) => {
                    // (A file in the working directory needs nothing: `use` looks there.)
                    let dir = std::path::Path::new(path).parent();
                    if let Some(dir) = dir.filter(|d| !d.as_os_str().is_empty()) {
                        if !session.load_dirs.iter().any(|d| d == dir) {
                            session.load_dirs.push(dir.to_path_buf());
                        }
                    }
                    submit_from(session, &program, Some(path), *shows)
                }
                Err(_) => out(format_args!("{path} is not UTF-8 text; nothing was run\n")),
            },
            Err(_) => out(format_args!("Could not open file \"{path}\".\n")),
        },
        (":history", "") => {
            for (n, line) in editor.history().iter().enumerate() {
                out(format_args!("{:>4}  {line}\n", n + 1));
            }
        }
        (":timing", "on") => shows.timing = true,
        (":timing", "off") => shows.timing = false,
        (":timing", _) => out(format_args!("Usage: :timing on|off\n")),
        (":memory", "on") => shows.memory = true,
        (":memory", "off") => shows.memory = false,
        (":memory", _) => out(format_args!("Usage: :memory on|off\n")),
        (":clear", "") => out(format_args!("\x1b[2J\x1b[H")),
        (":reset", "") => {
            *session = Session::new(session.settings.clone());
            out(format_args!(
                "Session reset: every definition and variable is forgotten.\n"
            ));
        }
        _ => out(format_args!("Unknown command: {text} (type :help)\n")),
    }
    Flow::Continue
}

/// Whether `entry` (the lines typed so far, joined by `\n`) is ready to run: brackets are
/// balanced, no `/*` is open, and if a line ended with `:` the last line is empty.
pub fn entry_is_complete(entry: &str) -> bool {
    let scan = scan(entry);
    if scan.depth > 0 || scan.in_block_comment {
        return false;
    }
    if !scan.opens_block {
        return true;
    }
    entry
        .rsplit_once('\n')
        .is_some_and(|(_, last)| last.trim().is_empty())
}

/// What [`scan`] learned about an entry.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    /// Open brackets minus closed ones.
    depth: i32,
    /// Some line outside brackets ended with `:`.
    opens_block: bool,
    /// The text ends inside `/* … `.
    in_block_comment: bool,
}

/// Follows strings, comments and brackets through `text`.
fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut result = Scan::default();
    let mut last_significant = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if result.in_block_comment {
            if b == b'*' && bytes.get(i + 1) == Some(&b'/') {
                result.in_block_comment = false;
                i += 1;
            }
            i += 1;
            continue;
        }
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                result.in_block_comment = true;
                i += 2;
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' | b'{' => result.depth += 1,
            b')' | b']' | b'}' => result.depth -= 1,
            b'\n' => {
                if last_significant == b':' && result.depth <= 0 {
                    result.opens_block = true;
                }
                last_significant = 0;
                i += 1;
                continue;
            }
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last_significant = b;
        }
        i += 1;
    }
    if last_significant == b':' && result.depth <= 0 {
        result.opens_block = true;
    }
    result
}

/// The state of a session: the accepted entries and how much output they produce.
pub struct Session {
    settings: Settings,
    entries: Vec<Entry>,
    /// Bytes of output the accepted entries produced when they ran.
    output_len: usize,
    /// What `time_stamp()` gave the accepted entries, in order: they are re-run with it,
    /// so they see the same times and print the same bytes.
    clock: Vec<f64>,
    /// Folders of the files `:load` ran: their `use`s resolve there too, after the
    /// working directory and `ORUS_PATH` (spec §15.2 resolves from the importing file).
    load_dirs: Vec<std::path::PathBuf>,
    /// What the heap held after the last entry that ran.
    heap: HeapSummary,
}

/// One accepted (or candidate) entry.
#[derive(Clone, Debug)]
struct Entry {
    /// What the user typed.
    typed: String,
    /// What is compiled: `typed`, or `print(typed\n)` for a bare expression.
    code: String,
    /// Bytes added in front of `typed` in `code` (`print(` is 6).
    prefix: usize,
    /// The file it came from (`:load FILE`), named in its reports instead of `<repl>`.
    origin: Option<String>,
}

/// A compiled candidate program (the typed tree is not kept: it cannot cross threads).
struct Built {
    program: Program,
    files: Vec<SourceFile>,
}

/// What happened to a submitted entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It ran and is kept.
    Kept,
    /// It compiled and ran, but is not kept (a top-level `return` would end every later
    /// replay).
    RanNotKept,
    /// It had a compile or runtime error, reported on `err`.
    Failed,
}

impl Session {
    pub fn new(settings: Settings) -> Session {
        Session {
            settings,
            entries: Vec::new(),
            output_len: 0,
            clock: Vec::new(),
            load_dirs: Vec::new(),
            heap: HeapSummary::default(),
        }
    }

    /// Compiles and runs one entry after the accepted ones, writing its output to `out`
    /// and any report to `err`.
    #[cfg(test)]
    pub fn submit(&mut self, typed: &str, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
        self.submit_from(typed, None, out, err)
    }

    /// [`submit`](Self::submit) for an entry read from the file `origin` (`:load`).
    pub fn submit_from(
        &mut self,
        typed: &str,
        origin: Option<&str>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Outcome {
        let origin = origin.map(str::to_string);
        let typed = typed.trim_end().to_string();
        let (ast, _) = orus::parser::parse(typed.as_bytes());
        let bare_expression =
            matches!(ast.stmts.as_slice(), [stmt] if matches!(stmt.kind, StmtKind::Expr(_)));
        let has_return = ast
            .stmts
            .iter()
            .any(|s| matches!(s.kind, StmtKind::Return(_)));
        let plain = Entry {
            code: typed.clone(),
            typed: typed.clone(),
            prefix: 0,
            origin: origin.clone(),
        };
        // A bare expression shows its value, when printing it type-checks (not `void`).
        let printed = bare_expression
            .then(|| Entry {
                code: format!("print({typed}\n)"),
                typed: typed.clone(),
                prefix: "print(".len(),
                origin: origin.clone(),
            })
            .and_then(|entry| Some((self.compile(&entry).ok()?, entry)));
        let (compiled, entry) = match printed {
            Some(found) => found,
            None => match self.compile(&plain) {
                Ok(compiled) => (compiled, plain),
                Err(failure) => {
                    self.report_compile(&failure, &plain, err);
                    return Outcome::Failed;
                }
            },
        };
        let mut sink = SkipWriter {
            inner: out,
            skip: self.output_len,
            written: 0,
        };
        // A Ctrl-C pressed before this entry started is not for it.
        orus::vm::INTERRUPT.store(false, std::sync::atomic::Ordering::Relaxed);
        let mut tape = ClockTape::with(self.clock.clone());
        let (result, heap) =
            orus::vm::run_replaying(&compiled.program, &self.settings.vm, &mut sink, &mut tape);
        self.heap = heap;
        let _ = sink.flush();
        let written = sink.written;
        match result {
            Ok(()) if has_return => Outcome::RanNotKept,
            Ok(()) => {
                self.entries.push(entry);
                self.output_len = written;
                self.clock = tape.values;
                Outcome::Kept
            }
            Err(error) => {
                self.report_runtime(&error, &compiled, &entry, err);
                Outcome::Failed
            }
        }
    }

    /// The program text of the accepted entries followed by `candidate`.
    fn source_with(&self, candidate: &Entry) -> String {
        let mut text = String::new();
        for entry in self.entries.iter().chain([candidate]) {
            text.push_str(&entry.code);
            text.push('\n');
        }
        text
    }

    fn compile(&self, candidate: &Entry) -> Result<Built, CompileFailure> {
        let source = self.source_with(candidate);
        let mut options = self.settings.compile_options();
        options.search.dirs.extend(self.load_dirs.iter().cloned());
        run::compile_isolated(move |max_depth| {
            let options = orus::driver::CompileOptions {
                max_depth,
                ..options
            };
            driver::compile_with("<repl>", source.as_bytes(), &options).map(|compiled| Built {
                program: compiled.program,
                files: compiled.files,
            })
        })
        .unwrap_or_else(|| {
            Err(CompileFailure {
                diags: vec![Diagnostic::new(
                    orus::diag::Code::Internal,
                    Span::default(),
                    "the compiler crashed; please report this bug",
                )],
                files: Vec::new(),
            })
        })
    }

    /// Which entry a span of the combined source falls in (the candidate is last), and
    /// the span within what the user typed for it.
    fn localise(&self, candidate: &Entry, span: Span) -> (usize, Span) {
        let mut start = 0usize;
        let all: Vec<&Entry> = self.entries.iter().chain([candidate]).collect();
        for (index, entry) in all.iter().enumerate() {
            let end = start + entry.code.len() + 1;
            if (span.start as usize) < end || index + 1 == all.len() {
                let shift = |offset: u32| {
                    (offset as usize)
                        .saturating_sub(start + entry.prefix)
                        .min(entry.typed.len())
                };
                return (index, Span::new(shift(span.start), shift(span.end)));
            }
            start = end;
        }
        (all.len() - 1, span)
    }

    /// The name used in reports for entry `index` when `candidate` is being run: the file
    /// it was loaded from, else `<repl>` for the candidate and `<repl entry N>` before it.
    fn entry_name(&self, candidate: &Entry, index: usize) -> String {
        let entry = self.entries.get(index).unwrap_or(candidate);
        match &entry.origin {
            Some(path) => path.clone(),
            None if index == self.entries.len() => "<repl>".to_string(),
            None => format!("<repl entry {}>", index + 1),
        }
    }

    fn typed_text<'a>(&'a self, candidate: &'a Entry, index: usize) -> &'a str {
        self.entries.get(index).unwrap_or(candidate).typed.as_str()
    }

    /// Renders a diagnostic: against the entry it points into when it is in the session's
    /// own text (file 0), otherwise against the module file it names.
    fn render(&self, candidate: &Entry, diag: &Diagnostic, files: &[SourceFile]) -> String {
        let file = diag.file.unwrap_or(0);
        if file != 0 {
            return driver::render_diagnostics(
                std::slice::from_ref(diag),
                files,
                self.settings.render,
            );
        }
        let (index, span) = self.localise(candidate, diag.span);
        let name = self.entry_name(candidate, index);
        let map = SourceMap::new(&name, self.typed_text(candidate, index).as_bytes());
        let mut local = diag.clone();
        local.span = span;
        diag::render(&local, &map, self.settings.render)
    }

    /// The file name and line of a stack frame.
    fn frame_location(
        &self,
        candidate: &Entry,
        files: &[SourceFile],
        file: u32,
        span: Span,
    ) -> (String, usize) {
        if file != 0 {
            let source = files.get(file as usize);
            let (display, text) = source.map_or(("<unknown>", &b""[..]), |f| {
                (f.display.as_str(), &f.text[..])
            });
            return (
                display.to_string(),
                SourceMap::new(display, text).line_col(span.start).0,
            );
        }
        let (index, local) = self.localise(candidate, span);
        let map = SourceMap::new("", self.typed_text(candidate, index).as_bytes());
        (
            self.entry_name(candidate, index),
            map.line_col(local.start).0,
        )
    }

    fn report_compile(&self, failure: &CompileFailure, candidate: &Entry, err: &mut dyn Write) {
        for d in &failure.diags {
            let _ = err.write_all(self.render(candidate, d, &failure.files).as_bytes());
        }
    }

    fn report_runtime(
        &self,
        error: &RuntimeError,
        compiled: &Built,
        candidate: &Entry,
        err: &mut dyn Write,
    ) {
        let diag = driver::runtime_diagnostic(&compiled.program, &compiled.files, error);
        let mut text = self.render(candidate, &diag, &compiled.files);
        if self.settings.render.format == diag::ErrorFormat::Long && diag.code == error.code {
            let frames = run::trace_frames(error, &compiled.program, |file, span| {
                self.frame_location(candidate, &compiled.files, file, span)
            });
            text.push_str(&run::format_trace(&frames));
        }
        let _ = err.write_all(text.as_bytes());
    }
}

/// Passes output through after dropping the first `skip` bytes, and counts every byte.
struct SkipWriter<'a> {
    inner: &'a mut dyn Write,
    skip: usize,
    written: usize,
}

impl Write for SkipWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let hidden = self.skip.saturating_sub(self.written).min(buf.len());
        self.inner.write_all(&buf[hidden..])?;
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orus::diag::RenderOptions;

    fn session() -> Session {
        Session::new(Settings::default())
    }

    /// Submits an entry; returns (outcome, stdout, stderr).
    fn submit(session: &mut Session, entry: &str) -> (Outcome, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = session.submit(entry, &mut out, &mut err);
        (
            outcome,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn completeness() {
        assert!(entry_is_complete("x = 1"));
        assert!(entry_is_complete("print(\"(\")"));
        assert!(entry_is_complete("x = 1 // ("));
        assert!(!entry_is_complete("xs = [1,"));
        assert!(entry_is_complete("xs = [1,\n2]"));
        assert!(!entry_is_complete("fn f():"));
        assert!(!entry_is_complete("fn f():\n    return 1"));
        assert!(entry_is_complete("fn f():\n    return 1\n"));
        assert!(!entry_is_complete("x = 1 /* open"));
        assert!(!entry_is_complete("if x: // comment"));
        assert!(entry_is_complete("p = Point{x: 1, y: 2}"));
        assert!(entry_is_complete("print(\"a:\")"));
    }

    #[test]
    fn reports_name_the_file_an_entry_was_loaded_from() {
        let mut s = session();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let outcome = s.submit_from(
            "n = 1\nprint(n + \"a\")",
            Some("lib/demo.orus"),
            &mut out,
            &mut err,
        );
        let err = String::from_utf8(err).unwrap();
        assert_eq!(outcome, Outcome::Failed);
        assert!(err.contains("lib/demo.orus:2:9"), "{err}");
        // A later entry's runtime error in a loaded function names the file in the trace.
        let mut s = session();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let loaded = "fn half(n: i32) -> i32:\n    return 10 / n\n";
        s.submit_from(loaded, Some("half.orus"), &mut out, &mut err);
        let (outcome, _, err) = submit(&mut s, "print(half(0))");
        assert_eq!(outcome, Outcome::Failed);
        assert!(err.contains("half.orus:2"), "{err}");
    }

    #[test]
    fn the_heap_summary_counts_the_sessions_values() {
        let mut s = session();
        submit(&mut s, "x = 1");
        let before = s.heap;
        submit(
            &mut s,
            "xs = [\"a\" + (x as string), \"b\" + (x as string)]",
        );
        let after = s.heap;
        assert!(
            after.objects >= before.objects + 3 && after.live_bytes > before.live_bytes,
            "{before:?} -> {after:?}"
        );
        let line = memory_line(&HeapSummary {
            objects: 1,
            peak_objects: 4,
            live_bytes: 2048,
            collections: 0,
        });
        assert_eq!(
            line,
            "(heap: 1 object, 2.0 KiB live; at most 4 objects; 0 collections)"
        );
    }

    #[test]
    fn earlier_entries_see_the_times_they_saw() {
        // Re-running `t = time_stamp()` must not give `t` a new value: a later entry would
        // see it change, and the hidden output of the earlier ones would change length.
        let mut s = session();
        submit(&mut s, "t = time_stamp()");
        let (_, first, _) = submit(&mut s, "print(t)");
        std::thread::sleep(std::time::Duration::from_millis(30));
        let (_, again, _) = submit(&mut s, "print(t)");
        assert_eq!(first, again);
        let (outcome, out, err) = submit(
            &mut s,
            "if time_stamp() - t < 0.02:\n    throw \"too soon\"\n",
        );
        assert_eq!(
            (outcome, out.as_str(), err.as_str()),
            (Outcome::Kept, "", "")
        );
        assert_eq!(submit(&mut s, "print(t)").1, first);
    }

    #[test]
    fn definitions_persist_and_only_new_output_shows() {
        let mut s = session();
        assert_eq!(submit(&mut s, "mut total = 1").0, Outcome::Kept);
        let (_, out, _) = submit(&mut s, "print(total)");
        assert_eq!(out, "1\n");
        submit(&mut s, "fn double(n: i32) -> i32:\n    return n * 2\n");
        submit(&mut s, "total += 4");
        let (outcome, out, err) = submit(&mut s, "double(total)");
        assert_eq!(
            (outcome, out.as_str(), err.as_str()),
            (Outcome::Kept, "10\n", "")
        );
    }

    #[test]
    fn void_calls_are_not_printed() {
        let mut s = session();
        submit(&mut s, "fn hello():\n    print(\"hi\")\n");
        let (outcome, out, err) = submit(&mut s, "hello()");
        assert_eq!(
            (outcome, out.as_str(), err.as_str()),
            (Outcome::Kept, "hi\n", "")
        );
    }

    #[test]
    fn errors_are_reported_against_the_entry_and_not_kept() {
        let mut s = Session::new(Settings {
            render: RenderOptions::default(),
            ..Settings::default()
        });
        submit(&mut s, "x = 1");
        let (outcome, out, err) = submit(&mut s, "y = x + \"a\"");
        assert_eq!(outcome, Outcome::Failed);
        assert_eq!(out, "");
        assert!(err.contains("[E2001]"), "{err}");
        assert!(err.contains("<repl>:1:"), "{err}");
        assert!(err.contains("  1 | y = x + \"a\""), "{err}");
        // The failed entry left nothing behind: `y` is still free.
        let (outcome, _, err) = submit(&mut s, "y = x + 1");
        assert_eq!(outcome, Outcome::Kept, "{err}");
    }

    #[test]
    fn runtime_errors_point_into_the_entry_with_a_trace() {
        let mut s = session();
        submit(&mut s, "fn div(a: i32, b: i32) -> i32:\n    return a / b\n");
        let (outcome, _, err) = submit(&mut s, "print(div(1, 0))");
        assert_eq!(outcome, Outcome::Failed);
        assert!(err.contains("[E0001]"), "{err}");
        assert!(err.contains("<repl entry 1>:2:"), "{err}");
        assert!(
            err.ends_with("  at div (<repl entry 1>:2)\n  at <main> (<repl>:1)\n"),
            "{err}"
        );
    }

    #[test]
    fn bare_expression_runtime_errors_have_entry_columns() {
        let mut s = session();
        let (_, _, err) = submit(&mut s, "1 / 0");
        assert!(err.contains("<repl>:1:3"), "{err}");
    }
}
