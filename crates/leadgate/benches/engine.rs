//! Criterion benchmarks of the engine (docs/benchmarks.md).
//!
//!     cargo bench -p leadgate --bench engine              # all groups
//!     cargo bench -p leadgate --bench engine -- compile   # one group
//!
//! Groups: compile (an example agreement; a generated 1,000-rule one),
//! load-compiled (the same from `to_compiled`'s bytes), one
//! lead with and without the explanation, batch at 1 thread and at all
//! threads, binding from JSON and from CSV, end to end CSV → JSON Lines.
//! The batch, CSV and end-to-end groups use the real CRM export
//! (`../shared/data/x-education-leads.csv`, or `$LEADGATE_BENCH_DATA`) with
//! `rules-examples/education-admissions.lead`; without it they fall back to
//! the bundled `rules-examples/events-webinars.leads.csv`.

mod common;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadgate::{Agreement, OnBadValue, Threads};

/// The agreement and CSV the batch groups use.
fn dataset() -> (Agreement, PathBuf, &'static str) {
    let root = common::repo_root();
    match common::x_education_csv() {
        Some(csv) => (
            common::compile(&common::read(
                &root.join("rules-examples/education-admissions.lead"),
            )),
            csv,
            "x-education (9,240 real leads), education-admissions.lead",
        ),
        None => (
            common::compile(&common::read(
                &root.join("rules-examples/events-webinars.lead"),
            )),
            root.join("rules-examples/events-webinars.leads.csv"),
            "events-webinars.leads.csv (1,000 synthetic leads), events-webinars.lead",
        ),
    }
}

fn compile(c: &mut Criterion) {
    let root = common::repo_root();
    let mut g = c.benchmark_group("compile");
    for name in ["education-admissions", "b2b-saas-inbound"] {
        let text = common::read(&root.join(format!("rules-examples/{name}.lead")));
        g.bench_function(name, |b| {
            b.iter(|| Agreement::compile(black_box(&text)).is_ok())
        });
    }
    let generated = common::generated_agreement(1000);
    let a = common::compile(&generated);
    let n: usize = a.rules().len();
    if n != 1000 {
        common::die(&format!("the generated agreement has {n} rules, not 1,000"));
    }
    g.bench_function("generated-1000-rules", |b| {
        b.iter(|| Agreement::compile(black_box(&generated)).is_ok())
    });
    g.finish();
    // The same agreements loaded from `to_compiled` (a `.lgc` file).
    let mut g = c.benchmark_group("load-compiled");
    for name in ["education-admissions", "b2b-saas-inbound"] {
        let text = common::read(&root.join(format!("rules-examples/{name}.lead")));
        let bytes = common::compile(&text).to_compiled();
        g.bench_function(name, |b| {
            b.iter(|| Agreement::from_compiled(black_box(&bytes)).is_ok())
        });
    }
    let bytes = a.to_compiled();
    g.bench_function("generated-1000-rules", |b| {
        b.iter(|| Agreement::from_compiled(black_box(&bytes)).is_ok())
    });
    g.finish();
}

fn score_one(c: &mut Criterion) {
    let root = common::repo_root();
    let a = common::compile(&common::read(
        &root.join("rules-examples/b2b-saas-inbound.lead"),
    ));
    let jsonl = common::read(&root.join("rules-examples/b2b-saas-inbound.leads.jsonl"));
    let line = jsonl.lines().next().unwrap_or("{}");
    let lead = a.bind_json(line, OnBadValue::Error);
    let mut g = c.benchmark_group("score-one");
    for explain in [true, false] {
        let opts = common::opts(explain);
        let name = if explain {
            "explained"
        } else {
            "not-explained"
        };
        g.bench_function(format!("bound/{name}"), |b| {
            b.iter(|| a.decide(0, black_box(&lead), &opts))
        });
        g.bench_function(format!("json-to-decision-json/{name}"), |b| {
            b.iter(|| a.score_json(black_box(line), &opts).to_json())
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let (a, csv, what) = dataset();
    eprintln!("batch: {what}");
    let leads = common::bind_csv_file(&a, &csv);
    let opts = common::opts(true);
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(leads.len() as u64));
    for (name, n) in [("1-thread", Some(1)), ("all-threads", None)] {
        let threads = Threads::new(n).unwrap_or_else(|e| common::die(&e));
        g.bench_function(name, |b| {
            b.iter(|| threads.map(&leads, |i, l| a.decide(i, l, &opts)))
        });
    }
    g.finish();
}

fn bind(c: &mut Criterion) {
    let root = common::repo_root();
    let mut g = c.benchmark_group("bind");
    let b2b = common::compile(&common::read(
        &root.join("rules-examples/b2b-saas-inbound.lead"),
    ));
    let jsonl = common::read(&root.join("rules-examples/b2b-saas-inbound.leads.jsonl"));
    let lines: Vec<&str> = jsonl.lines().collect();
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("json", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| b2b.bind_json(black_box(l), OnBadValue::Error))
                .collect::<Vec<_>>()
        })
    });
    let (a, csv, _) = dataset();
    let mut reader = csv::ReaderBuilder::new()
        .from_path(&csv)
        .unwrap_or_else(|e| common::die(&e.to_string()));
    let header = reader
        .byte_headers()
        .unwrap_or_else(|e| common::die(&e.to_string()))
        .clone();
    let rows: Vec<common::Row> = reader
        .byte_records()
        .filter_map(Result::ok)
        .map(common::Row)
        .collect();
    let binder = a.csv_binder(&header);
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.bench_function("csv", |b| {
        b.iter(|| {
            rows.iter()
                .map(|r| a.bind_csv(&binder, black_box(r), OnBadValue::Error))
                .collect::<Vec<_>>()
        })
    });
    g.finish();
}

/// CSV bytes in memory → parse → bind → score (all threads) → JSON Lines,
/// as `leadgate score` does (chunks of 4,096 rows).
fn end_to_end(c: &mut Criterion) {
    let (a, csv, _) = dataset();
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| common::die(&e.to_string()));
    let n = bytes
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_sub(1);
    let opts = common::opts(true);
    let threads = Threads::new(None).unwrap_or_else(|e| common::die(&e));
    let mut g = c.benchmark_group("end-to-end");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("csv-to-jsonl", |b| {
        b.iter(|| {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(black_box(&bytes[..]));
            let header = reader.byte_headers().cloned().unwrap_or_default();
            let binder = a.csv_binder(&header);
            let mut out = String::new();
            let mut chunk: Vec<common::Row> = Vec::with_capacity(4096);
            let mut index = 0;
            let mut records = reader.into_byte_records();
            loop {
                chunk.clear();
                chunk.extend(
                    records
                        .by_ref()
                        .take(4096)
                        .filter_map(Result::ok)
                        .map(common::Row),
                );
                if chunk.is_empty() {
                    break;
                }
                let ds = a.decide_batch(&chunk, index, &opts, &threads, |r| {
                    a.bind_csv(&binder, r, OnBadValue::Error)
                });
                index += chunk.len();
                for d in &ds {
                    d.write_json(&mut out);
                    out.push('\n');
                }
            }
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, compile, score_one, batch, bind, end_to_end);
criterion_main!(benches);
