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

    /// The items of the list that started at `start`, in a vector of their exact size.
    #[inline]
    pub(super) fn take<T: Listed>(&mut self, start: usize) -> Vec<T> {
        T::stack(self).drain(start..).collect()
    }

    /// Drops the items of a list that failed (and of any list inside it that failed
    /// with it).
    #[inline]
    pub(super) fn drop_from<T: Listed>(&mut self, start: usize) {
        T::stack(self).truncate(start);
    }
}
