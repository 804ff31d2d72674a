//! The checked model: every name resolved to an index, every type known.

use crate::diagnostic::Span;
use crate::expr::{Cond, Num};
use crate::syntax::ast::{CmpOp, Destination, FieldType, Literal};

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// The input key or CSV column (`from "…"`, else the name).
    pub key: String,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub enum Points {
    Const(f64),
    Computed(Num),
}

#[derive(Debug, Clone)]
pub struct ScoreRule {
    pub name: String,
    pub score: u32,
    pub negative: bool,
    pub points: Points,
    pub cap: Option<f64>,
    pub when: Cond,
    /// Fields the rule reads (condition and points), in declaration order.
    pub needs: Vec<u32>,
    pub span: Span,
    pub when_span: Option<Span>,
}

#[derive(Debug, Clone, Copy)]
pub struct Decay {
    pub slot: u32,
    pub every_ms: i64,
}

#[derive(Debug, Clone)]
pub struct Score {
    pub name: String,
    /// Indices into `Model::rules`.
    pub rules: Vec<u32>,
    pub range: Option<(f64, f64)>,
    pub decay: Option<Decay>,
}

#[derive(Debug, Clone)]
pub struct GradeLine {
    pub label: u32,
    pub when: Cond,
    pub otherwise: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: String,
    pub labels: Vec<String>,
    pub lines: Vec<GradeLine>,
}

#[derive(Debug, Clone)]
pub struct RouteRule {
    pub destination: Destination,
    pub queue: Option<String>,
    pub within_s: Option<i64>,
    pub name: Option<String>,
    pub when: Cond,
    pub otherwise: bool,
    pub needs: Vec<u32>,
    pub span: Span,
}

#[derive(Debug, Clone)]
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

#[derive(Debug, Clone)]
pub struct Example {
    pub name: String,
    /// Milliseconds since the epoch.
    pub as_of: Option<i64>,
    /// Declared field slot and literal value.
    pub lead: Vec<(u32, Literal)>,
    pub expects: Vec<(Expectation, String)>,
    pub span: Span,
}

#[derive(Debug, Clone)]
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
    /// [`crate::syntax::limits::MAX_REGEX_TOTAL_BYTES`]).
    pub regex_bytes: usize,
}
