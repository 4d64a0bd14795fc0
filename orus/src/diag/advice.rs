//! General advice per error code: the `help:` line a report shows when the stage that
//! found the error had nothing more specific to say (a did-you-mean, the `mut` fix, the cast
//! to write). Kept apart from the code table so adding a code needs no advice.

use super::Code;

/// The general advice for `code`, if any.
pub fn general_help(code: Code) -> Option<&'static str> {
    Some(match code {
        Code::DivisionByZero => "Check that the divisor is not zero before dividing.",
        Code::IntegerOverflow => {
            "The result does not fit the type; a wider type such as `i64` may hold it."
        }
        Code::IndexOutOfBounds => "Check that your index is between 0 and the array length - 1.",
        Code::NegativeIndex => {
            "Indices start at 0 and cannot be negative; the last element is `xs[len(xs) - 1]`."
        }
        Code::StackOverflow => {
            "Check that the recursion reaches its base case; `--max-recursion=N` sets the limit."
        }
        Code::InvalidConversion => "Check that the value fits the target type before casting.",
        Code::InvalidShift => "A shift count must be at least 0 and below the bit width.",
        Code::InvalidRange => "A range's step must not be zero.",
        Code::ValueError => "Check the value first, e.g. `len(xs) > 0` before `pop(xs)`.",
        Code::StringIndex => "Check that your index is between 0 and the string length - 1.",
        Code::SliceBounds => "A slice `a[start..end]` needs 0 <= start <= end <= len(a).",
        Code::Thrown => "Catch it with `try:` ... `catch e:` ... to handle it.",
        Code::UnterminatedString => "Close the string with `\"`.",
        Code::InvalidEscape => "The escapes are \\n \\t \\r \\\\ \\\" and \\0.",
        Code::InconsistentIndent => "Dedent to exactly the column of an enclosing block.",
        Code::UnexpectedIndent => {
            "Remove the indentation, or add the block header (like `if x:`) it belongs to."
        }
        Code::JumpOutsideLoop => "`break` and `continue` work only inside `while` and `for`.",
        Code::Redeclared => {
            "Choose another name, or assign to the existing variable without redeclaring it."
        }
        Code::TooDeep => "Split the expression or block into named parts.",
        Code::CompoundDeclares => "Declare it first (`mut x = 0`), then update it (`x += 1`).",
        Code::LoopVariableAssign => {
            "Copy the loop variable into a new `mut` variable to change it."
        }
        Code::ChainedCast => "Add parentheses: `(v as T) as U`.",
        Code::MissingInitializer => "Give it an initial value, like `x: i32 = 0`.",
        Code::NotAtModuleScope => "Move this declaration to the top level of the file.",
        Code::NonExhaustiveMatch => "Add an arm for each missing case, or a `_ -> ...` arm.",
        Code::DuplicateArm => "Remove the repeated arm: the first one always matches first.",
        Code::ArityMismatch => {
            "Give as many as declared: an argument per parameter, a binding per payload field."
        }
        Code::UnknownType => {
            "The built-in types are i32, i64, u32, u64, f64, bool and string; arrays are [T]."
        }
        Code::InvalidCast => {
            "`as` converts numbers and bools to each other and to `string`, never from `string`."
        }
        Code::MissingReturn => {
            "Add a `return` at the end of the function, or an `else` branch that returns."
        }
        Code::VoidValue => "Give the function a return type, or call it as a statement.",
        Code::LiteralOutOfRange => "Use a type the value fits in, or a value that fits the type.",
        Code::UnpackCount => "Use as many names as the array has elements.",
        Code::MissingField => "Give the field a value here, or a default in the struct.",
        Code::Internal => "This is an implementation limit or a bug; please report it.",
        Code::OutOfMemory => "Keep fewer values alive at once, or catch it with `try:`/`catch`.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_is_one_short_sentence() {
        for &code in Code::ALL {
            if let Some(help) = general_help(code) {
                assert!(help.len() <= 100, "{code}: advice too long: {help}");
                assert!(help.ends_with('.'), "{code}: {help}");
            }
        }
    }
}
