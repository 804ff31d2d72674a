//! Column-wise input: rows as arrays of cells under one header, as
//! spreadsheet libraries give them (SheetJS's `sheet_to_json` with
//! `header: 1`). The header is checked against the declared fields by the
//! core (`Agreement::check_columns`, with a "did you mean") and mapped to
//! field slots once; each row's cells are then read by column.

use js_sys::Array;
use leadgate::CsvBinder;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::{array, named_error, raw, read_options, read_row, rejected, warn};
use crate::js::{Header, Rows, RowsOptions};
use crate::{to_js, Agreement, JsResult};

impl Agreement {
    /// The header mapped to field slots, as the core reads a CSV header
    /// (a byte order mark before the first removed). A cell that is not a
    /// text names no field (a number is read as its text).
    fn header(&self, header: &JsValue, call: &str) -> Result<CsvBinder, JsValue> {
        let cells = array(header, call, "the column names as an array")?;
        let names: Vec<String> = (cells.iter())
            .map(|c| match c.as_f64() {
                Some(n) => leadgate::format_number(n),
                None => c.as_string().unwrap_or_default(),
            })
            .collect();
        Ok(self.core().csv_binder(&names))
    }
}

#[wasm_bindgen]
impl Agreement {
    /// Checks column-wise input (a spreadsheet's header, a CSV header)
    /// against the declared fields: every field whose input key no column
    /// provides, with the closest column.
    #[wasm_bindgen(js_name = checkColumns, unchecked_return_type = "ColumnCheck")]
    pub fn check_columns(&self, columns: Header) -> JsResult {
        let binder = self.header(&columns, "checkColumns")?;
        let missing = self.core().check_columns(binder.columns()).err();
        #[derive(serde::Serialize)]
        struct ColumnCheck<'a> {
            missing: &'a [leadgate::MissingColumn],
            message: Option<String>,
        }
        to_js(&ColumnCheck {
            missing: missing.as_ref().map_or(&[][..], |m| &m.missing),
            message: missing.as_ref().map(ToString::to_string),
        })
    }

    /// Scores rows of cells under one header, in order; a rejected row
    /// keeps its place. Throws a `MissingColumnsError` when the header has
    /// no column for a declared field, unless `allowMissingColumns`.
    #[wasm_bindgen(js_name = scoreRows, unchecked_return_type = "Decision[]")]
    pub fn score_rows(&self, header: Header, rows: Rows, options: Option<RowsOptions>) -> JsResult {
        let (opts, extra) = read_options(options.as_deref(), "allowMissingColumns")?;
        let allow = extra.get(3).is_truthy();
        let binder = self.header(&header, "scoreRows")?;
        if let Err(missing) = self.core().check_columns(binder.columns()) {
            if !allow {
                let message = format!("scoreRows: {missing}; pass allowMissingColumns: true to score with those fields missing in every row");
                let list = to_js(&missing.missing)?;
                return Err(named_error(
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
        let rows = array(&rows, "scoreRows", "an array of rows")?;
        // Each field's column: the first of its input key.
        let columns = binder.slots();
        let mut b = self.core().lead_builder(opts.bad_values());
        let decide = |(index, row): (usize, JsValue)| {
            let cells = read_row(&row);
            if !rejected(&mut b, &cells) {
                let cells: &Array = cells.unchecked_ref();
                for (col, slot) in &columns {
                    b.set(*slot, raw(&cells.get(*col as u32), false));
                }
            }
            let fresh = self.core().lead_builder(opts.bad_values());
            self.core()
                .decide(index, &std::mem::replace(&mut b, fresh).finish(), &opts)
        };
        crate::output(rows.iter().enumerate().map(decide), true, false)
    }
}
