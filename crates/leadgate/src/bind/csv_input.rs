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
        for (slot, col) in self.columns.iter().enumerate() {
            let Some(col) = col else { continue };
            let Some(bytes) = row.get(*col) else { continue };
            match std::str::from_utf8(bytes) {
                Ok(s) => b.set(slot as u32, Raw::Str(Cow::Borrowed(s))),
                Err(_) => b.set(slot as u32, Raw::Other("bytes that are not valid UTF-8")),
            }
        }
        b.finish()
    }
}
