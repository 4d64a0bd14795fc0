//! Runtime value semantics: what the operations of the language *mean*, independent of
//! any interpreter state.
//!
//! Checked arithmetic and shifts live in [`arith`], the `as` cast table in [`convert`],
//! the index and slice rules of arrays and strings in [`array`], the text form of scalars
//! and the `print` template renderer in [`format`](mod@format), printing and structural
//! equality of heap values by their types in [`value`], the checked generic paths behind
//! the VM's loop fast paths (range stepping, range iterators, conditions) in [`loops`],
//! and the garbage-collected object store (strings, arrays, structs, enums, cells,
//! closures, Error values) in [`heap`].
//! The VM calls these functions from its instruction arms, and a compile-time constant
//! folder calls the very same ones, so a rule is written once (STYLE.md habit 4). This
//! module knows nothing of syntax, of the type checker or of frames and registers; values
//! arrive as the untagged 64-bit slots described in `bytecode`. Unit tests sit at the
//! bottom of each file.

pub mod arith;
pub mod array;
pub mod convert;
pub mod format;
pub mod heap;
pub mod loops;
pub mod value;

pub use heap::Heap;

use crate::diag::Code;
use std::fmt;

/// A runtime failure of one operation: the error code and the message for the report.
/// The VM adds the location (its call trace) when it turns a `Fault` into an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub code: Code,
    pub message: String,
    /// For an Error value thrown again: where the error was first raised, as (function
    /// index, pc). `None` for a fault raised where it happens.
    pub origin: Option<(u32, u32)>,
}

impl Fault {
    pub fn new(code: Code, message: impl Into<String>) -> Fault {
        Fault {
            code,
            message: message.into(),
            origin: None,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Fault {}
