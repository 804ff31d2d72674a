//! CSV rows → leads. The header is mapped to slots once per file; each row
//! is then read by column index.

use std::borrow::Cow;

use super::{Lead, OnBadValue, Raw};
use crate::compile::Program;

/// A CSV record as a reader holds it: one buffer of the row's bytes and
/// each field's range in it (`csv::ByteRecord` has both: `as_slice` and
/// `range`). The binder checks UTF-8 once per row.
pub trait CsvRow {
    /// The bytes of the whole row.
    fn bytes(&self) -> &[u8];
    /// The range of field `i` in [`bytes`](Self::bytes), or `None` past the
    /// end of the row.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>>;
}

/// Binds the rows of one CSV file: the header is matched to the fields once.
#[derive(Debug, Clone)]
pub struct CsvBinder {
    /// For each field slot, its column index.
    columns: Vec<Option<usize>>,
    /// Declared fields whose key is not in the header.
    missing_columns: Vec<String>,
    /// The header's names.
    names: Vec<String>,
}

impl CsvBinder {
    pub(crate) fn new<H: AsRef<[u8]>>(
        program: &Program,
        header: impl IntoIterator<Item = H>,
    ) -> CsvBinder {
        let names: Vec<String> = header
            .into_iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h.as_ref());
                // A UTF-8 byte order mark before the first header.
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}').to_string()
                } else {
                    h.into_owned()
                };
                h
            })
            .collect();
        let mut columns = Vec::with_capacity(program.model.fields.len());
        let mut missing_columns = Vec::new();
        for f in &program.model.fields {
            // Keys match exactly (docs/language.md, "CSV input"); the first
            // column of that name wins.
            let col = names.iter().position(|h| *h == f.key);
            if col.is_none() {
                missing_columns.push(f.key.clone());
            }
            columns.push(col);
        }
        CsvBinder {
            columns,
            missing_columns,
            names,
        }
    }

    /// The header's column names (a UTF-8 byte order mark removed).
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// Input keys of declared fields that no column provides.
    pub fn missing_columns(&self) -> &[String] {
        &self.missing_columns
    }

    /// The columns read, in column order, each with the field slot it
    /// fills (a field reads the first column of its input key): for a
    /// front that sets rows of cells into a [`LeadBuilder`](super::LeadBuilder)
    /// itself.
    pub fn slots(&self) -> Vec<(usize, u32)> {
        // By column, without a sort (whose code the wasm bundle would carry).
        let mut by_column: Vec<Option<u32>> = vec![None; self.names.len()];
        for (slot, col) in self.columns.iter().enumerate() {
            if let Some(at) = col.and_then(|c| by_column.get_mut(c)) {
                *at = Some(slot as u32);
            }
        }
        (by_column.into_iter().enumerate())
            .filter_map(|(col, slot)| Some((col, slot?)))
            .collect()
    }

    pub(crate) fn bind(&self, program: &Program, row: &impl CsvRow, on_bad: OnBadValue) -> Lead {
        let mut b = super::LeadBuilder::new(program, on_bad);
        // One check of the whole row: field boundaries are ASCII commas, so
        // every field of a valid row is a slice of it. Otherwise, field by field.
        let bytes = row.bytes();
        let whole = std::str::from_utf8(bytes).ok();
        for (slot, col) in self.columns.iter().enumerate() {
            let Some(col) = col else { continue };
            let text = match (whole, row.range(*col)) {
                (Some(all), Some(range)) => all.get(range).ok_or(()),
                (None, Some(range)) => match bytes.get(range).map(std::str::from_utf8) {
                    Some(Ok(s)) => Ok(s),
                    _ => Err(()),
                },
                (_, None) => continue,
            };
            match text {
                Ok(s) => b.set(slot as u32, Raw::Str(Cow::Borrowed(s))),
                Err(()) => b.set(slot as u32, Raw::Other("bytes that are not valid UTF-8")),
            }
        }
        b.finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::value::Value;
    use crate::{Agreement, CsvRow};

    struct Row(csv::ByteRecord);

    impl CsvRow for Row {
        fn bytes(&self) -> &[u8] {
            self.0.as_slice()
        }
        fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
            self.0.range(i)
        }
    }

    fn lead(row: &[&[u8]]) -> (Option<String>, Option<Value>, Option<Value>) {
        let a = Agreement::compile(
            "agreement \"u\" fields { a : text  b : text }
             score s { +1 \"x\" when a is present }
             route { nurture otherwise }",
        )
        .unwrap();
        let binder = a.csv_binder(["a", "b"]);
        let l = a.bind_csv(
            &binder,
            &Row(csv::ByteRecord::from(row.to_vec())),
            Default::default(),
        );
        (
            l.error().map(|e| e.to_string()),
            l.value(0).cloned(),
            l.value(1).cloned(),
        )
    }

    #[test]
    fn fields_are_valid_utf8_each() {
        let (err, a, b) = lead(&["é".as_bytes(), b"x"]);
        assert_eq!(err, None);
        assert_eq!(
            a.map(|v| matches!(v, Value::Text(t) if t.as_str() == "é")),
            Some(true)
        );
        assert_eq!(b.map(|v| matches!(v, Value::Text(_))), Some(true));
        // "é" split across two fields: the row's bytes are valid UTF-8 together,
        // each field alone is not.
        let (err, _, _) = lead(&[b"\xc3", b"\xa9"]);
        assert_eq!(
            err.as_deref(),
            Some("a: expected a text, got bytes that are not valid UTF-8")
        );
        let (err, _, _) = lead(&[b"ok", b"\xff"]);
        assert_eq!(
            err.as_deref(),
            Some("b: expected a text, got bytes that are not valid UTF-8")
        );
    }

    #[test]
    fn slots_are_in_column_order_first_column_of_a_key() {
        let a = Agreement::compile(
            "agreement \"u\" fields { a : text  b : text from \"B\"  c : text }
             score s { +1 \"x\" when a is present }
             route { nurture otherwise }",
        )
        .unwrap();
        let binder = a.csv_binder(["\u{feff}c", "x", "B", "a", "c"]);
        // c (slot 2) in column 0 (its byte order mark removed), not 4.
        assert_eq!(binder.slots(), [(0, 2), (2, 1), (3, 0)]);
        assert!(a.csv_binder(["x"]).slots().is_empty());
    }
}
