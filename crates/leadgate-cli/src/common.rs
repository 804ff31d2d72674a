//! What the commands share: the scoring options and the report format.

use clap::Args;
use leadgate::{Agreement, OnBadValue, ScoreOptions, Threads, Timestamp};

use crate::input::InputFormat;
use crate::Failure;

/// Output format of `report` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

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
    /// Score a CSV even when its header has no column for some declared
    /// fields (they are missing in every lead); without it, that is an error
    /// naming the closest column.
    #[arg(long)]
    pub allow_missing_columns: bool,
    /// The CSV field separator: one ASCII character, e.g. ';' for exports
    /// from spreadsheets set to a European locale, or '\t' (default ',').
    /// `score --format csv` writes with it too.
    #[arg(long, default_value = ",")]
    pub delimiter: String,
}

impl ScoringArgs {
    /// The CSV separator byte, `\t` written as such or as a tab.
    pub fn delimiter(&self) -> Result<u8, Failure> {
        match self.delimiter.as_str() {
            "\\t" | "\t" => Ok(b'\t'),
            d if d.len() == 1 && d.is_ascii() && d != "\"" && d != "\n" && d != "\r" => {
                Ok(d.as_bytes()[0])
            }
            d => Err(Failure::usage(format!(
                "error: --delimiter {d:?} is not one ASCII character (e.g. ',' ';' or '\\t')"
            ))),
        }
    }

    /// The options and threads for scoring with `agreements`. Without
    /// `--as-of`, leads are scored as of now; when an agreement's decisions
    /// depend on time, stderr says which instant that was.
    pub fn options(&self, agreements: &[&Agreement]) -> Result<(ScoreOptions, Threads), Failure> {
        let as_of = match self.as_of.as_deref() {
            Some(s) => Timestamp::parse(s).ok_or_else(|| {
                Failure::usage(format!(
                    "error: --as-of {s} is not a date (2026-11-23 or RFC 3339)"
                ))
            })?,
            None => {
                let now = Timestamp::now();
                if agreements.iter().any(|a| a.uses_time()) {
                    crate::output::note(format_args!(
                        "note: scoring as of now, {now}; pass --as-of for results that do not change with time"
                    ));
                }
                now
            }
        };
        let opts = ScoreOptions::at(as_of).on_bad_value(self.on_bad_value);
        let threads =
            Threads::new(self.threads).map_err(|e| Failure::usage(format!("error: {e}")))?;
        Ok((opts, threads))
    }
}
