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
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

/// Scores `input` and builds the report.
fn build(
    agreement: &Agreement,
    input: &str,
    by: Option<&str>,
    outcome: Option<&str>,
    scoring: &ScoringArgs,
) -> Result<Report, Failure> {
    let (opts, threads) = scoring.options(&[agreement])?;
    let mut report = Report::new(agreement, by, outcome);
    // A field's name reads the field's input column.
    let column = |name: &str| agreement.column_for(name).to_string();
    let mut extract = Extract::new(vec![by.map(column), outcome.map(column)]);
    // Outcome values that are neither truthy nor falsy, a few of them.
    let mut unreadable: std::collections::BTreeSet<String> = Default::default();
    crate::stream::stream(
        agreement,
        input,
        scoring,
        &opts,
        &threads,
        |header, records, decisions| {
            for (r, d) in records.iter().zip(decisions) {
                let vals = extract.values(header, r)?;
                let o = vals[1].as_deref().and_then(leadgate::parse_outcome);
                if let (None, Some(v)) = (o, vals[1].as_deref()) {
                    if unreadable.len() < 10 {
                        unreadable.insert(v.to_string());
                    }
                }
                report.add(d, vals[0].as_deref(), o);
            }
            Ok(())
        },
    )?;
    if let Some(name) = outcome {
        if report.outcomes_known() == 0 && report.leads() > report.rejected() {
            let seen: Vec<String> = unreadable.iter().map(|v| format!("\"{v}\"")).collect();
            return Err(Failure::usage(format!(
                "error: --outcome {name}: no lead has a truthy or falsy value (1/0, true/false, yes/no){}",
                if seen.is_empty() {
                    " — the column is empty".to_string()
                } else {
                    format!("; found {}", seen.join(", "))
                }
            )));
        }
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
    let report = build(
        &agreement,
        &args.input,
        args.by.as_deref(),
        args.outcome.as_deref(),
        &args.scoring,
    )?;
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
