//! The bytecode verifier: checks once, before execution, every fact the dispatch loop
//! relies on, so that no instruction can index out of bounds at run time.
//!
//! Checked: the entry function exists and takes no arguments; every function's code is
//! non-empty and ends in `Jump`, `Return` or `ReturnVoid` (so the pc never runs off the
//! end); every register operand, including the three registers of a range or array loop, the
//! arguments of a call and of a print, the elements of a `NewArray` (`base + count`),
//! both bounds of an `ArraySlice` even when unused, and every `ref_regs` entry, is below
//! the frame's `num_regs`; every jump lands inside the function; every index into the
//! constant, string, global, type, print-format and function tables is in range, and a
//! print's format lists one type per argument. For the object instructions: layout
//! indices exist, a `NewStruct`/`NewEnum` supplies exactly its layout's fields or its
//! variant's payload, `GetField`/`SetField`/`EnumPayload` indices are below the largest
//! layout's count (the instruction names no layout; the heap checks the exact one),
//! `MakeClosure` names a function, `GetCapture` is below the fewest captures of any
//! `MakeClosure` of its function, `try` handlers land inside the function, and every
//! struct or enum named by a type exists. A `CallValue`'s callee is known only at run
//! time: its arguments are checked against the arity it states, which the VM compares
//! with the callee's (E9001).
//! Register operands are checked, not types:
//! that an array instruction's operand holds an array is the type checker's promise, and
//! the heap panics (a compiler bug) if it is broken. A program from `codegen` always
//! passes; a failure is a compiler bug, reported as an internal error.

use std::cell::OnceCell;

use crate::bytecode::{Function, Instr, Program, Reg, ValType, MAX_CONCAT_FMT_PARTS};

/// Why a program was rejected, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    pub func: u32,
    pub pc: usize,
    pub message: String,
}

/// Checks `program`; see the module documentation for what is checked.
pub fn verify(program: &Program) -> Result<(), VerifyError> {
    let entry = program.entry;
    let fail = |func: u32, pc: usize, message: String| VerifyError { func, pc, message };
    match program.functions.get(entry as usize) {
        None => {
            return Err(fail(
                entry,
                0,
                format!("entry function {entry} does not exist"),
            ))
        }
        Some(f) if f.arity != 0 => {
            return Err(fail(entry, 0, "the entry function takes arguments".into()))
        }
        Some(_) => {}
    }
    check_layouts(program).map_err(|message| fail(entry, 0, message))?;
    let tables = Tables::new(program);
    for (index, func) in program.functions.iter().enumerate() {
        let checker = Checker {
            program,
            func,
            tables: &tables,
            index,
        };
        let index = index as u32;
        if !matches!(
            func.code.last(),
            Some(Instr::Jump { .. } | Instr::Return { .. } | Instr::ReturnVoid {})
        ) {
            let message = format!("function '{}' does not end in a jump or return", func.name);
            return Err(fail(index, func.code.len(), message));
        }
        if func.arity > func.num_regs {
            return Err(fail(index, 0, "more parameters than registers".into()));
        }
        if let Some(r) = func.ref_regs.iter().find(|&&r| r >= func.num_regs) {
            return Err(fail(index, 0, format!("ref register {r} out of range")));
        }
        if let Some(pc) = checker.first_rejected() {
            let instr = &func.code[pc];
            let message = match checker.check::<String>(pc, instr) {
                Err(message) => message,
                Ok(()) => unreachable!("the two passes of the checker disagree"),
            };
            return Err(fail(index, pc, format!("{}: {message}", instr.name())));
        }
    }
    Ok(())
}

/// What a failed check returns. The checks run first with [`Rejected`], which keeps
/// only the yes or no, so that a passing instruction (every one, for a program from
/// `codegen`) costs its comparisons and no message: the message is built by a second
/// run with `String` at the instruction that failed.
trait Fault {
    fn because(message: impl FnOnce() -> String) -> Self;
}

/// A failed check, without its reason.
struct Rejected;

impl Fault for Rejected {
    #[inline(always)]
    fn because(_: impl FnOnce() -> String) -> Rejected {
        Rejected
    }
}

impl Fault for String {
    fn because(message: impl FnOnce() -> String) -> String {
        message()
    }
}

/// The tables one function's instructions are checked against.
struct Checker<'a> {
    program: &'a Program,
    func: &'a Function,
    tables: &'a Tables,
    /// Index of `func` in `Program::functions`.
    index: usize,
}

/// Facts about the whole program that bound operands no layout operand names.
struct Tables {
    /// The most fields of any struct layout: `GetField`/`SetField` name no layout, so
    /// their field index is checked against this (and the heap checks the rest).
    max_fields: usize,
    /// The most payload slots of any enum variant, for `EnumPayload`.
    max_payload: usize,
    /// Per function, the fewest captures of any `MakeClosure` of it (`None`: never
    /// made into a closure), which bounds its `GetCapture` indices. Found by a walk
    /// over all the code, made when the first capture instruction is checked (most
    /// programs have none).
    captures: OnceCell<Vec<Option<u16>>>,
}

impl Tables {
    fn new(program: &Program) -> Tables {
        let max_fields = program.structs.iter().map(|s| s.fields.len());
        let max_payload = program
            .enums
            .iter()
            .flat_map(|e| e.variants.iter().map(|(_, payload)| payload.len()));
        Tables {
            max_fields: max_fields.max().unwrap_or(0),
            max_payload: max_payload.max().unwrap_or(0),
            captures: OnceCell::new(),
        }
    }

    /// The fewest captures of any closure of function `func` (`None`: no closure).
    fn captures(&self, program: &Program, func: usize) -> Option<u16> {
        let captures = self.captures.get_or_init(|| {
            let mut captures = vec![None; program.functions.len()];
            for instr in program.functions.iter().flat_map(|f| &f.code) {
                if let Instr::MakeClosure { func, count, .. } = *instr {
                    if let Some(slot) = captures.get_mut(func as usize) {
                        *slot = Some(slot.map_or(count, |c: u16| c.min(count)));
                    }
                }
            }
            captures
        });
        captures[func]
    }
}

/// Every struct and enum named by a type (in `types` and inside the layouts) exists.
fn check_layouts(program: &Program) -> Result<(), String> {
    let field_types = program
        .structs
        .iter()
        .flat_map(|s| s.fields.iter().map(|f| &f.1));
    let payload_types = program
        .enums
        .iter()
        .flat_map(|e| e.variants.iter().flat_map(|v| &v.1));
    for ty in program.types.iter().chain(field_types).chain(payload_types) {
        let mut ty = ty;
        while let ValType::Array(elem) = ty {
            ty = elem;
        }
        match *ty {
            ValType::Struct(layout) => {
                in_table::<String>(layout, program.structs.len(), "struct layout")?
            }
            ValType::Enum(layout) => {
                in_table::<String>(layout, program.enums.len(), "enum layout")?
            }
            _ => {}
        }
    }
    Ok(())
}

impl Checker<'_> {
    /// The first instruction of the function that fails its checks, found without
    /// building any message.
    #[inline(never)]
    fn first_rejected(&self) -> Option<usize> {
        let code = &self.func.code;
        (0..code.len()).find(|&pc| self.check::<Rejected>(pc, &code[pc]).is_err())
    }

    fn check<F: Fault>(&self, pc: usize, instr: &Instr) -> Result<(), F> {
        let p = self.program;
        match *instr {
            Instr::Move { dst, src } => self.regs([dst, src]),
            Instr::LoadInt { dst, .. } | Instr::TimeStamp { dst } => self.regs([dst]),
            Instr::LoadConst { dst, index } => {
                self.regs([dst])?;
                in_table(index, p.consts.len(), "constant")
            }
            Instr::LoadStr { dst, index } => {
                self.regs([dst])?;
                in_table(index, p.strings.len(), "string")
            }
            Instr::GetGlobal { dst: r, index } | Instr::SetGlobal { index, src: r } => {
                self.regs([r])?;
                in_table(index, p.globals.len(), "global")
            }
            Instr::AddI32Imm { dst, a, .. }
            | Instr::MulI32Imm { dst, a, .. }
            | Instr::DivI32Imm { dst, a, .. }
            | Instr::RemI32Imm { dst, a, .. }
            | Instr::BitAndImm { dst, a, .. }
            | Instr::BitOrImm { dst, a, .. }
            | Instr::BitXorImm { dst, a, .. }
            | Instr::ShlI32Imm { dst, a, .. }
            | Instr::ShrI32Imm { dst, a, .. } => self.regs([dst, a]),
            Instr::AddI32 { dst, a, b }
            | Instr::SubI32 { dst, a, b }
            | Instr::MulI32 { dst, a, b }
            | Instr::DivI32 { dst, a, b }
            | Instr::RemI32 { dst, a, b }
            | Instr::AddI64 { dst, a, b }
            | Instr::SubI64 { dst, a, b }
            | Instr::MulI64 { dst, a, b }
            | Instr::DivI64 { dst, a, b }
            | Instr::RemI64 { dst, a, b }
            | Instr::AddU32 { dst, a, b }
            | Instr::SubU32 { dst, a, b }
            | Instr::MulU32 { dst, a, b }
            | Instr::DivU32 { dst, a, b }
            | Instr::RemU32 { dst, a, b }
            | Instr::AddU64 { dst, a, b }
            | Instr::SubU64 { dst, a, b }
            | Instr::MulU64 { dst, a, b }
            | Instr::DivU64 { dst, a, b }
            | Instr::RemU64 { dst, a, b }
            | Instr::AddF64 { dst, a, b }
            | Instr::SubF64 { dst, a, b }
            | Instr::MulF64 { dst, a, b }
            | Instr::DivF64 { dst, a, b }
            | Instr::RemF64 { dst, a, b }
            | Instr::EqInt { dst, a, b }
            | Instr::NeInt { dst, a, b }
            | Instr::LtI32 { dst, a, b }
            | Instr::LeI32 { dst, a, b }
            | Instr::LtI64 { dst, a, b }
            | Instr::LeI64 { dst, a, b }
            | Instr::LtU32 { dst, a, b }
            | Instr::LeU32 { dst, a, b }
            | Instr::LtU64 { dst, a, b }
            | Instr::LeU64 { dst, a, b }
            | Instr::EqF64 { dst, a, b }
            | Instr::NeF64 { dst, a, b }
            | Instr::LtF64 { dst, a, b }
            | Instr::LeF64 { dst, a, b }
            | Instr::EqStr { dst, a, b }
            | Instr::NeStr { dst, a, b }
            | Instr::LtStr { dst, a, b }
            | Instr::LeStr { dst, a, b }
            | Instr::BitAnd { dst, a, b }
            | Instr::BitOr { dst, a, b }
            | Instr::BitXor { dst, a, b }
            | Instr::ShlI32 { dst, a, b }
            | Instr::ShrI32 { dst, a, b }
            | Instr::ShlI64 { dst, a, b }
            | Instr::ShrI64 { dst, a, b }
            | Instr::ShlU32 { dst, a, b }
            | Instr::ShrU32 { dst, a, b }
            | Instr::ShlU64 { dst, a, b }
            | Instr::ShrU64 { dst, a, b }
            | Instr::Concat { dst, a, b } => self.regs([dst, a, b]),
            Instr::MulAddF64 { dst, a, b, c }
            | Instr::MulSubF64 { dst, a, b, c }
            | Instr::SubMulF64 { dst, a, b, c } => self.regs([dst, a, b, c]),
            Instr::NegI32 { dst, src }
            | Instr::NegI64 { dst, src }
            | Instr::NegF64 { dst, src }
            | Instr::Not { dst, src }
            | Instr::BitNot { dst, src }
            | Instr::BitNotU32 { dst, src }
            | Instr::Convert { dst, src, .. } => self.regs([dst, src]),
            Instr::ToStr { dst, src, ty } => {
                self.regs([dst, src])?;
                in_table(ty, p.types.len(), "type")
            }
            Instr::NewArray {
                dst, base, count, ..
            }
            | Instr::ConcatN { dst, base, count } => {
                self.regs([dst])?;
                self.span(base, count)
            }
            Instr::ArrayGet { dst, arr, index } => self.regs([dst, arr, index]),
            Instr::ArraySet { arr, index, src } => self.regs([arr, index, src]),
            Instr::ArrayLen { dst, arr } | Instr::ArrayPop { dst, arr } => self.regs([dst, arr]),
            Instr::ArrayPush { arr, src } => self.regs([arr, src]),
            Instr::ArraySlice {
                dst,
                arr,
                start,
                end,
                ..
            } => self.regs([dst, arr, start, end]),
            Instr::StrLen { dst, s } => self.regs([dst, s]),
            Instr::StrIndex { dst, s, index } | Instr::StrByte { dst, s, index } => {
                self.regs([dst, s, index])
            }
            Instr::NewStruct {
                dst,
                base,
                count,
                layout,
            } => {
                self.regs([dst])?;
                self.span(base, count)?;
                in_table(layout, p.structs.len(), "struct layout")?;
                let fields = p.structs[layout as usize].fields.len();
                same_count(count, fields, "fields")
            }
            Instr::GetField { dst: r, obj, field } | Instr::SetField { obj, field, src: r } => {
                self.regs([r, obj])?;
                below(field, self.tables.max_fields, "field")
            }
            Instr::NewEnum {
                dst,
                base,
                count,
                variant,
                layout,
            } => {
                self.regs([dst])?;
                self.span(base, count)?;
                in_table(u32::from(layout), p.enums.len(), "enum layout")?;
                let variants = &p.enums[layout as usize].variants;
                in_table(u32::from(variant), variants.len(), "variant")?;
                same_count(
                    count,
                    variants[usize::from(variant)].1.len(),
                    "payload slots",
                )
            }
            Instr::EnumTag { dst, obj } => self.regs([dst, obj]),
            Instr::EnumPayload { dst, obj, index } => {
                self.regs([dst, obj])?;
                below(index, self.tables.max_payload, "payload index")
            }
            Instr::EqValue { dst, a, b, ty } => {
                self.regs([dst, a, b])?;
                in_table(ty, p.types.len(), "type")
            }
            Instr::NewCell { dst, src } => self.regs([dst, src]),
            Instr::GetCell { dst, cell } => self.regs([dst, cell]),
            Instr::SetCell { cell, src } => self.regs([cell, src]),
            Instr::MakeClosure {
                dst,
                func,
                base,
                count,
            } => {
                self.regs([dst])?;
                self.span(base, count)?;
                in_table(func, p.functions.len(), "function")
            }
            Instr::GetCapture { dst: r, index }
            | Instr::GetCaptured { dst: r, index }
            | Instr::SetCaptured { index, src: r } => {
                self.regs([r])?;
                match self.tables.captures(p, self.index) {
                    Some(count) => below(index, usize::from(count), "capture"),
                    // Never made into a closure: running this is an E9001 runtime error.
                    None => Ok(()),
                }
            }
            Instr::CallValue {
                callee,
                base,
                arity,
            } => {
                self.regs([callee, base])?;
                self.span(base, arity)
            }
            Instr::PushTry { dst, offset } => {
                self.regs([dst])?;
                self.target(pc, offset)
            }
            Instr::PopTry {} => Ok(()),
            Instr::ThrowStr { src } | Instr::Rethrow { src } => self.regs([src]),
            Instr::Jump { offset } => self.target(pc, offset),
            Instr::JumpTable { src, count, .. } => {
                self.regs([src])?;
                // The `count` slots and the place past them are instructions.
                if pc + 1 + usize::from(count) >= self.func.code.len() {
                    return Err(F::because(|| {
                        format!("the jump table of {count} entries runs past the end of the code")
                    }));
                }
                Ok(())
            }
            Instr::JumpIfFalse { cond: a, offset }
            | Instr::JumpIfTrue { cond: a, offset }
            | Instr::JumpIfNotEqImm { a, offset, .. }
            | Instr::JumpIfNotNeImm { a, offset, .. }
            | Instr::JumpIfNotLtI32Imm { a, offset, .. }
            | Instr::JumpIfNotLeI32Imm { a, offset, .. }
            | Instr::JumpIfNotGtI32Imm { a, offset, .. }
            | Instr::JumpIfNotGeI32Imm { a, offset, .. } => {
                self.regs([a])?;
                self.target(pc, offset)
            }
            Instr::JumpIfNotEq { a, b, offset }
            | Instr::JumpIfNotNe { a, b, offset }
            | Instr::JumpIfNotLtI32 { a, b, offset }
            | Instr::JumpIfNotLeI32 { a, b, offset }
            | Instr::JumpIfNotLtI64 { a, b, offset }
            | Instr::JumpIfNotLeI64 { a, b, offset }
            | Instr::JumpIfNotLtF64 { a, b, offset }
            | Instr::JumpIfNotLeF64 { a, b, offset }
            | Instr::JumpIfLtF64 { a, b, offset }
            | Instr::JumpIfLeF64 { a, b, offset } => {
                self.regs([a, b])?;
                self.target(pc, offset)
            }
            Instr::ForPrepI32 { base, offset, .. }
            | Instr::ForLoopI32 { base, offset, .. }
            | Instr::ForPrepI64 { base, offset, .. }
            | Instr::ForLoopI64 { base, offset, .. }
            | Instr::ForPrepU32 { base, offset, .. }
            | Instr::ForLoopU32 { base, offset, .. }
            | Instr::ForPrepU64 { base, offset, .. }
            | Instr::ForLoopU64 { base, offset, .. }
            | Instr::ForLoopI32Step1 { base, offset, .. }
            | Instr::ForLoopI64Step1 { base, offset, .. }
            | Instr::ForEachPrep { base, offset }
            | Instr::ForEachNext { base, offset } => {
                self.span(base, 3)?;
                self.target(pc, offset)
            }
            Instr::Call { func, base } => {
                in_table(func, p.functions.len(), "function")?;
                self.span(base, p.functions[func as usize].arity)
            }
            Instr::Return { src } => self.regs([src]),
            Instr::ReturnVoid {} => Ok(()),
            Instr::ConcatFmt {
                dst,
                base,
                count,
                format,
            } => {
                self.regs([dst])?;
                self.span(base, count)?;
                if usize::from(count) > MAX_CONCAT_FMT_PARTS {
                    return Err(F::because(|| {
                        format!("a concatenation of {count} formatted parts")
                    }));
                }
                let types = self.format_types(format, count)?;
                for &ty in types {
                    let part = &p.types[ty as usize];
                    if !matches!(
                        part,
                        ValType::Str | ValType::I32 | ValType::I64 | ValType::U32 | ValType::U64
                    ) {
                        return Err(F::because(|| {
                            format!("a concatenation part of type {part:?}")
                        }));
                    }
                }
                Ok(())
            }
            Instr::Print {
                base,
                count,
                format,
            } => {
                self.span(base, count)?;
                self.format_types(format, count).map(|_| ())
            }
        }
    }

    /// Every register of `regs` exists. The highest is compared (one test, the array
    /// unrolled); the first out of range is named only when building the message.
    #[inline(always)]
    fn regs<F: Fault, const N: usize>(&self, regs: [Reg; N]) -> Result<(), F> {
        let num_regs = self.func.num_regs;
        if regs.iter().fold(0, |highest, &r| highest.max(r)) < num_regs {
            return Ok(());
        }
        Err(F::because(|| {
            let r = regs.iter().find(|&&r| r >= num_regs).copied().unwrap_or(0);
            format!("register {r} out of range ({num_regs} registers)")
        }))
    }

    /// The argument types of print format `format`, which must have `count` of them.
    fn format_types<F: Fault>(&self, format: u32, count: u16) -> Result<&[u32], F> {
        let p = self.program;
        in_table(format, p.print_formats.len(), "print format")?;
        let types = &p.print_formats[format as usize].arg_types;
        if types.len() != usize::from(count) {
            return Err(F::because(|| {
                format!("{count} arguments but the format has {} types", types.len())
            }));
        }
        for &ty in types {
            in_table(ty, p.types.len(), "type")?;
        }
        Ok(types)
    }

    /// Registers `first..first + count` all exist.
    fn span<F: Fault>(&self, first: Reg, count: u16) -> Result<(), F> {
        if usize::from(first) + usize::from(count) > usize::from(self.func.num_regs) {
            return Err(F::because(|| {
                format!(
                    "registers {first}..{} out of range ({} registers)",
                    usize::from(first) + usize::from(count),
                    self.func.num_regs
                )
            }));
        }
        Ok(())
    }

    /// The jump at `pc` with `offset` lands on an instruction.
    fn target<F: Fault>(&self, pc: usize, offset: i32) -> Result<(), F> {
        let target = (pc as i64 + 1).checked_add(i64::from(offset));
        match target {
            Some(t) if t >= 0 && (t as usize) < self.func.code.len() => Ok(()),
            _ => Err(F::because(|| {
                format!(
                    "jump target {} out of range",
                    pc as i64 + 1 + i64::from(offset)
                )
            })),
        }
    }
}

/// An index operand `index` is below `limit`.
fn below<F: Fault>(index: u16, limit: usize, what: &str) -> Result<(), F> {
    if usize::from(index) < limit {
        Ok(())
    } else {
        Err(F::because(|| {
            format!("{what} {index} out of range (at most {limit})")
        }))
    }
}

/// An instruction's `count` equals what its layout needs.
fn same_count<F: Fault>(count: u16, needed: usize, what: &str) -> Result<(), F> {
    if usize::from(count) == needed {
        Ok(())
    } else {
        Err(F::because(|| format!("{count} values for {needed} {what}")))
    }
}

fn in_table<F: Fault>(index: u32, len: usize, what: &str) -> Result<(), F> {
    if (index as usize) < len {
        Ok(())
    } else {
        Err(F::because(|| {
            format!("{what} {index} out of range ({len} entries)")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{Instr::*, PrintFormat};

    /// A function without reference registers (the VM tests' builder).
    fn func(name: &str, arity: u16, num_regs: u16, code: Vec<Instr>) -> Function {
        crate::vm::tests::func(name, arity, num_regs, &[], code)
    }

    /// A program of `main` with 3 registers, the type `i32` and two print formats:
    /// (i32, i32) and (i32, a type that does not exist).
    fn main(code: Vec<Instr>) -> Program {
        let format = |arg_types: Vec<u32>| PrintFormat {
            arg_types,
            newline: true,
            append: false,
        };
        Program {
            functions: vec![func("main", 0, 3, code)],
            types: vec![ValType::I32],
            print_formats: vec![format(vec![0, 0]), format(vec![0, 99])],
            ..Program::default()
        }
    }

    /// (function index, pc, message) of the first failure in `p`.
    fn why(p: &Program) -> (u32, usize, String) {
        let e = verify(p).expect_err("a malformed program");
        (e.func, e.pc, e.message)
    }

    #[test]
    fn a_failure_names_what_failed_and_where() {
        let cases: Vec<(Vec<Instr>, usize, &str)> = vec![
            (
                vec![Move { dst: 0, src: 5 }, ReturnVoid {}],
                0,
                "Move: register 5 out of range (3 registers)",
            ),
            (
                vec![
                    LoadInt { dst: 0, value: 1 },
                    AddI32 { dst: 4, a: 0, b: 7 },
                    ReturnVoid {},
                ],
                1,
                "AddI32: register 4 out of range (3 registers)",
            ),
            (
                vec![
                    SubMulF64 {
                        dst: 0,
                        a: 1,
                        b: 2,
                        c: 3,
                    },
                    ReturnVoid {},
                ],
                0,
                "SubMulF64: register 3 out of range (3 registers)",
            ),
            (
                vec![
                    NewArray {
                        dst: 0,
                        base: 1,
                        count: 3,
                        elem_ref: false,
                    },
                    ReturnVoid {},
                ],
                0,
                "NewArray: registers 1..4 out of range (3 registers)",
            ),
            (
                vec![Jump { offset: 5 }, ReturnVoid {}],
                0,
                "Jump: jump target 6 out of range",
            ),
            (
                vec![
                    JumpTable {
                        src: 0,
                        count: 3,
                        base: 0,
                    },
                    ReturnVoid {},
                ],
                0,
                "JumpTable: the jump table of 3 entries runs past the end of the code",
            ),
            (
                vec![LoadConst { dst: 0, index: 2 }, ReturnVoid {}],
                0,
                "LoadConst: constant 2 out of range (0 entries)",
            ),
            (
                vec![
                    GetField {
                        dst: 0,
                        obj: 1,
                        field: 3,
                    },
                    ReturnVoid {},
                ],
                0,
                "GetField: field 3 out of range (at most 0)",
            ),
            (
                vec![
                    Print {
                        base: 0,
                        count: 1,
                        format: 0,
                    },
                    ReturnVoid {},
                ],
                0,
                "Print: 1 arguments but the format has 2 types",
            ),
            (
                vec![
                    Print {
                        base: 0,
                        count: 2,
                        format: 1,
                    },
                    ReturnVoid {},
                ],
                0,
                "Print: type 99 out of range (1 entries)",
            ),
            (
                vec![
                    CallValue {
                        callee: 0,
                        base: 1,
                        arity: 3,
                    },
                    ReturnVoid {},
                ],
                0,
                "CallValue: registers 1..4 out of range (3 registers)",
            ),
            (
                vec![LoadInt { dst: 0, value: 1 }],
                1,
                "function 'main' does not end in a jump or return",
            ),
        ];
        for (code, pc, message) in cases {
            assert_eq!(why(&main(code)), (0, pc, message.to_string()));
        }
    }

    #[test]
    fn checks_beyond_one_instruction_name_their_failure() {
        let mut p = main(vec![ReturnVoid {}]);
        p.functions[0].ref_regs = vec![1, 5].into();
        let refs = (0, 0, "ref register 5 out of range".to_string());
        assert_eq!(why(&p), refs);

        let mut p = main(vec![ReturnVoid {}]);
        p.functions.push(func("f", 4, 3, vec![ReturnVoid {}]));
        let params = (1, 0, "more parameters than registers".to_string());
        assert_eq!(why(&p), params);

        let mut p = main(vec![ReturnVoid {}]);
        p.types.push(ValType::Struct(2));
        let layout = (0, 0, "struct layout 2 out of range (0 entries)".to_string());
        assert_eq!(why(&p), layout);

        // A capture index is bounded by the fewest captures of any closure of its function.
        let closure = MakeClosure {
            dst: 0,
            func: 1,
            base: 1,
            count: 1,
        };
        let mut p = main(vec![closure, ReturnVoid {}]);
        let capture = vec![GetCapture { dst: 0, index: 1 }, Return { src: 0 }];
        p.functions.push(func("f", 0, 1, capture));
        let capture = (
            1,
            0,
            "GetCapture: capture 1 out of range (at most 1)".to_string(),
        );
        assert_eq!(why(&p), capture);
    }
}
