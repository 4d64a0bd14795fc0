//! Which string locals own their value: nothing but the local ever holds the string in
//! it, so `v = v + ...` may extend that string in place (`ConcatFmt` with an `append` format) instead of making a
//! new one, and building a string in a loop makes no object per step.
//!
//! A local owns its value when every value stored into it is new (a concatenation, which
//! always makes a new object) or an interned literal (which the heap never changes), and
//! every read of it only looks at the bytes: a part of a concatenation (the bytes are
//! copied), an operand of a comparison, `len`, `s[i]` (a one-byte string or a byte, never
//! the string itself) or an argument of `print`. Any other read (a move into another
//! variable, a call argument, an element, a field, a capture, a `return`) could keep the
//! handle, and the local is then not owned. Parameters, captured locals and locals bound
//! by a loop, a pattern, destructuring or `catch` are never owned: their value comes from
//! elsewhere. The walk is flow-insensitive: one store or read anywhere decides for the
//! whole function.

use crate::ast::BinOp;
use crate::types::typed::*;
use crate::types::Type;

/// Sets `owned[id]` for each local of `func` that owns its value (module documentation).
pub(super) fn owned_strings(func: &TFunction, owned: &mut Vec<bool>) {
    owned.clear();
    owned.extend(
        func.locals.iter().enumerate().map(|(id, local)| {
            id >= func.params && matches!(local.ty, Type::Str) && !local.captured
        }),
    );
    if owned.iter().any(|&o| o) {
        Scan { owned }.stmts(&func.body);
    }
}

/// A value that nothing else can hold when it is stored: a new string, or a literal.
fn is_unshared(value: &TExpr) -> bool {
    match &value.kind {
        TExprKind::Str(_) => true,
        TExprKind::Binary { op: BinOp::Add, .. } => matches!(value.ty, Type::Str),
        _ => false,
    }
}

struct Scan<'o> {
    owned: &'o mut [bool],
}

impl Scan<'_> {
    fn disown(&mut self, id: LocalId) {
        if let Some(owned) = self.owned.get_mut(id) {
            *owned = false;
        }
    }

    fn disown_place(&mut self, place: Place) {
        if let Place::Local(id) = place {
            self.disown(id);
        }
    }

    fn stmts(&mut self, stmts: &[TStmt]) {
        for stmt in stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &TStmt) {
        match &stmt.kind {
            TStmtKind::Store { place, value } => {
                if !is_unshared(value) {
                    self.disown_place(*place);
                }
                self.expr(value, false);
            }
            TStmtKind::Expr(e) | TStmtKind::Throw(e) => self.expr(e, false),
            TStmtKind::Print { args, .. } => {
                for arg in args {
                    self.expr(arg, true);
                }
            }
            TStmtKind::If {
                branches,
                else_body,
            } => {
                for (cond, body) in branches {
                    self.expr(cond, false);
                    self.stmts(body);
                }
                if let Some(body) = else_body {
                    self.stmts(body);
                }
            }
            TStmtKind::While { cond, body, .. } => {
                self.expr(cond, false);
                self.stmts(body);
            }
            TStmtKind::ForRange {
                var, range, body, ..
            } => {
                self.disown(*var);
                self.expr(&range.start, false);
                self.expr(&range.end, false);
                if let Some(step) = &range.step {
                    self.expr(step, false);
                }
                self.stmts(body);
            }
            TStmtKind::ForEach {
                var, array, body, ..
            } => {
                self.disown(*var);
                self.expr(array, false);
                self.stmts(body);
            }
            TStmtKind::SetIndex {
                array,
                index,
                value,
                ..
            } => {
                self.expr(array, false);
                self.expr(index, false);
                self.expr(value, false);
            }
            TStmtKind::Destructure { value, targets } => {
                for &target in targets {
                    self.disown_place(target);
                }
                self.expr(value, false);
            }
            TStmtKind::SetField { obj, value, .. } => {
                self.expr(obj, false);
                self.expr(value, false);
            }
            TStmtKind::Match(m) => {
                self.match_head(&m.subject, m.temp, &m.arms);
                for arm in &m.arms {
                    self.stmts(&arm.body);
                }
            }
            TStmtKind::Try {
                body,
                error_local,
                handler,
            } => {
                self.disown(*error_local);
                self.stmts(body);
                self.stmts(handler);
            }
            TStmtKind::Return(value) => {
                if let Some(value) = value {
                    self.expr(value, false);
                }
            }
            TStmtKind::Block(body) => self.stmts(body),
            TStmtKind::Break(_) | TStmtKind::Continue(_) => {}
        }
    }

    /// The subject, hidden local, bindings and tests of a match.
    fn match_head<B>(&mut self, subject: &TExpr, temp: LocalId, arms: &[TArm<B>]) {
        self.disown(temp);
        self.expr(subject, false);
        for arm in arms {
            for &(id, _) in &arm.binds {
                self.disown(id);
            }
            if let ArmTest::Cond(test) = &arm.test {
                self.expr(test, false);
            }
        }
    }

    /// `e`, where a string local read as `e` itself is only looked at when `looks`.
    fn expr(&mut self, e: &TExpr, looks: bool) {
        match &e.kind {
            TExprKind::Load(place) => {
                if !looks {
                    self.disown_place(*place);
                }
            }
            TExprKind::Int(_) | TExprKind::Float(_) | TExprKind::Str(_) | TExprKind::TimeStamp => {}
            TExprKind::Binary { op, lhs, rhs } => {
                // A concatenation copies its parts' bytes; a comparison reads them.
                let looks = matches!(lhs.ty, Type::Str)
                    && matches!(
                        op,
                        BinOp::Add
                            | BinOp::Eq
                            | BinOp::Ne
                            | BinOp::Lt
                            | BinOp::Le
                            | BinOp::Gt
                            | BinOp::Ge
                            | BinOp::Matches
                    );
                self.expr(lhs, looks);
                self.expr(rhs, looks);
            }
            TExprKind::Len(inner) => self.expr(inner, true),
            TExprKind::Index { base, index } => {
                // A string's `s[i]` is a one-byte string of its own (or a byte).
                self.expr(base, matches!(base.ty, Type::Str));
                self.expr(index, false);
            }
            TExprKind::Unary { operand: inner, .. }
            | TExprKind::Convert(inner)
            | TExprKind::ToStr(inner)
            | TExprKind::Pop(inner)
            | TExprKind::GetField { obj: inner, .. } => self.expr(inner, false),
            TExprKind::Logic { lhs, rhs, .. }
            | TExprKind::Push {
                array: lhs,
                value: rhs,
            } => {
                self.expr(lhs, false);
                self.expr(rhs, false);
            }
            TExprKind::Call { args: items, .. }
            | TExprKind::Array(items)
            | TExprKind::NewStruct { fields: items, .. }
            | TExprKind::NewEnum { payload: items, .. } => {
                for item in items.iter() {
                    self.expr(item, false);
                }
            }
            TExprKind::Slice { base, start, end } => {
                self.expr(base, false);
                for bound in [start, end].into_iter().flatten() {
                    self.expr(bound, false);
                }
            }
            TExprKind::Closure { captures, .. } => {
                for capture in captures.iter() {
                    if let CaptureSource::Local(id) = *capture {
                        self.disown(id);
                    }
                }
            }
            TExprKind::CallValue { callee, args } => {
                self.expr(callee, false);
                for arg in args.iter() {
                    self.expr(arg, false);
                }
            }
            TExprKind::Match(m) => {
                self.match_head(&m.subject, m.temp, &m.arms);
                for arm in &m.arms {
                    self.expr(&arm.body, false);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::bytecode::Instr;

    /// How many `ConcatFmt`s of function `f` in `src` extend their string in place.
    fn appends(src: &str) -> usize {
        let compiled = crate::driver::compile("o.orus", src.as_bytes()).expect("compiles");
        let program = &compiled.program;
        let f = program.functions.iter().find(|f| f.name == "f");
        let code = &f.expect("the function exists").code;
        code.iter()
            .filter(|i| {
                matches!(i, Instr::ConcatFmt { format, .. }
                    if program.print_formats[*format as usize].append)
            })
            .count()
    }

    fn body(lines: &str) -> String {
        format!("fn f(n: i32) -> i32:\n{lines}    return 0\nprint(f(3))\n")
    }

    #[test]
    fn a_string_only_looked_at_is_extended_in_place() {
        let src = body(
            "    mut s = \"\"\n    for i in 0..n:\n        s = s + (i as string) + \",\"\n        \
             if len(s) > 8 and s[0] == \"1\" and s != \"x\":\n            print(s)\n            \
             s = \"a\" + s\n",
        );
        assert_eq!(appends(&src), 1);
    }

    #[test]
    fn a_string_that_may_be_held_elsewhere_is_not() {
        for escape in [
            "    t = s\n",
            "    xs = [s]\n",
            "    print(g(s))\n",
            "    h = fn() -> string:\n        return s\n",
            "    match s:\n        \"ab\" -> print(1)\n        _ -> print(2)\n",
        ] {
            let src = format!(
                "fn g(x: string) -> string:\n    return x\n{}",
                body(&format!("    mut s = \"a\"\n    s = s + \"b\"\n{escape}"))
            );
            assert_eq!(appends(&src), 0, "{escape}");
        }
        // Not every store makes a new string: a parameter, a call's result, an element.
        for store in ["p", "g(p)", "[p][0]"] {
            let src = format!(
                "fn g(x: string) -> string:\n    return x\n\
                 fn f(p: string) -> i32:\n    mut s = {store}\n    s = s + \"b\"\n    \
                 return len(s)\nprint(f(\"a\"))\n"
            );
            assert_eq!(appends(&src), 0, "{store}");
        }
    }
}
