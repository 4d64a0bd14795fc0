//! VM tests on hand-assembled programs: single instructions (`ops`), control flow and
//! calls (`flow`), strings, printing and the collector (`strings`), arrays and string
//! indexing (`arrays`), structs, enums and structural equality (`objects`), cells,
//! closures and the collector on cyclic garbage (`closures`), `try`/`catch` (`errors`),
//! loop telemetry and the fast-path switches (`telemetry`).

mod arrays;
mod closures;
mod errors;
mod flow;
mod objects;
mod ops;
mod strings;
mod telemetry;

use super::*;
use crate::bytecode::{Function, GlobalInfo, Instr, Instr::*, Prim, PrintFormat, ValType};
use crate::diag::Span;

pub(super) fn func(
    name: &str,
    arity: u16,
    num_regs: u16,
    ref_regs: &[u16],
    code: Vec<Instr>,
) -> Function {
    Function {
        name: name.into(),
        file: 0,
        arity,
        num_regs,
        spans: vec![Span::default(); code.len()].into(),
        code: code.into(),
        ref_regs: ref_regs.into(),
    }
}

/// The types every test program shares, in `ValType` order: i32 = 0 … str = 6 (u32 = 2).
const I32: u32 = 0;
const I64: u32 = 1;
const U64: u32 = 3;
const F64: u32 = 4;
const BOOL: u32 = 5;
const STR: u32 = 6;

fn program(functions: Vec<Function>) -> Program {
    Program {
        functions,
        entry: 0,
        types: vec![
            ValType::I32,
            ValType::I64,
            ValType::U32,
            ValType::U64,
            ValType::F64,
            ValType::Bool,
            ValType::Str,
        ],
        ..Program::default()
    }
}

/// Adds a type to the program's type table; returns its index.
fn add_type(p: &mut Program, ty: ValType) -> u32 {
    p.types.push(ty);
    p.types.len() as u32 - 1
}

/// Adds a print format with these argument types; returns its index.
fn print_format(p: &mut Program, arg_types: &[u32]) -> u32 {
    p.print_formats.push(PrintFormat {
        arg_types: arg_types.to_vec(),
        newline: true,
        append: false,
    });
    p.print_formats.len() as u32 - 1
}

fn run_with(p: &Program, config: &VmConfig) -> (Result<(), RuntimeError>, String) {
    let mut out = Vec::new();
    let result = run(p, config, &mut out);
    (result, String::from_utf8(out).unwrap())
}

fn output(p: &Program) -> String {
    let (result, out) = run_with(p, &VmConfig::default());
    result.unwrap_or_else(|e| panic!("{e} at {:?}\noutput so far: {out}", e.trace));
    out
}

fn error(p: &Program, config: &VmConfig) -> RuntimeError {
    run_with(p, config).0.expect_err("expected a runtime error")
}

/// The slot of an `i32`.
fn i(v: i32) -> u64 {
    v as i64 as u64
}

/// The slot of an `f64`.
fn f(v: f64) -> u64 {
    v.to_bits()
}
