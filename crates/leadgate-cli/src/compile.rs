//! `leadgate compile`: an agreement compiled into a `.lgc` file, which
//! every command (and `Agreement::from_compiled`) loads without parsing or
//! checking it again.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::output::{write_failure, OutputFile};
use crate::{load_agreement, Failure, EXIT_OK};

#[derive(Args)]
pub struct CompileArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// The compiled agreement to write (.lgc); an existing file is replaced
    /// only once the new one is complete.
    #[arg(short, long)]
    pub output: PathBuf,
}

pub fn run(args: &CompileArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let bytes = agreement.to_compiled();
    // Never a file that would not load: read back before it is written.
    if let Err(e) = leadgate::Agreement::from_compiled(&bytes) {
        return Err(Failure::agreement(format!(
            "error: internal error in leadgate: the compiled agreement does not load back ({e}); nothing was written (this is a bug in leadgate; please report it)"
        )));
    }
    let mut file = OutputFile::create(&args.output, &[&args.agreement])?;
    file.write_all(&bytes).map_err(write_failure)?;
    file.commit()?;
    crate::output::note(format!(
        "compiled \"{}\" ({} bytes, format {}, fingerprint {}) to {}",
        agreement.name(),
        bytes.len(),
        leadgate::FORMAT_VERSION,
        agreement.fingerprint(),
        args.output.display()
    ));
    Ok(EXIT_OK)
}
