//! The whole pipeline behind one call: source bytes → loaded modules → checked, compiled
//! program; and the mapping of errors back to source files for reporting.
//!
//! Used by the binary, the REPL, the benchmarks and the fuzz targets. It owns the order of
//! the stages and the rule that a later stage only runs when the earlier ones reported no
//! error.

use crate::bytecode::Program;
use crate::diag::{self, Code, Diagnostic, RenderOptions, SourceMap};
use crate::modules::{self, SearchPath, SourceFile};
use crate::opt::OptStats;
use crate::types::{self, ModuleInput};
use crate::vm::RuntimeError;
use crate::{ast, codegen};
use std::path::Path;

/// What a compilation produced.
pub struct Compiled {
    /// The main file's syntax tree.
    pub ast: ast::Program,
    pub typed: types::typed::TProgram,
    pub program: Program,
    /// Every source file of the program (the main file first); diagnostics and function
    /// spans refer to them by index.
    pub files: Vec<SourceFile>,
    /// What the optimizer did.
    pub opt_stats: OptStats,
}

/// A failed compilation: the diagnostics and the files they refer to.
pub struct CompileFailure {
    pub diags: Vec<Diagnostic>,
    pub files: Vec<SourceFile>,
}

/// Compiles the program whose main file is `name` (a path, used to find its modules) with
/// contents `source`. On failure returns every diagnostic of the first failing stage.
pub fn compile(name: &str, source: &[u8]) -> Result<Compiled, Vec<Diagnostic>> {
    compile_program(name, source, &SearchPath::from_env()).map_err(|f| f.diags)
}

/// How to compile.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    pub search: SearchPath,
    /// Run the optimizer (`-O0` turns it off).
    pub optimize: bool,
    /// Deepest syntax tree accepted (`parser::parse_with_depth`). The compiler's passes
    /// recurse over the tree, so this must suit the stack they run on; the default,
    /// `parser::MAX_DEPTH`, is safe on any thread.
    pub max_depth: u32,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            search: SearchPath::from_env(),
            optimize: true,
            max_depth: crate::parser::MAX_DEPTH,
        }
    }
}

/// [`compile`], keeping the source files of a failure for rendering.
pub fn compile_program(
    name: &str,
    source: &[u8],
    search: &SearchPath,
) -> Result<Compiled, CompileFailure> {
    let options = CompileOptions {
        search: search.clone(),
        ..CompileOptions::default()
    };
    compile_with(name, source, &options)
}

/// Compiles with explicit options.
pub fn compile_with(
    name: &str,
    source: &[u8],
    options: &CompileOptions,
) -> Result<Compiled, CompileFailure> {
    compile_source(name, source.to_vec(), options)
}

/// [`compile_with`] taking the source text by value (the compiled program's main file
/// keeps it, so the caller's copy need not be copied again).
pub fn compile_source(
    name: &str,
    source: Vec<u8>,
    options: &CompileOptions,
) -> Result<Compiled, CompileFailure> {
    let search = &options.search;
    let (graph, mut diags) =
        modules::load(name, source, Path::new(name), search, options.max_depth);
    let fail = |mut diags: Vec<Diagnostic>, files: Vec<SourceFile>| {
        diag::sort_and_dedup(&mut diags);
        Err(CompileFailure { diags, files })
    };
    if !diags.is_empty() {
        return fail(diags, graph.files);
    }
    let inputs = module_inputs(&graph);
    let (mut typed, type_diags) = types::check_modules_with_depth(&inputs, options.max_depth);
    drop(inputs);
    diags = type_diags;
    if !diags.is_empty() {
        return fail(diags, graph.files);
    }
    let (generated, opt_stats) = if options.optimize {
        codegen::generate_optimized(&mut typed)
    } else {
        (codegen::generate(&typed), OptStats::default())
    };
    let program = match generated {
        Ok(p) => p,
        Err(d) => return fail(vec![d], graph.files),
    };
    let mut modules = graph.modules;
    let main = modules
        .pop()
        .map(|m| m.ast)
        .unwrap_or(ast::Program { stmts: vec![] });
    Ok(Compiled {
        ast: main,
        typed,
        program,
        files: graph.files,
        opt_stats,
    })
}

/// What the checker is given of each loaded module, dependencies first.
pub fn module_inputs(graph: &modules::ModuleGraph) -> Vec<ModuleInput<'_>> {
    graph
        .modules
        .iter()
        .map(|m| {
            let file = &graph.files[m.file as usize];
            ModuleInput {
                file: m.file,
                ast: &m.ast,
                imports: m.imports.clone(),
                source: SourceMap::new(&file.display, &file.text),
                via: m.via,
            }
        })
        .collect()
}

/// Renders diagnostics, each against the file it belongs to.
pub fn render_diagnostics(
    diags: &[Diagnostic],
    files: &[SourceFile],
    options: RenderOptions,
) -> String {
    let mut out = String::new();
    // One line index per file, made when a diagnostic first needs it: indexing the file
    // again for each of 40 000 errors made reporting them quadratic.
    let mut maps: Vec<Option<SourceMap<'_>>> = files.iter().map(|_| None).collect();
    let unknown = SourceMap::new("<unknown>", b"");
    for d in diags {
        let index = d.file.unwrap_or(0) as usize;
        let map = match (files.get(index), maps.get_mut(index)) {
            (Some(f), Some(slot)) => {
                &*slot.get_or_insert_with(|| SourceMap::new(&f.display, &f.text))
            }
            _ => &unknown,
        };
        out.push_str(&diag::render(d, map, options));
    }
    out
}

/// Turns a runtime error into a diagnostic located in the right file. An error raised
/// while a module's top-level code runs (during its import) is E3008 (spec §15.2).
pub fn runtime_diagnostic(
    program: &Program,
    files: &[SourceFile],
    error: &RuntimeError,
) -> Diagnostic {
    let frame = error.trace.first().and_then(|&(func, pc)| {
        let f = program.functions.get(func as usize)?;
        Some((f.file, f.spans.get(pc).copied().unwrap_or_default()))
    });
    let (file, span) = frame.unwrap_or_default();
    let in_module = error.trace.iter().find_map(|&(func, _)| {
        let f = program.functions.get(func as usize)?;
        f.name.starts_with("<module ").then_some(f.file)
    });
    match in_module {
        Some(module_file) => {
            // Reported at the main file's `use` that loaded the module: the outermost
            // frame is the entry, stopped at the call of the module's initialiser.
            let path = files
                .get(module_file as usize)
                .map_or("<unknown>", |f| f.display.as_str());
            let (entry_file, use_span) = error
                .trace
                .last()
                .and_then(|&(func, pc)| {
                    let f = program.functions.get(func as usize)?;
                    Some((f.file, f.spans.get(pc).copied().unwrap_or_default()))
                })
                .unwrap_or_default();
            // Where inside the module it failed; the caller prints the module's frames.
            let at = frame.and_then(|(file, span)| {
                let source = files.get(file as usize)?;
                let (line, col) =
                    SourceMap::new(&source.display, &source.text).line_col(span.start);
                Some(format!(" at {}:{line}:{col}", source.display))
            });
            let mut d = Diagnostic::new(
                Code::ModuleRuntimeError,
                use_span,
                format!("Runtime error in module: {path}"),
            )
            .with_note(format!(
                "{}: {}{}",
                error.code,
                error.message,
                at.unwrap_or_default()
            ));
            d.file = Some(entry_file);
            d
        }
        None => {
            let mut d = Diagnostic::new(error.code, span, error.message.clone());
            d.file = Some(file);
            // An Error value thrown again is reported where it was thrown; the note says
            // where it first happened (Python's "During handling…" in one line).
            let first = error.origin.and_then(|(func, pc)| {
                let f = program.functions.get(func as usize)?;
                let source = files.get(f.file as usize)?;
                let at = f.spans.get(pc).copied()?;
                let (line, col) = SourceMap::new(&source.display, &source.text).line_col(at.start);
                Some(format!(
                    "first raised at {}:{line}:{col}, in {}",
                    source.display,
                    describe_function(&f.name)
                ))
            });
            if let Some(first) = first {
                d = d.with_note(first);
            }
            d
        }
    }
}

/// A compiled function's name for a message: `f` in backquotes, or as it is for the
/// program's own entries (`<main>`, `<module m>`), as the call trace shows them.
fn describe_function(name: &str) -> String {
    if name.starts_with('<') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}
