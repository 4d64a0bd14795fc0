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
        optimize_function(func, &mut stats);
    }
    stats
}

/// Runs every pass over one function (they only change its body and locals).
pub fn optimize_function(func: &mut TFunction, stats: &mut OptStats) {
    let mut body = std::mem::take(&mut func.body);
    fold_stmts(&mut body, stats);
    licm::hoist_block(&mut body, &mut func.locals, stats);
    func.body = body;
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
