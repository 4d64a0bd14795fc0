//! Module loading: from the main file, follow `use` declarations to the files they name,
//! parse each file once, detect cycles, and order the modules so that every module comes
//! after the modules it imports (spec §15; ARCHITECTURE.md choice 23).
//!
//! Resolution: `use a.b` looks for `a/b.orus` beside the importing file, then in each
//! directory of the search path (`ORUS_PATH`, colon-separated). Module paths are dotted
//! identifiers, so they can never name an absolute path or climb with `..`. This module
//! knows files and syntax trees; it knows nothing of types.

use crate::ast::{self, Stmt, StmtKind};
use crate::diag::{Code, Diagnostic, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One source file of the program.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as shown in diagnostics (relative to the main file's directory as given).
    pub display: String,
    pub text: Vec<u8>,
}

/// A parsed module with its imports resolved.
#[derive(Debug)]
pub struct Module {
    /// Index into `ModuleGraph::files`.
    pub file: u32,
    /// The dotted name it was imported by (`None` for the main file).
    pub name: Option<String>,
    pub ast: ast::Program,
    /// For each top-level `use` (in order): the index of the imported module in
    /// `ModuleGraph::modules`, or `None` when it failed to load.
    pub imports: Vec<Option<usize>>,
    /// The main file's `use` through which this module was first loaded (where a runtime
    /// error during its initialisation is reported).
    pub via: Span,
}

/// Every module of a program, dependencies first and the main file last.
#[derive(Debug, Default)]
pub struct ModuleGraph {
    pub files: Vec<SourceFile>,
    pub modules: Vec<Module>,
}

/// Where to find modules besides the importing file's directory.
#[derive(Clone, Debug, Default)]
pub struct SearchPath {
    pub dirs: Vec<PathBuf>,
}

impl SearchPath {
    /// The directories of `ORUS_PATH`.
    pub fn from_env() -> SearchPath {
        let dirs = std::env::var_os("ORUS_PATH")
            .map(|v| {
                std::env::split_paths(&v)
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        SearchPath { dirs }
    }
}

/// `text` without a leading UTF-8 byte order mark, which some Windows editors write and
/// Python, Lua and Rust all accept. Removed before lexing so columns on line 1 are right.
fn without_bom(mut text: Vec<u8>) -> Vec<u8> {
    let bom = text.len() - crate::lexer::strip_bom(&text).len();
    text.drain(..bom);
    text
}

/// Loads the main file's source (already read) and every module it imports.
pub fn load(
    main_display: &str,
    main_text: Vec<u8>,
    main_path: &Path,
    search: &SearchPath,
    max_depth: u32,
) -> (ModuleGraph, Vec<Diagnostic>) {
    let mut loader = Loader {
        max_depth,
        graph: ModuleGraph::default(),
        diags: vec![],
        done: HashMap::new(),
        declared: HashMap::new(),
        stack: vec![],
        on_stack: HashMap::new(),
        search,
        via: Span::default(),
    };
    loader.visit_source(main_display.to_string(), main_text, main_path, None);
    (loader.graph, loader.diags)
}

struct Loader<'s> {
    /// The deepest syntax tree a file may have (`parser::parse_with_depth`).
    max_depth: u32,
    graph: ModuleGraph,
    diags: Vec<Diagnostic>,
    /// Canonical path → module index, for modules fully loaded.
    done: HashMap<PathBuf, usize>,
    /// The `module` name each loaded file declares, if any (canonical path), so that a
    /// second `use` of the same file by another path is checked too.
    declared: HashMap<PathBuf, String>,
    /// Modules being loaded (canonical path, dotted name), outermost first.
    stack: Vec<(PathBuf, String)>,
    /// Canonical path → its position in `stack`: a chain of thousands of modules made
    /// the cycle check, a scan of the stack per `use`, quadratic.
    on_stack: HashMap<PathBuf, usize>,
    search: &'s SearchPath,
    /// The main file's `use` being followed.
    via: Span,
}

/// The dotted name a module is being imported by.
struct ImportSite {
    name: String,
    /// The importing file and its `use`.
    file: u32,
    span: Span,
}

impl Loader<'_> {
    fn error(&mut self, file: u32, code: Code, span: Span, message: String) {
        let mut d = Diagnostic::new(code, span, message);
        d.file = Some(file);
        self.diags.push(d);
    }

    /// Parses one file and loads its imports depth-first; returns its module index.
    fn visit_source(
        &mut self,
        display: String,
        text: Vec<u8>,
        path: &Path,
        site: Option<&ImportSite>,
    ) -> Option<usize> {
        let text = without_bom(text);
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let file = self.graph.files.len() as u32;
        let (mut ast, parse_diags) = crate::parser::parse_with_depth(&text, self.max_depth);
        self.graph.files.push(SourceFile { display, text });
        for mut d in parse_diags {
            d.file = Some(file);
            self.diags.push(d);
        }
        if let Some(declared) = self.check_module_decl(file, &mut ast, site) {
            self.declared.insert(canonical.clone(), declared);
        }
        let name = site.map(|s| s.name.clone());
        let shown = name.clone().unwrap_or_else(|| {
            path.file_stem()
                .map_or_else(|| "main".into(), |s| s.to_string_lossy().into_owned())
        });
        self.on_stack.insert(canonical.clone(), self.stack.len());
        self.stack.push((canonical.clone(), shown));
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut imports = vec![];
        for stmt in &ast.stmts {
            if let StmtKind::Use(decl) = &stmt.kind {
                if site.is_none() {
                    self.via = stmt.span;
                }
                imports.push(self.visit_use(file, &dir, decl, stmt.span));
            }
        }
        if let Some((path, _)) = self.stack.pop() {
            self.on_stack.remove(&path);
        }
        let index = self.graph.modules.len();
        self.graph.modules.push(Module {
            file,
            name,
            ast,
            imports,
            via: self.via,
        });
        self.done.insert(canonical, index);
        Some(index)
    }

    /// Checks the placement of `module` declarations and unwraps the block form.
    /// Returns the declared name.
    fn check_module_decl(
        &mut self,
        file: u32,
        ast: &mut ast::Program,
        site: Option<&ImportSite>,
    ) -> Option<String> {
        let mut declared: Option<(String, Span)> = None;
        let mut block: Option<Vec<Stmt>> = None;
        for (i, stmt) in ast.stmts.iter_mut().enumerate() {
            let StmtKind::Module { path, body } = &mut stmt.kind else {
                continue;
            };
            let dotted = path.iter().map(|p| &*p.name).collect::<Vec<_>>().join(".");
            if declared.is_some() {
                self.error(
                    file,
                    Code::MisplacedModule,
                    stmt.span,
                    "duplicate module declaration".into(),
                );
                continue;
            }
            if i != 0 {
                self.error(
                    file,
                    Code::MisplacedModule,
                    stmt.span,
                    "A module declaration must be the first statement of the file".into(),
                );
            }
            declared = Some((dotted, stmt.span));
            if let Some(b) = body.take() {
                block = Some(b.stmts);
            }
        }
        if let Some(stmts) = block {
            let after = ast
                .stmts
                .iter()
                .skip_while(|s| !matches!(s.kind, StmtKind::Module { .. }))
                .nth(1)
                .map(|s| s.span);
            if let Some(span) = after {
                self.error(
                    file,
                    Code::MisplacedModule,
                    span,
                    "module block must contain the entire file".into(),
                );
            }
            ast.stmts
                .retain(|s| !matches!(s.kind, StmtKind::Module { .. }));
            let mut all = stmts;
            all.append(&mut ast.stmts);
            ast.stmts = all;
        } else {
            ast.stmts
                .retain(|s| !matches!(s.kind, StmtKind::Module { .. }));
        }
        if let (Some((declared, span)), Some(site)) = (&declared, site) {
            if *declared != site.name {
                let display = self.graph.files[file as usize].display.clone();
                self.error(
                    file,
                    Code::ModuleNameMismatch,
                    *span,
                    format!(
                        "File {display} declares module '{declared}', but is imported as '{}'",
                        site.name
                    ),
                );
            }
        }
        if let (None, Some(site)) = (&declared, site) {
            // Without a declaration the name is the file's (spec §15.1), which a dotted
            // path never is: `use lib.m` needs `module lib.m` in lib/m.orus.
            if let Some((_, own)) = site.name.rsplit_once('.') {
                let display = self.graph.files[file as usize].display.clone();
                let d = Diagnostic::new(
                    Code::ModuleNameMismatch,
                    site.span,
                    format!(
                        "File {display} is imported as '{}' but declares no module name, so \
                         its name is '{own}'",
                        site.name
                    ),
                )
                .with_help(format!(
                    "a module in a folder declares its full name: add `module {}` as the first \
                     line of {display}",
                    site.name
                ));
                self.diags.push(Diagnostic {
                    file: Some(site.file),
                    ..d
                });
            }
        }
        declared.map(|(name, _)| name)
    }

    /// Resolves and loads the module named by a `use`.
    fn visit_use(
        &mut self,
        file: u32,
        dir: &Path,
        decl: &ast::UseDecl,
        span: Span,
    ) -> Option<usize> {
        let name = decl
            .path
            .iter()
            .map(|p| &*p.name)
            .collect::<Vec<_>>()
            .join(".");
        if decl.path.is_empty() || decl.path.iter().any(|p| p.name.is_empty()) {
            self.error(
                file,
                Code::InvalidModulePath,
                span,
                "Module paths are dotted names like 'geo.shapes'".into(),
            );
            return None;
        }
        let relative: PathBuf = decl
            .path
            .iter()
            .map(|p| &*p.name)
            .collect::<PathBuf>()
            .with_extension("orus");
        let candidates: Vec<PathBuf> = std::iter::once(dir.join(&relative))
            .chain(self.search.dirs.iter().map(|d| d.join(&relative)))
            .collect();
        let Some(path) = candidates.iter().find(|p| p.is_file()).cloned() else {
            self.error(
                file,
                Code::ModuleNotFound,
                span,
                // Spec §15.2's wording; the caret shows the `use` and so the module name.
                // The path as resolved from the importing file's folder (nested imports
                // resolve from their own module's folder, which surprises people).
                format!("Could not open file \"{}\".", candidates[0].display()),
            );
            return None;
        };
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if let Some(&index) = self.done.get(&canonical) {
            // Loaded before under another path: its declared name must match this one too.
            if let Some(declared) = self.declared.get(&canonical).filter(|d| **d != name) {
                let display = self.graph.files[self.graph.modules[index].file as usize]
                    .display
                    .clone();
                let message = format!(
                    "File {display} declares module '{declared}', but is imported as '{name}'"
                );
                self.error(file, Code::ModuleNameMismatch, span, message);
            }
            return Some(index);
        }
        if let Some(&pos) = self.on_stack.get(&canonical) {
            let mut cycle: Vec<String> = self.stack[pos..].iter().map(|(_, n)| n.clone()).collect();
            cycle.push(name.clone());
            self.error(
                file,
                Code::CyclicImport,
                span,
                format!(
                    "Cyclic module dependency detected while processing use: {}",
                    cycle.join(" -> ")
                ),
            );
            return None;
        }
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(_) => {
                self.error(
                    file,
                    Code::ModuleNotFound,
                    span,
                    format!("Could not open file \"{}\".", path.display()),
                );
                return None;
            }
        };
        // As resolved: relative to the working directory when the main file's path was
        // (`app/main.orus` imports `app/lib/m.orus`), so the header names a file the user
        // can open from where they ran `orus`.
        let display = path.display().to_string();
        let site = ImportSite {
            name: name.clone(),
            file,
            span,
        };
        self.visit_source(display, text, &path, Some(&site))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("orus-modules-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn loads_dependencies_first_and_once() {
        let dir = temp_dir("order");
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(
            dir.join("lib/c.orus"),
            "module lib.c\npub fn f() -> i32:\n    return 1\n",
        )
        .unwrap();
        std::fs::write(dir.join("a.orus"), "use lib.c\n").unwrap();
        std::fs::write(dir.join("b.orus"), "use lib.c\n").unwrap();
        let main = b"use a\nuse b\nprint(1)\n".to_vec();
        let (graph, diags) = load(
            "main.orus",
            main,
            &dir.join("main.orus"),
            &SearchPath::default(),
            crate::parser::MAX_DEPTH,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let names: Vec<Option<&str>> = graph.modules.iter().map(|m| m.name.as_deref()).collect();
        assert_eq!(names, vec![Some("lib.c"), Some("a"), Some("b"), None]);
    }

    #[test]
    fn reports_cycles_and_missing_modules() {
        let dir = temp_dir("cycle");
        std::fs::write(dir.join("a.orus"), "use b\n").unwrap();
        std::fs::write(dir.join("b.orus"), "use a\n").unwrap();
        let main = b"use a\nuse nowhere\n".to_vec();
        let (_, diags) = load(
            "main.orus",
            main,
            &dir.join("main.orus"),
            &SearchPath::default(),
            crate::parser::MAX_DEPTH,
        );
        let codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
        assert!(codes.contains(&Code::CyclicImport), "{diags:?}");
        assert!(codes.contains(&Code::ModuleNotFound), "{diags:?}");
        let cycle = diags.iter().find(|d| d.code == Code::CyclicImport).unwrap();
        assert!(cycle.message.contains("a -> b -> a"), "{}", cycle.message);
    }
}
