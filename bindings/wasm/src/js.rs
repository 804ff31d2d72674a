//! JS values into the core. The arguments are read in JS (`src/args.js`,
//! in the glue): the options, arrays, and a lead's `[key, value]` pairs;
//! here the pairs' values go to the core's `LeadBuilder`, the coercion
//! every front uses, without letting a JS exception through (a getter, a
//! proxy or an `instanceof` may throw).

use std::borrow::Cow;

use js_sys::Array;
use leadgate::{LeadBuilder, LeadErrorKind, OnBadValue, Raw, ScoreOptions, Timestamp};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    // The arguments' declared types (types/), as the methods take them.
    #[wasm_bindgen(typescript_type = "LeadInput")]
    pub type LeadInput;
    #[wasm_bindgen(typescript_type = "ReadonlyArray<LeadInput>")]
    pub type Leads;
    #[wasm_bindgen(typescript_type = "ReadonlyArray<string>")]
    pub type Header;
    #[wasm_bindgen(typescript_type = "ReadonlyArray<Row>")]
    pub type Rows;
    #[wasm_bindgen(typescript_type = "RowsOptions")]
    pub type RowsOptions;
    #[wasm_bindgen(typescript_type = "ReportOptions")]
    pub type ReportOptions;
    #[wasm_bindgen(typescript_type = "DiffOptions")]
    pub type DiffOptions;
}

// The scoring options; the node build's take a roster (src/roster.rs).
#[cfg(feature = "rosters")]
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ScoreOptions & RosterOptions")]
    pub type Options;
}
#[cfg(not(feature = "rosters"))]
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "ScoreOptions")]
    pub type Options;
}

#[wasm_bindgen]
extern "C" {
    // src/args.js: each throws the call's clear Error.
    #[wasm_bindgen(catch, js_name = leadgateOptions)]
    fn options(options: &JsValue, extra: &str) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_name = leadgateArray)]
    pub(crate) fn array(value: &JsValue, call: &str, what: &str) -> Result<Array, JsValue>;
    /// A lead's pairs, or "KIND\nMESSAGE" for a value that is no lead.
    #[wasm_bindgen(js_name = leadgateReadLead)]
    pub(crate) fn read_lead(lead: &JsValue) -> JsValue;
    /// A row's cells, or "KIND\nMESSAGE" for a value that is no row.
    #[wasm_bindgen(js_name = leadgateRow)]
    pub(crate) fn read_row(row: &JsValue) -> JsValue;
    /// The value of the last pair of `read` (a lead's pairs) keyed `key`.
    #[wasm_bindgen(js_name = leadgateFind)]
    pub(crate) fn find(read: &JsValue, key: &str) -> JsValue;
    #[wasm_bindgen(js_name = leadgateNamedError)]
    pub(crate) fn named_error(message: &str, name: &str, key: &str, value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = leadgateMarkKind)]
    pub(crate) fn mark_kind(decision: &JsValue, kind: &str);
    #[wasm_bindgen(js_name = leadgateAppend)]
    pub(crate) fn append(out: &JsValue, text: &str, kinds: &Array, lines: bool) -> JsValue;
    /// A value that is an object: its items, its time (a Date), or what it is.
    #[wasm_bindgen(js_name = leadgateObject)]
    fn object(value: &JsValue, nested: bool) -> JsValue;
    #[wasm_bindgen(js_namespace = console)]
    pub(crate) fn warn(message: &str);
    /// A JS string.
    type Text;
    // Throws where String.prototype.isWellFormed is missing (before ES2024).
    #[wasm_bindgen(catch, method, structural, js_name = isWellFormed)]
    fn is_well_formed(this: &Text) -> Result<bool, JsValue>;
}

/// What `leadgateObject` says a value is.
const OBJECTS: [&str; 6] = [
    "an array",
    "an unreadable array",
    "an invalid Date",
    "an unreadable Date",
    "an object",
    "an unreadable object",
];

/// Internal, for `src/args.js`: a date text (`asOf`) as ms since the epoch.
#[wasm_bindgen(js_name = __parseInstant, skip_typescript)]
pub fn parse_instant(text: &str) -> Option<f64> {
    Timestamp::parse(text).map(|t| t.unix_ms() as f64)
}

/// Reads `options`: the scoring options, and the values of the call's own
/// options `extra` (comma-separated; `undefined` when not given).
pub(crate) fn read_options(
    options: Option<&JsValue>,
    extra: &str,
) -> Result<(ScoreOptions, Array), JsValue> {
    let read = self::options(options.unwrap_or(&JsValue::UNDEFINED), extra)?;
    Ok((score_options(&read), read))
}

/// The scoring options `leadgateOptions` read.
pub(crate) fn score_options(read: &Array) -> ScoreOptions {
    let on_bad = match read.get(1).is_truthy() {
        true => OnBadValue::Missing,
        false => OnBadValue::Error,
    };
    let ms = read.get(0).as_f64().unwrap_or_default() as i64;
    ScoreOptions::at(Timestamp::from_unix_ms(ms))
        .on_bad_value(on_bad)
        .explain(read.get(2).is_truthy())
}

/// `out` (the decisions so far) with a piece of the core's
/// `DecisionPieces` appended by `leadgateAppend`: its `text` parsed once
/// (or split into lines), the kinds of its `rejected` decisions set.
pub(crate) fn append_piece(
    out: &JsValue,
    text: &str,
    rejected: &[(u32, String)],
    lines: bool,
) -> JsValue {
    let kinds = (rejected.iter())
        .flat_map(|(at, kind)| [JsValue::from(*at), JsValue::from_str(kind)])
        .collect::<Array>();
    append(out, text, &kinds, lines)
}

pub(crate) fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

pub(crate) fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text).map_err(|_| error("internal error: a JSON text the module wrote"))
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
    let read = object(value, nested);
    if let Some(ms) = read.as_f64() {
        return Raw::DateMs(ms as i64);
    }
    match read.as_string() {
        Some(what) => Raw::Other(
            OBJECTS
                .into_iter()
                .find(|o| *o == what)
                .unwrap_or("an object"),
        ),
        None => Raw::Array(
            read.unchecked_ref::<Array>()
                .iter()
                .map(|item| raw(&item, true))
                .collect(),
        ),
    }
}

/// Rejects the lead of `b` when `read` (what `src/args.js` read) is the
/// text "KIND\nMESSAGE" of a value that is no lead (or row).
pub(crate) fn rejected(b: &mut LeadBuilder<'_>, read: &JsValue) -> bool {
    let Some(reject) = read.as_string() else {
        return false;
    };
    let (kind, message) = reject.split_once('\n').unwrap_or_default();
    let kind = match kind {
        "unreadable" => LeadErrorKind::Unreadable,
        _ => LeadErrorKind::NotAnObject,
    };
    b.reject(kind, message);
    true
}

/// Sets a lead read by `src/args.js` into `b`: its pairs, or why it is no
/// lead.
pub(crate) fn fill(b: &mut LeadBuilder<'_>, read: &JsValue) {
    if rejected(b, read) {
        return;
    }
    for pair in read.unchecked_ref::<Array>().iter() {
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
        let Some(slot) = b.slot(&key) else {
            b.unknown_key(&key);
            continue;
        };
        b.set(slot, raw(&item(1).unwrap_or(JsValue::UNDEFINED), false));
    }
}
