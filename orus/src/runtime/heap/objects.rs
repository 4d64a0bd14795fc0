//! Struct instances, enum values, cells, closures and Error values: making and reading
//! them. Readers return slots or slices in place and never allocate; like the array
//! accessors they panic when a handle is not of the expected kind (the type checker
//! guarantees it is, so that is a compiler bug), and so does a field or payload index
//! beyond the object (the verifier bounds it by the largest layout).

use super::{out_of_memory, Handle, Heap, Object};
use crate::bytecode::{EnumLayout, StructLayout, ValType};
use crate::diag::Code;
use crate::runtime::Fault;

impl Heap {
    /// Learns which fields and payload slots of each layout hold handles, so the
    /// collector can trace struct and enum values. Call once, before allocating any.
    pub fn set_layouts(&mut self, structs: &[StructLayout], enums: &[EnumLayout]) {
        self.struct_refs = structs
            .iter()
            .map(|s| s.fields.iter().map(|(_, ty)| ty.is_ref()).collect())
            .collect();
        self.enum_refs = enums
            .iter()
            .map(|e| {
                e.variants
                    .iter()
                    .map(|(_, payload)| payload.iter().map(|ty| ty.is_ref()).collect())
                    .collect()
            })
            .collect();
        self.unit_enums = enums.iter().map(|e| vec![None; e.variants.len()]).collect();
        // An enum can hold a NaN when a payload is an `f64` or an enum that can: a
        // fixed point over the (possibly recursive) layouts, starting from "no".
        let mut floats = vec![false; enums.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for (i, e) in enums.iter().enumerate() {
                if floats[i] {
                    continue;
                }
                let holds = e.variants.iter().flat_map(|(_, p)| p).any(|ty| match ty {
                    ValType::F64 => true,
                    ValType::Enum(other) => floats.get(*other as usize).copied().unwrap_or(true),
                    _ => false,
                });
                if holds {
                    floats[i] = true;
                    changed = true;
                }
            }
        }
        self.enum_floats = floats;
    }

    /// Whether a value of enum layout `layout` may contain an `f64` (so a NaN, which is not
    /// equal to itself), directly or in a nested enum.
    pub fn enum_may_hold_float(&self, layout: u32) -> bool {
        self.enum_floats
            .get(layout as usize)
            .copied()
            .unwrap_or(true)
    }

    /// Stores a new instance of struct layout `layout` with a copy of `fields`.
    pub fn alloc_struct(&mut self, layout: u32, fields: &[u64]) -> Result<Handle, Fault> {
        debug_assert!((layout as usize) < self.struct_refs.len(), "unknown layout");
        let object = match Object::few(fields) {
            Some((len, fields)) => Object::FewStruct {
                layout,
                len,
                fields,
            },
            None => Object::Struct {
                layout,
                fields: self.slot_box(fields),
            },
        };
        self.insert(object)
    }

    /// Field `field` of the struct at `handle`.
    #[inline]
    pub fn field(&self, handle: Handle, field: u16) -> u64 {
        let fields: &[u64] = match self.slots.get(handle as usize) {
            Some(Object::Struct { fields, .. }) => fields,
            Some(Object::FewStruct { fields, .. }) => fields,
            _ => wrong_kind(handle, "struct"),
        };
        fields[usize::from(field)]
    }

    /// Stores `value` into field `field` of the struct at `handle`.
    #[inline]
    pub fn set_field(&mut self, handle: Handle, field: u16, value: u64) {
        let fields: &mut [u64] = match self.slots.get_mut(handle as usize) {
            Some(Object::Struct { fields, .. }) => fields,
            Some(Object::FewStruct { fields, .. }) => fields,
            _ => wrong_kind(handle, "struct"),
        };
        fields[usize::from(field)] = value;
    }

    /// The layout and the fields of the struct at `handle`.
    pub fn struct_fields(&self, handle: Handle) -> (u32, &[u64]) {
        match self.object(handle).and_then(Object::struct_fields) {
            Some(found) => found,
            None => wrong_kind(handle, "struct"),
        }
    }

    /// Stores a new value of enum layout `layout`, variant `variant`, with a copy of
    /// `payload`. A variant without payload is made once and shared.
    pub fn alloc_enum(
        &mut self,
        layout: u32,
        variant: u16,
        payload: &[u64],
    ) -> Result<Handle, Fault> {
        let (l, v) = (layout as usize, usize::from(variant));
        debug_assert!(l < self.enum_refs.len(), "unknown layout");
        if payload.is_empty() {
            if let Some(handle) = self.unit_enum(layout, variant) {
                return Ok(handle);
            }
        }
        let object = match Object::few(payload) {
            Some((len, slots)) => Object::FewEnum {
                layout,
                variant,
                len,
                payload: slots,
            },
            None => Object::Enum {
                layout,
                variant,
                payload: self.slot_box(payload),
            },
        };
        let handle = self.insert(object)?;
        if payload.is_empty() {
            self.unit_enums[l][v] = Some(handle);
        }
        Ok(handle)
    }

    /// The shared value of a variant without payload, once it has been made.
    #[inline]
    pub fn unit_enum(&self, layout: u32, variant: u16) -> Option<Handle> {
        *self
            .unit_enums
            .get(layout as usize)?
            .get(usize::from(variant))?
    }

    /// The layout, variant and payload of the enum value at `handle`.
    #[inline]
    pub fn enum_value(&self, handle: Handle) -> (u32, u16, &[u64]) {
        match self.object(handle).and_then(Object::enum_value) {
            Some(found) => found,
            None => wrong_kind(handle, "enum value"),
        }
    }

    /// Stores a new cell holding `value`.
    pub fn alloc_cell(&mut self, value: u64) -> Result<Handle, Fault> {
        self.insert(Object::Cell(value))
    }

    /// The contents of the cell at `handle`.
    #[inline]
    pub fn cell(&self, handle: Handle) -> u64 {
        match self.slots.get(handle as usize) {
            Some(Object::Cell(value)) => *value,
            _ => wrong_kind(handle, "cell"),
        }
    }

    /// Replaces the contents of the cell at `handle`.
    #[inline]
    pub fn set_cell(&mut self, handle: Handle, value: u64) {
        match self.slots.get_mut(handle as usize) {
            Some(Object::Cell(slot)) => *slot = value,
            _ => wrong_kind(handle, "cell"),
        }
    }

    /// Stores a new closure of function `func` with a copy of `captures`. A closure
    /// without captures is made once per function and shared.
    pub fn alloc_closure(&mut self, func: u32, captures: &[u64]) -> Result<Handle, Fault> {
        let index = func as usize;
        if captures.is_empty() {
            if let Some(handle) = self.plain_closure(func) {
                return Ok(handle);
            }
        }
        let captures_box = self.slot_box(captures);
        let handle = self.insert(Object::Closure {
            func,
            captures: captures_box,
        })?;
        if captures.is_empty() {
            if self.plain_closures.len() <= index {
                self.plain_closures.resize(index + 1, None);
            }
            self.plain_closures[index] = Some(handle);
        }
        Ok(handle)
    }

    /// The shared closure without captures of function `func`, if it was made already.
    #[inline]
    pub fn plain_closure(&self, func: u32) -> Option<Handle> {
        self.plain_closures.get(func as usize).copied().flatten()
    }

    /// The function index of the closure at `handle`.
    #[inline]
    pub fn closure_func(&self, handle: Handle) -> u32 {
        match self.slots.get(handle as usize) {
            Some(Object::Closure { func, .. }) => *func,
            _ => wrong_kind(handle, "closure"),
        }
    }

    /// Captured slot `index` of the closure at `handle`; `None` beyond its captures or
    /// when `handle` is no object at all (such as `Handle::MAX`, never handed out).
    #[inline]
    pub fn capture(&self, handle: Handle, index: u16) -> Option<u64> {
        match self.slots.get(handle as usize) {
            Some(Object::Closure { captures, .. }) => captures.get(usize::from(index)).copied(),
            None | Some(Object::Free) => None,
            Some(_) => wrong_kind(handle, "closure"),
        }
    }

    /// Stores a new Error value for an error with `code` and `message`, first raised at
    /// `origin` (function index, pc).
    pub fn alloc_error(
        &mut self,
        code: Code,
        message: &str,
        origin: (u32, u32),
    ) -> Result<Handle, Fault> {
        if message.len() > super::MAX_STR_LEN {
            return Err(out_of_memory("string too large"));
        }
        // Made even past the heap limit, which is often what was caught: the value is
        // small, and refusing it would make running out of memory uncatchable.
        let limit = self.limit.take();
        let made = self.insert(Object::Error {
            code,
            origin,
            message: message.into(),
        });
        self.limit = limit;
        made
    }

    /// The code, message and origin of the Error value at `handle`.
    pub fn error_value(&self, handle: Handle) -> (Code, &str, (u32, u32)) {
        match self.object(handle) {
            Some(Object::Error {
                code,
                message,
                origin,
            }) => (*code, message, *origin),
            _ => wrong_kind(handle, "Error value"),
        }
    }
}

#[cold]
#[inline(never)]
fn wrong_kind(handle: Handle, expected: &str) -> ! {
    panic!("handle {handle} is not a live {expected}")
}
