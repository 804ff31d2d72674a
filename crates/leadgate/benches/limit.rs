//! The limit: the engine beside a hand-written Rust function implementing
//! `benches/compare/agreement.lead` (plain `if`s on a typed struct), on the
//! real leads. Verified to agree bit for bit before anything is timed.
//!
//!     cargo bench -p leadgate --bench limit

mod common;

use std::hint::black_box;

use common::{limit, LimitLead};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let Some(csv) = common::x_education_csv() else {
        eprintln!("limit: ../shared/data/x-education-leads.csv not found (set LEADGATE_BENCH_DATA); skipped");
        return;
    };
    let agreement = common::compile(&common::read(
        &common::repo_root().join("benches/compare/agreement.lead"),
    ));
    let rows = common::raw_csv_rows(&agreement, &csv);
    let leads: Vec<_> = rows.iter().map(|r| common::bind(&agreement, r)).collect();
    let typed: Vec<LimitLead> = rows
        .iter()
        .map(|r| LimitLead::from_raw(&agreement, r))
        .collect();
    let n = common::verify_limit(&agreement, &leads, &typed);
    eprintln!("limit: the hand-written function agrees with the engine on all {n} leads");

    let mut g = c.benchmark_group("limit");
    g.throughput(Throughput::Elements(leads.len() as u64));
    g.bench_function("hand-written", |b| {
        b.iter(|| {
            let mut acc = 0u32;
            for t in &typed {
                acc = acc.wrapping_add(black_box(limit(black_box(t))).route);
            }
            acc
        })
    });
    for explain in [false, true] {
        let opts = common::opts(explain);
        let name = if explain {
            "engine, explained"
        } else {
            "engine"
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut acc = 0u32;
                for (i, lead) in leads.iter().enumerate() {
                    let d = agreement.decide(i, black_box(lead), &opts);
                    acc = acc.wrapping_add(d.rule_index().map_or(0, |r| r as u32));
                }
                acc
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
