//! Reading and writing variables: registers, global slots, and cells.
//!
//! A closure copies the variables it captures that can't change once it exists (not
//! `mut`), and reads them with `GetCapture`. A `mut` local that some closure captures
//! lives in a heap cell for its whole life: its register holds the cell, created when the
//! declaration runs (so every loop iteration gets a fresh one), and every read or write
//! goes through `GetCell`/`SetCell`. A closure reads and writes such variables with
//! `GetCaptured`/`SetCaptured`. Either way it passes its capture slots on to closures it
//! makes with `GetCapture` (a value or a cell, as the slot holds).

use super::{is_ref, FnGen};
use crate::bytecode::{Instr, Reg};
use crate::types::typed::*;

impl FnGen<'_, '_> {
    #[inline]
    fn is_cell_local(&self, id: LocalId) -> bool {
        self.locals[id].captured
    }

    /// The register that holds a variable's value directly, if there is one (not a cell,
    /// not a global slot).
    #[inline(always)]
    pub(super) fn direct_reg(&self, place: Place) -> Option<Reg> {
        match place {
            Place::Local(id) if !self.is_cell_local(id) => self.local_regs[id],
            Place::Top(id) if self.gen.globals[id].is_none() && self.is_entry => self.top_regs[id],
            _ => None,
        }
    }

    /// `R[dst] := variable`.
    pub(super) fn load_place(&mut self, place: Place, dst: Reg) {
        match place {
            Place::Local(id) => match self.local_regs[id] {
                Some(reg) if self.is_cell_local(id) => {
                    self.emit(Instr::GetCell { dst, cell: reg });
                }
                Some(reg) => {
                    if reg != dst {
                        self.emit(Instr::Move { dst, src: reg });
                    }
                }
                // Only a poisoned tree reads a local before its declaration.
                None => {
                    self.emit(Instr::LoadInt { dst, value: 0 });
                }
            },
            Place::Top(id) => {
                if let Some(index) = self.gen.globals[id] {
                    self.emit(Instr::GetGlobal { dst, index });
                } else if let Some(reg) = self.top_regs.get(id).copied().flatten() {
                    if reg != dst {
                        self.emit(Instr::Move { dst, src: reg });
                    }
                } else {
                    self.emit(Instr::LoadInt { dst, value: 0 });
                }
            }
            Place::Capture(index) => {
                let by_value = self.capture_by_value.get(usize::from(index)) == Some(&true);
                self.emit(if by_value {
                    Instr::GetCapture { dst, index }
                } else {
                    Instr::GetCaptured { dst, index }
                });
            }
        }
    }

    /// Stores a value into a variable; the first store of a local declares it.
    pub(super) fn store(&mut self, place: Place, value: &TExpr) {
        let mark = self.next_reg;
        match place {
            Place::Local(id) if self.is_cell_local(id) => match self.local_regs[id] {
                None => {
                    // The cell exists before the value is computed, so a nested function
                    // stored here can capture its own variable.
                    let cell = self.alloc();
                    self.local_regs[id] = Some(cell);
                    self.mark_ref(cell);
                    let inner = self.next_reg;
                    let tmp = self.alloc();
                    self.emit(Instr::LoadInt { dst: tmp, value: 0 });
                    self.emit(Instr::NewCell {
                        dst: cell,
                        src: tmp,
                    });
                    self.expr_to(value, tmp);
                    self.emit(Instr::SetCell { cell, src: tmp });
                    self.free_to(inner);
                    return;
                }
                Some(cell) => {
                    let v = self.expr_any(value);
                    self.emit(Instr::SetCell { cell, src: v });
                }
            },
            Place::Local(id) => {
                let reg = match self.local_regs[id] {
                    Some(r) => r,
                    None => {
                        let r = self.alloc();
                        self.local_regs[id] = Some(r);
                        return self.expr_to_top(value, r);
                    }
                };
                if !self.append_to(id, reg, value) {
                    self.expr_to(value, reg);
                }
            }
            Place::Top(id) => {
                if let Some(index) = self.gen.globals[id] {
                    let r = self.expr_any(value);
                    self.emit(Instr::SetGlobal { index, src: r });
                } else if self.is_entry {
                    let reg = match self.top_regs[id] {
                        Some(r) => r,
                        None => {
                            let r = self.alloc();
                            self.top_regs[id] = Some(r);
                            return self.expr_to_top(value, r);
                        }
                    };
                    self.expr_to(value, reg);
                }
            }
            Place::Capture(index) => {
                let v = self.expr_any(value);
                self.emit(Instr::SetCaptured { index, src: v });
            }
        }
        self.free_to(mark);
    }

    /// Gives a not-yet-declared variable its register (below any temporaries); returns
    /// whether the variable is being declared here.
    pub(super) fn reserve(&mut self, place: Place) -> bool {
        let slot = match place {
            Place::Local(id) => &mut self.local_regs[id],
            Place::Top(id) if self.gen.globals[id].is_none() && self.is_entry => {
                &mut self.top_regs[id]
            }
            _ => return false,
        };
        if slot.is_some() {
            return false;
        }
        let r = self.alloc();
        match place {
            Place::Local(id) => self.local_regs[id] = Some(r),
            Place::Top(id) => self.top_regs[id] = Some(r),
            Place::Capture(_) => {}
        }
        true
    }

    /// Stores the value already in `src` into a reserved variable (destructuring targets).
    pub(super) fn store_reg(&mut self, place: Place, src: Reg, fresh: bool) {
        match place {
            Place::Local(id) => {
                let Some(reg) = self.local_regs[id] else {
                    return;
                };
                if self.is_cell_local(id) {
                    self.mark_ref(reg);
                    self.emit(if fresh {
                        Instr::NewCell { dst: reg, src }
                    } else {
                        Instr::SetCell { cell: reg, src }
                    });
                } else {
                    if is_ref(&self.locals[id].ty) {
                        self.mark_ref(reg);
                    }
                    self.emit(Instr::Move { dst: reg, src });
                }
            }
            Place::Top(id) => {
                if let Some(index) = self.gen.globals[id] {
                    self.emit(Instr::SetGlobal { index, src });
                } else if let Some(reg) = self.top_regs.get(id).copied().flatten() {
                    self.emit(Instr::Move { dst: reg, src });
                }
            }
            Place::Capture(index) => {
                self.emit(Instr::SetCaptured { index, src });
            }
        }
    }

    /// Binds a fresh local (loop variable, pattern binding, catch name) to the value in
    /// `src`. A plain local simply names `src`; a captured one gets a new cell in `cell`.
    pub(super) fn bind_local(&mut self, id: LocalId, src: Reg, cell: Option<Reg>) {
        if self.is_cell_local(id) {
            let cell = cell.expect("a cell register is reserved for captured bindings");
            self.mark_ref(cell);
            self.emit(Instr::NewCell { dst: cell, src });
            self.local_regs[id] = Some(cell);
        } else {
            if is_ref(&self.locals[id].ty) {
                self.mark_ref(src);
            }
            self.local_regs[id] = Some(src);
        }
    }

    /// Reserves a register for the cell of a captured binding, or nothing.
    pub(super) fn cell_for(&mut self, id: LocalId) -> Option<Reg> {
        self.is_cell_local(id).then(|| self.alloc())
    }
}
