//! The checked model: every name resolved to an index, every type known.

use crate::diagnostic::Span;
use crate::expr::{Cond, Num};
use crate::syntax::ast::{CmpOp, Destination, FieldType, Literal};

/// A declared field: its name, type and the input key it reads.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Whether it is the `id` field (set by the model).
    pub(crate) is_id: bool,
    pub(crate) name: String,
    pub(crate) ty: FieldType,
    pub(crate) required: bool,
    /// The input key or CSV column (`from "…"`, else the name).
    pub(crate) key: String,
    pub(crate) span: Span,
    pub(crate) name_span: Span,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Points {
    Const(f64),
    Computed(Num),
}

/// A score rule (`+20 "Decision maker" when …`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScoreRule {
    pub(crate) name: String,
    pub(crate) score: u32,
    pub(crate) negative: bool,
    pub(crate) points: Points,
    pub(crate) cap: Option<f64>,
    pub(crate) when: Cond,
    /// Fields the rule reads (condition and points), in declaration order.
    pub(crate) needs: Vec<u32>,
    pub(crate) span: Span,
    pub(crate) when_span: Option<Span>,
}

#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Decay {
    pub slot: u32,
    pub every_ms: i64,
}

/// A score: its rules, range and decay.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Score {
    pub(crate) name: String,
    /// Indices into `Model::rules`.
    pub(crate) rules: Vec<u32>,
    pub(crate) range: Option<(f64, f64)>,
    pub(crate) decay: Option<Decay>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GradeLine {
    pub label: u32,
    pub when: Cond,
    pub otherwise: bool,
    pub span: Span,
}

/// A grade: labels given by the first matching line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Grade {
    pub(crate) name: String,
    pub(crate) labels: Vec<String>,
    pub(crate) lines: Vec<GradeLine>,
}

/// A route rule: where a lead goes, and when.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RouteRule {
    pub(crate) destination: Destination,
    pub(crate) queue: Option<String>,
    pub(crate) within_s: Option<i64>,
    pub(crate) name: Option<String>,
    pub(crate) when: Cond,
    pub(crate) otherwise: bool,
    pub(crate) needs: Vec<u32>,
    pub(crate) span: Span,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Expectation {
    Route(Destination),
    Queue(String),
    Fired(String),
    NotFired(String),
    Grade {
        grade: u32,
        label: u32,
    },
    /// `None` score means `total`.
    Score {
        score: Option<u32>,
        op: CmpOp,
        value: f64,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub name: String,
    /// Milliseconds since the epoch.
    pub as_of: Option<i64>,
    /// Declared field slot and literal value.
    pub lead: Vec<(u32, Literal)>,
    pub expects: Vec<(Expectation, String, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Model {
    pub name: String,
    pub version: Option<String>,
    pub fields: Vec<Field>,
    pub id_slot: Option<u32>,
    pub scores: Vec<Score>,
    pub rules: Vec<ScoreRule>,
    pub grades: Vec<Grade>,
    pub routes: Vec<RouteRule>,
    pub examples: Vec<Example>,
    /// Whether any rule depends on `as_of` (decay, `within`, `days_since`).
    pub uses_time: bool,
    /// Memory of the compiled regexes, in bytes (at most
    /// [`crate::syntax::limits::MAX_REGEX_TOTAL_BYTES`]). Not stored with a
    /// compiled agreement: it depends on the build (the regex crate's
    /// features), and is counted again when the regexes are rebuilt.
    #[serde(skip)]
    pub regex_bytes: usize,
}

impl Field {
    /// The field's name in the agreement.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The declared type.
    pub fn field_type(&self) -> FieldType {
        self.ty
    }
    /// Whether a lead without it is rejected.
    pub fn is_required(&self) -> bool {
        self.required
    }
    /// Whether it is the agreement's `id` field (its value is the
    /// decision's `id`).
    pub fn is_id(&self) -> bool {
        self.is_id
    }
    /// The input key or CSV column it reads (`from "…"`, else its name).
    pub fn key(&self) -> &str {
        &self.key
    }
    /// Where it is declared in the agreement text.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl Score {
    /// The score's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// `range LOW to HIGH`, if given.
    pub fn range(&self) -> Option<(f64, f64)> {
        self.range
    }
    /// The positions of its rules in [`Agreement::rules`](crate::Agreement::rules).
    pub fn rule_indices(&self) -> &[u32] {
        &self.rules
    }
}

impl ScoreRule {
    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The position of its score in [`Agreement::scores`](crate::Agreement::scores).
    pub fn score_index(&self) -> usize {
        self.score as usize
    }
    /// Its points when they are a constant (signed), `None` when computed.
    pub fn points(&self) -> Option<f64> {
        match self.points {
            Points::Const(p) => Some(if self.negative { -p } else { p }),
            Points::Computed(_) => None,
        }
    }
    /// Where it is written in the agreement text.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl Grade {
    /// The grade's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its labels, in the order of their lines.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
}

impl RouteRule {
    /// Where the rule sends a lead.
    pub fn destination(&self) -> Destination {
        self.destination
    }
    /// The queue it names, if any.
    pub fn queue(&self) -> Option<&str> {
        self.queue.as_deref()
    }
    /// The rule's name (`None` for an unnamed rule).
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// The agreed follow-up time in seconds (`within`), if any.
    pub fn within_s(&self) -> Option<i64> {
        self.within_s
    }
    /// Whether it is the `otherwise` rule.
    pub fn is_otherwise(&self) -> bool {
        self.otherwise
    }
    /// Where it is written in the agreement text.
    pub fn span(&self) -> Span {
        self.span
    }
}
