//! The core's funnel report (`leadgate::Report`) of some leads, and its
//! renderings; `leadgate.Report` (Python) wraps it with a title.

use leadgate::Report;
use pyo3::prelude::*;
use pythonize::pythonize;

use crate::agreement::PyAgreement;
use crate::errors::{guard, value_error};

#[pyclass(module = "leadgate._leadgate", name = "_Report")]
pub struct PyReport(pub(crate) Report);

#[pymethods]
impl PyReport {
    /// A report from `to_state`, for the same agreement text.
    #[new]
    fn from_state(agreement: &Bound<'_, PyAgreement>, state: &str) -> PyResult<Self> {
        let report = Report::from_state(&agreement.get().inner, state);
        report.map(PyReport).map_err(|e| value_error(e.to_string()))
    }

    /// (leads, rejected, outcomes known).
    fn counts(&self) -> (u64, u64, u64) {
        let r = &self.0;
        (r.leads(), r.rejected(), r.outcomes_known())
    }

    /// `text`, `html`, `json` (as `leadgate report --format json` prints
    /// it), `canonical` (its canonical JSON, one line) or its `dict`.
    fn render(&self, py: Python<'_>, what: &str, title: &str, top: usize) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let (r, failed) = (&self.0, |e: serde_json::Error| value_error(e.to_string()));
            let text = match what {
                "text" => r.to_text(title, top),
                "html" => r.to_html(title, top),
                "dict" => return Ok(pythonize(py, &r.to_json(title, top))?.unbind()),
                "canonical" => {
                    leadgate::to_canonical_json(&r.to_json(title, top)).map_err(failed)?
                }
                _ => serde_json::to_string_pretty(&r.to_json(title, top)).map_err(failed)?,
            };
            Ok(text.into_pyobject(py)?.into_any().unbind())
        })
    }

    /// Why no lead has an outcome (the core's words), or None.
    fn outcome_error(&self) -> Option<String> {
        self.0.outcome_error()
    }

    /// The exact counts as text (see `Report.to_state`).
    fn to_state(&self) -> String {
        self.0.to_state()
    }

    /// Adds the counts of another report of the same agreement, `by` and `outcome`.
    fn merge(&mut self, other: PyRef<'_, PyReport>) -> PyResult<()> {
        if self.0.merge(&other.0) {
            return Ok(());
        }
        Err(value_error(
            "the reports do not fit: another agreement, `by` or `outcome`",
        ))
    }
}
