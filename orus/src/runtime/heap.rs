//! The garbage-collected object store.
//!
//! Heap values live in [`Heap`] and registers hold them as `u32` handles (slot indices).
//! Today the only values are immutable byte strings; `Object` is an enum so arrays,
//! structs and closures can join it, each listing its child handles in `trace_children`.
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

/// A heap object's address, as stored (zero-extended) in a register.
pub type Handle = u32;

/// Collect once this many bytes were allocated, or twice the live size if larger.
const MIN_THRESHOLD: usize = 1 << 20;
/// Results of concatenation shorter than this are plain strings, not buffer slices.
const SLICE_MIN_LEN: usize = 64;
/// Book-keeping bytes charged per object on top of its payload.
const OBJECT_OVERHEAD: usize = 32;

/// One heap object.
#[derive(Debug)]
enum Object {
    /// An immutable string owning its bytes.
    Str(Box<[u8]>),
    /// The string formed by the first `len` bytes of the [`Object::Buffer`] at `buf`.
    Slice { buf: Handle, len: u32 },
    /// Append-only storage shared by slices; never itself a language value.
    Buffer(Vec<u8>),
}

impl Object {
    /// Bytes charged against the collection threshold and the heap limit.
    fn size(&self) -> usize {
        OBJECT_OVERHEAD
            + match self {
                Object::Str(bytes) => bytes.len(),
                Object::Slice { .. } => 0,
                Object::Buffer(bytes) => bytes.capacity(),
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
            None => panic!("dangling string handle {handle}"),
        }
    }

    /// Stores a new string, a copy of `bytes`.
    pub fn alloc_str(&mut self, bytes: &[u8]) -> Result<Handle, Fault> {
        self.insert(Object::Str(bytes.into()))
    }

    /// Stores the concatenation of the strings `a` and `b`. On failure (E0014) the heap
    /// holds at most some extra garbage, so the call can be retried after a collection.
    pub fn concat(&mut self, a: Handle, b: Handle) -> Result<Handle, Fault> {
        let (a_len, b_len) = (self.get_str(a).len(), self.get_str(b).len());
        let total = a_len + b_len;
        if total > u32::MAX as usize {
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
        for root in roots {
            self.mark(root);
            while let Some(handle) = self.gray.pop() {
                self.trace_children(handle);
            }
        }
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
        let Ok(handle) = Handle::try_from(bits) else {
            return;
        };
        let index = handle as usize;
        if index < self.slots.len() && self.slots[index].is_some() && !self.marks[index] {
            self.marks[index] = true;
            self.gray.push(handle);
        }
    }

    fn trace_children(&mut self, handle: Handle) {
        match self.object(handle) {
            Some(Object::Slice { buf, .. }) => {
                let buf = *buf;
                self.mark(u64::from(buf));
            }
            Some(Object::Str(_) | Object::Buffer(_)) | None => {}
        }
    }
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
