//! The lexer's word table: one shared [`Name`] per distinct identifier text, so a name
//! that occurs a thousand times is allocated once; tokens hold its index, and the parser
//! takes a reference-counted copy for the tree. The keywords are in the table from the
//! start, so one lookup tells a keyword from a name.
//!
//! It is looked up for every word of the source, so it is a small open-addressing table of
//! its own rather than a `HashMap<&[u8], Name>`: a word's [`Key`] is its length and its
//! first and last 8 bytes (usually one masked load from the source), the hash is one
//! multiplication of the key (two for a longer word), and a slot stores the first 8 bytes,
//! the length and 24 bits of the hash: a word of up to 8 bytes (most of them) is found by
//! its slot alone (on a small inline path when it sits in its first slot), most
//! mismatches never touch an entry, and a longer word is compared with its entry's text.
//! A keyword's token is read from a table by its index (the keywords are the first
//! entries), any other word's is `Ident` of its index.

use super::token::{LexKind, NameId, KEYWORDS};
use super::TokenKind;
use crate::ast::Name;

/// Multiplier of the hash (the golden ratio's fractional part, odd).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// `LOW_BYTES[n]` keeps the low `n` bytes of a word.
const LOW_BYTES: [u64; 9] = {
    let mut masks = [0; 9];
    let mut n = 1;
    while n <= 8 {
        masks[n] = u64::MAX >> (64 - 8 * n);
        n += 1;
    }
    masks
};

/// A word's length and its first and last 8 bytes (zero-padded, little-endian; `last` is
/// 0 for words of up to 8 bytes). Two words of up to 16 bytes are equal exactly when
/// their keys are.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    first: u64,
    last: u64,
    len: usize,
}

impl Key {
    /// The key of `src[start..end]`, read with one load when 8 bytes are there to read.
    #[inline(always)]
    pub(super) fn at(src: &[u8], start: usize, end: usize) -> Key {
        let len = end - start;
        if len <= 8 {
            if let Some(bytes) = src.get(start..start + 8) {
                let word = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
                return Key {
                    first: word & LOW_BYTES[len],
                    last: 0,
                    len,
                };
            }
        }
        Key::of(&src[start..end])
    }

    /// The key of any text.
    pub(super) fn of(text: &[u8]) -> Key {
        let len = text.len();
        let mut first = 0;
        for (i, &b) in text.iter().take(8).enumerate() {
            first |= u64::from(b) << (8 * i);
        }
        let last = if len > 8 {
            u64::from_le_bytes(text[len - 8..].try_into().expect("8 bytes"))
        } else {
            0
        };
        Key { first, last, len }
    }

    /// The hash of the word: its key, and every middle 8 bytes of a longer word. A word of
    /// up to 8 bytes (most of them) takes one multiplication.
    #[inline(always)]
    fn hash(&self, text: &[u8]) -> u64 {
        let mut h = (self.first ^ (self.len as u64).rotate_right(8)).wrapping_mul(K);
        if self.len > 8 {
            h = (h.rotate_left(23) ^ self.last).wrapping_mul(K);
            if self.len > 16 {
                for chunk in text[8..self.len - 8].chunks(8) {
                    h = (h.rotate_left(23) ^ Key::of(chunk).first).wrapping_mul(K);
                }
            }
        }
        h ^ (h >> 29)
    }

    /// What a slot keeps of the key besides `first`: the top 24 bits of the hash, which
    /// also pick the word's first slot (see [`home`]), and the length (up to 255), so a
    /// word of up to 8 bytes is recognised by its slot alone.
    #[inline(always)]
    fn tag(&self, hash: u64) -> u32 {
        ((hash >> 40) as u32) << 8 | self.len.min(255) as u32
    }
}

/// The first slot to probe for a word of hash `hash` in a table of `mask + 1` slots: the
/// hash's top 24 bits (the tag's), then its lower bits for tables of more than 2^24
/// slots. A table up to that size grows by moving slots to the home their tag gives,
/// without reading the words again.
#[inline(always)]
fn home(hash: u64, mask: usize) -> usize {
    hash.rotate_right(40) as usize & mask
}

/// Tables up to this mask find a slot's new home from its tag alone.
const TAG_HOMES: usize = (1 << 24) - 1;

/// One distinct word. Its [`Key`] is not kept: only a longer word's lookup or a growing
/// table needs it, and it is cheap to read again from the text.
pub(super) struct Entry<'a> {
    text: &'a [u8],
    /// Made when first asked for: the keywords are in every table, and most never need
    /// one (45 allocations were a seventh of the instructions of a hello-world run).
    name: std::cell::OnceCell<Name>,
}

impl Entry<'_> {
    /// The word's shared name.
    #[inline]
    pub(super) fn name(&self) -> &Name {
        // Identifiers are ASCII, so the lossy conversion never replaces anything.
        self.name
            .get_or_init(|| Name::from(String::from_utf8_lossy(self.text)))
    }
}

/// A slot of the table: the word's first 8 bytes (as in its [`Key`]), then [`Key::tag`]
/// in the low half of the second word and the entry's index + 1 in its high half (0 for
/// an empty slot). Plain words, so that a new table is `vec![[0; 2]; n]`, which the
/// allocator may hand out already zeroed instead of writing each slot.
type Slot = [u64; 2];

/// The second word of a slot holding `tag` and the entry `index`.
#[inline(always)]
fn slot_word(tag: u32, index: u32) -> u64 {
    u64::from(tag) | u64::from(index + 1) << 32
}

/// A slot's [`Key::tag`].
#[inline(always)]
fn slot_tag(slot: Slot) -> u32 {
    slot[1] as u32
}

/// A slot's entry index + 1; 0 for an empty slot.
#[inline(always)]
fn slot_index(slot: Slot) -> u32 {
    (slot[1] >> 32) as u32
}

/// The token of each keyword, by its index in the table (the keywords are its first
/// entries, in this order).
static KEYWORD_KINDS: [LexKind; KEYWORDS.len()] = {
    let mut kinds = [TokenKind::Eof; KEYWORDS.len()];
    let mut i = 0;
    while i < KEYWORDS.len() {
        kinds[i] = KEYWORDS[i].1;
        i += 1;
    }
    kinds
};

pub(super) struct Names<'a> {
    /// Power-of-two sized.
    slots: Vec<Slot>,
    entries: Vec<Entry<'a>>,
}

impl<'a> Names<'a> {
    pub(super) fn new() -> Names<'a> {
        let mut names = Names {
            slots: vec![[0; 2]; 256],
            entries: Vec::with_capacity(128),
        };
        for (word, _) in KEYWORDS {
            let text = word.as_bytes();
            names.find(Key::of(text), text);
        }
        names
    }

    /// The entry of `text` (an ASCII identifier or keyword), made on first sight.
    pub(super) fn intern(&mut self, text: &'a [u8]) -> Name {
        let id = self.find(Key::of(text), text);
        self.name(id).clone()
    }

    /// The name of the entry `id`.
    #[inline]
    pub(super) fn name(&self, id: NameId) -> &Name {
        self.entries[id.0 as usize].name()
    }

    /// The token of the word `id`: its keyword, or `Ident(id)`.
    #[inline(always)]
    pub(super) fn kind(id: NameId) -> LexKind {
        Names::keyword(id).unwrap_or(TokenKind::Ident(id))
    }

    /// The token of the word `id` if it is a keyword.
    #[inline(always)]
    pub(super) fn keyword(id: NameId) -> Option<LexKind> {
        KEYWORD_KINDS.get(id.0 as usize).copied()
    }

    /// The index of the word `src[start..end]`, made on first sight. A word of up to 8
    /// bytes found in its first slot (most words) is recognised here, with one load from
    /// the source and one from the table; anything else goes to [`Names::find`] out of
    /// line, which keeps this path small enough for registers.
    #[inline(always)]
    pub(super) fn find_at(&mut self, src: &'a [u8], start: usize, end: usize) -> NameId {
        let len = end - start;
        if len <= 8 {
            if let Some(bytes) = src.get(start..start + 8) {
                let first = u64::from_le_bytes(bytes.try_into().expect("8 bytes")) & LOW_BYTES[len];
                let key = Key {
                    first,
                    last: 0,
                    len,
                };
                let hash = key.hash(&[]);
                let slot = self.slots[home(hash, self.slots.len() - 1)];
                // (An empty slot's tag is 0, and a key's tag holds its nonzero length.)
                if slot_tag(slot) == key.tag(hash) && slot[0] == first {
                    return NameId(slot_index(slot) - 1);
                }
            }
        }
        self.find_out_of_line(src, start, end)
    }

    #[inline(never)]
    fn find_out_of_line(&mut self, src: &'a [u8], start: usize, end: usize) -> NameId {
        self.find(Key::at(src, start, end), &src[start..end])
    }

    /// The index of `text`, whose key is `key`, made on first sight.
    #[inline(always)]
    pub(super) fn find(&mut self, key: Key, text: &'a [u8]) -> NameId {
        let hash = key.hash(text);
        let tag = key.tag(hash);
        let mask = self.slots.len() - 1;
        let mut i = home(hash, mask);
        loop {
            let slot = self.slots[i];
            if slot_index(slot) == 0 {
                return self.insert(key, text, tag, i);
            }
            if slot_tag(slot) == tag && slot[0] == key.first {
                let index = slot_index(slot) - 1;
                if key.len <= 8 {
                    return NameId(index);
                }
                if self.entries[index as usize].text == text {
                    return NameId(index);
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn insert(&mut self, key: Key, text: &'a [u8], tag: u32, slot: usize) -> NameId {
        let index = self.entries.len() as u32;
        self.entries.push(Entry {
            text,
            name: std::cell::OnceCell::new(),
        });
        self.slots[slot] = [key.first, slot_word(tag, index)];
        // At most half full, so probes stay short.
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        NameId(index)
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots: Vec<Slot> = vec![[0; 2]; size];
        for &slot in &self.slots {
            let index = slot_index(slot);
            if index == 0 {
                continue;
            }
            let mut i = if mask <= TAG_HOMES {
                (slot_tag(slot) >> 8) as usize & mask
            } else {
                let text = self.entries[index as usize - 1].text;
                home(Key::of(text).hash(text), mask)
            };
            while slot_index(slots[i]) != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = slot;
        }
        self.slots = slots;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_text() {
        let texts: Vec<String> = (0..2000)
            .map(|i| format!("{}{}", "n".repeat(i % 23 + 1), i))
            .collect();
        let mut names = Names::new();
        let first: Vec<Name> = texts.iter().map(|t| names.intern(t.as_bytes())).collect();
        for (text, name) in texts.iter().zip(&first) {
            assert_eq!(&**name, text.as_str());
            let again = names.intern(text.as_bytes());
            assert!(std::rc::Rc::ptr_eq(&again, name), "{text} interned twice");
        }
    }

    #[test]
    fn keys_read_from_the_source_match_keys_of_the_text() {
        let src = b"a ab abcdefgh abcdefghi x_very_long_name_indeed_1 z";
        let mut start = 0;
        for word in src.split(|&b| b == b' ') {
            let end = start + word.len();
            assert!(Key::at(src, start, end) == Key::of(word), "{word:?}");
            start = end + 1;
        }
    }

    #[test]
    fn keywords_are_found_and_words_like_them_are_not() {
        let mut names = Names::new();
        for (word, kind) in KEYWORDS {
            let id = names.find(Key::of(word.as_bytes()), word.as_bytes());
            assert_eq!(Names::kind(id), kind, "{word}");
            assert_eq!(kind.text(), Some(word));
        }
        for word in ["a", "iff", "whilst", "print_no_newlin", "Print", "matchess"] {
            let id = names.find(Key::of(word.as_bytes()), word.as_bytes());
            assert!(matches!(Names::kind(id), TokenKind::Ident(_)), "{word}");
            assert_eq!(&**names.name(id), word);
        }
    }
}
