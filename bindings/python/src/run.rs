//! One pass over the leads of a call, for every batch entry point: Arrow
//! data read in slices (`stream.rs`) or mappings read in blocks
//! (`many.rs`), each part bound and scored by the core's [`BatchRun`] on
//! the pool with the GIL released, and its results handed back in order
//! with the GIL held.

use std::ops::Range;

use arrow_array::RecordBatch;
use leadgate::arrow::ArrowRows;
use leadgate::{Agreement, BatchKeys, BatchRun, LeadBuilder, OwnedRows, Raw, Rows, Threads};
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::block::{read, KeySet, Keys};
use crate::errors::{missing_columns_error, value_error};
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

/// Some leads as the pool reads them: an Arrow slice or a block of mappings.
pub(crate) enum Source<'a> {
    Arrow(ArrowRows<'a>),
    Block(&'a OwnedRows),
}

impl Rows for Source<'_> {
    fn bind(&self, row: usize, slots: &[(usize, u32)], keys: &BatchKeys, b: &mut LeadBuilder<'_>) {
        match self {
            Source::Arrow(rows) => rows.bind(row, slots, keys, b),
            Source::Block(block) => block.bind(row, slots, keys, b),
        }
    }

    fn value(&self, row: usize, at: usize) -> Raw<'_> {
        match self {
            Source::Arrow(rows) => rows.value(row, at),
            Source::Block(block) => block.value(row, at),
        }
    }
}

/// A part of a call's leads.
pub(crate) type Part<'p, 'a, 's> = leadgate::Part<'p, 'a, Source<'s>>;

/// Reads one mapping as the only lead of a part, handed to `f`.
pub(crate) fn one<T>(
    py: Python<'_>,
    run: &BatchRun<'_>,
    keys: &KeySet,
    lead: &Bound<'_, PyAny>,
    f: impl FnOnce(Part<'_, '_, '_>) -> T,
) -> PyResult<T> {
    let mut reader = Keys::new(py, keys);
    let mut block = OwnedRows::new();
    block.clear(0, 1, reader.len());
    read(&mut block, lead, &mut reader)?;
    let source = Source::Block(&block);
    let out = f(run.part(&source, 0));
    warn_misnamed(py, run)?;
    Ok(out)
}

/// Reads every lead of `data` and hands each chunk of leads to `chunk`
/// on `pool`; `emit` gets the results of each slice or block, in order.
/// Arrow data is first checked for a column per declared field
/// (`allow_missing`: a warning) and for the other keys asked for.
#[allow(clippy::too_many_arguments)]
pub(crate) fn each<T: Send>(
    py: Python<'_>,
    run: &BatchRun<'_>,
    keys: &KeySet,
    data: Data<'_>,
    pool: &Threads,
    allow_missing: bool,
    chunk: impl Fn(&Part<'_, '_, '_>, Range<usize>) -> T + Sync + Send,
    mut emit: impl FnMut(Vec<T>) -> PyResult<()>,
) -> PyResult<()> {
    match data {
        Data::Arrow(batches) => {
            arrow_slices(py, run, keys, batches, allow_missing, |batch, first| {
                let parts = py.detach(|| {
                    let source = Source::Arrow(ArrowRows::new(batch, &keys.core));
                    run.parts(
                        run.part(&source, first),
                        batch.num_rows(),
                        256,
                        pool,
                        &chunk,
                    )
                });
                emit(parts)
            })
        }
        Data::Dicts(leads) => {
            let mut reader = Keys::new(py, keys);
            let read = |block: &OwnedRows| {
                let source = Source::Block(block);
                run.parts(
                    run.part(&source, block.first()),
                    block.len(),
                    64,
                    pool,
                    &chunk,
                )
            };
            crate::many::run(py, leads, &mut reader, pool, read, emit)?;
            warn_misnamed(py, run)
        }
    }
}

/// Hands each slice of Arrow data to `f` with the index of its first row,
/// once the data is checked for a column per declared field
/// (`allow_missing`: a warning) and for the other keys asked for.
pub(crate) fn arrow_slices(
    py: Python<'_>,
    run: &BatchRun<'_>,
    keys: &KeySet,
    batches: Batches<'_>,
    allow_missing: bool,
    f: impl FnMut(&RecordBatch, usize) -> PyResult<()>,
) -> PyResult<()> {
    let names = batches.columns();
    for a in run.agreements() {
        check_columns(py, a, &names, allow_missing)?;
    }
    for &at in keys.core.extra() {
        let wanted = keys.core.names().get(at).map_or("", String::as_str);
        if !names.iter().any(|n| n == wanted) {
            return Err(value_error(format!(
                "the input has no column \"{wanted}\"; its columns are: {}",
                names.join(", ")
            )));
        }
    }
    stream::slices(py, batches, f)
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

/// Warns once per field of the mappings keyed by a field's name where the
/// field reads another key, as the CLI does for JSON leads.
fn warn_misnamed(py: Python<'_>, run: &BatchRun<'_>) -> PyResult<()> {
    run.misnamed()
        .iter()
        .try_for_each(|m| warn(py, &m.to_string()))
}
