//! Python objects → the core's raw values (dates: `dates.rs`).
//!
//! All coercion (a string `"1200"` for a number, `"yes"` for a bool, …) is
//! the core's: this module only says what kind of value Python handed over.

use std::borrow::Cow;

use leadgate::{OwnedRows, Raw};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};

use leadgate::arrow::PANDAS_PERIOD as PERIOD;

use crate::dates::{date_ms, numpy_datetime};

/// Lists nested deeper than this are not read (a list of lists is an error anyway).
const MAX_DEPTH: u32 = 8;

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.import(py, "decimal", "Decimal")
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

/// A float: NaN is "no value" in Python data (pandas writes a blank cell
/// so), as `None` is; infinities are values (bad ones for every field).
fn float_raw(f: f64) -> Raw<'static> {
    if f.is_nan() {
        Raw::Null
    } else {
        Raw::Float(f)
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
        return Ok(float_raw(f.value()));
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
            "f" => return Ok(float_raw(value.call_method0("__float__")?.extract()?)),
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

/// Reads one Python value of a lead into `block`, with the GIL held. The
/// exact built-in types a lead is usually made of (str, float, None, bool,
/// int) are told apart by one pointer comparison each; anything else
/// (subclasses, numpy scalars, dates, lists, …) takes the general path,
/// [`to_raw`], which gives the same raw value for these types too.
pub(crate) fn push_value(value: &Bound<'_, PyAny>, block: &mut OwnedRows) -> PyResult<()> {
    if value.is_exact_instance_of::<PyString>() {
        if let Ok(s) = value.cast_exact::<PyString>() {
            match s.to_str() {
                Ok(t) => block.push_text(t),
                Err(_) => block.push(Raw::Other(NOT_UNICODE)),
            }
            return Ok(());
        }
    } else if value.is_exact_instance_of::<PyFloat>() {
        if let Ok(f) = value.cast_exact::<PyFloat>() {
            block.push(float_raw(f.value()));
            return Ok(());
        }
    } else if value.is_none() {
        block.push(Raw::Null);
        return Ok(());
    } else if value.is_exact_instance_of::<PyBool>() {
        if let Ok(b) = value.cast_exact::<PyBool>() {
            block.push(Raw::Bool(b.is_true()));
            return Ok(());
        }
    } else if value.is_exact_instance_of::<PyInt>() {
        block.push(int_raw(value));
        return Ok(());
    }
    block.push(to_raw(value, 0)?);
    Ok(())
}
