//! The roster file as YAML reads it (serde, `serde_yaml`), before its
//! values are checked; and where a value sits in the text, for errors.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRoster {
    pub timezone: String,
    #[serde(default)]
    pub holidays: Vec<String>,
    pub queues: Ordered<RawQueue>,
}

/// One queue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawQueue {
    pub hours: String,
    #[serde(default)]
    pub timezone: Option<String>,
    pub members: Vec<RawMember>,
}

/// One member of a queue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMember {
    pub name: String,
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub per_day: Option<u32>,
    #[serde(default)]
    pub away: Vec<String>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub hours: Option<String>,
}

/// A mapping read in file order, duplicate keys kept (and reported by the
/// check that follows).
#[derive(Debug)]
pub(crate) struct Ordered<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of queue names to queues")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    items.push((k, v));
                }
                Ok(Ordered(items))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// A syntax or type error as (line, column, key, message): serde_yaml's
/// location, its path (`queues.emea.members[0]`) as the key.
pub(crate) fn serde_error(e: &serde_yaml::Error) -> (usize, usize, String, String) {
    let (line, column) = e
        .location()
        .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
    let mut text = e.to_string();
    if let Some(i) = text.rfind(" at line ") {
        text.truncate(i);
    }
    // "queues.emea.members[0]: unknown field `wieght`, expected one of …"
    let (key, message) = match text.split_once(": ") {
        Some((k, m)) if !k.contains(' ') && !k.is_empty() => (k.to_string(), m.to_string()),
        _ => (String::new(), text),
    };
    (line, column, key, message)
}

/// Finds values in the roster's text: each anchor in turn (a queue's name,
/// a member's name), then the value after the last one found.
pub(crate) struct Locator<'a> {
    text: &'a str,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator { text }
    }

    /// The 1-based line and column of `value` after `anchors` (or of the
    /// last anchor found, when the value is not in the text as written).
    pub fn find(&self, anchors: &[&str], value: &str) -> (usize, usize) {
        let mut pos = 0usize;
        for a in anchors {
            if let Some(i) = self.find_from(pos, a) {
                pos = i + a.len();
            }
        }
        let at = self.find_from(pos, value).unwrap_or(pos);
        self.line_column(at)
    }

    fn find_from(&self, pos: usize, needle: &str) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        self.text.get(pos..)?.find(needle).map(|i| pos + i)
    }

    fn line_column(&self, at: usize) -> (usize, usize) {
        let before = self.text.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}
