//! `leadgate report --html`: one self-contained page (inline CSS and SVG,
//! no script, no network).

use std::fmt::Write as _;

use super::{Context, Outcome, DESTS};
use crate::present::{fit_words, num, pct};

const COLORS: [&str; 3] = ["#2e7d32", "#f29f05", "#1f5fa8"];
const GREY: &str = "#9e9e9e";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A conversion chart per decile of a score: bars of the rate, whiskers of
/// the 95% interval, an axis from 0 to 100%. Deciles with too few known
/// outcomes are drawn pale.
fn calibration(name: &str, d: &super::Dist) -> String {
    let deciles = d.deciles();
    let (w, h, left, bottom) = (420.0, 180.0, 44.0, 36.0);
    let bw = (w - left - 10.0) / 10.0;
    let mut s = format!(
        r#"<figure><svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" role="img" class="cal">"#,
        h + bottom
    );
    let y = |rate: f64| h - (h - 10.0) * rate;
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" class="l">{}%</text>"##,
            w - 10.0,
            y(tick),
            y(tick),
            left - 4.0,
            y(tick) + 4.0,
            tick * 100.0
        );
    }
    for (i, lo, hi, c) in &deciles {
        let x = left + (*i as f64 - 1.0) * bw;
        let rate = c.outcome.rate().unwrap_or(0.0);
        let fill = if c.outcome.too_small() {
            "#b0bec5"
        } else {
            "#1f5fa8"
        };
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"><title>decile {i}: {} to {}, {} of {} converted ({:.1}%)</title></rect>"#,
            x + 2.0,
            y(rate),
            bw - 4.0,
            h - y(rate),
            num(*lo),
            num(*hi),
            c.outcome.converted,
            c.outcome.known,
            100.0 * rate
        );
        if let Some((a, b)) = c.outcome.wilson95() {
            let cx = x + bw / 2.0;
            let _ = write!(
                s,
                r##"<line x1="{cx:.1}" x2="{cx:.1}" y1="{:.1}" y2="{:.1}" stroke="#c62828"/><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c62828"/><line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#c62828"/>"##,
                y(a),
                y(b),
                cx - 4.0,
                cx + 4.0,
                y(a),
                y(a),
                cx - 4.0,
                cx + 4.0,
                y(b),
                y(b)
            );
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" class="l">{i}</text>"#,
            x + bw / 2.0,
            h + 14.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{left}" y1="4" y2="{h}" stroke="#333"/><line x1="{left}" x2="{}" y1="{h}" y2="{h}" stroke="#333"/><text x="{}" y="{}" text-anchor="middle" class="l">decile of {} (low to high)</text></svg><figcaption>Conversion per decile of {}, with 95% intervals{}</figcaption></figure>"##,
        w - 10.0,
        left + (w - left) / 2.0,
        h + 30.0,
        esc(name),
        esc(name),
        if d.exact() { "" } else { " (values binned)" }
    );
    s
}

/// Horizontal bars: `(label, value, text, color)`, value in 0..=max.
fn hbars(rows: &[(String, f64, String, &str)], max: f64, marker: Option<(f64, &str)>) -> String {
    let (lw, bw, h) = (260.0, 520.0, 26.0);
    let height = h * rows.len() as f64 + 24.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{height}" role="img">"#,
        lw + bw + 320.0
    );
    for (i, (label, v, text, color)) in rows.iter().enumerate() {
        let y = i as f64 * h + 4.0;
        let w = if max > 0.0 { bw * v / max } else { 0.0 };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="l">{}</text><rect x="{lw}" y="{y}" width="{w:.1}" height="{}" fill="{color}"/><text x="{}" y="{}" class="v">{}</text>"#,
            lw - 8.0,
            y + 15.0,
            esc(label),
            h - 8.0,
            lw + w + 6.0,
            y + 15.0,
            esc(text)
        );
    }
    if let Some((m, label)) = marker {
        let x = lw + if max > 0.0 { bw * m / max } else { 0.0 };
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="0" y2="{}" stroke="#c62828" stroke-dasharray="4 3"/><text x="{:.1}" y="{}" class="m">{}</text>"##,
            height - 14.0,
            x + 4.0,
            height - 4.0,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// 100% stacked bars per group: sales / telemarketing / nurture / rejected.
fn stacked(ctx: &Context) -> String {
    let groups = ctx.report.groups_sorted();
    let shown: Vec<_> = groups.iter().take(ctx.top).collect();
    let (lw, bw, h) = (260.0, 520.0, 24.0);
    let height = h * shown.len() as f64 + 8.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{height}" role="img">"#,
        lw + bw + 90.0
    );
    for (i, (name, g)) in shown.iter().enumerate() {
        let y = i as f64 * h + 4.0;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" class="l">{}</text>"#,
            lw - 8.0,
            y + 14.0,
            esc(&fit_words(name, 36))
        );
        let mut x = lw;
        let parts = [
            (g.dest[0], COLORS[0]),
            (g.dest[1], COLORS[1]),
            (g.dest[2], COLORS[2]),
            (g.rejected, GREY),
        ];
        for (n, color) in parts {
            if g.leads == 0 || n == 0 {
                continue;
            }
            let w = bw * n as f64 / g.leads as f64;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y}" width="{w:.1}" height="{}" fill="{color}"><title>{n} ({})</title></rect>"#,
                h - 6.0,
                pct(n, g.leads)
            );
            if w > 34.0 {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{}" class="in">{}</text>"#,
                    x + 4.0,
                    y + 13.0,
                    pct(n, g.leads)
                );
            }
            x += w;
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="v">{}</text>"#,
            lw + bw + 6.0,
            y + 14.0,
            g.leads
        );
    }
    s.push_str("</svg>");
    s
}

/// A vertical histogram of one score, with axes: leads (0 to the largest
/// bin) up the left, the score's range along the bottom.
fn histogram(name: &str, bins: &[(f64, f64, u64)]) -> String {
    let (w, h, left, bottom) = (392.0, 150.0, 62.0, 40.0);
    let max = bins.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    let bw = (w - left - 12.0) / bins.len().max(1) as f64;
    let mut s = format!(
        r#"<figure><svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" role="img" class="hist">"#,
        h + bottom
    );
    for (i, (lo, hi, n)) in bins.iter().enumerate() {
        let bh = (h - 10.0) * *n as f64 / max;
        let x = left + i as f64 * bw;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="#546e7a"><title>{} to {}: {n}</title></rect>"##,
            h - bh,
            (bw - 1.0).max(1.0),
            num(*lo),
            num(*hi)
        );
    }
    // The leads axis: 0, half and the largest bin.
    let half = (max / 2.0).round();
    for (v, label) in [(0.0, "0".to_string()), (half, num(half)), (max, num(max))] {
        let ty = h - (h - 10.0) * v / max;
        let _ = write!(
            s,
            r##"<line x1="{}" x2="{left}" y1="{ty:.1}" y2="{ty:.1}" stroke="#333"/><text x="{}" y="{:.1}" text-anchor="end" class="l">{label}</text>"##,
            left - 4.0,
            left - 6.0,
            ty + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{left}" x2="{left}" y1="6" y2="{h}" stroke="#333"/><text x="10" y="{:.1}" transform="rotate(-90 10 {:.1})" text-anchor="middle" class="l">leads</text>"##,
        h / 2.0,
        h / 2.0
    );
    if let (Some(first), Some(last)) = (bins.first(), bins.last()) {
        let mid = (first.0 + last.1) / 2.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{h}" y2="{h}" stroke="#333"/><text x="{left}" y="{}" class="l">{}</text><text x="{}" y="{}" text-anchor="middle" class="l">{}</text><text x="{}" y="{}" text-anchor="end" class="l">{}</text><text x="{}" y="{}" text-anchor="middle" class="l">{}</text>"##,
            w - 12.0,
            h + 14.0,
            num(first.0),
            left + (w - left - 12.0) / 2.0,
            h + 14.0,
            num(mid),
            w - 12.0,
            h + 14.0,
            num(last.1),
            left + (w - left - 12.0) / 2.0,
            h + 32.0,
            esc(name.split(':').next().unwrap_or(name))
        );
    }
    let _ = write!(
        s,
        r#"</svg><figcaption>{}</figcaption></figure>"#,
        esc(name)
    );
    s
}

/// `40.0% of 2868 (95%: 38.2–41.8%)`, or `… too few to judge`.
fn rate_text(o: &Outcome) -> String {
    let ci = o.wilson95().map_or(String::new(), |(a, b)| {
        format!(" (95%: {:.1}–{:.1}%)", 100.0 * a, 100.0 * b)
    });
    let small = if o.too_small() {
        " · too few to judge"
    } else {
        ""
    };
    format!("{:.1}% of {}{ci}{small}", rate(o), o.known)
}

fn rate(o: &Outcome) -> f64 {
    o.rate().unwrap_or(0.0) * 100.0
}

pub fn page(ctx: &Context) -> String {
    let (r, m) = (ctx.report, ctx.agreement.model());
    let scored = r.scored();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Lead funnel: {}</h1><p class=sub>{}{} &middot; {} leads: {} scored, {} rejected</p>",
        esc(&m.name),
        esc(ctx.title),
        m.version
            .as_deref()
            .map(|v| format!(" &middot; version {}", esc(v)))
            .unwrap_or_default(),
        r.leads,
        scored,
        r.rejected
    );

    // Funnel by route.
    let mut rows: Vec<(String, f64, String, &str)> = DESTS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                d.as_str().to_string(),
                r.dest[i] as f64,
                format!("{} ({})", r.dest[i], pct(r.dest[i], r.leads)),
                COLORS[i],
            )
        })
        .collect();
    if r.rejected > 0 {
        rows.push((
            "rejected".into(),
            r.rejected as f64,
            format!("{} ({})", r.rejected, pct(r.rejected, r.leads)),
            GREY,
        ));
    }
    let max = rows.iter().map(|x| x.1).fold(0.0, f64::max);
    let _ = write!(body, "<h2>Funnel by route</h2>{}", hbars(&rows, max, None));
    let queues: Vec<(String, f64, String, &str)> = ctx
        .queues()
        .into_iter()
        .map(|(q, n, _)| {
            let di = DESTS
                .iter()
                .position(|d| q.split(['/', ' ']).next() == Some(d.as_str()))
                .unwrap_or(2);
            (q, n as f64, format!("{n} ({})", pct(n, scored)), COLORS[di])
        })
        .collect();
    let max = queues.iter().map(|x| x.1).fold(0.0, f64::max);
    let _ = write!(body, "<h3>By queue</h3>{}", hbars(&queues, max, None));

    if ctx.outcome.is_some() {
        let overall = r.outcome.rate().unwrap_or(0.0) * 100.0;
        let mut rows: Vec<(String, f64, String, &str)> = DESTS
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let o = &r.dest_outcome[i];
                (
                    d.as_str().to_string(),
                    rate(o),
                    format!(
                        "{:.1}% of {} · lift {}",
                        rate(o),
                        o.known,
                        r.lift(o).map_or("-".into(), |l| format!("{l:.2}x"))
                    ),
                    COLORS[i],
                )
            })
            .collect();
        for (i, rr) in m.routes.iter().enumerate() {
            let o = &r.route_outcome[i];
            if o.known == 0 {
                continue;
            }
            rows.push((
                fit_words(&ctx.route_label(i), 38),
                rate(o),
                rate_text(o),
                COLORS[crate::report::dest_index(rr.destination)],
            ));
        }
        let (p, rc) = r.sales_precision_recall();
        let f = |x: Option<f64>| x.map_or("-".into(), |x| format!("{:.1}%", 100.0 * x));
        let _ = write!(
            body,
            "<h2>Conversion per route (backtest on &ldquo;{}&rdquo;)</h2><p>{} of {} leads with a known outcome converted ({:.1}%); {} with an unknown outcome. Sales route: precision {}, recall {}.</p>{}",
            esc(ctx.outcome.unwrap_or("")),
            r.outcome.converted,
            r.outcome.known,
            overall,
            r.outcome_unknown,
            f(p),
            f(rc),
            hbars(&rows, 100.0, Some((overall, &format!("overall {overall:.1}%"))))
        );
    }

    if let Some(by) = ctx.by {
        let _ = write!(
            body,
            "<h2>Route mix by &ldquo;{}&rdquo;</h2><p class=legend><span style=\"background:{}\"></span>sales <span style=\"background:{}\"></span>telemarketing <span style=\"background:{}\"></span>nurture <span style=\"background:{GREY}\"></span>rejected &middot; {} groups, largest {} shown; right: leads</p>{}",
            esc(by),
            COLORS[0],
            COLORS[1],
            COLORS[2],
            r.groups.len(),
            ctx.top.min(r.groups.len()),
            stacked(ctx)
        );
        if ctx.outcome.is_some() {
            let rows: Vec<(String, f64, String, &str)> = r
                .groups_sorted()
                .iter()
                .take(ctx.top)
                .filter(|(_, g)| g.outcome.known > 0)
                .map(|(name, g)| {
                    (
                        fit_words(name, 36),
                        rate(&g.outcome),
                        rate_text(&g.outcome),
                        "#546e7a",
                    )
                })
                .collect();
            let overall = r.outcome.rate().unwrap_or(0.0) * 100.0;
            let _ = write!(
                body,
                "<h3>Conversion by &ldquo;{}&rdquo;</h3>{}",
                esc(by),
                hbars(
                    &rows,
                    100.0,
                    Some((overall, &format!("overall {overall:.1}%")))
                )
            );
        }
    }

    body.push_str("<h2>Score distributions</h2><div class=grid>");
    let names = m.scores.iter().map(|s| s.name.as_str()).chain(["total"]);
    for (name, d) in names.zip(r.scores.iter().chain([&r.total])) {
        if d.count == 0 {
            continue;
        }
        let q = d.quantiles(&[0.5, 0.9]);
        let caption = format!(
            "{name}: min {}, median {}, p90 {}, max {}",
            num(d.min),
            num(q[0]),
            num(q[1]),
            num(d.max)
        );
        body.push_str(&histogram(&caption, &d.histogram(20)));
    }
    body.push_str("</div>");

    if ctx.outcome.is_some() {
        body.push_str("<h2>Calibration: conversion per score decile</h2><p class=sub>Is a higher score a likelier conversion? Each bar is a tenth of the scored leads, lowest scores left; whiskers: the 95% Wilson interval; pale bars: fewer than 30 known outcomes, too few to judge.</p><div class=grid>");
        body.push_str(&calibration("total", &r.total));
        for (s, d) in m.scores.iter().zip(&r.scores) {
            body.push_str(&calibration(&s.name, d));
        }
        body.push_str("</div>");
    }

    body.push_str("<h2>Score rules</h2><table><tr><th>score</th><th>rule</th><th>fired</th><th>%</th><th>data gaps</th><th>%</th></tr>");
    for (i, rule) in m.rules.iter().enumerate() {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.scores[rule.score as usize].name),
            esc(&rule.name),
            r.fired[i],
            pct(r.fired[i], scored),
            r.unknown[i],
            pct(r.unknown[i], scored)
        );
    }
    body.push_str("</table>");
    if let Some(t) = ctx.roster {
        super::roster_render::html(&mut body, t, esc);
    }

    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>leadgate report: {}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 24px 32px; color: #222; max-width: 1100px; }}
h1 {{ font-size: 22px; margin-bottom: 0; }} .sub {{ color: #666; margin-top: 4px; }}
h2 {{ font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }} h3 {{ font-size: 15px; }}
svg text {{ font: 12px system-ui, sans-serif; fill: #222; }} svg text.in {{ fill: #fff; font-size: 11px; }}
svg text.m {{ fill: #c62828; }}
.grid {{ display: flex; flex-wrap: wrap; gap: 8px 24px; }} figure {{ margin: 0; }} figcaption {{ font-size: 12px; color: #444; }}
table {{ border-collapse: collapse; }} td, th {{ padding: 2px 10px; border-bottom: 1px solid #eee; text-align: left; }}
td:nth-child(n+3) {{ text-align: right; }}
.legend span {{ display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: middle; }}
</style></head><body>
{body}
<p class=sub>Made by leadgate {}.</p>
</body></html>
"#,
        esc(&m.name),
        env!("CARGO_PKG_VERSION")
    )
}
