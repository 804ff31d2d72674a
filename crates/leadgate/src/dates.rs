//! Dates and instants read and written without a date library: the
//! language's two forms (`2026-11-23` and RFC 3339) as milliseconds since
//! 1970, and an instant back as RFC 3339 in UTC.
//!
//! Why not chrono (which the parser used before): chrono's format machinery
//! was 14.7 KB of the gzipped wasm form runtime for these two forms
//! (docs/wasm.md, "The form runtime"). What is read here is exactly what
//! chrono read — `NaiveDate::parse_from_str(text, "%Y-%m-%d")` and
//! `DateTime::parse_from_rfc3339` of chrono 0.4.45, its year range and
//! leap seconds included — and what is written is what its `format` wrote:
//! the tests compare both with chrono (a dev-dependency) on random texts
//! and instants, so no decision changes.

/// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`; exact for every `i32` year).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The years chrono's dates hold (`NaiveDate::MIN` to `NaiveDate::MAX`).
const YEARS: std::ops::RangeInclusive<i64> = -262_143..=262_142;

/// Whether `y-m-d` is a date (chrono's `NaiveDate::from_ymd_opt`).
fn is_date(y: i64, m: u32, d: u32) -> bool {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    YEARS.contains(&y) && (1..=days).contains(&d)
}

/// Up to `max` ASCII digits, at least one, as chrono's `scan::number`
/// reads them: the value and the rest (`None` on overflow).
fn number(s: &str, max: usize) -> Option<(i64, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let (digits, rest) = s.split_at(n);
    let value = digits.bytes().try_fold(0i64, |v, c| {
        v.checked_mul(10)?.checked_add(i64::from(c - b'0'))
    })?;
    Some((value, rest))
}

/// `%Y-%m-%d` as chrono's parser reads it: each number may follow
/// whitespace; the year has up to four digits, or any number after a sign;
/// month and day one or two.
fn ymd_format(text: &str) -> Option<(i64, u32, u32)> {
    let s = text.trim_start();
    let (year, s) = match s.as_bytes().first() {
        Some(b'-') => {
            let (v, rest) = number(&s[1..], usize::MAX)?;
            (-v, rest)
        }
        Some(b'+') => number(&s[1..], usize::MAX)?,
        _ => number(s, 4)?,
    };
    i32::try_from(year).ok()?;
    let (month, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let (day, s) = number(s.strip_prefix('-')?.trim_start(), 2)?;
    let ok = (1..=12).contains(&month) && (1..=31).contains(&day) && s.is_empty();
    ok.then_some((year, month as u32, day as u32))
}

/// The numbers of `YYYY-MM-DD` written with ASCII digits, the form nearly
/// every date takes (read without the general reader).
fn plain_date(b: &[u8]) -> Option<(i64, u32, u32)> {
    let digits = |r: std::ops::Range<usize>| {
        let part = b.get(r)?;
        part.iter().try_fold(0u32, |n, c| match c {
            b'0'..=b'9' => Some(n * 10 + u32::from(c - b'0')),
            _ => None,
        })
    };
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    Some((i64::from(digits(0..4)?), digits(5..7)?, digits(8..10)?))
}

const MS_PER_DAY: i64 = 86_400_000;

/// `2026-11-23` (midnight UTC; a text of ten bytes read as `%Y-%m-%d`) or
/// RFC 3339 → milliseconds since the epoch.
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    if text.len() == 10 {
        let (y, m, d) = plain_date(text.as_bytes()).or_else(|| ymd_format(text))?;
        return is_date(y, m, d).then(|| days_from_civil(y, m, d) * MS_PER_DAY);
    }
    rfc3339(text)
}

/// RFC 3339 as chrono's `parse_from_rfc3339` reads it: `T`, `t` or a space
/// between date and time, a second of 60 (a leap second, counted as the
/// next second's first), any number of fraction digits (the first nine
/// count), `Z`, `z` or an offset of at most 23:59 (`+`, `-` or U+2212).
fn rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let two = |at: usize| -> Option<u32> {
        match (b.get(at)?, b.get(at + 1)?) {
            (x @ b'0'..=b'9', y @ b'0'..=b'9') => {
                Some(u32::from(x - b'0') * 10 + u32::from(y - b'0'))
            }
            _ => None,
        }
    };
    let year = i64::from(two(0)? * 100 + two(2)?);
    let sep = |at: usize, c: &[u8]| b.get(at).is_some_and(|x| c.contains(x));
    if b.len() < 19 || !sep(4, b"-") || !sep(7, b"-") || !sep(10, b"Tt ") {
        return None;
    }
    let (month, day) = (two(5)?, two(8)?);
    if !is_date(year, month, day) || !sep(13, b":") || !sep(16, b":") {
        return None;
    }
    let (hour, minute, second) = (two(11)?, two(14)?, two(17)?);
    let (second, leap) = match second {
        60 => (59, 1_000),
        s => (s, 0),
    };
    let (ms, rest) = match text[19..].strip_prefix('.') {
        Some(fraction) => {
            let (v, rest) = number(fraction, 9)?;
            let digits = fraction.len() - rest.len();
            let nanos = v * 10i64.pow(9 - digits as u32);
            (
                leap + nanos / 1_000_000,
                rest.trim_start_matches(|c: char| c.is_ascii_digit()),
            )
        }
        None => (leap, &text[19..]),
    };
    if hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    let offset_s = offset(rest)?;
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3_600 + minute * 60 + second) - offset_s;
    Some(secs * 1_000 + ms)
}

/// `Z`, `z`, or `±hh:mm` (hours below 24, minutes below 60), nothing after
/// it: the offset in seconds east of UTC.
fn offset(s: &str) -> Option<i64> {
    if s == "Z" || s == "z" {
        return Some(0);
    }
    let (negative, s) = match s.chars().next()? {
        '+' => (false, &s[1..]),
        '-' => (true, &s[1..]),
        '\u{2212}' => (true, &s['\u{2212}'.len_utf8()..]),
        _ => return None,
    };
    let b = s.as_bytes();
    let digit = |at: usize| {
        b.get(at)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    let hours = digit(0)? * 10 + digit(1)?;
    if b.get(2) != Some(&b':')
        || b.len() != 5
        || !b.get(3).is_some_and(|c| (b'0'..=b'5').contains(c))
    {
        return None;
    }
    let seconds = hours * 3_600 + (digit(3)? * 10 + digit(4)?) * 60;
    (seconds < 86_400).then_some(if negative { -seconds } else { seconds })
}

/// An instant as RFC 3339 in UTC (`2026-11-23T10:30:00Z`, with
/// milliseconds only when there are any), as chrono formatted it; `None`
/// outside chrono's years.
pub(crate) fn format_rfc3339(ms: i64) -> Option<String> {
    let (days, in_day) = (ms.div_euclid(MS_PER_DAY), ms.rem_euclid(MS_PER_DAY));
    let (y, m, d) = civil_from_days(days);
    if !YEARS.contains(&y) {
        return None;
    }
    let year = match y {
        0..=9_999 => format!("{y:04}"),
        _ => format!("{y:+05}"),
    };
    let (s, milli) = (in_day / 1_000, in_day % 1_000);
    let time = format!("{:02}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60);
    Some(match milli {
        0 => format!("{year}-{m:02}-{d:02}T{time}Z"),
        _ => format!("{year}-{m:02}-{d:02}T{time}.{milli:03}Z"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate};

    /// What chrono read (the parser's code before this module).
    fn chrono_date(text: &str) -> Option<i64> {
        if text.len() == 10 {
            let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis());
        }
        Some(DateTime::parse_from_rfc3339(text).ok()?.timestamp_millis())
    }

    /// What chrono wrote (`Timestamp`'s `Display` before this module).
    fn chrono_format(ms: i64) -> Option<String> {
        let t = DateTime::from_timestamp_millis(ms)?;
        Some(match ms % 1000 {
            0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            _ => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4_000))]

        #[test]
        fn plain_dates_read_as_chrono_reads_them(y in 0u32..10_000, m in 0u32..14, d in 0u32..33) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            proptest::prop_assert_eq!(parse_date(&text), chrono_date(&text), "{}", text);
        }

        #[test]
        fn other_ten_byte_texts_too(text in "[0-9+ T:\u{2212}\u{a0}-]{10}|[ +-]{0,2}[0-9]{1,6}-[ ]?[0-9]{1,2}-[ ]?[0-9]{1,2}") {
            proptest::prop_assert_eq!(parse_date(&text), chrono_date(&text), "{:?}", text);
        }

        #[test]
        fn rfc3339_texts_too(
            date in "[0-9]{4}-[01][0-9]-[0-3][0-9]",
            sep in "[Tt ]|x",
            time in "[0-2][0-9]:[0-6][0-9]:[0-6][0-9]",
            fraction in "(\\.[0-9]{0,12})?",
            zone in "[Zz]|[+\u{2212}-][0-2][0-9]:[0-7][0-9]|[+-][0-9]{2}[0-9:]{0,3}|",
            tail in "|x| ",
        ) {
            let text = format!("{date}{sep}{time}{fraction}{zone}{tail}");
            proptest::prop_assert_eq!(parse_date(&text), chrono_date(&text), "{:?}", text);
        }

        #[test]
        fn any_short_text_too(text in "[0-9TtZz:. +\u{2212}-]{0,32}") {
            proptest::prop_assert_eq!(parse_date(&text), chrono_date(&text), "{:?}", text);
        }

        #[test]
        fn instants_are_written_as_chrono_wrote_them(
            ms in proptest::prop_oneof![
                proptest::num::i64::ANY,
                -300_000_000_000_000i64..300_000_000_000_000,
            ]
        ) {
            proptest::prop_assert_eq!(format_rfc3339(ms), chrono_format(ms), "{}", ms);
        }

        #[test]
        fn days_go_there_and_back(days in -100_000_000i64..100_000_000) {
            let (y, m, d) = civil_from_days(days);
            proptest::prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn edges_read_and_written_as_chrono_does() {
        let texts = [
            "2026-11-23",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "9999-12-31",
            "+2026-1-01",
            "-0001-1-01",
            "+99999-1-1",
            "-262143-1-1",
            " 2026-1-01",
            "2026- 1-01",
            "2026-1- 1x",
            "2026-11-23T10:30:00Z",
            "2026-11-23t10:30:00z",
            "2026-11-23 10:30:00+01:00",
            "2026-11-23T10:30:00\u{2212}01:00",
            "2026-11-23T23:59:60Z",
            "2026-11-23T23:59:60.999Z",
            "2026-11-23T23:58:60Z",
            "2026-11-23T10:30:00.123456789123+05:30",
            "2026-11-23T10:30:00.Z",
            "2026-11-23T10:30:00+24:00",
            "2026-11-23T10:30:00+23:59",
            "2026-11-23T10:30:00+01:60",
            "2026-11-23T10:30:00+01",
            "2026-11-23T10:30:00+0100",
            "2026-11-23T24:00:00Z",
            "1970-01-01T00:00:00Z",
            "0000-01-01T00:00:00+23:59",
        ];
        for text in texts {
            assert_eq!(parse_date(text), chrono_date(text), "{text:?}");
        }
        let edges = [
            0,
            -1,
            1,
            999,
            1_000,
            -86_400_000,
            253_402_300_799_999,
            253_402_300_800_000,
        ];
        let chrono_ends = [
            DateTime::<chrono::Utc>::MIN_UTC.timestamp_millis(),
            DateTime::<chrono::Utc>::MAX_UTC.timestamp_millis(),
        ];
        for ms in edges
            .into_iter()
            .chain(chrono_ends)
            .flat_map(|t| [t - 1, t, t + 1])
        {
            assert_eq!(format_rfc3339(ms), chrono_format(ms), "{ms}");
        }
        assert_eq!(format_rfc3339(i64::MIN), None);
    }
}
