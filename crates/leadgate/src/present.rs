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

/// `s` in at most `max` characters, cut at a word boundary (never inside a
/// word) with `…` when it is longer; a first word longer than `max` is cut.
pub(crate) fn fit_words(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for word in s.split(' ') {
        let extra = if out.is_empty() { 0 } else { 1 };
        if out.chars().count() + extra + word.chars().count() + 1 > max {
            break;
        }
        if extra == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out = s.chars().take(max.saturating_sub(1)).collect();
    }
    let trimmed = out.trim_end_matches([',', ';', ':', '-', ' ']).to_string();
    format!("{trimmed}…")
}

#[cfg(test)]
mod tests {
    use super::fit_words;

    #[test]
    fn labels_are_cut_between_words() {
        assert_eq!(fit_words("Hot lead, EMEA", 40), "Hot lead, EMEA");
        assert_eq!(
            fit_words("3. sales/emea \"Hot lead from a partner referral\"", 30),
            "3. sales/emea \"Hot lead from…"
        );
        assert_eq!(fit_words("Supercalifragilistic", 8), "Superca…");
        for n in 2..40 {
            let s = fit_words("Referral or partner form, with a demo", n);
            assert!(s.chars().count() <= n, "{n}: {s}");
            let kept = s.trim_end_matches('…');
            assert!("Referral or partner form, with a demo".starts_with(kept));
        }
    }
}
