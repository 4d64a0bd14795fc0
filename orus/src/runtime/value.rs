//! Walking heap values by their types: the print form of any value (spec §16.3) and
//! structural equality (`EqValue`).
//!
//! Both walk with an explicit work stack, never host recursion, so a deeply nested value
//! (a long list built from enum payloads) cannot overflow the host stack. Arrays print
//! their elements joined by `, ` without brackets; a struct prints its field values in
//! declaration order the same way; an enum prints `Name.Variant` or
//! `Name.Variant(p1, p2)`; an Error prints `Error: <message>`, a function value
//! `<fn NAME>`. Arrays and structs are mutable, so a value can contain itself; a container
//! met again while it is still being printed prints as `...` instead of looping forever.
//!
//! Printing never holds more than about [`SPILL_BYTES`] of output at a time beyond what the
//! caller accepts: a value can print to far more bytes than it occupies (an array holding
//! the same array twice, thirty levels deep, prints 2³⁰ elements), so the walk hands the
//! output to a [`Spill`] callback as it grows, which writes it out (`print`) or refuses
//! once it passes the largest string (`as string`), ending the walk.
//!
//! Equality compares enums structurally (same layout and variant, payloads compared by
//! their types: strings by content, `f64` by IEEE `==`, nested enums structurally) and
//! everything with identity (arrays, structs, functions, Error values) by handle; scalars
//! by their canonical bits. Enum values are immutable, so they cannot contain themselves
//! and the walk ends.

use super::format::{format_scalar, scalar_prim};
use super::heap::{Handle, Heap};
use crate::bytecode::{Program, ValType};
use std::collections::HashSet;

/// One pending piece of a value being printed.
enum Step<'a> {
    /// Print this value.
    Value(u64, &'a ValType),
    /// Print element `index` of a container (and the separator before it), then the rest.
    Next(Seq<'a>, usize),
    /// Print these bytes.
    Text(&'static [u8]),
}

/// A container whose slots are printed one after another.
#[derive(Clone, Copy)]
enum Seq<'a> {
    Array(Handle, &'a ValType),
    Struct(Handle, u32),
    Payload(Handle, &'a [ValType]),
}

/// Output size at which a walk offers its output to the [`Spill`] callback.
pub const SPILL_BYTES: usize = 64 * 1024;

/// Takes the output gathered so far (at least [`SPILL_BYTES`] of it): writes it out and
/// clears the buffer, or leaves it; returns `false` to stop the walk (a budget or size
/// limit was reached).
pub type Spill<'s> = dyn FnMut(&mut Vec<u8>) -> bool + 's;

/// Appends the print form of a value of type `ty` held in the slot `bits`; see the
/// module documentation. `program` supplies the layouts and function names. Returns
/// `false` when `spill` stopped the walk (the output is then incomplete).
pub fn format_value<'a>(
    out: &mut Vec<u8>,
    bits: u64,
    ty: &'a ValType,
    heap: &Heap,
    program: &'a Program,
    spill: &mut Spill<'_>,
) -> bool {
    if let Some(prim) = scalar_prim(ty) {
        format_scalar(out, bits, prim);
        return true;
    }
    if *ty == ValType::Str {
        out.extend_from_slice(heap.get_str(bits as Handle));
        return out.len() < SPILL_BYTES || spill(out);
    }
    let mut stack = vec![Step::Value(bits, ty)];
    // Containers (by handle) that are being printed and may be reached again.
    let mut open: HashSet<Handle> = HashSet::new();
    while let Some(step) = stack.pop() {
        if out.len() >= SPILL_BYTES && !spill(out) {
            return false;
        }
        match step {
            Step::Text(text) => out.extend_from_slice(text),
            Step::Value(bits, ty) => {
                let handle = bits as Handle;
                let seq = match ty {
                    ValType::Str => {
                        out.extend_from_slice(heap.get_str(handle));
                        continue;
                    }
                    ValType::Array(elem) => Seq::Array(handle, elem),
                    ValType::Struct(layout) => Seq::Struct(handle, *layout),
                    ValType::Enum(layout) => {
                        let enum_layout = &program.enums[*layout as usize];
                        let (_, variant, payload) = heap.enum_value(handle);
                        let (name, types) = &enum_layout.variants[usize::from(variant)];
                        out.extend_from_slice(enum_layout.name.as_bytes());
                        out.push(b'.');
                        out.extend_from_slice(name.as_bytes());
                        if payload.is_empty() {
                            continue;
                        }
                        out.push(b'(');
                        stack.push(Step::Text(b")"));
                        Seq::Payload(handle, types)
                    }
                    ValType::Func => {
                        let func = heap.closure_func(handle);
                        out.extend_from_slice(b"<fn ");
                        out.extend_from_slice(program.functions[func as usize].name.as_bytes());
                        out.push(b'>');
                        continue;
                    }
                    ValType::Error => {
                        out.extend_from_slice(b"Error: ");
                        out.extend_from_slice(heap.error_value(handle).1.as_bytes());
                        continue;
                    }
                    _ => {
                        let prim = scalar_prim(ty).expect("every other type is a scalar");
                        format_scalar(out, bits, prim);
                        continue;
                    }
                };
                if may_cycle(&seq, program) && !open.insert(handle) {
                    out.extend_from_slice(b"...");
                    continue;
                }
                stack.push(Step::Next(seq, 0));
            }
            Step::Next(seq, index) => {
                let (len, handle) = match seq {
                    Seq::Array(h, _) => (heap.array(h).len(), h),
                    Seq::Struct(h, _) => (heap.struct_fields(h).1.len(), h),
                    Seq::Payload(h, _) => (heap.enum_value(h).2.len(), h),
                };
                if index >= len {
                    open.remove(&handle);
                    continue;
                }
                if index > 0 {
                    out.extend_from_slice(b", ");
                }
                let (slot, ty) = match seq {
                    Seq::Array(h, elem) => (heap.array(h)[index], elem),
                    Seq::Struct(h, layout) => (
                        heap.struct_fields(h).1[index],
                        &program.structs[layout as usize].fields[index].1,
                    ),
                    Seq::Payload(h, types) => (heap.enum_value(h).2[index], &types[index]),
                };
                stack.push(Step::Next(seq, index + 1));
                stack.push(Step::Value(slot, ty));
            }
        }
    }
    out.len() < SPILL_BYTES || spill(out)
}

/// Whether printing the container `seq` can lead back to a container: only then is it
/// tracked for cycles (an array of numbers never is).
fn may_cycle(seq: &Seq<'_>, program: &Program) -> bool {
    let nested = |ty: &ValType| {
        matches!(
            ty,
            ValType::Array(_) | ValType::Struct(_) | ValType::Enum(_)
        )
    };
    match seq {
        Seq::Array(_, elem) => nested(elem),
        Seq::Struct(_, layout) => program.structs[*layout as usize]
            .fields
            .iter()
            .any(|(_, ty)| nested(ty)),
        // Enum values are immutable; a cycle through one passes through an array or struct.
        Seq::Payload(..) => false,
    }
}

/// Whether the values `a` and `b` of type `ty` are equal; see the module documentation.
/// Each pair of values compared costs one of `steps`; `None` means they ran out first (an
/// enum that holds the same value twice at every level has exponentially many pairs, so
/// a run under an instruction budget bounds the walk).
pub fn values_equal(
    a: u64,
    b: u64,
    ty: &ValType,
    heap: &Heap,
    program: &Program,
    steps: &mut u64,
) -> Option<bool> {
    // The usual enum comparison (`state != State.Done`, variants without payload, which
    // are shared values) is decided by the tags alone, without the general walk.
    if let ValType::Enum(layout) = ty {
        if !heap.enum_may_hold_float(*layout) {
            let decided = if a == b {
                Some(true)
            } else {
                let (layout_a, variant_a, payload_a) = heap.enum_value(a as Handle);
                let (layout_b, variant_b, payload_b) = heap.enum_value(b as Handle);
                if layout_a != layout_b || variant_a != variant_b {
                    Some(false)
                } else {
                    (payload_a.is_empty() && payload_b.is_empty()).then_some(true)
                }
            };
            if let Some(equal) = decided {
                *steps = steps.checked_sub(1)?;
                return Some(equal);
            }
        }
    }
    values_equal_walk(a, b, ty, heap, program, steps)
}

/// [`values_equal`] for values with parts to compare: a walk with an explicit stack.
#[inline(never)]
fn values_equal_walk(
    a: u64,
    b: u64,
    ty: &ValType,
    heap: &Heap,
    program: &Program,
    steps: &mut u64,
) -> Option<bool> {
    let mut stack: Vec<(u64, u64, &ValType)> = Vec::new();
    let mut next = Some((a, b, ty));
    // Enum pairs already compared or waiting on the stack, kept once a comparison runs
    // long: values built by sharing (`a = T.Pair(a, a)` in a loop) have exponentially
    // many paths but few distinct pairs, and a pair met again needs no second look (if it
    // differs, the first look returns false).
    let mut seen: Option<HashSet<(u64, u64)>> = None;
    let mut compared: u32 = 0;
    while let Some((a, b, ty)) = next.take().or_else(|| stack.pop()) {
        *steps = steps.checked_sub(1)?;
        let equal = match ty {
            ValType::F64 => f64::from_bits(a) == f64::from_bits(b),
            ValType::Str => a == b || heap.get_str(a as Handle) == heap.get_str(b as Handle),
            // The same object is equal to itself unless a NaN may be inside it.
            ValType::Enum(layout) if a == b && !heap.enum_may_hold_float(*layout) => true,
            ValType::Enum(_) => {
                compared += 1;
                if compared > 1024 && !seen.get_or_insert_with(HashSet::new).insert((a, b)) {
                    continue;
                }
                let (layout_a, variant_a, payload_a) = heap.enum_value(a as Handle);
                let (layout_b, variant_b, payload_b) = heap.enum_value(b as Handle);
                if layout_a != layout_b || variant_a != variant_b {
                    return Some(false);
                }
                let types = &program.enums[layout_a as usize].variants[usize::from(variant_a)].1;
                for ((&x, &y), ty) in payload_a.iter().zip(payload_b).zip(types) {
                    match ty {
                        ValType::Str | ValType::Enum(_) | ValType::F64 => stack.push((x, y, ty)),
                        _ if x != y => return Some(false),
                        _ => {}
                    }
                }
                true
            }
            // Integers and bools by canonical bits; arrays, structs, functions and Error
            // values by identity.
            _ => a == b,
        };
        if !equal {
            return Some(false);
        }
    }
    Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytecode::{EnumLayout, Function, StructLayout};

    /// `enum List: Nil, Cons(i32, List)`, `struct Box { items: [Box], n: f64 }`, and a
    /// function named `f`.
    fn program() -> Program {
        Program {
            structs: vec![StructLayout {
                name: "Box".into(),
                fields: vec![
                    ("items".into(), ValType::Array(Box::new(ValType::Struct(0)))),
                    ("n".into(), ValType::F64),
                ],
            }],
            enums: vec![EnumLayout {
                name: "List".into(),
                variants: vec![
                    ("Nil".into(), vec![]),
                    ("Cons".into(), vec![ValType::I32, ValType::Enum(0)]),
                ],
            }],
            functions: vec![Function {
                file: 0,
                name: "f".into(),
                arity: 0,
                num_regs: 0,
                code: [].into(),
                spans: [].into(),
                ref_regs: [].into(),
            }],
            ..Program::default()
        }
    }

    /// The print form, gathered through a spill that takes every chunk as `print` does.
    fn show(heap: &Heap, program: &Program, bits: u64, ty: &ValType) -> String {
        let mut taken = Vec::new();
        let mut out = Vec::new();
        let mut take = |chunk: &mut Vec<u8>| {
            assert!(chunk.len() >= SPILL_BYTES);
            taken.append(chunk);
            true
        };
        assert!(format_value(&mut out, bits, ty, heap, program, &mut take));
        taken.extend_from_slice(&out);
        String::from_utf8(taken).unwrap()
    }

    /// A list of `0..n`, innermost last.
    fn list(heap: &mut Heap, n: i32) -> u64 {
        let mut list = u64::from(heap.alloc_enum(0, 0, &[]).unwrap());
        for v in (0..n).rev() {
            list = u64::from(heap.alloc_enum(0, 1, &[v as u64, list]).unwrap());
        }
        list
    }

    #[test]
    fn enum_equality_by_tag_and_by_payload() {
        let program = program();
        let mut heap = Heap::new(&[], None);
        heap.set_layouts(&program.structs, &program.enums);
        let ty = ValType::Enum(0);
        let eq = |heap: &Heap, a: u64, b: u64| {
            let mut steps = u64::MAX;
            values_equal(a, b, &ty, heap, &program, &mut steps)
        };
        let nil = u64::from(heap.alloc_enum(0, 0, &[]).unwrap());
        let (one, also_one, two) = (list(&mut heap, 1), list(&mut heap, 1), list(&mut heap, 2));
        assert_eq!(eq(&heap, nil, nil), Some(true));
        assert_eq!(eq(&heap, nil, one), Some(false));
        // Different objects with equal payloads take the full walk.
        assert_ne!(one, also_one);
        assert_eq!(eq(&heap, one, also_one), Some(true));
        assert_eq!(eq(&heap, one, two), Some(false));
        // A comparison decided by the tags still counts against the step budget.
        let mut steps = 0;
        assert_eq!(
            values_equal(nil, one, &ty, &heap, &program, &mut steps),
            None
        );
    }

    #[test]
    fn deep_values_use_no_host_stack() {
        let program = program();
        let mut heap = Heap::new(&[], None);
        heap.set_layouts(&program.structs, &program.enums);
        let ty = ValType::Enum(0);
        let short = list(&mut heap, 2);
        assert_eq!(
            show(&heap, &program, short, &ty),
            "List.Cons(0, List.Cons(1, List.Nil))"
        );
        let (a, b) = (list(&mut heap, 1_000_000), list(&mut heap, 1_000_000));
        let text = show(&heap, &program, a, &ty);
        assert!(text.starts_with("List.Cons(0, List.Cons(1, "));
        let tail = format!("List.Cons(999999, List.Nil{}", ")".repeat(1_000_000));
        assert!(text.ends_with(&tail));
        let mut steps = u64::MAX;
        assert_eq!(
            values_equal(a, b, &ty, &heap, &program, &mut steps),
            Some(true)
        );
        // One step per pair of enum values: a million `Cons` nodes and the `Nil`.
        assert_eq!(u64::MAX - steps, 1_000_001);
        let c = list(&mut heap, 999_999);
        assert_eq!(
            values_equal(a, c, &ty, &heap, &program, &mut steps),
            Some(false)
        );
        assert_eq!(values_equal(a, b, &ty, &heap, &program, &mut 1000), None);
        // A spill that refuses stops the walk soon after the first chunk.
        let mut out = Vec::new();
        let mut refuse = |_: &mut Vec<u8>| false;
        assert!(!format_value(
            &mut out,
            a,
            &ty,
            &heap,
            &program,
            &mut refuse
        ));
        assert!(out.len() < SPILL_BYTES + 64, "{}", out.len());
    }

    #[test]
    fn containers_that_contain_themselves_print_once() {
        let program = program();
        let mut heap = Heap::new(&[], None);
        heap.set_layouts(&program.structs, &program.enums);
        let items = heap.alloc_array(&[], true).unwrap();
        let b = heap
            .alloc_struct(0, &[u64::from(items), 0.5f64.to_bits()])
            .unwrap();
        heap.array_push(items, u64::from(b)).unwrap();
        heap.array_push(items, u64::from(b)).unwrap();
        let ty = ValType::Struct(0);
        assert_eq!(show(&heap, &program, u64::from(b), &ty), "..., ..., 0.5");
        // Shared but not cyclic: printed in full each time.
        let leaf_items = heap.alloc_array(&[], true).unwrap();
        let leaf = heap.alloc_struct(0, &[u64::from(leaf_items), 2f64.to_bits()]);
        let leaf = u64::from(leaf.unwrap());
        let both = heap.alloc_array(&[leaf, leaf], true).unwrap();
        let top = heap
            .alloc_struct(0, &[u64::from(both), 1f64.to_bits()])
            .unwrap();
        assert_eq!(show(&heap, &program, u64::from(top), &ty), ", 2, , 2, 1");
        // Structs compare by identity.
        assert_eq!(
            values_equal(leaf, leaf, &ty, &heap, &program, &mut 100),
            Some(true)
        );
        assert_eq!(
            values_equal(leaf, u64::from(top), &ty, &heap, &program, &mut 100),
            Some(false)
        );
        assert_eq!(values_equal(leaf, leaf, &ty, &heap, &program, &mut 0), None);
    }

    #[test]
    fn functions_and_errors_print() {
        let program = program();
        let mut heap = Heap::new(&[], None);
        let f = heap.alloc_closure(0, &[]).unwrap();
        let e = heap
            .alloc_error(crate::diag::Code::Thrown, "oops", (0, 0))
            .unwrap();
        assert_eq!(
            show(&heap, &program, u64::from(f), &ValType::Func),
            "<fn f>"
        );
        assert_eq!(
            show(&heap, &program, u64::from(e), &ValType::Error),
            "Error: oops"
        );
    }
}
