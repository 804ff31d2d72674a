//! leadgate: lead scoring and routing by a reviewable agreement between
//! sales and marketing.
//!
//! ```
//! let agreement = leadgate::Agreement::compile(r#"
//!   agreement "Demo"
//!   fields { email : text required
//!            size  : number }
//!   score fit { +20 "Mid-market" when size between 50 and 1000 }
//!   route { sales within 1h "Fit" when fit >= 20
//!           nurture otherwise }
//! "#).map_err(|e| e.to_string())?;
//! let opts = leadgate::ScoreOptions::default();
//! let d = agreement.score_json(r#"{"email": "a@b.io", "size": "200"}"#, &opts);
//! assert!(agreement.decision_json(&d).contains(r#""route": "sales""#));
//! # Ok::<(), String>(())
//! ```
//!
//! The pipeline: [`syntax`] (parse) → check → compile → [`bind`] → evaluate → batch.

mod batch;
pub mod bind;
pub mod check;
mod compile;
pub mod decision;
pub mod diagnostic;
mod eval;
mod examples;
pub mod expr;
pub mod format;
pub mod matcher;
pub mod syntax;
pub mod value;

pub use batch::Threads;
pub use bind::{CsvBinder, Lead, LeadBuilder, LeadError, LeadWarning, OnBadValue, Raw};
pub use check::{Field, Model};
pub use compile::Program;
pub use decision::{Decision, Fired, PerScore, Undecided, UnknownRule, Verdict};
pub use diagnostic::{CompileError, Diagnostic, Severity, Span};
pub use examples::ExampleResult;
pub use syntax::ast::{Destination, FieldType};
pub use syntax::limits::MAX_AGREEMENT_BYTES;

/// How leads are scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreOptions {
    /// The evaluation instant, in milliseconds since the Unix epoch (UTC).
    pub as_of_ms: i64,
    pub on_bad_value: OnBadValue,
    /// Build the explanation (`fired`, `unknown`, `undecided`). Scores,
    /// grades and route do not depend on it.
    pub explain: bool,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        ScoreOptions {
            as_of_ms: 0,
            on_bad_value: OnBadValue::Error,
            explain: true,
        }
    }
}

/// Parses an `as_of` date: `2026-11-23` (midnight UTC) or RFC 3339.
pub fn parse_instant(text: &str) -> Option<i64> {
    syntax::parse_date(text.trim())
}

/// The current instant in milliseconds since the epoch (not on wasm32, where
/// the host passes `Date.now()`).
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A compiled agreement. Immutable, `Send + Sync`; share it behind an `Arc`.
#[derive(Debug, Clone)]
pub struct Agreement {
    program: Program,
    warnings: Vec<Diagnostic>,
    /// Byte offsets of line starts, to report example lines.
    line_starts: Vec<usize>,
}

impl Agreement {
    /// Parses, checks and compiles an agreement. On failure, every
    /// diagnostic found (errors and warnings) is in the error.
    pub fn compile(source: &str) -> Result<Agreement, CompileError> {
        let mut sink = diagnostic::Sink::new(source);
        let file = syntax::parse::parse_into(source, &mut sink);
        // Literal errors found while parsing are local: the tree is still
        // checked, so that every error is reported at once.
        let model = match file {
            Some(file) => check::check(&file, &mut sink),
            None => None,
        };
        let program = match model {
            Some(model) if !sink.has_errors() => compile::compile(model, &mut sink),
            _ => {
                let mut diagnostics = sink.items;
                // An unused field or list is most likely a consequence of an error.
                diagnostics.retain(|d| !matches!(d.code, "W0001" | "W0002"));
                diagnostics.sort_by_key(|d| (d.span.start, d.severity == Severity::Warning));
                return Err(CompileError { diagnostics });
            }
        };
        let mut warnings = sink.items;
        warnings.sort_by_key(|d| d.span.start);
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Ok(Agreement {
            program,
            warnings,
            line_starts,
        })
    }

    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// Warnings found while compiling (unused fields, rules that never fire, …).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The checked model: fields, scores, rules, grades, routes.
    pub fn model(&self) -> &Model {
        &self.program.model
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    pub fn name(&self) -> &str {
        &self.program.model.name
    }

    pub fn fields(&self) -> &[Field] {
        &self.program.model.fields
    }

    /// Whether decisions depend on `as_of` (decay, `within`, `days_since`).
    pub fn uses_time(&self) -> bool {
        self.program.model.uses_time
    }

    /// Starts binding a lead value by value (for host objects: dicts, JS objects, Arrow rows).
    pub fn lead_builder(&self, on_bad_value: OnBadValue) -> LeadBuilder<'_> {
        LeadBuilder::new(&self.program, on_bad_value)
    }

    /// Binds one JSON object text.
    pub fn bind_json(&self, text: &str, on_bad_value: OnBadValue) -> Lead {
        bind::bind_json(text, self.lead_builder(on_bad_value))
    }

    /// Maps a CSV header to field slots, once per file.
    pub fn csv_binder(&self, header: &csv::ByteRecord) -> CsvBinder {
        CsvBinder::new(&self.program, header)
    }

    /// Binds one CSV row read with `binder`.
    pub fn bind_csv(
        &self,
        binder: &CsvBinder,
        row: &csv::ByteRecord,
        on_bad_value: OnBadValue,
    ) -> Lead {
        binder.bind(&self.program, row, on_bad_value)
    }

    /// The `id` field's text in a bound lead, if the agreement has one.
    pub fn lead_id(&self, lead: &Lead) -> Option<String> {
        self.shared_id(lead).map(|id| id.to_string())
    }

    fn shared_id(&self, lead: &Lead) -> Option<std::sync::Arc<str>> {
        let slot = self.program.model.id_slot? as usize;
        match lead.values.get(slot) {
            Some(value::Value::Text(t)) => Some(t.shared()),
            _ => None,
        }
    }

    /// Scores a bound lead.
    pub fn decide(&self, index: usize, lead: &Lead, opts: &ScoreOptions) -> Decision {
        let id = self.shared_id(lead);
        let outcome = match lead.error() {
            Some(e) => Err(e.clone()),
            None => Ok(eval::evaluate(
                &self.program,
                lead,
                opts.as_of_ms,
                opts.explain,
            )),
        };
        Decision { index, id, outcome }
    }

    /// Binds and scores one JSON object text.
    pub fn score_json(&self, text: &str, opts: &ScoreOptions) -> Decision {
        let lead = self.bind_json(text, opts.on_bad_value);
        self.decide(0, &lead, opts)
    }

    /// Scores many items in parallel, in order; `bind` turns an item into a lead.
    /// Decision indices start at `first_index`.
    pub fn decide_batch<T, F>(
        &self,
        items: &[T],
        first_index: usize,
        opts: &ScoreOptions,
        threads: &Threads,
        bind: F,
    ) -> Vec<Decision>
    where
        T: Sync,
        F: Fn(&T) -> Lead + Sync + Send,
    {
        threads.map(items, |i, item| {
            let lead = bind(item);
            self.decide(first_index + i, &lead, opts)
        })
    }

    /// The canonical JSON of a decision (SPEC.md), one line.
    pub fn decision_json(&self, d: &Decision) -> String {
        let mut out = String::with_capacity(256);
        decision::write_decision(&mut out, &self.program, d);
        out
    }

    /// Appends the canonical JSON of a decision to `out`.
    pub fn write_decision_json(&self, d: &Decision, out: &mut String) {
        decision::write_decision(out, &self.program, d);
    }

    /// Runs the agreement's `example` blocks.
    pub fn run_examples(&self) -> Vec<ExampleResult> {
        examples::run(self)
    }
}
