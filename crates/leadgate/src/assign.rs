//! What a front needs to score and assign leads with a roster
//! (`docs/rosters.md`), whatever its input: each lead's own arrival read
//! from a value of its data ([`Arrival`]), and the scoring, assignment and
//! explanation of bound leads with or without a roster ([`Assigner`]). The
//! fronts keep only the reading of their own values and options.

use crate::{Agreement, Decision, Explanation, Lead, LeadError, LeadErrorKind, Load, Raw};
use crate::{Roster, ScoreOptions, Staffing, Timestamp};

/// How a lead's arrival is read from the value of its `key` (the CLI's
/// `--as-of-column`, the bindings' `asOfColumn` / `as_of_column`): the lead
/// is scored and assigned as of it.
///
/// A date or a date-time without an offset is local to the roster's time
/// zone (UTC without a roster); RFC 3339 and typed dates are instants. An
/// empty or missing value is scored as of the call's own instant when the
/// call gave one (`fallback`), else it has no arrival, which rejects the
/// lead (never silently "now").
///
/// ```
/// use leadgate::{Arrival, Raw, Timestamp};
///
/// let arrival = Arrival::new("Created", None, false, "--as-of");
/// let at = arrival.instant(&Raw::Str("2026-11-23 10:30".into()));
/// assert_eq!(at, Ok(Timestamp::parse("2026-11-23T10:30:00Z")));
/// let none = arrival.instant(&Raw::Null);
/// assert_eq!(none.unwrap_err(), "no arrival time: \"Created\" is empty or missing \
///     (pass --as-of to score such leads as of that instant)");
/// ```
#[derive(Debug, Clone)]
pub struct Arrival {
    key: String,
    /// Dates and date-times without an offset are read in its time zone.
    roster: Option<Roster>,
    /// With the call's own instant: a lead without an arrival is scored as
    /// of it.
    fallback: bool,
    /// The front's name of that instant's option, for the hint of the
    /// error of a lead without an arrival (`--as-of`, `asOf`, `as_of=`).
    as_of_option: String,
}

impl Arrival {
    /// Reads arrivals from the value of `key`, local to `roster`'s time
    /// zone; `fallback`: the call has an instant of its own, named
    /// `as_of_option` in the front's terms.
    pub fn new(key: &str, roster: Option<&Roster>, fallback: bool, as_of_option: &str) -> Arrival {
        Arrival {
            key: key.to_string(),
            roster: roster.cloned(),
            fallback,
            as_of_option: as_of_option.to_string(),
        }
    }

    /// The key (column) arrivals are read from.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The arrival a lead's `value` gives (`None`: empty or missing, and the
    /// call's own instant applies), or why it gives none (a value that is
    /// neither a text nor a date is shown as every lead error shows a value:
    /// `"Arrived" holds 7, not a date or timestamp text`).
    pub fn instant(&self, value: &Raw<'_>) -> Result<Option<Timestamp>, String> {
        let key = &self.key;
        let text = match value {
            Raw::DateMs(ms) => return Ok(Some(Timestamp::from_unix_ms(*ms))),
            Raw::Null => "",
            Raw::Str(s) => s.trim(),
            _ => {
                let shown = crate::bind::describe(value);
                return Err(format!(
                    "\"{key}\" holds {shown}, not a date or timestamp text"
                ));
            }
        };
        if text.is_empty() {
            return match self.fallback {
                true => Ok(None),
                false => Err(format!(
                    "no arrival time: \"{key}\" is empty or missing (pass {} to score such leads as of that instant)",
                    self.as_of_option
                )),
            };
        }
        crate::read_instant(text, self.roster.as_ref())
            .map(Some)
            .ok_or_else(|| {
                let shown = crate::bind::describe(&Raw::Str(text.into()));
                format!("\"{key}\" holds {shown}, not a date or timestamp (2026-11-23, 2026-11-23 10:30, RFC 3339)")
            })
    }

    /// `opts` as of the arrival `value` gives `lead` (see
    /// [`instant`](Self::instant)); a lead without one is rejected, in
    /// place, with a `bad_value` lead error saying why, and keeps `opts`.
    pub fn apply(&self, lead: &mut Lead, value: &Raw<'_>, opts: &ScoreOptions) -> ScoreOptions {
        match self.instant(value) {
            Ok(Some(t)) => opts.with_as_of(t),
            Ok(None) => *opts,
            Err(message) => {
                lead.reject(LeadError::new(LeadErrorKind::BadValue, None, message));
                *opts
            }
        }
    }
}

/// One call's scoring of bound leads, with a roster or without: each lead
/// as of its arrival when an [`Arrival`] is given, ranked for its queue's
/// people and assigned when a [`Staffing`] is. The [`Load`] is the caller's,
/// so that it can outlive a call (leads taken across calls).
///
/// ```
/// # let agreement = leadgate::Agreement::compile(r#"agreement "A"
/// #   fields { ref : text id from "id"  size : number }  score s { +1 "Big" when size > 10 }
/// #   route { sales within 1h "Big lead" when s >= 1  nurture otherwise }"#)?;
/// let roster = leadgate::Roster::parse("timezone: UTC\nqueues:\n  sales:\n    hours: Mon-Sun 00:00-24:00\n    members: [{ name: Ana, per_day: 1 }]\n").unwrap();
/// let assigner = leadgate::Assigner::new(&agreement, Some(roster.staff(&agreement).unwrap()), None);
/// let opts = leadgate::ScoreOptions::at(leadgate::Timestamp::parse("2026-11-23").unwrap());
/// let lead = agreement.bind_json(r#"{"id": "L-1", "size": 20}"#, opts.bad_values());
/// let mut decisions = [assigner.decide(0, &lead, &opts), assigner.decide(1, &lead, &opts)];
/// assigner.settle(&mut decisions, &mut leadgate::Load::new());
/// assert_eq!(decisions[0].assignee(), Some("Ana"));
/// assert_eq!(decisions[1].assignee(), None); // per_day: 1
/// # Ok::<(), leadgate::CompileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Assigner {
    agreement: Agreement,
    staffing: Option<Staffing>,
    arrival: Option<Arrival>,
}

impl Assigner {
    /// Scores with `agreement`, assigns with `staffing` (checked against
    /// the same agreement) if any, and reads each lead's `arrival` if any.
    pub fn new(
        agreement: &Agreement,
        staffing: Option<Staffing>,
        arrival: Option<Arrival>,
    ) -> Assigner {
        Assigner {
            agreement: agreement.clone(),
            staffing,
            arrival,
        }
    }

    /// How each lead's arrival is read, if it is.
    pub fn arrival(&self) -> Option<&Arrival> {
        self.arrival.as_ref()
    }

    /// The roster checked against the agreement, if any.
    pub fn staffing(&self) -> Option<&Staffing> {
        self.staffing.as_ref()
    }

    /// Scores a bound lead (with a roster, ranked for its queue's people:
    /// [`Staffing::decide`]); [`settle`](Self::settle) assigns.
    pub fn decide(&self, index: usize, lead: &Lead, opts: &ScoreOptions) -> Decision {
        match &self.staffing {
            Some(s) => s.decide(index, lead, opts),
            None => self.agreement.decide(index, lead, opts),
        }
    }

    /// Assigns `decisions`, in order, within `per_day` counted in `load`
    /// (nothing without a roster).
    pub fn settle(&self, decisions: &mut [Decision], load: &mut Load) {
        if let Some(s) = &self.staffing {
            s.settle(decisions, load);
        }
    }

    /// Scores, assigns (within `load`) and explains one bound lead.
    pub fn explain(
        &self,
        index: usize,
        lead: &Lead,
        opts: &ScoreOptions,
        load: &mut Load,
    ) -> Explanation {
        match &self.staffing {
            Some(s) => s.explain(index, lead, opts, load),
            None => self.agreement.explain(index, lead, opts),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const AGREEMENT: &str = r#"agreement "A"
        fields { ref : text id from "id"  size : number }
        score s { +1 "Big" when size > 10 }
        route { sales within 1h "Big lead" when s >= 1  nurture otherwise }"#;
    const ROSTER: &str = "timezone: Europe/Berlin\nqueues:\n  sales:\n    hours: Mon-Fri 09:00-18:00\n    members: [{ name: Ana, per_day: 1 }, { name: Ben, per_day: 1 }]\n";

    #[test]
    fn arrival_reads_texts_dates_and_says_why_not() {
        let roster = Roster::parse(ROSTER).unwrap();
        let a = Arrival::new("at", Some(&roster), false, "asOf");
        assert_eq!(a.key(), "at");
        let at = |raw: Raw<'_>| a.instant(&raw);
        // Local to the roster's zone (Berlin is UTC+1 in November).
        assert_eq!(
            at(Raw::Str(" 2026-11-23 10:30 ".into())),
            Ok(Timestamp::parse("2026-11-23T09:30:00Z"))
        );
        assert_eq!(
            at(Raw::Str("2026-11-23".into())),
            Ok(Timestamp::parse("2026-11-22T23:00:00Z"))
        );
        assert_eq!(
            at(Raw::DateMs(1_000)),
            Ok(Some(Timestamp::from_unix_ms(1_000)))
        );
        let missing = "no arrival time: \"at\" is empty or missing (pass asOf to score such leads as of that instant)";
        assert_eq!(at(Raw::Null).unwrap_err(), missing);
        assert_eq!(at(Raw::Str("  ".into())).unwrap_err(), missing);
        // Quoted and escaped as lead errors show texts.
        assert_eq!(
            at(Raw::Str("x\"y".into())).unwrap_err(),
            "\"at\" holds \"x\\\"y\", not a date or timestamp (2026-11-23, 2026-11-23 10:30, RFC 3339)"
        );
        // Any other value is shown as lead errors show values.
        let not_text = |shown: &str| format!("\"at\" holds {shown}, not a date or timestamp text");
        assert_eq!(at(Raw::Float(3.0)).unwrap_err(), not_text("3"));
        assert_eq!(at(Raw::Bool(true)).unwrap_err(), not_text("true"));
        assert_eq!(at(Raw::Array(vec![])).unwrap_err(), not_text("an array"));
        assert_eq!(
            at(Raw::Other("an object")).unwrap_err(),
            not_text("an object")
        );
        let long = "x".repeat(70);
        assert_eq!(
            at(Raw::Str(long.into())).unwrap_err(),
            format!("\"at\" holds \"{}…\", not a date or timestamp (2026-11-23, 2026-11-23 10:30, RFC 3339)", "x".repeat(60))
        );
        // Without a roster, in UTC; with a fallback, empty is no error.
        let utc = Arrival::new("at", None, true, "--as-of");
        assert_eq!(
            utc.instant(&Raw::Str("2026-11-23 10:30".into())),
            Ok(Timestamp::parse("2026-11-23T10:30:00Z"))
        );
        assert_eq!(utc.instant(&Raw::Null), Ok(None));
        assert_eq!(utc.instant(&Raw::Str("".into())), Ok(None));
    }

    #[test]
    fn arrival_applies_to_options_or_rejects_the_lead() {
        let agreement = Agreement::compile(AGREEMENT).unwrap();
        let opts = ScoreOptions::at(Timestamp::parse("2026-01-01").unwrap());
        let a = Arrival::new("at", None, false, "asOf");
        let mut lead = agreement.bind_json(r#"{"id": "L-1", "size": 20}"#, opts.bad_values());
        let dated = a.apply(&mut lead, &Raw::Str("2026-11-23".into()), &opts);
        assert_eq!(dated.as_of(), Timestamp::parse("2026-11-23").unwrap());
        let d = agreement.decide(0, &lead, &dated);
        assert!(d.error().is_none(), "{}", d.to_json());
        let kept = a.apply(&mut lead, &Raw::Bool(true), &opts);
        assert_eq!(kept.as_of(), opts.as_of());
        let d = agreement.decide(0, &lead, &kept);
        let e = d.error().unwrap();
        assert_eq!(e.kind(), LeadErrorKind::BadValue);
        assert_eq!(
            e.to_string(),
            "\"at\" holds true, not a date or timestamp text"
        );
    }

    #[test]
    fn assigner_assigns_within_the_load_and_explains() {
        let agreement = Agreement::compile(AGREEMENT).unwrap();
        let staffing = Roster::parse(ROSTER).unwrap().staff(&agreement).unwrap();
        // Monday 10:00 in Berlin.
        let opts = ScoreOptions::at(Timestamp::parse("2026-11-23T09:00:00Z").unwrap());
        let bind = |id: &str| {
            let text = format!(r#"{{"id": "{id}", "size": 20}}"#);
            agreement.bind_json(&text, opts.bad_values())
        };
        let assigner = Assigner::new(&agreement, Some(staffing.clone()), None);
        assert!(assigner.arrival().is_none());
        assert!(assigner.staffing().is_some());
        let mut load = Load::new();
        let mut ds: Vec<Decision> = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, id)| assigner.decide(i, &bind(id), &opts))
            .collect();
        assigner.settle(&mut ds, &mut load);
        let mut who: Vec<_> = ds[..2].iter().map(|d| d.assignee().unwrap()).collect();
        who.sort_unstable();
        assert_eq!(who, ["Ana", "Ben"]);
        assert_eq!(ds[2].assignee(), None, "both are at per_day");
        // The load carries over: a later lead finds everyone full.
        let e = assigner.explain(0, &bind("d"), &opts, &mut load);
        assert_eq!(e.decision().assignee(), None);
        assert!(
            e.text().contains("per_day") || e.text().contains("capacity"),
            "{}",
            e.text()
        );
        let fresh = assigner.explain(0, &bind("d"), &opts, &mut Load::new());
        assert!(fresh.decision().assignee().is_some());
        // Without a roster: the agreement's decision, nobody assigned.
        let plain = Assigner::new(&agreement, None, None);
        let mut d = [plain.decide(0, &bind("a"), &opts)];
        plain.settle(&mut d, &mut load);
        assert_eq!(
            d[0].to_json(),
            agreement.decide(0, &bind("a"), &opts).to_json()
        );
        assert_eq!(
            plain.explain(0, &bind("a"), &opts, &mut load).text(),
            agreement.explain(0, &bind("a"), &opts).text()
        );
    }
}
