//! What the commands share: the scoring options and the report format.

use std::path::{Path, PathBuf};

use clap::Args;
use leadgate::{Agreement, Load, OnBadValue, ScoreOptions, Staffing, Threads, Timestamp};

use crate::roster::AsOfColumn;

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
    /// A roster (YAML, docs/rosters.md): assign each lead to a person of
    /// its queue, with a follow-up deadline in working hours.
    #[arg(long)]
    pub roster: Option<PathBuf>,
    /// Score each lead as of its own arrival: the column (or JSON key)
    /// holding a date or timestamp, e.g. Created (for replays, and decay in
    /// backtests). Without an offset, times are read in the roster's time
    /// zone (UTC without a roster).
    #[arg(long)]
    pub as_of_column: Option<String>,
}

/// What scoring needs beyond the options: each agreement's roster, the
/// leads each person has taken (capacity across the whole input), and the
/// column with each lead's own instant.
pub struct Plan {
    pub staffing: Vec<Option<Staffing>>,
    pub loads: Vec<Load>,
    pub as_of: Option<AsOfColumn>,
}

impl Plan {
    /// Whether leads are scored as they are, with one instant and no roster.
    pub fn is_plain(&self) -> bool {
        self.as_of.is_none() && self.staffing.iter().all(Option::is_none)
    }
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
                let timed = self.roster.is_some() || agreements.iter().any(|a| a.uses_time());
                if timed && self.as_of_column.is_none() {
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

    /// Loads `--roster` for each agreement (`rosters` overrides it per
    /// agreement: `diff --roster-new`) and `--as-of-column`.
    pub fn plan(
        &self,
        agreements: &[&Agreement],
        rosters: &[Option<&Path>],
    ) -> Result<Plan, Failure> {
        let mut staffing = Vec::with_capacity(agreements.len());
        for (i, a) in agreements.iter().enumerate() {
            let path = rosters.get(i).copied().flatten().or(self.roster.as_deref());
            staffing.push(match path {
                Some(p) => Some(crate::roster::load(p, a)?),
                None => None,
            });
        }
        let first = staffing.iter().flatten().next().map(Staffing::roster);
        let as_of = self
            .as_of_column
            .as_deref()
            .map(|key| AsOfColumn::new(key, first, self.as_of.is_some()));
        Ok(Plan {
            loads: staffing.iter().map(|_| Load::new()).collect(),
            staffing,
            as_of,
        })
    }
}
