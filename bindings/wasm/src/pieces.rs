//! A batch's decisions, written as canonical JSON into pieces bounded by
//! leads and by bytes. A batch of a million leads would otherwise be one
//! text of over a gigabyte: past 2 GiB a `String` cannot grow on wasm32
//! ("capacity overflow", a panic that stops the module), and past 2^29 - 24
//! characters the JS engine cannot make it a string. Each piece is handed to
//! JS as it fills, then its buffer is reused.

use js_sys::Array;
use leadgate::Decision;
use wasm_bindgen::{JsCast, JsValue};

use crate::js::{mark_kind, parse_json};

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
    /// The rejected decisions of the piece (by position in it) and their
    /// error kinds, for the objects made of it (not for lines).
    kinds: Vec<(u32, JsValue)>,
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
            done: 0,
            lines,
            kinds: Vec::new(),
        }
    }

    /// The text to write the next decision into (`kind`: its lead error's).
    fn next(&mut self, kind: Option<JsValue>) -> &mut String {
        if self.count > 0 {
            self.text.push(if self.lines { '\n' } else { ',' });
        }
        if let (Some(kind), false) = (kind, self.lines) {
            self.kinds.push((self.count, kind));
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
    #[cfg(feature = "batch-json")]
    pub(crate) fn push_text(&mut self, json: &str, kind: Option<JsValue>) {
        self.next(kind).push_str(json);
    }

    pub(crate) fn full(&self) -> bool {
        self.count >= PIECE_LEADS || self.text.len() >= PIECE_BYTES
    }

    /// Ends the piece (when it holds a decision) and starts the next one.
    fn end(
        &mut self,
        hand: impl FnOnce(&str, &[(u32, JsValue)], u32) -> Result<(), JsValue>,
    ) -> Result<(), JsValue> {
        if self.count == 0 {
            return Ok(());
        }
        if !self.lines {
            self.text.push(']');
        }
        hand(&self.text, &self.kinds, self.done)?;
        self.text.clear();
        self.kinds.clear();
        if !self.lines {
            self.text.push('[');
        }
        self.done += self.count;
        self.count = 0;
        Ok(())
    }

    /// Ends the piece as a text of its own, pushed onto `texts`; the
    /// positions (from the first decision of all the pieces) and kinds of
    /// its rejected decisions go onto `kinds`.
    #[cfg(feature = "batch-json")]
    pub(crate) fn end_text(&mut self, texts: &Array, kinds: &Array) -> Result<(), JsValue> {
        self.end(|text, rejected, done| {
            texts.push(&js_sys::JsString::from(text));
            for (i, kind) in rejected {
                kinds.push(&JsValue::from(done + i));
                kinds.push(kind);
            }
            Ok(())
        })
    }

    /// Ends the piece as decision objects, appended to `out` (the first
    /// piece becomes `out`).
    pub(crate) fn end_parsed(&mut self, out: &mut Option<Array>) -> Result<(), JsValue> {
        self.end(|text, rejected, _| {
            let piece: Array = parse_json(text)?.unchecked_into();
            for (i, kind) in rejected {
                mark_kind(&piece.get(*i), kind)?;
            }
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

/// Decides each of `items` (`decide(index, item)`) and returns the decisions
/// as objects, made piece by piece.
pub(crate) fn objects(
    items: &Array,
    mut decide: impl FnMut(usize, &JsValue) -> Decision,
) -> Result<JsValue, JsValue> {
    let mut pieces = Pieces::new(items.length(), false);
    let mut out = None;
    for (i, item) in items.iter().enumerate() {
        pieces.push(&decide(i, &item));
        if pieces.full() {
            pieces.end_parsed(&mut out)?;
        }
    }
    pieces.end_parsed(&mut out)?;
    Ok(out.unwrap_or_default().into())
}
