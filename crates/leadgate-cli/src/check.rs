//! `leadgate check`: compile an agreement and run its examples.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use crate::{load_agreement, Failure, EXIT_OK};

#[derive(Args)]
pub struct CheckArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// Also list the route rules that no `example` block reaches, each with
    /// a lead that would (or why none can).
    #[arg(long)]
    pub coverage: bool,
}

pub fn run(args: &CheckArgs) -> Result<u8, Failure> {
    let (agreement, source) = load_agreement(&args.agreement)?;
    let name = args.agreement.display();
    // What holds for every possible lead: warnings, like the compiler's.
    let analysis = leadgate::Analysis::of(&agreement);
    let file = name.to_string();
    let mut notes = String::new();
    for f in &analysis.findings {
        notes.push_str(&f.to_diagnostic().render(&source, &file));
        notes.push('\n');
    }
    const NOTES: usize = 10;
    for u in analysis.undecided.iter().take(NOTES) {
        let _ = writeln!(
            notes,
            "note: {file}:{}: the analysis left {} undecided: {}",
            u.line,
            subject(&u.subject),
            u.reason
        );
    }
    if analysis.undecided.len() > NOTES {
        let _ = writeln!(
            notes,
            "note: {file}: and {} more left undecided",
            analysis.undecided.len() - NOTES
        );
    }
    crate::output::note_text(&notes);
    let report = agreement.check_report(&file);
    let mut out = report.examples_text();
    let summary = report.summary();
    if args.coverage {
        coverage(&mut out, &agreement, &analysis);
    }
    if report.ok() {
        out.push_str(&summary);
        out.push('\n');
        crate::output::print_for_people(&out)?;
        Ok(EXIT_OK)
    } else {
        crate::output::print_for_people(&out)?;
        Err(Failure::agreement(summary))
    }
}

/// What a finding or undecided item is about, for people.
fn subject(s: &leadgate::Subject) -> String {
    use leadgate::Subject;
    match s {
        Subject::RouteRule { name, .. } => {
            format!("route rule \"{}\"", name.as_deref().unwrap_or("otherwise"))
        }
        Subject::ScoreRule { name, .. } => format!("score rule \"{name}\""),
        Subject::GradeLabel { grade, label } => format!("label `{label}` of grade `{grade}`"),
        Subject::Destination { destination } => destination.as_str().to_string(),
        Subject::PotentialTest { test, .. } => format!("`{test}`"),
        _ => "an item".to_string(),
    }
}

/// `--coverage`: the route rules no example reaches.
fn coverage(out: &mut String, agreement: &leadgate::Agreement, analysis: &leadgate::Analysis) {
    use leadgate::Reach;
    let uncovered = analysis.uncovered(agreement);
    let _ = writeln!(
        out,
        "coverage: examples reach {} of {} route rules",
        analysis.routes.len() - uncovered.len(),
        analysis.routes.len()
    );
    for r in uncovered {
        let line = agreement
            .routes()
            .get(r.index)
            .map_or(0, |x| leadgate::line_of(agreement.source(), x.span().start));
        let rule = r.name.as_deref().unwrap_or("otherwise");
        let what = match &r.reach {
            Reach::Reachable { witness } => format!("reached by {}", witness.lead_json()),
            Reach::Unreachable => "no lead can reach it".to_string(),
            Reach::Undecided { reason } => format!("undecided: {reason}"),
            _ => "not known".to_string(),
        };
        let _ = writeln!(
            out,
            "  not covered: route rule \"{rule}\" (line {line}): {what}"
        );
    }
}
