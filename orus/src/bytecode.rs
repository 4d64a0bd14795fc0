//! The instruction set and the compiled program: the contract between `codegen` and `vm`.
//!
//! Orus is statically typed, so every instruction knows the types of its operands and a
//! register holds an untagged 64-bit slot. The canonical encodings are: `i32` sign-extended,
//! `u32` zero-extended, `i64`/`u64` as their bits, `f64` as `f64::to_bits`, `bool` as 0 or 1,
//! and heap values (strings, later arrays and objects) as a `u32` heap handle. Instructions
//! read their operands by truncation and write canonical values, so raw 64-bit equality is
//! value equality for every integer type and `bool`.
//!
//! Registers are numbered per frame. A call places its arguments in consecutive registers
//! `R[base..base+arity]` of the caller; the callee's frame starts at that `base`, so the
//! arguments become its parameters `R[0..arity]` without copying, and `Return` writes the
//! result to the callee's `R[0]`, which is the caller's `R[base]`.
//!
//! Jump offsets are relative to the instruction after the jump.
//!
//! There is exactly one opcode table, [`opcodes!`] below. The enum, the mnemonic, the operand
//! names, the disassembler and `docs/bytecode.md` all derive from it. This module knows
//! nothing of syntax or of the type checker.

use crate::diag::Span;
use std::fmt::Write as _;
use std::sync::Arc;

/// The most parts one `ConcatFmt` joins (the VM formats them on its stack).
pub const MAX_CONCAT_FMT_PARTS: usize = 8;

/// A register number, relative to the current frame.
pub type Reg = u16;

/// Source types the VM must distinguish at a conversion (`as`) instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prim {
    I32,
    I64,
    U32,
    U64,
    F64,
    Bool,
}

/// A value type as the runtime sees it: used to print values and convert them to strings,
/// and by the collector to know which slots hold heap handles.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    U32,
    U64,
    F64,
    Bool,
    Str,
    /// A growable array whose elements have the given type.
    Array(Box<ValType>),
    /// A struct instance; the index is into [`Program::structs`].
    Struct(u32),
    /// An enum value; the index is into [`Program::enums`].
    Enum(u32),
    /// A function value (a closure object).
    Func,
    /// The value bound by `catch name`; prints as `Error: <message>`.
    Error,
}

impl ValType {
    /// True when a slot of this type holds a heap handle.
    pub fn is_ref(&self) -> bool {
        !matches!(
            self,
            ValType::I32
                | ValType::I64
                | ValType::U32
                | ValType::U64
                | ValType::F64
                | ValType::Bool
        )
    }
}

/// Layout of a struct type: its name and field types, in declaration order.
#[derive(Clone, Debug, PartialEq)]
pub struct StructLayout {
    pub name: String,
    /// The field names are the checker's (`StructDef`), shared rather than copied.
    pub fields: Vec<(Arc<str>, ValType)>,
}

/// Layout of an enum type: its name and, per variant, the name and payload types.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumLayout {
    pub name: String,
    pub variants: Vec<(String, Vec<ValType>)>,
}

macro_rules! opcodes {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident { $($field:ident : $fty:ty),* $(,)? }
    ),* $(,)?) => {
        /// One VM instruction. See the module documentation for operand conventions.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Instr {
            $( $(#[doc = $doc])+ $name { $($field: $fty),* }, )*
        }

        impl Instr {
            /// The mnemonic, as printed by the disassembler.
            pub fn name(&self) -> &'static str {
                match self { $( Instr::$name { .. } => stringify!($name), )* }
            }

            /// Operand names and values, in table order.
            pub fn operands(&self) -> Vec<(&'static str, String)> {
                match self {
                    $( #[allow(unused_variables)] Instr::$name { $($field),* } => vec![
                        $( (stringify!($field), format!("{:?}", $field)) ),*
                    ], )*
                }
            }
        }

        /// `(mnemonic, semantics, operand names)` for every instruction, in table order.
        pub const OPCODE_TABLE: &[(&str, &str, &[&str])] = &[
            $( (stringify!($name), concat!($($doc),+), &[$(stringify!($field)),*]), )*
        ];
    };
}

opcodes! {
    // ---- moves and constants ----
    /// R[dst] := R[src]
    Move { dst: Reg, src: Reg },
    /// R[dst] := sign_extend(value); loads small integers and bools
    LoadInt { dst: Reg, value: i32 },
    /// R[dst] := consts[index] (raw 64-bit pattern)
    LoadConst { dst: Reg, index: u32 },
    /// R[dst] := handle of the interned string strings[index]
    LoadStr { dst: Reg, index: u32 },
    /// R[dst] := globals[index]
    GetGlobal { dst: Reg, index: u32 },
    /// globals[index] := R[src]
    SetGlobal { index: u32, src: Reg },

    // ---- i32 arithmetic (wrapping; / and % trap on zero and on MIN / -1) ----
    /// R[dst] := R[a] + R[b] (i32, wrapping)
    AddI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] + imm (i32, wrapping)
    AddI32Imm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] - R[b] (i32, wrapping)
    SubI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b] (i32, wrapping)
    MulI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b] (i32, toward zero; E0001 on zero, E0002 on MIN / -1)
    DivI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] % R[b] (i32, sign of dividend; E0001 on zero, E0002 on MIN % -1)
    RemI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := -R[src] (i32; E0002 on MIN)
    NegI32 { dst: Reg, src: Reg },
    /// R[dst] := R[a] * imm (i32, wrapping)
    MulI32Imm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] / imm (i32, toward zero; E0001 when imm is 0, E0002 on MIN / -1)
    DivI32Imm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] % imm (i32, sign of dividend; E0001 when imm is 0, E0002 on MIN % -1)
    RemI32Imm { dst: Reg, a: Reg, imm: i32 },

    // ---- i64 arithmetic ----
    /// R[dst] := R[a] + R[b] (i64, wrapping)
    AddI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] - R[b] (i64, wrapping)
    SubI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b] (i64, wrapping)
    MulI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b] (i64; E0001 on zero, E0002 on MIN / -1)
    DivI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] % R[b] (i64; E0001 on zero, E0002 on MIN % -1)
    RemI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := -R[src] (i64; E0002 on MIN)
    NegI64 { dst: Reg, src: Reg },

    // ---- u32 arithmetic ----
    /// R[dst] := R[a] + R[b] (u32, wrapping mod 2^32)
    AddU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] - R[b] (u32, wrapping)
    SubU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b] (u32, wrapping)
    MulU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b] (u32; E0001 on zero)
    DivU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] % R[b] (u32; E0001 on zero)
    RemU32 { dst: Reg, a: Reg, b: Reg },

    // ---- u64 arithmetic ----
    /// R[dst] := R[a] + R[b] (u64, wrapping)
    AddU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] - R[b] (u64, wrapping)
    SubU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b] (u64, wrapping)
    MulU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b] (u64; E0001 on zero)
    DivU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] % R[b] (u64; E0001 on zero)
    RemU64 { dst: Reg, a: Reg, b: Reg },

    // ---- f64 arithmetic (IEEE; / and % trap on a zero divisor, spec §6.2) ----
    /// R[dst] := R[a] + R[b] (f64)
    AddF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] - R[b] (f64)
    SubF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] * R[b] (f64)
    MulF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] / R[b] (f64; E0001 when R[b] == 0.0)
    DivF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := fmod(R[a], R[b]) (f64; E0001 when R[b] == 0.0)
    RemF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := -R[src] (f64)
    NegF64 { dst: Reg, src: Reg },

    // ---- comparisons, producing bool ----
    /// R[dst] := R[a] == R[b] (raw bits: any integer type or bool)
    EqInt { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] != R[b] (raw bits: any integer type or bool)
    NeInt { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (i32)
    LtI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (i32)
    LeI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (i64)
    LtI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (i64)
    LeI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (u32)
    LtU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (u32)
    LeU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (u64)
    LtU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (u64)
    LeU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] == R[b] (f64, IEEE: NaN is unequal to itself)
    EqF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] != R[b] (f64, IEEE)
    NeF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (f64)
    LtF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (f64)
    LeF64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] == R[b] (string contents)
    EqStr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] != R[b] (string contents)
    NeStr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] < R[b] (strings, bytewise lexicographic)
    LtStr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] <= R[b] (strings, bytewise lexicographic)
    LeStr { dst: Reg, a: Reg, b: Reg },

    // ---- logic and bits ----
    /// R[dst] := not R[src] (bool)
    Not { dst: Reg, src: Reg },
    /// R[dst] := R[a] & R[b] (any integer type; canonical forms are preserved)
    BitAnd { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] | R[b] (any integer type)
    BitOr { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] ^ R[b] (any integer type)
    BitXor { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := ~R[src] (i32, i64, u64)
    BitNot { dst: Reg, src: Reg },
    /// R[dst] := ~R[src] (u32, keeps the value zero-extended)
    BitNotU32 { dst: Reg, src: Reg },
    /// R[dst] := R[a] << R[b] (i32; E0007 unless 0 <= R[b] < 32)
    ShlI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >> R[b] (i32, arithmetic; E0007 unless 0 <= R[b] < 32)
    ShrI32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] << R[b] (i64; E0007 unless 0 <= R[b] < 64)
    ShlI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >> R[b] (i64, arithmetic; E0007 unless 0 <= R[b] < 64)
    ShrI64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] << R[b] (u32; E0007 unless R[b] < 32)
    ShlU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >> R[b] (u32, logical; E0007 unless R[b] < 32)
    ShrU32 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] << R[b] (u64; E0007 unless R[b] < 64)
    ShlU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] >> R[b] (u64, logical; E0007 unless R[b] < 64)
    ShrU64 { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[a] & sign_extend(imm) (raw bits: any integer type, like BitAnd with a
    /// register loaded by LoadInt)
    BitAndImm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] | sign_extend(imm) (raw bits: any integer type)
    BitOrImm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] ^ sign_extend(imm) (raw bits: any integer type)
    BitXorImm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] << imm (i32; E0007 unless 0 <= imm < 32)
    ShlI32Imm { dst: Reg, a: Reg, imm: i32 },
    /// R[dst] := R[a] >> imm (i32, arithmetic; E0007 unless 0 <= imm < 32)
    ShrI32Imm { dst: Reg, a: Reg, imm: i32 },

    // ---- conversions and strings ----
    /// R[dst] := R[src] as `to`, from `from` (spec §7; E0006 when the value does not fit)
    Convert { dst: Reg, src: Reg, from: Prim, to: Prim },
    /// R[dst] := string form of R[src], whose type is types[ty] (print rules, spec §16.3)
    ToStr { dst: Reg, src: Reg, ty: u32 },
    /// R[dst] := R[a] + R[b] (string concatenation; allocates)
    Concat { dst: Reg, a: Reg, b: Reg },
    /// R[dst] := R[base] + R[base+1] + ... + R[base+count-1] (strings; one allocation)
    ConcatN { dst: Reg, base: Reg, count: u16 },
    /// R[dst] := R[base] + ... + R[base+count-1], each a string or an integer written in decimal (types: print_formats[format]); one allocation, no temporary strings; with the format's `append`, R[base] is extended in place when it can be
    ConcatFmt { dst: Reg, base: Reg, count: u16, format: u32 },

    // ---- arrays and string access ----
    // Indices are read as signed 64-bit values (i32 and i64 are sign-extended, u32 is
    // zero-extended); a negative index is E0004 (arrays) or E0010 (strings).
    /// R[dst] := new array of R[base..base+count]; `elem_ref` says whether elements are handles
    NewArray { dst: Reg, base: Reg, count: u16, elem_ref: bool },
    /// R[dst] := R[arr][R[index]] (E0004 if negative, E0003 if >= len)
    ArrayGet { dst: Reg, arr: Reg, index: Reg },
    /// R[arr][R[index]] := R[src] (E0004 if negative, E0003 if >= len)
    ArraySet { arr: Reg, index: Reg, src: Reg },
    /// R[dst] := len(R[arr]) as i32
    ArrayLen { dst: Reg, arr: Reg },
    /// append R[src] to R[arr] in place
    ArrayPush { arr: Reg, src: Reg },
    /// R[dst] := remove the last element of R[arr] (E0009 if empty)
    ArrayPop { dst: Reg, arr: Reg },
    /// R[dst] := new array R[arr][R[start] ..= e'] with the spec's §10 bound rules; a missing
    /// bound is flagged by `has_start`/`has_end` (start 0, end len); E0011 on bad bounds
    ArraySlice { dst: Reg, arr: Reg, start: Reg, end: Reg, has_start: bool, has_end: bool },
    /// R[dst] := len(R[s]) in bytes, as i32
    StrLen { dst: Reg, s: Reg },
    /// R[dst] := one-byte string R[s][R[index]] (E0010 if negative or >= len)
    StrIndex { dst: Reg, s: Reg, index: Reg },
    /// R[dst] := the byte R[s][R[index]] as an i32 (faults as StrIndex)
    StrByte { dst: Reg, s: Reg, index: Reg },

    // ---- structs, enums, closures ----
    /// R[dst] := new instance of structs[layout] with fields R[base..base+count]
    NewStruct { dst: Reg, base: Reg, count: u16, layout: u32 },
    /// R[dst] := R[obj].fields[field]
    GetField { dst: Reg, obj: Reg, field: u16 },
    /// R[obj].fields[field] := R[src]
    SetField { obj: Reg, field: u16, src: Reg },
    /// R[dst] := new value of enums[layout], variant `variant`, payload R[base..base+count]
    NewEnum { dst: Reg, base: Reg, count: u16, variant: u16, layout: u16 },
    /// R[dst] := variant index of the enum value R[obj] (as i32)
    EnumTag { dst: Reg, obj: Reg },
    /// R[dst] := payload field `index` of the enum value R[obj]
    EnumPayload { dst: Reg, obj: Reg, index: u16 },
    /// R[dst] := R[a] == R[b] structurally, for values of type types[ty] (enums compare
    /// variant and payloads; arrays and structs inside compare by identity)
    EqValue { dst: Reg, a: Reg, b: Reg, ty: u32 },
    /// R[dst] := new cell holding R[src] (a captured variable lives in a cell)
    NewCell { dst: Reg, src: Reg },
    /// R[dst] := contents of cell R[cell]
    GetCell { dst: Reg, cell: Reg },
    /// contents of cell R[cell] := R[src]
    SetCell { cell: Reg, src: Reg },
    /// R[dst] := new closure of functions[func] capturing the values R[base..base+count]
    /// (usually cells)
    MakeClosure { dst: Reg, func: u32, base: Reg, count: u16 },
    /// R[dst] := captured value `index` of the running closure
    GetCapture { dst: Reg, index: u16 },
    /// R[dst] := contents of the cell that is captured value `index` of the running closure
    /// (GetCapture then GetCell: reads a captured variable)
    GetCaptured { dst: Reg, index: u16 },
    /// contents of the cell that is captured value `index` of the running closure := R[src]
    /// (writes a captured variable)
    SetCaptured { index: u16, src: Reg },
    /// call the closure R[callee] with its frame at R[base] (arguments in
    /// R[base..base+arity]); the result lands in R[base]. E0005 when the frame limit is
    /// reached; E9001 when the closure's function does not take `arity` arguments
    CallValue { callee: Reg, base: Reg, arity: u16 },

    // ---- errors ----
    /// push a handler: until the matching PopTry (or until this frame returns), a runtime
    /// error or throw unwinds to this frame, stores the Error value in R[dst] and continues
    /// at pc + offset (relative to the next instruction, like jumps). E0013/E0015/E0016 are not caught
    PushTry { dst: Reg, offset: i32 },
    /// pop the innermost handler (it belongs to this frame)
    PopTry {},
    /// raise a runtime error E0012 whose message is the string R[src]
    ThrowStr { src: Reg },
    /// raise the Error value R[src] again
    Rethrow { src: Reg },

    // ---- control flow ----
    /// pc += offset
    Jump { offset: i32 },
    /// t := (R[src] as u32) - base (wrapping; an enum tag or an i32); pc += min(t, count):
    /// lands on the t-th of the `count` Jumps that follow (a `match`'s arms), or past them
    JumpTable { src: Reg, count: u16, base: i32 },
    /// if not R[cond] then pc += offset
    JumpIfFalse { cond: Reg, offset: i32 },
    /// if R[cond] then pc += offset
    JumpIfTrue { cond: Reg, offset: i32 },
    // Fused compare-and-branch: `JumpIfNot*` is taken when the comparison is false, as for
    // the condition of `if`/`while` (`a > b` is `b < a`; for f64, "not <" includes NaN);
    // `JumpIfLtF64`/`JumpIfLeF64` when it is true (integers need no such forms: "not <" is
    // ">=" for them).
    /// if not (R[a] == R[b]) then pc += offset (raw bits: any integer type or bool)
    JumpIfNotEq { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] != R[b]) then pc += offset (raw bits: any integer type or bool)
    JumpIfNotNe { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] == sign_extend(imm)) then pc += offset (raw bits, like JumpIfNotEq)
    JumpIfNotEqImm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] != sign_extend(imm)) then pc += offset (raw bits, like JumpIfNotNe)
    JumpIfNotNeImm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] < R[b]) then pc += offset (i32)
    JumpIfNotLtI32 { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] <= R[b]) then pc += offset (i32)
    JumpIfNotLeI32 { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] < imm) then pc += offset (i32)
    JumpIfNotLtI32Imm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] <= imm) then pc += offset (i32)
    JumpIfNotLeI32Imm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] > imm) then pc += offset (i32)
    JumpIfNotGtI32Imm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] >= imm) then pc += offset (i32)
    JumpIfNotGeI32Imm { a: Reg, imm: i32, offset: i32 },
    /// if not (R[a] < R[b]) then pc += offset (i64)
    JumpIfNotLtI64 { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] <= R[b]) then pc += offset (i64)
    JumpIfNotLeI64 { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] < R[b]) then pc += offset (f64: taken when either is NaN)
    JumpIfNotLtF64 { a: Reg, b: Reg, offset: i32 },
    /// if not (R[a] <= R[b]) then pc += offset (f64: taken when either is NaN)
    JumpIfNotLeF64 { a: Reg, b: Reg, offset: i32 },
    /// if R[a] < R[b] then pc += offset (f64: not taken when either is NaN)
    JumpIfLtF64 { a: Reg, b: Reg, offset: i32 },
    /// if R[a] <= R[b] then pc += offset (f64: not taken when either is NaN)
    JumpIfLeF64 { a: Reg, b: Reg, offset: i32 },
    /// i32 range loop entry. R[base]=index, R[base+1]=end, R[base+2]=step. E0008 if step == 0;
    /// pc += offset if the range is empty (end excluded, or included when `inclusive`)
    ForPrepI32 { base: Reg, inclusive: bool, offset: i32 },
    /// i32 range loop back-edge: next := index + step without overflow; if next is still in
    /// the range then R[base] := next and pc += offset
    ForLoopI32 { base: Reg, inclusive: bool, offset: i32 },
    /// ForPrepI32 for i64 ranges
    ForPrepI64 { base: Reg, inclusive: bool, offset: i32 },
    /// ForLoopI32 for i64 ranges
    ForLoopI64 { base: Reg, inclusive: bool, offset: i32 },
    /// ForPrepI32 for u32 ranges (the step is unsigned, so always upward)
    ForPrepU32 { base: Reg, inclusive: bool, offset: i32 },
    /// ForLoopI32 for u32 ranges
    ForLoopU32 { base: Reg, inclusive: bool, offset: i32 },
    /// ForPrepI32 for u64 ranges (the step is unsigned, so always upward)
    ForPrepU64 { base: Reg, inclusive: bool, offset: i32 },
    /// ForLoopI32 for u64 ranges
    ForLoopU64 { base: Reg, inclusive: bool, offset: i32 },
    /// ForLoopI32 of a range written without a step (R[base+2] holds 1): next := index + 1
    ForLoopI32Step1 { base: Reg, inclusive: bool, offset: i32 },
    /// ForLoopI32Step1 for i64 ranges
    ForLoopI64Step1 { base: Reg, inclusive: bool, offset: i32 },
    /// array loop entry. R[base]=array, R[base+1]=index, R[base+2]=element. If the array is
    /// empty then pc += offset, else R[base+1] := 0 and R[base+2] := R[base][0]
    ForEachPrep { base: Reg, offset: i32 },
    /// array loop back-edge: R[base+1] += 1; if it is below the array's current length then
    /// R[base+2] := R[base][R[base+1]] and pc += offset
    ForEachNext { base: Reg, offset: i32 },

    // ---- calls ----
    /// call functions[func] with its frame at R[base] (arguments in R[base..]); the result
    /// lands in R[base]. E0005 when the frame limit is reached
    Call { func: u32, base: Reg },
    /// return R[src] to the caller (into the callee's R[0], the caller's R[base])
    Return { src: Reg },
    /// return from a void function (or end the program when the frame is the entry)
    ReturnVoid {},

    // ---- built-ins ----
    /// print R[base..base+count] as described by print_formats[format] (spec §16.2–16.3)
    Print { base: Reg, count: u16, format: u32 },
    /// R[dst] := monotonic time in seconds (f64)
    TimeStamp { dst: Reg },

    // ---- f64 product then sum (last: see ARCHITECTURE.md on the dispatch loop) ----
    /// R[dst] := R[a] * R[b] + R[c] (f64; rounded after each step, not a fused multiply-add)
    MulAddF64 { dst: Reg, a: Reg, b: Reg, c: Reg },
    /// R[dst] := R[a] * R[b] - R[c] (f64; rounded after each step)
    MulSubF64 { dst: Reg, a: Reg, b: Reg, c: Reg },
    /// R[dst] := R[c] - R[a] * R[b] (f64; rounded after each step)
    SubMulF64 { dst: Reg, a: Reg, b: Reg, c: Reg },
}

impl Instr {
    /// The offset of a jump, branch or loop instruction (`PushTry`'s handler offset too).
    pub fn jump_offset_mut(&mut self) -> Option<&mut i32> {
        match self {
            Instr::Jump { offset }
            | Instr::JumpIfFalse { offset, .. }
            | Instr::JumpIfTrue { offset, .. }
            | Instr::JumpIfNotEq { offset, .. }
            | Instr::JumpIfNotNe { offset, .. }
            | Instr::JumpIfNotEqImm { offset, .. }
            | Instr::JumpIfNotNeImm { offset, .. }
            | Instr::JumpIfNotLtI32 { offset, .. }
            | Instr::JumpIfNotLeI32 { offset, .. }
            | Instr::JumpIfNotLtI32Imm { offset, .. }
            | Instr::JumpIfNotLeI32Imm { offset, .. }
            | Instr::JumpIfNotGtI32Imm { offset, .. }
            | Instr::JumpIfNotGeI32Imm { offset, .. }
            | Instr::JumpIfNotLtI64 { offset, .. }
            | Instr::JumpIfNotLeI64 { offset, .. }
            | Instr::JumpIfNotLtF64 { offset, .. }
            | Instr::JumpIfNotLeF64 { offset, .. }
            | Instr::JumpIfLtF64 { offset, .. }
            | Instr::JumpIfLeF64 { offset, .. }
            | Instr::ForPrepI32 { offset, .. }
            | Instr::ForLoopI32 { offset, .. }
            | Instr::ForPrepI64 { offset, .. }
            | Instr::ForLoopI64 { offset, .. }
            | Instr::ForPrepU32 { offset, .. }
            | Instr::ForLoopU32 { offset, .. }
            | Instr::ForPrepU64 { offset, .. }
            | Instr::ForLoopU64 { offset, .. }
            | Instr::ForLoopI32Step1 { offset, .. }
            | Instr::ForLoopI64Step1 { offset, .. }
            | Instr::ForEachPrep { offset, .. }
            | Instr::ForEachNext { offset, .. }
            | Instr::PushTry { offset, .. } => Some(offset),
            _ => None,
        }
    }

    /// The offset of a jump, branch or loop instruction (`PushTry`'s handler offset too).
    pub fn jump_offset(&self) -> Option<i32> {
        let mut copy = *self;
        copy.jump_offset_mut().copied()
    }

    /// Whether this is a conditional jump on a condition: `JumpIfFalse`, `JumpIfTrue` or a
    /// fused compare-and-branch (`JumpIfNot*`, `JumpIfLtF64`, `JumpIfLeF64`). Loop
    /// instructions are not.
    pub fn is_conditional_jump(&self) -> bool {
        matches!(
            self,
            Instr::JumpIfFalse { .. }
                | Instr::JumpIfTrue { .. }
                | Instr::JumpIfNotEq { .. }
                | Instr::JumpIfNotNe { .. }
                | Instr::JumpIfNotEqImm { .. }
                | Instr::JumpIfNotNeImm { .. }
                | Instr::JumpIfNotLtI32 { .. }
                | Instr::JumpIfNotLeI32 { .. }
                | Instr::JumpIfNotLtI32Imm { .. }
                | Instr::JumpIfNotLeI32Imm { .. }
                | Instr::JumpIfNotGtI32Imm { .. }
                | Instr::JumpIfNotGeI32Imm { .. }
                | Instr::JumpIfNotLtI64 { .. }
                | Instr::JumpIfNotLeI64 { .. }
                | Instr::JumpIfNotLtF64 { .. }
                | Instr::JumpIfNotLeF64 { .. }
                | Instr::JumpIfLtF64 { .. }
                | Instr::JumpIfLeF64 { .. }
        )
    }
}

/// How one `print` statement renders its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintFormat {
    /// Indices into [`Program::types`], one per argument.
    pub arg_types: Vec<u32>,
    /// `print` ends with a newline, `print_no_newline` does not.
    pub newline: bool,
    /// For `ConcatFmt` (`v = v + ...`): nothing holds the first part, a string, but the
    /// destination (the variable `v`) and this copy of it, so the string may be extended
    /// in place, keeping its handle (codegen's `owned`). A flag of the format rather
    /// than an instruction of its own: another arm in the dispatch loop cost the integer
    /// workloads 1-3 % more instructions.
    pub append: bool,
}

/// One compiled function.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    /// The source file (module) the function was compiled from; its `spans` refer to it.
    pub file: u32,
    pub arity: u16,
    /// Registers the frame needs: parameters first, then locals and temporaries.
    pub num_regs: u16,
    /// Boxed slices rather than `Vec`s: a compiled function never grows, and a program
    /// has a function per few lines, so the three capacity words counted.
    pub code: Box<[Instr]>,
    /// Source span of each instruction, parallel to `code`; read only to report an error.
    pub spans: Box<[Span]>,
    /// Registers that may hold heap handles at some point; the collector's roots.
    pub ref_regs: Box<[Reg]>,
}

/// A global variable slot.
#[derive(Clone, Debug, PartialEq)]
pub struct GlobalInfo {
    pub name: String,
    pub is_ref: bool,
}

/// A whole compiled program, ready for the VM.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub functions: Vec<Function>,
    /// The function holding the top-level statements.
    pub entry: u32,
    pub consts: Vec<u64>,
    pub strings: Vec<Vec<u8>>,
    pub types: Vec<ValType>,
    pub print_formats: Vec<PrintFormat>,
    pub globals: Vec<GlobalInfo>,
    pub structs: Vec<StructLayout>,
    pub enums: Vec<EnumLayout>,
}

/// Human-readable listing of a program, one function after another.
pub fn disassemble(program: &Program) -> String {
    let mut out = String::new();
    for (index, func) in program.functions.iter().enumerate() {
        let _ = writeln!(
            out,
            "fn #{index} {} (arity {}, registers {})",
            func.name, func.arity, func.num_regs
        );
        for (pc, instr) in func.code.iter().enumerate() {
            let _ = write!(out, "  {pc:04}  {:<12}", instr.name());
            for (name, value) in instr.operands() {
                let _ = write!(out, " {name}={value}");
            }
            out.push('\n');
        }
    }
    out
}

/// The instruction reference (`docs/bytecode.md`), generated from the opcode table.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Orus bytecode\n\nGenerated from the opcode table in `orus/src/bytecode.rs` \
         (`cargo test -p orus` checks that this file is current).\n\n\
         | instruction | operands | semantics |\n|---|---|---|\n",
    );
    for (name, doc, fields) in OPCODE_TABLE {
        let _ = writeln!(
            out,
            "| `{name}` | {} | {} |",
            fields.join(", "),
            doc.trim().replace('|', "\\|")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_stay_small() {
        assert!(std::mem::size_of::<Instr>() <= 12);
    }

    #[test]
    fn docs_bytecode_md_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/bytecode.md");
        let expected = reference_markdown();
        if std::env::var_os("ORUS_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/bytecode.md is stale; run `ORUS_BLESS=1 cargo test -p orus bytecode`"
        );
    }

    #[test]
    fn disassembly_names_operands() {
        let program = Program {
            functions: vec![Function {
                name: "main".into(),
                file: 0,
                arity: 0,
                num_regs: 1,
                code: [Instr::LoadInt { dst: 0, value: 7 }, Instr::ReturnVoid {}].into(),
                spans: [Span::default(); 2].into(),
                ref_regs: [].into(),
            }],
            ..Program::default()
        };
        let text = disassemble(&program);
        assert!(text.contains("LoadInt      dst=0 value=7"), "{text}");
    }
}
