//! The syntax tree produced by the parser: every node carries the span of its source text.
//!
//! The tree is purely syntactic. It records what was written, not what it means: a plain
//! `x = 1` is a [`Binding`] whose `declares` flag is false, and only the type checker
//! decides whether it declares a new variable or assigns an existing one; `Shape.Circle(1.0)`
//! is a call of a field access, and only the checker knows it constructs an enum value.
//! Nothing here knows about types or bytecode.

use crate::diag::Span;

/// An identifier's text. Shared, not copied: the lexer hands out one allocation per
/// distinct name in a file, and later stages keep it by reference count.
pub type Name = std::rc::Rc<str>;

/// A whole source file.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub stmts: Vec<Stmt>,
}

/// An identifier with its location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: Name,
    pub span: Span,
}

/// An indented block (or the single statement of a one-line form).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// One or more comma-separated bindings: `x = 1`, `mut y: i64 = 2, z = 3`,
    /// `const K = 4`.
    Bind(Vec<Binding>),
    /// `global [mut] NAME = expr`, optionally `pub`.
    Global {
        binding: Box<Binding>,
        is_pub: bool,
    },
    /// `a, b = expr`: destructures an array.
    Destructure(Box<Destructure>),
    /// Assignment to something other than a plain name (`a[i] = v`, `p.x = v`), or any
    /// compound assignment (`x += 1`, `p.x -= 2`).
    Assign(Box<Assign>),
    /// An expression evaluated for its effect, usually a call.
    Expr(Expr),
    /// `print(...)` or `print_no_newline(...)`.
    Print {
        args: Vec<Expr>,
        newline: bool,
    },
    /// `if c: ... elif d: ... else: ...`; `branches` has at least one entry.
    If {
        branches: Vec<(Expr, Block)>,
        else_block: Option<Box<Block>>,
    },
    While(Box<While>),
    For(Box<For>),
    Break {
        label: Option<Ident>,
    },
    Continue {
        label: Option<Ident>,
    },
    /// `return`, `return e`, or `return a, b` (which returns the array `[a, b]`; the parser
    /// builds that array expression).
    Return(Option<Expr>),
    /// Boxed, like the other large payloads, so that a statement stays small: every
    /// statement of a block takes the size of the largest variant.
    Fn(Box<FnDecl>),
    Struct(Box<StructDecl>),
    Enum(Box<EnumDecl>),
    Impl(Box<ImplDecl>),
    /// `match` in statement position; arm bodies are blocks.
    Match(Box<MatchExpr>),
    /// `try: ... catch [name]: ...`
    Try(Box<Try>),
    Throw(Expr),
    /// `use a.b`, `use a.b: *`, `use a.b: x, y as z`, `use a.b as m`.
    Use(Box<UseDecl>),
    /// `module a.b` (flat) or `module a.b:` followed by the rest of the file as a block.
    Module {
        path: Vec<Ident>,
        body: Option<Box<Block>>,
    },
}

/// `a, b = value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Destructure {
    pub names: Vec<Ident>,
    pub value: Expr,
}

/// `target = value` or `target op= value`. `op` is the arithmetic of a compound form and
/// the span of its `op=` (where an error of the operation is reported).
#[derive(Clone, Debug, PartialEq)]
pub struct Assign {
    pub target: Expr,
    pub op: Option<(BinOp, Span)>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct While {
    pub label: Option<Ident>,
    pub cond: Expr,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct For {
    pub label: Option<Ident>,
    pub var: Ident,
    pub iter: ForIter,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Try {
    pub body: Block,
    pub catch_name: Option<Ident>,
    pub handler: Block,
}

/// One binding of a `Bind` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub name: Ident,
    pub mutable: bool,
    /// Boxed: most bindings have no written type.
    pub ty: Option<Box<TypeExpr>>,
    pub value: Expr,
    /// True when the form always declares (`mut x = …`, `x: T = …`, `const x = …`); false
    /// for a plain `x = …`, which assigns if `x` is already visible.
    pub declares: bool,
    pub is_const: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForIter {
    /// `start .. end [.. step]` or `start ..= end [.. step]`.
    Range {
        start: Expr,
        end: Expr,
        /// Boxed: most ranges have none.
        step: Option<Box<Expr>>,
        inclusive: bool,
    },
    /// `for x in expr` over an array, or over an integer `n` meaning `0..n` (D5).
    Each(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct FnDecl {
    /// `None` for an anonymous `fn(...)` expression.
    pub name: Option<Ident>,
    pub params: Vec<Param>,
    pub ret: Option<TypeExpr>,
    pub body: Block,
    pub is_pub: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: Option<TypeExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StructDecl {
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
    pub is_pub: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<VariantDecl>,
    pub is_pub: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VariantDecl {
    pub name: Ident,
    /// Payload fields; names are optional (`Circle(radius: f64)`, `Rect(i32, i32)`).
    pub fields: Vec<(Option<Ident>, TypeExpr)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImplDecl {
    pub type_name: Ident,
    pub methods: Vec<FnDecl>,
    pub is_pub: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UseDecl {
    pub path: Vec<Ident>,
    /// `None` imports every public symbol (`use a.b` and `use a.b: *`).
    pub items: Option<Vec<UseItem>>,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UseItem {
    pub name: Ident,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchExpr {
    pub subject: Expr,
    pub arms: Vec<MatchArm>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatchArm {
    pub pattern: Pattern,
    pub body: ArmBody,
    pub span: Span,
}

/// A match pattern. Enum patterns with bindings (`Shape.Rect(w, _)`) are parsed as
/// expressions (a call of a field access) and recognised by the checker.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    Wildcard(Span),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArmBody {
    /// Statement form: a one-line statement or an indented block.
    Block(Block),
    /// Expression form.
    Expr(Expr),
}

/// A written type: `i32`, `Point`, `[f64]`, `fn(i32, i32) -> bool`, `T?` (the `?` is
/// accepted and ignored, spec §4.2).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    Named(Name),
    Array(Box<TypeExpr>),
    Fn(Box<FnType>),
}

/// `fn(params) -> ret`.
#[derive(Clone, Debug, PartialEq)]
pub struct FnType {
    pub params: Vec<TypeExpr>,
    pub ret: Option<TypeExpr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal's magnitude (a leading `-` is a separate `Unary`), and whether it
    /// was written in hex. Values above `u64::MAX` are rejected by the lexer.
    Int {
        value: u64,
        hex: bool,
    },
    Float(f64),
    /// String contents with escapes already processed.
    Str(Box<[u8]>),
    Bool(bool),
    Name(Name),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// The span of a `Binary` expression starts at its operator (spec §17.2: the caret points
    /// at the operator); `lhs.span.to(rhs.span)` covers the whole expression. The operands
    /// `[lhs, rhs]` share one allocation.
    Binary {
        op: BinOp,
        operands: Box<[Expr; 2]>,
    },
    Cast {
        expr: Box<Expr>,
        ty: Box<TypeExpr>,
    },
    Call(Box<Call>),
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `base[start..end]`, either bound optional.
    Slice(Box<Slice>),
    Field(Box<Field>),
    Array(Box<[Expr]>),
    StructLit(Box<StructLit>),
    Match(Box<MatchExpr>),
    /// An anonymous `fn(...) -> T:` with its block.
    Fn(Box<FnDecl>),
    /// `time_stamp()`.
    TimeStamp,
}

/// `callee(args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub callee: Expr,
    pub args: Box<[Expr]>,
}

/// `base[start..end]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub base: Expr,
    pub start: Option<Expr>,
    pub end: Option<Expr>,
}

/// `base.name`.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub base: Expr,
    pub name: Ident,
}

/// `Name{field: value, …}`.
#[derive(Clone, Debug, PartialEq)]
pub struct StructLit {
    pub name: Ident,
    pub fields: Vec<(Ident, Expr)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
    /// `~x`
    BitNot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `matches`: same meaning as `==` (spec §13.4), kept apart for messages.
    Matches,
    And,
    Or,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Matches => "matches",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
        }
    }
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "not",
            UnaryOp::BitNot => "~",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::size_of;

    /// Every statement of a block and every operand takes the size of its type's largest
    /// variant, so the common nodes stay this small: large or rare payloads are boxed.
    #[test]
    fn nodes_stay_small() {
        assert_eq!(size_of::<Expr>(), 32, "Expr");
        assert_eq!(size_of::<Stmt>(), 48, "Stmt");
        assert_eq!(size_of::<Binding>(), 80, "Binding");
        assert_eq!(size_of::<For>(), 160, "For");
        assert_eq!(size_of::<Call>(), 48, "Call");
        assert_eq!(size_of::<TypeExpr>(), 32, "TypeExpr");
        assert_eq!(size_of::<Option<TypeExpr>>(), 32, "Option<TypeExpr>");
    }
}
