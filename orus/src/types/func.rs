//! The checker's state and its entry point; names, scopes and declarations.
//!
//! Top-level functions are visible everywhere in the file (decision D2); variables keep
//! declaration-before-use, and a function body sees the top-level variables declared
//! textually before the function. A pre-pass numbers the top-level variables in
//! declaration order so a body can be checked before the main walk reaches it (forward
//! calls). Function instances are made and checked in `instances.rs`.

use super::scope::{closest, member_guess_limit, same_name, DeclForm, Scope, Sym, VarInfo};
use super::typed::*;
use super::Type;
use crate::ast::Name;
use crate::ast::{self, FnDecl, Program, StmtKind};
use crate::diag::{Code, Diagnostic, SourceMap, Span};
use crate::hash::{FastMap as HashMap, FastSet};
use std::rc::Rc;

/// The least nesting of expressions checked at once that the checker allows, whatever
/// depth the parser was given (see [`check_modules_with_depth`]).
const MIN_NESTING_BUDGET: usize = 1024;

/// Checks a single-file program. Returns the typed program and every diagnostic found;
/// the typed program is only meaningful when no diagnostic was returned.
pub fn check(program: &Program, source: &SourceMap<'_>) -> (TProgram, Vec<Diagnostic>) {
    let module = ModuleInput {
        file: 0,
        ast: program,
        imports: vec![],
        source: SourceMap::new(source.name, source.text),
        via: Span::default(),
    };
    check_modules(&[module])
}

/// One module to check: its syntax tree and the modules its `use`s resolved to.
pub struct ModuleInput<'a> {
    pub file: u32,
    pub ast: &'a Program,
    /// Per top-level `use`, in order: the index (in the slice given to `check_modules`)
    /// of the imported module, or `None` if it failed to load.
    pub imports: Vec<Option<usize>>,
    pub source: SourceMap<'a>,
    /// Where the main file first imported this module (the span of the call of its
    /// initialiser).
    pub via: Span,
}

/// Checks the modules of a program, given dependencies first and the main file last.
pub fn check_modules(modules: &[ModuleInput<'_>]) -> (TProgram, Vec<Diagnostic>) {
    check_modules_with_depth(modules, crate::parser::MAX_DEPTH)
}

/// [`check_modules`] for trees parsed with `parser::parse_with_depth(.., max_depth)`: the
/// expressions being checked at once, counted across the bodies of functions whose return
/// types are inferred from inside them, may nest `max_depth` levels (at least
/// `MIN_NESTING_BUDGET`). Each body alone is bounded by the parser; nested inference could
/// otherwise stack 64 of them on the host stack.
pub fn check_modules_with_depth(
    modules: &[ModuleInput<'_>],
    max_depth: u32,
) -> (TProgram, Vec<Diagnostic>) {
    let (program, diags, mut assumed) = check_in_order(modules, max_depth, vec![]);
    // Mutually recursive functions returning `Result` (`expr` calls `term`, which calls
    // `atom`, which calls `expr`): a call that reaches a function whose body is still
    // being checked has to assume its `Result` type. Checking those functions last lets
    // the other functions' `return`s decide it first. Deferring one may make another
    // assume, so this repeats (a few times at most: each round defers more functions);
    // the errors of the declaration order stand if no order works.
    let mut check_last: Vec<usize> = vec![];
    for _ in 0..MAX_REORDERINGS {
        if diags.is_empty() || assumed.iter().all(|e| check_last.contains(e)) {
            break;
        }
        for e in assumed {
            if !check_last.contains(&e) {
                check_last.push(e);
            }
        }
        let (again, again_diags, again_assumed) =
            check_in_order(modules, max_depth, check_last.clone());
        if again_diags.is_empty() {
            return (again, again_diags);
        }
        assumed = again_assumed;
    }
    (program, diags)
}

/// How many times a program that failed with assumed `Result` types is checked again in
/// another order.
const MAX_REORDERINGS: usize = 4;

/// One checking of the program, with the bodies of the functions in `check_last` checked
/// after the others; also returns the functions whose `Result` return type a recursive
/// call had to assume.
fn check_in_order(
    modules: &[ModuleInput<'_>],
    max_depth: u32,
    check_last: Vec<usize>,
) -> (TProgram, Vec<Diagnostic>, Vec<usize>) {
    let maps: Vec<(u32, &SourceMap<'_>)> = modules.iter().map(|m| (m.file, &m.source)).collect();
    let mut checker = Checker::new(maps);
    checker.check_last = check_last;
    checker.nesting_budget = (max_depth as usize).max(MIN_NESTING_BUDGET);
    checker.reserve_functions(modules);
    let mut inits = vec![];
    let last = modules.len().saturating_sub(1);
    for (index, module) in modules.iter().enumerate() {
        checker.begin_module(index, module.file);
        let before = checker.diags.len();
        checker.declare_types(&module.ast.stmts);
        checker.import_all(module, modules);
        checker.define_types(&module.ast.stmts);
        checker.prepass(&module.ast.stmts);
        checker.stamp(before, module.file);
        let before = checker.diags.len();
        let name = if index == last {
            "<main>".to_string()
        } else {
            format!("<module {}>", module.source.name)
        };
        // Only the program entry calls the module initialisers, in load order.
        let calls: &[(FuncId, Span)] = if index == last { &inits } else { &[] };
        let id = checker.check_entry(&module.ast.stmts, name, module.file, calls);
        checker.stamp(before, module.file);
        if index != last {
            inits.push((id, module.via));
        }
    }
    // (Checking a body switches to its module and stamps its diagnostics itself.)
    for entry in checker.check_last.clone() {
        checker.check_declared(entry);
    }
    let before = checker.diags.len();
    checker.drain_pending();
    while !checker.open_fn_values.is_empty() {
        checker.resolve_function_values(true);
        checker.drain_pending();
    }
    for entry in 0..checker.fns.len() {
        if checker.fns[entry].instances.is_empty() {
            checker.probe_uncalled(entry);
        }
    }
    checker.drain_pending();
    let main_file = modules.last().map_or(0, |m| m.file);
    checker.stamp(before, main_file);
    checker.report_default_cycles();
    let assumed = std::mem::take(&mut checker.assumed_results);
    let (mut program, mut diags) = checker.finish();
    if diags.is_empty() {
        let maps: Vec<(u32, &SourceMap<'_>)> =
            modules.iter().map(|m| (m.file, &m.source)).collect();
        super::init_order::check(&mut program, &maps, &mut diags);
        crate::diag::sort_and_dedup(&mut diags);
    }
    (program, diags, assumed)
}

impl Checker<'_, '_> {
    fn finish(mut self) -> (TProgram, Vec<Diagnostic>) {
        let entry = self.entry.unwrap_or(0);
        // Functions never checked stay `None` (they only exist after errors).
        let mut functions = std::mem::take(&mut self.functions);
        let mut tops: Vec<Option<Type>> = self.top_vars.iter().map(|t| t.ty.clone()).collect();
        self.settle_result_holes();
        self.check_open_ops();
        self.resolve_declared_types();
        self.resolve_all(&mut functions, &mut tops);
        for (slot, ty) in self.top_vars.iter_mut().zip(tops) {
            slot.ty = ty;
        }
        let functions = functions
            .into_iter()
            .enumerate()
            .map(|(id, f)| {
                f.unwrap_or_else(|| TFunction {
                    name: format!("<unchecked #{id}>").into(),
                    file: 0,
                    is_toplevel: false,
                    params: 0,
                    locals: vec![],
                    ret: Type::Void,
                    body: vec![],
                    span: Span::default(),
                    capture_by_value: Box::default(),
                })
            })
            .collect();
        let top_vars = self
            .top_vars
            .into_iter()
            .map(|t| TopVar {
                name: t.name,
                ty: t.ty.unwrap_or(Type::Error),
                captured: t.captured,
            })
            .collect();
        let structs = self.structs.iter().map(|s| s.def()).collect();
        let enums = self.enums.iter().map(|e| e.def()).collect();
        let mut diags = self.diags;
        crate::diag::sort_and_dedup(&mut diags);
        (
            TProgram {
                functions,
                entry,
                top_vars,
                structs,
                enums,
            },
            diags,
        )
    }

    /// Marks the diagnostics found since `before` that have no file yet as `file`'s.
    pub(super) fn stamp(&mut self, before: usize, file: u32) {
        for d in &mut self.diags[before..] {
            d.file.get_or_insert(file);
        }
    }
}

/// A top-level variable as the checker tracks it.
pub(super) struct TopSlot {
    pub name: String,
    /// The module (index in the checked list) that declares it.
    pub module: usize,
    /// `None` until the main walk reaches the declaration.
    pub ty: Option<Type>,
    pub info: VarInfo,
    pub captured: bool,
}

/// A declared function (top-level or nested) and its checked instances. (One per
/// declaration, all alive until checking ends: kept small, since a 100 000-line program
/// has ten thousand of them and every fresh page of the list costs a page fault.)
pub(super) struct FnEntry<'a> {
    pub decl: &'a FnDecl,
    /// The module it is declared in.
    pub module: u32,
    /// Top-level variables visible to the body: `top_vars[..top_visible]`.
    pub top_visible: u32,
    /// Its parameters' types, `None` for a generic one (see [`Params`]).
    pub params: Params,
    pub ret: Option<Type>,
    pub instances: super::instances::Versions,
    /// The error for endlessly growing instance types was reported (once per function).
    pub endless_reported: bool,
    /// The return annotation is a bare `Result`: each instance gets its own result hole.
    pub result_ret: bool,
    /// For a method, the struct its `impl` is for: the compiled function is named
    /// `Struct.method`, as stack traces and bytecode listings show it. (A `TypeName` is
    /// one pointer wide.)
    pub owner: Option<super::TypeName>,
}

/// A declared function's parameters as its calls and versions see them: per parameter, its
/// annotated type or none (generic: each call's argument decides it).
#[derive(Clone)]
pub(super) struct Params {
    /// Per parameter: its annotated type (`Type::Error` where generic, never read as such).
    /// Shared, since every call reads it; when every parameter is annotated (nearly every
    /// function) it is also the argument list of the function's one version, which shares
    /// it instead of a copy.
    types: Rc<[Type]>,
    /// Per parameter, when some parameter is generic: how each is typed. `None` when all
    /// are annotated: no list to make, share and drop.
    kinds: Option<Rc<[ParamKind]>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ParamKind {
    Annotated,
    Generic,
    /// Annotated with a bare `Result`: generic, but its argument must be a `Result`.
    BareResult,
}

impl Params {
    /// `n` parameters, the `k`th with annotated type `param(k).0` (`None`: generic), a
    /// bare `Result` if `param(k).1`. (A range's iterator, whose length the standard
    /// library trusts, is collected straight into the shared slice: one allocation.)
    pub fn new(n: usize, mut param: impl FnMut(usize) -> (Option<Type>, bool)) -> Params {
        let mut kinds = Vec::new();
        let types: Rc<[Type]> = (0..n)
            .map(|k| {
                let (ty, bare_result) = param(k);
                let kind = match (&ty, bare_result) {
                    (_, true) => ParamKind::BareResult,
                    (Some(_), false) => ParamKind::Annotated,
                    (None, false) => ParamKind::Generic,
                };
                if kind != ParamKind::Annotated && kinds.is_empty() {
                    kinds.resize(n, ParamKind::Annotated);
                }
                if let Some(slot) = kinds.get_mut(k) {
                    *slot = kind;
                }
                match ty {
                    Some(t) if !bare_result => t,
                    _ => Type::Error,
                }
            })
            .collect();
        Params {
            types,
            kinds: (!kinds.is_empty()).then(|| kinds.into()),
        }
    }

    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// Parameter `k`'s annotated type; `None` when it is generic.
    pub fn get(&self, k: usize) -> Option<&Type> {
        match &self.kinds {
            Some(kinds) if kinds[k] != ParamKind::Annotated => None,
            _ => Some(&self.types[k]),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<&Type>> + '_ {
        (0..self.len()).map(|k| self.get(k))
    }

    /// Whether parameter `k` is annotated with a bare `Result`.
    pub fn bare_result(&self, k: usize) -> bool {
        self.kinds
            .as_ref()
            .is_some_and(|kinds| kinds[k] == ParamKind::BareResult)
    }

    /// The types of all parameters when every one is annotated (then they are the
    /// argument types of the function's only version).
    pub fn all_annotated(&self) -> Option<&Rc<[Type]>> {
        self.kinds.is_none().then_some(&self.types)
    }

    /// The same parameters with the first one annotated `ty` (a method's `self`).
    pub fn with_first(&self, ty: Type) -> Params {
        Params::new(self.len(), |k| {
            let own = if k == 0 {
                Some(ty.clone())
            } else {
                self.get(k).cloned()
            };
            (own, k != 0 && self.bare_result(k))
        })
    }
}

pub(super) struct Instance {
    /// Shared: checking the body reads them while the checker changes.
    pub args: Rc<[Type]>,
    /// The return type; `None` while an unannotated function is being inferred.
    pub ret: Option<Type>,
    pub id: u32,
    /// The call it was made for (its module and byte offset), named as `file:line` in the
    /// notes of errors found in the body of a version of a function with generic
    /// parameters. The line is found only when there is such an error.
    pub call_module: u32,
    pub call_at: u32,
    pub checked: bool,
    /// While the body is being checked: `ret` came from a returned integer literal and may
    /// still widen (`return 0` then `return x` with `x: f64`; see `check_instance`).
    pub weak_ret: bool,
    /// The weak `ret` was read by a call from another function: widening it now would
    /// make that caller's typing stale, so it is not widened.
    pub weak_ret_read: bool,
    /// A widening was tried (or refused): returns check against `ret` as it is.
    pub widen_done: bool,
}

/// An operator applied while its operand type was open, for `Checker::check_open_ops`.
#[derive(Clone, Copy, Debug)]
pub(super) enum OpenOp {
    Binary(ast::BinOp),
    Unary(ast::UnaryOp),
    /// `len(x)`: an array or a string.
    Len,
}

/// How `return` statements of the current function are checked.
#[derive(Clone, Debug)]
pub(super) enum RetKind {
    /// The top-level code: `return` ends the program.
    Entry,
    Declared(Type),
    /// Inferred from the first value-returning `return` (entry, instance index).
    Inferred(usize, usize),
    /// Inferred, for a closure: recorded in `FnCx::inferred_ret`.
    InferLocal,
}

/// Per-function checking context.
pub(super) struct FnCx {
    pub locals: Vec<LocalVar>,
    pub local_info: Vec<VarInfo>,
    pub scopes: Vec<Scope>,
    /// Closed block scopes, emptied, whose storage the next block reuses.
    spare_scopes: Vec<Scope>,
    /// Open loops, innermost last: (label, id).
    pub loops: Vec<(Option<String>, LoopId)>,
    pub next_loop: LoopId,
    pub ret: RetKind,
    pub top_visible: usize,
    /// The declared function whose body this is, with its name: it sees itself (to call
    /// itself) before any other name outside its scopes. `None` for the top-level code,
    /// closures and defaults (a closure calls itself through its local).
    pub own_fn: Option<(Name, usize)>,
    pub is_entry: bool,
    /// Names already reported undefined in this function: one report per name, not one
    /// per use (`count += 1` then `print(count)` is one mistake).
    pub undefined_reported: crate::hash::FastSet<String>,
    /// Immutable variables (name, declaration line) whose assignment was reported: a
    /// missing `mut` is one mistake, reported at the first assignment only.
    pub immutable_reported: crate::hash::FastSet<(String, usize)>,
    /// A value-returning `return` was seen (for inferred return types).
    pub saw_value_return: bool,
    /// The return type inferred so far, for `RetKind::InferLocal`.
    pub inferred_ret: Option<Type>,
    /// Types of returned values that a weak (literal) inferred return type would widen to.
    pub ret_widenings: Vec<Type>,
    /// What this function (a closure) captures, with the type and binding facts of each.
    pub captures: Vec<(CaptureSource, Type, VarInfo, Name)>,
}

impl FnCx {
    pub(super) fn new(ret: RetKind, top_visible: usize, own_fn: Option<(Name, usize)>) -> FnCx {
        FnCx {
            locals: Vec::with_capacity(LOCALS),
            local_info: Vec::with_capacity(LOCALS),
            scopes: vec![Scope::default()],
            spare_scopes: vec![],
            loops: vec![],
            next_loop: 0,
            is_entry: matches!(ret, RetKind::Entry),
            undefined_reported: Default::default(),
            immutable_reported: Default::default(),
            ret,
            top_visible,
            own_fn,
            saw_value_return: false,
            captures: vec![],
            inferred_ret: None,
            ret_widenings: vec![],
        }
    }

    /// Makes a used context as [`FnCx::new`] makes a fresh one, keeping its storage.
    fn reset(&mut self, ret: RetKind, top_visible: usize, own_fn: Option<(Name, usize)>) {
        if self.locals.capacity() == 0 {
            self.locals.reserve(LOCALS);
        }
        self.locals.clear();
        self.local_info.clear();
        while self.scopes.len() > 1 {
            self.close_scope();
        }
        match self.scopes.first_mut() {
            Some(scope) => scope.clear(),
            None => self.scopes.push(Scope::default()),
        }
        self.loops.clear();
        self.next_loop = 0;
        self.is_entry = matches!(ret, RetKind::Entry);
        self.undefined_reported.clear();
        self.immutable_reported.clear();
        self.ret = ret;
        self.top_visible = top_visible;
        self.own_fn = own_fn;
        self.saw_value_return = false;
        self.captures.clear();
        self.inferred_ret = None;
        self.ret_widenings.clear();
    }

    /// The locals of a finished body, in a vector of their exact size: the context keeps
    /// its room for the next body (most bodies have fewer locals than `LOCALS`, and the
    /// typed function keeps its vector).
    pub(super) fn take_locals(&mut self) -> Vec<LocalVar> {
        // (`append` moves them as one block; a drain collected them one by one.)
        let mut locals = Vec::with_capacity(self.locals.len());
        locals.append(&mut self.locals);
        locals
    }

    /// Opens a block scope (reusing the storage of a closed one).
    pub(super) fn open_scope(&mut self) {
        let scope = self.spare_scopes.pop().unwrap_or_default();
        self.scopes.push(scope);
    }

    /// Closes the innermost block scope.
    pub(super) fn close_scope(&mut self) {
        if let Some(mut scope) = self.scopes.pop() {
            scope.clear();
            self.spare_scopes.push(scope);
        }
    }
}

/// Most functions have a few locals: room for them at once instead of growing.
const LOCALS: usize = 8;

pub(super) struct Checker<'a, 's> {
    /// Source maps of the modules, by module index: (file id, map).
    pub maps: Vec<(u32, &'s SourceMap<'s>)>,
    /// Whether an operator node of the syntax tree is a literal (`Checker::literal`), by
    /// address: the tree outlives the checker and does not move.
    pub literal_memo: HashMap<*const ast::Expr, bool>,
    /// The module being checked (index in the checked list) and its file.
    pub module: usize,
    pub file: u32,
    /// Namespaces of the modules other than the current one (the current one's tables are
    /// `top_fns`, `type_names` and `imports`).
    pub namespaces: Vec<super::modules::Namespace>,
    /// Names imported into the current module.
    pub imports: HashMap<String, (super::modules::Import, Span)>,
    /// The program entry (the main module's top-level function).
    pub entry: Option<FuncId>,
    pub diags: Vec<Diagnostic>,
    pub fns: Vec<FnEntry<'a>>,
    /// The current module's top-level functions by name (keyed by the shared names of
    /// the syntax tree: no copy of each name).
    pub top_fns: HashMap<Name, usize>,
    /// The current module's top-level functions in `top_fns`, in declaration order, and
    /// how many of them the main walk has passed: the walk meets their declarations in
    /// this order, so it finds each one's entry without looking its name up again.
    pub(super) walk_fns: Vec<usize>,
    pub(super) walk_fns_passed: usize,
    pub top_vars: Vec<TopSlot>,
    /// The ids of `top_vars`, ascending, by name: name lookups in functions must not scan
    /// every top-level variable of the program.
    top_index: HashMap<String, Vec<usize>>,
    /// The next top-level variable id the main walk will declare.
    pub next_top: usize,
    pub functions: Vec<Option<TFunction>>,
    /// The context of the function being checked; boxed, so that switching to another
    /// function's body moves a pointer.
    pub cx: Box<FnCx>,
    /// Contexts of the functions enclosing the one being checked (closures), outermost first.
    /// (Boxed as `cx` is: entering and leaving a body moves pointers.)
    #[allow(clippy::vec_box)]
    pub parents: Vec<Box<FnCx>>,
    /// Contexts of finished bodies, whose storage the next body reuses.
    #[allow(clippy::vec_box)]
    spare_cx: Vec<Box<FnCx>>,
    /// The name of the hidden local holding a match's subject, made once and shared.
    pub match_name: Name,
    pub structs: Vec<super::objects::StructInfo<'a>>,
    pub enums: Vec<super::objects::EnumInfo>,
    /// Declared struct and enum names.
    pub type_names: HashMap<String, Type>,
    /// Instances of the built-in `Result`, by `Ok` payload type: the enum and the name its
    /// types show (`Result<i32>`), made once.
    pub result_instances: Vec<(Type, u32, super::TypeName)>,
    /// Element types of empty array literals (see `holes.rs`).
    pub holes: Vec<Option<Type>>,
    /// The holes that stand for a built-in `Result` whose `Ok` type is not known yet
    /// (`Result.Err(m)` with no expected type, a bare `Result` annotation): they bind only
    /// to `Result` types, and one never bound becomes `Result<i32>`.
    pub result_holes: crate::hash::FastSet<u32>,
    /// Operators applied to two operands whose one type was still open (`a + b` of two
    /// unannotated parameters): checked once the type is known, at the end.
    pub open_ops: Vec<(Type, OpenOp, Span, u32)>,
    /// Holes numbered below this one existed before the body being checked began; binding
    /// one of them (`outer_binds`) is an effect outside that body (see `check_instance`).
    pub hole_floor: u32,
    pub outer_binds: u64,
    /// Integer literals typed with a hole (`x * 2` beside an open parameter), by file
    /// and offset: their value is encoded once the hole's type is known (`resolve_all`).
    pub open_literals: crate::hash::FastMap<(u32, u32), super::literal::IntLit>,
    /// Holes made for unannotated parameters of nested and anonymous functions (choice
    /// 31); a literal beside one does not decide its type.
    pub param_holes: crate::hash::FastSet<u32>,
    /// Instances made and bodies checked so far, to tell whether a check had effects on
    /// other functions.
    pub instances_made: u64,
    pub instance_checks: u64,
    /// `use` items that failed (not exported), with the importing module: their uses there
    /// are not reported again.
    pub failed_imports: crate::hash::FastSet<(usize, String)>,
    /// Names that a whole-module `use` of a module did not import because they are not
    /// `pub` there: (importing module, name) → the imported module's dotted name.
    pub private_imports: crate::hash::FastMap<(usize, String), String>,
    /// Per module (by index): the names its `use`s give modules (`mathx` of
    /// `use lib.mathx`, an `as` alias), for the hint that imported names need no prefix.
    pub module_words: Vec<crate::hash::FastSet<String>>,
    /// Instances whose bodies still need checking: (entry, instance index).
    pub(super) pending: Vec<(usize, usize)>,
    pub(super) depth: usize,
    /// Expressions being checked right now, counted across nested function instances.
    pub(super) nesting: usize,
    /// The most `nesting` may reach; past it an expression is refused (once).
    pub(super) nesting_budget: usize,
    pub(super) nesting_reported: bool,
    /// The field whose default is being checked, as (struct, field).
    pub checking_default: Option<(u32, usize)>,
    /// Literals inside defaults that call other defaults (see `report_default_cycles`).
    pub default_edges: Vec<super::defaults::DefaultEdge>,
    /// The open `Result` return type of a function whose body was still being checked
    /// when a recursive call read it, by hole: (hole, function entry).
    pub(super) cycle_results: crate::hash::FastMap<u32, usize>,
    /// Functions whose `Result` return type a recursive call had to assume (`Result<i32>`)
    /// before their body decided it; checking them last may avoid it (see `check_modules_with_depth`).
    pub(super) assumed_results: Vec<usize>,
    /// Functions declared at top level whose bodies are checked after everything else
    /// (unless a call reaches them first).
    pub(super) check_last: Vec<usize>,
    /// Functions with unannotated parameters used as values, waiting for a call to
    /// decide their parameter types.
    pub(super) open_fn_values: Vec<super::closures::OpenFnValue>,
    /// A call's argument types, kept empty between calls for the next (`call_entry`).
    pub(super) spare_arg_types: Vec<Type>,
}

impl<'a, 's> Checker<'a, 's> {
    fn new(maps: Vec<(u32, &'s SourceMap<'s>)>) -> Self {
        Checker {
            maps,
            module: 0,
            file: 0,
            namespaces: vec![],
            imports: HashMap::default(),
            entry: None,
            diags: vec![],
            fns: vec![],
            top_fns: HashMap::default(),
            walk_fns: vec![],
            walk_fns_passed: 0,
            top_vars: vec![],
            top_index: HashMap::default(),
            next_top: 0,
            functions: vec![],
            cx: Box::new(FnCx::new(RetKind::Entry, 0, None)),
            parents: vec![],
            spare_cx: vec![],
            match_name: Name::from("<match>"),
            structs: vec![],
            enums: vec![],
            type_names: HashMap::default(),
            result_instances: vec![],
            holes: vec![],
            result_holes: Default::default(),
            open_ops: vec![],
            hole_floor: 0,
            outer_binds: 0,
            open_literals: Default::default(),
            param_holes: Default::default(),
            instances_made: 0,
            instance_checks: 0,
            cycle_results: Default::default(),
            assumed_results: vec![],
            check_last: vec![],
            open_fn_values: vec![],
            spare_arg_types: vec![],
            failed_imports: Default::default(),
            private_imports: Default::default(),
            module_words: Vec::new(),
            pending: vec![],
            depth: 0,
            nesting: 0,
            nesting_budget: MIN_NESTING_BUDGET,
            nesting_reported: false,
            checking_default: None,
            default_edges: vec![],
            literal_memo: HashMap::default(),
        }
    }

    /// Makes a fresh context (as `FnCx::new`) the current one; returns the one it replaces.
    pub(super) fn enter_cx(
        &mut self,
        ret: RetKind,
        top_visible: usize,
        own_fn: Option<(Name, usize)>,
    ) -> Box<FnCx> {
        let cx = match self.spare_cx.pop() {
            Some(mut cx) => {
                cx.reset(ret, top_visible, own_fn);
                cx
            }
            None => Box::new(FnCx::new(ret, top_visible, own_fn)),
        };
        std::mem::replace(&mut self.cx, cx)
    }

    /// Keeps a finished context's storage for the next body.
    pub(super) fn recycle_cx(&mut self, cx: Box<FnCx>) {
        self.spare_cx.push(cx);
    }

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::new(code, span, message));
    }

    pub fn line_of(&self, span: Span) -> usize {
        self.line_at(self.module, span.start)
    }

    /// The 1-based line of byte offset `at` in module `module`'s file (0 for
    /// [`NO_PLACE`](super::scope::NO_PLACE)).
    pub(super) fn line_at(&self, module: usize, at: u32) -> usize {
        if at == super::scope::NO_PLACE {
            return 0;
        }
        self.maps.get(module).map_or(0, |m| m.1.line_col(at).0)
    }

    /// Room for the functions the modules declare (methods included) and one version of
    /// each, the field defaults' functions and the modules' own: growing these vectors
    /// one function at a time copies their large entries again and again.
    fn reserve_functions(&mut self, modules: &[ModuleInput<'_>]) {
        let (mut declared, mut defaults) = (0, 0);
        for stmt in modules.iter().flat_map(|m| &m.ast.stmts) {
            match &stmt.kind {
                StmtKind::Fn(_) => declared += 1,
                StmtKind::Impl(imp) => declared += imp.methods.len(),
                StmtKind::Struct(decl) => {
                    defaults += decl.fields.iter().filter(|f| f.default.is_some()).count()
                }
                _ => {}
            }
        }
        self.fns.reserve_exact(declared);
        self.functions
            .reserve_exact(declared + defaults + modules.len());
    }

    /// Numbers top-level variables in declaration order and registers top-level functions,
    /// so bodies can be checked before the main walk reaches them.
    fn prepass(&mut self, stmts: &'a [ast::Stmt]) {
        let mut declared: FastSet<&str> = FastSet::default();
        // The module's function names, at once: the table would grow (and rehash) as often
        // as it doubles.
        let fns_here = stmts
            .iter()
            .filter(|s| matches!(s.kind, StmtKind::Fn(_)))
            .count();
        self.top_fns.reserve(fns_here);
        self.walk_fns.clear();
        self.walk_fns.reserve(fns_here);
        self.walk_fns_passed = 0;
        for stmt in stmts {
            match &stmt.kind {
                StmtKind::Bind(bindings) => {
                    for b in bindings {
                        // `LEVEL = 5` on an imported global assigns it (§15.2): no slot.
                        let assigns = declared.contains(&*b.name.name)
                            || self.is_imported_global(&b.name.name);
                        if b.declares || !assigns {
                            declared.insert(&b.name.name);
                            self.push_top_slot(&b.name, b.mutable);
                        }
                    }
                }
                // `q, r = pair` declares the names not seen yet, like `x = …`.
                StmtKind::Destructure(d) => {
                    for name in &d.names {
                        let assigns =
                            declared.contains(&*name.name) || self.is_imported_global(&name.name);
                        if !assigns {
                            declared.insert(&name.name);
                            self.push_top_slot(name, false);
                        }
                    }
                }
                StmtKind::Global { binding, .. } => {
                    declared.insert(&binding.name.name);
                    self.push_top_slot(&binding.name, binding.mutable);
                }
                StmtKind::Impl(imp) => self.declare_impl(imp),
                StmtKind::Fn(decl) => {
                    let index = self.register_fn(decl, self.top_vars.len());
                    if let Some(name) = &decl.name {
                        // (Most modules import nothing: no name to hash.)
                        let imported = match self.imports.is_empty() {
                            true => None,
                            false => self.imports.get(&*name.name),
                        };
                        if let Some(&(_, site)) = imported {
                            self.error(
                                Code::ImportConflict,
                                site,
                                format!("'{}' is already defined in this module", name.name),
                            );
                        }
                        if self.named_like_type(name) {
                            // Reported: one clash, one report.
                        } else if let Some(previous) = self.add_top_fn(&name.name, index) {
                            let line = self.fn_line(previous);
                            self.error(
                                Code::Redeclared,
                                name.span,
                                format!(
                                    "Function '{}' is already defined on line {line}",
                                    name.name
                                ),
                            );
                        } else {
                            self.walk_fns.push(index);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Makes `index` the current module's top-level function named `name`, unless one
    /// already is: then that one's index. (One hashing of the name for the test and the
    /// insertion.)
    fn add_top_fn(&mut self, name: &Name, index: usize) -> Option<usize> {
        use std::collections::hash_map::Entry;
        match self.top_fns.entry(name.clone()) {
            Entry::Occupied(previous) => Some(*previous.get()),
            Entry::Vacant(slot) => {
                slot.insert(index);
                None
            }
        }
    }

    /// E1016 when a top-level function or variable takes the name of a struct or enum of
    /// the module (it would hide the type: `P.mk()` would then fail far away); true if so.
    pub(super) fn named_like_type(&mut self, name: &ast::Ident) -> bool {
        let kind = match self.type_names.get(&*name.name) {
            Some(Type::Struct(..)) => "a struct",
            Some(Type::Enum(..)) => "an enum",
            _ => return false,
        };
        self.error(
            Code::Redeclared,
            name.span,
            format!("'{}' is already defined as {kind}", name.name),
        );
        true
    }

    /// Whether `name` is a global imported into the current module (`use m: LEVEL`).
    fn is_imported_global(&self, name: &str) -> bool {
        matches!(
            self.imports.get(name),
            Some((super::modules::Import::Global(_), _))
        )
    }

    fn push_top_slot(&mut self, name: &ast::Ident, mutable: bool) {
        // The place is known now, for messages about functions checked before the
        // declaration runs ("declared on line N, below this function").
        self.add_top_slot(TopSlot {
            name: String::from(&*name.name),
            module: self.module,
            ty: None,
            info: VarInfo {
                mutable,
                loop_var: false,
                at: name.span.start,
                form: DeclForm::Statement,
                late: false,
            },
            captured: false,
        });
    }

    /// Appends a top-level variable slot, indexed by its name.
    pub(super) fn add_top_slot(&mut self, slot: TopSlot) {
        let id = self.top_vars.len();
        let key = slot.name.clone();
        self.top_vars.push(slot);
        self.top_index.entry(key).or_default().push(id);
    }

    /// Gives top-level slot `id` the name `name`, keeping the index in step.
    pub(super) fn rename_top_slot(&mut self, id: usize, name: &str) {
        let slot = &mut self.top_vars[id];
        if slot.name == name {
            return;
        }
        let old = std::mem::replace(&mut slot.name, name.to_string());
        if let Some(ids) = self.top_index.get_mut(&old) {
            ids.retain(|&i| i != id);
        }
        let ids = self.top_index.entry(name.to_string()).or_default();
        let at = ids.partition_point(|&i| i < id);
        ids.insert(at, id);
    }

    /// The last top-level variable of the current module named `name` among
    /// `top_vars[..visible]`.
    fn visible_top(&self, name: &str, visible: usize) -> Option<usize> {
        let ids = self.top_index.get(name)?;
        let below = ids.partition_point(|&i| i < visible);
        ids[..below]
            .iter()
            .rev()
            .find(|&&i| self.top_vars[i].module == self.module)
            .copied()
    }

    /// The first top-level variable named `name` of module `module`.
    pub(super) fn module_top(&self, module: usize, name: &str) -> Option<usize> {
        let ids = self.top_index.get(name)?;
        ids.iter()
            .find(|&&i| self.top_vars[i].module == module)
            .copied()
    }

    fn fn_line(&self, index: usize) -> usize {
        let decl = self.fns[index].decl;
        self.line_of(decl.name.as_ref().map_or(decl.span, |n| n.span))
    }

    /// E1016 for a parameter name used twice in one parameter list.
    pub(super) fn check_param_names(&mut self, decl: &FnDecl) {
        // First occurrence of each name: a set, since generated code can have thousands
        // of parameters (comparing each with all earlier ones was quadratic). A short list
        // (nearly every function's) is compared directly, which is cheaper than building
        // the set, and reports out of line.
        const DIRECT_UP_TO: usize = 8;
        let params = &decl.params;
        if params.len() <= DIRECT_UP_TO {
            for k in 1..params.len() {
                let name = &*params[k].name.name;
                if let Some(first) = params[..k].iter().position(|p| *p.name.name == *name) {
                    self.param_twice(decl, first, k);
                }
            }
            return;
        }
        let mut first_of: HashMap<&str, usize> = HashMap::default();
        for (k, param) in params.iter().enumerate() {
            let first = *first_of.entry(&param.name.name).or_insert(k);
            if first != k {
                self.param_twice(decl, first, k);
            }
        }
    }

    /// E1016 for parameter `k` of `decl`, named like the earlier parameter `first`.
    #[cold]
    #[inline(never)]
    fn param_twice(&mut self, decl: &FnDecl, first: usize, k: usize) {
        let param = &decl.params[k];
        let line = self.line_of(decl.params[first].name.span);
        self.error(
            Code::Redeclared,
            param.name.span,
            format!(
                "Parameter '{}' is already defined on line {line}",
                param.name.name
            ),
        );
    }

    /// Records a function declaration and resolves its annotations. (Nested functions are
    /// checked as closures: a registered function sees only itself among nested ones.)
    pub fn register_fn(&mut self, decl: &'a FnDecl, top_visible: usize) -> usize {
        let index = self.fns.len();
        // Checked here, once per declaration, so that a function nobody calls (and so
        // never checks as an instance) is still refused.
        self.check_param_names(decl);
        // A bare `Result` is one type per payload: a parameter so annotated takes whichever
        // `Result` each call passes (a version of the function per payload type, like an
        // unannotated parameter), and such a return type is found per version.
        let params = Params::new(decl.params.len(), |k| match &decl.params[k].ty {
            Some(t) if self.is_bare_result(t) => (None, true),
            Some(t) => (Some(self.resolve_type(t)), false),
            None => (None, false),
        });
        let result_ret = decl.ret.as_ref().is_some_and(|t| self.is_bare_result(t));
        let ret = decl.ret.as_ref().map(|t| self.resolve_return_type(t));
        self.fns.push(FnEntry {
            decl,
            module: self.module as u32,
            top_visible: top_visible as u32,
            params,
            ret,
            instances: Default::default(),
            endless_reported: false,
            result_ret,
            owner: None,
        });
        index
    }

    /// Whether a written type is the built-in `Result` with nothing more (the program did
    /// not declare its own `Result`).
    pub(super) fn is_bare_result(&self, ty: &ast::TypeExpr) -> bool {
        matches!(&ty.kind, ast::TypeExprKind::Named(name)
            if &**name == "Result" && self.lookup_type(name).is_none())
    }

    /// Resolves a written type; unknown names are E2003 and give `Type::Error`.
    /// The type written as a function's or function type's return type: `void` allowed.
    pub fn resolve_return_type(&mut self, ty: &ast::TypeExpr) -> Type {
        match &ty.kind {
            ast::TypeExprKind::Named(name) if &**name == "void" => Type::Void,
            _ => self.resolve_type(ty),
        }
    }

    /// The type written for a value (variable, parameter, field, payload, element, cast).
    /// (Inlined: a primitive, the commonest annotation, costs no call; the rest is
    /// `resolve_type_general`.)
    #[inline]
    pub fn resolve_type(&mut self, ty: &ast::TypeExpr) -> Type {
        // A primitive is what it says, whatever types the program declares (as the
        // general case decides, after its checks).
        if let ast::TypeExprKind::Named(name) = &ty.kind {
            if let Some(t) = Type::from_name(name).filter(|t| *t != Type::Void) {
                return t;
            }
        }
        self.resolve_type_general(ty)
    }

    /// `resolve_type` for anything but a primitive.
    #[inline(never)]
    fn resolve_type_general(&mut self, ty: &ast::TypeExpr) -> Type {
        match &ty.kind {
            // `void` says a function returns nothing (spec §4): no value has it.
            ast::TypeExprKind::Named(name)
                if &**name == "void" && !self.type_names.contains_key(&**name) =>
            {
                self.diags.push(
                    Diagnostic::new(
                        Code::UnknownType,
                        ty.span,
                        "`void` is only a return type (of a function that returns nothing); \
                         no value has it",
                    )
                    .with_help("give the value a type it can hold, like `i32` or `string`"),
                );
                Type::Error
            }
            ast::TypeExprKind::Named(name)
                if &**name == "Result" && !self.type_names.contains_key(&**name) =>
            {
                // A bare `Result` annotation: the built-in with the `Ok` type of the first
                // value stored (`Result<i32>` if none).
                self.new_result_hole()
            }
            // The type of a caught error (spec §4.2), unless a module declares its own.
            ast::TypeExprKind::Named(name)
                if &**name == "Error" && !self.type_names.contains_key(&**name) =>
            {
                Type::ErrorValue
            }
            ast::TypeExprKind::Named(name) => {
                match Type::from_name(name).or_else(|| self.lookup_type(name)) {
                    Some(t) => t,
                    None => {
                        let mut diag = Diagnostic::new(
                            Code::UnknownType,
                            ty.span,
                            format!("this is a `{name}`, but `valid type` was expected"),
                        );
                        if let Some(close) = self.suggest_type(name) {
                            diag = diag.with_help(format!("did you mean `{close}`?"));
                        }
                        self.diags.push(diag);
                        Type::Error
                    }
                }
            }
            ast::TypeExprKind::Array(elem) => {
                Type::Array(std::rc::Rc::new(self.resolve_type(elem)))
            }
            ast::TypeExprKind::Fn(f) => {
                let params = f.params.iter().map(|p| self.resolve_type(p)).collect();
                let ret = f
                    .ret
                    .as_ref()
                    .map_or(Type::Void, |r| self.resolve_return_type(r));
                Type::Func(std::rc::Rc::new(super::FnType { params, ret }))
            }
        }
    }

    /// Checks a module's top-level statements as a function of their own: the program entry
    /// for the main module (which first calls the initialisers of the imported modules,
    /// `inits`), or a module initialiser.
    fn check_entry(
        &mut self,
        stmts: &'a [ast::Stmt],
        name: String,
        file: u32,
        inits: &[(FuncId, Span)],
    ) -> FuncId {
        let id = self.functions.len();
        self.functions.push(None);
        let previous = self.enter_cx(RetKind::Entry, 0, None);
        self.recycle_cx(previous);
        self.next_top = self.module_top_start();
        let mut body: Vec<TStmt> = inits
            .iter()
            .map(|&(init, span)| TStmt {
                kind: TStmtKind::Expr(TExpr {
                    kind: TExprKind::Call {
                        func: init,
                        args: Box::new([]),
                    },
                    ty: Type::Void,
                    span,
                }),
                span,
            })
            .collect();
        body.extend(self.block_stmts(stmts));
        let mut cx = self.enter_cx(RetKind::Entry, 0, None);
        let locals = cx.take_locals();
        self.recycle_cx(cx);
        self.functions[id] = Some(TFunction {
            name: name.into(),
            file,
            is_toplevel: true,
            params: 0,
            locals,
            ret: Type::Void,
            body,
            span: Span::default(),
            capture_by_value: Box::default(),
        });
        self.entry = Some(id);
        id
    }

    /// Declares a local in the innermost scope of the current function. (Inlined: the
    /// call's frame cost as much as the three pushes; the hint alone was not taken.)
    #[inline(always)]
    pub fn declare_local(
        &mut self,
        name: &Name,
        ty: Type,
        mutable: bool,
        loop_var: bool,
        at: u32,
    ) -> LocalId {
        let id = self.cx.locals.len();
        self.cx.locals.push(LocalVar {
            name: name.clone(),
            ty,
            captured: false,
        });
        self.cx.local_info.push(VarInfo {
            mutable,
            loop_var,
            at,
            form: DeclForm::Bound,
            late: false,
        });
        self.cx
            .scopes
            .last_mut()
            .expect("a function context always has a scope")
            .push(name.clone(), Sym::Local(id));
        id
    }

    /// Resolves a name in the current context.
    pub fn lookup(&mut self, name: &str) -> Option<Sym> {
        for scope in self.cx.scopes.iter().rev() {
            if let Some(sym) = scope.get(name) {
                return Some(sym);
            }
        }
        if let Some((own, f)) = &self.cx.own_fn {
            if same_name(own, name) {
                return Some(Sym::Func(*f));
            }
        }
        if !self.parents.is_empty() {
            if let Some(sym) = self.lookup_in_parents(name) {
                return Some(sym);
            }
        }
        let visible = self.cx.top_visible.min(self.top_vars.len());
        if !self.cx.is_entry && visible > 0 {
            if let Some(id) = self.visible_top(name, visible) {
                self.top_vars[id].captured = true;
                return Some(Sym::Top(id));
            }
        }
        if let Some(&f) = self.top_fns.get(name) {
            return Some(Sym::Func(f));
        }
        if self.imports.is_empty() {
            return None;
        }
        match self.imports.get(name).map(|i| &i.0) {
            Some(super::modules::Import::Func(f)) => Some(Sym::Func(*f)),
            Some(super::modules::Import::Global(id)) => {
                self.top_vars[*id].captured = true;
                Some(Sym::Top(*id))
            }
            _ => None,
        }
    }

    /// The type name closest to `name` (declared, imported or built in), for "did you
    /// mean" hints on unknown types.
    pub(super) fn suggest_type(&self, name: &str) -> Option<String> {
        const BUILT_IN: [&str; 7] = ["i32", "i64", "u32", "u64", "f64", "bool", "string"];
        // Other languages' names of the built-in types.
        let foreign = match name {
            "int" | "Int" | "Integer" | "isize" => Some("i32"),
            "long" | "Long" => Some("i64"),
            "float" | "Float" | "double" | "Double" | "f32" | "number" => Some("f64"),
            "str" | "String" | "Str" | "char" => Some("string"),
            "boolean" | "Boolean" | "Bool" => Some("bool"),
            _ => None,
        };
        if let Some(t) = foreign {
            return Some(t.to_string());
        }
        let imported = self
            .imports
            .iter()
            .filter(|(_, (i, _))| matches!(i, super::modules::Import::Type(_)))
            .map(|(n, _)| n.as_str());
        let candidates = self
            .type_names
            .keys()
            .map(String::as_str)
            .chain(imported)
            .chain(BUILT_IN);
        closest(name, candidates, member_guess_limit(name)).map(str::to_string)
    }

    /// The name closest to `name` among those visible, for "did you mean" hints.
    pub fn suggest(&self, name: &str) -> Option<String> {
        let mut candidates: Vec<&str> = vec![];
        for scope in &self.cx.scopes {
            candidates.extend(scope.names());
        }
        if !self.cx.is_entry {
            let visible = self.cx.top_visible.min(self.top_vars.len());
            candidates.extend(self.top_vars[..visible].iter().map(|t| t.name.as_str()));
        }
        candidates.extend(self.top_fns.keys().map(|k| &**k));
        candidates.extend(self.cx.own_fn.iter().map(|(n, _)| &**n));
        closest(name, candidates, (name.len() / 3).max(1)).map(str::to_string)
    }

    /// Inside a method, the help for a field or method of `self` written without `self.`
    /// (`self` is found in the scopes directly: `lookup` would record a capture).
    fn member_of_self(&self, name: &str) -> Option<String> {
        let Some(Sym::Local(id)) = self.cx.scopes.iter().rev().find_map(|s| s.get("self")) else {
            return None;
        };
        let Type::Struct(sid, _) = &self.cx.locals.get(id)?.ty else {
            return None;
        };
        let info = self.structs.get(*sid as usize)?;
        let field = info.fields.iter().any(|f| f.name == name);
        let method = info.methods.iter().any(|m| m.0 == name);
        (field || method).then(|| {
            format!("inside a method, fields and methods are reached through `self`: `self.{name}`")
        })
    }

    pub fn undefined(&mut self, name: &str, span: Span) {
        let failed_import = self
            .failed_imports
            .contains(&(self.module, name.to_string()));
        if failed_import || !self.cx.undefined_reported.insert(name.into()) {
            return;
        }
        let mut diag = Diagnostic::new(
            Code::UndefinedName,
            span,
            format!("Undefined variable '{name}'. Variables must be declared before use."),
        );
        // Other languages' spellings of built-in words come before near names.
        let foreign = match name {
            "True" | "TRUE" => Some("the boolean literals are `true` and `false`".to_string()),
            "False" | "FALSE" => Some("the boolean literals are `true` and `false`".to_string()),
            "None" | "null" | "nil" | "undefined" | "NULL" => Some(
                "Orus has no null value; use a `Result` or an enum variant for \"nothing\""
                    .to_string(),
            ),
            "pass" => Some(
                "Orus has no `pass` (spec §2.4): a block needs a real statement, like `return` in a \
                 function that does nothing yet"
                    .to_string(),
            ),
            "self" => Some(
                "`self` is the first parameter of a method that takes one: inside `impl`, write \
                 `fn name(self, ...)`"
                    .to_string(),
            ),
            "range" => Some(
                "Orus writes ranges with `..`: `for i in 0..n:` (spec §8.3)"
                    .to_string(),
            ),
            "len" | "push" | "pop" => Some(format!(
                "`{name}` is a built-in and can't be used as a value; call it: `{name}(...)`"
            )),
            // Python's conversion functions.
            "str" => Some("convert with `as`: `value as string`".to_string()),
            "int" => Some("convert with `as`: `value as i32` (or `i64`)".to_string()),
            "float" => Some("convert with `as`: `value as f64`".to_string()),
            _ => None,
        };
        // Declared in this function, but in a block that has ended (Python lets it leak).
        let expired = || {
            let id = self.cx.locals.iter().rposition(|l| *l.name == *name)?;
            let line = self.line_at(self.module, self.cx.local_info[id].at);
            Some(format!(
                "'{name}' was declared on line {line} inside a block that has ended; declare \
                 it before that block (like `mut {name} = ...`) to use it here"
            ))
        };
        let module_word = || {
            let words = self.module_words.get(self.module)?;
            words.contains(name).then(|| {
                format!(
                    "`{name}` names a module: `use` brings its public names in directly, so \
                     write them without `{name}.`"
                )
            })
        };
        // A top-level variable of this module declared below the function (spec §5.3, D2:
        // a function sees the top-level variables declared before it).
        let declared_later = || {
            if self.cx.is_entry {
                return None;
            }
            let id = self.module_top(self.module, name)?;
            let line = self.line_at(self.module, self.top_vars[id].info.at);
            Some(if line > 0 {
                format!(
                    "'{name}' is declared on line {line}, below this function, which sees only \
                     the top-level variables declared above it: move that declaration up"
                )
            } else {
                format!(
                    "'{name}' is declared below this function, which sees only the top-level \
                     variables declared above it: move that declaration up"
                )
            })
        };
        let private = || {
            let module = self.private_imports.get(&(self.module, name.to_string()))?;
            Some(format!(
                "'{name}' is declared in module '{module}' but not `pub`, so `use {module}` \
                 does not import it; mark it `pub` there to use it here"
            ))
        };
        let help = foreign
            .or_else(|| self.member_of_self(name))
            .or_else(private)
            .or_else(module_word)
            .or_else(expired)
            .or_else(declared_later)
            .or_else(|| self.suggest(name).map(|s| format!("did you mean `{s}`?")));
        if let Some(help) = help {
            diag = diag.with_help(help);
        }
        self.diags.push(diag);
    }
}

#[cfg(test)]
mod tests {
    use super::{Params, Type};
    use std::rc::Rc;

    #[test]
    fn annotated_parameters_are_one_shared_list_of_types() {
        let params = Params::new(2, |k| (Some([Type::I32, Type::F64][k].clone()), false));
        assert_eq!(params.len(), 2);
        assert_eq!(params.get(1), Some(&Type::F64));
        assert!(!params.bare_result(0));
        let shared = params.all_annotated().expect("all annotated");
        assert_eq!(**shared, [Type::I32, Type::F64]);
        assert!(Rc::ptr_eq(shared, params.clone().all_annotated().unwrap()));
    }

    #[test]
    fn generic_and_bare_result_parameters_have_no_type() {
        let kinds = [(Some(Type::Str), false), (None, false), (None, true)];
        let params = Params::new(3, |k| kinds[k].clone());
        assert!(params.all_annotated().is_none());
        let got: Vec<Option<&Type>> = params.iter().collect();
        assert_eq!(got, [Some(&Type::Str), None, None]);
        assert_eq!(
            (0..3).map(|k| params.bare_result(k)).collect::<Vec<_>>(),
            [false, false, true]
        );
    }

    #[test]
    fn annotating_the_first_parameter_keeps_the_others() {
        let generic_self = Params::new(2, |k| [(None, false), (Some(Type::I64), false)][k].clone());
        let method = generic_self.with_first(Type::Bool);
        assert_eq!(
            method.all_annotated().map(|t| t.to_vec()),
            Some(vec![Type::Bool, Type::I64])
        );
        let with_result = Params::new(2, |k| [(None, false), (None, true)][k].clone());
        let method = with_result.with_first(Type::Bool);
        assert_eq!(method.get(0), Some(&Type::Bool));
        assert_eq!(method.get(1), None);
        assert!(method.bare_result(1));
    }
}
