//! Leads streamed through agreements: read in chunks, bound, scored in
//! parallel and handed over in input order. Shared by the commands that
//! score (score, explain, report, diff).

use leadgate::{
    Agreement, CsvBinder, Decision, Lead, LeadBuilder, LeadError, LeadErrorKind, MisnamedKeys,
    OnBadValue, ScoreOptions, Staffing, Threads,
};

use crate::common::{Plan, ScoringArgs};
use crate::input::{self, Record};
use crate::roster::AsOfColumn;
use crate::Failure;

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

/// Binds one record.
pub fn bind(
    agreement: &Agreement,
    binder: Option<&CsvBinder>,
    record: &Record,
    on_bad: OnBadValue,
) -> Lead {
    match record {
        Record::Json(text) => agreement.bind_json(text, on_bad),
        Record::Csv(row) => match binder {
            Some(b) => agreement.bind_csv(b, &crate::columns::Row(row), on_bad),
            None => reject(agreement.lead_builder(on_bad), "a CSV row without a header"),
        },
        Record::Bad(msg) => reject(agreement.lead_builder(on_bad), msg),
    }
}

fn reject(mut b: LeadBuilder<'_>, msg: &str) -> Lead {
    b.reject(LeadErrorKind::Unreadable, msg);
    b.finish()
}

/// Binds one record with its options: with `--as-of-column`, its own
/// instant; a lead without a readable one is rejected in its place.
pub fn bind_at(
    agreement: &Agreement,
    binder: Option<&CsvBinder>,
    record: &Record,
    opts: &ScoreOptions,
    as_of: Option<&AsOfColumn>,
) -> (Lead, ScoreOptions) {
    let mut lead = bind(agreement, binder, record, opts.bad_values());
    let Some(column) = as_of else {
        return (lead, *opts);
    };
    match column.instant(record) {
        Ok(Some(t)) => (lead, opts.with_as_of(t)),
        Ok(None) => (lead, *opts),
        Err(msg) => {
            lead.reject(LeadError::new(LeadErrorKind::BadValue, None, &msg));
            (lead, *opts)
        }
    }
}

/// Scores one bound lead, ranked for its roster's people if there is one
/// (assigned by `Staffing::settle`, in input order).
pub fn decide(
    agreement: &Agreement,
    staffing: Option<&Staffing>,
    index: usize,
    lead: &Lead,
    opts: &ScoreOptions,
) -> Decision {
    match staffing {
        Some(s) => s.decide(index, lead, opts),
        None => agreement.decide(index, lead, opts),
    }
}

/// Maps a CSV header to each agreement's fields. A declared field with no
/// column is an error naming the column closest to its key (a renamed
/// column would make the field missing in every lead, silently), unless
/// `allow_missing` says to go on: then it is a warning.
pub fn csv_binders(
    agreements: &[&Agreement],
    header: &csv::ByteRecord,
    allow_missing: bool,
) -> Result<Vec<CsvBinder>, Failure> {
    let mut binders = Vec::with_capacity(agreements.len());
    for agreement in agreements {
        let binder = agreement.csv_binder(header);
        if let Err(missing) = agreement.check_columns(binder.columns()) {
            if !allow_missing {
                return Err(Failure::usage(format!(
                    "error: {missing}\n  pass --allow-missing-columns to score with those fields missing in every lead"
                )));
            }
            crate::output::note(format_args!("warning: {missing}"));
        }
        binders.push(binder);
    }
    Ok(binders)
}

/// Warns of the leads keyed by a field's name where the field reads
/// another key, once per field (the core counted them).
pub fn warn_misnamed(notes: &MisnamedKeys) {
    for m in notes.take() {
        crate::output::note(format_args!("warning: {m}"));
    }
}

/// Reads, scores and hands over decisions chunk by chunk, in order.
pub fn stream(
    agreement: &Agreement,
    input: &str,
    scoring: &ScoringArgs,
    opts: &ScoreOptions,
    threads: &Threads,
    plan: &mut Plan,
    mut sink: impl FnMut(Option<&csv::ByteRecord>, &[Record], &[Decision]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    stream_many(
        &[agreement],
        input,
        scoring,
        opts,
        threads,
        plan,
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
    scoring: &ScoringArgs,
    opts: &ScoreOptions,
    threads: &Threads,
    plan: &mut Plan,
    mut sink: impl FnMut(Option<&csv::ByteRecord>, &[Record], &[Vec<Decision>]) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let fmt = input::detect(input, scoring.input_format)?;
    let progress = crate::progress::Progress::start(input);
    let mut source = input::open(input, fmt, scoring.delimiter()?, progress.counter())?;
    let binders: Vec<Option<CsvBinder>> = match source.csv_header() {
        Some(h) => csv_binders(agreements, h, scoring.allow_missing_columns)?
            .into_iter()
            .map(Some)
            .collect(),
        None => agreements.iter().map(|_| None).collect(),
    };
    let mut as_of = plan.as_of.clone();
    if let (Some(column), Some(h)) = (as_of.as_mut(), source.csv_header()) {
        column.resolve(h)?;
    }
    let notes = MisnamedKeys::default();
    let mut next_index = 0usize;
    let chunk = chunk_len(agreements);
    let mut records = Vec::with_capacity(chunk);
    loop {
        records.clear();
        let more = source.next_chunk(chunk, &mut records)?;
        let decisions: Vec<Vec<Decision>> = agreements
            .iter()
            .zip(&binders)
            .zip(plan.staffing.iter().zip(plan.loads.iter_mut()))
            .map(|((agreement, binder), (staffing, load))| {
                let mut decisions = threads.map(&records, |i, r| {
                    let (lead, o) = bind_at(agreement, binder.as_ref(), r, opts, as_of.as_ref());
                    notes.note(agreement, &lead);
                    decide(agreement, staffing.as_ref(), next_index + i, &lead, &o)
                });
                if let Some(s) = staffing {
                    s.settle(&mut decisions, load);
                }
                decisions
            })
            .collect();
        next_index += records.len();
        sink(source.csv_header(), &records, &decisions)?;
        progress.tick();
        if !more {
            progress.finish();
            warn_misnamed(&notes);
            return Ok(());
        }
    }
}
