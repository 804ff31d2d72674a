//! A batch's decisions, written as canonical JSON into pieces bounded by
//! leads and by bytes. A batch of a million leads would otherwise be one
//! text of over a gigabyte: past 2 GiB a `String` cannot grow on wasm32
//! ("capacity overflow", a panic that stops the module), and past 2^29 - 24
//! characters the JS engine cannot make it a string. Each piece is handed to
//! JS as it fills, then its buffer is reused.

use js_sys::Array;
use leadgate::Decision;
use wasm_bindgen::JsValue;

/// A piece ends after this many decisions...
pub(crate) const PIECE_LEADS: u32 = 8192;
/// ... or once its text has reached this many bytes.
pub(crate) const PIECE_BYTES: usize = 16 << 20;

/// The decisions being written: a JSON array text, or (`lines`) one
/// decision per line.
pub(crate) struct Pieces {
    text: String,
    count: u32,
    /// Decisions in the pieces ended before this one.
    done: u32,
    lines: bool,
    /// The positions (from the first decision of all the pieces) and error
    /// kinds of the piece's rejected decisions, for the objects made of it
    /// (not for lines).
    kinds: Array,
}

impl Pieces {
    /// For a batch of `n` leads, appended after `done` decisions.
    pub(crate) fn new(n: u32, lines: bool, done: u32) -> Self {
        let guess = (n.min(PIECE_LEADS) as usize).saturating_mul(512);
        let mut text = String::with_capacity(guess.min(PIECE_BYTES) + 2);
        if !lines {
            text.push('[');
        }
        Pieces {
            text,
            count: 0,
            done,
            lines,
            kinds: Array::new(),
        }
    }

    /// The text to write the next decision into (`kind`: its lead error's).
    fn next(&mut self, kind: Option<JsValue>) -> &mut String {
        if self.count > 0 {
            self.text.push(if self.lines { '\n' } else { ',' });
        }
        if let (Some(kind), false) = (kind, self.lines) {
            self.kinds.push(&JsValue::from(self.done + self.count));
            self.kinds.push(&kind);
        }
        self.count += 1;
        &mut self.text
    }

    /// Appends a decision.
    pub(crate) fn push(&mut self, d: &Decision) {
        let kind = d.error().map(|e| JsValue::from_str(e.kind().as_str()));
        d.write_json(self.next(kind));
    }

    /// Appends a decision's text, with the kind of its lead error if any.
    pub(crate) fn push_text(&mut self, json: &str, kind: Option<JsValue>) {
        self.next(kind).push_str(json);
    }

    pub(crate) fn full(&self) -> bool {
        self.count >= PIECE_LEADS || self.text.len() >= PIECE_BYTES
    }

    /// Ends the piece (when it holds a decision), handing its text and the
    /// kinds of its rejected decisions to `hand`, and starts the next one.
    pub(crate) fn end(&mut self, hand: impl FnOnce(&str, &Array)) {
        if self.count == 0 {
            return;
        }
        if !self.lines {
            self.text.push(']');
        }
        hand(&self.text, &self.kinds);
        self.text.clear();
        self.kinds = Array::new();
        if !self.lines {
            self.text.push('[');
        }
        self.done += self.count;
        self.count = 0;
    }
}
