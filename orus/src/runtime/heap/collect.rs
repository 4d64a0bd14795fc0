//! The collector: mark from the roots the VM gives and the heap's own shared values,
//! sweep the table, keep small slot blocks of dead objects for reuse, and set the next
//! threshold. Marking is iterative (a gray stack), so deep structures cannot overflow the
//! host stack; struct and enum slots are traced by layout, cells and closures
//! conservatively.

use super::{Handle, Heap, Object, OBJECT_OVERHEAD};

/// Collect once this many bytes were allocated, or twice the live size if larger.
pub(super) const MIN_THRESHOLD: usize = 2 << 20;

/// Objects with fewer slots than this have their storage kept for reuse when collected.
const SLOT_POOL_LENGTHS: usize = 17;

/// Most slots kept for reuse (8 MiB): about what a collection of small objects frees at
/// the minimum threshold, several times over.
const MAX_POOLED_SLOTS: usize = 1 << 20;

/// Bytes to allocate before the next collection: twice the live size, and at least the
/// object table's own share. A sweep visits the whole table, which never shrinks below
/// its peak: after a peak of 3 M objects, collecting every megabyte or two made a loop of
/// short-lived structs 10x slower than Lua; with this each sweep is paid for by as many
/// allocations.
pub(super) fn next_threshold(live: usize, table_len: usize) -> usize {
    MIN_THRESHOLD
        .max(2 * live)
        .max(table_len.saturating_mul(OBJECT_OVERHEAD))
}

impl Heap {
    /// True when enough was allocated since the last collection that the owner should
    /// call [`Heap::collect`] before allocating again. An allocation refused because of
    /// the limit is worth one collection and a retry too.
    #[inline]
    pub fn wants_collection(&self) -> bool {
        self.allocated >= self.threshold
    }

    /// Mark-sweep collection. `roots` are raw register or global slots; values that are
    /// not handles of live objects are ignored.
    pub fn collect(&mut self, roots: impl IntoIterator<Item = u64>) {
        for byte in 0..self.byte_strs.len() {
            if let Some(handle) = self.byte_strs[byte] {
                self.mark(u64::from(handle));
            }
        }
        for layout in 0..self.unit_enums.len() {
            for variant in 0..self.unit_enums[layout].len() {
                if let Some(handle) = self.unit_enums[layout][variant] {
                    self.mark(u64::from(handle));
                }
            }
        }
        for func in 0..self.plain_closures.len() {
            if let Some(handle) = self.plain_closures[func] {
                self.mark(u64::from(handle));
            }
        }
        for root in roots {
            self.mark(root);
            self.trace_gray();
        }
        self.trace_gray();
        let mut live = 0;
        for index in 0..self.slots.len() {
            let object = &self.slots[index];
            if matches!(object, Object::Free) {
                continue;
            }
            if self.marks[index] || index < self.permanent {
                live += object.size();
                self.marks[index] = false;
            } else {
                match std::mem::replace(&mut self.slots[index], Object::Free) {
                    Object::Struct { fields: slots, .. }
                    | Object::Enum { payload: slots, .. }
                    | Object::Closure {
                        captures: slots, ..
                    } => self.recycle(slots),
                    // Nothing of their own to free: no call to the general drop.
                    Object::Slice { .. }
                    | Object::Small { .. }
                    | Object::FewStruct { .. }
                    | Object::FewEnum { .. }
                    | Object::Cell(_) => {}
                    other => drop(other),
                }
                self.free.push(index as Handle);
            }
        }
        self.live_bytes = live;
        self.allocated = 0;
        self.threshold = next_threshold(live, self.slots.len());
        self.collections += 1;
    }

    /// A boxed copy of `values` for a new struct, enum or closure, reusing the storage of
    /// one collected earlier when there is one of that length: objects made and dropped
    /// in a loop then cost no `malloc` and `free`, which were 40 % of such a loop.
    pub(super) fn slot_box(&mut self, values: &[u64]) -> Box<[u64]> {
        if let Some(mut reused) = self.slot_pool.get_mut(values.len()).and_then(Vec::pop) {
            self.pooled_slots -= values.len();
            reused.copy_from_slice(values);
            return reused;
        }
        values.into()
    }

    /// Keeps the storage of a collected object's slots for [`Heap::slot_box`], up to
    /// `MAX_POOLED_SLOTS` in all; beyond that it goes back to the allocator.
    fn recycle(&mut self, slots: Box<[u64]>) {
        let len = slots.len();
        if len == 0 || len >= SLOT_POOL_LENGTHS || self.pooled_slots + len > MAX_POOLED_SLOTS {
            return;
        }
        if self.slot_pool.len() <= len {
            self.slot_pool.resize_with(SLOT_POOL_LENGTHS, Vec::new);
        }
        self.pooled_slots += len;
        self.slot_pool[len].push(slots);
    }

    fn mark(&mut self, bits: u64) {
        mark(&self.slots, &mut self.marks, &mut self.gray, bits);
    }

    /// Traces the children of every queued object until the queue is empty.
    fn trace_gray(&mut self) {
        while let Some(handle) = self.gray.pop() {
            self.trace_children(handle);
        }
    }

    fn trace_children(&mut self, handle: Handle) {
        let Heap {
            slots,
            marks,
            gray,
            struct_refs,
            enum_refs,
            ..
        } = self;
        match slots.get(handle as usize) {
            Some(Object::Slice { buf, .. }) => mark(slots, marks, gray, u64::from(*buf)),
            Some(Object::Array {
                elems,
                elem_ref: true,
            }) => {
                for &elem in elems {
                    mark(slots, marks, gray, elem);
                }
            }
            Some(object @ (Object::Struct { .. } | Object::FewStruct { .. })) => {
                let (layout, fields) = object.struct_fields().unwrap_or_default();
                let refs = &struct_refs[layout as usize];
                for (&value, _) in fields.iter().zip(refs.iter()).filter(|(_, &r)| r) {
                    mark(slots, marks, gray, value);
                }
            }
            Some(object @ (Object::Enum { .. } | Object::FewEnum { .. })) => {
                let (layout, variant, payload) = object.enum_value().unwrap_or_default();
                let refs = &enum_refs[layout as usize][usize::from(variant)];
                for (&value, _) in payload.iter().zip(refs.iter()).filter(|(_, &r)| r) {
                    mark(slots, marks, gray, value);
                }
            }
            Some(Object::Cell(value)) => mark(slots, marks, gray, *value),
            Some(Object::Closure { captures, .. }) => {
                for &value in captures.iter() {
                    mark(slots, marks, gray, value);
                }
            }
            Some(
                Object::Str(_)
                | Object::Small { .. }
                | Object::Buffer(_)
                | Object::Array { .. }
                | Object::Error { .. },
            )
            | Some(Object::Free)
            | None => {}
        }
    }
}

fn mark(slots: &[Object], marks: &mut [bool], gray: &mut Vec<Handle>, bits: u64) {
    let Ok(handle) = Handle::try_from(bits) else {
        return;
    };
    let index = handle as usize;
    if index < slots.len() && !matches!(slots[index], Object::Free) && !marks[index] {
        marks[index] = true;
        gray.push(handle);
    }
}
