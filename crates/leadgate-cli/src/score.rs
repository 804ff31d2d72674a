//! `leadgate score`: decisions for every lead, in input order, streamed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Decision, Lead, LeadBuilder, OnBadValue, ScoreOptions, Threads};

use crate::input::{self, InputFormat, Record};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

/// Records scored per parallel chunk.
pub const CHUNK: usize = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Jsonl,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// Leads: .jsonl / .ndjson, .json (an array), .csv, or `-` for stdin.
    pub input: String,
    /// The evaluation instant: 2026-11-23 or RFC 3339 (default: now).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Output format: jsonl (canonical decisions, one per line).
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: OutputFormat,
    /// Input format, needed for stdin.
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Threads for scoring (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// What a value that does not fit its field does: reject the lead (error) or read as missing.
    #[arg(long, default_value = "error")]
    pub on_bad_value: OnBadValue,
    /// Write decisions to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn parse_as_of(given: Option<&str>) -> Result<i64, Failure> {
    match given {
        Some(s) => leadgate::parse_instant(s).ok_or_else(|| {
            Failure::usage(format!(
                "error: --as-of {s} is not a date (2026-11-23 or RFC 3339)"
            ))
        }),
        None => Ok(leadgate::now_ms()),
    }
}

/// Binds one record.
pub fn bind(
    agreement: &Agreement,
    binder: Option<&leadgate::CsvBinder>,
    record: &Record,
    on_bad: OnBadValue,
) -> Lead {
    match record {
        Record::Json(text) => agreement.bind_json(text, on_bad),
        Record::Csv(row) => match binder {
            Some(b) => agreement.bind_csv(b, row, on_bad),
            None => reject(agreement.lead_builder(on_bad), "a CSV row without a header"),
        },
        Record::Bad(msg) => reject(agreement.lead_builder(on_bad), msg),
    }
}

fn reject(mut b: LeadBuilder<'_>, msg: &str) -> Lead {
    b.reject(msg);
    b.finish()
}

/// Reads, scores and hands over decisions chunk by chunk, in order.
pub fn stream(
    agreement: &Agreement,
    input: &str,
    format: Option<InputFormat>,
    opts: &ScoreOptions,
    threads: &Threads,
    mut sink: impl FnMut(&[Record], &[Decision]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let fmt = input::detect(input, format)?;
    let mut source = input::open(input, fmt)?;
    let binder = source.csv_header().map(|h| agreement.csv_binder(h));
    if let Some(b) = &binder {
        if !b.missing_columns().is_empty() {
            eprintln!("warning: no column for: {}", b.missing_columns().join(", "));
        }
    }
    let mut next_index = 0usize;
    let mut records = Vec::with_capacity(CHUNK);
    loop {
        records.clear();
        let more = source.next_chunk(CHUNK, &mut records)?;
        let decisions = agreement.decide_batch(&records, next_index, opts, threads, |r| {
            bind(agreement, binder.as_ref(), r, opts.on_bad_value)
        });
        next_index += records.len();
        sink(&records, &decisions)?;
        if !more {
            return Ok(());
        }
    }
}

pub fn run(args: &ScoreArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let opts = ScoreOptions {
        as_of_ms: parse_as_of(args.as_of.as_deref())?,
        on_bad_value: args.on_bad_value,
        explain: true,
    };
    let threads = Threads::new(args.threads).map_err(|e| Failure::usage(format!("error: {e}")))?;
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| Failure::usage(format!("error: cannot write {}: {e}", p.display())))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut rejected = 0usize;
    let mut line = String::with_capacity(1 << 16);
    let io_err = |e: std::io::Error| Failure::usage(format!("error: cannot write the output: {e}"));
    stream(
        &agreement,
        &args.input,
        args.input_format,
        &opts,
        &threads,
        |_, decisions| {
            line.clear();
            for d in decisions {
                if d.error().is_some() {
                    rejected += 1;
                }
                agreement.write_decision_json(d, &mut line);
                line.push('\n');
            }
            out.write_all(line.as_bytes()).map_err(io_err)
        },
    )?;
    out.flush().map_err(io_err)?;
    if rejected > 0 {
        eprintln!("{rejected} lead(s) rejected: each is in the output with its error");
        Ok(EXIT_REJECTED)
    } else {
        Ok(EXIT_OK)
    }
}
