//! Reports, diffs and explanations: the core's, over dicts or Arrow data,
//! rendered by the core (text, JSON, HTML).

use std::borrow::Cow;

use leadgate::{Decision, Diff, DiffNames, Explanation, Raw, Report};
use pyo3::prelude::*;
use pyo3::types::{PyIterator, PyType};
use pythonize::pythonize;

use crate::agreement::{Call, PyAgreement};
use crate::arrow::{column, Rows};
use crate::block::Keys;
use crate::decision::PyDecision;
use crate::errors::{guard, value_error};
use crate::many::{self, Scorer};
use crate::stream::{self, Batches};

/// Leads to analyse: Arrow data, or an iterable of mappings.
pub(crate) enum Data<'py> {
    Arrow(Batches<'py>),
    Dicts(Bound<'py, PyIterator>),
}

impl<'py> Data<'py> {
    pub(crate) fn new(data: &Bound<'py, PyAny>) -> PyResult<Self> {
        let arrow = ["__arrow_c_stream__", "__arrow_c_array__", "_export_to_c"];
        for name in arrow {
            if data.hasattr(name)? {
                return Ok(Data::Arrow(Batches::new(data)?));
            }
        }
        Ok(Data::Dicts(data.try_iter()?))
    }
}

/// A `by` or `outcome` value as text (as a CSV cell reads): trimmed, `None`
/// when missing or blank; numbers in the canonical form.
fn text<'a>(raw: &'a Raw<'_>) -> Option<Cow<'a, str>> {
    Some(match raw {
        Raw::Str(s) => Cow::Borrowed(Some(s.trim()).filter(|s| !s.is_empty())?),
        Raw::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Raw::Int(i) => Cow::Owned(i.to_string()),
        Raw::UInt(u) => Cow::Owned(u.to_string()),
        Raw::Float(f) if f.is_finite() => Cow::Owned(leadgate::format_number(*f)),
        Raw::DateMs(ms) => Cow::Owned(leadgate::Timestamp::from_unix_ms(*ms).to_string()),
        Raw::Array(items) => {
            let items: Vec<Cow<'_, str>> = items.iter().filter_map(text).collect();
            Cow::Owned(items.join("; "))
        }
        _ => return None,
    })
}

fn add(report: &mut Report, d: &Decision, group: Option<Raw<'_>>, outcome: Option<Raw<'_>>) {
    let group = group.as_ref().and_then(text);
    let outcome = outcome.as_ref().and_then(text);
    report.add(
        d,
        group.as_deref(),
        outcome.and_then(|o| leadgate::parse_outcome(&o)),
    );
}

/// The funnel report of `data` (see `Agreement.report`).
pub(crate) fn report(
    py: Python<'_>,
    a: &PyAgreement,
    data: Data<'_>,
    by: Option<&str>,
    outcome: Option<&str>,
    call: &Call,
    allow_missing: bool,
) -> PyResult<Report> {
    // A field's name reads the field's input column.
    let cols = [by, outcome].map(|n| n.map(|n| a.inner.column_for(n)));
    let mut report = Report::new(&a.inner, by, outcome);
    match data {
        Data::Arrow(batches) => {
            let names = batches.columns();
            a.check_columns_of(py, &names, allow_missing)?;
            if let Some(c) = cols
                .iter()
                .flatten()
                .find(|c| !names.iter().any(|n| n == *c))
            {
                return Err(value_error(format!(
                    "the input has no column \"{c}\"; its columns are: {}",
                    names.join(", ")
                )));
            }
            stream::slices(py, batches, |part, first| {
                let parts = py.detach(|| {
                    let rows = Rows::new(&a.keys, part, first);
                    let extra = cols.map(|c| c.and_then(|c| column(part, c)));
                    call.pool.map_ranges(part.num_rows(), 256, |range| {
                        let mut r = Report::new(&a.inner, by, outcome);
                        for row in range {
                            let [g, o] = extra.each_ref().map(|c| c.as_ref().map(|c| c.read(row)));
                            add(&mut r, &rows.decide(&a.inner, row, &call.opts), g, o);
                        }
                        r
                    })
                });
                parts.iter().for_each(|p| _ = report.merge(p));
                Ok(())
            })?;
        }
        Data::Dicts(leads) => {
            let extra: Vec<&str> = cols.iter().flatten().copied().collect();
            let set = a.keys.with_extra(py, &extra);
            let mut keys = Keys::new(py, &set);
            let scorer = a.scorer(call);
            let base = a.keys.names.len();
            let chunk = |block: &crate::block::Block, range: std::ops::Range<usize>| {
                let mut r = Report::new(&a.inner, by, outcome);
                for i in range {
                    let mut values = block.values(i).skip(base);
                    let g = cols[0].and_then(|_| values.next());
                    let o = cols[1].and_then(|_| values.next());
                    add(&mut r, &scorer.decide(block, i), g, o);
                }
                r
            };
            many::run(py, leads, &mut keys, &call.pool, chunk, |part| {
                report.merge(&part);
                Ok(())
            })?;
            keys.warn(py)?;
        }
    }
    Ok(report)
}

/// Two agreements over the same leads (see `Agreement.diff`).
pub(crate) fn diff(
    py: Python<'_>,
    old: &PyAgreement,
    new: &PyAgreement,
    data: Data<'_>,
    changes: usize,
    call: &Call,
    allow_missing: bool,
) -> PyResult<Diff> {
    let mut diff = Diff::new(&old.inner, &new.inner, changes);
    let mut add = |pairs: Vec<(Decision, Decision)>| {
        for (od, nd) in &pairs {
            diff.add(od, nd);
        }
    };
    match data {
        Data::Arrow(batches) => {
            let names = batches.columns();
            old.check_columns_of(py, &names, allow_missing)?;
            new.check_columns_of(py, &names, allow_missing)?;
            stream::slices(py, batches, |part, first| {
                py.detach(|| {
                    let (ro, rn) = (
                        Rows::new(&old.keys, part, first),
                        Rows::new(&new.keys, part, first),
                    );
                    let decide = |row| {
                        (
                            ro.decide(&old.inner, row, &call.opts),
                            rn.decide(&new.inner, row, &call.opts),
                        )
                    };
                    let parts = call
                        .pool
                        .map_ranges(part.num_rows(), 256, |range| range.map(decide).collect());
                    parts.into_iter().for_each(&mut add);
                });
                Ok(())
            })?;
        }
        Data::Dicts(leads) => {
            // Each lead is read once, with the keys of both agreements.
            let names: Vec<&str> = new.keys.names.iter().map(String::as_str).collect();
            let set = old.keys.with_extra(py, &names);
            let mut keys = Keys::new(py, &set);
            let scorers = [
                old.scorer(call),
                Scorer {
                    offset: old.keys.names.len(),
                    ..new.scorer(call)
                },
            ];
            many::run(
                py,
                leads,
                &mut keys,
                &call.pool,
                |block, range| {
                    range
                        .map(|i| (scorers[0].decide(block, i), scorers[1].decide(block, i)))
                        .collect()
                },
                |pairs| {
                    add(pairs);
                    Ok(())
                },
            )?;
        }
    }
    Ok(diff)
}

/// The funnel of many decisions: routes, queues, grades, scores, rules,
/// groups (`by`) and a backtest against an outcome, as the CLI's
/// `leadgate report` shows it.
#[pyclass(module = "leadgate", name = "Report")]
pub struct PyReport {
    /// The agreement that made the decisions counted.
    #[pyo3(get)]
    agreement: Py<PyAgreement>,
    pub(crate) report: Report,
    /// The title of the text and the HTML page.
    #[pyo3(get, set)]
    title: String,
    /// How many groups of `by` the text and the page list.
    #[pyo3(get, set)]
    top: usize,
}

impl PyReport {
    pub(crate) fn new(
        agreement: Py<PyAgreement>,
        report: Report,
        title: String,
        top: usize,
    ) -> Self {
        PyReport {
            agreement,
            report,
            title,
            top,
        }
    }
}

#[pymethods]
impl PyReport {
    /// Leads counted.
    #[getter]
    fn leads(&self) -> u64 {
        self.report.leads()
    }

    /// Leads counted that were rejected.
    #[getter]
    fn rejected(&self) -> u64 {
        self.report.rejected()
    }

    /// Scored leads with a known outcome.
    #[getter]
    fn outcomes_known(&self) -> u64 {
        self.report.outcomes_known()
    }

    /// The report as text.
    #[getter]
    fn text(&self) -> PyResult<String> {
        guard(|| Ok(self.report.to_text(&self.title, self.top)))
    }

    /// The report's JSON, as `leadgate report --format json` prints it.
    fn to_json(&self) -> PyResult<String> {
        guard(|| {
            serde_json::to_string_pretty(&self.report.to_json(&self.title, self.top))
                .map_err(|e| value_error(e.to_string()))
        })
    }

    /// The report's JSON as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(|| Ok(pythonize(py, &self.report.to_json(&self.title, self.top))?))
    }

    /// The report as one self-contained HTML page (`leadgate report --html`).
    fn to_html(&self) -> PyResult<String> {
        guard(|| Ok(self.report.to_html(&self.title, self.top)))
    }

    fn _repr_html_(&self) -> PyResult<String> {
        self.to_html()
    }

    /// The report's tables as pandas DataFrames, by name (see the docs).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("leadgate._tables")?
            .call_method1("report_tables", (self.to_dict(py)?,))
    }

    /// The counts as text, exact, to send elsewhere and read back with
    /// `Report.from_state` (a Spark partition's report to the driver).
    fn to_state(&self) -> String {
        self.report.to_state()
    }

    /// A report from `to_state`, for the same agreement text.
    #[classmethod]
    #[pyo3(signature = (agreement, state, *, title = None, top = 20))]
    fn from_state(
        _cls: &Bound<'_, PyType>,
        agreement: Bound<'_, PyAgreement>,
        state: &str,
        title: Option<String>,
        top: usize,
    ) -> PyResult<Self> {
        let report = Report::from_state(&agreement.get().inner, state)
            .map_err(|e| value_error(e.to_string()))?;
        let title = title.unwrap_or_else(|| agreement.get().inner.name().to_string());
        Ok(PyReport::new(agreement.unbind(), report, title, top))
    }

    /// Adds the counts of another report of the same agreement, `by` and
    /// `outcome` (another part of the leads).
    fn merge(&mut self, other: PyRef<'_, PyReport>) -> PyResult<()> {
        if self.report.merge(&other.report) {
            Ok(())
        } else {
            Err(value_error(
                "the reports do not fit: another agreement, `by` or `outcome`",
            ))
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<Report leads={} rejected={}>",
            self.report.leads(),
            self.report.rejected()
        )
    }
}

/// Two agreements over the same leads: which leads change destination, and
/// which rule changes move them, as `leadgate diff` shows it.
#[pyclass(module = "leadgate", name = "Diff", frozen)]
pub struct PyDiff {
    pub(crate) diff: Diff,
    /// The names `text` shows: old agreement, new agreement, input.
    pub(crate) names: [String; 3],
}

#[pymethods]
impl PyDiff {
    #[getter]
    fn leads(&self) -> u64 {
        self.diff.leads()
    }

    /// Leads whose destination changed.
    #[getter]
    fn moved(&self) -> u64 {
        self.diff.moved()
    }

    /// Leads rejected by either agreement.
    #[getter]
    fn rejected(&self) -> u64 {
        self.diff.rejected()
    }

    /// The diff as text.
    #[getter]
    fn text(&self) -> PyResult<String> {
        let [old, new, input] = &self.names;
        guard(|| Ok(self.diff.to_text(&DiffNames { old, new, input })))
    }

    /// The diff's JSON, as `leadgate diff --format json` prints it.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.diff.to_json()).map_err(|e| value_error(e.to_string()))
    }

    /// The diff's JSON as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.diff.to_json())?)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Diff leads={} moved={}>",
            self.diff.leads(),
            self.diff.moved()
        )
    }
}

/// One lead's decision explained for a person: every score with its rules,
/// each grade's line, every route rule in order.
#[pyclass(module = "leadgate", name = "Explanation", frozen)]
pub struct PyExplanation {
    pub(crate) agreement: Py<PyAgreement>,
    pub(crate) explanation: Explanation,
}

#[pymethods]
impl PyExplanation {
    /// The explanation as text (as `leadgate explain` prints it).
    #[getter]
    fn text(&self) -> PyResult<String> {
        guard(|| Ok(self.explanation.text()))
    }

    /// The decision explained.
    #[getter]
    fn decision(&self, py: Python<'_>) -> PyDecision {
        PyDecision::new(
            self.agreement.clone_ref(py),
            self.explanation.decision().clone(),
        )
    }

    /// The explanation as canonical JSON (one line).
    fn to_json(&self) -> PyResult<String> {
        leadgate::to_canonical_json(&self.explanation).map_err(|e| value_error(e.to_string()))
    }

    /// The explanation as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(pythonize(py, &self.explanation)?)
    }

    fn __str__(&self) -> PyResult<String> {
        self.text()
    }
}
