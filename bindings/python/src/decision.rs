//! `Decision`: one lead's outcome, read from the core's typed decision, and
//! its canonical JSON. A decision pickles as its agreement and its values;
//! read back, it answers the same (it no longer holds a core decision).

use leadgate::{Decision, LeadError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use pyo3::IntoPyObjectExt;
use pythonize::pythonize;

use crate::agreement::PyAgreement;
use crate::errors::{guard, lead_error, lead_error_kind};

/// The attributes a pickled decision keeps, beside its canonical JSON.
const KEPT: [&str; 15] = [
    "index",
    "id",
    "route",
    "queue",
    "rule",
    "follow_up_within_s",
    "scores",
    "potentials",
    "total",
    "grades",
    "fired",
    "unknown",
    "undecided",
    "warnings",
    "kind",
];

enum Held {
    /// Made by scoring.
    Live(Box<Decision>),
    /// Read back from a pickle: the attributes (as [`KEPT`] names them) and `json`.
    Stored(Py<PyDict>),
}

/// One lead's decision: where it goes and why, or why it was rejected.
///
/// A rejected lead (`ok` is False) has `error` set and None for `route`,
/// `scores` and the other outcome attributes.
#[pyclass(module = "leadgate", name = "Decision", frozen, skip_from_py_object)]
pub struct PyDecision {
    agreement: Py<PyAgreement>,
    held: Held,
}

impl PyDecision {
    pub fn new(agreement: Py<PyAgreement>, decision: Decision) -> Self {
        PyDecision {
            agreement,
            held: Held::Live(Box::new(decision)),
        }
    }

    /// The attribute `name`: from the decision, or as pickled.
    fn get<'py, T: IntoPyObject<'py>>(
        &self,
        py: Python<'py>,
        name: &str,
        live: impl FnOnce(&Decision) -> PyResult<T>,
    ) -> PyResult<Py<PyAny>> {
        match &self.held {
            Held::Live(d) => live(d)?.into_py_any(py),
            Held::Stored(state) => match state.bind(py).get_item(name)? {
                Some(v) => Ok(deep_copy(&v)?.unbind()),
                None => Ok(py.None()),
            },
        }
    }

    /// An outcome attribute: None for a rejected lead.
    fn outcome<'py, T: IntoPyObject<'py>>(
        &self,
        py: Python<'py>,
        name: &str,
        live: impl FnOnce(&Decision) -> PyResult<T>,
    ) -> PyResult<Py<PyAny>> {
        self.get(py, name, |d| d.is_scored().then(|| live(d)).transpose())
    }

    fn lead_error(&self, py: Python<'_>) -> PyResult<Option<LeadError>> {
        match &self.held {
            Held::Live(d) => Ok(d.error().cloned()),
            Held::Stored(state) => {
                let state = state.bind(py);
                let Some(kind) = state.get_item("kind")?.filter(|k| !k.is_none()) else {
                    return Ok(None);
                };
                let error = self.to_dict(py)?.get_item("error")?;
                Ok(Some(LeadError::new(
                    lead_error_kind(&kind.extract::<String>()?)?,
                    error.get_item("field")?.extract()?,
                    error.get_item("message")?.extract::<String>()?,
                )))
            }
        }
    }
}

fn deep_copy<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    static DEEPCOPY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    DEEPCOPY
        .import(value.py(), "copy", "deepcopy")?
        .call1((value,))
}

/// A decision from its pickle (see `Decision.__reduce__`).
#[pyfunction(name = "_decision")]
pub fn from_pickle(agreement: Py<PyAgreement>, state: Py<PyDict>) -> PyDecision {
    PyDecision {
        agreement,
        held: Held::Stored(state),
    }
}

#[pymethods]
impl PyDecision {
    /// The lead's 0-based position in its batch (0 for a single lead).
    #[getter]
    fn index(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "index", |d| Ok(d.index()))
    }

    /// The value of the agreement's `id` field, or None.
    #[getter]
    fn id(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "id", |d| Ok(d.id().map(str::to_string)))
    }

    /// True when the lead was scored, False when it was rejected.
    #[getter]
    fn ok(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(self.lead_error(py)?.is_none())
    }

    /// The `LeadError` that rejected the lead, or None.
    #[getter]
    fn error(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let Some(e) = self.lead_error(py)? else {
            return Ok(None);
        };
        let index: usize = self.index(py)?.extract(py)?;
        let id: Option<String> = self.id(py)?.extract(py)?;
        let err = lead_error(py, &e, index, id.as_deref());
        Ok(Some(err.value(py).clone().into_any().unbind()))
    }

    /// The agreement that made the decision.
    #[getter]
    fn agreement(&self, py: Python<'_>) -> Py<PyAgreement> {
        self.agreement.clone_ref(py)
    }

    /// `"sales"`, `"nurture"` or `"telemarketing"`.
    #[getter]
    fn route(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "route", |d| Ok(d.route().map(|r| r.as_str())))
    }

    /// The route rule's `queue`, or None.
    #[getter]
    fn queue(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "queue", |d| Ok(d.queue().map(str::to_string)))
    }

    /// The name of the route rule that decided (None for an unnamed `otherwise`).
    #[getter]
    fn rule(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "rule", |d| Ok(d.rule().map(str::to_string)))
    }

    /// The agreed follow-up time in seconds (`within`), or None.
    #[getter]
    fn follow_up_within_s(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "follow_up_within_s", |d| Ok(d.follow_up_within_s()))
    }

    /// Every score, in declaration order: `{name: value}`.
    #[getter]
    fn scores(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "scores", |d| pairs(py, d.scores()))
    }

    /// `potential(score)` for every score: its value if every unknown `+` rule had fired.
    #[getter]
    fn potentials(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "potentials", |d| pairs(py, d.potentials()))
    }

    /// The sum of all scores.
    #[getter]
    fn total(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.get(py, "total", |d| Ok(d.total()))
    }

    /// Every grade's label: `{grade: label}`.
    #[getter]
    fn grades(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "grades", |d| pairs(py, d.grades()))
    }

    /// The score rules that fired, in declaration order:
    /// `[{"rule", "score", "points"}]` (signed points, before decay and range).
    #[getter]
    fn fired(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "fired", |d| serde(py, &d.fired().collect::<Vec<_>>()))
    }

    /// Score rules that could not be decided: `[{"rule", "score", "missing": [field, ...]}]`.
    #[getter]
    fn unknown(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "unknown", |d| {
            serde(py, &d.unknown().collect::<Vec<_>>())
        })
    }

    /// Route rules passed over because their condition was unknown:
    /// `[{"rule", "route", "missing": [field, ...]}]`.
    #[getter]
    fn undecided(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "undecided", |d| {
            serde(py, &d.undecided().collect::<Vec<_>>())
        })
    }

    /// Notes on the lead (values read as missing in lenient mode, …): `[{"field", "message"}]`.
    #[getter]
    fn warnings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.outcome(py, "warnings", |d| serde(py, d.warnings()))
    }

    /// The canonical decision JSON, one line, exactly as the CLI writes it.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| match &self.held {
            Held::Live(d) => Ok(d.to_json()),
            Held::Stored(state) => state.bind(py).as_any().get_item("json")?.extract(),
        })
    }

    /// The canonical decision JSON as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| match &self.held {
            Held::Live(d) => Ok(pythonize(py, &**d)?),
            Held::Stored(_) => py
                .import("json")?
                .call_method1("loads", (self.to_json(py)?,)),
        })
    }

    /// Pickles as the agreement (its text) and the decision's values.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let state = PyDict::new(py);
        for name in KEPT {
            let value = match name {
                "kind" => this
                    .lead_error(py)?
                    .map(|e| e.kind().as_str())
                    .into_py_any(py)?,
                _ => slf.getattr(name)?.unbind(),
            };
            state.set_item(name, value)?;
        }
        state.set_item("json", this.to_json(py)?)?;
        let make = py.import("leadgate._leadgate")?.getattr("_decision")?;
        (make, (this.agreement.clone_ref(py), state)).into_pyobject(py)
    }

    fn __eq__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PyDecision>() {
            Ok(o) => Ok(self.to_json(py)? == o.get().to_json(py)?),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        guard(|| {
            Ok(repr(
                &serde_json::from_str(&self.to_json(py)?).unwrap_or_default(),
            ))
        })
    }
}

/// (name, value) pairs as a dict, in order.
fn pairs<'py, 'a, V: IntoPyObject<'py>>(
    py: Python<'py>,
    items: impl Iterator<Item = (&'a str, V)>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in items {
        d.set_item(k, v.into_py_any(py)?)?;
    }
    Ok(d)
}

fn serde<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    Ok(pythonize(py, v)?)
}

/// `<Decision index=0 id="L-17" route="sales" … scores(fit=45) grades(tier=hot) …>`
/// from the canonical JSON.
fn repr(d: &serde_json::Value) -> String {
    use serde_json::Value;
    let text = |v: &Value| match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "None".into(),
        other => other.to_string(),
    };
    let mut out = format!("<Decision index={} id={}", d["index"], text(&d["id"]));
    if let Some(e) = d.get("error") {
        let (field, message) = (text(&e["field"]), text(&e["message"]));
        return format!("{out} error=LeadError(field={field}, message={message})>");
    }
    for key in ["route", "queue", "rule", "total"] {
        out.push_str(&format!(" {key}={}", text(&d[key])));
    }
    for (key, label) in [("scores", "scores"), ("grades", "grades")] {
        let items: Vec<String> = d[key]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push_str(&format!(" {label}({})", items.join(", ")));
    }
    let count = |key: &str| d[key].as_array().map_or(0, Vec::len);
    format!(
        "{out} fired={} unknown={}>",
        count("fired"),
        count("unknown")
    )
}
