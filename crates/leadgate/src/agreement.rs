//! The compiled agreement: the one door to everything the core does.

use std::sync::Arc;

use crate::batch::Threads;
use crate::bind::{self, CsvBinder, CsvRow, Lead, LeadBuilder, OnBadValue};
use crate::check::{Field, Grade, Model, RouteRule, Score, ScoreRule};
use crate::compile::Program;
use crate::compiled::Compiled;
use crate::decision::Decision;
use crate::diagnostic::{self, CompileError, Diagnostic, Severity};
use crate::examples::{self, ExampleResult};
use crate::explain::Explanation;
use crate::options::ScoreOptions;
use crate::schema::MissingColumns;

/// A compiled agreement. Immutable, `Send + Sync` and cheap to clone (the
/// compiled program is shared): compile once, score from every thread.
///
/// ```
/// let agreement = leadgate::Agreement::compile(r#"
///   agreement "Demo" version "1"
///   fields { email : text required
///            size  : number }
///   score fit { +20 "Mid-market" when size between 50 and 1000 }
///   route { sales within 1h "Fit" when fit >= 20
///           nurture otherwise }
/// "#)?;
/// assert_eq!(agreement.name(), "Demo");
/// assert!(!agreement.uses_time());
/// let opts = leadgate::ScoreOptions::now();
/// let d = agreement.score_json(r#"{"email": "a@b.io", "size": 20}"#, &opts);
/// assert_eq!(d.route(), Some(leadgate::Destination::Nurture));
/// # Ok::<(), leadgate::CompileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Agreement {
    inner: Arc<Compiled>,
}

impl Agreement {
    /// Parses, checks and compiles an agreement. On failure, every
    /// diagnostic found (errors and warnings) is in the error.
    pub fn compile(source: &str) -> Result<Agreement, CompileError> {
        let mut sink = diagnostic::Sink::new(source);
        let file = crate::syntax::parse::parse_into(source, &mut sink);
        // Literal errors found while parsing are local: the tree is still
        // checked, so that every error is reported at once.
        let model = match file {
            Some(file) => crate::check::check(&file, &mut sink),
            None => None,
        };
        let program = match model {
            Some(model) if !sink.has_errors() => crate::compile::compile(model, &mut sink),
            _ => {
                let mut diagnostics = sink.items;
                // An unused field or list is most likely a consequence of an error.
                diagnostics.retain(|d| {
                    !matches!(
                        d.code,
                        diagnostic::Code::UnusedField | diagnostic::Code::UnusedList
                    )
                });
                diagnostics.sort_by_key(|d| (d.span.start, d.severity == Severity::Warning));
                return Err(CompileError::new(diagnostics, source));
            }
        };
        let mut warnings = sink.items;
        warnings.sort_by_key(|d| d.span.start);
        Ok(Agreement {
            inner: Arc::new(Compiled::new(program, warnings, source)),
        })
    }

    pub(crate) fn from_inner(inner: Arc<Compiled>) -> Agreement {
        Agreement { inner }
    }

    pub(crate) fn compiled(&self) -> &Compiled {
        &self.inner
    }

    pub(crate) fn program(&self) -> &Program {
        &self.inner.program
    }

    pub(crate) fn model(&self) -> &Model {
        &self.inner.program.model
    }

    /// The agreement's text, as compiled.
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Warnings found while compiling (unused fields, rules that never fire, …).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.inner.warnings
    }

    /// Every warning with its source line and a caret, as every front
    /// prints them (see [`CompileError::render`]).
    pub fn render_warnings(&self, file_name: &str) -> String {
        diagnostic::render_all(&self.inner.warnings, &self.inner.source, file_name)
    }

    /// The agreement's name (`agreement "…"`).
    pub fn name(&self) -> &str {
        &self.model().name
    }

    /// The agreement's version (`version "…"`), if it gives one.
    pub fn version(&self) -> Option<&str> {
        self.model().version.as_deref()
    }

    /// The declared fields, in declaration order (a field's position here is
    /// its slot for [`LeadBuilder::set`]).
    pub fn fields(&self) -> &[Field] {
        &self.model().fields
    }

    /// The scores, in declaration order.
    pub fn scores(&self) -> &[Score] {
        &self.model().scores
    }

    /// Every score rule, score by score, in declaration order.
    pub fn rules(&self) -> &[ScoreRule] {
        &self.model().rules
    }

    /// The grades, in declaration order.
    pub fn grades(&self) -> &[Grade] {
        &self.model().grades
    }

    /// The route rules, in order (the first whose condition is true decides).
    pub fn routes(&self) -> &[RouteRule] {
        &self.model().routes
    }

    /// Whether decisions depend on the instant they are made at (decay,
    /// `within`, `days_since`).
    pub fn uses_time(&self) -> bool {
        self.model().uses_time
    }

    /// Starts binding a lead value by value (for host objects: dicts, JS
    /// objects, Arrow rows).
    pub fn lead_builder(&self, on_bad_value: OnBadValue) -> LeadBuilder<'_> {
        LeadBuilder::new(self.program(), on_bad_value)
    }

    /// Binds one JSON object text.
    pub fn bind_json(&self, text: &str, on_bad_value: OnBadValue) -> Lead {
        bind::bind_json(text, self.lead_builder(on_bad_value))
    }

    /// Binds one lead from any serde deserializer: a `&serde_json::Value`,
    /// a map of your own types, another format's record. No text in between.
    pub fn bind_serde<'de, D>(&self, lead: D, on_bad_value: OnBadValue) -> Lead
    where
        D: serde::Deserializer<'de>,
    {
        bind::bind_from(lead, self.lead_builder(on_bad_value))
    }

    /// Maps a CSV header to field slots, once per file.
    pub fn csv_binder<H: AsRef<[u8]>>(&self, header: impl IntoIterator<Item = H>) -> CsvBinder {
        CsvBinder::new(self.program(), header)
    }

    /// Binds one CSV row read with `binder`.
    pub fn bind_csv(
        &self,
        binder: &CsvBinder,
        row: &impl CsvRow,
        on_bad_value: OnBadValue,
    ) -> Lead {
        binder.bind(self.program(), row, on_bad_value)
    }

    /// Checks that column-wise input (a CSV header, an Arrow or DataFrame
    /// schema) has a column for every declared field's input key. The error
    /// names each missing key and the closest existing column.
    pub fn check_columns<C: AsRef<str>>(&self, columns: &[C]) -> Result<(), MissingColumns> {
        crate::schema::check_columns(self.fields(), columns)
    }

    /// The fields a JSON lead left missing while it had a key equal to their
    /// *name* — fields that read another key (`from "Company Size"`), keyed
    /// `company_size` by mistake. Decisions do not change (keys match
    /// exactly); fronts warn with the key to use.
    pub fn misnamed_keys<'a>(&'a self, lead: &'a Lead) -> impl Iterator<Item = &'a Field> + 'a {
        lead.misnamed
            .iter()
            .filter_map(|&slot| self.fields().get(slot as usize))
    }

    /// The input column (or key) a report reads for `name`: the input key of
    /// the field called `name` (`lead_source` → `"Lead Source"`), else `name`
    /// itself, a column that need not be a field. Every front resolves a
    /// report's `by` and `outcome` so.
    pub fn column_for<'a>(&'a self, name: &'a str) -> &'a str {
        self.fields()
            .iter()
            .find(|f| f.name() == name)
            .map_or(name, |f| f.key())
    }

    /// The `id` field's text in a bound lead, if the agreement has one.
    pub fn lead_id(&self, lead: &Lead) -> Option<String> {
        self.shared_id(lead).map(|id| id.to_string())
    }

    fn shared_id(&self, lead: &Lead) -> Option<Arc<str>> {
        crate::decision::lead_id(&self.inner, lead)
    }

    /// Scores a bound lead; `index` is its position in its batch.
    pub fn decide(&self, index: usize, lead: &Lead, opts: &ScoreOptions) -> Decision {
        crate::decision::decide(&self.inner, index, lead, opts)
    }

    /// Binds and scores one JSON object text.
    pub fn score_json(&self, text: &str, opts: &ScoreOptions) -> Decision {
        let lead = self.bind_json(text, opts.bad_values());
        self.decide(0, &lead, opts)
    }

    /// Binds and scores one lead from any serde deserializer (see
    /// [`bind_serde`](Self::bind_serde)).
    ///
    /// ```
    /// # let agreement = leadgate::Agreement::compile(r#"agreement "A"
    /// #   fields { size : number }  score s { +1 "Big" when size > 10 }
    /// #   route { sales "Big lead" when s >= 1  nurture otherwise }"#)?;
    /// let lead = serde_json::json!({"size": 12});
    /// let d = agreement.score_serde(&lead, &leadgate::ScoreOptions::now());
    /// assert_eq!(d.rule(), Some("Big lead"));
    /// # Ok::<(), leadgate::CompileError>(())
    /// ```
    pub fn score_serde<'de, D>(&self, lead: D, opts: &ScoreOptions) -> Decision
    where
        D: serde::Deserializer<'de>,
    {
        let lead = self.bind_serde(lead, opts.bad_values());
        self.decide(0, &lead, opts)
    }

    /// Scores many items in parallel, in order; `bind` turns an item into a
    /// lead. Decision indices start at `first_index`.
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

    /// Scores a bound lead and explains the decision for a person.
    pub fn explain(&self, index: usize, lead: &Lead, opts: &ScoreOptions) -> Explanation {
        let decision = self.decide(index, lead, &opts.explain(true));
        self.explanation(lead, decision, opts)
    }

    /// Explains a decision already made for `lead` (with a roster, by
    /// [`Staffing::explain`](crate::Staffing::explain)).
    pub(crate) fn explanation(
        &self,
        lead: &Lead,
        decision: Decision,
        opts: &ScoreOptions,
    ) -> Explanation {
        Explanation::new(&self.inner, lead, decision, opts.as_of())
    }

    /// The most bytes one decision's canonical JSON can take, apart from its
    /// `id` (as long as the lead's, six times that at most once escaped):
    /// every rule listed with every field it reads, a warning on every
    /// field. For sizing batches by memory rather than by count.
    pub fn max_decision_bytes(&self) -> usize {
        self.inner.json.max_bytes()
    }

    /// The memory the agreement's compiled regexes take, in bytes (at most
    /// [`limits::MAX_REGEX_TOTAL_BYTES`](crate::limits::MAX_REGEX_TOTAL_BYTES)).
    pub fn regex_bytes(&self) -> usize {
        self.model().regex_bytes
    }

    /// Runs the agreement's `example` blocks.
    pub fn run_examples(&self) -> Vec<ExampleResult> {
        examples::run(&self.inner)
    }

    /// The route rule (by position) each `example` lead reaches.
    pub(crate) fn example_routes(&self) -> Vec<usize> {
        examples::routes_reached(&self.inner)
    }

    /// A fingerprint of the agreement's text (FNV-1a, 16 hex digits): equal
    /// for the same text compiled anywhere, so parts of work done with
    /// separately compiled copies can be told to belong together.
    pub fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }

    /// Whether both are the same compiled agreement (clones of one compile).
    pub fn same(&self, other: &Agreement) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Whether `decision` was made by this agreement (and not a reloaded one).
    pub fn made(&self, decision: &Decision) -> bool {
        Arc::ptr_eq(&self.inner, &decision.agreement)
    }
}
