//! The report of many leads and the diff of two agreements over the same
//! leads (feature `analysis`, on in the node build): the core's `Report`
//! and `Diff`, handed to JS as their data (the JSON the CLI prints) with
//! their text (and HTML page).

use std::borrow::Cow;

use leadgate::{cell_text, Diff, DiffNames, Report};
use wasm_bindgen::prelude::*;

use crate::js::{array, error, find, raw, read_lead, read_options};
use crate::js::{DiffOptions, Leads, ReportOptions};
use crate::{to_js, Agreement, JsResult, Rendered};

impl Agreement {
    /// The report of `leads`, with its title and `top`.
    fn reported(
        &self,
        leads: &JsValue,
        options: Option<&JsValue>,
    ) -> Result<(Report, String, usize), JsValue> {
        let (opts, extra) = read_options(options, "by,outcome,title,top")?;
        let [by, outcome, title] = [3, 4, 5].map(|i| extra.get(i).as_string());
        let title = title.unwrap_or_else(|| self.core().name().into());
        let top = extra.get(6).as_f64().map_or(20, |n| n as usize);
        let leads = array(leads, "report", "an array of leads")?;
        let mut report = Report::new(self.core(), by.as_deref(), outcome.as_deref());
        // A field's name reads the field's input key.
        let keys = [&by, &outcome].map(|n| n.as_deref().map(|n| self.core().column_for(n)));
        for (i, lead) in leads.iter().enumerate() {
            let read = read_lead(&lead);
            let d = self
                .core()
                .decide(i, &self.bind(&read, opts.bad_values()), &opts);
            // As text, as every front reads a group or an outcome.
            let value = |k: &str| cell_text(&raw(&find(&read, k), false)).map(Cow::into_owned);
            let [group, o] = [0, 1].map(|k| keys[k].and_then(value));
            let o = report.read_outcome(o.as_deref());
            report.add(&d, group.as_deref(), o);
        }
        if let (Some(name), Some(e)) = (&outcome, report.outcome_error()) {
            return Err(error(&format!("report: outcome `{name}`: {e}")));
        }
        Ok((report, title, top))
    }
}

#[wasm_bindgen]
impl Agreement {
    /// The funnel of many leads (routes, queues, grades, score
    /// distributions, rules, data gaps; per `by` group; against an
    /// `outcome` as a backtest): `leadgate report`'s JSON, text and page.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self, leads: Leads, options: Option<ReportOptions>) -> JsResult {
        let (report, title, top) = self.reported(&leads, options.as_deref())?;
        to_js(&Rendered {
            text: report.to_text(&title, top),
            html: Some(report.to_html(&title, top)),
            data: &report.to_json(&title, top),
        })
    }

    /// As `report`, its data only, as the canonical JSON text every front
    /// writes (`leadgate report --format json`, on one line): byte for byte,
    /// `1.0` included, which a JS number cannot keep.
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(
        &self,
        leads: Leads,
        options: Option<ReportOptions>,
    ) -> Result<String, JsValue> {
        let (report, title, top) = self.reported(&leads, options.as_deref())?;
        leadgate::to_canonical_json(&report.to_json(&title, top))
            .map_err(|e| error(&format!("internal error: {e}")))
    }

    /// This agreement (in force) against `proposed` over the same leads:
    /// which leads change destination, the route rule transitions, the
    /// score rules that explain the moves, and up to `changes` changed
    /// leads with both decisions; `leadgate diff`'s JSON and text.
    #[wasm_bindgen(unchecked_return_type = "Diff")]
    pub fn diff(
        &self,
        proposed: &Agreement,
        leads: Leads,
        options: Option<DiffOptions>,
    ) -> JsResult {
        let names = "changes,oldName,newName,inputName";
        let (opts, extra) = read_options(options.as_deref(), names)?;
        let changes = extra.get(3).as_f64().map_or(0, |n| n as usize);
        let [old, new, input] = [4, 5, 6].map(|i| extra.get(i).as_string());
        let old_name = old.unwrap_or_else(|| self.core().name().into());
        let new_name = new.unwrap_or_else(|| proposed.core().name().into());
        let input = input.unwrap_or_else(|| "leads".into());
        let leads = array(&leads, "diff", "an array of leads")?;
        let mut diff = Diff::new(self.core(), proposed.core(), changes);
        for (i, lead) in leads.iter().enumerate() {
            // Read once, bound for each agreement.
            let read = read_lead(&lead);
            let decide = |a: &Agreement| {
                let bound = a.bind(&read, opts.bad_values());
                a.core().decide(i, &bound, &opts)
            };
            diff.add(&decide(self), &decide(proposed));
        }
        let names = DiffNames {
            old: &old_name,
            new: &new_name,
            input: &input,
        };
        to_js(&Rendered {
            text: diff.to_text(&names),
            html: None,
            data: &diff.to_json(),
        })
    }
}
