//! Token-stream tests: each renders the tokens compactly (`NL`, `IN`, `DE` for layout)
//! and compares with the expected text.

use super::*;

fn render(src: &[u8]) -> (String, Vec<Diagnostic>) {
    let (tokens, diags) = tokenize(src);
    let text: Vec<String> = tokens
        .iter()
        .map(|t| match &t.kind {
            TokenKind::Int { value, hex: false } => value.to_string(),
            TokenKind::Int { value, hex: true } => format!("0x{value:X}"),
            TokenKind::Float(v) => format!("{v:?}"),
            TokenKind::Str(s) => format!("\"{}\"", s.escape_ascii()),
            TokenKind::Ident(name) => name.to_string(),
            TokenKind::Label(name) => format!("'{name}"),
            TokenKind::Newline => "NL".into(),
            TokenKind::Indent => "IN".into(),
            TokenKind::Dedent => "DE".into(),
            TokenKind::Eof => "EOF".into(),
            other => other.text().unwrap().to_string(),
        })
        .collect();
    (text.join(" "), diags)
}

/// Asserts the token stream of an input that lexes without errors.
fn check(src: &str, expected: &str) {
    let (text, diags) = render(src.as_bytes());
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {src:?}: {diags:?}"
    );
    assert_eq!(text, expected, "tokens of {src:?}");
}

/// Asserts the error codes (with 1-based lines) of an input.
fn check_errors(src: &[u8], expected: &[(&str, usize)]) -> String {
    let (text, diags) = render(src);
    let got: Vec<(String, usize)> = diags
        .iter()
        .map(|d| {
            let line = src[..d.span.start as usize]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            (d.code.to_string(), line)
        })
        .collect();
    let want: Vec<(String, usize)> = expected.iter().map(|&(c, l)| (c.to_string(), l)).collect();
    assert_eq!(
        got,
        want,
        "diagnostics of {:?}: {diags:?}",
        String::from_utf8_lossy(src)
    );
    text
}

fn message(src: &[u8]) -> String {
    let (_, diags) = tokenize(src);
    assert_eq!(diags.len(), 1, "{diags:?}");
    diags[0].message.clone()
}

#[test]
fn simple_statements() {
    check("x = 1 + 2", "x = 1 + 2 NL EOF");
    check("print(\"hi\")\n", "print ( \"hi\" ) NL EOF");
    check("", "EOF");
    check("\n\n  \n", "EOF");
}

#[test]
fn keywords_and_identifiers() {
    check(
        "if elif else while for in fn return mut const global pub use module",
        "if elif else while for in fn return mut const global pub use module NL EOF",
    );
    check(
        "print_no_newline time_stamp matches",
        "print_no_newline time_stamp matches NL EOF",
    );
    check(
        "string void self _x x_1 iff",
        "string void self _x x_1 iff NL EOF",
    );
    let (tokens, _) = tokenize(b"i32 string");
    assert_eq!(tokens[0].kind, TokenKind::I32);
    assert_eq!(tokens[1].kind, TokenKind::Ident("string".into()));
}

#[test]
fn operators() {
    check(
        "+ - * / % += -= *= /= %= = == != < <= > >= -> .. ..= . , ; :",
        "+ - * / % += -= *= /= %= = == != < <= > >= -> .. ..= . , ; : NL EOF",
    );
    check("& | ^ ~ << >> ! && || ?", "& | ^ ~ << >> ! && || ? NL EOF");
    check("a<<=b", "a << = b NL EOF");
}

#[test]
fn indentation_blocks() {
    check(
        "if x:\n    a\n    b\nc\n",
        "if x : NL IN a NL b NL DE c NL EOF",
    );
    check(
        "if x:\n  if y:\n    a\nb",
        "if x : NL IN if y : NL IN a NL DE DE b NL EOF",
    );
    // Dedents are emitted at the end of the file.
    check(
        "while x:\n    if y:\n        a",
        "while x : NL IN if y : NL IN a NL DE DE EOF",
    );
}

#[test]
fn tabs_count_four_columns() {
    check("if x:\n\ta\n    b\n", "if x : NL IN a NL b NL DE EOF");
    check("if x:\n  \ta\n      b\n", "if x : NL IN a NL b NL DE EOF");
}

#[test]
fn blank_and_comment_lines_are_ignored() {
    check(
        "if x:\n    a\n\n        // deep comment\n  \n/* block */\n    b\n",
        "if x : NL IN a NL b NL DE EOF",
    );
    check("// only a comment", "EOF");
    check("/* only\n a\n comment */", "EOF");
    check("x = 1 // trailing\ny = 2", "x = 1 NL y = 2 NL EOF");
}

#[test]
fn block_comments_do_not_nest() {
    check("/* outer /* not nested */ print(1)", "print ( 1 ) NL EOF");
    check("a /* spans\nlines */ b\nc", "a b NL c NL EOF");
}

#[test]
fn unterminated_block_comment_is_silent() {
    check("x = 1\n/* never closed\ny = 2", "x = 1 NL EOF");
}

#[test]
fn crlf_line_endings() {
    check("if x:\r\n    a\r\nb\r\n", "if x : NL IN a NL DE b NL EOF");
}

#[test]
fn semicolons_separate_statements() {
    check("a = 1; b = 2", "a = 1 ; b = 2 NL EOF");
}

#[test]
fn brackets_join_lines() {
    check("f(1,\n        2,\n  3)\nx", "f ( 1 , 2 , 3 ) NL x NL EOF");
    check("a = [\n    1,\n    2,\n]\n", "a = [ 1 , 2 , ] NL EOF");
    check(
        "p = P{\n    x: 1,\n    y: 2\n}\n",
        "p = P { x : 1 , y : 2 } NL EOF",
    );
}

#[test]
fn block_inside_brackets() {
    // An anonymous function passed as the last argument.
    check(
        "r = apply(5, fn(x: i32) -> i32:\n    return x\n)\nprint(r)",
        "r = apply ( 5 , fn ( x : i32 ) -> i32 : NL IN return x NL DE ) NL print ( r ) NL EOF",
    );
    // The closing bracket may end the block on its last line.
    check(
        "r = apply(fn(x):\n    return x)\n",
        "r = apply ( fn ( x ) : NL IN return x NL DE ) NL EOF",
    );
    // A match expression as an argument.
    check(
        "print(match s:\n    1 -> \"a\"\n    _ -> \"b\"\n)",
        "print ( match s : NL IN 1 -> \"a\" NL _ -> \"b\" NL DE ) NL EOF",
    );
    // Blocks nested inside the nested block.
    check(
        "f(fn():\n    if a:\n        b\n    c\n)",
        "f ( fn ( ) : NL IN if a : NL IN b NL DE c NL DE ) NL EOF",
    );
}

#[test]
fn unclosed_bracket_resyncs_at_statement_keyword() {
    check(
        "print(1, 2\nif x:\n    y\n",
        "print ( 1 , 2 NL if x : NL IN y NL DE EOF",
    );
}

#[test]
fn unclosed_bracket_resyncs_at_assignment() {
    check("foo(1, 2\nx = 3\n", "foo ( 1 , 2 NL x = 3 NL EOF");
    check(
        "foo(1, [2\n  a[0] += 3\n",
        "foo ( 1 , [ 2 NL a [ 0 ] += 3 NL EOF",
    );
}

#[test]
fn stray_indent_is_reported_once() {
    let text = check_errors(b"x = 1\n    y = 2\n    z = 3\nw = 4\n", &[("E1007", 2)]);
    assert_eq!(text, "x = 1 NL y = 2 NL z = 3 NL w = 4 NL EOF");
    assert_eq!(
        message(b"x = 1\n    y = 2\n"),
        "It looks like this line is indented, but there's no open block above it."
    );
}

#[test]
fn block_keyword_without_colon_still_opens_block() {
    // The parser reports the missing ':'; the lexer must not add an indentation error.
    check("if x\n    y\n", "if x NL IN y NL DE EOF");
}

#[test]
fn inconsistent_dedent() {
    let text = check_errors(b"if x:\n    a\n  b\n  c\nd\n", &[("E1006", 3)]);
    assert_eq!(text, "if x : NL IN a NL DE b NL c NL d NL EOF");
}

#[test]
fn integers() {
    check(
        "0 42 1_000_000 0xFF 0Xff_ff",
        "0 42 1000000 0xFF 0xFFFF NL EOF",
    );
    check("18446744073709551615", "18446744073709551615 NL EOF");
    check("0xFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF NL EOF");
}

#[test]
fn floats() {
    check(
        "1.5 0.25 6e3 1.5e-3 2E+2 1_0.5_0",
        "1.5 0.25 6000.0 0.0015 200.0 10.5 NL EOF",
    );
}

#[test]
fn ranges_are_not_floats() {
    check("1..5", "1 .. 5 NL EOF");
    check("0..=len", "0 ..= len NL EOF");
    check("a[1..]", "a [ 1 .. ] NL EOF");
    check("for i in 10..=0..-5:", "for i in 10 ..= 0 .. - 5 : NL EOF");
}

#[test]
fn malformed_numbers() {
    for bad in [
        "1__0", "10_", "0x", "1e", "5.", "1.e3", "10u32", "0b101", "1_", "0x_1", "1e+", ".5",
    ] {
        let src = format!("x = {bad}\n");
        check_errors(src.as_bytes(), &[("E1004", 1)]);
        assert_eq!(
            message(src.as_bytes()),
            format!("Malformed number literal '{bad}'")
        );
    }
    // The literal is replaced by a 0 so the parser sees a complete expression.
    assert_eq!(
        check_errors(b"x = 1__0 + 1", &[("E1004", 1)]),
        "x = 0 + 1 NL EOF"
    );
}

#[test]
fn number_too_large() {
    check_errors(b"x = 18446744073709551616", &[("E1005", 1)]);
    check_errors(b"x = 0x1_0000_0000_0000_0000", &[("E1005", 1)]);
    assert_eq!(
        message(b"99999999999999999999"),
        "Integer literal 99999999999999999999 is out of range"
    );
}

#[test]
fn strings_and_escapes() {
    check(r#""a\nb\t\r\\\"\0""#, r#""a\nb\t\r\\\"\x00" NL EOF"#);
    check("\"multi\nline\"", "\"multi\\nline\" NL EOF");
    let (tokens, _) = tokenize("\"\u{e9}\u{ff}\"".as_bytes());
    assert_eq!(
        tokens[0].kind,
        TokenKind::Str("\u{e9}\u{ff}".as_bytes().into())
    );
    let (tokens, diags) = tokenize(b"\"\xff\xfe\"");
    assert!(diags.is_empty());
    assert_eq!(tokens[0].kind, TokenKind::Str([0xff, 0xfe].into()));
}

#[test]
fn invalid_escape_keeps_lexing() {
    let text = check_errors(b"s = \"a\\qb\\xc\"\ny = 1", &[("E1003", 1), ("E1003", 1)]);
    assert_eq!(text, "s = \"a\\\\qb\\\\xc\" NL y = 1 NL EOF");
    assert_eq!(message(b"\"\\q\""), "Invalid escape sequence '\\q'");
}

#[test]
fn unterminated_string() {
    let text = check_errors(b"x = 1\ns = \"abc\ny = 2\n", &[("E1002", 2)]);
    assert_eq!(text, "x = 1 NL s = \"abc\\ny = 2\\n\" NL EOF");
    assert_eq!(message(b"\"abc\\"), "Unterminated string literal");
    let (_, diags) = tokenize(b"  \"abc");
    assert_eq!(diags[0].span, Span::new(2, 3));
}

#[test]
fn unexpected_characters_report_one_run() {
    check_errors(b"x = $ + 1\n", &[("E1001", 1)]);
    check_errors("x = caf\u{e9}\u{e9}\u{e9}\n".as_bytes(), &[("E1001", 1)]);
    check_errors(
        b"x = \xff\xfe\xfd 1\ny = \xff",
        &[("E1001", 1), ("E1001", 2)],
    );
    assert_eq!(
        message("a = \u{e9}\u{e8}".as_bytes()),
        "Unexpected character '\u{e9}'"
    );
    assert_eq!(message(b"\xff"), "Unexpected character '\\xFF'");
    assert_eq!(message(b"# comment"), "Unexpected character '#'");
    // Non-ASCII is fine inside comments.
    check("// caf\u{e9}\n/* \u{e9} */ x", "x NL EOF");
}

#[test]
fn labels() {
    check("'outer: for i in xs:", "'outer : for i in xs : NL EOF");
    check("break 'outer", "break 'outer NL EOF");
    check_errors(b"x = '1", &[("E1001", 1)]);
}

#[test]
fn spans_point_at_tokens() {
    let (tokens, _) = tokenize(b"ab = 12\n");
    assert_eq!(tokens[0].span, Span::new(0, 2));
    assert_eq!(tokens[1].span, Span::new(3, 4));
    assert_eq!(tokens[2].span, Span::new(5, 7));
    assert_eq!(tokens[3].kind, TokenKind::Newline);
    assert_eq!(tokens[3].span, Span::new(7, 8));
}

#[test]
fn describe_tokens() {
    assert_eq!(TokenKind::RParen.describe(), "')'");
    assert_eq!(TokenKind::If.describe(), "'if'");
    assert_eq!(TokenKind::Ident("x".into()).describe(), "identifier 'x'");
    assert_eq!(
        TokenKind::Int {
            value: 42,
            hex: false
        }
        .describe(),
        "integer 42"
    );
    assert_eq!(TokenKind::Newline.describe(), "NEWLINE");
    assert_eq!(TokenKind::Eof.describe(), "end of file");
}

#[test]
fn always_ends_with_eof() {
    for src in [
        &b""[..],
        b"(",
        b"\"",
        b"/*",
        b"if x:\n    (",
        b"\xff",
        b"a\n\t\tb",
        b")))",
    ] {
        let (tokens, _) = tokenize(src);
        assert_eq!(tokens.last().map(|t| &t.kind), Some(&TokenKind::Eof));
        let (open, close) = tokens.iter().fold((0, 0), |(i, d), t| match t.kind {
            TokenKind::Indent => (i + 1, d),
            TokenKind::Dedent => (i, d + 1),
            _ => (i, d),
        });
        assert_eq!(open, close, "unbalanced layout for {src:?}");
    }
}

#[test]
fn repeated_identifiers_share_one_name() {
    let (tokens, diags) = tokenize(b"total = total + count\nprint(total, count)\n");
    assert!(diags.is_empty());
    let names: Vec<&crate::ast::Name> = tokens
        .iter()
        .filter_map(|t| match &t.kind {
            TokenKind::Ident(name) => Some(name),
            _ => None,
        })
        .collect();
    let totals: Vec<_> = names.iter().filter(|n| n.as_ref() == "total").collect();
    assert_eq!(totals.len(), 3);
    assert!(totals.windows(2).all(|w| std::rc::Rc::ptr_eq(w[0], w[1])));
    let counts: Vec<_> = names.iter().filter(|n| n.as_ref() == "count").collect();
    assert_eq!(counts.len(), 2);
    assert!(!std::rc::Rc::ptr_eq(totals[0], counts[0]));
}

#[test]
fn names_differing_only_past_the_first_bytes_stay_distinct() {
    // Names that share their first bytes and length class are still told apart.
    let src: String = (0..2000).map(|i| format!("w{i} = {i}\n")).collect();
    let (tokens, diags) = tokenize(src.as_bytes());
    assert!(diags.is_empty());
    let mut distinct: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match &t.kind {
            TokenKind::Ident(name) => Some(&**name),
            _ => None,
        })
        .collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 2000);
}

#[test]
fn one_leading_byte_order_mark_is_stripped_before_lexing() {
    let (tokens, diags) = tokenize(crate::lexer::strip_bom(b"\xEF\xBB\xBFprint(1)\n"));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(tokens[0].kind, TokenKind::Print);
    assert_eq!(tokens[0].span.start, 0);
    // A second one, or one anywhere else, is an unexpected character.
    let (_, diags) = tokenize(crate::lexer::strip_bom(
        b"\xEF\xBB\xBF\xEF\xBB\xBFprint(1)\n",
    ));
    assert_eq!(diags.len(), 1);
    let (_, diags) = tokenize(b"x = 1\n\xEF\xBB\xBFprint(x)\n");
    assert_eq!(diags.len(), 1);
}

#[test]
fn the_plain_number_reader_agrees_with_the_general_one() {
    let literals = [
        "0",
        "7",
        "42",
        "007",
        "1234567890123456789",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999",
        "1.5",
        "0.1",
        "3.14159",
        "123456789.123456789",
        "9007199254740991.0",
        "9007199254740993.0",
        "0.30000000000000004",
        "0.0000000000000000000001",
        "0.00000000000000000000001",
        "1.00000000000000000000001",
        "12345678901234567.5",
        "1e3",
        "1.5e-3",
        "1_000",
        "1.5_0",
        "0x1F",
        "5.",
        "1.e3",
        "10u32",
        "2.5e",
        "3.x",
    ];
    for literal in literals {
        for after in ["", " ", "\n", ")", "..", "..=2", ".x", ".5", "_", "a"] {
            let src = format!("{literal}{after}");
            let mut plain = Lexer::new(src.as_bytes());
            plain.number();
            let mut general = Lexer::new(src.as_bytes());
            general.general_number();
            assert_eq!(plain.pos, general.pos, "end of {src:?}");
            assert_eq!(plain.tokens, general.tokens, "token of {src:?}");
            assert_eq!(plain.diags, general.diags, "errors of {src:?}");
        }
    }
}

#[test]
fn two_halves_lex_like_the_whole_file() {
    let src = b"fn f(a: i32) -> i32:\n    if a > 0:\n        return a\n    return 0\n\n// two\nfn g() -> i32:\n    xs = [1,\n        2]\n    return f(xs[0])\nprint(g())\n";
    let (whole, diags) = tokenize(src);
    assert!(diags.is_empty(), "{diags:?}");
    let layout = |k: &TokenKind| {
        matches!(
            k,
            TokenKind::Newline | TokenKind::Dedent | TokenKind::Indent
        )
    };
    for line in [b"fn g".as_slice(), b"print(g"] {
        let offset = src.windows(line.len()).position(|w| w == line).unwrap();
        // The first half, lexed alone, ends as the whole file does before the split.
        let (first, diags) = tokenize(&src[..offset]);
        assert!(diags.is_empty(), "{diags:?}");
        let split = whole
            .iter()
            .position(|t| t.span.start as usize >= offset && !layout(&t.kind))
            .unwrap();
        let first_text: Vec<_> = first
            .iter()
            .filter(|t| !layout(&t.kind))
            .take_while(|t| t.kind != TokenKind::Eof)
            .collect();
        let whole_text: Vec<_> = whole[..split].iter().filter(|t| !layout(&t.kind)).collect();
        assert_eq!(first_text, whole_text);
        // The second half has the whole file's tokens and spans from the split on.
        let (second, diags) = tokenize_from(src, offset);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(second, whole[split..]);
    }
}
