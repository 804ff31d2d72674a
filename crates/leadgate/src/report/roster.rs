//! The roster part of a report (a replay before rollout): leads per queue
//! and per person per day, capacity used, leads left unassigned and why,
//! deadlines the plain clock would put outside working hours, and — with a
//! follow-up column — SLA adherence per queue and person. Mergeable like
//! the rest of the report.

use std::collections::BTreeMap;

use crate::{Decision, Staffing, Timestamp};

/// Follow-ups against their deadlines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Sla {
    /// Leads with a follow-up deadline.
    pub due: u64,
    /// Followed up by the deadline.
    pub met: u64,
    /// Followed up after it.
    pub late: u64,
    /// No follow-up recorded.
    pub open: u64,
}

impl Sla {
    fn merge(&mut self, o: &Sla) {
        self.due += o.due;
        self.met += o.met;
        self.late += o.late;
        self.open += o.open;
    }

    fn add(&mut self, deadline: i64, followed: Option<Option<Timestamp>>) {
        self.due += 1;
        match followed {
            None => {}
            Some(None) => self.open += 1,
            Some(Some(t)) if t.unix_ms() <= deadline => self.met += 1,
            Some(Some(_)) => self.late += 1,
        }
    }
}

/// One roster queue (or one person) over the replay.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Load {
    pub leads: u64,
    pub assigned: u64,
    /// Reason → leads left unassigned.
    pub unassigned: BTreeMap<String, u64>,
    /// Assigned when someone next came on duty (arrived outside hours).
    pub waited: u64,
    /// Deadlines that arrival + `within` on the plain clock would put
    /// outside the assignee's working hours.
    pub clock_outside_hours: u64,
    /// Local date (YYYY-MM-DD) → leads assigned that day.
    pub per_day: BTreeMap<String, u64>,
    pub sla: Sla,
}

impl Load {
    fn merge(&mut self, o: &Load) {
        self.leads += o.leads;
        self.assigned += o.assigned;
        for (k, n) in &o.unassigned {
            *self.unassigned.entry(k.clone()).or_default() += n;
        }
        self.waited += o.waited;
        self.clock_outside_hours += o.clock_outside_hours;
        for (k, n) in &o.per_day {
            *self.per_day.entry(k.clone()).or_default() += n;
        }
        self.sla.merge(&o.sla);
    }

    /// The busiest day's leads.
    pub fn max_per_day(&self) -> u64 {
        self.per_day.values().copied().max().unwrap_or(0)
    }

    /// Leads per day on the days with any.
    pub fn mean_per_day(&self) -> Option<f64> {
        (!self.per_day.is_empty()).then(|| self.assigned as f64 / self.per_day.len() as f64)
    }
}

/// The roster's counts in a report.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct RosterTally {
    /// The roster's fingerprint: parts merge only with the same roster.
    pub roster: String,
    /// The follow-up column, if the report has one.
    pub followed_up: Option<String>,
    pub queues: BTreeMap<String, Load>,
    pub people: BTreeMap<String, Load>,
    /// Person → their `per_day` (from the roster; the largest of their queues').
    pub capacity: BTreeMap<String, u32>,
    /// Person → the queues they work.
    pub person_queues: BTreeMap<String, Vec<String>>,
    /// Leads whose route needs no person.
    pub no_person: u64,
}

fn date(t: i64, offset_s: i32) -> String {
    let s = crate::roster::rfc3339(t, offset_s).unwrap_or_default();
    s.get(..10).unwrap_or("").to_string()
}

impl RosterTally {
    pub fn new(staffing: &Staffing, followed_up: Option<&str>) -> RosterTally {
        let r = &staffing.roster().inner;
        let mut t = RosterTally {
            roster: format!("{:016x}", crate::roster::hrw::seed(&r.source)),
            followed_up: followed_up.map(String::from),
            ..RosterTally::default()
        };
        for q in &r.queues {
            t.queues.entry(q.name.clone()).or_default();
            for m in &q.members {
                let name = m.name.to_string();
                t.people.entry(name.clone()).or_default();
                t.person_queues
                    .entry(name.clone())
                    .or_default()
                    .push(q.name.clone());
                if let Some(cap) = m.per_day {
                    let c = t.capacity.entry(name).or_default();
                    *c = (*c).max(cap);
                }
            }
        }
        t
    }

    pub fn merge(&mut self, o: &RosterTally) {
        for (k, l) in &o.queues {
            self.queues.entry(k.clone()).or_default().merge(l);
        }
        for (k, l) in &o.people {
            self.people.entry(k.clone()).or_default().merge(l);
        }
        self.no_person += o.no_person;
    }

    /// Adds one scored decision; `followed` is `Some` when the report has a
    /// follow-up column (`Some(None)`: no follow-up recorded).
    pub fn add(&mut self, d: &Decision, followed: Option<Option<Timestamp>>) {
        let Some(p) = d.assignment.as_deref().map(|a| a.pending()) else {
            return;
        };
        if d.error().is_some() {
            return;
        }
        let Some(queue) = p.queue() else {
            self.no_person += 1;
            return;
        };
        let within = d.follow_up_within_s();
        let q = self.queues.entry(queue.name.clone()).or_default();
        q.leads += 1;
        let Some(m) = p.member() else {
            let why = p.unassigned().map_or("pending", |u| u.as_str());
            *q.unassigned.entry(why.to_string()).or_default() += 1;
            return;
        };
        let start = p.start.unwrap_or(p.arrived);
        let day = date(start, m.cal.offset_s(start));
        let person = self.people.entry(m.name.to_string()).or_default();
        person.leads += 1;
        let deadline = p.deadline(within).map(|(t, _)| t);
        let clock_outside = match within {
            Some(w) => !m
                .cal
                .on_duty(p.arrived.saturating_add(w.saturating_mul(1000))),
            None => false,
        };
        for l in [q, person] {
            l.assigned += 1;
            *l.per_day.entry(day.clone()).or_default() += 1;
            if start > p.arrived {
                l.waited += 1;
            }
            if clock_outside {
                l.clock_outside_hours += 1;
            }
            if let Some(dl) = deadline {
                l.sla.add(dl, followed);
            }
        }
    }
}
