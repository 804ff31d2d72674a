//! The report as JSON.

use serde_json::{json, Value as Json};

use super::{Context, Dist, Outcome, DESTS};

fn outcome_json(ctx: &Context, o: &Outcome) -> Json {
    if ctx.outcome.is_none() {
        return Json::Null;
    }
    let ci = o.wilson95().map(|(lo, hi)| [lo, hi]);
    json!({"converted": o.converted, "known": o.known, "rate": o.rate(), "ci95": ci,
        "too_small": o.too_small(), "lift": ctx.report.lift(o)})
}

/// Conversion per decile of a score (and of the total).
fn calibration(ctx: &Context, name: &str, d: &Dist) -> Json {
    let deciles: Vec<Json> = d
        .deciles()
        .iter()
        .map(|(i, lo, hi, c)| json!({"decile": i, "min": lo, "max": hi, "leads": c.n, "outcome": outcome_json(ctx, &c.outcome)}))
        .collect();
    json!({"score": name, "exact": d.exact(), "deciles": deciles})
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

pub fn to_json(ctx: &Context) -> Json {
    let (r, m) = (ctx.report, ctx.agreement.model());
    let scored = r.scored();
    let routes: Vec<Json> = DESTS
        .iter()
        .enumerate()
        .map(|(i, d)| json!({"route": d.as_str(), "leads": r.dest[i], "share": share(r.dest[i], scored), "outcome": outcome_json(ctx, &r.dest_outcome[i])}))
        .collect();
    let queues: Vec<Json> = ctx
        .queues()
        .iter()
        .map(|(q, n, o)| json!({"queue": q, "leads": n, "share": share(*n, scored), "outcome": outcome_json(ctx, o)}))
        .collect();
    let route_rules: Vec<Json> = m
        .routes
        .iter()
        .enumerate()
        .map(|(i, rr)| json!({"index": i, "rule": rr.name, "route": rr.destination.as_str(), "queue": rr.queue, "leads": r.route_rule[i], "share": share(r.route_rule[i], scored), "undecided": r.undecided[i], "outcome": outcome_json(ctx, &r.route_outcome[i])}))
        .collect();
    let grades: Vec<Json> = m
        .grades
        .iter()
        .enumerate()
        .map(|(gi, g)| {
            let labels: Vec<Json> = g
                .labels
                .iter()
                .enumerate()
                .map(|(li, l)| json!({"label": l, "leads": r.grade[gi][li], "share": share(r.grade[gi][li], scored), "outcome": outcome_json(ctx, &r.grade_outcome[gi][li])}))
                .collect();
            json!({"grade": g.name, "labels": labels})
        })
        .collect();
    let dist = |name: &str, d: &Dist| {
        let q = d.quantiles(&[0.5, 0.9]);
        json!({"score": name, "min": (d.count > 0).then_some(d.min), "median": (d.count > 0).then_some(q[0]), "p90": (d.count > 0).then_some(q[1]), "max": (d.count > 0).then_some(d.max), "mean": d.mean(), "exact": d.exact(), "relative_error": (!d.exact()).then_some(super::RELATIVE_ERROR)})
    };
    let mut scores: Vec<Json> = m
        .scores
        .iter()
        .zip(&r.scores)
        .map(|(s, d)| dist(&s.name, d))
        .collect();
    scores.push(dist("total", &r.total));
    let rules: Vec<Json> = m
        .rules
        .iter()
        .enumerate()
        .map(|(i, rule)| json!({"rule": rule.name, "score": m.scores[rule.score as usize].name, "fired": r.fired[i], "undecided": r.unknown[i]}))
        .collect();
    let gaps: Vec<Json> = m
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| r.field_gaps[*i] > 0)
        .map(|(i, f)| json!({"field": f.name, "key": f.key, "leads": r.field_gaps[i]}))
        .collect();
    let mut errors: Vec<_> = r.errors.iter().collect();
    errors.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let errors: Vec<Json> = errors
        .iter()
        .map(|(e, n)| json!({"reason": e, "leads": n}))
        .collect();
    let groups: Option<Vec<Json>> = ctx.by.map(|_| {
        r.groups_sorted()
            .iter()
            .map(|(name, g)| {
                let s = g.leads - g.rejected;
                json!({"group": name, "leads": g.leads, "rejected": g.rejected,
                    "routes": {"sales": g.dest[0], "telemarketing": g.dest[1], "nurture": g.dest[2]},
                    "shares": {"sales": share(g.dest[0], s), "telemarketing": share(g.dest[1], s), "nurture": share(g.dest[2], s)},
                    "outcome": outcome_json(ctx, &g.outcome)})
            })
            .collect()
    });
    let backtest = ctx.outcome.map(|o| {
        let (p, rc) = r.sales_precision_recall();
        let mut cal: Vec<Json> = vec![calibration(ctx, "total", &r.total)];
        cal.extend(
            m.scores
                .iter()
                .zip(&r.scores)
                .map(|(s, d)| calibration(ctx, &s.name, d)),
        );
        json!({"column": o, "converted": r.outcome.converted, "known": r.outcome.known,
            "rate": r.outcome.rate(), "ci95": r.outcome.wilson95().map(|(lo, hi)| [lo, hi]),
            "unknown_outcome": r.outcome_unknown,
            "sales_precision": p, "sales_recall": rc, "calibration": cal,
            "min_known_to_judge": super::MIN_KNOWN})
    });
    let mut out = json!({
        "agreement": m.name, "version": m.version,
        "leads": r.leads, "scored": scored, "rejected": r.rejected,
        "routes": routes, "queues": queues, "route_rules": route_rules,
        "grades": grades, "scores": scores, "rules": rules, "data_gaps": gaps,
        "rejections": errors, "by": ctx.by, "groups": groups, "backtest": backtest,
    });
    // With a roster only: a report without one keeps its keys.
    if let Some(t) = ctx.roster {
        out["assignment"] = super::roster_render::json(t);
    }
    out
}
