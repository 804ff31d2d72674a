//! The shapes leadgate's WebAssembly package hands to JS and takes from it,
//! declared once, in Rust: `#[derive(Tsify)]` generates each one's
//! TypeScript declaration into the wasm module, and wasm-bindgen writes them
//! into the package's `.d.ts`.
//!
//! The values the binding makes itself (`FieldInfo`, `CheckReport`, …) are
//! serialised from these types, so they are what is declared. The shapes
//! the core writes (decisions, explanations, reports, diffs) are read back
//! into these types, field for field (`deny_unknown_fields`), by
//! `tests/shapes.rs`: the conformance corpus and the example agreements.
//! The options are read by hand in the binding (every JS value must be
//! inspected without letting an exception through); their types here only
//! declare them.

mod analysis;
mod analyze;
mod api;
mod decision;

pub use analysis::*;
pub use analyze::*;
pub use api::*;
pub use decision::*;

#[doc(hidden)]
pub use tsify::Tsify;
#[doc(hidden)]
pub use wasm_bindgen as __wasm_bindgen;

/// Writes the declarations of every type here into the calling crate's
/// wasm module (the binding calls it once), from where wasm-bindgen puts
/// them in the `.d.ts`. `#[derive(Tsify)]` writes each one into this
/// crate's object too, but the link leaves that object out: nothing in it
/// is called (serialising happens in the caller's code).
#[macro_export]
macro_rules! declarations {
    () => {
        $crate::declarations!(
            Destination, LeadErrorKind, FiredRule, UnknownRule, UndecidedRoute, LeadWarning,
            ScoredDecision, LeadError, RejectedDecision, Decision,
            LeadValue, LeadRecord, LeadInput, Row, ScoreOptions, RowsOptions,
            MissingColumn<'static>, ColumnCheck<'static>, FieldType, FieldInfo,
            DiagnosticInfo, ExampleInfo, CheckReport,
            CompileError<'static>, MissingColumnsError<'static>,
            FieldRef, Worth, RuleFired, RuleUndecided, DecayExplained, RangeClamp,
            ScoreExplained, GradeExplained, RouteStatus, RouteExplained, Explanation,
            ReportOptions, OutcomeStats, RouteCount, QueueCount, RouteRuleCount, LabelCount,
            GradeCount, ScoreDistribution, RuleCount, DataGap, RejectionCount, PerRoute<u64>,
            GroupCount, Decile, Calibration, Backtest, Report,
            DiffOptions, DiffState, MatrixRow, RuleTransition, RuleEdit, RuleChange,
            ExplainedBy, ChangedLead, Diff,
            Span, Subject, Evidence, Finding, WitnessValue, Witness, Reach, RouteReach,
            Undecided, Analysis, RuleRef, Region, SymbolicDiff
        );
        // The roster options name the class `Roster`, which only a build
        // with the binding's feature `rosters` (the node build) has.
        #[cfg(feature = "rosters")]
        $crate::declarations!(RosterOptions, LoadCount);
    };
    ($($t:ty),* $(,)?) => {
        $(const _: () = {
            use $crate::__wasm_bindgen::prelude::wasm_bindgen;
            use $crate::*;
            #[wasm_bindgen(typescript_custom_section)]
            const DECLARATION: &'static str = <$t as $crate::Tsify>::DECL;
        };)*
    };
}
