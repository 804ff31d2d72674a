//! JSON records → leads, streamed straight into slots: no intermediate
//! `serde_json::Value`, unknown keys skipped without allocation.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Lead, LeadBuilder, LeadErrorKind, Raw};

/// Binds one JSON text (an object) into `builder`.
pub(crate) fn bind_json(text: &str, mut builder: LeadBuilder<'_>) -> Lead {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut not_object = None;
    let result = RecordSeed {
        builder: &mut builder,
        not_object: &mut not_object,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Err(e) = result {
        match not_object {
            Some(what) => builder.reject(
                LeadErrorKind::NotAnObject,
                format!("expected a JSON object, got {what}"),
            ),
            None => builder.reject(LeadErrorKind::InvalidJson, format!("invalid JSON: {e}")),
        }
    }
    builder.finish()
}

/// Binds one record from any serde deserializer (a `serde_json::Value`, a
/// map of a host's own types) into `builder`, without text in between.
pub(crate) fn bind_from<'de, D: Deserializer<'de>>(d: D, mut builder: LeadBuilder<'_>) -> Lead {
    let mut not_object = None;
    let result = RecordSeed {
        builder: &mut builder,
        not_object: &mut not_object,
    }
    .deserialize(d);
    if let Err(e) = result {
        match not_object {
            Some(what) => builder.reject(
                LeadErrorKind::NotAnObject,
                format!("expected an object, got {what}"),
            ),
            None => builder.reject(
                LeadErrorKind::Unreadable,
                format!("cannot read the lead: {e}"),
            ),
        }
    }
    builder.finish()
}

struct RecordSeed<'b, 'p> {
    builder: &'b mut LeadBuilder<'p>,
    /// Set to what the record was when it is not an object.
    not_object: &'b mut Option<&'static str>,
}

impl RecordSeed<'_, '_> {
    fn not_object<E: de::Error>(self, what: &'static str) -> Result<(), E> {
        *self.not_object = Some(what);
        Err(E::custom(format_args!("expected an object, got {what}")))
    }
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(slot) = map.next_key_seed(KeySeed {
            builder: self.builder,
        })? {
            match slot {
                Some(slot) => {
                    let raw = map.next_value_seed(RawSeed { depth: 0 })?;
                    self.builder.set(slot, raw);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        self.not_object("an array")
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_object("a string")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_object("a bool")
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_object("a number")
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_object("a number")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_object("a number")
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_object("null")
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.not_object("null")
    }
}

/// Resolves a key to its field slot without allocating (`Ok(None)` for an
/// undeclared key).
struct KeySeed<'b, 'p> {
    builder: &'b mut LeadBuilder<'p>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Option<u32>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u32>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Option<u32>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<u32>, E> {
        let slot = self.builder.slot(key);
        if slot.is_none() {
            self.builder.unknown_key(key);
        }
        Ok(slot)
    }
}

/// Reads one JSON value as a [`Raw`]. Nested objects become `Other`; arrays
/// nested in arrays are bounded by serde_json's own recursion limit.
struct RawSeed {
    depth: u32,
}

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Raw<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Raw<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RawSeed {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw<'de>, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw<'de>, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw<'de>, E> {
        Ok(Raw::UInt(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw<'de>, E> {
        Ok(Raw::Float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw<'de>, E> {
        Ok(Raw::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw<'de>, E> {
        Ok(Raw::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw<'de>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(RawSeed {
            depth: self.depth + 1,
        })? {
            // Only one level of array is meaningful (a list of texts).
            items.push(match item {
                Raw::Array(_) => Raw::Other("an array"),
                other => other,
            });
        }
        if self.depth > 0 {
            return Ok(Raw::Other("an array"));
        }
        Ok(Raw::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Raw::Other("an object"))
    }
}
