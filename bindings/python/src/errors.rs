//! The exceptions raised (their classes are Python's, `leadgate/_errors.py`)
//! and the panic boundary every entry point runs in.

use std::panic::{catch_unwind, AssertUnwindSafe};

use leadgate::{CompileError, MissingColumns, RosterError};
use pyo3::call::PyCallArgs;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pythonize::pythonize;

/// The exception class `name` of `leadgate._errors`, made with `args`.
fn raise<'py>(py: Python<'py>, name: &str, args: impl PyCallArgs<'py>) -> PyErr {
    let made = py
        .import("leadgate._errors")
        .and_then(|m| m.getattr(name)?.call1(args));
    match made {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// `AgreementError`: the core's rendering and the diagnostics with theirs.
pub fn agreement_error(py: Python<'_>, e: &CompileError, file_name: &str) -> PyErr {
    let e = e.clone().with_file_name(file_name);
    let text = e.to_text().trim_end().to_string();
    with_list(py, "AgreementError", text, &e.rendered_diagnostics())
}

/// `LoadError`: compiled bytes that are not an agreement this build loads.
pub fn load_error(py: Python<'_>, e: &leadgate::LoadError) -> PyErr {
    raise(py, "LoadError", (e.to_string(), e.kind()))
}

/// `LeadError` for lead `index` (`id`), rejected for `e`.
pub fn lead_error(
    py: Python<'_>,
    e: &leadgate::LeadError,
    index: usize,
    id: Option<&str>,
) -> PyErr {
    let args = (
        e.to_string(),
        e.kind().as_str(),
        e.field(),
        e.message(),
        index,
        id,
    );
    raise(py, "LeadError", args)
}

/// `MissingColumnsError`: the core's text, then what to do about it.
pub fn missing_columns_error(py: Python<'_>, missing: &MissingColumns, hint: &str) -> PyErr {
    let text = format!("{missing}\n  {hint}");
    with_list(py, "MissingColumnsError", text, &missing.missing)
}

/// `RosterError`: the core's text and its located diagnostics.
pub fn roster_error(py: Python<'_>, e: &RosterError) -> PyErr {
    with_list(py, "RosterError", e.to_string(), e.diagnostics())
}

/// The exception class `name` made with `text` and `list` as Python objects.
fn with_list<T: serde::Serialize + ?Sized>(
    py: Python<'_>,
    name: &str,
    text: String,
    list: &T,
) -> PyErr {
    match pythonize(py, list) {
        Ok(list) => raise(py, name, (text, list)),
        Err(e) => e.into(),
    }
}

/// Imports the optional dependency `module`, or raises the `ImportError`
/// naming the extra that installs it (`leadgate._errors.require`).
pub fn require(py: Python<'_>, module: &str, extra: &str) -> PyResult<()> {
    let errors = py.import("leadgate._errors")?;
    errors.call_method1("require", (module, extra)).map(drop)
}

pub fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// The panic boundary of every entry point that calls into the core: runs
/// `f` and turns a Rust panic inside it (on this thread, with the GIL
/// released, or on a scoring thread, which rayon carries back here) into a
/// `LeadgateError`, an ordinary `Exception`, instead of pyo3's
/// `PanicException` (a `BaseException` that `except Exception` misses).
/// The module keeps working afterwards: an agreement is immutable, so a
/// panic cannot leave one half-changed.
pub fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let text = leadgate::internal_error(payload.as_ref());
        Err(raise(py, "LeadgateError", (text,)))
    })
}
