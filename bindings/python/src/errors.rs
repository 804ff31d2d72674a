//! Python exceptions, the compile diagnostics they carry, and the panic
//! boundary every entry point runs in.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use leadgate::{CompileError, LeadErrorKind, MissingColumns};
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyList;

pyo3::create_exception!(
    leadgate,
    LeadgateError,
    PyException,
    "Base class of the errors leadgate raises."
);
pyo3::create_exception!(
    leadgate,
    AgreementError,
    LeadgateError,
    "The agreement text does not compile. `.diagnostics` lists every finding \
     (code, message, line, column); `str()` shows each with its source line and a caret."
);
pyo3::create_exception!(
    leadgate,
    LeadError,
    LeadgateError,
    "A lead was rejected. `.kind` says why (`bad_value`, `missing_required`, \
     `not_an_object`, `unreadable`, `invalid_json`), `.field` names the field (None \
     when the record itself is unusable), `.message` says what was wrong, `.index` \
     and `.id` say which lead."
);
pyo3::create_exception!(
    leadgate,
    MissingColumnsError,
    LeadgateError,
    "Column-wise input (Arrow, pandas, polars, Spark) has no column for some \
     declared fields. `.missing` lists them: `{\"field\", \"key\", \"suggestion\"}`."
);

/// One finding about an agreement text: an error or a warning.
#[pyclass(
    module = "leadgate",
    name = "Diagnostic",
    frozen,
    get_all,
    skip_from_py_object
)]
pub struct PyDiagnostic {
    /// Stable code: `E0001`… for errors, `W0001`… for warnings.
    code: &'static str,
    /// `"error"` or `"warning"`.
    severity: &'static str,
    message: String,
    /// 1-based line of the span's start.
    line: usize,
    /// 1-based column (in characters) of the span's start.
    column: usize,
    /// A suggestion ("did you mean `title`?"), or None.
    help: Option<String>,
    /// The diagnostic as a compiler shows it: the source line and a caret.
    rendered: String,
}

#[pymethods]
impl PyDiagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(code={:?}, severity={:?}, line={}, column={}, message={:?})",
            self.code, self.severity, self.line, self.column, self.message
        )
    }

    fn __str__(&self) -> &str {
        &self.rendered
    }
}

impl PyDiagnostic {
    pub fn new(d: &leadgate::Diagnostic, source: &str, file_name: &str) -> Self {
        PyDiagnostic {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: d.message.clone(),
            line: d.line,
            column: d.column,
            help: d.help.clone(),
            rendered: d.render(source, file_name),
        }
    }
}

/// Sets attributes on an exception's value; a failure to set one is the error.
fn with_attrs<'py>(
    py: Python<'py>,
    err: PyErr,
    set: impl FnOnce(&Bound<'py, PyAny>) -> PyResult<()>,
) -> PyErr {
    match set(err.value(py).as_any()) {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// `AgreementError` with `.diagnostics` set: `source` is the text the
/// diagnostics point into.
pub fn agreement_error(py: Python<'_>, e: &CompileError, source: &str, file_name: &str) -> PyErr {
    let e = e.clone().with_file_name(file_name);
    let err = AgreementError::new_err(e.render().trim_end().to_string());
    let diagnostics = e
        .diagnostics()
        .iter()
        .map(|d| PyDiagnostic::new(d, source, file_name));
    with_attrs(py, err, |v| {
        v.setattr("diagnostics", PyList::new(py, diagnostics)?)
    })
}

/// `LeadError` with `.kind`, `.field`, `.message`, `.index` and `.id` set.
pub fn lead_error(
    py: Python<'_>,
    e: &leadgate::LeadError,
    index: usize,
    id: Option<&str>,
) -> PyErr {
    with_attrs(py, LeadError::new_err(e.to_string()), |v| {
        v.setattr("kind", e.kind().as_str())?;
        v.setattr("field", e.field())?;
        v.setattr("message", e.message())?;
        v.setattr("index", index)?;
        v.setattr("id", id)
    })
}

/// The kind named by [`LeadErrorKind::as_str`] (for decisions read back from a pickle).
pub fn lead_error_kind(name: &str) -> PyResult<LeadErrorKind> {
    [
        LeadErrorKind::InvalidJson,
        LeadErrorKind::NotAnObject,
        LeadErrorKind::BadValue,
        LeadErrorKind::MissingRequired,
        LeadErrorKind::Unreadable,
    ]
    .into_iter()
    .find(|k| k.as_str() == name)
    .ok_or_else(|| value_error(format!("unknown lead error kind {name:?}")))
}

/// `MissingColumnsError` with `.missing` set.
pub fn missing_columns_error(py: Python<'_>, missing: &MissingColumns, hint: &str) -> PyErr {
    let err = MissingColumnsError::new_err(format!("{missing}\n  {hint}"));
    with_attrs(py, err, |v| {
        v.setattr("missing", pythonize::pythonize(py, &missing.missing)?)
    })
}

pub fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

/// The text of a panic's payload (`panic!("…")` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "a panic without a message"
    }
}

/// The panic boundary of every entry point that calls into the core: runs
/// `f` and turns a Rust panic inside it (on this thread, with the GIL
/// released, or on a scoring thread, which rayon carries back here) into a
/// `LeadgateError`, an ordinary `Exception`, instead of pyo3's
/// `PanicException` (a `BaseException` that `except Exception` misses).
/// The module keeps working afterwards: an agreement is immutable, so a
/// panic cannot leave one half-changed.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let message = panic_message(payload.as_ref());
            Err(LeadgateError::new_err(format!(
                "internal error in leadgate: {message} (this is a bug in leadgate; please report it)"
            )))
        }
    }
}
