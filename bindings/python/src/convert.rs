//! Python objects → the core's raw values (dates: `dates.rs`).
//!
//! All coercion (a string `"1200"` for a number, `"yes"` for a bool, …) is
//! the core's: this module only says what kind of value Python handed over.

use std::borrow::Cow;

use leadgate::Raw;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use crate::dates::{date_ms, numpy_datetime, PERIOD};

/// Lists nested deeper than this are not read (a list of lists is an error anyway).
const MAX_DEPTH: u32 = 8;

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.import(py, "decimal", "Decimal")
}

pub(crate) fn on_bad_value(text: &str) -> PyResult<leadgate::OnBadValue> {
    text.parse().map_err(PyValueError::new_err)
}

/// What kind of value one Python object is, for the core's coercion. An
/// object that cannot be read (its methods raise an `Exception`) names what
/// it is, and the core turns that into a lead error for the field; any
/// other `BaseException` raised meanwhile (`KeyboardInterrupt`,
/// `SystemExit`) stops the call: it is the error.
pub(crate) fn to_raw(value: &Bound<'_, PyAny>, depth: u32) -> PyResult<Raw<'static>> {
    match try_raw(value, depth) {
        Ok(raw) => Ok(raw),
        Err(e) => rejects(value.py(), e).map(|_| Raw::Other("a value that could not be read")),
    }
}

/// An exception raised while reading a lead: an `Exception` rejects that
/// lead (`Ok`); any other `BaseException` (`KeyboardInterrupt`,
/// `SystemExit`, `GeneratorExit`) is no fault of the lead and must stop
/// the call (`Err`).
pub(crate) fn rejects(py: Python<'_>, e: PyErr) -> PyResult<PyErr> {
    if e.is_instance_of::<PyException>(py) {
        Ok(e)
    } else {
        Err(e)
    }
}

/// `Some(value)`, `None` for an `Exception`, the error for any other `BaseException`.
fn unless_stopped<T>(py: Python<'_>, result: PyResult<T>) -> PyResult<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) => rejects(py, e).map(|_| None),
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
            items.push(to_raw(&item?, depth + 1)?);
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
    if type_name == "Period" {
        return Ok(Raw::Other(PERIOD));
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
    let py = value.py();
    if let Some(dtype) = unless_stopped(py, value.getattr("dtype"))? {
        let kind = unless_stopped(
            py,
            dtype.getattr("kind").and_then(|k| k.extract::<String>()),
        )?
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
            "M" => return numpy_datetime(value, &dtype),
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
    fn read(value: &Bound<'_, PyAny>, text: &mut String) -> PyResult<Val> {
        if value.is_exact_instance_of::<PyString>() {
            if let Ok(s) = value.cast_exact::<PyString>() {
                return Ok(match s.to_str() {
                    Ok(t) => {
                        let start = text.len();
                        text.push_str(t);
                        Val::Text(start, text.len())
                    }
                    Err(_) => Val::Value(Raw::Other(NOT_UNICODE)),
                });
            }
        } else if value.is_exact_instance_of::<PyFloat>() {
            if let Ok(f) = value.cast_exact::<PyFloat>() {
                return Ok(Val::Value(Raw::Float(f.value())));
            }
        } else if value.is_none() {
            return Ok(Val::Absent);
        } else if value.is_exact_instance_of::<PyBool>() {
            if let Ok(b) = value.cast_exact::<PyBool>() {
                return Ok(Val::Value(Raw::Bool(b.is_true())));
            }
        } else if value.is_exact_instance_of::<PyInt>() {
            return Ok(Val::Value(int_raw(value)));
        }
        Ok(match to_raw(value, 0)? {
            Raw::Null => Val::Absent,
            raw => Val::Value(raw),
        })
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
    /// as the block's next lead. A lead that cannot be read is kept as a
    /// rejected one; the error is a `BaseException` that must stop the call
    /// (see [`rejects`]).
    pub(crate) fn read<'py>(
        &mut self,
        lead: &Bound<'py, PyAny>,
        keys: &mut Keys<'_, 'py>,
    ) -> PyResult<()> {
        let start = self.values.len();
        if let Err(e) = self.read_keys(lead, keys)? {
            self.values.truncate(start);
            self.values.extend(keys.keys.iter().map(|_| Val::Absent));
            self.errors.push((self.leads, e));
        }
        self.leads += 1;
        Ok(())
    }

    /// `Ok(Err(why))` when the lead is rejected.
    fn read_keys<'py>(
        &mut self,
        lead: &Bound<'py, PyAny>,
        keys: &mut Keys<'_, 'py>,
    ) -> PyResult<Result<(), String>> {
        let py = lead.py();
        if let Ok(dict) = lead.cast::<PyDict>() {
            if keys.adopt {
                keys.adopt_from(dict);
            }
            for (key, (name, _)) in keys.lookup.iter().zip(keys.keys) {
                let val = match dict.get_item(key) {
                    Ok(Some(v)) => Val::read(&v, &mut self.text)?,
                    Ok(None) => Val::Absent,
                    Err(e) => return cannot_read(py, name, e),
                };
                self.values.push(val);
            }
            return Ok(Ok(()));
        }
        if lead.is_instance_of::<PyMapping>() {
            for ((key, _), (name, _)) in keys.interned.iter().zip(keys.keys) {
                let val = match lead.get_item(key.bind(py)) {
                    Ok(v) => Val::read(&v, &mut self.text)?,
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => Val::Absent,
                    Err(e) => return cannot_read(py, name, e),
                };
                self.values.push(val);
            }
            return Ok(Ok(()));
        }
        let what = lead
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "an object".into());
        Ok(Err(format!(
            "expected a mapping of field values, got {what}"
        )))
    }
}

/// A lead whose key `name` raised `e` when read: rejected, unless `e`
/// must stop the call.
fn cannot_read(py: Python<'_>, name: &str, e: PyErr) -> PyResult<Result<(), String>> {
    let e = rejects(py, e)?;
    Ok(Err(format!("cannot read key {name:?}: {e}")))
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
