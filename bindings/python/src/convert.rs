//! Python objects → the core's raw values, and `as_of` → milliseconds.
//!
//! All coercion (a string `"1200"` for a number, `"yes"` for a bool, …) is
//! the core's: this module only says what kind of value Python handed over.

use std::borrow::Cow;

use leadgate::Raw;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

/// Lists nested deeper than this are not read (a list of lists is an error anyway).
const MAX_DEPTH: u32 = 8;

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    module: &str,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.import(py, module, name)
}

fn datetime_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    class(py, &T, "datetime", "datetime")
}

fn date_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    class(py, &T, "datetime", "date")
}

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    class(py, &T, "decimal", "Decimal")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn int_attr(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    obj.getattr(name)?.extract::<i64>()
}

/// A `datetime.date` or `datetime.datetime` as milliseconds since the epoch.
/// Naive datetimes are read as UTC; aware ones use their offset. `None`
/// when `obj` is neither.
fn date_ms(obj: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    let py = obj.py();
    if !obj.is_instance(date_class(py)?)? {
        return Ok(None);
    }
    let days = days_from_civil(
        int_attr(obj, "year")?,
        int_attr(obj, "month")?,
        int_attr(obj, "day")?,
    );
    let mut ms = days * 86_400_000;
    if obj.is_instance(datetime_class(py)?)? {
        ms += int_attr(obj, "hour")? * 3_600_000
            + int_attr(obj, "minute")? * 60_000
            + int_attr(obj, "second")? * 1000
            + int_attr(obj, "microsecond")?.div_euclid(1000);
        let offset = obj.call_method0("utcoffset")?;
        if !offset.is_none() {
            let offset_ms = int_attr(&offset, "days")? * 86_400_000
                + int_attr(&offset, "seconds")? * 1000
                + int_attr(&offset, "microseconds")?.div_euclid(1000);
            ms -= offset_ms;
        }
    }
    Ok(Some(ms))
}

/// The evaluation instant: `None` (now), a `str` (`2026-11-23` or RFC 3339),
/// or a `datetime.date` / `datetime.datetime`.
pub(crate) fn as_of_ms(as_of: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    let Some(value) = as_of.filter(|v| !v.is_none()) else {
        return Ok(leadgate::now_ms());
    };
    if let Ok(s) = value.cast::<PyString>() {
        let text = s.to_cow()?;
        return leadgate::parse_instant(&text).ok_or_else(|| {
            PyValueError::new_err(format!(
                "as_of: expected a date like 2026-11-23 or an RFC 3339 instant, got {text:?}"
            ))
        });
    }
    match date_ms(value)? {
        Some(ms) => Ok(ms),
        None => Err(PyTypeError::new_err(format!(
            "as_of: expected None, a str, or a datetime.date/datetime, got {}",
            value.get_type().name()?
        ))),
    }
}

pub(crate) fn on_bad_value(text: &str) -> PyResult<leadgate::OnBadValue> {
    text.parse().map_err(PyValueError::new_err)
}

/// What kind of value one Python object is, for the core's coercion.
/// Never fails: an object that cannot be read names what it is, and the core
/// turns that into a lead error for the field.
pub(crate) fn to_raw(value: &Bound<'_, PyAny>, depth: u32) -> Raw<'static> {
    match try_raw(value, depth) {
        Ok(raw) => raw,
        Err(_) => Raw::Other("a value that could not be read"),
    }
}

/// A Python `int` as a raw value.
fn int_raw(value: &Bound<'_, PyAny>) -> Raw<'static> {
    if let Ok(i) = value.extract::<i64>() {
        return Raw::Int(i);
    }
    if let Ok(u) = value.extract::<u64>() {
        return Raw::UInt(u);
    }
    // Beyond 64 bits: read as the nearest float, as the JSON front does.
    match value.extract::<f64>() {
        Ok(f) => Raw::Float(f),
        Err(_) => {
            let negative = value.lt(0).unwrap_or(false);
            Raw::Float(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
    }
}

fn try_raw(value: &Bound<'_, PyAny>, depth: u32) -> PyResult<Raw<'static>> {
    // The common types first. Only `bool` and `int` overlap (`True` is an
    // `int`), so bool is asked before int; str and float cannot be
    // subclassed together with either, so their order does not matter.
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(match s.to_cow() {
            Ok(text) => Raw::Str(Cow::Owned(text.into_owned())),
            Err(_) => Raw::Other(NOT_UNICODE),
        });
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return Ok(Raw::Float(f.value()));
    }
    if value.is_none() {
        return Ok(Raw::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Raw::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(int_raw(value));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        if depth >= MAX_DEPTH {
            return Ok(Raw::Other("an array"));
        }
        let mut items = Vec::new();
        for item in value.try_iter()? {
            items.push(to_raw(&item?, depth + 1));
        }
        return Ok(Raw::Array(items));
    }
    let ty = value.get_type();
    let type_name = ty.name()?.to_cow()?.into_owned();
    // pandas.NA, pandas.NaT (a datetime subclass): explicit "no value" markers.
    if type_name == "NAType" || type_name == "NaTType" {
        return Ok(Raw::Null);
    }
    if let Some(ms) = date_ms(value)? {
        return Ok(Raw::DateMs(ms));
    }
    if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyMapping>() {
        return Ok(Raw::Other("an object"));
    }
    if value.is_instance(decimal_class(value.py())?)? {
        let text = value.str()?.to_cow()?.into_owned();
        return Ok(Raw::Str(Cow::Owned(text)));
    }
    // numpy scalars (np.int64, np.bool_, np.float32, np.datetime64; np.str_
    // is a str and np.float64 a float, read above).
    if let Ok(dtype) = value.getattr("dtype") {
        let kind = dtype
            .getattr("kind")
            .and_then(|k| k.extract::<String>())
            .unwrap_or_default();
        match kind.as_str() {
            "b" => return Ok(Raw::Bool(value.is_truthy()?)),
            "i" | "u" => {
                let int = value.call_method0("__index__")?;
                return try_raw(&int, depth);
            }
            "f" => {
                let f: f64 = value.call_method0("__float__")?.extract()?;
                return Ok(Raw::Float(f));
            }
            "M" => {
                // numpy.datetime64: NaT is missing, else milliseconds.
                let ms = value.call_method1("astype", ("datetime64[ms]",))?;
                let ms = ms.call_method1("astype", ("int64",))?;
                let ms: i64 = ms.call_method0("__index__")?.extract()?;
                if ms == i64::MIN {
                    return Ok(Raw::Null);
                }
                return Ok(Raw::DateMs(ms));
            }
            _ => {}
        }
    }
    if type_name == "bytes" || type_name == "bytearray" {
        return Ok(Raw::Other("bytes"));
    }
    Ok(Raw::Other("a value of an unsupported type"))
}

const NOT_UNICODE: &str = "a text that is not valid Unicode";

/// One value of a lead as read with the GIL held. Texts are copied, back
/// to back, into the text buffer of their [`Block`] (a `memcpy`, no
/// allocation per text), so that a block owns everything its leads hold and
/// can be bound on any thread.
pub(crate) enum Val {
    /// The key is absent or its value is None: nothing to set.
    Absent,
    /// A text: its byte range in the block's text buffer.
    Text(usize, usize),
    Value(Raw<'static>),
}

impl Val {
    /// Reads one Python value. The exact built-in types a lead is usually
    /// made of (str, float, None, bool, int) are told apart by one pointer
    /// comparison each; anything else (subclasses, numpy scalars, dates,
    /// lists, …) takes the general path, [`to_raw`], which gives the same
    /// raw value for these types too.
    fn read(value: &Bound<'_, PyAny>, text: &mut String) -> Val {
        if value.is_exact_instance_of::<PyString>() {
            if let Ok(s) = value.cast_exact::<PyString>() {
                return match s.to_str() {
                    Ok(t) => {
                        let start = text.len();
                        text.push_str(t);
                        Val::Text(start, text.len())
                    }
                    Err(_) => Val::Value(Raw::Other(NOT_UNICODE)),
                };
            }
        } else if value.is_exact_instance_of::<PyFloat>() {
            if let Ok(f) = value.cast_exact::<PyFloat>() {
                return Val::Value(Raw::Float(f.value()));
            }
        } else if value.is_none() {
            return Val::Absent;
        } else if value.is_exact_instance_of::<PyBool>() {
            if let Ok(b) = value.cast_exact::<PyBool>() {
                return Val::Value(Raw::Bool(b.is_true()));
            }
        } else if value.is_exact_instance_of::<PyInt>() {
            return Val::Value(int_raw(value));
        }
        match to_raw(value, 0) {
            Raw::Null => Val::Absent,
            raw => Val::Value(raw),
        }
    }

    /// The raw value, borrowing a text from `text`, the block's text buffer.
    pub(crate) fn raw<'a>(&'a self, text: &'a str) -> Raw<'a> {
        match self {
            Val::Absent => Raw::Null,
            Val::Text(start, end) => Raw::Str(Cow::Borrowed(text.get(*start..*end).unwrap_or(""))),
            Val::Value(raw) => borrow(raw),
        }
    }
}

/// Leads read from Python objects: one [`Val`] per agreement key and lead,
/// their texts, and the leads whose record itself was unusable. Owns all of
/// it (no Python object), so it is `Send`.
pub(crate) struct Block {
    /// The index of the block's first lead in its batch.
    pub(crate) first: usize,
    pub(crate) leads: usize,
    pub(crate) values: Vec<Val>,
    pub(crate) text: String,
    /// (position in the block, why the record is unusable).
    pub(crate) errors: Vec<(usize, String)>,
}

impl Block {
    pub(crate) fn new(first: usize) -> Self {
        Block {
            first,
            leads: 0,
            values: Vec::new(),
            text: String::new(),
            errors: Vec::new(),
        }
    }

    /// Empties the block (keeping its buffers) to read leads from `first` on.
    pub(crate) fn clear(&mut self, first: usize) {
        self.first = first;
        self.leads = 0;
        self.values.clear();
        self.text.clear();
        self.errors.clear();
    }

    /// Reads the agreement's keys from `lead` (a `dict` or any `Mapping`)
    /// as the block's next lead.
    pub(crate) fn read<'py>(&mut self, lead: &Bound<'py, PyAny>, keys: &mut Keys<'_, 'py>) {
        let start = self.values.len();
        if let Err(e) = self.read_keys(lead, keys) {
            self.values.truncate(start);
            self.values.extend(keys.keys.iter().map(|_| Val::Absent));
            self.errors.push((self.leads, e));
        }
        self.leads += 1;
    }

    fn read_keys<'py>(
        &mut self,
        lead: &Bound<'py, PyAny>,
        keys: &mut Keys<'_, 'py>,
    ) -> Result<(), String> {
        let py = lead.py();
        if let Ok(dict) = lead.cast::<PyDict>() {
            if keys.adopt {
                keys.adopt_from(dict);
            }
            for (key, (name, _)) in keys.lookup.iter().zip(keys.keys) {
                let val = match dict.get_item(key) {
                    Ok(Some(v)) => Val::read(&v, &mut self.text),
                    Ok(None) => Val::Absent,
                    Err(e) => return Err(format!("cannot read key {name:?}: {e}")),
                };
                self.values.push(val);
            }
            return Ok(());
        }
        if lead.is_instance_of::<PyMapping>() {
            for ((key, _), (name, _)) in keys.interned.iter().zip(keys.keys) {
                let val = match lead.get_item(key.bind(py)) {
                    Ok(v) => Val::read(&v, &mut self.text),
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => Val::Absent,
                    Err(e) => return Err(format!("cannot read key {name:?}: {e}")),
                };
                self.values.push(val);
            }
            return Ok(());
        }
        let what = lead
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "an object".into());
        Err(format!("expected a mapping of field values, got {what}"))
    }
}

/// An input key as an interned Python string (its hash is computed once),
/// and the field slot it fills.
pub(crate) type PyKey = (Py<PyString>, u32);

/// The key objects a batch looks leads up with.
///
/// A dict lookup first compares key objects by identity and only then by
/// value; the leads of a batch usually share their key objects (one
/// `csv.DictReader` header, one `json.load`, the constants of a dict
/// display), so looking up with the dict's own key objects skips a string
/// comparison per key. The lookups are the same: an exact `str` key equal
/// to the agreement's key has its hash and compares equal to it.
pub(crate) struct Keys<'a, 'py> {
    /// The agreement's keys and field slots, in order.
    keys: &'a [(String, u32)],
    /// The same keys as interned Python strings (for a `Mapping`).
    interned: &'a [PyKey],
    /// The key objects dicts are looked up with, one per key.
    lookup: Vec<Bound<'py, PyAny>>,
    /// Whether to take the key objects of the next dict read.
    pub(crate) adopt: bool,
}

impl<'a, 'py> Keys<'a, 'py> {
    pub(crate) fn new(py: Python<'py>, keys: &'a [(String, u32)], interned: &'a [PyKey]) -> Self {
        Keys {
            keys,
            interned,
            lookup: interned
                .iter()
                .map(|(k, _)| k.bind(py).clone().into_any())
                .collect(),
            adopt: true,
        }
    }

    /// Takes `dict`'s key objects that are exact `str`s equal to a key.
    /// Runs no Python code, so the dict cannot change meanwhile.
    fn adopt_from(&mut self, dict: &Bound<'py, PyDict>) {
        self.adopt = false;
        for (key, _) in dict.iter() {
            if !key.is_exact_instance_of::<PyString>() {
                continue;
            }
            let Some(text) = key
                .cast_exact::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok())
            else {
                continue;
            };
            for ((name, _), lookup) in self.keys.iter().zip(self.lookup.iter_mut()) {
                if name == text {
                    *lookup = key.clone();
                }
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

/// A raw value borrowing from an owned one (no string copies while binding).
pub(crate) fn borrow<'a>(raw: &'a Raw<'_>) -> Raw<'a> {
    match raw {
        Raw::Null => Raw::Null,
        Raw::Bool(b) => Raw::Bool(*b),
        Raw::Int(i) => Raw::Int(*i),
        Raw::UInt(u) => Raw::UInt(*u),
        Raw::Float(f) => Raw::Float(*f),
        Raw::Str(s) => Raw::Str(Cow::Borrowed(s.as_ref())),
        Raw::DateMs(ms) => Raw::DateMs(*ms),
        Raw::Array(items) => Raw::Array(items.iter().map(borrow).collect()),
        Raw::Other(what) => Raw::Other(what),
    }
}

#[cfg(test)]
mod tests {
    use super::days_from_civil;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1970, 1, 2), 1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2026, 11, 23), 20_780);
    }
}
