//! Expressions of a requested type. Every compound expression is parenthesised, so the
//! generator never depends on precedence; literals outside a typed context are written so
//! that their type needs no context (`(5 as u64)`).

use super::{Gen, Ty, INTS, MAX_EXPR_DEPTH, PRIMS};

/// Integer literals worth trying: boundaries and small values.
const INTERESTING: [i128; 14] = [
    0,
    1,
    2,
    3,
    7,
    -1,
    -2,
    31,
    32,
    63,
    255,
    i32::MAX as i128,
    i32::MIN as i128,
    u32::MAX as i128,
];

const FLOATS: [&str; 10] = [
    "0.0", "1.0", "0.5", "2.5", "100.25", "1e10", "1e-7", "3.14159", "1e300", "123456.7",
];

/// String literals as written in the source; the `@` ones are `print` templates when they
/// come first. The last one holds a non-ASCII character.
const STRINGS: [&str; 13] = [
    "",
    "a",
    "hello",
    "x y",
    "@",
    "@x @",
    "@.2f|@b|@o|@X",
    "@.0 @.3f",
    "tab\\there",
    "q\\\"uote",
    "line\\nbreak",
    "nul\\0byte",
    "caf\u{e9}",
];

impl Gen<'_, '_> {
    /// A literal of primitive type `ty`. With `ctx`, the literal stands where the type
    /// is known (annotated declaration, argument, return), so it may be any in-range
    /// literal; without, it must have type `ty` on its own.
    pub(super) fn literal(&mut self, ty: &Ty, ctx: bool) -> String {
        match ty {
            Ty::Bool => if self.chance(50) { "true" } else { "false" }.into(),
            Ty::F64 => {
                let f = FLOATS[self.pick(FLOATS.len())];
                if self.chance(20) {
                    format!("(-{f})")
                } else {
                    f.into()
                }
            }
            Ty::Str => format!("\"{}\"", STRINGS[self.pick(STRINGS.len())]),
            _ => self.int_literal(ty, ctx),
        }
    }

    fn int_literal(&mut self, ty: &Ty, ctx: bool) -> String {
        let (lo, hi): (i128, i128) = match ty {
            Ty::I32 => (i32::MIN.into(), i32::MAX.into()),
            Ty::I64 => (i64::MIN.into(), i64::MAX.into()),
            Ty::U32 => (0, u32::MAX.into()),
            _ => (0, u64::MAX.into()),
        };
        let v: i128 = match self.pick(4) {
            0 | 1 => INTERESTING[self.pick(INTERESTING.len())],
            2 => self.int_in(-1000, 1000).into(),
            _ => {
                let raw: u64 = self.u.arbitrary().unwrap_or(0);
                match ty {
                    Ty::I32 => (raw as i32).into(),
                    Ty::I64 => (raw as i64).into(),
                    Ty::U32 => (raw as u32).into(),
                    _ => raw.into(),
                }
            }
        };
        let v = v.clamp(lo, hi);
        if ctx {
            return if v < 0 {
                format!("(-{})", -v)
            } else {
                v.to_string()
            };
        }
        match ty {
            Ty::I32 => {
                if v < 0 {
                    format!("(-{})", -v)
                } else {
                    v.to_string()
                }
            }
            // A decimal literal outside i32 but inside i64 is an i64 on its own.
            Ty::I64 if v > i32::MAX as i128 => v.to_string(),
            Ty::I64 if v < i32::MIN as i128 => format!("(-{})", -v),
            // Casts from i32 (and from a non-negative i64 for u64).
            _ if v >= 0 && v <= i32::MAX as i128 => format!("({v} as {})", self.ty_name(ty)),
            Ty::U32 => format!("({} as u32)", v as u32 as i32),
            Ty::U64 if v <= i64::MAX as i128 => format!("({v} as u64)"),
            // Above i64::MAX: (v - 2^63) fits in i64, and 2^63 is i64::MAX + 1.
            Ty::U64 => format!(
                "((({} as u64) + (9223372036854775807 as u64)) + (1 as u64))",
                v - i64::MAX as i128 - 1
            ),
            _ => format!("((-{}) as {})", -v, self.ty_name(ty)),
        }
    }

    /// An expression of type `ty` in a typed context: sometimes a bare literal.
    pub(super) fn expr_ctx(&mut self, ty: &Ty, depth: usize) -> String {
        if ty.is_prim() && self.chance(25) {
            return self.literal(ty, true);
        }
        self.expr(ty, depth)
    }

    /// An expression of type `ty` whose type does not depend on its context.
    pub(super) fn expr(&mut self, ty: &Ty, depth: usize) -> String {
        if depth >= MAX_EXPR_DEPTH {
            return self.leaf(ty);
        }
        let d = depth + 1;
        // Choice 0 is always the leaf, so exhausted input ends generation.
        match self.pick(10) {
            0..=2 => self.leaf(ty),
            3 => self.call_returning(ty, d).unwrap_or_else(|| self.leaf(ty)),
            4 => self.element_of(ty, d),
            5 if !self.field_sources(ty).is_empty() => self.field_of(ty, d),
            _ => self.compound(ty, d),
        }
    }

    /// A variable of type `ty`, or a literal value of it.
    pub(super) fn leaf(&mut self, ty: &Ty) -> String {
        let vars = self.vars_of(ty);
        if !vars.is_empty() && self.chance(60) {
            return vars[self.pick(vars.len())].clone();
        }
        match ty {
            t if t.is_prim() => self.literal(t, false),
            Ty::Arr(elem) => {
                let n = 1 + self.pick(3);
                let elems: Vec<String> = (0..n).map(|_| self.leaf(elem)).collect();
                format!("[{}]", elems.join(", "))
            }
            Ty::Struct(s) => self.struct_literal(*s, MAX_EXPR_DEPTH),
            Ty::Enum(e) => self.enum_value(*e, MAX_EXPR_DEPTH),
            Ty::Func(params, ret) => {
                let callable = self.ctx().callable;
                let names: Vec<String> = self.fns[..callable]
                    .iter()
                    .filter(|f| f.params == *params && f.ret.as_ref() == Some(ret))
                    .map(|f| f.name.clone())
                    .chain(vars)
                    .collect();
                // The type was chosen from an existing function, so one always exists.
                names
                    .get(self.pick(names.len()))
                    .cloned()
                    .unwrap_or_else(|| "missing_function_value".into())
            }
            _ => unreachable!("every type is covered"),
        }
    }

    pub(super) fn struct_literal(&mut self, s: usize, depth: usize) -> String {
        let fields: Vec<(String, Ty, bool)> = self.structs[s]
            .fields
            .iter()
            .map(|(n, t, d)| (n.clone(), t.clone(), d.is_some()))
            .collect();
        let mut parts = vec![];
        for (name, ty, has_default) in fields {
            if has_default && self.chance(40) {
                continue;
            }
            let value = if depth >= MAX_EXPR_DEPTH {
                self.leaf(&ty)
            } else {
                self.expr_ctx(&ty, depth + 1)
            };
            parts.push(format!("{name}: {value}"));
        }
        // Field order is free.
        if parts.len() > 1 && self.chance(30) {
            parts.reverse();
        }
        format!("{}{{{}}}", self.structs[s].name, parts.join(", "))
    }

    pub(super) fn enum_value(&mut self, e: usize, depth: usize) -> String {
        let v = self.pick(self.enums[e].variants.len());
        let (vname, payload) = self.enums[e].variants[v].clone();
        let ename = self.enums[e].name.clone();
        if payload.is_empty() {
            return format!("{ename}.{vname}");
        }
        let args: Vec<String> = payload
            .iter()
            .map(|t| {
                if depth >= MAX_EXPR_DEPTH {
                    self.leaf(t)
                } else {
                    self.expr_ctx(t, depth + 1)
                }
            })
            .collect();
        format!("{ename}.{vname}({})", args.join(", "))
    }

    /// An operator or construction producing `ty`.
    fn compound(&mut self, ty: &Ty, d: usize) -> String {
        match ty {
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => self.int_expr(ty, d),
            Ty::F64 => match self.pick(4) {
                0 => {
                    let op = ["+", "-", "*", "/", "%"][self.pick(5)];
                    let (a, b) = (self.expr(ty, d), self.expr(ty, d));
                    format!("({a} {op} {b})")
                }
                1 => format!("(-{})", self.expr(ty, d)),
                _ => self.cast_to(ty, d),
            },
            Ty::Bool => self.bool_expr(d),
            Ty::Str => match self.pick(5) {
                0 | 1 => {
                    let (a, b) = (self.expr(ty, d), self.expr(ty, d));
                    format!("({a} + {b})")
                }
                2 => self.cast_to(ty, d),
                3 => {
                    let s = self.expr(&Ty::Str, d);
                    let i = self.index_expr(d);
                    format!("{s}[{i}]")
                }
                _ => {
                    // A string variable next to a literal of another type concatenates it.
                    let vars = self.vars_of(&Ty::Str);
                    if vars.is_empty() {
                        return self.leaf(ty);
                    }
                    let v = vars[self.pick(vars.len())].clone();
                    let other = [Ty::I32, Ty::F64, Ty::Bool][self.pick(3)].clone();
                    let lit = self.literal(&other, false);
                    if self.chance(50) {
                        format!("({v} + {lit})")
                    } else {
                        format!("({lit} + {v})")
                    }
                }
            },
            Ty::Arr(elem) => match self.pick(4) {
                0 => {
                    let a = self.expr(ty, d);
                    let (i, j) = (self.index_expr(d), self.index_expr(d));
                    match self.pick(4) {
                        0 => format!("{a}[..]"),
                        1 => format!("{a}[{i}..]"),
                        2 => format!("{a}[..{j}]"),
                        _ => format!("{a}[{i}..{j}]"),
                    }
                }
                1 => {
                    let a = self.expr(ty, d);
                    let v = self.expr_ctx(elem, d);
                    format!("push({a}, {v})")
                }
                _ => {
                    let n = self.pick(4);
                    let elems: Vec<String> = (0..n.max(1)).map(|_| self.expr(elem, d)).collect();
                    format!("[{}]", elems.join(", "))
                }
            },
            Ty::Struct(s) => {
                let statics: Vec<usize> = (0..self.structs[*s].methods.len())
                    .filter(|&m| {
                        let m = &self.structs[*s].methods[m];
                        !m.instance && m.ret == *ty
                    })
                    .collect();
                if !statics.is_empty() && self.chance(40) {
                    let m = statics[self.pick(statics.len())];
                    let params = self.structs[*s].methods[m].params.clone();
                    let args = self.args(&params, d);
                    return format!(
                        "{}.{}({args})",
                        self.structs[*s].name, self.structs[*s].methods[m].name
                    );
                }
                self.struct_literal(*s, d)
            }
            Ty::Enum(e) => self.enum_value(*e, d),
            Ty::Func(..) => self.leaf(ty),
        }
    }

    fn int_expr(&mut self, ty: &Ty, d: usize) -> String {
        let name = self.ty_name(ty);
        match self.pick(8) {
            0 | 1 => {
                let op = ["+", "-", "*", "/", "%"][self.pick(5)];
                let (a, b) = (self.expr(ty, d), self.expr(ty, d));
                if matches!(op, "/" | "%") && self.chance(80) {
                    // An odd divisor is never zero, so the program goes on.
                    format!("({a} {op} ({b} | (1 as {name})))")
                } else {
                    format!("({a} {op} {b})")
                }
            }
            2 => {
                let op = ["&", "|", "^"][self.pick(3)];
                let (a, b) = (self.expr(ty, d), self.expr(ty, d));
                format!("({a} {op} {b})")
            }
            3 => {
                let op = ["<<", ">>"][self.pick(2)];
                let (a, b) = (self.expr(ty, d), self.expr(ty, d));
                if self.chance(80) {
                    // A count masked into range never faults.
                    let mask = ty.bits() - 1;
                    format!("({a} {op} ({b} & ({mask} as {name})))")
                } else {
                    format!("({a} {op} {b})")
                }
            }
            4 => {
                let a = self.expr(ty, d);
                if matches!(ty, Ty::I32 | Ty::I64) && self.chance(50) {
                    format!("(-{a})")
                } else {
                    format!("(~{a})")
                }
            }
            5 if *ty == Ty::I32 => {
                if self.chance(50) {
                    let elem = self.ty(1);
                    let a = self.expr(&Ty::Arr(Box::new(elem)), d);
                    format!("len({a})")
                } else {
                    format!("len({})", self.expr(&Ty::Str, d))
                }
            }
            _ => self.cast_to(ty, d),
        }
    }

    fn bool_expr(&mut self, d: usize) -> String {
        match self.pick(7) {
            0 => {
                let t = PRIMS[self.pick(PRIMS.len())].clone();
                let t = if t == Ty::Bool { Ty::Str } else { t };
                let op = ["<", "<=", ">", ">="][self.pick(4)];
                let (a, b) = (self.expr(&t, d), self.expr(&t, d));
                format!("({a} {op} {b})")
            }
            1 => {
                let t = self.ty(1);
                let t = if matches!(t, Ty::Func(..)) {
                    Ty::I32
                } else {
                    t
                };
                let op = ["==", "!="][self.pick(2)];
                let (a, b) = (self.expr(&t, d), self.expr(&t, d));
                format!("({a} {op} {b})")
            }
            2 => {
                let op = ["and", "or"][self.pick(2)];
                let (a, b) = (self.expr(&Ty::Bool, d), self.expr(&Ty::Bool, d));
                format!("({a} {op} {b})")
            }
            3 => format!("(not {})", self.expr(&Ty::Bool, d)),
            4 if !self.enums.is_empty() => {
                let e = self.pick(self.enums.len());
                let (a, b) = (self.enum_value(e, d), self.enum_value(e, d));
                format!("({a} matches {b})")
            }
            _ => self.cast_to(&Ty::Bool, d),
        }
    }

    /// `(e as ty)` from a primitive type the cast table allows.
    fn cast_to(&mut self, ty: &Ty, d: usize) -> String {
        let from = if *ty == Ty::Str || *ty == Ty::Bool || self.chance(80) {
            // Strings convert to nothing; everything else converts to everything.
            PRIMS[self.pick(6)].clone()
        } else {
            ty.clone()
        };
        let from = if *ty == Ty::Bool && from == Ty::Bool {
            Ty::I32
        } else {
            from
        };
        let e = self.expr(&from, d);
        format!("({e} as {})", self.ty_name(ty))
    }

    /// An `i32` index: usually a small literal, sometimes anything.
    pub(super) fn index_expr(&mut self, d: usize) -> String {
        if self.chance(85) {
            // Generated arrays mostly hold one to three elements.
            (if self.chance(60) {
                0
            } else {
                self.int_in(0, 2)
            })
            .to_string()
        } else {
            let t = INTS[self.pick(INTS.len())].clone();
            self.expr(&t, d)
        }
    }

    /// `a[i]` with `a: [ty]`, or `pop(a)`.
    fn element_of(&mut self, ty: &Ty, d: usize) -> String {
        let arr = Ty::Arr(Box::new(ty.clone()));
        let a = self.expr(&arr, d);
        if self.chance(15) {
            return format!("pop({a})");
        }
        let i = self.index_expr(d);
        format!("{a}[{i}]")
    }

    /// Struct types with a field of type `ty`, with the field's name.
    fn field_sources(&self, ty: &Ty) -> Vec<(usize, String)> {
        let mut out = vec![];
        for (s, def) in self.structs.iter().enumerate() {
            for (name, t, _) in &def.fields {
                if t == ty {
                    out.push((s, name.clone()));
                }
            }
        }
        out
    }

    fn field_of(&mut self, ty: &Ty, d: usize) -> String {
        let sources = self.field_sources(ty);
        let (s, field) = sources[self.pick(sources.len())].clone();
        let obj = self.expr(&Ty::Struct(s), d);
        format!("{obj}.{field}")
    }

    /// Arguments for parameters of the given types.
    pub(super) fn args(&mut self, params: &[Ty], d: usize) -> String {
        let args: Vec<String> = params.iter().map(|p| self.expr_ctx(p, d)).collect();
        args.join(", ")
    }

    /// A call whose result has type `ty`: a named function, a method, a closure variable,
    /// the generic identity or the recursive function.
    pub(super) fn call_returning(&mut self, ty: &Ty, d: usize) -> Option<String> {
        let mut options: Vec<u8> = vec![];
        let callable = self.ctx().callable;
        let fns: Vec<usize> = (0..callable)
            .filter(|&f| self.fns[f].ret.as_ref() == Some(ty))
            .collect();
        if !fns.is_empty() {
            options.push(0);
        }
        let methods: Vec<(usize, usize)> = self
            .structs
            .iter()
            .enumerate()
            .flat_map(|(s, def)| {
                def.methods
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.ret == *ty)
                    .map(move |(m, _)| (s, m))
            })
            .collect();
        if !methods.is_empty() {
            options.push(1);
        }
        let closures: Vec<(String, Vec<Ty>)> = self
            .visible()
            .filter_map(|v| match &v.ty {
                Ty::Func(params, ret) if **ret == *ty => Some((v.name.clone(), params.clone())),
                _ => None,
            })
            .collect();
        if !closures.is_empty() {
            options.push(2);
        }
        if self.generic_id.is_some() {
            options.push(3);
        }
        if self.recursive.as_ref().is_some_and(|(_, t)| t == ty) && callable > 0 {
            options.push(4);
        }
        if options.is_empty() {
            return None;
        }
        Some(match options[self.pick(options.len())] {
            0 => {
                let f = fns[self.pick(fns.len())];
                let params = self.fns[f].params.clone();
                let args = self.args(&params, d);
                format!("{}({args})", self.fns[f].name)
            }
            1 => {
                let (s, m) = methods[self.pick(methods.len())];
                let params = self.structs[s].methods[m].params.clone();
                let args = self.args(&params, d);
                let name = self.structs[s].methods[m].name.clone();
                if self.structs[s].methods[m].instance {
                    let obj = self.expr(&Ty::Struct(s), d);
                    format!("{obj}.{name}({args})")
                } else {
                    format!("{}.{name}({args})", self.structs[s].name)
                }
            }
            2 => {
                let (name, params) = closures[self.pick(closures.len())].clone();
                let args = self.args(&params, d);
                format!("{name}({args})")
            }
            3 => {
                let name = self.generic_id.clone().unwrap_or_default();
                format!("{name}({})", self.expr(ty, d))
            }
            _ => {
                let name = self.recursive.clone().map(|(n, _)| n).unwrap_or_default();
                let n = self.int_in(0, 6);
                format!("{name}({n}, {})", self.expr_ctx(ty, d))
            }
        })
    }
}
