//! `leadgate explain`: one lead's decision, explained for a person (the
//! core's `Explanation`).

use std::path::PathBuf;

use clap::{ArgGroup, Args};
use leadgate::{Agreement, Lead, Load, ScoreOptions};

use crate::common::{ReportFormat, ScoringArgs};
use crate::input::{self, Record};
use crate::roster::AsOfColumn;
use crate::stream::{bind_at, csv_binders, CHUNK};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Args)]
#[command(group(ArgGroup::new("which").required(true).args(["lead", "index"])))]
pub struct ExplainArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// With --index: the leads file (.jsonl, .json, .csv, or `-`).
    pub input: Option<String>,
    /// The lead as a JSON object, e.g. '{"email": "ana@acme.io", "title": "VP Sales"}'; `-` reads it from stdin.
    #[arg(long)]
    pub lead: Option<String>,
    /// Explain the lead at this 0-based position of INPUT.
    #[arg(long, requires = "input")]
    pub index: Option<usize>,
    /// Output format: text for a person, or json (the explanation's data,
    /// one line of canonical JSON, as every front gives it).
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    #[command(flatten)]
    pub scoring: ScoringArgs,
}

pub fn run(args: &ExplainArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let (opts, _) = args.scoring.options(&[&agreement])?;
    let plan = args.scoring.plan(&[&agreement], &[])?;
    let as_of = plan.as_of.as_ref();
    let ((lead, opts), index) = match (&args.lead, args.index, &args.input) {
        (Some(json), _, _) if json == "-" => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .map_err(|e| Failure::usage(format!("error: cannot read stdin: {e}")))?;
            (
                bind_at(&agreement, None, &Record::Json(text), &opts, as_of),
                0,
            )
        }
        (Some(json), _, _) => (
            bind_at(&agreement, None, &Record::Json(json.clone()), &opts, as_of),
            0,
        ),
        (None, Some(i), Some(input)) => (
            read_lead(&agreement, input, &args.scoring, i, &opts, as_of)?,
            i,
        ),
        _ => return Err(Failure::usage("error: give --lead JSON or --index N INPUT")),
    };
    let notes = leadgate::MisnamedKeys::default();
    notes.note(&agreement, &lead);
    crate::stream::warn_misnamed(&notes);
    let explanation = match plan.staffing.first().and_then(Option::as_ref) {
        // One lead: nobody has taken any lead yet (capacity is not in play).
        Some(s) => s.explain(index, &lead, &opts, &mut Load::new()),
        None => agreement.explain(index, &lead, &opts),
    };
    match args.format {
        ReportFormat::Text => crate::output::print_for_people(&explanation.text())?,
        ReportFormat::Json => crate::output::print(&format!(
            "{}\n",
            leadgate::to_canonical_json(&explanation).unwrap_or_default()
        ))?,
    }
    Ok(if explanation.decision().error().is_some() {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

/// Reads the record at `index` of `input`, bound for `agreement`.
fn read_lead(
    agreement: &Agreement,
    input: &str,
    scoring: &ScoringArgs,
    index: usize,
    opts: &ScoreOptions,
    as_of: Option<&AsOfColumn>,
) -> Result<(Lead, ScoreOptions), Failure> {
    let fmt = input::detect(input, scoring.input_format)?;
    let mut source = input::open(input, fmt, scoring.delimiter()?, None)?;
    let binder = match source.csv_header() {
        Some(h) => csv_binders(&[agreement], h, scoring.allow_missing_columns)?.pop(),
        None => None,
    };
    let mut as_of = as_of.cloned();
    if let (Some(column), Some(h)) = (as_of.as_mut(), source.csv_header()) {
        column.resolve(h)?;
    }
    let mut seen = 0usize;
    let mut records: Vec<Record> = Vec::new();
    loop {
        records.clear();
        let more = source.next_chunk(CHUNK, &mut records)?;
        if index < seen + records.len() {
            let r = &records[index - seen];
            let opts = opts.on_bad_value(scoring.on_bad_value);
            return Ok(bind_at(
                agreement,
                binder.as_ref(),
                r,
                &opts,
                as_of.as_ref(),
            ));
        }
        seen += records.len();
        if !more {
            return Err(Failure::usage(format!(
                "error: --index {index}: {input} has {seen} lead(s)"
            )));
        }
    }
}
