//! Field defaults of structs: each default is checked once, as the body of a hidden
//! function in the scope where its struct is declared, and literals that omit the field
//! call that function. This file checks those bodies and reports defaults that need
//! themselves (E2014). Struct literals themselves are in `objects.rs`.

use super::func::{Checker, RetKind};
use super::typed::*;
use crate::diag::{Code, Span};
use crate::hash::{FastMap as HashMap, FastSet as HashSet};

/// A struct literal inside the default of a field, omitting a field that has a default:
/// evaluating the default `from` evaluates the default `to`. Both are (struct, field).
pub(super) struct DefaultEdge {
    pub from: (u32, usize),
    pub to: (u32, usize),
    pub span: Span,
    pub file: u32,
}

/// A default, as (struct, field).
type Node = (u32, usize);

impl Checker<'_, '_> {
    /// Checks the defaults of struct `id`, each as the body of its function
    /// (`FieldInfo::default_fn`): in the declaring module, seeing the top-level variables
    /// declared above the struct, as a function declared there would. So a default means
    /// the same in every literal, whichever function or module the literal is in.
    pub(super) fn check_defaults(&mut self, id: u32) {
        for k in 0..self.structs[id as usize].fields.len() {
            let info = &self.structs[id as usize];
            let field = &info.fields[k];
            let (Some(default), Some(func)) = (field.default, field.default_fn) else {
                continue;
            };
            let name = default_fn_name(&info.name, &field.name);
            let ty = field.ty.clone();
            let saved = self.enter_cx(RetKind::Declared(ty.clone()), self.next_top, None);
            let saved_parents = std::mem::take(&mut self.parents);
            let saved_default = self.checking_default.replace((id, k));
            let value = self.expect_value(default, &ty);
            self.checking_default = saved_default;
            let mut cx = std::mem::replace(&mut self.cx, saved);
            self.parents = saved_parents;
            let locals = cx.take_locals();
            self.recycle_cx(cx);
            let span = default.span;
            self.functions[func] = Some(TFunction {
                name: name.into(),
                file: self.file,
                is_toplevel: false,
                params: 0,
                locals,
                ret: ty,
                body: vec![TStmt {
                    kind: TStmtKind::Return(Some(value)),
                    span,
                }],
                span,
                capture_by_value: Box::default(),
            });
        }
    }

    /// Reports defaults that need themselves (E2014): the default of a field builds a
    /// literal omitting a field whose default builds … a literal omitting the first one.
    /// Each would call the other until the stack ran out. One report per cycle, at the
    /// literal that closes it. Defaults that only reach each other through function calls
    /// are not seen here; they end in the runtime's stack overflow (E0005).
    pub(super) fn report_default_cycles(&mut self) {
        let edges = std::mem::take(&mut self.default_edges);
        let mut out: HashMap<Node, Vec<usize>> = HashMap::default();
        for (e, edge) in edges.iter().enumerate() {
            out.entry(edge.from).or_default().push(e);
        }
        // Iterative depth-first search: a node is on the current path while its state
        // is `false`, finished once `true`; an edge to a node on the path closes a cycle.
        let mut state: HashMap<Node, bool> = HashMap::default();
        let mut reported: HashSet<Node> = HashSet::default();
        for root in edges.iter().map(|e| e.from) {
            if state.contains_key(&root) {
                continue;
            }
            state.insert(root, false);
            let mut path: Vec<Node> = vec![root];
            let mut pending: Vec<std::slice::Iter<'_, usize>> =
                vec![out.get(&root).map_or([].iter(), |v| v.iter())];
            while let Some(frontier) = pending.last_mut() {
                let Some(&e) = frontier.next() else {
                    pending.pop();
                    if let Some(node) = path.pop() {
                        state.insert(node, true);
                    }
                    continue;
                };
                let to = edges[e].to;
                match state.get(&to) {
                    Some(true) => {}
                    Some(false) => {
                        let at = path.iter().rposition(|&n| n == to).unwrap_or(0);
                        if path[at..].iter().all(|n| !reported.contains(n)) {
                            reported.extend(path[at..].iter().copied());
                            self.report_default_cycle(&edges[e]);
                        }
                    }
                    None => {
                        state.insert(to, false);
                        path.push(to);
                        pending.push(out.get(&to).map_or([].iter(), |v| v.iter()));
                    }
                }
            }
        }
    }

    fn report_default_cycle(&mut self, edge: &DefaultEdge) {
        let (sid, field) = edge.to;
        let info = &self.structs[sid as usize];
        let (sname, fname) = (info.name.clone(), info.fields[field].name.clone());
        let mut d = crate::diag::Diagnostic::new(
            Code::RecursiveDefault,
            edge.span,
            format!(
                "The default of field '{fname}' of {sname} needs itself: \
                 this {sname} literal omits '{fname}'"
            ),
        );
        d.file = Some(edge.file);
        self.diags.push(d);
    }
}

/// `<default S.f>`, the name of the function computing field `f`'s default in struct `S`
/// (put together directly: `format!` cost more than checking a typical default).
fn default_fn_name(struct_name: &str, field: &str) -> String {
    let mut name = String::with_capacity("<default .>".len() + struct_name.len() + field.len());
    for part in ["<default ", struct_name, ".", field, ">"] {
        name.push_str(part);
    }
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_fn_name_names_struct_and_field() {
        assert_eq!(super::default_fn_name("P3", "y"), "<default P3.y>");
    }
}
