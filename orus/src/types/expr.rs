//! Checking expressions: literals in context, operators, casts and calls.

use super::func::Checker;
use super::holes::mentions_hole;
use super::literal::{is_stringifiable_literal, leaf_literal_type, widens, IntLit, LitValue};
use super::scope::Sym;
use super::typed::*;
use super::Type;
use crate::ast::{BinOp, Expr, ExprKind, UnaryOp};
use crate::diag::{Code, Diagnostic, Span};

/// Whether an expression of this kind is never typed `void`: a literal, an operator or a
/// cast (whose target type is never `void`). Calls, names, indexing, fields and matches may
/// be.
#[inline]
fn never_void(kind: &ExprKind) -> bool {
    matches!(
        kind,
        ExprKind::Int { .. }
            | ExprKind::Float(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::TimeStamp
            | ExprKind::Unary { .. }
            | ExprKind::Binary { .. }
            | ExprKind::Cast { .. }
    )
}

pub(super) fn is_arith(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
    ) || is_bitwise(op)
}

fn is_bitwise(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr
    )
}

fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Matches | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
    )
}

impl<'a> Checker<'a, '_> {
    pub(super) fn mismatch(&mut self, span: Span, found: &Type, expected: &Type) {
        let mut diag = Diagnostic::new(
            Code::TypeMismatch,
            span,
            format!("this is a `{found}`, but `{expected}` was expected"),
        );
        // Only casts that exist (spec §7): nothing converts a string into another type.
        if found.is_primitive()
            && expected.is_primitive()
            && *expected != Type::Bool
            && *found != Type::Str
        {
            diag = diag.with_help(format!(
                "Try converting the value explicitly, like `value as {expected}`."
            ));
        }
        if *expected == Type::Bool {
            // Python's and C's truthiness (`if n:`, `while xs:`, `not n`).
            let test = match found {
                t if t.is_numeric() => Some("`n != 0`"),
                Type::Str => Some("`s != \"\"`"),
                Type::Array(_) => Some("`len(xs) > 0`"),
                _ => None,
            };
            if let Some(test) = test {
                diag = diag.with_help(format!(
                    "Orus does not treat numbers, strings or arrays as true or false: where a \
                     `bool` is needed, compare explicitly, like {test}"
                ));
            }
        }
        if found.to_string() == expected.to_string() {
            // Two modules each declared a type of this name.
            diag = diag.with_help(format!(
                "these are two different types that are both named `{found}` (declared in \
                 different modules); a value of one is not a value of the other"
            ));
        }
        self.diags.push(diag.with_note(TYPES_KEPT_SEPARATE));
    }

    /// Checks an expression whose value is used: a `void` call is an error here.
    /// (Inlined: a literal or an operator, which is never `void`, goes straight to `expr`,
    /// whose result is then built in the caller's place without a check or a copy; names
    /// and calls go through `value_or_void`.)
    #[inline]
    pub(super) fn value(&mut self, e: &Expr, expected: Option<&Type>) -> TExpr {
        if never_void(&e.kind) {
            let t = self.expr(e, expected);
            debug_assert!(t.ty != Type::Void, "an operator or literal typed `void`");
            return t;
        }
        self.value_or_void(e, expected)
    }

    /// [`Checker::value`] of an expression that may be `void` (a call) or is a name.
    #[inline(never)]
    fn value_or_void(&mut self, e: &Expr, expected: Option<&Type>) -> TExpr {
        if let ExprKind::Name(name) = &e.kind {
            if let Some(id) = self.plain_local(name) {
                return TExpr {
                    kind: TExprKind::Load(Place::Local(id)),
                    ty: self.cx.locals[id].ty.clone(),
                    span: e.span,
                };
            }
        }
        let t = self.expr(e, expected);
        if t.ty == Type::Void {
            return self.void_value(e, t);
        }
        t
    }

    /// The most common operand, a local variable of the function being checked whose type
    /// has no hole, typed without the general path (`None` for anything else). `value`
    /// makes the same node as `expr` would: the name is found in the function's own scopes,
    /// which `lookup` searches first, and a local is never `void`. (`value` builds the
    /// node itself, straight into its result.)
    #[inline]
    fn plain_local(&self, name: &str) -> Option<LocalId> {
        if self.nesting >= self.nesting_budget {
            return None;
        }
        let id = self.cx.scopes.iter().rev().find_map(|s| s.get(name))?;
        let Sym::Local(id) = id else {
            return None;
        };
        let ty = &self.cx.locals[id].ty;
        if mentions_hole(ty) || *ty == Type::Void {
            return None;
        }
        Some(id)
    }

    /// E2005 for a `void` result used as a value, which becomes an error value (out of
    /// line: `value` is on every path).
    #[cold]
    #[inline(never)]
    fn void_value(&mut self, e: &Expr, mut t: TExpr) -> TExpr {
        let what = match &e.kind {
            ExprKind::Call(call) => match &call.callee.kind {
                ExprKind::Name(n) => format!("Function '{n}'"),
                _ => "This call".to_string(),
            },
            _ => "This expression".to_string(),
        };
        self.error(
            Code::VoidValue,
            e.span,
            format!("{what} returns no value, so its result can't be used"),
        );
        t.ty = Type::Error;
        t
    }

    /// Checks a value against an expected type (literals adapt), reporting E2001.
    pub(super) fn expect_value(&mut self, e: &Expr, expected: &Type) -> TExpr {
        let resolved;
        let expected = if mentions_hole(expected) {
            resolved = self.resolve(expected);
            &resolved
        } else {
            expected
        };
        let t = self.value(e, Some(expected));
        let before = self.diags.len();
        self.check_expected(&t, e.span, expected);
        // `avg: f64 = total / count` with integers: converting the quotient would keep the
        // integer division, so say to convert the operands.
        if self.diags.len() > before
            && *expected == Type::F64
            && t.ty.is_integer()
            && matches!(e.kind, ExprKind::Binary { op: BinOp::Div, .. })
        {
            if let Some(d) = self.diags.last_mut() {
                d.help = Some(
                    "this divides integers, which drops the fraction: convert the operands \
                     before dividing, like `(a as f64) / (b as f64)`"
                        .into(),
                );
            }
        }
        t
    }

    /// Reports E2001 when the typed value `t` (of the expression at `span`) is not of the
    /// expected type, binding holes on either side.
    /// (Inlined: a primitive value where that primitive is expected, the commonest case,
    /// costs no call; anything else is `check_expected_general`.)
    #[inline]
    pub(super) fn check_expected(&mut self, t: &TExpr, span: Span, expected: &Type) {
        if std::mem::discriminant(&t.ty) == std::mem::discriminant(expected) && t.ty.is_primitive()
        {
            return;
        }
        self.check_expected_general(t, span, expected);
    }

    #[inline(never)]
    fn check_expected_general(&mut self, t: &TExpr, span: Span, expected: &Type) {
        // Without holes there is nothing to bind or resolve: only the comparison is left.
        if !mentions_hole(expected) && !mentions_hole(&t.ty) {
            if !t.ty.compatible(expected) {
                self.mismatch(span, &t.ty, expected);
            }
            return;
        }
        let expected = &self.resolve(expected);
        if (matches!(t.ty, Type::Hole(_)) || matches!(expected, Type::Hole(_)))
            && self.result_hole_clash(&t.ty, expected)
        {
            self.mismatch_result(span, &t.ty, expected);
        } else if !self.unify(expected, &t.ty) {
            let found = self.resolve(&t.ty);
            self.error(
                Code::TypeMismatch,
                span,
                match found {
                    Type::Array(_) => format!(
                        "this is a `{found}`, which would have to be an element of itself: \
                         an array can't contain itself"
                    ),
                    _ => format!(
                        "this is a `{found}`, which would have to contain itself: such a type \
                         would be infinite"
                    ),
                },
            );
        } else if !t.ty.compatible(expected) {
            self.mismatch(span, &t.ty, expected);
        }
    }

    /// A condition of `if`/`elif`/`while`: must be `bool`.
    pub(super) fn condition(&mut self, e: &Expr) -> TExpr {
        self.expect_value(e, &Type::Bool)
    }

    #[inline]
    pub(super) fn expr(&mut self, e: &Expr, expected: Option<&Type>) -> TExpr {
        if self.nesting >= self.nesting_budget {
            return self.nested_too_deeply(e.span);
        }
        self.nesting += 1;
        let typed = self.expr_unbounded(e, expected);
        self.nesting -= 1;
        typed
    }

    /// An expression past the nesting budget: reported once, typed as an error (out of
    /// line: `expr` is inlined into its callers).
    #[cold]
    #[inline(never)]
    fn nested_too_deeply(&mut self, span: Span) -> TExpr {
        if !std::mem::replace(&mut self.nesting_reported, true) {
            self.error(
                Code::CannotInfer,
                span,
                "This expression is nested too deeply, counting the bodies of the functions \
                 whose return types are being inferred from inside it; annotate their return \
                 types with `-> T`",
            );
        }
        self.poisoned(span)
    }

    /// Types an expression by its kind. (Each kind with more to do than a literal has a
    /// function of its own, kept out of line: inlined here, they made every expression pay
    /// for the largest one's frame.)
    fn expr_unbounded(&mut self, e: &Expr, expected: Option<&Type>) -> TExpr {
        let span = e.span;
        let (kind, ty) = match &e.kind {
            ExprKind::Int { value, hex } => {
                let lit = IntLit {
                    magnitude: *value,
                    hex: *hex,
                    negative: false,
                };
                return self.int_literal(lit, expected, span);
            }
            ExprKind::Float(v) => (TExprKind::Float(*v), Type::F64),
            ExprKind::Str(bytes) => (TExprKind::Str(bytes.to_vec()), Type::Str),
            ExprKind::Bool(b) => (TExprKind::Int(*b as u64), Type::Bool),
            ExprKind::Name(name) => return self.name(name, expected, span),
            ExprKind::Unary { op, operand } => return self.unary(*op, operand, expected, span),
            ExprKind::Binary { op, operands } => {
                let [lhs, rhs] = &**operands;
                return self.binary(*op, lhs, rhs, expected, span);
            }
            ExprKind::Cast { expr, ty } => {
                let target = self.resolve_type(ty);
                return self.cast(expr, target, span);
            }
            ExprKind::Call(call) => return self.call(&call.callee, &call.args, expected, span),
            ExprKind::TimeStamp => (TExprKind::TimeStamp, Type::F64),
            ExprKind::Array(elems) => return self.array_literal(elems, expected, span),
            ExprKind::Index { base, index } => return self.index(base, index, span),
            ExprKind::Slice(s) => {
                return self.slice(&s.base, s.start.as_ref(), s.end.as_ref(), span)
            }
            ExprKind::Field(f) => return self.field(&f.base, &f.name, span),
            ExprKind::StructLit(s) => return self.struct_literal(&s.name, &s.fields, span),
            ExprKind::Match(m) => return self.match_expr(m, expected, span),
            ExprKind::Fn(decl) => return self.closure(decl, span),
        };
        TExpr { kind, ty, span }
    }

    /// A name used as a value.
    #[inline(never)]
    fn name(&mut self, name: &str, expected: Option<&Type>, span: Span) -> TExpr {
        let (kind, ty) = match self.lookup(name) {
            Some(Sym::Local(id)) => (
                TExprKind::Load(Place::Local(id)),
                self.resolve(&self.cx.locals[id].ty),
            ),
            Some(Sym::Top(id)) => match self.top_vars[id].ty.clone() {
                Some(ty) => (TExprKind::Load(Place::Top(id)), self.resolve(&ty)),
                None => {
                    self.undefined(name, span);
                    return self.poisoned(span);
                }
            },
            Some(Sym::Func(entry)) => return self.function_value(entry, expected, span),
            Some(Sym::Capture(idx)) => (
                TExprKind::Load(Place::Capture(idx)),
                self.resolve(&self.capture_info(idx).0),
            ),
            None => {
                self.undefined(name, span);
                return self.poisoned(span);
            }
        };
        TExpr { kind, ty, span }
    }

    fn poisoned(&self, span: Span) -> TExpr {
        TExpr {
            kind: TExprKind::Int(0),
            ty: Type::Error,
            span,
        }
    }

    fn int_literal(&mut self, lit: IntLit, expected: Option<&Type>, span: Span) -> TExpr {
        // Most literals are small and typed `i32` (by default or by their context): the
        // value `value_as` would give, without its general checks.
        let default_context = match expected {
            None | Some(Type::I32) => true,
            Some(t) => !t.is_numeric() && !matches!(t, Type::Hole(_)),
        };
        if default_context && lit.magnitude <= i32::MAX as u64 {
            let v = lit.magnitude as i64;
            let v = if lit.negative { -v } else { v };
            return TExpr {
                kind: TExprKind::Int(v as u64),
                ty: Type::I32,
                span,
            };
        }
        // Beside an unannotated parameter not typed yet (`x * 2`), the literal takes that
        // parameter's type, whatever a later use makes it (choice 31).
        // (A literal too big for `i32` makes it an `i64` at once, as any i64 literal would.)
        if let Some(&Type::Hole(h)) = expected {
            let open = self.param_holes.contains(&h) && self.holes[h as usize].is_none();
            if open && lit.default_type() == Type::I32 {
                self.open_literals.insert((self.file, span.start), lit);
                let bits = match lit.value_as(&lit.default_type()) {
                    Ok(LitValue::Int(_, bits)) => bits,
                    _ => 0,
                };
                return TExpr {
                    kind: TExprKind::Int(bits),
                    ty: Type::Hole(h),
                    span,
                };
            }
        }
        let target = match expected {
            Some(t) if t.is_numeric() => t.clone(),
            _ => lit.default_type(),
        };
        match lit.value_as(&target) {
            Ok(LitValue::Int(ty, bits)) => TExpr {
                kind: TExprKind::Int(bits),
                ty,
                span,
            },
            Ok(LitValue::Float(v)) => TExpr {
                kind: TExprKind::Float(v),
                ty: Type::F64,
                span,
            },
            Err(message) => {
                self.error(Code::LiteralOutOfRange, span, message);
                self.poisoned(span)
            }
        }
    }

    #[inline(never)]
    fn unary(&mut self, op: UnaryOp, operand: &Expr, expected: Option<&Type>, span: Span) -> TExpr {
        if op == UnaryOp::Neg {
            match &operand.kind {
                ExprKind::Int { value, hex } => {
                    let lit = IntLit {
                        magnitude: *value,
                        hex: *hex,
                        negative: true,
                    };
                    return self.int_literal(lit, expected, span);
                }
                ExprKind::Float(v) => {
                    return TExpr {
                        kind: TExprKind::Float(-v),
                        ty: Type::F64,
                        span,
                    }
                }
                _ => {}
            }
        }
        let hint = if self.literal(operand) {
            expected
        } else {
            None
        };
        let mut t = self.value(operand, hint);
        // An unannotated parameter not typed yet: `not x` makes it a `bool`; `-x` and `~x`
        // leave it to a later use and are checked at the end.
        if matches!(t.ty, Type::Hole(_)) {
            if op == UnaryOp::Not {
                self.unify(&t.ty, &Type::Bool);
                t.ty = Type::Bool;
            } else {
                let open = super::func::OpenOp::Unary(op);
                self.open_ops.push((t.ty.clone(), open, span, self.file));
                let ty = t.ty.clone();
                return TExpr {
                    kind: TExprKind::Unary {
                        op,
                        operand: Box::new(t),
                    },
                    ty,
                    span,
                };
            }
        }
        let ok = match op {
            UnaryOp::Neg => matches!(t.ty, Type::I32 | Type::I64 | Type::F64),
            UnaryOp::Not => t.ty == Type::Bool,
            UnaryOp::BitNot => t.ty.is_integer(),
        };
        if !ok && t.ty != Type::Error {
            self.error(
                Code::OperatorNotSupported,
                span,
                format!("Operator `{}` is not defined for `{}`", op.symbol(), t.ty),
            );
            return self.poisoned(span);
        }
        let ty = t.ty.clone();
        TExpr {
            kind: TExprKind::Unary {
                op,
                operand: Box::new(t),
            },
            ty,
            span,
        }
    }

    #[inline(never)]
    fn binary(
        &mut self,
        op: BinOp,
        lhs: &Expr,
        rhs: &Expr,
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        if matches!(op, BinOp::And | BinOp::Or) {
            let l = self.value(lhs, Some(&Type::Bool));
            let r = self.value(rhs, Some(&Type::Bool));
            for side in [&l, &r] {
                if !side.ty.compatible(&Type::Bool) {
                    self.mismatch(side.span, &side.ty, &Type::Bool);
                }
            }
            return TExpr {
                kind: TExprKind::Logic {
                    is_and: op == BinOp::And,
                    lhs: Box::new(l),
                    rhs: Box::new(r),
                },
                ty: Type::Bool,
                span,
            };
        }
        let (l_lit, r_lit) = (self.literal(lhs), self.literal(rhs));
        // Type the non-literal side first so a literal on the other side can adapt to it.
        // Operands are boxed as soon as they are typed: the node keeps them boxed, and a
        // box moves for less than a typed expression.
        let (l, r) = if l_lit && !r_lit {
            let r = Box::new(self.value(rhs, None));
            if self.float_literal_meets_integer(lhs, rhs, &r.ty) {
                return self.poisoned(span);
            }
            let l = Box::new(self.value(lhs, Some(&r.ty)));
            (l, r)
        } else {
            let hint = if l_lit && is_arith(op) {
                expected
            } else {
                None
            };
            let mut l = Box::new(self.value(lhs, hint));
            // Two literals: a right one that only fits a wider type (`1 + 3000000000`,
            // `1 == 1.5`) widens the left instead of failing to fit it, so that the order
            // of the operands does not matter. Retyping happens at most once per widening.
            if l_lit && hint.is_none() {
                if let Some(wide) = leaf_literal_type(rhs).filter(|w| widens(&l.ty, w)) {
                    *l = self.value(lhs, Some(&wide));
                }
            }
            // A string takes only `+` and comparisons: for `"a" * 2` the operator is what
            // is wrong (E2009), so the right literal is not asked to be a string.
            if r_lit && !l_lit && self.float_literal_meets_integer(rhs, lhs, &l.ty) {
                return self.poisoned(span);
            }
            let adapts = r_lit && !(l.ty == Type::Str && is_arith(op) && op != BinOp::Add);
            let r = Box::new(self.value(rhs, if adapts { Some(&l.ty) } else { None }));
            (l, r)
        };
        let l_str = is_stringifiable_literal(lhs);
        let r_str = is_stringifiable_literal(rhs);
        // `"v" + 1`: two literals of different types are an error, not a concatenation.
        let str_lit = |e: &Expr| matches!(e.kind, ExprKind::Str(_));
        if op == BinOp::Add && ((str_lit(lhs) && r_str) || (l_str && str_lit(rhs))) {
            self.mismatch(span, &r.ty, &l.ty);
            return self.poisoned(span);
        }
        self.combine(op, l, r, l_str, r_str, span)
    }

    /// `n / 2.5` with an integer `n`: the mismatch at the literal, with the conversion that
    /// computes in floating point (a cast of the literal would silently truncate it).
    #[inline]
    fn float_literal_meets_integer(
        &mut self,
        literal: &Expr,
        other: &Expr,
        other_ty: &Type,
    ) -> bool {
        let float = match &literal.kind {
            ExprKind::Float(_) => true,
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => matches!(operand.kind, ExprKind::Float(_)),
            _ => false,
        };
        if !float || !other_ty.is_integer() {
            return false;
        }
        self.float_meets_integer(literal, other, other_ty);
        true
    }

    /// Reports [`Checker::float_literal_meets_integer`]'s mismatch.
    #[cold]
    #[inline(never)]
    fn float_meets_integer(&mut self, literal: &Expr, other: &Expr, other_ty: &Type) {
        let text = self.maps.get(self.module).map_or(String::new(), |m| {
            let (start, end) = (other.span.start as usize, other.span.end as usize);
            String::from_utf8_lossy(m.1.text.get(start..end).unwrap_or(&[])).into_owned()
        });
        let diag = Diagnostic::new(
            Code::TypeMismatch,
            literal.span,
            format!("this is a `f64`, but `{other_ty}` was expected"),
        )
        .with_help(format!(
            "to compute in floating point, convert the other side: `({text} as f64)`"
        ))
        .with_note(TYPES_KEPT_SEPARATE);
        self.diags.push(diag);
    }

    /// Types a binary operator over already-typed operands. `l_lit`/`r_lit` say whether an
    /// operand is a literal that `string +` may stringify.
    /// (Inlined: arithmetic or a comparison of two numbers of one type, the commonest case,
    /// is typed here as `combine_general` would type it; everything else goes there.)
    #[inline]
    pub(super) fn combine(
        &mut self,
        op: BinOp,
        l: Box<TExpr>,
        r: Box<TExpr>,
        l_lit: bool,
        r_lit: bool,
        span: Span,
    ) -> TExpr {
        let same_number =
            std::mem::discriminant(&l.ty) == std::mem::discriminant(&r.ty) && l.ty.is_numeric();
        if same_number {
            let ty = if is_comparison(op) {
                Some(Type::Bool)
            } else if is_arith(op) && (!is_bitwise(op) || l.ty.is_integer()) {
                Some(l.ty.clone())
            } else {
                None
            };
            if let Some(ty) = ty {
                let op = if op == BinOp::Matches { BinOp::Eq } else { op };
                return TExpr {
                    kind: TExprKind::Binary { op, lhs: l, rhs: r },
                    ty,
                    span,
                };
            }
        }
        self.combine_general(op, l, r, l_lit, r_lit, span)
    }

    #[inline(never)]
    fn combine_general(
        &mut self,
        op: BinOp,
        mut l: Box<TExpr>,
        mut r: Box<TExpr>,
        l_lit: bool,
        r_lit: bool,
        span: Span,
    ) -> TExpr {
        if l.ty == Type::Error || r.ty == Type::Error {
            return self.poisoned(span);
        }
        // `Result.Err(..)` of a type not known yet: it takes the other side's `Result`
        // type, or `Result<i32>`; beside anything else it is a mismatch.
        if matches!(l.ty, Type::Hole(_)) || matches!(r.ty, Type::Hole(_)) {
            if self.result_hole_clash(&l.ty, &r.ty) {
                self.mismatch_result(r.span, &r.ty, &l.ty);
                return self.poisoned(span);
            }
            self.unify(&l.ty, &r.ty);
            l.ty = self.settle_result(&l.ty);
            r.ty = self.settle_result(&r.ty);
            // Two unannotated parameters not typed yet (`a + b`, `x * x`) are now one
            // type, which a later use decides; the operator is checked against it at the
            // end (the typed node is the same for every type that takes it).
            if let (Type::Hole(_), Type::Hole(_)) = (&l.ty, &r.ty) {
                let open = super::func::OpenOp::Binary(op);
                self.open_ops.push((l.ty.clone(), open, span, self.file));
                let ty = if is_comparison(op) {
                    Type::Bool
                } else {
                    l.ty.clone()
                };
                let op = if op == BinOp::Matches { BinOp::Eq } else { op };
                return TExpr {
                    kind: TExprKind::Binary { op, lhs: l, rhs: r },
                    ty,
                    span,
                };
            }
        }
        let result = |kind, ty| TExpr { kind, ty, span };
        // String concatenation, with a literal of another primitive converted to text.
        if op == BinOp::Add && (l.ty == Type::Str || r.ty == Type::Str) {
            let stringify = |t: Box<TExpr>| {
                let s = t.span;
                Box::new(TExpr {
                    kind: TExprKind::ToStr(t),
                    ty: Type::Str,
                    span: s,
                })
            };
            let (l, r) = match (l.ty == Type::Str, r.ty == Type::Str) {
                (true, true) => (l, r),
                (true, false) if r_lit && r.ty.is_primitive() => (l, stringify(r)),
                (false, true) if l_lit && l.ty.is_primitive() => (stringify(l), r),
                (true, false) => {
                    self.mismatch(span, &r.ty, &Type::Str);
                    return self.poisoned(span);
                }
                _ => {
                    self.mismatch(span, &r.ty, &l.ty);
                    // `count + label`: the number is what needs converting (spec §17.2's
                    // sample), as the other order's help says.
                    if l.ty.is_primitive() {
                        if let Some(d) = self.diags.last_mut().filter(|d| d.help.is_none()) {
                            d.help = Some(format!(
                                "to join them as text, convert the `{}` first: `value as string`",
                                l.ty
                            ));
                        }
                    }
                    return self.poisoned(span);
                }
            };
            return result(TExprKind::Binary { op, lhs: l, rhs: r }, Type::Str);
        }
        // An operator that a string operand can never take is reported as such, whatever
        // the other side is (`"a" * 2`).
        if (l.ty == Type::Str || r.ty == Type::Str) && (is_arith(op) || is_bitwise(op)) {
            let mut diag = Diagnostic::new(
                Code::OperatorNotSupported,
                span,
                format!("Operator `{}` is not defined for `string`", op.symbol()),
            );
            // When `+` made the string from a number (`2 + name`), say so.
            let (side, string) = if l.ty == Type::Str {
                ("left", &l)
            } else {
                ("right", &r)
            };
            // (The number's conversion is explicit in the typed tree: `ToStr`.)
            let joined = matches!(&string.kind, TExprKind::Binary { op: BinOp::Add, lhs, rhs }
                if matches!(lhs.kind, TExprKind::ToStr(_)) || matches!(rhs.kind, TExprKind::ToStr(_)));
            if joined {
                diag = diag.with_help(format!(
                    "the {side} operand is a `string`: a `+` with a string joins text, even \
                     with a number on its other side"
                ));
            }
            self.diags.push(diag);
            return self.poisoned(span);
        }
        // `true + 1`: the operator is what is wrong, whatever the other side is.
        if is_arith(op) {
            let usable = |t: &Type| {
                if is_bitwise(op) {
                    t.is_integer()
                } else {
                    t.is_numeric()
                }
            };
            let unusable = |t: &Type| !usable(t) && !matches!(t, Type::Hole(_));
            let wrong = if unusable(&l.ty) {
                Some(&l.ty)
            } else if unusable(&r.ty) {
                Some(&r.ty)
            } else {
                None
            };
            // (A float beside an integer under `&` stays a plain mismatch, which says more.)
            if let Some(wrong) = wrong.filter(|w| l.ty == r.ty || !w.is_numeric()) {
                self.error(
                    Code::OperatorNotSupported,
                    span,
                    format!("Operator `{}` is not defined for `{wrong}`", op.symbol()),
                );
                return self.poisoned(span);
            }
        }
        if l.ty != r.ty {
            self.mismatch(span, &r.ty, &l.ty);
            return self.poisoned(span);
        }
        let ty = l.ty.clone();
        let ok = if is_comparison(op) {
            match op {
                BinOp::Eq | BinOp::Ne | BinOp::Matches => ty != Type::Void,
                _ => ty.is_numeric() || ty == Type::Str,
            }
        } else if is_bitwise(op) {
            ty.is_integer()
        } else {
            ty.is_numeric()
        };
        if !ok {
            self.error(
                Code::OperatorNotSupported,
                span,
                format!("Operator `{}` is not defined for `{ty}`", op.symbol()),
            );
            return self.poisoned(span);
        }
        let result_ty = if is_comparison(op) { Type::Bool } else { ty };
        let op = if op == BinOp::Matches { BinOp::Eq } else { op };
        result(TExprKind::Binary { op, lhs: l, rhs: r }, result_ty)
    }

    #[inline(never)]
    fn cast(&mut self, operand: &Expr, target: Type, span: Span) -> TExpr {
        let before = self.diags.len();
        // An integer literal too big for `i64` is read as the `u64` it is cast to
        // (`18446744073709551615 as u64`); other literals keep their own type.
        let hint = match (&operand.kind, &target) {
            (ExprKind::Int { value, .. }, Type::U64) if *value > i64::MAX as u64 => Some(&target),
            _ => None,
        };
        let t = self.value(operand, hint);
        if let ExprKind::Binary { op, .. } = &operand.kind {
            self.explain_as_precedence(*op, operand.span, &target, before);
        }
        if t.ty == Type::Error || target == Type::Error {
            return self.poisoned(span);
        }
        let wrap = |kind, ty| TExpr { kind, ty, span };
        if t.ty == target {
            return t;
        }
        let allowed = match (&t.ty, &target) {
            (from, Type::Str) => from.is_primitive(),
            (Type::Str, _) => false,
            (from, to) => {
                (from.is_numeric() || *from == Type::Bool) && (to.is_numeric() || *to == Type::Bool)
            }
        };
        if !allowed {
            self.error(
                Code::InvalidCast,
                span,
                format!("Cannot cast `{}` to `{target}`", t.ty),
            );
            return self.poisoned(span);
        }
        if target == Type::Str {
            wrap(TExprKind::ToStr(Box::new(t)), Type::Str)
        } else {
            wrap(TExprKind::Convert(Box::new(t)), target)
        }
    }

    /// `a + b as T` converts `a + b` (spec §6.1: `as` binds more loosely than arithmetic).
    /// When the operator's two sides disagree and one of them is already `T`, the writer
    /// almost certainly meant to convert only the other side: say so instead of the
    /// general "try `value as T`" that they already wrote.
    fn explain_as_precedence(&mut self, op: BinOp, at: Span, target: &Type, before: usize) {
        if !is_arith(op) {
            return;
        }
        let Some(d) = self.diags[before..]
            .iter_mut()
            .find(|d| d.code == Code::TypeMismatch && d.span == at)
        else {
            return;
        };
        let sym = op.symbol();
        let help = if d.message.ends_with(&format!("but `{target}` was expected")) {
            format!("`as` binds more loosely than `{sym}`, so it converts the result of `{sym}`: convert the right-hand side alone, like `a {sym} (b as {target})`")
        } else if d.message.starts_with(&format!("this is a `{target}`,")) {
            format!("`as` binds more loosely than `{sym}`, so it converts the result of `{sym}`: convert the left-hand side alone, like `(a as {target}) {sym} b`")
        } else {
            return;
        };
        d.help = Some(help);
    }

    #[inline(never)]
    fn call(&mut self, callee: &Expr, args: &[Expr], expected: Option<&Type>, span: Span) -> TExpr {
        match &callee.kind {
            ExprKind::Name(name) => {
                if let Some(t) = self.builtin_call(name, args, span) {
                    return t;
                }
                match self.lookup(name) {
                    Some(Sym::Func(entry)) => {
                        return self.call_entry(entry, name, None, args, span)
                    }
                    None => {
                        match self.lookup_type(name) {
                            // `Point(1, 2)`: a struct is built with a literal, not called.
                            Some(Type::Struct(..)) => self.diags.push(
                                Diagnostic::new(
                                    Code::NotCallable,
                                    callee.span,
                                    format!("'{name}' is a struct, which can't be called"),
                                )
                                .with_help(format!(
                                    "build a value with a literal, like `{name}{{field: value}}`"
                                )),
                            ),
                            _ => self.undefined(name, callee.span),
                        }
                        for a in args {
                            self.value(a, None);
                        }
                        return self.poisoned(span);
                    }
                    Some(_) => {}
                }
            }
            ExprKind::Field(f) => {
                if let Some(t) = self.member_call(&f.base, &f.name, args, expected, span) {
                    return t;
                }
            }
            _ => {}
        }
        let f = self.value(callee, None);
        self.call_value(f, args, span)
    }

    /// A direct call of a declared function (or method); `self_arg` is the receiver of an
    /// instance method call.
    pub(super) fn call_entry(
        &mut self,
        entry: usize,
        name: &str,
        self_arg: Option<TExpr>,
        args: &[Expr],
        span: Span,
    ) -> TExpr {
        let all_params = self.fns[entry].params.clone();
        let skip = usize::from(self_arg.is_some());
        // The parameters the arguments are for (after `self`'s, for a method call).
        let first = skip.min(all_params.len());
        let n_params = all_params.len() - first;
        let param = |k: usize| all_params.get(first + k);
        if n_params != args.len() {
            let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
            self.error(
                Code::ArityMismatch,
                span,
                format!(
                    "Function '{name}' expects {} {} but received {} {}",
                    n_params,
                    plural(n_params),
                    args.len(),
                    plural(args.len())
                ),
            );
            for a in args {
                self.value(a, None);
            }
            return self.poisoned(span);
        }
        let mut typed: Vec<TExpr> = Vec::with_capacity(skip + args.len());
        typed.extend(self_arg);
        let mut poisoned = false;
        // A small integer literal passed to an unannotated parameter takes the integer type
        // of the first other unannotated argument (`maxv(big, 3)` with `big: i64` is
        // `maxv(i64, i64)`), as the literal would under inference (ARCHITECTURE choice 29).
        let adaptable = |arg: &Expr, param: Option<&Type>| {
            param.is_none() && leaf_literal_type(arg) == Some(Type::I32)
        };
        // The arguments are typed into `typed` in order; an adaptable literal gets a
        // placeholder there, replaced once the anchor is known (most calls have none, and
        // then nothing is retyped).
        let mut deferred = false;
        for (k, arg) in args.iter().enumerate() {
            let param = param(k);
            typed.push(match param {
                _ if adaptable(arg, param) => {
                    deferred = true;
                    self.poisoned(arg.span)
                }
                Some(pt) => self.expect_value(arg, pt),
                None => self.value(arg, None),
            });
        }
        let anchor = if deferred {
            typed[skip..]
                .iter()
                .zip(args.iter().enumerate())
                .find(|(t, (k, arg))| {
                    let p = param(*k);
                    !adaptable(arg, p) && p.is_none() && t.ty.is_integer() && t.ty != Type::I32
                })
                .map(|(t, _)| t.ty.clone())
        } else {
            None
        };
        for (k, arg) in args.iter().enumerate() {
            let slot = skip + k;
            let must_be_result = all_params.bare_result(slot);
            if deferred && adaptable(arg, param(k)) {
                typed[slot] = match &anchor {
                    Some(ty)
                        if !(matches!(ty, Type::U32 | Type::U64)
                            && matches!(arg.kind, ExprKind::Unary { .. })) =>
                    {
                        self.expect_value(arg, ty)
                    }
                    _ => self.value(arg, None),
                };
            }
            let t = &typed[slot];
            if must_be_result && t.ty != Type::Error && !self.is_result(&self.resolve(&t.ty)) {
                let message = format!("this is a `{}`, but `Result` was expected", t.ty);
                self.error(Code::TypeMismatch, arg.span, message);
                poisoned = true;
            }
            poisoned |= typed[slot].ty == Type::Error;
        }
        if poisoned {
            return self.poisoned(span);
        }
        // Annotated parameters fix the instance's types; the others come from the arguments.
        // (In a vector kept for the next call: most calls find an existing version, and
        // the list only serves to look it up. A call checked while this one is, by a body
        // checked for it, finds the spare taken and makes its own.)
        let mut arg_types = std::mem::take(&mut self.spare_arg_types);
        arg_types.extend(
            typed
                .iter()
                .zip(all_params.iter())
                .map(|(t, p)| p.cloned().unwrap_or_else(|| t.ty.clone())),
        );
        let (func, ret) = self.instance(entry, &arg_types, span);
        arg_types.clear();
        self.spare_arg_types = arg_types;
        TExpr {
            kind: TExprKind::Call {
                func,
                args: typed.into_boxed_slice(),
            },
            ty: ret,
            span,
        }
    }
}

/// The note of a type mismatch (spec §17.2's sample), unless something more specific
/// replaces it (the call a generic function's version was made for).
pub(super) const TYPES_KEPT_SEPARATE: &str =
    "Orus keeps types separate to help prevent unexpected behavior and bugs.";
