//! Arrow in and out (feature `arrow`): record batches read as leads
//! ([`ArrowRows`], for a [`BatchRun`](crate::BatchRun)) and decisions
//! written as record batches of the decision columns ([`DecisionBatch`]).
//! What the Python binding's `score_arrow`, `score_pandas`, `score_polars`
//! and Spark's `mapInArrow` run on.

mod columnar;
mod input;
mod output;

use arrow_array::RecordBatch;
use arrow_schema::Schema;

pub use columnar::Columnar;
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

/// `batch` in slices of at most `len` rows (zero-copy), each with the
/// offset of its first row; an empty batch is one empty slice.
pub fn slices(batch: &RecordBatch, len: usize) -> impl Iterator<Item = (usize, RecordBatch)> + '_ {
    let rows = batch.num_rows();
    let len = len.max(1);
    (0..rows.max(1))
        .step_by(len)
        .map(move |start| (start, batch.slice(start, len.min(rows - start))))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use arrow_array::builder::{ListBuilder, StringBuilder, StringDictionaryBuilder};
    use arrow_array::types::Int32Type;
    use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};

    use super::*;
    use crate::{Agreement, BatchRun, Decision, ScoreOptions, Threads, Timestamp};

    const AGREEMENT: &str = "agreement \"t\"\nfields {\n  ref : text id from \"id\"\n  size : number from \"Company Size\"\n  country : text\n  tags : list\n}\nscore s {\n  +10 \"big\" when size > 100\n  +5 \"de\" when country == \"DE\"\n  +1 \"vip\" when tags contains \"vip\"\n}\nroute {\n  sales \"hot\" when s >= 15\n  nurture otherwise\n}\n";

    fn batch() -> RecordBatch {
        let mut dict = StringDictionaryBuilder::<Int32Type>::new();
        for c in [Some("DE"), None, Some("FR"), Some("DE")] {
            match c {
                Some(c) => dict.append_value(c),
                None => dict.append_null(),
            }
        }
        let mut tags = ListBuilder::new(StringBuilder::new());
        for t in [vec!["vip"], vec![], vec!["a", "vip"], vec![]] {
            t.iter().for_each(|v| tags.values().append_value(v));
            tags.append(true);
        }
        let columns: Vec<(&str, ArrayRef)> = vec![
            ("id", Arc::new(StringArray::from(vec!["a", "b", "c", "d"]))),
            (
                "Company Size",
                Arc::new(Int64Array::from(vec![Some(500), Some(5), None, Some(101)])),
            ),
            ("country", Arc::new(dict.finish())),
            ("tags", Arc::new(tags.finish())),
            (
                "unused",
                Arc::new(Float64Array::from(vec![1.0, 2.0, 3.0, f64::NAN])),
            ),
        ];
        RecordBatch::try_from_iter(columns).unwrap()
    }

    #[test]
    fn arrow_rows_score_as_the_same_json_leads_and_come_out_as_columns() {
        let a = Agreement::compile(AGREEMENT).unwrap();
        let agreements = [&a];
        let keys = BatchKeys::new(&agreements, &["unused"]);
        let opts = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap());
        let run = BatchRun::new(&agreements, &keys, opts);
        let batch = batch();
        let rows = ArrowRows::new(&batch, &keys);
        let pool = Threads::new(Some(2)).unwrap();
        let chunk = |p: &crate::Part<'_, '_, ArrowRows<'_>>, r: std::ops::Range<usize>| {
            r.map(|i| p.decide(0, i)).collect::<Vec<_>>()
        };
        let got: Vec<Decision> = run
            .parts(run.part(&rows, 0), 4, 1, &pool, &chunk)
            .into_iter()
            .flatten()
            .collect();
        let json = [
            r#"{"id":"a","Company Size":500,"country":"DE","tags":["vip"]}"#,
            r#"{"id":"b","Company Size":5,"tags":[]}"#,
            r#"{"id":"c","country":"FR","tags":["a","vip"]}"#,
            r#"{"id":"d","Company Size":101,"country":"DE","tags":[]}"#,
        ];
        for (i, (d, j)) in got.iter().zip(json).enumerate() {
            let want = a.decide(i, &a.bind_json(j, opts.bad_values()), &opts);
            assert_eq!(d.to_json(), want.to_json());
        }
        assert_eq!(got[0].rule(), Some("hot"));
        assert_eq!(got[3].rule(), Some("hot"));
        let columns = a.decision_columns("").unwrap();
        let schema = decision_schema(&columns);
        let mut out = DecisionBatch::new(&columns, 4);
        got.iter().for_each(|d| out.push(d));
        let out = out.finish(&schema).unwrap();
        assert_eq!(out.num_rows(), 4);
        let rule = out.column_by_name("route_rule").unwrap();
        let rule = rule.as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!((rule.value(0), rule.value(3)), ("hot", "hot"));
        assert!(rule.is_null(1));
        assert_eq!(rows.value(2, 1).clone(), Raw::Null);
        // Column by column: the same record batch.
        let columnar = Columnar::new(&a, &opts, &columns).unwrap();
        assert_eq!(columnar.score(&batch, &schema).unwrap(), out);
        let sliced = columnar.score(&batch.slice(1, 3), &schema).unwrap();
        assert_eq!(sliced, out.slice(1, 3));
    }

    #[test]
    fn a_batch_that_does_not_fit_its_schema_is_named() {
        let batch = batch();
        let other = RecordBatch::try_from_iter(vec![(
            "id",
            Arc::new(Int64Array::from(vec![1])) as ArrayRef,
        )])
        .unwrap();
        assert_eq!(check_batch(&batch.schema(), &batch, 0), Ok(()));
        let e = check_batch(&batch.schema(), &other, 3).unwrap_err();
        assert_eq!(e, "reading Arrow data: record batch 3 does not match the reader's schema: it has 1 columns, the schema 5");
        assert_eq!(PANDAS_PERIOD.split(' ').next(), Some("a"));
        let parts: Vec<(usize, usize)> =
            slices(&batch, 3).map(|(s, b)| (s, b.num_rows())).collect();
        assert_eq!(parts, [(0, 3), (3, 1)]);
        assert_eq!(slices(&batch.slice(0, 0), 3).count(), 1);
    }
}
