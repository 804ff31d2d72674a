//! `Agreement`: a compiled agreement, what it declares, and scoring with it.
//! `leadgate.Agreement` (Python) subclasses it; the underscored methods are
//! the native halves of its Python ones.

use std::ops::Range;
use std::sync::Arc;

use std::mem::take;
use std::sync::Mutex;

use arrow_array::RecordBatch;
use arrow_pyarrow::{IntoPyArrow, Table};
use arrow_select::concat::concat_batches;
use leadgate::arrow::{decision_schema, Columnar, DecisionBatch};
use leadgate::{Agreement, Arrival, BatchRun, DiffNames, Load, ScoreOptions, Staffing, Threads};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyList};
use pyo3::IntoPyObjectExt;

use crate::analysis;
use crate::block::KeySet;
use crate::decision::PyDecision;
use crate::errors::{agreement_error, guard, load_error, require, value_error};
use crate::report::PyReport;
use crate::roster::{PyLoad, PyRoster};
use crate::run::{self, check_columns, Data, Part};
use crate::stream::Batches;

/// A compiled agreement. Immutable and thread-safe.
#[pyclass(module = "leadgate._leadgate", name = "Agreement", subclass, frozen)]
pub struct PyAgreement {
    pub(crate) inner: Agreement,
    #[pyo3(get)]
    file_name: String,
    /// The input keys the agreement reads, as dicts are looked up.
    pub(crate) keys: KeySet,
}

/// What a scoring call was asked for: the options, the thread pool, the rosters.
pub(crate) struct Call {
    pub(crate) opts: ScoreOptions,
    pub(crate) pool: Arc<Threads>,
    /// Per agreement its staffing (None: no roster), and its counts.
    staffing: Vec<Option<Staffing>>,
    loads: Vec<Arc<Mutex<Load>>>,
    /// `as_of_column`: its place among the call's other keys, and how it is read.
    arrival: Option<(usize, Arrival)>,
    as_of_given: bool,
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
            staffing: Vec::new(),
            loads: Vec::new(),
            arrival: None,
            as_of_given: as_of.is_some_and(|a| !a.is_none()),
        })
    }

    /// With `rosters` (one per agreement, checked against it), `load` (the
    /// first agreement's counts; None: nobody has taken a lead) and
    /// `as_of_column`, the `at`th other key the call reads.
    pub(crate) fn staff(
        mut self,
        py: Python<'_>,
        agreements: &[&Agreement],
        rosters: &[Option<PyRef<'_, PyRoster>>],
        load: Option<&Bound<'_, PyLoad>>,
        as_of_column: Option<(usize, &str)>,
    ) -> PyResult<Self> {
        if rosters.iter().any(Option::is_some) {
            for (i, (a, r)) in agreements.iter().zip(rosters).enumerate() {
                let staffing = r.as_ref().map(|r| r.staff(py, a)).transpose()?;
                self.staffing.push(staffing);
                let given = load.filter(|_| i == 0).map(|l| l.get().0.clone());
                self.loads.push(given.unwrap_or_default());
            }
        }
        let roster = self.staffing.iter().flatten().next().map(Staffing::roster);
        let arrival = |key| Arrival::new(key, roster, self.as_of_given, "as_of=");
        self.arrival = as_of_column.map(|(at, key)| (at, arrival(key)));
        Ok(self)
    }

    /// The core's run of the call (it takes the call's rosters).
    pub(crate) fn run<'a>(
        &mut self,
        agreements: &'a [&'a Agreement],
        keys: &'a KeySet,
    ) -> BatchRun<'a> {
        let (staffing, loads) = (take(&mut self.staffing), take(&mut self.loads));
        let run = BatchRun::new(agreements, &keys.core, self.opts).with_staffing(staffing, loads);
        match self.arrival.take() {
            Some((at, arrival)) => run.with_arrival(at, arrival),
            None => run,
        }
    }
}

/// The options of the one-agreement scoring calls.
struct Scoring<'a, 'py> {
    as_of: Option<&'a Bound<'py, PyAny>>,
    on_bad_value: &'a str,
    explain: bool,
    threads: Option<Option<&'a Bound<'py, PyAny>>>,
    roster: Option<PyRef<'py, PyRoster>>,
    as_of_column: Option<&'a str>,
    load: Option<&'a Bound<'py, PyLoad>>,
}

impl PyAgreement {
    /// Runs `f` with the call's core run, the keys it reads and its pool.
    fn scoring<T>(
        &self,
        py: Python<'_>,
        s: Scoring<'_, '_>,
        f: impl FnOnce(&BatchRun<'_>, &KeySet, &Threads) -> PyResult<T>,
    ) -> PyResult<T> {
        let agreements = [&self.inner];
        let column = s.as_of_column.map(|c| (0, c));
        let call = Call::new(s.as_of, s.on_bad_value, s.explain, s.threads)?;
        let mut call = call.staff(py, &agreements, &[s.roster], s.load, column)?;
        let extra = s.as_of_column.map(|k| KeySet::new(py, &agreements, &[k]));
        let keys = extra.as_ref().unwrap_or(&self.keys);
        let pool = call.pool.clone();
        f(&call.run(&agreements, keys), keys, &pool)
    }
}

#[pymethods]
impl PyAgreement {
    /// Compiles `text`, or loads it when it is the bytes of a compiled agreement.
    #[new]
    #[pyo3(signature = (text, *, file_name = None))]
    fn new(py: Python<'_>, text: &Bound<'_, PyAny>, file_name: Option<String>) -> PyResult<Self> {
        guard(py, || {
            let file_name = file_name.unwrap_or_else(|| "<agreement>".into());
            let inner = match text.cast::<PyBytes>() {
                Ok(b) => {
                    let bytes = b.as_bytes();
                    py.detach(|| Agreement::from_compiled(bytes))
                        .map_err(|e| load_error(py, &e))?
                }
                Err(_) => {
                    let text = text.extract::<PyBackedStr>()?;
                    py.detach(|| Agreement::compile(&text))
                        .map_err(|e| agreement_error(py, &e, &file_name))?
                }
            };
            let keys = KeySet::new(py, &[&inner], &[]);
            Ok(PyAgreement {
                inner,
                file_name,
                keys,
            })
        })
    }

    #[getter]
    fn source(&self) -> &str {
        self.inner.source()
    }

    /// The compiled agreement's bytes (what `leadgate compile` writes).
    fn to_compiled<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_compiled())
    }

    #[getter]
    fn input_keys(&self) -> Vec<String> {
        self.keys.core.names().to_vec()
    }

    /// What the agreement declares (the core's `AgreementInfo`).
    fn _info(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(pythonize::pythonize(py, &self.inner.info())?.unbind())
    }

    /// The compile warnings, as `AgreementError` carries diagnostics.
    fn _warnings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let (source, file) = (self.inner.source(), &self.file_name);
        let list = self
            .inner
            .warnings()
            .iter()
            .map(|d| d.rendered(source, file));
        Ok(pythonize::pythonize(py, &list.collect::<Vec<_>>())?.unbind())
    }

    /// The results of the `example` blocks (the core's serde form).
    fn _check(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let results = py.detach(|| self.inner.run_examples());
            Ok(pythonize::pythonize(py, &results)?.unbind())
        })
    }

    fn column_for<'a>(&'a self, name: &'a str) -> &'a str {
        self.inner.column_for(name)
    }

    /// The decision columns (the core's serde form): name, column_type.
    fn _decision_columns(&self, py: Python<'_>, prefix: &str) -> PyResult<Py<PyAny>> {
        let columns = self.inner.decision_columns(prefix);
        let columns = columns.map_err(|e| value_error(e.to_string()))?;
        Ok(pythonize::pythonize(py, columns.columns())?.unbind())
    }

    #[pyo3(signature = (columns, *, allow_missing_columns = false))]
    fn check_columns(
        &self,
        py: Python<'_>,
        columns: &Bound<'_, PyAny>,
        allow_missing_columns: bool,
    ) -> PyResult<()> {
        let columns = columns.try_iter()?.map(|c| c?.str()?.extract());
        let columns = columns.collect::<PyResult<Vec<String>>>()?;
        check_columns(py, &self.inner, &columns, allow_missing_columns)
    }

    /// Scores many leads in parallel (the GIL released), in order. A rejected
    /// lead keeps its place as a decision with `error` set.
    #[pyo3(signature = (leads, *, as_of = None, threads = None, on_bad_value = "error", explain = true, roster = None, as_of_column = None, load = None))]
    #[allow(clippy::too_many_arguments)]
    fn score_many<'py>(
        slf: &Bound<'py, Self>,
        leads: &Bound<'py, PyAny>,
        as_of: Option<&Bound<'py, PyAny>>,
        threads: Option<&Bound<'py, PyAny>>,
        on_bad_value: &str,
        explain: bool,
        roster: Option<PyRef<'py, PyRoster>>,
        as_of_column: Option<&str>,
        load: Option<&Bound<'py, PyLoad>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (py, this) = (slf.py(), slf.get());
        let s = Scoring {
            as_of,
            on_bad_value,
            explain,
            threads: Some(threads),
            roster,
            as_of_column,
            load,
        };
        guard(py, || {
            let mut out = Vec::with_capacity(leads.len().unwrap_or(0));
            let data = Data::Dicts(leads.try_iter()?);
            let chunk = |part: &Part<'_, '_, '_>, rows: Range<usize>| {
                rows.map(|row| part.decide(0, row)).collect::<Vec<_>>()
            };
            this.scoring(py, s, |run, keys, pool| {
                run::each(py, run, keys, data, pool, false, chunk, |parts| {
                    for d in parts.into_iter().flatten() {
                        out.push(Bound::new(py, PyDecision::new(slf.clone().unbind(), d))?);
                    }
                    Ok(())
                })
            })?;
            PyList::new(py, out)
        })
    }

    /// Scores Arrow data (a table, a record batch or reader, anything with
    /// `__arrow_c_stream__` or `__arrow_c_array__`) into a `pyarrow.Table`
    /// of decision columns, one row per input row.
    #[pyo3(signature = (data, *, as_of = None, threads = None, on_bad_value = "error", prefix = "", allow_missing_columns = false, roster = None, as_of_column = None, load = None))]
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
        roster: Option<PyRef<'py, PyRoster>>,
        as_of_column: Option<&str>,
        load: Option<&Bound<'py, PyLoad>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let s = Scoring {
            as_of,
            on_bad_value,
            explain: true,
            threads: Some(threads),
            roster,
            as_of_column,
            load,
        };
        guard(py, || {
            require(py, "pyarrow", "arrow")?;
            let building = |e| value_error(format!("building decisions: {e}"));
            let (out, schema) = self.scoring(py, s, |run, keys, pool| {
                let columns = match run.staffing(0) {
                    Some(s) => s.decision_columns(prefix),
                    None => self.inner.decision_columns(prefix),
                };
                let columns = columns.map_err(|e| value_error(e.to_string()))?;
                let schema = decision_schema(&columns);
                let batches = Batches::new(data)?;
                let mut out = Vec::new();
                // Column by column where the agreement allows (not with
                // each lead's own instant: `as_of_column`).
                let columnar = (as_of_column.is_none())
                    .then(|| Columnar::new(&self.inner, run.options(), &columns))
                    .flatten();
                if let Some(columnar) = columnar {
                    let n = |b: &RecordBatch| b.num_rows().div_ceil(pool.count().max(1));
                    run::arrow_slices(
                        py,
                        run,
                        keys,
                        batches,
                        allow_missing_columns,
                        |batch, _| {
                            let parts = py.detach(|| {
                                pool.map_ranges(batch.num_rows(), n(batch).max(1024), |rows| {
                                    columnar.score(&batch.slice(rows.start, rows.len()), &schema)
                                })
                            });
                            // The parts are the table's batches, as they are
                            // (a slice of n rows gives one per thread, an empty
                            // one none: the table is the same).
                            for part in parts {
                                out.push(part.map_err(building)?);
                            }
                            Ok(())
                        },
                    )?;
                    return Ok((out, schema));
                }
                let data = Data::Arrow(batches);
                let chunk = |part: &Part<'_, '_, '_>, rows: Range<usize>| {
                    let mut o = DecisionBatch::new(&columns, rows.len());
                    rows.for_each(|row| o.push(&part.decide(0, row)));
                    o.finish(&schema)
                };
                run::each(
                    py,
                    run,
                    keys,
                    data,
                    pool,
                    allow_missing_columns,
                    chunk,
                    |parts| {
                        let parts = parts.into_iter().collect::<Result<Vec<_>, _>>();
                        let batch = parts.and_then(|p| concat_batches(&schema, &p));
                        out.push(batch.map_err(building)?);
                        Ok(())
                    },
                )?;
                Ok((out, schema))
            })?;
            let table = Table::try_new(out, schema).map_err(building)?;
            table.into_pyarrow(py)
        })
    }

    /// (decision, text, canonical JSON) of one lead's explanation (the
    /// lead is the `index`th of its input).
    #[pyo3(signature = (lead, as_of, on_bad_value, roster = None, index = 0))]
    fn _explain(
        slf: &Bound<'_, Self>,
        lead: &Bound<'_, PyAny>,
        as_of: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        roster: Option<PyRef<'_, PyRoster>>,
        index: usize,
    ) -> PyResult<(PyDecision, String, String)> {
        let (py, this) = (slf.py(), slf.get());
        let s = Scoring {
            as_of,
            on_bad_value,
            explain: true,
            threads: None,
            roster,
            as_of_column: None,
            load: None,
        };
        guard(py, || {
            let e = this.scoring(py, s, |run, keys, _| {
                let lead = run::one(py, run, keys, lead, |part| part.bind(0, 0))?;
                let opts = run.options();
                Ok(py.detach(|| match run.staffing(0) {
                    Some(s) => s.explain(index, &lead, opts, &mut Default::default()),
                    None => this.inner.explain(index, &lead, opts),
                }))
            })?;
            let json = leadgate::to_canonical_json(&e).map_err(|e| value_error(e.to_string()))?;
            let decision = PyDecision::new(slf.clone().unbind(), e.decision().clone());
            Ok((decision, e.text(), json))
        })
    }

    /// The native report of Arrow data or mappings (`by`, `outcome`: a
    /// field or a column; `followed_up_at`, `as_of_column`: a column).
    #[pyo3(signature = (data, by, outcome, as_of, threads, on_bad_value, allow_missing_columns, roster = None, as_of_column = None, followed_up_at = None))]
    #[allow(clippy::too_many_arguments)]
    fn _report(
        &self,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        by: Option<&str>,
        outcome: Option<&str>,
        as_of: Option<&Bound<'_, PyAny>>,
        threads: Option<&Bound<'_, PyAny>>,
        on_bad_value: &str,
        allow_missing_columns: bool,
        roster: Option<PyRef<'_, PyRoster>>,
        as_of_column: Option<&str>,
        followed_up_at: Option<&str>,
    ) -> PyResult<PyReport> {
        guard(py, || {
            let call = Call::new(as_of, on_bad_value, true, Some(threads))?;
            // The other keys read: by, outcome, followed_up_at, as_of_column.
            let before = [by, outcome, followed_up_at].iter().flatten().count();
            let at = as_of_column.map(|c| (before, c));
            let mut call = call.staff(py, &[&self.inner], &[roster], None, at)?;
            let data = Data::new(data)?;
            let columns = [by, outcome, followed_up_at, as_of_column];
            let report = analysis::report(
                py,
                &self.inner,
                data,
                columns,
                &mut call,
                allow_missing_columns,
            )?;
            Ok(PyReport(report))
        })
    }

    /// The analysis (the core's serde form), its `example` blocks, the
    /// indices of the route rules no `example` block reaches, and its JSON.
    #[pyo3(signature = (budget = None, samples = None))]
    fn _analyze(
        &self,
        py: Python<'_>,
        budget: Option<u64>,
        samples: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let mut opts = leadgate::AnalysisOptions::default();
            opts.budget = budget.unwrap_or(opts.budget);
            opts.samples = samples.unwrap_or(opts.samples);
            let a = py.detach(|| leadgate::Analysis::with_options(&self.inner, &opts));
            let uncovered: Vec<usize> = a.uncovered(&self.inner).iter().map(|r| r.index).collect();
            let json = serde_json::to_string_pretty(&a).map_err(|e| value_error(e.to_string()))?;
            let dict = pythonize::pythonize(py, &a)?;
            (dict, a.example_blocks(&self.inner), uncovered, json).into_py_any(py)
        })
    }

    /// The symbolic diff of this agreement and `other` (the core's serde
    /// form), its text and its JSON (as `leadgate diff OLD NEW` prints them).
    fn _symbolic_diff(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAgreement>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let new = &other.get().inner;
            let d = py.detach(|| leadgate::SymbolicDiff::between(&self.inner, new));
            let json = serde_json::to_string_pretty(&d).map_err(|e| value_error(e.to_string()))?;
            (pythonize::pythonize(py, &d)?, d.to_text(), json).into_py_any(py)
        })
    }

    /// (leads, moved, rejected, text, JSON, canonical JSON) of this agreement and `other`
    /// (each with its roster, if any) over the same leads.
    #[pyo3(signature = (other, data, changes, as_of, threads, on_bad_value, allow_missing_columns, input_name, roster = None, roster_new = None, as_of_column = None))]
    #[allow(clippy::too_many_arguments)]
    fn _diff(
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
        roster: Option<PyRef<'_, PyRoster>>,
        roster_new: Option<PyRef<'_, PyRoster>>,
        as_of_column: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, || {
            let new = other.get();
            let call = Call::new(as_of, on_bad_value, true, Some(threads))?;
            let rosters = [roster, roster_new];
            let at = as_of_column.map(|c| (0, c));
            let mut call = call.staff(py, &[&self.inner, &new.inner], &rosters, None, at)?;
            let data = Data::new(data)?;
            let agreements = [&self.inner, &new.inner];
            let diff = analysis::diff(
                py,
                agreements,
                data,
                changes,
                as_of_column,
                &mut call,
                allow_missing_columns,
            )?;
            let (old, new, input) = (&self.file_name, &new.file_name, input_name);
            let text = diff.to_text(&DiffNames { old, new, input });
            let failed = |e: serde_json::Error| value_error(e.to_string());
            let json = serde_json::to_string_pretty(&diff.to_json()).map_err(failed)?;
            let canonical = leadgate::to_canonical_json(&diff.to_json()).map_err(failed)?;
            let counts = (diff.leads(), diff.moved(), diff.rejected());
            (counts.0, counts.1, counts.2, text, json, canonical).into_py_any(py)
        })
    }
}
