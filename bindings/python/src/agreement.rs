//! `Agreement`: a compiled agreement, what it declares, and scoring with it.

use std::sync::Arc;

use arrow_pyarrow::{IntoPyArrow, Table};
use leadgate::{Agreement, ScoreOptions, Threads};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::analysis::{self, PyDiff, PyExplanation, PyReport};
use crate::arrow::Rows;
use crate::block::{Block, KeySet, Keys};
use crate::decision::PyDecision;
use crate::errors::PyDiagnostic;
use crate::errors::{agreement_error, guard, lead_error, missing_columns_error, value_error};
use crate::many::{self, Scorer};
use crate::output::{self, Output};
use crate::stream::{self, Batches};

/// A declared field of an agreement.
#[pyclass(
    module = "leadgate",
    name = "Field",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyField {
    /// The field's name in the agreement.
    name: String,
    /// `"text"`, `"number"`, `"bool"`, `"date"` or `"list"`.
    r#type: &'static str,
    /// The input key or column it is read from (`from "…"`, else the name).
    key: String,
    required: bool,
    /// Whether it is the agreement's `id` field.
    id: bool,
}

#[pymethods]
impl PyField {
    fn __repr__(&self) -> String {
        let py_bool = |b: bool| if b { "True" } else { "False" };
        format!(
            "Field(name={:?}, type={:?}, key={:?}, required={}, id={})",
            self.name,
            self.r#type,
            self.key,
            py_bool(self.required),
            py_bool(self.id),
        )
    }
}

/// The outcome of one of the agreement's `example` blocks.
#[pyclass(
    module = "leadgate",
    name = "ExampleResult",
    frozen,
    get_all,
    skip_from_py_object
)]
pub(crate) struct PyExampleResult {
    name: String,
    /// 1-based line of the `example` keyword.
    line: usize,
    passed: bool,
    /// One line per failed expectation: what was expected, what came out.
    failures: Vec<String>,
}

#[pymethods]
impl PyExampleResult {
    fn __repr__(&self) -> String {
        format!(
            "ExampleResult(name={:?}, line={}, passed={}, failures={:?})",
            self.name,
            self.line,
            if self.passed { "True" } else { "False" },
            self.failures
        )
    }

    fn __bool__(&self) -> bool {
        self.passed
    }
}

/// A compiled agreement. Immutable and thread-safe.
///
/// Build one with `leadgate.compile(text)` or `leadgate.load(path)`.
#[pyclass(module = "leadgate._leadgate", name = "Agreement", subclass, frozen)]
pub struct PyAgreement {
    pub(crate) inner: Agreement,
    file_name: String,
    /// The input keys the agreement reads, as dicts are looked up.
    pub(crate) keys: KeySet,
}

/// What a scoring call was asked for: the options and the thread pool.
pub(crate) struct Call {
    pub(crate) opts: ScoreOptions,
    pub(crate) pool: Arc<Threads>,
}

impl Call {
    /// `as_of` None is now; `threads` None scores on the calling thread.
    pub(crate) fn new(
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        explain: bool,
        threads: Option<Option<&Bound<'_, PyAny>>>,
    ) -> PyResult<Self> {
        let opts = match crate::dates::as_of(as_of)? {
            Some(t) => ScoreOptions::at(t),
            None => ScoreOptions::now(),
        };
        let on_bad = on_bad_value.parse().map_err(value_error)?;
        let pool = match threads {
            Some(threads) => crate::pool::pool(threads)?,
            None => Arc::new(Threads::calling()),
        };
        Ok(Call {
            opts: opts.on_bad_value(on_bad).explain(explain),
            pool,
        })
    }
}

impl PyAgreement {
    pub(crate) fn scorer<'a>(&'a self, call: &'a Call) -> Scorer<'a> {
        Scorer {
            agreement: &self.inner,
            slots: &self.keys.slots,
            offset: 0,
            opts: &call.opts,
        }
    }

    /// Checks that `columns` has a column for every declared field: a
    /// `MissingColumnsError` naming each missing one, or with
    /// `allow_missing` a `UserWarning`.
    pub(crate) fn check_columns_of(
        &self,
        py: Python<'_>,
        columns: &[String],
        allow_missing: bool,
    ) -> PyResult<()> {
        match self.inner.check_columns(columns) {
            Ok(()) => Ok(()),
            Err(missing) if allow_missing => warn(py, &missing.to_string()),
            Err(missing) => Err(missing_columns_error(
                py,
                &missing,
                "pass allow_missing_columns=True to score with those fields missing in every lead",
            )),
        }
    }

    /// Reads and binds one lead (a mapping), warning about misnamed keys.
    fn bind_one(
        &self,
        py: Python<'_>,
        lead: &Bound<'_, PyAny>,
        call: &Call,
    ) -> PyResult<leadgate::Lead> {
        let mut keys = Keys::new(py, &self.keys);
        let mut block = Block::new(0, keys.len());
        block.read(lead, &mut keys)?;
        keys.warn(py)?;
        Ok(self.scorer(call).bind(&block, 0))
    }
}

/// The position of the `id` field: the core tells a lead's id, so each
/// text field is given its own position as its value.
fn id_slot(a: &Agreement) -> Option<usize> {
    let mut b = a.lead_builder(leadgate::OnBadValue::Missing);
    for (i, f) in a.fields().iter().enumerate() {
        if f.field_type() == leadgate::FieldType::Text {
            b.set(
                u32::try_from(i).ok()?,
                leadgate::Raw::Str(i.to_string().into()),
            );
        }
    }
    a.lead_id(&b.finish())?.parse().ok()
}

/// A `UserWarning`.
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let message = std::ffi::CString::new(message.replace('\0', " "))?;
    PyErr::warn(
        py,
        &py.get_type::<pyo3::exceptions::PyUserWarning>(),
        &message,
        1,
    )
}

#[pymethods]
impl PyAgreement {
    #[new]
    #[pyo3(signature = (text, *, file_name = None))]
    fn new(py: Python<'_>, text: &str, file_name: Option<String>) -> PyResult<Self> {
        guard(|| {
            let file_name = file_name.unwrap_or_else(|| "<agreement>".into());
            let inner = py
                .detach(|| Agreement::compile(text))
                .map_err(|e| agreement_error(py, &e, text, &file_name))?;
            let keys = KeySet::new(py, &inner);
            Ok(PyAgreement {
                inner,
                file_name,
                keys,
            })
        })
    }

    /// The agreement text it was compiled from.
    #[getter]
    fn source(&self) -> &str {
        self.inner.source()
    }

    /// The file name used in diagnostics (`<agreement>` for text).
    #[getter]
    fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The agreement's name (`agreement "NAME"`).
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The agreement's version, or None.
    #[getter]
    fn version(&self) -> Option<&str> {
        self.inner.version()
    }

    /// Whether decisions depend on `as_of` (decay, `within`, `days_since`).
    #[getter]
    fn uses_time(&self) -> bool {
        self.inner.uses_time()
    }

    /// A fingerprint of the agreement's text (16 hex digits).
    #[getter]
    fn fingerprint(&self) -> &str {
        self.inner.fingerprint()
    }

    /// The declared fields, in order.
    #[getter]
    fn fields(&self) -> Vec<PyField> {
        let id = id_slot(&self.inner);
        self.inner
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| PyField {
                name: f.name().to_string(),
                r#type: f.field_type().as_str(),
                key: f.key().to_string(),
                required: f.is_required(),
                id: id == Some(i),
            })
            .collect()
    }

    /// The input keys (dict keys, column names) the agreement reads.
    #[getter]
    fn input_keys(&self) -> Vec<String> {
        self.keys.names.clone()
    }

    /// The score names, in declaration order.
    #[getter]
    fn scores(&self) -> Vec<&str> {
        self.inner.scores().iter().map(|s| s.name()).collect()
    }

    /// The grades and their labels: `{grade: [label, ...]}`, in declaration order.
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for g in self.inner.grades() {
            d.set_item(g.name(), g.labels())?;
        }
        Ok(d)
    }

    /// The route rules in order: `[{"route", "queue", "rule", "follow_up_within_s"}]`.
    #[getter]
    fn routes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for r in self.inner.routes() {
            let d = PyDict::new(py);
            d.set_item("route", r.destination().as_str())?;
            d.set_item("queue", r.queue())?;
            d.set_item("rule", r.name())?;
            d.set_item("follow_up_within_s", r.within_s())?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Warnings found while compiling (unused fields, rules that never fire, …).
    #[getter]
    fn warnings(&self) -> Vec<PyDiagnostic> {
        let source = self.inner.source();
        self.inner
            .warnings()
            .iter()
            .map(|d| PyDiagnostic::new(d, source, &self.file_name))
            .collect()
    }

    /// The input column a report reads for `name`: the input key of the
    /// field called `name`, else `name` itself.
    fn column_for<'a>(&'a self, name: &'a str) -> &'a str {
        self.inner.column_for(name)
    }

    /// The flat decision columns `score_arrow` writes, in order, with their
    /// types: `[(name, "text" | "integer" | "number" | "text_list")]`.
    #[pyo3(signature = (prefix = ""))]
    fn decision_columns(&self, py: Python<'_>, prefix: &str) -> PyResult<Vec<(String, String)>> {
        let columns = self
            .inner
            .decision_columns(prefix)
            .map_err(|e| value_error(e.to_string()))?;
        columns
            .columns()
            .iter()
            .map(|c| {
                Ok((
                    c.name.clone(),
                    pythonize::pythonize(py, &c.column_type)?.extract()?,
                ))
            })
            .collect()
    }

    /// Checks that column-wise input with these column names has a column
    /// for every declared field (see `MissingColumnsError`).
    #[pyo3(signature = (columns, *, allow_missing_columns = false))]
    fn check_columns(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyAny>,
        allow_missing_columns: bool,
    ) -> PyResult<()> {
        let columns = columns
            .try_iter()?
            .map(|c| c?.str()?.extract())
            .collect::<PyResult<Vec<String>>>()?;
        self.check_columns_of(py, &columns, allow_missing_columns)
    }

    /// Runs the agreement's `example` blocks and returns one result each.
    fn check(&self, py: Python<'_>) -> PyResult<Vec<PyExampleResult>> {
        guard(|| {
            let inner = self.inner.clone();
            Ok(py
                .detach(move || inner.run_examples())
                .into_iter()
                .map(|r| PyExampleResult {
                    passed: r.passed(),
                    failures: r.failures.iter().map(|f| f.message.clone()).collect(),
                    name: r.name,
                    line: r.line,
                })
                .collect())
        })
    }

    /// Scores one lead (a dict or any Mapping). Raises `LeadError` if it is rejected.
    #[pyo3(signature = (lead, *, as_of = None, on_bad_value = "error", explain = true))]
    fn score(
        slf: &Bound<'_, Self>,
        lead: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        explain: bool,
    ) -> PyResult<PyDecision> {
        let py = slf.py();
        let this = slf.get();
        guard(|| {
            let call = Call::new(as_of, on_bad_value, explain, None)?;
            let lead = this.bind_one(py, lead, &call)?;
            let d = this.inner.decide(0, &lead, &call.opts);
            if let Some(e) = d.error() {
                return Err(lead_error(py, e, d.index(), d.id()));
            }
            Ok(PyDecision::new(slf.clone().unbind(), d))
        })
    }

    /// Scores many leads in parallel (the GIL released), in order. A rejected
    /// lead keeps its place as a decision with `error` set.
    #[pyo3(signature = (leads, *, as_of = None, threads = None, on_bad_value = "error", explain = true))]
    fn score_many<'py>(
        slf: &Bound<'py, Self>,
        leads: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        on_bad_value: &str,
        explain: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = slf.py();
        let this = slf.get();
        guard(|| {
            let call = Call::new(as_of, on_bad_value, explain, Some(threads))?;
            let scorer = this.scorer(&call);
            let mut out = Vec::with_capacity(leads.len().unwrap_or(0));
            let mut keys = Keys::new(py, &this.keys);
            many::run(
                py,
                leads.try_iter()?,
                &mut keys,
                &call.pool,
                |block, range| scorer.decisions(block, range),
                |decided| {
                    for d in decided {
                        out.push(Bound::new(py, PyDecision::new(slf.clone().unbind(), d))?);
                    }
                    Ok(())
                },
            )?;
            keys.warn(py)?;
            PyList::new(py, out)
        })
    }

    /// Scores an Arrow table or record batch (anything with
    /// `__arrow_c_stream__` or `__arrow_c_array__`) through the Arrow C data
    /// interface, and returns a `pyarrow.Table` of decision columns, one row
    /// per input row. A declared field without a column is a
    /// `MissingColumnsError` unless `allow_missing_columns` (then a warning).
    #[pyo3(signature = (data, *, as_of = None, threads = None, on_bad_value = "error", prefix = "", allow_missing_columns = false))]
    #[allow(clippy::too_many_arguments)]
    fn score_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        on_bad_value: &str,
        prefix: &str,
        allow_missing_columns: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let call = Call::new(as_of, on_bad_value, true, Some(threads))?;
            let columns = self
                .inner
                .decision_columns(prefix)
                .map_err(|e| value_error(e.to_string()))?;
            let schema = output::schema(&columns);
            let batches = Batches::new(data)?;
            self.check_columns_of(py, &batches.columns(), allow_missing_columns)?;
            let mut out = Vec::new();
            stream::slices(py, batches, |part, first| {
                let scored = py.detach(|| {
                    let rows = Rows::new(&self.keys, part, first);
                    let parts = call.pool.map_ranges(part.num_rows(), 256, |range| {
                        let mut o = Output::new(&columns, range.len());
                        for row in range {
                            o.push(&rows.decide(&self.inner, row, &call.opts));
                        }
                        o.finish()
                    });
                    output::join(&schema, parts)
                });
                out.push(scored.map_err(|e| value_error(format!("building decisions: {e}")))?);
                Ok(())
            })?;
            Table::try_new(out, schema)
                .map_err(|e| value_error(format!("building decisions: {e}")))?
                .into_pyarrow(py)
        })
    }

    /// Scores one lead and explains the decision for a person.
    #[pyo3(signature = (lead, *, as_of = None, on_bad_value = "error"))]
    fn explain(
        slf: &Bound<'_, Self>,
        lead: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
    ) -> PyResult<PyExplanation> {
        let (py, this) = (slf.py(), slf.get());
        guard(|| {
            let call = Call::new(as_of, on_bad_value, true, None)?;
            let lead = this.bind_one(py, lead, &call)?;
            let explanation = py.detach(|| this.inner.explain(0, &lead, &call.opts));
            Ok(PyExplanation {
                agreement: slf.clone().unbind(),
                explanation,
            })
        })
    }

    /// The funnel report of Arrow data or an iterable of mappings; `by`
    /// and `outcome` name a field or a column.
    #[pyo3(signature = (data, *, by = None, outcome = None, as_of = None, threads = None, on_bad_value = "error", allow_missing_columns = false, title = None, top = 20))]
    #[allow(clippy::too_many_arguments)]
    fn report(
        slf: &Bound<'_, Self>,
        data: &Bound<'_, PyAny>,
        by: Option<&str>,
        outcome: Option<&str>,
        as_of: Option<&Bound<'_, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        allow_missing_columns: bool,
        title: Option<String>,
        top: usize,
    ) -> PyResult<PyReport> {
        let (py, this) = (slf.py(), slf.get());
        guard(|| {
            let call = Call::new(as_of, on_bad_value, true, Some(threads))?;
            let data = analysis::Data::new(data)?;
            let report =
                analysis::report(py, this, data, by, outcome, &call, allow_missing_columns)?;
            let title = title.unwrap_or_else(|| this.inner.name().to_string());
            Ok(PyReport::new(slf.clone().unbind(), report, title, top))
        })
    }

    /// This agreement (the one in force) and `other` (the proposed one)
    /// over the same leads; `changes` lists up to that many moved leads.
    #[pyo3(signature = (other, data, *, changes = 0, as_of = None, threads = None, on_bad_value = "error", allow_missing_columns = false, input_name = "data"))]
    #[allow(clippy::too_many_arguments)]
    fn diff(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAgreement>,
        data: &Bound<'_, PyAny>,
        changes: usize,
        as_of: Option<&Bound<'_, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        allow_missing_columns: bool,
        input_name: &str,
    ) -> PyResult<PyDiff> {
        guard(|| {
            let call = Call::new(as_of, on_bad_value, true, Some(threads))?;
            let data = analysis::Data::new(data)?;
            let new = other.get();
            let diff = analysis::diff(py, self, new, data, changes, &call, allow_missing_columns)?;
            let names = [
                self.file_name.clone(),
                new.file_name.clone(),
                input_name.to_string(),
            ];
            Ok(PyDiff { diff, names })
        })
    }

    fn __repr__(&self) -> String {
        let a = &self.inner;
        format!(
            "<Agreement {:?}{} fields={} scores={} grades={} routes={}>",
            a.name(),
            a.version()
                .map(|v| format!(" version {v:?}"))
                .unwrap_or_default(),
            a.fields().len(),
            a.scores().len(),
            a.grades().len(),
            a.routes().len(),
        )
    }
}
