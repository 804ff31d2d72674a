//! The batch fast path of `scoreMany` and `scoreManyJson` (feature
//! `batch-json`, on in the node build): internal exports for the JS walk of
//! `src/fast.js`, which reads a batch in JS and sends what JSON carries
//! exactly as one text, bound here by the core's JSON reader; every other
//! lead is read by the per-lead reader, at its turn. See the header of
//! `src/fast.js` for why the decisions are the same.

use js_sys::Array;
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::score_options;
use crate::pieces::Pieces;
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
        let kind = d
            .error()
            .map_or(JsValue::UNDEFINED, |e| e.kind().as_str().into());
        Array::of2(&d.to_json().into(), &kind)
    }

    /// Internal, for `src/fast.js`: scores a chunk of a batch the JS walk
    /// has read, its first lead being lead `base` of the batch, and returns
    /// `[texts, kinds]`: the decisions as texts of bounded pieces
    /// (`pieces.rs`), JSON arrays or (`lines`) decisions joined by newlines,
    /// and for each piece [position in the batch, error kind, ...] of its
    /// rejected leads.
    /// `text` is the JSON array of the walk, in UTF-8 (TextEncoder's
    /// copy is faster than the glue's own conversion of a long string): each
    /// lead it could send as JSON is an object there, bound by the core's
    /// JSON reader; in its place in `slots` is that lead's copy, and for any
    /// other lead what `__scoreOne` gave. Should `text` not be such an array,
    /// the copies are read as JS objects instead.
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
        let mut pieces = Pieces::new(n, lines, base);
        let (texts, kinds) = (Array::new(), Array::new());
        let hand = |text: &str, rejected: &Array| {
            texts.push(&text.into());
            kinds.push(rejected);
        };
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
                self.inner.warn_misnamed(&lead);
                pieces.push(&self.core().decide(index, &lead, &opts));
            } else if let Some(done) = slot.dyn_ref::<Array>() {
                let kind = done.get(1);
                pieces.push_text(
                    &done.get(0).as_string().unwrap_or_default(),
                    (!kind.is_undefined()).then_some(kind),
                );
            } else {
                let read = crate::js::read_lead(&slot);
                let lead = self.bind(&read, opts.bad_values());
                pieces.push(&self.core().decide(index, &lead, &opts));
            }
            if pieces.full() {
                pieces.end(hand);
            }
        }
        pieces.end(hand);
        Array::of2(&texts, &kinds)
    }
}
