//! The distinct texts of a column, found as the rows are read: an
//! open-addressing table keyed by a text's length, its first eight bytes,
//! and its last eight bytes or, for a text over 16 bytes, a hash of all of
//! it (xxh3). For a text of at most 16 bytes the key is the whole text, so
//! a match needs no further comparison; a longer one is compared in full
//! with the text of each entry whose key matches. (A general hash map
//! hashes every byte and calls `memcmp` on every row: three times the work
//! on the short, repetitive texts of a CRM export.)

/// One slot of the table.
#[derive(Clone, Copy)]
struct Entry {
    head: u64,
    tail: u64,
    len: usize,
    /// `u32::MAX`: empty.
    code: u32,
}

const EMPTY: Entry = Entry {
    head: 0,
    tail: 0,
    len: 0,
    code: u32::MAX,
};

/// The bytes of `s` (at most eight) as a little-endian word, zero-padded:
/// from two loads that overlap (four bytes from each end, or single bytes
/// of a text under four), with no copy of a length known only at run time.
#[inline]
fn word(s: &[u8]) -> u64 {
    let n = s.len();
    match (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        (Some(lo), Some(hi)) => {
            // (`& 63`: a shift in range whatever the length; up to eight
            // bytes, the shift is the second load's place.)
            u64::from(u32::from_le_bytes(*lo))
                | u64::from(u32::from_le_bytes(*hi)) << (((n - 4) * 8) & 63)
        }
        _ => {
            let byte = |i: usize| u64::from(s.get(i).copied().unwrap_or(0)) << (i * 8);
            match n {
                0 => 0,
                _ => byte(0) | byte(n / 2) | byte(n - 1),
            }
        }
    }
}

/// The first and last eight bytes of `b` (zero-padded when shorter).
#[inline]
fn ends(b: &[u8]) -> (u64, u64) {
    match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
        _ => (word(b), 0),
    }
}

#[inline]
fn hash(head: u64, tail: u64, len: usize) -> u64 {
    (head ^ tail.rotate_left(23) ^ (len as u64).rotate_left(47)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Texts seen so far, each with its code.
pub(super) struct Distinct<'a> {
    table: Vec<Entry>,
    /// The text of each entry, by entry (compared for long texts).
    texts: Vec<&'a [u8]>,
    used: usize,
    shift: u32,
    /// Long texts compared in full (the tests check it stays linear).
    #[cfg(test)]
    compared: usize,
}

impl<'a> Distinct<'a> {
    pub(super) fn new() -> Self {
        Distinct {
            table: vec![EMPTY; 64],
            texts: Vec::new(),
            used: 0,
            shift: 64 - 6,
            #[cfg(test)]
            compared: 0,
        }
    }

    /// The code of `text`: the one it was given when first seen, else
    /// `new()`'s.
    #[inline]
    pub(super) fn code(&mut self, b: &'a [u8], new: impl FnOnce() -> u32) -> u32 {
        let len = b.len();
        let (head, tail) = match ends(b) {
            // Long texts that share their ends (timestamps, URLs) would
            // all fall in one chain: their key holds a hash of all bytes.
            (head, _) if len > 16 => (head, xxhash_rust::xxh3::xxh3_64(b)),
            ends => ends,
        };
        let mask = self.table.len() - 1;
        let mut at = (hash(head, tail, len) >> self.shift) as usize;
        loop {
            let e = self.table[at & mask];
            if e.code == u32::MAX {
                break;
            }
            if e.head == head && e.tail == tail && e.len == len {
                #[cfg(test)]
                {
                    self.compared += usize::from(len > 16);
                }
                let same = len <= 16 || self.texts.get(at & mask).is_some_and(|t| *t == b);
                if same {
                    return e.code;
                }
            }
            at += 1;
        }
        let code = new();
        self.insert(
            at & mask,
            Entry {
                head,
                tail,
                len,
                code,
            },
            b,
        );
        code
    }

    /// The code of an eight-byte value (a number's bits), as [`code`](Self::code)
    /// gives it for a text (a table holds one or the other).
    #[inline]
    pub(super) fn code_word(&mut self, word: u64, new: impl FnOnce() -> u32) -> u32 {
        let mask = self.table.len() - 1;
        let mut at = (hash(word, 0, 8) >> self.shift) as usize;
        loop {
            let e = self.table[at & mask];
            if e.code == u32::MAX {
                break;
            }
            if e.head == word && e.tail == 0 && e.len == 8 {
                return e.code;
            }
            at += 1;
        }
        let code = new();
        let e = Entry {
            head: word,
            tail: 0,
            len: 8,
            code,
        };
        self.insert(at & mask, e, &[]);
        code
    }

    fn insert(&mut self, at: usize, e: Entry, text: &'a [u8]) {
        if self.texts.len() < self.table.len() {
            self.texts.resize(self.table.len(), &[]);
        }
        self.table[at] = e;
        self.texts[at] = text;
        self.used += 1;
        if self.used * 2 > self.table.len() {
            self.grow();
        }
    }

    /// Doubles the table, placing every entry again.
    fn grow(&mut self) {
        let size = self.table.len() * 2;
        let old = std::mem::replace(&mut self.table, vec![EMPTY; size]);
        let texts = std::mem::take(&mut self.texts);
        self.texts = vec![&[]; self.table.len()];
        self.shift -= 1;
        let mask = self.table.len() - 1;
        for (e, t) in old.into_iter().zip(texts) {
            if e.code == u32::MAX {
                continue;
            }
            let mut at = (hash(e.head, e.tail, e.len) >> self.shift) as usize & mask;
            while self.table[at].code != u32::MAX {
                at = (at + 1) & mask;
            }
            self.table[at] = e;
            self.texts[at] = t;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The two overlapping loads give the zero-padded little-endian
        /// word of every text of up to eight bytes.
        #[test]
        fn word_is_the_padded_bytes(b in proptest::collection::vec(any::<u8>(), 0..=8)) {
            let mut w = [0u8; 8];
            w[..b.len()].copy_from_slice(&b);
            prop_assert_eq!(word(&b), u64::from_le_bytes(w));
        }
    }

    /// Many long texts with the same length and the same first and last
    /// eight bytes: each its own code, each compared in full about once
    /// when seen again (keyed by their ends alone, they formed one chain
    /// and the comparisons grew with the square of their number).
    #[test]
    fn long_texts_sharing_their_ends() {
        let texts: Vec<String> = (0..40_000)
            .map(|i| format!("2026-11-01T{i:08}:00+01:00"))
            .collect();
        let mut d = Distinct::new();
        let mut next = 0u32;
        for _ in 0..2 {
            for (i, t) in texts.iter().enumerate() {
                let code = d.code(t.as_bytes(), || {
                    next += 1;
                    next - 1
                });
                assert_eq!(code, i as u32);
            }
        }
        assert!(
            d.compared <= texts.len() + 100,
            "{} comparisons",
            d.compared
        );
    }

    proptest! {
        /// Two texts get the same code exactly when they are equal,
        /// whatever their lengths (around 8 and 16 bytes above all).
        #[test]
        fn codes_are_equality(texts in prop::collection::vec("[ab]{0,3}|[ab]{6,10}|[ab]{14,18}|[ab]{20,30}|é{0,9}", 0..400)) {
            let mut d = Distinct::new();
            let mut next = 0u32;
            let codes: Vec<u32> = texts.iter().map(|t| d.code(t.as_bytes(), || { next += 1; next - 1 })).collect();
            for (i, a) in texts.iter().enumerate() {
                for (j, b) in texts.iter().enumerate() {
                    prop_assert_eq!(codes[i] == codes[j], a == b, "{:?} {:?}", a, b);
                }
            }
        }
    }
}
