//! `leadgate diff`: two versions of an agreement over the same leads (the
//! core's `Diff`), as text or JSON.

use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Diff, DiffNames};

use crate::common::{ReportFormat, ScoringArgs};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Args)]
pub struct DiffArgs {
    /// The agreement in force (.lead).
    pub old: PathBuf,
    /// The proposed agreement (.lead).
    pub new: PathBuf,
    /// Leads both are run on: .jsonl / .ndjson, .json, .csv, or `-` for stdin.
    pub input: String,
    /// List up to N leads that change route or queue, with both decisions' reasons.
    #[arg(long, default_value = "0")]
    pub changes: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// With --roster (the old agreement's roster): the new agreement's
    /// roster, to see how many leads change hands.
    #[arg(long, requires = "roster")]
    pub roster_new: Option<PathBuf>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

fn build(old: &Agreement, new: &Agreement, args: &DiffArgs) -> Result<Diff, Failure> {
    let (input, scoring, changes) = (args.input.as_str(), &args.scoring, args.changes);
    let (opts, threads) = scoring.options(&[old, new])?;
    let mut plan = scoring.plan(&[old, new], &[None, args.roster_new.as_deref()])?;
    let mut diff = Diff::new(old, new, changes);
    crate::stream::stream_many(
        &[old, new],
        input,
        scoring,
        &opts,
        &threads,
        &mut plan,
        |_, _, decisions| {
            if let [o, n] = decisions {
                for (od, nd) in o.iter().zip(n) {
                    diff.add(od, nd);
                }
            }
            Ok(())
        },
    )?;
    Ok(diff)
}

pub fn run(args: &DiffArgs) -> Result<u8, Failure> {
    let (old, _) = load_agreement(&args.old)?;
    let (new, _) = load_agreement(&args.new)?;
    let diff = build(&old, &new, args)?;
    let (old_name, new_name) = (
        args.old.display().to_string(),
        args.new.display().to_string(),
    );
    let names = DiffNames {
        old: &old_name,
        new: &new_name,
        input: &args.input,
    };
    match args.format {
        ReportFormat::Text => crate::output::print_for_people(&diff.to_text(&names))?,
        ReportFormat::Json => crate::output::print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&diff.to_json()).unwrap_or_default()
        ))?,
    }
    Ok(if diff.rejected() > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}
