//! Stage 4, bind: an input record → a lead as a slot array of typed values.
//! Every front (JSON, CSV, Python, JS, Arrow) hands raw values to the same
//! coercion, so a value means the same thing everywhere.

use std::borrow::Cow;

use crate::compile::Program;
use crate::syntax::ast::FieldType;
use crate::value::{format_number, Text, Value};

/// A raw input value, as a front found it: hosts (Python, JavaScript,
/// Arrow) hand these to a [`LeadBuilder`], so a value means the same thing
/// on every front (see "Reading a lead" in `docs/language.md`).
#[derive(Debug, Clone, PartialEq)]
pub enum Raw<'a> {
    /// No value (`null`, `None`): the field is missing.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A float (NaN and infinities are bad values).
    Float(f64),
    /// A text, trimmed and read by the field's type.
    Str(Cow<'a, str>),
    /// Milliseconds since the Unix epoch (typed dates from Arrow, example literals).
    DateMs(i64),
    /// A list of values (for `list` fields: each must be a text).
    Array(Vec<Raw<'a>>),
    /// Anything else (an object, a map): names what it was, e.g. `"an object"`.
    Other(&'static str),
}

/// A JSON value as a raw input value, borrowing its texts: what the JSON
/// reader reads a lead's values as (an object is [`Raw::Other`]).
impl<'a> From<&'a serde_json::Value> for Raw<'a> {
    fn from(v: &'a serde_json::Value) -> Raw<'a> {
        use serde_json::Value as J;
        match v {
            J::Null => Raw::Null,
            J::Bool(b) => Raw::Bool(*b),
            J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Raw::Int(i),
                (_, Some(u), _) => Raw::UInt(u),
                (_, _, f) => Raw::Float(f.unwrap_or(f64::NAN)),
            },
            J::String(s) => Raw::Str(Cow::Borrowed(s)),
            // As the JSON reader: a list inside a list is no value.
            J::Array(items) => Raw::Array(
                (items.iter())
                    .map(|i| match i {
                        J::Array(_) => Raw::Other("an array"),
                        i => Raw::from(i),
                    })
                    .collect(),
            ),
            J::Object(_) => Raw::Other("an object"),
        }
    }
}

/// What to do with a value that does not fit its field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnBadValue {
    /// Reject the lead with a lead error naming the field (the default).
    #[default]
    Error,
    /// Read the value as missing and list a warning on the decision.
    Missing,
}

impl std::str::FromStr for OnBadValue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "error" => Ok(OnBadValue::Error),
            "missing" => Ok(OnBadValue::Missing),
            other => Err(format!(
                "unknown on_bad_value `{other}`: use `error` or `missing`"
            )),
        }
    }
}

/// Why a lead was rejected: hosts tell errors apart by this, never by the
/// message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeadErrorKind {
    /// The record is not valid JSON (text inputs).
    InvalidJson,
    /// The record is valid but not an object or mapping (an array, a number, null…).
    NotAnObject,
    /// A field's value does not fit its type (`expected a number, got "fifty"`).
    BadValue,
    /// A `required` field is missing.
    MissingRequired,
    /// The record cannot be read at all: not UTF-8, longer than the limit,
    /// a CSV row without a header, or a host value that cannot be inspected.
    Unreadable,
}

impl LeadErrorKind {
    /// The kind as its snake_case name, e.g. `"bad_value"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadErrorKind::InvalidJson => "invalid_json",
            LeadErrorKind::NotAnObject => "not_an_object",
            LeadErrorKind::BadValue => "bad_value",
            LeadErrorKind::MissingRequired => "missing_required",
            LeadErrorKind::Unreadable => "unreadable",
        }
    }
}

/// Why a lead was rejected. A rejected lead keeps its place in a batch, with
/// this error instead of a route.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}{message}", field.as_ref().map(|f| format!("{f}: ")).unwrap_or_default())]
pub struct LeadError {
    field: Option<String>,
    kind: LeadErrorKind,
    message: String,
}

impl LeadError {
    /// An error of `kind` about `field` (a declared field's name), or about
    /// the whole record when `field` is `None`.
    pub fn new(kind: LeadErrorKind, field: Option<String>, message: impl Into<String>) -> Self {
        LeadError {
            field,
            kind,
            message: message.into(),
        }
    }

    /// The declared field's name, or `None` when the record itself is unusable.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What kind of error it is.
    pub fn kind(&self) -> LeadErrorKind {
        self.kind
    }

    /// The message, lower-case, without the field name
    /// (`expected a number, got "fifty"`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// What a [`LeadWarning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeadWarningKind {
    /// A bad value was read as missing (`on_bad_value` = missing).
    ReadAsMissing,
    /// A decaying score's date field is missing, so no decay was applied.
    NoDecay,
}

/// A note on a scored lead (lenient mode, decay without a date).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadWarning {
    pub(crate) field: String,
    pub(crate) kind: LeadWarningKind,
    pub(crate) message: String,
}

impl LeadWarning {
    /// The declared field's name.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What the warning is about.
    pub fn kind(&self) -> LeadWarningKind {
        self.kind
    }

    /// The message, lower-case.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// A lead bound to an agreement's fields, ready to score with
/// [`Agreement::decide`](crate::Agreement::decide). Made by the agreement's
/// binding methods or by a [`LeadBuilder`].
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub(crate) values: Vec<Value>,
    pub(crate) warnings: Vec<LeadWarning>,
    /// The first problem, by field declaration order.
    pub(crate) error: Option<(u32, LeadError)>,
    /// Slots of fields that read another key (`from "…"`), missing, whose
    /// name the record used as a key.
    pub(crate) misnamed: Vec<u32>,
}

impl Lead {
    /// The value bound to a field slot.
    pub(crate) fn value(&self, slot: usize) -> Option<&Value> {
        self.values.get(slot)
    }

    /// Why the lead will be rejected, if it will be.
    pub fn error(&self) -> Option<&LeadError> {
        self.error.as_ref().map(|(_, e)| e)
    }

    /// Rejects a bound lead for a reason of the host's (an arrival time it
    /// cannot read), unless it is rejected already; its `id` is kept.
    pub fn reject(&mut self, error: LeadError) {
        if self.error.is_none() {
            self.error = Some((u32::MAX, error));
        }
    }
}

/// Fills a lead value by value: how hosts (Python dicts, JavaScript objects,
/// Arrow rows) bind their own objects, with the same coercion every front
/// uses. Slots are positions in [`Agreement::fields`](crate::Agreement::fields).
pub struct LeadBuilder<'p> {
    program: &'p Program,
    on_bad: OnBadValue,
    lead: Lead,
    /// Lenient mode: the bad values read as missing, by slot, with their
    /// message (a `required` field among them is rejected with it).
    bad_values: Vec<(u32, String)>,
    /// Slots of renamed fields (`from "…"`) whose name the record used as a key.
    misnamed: Vec<u32>,
}

impl<'p> LeadBuilder<'p> {
    pub(crate) fn new(program: &'p Program, on_bad: OnBadValue) -> Self {
        LeadBuilder {
            program,
            on_bad,
            lead: Lead {
                values: std::iter::repeat_with(|| Value::Missing)
                    .take(program.model.fields.len())
                    .collect(),
                warnings: Vec::new(),
                error: None,
                misnamed: Vec::new(),
            },
            bad_values: Vec::new(),
            misnamed: Vec::new(),
        }
    }

    /// Tells the builder of a key the record has that no field reads (a
    /// host binding a mapping by its keys): when it is the *name* of a field
    /// that reads another key (`from "…"`) and that field stays missing,
    /// [`Agreement::misnamed_keys`](crate::Agreement::misnamed_keys) names
    /// it, for the front to warn. Decisions do not change.
    pub fn unknown_key(&mut self, key: &str) {
        if self.program.renamed.is_empty() {
            return;
        }
        if let Some(&slot) = self.program.renamed.get(key) {
            if !self.misnamed.contains(&slot) {
                self.misnamed.push(slot);
            }
        }
    }

    /// The field slot read from input key `key`, if any.
    #[inline]
    pub fn slot(&self, key: &str) -> Option<u32> {
        self.program.keys.get(key).copied()
    }

    /// Coerces `raw` into the field at `slot`. Later calls for the same slot win.
    pub fn set(&mut self, slot: u32, raw: Raw<'_>) {
        let Some(field) = self.program.model.fields.get(slot as usize) else {
            return;
        };
        match coerce(field.ty, raw) {
            Ok(v) => self.lead.values[slot as usize] = v,
            Err(message) => {
                self.lead.values[slot as usize] = Value::Missing;
                match self.on_bad {
                    OnBadValue::Missing => {
                        self.lead.warnings.push(LeadWarning {
                            field: field.name.clone(),
                            kind: LeadWarningKind::ReadAsMissing,
                            message: format!("{message}; read as missing"),
                        });
                        self.bad_values.push((slot, message));
                    }
                    OnBadValue::Error => self.fail(slot, LeadErrorKind::BadValue, message),
                }
            }
        }
    }

    /// Sets a value by its input key; unknown keys are ignored.
    pub fn set_key(&mut self, key: &str, raw: Raw<'_>) {
        if let Some(slot) = self.slot(key) {
            self.set(slot, raw);
        }
    }

    /// Rejects the whole record (not valid JSON, not an object, …).
    pub fn reject(&mut self, kind: LeadErrorKind, message: impl Into<String>) {
        self.lead.error = Some((0, LeadError::new(kind, None, message)));
    }

    fn fail(&mut self, slot: u32, kind: LeadErrorKind, message: String) {
        let earlier = matches!(&self.lead.error, Some((s, e)) if e.field.is_none() || *s <= slot);
        if !earlier {
            let field = self.program.model.fields[slot as usize].name.clone();
            self.lead.error = Some((slot, LeadError::new(kind, Some(field), message)));
        }
    }

    /// Applies `required`, and returns the bound lead.
    pub fn finish(self) -> Lead {
        self.finish_except(None)
    }

    /// As [`finish`](Self::finish), but the field at `skip` may be missing
    /// (example leads are named by their example, so need no `id`).
    pub(crate) fn finish_except(mut self, skip: Option<u32>) -> Lead {
        for &slot in &self.program.required {
            if Some(slot) != skip && self.lead.values[slot as usize].is_missing() {
                // A required field whose value was bad is rejected for that
                // value, not as missing (and loses its warning).
                let bad = self.bad_values.iter().position(|(s, _)| *s == slot);
                let (kind, message) = match bad {
                    Some(i) => {
                        let (_, message) = self.bad_values.swap_remove(i);
                        let name = &self.program.model.fields[slot as usize].name;
                        self.lead.warnings.retain(|w| {
                            !(w.kind == LeadWarningKind::ReadAsMissing && w.field == *name)
                        });
                        (LeadErrorKind::BadValue, message)
                    }
                    None => (
                        LeadErrorKind::MissingRequired,
                        "required field is missing".to_string(),
                    ),
                };
                self.fail(slot, kind, message);
            }
        }
        // A renamed field keyed by its name, and missing: the front says so.
        let values = &self.lead.values;
        self.misnamed
            .retain(|&slot| values[slot as usize].is_missing());
        self.lead.misnamed = std::mem::take(&mut self.misnamed);
        // Warnings in field declaration order, whatever the input's key or column order.
        if self.lead.warnings.len() > 1 {
            let fields = &self.program.model.fields;
            self.lead.warnings.sort_by_key(|w| {
                fields
                    .iter()
                    .position(|f| f.name == w.field)
                    .unwrap_or(usize::MAX)
            });
        }
        self.lead
    }
}

/// Shows a value in an error message, cut to 60 characters.
pub(crate) fn describe(raw: &Raw<'_>) -> String {
    match raw {
        Raw::Null => "null".into(),
        Raw::Bool(b) => b.to_string(),
        Raw::Int(i) => i.to_string(),
        Raw::UInt(u) => u.to_string(),
        Raw::Float(f) if f.is_finite() => format_number(*f),
        Raw::Float(f) if f.is_nan() => "NaN".into(),
        Raw::Float(f) => {
            if *f > 0.0 {
                "Infinity".into()
            } else {
                "-Infinity".into()
            }
        }
        Raw::Str(s) => {
            let cut: String = s.chars().take(60).collect();
            let more = if s.chars().nth(60).is_some() {
                "…"
            } else {
                ""
            };
            format!(
                "\"{}{more}\"",
                cut.replace('\\', "\\\\").replace('"', "\\\"")
            )
        }
        Raw::DateMs(ms) if date_in_range(*ms as f64 / 1000.0) => "a date".into(),
        Raw::DateMs(_) => "a date more than 100,000 years from 1970".into(),
        Raw::Array(_) => "an array".into(),
        Raw::Other(what) => (*what).to_string(),
    }
}

/// `s.trim()`, without walking the text when it starts and ends with a
/// visible ASCII character (nearly every value).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Whether an instant, in seconds since 1970, is within ±100,000 years of
/// 1970: the range of a date, whichever front read it (a number of seconds,
/// a typed date from Arrow, numpy or a host).
fn date_in_range(secs: f64) -> bool {
    secs.is_finite() && secs.abs() < 3.2e12
}

/// "Reading a lead" (docs/language.md): one raw value → one typed value, or the error message.
pub(crate) fn coerce(ty: FieldType, raw: Raw<'_>) -> Result<Value, String> {
    if matches!(raw, Raw::Null) {
        return Ok(Value::Missing);
    }
    if let Raw::Str(s) = &raw {
        if trim(s).is_empty() {
            return Ok(Value::Missing);
        }
    }
    let bad =
        |expected: &str, raw: &Raw<'_>| Err(format!("expected {expected}, got {}", describe(raw)));
    match ty {
        FieldType::Text => match &raw {
            Raw::Str(s) => Ok(Value::Text(Text::new(trim(s)))),
            Raw::Bool(b) => Ok(Value::Text(Text::new(if *b { "true" } else { "false" }))),
            Raw::Int(i) => Ok(Value::Text(Text::new(&i.to_string()))),
            Raw::UInt(u) => Ok(Value::Text(Text::new(&u.to_string()))),
            Raw::Float(f) if f.is_finite() => Ok(Value::Text(Text::new(&format_number(*f)))),
            _ => bad("a text", &raw),
        },
        FieldType::Number => match &raw {
            Raw::Int(i) => Ok(Value::Number(*i as f64)),
            Raw::UInt(u) => Ok(Value::Number(*u as f64)),
            Raw::Float(f) if f.is_finite() => Ok(Value::Number(*f)),
            Raw::Str(s) => match parse_decimal(trim(s)) {
                Some(v) => Ok(Value::Number(v)),
                None => bad("a number", &raw),
            },
            _ => bad("a number", &raw),
        },
        FieldType::Bool => match &raw {
            Raw::Bool(b) => Ok(Value::Bool(*b)),
            Raw::Int(0) | Raw::UInt(0) => Ok(Value::Bool(false)),
            Raw::Int(1) | Raw::UInt(1) => Ok(Value::Bool(true)),
            Raw::Float(f) if *f == 0.0 => Ok(Value::Bool(false)),
            Raw::Float(f) if *f == 1.0 => Ok(Value::Bool(true)),
            Raw::Str(s) => {
                let s = trim(s);
                let is = |words: [&str; 4]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
                if is(["true", "yes", "y", "1"]) {
                    Ok(Value::Bool(true))
                } else if is(["false", "no", "n", "0"]) {
                    Ok(Value::Bool(false))
                } else {
                    bad("a bool", &raw)
                }
            }
            _ => bad("a bool", &raw),
        },
        FieldType::Date => match &raw {
            Raw::DateMs(ms) if date_in_range(*ms as f64 / 1000.0) => Ok(Value::Date(*ms)),
            Raw::Str(s) => match crate::syntax::parse_date(trim(s)) {
                Some(ms) => Ok(Value::Date(ms)),
                None => bad("a date", &raw),
            },
            Raw::Int(_) | Raw::UInt(_) | Raw::Float(_) => {
                let secs = match raw {
                    Raw::Int(i) => i as f64,
                    Raw::UInt(u) => u as f64,
                    Raw::Float(f) => f,
                    _ => f64::NAN,
                };
                if date_in_range(secs) {
                    Ok(Value::Date((secs * 1000.0).round() as i64))
                } else {
                    bad("a date", &raw)
                }
            }
            _ => bad("a date", &raw),
        },
        FieldType::List => match &raw {
            Raw::Str(s) => {
                let items: Vec<Text> = s
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(Text::new)
                    .collect();
                if items.is_empty() {
                    Ok(Value::Missing)
                } else {
                    Ok(Value::List(items))
                }
            }
            Raw::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match coerce(FieldType::Text, item.clone()) {
                        Ok(Value::Text(t)) => out.push(t),
                        Ok(_) => {}
                        Err(_) => {
                            return Err(format!(
                                "expected a list of texts, got {} in the list",
                                describe(item)
                            ))
                        }
                    }
                }
                Ok(Value::List(out))
            }
            _ => bad("a list", &raw),
        },
    }
}

/// A decimal number as text: `1200`, `-3`, `12.5`, `1e3`; never NaN or infinite.
fn parse_decimal(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let first = body.chars().next()?;
    if !(first.is_ascii_digit() || first == '.') {
        return None;
    }
    parse_f64(s).filter(|v| v.is_finite())
}

/// `s` read as a float, correctly rounded: by std's `str::parse`, or, with
/// the feature compact-floats (the wasm form runtime), by
/// [`decimal::parse`](crate::decimal::parse), which gives the same value
/// for every text without std's table of powers of five.
#[cfg(not(feature = "compact-floats"))]
fn parse_f64(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

#[cfg(feature = "compact-floats")]
fn parse_f64(s: &str) -> Option<f64> {
    crate::decimal::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Raw<'_> {
        Raw::Str(Cow::Borrowed(x))
    }

    #[test]
    fn numbers() {
        assert_eq!(
            coerce(FieldType::Number, s(" 12.5 ")),
            Ok(Value::Number(12.5))
        );
        assert_eq!(
            coerce(FieldType::Number, s("1e3")),
            Ok(Value::Number(1000.0))
        );
        assert_eq!(coerce(FieldType::Number, s("  ")), Ok(Value::Missing));
        assert_eq!(
            coerce(FieldType::Number, s("fifty")),
            Err("expected a number, got \"fifty\"".into())
        );
        assert!(coerce(FieldType::Number, s("NaN")).is_err());
        assert!(coerce(FieldType::Number, s("inf")).is_err());
        assert!(coerce(FieldType::Number, s("1e400")).is_err());
        assert!(coerce(FieldType::Number, Raw::Float(f64::NAN)).is_err());
    }

    #[test]
    fn bools() {
        for t in ["true", " YES ", "y", "1"] {
            assert_eq!(coerce(FieldType::Bool, s(t)), Ok(Value::Bool(true)));
        }
        for f in ["False", "no", "N", "0"] {
            assert_eq!(coerce(FieldType::Bool, s(f)), Ok(Value::Bool(false)));
        }
        assert_eq!(coerce(FieldType::Bool, Raw::Int(1)), Ok(Value::Bool(true)));
        assert!(coerce(FieldType::Bool, Raw::Int(2)).is_err());
    }

    #[test]
    fn texts_lists_dates() {
        assert_eq!(
            coerce(FieldType::Text, Raw::Int(660737)),
            Ok(Value::Text(Text::new("660737")))
        );
        assert_eq!(
            coerce(FieldType::Text, Raw::Other("an object")),
            Err("expected a text, got an object".into())
        );
        assert_eq!(
            coerce(FieldType::List, s(" a ; ;B ")),
            Ok(Value::List(vec![Text::new("a"), Text::new("B")]))
        );
        assert_eq!(coerce(FieldType::List, s(" ; ")), Ok(Value::Missing));
        assert_eq!(
            coerce(FieldType::List, Raw::Array(vec![])),
            Ok(Value::List(vec![]))
        );
        assert_eq!(
            coerce(FieldType::Date, s("1970-01-02")),
            Ok(Value::Date(86_400_000))
        );
        assert_eq!(
            coerce(FieldType::Date, Raw::Int(86_400)),
            Ok(Value::Date(86_400_000))
        );
        let long = "x".repeat(100);
        let err = coerce(FieldType::Number, s(&long))
            .err()
            .unwrap_or_default();
        assert!(err.ends_with("…\""), "{err}");
    }
}

mod csv_input;
mod json;
pub use csv_input::{CsvBinder, CsvRow};
pub(crate) use json::{bind_from, bind_json};
