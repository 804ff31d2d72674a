//! Two versions of an agreement over the same leads: which leads change
//! destination, and which rule changes move them.

mod render;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use crate::present::{num, signed};
use crate::report::{dest_index, route_rule_label};
use crate::syntax::snippet;
use crate::verdict::Verdict;
use crate::{Agreement, Decision};

/// States of the transition matrix: the three destinations, then rejected.
const STATES: [&str; 4] = ["sales", "telemarketing", "nurture", "rejected"];

fn state(d: &Decision) -> usize {
    d.route().map_or(3, dest_index)
}

/// How a score rule differs for one lead between the two agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Change {
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

/// What the diff counts, lead by lead.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tally {
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
    /// With rosters only: leads changing hands.
    pub hands: Option<Hands>,
}

/// Who takes each lead under the old and the new roster.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hands {
    /// Leads scored under both, with a roster on either side.
    pub leads: u64,
    /// Leads whose assignee differs (to or from nobody included).
    pub changed: u64,
    /// (old assignee, new assignee) → leads; `None` is nobody.
    pub moves: HashMap<(Option<String>, Option<String>), u64>,
}

impl Hands {
    fn add(&mut self, od: &Decision, nd: &Decision) {
        self.leads += 1;
        let (a, b) = (od.assignee(), nd.assignee());
        if a != b {
            self.changed += 1;
            *self
                .moves
                .entry((a.map(String::from), b.map(String::from)))
                .or_default() += 1;
        }
    }
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
    let dj = |d: &Decision| serde_json::from_str::<Json>(&d.to_json()).unwrap_or(Json::Null);
    let _ = (old, new);
    json!({"index": od.index(), "id": od.id(), "old": dj(od), "new": dj(nd)})
}

impl Tally {
    fn add(&mut self, old: &Agreement, new: &Agreement, od: &Decision, nd: &Decision, keep: usize) {
        self.leads += 1;
        let (so, sn) = (state(od), state(nd));
        self.matrix[so][sn] += 1;
        if so == 3 || sn == 3 {
            self.rejected += 1;
        }
        if so != sn {
            self.moved += 1;
        }
        if (od.assignment.is_some() || nd.assignment.is_some()) && so != 3 && sn != 3 {
            self.hands.get_or_insert_with(Hands::default).add(od, nd);
        }
        let (ov, nv) = match (od.outcome.as_ref().ok(), nd.outcome.as_ref().ok()) {
            (Some(o), Some(n)) => (o, n),
            _ => {
                if so != sn && self.changes.len() < keep {
                    let err = |d: &Decision, a: &Agreement| match (&d.outcome, d.error()) {
                        (Ok(v), _) => route_text(a, v),
                        (_, Some(e)) => format!("rejected ({})", e.message()),
                        _ => String::new(),
                    };
                    self.changes.push(format!(
                        "#{} {}: {} -> {}",
                        od.index(),
                        od.id().unwrap_or(""),
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
                od.index(),
                od.id().unwrap_or(""),
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
fn edited_rules(old: &Agreement, new: &Agreement) -> BTreeMap<String, &'static str> {
    let (os, ns) = (old.source(), new.source());
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

/// Two versions of an agreement run over the same leads: the route
/// transition matrix, how many leads move, the route-rule transitions, the
/// score rules that explain the moves and the first changed leads with both
/// decisions. Built lead by lead ([`add`](Self::add)).
#[derive(Debug, Clone)]
pub struct Diff {
    old: Agreement,
    new: Agreement,
    keep: usize,
    tally: Tally,
}

/// What a diff is of, for its title: the two agreements' and the leads' names.
#[derive(Debug, Clone, Copy)]
pub struct DiffNames<'a> {
    /// The agreement in force.
    pub old: &'a str,
    /// The proposed agreement.
    pub new: &'a str,
    /// The leads both were run on.
    pub input: &'a str,
}

impl Diff {
    /// An empty diff of `old` against `new` that lists up to `changes`
    /// changed leads.
    pub fn new(old: &Agreement, new: &Agreement, changes: usize) -> Diff {
        Diff {
            old: old.clone(),
            new: new.clone(),
            keep: changes,
            tally: Tally::default(),
        }
    }

    /// Adds one lead: its decision under the old and under the new
    /// agreement. Decisions of other agreements are not counted (`false`).
    pub fn add(&mut self, old: &Decision, new: &Decision) -> bool {
        if !self.old.made(old) || !self.new.made(new) {
            return false;
        }
        self.tally.add(&self.old, &self.new, old, new, self.keep);
        true
    }

    /// Leads added.
    pub fn leads(&self) -> u64 {
        self.tally.leads
    }

    /// Leads that change destination.
    pub fn moved(&self) -> u64 {
        self.tally.moved
    }

    /// Leads whose assignee differs between the old and the new roster
    /// (`diff --roster … --roster-new …`); 0 without rosters.
    pub fn changed_hands(&self) -> u64 {
        self.tally.hands.as_ref().map_or(0, |h| h.changed)
    }

    /// Leads rejected by either agreement.
    pub fn rejected(&self) -> u64 {
        self.tally.rejected
    }

    /// The diff as text.
    pub fn to_text(&self, names: &DiffNames<'_>) -> String {
        let edited = edited_rules(&self.old, &self.new);
        render::text(names, &self.old, &self.new, &self.tally, &edited)
    }

    /// The diff as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let edited = edited_rules(&self.old, &self.new);
        render::to_json(&self.old, &self.new, &self.tally, &edited)
    }
}
