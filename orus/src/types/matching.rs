//! `match` statements and expressions, `try`/`catch` and `throw` (spec §13.2–13.4, §14;
//! ARCHITECTURE.md choices 20 and 22).

use super::func::Checker;
use super::typed::*;
use super::Type;
use crate::ast::{self, ArmBody, BinOp, Expr, ExprKind, MatchExpr, Name, Pattern};
use crate::diag::{Code, Diagnostic, Span};

/// What an arm's pattern turned out to be, before its body is checked.
struct CheckedPattern {
    test: ArmTest,
    binds: Vec<(LocalId, u16)>,
    /// For duplicate detection: the variant or the literal value it tests.
    key: Option<ArmKey>,
    is_wildcard: bool,
}

/// What an arm tests, for finding arms that repeat one: two arms with equal keys test the
/// same thing. (A literal's value is kept as it is: making text of every `0 ->` cost more
/// than the rest of checking its arm.)
#[derive(PartialEq, Eq, Hash)]
enum ArmKey {
    /// `Enum.Variant`, as written with the enum's name.
    Variant(String),
    /// The bits of an integer or `bool` literal.
    Int(u64),
    /// The bits of a float literal.
    Float(u64),
    Str(Vec<u8>),
}

/// Matches up to this many arms look for repeated keys by comparing each with the earlier
/// ones, which is cheaper than building a set.
const DIRECT_KEYS_UP_TO: usize = 16;

impl Checker<'_, '_> {
    /// Checks a match's pattern in the arm's (already pushed) scope.
    fn pattern(&mut self, pattern: &Pattern, subject_ty: &Type, temp: LocalId) -> CheckedPattern {
        let none = |test| CheckedPattern {
            test,
            binds: vec![],
            key: None,
            is_wildcard: false,
        };
        let e = match pattern {
            Pattern::Wildcard(_) => {
                return CheckedPattern {
                    test: ArmTest::Any,
                    binds: vec![],
                    key: None,
                    is_wildcard: true,
                }
            }
            Pattern::Expr(e) => e,
        };
        // A subject of unknown type (after an error, or a parameter of a function nobody
        // calls): `E.V(a, b)` still binds `a` and `b`, as payloads of `E.V`, so their uses
        // in the arm mean them and not outer names.
        if *subject_ty == Type::Error {
            if let Some(ty @ Type::Enum(..)) = self.enum_of_pattern(pattern) {
                return self.pattern(pattern, &ty, temp);
            }
            // `Result.Ok(v)`: the payload's type is unknown too.
            if let ExprKind::Call(call) = &e.kind {
                if let ExprKind::Field(field) = &call.callee.kind {
                    if matches!(&field.base.kind, ExprKind::Name(n) if &**n == "Result") {
                        self.bind_unknown_payloads(&call.args);
                        return none(ArmTest::Any);
                    }
                }
            }
        }
        if let Type::Enum(id, ename) = subject_ty {
            // `Enum.Variant` or `Enum.Variant(a, _, c)`.
            let (path, args) = match &e.kind {
                ExprKind::Call(call) => (&call.callee, Some(&call.args)),
                _ => (e, None),
            };
            // `Red ->` for `Color.Red ->` (Rust's `use Color::*` habit): one error, and the
            // arm still counts as that variant, so no missing-variant or duplicate follows.
            if let ExprKind::Name(n) = &path.kind {
                let enum_name = self.enums[*id as usize].name.clone();
                let variant = self.enums[*id as usize].variant(n);
                if let (Some(v), None) = (variant, self.lookup(n)) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UndefinedName,
                            path.span,
                            format!(
                                "Undefined variable '{n}'. Variables must be declared before use."
                            ),
                        )
                        .with_help(format!(
                            "write the variant with its enum: `{enum_name}.{n}`"
                        )),
                    );
                    return CheckedPattern {
                        test: ArmTest::Variant(v as u16),
                        binds: vec![],
                        key: Some(ArmKey::Variant(format!("{enum_name}.{n}"))),
                        is_wildcard: false,
                    };
                }
            }
            if let ExprKind::Field(field) = &path.kind {
                let (base, name) = (&field.base, &field.name);
                // The enum's own name, or any name that denotes it here (`use lib: Color as C`).
                let names_enum = match &base.kind {
                    ExprKind::Name(n) => {
                        **n == *self.enums[*id as usize].name
                            || matches!(self.lookup_type(n), Some(Type::Enum(other, _)) if other == *id)
                    }
                    _ => false,
                };
                if names_enum {
                    let info = &self.enums[*id as usize];
                    let Some(v) = info.variant(&name.name) else {
                        self.error(
                            Code::UnknownMember,
                            name.span,
                            format!("{ename} has no variant '{}'", name.name),
                        );
                        return none(ArmTest::Any);
                    };
                    let payload = &info.variants[v].1.clone();
                    let mut binds = vec![];
                    if let Some(args) = args {
                        if args.len() != payload.len() {
                            self.error(
                                Code::ArityMismatch,
                                e.span,
                                format!(
                                    "Pattern {ename}.{} binds {} values but the variant has {}",
                                    name.name,
                                    args.len(),
                                    payload.len()
                                ),
                            );
                        }
                        for (k, (arg, ty)) in args.iter().zip(payload).enumerate() {
                            match &arg.kind {
                                ExprKind::Name(n) if &**n == "_" => {}
                                ExprKind::Name(n)
                                    if args[..k].iter().any(
                                        |a| matches!(&a.kind, ExprKind::Name(m) if m == n),
                                    ) =>
                                {
                                    self.error(
                                        Code::Redeclared,
                                        arg.span,
                                        format!("'{n}' is bound more than once in this pattern"),
                                    );
                                }
                                ExprKind::Name(n) => {
                                    let at = arg.span.start;
                                    let local = self.declare_local(n, ty.clone(), false, false, at);
                                    binds.push((local, k as u16));
                                }
                                _ => {
                                    self.error(
                                        Code::ExpectedExpression,
                                        arg.span,
                                        "A variant pattern binds names or `_`",
                                    );
                                }
                            }
                        }
                    }
                    return CheckedPattern {
                        test: ArmTest::Variant(v as u16),
                        binds,
                        key: Some(ArmKey::Variant(format!(
                            "{}.{}",
                            self.enums[*id as usize].name, name.name
                        ))),
                        is_wildcard: false,
                    };
                }
            }
        }
        // A variant pattern on a value that is not of that enum: one mismatch, and its
        // bindings declared (as errors) so that the arm does not add "undefined" reports.
        if let Some((enum_name, args)) = self.variant_pattern_of_other_enum(e, subject_ty) {
            self.error(
                Code::TypeMismatch,
                e.span,
                format!(
                    "this pattern is a variant of `{enum_name}`, but the value matched has type `{subject_ty}`"
                ),
            );
            self.bind_unknown_payloads(args);
            return none(ArmTest::Any);
        }
        // Any other pattern is a value compared with `==`.
        let value = self.expect_value(e, subject_ty);
        let key = match &value.kind {
            TExprKind::Int(bits) => Some(ArmKey::Int(*bits)),
            TExprKind::Str(s) => Some(ArmKey::Str(s.clone())),
            TExprKind::Float(f) => Some(ArmKey::Float(f.to_bits())),
            _ => None,
        };
        let subject = TExpr {
            kind: TExprKind::Load(Place::Local(temp)),
            ty: subject_ty.clone(),
            span: e.span,
        };
        let cond = self.combine(
            BinOp::Eq,
            Box::new(subject),
            Box::new(value),
            false,
            false,
            e.span,
        );
        CheckedPattern {
            test: ArmTest::Cond(Box::new(cond)),
            binds: vec![],
            key,
            is_wildcard: false,
        }
    }

    /// Declares the names among a pattern's `args` (not `_`) with no known type, so the
    /// arm's uses of them mean them and report nothing more.
    fn bind_unknown_payloads(&mut self, args: &[Expr]) {
        for arg in args {
            if let ExprKind::Name(n) = &arg.kind {
                if &**n != "_" {
                    self.declare_local(n, Type::Error, false, false, arg.span.start);
                }
            }
        }
    }

    /// The enum type a pattern `E.V` or `E.V(..)` names (a user enum; `Result` patterns
    /// leave the subject to `settle_result`).
    fn enum_of_pattern(&self, pattern: &Pattern) -> Option<Type> {
        let Pattern::Expr(e) = pattern else {
            return None;
        };
        let path = match &e.kind {
            ExprKind::Call(call) => &call.callee,
            _ => e,
        };
        let ExprKind::Field(field) = &path.kind else {
            return None;
        };
        let ExprKind::Name(n) = &field.base.kind else {
            return None;
        };
        match self.lookup_type(n) {
            Some(ty @ Type::Enum(..)) => Some(ty),
            _ => None,
        }
    }

    /// `Enum.Variant(a, b)` naming an enum type when `subject_ty` is not that enum: the
    /// enum's name and the pattern's arguments.
    fn variant_pattern_of_other_enum<'e>(
        &mut self,
        e: &'e Expr,
        subject_ty: &Type,
    ) -> Option<(String, &'e [Expr])> {
        let (callee, args) = match &e.kind {
            ExprKind::Call(call) if *subject_ty != Type::Error => (&call.callee, &call.args[..]),
            _ => return None,
        };
        let ExprKind::Field(field) = &callee.kind else {
            return None;
        };
        let ExprKind::Name(n) = &field.base.kind else {
            return None;
        };
        if self.lookup(n).is_some() {
            return None;
        }
        let named = match self.lookup_type(n) {
            Some(Type::Enum(id, _)) => Some(id),
            None if &**n == "Result" => None,
            _ => return None,
        };
        match (named, subject_ty) {
            (Some(id), Type::Enum(subject, _)) if id == *subject => None,
            (None, Type::Enum(subject, _)) if *self.enums[*subject as usize].name == *"Result" => {
                None
            }
            _ => Some((n.to_string(), args)),
        }
    }

    /// Reports duplicate arms and missing variants.
    fn check_arms(
        &mut self,
        m: &MatchExpr,
        subject_ty: &Type,
        keys: &[(Option<ArmKey>, bool)],
        is_expr: bool,
    ) {
        // A set for a long match (it may have thousands of literal arms); a short one
        // compares each key with the earlier ones.
        let direct = keys.len() <= DIRECT_KEYS_UP_TO;
        let mut seen: crate::hash::FastSet<&ArmKey> = Default::default();
        let mut wildcard_seen = false;
        for (i, ((key, wildcard), arm)) in keys.iter().zip(&m.arms).enumerate() {
            if *wildcard {
                if wildcard_seen {
                    self.error(
                        Code::DuplicateArm,
                        arm.span,
                        "The `_` arm appears more than once; only the first can match",
                    );
                }
                wildcard_seen = true;
            }
            if let Some(k) = key {
                let repeated = if direct {
                    keys[..i]
                        .iter()
                        .any(|(earlier, _)| earlier.as_ref() == Some(k))
                } else {
                    !seen.insert(k)
                };
                if repeated {
                    let what = match k {
                        ArmKey::Variant(name) => name.clone(),
                        _ => "This pattern".to_string(),
                    };
                    self.error(
                        Code::DuplicateArm,
                        arm.span,
                        format!("{what} arm appears more than once"),
                    );
                }
            }
        }
        let has_wildcard = keys.iter().any(|(_, w)| *w);
        if has_wildcard {
            return;
        }
        let any_variant = keys
            .iter()
            .any(|(k, _)| matches!(k, Some(ArmKey::Variant(_))));
        match subject_ty {
            // Only arms that name variants make an enum match exhaustive (spec §13.2); a
            // statement whose arms are all values compared with `==` may match nothing.
            Type::Enum(_, ename) if !any_variant && is_expr => {
                self.error(
                    Code::NonExhaustiveMatch,
                    m.span,
                    format!(
                        "A match expression on `{ename}` needs a `_` arm or an arm for every \
                         variant"
                    ),
                );
            }
            Type::Enum(..) if !any_variant => {}
            Type::Enum(id, ename) => {
                let missing: Vec<String> = self.enums[*id as usize]
                    .variants
                    .iter()
                    .filter(|(n, _)| {
                        let key = ArmKey::Variant(format!("{}.{n}", self.enums[*id as usize].name));
                        let seen_here = if direct {
                            keys.iter().any(|(k, _)| k.as_ref() == Some(&key))
                        } else {
                            seen.contains(&key)
                        };
                        !seen_here
                    })
                    .map(|(n, _)| n.clone())
                    .collect();
                if !missing.is_empty() {
                    self.error(
                        Code::NonExhaustiveMatch,
                        m.span,
                        format!(
                            "Match on {ename} is missing variant: {}",
                            missing.join(", ")
                        ),
                    );
                }
            }
            Type::Error => {}
            other if is_expr => {
                self.error(
                    Code::NonExhaustiveMatch,
                    m.span,
                    format!("A match expression on `{other}` needs a `_` arm"),
                );
            }
            _ => {}
        }
    }

    /// The hidden local holding the subject.
    fn match_subject(&mut self, m: &MatchExpr) -> (TExpr, LocalId) {
        let mut subject = self.value(&m.subject, None);
        if matches!(subject.ty, Type::Hole(_)) {
            // An unannotated parameter matched against `E.A(..)` is an `E` (choice 31).
            if let Some(ty) = m.arms.iter().find_map(|a| self.enum_of_pattern(&a.pattern)) {
                self.unify(&subject.ty, &ty);
            }
        }
        subject.ty = self.settle_result(&subject.ty);
        let at = m.span.start;
        let name = self.match_name.clone();
        let temp = self.declare_local(&name, subject.ty.clone(), false, false, at);
        (subject, temp)
    }

    pub(super) fn match_stmt(&mut self, m: &MatchExpr) -> TStmtKind {
        self.cx.open_scope();
        let (subject, temp) = self.match_subject(m);
        let mut arms = Vec::with_capacity(m.arms.len());
        let mut keys = Vec::with_capacity(m.arms.len());
        for arm in &m.arms {
            self.cx.open_scope();
            let p = self.pattern(&arm.pattern, &subject.ty, temp);
            let body = match &arm.body {
                // The arm's bindings and its body share a scope (like a loop variable).
                ArmBody::Block(b) => self.block_stmts(&b.stmts),
                ArmBody::Expr(e) => vec![TStmt {
                    kind: TStmtKind::Expr(self.expr(e, None)),
                    span: e.span,
                }],
            };
            self.cx.close_scope();
            keys.push((p.key, p.is_wildcard));
            arms.push(TArm {
                test: p.test,
                binds: p.binds,
                body,
            });
        }
        self.cx.close_scope();
        self.check_arms(m, &subject.ty, &keys, false);
        TStmtKind::Match(Box::new(TMatch {
            subject,
            temp,
            arms,
        }))
    }

    #[inline(never)]
    pub(super) fn match_expr(
        &mut self,
        m: &MatchExpr,
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        self.cx.open_scope();
        let (subject, temp) = self.match_subject(m);
        let mut arms = Vec::with_capacity(m.arms.len());
        let mut keys = Vec::with_capacity(m.arms.len());
        let mut result_ty: Option<Type> = expected.cloned();
        for arm in &m.arms {
            self.cx.open_scope();
            let p = self.pattern(&arm.pattern, &subject.ty, temp);
            let value = match &arm.body {
                ArmBody::Expr(e) => match &result_ty {
                    Some(t) => self.expect_value(e, &t.clone()),
                    None => {
                        let v = self.value(e, None);
                        result_ty = Some(v.ty.clone());
                        v
                    }
                },
                ArmBody::Block(b) => {
                    self.error(
                        Code::ExpectedExpression,
                        b.span,
                        "A match expression's arms must be expressions on one line",
                    );
                    self.poisoned_expr(b.span)
                }
            };
            self.cx.close_scope();
            keys.push((p.key, p.is_wildcard));
            arms.push(TArm {
                test: p.test,
                binds: p.binds,
                body: value,
            });
        }
        self.cx.close_scope();
        self.check_arms(m, &subject.ty, &keys, true);
        TExpr {
            kind: TExprKind::Match(Box::new(TMatch {
                subject,
                temp,
                arms,
            })),
            ty: result_ty.unwrap_or(Type::Error),
            span,
        }
    }

    pub(super) fn try_stmt(
        &mut self,
        body: &ast::Block,
        catch_name: Option<&ast::Ident>,
        handler: &ast::Block,
    ) -> TStmtKind {
        let body = self.scoped_block(&body.stmts);
        self.cx.open_scope();
        let (name, at) = match catch_name {
            Some(n) => (n.name.clone(), n.span.start),
            None => (Name::from("<error>"), super::scope::NO_PLACE),
        };
        let error_local = self.declare_local(&name, Type::ErrorValue, false, false, at);
        let handler = self.block_stmts(&handler.stmts);
        self.cx.close_scope();
        TStmtKind::Try {
            body,
            error_local,
            handler,
        }
    }

    pub(super) fn throw_stmt(&mut self, value: &Expr) -> Option<TStmtKind> {
        let v = self.value(value, Some(&Type::Str));
        match v.ty {
            Type::Str | Type::ErrorValue => Some(TStmtKind::Throw(v)),
            Type::Error => None,
            other => {
                self.mismatch(value.span, &other, &Type::ErrorValue);
                if let Some(last) = self.diags.last_mut() {
                    last.help = Some(
                        "`throw` takes a message, `throw \"something went wrong\"`, or an error \
                         caught with `catch e`"
                            .into(),
                    );
                }
                None
            }
        }
    }
}
