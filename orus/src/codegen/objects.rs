//! Code generation for structs, enums, closures, `match` and `try`/`catch`.

use super::{is_ref, FnGen, Jumps};
use crate::ast::BinOp;
use crate::bytecode::{Instr, Reg};
use crate::types::typed::*;
use crate::types::Type;

impl FnGen<'_, '_> {
    /// Evaluates values into consecutive fresh registers; returns the first.
    fn consecutive(&mut self, values: &[TExpr]) -> Reg {
        let base = self.next_reg as Reg;
        for v in values {
            let r = self.alloc();
            self.expr_to_top(v, r);
        }
        base
    }

    pub(super) fn object_expr(&mut self, e: &TExpr, dst: Reg) {
        match &e.kind {
            TExprKind::NewStruct { id, fields } => {
                let base = self.consecutive(fields);
                self.span = e.span;
                self.emit(Instr::NewStruct {
                    dst,
                    base,
                    count: fields.len() as u16,
                    layout: *id,
                });
            }
            TExprKind::GetField { obj, field } => {
                let o = self.expr_any(obj);
                self.span = e.span;
                self.field_accesses += 1;
                self.emit(Instr::GetField {
                    dst,
                    obj: o,
                    field: *field,
                });
            }
            TExprKind::NewEnum {
                id,
                variant,
                payload,
            } => {
                let base = self.consecutive(payload);
                self.span = e.span;
                self.emit(Instr::NewEnum {
                    dst,
                    base,
                    count: payload.len() as u16,
                    variant: *variant,
                    layout: *id as u16,
                });
            }
            TExprKind::Closure { func, captures } => {
                let base = self.next_reg as Reg;
                for c in captures {
                    let r = self.alloc();
                    self.mark_ref(r);
                    match *c {
                        CaptureSource::Local(id) => {
                            let cell = self.local_regs[id].unwrap_or(r);
                            self.emit(Instr::Move { dst: r, src: cell });
                        }
                        CaptureSource::Capture(index) => {
                            self.emit(Instr::GetCapture { dst: r, index });
                        }
                    }
                }
                self.span = e.span;
                self.emit(Instr::MakeClosure {
                    dst,
                    func: *func as u32,
                    base,
                    count: captures.len() as u16,
                });
            }
            TExprKind::CallValue { callee, args } => {
                let c = self.expr_any(callee);
                let base = self.next_reg as Reg;
                for arg in args {
                    let r = self.alloc();
                    self.expr_to_top(arg, r);
                }
                if args.is_empty() {
                    self.alloc();
                }
                if is_ref(&e.ty) {
                    self.mark_ref(base);
                }
                self.span = e.span;
                self.emit(Instr::CallValue {
                    callee: c,
                    base,
                    arity: args.len() as u16,
                });
                if base != dst {
                    self.emit(Instr::Move { dst, src: base });
                }
            }
            TExprKind::Match(m) => {
                let TMatch {
                    subject,
                    temp,
                    arms,
                } = &**m;
                let subject_reg = self.alloc();
                self.expr_to(subject, subject_reg);
                self.local_regs[*temp] = Some(subject_reg);
                let tested = &arms[..arms.len().saturating_sub(1)];
                let tag = self.subject_tag(tested, subject_reg);
                let table = self.arm_table(&subject.ty, *temp, arms, true);
                let src = table_source(&subject.ty, tag, subject_reg);
                if let (Some(table), Some(src)) = (table, src) {
                    self.table_match(&table, src, subject_reg, arms, e.span, true, |g, body| {
                        g.expr_to(body, dst)
                    });
                    return;
                }
                let mut ends = Jumps::NONE;
                for (index, arm) in arms.iter().enumerate() {
                    let inner = self.next_reg;
                    // A match expression is exhaustive (the checker demands every variant
                    // or `_`), so when every earlier arm failed the last one applies: it
                    // gets no test. Testing it anyway left a path on which `dst` was never
                    // written (found by the fuzzer's uninitialised-register check).
                    let skip = if index + 1 == arms.len() {
                        Jumps::NONE
                    } else {
                        self.arm_test(&arm.test, tag)
                    };
                    self.arm_binds(&arm.binds, subject_reg);
                    self.expr_to(&arm.body, dst);
                    self.span = e.span;
                    let at = self.emit(Instr::Jump { offset: 0 });
                    self.chain(&mut ends, at);
                    self.free_to(inner);
                    let here = self.code.len();
                    self.patch_all(skip, here);
                }
                let end = self.code.len();
                self.patch_all(ends, end);
            }
            other => unreachable!("not an object expression: {other:?}"),
        }
    }

    /// For a match whose arms can be chosen by one `JumpTable`, when there are enough of
    /// them for one jump to beat a chain of tests: the table's base and, for each value
    /// from it, the arm that value runs (the first whose pattern it meets), `None` for
    /// none. Two kinds qualify: an enum whose arms all test a variant or nothing (`_`),
    /// indexed by the tag; and an `i32` whose arms all compare with an integer literal or
    /// test nothing, when the literals are dense enough for a small table. In a match
    /// expression (`last_takes_rest`) the last arm is untested: it takes the rest.
    fn arm_table<B>(
        &self,
        subject_ty: &Type,
        temp: LocalId,
        arms: &[TArm<B>],
        last_takes_rest: bool,
    ) -> Option<ArmTable> {
        /// Fewer tested arms than this are tested one by one: two dispatches (the table
        /// and its jump) cost about what two or three tests do.
        const MIN_TABLE_ARMS: usize = 4;
        /// The most slots a table of integer arms may have, and how sparse it may be.
        const MAX_INT_SLOTS: i64 = 1024;
        let tested = if last_takes_rest {
            &arms[..arms.len().saturating_sub(1)]
        } else {
            arms
        };
        if tested.len() < MIN_TABLE_ARMS {
            return None; // Too few arms, whatever they test: no need to look at them.
        }
        // Per tested arm: the value it takes (`None` for `_`).
        let mut keys: Vec<Option<i64>> = Vec::with_capacity(tested.len());
        for arm in tested {
            keys.push(match (&arm.test, subject_ty) {
                (ArmTest::Any, _) => None,
                (ArmTest::Variant(v), Type::Enum(..)) => Some(i64::from(*v)),
                (ArmTest::Cond(cond), Type::I32) => Some(i64::from(int_literal_test(cond, temp)?)),
                _ => return None,
            });
        }
        let tested_arms = keys.iter().filter(|k| k.is_some()).count();
        if tested_arms < MIN_TABLE_ARMS {
            return None;
        }
        let (base, count) = match subject_ty {
            Type::Enum(id, _) => (
                0,
                self.gen.out.enums.get(*id as usize)?.variants.len() as i64,
            ),
            _ => {
                let min = keys.iter().flatten().min()?;
                let max = keys.iter().flatten().max()?;
                let count = max - min + 1;
                if count > MAX_INT_SLOTS || count > 4 * tested_arms as i64 + 8 {
                    return None;
                }
                (*min, count)
            }
        };
        if count > i64::from(u16::MAX) {
            return None;
        }
        let rest = last_takes_rest.then(|| arms.len() - 1);
        let targets = (base..base + count)
            .map(|value| {
                keys.iter()
                    .position(|k| k.is_none_or(|k| k == value))
                    .or(rest)
            })
            .collect();
        Some(ArmTable {
            base: i32::try_from(base).ok()?,
            targets,
            outside: keys.iter().position(Option::is_none).or(rest),
        })
    }

    /// A match compiled as one `JumpTable` on `src` ([`FnGen::arm_table`]): each arm's
    /// bindings and body (`body`), then a jump past the match. Values no arm takes go past
    /// the match, or, when `last_takes_rest` (a match expression), to the last arm, so the
    /// result is written on every path, the impossible out-of-range one too.
    #[allow(clippy::too_many_arguments)]
    fn table_match<B>(
        &mut self,
        table: &ArmTable,
        src: Reg,
        subject: Reg,
        arms: &[TArm<B>],
        span: crate::diag::Span,
        last_takes_rest: bool,
        mut body: impl FnMut(&mut Self, &B),
    ) {
        let first_slot = self.emit_table(src, table);
        let mut starts = Vec::with_capacity(arms.len());
        let mut ends = Jumps::NONE;
        for arm in arms {
            let inner = self.next_reg;
            starts.push(self.code.len());
            self.arm_binds(&arm.binds, subject);
            body(self, &arm.body);
            self.span = span;
            let at = self.emit(Instr::Jump { offset: 0 });
            self.chain(&mut ends, at);
            self.free_to(inner);
        }
        let end = self.code.len();
        let otherwise = if last_takes_rest {
            *starts.last().expect("a match has arms")
        } else {
            end
        };
        self.patch_table(first_slot, table, &starts, otherwise);
        self.patch_all(ends, end);
    }

    /// Emits `JumpTable` on `src` and its slots plus the out-of-range slot; returns the
    /// first slot's pc (the others follow it), for [`FnGen::patch_table`].
    fn emit_table(&mut self, src: Reg, table: &ArmTable) -> usize {
        let at = self.emit(Instr::JumpTable {
            src,
            count: table.targets.len() as u16,
            base: table.base,
        });
        for _ in 0..=table.targets.len() {
            self.emit(Instr::Jump { offset: 0 });
        }
        at + 1
    }

    /// Points each slot of a table at its arm's start (`starts`), or at `otherwise` for
    /// a tag no arm takes and for the out-of-range slot.
    fn patch_table(
        &mut self,
        first_slot: usize,
        table: &ArmTable,
        starts: &[usize],
        otherwise: usize,
    ) {
        for k in 0..=table.targets.len() {
            let slot = first_slot + k;
            // The slot past the table is for values outside it: the arm that takes any.
            let arm = table.targets.get(k).copied().unwrap_or(table.outside);
            self.patch(slot, arm.map_or(otherwise, |arm| starts[arm]));
        }
    }

    /// Reads the subject's variant tag once, into a register the arms' tests share, when
    /// one of the `tested` arms tests a variant.
    fn subject_tag<B>(&mut self, tested: &[TArm<B>], subject: Reg) -> Option<Reg> {
        if !tested
            .iter()
            .any(|arm| matches!(arm.test, ArmTest::Variant(_)))
        {
            return None;
        }
        let tag = self.alloc();
        self.emit(Instr::EnumTag {
            dst: tag,
            obj: subject,
        });
        Some(tag)
    }

    /// Emits an arm's test against the subject's tag (read by `subject_tag`); returns
    /// the jump taken when the arm does not apply.
    fn arm_test(&mut self, test: &ArmTest, tag: Option<Reg>) -> Jumps {
        match test {
            ArmTest::Any => Jumps::NONE,
            ArmTest::Variant(v) => {
                let tag = tag.expect("subject_tag reads the tag when an arm tests a variant");
                let at = self.emit(Instr::JumpIfNotEqImm {
                    a: tag,
                    imm: i32::from(*v),
                    offset: 0,
                });
                self.one_jump(at)
            }
            ArmTest::Cond(cond) => self.jump_if_false(cond),
        }
    }

    /// Binds an arm's payload names.
    fn arm_binds(&mut self, binds: &[(LocalId, u16)], subject: Reg) {
        for &(local, index) in binds {
            let r = self.alloc();
            if is_ref(&self.locals[local].ty) {
                self.mark_ref(r);
            }
            self.emit(Instr::EnumPayload {
                dst: r,
                obj: subject,
                index,
            });
            let cell = self.cell_for(local);
            self.bind_local(local, r, cell);
        }
    }

    pub(super) fn object_stmt(&mut self, stmt: &TStmt) {
        let mark = self.next_reg;
        match &stmt.kind {
            TStmtKind::SetField {
                obj,
                field,
                value,
                op,
            } => {
                let o = self.expr_any(obj);
                let src = match op {
                    None => self.expr_any(value),
                    Some((op, at)) => {
                        let current = self.alloc();
                        self.span = stmt.span;
                        self.field_accesses += 1;
                        self.emit(Instr::GetField {
                            dst: current,
                            obj: o,
                            field: *field,
                        });
                        let rhs = self.expr_any(value);
                        self.span = *at;
                        let ty = if matches!(value.ty, Type::Str) {
                            Type::Str
                        } else {
                            value.ty.clone()
                        };
                        self.emit(super::expr::binary_instr(*op, &ty, current, current, rhs));
                        current
                    }
                };
                self.span = stmt.span;
                self.field_accesses += 1;
                self.emit(Instr::SetField {
                    obj: o,
                    field: *field,
                    src,
                });
            }
            TStmtKind::Match(m) => {
                let TMatch {
                    subject,
                    temp,
                    arms,
                } = &**m;
                let subject_reg = self.alloc();
                self.expr_to(subject, subject_reg);
                self.local_regs[*temp] = Some(subject_reg);
                let tag = self.subject_tag(arms, subject_reg);
                let table = self.arm_table(&subject.ty, *temp, arms, false);
                let src = table_source(&subject.ty, tag, subject_reg);
                if let (Some(table), Some(src)) = (table, src) {
                    self.table_match(
                        &table,
                        src,
                        subject_reg,
                        arms,
                        stmt.span,
                        false,
                        |g, body| g.stmts(body),
                    );
                    self.free_to(mark);
                    return;
                }
                let mut ends = Jumps::NONE;
                for arm in arms {
                    let inner = self.next_reg;
                    let skip = self.arm_test(&arm.test, tag);
                    self.arm_binds(&arm.binds, subject_reg);
                    self.stmts(&arm.body);
                    self.span = stmt.span;
                    let at = self.emit(Instr::Jump { offset: 0 });
                    self.chain(&mut ends, at);
                    self.free_to(inner);
                    let here = self.code.len();
                    self.patch_all(skip, here);
                }
                let end = self.code.len();
                self.patch_all(ends, end);
            }
            TStmtKind::Try {
                body,
                error_local,
                handler,
            } => {
                let err = self.alloc();
                self.mark_ref(err);
                let cell = self.cell_for(*error_local);
                self.span = stmt.span;
                let push = self.emit(Instr::PushTry {
                    dst: err,
                    offset: 0,
                });
                self.try_depth += 1;
                self.scoped(body);
                self.try_depth -= 1;
                self.span = stmt.span;
                self.emit(Instr::PopTry {});
                let skip = self.emit(Instr::Jump { offset: 0 });
                let handler_start = self.code.len();
                self.patch(push, handler_start);
                self.bind_local(*error_local, err, cell);
                self.scoped(handler);
                let end = self.code.len();
                self.patch(skip, end);
            }
            TStmtKind::Throw(value) => {
                let v = self.expr_any(value);
                self.span = stmt.span;
                self.emit(if matches!(value.ty, Type::ErrorValue) {
                    Instr::Rethrow { src: v }
                } else {
                    Instr::ThrowStr { src: v }
                });
            }
            other => unreachable!("not an object statement: {other:?}"),
        }
        self.free_to(mark);
    }
}

/// The register a match's `JumpTable` reads: an enum's tag (read by `subject_tag`), or
/// an integer subject itself.
fn table_source(subject_ty: &Type, tag: Option<Reg>, subject: Reg) -> Option<Reg> {
    match subject_ty {
        Type::Enum(..) => tag,
        _ => Some(subject),
    }
}

/// How a `JumpTable` chooses a match's arm: slot `k` is for the value `base + k`.
struct ArmTable {
    base: i32,
    targets: Vec<Option<usize>>,
    /// The arm for values outside the table (a `_`, or the last arm of an expression).
    outside: Option<usize>,
}

/// The `i32` literal an arm's condition compares the match's subject (the hidden local
/// `temp`) with, when the condition is exactly that comparison.
fn int_literal_test(cond: &TExpr, temp: LocalId) -> Option<i32> {
    let TExprKind::Binary { op, lhs, rhs } = &cond.kind else {
        return None;
    };
    match (op, &lhs.kind, &rhs.kind) {
        (BinOp::Eq, TExprKind::Load(Place::Local(l)), TExprKind::Int(bits)) if *l == temp => {
            // An `i32` literal's bits are its sign-extended value.
            i32::try_from(*bits as i64).ok()
        }
        _ => None,
    }
}
