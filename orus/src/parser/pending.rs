//! Items of the lists being parsed (a block's statements, a call's arguments, …), kept on
//! one stack per item type until their list is complete, when they move into a vector of
//! exactly their number. A list pushes its items on top of its stack; a list nested in one
//! of them pushes above those and takes its own off before the outer list goes on, so the
//! top of each stack always belongs to the innermost list being read.
//!
//! Why: a vector grown by `push` has room for four items after the first, so most lists
//! (one-argument calls, two-statement blocks) kept more unused room than items, and that
//! room stayed allocated for the tree's whole life.

use crate::ast::{Expr, FieldDecl, FnDecl, Ident, MatchArm, Param, Stmt, TypeExpr, VariantDecl};

/// A type whose lists the parser builds on a [`Pending`] stack.
pub(super) trait Listed: Sized {
    fn stack(pending: &mut Pending) -> &mut Vec<Self>;
}

macro_rules! stacks {
    ($($field:ident: $item:ty),* $(,)?) => {
        /// The stacks, one per item type.
        #[derive(Default)]
        pub(super) struct Pending {
            $($field: Vec<$item>,)*
        }

        $(impl Listed for $item {
            #[inline]
            fn stack(pending: &mut Pending) -> &mut Vec<Self> {
                &mut pending.$field
            }
        })*
    };
}

stacks! {
    stmts: Stmt,
    exprs: Expr,
    arms: MatchArm,
    params: Param,
    fields: FieldDecl,
    methods: FnDecl,
    types: TypeExpr,
    variant_lines: Vec<VariantDecl>,
    variant_fields: (Option<Ident>, TypeExpr),
    field_values: (Ident, Expr),
}

impl Pending {
    /// The height of `T`'s stack: where a new list of `T` starts.
    #[inline]
    pub(super) fn start<T: Listed>(&mut self) -> usize {
        T::stack(self).len()
    }

    #[inline]
    pub(super) fn push<T: Listed>(&mut self, item: T) {
        T::stack(self).push(item);
    }

    /// The items of the list that started at `start`, in a vector of their exact size,
    /// moved with one copy (`collect` from a `drain` moved them one at a time; the stack
    /// keeps its buffer either way).
    #[inline]
    pub(super) fn take<T: Listed>(&mut self, start: usize) -> Vec<T> {
        T::stack(self).split_off(start)
    }

    /// Drops the items of a list that failed (and of any list inside it that failed
    /// with it).
    #[inline]
    pub(super) fn drop_from<T: Listed>(&mut self, start: usize) {
        T::stack(self).truncate(start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::TypeExprKind;
    use crate::diag::Span;

    fn ty(name: &str) -> TypeExpr {
        TypeExpr {
            kind: TypeExprKind::Named(name.into()),
            span: Span::new(0, 1),
        }
    }

    #[test]
    fn a_taken_list_has_exactly_its_items_and_the_stack_keeps_the_rest() {
        let mut pending = Pending::default();
        let outer = pending.start::<TypeExpr>();
        pending.push(ty("a"));
        let inner = pending.start::<TypeExpr>();
        pending.push(ty("b"));
        pending.push(ty("c"));
        let taken = pending.take::<TypeExpr>(inner);
        assert_eq!(taken, vec![ty("b"), ty("c")]);
        assert_eq!(taken.capacity(), 2);
        let rest = pending.take::<TypeExpr>(outer);
        assert_eq!((rest, pending.start::<TypeExpr>()), (vec![ty("a")], 0));
    }
}
