//! Many decisions written as canonical JSON into pieces bounded by leads
//! and by bytes, for a front that hands a large batch's output on as texts.
//! A batch of a million leads would otherwise be one text of over a
//! gigabyte: past 2 GiB a `String` cannot grow on a 32-bit target such as
//! wasm32 ("capacity overflow", a panic), and past 2^29 - 24 characters a
//! JS engine cannot make it a string. Each piece is handed on as it fills,
//! then its buffer is reused.

/// The decisions of a batch being written: each piece a JSON array text,
/// or (`lines`) one decision per line, with the positions and kinds of its
/// rejected decisions.
///
/// ```
/// let mut pieces = leadgate::DecisionPieces::new(2, false, 0);
/// pieces.push(None, |t| t.push_str("{\"index\":0}"));
/// pieces.push(Some("bad_value"), |t| t.push_str("{\"index\":1}"));
/// let mut out = Vec::new();
/// pieces.end(|text, rejected| out.push((text.to_string(), rejected.to_vec())));
/// assert_eq!(out, [("[{\"index\":0},{\"index\":1}]".to_string(), vec![(1, "bad_value".to_string())])]);
/// ```
#[derive(Debug)]
pub struct DecisionPieces {
    text: String,
    count: u32,
    /// Decisions in the pieces ended before this one.
    done: u32,
    lines: bool,
    /// The position (from the first piece's first decision) and error kind
    /// of the piece's rejected decisions (not for lines).
    rejected: Vec<(u32, String)>,
}

impl DecisionPieces {
    /// A piece ends after this many decisions...
    pub const MAX_LEADS: u32 = 8192;
    /// ... or once its text has reached this many bytes.
    pub const MAX_BYTES: usize = 16 << 20;

    /// For a batch of `n` leads, appended after `done` decisions; `lines`:
    /// one decision a line rather than a JSON array.
    pub fn new(n: u32, lines: bool, done: u32) -> Self {
        let guess = (n.min(Self::MAX_LEADS) as usize).saturating_mul(512);
        DecisionPieces {
            text: String::with_capacity(guess.min(Self::MAX_BYTES) + 2),
            count: 0,
            done,
            lines,
            rejected: Vec::new(),
        }
    }

    /// Appends a decision, written by `write` (e.g.
    /// [`Decision::write_json`](crate::Decision::write_json)); `kind`: its
    /// lead error's (`LeadErrorKind::as_str`).
    pub fn push(&mut self, kind: Option<&str>, write: impl FnOnce(&mut String)) {
        if self.count > 0 {
            self.text.push(if self.lines { '\n' } else { ',' });
        } else if !self.lines {
            self.text.push('[');
        }
        if let (Some(kind), false) = (kind, self.lines) {
            self.rejected
                .push((self.done + self.count, kind.to_string()));
        }
        self.count += 1;
        write(&mut self.text);
    }

    /// Whether the piece is full: time to [`end`](Self::end) it.
    pub fn full(&self) -> bool {
        self.count >= Self::MAX_LEADS || self.text.len() >= Self::MAX_BYTES
    }

    /// Ends the piece (when it holds a decision), handing its text and its
    /// rejected decisions' positions and kinds to `hand`, and starts the
    /// next one.
    pub fn end(&mut self, hand: impl FnOnce(&str, &[(u32, String)])) {
        if self.count == 0 {
            return;
        }
        if !self.lines {
            self.text.push(']');
        }
        hand(&self.text, &self.rejected);
        self.text.clear();
        self.rejected.clear();
        self.done += self.count;
        self.count = 0;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::DecisionPieces;

    fn run(n: u32, lines: bool, base: u32, each: &str) -> Vec<(String, Vec<(u32, String)>)> {
        let mut pieces = DecisionPieces::new(n, lines, base);
        let mut out = Vec::new();
        for i in 0..n {
            let kind = (i % 3 == 0).then_some("bad_value");
            pieces.push(kind, |t| t.push_str(each));
            if pieces.full() {
                pieces.end(|t, r| out.push((t.to_string(), r.to_vec())));
            }
        }
        pieces.end(|t, r| out.push((t.to_string(), r.to_vec())));
        out
    }

    #[test]
    fn pieces_are_bounded_by_leads_and_positions_run_on() {
        let out = run(DecisionPieces::MAX_LEADS + 2, false, 10, "{}");
        assert_eq!(out.len(), 2);
        let items: Vec<&str> = out[1].0.trim_matches(['[', ']']).split(',').collect();
        assert_eq!(items, ["{}", "{}"]);
        let first: Vec<_> = serde_json::from_str::<Vec<serde_json::Value>>(&out[0].0).unwrap();
        assert_eq!(first.len() as u32, DecisionPieces::MAX_LEADS);
        // Every third lead rejected, counted from the batch's base.
        assert_eq!(
            out[0].1[..2],
            [(10, "bad_value".into()), (13, "bad_value".into())]
        );
        let last = DecisionPieces::MAX_LEADS + 1; // 8193 = 3 * 2731: rejected
        assert_eq!(out[1].1, [(10 + last, "bad_value".to_string())]);
    }

    #[test]
    fn pieces_are_bounded_by_bytes_and_lines_have_no_kinds() {
        let big = "x".repeat(DecisionPieces::MAX_BYTES / 2);
        let out = run(3, true, 0, &big);
        assert_eq!(out.len(), 2, "two lines reach the bound");
        assert_eq!(out[0].0, format!("{big}\n{big}"));
        assert_eq!(out[1].0, big);
        assert!(out.iter().all(|(_, kinds)| kinds.is_empty()));
        // Nothing pushed: nothing handed.
        assert!(run(0, false, 0, "{}").is_empty());
    }
}
