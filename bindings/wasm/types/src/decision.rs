//! A lead's decision: the canonical decision JSON of docs/language.md ("The
//! decision"), as JS objects.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

/// Where a scored lead goes: every scored lead gets exactly one destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    Sales,
    Nurture,
    Telemarketing,
}

/// Why a lead was rejected: tell lead errors apart by this, never by their
/// message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum LeadErrorKind {
    /// Not valid JSON (JSON text input).
    InvalidJson,
    /// Not an object (a string, null, an array, a `Date`, a row that is not an array…).
    NotAnObject,
    /// A value that does not fit its field's type.
    BadValue,
    /// A `required` field is missing.
    MissingRequired,
    /// The lead cannot be read at all (a throwing getter, a revoked `Proxy`…).
    Unreadable,
}

/// A score rule that fired, with its signed points before decay and range.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FiredRule {
    pub rule: String,
    pub score: String,
    pub points: f64,
}

/// A score rule that could not be decided, and the fields (by name) it lacked.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct UnknownRule {
    pub rule: String,
    pub score: String,
    pub missing: Vec<String>,
}

/// A route rule passed over because its condition was unknown.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct UndecidedRoute {
    /// The route rule's name; null for an unnamed rule.
    pub rule: Option<String>,
    pub route: Destination,
    pub missing: Vec<String>,
}

/// A note on a scored lead (a bad value read as missing, decay without a date).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct LeadWarning {
    pub field: String,
    pub message: String,
}

/// The decision of a lead that was scored.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ScoredDecision {
    /// The lead's 0-based position in its batch (0 for `score`).
    pub index: usize,
    /// The value of the agreement's `id` field, if the lead gave it.
    pub id: Option<String>,
    pub route: Destination,
    /// The deciding route rule's queue, if it names one.
    pub queue: Option<String>,
    /// The deciding route rule's name; null for an unnamed `otherwise`.
    pub rule: Option<String>,
    /// The agreed follow-up time in seconds (`within`), or null.
    pub follow_up_within_s: Option<i64>,
    /// Every score's value, by name.
    pub scores: HashMap<String, f64>,
    /// The sum of the scores.
    pub total: f64,
    /// Every grade's label, by grade.
    pub grades: HashMap<String, String>,
    /// The score rules that fired, in declaration order (empty with `explain: false`).
    pub fired: Vec<FiredRule>,
    /// The score rules undecided for lack of data (empty with `explain: false`).
    pub unknown: Vec<UnknownRule>,
    /// The route rules passed over as unknown before the deciding one.
    pub undecided: Vec<UndecidedRoute>,
    pub warnings: Vec<LeadWarning>,
}

/// Why a lead was rejected.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct LeadError {
    /// The declared field's name, or null when the record itself is unusable.
    pub field: Option<String>,
    /// Lower-case, without the field's name: `expected a number, got "fifty"`.
    pub message: String,
    /// What kind of error it is. Not part of the canonical JSON: a
    /// non-enumerable property of the decision objects that the scoring
    /// calls and `explain` return (so `JSON.stringify` and deep equality
    /// see the canonical fields only), absent in a diff's `changes`.
    #[tsify(optional)]
    pub kind: Option<LeadErrorKind>,
}

/// A lead that was rejected: it keeps its place, with the reason.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RejectedDecision {
    pub index: usize,
    pub id: Option<String>,
    pub error: LeadError,
}

/// One lead's decision: scored, or rejected with a lead error
/// (`'error' in d` tells them apart).
#[derive(Debug, Deserialize, Tsify)]
#[serde(untagged)]
pub enum Decision {
    Scored(Box<ScoredDecision>),
    Rejected(RejectedDecision),
}
