//! Expression code generation: picks the typed instruction for each operator.

use super::{val_type, FnGen};
use crate::ast::{BinOp, UnaryOp};
use crate::bytecode::{Instr, Prim, Reg};
use crate::types::typed::*;
use crate::types::Type;

fn prim(ty: &Type) -> Prim {
    match ty {
        Type::I64 => Prim::I64,
        Type::U32 => Prim::U32,
        Type::U64 => Prim::U64,
        Type::F64 => Prim::F64,
        Type::Bool => Prim::Bool,
        _ => Prim::I32,
    }
}

/// The instruction computing `a op b` for operands of type `ty`, or `None` for the
/// comparisons that are compiled by swapping operands (`>` and `>=`).
pub(super) fn binary_instr(op: BinOp, ty: &Type, dst: Reg, a: Reg, b: Reg) -> Instr {
    use Instr::*;
    macro_rules! by_type {
        ($i32:ident, $i64:ident, $u32:ident, $u64:ident, $f64:ident) => {
            match ty {
                Type::I64 => $i64 { dst, a, b },
                Type::U32 => $u32 { dst, a, b },
                Type::U64 => $u64 { dst, a, b },
                Type::F64 => $f64 { dst, a, b },
                _ => $i32 { dst, a, b },
            }
        };
    }
    match op {
        BinOp::Add if *ty == Type::Str => Concat { dst, a, b },
        BinOp::Add => by_type!(AddI32, AddI64, AddU32, AddU64, AddF64),
        BinOp::Sub => by_type!(SubI32, SubI64, SubU32, SubU64, SubF64),
        BinOp::Mul => by_type!(MulI32, MulI64, MulU32, MulU64, MulF64),
        BinOp::Div => by_type!(DivI32, DivI64, DivU32, DivU64, DivF64),
        BinOp::Rem => by_type!(RemI32, RemI64, RemU32, RemU64, RemF64),
        BinOp::Eq | BinOp::Matches => match ty {
            Type::F64 => EqF64 { dst, a, b },
            Type::Str => EqStr { dst, a, b },
            _ => EqInt { dst, a, b },
        },
        BinOp::Ne => match ty {
            Type::F64 => NeF64 { dst, a, b },
            Type::Str => NeStr { dst, a, b },
            _ => NeInt { dst, a, b },
        },
        BinOp::Lt | BinOp::Gt => match ty {
            Type::Str => LtStr { dst, a, b },
            _ => by_type!(LtI32, LtI64, LtU32, LtU64, LtF64),
        },
        BinOp::Le | BinOp::Ge => match ty {
            Type::Str => LeStr { dst, a, b },
            _ => by_type!(LeI32, LeI64, LeU32, LeU64, LeF64),
        },
        BinOp::BitAnd => BitAnd { dst, a, b },
        BinOp::BitOr => BitOr { dst, a, b },
        BinOp::BitXor => BitXor { dst, a, b },
        BinOp::Shl => by_type!(ShlI32, ShlI64, ShlU32, ShlU64, ShlI32),
        BinOp::Shr => by_type!(ShrI32, ShrI64, ShrU32, ShrU64, ShrI32),
        BinOp::And | BinOp::Or => unreachable!("logic operators are TExprKind::Logic"),
    }
}

/// An `i32` immediate usable by `AddI32Imm` for `a op rhs`.
fn add_immediate(op: BinOp, ty: &Type, rhs: &TExpr) -> Option<i32> {
    if *ty != Type::I32 {
        return None;
    }
    let TExprKind::Int(bits) = rhs.kind else {
        return None;
    };
    let v = bits as i64 as i32;
    match op {
        BinOp::Add => Some(v),
        BinOp::Sub if v != i32::MIN => Some(-v),
        _ => None,
    }
}

impl FnGen<'_, '_> {
    /// Evaluates `e` into some register: a variable's own register when `e` just reads a
    /// local, else a new temporary (left allocated; the caller frees it).
    pub(super) fn expr_any(&mut self, e: &TExpr) -> Reg {
        if let TExprKind::Load(place) = e.kind {
            if let Some(r) = self.direct_reg(place) {
                return r;
            }
        }
        if let TExprKind::Call { .. } = e.kind {
            // A call leaves its result in its own base register: use that directly.
            let base = self.next_reg;
            self.expr_to(e, base as Reg);
            self.next_reg = base;
            return self.alloc();
        }
        let r = self.alloc();
        self.expr_to(e, r);
        r
    }

    /// Evaluates `e` into `dst`.
    pub(super) fn expr_to(&mut self, e: &TExpr, dst: Reg) {
        if val_type(&e.ty).is_ref() {
            self.ref_regs.insert(dst);
        }
        let mark = self.next_reg;
        self.span = e.span;
        match &e.kind {
            TExprKind::Int(bits) => self.load_bits(dst, *bits),
            TExprKind::Float(v) => self.load_bits(dst, v.to_bits()),
            TExprKind::Str(bytes) => {
                let index = self.gen.string_index(bytes);
                self.emit(Instr::LoadStr { dst, index });
            }
            TExprKind::Load(place) => self.load_place(*place, dst),
            TExprKind::Unary { op, operand } => {
                let src = self.expr_any(operand);
                self.span = e.span;
                self.emit(match (op, &operand.ty) {
                    (UnaryOp::Neg, Type::I64) => Instr::NegI64 { dst, src },
                    (UnaryOp::Neg, Type::F64) => Instr::NegF64 { dst, src },
                    (UnaryOp::Neg, _) => Instr::NegI32 { dst, src },
                    (UnaryOp::Not, _) => Instr::Not { dst, src },
                    (UnaryOp::BitNot, Type::U32) => Instr::BitNotU32 { dst, src },
                    (UnaryOp::BitNot, _) => Instr::BitNot { dst, src },
                });
            }
            TExprKind::Binary { op, lhs, rhs } => {
                let ty = lhs.ty.clone();
                if let Some(imm) = add_immediate(*op, &ty, rhs) {
                    let a = self.expr_any(lhs);
                    self.span = e.span;
                    self.emit(Instr::AddI32Imm { dst, a, imm });
                } else {
                    let ty = if *op == BinOp::Add && e.ty == Type::Str {
                        Type::Str
                    } else {
                        ty
                    };
                    let a = self.expr_any(lhs);
                    let b = self.expr_any(rhs);
                    let (a, b) = if matches!(op, BinOp::Gt | BinOp::Ge) {
                        (b, a)
                    } else {
                        (a, b)
                    };
                    self.span = e.span;
                    if matches!(ty, Type::Enum(..)) && matches!(op, BinOp::Eq | BinOp::Ne) {
                        // Enums compare structurally (spec §6.4).
                        let ty_index = self.gen.type_index(&ty);
                        self.emit(Instr::EqValue {
                            dst,
                            a,
                            b,
                            ty: ty_index,
                        });
                        if *op == BinOp::Ne {
                            self.emit(Instr::Not { dst, src: dst });
                        }
                    } else {
                        self.emit(binary_instr(*op, &ty, dst, a, b));
                    }
                }
            }
            TExprKind::Logic { is_and, lhs, rhs } => {
                // Computed in a fresh temporary: `dst` may be a variable that `rhs` reads.
                let tmp = self.alloc();
                self.expr_to(lhs, tmp);
                self.span = e.span;
                let skip = self.emit(if *is_and {
                    Instr::JumpIfFalse {
                        cond: tmp,
                        offset: 0,
                    }
                } else {
                    Instr::JumpIfTrue {
                        cond: tmp,
                        offset: 0,
                    }
                });
                self.expr_to(rhs, tmp);
                let end = self.code.len();
                self.patch(skip, end);
                self.emit(Instr::Move { dst, src: tmp });
            }
            TExprKind::Convert(inner) => {
                let src = self.expr_any(inner);
                self.span = e.span;
                self.emit(Instr::Convert {
                    dst,
                    src,
                    from: prim(&inner.ty),
                    to: prim(&e.ty),
                });
            }
            TExprKind::ToStr(inner) => {
                let src = self.expr_any(inner);
                let ty = self.gen.type_index(&inner.ty);
                self.span = e.span;
                self.emit(Instr::ToStr { dst, src, ty });
            }
            TExprKind::Call { func, args } => {
                let base = self.next_reg as Reg;
                for arg in args {
                    let r = self.alloc();
                    self.expr_to(arg, r);
                }
                if args.is_empty() {
                    // The callee's frame needs R[base] to hold the result.
                    self.alloc();
                }
                if val_type(&e.ty).is_ref() {
                    self.ref_regs.insert(base);
                }
                self.span = e.span;
                self.emit(Instr::Call {
                    func: *func as u32,
                    base,
                });
                if base != dst {
                    self.emit(Instr::Move { dst, src: base });
                }
            }
            TExprKind::TimeStamp => {
                self.emit(Instr::TimeStamp { dst });
            }
            TExprKind::Array(elems) => {
                let elem_ref = e.ty.element().is_some_and(|t| val_type(t).is_ref());
                // Small literals are built from consecutive registers in one instruction;
                // long ones start empty and push, so no literal needs a huge register window.
                const DIRECT: usize = 64;
                if elems.len() <= DIRECT {
                    let base = self.next_reg as Reg;
                    for elem in elems {
                        let r = self.alloc();
                        self.expr_to(elem, r);
                    }
                    self.span = e.span;
                    self.emit(Instr::NewArray {
                        dst,
                        base,
                        count: elems.len() as u16,
                        elem_ref,
                    });
                } else {
                    // Built in a temporary: `dst` may be a variable the elements read.
                    let arr = self.alloc();
                    self.ref_regs.insert(arr);
                    self.span = e.span;
                    self.emit(Instr::NewArray {
                        dst: arr,
                        base: arr,
                        count: 0,
                        elem_ref,
                    });
                    for elem in elems {
                        let inner = self.next_reg;
                        let r = self.expr_any(elem);
                        self.emit(Instr::ArrayPush { arr, src: r });
                        self.free_to(inner);
                    }
                    self.emit(Instr::Move { dst, src: arr });
                }
            }
            TExprKind::Index { base, index } => {
                let b = self.expr_any(base);
                let i = self.expr_any(index);
                self.span = e.span;
                self.emit(if base.ty == Type::Str {
                    Instr::StrIndex {
                        dst,
                        s: b,
                        index: i,
                    }
                } else {
                    Instr::ArrayGet {
                        dst,
                        arr: b,
                        index: i,
                    }
                });
            }
            TExprKind::Slice { base, start, end } => {
                let arr = self.expr_any(base);
                let s = match start {
                    Some(s) => self.expr_any(s),
                    None => arr,
                };
                let en = match end {
                    Some(x) => self.expr_any(x),
                    None => arr,
                };
                self.span = e.span;
                self.emit(Instr::ArraySlice {
                    dst,
                    arr,
                    start: s,
                    end: en,
                    has_start: start.is_some(),
                    has_end: end.is_some(),
                });
            }
            TExprKind::Len(inner) => {
                let src = self.expr_any(inner);
                self.span = e.span;
                self.emit(if inner.ty == Type::Str {
                    Instr::StrLen { dst, s: src }
                } else {
                    Instr::ArrayLen { dst, arr: src }
                });
            }
            TExprKind::Push { array, value } => {
                let arr = self.expr_any(array);
                let v = self.expr_any(value);
                self.span = e.span;
                self.emit(Instr::ArrayPush { arr, src: v });
                if arr != dst {
                    self.emit(Instr::Move { dst, src: arr });
                }
            }
            TExprKind::NewStruct { .. }
            | TExprKind::GetField { .. }
            | TExprKind::NewEnum { .. }
            | TExprKind::Closure { .. }
            | TExprKind::CallValue { .. }
            | TExprKind::Match { .. } => self.object_expr(e, dst),
            TExprKind::Pop(array) => {
                let arr = self.expr_any(array);
                self.span = e.span;
                self.emit(Instr::ArrayPop { dst, arr });
            }
        }
        self.free_to(mark);
    }

    fn load_bits(&mut self, dst: Reg, bits: u64) {
        let signed = bits as i64;
        if let Ok(value) = i32::try_from(signed) {
            self.emit(Instr::LoadInt { dst, value });
        } else {
            let index = self.gen.const_index(bits);
            self.emit(Instr::LoadConst { dst, index });
        }
    }
}
