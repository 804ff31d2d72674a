//! `leadgate fmt`: canonical formatting that keeps comments and never
//! changes meaning.

use std::path::PathBuf;

use clap::Args;
use leadgate::format::{format, FormatError};

use crate::{Failure, EXIT_AGREEMENT, EXIT_OK};

#[derive(Args)]
pub struct FmtArgs {
    /// Agreement files (.lead).
    #[arg(required = true)]
    pub agreements: Vec<PathBuf>,
    /// Change nothing; exit 1 if any file is not formatted (for CI).
    #[arg(long, conflicts_with = "write")]
    pub check: bool,
    /// Rewrite the files in place (only those that change).
    #[arg(long, short)]
    pub write: bool,
}

pub fn run(args: &FmtArgs) -> Result<u8, Failure> {
    let mut unformatted = 0usize;
    let mut failed = 0usize;
    for path in &args.agreements {
        let name = path.display().to_string();
        let text = match crate::read_agreement(path) {
            Ok(text) => text,
            Err(f) if f.code == EXIT_AGREEMENT => {
                eprintln!("{}", f.message);
                failed += 1;
                continue;
            }
            Err(f) => return Err(f),
        };
        let formatted = match format(&text) {
            Ok(f) => f,
            Err(FormatError::Syntax(e)) => {
                crate::diagnostics::print(&text, &name, &e.diagnostics);
                eprintln!("error: {name} does not parse: {} error(s)", e.error_count());
                failed += 1;
                continue;
            }
            Err(e @ FormatError::Internal(_)) => {
                eprintln!("error: {name}: {e}");
                failed += 1;
                continue;
            }
        };
        let changed = formatted != text;
        if args.check {
            if changed {
                unformatted += 1;
                println!("would reformat {name}");
            }
        } else if args.write {
            if changed {
                std::fs::write(path, &formatted)
                    .map_err(|e| Failure::usage(format!("error: cannot write {name}: {e}")))?;
                eprintln!("formatted {name}");
            }
        } else {
            print!("{formatted}");
        }
    }
    if failed > 0 {
        return Err(Failure::agreement(String::new()));
    }
    if unformatted > 0 {
        return Err(Failure {
            code: EXIT_AGREEMENT,
            message: format!("{unformatted} file(s) not formatted; run `leadgate fmt --write`"),
        });
    }
    Ok(EXIT_OK)
}
