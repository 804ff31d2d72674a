//! Witness leads as JSON (verified by scoring them as any lead is scored)
//! and as ready-to-paste `example` blocks.

use std::fmt::Write as _;

use serde::Serialize;

use crate::agreement::Agreement;
use crate::options::{ScoreOptions, Timestamp};
use crate::syntax::ast::FieldType;
use crate::value::Value;

use super::{Analysis, Reach, Witness, WITNESS_AS_OF};

/// One value of a witness lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WitnessValue {
    /// The field's name in the agreement.
    pub field: String,
    /// The input key it is read from.
    pub key: String,
    /// The value, as JSON.
    pub value: serde_json::Value,
}

/// An instant as a date (`2026-11-23`) when it is midnight UTC, else RFC 3339.
pub(crate) fn instant(ms: i64) -> String {
    let Some(text) = crate::dates::format_rfc3339(ms) else {
        return String::new();
    };
    match ms.rem_euclid(86_400_000) {
        0 => text.split('T').next().unwrap_or_default().to_string(),
        _ => text,
    }
}

fn json_value(v: &Value) -> Option<serde_json::Value> {
    Some(match v {
        Value::Missing => return None,
        Value::Text(t) => serde_json::Value::String(t.as_str().to_string()),
        Value::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => {
            serde_json::Value::Number(serde_json::Number::from(*x as i64))
        }
        Value::Number(x) => serde_json::Value::Number(serde_json::Number::from_f64(*x)?),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Date(ms) => serde_json::Value::String(instant(*ms)),
        Value::List(items) => serde_json::Value::Array(
            items
                .iter()
                .map(|i| serde_json::Value::String(i.as_str().to_string()))
                .collect(),
        ),
    })
}

/// A lead as one JSON object text, keys in field order.
pub(crate) fn lead_json(values: &[WitnessValue]) -> String {
    let mut out = String::from("{");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let key = serde_json::Value::String(v.key.clone()).to_string();
        let _ = write!(out, "{key}: {}", v.value);
    }
    out.push('}');
    out
}

/// The values of a lead, missing ones left out.
pub(crate) fn witness_values(agreement: &Agreement, values: &[Value]) -> Vec<WitnessValue> {
    agreement
        .fields()
        .iter()
        .zip(values)
        .filter_map(|(f, v)| {
            Some(WitnessValue {
                field: f.name().to_string(),
                key: f.key().to_string(),
                value: json_value(v)?,
            })
        })
        .collect()
}

/// Scores the lead as JSON text through the agreement, as every front
/// does; a witness only when the decision is route rule `r`.
pub(super) fn witness(agreement: &Agreement, values: &[Value], r: usize) -> Option<Witness> {
    let values = witness_values(agreement, values);
    let opts = ScoreOptions::at(Timestamp::from_unix_ms(WITNESS_AS_OF));
    let d = agreement.score_json(&lead_json(&values), &opts);
    if d.rule_index() != Some(r) {
        return None;
    }
    Some(Witness {
        values,
        as_of: instant(WITNESS_AS_OF),
        scores: d.scores().map(|(n, v)| (n.to_string(), v)).collect(),
        grades: d
            .grades()
            .map(|(g, l)| (g.to_string(), l.to_string()))
            .collect(),
    })
}

/// A string literal of the language.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number literal: plain decimal, never an exponent.
fn number(x: f64) -> String {
    format!("{x}")
}

fn literal(ty: FieldType, v: &serde_json::Value) -> Option<String> {
    Some(match (ty, v) {
        (FieldType::Text, serde_json::Value::String(s)) => quoted(s),
        (FieldType::Number, serde_json::Value::Number(n)) => number(n.as_f64()?),
        (FieldType::Bool, serde_json::Value::Bool(b)) => b.to_string(),
        (FieldType::Date, serde_json::Value::String(s)) => s.clone(),
        (FieldType::List, serde_json::Value::Array(items)) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(quoted))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        _ => return None,
    })
}

/// One `example` block per reachable route rule, with the witness lead and
/// the route, queue, rule, scores and grades it gets.
pub(super) fn example_blocks(analysis: &Analysis, agreement: &Agreement) -> String {
    let mut out = String::new();
    for r in &analysis.routes {
        let Reach::Reachable { witness } = &r.reach else {
            continue;
        };
        let rule = r.name.as_deref().unwrap_or("otherwise");
        let _ = writeln!(
            out,
            "example {} {{",
            quoted(&format!("A lead for route rule \"{rule}\""))
        );
        if agreement.uses_time() {
            let _ = writeln!(out, "  as_of {}", witness.as_of);
        }
        let mut parts = Vec::new();
        for v in &witness.values {
            let Some(f) = agreement.fields().iter().find(|f| f.name() == v.field) else {
                continue;
            };
            if f.is_id() {
                continue;
            }
            if let Some(lit) = literal(f.field_type(), &v.value) {
                parts.push(format!("{}: {lit}", v.field));
            }
        }
        let _ = writeln!(out, "  lead {{ {} }}", parts.join(", "));
        let _ = writeln!(out, "  expect route {}", r.destination.as_str());
        if let Some(q) = &r.queue {
            let _ = writeln!(out, "  expect queue {}", quoted(q));
        }
        if let Some(n) = &r.name {
            let _ = writeln!(out, "  expect fired {}", quoted(n));
        }
        for (name, value) in &witness.scores {
            let _ = writeln!(out, "  expect {name} == {}", number(*value));
        }
        for (grade, label) in &witness.grades {
            let _ = writeln!(out, "  expect {grade} is {label}");
        }
        out.push_str("}\n\n");
    }
    out
}
