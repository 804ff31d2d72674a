//! `leadgate check`: compile an agreement and run its examples.

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
    for r in &results {
        if r.passed() {
            println!("ok      example \"{}\" (line {})", r.name, r.line);
        } else {
            println!("FAILED  example \"{}\" ({name}:{})", r.name, r.line);
            for f in &r.failures {
                println!("          {f}");
            }
        }
    }
    let m = agreement.model();
    let summary = format!(
        "{name}: {} fields, {} score rules, {} grades, {} route rules; examples: {} passed, {} failed",
        m.fields.len(),
        m.rules.len(),
        m.grades.len(),
        m.routes.len(),
        results.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        println!("{summary}");
        Ok(EXIT_OK)
    } else {
        Err(Failure::agreement(summary))
    }
}
