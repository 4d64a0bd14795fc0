//! Grammar tests: each parses a program and compares a compact S-expression rendering of
//! the tree (`(+ 1 (* 2 3))`, blocks as `{…}`). The printer is shared with the other test
//! files of this directory.

use super::parse;
use crate::ast::*;

pub(super) fn sx_program(p: &Program) -> String {
    p.stmts.iter().map(sx_stmt).collect::<Vec<_>>().join("\n")
}

fn sx_block(b: &Block) -> String {
    let inner: Vec<String> = b.stmts.iter().map(sx_stmt).collect();
    format!("{{{}}}", inner.join(" "))
}

fn sx_ty(t: &TypeExpr) -> String {
    match &t.kind {
        TypeExprKind::Named(n) => n.to_string(),
        TypeExprKind::Array(e) => format!("[{}]", sx_ty(e)),
        TypeExprKind::Fn(f) => {
            let ps: Vec<String> = f.params.iter().map(sx_ty).collect();
            match &f.ret {
                Some(r) => format!("(fn ({}) {})", ps.join(" "), sx_ty(r)),
                None => format!("(fn ({}))", ps.join(" ")),
            }
        }
    }
}

fn sx_list(items: &[Expr]) -> String {
    items.iter().map(sx_expr).collect::<Vec<_>>().join(" ")
}

fn sx_opt(e: &Option<Expr>) -> String {
    e.as_ref().map_or("_".to_string(), sx_expr)
}

pub(super) fn sx_expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int { value, hex: false } => value.to_string(),
        ExprKind::Int { value, hex: true } => format!("0x{value:X}"),
        ExprKind::Float(v) => format!("{v:?}"),
        ExprKind::Str(s) => format!("\"{}\"", s.escape_ascii()),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Name(n) => n.to_string(),
        ExprKind::Unary { op, operand } => format!("({} {})", op.symbol(), sx_expr(operand)),
        ExprKind::Binary { op, operands } => {
            let [lhs, rhs] = &**operands;
            format!("({} {} {})", op.symbol(), sx_expr(lhs), sx_expr(rhs))
        }
        ExprKind::Cast { expr, ty } => format!("(as {} {})", sx_expr(expr), sx_ty(ty)),
        ExprKind::Call(c) if c.args.is_empty() => format!("(call {})", sx_expr(&c.callee)),
        ExprKind::Call(c) => format!("(call {} {})", sx_expr(&c.callee), sx_list(&c.args)),
        ExprKind::Index { base, index } => format!("(idx {} {})", sx_expr(base), sx_expr(index)),
        ExprKind::Slice(s) => {
            format!(
                "(slice {} {} {})",
                sx_expr(&s.base),
                sx_opt(&s.start),
                sx_opt(&s.end)
            )
        }
        ExprKind::Field(f) => format!("(. {} {})", sx_expr(&f.base), f.name.name),
        ExprKind::Array(items) => format!("[{}]", sx_list(items)),
        ExprKind::StructLit(s) => {
            let fs: Vec<String> = s
                .fields
                .iter()
                .map(|(f, v)| format!("({} {})", f.name, sx_expr(v)))
                .collect();
            format!("(new {} {})", s.name.name, fs.join(" "))
        }
        ExprKind::Match(m) => sx_match(m),
        ExprKind::Fn(f) => sx_fn(f),
        ExprKind::TimeStamp => "(time_stamp)".to_string(),
    }
}

fn sx_match(m: &MatchExpr) -> String {
    let arms: Vec<String> = m
        .arms
        .iter()
        .map(|a| {
            let pat = match &a.pattern {
                Pattern::Wildcard(_) => "_".to_string(),
                Pattern::Expr(e) => sx_expr(e),
            };
            let body = match &a.body {
                ArmBody::Block(b) => sx_block(b),
                ArmBody::Expr(e) => sx_expr(e),
            };
            format!("({pat} -> {body})")
        })
        .collect();
    format!("(match {} {})", sx_expr(&m.subject), arms.join(" "))
}

fn sx_fn(f: &FnDecl) -> String {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match &p.ty {
            Some(t) => format!("{}:{}", p.name.name, sx_ty(t)),
            None => p.name.name.to_string(),
        })
        .collect();
    let name = f
        .name
        .as_ref()
        .map_or(String::new(), |n| format!(" {}", n.name));
    let ret = f
        .ret
        .as_ref()
        .map_or(String::new(), |t| format!(" -> {}", sx_ty(t)));
    let vis = if f.is_pub { "pub " } else { "" };
    format!(
        "({vis}fn{name} ({}){ret} {})",
        params.join(" "),
        sx_block(&f.body)
    )
}

fn sx_binding(b: &Binding) -> String {
    let mut head = if b.is_const {
        "const".to_string()
    } else if b.declares {
        "let".to_string()
    } else {
        "=".to_string()
    };
    if b.mutable {
        head.push_str(" mut");
    }
    let ty =
        b.ty.as_ref()
            .map_or(String::new(), |t| format!(":{}", sx_ty(t)));
    format!("({head} {}{ty} {})", b.name.name, sx_expr(&b.value))
}

fn label(l: &Option<Ident>) -> String {
    l.as_ref()
        .map_or(String::new(), |l| format!(" '{}", l.name))
}

pub(super) fn sx_stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Bind(list) if list.len() == 1 => sx_binding(&list[0]),
        StmtKind::Bind(list) => {
            let items: Vec<String> = list.iter().map(sx_binding).collect();
            format!("(bind {})", items.join(" "))
        }
        StmtKind::Global { binding, is_pub } => {
            let vis = if *is_pub { "pub " } else { "" };
            format!("({vis}global {})", sx_binding(binding))
        }
        StmtKind::Destructure(d) => {
            let ns: Vec<&str> = d.names.iter().map(|n| &*n.name).collect();
            format!("(unpack {} {})", ns.join(" "), sx_expr(&d.value))
        }
        StmtKind::Assign(a) => {
            let op =
                a.op.map_or("set".to_string(), |(o, _)| format!("{}=", o.symbol()));
            format!("({op} {} {})", sx_expr(&a.target), sx_expr(&a.value))
        }
        StmtKind::Expr(e) => sx_expr(e),
        StmtKind::Print { args, newline } => {
            let word = if *newline { "print" } else { "print_nn" };
            if args.is_empty() {
                format!("({word})")
            } else {
                format!("({word} {})", sx_list(args))
            }
        }
        StmtKind::If {
            branches,
            else_block,
        } => {
            let mut out = String::from("(if");
            for (i, (c, b)) in branches.iter().enumerate() {
                let word = if i == 0 { "" } else { " elif" };
                out.push_str(&format!("{word} {} {}", sx_expr(c), sx_block(b)));
            }
            if let Some(b) = else_block {
                out.push_str(&format!(" else {}", sx_block(b)));
            }
            out.push(')');
            out
        }
        StmtKind::While(w) => {
            let While {
                label: l,
                cond,
                body,
            } = &**w;
            format!("(while{} {} {})", label(l), sx_expr(cond), sx_block(body))
        }
        StmtKind::For(f) => {
            let For {
                label: l,
                var,
                iter,
                body,
            } = &**f;
            let it = match iter {
                ForIter::Range {
                    start,
                    end,
                    step,
                    inclusive,
                } => {
                    let op = if *inclusive { "..=" } else { ".." };
                    let step = step
                        .as_ref()
                        .map_or(String::new(), |s| format!(" {}", sx_expr(s)));
                    format!("({op} {} {}{step})", sx_expr(start), sx_expr(end))
                }
                ForIter::Each(e) => sx_expr(e),
            };
            format!("(for{} {} {it} {})", label(l), var.name, sx_block(body))
        }
        StmtKind::Break { label: l } => format!("(break{})", label(l)),
        StmtKind::Continue { label: l } => format!("(continue{})", label(l)),
        StmtKind::Return(None) => "(return)".to_string(),
        StmtKind::Return(Some(e)) => format!("(return {})", sx_expr(e)),
        StmtKind::Fn(f) => sx_fn(f),
        StmtKind::Struct(d) => {
            let fs: Vec<String> = d
                .fields
                .iter()
                .map(|f| match &f.default {
                    Some(v) => format!("({} {} = {})", f.name.name, sx_ty(&f.ty), sx_expr(v)),
                    None => format!("({} {})", f.name.name, sx_ty(&f.ty)),
                })
                .collect();
            let vis = if d.is_pub { "pub " } else { "" };
            format!("({vis}struct {} {})", d.name.name, fs.join(" "))
        }
        StmtKind::Enum(d) => {
            let vs: Vec<String> = d
                .variants
                .iter()
                .map(|v| {
                    if v.fields.is_empty() {
                        return v.name.name.to_string();
                    }
                    let fs: Vec<String> = v
                        .fields
                        .iter()
                        .map(|(n, t)| match n {
                            Some(n) => format!("{}:{}", n.name, sx_ty(t)),
                            None => sx_ty(t),
                        })
                        .collect();
                    format!("({} {})", v.name.name, fs.join(" "))
                })
                .collect();
            let vis = if d.is_pub { "pub " } else { "" };
            format!("({vis}enum {} {})", d.name.name, vs.join(" "))
        }
        StmtKind::Impl(d) => {
            let ms: Vec<String> = d.methods.iter().map(sx_fn).collect();
            let vis = if d.is_pub { "pub " } else { "" };
            format!("({vis}impl {} {})", d.type_name.name, ms.join(" "))
        }
        StmtKind::Match(m) => sx_match(m),
        StmtKind::Try(t) => {
            let Try {
                body,
                catch_name,
                handler,
            } = &**t;
            let name = catch_name
                .as_ref()
                .map_or(String::new(), |n| format!(" {}", n.name));
            format!("(try {} catch{name} {})", sx_block(body), sx_block(handler))
        }
        StmtKind::Throw(e) => format!("(throw {})", sx_expr(e)),
        StmtKind::Use(u) => {
            let path: Vec<&str> = u.path.iter().map(|p| &*p.name).collect();
            let mut out = format!("(use {}", path.join("."));
            match &u.items {
                None => {}
                Some(items) => {
                    let is: Vec<String> = items
                        .iter()
                        .map(|i| match &i.alias {
                            Some(a) => format!("{} as {}", i.name.name, a.name),
                            None => i.name.name.to_string(),
                        })
                        .collect();
                    out.push_str(&format!(": {}", is.join(", ")));
                }
            }
            if let Some(a) = &u.alias {
                out.push_str(&format!(" as {}", a.name));
            }
            out.push(')');
            out
        }
        StmtKind::Module { path, body } => {
            let path: Vec<&str> = path.iter().map(|p| &*p.name).collect();
            match body {
                Some(b) => format!("(module {} {})", path.join("."), sx_block(b)),
                None => format!("(module {})", path.join(".")),
            }
        }
    }
}

/// Parses `src`, asserting that it has no diagnostics, and returns the rendering.
pub(super) fn render_ok(src: &str) -> String {
    let (program, diags) = parse(src.as_bytes());
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {src:?}: {diags:#?}"
    );
    sx_program(&program)
}

fn check(src: &str, expected: &str) {
    assert_eq!(render_ok(src), expected.trim(), "tree of {src:?}");
}

#[test]
fn literals() {
    check("1", "1");
    check("0xFF", "0xFF");
    check("2.5", "2.5");
    check("\"a\\tb\"", "\"a\\tb\"");
    check("true", "true");
    check("false", "false");
    check("x", "x");
    check("time_stamp()", "(time_stamp)");
    check("[]", "[]");
    check("[1, 2, 3,]", "[1 2 3]");
}

#[test]
fn arithmetic_precedence() {
    check("1 + 2 * 3", "(+ 1 (* 2 3))");
    check("1 * 2 + 3", "(+ (* 1 2) 3)");
    check("1 - 2 - 3", "(- (- 1 2) 3)");
    check("a / b % c", "(% (/ a b) c)");
    check("(1 + 2) * 3", "(* (+ 1 2) 3)");
    check("-a * b", "(* (- a) b)");
    check("- - a", "(- (- a))");
    check("-x.y", "(- (. x y))");
}

#[test]
fn comparison_and_logic_precedence() {
    check("a < b and c > d or e", "(or (and (< a b) (> c d)) e)");
    check("a or b and c", "(or a (and b c))");
    check("not a < b", "(< (not a) b)");
    check("not (a < b)", "(not (< a b))");
    check("a < b < c", "(< (< a b) c)");
    check("a == b != c", "(!= (== a b) c)");
    check("a + 1 >= b * 2", "(>= (+ a 1) (* b 2))");
    check("light matches Light.Red", "(matches light (. Light Red))");
    check("not a and not b", "(and (not a) (not b))");
}

#[test]
fn bitwise_precedence() {
    check("x & 1 == 0", "(== (& x 1) 0)");
    check("a | b ^ c & d", "(| a (^ b (& c d)))");
    check("a << 1 + 2", "(<< a (+ 1 2))");
    check("a & b << 2", "(& a (<< b 2))");
    check("~a + 1", "(+ (~ a) 1)");
    check("a >> b >> c", "(>> (>> a b) c)");
    check("a | b == c | d", "(== (| a b) (| c d))");
}

#[test]
fn casts_share_the_comparison_level() {
    check("x as i64 + 1", "(+ (as x i64) 1)");
    check("1 + x as i64", "(as (+ 1 x) i64)");
    check("a == b as i32", "(as (== a b) i32)");
    check("(v as bool) as i32", "(as (as v bool) i32)");
    check("-x as u32", "(as (- x) u32)");
    check("x as string", "(as x string)");
    check("x as Point?", "(as x Point)");
}

#[test]
fn postfix_chains() {
    check("f(1, 2)", "(call f 1 2)");
    check("f()", "(call f)");
    check("make()(2)", "(call (call make) 2)");
    check("table[1](5)", "(call (idx table 1) 5)");
    check("a[i][j]", "(idx (idx a i) j)");
    check("a.b.c", "(. (. a b) c)");
    check("v.dot(w)", "(call (. v dot) w)");
    check("Shape.Circle(1.0)", "(call (. Shape Circle) 1.0)");
    check("a[1..2]", "(slice a 1 2)");
    check("a[..]", "(slice a _ _)");
    check("a[2..]", "(slice a 2 _)");
    check("a[..n]", "(slice a _ n)");
    check("xs[len(xs) - 1]", "(idx xs (- (call len xs) 1))");
}

#[test]
fn struct_literals() {
    check("Vec2{ x: 1.0, y: 2.0 }", "(new Vec2 (x 1.0) (y 2.0))");
    check("P{}", "(new P )");
    check(
        "p = P{\n    x: 1\n    y: 2,\n}",
        "(= p (new P (x 1) (y 2)))",
    );
    check(
        "Outer{ inner: Inner{ v: 1 } }.inner",
        "(. (new Outer (inner (new Inner (v 1)))) inner)",
    );
}

#[test]
fn bindings() {
    check("x = 1", "(= x 1)");
    check("mut x = 1", "(let mut x 1)");
    check("x: i64 = 2", "(let x:i64 2)");
    check("mut y: [i32] = []", "(let mut y:[i32] [])");
    check("const K = 4", "(const K 4)");
    check("const k: u32 = 4", "(const k:u32 4)");
    check(
        "a = 1, mut b = 2, c: f64 = 3.0",
        "(bind (= a 1) (let mut b 2) (let c:f64 3.0))",
    );
    check(
        "f: fn(i32, i32) -> bool = cmp",
        "(let f:(fn (i32 i32) bool) cmp)",
    );
    check("n: i32? = 1", "(let n:i32 1)");
}

#[test]
fn assignments() {
    check("x += 1", "(+= x 1)");
    check("x %= 2", "(%= x 2)");
    check("a[i] = v", "(set (idx a i) v)");
    check("a[i][j] = v", "(set (idx (idx a i) j) v)");
    check("p.x = v", "(set (. p x) v)");
    check("p.x += v", "(+= (. p x) v)");
    check("a[i] -= 1", "(-= (idx a i) 1)");
    check("a, b = f()", "(unpack a b (call f))");
    check("q, r, s = xs", "(unpack q r s xs)");
}

#[test]
fn expression_statements_and_semicolons() {
    check("f(1); g(2)", "(call f 1)\n(call g 2)");
    check("x = 1;\ny = 2;", "(= x 1)\n(= y 2)");
    check("push(xs, 1)", "(call push xs 1)");
}

#[test]
fn print_statements() {
    check("print(1, \"a\", x)", "(print 1 \"a\" x)");
    check("print()", "(print)");
    check("print_no_newline(x)", "(print_nn x)");
    check("print(\n    1,\n        2\n)", "(print 1 2)");
}

#[test]
fn if_elif_else() {
    check(
        "if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\n",
        "(if a {(= x 1)} elif b {(= x 2)} else {(= x 3)})",
    );
    check(
        "if n == 3: print(\"three\")\nelse: print(\"other\")",
        "(if (== n 3) {(print \"three\")} else {(print \"other\")})",
    );
    check(
        "temp = 18\nif temp > 25:\n    print(\"hot\")\nelif temp > 15: print(\"mild\")\nelse:\n    print(\"cold\")",
        "(= temp 18)\n(if (> temp 25) {(print \"hot\")} elif (> temp 15) {(print \"mild\")} else {(print \"cold\")})",
    );
    check("if a: b = 1; c = 2", "(if a {(= b 1)})\n(= c 2)");
    check(
        "if a:\n    if b:\n        c()\n    d()\ne()",
        "(if a {(if b {(call c)}) (call d)})\n(call e)",
    );
}

#[test]
fn while_loops() {
    check("while n < 3: n += 1", "(while (< n 3) {(+= n 1)})");
    check("while a: b(); c()", "(while a {(call b) (call c)})");
    check("while true:\n    break\n", "(while true {(break)})");
}

#[test]
fn for_loops() {
    check(
        "for i in 0..10:\n    f(i)",
        "(for i (.. 0 10) {(call f i)})",
    );
    check(
        "for i in 1..=3:\n    f(i)",
        "(for i (..= 1 3) {(call f i)})",
    );
    check(
        "for i in 10..=0..-5:\n    f(i)",
        "(for i (..= 10 0 (- 5)) {(call f i)})",
    );
    check(
        "for i in 0..len(xs)..2:\n    f(i)",
        "(for i (.. 0 (call len xs) 2) {(call f i)})",
    );
    check("for x in xs:\n    f(x)", "(for x xs {(call f x)})");
    check("for k in n:\n    f(k)", "(for k n {(call f k)})");
}

#[test]
fn labels_break_continue() {
    check(
        "'rows: for r in 0..3:\n    for c in 0..3:\n        if c > r:\n            continue 'rows\n        break 'rows",
        "(for 'rows r (.. 0 3) {(for c (.. 0 3) {(if (> c r) {(continue 'rows)}) (break 'rows)})})",
    );
    check(
        "'outer: while true:\n    break",
        "(while 'outer true {(break)})",
    );
    check("while x:\n    continue", "(while x {(continue)})");
}

#[test]
fn returns() {
    check("fn f():\n    return", "(fn f () {(return)})");
    check("fn f(): return 5", "(fn f () {(return 5)})");
    check("fn f():\n    return a, b", "(fn f () {(return [a b])})");
    check("return", "(return)");
}

#[test]
fn functions() {
    check(
        "fn add(a: i32, b: i32) -> i32:\n    return a + b",
        "(fn add (a:i32 b:i32) -> i32 {(return (+ a b))})",
    );
    check("fn same(v): return v", "(fn same (v) {(return v)})");
    check(
        "fn f(x) -> i32: y = x; return y",
        "(fn f (x) -> i32 {(= y x) (return y)})",
    );
    check(
        "fn outer():\n    fn inner(n):\n        return n\n    return inner(1)",
        "(fn outer () {(fn inner (n) {(return n)}) (return (call inner 1))})",
    );
    check(
        "fn apply(f: fn(i32) -> i32, v: [i32]) -> void:\n    f(v[0])",
        "(fn apply (f:(fn (i32) i32) v:[i32]) -> void {(call f (idx v 0))})",
    );
    check(
        "fn g(\n    a,\n    b,\n):\n    return a",
        "(fn g (a b) {(return a)})",
    );
}

#[test]
fn anonymous_functions() {
    check(
        "halve = fn(n: i32) -> i32:\n    return n / 2\nprint(halve(4))",
        "(= halve (fn (n:i32) -> i32 {(return (/ n 2))}))\n(print (call halve 4))",
    );
    check(
        "r = apply(5, fn(x: i32) -> i32:\n    return x * 2\n)\nprint(r)",
        "(= r (call apply 5 (fn (x:i32) -> i32 {(return (* x 2))})))\n(print r)",
    );
    check(
        "r = apply(fn(x):\n    return x)\n",
        "(= r (call apply (fn (x) {(return x)})))",
    );
    check(
        "fn make():\n    return fn(x: i32) -> i32:\n        return x + 1\nprint(make()(2))",
        "(fn make () {(return (fn (x:i32) -> i32 {(return (+ x 1))}))})\n(print (call (call make) 2))",
    );
    check(
        "fs = [fn():\n    return 1\n, fn():\n    return 2\n]",
        "(= fs [(fn () {(return 1)}) (fn () {(return 2)})])",
    );
    // The statement after the function body is not an operand.
    check(
        "f = fn():\n    return 1\n-x",
        "(= f (fn () {(return 1)}))\n(- x)",
    );
}

#[test]
fn structs_and_impl() {
    check(
        "struct Vec2:\n    x: f64\n    y: f64 = 0.0\n",
        "(struct Vec2 (x f64) (y f64 = 0.0))",
    );
    check(
        "impl Vec2:\n    fn new(x: f64, y: f64) -> Vec2:\n        return Vec2{ x: x, y: y }\n    pub fn dot(self, o: Vec2) -> f64:\n        return self.x * o.x\n",
        "(impl Vec2 (fn new (x:f64 y:f64) -> Vec2 {(return (new Vec2 (x x) (y y)))}) (pub fn dot (self o:Vec2) -> f64 {(return (* (. self x) (. o x)))}))",
    );
    check(
        "struct S:\n    items: [i32]\n    f: fn(i32) -> i32",
        "(struct S (items [i32]) (f (fn (i32) i32)))",
    );
}

#[test]
fn enums() {
    check(
        "enum Shape:\n    Dot\n    Circle(radius: f64)\n    Rect(i32, i32)\n",
        "(enum Shape Dot (Circle radius:f64) (Rect i32 i32))",
    );
    check(
        "enum Light:\n    Red, Green,\n    Blue",
        "(enum Light Red Green Blue)",
    );
}

#[test]
fn match_statements() {
    check(
        "match s:\n    Shape.Dot -> print(\"dot\")\n    Shape.Rect(w, _) ->\n        print(w)\n        print(2)\n    _ -> pass_it()\n",
        "(match s ((. Shape Dot) -> {(print \"dot\")}) ((call (. Shape Rect) w _) -> {(print w) (print 2)}) (_ -> {(call pass_it)}))",
    );
    check(
        "match n:\n    1 -> x = 1\n    -1 -> return\n",
        "(match n (1 -> {(= x 1)}) ((- 1) -> {(return)}))",
    );
}

#[test]
fn match_expressions() {
    check(
        "fn area(s: Shape) -> i32:\n    return match s:\n        Shape.Rect(w, h) -> w * h\n        _ -> 0\nprint(1)",
        "(fn area (s:Shape) -> i32 {(return (match s ((call (. Shape Rect) w h) -> (* w h)) (_ -> 0)))})\n(print 1)",
    );
    check(
        "name = match c:\n    Color.Red -> \"red\"\n    _ -> \"other\"\nprint(name)",
        "(= name (match c ((. Color Red) -> \"red\") (_ -> \"other\")))\n(print name)",
    );
    check(
        "print(match x:\n    1 -> \"one\"\n    _ -> \"many\"\n)",
        "(print (match x (1 -> \"one\") (_ -> \"many\")))",
    );
}

#[test]
fn try_catch_throw() {
    check(
        "try:\n    f()\ncatch problem:\n    print(problem)\n",
        "(try {(call f)} catch problem {(print problem)})",
    );
    check("try: f()\ncatch: g()", "(try {(call f)} catch {(call g)})");
    check("throw \"bad\"", "(throw \"bad\")");
    check(
        "try:\n    throw e\ncatch e: throw e",
        "(try {(throw e)} catch e {(throw e)})",
    );
}

#[test]
fn modules() {
    check("use a.b", "(use a.b)");
    check("use a.b: *", "(use a.b)");
    check(
        "use lib.temps: to_f, to_c as c",
        "(use lib.temps: to_f, to_c as c)",
    );
    check("use a.b as m", "(use a.b as m)");
    check("module lib.temps", "(module lib.temps)");
    check(
        "module geo:\n    pub fn f(): return 1\n    pub global LIMIT = 3\n",
        "(module geo {(pub fn f () {(return 1)}) (pub global (let LIMIT 3))})",
    );
    check("global mut COUNT = 0", "(global (let mut COUNT 0))");
    check("pub global FREEZE = 32", "(pub global (let FREEZE 32))");
    check("pub struct P:\n    x: i32", "(pub struct P (x i32))");
    check("pub enum E:\n    A", "(pub enum E A)");
    check(
        "pub impl P:\n    fn f(self): return 1",
        "(pub impl P (fn f (self) {(return 1)}))",
    );
}

#[test]
fn layout_edge_cases() {
    check("", "");
    check("// only a comment\n/* and a block */", "");
    check("x = 1\n\n\n   \n// c\ny = 2", "(= x 1)\n(= y 2)");
    check("if a:\r\n    b()\r\nc()\r\n", "(if a {(call b)})\n(call c)");
    check("if a:\n\tb()\n    c()", "(if a {(call b) (call c)})");
    check(
        "x = [\n        1,\n    2,\n  3]\nprint(x)",
        "(= x [1 2 3])\n(print x)",
    );
}

#[test]
fn spans() {
    let src = "x = a + b\nprint(f(1), v[2])\n";
    let (program, diags) = parse(src.as_bytes());
    assert!(diags.is_empty());
    let text = |s: crate::diag::Span| &src[s.start as usize..s.end as usize];
    assert_eq!(text(program.stmts[0].span), "x = a + b");
    let StmtKind::Bind(b) = &program.stmts[0].kind else {
        panic!()
    };
    assert_eq!(text(b[0].value.span), "+ b");
    assert_eq!(text(program.stmts[1].span), "print(f(1), v[2])");
    let StmtKind::Print { args, .. } = &program.stmts[1].kind else {
        panic!()
    };
    assert_eq!(text(args[0].span), "f(1)");
    assert_eq!(text(args[1].span), "[2]");
    // A statement ending with a block ends at its last token.
    let src2 = "if a:\n    b()\nc()\n";
    let (program, _) = parse(src2.as_bytes());
    assert_eq!(
        &src2[program.stmts[0].span.start as usize..program.stmts[0].span.end as usize],
        "if a:\n    b()"
    );
}
