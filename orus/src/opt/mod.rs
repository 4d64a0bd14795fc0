//! The optimizer: passes over the typed tree, between the checker and the code generator.
//!
//! * Constant folding (`fold`): operators on constants are evaluated at compile time with
//!   the runtime's semantics; folds that would trap are left for run time.
//! * Loop-invariant code motion (`licm`): inside `while` and `for` loops, an expression whose
//!   operands cannot change during the loop, which has no side effects and cannot raise an
//!   error, is computed once before the loop into a new local.
//!
//! Every pass must keep the program's observable behaviour: the conformance and
//! algorithms suites run every case with and without the optimizer (`-O0`) and compare.
//! The optimizer knows the typed tree and the runtime's value semantics, nothing of
//! registers or bytecode.

mod fold;
mod licm;

use crate::types::typed::*;

/// What the passes did, printed by `--opt-stats`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OptStats {
    pub constants_folded: u64,
    pub loop_invariants_hoisted: u64,
    pub loops_optimized: u64,
}

impl std::fmt::Display for OptStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[opt-stats] constants_folded={} loop_invariants_hoisted={} loops_optimized={}",
            self.constants_folded, self.loop_invariants_hoisted, self.loops_optimized
        )
    }
}

/// Runs every pass over every function of the program.
pub fn optimize(program: &mut TProgram) -> OptStats {
    let mut stats = OptStats::default();
    for func in &mut program.functions {
        let mut body = std::mem::take(&mut func.body);
        fold_stmts(&mut body, &mut stats);
        licm::hoist_block(&mut body, &mut func.locals, &mut stats);
        func.body = body;
    }
    stats
}

fn fold_stmts(stmts: &mut [TStmt], stats: &mut OptStats) {
    for s in stmts {
        for_each_child(s, &mut |child| match child {
            Child::Expr(e) => fold_tree(e, stats),
            Child::Block(b) => fold_stmts(b, stats),
        });
    }
}

/// Folds an expression bottom-up.
fn fold_tree(e: &mut TExpr, stats: &mut OptStats) {
    for_each_subexpr(e, &mut |c| fold_tree(c, stats));
    fold::fold_expr(e, stats);
}

/// A direct child of a statement: an expression it evaluates or a nested statement list.
pub(crate) enum Child<'a> {
    Expr(&'a mut TExpr),
    Block(&'a mut Vec<TStmt>),
}

/// Calls `f` on each direct child of `stmt`, in evaluation order.
pub(crate) fn for_each_child(stmt: &mut TStmt, f: &mut dyn FnMut(Child<'_>)) {
    match &mut stmt.kind {
        TStmtKind::Store { value, .. } => f(Child::Expr(value)),
        TStmtKind::Expr(e) | TStmtKind::Throw(e) => f(Child::Expr(e)),
        TStmtKind::Print { args, .. } => args.iter_mut().for_each(|a| f(Child::Expr(a))),
        TStmtKind::If {
            branches,
            else_body,
        } => {
            for (cond, body) in branches {
                f(Child::Expr(cond));
                f(Child::Block(body));
            }
            if let Some(b) = else_body {
                f(Child::Block(b));
            }
        }
        TStmtKind::While { cond, body, .. } => {
            f(Child::Expr(cond));
            f(Child::Block(body));
        }
        TStmtKind::ForRange {
            start,
            end,
            step,
            body,
            ..
        } => {
            f(Child::Expr(start));
            f(Child::Expr(end));
            if let Some(s) = step {
                f(Child::Expr(s));
            }
            f(Child::Block(body));
        }
        TStmtKind::ForEach { array, body, .. } => {
            f(Child::Expr(array));
            f(Child::Block(body));
        }
        TStmtKind::SetIndex {
            array,
            index,
            value,
            ..
        } => {
            f(Child::Expr(array));
            f(Child::Expr(index));
            f(Child::Expr(value));
        }
        TStmtKind::SetField { obj, value, .. } => {
            f(Child::Expr(obj));
            f(Child::Expr(value));
        }
        TStmtKind::Destructure { value, .. } => f(Child::Expr(value)),
        TStmtKind::Match { subject, arms, .. } => {
            f(Child::Expr(subject));
            for arm in arms {
                if let ArmTest::Cond(c) = &mut arm.test {
                    f(Child::Expr(c));
                }
                f(Child::Block(&mut arm.body));
            }
        }
        TStmtKind::Try { body, handler, .. } => {
            f(Child::Block(body));
            f(Child::Block(handler));
        }
        TStmtKind::Return(v) => {
            if let Some(v) = v {
                f(Child::Expr(v));
            }
        }
        TStmtKind::Block(b) => f(Child::Block(b)),
        TStmtKind::Break(_) | TStmtKind::Continue(_) => {}
    }
}

/// Calls `f` on each direct subexpression of `e`.
pub(crate) fn for_each_subexpr(e: &mut TExpr, f: &mut dyn FnMut(&mut TExpr)) {
    match &mut e.kind {
        TExprKind::Int(_)
        | TExprKind::Float(_)
        | TExprKind::Str(_)
        | TExprKind::Load(_)
        | TExprKind::TimeStamp
        | TExprKind::Closure { .. } => {}
        TExprKind::Unary { operand, .. } => f(operand),
        TExprKind::Binary { lhs, rhs, .. } | TExprKind::Logic { lhs, rhs, .. } => {
            f(lhs);
            f(rhs);
        }
        TExprKind::Convert(inner)
        | TExprKind::ToStr(inner)
        | TExprKind::Len(inner)
        | TExprKind::Pop(inner) => f(inner),
        TExprKind::GetField { obj, .. } => f(obj),
        TExprKind::Call { args, .. } | TExprKind::Array(args) => args.iter_mut().for_each(f),
        TExprKind::NewStruct { fields, .. } => fields.iter_mut().for_each(f),
        TExprKind::NewEnum { payload, .. } => payload.iter_mut().for_each(f),
        TExprKind::CallValue { callee, args } => {
            f(callee);
            args.iter_mut().for_each(f);
        }
        TExprKind::Index { base, index } => {
            f(base);
            f(index);
        }
        TExprKind::Slice { base, start, end } => {
            f(base);
            if let Some(s) = start {
                f(s);
            }
            if let Some(x) = end {
                f(x);
            }
        }
        TExprKind::Push { array, value } => {
            f(array);
            f(value);
        }
        TExprKind::Match { subject, arms, .. } => {
            f(subject);
            for arm in arms {
                if let ArmTest::Cond(c) = &mut arm.test {
                    f(c);
                }
                f(&mut arm.body);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OptStats;
    use crate::diag::SourceMap;

    fn stats(src: &str) -> OptStats {
        let (ast, diags) = crate::parser::parse(src.as_bytes());
        assert!(diags.is_empty(), "{diags:?}");
        let (mut typed, diags) = crate::types::check(&ast, &SourceMap::new("t", src.as_bytes()));
        assert!(diags.is_empty(), "{diags:?}");
        super::optimize(&mut typed)
    }

    #[test]
    fn folds_constants_but_not_traps() {
        assert_eq!(stats("x = 2 * 3 + 1\nprint(x)\n").constants_folded, 2);
        assert_eq!(stats("print(10 / 0)\n").constants_folded, 0);
        assert_eq!(stats("print(-2147483647 - 1)\n").constants_folded, 1);
        assert_eq!(
            stats("x: i32 = -2147483648\nprint(-x)\n").constants_folded,
            0
        );
        assert_eq!(
            stats("print(\"a\" + \"b\", 1 < 2, 7 as string)\n").constants_folded,
            3
        );
    }

    #[test]
    fn hoists_pure_invariants_only() {
        let s = stats("a = 3\nb = 4\nmut t = 0\nfor i in 0..10:\n    t += a * b + i\nprint(t)\n");
        assert_eq!((s.loop_invariants_hoisted, s.loops_optimized), (1, 1));
        // `a / b` may trap, and `m` changes in the loop: nothing moves.
        let s = stats("a = 3\nb = 4\nmut m = 1\nmut t = 0\nfor i in 0..10:\n    t += a / b + m * 2\n    m += 1\nprint(t)\n");
        assert_eq!(s.loop_invariants_hoisted, 0);
    }
}
