//! Arrow in and out (feature `arrow`): record batches read as leads
//! ([`ArrowRows`], for a [`BatchRun`](crate::BatchRun)) and decisions
//! written as record batches of the decision columns ([`DecisionBatch`]).
//! What the Python binding's `score_arrow`, `score_pandas`, `score_polars`
//! and Spark's `mapInArrow` run on.

mod input;
mod output;

use arrow_array::RecordBatch;
use arrow_schema::Schema;

pub use input::{column, ArrowColumn, PANDAS_PERIOD};
pub use output::{decision_schema, DecisionBatch};

use crate::{BatchKeys, LeadBuilder, Raw, Rows};

/// The rows of a record batch, one column per key of a [`BatchKeys`] (a
/// key without a column reads as missing).
pub struct ArrowRows<'a> {
    columns: Vec<Option<ArrowColumn<'a>>>,
}

impl<'a> ArrowRows<'a> {
    /// The columns of `batch` that `keys` reads, by name.
    pub fn new(batch: &'a RecordBatch, keys: &BatchKeys) -> Self {
        let columns = keys.names().iter().map(|n| column(batch, n)).collect();
        ArrowRows { columns }
    }
}

impl Rows for ArrowRows<'_> {
    fn bind(&self, row: usize, slots: &[(usize, u32)], _: &BatchKeys, b: &mut LeadBuilder<'_>) {
        for &(at, slot) in slots {
            if let Some(Some(c)) = self.columns.get(at) {
                let raw = c.read(row);
                if !matches!(raw, Raw::Null) {
                    b.set(slot, raw);
                }
            }
        }
    }

    fn value(&self, row: usize, at: usize) -> Raw<'_> {
        match self.columns.get(at) {
            Some(Some(c)) => c.read(row),
            _ => Raw::Null,
        }
    }
}

/// Checks that the `index`th record batch of a stream has the columns
/// `schema` declares, by name and type; the error says what differs. (A
/// batch read through an Arrow C stream with another schema's types would
/// be read out of bounds.)
pub fn check_batch(schema: &Schema, batch: &RecordBatch, index: usize) -> Result<(), String> {
    let got = batch.schema();
    let mismatch = if got.fields().len() != schema.fields().len() {
        Some(format!(
            "it has {} columns, the schema {}",
            got.fields().len(),
            schema.fields().len()
        ))
    } else {
        got.fields()
            .iter()
            .zip(schema.fields())
            .find(|(g, w)| g.name() != w.name() || !g.data_type().equals_datatype(w.data_type()))
            .map(|(g, w)| {
                format!(
                    "its column `{}` is {}, the schema says `{}` is {}",
                    g.name(),
                    g.data_type(),
                    w.name(),
                    w.data_type()
                )
            })
    };
    match mismatch {
        None => Ok(()),
        Some(what) => Err(format!(
            "reading Arrow data: record batch {index} does not match the reader's schema: {what}"
        )),
    }
}
