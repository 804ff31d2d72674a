//! `leadgate score`: decisions for every lead, in input order, streamed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use leadgate::decision::write_json_str;
use leadgate::{Agreement, Decision, Lead, LeadBuilder, OnBadValue, ScoreOptions, Threads};

use crate::input::{self, InputFormat, Record};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

/// Records scored per parallel chunk, at most.
pub const CHUNK: usize = 8192;
/// The decisions of a chunk may hold at most this many bytes (as the
/// agreements' largest possible decisions): an agreement of 10,000 rules
/// can give decisions of 700 KB each, 5.6 GB for a chunk of 8,192.
pub const MAX_DECISION_CHUNK_BYTES: usize = 128 * 1024 * 1024;

/// Leads per chunk scored by `agreements`: [`CHUNK`], or fewer when their
/// decisions could hold more than [`MAX_DECISION_CHUNK_BYTES`].
pub fn chunk_len(agreements: &[&Agreement]) -> usize {
    let per_lead: usize = agreements.iter().map(|a| a.max_decision_bytes()).sum();
    (MAX_DECISION_CHUNK_BYTES / per_lead.max(1)).clamp(1, CHUNK)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Canonical decision JSON, one per line.
    Jsonl,
    /// Every input column, then route, queue, route_rule, total, one column
    /// per score and grade, follow_up_within_s, fired (a JSON array of rule
    /// names) and error.
    Csv,
}

#[derive(Args)]
pub struct ScoreArgs {
    /// The agreement file (.lead).
    pub agreement: PathBuf,
    /// Leads: .jsonl / .ndjson, .json (an array), .csv, or `-` for stdin.
    pub input: String,
    /// Output format: jsonl (canonical decisions, one per line) or csv (input columns + decision columns).
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: OutputFormat,
    #[command(flatten)]
    pub scoring: crate::common::ScoringArgs,
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

/// Declared fields that the CSV header has no column for, on stderr.
fn warn_missing_columns(binder: &leadgate::CsvBinder) {
    if !binder.missing_columns().is_empty() {
        eprintln!(
            "warning: no column for: {}",
            binder.missing_columns().join(", ")
        );
    }
}

/// Reads, scores and hands over decisions chunk by chunk, in order.
pub fn stream(
    agreement: &Agreement,
    input: &str,
    format: Option<InputFormat>,
    opts: &ScoreOptions,
    threads: &Threads,
    mut sink: impl FnMut(Option<&csv::ByteRecord>, &[Record], &[Decision]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    stream_many(
        &[agreement],
        input,
        format,
        opts,
        threads,
        |header, records, decisions| match decisions.first() {
            Some(d) => sink(header, records, d),
            None => Ok(()),
        },
    )
}

/// [`stream`] with several agreements scoring the same leads: the sink gets
/// one decision list per agreement, each in input order.
pub fn stream_many(
    agreements: &[&Agreement],
    input: &str,
    format: Option<InputFormat>,
    opts: &ScoreOptions,
    threads: &Threads,
    mut sink: impl FnMut(Option<&csv::ByteRecord>, &[Record], &[Vec<Decision>]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let fmt = input::detect(input, format)?;
    let progress = crate::progress::Progress::start(input);
    let mut source = input::open(input, fmt, progress.counter())?;
    let binders: Vec<Option<leadgate::CsvBinder>> = agreements
        .iter()
        .map(|a| source.csv_header().map(|h| a.csv_binder(h)))
        .collect();
    binders.iter().flatten().for_each(warn_missing_columns);
    let mut next_index = 0usize;
    let chunk = chunk_len(agreements);
    let mut records = Vec::with_capacity(chunk);
    loop {
        records.clear();
        let more = source.next_chunk(chunk, &mut records)?;
        let decisions: Vec<Vec<Decision>> = agreements
            .iter()
            .zip(&binders)
            .map(|(agreement, binder)| {
                agreement.decide_batch(&records, next_index, opts, threads, |r| {
                    bind(agreement, binder.as_ref(), r, opts.on_bad_value)
                })
            })
            .collect();
        next_index += records.len();
        sink(source.csv_header(), &records, &decisions)?;
        progress.tick();
        if !more {
            progress.finish();
            return Ok(());
        }
    }
}

pub fn run(args: &ScoreArgs) -> Result<u8, Failure> {
    let (agreement, _) = load_agreement(&args.agreement)?;
    let (opts, threads) = args.scoring.options()?;
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(
            std::fs::File::create(p)
                .map_err(|e| Failure::usage(format!("error: cannot write {}: {e}", p.display())))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let out = std::io::BufWriter::with_capacity(1 << 16, out);
    if args.format == OutputFormat::Csv {
        return run_csv(args, &agreement, &opts, &threads, out);
    }
    run_jsonl(args, &agreement, &opts, &threads, out)
}

/// Leads per run: a run is bound, scored and rendered on one thread.
const RUN: usize = 128;

/// `--format jsonl`: reading runs ahead on its own thread, and every worker
/// binds, scores and renders its run of leads into one buffer, so that the
/// calling thread only writes the buffers out, in order.
fn run_jsonl(
    args: &ScoreArgs,
    agreement: &Agreement,
    opts: &ScoreOptions,
    threads: &Threads,
    mut out: impl Write,
) -> Result<u8, Failure> {
    let fmt = input::detect(&args.input, args.scoring.input_format)?;
    let progress = crate::progress::Progress::start(&args.input);
    let source = input::open(&args.input, fmt, progress.counter())?;
    let binder = source.csv_header().map(|h| agreement.csv_binder(h));
    binder.iter().for_each(warn_missing_columns);
    let io_err = |e: std::io::Error| Failure::usage(format!("error: cannot write the output: {e}"));
    let render = |first: usize, run: &[Record]| {
        let mut text = String::with_capacity(run.len() * 512);
        let mut rejected = 0usize;
        for (i, record) in run.iter().enumerate() {
            let lead = bind(agreement, binder.as_ref(), record, opts.on_bad_value);
            let d = agreement.decide(first + i, &lead, opts);
            rejected += usize::from(d.error().is_some());
            agreement.write_decision_json(&d, &mut text);
            text.push('\n');
        }
        (text, rejected)
    };
    let mut rejected = 0usize;
    let mut next_index = 0usize;
    // Smaller chunks (large decisions) are still shared by every thread.
    let chunk = chunk_len(&[agreement]);
    let run_len = (chunk / (threads.count() * 4)).clamp(1, RUN);
    source.for_each_chunk(chunk, !threads.is_sequential(), |records| {
        let runs = threads.map_runs(records, run_len, |first, run| {
            render(next_index + first, run)
        });
        next_index += records.len();
        for (text, r) in &runs {
            rejected += r;
            out.write_all(text.as_bytes()).map_err(io_err)?;
        }
        progress.tick();
        Ok(())
    })?;
    progress.finish();
    out.flush().map_err(io_err)?;
    finish(rejected)
}

fn finish(rejected: usize) -> Result<u8, Failure> {
    if rejected > 0 {
        eprintln!("{rejected} lead(s) rejected: each is in the output with its error");
        Ok(EXIT_REJECTED)
    } else {
        Ok(EXIT_OK)
    }
}

/// The decision columns that follow the input columns in `--format csv`.
pub fn csv_decision_header(agreement: &Agreement) -> Vec<String> {
    let m = agreement.model();
    let mut h: Vec<String> = ["route", "queue", "route_rule", "total"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    h.extend(m.scores.iter().map(|s| s.name.clone()));
    h.extend(m.grades.iter().map(|g| g.name.clone()));
    h.extend(
        ["follow_up_within_s", "fired", "error"]
            .iter()
            .map(|s| s.to_string()),
    );
    h
}

/// The decision columns of one decision (see [`csv_decision_header`]).
pub fn csv_decision_cells(agreement: &Agreement, d: &Decision, cells: &mut Vec<String>) {
    let m = agreement.model();
    let width = 7 + m.scores.len() + m.grades.len();
    match &d.outcome {
        Err(e) => {
            cells.extend(std::iter::repeat_n(String::new(), width - 1));
            cells.push(match &e.field {
                Some(f) => format!("{f}: {}", e.message),
                None => e.message.clone(),
            });
        }
        Ok(v) => {
            let r = &m.routes[v.route as usize];
            cells.push(r.destination.as_str().to_string());
            cells.push(r.queue.clone().unwrap_or_default());
            cells.push(r.name.clone().unwrap_or_default());
            cells.push(leadgate::value::format_number(v.total));
            cells.extend(v.scores.iter().map(|x| leadgate::value::format_number(*x)));
            cells.extend(
                m.grades
                    .iter()
                    .zip(&v.grades)
                    .map(|(g, l)| g.labels[*l as usize].clone()),
            );
            cells.push(r.within_s.map(|s| s.to_string()).unwrap_or_default());
            // A JSON array of the names: a name may hold any character.
            let mut fired = String::from("[");
            for (i, f) in v.fired.iter().enumerate() {
                if i > 0 {
                    fired.push_str(", ");
                }
                write_json_str(&mut fired, &m.rules[f.rule as usize].name);
            }
            fired.push(']');
            cells.push(fired);
            cells.push(String::new());
        }
    }
}

fn run_csv(
    args: &ScoreArgs,
    agreement: &Agreement,
    opts: &ScoreOptions,
    threads: &Threads,
    out: impl Write,
) -> Result<u8, Failure> {
    let io_err = |e: csv::Error| Failure::usage(format!("error: cannot write the output: {e}"));
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let mut rejected = 0usize;
    let mut header_written = false;
    let mut input_width = 0usize;
    let mut cells: Vec<String> = Vec::new();
    let decision_header = csv_decision_header(agreement);
    // JSON input has no fixed columns: write the keys the agreement reads.
    let mut json_keys: Vec<String> = Vec::new();
    for f in agreement.fields() {
        if !json_keys.contains(&f.key) {
            json_keys.push(f.key.clone());
        }
    }
    let mut extract = crate::report::Extract::new(json_keys.iter().cloned().map(Some).collect());
    stream(
        agreement,
        &args.input,
        args.scoring.input_format,
        opts,
        threads,
        |csv_header, records, decisions| {
            if !header_written {
                header_written = true;
                let mut h: Vec<Vec<u8>> = match &csv_header {
                    Some(h) => h.iter().map(|c| c.to_vec()).collect(),
                    None => std::iter::once("index")
                        .chain(json_keys.iter().map(String::as_str))
                        .map(|k| k.as_bytes().to_vec())
                        .collect(),
                };
                input_width = h.len();
                h.extend(decision_header.iter().map(|c| c.as_bytes().to_vec()));
                w.write_record(&h).map_err(io_err)?;
            }
            for (r, d) in records.iter().zip(decisions) {
                if d.error().is_some() {
                    rejected += 1;
                }
                let mut row: Vec<&[u8]> = Vec::with_capacity(input_width + decision_header.len());
                let index = d.index.to_string();
                let values = match csv_header {
                    Some(_) => Vec::new(),
                    None => extract.values(None, r)?,
                };
                match (r, csv_header) {
                    (Record::Csv(rec), Some(_)) => {
                        row.extend(rec.iter().take(input_width));
                        while row.len() < input_width {
                            row.push(b"");
                        }
                    }
                    (_, Some(_)) => row.extend(std::iter::repeat_n(&b""[..], input_width)),
                    (_, None) => {
                        row.push(index.as_bytes());
                        row.extend(values.iter().map(|v| v.as_deref().unwrap_or("").as_bytes()));
                    }
                }
                cells.clear();
                csv_decision_cells(agreement, d, &mut cells);
                row.extend(cells.iter().map(|c| c.as_bytes()));
                w.write_record(&row).map_err(io_err)?;
            }
            Ok(())
        },
    )?;
    w.flush()
        .map_err(|e| Failure::usage(format!("error: cannot write the output: {e}")))?;
    finish(rejected)
}
