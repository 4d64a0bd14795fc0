//! Expression code generation: picks the typed instruction for each operator.

use super::{is_ref, owned, FnGen};
use crate::ast::{BinOp, UnaryOp};
use crate::bytecode::{Instr, Prim, Reg, MAX_CONCAT_FMT_PARTS};
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
        BinOp::Add if matches!(*ty, Type::Str) => Concat { dst, a, b },
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

/// The constant `e` as an immediate: an integer or bool literal whose register slot is
/// what `LoadInt` of the immediate writes (the sign extension of an `i32`).
pub(super) fn immediate(e: &TExpr) -> Option<i32> {
    match e.kind {
        TExprKind::Int(bits) => i32::try_from(bits as i64).ok(),
        _ => None,
    }
}

pub(super) fn is_integer(ty: &Type) -> bool {
    matches!(ty, Type::I32 | Type::I64 | Type::U32 | Type::U64)
}

/// Whether converting a value of type `from` to `to` keeps its register slot as it is:
/// the canonical encodings agree (`i32` sign-extended is the `i64`, `u32` zero-extended
/// the `i64` or `u64`, a bool 0 or 1 the integer), so no instruction is needed.
fn same_bits(from: &Type, to: &Type) -> bool {
    let (from, to) = (prim(from), prim(to));
    from == to
        || matches!(
            (from, to),
            (Prim::I32, Prim::I64)
                | (Prim::U32, Prim::I64 | Prim::U64)
                | (Prim::Bool, Prim::I32 | Prim::I64 | Prim::U32 | Prim::U64)
        )
}

/// The type of a string part of a concatenation (`FnGen::concat`).
const STR: &Type = &Type::Str;

/// The most strings one `ConcatN` joins (a longer `+` chain takes several).
const CONCAT_CHUNK: u16 = 64;

/// The operands of a chain of string `+`, left to right, into `out`.
fn concat_parts<'e>(e: &'e TExpr, out: &mut Vec<&'e TExpr>) {
    // Iterative along the left spine (chains are left-nested), recursive on the right.
    let mut spine = vec![];
    let mut at = e;
    while let TExprKind::Binary {
        op: BinOp::Add,
        lhs,
        rhs,
    } = &at.kind
    {
        if !matches!(at.ty, Type::Str) {
            break;
        }
        spine.push(&**rhs);
        at = lhs;
    }
    out.push(at);
    for rhs in spine.into_iter().rev() {
        concat_parts(rhs, out);
    }
}

/// Which immediate instruction computes `x op imm`.
#[derive(Clone, Copy)]
pub(super) enum ImmOp {
    Add,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    And,
    Or,
    Xor,
}

impl ImmOp {
    fn instr(self, dst: Reg, a: Reg, imm: i32) -> Instr {
        match self {
            ImmOp::Add => Instr::AddI32Imm { dst, a, imm },
            ImmOp::Mul => Instr::MulI32Imm { dst, a, imm },
            ImmOp::Div => Instr::DivI32Imm { dst, a, imm },
            ImmOp::Rem => Instr::RemI32Imm { dst, a, imm },
            ImmOp::Shl => Instr::ShlI32Imm { dst, a, imm },
            ImmOp::Shr => Instr::ShrI32Imm { dst, a, imm },
            ImmOp::And => Instr::BitAndImm { dst, a, imm },
            ImmOp::Or => Instr::BitOrImm { dst, a, imm },
            ImmOp::Xor => Instr::BitXorImm { dst, a, imm },
        }
    }
}

/// `lhs op rhs` as one immediate instruction: the operand to evaluate, the operation and
/// the immediate. A constant on the left is used for commutative operators only (it has
/// no effects, so the order of evaluation does not matter).
pub(super) fn binary_immediate<'e>(
    op: BinOp,
    ty: &Type,
    lhs: &'e TExpr,
    rhs: &'e TExpr,
) -> Option<(&'e TExpr, ImmOp, i32)> {
    let (imm_op, commutative) = match op {
        BinOp::BitAnd if is_integer(ty) => (ImmOp::And, true),
        BinOp::BitOr if is_integer(ty) => (ImmOp::Or, true),
        BinOp::BitXor if is_integer(ty) => (ImmOp::Xor, true),
        _ if !matches!(ty, Type::I32) => return None,
        BinOp::Add => (ImmOp::Add, true),
        BinOp::Sub => {
            return match immediate(rhs) {
                Some(v) if v != i32::MIN => Some((lhs, ImmOp::Add, -v)),
                _ => None,
            }
        }
        BinOp::Mul => (ImmOp::Mul, true),
        BinOp::Div => (ImmOp::Div, false),
        BinOp::Rem => (ImmOp::Rem, false),
        BinOp::Shl => (ImmOp::Shl, false),
        BinOp::Shr => (ImmOp::Shr, false),
        _ => return None,
    };
    if let Some(v) = immediate(rhs) {
        Some((lhs, imm_op, v))
    } else if commutative {
        immediate(lhs).map(|v| (rhs, imm_op, v))
    } else {
        None
    }
}

/// Which of the three multiply-then-add instructions an f64 sum or difference is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MulAdd {
    /// `x * y + c` or `c + x * y`
    Add,
    /// `x * y - c`
    Sub,
    /// `c - x * y`
    SubFrom,
}

impl MulAdd {
    pub(super) fn instr(self, dst: Reg, a: Reg, b: Reg, c: Reg) -> Instr {
        match self {
            MulAdd::Add => Instr::MulAddF64 { dst, a, b, c },
            MulAdd::Sub => Instr::MulSubF64 { dst, a, b, c },
            MulAdd::SubFrom => Instr::SubMulF64 { dst, a, b, c },
        }
    }
}

/// An f64 `+` or `-` with a product as an operand, as one instruction: the form, the
/// product's two factors, the other operand, and whether the product comes first in the
/// source (operands are still evaluated in source order). The product is a temporary that
/// nothing else reads, and f64 arithmetic never fails, so computing it inside the addition
/// changes nothing observable; the result is rounded after each step, as when separate.
pub(super) fn mul_add<'e>(
    op: BinOp,
    lhs: &'e TExpr,
    rhs: &'e TExpr,
) -> Option<(MulAdd, &'e TExpr, &'e TExpr, &'e TExpr, bool)> {
    fn product(e: &TExpr) -> Option<(&TExpr, &TExpr)> {
        match &e.kind {
            TExprKind::Binary {
                op: BinOp::Mul,
                lhs,
                rhs,
            } if matches!(e.ty, Type::F64) => Some((lhs, rhs)),
            _ => None,
        }
    }
    if !matches!(lhs.ty, Type::F64) {
        return None;
    }
    match op {
        BinOp::Add | BinOp::Sub => {}
        _ => return None,
    }
    if let Some((x, y)) = product(lhs) {
        let form = if op == BinOp::Add {
            MulAdd::Add
        } else {
            MulAdd::Sub
        };
        return Some((form, x, y, rhs, true));
    }
    let (x, y) = product(rhs)?;
    let form = if op == BinOp::Add {
        MulAdd::Add
    } else {
        MulAdd::SubFrom
    };
    Some((form, x, y, lhs, false))
}

/// A comparison of two one-byte strings, at least one of them `s[i]` and the other `t[j]`
/// or a one-byte literal (`s[i] == "a"`, `a[i - 1] != b[j - 1]`): the same comparison of
/// their bytes as `i32`s, so no string is looked up and the literal becomes an immediate.
#[inline]
pub(super) fn byte_comparison(op: BinOp, lhs: &TExpr, rhs: &TExpr) -> Option<(TExpr, TExpr)> {
    // Most comparisons are not of strings: that is decided here, inline, without a call.
    if !matches!(lhs.ty, Type::Str) {
        return None;
    }
    byte_operands(op, lhs, rhs)
}

/// [`byte_comparison`] of string operands.
#[inline(never)]
fn byte_operands(op: BinOp, lhs: &TExpr, rhs: &TExpr) -> Option<(TExpr, TExpr)> {
    let comparison = matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    );
    if !comparison || !matches!(lhs.ty, Type::Str) || !matches!(rhs.ty, Type::Str) {
        return None;
    }
    // An index into a string (not an element of an array of strings).
    let is_byte = |e: &TExpr| matches!(&e.kind, TExprKind::Index { base, .. } if matches!(base.ty, Type::Str));
    if !is_byte(lhs) && !is_byte(rhs) {
        return None;
    }
    let byte = |e: &TExpr| {
        let kind = match &e.kind {
            TExprKind::Index { base, index } if matches!(base.ty, Type::Str) => TExprKind::Index {
                base: base.clone(),
                index: index.clone(),
            },
            TExprKind::Str(bytes) if bytes.len() == 1 => TExprKind::Int(u64::from(bytes[0])),
            _ => return None,
        };
        Some(TExpr {
            kind,
            ty: Type::I32,
            span: e.span,
        })
    };
    Some((byte(lhs)?, byte(rhs)?))
}

/// `x == E.V` or `x != E.V` (either order) where `E.V` is a variant without a payload:
/// the enum operand and the variant's tag, since comparing tags is the whole comparison.
pub(super) fn unit_variant_test<'e>(
    op: BinOp,
    lhs: &'e TExpr,
    rhs: &'e TExpr,
) -> Option<(&'e TExpr, u16)> {
    if !matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Matches) || !matches!(lhs.ty, Type::Enum(..)) {
        return None;
    }
    let unit = |e: &TExpr| match &e.kind {
        TExprKind::NewEnum {
            variant, payload, ..
        } if payload.is_empty() => Some(*variant),
        _ => None,
    };
    match (unit(rhs), unit(lhs)) {
        (Some(v), _) => Some((lhs, v)),
        (None, Some(v)) => Some((rhs, v)),
        (None, None) => None,
    }
}

impl FnGen<'_, '_> {
    /// Evaluates `e` into some register: a variable's own register when `e` just reads a
    /// local, else a new temporary (left allocated; the caller frees it).
    ///
    /// The common cases (a local's register, a pinned constant) are inlined into the
    /// caller; the rest is [`FnGen::expr_any_new`], whose frame is much larger.
    #[inline(always)]
    pub(super) fn expr_any(&mut self, e: &TExpr) -> Reg {
        let constant = match e.kind {
            TExprKind::Load(place) => match self.direct_reg(place) {
                Some(r) => return r,
                None => None,
            },
            TExprKind::Int(bits) => Some(bits),
            TExprKind::Float(v) => Some(v.to_bits()),
            _ => None,
        };
        if let Some(bits) = constant {
            if let Some(&(_, r)) = self.pinned.iter().find(|&&(b, _)| b == bits) {
                return r;
            }
        }
        self.expr_any_new(e)
    }

    /// [`FnGen::expr_any`] of an expression that is not a local's register or a pinned
    /// constant.
    #[inline(never)]
    fn expr_any_new(&mut self, e: &TExpr) -> Reg {
        if let TExprKind::Convert(inner) = &e.kind {
            if same_bits(&inner.ty, &e.ty) {
                return self.expr_any(inner);
            }
        }
        if let TExprKind::Call { .. } | TExprKind::CallValue { .. } = e.kind {
            // A call leaves its result in its own base register: use that directly. (A
            // `CallValue` whose callee needs a temporary puts it there and moves the
            // result down to it afterwards.)
            let base = self.next_reg;
            self.expr_to(e, base as Reg);
            self.next_reg = base;
            return self.alloc();
        }
        let r = self.alloc();
        self.node_to(e, r);
        r
    }

    /// [`FnGen::expr_to`] into a register `r` just allocated (the topmost) that `e` does
    /// not read: a call then makes `r` its base, so its result needs no move.
    pub(super) fn expr_to_top(&mut self, e: &TExpr, r: Reg) {
        match e.kind {
            TExprKind::Int(_) | TExprKind::Float(_) | TExprKind::Load(_) => self.expr_to(e, r),
            TExprKind::Call { .. } | TExprKind::CallValue { .. }
                if usize::from(r) + 1 == self.next_reg =>
            {
                self.next_reg = usize::from(r);
                self.node_to(e, r);
                self.next_reg = usize::from(r) + 1;
            }
            _ => self.node_to(e, r),
        }
    }

    /// [`FnGen::expr_to`] of an expression that is not a literal or a load: its kind,
    /// tested again by `expr_to_node`, is not tested twice more on the way.
    #[inline(always)]
    fn node_to(&mut self, e: &TExpr, dst: Reg) {
        if is_ref(&e.ty) {
            self.mark_ref(dst);
        }
        self.span = e.span;
        self.expr_to_node(e, dst);
    }

    /// Evaluates `e` into `dst`.
    ///
    /// Constants and variables are compiled inline; other expressions by
    /// [`FnGen::expr_to_node`], whose frame is much larger.
    #[inline(always)]
    pub(super) fn expr_to(&mut self, e: &TExpr, dst: Reg) {
        if is_ref(&e.ty) {
            self.mark_ref(dst);
        }
        self.span = e.span;
        match &e.kind {
            TExprKind::Int(bits) => self.load_bits(dst, *bits),
            TExprKind::Float(v) => self.load_bits(dst, v.to_bits()),
            TExprKind::Load(place) => self.load_place(*place, dst),
            _ => self.expr_to_node(e, dst),
        }
    }

    /// [`FnGen::expr_to`] of an expression with operands, which it frees afterwards.
    #[inline(never)]
    fn expr_to_node(&mut self, e: &TExpr, dst: Reg) {
        let mark = self.next_reg;
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
            TExprKind::Binary {
                op: BinOp::Add,
                lhs,
                rhs,
            } if matches!(e.ty, Type::Str) => {
                let mut parts = vec![];
                concat_parts(lhs, &mut parts);
                concat_parts(rhs, &mut parts);
                self.concat(dst, &parts, e.span);
            }
            TExprKind::Binary { op, lhs, rhs } => {
                let ty = &lhs.ty;
                if let Some((l, r)) = byte_comparison(*op, lhs, rhs) {
                    let bytes = TExpr {
                        kind: TExprKind::Binary {
                            op: *op,
                            lhs: Box::new(l),
                            rhs: Box::new(r),
                        },
                        ty: Type::Bool,
                        span: e.span,
                    };
                    self.expr_to(&bytes, dst);
                } else if let Some((operand, imm_op, imm)) = binary_immediate(*op, ty, lhs, rhs) {
                    let a = self.expr_any(operand);
                    self.span = e.span;
                    self.emit(imm_op.instr(dst, a, imm));
                } else if let Some((form, x, y, other, product_first)) = mul_add(*op, lhs, rhs) {
                    let (a, b, c) = if product_first {
                        let a = self.expr_any(x);
                        let b = self.expr_any(y);
                        (a, b, self.expr_any(other))
                    } else {
                        let c = self.expr_any(other);
                        let a = self.expr_any(x);
                        (a, self.expr_any(y), c)
                    };
                    self.span = e.span;
                    self.emit(form.instr(dst, a, b, c));
                } else if let Some((obj, variant)) = unit_variant_test(*op, lhs, rhs) {
                    // `x == Color.Green`: the tag decides, and no value is built.
                    let obj = self.expr_any(obj);
                    self.span = e.span;
                    self.emit(Instr::EnumTag { dst, obj });
                    let v = self.alloc();
                    self.emit(Instr::LoadInt {
                        dst: v,
                        value: i32::from(variant),
                    });
                    self.emit(binary_instr(*op, &Type::I32, dst, dst, v));
                } else {
                    let ty = if *op == BinOp::Add && matches!(e.ty, Type::Str) {
                        STR
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
                        let ty_index = self.gen.type_index(ty);
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
                        self.emit(binary_instr(*op, ty, dst, a, b));
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
            TExprKind::Convert(inner) if same_bits(&inner.ty, &e.ty) => self.expr_to(inner, dst),
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
                    self.expr_to_top(arg, r);
                }
                if args.is_empty() {
                    // The callee's frame needs R[base] to hold the result.
                    self.alloc();
                }
                if is_ref(&e.ty) {
                    self.mark_ref(base);
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
                let elem_ref = e.ty.element().is_some_and(is_ref);
                // Small literals are built from consecutive registers in one instruction;
                // long ones start empty and push, so no literal needs a huge register window.
                const DIRECT: usize = 64;
                if elems.len() <= DIRECT {
                    let base = self.next_reg as Reg;
                    for elem in elems {
                        let r = self.alloc();
                        self.expr_to_top(elem, r);
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
                    self.mark_ref(arr);
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
                self.emit(
                    if matches!(base.ty, Type::Str) && matches!(e.ty, Type::I32) {
                        Instr::StrByte {
                            dst,
                            s: b,
                            index: i,
                        }
                    } else if matches!(base.ty, Type::Str) {
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
                    },
                );
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
                self.emit(if matches!(inner.ty, Type::Str) {
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

    /// `R[dst] := parts[0] + parts[1] + ...` (strings), evaluated left to right into
    /// consecutive temporaries and joined by one instruction per [`CONCAT_CHUNK`] parts.
    /// A part `n as string` of an integer `n` is not converted on its own: the register
    /// holds `n` and the join (`ConcatFmt`) writes its digits into the result.
    fn concat(&mut self, dst: Reg, parts: &[&TExpr], span: crate::diag::Span) {
        let base = self.next_reg as Reg;
        let mut types: Vec<&Type> = Vec::with_capacity(parts.len().min(MAX_CONCAT_FMT_PARTS));
        for part in parts {
            let digits = match &part.kind {
                TExprKind::ToStr(inner)
                    if matches!(inner.ty, Type::I32 | Type::I64 | Type::U32 | Type::U64) =>
                {
                    Some(inner)
                }
                _ => None,
            };
            let formatted = digits.is_some() || types.iter().any(|t| !matches!(t, Type::Str));
            let most = if formatted {
                MAX_CONCAT_FMT_PARTS
            } else {
                usize::from(CONCAT_CHUNK)
            };
            if types.len() >= most {
                // Joins what is there into the first temporary and goes on after it.
                self.span = span;
                self.join(base, base, &types);
                self.free_to(usize::from(base) + 1);
                types.clear();
                types.push(STR);
            }
            let r = self.alloc();
            match digits {
                Some(inner) => {
                    self.expr_to_top(inner, r);
                    types.push(&inner.ty);
                }
                None => {
                    self.expr_to_top(part, r);
                    types.push(STR);
                }
            }
        }
        self.span = span;
        self.join(dst, base, &types);
    }

    /// `v = v + parts...` for the string local `id` in `reg`, when `v` owns its string
    /// (`owned`): a `ConcatFmt` whose format says `append`, which extends the string in
    /// place when it can. False, with nothing emitted, for any other store.
    pub(super) fn append_to(&mut self, id: LocalId, reg: Reg, value: &TExpr) -> bool {
        if !matches!(value.ty, Type::Str) {
            return false;
        }
        // The first part of the chain, the end of its left spine, must be `v`.
        let mut first = value;
        while let TExprKind::Binary {
            op: BinOp::Add,
            lhs,
            ..
        } = &first.kind
        {
            if !matches!(first.ty, Type::Str) {
                break;
            }
            first = lhs;
        }
        if std::ptr::eq(first, value)
            || !matches!(first.kind, TExprKind::Load(Place::Local(l)) if l == id)
            || !self.owns(id)
        {
            return false;
        }
        let mut parts = vec![];
        concat_parts(value, &mut parts);
        if parts.len() > MAX_CONCAT_FMT_PARTS {
            return false;
        }
        // `v` too is copied into the first temporary: the instruction then has the shape
        // of `ConcatFmt`, and so does its arm of the dispatch loop.
        let base = self.next_reg as Reg;
        let mut types: Vec<&Type> = Vec::with_capacity(parts.len());
        for part in &parts {
            let r = self.alloc();
            match &part.kind {
                TExprKind::ToStr(inner)
                    if matches!(inner.ty, Type::I32 | Type::I64 | Type::U32 | Type::U64) =>
                {
                    self.expr_to_top(inner, r);
                    types.push(&inner.ty);
                }
                _ => {
                    self.expr_to_top(part, r);
                    types.push(STR);
                }
            }
        }
        let arg_types = types.iter().map(|t| self.gen.type_index(t)).collect();
        let format = self.gen.print_format(arg_types, false);
        self.gen.out.print_formats[format as usize].append = true;
        self.span = value.span;
        self.emit(Instr::ConcatFmt {
            dst: reg,
            base,
            count: parts.len() as u16,
            format,
        });
        true
    }

    /// Whether the local `id` owns its string (`owned`), worked out for the whole
    /// function the first time a store asks.
    fn owns(&mut self, id: LocalId) -> bool {
        if !self.owned_known {
            if let Some(func) = self.func {
                owned::owned_strings(func, &mut self.owned);
            }
            self.owned_known = true;
        }
        self.owned.get(id).copied().unwrap_or(false)
    }

    /// `R[dst] :=` the concatenation of `R[base..]`, whose types are `types` (strings and
    /// integers).
    fn join(&mut self, dst: Reg, base: Reg, types: &[&Type]) {
        let count = types.len() as u16;
        if types.iter().any(|t| !matches!(t, Type::Str)) {
            let arg_types = types.iter().map(|t| self.gen.type_index(t)).collect();
            let format = self.gen.print_format(arg_types, false);
            self.emit(Instr::ConcatFmt {
                dst,
                base,
                count,
                format,
            });
        } else if count == 2 {
            self.emit(Instr::Concat {
                dst,
                a: base,
                b: base + 1,
            });
        } else {
            self.emit(Instr::ConcatN { dst, base, count });
        }
    }

    pub(super) fn load_bits(&mut self, dst: Reg, bits: u64) {
        let signed = bits as i64;
        if let Ok(value) = i32::try_from(signed) {
            self.emit(Instr::LoadInt { dst, value });
        } else {
            let index = self.gen.const_index(bits);
            self.emit(Instr::LoadConst { dst, index });
        }
    }
}
