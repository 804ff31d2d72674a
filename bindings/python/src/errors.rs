//! Python exceptions and the compile diagnostics they carry.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use leadgate::{CompileError, Severity};
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
    "A lead was rejected (a value of the wrong type, a required field missing). \
     `.field` names the field (or is None when the record itself is unusable), \
     `.message` says what was wrong, `.index` and `.id` say which lead."
);

/// One finding about an agreement text: an error or a warning.
#[pyclass(
    module = "leadgate",
    name = "Diagnostic",
    frozen,
    get_all,
    skip_from_py_object
)]
#[derive(Clone)]
pub struct PyDiagnostic {
    /// Stable code: `E0001`… for errors, `W0001`… for warnings.
    pub code: String,
    /// `"error"` or `"warning"`.
    pub severity: String,
    pub message: String,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
    /// A suggestion ("did you mean `title`?"), or None.
    pub help: Option<String>,
    /// The diagnostic as a compiler shows it: the source line and a caret.
    pub rendered: String,
}

#[pymethods]
impl PyDiagnostic {
    fn __repr__(&self) -> String {
        format!(
            "Diagnostic(code={:?}, severity={:?}, line={}, column={}, message={:?})",
            self.code, self.severity, self.line, self.column, self.message
        )
    }

    fn __str__(&self) -> String {
        self.rendered.clone()
    }
}

impl PyDiagnostic {
    pub fn new(d: &leadgate::Diagnostic, source: &str, file_name: &str) -> Self {
        PyDiagnostic {
            code: d.code.to_string(),
            severity: match d.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            message: d.message.clone(),
            line: d.line,
            column: d.column,
            help: d.help.clone(),
            rendered: d.render(source, file_name),
        }
    }
}

/// `AgreementError` with `.diagnostics` set.
pub fn agreement_error(py: Python<'_>, e: &CompileError, source: &str, file_name: &str) -> PyErr {
    let err = AgreementError::new_err(e.render(source, file_name).trim_end().to_string());
    let diagnostics: Vec<PyDiagnostic> = e
        .diagnostics
        .iter()
        .map(|d| PyDiagnostic::new(d, source, file_name))
        .collect();
    let set =
        PyList::new(py, diagnostics).and_then(|list| err.value(py).setattr("diagnostics", list));
    match set {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// `LeadError` with `.field`, `.message`, `.index` and `.id` set.
pub fn lead_error(
    py: Python<'_>,
    e: &leadgate::LeadError,
    index: usize,
    id: Option<&str>,
) -> PyErr {
    let err = LeadError::new_err(e.to_string());
    let value = err.value(py);
    let set = value
        .setattr("field", e.field.as_deref())
        .and_then(|()| value.setattr("message", e.message.as_str()))
        .and_then(|()| value.setattr("index", index))
        .and_then(|()| value.setattr("id", id));
    match set {
        Ok(()) => err,
        Err(e) => e,
    }
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
