//! Criterion benchmarks of the engine (docs/benchmarks.md).
//!
//!     cargo bench -p leadgate --bench engine              # all groups
//!     cargo bench -p leadgate --bench engine -- compile   # one group
//!
//! Groups: compile (an example agreement; a generated 1,000-rule one), one
//! lead with and without the explanation, batch at 1 thread and at all
//! threads, binding from JSON and from CSV, end to end CSV → JSON Lines.
//! The batch, CSV and end-to-end groups use the real CRM export
//! (`../shared/data/x-education-leads.csv`, or `$LEADGATE_BENCH_DATA`) with
//! `rules-examples/education-admissions.lead`; without it they fall back to
//! the bundled `rules-examples/events-webinars.leads.csv`.

mod common;

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use leadgate::{Agreement, OnBadValue, Threads};

/// A realistic agreement with 1,000 score rules: 24 fields, 10 scores of
/// 100 rules (comparisons, `between`, `in` lists, text operators, a regex
/// every 25 rules (40 in all), computed points every 11), two grades and 21 route rules.
fn generated_agreement(rules: usize) -> String {
    let mut s =
        String::from("agreement \"Generated\" version \"1\"\nfields {\n  lead_id : text id\n");
    for i in 0..10 {
        let _ = writeln!(s, "  n{i} : number\n  t{i} : text");
    }
    for i in 0..3 {
        let _ = writeln!(s, "  b{i} : bool");
    }
    s.push_str("}\nlist regions = [\"emea\", \"amer\", \"apac\", \"latam\", \"anz\"]\n");
    let scores = 10;
    for sc in 0..scores {
        let _ = writeln!(s, "score s{sc} {{");
        for r in 0..rules / scores {
            let i = sc * (rules / scores) + r;
            let (n, t) = (i % 10, (i / 10) % 10);
            let sign = if i % 7 == 3 { '-' } else { '+' };
            let pts = 1 + i % 9;
            let when = if i % 25 == 12 {
                format!("t{t} matches /^v(alue)? ?{}\\d*$/i", i % 10)
            } else {
                match i % 8 {
                    0 => format!("n{n} > {}", i % 500),
                    1 => format!("t{t} == \"value {}\"", i % 13),
                    2 => format!("t{t} in regions"),
                    3 => format!("n{n} between {} and {}", i % 50, i % 50 + 100),
                    4 => format!("t{t} starts_with \"v{}\"", i % 5),
                    5 => format!("b{} and n{n} >= {}", i % 3, i % 20),
                    6 => format!("t{t} contains \"{}\" or n{n} < 0", i % 10),
                    _ => format!("not (t{t} in [\"x{i}\", \"y{i}\"]) and n{n} != {}", i % 3),
                }
            };
            if i % 11 == 0 {
                let _ = writeln!(
                    s,
                    "  {sign}(n{n} / 10) up to {pts} \"rule {i}\" when n{n} > 0 and {when}"
                );
            } else {
                let _ = writeln!(s, "  {sign}{pts} \"rule {i}\" when {when}");
            }
        }
        s.push_str("  range 0 to 100\n}\n");
    }
    s.push_str(
        "grade tier {\n  hot when s0 + s1 >= 60\n  warm when total >= 100\n  cold otherwise\n}\n",
    );
    s.push_str("grade size {\n  big when n0 > 1000\n  small otherwise\n}\n");
    s.push_str("route {\n");
    for j in 0..20 {
        let dest = ["sales", "telemarketing", "nurture"][j % 3];
        let _ = writeln!(
            s,
            "  {dest} queue \"q{j}\" \"route {j}\" when s{} >= {} and (tier is hot or potential(s{}) >= 50)",
            j % 10,
            20 + j,
            (j + 1) % 10
        );
    }
    s.push_str("  nurture \"Everyone else\" otherwise\n}\n");
    s
}

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
    let generated = generated_agreement(1000);
    let a = common::compile(&generated);
    let n: usize = a.rules().len();
    if n != 1000 {
        common::die(&format!("the generated agreement has {n} rules, not 1,000"));
    }
    g.bench_function("generated-1000-rules", |b| {
        b.iter(|| Agreement::compile(black_box(&generated)).is_ok())
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
