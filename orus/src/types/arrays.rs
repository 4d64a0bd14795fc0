//! Checking arrays, indexing, slicing and the built-ins `len`, `push` and `pop` (spec §10,
//! §11, §16.1; ARCHITECTURE.md choices 13–17).

use super::func::Checker;
use super::typed::*;
use super::Type;
use crate::ast::{Expr, ExprKind};
use crate::diag::{Code, Span};
use std::rc::Rc;

/// The element type of `[row, row, ...]` when every row is an array literal holding only
/// number literals (at any depth) and all rows have the same depth: each level takes the
/// widest number found anywhere (ARCHITECTURE choice 27). `None` for anything else.
fn literal_rows_type(rows: &[Expr]) -> Option<Type> {
    let mut acc: Option<Type> = None;
    for row in rows {
        let ExprKind::Array(items) = &row.kind else {
            return None;
        };
        let ty = Type::Array(Rc::new(literal_items_type(items)?));
        acc = Some(match acc {
            None => ty,
            Some(wide) => wider_shape(wide, ty)?,
        });
    }
    acc
}

/// The widest type of the number literals (or rows of them) in `items`.
fn literal_items_type(items: &[Expr]) -> Option<Type> {
    if items.iter().all(|e| matches!(e.kind, ExprKind::Array(_))) {
        return literal_rows_type(items);
    }
    items
        .iter()
        .map(super::literal::leaf_literal_type)
        .try_fold(None, |wide: Option<Type>, t| {
            let t = t?;
            Some(Some(match wide {
                Some(w) => super::literal::wider(w, t),
                None => t,
            }))
        })
        .flatten()
}

/// Two literal row types of the same shape, each level the wider of the two.
fn wider_shape(a: Type, b: Type) -> Option<Type> {
    match (a, b) {
        (Type::Array(x), Type::Array(y)) => Some(Type::Array(Rc::new(wider_shape(
            Rc::unwrap_or_clone(x),
            Rc::unwrap_or_clone(y),
        )?))),
        (Type::Array(_), _) | (_, Type::Array(_)) => None,
        (a, b) => Some(super::literal::wider(a, b)),
    }
}

impl Checker<'_, '_> {
    /// `[a, b, c]`: the expected element type, or the first non-literal element's type,
    /// fixes the element type; literals adapt to it.
    #[inline(never)]
    pub(super) fn array_literal(
        &mut self,
        elems: &[Expr],
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        let expected_elem = expected.and_then(Type::element).cloned();
        // The element checked first to find the element type, kept so that it is not
        // checked twice (nested literals would take exponential time).
        let mut anchor_typed: Option<(usize, TExpr)> = None;
        // Rows of number literals (`[[1, 2], [10000000000, 3]]`): the widest number of all
        // rows decides, as in a flat literal, whatever row it is in.
        let table = expected_elem
            .is_none()
            .then(|| literal_rows_type(elems))
            .flatten();
        let elem_ty = match expected_elem.or(table) {
            Some(t) => t,
            None => {
                // String and bool literals do not adapt, but like numbers they do not
                // decide over the first element: in `[1, "two", 3]` the odd one is "two".
                let Some(anchor) = elems
                    .iter()
                    .position(|e| {
                        !matches!(e.kind, ExprKind::Str(_) | ExprKind::Bool(_)) && !self.literal(e)
                    })
                    .or(if elems.is_empty() { None } else { Some(0) })
                else {
                    // `[]` with nothing to say what it holds: decided by the first store.
                    let hole = self.new_hole();
                    return TExpr {
                        kind: TExprKind::Array(Box::new([])),
                        ty: Type::Array(std::rc::Rc::new(hole)),
                        span,
                    };
                };
                // All literals, starting with a number: the widest number decides, whatever
                // its position (`[1, 10000000000]` is `[i64]` like `[10000000000, 1]`,
                // ARCHITECTURE choice 27).
                let widest = (anchor == 0 && !self.literal_free(elems))
                    .then(|| super::literal::leaf_literal_type(&elems[0]))
                    .flatten()
                    .map(|first| {
                        elems
                            .iter()
                            .filter_map(super::literal::leaf_literal_type)
                            .fold(first, super::literal::wider)
                    });
                match widest {
                    Some(ty) => ty,
                    None => {
                        let first = self.value(&elems[anchor], None);
                        let ty = first.ty.clone();
                        anchor_typed = Some((anchor, first));
                        ty
                    }
                }
            }
        };
        // One mismatched element is reported; the rest are only checked for their own errors.
        let mut reported = false;
        let mut typed = Vec::with_capacity(elems.len());
        for (i, e) in elems.iter().enumerate() {
            if let Some((_, first)) = anchor_typed.take_if(|(at, _)| *at == i) {
                typed.push(first);
                continue;
            }
            if reported {
                typed.push(self.value(e, Some(&elem_ty)));
                continue;
            }
            let before = self.diags.len();
            typed.push(self.expect_value(e, &elem_ty));
            reported = self.diags[before..]
                .iter()
                .any(|d| d.code == Code::TypeMismatch);
        }
        TExpr {
            kind: TExprKind::Array(typed.into_boxed_slice()),
            ty: Type::Array(std::rc::Rc::new(elem_ty)),
            span,
        }
    }

    /// Whether some element is not a literal (then that element fixes the type).
    fn literal_free(&mut self, elems: &[Expr]) -> bool {
        elems.iter().any(|e| !self.literal(e))
    }

    fn poison(&self, span: Span) -> TExpr {
        TExpr {
            kind: TExprKind::Int(0),
            ty: Type::Error,
            span,
        }
    }

    /// An index or slice bound: any integer type.
    fn index_value(&mut self, e: &Expr) -> TExpr {
        let t = self.value(e, None);
        if !t.ty.is_integer() && t.ty != Type::Error {
            self.mismatch(e.span, &t.ty, &Type::I32);
        }
        t
    }

    #[inline(never)]
    pub(super) fn index(&mut self, base: &Expr, index: &Expr, span: Span) -> TExpr {
        let b = self.value(base, None);
        let i = self.index_value(index);
        let ty = match &b.ty {
            Type::Array(elem) => match self.known_element(elem, span) {
                Some(t) => t,
                None => return self.poison(span),
            },
            Type::Str => Type::Str,
            Type::Error => return self.poison(span),
            other => {
                self.error(
                    Code::OperatorNotSupported,
                    span,
                    format!("Indexing is not defined for `{other}`"),
                );
                return self.poison(span);
            }
        };
        if i.ty == Type::Error {
            return self.poison(span);
        }
        TExpr {
            kind: TExprKind::Index {
                base: Box::new(b),
                index: Box::new(i),
            },
            ty,
            span,
        }
    }

    #[inline(never)]
    pub(super) fn slice(
        &mut self,
        base: &Expr,
        start: Option<&Expr>,
        end: Option<&Expr>,
        span: Span,
    ) -> TExpr {
        let b = self.value(base, None);
        let start = start.map(|e| Box::new(self.index_value(e)));
        let end = end.map(|e| Box::new(self.index_value(e)));
        match &b.ty {
            Type::Array(_) => {
                let ty = b.ty.clone();
                TExpr {
                    kind: TExprKind::Slice {
                        base: Box::new(b),
                        start,
                        end,
                    },
                    ty,
                    span,
                }
            }
            Type::Error => self.poison(span),
            other => {
                self.error(
                    Code::OperatorNotSupported,
                    span,
                    format!("Slicing is not defined for `{other}`"),
                );
                self.poison(span)
            }
        }
    }

    /// `len`, `push` and `pop`; `None` when `name` is not a built-in. Built-ins win over
    /// user functions of the same name (spec §16.1).
    pub(super) fn builtin_call(&mut self, name: &str, args: &[Expr], span: Span) -> Option<TExpr> {
        let arity = match name {
            "len" | "pop" => 1,
            "push" => 2,
            _ => return None,
        };
        if args.len() != arity {
            let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
            self.error(
                Code::ArityMismatch,
                span,
                format!(
                    "Function '{name}' expects {arity} {} but received {} {}",
                    plural(arity),
                    args.len(),
                    plural(args.len())
                ),
            );
            for a in args {
                self.value(a, None);
            }
            return Some(self.poison(span));
        }
        let mut first = self.value(&args[0], None);
        if name == "len" && matches!(first.ty, Type::Hole(h) if self.param_holes.contains(&h)) {
            // `len(w)` of an unannotated parameter: an `i32` whether `w` turns out an array
            // or a string, which is checked at the end (choice 31).
            let open = super::func::OpenOp::Len;
            self.open_ops
                .push((first.ty.clone(), open, args[0].span, self.file));
            return Some(TExpr {
                kind: TExprKind::Len(Box::new(first)),
                ty: Type::I32,
                span,
            });
        }
        if name != "len" && matches!(first.ty, Type::Hole(_)) {
            // An unannotated parameter given to `push`/`pop` is an array (choice 31), of
            // elements as open as a parameter (a pushed literal does not decide them).
            let array = Type::Array(Rc::new(self.new_param_hole()));
            self.unify(&first.ty, &array);
            first.ty = array;
        }
        let wanted = if name == "len" {
            "array` or `string"
        } else {
            "array"
        };
        let elem = match (&first.ty, name) {
            (Type::Error, _) => {
                for a in &args[1..] {
                    self.value(a, None);
                }
                return Some(self.poison(span));
            }
            (Type::Str, "len") => None,
            (Type::Array(elem), _) => Some(self.resolve(elem)),
            (other, _) => {
                self.error(
                    Code::TypeMismatch,
                    args[0].span,
                    format!("this is a `{other}`, but `{wanted}` was expected"),
                );
                for a in &args[1..] {
                    self.value(a, None);
                }
                return Some(self.poison(span));
            }
        };
        let array_ty = first.ty.clone();
        let array = Box::new(first);
        Some(match name {
            "len" => TExpr {
                kind: TExprKind::Len(array),
                ty: Type::I32,
                span,
            },
            "push" => {
                let elem = elem.expect("push takes an array");
                // The first push into an empty literal decides its element type.
                let value = Box::new(self.expect_value(&args[1], &elem));
                let array_ty = self.resolve(&array_ty);
                TExpr {
                    kind: TExprKind::Push { array, value },
                    ty: array_ty,
                    span,
                }
            }
            _ => {
                let elem = elem.expect("pop takes an array");
                let Some(elem) = self.known_element(&elem, span) else {
                    return Some(self.poison(span));
                };
                TExpr {
                    kind: TExprKind::Pop(array),
                    ty: elem,
                    span,
                }
            }
        })
    }
}
