//! The small texts of a roster: working hours (`Mon-Fri 09:00-18:00, Sat
//! 10:00-14:00`), dates (`2026-12-24`) and inclusive date ranges
//! (`2026-12-01..2026-12-05`).

use jiff::civil::Date;

/// Seconds in a day: `24:00` as an end.
pub(crate) const DAY_S: u32 = 86_400;

/// Working hours for each weekday, Monday first: sorted, merged spans of
/// seconds since local midnight, `[start, end)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Week(pub [Vec<(u32, u32)>; 7]);

const DAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `Mon` or `Monday`, in any case → 0.
fn weekday(s: &str) -> Result<usize, String> {
    let lower = s.trim().to_ascii_lowercase();
    DAYS.iter()
        .position(|d| lower == *d || (lower.len() == 3 && d.starts_with(&lower)))
        .ok_or_else(|| {
            format!(
                "\"{}\" is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun)",
                s.trim()
            )
        })
}

/// `09:00` → seconds since midnight; `24:00` only as an end.
fn clock(s: &str, end: bool) -> Result<u32, String> {
    let bad = || {
        format!(
            "\"{}\" is not a time of day (HH:MM, 00:00 to 24:00)",
            s.trim()
        )
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && (m != 0 || !end)) {
        return Err(bad());
    }
    Ok(h * 3600 + m * 60)
}

impl Week {
    /// Reads `Mon-Fri 09:00-18:00, Sat 10:00-14:00`: spans separated by
    /// commas, each a weekday or a range of weekdays (`Fri-Mon` wraps),
    /// then a time range that ends after it starts (`24:00` for midnight).
    pub(crate) fn parse(text: &str) -> Result<Week, String> {
        let mut week = Week::default();
        if text.trim().is_empty() {
            return Err("no working hours: write e.g. \"Mon-Fri 09:00-18:00\"".into());
        }
        for part in text.split(',') {
            let part = part.trim();
            let (days, times) = part.split_once(char::is_whitespace).ok_or_else(|| {
                format!("\"{part}\" is not a span of hours: write days, then times, as in \"Mon-Fri 09:00-18:00\"")
            })?;
            let (from, to) = match days.split_once('-') {
                Some((a, b)) => (weekday(a)?, weekday(b)?),
                None => {
                    let d = weekday(days)?;
                    (d, d)
                }
            };
            let (start, end) = times.trim().split_once('-').ok_or_else(|| {
                format!(
                    "\"{}\" is not a time range: write e.g. 09:00-18:00",
                    times.trim()
                )
            })?;
            let (start, end) = (clock(start, false)?, clock(end, true)?);
            if end <= start {
                return Err(format!(
                    "\"{}\" ends before it starts: hours cannot run past midnight (write two spans, e.g. \"Mon 22:00-24:00, Tue 00:00-06:00\")",
                    times.trim()
                ));
            }
            let mut d = from;
            loop {
                week.0[d].push((start, end));
                if d == to {
                    break;
                }
                d = (d + 1) % 7;
            }
        }
        for spans in &mut week.0 {
            spans.sort_unstable();
            let mut merged: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
            for &(s, e) in spans.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *spans = merged;
        }
        Ok(week)
    }

    /// Whether any day has hours.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(Vec::is_empty)
    }
}

/// Reads a calendar date, `2026-12-24`.
pub(crate) fn date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let ok =
        t.len() == 10 && t.as_bytes().get(4) == Some(&b'-') && t.as_bytes().get(7) == Some(&b'-');
    match t.parse::<Date>() {
        Ok(d) if ok => Ok(d),
        _ => Err(format!("\"{t}\" is not a date (YYYY-MM-DD)")),
    }
}

/// Reads a date or an inclusive range of dates, `2026-12-01..2026-12-05`.
pub(crate) fn date_range(text: &str) -> Result<(Date, Date), String> {
    match text.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (date(a)?, date(b)?);
            if b < a {
                return Err(format!(
                    "\"{}\" ends before it starts: write the earlier date first",
                    text.trim()
                ));
            }
            Ok((a, b))
        }
        None => date(text).map(|d| (d, d)),
    }
}

/// The longest range of holidays, in days.
const MAX_RANGE_DAYS: usize = 366;

/// Every date of a date or an inclusive range (of at most a year).
pub(crate) fn dates(text: &str) -> Result<Vec<Date>, String> {
    let (a, b) = date_range(text)?;
    let mut out = vec![a];
    let mut d = a;
    while d < b {
        d = d.tomorrow().map_err(|e| e.to_string())?;
        out.push(d);
        if out.len() > MAX_RANGE_DAYS {
            return Err(format!(
                "\"{}\" is longer than a year: list the holidays of each year",
                text.trim()
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_spans_ranges_and_wrapping_weekdays() {
        let w = Week::parse("Mon-Fri 09:00-18:00, Sat 10:00-14:00").unwrap();
        assert_eq!(w.0[0], vec![(9 * 3600, 18 * 3600)]);
        assert_eq!(w.0[5], vec![(10 * 3600, 14 * 3600)]);
        assert!(w.0[6].is_empty());
        let w = Week::parse("Fri-Mon 00:00-24:00, mon 08:00-09:00").unwrap();
        assert_eq!(w.0[0], vec![(0, DAY_S)]);
        assert!(w.0[3].is_empty());
        assert_eq!(w.0[4], vec![(0, DAY_S)]);
        let w = Week::parse("Monday 09:00-12:00, Mon 11:00-13:00, Mon 14:00-15:00").unwrap();
        assert_eq!(w.0[0], vec![(9 * 3600, 13 * 3600), (14 * 3600, 15 * 3600)]);
        for bad in [
            "",
            "Mon-Fri",
            "Mon-Fri 18:00-09:00",
            "Mon-Fri 9-17",
            "Mo-Fr 09:00-18:00",
            "Mon 24:00-24:00",
            "Mon 09:60-10:00",
        ] {
            assert!(Week::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_inclusive_ranges() {
        assert_eq!(date_range("2026-12-01..2026-12-05").unwrap().1.day(), 5);
        assert_eq!(date_range("2026-12-24").unwrap().0.month(), 12);
        assert!(date_range("2026-12-05..2026-12-01").is_err());
        assert!(date("2026-13-01").is_err());
        assert!(date("26-12-01").is_err());
        assert!(date("2026-12-01T00:00").is_err());
        assert_eq!(dates("2026-12-30..2027-01-02").unwrap().len(), 4);
        assert!(dates("2026-01-01..2027-12-31").is_err());
    }
}
