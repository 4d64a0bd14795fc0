//! Declaration order across calls: no function may run before a top-level variable it
//! reads has been declared (E1029).
//!
//! The checker already makes every *name* follow declaration-before-use: a function sees
//! only the top-level variables declared above it. But functions are visible throughout
//! their file (decision D2), so top-level code may call one before those variables' own
//! declarations have run, directly (`print(get())` above `limit = 7`) or inside the
//! declaration (`total = twice()` where `twice` reads `total`). Such a read would find no
//! value. This pass, over the finished typed tree, finds every such use at compile time:
//!
//! 1. The declaration of a top-level variable is its first store in its file's top-level
//!    code; it has run once that statement has ended.
//! 2. A function *needs* the variables of its own file it reads, and what every function
//!    of its file it calls or takes as a value needs. Functions of other files are skipped:
//!    a module has finished running before anything that imports it starts, and imports
//!    cannot form cycles.
//! 3. A call (or function value) in top-level code is an error when some variable the
//!    function needs is declared in the same file and its declaration ends after the call
//!    begins. Only the latest-declared needed variable has to be checked, so each function
//!    keeps just that one: a breadth-first search over reverse call edges, from the
//!    latest declaration to the earliest, marks each function once (linear time).
//!
//! Function values are followed where they are made, not where they are called (which the
//! compiler cannot know), so making one before such a declaration is an error too.

use std::collections::VecDeque;

use super::typed::*;
use crate::diag::{Code, Diagnostic, SourceMap, Span};

/// The declaration of a top-level variable: its file and the statement that declares it
/// (it has run once `stmt.end` is passed).
#[derive(Clone, Copy)]
struct Decl {
    file: u32,
    stmt: Span,
}

/// Why a function needs a variable: it reads it itself (`via == None`) or calls `via`,
/// which needs it.
#[derive(Clone, Copy)]
struct Need {
    var: TopId,
    via: Option<FuncId>,
}

/// What the walk over one function body found.
#[derive(Default)]
struct Uses {
    /// Top-level variables read.
    reads: Vec<TopId>,
    /// Functions called or taken as values, with the span of the use.
    calls: Vec<(FuncId, Span)>,
    /// Top-level variables stored, with the statement that stores them.
    stores: Vec<(TopId, Span)>,
}

/// Reports every use in top-level code of a function that needs a variable not yet
/// declared. `maps` gives each file's source, for line numbers.
pub(super) fn check(
    program: &mut TProgram,
    maps: &[(u32, &SourceMap<'_>)],
    diags: &mut Vec<Diagnostic>,
) {
    // Only a read inside an ordinary function can come too early, and every top-level
    // variable such a function reads or writes is marked `captured` by the checker.
    if !program.top_vars.iter().any(|t| t.captured) {
        return;
    }
    let n = program.functions.len();
    let mut uses: Vec<Uses> = Vec::with_capacity(n);
    for f in &mut program.functions {
        let mut u = Uses::default();
        collect_stmts(&mut f.body, &mut u);
        uses.push(u);
    }

    // 1. Declarations: the first store to each variable in top-level code, in order.
    let mut decls: Vec<Option<Decl>> = vec![None; program.top_vars.len()];
    for (f, u) in program.functions.iter().zip(&uses) {
        if !f.is_toplevel {
            continue;
        }
        for &(var, stmt) in &u.stores {
            if let Some(slot @ None) = decls.get_mut(var) {
                *slot = Some(Decl { file: f.file, stmt });
            }
        }
    }

    // 2. Needs. Readers per variable and callers per function, within one file.
    let functions = &program.functions;
    let mut readers: Vec<Vec<FuncId>> = vec![vec![]; decls.len()];
    let mut callers: Vec<Vec<FuncId>> = vec![vec![]; n];
    for (id, u) in uses.iter().enumerate() {
        if functions[id].is_toplevel {
            continue;
        }
        for &var in &u.reads {
            if decls
                .get(var)
                .copied()
                .flatten()
                .is_some_and(|d| d.file == functions[id].file)
            {
                readers[var].push(id);
            }
        }
        for &(callee, _) in &u.calls {
            if same_file_callee(functions, functions[id].file, callee) {
                callers[callee].push(id);
            }
        }
    }
    let mut order: Vec<TopId> = (0..decls.len()).filter(|&v| decls[v].is_some()).collect();
    order.sort_by_key(|&v| std::cmp::Reverse(decls[v].map_or(0, |d| d.stmt.end)));
    let mut need: Vec<Option<Need>> = vec![None; n];
    let mut queue = VecDeque::new();
    for var in order {
        for &f in &readers[var] {
            if need[f].is_none() {
                need[f] = Some(Need { var, via: None });
                queue.push_back(f);
            }
        }
        while let Some(f) = queue.pop_front() {
            for &caller in &callers[f] {
                if need[caller].is_none() {
                    need[caller] = Some(Need { var, via: Some(f) });
                    queue.push_back(caller);
                }
            }
        }
    }

    // 3. Uses in top-level code.
    for (f, u) in functions.iter().zip(&uses) {
        if !f.is_toplevel {
            continue;
        }
        for &(callee, at) in &u.calls {
            if !same_file_callee(functions, f.file, callee) {
                continue;
            }
            let Some(Need { var, .. }) = need[callee] else {
                continue;
            };
            let Some(decl) = decls[var] else { continue };
            if decl.file == f.file && at.start < decl.stmt.end {
                diags.push(report(
                    functions,
                    &program.top_vars,
                    &need,
                    callee,
                    decl,
                    at,
                    maps,
                ));
            }
        }
    }
}

/// `callee` is an ordinary function (not a file's top-level code) of `file`.
fn same_file_callee(functions: &[TFunction], file: u32, callee: FuncId) -> bool {
    functions
        .get(callee)
        .is_some_and(|g| !g.is_toplevel && g.file == file)
}

/// The E1029 report for a use at `at` of `callee`, whose chain of calls ends in a read.
fn report(
    functions: &[TFunction],
    top_vars: &[TopVar],
    need: &[Option<Need>],
    callee: FuncId,
    decl: Decl,
    at: Span,
    maps: &[(u32, &SourceMap<'_>)],
) -> Diagnostic {
    let var = need[callee].map_or(0, |n| n.var);
    let mut chain = vec![];
    let mut f = callee;
    while let Some(Need {
        via: Some(next), ..
    }) = need[f]
    {
        if chain.len() == 8 {
            chain.push("...".to_string());
            break;
        }
        chain.push(describe(&functions[next].name));
        f = next;
    }
    let name = &top_vars[var].name;
    let line = maps
        .iter()
        .find(|m| m.0 == decl.file)
        .map_or(0, |m| m.1.line_col(decl.stmt.start).0);
    let through = if chain.is_empty() {
        String::new()
    } else {
        format!(" (through {})", chain.join(" -> "))
    };
    let mut d = Diagnostic::new(
        Code::ReadBeforeDeclaration,
        at,
        format!(
            "{} reads '{name}'{through} before its declaration on line {line} has run",
            capitalise(&describe(&functions[callee].name))
        ),
    )
    .with_label(decl.stmt, format!("'{name}' is declared here"))
    .with_help(format!(
        "Move the declaration of '{name}' above this line, or this line below it."
    ));
    d.file = Some(decl.file);
    d
}

/// A function as messages name it: hidden functions by what they are.
fn describe(name: &str) -> String {
    match name
        .strip_prefix("<default ")
        .and_then(|n| n.strip_suffix('>'))
    {
        Some(field) => format!("the default of {field}"),
        None if name.starts_with('<') => "an anonymous function".to_string(),
        None => format!("'{name}'"),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(c).collect()
    })
}

fn collect_stmts(stmts: &mut [TStmt], u: &mut Uses) {
    for s in stmts {
        match &s.kind {
            TStmtKind::Store {
                place: Place::Top(var),
                ..
            } => u.stores.push((*var, s.span)),
            TStmtKind::Destructure { targets, .. } => {
                for t in targets {
                    if let Place::Top(var) = t {
                        u.stores.push((*var, s.span));
                    }
                }
            }
            _ => {}
        }
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => collect_expr(e, u),
            Child::Block(b) => collect_stmts(b, u),
        });
    }
}

fn collect_expr(e: &mut TExpr, u: &mut Uses) {
    match &e.kind {
        TExprKind::Load(Place::Top(var)) => u.reads.push(*var),
        TExprKind::Call { func, .. } | TExprKind::Closure { func, .. } => {
            u.calls.push((*func, e.span))
        }
        _ => {}
    }
    for_each_subexpr(e, &mut |c| collect_expr(c, u));
}
