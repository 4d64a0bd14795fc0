//! Function instances: a function with unannotated parameters is generic, and every call
//! with a new combination of argument types creates and checks a new instance (choice
//! 29). An instance whose return type is inferred is checked at its first call; one whose
//! return literal turned out too narrow is checked again (choice 30).

use super::func::{Checker, FnCx, Instance, RetKind};
use super::typed::*;
use super::Type;
use crate::ast::{self, StmtKind};
use crate::diag::{Code, Diagnostic, Span};
use std::rc::Rc;

/// How deep on-demand checking of not-yet-checked functions may nest before we ask the
/// user for a return annotation instead (protects the host stack).
const MAX_INSTANTIATION_DEPTH: usize = 64;
/// Deepest argument type of an instance of a function with unannotated parameters. Types
/// written in a program nest at most as deep as the parser allows; deeper ones only come
/// from a function calling itself with ever larger types (`fn wrap(x): wrap([x])`), which
/// would need endlessly many instances.
const MAX_INSTANCE_TYPE_DEPTH: usize = crate::parser::MAX_DEPTH as usize + 16;

/// The most parts an argument type of a new version may have (see `Type::exceeds`): far
/// more than a written type has, few enough that comparing and printing stay cheap.
const MAX_INSTANCE_TYPE_PARTS: usize = 4096;

/// The most versions of one function (one per combination of argument types). Argument
/// types that branch at every level of a chain of calls (`g1([x])` and `g1(Result.Ok(x))`
/// in `g0`, and so on) double the count per level without any recursion.
const MAX_VERSIONS: usize = 256;

impl Checker<'_, '_> {
    /// Checks every instance created but not yet checked.
    pub(super) fn drain_pending(&mut self) {
        while let Some((entry, inst)) = self.pending.pop() {
            self.check_instance(entry, inst);
        }
    }

    /// Returns the instance of `entry` for these argument types, creating it if needed,
    /// and its return type (checking the body now when the return type must be inferred).
    pub fn instance(&mut self, entry: usize, args: &[Type], call_span: Span) -> (FuncId, Type) {
        self.instance_of(entry, args, None, call_span)
    }

    /// [`Checker::instance`], with the argument types already shared (`shared`, the same
    /// types as `args`) when the caller has them so.
    fn instance_of(
        &mut self,
        entry: usize,
        args: &[Type],
        shared: Option<&Rc<[Type]>>,
        call_span: Span,
    ) -> (FuncId, Type) {
        let found = self.fns[entry]
            .instances
            .iter()
            .position(|inst| *inst.args == *args);
        let inst = match found {
            Some(i) => i,
            None if args
                .iter()
                .any(|t| t.exceeds(MAX_INSTANCE_TYPE_DEPTH, MAX_INSTANCE_TYPE_PARTS)) =>
            {
                let name = self.fn_name(entry);
                return self.refuse_version(
                    entry,
                    call_span,
                    format!(
                        "Function '{name}' is called with argument types nested more than \
                         {MAX_INSTANCE_TYPE_DEPTH} levels deep or made of more than \
                         {MAX_INSTANCE_TYPE_PARTS} parts: calls pass it ever larger types, \
                         which would need ever larger versions of it; annotate its parameters"
                    ),
                );
            }
            None if self.fns[entry].instances.len() >= MAX_VERSIONS => {
                let name = self.fn_name(entry);
                return self.refuse_version(
                    entry,
                    call_span,
                    format!(
                        "Function '{name}' would need more than {MAX_VERSIONS} versions, one \
                         per combination of argument types it is called with; annotate its \
                         parameters"
                    ),
                );
            }
            None => {
                let args = shared.map_or_else(|| Rc::from(args), Rc::clone);
                let inst = self.new_version(entry, args, call_span);
                self.pending.push((entry, inst));
                inst
            }
        };
        let id = self.fns[entry].instances[inst].id as FuncId;
        // A return type still to be found: by inference, or a `-> Result` whose payload
        // the body decides (checked now, so the caller sees the `Result` it gets).
        let open_ret = match &self.fns[entry].instances[inst].ret {
            None => true,
            // (Only a hole can resolve to a hole.)
            Some(t) => matches!(t, Type::Hole(_)) && matches!(self.resolve(t), Type::Hole(_)),
        };
        // An argument whose type is still open (`xs = []` passed before anything is stored)
        // is checked now too: a `push` in the body then types the caller's array in program
        // order, before the caller's next line reads it.
        let open_args = || {
            self.fns[entry].instances[inst].args.iter().any(|t| {
                use super::holes::mentions_hole;
                // (Resolving a type without holes gives it back.)
                mentions_hole(t) && mentions_hole(&self.resolve(t))
            })
        };
        if (open_ret || open_args()) && !self.fns[entry].instances[inst].checked {
            if self.depth >= MAX_INSTANTIATION_DEPTH {
                let name = self.fn_name(entry);
                self.error(
                    Code::CannotInfer,
                    call_span,
                    format!(
                        "Can't infer the return type of '{name}' here: it is reached through \
                         {MAX_INSTANTIATION_DEPTH} nested calls of functions whose return \
                         types are still being inferred; annotate it with `-> T`"
                    ),
                );
                return (id, Type::Error);
            }
            self.check_instance(entry, inst);
        } else if open_ret && self.fns[entry].result_ret {
            // Still being checked (a recursive call): its `Result` is not decided yet.
            if let Some(Type::Hole(h)) = self.fns[entry].instances[inst]
                .ret
                .as_ref()
                .map(|t| self.resolve(t))
            {
                self.cycle_results.insert(h, entry);
            }
        }
        match &self.fns[entry].instances[inst].ret {
            Some(ret) => {
                let ret = ret.clone();
                let own = matches!(self.cx.ret, RetKind::Inferred(e, i) if e == entry && i == inst);
                if self.fns[entry].instances[inst].weak_ret && !own {
                    self.fns[entry].instances[inst].weak_ret_read = true;
                }
                (id, ret)
            }
            None => {
                let name = self.fn_name(entry);
                self.error(
                    Code::CannotInfer,
                    call_span,
                    format!(
                        "Can't infer the return type of recursive function '{name}' before its first `return`; annotate it with `-> T`"
                    ),
                );
                (id, Type::Error)
            }
        }
    }

    /// Adds a version of `entry` for argument types `args` (not checked yet); its index.
    fn new_version(&mut self, entry: usize, args: Rc<[Type]>, call_span: Span) -> usize {
        let id = self.functions.len();
        self.functions.push(None);
        // Without an annotation and without any `return value`, the function is
        // void, known before its body is checked (so it may recurse freely).
        let ret = if self.fns[entry].result_ret {
            Some(self.new_result_hole())
        } else {
            self.fns[entry].ret.clone().or_else(|| {
                (!returns_value(&self.fns[entry].decl.body.stmts)).then_some(Type::Void)
            })
        };
        self.instances_made += 1;
        let call_module = self.module as u32;
        let instances = &mut self.fns[entry].instances;
        instances.push(Instance {
            args,
            ret,
            id: id as u32,
            call_module,
            call_at: call_span.start,
            checked: false,
            weak_ret: false,
            weak_ret_read: false,
            widen_done: false,
        });
        instances.len() - 1
    }

    /// E2011 (once per function) for a version that would break a bound; the call gets
    /// an existing version and the error type.
    fn refuse_version(&mut self, entry: usize, call_span: Span, message: String) -> (FuncId, Type) {
        if !self.fns[entry].endless_reported {
            self.fns[entry].endless_reported = true;
            self.error(Code::CannotInfer, call_span, message);
        }
        (
            self.fns[entry]
                .instances
                .first()
                .map_or(0, |i| i.id as FuncId),
            Type::Error,
        )
    }

    pub fn fn_name(&self, entry: usize) -> String {
        self.fns[entry]
            .decl
            .name
            .as_ref()
            .map_or_else(|| "<anonymous>".to_string(), |n| String::from(&*n.name))
    }

    /// The name of a compiled version of function `entry`: a method's is `Struct.method`.
    fn compiled_name(&self, entry: usize) -> String {
        match &self.fns[entry].owner {
            Some(owner) => format!("{owner}.{}", self.fn_name(entry)),
            None => self.fn_name(entry),
        }
    }

    /// Makes sure a non-generic function has its (single) instance and that it is checked.
    pub fn check_declared(&mut self, entry: usize) {
        // (Its version's argument types are its parameters' types: the same shared list.)
        let Some(args) = self.fns[entry].params.all_annotated().cloned() else {
            return;
        };
        let span = self.fns[entry].decl.span;
        // Nearly always nothing has called it yet: its one version is made and checked
        // here, as `instance_of` would (which checks a version whose return type is still
        // open at once, and leaves the others to this function), without a pending entry
        // to skip later or a search for the version made.
        let first = self.fns[entry].instances.is_empty()
            && self.depth < MAX_INSTANTIATION_DEPTH
            && !args
                .iter()
                .any(|t| t.exceeds(MAX_INSTANCE_TYPE_DEPTH, MAX_INSTANCE_TYPE_PARTS));
        if first {
            let inst = self.new_version(entry, args, span);
            self.check_instance(entry, inst);
            return;
        }
        let (id, _) = self.instance_of(entry, &args, Some(&args), span);
        let found = self.fns[entry]
            .instances
            .iter()
            .position(|i| i.id as FuncId == id);
        if let Some(inst) = found {
            if !self.fns[entry].instances[inst].checked {
                self.check_instance(entry, inst);
            }
        }
    }

    /// Checks the body of a generic function that nothing calls, so it has no version: its
    /// unannotated parameters get no type (`Type::Error`, which reports nothing), so what
    /// is reported is what is wrong whatever they turn out to be: an undefined name, a
    /// call of another function with the wrong arguments (spec §17.1 makes those compile
    /// errors in every function). The typed body is dropped; no code is made for it.
    pub(super) fn probe_uncalled(&mut self, entry: usize) {
        let params: Vec<Type> = self.fns[entry]
            .params
            .iter()
            .map(|p| p.cloned().unwrap_or(Type::Error))
            .collect();
        // A declared return type is checked as usual; an inferred one accepts anything.
        let ret = self.fns[entry].ret.clone().unwrap_or(Type::Error);
        let (_, cx, _, _) = self.body_in_context(entry, RetKind::Declared(ret), &params);
        self.recycle_cx(cx);
    }

    /// Checks an instance's body once, in a fresh context: the typed body, the context it
    /// left, the number of diagnostics before it and the file it is in.
    fn check_body(&mut self, entry: usize, inst: usize) -> (Vec<TStmt>, Box<FnCx>, usize, u32) {
        let args = self.fns[entry].instances[inst].args.clone();
        let ret_kind = match (&self.fns[entry].ret, &self.fns[entry].instances[inst].ret) {
            (Some(_), Some(own)) if self.fns[entry].result_ret => RetKind::Declared(own.clone()),
            (Some(t), _) => RetKind::Declared(t.clone()),
            (None, _) => RetKind::Inferred(entry, inst),
        };
        let (body, cx, saved_diags, file) = self.body_in_context(entry, ret_kind, &args);
        // An error that depends on the argument types says which call they came from (for
        // a version of a function with generic parameters).
        let generic = self.fns[entry].params.all_annotated().is_none();
        if generic && self.diags.len() > saved_diags {
            let i = &self.fns[entry].instances[inst];
            let module = i.call_module as usize;
            let call_file = self.maps.get(module).map_or("", |m| m.1.name);
            let origin = format!("{call_file}:{}", self.line_at(module, i.call_at));
            let fname = self.fn_name(entry);
            let types: Vec<String> = args.iter().map(|t| self.resolve(t).to_string()).collect();
            for d in &mut self.diags[saved_diags..] {
                if matches!(
                    d.note.as_deref(),
                    None | Some(super::expr::TYPES_KEPT_SEPARATE)
                ) {
                    d.note = Some(format!(
                        "in `{fname}` called with ({}) at {origin}",
                        types.join(", ")
                    ));
                }
            }
        }
        (body, cx, saved_diags, file)
    }

    /// Checks the body of function `entry` with parameters of types `args`, in a fresh
    /// context of its module: the typed body, the context it left, the number of
    /// diagnostics before it and the file it is in. The caller's context is restored.
    fn body_in_context(
        &mut self,
        entry: usize,
        ret_kind: RetKind,
        args: &[Type],
    ) -> (Vec<TStmt>, Box<FnCx>, usize, u32) {
        let decl = self.fns[entry].decl;
        let own_fn = decl.name.as_ref().map(|n| (n.name.clone(), entry));
        let saved = self.enter_cx(ret_kind, self.fns[entry].top_visible as usize, own_fn);
        let saved_parents = std::mem::take(&mut self.parents);
        let saved_module = self.module;
        self.switch_module(self.fns[entry].module as usize);
        let saved_diags = self.diags.len();
        self.depth += 1;
        for (param, ty) in decl.params.iter().zip(args) {
            // A repeated name was reported by `register_fn`; the later one shadows.
            let at = param.name.span.start;
            self.declare_local(&param.name.name, ty.clone(), false, false, at);
        }
        let body = self.block_stmts(&decl.body.stmts);
        self.depth -= 1;
        let file = self.file;
        self.stamp(saved_diags, file);
        self.switch_module(saved_module);
        let cx = std::mem::replace(&mut self.cx, saved);
        self.parents = saved_parents;
        (body, cx, saved_diags, file)
    }

    /// Checks one instance's body in a fresh context.
    fn check_instance(&mut self, entry: usize, inst: usize) {
        if self.fns[entry].instances[inst].checked {
            return;
        }
        self.fns[entry].instances[inst].checked = true;
        let decl = self.fns[entry].decl;
        let args = self.fns[entry].instances[inst].args.clone();
        let id = self.fns[entry].instances[inst].id as FuncId;
        self.instance_checks += 1;
        let effects_before = (self.outer_binds, self.instances_made, self.instance_checks);
        let floor = std::mem::replace(&mut self.hole_floor, self.holes.len() as u32);
        let (mut body, mut cx, mut saved_diags, mut file) = self.check_body(entry, inst);
        self.hole_floor = floor;
        // Checking again is only sound when the first check touched nothing outside this
        // body: no type of the caller's values bound, no other function's version made
        // or checked (their errors would be dropped with this body's).
        let self_contained =
            effects_before == (self.outer_binds, self.instances_made, self.instance_checks);
        // `return 0` typed the result `i32` before a later `return x` (an `f64`, say) or a
        // recursive `n * f(n - 1)` with `n: i64` showed what it is: the literal should have
        // adapted (spec §4.3). Check again with each type the literal could take, from the
        // returned values and then the parameters, and keep the first that checks cleanly;
        // failing that, check as before and report against the literal's type.
        let inst_ref = &self.fns[entry].instances[inst];
        if inst_ref.weak_ret
            && !inst_ref.weak_ret_read
            && self_contained
            && (!cx.ret_widenings.is_empty() || self.diags.len() > saved_diags)
        {
            let weak = inst_ref.ret.clone();
            let mut candidates = cx.ret_widenings.clone();
            for a in args.iter() {
                if !candidates.contains(a) {
                    candidates.push(a.clone());
                }
            }
            candidates.retain(|c| Some(c) != weak.as_ref() && (c.is_integer() || *c == Type::F64));
            for ret in candidates.into_iter().map(Some).chain([None]) {
                self.diags.truncate(saved_diags);
                // `None` last: infer afresh, and keep the literal's own type.
                let last = ret.is_none();
                let i = &mut self.fns[entry].instances[inst];
                (i.ret, i.weak_ret, i.widen_done) = (ret, false, true);
                self.recycle_cx(cx);
                (body, cx, saved_diags, file) = self.check_body(entry, inst);
                if last || self.diags.len() == saved_diags {
                    break;
                }
            }
        }
        self.fns[entry].instances[inst].weak_ret = false;
        // Errors inside a generic function are reported once, not once per instance.
        if self.fns[entry].instances.len() > 1 && self.diags.len() > saved_diags {
            let first = self.diags[..saved_diags].to_vec();
            let new: Vec<Diagnostic> = self.diags[saved_diags..]
                .iter()
                .filter(|d| !first.iter().any(|f| f.span == d.span && f.code == d.code))
                .cloned()
                .collect();
            self.diags.truncate(saved_diags);
            self.diags.extend(new);
        }
        let ret = match &self.fns[entry].instances[inst].ret {
            Some(t) => t.clone(),
            None => Type::Void,
        };
        self.fns[entry].instances[inst].ret = Some(ret.clone());
        let name = decl.name.as_ref().map_or(decl.span, |n| n.span);
        if ret != Type::Void && ret != Type::Error && !super::stmt::always_returns(&body) {
            let fname = self.fn_name(entry);
            let mut diag = Diagnostic::new(
                Code::MissingReturn,
                name,
                format!("Function '{fname}' must return a value of type `{ret}` on every path"),
            );
            // Rust's habit: the last expression is the result. Name the fix.
            if let Some(TStmt {
                kind: TStmtKind::Expr(last),
                ..
            }) = body.last()
            {
                if self.resolve(&last.ty) == self.resolve(&ret) {
                    // The statement's span covers the whole expression (an operator's
                    // typed node is placed at the operator).
                    let span = decl.body.stmts.last().map_or(last.span, |s| s.span);
                    let text =
                        self.maps
                            .get(self.fns[entry].module as usize)
                            .map_or(String::new(), |m| {
                                let (start, end) = (span.start as usize, span.end as usize);
                                String::from_utf8_lossy(m.1.text.get(start..end).unwrap_or(&[]))
                                    .into_owned()
                            });
                    diag = diag.with_help(format!(
                        "the last line's value is not returned by itself: write `return {text}`"
                    ));
                }
            }
            // Reported in the function's own file (the caller's module is current again).
            diag.file = Some(file);
            self.diags.push(diag);
        }
        let locals = cx.take_locals();
        self.recycle_cx(cx);
        self.functions[id] = Some(TFunction {
            name: self.compiled_name(entry).into(),
            file: self
                .maps
                .get(self.fns[entry].module as usize)
                .map_or(0, |m| m.0),
            is_toplevel: false,
            params: decl.params.len(),
            locals,
            ret,
            body,
            span: decl.span,
            capture_by_value: Box::default(),
        });
    }
}

/// The versions of one function, by index. Nearly every function has exactly one: it is
/// kept inline (no list to allocate, fill and free per function); more go to `more`.
#[derive(Default)]
pub(super) struct Versions {
    first: Option<Instance>,
    /// Boxed: one pointer in every function's entry instead of a list's three words (the
    /// extra allocation is made only for a second version, which few functions have).
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<Instance>>>,
}

impl Versions {
    pub(super) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.more.as_ref().map_or(0, |m| m.len())
    }

    pub(super) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    pub(super) fn first(&self) -> Option<&Instance> {
        self.first.as_ref()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Instance> {
        self.first
            .iter()
            .chain(self.more.iter().flat_map(|m| m.iter()))
    }

    pub(super) fn push(&mut self, inst: Instance) {
        match self.first {
            None => self.first = Some(inst),
            Some(_) => self.more.get_or_insert_default().push(inst),
        }
    }
}

impl std::ops::Index<usize> for Versions {
    type Output = Instance;
    fn index(&self, i: usize) -> &Instance {
        match (i, &self.first) {
            (0, Some(first)) => first,
            _ => &self.more.as_ref().expect("a version past the first")[i.wrapping_sub(1)],
        }
    }
}

impl std::ops::IndexMut<usize> for Versions {
    fn index_mut(&mut self, i: usize) -> &mut Instance {
        match (i, &mut self.first) {
            (0, Some(first)) => first,
            _ => &mut self.more.as_mut().expect("a version past the first")[i.wrapping_sub(1)],
        }
    }
}

/// Whether a function body contains a `return` with a value (outside nested functions).
fn returns_value(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Return(v) => v.is_some(),
        StmtKind::If {
            branches,
            else_block,
        } => {
            branches.iter().any(|(_, b)| returns_value(&b.stmts))
                || else_block.as_ref().is_some_and(|b| returns_value(&b.stmts))
        }
        StmtKind::While(w) => returns_value(&w.body.stmts),
        StmtKind::For(f) => returns_value(&f.body.stmts),
        StmtKind::Try(t) => returns_value(&t.body.stmts) || returns_value(&t.handler.stmts),
        StmtKind::Match(m) => m.arms.iter().any(|a| match &a.body {
            ast::ArmBody::Block(b) => returns_value(&b.stmts),
            ast::ArmBody::Expr(_) => false,
        }),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::func::{FnEntry, Instance};
    use super::Versions;
    use std::mem::size_of;

    /// A 100 000-line program has ten thousand entries, all alive until checking ends:
    /// every byte of one is ten kilobytes of fresh pages (~1 ms per 1 000 faults here).
    #[test]
    fn function_entries_stay_small() {
        assert_eq!(size_of::<Instance>(), 48);
        assert_eq!(size_of::<Versions>(), 56);
        assert_eq!(size_of::<FnEntry>(), 136);
    }
}
