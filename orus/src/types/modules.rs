//! Per-module namespaces and imports (spec §15; ARCHITECTURE.md choice 23).
//!
//! Every module has its own top-level functions, types and variables. While a module is
//! being checked its tables are the checker's `top_fns`, `type_names` and `imports`; the
//! other modules' tables wait in `namespaces`. `use` binds the public symbols of an
//! already-checked module (modules come dependencies first) into the importer's `imports`.

use super::func::{Checker, ModuleInput};
use super::Type;
use crate::ast::{self, StmtKind};
use crate::diag::{Code, Diagnostic, Span};
use crate::hash::FastMap as HashMap;

/// A name bound by `use`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Import {
    Func(usize),
    Global(usize),
    Type(Type),
}

/// The tables of a module that is not the one being checked.
#[derive(Default)]
pub(crate) struct Namespace {
    pub top_fns: HashMap<ast::Name, usize>,
    pub type_names: HashMap<String, Type>,
    pub imports: HashMap<String, (Import, Span)>,
    /// Id of the module's first top-level variable.
    pub top_start: usize,
}

impl Checker<'_, '_> {
    /// Starts checking module `index` (modules are begun in order).
    pub(super) fn begin_module(&mut self, index: usize, file: u32) {
        if index > 0 {
            self.park_current();
        }
        while self.namespaces.len() <= index {
            self.namespaces.push(Namespace::default());
        }
        self.namespaces[index].top_start = self.top_vars.len();
        self.module = index;
        self.file = file;
    }

    /// Moves the current module's tables into its namespace slot.
    fn park_current(&mut self) {
        let ns = &mut self.namespaces[self.module];
        ns.top_fns = std::mem::take(&mut self.top_fns);
        ns.type_names = std::mem::take(&mut self.type_names);
        ns.imports = std::mem::take(&mut self.imports);
    }

    /// Makes module `index` current (to check a function declared there).
    pub(super) fn switch_module(&mut self, index: usize) {
        if index == self.module || index >= self.namespaces.len() {
            return;
        }
        self.park_current();
        let ns = &mut self.namespaces[index];
        self.top_fns = std::mem::take(&mut ns.top_fns);
        self.type_names = std::mem::take(&mut ns.type_names);
        self.imports = std::mem::take(&mut ns.imports);
        self.module = index;
        self.file = self.maps.get(index).map_or(0, |m| m.0);
    }

    pub(super) fn module_top_start(&self) -> usize {
        self.namespaces
            .get(self.module)
            .map_or(0, |ns| ns.top_start)
    }

    /// A type name visible in the current module: declared here or imported.
    pub(super) fn lookup_type(&self, name: &str) -> Option<Type> {
        if let Some(t) = self.type_names.get(name) {
            return Some(t.clone());
        }
        if self.imports.is_empty() {
            return None;
        }
        match self.imports.get(name).map(|i| &i.0) {
            Some(Import::Type(t)) => Some(t.clone()),
            _ => None,
        }
    }

    /// The public symbols of module `index`, which has been fully checked.
    fn exports(&self, index: usize, module: &ModuleInput<'_>) -> Vec<(String, Import)> {
        let ns = &self.namespaces[index];
        let mut out = vec![];
        for stmt in &module.ast.stmts {
            match &stmt.kind {
                StmtKind::Fn(decl) if decl.is_pub => {
                    if let Some(name) = &decl.name {
                        if let Some(&f) = ns.top_fns.get(&*name.name) {
                            out.push((String::from(&*name.name), Import::Func(f)));
                        }
                    }
                }
                StmtKind::Struct(d) if d.is_pub => {
                    let name = &d.name;
                    if let Some(t) = ns.type_names.get(&*name.name) {
                        out.push((String::from(&*name.name), Import::Type(t.clone())));
                    }
                }
                StmtKind::Enum(d) if d.is_pub => {
                    let name = &d.name;
                    if let Some(t) = ns.type_names.get(&*name.name) {
                        out.push((String::from(&*name.name), Import::Type(t.clone())));
                    }
                }
                StmtKind::Global {
                    binding,
                    is_pub: true,
                } => {
                    let found = self.module_top(index, &binding.name.name);
                    if let Some(id) = found {
                        out.push((String::from(&*binding.name.name), Import::Global(id)));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Binds the names of every `use` of `module` (the current one).
    pub(super) fn import_all(&mut self, module: &ModuleInput<'_>, all: &[ModuleInput<'_>]) {
        let uses = module.ast.stmts.iter().filter_map(|s| match &s.kind {
            StmtKind::Use(decl) => Some((decl, s.span)),
            _ => None,
        });
        let words: crate::hash::FastSet<String> = module
            .ast
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Use(decl) => decl.alias.as_ref().or(decl.path.last()),
                _ => None,
            })
            .map(|w| String::from(&*w.name))
            .collect();
        if self.module_words.len() <= self.module {
            self.module_words
                .resize_with(self.module + 1, Default::default);
        }
        self.module_words[self.module] = words;
        for ((decl, span), target) in uses.zip(&module.imports) {
            let Some(index) = *target else { continue };
            let exports = self.exports(index, &all[index]);
            let module_name = decl
                .path
                .iter()
                .map(|p| &*p.name)
                .collect::<Vec<_>>()
                .join(".");
            match &decl.items {
                None => {
                    for name in private_names(&all[index].ast.stmts) {
                        if !exports.iter().any(|(n, _)| *n == *name) {
                            self.private_imports
                                .insert((self.module, String::from(name)), module_name.clone());
                        }
                    }
                    for (name, import) in exports {
                        self.bind_import(name, import, span);
                    }
                }
                Some(items) => {
                    for item in items {
                        match exports.iter().find(|(n, _)| *n == *item.name.name) {
                            Some((_, import)) => {
                                let local = item.alias.as_ref().unwrap_or(&item.name);
                                self.bind_import(
                                    String::from(&*local.name),
                                    import.clone(),
                                    local.span,
                                );
                            }
                            None => {
                                let private = declares(&all[index].ast.stmts, &item.name.name);
                                let mut diag = Diagnostic::new(
                                    Code::SymbolNotExported,
                                    item.name.span,
                                    format!(
                                        "Module '{module_name}' has no public symbol '{}'",
                                        item.name.name
                                    ),
                                );
                                if private {
                                    diag = diag.with_help(format!(
                                        "'{}' is declared there but not `pub`; mark it `pub` \
                                         to import it",
                                        item.name.name
                                    ));
                                }
                                self.diags.push(diag);
                                // Its uses would each add "Undefined variable": one report.
                                let local = item.alias.as_ref().unwrap_or(&item.name);
                                self.failed_imports
                                    .insert((self.module, String::from(&*local.name)));
                            }
                        }
                    }
                }
            }
        }
    }

    fn bind_import(&mut self, name: String, import: Import, span: Span) {
        let clash = match self.imports.get(&name) {
            Some((existing, _)) => *existing != import,
            None => self.top_fns.contains_key(name.as_str()) || self.type_names.contains_key(&name),
        };
        if clash {
            self.error(
                Code::ImportConflict,
                span,
                format!("'{name}' is already defined in this module"),
            );
            return;
        }
        self.imports.insert(name, (import, span));
    }
}

/// The functions, structs, enums and globals declared without `pub` in `stmts` (a
/// module's top level).
fn private_names(stmts: &[ast::Stmt]) -> impl Iterator<Item = &str> {
    stmts.iter().filter_map(|s| match &s.kind {
        StmtKind::Fn(decl) if !decl.is_pub => decl.name.as_ref().map(|n| &*n.name),
        StmtKind::Struct(d) if !d.is_pub => Some(&*d.name.name),
        StmtKind::Enum(d) if !d.is_pub => Some(&*d.name.name),
        StmtKind::Global { binding, is_pub } if !*is_pub => Some(&*binding.name.name),
        _ => None,
    })
}

/// Whether `stmts` (a module's top level) declare `name`: a function, struct, enum or
/// global, public or not.
fn declares(stmts: &[ast::Stmt], name: &str) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Fn(decl) => decl.name.as_ref().is_some_and(|n| &*n.name == name),
        StmtKind::Struct(d) => &*d.name.name == name,
        StmtKind::Enum(d) => &*d.name.name == name,
        StmtKind::Global { binding, .. } => &*binding.name.name == name,
        _ => false,
    })
}
