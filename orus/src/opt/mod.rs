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
use licm::WriteLog;

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
    let mut optimizer = Optimizer::default();
    for func in &mut program.functions {
        optimizer.function(func);
    }
    optimizer.stats
}

/// Runs the passes function by function ([`Optimizer::function`]), keeping what one
/// function's walk allocated for the next.
#[derive(Default)]
pub struct Optimizer {
    pub stats: OptStats,
    log: WriteLog,
}

impl Optimizer {
    /// Runs every pass over one function (they only change its body and locals).
    ///
    /// The passes share one walk: each expression is folded bottom-up, the writes of each
    /// statement are logged as it goes (`licm::WriteLog`), and a loop's invariants are
    /// hoisted as soon as the walk is through the loop, so inner loops' invariants can
    /// move further out when the enclosing loop's turn comes. Folding first everywhere and
    /// then hoisting, in two walks, gave the same tree: hoisting from a loop reads only the
    /// loop, which is folded by then.
    ///
    /// Returns whether the body holds a loop (the walk meets every statement), which
    /// spares the code generator its search for loop constants in a body without one.
    pub fn function(&mut self, func: &mut TFunction) -> bool {
        // The log's clock runs on across functions: what earlier functions logged is
        // older than any loop of this one, so it never needs clearing.
        self.log.start_function(func.locals.len());
        let mut walk = Walk {
            locals: &mut func.locals,
            stats: &mut self.stats,
            log: &mut self.log,
            logging: true,
            saw_loop: false,
        };
        walk.block(&mut func.body);
        walk.saw_loop
    }
}

struct Walk<'f> {
    locals: &'f mut Vec<LocalVar>,
    stats: &'f mut OptStats,
    log: &'f mut WriteLog,
    /// Off inside an operand that its operator's fold drops (`x` in `false and x`): what
    /// it would write is no longer in the program.
    logging: bool,
    /// Whether the walk has met a loop statement.
    saw_loop: bool,
}

impl Walk<'_> {
    fn block(&mut self, stmts: &mut Vec<TStmt>) {
        let mut i = 0;
        while i < stmts.len() {
            let since = self.log.now();
            if !self.stmt(&mut stmts[i]) {
                i += 1;
                continue;
            }
            self.saw_loop = true;
            let hoisted = licm::hoist_loop(&mut stmts[i], self.log, since, self.locals);
            if hoisted.is_empty() {
                i += 1;
                continue;
            }
            self.stats.loops_optimized += 1;
            self.stats.loop_invariants_hoisted += hoisted.len() as u64;
            for s in &hoisted {
                if let TStmtKind::Store { place, .. } = s.kind {
                    self.log.write(place);
                }
            }
            let n = hoisted.len();
            stmts.splice(i..i, hoisted);
            i += n + 1;
        }
    }

    /// Logs the writes of `stmt`, then folds its expressions and optimises its blocks;
    /// returns whether `stmt` is a loop.
    fn stmt(&mut self, stmt: &mut TStmt) -> bool {
        let is_loop = self.log_writes(stmt);
        for_each_child(stmt, &mut |child| match child {
            Child::Expr(e) => self.expr(e),
            Child::Block(body) => self.block(body),
        });
        is_loop
    }

    /// What `stmt` itself writes, before its parts run (its expressions log their own).
    /// Logged first, a write is older than every loop inside the statement, which is when
    /// it happens. Returns whether `stmt` is a loop (told here, where its kind is tested
    /// anyway).
    fn log_writes(&mut self, stmt: &TStmt) -> bool {
        match &stmt.kind {
            TStmtKind::Store { place, .. } => self.log.write(*place),
            TStmtKind::Destructure { targets, .. } => {
                for &place in targets {
                    self.log.write(place);
                }
            }
            TStmtKind::ForRange { var, .. } | TStmtKind::ForEach { var, .. } => {
                self.log.write_local(*var);
                return true;
            }
            TStmtKind::While { .. } => return true,
            TStmtKind::Match(m) => {
                let TMatch { temp, arms, .. } = &**m;
                self.log.write_local(*temp);
                for arm in arms {
                    for &(local, _) in &arm.binds {
                        self.log.write_local(local);
                    }
                }
            }
            TStmtKind::Try { error_local, .. } => {
                self.log.write_local(*error_local);
                self.log.call();
            }
            _ => {}
        }
        false
    }

    /// Folds `e` bottom-up and logs what evaluating it may write.
    #[inline(always)]
    fn expr(&mut self, e: &mut TExpr) {
        // Leaves (half the nodes) have nothing to fold or log: no call for them. A closure
        // is the exception: the write log counts making one as a call. One test of the
        // kind: `!is_leaf() || is a closure` decoded it twice, 8 % of the optimiser.
        if !e.is_value_leaf() {
            self.node(e);
        }
    }

    fn node(&mut self, e: &mut TExpr) {
        match &mut e.kind {
            TExprKind::Int(_)
            | TExprKind::Float(_)
            | TExprKind::Str(_)
            | TExprKind::Load(_)
            | TExprKind::TimeStamp => return,
            TExprKind::Closure { .. } => {
                if self.logging {
                    self.log.call();
                }
                return;
            }
            TExprKind::Unary { operand: inner, .. }
            | TExprKind::Convert(inner)
            | TExprKind::ToStr(inner)
            | TExprKind::Len(inner)
            | TExprKind::Pop(inner)
            | TExprKind::GetField { obj: inner, .. } => {
                self.expr(inner);
                // Only an operator on constants folds: most nodes go no further.
                if !fold::is_constant(inner) {
                    return;
                }
            }
            TExprKind::Binary { lhs, rhs, .. }
            | TExprKind::Index {
                base: lhs,
                index: rhs,
            }
            | TExprKind::Push {
                array: lhs,
                value: rhs,
            } => {
                self.expr(lhs);
                self.expr(rhs);
                if !(fold::is_constant(lhs) && fold::is_constant(rhs)) {
                    return;
                }
            }
            TExprKind::Logic { is_and, lhs, rhs } => {
                self.expr(lhs);
                if !fold::is_constant(lhs) {
                    return self.expr(rhs);
                }
                if fold::logic_drops_rhs(*is_and, lhs) {
                    let logging = std::mem::replace(&mut self.logging, false);
                    self.expr(rhs);
                    self.logging = logging;
                } else {
                    self.expr(rhs);
                }
            }
            TExprKind::Array(items)
            | TExprKind::NewStruct { fields: items, .. }
            | TExprKind::NewEnum { payload: items, .. } => {
                items.iter_mut().for_each(|a| self.expr(a));
                return;
            }
            TExprKind::Call { args, .. } => {
                if self.logging {
                    self.log.call();
                }
                args.iter_mut().for_each(|a| self.expr(a));
                return;
            }
            TExprKind::CallValue { callee, args } => {
                if self.logging {
                    self.log.call();
                }
                self.expr(callee);
                args.iter_mut().for_each(|a| self.expr(a));
                return;
            }
            TExprKind::Slice { base, start, end } => {
                self.expr(base);
                if let Some(s) = start {
                    self.expr(s);
                }
                if let Some(x) = end {
                    self.expr(x);
                }
                return;
            }
            TExprKind::Match(m) => {
                let TMatch {
                    subject,
                    temp,
                    arms,
                } = &mut **m;
                if self.logging {
                    self.log.call();
                    self.log.write_local(*temp);
                    for arm in arms.iter() {
                        for &(local, _) in &arm.binds {
                            self.log.write_local(local);
                        }
                    }
                }
                self.expr(subject);
                for arm in arms {
                    if let ArmTest::Cond(c) = &mut arm.test {
                        self.expr(c);
                    }
                    self.expr(&mut arm.body);
                }
                return;
            }
        }
        fold::fold_expr(e, self.stats);
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
        // Found past a part that is not invariant (`t`, `j`), in the left operand of `and`,
        // and in an inner loop.
        let s = stats(
            "a = 3\nb = 4\nmut t = 0\nfor i in 0..3:\n    for j in 0..3:\n        \
             if j > 0 and a < b:\n            t += j + a * b\nprint(t)\n",
        );
        assert_eq!((s.loop_invariants_hoisted, s.loops_optimized), (2, 2));
    }
}
