//! The batch fast path of `scoreMany` and `scoreManyJson` (feature
//! `batch-json`, on in the node build): internal exports for the JS walk of
//! `src/fast.js`, which reads a batch in JS and sends what JSON carries
//! exactly as one text, bound here by the core's JSON reader; every other
//! lead is read by the per-lead reader of `lib.rs`, at its turn. See the
//! header of `src/fast.js` for why the decisions are the same.

use js_sys::Array;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::{read_lead, read_shaped, Keep, Read, Shape};
use crate::options::{options_object, read_options};
use crate::pieces::Pieces;
use crate::Agreement;

#[wasm_bindgen]
impl Agreement {
    /// Internal, for `src/fast.js` (the batch fast path of `scoreMany` and
    /// `scoreManyJson`): reads the options and the array of leads exactly as
    /// those do (the same errors, thrown at the same point), and returns
    /// `[options, leads]`: the options as an object of its own, which the
    /// later calls of the batch read to the same values.
    #[wasm_bindgen(js_name = __prepare, skip_typescript)]
    pub fn prepare(&self, leads: JsValue, options: Option<JsValue>) -> Result<Array, JsValue> {
        let (opts, _) = read_options(options.as_ref(), &[])?;
        let leads = Self::leads(&leads)?;
        Ok(Array::of2(&options_object(&opts)?, &leads))
    }

    /// Internal, for `src/fast.js`: scores a lead the JS walk did not send
    /// as JSON, at its turn, and returns `[decision text, error kind]`.
    /// `found`: 0 nothing read yet (any value), else what the walk found of
    /// an object: 1 reading it threw `thrown`, 2 a Date, 3 a Map, 4 another
    /// object, 5 a plain object read in part (`lead` is then its pairs).
    #[wasm_bindgen(js_name = __scoreOne, skip_typescript)]
    pub fn score_one(
        &self,
        lead: JsValue,
        found: u32,
        thrown: JsValue,
        index: u32,
        options: JsValue,
    ) -> Result<Array, JsValue> {
        let (opts, _) = read_options(Some(&options), &[])?;
        let read = match found {
            1 => read_shaped(&lead, Err(thrown)),
            2 => read_shaped(&lead, Ok(Shape::Date)),
            3 => read_shaped(&lead, Ok(Shape::Map)),
            4 => read_shaped(&lead, Ok(Shape::Plain)),
            5 => Read::Walked(lead.unchecked_into()),
            _ => read_lead(&lead),
        };
        let bound = self.bind(&read, opts.bad_values(), &mut Keep::default());
        let d = self.core().decide(index as usize, &bound, &opts);
        let kind = d
            .error()
            .map_or(JsValue::UNDEFINED, |e| e.kind().as_str().into());
        Ok(Array::of2(&d.to_json().into(), &kind))
    }

    /// Internal, for `src/fast.js`: scores a chunk of a batch the JS walk
    /// has read, its first lead being lead `base` of the batch. `text` is
    /// the JSON array of the walk, in UTF-8 (TextEncoder's copy is faster
    /// than the glue's own conversion of a long string): each lead it could
    /// send as JSON is an object there, bound by the core's JSON reader; in
    /// its place in `slots` is that lead's copy, and for any other lead what
    /// `__scoreOne` gave. Returns `[texts, kinds]`: the decisions as texts
    /// of bounded pieces (`pieces.rs`), JSON arrays or (`lines`) decisions
    /// joined by newlines, and the position in the chunk and error kind of
    /// each rejected lead. Should `text` not be such an array, the copies
    /// are read as JS objects instead.
    #[wasm_bindgen(js_name = __scoreBatch, skip_typescript)]
    pub fn score_batch(
        &self,
        text: &[u8],
        slots: Array,
        options: JsValue,
        lines: bool,
        base: u32,
    ) -> Result<Array, JsValue> {
        let (opts, _) = read_options(Some(&options), &[])?;
        let n = slots.length();
        let json = std::str::from_utf8(text)
            .ok()
            .and_then(|text| serde_json::from_str::<Vec<&RawValue>>(text).ok())
            .filter(|v| v.len() == n as usize);
        let (texts, kinds) = (Array::new(), Array::new());
        let mut pieces = Pieces::new(n, lines);
        for i in 0..n {
            let index = base.saturating_add(i) as usize;
            let object = json
                .as_ref()
                .and_then(|v| v.get(i as usize))
                .map(|raw| raw.get())
                .filter(|t| t.starts_with('{'));
            let slot = slots.get(i);
            if let Some(object) = object {
                let lead = self.core().bind_json(object, opts.bad_values());
                if let Some(field) = self.core().misnamed_keys(&lead).next() {
                    self.inner.warn_misnamed(field);
                }
                pieces.push(&self.core().decide(index, &lead, &opts));
            } else if let Some(done) = slot.dyn_ref::<Array>() {
                let kind = done.get(1);
                pieces.push_text(
                    &done.get(0).as_string().unwrap_or_default(),
                    (!kind.is_undefined()).then_some(kind),
                );
            } else {
                let lead = self.bind(&read_lead(&slot), opts.bad_values(), &mut Keep::default());
                pieces.push(&self.core().decide(index, &lead, &opts));
            }
            if pieces.full() {
                pieces.end_text(&texts, &kinds)?;
            }
        }
        pieces.end_text(&texts, &kinds)?;
        Ok(Array::of2(&texts, &kinds))
    }
}
