//! How the compiled program's own types are written and read as bytes
//! (see `stored`, the compiled-agreement format): helpers named by their
//! `serde` attributes. Depends on nothing of the pipeline, so every stage
//! can use it.

use rustc_hash::{FxHashMap, FxHashSet};

/// How deep expressions may nest in a compiled agreement read from bytes
/// (twice what the compiler accepts): deeper is damage, refused before it
/// can exhaust the stack.
const MAX_DEPTH: u32 = 2 * crate::syntax::limits::MAX_EXPR_DEPTH;

thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Reads a nested expression (`deserialize_with` on every box and list of
/// expressions), one level deeper; an error past [`MAX_DEPTH`].
pub(crate) fn nested<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let depth = DEPTH.with(std::cell::Cell::get);
    if depth >= MAX_DEPTH {
        return Err(serde::de::Error::custom("expressions nest too deeply"));
    }
    DEPTH.with(|c| c.set(depth + 1));
    let out = T::deserialize(d);
    DEPTH.with(|c| c.set(depth));
    out
}

/// A hash map written in key order (`serialize_with` on the program's
/// maps), so that the same agreement gives the same bytes whatever order
/// the map was filled in; read back as any map.
pub(crate) fn sorted_map<S, K, V>(map: &FxHashMap<K, V>, s: S) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    K: serde::Serialize + Ord,
    V: serde::Serialize,
{
    let mut pairs: Vec<(&K, &V)> = map.iter().collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    s.collect_map(pairs)
}

/// A hash set written in order, as [`sorted_map`].
pub(crate) fn sorted_set<S, T>(set: &FxHashSet<T>, s: S) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    T: serde::Serialize + Ord,
{
    let mut items: Vec<&T> = set.iter().collect();
    items.sort();
    s.collect_seq(items)
}
