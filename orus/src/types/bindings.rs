//! Declarations and assignments: plain and annotated bindings, redeclaration and
//! mutability checks, and assignment to variables, array elements, struct fields and
//! destructuring targets (spec §5).

use super::func::Checker;
use super::scope::{DeclForm, Sym, VarInfo};
use super::typed::*;
use super::Type;
use crate::ast::{self, Binding};
use crate::diag::{Code, Diagnostic, Span};

impl Checker<'_, '_> {
    pub(super) fn binding_owned(&mut self, b: &Binding, global: bool) -> Option<TStmt> {
        // Same as `binding`, for a binding that does not outlive this call.
        let value_ty = b.ty.as_ref().map(|t| self.resolve_type(t));
        let value = match &value_ty {
            Some(t) => self.expect_value(&b.value, t),
            None => self.value(&b.value, None),
        };
        let ty = value_ty.unwrap_or_else(|| value.ty.clone());
        let form = match (global, b.is_const) {
            (true, _) => DeclForm::Global,
            (_, true) => DeclForm::Const,
            _ => DeclForm::Statement,
        };
        let place = self.declare(&b.name, ty, b.mutable, form);
        Some(TStmt {
            kind: TStmtKind::Store { place, value },
            span: b.span,
        })
    }

    /// `x = e`, `mut x = e`, `x: T = e`: declares, or assigns an existing variable.
    pub(super) fn binding(&mut self, b: &Binding) -> Option<TStmt> {
        let existing = if b.declares {
            None
        } else {
            self.assignment_target(&b.name)
        };
        match existing {
            Some(sym) => {
                let (place, ty) = self.assignable(sym, &b.name)?;
                let value = self.expect_value(&b.value, &ty);
                Some(TStmt {
                    kind: TStmtKind::Store { place, value },
                    span: b.span,
                })
            }
            None => self.binding_owned(b, false),
        }
    }

    /// What a plain `name = ...` assigns: the visible variable of that name, or `None` to
    /// declare one. At the top level a function's name is taken (E1016 in `declare`); in
    /// a block it is visible, so `=` is an assignment to it (spec §5.1), refused later.
    fn assignment_target(&mut self, name: &ast::Ident) -> Option<Sym> {
        match self.lookup(&name.name) {
            Some(Sym::Func(_)) if self.cx.is_entry && self.cx.scopes.len() == 1 => None,
            found => found,
        }
    }

    /// Declares a variable in the innermost scope, reporting a redeclaration there.
    fn declare(&mut self, name: &ast::Ident, ty: Type, mutable: bool, form: DeclForm) -> Place {
        let at = name.span.start;
        let scope = self.cx.scopes.last().expect("scope");
        // A top-level variable named like a function is reported and then not bound, so
        // the function's later uses are not reported again as uses of the variable.
        let mut hides_function = false;
        if let Some(previous) = scope.get(&name.name) {
            let prev_line = match previous {
                Sym::Local(id) => self.line_at(self.module, self.cx.local_info[id].at),
                Sym::Top(id) => self.line_at(self.top_vars[id].module, self.top_vars[id].info.at),
                Sym::Func(_) | Sym::Capture(_) => self.line_of(name.span),
            };
            self.error(
                Code::Redeclared,
                name.span,
                format!(
                    "Variable '{}' is already defined on line {prev_line}",
                    name.name
                ),
            );
        } else if self.cx.is_entry && self.cx.scopes.len() == 1 {
            if self.named_like_type(name) {
                // Reported: one clash, one report.
            } else if let Some(&f) = self.top_fns.get(&*name.name) {
                hides_function = true;
                let fl = self.line_of(self.fns[f].decl.span);
                self.error(
                    Code::Redeclared,
                    name.span,
                    format!(
                        "'{}' is already defined as a function on line {fl}",
                        name.name
                    ),
                );
            } else if let Some((super::modules::Import::Func(_), _)) = self.imports.get(&*name.name)
            {
                // As for a function of this module: the name is taken, not shadowed.
                hides_function = true;
                self.error(
                    Code::Redeclared,
                    name.span,
                    format!("'{}' is already defined as an imported function", name.name),
                );
            }
        }
        if self.cx.is_entry && self.cx.scopes.len() == 1 {
            let id = self.next_top;
            self.next_top += 1;
            if id >= self.top_vars.len() {
                // Keep the numbering of the pre-pass even if it missed this declaration.
                self.add_top_slot(super::func::TopSlot {
                    name: String::from(&*name.name),
                    module: self.module,
                    ty: None,
                    info: VarInfo {
                        mutable,
                        loop_var: false,
                        at,
                        form,
                        late: false,
                    },
                    captured: false,
                });
            }
            self.rename_top_slot(id, &name.name);
            let slot = &mut self.top_vars[id];
            slot.ty = Some(ty);
            slot.info = VarInfo {
                mutable,
                loop_var: false,
                at,
                form,
                late: false,
            };
            if !hides_function {
                self.cx.scopes[0].push(name.name.clone(), Sym::Top(id));
            }
            Place::Top(id)
        } else {
            let id = self.declare_local(&name.name, ty, mutable, false, at);
            self.cx.local_info[id].form = form;
            Place::Local(id)
        }
    }

    /// The place and type of an existing variable being assigned, after the mutability check.
    fn assignable(&mut self, sym: Sym, name: &ast::Ident) -> Option<(Place, Type)> {
        let (place, ty, info) = match sym {
            Sym::Local(id) => (
                Place::Local(id),
                self.cx.locals[id].ty.clone(),
                self.cx.local_info[id],
            ),
            Sym::Top(id) => match &self.top_vars[id].ty {
                Some(ty) => (Place::Top(id), ty.clone(), self.top_vars[id].info),
                None => {
                    self.undefined(&name.name, name.span);
                    return None;
                }
            },
            Sym::Capture(idx) => {
                let (ty, info) = self.capture_info(idx);
                (Place::Capture(idx), ty, info)
            }
            Sym::Func(_) => {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAssignTarget,
                        name.span,
                        format!("Can't assign to function '{}'", name.name),
                    )
                    .with_help(format!(
                        "for a new variable, choose another name, or declare one that hides \
                         the function in this block: `mut {0} = ...` or `{0}: T = ...`",
                        name.name
                    )),
                );
                return None;
            }
        };
        if info.loop_var {
            self.error(
                Code::LoopVariableAssign,
                name.span,
                "Loop variables can't be modified inside the loop",
            );
            return None;
        }
        if !info.mutable {
            let module = match sym {
                Sym::Top(id) => self.top_vars[id].module,
                _ => self.module,
            };
            let line = self.line_at(module, info.at);
            if !self
                .cx
                .immutable_reported
                .insert((String::from(&*name.name), line))
            {
                return None;
            }
            self.diags.push(
                Diagnostic::new(
                    Code::ImmutableAssign,
                    name.span,
                    format!(
                        "Cannot assign to immutable variable '{}'. Add 'mut' when declaring it.",
                        name.name
                    ),
                )
                .with_help(match sym {
                    Sym::Top(id) if self.top_vars[id].module != self.module => format!(
                        "it is imported; its module must declare it `global mut {}`",
                        name.name
                    ),
                    _ if info.form == DeclForm::Statement => format!(
                        "declare it as `mut {}` (line {}) to allow changes",
                        name.name, line
                    ),
                    _ if info.form == DeclForm::Global => format!(
                        "declare it as `global mut {}` (line {}) to allow changes",
                        name.name, line
                    ),
                    _ if info.form == DeclForm::Const => format!(
                        "'{}' is a constant (line {}); declare it with `mut` instead of `const` \
                         to allow changes",
                        name.name, line
                    ),
                    _ => format!(
                        "'{}' is a parameter, a pattern binding or a caught error; copy it into a \
                         variable declared with `mut` to change it",
                        name.name
                    ),
                }),
            );
            return None;
        }
        Some((place, ty))
    }

    /// Assignment to a target expression, plain or compound.
    pub(super) fn assign(
        &mut self,
        target: &ast::Expr,
        op: Option<(ast::BinOp, Span)>,
        value: &ast::Expr,
    ) -> Option<TStmtKind> {
        let name = match &target.kind {
            ast::ExprKind::Name(name) => name,
            ast::ExprKind::Index { base, index } => return self.set_index(base, index, op, value),
            ast::ExprKind::Field(f) => return self.set_field(&f.base, &f.name, op, value),
            _ => {
                self.error(
                    Code::InvalidAssignTarget,
                    target.span,
                    "Can't assign to this expression",
                );
                return None;
            }
        };
        let ident = ast::Ident {
            name: name.clone(),
            span: target.span,
        };
        let Some(sym) = self.lookup(name) else {
            self.undefined(name, target.span);
            return None;
        };
        let (place, ty) = self.assignable(sym, &ident)?;
        let value = match op {
            None => self.expect_value(value, &ty),
            Some((op, at)) => {
                let current = TExpr {
                    kind: TExprKind::Load(place),
                    ty: ty.clone(),
                    span: target.span,
                };
                let rhs = self.value(value, Some(&ty));
                let rhs_lit = super::literal::is_stringifiable_literal(value);
                let result = self.combine(op, Box::new(current), Box::new(rhs), false, rhs_lit, at);
                if !result.ty.compatible(&ty) {
                    self.mismatch(value.span, &result.ty, &ty);
                }
                result
            }
        };
        Some(TStmtKind::Store { place, value })
    }

    /// `a[i] = v` and `a[i] op= v`.
    fn set_index(
        &mut self,
        base: &ast::Expr,
        index: &ast::Expr,
        op: Option<(ast::BinOp, Span)>,
        value: &ast::Expr,
    ) -> Option<TStmtKind> {
        let array = self.value(base, None);
        let index_t = self.value(index, None);
        if !index_t.ty.is_integer() && index_t.ty != Type::Error {
            self.mismatch(index.span, &index_t.ty, &Type::I32);
        }
        let elem = match &array.ty {
            Type::Array(elem) => self.resolve(elem),
            Type::Str => {
                self.diags.push(
                    Diagnostic::new(
                        Code::InvalidAssignTarget,
                        base.span,
                        "Strings are immutable: can't assign to a character",
                    )
                    .with_help("build a new string with `+` instead"),
                );
                self.value(value, None);
                return None;
            }
            Type::Error => {
                self.value(value, None);
                return None;
            }
            other => {
                self.error(
                    Code::OperatorNotSupported,
                    base.span,
                    format!("Indexing is not defined for `{other}`"),
                );
                self.value(value, None);
                return None;
            }
        };
        let value = match op {
            None => Box::new(self.expect_value(value, &elem)),
            Some((op, at)) => {
                let current = TExpr {
                    kind: TExprKind::Int(0),
                    ty: elem.clone(),
                    span: base.span,
                };
                let rhs = self.value(value, Some(&elem));
                let rhs_lit = super::literal::is_stringifiable_literal(value);
                let combined =
                    self.combine(op, Box::new(current), Box::new(rhs), false, rhs_lit, at);
                if !combined.ty.compatible(&elem) {
                    self.mismatch(value.span, &combined.ty, &elem);
                }
                match combined.kind {
                    TExprKind::Binary { rhs, .. } => rhs,
                    _ => return None,
                }
            }
        };
        Some(TStmtKind::SetIndex {
            array: Box::new(array),
            index: Box::new(index_t),
            value,
            op,
        })
    }

    /// `obj.field = v` and `obj.field op= v` (no `mut` needed, spec §5.2).
    fn set_field(
        &mut self,
        base: &ast::Expr,
        name: &ast::Ident,
        op: Option<(ast::BinOp, Span)>,
        value: &ast::Expr,
    ) -> Option<TStmtKind> {
        let obj = self.value(base, None);
        let Some((field, ty)) = self.field_slot(&obj, name) else {
            self.value(value, None);
            return None;
        };
        let value = match op {
            None => Box::new(self.expect_value(value, &ty)),
            Some((op, at)) => {
                let current = TExpr {
                    kind: TExprKind::Int(0),
                    ty: ty.clone(),
                    span: base.span,
                };
                let rhs = self.value(value, Some(&ty));
                let rhs_lit = super::literal::is_stringifiable_literal(value);
                let combined =
                    self.combine(op, Box::new(current), Box::new(rhs), false, rhs_lit, at);
                if !combined.ty.compatible(&ty) {
                    self.mismatch(value.span, &combined.ty, &ty);
                }
                match combined.kind {
                    TExprKind::Binary { rhs, .. } => rhs,
                    _ => return None,
                }
            }
        };
        Some(TStmtKind::SetField {
            obj: Box::new(obj),
            field,
            value,
            op,
        })
    }

    /// `a, b = value`: each name declares (or assigns, if visible) like a plain binding.
    pub(super) fn destructure(
        &mut self,
        names: &[ast::Ident],
        value: &ast::Expr,
    ) -> Option<TStmtKind> {
        let v = self.value(value, None);
        let elem = match &v.ty {
            Type::Array(elem) => (**elem).clone(),
            Type::Error => Type::Error,
            other => {
                let message = format!(
                    "this is a `{other}`, but an array was expected: only arrays can be unpacked \
                     into {} names",
                    names.len()
                );
                self.error(Code::TypeMismatch, value.span, message);
                Type::Error
            }
        };
        // `p, q = e` is `p = e[0]`, `q = e[1]` (spec §5.1): extra elements are ignored, as
        // for an array held in a variable; a literal with too few is certain to fail.
        if let TExprKind::Array(items) = &v.kind {
            if items.len() < names.len() {
                self.error(
                    Code::UnpackCount,
                    value.span,
                    format!(
                        "Expected {} values to unpack but the array has {}",
                        names.len(),
                        items.len()
                    ),
                );
            }
        }
        let mut targets = vec![];
        for name in names {
            let existing = self.assignment_target(name);
            let place = match existing {
                Some(sym) => {
                    let (place, ty) = self.assignable(sym, name)?;
                    if !ty.compatible(&elem) {
                        self.mismatch(name.span, &elem, &ty);
                    }
                    place
                }
                None => self.declare(name, elem.clone(), false, DeclForm::Statement),
            };
            targets.push(place);
        }
        Some(TStmtKind::Destructure {
            value: Box::new(v),
            targets,
        })
    }
}
