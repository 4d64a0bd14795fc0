//! Structs, enums and methods: declaring them, literals, field access, method calls and
//! enum constructors (spec §12, §13.1; ARCHITECTURE.md choices 18–19).

use super::defaults::DefaultEdge;
use super::func::Checker;
use super::scope::{closest, member_guess_limit};
use super::typed::*;
use super::{Type, TypeName};
use crate::ast::{self, Expr, ExprKind, StmtKind};
use crate::diag::{Code, Diagnostic, Span};
use crate::hash::{FastMap as HashMap, FastSet as HashSet};
use std::sync::Arc;

/// A declared struct.
pub(super) struct StructInfo<'a> {
    pub name: TypeName,
    pub fields: Vec<FieldInfo<'a>>,
    /// Methods: name, function entry, whether the first parameter is `self`.
    pub methods: Vec<(String, usize, bool)>,
    pub decl: Option<&'a ast::StructDecl>,
    /// Field positions by name, for structs with many fields ([`member_index`]).
    pub index: Option<HashMap<String, usize>>,
    /// Method positions by name, once there are many methods.
    pub method_index: Option<HashMap<String, usize>>,
}

pub(super) struct FieldInfo<'a> {
    pub name: String,
    pub ty: Type,
    pub default: Option<&'a Expr>,
    /// The function that evaluates `default` (reserved when the struct is declared,
    /// checked where the declaration stands): literals that omit the field call it.
    pub default_fn: Option<FuncId>,
}

/// A declared enum.
pub(super) struct EnumInfo {
    pub name: TypeName,
    pub variants: Vec<(String, Vec<Type>)>,
    /// Variant positions by name, for enums with many variants ([`member_index`]).
    pub index: Option<HashMap<String, usize>>,
}

/// E2013 for `name`, unknown among `candidates` (a struct's fields or methods, an enum's
/// variants), with a did-you-mean when one is close.
fn unknown_member<'c>(
    span: Span,
    message: String,
    name: &str,
    candidates: impl Iterator<Item = &'c str>,
) -> Diagnostic {
    let diag = Diagnostic::new(Code::UnknownMember, span, message);
    match closest(name, candidates, member_guess_limit(name)) {
        Some(c) => diag.with_help(format!("did you mean `{c}`?")),
        None => diag,
    }
}

/// Most members (fields, variants) a declaration has before its lookups use a hash map.
const LINEAR_MEMBERS: usize = 16;

/// A name-to-position map of a declaration's members when it has many: looking members
/// up by a scan would make a literal or a `match` over all of them quadratic.
fn member_index<'n>(
    names: impl ExactSizeIterator<Item = &'n str>,
) -> Option<HashMap<String, usize>> {
    (names.len() > LINEAR_MEMBERS)
        .then(|| names.enumerate().map(|(i, n)| (n.to_string(), i)).collect())
}

/// Most variants an enum may have: a variant's tag is a `u16` in the bytecode.
const MAX_VARIANTS: usize = 1 << 16;

impl StructInfo<'_> {
    /// The function entry of method `name`, and whether it takes `self`.
    pub fn method(&self, name: &str) -> Option<(usize, bool)> {
        let at = match &self.method_index {
            Some(index) => index.get(name).copied(),
            None => self.methods.iter().position(|(n, _, _)| n == name),
        }?;
        let (_, entry, is_instance) = self.methods[at];
        Some((entry, is_instance))
    }

    /// Adds a method (its name is new).
    fn add_method(&mut self, name: String, entry: usize, is_instance: bool) {
        if let Some(index) = &mut self.method_index {
            index.insert(name.clone(), self.methods.len());
        }
        self.methods.push((name, entry, is_instance));
        if self.method_index.is_none() {
            self.method_index = member_index(self.methods.iter().map(|m| m.0.as_str()));
        }
    }

    /// The position of field `name`.
    pub fn field(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.fields.iter().position(|f| f.name == name),
        }
    }

    pub fn def(&self) -> StructDef {
        StructDef {
            name: String::from(&*self.name),
            fields: self
                .fields
                .iter()
                .map(|f| (Arc::from(f.name.as_str()), f.ty.clone()))
                .collect(),
        }
    }
}

impl EnumInfo {
    /// The position of variant `name`.
    pub fn variant(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.variants.iter().position(|(n, _)| n == name),
        }
    }

    pub fn def(&self) -> EnumDef {
        EnumDef {
            name: String::from(&*self.name),
            variants: self.variants.clone(),
        }
    }
}

/// The enum id that stands for the built-in `Result` before its payload type is known.
const BUILTIN_RESULT: u32 = u32::MAX;

/// What `Name.member` names when `Name` is a type.
enum TypeMember {
    Variant(u32, u16),
    Method(usize, bool),
}

impl<'a> Checker<'a, '_> {
    /// Registers every top-level struct and enum, then their fields, payloads and impls, so
    /// types may refer to each other in any order (decision D2).
    pub(super) fn declare_types(&mut self, stmts: &'a [ast::Stmt]) {
        // Room for the module's types at once, instead of growing table by table.
        let structs = stmts
            .iter()
            .filter(|s| matches!(s.kind, StmtKind::Struct(_)))
            .count();
        let enums = stmts
            .iter()
            .filter(|s| matches!(s.kind, StmtKind::Enum(_)))
            .count();
        self.type_names.reserve(structs + enums);
        self.structs.reserve(structs);
        self.enums.reserve(enums);
        for stmt in stmts {
            let (name, is_struct) = match &stmt.kind {
                StmtKind::Struct(s) => (&s.name, true),
                StmtKind::Enum(e) => (&e.name, false),
                _ => continue,
            };
            if self.type_names.contains_key(&*name.name) || Type::from_name(&name.name).is_some() {
                self.error(
                    Code::Redeclared,
                    name.span,
                    format!("Type '{}' is already defined", name.name),
                );
                continue;
            }
            let rc = TypeName::new(&name.name);
            let ty = if is_struct {
                self.structs.push(StructInfo {
                    name: rc.clone(),
                    fields: vec![],
                    methods: vec![],
                    decl: None,
                    index: None,
                    method_index: None,
                });
                Type::Struct(self.structs.len() as u32 - 1, rc)
            } else {
                self.enums.push(EnumInfo {
                    name: rc.clone(),
                    variants: vec![],
                    index: None,
                });
                Type::Enum(self.enums.len() as u32 - 1, rc)
            };
            self.type_names.insert(String::from(&*name.name), ty);
        }
    }

    /// Resolves the field types of the module's structs and the payload types of its
    /// enums. Runs after `declare_types` and after the module's imports are bound, so a
    /// field may have an imported type.
    pub(super) fn define_types(&mut self, stmts: &'a [ast::Stmt]) {
        for stmt in stmts {
            match &stmt.kind {
                StmtKind::Struct(decl) => {
                    let Some(Type::Struct(id, _)) = self.type_names.get(&*decl.name.name).cloned()
                    else {
                        continue;
                    };
                    if self.structs[id as usize].decl.is_some() {
                        continue;
                    }
                    let mut fields: Vec<FieldInfo<'a>> = vec![];
                    let mut seen: HashSet<&str> = HashSet::default();
                    for f in &decl.fields {
                        if !seen.insert(&f.name.name) {
                            self.error(
                                Code::Redeclared,
                                f.name.span,
                                format!("Field '{}' is already defined", f.name.name),
                            );
                            continue;
                        }
                        let ty = self.resolve_type(&f.ty);
                        let default_fn = f.default.as_ref().map(|_| {
                            self.functions.push(None);
                            self.functions.len() - 1
                        });
                        fields.push(FieldInfo {
                            name: String::from(&*f.name.name),
                            ty,
                            default: f.default.as_ref(),
                            default_fn,
                        });
                    }
                    let info = &mut self.structs[id as usize];
                    info.index = member_index(fields.iter().map(|f| f.name.as_str()));
                    info.fields = fields;
                    info.decl = Some(decl);
                }
                StmtKind::Enum(decl) => {
                    let Some(Type::Enum(id, _)) = self.type_names.get(&*decl.name.name).cloned()
                    else {
                        continue;
                    };
                    if !self.enums[id as usize].variants.is_empty() {
                        continue;
                    }
                    let mut variants: Vec<(String, Vec<Type>)> = vec![];
                    let mut seen: HashSet<&str> = HashSet::default();
                    for v in &decl.variants {
                        if !seen.insert(&v.name.name) {
                            self.error(
                                Code::Redeclared,
                                v.name.span,
                                format!("Variant '{}' is already defined", v.name.name),
                            );
                            continue;
                        }
                        let payload = v.fields.iter().map(|(_, t)| self.resolve_type(t)).collect();
                        variants.push((String::from(&*v.name.name), payload));
                        if variants.len() == MAX_VARIANTS + 1 {
                            // Tags are 16 bits in the bytecode: never alias two variants.
                            self.error(
                                Code::Internal,
                                v.name.span,
                                format!(
                                    "enum '{}' has more than {MAX_VARIANTS} variants, an \
                                     implementation limit",
                                    decl.name.name
                                ),
                            );
                        }
                    }
                    let info = &mut self.enums[id as usize];
                    info.index = member_index(variants.iter().map(|(n, _)| n.as_str()));
                    info.variants = variants;
                }
                _ => {}
            }
        }
    }

    /// Registers the methods of a top-level `impl` (after `declare_types`, in the pre-pass,
    /// so methods see the top-level variables declared above the impl).
    pub(super) fn declare_impl(&mut self, imp: &'a ast::ImplDecl) {
        {
            let id = match self.type_names.get(&*imp.type_name.name) {
                Some(Type::Struct(id, _)) => *id as usize,
                _ if matches!(
                    self.lookup_type(&imp.type_name.name),
                    Some(Type::Struct(..))
                ) =>
                {
                    // Methods live with their struct: an importer cannot add any.
                    let name = &imp.type_name.name;
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownType,
                            imp.type_name.span,
                            format!(
                                "`{name}` is imported: methods can only be added in the module \
                                 that declares the struct"
                            ),
                        )
                        .with_help(format!(
                            "add the method to that module's `impl {name}`, or write a function \
                             that takes the struct"
                        )),
                    );
                    return;
                }
                Some(Type::Enum(..)) => {
                    let name = &imp.type_name.name;
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownType,
                            imp.type_name.span,
                            format!("`impl` adds methods to structs, and `{name}` is an enum"),
                        )
                        .with_help(format!(
                            "write functions that take the enum instead, like `fn describe(v: {name}) -> string:` with a `match` on `v`"
                        )),
                    );
                    return;
                }
                _ => {
                    let mut diag = Diagnostic::new(
                        Code::UnknownType,
                        imp.type_name.span,
                        format!(
                            "this is a `{}`, but `struct` was expected",
                            imp.type_name.name
                        ),
                    );
                    if let Some(close) = self.suggest_type(&imp.type_name.name) {
                        diag = diag.with_help(format!("did you mean `{close}`?"));
                    }
                    self.diags.push(diag);
                    return;
                }
            };
            let self_ty = self.type_names[&*imp.type_name.name].clone();
            for method in &imp.methods {
                let Some(name) = &method.name else { continue };
                if self.structs[id].method(&name.name).is_some() {
                    self.error(
                        Code::Redeclared,
                        name.span,
                        format!("Method '{}' is already defined", name.name),
                    );
                    continue;
                }
                let is_instance = method
                    .params
                    .first()
                    .is_some_and(|p| &*p.name.name == "self");
                let entry = self.register_fn(method, self.top_vars.len());
                self.fns[entry].owner = Some(TypeName::new(&imp.type_name.name));
                if is_instance && method.params[0].ty.is_none() {
                    self.fns[entry].params = self.fns[entry].params.with_first(self_ty.clone());
                }
                self.structs[id].add_method(String::from(&*name.name), entry, is_instance);
            }
        }
    }

    /// Checks the bodies of an impl's methods (at the impl's place in the file).
    pub(super) fn check_impl(&mut self, imp: &ast::ImplDecl) {
        let Some(Type::Struct(id, _)) = self.type_names.get(&*imp.type_name.name).cloned() else {
            return;
        };
        let entries: Vec<usize> = self.structs[id as usize]
            .methods
            .iter()
            .map(|m| m.1)
            .collect();
        for entry in entries {
            if !self.check_last.contains(&entry) {
                self.check_declared(entry);
            }
        }
    }

    fn type_member(&mut self, ty: &Type, member: &ast::Ident) -> Option<TypeMember> {
        match ty {
            Type::Enum(BUILTIN_RESULT, _) => None,
            Type::Enum(id, name) => {
                let found = self.enums[*id as usize].variant(&member.name);
                match found {
                    // Past the limit the declaration was reported; the program never runs.
                    Some(v) => Some(TypeMember::Variant(*id, u16::try_from(v).unwrap_or(0))),
                    None => {
                        let diag = unknown_member(
                            member.span,
                            format!("{name} has no variant '{}'", member.name),
                            &member.name,
                            self.enums[*id as usize]
                                .variants
                                .iter()
                                .map(|v| v.0.as_str()),
                        );
                        self.diags.push(diag);
                        None
                    }
                }
            }
            Type::Struct(id, name) => {
                let found = self.structs[*id as usize].method(&member.name);
                match found {
                    Some((e, inst)) => Some(TypeMember::Method(e, inst)),
                    None => {
                        let diag = unknown_member(
                            member.span,
                            format!("{name} has no method '{}'", member.name),
                            &member.name,
                            self.structs[*id as usize]
                                .methods
                                .iter()
                                .map(|m| m.0.as_str()),
                        );
                        self.diags.push(diag);
                        None
                    }
                }
            }
            _ => None,
        }
    }

    /// The type a bare name denotes, if it is a type name and not a variable. The built-in
    /// `Result` (when not declared by the program) is `Type::Enum(BUILTIN_RESULT, ..)`.
    fn type_named(&mut self, e: &Expr) -> Option<Type> {
        let ExprKind::Name(name) = &e.kind else {
            return None;
        };
        // A variable of the function's own scopes (`p.x`, the common case) hides any type
        // of that name; `lookup` would find it first, with no other effect. Known without
        // hashing the name into the type tables.
        if self.cx.scopes.iter().rev().any(|s| s.get(name).is_some()) {
            return None;
        }
        let ty = match self.lookup_type(name) {
            Some(t) => t,
            None if &**name == "Result" => Type::Enum(BUILTIN_RESULT, TypeName::new("Result")),
            None => return None,
        };
        if self.lookup(name).is_some() {
            return None;
        }
        Some(ty)
    }

    /// The built-in `Result` enum whose `Ok` payload has type `ok` (one enum per payload
    /// type, all named `Result`): `Ok(ok)`, `Err(string)`.
    pub(super) fn result_enum(&mut self, ok: &Type) -> Type {
        // The instance is chosen by its payload type now: an open `Result` payload
        // (`Result.Ok(Result.Err(m))`) is settled first, so it cannot change later.
        let ok = &self.settle_result(ok);
        // Diagnostics name the payload (`Result<i32>`), so that two instances never read
        // as the same type; the enum itself (and so a printed value) is plain `Result`.
        if let Some((_, id, name)) = self.result_instances.iter().find(|(t, ..)| t == ok) {
            return Type::Enum(*id, name.clone());
        }
        let name = TypeName::new(&format!("Result<{ok}>"));
        self.enums.push(EnumInfo {
            name: TypeName::new("Result"),
            variants: vec![
                ("Ok".to_string(), vec![ok.clone()]),
                ("Err".to_string(), vec![Type::Str]),
            ],
            index: None,
        });
        let id = self.enums.len() as u32 - 1;
        self.result_instances.push((ok.clone(), id, name.clone()));
        Type::Enum(id, name)
    }

    /// `Result.Ok(value)` / `Result.Err(message)` of the built-in `Result`.
    /// With an expected `Result` type, `Ok` checks its value against that type's payload and
    /// `Err` takes that type; without one, `Ok(v)` is the `Result` of `v`'s type and
    /// `Err` a `Result` whose `Ok` type the context fixes later (a result hole).
    fn builtin_result(
        &mut self,
        name: &ast::Ident,
        args: Option<&[Expr]>,
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        let expected = expected
            .map(|t| self.resolve(t))
            .filter(|t| self.is_result(t));
        let arity_error = |this: &mut Self, given: usize| {
            this.error(
                Code::ArityMismatch,
                span,
                format!(
                    "Function '{}' expects 1 argument but received {given} argument{}",
                    name.name,
                    if given == 1 { "" } else { "s" }
                ),
            );
            this.poisoned_expr(span)
        };
        match (&*name.name, args) {
            ("Ok" | "Err", None) => {
                self.error(
                    Code::ArityMismatch,
                    span,
                    format!("Enum variant '{}' expects 1 argument", name.name),
                );
                self.poisoned_expr(span)
            }
            ("Ok" | "Err", Some(args)) if args.len() != 1 => {
                for a in args {
                    self.value(a, None);
                }
                arity_error(self, args.len())
            }
            ("Ok", Some(args)) => {
                let payload = match &expected {
                    Some(Type::Enum(id, _)) => self.enums[*id as usize]
                        .variants
                        .first()
                        .and_then(|(_, payload)| payload.first())
                        .cloned(),
                    _ => None,
                };
                let v = match &payload {
                    Some(p) => self.expect_value(&args[0], p),
                    None => self.value(&args[0], None),
                };
                if v.ty == Type::Error {
                    return self.poisoned_expr(span);
                }
                // With an expected type, a wrong payload was reported at the value: the
                // constructor still has the expected type, so it is reported once.
                let ty = match expected {
                    Some(t @ Type::Enum(..)) => t,
                    // An open result hole is bound by the caller's check against it.
                    _ => self.result_enum(&v.ty),
                };
                let Type::Enum(id, _) = ty else {
                    unreachable!()
                };
                TExpr {
                    kind: TExprKind::NewEnum {
                        id,
                        variant: 0,
                        payload: Box::new([v]),
                    },
                    ty,
                    span,
                }
            }
            ("Err", Some(args)) => {
                let v = self.expect_value(&args[0], &Type::Str);
                // Without an expected type the node's enum is a placeholder: the type is a
                // result hole, and `resolve_all` sets the enum of the type it resolves to.
                let (id, ty) = match expected {
                    Some(Type::Enum(id, name)) => (id, Type::Enum(id, name)),
                    Some(hole @ Type::Hole(_)) => {
                        let Type::Enum(id, _) = self.result_enum(&Type::I32) else {
                            unreachable!()
                        };
                        (id, hole)
                    }
                    _ => {
                        let Type::Enum(id, _) = self.result_enum(&Type::I32) else {
                            unreachable!()
                        };
                        (id, self.new_result_hole())
                    }
                };
                TExpr {
                    kind: TExprKind::NewEnum {
                        id,
                        variant: 1,
                        payload: Box::new([v]),
                    },
                    ty,
                    span,
                }
            }
            _ => {
                self.error(
                    Code::UnknownMember,
                    name.span,
                    format!("Result has no variant '{}'", name.name),
                );
                self.poisoned_expr(span)
            }
        }
    }

    /// `Name{ field: value, … }`; an omitted field with a default calls its default's
    /// function (`defaults.rs`).
    #[inline(never)]
    pub(super) fn struct_literal(
        &mut self,
        name: &ast::Ident,
        given: &[(ast::Ident, Expr)],
        span: Span,
    ) -> TExpr {
        let Some(Type::Struct(id, sname)) = self.lookup_type(&name.name) else {
            let message = match self.lookup_type(&name.name) {
                Some(other) => format!("`{other}` is not a struct, so it has no literal"),
                None => format!("Unknown struct '{}'", name.name),
            };
            let mut diag = Diagnostic::new(Code::UnknownType, name.span, message);
            if let Some(close) = self.suggest_type(&name.name) {
                diag = diag.with_help(format!("did you mean `{close}`?"));
            } else if self.lookup_type(&name.name).is_none() {
                diag = diag.with_help(format!(
                    "declare it first: `struct {}:` with one indented `field: type` line per field",
                    name.name
                ));
            }
            self.diags.push(diag);
            for (_, e) in given {
                self.value(e, None);
            }
            return self.poisoned_expr(span);
        };
        let info_fields: Vec<(String, Type, Option<FuncId>)> = self.structs[id as usize]
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone(), f.default_fn))
            .collect();
        let mut values: Vec<Option<TExpr>> = vec![None; info_fields.len()];
        let mut ok = true;
        // Fields the literal does not give: candidates for a misspelt name, listed when
        // the first unknown name needs them (listing them for every literal took time
        // quadratic in the number of fields).
        let mut unnamed: Option<Vec<&str>> = None;
        let list_unnamed = || {
            let named: crate::hash::FastSet<&str> = given.iter().map(|(g, _)| &*g.name).collect();
            info_fields
                .iter()
                .map(|(f, _, _)| f.as_str())
                .filter(|f| !named.contains(f))
                .collect::<Vec<&str>>()
        };
        let mut misspelt = 0;
        for (fname, e) in given {
            match self.structs[id as usize].field(&fname.name) {
                Some(k) if values[k].is_none() => {
                    values[k] = Some(self.expect_value(e, &info_fields[k].1));
                }
                Some(_) => {
                    self.error(
                        Code::Redeclared,
                        fname.span,
                        format!("Field '{}' is given more than once", fname.name),
                    );
                    ok = false;
                }
                None => {
                    let mut diag = Diagnostic::new(
                        Code::UnknownMember,
                        fname.span,
                        format!("{sname} has no field '{}'", fname.name),
                    );
                    let limit = (fname.name.len() / 3).max(1);
                    let unnamed = unnamed.get_or_insert_with(list_unnamed);
                    if let Some(close) = closest(&fname.name, unnamed.iter().copied(), limit) {
                        diag = diag.with_help(format!("did you mean `{close}`?"));
                        misspelt += 1;
                    }
                    self.diags.push(diag);
                    self.value(e, None);
                    ok = false;
                }
            }
        }
        let mut fields = Vec::with_capacity(values.len());
        for (k, slot) in values.into_iter().enumerate() {
            match slot {
                Some(v) => fields.push(v),
                None => match info_fields[k].2 {
                    Some(func) => {
                        if let Some(from) = self.checking_default {
                            self.default_edges.push(DefaultEdge {
                                from,
                                to: (id, k),
                                span,
                                file: self.file,
                            });
                        }
                        fields.push(TExpr {
                            kind: TExprKind::Call {
                                func,
                                args: Box::new([]),
                            },
                            ty: info_fields[k].1.clone(),
                            span,
                        });
                    }
                    // A misspelt field was reported with its likely name: the missing
                    // one is that same mistake, not a second one.
                    None if misspelt > 0 => ok = false,
                    None => {
                        self.error(
                            Code::MissingField,
                            span,
                            format!("Missing field '{}' in {sname} literal", info_fields[k].0),
                        );
                        ok = false;
                    }
                },
            }
        }
        if !ok {
            return self.poisoned_expr(span);
        }
        TExpr {
            kind: TExprKind::NewStruct {
                id,
                fields: fields.into_boxed_slice(),
            },
            ty: Type::Struct(id, sname),
            span,
        }
    }

    /// `base.name` in value position: a field, or a payload-less enum variant.
    #[inline(never)]
    pub(super) fn field(&mut self, base: &Expr, name: &ast::Ident, span: Span) -> TExpr {
        if let Some(ty) = self.type_named(base) {
            if let Type::Enum(BUILTIN_RESULT, _) = ty {
                return self.builtin_result(name, None, None, span);
            }
            return match self.type_member(&ty, name) {
                Some(TypeMember::Variant(id, v)) => self.construct(id, v, None, span),
                // `P.mk` is the function itself, like a top-level function's name; for a
                // method with `self`, the object is its first parameter (`P.get(p)`).
                Some(TypeMember::Method(entry, _)) => self.function_value(entry, None, span),
                None => self.poisoned_expr(span),
            };
        }
        let obj = self.value(base, None);
        match &obj.ty {
            Type::Struct(id, sname) => {
                let found = self.structs[*id as usize]
                    .fields
                    .iter()
                    .position(|f| f.name == *name.name);
                match found {
                    Some(k) => {
                        let ty = self.structs[*id as usize].fields[k].ty.clone();
                        TExpr {
                            kind: TExprKind::GetField {
                                obj: Box::new(obj),
                                field: k as u16,
                            },
                            ty,
                            span,
                        }
                    }
                    None => {
                        let info = &self.structs[*id as usize];
                        let diag = if info.method(&name.name).is_some() {
                            // `p.get` without a call: a method bound to its object is not a
                            // value; the type's method is, with the object passed first.
                            Diagnostic::new(
                                Code::UnknownMember,
                                name.span,
                                format!(
                                    "'{}' is a method of {sname}, not a field: call it, like `.{}()`",
                                    name.name, name.name
                                ),
                            )
                            .with_help(format!(
                                "to pass the method around, use `{sname}.{}`, which takes the object as its first argument",
                                name.name
                            ))
                        } else {
                            unknown_member(
                                name.span,
                                format!("{sname} has no field '{}'", name.name),
                                &name.name,
                                info.fields.iter().map(|f| f.name.as_str()),
                            )
                        };
                        self.diags.push(diag);
                        self.poisoned_expr(span)
                    }
                }
            }
            Type::Error => self.poisoned_expr(span),
            other => {
                self.error(
                    Code::UnknownMember,
                    name.span,
                    format!("`{other}` has no field '{}'", name.name),
                );
                self.poisoned_expr(span)
            }
        }
    }

    /// The field index and type of `obj.name` for an assignment.
    pub(super) fn field_slot(&mut self, obj: &TExpr, name: &ast::Ident) -> Option<(u16, Type)> {
        match &obj.ty {
            Type::Struct(id, sname) => {
                let info = &self.structs[*id as usize];
                match info.field(&name.name) {
                    Some(k) => Some((k as u16, info.fields[k].ty.clone())),
                    None => {
                        let diag = unknown_member(
                            name.span,
                            format!("{sname} has no field '{}'", name.name),
                            &name.name,
                            info.fields.iter().map(|f| f.name.as_str()),
                        );
                        self.diags.push(diag);
                        None
                    }
                }
            }
            Type::Error => None,
            other => {
                let msg = format!("`{other}` has no field '{}'", name.name);
                self.error(Code::UnknownMember, name.span, msg);
                None
            }
        }
    }

    /// Builds an enum value, checking the payload against the variant.
    fn construct(&mut self, id: u32, variant: u16, args: Option<&[Expr]>, span: Span) -> TExpr {
        let (vname, payload_types) = self.enums[id as usize].variants[variant as usize].clone();
        let ename = self.enums[id as usize].name.clone();
        let given = args.map_or(0, <[Expr]>::len);
        if given != payload_types.len() {
            let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
            let message = match args {
                None => format!(
                    "Enum variant '{vname}' expects {} {}",
                    payload_types.len(),
                    plural(payload_types.len())
                ),
                Some(_) => format!(
                    "Function '{vname}' expects {} {} but received {given} {}",
                    payload_types.len(),
                    plural(payload_types.len()),
                    plural(given)
                ),
            };
            self.error(Code::ArityMismatch, span, message);
            for a in args.unwrap_or_default() {
                self.value(a, None);
            }
            return self.poisoned_expr(span);
        }
        let payload = args
            .unwrap_or_default()
            .iter()
            .zip(&payload_types)
            .map(|(a, t)| self.expect_value(a, t))
            .collect();
        TExpr {
            kind: TExprKind::NewEnum {
                id,
                variant,
                payload,
            },
            ty: Type::Enum(id, ename),
            span,
        }
    }

    /// `base.name(args)`: an enum constructor, a static method, an instance method, or a
    /// call of a function-valued field. `None` when `base.name` is none of these and the
    /// caller should treat the callee as an ordinary expression.
    pub(super) fn member_call(
        &mut self,
        base: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        expected: Option<&Type>,
        span: Span,
    ) -> Option<TExpr> {
        if let Some(ty) = self.type_named(base) {
            if let Type::Enum(BUILTIN_RESULT, _) = ty {
                return Some(self.builtin_result(name, Some(args), expected, span));
            }
            return Some(match self.type_member(&ty, name) {
                Some(TypeMember::Variant(id, v)) => self.construct(id, v, Some(args), span),
                Some(TypeMember::Method(_, true)) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::ArityMismatch,
                            span,
                            format!(
                                "Method '{}' takes `self`: call it on a value, like `value.{}(…)`",
                                name.name, name.name
                            ),
                        )
                        .with_help("make a value of the struct first, then call the method on it"),
                    );
                    for a in args {
                        self.value(a, None);
                    }
                    self.poisoned_expr(span)
                }
                Some(TypeMember::Method(entry, false)) => {
                    self.call_entry(entry, &name.name, None, args, span)
                }
                None => {
                    for a in args {
                        self.value(a, None);
                    }
                    self.poisoned_expr(span)
                }
            });
        }
        let obj = self.value(base, None);
        let Type::Struct(id, sname) = obj.ty.clone() else {
            if obj.ty == Type::Error {
                for a in args {
                    self.value(a, None);
                }
                return Some(self.poisoned_expr(span));
            }
            let mut diag = Diagnostic::new(
                Code::UnknownMember,
                name.span,
                format!("`{}` has no method '{}'", obj.ty, name.name),
            );
            // `xs.push(v)` from Python or Rust habits: the built-ins take the value first.
            // Other languages' names for them (`append`, `length`) lead to them too.
            let builtin = match &*name.name {
                "len" | "push" | "pop" => Some(&*name.name),
                "append" | "add" | "push_back" | "insert" => Some("push"),
                "length" | "size" | "count" => Some("len"),
                "pop_back" | "remove_last" => Some("pop"),
                _ => None,
            };
            if let Some(builtin) = builtin {
                let rest = if builtin == "push" { ", ..." } else { "" };
                let what = if builtin == &*name.name {
                    format!("`{builtin}` is a built-in function")
                } else {
                    format!(
                        "Orus has no methods on built-in types; the built-in `{builtin}` does this"
                    )
                };
                diag = diag.with_help(format!("{what}: write `{builtin}(value{rest})`"));
            }
            self.diags.push(diag);
            for a in args {
                self.value(a, None);
            }
            return Some(self.poisoned_expr(span));
        };
        let method = self.structs[id as usize].method(&name.name);
        match method {
            Some((entry, true)) => Some(self.call_entry(entry, &name.name, Some(obj), args, span)),
            Some((entry, false)) => Some(self.call_entry(entry, &name.name, None, args, span)),
            None => {
                let is_fn_field = self.structs[id as usize]
                    .fields
                    .iter()
                    .any(|f| f.name == *name.name && matches!(f.ty, Type::Func(_)));
                if is_fn_field {
                    return None;
                }
                let diag = unknown_member(
                    name.span,
                    format!("{sname} has no method '{}'", name.name),
                    &name.name,
                    self.structs[id as usize]
                        .methods
                        .iter()
                        .map(|m| m.0.as_str()),
                );
                self.diags.push(diag);
                for a in args {
                    self.value(a, None);
                }
                Some(self.poisoned_expr(span))
            }
        }
    }

    pub(super) fn poisoned_expr(&self, span: Span) -> TExpr {
        TExpr {
            kind: TExprKind::Int(0),
            ty: Type::Error,
            span,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;

    #[test]
    fn too_many_variants_is_a_reported_limit() {
        // Tags are 16 bits: variant 65 536 must not alias variant 0.
        let mut src = String::from("enum E:\n");
        for i in 0..=super::MAX_VARIANTS {
            src.push_str(&format!("    V{i}\n"));
        }
        src.push_str("print(E.V65536 == E.V0)\n");
        let diags = crate::driver::compile("wide.orus", src.as_bytes())
            .err()
            .expect("more variants than tags");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::Internal);
        assert!(diags[0].message.contains("implementation limit"));
        // One fewer is fine.
        let fits: String = src
            .lines()
            .filter(|l| l.trim() != "V65536" && !l.starts_with("print"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            + "print(E.V65535 == E.V0)\n";
        assert!(crate::driver::compile("fits.orus", fits.as_bytes()).is_ok());
    }
}
