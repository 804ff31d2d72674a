//! Rosters: who works which queue, when, and how many leads a day
//! (`docs/rosters.md`). A roster is YAML kept apart from the agreement;
//! [`Roster::parse`] reads and checks it, [`Roster::staff`] checks it
//! against an agreement into a [`Staffing`](crate::Staffing) that assigns scored leads to
//! people and sets their follow-up deadlines in working hours.

mod assignment;
mod calendar;
mod hours;
pub(crate) mod hrw;
mod load;
pub(crate) mod yaml;

pub use assignment::{Assignment, Unassigned};
pub use load::Load;

pub(crate) use assignment::{rfc3339, Assigned, Pending, State};
pub(crate) use calendar::Calendar;

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::diagnostic::Severity;
use yaml::{Locator, RawMember, RawRoster};

/// The largest roster text read, in bytes.
pub const MAX_ROSTER_BYTES: usize = 1 << 20;

/// One problem with a roster: where (line and column, 1-based, and the key
/// path, e.g. `queues.emea.members[1].timezone`) and what.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RosterDiagnostic {
    /// An error (the roster cannot be used) or a warning.
    pub severity: Severity,
    /// The line, 1-based.
    pub line: usize,
    /// The column, 1-based, in characters.
    pub column: usize,
    /// The key path of the value (empty when the problem is the file's).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for RosterDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: ",
            self.line,
            self.column,
            self.severity.as_str()
        )?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// A roster that cannot be used: every problem found, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterError {
    file: Option<String>,
    diagnostics: Vec<RosterDiagnostic>,
}

impl RosterError {
    pub(crate) fn new(diagnostics: Vec<RosterDiagnostic>) -> RosterError {
        RosterError {
            file: None,
            diagnostics,
        }
    }

    /// Names the file in [`Display`](fmt::Display) (`roster.yaml:7:31: …`).
    pub fn with_file_name(mut self, name: &str) -> RosterError {
        self.file = Some(name.to_string());
        self
    }

    /// Every problem, in the order of the text (errors and warnings).
    pub fn diagnostics(&self) -> &[RosterDiagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for RosterError {
    /// One line per problem: `file:line:column: error: key: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            if let Some(file) = &self.file {
                write!(f, "{file}:")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RosterError {}

/// One member of a queue, checked.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub name: Arc<str>,
    /// Index into the roster's people (one person may work several queues;
    /// `per_day` counts their leads across them).
    pub person: u32,
    pub weight: f64,
    pub per_day: Option<u32>,
    pub seed: u64,
    pub cal: Calendar,
}

/// One queue, checked.
#[derive(Debug, Clone)]
pub(crate) struct Queue {
    pub name: String,
    pub members: Vec<Member>,
    /// Where its name is in the text (for the agreement's warnings).
    pub line: usize,
    pub column: usize,
}

#[derive(Debug)]
pub(crate) struct RosterData {
    pub source: String,
    pub timezone: String,
    pub tz: TimeZone,
    pub queues: Vec<Queue>,
    pub people: Vec<Arc<str>>,
}

/// A roster read from YAML and checked: time zones exist, hours and dates
/// read, weights are positive, no member is listed twice in a queue.
/// Cheap to clone, `Send + Sync`.
///
/// ```
/// let roster = leadgate::Roster::parse(r#"
/// timezone: Europe/Berlin
/// holidays: [2026-12-24]
/// queues:
///   sales:
///     hours: Mon-Fri 09:00-18:00
///     members:
///       - { name: Ana Lopez, weight: 2, per_day: 40 }
///       - { name: Ben Okafor, timezone: Europe/London }
/// "#).unwrap();
/// assert_eq!(roster.queues().collect::<Vec<_>>(), ["sales"]);
/// let err = leadgate::Roster::parse("timezone: Europe/Berln\nqueues: {}\n").unwrap_err();
/// assert_eq!(err.to_string(), "1:11: error: timezone: unknown time zone \"Europe/Berln\"");
/// ```
#[derive(Debug, Clone)]
pub struct Roster {
    pub(crate) inner: Arc<RosterData>,
}

struct Checker<'a> {
    at: Locator<'a>,
    problems: Vec<RosterDiagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, anchors: &[&str], value: &str, key: String, message: String) {
        let (line, column) = self.at.find(anchors, value);
        self.problems.push(RosterDiagnostic {
            severity: Severity::Error,
            line,
            column,
            key,
            message,
        });
    }

    fn tz(&mut self, anchors: &[&str], name: &str, key: String) -> Option<TimeZone> {
        match TimeZone::get(name.trim()) {
            Ok(tz) => Some(tz),
            Err(_) => {
                self.error(
                    anchors,
                    name,
                    key,
                    format!("unknown time zone \"{}\"", name.trim()),
                );
                None
            }
        }
    }
}

impl Roster {
    /// Reads and checks a roster. Every problem is in the error, located.
    pub fn parse(text: &str) -> Result<Roster, RosterError> {
        if text.len() > MAX_ROSTER_BYTES {
            return Err(RosterError::new(vec![RosterDiagnostic {
                severity: Severity::Error,
                line: 1,
                column: 1,
                key: String::new(),
                message: format!(
                    "the roster has {} bytes; at most {MAX_ROSTER_BYTES} are read",
                    text.len()
                ),
            }]));
        }
        let raw: RawRoster = serde_yaml::from_str(text).map_err(|e| {
            let (line, column, key, message) = yaml::serde_error(&e);
            RosterError::new(vec![RosterDiagnostic {
                severity: Severity::Error,
                line,
                column,
                key,
                message,
            }])
        })?;
        let mut c = Checker {
            at: Locator::new(text),
            problems: Vec::new(),
        };
        let tz = c.tz(&["timezone"], &raw.timezone, "timezone".into());
        let mut holidays: Vec<Date> = Vec::new();
        for (i, h) in raw.holidays.iter().enumerate() {
            match hours::dates(h) {
                Ok(days) => holidays.extend(days),
                Err(m) => c.error(&["holidays"], h, format!("holidays[{i}]"), m),
            }
        }
        holidays.sort_unstable();
        holidays.dedup();
        let holidays: Arc<[Date]> = holidays.into();
        let mut people: Vec<Arc<str>> = Vec::new();
        let mut queues = Vec::new();
        for (qi, (qname, q)) in raw.queues.0.iter().enumerate() {
            let qkey = format!("queues.{qname}");
            if raw.queues.0[..qi].iter().any(|(n, _)| n == qname) {
                let first = format!("{qname}:");
                c.error(
                    &["queues", &first],
                    &first,
                    qkey.clone(),
                    format!("the queue \"{qname}\" is listed twice"),
                );
            }
            let anchors = ["queues", qname.as_str()];
            let week = match hours::Week::parse(&q.hours) {
                Ok(w) => Some(w),
                Err(m) => {
                    c.error(&anchors, &q.hours, format!("{qkey}.hours"), m);
                    None
                }
            };
            let qtz = match &q.timezone {
                Some(t) => c.tz(&anchors, t, format!("{qkey}.timezone")),
                None => tz.clone(),
            };
            if q.members.is_empty() {
                c.error(
                    &anchors,
                    "members",
                    format!("{qkey}.members"),
                    "the queue has no members".into(),
                );
            }
            let mut members: Vec<Member> = Vec::new();
            for (mi, m) in q.members.iter().enumerate() {
                let mkey = format!("{qkey}.members[{mi}]");
                if let Some(member) = check_member(
                    &mut c,
                    &anchors,
                    &mkey,
                    m,
                    week.as_ref(),
                    qtz.as_ref(),
                    &holidays,
                ) {
                    if members.iter().any(|x| x.name == member.name) {
                        let name = member.name.clone();
                        // Its second mention in the queue.
                        c.error(
                            &[anchors[0], anchors[1], &name],
                            &name,
                            format!("{mkey}.name"),
                            format!("\"{name}\" is a member of {qname} twice"),
                        );
                        continue;
                    }
                    let person = match people.iter().position(|p| *p == member.name) {
                        Some(p) => p,
                        None => {
                            people.push(member.name.clone());
                            people.len() - 1
                        }
                    };
                    members.push(Member {
                        person: person as u32,
                        ..member
                    });
                }
            }
            let (line, column) = c.at.find(&["queues"], &format!("{qname}:"));
            queues.push(Queue {
                name: qname.clone(),
                members,
                line,
                column,
            });
        }
        if !c.problems.is_empty() {
            c.problems.sort_by_key(|d| (d.line, d.column));
            return Err(RosterError::new(c.problems));
        }
        let tz = tz.unwrap_or(TimeZone::UTC);
        Ok(Roster {
            inner: Arc::new(RosterData {
                source: text.to_string(),
                timezone: raw.timezone.trim().to_string(),
                tz,
                queues,
                people,
            }),
        })
    }

    /// The roster's time zone (IANA name).
    pub fn timezone(&self) -> &str {
        &self.inner.timezone
    }

    /// The queues' names, in file order.
    pub fn queues(&self) -> impl Iterator<Item = &str> {
        self.inner.queues.iter().map(|q| q.name.as_str())
    }

    /// A queue's members' names, in file order (`None` for no such queue).
    pub fn members(&self, queue: &str) -> Option<impl Iterator<Item = &str>> {
        let q = self.inner.queues.iter().find(|q| q.name == queue)?;
        Some(q.members.iter().map(|m| &*m.name))
    }

    /// The roster's text, as parsed.
    pub fn source(&self) -> &str {
        &self.inner.source
    }

    /// Reads an arrival instant: a date (`2026-11-23`, midnight in the
    /// roster's time zone), an RFC 3339 timestamp, or a local date-time
    /// without offset (`2026-11-23 10:30[:00]` or with `T`), read in the
    /// roster's time zone. `None` for anything else.
    pub fn instant(&self, text: &str) -> Option<crate::Timestamp> {
        local_instant(text, &self.inner.tz)
    }
}

/// Reads a lead's instant (an arrival column): a date, a date-time without
/// an offset (`2026-11-23 10:30[:00]`, or with `T`) — both in the roster's
/// time zone, or UTC without a roster — or an RFC 3339 timestamp. `None`
/// for anything else.
///
/// ```
/// let t = leadgate::read_instant("2026-11-23 10:30", None).unwrap();
/// assert_eq!(t.to_string(), "2026-11-23T10:30:00Z");
/// ```
pub fn read_instant(text: &str, roster: Option<&Roster>) -> Option<crate::Timestamp> {
    match roster {
        Some(r) => r.instant(text),
        None => local_instant(text, &TimeZone::UTC),
    }
}

/// Reads an instant; dates and date-times without an offset are local to `tz`.
pub(crate) fn local_instant(text: &str, tz: &TimeZone) -> Option<crate::Timestamp> {
    let t = text.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(crate::Timestamp::from_unix_ms(ts.as_millisecond()));
    }
    let dt = if t.len() == 10 {
        hours::date(t)
            .ok()?
            .to_datetime(jiff::civil::Time::midnight())
    } else {
        t.replacen(' ', "T", 1)
            .parse::<jiff::civil::DateTime>()
            .ok()?
    };
    let ts = tz.to_timestamp(dt).ok()?;
    Some(crate::Timestamp::from_unix_ms(ts.as_millisecond()))
}

fn check_member(
    c: &mut Checker<'_>,
    anchors: &[&str],
    key: &str,
    m: &RawMember,
    queue_week: Option<&hours::Week>,
    queue_tz: Option<&TimeZone>,
    holidays: &Arc<[Date]>,
) -> Option<Member> {
    let name = m.name.trim();
    let mut at: Vec<&str> = anchors.to_vec();
    at.push(name);
    let mut ok = true;
    if name.is_empty() {
        c.error(
            &at,
            "name",
            format!("{key}.name"),
            "a member needs a name".into(),
        );
        ok = false;
    }
    let weight = m.weight.unwrap_or(1.0);
    if !(weight.is_finite() && weight > 0.0) {
        let shown = crate::format_number(weight);
        c.error(&at, &format!("weight: {shown}"), format!("{key}.weight"), format!("the weight must be a number above 0, not {shown} (to take someone out of rotation, mark them away or remove them)"));
        ok = false;
    }
    let tz = match &m.timezone {
        Some(t) => c.tz(&at, t, format!("{key}.timezone")),
        None => queue_tz.cloned(),
    };
    let week = match &m.hours {
        Some(h) => match hours::Week::parse(h) {
            Ok(w) => Some(w),
            Err(msg) => {
                c.error(&at, h, format!("{key}.hours"), msg);
                None
            }
        },
        None => queue_week.cloned(),
    };
    if let Some(w) = &week {
        if w.is_empty() {
            ok = false;
        }
    }
    let mut away = Vec::new();
    for (i, a) in m.away.iter().enumerate() {
        match hours::date_range(a) {
            Ok(r) => away.push(r),
            Err(msg) => {
                c.error(&at, a, format!("{key}.away[{i}]"), msg);
                ok = false;
            }
        }
    }
    away.sort_unstable();
    if !ok {
        return None;
    }
    Some(Member {
        name: name.into(),
        person: 0,
        weight,
        per_day: m.per_day,
        seed: hrw::seed(name),
        cal: Calendar {
            tz: tz?,
            week: week?,
            holidays: holidays.clone(),
            away,
        },
    })
}
