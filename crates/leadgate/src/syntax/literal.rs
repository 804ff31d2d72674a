//! Decoding of literal tokens: numbers, strings, dates, durations, regexes.

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

pub(crate) use crate::dates::parse_date;

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

    #[test]
    fn plain_dates_and_their_edges() {
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-00-10"), None);
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
