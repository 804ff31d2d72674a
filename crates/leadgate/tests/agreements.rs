//! Every bundled agreement compiles, its examples pass, and its decisions on
//! the sample leads match the golden files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use leadgate::{Agreement, Decision, OnBadValue, ScoreOptions, Threads};

fn agreements() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["rules-examples", "tests/agreements"] {
        for e in std::fs::read_dir(common::repo_root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "lead") {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 4, "{out:?}");
    out
}

#[test]
fn every_agreement_compiles_without_errors_and_its_examples_pass() {
    for path in agreements() {
        let src = std::fs::read_to_string(&path).unwrap();
        let a = common::compile(&src);
        let results = a.run_examples();
        if path.starts_with(common::repo_root().join("rules-examples")) {
            assert!(
                results.len() >= 3,
                "{}: at least three examples",
                path.display()
            );
        }
        for r in results {
            assert!(
                r.passed(),
                "{}: example {:?} failed: {:?}",
                path.display(),
                r.name,
                r.failures
            );
        }
    }
}

/// Scores a JSON Lines or CSV file the way the CLI does.
fn score_file(a: &Agreement, path: &Path, opts: &ScoreOptions, threads: &Threads) -> Vec<Decision> {
    if path.extension().is_some_and(|x| x == "csv") {
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .unwrap();
        let binder = a.csv_binder(&r.byte_headers().unwrap().clone());
        let rows: Vec<common::Row> = r.byte_records().map(|x| common::Row(x.unwrap())).collect();
        a.decide_batch(&rows, 0, opts, threads, |row| {
            a.bind_csv(&binder, row, opts.bad_values())
        })
    } else {
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        a.decide_batch(&lines, 0, opts, threads, |l| {
            a.bind_json(l, opts.bad_values())
        })
    }
}

fn summary(a: &Agreement, ds: &[Decision]) -> String {
    let mut routes: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = 0;
    for d in ds {
        assert!(a.made(d));
        match d.route() {
            Some(route) => {
                let key = format!("{route} / {}", d.rule().unwrap_or("otherwise"));
                *routes.entry(key).or_default() += 1;
            }
            None => errors += 1,
        }
    }
    let mut s = format!("leads: {}\nrejected: {errors}\n", ds.len());
    for (k, v) in routes {
        s.push_str(&format!("{k}: {v}\n"));
    }
    s
}

fn check_golden(agreement: &str, input: PathBuf, name: &str, full_lines: usize) {
    let root = common::repo_root();
    let src = std::fs::read_to_string(root.join(agreement)).unwrap();
    let a = common::compile(&src);
    let opts = common::at("2026-11-23");
    let all = Threads::new(None).unwrap();
    let one = Threads::new(Some(1)).unwrap();
    let ds = score_file(&a, &input, &opts, &all);
    let ds1 = score_file(&a, &input, &opts, &one);
    assert_eq!(ds, ds1, "decisions differ between 1 thread and all threads");
    for (i, d) in ds.iter().enumerate() {
        assert_eq!(d.index(), i, "order is preserved");
        // Serialize gives the fast writer's bytes.
        assert_eq!(leadgate::to_canonical_json(d).unwrap(), d.to_json());
    }
    let mut lines = String::new();
    for d in ds.iter().take(full_lines) {
        lines.push_str(&d.to_json());
        lines.push('\n');
    }
    common::golden(
        &root.join(format!("tests/golden/{name}.decisions.jsonl")),
        &lines,
    );
    common::golden(
        &root.join(format!("tests/golden/{name}.summary.txt")),
        &summary(&a, &ds),
    );
}

#[test]
fn b2b_saas_sample_leads_match_golden() {
    let root = common::repo_root();
    check_golden(
        "rules-examples/b2b-saas-inbound.lead",
        root.join("rules-examples/b2b-saas-inbound.leads.jsonl"),
        "b2b-saas-inbound",
        200,
    );
}

#[test]
fn events_sample_leads_match_golden() {
    let root = common::repo_root();
    check_golden(
        "rules-examples/events-webinars.lead",
        root.join("rules-examples/events-webinars.leads.csv"),
        "events-webinars",
        200,
    );
}

#[test]
fn education_sample_leads_match_golden() {
    let root = common::repo_root();
    check_golden(
        "rules-examples/education-admissions.lead",
        root.join("rules-examples/education-admissions.leads.csv"),
        "education-sample",
        200,
    );
}

#[test]
fn real_x_education_export_scores_every_row() {
    let input = common::shared_data().join("x-education-leads.csv");
    if !input.exists() {
        panic!(
            "{} is missing: the real export lives in ../shared/data",
            input.display()
        );
    }
    // Only the aggregate is kept in the repository, never the data itself.
    check_golden(
        "rules-examples/education-admissions.lead",
        input,
        "education-admissions",
        0,
    );
}

#[test]
fn lenient_mode_scores_the_leads_that_strict_mode_rejects() {
    let root = common::repo_root();
    let a = common::compile(
        &std::fs::read_to_string(root.join("rules-examples/b2b-saas-inbound.lead")).unwrap(),
    );
    let strict = common::at("2026-11-23");
    let lenient = strict.on_bad_value(OnBadValue::Missing);
    let input = root.join("rules-examples/b2b-saas-inbound.leads.jsonl");
    let t = Threads::new(None).unwrap();
    let s = score_file(&a, &input, &strict, &t);
    let l = score_file(&a, &input, &lenient, &t);
    assert_eq!(s.len(), l.len());
    let strict_errors = s.iter().filter(|d| d.error().is_some()).count();
    let lenient_errors = l.iter().filter(|d| d.error().is_some()).count();
    assert!(strict_errors > 0);
    assert!(
        lenient_errors < strict_errors,
        "{lenient_errors} vs {strict_errors}"
    );
    let warned = l
        .iter()
        .filter(|d| {
            d.warnings()
                .iter()
                .any(|w| w.kind() == leadgate::LeadWarningKind::ReadAsMissing)
        })
        .count();
    assert!(warned >= strict_errors - lenient_errors);
}

#[test]
fn the_readme_agreement_compiles_and_its_example_passes() {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let start = readme.find("## An agreement").unwrap();
    let block = &readme[start..];
    let body = block.split("```").nth(1).unwrap();
    let a = common::compile(body);
    let results = a.run_examples();
    assert_eq!(results.len(), 1);
    assert!(results[0].passed(), "{:?}", results[0].failures);
    let d = a.score_json(r#"{"lead_id": "L-17", "email": "ana@acme.io", "title": "VP Marketing", "Company Size": 200}"#, &common::at("2026-11-23"));
    let shown = readme
        .lines()
        .find(|l| l.starts_with("{\"index\": 0, \"id\": \"L-17\""))
        .unwrap();
    assert_eq!(
        d.to_json(),
        shown,
        "the decision shown in the README is what the engine says"
    );
}
