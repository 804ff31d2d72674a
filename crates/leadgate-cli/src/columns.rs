//! Input columns outside the agreement's fields: CSV rows as the core binds
//! them, and the `--by` / `--outcome` values of a record.

use crate::input::Record;
use crate::Failure;

/// A CSV record as the core binds it.
pub struct Row<'a>(pub &'a csv::ByteRecord);

impl leadgate::CsvRow for Row<'_> {
    fn bytes(&self) -> &[u8] {
        self.0.as_slice()
    }
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.0.range(i)
    }
}

/// The position of column `key` in a CSV header (names trimmed, a BOM
/// dropped); else why not, naming the columns there are.
pub fn find_column(header: &csv::ByteRecord, key: &str) -> Result<usize, String> {
    let names: Vec<String> = header
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string()
        })
        .collect();
    names.iter().position(|n| n == key.trim()).ok_or_else(|| {
        format!(
            "the input has no column \"{key}\"; its columns are: {}",
            names.join(", ")
        )
    })
}

/// Finds `--by` / `--outcome` values in input records.
pub struct Extract {
    keys: Vec<Option<String>>,
    columns: Option<Vec<Option<usize>>>,
}

impl Extract {
    pub fn new(keys: Vec<Option<String>>) -> Extract {
        Extract {
            keys,
            columns: None,
        }
    }

    /// Resolves the keys against a CSV header (once).
    fn resolve(&mut self, header: &csv::ByteRecord) -> Result<(), Failure> {
        if self.columns.is_some() {
            return Ok(());
        }
        let mut cols = Vec::new();
        for key in &self.keys {
            cols.push(match key {
                None => None,
                Some(k) => Some(
                    find_column(header, k).map_err(|e| Failure::usage(format!("error: {e}")))?,
                ),
            });
        }
        self.columns = Some(cols);
        Ok(())
    }

    /// The values of the keys in one record (`None` when missing or empty).
    pub fn values(
        &mut self,
        header: Option<&csv::ByteRecord>,
        record: &Record,
    ) -> Result<Vec<Option<String>>, Failure> {
        if self.keys.iter().all(Option::is_none) {
            return Ok(vec![None; self.keys.len()]);
        }
        // Every value as every front reads a group or an outcome.
        let as_text = |raw: leadgate::Raw<'_>| leadgate::cell_text(&raw).map(|t| t.into_owned());
        match record {
            Record::Csv(row) => {
                if let Some(h) = header {
                    self.resolve(h)?;
                }
                let cols = self.columns.as_deref().unwrap_or(&[]);
                Ok(cols
                    .iter()
                    .map(|c| {
                        c.and_then(|c| row.get(c))
                            .and_then(|b| as_text(leadgate::Raw::Str(String::from_utf8_lossy(b))))
                    })
                    .collect())
            }
            Record::Json(text) => {
                let obj: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(text).unwrap_or_default();
                Ok(self
                    .keys
                    .iter()
                    .map(|k| {
                        let value = k.as_ref().and_then(|k| obj.get(k))?;
                        as_text(leadgate::Raw::from(value))
                    })
                    .collect())
            }
            Record::Bad(_) => Ok(vec![None; self.keys.len()]),
        }
    }
}
