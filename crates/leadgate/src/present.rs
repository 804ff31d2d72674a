//! Numbers and durations for people: the report, diff and explanation
//! texts use these, on every front.

/// A percentage with one decimal, e.g. `12.5%`.
pub(crate) fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

/// A number for people: at most two decimals, no trailing zeros.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A duration in seconds as the agreement would write it (`1h`, `2d`, `90m`).
pub(crate) fn duration(secs: i64) -> String {
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs % n == 0 && secs >= n {
            return format!("{}{unit}", secs / n);
        }
    }
    format!("{secs}s")
}

/// A number with its sign: `+20`, `-15`.
pub(crate) fn signed(x: f64) -> String {
    if x >= 0.0 {
        format!("+{}", num(x))
    } else {
        num(x)
    }
}
