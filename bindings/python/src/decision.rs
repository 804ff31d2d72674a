//! `Decision`: one lead's outcome, read from the core's typed decision. A
//! decision pickles as its agreement and its attributes; read back, it
//! answers the same from them (it no longer holds a core decision).

use leadgate::Decision;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use pyo3::IntoPyObjectExt;
use pythonize::pythonize;

use crate::agreement::PyAgreement;
use crate::errors::{guard, lead_error};

enum Held {
    /// Made by scoring.
    Live(Box<Decision>),
    /// Read back from a pickle: the attributes by name, and `json`.
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
        let held = Held::Live(Box::new(decision));
        PyDecision { agreement, held }
    }

    /// The attribute `name`, a new object on every call.
    fn attr(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        match &self.held {
            Held::Live(d) => live(py, d, name),
            Held::Stored(state) => match state.bind(py).get_item(name)? {
                Some(v) => {
                    static DEEPCOPY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
                    let copy = DEEPCOPY.import(py, "copy", "deepcopy")?.call1((v,))?;
                    Ok(copy.unbind())
                }
                None => Ok(py.None()),
            },
        }
    }
}

/// The attribute `name` of a decision (the outcome ones None for a rejected lead).
fn live(py: Python<'_>, d: &Decision, name: &str) -> PyResult<Py<PyAny>> {
    fn serde<T: serde::Serialize + ?Sized>(py: Python<'_>, v: &T) -> PyResult<Py<PyAny>> {
        Ok(pythonize(py, v)?.unbind())
    }
    fn pairs<'a, V>(
        py: Python<'_>,
        items: impl Iterator<Item = (&'a str, V)>,
    ) -> PyResult<Py<PyAny>>
    where
        V: for<'py> IntoPyObject<'py>,
    {
        let dict = PyDict::new(py);
        for (k, v) in items {
            dict.set_item(k, v)?;
        }
        Ok(dict.into_any().unbind())
    }
    match name {
        "index" => d.index().into_py_any(py),
        "id" => d.id().into_py_any(py),
        "ok" => d.error().is_none().into_py_any(py),
        "error" => d
            .error()
            .map(|e| lead_error(py, e, d.index(), d.id()).into_value(py))
            .into_py_any(py),
        "route" => d.route().map(|r| r.as_str()).into_py_any(py),
        "queue" => d.queue().into_py_any(py),
        "rule" => d.rule().into_py_any(py),
        "follow_up_within_s" => d.follow_up_within_s().into_py_any(py),
        "total" => d.total().into_py_any(py),
        "assignee" => d.assignee().into_py_any(py),
        "unassigned" => d.unassigned().map(|u| u.as_str()).into_py_any(py),
        "follow_up_by" => d.follow_up_by().into_py_any(py),
        _ if !d.is_scored() => Ok(py.None()),
        "scores" => pairs(py, d.scores()),
        "potentials" => pairs(py, d.potentials()),
        "grades" => pairs(py, d.grades()),
        "fired" => serde(py, &d.fired().collect::<Vec<_>>()),
        "unknown" => serde(py, &d.unknown().collect::<Vec<_>>()),
        "undecided" => serde(py, &d.undecided().collect::<Vec<_>>()),
        _ => serde(py, d.warnings()),
    }
}

/// A decision from its pickle (see `Decision.__reduce__`).
#[pyfunction(name = "_decision")]
pub fn from_pickle(agreement: Py<PyAgreement>, state: Py<PyDict>) -> PyDecision {
    let held = Held::Stored(state);
    PyDecision { agreement, held }
}

/// The attributes (documented in `_leadgate.pyi`), each a getter of
/// [`PyDecision::attr`] under its name, and the other methods.
macro_rules! decision_methods {
    ([$($name:ident),*] $($methods:tt)*) => {
        const ATTRIBUTES: &[&str] = &[$(stringify!($name)),*];

        #[pymethods]
        impl PyDecision {
            $(
                #[getter]
                fn $name(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                    self.attr(py, stringify!($name))
                }
            )*
            $($methods)*
        }
    };
}

decision_methods! {
    [index, id, ok, error, route, queue, rule, follow_up_within_s, assignee, unassigned,
     follow_up_by, scores, potentials, total, grades, fired, unknown, undecided, warnings]

    /// The agreement that made the decision.
    #[getter]
    fn agreement(&self, py: Python<'_>) -> Py<PyAgreement> {
        self.agreement.clone_ref(py)
    }

    /// The canonical decision JSON, one line, exactly as the CLI writes it.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || match &self.held {
            Held::Live(d) => Ok(d.to_json()),
            Held::Stored(state) => state.bind(py).as_any().get_item("json")?.extract(),
        })
    }

    /// The canonical decision JSON as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || match &self.held {
            Held::Live(d) => Ok(pythonize(py, &**d)?),
            Held::Stored(_) => py.import("json")?.call_method1("loads", (self.to_json(py)?,)),
        })
    }

    /// Pickles as the agreement (its text) and the decision's attributes.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let (py, this) = (slf.py(), slf.get());
        let state = PyDict::new(py);
        for name in ATTRIBUTES {
            state.set_item(name, this.attr(py, name)?)?;
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

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let model = slf.py().import("leadgate._model")?;
        model.call_method1("decision_repr", (slf,))?.extract()
    }
}
