//! The roster part of a report as text, JSON and HTML.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::roster::{Load, RosterTally, Sla};
use crate::present::pct;

/// Days on which a person took their `per_day` (or more).
fn days_full(l: &Load, cap: Option<u32>) -> Option<usize> {
    let cap = u64::from(cap?);
    Some(l.per_day.values().filter(|n| **n >= cap).count())
}

/// Leads taken over the capacity of the days they worked.
fn capacity_used(l: &Load, cap: Option<u32>) -> Option<f64> {
    let cap = f64::from(cap?);
    let days = l.per_day.len() as f64;
    (days > 0.0 && cap > 0.0).then(|| l.assigned as f64 / (days * cap))
}

fn unassigned_text(l: &Load) -> String {
    let parts: Vec<String> = l
        .unassigned
        .iter()
        .map(|(why, n)| format!("{n} {why}"))
        .collect();
    if parts.is_empty() {
        "0".into()
    } else {
        parts.join(", ")
    }
}

fn sla_text(s: &Sla) -> String {
    let recorded = s.met + s.late;
    if s.due == 0 {
        return "-".into();
    }
    format!(
        "{} met ({} of {} followed up), {} late, {} open",
        pct(s.met, recorded),
        s.met,
        recorded,
        s.late,
        s.open
    )
}

fn mean(l: &Load) -> String {
    l.mean_per_day().map_or("-".into(), |m| format!("{m:.1}"))
}

/// The busiest days, by leads assigned, most first (ties by date).
fn busiest(t: &RosterTally, n: usize) -> Vec<(String, u64)> {
    let mut days: std::collections::BTreeMap<&str, u64> = Default::default();
    for l in t.queues.values() {
        for (d, k) in &l.per_day {
            *days.entry(d).or_default() += k;
        }
    }
    let mut v: Vec<(String, u64)> = days.into_iter().map(|(d, k)| (d.to_string(), k)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Leads to roster queues, and of them assigned.
fn totals(t: &RosterTally) -> (u64, u64) {
    let leads = t.queues.values().map(|q| q.leads).sum();
    let assigned = t.queues.values().map(|q| q.assigned).sum();
    (leads, assigned)
}

pub(super) fn text(out: &mut String, t: &RosterTally, top: usize) {
    let (leads, assigned) = totals(t);
    let _ = writeln!(
        out,
        "\nAssignment (roster): {leads} leads to roster queues, {assigned} assigned ({}), {} unassigned; {} need no person",
        pct(assigned, leads),
        leads - assigned,
        t.no_person
    );
    table_text(out, &queue_table(t));
    out.push('\n');
    table_text(out, &people_table(t));
    let days = busiest(t, top.min(10));
    if !days.is_empty() {
        let _ = writeln!(out, "\n  Busiest days (leads assigned, per person)");
        for (d, n) in days {
            let who: Vec<String> = t
                .people
                .iter()
                .filter_map(|(name, p)| p.per_day.get(&d).map(|k| format!("{name} {k}")))
                .collect();
            let _ = writeln!(out, "  {d}  {n:>6}  {}", who.join(", "));
        }
    }
    let _ = writeln!(
        out,
        "  waited: assigned when someone next came on duty; clock outside: deadlines that arrival + `within` on the plain clock would put outside working hours"
    );
}

/// A table both renderers show: the header, then rows of cells; the first
/// `left` columns are text (left-aligned), the rest figures.
struct Table {
    head: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    left: usize,
}

fn with_sla<'t>(
    t: &'t RosterTally,
    mut table: Table,
    sla: impl Fn(&str) -> Option<&'t Sla>,
) -> Table {
    if t.followed_up.is_some() {
        table.head.push("SLA");
        for row in &mut table.rows {
            let s = row
                .first()
                .and_then(|name| sla(name))
                .map_or("-".into(), sla_text);
            row.push(s);
        }
    }
    table
}

fn queue_table(t: &RosterTally) -> Table {
    let rows = t
        .queues
        .iter()
        .map(|(name, q)| {
            vec![
                name.clone(),
                unassigned_text(q),
                q.leads.to_string(),
                q.assigned.to_string(),
                q.waited.to_string(),
                q.clock_outside_hours.to_string(),
                mean(q),
                q.max_per_day().to_string(),
            ]
        })
        .collect();
    let table = Table {
        head: vec![
            "queue",
            "unassigned",
            "leads",
            "assigned",
            "waited",
            "clock outside",
            "mean/day",
            "max/day",
        ],
        rows,
        left: 2,
    };
    with_sla(t, table, |n| t.queues.get(n).map(|q| &q.sla))
}

fn people_table(t: &RosterTally) -> Table {
    let rows = t
        .people
        .iter()
        .map(|(name, p)| {
            let cap = t.capacity.get(name).copied();
            vec![
                name.clone(),
                t.person_queues
                    .get(name)
                    .map(|q| q.join(", "))
                    .unwrap_or_default(),
                p.assigned.to_string(),
                p.per_day.len().to_string(),
                mean(p),
                p.max_per_day().to_string(),
                cap.map_or("-".into(), |c| c.to_string()),
                days_full(p, cap).map_or("-".into(), |d| d.to_string()),
                capacity_used(p, cap).map_or("-".into(), |u| format!("{:.0}%", 100.0 * u)),
            ]
        })
        .collect();
    let table = Table {
        head: vec![
            "person",
            "queues",
            "leads",
            "days",
            "mean/day",
            "max/day",
            "capacity",
            "days full",
            "used",
        ],
        rows,
        left: 2,
    };
    with_sla(t, table, |n| t.people.get(n).map(|p| &p.sla))
}

/// A table as aligned text; the SLA column, last, unpadded.
fn table_text(out: &mut String, table: &Table) {
    let cols = table.head.len();
    let width = |i: usize| {
        table
            .rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .chain(table.head.get(i).map(|h| h.len()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..cols).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut l = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            l.push_str("  ");
            if i + 1 == cols && table.head.get(i) == Some(&"SLA") {
                l.push_str(c);
            } else if i < table.left {
                let _ = write!(l, "{c:<w$}");
            } else {
                let _ = write!(l, "{c:>w$}");
            }
        }
        l.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(table.head.clone()));
    for row in &table.rows {
        let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
    }
}

/// A table as HTML.
fn table_html(body: &mut String, table: &Table, esc: fn(&str) -> String) {
    body.push_str("<table class=roster><tr>");
    for h in &table.head {
        let _ = write!(body, "<th>{}</th>", esc(h));
    }
    body.push_str("</tr>");
    for row in &table.rows {
        body.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let align = if i < table.left || table.head.get(i) == Some(&"SLA") {
                "left"
            } else {
                "right"
            };
            let _ = write!(body, "<td style=\"text-align:{align}\">{}</td>", esc(c));
        }
        body.push_str("</tr>");
    }
    body.push_str("</table>");
}

fn sla_json(s: &Sla) -> Json {
    let recorded = s.met + s.late;
    json!({"due": s.due, "met": s.met, "late": s.late, "open": s.open,
        "met_share": (recorded > 0).then(|| s.met as f64 / recorded as f64)})
}

fn load_json(name: &str, l: &Load, with_sla: bool) -> Json {
    let mut v = json!({
        "name": name, "leads": l.leads, "assigned": l.assigned, "unassigned": l.unassigned,
        "waited": l.waited, "clock_outside_hours": l.clock_outside_hours,
        "days": l.per_day.len(), "mean_per_day": l.mean_per_day(), "max_per_day": l.max_per_day(),
        "per_day": l.per_day,
    });
    if with_sla {
        v["sla"] = sla_json(&l.sla);
    }
    v
}

pub(super) fn json(t: &RosterTally) -> Json {
    let sla = t.followed_up.is_some();
    let queues: Vec<Json> = t.queues.iter().map(|(n, q)| load_json(n, q, sla)).collect();
    let people: Vec<Json> = t
        .people
        .iter()
        .map(|(n, p)| {
            let cap = t.capacity.get(n).copied();
            let mut v = load_json(n, p, sla);
            v["queues"] = json!(t.person_queues.get(n));
            v["capacity"] = json!(cap);
            v["days_at_capacity"] = json!(days_full(p, cap));
            v["capacity_used"] = json!(capacity_used(p, cap));
            v
        })
        .collect();
    json!({"roster": t.roster, "followed_up": t.followed_up, "queues": queues, "people": people, "no_person": t.no_person})
}

/// The days shown in the HTML heat map, at most this many (the last ones).
const HEAT_DAYS: usize = 92;

pub(super) fn html(body: &mut String, t: &RosterTally, esc: fn(&str) -> String) {
    body.push_str("<h2 id=assignment>Assignment (roster)</h2>");
    let (leads, assigned) = totals(t);
    let _ = write!(
        body,
        "<p>{leads} leads to roster queues: {assigned} assigned ({}), {} unassigned; {} need no person. <i>Waited</i>: assigned when someone next came on duty. <i>Clock outside</i>: deadlines that arrival + <code>within</code> on the plain clock would put outside working hours.</p>",
        pct(assigned, leads),
        leads - assigned,
        t.no_person
    );
    table_html(body, &queue_table(t), esc);
    body.push_str("<h3>People</h3>");
    table_html(body, &people_table(t), esc);
    heat(body, t, esc);
}

/// Leads per person per day as a heat map: darker is more; a red edge marks
/// a day at capacity.
fn heat(body: &mut String, t: &RosterTally, esc: fn(&str) -> String) {
    let all: BTreeSet<&String> = t.people.values().flat_map(|p| p.per_day.keys()).collect();
    let days: Vec<&String> = all.iter().rev().take(HEAT_DAYS).rev().copied().collect();
    if days.is_empty() {
        return;
    }
    let max = t
        .people
        .values()
        .map(Load::max_per_day)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (lw, cw, rh) = (150.0, 9.0, 18.0);
    let width = lw + cw * days.len() as f64 + 10.0;
    let height = rh * t.people.len() as f64 + 34.0;
    let _ = write!(
        body,
        r#"<h3>Leads per person per day</h3><p class=sub>{} to {}{}; darker is more (the most: {max}); red edge: a day at capacity.</p><svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">"#,
        days.first().map_or("", |d| d.as_str()),
        days.last().map_or("", |d| d.as_str()),
        if all.len() > days.len() {
            format!(" (the last {} days)", days.len())
        } else {
            String::new()
        }
    );
    for (row, (name, p)) in t.people.iter().enumerate() {
        let y = row as f64 * rh;
        let cap = t.capacity.get(name).map(|c| u64::from(*c));
        let _ = write!(
            body,
            r#"<text x="{}" y="{}" text-anchor="end" class="l">{}</text>"#,
            lw - 6.0,
            y + 13.0,
            esc(name)
        );
        for (col, d) in days.iter().enumerate() {
            let n = p.per_day.get(*d).copied().unwrap_or(0);
            let x = lw + col as f64 * cw;
            let shade = if n == 0 {
                0.0
            } else {
                0.15 + 0.85 * n as f64 / max
            };
            let full = cap.is_some_and(|c| n >= c);
            let _ = write!(
                body,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{}" height="{}" fill="#1f5fa8" fill-opacity="{shade:.2}"{}><title>{} {d}: {n}</title></rect>"##,
                cw - 1.0,
                rh - 2.0,
                if full {
                    r##" stroke="#c62828" stroke-width="1.5""##
                } else {
                    ""
                },
                esc(name)
            );
        }
    }
    let _ = write!(
        body,
        r#"<text x="{lw}" y="{}">{}</text><text x="{}" y="{}" text-anchor="end">{}</text></svg>"#,
        height - 8.0,
        days.first().map_or("", |d| d.as_str()),
        width - 10.0,
        height - 8.0,
        days.last().map_or("", |d| d.as_str())
    );
}
