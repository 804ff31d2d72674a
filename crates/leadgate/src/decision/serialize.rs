//! `serde::Serialize` for decisions: the canonical decision JSON, field for
//! field, for hosts that serialise with serde (Python, JavaScript, any
//! serde format). [`to_canonical_json`] writes it with the canonical
//! spacing; a test compares it with the fast writer byte for byte.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::Decision;

/// A number as the canonical JSON writes it: whole numbers below 1e16 as
/// integers (`-0` as `0`), other finite numbers as floats (the shortest
/// text that reads back), and NaN or infinities as `null`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Number(pub f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let x = self.0;
        if x.fract() == 0.0 && x.abs() < 1e16 {
            s.serialize_i64(x as i64)
        } else if x.is_finite() {
            s.serialize_f64(x)
        } else {
            s.serialize_none()
        }
    }
}

/// An iterator serialised once, as a sequence or as a map (of name →
/// number pairs), without collecting it.
struct Once<I>(std::cell::Cell<Option<I>>);

fn once<I>(iter: I) -> Once<I> {
    Once(std::cell::Cell::new(Some(iter)))
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Once<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.take().into_iter().flatten())
    }
}

/// Name → number pairs as a JSON object.
struct Pairs<I>(std::cell::Cell<Option<I>>);

fn pairs<I>(iter: I) -> Pairs<I> {
    Pairs(std::cell::Cell::new(Some(iter)))
}

impl<'a, I: Iterator<Item = (&'a str, f64)>> Serialize for Pairs<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            self.0
                .take()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k, Number(v))),
        )
    }
}

impl Serialize for super::FiredRule<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("rule", self.rule)?;
        map.serialize_entry("score", self.score)?;
        map.serialize_entry("points", &Number(self.points))?;
        map.end()
    }
}

impl Serialize for crate::LeadWarning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("field", self.field())?;
        map.serialize_entry("message", self.message())?;
        map.end()
    }
}

impl Serialize for crate::LeadError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("field", &self.field())?;
        map.serialize_entry("message", self.message())?;
        map.end()
    }
}

impl Serialize for Decision {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("index", &self.index())?;
        map.serialize_entry("id", &self.id())?;
        if let Some(e) = self.error() {
            map.serialize_entry("error", e)?;
            return map.end();
        }
        map.serialize_entry("route", &self.route())?;
        map.serialize_entry("queue", &self.queue())?;
        map.serialize_entry("rule", &self.rule())?;
        map.serialize_entry("follow_up_within_s", &self.follow_up_within_s())?;
        if self.assignment.is_some() {
            map.serialize_entry("assignee", &self.assignee())?;
            map.serialize_entry("unassigned", &self.unassigned().map(|u| u.as_str()))?;
            map.serialize_entry("follow_up_by", &self.follow_up_by())?;
        }
        map.serialize_entry("scores", &pairs(self.scores()))?;
        map.serialize_entry("total", &self.total().map(Number))?;
        map.serialize_entry("grades", &GradePairs(self))?;
        map.serialize_entry("fired", &once(self.fired()))?;
        map.serialize_entry("unknown", &once(self.unknown()))?;
        map.serialize_entry("undecided", &once(self.undecided()))?;
        map.serialize_entry("warnings", self.warnings())?;
        map.end()
    }
}

/// A decision's grades as a JSON object of labels.
struct GradePairs<'a>(&'a Decision);

impl Serialize for GradePairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.grades())
    }
}

/// serde_json's compact output with the canonical spacing: `", "` between
/// items and `": "` after keys.
struct Canonical;

impl serde_json::ser::Formatter for Canonical {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

/// Any serialisable value (a [`Decision`], an explanation, a report) as
/// canonical JSON: one line, `", "` and `": "` separators, the escaping and
/// numbers of `docs/language.md`. For a decision, the same bytes as
/// [`Decision::to_json`].
pub fn to_canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(512);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Canonical);
    value.serialize(&mut ser)?;
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}
