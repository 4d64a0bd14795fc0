//! The lexer's identifier table: one shared [`Name`] per distinct identifier text, so a
//! name that occurs a thousand times is allocated once and every token holding it is a
//! reference-count increment.
//!
//! It is looked up for every identifier token, so it is a small open-addressing table of
//! its own rather than a `HashMap<&[u8], Name>`: the hash is computed once per lookup from
//! at most two overlapping word loads (identifiers are short), a slot stores 32 bits of
//! that hash so most mismatches never touch the text, and texts of up to 16 bytes are
//! compared with the same word loads instead of a `memcmp` call.

use crate::ast::Name;

/// Multiplier of the hash (the golden ratio's fractional part, odd).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

pub(super) struct Names<'a> {
    /// Power-of-two sized; 0 is an empty slot, otherwise `(hash as u32, index + 1)`.
    slots: Vec<(u32, u32)>,
    entries: Vec<(&'a [u8], Name)>,
}

impl<'a> Names<'a> {
    pub(super) fn new() -> Names<'a> {
        Names {
            slots: vec![(0, 0); 256],
            entries: Vec::new(),
        }
    }

    /// The shared name for `text` (ASCII identifier bytes), made on first sight.
    #[inline]
    pub(super) fn intern(&mut self, text: &'a [u8]) -> Name {
        let hash = hash(text);
        let mask = self.slots.len() - 1;
        let mut i = (hash >> 32) as usize & mask;
        loop {
            let (tag, index) = self.slots[i];
            if index == 0 {
                return self.insert(text, hash as u32, i);
            }
            if tag == hash as u32 {
                let (known, name) = &self.entries[index as usize - 1];
                if same_text(known, text) {
                    return name.clone();
                }
            }
            i = (i + 1) & mask;
        }
    }

    #[cold]
    fn insert(&mut self, text: &'a [u8], tag: u32, slot: usize) -> Name {
        // Identifiers are ASCII, so the lossy conversion never replaces anything.
        let name: Name = Name::from(String::from_utf8_lossy(text));
        self.entries.push((text, name.clone()));
        self.slots[slot] = (tag, self.entries.len() as u32);
        // At most half full, so probes stay short.
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        }
        name
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let mask = size - 1;
        let mut slots = vec![(0u32, 0u32); size];
        for (n, (text, _)) in self.entries.iter().enumerate() {
            let hash = hash(text);
            let mut i = (hash >> 32) as usize & mask;
            while slots[i].1 != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (hash as u32, n as u32 + 1);
        }
        self.slots = slots;
    }
}

/// The first and last (up to) 8 bytes of `text` as two words, read with overlapping
/// loads; with the length they determine any text of up to 16 bytes.
#[inline]
fn words(text: &[u8]) -> (u64, u64) {
    let n = text.len();
    if n >= 8 {
        (load8(text, 0), load8(text, n - 8))
    } else if n >= 4 {
        (u64::from(load4(text, 0)), u64::from(load4(text, n - 4)))
    } else if n > 0 {
        let word = u64::from(text[0]) | u64::from(text[n / 2]) << 8 | u64::from(text[n - 1]) << 16;
        (word, 0)
    } else {
        (0, 0)
    }
}

#[inline]
fn load8(text: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&text[at..at + 8]);
    u64::from_le_bytes(word)
}

#[inline]
fn load4(text: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&text[at..at + 4]);
    u32::from_le_bytes(word)
}

/// Hash of an identifier: its first and last words and its length, plus every middle
/// word of a text longer than 16 bytes.
#[inline]
fn hash(text: &[u8]) -> u64 {
    let (first, last) = words(text);
    let mut h = (first ^ (text.len() as u64).rotate_right(8)).wrapping_mul(K);
    h = (h.rotate_left(23) ^ last).wrapping_mul(K);
    if text.len() > 16 {
        for chunk in text[8..text.len() - 8].chunks(8) {
            let (word, _) = words(chunk);
            h = (h.rotate_left(23) ^ word).wrapping_mul(K);
        }
    }
    h ^ (h >> 29)
}

#[inline]
fn same_text(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && if a.len() <= 16 {
            words(a) == words(b)
        } else {
            a == b
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
    fn short_texts_that_share_words_differ() {
        // Overlapping loads see `abcab` and `abcabc`-like texts alike only with their length.
        let mut names = Names::new();
        for text in [
            "a", "aa", "aaa", "ab", "ba", "abc", "acb", "abcd", "abcab", "abcabc",
        ] {
            assert_eq!(&*names.intern(text.as_bytes()), text);
        }
        for text in [
            "a", "aa", "aaa", "ab", "ba", "abc", "acb", "abcd", "abcab", "abcabc",
        ] {
            assert_eq!(&*names.intern(text.as_bytes()), text);
        }
    }
}
