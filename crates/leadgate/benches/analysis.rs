//! How long the analysis takes (docs/benchmarks.md): each bundled agreement
//! and the generated 1,000-rule agreement of the engine benchmarks, with the
//! default budget. Not a criterion benchmark: one analysis of the large
//! agreement takes seconds, so each is timed over a few runs and the median
//! printed, with what the analysis found and left undecided.
//!
//! cargo bench -p leadgate --bench analysis

mod common;

use std::time::Instant;

use leadgate::{Analysis, Reach};

fn main() {
    let root = common::repo_root();
    let mut cases: Vec<(String, String)> = [
        "education-admissions",
        "b2b-saas-inbound",
        "events-webinars",
    ]
    .iter()
    .map(|n| {
        (
            n.to_string(),
            common::read(&root.join(format!("rules-examples/{n}.lead"))),
        )
    })
    .collect();
    cases.push((
        "generated-1000-rules".into(),
        common::generated_agreement(1000),
    ));
    for (name, text) in cases {
        let a = common::compile(&text);
        let runs = if name.starts_with("generated") { 1 } else { 5 };
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..runs {
            let t = Instant::now();
            last = Some(Analysis::of(&a));
            times.push(t.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        let Some(analysis) = last else { continue };
        let reachable = analysis
            .routes
            .iter()
            .filter(|r| matches!(r.reach, Reach::Reachable { .. }))
            .count();
        println!(
            "{name}: {:.3} s (median of {runs}); {} rules, {} route rules: {reachable} with a witness; {} findings; {} undecided",
            median.as_secs_f64(),
            a.rules().len(),
            a.routes().len(),
            analysis.findings.len(),
            analysis.undecided.len()
        );
        for f in analysis.findings.iter().take(2) {
            println!("  {} line {}: {}", f.code, f.line, f.message);
        }
        for u in analysis.undecided.iter().take(3) {
            println!("  undecided line {}: {:?}: {}", u.line, u.subject, u.reason);
        }
    }
}
