//! One person's working time: weekly hours in their time zone, less the
//! roster's holidays and their own away days. Instants are milliseconds
//! since the Unix epoch; every local date and clock time goes through the
//! bundled tz database (jiff), so DST changes move the hours with the
//! clocks, and a span that starts in a DST gap starts when the clocks
//! resume.

use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::hours::{Week, DAY_S};

/// Days a lead waits at most for someone to be on duty (see
/// docs/rosters.md): past that, it is unassigned.
pub(crate) const WAIT_DAYS: i32 = 7;
/// Days a follow-up deadline is looked for at most (`within` of up to
/// several years of working time).
const DEADLINE_DAYS: i32 = 4000;

/// A person's calendar.
#[derive(Debug, Clone)]
pub(crate) struct Calendar {
    pub tz: TimeZone,
    pub week: Week,
    /// The roster's holidays, sorted.
    pub holidays: Arc<[Date]>,
    /// Inclusive ranges of away days, sorted.
    pub away: Vec<(Date, Date)>,
}

fn ms(ts: jiff::Timestamp) -> i64 {
    ts.as_millisecond()
}

impl Calendar {
    /// The local date of an instant.
    pub fn date(&self, t: i64) -> Option<Date> {
        let ts = jiff::Timestamp::from_millisecond(t).ok()?;
        Some(self.tz.to_datetime(ts).date())
    }

    /// The local date of an instant as days since 1970-01-01 (for counting
    /// leads per day).
    pub fn day_number(&self, t: i64) -> Option<i32> {
        let d = self.date(t)?;
        let epoch = jiff::civil::date(1970, 1, 1);
        d.since(epoch).ok().map(|s| s.get_days())
    }

    /// The UTC offset in seconds at an instant.
    pub fn offset_s(&self, t: i64) -> i32 {
        match jiff::Timestamp::from_millisecond(t) {
            Ok(ts) => self.tz.to_offset(ts).seconds(),
            Err(_) => 0,
        }
    }

    fn is_holiday(&self, d: Date) -> bool {
        self.holidays.binary_search(&d).is_ok()
    }

    fn is_away(&self, d: Date) -> bool {
        self.away.iter().any(|(a, b)| *a <= d && d <= *b)
    }

    /// The instant a local date and clock time (seconds since midnight, up
    /// to 24:00) happens; in a DST gap, when the clocks resume.
    fn instant(&self, d: Date, secs: u32) -> Option<i64> {
        let (d, secs) = if secs >= DAY_S {
            (d.tomorrow().ok()?, 0)
        } else {
            (d, secs)
        };
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let dt = d.at(h as i8, m as i8, s as i8, 0);
        self.tz.to_timestamp(dt).ok().map(ms)
    }

    /// A date's working spans as instants `[start, end)`: none on a holiday,
    /// none on an away day unless `ignore_away`.
    fn spans(&self, d: Date, ignore_away: bool) -> impl Iterator<Item = (i64, i64)> + '_ {
        let closed = self.is_holiday(d) || (!ignore_away && self.is_away(d));
        let day = d.weekday().to_monday_zero_offset() as usize;
        let spans: &[(u32, u32)] = match self.week.0.get(day) {
            Some(s) if !closed => s,
            _ => &[],
        };
        spans.iter().filter_map(move |&(a, b)| {
            let (a, b) = (self.instant(d, a)?, self.instant(d, b)?);
            (b > a).then_some((a, b))
        })
    }

    /// Local dates from the one of `t` on, `days` of them.
    fn days_from(&self, t: i64, days: i32) -> impl Iterator<Item = Date> {
        let mut d = self.date(t);
        (0..days).map_while(move |_| {
            let cur = d?;
            d = cur.tomorrow().ok();
            Some(cur)
        })
    }

    /// The first instant at or after `t` when the person is on duty, within
    /// [`WAIT_DAYS`]; with `ignore_away`, as if they were not away.
    pub fn next_on_duty(&self, t: i64, ignore_away: bool) -> Option<i64> {
        self.days_from(t, WAIT_DAYS + 1)
            .flat_map(|d| self.spans(d, ignore_away))
            .find(|&(_, b)| b > t)
            .map(|(a, _)| a.max(t))
    }

    /// Whether the person is on duty at `t`.
    pub fn on_duty(&self, t: i64) -> bool {
        self.date(t)
            .is_some_and(|d| self.spans(d, false).any(|(a, b)| a <= t && t < b))
    }

    /// The deadline `within_s` of working time after `start`: hours and
    /// minutes count working time; a whole number of days counts working
    /// days (the same clock time that many working days later, moved to
    /// that day's next working instant, or its close). `None` when no
    /// deadline falls within years.
    pub fn deadline(&self, start: i64, within_s: i64) -> Option<i64> {
        if within_s >= i64::from(DAY_S) && within_s % i64::from(DAY_S) == 0 {
            return self.working_days_later(start, within_s / i64::from(DAY_S));
        }
        let mut left = within_s.max(0).checked_mul(1000)?;
        for d in self.days_from(start, DEADLINE_DAYS) {
            for (a, b) in self.spans(d, false) {
                if b <= start {
                    continue;
                }
                let a = a.max(start);
                if left <= b - a {
                    return Some(a + left);
                }
                left -= b - a;
            }
        }
        None
    }

    fn working_days_later(&self, start: i64, n: i64) -> Option<i64> {
        let ts = jiff::Timestamp::from_millisecond(start).ok()?;
        let clock = self.tz.to_datetime(ts).time();
        let mut working = self
            .days_from(start, DEADLINE_DAYS)
            .skip(1)
            .filter(|d| self.spans(*d, false).next().is_some());
        let day = working.nth(usize::try_from(n - 1).ok()?)?;
        let at = self.tz.to_timestamp(day.to_datetime(clock)).ok().map(ms)?;
        let spans: Vec<(i64, i64)> = self.spans(day, false).collect();
        if let Some(&(a, _)) = spans.iter().find(|&&(_, b)| b > at) {
            return Some(a.max(at));
        }
        spans.last().map(|&(_, b)| b)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cal(tz: &str, hours: &str, holidays: &[&str]) -> Calendar {
        let mut h: Vec<Date> = holidays.iter().map(|d| d.parse().unwrap()).collect();
        h.sort();
        Calendar {
            tz: TimeZone::get(tz).unwrap(),
            week: Week::parse(hours).unwrap(),
            holidays: h.into(),
            away: Vec::new(),
        }
    }

    fn at(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    fn show(c: &Calendar, t: i64) -> String {
        let ts = jiff::Timestamp::from_millisecond(t).unwrap();
        ts.display_with_offset(c.tz.to_offset(ts)).to_string()
    }

    #[test]
    fn working_hours_skip_nights_weekends_and_holidays() {
        let c = cal(
            "Europe/Berlin",
            "Mon-Fri 09:00-18:00",
            &["2026-12-24", "2026-12-25"],
        );
        // Wednesday 17:30 local + 1h of working time: Thursday is a
        // holiday, Friday too, so Monday 09:30.
        let t = at("2026-12-23T16:30:00Z");
        assert!(c.on_duty(t));
        assert_eq!(
            show(&c, c.deadline(t, 3600).unwrap()),
            "2026-12-28T09:30:00+01:00"
        );
        // Arriving at night: on duty from the next opening.
        let night = at("2026-12-22T21:00:00Z");
        assert!(!c.on_duty(night));
        assert_eq!(
            show(&c, c.next_on_duty(night, false).unwrap()),
            "2026-12-23T09:00:00+01:00"
        );
        // One working day later: the same clock time on the next working day.
        assert_eq!(
            show(&c, c.deadline(t, 86_400).unwrap()),
            "2026-12-28T17:30:00+01:00"
        );
    }

    #[test]
    fn hours_follow_the_clocks_over_a_dst_change() {
        // Berlin springs forward on 2026-03-29 (Sunday): Monday 09:00 is
        // 07:00Z, the Friday before 08:00Z.
        let c = cal("Europe/Berlin", "Mon-Fri 09:00-18:00", &[]);
        let fri = at("2026-03-27T16:30:00Z"); // 17:30 CET
        assert_eq!(
            show(&c, c.deadline(fri, 3600).unwrap()),
            "2026-03-30T09:30:00+02:00"
        );
        // A span through the gap (02:00-03:00 does not exist) is shorter.
        let g = cal("Europe/Berlin", "Sun 01:00-04:00", &[]);
        let start = at("2026-03-29T00:00:00Z"); // 01:00 CET
        assert_eq!(
            show(&g, g.deadline(start, 2 * 3600).unwrap()),
            "2026-03-29T04:00:00+02:00"
        );
    }

    #[test]
    fn away_days_and_the_wait_limit() {
        let mut c = cal("Europe/London", "Mon-Fri 09:00-17:00", &[]);
        c.away = vec![("2026-12-01".parse().unwrap(), "2026-12-10".parse().unwrap())];
        let t = at("2026-12-01T10:00:00Z");
        assert_eq!(c.next_on_duty(t, false), None);
        assert_eq!(c.next_on_duty(t, true), Some(t));
        c.away = vec![("2026-12-01".parse().unwrap(), "2026-12-02".parse().unwrap())];
        assert_eq!(
            show(&c, c.next_on_duty(t, false).unwrap()),
            "2026-12-03T09:00:00+00:00"
        );
    }
}
