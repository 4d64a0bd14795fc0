//! The garbage-collected object store.
//!
//! Heap values live in [`Heap`] and registers hold them as `u32` handles (slot indices).
//! The values are immutable byte strings, mutable arrays, struct instances, enum values,
//! cells (captured variables), closures and Error values; `Object` is an enum and each kind
//! lists its child handles in `trace_children`. The object kinds beyond strings and arrays
//! are made and read in `heap/objects.rs`. A slot without an object holds `Object::Free`
//! (not an `Option`), so reading an object checks one tag; a string of at most 23 bytes is
//! stored inside its object (`Object::Small`), without an allocation of its own.
//!
//! Which slots of an object are handles: an array says so with its `elem_ref` flag; a
//! struct or enum value names its layout, whose field and payload types the heap learns
//! once from the program ([`Heap::set_layouts`]) as masks. A cell's slot and a closure's
//! captures have no static type the heap could know (a cell may hold an `i32` or an
//! array), so they are traced *conservatively*: a slot that is the handle of a live object
//! keeps it alive. That can only retain an object that happens to share the number of an
//! integer held in a cell, until the cell dies; it never frees a live object. Cycles
//! (closures capturing each other's cells, structs reaching each other through arrays) are
//! no problem for mark-sweep.
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
//! Likewise an enum variant without payload and a closure without captures (a named
//! function used as a value) are made once and shared: they are immutable, so sharing is
//! invisible except that two references to one function compare equal.
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
//! building a string piece by piece costs amortised O(piece) per step. A chain
//! `a + b + c` is one [`Heap::concat_many`]: one result, no intermediate strings
//! (`heap/concat.rs`).
//!
//! This module knows nothing of frames or instructions. Tests are in `heap/tests.rs`.

use super::Fault;
use crate::diag::Code;
use std::ops::Range;

mod collect;
use collect::next_threshold;
#[cfg(test)]
use collect::MIN_THRESHOLD;
mod concat;
pub use concat::Piece;
mod objects;

/// A heap object's address, as stored (zero-extended) in a register.
pub type Handle = u32;

/// Book-keeping bytes charged per object on top of its payload: its 32-byte entry in the
/// object table, its mark, and the table's spare capacity (a doubling vector is a third
/// empty on average). Charging less let a heap of small objects use twice the heap limit
/// in real memory and abort on an allocation instead of stopping with E0014.
const OBJECT_OVERHEAD: usize = 48;
/// Bytes charged per unit of an array's capacity.
const SLOT_BYTES: usize = std::mem::size_of::<u64>();
/// Most elements an array may hold, so that `len` fits the `i32` it returns.
const MAX_ARRAY_LEN: usize = i32::MAX as usize;
/// Most bytes a string may hold, so that `len` fits the `i32` it returns.
const MAX_STR_LEN: usize = i32::MAX as usize;

/// Most bytes of a string stored inside its object (no separate allocation).
const SMALL_LEN: usize = 23;

/// Most slots (fields, payload) a struct or enum object holds in itself; more are kept in
/// a separate block. Three fit beside the kind and the layout in the 32 bytes every object
/// takes anyway (checked below), and most structs and variants have no more: making one
/// is then a table slot and no `malloc`, and reading one a single indirection. (Closures
/// keep their captures in a block: with a second kind of closure, every captured-variable
/// read paid for telling the two apart, more than a closure's `malloc` saves.)
const FEW: usize = 3;

const _: () = assert!(std::mem::size_of::<Object>() == 32);

/// Where the three 8-byte words of a small string's bytes start (the last overlaps the
/// second by one byte): comparing the words in order compares the bytes in order.
const SMALL_WORDS: [usize; 3] = [0, 8, SMALL_LEN - 8];

/// The big-endian word of `bytes` at `at` (numeric order is byte order).
#[inline(always)]
fn small_word(bytes: &[u8; SMALL_LEN], at: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_be_bytes(w)
}

/// Two small strings' bytes in order, word by word: no `memcmp` call.
#[inline(always)]
fn small_cmp(x: &[u8; SMALL_LEN], y: &[u8; SMALL_LEN]) -> std::cmp::Ordering {
    for at in SMALL_WORDS {
        let order = small_word(x, at).cmp(&small_word(y, at));
        if order.is_ne() {
            return order;
        }
    }
    std::cmp::Ordering::Equal
}

/// One heap slot: an object, or [`Object::Free`].
#[derive(Debug)]
enum Object {
    /// No object: the slot is free (on the free list) or was never used.
    Free,
    /// An immutable string owning its bytes.
    Str(Box<[u8]>),
    /// An immutable string of at most [`SMALL_LEN`] bytes, held in the object itself.
    Small { len: u8, bytes: [u8; SMALL_LEN] },
    /// The string formed by the first `len` bytes of the [`Object::Buffer`] at `buf`;
    /// always longer than [`SMALL_LEN`].
    Slice { buf: Handle, len: u32 },
    /// Append-only storage shared by slices; never itself a language value.
    Buffer(Vec<u8>),
    /// A mutable array of register slots; when `elem_ref` they are handles to trace.
    Array { elems: Vec<u64>, elem_ref: bool },
    /// An instance of the struct layout `layout`; its fields in declaration order.
    Struct { layout: u32, fields: Box<[u64]> },
    /// A struct instance of at most [`FEW`] fields, held in the object itself: the
    /// first `len` of `fields`.
    FewStruct {
        layout: u32,
        len: u8,
        fields: [u64; FEW],
    },
    /// A value of the enum layout `layout`: the variant and its payload.
    Enum {
        layout: u32,
        variant: u16,
        payload: Box<[u64]>,
    },
    /// An enum value with at most [`FEW`] payload slots, held in the object itself.
    FewEnum {
        layout: u32,
        variant: u16,
        len: u8,
        payload: [u64; FEW],
    },
    /// A captured variable; its slot is traced conservatively.
    Cell(u64),
    /// A function value: the function index and the captured slots (traced conservatively).
    Closure { func: u32, captures: Box<[u64]> },
    /// The value bound by `catch`: the error code and message of the caught error, and
    /// where it was first raised (function index, pc) for a report if it is thrown again.
    Error {
        code: Code,
        origin: (u32, u32),
        message: Box<str>,
    },
}

impl Object {
    /// The layout and fields of a struct instance.
    #[inline]
    fn struct_fields(&self) -> Option<(u32, &[u64])> {
        match self {
            Object::Struct { layout, fields } => Some((*layout, fields)),
            Object::FewStruct {
                layout,
                len,
                fields,
            } => Some((*layout, &fields[..usize::from(*len)])),
            _ => None,
        }
    }

    /// The layout, variant and payload of an enum value.
    #[inline]
    fn enum_value(&self) -> Option<(u32, u16, &[u64])> {
        match self {
            Object::Enum {
                layout,
                variant,
                payload,
            } => Some((*layout, *variant, payload)),
            Object::FewEnum {
                layout,
                variant,
                len,
                payload,
            } => Some((*layout, *variant, &payload[..usize::from(*len)])),
            _ => None,
        }
    }

    /// At most [`FEW`] slots copied into an array, and how many there are.
    #[inline]
    fn few(values: &[u64]) -> Option<(u8, [u64; FEW])> {
        let mut few = [0; FEW];
        few.get_mut(..values.len())?.copy_from_slice(values);
        Some((values.len() as u8, few))
    }

    /// An immutable string holding a copy of `bytes`: small ones inline.
    #[inline]
    fn string(bytes: &[u8]) -> Object {
        Object::string_of(&[bytes])
    }

    /// An immutable string holding the concatenation of `parts`: small ones inline.
    #[inline]
    fn string_of(parts: &[&[u8]]) -> Object {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        Object::string_from(total, parts.iter().copied())
    }

    /// An immutable string holding the concatenation of `parts`, which are `total` bytes
    /// long together: inline when that is small enough.
    #[inline]
    pub(super) fn string_from<'b>(total: usize, parts: impl Iterator<Item = &'b [u8]>) -> Object {
        if total <= SMALL_LEN {
            let mut bytes = [0; SMALL_LEN];
            let mut at = 0;
            for part in parts {
                bytes[at..at + part.len()].copy_from_slice(part);
                at += part.len();
            }
            Object::Small {
                len: total as u8,
                bytes,
            }
        } else {
            let mut bytes = Vec::with_capacity(total);
            for part in parts {
                bytes.extend_from_slice(part);
            }
            Object::Str(bytes.into_boxed_slice())
        }
    }

    /// Bytes charged against the collection threshold and the heap limit.
    fn size(&self) -> usize {
        OBJECT_OVERHEAD
            + match self {
                Object::Free => 0,
                Object::Str(bytes) => malloc_block(bytes.len()),
                Object::Small { len, .. } => usize::from(*len),
                Object::Slice { .. } => 0,
                Object::Buffer(bytes) => malloc_block(bytes.capacity()),
                Object::Array { elems, .. } => malloc_block(elems.capacity() * SLOT_BYTES),
                Object::Struct { fields: slots, .. }
                | Object::Enum { payload: slots, .. }
                | Object::Closure {
                    captures: slots, ..
                } => malloc_block(slots.len() * SLOT_BYTES),
                Object::FewStruct { .. } | Object::FewEnum { .. } => 0,
                Object::Cell(_) => SLOT_BYTES,
                Object::Error { message, .. } => malloc_block(message.len()),
            }
    }
}

/// The memory `malloc` takes for a block of `bytes` (none for an empty one): a header
/// word, 16-byte steps and 32 bytes at least, as glibc's allocator does. A one-slot
/// payload costs 32 bytes, not 8.
fn malloc_block(bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else {
        (bytes + 8).max(32).next_multiple_of(16)
    }
}

/// The object store, see the module documentation.
#[derive(Debug)]
pub struct Heap {
    slots: Vec<Object>,
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
    /// Per struct layout, which fields hold handles.
    struct_refs: Vec<Box<[bool]>>,
    /// Per enum layout and variant, which payload slots hold handles.
    enum_refs: Vec<Vec<Box<[bool]>>>,
    /// Per enum layout and variant, the shared value of a payload-less variant, once made;
    /// roots of every collection (enum values are immutable and compare structurally).
    unit_enums: Vec<Vec<Option<Handle>>>,
    /// Per enum layout: whether its values may hold an `f64` (see `enum_may_hold_float`).
    enum_floats: Vec<bool>,
    /// Slot storage of collected structs, enums and closures, by length, for reuse.
    slot_pool: Vec<Vec<Box<[u64]>>>,
    /// Slots held in `slot_pool`.
    pooled_slots: usize,
    /// Per function index, the shared closure without captures, once made; roots of
    /// every collection (such a closure is immutable, and sharing it makes two
    /// references to one named function the same value).
    plain_closures: Vec<Option<Handle>>,
}

impl Heap {
    /// A heap whose first objects are the interned `strings`, so that handle `i` is
    /// `strings[i]`; `limit` caps the total bytes held (E0014 beyond it).
    pub fn new(strings: &[Vec<u8>], limit: Option<usize>) -> Heap {
        let slots: Vec<Object> = strings.iter().map(|s| Object::string(s)).collect();
        let live_bytes = slots.iter().map(Object::size).sum();
        let threshold = next_threshold(live_bytes, slots.len());
        Heap {
            marks: vec![false; slots.len()],
            permanent: slots.len(),
            slots,
            free: Vec::new(),
            live_bytes,
            allocated: 0,
            threshold,
            limit,
            collections: 0,
            gray: Vec::new(),
            byte_strs: Box::new([None; 256]),
            struct_refs: Vec::new(),
            enum_refs: Vec::new(),
            unit_enums: Vec::new(),
            enum_floats: Vec::new(),
            slot_pool: Vec::new(),
            pooled_slots: 0,
            plain_closures: Vec::new(),
        }
    }

    /// The bytes of the string at `handle`.
    ///
    /// # Panics
    /// When `handle` is not a live string: the compiler guarantees it is, so this is a bug.
    #[inline(always)]
    pub fn get_str(&self, handle: Handle) -> &[u8] {
        match self.slots.get(handle as usize) {
            Some(Object::Small { len, bytes }) => &bytes[..usize::from(*len)],
            Some(Object::Str(bytes)) => bytes,
            _ => self.get_long_str(handle),
        }
    }

    /// The length in bytes of the string at `handle`: a slice knows its own, so its
    /// buffer is not looked up.
    #[inline(always)]
    pub fn str_len(&self, handle: Handle) -> usize {
        match self.slots.get(handle as usize) {
            Some(Object::Small { len, .. }) => usize::from(*len),
            Some(Object::Str(bytes)) => bytes.len(),
            Some(Object::Slice { len, .. }) => *len as usize,
            _ => self.get_long_str(handle).len(),
        }
    }

    /// Whether strings `a` and `b` have the same bytes. Two small strings compare as two
    /// fixed-size records (their bytes past `len` are always zero): no slicing, no
    /// `memcmp` call.
    #[inline(always)]
    pub fn str_eq(&self, a: Handle, b: Handle) -> bool {
        if a == b {
            return true;
        }
        match (self.slots.get(a as usize), self.slots.get(b as usize)) {
            (
                Some(Object::Small { len: la, bytes: x }),
                Some(Object::Small { len: lb, bytes: y }),
            ) => la == lb && small_cmp(x, y).is_eq(),
            _ => self.get_str(a) == self.get_str(b),
        }
    }

    /// How string `a` orders against string `b` (bytewise, §6.4). Small strings compare
    /// as fixed-size records first: with zero padding, the first differing position
    /// orders them, and equal records leave only the lengths to compare.
    #[inline]
    pub fn str_cmp(&self, a: Handle, b: Handle) -> std::cmp::Ordering {
        match (self.slots.get(a as usize), self.slots.get(b as usize)) {
            (
                Some(Object::Small { len: la, bytes: x }),
                Some(Object::Small { len: lb, bytes: y }),
            ) => small_cmp(x, y).then(la.cmp(lb)),
            _ => self.get_str(a).cmp(self.get_str(b)),
        }
    }

    /// [`Heap::get_str`] of a slice (or a buffer), or a panic.
    #[inline(never)]
    fn get_long_str(&self, handle: Handle) -> &[u8] {
        match self.object(handle) {
            Some(Object::Small { len, bytes }) => &bytes[..usize::from(*len)],
            Some(Object::Str(bytes)) => bytes,
            Some(Object::Slice { buf, len }) => match self.object(*buf) {
                Some(Object::Buffer(bytes)) => &bytes[..*len as usize],
                _ => panic!("string slice {handle} has no buffer"),
            },
            Some(Object::Buffer(bytes)) => bytes,
            Some(_) => panic!("handle {handle} is not a string"),
            None => panic!("dangling string handle {handle}"),
        }
    }

    /// The elements of the array at `handle`.
    ///
    /// # Panics
    /// When `handle` is not a live array: the compiler guarantees it is, so this is a bug.
    #[inline]
    pub fn array(&self, handle: Handle) -> &[u64] {
        match self.slots.get(handle as usize) {
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
            Some(Object::Array { elems, .. }) => elems,
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
    #[inline]
    pub fn array_push(&mut self, handle: Handle, value: u64) -> Result<(), Fault> {
        match self.slots.get_mut(handle as usize) {
            Some(Object::Array { elems, .. }) if elems.len() < elems.capacity() => {
                elems.push(value);
                Ok(())
            }
            _ => self.grow_and_push(handle, value),
        }
    }

    /// Appends `value` to the array at `handle` if that needs no growth (and so no
    /// allocation, which the owner may have to collect for first); `false` otherwise,
    /// and then nothing changed.
    #[inline(always)]
    pub fn push_within_capacity(&mut self, handle: Handle, value: u64) -> bool {
        match self.slots.get_mut(handle as usize) {
            Some(Object::Array { elems, .. }) if elems.len() < elems.capacity() => {
                elems.push(value);
                true
            }
            _ => false,
        }
    }

    /// Removes and returns the last element of the array at `handle`, `None` if it is
    /// empty. The capacity is kept for later pushes.
    pub fn array_pop(&mut self, handle: Handle) -> Option<u64> {
        match self.slots.get_mut(handle as usize) {
            Some(Object::Array { elems, .. }) => elems.pop(),
            _ => not_an_array(handle),
        }
    }

    /// The string holding the single byte `byte`, if it has been made.
    #[inline]
    pub fn byte_str_made(&self, byte: u8) -> Option<Handle> {
        self.byte_strs[usize::from(byte)]
    }

    /// The string holding the single byte `byte`, made on first use and never freed.
    pub fn byte_str(&mut self, byte: u8) -> Result<Handle, Fault> {
        if let Some(handle) = self.byte_str_made(byte) {
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
        self.insert(Object::string(bytes))
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

    #[inline(always)]
    fn object(&self, handle: Handle) -> Option<&Object> {
        match self.slots.get(handle as usize) {
            None | Some(Object::Free) => None,
            object => object,
        }
    }

    fn insert(&mut self, object: Object) -> Result<Handle, Fault> {
        self.charge(object.size())?;
        match self.free.pop() {
            Some(handle) => {
                self.slots[handle as usize] = object;
                Ok(handle)
            }
            None => self.push_slot(object),
        }
    }

    /// Puts `object`, already charged, into a free slot or a new one (for the paths of
    /// `concat`: the same as the end of `insert`, without drop glue for the free slot).
    #[inline]
    fn place(&mut self, object: Object) -> Result<Handle, Fault> {
        match self.free.pop() {
            Some(handle) => {
                let slot = &mut self.slots[handle as usize];
                debug_assert!(
                    matches!(slot, Object::Free),
                    "free list slot {handle} in use"
                );
                // The collector frees a slot by storing `Free`, which owns nothing: no
                // drop glue needs to run for what is overwritten.
                std::mem::forget(std::mem::replace(slot, object));
                Ok(handle)
            }
            None => self.push_slot(object),
        }
    }

    /// [`Heap::place`] when no slot is free: the table grows by one.
    #[inline(never)]
    fn push_slot(&mut self, object: Object) -> Result<Handle, Fault> {
        // `Handle::MAX` is never handed out, so it can mean "no object".
        let handle = Handle::try_from(self.slots.len())
            .ok()
            .filter(|&h| h != Handle::MAX)
            .ok_or_else(|| out_of_memory("too many heap objects"))?;
        if self.slots.len() == self.slots.capacity() {
            self.grow_table()?;
        }
        self.slots.push(object);
        self.marks.push(false);
        Ok(handle)
    }

    /// Doubles the object table (and its marks) ahead of a push. The old and the new
    /// table exist together for a moment, the largest single allocation a big heap
    /// makes: when the system refuses it, the program stops with E0014, not an abort.
    #[cold]
    #[inline(never)]
    fn grow_table(&mut self) -> Result<(), Fault> {
        let more = self.slots.len().max(1024);
        self.slots
            .try_reserve_exact(more)
            .and_then(|()| self.marks.try_reserve_exact(more))
            .map_err(|_| out_of_memory("the system refused more memory for objects"))
    }

    /// The slow path of [`Heap::array_push`]: the array is full, so its capacity doubles
    /// (to at least 4), charged before the vector grows.
    #[cold]
    #[inline(never)]
    fn grow_and_push(&mut self, handle: Handle, value: u64) -> Result<(), Fault> {
        let capacity = match self.object(handle) {
            Some(Object::Array { elems, .. }) => elems.capacity(),
            _ => not_an_array(handle),
        };
        if capacity >= MAX_ARRAY_LEN {
            return Err(out_of_memory("array too large"));
        }
        let new_capacity = (capacity * 2).clamp(4, MAX_ARRAY_LEN);
        self.charge((new_capacity - capacity) * SLOT_BYTES)?;
        let Some(Object::Array { elems, .. }) = self.slots.get_mut(handle as usize) else {
            unreachable!("checked above");
        };
        if elems.try_reserve_exact(new_capacity - elems.len()).is_err() {
            return Err(out_of_memory("the system refused more memory for an array"));
        }
        elems.push(value);
        Ok(())
    }

    /// The most bytes a new string could hold: the size limit of strings, or less under a
    /// heap limit. Text being built for a string stops growing past it (`as string` of a
    /// value that prints to gigabytes).
    pub fn string_room(&self) -> usize {
        let room = self
            .limit
            .map_or(usize::MAX, |l| l.saturating_sub(self.live_bytes));
        room.min(MAX_STR_LEN)
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
}

/// Marks the object whose handle is `bits`, if it is one that is live and not yet
/// marked, and queues it for tracing. Takes the heap's fields apart so that an array's
/// elements can be marked while the array is borrowed.
#[cold]
#[inline(never)]
fn not_an_array(handle: Handle) -> ! {
    panic!("handle {handle} is not a live array")
}

#[cold]
pub fn out_of_memory(message: &str) -> Fault {
    Fault::new(Code::OutOfMemory, message)
}

#[cfg(test)]
mod tests;
