//! `leadgate report`: the funnel of a lead file under an agreement (the
//! core's `Report`), as text, JSON and an HTML page.

use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Report};

use crate::columns::Extract;
use crate::common::{ReportFormat, ScoringArgs};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Args)]
pub struct ReportArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// Leads: .jsonl / .ndjson, .json (an array), .csv, or `-` for stdin.
    pub input: String,
    /// Break the route mix down by this input column / key (e.g. "Lead Source"); it need not be a declared field.
    #[arg(long)]
    pub by: Option<String>,
    /// A truthy/falsy outcome column / key (1/0, true/false, yes/no) for a backtest, e.g. Converted.
    #[arg(long)]
    pub outcome: Option<String>,
    /// Output format of the report on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Also write a self-contained HTML page with charts to this file.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// How many groups of --by to list (largest first); the rest are summed up.
    #[arg(long, default_value = "20")]
    pub top: usize,
    /// With --roster: the column / key of each lead's follow-up timestamp,
    /// for SLA adherence per queue and person (empty: not followed up).
    #[arg(long, requires = "roster")]
    pub followed_up_at: Option<String>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// Scores `input` and builds the report.
fn build(agreement: &Agreement, args: &ReportArgs) -> Result<Report, Failure> {
    let (input, by, outcome, scoring) = (
        args.input.as_str(),
        args.by.as_deref(),
        args.outcome.as_deref(),
        &args.scoring,
    );
    let (opts, threads) = scoring.options(&[agreement])?;
    let mut plan = scoring.plan(&[agreement], &[])?;
    let staffing = plan.staffing.first().cloned().flatten();
    let followed = args.followed_up_at.as_deref();
    let mut report = Report::new(agreement, by, outcome);
    if let Some(s) = &staffing {
        report = report.with_roster(s, followed);
    }
    // A field's name reads the field's input column.
    let column = |name: &str| agreement.column_for(name).to_string();
    let mut extract = Extract::new(vec![
        by.map(column),
        outcome.map(column),
        followed.map(String::from),
    ]);
    // Follow-up timestamps that cannot be read, a few of them.
    let mut bad_follow_ups: std::collections::BTreeSet<String> = Default::default();
    crate::stream::stream(
        agreement,
        input,
        scoring,
        &opts,
        &threads,
        &mut plan,
        |header, records, decisions| {
            for (r, d) in records.iter().zip(decisions) {
                let vals = extract.values(header, r)?;
                let o = report.read_outcome(vals[1].as_deref());
                let followed_at = vals[2].as_deref().and_then(|t| {
                    let roster = staffing.as_ref().map(leadgate::Staffing::roster);
                    let at = roster.and_then(|r| r.instant(t));
                    if at.is_none() && bad_follow_ups.len() < 10 {
                        bad_follow_ups.insert(t.to_string());
                    }
                    at
                });
                report.add_followed_up(d, vals[0].as_deref(), o, followed_at);
            }
            Ok(())
        },
    )?;
    if let (Some(name), Some(e)) = (outcome, report.outcome_error()) {
        return Err(Failure::usage(format!("error: --outcome {name}: {e}")));
    }
    if let (Some(name), false) = (followed, bad_follow_ups.is_empty()) {
        let seen: Vec<String> = bad_follow_ups.iter().map(|v| format!("\"{v}\"")).collect();
        crate::output::note(format_args!(
            "warning: --followed-up-at {name}: some values are not timestamps and count as not followed up: {}",
            seen.join(", ")
        ));
    }
    Ok(report)
}

pub fn run(args: &ReportArgs) -> Result<u8, Failure> {
    // Refused or prepared before any work: a failed run leaves the old page.
    let html = match &args.html {
        Some(path) => {
            let inputs = [args.agreement.as_path(), std::path::Path::new(&args.input)];
            Some(crate::output::OutputFile::create(path, &inputs)?)
        }
        None => None,
    };
    let (agreement, _) = load_agreement(&args.agreement)?;
    let report = build(&agreement, args)?;
    let title = format!("{} on {}", args.agreement.display(), args.input);
    match args.format {
        ReportFormat::Text => crate::output::print_for_people(&report.to_text(&title, args.top))?,
        ReportFormat::Json => crate::output::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&report.to_json(&title, args.top)).unwrap_or_default()
        ))?,
    }
    if let Some(mut file) = html {
        let path = args.html.as_deref().unwrap_or(std::path::Path::new(""));
        std::io::Write::write_all(&mut file, report.to_html(&title, args.top).as_bytes())
            .map_err(|e| Failure::usage(format!("error: cannot write {}: {e}", path.display())))?;
        file.commit()?;
        crate::output::note(format_args!("wrote {}", path.display()));
    }
    Ok(if report.rejected() > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}
