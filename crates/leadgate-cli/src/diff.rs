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
    /// Leads both are run on: .jsonl / .ndjson, .json, .csv, or `-` for
    /// stdin. Without it, only the symbolic summary: the regions of all
    /// possible leads whose destination changes, each with a lead both
    /// agreements confirm.
    pub input: Option<String>,
    /// With an input file: add the symbolic summary (the regions of all
    /// possible leads whose destination changes) after today's output; in
    /// JSON under "symbolic". Without an input file it is all there is.
    #[arg(long)]
    pub symbolic: bool,
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

fn build(old: &Agreement, new: &Agreement, args: &DiffArgs, input: &str) -> Result<Diff, Failure> {
    let (scoring, changes) = (&args.scoring, args.changes);
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
    let symbolic = (args.symbolic || args.input.is_none())
        .then(|| leadgate::SymbolicDiff::between(&old, &new));
    let Some(input) = args.input.as_deref() else {
        let symbolic = symbolic.unwrap_or_else(|| leadgate::SymbolicDiff::between(&old, &new));
        match args.format {
            ReportFormat::Text => crate::output::print_for_people(&symbolic.to_text())?,
            ReportFormat::Json => crate::output::print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&symbolic).unwrap_or_default()
            ))?,
        }
        return Ok(EXIT_OK);
    };
    let diff = build(&old, &new, args, input)?;
    let (old_name, new_name) = (
        args.old.display().to_string(),
        args.new.display().to_string(),
    );
    let names = DiffNames {
        old: &old_name,
        new: &new_name,
        input,
    };
    match args.format {
        ReportFormat::Text => crate::output::print_for_people(&match &symbolic {
            Some(s) => format!("{}\n{}", diff.to_text(&names), s.to_text()),
            None => diff.to_text(&names),
        })?,
        ReportFormat::Json => {
            let mut json = diff.to_json();
            if let (Some(obj), Some(s)) = (json.as_object_mut(), &symbolic) {
                obj.insert(
                    "symbolic".to_string(),
                    serde_json::to_value(s).unwrap_or_default(),
                );
            }
            crate::output::print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            ))?
        }
    }
    Ok(if diff.rejected() > 0 {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}
