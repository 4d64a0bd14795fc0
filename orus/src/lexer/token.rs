//! Token kinds: the vocabulary shared by the lexer and the parser, with the fixed
//! spelling of each keyword and operator and a short description for messages and
//! `--show-tokens`.
//!
//! A token's name or string is a type parameter. The public [`Token`] owns them (a
//! [`Name`], the string's bytes), for `tokenize` and its users. Inside the compiler the
//! lexer makes [`LexToken`]s, whose names and strings are indices into the lexer's
//! tables: such a token is `Copy` and 24 bytes, needs no drop work when the parser is
//! done with it, and the parser takes a name or a string from the table only when it
//! builds a tree node of it.

use crate::ast::Name;
use crate::diag::Span;

/// One token and the bytes it covers. Layout tokens have zero width (`Newline` covers the
/// `\n` that ended its line, when there is one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Token<N = Name, S = Box<[u8]>> {
    pub kind: TokenKind<N, S>,
    pub span: Span,
}

/// The index of a name in the lexer's word table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NameId(pub(crate) u32);

/// The index of a string literal's contents in the lexer's string table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StrId(pub(crate) u32);

/// A token as the lexer makes it, with its name or string held by index.
pub(crate) type LexToken = Token<NameId, StrId>;
/// The kind of a [`LexToken`].
pub(crate) type LexKind = TokenKind<NameId, StrId>;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TokenKind<N = Name, S = Box<[u8]>> {
    // Literals and names.
    /// Magnitude of an integer literal; malformed literals are reported and become 0.
    Int {
        value: u64,
        hex: bool,
    },
    Float(f64),
    /// String contents with escapes processed. A boxed slice rather than a `Vec`: a `Vec`
    /// would lend its spare capacity values to encode the other variants, and every match
    /// on a token kind would then decode that instead of reading a tag byte.
    Str(S),
    Ident(N),
    /// `'name` (a loop label); holds the name without the quote.
    Label(N),
    // Keywords (spec §2.4, plus `print_no_newline`).
    And,
    As,
    Bool,
    Break,
    Catch,
    Const,
    Continue,
    Elif,
    Else,
    Enum,
    F64,
    False,
    Fn,
    For,
    Global,
    I32,
    I64,
    If,
    Impl,
    In,
    Match,
    Matches,
    Module,
    Mut,
    Not,
    Or,
    Print,
    PrintNoNewline,
    Pub,
    Return,
    Static,
    Struct,
    Throw,
    TimeStamp,
    True,
    Try,
    U32,
    U64,
    Use,
    While,
    // Operators.
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    PlusEq,
    MinusEq,
    StarEq,
    SlashEq,
    PercentEq,
    /// `=`
    Assign,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Shl,
    Shr,
    /// `!`, `&&`, `||`, `?`: tokenised so the parser can say they are not Orus (E1018);
    /// `?` is also the ignored nullable suffix of a type.
    Bang,
    AmpAmp,
    PipePipe,
    Question,
    // Punctuation.
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    Comma,
    Dot,
    DotDot,
    DotDotEq,
    Colon,
    Arrow,
    Semicolon,
    // Layout.
    Newline,
    Indent,
    Dedent,
    Eof,
}

impl<N, S> TokenKind<N, S> {
    /// The fixed spelling of a keyword, operator or punctuation token.
    pub fn text(&self) -> Option<&'static str> {
        use TokenKind::*;
        Some(match self {
            And => "and",
            As => "as",
            Bool => "bool",
            Break => "break",
            Catch => "catch",
            Const => "const",
            Continue => "continue",
            Elif => "elif",
            Else => "else",
            Enum => "enum",
            F64 => "f64",
            False => "false",
            Fn => "fn",
            For => "for",
            Global => "global",
            I32 => "i32",
            I64 => "i64",
            If => "if",
            Impl => "impl",
            In => "in",
            Match => "match",
            Matches => "matches",
            Module => "module",
            Mut => "mut",
            Not => "not",
            Or => "or",
            Print => "print",
            PrintNoNewline => "print_no_newline",
            Pub => "pub",
            Return => "return",
            Static => "static",
            Struct => "struct",
            Throw => "throw",
            TimeStamp => "time_stamp",
            True => "true",
            Try => "try",
            U32 => "u32",
            U64 => "u64",
            Use => "use",
            While => "while",
            Plus => "+",
            Minus => "-",
            Star => "*",
            Slash => "/",
            Percent => "%",
            PlusEq => "+=",
            MinusEq => "-=",
            StarEq => "*=",
            SlashEq => "/=",
            PercentEq => "%=",
            Assign => "=",
            EqEq => "==",
            NotEq => "!=",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Amp => "&",
            Pipe => "|",
            Caret => "^",
            Tilde => "~",
            Shl => "<<",
            Shr => ">>",
            Bang => "!",
            AmpAmp => "&&",
            PipePipe => "||",
            Question => "?",
            LParen => "(",
            RParen => ")",
            LBracket => "[",
            RBracket => "]",
            LBrace => "{",
            RBrace => "}",
            Comma => ",",
            Dot => ".",
            DotDot => "..",
            DotDotEq => "..=",
            Colon => ":",
            Arrow => "->",
            Semicolon => ";",
            Int { .. }
            | Float(_)
            | Str(_)
            | Ident(_)
            | Label(_)
            | Newline
            | Indent
            | Dedent
            | Eof => return None,
        })
    }

    /// Keywords that start a statement owning a block (or a label, which precedes a loop).
    pub(super) fn introduces_block(&self) -> bool {
        use TokenKind::*;
        matches!(
            self,
            If | Elif
                | Else
                | While
                | For
                | Fn
                | Struct
                | Enum
                | Impl
                | Match
                | Try
                | Catch
                | Module
                | Pub
                | Label(_)
        )
    }

    /// The kind with its name and string replaced by `name` and `string`.
    pub(crate) fn map<M, T>(
        self,
        name: impl FnOnce(N) -> M,
        string: impl FnOnce(S) -> T,
    ) -> TokenKind<M, T> {
        use TokenKind::*;
        match self {
            Int { value, hex } => Int { value, hex },
            Float(v) => Float(v),
            Str(s) => Str(string(s)),
            Ident(n) => Ident(name(n)),
            Label(n) => Label(name(n)),
            And => And,
            As => As,
            Bool => Bool,
            Break => Break,
            Catch => Catch,
            Const => Const,
            Continue => Continue,
            Elif => Elif,
            Else => Else,
            Enum => Enum,
            F64 => F64,
            False => False,
            Fn => Fn,
            For => For,
            Global => Global,
            I32 => I32,
            I64 => I64,
            If => If,
            Impl => Impl,
            In => In,
            Match => Match,
            Matches => Matches,
            Module => Module,
            Mut => Mut,
            Not => Not,
            Or => Or,
            Print => Print,
            PrintNoNewline => PrintNoNewline,
            Pub => Pub,
            Return => Return,
            Static => Static,
            Struct => Struct,
            Throw => Throw,
            TimeStamp => TimeStamp,
            True => True,
            Try => Try,
            U32 => U32,
            U64 => U64,
            Use => Use,
            While => While,
            Plus => Plus,
            Minus => Minus,
            Star => Star,
            Slash => Slash,
            Percent => Percent,
            PlusEq => PlusEq,
            MinusEq => MinusEq,
            StarEq => StarEq,
            SlashEq => SlashEq,
            PercentEq => PercentEq,
            Assign => Assign,
            EqEq => EqEq,
            NotEq => NotEq,
            Lt => Lt,
            Le => Le,
            Gt => Gt,
            Ge => Ge,
            Amp => Amp,
            Pipe => Pipe,
            Caret => Caret,
            Tilde => Tilde,
            Shl => Shl,
            Shr => Shr,
            Bang => Bang,
            AmpAmp => AmpAmp,
            PipePipe => PipePipe,
            Question => Question,
            LParen => LParen,
            RParen => RParen,
            LBracket => LBracket,
            RBracket => RBracket,
            LBrace => LBrace,
            RBrace => RBrace,
            Comma => Comma,
            Dot => Dot,
            DotDot => DotDot,
            DotDotEq => DotDotEq,
            Colon => Colon,
            Arrow => Arrow,
            Semicolon => Semicolon,
            Newline => Newline,
            Indent => Indent,
            Dedent => Dedent,
            Eof => Eof,
        }
    }
}

impl TokenKind {
    /// A short human description, used by `--show-tokens` and in messages:
    /// `'+'`, `'if'`, `identifier 'x'`, `integer 42`, `NEWLINE`, `end of file`.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Int { value, hex: false } => format!("integer {value}"),
            TokenKind::Int { value, hex: true } => format!("integer 0x{value:X}"),
            TokenKind::Float(v) => format!("float {v:?}"),
            TokenKind::Str(s) => format!("string \"{}\"", s.escape_ascii()),
            TokenKind::Ident(name) => format!("identifier '{name}'"),
            TokenKind::Label(name) => format!("label '{name}"),
            TokenKind::Newline => "NEWLINE".to_string(),
            TokenKind::Indent => "INDENT".to_string(),
            TokenKind::Dedent => "DEDENT".to_string(),
            TokenKind::Eof => "end of file".to_string(),
            other => format!("'{}'", other.text().unwrap_or("?")),
        }
    }
}

/// Every keyword (spec §2.4, plus `print_no_newline`) and its token kind. The lexer's
/// word table holds them from the start (`lexer/names.rs`).
pub(super) const KEYWORDS: [(&str, LexKind); 40] = [
    ("and", TokenKind::And),
    ("as", TokenKind::As),
    ("bool", TokenKind::Bool),
    ("break", TokenKind::Break),
    ("catch", TokenKind::Catch),
    ("const", TokenKind::Const),
    ("continue", TokenKind::Continue),
    ("elif", TokenKind::Elif),
    ("else", TokenKind::Else),
    ("enum", TokenKind::Enum),
    ("f64", TokenKind::F64),
    ("false", TokenKind::False),
    ("fn", TokenKind::Fn),
    ("for", TokenKind::For),
    ("global", TokenKind::Global),
    ("i32", TokenKind::I32),
    ("i64", TokenKind::I64),
    ("if", TokenKind::If),
    ("impl", TokenKind::Impl),
    ("in", TokenKind::In),
    ("match", TokenKind::Match),
    ("matches", TokenKind::Matches),
    ("module", TokenKind::Module),
    ("mut", TokenKind::Mut),
    ("not", TokenKind::Not),
    ("or", TokenKind::Or),
    ("print", TokenKind::Print),
    ("print_no_newline", TokenKind::PrintNoNewline),
    ("pub", TokenKind::Pub),
    ("return", TokenKind::Return),
    ("static", TokenKind::Static),
    ("struct", TokenKind::Struct),
    ("throw", TokenKind::Throw),
    ("time_stamp", TokenKind::TimeStamp),
    ("true", TokenKind::True),
    ("try", TokenKind::Try),
    ("u32", TokenKind::U32),
    ("u64", TokenKind::U64),
    ("use", TokenKind::Use),
    ("while", TokenKind::While),
];

/// The keyword spelled by `word`, if any. The lexer finds keywords in its word table;
/// this search is for the rare other questions.
pub(super) fn keyword(word: &[u8]) -> Option<LexKind> {
    KEYWORDS
        .into_iter()
        .find(|(text, _)| text.as_bytes() == word)
        .map(|(_, kind)| kind)
}
