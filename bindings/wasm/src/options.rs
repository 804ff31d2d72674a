//! The `options` argument, read once per call into the core's `ScoreOptions`.

use js_sys::Array;
use leadgate::{OnBadValue, ScoreOptions, Timestamp};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::{date_ms, error, is_array, js_message, kind, object_entries, shape, show, Shape};

/// The options every scoring call takes.
const COMMON: [&str; 3] = ["asOf", "onBadValue", "explain"];

/// Reads `options`: the scoring options, and the values of the call's own
/// options `extra` (in that order; `undefined` when not given).
pub(crate) fn read_options(
    options: Option<&JsValue>,
    extra: &[&str],
) -> Result<(ScoreOptions, Vec<JsValue>), JsValue> {
    let mut as_of = None;
    let mut on_bad_value = OnBadValue::Error;
    let mut explain = true;
    let mut extras = vec![JsValue::UNDEFINED; extra.len()];
    if let Some(options) = options.filter(|o| !o.is_null_or_undefined()) {
        if !options.is_object() || is_array(options).unwrap_or(true) || options.is_function() {
            return Err(error(&format!(
                "options: expected an object like {{asOf: \"2026-11-23\"}}, got {}",
                kind(options)
            )));
        }
        let entries =
            object_entries(options).map_err(|e| error(&format!("options: {}", js_message(&e))))?;
        for entry in entries.iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            let value = pair.get(1);
            if value.is_undefined() {
                continue;
            }
            match key.as_str() {
                "asOf" => as_of = Some(read_as_of(&value)?),
                "onBadValue" => {
                    on_bad_value = match value.as_string().as_deref() {
                        Some("error") => OnBadValue::Error,
                        Some("missing") => OnBadValue::Missing,
                        _ => {
                            return Err(error(&format!(
                                "onBadValue: expected \"error\" or \"missing\", got {}",
                                show(&value)
                            )))
                        }
                    }
                }
                "explain" => {
                    explain = value.as_bool().ok_or_else(|| {
                        error(&format!(
                            "explain: expected true or false, got {}",
                            show(&value)
                        ))
                    })?
                }
                other => match extra.iter().position(|e| *e == other) {
                    Some(i) => extras[i] = value,
                    None => return Err(unknown(other, extra)),
                },
            }
        }
    }
    let as_of = as_of.unwrap_or_else(|| Timestamp::from_unix_ms(js_sys::Date::now() as i64));
    let opts = ScoreOptions::at(as_of)
        .on_bad_value(on_bad_value)
        .explain(explain);
    Ok((opts, extras))
}

fn unknown(key: &str, extra: &[&str]) -> JsValue {
    let hint = match key {
        "as_of" | "asof" | "date" | "now" => " (did you mean `asOf`?)",
        "on_bad_value" | "onbadvalue" => " (did you mean `onBadValue`?)",
        "allow_missing_columns" => " (did you mean `allowMissingColumns`?)",
        _ => "",
    };
    let mut all: Vec<&str> = COMMON.iter().chain(extra).copied().collect();
    let last = all.pop().unwrap_or_default();
    error(&format!(
        "options: unknown option `{key}`{hint}; the options are {} and {last}",
        all.join(", ")
    ))
}

/// `asOf`: a date text, a `Date`, or milliseconds since the epoch.
fn read_as_of(value: &JsValue) -> Result<Timestamp, JsValue> {
    const LIMIT: f64 = 8.64e15; // the range of a JS Date
    let bad = || {
        error(&format!(
            "asOf: cannot read {} as an instant; use \"YYYY-MM-DD\", an RFC 3339 text, a Date or milliseconds since the epoch",
            show(value)
        ))
    };
    if let Some(s) = value.as_string() {
        return Timestamp::parse(&s).ok_or_else(bad);
    }
    let ms = if let Some(f) = value.as_f64() {
        f
    } else if let Some(ms) = matches!(shape(value), Ok(Shape::Date))
        .then(|| date_ms(value))
        .flatten()
    {
        ms
    } else {
        return Err(bad());
    };
    if ms.is_finite() && ms.abs() <= LIMIT {
        Ok(Timestamp::from_unix_ms(ms.round() as i64))
    } else {
        Err(bad())
    }
}

/// The options as an object `read_options` reads back to the same
/// `ScoreOptions` (for the batch fast path, which reads them once).
#[cfg(feature = "batch-json")]
pub(crate) fn options_object(o: &ScoreOptions) -> Result<JsValue, JsValue> {
    let on_bad = match o.bad_values() {
        OnBadValue::Error => "error",
        OnBadValue::Missing => "missing",
    };
    crate::js::parse_json(&format!(
        "{{\"asOf\":{},\"onBadValue\":\"{on_bad}\",\"explain\":{}}}",
        o.as_of().unix_ms(),
        o.explains()
    ))
}

/// A call's own option that is a text, if given.
#[cfg(feature = "analysis")]
pub(crate) fn text_option(value: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    match value.as_string() {
        Some(s) => Ok(Some(s)),
        None if value.is_undefined() => Ok(None),
        None => Err(error(&format!(
            "{name}: expected a text, got {}",
            show(value)
        ))),
    }
}

/// A call's own option that is a count (a whole number from 0), if given.
#[cfg(feature = "analysis")]
pub(crate) fn count_option(value: &JsValue, name: &str) -> Result<Option<usize>, JsValue> {
    match value.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(Some(n as usize)),
        None if value.is_undefined() => Ok(None),
        _ => Err(error(&format!(
            "{name}: expected a whole number from 0, got {}",
            show(value)
        ))),
    }
}

/// A call's own option that is true or false (default false).
pub(crate) fn flag_option(value: &JsValue, name: &str) -> Result<bool, JsValue> {
    match value.as_bool() {
        Some(b) => Ok(b),
        None if value.is_undefined() => Ok(false),
        None => Err(error(&format!(
            "{name}: expected true or false, got {}",
            show(value)
        ))),
    }
}
