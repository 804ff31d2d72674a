//! What `explain`, `report` and `diff` return: the core's explanation,
//! report and diff, as data (the JSON `leadgate` prints with `--format
//! json`) and as the text (and HTML page) every front shows.

use std::collections::HashMap;

use serde::Deserialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::decision::{Decision, Destination};

/// A declared field, by name and by the input key it reads.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FieldRef {
    pub name: String,
    pub key: String,
}

/// What an undecided score rule would add if it fired: constant points, a
/// cap (`up to`), or computed points without a cap.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum Worth {
    Points(f64),
    UpTo(f64),
    Computed,
}

/// A score rule that fired: its signed points before decay and range.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RuleFired {
    pub rule: String,
    pub points: f64,
}

/// A score rule undecided for lack of data.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RuleUndecided {
    pub rule: String,
    pub missing: Vec<FieldRef>,
    pub worth: Worth,
}

/// A score's decay (`halve every … since …`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DecayExplained {
    /// The date field it counts from.
    pub field: String,
    /// The date field is missing: no decay applied.
    pub skipped: bool,
    /// The fired points before decay.
    pub raw: Option<f64>,
    pub factor: Option<f64>,
    pub age_days: Option<f64>,
    pub halves_every_s: i64,
}

/// A score clamped to its range.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RangeClamp {
    pub low: f64,
    pub high: f64,
    pub raw: f64,
    pub clamped_to: f64,
}

/// A score of the explanation.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ScoreExplained {
    pub name: String,
    pub value: f64,
    /// The value if every undecided rule fired.
    pub potential: f64,
    pub fired: Vec<RuleFired>,
    pub undecided: Vec<RuleUndecided>,
    pub decay: Option<DecayExplained>,
    pub range: Option<RangeClamp>,
}

/// A grade's label, and the grade line that gave it.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GradeExplained {
    pub name: String,
    pub label: String,
    /// 1-based position of the line that gave the label among the grade's lines.
    pub line: usize,
    pub lines: usize,
    pub condition: String,
}

/// How a route rule fared: the first true one decides.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum RouteStatus {
    False,
    Undecided,
    Matched,
    NotTried,
}

/// A route rule, in order.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RouteExplained {
    /// 1-based.
    pub position: usize,
    pub status: RouteStatus,
    pub destination: Destination,
    pub queue: Option<String>,
    pub name: Option<String>,
    pub within_s: Option<i64>,
    /// The rule's text in the agreement.
    pub rule: String,
    /// For an undecided rule, the fields it lacked.
    pub missing: Vec<FieldRef>,
}

/// `agreement.explain(lead)`: one lead's decision explained for a person.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The explanation as text, line for line what `leadgate explain` prints.
    pub text: String,
    pub agreement: String,
    pub version: Option<String>,
    /// The instant the lead was scored at, RFC 3339 in UTC.
    pub as_of: String,
    pub decision: Decision,
    /// Every score (absent for a rejected lead).
    #[tsify(optional)]
    pub scores: Option<Vec<ScoreExplained>>,
    /// Every grade (absent for a rejected lead).
    #[tsify(optional)]
    pub grades: Option<Vec<GradeExplained>>,
    /// Every route rule, in order (absent for a rejected lead).
    #[tsify(optional)]
    pub routes: Option<Vec<RouteExplained>>,
}

/// The options of `report`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ReportOptions {
    #[serde(flatten)]
    pub score: crate::ScoreOptions,
    /// Break the route mix down by this key of the leads (a field's name
    /// reads the field's input key); it need not be a declared field.
    #[tsify(optional)]
    pub by: Option<String>,
    /// A truthy/falsy outcome key (1/0, true/false, yes/no) for a backtest
    /// (a field's name reads the field's input key).
    #[tsify(optional)]
    pub outcome: Option<String>,
    /// The report's title (text and HTML). Default: the agreement's name.
    #[tsify(optional)]
    pub title: Option<String>,
    /// How many `by` groups to list, largest first (default 20).
    #[tsify(optional)]
    pub top: Option<u32>,
}

/// Conversion against the outcome (null in a report without `outcome`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct OutcomeStats {
    pub converted: u64,
    pub known: u64,
    pub rate: Option<f64>,
    /// The Wilson score interval of the rate at 95% confidence.
    pub ci95: Option<[f64; 2]>,
    /// Too few leads with a known outcome to judge the rate by.
    pub too_small: bool,
    /// The rate against the rate of all leads.
    pub lift: Option<f64>,
}

/// Scored leads that went to a destination.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RouteCount {
    pub route: Destination,
    pub leads: u64,
    /// Of the scored leads; null when none was scored.
    pub share: Option<f64>,
    pub outcome: Option<OutcomeStats>,
}

/// Scored leads that went to a queue (`sales/emea`, `nurture (no queue)`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct QueueCount {
    pub queue: String,
    pub leads: u64,
    pub share: Option<f64>,
    pub outcome: Option<OutcomeStats>,
}

/// Scored leads a route rule decided, and leads it was undecided for.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RouteRuleCount {
    pub index: usize,
    pub rule: Option<String>,
    pub route: Destination,
    pub queue: Option<String>,
    pub leads: u64,
    pub share: Option<f64>,
    pub undecided: u64,
    pub outcome: Option<OutcomeStats>,
}

/// Scored leads per label of a grade.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct LabelCount {
    pub label: String,
    pub leads: u64,
    pub share: Option<f64>,
    pub outcome: Option<OutcomeStats>,
}

/// A grade's labels, counted.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GradeCount {
    pub grade: String,
    pub labels: Vec<LabelCount>,
}

/// A score's distribution over the scored leads (the last one is `total`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ScoreDistribution {
    pub score: String,
    pub min: Option<f64>,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    /// Whether the quantiles are exact (else within `relative_error`).
    pub exact: bool,
    pub relative_error: Option<f64>,
}

/// How often a score rule fired, and was undecided.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RuleCount {
    pub rule: String,
    pub score: String,
    pub fired: u64,
    pub undecided: u64,
}

/// Leads with a score rule undecided for lack of a field.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DataGap {
    pub field: String,
    pub key: String,
    pub leads: u64,
}

/// Rejected leads by reason (`field: kind`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RejectionCount {
    pub reason: String,
    pub leads: u64,
}

/// A number per destination.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct PerRoute<T> {
    pub sales: T,
    pub telemarketing: T,
    pub nurture: T,
}

/// The leads of one `by` group.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct GroupCount {
    pub group: String,
    pub leads: u64,
    pub rejected: u64,
    pub routes: PerRoute<u64>,
    pub shares: PerRoute<Option<f64>>,
    pub outcome: Option<OutcomeStats>,
}

/// Conversion per decile of a score.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Decile {
    pub decile: u32,
    pub min: f64,
    pub max: f64,
    pub leads: u64,
    pub outcome: Option<OutcomeStats>,
}

/// A score's calibration against the outcome.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    pub score: String,
    pub exact: bool,
    pub deciles: Vec<Decile>,
}

/// The backtest against the outcome.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Backtest {
    /// The outcome key.
    pub column: String,
    pub converted: u64,
    pub known: u64,
    pub rate: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    /// Leads whose outcome value is neither truthy nor falsy (or missing).
    pub unknown_outcome: u64,
    pub sales_precision: Option<f64>,
    pub sales_recall: Option<f64>,
    pub calibration: Vec<Calibration>,
    pub min_known_to_judge: u64,
}

/// `agreement.report(leads)`: the funnel of the leads (what `leadgate
/// report --format json` prints), with its text and its HTML page.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The report as text, what `leadgate report` prints.
    pub text: String,
    /// The report as one self-contained HTML page (inline CSS and SVG, no script).
    pub html: String,
    pub agreement: String,
    pub version: Option<String>,
    pub leads: u64,
    pub scored: u64,
    pub rejected: u64,
    pub routes: Vec<RouteCount>,
    pub queues: Vec<QueueCount>,
    pub route_rules: Vec<RouteRuleCount>,
    pub grades: Vec<GradeCount>,
    pub scores: Vec<ScoreDistribution>,
    pub rules: Vec<RuleCount>,
    pub data_gaps: Vec<DataGap>,
    pub rejections: Vec<RejectionCount>,
    pub by: Option<String>,
    pub groups: Option<Vec<GroupCount>>,
    pub backtest: Option<Backtest>,
}

/// The options of `diff`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DiffOptions {
    #[serde(flatten)]
    pub score: crate::ScoreOptions,
    /// List up to this many leads that change route or queue, with both decisions (default 0).
    #[tsify(optional)]
    pub changes: Option<u32>,
    /// The names the text shows for the agreement in force, the proposed one,
    /// and the leads. Default: the agreements' names, and "leads".
    #[tsify(optional)]
    pub old_name: Option<String>,
    #[tsify(optional)]
    pub new_name: Option<String>,
    #[tsify(optional)]
    pub input_name: Option<String>,
}

/// A lead's state in a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum DiffState {
    Sales,
    Telemarketing,
    Nurture,
    Rejected,
}

/// A row of the transition matrix: leads in state `old` under the agreement
/// in force, by state under the proposed one.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct MatrixRow {
    pub old: DiffState,
    pub new: HashMap<DiffState, u64>,
}

/// Leads that moved from one route rule to another.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RuleTransition {
    pub old_rule: String,
    pub new_rule: String,
    pub leads: u64,
}

/// How a rule's text changed between the two agreements.
#[derive(Debug, Clone, Copy, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum RuleEdit {
    Removed,
    Edited,
    Added,
}

/// How a score rule differs for a moved lead.
#[derive(Debug, Deserialize, Tsify)]
pub enum RuleChange {
    #[serde(rename = "now fires")]
    NowFires,
    #[serde(rename = "no longer fires")]
    NoLongerFires,
    #[serde(rename = "points changed")]
    PointsChanged,
}

/// A score rule that explains moved leads.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ExplainedBy {
    pub rule: String,
    pub change: RuleChange,
    pub moved_leads: u64,
    pub edited: Option<RuleEdit>,
}

/// A lead that changed route or queue, with both decisions.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ChangedLead {
    pub index: usize,
    pub id: Option<String>,
    pub old: Decision,
    pub new: Decision,
}

/// `agreement.diff(proposed, leads)`: the agreement in force against a
/// proposed one over the same leads (what `leadgate diff --format json`
/// prints), with its text.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Diff {
    /// The diff as text, what `leadgate diff` prints.
    pub text: String,
    pub leads: u64,
    /// Leads that change destination.
    pub moved: u64,
    /// Leads with the same destination but another queue.
    pub requeued: u64,
    /// Leads rejected by either agreement.
    pub rejected: u64,
    pub matrix: Vec<MatrixRow>,
    pub route_rule_transitions: Vec<RuleTransition>,
    pub explained_by: Vec<ExplainedBy>,
    /// Rules (score and route, and grades as `grade NAME`) whose text differs, by name.
    pub edited_rules: HashMap<String, RuleEdit>,
    /// Up to `changes` leads that change route or queue.
    pub changes: Vec<ChangedLead>,
}
