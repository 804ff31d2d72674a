//! Rosters (docs/rosters.md): the core's `Roster` and the per-person counts
//! `Load` that `per_day` is checked against. `leadgate.Roster` (Python)
//! subclasses `Roster`.

use std::sync::{Arc, Mutex, PoisonError};

use leadgate::{Agreement, Load, Roster, Staffing};
use pyo3::prelude::*;

use crate::errors::{roster_error, value_error};

/// A parsed roster. Immutable and thread-safe.
#[pyclass(module = "leadgate._leadgate", name = "Roster", subclass, frozen)]
pub struct PyRoster {
    pub(crate) inner: Roster,
    #[pyo3(get)]
    file_name: String,
}

impl PyRoster {
    /// The roster checked against `a`: a queue a route rule sends leads to
    /// that the roster lacks is a `RosterError`.
    pub(crate) fn staff(&self, py: Python<'_>, a: &Agreement) -> PyResult<Staffing> {
        let staffed = self.inner.staff(a);
        staffed.map_err(|e| roster_error(py, &e.with_file_name(&self.file_name)))
    }
}

#[pymethods]
impl PyRoster {
    #[new]
    #[pyo3(signature = (text, *, file_name = None))]
    fn new(py: Python<'_>, text: &str, file_name: Option<String>) -> PyResult<Self> {
        let file_name = file_name.unwrap_or_else(|| "<roster>".into());
        match Roster::parse(text) {
            Ok(inner) => Ok(PyRoster { inner, file_name }),
            Err(e) => Err(roster_error(py, &e.with_file_name(&file_name))),
        }
    }

    #[getter]
    fn source(&self) -> &str {
        self.inner.source()
    }

    #[getter]
    fn timezone(&self) -> &str {
        self.inner.timezone()
    }

    #[getter]
    fn queues(&self) -> Vec<&str> {
        self.inner.queues().collect()
    }

    /// The members of `queue`, in file order; None if the roster has no such queue.
    fn members(&self, queue: &str) -> Option<Vec<&str>> {
        Some(self.inner.members(queue)?.collect())
    }
}

/// Leads each person has taken per local day, which `per_day` is checked
/// against; every assignment made with it adds one.
#[pyclass(module = "leadgate._leadgate", name = "Load", frozen)]
#[derive(Default)]
pub struct PyLoad(pub(crate) Arc<Mutex<Load>>);

#[pymethods]
impl PyLoad {
    #[new]
    fn new() -> Self {
        PyLoad::default()
    }

    /// Says that `person` has taken `count` leads on `date` (YYYY-MM-DD, their local day).
    fn set(&self, person: &str, date: &str, count: u32) -> PyResult<()> {
        let mut load = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        load.set(person, date, count).map_err(value_error)
    }

    /// The leads `person` has taken on `date` (None: none counted).
    fn get(&self, person: &str, date: &str) -> Option<u32> {
        let load = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        load.get(person, date)
    }
}
