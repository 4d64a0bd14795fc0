//! The table of error codes. Every diagnostic the compiler or the VM can produce names one
//! of these; `docs/errors.md` documents each with an example, and a unit test checks that
//! the two agree. The first digit chooses the report category (spec §17.2, decision D3).

use std::fmt;

macro_rules! error_codes {
    ($( $variant:ident = $num:literal, $title:literal; )*) => {
        /// A stable error code such as `E2001`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The numeric part of the code (`2001` for `E2001`).
            pub fn number(self) -> u16 {
                match self { $( Code::$variant => $num, )* }
            }

            /// The report title printed after the category.
            pub fn title(self) -> &'static str {
                match self { $( Code::$variant => $title, )* }
            }
        }
    };
}

error_codes! {
    // Runtime errors.
    DivisionByZero = 1, "This operation isn't allowed here";
    IntegerOverflow = 2, "Integer overflow";
    IndexOutOfBounds = 3, "Index is outside the valid range";
    NegativeIndex = 4, "Index is outside the valid range";
    StackOverflow = 5, "Stack overflow";
    InvalidConversion = 6, "Value can't be converted";
    InvalidShift = 7, "Invalid shift";
    InvalidRange = 8, "Invalid range";
    ValueError = 9, "Value error";
    StringIndex = 10, "Index is outside the valid range";
    SliceBounds = 11, "Index is outside the valid range";
    Thrown = 12, "Error thrown";
    BudgetExhausted = 13, "Execution budget exhausted";
    OutOfMemory = 14, "Out of memory";
    OutputFailed = 15, "Output failed";
    Interrupted = 16, "Interrupted";
    // Syntax errors.
    UnexpectedChar = 1001, "Unexpected character";
    UnterminatedString = 1002, "Unterminated string";
    InvalidEscape = 1003, "Invalid escape";
    MalformedNumber = 1004, "Malformed number";
    NumberTooLarge = 1005, "Number too large";
    InconsistentIndent = 1006, "Indentation looks off";
    UnexpectedIndent = 1007, "Indentation looks off";
    ExpectedToken = 1008, "Something went wrong";
    ExpectedExpression = 1009, "Expected an expression";
    UnclosedBracket = 1010, "Missing closing bracket";
    PrintNeedsComma = 1011, "Print arguments need commas between them";
    JumpOutsideLoop = 1012, "Something went wrong";
    UnknownLabel = 1013, "Unknown loop label";
    UndefinedName = 1014, "Can't find this variable";
    ImmutableAssign = 1015, "This variable needs to be mutable";
    Redeclared = 1016, "This variable name is already taken";
    InvalidGlobalName = 1017, "This isn't a valid variable name";
    NotInLanguage = 1018, "Not part of Orus";
    TooDeep = 1019, "Too deeply nested";
    CompoundDeclares = 1020, "Something went wrong";
    LoopVariableAssign = 1021, "Loop variables can't be modified";
    ChainedCast = 1022, "Chained casts need parentheses";
    AssignInCondition = 1023, "Assignment in a condition";
    InvalidAssignTarget = 1024, "Invalid assignment target";
    MissingInitializer = 1025, "Declaration needs a value";
    NotAtModuleScope = 1026, "This syntax isn't quite right";
    NonExhaustiveMatch = 1027, "Something went wrong";
    DuplicateArm = 1028, "Something went wrong";
    ReadBeforeDeclaration = 1029, "Variable not declared yet";
    // Type errors.
    TypeMismatch = 2001, "Type mismatch found";
    ArityMismatch = 2002, "Type mismatch found";
    UnknownType = 2003, "Type not recognized";
    InvalidCast = 2004, "Invalid cast";
    MissingReturn = 2005, "Missing return";
    VoidValue = 2006, "No value here";
    NotCallable = 2007, "Not callable";
    LiteralOutOfRange = 2008, "Literal out of range";
    OperatorNotSupported = 2009, "Operator not supported";
    UnpackCount = 2010, "Wrong number of values";
    CannotInfer = 2011, "Can't infer this type";
    MissingField = 2012, "Missing field";
    UnknownMember = 2013, "Unknown member";
    RecursiveDefault = 2014, "Recursive default";
    // Module errors.
    ModuleNotFound = 3001, "Module not found";
    CyclicImport = 3002, "Cyclic import";
    SymbolNotExported = 3003, "Symbol not exported";
    ModuleNameMismatch = 3004, "Module name mismatch";
    InvalidModulePath = 3005, "Invalid module path";
    MisplacedModule = 3006, "Misplaced module declaration";
    ImportConflict = 3007, "Name already imported";
    ModuleRuntimeError = 3008, "Error in a module";
    // Internal errors.
    Internal = 9001, "Internal compiler error";
}

/// The report category a code belongs to; it also decides the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Runtime,
    Syntax,
    Type,
    Module,
    Internal,
}

impl Category {
    /// The upper-case name printed in the report header.
    pub fn label(self) -> &'static str {
        match self {
            Category::Runtime => "RUNTIME PANIC",
            Category::Syntax => "SYNTAX ERROR",
            Category::Type => "TYPE MISMATCH",
            Category::Module => "MODULE ERROR",
            Category::Internal => "INTERNAL ERROR",
        }
    }
}

impl Code {
    pub fn category(self) -> Category {
        match self.number() / 1000 {
            0 => Category::Runtime,
            1 => Category::Syntax,
            2 => Category::Type,
            3 => Category::Module,
            _ => Category::Internal,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E{:04}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.number()), "duplicate {code}");
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../../docs/errors.md");
        for code in Code::ALL {
            let row = format!("| {code} | {} |", code.title());
            assert!(doc.contains(&row), "docs/errors.md lacks the row `{row}`");
        }
    }

    #[test]
    fn display_pads_to_four_digits() {
        assert_eq!(Code::DivisionByZero.to_string(), "E0001");
        assert_eq!(Code::TypeMismatch.to_string(), "E2001");
        assert_eq!(Code::TypeMismatch.category(), Category::Type);
    }
}
