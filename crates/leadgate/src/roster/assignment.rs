//! A decision's assignment: the roster queue, who takes the lead (or why
//! nobody does), and the follow-up deadline in their working hours.

use std::sync::Arc;

use smallvec::SmallVec;

use super::{Member, Queue, RosterData};
use crate::Timestamp;

/// Why a lead that needs a person has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unassigned {
    /// Nobody in the queue is on duty within 7 days, though some would be
    /// working but for their away days.
    EveryoneAway,
    /// The queue has no working hours in the next 7 days (holidays).
    Closed,
    /// Everyone on duty when the lead is assigned has taken their
    /// `per_day` leads that day.
    AtCapacity,
}

impl Unassigned {
    /// As the decision JSON writes it: `everyone away`, `closed`,
    /// `everyone at capacity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Unassigned::EveryoneAway => "everyone away",
            Unassigned::Closed => "closed",
            Unassigned::AtCapacity => "everyone at capacity",
        }
    }
}

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Ranked, waiting for capacity to be settled.
    Pending,
    /// To this member of the queue.
    Assigned(u16),
    Unassigned(Unassigned),
}

/// A decision's assignment as the decision holds it: a trait object, so
/// that only a build that assigns (that makes a [`Staffing`](crate::Staffing),
/// the one place a [`Pending`] is boxed as one) links the roster's calendars
/// and time zones (jiff). The wasm form runtime never assigns and leaves
/// them out (docs/wasm.md, "The form runtime").
pub(crate) trait Assigned: std::fmt::Debug + Send + Sync {
    /// The assignment's data.
    fn pending(&self) -> &Pending;
    /// The assignment's data, to settle it.
    fn pending_mut(&mut self) -> &mut Pending;
    /// A copy, boxed.
    fn boxed(&self) -> Box<dyn Assigned>;
    /// The follow-up deadline for a rule's `within`, as RFC 3339 in the
    /// assignee's time zone.
    fn follow_up_by(&self, within_s: Option<i64>) -> Option<String>;
    /// The assignment by name.
    fn view(&self, within_s: Option<i64>) -> Assignment<'_>;
}

impl Assigned for Pending {
    fn pending(&self) -> &Pending {
        self
    }

    fn pending_mut(&mut self) -> &mut Pending {
        self
    }

    fn boxed(&self) -> Box<dyn Assigned> {
        Box::new(self.clone())
    }

    fn follow_up_by(&self, within_s: Option<i64>) -> Option<String> {
        self.deadline(within_s).and_then(|(t, o)| rfc3339(t, o))
    }

    fn view(&self, within_s: Option<i64>) -> Assignment<'_> {
        Pending::view(self, within_s)
    }
}

impl Clone for Box<dyn Assigned> {
    fn clone(&self) -> Self {
        self.boxed()
    }
}

impl PartialEq for dyn Assigned {
    fn eq(&self, other: &dyn Assigned) -> bool {
        self.pending() == other.pending()
    }
}

/// What a decision carries when scored with a roster.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub roster: Arc<RosterData>,
    /// The roster queue (`None`: the route needs no person).
    pub queue: Option<u32>,
    /// The instant the lead was scored at (its arrival).
    pub arrived: i64,
    /// When the lead is assigned: the first instant someone in the queue is
    /// on duty; once settled, when its assignee is.
    pub start: Option<i64>,
    /// (first instant on duty, member) for everyone on duty within the
    /// wait: earliest first, then by rendezvous score.
    pub ranked: SmallVec<[(i64, u16); 4]>,
    pub state: State,
}

impl PartialEq for Pending {
    fn eq(&self, o: &Pending) -> bool {
        Arc::ptr_eq(&self.roster, &o.roster)
            && self.queue == o.queue
            && self.arrived == o.arrived
            && self.start == o.start
            && self.ranked == o.ranked
            && self.state == o.state
    }
}

/// A decision's assignment, read with [`Decision::assignment`](crate::Decision::assignment).
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment<'a> {
    /// The roster queue the lead went to (`None`: its route needs no
    /// person — a route without a queue whose destination names no roster
    /// queue, such as nurture).
    pub queue: Option<&'a str>,
    /// Who takes the lead.
    pub assignee: Option<&'a str>,
    /// Why nobody does, when the lead needs a person.
    pub unassigned: Option<Unassigned>,
    /// When the lead arrived (the instant it was scored at).
    pub arrived: Timestamp,
    /// When it was assigned — its arrival, or when someone next came on
    /// duty — as RFC 3339 in the assignee's time zone.
    pub assigned_at: Option<String>,
    /// The follow-up deadline, `within` of the assignee's working time after
    /// `assigned_at`, as RFC 3339 in their time zone (`None` without
    /// `within` or an assignee).
    pub follow_up_by: Option<String>,
}

impl Pending {
    pub(crate) fn queue(&self) -> Option<&Queue> {
        self.roster.queues.get(self.queue? as usize)
    }

    pub(crate) fn member(&self) -> Option<&Member> {
        match self.state {
            State::Assigned(m) => self.queue()?.members.get(m as usize),
            _ => None,
        }
    }

    pub(crate) fn unassigned(&self) -> Option<Unassigned> {
        match self.state {
            State::Unassigned(u) => Some(u),
            _ => None,
        }
    }

    /// The deadline (instant, offset) for a rule's `within`.
    pub(crate) fn deadline(&self, within_s: Option<i64>) -> Option<(i64, i32)> {
        let m = self.member()?;
        let t = m.cal.deadline(self.start?, within_s?)?;
        Some((t, m.cal.offset_s(t)))
    }

    pub(crate) fn view(&self, within_s: Option<i64>) -> Assignment<'_> {
        let member = self.member();
        Assignment {
            queue: self.queue().map(|q| q.name.as_str()),
            assignee: member.map(|m| &*m.name),
            unassigned: self.unassigned(),
            arrived: Timestamp::from_unix_ms(self.arrived),
            assigned_at: member
                .zip(self.start)
                .and_then(|(m, t)| rfc3339(t, m.cal.offset_s(t))),
            follow_up_by: self.deadline(within_s).and_then(|(t, o)| rfc3339(t, o)),
        }
    }
}

/// RFC 3339 at a UTC offset: `2026-12-28T09:30:00+01:00`.
pub(crate) fn rfc3339(t: i64, offset_s: i32) -> Option<String> {
    let ts = jiff::Timestamp::from_millisecond(t).ok()?;
    let off = jiff::tz::Offset::from_seconds(offset_s).ok()?;
    Some(ts.display_with_offset(off).to_string())
}
