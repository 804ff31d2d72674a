//! The report as text, for a terminal.

use std::fmt::Write as _;

use super::{Context, Group, Outcome, DESTS, RELATIVE_ERROR};
use crate::present::{fit_words, num, pct};

fn rate_cols(ctx: &Context, o: &Outcome) -> String {
    if ctx.outcome.is_none() {
        return String::new();
    }
    let lift = ctx
        .report
        .lift(o)
        .map_or("-".into(), |l| format!("{l:.2}x"));
    format!(
        "  {:>9}  {:>8}  {:>11}  {:>6}",
        o.converted,
        rate(o),
        ci(o),
        lift
    )
}

/// `12.3%`, with `*` when too few leads have a known outcome to judge.
fn rate(o: &Outcome) -> String {
    match o.rate() {
        Some(r) => format!("{:.1}%{}", 100.0 * r, if o.too_small() { "*" } else { "" }),
        None => "-".into(),
    }
}

/// The 95% interval of the rate, `10.1-14.6%`.
fn ci(o: &Outcome) -> String {
    o.wilson95().map_or("-".into(), |(lo, hi)| {
        format!("{:.1}-{:.1}%", 100.0 * lo, 100.0 * hi)
    })
}

/// `  label      leads      %  [converted rate lift]extra`
#[allow(clippy::too_many_arguments)]
fn count_line(
    out: &mut String,
    ctx: &Context,
    w: usize,
    label: &str,
    n: u64,
    of: u64,
    o: &Outcome,
    extra: &str,
) {
    let _ = writeln!(
        out,
        "  {:<w2$}{:>8}  {:>6}{}{extra}",
        label,
        n,
        pct(n, of),
        rate_cols(ctx, o),
        w2 = w - 2
    );
}

fn rate_head(ctx: &Context) -> String {
    if ctx.outcome.is_none() {
        String::new()
    } else {
        format!(
            "  {:>9}  {:>8}  {:>11}  {:>6}",
            "converted", "rate", "95% CI", "lift"
        )
    }
}

pub fn text(ctx: &Context) -> String {
    let (r, m) = (ctx.report, ctx.agreement.model());
    let mut out = String::new();
    let scored = r.scored();
    let _ = writeln!(out, "Report: {}", ctx.title);
    let _ = writeln!(
        out,
        "{} leads: {} scored, {} rejected ({})",
        r.leads,
        scored,
        r.rejected,
        pct(r.rejected, r.leads)
    );
    let w = 52;
    let _ = writeln!(
        out,
        "\nRoutes{:w2$}{:>8}  {:>6}{}",
        "",
        "leads",
        "%",
        rate_head(ctx),
        w2 = w - 6
    );
    for (i, d) in DESTS.iter().enumerate() {
        count_line(
            &mut out,
            ctx,
            w,
            d.as_str(),
            r.dest[i],
            scored,
            &r.dest_outcome[i],
            "",
        );
    }
    let _ = writeln!(out, "\nQueues");
    for (q, n, o) in ctx.queues() {
        count_line(&mut out, ctx, w, &q, n, scored, &o, "");
    }
    let _ = writeln!(
        out,
        "\nRoute rules (undecided: leads passed over for lack of data)"
    );
    for i in 0..m.routes.len() {
        let label = fit_words(&ctx.route_label(i), w - 3);
        let und = if r.undecided[i] > 0 {
            format!("  undecided {}", r.undecided[i])
        } else {
            String::new()
        };
        let (n, o) = (r.route_rule[i], &r.route_outcome[i]);
        count_line(&mut out, ctx, w, &label, n, scored, o, &und);
    }
    for (gi, g) in m.grades.iter().enumerate() {
        let _ = writeln!(out, "\nGrade {}", g.name);
        for (li, l) in g.labels.iter().enumerate() {
            let (n, o) = (r.grade[gi][li], &r.grade_outcome[gi][li]);
            count_line(&mut out, ctx, w, l, n, scored, o, "");
        }
    }
    let _ = writeln!(
        out,
        "\nScores{:18}{:>9}{:>9}{:>9}{:>9}{:>9}",
        "", "min", "median", "p90", "max", "mean"
    );
    let names = m.scores.iter().map(|s| s.name.as_str()).chain(["total"]);
    let mut sampled = false;
    for (name, d) in names.zip(r.scores.iter().chain([&r.total])) {
        if d.count == 0 {
            continue;
        }
        sampled |= !d.exact();
        let q = d.quantiles(&[0.5, 0.9]);
        let _ = writeln!(
            out,
            "  {:<22}{:>9}{:>9}{:>9}{:>9}{:>9}",
            name,
            num(d.min),
            num(q[0]),
            num(q[1]),
            num(d.max),
            num(d.mean().unwrap_or(0.0))
        );
    }
    if sampled {
        let _ = writeln!(
            out,
            "  (median, p90 and mean within {}%: too many distinct values to keep each)",
            num(100.0 * RELATIVE_ERROR)
        );
    }
    let _ = writeln!(
        out,
        "\nScore rules{:27}{:>8}  {:>6}  {:>10}  {:>6}",
        "", "fired", "%", "data gaps", "%"
    );
    for (ri, rule) in m.rules.iter().enumerate() {
        let label = format!("{}: {}", m.scores[rule.score as usize].name, rule.name);
        let label = fit_words(&label, 36);
        let _ = writeln!(
            out,
            "  {:<36}{:>8}  {:>6}  {:>10}  {:>6}",
            label,
            r.fired[ri],
            pct(r.fired[ri], scored),
            r.unknown[ri],
            pct(r.unknown[ri], scored)
        );
    }
    let gaps: Vec<(usize, u64)> = r
        .field_gaps
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, n)| *n > 0)
        .collect();
    if !gaps.is_empty() {
        let _ = writeln!(
            out,
            "\nData gaps by field (leads with a rule undecided for lack of it)"
        );
        let mut gaps = gaps;
        gaps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (f, n) in gaps {
            let field = &m.fields[f];
            let _ = writeln!(
                out,
                "  {:<36}{:>8}  {:>6}",
                fit_words(&format!("{} (\"{}\")", field.name, field.key), 36),
                n,
                pct(n, scored)
            );
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(out, "\nRejected leads, by reason");
        let mut e: Vec<_> = r.errors.iter().collect();
        e.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (msg, n) in e.iter().take(10) {
            let _ = writeln!(out, "  {n:>8}  {msg}");
        }
    }
    if let Some(by) = ctx.by {
        groups_text(&mut out, ctx, by);
        if ctx.outcome.is_some() {
            let _ = writeln!(
                out,
                "  * fewer than {} leads with a known outcome: too few to judge",
                super::MIN_KNOWN
            );
        }
    }
    if let Some(o) = ctx.outcome {
        let _ = writeln!(
            out,
            "\nBacktest against \"{o}\": {} of {} scored leads with a known outcome converted ({}); {} with an unknown outcome",
            r.outcome.converted,
            r.outcome.known,
            pct(r.outcome.converted, r.outcome.known),
            r.outcome_unknown
        );
        let (p, rc) = r.sales_precision_recall();
        let f = |x: Option<f64>| x.map_or("-".into(), |x| format!("{:.1}%", 100.0 * x));
        let _ = writeln!(
            out,
            "  sales route: precision {} (converted among leads routed to sales), recall {} (share of all conversions routed to sales)",
            f(p),
            f(rc)
        );
        for (i, d) in DESTS.iter().enumerate() {
            let o = &r.dest_outcome[i];
            let _ = writeln!(
                out,
                "  {:<14} conversion {:>6} (95% CI {})  lift {}",
                d.as_str(),
                rate(o),
                ci(o),
                r.lift(o).map_or("-".into(), |l| format!("{l:.2}x"))
            );
        }
        calibration_text(&mut out, "total", &r.total);
        for (s, d) in m.scores.iter().zip(&r.scores) {
            calibration_text(&mut out, &s.name, d);
        }
        let _ = writeln!(
            out,
            "  * fewer than {} leads with a known outcome: too few to judge",
            super::MIN_KNOWN
        );
    }
    if let Some(t) = ctx.roster {
        super::roster_render::text(&mut out, t, ctx.top);
    }
    out
}

/// Conversion per decile of a score: is a higher score a likelier sale?
fn calibration_text(out: &mut String, name: &str, d: &super::Dist) {
    if d.count == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "\n  Calibration of {name}: conversion per decile{}",
        if d.exact() { "" } else { " (values binned)" }
    );
    let _ = writeln!(
        out,
        "    {:>6}  {:>21}  {:>8}  {:>9}  {:>8}  {:>11}",
        "decile", "score range", "leads", "converted", "rate", "95% CI"
    );
    for (i, lo, hi, c) in d.deciles() {
        let range = if lo == hi {
            num(lo)
        } else {
            format!("{} to {}", num(lo), num(hi))
        };
        let _ = writeln!(
            out,
            "    {:>6}  {:>21}  {:>8}  {:>9}  {:>8}  {:>11}",
            i,
            range,
            c.n,
            c.outcome.converted,
            rate(&c.outcome),
            ci(&c.outcome)
        );
    }
}

fn groups_text(out: &mut String, ctx: &Context, by: &str) {
    let r = ctx.report;
    let groups = r.groups_sorted();
    let _ = writeln!(
        out,
        "\nBy \"{by}\" ({} groups, largest first; route mix in % of the group's scored leads)",
        groups.len()
    );
    let conv_head = if ctx.outcome.is_some() {
        format!("  {:>8}  {:>11}  {:>6}", "conv.", "95% CI", "lift")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {:<28}{:>8}  {:>7}  {:>7}  {:>7}  {:>8}{conv_head}",
        "group", "leads", "sales", "telem.", "nurture", "rejected"
    );
    let mut rest = Group::default();
    let mut rest_n = 0;
    for (k, (name, g)) in groups.iter().enumerate() {
        if k >= ctx.top {
            rest_n += 1;
            rest.leads += g.leads;
            rest.rejected += g.rejected;
            for i in 0..3 {
                rest.dest[i] += g.dest[i];
            }
            rest.outcome.converted += g.outcome.converted;
            rest.outcome.known += g.outcome.known;
            continue;
        }
        group_line(out, ctx, &fit_words(name, 28), g);
    }
    if rest_n > 0 {
        group_line(out, ctx, &format!("({rest_n} other groups)"), &rest);
    }
}

fn group_line(out: &mut String, ctx: &Context, name: &str, g: &Group) {
    let scored = g.leads - g.rejected;
    let conv = if ctx.outcome.is_some() {
        format!(
            "  {:>8}  {:>11}  {:>6}",
            rate(&g.outcome),
            ci(&g.outcome),
            ctx.report
                .lift(&g.outcome)
                .map_or("-".into(), |l| format!("{l:.2}x"))
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {:<28}{:>8}  {:>7}  {:>7}  {:>7}  {:>8}{conv}",
        name,
        g.leads,
        pct(g.dest[0], scored),
        pct(g.dest[1], scored),
        pct(g.dest[2], scored),
        g.rejected
    );
}
