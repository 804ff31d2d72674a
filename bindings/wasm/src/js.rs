//! Reading JS values without letting a JS exception through: `instanceof`
//! and `Array.isArray` throw on revoked proxies, getters and proxies throw
//! anywhere. A lead is read once into its `[key, value]` pairs ([`Read`]),
//! then its values go to the core's `LeadBuilder` ([`fill`]), the coercion
//! every front uses.

use std::borrow::Cow;

use js_sys::{Array, JSON};
use leadgate::{LeadBuilder, LeadErrorKind, Raw};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::shared::Compiled;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    pub(crate) fn object_entries(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = from)]
    pub(crate) fn array_from(value: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub(crate) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = defineProperty)]
    fn define_property(object: &JsValue, key: &str, descriptor: &JsValue) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = Object, js_name = create)]
    fn object_create(prototype: &JsValue) -> JsValue;
    #[wasm_bindgen(js_namespace = console)]
    pub(crate) fn warn(message: &str);
    /// A JS string.
    type Text;
    // Throws where String.prototype.isWellFormed is missing (before ES2024).
    #[wasm_bindgen(catch, method, structural, js_name = isWellFormed)]
    fn is_well_formed(this: &Text) -> Result<bool, JsValue>;
    /// A `Date`, or an object that says it is one (`instanceof Date`).
    type DateLike;
    // Throws for `Object.create(Date.prototype)`, or an own getTime that throws.
    #[wasm_bindgen(catch, method, structural, js_name = getTime)]
    fn get_time(this: &DateLike) -> Result<f64, JsValue>;
    /// A thrown value that is `instanceof Error`.
    type Thrown;
    // A getter, or a proxy, may throw; the message may be any value.
    #[wasm_bindgen(catch, method, structural, getter)]
    fn message(this: &Thrown) -> Result<JsValue, JsValue>;
}

/// A `Date`'s time in ms since the epoch: None when reading it throws.
pub(crate) fn date_ms(date: &JsValue) -> Option<f64> {
    date.unchecked_ref::<DateLike>().get_time().ok()
}

/// How an object can be read.
pub(crate) enum Shape {
    Array,
    Date,
    Map,
    Plain,
}

pub(crate) fn shape(value: &JsValue) -> Result<Shape, JsValue> {
    if is_array(value)? {
        return Ok(Shape::Array);
    }
    // After this succeeds, `instanceof` does not throw.
    js_sys::Reflect::get_prototype_of(value)?;
    if value.is_instance_of::<js_sys::Date>() {
        return Ok(Shape::Date);
    }
    if value.dyn_ref::<js_sys::Map>().is_some() {
        return Ok(Shape::Map);
    }
    Ok(Shape::Plain)
}

pub(crate) fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// What a JS value is, for error messages.
pub(crate) fn kind(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_undefined() {
        "undefined"
    } else if value.is_string() {
        "a string"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else if is_array(value).unwrap_or(false) {
        "an array"
    } else {
        "an object"
    }
}

/// A JS value shown in a message: strings quoted and cut, others by kind.
pub(crate) fn show(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => format!("\"{}\"", s.chars().take(60).collect::<String>()),
        None => kind(value).to_string(),
    }
}

/// The message of a caught JS exception.
pub(crate) fn js_message(e: &JsValue) -> String {
    if e.is_object()
        && js_sys::Reflect::get_prototype_of(e).is_ok()
        && e.is_instance_of::<js_sys::Error>()
    {
        return match e.unchecked_ref::<Thrown>().message() {
            Ok(m) => m
                .as_string()
                .unwrap_or_else(|| format!("an Error whose message is {}", kind(&m))),
            Err(_) => "an Error whose message cannot be read".to_string(),
        };
    }
    e.as_string()
        .unwrap_or_else(|| format!("a thrown {}", kind(e)))
}

pub(crate) fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text).map_err(|e| error(&format!("internal error: {}", js_message(&e))))
}

/// Sets a parsed rejected decision's `error.kind`, not enumerable: the
/// object keeps the canonical shape (for `JSON.stringify` and deep equality).
pub(crate) fn mark_kind(decision: &JsValue, kind: &JsValue) -> Result<(), JsValue> {
    let error = js_sys::Reflect::get(decision, &JsValue::from_str("error"))?;
    // Without a prototype: nothing inherited changes the descriptor.
    let descriptor = object_create(&JsValue::NULL);
    js_sys::Reflect::set(&descriptor, &JsValue::from_str("value"), kind)?;
    define_property(&error, "kind", &descriptor)
}

/// Reads a JS value as the core's raw input value. `nested`: inside an
/// array (only one level of array is meaningful, as in JSON input).
pub(crate) fn raw(value: &JsValue, nested: bool) -> Raw<'static> {
    if value.is_null() || value.is_undefined() {
        return Raw::Null;
    }
    if let Some(s) = value.as_string() {
        // A lone surrogate comes out of `as_string` as U+FFFD; reject the
        // text as Python does, rather than score a changed value.
        if s.contains('\u{FFFD}')
            && !value
                .unchecked_ref::<Text>()
                .is_well_formed()
                .unwrap_or(true)
        {
            return Raw::Other("a text that is not valid Unicode");
        }
        return Raw::Str(Cow::Owned(s));
    }
    if let Some(b) = value.as_bool() {
        return Raw::Bool(b);
    }
    if let Some(f) = value.as_f64() {
        return Raw::Float(f);
    }
    if value.is_bigint() {
        return match i64::try_from(value.clone()) {
            Ok(i) => Raw::Int(i),
            Err(_) => match u64::try_from(value.clone()) {
                Ok(u) => Raw::UInt(u),
                Err(_) => Raw::Other("a bigint out of range"),
            },
        };
    }
    if value.is_symbol() {
        return Raw::Other("a symbol");
    }
    if value.is_function() {
        return Raw::Other("a function");
    }
    match shape(value) {
        Ok(Shape::Array) if nested => Raw::Other("an array"),
        Ok(Shape::Array) => match array_from(value) {
            Ok(items) => raw_items(&items),
            Err(_) => Raw::Other(UNREADABLE_ARRAY),
        },
        Ok(Shape::Date) => match date_ms(value) {
            Some(ms) if ms.is_finite() => Raw::DateMs(ms as i64),
            Some(_) => Raw::Other("an invalid Date"),
            None => Raw::Other("an unreadable Date"),
        },
        Ok(Shape::Map | Shape::Plain) => Raw::Other("an object"),
        Err(_) => Raw::Other("an unreadable object"),
    }
}

pub(crate) const UNREADABLE_ARRAY: &str = "an unreadable array";

/// An array's items, already read with `Array.from`, as a list.
pub(crate) fn raw_items(items: &Array) -> Raw<'static> {
    Raw::Array(items.iter().map(|item| raw(&item, true)).collect())
}

/// A JS lead, read once.
pub(crate) enum Read {
    /// Its `[key, value]` pairs: a Map's entries, or an object's own
    /// enumerable string keys (what `JSON.stringify` would write).
    Pairs(Array),
    /// Pairs the fast path's JS walk has read in part (`src/fast.js`): a
    /// pair `[key, items, "a"]` holds an array value already read with
    /// `Array.from`, `[key, _, "u"]` one `Array.from` threw on. The walk's
    /// own arrays, so reading them runs no code of the caller.
    #[cfg_attr(not(feature = "batch-json"), allow(dead_code))]
    Walked(Array),
    /// Not a lead: why.
    Reject(LeadErrorKind, String),
}

/// Reads a lead whose shape is known (found here, or by the JS walk).
pub(crate) fn read_shaped(value: &JsValue, shape: Result<Shape, JsValue>) -> Read {
    let pairs = |pairs: Result<Array, JsValue>| match pairs {
        Ok(pairs) => Read::Pairs(pairs),
        Err(e) => unreadable(&e),
    };
    let not_object = |what| {
        Read::Reject(
            LeadErrorKind::NotAnObject,
            format!("expected an object, got {what}"),
        )
    };
    match shape {
        Err(e) => unreadable(&e),
        Ok(Shape::Array) => not_object("an array"),
        Ok(Shape::Date) => not_object("a Date"),
        Ok(Shape::Map) => pairs(array_from(value)),
        Ok(Shape::Plain) => pairs(object_entries(value)),
    }
}

fn unreadable(e: &JsValue) -> Read {
    Read::Reject(
        LeadErrorKind::Unreadable,
        format!("cannot read the lead: {}", js_message(e)),
    )
}

/// Reads one JS value (a plain object or a Map) as a lead.
pub(crate) fn read_lead(value: &JsValue) -> Read {
    if !value.is_object() || value.is_function() {
        return Read::Reject(
            LeadErrorKind::NotAnObject,
            format!("expected an object, got {}", kind(value)),
        );
    }
    read_shaped(value, shape(value))
}

/// The values of keys a caller wants from each lead besides its fields (a
/// report's `by` and `outcome`), caught while the lead is read.
#[derive(Default)]
pub(crate) struct Keep {
    pub(crate) keys: Vec<Option<String>>,
    pub(crate) values: Vec<Option<JsValue>>,
}

/// Sets a read lead's values into `b`. A key that is the name of a field
/// reading another key (`from "…"`), in a lead without a value under that
/// key, gets a console warning, once per agreement.
pub(crate) fn fill(b: &mut LeadBuilder<'_>, read: &Read, shared: &Compiled, keep: &mut Keep) {
    keep.values.clear();
    keep.values.resize(keep.keys.len(), None);
    let pairs = match read {
        Read::Reject(kind, message) => return b.reject(*kind, message.as_str()),
        Read::Pairs(pairs) | Read::Walked(pairs) => pairs,
    };
    let walked = matches!(read, Read::Walked(_));
    let mut misnamed = Vec::new();
    for pair in pairs.iter() {
        // A Map subclass's iterator may yield anything.
        let item = |i| {
            if pair.is_object() {
                js_sys::Reflect::get_u32(&pair, i).ok()
            } else {
                None
            }
        };
        let Some(key) = item(0).and_then(|k| k.as_string()) else {
            continue;
        };
        for (k, v) in keep.keys.iter().zip(&mut keep.values) {
            if k.as_deref() == Some(key.as_str()) {
                *v = item(1);
            }
        }
        let Some(slot) = b.slot(&key) else {
            misnamed.extend(shared.renamed(&key));
            continue;
        };
        let value = item(1).unwrap_or(JsValue::UNDEFINED);
        let tag = if walked {
            item(2).and_then(|t| t.as_string())
        } else {
            None
        };
        b.set(
            slot,
            match tag.as_deref() {
                Some("a") => raw_items(value.unchecked_ref::<Array>()),
                Some("u") => Raw::Other(UNREADABLE_ARRAY),
                _ => raw(&value, false),
            },
        );
    }
    // Rare (a key named like such a field): whether the field's own key has a value.
    let given = |key: &str| {
        pairs.iter().any(|pair| {
            let get = |i| js_sys::Reflect::get_u32(&pair, i).ok();
            pair.is_object()
                && get(0).and_then(|k| k.as_string()).as_deref() == Some(key)
                && get(1).is_some_and(|v| {
                    !v.is_null_or_undefined() && v.as_string().is_none_or(|s| !s.trim().is_empty())
                })
        })
    };
    for slot in misnamed {
        if let Some(field) = shared.core.fields().get(slot as usize) {
            if !given(field.key()) {
                shared.warn_misnamed(field);
            }
        }
    }
}
