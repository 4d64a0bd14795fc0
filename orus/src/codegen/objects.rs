//! Code generation for structs, enums, closures, `match` and `try`/`catch`.

use super::{val_type, FnGen};
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
                    self.ref_regs.insert(r);
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
                if val_type(&e.ty).is_ref() {
                    self.ref_regs.insert(base);
                }
                self.span = e.span;
                self.emit(Instr::CallValue { callee: c, base });
                if base != dst {
                    self.emit(Instr::Move { dst, src: base });
                }
            }
            TExprKind::Match {
                subject,
                temp,
                arms,
            } => {
                let subject_reg = self.alloc();
                self.expr_to(subject, subject_reg);
                self.local_regs[*temp] = Some(subject_reg);
                let tested = &arms[..arms.len().saturating_sub(1)];
                let tag = self.subject_tag(tested, subject_reg);
                if let Some(targets) = tag.and_then(|_| self.arm_table(&subject.ty, arms, true)) {
                    let table = self.emit_table(tag.expect("checked"), targets.len());
                    let mut starts = vec![];
                    let mut ends = vec![];
                    for arm in arms {
                        let inner = self.next_reg;
                        starts.push(self.code.len());
                        self.arm_binds(&arm.binds, subject_reg);
                        self.expr_to(&arm.body, dst);
                        self.span = e.span;
                        ends.push(self.emit(Instr::Jump { offset: 0 }));
                        self.free_to(inner);
                    }
                    let end = self.code.len();
                    // The last arm takes any tag (the match is exhaustive), so `dst` is
                    // written on every path, the impossible out-of-range one too.
                    let last = *starts.last().expect("a match has arms");
                    self.patch_table(&table, &targets, &starts, last);
                    self.patch_all(ends, end);
                    return;
                }
                let mut ends = vec![];
                for (index, arm) in arms.iter().enumerate() {
                    let inner = self.next_reg;
                    // A match expression is exhaustive (the checker demands every variant
                    // or `_`), so when every earlier arm failed the last one applies: it
                    // gets no test. Testing it anyway left a path on which `dst` was never
                    // written (found by the fuzzer's uninitialised-register check).
                    let skip = if index + 1 == arms.len() {
                        None
                    } else {
                        self.arm_test(&arm.test, tag)
                    };
                    self.arm_binds(&arm.binds, subject_reg);
                    self.expr_to(&arm.body, dst);
                    self.span = e.span;
                    ends.push(self.emit(Instr::Jump { offset: 0 }));
                    self.free_to(inner);
                    if let Some(skip) = skip {
                        let here = self.code.len();
                        self.patch_all(skip, here);
                    }
                }
                let end = self.code.len();
                for j in ends {
                    self.patch(j, end);
                }
            }
            other => unreachable!("not an object expression: {other:?}"),
        }
    }

    /// For a match on an enum whose arms all test a variant or nothing (`_`), when there
    /// are enough of them for one `JumpTable` to beat a chain of tests: for each tag, the
    /// arm it runs (the first that names its variant or takes any), `None` for none. In a
    /// match expression (`last_takes_rest`) the last arm is untested: it takes the rest.
    fn arm_table<B>(
        &self,
        subject_ty: &Type,
        arms: &[TArm<B>],
        last_takes_rest: bool,
    ) -> Option<Vec<Option<usize>>> {
        /// Fewer variant arms than this are tested one by one: two dispatches (the table
        /// and its jump) cost about what two or three tests do.
        const MIN_TABLE_ARMS: usize = 4;
        let Type::Enum(id, _) = subject_ty else {
            return None;
        };
        let variants = self.gen.out.enums.get(*id as usize)?.variants.len();
        let tested = if last_takes_rest {
            &arms[..arms.len().saturating_sub(1)]
        } else {
            arms
        };
        let mut variant_arms = 0;
        for arm in tested {
            match arm.test {
                ArmTest::Variant(_) => variant_arms += 1,
                ArmTest::Any => {}
                ArmTest::Cond(_) => return None,
            }
        }
        if variant_arms < MIN_TABLE_ARMS || variants > usize::from(u16::MAX) {
            return None;
        }
        let rest = last_takes_rest.then(|| arms.len() - 1);
        Some(
            (0..variants)
                .map(|tag| {
                    tested
                        .iter()
                        .position(|arm| match arm.test {
                            ArmTest::Variant(v) => usize::from(v) == tag,
                            ArmTest::Any => true,
                            ArmTest::Cond(_) => false,
                        })
                        .or(rest)
                })
                .collect(),
        )
    }

    /// Emits `JumpTable` on `tag` and its `count` slots plus the out-of-range slot; returns
    /// the slots' pcs, for [`FnGen::patch_table`].
    fn emit_table(&mut self, tag: Reg, count: usize) -> Vec<usize> {
        self.emit(Instr::JumpTable {
            src: tag,
            count: count as u16,
        });
        (0..=count)
            .map(|_| self.emit(Instr::Jump { offset: 0 }))
            .collect()
    }

    /// Points each slot of a table at its arm's start (`starts`), or at `otherwise` for
    /// a tag no arm takes and for the out-of-range slot.
    fn patch_table(
        &mut self,
        slots: &[usize],
        targets: &[Option<usize>],
        starts: &[usize],
        otherwise: usize,
    ) {
        for (k, &slot) in slots.iter().enumerate() {
            let target = targets
                .get(k)
                .copied()
                .flatten()
                .map_or(otherwise, |arm| starts[arm]);
            self.patch(slot, target);
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
    fn arm_test(&mut self, test: &ArmTest, tag: Option<Reg>) -> Option<Vec<usize>> {
        match test {
            ArmTest::Any => None,
            ArmTest::Variant(v) => {
                let tag = tag.expect("subject_tag reads the tag when an arm tests a variant");
                Some(vec![self.emit(Instr::JumpIfNotEqImm {
                    a: tag,
                    imm: i32::from(*v),
                    offset: 0,
                })])
            }
            ArmTest::Cond(cond) => Some(self.jump_if_false(cond)),
        }
    }

    /// Binds an arm's payload names.
    fn arm_binds(&mut self, binds: &[(LocalId, u16)], subject: Reg) {
        for &(local, index) in binds {
            let r = self.alloc();
            if val_type(&self.local_types[local]).is_ref() {
                self.ref_regs.insert(r);
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
                    Some(op) => {
                        let current = self.alloc();
                        self.span = stmt.span;
                        self.emit(Instr::GetField {
                            dst: current,
                            obj: o,
                            field: *field,
                        });
                        let rhs = self.expr_any(value);
                        self.span = value.span;
                        let ty = if value.ty == Type::Str {
                            Type::Str
                        } else {
                            value.ty.clone()
                        };
                        self.emit(super::expr::binary_instr(*op, &ty, current, current, rhs));
                        current
                    }
                };
                self.span = stmt.span;
                self.emit(Instr::SetField {
                    obj: o,
                    field: *field,
                    src,
                });
            }
            TStmtKind::Match {
                subject,
                temp,
                arms,
            } => {
                let subject_reg = self.alloc();
                self.expr_to(subject, subject_reg);
                self.local_regs[*temp] = Some(subject_reg);
                let tag = self.subject_tag(arms, subject_reg);
                if let Some(targets) = tag.and_then(|_| self.arm_table(&subject.ty, arms, false)) {
                    let table = self.emit_table(tag.expect("checked"), targets.len());
                    let mut starts = vec![];
                    let mut ends = vec![];
                    for arm in arms {
                        let inner = self.next_reg;
                        starts.push(self.code.len());
                        self.arm_binds(&arm.binds, subject_reg);
                        self.stmts(&arm.body);
                        self.span = stmt.span;
                        ends.push(self.emit(Instr::Jump { offset: 0 }));
                        self.free_to(inner);
                    }
                    let end = self.code.len();
                    self.patch_table(&table, &targets, &starts, end);
                    self.patch_all(ends, end);
                    self.free_to(mark);
                    return;
                }
                let mut ends = vec![];
                for arm in arms {
                    let inner = self.next_reg;
                    let skip = self.arm_test(&arm.test, tag);
                    self.arm_binds(&arm.binds, subject_reg);
                    self.stmts(&arm.body);
                    self.span = stmt.span;
                    ends.push(self.emit(Instr::Jump { offset: 0 }));
                    self.free_to(inner);
                    if let Some(skip) = skip {
                        let here = self.code.len();
                        self.patch_all(skip, here);
                    }
                }
                let end = self.code.len();
                for j in ends {
                    self.patch(j, end);
                }
            }
            TStmtKind::Try {
                body,
                error_local,
                handler,
            } => {
                let err = self.alloc();
                self.ref_regs.insert(err);
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
                self.emit(if value.ty == Type::ErrorValue {
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
