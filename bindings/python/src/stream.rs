//! Arrow input: the record batches of a table, a batch, a reader or any
//! Arrow stream, each read with the types it really has, scored in slices
//! with a look for Ctrl-C between two slices.

use std::sync::Arc;

use arrow_array::ffi_stream::RecordBatchStreamReader;
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_pyarrow::FromPyArrow;
use arrow_schema::{Schema, SchemaRef};
use leadgate::arrow::{check_batch, slices as slices_of};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyIterator, PyType};

use crate::errors::value_error;

/// Rows scored between two looks for signals: Ctrl-C surfaces within about
/// the time one slice takes (tens of milliseconds).
const SLICE: usize = 1 << 16;

/// Where record batches come from.
pub(crate) enum Batches<'py> {
    /// An Arrow C stream (a `pyarrow.Table`, a polars frame, …). Its batches
    /// are read with the stream's schema: the C stream interface hands
    /// over buffers without their types.
    Stream(RecordBatchStreamReader),
    /// A `pyarrow.RecordBatchReader`, read batch by batch, each batch with
    /// its own types and checked against the reader's schema: pyarrow's
    /// `RecordBatchReader.from_batches` does not check its batches, and
    /// through its C stream a `string` column declared `large_string`
    /// would be read out of bounds.
    Reader {
        batches: Bound<'py, PyIterator>,
        schema: SchemaRef,
        read: usize,
    },
    /// A single record batch (`__arrow_c_array__`), with its own types.
    One(Option<RecordBatch>),
}

fn record_batch_reader(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static T: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    T.import(py, "pyarrow", "RecordBatchReader")
}

impl<'py> Batches<'py> {
    pub(crate) fn new(data: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = data.py();
        let from_pyarrow = data.get_type().module()?.to_cow()?.starts_with("pyarrow");
        if from_pyarrow && data.is_instance(record_batch_reader(py)?)? {
            let schema = Schema::from_pyarrow_bound(&data.getattr("schema")?)?;
            return Ok(Batches::Reader {
                batches: data.try_iter()?,
                schema: Arc::new(schema),
                read: 0,
            });
        }
        if data.hasattr("__arrow_c_stream__")? {
            return Ok(Batches::Stream(
                RecordBatchStreamReader::from_pyarrow_bound(data)?,
            ));
        }
        if data.hasattr("__arrow_c_array__")? || data.hasattr("_export_to_c")? {
            return Ok(Batches::One(Some(RecordBatch::from_pyarrow_bound(data)?)));
        }
        Err(PyTypeError::new_err(format!(
            "score_arrow expects a pyarrow Table or RecordBatch, or an object with \
             __arrow_c_stream__ or __arrow_c_array__, got {} \
             (use score_pandas / score_polars for data frames)",
            data.get_type().name()?
        )))
    }
}

impl Batches<'_> {
    /// The input's column names.
    pub(crate) fn columns(&self) -> Vec<String> {
        let schema = match self {
            Batches::Stream(stream) => stream.schema(),
            Batches::Reader { schema, .. } => schema.clone(),
            Batches::One(batch) => batch
                .as_ref()
                .map_or_else(|| Arc::new(Schema::empty()), |b| b.schema()),
        };
        schema.fields().iter().map(|f| f.name().clone()).collect()
    }
}

impl Iterator for Batches<'_> {
    type Item = PyResult<RecordBatch>;

    fn next(&mut self) -> Option<PyResult<RecordBatch>> {
        match self {
            Batches::Stream(stream) => Some(
                stream
                    .next()?
                    .map_err(|e| value_error(format!("reading Arrow data: {e}"))),
            ),
            Batches::Reader {
                batches,
                schema,
                read,
            } => {
                let batch = batches
                    .next()?
                    .and_then(|b| RecordBatch::from_pyarrow_bound(&b));
                *read += 1;
                let fits = |b: &RecordBatch| check_batch(schema, b, *read - 1).map_err(value_error);
                Some(batch.and_then(|b| fits(&b).map(|()| b)))
            }
            Batches::One(batch) => batch.take().map(Ok),
        }
    }
}

/// Hands every batch to `f` in slices of at most [`SLICE`] rows, with the
/// index of each slice's first row in the input; before each slice,
/// pending signals are handled (a Ctrl-C raises `KeyboardInterrupt` there).
/// `f` releases the GIL while it works.
pub(crate) fn slices(
    py: Python<'_>,
    batches: Batches<'_>,
    mut f: impl FnMut(&RecordBatch, usize) -> PyResult<()>,
) -> PyResult<()> {
    let mut first_index = 0;
    for batch in batches {
        let batch = batch?;
        for (start, part) in slices_of(&batch, SLICE) {
            py.check_signals()?;
            f(&part, first_index + start)?;
        }
        first_index += batch.num_rows();
    }
    Ok(())
}
