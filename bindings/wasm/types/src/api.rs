//! What the calls take (leads, rows, options) and what the binding itself
//! builds (fields, check reports, compile errors, column checks).

use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

/// The values a lead's keys may hold (others reject the lead, in place).
#[derive(Tsify)]
#[tsify(
    type = "string | number | boolean | bigint | Date | null | undefined | ReadonlyArray<string | number | boolean | null>"
)]
pub struct LeadValue;

/// A lead record with typed values: a plain object keyed by the agreement's input keys.
#[derive(Tsify)]
#[tsify(type = "{ readonly [key: string]: LeadValue }")]
pub struct LeadRecord;

/// What `score` accepts: a plain object (its own enumerable keys are read,
/// as `JSON.stringify` would) or a `Map`. Keys the agreement does not
/// declare are ignored. Any object type is accepted, so interfaces need no
/// index signature.
#[derive(Tsify)]
#[tsify(type = "LeadRecord | ReadonlyMap<string, unknown> | object")]
pub struct LeadInput;

/// One row of `scoreRows`: its cells, in the order of the header's columns
/// (as spreadsheet libraries give rows, e.g. SheetJS's `sheet_to_json` with
/// `header: 1`). Missing cells at the end are missing values.
#[derive(Tsify)]
#[tsify(type = "ReadonlyArray<LeadValue>")]
pub struct Row;

/// How leads are scored: the `options` of every scoring call.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ScoreOptions {
    /// The evaluation instant: `"2026-11-23"`, RFC 3339, a `Date`, or ms since the epoch. Default: `Date.now()`.
    #[tsify(optional, type = "string | Date | number")]
    pub as_of: Option<String>,
    /// `"error"` (default): a bad value rejects the lead. `"missing"`: read it as missing, with a warning.
    #[tsify(optional, type = "\"error\" | \"missing\"")]
    pub on_bad_value: Option<String>,
    /// Build `fired`, `unknown` and `undecided` (default true). Scores and route do not depend on it.
    #[tsify(optional)]
    pub explain: Option<bool>,
}

/// The roster options of the scoring calls (node build; docs/rosters.md).
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RosterOptions {
    /// Assign each scored lead to a person of this roster, in input order.
    #[tsify(optional, type = "Roster")]
    pub roster: Option<()>,
    /// The key of each lead's arrival (a date, a local date-time in the roster's time zone, RFC 3339, or a
    /// `Date`): the lead is scored and assigned as of it. Empty or missing: as of `asOf` if given, else a lead error.
    #[tsify(optional)]
    pub as_of_column: Option<String>,
    /// Leads people have taken already on a day, counted against `per_day`.
    #[tsify(optional, type = "ReadonlyArray<LoadCount>")]
    pub load: Option<()>,
}

/// Leads a person has taken already on a day.
#[derive(Tsify)]
pub struct LoadCount {
    pub person: String,
    /// YYYY-MM-DD, in the person's time zone.
    pub date: String,
    pub count: u32,
}

/// The options of `scoreRows`.
#[derive(Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RowsOptions {
    #[serde(flatten)]
    pub score: ScoreOptions,
    /// Score even when the header has no column for some declared fields
    /// (they are missing in every row), with a console warning; without
    /// it that throws a `MissingColumnsError`.
    #[tsify(optional)]
    pub allow_missing_columns: Option<bool>,
}

/// One declared field that no column provides.
#[derive(Serialize, Tsify)]
pub struct MissingColumn<'a> {
    /// The field's name in the agreement.
    pub field: &'a str,
    /// The input key (column) the field reads.
    pub key: &'a str,
    /// The closest existing column, if one is close ("did you mean").
    pub suggestion: Option<&'a str>,
}

/// What `checkColumns` finds: every declared field whose input key no
/// column provides, and the message saying so (null when none is missing).
#[derive(Serialize, Tsify)]
pub struct ColumnCheck<'a> {
    pub missing: Vec<MissingColumn<'a>>,
    pub message: Option<String>,
}

/// A field's type in the agreement.
#[derive(Debug, Deserialize, Tsify)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Number,
    Bool,
    Date,
    List,
}

/// A declared field: what a form must collect, under which key (the
/// core's `FieldInfo`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct FieldInfo {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// The input key read from a lead (`from "…"`, else the name).
    pub key: String,
    pub required: bool,
    /// Whether it is the lead's identifier (`id`).
    pub id: bool,
}

/// A compile error or warning, with its 1-based line and column (in
/// characters): the core's `Diagnostic` with its rendering.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct DiagnosticInfo {
    /// `E0001`… for errors, `W0001`… for warnings.
    pub code: String,
    #[tsify(type = "\"error\" | \"warning\"")]
    pub severity: String,
    pub message: String,
    /// Where it is, in bytes of the agreement's UTF-8 text (`line` and
    /// `column` say it for people).
    pub span: crate::Span,
    pub line: usize,
    pub column: usize,
    /// A suggestion ("did you mean `title`?").
    pub help: Option<String>,
    /// The diagnostic shown with its source line and a caret.
    pub rendered: String,
}

/// An `example` block of the agreement, run.
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ExampleInfo {
    pub name: String,
    pub line: usize,
    pub passed: bool,
    /// One line per failed expectation: what was expected, what came out.
    pub failures: Vec<String>,
}

/// The result of `check()`: warnings and the agreement's own examples (the
/// core's `CheckReport`).
#[derive(Debug, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    /// What `leadgate check` prints for the agreement (its analysis notes
    /// aside): a line per example, then a summary.
    pub text: String,
    /// True when every example passed (warnings do not fail a check).
    pub ok: bool,
    pub warnings: Vec<DiagnosticInfo>,
    pub examples: Vec<ExampleInfo>,
}

/// Thrown by `compile`: an `Error` whose `message` shows every diagnostic
/// with its source line and a caret, and whose `diagnostics` lists them.
#[derive(Tsify)]
pub struct CompileError<'a> {
    #[serde(flatten)]
    pub error: Error,
    #[tsify(type = "\"CompileError\"")]
    pub name: &'a str,
    pub diagnostics: Vec<DiagnosticInfo>,
}

/// Thrown by `scoreRows` when the header has no column for some declared
/// fields (unless `allowMissingColumns`): the `message` names each one and
/// the closest column.
#[derive(Tsify)]
pub struct MissingColumnsError<'a> {
    #[serde(flatten)]
    pub error: Error,
    #[tsify(type = "\"MissingColumnsError\"")]
    pub name: &'a str,
    pub missing: Vec<MissingColumn<'a>>,
}

/// JS's `Error`, which the thrown errors above extend (not declared here:
/// the name is what the declarations refer to).
pub struct Error;
