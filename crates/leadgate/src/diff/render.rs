//! The diff as text and as JSON.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::{DiffNames, Tally as Diff, STATES};
use crate::present::pct;
use crate::report::route_rule_label;
use crate::Agreement;

fn sorted<K: Clone + Ord>(m: &HashMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn rule_label(a: &Agreement, i: u32) -> String {
    route_rule_label(a, i as usize)
}

pub(crate) fn text(
    names: &DiffNames<'_>,
    old: &Agreement,
    new: &Agreement,
    d: &Diff,
    edited: &BTreeMap<String, &str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Diff: {} -> {} on {}",
        names.old, names.new, names.input
    );
    let _ = writeln!(
        out,
        "{} leads; {} change destination ({}), {} more change queue only ({})",
        d.leads,
        d.moved,
        pct(d.moved, d.leads),
        d.requeued,
        pct(d.requeued, d.leads)
    );
    let used: Vec<usize> = (0..4)
        .filter(|&i| (0..4).any(|j| d.matrix[i][j] + d.matrix[j][i] > 0) || i < 3)
        .collect();
    let _ = writeln!(
        out,
        "\nTransition matrix (rows: old route, columns: new route; count and % of the row)"
    );
    let mut head = format!("  {:<15}", "old \\ new");
    for &j in &used {
        let _ = write!(head, "{:>22}", STATES[j]);
    }
    let _ = writeln!(out, "{head}{:>10}", "total");
    for &i in &used {
        let row: u64 = d.matrix[i].iter().sum();
        let mut line = format!("  {:<15}", STATES[i]);
        for &j in &used {
            let n = d.matrix[i][j];
            let cell = format!("{n} ({})", pct(n, row));
            let _ = write!(line, "{cell:>22}");
        }
        let _ = writeln!(out, "{line}{row:>10}");
    }
    let mut col_tot = format!("  {:<15}", "total");
    for &j in &used {
        let n: u64 = (0..4).map(|i| d.matrix[i][j]).sum();
        let cell = format!("{n} ({})", pct(n, d.leads));
        let _ = write!(col_tot, "{cell:>22}");
    }
    let _ = writeln!(out, "{col_tot}{:>10}", d.leads);

    let trans = sorted(&d.transitions);
    if !trans.is_empty() {
        let _ = writeln!(
            out,
            "\nRoute rule transitions (leads that change route or queue)"
        );
        for ((o, n), c) in trans.iter().take(15) {
            let _ = writeln!(
                out,
                "  {c:>8}  {}  ->  {}",
                rule_label(old, *o),
                rule_label(new, *n)
            );
        }
    }
    let exp = sorted(&d.explains);
    if !exp.is_empty() {
        let _ = writeln!(
            out,
            "\nScore rules that fire differently for the leads that change destination (most moves first)"
        );
        for ((name, change), c) in exp.iter().take(15) {
            let mark = edited
                .get(name)
                .map(|e| format!("  [{e} in the new agreement]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {c:>8}  {} (of moves)  \"{name}\" {}{mark}",
                pct(*c, d.moved),
                change.as_str()
            );
        }
    }
    let gm = sorted(&d.grade_moves);
    if !gm.is_empty() {
        let _ = writeln!(
            out,
            "\nGrade changes among the leads that change destination"
        );
        for ((g, a, b), c) in gm.iter().take(10) {
            let _ = writeln!(out, "  {c:>8}  {g}: {a} -> {b}");
        }
    }
    if !edited.is_empty() {
        let _ = writeln!(out, "\nRules edited, added or removed (by name)");
        for (name, e) in edited {
            let shown = if name.starts_with("grade ") {
                name.clone()
            } else {
                format!("\"{name}\"")
            };
            let _ = writeln!(out, "  {e:<8}  {shown}");
        }
    }
    if let Some(h) = &d.hands {
        hands_text(&mut out, h);
    }
    if !d.changes.is_empty() {
        let _ = writeln!(out, "\nChanged leads (first {})", d.changes.len());
        for c in &d.changes {
            let _ = writeln!(out, "  {c}");
        }
    }
    out
}

pub(crate) fn to_json(
    old: &Agreement,
    new: &Agreement,
    d: &Diff,
    edited: &BTreeMap<String, &str>,
) -> Json {
    let matrix: Vec<Json> = (0..4)
        .map(|i| {
            let row: serde_json::Map<String, Json> = (0..4)
                .map(|j| (STATES[j].to_string(), json!(d.matrix[i][j])))
                .collect();
            json!({"old": STATES[i], "new": row})
        })
        .collect();
    let trans: Vec<Json> = sorted(&d.transitions)
        .iter()
        .map(|((o, n), c)| json!({"old_rule": rule_label(old, *o), "new_rule": rule_label(new, *n), "leads": c}))
        .collect();
    let exp: Vec<Json> = sorted(&d.explains)
        .iter()
        .map(|((name, ch), c)| json!({"rule": name, "change": ch.as_str(), "moved_leads": c, "edited": edited.get(name)}))
        .collect();
    let mut out = json!({"leads": d.leads, "moved": d.moved, "requeued": d.requeued, "rejected": d.rejected,
        "matrix": matrix, "route_rule_transitions": trans, "explained_by": exp,
        "edited_rules": edited, "changes": d.changes_json});
    // With rosters only: a diff without them keeps its keys.
    if let Some(h) = &d.hands {
        let moves: Vec<Json> = sorted(&h.moves)
            .iter()
            .map(|((a, b), n)| json!({"old_assignee": a, "new_assignee": b, "leads": n}))
            .collect();
        out["hands"] = json!({"leads": h.leads, "changed": h.changed, "moves": moves});
    }
    out
}

/// Leads changing hands between the old and the new roster.
fn hands_text(out: &mut String, h: &super::Hands) {
    let _ = writeln!(
        out,
        "\nLeads changing hands: {} of {} ({})",
        h.changed,
        h.leads,
        pct(h.changed, h.leads)
    );
    for ((a, b), n) in sorted(&h.moves).iter().take(20) {
        let who = |p: &Option<String>| p.clone().unwrap_or_else(|| "(nobody)".into());
        let _ = writeln!(out, "  {:<24} -> {:<24}{:>8}", who(a), who(b), n);
    }
}
