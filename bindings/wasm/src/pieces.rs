//! A batch's decisions, written as canonical JSON into pieces bounded by
//! leads and by bytes. A batch of a million leads would otherwise be one
//! text of over a gigabyte: past 2 GiB a `String` cannot grow on wasm32
//! ("capacity overflow", a panic that stops the module), and past 2^29 - 24
//! characters the JS engine cannot make it a string. Each piece is handed to
//! JS as it fills, then its buffer is reused.

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::parse_json;

/// A piece ends after this many decisions...
pub(crate) const PIECE_LEADS: u32 = 8192;
/// ... or once its text has reached this many bytes.
pub(crate) const PIECE_BYTES: usize = 16 << 20;

/// The decisions being written: a JSON array text, or (`lines`) one
/// decision per line.
pub(crate) struct Pieces {
    text: String,
    count: u32,
    lines: bool,
}

impl Pieces {
    /// For a batch of `n` leads.
    pub(crate) fn new(n: u32, lines: bool) -> Self {
        let guess = (n.min(PIECE_LEADS) as usize).saturating_mul(512);
        let mut text = String::with_capacity(guess.min(PIECE_BYTES) + 2);
        if !lines {
            text.push('[');
        }
        Pieces {
            text,
            count: 0,
            lines,
        }
    }

    /// The text to write the next decision into.
    pub(crate) fn next(&mut self) -> &mut String {
        if self.count > 0 {
            self.text.push(if self.lines { '\n' } else { ',' });
        }
        self.count += 1;
        &mut self.text
    }

    pub(crate) fn full(&self) -> bool {
        self.count >= PIECE_LEADS || self.text.len() >= PIECE_BYTES
    }

    /// Ends the piece (when it holds a decision) and starts the next one.
    fn end(&mut self, hand: impl FnOnce(&str) -> Result<(), JsValue>) -> Result<(), JsValue> {
        if self.count == 0 {
            return Ok(());
        }
        if !self.lines {
            self.text.push(']');
        }
        hand(&self.text)?;
        self.text.clear();
        if !self.lines {
            self.text.push('[');
        }
        self.count = 0;
        Ok(())
    }

    /// Ends the piece as a text of its own, pushed onto `texts`.
    #[cfg(feature = "batch-json")]
    pub(crate) fn end_text(&mut self, texts: &Array) -> Result<(), JsValue> {
        self.end(|text| {
            texts.push(&js_sys::JsString::from(text));
            Ok(())
        })
    }

    /// Ends the piece as decision objects, appended to `out` (the first
    /// piece becomes `out`).
    pub(crate) fn end_parsed(&mut self, out: &mut Option<Array>) -> Result<(), JsValue> {
        self.end(|text| {
            let piece: Array = parse_json(text)?.unchecked_into();
            match out {
                None => *out = Some(piece),
                Some(out) => {
                    for decision in piece.iter() {
                        out.push(&decision);
                    }
                }
            }
            Ok(())
        })
    }
}
