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
    /// pieces (`Pieces`), and per piece its rejected leads' [position, kind, …].
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

// The batch's decisions, written as canonical JSON into pieces bounded by
// leads and by bytes. A batch of a million leads would otherwise be one
// text of over a gigabyte: past 2 GiB a `String` cannot grow on wasm32
// ("capacity overflow", a panic that stops the module), and past 2^29 - 24
// characters the JS engine cannot make it a string. Each piece is handed to
// JS as it fills, then its buffer is reused.

/// A piece ends after this many decisions...
const PIECE_LEADS: u32 = 8192;
/// ... or once its text has reached this many bytes.
const PIECE_BYTES: usize = 16 << 20;

/// The decisions being written: a JSON array text, or (`lines`) one
/// decision per line.
struct Pieces {
    text: String,
    count: u32,
    /// Decisions in the pieces ended before this one.
    done: u32,
    lines: bool,
    /// [position (from the first piece's first decision), error kind, …]
    /// of the piece's rejected decisions (not for lines).
    kinds: Array,
}

impl Pieces {
    /// For a batch of `n` leads, appended after `done` decisions.
    fn new(n: u32, lines: bool, done: u32) -> Self {
        let guess = (n.min(PIECE_LEADS) as usize).saturating_mul(512);
        Pieces {
            text: String::with_capacity(guess.min(PIECE_BYTES) + 2),
            count: 0,
            done,
            lines,
            kinds: Array::new(),
        }
    }

    /// Appends a decision, written by `write`; `kind`: its lead error's.
    fn push(&mut self, kind: Option<&str>, write: impl FnOnce(&mut String)) {
        if self.count > 0 {
            self.text.push(if self.lines { '\n' } else { ',' });
        } else if !self.lines {
            self.text.push('[');
        }
        if let (Some(kind), false) = (kind, self.lines) {
            self.kinds.push(&JsValue::from(self.done + self.count));
            self.kinds.push(&JsValue::from_str(kind));
        }
        self.count += 1;
        write(&mut self.text);
    }

    fn full(&self) -> bool {
        self.count >= PIECE_LEADS || self.text.len() >= PIECE_BYTES
    }

    /// Ends the piece (when it holds a decision), handing its text and the
    /// kinds of its rejected decisions to `hand`, and starts the next one.
    fn end(&mut self, hand: impl FnOnce(&str, &Array)) {
        if self.count == 0 {
            return;
        }
        if !self.lines {
            self.text.push(']');
        }
        hand(&self.text, &self.kinds);
        self.text.clear();
        self.kinds = Array::new();
        self.done += self.count;
        self.count = 0;
    }
}
