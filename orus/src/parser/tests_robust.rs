//! Robustness tests: the lexer and parser never panic, never overflow the host stack,
//! and keep their invariants (tokens end with `Eof`, layout tokens balance, spans lie in
//! the source, at most 20 diagnostics) on hostile input: random bytes, random token
//! soups, extreme nesting, huge lines, unterminated strings and comments.

use super::parse;
use crate::lexer::{tokenize, TokenKind};

/// Runs `f` on a fresh thread with a stack of `bytes`.
fn on_stack(bytes: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(bytes)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the parser panicked or overflowed");
}

const SMALL_STACK: usize = 2 << 20;
const MAIN_STACK: usize = 8 << 20;

/// Lexes and parses `src`, checking the invariants that hold for every input.
fn check_invariants(src: &[u8]) {
    let (tokens, _) = tokenize(src);
    assert_eq!(tokens.last().map(|t| &t.kind), Some(&TokenKind::Eof));
    let mut depth = 0i64;
    let mut last_start = 0;
    for t in &tokens {
        assert!(
            t.span.start <= t.span.end && t.span.end as usize <= src.len(),
            "{t:?}"
        );
        assert!(
            t.span.start >= last_start,
            "token starts go backwards at {t:?}"
        );
        last_start = t.span.start;
        match t.kind {
            TokenKind::Indent => depth += 1,
            TokenKind::Dedent => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "dedent without indent");
    }
    assert_eq!(depth, 0, "unbalanced layout");
    let (program, diags) = parse(src);
    assert!(diags.len() <= 20);
    for d in &diags {
        assert!(
            d.span.start <= d.span.end && d.span.end as usize <= src.len(),
            "{d:?}"
        );
    }
    for s in &program.stmts {
        assert!(s.span.start <= s.span.end && s.span.end as usize <= src.len());
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn empty_and_comment_only_inputs() {
    for src in [
        "",
        "\n",
        "   ",
        "// c",
        "/* c */",
        "/* never closed",
        "\t\n\t\n",
        "\r\n",
    ] {
        let (program, diags) = parse(src.as_bytes());
        assert!(program.stmts.is_empty() && diags.is_empty(), "{src:?}");
    }
}

#[test]
fn random_bytes() {
    let alphabet = b"abcxyz019_ \t\n\n\n\r():[]{},.;'\"\\/*+-=<>!&|^~?#$@\x00\xc3\xa9\xff";
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3000 {
        let len = rng.below(120);
        let src: Vec<u8> = (0..len)
            .map(|_| {
                if rng.below(8) == 0 {
                    rng.next() as u8
                } else {
                    alphabet[rng.below(alphabet.len())]
                }
            })
            .collect();
        check_invariants(&src);
    }
}

#[test]
fn random_token_soups() {
    let words = [
        "x",
        "y",
        "Point",
        "_",
        "1",
        "0xFF",
        "2.5",
        "\"s\"",
        "true",
        "if",
        "elif",
        "else",
        "while",
        "for",
        "in",
        "fn",
        "return",
        "break",
        "continue",
        "'outer",
        "mut",
        "const",
        "global",
        "pub",
        "use",
        "module",
        "struct",
        "enum",
        "impl",
        "match",
        "matches",
        "try",
        "catch",
        "throw",
        "print",
        "print_no_newline",
        "time_stamp",
        "and",
        "or",
        "not",
        "as",
        "i32",
        "string",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "..",
        "..=",
        ":",
        "->",
        ";",
        "=",
        "==",
        "+=",
        "+",
        "-",
        "*",
        "/",
        "%",
        "<",
        ">=",
        "&",
        "|",
        "^",
        "~",
        "<<",
        "!",
        "&&",
        "?",
        "static",
        "\n",
        "\n",
        "\n    ",
        "\n        ",
        "\n  ",
        ":\n    ",
    ];
    let mut rng = XorShift(0xDEAD_BEEF_CAFE_F00D);
    for _ in 0..3000 {
        let n = rng.below(40);
        let mut src = String::new();
        for _ in 0..n {
            src.push_str(words[rng.below(words.len())]);
            src.push(' ');
        }
        check_invariants(src.as_bytes());
    }
}

#[test]
fn random_mutations_of_a_valid_program() {
    let program = "struct P:\n    x: i32\n    y: f64 = 0.0\nimpl P:\n    fn get(self) -> i32:\n        return self.x\nenum E:\n    A\n    B(i32)\nfn f(a: i32, b) -> i32:\n    mut t = 0\n    for i in 0..=a..2:\n        t += i\n    while t > 100: t -= 1\n    match E.B(1):\n        E.B(v) -> t += v\n        _ -> return 0\n    return t\nr = apply(fn(x: i32) -> i32:\n    return x\n, 3)\ntry:\n    print(f(3, P{x: 1}), [1, 2][0..1])\ncatch e:\n    throw e\n";
    let bytes = program.as_bytes();
    let mut rng = XorShift(12345);
    for _ in 0..2000 {
        let mut src = bytes.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(src.len());
            match rng.below(3) {
                0 => {
                    src.remove(at);
                }
                1 => src.insert(at, bytes[rng.below(bytes.len())]),
                _ => src[at] = bytes[rng.below(bytes.len())],
            }
        }
        check_invariants(&src);
    }
}

/// Inputs nested far beyond the limit, which must report E1019 and not crash.
fn deep_inputs() -> Vec<(String, Vec<u8>)> {
    let n = 10_000;
    let mut out = vec![
        (
            "parens".to_string(),
            format!("x = {}1{}", "(".repeat(n), ")".repeat(n)),
        ),
        (
            "brackets".into(),
            format!("x = {}1{}", "[".repeat(n), "]".repeat(n)),
        ),
        ("unclosed".into(), format!("x = {}", "(".repeat(n))),
        ("negations".into(), format!("x = {}1", "-".repeat(n))),
        ("nots".into(), format!("x = {}a", "not ".repeat(n))),
        (
            "calls".into(),
            format!("x = {}1{}", "f(".repeat(n), ")".repeat(n)),
        ),
        (
            "indexes".into(),
            format!("x = {}0{}", "a[".repeat(n), "]".repeat(n)),
        ),
        (
            "structs".into(),
            format!("x = {}1{}", "P{a: ".repeat(n), "}".repeat(n)),
        ),
        ("chain".into(), format!("x = 1{}", " + 1".repeat(n))),
        ("fields".into(), format!("x = a{}", ".b".repeat(n))),
        (
            "types".into(),
            format!("x: {}i32{} = 1", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "fn types".into(),
            format!("x: {}i32{} = 1", "fn(".repeat(n), ")".repeat(n)),
        ),
        ("one-line ifs".into(), format!("{}x()", "if a: ".repeat(n))),
    ]
    .into_iter()
    .map(|(name, src)| (name, src.into_bytes()))
    .collect::<Vec<_>>();
    for head in [
        "if a:",
        "while a:",
        "for i in a:",
        "fn f():",
        "match a:\n_ ->",
    ] {
        let mut src = String::new();
        for i in 0..2000 {
            for (j, line) in head.lines().enumerate() {
                src.push_str(&" ".repeat(2 * i + j));
                src.push_str(line);
                src.push('\n');
            }
        }
        src.push_str(&" ".repeat(4000));
        src.push_str("b()\nc()\n");
        out.push((format!("nested {head}"), src.into_bytes()));
    }
    let mut anon = String::from("x = ");
    for i in 0..2000 {
        anon.push_str("f(fn():\n");
        anon.push_str(&" ".repeat(i + 1));
        anon.push_str("return ");
    }
    anon.push('1');
    out.push(("nested anonymous functions".into(), anon.into_bytes()));
    out
}

fn parse_deep_inputs() {
    for (name, src) in deep_inputs() {
        let (_, diags) = parse(&src);
        assert!(
            diags.iter().any(|d| d.code.to_string() == "E1019"),
            "{name}: {diags:?}"
        );
        assert!(diags.len() <= 20, "{name}");
    }
}

#[test]
fn deep_nesting_on_a_2mb_thread() {
    on_stack(SMALL_STACK, parse_deep_inputs);
}

#[test]
fn deep_nesting_on_an_8mb_thread() {
    on_stack(MAIN_STACK, parse_deep_inputs);
}

#[test]
fn nesting_just_under_the_limit_fits_a_2mb_thread() {
    on_stack(SMALL_STACK, || {
        let n = 250;
        let mut shapes = vec![
            format!("x = {}1{}", "(".repeat(n), ")".repeat(n)),
            format!("x = {}1{}", "f(".repeat(n / 2), ")".repeat(n / 2)),
            format!("x = {}1{}", "P{a: ".repeat(n / 2), "}".repeat(n / 2)),
        ];
        for head in ["if a:", "while a:", "for i in a:", "fn f():"] {
            let mut src = String::new();
            for i in 0..n {
                src.push_str(&" ".repeat(i));
                src.push_str(head);
                src.push('\n');
            }
            src.push_str(&" ".repeat(n));
            src.push_str("b()\n");
            shapes.push(src);
        }
        for src in shapes {
            let (_, diags) = parse(src.as_bytes());
            assert!(diags.is_empty(), "{diags:?}");
        }
    });
}

#[test]
fn megabyte_lines() {
    let n = 1 << 20;
    let inputs: Vec<Vec<u8>> = vec![
        format!("s = \"{}\"", "a".repeat(n)).into_bytes(),
        format!("xs = [{}1]", "1, ".repeat(n / 3)).into_bytes(),
        format!("print({}1)", "x, ".repeat(n / 3)).into_bytes(),
        format!("x = {}", "a ".repeat(n / 2)).into_bytes(),
        format!("x = 1{}", "; y = 2".repeat(n / 7)).into_bytes(),
        vec![b'('; n],
        vec![b')'; n],
        vec![0xff; n],
        "$".repeat(n).into_bytes(),
        " ".repeat(n).into_bytes(),
    ];
    for src in inputs {
        check_invariants(&src);
    }
}

#[test]
fn unterminated_strings_and_comments() {
    for src in [
        "x = \"abc",
        "x = \"abc\\",
        "x = \"a\nb\nc",
        "print(\"abc",
        "if a:\n    x = \"never",
        "x = 1 /* never closed\ny = 2",
        "/*",
        "\"",
        "'",
    ] {
        check_invariants(src.as_bytes());
    }
    let (program, diags) = parse(b"x = 1\ny = \"never closed\n\nz = 3");
    assert_eq!(diags.len(), 1);
    assert_eq!(program.stmts.len(), 2);
}

#[test]
fn deep_indentation_without_blocks() {
    let mut src = String::new();
    for i in 0..5000 {
        src.push_str(&" ".repeat(i));
        src.push_str("x = 1\n");
    }
    for i in (0..5000).rev() {
        src.push_str(&"\t".repeat(i % 7));
        src.push_str("y = 2\n");
    }
    check_invariants(src.as_bytes());
}

#[test]
fn a_deeper_bound_admits_long_chains_but_not_deeper_nesting() {
    on_stack(MAIN_STACK, || {
        let chain = format!("x = {}", vec!["a"; 5000].join(" + "));
        let prefix = format!("x = {}a", "- ".repeat(5000));
        let calls = format!("x = s{}", ".f()".repeat(3000));
        for src in [&chain, &prefix, &calls] {
            let (_, default) = parse(src.as_bytes());
            assert!(default.iter().any(|d| d.code.to_string() == "E1019"));
            let (_, deep) = super::parse_with_depth(src.as_bytes(), 10_000);
            assert!(deep.is_empty(), "{deep:?}");
            let (_, shallow) = super::parse_with_depth(src.as_bytes(), 2_000);
            assert!(shallow.iter().any(|d| d.code.to_string() == "E1019"));
        }
        // Nesting stays bounded by 256 whatever the tree bound.
        let parens = format!("x = {}1{}", "(".repeat(300), ")".repeat(300));
        let (_, diags) = super::parse_with_depth(parens.as_bytes(), 100_000);
        assert!(
            diags.iter().any(|d| d.message.contains("limit of 256")),
            "{diags:?}"
        );
    });
}
