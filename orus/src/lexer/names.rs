//! The lexer's word table: one shared [`Name`] per distinct identifier text, so a name
//! that occurs a thousand times is allocated once; tokens hold its index, and the parser
//! takes a reference-counted copy for the tree. The keywords are in the table from the
//! start, so one lookup tells a keyword from a name.
//!
//! It is looked up for every word of the source, so it is a small open-addressing table of
//! its own rather than a `HashMap<&[u8], Name>`: a word's [`Key`] is its length and its
//! first and last 8 bytes (usually one masked load from the source), the hash is two
//! multiplications of the key, a slot stores 32 bits of the hash so most mismatches never
//! touch an entry, and words of up to 16 bytes compare by key alone.

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
        let mut first = [0; 8];
        let head = len.min(8);
        first[..head].copy_from_slice(&text[..head]);
        let last = if len > 8 {
            u64::from_le_bytes(text[len - 8..].try_into().expect("8 bytes"))
        } else {
            0
        };
        Key {
            first: u64::from_le_bytes(first),
            last,
            len,
        }
    }

    /// The hash of the word: its key, and every middle 8 bytes of a longer word.
    #[inline(always)]
    fn hash(&self, text: &[u8]) -> u64 {
        let mut h = (self.first ^ (self.len as u64).rotate_right(8)).wrapping_mul(K);
        h = (h.rotate_left(23) ^ self.last).wrapping_mul(K);
        if self.len > 16 {
            for chunk in text[8..self.len - 8].chunks(8) {
                h = (h.rotate_left(23) ^ Key::of(chunk).first).wrapping_mul(K);
            }
        }
        h ^ (h >> 29)
    }
}

/// One distinct word.
pub(super) struct Entry<'a> {
    key: Key,
    text: &'a [u8],
    /// Made when first asked for: the keywords are in every table, and most never need
    /// one (45 allocations were a seventh of the instructions of a hello-world run).
    name: std::cell::OnceCell<Name>,
    /// This entry's index, which tokens hold (a label's name may be a keyword).
    pub(super) id: NameId,
    /// The word's token: its keyword, or `Ident` of this entry.
    pub(super) kind: LexKind,
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

pub(super) struct Names<'a> {
    /// Power-of-two sized; `(hash as u32, index + 1)`, or `(_, 0)` for an empty slot.
    slots: Vec<(u32, u32)>,
    entries: Vec<Entry<'a>>,
}

impl<'a> Names<'a> {
    pub(super) fn new() -> Names<'a> {
        let mut names = Names {
            slots: vec![(0, 0); 256],
            entries: Vec::with_capacity(128),
        };
        for (word, kind) in KEYWORDS {
            let text = word.as_bytes();
            names.find(Key::of(text), text).kind = kind;
        }
        names
    }

    /// The entry of `text` (an ASCII identifier or keyword), made on first sight.
    pub(super) fn intern(&mut self, text: &'a [u8]) -> Name {
        self.find(Key::of(text), text).name().clone()
    }

    /// The name of the entry `id`.
    #[inline]
    pub(super) fn name(&self, id: NameId) -> &Name {
        self.entries[id.0 as usize].name()
    }

    /// The entry of `text`, whose key is `key`, made on first sight.
    #[inline(always)]
    pub(super) fn find(&mut self, key: Key, text: &'a [u8]) -> &mut Entry<'a> {
        let hash = key.hash(text);
        let mask = self.slots.len() - 1;
        let mut i = (hash >> 32) as usize & mask;
        loop {
            let (tag, index) = self.slots[i];
            if index == 0 {
                return self.insert(key, text, hash as u32, i);
            }
            if tag == hash as u32 {
                let index = index as usize - 1;
                let entry = &self.entries[index];
                if entry.key == key && (key.len <= 16 || entry.text == text) {
                    return &mut self.entries[index];
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn insert(&mut self, key: Key, text: &'a [u8], tag: u32, slot: usize) -> &mut Entry<'a> {
        let index = self.entries.len();
        self.entries.push(Entry {
            key,
            text,
            name: std::cell::OnceCell::new(),
            id: NameId(index as u32),
            kind: TokenKind::Ident(NameId(index as u32)),
        });
        self.slots[slot] = (tag, index as u32 + 1);
        // At most half full, so probes stay short.
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        &mut self.entries[index]
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots = vec![(0u32, 0u32); size];
        for (n, entry) in self.entries.iter().enumerate() {
            let hash = entry.key.hash(entry.text);
            let mut i = (hash >> 32) as usize & mask;
            while slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (hash as u32, n as u32 + 1);
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
            let entry = names.find(Key::of(word.as_bytes()), word.as_bytes());
            assert_eq!(entry.kind, kind, "{word}");
            assert_eq!(kind.text(), Some(word));
        }
        for word in ["a", "iff", "whilst", "print_no_newlin", "Print", "matchess"] {
            let entry = names.find(Key::of(word.as_bytes()), word.as_bytes());
            assert!(matches!(entry.kind, TokenKind::Ident(_)), "{word}");
            assert_eq!(&**entry.name(), word);
        }
    }
}
