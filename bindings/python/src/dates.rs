//! Dates and times from Python: `datetime.date` / `datetime.datetime`
//! (pandas' `Timestamp` is one), `numpy.datetime64` of any unit, and
//! `as_of`, as milliseconds since the epoch; and pandas' `Period`, which is
//! not an instant. An instant beyond the range of a date reads as one far
//! beyond it, never wrapped round to a near one: the core rejects it.

use leadgate::{Raw, Timestamp};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyString, PyType};

fn datetime_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.import(py, "datetime", "datetime")
}

fn date_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.import(py, "datetime", "date")
}

fn int_attr(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<i64> {
    obj.getattr(name)?.extract::<i64>()
}

/// A `datetime.date` or `datetime.datetime` as milliseconds since the epoch.
/// Naive datetimes are read as UTC; aware ones use their offset. `None`
/// when `obj` is neither.
pub(crate) fn date_ms(obj: &Bound<'_, PyAny>) -> PyResult<Option<i64>> {
    let py = obj.py();
    if !obj.is_instance(date_class(py)?)? {
        return Ok(None);
    }
    let [year, month, day] = ["year", "month", "day"].map(|a| int_attr(obj, a));
    // Saturating: a pandas.Timestamp can be 300 million years away, and the
    // core rejects a date that far (it must not wrap round to a near one).
    let mut ms = Timestamp::from_date(year?, month?, day?).unix_ms();
    if obj.is_instance(datetime_class(py)?)? {
        ms = ms.saturating_add(
            int_attr(obj, "hour")? * 3_600_000
                + int_attr(obj, "minute")? * 60_000
                + int_attr(obj, "second")? * 1000
                + int_attr(obj, "microsecond")?.div_euclid(1000),
        );
        let offset = obj.call_method0("utcoffset")?;
        if !offset.is_none() {
            let offset_ms = int_attr(&offset, "days")? * 86_400_000
                + int_attr(&offset, "seconds")? * 1000
                + int_attr(&offset, "microseconds")?.div_euclid(1000);
            ms = ms.saturating_sub(offset_ms);
        }
    }
    Ok(Some(ms))
}

/// The evaluation instant: `None` (now), a `str` (`2026-11-23` or RFC 3339),
/// or a `datetime.date` / `datetime.datetime`.
pub(crate) fn as_of(as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Timestamp>> {
    let Some(value) = as_of.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = value.cast::<PyString>() {
        let text = s.to_cow()?;
        return match Timestamp::parse(&text) {
            Some(t) => Ok(Some(t)),
            None => Err(PyValueError::new_err(format!(
                "as_of: expected a date like 2026-11-23 or an RFC 3339 instant, got {text:?}"
            ))),
        };
    }
    match date_ms(value)? {
        Some(ms) => Ok(Some(Timestamp::from_unix_ms(ms))),
        None => Err(PyTypeError::new_err(format!(
            "as_of: expected None, a str, or a datetime.date/datetime, got {}",
            value.get_type().name()?
        ))),
    }
}

/// Seconds in one step of a numpy datetime unit (months and years on average).
fn numpy_unit_seconds(unit: &str) -> f64 {
    match unit {
        "Y" => 31_556_952.0,
        "M" => 2_629_746.0,
        "W" => 604_800.0,
        "D" => 86_400.0,
        "h" => 3600.0,
        "m" => 60.0,
        "s" => 1.0,
        "ms" => 1e-3,
        "us" => 1e-6,
        "ns" => 1e-9,
        "ps" => 1e-12,
        "fs" => 1e-15,
        "as" => 1e-18,
        _ => 0.0,
    }
}

/// A `numpy.datetime64` (of any unit): NaT is missing, else milliseconds.
/// numpy wraps round when it converts an instant too far away for
/// milliseconds to hold (`datetime64(10**16, 's')` would read as the year
/// -290,000,000), so such an instant is read from its own unit instead, as
/// an instant far beyond the range the core accepts.
pub(crate) fn numpy_datetime(
    value: &Bound<'_, PyAny>,
    dtype: &Bound<'_, PyAny>,
) -> PyResult<Raw<'static>> {
    let py = value.py();
    let steps: i64 = value
        .call_method1("astype", ("int64",))?
        .call_method0("__index__")?
        .extract()?;
    if steps == i64::MIN {
        return Ok(Raw::Null);
    }
    static DATETIME_DATA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let (unit, count): (String, i64) = DATETIME_DATA
        .import(py, "numpy", "datetime_data")?
        .call1((dtype,))?
        .extract()?;
    let seconds = steps as f64 * count as f64 * numpy_unit_seconds(&unit);
    // Far outside the core's ±100,000 years (3.2e12 s), well inside i64 ms.
    if seconds.abs() > 1e14 {
        return Ok(Raw::DateMs((seconds * 1000.0) as i64));
    }
    let ms = value.call_method1("astype", ("datetime64[ms]",))?;
    let ms = ms.call_method1("astype", ("int64",))?;
    Ok(Raw::DateMs(ms.call_method0("__index__")?.extract()?))
}
