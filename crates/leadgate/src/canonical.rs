//! The canonical decision JSON ("The decision" in docs/language.md), written
//! fast: the constant parts of every line are rendered once per agreement.
//! `Decision`'s `Serialize` gives the same bytes (a test compares them).

use crate::bind::LeadError;
use crate::check::Model;
use crate::roster::Assigned;
use crate::value::write_number;
use crate::verdict::Verdict;

/// The position of the first byte that JSON must escape (`"`, `\`, or a
/// control character below 0x20). Eight bytes at a time: the word test may
/// flag a plain byte next to a special one but never misses one, and a
/// flagged word is re-checked byte by byte.
fn find_escape(bytes: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let below_space = w.wrapping_sub(LO * 0x20) & !w & HI;
        if (below_space | zero(w ^ (LO * 0x22)) | zero(w ^ (LO * 0x5c))) != 0 {
            if let Some(i) = chunk.iter().position(|&b| special(b)) {
                return Some(base + i);
            }
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| special(b))
        .map(|i| base + i)
}

/// Writes `s` as a JSON string (the escaping serde_json uses).
pub(crate) fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    // Copy runs of plain bytes whole; stop only at bytes that need escaping.
    while let Some(off) = bytes.get(start..).and_then(find_escape) {
        let i = start + off;
        out.push_str(&s[start..i]);
        match bytes[i] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn write_opt_str(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => write_json_str(out, s),
        None => out.push_str("null"),
    }
}

/// The constant parts of a decision's JSON, rendered once per agreement:
/// names are escaped when the agreement is compiled, not for every lead.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonParts {
    /// Per route rule: from `, "route": ` to the `{` that opens the scores.
    route_head: Vec<String>,
    /// Per route rule: `{"rule": …, "route": …, "missing": ` (undecided).
    undecided: Vec<String>,
    /// Per score: `"name": ` (with the `, ` before all but the first).
    score_key: Vec<String>,
    /// Per grade, per label: `"grade": "label"` (with the `, ` before all but the first).
    grade_pair: Vec<Vec<String>>,
    /// Per rule: `{"rule": …, "score": …, "points": ` (fired).
    fired: Vec<String>,
    /// Per rule: `{"rule": …, "score": …, "missing": ` (unknown).
    unknown: Vec<String>,
    /// Per field: its name as a JSON string.
    field: Vec<String>,
    /// See [`JsonParts::max_bytes`].
    max_bytes: usize,
}

/// Longest number as written in a decision (`-1.7976931348623157e308`).
const NUMBER_BYTES: usize = 24;
/// Longest lead error or warning message as JSON: a value is shown in at
/// most 60 characters, each at most 6 bytes once escaped.
const MESSAGE_BYTES: usize = 512;

pub(crate) fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_json_str(&mut out, s);
    out
}

fn opt_str(s: Option<&str>) -> String {
    s.map(json_str).unwrap_or_else(|| "null".into())
}

impl JsonParts {
    pub(crate) fn new(m: &Model) -> JsonParts {
        let sep = |i: usize| if i > 0 { ", " } else { "" };
        let rule_head = |r: &crate::check::ScoreRule| {
            let score = m.scores.get(r.score as usize).map(|s| s.name.as_str());
            format!(
                "{{\"rule\": {}, \"score\": {}",
                json_str(&r.name),
                opt_str(score)
            )
        };
        JsonParts {
            route_head: m
                .routes
                .iter()
                .map(|r| {
                    let within = r
                        .within_s
                        .map(|s| s.to_string())
                        .unwrap_or_else(|| "null".into());
                    format!(
                        ", \"route\": {}, \"queue\": {}, \"rule\": {}, \"follow_up_within_s\": {within}, \"scores\": {{",
                        json_str(r.destination.as_str()),
                        opt_str(r.queue.as_deref()),
                        opt_str(r.name.as_deref()),
                    )
                })
                .collect(),
            undecided: m
                .routes
                .iter()
                .map(|r| {
                    format!(
                        "{{\"rule\": {}, \"route\": {}, \"missing\": ",
                        opt_str(r.name.as_deref()),
                        json_str(r.destination.as_str())
                    )
                })
                .collect(),
            score_key: m
                .scores
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}{}: ", sep(i), json_str(&s.name)))
                .collect(),
            grade_pair: m
                .grades
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    g.labels
                        .iter()
                        .map(|l| format!("{}{}: {}", sep(i), json_str(&g.name), json_str(l)))
                        .collect()
                })
                .collect(),
            fired: m
                .rules
                .iter()
                .map(|r| format!("{}, \"points\": ", rule_head(r)))
                .collect(),
            unknown: m
                .rules
                .iter()
                .map(|r| format!("{}, \"missing\": ", rule_head(r)))
                .collect(),
            field: m.fields.iter().map(|f| json_str(&f.name)).collect(),
            max_bytes: 0,
        }
        .with_max_bytes(m)
    }

    /// The most bytes a decision's canonical JSON can take, apart from its
    /// `id` (which comes from the lead): every score rule listed (as fired
    /// or as unknown with every field it reads missing, the longer), every
    /// route rule undecided, a warning for every field and every decay.
    pub(crate) fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    fn with_max_bytes(mut self, m: &crate::check::Model) -> JsonParts {
        let longest = |parts: &[String]| parts.iter().map(String::len).max().unwrap_or(0);
        let missing = |needs: &[u32]| {
            2 + needs
                .iter()
                .map(|f| part(&self.field, *f).len() + 2)
                .sum::<usize>()
        };
        let mut n = 200 + longest(&self.route_head) + NUMBER_BYTES;
        n += self
            .score_key
            .iter()
            .map(|k| k.len() + NUMBER_BYTES)
            .sum::<usize>();
        n += self.grade_pair.iter().map(|g| longest(g)).sum::<usize>();
        for (i, rule) in m.rules.iter().enumerate() {
            let fired = part(&self.fired, i as u32).len() + NUMBER_BYTES;
            let unknown = part(&self.unknown, i as u32).len() + missing(&rule.needs);
            n += fired.max(unknown) + 3;
        }
        for (i, route) in m.routes.iter().enumerate() {
            n += part(&self.undecided, i as u32).len() + missing(&route.needs) + 3;
        }
        let warning = 32 + MESSAGE_BYTES;
        n += self.field.iter().map(|f| f.len() + warning).sum::<usize>();
        n += m.scores.len() * (warning + longest(&self.field));
        // A rejected lead: its error alone.
        self.max_bytes = n.max(100 + longest(&self.field) + MESSAGE_BYTES);
        self
    }
}

/// The part at `i`, or nothing for an index out of range (which a decision
/// of this agreement never holds).
fn part(parts: &[String], i: u32) -> &str {
    parts.get(i as usize).map_or("", String::as_str)
}

fn write_missing(out: &mut String, json: &JsonParts, missing: &[u32]) {
    out.push('[');
    for (i, slot) in missing.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(part(&json.field, *slot));
    }
    out.push(']');
}

/// How every route head ends.
const SCORES_OPEN: &str = ", \"scores\": {";

/// `, "assignee": …, "unassigned": …, "follow_up_by": …`
fn write_assignment(out: &mut String, a: &dyn Assigned, within_s: Option<i64>) {
    let p = a.pending();
    out.push_str(", \"assignee\": ");
    write_opt_str(out, p.member().map(|m| &*m.name));
    out.push_str(", \"unassigned\": ");
    write_opt_str(out, p.unassigned().map(|u| u.as_str()));
    out.push_str(", \"follow_up_by\": ");
    write_opt_str(out, a.follow_up_by(within_s).as_deref());
}

/// Appends the canonical JSON of a decision (one line, no newline).
pub(crate) fn write_decision(
    out: &mut String,
    json: &JsonParts,
    index: usize,
    id: Option<&str>,
    outcome: &Result<Verdict, LeadError>,
    assignment: Option<(&dyn Assigned, Option<i64>)>,
) {
    out.push_str("{\"index\": ");
    out.push_str(itoa::Buffer::new().format(index));
    out.push_str(", \"id\": ");
    write_opt_str(out, id);
    let v = match outcome {
        Ok(v) => v,
        Err(e) => {
            out.push_str(", \"error\": {\"field\": ");
            write_opt_str(out, e.field());
            out.push_str(", \"message\": ");
            write_json_str(out, e.message());
            out.push_str("}}");
            return;
        }
    };
    let head = part(&json.route_head, v.route);
    match assignment {
        None => out.push_str(head),
        Some((p, within_s)) => {
            // The roster's keys go right after `follow_up_within_s`.
            let scores = head.len().saturating_sub(SCORES_OPEN.len());
            out.push_str(head.get(..scores).unwrap_or(head));
            write_assignment(out, p, within_s);
            out.push_str(SCORES_OPEN);
        }
    }
    for (i, value) in v.scores.iter().enumerate() {
        out.push_str(part(&json.score_key, i as u32));
        write_number(out, *value);
    }
    out.push_str("}, \"total\": ");
    write_number(out, v.total);
    out.push_str(", \"grades\": {");
    for (pairs, label) in json.grade_pair.iter().zip(&v.grades) {
        out.push_str(part(pairs, *label));
    }
    out.push_str("}, \"fired\": [");
    for (i, f) in v.fired.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(part(&json.fired, f.rule));
        write_number(out, f.points);
        out.push('}');
    }
    out.push_str("], \"unknown\": [");
    for (i, u) in v.unknown.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(part(&json.unknown, u.rule));
        write_missing(out, json, &u.missing);
        out.push('}');
    }
    out.push_str("], \"undecided\": [");
    for (i, u) in v.undecided.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(part(&json.undecided, u.route));
        write_missing(out, json, &u.missing);
        out.push('}');
    }
    out.push_str("], \"warnings\": [");
    for (i, w) in v.warnings.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str("{\"field\": ");
        write_json_str(out, &w.field);
        out.push_str(", \"message\": ");
        write_json_str(out, &w.message);
        out.push('}');
    }
    out.push_str("]}");
}

#[cfg(test)]
mod tests {
    use super::write_json_str;

    #[test]
    fn json_strings_escape_like_serde_json() {
        for s in [
            "plain",
            "quote \" back \\ slash",
            "ctl \u{1}\n\t\r\u{8}\u{c}",
            "ünï 😀",
            "",
        ] {
            let mut out = String::new();
            write_json_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).unwrap_or_default());
        }
    }

    #[test]
    fn every_ascii_byte_at_every_position_escapes_like_serde_json() {
        for pos in 0..20 {
            for b in 0u8..0x80 {
                let mut bytes = vec![b'a'; 20];
                bytes[pos] = b;
                let s = String::from_utf8(bytes).unwrap_or_default();
                let mut out = String::new();
                write_json_str(&mut out, &s);
                assert_eq!(out, serde_json::to_string(&s).unwrap_or_default());
            }
        }
    }
}
