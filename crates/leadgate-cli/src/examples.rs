//! `leadgate examples`: an `example` block for every reachable route rule.

use std::path::PathBuf;

use clap::Args;

use crate::{load_agreement, Failure, EXIT_OK};

#[derive(Args)]
pub struct ExamplesArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
}

pub fn run(args: &ExamplesArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let analysis = leadgate::Analysis::of(&agreement);
    let mut out = analysis.example_blocks(&agreement);
    for r in &analysis.routes {
        if !matches!(r.reach, leadgate::Reach::Reachable { .. }) {
            out.push_str(&format!(
                "# no example for route rule \"{}\": {}\n",
                r.name.as_deref().unwrap_or("otherwise"),
                match &r.reach {
                    leadgate::Reach::Undecided { reason } => reason.as_str(),
                    _ => "no lead can reach it",
                }
            ));
        }
    }
    crate::output::print(&out)?;
    Ok(EXIT_OK)
}
