//! `for` loops: a counted range (`ForPrep*`/`ForLoop*`, the bounds evaluated once into
//! three consecutive registers) and a walk over an array (`ForEachPrep`/`ForEachNext`),
//! and the patching of a loop's `break`s and `continue`s (`while` is compiled in
//! `mod.rs`, with the other statements).

use super::{is_ref, FnGen, Jumps, LoopCx, Reg};
use crate::bytecode::Instr;
use crate::diag::Span;
use crate::types::typed::*;
use crate::types::Type;

impl FnGen<'_, '_> {
    /// Patches the loop's `break`s to `end` and `continue`s to `cont`.
    pub(super) fn close_loop(&mut self, cont: usize, end: usize) {
        let l = self.loops.pop().expect("an open loop");
        self.patch_all(l.breaks, end);
        self.patch_all(l.continues, cont);
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn for_range(
        &mut self,
        span: Span,
        id: LoopId,
        var: LocalId,
        ty: &Type,
        start: &TExpr,
        end: &TExpr,
        step: Option<&TExpr>,
        inclusive: bool,
        body: &[TStmt],
    ) {
        let mark = self.next_reg;
        let base = self.alloc();
        let end_reg = self.alloc();
        let step_reg = self.alloc();
        self.expr_to(start, base);
        self.expr_to(end, end_reg);
        match step {
            Some(s) => self.expr_to(s, step_reg),
            None => {
                self.emit(Instr::LoadInt {
                    dst: step_reg,
                    value: 1,
                });
            }
        }
        let var_cell = self.cell_for(var);
        self.span = span;
        let prep = self.emit(match ty {
            Type::I64 => Instr::ForPrepI64 {
                base,
                inclusive,
                offset: 0,
            },
            Type::U32 => Instr::ForPrepU32 {
                base,
                inclusive,
                offset: 0,
            },
            Type::U64 => Instr::ForPrepU64 {
                base,
                inclusive,
                offset: 0,
            },
            _ => Instr::ForPrepI32 {
                base,
                inclusive,
                offset: 0,
            },
        });
        let (body_start, cont) = self.loop_body(span, id, (var, base, var_cell), body);
        let back = Self::offset(cont, body_start);
        // Most ranges have no step: their back-edge need not read or test it.
        let step_is_one = step.is_none();
        self.emit(match ty {
            Type::I64 if step_is_one => Instr::ForLoopI64Step1 {
                base,
                inclusive,
                offset: back,
            },
            Type::I32 if step_is_one => Instr::ForLoopI32Step1 {
                base,
                inclusive,
                offset: back,
            },
            Type::I64 => Instr::ForLoopI64 {
                base,
                inclusive,
                offset: back,
            },
            Type::U32 => Instr::ForLoopU32 {
                base,
                inclusive,
                offset: back,
            },
            Type::U64 => Instr::ForLoopU64 {
                base,
                inclusive,
                offset: back,
            },
            _ => Instr::ForLoopI32 {
                base,
                inclusive,
                offset: back,
            },
        });
        let exit = self.code.len();
        self.patch(prep, exit);
        self.close_loop(cont, exit);
        self.free_to(mark);
    }

    /// `for var in array`: an index counts up while it is below the array's current length.
    /// The array, the index and the element are consecutive registers (`ForEachPrep`).
    pub(super) fn for_each(
        &mut self,
        span: Span,
        id: LoopId,
        var: LocalId,
        array: &TExpr,
        body: &[TStmt],
    ) {
        let mark = self.next_reg;
        let base = self.alloc();
        self.expr_to(array, base);
        let _index = self.alloc();
        let item = self.alloc();
        if array.ty.element().is_some_and(is_ref) {
            self.mark_ref(item);
        }
        let item_cell = self.cell_for(var);
        self.span = span;
        let prep = self.emit(Instr::ForEachPrep { base, offset: 0 });
        let (body_start, cont) = self.loop_body(span, id, (var, item, item_cell), body);
        self.emit(Instr::ForEachNext {
            base,
            offset: Self::offset(cont, body_start),
        });
        let exit = self.code.len();
        self.patch(prep, exit);
        self.close_loop(cont, exit);
        self.free_to(mark);
    }

    /// A `for` loop's body after its prep instruction: binds the loop variable to its
    /// register (and cell), opens the loop for `break`/`continue`, and returns where the
    /// body starts and where `continue` goes (the back-edge the caller emits next).
    fn loop_body(
        &mut self,
        span: Span,
        id: LoopId,
        (var, reg, cell): (LocalId, Reg, Option<Reg>),
        body: &[TStmt],
    ) -> (usize, usize) {
        let body_start = self.code.len();
        self.bind_local(var, reg, cell);
        self.loops.push(LoopCx {
            id,
            try_depth: self.try_depth,
            breaks: Jumps::NONE,
            continues: Jumps::NONE,
        });
        self.scoped(body);
        self.span = span;
        (body_start, self.code.len())
    }
}
