//! The batch fast path of `scoreMany` and `scoreManyJson` (feature
//! `batch-json`, on in the node build): internal exports for the JS walk of
//! `src/fast.js`, which reads a batch in JS and sends what JSON carries
//! exactly as one text, bound here by the core's JSON reader; every other
//! lead is read by the per-lead reader, at its turn. See the header of
//! `src/fast.js` for why the decisions are the same.

use js_sys::Array;
use leadgate::DecisionPieces;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::score_options;
use crate::Agreement;

#[wasm_bindgen]
impl Agreement {
    /// Internal, for `src/fast.js`: scores a lead the JS walk did not send
    /// as JSON, at its turn, from what it read of it, and returns `[decision
    /// text, error kind]`.
    #[wasm_bindgen(js_name = __scoreOne, skip_typescript)]
    pub fn score_one(&self, read: JsValue, index: u32, options: Array) -> Array {
        let opts = score_options(&options);
        let bound = self.bind(&read, opts.bad_values());
        let d = self.core().decide(index as usize, &bound, &opts);
        let kind = d.error().map(|e| e.kind().as_str());
        Array::of2(&d.to_json().into(), &kind.into())
    }

    /// Internal, for `src/fast.js`: scores a chunk of a batch (its first
    /// lead is lead `base`). `text`: the walk's JSON array, in UTF-8 (faster
    /// than the glue's string conversion), each lead it could send an object
    /// bound by the core's JSON reader; in `slots`, that lead's copy (read
    /// as a JS object should `text` not be such an array) or what
    /// `__scoreOne` gave. Returns `[texts, kinds]`: the decisions in bounded
    /// pieces (the core's `DecisionPieces`), and per piece its rejected
    /// leads' [position, kind, …].
    #[wasm_bindgen(js_name = __scoreBatch, skip_typescript)]
    pub fn score_batch(
        &self,
        text: &[u8],
        slots: Array,
        options: Array,
        lines: bool,
        base: u32,
    ) -> Array {
        let opts = score_options(&options);
        let n = slots.length();
        let json = std::str::from_utf8(text)
            .ok()
            .and_then(|text| serde_json::from_str::<Vec<&RawValue>>(text).ok())
            .filter(|v| v.len() == n as usize);
        let mut pieces = DecisionPieces::new(n, lines, base);
        let (texts, kinds) = (Array::new(), Array::new());
        let hand = |text: &str, rejected: &[(u32, String)]| {
            texts.push(&text.into());
            let flat = rejected
                .iter()
                .flat_map(|(at, kind)| [JsValue::from(*at), JsValue::from_str(kind)]);
            kinds.push(&flat.collect::<Array>());
        };
        for i in 0..n {
            let index = base.saturating_add(i) as usize;
            let object = json
                .as_ref()
                .and_then(|v| v.get(i as usize))
                .map(|raw| raw.get())
                .filter(|t| t.starts_with('{'));
            let slot = slots.get(i);
            if let Some(done) = slot.dyn_ref::<Array>().filter(|_| object.is_none()) {
                let text = done.get(0).as_string().unwrap_or_default();
                pieces.push(done.get(1).as_string().as_deref(), |t| t.push_str(&text));
            } else {
                let lead = match object {
                    Some(object) => {
                        let lead = self.core().bind_json(object, opts.bad_values());
                        self.warn_misnamed(&lead);
                        lead
                    }
                    None => self.bind(&crate::js::read_lead(&slot), opts.bad_values()),
                };
                let d = self.core().decide(index, &lead, &opts);
                pieces.push(d.error().map(|e| e.kind().as_str()), |t| d.write_json(t));
            }
            if pieces.full() {
                pieces.end(hand);
            }
        }
        pieces.end(hand);
        Array::of2(&texts, &kinds)
    }
}
