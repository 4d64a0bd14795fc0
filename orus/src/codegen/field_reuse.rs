//! Reusing struct field values already in registers: a pass over a finished function's
//! bytecode that drops a `GetField` whose value some register still holds.
//!
//! Code such as `p.x += p.vx` followed by `if p.x < 0 or p.x > 1000` reads `p.x` again and
//! again; each read looks the object up in the heap. Walking the code in order, the pass
//! keeps facts "register `val` holds field `field` of the object in register `obj`", made
//! by a `GetField` (the register it wrote) or a `SetField` (the register it stored). A
//! later `GetField` of a known field is dropped when its destination already holds the
//! value, and becomes a `Move` from the register that holds it otherwise.
//!
//! A fact is forgotten as soon as it might be false, so the pass needs no knowledge of
//! the program beyond the instructions themselves:
//! - at every jump target (the facts of the other paths are not known), and after any
//!   instruction that is not listed in [`effect`] as writing at most one register `dst`
//!   and running no user code: calls, loops, `try`, returns, throws, unconditional jumps
//!   and anything added later forget everything;
//! - when the register of the object or of the value is written;
//! - at a `SetField` of the same field number on any object (another register may hold
//!   the same object, or a struct of another layout; the field's own object then gets
//!   the stored value as its fact).
//!
//! Conditional jumps write nothing, so the facts hold on their fall-through path. A
//! `GetField` cannot fail (the checker typed its object, and structs are never null), so
//! dropping one changes no error; the span of every kept instruction moves with it, so
//! traces stay right. No register is freed: the function keeps its register count and
//! its collector roots (the value's register was already one when the field is a
//! reference). `-O0` skips the pass.

use crate::bytecode::{Instr, Reg};
use crate::diag::Span;

/// How many facts are kept at once; straight-line code rarely holds more, and a bound
/// keeps the pass linear.
const MAX_FACTS: usize = 16;

/// Register `val` holds field `field` of the object in register `obj`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fact {
    obj: Reg,
    field: u16,
    val: Reg,
}

/// What an instruction does to the facts, other than `GetField`/`SetField`.
enum Effect {
    /// Writes only this register, runs no user code, changes no struct field.
    Writes(Reg),
    /// Writes no register, runs no user code, changes no struct field.
    Nothing,
    /// Anything else: every fact is forgotten.
    Barrier,
}

/// Buffers kept from one function to the next, so the pass allocates nothing per
/// function once they have grown.
#[derive(Default)]
pub(super) struct Scratch {
    /// Per pc: some jump, branch, loop, handler or jump table lands there.
    targets: Vec<bool>,
    /// The pcs of the `GetField`s to drop, in order.
    dropped: Vec<usize>,
}

/// The facts known at one point: at most [`MAX_FACTS`], on the stack.
struct Facts {
    list: [Fact; MAX_FACTS],
    len: usize,
}

impl Facts {
    fn find(&self, obj: Reg, field: u16) -> Option<Reg> {
        let known = &self.list[..self.len];
        known
            .iter()
            .find(|f| f.obj == obj && f.field == field)
            .map(|f| f.val)
    }

    fn retain(&mut self, keep: impl Fn(&Fact) -> bool) {
        let mut kept = 0;
        for i in 0..self.len {
            if keep(&self.list[i]) {
                self.list[kept] = self.list[i];
                kept += 1;
            }
        }
        self.len = kept;
    }

    fn forget_register(&mut self, reg: Reg) {
        // (Often nothing is known: after a call or a jump target.)
        if self.len != 0 {
            self.retain(|f| f.obj != reg && f.val != reg);
        }
    }

    /// Adds `fact`; when full, the oldest fact is forgotten.
    fn remember(&mut self, fact: Fact) {
        if self.len == MAX_FACTS {
            self.list.copy_within(1.., 0);
            self.len -= 1;
        }
        self.list[self.len] = fact;
        self.len += 1;
    }
}

/// Drops or simplifies the `GetField`s of `code` whose value a register already holds;
/// `spans` is parallel to `code` and follows it. Returns how many were dropped or
/// turned into moves. Kept out of line: inlined, it grew `FnGen::function` and changed
/// how the rest of code generation was compiled.
#[inline(never)]
pub(super) fn reuse_fields(
    code: &mut Vec<Instr>,
    spans: &mut Vec<Span>,
    scratch: &mut Scratch,
) -> usize {
    // The caller skips functions with fewer than two field accesses; this finds those
    // with no read at all.
    if !code.iter().any(|i| matches!(i, Instr::GetField { .. })) {
        return 0;
    }
    mark_jump_targets(code, &mut scratch.targets);
    let targets = &scratch.targets;
    let dropped = &mut scratch.dropped;
    dropped.clear();
    let none = Fact {
        obj: 0,
        field: 0,
        val: 0,
    };
    let mut facts = Facts {
        list: [none; MAX_FACTS],
        len: 0,
    };
    let mut changed = 0;
    for (pc, (instr, &target)) in code.iter_mut().zip(targets.iter()).enumerate() {
        if target {
            facts.len = 0;
        }
        match *instr {
            Instr::GetField { dst, obj, field } => {
                match facts.find(obj, field) {
                    Some(val) if val == dst => {
                        dropped.push(pc);
                        changed += 1;
                        continue;
                    }
                    Some(val) => {
                        *instr = Instr::Move { dst, src: val };
                        changed += 1;
                    }
                    None => {}
                }
                facts.forget_register(dst);
                if obj != dst {
                    facts.remember(Fact {
                        obj,
                        field,
                        val: dst,
                    });
                }
            }
            Instr::SetField { obj, field, src } => {
                facts.retain(|f| f.field != field);
                if obj != src {
                    facts.remember(Fact {
                        obj,
                        field,
                        val: src,
                    });
                }
            }
            ref other => match effect(other) {
                Effect::Writes(dst) => facts.forget_register(dst),
                Effect::Nothing => {}
                Effect::Barrier => facts.len = 0,
            },
        }
    }
    if !dropped.is_empty() {
        remove(code, spans, dropped);
    }
    changed
}

/// Sets `targets[pc]` for every pc some jump, branch, loop, handler or jump table lands on.
fn mark_jump_targets(code: &[Instr], targets: &mut Vec<bool>) {
    targets.clear();
    targets.resize(code.len() + 1, false);
    for (pc, instr) in code.iter().enumerate() {
        if let Some(offset) = instr.jump_offset() {
            let target = pc as i64 + 1 + i64::from(offset);
            if let Some(slot) = usize::try_from(target)
                .ok()
                .and_then(|t| targets.get_mut(t))
            {
                *slot = true;
            }
        } else if let Instr::JumpTable { count, .. } = *instr {
            let end = (pc + 2 + usize::from(count)).min(targets.len());
            targets[(pc + 1).min(end)..end].fill(true);
        }
    }
}

/// Removes the instructions at the pcs `dropped` (ascending, never a jump target),
/// rewriting every jump offset for the new positions.
fn remove(code: &mut Vec<Instr>, spans: &mut Vec<Span>, dropped: &[usize]) {
    // The new position of old `pc`: fewer by the dropped instructions before it.
    let new_pc = |pc: i64| pc - dropped.partition_point(|&d| (d as i64) < pc) as i64;
    for (pc, instr) in code.iter_mut().enumerate() {
        if let Some(offset) = instr.jump_offset_mut() {
            let target = pc as i64 + 1 + i64::from(*offset);
            *offset = (new_pc(target) - new_pc(pc as i64) - 1) as i32;
        }
    }
    close_gaps(code, dropped);
    close_gaps(spans, dropped);
}

/// Removes the items at the positions `dropped` (ascending, each at most once) by moving
/// each run of kept items after the first down as one block: a function drops a few
/// reads, and a `retain` judged every item one by one.
fn close_gaps<T: Copy>(items: &mut Vec<T>, dropped: &[usize]) {
    let Some(&first) = dropped.first() else {
        return;
    };
    let mut to = first;
    for (k, &gap) in dropped.iter().enumerate() {
        let end = dropped.get(k + 1).copied().unwrap_or(items.len());
        items.copy_within(gap + 1..end, to);
        to += end - gap - 1;
    }
    items.truncate(to);
}

/// What `instr` (neither `GetField` nor `SetField`) does to the facts. Only instructions
/// known to write at most their `dst` and to run no user code keep them.
fn effect(instr: &Instr) -> Effect {
    use Instr::*;
    match *instr {
        Move { dst, .. }
        | LoadInt { dst, .. }
        | LoadConst { dst, .. }
        | LoadStr { dst, .. }
        | GetGlobal { dst, .. }
        | AddI32 { dst, .. }
        | AddI32Imm { dst, .. }
        | SubI32 { dst, .. }
        | MulI32 { dst, .. }
        | DivI32 { dst, .. }
        | RemI32 { dst, .. }
        | NegI32 { dst, .. }
        | MulI32Imm { dst, .. }
        | DivI32Imm { dst, .. }
        | RemI32Imm { dst, .. }
        | AddI64 { dst, .. }
        | SubI64 { dst, .. }
        | MulI64 { dst, .. }
        | DivI64 { dst, .. }
        | RemI64 { dst, .. }
        | NegI64 { dst, .. }
        | AddU32 { dst, .. }
        | SubU32 { dst, .. }
        | MulU32 { dst, .. }
        | DivU32 { dst, .. }
        | RemU32 { dst, .. }
        | AddU64 { dst, .. }
        | SubU64 { dst, .. }
        | MulU64 { dst, .. }
        | DivU64 { dst, .. }
        | RemU64 { dst, .. }
        | AddF64 { dst, .. }
        | SubF64 { dst, .. }
        | MulF64 { dst, .. }
        | DivF64 { dst, .. }
        | RemF64 { dst, .. }
        | NegF64 { dst, .. }
        | MulAddF64 { dst, .. }
        | MulSubF64 { dst, .. }
        | SubMulF64 { dst, .. }
        | EqInt { dst, .. }
        | NeInt { dst, .. }
        | LtI32 { dst, .. }
        | LeI32 { dst, .. }
        | LtI64 { dst, .. }
        | LeI64 { dst, .. }
        | LtU32 { dst, .. }
        | LeU32 { dst, .. }
        | LtU64 { dst, .. }
        | LeU64 { dst, .. }
        | EqF64 { dst, .. }
        | NeF64 { dst, .. }
        | LtF64 { dst, .. }
        | LeF64 { dst, .. }
        | EqStr { dst, .. }
        | NeStr { dst, .. }
        | LtStr { dst, .. }
        | LeStr { dst, .. }
        | Not { dst, .. }
        | BitAnd { dst, .. }
        | BitOr { dst, .. }
        | BitXor { dst, .. }
        | BitNot { dst, .. }
        | BitNotU32 { dst, .. }
        | ShlI32 { dst, .. }
        | ShrI32 { dst, .. }
        | ShlI64 { dst, .. }
        | ShrI64 { dst, .. }
        | ShlU32 { dst, .. }
        | ShrU32 { dst, .. }
        | ShlU64 { dst, .. }
        | ShrU64 { dst, .. }
        | BitAndImm { dst, .. }
        | BitOrImm { dst, .. }
        | BitXorImm { dst, .. }
        | ShlI32Imm { dst, .. }
        | ShrI32Imm { dst, .. }
        | Convert { dst, .. }
        | ToStr { dst, .. }
        | Concat { dst, .. }
        | ConcatN { dst, .. }
        | ConcatFmt { dst, .. }
        | NewArray { dst, .. }
        | ArrayGet { dst, .. }
        | ArrayLen { dst, .. }
        | ArrayPop { dst, .. }
        | ArraySlice { dst, .. }
        | StrLen { dst, .. }
        | StrIndex { dst, .. }
        | StrByte { dst, .. }
        | NewStruct { dst, .. }
        | NewEnum { dst, .. }
        | EnumTag { dst, .. }
        | EnumPayload { dst, .. }
        | EqValue { dst, .. }
        | NewCell { dst, .. }
        | GetCell { dst, .. }
        | MakeClosure { dst, .. }
        | GetCapture { dst, .. }
        | GetCaptured { dst, .. }
        | TimeStamp { dst } => Effect::Writes(dst),
        SetGlobal { .. } | ArraySet { .. } | ArrayPush { .. } | SetCell { .. } => Effect::Nothing,
        SetCaptured { .. } => Effect::Nothing,
        _ if instr.is_conditional_jump() => Effect::Nothing,
        _ => Effect::Barrier,
    }
}

#[cfg(test)]
mod tests {
    use super::{close_gaps, reuse_fields, Scratch};
    use crate::bytecode::Instr::{self, *};
    use crate::diag::Span;

    /// Runs the pass over `code` (each instruction's span is its own pc) and returns the
    /// code and the spans' starts afterwards.
    fn run(code: &[Instr]) -> (Vec<Instr>, Vec<usize>) {
        let mut code = code.to_vec();
        let mut spans: Vec<Span> = (0..code.len()).map(|pc| Span::new(pc, pc + 1)).collect();
        reuse_fields(&mut code, &mut spans, &mut Scratch::default());
        (code, spans.iter().map(|s| s.start as usize).collect())
    }

    fn get(dst: u16, obj: u16, field: u16) -> Instr {
        GetField { dst, obj, field }
    }

    /// `code` comes out of the pass unchanged.
    fn kept(code: &[Instr]) {
        assert_eq!(run(code).0, code);
    }

    #[test]
    fn a_second_read_into_the_same_register_is_dropped() {
        // p.x read, compared, and read again on the fall-through path.
        let code = [
            get(8, 7, 0),
            JumpIfNotGeI32Imm {
                a: 8,
                imm: 0,
                offset: 2,
            },
            get(8, 7, 0),
            JumpIfNotGtI32Imm {
                a: 8,
                imm: 1000,
                offset: 1,
            },
            LoadInt { dst: 9, value: 1 },
            ReturnVoid {},
        ];
        let (out, spans) = run(&code);
        assert_eq!(
            out,
            [
                get(8, 7, 0),
                JumpIfNotGeI32Imm {
                    a: 8,
                    imm: 0,
                    offset: 1
                },
                JumpIfNotGtI32Imm {
                    a: 8,
                    imm: 1000,
                    offset: 1
                },
                LoadInt { dst: 9, value: 1 },
                ReturnVoid {},
            ]
        );
        assert_eq!(spans, [0, 1, 3, 4, 5]);
    }

    #[test]
    fn a_stored_value_is_read_back_from_its_register() {
        let code = [
            SetField {
                obj: 7,
                field: 1,
                src: 8,
            },
            get(9, 7, 1),
            get(8, 7, 1),
            ReturnVoid {},
        ];
        let (out, _) = run(&code);
        assert_eq!(out, [code[0], Move { dst: 9, src: 8 }, code[3]]);
    }

    #[test]
    fn other_fields_and_objects_are_separate_facts() {
        let code = [
            get(8, 7, 0),
            get(9, 7, 1),
            get(10, 6, 0),
            AddI32 {
                dst: 11,
                a: 8,
                b: 9,
            },
            get(12, 7, 0),
            get(13, 6, 0),
            ReturnVoid {},
        ];
        let (out, _) = run(&code);
        let moves = [Move { dst: 12, src: 8 }, Move { dst: 13, src: 10 }];
        assert_eq!(out[..4], code[..4]);
        assert_eq!(out[4..6], moves);
    }

    #[test]
    fn a_store_through_a_possible_alias_forgets_the_field() {
        // r6 may be the same object as r7 (`q = p`).
        kept(&[
            get(8, 7, 0),
            SetField {
                obj: 6,
                field: 0,
                src: 5,
            },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
    }

    #[test]
    fn writing_the_value_or_the_object_register_forgets_the_fact() {
        kept(&[
            get(8, 7, 0),
            LoadInt { dst: 8, value: 3 },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
        kept(&[
            get(8, 7, 0),
            Move { dst: 7, src: 6 },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
        kept(&[get(7, 7, 0), get(7, 7, 0), ReturnVoid {}]);
        kept(&[
            SetField {
                obj: 7,
                field: 0,
                src: 8,
            },
            AddI32Imm {
                dst: 8,
                a: 8,
                imm: 1,
            },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
    }

    #[test]
    fn a_call_or_a_loop_step_forgets_everything() {
        kept(&[
            get(8, 7, 0),
            Call { func: 1, base: 9 },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
        kept(&[
            get(8, 7, 0),
            CallValue {
                callee: 6,
                base: 9,
                arity: 0,
            },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
        kept(&[
            get(8, 7, 0),
            PushTry { dst: 9, offset: 1 },
            get(8, 7, 0),
            PopTry {},
            ReturnVoid {},
        ]);
    }

    #[test]
    fn a_jump_target_forgets_everything() {
        // The read at 3 is reached from 1 as well, where r8 may hold anything.
        kept(&[
            get(8, 7, 0),
            JumpIfFalse { cond: 5, offset: 1 },
            LoadInt { dst: 9, value: 0 },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
        // A loop head: the back-edge comes after a store of another value.
        kept(&[
            get(8, 7, 0),
            get(8, 7, 0),
            SetField {
                obj: 7,
                field: 0,
                src: 9,
            },
            LoadInt { dst: 8, value: 0 },
            Jump { offset: -4 },
            ReturnVoid {},
        ]);
        // The arms of a jump table.
        kept(&[
            get(8, 7, 0),
            JumpTable {
                src: 5,
                count: 1,
                base: 0,
            },
            Jump { offset: 0 },
            get(8, 7, 0),
            ReturnVoid {},
        ]);
    }

    #[test]
    fn jumps_across_a_dropped_read_keep_their_targets() {
        let code = [
            LoadInt { dst: 1, value: 0 },
            get(8, 7, 0), // 1: loop head
            JumpIfNotLtI32Imm {
                a: 8,
                imm: 5,
                offset: 4,
            }, // to 7
            get(8, 7, 0), // dropped
            AddI32Imm {
                dst: 9,
                a: 8,
                imm: 1,
            },
            SetField {
                obj: 7,
                field: 0,
                src: 9,
            },
            Jump { offset: -6 }, // to 1
            get(8, 7, 0),        // 7: after the loop, a jump target
            ReturnVoid {},
        ];
        let (out, spans) = run(&code);
        assert_eq!(
            out,
            [
                code[0],
                code[1],
                JumpIfNotLtI32Imm {
                    a: 8,
                    imm: 5,
                    offset: 3
                },
                code[4],
                code[5],
                Jump { offset: -5 },
                code[7],
                code[8],
            ]
        );
        assert_eq!(spans, [0, 1, 2, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn programs_reading_fields_once_are_untouched() {
        kept(&[get(8, 7, 0), ReturnVoid {}]);
        kept(&[LoadInt { dst: 0, value: 1 }, ReturnVoid {}]);
    }

    #[test]
    fn compiled_code_rereads_nothing_it_holds() {
        let src = "struct P:\n    x: i32\n    v: i32\nfn step(p: P) -> i32:\n    \
                   p.x += p.v\n    if p.x < 0 or p.x > 9:\n        p.v = -p.v\n    \
                   return p.x\nprint(step(P{x: 9, v: 1}))\n";
        let compiled = crate::driver::compile("s.orus", src.as_bytes()).expect("compiles");
        let f = compiled.program.functions.iter().find(|f| f.name == "step");
        let code = &f.expect("the function exists").code;
        let reads = code.iter().filter(|i| matches!(i, GetField { .. })).count();
        assert!(reads < 6, "{code:?}");
    }

    #[test]
    fn closing_gaps_keeps_the_other_items_in_order() {
        let mut items: Vec<u32> = (0..10).collect();
        close_gaps(&mut items, &[0, 3, 4, 9]);
        assert_eq!(items, [1, 2, 5, 6, 7, 8]);
        let mut items: Vec<u32> = (0..3).collect();
        close_gaps(&mut items, &[]);
        assert_eq!(items, [0, 1, 2]);
        close_gaps(&mut items, &[0, 1, 2]);
        assert!(items.is_empty());
    }
}
