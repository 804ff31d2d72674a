//! One pass over the leads of a call, for every batch entry point: Arrow
//! data read in slices (`stream.rs`) or mappings read in blocks
//! (`many.rs`), each part bound and scored on the pool with the GIL
//! released, and its results handed back in order with the GIL held.

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use leadgate::{
    Agreement, Decision, Lead, LeadError, LeadErrorKind, Load, Raw, ScoreOptions, Staffing, Threads,
};
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::arrow::{column, Column};
use crate::block::{Block, KeySet, Keys};
use crate::errors::{missing_columns_error, value_error};
use crate::roster::instant;
use crate::stream::{self, Batches};

/// Leads: Arrow data, or an iterable of mappings.
pub(crate) enum Data<'py> {
    Arrow(Batches<'py>),
    Dicts(Bound<'py, PyIterator>),
}

impl<'py> Data<'py> {
    pub(crate) fn new(data: &Bound<'py, PyAny>) -> PyResult<Self> {
        for name in ["__arrow_c_stream__", "__arrow_c_array__", "_export_to_c"] {
            if data.hasattr(name)? {
                return Ok(Data::Arrow(Batches::new(data)?));
            }
        }
        Ok(Data::Dicts(data.try_iter()?))
    }
}

/// What a call scores with: its agreements, the keys they read, the options.
pub(crate) struct Run<'a> {
    pub(crate) agreements: &'a [&'a Agreement],
    pub(crate) keys: &'a KeySet,
    pub(crate) opts: &'a ScoreOptions,
    staffed: &'a Staffed,
    misnamed: Misnamed,
}

/// A call's rosters (docs/rosters.md): per agreement its staffing (None:
/// no roster) and the counts its `per_day` is checked against; and
/// `as_of_column`: its place among the call's other keys, its name, and
/// whether a lead without a value is scored as of `as_of` (else rejected).
#[derive(Default)]
pub(crate) struct Staffed {
    pub(crate) staffing: Vec<Option<Staffing>>,
    pub(crate) loads: Vec<Arc<Mutex<Load>>>,
    pub(crate) as_of: Option<(usize, String, bool)>,
}

/// Some leads of a call as the pool reads them: an Arrow slice's columns
/// (one per key, if the data has it) or a block of mappings.
pub(crate) struct Part<'a> {
    run: &'a Run<'a>,
    source: Source<'a>,
    /// The index of the part's first lead in the input.
    first: usize,
    /// With a roster: per agreement, the part's decisions, assigned.
    settled: Vec<Vec<Decision>>,
}

enum Source<'a> {
    /// Per agreement, the columns it reads, each with its field slot; then
    /// the other columns asked for.
    Arrow(Vec<Vec<(u32, Column<'a>)>>, Vec<Option<Column<'a>>>),
    Block(&'a Block),
}

impl Part<'_> {
    /// Lead `row` bound to agreement `which` (misnamed keys noted).
    pub(crate) fn bind(&self, which: usize, row: usize) -> Lead {
        let (run, a) = (self.run, self.run.agreements[which]);
        let mut b = a.lead_builder(run.opts.bad_values());
        match &self.source {
            Source::Arrow(columns, _) => {
                for (slot, c) in &columns[which] {
                    let raw = c.read(row);
                    if !matches!(raw, Raw::Null) {
                        b.set(*slot, raw);
                    }
                }
            }
            Source::Block(block) => block.bind(&mut b, row, &run.keys.slots[which], run.keys),
        }
        let lead = b.finish();
        run.misnamed.note(a, &lead);
        lead
    }

    /// Lead `row` bound to agreement `which`, with its options: its own
    /// instant (`as_of_column`), or rejected for the lack of one.
    pub(crate) fn lead(&self, which: usize, row: usize) -> (Lead, ScoreOptions) {
        let (run, mut lead) = (self.run, self.bind(which, row));
        let Some((k, key, fallback)) = &run.staffed.as_of else {
            return (lead, *run.opts);
        };
        let roster = run.staffed.staffing.iter().flatten().next();
        match instant(
            self.extra(row, *k),
            key,
            roster.map(Staffing::roster),
            *fallback,
        ) {
            Ok(Some(t)) => return (lead, run.opts.with_as_of(t)),
            Ok(None) => {}
            Err(msg) => lead.reject(LeadError::new(LeadErrorKind::BadValue, None, msg)),
        }
        (lead, *run.opts)
    }

    /// Lead `row` bound to agreement `which` and scored (and, with a
    /// roster, assigned: see [`Run::parts`]).
    pub(crate) fn decide(&self, which: usize, row: usize) -> Decision {
        if let Some(d) = self.settled.get(which).and_then(|s| s.get(row)) {
            return d.clone();
        }
        let (lead, opts) = self.lead(which, row);
        let index = self.first + row;
        match self.run.staffed.staffing.get(which) {
            Some(Some(s)) => s.decide(index, &lead, &opts),
            _ => self.run.agreements[which].decide(index, &lead, &opts),
        }
    }

    /// The value of the `k`th other key asked for (a report's `by`, `outcome`).
    pub(crate) fn extra(&self, row: usize, k: usize) -> Raw<'_> {
        match &self.source {
            Source::Arrow(_, extra) => match extra.get(k) {
                Some(Some(c)) => c.read(row),
                _ => Raw::Null,
            },
            Source::Block(block) => match self.run.keys.extra.get(k) {
                Some(&at) => block.value(row, at),
                None => Raw::Null,
            },
        }
    }
}

impl<'a> Run<'a> {
    pub(crate) fn new(
        agreements: &'a [&'a Agreement],
        keys: &'a KeySet,
        opts: &'a ScoreOptions,
        staffed: &'a Staffed,
    ) -> Self {
        Run {
            agreements,
            keys,
            opts,
            staffed,
            misnamed: Misnamed::default(),
        }
    }

    /// Reads one mapping as the only lead of a part, handed to `f`.
    pub(crate) fn one<T>(
        &self,
        py: Python<'_>,
        lead: &Bound<'_, PyAny>,
        f: impl FnOnce(Part<'_>) -> T,
    ) -> PyResult<T> {
        let mut keys = Keys::new(py, self.keys);
        let mut block = Block::new();
        block.clear(0, 1, keys.len());
        block.read(lead, &mut keys)?;
        let out = f(self.part(Source::Block(&block), 0));
        self.misnamed.warn(py)?;
        Ok(out)
    }

    fn part<'p>(&'p self, source: Source<'p>, first: usize) -> Part<'p> {
        Part {
            run: self,
            source,
            first,
            settled: Vec::new(),
        }
    }

    /// The results of `chunk` over the `n` leads of `part`, in order, on
    /// `pool`. With a roster, the leads are first scored on the pool, then
    /// assigned in input order (`per_day` makes an assignment depend on the
    /// ones before), and `chunk` reads the assigned decisions.
    pub(crate) fn parts<T: Send>(
        &self,
        mut part: Part<'_>,
        n: usize,
        grain: usize,
        pool: &Threads,
        chunk: &(impl Fn(&Part<'_>, Range<usize>) -> T + Sync),
    ) -> Vec<T> {
        let staffed = self.staffed;
        for (which, s) in staffed.staffing.iter().enumerate() {
            let mut decided: Vec<Decision> = pool
                .map_ranges(n, grain, |rows| {
                    rows.map(|r| part.decide(which, r)).collect::<Vec<_>>()
                })
                .into_iter()
                .flatten()
                .collect();
            if let (Some(s), Some(load)) = (s, staffed.loads.get(which)) {
                s.settle(
                    &mut decided,
                    &mut load.lock().unwrap_or_else(PoisonError::into_inner),
                );
            }
            part.settled.push(decided);
        }
        pool.map_ranges(n, grain, |rows| chunk(&part, rows))
    }

    /// Reads every lead of `data` and hands each chunk of leads to `chunk`
    /// on `pool`; `emit` gets the results of each slice or block, in
    /// order. Arrow data is first checked for a column per declared field
    /// (`allow_missing`: a warning) and for the other keys asked for.
    pub(crate) fn each<T: Send>(
        &self,
        py: Python<'_>,
        data: Data<'_>,
        pool: &Threads,
        allow_missing: bool,
        chunk: impl Fn(&Part<'_>, Range<usize>) -> T + Sync + Send,
        mut emit: impl FnMut(Vec<T>) -> PyResult<()>,
    ) -> PyResult<()> {
        match data {
            Data::Arrow(batches) => {
                let names = batches.columns();
                for a in self.agreements {
                    check_columns(py, a, &names, allow_missing)?;
                }
                for &at in &self.keys.extra {
                    let wanted = self.keys.names.get(at).map_or("", String::as_str);
                    if !names.iter().any(|n| n == wanted) {
                        return Err(value_error(format!(
                            "the input has no column \"{wanted}\"; its columns are: {}",
                            names.join(", ")
                        )));
                    }
                }
                stream::slices(py, batches, |batch, first| {
                    let parts = py.detach(|| {
                        let keys = self.keys;
                        let read = |at: usize| column(batch, keys.names.get(at)?);
                        let own = |slots: &Vec<(usize, u32)>| {
                            let columns = slots.iter().map(|&(at, slot)| Some((slot, read(at)?)));
                            columns.flatten().collect()
                        };
                        let columns = keys.slots.iter().map(own).collect();
                        let extra = keys.extra.iter().map(|&at| read(at)).collect();
                        let part = self.part(Source::Arrow(columns, extra), first);
                        self.parts(part, batch.num_rows(), 256, pool, &chunk)
                    });
                    emit(parts)
                })
            }
            Data::Dicts(leads) => {
                let mut keys = Keys::new(py, self.keys);
                let read = |block: &Block| {
                    let part = self.part(Source::Block(block), block.first);
                    self.parts(part, block.leads, 64, pool, &chunk)
                };
                crate::many::run(py, leads, &mut keys, pool, read, emit)?;
                self.misnamed.warn(py)
            }
        }
    }
}

/// Checks that `columns` has a column for every field `a` declares: a
/// `MissingColumnsError` naming each missing one, or with `allow_missing`
/// a `UserWarning`.
pub(crate) fn check_columns(
    py: Python<'_>,
    a: &Agreement,
    columns: &[String],
    allow_missing: bool,
) -> PyResult<()> {
    match a.check_columns(columns) {
        Ok(()) => Ok(()),
        Err(missing) if allow_missing => warn(py, &missing.to_string()),
        Err(missing) => Err(missing_columns_error(
            py,
            &missing,
            "pass allow_missing_columns=True to score with those fields missing in every lead",
        )),
    }
}

/// A `UserWarning`.
pub(crate) fn warn(py: Python<'_>, message: &str) -> PyResult<()> {
    let message = std::ffi::CString::new(message.replace('\0', " "))?;
    let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
    PyErr::warn(py, &category, &message, 1)
}

/// Mappings keyed by a field's name where the field reads another key
/// (`from "Company Size"`, keyed `company_size`), as the core finds them
/// ([`Agreement::misnamed_keys`]): counted while scoring, warned about
/// once per field at the end, as the CLI does for JSON leads.
#[derive(Default)]
struct Misnamed(Mutex<Vec<(String, String, u64)>>);

impl Misnamed {
    fn note(&self, a: &Agreement, lead: &Lead) {
        let mut fields = a.misnamed_keys(lead).peekable();
        if fields.peek().is_none() {
            return;
        }
        let mut notes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for f in fields {
            match notes.iter_mut().find(|(name, _, _)| name == f.name()) {
                Some(note) => note.2 += 1,
                None => notes.push((f.name().into(), f.key().into(), 1)),
            }
        }
    }

    fn warn(&self, py: Python<'_>) -> PyResult<()> {
        let notes = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        for (name, key, n) in notes {
            warn(py, &format!("{n} lead(s) have the key \"{name}\" but no \"{key}\": the field {name} reads \"{key}\", so it is missing in them (did you mean \"{key}\"?)"))?;
        }
        Ok(())
    }
}
