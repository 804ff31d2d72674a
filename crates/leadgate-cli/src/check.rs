//! `leadgate check`: compile an agreement and run its examples.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::{load_agreement, Failure, EXIT_OK};

#[derive(Args)]
pub struct CheckArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
}

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let results = agreement.run_examples();
    let name = args.agreement.display();
    let failed: Vec<_> = results.iter().filter(|r| !r.passed()).collect();
    let mut out = String::new();
    for r in &results {
        if r.passed() {
            let _ = writeln!(out, "ok      example \"{}\" (line {})", r.name, r.line);
        } else {
            let _ = writeln!(out, "FAILED  example \"{}\" ({name}:{})", r.name, r.line);
            for f in &r.failures {
                let _ = writeln!(out, "          {name}:{}:{}: {f}", f.line, f.column);
            }
        }
    }
    let summary = format!(
        "{name}: {} fields, {} score rules, {} grades, {} route rules; examples: {} passed, {} failed",
        agreement.fields().len(),
        agreement.rules().len(),
        agreement.grades().len(),
        agreement.routes().len(),
        results.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        out.push_str(&summary);
        out.push('\n');
        crate::output::print_for_people(&out)?;
        Ok(EXIT_OK)
    } else {
        crate::output::print_for_people(&out)?;
        Err(Failure::agreement(summary))
    }
}
