//! The explanation as text for a person (what `leadgate explain` prints,
//! and every front shows).

use std::fmt::Write as _;

use super::{Explanation, FieldRef, RouteStatus, Worth};
use crate::present::{duration, num, signed};
use crate::Timestamp;

/// An instant as people write it: the date alone at midnight UTC.
fn instant_text(t: Timestamp) -> String {
    let s = t.to_string();
    s.strip_suffix("T00:00:00Z").map(String::from).unwrap_or(s)
}

/// `name` or `name ("Key")` when the field reads another key.
fn field_list(fields: &[FieldRef]) -> String {
    fields
        .iter()
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

pub(super) fn render(e: &Explanation) -> String {
    let d = &e.decision;
    let mut out = String::new();
    let id = d.id().map(|i| format!("{i} ")).unwrap_or_default();
    let _ = writeln!(
        out,
        "Lead {id}(index {}), agreement \"{}\"{}, as of {}",
        d.index(),
        e.agreement,
        e.version
            .as_deref()
            .map(|v| format!(" version {v}"))
            .unwrap_or_default(),
        instant_text(e.as_of)
    );
    if let Some(err) = d.error() {
        let _ = writeln!(
            out,
            "\nREJECTED: {}{}",
            err.field().map(|f| format!("{f}: ")).unwrap_or_default(),
            err.message()
        );
        let _ = writeln!(
            out,
            "The lead is not scored; fix the value, or score with bad values read as missing (on_bad_value \"missing\")."
        );
        return out;
    }
    if let Some(r) = e.routes.iter().find(|r| r.status == RouteStatus::Matched) {
        let _ = writeln!(
            out,
            "\n=> {}{}{} by route rule {} of {}{}",
            r.destination.as_str().to_ascii_uppercase(),
            r.queue
                .as_deref()
                .map(|q| format!(" (queue \"{q}\")"))
                .unwrap_or_default(),
            r.within_s
                .map(|s| format!(", follow up within {}", duration(s)))
                .unwrap_or_default(),
            r.position,
            e.route_count,
            r.name
                .as_deref()
                .map(|n| format!(": \"{n}\""))
                .unwrap_or_default()
        );
    }
    assignment(&mut out, e);
    scores(&mut out, e);
    grades(&mut out, e);
    routes(&mut out, e);
    if !d.warnings().is_empty() {
        let _ = writeln!(out, "\nWarnings");
        for w in d.warnings() {
            let _ = writeln!(out, "  {}: {}", w.field(), w.message());
        }
    }
    out
}

fn scores(out: &mut String, e: &Explanation) {
    let _ = writeln!(out, "\nScores");
    for s in &e.scores {
        let pot = if s.potential.0 > s.value.0 {
            format!(
                "   (potential {}, if the undecided rules fired)",
                num(s.potential.0)
            )
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {} = {}{pot}", s.name, num(s.value.0));
        for f in &s.fired {
            let _ = writeln!(out, "    {:>7}  {}", signed(f.points.0), f.rule);
        }
        for u in &s.undecided {
            let worth = match &u.worth {
                Worth::Points(p) => signed(p.0),
                Worth::UpTo(c) => format!("up to {}", signed(c.0)),
                Worth::Computed => "computed points".to_string(),
            };
            let _ = writeln!(
                out,
                "    {:>7}  {}: undecided, missing {} ({worth} if it fired)",
                "?",
                u.rule,
                field_list(&u.missing)
            );
        }
        if let Some(decay) = &s.decay {
            if decay.skipped {
                let _ = writeln!(out, "    decay: none, {} is missing", decay.field);
            } else if let (Some(raw), Some(factor), Some(age)) =
                (decay.raw, decay.factor, decay.age_days)
            {
                let _ = writeln!(
                    out,
                    "    decay: {} x {:.3} ({} {} days before as_of, halves every {})",
                    num(raw.0),
                    factor.0,
                    decay.field,
                    num(age.0),
                    duration(decay.halves_every_s)
                );
            }
        }
        if let Some(r) = &s.range {
            let _ = writeln!(
                out,
                "    range {} to {}: {} clamped to {}",
                num(r.low.0),
                num(r.high.0),
                num(r.raw.0),
                num(r.clamped_to.0)
            );
        }
    }
    let _ = writeln!(out, "  total = {}", num(e.decision.total().unwrap_or(0.0)));
}

/// With a roster: who takes the lead and by when, or why nobody does.
fn assignment(out: &mut String, e: &Explanation) {
    let Some(a) = e.decision.assignment() else {
        return;
    };
    let Some(queue) = a.queue else {
        let _ = writeln!(
            out,
            "   no person needed: the roster has no queue for this route"
        );
        return;
    };
    let by = e.decision.follow_up_by();
    match (a.assignee, a.unassigned) {
        (Some(person), _) => {
            let waited = a.assigned_at.as_ref().filter(|_| {
                e.decision
                    .assignment
                    .as_deref()
                    .is_some_and(|a| a.pending().start > Some(a.pending().arrived))
            });
            let _ = writeln!(
                out,
                "   assigned to {person} (roster queue \"{queue}\"){}{}",
                waited
                    .map(|t| format!(", from {} when the queue next opens (the lead arrived outside working hours)", t))
                    .unwrap_or_default(),
                by.map(|b| format!("; follow up by {b}, counted in working hours"))
                    .unwrap_or_default()
            );
        }
        (None, Some(why)) => {
            let _ = writeln!(
                out,
                "   NOT ASSIGNED: {} (roster queue \"{queue}\"); nobody is due to follow up",
                why.as_str()
            );
        }
        (None, None) => {}
    }
}

fn grades(out: &mut String, e: &Explanation) {
    if e.grades.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nGrades (the first line that is true)");
    for g in &e.grades {
        let _ = writeln!(
            out,
            "  {} = {}   (line {} of {}: {})",
            g.name, g.label, g.line, g.lines, g.condition
        );
    }
}

fn routes(out: &mut String, e: &Explanation) {
    let _ = writeln!(
        out,
        "\nRoute rules, in order (the first that is true decides)"
    );
    for r in &e.routes {
        let status = match r.status {
            RouteStatus::Matched => "MATCHED  ",
            RouteStatus::NotTried => "not tried",
            RouteStatus::Undecided => "undecided",
            RouteStatus::False => "false    ",
        };
        let _ = writeln!(out, "  {:>2}. {status}  {}", r.position, r.rule);
        if r.status == RouteStatus::Undecided {
            let _ = writeln!(
                out,
                "                    unknown: missing {}",
                field_list(&r.missing)
            );
        }
    }
}
