//! "The VM never reads an uninitialised register", checked statically on compiled bytecode.
//!
//! The VM's own verifier (`orus::vm::verify`) proves that every register operand is inside
//! its frame, so no read leaves the register file; but a frame's registers are not cleared
//! when it is entered, so a register read before any instruction of this call wrote it
//! would see a stale value of an earlier frame. This module proves that cannot happen for
//! a program: a forward must-analysis over each function's control-flow graph computes the
//! registers written on *every* path to each instruction (parameters are written by the
//! caller), and every register an instruction reads must be among them.
//!
//! Control flow: jumps, conditional jumps, the exit and back edges of range loops, and the
//! handler of each `PushTry`, entered with the registers written before the `PushTry` plus
//! the handler's error register (a register written inside the protected region may or may
//! not have been written when the error struck). Only reachable instructions are checked.
//!
//! The instruction table is matched exhaustively except for a final catch-all: an
//! instruction added to `orus` later is treated as reading nothing and writing every
//! register, which can hide a bug in a function that uses it but never reports a false one.

use orus::bytecode::{Function, Instr, Program, Reg};
use std::ops::Range;

/// A read of a register that some path reaches without writing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UninitRead {
    pub func: u32,
    pub pc: usize,
    pub reg: Reg,
}

/// Checks every function of `program`; returns the first uninitialised read found.
pub fn check_program(program: &Program) -> Result<(), UninitRead> {
    for (index, func) in program.functions.iter().enumerate() {
        check_function(program, func).map_err(|(pc, reg)| UninitRead {
            func: index as u32,
            pc,
            reg,
        })?;
    }
    Ok(())
}

/// What one instruction does to the register file and to the pc.
#[derive(Default)]
struct Effect {
    reads: Vec<Range<usize>>,
    writes: Vec<Range<usize>>,
    /// Writes every register (an instruction this module does not know).
    writes_all: bool,
    /// Written only when control continues at the next instruction.
    fall_writes: Vec<Range<usize>>,
    /// Another pc control may continue at, besides the next one.
    target: Option<usize>,
    /// More pcs control may continue at (a `JumpTable`'s slots), with no extra writes.
    more_targets: Range<usize>,
    /// Written only when control continues at `target`.
    target_writes: Vec<Range<usize>>,
    /// Control never continues at the next instruction.
    no_fallthrough: bool,
    /// A `PushTry`: its handler pc and the register that receives the error.
    handler: Option<(usize, Reg)>,
}

fn check_function(program: &Program, func: &Function) -> Result<(), (usize, Reg)> {
    let n = func.code.len();
    let words = usize::from(func.num_regs).div_ceil(64).max(1);
    // `None`: not reached yet. A state is the set of registers written on every path.
    let mut state: Vec<Option<Vec<u64>>> = vec![None; n + 1];
    let mut entry = vec![0u64; words];
    for r in 0..usize::from(func.arity) {
        set(&mut entry, r);
    }
    let mut work = vec![0usize];
    if n == 0 {
        return Ok(());
    }
    state[0] = Some(entry);
    let effects: Vec<Effect> = (0..n)
        .map(|pc| effect(program, &func.code[pc], pc))
        .collect();
    // Forward must-analysis: join is intersection; iterate to a fixed point.
    while let Some(pc) = work.pop() {
        let Some(before) = state[pc].clone() else {
            continue;
        };
        let e = &effects[pc];
        let mut after = before.clone();
        if e.writes_all {
            after.iter_mut().for_each(|w| *w = !0);
        }
        for range in &e.writes {
            for r in range.clone() {
                set(&mut after, r);
            }
        }
        let with = |extra: &[Range<usize>]| {
            let mut bits = after.clone();
            for r in extra.iter().flat_map(|range| range.clone()) {
                set(&mut bits, r);
            }
            bits
        };
        let mut successors: Vec<(usize, Vec<u64>)> = Vec::new();
        if !e.no_fallthrough {
            successors.push((pc + 1, with(&e.fall_writes)));
        }
        if let Some(t) = e.target {
            successors.push((t, with(&e.target_writes)));
        }
        for t in e.more_targets.clone() {
            successors.push((t, after.clone()));
        }
        if let Some((h, dst)) = e.handler {
            let mut at_handler = before.clone();
            set(&mut at_handler, usize::from(dst));
            successors.push((h, at_handler));
        }
        for (succ, incoming) in successors {
            if succ > n {
                continue; // the verifier rejects such jumps; nothing to analyse
            }
            let changed = match &mut state[succ] {
                slot @ None => {
                    *slot = Some(incoming);
                    true
                }
                Some(existing) => {
                    let mut changed = false;
                    for (old, new) in existing.iter_mut().zip(&incoming) {
                        let joined = *old & new;
                        changed |= joined != *old;
                        *old = joined;
                    }
                    changed
                }
            };
            if changed && succ < n {
                work.push(succ);
            }
        }
    }
    for (pc, e) in effects.iter().enumerate() {
        let Some(before) = &state[pc] else { continue };
        for range in &e.reads {
            for r in range.clone() {
                if !get(before, r) {
                    return Err((pc, r as Reg));
                }
            }
        }
    }
    Ok(())
}

fn set(bits: &mut [u64], r: usize) {
    if let Some(w) = bits.get_mut(r / 64) {
        *w |= 1 << (r % 64);
    }
}

fn get(bits: &[u64], r: usize) -> bool {
    bits.get(r / 64).is_some_and(|w| w & (1 << (r % 64)) != 0)
}

fn one(r: Reg) -> Range<usize> {
    usize::from(r)..usize::from(r) + 1
}

fn run(base: Reg, count: u16) -> Range<usize> {
    usize::from(base)..usize::from(base) + usize::from(count)
}

fn rel(pc: usize, offset: i32) -> usize {
    (pc as i64 + 1 + i64::from(offset)).max(0) as usize
}

/// The effect of `instr` at `pc`.
fn effect(program: &Program, instr: &Instr, pc: usize) -> Effect {
    use Instr::*;
    let rw = |reads: Vec<Range<usize>>, writes: Vec<Range<usize>>| Effect {
        reads,
        writes,
        ..Effect::default()
    };
    match *instr {
        Move { dst, src } => rw(vec![one(src)], vec![one(dst)]),
        LoadInt { dst, .. } | LoadConst { dst, .. } | LoadStr { dst, .. } => {
            rw(vec![], vec![one(dst)])
        }
        GetGlobal { dst, .. } | GetCapture { dst, .. } | TimeStamp { dst } => {
            rw(vec![], vec![one(dst)])
        }
        SetGlobal { src, .. } => rw(vec![one(src)], vec![]),
        AddI32 { dst, a, b }
        | SubI32 { dst, a, b }
        | MulI32 { dst, a, b }
        | DivI32 { dst, a, b }
        | RemI32 { dst, a, b }
        | AddI64 { dst, a, b }
        | SubI64 { dst, a, b }
        | MulI64 { dst, a, b }
        | DivI64 { dst, a, b }
        | RemI64 { dst, a, b }
        | AddU32 { dst, a, b }
        | SubU32 { dst, a, b }
        | MulU32 { dst, a, b }
        | DivU32 { dst, a, b }
        | RemU32 { dst, a, b }
        | AddU64 { dst, a, b }
        | SubU64 { dst, a, b }
        | MulU64 { dst, a, b }
        | DivU64 { dst, a, b }
        | RemU64 { dst, a, b }
        | AddF64 { dst, a, b }
        | SubF64 { dst, a, b }
        | MulF64 { dst, a, b }
        | DivF64 { dst, a, b }
        | RemF64 { dst, a, b }
        | EqInt { dst, a, b }
        | NeInt { dst, a, b }
        | LtI32 { dst, a, b }
        | LeI32 { dst, a, b }
        | LtI64 { dst, a, b }
        | LeI64 { dst, a, b }
        | LtU32 { dst, a, b }
        | LeU32 { dst, a, b }
        | LtU64 { dst, a, b }
        | LeU64 { dst, a, b }
        | EqF64 { dst, a, b }
        | NeF64 { dst, a, b }
        | LtF64 { dst, a, b }
        | LeF64 { dst, a, b }
        | EqStr { dst, a, b }
        | NeStr { dst, a, b }
        | LtStr { dst, a, b }
        | LeStr { dst, a, b }
        | BitAnd { dst, a, b }
        | BitOr { dst, a, b }
        | BitXor { dst, a, b }
        | ShlI32 { dst, a, b }
        | ShrI32 { dst, a, b }
        | ShlI64 { dst, a, b }
        | ShrI64 { dst, a, b }
        | ShlU32 { dst, a, b }
        | ShrU32 { dst, a, b }
        | ShlU64 { dst, a, b }
        | ShrU64 { dst, a, b }
        | Concat { dst, a, b }
        | EqValue { dst, a, b, .. } => rw(vec![one(a), one(b)], vec![one(dst)]),
        AddI32Imm { dst, a, .. }
        | MulI32Imm { dst, a, .. }
        | DivI32Imm { dst, a, .. }
        | RemI32Imm { dst, a, .. }
        | BitAndImm { dst, a, .. }
        | BitOrImm { dst, a, .. }
        | BitXorImm { dst, a, .. }
        | ShlI32Imm { dst, a, .. }
        | ShrI32Imm { dst, a, .. } => rw(vec![one(a)], vec![one(dst)]),
        ConcatN { dst, base, count }
        | ConcatFmt {
            dst, base, count, ..
        } => rw(vec![run(base, count)], vec![one(dst)]),
        GetCaptured { dst, .. } => rw(vec![], vec![one(dst)]),
        SetCaptured { src, .. } => rw(vec![one(src)], vec![]),
        NegI32 { dst, src }
        | NegI64 { dst, src }
        | NegF64 { dst, src }
        | Not { dst, src }
        | BitNot { dst, src }
        | BitNotU32 { dst, src }
        | Convert { dst, src, .. }
        | ToStr { dst, src, .. }
        | NewCell { dst, src } => rw(vec![one(src)], vec![one(dst)]),
        NewArray {
            dst, base, count, ..
        }
        | NewStruct {
            dst, base, count, ..
        }
        | NewEnum {
            dst, base, count, ..
        }
        | MakeClosure {
            dst, base, count, ..
        } => rw(vec![run(base, count)], vec![one(dst)]),
        ArrayGet { dst, arr, index } => rw(vec![one(arr), one(index)], vec![one(dst)]),
        ArraySet { arr, index, src } => rw(vec![one(arr), one(index), one(src)], vec![]),
        ArrayLen { dst, arr } | ArrayPop { dst, arr } => rw(vec![one(arr)], vec![one(dst)]),
        ArrayPush { arr, src } => rw(vec![one(arr), one(src)], vec![]),
        ArraySlice {
            dst,
            arr,
            start,
            end,
            has_start,
            has_end,
        } => {
            let mut reads = vec![one(arr)];
            if has_start {
                reads.push(one(start));
            }
            if has_end {
                reads.push(one(end));
            }
            rw(reads, vec![one(dst)])
        }
        StrLen { dst, s } => rw(vec![one(s)], vec![one(dst)]),
        StrIndex { dst, s, index } => rw(vec![one(s), one(index)], vec![one(dst)]),
        GetField { dst, obj, .. } | EnumTag { dst, obj } | EnumPayload { dst, obj, .. } => {
            rw(vec![one(obj)], vec![one(dst)])
        }
        SetField { obj, src, .. } => rw(vec![one(obj), one(src)], vec![]),
        GetCell { dst, cell } => rw(vec![one(cell)], vec![one(dst)]),
        SetCell { cell, src } => rw(vec![one(cell), one(src)], vec![]),
        // The callee's arity is known only at run time (the VM checks it), so only the
        // callee register is certainly read; the result lands in R[base].
        CallValue { callee, base, .. } => rw(vec![one(callee)], vec![one(base)]),
        Call { func, base } => {
            let arity = program.functions.get(func as usize).map_or(0, |f| f.arity);
            rw(vec![run(base, arity)], vec![one(base)])
        }
        PushTry { dst, offset } => Effect {
            handler: Some((rel(pc, offset), dst)),
            ..Effect::default()
        },
        PopTry {} => Effect::default(),
        ThrowStr { src } | Rethrow { src } | Return { src } => Effect {
            reads: vec![one(src)],
            no_fallthrough: true,
            ..Effect::default()
        },
        ReturnVoid {} => Effect {
            no_fallthrough: true,
            ..Effect::default()
        },
        Jump { offset } => Effect {
            target: Some(rel(pc, offset)),
            no_fallthrough: true,
            ..Effect::default()
        },
        // Lands on one of the `count` slots after it (the first is the next pc) or past them.
        JumpTable { src, count, .. } => Effect {
            reads: vec![one(src)],
            more_targets: pc + 2..pc + 2 + usize::from(count),
            ..Effect::default()
        },
        JumpIfFalse { cond, offset } | JumpIfTrue { cond, offset } => Effect {
            reads: vec![one(cond)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        JumpIfNotEq { a, b, offset }
        | JumpIfNotNe { a, b, offset }
        | JumpIfNotLtI32 { a, b, offset }
        | JumpIfNotLeI32 { a, b, offset }
        | JumpIfNotLtI64 { a, b, offset }
        | JumpIfNotLeI64 { a, b, offset }
        | JumpIfNotLtF64 { a, b, offset }
        | JumpIfNotLeF64 { a, b, offset }
        | JumpIfLtF64 { a, b, offset }
        | JumpIfLeF64 { a, b, offset } => Effect {
            reads: vec![one(a), one(b)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        JumpIfNotEqImm { a, offset, .. }
        | JumpIfNotNeImm { a, offset, .. }
        | JumpIfNotLtI32Imm { a, offset, .. }
        | JumpIfNotLeI32Imm { a, offset, .. }
        | JumpIfNotGtI32Imm { a, offset, .. }
        | JumpIfNotGeI32Imm { a, offset, .. } => Effect {
            reads: vec![one(a)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        // Array loops: R[base] the array, R[base+1] the index, R[base+2] the element. The
        // entry jumps out when the array is empty and otherwise writes index and element;
        // the back-edge bumps the index and writes the element when it jumps back.
        ForEachPrep { base, offset } => Effect {
            reads: vec![one(base)],
            fall_writes: vec![run(base + 1, 2)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        ForEachNext { base, offset } => Effect {
            reads: vec![run(base, 2)],
            writes: vec![one(base + 1)],
            target: Some(rel(pc, offset)),
            target_writes: vec![one(base + 2)],
            ..Effect::default()
        },
        ForPrepI32 { base, offset, .. }
        | ForPrepI64 { base, offset, .. }
        | ForPrepU32 { base, offset, .. }
        | ForPrepU64 { base, offset, .. } => Effect {
            reads: vec![run(base, 3)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        ForLoopI32 { base, offset, .. }
        | ForLoopI64 { base, offset, .. }
        | ForLoopU32 { base, offset, .. }
        | ForLoopU64 { base, offset, .. }
        | ForLoopI32Step1 { base, offset, .. }
        | ForLoopI64Step1 { base, offset, .. } => Effect {
            reads: vec![run(base, 3)],
            writes: vec![one(base)],
            target: Some(rel(pc, offset)),
            ..Effect::default()
        },
        Print { base, count, .. } => rw(vec![run(base, count)], vec![]),
        MulAddF64 { dst, a, b, c } | MulSubF64 { dst, a, b, c } | SubMulF64 { dst, a, b, c } => {
            rw(vec![one(a), one(b), one(c)], vec![one(dst)])
        }
        #[allow(unreachable_patterns)]
        _ => Effect {
            writes_all: true,
            ..Effect::default()
        },
    }
}
