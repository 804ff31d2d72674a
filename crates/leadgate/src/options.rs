//! How leads are scored: the instant they are scored at, and what a bad
//! value does. There is no default instant: an agreement with decay,
//! `within` or `days_since` gives different decisions at different times,
//! so the caller always says when.

use crate::bind::OnBadValue;

/// An instant, in milliseconds since the Unix epoch (UTC).
///
/// ```
/// let t = leadgate::Timestamp::parse("2026-11-23").unwrap();
/// assert_eq!(t.to_string(), "2026-11-23T00:00:00Z");
/// assert_eq!(leadgate::Timestamp::parse("2026-11-23T10:30:00+01:00").unwrap().to_string(),
///            "2026-11-23T09:30:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `ms` milliseconds after 1970-01-01T00:00:00Z.
    pub fn from_unix_ms(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub fn unix_ms(self) -> i64 {
        self.0
    }

    /// Midnight UTC of a date of the proleptic Gregorian calendar, for any
    /// year (a host's date types reach far beyond what dates in agreements
    /// do): an instant beyond the range of `i64` milliseconds saturates, so
    /// it reads as one far beyond any date the core accepts, never wrapped
    /// round to a near one.
    ///
    /// ```
    /// use leadgate::Timestamp;
    /// assert_eq!(Timestamp::from_date(2026, 11, 23), Timestamp::parse("2026-11-23").unwrap());
    /// assert_eq!(Timestamp::from_date(1969, 12, 31).unix_ms(), -86_400_000);
    /// ```
    pub fn from_date(year: i64, month: i64, day: i64) -> Timestamp {
        // Days since 1970-01-01 (Howard Hinnant's algorithm). A year (or a
        // month or day) beyond a trillion is as far as any: clamped first,
        // the arithmetic cannot overflow and wrap round to a near date.
        const FAR: i64 = 1_000_000_000_000;
        let [year, month, day] = [year, month, day].map(|v| v.clamp(-FAR, FAR));
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
        Timestamp(days.saturating_mul(86_400_000))
    }

    /// Reads `2026-11-23` (midnight UTC) or an RFC 3339 date-time
    /// (`2026-11-23T10:30:00Z`, `…+01:00`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Timestamp> {
        crate::syntax::parse_date(text.trim()).map(Timestamp)
    }

    /// The current instant from the system clock (not on wasm32, where the
    /// host passes `Date.now()`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> Timestamp {
        let ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        Timestamp(ms)
    }
}

impl std::fmt::Display for Timestamp {
    /// RFC 3339 in UTC, with milliseconds only when there are any.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match crate::dates::format_rfc3339(self.0) {
            Some(text) => f.write_str(&text),
            None => write!(f, "{} ms since 1970", self.0),
        }
    }
}

/// How leads are scored. Made with [`at`](Self::at) or [`now`](Self::now):
/// an instant is always given.
///
/// ```
/// use leadgate::{OnBadValue, ScoreOptions, Timestamp};
/// let opts = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap())
///     .on_bad_value(OnBadValue::Missing);
/// assert_eq!(opts.as_of().to_string(), "2026-11-23T00:00:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreOptions {
    as_of: Timestamp,
    on_bad_value: OnBadValue,
    explain: bool,
}

impl ScoreOptions {
    /// Scores as of `instant`: rejects bad values, builds the explanation.
    pub fn at(instant: Timestamp) -> ScoreOptions {
        ScoreOptions {
            as_of: instant,
            on_bad_value: OnBadValue::Error,
            explain: true,
        }
    }

    /// Scores as of the current instant (see [`Timestamp::now`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> ScoreOptions {
        ScoreOptions::at(Timestamp::now())
    }

    /// The same options at another instant: for scoring each lead as of its
    /// own arrival (replays, backtests with decay), per call.
    ///
    /// ```
    /// use leadgate::{ScoreOptions, Timestamp};
    /// let batch = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap()).explain(false);
    /// let lead = batch.with_as_of(Timestamp::parse("2026-01-05T09:30:00Z").unwrap());
    /// assert_eq!(lead.as_of().to_string(), "2026-01-05T09:30:00Z");
    /// assert!(!lead.explains());
    /// ```
    pub fn with_as_of(mut self, instant: Timestamp) -> ScoreOptions {
        self.as_of = instant;
        self
    }

    /// What a value that does not fit its field does (default: reject the lead).
    pub fn on_bad_value(mut self, on_bad_value: OnBadValue) -> ScoreOptions {
        self.on_bad_value = on_bad_value;
        self
    }

    /// Whether to build the explanation (`fired`, `unknown`, `undecided`;
    /// default yes). Scores, grades and the route do not depend on it.
    pub fn explain(mut self, explain: bool) -> ScoreOptions {
        self.explain = explain;
        self
    }

    /// The instant leads are scored at.
    pub fn as_of(&self) -> Timestamp {
        self.as_of
    }

    /// What a bad value does.
    pub fn bad_values(&self) -> OnBadValue {
        self.on_bad_value
    }

    /// Whether the explanation is built.
    pub fn explains(&self) -> bool {
        self.explain
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[test]
    fn dates_of_any_year() {
        let days = |y, m, d| Timestamp::from_date(y, m, d).unix_ms() / 86_400_000;
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(1970, 1, 2), 1);
        assert_eq!(days(2000, 3, 1), 11_017);
        assert_eq!(days(1969, 12, 31), -1);
        assert_eq!(days(2026, 11, 23), 20_780);
        assert_eq!(days(2024, 2, 29) + 1, days(2024, 3, 1));
        // 300 million years away (a pandas Timestamp can be): far, not wrapped.
        assert!(Timestamp::from_date(300_000_000, 1, 1).unix_ms() > 9_000_000_000_000_000);
        // A host object may claim any year: far, never wrapped round.
        assert_eq!(Timestamp::from_date(i64::MAX, 1, 1).unix_ms(), i64::MAX);
        assert_eq!(Timestamp::from_date(i64::MIN, 12, 31).unix_ms(), i64::MIN);
        assert!(Timestamp::from_date(2026, i64::MAX, i64::MIN).unix_ms() < 0);
    }
}
