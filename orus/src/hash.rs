//! The hash maps of the compiler: keys are names, small integers and types that the
//! program being compiled chose, looked up many times per line. The standard SipHash costs
//! more than the lookups it serves, so these maps use [`FastHasher`], one rotate, xor and
//! multiply per word. It is not resistant to chosen collisions: a hostile source file can
//! make its own compilation slower, never wrong. Maps the VM fills from data it reads at
//! run time do not use it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`]; make one with `FastMap::default()`.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A `HashSet` with [`FastHasher`]; make one with `FastSet::default()`.
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Multiplicative word hashing (the constant is the fractional part of the golden ratio,
/// odd, so multiplying by it is a bijection).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

const K: u64 = 0x9e37_79b9_7f4a_7c15;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail_word(rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A product's low bits depend only on the factors' low bits, yet the table picks a
        // bucket by the low bits and a tag by the top ones: fold the high half down,
        // multiply to spread it up again, and fold once more.
        let h = (self.0 ^ (self.0 >> 32)).wrapping_mul(K);
        h ^ (h >> 32)
    }
}

/// The 1 to 7 bytes of `rest` as one word, read with at most two overlapping loads
/// instead of a variable-length copy (most names end in such a tail, and a `memcpy` call
/// per name was a visible cost). Different tails of one length give different words.
#[inline]
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    if n >= 4 {
        let lo = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let hi = u32::from_le_bytes([rest[n - 4], rest[n - 3], rest[n - 2], rest[n - 1]]);
        // The length goes into the top bits, so `xxxx` and `xxxxx` differ too.
        (u64::from(lo) | (u64::from(hi) << 32)) ^ ((n as u64) << 60)
    } else {
        // 1 to 3 bytes: first, middle and last (some may coincide), and the length.
        u64::from(rest[0])
            | (u64::from(rest[n / 2]) << 8)
            | (u64::from(rest[n - 1]) << 16)
            | ((n as u64) << 24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_anywhere_spread_over_buckets() {
        // Names differing only in their last byte, or only in length, land in different
        // low bits (what the table uses to pick a bucket).
        let mut buckets = FastSet::default();
        for i in 0..256u32 {
            let name = format!("variable_name_{}", char::from_u32(0x61 + i % 26).unwrap())
                + &"x".repeat((i / 26) as usize);
            let mut h = FastHasher::default();
            h.write(name.as_bytes());
            buckets.insert(h.finish() & 1023);
        }
        assert!(
            buckets.len() > 200,
            "{} distinct buckets of 256 names",
            buckets.len()
        );
        let map: FastMap<&str, usize> = [("a", 1), ("b", 2)].into_iter().collect();
        assert_eq!((map["a"], map["b"]), (1, 2));
    }

    #[test]
    fn tails_of_one_length_are_distinct_words() {
        // Every tail of 1..=7 bytes from a small alphabet maps to its own word.
        let alphabet = b"ab_9";
        for len in 1..=7u32 {
            let mut seen = std::collections::HashSet::new();
            for code in 0..4usize.pow(len) {
                let tail: Vec<u8> = (0..len).map(|i| alphabet[(code >> (2 * i)) % 4]).collect();
                assert!(seen.insert(tail_word(&tail)), "collision at {tail:?}");
            }
        }
    }
}
