//! What `analyze` and `symbolicDiff` return: the core's `Analysis` and
//! `SymbolicDiff` (docs/analysis.md), as the JSON they serialise to.

use serde::Deserialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

use crate::decision::Destination;

/// A byte range of the agreement text (`end` one past the last byte).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// What a finding (or an undecided item) is about.
#[derive(Debug, Deserialize, Tsify)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Subject {
    RouteRule { index: usize, name: Option<String> },
    ScoreRule { index: usize, name: String },
    GradeLabel { grade: String, label: String },
    Destination { destination: Destination },
    PotentialTest { score: String, test: String },
}

/// Why a finding holds.
#[derive(Debug, Deserialize, Tsify)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Evidence {
    /// The condition is true for no lead.
    ConditionNeverTrue,
    /// Every lead it matches is taken by these earlier route rules.
    TakenByEarlierRules { rules: Vec<String> },
    /// Every route rule of the destination (these) is unreachable.
    NoReachableRule { rules: Vec<String> },
    /// No `+` rule of the score can be unknown.
    PotentialEqualsScore,
    /// Potential and score differ, never across the test's value.
    NeverAcrossValue,
}

/// A proven finding: a warning W0007 … W0011 with where and why.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub code: String,
    pub message: String,
    pub span: Span,
    pub line: usize,
    pub column: usize,
    pub subject: Subject,
    pub evidence: Evidence,
}

/// One value of a witness lead: the field, the input key it is read from, the value.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct WitnessValue {
    pub field: String,
    pub key: String,
    #[tsify(type = "string | number | boolean | string[]")]
    pub value: WitnessJson,
}

/// A witness value as the core writes it (a JSON scalar or list of texts).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum WitnessJson {
    Text(String),
    Number(f64),
    Bool(bool),
    List(Vec<String>),
}

/// A lead that reaches a route rule, verified by scoring it at `as_of`.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Witness {
    /// Its values, in field declaration order (missing fields left out).
    pub values: Vec<WitnessValue>,
    pub as_of: String,
    /// `[score, value]`, in declaration order.
    pub scores: Vec<(String, f64)>,
    /// `[grade, label]`, in declaration order.
    pub grades: Vec<(String, String)>,
}

/// Whether a route rule can be reached.
#[derive(Debug, Deserialize, Tsify)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reach {
    Reachable { witness: Witness },
    Unreachable,
    Undecided { reason: String },
}

/// A route rule and whether a lead can reach it.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RouteReach {
    pub index: usize,
    pub name: Option<String>,
    pub destination: Destination,
    pub queue: Option<String>,
    pub reach: Reach,
}

/// Something the analysis could neither prove impossible nor witness.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Undecided {
    pub subject: Subject,
    pub reason: String,
    pub line: usize,
}

/// What `analyze` returns: the core's `Analysis`.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Analysis {
    /// Proven findings, in source order.
    pub findings: Vec<Finding>,
    /// Every route rule, in order, with a witness lead when reachable.
    pub routes: Vec<RouteReach>,
    /// What it could not decide, in source order.
    pub undecided: Vec<Undecided>,
}

/// A route rule of one side of a symbolic diff.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RuleRef {
    pub index: usize,
    pub name: Option<String>,
    pub destination: Destination,
    pub queue: Option<String>,
}

/// Leads the old agreement decides by `old` and the new one by `new`, to another destination.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub old: RuleRef,
    pub new: RuleRef,
    /// What its leads share, readable (score ranges, grade labels).
    pub condition: String,
    /// A lead of the region, confirmed by scoring it with both agreements.
    pub witness: Vec<WitnessValue>,
    /// How many searched leads fell in it.
    pub leads: usize,
}

/// What `symbolicDiff` returns: the core's `SymbolicDiff`, with its text.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct SymbolicDiff {
    /// What `leadgate diff OLD NEW` prints.
    pub text: String,
    pub regions: Vec<Region>,
    pub leads_searched: usize,
    pub as_of: String,
}
