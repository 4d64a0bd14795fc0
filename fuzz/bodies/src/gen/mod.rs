//! A generator of well-typed Orus programs, driven by the fuzzer's bytes through
//! `arbitrary::Unstructured`.
//!
//! The generator keeps its own small model of the language: the types in scope (`Ty`), the
//! declared structs, enums and functions, and the variables visible at each point with
//! their mutability. Every choice it makes from the bytes is among constructs that type
//! check, so a generated program must compile; when it does not, either the generator or
//! the checker is wrong, and the targets report it.
//!
//! What it produces: primitive expressions of every type (wrapping arithmetic, bit
//! operations, shifts, casts, comparisons, concatenation), arrays (literals, indexing,
//! slices, `push`/`pop`/`len`), structs with defaults and methods, enums with payloads,
//! `match` statements and expressions, closures that capture and mutate locals, function
//! values passed to typed parameters, a generic identity function, bounded recursion,
//! `if`/`elif`/`else`, counted `while` loops, range and array `for` loops with labels,
//! `break`/`continue`, `try`/`catch`/`throw`, top-level variables used by functions, and
//! `print` with templates. Runtime errors (division by zero, bad indices, failing casts)
//! are allowed: they are part of what the VM targets check. Loops are bounded by
//! construction except `for` over an array that the body grows, which the instruction
//! budget stops; nothing reads the clock, so a program's output is deterministic.
//!
//! When the bytes run out every choice falls to its first option, which is always a leaf,
//! so generation ends. `expr.rs` generates expressions, `stmt.rs` statements.

mod expr;
mod stmt;

use arbitrary::Unstructured;
use std::fmt::Write as _;

/// Generates one program from `data`.
pub fn generate(data: &[u8]) -> String {
    let mut u = Unstructured::new(data);
    let mut g = Gen::new(&mut u);
    g.program();
    g.out
}

/// Most statements in a program, nesting of blocks, and depth of expressions.
const MAX_STMTS: usize = 160;
const MAX_BLOCK_DEPTH: usize = 4;
const MAX_EXPR_DEPTH: usize = 4;

/// A type of the generated program.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    I32,
    I64,
    U32,
    U64,
    F64,
    Bool,
    Str,
    Arr(Box<Ty>),
    Struct(usize),
    Enum(usize),
    Func(Vec<Ty>, Box<Ty>),
}

const PRIMS: [Ty; 7] = [
    Ty::I32,
    Ty::I64,
    Ty::U32,
    Ty::U64,
    Ty::F64,
    Ty::Bool,
    Ty::Str,
];
const INTS: [Ty; 4] = [Ty::I32, Ty::I64, Ty::U32, Ty::U64];

impl Ty {
    fn is_int(&self) -> bool {
        matches!(self, Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64)
    }
    fn is_numeric(&self) -> bool {
        self.is_int() || *self == Ty::F64
    }
    fn is_prim(&self) -> bool {
        PRIMS.contains(self)
    }
    /// Whether values of the type may be printed (function values print as something
    /// implementation-defined, so they are left out).
    fn printable(&self) -> bool {
        match self {
            Ty::Func(..) => false,
            Ty::Arr(t) => t.printable(),
            _ => true,
        }
    }
    fn bits(&self) -> u32 {
        match self {
            Ty::I32 | Ty::U32 => 32,
            _ => 64,
        }
    }
}

struct StructDef {
    name: String,
    /// Name, type, default value (a literal) if any.
    fields: Vec<(String, Ty, Option<String>)>,
    methods: Vec<Method>,
}

struct Method {
    name: String,
    /// Instance methods take `self` first (not listed in `params`).
    instance: bool,
    params: Vec<Ty>,
    ret: Ty,
}

struct EnumDef {
    name: String,
    variants: Vec<(String, Vec<Ty>)>,
}

/// A named top-level function.
struct FnDef {
    name: String,
    params: Vec<Ty>,
    /// `None` for a void function.
    ret: Option<Ty>,
}

#[derive(Clone)]
struct Var {
    name: String,
    ty: Ty,
    /// Assignable (`mut`, and not a parameter or loop variable).
    mutable: bool,
}

/// The function being generated.
struct FnCtx {
    /// The return type; `None` for a void function or the top level.
    ret: Option<Ty>,
    is_top: bool,
    /// Index of the first scope this function may see: named functions see the top-level
    /// scope (variables declared before them) and their own; closures see everything.
    scope_floor: usize,
    /// Labels of the enclosing loops of this function, innermost last.
    loops: Vec<Option<String>>,
    /// Named functions callable from here (`fns[..callable]`): earlier ones only, so
    /// calls form no cycle; the top level may call all.
    callable: usize,
    /// Inside a `catch` with a bound error: its name, for `throw NAME`.
    caught: Vec<String>,
}

struct Gen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    out: String,
    structs: Vec<StructDef>,
    enums: Vec<EnumDef>,
    fns: Vec<FnDef>,
    /// `(name, for which types it has been used)`: the generic identity function.
    generic_id: Option<String>,
    /// The bounded recursive function: name and accumulator type.
    recursive: Option<(String, Ty)>,
    scopes: Vec<Vec<Var>>,
    ctx: Vec<FnCtx>,
    next_name: usize,
    stmts: usize,
    indent: usize,
}

impl<'a, 'b> Gen<'a, 'b> {
    fn new(u: &'b mut Unstructured<'a>) -> Self {
        Gen {
            u,
            out: String::new(),
            structs: vec![],
            enums: vec![],
            fns: vec![],
            generic_id: None,
            recursive: None,
            scopes: vec![vec![]],
            ctx: vec![],
            next_name: 0,
            stmts: 0,
            indent: 0,
        }
    }

    // ---- choices ----

    /// An index below `n` (0 when the bytes ran out).
    fn pick(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.u.choose_index(n).unwrap_or(0)
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.u.ratio(percent.min(100), 100).unwrap_or(false)
    }

    fn int_in(&mut self, lo: i64, hi: i64) -> i64 {
        self.u.int_in_range(lo..=hi).unwrap_or(lo)
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    // ---- types ----

    /// A type for a new variable, field or parameter. `depth` bounds nesting of arrays.
    fn ty(&mut self, depth: usize) -> Ty {
        let choice = self.pick(14);
        match choice {
            0..=6 => PRIMS[choice].clone(),
            7 | 8 if depth < 2 => Ty::Arr(Box::new(self.ty(depth + 1))),
            9 if !self.structs.is_empty() => Ty::Struct(self.pick(self.structs.len())),
            10 if !self.enums.is_empty() => Ty::Enum(self.pick(self.enums.len())),
            11 if !self.fns.is_empty() => {
                // The signature of an existing function, so that a value always exists.
                let callable = self.ctx.last().map_or(self.fns.len(), |c| c.callable);
                let with_ret: Vec<usize> = (0..callable)
                    .filter(|&i| self.fns[i].ret.is_some())
                    .collect();
                if with_ret.is_empty() {
                    return Ty::I32;
                }
                let k = self.pick(with_ret.len());
                let f = &self.fns[with_ret[k]];
                Ty::Func(f.params.clone(), Box::new(f.ret.clone().unwrap_or(Ty::I32)))
            }
            _ => PRIMS[choice % 4].clone(),
        }
    }

    /// A primitive or array-of-primitive type (struct fields and enum payloads).
    fn simple_ty(&mut self) -> Ty {
        let t = PRIMS[self.pick(PRIMS.len())].clone();
        if self.chance(15) {
            Ty::Arr(Box::new(t))
        } else {
            t
        }
    }

    fn ty_name(&self, ty: &Ty) -> String {
        match ty {
            Ty::I32 => "i32".into(),
            Ty::I64 => "i64".into(),
            Ty::U32 => "u32".into(),
            Ty::U64 => "u64".into(),
            Ty::F64 => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Str => "string".into(),
            Ty::Arr(t) => format!("[{}]", self.ty_name(t)),
            Ty::Struct(i) => self.structs[*i].name.clone(),
            Ty::Enum(i) => self.enums[*i].name.clone(),
            Ty::Func(params, ret) => {
                let params: Vec<String> = params.iter().map(|p| self.ty_name(p)).collect();
                format!("fn({}) -> {}", params.join(", "), self.ty_name(ret))
            }
        }
    }

    // ---- scopes ----

    fn declare(&mut self, name: &str, ty: Ty, mutable: bool) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(Var {
                name: name.to_string(),
                ty,
                mutable,
            });
        }
    }

    /// Variables visible from the current function.
    fn visible(&self) -> impl Iterator<Item = &Var> {
        let floor = self.ctx.last().map_or(0, |c| c.scope_floor);
        let top = if floor > 0 {
            &self.scopes[..1]
        } else {
            &self.scopes[..0]
        };
        top.iter()
            .chain(&self.scopes[floor..])
            .flat_map(|s| s.iter())
    }

    fn vars_of(&self, ty: &Ty) -> Vec<String> {
        self.visible()
            .filter(|v| v.ty == *ty)
            .map(|v| v.name.clone())
            .collect()
    }

    fn mutable_vars(&self) -> Vec<Var> {
        self.visible().filter(|v| v.mutable).cloned().collect()
    }

    fn ctx(&self) -> &FnCtx {
        self.ctx.last().expect("inside a function context")
    }

    fn ctx_mut(&mut self) -> &mut FnCtx {
        self.ctx.last_mut().expect("inside a function context")
    }

    // ---- the program ----

    fn program(&mut self) {
        for _ in 0..self.pick(3) {
            self.struct_decl();
        }
        for _ in 0..self.pick(3) {
            self.enum_decl();
        }
        // Top-level variables before the functions: the functions may read and assign
        // them, which makes them globals.
        self.ctx.push(FnCtx {
            ret: None,
            is_top: true,
            scope_floor: 0,
            loops: vec![],
            callable: 0,
            caught: vec![],
        });
        for _ in 0..self.pick(4) {
            let ty = self.ty(0);
            let value = self.expr_ctx(&ty, 1);
            if self.chance(30) {
                let name = self.fresh("G");
                let t = self.ty_name(&ty);
                self.line(&format!("global mut {name}: {t} = {value}"));
                self.declare(&name, ty, true);
            } else {
                let name = self.fresh("top");
                let t = self.ty_name(&ty);
                self.line(&format!("mut {name}: {t} = {value}"));
                self.declare(&name, ty, true);
            }
        }
        for s in 0..self.structs.len() {
            self.impl_block(s);
        }
        if self.chance(40) {
            let name = self.fresh("ident");
            self.line(&format!("fn {name}(v):"));
            self.line("    return v");
            self.generic_id = Some(name);
        }
        if self.chance(40) {
            self.recursive_fn();
        }
        for _ in 0..self.pick(5) {
            self.fn_decl();
        }
        self.ctx_mut().callable = self.fns.len();
        let top = self.ctx.len() - 1;
        self.ctx[top].callable = self.fns.len();
        let n = 1 + self.pick(12);
        self.block_body(0, n);
        // The final state of every top-level variable, for the differential oracle.
        let finals: Vec<String> = self.scopes[0]
            .iter()
            .filter(|v| v.ty.printable())
            .map(|v| v.name.clone())
            .collect();
        for chunk in finals.chunks(4) {
            self.line(&format!("print(\"final\", {})", chunk.join(", ")));
        }
        self.ctx.pop();
    }

    fn struct_decl(&mut self) {
        let name = self.fresh("St");
        self.line(&format!("struct {name}:"));
        let mut fields = vec![];
        for _ in 0..1 + self.pick(4) {
            let field = self.fresh("fld");
            let ty = self.simple_ty();
            let default = if self.chance(30) && ty.is_prim() {
                Some(self.default_value(&ty))
            } else {
                None
            };
            let t = self.ty_name(&ty);
            match &default {
                Some(d) => self.line(&format!("    {field}: {t} = {d}")),
                None => self.line(&format!("    {field}: {t}")),
            }
            fields.push((field, ty, default));
        }
        self.structs.push(StructDef {
            name,
            fields,
            methods: vec![],
        });
    }

    /// A field default: a literal, or an expression evaluated by the default's own
    /// function (which sees no variables and calls no generated function).
    fn default_value(&mut self, ty: &Ty) -> String {
        if !self.chance(50) {
            return self.literal(ty, true);
        }
        self.ctx.push(FnCtx {
            ret: Some(ty.clone()),
            is_top: false,
            scope_floor: self.scopes.len(),
            loops: vec![],
            callable: 0,
            caught: vec![],
        });
        self.scopes.push(vec![]);
        let value = self.expr_ctx(ty, 1);
        self.scopes.pop();
        self.ctx.pop();
        value
    }

    fn enum_decl(&mut self) {
        let name = self.fresh("En");
        self.line(&format!("enum {name}:"));
        let mut variants = vec![];
        for _ in 0..1 + self.pick(4) {
            let variant = self.fresh("Va");
            let payload: Vec<Ty> = (0..self.pick(3)).map(|_| self.simple_ty()).collect();
            if payload.is_empty() {
                self.line(&format!("    {variant}"));
            } else {
                let names: Vec<String> = payload.iter().map(|t| self.ty_name(t)).collect();
                self.line(&format!("    {variant}({})", names.join(", ")));
            }
            variants.push((variant, payload));
        }
        self.enums.push(EnumDef { name, variants });
    }

    /// Methods of struct `s`: a static constructor and instance methods reading `self`.
    fn impl_block(&mut self, s: usize) {
        if !self.chance(60) {
            return;
        }
        let sname = self.structs[s].name.clone();
        self.line(&format!("impl {sname}:"));
        self.indent += 1;
        for _ in 0..1 + self.pick(3) {
            let instance = self.chance(70);
            let name = self.fresh("meth");
            let params: Vec<Ty> = (0..self.pick(3)).map(|_| self.simple_ty()).collect();
            let ret = if !instance && self.chance(60) {
                Ty::Struct(s)
            } else {
                self.simple_ty()
            };
            let mut scope = vec![];
            let mut list = vec![];
            if instance {
                list.push("self".to_string());
                scope.push(Var {
                    name: "self".into(),
                    ty: Ty::Struct(s),
                    mutable: false,
                });
            }
            for p in &params {
                let pname = self.fresh("p");
                list.push(format!("{pname}: {}", self.ty_name(p)));
                scope.push(Var {
                    name: pname,
                    ty: p.clone(),
                    mutable: false,
                });
            }
            let header = format!("fn {name}({}) -> {}:", list.join(", "), self.ty_name(&ret));
            self.line(&header);
            self.function_body(scope, Some(ret.clone()), 0);
            self.structs[s].methods.push(Method {
                name,
                instance,
                params,
                ret,
            });
        }
        self.indent -= 1;
    }

    fn fn_decl(&mut self) {
        let name = self.fresh("fun");
        let params: Vec<Ty> = (0..self.pick(4)).map(|_| self.ty(0)).collect();
        let ret = if self.chance(80) {
            Some(self.ty(0))
        } else {
            None
        };
        let mut scope = vec![];
        let mut list = vec![];
        for p in &params {
            let pname = self.fresh("p");
            list.push(format!("{pname}: {}", self.ty_name(p)));
            scope.push(Var {
                name: pname,
                ty: p.clone(),
                mutable: false,
            });
        }
        let arrow = match &ret {
            Some(t) => format!(" -> {}", self.ty_name(t)),
            None => String::new(),
        };
        self.line(&format!("fn {name}({}){arrow}:", list.join(", ")));
        let callable = self.fns.len();
        self.function_body(scope, ret.clone(), callable);
        self.fns.push(FnDef { name, params, ret });
    }

    /// `fn recN(n: i32, acc: T) -> T`: recursion bounded by `n`, which callers keep small.
    fn recursive_fn(&mut self) {
        let name = self.fresh("rec");
        let ty = PRIMS[self.pick(PRIMS.len())].clone();
        let t = self.ty_name(&ty);
        self.line(&format!("fn {name}(n: i32, acc: {t}) -> {t}:"));
        self.indent += 1;
        self.line("if n <= 0:");
        self.line("    return acc");
        self.scopes.push(vec![Var {
            name: "acc".into(),
            ty: ty.clone(),
            mutable: false,
        }]);
        self.ctx.push(FnCtx {
            ret: Some(ty.clone()),
            is_top: false,
            scope_floor: self.scopes.len() - 1,
            loops: vec![],
            callable: 0,
            caught: vec![],
        });
        let step = self.expr(&ty, 2);
        self.ctx.pop();
        self.scopes.pop();
        self.line(&format!("return {name}(n - 1, {step})"));
        self.indent -= 1;
        self.recursive = Some((name, ty));
    }

    /// The indented body of a function whose parameters are `params`; ends with a return
    /// of `ret` when it has one. Closures (`callable` = the caller's) see every scope.
    fn function_body(&mut self, params: Vec<Var>, ret: Option<Ty>, callable: usize) {
        self.scopes.push(params);
        self.ctx.push(FnCtx {
            ret: ret.clone(),
            is_top: false,
            scope_floor: self.scopes.len() - 1,
            loops: vec![],
            callable,
            caught: vec![],
        });
        self.indent += 1;
        let n = self.pick(6);
        let before = self.out.len();
        self.block_body(1, n);
        if let Some(t) = &ret {
            let value = self.expr_ctx(t, 0);
            self.line(&format!("return {value}"));
        } else if self.out.len() == before {
            // No statement was written (none chosen, or the program is full).
            self.line("print(\"void\")");
        }
        self.indent -= 1;
        self.ctx.pop();
        self.scopes.pop();
    }

    /// A closure expression's header and body, at the current indentation; its body sees
    /// every enclosing scope. The body is a block at `depth`, so closures declared in
    /// closures count towards `MAX_BLOCK_DEPTH` (they used to restart at depth 2, and
    /// nested until the program passed the parser's nesting limit).
    fn closure(&mut self, params: &[Ty], ret: &Ty, depth: usize) -> String {
        let mut scope = vec![];
        let mut list = vec![];
        for p in params {
            let pname = self.fresh("q");
            list.push(format!("{pname}: {}", self.ty_name(p)));
            scope.push(Var {
                name: pname,
                ty: p.clone(),
                mutable: false,
            });
        }
        let header = format!("fn({}) -> {}:", list.join(", "), self.ty_name(ret));
        let callable = self.ctx().callable;
        let floor = self.ctx().scope_floor;
        // The body is written by the caller after the header line.
        let mut body = String::new();
        std::mem::swap(&mut body, &mut self.out);
        self.scopes.push(scope);
        self.ctx.push(FnCtx {
            ret: Some(ret.clone()),
            is_top: false,
            scope_floor: floor,
            loops: vec![],
            callable,
            caught: vec![],
        });
        self.indent += 1;
        let n = self.pick(4);
        self.block_body(depth, n);
        let value = self.expr_ctx(ret, 1);
        self.line(&format!("return {value}"));
        self.indent -= 1;
        self.ctx.pop();
        self.scopes.pop();
        std::mem::swap(&mut body, &mut self.out);
        let mut text = header;
        text.push('\n');
        let _ = write!(text, "{}", body.trim_end_matches('\n'));
        text
    }
}
