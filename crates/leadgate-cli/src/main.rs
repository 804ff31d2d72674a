//! The `leadgate` command line.

mod check;
mod columns;
mod common;
mod compile;
mod diff;
mod examples;
mod explain;
mod fmt;
mod input;
mod output;
mod progress;
mod report;
mod roster;
mod score;
mod stream;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use leadgate::AgreementFile;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes (DESIGN.md): 0 done, 1 agreement invalid or an example fails,
/// 2 usage or I/O error, 3 done but some leads were rejected.
pub const EXIT_OK: u8 = 0;
pub const EXIT_AGREEMENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_REJECTED: u8 = 3;

/// A failure that ends the command, with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }
    pub fn agreement(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_AGREEMENT,
            message: message.into(),
        }
    }
}

#[derive(Parser)]
#[command(
    name = "leadgate",
    version,
    about = "Score and route sales leads by a reviewable agreement between sales and marketing"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile an agreement and run its examples.
    ///
    /// Example: leadgate check agreement.lead
    Check(check::CheckArgs),
    /// Score leads: one canonical decision per lead, in input order.
    ///
    /// Example: leadgate score agreement.lead leads.csv --as-of 2026-11-23 -o decisions.jsonl
    Score(score::ScoreArgs),
    /// Explain one lead's decision: every score with the rules that fired,
    /// decay, undecided rules and their missing fields, potential, grades,
    /// and the route rules in order (false, undecided, matched).
    ///
    /// Example: leadgate explain agreement.lead --as-of 2026-11-23 --lead '{"email": "ana@acme.io", "title": "VP Sales"}'
    ///
    /// Example: leadgate explain agreement.lead --index 3 leads.jsonl --as-of 2026-11-23
    Explain(explain::ExplainArgs),
    /// The funnel: routes, queues, grades, score distributions, rules fired
    /// and data gaps; the route mix per group (--by) and a backtest against
    /// an outcome column (--outcome): conversion and lift per route, grade
    /// and group, precision and recall of the sales route.
    ///
    /// Example: leadgate report agreement.lead leads.csv --by "Lead Source" --outcome Converted --html report.html
    Report(report::ReportArgs),
    /// Run two versions of an agreement over the same leads: the route
    /// transition matrix, how many leads move, the route-rule transitions and
    /// the score rules that explain the moves; --changes N lists changed leads
    /// with both decisions' reasons.
    ///
    /// Example: leadgate diff current.lead proposed.lead last-quarter.csv --changes 20
    Diff(diff::DiffArgs),
    /// Ready-to-paste `example` blocks: for every route rule a lead can
    /// reach, a lead that reaches it (found by the analysis and verified by
    /// scoring it), with the route, queue, rule, scores and grades it gets.
    ///
    /// Example: leadgate examples agreement.lead >> agreement.lead
    Examples(examples::ExamplesArgs),
    /// Compile an agreement into a file that every command (and the Rust
    /// crate's `Agreement::from_compiled`) loads without parsing or checking
    /// it again: versioned, checksummed, with the agreement's text and
    /// fingerprint. Warnings are printed; run `leadgate check` for the
    /// examples.
    ///
    /// Example: leadgate compile agreement.lead -o agreement.lgc
    Compile(compile::CompileArgs),
    /// Format agreements canonically: aligned columns, comments kept, meaning unchanged.
    ///
    /// Prints the formatted text, or rewrites the files with --write, or
    /// checks them with --check (exit 1 when a file would change).
    ///
    /// Example: leadgate fmt --check *.lead
    Fmt(fmt::FmtArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::handle_signals();
    let result = match cli.command {
        Command::Check(a) => check::run(&a),
        Command::Compile(a) => compile::run(&a),
        Command::Score(a) => score::run(&a),
        Command::Fmt(a) => fmt::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Examples(a) => examples::run(&a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) if f.code == output::EXIT_CLOSED_PIPE => {
            ExitCode::from(output::end_on_closed_pipe())
        }
        Err(f) => {
            if !f.message.is_empty() {
                output::note(f.message.trim_end());
            }
            ExitCode::from(f.code)
        }
    }
}

/// Reads an agreement file, text or compiled ([`leadgate::read_agreement_file`]).
/// A text over the limit or not UTF-8 is a diagnostic, printed to stderr
/// (exit 1); an unreadable file is a usage error.
fn read_agreement_file(path: &Path) -> Result<AgreementFile, Failure> {
    let name = path.display().to_string();
    let cannot_read = |e: std::io::Error| Failure::usage(format!("error: cannot read {name}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot_read)?;
    match leadgate::read_agreement_file(file) {
        Ok(read) => Ok(read),
        Err(leadgate::ReadError::Io(e)) => Err(cannot_read(e)),
        Err(leadgate::ReadError::Invalid { error, .. }) => {
            let text = error.with_file_name(&name).to_text();
            Err(Failure::agreement(text.trim_end().to_string()))
        }
    }
}

/// Reads an agreement text file (see [`read_agreement_file`]); a compiled
/// agreement is refused, with what to do instead.
pub fn read_agreement(path: &Path) -> Result<String, Failure> {
    match read_agreement_file(path)? {
        AgreementFile::Text(text) => Ok(text),
        AgreementFile::Compiled(_) => Err(Failure::usage(format!(
            "error: {} is a compiled agreement, not its text: use the .lead file it was compiled from",
            path.display()
        ))),
    }
}

/// Reads and compiles an agreement file; diagnostics go to stderr.
pub fn load_agreement(path: &Path) -> Result<(leadgate::Agreement, String), Failure> {
    let name = path.display().to_string();
    let text = match read_agreement_file(path)? {
        AgreementFile::Text(text) => text,
        AgreementFile::Compiled(bytes) => {
            // A damaged or outdated file: one line, exit 1.
            let a = leadgate::Agreement::from_compiled(&bytes)
                .map_err(|e| Failure::agreement(format!("error: {name}: {e}")))?;
            output::note_text(&a.render_warnings(&name));
            let text = a.source().to_string();
            return Ok((a, text));
        }
    };
    match leadgate::Agreement::compile(&text) {
        Ok(a) => {
            output::note_text(&a.render_warnings(&name));
            Ok((a, text))
        }
        Err(e) => {
            let text = e.with_file_name(&name).to_text();
            Err(Failure::agreement(text.trim_end().to_string()))
        }
    }
}
