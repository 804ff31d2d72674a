//! Column-wise input: rows as arrays of cells under one header, as
//! spreadsheet libraries give them (SheetJS's `sheet_to_json` with
//! `header: 1`). The header is checked against the declared fields by the
//! core (`Agreement::check_columns`, with a "did you mean") and mapped to
//! field slots once; each row's cells are then read by column.

use js_sys::Array;
use leadgate::{LeadErrorKind, MissingColumns};
use leadgate_wasm_types as types;
use wasm_bindgen::prelude::*;

use crate::js::{array_from, is_array, js_message, kind, raw, warn};
use crate::options::flag_option;
use crate::{error_with, to_js, Agreement};

/// The declared fields no column provides, as declared for JS.
fn missing_list(missing: Option<&MissingColumns>) -> Vec<types::MissingColumn<'_>> {
    missing
        .map_or(&[][..], |m| &m.missing[..])
        .iter()
        .map(|m| types::MissingColumn {
            field: &m.field,
            key: &m.key,
            suggestion: m.suggestion.as_deref(),
        })
        .collect()
}

/// A row's cells, or why the row is no lead.
fn cells(row: &JsValue) -> Result<Array, (LeadErrorKind, String)> {
    match is_array(row) {
        Ok(true) => array_from(row).map_err(|e| {
            (
                LeadErrorKind::Unreadable,
                format!("cannot read the row: {}", js_message(&e)),
            )
        }),
        Ok(false) => Err((
            LeadErrorKind::NotAnObject,
            format!("expected a row (an array of cells), got {}", kind(row)),
        )),
        Err(e) => Err((
            LeadErrorKind::Unreadable,
            format!("cannot read the row: {}", js_message(&e)),
        )),
    }
}

impl Agreement {
    /// The header's column names, as the core reads a CSV header (a byte
    /// order mark before the first removed). A cell that is not a text
    /// names no field (a number is read as its text).
    fn header(&self, header: &JsValue, call: &str) -> Result<Vec<String>, JsValue> {
        let cells = Self::array(header, call, "the column names as an array")?;
        let names: Vec<String> = (cells.iter())
            .map(|c| match c.as_f64() {
                Some(n) => leadgate::format_number(n),
                None => c.as_string().unwrap_or_default(),
            })
            .collect();
        Ok(self.core().csv_binder(&names).columns().to_vec())
    }
}

#[wasm_bindgen]
impl Agreement {
    /// Checks column-wise input (a spreadsheet's header, a CSV header)
    /// against the declared fields: every field whose input key no column
    /// provides, with the closest column.
    #[wasm_bindgen(js_name = checkColumns, unchecked_return_type = "ColumnCheck")]
    pub fn check_columns(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string>")] columns: JsValue,
    ) -> Result<JsValue, JsValue> {
        let names = self.header(&columns, "checkColumns")?;
        let missing = self.core().check_columns(&names).err();
        to_js(&types::ColumnCheck {
            missing: missing_list(missing.as_ref()),
            message: missing.as_ref().map(ToString::to_string),
        })
    }

    /// Scores rows of cells under one header, in order; a rejected row
    /// keeps its place. Throws a `MissingColumnsError` when the header has
    /// no column for a declared field, unless `allowMissingColumns`.
    #[wasm_bindgen(js_name = scoreRows, unchecked_return_type = "Decision[]")]
    pub fn score_rows(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<string>")] header: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<Row>")] rows: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RowsOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let (opts, extra) = crate::read_options(options.as_ref(), &["allowMissingColumns"])?;
        let allow = flag_option(&extra[0], "allowMissingColumns")?;
        let names = self.header(&header, "scoreRows")?;
        if let Err(missing) = self.core().check_columns(&names) {
            if !allow {
                let message = format!("scoreRows: {missing}; pass allowMissingColumns: true to score with those fields missing in every row");
                let list = to_js(&missing_list(Some(&missing)))?;
                return Err(error_with(
                    &message,
                    "MissingColumnsError",
                    "missing",
                    &list,
                ));
            }
            warn(&format!(
                "leadgate: scoreRows: {missing}; they are missing in every row"
            ));
        }
        let rows = Self::array(&rows, "scoreRows", "an array of rows")?;
        // Each field's column: the first of its input key.
        let mut b = self.core().lead_builder(opts.bad_values());
        let mut columns: Vec<(u32, u32)> = Vec::new();
        for (col, name) in names.iter().enumerate() {
            match b.slot(name) {
                Some(slot) if !columns.iter().any(|(_, s)| *s == slot) => {
                    columns.push((col as u32, slot))
                }
                _ => {}
            }
        }
        crate::pieces::objects(&rows, |index, row| {
            match cells(row) {
                Ok(cells) => {
                    for (col, slot) in &columns {
                        b.set(*slot, raw(&cells.get(*col), false));
                    }
                }
                Err((kind, message)) => b.reject(kind, message),
            }
            let fresh = self.core().lead_builder(opts.bad_values());
            self.core()
                .decide(index, &std::mem::replace(&mut b, fresh).finish(), &opts)
        })
    }
}
