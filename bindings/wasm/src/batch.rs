//! The batch fast path of `scoreMany` and `scoreManyJson`, in every build:
//! internal exports for the JS walk of `src/fast.js`, which reads a batch
//! in JS and sends the values of the leads it can as three typed arrays
//! (see [`Stream`]) that cross into wasm once a chunk; every other lead is
//! read by the per-lead reader, at its turn. See the header of
//! `src/fast.js` for why the decisions are the same.

use std::borrow::Cow;

use js_sys::Array;
use leadgate::{DecisionPieces, Lead, LeadErrorKind, OnBadValue, Raw};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js::score_options;
use crate::Agreement;

/// The tags of the walk's values (the low three bits of a value's head,
/// the input key's place in [`Agreement::keys`] above them; an item of a
/// list is its tag alone). `src/fast.js` has the same numbers.
const NULL: u32 = 0;
const FALSE: u32 = 1;
const TRUE: u32 = 2;
/// The next number of `nums`.
const NUMBER: u32 = 3;
/// The next text of `text`; its length in UTF-16 units follows.
const TEXT: u32 = 4;
/// A list; its number of items follows, then each item.
const LIST: u32 = 5;
/// The end of a lead.
const END: u32 = 7;

/// One chunk of the walk's leads: per lead its values' heads (and
/// lengths), then [`END`]; the numbers in `nums`; the texts, one after
/// another, in `text`.
struct Stream<'a> {
    ints: std::slice::Iter<'a, u32>,
    nums: std::slice::Iter<'a, f64>,
    text: &'a str,
}

impl<'a> Stream<'a> {
    fn int(&mut self) -> Option<u32> {
        self.ints.next().copied()
    }

    /// The next text: as many UTF-16 units as the walk counted (a text of
    /// ASCII has as many bytes).
    fn text(&mut self) -> Option<&'a str> {
        let units = self.int()? as usize;
        let bytes = self.text.as_bytes();
        let end = match bytes.get(..units) {
            Some(ascii) if ascii.is_ascii() => units,
            _ => {
                let (mut counted, mut end) = (0, 0);
                for (at, c) in self.text.char_indices() {
                    if counted >= units {
                        break;
                    }
                    counted += c.len_utf16();
                    end = at + c.len_utf8();
                }
                (counted == units).then_some(end)?
            }
        };
        let (text, rest) = (self.text.get(..end)?, self.text.get(end..)?);
        self.text = rest;
        Some(text)
    }

    /// A value tagged `tag` (`item`: in a list, which holds no list).
    fn value(&mut self, tag: u32, item: bool) -> Option<Raw<'a>> {
        Some(match tag {
            NULL => Raw::Null,
            FALSE => Raw::Bool(false),
            TRUE => Raw::Bool(true),
            NUMBER => Raw::Float(self.nums.next().copied()?),
            TEXT => Raw::Str(Cow::Borrowed(self.text()?)),
            LIST if !item => {
                let n = self.int()? as usize;
                let mut items = Vec::with_capacity(n.min(self.ints.len()));
                for _ in 0..n {
                    let tag = self.int()?;
                    items.push(self.value(tag, true)?);
                }
                Raw::Array(items)
            }
            _ => return None,
        })
    }
}

#[wasm_bindgen]
impl Agreement {
    /// Internal, for `src/fast.js`: `[keys, names]`: the input keys of the
    /// fields, in declaration order (the walk sends each value by its key's
    /// place here), and the names of fields that read another key (a lead
    /// keyed so is read per lead, at its turn: the per-lead reader notes
    /// it, and warns then).
    #[wasm_bindgen(js_name = __keys, skip_typescript)]
    pub fn keys(&self) -> Array {
        let fields = self.core().fields();
        let keys: std::collections::HashSet<&str> = fields.iter().map(|f| f.key()).collect();
        let names = (fields.iter().map(|f| f.name())).filter(|n| !keys.contains(n));
        Array::of2(
            &fields
                .iter()
                .map(|f| JsValue::from_str(f.key()))
                .collect::<Array>(),
            &names.map(JsValue::from_str).collect::<Array>(),
        )
    }

    /// Internal, for `src/fast.js`: scores a lead the JS walk did not
    /// send, at its turn, from what it read of it, and returns `[decision
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
    /// lead is lead `base`). `ints`, `nums` and `text` (UTF-8): the values
    /// of the leads the walk sent ([`Stream`]); in `slots`, for each lead
    /// of the chunk, 0 for such a lead or what `__scoreOne` gave. The
    /// decisions are appended to `out` (the batch's decisions so far) in
    /// bounded pieces (the core's `DecisionPieces`), each parsed once by
    /// `leadgateAppend`, as the per-lead path's (`output`); returns `out`.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = __scoreBatch, skip_typescript)]
    pub fn score_batch(
        &self,
        ints: &[u32],
        nums: &[f64],
        text: &[u8],
        slots: Array,
        options: Array,
        lines: bool,
        base: u32,
        out: JsValue,
    ) -> JsValue {
        let opts = score_options(&options);
        let probe = self.core().lead_builder(opts.bad_values());
        // Per chunk, linear in the fields (as each lead's builder is).
        let at: Vec<Option<u32>> = (self.core().fields().iter())
            .map(|f| probe.slot(f.key()))
            .collect();
        let mut stream = Stream {
            ints: ints.iter(),
            nums: nums.iter(),
            text: std::str::from_utf8(text).unwrap_or_default(),
        };
        let n = slots.length();
        let mut pieces = DecisionPieces::new(n, lines, base);
        let mut out = out;
        let mut hand = |text: &str, rejected: &[(u32, String)]| {
            out = crate::js::append_piece(&out, text, rejected, lines);
        };
        for i in 0..n {
            let index = base.saturating_add(i) as usize;
            let slot = slots.get(i);
            if let Some(done) = slot.dyn_ref::<Array>() {
                let text = done.get(0).as_string().unwrap_or_default();
                pieces.push(done.get(1).as_string().as_deref(), |t| t.push_str(&text));
            } else {
                let lead = self.bind_sent(&mut stream, &at, opts.bad_values());
                let d = self.core().decide(index, &lead, &opts);
                pieces.push(d.error().map(|e| e.kind().as_str()), |t| d.write_json(t));
            }
            if pieces.full() {
                pieces.end(&mut hand);
            }
        }
        pieces.end(&mut hand);
        out
    }
}

impl Agreement {
    /// Binds the next lead of `stream`: each value into the field its key
    /// (the fields' input keys, whose slots are `at`) is read into, as the
    /// per-lead reader does. (A lead keyed by a field's name is not sent.)
    fn bind_sent(&self, stream: &mut Stream<'_>, at: &[Option<u32>], on_bad: OnBadValue) -> Lead {
        let mut b = self.core().lead_builder(on_bad);
        let read = (|| loop {
            let head = stream.int()?;
            let (tag, key) = (head & 7, (head >> 3) as usize);
            if tag == END {
                return Some(());
            }
            let value = stream.value(tag, false)?;
            b.set((*at.get(key)?)?, value);
        })();
        if read.is_none() {
            b.reject(
                LeadErrorKind::Unreadable,
                "internal error in leadgate: the batch reader lost its place (this is a bug in leadgate; please report it)",
            );
        }
        b.finish()
    }
}
