//! leadgate: lead scoring and routing by a reviewable agreement between
//! sales and marketing.
//!
//! An agreement (the language is described in `docs/language.md`) is
//! compiled once into an [`Agreement`]; each lead is scored into a
//! [`Decision`] that says where it goes — sales, nurture or telemarketing —
//! and why, by name.
//!
//! ```
//! use leadgate::{Agreement, Destination, ScoreOptions, Timestamp};
//!
//! let agreement = Agreement::compile(r#"
//!   agreement "Demo"
//!   fields { email : text required
//!            size  : number }
//!   score fit { +20 "Mid-market" when size between 50 and 1000 }
//!   route { sales within 1h "Fit" when fit >= 20
//!           nurture otherwise }
//! "#)?;
//! let opts = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap());
//! let d = agreement.score_json(r#"{"email": "a@b.io", "size": "200"}"#, &opts);
//! assert_eq!(d.route(), Some(Destination::Sales));
//! assert_eq!(d.to_json(), leadgate::to_canonical_json(&d).unwrap());
//! # Ok::<(), leadgate::CompileError>(())
//! ```
//!
//! Inside, data flows one way: parse → check → compile → bind → evaluate →
//! batch; none of those stages is public. Hosts bind their own objects with
//! a [`LeadBuilder`] and [`Raw`] values, so every front reads a value the
//! same way.
#![deny(missing_docs)]

mod agreement;
mod analysis;
#[cfg(feature = "arrow")]
pub mod arrow;
mod assign;
mod automaton;
mod batch;
mod bind;
mod bug;
mod canonical;
mod check;
mod checked;
mod columns;
mod compile;
mod compiled;
mod dates;
// Only the form runtime reads numbers with it; the tests compare it with std.
#[cfg(any(test, feature = "compact-floats"))]
mod decimal;
mod decision;
mod diagnostic;
mod diff;
mod eval;
mod examples;
mod explain;
mod expr;
mod format;
mod info;
mod matcher;
mod misnamed;
mod options;
mod pieces;
mod pipeline;
mod present;
mod read;
mod report;
mod roster;
mod rows;
mod run;
mod schema;
mod serial;
mod staffing;
mod stored;
mod syntax;
mod valid;
mod value;
mod verdict;

/// The limits every agreement is held to (each broken limit is a located
/// `E0017`), documented in `docs/language.md`.
pub mod limits {
    pub use crate::batch::MAX_THREADS;
    pub use crate::roster::MAX_ROSTER_BYTES;
    pub use crate::stored::MAX_COMPILED_BYTES;
    pub use crate::syntax::limits::{
        MAX_AGREEMENT_BYTES, MAX_EXPR_DEPTH, MAX_NESTING, MAX_PREFIX_RUN, MAX_REGEX_BYTES,
        MAX_REGEX_TOTAL_BYTES,
    };
}

pub use agreement::Agreement;
pub use analysis::{
    Analysis, AnalysisOptions, Evidence, Finding, Reach, Region, RouteReach, RuleRef, Subject,
    SymbolicDiff, Undecided, Witness, WitnessValue,
};
pub use assign::{Arrival, Assigner};
pub use batch::Threads;
pub use bind::{
    CsvBinder, CsvRow, Lead, LeadBuilder, LeadError, LeadErrorKind, LeadWarning, LeadWarningKind,
    OnBadValue, Raw,
};
pub use bug::internal_error;
pub use check::{Field, Grade, RouteRule, Score, ScoreRule};
pub use checked::CheckReport;
pub use columns::{Cell, ColumnType, DecisionColumn, DecisionColumns, DuplicateColumn};
pub use decision::{to_canonical_json, Decision, FiredRule, UndecidedRoute, UnknownRule};
pub use diagnostic::{line_of, Code, CompileError, Diagnostic, RenderedDiagnostic, Severity, Span};
pub use diff::{Diff, DiffNames};
pub use examples::{ExampleFailure, ExampleResult};
pub use explain::Explanation;
pub use format::{format, is_formatted, FormatError};
pub use info::{AgreementInfo, FieldInfo, RouteInfo};
pub use misnamed::{MisnamedKey, MisnamedKeys};
pub use options::{ScoreOptions, Timestamp};
pub use pieces::DecisionPieces;
pub use pipeline::{pipeline, Waiting};
pub use read::{read_agreement, read_agreement_file, AgreementFile, ReadError};
pub use report::{parse_outcome, OutcomeValues, Report, StateError};
pub use roster::{
    read_instant, Assignment, Load, Roster, RosterDiagnostic, RosterError, Unassigned,
};
pub use rows::OwnedRows;
pub use run::{cell_text, BatchKeys, BatchRun, Part, ReportColumns, Rows};
pub use schema::{MissingColumn, MissingColumns};
pub use staffing::Staffing;
pub use stored::{LoadError, FORMAT_VERSION, MAGIC};
pub use syntax::ast::{Destination, FieldType};
pub use value::format_number;
