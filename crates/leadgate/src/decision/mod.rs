//! One lead's decision, answering by name: where the lead goes and why, or
//! why it was rejected. A decision holds its agreement, so it is always
//! read and rendered with the agreement that made it.

mod serialize;

pub use serialize::to_canonical_json;
pub(crate) use serialize::Number;

use std::sync::Arc;

use crate::bind::{Lead, LeadError, LeadWarning};
use crate::check::Model;
use crate::compiled::Compiled;
use crate::options::ScoreOptions;
use crate::roster::{Assigned, Assignment, Unassigned};
use crate::value::Value;
use crate::verdict::Verdict;
use crate::Destination;

/// One lead's decision: scored (a route, scores, grades and the reasons), or
/// rejected with a [`LeadError`].
///
/// Everything answers by name. `Serialize` gives the canonical decision JSON
/// of `docs/language.md` ([`to_json`](Self::to_json) writes the same bytes
/// faster).
///
/// ```
/// let agreement = leadgate::Agreement::compile(r#"
///   agreement "Demo"
///   fields { email : text required
///            size  : number }
///   score fit { +20 "Mid-market" when size between 50 and 1000 }
///   route { sales within 1h "Fit" when fit >= 20
///           nurture otherwise }
/// "#)?;
/// let opts = leadgate::ScoreOptions::at(leadgate::Timestamp::parse("2026-11-23").unwrap());
/// let d = agreement.score_json(r#"{"email": "a@b.io", "size": "200"}"#, &opts);
/// assert_eq!(d.route(), Some(leadgate::Destination::Sales));
/// assert_eq!(d.rule(), Some("Fit"));
/// assert_eq!(d.score("fit"), Some(20.0));
/// assert_eq!(d.fired().next().map(|f| f.rule), Some("Mid-market"));
/// assert_eq!(d.follow_up_within_s(), Some(3600));
/// # Ok::<(), leadgate::CompileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decision {
    pub(crate) agreement: Arc<Compiled>,
    pub(crate) index: usize,
    pub(crate) id: Option<Arc<str>>,
    pub(crate) outcome: Result<Verdict, LeadError>,
    /// With a roster only: the lead's queue, assignee and deadline.
    pub(crate) assignment: Option<Box<dyn Assigned>>,
}

/// A score rule that fired: its name, its score, and its signed points
/// before decay and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiredRule<'a> {
    /// The rule's name.
    pub rule: &'a str,
    /// The score it belongs to.
    pub score: &'a str,
    /// Its points, signed (`-15` for a `-15` rule).
    pub points: f64,
}

/// A score rule that could not be decided for lack of data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnknownRule<'a> {
    /// The rule's name.
    pub rule: &'a str,
    /// The score it belongs to.
    pub score: &'a str,
    /// The fields it lacked, by name, in declaration order.
    pub missing: Vec<&'a str>,
}

/// A route rule passed over because its condition was unknown.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UndecidedRoute<'a> {
    /// The route rule's name (`None` for an unnamed rule).
    pub rule: Option<&'a str>,
    /// Where the rule would have sent the lead.
    pub route: Destination,
    /// The fields it lacked, by name, in declaration order.
    pub missing: Vec<&'a str>,
}

impl Decision {
    fn model(&self) -> &Model {
        &self.agreement.program.model
    }

    fn verdict(&self) -> Option<&Verdict> {
        self.outcome.as_ref().ok()
    }

    fn route_rule(&self) -> Option<&crate::check::RouteRule> {
        let v = self.verdict()?;
        self.model().routes.get(v.route as usize)
    }

    fn field_names(&self, slots: &[u32]) -> Vec<&str> {
        let fields = &self.model().fields;
        slots
            .iter()
            .filter_map(|s| fields.get(*s as usize).map(|f| f.name.as_str()))
            .collect()
    }

    fn score_name(&self, score: u32) -> &str {
        self.model()
            .scores
            .get(score as usize)
            .map_or("", |s| s.name.as_str())
    }

    /// The lead's 0-based position in its batch (0 for a single lead).
    pub fn index(&self) -> usize {
        self.index
    }

    /// The value of the agreement's `id` field, if it has one and the lead
    /// gave it.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// Whether the lead was scored (not rejected).
    pub fn is_scored(&self) -> bool {
        self.outcome.is_ok()
    }

    /// Why the lead was rejected, if it was.
    pub fn error(&self) -> Option<&LeadError> {
        self.outcome.as_ref().err()
    }

    /// Where the lead goes; `None` for a rejected lead.
    pub fn route(&self) -> Option<Destination> {
        self.route_rule().map(|r| r.destination)
    }

    /// The deciding route rule's queue, if it names one.
    pub fn queue(&self) -> Option<&str> {
        self.route_rule()?.queue.as_deref()
    }

    /// The deciding route rule's name (`None` for an unnamed `otherwise`).
    pub fn rule(&self) -> Option<&str> {
        self.route_rule()?.name.as_deref()
    }

    /// The position of the deciding route rule in
    /// [`Agreement::routes`](crate::Agreement::routes).
    pub fn rule_index(&self) -> Option<usize> {
        self.verdict().map(|v| v.route as usize)
    }

    /// The agreed follow-up time in seconds (`within`), if the rule has one.
    pub fn follow_up_within_s(&self) -> Option<i64> {
        self.route_rule()?.within_s
    }

    /// With a roster ([`Staffing`](crate::Staffing)): the lead's roster
    /// queue, assignee (or why it has none) and follow-up deadline. `None`
    /// without a roster and for a rejected lead.
    pub fn assignment(&self) -> Option<Assignment<'_>> {
        self.verdict()?;
        Some(self.assignment.as_deref()?.view(self.follow_up_within_s()))
    }

    /// Who takes the lead (with a roster).
    pub fn assignee(&self) -> Option<&str> {
        self.verdict()?;
        self.assignment
            .as_deref()?
            .pending()
            .member()
            .map(|m| &*m.name)
    }

    /// Why a lead that needs a person has none (with a roster).
    pub fn unassigned(&self) -> Option<Unassigned> {
        self.verdict()?;
        self.assignment.as_deref()?.pending().unassigned()
    }

    /// The follow-up deadline as RFC 3339 in the assignee's time zone
    /// (`2026-11-30T09:30:00+01:00`): `within` of their working time after
    /// the lead was assigned. With a roster, a `within` and an assignee only.
    pub fn follow_up_by(&self) -> Option<String> {
        self.verdict()?;
        self.assignment
            .as_deref()?
            .follow_up_by(self.follow_up_within_s())
    }

    /// Every score's value, by name, in declaration order (empty for a
    /// rejected lead).
    pub fn scores(&self) -> impl ExactSizeIterator<Item = (&str, f64)> + '_ {
        let values: &[f64] = self.verdict().map_or(&[], |v| &v.scores);
        self.model()
            .scores
            .iter()
            .zip(values)
            .map(|(s, v)| (s.name.as_str(), *v))
    }

    /// One score's value by name.
    pub fn score(&self, name: &str) -> Option<f64> {
        self.scores().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// `potential(score)` for every score, by name: the value the score
    /// would have if every undecided rule fired.
    pub fn potentials(&self) -> impl ExactSizeIterator<Item = (&str, f64)> + '_ {
        let values: &[f64] = self.verdict().map_or(&[], |v| &v.potentials);
        self.model()
            .scores
            .iter()
            .zip(values)
            .map(|(s, v)| (s.name.as_str(), *v))
    }

    /// The sum of all scores; `None` for a rejected lead.
    pub fn total(&self) -> Option<f64> {
        self.verdict().map(|v| v.total)
    }

    /// Every grade's label, as (grade, label), in declaration order.
    pub fn grades(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        let labels: &[u32] = self.verdict().map_or(&[], |v| &v.grades);
        self.model().grades.iter().zip(labels).map(|(g, l)| {
            let label = g.labels.get(*l as usize).map_or("", String::as_str);
            (g.name.as_str(), label)
        })
    }

    /// One grade's label by the grade's name.
    pub fn grade(&self, name: &str) -> Option<&str> {
        self.grades().find(|(g, _)| *g == name).map(|(_, l)| l)
    }

    /// The score rules that fired, in declaration order.
    pub fn fired(&self) -> impl ExactSizeIterator<Item = FiredRule<'_>> + '_ {
        let fired: &[crate::verdict::Fired] = self.verdict().map_or(&[], |v| &v.fired);
        let m = self.model();
        fired.iter().map(move |f| {
            let rule = m.rules.get(f.rule as usize);
            FiredRule {
                rule: rule.map_or("", |r| r.name.as_str()),
                score: rule.map_or("", |r| self.score_name(r.score)),
                points: f.points,
            }
        })
    }

    /// The score rules that could not be decided, with the fields they lacked.
    pub fn unknown(&self) -> impl ExactSizeIterator<Item = UnknownRule<'_>> + '_ {
        let unknown: &[crate::verdict::UnknownRule] = self.verdict().map_or(&[], |v| &v.unknown);
        let m = self.model();
        unknown.iter().map(move |u| {
            let rule = m.rules.get(u.rule as usize);
            UnknownRule {
                rule: rule.map_or("", |r| r.name.as_str()),
                score: rule.map_or("", |r| self.score_name(r.score)),
                missing: self.field_names(&u.missing),
            }
        })
    }

    /// The route rules passed over because their condition was unknown,
    /// before the one that decided.
    pub fn undecided(&self) -> impl Iterator<Item = UndecidedRoute<'_>> + '_ {
        let undecided: &[crate::verdict::Undecided] = self.verdict().map_or(&[], |v| &v.undecided);
        let m = self.model();
        undecided.iter().filter_map(move |u| {
            let r = m.routes.get(u.route as usize)?;
            Some(UndecidedRoute {
                rule: r.name.as_deref(),
                route: r.destination,
                missing: self.field_names(&u.missing),
            })
        })
    }

    /// Notes on the lead: values read as missing, decay without a date.
    pub fn warnings(&self) -> &[LeadWarning] {
        self.verdict().map_or(&[], |v| &v.warnings)
    }

    /// The canonical decision JSON, one line (the bytes `Serialize` gives
    /// with [`to_canonical_json`](crate::to_canonical_json), faster).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(512);
        self.write_json(&mut out);
        out
    }

    /// Appends [`to_json`](Self::to_json) to `out`.
    pub fn write_json(&self, out: &mut String) {
        crate::canonical::write_decision(
            out,
            &self.agreement.json,
            self.index,
            self.id.as_deref(),
            &self.outcome,
            self.assignment
                .as_deref()
                .map(|p| (p, self.follow_up_within_s())),
        );
    }

    /// Whether both decisions were made by the same compiled agreement.
    pub fn same_agreement(&self, other: &Decision) -> bool {
        Arc::ptr_eq(&self.agreement, &other.agreement)
    }
}

impl PartialEq for Decision {
    /// Equal when made by the same agreement with the same outcome.
    fn eq(&self, other: &Decision) -> bool {
        self.same_agreement(other)
            && self.index == other.index
            && self.id == other.id
            && self.outcome == other.outcome
            && self.assignment == other.assignment
    }
}

/// The `id` field's text in a bound lead, shared with the lead (no copy).
pub(crate) fn lead_id(shared: &Compiled, lead: &Lead) -> Option<Arc<str>> {
    let slot = shared.model().id_slot? as usize;
    match lead.value(slot) {
        Some(Value::Text(t)) => Some(t.shared()),
        _ => None,
    }
}

/// Scores a bound lead into a decision that holds its agreement.
pub(crate) fn decide(
    shared: &Arc<Compiled>,
    index: usize,
    lead: &Lead,
    opts: &ScoreOptions,
) -> Decision {
    let id = lead_id(shared, lead);
    let outcome = match lead.error() {
        Some(e) => Err(e.clone()),
        None => Ok(crate::eval::evaluate(
            &shared.program,
            lead,
            opts.as_of().unix_ms(),
            opts.explains(),
        )),
    };
    Decision {
        agreement: shared.clone(),
        index,
        id,
        outcome,
        assignment: None,
    }
}
