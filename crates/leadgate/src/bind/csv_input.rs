//! CSV rows → leads. The header is mapped to slots once per file; each row
//! is then read by column index.

use std::borrow::Cow;

use super::{Lead, OnBadValue, Raw};
use crate::compile::Program;

/// Binds the rows of one CSV file.
#[derive(Debug, Clone)]
pub struct CsvBinder {
    /// For each field slot, its column index.
    columns: Vec<Option<usize>>,
    /// Declared fields whose key is not in the header.
    missing_columns: Vec<String>,
}

impl CsvBinder {
    pub(crate) fn new(program: &Program, header: &csv::ByteRecord) -> CsvBinder {
        let names: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
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
            // Keys match exactly (SPEC.md); the first column of that name wins.
            let col = names.iter().position(|h| *h == f.key);
            if col.is_none() {
                missing_columns.push(f.key.clone());
            }
            columns.push(col);
        }
        CsvBinder {
            columns,
            missing_columns,
        }
    }

    /// Input keys of declared fields that no column provides.
    pub fn missing_columns(&self) -> &[String] {
        &self.missing_columns
    }

    pub(crate) fn bind(
        &self,
        program: &Program,
        row: &csv::ByteRecord,
        on_bad: OnBadValue,
    ) -> Lead {
        let mut b = super::LeadBuilder::new(program, on_bad);
        // One check of the whole row: field boundaries are ASCII commas, so
        // every field of a valid row is a slice of it. Otherwise, field by field.
        let whole = std::str::from_utf8(row.as_slice()).ok();
        for (slot, col) in self.columns.iter().enumerate() {
            let Some(col) = col else { continue };
            let text = match (whole, row.range(*col)) {
                (Some(all), Some(range)) => all.get(range).ok_or(()),
                (None, Some(_)) => match row.get(*col).map(std::str::from_utf8) {
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
    use crate::Agreement;

    fn lead(row: &[&[u8]]) -> (Option<String>, Option<Value>, Option<Value>) {
        let a = Agreement::compile(
            "agreement \"u\" fields { a : text  b : text }
             score s { +1 \"x\" when a is present }
             route { nurture otherwise }",
        )
        .unwrap();
        let header = csv::ByteRecord::from(vec!["a", "b"]);
        let binder = a.csv_binder(&header);
        let l = a.bind_csv(
            &binder,
            &csv::ByteRecord::from(row.to_vec()),
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
}
