//! The typed tree: the checker's output and the code generator's input.
//!
//! Every expression carries its type; every name is resolved to a local slot, a top-level
//! variable or a function instance; every implicit conversion the language performs
//! (literal adaptation, a literal stringified next to a string) is explicit here. Nothing
//! in this tree needs a symbol table to be understood.

use super::Type;
use crate::ast::{BinOp, UnaryOp};
use crate::diag::Span;
use std::sync::Arc;

/// Index of a local variable in its function's `locals`.
pub type LocalId = usize;
/// Index of a top-level variable of the program.
pub type TopId = usize;
/// Index of a checked function instance in `TProgram::functions`.
pub type FuncId = usize;
/// Identifies a loop for `break`/`continue` within one function.
pub type LoopId = usize;

#[derive(Clone, Debug)]
pub struct TProgram {
    pub functions: Vec<TFunction>,
    pub structs: Vec<StructDef>,
    pub enums: Vec<EnumDef>,
    /// The function holding the top-level statements.
    pub entry: FuncId,
    pub top_vars: Vec<TopVar>,
}

/// A struct type: name and fields in declaration order.
#[derive(Clone, Debug)]
pub struct StructDef {
    pub name: String,
    /// Field names shared with the bytecode's layout (`StructLayout`), which copies none
    /// (`Arc`: a compiled program is sent from the compiling thread).
    pub fields: Vec<(Arc<str>, Type)>,
}

/// An enum type: name and, per variant, its name and payload types.
#[derive(Clone, Debug)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<(String, Vec<Type>)>,
}

#[derive(Clone, Debug)]
pub struct TopVar {
    pub name: String,
    pub ty: Type,
    /// Read or written by some function other than the entry: it must live in a global
    /// slot rather than in a register of the entry frame.
    pub captured: bool,
}

#[derive(Clone, Debug)]
pub struct TFunction {
    /// (Boxed slices rather than `Vec`s for what never grows: a program has a function per
    /// few lines, and the checker writes each into one large list of fresh pages.)
    pub name: Box<str>,
    /// The source file (module) the function comes from.
    pub file: u32,
    /// Holds a module's top-level statements (the program entry or a module's
    /// initialiser): its top-level variables may live in its registers.
    pub is_toplevel: bool,
    /// The first `params` locals are the parameters, in order.
    pub params: usize,
    pub locals: Vec<LocalVar>,
    pub ret: Type,
    pub body: Vec<TStmt>,
    pub span: Span,
    /// Per capture slot of a closure: true when the slot holds the captured value itself
    /// (the variable can't change once the closure exists), false when it holds the
    /// variable's cell. Empty for functions that capture nothing.
    pub capture_by_value: Box<[bool]>,
}

#[derive(Clone, Debug)]
pub struct LocalVar {
    pub name: crate::ast::Name,
    pub ty: Type,
    /// Lives in a heap cell: some closure captures it and it may change after that (it is
    /// `mut`, or a nested function's variable that the function captures before it is
    /// stored). Closures copy other captured variables.
    pub captured: bool,
}

#[derive(Clone, Debug)]
pub struct TStmt {
    pub kind: TStmtKind,
    pub span: Span,
}

/// Where a value is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Local(LocalId),
    Top(TopId),
    /// A variable of an enclosing function, captured by the running closure (its index in
    /// the closure's capture list); always a cell.
    Capture(u16),
}

/// Where a closure's captured value comes from, in the function that creates the closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaptureSource {
    /// A local of the creating function (captured locals hold their cell).
    Local(LocalId),
    /// Something the creating function itself captured.
    Capture(u16),
}

/// How a match arm decides whether it applies.
#[derive(Clone, Debug)]
pub enum ArmTest {
    Any,
    /// The subject is this variant of its enum.
    Variant(u16),
    /// A `bool` expression comparing the subject (read from the match's hidden local) with
    /// the pattern value. (Boxed: inline, it would make every arm larger.)
    Cond(Box<TExpr>),
}

/// One arm of a match: test, payload bindings (local, payload index), body.
#[derive(Clone, Debug)]
pub struct TArm<B> {
    pub test: ArmTest,
    pub binds: Vec<(LocalId, u16)>,
    pub body: B,
}

/// The range of a `for` over integers, boxed in its statement (inline, it was the one
/// variant that made every statement larger).
#[derive(Clone, Debug)]
pub struct TRange {
    /// The loop variable's integer type.
    pub ty: Type,
    pub start: TExpr,
    pub end: TExpr,
    pub step: Option<Box<TExpr>>,
    pub inclusive: bool,
}

/// `match`, as a statement (`B` = `Vec<TStmt>`) or an expression (`B` = `TExpr`): the
/// subject is stored in `temp`, then the arms are tried in order. Boxed in both trees:
/// matches are rare, and inline they would make every node larger.
#[derive(Clone, Debug)]
pub struct TMatch<B> {
    pub subject: TExpr,
    pub temp: LocalId,
    pub arms: Vec<TArm<B>>,
}

/// Large operands are boxed so that a statement stays small: every statement of a body
/// takes the size of the largest variant (a store of a value, the commonest statement,
/// is the size to beat; the test `typed_nodes_stay_small` holds it).
#[derive(Clone, Debug)]
pub enum TStmtKind {
    /// Initialise or overwrite a variable.
    Store {
        place: Place,
        value: TExpr,
    },
    Expr(TExpr),
    Print {
        args: Vec<TExpr>,
        newline: bool,
    },
    If {
        branches: Vec<(TExpr, Vec<TStmt>)>,
        else_body: Option<Vec<TStmt>>,
    },
    While {
        id: LoopId,
        cond: Box<TExpr>,
        body: Vec<TStmt>,
    },
    /// `for var in start..end..step`: bounds evaluated once, `var` is read-only.
    ForRange {
        id: LoopId,
        var: LocalId,
        range: Box<TRange>,
        body: Vec<TStmt>,
    },
    /// `for var in array`: the array's length is re-read before every step (spec §8.4).
    ForEach {
        id: LoopId,
        var: LocalId,
        array: Box<TExpr>,
        body: Vec<TStmt>,
    },
    /// `array[index] = value`, or `array[index] op= value` when `op` is set (with the
    /// span of the `op=`, where an error of the operation is reported).
    SetIndex {
        array: Box<TExpr>,
        index: Box<TExpr>,
        value: Box<TExpr>,
        op: Option<(BinOp, Span)>,
    },
    /// `a, b = value`: stores `value[0]`, `value[1]`, … into the places.
    Destructure {
        value: Box<TExpr>,
        targets: Vec<Place>,
    },
    /// `obj.field = value`, or `obj.field op= value` when `op` is set (with the span of
    /// the `op=`).
    SetField {
        obj: Box<TExpr>,
        field: u16,
        value: Box<TExpr>,
        op: Option<(BinOp, Span)>,
    },
    /// Statement `match`.
    Match(Box<TMatch<Vec<TStmt>>>),
    /// `try: body catch [name]: handler`; the Error value lands in `error_local`.
    Try {
        body: Vec<TStmt>,
        error_local: LocalId,
        handler: Vec<TStmt>,
    },
    /// `throw value` of a string or an Error value.
    Throw(TExpr),
    Break(LoopId),
    Continue(LoopId),
    Return(Option<TExpr>),
    /// A nested block that opens a scope (e.g. the body of a one-line form); kept so the
    /// code generator can release the block's registers at its end.
    Block(Vec<TStmt>),
}

#[derive(Clone, Debug)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Type,
    pub span: Span,
}

impl TExpr {
    /// Whether the node has no sub-expression: a literal, a load, `time_stamp()`, or a
    /// closure (its captures are places). About half of all nodes; the walks of the
    /// optimiser and code generator skip the call for them.
    #[inline(always)]
    pub fn is_leaf(&self) -> bool {
        self.is_value_leaf() || matches!(self.kind, TExprKind::Closure { .. })
    }

    /// [`is_leaf`](Self::is_leaf) without closures: a leaf whose evaluation does nothing
    /// but produce a value (making a closure allocates, which the optimiser's write log
    /// counts as a call).
    #[inline(always)]
    pub fn is_value_leaf(&self) -> bool {
        matches!(
            self.kind,
            TExprKind::Int(_)
                | TExprKind::Float(_)
                | TExprKind::Str(_)
                | TExprKind::Load(_)
                | TExprKind::TimeStamp
        )
    }
}

#[derive(Clone, Debug)]
pub enum TExprKind {
    /// An integer or bool constant in the canonical encoding of its type (`bytecode` docs).
    Int(u64),
    Float(f64),
    Str(Vec<u8>),
    Load(Place),
    Unary {
        op: UnaryOp,
        operand: Box<TExpr>,
    },
    /// Arithmetic, comparison and bitwise operators; both operands have the same type
    /// (`lhs.ty`), except `+` on strings, where both are strings.
    Binary {
        op: BinOp,
        lhs: Box<TExpr>,
        rhs: Box<TExpr>,
    },
    /// Short-circuit `and` / `or`.
    Logic {
        is_and: bool,
        lhs: Box<TExpr>,
        rhs: Box<TExpr>,
    },
    /// A numeric or bool conversion (`as`); the source type is `expr.ty`.
    Convert(Box<TExpr>),
    /// Any primitive to its printed form.
    ToStr(Box<TExpr>),
    Call {
        func: FuncId,
        args: Box<[TExpr]>,
    },
    TimeStamp,
    /// An array literal; elements have the array's element type.
    Array(Box<[TExpr]>),
    /// `base[index]` on an array, or on a string (a one-byte string). Typed `i32` on a
    /// string, it is the byte's value instead: codegen's form of `s[i]` in a comparison
    /// with another one-byte string (the checker never makes it).
    Index {
        base: Box<TExpr>,
        index: Box<TExpr>,
    },
    /// `base[start..end]` on an array (spec §10 bound rules).
    Slice {
        base: Box<TExpr>,
        start: Option<Box<TExpr>>,
        end: Option<Box<TExpr>>,
    },
    /// `len(x)` of an array or a string.
    Len(Box<TExpr>),
    /// `push(array, value)`, evaluating to the array.
    Push {
        array: Box<TExpr>,
        value: Box<TExpr>,
    },
    /// `pop(array)`.
    Pop(Box<TExpr>),
    /// A struct literal; fields in declaration order.
    NewStruct {
        id: u32,
        fields: Box<[TExpr]>,
    },
    GetField {
        obj: Box<TExpr>,
        field: u16,
    },
    /// An enum value.
    NewEnum {
        id: u32,
        variant: u16,
        payload: Box<[TExpr]>,
    },
    /// A function value: the function and what it captures from the creating function.
    Closure {
        func: FuncId,
        captures: Box<[CaptureSource]>,
    },
    /// Calling a function value.
    CallValue {
        callee: Box<TExpr>,
        args: Box<[TExpr]>,
    },
    /// `match` as an expression.
    Match(Box<TMatch<TExpr>>),
}

/// A direct child of a statement: an expression it evaluates or a nested statement list.
pub enum Child<'a> {
    Expr(&'a mut TExpr),
    Block(&'a mut Vec<TStmt>),
}

/// Calls `f` on each direct child of `stmt`, in evaluation order. Generic rather than
/// `dyn`: every pass over the tree calls it per statement, and an inlined closure costs
/// far less than an indirect call per child.
#[inline]
pub fn for_each_child<F: FnMut(Child<'_>) + ?Sized>(stmt: &mut TStmt, f: &mut F) {
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
        TStmtKind::ForRange { range, body, .. } => {
            f(Child::Expr(&mut range.start));
            f(Child::Expr(&mut range.end));
            if let Some(s) = &mut range.step {
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
        TStmtKind::Match(m) => {
            f(Child::Expr(&mut m.subject));
            for arm in &mut m.arms {
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

/// Calls `f` on each direct subexpression of `e` (generic for the reason given at
/// [`for_each_child`]).
#[inline]
pub fn for_each_subexpr<F: FnMut(&mut TExpr) + ?Sized>(e: &mut TExpr, f: &mut F) {
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
        TExprKind::Match(m) => {
            f(&mut m.subject);
            for arm in &mut m.arms {
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
    use super::*;
    use std::mem::size_of;

    /// A program's typed tree is a few nodes per source line, and every byte of a node is
    /// memory the compiler touches: rare or large operands are boxed (`TMatch`, `TRange`, the
    /// operands of `SetIndex`/`SetField`, loop conditions) and lists of fixed length are
    /// boxed slices, and a type is 16 bytes (`TypeName`), so that these sizes hold. A
    /// variant that grows past them makes every node larger.
    #[test]
    fn typed_nodes_stay_small() {
        assert_eq!(size_of::<Type>(), 16);
        assert_eq!(size_of::<TExprKind>(), 32);
        assert_eq!(size_of::<TExpr>(), 56);
        assert_eq!(size_of::<TStmtKind>(), 72);
        assert_eq!(size_of::<TStmt>(), 80);
        assert_eq!(size_of::<ArmTest>(), 16);
        // One per compiled function, all in one list of fresh pages.
        assert_eq!(size_of::<TFunction>(), 120);
    }
}
