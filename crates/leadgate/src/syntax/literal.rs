//! Decoding of literal tokens: numbers, strings, dates, durations, regexes.

use chrono::{DateTime, NaiveDate};

/// `1_000.5` → 1000.5
pub fn parse_number(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|&c| c != '_').collect();
    clean.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `90m`, `12h`, `30d`, `2w` → seconds.
pub fn parse_duration_secs(text: &str) -> Option<i64> {
    let (digits, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: i64 = digits.parse().ok()?;
    let per = match unit {
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    n.checked_mul(per)
}

/// `2026-11-23` (midnight UTC) or RFC 3339 → milliseconds since the epoch.
pub fn parse_date(text: &str) -> Option<i64> {
    if text.len() == 10 {
        let d = match plain_date(text.as_bytes()) {
            Some((y, m, d)) => NaiveDate::from_ymd_opt(y, m, d)?,
            None => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?,
        };
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis());
    }
    let dt = DateTime::parse_from_rfc3339(text).ok()?;
    Some(dt.timestamp_millis())
}

/// The numbers of `YYYY-MM-DD` written with ASCII digits, the form nearly
/// every date takes: read without `parse_from_str`, which interprets its
/// format string on every call (a date field is read per lead). The date is
/// then checked by the same `from_ymd_opt` that `parse_from_str` ends in;
/// any other text of ten bytes goes to `parse_from_str`.
fn plain_date(b: &[u8]) -> Option<(i32, u32, u32)> {
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
    Some((digits(0..4)? as i32, digits(5..7)?, digits(8..10)?))
}

/// Decodes the body of a string literal. On a bad escape, returns the byte
/// offset (within `body`) and length of the escape.
pub fn unescape(body: &str) -> Result<String, (usize, usize, String)> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'u')) => {
                let rest = &body[i + 2..];
                let close = rest.find('}');
                let ok = rest.starts_with('{')
                    && close.is_some_and(|c| (2..=7).contains(&c))
                    && close
                        .and_then(|c| u32::from_str_radix(&rest[1..c], 16).ok())
                        .and_then(char::from_u32)
                        .map(|ch| out.push(ch))
                        .is_some();
                if !ok {
                    return Err((i, 2, "invalid unicode escape: write `\\u{1F600}`".into()));
                }
                let skip = close.unwrap_or(0) + 1;
                for _ in 0..skip {
                    chars.next();
                }
            }
            Some((_, other)) => {
                return Err((
                    i,
                    1 + other.len_utf8(),
                    format!(
                    "unknown escape `\\{other}`: use `\\\"`, `\\\\`, `\\n`, `\\t` or `\\u{{…}}`"
                ),
                ))
            }
            None => return Err((i, 1, "a string cannot end with `\\`".into())),
        }
    }
    Ok(out)
}

/// `\/` in a regex literal is a slash; every other escape is kept for the regex engine.
pub fn regex_pattern(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('/') => out.push('/'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `parse_date` gave for ten-byte texts before `plain_date`.
    fn by_format(text: &str) -> Option<i64> {
        let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
    }

    proptest::proptest! {
        #[test]
        fn plain_dates_read_as_the_format_reads_them(y in 0u32..10_000, m in 0u32..14, d in 0u32..33) {
            let text = format!("{y:04}-{m:02}-{d:02}");
            proptest::prop_assert_eq!(parse_date(&text), by_format(&text), "{}", text);
        }

        #[test]
        fn other_ten_byte_texts_too(text in "[0-9+ T:-]{10}") {
            proptest::prop_assert_eq!(parse_date(&text), by_format(&text), "{}", text);
        }
    }

    #[test]
    fn plain_dates_and_their_edges() {
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-00-10"), None);
        assert_eq!(parse_date("0000-01-01"), by_format("0000-01-01"));
        assert_eq!(parse_date("+202-01-01"), by_format("+202-01-01"));
        assert_eq!(parse_date("2026-1-023"), by_format("2026-1-023"));
        assert_eq!(
            parse_date("２０２６-11-2"),
            None,
            "not ten bytes of ASCII digits"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1_000"), Some(1000.0));
        assert_eq!(parse_number("0.25"), Some(0.25));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_secs("90m"), Some(5400));
        assert_eq!(parse_duration_secs("2w"), Some(1_209_600));
        assert_eq!(parse_duration_secs("99999999999999999999d"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_date("2026-02-30"), None);
    }

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r#"a\"b\\c\n\t\u{1F600}"#).ok(),
            Some("a\"b\\c\n\t😀".into())
        );
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\u{110000}").is_err());
        assert_eq!(regex_pattern(r"a\/b\d"), r"a/b\d");
    }
}
