//! The garbage-collected object store.
//!
//! Heap values live in [`Heap`] and registers hold them as `u32` handles (slot indices).
//! The values are immutable byte strings and mutable arrays; `Object` is an enum so
//! structs and closures can join it, each listing its child handles in `trace_children`.
//!
//! An array is a `Vec<u64>` of register-format slots and a flag saying whether those slots
//! are heap handles, which the collector then traces. Reading, writing, `len` and `pop` work
//! in place; `push` grows the vector geometrically (amortised O(1)) and charges each growth
//! of its capacity, so a program that only grows arrays still triggers collections. An
//! array is charged `8 * capacity` bytes on top of the per-object overhead. Strings and
//! arrays hold at most `i32::MAX` bytes or elements (E0014 beyond), so `len` fits its `i32`.
//!
//! One-byte strings (the results of `s[i]`) are made once per byte value and kept alive
//! for the rest of the run, so indexing a string allocates at most 256 objects in total.
//!
//! Collection is mark-sweep and is driven by the owner: the VM asks
//! [`Heap::wants_collection`] before an allocation, and retries an allocation refused by
//! the heap limit (E0014) once after collecting. It calls [`Heap::collect`] with every root
//! slot it knows (registers named in each live frame's `ref_regs`, reference globals, the
//! operands of the pending operation). A root is only a
//! 64-bit slot of unknown provenance, so anything that is not the handle of a live object
//! is ignored: a stale or uninitialised register can at worst keep an object alive, never
//! free one or crash the collector. The interned string constants occupy the first slots,
//! with handle `i` for `Program::strings[i]`, and are never freed. Freed slots are reused
//! through a free list, so the slot table only grows to the peak number of live objects.
//!
//! Concatenation avoids quadratic copying for `s = s + x` loops: a long result is a
//! `Slice` viewing a prefix of a growable `Buffer`; appending to the slice that ends its
//! buffer extends the buffer in place (older slices keep seeing their shorter prefix), so
//! building a string piece by piece costs amortised O(piece) per step.
//!
//! This module knows nothing of frames or instructions. Tests are at the bottom.

use super::Fault;
use crate::diag::Code;
use std::ops::Range;

/// A heap object's address, as stored (zero-extended) in a register.
pub type Handle = u32;

/// Collect once this many bytes were allocated, or twice the live size if larger.
const MIN_THRESHOLD: usize = 1 << 20;
/// Results of concatenation shorter than this are plain strings, not buffer slices.
const SLICE_MIN_LEN: usize = 64;
/// Book-keeping bytes charged per object on top of its payload.
const OBJECT_OVERHEAD: usize = 32;
/// Bytes charged per unit of an array's capacity.
const SLOT_BYTES: usize = std::mem::size_of::<u64>();
/// Most elements an array may hold, so that `len` fits the `i32` it returns.
const MAX_ARRAY_LEN: usize = i32::MAX as usize;
/// Most bytes a string may hold, so that `len` fits the `i32` it returns.
const MAX_STR_LEN: usize = i32::MAX as usize;

/// One heap object.
#[derive(Debug)]
enum Object {
    /// An immutable string owning its bytes.
    Str(Box<[u8]>),
    /// The string formed by the first `len` bytes of the [`Object::Buffer`] at `buf`.
    Slice { buf: Handle, len: u32 },
    /// Append-only storage shared by slices; never itself a language value.
    Buffer(Vec<u8>),
    /// A mutable array of register slots; when `elem_ref` they are handles to trace.
    Array { elems: Vec<u64>, elem_ref: bool },
}

impl Object {
    /// Bytes charged against the collection threshold and the heap limit.
    fn size(&self) -> usize {
        OBJECT_OVERHEAD
            + match self {
                Object::Str(bytes) => bytes.len(),
                Object::Slice { .. } => 0,
                Object::Buffer(bytes) => bytes.capacity(),
                Object::Array { elems, .. } => elems.capacity() * SLOT_BYTES,
            }
    }
}

/// The object store, see the module documentation.
#[derive(Debug)]
pub struct Heap {
    slots: Vec<Option<Object>>,
    marks: Vec<bool>,
    free: Vec<Handle>,
    /// Slots `0..permanent` hold the interned constants and are never swept.
    permanent: usize,
    /// Bytes held by objects (exact after a collection, then grown by each allocation).
    live_bytes: usize,
    /// Bytes allocated since the last collection.
    allocated: usize,
    /// `allocated` at which the next collection is due.
    threshold: usize,
    limit: Option<usize>,
    collections: u64,
    /// Mark stack, kept to reuse its allocation.
    gray: Vec<Handle>,
    /// The one-byte string for each byte value, once made; roots of every collection.
    byte_strs: Box<[Option<Handle>; 256]>,
}

impl Heap {
    /// A heap whose first objects are the interned `strings`, so that handle `i` is
    /// `strings[i]`; `limit` caps the total bytes held (E0014 beyond it).
    pub fn new(strings: &[Vec<u8>], limit: Option<usize>) -> Heap {
        let slots: Vec<Option<Object>> = strings
            .iter()
            .map(|s| Some(Object::Str(s.clone().into_boxed_slice())))
            .collect();
        let live_bytes = slots.iter().flatten().map(Object::size).sum();
        Heap {
            marks: vec![false; slots.len()],
            permanent: slots.len(),
            slots,
            free: Vec::new(),
            live_bytes,
            allocated: 0,
            threshold: MIN_THRESHOLD.max(2 * live_bytes),
            limit,
            collections: 0,
            gray: Vec::new(),
            byte_strs: Box::new([None; 256]),
        }
    }

    /// The bytes of the string at `handle`.
    ///
    /// # Panics
    /// When `handle` is not a live string: the compiler guarantees it is, so this is a bug.
    pub fn get_str(&self, handle: Handle) -> &[u8] {
        match self.object(handle) {
            Some(Object::Str(bytes)) => bytes,
            Some(Object::Slice { buf, len }) => match self.object(*buf) {
                Some(Object::Buffer(bytes)) => &bytes[..*len as usize],
                _ => panic!("string slice {handle} has no buffer"),
            },
            Some(Object::Buffer(bytes)) => bytes,
            Some(Object::Array { .. }) => panic!("handle {handle} is an array, not a string"),
            None => panic!("dangling string handle {handle}"),
        }
    }

    /// The elements of the array at `handle`.
    ///
    /// # Panics
    /// When `handle` is not a live array: the compiler guarantees it is, so this is a bug.
    #[inline]
    pub fn array(&self, handle: Handle) -> &[u64] {
        match self.object(handle) {
            Some(Object::Array { elems, .. }) => elems,
            _ => not_an_array(handle),
        }
    }

    /// The elements of the array at `handle`, to be written in place.
    ///
    /// # Panics
    /// When `handle` is not a live array.
    #[inline]
    pub fn array_mut(&mut self, handle: Handle) -> &mut [u64] {
        match self.slots.get_mut(handle as usize) {
            Some(Some(Object::Array { elems, .. })) => elems,
            _ => not_an_array(handle),
        }
    }

    /// Stores a new array holding a copy of `elems`; `elem_ref` says whether they are
    /// handles the collector must trace.
    pub fn alloc_array(&mut self, elems: &[u64], elem_ref: bool) -> Result<Handle, Fault> {
        self.insert(Object::Array {
            elems: elems.to_vec(),
            elem_ref,
        })
    }

    /// Stores a new array holding the elements `range` of the array at `handle`, with the
    /// same element kind. The range must lie within the array (see `array::slice_range`).
    pub fn slice_array(&mut self, handle: Handle, range: Range<usize>) -> Result<Handle, Fault> {
        let (elems, elem_ref) = match self.object(handle) {
            Some(Object::Array { elems, elem_ref }) => (elems[range].to_vec(), *elem_ref),
            _ => not_an_array(handle),
        };
        self.insert(Object::Array { elems, elem_ref })
    }

    /// Appends `value` to the array at `handle`. Growth doubles the capacity and is
    /// charged like an allocation; on failure (E0014) the array is unchanged.
    pub fn array_push(&mut self, handle: Handle, value: u64) -> Result<(), Fault> {
        let (len, capacity) = match self.object(handle) {
            Some(Object::Array { elems, .. }) => (elems.len(), elems.capacity()),
            _ => not_an_array(handle),
        };
        if len == capacity {
            if len >= MAX_ARRAY_LEN {
                return Err(out_of_memory("array too large"));
            }
            let new_capacity = (capacity * 2).clamp(4, MAX_ARRAY_LEN);
            self.charge((new_capacity - capacity) * SLOT_BYTES)?;
            if let Some(Some(Object::Array { elems, .. })) = self.slots.get_mut(handle as usize) {
                elems.reserve_exact(new_capacity - len);
            }
        }
        if let Some(Some(Object::Array { elems, .. })) = self.slots.get_mut(handle as usize) {
            elems.push(value);
        }
        Ok(())
    }

    /// Removes and returns the last element of the array at `handle`, `None` if it is
    /// empty. The capacity is kept for later pushes.
    pub fn array_pop(&mut self, handle: Handle) -> Option<u64> {
        match self.slots.get_mut(handle as usize) {
            Some(Some(Object::Array { elems, .. })) => elems.pop(),
            _ => not_an_array(handle),
        }
    }

    /// The string holding the single byte `byte`, made on first use and never freed.
    pub fn byte_str(&mut self, byte: u8) -> Result<Handle, Fault> {
        if let Some(handle) = self.byte_strs[usize::from(byte)] {
            return Ok(handle);
        }
        let handle = self.alloc_str(&[byte])?;
        self.byte_strs[usize::from(byte)] = Some(handle);
        Ok(handle)
    }

    /// Stores a new string, a copy of `bytes`.
    pub fn alloc_str(&mut self, bytes: &[u8]) -> Result<Handle, Fault> {
        if bytes.len() > MAX_STR_LEN {
            return Err(out_of_memory("string too large"));
        }
        self.insert(Object::Str(bytes.into()))
    }

    /// Stores the concatenation of the strings `a` and `b`. On failure (E0014) the heap
    /// holds at most some extra garbage, so the call can be retried after a collection.
    pub fn concat(&mut self, a: Handle, b: Handle) -> Result<Handle, Fault> {
        let (a_len, b_len) = (self.get_str(a).len(), self.get_str(b).len());
        let total = a_len + b_len;
        if total > MAX_STR_LEN {
            return Err(out_of_memory("string too large"));
        }
        if let Some(Object::Slice { buf, len }) = self.object(a) {
            let (buf, len) = (*buf, *len as usize);
            if matches!(self.object(buf), Some(Object::Buffer(v)) if v.len() == len) {
                self.append_to_buffer(buf, b, b_len)?;
                return self.insert(Object::Slice {
                    buf,
                    len: total as u32,
                });
            }
        }
        if total < SLICE_MIN_LEN {
            let mut bytes = Vec::with_capacity(total);
            bytes.extend_from_slice(self.get_str(a));
            bytes.extend_from_slice(self.get_str(b));
            return self.insert(Object::Str(bytes.into_boxed_slice()));
        }
        // Exact capacity: a one-off concatenation wastes nothing, and a buffer that is
        // appended to grows geometrically from then on.
        let mut bytes = Vec::with_capacity(total);
        bytes.extend_from_slice(self.get_str(a));
        bytes.extend_from_slice(self.get_str(b));
        let buf = self.insert(Object::Buffer(bytes))?;
        self.insert(Object::Slice {
            buf,
            len: total as u32,
        })
    }

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
        for root in roots {
            self.mark(root);
            self.trace_gray();
        }
        self.trace_gray();
        let mut live = 0;
        for index in 0..self.slots.len() {
            let Some(object) = &self.slots[index] else {
                continue;
            };
            if self.marks[index] || index < self.permanent {
                live += object.size();
                self.marks[index] = false;
            } else {
                self.slots[index] = None;
                self.free.push(index as Handle);
            }
        }
        self.live_bytes = live;
        self.allocated = 0;
        self.threshold = MIN_THRESHOLD.max(2 * live);
        self.collections += 1;
    }

    /// Number of live objects, interned strings included.
    pub fn object_count(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// The most objects that were ever live at once (the size of the slot table).
    pub fn peak_object_count(&self) -> usize {
        self.slots.len()
    }

    /// Bytes currently charged to objects.
    pub fn live_bytes(&self) -> usize {
        self.live_bytes
    }

    /// How many collections have run.
    pub fn collections(&self) -> u64 {
        self.collections
    }

    fn object(&self, handle: Handle) -> Option<&Object> {
        self.slots.get(handle as usize)?.as_ref()
    }

    fn insert(&mut self, object: Object) -> Result<Handle, Fault> {
        self.charge(object.size())?;
        match self.free.pop() {
            Some(handle) => {
                self.slots[handle as usize] = Some(object);
                Ok(handle)
            }
            None => {
                let handle = Handle::try_from(self.slots.len())
                    .map_err(|_| out_of_memory("too many heap objects"))?;
                self.slots.push(Some(object));
                self.marks.push(false);
                Ok(handle)
            }
        }
    }

    /// Appends the string `b` to the buffer `buf`, growing it geometrically.
    fn append_to_buffer(&mut self, buf: Handle, b: Handle, b_len: usize) -> Result<(), Fault> {
        let same_buffer = matches!(self.object(b), Some(Object::Slice { buf: other, .. }) if *other == buf)
            || b == buf;
        let Some(Some(Object::Buffer(bytes))) = self.slots.get_mut(buf as usize) else {
            unreachable!("checked by the caller");
        };
        let mut bytes = std::mem::take(bytes);
        let needed = bytes.len() + b_len;
        if needed > bytes.capacity() {
            let new_capacity = needed.max(bytes.capacity() * 2);
            if let Err(fault) = self.charge(new_capacity - bytes.capacity()) {
                self.slots[buf as usize] = Some(Object::Buffer(bytes));
                return Err(fault);
            }
            bytes.reserve_exact(new_capacity - bytes.len());
        }
        if same_buffer {
            bytes.extend_from_within(..b_len);
        } else {
            bytes.extend_from_slice(self.get_str(b));
        }
        self.slots[buf as usize] = Some(Object::Buffer(bytes));
        Ok(())
    }

    /// Accounts for `bytes` newly held, failing if that passes the limit.
    fn charge(&mut self, bytes: usize) -> Result<(), Fault> {
        if let Some(limit) = self.limit {
            if self.live_bytes + bytes > limit {
                return Err(out_of_memory("heap limit exceeded"));
            }
        }
        self.live_bytes += bytes;
        self.allocated += bytes;
        Ok(())
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
            slots, marks, gray, ..
        } = self;
        match slots.get(handle as usize).and_then(Option::as_ref) {
            Some(Object::Slice { buf, .. }) => mark(slots, marks, gray, u64::from(*buf)),
            Some(Object::Array {
                elems,
                elem_ref: true,
            }) => {
                for &elem in elems {
                    mark(slots, marks, gray, elem);
                }
            }
            Some(Object::Str(_) | Object::Buffer(_) | Object::Array { .. }) | None => {}
        }
    }
}

/// Marks the object whose handle is `bits`, if it is one that is live and not yet
/// marked, and queues it for tracing. Takes the heap's fields apart so that an array's
/// elements can be marked while the array is borrowed.
fn mark(slots: &[Option<Object>], marks: &mut [bool], gray: &mut Vec<Handle>, bits: u64) {
    let Ok(handle) = Handle::try_from(bits) else {
        return;
    };
    let index = handle as usize;
    if index < slots.len() && slots[index].is_some() && !marks[index] {
        marks[index] = true;
        gray.push(handle);
    }
}

#[cold]
#[inline(never)]
fn not_an_array(handle: Handle) -> ! {
    panic!("handle {handle} is not a live array")
}

#[cold]
fn out_of_memory(message: &str) -> Fault {
    Fault::new(Code::OutOfMemory, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heap() -> Heap {
        Heap::new(&[b"hello".to_vec(), b"".to_vec()], None)
    }

    #[test]
    fn interned_strings_have_their_index_as_handle() {
        let heap = heap();
        assert_eq!(heap.get_str(0), b"hello");
        assert_eq!(heap.get_str(1), b"");
        assert_eq!(heap.object_count(), 2);
    }

    #[test]
    fn collect_frees_unreachable_and_reuses_slots() {
        let mut heap = heap();
        let a = heap.alloc_str(b"a").unwrap();
        let b = heap.alloc_str(b"b").unwrap();
        heap.collect([u64::from(b)]);
        assert_eq!(heap.object_count(), 3);
        assert_eq!(heap.get_str(0), b"hello");
        assert_eq!(heap.get_str(b), b"b");
        let c = heap.alloc_str(b"c").unwrap();
        assert_eq!(c, a, "freed slot reused");
        assert_eq!(heap.peak_object_count(), 4);
    }

    #[test]
    fn garbage_roots_are_ignored() {
        let mut heap = heap();
        let a = heap.alloc_str(b"a").unwrap();
        heap.collect([u64::MAX, 1 << 40, 999, u64::from(a) + 1, 0]);
        assert_eq!(heap.object_count(), 2);
        // A stale handle to a freed slot is no root either.
        heap.collect([u64::from(a)]);
        assert_eq!(heap.object_count(), 2);
    }

    #[test]
    fn concat_short_and_long() {
        let mut heap = heap();
        let ab = heap.concat(0, 0).unwrap();
        assert_eq!(heap.get_str(ab), b"hellohello");
        let long = heap.alloc_str(&[b'x'; 70]).unwrap();
        let s = heap.concat(long, 0).unwrap();
        assert_eq!(heap.get_str(s).len(), 75);
        assert!(heap.get_str(s).ends_with(b"xhello"));
    }

    #[test]
    fn appending_in_place_keeps_old_prefixes() {
        let mut heap = heap();
        let mut s = heap.alloc_str(&[b'a'; 64]).unwrap();
        s = heap.concat(s, 0).unwrap();
        let before = s;
        s = heap.concat(s, 0).unwrap();
        assert_eq!(heap.get_str(before).len(), 69);
        assert_eq!(heap.get_str(s).len(), 74);
        // `before` no longer ends the buffer: appending to it must copy.
        let branch = heap.concat(before, 1).unwrap();
        let branch2 = heap.concat(branch, 0).unwrap();
        assert_eq!(heap.get_str(branch2).len(), 74);
        assert_eq!(heap.get_str(s), heap.get_str(branch2));
        // Self-concatenation of a slice that ends its buffer.
        let doubled = heap.concat(s, s).unwrap();
        assert_eq!(heap.get_str(doubled).len(), 148);
        assert_eq!(&heap.get_str(doubled)[..74], heap.get_str(s));
        assert_eq!(&heap.get_str(doubled)[74..], heap.get_str(s));
        // Collecting with only the slice as root keeps its buffer.
        heap.collect([u64::from(doubled)]);
        assert_eq!(heap.get_str(doubled).len(), 148);
        assert_eq!(heap.object_count(), 2 + 2);
    }

    #[test]
    fn building_a_long_string_is_linear() {
        let mut heap = heap();
        let piece = heap.alloc_str(b"0123456789").unwrap();
        let mut s = heap.alloc_str(b"").unwrap();
        for _ in 0..100_000 {
            s = heap.concat(s, piece).unwrap();
        }
        assert_eq!(heap.get_str(s).len(), 1_000_000);
        // Slices charge only their overhead; the buffer doubles: far below 2 * n^2.
        assert!(heap.live_bytes() < 10_000_000, "{}", heap.live_bytes());
    }

    #[test]
    fn limit_turns_into_out_of_memory() {
        let mut heap = Heap::new(&[], Some(10_000));
        let mut kept = Vec::new();
        let fault = loop {
            match heap.alloc_str(&vec![0; 1000]) {
                Ok(h) => kept.push(h),
                Err(fault) => break fault,
            }
        };
        assert_eq!(fault.code, Code::OutOfMemory);
        assert_eq!(fault.message, "heap limit exceeded");
        heap.collect(kept.iter().map(|&h| u64::from(h)).skip(2));
        assert!(heap.alloc_str(&vec![0; 1000]).is_ok());
    }

    #[test]
    fn arrays_push_pop_slice_in_place() {
        let mut heap = heap();
        let a = heap.alloc_array(&[1, 2, 3], false).unwrap();
        assert_eq!(heap.array(a), &[1, 2, 3]);
        heap.array_push(a, 4).unwrap();
        heap.array_mut(a)[0] = 9;
        assert_eq!(heap.array_pop(a), Some(4));
        assert_eq!(heap.array(a), &[9, 2, 3]);
        let s = heap.slice_array(a, 1..3).unwrap();
        assert_eq!(heap.array(s), &[2, 3]);
        heap.array_mut(s)[0] = 0;
        assert_eq!(heap.array(a), &[9, 2, 3], "a slice is a copy");
        let empty = heap.slice_array(a, 3..3).unwrap();
        assert_eq!(heap.array_pop(empty), None);
    }

    #[test]
    fn array_growth_is_geometric_and_charged() {
        let mut heap = Heap::new(&[], None);
        let a = heap.alloc_array(&[], false).unwrap();
        let before = heap.live_bytes();
        let mut growths = 0;
        let mut last = before;
        for v in 0..1_000_000 {
            heap.array_push(a, v).unwrap();
            if heap.live_bytes() != last {
                growths += 1;
                last = heap.live_bytes();
            }
        }
        assert!(growths < 25, "{growths} growths");
        assert!(heap.live_bytes() - before >= 8_000_000);
        assert!(
            heap.wants_collection(),
            "growth counts toward the next collection"
        );
        heap.collect([u64::from(a)]);
        assert_eq!(heap.array(a).len(), 1_000_000);
    }

    #[test]
    fn only_reference_arrays_trace_their_elements() {
        let mut heap = heap();
        let x = heap.alloc_str(b"x").unwrap();
        let y = heap.alloc_str(b"y").unwrap();
        let refs = heap.alloc_array(&[u64::from(x)], true).unwrap();
        // Integers that happen to equal a handle keep nothing alive.
        let ints = heap.alloc_array(&[u64::from(y), u64::MAX], false).unwrap();
        let outer = heap
            .alloc_array(&[u64::from(refs), u64::from(ints)], true)
            .unwrap();
        heap.collect([u64::from(outer)]);
        assert_eq!(heap.object_count(), 2 + 4, "y was freed");
        assert_eq!(heap.get_str(x), b"x");
        heap.collect([]);
        assert_eq!(heap.object_count(), 2);
    }

    #[test]
    fn byte_strings_are_made_once_and_kept() {
        let mut heap = heap();
        let a = heap.byte_str(b'a').unwrap();
        assert_eq!(heap.byte_str(b'a').unwrap(), a);
        assert_eq!(heap.get_str(a), b"a");
        heap.collect([]);
        assert_eq!(heap.get_str(a), b"a");
        assert_eq!(heap.byte_str(b'a').unwrap(), a);
        assert_eq!(heap.object_count(), 3);
    }

    #[test]
    fn threshold_grows_with_live_size() {
        let mut heap = Heap::new(&[], None);
        assert!(!heap.wants_collection());
        let big = heap.alloc_str(&vec![0; 3 << 20]).unwrap();
        assert!(heap.wants_collection());
        heap.collect([u64::from(big)]);
        assert!(!heap.wants_collection());
        heap.alloc_str(&vec![0; 4 << 20]).unwrap();
        assert!(!heap.wants_collection(), "threshold is 2x live (6 MB)");
        heap.alloc_str(&vec![0; 3 << 20]).unwrap();
        assert!(heap.wants_collection());
    }
}
