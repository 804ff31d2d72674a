//! Options shared by the commands that score leads (report, diff, explain).

use clap::Args;
use leadgate::{OnBadValue, ScoreOptions, Threads};

use crate::input::InputFormat;
use crate::score::parse_as_of;
use crate::Failure;

#[derive(Args, Clone)]
pub struct ScoringArgs {
    /// The evaluation instant: 2026-11-23 or RFC 3339 (default: now).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Input format, needed for stdin.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Threads for scoring (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// What a value that does not fit its field does: reject the lead (error) or read as missing.
    #[arg(long, default_value = "error")]
    pub on_bad_value: OnBadValue,
}

impl ScoringArgs {
    pub fn options(&self) -> Result<(ScoreOptions, Threads), Failure> {
        let opts = ScoreOptions {
            as_of_ms: parse_as_of(self.as_of.as_deref())?,
            on_bad_value: self.on_bad_value,
            explain: true,
        };
        let threads =
            Threads::new(self.threads).map_err(|e| Failure::usage(format!("error: {e}")))?;
        Ok((opts, threads))
    }
}

/// A percentage with one decimal, e.g. `12.5%`.
pub fn pct(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_string()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

/// A number for people: at most two decimals, no trailing zeros.
pub fn num(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// A duration in seconds as the agreement would write it (`1h`, `2d`, `90m`).
pub fn duration(secs: i64) -> String {
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs % n == 0 && secs >= n {
            return format!("{}{unit}", secs / n);
        }
    }
    format!("{secs}s")
}
