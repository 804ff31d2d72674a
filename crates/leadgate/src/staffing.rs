//! A roster checked against an agreement (`docs/rosters.md`): every route rule's queue has
//! people (or needs none), and scored leads are assigned to them.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::diagnostic::Severity;
use crate::roster::{hrw, Load, Pending, Roster, RosterDiagnostic, RosterError, State, Unassigned};
use crate::{Agreement, Decision, Destination, Lead, ScoreOptions, Threads};

#[derive(Debug)]
pub(crate) struct StaffingInner {
    pub roster: Roster,
    pub agreement: Agreement,
    /// Per route rule: its roster queue (`None`: no person needed).
    pub route_queue: Vec<Option<u32>>,
    pub warnings: Vec<RosterDiagnostic>,
}

/// A [`Roster`] checked against an [`Agreement`]: scores leads and assigns
/// each to a person of its route's queue, by weighted rendezvous hashing
/// of the lead's `id` (or, without one, of its field values) over the
/// members on duty, within their `per_day`. Cheap to clone, `Send + Sync`.
///
/// Route rules map to roster queues by their `queue`; a rule without one
/// goes to the roster queue named after its destination (`sales`,
/// `telemarketing`, `nurture`). A `sales` or `telemarketing` rule whose
/// queue the roster lacks is an error; a `nurture` rule whose queue the
/// roster lacks needs no person.
///
/// ```
/// # let agreement = leadgate::Agreement::compile(r#"agreement "A"
/// #   fields { ref : text id from "id"  size : number }  score s { +1 "Big" when size > 10 }
/// #   route { sales within 1h "Big lead" when s >= 1  nurture otherwise }"#)?;
/// let roster = leadgate::Roster::parse(r#"
/// timezone: Europe/Berlin
/// queues:
///   sales:
///     hours: Mon-Fri 09:00-18:00
///     members: [{ name: Ana Lopez }]
/// "#).unwrap();
/// let staffing = roster.staff(&agreement).unwrap();
/// // Friday 17:30 in Berlin: one working hour later is Monday 09:30.
/// let opts = leadgate::ScoreOptions::at(leadgate::Timestamp::parse("2026-11-27T16:30:00Z").unwrap());
/// let mut load = leadgate::Load::new();
/// let d = staffing.score_json(r#"{"id": "L-1", "size": 20}"#, &opts, &mut load);
/// assert_eq!(d.assignee(), Some("Ana Lopez"));
/// assert_eq!(d.follow_up_by().as_deref(), Some("2026-11-30T09:30:00+01:00"));
/// # Ok::<(), leadgate::CompileError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Staffing {
    pub(crate) inner: Arc<StaffingInner>,
}

impl Roster {
    /// Checks the roster against `agreement`: a queue a route rule can send
    /// leads to with no roster queue is an error; a roster queue no route
    /// rule names is a warning ([`Staffing::warnings`]).
    pub fn staff(&self, agreement: &Agreement) -> Result<Staffing, RosterError> {
        let queues = &self.inner.queues;
        let find = |name: &str| queues.iter().position(|q| q.name == name).map(|i| i as u32);
        let mut errors = Vec::new();
        let mut route_queue = Vec::with_capacity(agreement.routes().len());
        for r in agreement.routes() {
            let dest = r.destination().as_str();
            let found = match r.queue() {
                // Nurture needs no person unless the roster staffs its queue.
                Some(q) if r.destination() == Destination::Nurture && find(q).is_none() => {
                    route_queue.push(None);
                    continue;
                }
                Some(q) => find(q).ok_or_else(|| {
                    format!(
                        "the route rule {} sends leads to the queue \"{q}\", which the roster does not have",
                        rule_label(r)
                    )
                }),
                None => match find(dest) {
                    Some(i) => Ok(i),
                    None if r.destination() == Destination::Nurture => {
                        route_queue.push(None);
                        continue;
                    }
                    None => Err(format!(
                        "the route rule {} sends leads to {dest} without a queue, and the roster has no queue named \"{dest}\": add one, or give the rule a queue",
                        rule_label(r)
                    )),
                },
            };
            match found {
                Ok(i) => route_queue.push(Some(i)),
                Err(message) => {
                    let (line, column) =
                        crate::roster::yaml::Locator::new(&self.inner.source).find(&[], "queues");
                    errors.push(RosterDiagnostic {
                        severity: Severity::Error,
                        line,
                        column,
                        key: "queues".into(),
                        message,
                    });
                    route_queue.push(None);
                }
            }
        }
        if !errors.is_empty() {
            return Err(RosterError::new(errors));
        }
        let warnings = queues
            .iter()
            .enumerate()
            .filter(|(i, _)| !route_queue.contains(&Some(*i as u32)))
            .map(|(_, q)| RosterDiagnostic {
                severity: Severity::Warning,
                line: q.line,
                column: q.column,
                key: format!("queues.{}", q.name),
                message: format!(
                    "no route rule of \"{}\" sends leads to the queue \"{}\"",
                    agreement.name(),
                    q.name
                ),
            })
            .collect();
        Ok(Staffing {
            inner: Arc::new(StaffingInner {
                roster: self.clone(),
                agreement: agreement.clone(),
                route_queue,
                warnings,
            }),
        })
    }
}

fn rule_label(r: &crate::RouteRule) -> String {
    match r.name() {
        Some(n) => format!("\"{n}\""),
        None => format!("`{} otherwise`", r.destination().as_str()),
    }
}

impl Staffing {
    /// The agreement the roster was checked against.
    pub fn agreement(&self) -> &Agreement {
        &self.inner.agreement
    }

    /// The roster.
    pub fn roster(&self) -> &Roster {
        &self.inner.roster
    }

    /// Roster queues no route rule sends leads to.
    pub fn warnings(&self) -> &[RosterDiagnostic] {
        &self.inner.warnings
    }

    /// The roster queue of each route rule, in order (`None`: the rule's
    /// leads need no person).
    pub fn route_queues(&self) -> impl Iterator<Item = Option<&str>> {
        let queues = &self.inner.roster.inner.queues;
        self.inner.route_queue.iter().map(move |q| {
            q.and_then(|i| queues.get(i as usize))
                .map(|q| q.name.as_str())
        })
    }

    /// Scores a bound lead as the agreement does, and ranks the people of
    /// its queue who are on duty when it arrives (or when someone next
    /// comes on duty). Capacity is not checked yet: [`settle`](Self::settle)
    /// picks the assignee.
    pub fn decide(&self, index: usize, lead: &Lead, opts: &ScoreOptions) -> Decision {
        let mut d = self.inner.agreement.decide(index, lead, opts);
        let Some(route) = d.rule_index() else {
            return d;
        };
        let queue = self.inner.route_queue.get(route).copied().flatten();
        let arrived = opts.as_of().unix_ms();
        let mut pending = Pending {
            roster: self.inner.roster.inner.clone(),
            queue,
            arrived,
            start: None,
            ranked: SmallVec::new(),
            state: State::Pending,
        };
        if let Some(q) = pending.queue() {
            let key = match d.id() {
                Some(id) => hrw::key_of_id(id),
                None => hrw::key_of_values(&lead.values),
            };
            // Everyone who comes on duty within the wait, earliest first;
            // at the same instant, by rendezvous score (then roster order).
            let mut ranked: SmallVec<[(i64, f64, u16); 8]> = q
                .members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    let t = m.cal.next_on_duty(arrived, false)?;
                    Some((t, hrw::score(m.seed, key, m.weight), i as u16))
                })
                .collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
            match ranked.first() {
                Some(first) => {
                    pending.start = Some(first.0);
                    pending.ranked = ranked.iter().map(|(t, _, i)| (*t, *i)).collect();
                }
                None => {
                    let back = q
                        .members
                        .iter()
                        .any(|m| m.cal.next_on_duty(arrived, true).is_some());
                    pending.state = State::Unassigned(if back {
                        Unassigned::EveryoneAway
                    } else {
                        Unassigned::Closed
                    });
                }
            }
        }
        d.assignment = Some(Box::new(pending));
        d
    }

    /// Picks each decision's assignee, in order: the first person to be on
    /// duty (at the same instant, the best by rendezvous score) who has room
    /// under their `per_day` on that local day (counted in `load`, which each
    /// assignment adds to); nobody when all are full.
    /// Decisions already settled, or not made by this staffing, are left.
    pub fn settle(&self, decisions: &mut [Decision], load: &mut Load) {
        for d in decisions {
            if !self.inner.agreement.made(d) {
                continue;
            }
            let Some(p) = d.assignment.as_deref_mut().map(|a| a.pending_mut()) else {
                continue;
            };
            if p.state != State::Pending || !Arc::ptr_eq(&p.roster, &self.inner.roster.inner) {
                continue;
            }
            let Some(q) = p
                .queue
                .and_then(|i| self.inner.roster.inner.queues.get(i as usize))
            else {
                continue;
            };
            let people = &self.inner.roster.inner.people;
            let mut state = State::Unassigned(Unassigned::AtCapacity);
            for &(start, i) in &p.ranked {
                let Some(m) = q.members.get(i as usize) else {
                    continue;
                };
                let person = people.get(m.person as usize).map_or("", |p| &**p);
                let day = m.cal.day_number(start).unwrap_or(0);
                if m.per_day.is_some_and(|cap| load.count(person, day) >= cap) {
                    continue;
                }
                load.take(person, day);
                state = State::Assigned(i);
                p.start = Some(start);
                break;
            }
            p.state = state;
        }
    }

    /// Binds, scores and assigns one JSON lead (see [`decide`](Self::decide)
    /// and [`settle`](Self::settle)).
    pub fn score_json(&self, text: &str, opts: &ScoreOptions, load: &mut Load) -> Decision {
        let lead = self.inner.agreement.bind_json(text, opts.bad_values());
        let mut d = self.decide(0, &lead, opts);
        self.settle(std::slice::from_mut(&mut d), load);
        d
    }

    /// Scores, assigns and explains one bound lead; the text says who takes
    /// it and by when, or why nobody does.
    pub fn explain(
        &self,
        index: usize,
        lead: &Lead,
        opts: &ScoreOptions,
        load: &mut Load,
    ) -> crate::Explanation {
        let opts = opts.explain(true);
        let mut d = self.decide(index, lead, &opts);
        self.settle(std::slice::from_mut(&mut d), load);
        self.inner.agreement.explanation(lead, d, &opts)
    }

    /// The most bytes one decision's canonical JSON can take with this
    /// roster, apart from its `id` (see
    /// [`Agreement::max_decision_bytes`]).
    pub fn max_decision_bytes(&self) -> usize {
        let longest = self
            .inner
            .roster
            .inner
            .people
            .iter()
            .map(|p| p.len())
            .max()
            .unwrap_or(0);
        // Names escaped at most 6 bytes a byte; keys, reason and deadline.
        self.inner.agreement.max_decision_bytes() + 6 * longest + 128
    }

    /// Scores many items in parallel, then assigns them in input order
    /// (capacity is deterministic at any thread count). `opts` gives each
    /// item's options (its instant, for replays).
    pub fn decide_batch<T, F, O>(
        &self,
        items: &[T],
        first_index: usize,
        opts: O,
        threads: &Threads,
        bind: F,
        load: &mut Load,
    ) -> Vec<Decision>
    where
        T: Sync,
        F: Fn(&T) -> Lead + Sync + Send,
        O: Fn(&T) -> ScoreOptions + Sync + Send,
    {
        let mut decisions = threads.map(items, |i, item| {
            let lead = bind(item);
            self.decide(first_index + i, &lead, &opts(item))
        });
        self.settle(&mut decisions, load);
        decisions
    }

    /// The flat decision columns with the roster's: `assignee`,
    /// `unassigned` and `follow_up_by` after `follow_up_within_s`.
    pub fn decision_columns(
        &self,
        prefix: &str,
    ) -> Result<crate::DecisionColumns, crate::DuplicateColumn> {
        crate::DecisionColumns::with_roster(&self.inner.agreement, prefix)
    }
}
