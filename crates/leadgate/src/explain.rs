//! One lead's decision explained for a person: every score with the rules
//! that fired, the ones that lacked data, decay, range clamps and
//! `potential`; each grade's line; every route rule in order.

use std::fmt::Write as _;

use crate::check::Points;
use crate::compiled::Compiled;
use crate::present::{duration, num, signed};
use crate::syntax::snippet;
use crate::value::Value;
use crate::verdict::Verdict;
use crate::{Decision, Lead, Timestamp};

fn field_list(agreement: &Compiled, slots: &[u32]) -> String {
    let fields = &agreement.model().fields;
    slots
        .iter()
        .filter_map(|s| fields.get(*s as usize))
        .map(|f| {
            if f.key == f.name {
                f.name.clone()
            } else {
                format!("{} (\"{}\")", f.name, f.key)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One lead's decision with its explanation for a person. Its text
/// (`Display`, [`text`](Self::text)) is the same on every front.
#[derive(Debug, Clone)]
pub struct Explanation {
    decision: Decision,
    text: String,
}

impl Explanation {
    pub(crate) fn new(
        agreement: &Compiled,
        lead: &Lead,
        decision: Decision,
        as_of: Timestamp,
    ) -> Self {
        let text = explain(agreement, lead, &decision, as_of);
        Explanation { decision, text }
    }

    /// The decision explained.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The explanation as text, one line per fact.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// An instant as people write it: the date alone at midnight UTC.
fn instant_text(t: Timestamp) -> String {
    let s = t.to_string();
    s.strip_suffix("T00:00:00Z").map(String::from).unwrap_or(s)
}

/// The explanation text.
fn explain(agreement: &Compiled, lead: &Lead, d: &Decision, as_of: Timestamp) -> String {
    let m = agreement.model();
    let source = agreement.source();
    let as_of_ms = as_of.unix_ms();
    let as_of = instant_text(as_of);
    let mut out = String::new();
    let id = d.id().map(|i| format!("{i} ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Lead {id}(index {}), agreement \"{}\"{}, as of {as_of}",
        d.index(),
        m.name,
        m.version
            .as_deref()
            .map(|v| format!(" version {v}"))
            .unwrap_or_default()
    );
    let v = match &d.outcome {
        Err(e) => {
            let _ = writeln!(
                out,
                "\nREJECTED: {}{}",
                e.field().map(|f| format!("{f}: ")).unwrap_or_default(),
                e.message()
            );
            let _ = writeln!(
                out,
                "The lead is not scored; fix the value or score with --on-bad-value missing."
            );
            return out;
        }
        Ok(v) => v,
    };
    let r = &m.routes[v.route as usize];
    let _ = writeln!(
        out,
        "\n=> {}{}{} by route rule {} of {}{}",
        r.destination.as_str().to_uppercase(),
        r.queue
            .as_deref()
            .map(|q| format!(" (queue \"{q}\")"))
            .unwrap_or_default(),
        r.within_s
            .map(|s| format!(", follow up within {}", duration(s)))
            .unwrap_or_default(),
        v.route + 1,
        m.routes.len(),
        r.name
            .as_deref()
            .map(|n| format!(": \"{n}\""))
            .unwrap_or_default()
    );
    scores(&mut out, agreement, lead, v, as_of_ms);
    grades(&mut out, agreement, source, v);
    routes(&mut out, agreement, source, v);
    if !v.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings");
        for w in &v.warnings {
            let _ = writeln!(out, "  {}: {}", w.field, w.message);
        }
    }
    out
}

fn scores(out: &mut String, agreement: &Compiled, lead: &Lead, v: &Verdict, as_of_ms: i64) {
    let m = agreement.model();
    let _ = writeln!(out, "\nScores");
    for (si, score) in m.scores.iter().enumerate() {
        let value = v.scores[si];
        let potential = v.potentials[si];
        let pot = if potential > value {
            format!(
                "   (potential {}, if the undecided rules fired)",
                num(potential)
            )
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {} = {}{pot}", score.name, num(value));
        let mut raw = 0.0;
        for f in v
            .fired
            .iter()
            .filter(|f| m.rules[f.rule as usize].score == si as u32)
        {
            raw += f.points;
            let _ = writeln!(
                out,
                "    {:>7}  {}",
                signed(f.points),
                m.rules[f.rule as usize].name
            );
        }
        for u in v
            .unknown
            .iter()
            .filter(|u| m.rules[u.rule as usize].score == si as u32)
        {
            let rule = &m.rules[u.rule as usize];
            let worth = match (&rule.points, rule.cap, rule.negative) {
                (Points::Const(p), _, neg) => format!("{}{}", if neg { "-" } else { "+" }, num(*p)),
                (Points::Computed(_), Some(c), neg) => {
                    format!("up to {}{}", if neg { "-" } else { "+" }, num(c))
                }
                (Points::Computed(_), None, _) => "computed points".to_string(),
            };
            let _ = writeln!(
                out,
                "    {:>7}  {}: undecided, missing {} ({worth} if it fired)",
                "?",
                rule.name,
                field_list(agreement, &u.missing)
            );
        }
        if let Some(decay) = &score.decay {
            let field = &m.fields[decay.slot as usize].name;
            if v.decay_skipped.get(si).copied().unwrap_or(false) {
                let _ = writeln!(out, "    decay: none, {field} is missing");
            } else if let Some(Value::Date(ms)) = lead.value(decay.slot as usize) {
                let age_ms = (as_of_ms - ms).max(0) as f64;
                let factor = libm::pow(0.5, age_ms / decay.every_ms as f64);
                let _ = writeln!(
                    out,
                    "    decay: {} x {:.3} ({field} {} days before as_of, halves every {})",
                    num(raw),
                    factor,
                    num(age_ms / 86_400_000.0),
                    duration(decay.every_ms / 1000)
                );
                raw *= factor;
            }
        }
        if let Some((lo, hi)) = score.range {
            if raw < lo || raw > hi {
                let _ = writeln!(
                    out,
                    "    range {} to {}: {} clamped to {}",
                    num(lo),
                    num(hi),
                    num(raw),
                    num(value)
                );
            }
        }
    }
    let _ = writeln!(out, "  total = {}", num(v.total));
}

fn grades(out: &mut String, agreement: &Compiled, source: &str, v: &Verdict) {
    let m = agreement.model();
    if m.grades.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nGrades (the first line that is true)");
    for (gi, grade) in m.grades.iter().enumerate() {
        let label = v.grades[gi];
        let line = grade.lines.iter().position(|l| l.label == label);
        let _ = writeln!(
            out,
            "  {} = {}   (line {} of {}: {})",
            grade.name,
            grade.labels[label as usize],
            line.map_or(0, |l| l + 1),
            grade.lines.len(),
            line.map(|l| snippet(source, grade.lines[l].span))
                .unwrap_or_default()
        );
    }
}

fn routes(out: &mut String, agreement: &Compiled, source: &str, v: &Verdict) {
    let m = agreement.model();
    let _ = writeln!(
        out,
        "\nRoute rules, in order (the first that is true decides)"
    );
    for (ri, rule) in m.routes.iter().enumerate() {
        let status = if ri as u32 == v.route {
            "MATCHED  ".to_string()
        } else if ri as u32 > v.route {
            "not tried".to_string()
        } else if v.undecided.iter().any(|u| u.route == ri as u32) {
            "undecided".to_string()
        } else {
            "false    ".to_string()
        };
        let _ = writeln!(
            out,
            "  {:>2}. {status}  {}",
            ri + 1,
            snippet(source, rule.span)
        );
        if let Some(u) = v.undecided.iter().find(|u| u.route == ri as u32) {
            let _ = writeln!(
                out,
                "                    unknown: missing {}",
                field_list(agreement, &u.missing)
            );
        }
    }
}
