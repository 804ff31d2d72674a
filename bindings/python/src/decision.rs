//! `Decision`: one lead's outcome, with Python attributes and the canonical JSON.

use std::sync::Arc;

use leadgate::{Agreement, Decision, Verdict};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::{guard, lead_error};

/// One lead's decision: where it goes and why, or why it was rejected.
///
/// A rejected lead (`ok` is False) has `error` set and None for `route`,
/// `scores` and the other outcome attributes.
#[pyclass(module = "leadgate", name = "Decision", frozen, skip_from_py_object)]
pub struct PyDecision {
    pub agreement: Arc<Agreement>,
    /// Boxed: the Python object stays small (Python's small-object
    /// allocator hands out fresh pages for a batch of large objects).
    pub decision: Box<Decision>,
}

impl PyDecision {
    fn verdict(&self) -> Option<&Verdict> {
        self.decision.verdict()
    }

    fn route_rule(&self) -> Option<&leadgate::check::RouteRule> {
        let v = self.verdict()?;
        self.agreement.model().routes.get(v.route as usize)
    }

    fn field_names<'py>(&self, py: Python<'py>, slots: &[u32]) -> PyResult<Bound<'py, PyList>> {
        let fields = &self.agreement.model().fields;
        PyList::new(
            py,
            slots
                .iter()
                .filter_map(|s| fields.get(*s as usize).map(|f| f.name.as_str())),
        )
    }

    /// `{score name: value}` for one value per score.
    fn per_score<'py>(
        &self,
        py: Python<'py>,
        values: impl Fn(&Verdict) -> &[f64],
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        for (s, value) in self.agreement.model().scores.iter().zip(values(v)) {
            d.set_item(&s.name, *value)?;
        }
        Ok(Some(d))
    }

    fn rule_and_score(&self, rule: u32) -> (&str, &str) {
        let m = self.agreement.model();
        match m.rules.get(rule as usize) {
            Some(r) => (
                r.name.as_str(),
                m.scores
                    .get(r.score as usize)
                    .map(|s| s.name.as_str())
                    .unwrap_or(""),
            ),
            None => ("", ""),
        }
    }
}

#[pymethods]
impl PyDecision {
    /// The lead's 0-based position in its batch (0 for a single lead).
    #[getter]
    fn index(&self) -> usize {
        self.decision.index
    }

    /// The value of the agreement's `id` field, or None.
    #[getter]
    fn id(&self) -> Option<&str> {
        self.decision.id.as_deref()
    }

    /// True when the lead was scored, False when it was rejected.
    #[getter]
    fn ok(&self) -> bool {
        self.decision.outcome.is_ok()
    }

    /// The `LeadError` that rejected the lead, or None.
    #[getter]
    fn error(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        let e = self.decision.error()?;
        let err = lead_error(py, e, self.decision.index, self.decision.id.as_deref());
        Some(err.value(py).clone().into_any().unbind())
    }

    /// `"sales"`, `"nurture"` or `"telemarketing"`.
    #[getter]
    fn route(&self) -> Option<&'static str> {
        self.route_rule().map(|r| r.destination.as_str())
    }

    /// The route rule's `queue`, or None.
    #[getter]
    fn queue(&self) -> Option<&str> {
        self.route_rule()?.queue.as_deref()
    }

    /// The name of the route rule that decided (None for an unnamed `otherwise`).
    #[getter]
    fn rule(&self) -> Option<&str> {
        self.route_rule()?.name.as_deref()
    }

    /// The agreed follow-up time in seconds (`within`), or None.
    #[getter]
    fn follow_up_within_s(&self) -> Option<i64> {
        self.route_rule()?.within_s
    }

    /// Every score, in declaration order: `{name: value}`.
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.per_score(py, |v| &v.scores)
    }

    /// `potential(score)` for every score: its value if every unknown `+` rule had fired.
    #[getter]
    fn potentials<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.per_score(py, |v| &v.potentials)
    }

    /// The sum of all scores.
    #[getter]
    fn total(&self) -> Option<f64> {
        self.verdict().map(|v| v.total)
    }

    /// Every grade's label: `{grade: label}`.
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        for (g, label) in self.agreement.model().grades.iter().zip(&v.grades) {
            let label = g.labels.get(*label as usize).map(String::as_str);
            d.set_item(&g.name, label)?;
        }
        Ok(Some(d))
    }

    /// The score rules that fired, in declaration order:
    /// `[{"rule", "score", "points"}]` (signed points, before decay and range).
    #[getter]
    fn fired<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let out = PyList::empty(py);
        for f in &v.fired {
            let (rule, score) = self.rule_and_score(f.rule);
            let d = PyDict::new(py);
            d.set_item("rule", rule)?;
            d.set_item("score", score)?;
            d.set_item("points", f.points)?;
            out.append(d)?;
        }
        Ok(Some(out))
    }

    /// Score rules that could not be decided: `[{"rule", "score", "missing": [field, ...]}]`.
    #[getter]
    fn unknown<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let out = PyList::empty(py);
        for u in &v.unknown {
            let (rule, score) = self.rule_and_score(u.rule);
            let d = PyDict::new(py);
            d.set_item("rule", rule)?;
            d.set_item("score", score)?;
            d.set_item("missing", self.field_names(py, &u.missing)?)?;
            out.append(d)?;
        }
        Ok(Some(out))
    }

    /// Route rules passed over because their condition was unknown:
    /// `[{"rule", "route", "missing": [field, ...]}]`.
    #[getter]
    fn undecided<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let routes = &self.agreement.model().routes;
        let out = PyList::empty(py);
        for u in &v.undecided {
            let d = PyDict::new(py);
            let r = routes.get(u.route as usize);
            d.set_item("rule", r.and_then(|r| r.name.as_deref()))?;
            d.set_item("route", r.map(|r| r.destination.as_str()))?;
            d.set_item("missing", self.field_names(py, &u.missing)?)?;
            out.append(d)?;
        }
        Ok(Some(out))
    }

    /// Notes on the lead (values read as missing in lenient mode, …): `[{"field", "message"}]`.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        let Some(v) = self.verdict() else {
            return Ok(None);
        };
        let out = PyList::empty(py);
        for w in &v.warnings {
            let d = PyDict::new(py);
            d.set_item("field", &w.field)?;
            d.set_item("message", &w.message)?;
            out.append(d)?;
        }
        Ok(Some(out))
    }

    /// The canonical decision JSON of SPEC.md, one line, exactly as the CLI writes it.
    fn to_json(&self) -> PyResult<String> {
        guard(|| Ok(self.agreement.decision_json(&self.decision)))
    }

    /// The canonical decision JSON as a dict (`json.loads(self.to_json())`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json()?,))
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        match other.cast::<PyDecision>() {
            Ok(o) => Ok(self.to_json()? == o.get().to_json()?),
            Err(_) => Ok(false),
        }
    }

    fn __repr__(&self) -> PyResult<String> {
        guard(|| Ok(self.repr()))
    }
}

impl PyDecision {
    fn repr(&self) -> String {
        let d = &self.decision;
        let id = match &d.id {
            Some(id) => format!("{id:?}"),
            None => "None".into(),
        };
        let v = match &d.outcome {
            Ok(v) => v,
            Err(e) => {
                let field = match &e.field {
                    Some(f) => format!("{f:?}"),
                    None => "None".into(),
                };
                return format!(
                    "<Decision index={} id={id} error=LeadError(field={field}, message={:?})>",
                    d.index, e.message
                );
            }
        };
        let m = self.agreement.model();
        let mut out = format!("<Decision index={} id={id}", d.index);
        if let Some(r) = m.routes.get(v.route as usize) {
            out.push_str(&format!(" route={:?}", r.destination.as_str()));
            if let Some(q) = &r.queue {
                out.push_str(&format!(" queue={q:?}"));
            }
            if let Some(n) = &r.name {
                out.push_str(&format!(" rule={n:?}"));
            }
        }
        let scores: Vec<String> = m
            .scores
            .iter()
            .zip(&v.scores)
            .map(|(s, x)| format!("{}={}", s.name, leadgate::value::format_number(*x)))
            .collect();
        out.push_str(&format!(
            " total={} scores({})",
            leadgate::value::format_number(v.total),
            scores.join(", ")
        ));
        let grades: Vec<String> = m
            .grades
            .iter()
            .zip(&v.grades)
            .map(|(g, l)| {
                format!(
                    "{}={}",
                    g.name,
                    g.labels.get(*l as usize).map(String::as_str).unwrap_or("?")
                )
            })
            .collect();
        if !grades.is_empty() {
            out.push_str(&format!(" grades({})", grades.join(", ")));
        }
        out.push_str(&format!(
            " fired={} unknown={}>",
            v.fired.len(),
            v.unknown.len()
        ));
        out
    }
}
