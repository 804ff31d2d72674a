//! The Rust side of `benches/compare/run`: not a criterion bench, a plain
//! program that the harness calls with the pre-parsed leads every peer gets.
//!
//!     cargo bench -p leadgate --bench compare -- \
//!         --agreement AGREEMENT.lead --leads LEADS.json --out DECISIONS.jsonl \
//!         [--seconds 1.5] [--only NAME --passes N]
//!
//! LEADS.json is an array of objects keyed by field name, values already
//! typed (numbers, booleans, trimmed strings, null for missing). It:
//! 1. binds and scores every lead and writes the canonical decisions to --out
//!    (the harness checks them against the CLI's);
//! 2. checks the hand-written function against the engine, bit for bit;
//! 3. times each implementation (best pass of repeated passes over all
//!    leads) and prints the results as one JSON object on stdout.
//!
//! `--only NAME --passes N` runs one implementation N times without timing
//! (for `valgrind --tool=callgrind`).

mod common;

use std::borrow::Cow;
use std::hint::black_box;
use std::time::{Duration, Instant};

use common::{die, limit, LimitLead};
use leadgate::{Lead, OnBadValue, Raw, Threads};

struct Args {
    agreement: String,
    leads: String,
    out: Option<String>,
    seconds: f64,
    only: Option<String>,
    passes: usize,
}

fn args() -> Args {
    let mut a = Args {
        agreement: String::new(),
        leads: String::new(),
        out: None,
        seconds: 1.5,
        only: None,
        passes: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| die(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--agreement" => a.agreement = value(),
            "--leads" => a.leads = value(),
            "--out" => a.out = Some(value()),
            "--seconds" => a.seconds = value().parse().unwrap_or_else(|_| die("bad --seconds")),
            "--only" => a.only = Some(value()),
            "--passes" => a.passes = value().parse().unwrap_or_else(|_| die("bad --passes")),
            // `cargo bench` passes --bench to every bench target.
            "--bench" => {}
            other => die(&format!("unknown argument {other}")),
        }
    }
    if a.agreement.is_empty() && a.leads.is_empty() {
        // Run bare (as `cargo test --benches` does): nothing to compare.
        eprintln!("compare: run by benches/compare/run (--agreement A.lead --leads LEADS.json)");
        std::process::exit(0);
    }
    if a.agreement.is_empty() || a.leads.is_empty() {
        die("usage: compare --agreement A.lead --leads LEADS.json [--out D.jsonl]");
    }
    a
}

fn raw(v: &serde_json::Value) -> Raw<'_> {
    match v {
        serde_json::Value::Null => Raw::Null,
        serde_json::Value::Bool(b) => Raw::Bool(*b),
        serde_json::Value::Number(n) => Raw::Float(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Raw::Str(Cow::Borrowed(s)),
        serde_json::Value::Array(_) => Raw::Other("an array"),
        serde_json::Value::Object(_) => Raw::Other("an object"),
    }
}

/// Best time of one pass over all leads, repeated for about `seconds`.
fn time(seconds: f64, mut pass: impl FnMut() -> u64) -> (Duration, usize) {
    let start = Instant::now();
    let mut best = Duration::MAX;
    let mut reps = 0;
    while reps < 3 || start.elapsed().as_secs_f64() < seconds {
        let t = Instant::now();
        black_box(pass());
        best = best.min(t.elapsed());
        reps += 1;
    }
    (best, reps)
}

fn main() {
    let a = args();
    let agreement = common::compile(&common::read(&a.agreement.clone().into()));
    let text = common::read(&a.leads.clone().into());
    let parsed: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_str(&text)
        .unwrap_or_else(|e| die(&format!("{}: not a JSON array of objects: {e}", a.leads)));
    let probe = agreement.lead_builder(OnBadValue::Error);
    let rows: Vec<Vec<(u32, Raw<'_>)>> = parsed
        .iter()
        .map(|obj| {
            obj.iter()
                .filter_map(|(k, v)| probe.slot(k).map(|s| (s, raw(v))))
                .collect()
        })
        .collect();
    let n = rows.len();
    let explained = common::opts(true);
    let plain = explained.explain(false);
    let one = Threads::new(Some(1)).unwrap_or_else(|e| die(&e));
    let all = Threads::new(None).unwrap_or_else(|e| die(&e));
    let bound: Vec<Lead> = rows.iter().map(|r| common::bind(&agreement, r)).collect();
    let typed: Vec<LimitLead> = rows
        .iter()
        .map(|r| LimitLead::from_raw(&agreement, r))
        .collect();

    type Pass<'a> = Box<dyn FnMut() -> u64 + 'a>;
    let route_sum = |ds: Vec<leadgate::Decision>| -> u64 {
        ds.iter()
            .map(|d| d.rule_index().map_or(0, |r| r as u64))
            .sum()
    };
    let implementations: Vec<(&str, Pass<'_>)> = vec![
        (
            "rust-limit",
            Box::new(|| typed.iter().map(|t| limit(black_box(t)).route as u64).sum()),
        ),
        (
            "rust-engine-bound",
            Box::new(|| {
                route_sum(one.map(&bound, |i, l| agreement.decide(i, black_box(l), &plain)))
            }),
        ),
        (
            "rust-engine-bound-explain",
            Box::new(|| {
                route_sum(one.map(&bound, |i, l| agreement.decide(i, black_box(l), &explained)))
            }),
        ),
        (
            "rust-engine",
            Box::new(|| {
                route_sum(
                    agreement
                        .decide_batch(&rows, 0, &explained, &one, |r| common::bind(&agreement, r)),
                )
            }),
        ),
        (
            "rust-engine-threads",
            Box::new(|| {
                route_sum(
                    agreement
                        .decide_batch(&rows, 0, &explained, &all, |r| common::bind(&agreement, r)),
                )
            }),
        ),
    ];

    if let Some(only) = &a.only {
        for (name, mut pass) in implementations {
            if name == only {
                for _ in 0..a.passes {
                    black_box(pass());
                }
                return;
            }
        }
        die(&format!("no implementation named {only}"));
    }

    // 1. Decisions, for the harness to check against the CLI's.
    let decisions =
        agreement.decide_batch(&rows, 0, &explained, &one, |r| common::bind(&agreement, r));
    if let Some(out) = &a.out {
        let mut s = String::with_capacity(n * 400);
        for d in &decisions {
            d.write_json(&mut s);
            s.push('\n');
        }
        if let Err(e) = std::fs::write(out, s) {
            die(&format!("cannot write {out}: {e}"));
        }
    }
    // 2. The limit agrees with the engine.
    let verified = common::verify_limit(&agreement, &bound, &typed);

    // 3. Timings.
    let mut results = Vec::new();
    for (name, pass) in implementations {
        let (best, reps) = time(a.seconds, pass);
        results.push(serde_json::json!({
            "name": name,
            "leads": n,
            "best_s": best.as_secs_f64(),
            "reps": reps,
            "leads_per_s": n as f64 / best.as_secs_f64(),
        }));
    }
    let report = serde_json::json!({
        "limit_verified": verified,
        "threads": std::thread::available_parallelism().map_or(1, |p| p.get()),
        "results": results,
    });
    println!("{report}");
}
