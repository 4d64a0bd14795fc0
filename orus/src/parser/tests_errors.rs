//! Error tests: the expected codes and lines (and, where the wording is specified, the
//! message) of syntax errors, and recovery that reports independent mistakes once each.

use super::parse;
use super::tests::render_ok;
use crate::diag::Diagnostic;

fn diags(src: &str) -> Vec<Diagnostic> {
    parse(src.as_bytes()).1
}

fn line_of(src: &str, d: &Diagnostic) -> usize {
    src.as_bytes()[..d.span.start as usize]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Asserts the exact list of `(code, line)` pairs reported for `src`.
fn check(src: &str, expected: &[(&str, usize)]) {
    let ds = diags(src);
    let got: Vec<(String, usize)> = ds
        .iter()
        .map(|d| (d.code.to_string(), line_of(src, d)))
        .collect();
    let want: Vec<(String, usize)> = expected.iter().map(|&(c, l)| (c.into(), l)).collect();
    assert_eq!(got, want, "diagnostics of {src:?}: {ds:#?}");
}

/// Asserts the single diagnostic of `src`: code and message.
fn check_msg(src: &str, code: &str, message: &str) {
    let ds = diags(src);
    assert_eq!(ds.len(), 1, "diagnostics of {src:?}: {ds:#?}");
    assert_eq!(ds[0].code.to_string(), code, "{src:?}");
    assert_eq!(ds[0].message, message, "{src:?}");
}

#[test]
fn missing_colon() {
    check_msg(
        "if x\n    y()\n",
        "E1008",
        "Expected ':' after if statement",
    );
    check_msg(
        "while x\n    y()\n",
        "E1008",
        "Expected ':' after while statement",
    );
    check_msg(
        "for i in 0..3\n    f(i)\n",
        "E1008",
        "Expected ':' after for statement",
    );
    check("if x y:\n    z()\nw()", &[("E1008", 1)]);
    check("fn f()\n    return 1\nf()", &[("E1008", 1)]);
}

#[test]
fn missing_colon_keeps_the_block() {
    let (program, ds) = parse(b"if x\n    y()\nz()\n");
    assert_eq!(ds.len(), 1);
    assert_eq!(
        super::tests::sx_program(&program),
        "(if x {(call y)})\n(call z)"
    );
}

#[test]
fn print_needs_commas() {
    check_msg(
        "print(\"a\" x)",
        "E1011",
        "I was expecting a comma before \"x\" so the next value is clear.",
    );
    check("print(1 2 3)", &[("E1011", 1), ("E1011", 1)]);
    check("print(1, 2)\nprint(a b)\n", &[("E1011", 2)]);
}

#[test]
fn unclosed_brackets() {
    check_msg(
        "print(1, 2\nx = 3\n",
        "E1010",
        "Expected ')' to close this parenthesis, but found NEWLINE instead.",
    );
    check_msg(
        "x = [1, 2\ny = 1\n",
        "E1010",
        "Expected ']' to close this array literal, but found NEWLINE instead.",
    );
    check("x = (1 + 2", &[("E1010", 1)]);
    check("f(1,", &[("E1010", 1)]);
    check_msg(
        "f(1, 2]",
        "E1010",
        "Expected ')' to close this parenthesis, but found ']' instead.",
    );
    check(
        "a = f(1\nif b:\n    c(\nd = 2",
        &[("E1010", 1), ("E1010", 3)],
    );
    // The caret points at the opening bracket.
    let ds = diags("total = sum(1, 2\n");
    assert_eq!(ds[0].span.start, 11);
}

#[test]
fn unclosed_bracket_then_more_statements() {
    let (program, ds) = parse(b"print(1, 2\nx = 3\nprint(x)\n");
    assert_eq!(ds.len(), 1);
    let text = super::tests::sx_program(&program);
    assert_eq!(text, "(= x 3)\n(print x)");
}

#[test]
fn expected_expression() {
    check_msg("x = )", "E1009", "Expected an expression, found ')'");
    check_msg("x = \n", "E1009", "Expected an expression, found NEWLINE");
    check_msg(
        "x = 1 +\n",
        "E1009",
        "Expected an expression, found NEWLINE",
    );
    // Without a final line break there is no newline to name.
    check_msg(
        "x = 1 +",
        "E1009",
        "Expected an expression, found end of file",
    );
    check_msg(
        "y = print(1)",
        "E1009",
        "Expected an expression, found 'print'",
    );
    check_msg("else:\n    x()", "E1009", "'else' needs an 'if' before it");
    check_msg(
        "catch e:\n    x()",
        "E1009",
        "'catch' needs a 'try' before it",
    );
    check("f(,)", &[("E1009", 1)]);
    check("x = ()", &[("E1009", 1)]);
}

#[test]
fn not_part_of_orus() {
    check_msg("x = !a", "E1018", "'!' is not an operator in Orus");
    check_msg("x = a && b", "E1018", "'&&' is not an operator in Orus");
    check_msg("x = a || b", "E1018", "'||' is not an operator in Orus");
    check("x = c ? a : b", &[("E1018", 1)]);
    check("x = a if c else b", &[("E1018", 1)]);
    check("static x = 1", &[("E1018", 1)]);
    check("if !done:\n    f()", &[("E1018", 1)]);
    let ds = diags("x = !a");
    assert_eq!(ds[0].help.as_deref(), Some("use `not`"));
}

#[test]
fn bitwise_operators_are_accepted() {
    render_ok("x = a & b | c ^ ~d << 2 >> 1");
}

#[test]
fn chained_casts() {
    check_msg(
        "y = v as bool as i32",
        "E1022",
        "Chained type casts need parentheses: write (v as T) as U",
    );
    render_ok("y = (v as bool) as i32");
}

#[test]
fn assignment_in_condition() {
    check_msg(
        "if x = 1:\n    y()",
        "E1023",
        "Use '==' to compare; '=' assigns",
    );
    check("while x = 1: y()", &[("E1023", 1)]);
    check("if a:\n    b()\nelif x = 2:\n    c()", &[("E1023", 3)]);
    let ds = diags("if x = 1:\n    y()");
    assert_eq!(ds[0].help.as_deref(), Some("use `==`"));
}

#[test]
fn invalid_assignment_targets() {
    check_msg("1 = x", "E1024", "Can't assign to this expression");
    check("f() = 2", &[("E1024", 1)]);
    check("a[1..2] = x", &[("E1024", 1)]);
    check("a + b += 1", &[("E1024", 1)]);
    check("\"s\" = 1\nx = 2", &[("E1024", 1)]);
}

#[test]
fn declarations_need_values() {
    check_msg("x: i32", "E1025", "Variable 'x' needs an initial value");
    check("mut y: f64\nz = 1", &[("E1025", 1)]);
    check("global LIMIT", &[("E1025", 1)]);
    check_msg(
        "mut x += 1",
        "E1020",
        "Compound assignments cannot declare a new variable",
    );
}

#[test]
fn module_level_only() {
    check_msg(
        "fn f():\n    pub fn g(): return 1\n",
        "E1026",
        "'pub' declarations are only allowed at module scope",
    );
    check("if a:\n    use x.y\n", &[("E1026", 2)]);
    check("while a:\n    global G = 1\n", &[("E1026", 2)]);
    check("fn f():\n    module m\n", &[("E1026", 2)]);
    check("fn f():\n    pub global G = 1\n", &[("E1026", 2)]);
    render_ok("module m:\n    pub fn f(): return 1\n    use a.b\n");
}

#[test]
fn forms_that_need_a_block() {
    check("for i in xs: f(i)", &[("E1008", 1)]);
    check("struct P: x: i32", &[("E1008", 1)]);
    check("enum E: A", &[("E1008", 1)]);
    check("impl P: fn f(): return 1", &[("E1008", 1)]);
    check("f = fn(x) -> i32: return x", &[("E1008", 1)]);
    check("if x:\ny()", &[("E1008", 2)]);
}

#[test]
fn else_if_suggests_elif() {
    check_msg(
        "if a:\n    b()\nelse if c:\n    d()",
        "E1008",
        "Expected ':' after else",
    );
    let ds = diags("if a: b()\nelse if c: d()");
    assert_eq!(
        ds[0].help.as_deref(),
        Some("write `elif` instead of `else if`")
    );
}

#[test]
fn try_needs_catch() {
    check_msg(
        "try:\n    f()\nx = 1",
        "E1008",
        "Expected 'catch' after the 'try' block",
    );
}

#[test]
fn misc_expected_tokens() {
    check("for i xs:\n    f()", &[("E1008", 1)]);
    check("'outer: if x:\n    y()", &[("E1008", 1)]);
    check(
        "fn (x): return 1\nfn 1():\n    x()",
        &[("E1008", 1), ("E1008", 2)],
    );
    check("impl P:\n    x = 1\n", &[("E1008", 2)]);
    check("struct P:\n    x\n", &[("E1008", 2)]);
    check("x = 1 2", &[("E1008", 1)]);
    check("pub x = 1", &[("E1008", 1)]);
    check("p = P{x 1}", &[("E1008", 1)]);
    check("x = a.", &[("E1008", 1)]);
    check("x: = 1", &[("E1008", 1)]);
}

#[test]
fn recovery_reports_independent_errors() {
    let src = "x = )\ny = 1\nif a b:\n    z()\nprint(1 2)\nw = 3\n";
    check(src, &[("E1009", 1), ("E1008", 3), ("E1011", 5)]);
    let src = "fn f():\n    x = )\n    y = (\n    return 1\nz = ]\n";
    check(src, &[("E1009", 2), ("E1010", 3), ("E1009", 5)]);
}

#[test]
fn errors_inside_blocks_do_not_lose_the_rest() {
    let (program, ds) = parse(b"if a:\n    x = )\n    y()\nz()\n");
    assert_eq!(ds.len(), 1);
    assert_eq!(
        super::tests::sx_program(&program),
        "(if a {(call y)})\n(call z)"
    );
}

#[test]
fn header_error_skips_its_block() {
    let (program, ds) = parse(b"while a b:\n    x = )\n    y()\nz()\n");
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(super::tests::sx_program(&program), "(call z)");
}

#[test]
fn no_cascade_after_lexer_errors() {
    check("x = $\ny = 1", &[("E1001", 1)]);
    check("print(\"abc)\n", &[("E1002", 1)]);
    check("x = 1__0 +", &[("E1004", 1)]);
    check("x = 1\n    y = 2\nz = 3", &[("E1007", 2)]);
    check("if x:\n        a()\n    b()\n", &[("E1006", 3)]);
}

#[test]
fn stray_indent_after_one_line_body() {
    check("if a: b()\n    c()\nd()", &[("E1007", 2)]);
}

#[test]
fn error_count_is_capped() {
    let src = "x = )\n".repeat(50);
    assert_eq!(diags(&src).len(), 20);
}

#[test]
fn nesting_limit() {
    let deep = format!("x = {}1{}", "(".repeat(300), ")".repeat(300));
    check(&deep, &[("E1019", 1)]);
    assert_eq!(
        diags(&deep)[0].message,
        "Expression nesting exceeds the limit of 256 levels (the blocks, expressions and \
         types around it count together)"
    );
    let ok = format!("x = {}1{}", "(".repeat(200), ")".repeat(200));
    render_ok(&ok);
    let long_chain = format!("x = 1{}", " + 1".repeat(400));
    check(&long_chain, &[("E1019", 1)]);
    let negs = format!("x = {}1", "-".repeat(300));
    check(&negs, &[("E1019", 1)]);
    let mut blocks = String::new();
    for i in 0..300 {
        blocks.push_str(&" ".repeat(i));
        blocks.push_str("if a:\n");
    }
    blocks.push_str(&" ".repeat(300));
    blocks.push_str("b()\nc()\n");
    let (program, ds) = parse(blocks.as_bytes());
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].code.to_string(), "E1019");
    assert_eq!(program.stmts.len(), 2);
}

#[test]
fn reporting_stops_after_twenty_syntax_errors_and_says_so() {
    let many = diags(&")\n".repeat(40));
    assert_eq!(many.len(), 20);
    let note = many[19].note.as_deref().unwrap_or("");
    assert!(note.contains("stops after 20 syntax errors"), "{note}");
    // Fewer errors than the cap: no note.
    let few = diags(&")\n".repeat(3));
    assert!(few.iter().all(|d| d.note.is_none()), "{few:?}");
}
