//! `leadgate diff`: two versions of an agreement over the same leads —
//! which leads change destination, and which rule changes move them.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Decision, Verdict};
use serde_json::{json, Value as Json};

use crate::common::{num, pct, ScoringArgs};
use crate::explain::{signed, snippet};
use crate::report::{dest_index, route_rule_label, ReportFormat};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Args)]
pub struct DiffArgs {
    /// The agreement in force (.lead).
    pub old: PathBuf,
    /// The proposed agreement (.lead).
    pub new: PathBuf,
    /// Leads both are run on: .jsonl / .ndjson, .json, .csv, or `-` for stdin.
    pub input: String,
    /// List up to N leads that change route or queue, with both decisions' reasons.
    #[arg(long, default_value = "0")]
    pub changes: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// States of the transition matrix: the three destinations, then rejected.
const STATES: [&str; 4] = ["sales", "telemarketing", "nurture", "rejected"];

fn state(a: &Agreement, d: &Decision) -> usize {
    match d.verdict() {
        Some(v) => dest_index(a.model().routes[v.route as usize].destination),
        None => 3,
    }
}

/// How a score rule differs for one lead between the two agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    NowFires,
    NoLongerFires,
    PointsChanged,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::NowFires => "now fires",
            Change::NoLongerFires => "no longer fires",
            Change::PointsChanged => "points changed",
        }
    }
}

#[derive(Default)]
pub struct Diff {
    pub leads: u64,
    pub matrix: [[u64; 4]; 4],
    /// Leads whose destination changed.
    pub moved: u64,
    /// Leads with the same destination but another queue.
    pub requeued: u64,
    /// (old route rule, new route rule) → leads that changed destination or queue.
    pub transitions: HashMap<(u32, u32), u64>,
    /// (rule name, change) → moved leads where that rule differs.
    pub explains: HashMap<(String, Change), u64>,
    /// (grade, old label, new label) → moved leads.
    pub grade_moves: HashMap<(String, String, String), u64>,
    pub changes: Vec<String>,
    pub changes_json: Vec<Json>,
    pub rejected: u64,
}

fn fired_map(a: &Agreement, v: &Verdict) -> BTreeMap<String, f64> {
    let m = a.model();
    v.fired
        .iter()
        .map(|f| (m.rules[f.rule as usize].name.clone(), f.points))
        .collect()
}

fn rule_diff(
    old: &Agreement,
    ov: &Verdict,
    new: &Agreement,
    nv: &Verdict,
) -> Vec<(String, Change, f64, f64)> {
    let (fo, fnew) = (fired_map(old, ov), fired_map(new, nv));
    let mut out = Vec::new();
    for (name, p) in &fo {
        match fnew.get(name) {
            None => out.push((name.clone(), Change::NoLongerFires, *p, 0.0)),
            Some(q) if q != p => out.push((name.clone(), Change::PointsChanged, *p, *q)),
            _ => {}
        }
    }
    for (name, q) in &fnew {
        if !fo.contains_key(name) {
            out.push((name.clone(), Change::NowFires, 0.0, *q));
        }
    }
    out
}

fn route_text(a: &Agreement, v: &Verdict) -> String {
    route_rule_label(a, v.route as usize)
}

fn scores_text(a: &Agreement, v: &Verdict) -> String {
    let m = a.model();
    let mut parts: Vec<String> = m
        .scores
        .iter()
        .zip(&v.scores)
        .map(|(s, x)| format!("{} {}", s.name, num(*x)))
        .collect();
    parts.extend(
        m.grades
            .iter()
            .zip(&v.grades)
            .map(|(g, l)| format!("{} {}", g.name, g.labels[*l as usize])),
    );
    parts.join(", ")
}

/// Both canonical decisions of a changed lead.
fn change_json(old: &Agreement, od: &Decision, new: &Agreement, nd: &Decision) -> Json {
    let dj = |a: &Agreement, d: &Decision| {
        serde_json::from_str::<Json>(&a.decision_json(d)).unwrap_or(Json::Null)
    };
    json!({"index": od.index, "id": od.id.as_deref(), "old": dj(old, od), "new": dj(new, nd)})
}

impl Diff {
    fn add(&mut self, old: &Agreement, new: &Agreement, od: &Decision, nd: &Decision, keep: usize) {
        self.leads += 1;
        let (so, sn) = (state(old, od), state(new, nd));
        self.matrix[so][sn] += 1;
        if so == 3 || sn == 3 {
            self.rejected += 1;
        }
        if so != sn {
            self.moved += 1;
        }
        let (ov, nv) = match (od.verdict(), nd.verdict()) {
            (Some(o), Some(n)) => (o, n),
            _ => {
                if so != sn && self.changes.len() < keep {
                    let err = |d: &Decision, a: &Agreement| match (d.verdict(), d.error()) {
                        (Some(v), _) => route_text(a, v),
                        (_, Some(e)) => format!("rejected ({})", e.message),
                        _ => String::new(),
                    };
                    self.changes.push(format!(
                        "#{} {}: {} -> {}",
                        od.index,
                        od.id.as_deref().unwrap_or(""),
                        err(od, old),
                        err(nd, new)
                    ));
                    self.changes_json.push(change_json(old, od, new, nd));
                }
                return;
            }
        };
        let (or, nr) = (
            &old.model().routes[ov.route as usize],
            &new.model().routes[nv.route as usize],
        );
        let queue_changed = or.queue != nr.queue;
        if so == sn && queue_changed {
            self.requeued += 1;
        }
        if so == sn && !queue_changed {
            return;
        }
        *self.transitions.entry((ov.route, nv.route)).or_default() += 1;
        if so == sn {
            return;
        }
        let diffs = rule_diff(old, ov, new, nv);
        for (name, change, _, _) in &diffs {
            *self.explains.entry((name.clone(), *change)).or_default() += 1;
        }
        for (gi, g) in old.model().grades.iter().enumerate() {
            let Some(ng) = new.model().grades.iter().position(|x| x.name == g.name) else {
                continue;
            };
            let ol = &g.labels[ov.grades[gi] as usize];
            let nl = &new.model().grades[ng].labels[nv.grades[ng] as usize];
            if ol != nl {
                *self
                    .grade_moves
                    .entry((g.name.clone(), ol.clone(), nl.clone()))
                    .or_default() += 1;
            }
        }
        if self.changes.len() < keep {
            let mut s = format!(
                "#{} {}\n    old: {}\n         {}\n    new: {}\n         {}",
                od.index,
                od.id.as_deref().unwrap_or(""),
                route_text(old, ov),
                scores_text(old, ov),
                route_text(new, nv),
                scores_text(new, nv)
            );
            for (name, change, p, q) in &diffs {
                let sg = |x: &f64| signed(*x);
                let detail = match change {
                    Change::NowFires => sg(q),
                    Change::NoLongerFires => format!("was {}", sg(p)),
                    Change::PointsChanged => format!("{} -> {}", sg(p), sg(q)),
                };
                let _ = write!(s, "\n    {}: \"{name}\" ({detail})", change.as_str());
            }
            for u in &nv.undecided {
                let r = &new.model().routes[u.route as usize];
                let missing: Vec<&str> = u
                    .missing
                    .iter()
                    .map(|f| new.model().fields[*f as usize].name.as_str())
                    .collect();
                let _ = write!(
                    s,
                    "\n    new: route rule \"{}\" undecided, missing {}",
                    r.name.as_deref().unwrap_or("otherwise"),
                    missing.join(", ")
                );
            }
            self.changes.push(s);
            self.changes_json.push(change_json(old, od, new, nd));
        }
    }
}

/// Rules (score and route) whose text differs between the two agreements, by name.
fn edited_rules(
    old: &Agreement,
    os: &str,
    new: &Agreement,
    ns: &str,
) -> BTreeMap<String, &'static str> {
    let mut out = BTreeMap::new();
    let texts = |a: &Agreement, src: &str| -> BTreeMap<String, String> {
        let m = a.model();
        let mut t: BTreeMap<String, String> = m
            .rules
            .iter()
            .map(|r| {
                let when = r.when_span.map(|w| snippet(src, w)).unwrap_or_default();
                let text = format!(
                    "{} {:?} {:?} {} when {when}",
                    r.negative, r.points, r.cap, m.scores[r.score as usize].name
                );
                (r.name.clone(), text)
            })
            .collect();
        for g in &m.grades {
            let lines: Vec<String> = g.lines.iter().map(|l| snippet(src, l.span)).collect();
            t.insert(format!("grade {}", g.name), lines.join("; "));
        }
        for r in &m.routes {
            if let Some(n) = &r.name {
                t.insert(n.clone(), snippet(src, r.span));
            }
        }
        t
    };
    let (to, tn) = (texts(old, os), texts(new, ns));
    for (name, text) in &to {
        match tn.get(name) {
            None => {
                out.insert(name.clone(), "removed");
            }
            Some(t) if t != text => {
                out.insert(name.clone(), "edited");
            }
            _ => {}
        }
    }
    for name in tn.keys() {
        if !to.contains_key(name) {
            out.insert(name.clone(), "added");
        }
    }
    out
}

pub fn build(
    old: &Agreement,
    new: &Agreement,
    input: &str,
    scoring: &ScoringArgs,
    changes: usize,
) -> Result<Diff, Failure> {
    let (opts, threads) = scoring.options()?;
    let mut diff = Diff::default();
    crate::score::stream_many(
        &[old, new],
        input,
        scoring.input_format,
        &opts,
        &threads,
        |_, _, decisions| {
            if let [o, n] = decisions {
                for (od, nd) in o.iter().zip(n) {
                    diff.add(old, new, od, nd, changes);
                }
            }
            Ok(())
        },
    )?;
    Ok(diff)
}

pub fn run(args: &DiffArgs) -> Result<u8, Failure> {
    let (old, old_src) = load_agreement(&args.old)?;
    let (new, new_src) = load_agreement(&args.new)?;
    let diff = build(&old, &new, &args.input, &args.scoring, args.changes)?;
    let edited = edited_rules(&old, &old_src, &new, &new_src);
    match args.format {
        ReportFormat::Text => {
            crate::output::print_for_people(&text(args, &old, &new, &diff, &edited))?
        }
        ReportFormat::Json => crate::output::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&to_json(&old, &new, &diff, &edited)).unwrap_or_default()
        ))?,
    }
    Ok(if diff.rejected > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

fn sorted<K: Clone + Ord>(m: &HashMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<(K, u64)> = m.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

fn rule_label(a: &Agreement, i: u32) -> String {
    route_rule_label(a, i as usize)
}

pub fn text(
    args: &DiffArgs,
    old: &Agreement,
    new: &Agreement,
    d: &Diff,
    edited: &BTreeMap<String, &str>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Diff: {} -> {} on {}",
        args.old.display(),
        args.new.display(),
        args.input
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
    if !d.changes.is_empty() {
        let _ = writeln!(out, "\nChanged leads (first {})", d.changes.len());
        for c in &d.changes {
            let _ = writeln!(out, "  {c}");
        }
    }
    out
}

pub fn to_json(
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
    json!({"leads": d.leads, "moved": d.moved, "requeued": d.requeued, "rejected": d.rejected,
        "matrix": matrix, "route_rule_transitions": trans, "explained_by": exp,
        "edited_rules": edited, "changes": d.changes_json})
}
