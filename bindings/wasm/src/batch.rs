//! The batch fast path of `scoreMany` and `scoreManyJson` (feature
//! `batch-json`, on in the node build): internal exports for the JS walk of
//! `src/fast.js`, which reads a batch in JS and sends what JSON carries
//! exactly as one text, bound here by the core's JSON reader; every other
//! lead is read by the per-lead reader of `lib.rs`, at its turn. See the
//! header of `src/fast.js` for why the decisions are the same.

use js_sys::Array;
use leadgate::{LeadBuilder, OnBadValue, Raw, ScoreOptions};
use serde_json::value::RawValue;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{error, raw, raw_items, read_options, Agreement, Found, Pieces, UNREADABLE_ARRAY};

/// Options read once (by `__prepare`) as a short text that later calls of
/// the same batch take: `"<asOf ms> <e|m> <0|1>"`.
fn options_token(o: &ScoreOptions) -> String {
    let on_bad = match o.on_bad_value {
        OnBadValue::Error => 'e',
        OnBadValue::Missing => 'm',
    };
    format!("{} {on_bad} {}", o.as_of_ms, u8::from(o.explain))
}

fn read_options_token(token: &str) -> Result<ScoreOptions, JsValue> {
    let bad = || error("internal error: not an options token from __prepare");
    let mut parts = token.split(' ');
    let as_of_ms = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let on_bad_value = match parts.next() {
        Some("e") => OnBadValue::Error,
        Some("m") => OnBadValue::Missing,
        _ => return Err(bad()),
    };
    let explain = match parts.next() {
        Some("1") => true,
        Some("0") => false,
        _ => return Err(bad()),
    };
    Ok(ScoreOptions {
        as_of_ms,
        on_bad_value,
        explain,
    })
}

impl Agreement {
    /// The `Object.entries` pairs of a plain object that the JS walk has
    /// read up to a value it could not send as JSON (`src/fast.js`). A pair
    /// `[key, items, "a"]` holds an array value already read with
    /// `Array.from` (its items not yet), `[key, _, "u"]` one `Array.from`
    /// threw on; any other pair's value is not read yet. The pairs array and
    /// pairs are the walk's own, so reading them runs no code of the caller.
    fn set_walked(b: &mut LeadBuilder<'_>, pairs: &Array) {
        for pair in pairs.iter() {
            let pair: Array = pair.unchecked_into();
            let Some(key) = pair.get(0).as_string() else {
                continue;
            };
            let Some(slot) = b.slot(&key) else {
                continue;
            };
            let value = pair.get(1);
            let raw = match pair.get(2).as_string().as_deref() {
                Some("a") => raw_items(value.unchecked_ref::<Array>()),
                Some("u") => Raw::Other(UNREADABLE_ARRAY),
                _ => raw(&value, false),
            };
            b.set(slot, raw);
        }
    }
}

#[wasm_bindgen]
impl Agreement {
    /// Internal, for `src/fast.js` (the batch fast path of `scoreMany` and
    /// `scoreManyJson`): reads the options and the array of leads exactly as
    /// those do (the same errors, thrown at the same point), and returns
    /// `[options token, leads]`.
    #[wasm_bindgen(js_name = __prepare, skip_typescript)]
    pub fn prepare(&self, leads: JsValue, options: Option<JsValue>) -> Result<Array, JsValue> {
        let opts = read_options(options.as_ref())?;
        let leads = Self::leads(&leads)?;
        Ok(Array::of2(
            &JsValue::from_str(&options_token(&opts)),
            &leads,
        ))
    }

    /// Internal, for `src/fast.js`: scores a lead the JS walk did not send
    /// as JSON, at its turn, and returns its canonical decision text.
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
        token: &str,
    ) -> Result<String, JsValue> {
        let opts = read_options_token(token)?;
        let mut out = String::with_capacity(512);
        let mut b = self.core().lead_builder(opts.on_bad_value);
        match found {
            1 => Self::read_found(&mut b, &lead, Found::Unreadable(thrown)),
            2 => Self::read_found(&mut b, &lead, Found::Date),
            3 => Self::read_found(&mut b, &lead, Found::Map),
            4 => Self::read_found(&mut b, &lead, Found::Object),
            5 => Self::set_walked(&mut b, lead.unchecked_ref::<Array>()),
            _ => {
                self.decide_json(index as usize, &lead, &opts, &mut out);
                return Ok(out);
            }
        }
        self.write_decision(index as usize, &b.finish(), &opts, &mut out);
        Ok(out)
    }

    /// Internal, for `src/fast.js`: scores a chunk of a batch the JS walk
    /// has read, its first lead being lead `base` of the batch. `text` is
    /// the JSON array of the walk, in UTF-8 (TextEncoder's copy is faster
    /// than the glue's own conversion of a long string): each lead it could
    /// send as JSON is an object there, bound by the core's JSON reader; in
    /// its place in `slots` is that lead's copy, and for any other lead the
    /// decision text `__scoreOne` gave. Returns the decisions as texts of
    /// bounded pieces (`pieces.rs`): JSON arrays, or (`lines`) decisions
    /// joined by newlines. Should `text` not be such an array, the copies
    /// are read as JS objects instead.
    #[wasm_bindgen(js_name = __scoreBatch, skip_typescript)]
    pub fn score_batch(
        &self,
        text: &[u8],
        slots: Array,
        token: &str,
        lines: bool,
        base: u32,
    ) -> Result<Array, JsValue> {
        let opts = read_options_token(token)?;
        let n = slots.length();
        let json = std::str::from_utf8(text)
            .ok()
            .and_then(|text| serde_json::from_str::<Vec<&RawValue>>(text).ok())
            .filter(|v| v.len() == n as usize);
        let texts = Array::new();
        let mut pieces = Pieces::new(n, lines);
        for i in 0..n {
            let index = base.saturating_add(i) as usize;
            let out = pieces.next();
            let object = json
                .as_ref()
                .and_then(|v| v.get(i as usize))
                .map(|raw| raw.get())
                .filter(|t| t.starts_with('{'));
            if let Some(object) = object {
                let lead = self.core().bind_json(object, opts.on_bad_value);
                self.write_decision(index, &lead, &opts, out);
            } else {
                let slot = slots.get(i);
                match slot.as_string() {
                    Some(decision) => out.push_str(&decision),
                    None => self.decide_json(index, &slot, &opts, out),
                }
            }
            if pieces.full() {
                pieces.end_text(&texts)?;
            }
        }
        pieces.end_text(&texts)?;
        Ok(texts)
    }
}
