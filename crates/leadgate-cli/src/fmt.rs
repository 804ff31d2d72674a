//! `leadgate fmt`: canonical formatting that keeps comments and never
//! changes meaning.

use std::path::PathBuf;

use clap::Args;
use leadgate::{format, FormatError};

use std::io::Write;

use crate::output::OutputFile;
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
                crate::output::note_text(&e.clone().with_file_name(&name).render());
                crate::output::note(format_args!(
                    "error: {name} does not parse: {} error(s)",
                    e.error_count()
                ));
                failed += 1;
                continue;
            }
            Err(e @ FormatError::Internal(_)) => {
                crate::output::note(format_args!("error: {name}: {e}"));
                failed += 1;
                continue;
            }
        };
        let changed = formatted != text;
        if args.check {
            if changed {
                unformatted += 1;
                crate::output::print(&format!("would reformat {name}\n"))?;
            }
        } else if args.write {
            if changed {
                // Beside the file, then renamed over it: a full disk or a
                // signal leaves the agreement as it was.
                let mut file = OutputFile::create(path, &[])?;
                file.write_all(formatted.as_bytes())
                    .map_err(|e| Failure::usage(format!("error: cannot write {name}: {e}")))?;
                file.commit()?;
                crate::output::note(format_args!("formatted {name}"));
            }
        } else {
            crate::output::print(&formatted)?;
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
