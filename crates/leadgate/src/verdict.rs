//! What evaluation finds for one lead, by index into the agreement's model.
//! Internal: the public [`Decision`](crate::Decision) answers by name.

use crate::bind::LeadWarning;

/// Per-score (or per-grade) values of one decision, inline up to eight:
/// most agreements have a handful of scores, so a decision allocates nothing
/// for them.
pub(crate) type PerScore<T> = smallvec::SmallVec<[T; 8]>;

/// A score rule that fired, with its signed points before decay and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fired {
    pub(crate) rule: u32,
    pub(crate) points: f64,
}

/// A score rule that could not be decided, and the fields it lacked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnknownRule {
    pub(crate) rule: u32,
    pub(crate) missing: Vec<u32>,
}

/// A route rule passed over because its condition was unknown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Undecided {
    pub(crate) route: u32,
    pub(crate) missing: Vec<u32>,
}

/// The outcome for a lead that was scored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verdict {
    /// Index of the route rule that decided.
    pub(crate) route: u32,
    /// One per score, in declaration order.
    pub(crate) scores: PerScore<f64>,
    /// `potential(score)` for each score.
    pub(crate) potentials: PerScore<f64>,
    pub(crate) total: f64,
    /// Label index per grade.
    pub(crate) grades: PerScore<u32>,
    pub(crate) fired: Vec<Fired>,
    pub(crate) unknown: Vec<UnknownRule>,
    pub(crate) undecided: Vec<Undecided>,
    pub(crate) warnings: Vec<LeadWarning>,
    /// Per score: whether its decay date was missing (so no decay applied).
    pub(crate) decay_skipped: PerScore<bool>,
}
