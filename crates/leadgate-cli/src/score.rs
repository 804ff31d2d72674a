//! `leadgate score`: decisions for every lead, in input order, streamed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use leadgate::{Agreement, Decision, Destination, ScoreOptions, Threads};

use crate::common::Plan;
use crate::input::{self, Record};
use crate::stream::{bind, bind_at, chunk_len, csv_binders, decide, stream};
use crate::{load_agreement, Failure, EXIT_OK, EXIT_REJECTED};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Canonical decision JSON, one per line.
    Jsonl,
    /// Every input column, then route, queue, route_rule,
    /// follow_up_within_s (with --roster: assignee, unassigned,
    /// follow_up_by), total, one column per score and grade, fired (a JSON
    /// array of rule names) and error.
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
    /// With --format csv: put this before the name of every decision column
    /// (`lg_route`, `lg_total`, …), for inputs that have columns named like them.
    #[arg(long, default_value = "")]
    pub prefix: String,
}

pub fn run(args: &ScoreArgs) -> Result<u8, Failure> {
    let mut inputs = vec![args.agreement.as_path(), std::path::Path::new(&args.input)];
    inputs.extend(args.scoring.roster.as_deref());
    if let Some(path) = &args.output {
        crate::output::refuse_overwriting_input(path, &inputs)?;
    }
    let (agreement, _) = load_agreement(&args.agreement)?;
    let (opts, threads) = args.scoring.options(&[&agreement])?;
    let mut plan = args.scoring.plan(&[&agreement], &[])?;
    let job = Job {
        agreement: &agreement,
        opts: &opts,
        threads: &threads,
    };
    match &args.output {
        Some(path) => {
            let mut file = crate::output::OutputFile::create(path, &inputs)?;
            let code = write(args, &job, &mut plan, &mut file)?;
            file.commit()?;
            Ok(code)
        }
        None => write(args, &job, &mut plan, std::io::stdout().lock()),
    }
}

/// What every lead is scored with.
struct Job<'a> {
    agreement: &'a Agreement,
    opts: &'a ScoreOptions,
    threads: &'a Threads,
}

fn write(args: &ScoreArgs, job: &Job<'_>, plan: &mut Plan, out: impl Write) -> Result<u8, Failure> {
    let out = std::io::BufWriter::with_capacity(1 << 16, out);
    if args.format == OutputFormat::Csv {
        return run_csv(args, job, plan, out);
    }
    run_jsonl(args, job, plan, out)
}

/// Leads per run: a run is bound, scored and rendered on one thread.
const RUN: usize = 128;

/// `--format jsonl`: reading runs ahead on its own thread, and every worker
/// binds, scores and renders its run of leads into one buffer, so that the
/// calling thread only writes the buffers out, in order.
fn run_jsonl(
    args: &ScoreArgs,
    job: &Job<'_>,
    plan: &mut Plan,
    mut out: impl Write,
) -> Result<u8, Failure> {
    let Job {
        agreement,
        opts,
        threads,
    } = *job;
    let fmt = input::detect(&args.input, args.scoring.input_format)?;
    let progress = crate::progress::Progress::start(&args.input);
    let source = input::open(
        &args.input,
        fmt,
        args.scoring.delimiter()?,
        progress.counter(),
    )?;
    let binder = match source.csv_header() {
        Some(h) => csv_binders(&[agreement], h, args.scoring.allow_missing_columns)?.pop(),
        None => None,
    };
    let mut as_of = plan.as_of.clone();
    if let (Some(column), Some(h)) = (as_of.as_mut(), source.csv_header()) {
        column.resolve(h)?;
    }
    let staffing = plan.staffing.first().cloned().flatten();
    let plain = plan.is_plain();
    let mut load = plan.loads.pop().unwrap_or_default();
    let io_err = crate::output::write_failure;
    let notes = leadgate::MisnamedKeys::default();
    let render = |first: usize, run: &[Record]| {
        let mut text = String::with_capacity(run.len() * 512);
        let mut tally = Tally::default();
        for (i, record) in run.iter().enumerate() {
            let lead = bind(agreement, binder.as_ref(), record, opts.bad_values());
            notes.note(agreement, &lead);
            let d = agreement.decide(first + i, &lead, opts);
            tally.add(&d);
            d.write_json(&mut text);
            text.push('\n');
        }
        (text, tally)
    };
    let mut tally = Tally::default();
    let mut next_index = 0usize;
    // Smaller chunks (large decisions) are still shared by every thread.
    let chunk = chunk_len(&[agreement]);
    let run_len = (chunk / (threads.count() * 4)).clamp(1, RUN);
    // With a roster or per-lead instants: score runs in parallel, assign in
    // input order (capacity), then render runs in parallel.
    let decide_run = |first: usize, run: &[Record]| -> Vec<Decision> {
        run.iter()
            .enumerate()
            .map(|(i, record)| {
                let (lead, o) = bind_at(agreement, binder.as_ref(), record, opts, as_of.as_ref());
                notes.note(agreement, &lead);
                decide(agreement, staffing.as_ref(), first + i, &lead, &o)
            })
            .collect()
    };
    let render_decided = |_: usize, run: &[Decision]| {
        let mut text = String::with_capacity(run.len() * 512);
        let mut tally = Tally::default();
        for d in run {
            tally.add(d);
            d.write_json(&mut text);
            text.push('\n');
        }
        (text, tally)
    };
    source.for_each_chunk(chunk, !threads.is_sequential(), |records| {
        let runs = if plain {
            threads.map_runs(records, run_len, |first, run| {
                render(next_index + first, run)
            })
        } else {
            let mut decisions: Vec<Decision> = threads
                .map_runs(records, run_len, |first, run| {
                    decide_run(next_index + first, run)
                })
                .into_iter()
                .flatten()
                .collect();
            if let Some(s) = &staffing {
                s.settle(&mut decisions, &mut load);
            }
            threads.map_runs(&decisions, run_len, render_decided)
        };
        next_index += records.len();
        for (text, t) in &runs {
            tally.merge(t);
            out.write_all(text.as_bytes()).map_err(io_err)?;
        }
        progress.tick();
        Ok(())
    })?;
    progress.finish();
    crate::stream::warn_misnamed(&notes);
    out.flush().map_err(io_err)?;
    finish(&tally)
}

/// Leads scored, per destination, and rejected.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    leads: u64,
    routes: [u64; 3],
    rejected: u64,
}

impl Tally {
    fn add(&mut self, d: &Decision) {
        self.leads += 1;
        match d.route() {
            Some(r) => {
                let i = Destination::ALL.iter().position(|x| *x == r).unwrap_or(0);
                self.routes[i] += 1;
            }
            None => self.rejected += 1,
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.leads += other.leads;
        self.rejected += other.rejected;
        for (a, b) in self.routes.iter_mut().zip(other.routes) {
            *a += b;
        }
    }

    /// `1,000 leads: sales 12.3%, telemarketing 4.1%, nurture 83.1%; 5 rejected (0.5%)`
    fn summary(&self) -> String {
        let pct = |n: u64| {
            if self.leads == 0 {
                "-".to_string()
            } else {
                format!("{:.1}%", 100.0 * n as f64 / self.leads as f64)
            }
        };
        let routes: Vec<String> = Destination::ALL
            .iter()
            .zip(self.routes)
            .map(|(d, n)| format!("{d} {}", pct(n)))
            .collect();
        format!(
            "{} leads: {}; {} rejected ({})",
            self.leads,
            routes.join(", "),
            self.rejected,
            pct(self.rejected)
        )
    }
}

fn finish(tally: &Tally) -> Result<u8, Failure> {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        crate::output::note(tally.summary());
    }
    if tally.rejected > 0 {
        crate::output::note(format_args!(
            "{} lead(s) rejected: each is in the output with its error",
            tally.rejected
        ));
        Ok(EXIT_REJECTED)
    } else {
        Ok(EXIT_OK)
    }
}

fn run_csv(
    args: &ScoreArgs,
    job: &Job<'_>,
    plan: &mut Plan,
    out: impl Write,
) -> Result<u8, Failure> {
    let Job {
        agreement,
        opts,
        threads,
    } = *job;
    let io_err = crate::output::csv_write_failure;
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .delimiter(args.scoring.delimiter()?)
        .from_writer(out);
    let mut tally = Tally::default();
    let mut header_written = false;
    let mut input_width = 0usize;
    let mut cells: Vec<String> = Vec::new();
    let columns = match plan.staffing.first().and_then(Option::as_ref) {
        Some(s) => s.decision_columns(&args.prefix),
        None => agreement.decision_columns(&args.prefix),
    }
    .map_err(|e| Failure::usage(format!("error: {e}")))?;
    let decision_header: Vec<String> = columns.names().map(String::from).collect();

    // JSON input has no fixed columns: write the keys the agreement reads.
    let mut json_keys: Vec<String> = Vec::new();
    for f in agreement.fields() {
        if !json_keys.iter().any(|k| k == f.key()) {
            json_keys.push(f.key().to_string());
        }
    }
    let mut extract = crate::columns::Extract::new(json_keys.iter().cloned().map(Some).collect());
    stream(
        agreement,
        &args.input,
        &args.scoring,
        opts,
        threads,
        plan,
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
                // A decision column named like an input column would make
                // the output ambiguous.
                if let Some(c) = decision_header
                    .iter()
                    .find(|c| h.contains(&c.as_bytes().to_vec()))
                {
                    return Err(Failure::usage(format!(
                        "error: the input already has a column named \"{c}\", and so would the decisions: pass --prefix (e.g. --prefix lg_) to name the decision columns apart"
                    )));
                }
                h.extend(decision_header.iter().map(|c| c.as_bytes().to_vec()));
                w.write_record(&h).map_err(io_err)?;
            }
            for (r, d) in records.iter().zip(decisions) {
                tally.add(d);
                let mut row: Vec<&[u8]> = Vec::with_capacity(input_width + decision_header.len());
                let index = d.index().to_string();
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
                let mut decision_cells = Vec::with_capacity(decision_header.len());
                columns.cells(d, &mut decision_cells);
                cells.clear();
                cells.extend(decision_cells.iter().map(leadgate::Cell::to_text));
                row.extend(cells.iter().map(|c| c.as_bytes()));
                w.write_record(&row).map_err(io_err)?;
            }
            Ok(())
        },
    )?;
    w.flush().map_err(crate::output::write_failure)?;
    finish(&tally)
}
