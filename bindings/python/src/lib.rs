//! Python bindings for leadgate (the `leadgate._leadgate` extension module).
//!
//! Thin by design: Python objects or Arrow columns are turned into the core's
//! raw values, the core binds, scores and writes the canonical JSON, and the
//! results come back as Python objects or Arrow columns. Binding and scoring
//! run with the GIL released, on a rayon thread pool (the core's `Threads`,
//! `pool.rs`); `score_many` reads its leads in blocks while the pool scores
//! the previous ones (`many.rs`), and `score_arrow` reads record batches
//! (`stream.rs`) and builds its output columns on the pool (`arrow.rs`).
//! Between two blocks or slices, pending signals are handled, so Ctrl-C
//! ends a long call.

mod arrow;
mod convert;
mod dates;
mod decision;
mod errors;
mod many;
mod pool;
mod stream;

// mimalloc for every allocation of the extension (the core's too): binding
// and scoring a lead make a few dozen small allocations, and glibc's malloc
// spent a quarter of score_many's and score_arrow's time on them. Local-dynamic
// TLS, as a library loaded with dlopen needs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;

use arrow_pyarrow::{IntoPyArrow, Table};
use leadgate::{Agreement, ScoreOptions, Threads};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::convert::{on_bad_value, Block, Keys, PyKey};
use crate::dates::as_of_ms;
use crate::decision::PyDecision;
use crate::errors::{agreement_error, guard, lead_error, value_error, PyDiagnostic};

/// A declared field of an agreement.
#[pyclass(
    module = "leadgate",
    name = "Field",
    frozen,
    get_all,
    skip_from_py_object
)]
struct PyField {
    /// The field's name in the agreement.
    name: String,
    /// `"text"`, `"number"`, `"bool"`, `"date"` or `"list"`.
    r#type: String,
    /// The input key or column it is read from (`from "…"`, else the name).
    key: String,
    required: bool,
    /// Whether it is the agreement's `id` field.
    id: bool,
}

#[pymethods]
impl PyField {
    fn __repr__(&self) -> String {
        format!(
            "Field(name={:?}, type={:?}, key={:?}, required={}, id={})",
            self.name,
            self.r#type,
            self.key,
            if self.required { "True" } else { "False" },
            if self.id { "True" } else { "False" },
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
struct PyExampleResult {
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
struct PyAgreement {
    inner: Arc<Agreement>,
    source: String,
    file_name: String,
    /// Every distinct input key the agreement reads, with its field slot.
    keys: Vec<(String, u32)>,
    /// The same keys as interned Python strings, for dict look-ups.
    py_keys: Vec<PyKey>,
    /// The field slot of each key, in the same order.
    slots: Vec<u32>,
}

impl PyAgreement {
    fn options(
        &self,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad: &str,
        explain: bool,
    ) -> PyResult<ScoreOptions> {
        Ok(ScoreOptions {
            as_of_ms: as_of_ms(as_of)?,
            on_bad_value: on_bad_value(on_bad)?,
            explain,
        })
    }

    /// Options and the thread pool of a batch call.
    fn batch_options(
        &self,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad: &str,
        explain: bool,
        threads: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<(ScoreOptions, Arc<Threads>)> {
        let opts = self.options(as_of, on_bad, explain)?;
        Ok((opts, pool::pool(threads)?))
    }

    fn compile(py: Python<'_>, text: &str, file_name: Option<String>) -> PyResult<Self> {
        let file_name = file_name.unwrap_or_else(|| "<agreement>".into());
        let inner = py
            .detach(|| Agreement::compile(text))
            .map_err(|e| agreement_error(py, &e, text, &file_name))?;
        let probe = inner.lead_builder(leadgate::OnBadValue::Error);
        let mut keys: Vec<(String, u32)> = Vec::new();
        for f in inner.fields() {
            if keys.iter().any(|(k, _)| *k == f.key) {
                continue;
            }
            if let Some(slot) = probe.slot(&f.key) {
                keys.push((f.key.clone(), slot));
            }
        }
        drop(probe);
        let py_keys = keys
            .iter()
            .map(|(k, slot)| (PyString::intern(py, k).unbind(), *slot))
            .collect();
        let slots = keys.iter().map(|(_, slot)| *slot).collect();
        Ok(PyAgreement {
            inner: Arc::new(inner),
            source: text.to_string(),
            file_name,
            keys,
            py_keys,
            slots,
        })
    }

    fn scorer<'a>(&'a self, opts: &'a ScoreOptions, pool: &'a Threads) -> many::Scorer<'a> {
        many::Scorer {
            agreement: &self.inner,
            slots: &self.slots,
            opts,
            pool,
        }
    }

    fn decision(&self, decision: leadgate::Decision) -> PyDecision {
        PyDecision {
            agreement: self.inner.clone(),
            decision: Box::new(decision),
        }
    }
}

#[pymethods]
impl PyAgreement {
    #[new]
    #[pyo3(signature = (text, *, file_name = None))]
    fn new(py: Python<'_>, text: &str, file_name: Option<String>) -> PyResult<Self> {
        guard(|| Self::compile(py, text, file_name))
    }

    /// The agreement text it was compiled from.
    #[getter]
    fn source(&self) -> &str {
        &self.source
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
        self.inner.model().version.as_deref()
    }

    /// Whether decisions depend on `as_of` (decay, `within`, `days_since`).
    #[getter]
    fn uses_time(&self) -> bool {
        self.inner.uses_time()
    }

    /// The declared fields, in order.
    #[getter]
    fn fields(&self) -> Vec<PyField> {
        let m = self.inner.model();
        m.fields
            .iter()
            .enumerate()
            .map(|(i, f)| PyField {
                name: f.name.clone(),
                r#type: f.ty.as_str().to_string(),
                key: f.key.clone(),
                required: f.required,
                id: m.id_slot == u32::try_from(i).ok(),
            })
            .collect()
    }

    /// The input keys (dict keys, column names) the agreement reads.
    #[getter]
    fn input_keys(&self) -> Vec<String> {
        self.keys.iter().map(|(k, _)| k.clone()).collect()
    }

    /// The score names, in declaration order.
    #[getter]
    fn scores(&self) -> Vec<String> {
        self.inner
            .model()
            .scores
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// The grades and their labels: `{grade: [label, ...]}`, in declaration order.
    #[getter]
    fn grades<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for g in &self.inner.model().grades {
            d.set_item(&g.name, PyList::new(py, &g.labels)?)?;
        }
        Ok(d)
    }

    /// The route rules in order: `[{"route", "queue", "rule", "follow_up_within_s"}]`.
    #[getter]
    fn routes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let out = PyList::empty(py);
        for r in &self.inner.model().routes {
            let d = PyDict::new(py);
            d.set_item("route", r.destination.as_str())?;
            d.set_item("queue", r.queue.as_deref())?;
            d.set_item("rule", r.name.as_deref())?;
            d.set_item("follow_up_within_s", r.within_s)?;
            out.append(d)?;
        }
        Ok(out)
    }

    /// Warnings found while compiling (unused fields, rules that never fire, …).
    #[getter]
    fn warnings(&self) -> PyResult<Vec<PyDiagnostic>> {
        guard(|| {
            Ok(self
                .inner
                .warnings()
                .iter()
                .map(|d| PyDiagnostic::new(d, &self.source, &self.file_name))
                .collect())
        })
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
                    name: r.name,
                    line: r.line,
                    failures: r.failures,
                })
                .collect())
        })
    }

    /// Scores one lead (a dict or any Mapping). Raises `LeadError` if it is rejected.
    #[pyo3(signature = (lead, *, as_of = None, on_bad_value = "error", explain = true))]
    fn score(
        &self,
        py: Python<'_>,
        lead: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        explain: bool,
    ) -> PyResult<PyDecision> {
        guard(|| {
            let opts = self.options(as_of, on_bad_value, explain)?;
            let one = Threads::calling();
            let scorer = self.scorer(&opts, &one);
            let mut block = Block::new(0);
            block.read(lead, &mut Keys::new(py, &self.keys, &self.py_keys))?;
            let lead = scorer.bind(&block, 0);
            let d = self.inner.decide(0, &lead, &opts);
            if let Some(e) = d.error() {
                return Err(lead_error(py, e, d.index, d.id.as_deref()));
            }
            Ok(self.decision(d))
        })
    }

    /// Scores many leads in parallel (the GIL released), in order. A rejected
    /// lead keeps its place as a decision with `error` set.
    #[pyo3(signature = (leads, *, as_of = None, threads = None, on_bad_value = "error", explain = true))]
    fn score_many<'py>(
        &self,
        py: Python<'py>,
        leads: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        on_bad_value: &str,
        explain: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        guard(|| {
            let (opts, pool) = self.batch_options(as_of, on_bad_value, explain, threads)?;
            let mut out = Vec::with_capacity(leads.len().unwrap_or(0));
            many::score_many(
                py,
                leads.try_iter()?,
                Keys::new(py, &self.keys, &self.py_keys),
                &self.scorer(&opts, &pool),
                |d| {
                    out.push(Bound::new(py, self.decision(d))?);
                    Ok(())
                },
            )?;
            PyList::new(py, out)
        })
    }

    /// Scores an Arrow table or record batch (anything with
    /// `__arrow_c_stream__` or `__arrow_c_array__`) through the Arrow C data
    /// interface, and returns a `pyarrow.Table` of decision columns, one row
    /// per input row.
    #[pyo3(signature = (data, *, as_of = None, threads = None, on_bad_value = "error", prefix = ""))]
    fn score_arrow<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        on_bad_value: &str,
        prefix: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(|| {
            let (opts, pool) = self.batch_options(as_of, on_bad_value, true, threads)?;
            let schema = arrow::decision_schema(&self.inner, prefix).map_err(value_error)?;
            let batches = stream::Batches::new(data)?;
            let out = stream::score(py, &self.inner, &self.keys, batches, &opts, &pool, &schema)?;
            Table::try_new(out, schema)
                .map_err(|e| value_error(format!("building decisions: {e}")))?
                .into_pyarrow(py)
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "<Agreement {:?}{} fields={} scores={} grades={} routes={}>",
            self.inner.name(),
            self.inner
                .model()
                .version
                .as_ref()
                .map(|v| format!(" version {v:?}"))
                .unwrap_or_default(),
            self.inner.fields().len(),
            self.inner.model().scores.len(),
            self.inner.model().grades.len(),
            self.inner.model().routes.len(),
        )
    }
}

/// Internal, for the test suite only (not part of the API): panics inside
/// the panic boundary every entry point uses ([`guard`]), to prove that a
/// Rust panic comes out as `LeadgateError`. `place`: `"gil"` (holding the
/// GIL), `"detached"` (with the GIL released) or `"pool"` (on a scoring
/// thread of a two-thread batch, as `score_many` and `score_arrow` run).
#[pyfunction]
#[pyo3(name = "_panic_for_test")]
#[allow(clippy::panic)]
fn panic_for_test(py: Python<'_>, place: &str) -> PyResult<()> {
    guard(|| match place {
        "gil" => panic!("test panic with the GIL held"),
        "detached" => py.detach(|| panic!("test panic with the GIL released")),
        "pool" => {
            let agreement = Agreement::compile(
                "agreement \"t\"\nfields { a : number }\nscore s { +1 \"r\" when a > 1 }\nroute { nurture otherwise }\n",
            )
            .map_err(|e| value_error(e.to_string()))?;
            let pool = Threads::new(Some(2)).map_err(value_error)?;
            let opts = ScoreOptions::default();
            py.detach(|| {
                pool.map_ranges(1000, 1, |rows| {
                    rows.map(|row| {
                        if row == 700 {
                            panic!("test panic on a scoring thread");
                        }
                        let lead = agreement.lead_builder(leadgate::OnBadValue::Error).finish();
                        agreement.decide(row, &lead, &opts)
                    })
                    .collect::<Vec<_>>()
                })
            });
            Ok(())
        }
        other => Err(value_error(format!(
            "_panic_for_test: unknown place {other:?}; use \"gil\", \"detached\" or \"pool\""
        ))),
    })
}

/// The native part of the `leadgate` package; use `leadgate` itself.
#[pymodule]
fn _leadgate(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("_MAX_AGREEMENT_BYTES", leadgate::MAX_AGREEMENT_BYTES)?;
    m.add_function(wrap_pyfunction!(panic_for_test, m)?)?;
    m.add_class::<PyAgreement>()?;
    m.add_class::<PyDecision>()?;
    m.add_class::<PyField>()?;
    m.add_class::<PyExampleResult>()?;
    m.add_class::<PyDiagnostic>()?;
    m.add("LeadgateError", py.get_type::<errors::LeadgateError>())?;
    m.add("AgreementError", py.get_type::<errors::AgreementError>())?;
    m.add("LeadError", py.get_type::<errors::LeadError>())?;
    Ok(())
}
