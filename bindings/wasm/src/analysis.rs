//! The report of many leads and the diff of two agreements over the same
//! leads (feature `analysis`, on in the node build): the core's `Report`
//! and `Diff`, handed to JS as their data (the JSON the CLI prints) with
//! their text (and HTML page).

use leadgate::{Diff, DiffNames, Report};
use wasm_bindgen::prelude::*;

use crate::js::{array_from, error, is_array, read_lead, Keep};
use crate::options::{count_option, read_options, text_option};
use crate::{to_js, Agreement, Rendered};

/// A report's `by` or `outcome` value of a lead, as text (as the CLI reads
/// a JSON lead's): a text trimmed, a number or bool as written, a list's
/// items joined by "; "; `None` when missing or empty.
fn group_text(value: &JsValue) -> Option<String> {
    let text = |v: &JsValue| match (v.as_string(), v.as_f64(), v.as_bool()) {
        (Some(s), _, _) => Some(s),
        (_, Some(n), _) => Some(leadgate::format_number(n)),
        (_, _, Some(b)) => Some(b.to_string()),
        _ => None,
    };
    if is_array(value).unwrap_or(false) {
        let items = array_from(value).ok()?;
        let items: Vec<String> = items
            .iter()
            .map(|i| text(&i).unwrap_or("null".into()))
            .collect();
        return Some(items.join("; "));
    }
    text(value)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

#[wasm_bindgen]
impl Agreement {
    /// The funnel of many leads (routes, queues, grades, score
    /// distributions, rules, data gaps; per `by` group; against an
    /// `outcome` as a backtest): `leadgate report`'s JSON, text and page.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ReportOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let names = ["by", "outcome", "title", "top"];
        let (opts, extra) = read_options(options.as_ref(), &names)?;
        let by = text_option(&extra[0], "by")?;
        let outcome = text_option(&extra[1], "outcome")?;
        let title = text_option(&extra[2], "title")?.unwrap_or_else(|| self.core().name().into());
        let top = count_option(&extra[3], "top")?.unwrap_or(20);
        let leads = Self::array(&leads, "report", "an array of leads")?;
        let mut report = Report::new(self.core(), by.as_deref(), outcome.as_deref());
        // A field's name reads the field's input key.
        let key = |name: &Option<String>| {
            name.as_deref()
                .map(|n| self.core().column_for(n).to_string())
        };
        let mut keep = Keep {
            keys: vec![key(&by), key(&outcome)],
            values: Vec::new(),
        };
        let mut unreadable: Vec<String> = Vec::new();
        for (i, lead) in leads.iter().enumerate() {
            let bound = self.bind(&read_lead(&lead), opts.bad_values(), &mut keep);
            let d = self.core().decide(i, &bound, &opts);
            let [group, o] = [0, 1].map(|k| keep.values[k].as_ref().and_then(group_text));
            let known = o.as_deref().and_then(leadgate::parse_outcome);
            if let (None, Some(o)) = (known, o) {
                if unreadable.len() < 10 && !unreadable.contains(&o) {
                    unreadable.push(o);
                }
            }
            report.add(&d, group.as_deref(), known);
        }
        if let Some(name) = &outcome {
            if report.outcomes_known() == 0 && report.leads() > report.rejected() {
                return Err(error(&format!(
                    "report: outcome `{name}`: no lead has a truthy or falsy value (1/0, true/false, yes/no); found [{}]",
                    unreadable.join(", ")
                )));
            }
        }
        to_js(&Rendered {
            text: report.to_text(&title, top),
            html: Some(report.to_html(&title, top)),
            data: &report.to_json(&title, top),
        })
    }

    /// This agreement (in force) against `proposed` over the same leads:
    /// which leads change destination, the route rule transitions, the
    /// score rules that explain the moves, and up to `changes` changed
    /// leads with both decisions; `leadgate diff`'s JSON and text.
    #[wasm_bindgen(unchecked_return_type = "Diff")]
    pub fn diff(
        &self,
        proposed: &Agreement,
        #[wasm_bindgen(unchecked_param_type = "ReadonlyArray<LeadInput>")] leads: JsValue,
        #[wasm_bindgen(unchecked_param_type = "DiffOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let names = ["changes", "oldName", "newName", "inputName"];
        let (opts, extra) = read_options(options.as_ref(), &names)?;
        let changes = count_option(&extra[0], "changes")?.unwrap_or(0);
        let old_name =
            text_option(&extra[1], "oldName")?.unwrap_or_else(|| self.core().name().into());
        let new_name =
            text_option(&extra[2], "newName")?.unwrap_or_else(|| proposed.core().name().into());
        let input = text_option(&extra[3], "inputName")?.unwrap_or_else(|| "leads".into());
        let leads = Self::array(&leads, "diff", "an array of leads")?;
        let mut diff = Diff::new(self.core(), proposed.core(), changes);
        for (i, lead) in leads.iter().enumerate() {
            // Read once, bound for each agreement.
            let read = read_lead(&lead);
            let decide = |a: &Agreement| {
                let bound = a.bind(&read, opts.bad_values(), &mut Keep::default());
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
