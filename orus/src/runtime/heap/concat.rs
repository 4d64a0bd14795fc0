//! String concatenation. A result shorter than [`SLICE_MIN_LEN`] is a plain string
//! (inline when small); a longer one, or one that extends a string too long to be inline,
//! is a `Slice` viewing a prefix of an append-only `Buffer`. When the first part is the
//! slice that ends its buffer, the other parts are appended to that buffer in place (older
//! slices keep seeing their shorter prefix), so building a string by `s = s + ...` costs
//! amortised O(part) per step. The common case of that, a buffer with room for a few short
//! parts, has a path of its own ([`Heap::room_to_append`]) that reads each part once and
//! touches nothing else; growing a buffer, a part that is itself a slice, and new
//! buffers go the general way.

use super::{out_of_memory, Handle, Heap, Object, MAX_STR_LEN, OBJECT_OVERHEAD, SMALL_LEN};
use crate::runtime::Fault;

/// Results of concatenation shorter than this are plain strings, not buffer slices, unless
/// the first part is longer than an inline string: a string that keeps being extended
/// (`s = s + ...`) then moves into a buffer early, and its later appends are in place.
const SLICE_MIN_LEN: usize = 64;

/// Longest new buffer that starts with room to grow (see `concat_general`).
const SLACK_MAX_LEN: usize = 4096;

/// Most parts [`Heap::concat_many`] joins without allocating a list of them.
const FEW_PARTS: usize = 8;

/// One part of a string concatenation ([`Heap::concat_pieces`]).
#[derive(Clone, Copy, Debug)]
pub enum Piece<'a> {
    /// The string at this handle.
    Str(Handle),
    /// Bytes formatted outside the heap.
    Bytes(&'a [u8]),
}

impl Heap {
    /// Stores the concatenation of the strings `a` and `b`. On failure (E0014) the heap
    /// holds at most some extra garbage, so the call can be retried after a collection.
    pub fn concat(&mut self, a: Handle, b: Handle) -> Result<Handle, Fault> {
        self.concat_many(&[u64::from(a), u64::from(b)])
    }

    /// Stores the concatenation of the strings whose handles are the slots `parts`, in
    /// order. Like [`Heap::concat`]: when the first part is a slice that ends its buffer,
    /// the others are appended to that buffer in place.
    #[inline(never)]
    pub fn concat_many(&mut self, parts: &[u64]) -> Result<Handle, Fault> {
        let mut few = [Piece::Str(0); FEW_PARTS];
        if let Some(pieces) = few.get_mut(..parts.len()) {
            for (piece, &part) in pieces.iter_mut().zip(parts) {
                *piece = Piece::Str(part as Handle);
            }
            return self.concat_pieces(pieces);
        }
        let many: Vec<Piece> = parts.iter().map(|&p| Piece::Str(p as Handle)).collect();
        self.concat_pieces(&many)
    }

    /// Stores the string `first` followed by `tail` (bytes the caller formatted, such as
    /// the other parts of a `ConcatFmt`). The common cases have paths of their own: a
    /// `first` that is the slice ending a buffer with room for `tail` (building a string
    /// by `s = s + ...`), and a result short enough to be inline.
    #[inline(never)]
    pub fn concat_bytes(&mut self, first: Handle, tail: &[u8]) -> Result<Handle, Fault> {
        match self.slots.get(first as usize) {
            Some(&Object::Slice { buf, len }) => {
                let len = len as usize;
                let total = len + tail.len();
                if let Some(Object::Buffer(bytes)) = self.slots.get(buf as usize) {
                    if bytes.len() == len
                        && bytes.capacity() - len >= tail.len()
                        && total <= MAX_STR_LEN
                    {
                        // Charged before the buffer changes, so that a refusal leaves it
                        // as it was.
                        self.charge(OBJECT_OVERHEAD)?;
                        if let Some(Object::Buffer(bytes)) = self.slots.get_mut(buf as usize) {
                            bytes.extend_from_slice(tail);
                        }
                        return self.place(Object::Slice {
                            buf,
                            len: total as u32,
                        });
                    }
                }
            }
            Some(&Object::Small { len, bytes }) if usize::from(len) + tail.len() <= SMALL_LEN => {
                let (len, mut bytes) = (usize::from(len), bytes);
                let total = len + tail.len();
                bytes[len..total].copy_from_slice(tail);
                self.charge(OBJECT_OVERHEAD + total)?;
                return self.place(Object::Small {
                    len: total as u8,
                    bytes,
                });
            }
            _ => {}
        }
        self.concat_general(&[Piece::Str(first), Piece::Bytes(tail)])
    }

    /// The string `first` followed by `tail`, where the caller (`ConcatFmt` of an `append`
    /// format) knows that nothing else holds `first`: the string changes in place and
    /// keeps its handle, so nobody sees it change. A slice ending its buffer is extended
    /// (the buffer grows geometrically when full), an inline string that stays inline is
    /// extended in its slot, and a plain string that outgrows its form moves into a new
    /// buffer with room for as much again (it is being built), its slot becoming the
    /// slice. Interned constants (one handle serves every load of one) and anything else
    /// go the way of [`Heap::concat_bytes`]. On failure (E0014) nothing has changed.
    pub fn append_owned(&mut self, first: Handle, tail: &[u8]) -> Result<Handle, Fault> {
        let index = first as usize;
        if index >= self.permanent {
            match self.slots.get(index) {
                Some(&Object::Slice { buf, len }) => {
                    let total = len as usize + tail.len();
                    if let Some(Object::Buffer(bytes)) = self.slots.get_mut(buf as usize) {
                        if bytes.len() == len as usize && total <= MAX_STR_LEN {
                            // Its capacity was charged when it was made or grown.
                            if bytes.capacity() - bytes.len() >= tail.len() {
                                bytes.extend_from_slice(tail);
                            } else {
                                self.append_to_buffer(buf, &[Piece::Bytes(tail)], tail.len())?;
                            }
                            if let Some(Object::Slice { len, .. }) = self.slots.get_mut(index) {
                                *len = total as u32;
                            }
                            return Ok(first);
                        }
                    }
                }
                Some(&Object::Small { len, mut bytes }) => {
                    let len = usize::from(len);
                    let total = len + tail.len();
                    if total > SMALL_LEN {
                        return self.move_to_buffer(index, tail);
                    }
                    self.charge(tail.len())?;
                    bytes[len..total].copy_from_slice(tail);
                    self.slots[index] = Object::Small {
                        len: total as u8,
                        bytes,
                    };
                    return Ok(first);
                }
                Some(Object::Str(_)) => return self.move_to_buffer(index, tail),
                _ => {}
            }
        }
        self.concat_bytes(first, tail)
    }

    /// [`Heap::append_owned`] of a plain string in slot `index`: a new buffer holds it and
    /// `tail` with room for as much again, and the slot becomes the slice of it (freeing
    /// the plain string's bytes now rather than at the next collection).
    fn move_to_buffer(&mut self, index: usize, tail: &[u8]) -> Result<Handle, Fault> {
        let old = self.get_str(index as Handle);
        let total = old.len() + tail.len();
        if total > MAX_STR_LEN {
            return Err(out_of_memory("string too large"));
        }
        let capacity = if total <= SLACK_MAX_LEN {
            2 * total
        } else {
            total
        };
        let mut bytes = Vec::with_capacity(capacity);
        bytes.extend_from_slice(old);
        bytes.extend_from_slice(tail);
        let buf = self.insert(Object::Buffer(bytes))?;
        self.slots[index] = Object::Slice {
            buf,
            len: total as u32,
        };
        Ok(index as Handle)
    }

    /// Stores the concatenation of `pieces`: strings on the heap and bytes formatted by
    /// the caller (the digits of an integer), so that `s + (n as string)` makes no
    /// temporary string. See the module documentation for the forms results take.
    ///
    /// Never inlined: allocation paths stay out of the VM's dispatch loop, whose speed
    /// depends on how little code its hot arms share a function with.
    #[inline(never)]
    pub fn concat_pieces(&mut self, pieces: &[Piece<'_>]) -> Result<Handle, Fault> {
        if let [Piece::Str(first), rest @ ..] = pieces {
            if let Some(&Object::Slice { buf, len }) = self.slots.get(*first as usize) {
                if let Some(added) = self.room_to_append(buf, len, rest) {
                    return self.append_in_place(buf, len as usize + added, rest);
                }
            }
        }
        self.concat_general(pieces)
    }

    /// The bytes `rest` adds when the slice of `buf` of length `len` is extended by it in
    /// place without growing the buffer: when that slice ends the buffer, the buffer has
    /// room, and no part is a slice or a buffer (which could be `buf` itself). `None`
    /// sends the concatenation the general way.
    #[inline(always)]
    fn room_to_append(&self, buf: Handle, len: u32, rest: &[Piece<'_>]) -> Option<usize> {
        let mut added = 0;
        for piece in rest {
            added += match *piece {
                Piece::Bytes(bytes) => bytes.len(),
                Piece::Str(part) => match self.slots.get(part as usize)? {
                    Object::Small { len, .. } => usize::from(*len),
                    Object::Str(bytes) => bytes.len(),
                    _ => return None,
                },
            };
        }
        match self.slots.get(buf as usize)? {
            Object::Buffer(bytes)
                if bytes.len() == len as usize
                    && bytes.capacity() - bytes.len() >= added
                    && bytes.len() + added <= MAX_STR_LEN =>
            {
                Some(added)
            }
            _ => None,
        }
    }

    /// Appends `rest` to the buffer `buf`, which [`Heap::room_to_append`] found has room
    /// for it, and stores the slice of its first `total` bytes.
    fn append_in_place(
        &mut self,
        buf: Handle,
        total: usize,
        rest: &[Piece<'_>],
    ) -> Result<Handle, Fault> {
        // Charged before the buffer changes, so that a refusal leaves it as it was.
        self.charge(OBJECT_OVERHEAD)?;
        let Some(Object::Buffer(slot)) = self.slots.get_mut(buf as usize) else {
            unreachable!("checked by room_to_append");
        };
        let mut bytes = std::mem::take(slot);
        for &piece in rest {
            // No part is `buf` (checked), so the buffer being out of its slot is unseen.
            bytes.extend_from_slice(self.piece(piece));
        }
        if let Some(Object::Buffer(slot)) = self.slots.get_mut(buf as usize) {
            *slot = bytes;
        }
        self.place(Object::Slice {
            buf,
            len: total as u32,
        })
    }

    /// [`Heap::concat_pieces`] of anything: a new plain string or buffer, or an append
    /// that grows the buffer first.
    #[inline(never)]
    fn concat_general(&mut self, pieces: &[Piece<'_>]) -> Result<Handle, Fault> {
        let total: usize = pieces.iter().map(|&p| self.piece(p).len()).sum();
        if total > MAX_STR_LEN {
            return Err(out_of_memory("string too large"));
        }
        let first_len = pieces.first().map_or(0, |&p| self.piece(p).len());
        if total < SLICE_MIN_LEN && first_len <= SMALL_LEN {
            // Short: a plain string, inline when it is small enough.
            let object = Object::string_from(total, pieces.iter().map(|&p| self.piece(p)));
            return self.insert(object);
        }
        if let [Piece::Str(first), rest @ ..] = pieces {
            if let Some(&Object::Slice { buf, len }) = self.object(*first) {
                let len = len as usize;
                if matches!(self.object(buf), Some(Object::Buffer(v)) if v.len() == len) {
                    self.append_to_buffer(buf, rest, total - len)?;
                    return self.insert(Object::Slice {
                        buf,
                        len: total as u32,
                    });
                }
            }
        }
        // A string too long to be inline being extended is likely to be extended again:
        // a short one's buffer starts with room for as much again, as if it had grown
        // once (saving a `realloc` per string built). Others get exact capacity, so a
        // one-off concatenation wastes nothing; a buffer that is appended to grows
        // geometrically from then on.
        let capacity = if first_len > SMALL_LEN && total <= SLACK_MAX_LEN {
            2 * total
        } else {
            total
        };
        let mut bytes = Vec::with_capacity(capacity);
        for &p in pieces {
            bytes.extend_from_slice(self.piece(p));
        }
        let buf = self.insert(Object::Buffer(bytes))?;
        self.insert(Object::Slice {
            buf,
            len: total as u32,
        })
    }

    /// The bytes of one piece of a concatenation.
    #[inline]
    fn piece<'p>(&'p self, piece: Piece<'p>) -> &'p [u8] {
        match piece {
            Piece::Str(handle) => self.get_str(handle),
            Piece::Bytes(bytes) => bytes,
        }
    }

    /// Appends `pieces` (`added` bytes in all) to the buffer `buf`, growing it
    /// geometrically. A piece may be a slice of `buf` itself: a prefix of what it holds.
    fn append_to_buffer(
        &mut self,
        buf: Handle,
        pieces: &[Piece<'_>],
        added: usize,
    ) -> Result<(), Fault> {
        let Some(Object::Buffer(bytes)) = self.slots.get_mut(buf as usize) else {
            unreachable!("checked by the caller");
        };
        let mut bytes = std::mem::take(bytes);
        let needed = bytes.len() + added;
        if needed > bytes.capacity() {
            let new_capacity = needed.max(bytes.capacity() * 2);
            if let Err(fault) = self.charge(new_capacity - bytes.capacity()) {
                self.slots[buf as usize] = Object::Buffer(bytes);
                return Err(fault);
            }
            if bytes.try_reserve_exact(new_capacity - bytes.len()).is_err() {
                self.slots[buf as usize] = Object::Buffer(bytes);
                return Err(out_of_memory("the system refused more memory for a string"));
            }
        }
        let original = bytes.len();
        for &piece in pieces {
            let part = match piece {
                Piece::Str(part) => part,
                Piece::Bytes(b) => {
                    bytes.extend_from_slice(b);
                    continue;
                }
            };
            match self.object(part) {
                // The buffer is taken out of its slot: copy the prefix from `bytes`.
                Some(Object::Slice { buf: other, len }) if *other == buf => {
                    bytes.extend_from_within(..*len as usize);
                }
                _ if part == buf => bytes.extend_from_within(..original),
                _ => bytes.extend_from_slice(self.get_str(part)),
            }
        }
        self.slots[buf as usize] = Object::Buffer(bytes);
        Ok(())
    }
}
