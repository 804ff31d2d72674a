//! Arrow scoring, column by column against lead by lead: not a criterion
//! bench, a plain program (so that `valgrind --tool=callgrind` can run a
//! fixed number of passes).
//!
//!     cargo bench -p leadgate --features arrow --bench columnar -- \
//!         [--seconds 2] [--only columnar|per-lead --passes N]
//!
//! The batch is the real export (`../shared/data/x-education-leads.csv`)
//! as `pyarrow.Table.from_pylist` holds the harness's pre-parsed leads:
//! texts as `Utf8` (trimmed, blank as null), numbers as `Float64`, Yes/No
//! as `Boolean`, one column per CSV column the agreement
//! (`benches/compare/agreement.lead`) reads. Both paths are checked to
//! give the same record batch, then each is timed on one thread (best
//! pass); it prints leads per second.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray};
use common::die;
use leadgate::arrow::{decision_schema, ArrowRows, Columnar, DecisionBatch};
use leadgate::{
    Agreement, BatchKeys, BatchRun, DecisionColumns, FieldType, Part, ScoreOptions, Threads,
    Timestamp,
};

fn batch(agreement: &Agreement) -> RecordBatch {
    let path = common::x_education_csv().unwrap_or_else(|| {
        die("no ../shared/data/x-education-leads.csv (or $LEADGATE_BENCH_DATA)")
    });
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| die(&e.to_string()));
    let headers = reader
        .headers()
        .unwrap_or_else(|e| die(&e.to_string()))
        .clone();
    let records: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap_or_else(|e| die(&e.to_string())))
        .collect();
    let columns = agreement.fields().iter().map(|f| {
        let at = (headers.iter().position(|h| h == f.key()))
            .unwrap_or_else(|| die(&format!("no column {}", f.key())));
        let cells = records
            .iter()
            .map(|r| r.get(at).map(str::trim).filter(|s| !s.is_empty()));
        let array: ArrayRef = match f.field_type() {
            FieldType::Number => Arc::new(
                cells
                    .map(|c| c.and_then(|c| c.parse().ok()))
                    .collect::<Float64Array>(),
            ),
            FieldType::Bool => Arc::new(
                cells
                    .map(|c| c.map(|c| c.eq_ignore_ascii_case("yes")))
                    .collect::<BooleanArray>(),
            ),
            _ => Arc::new(cells.collect::<StringArray>()),
        };
        (f.key().to_string(), array)
    });
    RecordBatch::try_from_iter(columns).unwrap_or_else(|e| die(&e.to_string()))
}

fn per_lead(
    a: &Agreement,
    opts: ScoreOptions,
    columns: &DecisionColumns,
    batch: &RecordBatch,
) -> RecordBatch {
    let agreements = [a];
    let keys = BatchKeys::new(&agreements, &[]);
    let run = BatchRun::new(&agreements, &keys, opts);
    let rows = ArrowRows::new(batch, &keys);
    let schema = decision_schema(columns);
    let pool = Threads::new(Some(1)).unwrap_or_else(|e| die(&e.to_string()));
    let chunk = |p: &Part<'_, '_, ArrowRows<'_>>, r: std::ops::Range<usize>| {
        let mut out = DecisionBatch::new(columns, r.len());
        r.for_each(|i| out.push(&p.decide(0, i)));
        out.finish(&schema)
    };
    let n = batch.num_rows();
    let mut parts = run.parts(run.part(&rows, 0), n, n.max(1), &pool, &chunk);
    match parts.pop() {
        Some(Ok(b)) if parts.is_empty() => b,
        _ => die("per-lead scoring failed"),
    }
}

fn main() {
    let (mut seconds, mut only, mut passes) = (2.0f64, None::<String>, 0usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| die(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--seconds" => seconds = value().parse().unwrap_or_else(|_| die("bad --seconds")),
            "--only" => only = Some(value()),
            "--passes" => passes = value().parse().unwrap_or_else(|_| die("bad --passes")),
            "--bench" => {}
            other => die(&format!("unknown argument {other}")),
        }
    }
    if common::x_education_csv().is_none() {
        eprintln!("columnar: no data (../shared/data/x-education-leads.csv); nothing to time");
        return;
    }
    let source = common::read(&common::repo_root().join("benches/compare/agreement.lead"));
    let a = common::compile(&source);
    let batch = batch(&a);
    let opts = ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap_or_else(|| die("date")));
    let columns = a
        .decision_columns("")
        .unwrap_or_else(|e| die(&e.to_string()));
    let schema = decision_schema(&columns);
    let columnar = Columnar::new(&a, &opts, &columns).unwrap_or_else(|| die("not columnar"));
    let col = || {
        columnar
            .score(&batch, &schema)
            .unwrap_or_else(|e| die(&e.to_string()))
    };
    let lead = || per_lead(&a, opts, &columns, &batch);
    if let Some(only) = only {
        for _ in 0..passes {
            match only.as_str() {
                "columnar" => drop(black_box(col())),
                "per-lead" => drop(black_box(lead())),
                other => die(&format!("unknown --only {other}")),
            }
        }
        return;
    }
    if col() != lead() {
        die("the columnar record batch differs from the per-lead one");
    }
    let n = batch.num_rows();
    let time = |f: &dyn Fn() -> RecordBatch| {
        let (start, mut best) = (Instant::now(), Duration::MAX);
        while start.elapsed().as_secs_f64() < seconds {
            let t = Instant::now();
            black_box(f());
            best = best.min(t.elapsed());
        }
        n as f64 / best.as_secs_f64()
    };
    let (c, l) = (time(&col), time(&lead));
    println!("{n} leads, identical record batches; one thread, best pass:");
    println!("  columnar  {c:>12.0} leads/s");
    println!("  per-lead  {l:>12.0} leads/s  (columnar {:.1}x)", c / l);
}
