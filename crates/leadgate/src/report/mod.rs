//! The funnel of many decisions: routes, queues, grades, score
//! distributions, how often each rule fired and how often data was missing;
//! per group, and against an outcome as a backtest. Built decision by
//! decision, so memory stays flat however many leads there are.

mod dist;
mod html;
mod json;
mod outcomes;
mod roster;
mod roster_render;
mod text;

pub(crate) use dist::{Dist, RELATIVE_ERROR};
pub use outcomes::OutcomeValues;

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::{Agreement, Decision, Destination, Staffing, Timestamp};
use roster::RosterTally;

/// Destinations in display order.
pub(crate) const DESTS: [Destination; 3] = [
    Destination::Sales,
    Destination::Telemarketing,
    Destination::Nurture,
];

pub(crate) fn dest_index(d: Destination) -> usize {
    match d {
        Destination::Sales => 0,
        Destination::Telemarketing => 1,
        Destination::Nurture => 2,
    }
}

/// Converted leads among leads with a known outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Outcome {
    pub converted: u64,
    pub known: u64,
}

impl Outcome {
    fn merge(&mut self, other: &Outcome) {
        self.converted += other.converted;
        self.known += other.known;
    }

    fn add(&mut self, o: Option<bool>) {
        if let Some(c) = o {
            self.known += 1;
            if c {
                self.converted += 1;
            }
        }
    }
    /// The Wilson score interval of the rate at 95% confidence.
    pub fn wilson95(&self) -> Option<(f64, f64)> {
        if self.known == 0 {
            return None;
        }
        let (z, n) = (1.959_963_984_540_054, self.known as f64);
        let p = self.converted as f64 / n;
        let z2n = z * z / n;
        let center = (p + z2n / 2.0) / (1.0 + z2n);
        let half = z * libm::sqrt(p * (1.0 - p) / n + z2n / (4.0 * n)) / (1.0 + z2n);
        Some(((center - half).max(0.0), (center + half).min(1.0)))
    }

    /// Too few leads with a known outcome to judge a rate by
    /// (fewer than [`MIN_KNOWN`]).
    pub fn too_small(&self) -> bool {
        self.known < MIN_KNOWN
    }

    pub fn rate(&self) -> Option<f64> {
        (self.known > 0).then(|| self.converted as f64 / self.known as f64)
    }
}

/// Leads with a known outcome below which a conversion rate is flagged as
/// too small to judge.
pub(crate) const MIN_KNOWN: u64 = 30;

/// Reads an outcome value: 1/0, true/false, yes/no (case-insensitive);
/// `None` for anything else.
pub fn parse_outcome(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => None,
    }
}

/// Leads of one `--by` group.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Group {
    pub leads: u64,
    pub rejected: u64,
    pub dest: [u64; 3],
    pub outcome: Outcome,
}

/// Everything the report shows, accumulated decision by decision.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tally {
    pub leads: u64,
    pub rejected: u64,
    pub dest: [u64; 3],
    pub dest_outcome: [Outcome; 3],
    pub route_rule: Vec<u64>,
    pub route_outcome: Vec<Outcome>,
    pub undecided: Vec<u64>,
    pub grade: Vec<Vec<u64>>,
    pub grade_outcome: Vec<Vec<Outcome>>,
    pub scores: Vec<Dist>,
    pub total: Dist,
    pub fired: Vec<u64>,
    pub unknown: Vec<u64>,
    /// Per field: leads with at least one score rule undecided for lack of it.
    pub field_gaps: Vec<u64>,
    pub errors: HashMap<String, u64>,
    pub groups: HashMap<String, Group>,
    pub outcome: Outcome,
    /// Leads whose outcome value is neither truthy nor falsy (or missing).
    pub outcome_unknown: u64,
    /// With a roster only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<RosterTally>,
}

fn add_all(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn merge_all(a: &mut [Outcome], b: &[Outcome]) {
    for (x, y) in a.iter_mut().zip(b) {
        x.merge(y);
    }
}

impl Group {
    fn merge(&mut self, other: &Group) {
        self.leads += other.leads;
        self.rejected += other.rejected;
        add_all(&mut self.dest, &other.dest);
        self.outcome.merge(&other.outcome);
    }
}

impl Tally {
    /// Adds the counts of another part of the same agreement's leads.
    fn merge(&mut self, other: &Tally) {
        self.leads += other.leads;
        self.rejected += other.rejected;
        add_all(&mut self.dest, &other.dest);
        merge_all(&mut self.dest_outcome, &other.dest_outcome);
        add_all(&mut self.route_rule, &other.route_rule);
        merge_all(&mut self.route_outcome, &other.route_outcome);
        add_all(&mut self.undecided, &other.undecided);
        for (a, b) in self.grade.iter_mut().zip(&other.grade) {
            add_all(a, b);
        }
        for (a, b) in self.grade_outcome.iter_mut().zip(&other.grade_outcome) {
            merge_all(a, b);
        }
        for (a, b) in self.scores.iter_mut().zip(&other.scores) {
            a.merge(b);
        }
        self.total.merge(&other.total);
        add_all(&mut self.fired, &other.fired);
        add_all(&mut self.unknown, &other.unknown);
        add_all(&mut self.field_gaps, &other.field_gaps);
        for (k, n) in &other.errors {
            *self.errors.entry(k.clone()).or_default() += n;
        }
        for (k, g) in &other.groups {
            self.groups.entry(k.clone()).or_default().merge(g);
        }
        self.outcome.merge(&other.outcome);
        self.outcome_unknown += other.outcome_unknown;
        if let (Some(a), Some(b)) = (&mut self.roster, &other.roster) {
            a.merge(b);
        }
    }

    fn new(agreement: &Agreement) -> Tally {
        let m = agreement.model();
        Tally {
            route_rule: vec![0; m.routes.len()],
            route_outcome: vec![Outcome::default(); m.routes.len()],
            undecided: vec![0; m.routes.len()],
            grade: m.grades.iter().map(|g| vec![0; g.labels.len()]).collect(),
            grade_outcome: m
                .grades
                .iter()
                .map(|g| vec![Outcome::default(); g.labels.len()])
                .collect(),
            scores: vec![Dist::default(); m.scores.len()],
            fired: vec![0; m.rules.len()],
            unknown: vec![0; m.rules.len()],
            field_gaps: vec![0; m.fields.len()],
            ..Tally::default()
        }
    }

    /// Adds one decision, with its `--by` group and outcome if asked for.
    fn add(
        &mut self,
        agreement: &Agreement,
        d: &Decision,
        group: Option<&str>,
        outcome: Option<Option<bool>>,
    ) {
        let m = agreement.model();
        self.leads += 1;
        let g = group.map(|g| self.groups.entry(g.to_string()).or_default());
        let v = match &d.outcome {
            Err(e) => {
                self.rejected += 1;
                let kind = e.kind().as_str().replace('_', " ");
                let key = match e.field() {
                    Some(f) => format!("{f}: {kind}"),
                    None => kind,
                };
                *self.errors.entry(key).or_default() += 1;
                if let Some(g) = g {
                    g.leads += 1;
                    g.rejected += 1;
                }
                return;
            }
            Ok(v) => v,
        };
        let o = outcome.flatten();
        if outcome.is_some() {
            if o.is_none() {
                self.outcome_unknown += 1;
            }
            self.outcome.add(o);
        }
        let di = dest_index(m.routes[v.route as usize].destination);
        self.dest[di] += 1;
        self.dest_outcome[di].add(o);
        self.route_rule[v.route as usize] += 1;
        self.route_outcome[v.route as usize].add(o);
        for u in &v.undecided {
            self.undecided[u.route as usize] += 1;
        }
        for (gi, l) in v.grades.iter().enumerate() {
            self.grade[gi][*l as usize] += 1;
            self.grade_outcome[gi][*l as usize].add(o);
        }
        for (si, x) in v.scores.iter().enumerate() {
            self.scores[si].add(*x, o);
        }
        self.total.add(v.total, o);
        for f in &v.fired {
            self.fired[f.rule as usize] += 1;
        }
        let mut lacking: Vec<u32> = Vec::new();
        for u in &v.unknown {
            self.unknown[u.rule as usize] += 1;
            lacking.extend(&u.missing);
        }
        lacking.sort_unstable();
        lacking.dedup();
        for f in lacking {
            self.field_gaps[f as usize] += 1;
        }
        if let Some(g) = g {
            g.leads += 1;
            g.dest[di] += 1;
            g.outcome.add(o);
        }
    }

    pub fn scored(&self) -> u64 {
        self.leads - self.rejected
    }

    /// Groups, largest first (ties by name).
    pub fn groups_sorted(&self) -> Vec<(&String, &Group)> {
        let mut g: Vec<_> = self.groups.iter().collect();
        g.sort_by(|a, b| b.1.leads.cmp(&a.1.leads).then(a.0.cmp(b.0)));
        g
    }

    /// Precision and recall of the sales route against the outcome.
    pub fn sales_precision_recall(&self) -> (Option<f64>, Option<f64>) {
        let tp = self.dest_outcome[0].converted as f64;
        let precision = self.dest_outcome[0].rate();
        let recall = (self.outcome.converted > 0).then(|| tp / self.outcome.converted as f64);
        (precision, recall)
    }

    pub fn lift(&self, o: &Outcome) -> Option<f64> {
        match (o.rate(), self.outcome.rate()) {
            (Some(r), Some(all)) if all > 0.0 => Some(r / all),
            _ => None,
        }
    }
}

/// A route rule as `sales/emea "Hot lead, EMEA"` or `nurture (otherwise)`.
pub(crate) fn route_rule_label(a: &Agreement, i: usize) -> String {
    let r = &a.model().routes[i];
    let mut s = r.destination.as_str().to_string();
    if let Some(q) = &r.queue {
        let _ = write!(s, "/{q}");
    }
    match &r.name {
        Some(n) => {
            let _ = write!(s, " \"{n}\"");
        }
        None => s.push_str(" (otherwise)"),
    }
    s
}

/// What the renderers need.
pub(crate) struct Context<'a> {
    pub agreement: &'a Agreement,
    pub report: &'a Tally,
    pub by: Option<&'a str>,
    pub outcome: Option<&'a str>,
    pub top: usize,
    pub title: &'a str,
    pub roster: Option<&'a RosterTally>,
}

impl Context<'_> {
    /// Route rule label: `3. sales/emea "Hot lead, EMEA"`.
    pub fn route_label(&self, i: usize) -> String {
        format!("{}. {}", i + 1, route_rule_label(self.agreement, i))
    }

    /// `(destination/queue, leads, outcome)` in route-rule order of first appearance.
    pub fn queues(&self) -> Vec<(String, u64, Outcome)> {
        let m = self.agreement.model();
        let mut out: Vec<(String, u64, Outcome)> = Vec::new();
        for (i, r) in m.routes.iter().enumerate() {
            let key = match &r.queue {
                Some(q) => format!("{}/{q}", r.destination.as_str()),
                None => format!("{} (no queue)", r.destination.as_str()),
            };
            let o = self.report.route_outcome[i];
            match out.iter_mut().find(|(k, _, _)| *k == key) {
                Some(e) => {
                    e.1 += self.report.route_rule[i];
                    e.2.converted += o.converted;
                    e.2.known += o.known;
                }
                None => out.push((key, self.report.route_rule[i], o)),
            }
        }
        out
    }
}

/// A report's counts as saved by [`Report::to_state`].
#[derive(serde::Serialize, serde::Deserialize)]
struct State {
    agreement: String,
    by: Option<String>,
    outcome: Option<String>,
    tally: Tally,
    /// The sample of outcome values that are neither truthy nor falsy.
    #[serde(default)]
    outcomes: Vec<String>,
}

/// A report state that cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct StateError(String);

/// The funnel report of many decisions under one agreement: built decision
/// by decision ([`add`](Self::add)), rendered as text, JSON or a
/// self-contained HTML page by every front alike.
///
/// ```
/// # let agreement = leadgate::Agreement::compile(r#"agreement "A"
/// #   fields { size : number  source : text }  score s { +1 "Big" when size > 10 }
/// #   route { sales "Big lead" when s >= 1  nurture otherwise }"#)?;
/// let opts = leadgate::ScoreOptions::now();
/// let mut report = leadgate::Report::new(&agreement, Some("source"), Some("won"));
/// for (lead, source, won) in [(r#"{"size": 20}"#, "ads", true), (r#"{"size": 2}"#, "seo", false)] {
///     report.add(&agreement.score_json(lead, &opts), Some(source), Some(won));
/// }
/// assert_eq!(report.leads(), 2);
/// assert!(report.to_text("demo", 20).contains("sales"));
/// # Ok::<(), leadgate::CompileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Report {
    agreement: Agreement,
    by: Option<String>,
    outcome: Option<String>,
    tally: Tally,
    /// Outcome values read by [`read_outcome`](Self::read_outcome).
    outcomes: OutcomeValues,
}

impl Report {
    /// An empty report for decisions of `agreement`; `by` names what
    /// [`add`](Self::add)'s groups are (a column, a field), `outcome` the
    /// column its outcomes come from (for the backtest).
    pub fn new(agreement: &Agreement, by: Option<&str>, outcome: Option<&str>) -> Report {
        Report {
            agreement: agreement.clone(),
            by: by.map(String::from),
            outcome: outcome.map(String::from),
            tally: Tally::new(agreement),
            outcomes: OutcomeValues::new(),
        }
    }

    /// Adds one decision of the report's agreement, with its group (when
    /// the report has `by`; `None` is counted as `(missing)`) and its
    /// outcome (when the report has `outcome`; `None` when unknown). A
    /// decision of another agreement is not counted and returns `false`.
    pub fn add(&mut self, decision: &Decision, group: Option<&str>, outcome: Option<bool>) -> bool {
        self.add_followed_up(decision, group, outcome, None)
    }

    /// With a roster: the report also shows each queue's and person's
    /// leads per day, capacity used, leads left unassigned and why, and
    /// deadlines the plain clock would put outside working hours; with
    /// `followed_up` (the column of follow-up timestamps), SLA adherence
    /// per queue and person. Add decisions made by `staffing`, with
    /// [`add_followed_up`](Self::add_followed_up).
    pub fn with_roster(mut self, staffing: &Staffing, followed_up: Option<&str>) -> Report {
        self.tally.roster = Some(RosterTally::new(staffing, followed_up));
        self
    }

    /// [`add`](Self::add), with when the lead was followed up (`None`: not
    /// recorded), for a report [`with_roster`](Self::with_roster) and a
    /// follow-up column.
    pub fn add_followed_up(
        &mut self,
        decision: &Decision,
        group: Option<&str>,
        outcome: Option<bool>,
        followed_up_at: Option<Timestamp>,
    ) -> bool {
        if !self.agreement.made(decision) {
            return false;
        }
        let group = self.by.as_ref().map(|_| group.unwrap_or("(missing)"));
        let outcome = self.outcome.as_ref().map(|_| outcome);
        self.tally.add(&self.agreement, decision, group, outcome);
        if let Some(r) = &mut self.tally.roster {
            let followed = r.followed_up.as_ref().map(|_| followed_up_at);
            r.add(decision, followed);
        }
        true
    }

    /// Adds another report of the same agreement, `by` and `outcome` (a
    /// part of the same leads, counted elsewhere: another thread, another
    /// Spark partition). The result is the same however the leads were split
    /// and in whatever order parts are merged. A report of another agreement
    /// or other settings is not added (`false`).
    pub fn merge(&mut self, other: &Report) -> bool {
        let roster = |r: &Report| {
            r.tally
                .roster
                .as_ref()
                .map(|t| (t.roster.clone(), t.followed_up.clone()))
        };
        if self.agreement.fingerprint() != other.agreement.fingerprint()
            || self.by != other.by
            || self.outcome != other.outcome
            || roster(self) != roster(other)
        {
            return false;
        }
        self.tally.merge(&other.tally);
        self.outcomes.merge(&other.outcomes);
        true
    }

    /// A lead's outcome value (a text: `1`, `yes`, `true`…; `None`: missing)
    /// read as truthy or falsy, for [`add`](Self::add); the values that are
    /// neither are sampled for [`outcome_error`](Self::outcome_error).
    pub fn read_outcome(&mut self, value: Option<&str>) -> Option<bool> {
        self.outcomes.read(value)
    }

    /// When [`outcome_unknown`](Self::outcome_unknown), why, naming a few of
    /// the values [`read_outcome`](Self::read_outcome) read (see
    /// [`OutcomeValues::error`]): every front refuses such a backtest with
    /// these words after the outcome's name.
    pub fn outcome_error(&self) -> Option<String> {
        self.outcome_unknown().then(|| self.outcomes.error())
    }

    /// The report's counts as text, to send a part's report elsewhere (a
    /// Spark executor to the driver) and [`from_state`](Self::from_state)
    /// it back there. Exact: nothing is lost.
    pub fn to_state(&self) -> String {
        let state = State {
            agreement: self.agreement.fingerprint().to_string(),
            by: self.by.clone(),
            outcome: self.outcome.clone(),
            tally: self.tally.clone(),
            outcomes: self.outcomes.unreadable().to_vec(),
        };
        serde_json::to_string(&state).unwrap_or_default()
    }

    /// A report from [`to_state`](Self::to_state), for `agreement` (the same
    /// agreement text the state was counted with).
    pub fn from_state(agreement: &Agreement, state: &str) -> Result<Report, StateError> {
        let state: State = serde_json::from_str(state)
            .map_err(|e| StateError(format!("not a report state: {e}")))?;
        if state.agreement != agreement.fingerprint() {
            return Err(StateError(
                "the report state was counted with another agreement".into(),
            ));
        }
        let fresh = Tally::new(agreement);
        let shape = |t: &Tally| {
            (
                t.route_rule.len(),
                t.grade.len(),
                t.scores.len(),
                t.fired.len(),
                t.field_gaps.len(),
            )
        };
        if shape(&fresh) != shape(&state.tally) {
            return Err(StateError(
                "the report state does not fit the agreement".into(),
            ));
        }
        // Checked, sorted and bounded again, whatever the text held.
        let mut outcomes = OutcomeValues::new();
        state.outcomes.iter().for_each(|v| outcomes.keep(v));
        Ok(Report {
            agreement: agreement.clone(),
            by: state.by,
            outcome: state.outcome,
            tally: state.tally,
            outcomes,
        })
    }

    /// Leads added.
    pub fn leads(&self) -> u64 {
        self.tally.leads
    }

    /// Scored leads with a known outcome (0 when the report has no outcome).
    pub fn outcomes_known(&self) -> u64 {
        self.tally.outcome.known
    }

    /// Leads added that were rejected.
    pub fn rejected(&self) -> u64 {
        self.tally.rejected
    }

    /// Whether the report has an outcome that tells nothing: leads were
    /// scored, and none of them had a truthy or falsy outcome (the column
    /// is empty, or holds something else; see [`OutcomeValues`]). Fronts
    /// refuse such a backtest with an error.
    pub fn outcome_unknown(&self) -> bool {
        self.outcome.is_some() && self.outcomes_known() == 0 && self.leads() > self.rejected()
    }

    fn context<'a>(&'a self, title: &'a str, top: usize) -> Context<'a> {
        Context {
            agreement: &self.agreement,
            report: &self.tally,
            by: self.by.as_deref(),
            outcome: self.outcome.as_deref(),
            top,
            title,
            roster: self.tally.roster.as_ref(),
        }
    }

    /// The report as text; `top` groups are listed, the rest summed.
    pub fn to_text(&self, title: &str, top: usize) -> String {
        text::text(&self.context(title, top))
    }

    /// The report as JSON.
    pub fn to_json(&self, title: &str, top: usize) -> serde_json::Value {
        json::to_json(&self.context(title, top))
    }

    /// The report as one self-contained HTML page (inline CSS and SVG, no
    /// script, no network).
    pub fn to_html(&self, title: &str, top: usize) -> String {
        html::page(&self.context(title, top))
    }
}
