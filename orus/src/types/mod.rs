//! The type checker: resolves names, infers and checks types, and produces the typed tree
//! ([`typed`]) the code generator consumes.
//!
//! It never stops at the first error: it returns every diagnostic it can find without
//! cascades (an expression whose type could not be determined has type [`Type::Error`],
//! which is compatible with everything). It knows the syntax tree and the type rules of the
//! spec; it knows nothing of registers or bytecode.
//!
//! Layout: `literal` types integer literals in context, `scope` holds symbol tables, `expr`
//! and `stmt` check expressions and statements, `func` checks function instances
//! (monomorphised per argument types for unannotated parameters).

mod arrays;
mod bindings;
mod closures;
mod defaults;
mod expr;
mod func;
mod holes;
mod init_order;
mod instances;
mod literal;
mod matching;
mod modules;
mod objects;
mod scope;
mod stmt;
pub mod typed;

use std::fmt;
use std::rc::Rc;

pub use func::{check, check_modules, check_modules_with_depth, ModuleInput};

/// A static type.
// `PartialEq` is written out (below) only to be cheaper; it is the structural equality the
// derive gives, so the derived `Hash` agrees with it.
#[allow(clippy::derived_hash_with_manual_eq)]
#[derive(Clone, Debug, Eq, Hash)]
pub enum Type {
    I32,
    I64,
    U32,
    U64,
    F64,
    Bool,
    Str,
    /// A growable array with reference semantics (spec §10).
    Array(Rc<Type>),
    /// A declared struct: its index in the checker's table, and its name.
    Struct(u32, TypeName),
    /// A declared enum (or the built-in `Result`): its index and name.
    Enum(u32, TypeName),
    /// A function value.
    Func(Rc<FnType>),
    /// The value bound by `catch name` (spec §14); written `error` in messages.
    ErrorValue,
    /// The element type of an empty array literal, not known yet: fixed by the first value
    /// stored into the array (ARCHITECTURE.md choice 13). Indexes `Checker::holes`.
    Hole(u32),
    /// The "no value" result of a function without a value-returning `return`.
    Void,
    /// The type of an expression that already produced a diagnostic; it unifies with
    /// everything so one mistake is reported once.
    Error,
}

/// The name of a struct or enum type, shared by the types that name it. One pointer wide
/// (an `Rc<str>` is two), so that a `Type` takes 16 bytes: every typed expression and
/// every local holds one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TypeName(Rc<Box<str>>);

impl TypeName {
    pub fn new(name: &str) -> TypeName {
        TypeName(Rc::new(name.into()))
    }

    /// Whether both are the same shared name (then they are equal without comparing).
    pub fn ptr_eq(a: &TypeName, b: &TypeName) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }
}

impl std::ops::Deref for TypeName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for TypeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Parameter and return types of a function value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FnType {
    pub params: Vec<Type>,
    pub ret: Type,
}

/// Structural equality, as derived, but comparing the variants inline (most comparisons
/// are `t == Type::Error` and the like, which then cost a compare of tags) and the data of
/// the others out of line.
impl PartialEq for Type {
    #[inline]
    fn eq(&self, other: &Type) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && (!self.has_data() || self.same_data(other))
    }
}

impl Type {
    /// Whether the variant carries data (its equality needs more than the variant).
    #[inline]
    fn has_data(&self) -> bool {
        matches!(
            self,
            Type::Array(_) | Type::Struct(..) | Type::Enum(..) | Type::Func(_) | Type::Hole(_)
        )
    }

    /// The data of two types of the same variant agree.
    #[inline(never)]
    fn same_data(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Array(a), Type::Array(b)) => Rc::ptr_eq(a, b) || **a == **b,
            (Type::Struct(a, m), Type::Struct(b, n)) | (Type::Enum(a, m), Type::Enum(b, n)) => {
                a == b && (TypeName::ptr_eq(m, n) || **m == **n)
            }
            (Type::Func(a), Type::Func(b)) => Rc::ptr_eq(a, b) || **a == **b,
            (Type::Hole(a), Type::Hole(b)) => a == b,
            _ => true,
        }
    }
}

impl Type {
    /// Whether the type is nested more than `max_depth` levels deep or made of more than
    /// `max_parts` parts (counting a shared part each time it appears). Stops counting
    /// at the bound: a type built by doubling (`d(d(d(x)))` with `d(x)` returning a
    /// `fn(T) -> T`) has exponentially many parts in a small, shared structure.
    #[inline]
    pub fn exceeds(&self, max_depth: usize, max_parts: usize) -> bool {
        // Only arrays and function types nest (most types are one part, decided here).
        if !matches!(self, Type::Array(_) | Type::Func(_)) {
            return max_parts == 0;
        }
        fn walk(t: &Type, depth: usize, max_depth: usize, budget: &mut usize) -> bool {
            if depth > max_depth || *budget == 0 {
                return true;
            }
            *budget -= 1;
            match t {
                Type::Array(elem) => walk(elem, depth + 1, max_depth, budget),
                Type::Func(f) => f
                    .params
                    .iter()
                    .chain([&f.ret])
                    .any(|p| walk(p, depth + 1, max_depth, budget)),
                _ => false,
            }
        }
        let mut budget = max_parts;
        walk(self, 0, max_depth, &mut budget)
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, Type::I32 | Type::I64 | Type::U32 | Type::U64)
    }

    pub fn is_signed(&self) -> bool {
        matches!(self, Type::I32 | Type::I64)
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer() || *self == Type::F64
    }

    /// Types that `as` converts between (spec §7).
    pub fn is_primitive(&self) -> bool {
        self.is_numeric() || matches!(self, Type::Bool | Type::Str)
    }

    /// Whether two types agree, treating `Error` as a wildcard (also inside arrays).
    #[inline]
    pub fn compatible(&self, other: &Type) -> bool {
        // Two of the same variant without data (the common case) agree.
        (std::mem::discriminant(self) == std::mem::discriminant(other) && !self.has_data())
            || self.compatible_parts(other)
    }

    fn compatible_parts(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Error | Type::Hole(_), _) | (_, Type::Error | Type::Hole(_)) => true,
            (Type::Array(a), Type::Array(b)) => a.compatible(b),
            (Type::Func(a), Type::Func(b)) => {
                a.params.len() == b.params.len()
                    && a.params.iter().zip(&b.params).all(|(x, y)| x.compatible(y))
                    && a.ret.compatible(&b.ret)
            }
            _ => self == other,
        }
    }

    /// The element type of an array type.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::Array(elem) => Some(elem),
            _ => None,
        }
    }

    /// Resolves a primitive type name written in an annotation.
    pub fn from_name(name: &str) -> Option<Type> {
        Some(match name {
            "i32" => Type::I32,
            "i64" => Type::I64,
            "u32" => Type::U32,
            "u64" => Type::U64,
            "f64" => Type::F64,
            "bool" => Type::Bool,
            "string" => Type::Str,
            "void" => Type::Void,
            _ => return None,
        })
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::U32 => "u32",
            Type::U64 => "u64",
            Type::F64 => "f64",
            Type::Bool => "bool",
            Type::Str => "string",
            Type::Array(elem) => return write!(f, "[{elem}]"),
            Type::Struct(_, name) | Type::Enum(_, name) => name,
            Type::Func(ft) => {
                let params: Vec<String> = ft.params.iter().map(Type::to_string).collect();
                return write!(f, "fn({}) -> {}", params.join(", "), ft.ret);
            }
            Type::ErrorValue => "Error",
            Type::Hole(_) => "unknown",
            Type::Void => "void",
            Type::Error => "unknown",
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{Code, SourceMap};

    /// Parses and checks `src`, returning the codes and lines of the type diagnostics.
    fn errors(src: &str) -> Vec<(Code, usize)> {
        let (ast, parse_errors) = crate::parser::parse(src.as_bytes());
        assert!(parse_errors.is_empty(), "parse errors: {parse_errors:?}");
        let map = SourceMap::new("t.orus", src.as_bytes());
        let (_, diags) = super::check(&ast, &map);
        diags
            .iter()
            .map(|d| (d.code, map.line_col(d.span.start).0))
            .collect()
    }

    #[test]
    fn accepts_well_typed_programs() {
        let ok = [
            "x = 1\nmut y: i64 = x as i64 + 1\ny += 2\nprint(y)\n",
            "fn f(n: i32) -> i32:\n    return n * 2\nprint(f(3))\n",
            "print(g(1))\nfn g(n: i32) -> i32:\n    return h(n)\nfn h(n: i32) -> i32:\n    return n\n",
            "big: i64 = 5\nprint(big + 1, big < 10, 1 == big)\n",
            "tag = \"v\"\nprint(tag + 1, 7 + tag, tag + true)\n",
            "fn same(v):\n    return v\nprint(same(1), same(\"s\"), same(2.5))\n",
            "fn fact(n: i32):\n    if n < 2:\n        return 1\n    return n * fact(n - 1)\nprint(fact(5))\n",
            "for i in 0..10..2:\n    print(i)\nfor k in 3:\n    print(k)\n",
            "x: f64 = 3\nu: u32 = 4294967295\nn: i32 = -2147483648\n",
        ];
        for src in ok {
            assert_eq!(errors(src), vec![], "{src}");
        }
    }

    #[test]
    fn reports_each_mistake_once_at_its_line() {
        let cases: &[(&str, &[(Code, usize)])] = &[
            (
                "a = 1\nb: i64 = 2\nprint(a + b)\n",
                &[(Code::TypeMismatch, 3)],
            ),
            ("x = 1\nx = 2\n", &[(Code::ImmutableAssign, 2)]),
            ("mut x = 1\nmut x = 2\n", &[(Code::Redeclared, 2)]),
            ("print(nope)\n", &[(Code::UndefinedName, 1)]),
            (
                "fn f(a: i32) -> i32:\n    return a\nprint(f())\n",
                &[(Code::ArityMismatch, 3)],
            ),
            (
                "fn f() -> i32:\n    print(1)\n",
                &[(Code::MissingReturn, 1)],
            ),
            ("fn f():\n    print(1)\nx = f()\n", &[(Code::VoidValue, 3)]),
            ("x: u32 = -1\n", &[(Code::LiteralOutOfRange, 1)]),
            ("s = \"a\"\nprint(s as i32)\n", &[(Code::InvalidCast, 2)]),
            ("print(not 5)\n", &[(Code::OperatorNotSupported, 1)]),
            ("if 1:\n    print(1)\n", &[(Code::TypeMismatch, 1)]),
            (
                "for i in 0..3:\n    i = 2\n",
                &[(Code::LoopVariableAssign, 2)],
            ),
            ("x: str = 1\n", &[(Code::UnknownType, 1)]),
            ("y = 1\ny()\n", &[(Code::NotCallable, 2)]),
            ("break\n", &[(Code::JumpOutsideLoop, 1)]),
        ];
        for (src, expected) in cases {
            assert_eq!(errors(src), expected.to_vec(), "{src}");
        }
    }

    #[test]
    fn suggests_close_names() {
        let src = "count = 1\nprint(cout)\n";
        let (ast, _) = crate::parser::parse(src.as_bytes());
        let map = SourceMap::new("t.orus", src.as_bytes());
        let (_, diags) = super::check(&ast, &map);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `count`?"));
    }
}
