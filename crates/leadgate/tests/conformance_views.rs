//! The conformance corpus beyond decisions: for every case, the explanation
//! of each lead and the report of the whole batch; and diff cases (two
//! agreements over the same leads). Every front must produce these bytes
//! (canonical JSON, one value per line). Rewritten only with
//! `LEADGATE_BLESS=1` (tests/conformance/regenerate), then reviewed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use leadgate::{to_canonical_json, Agreement, Diff, OnBadValue, Report, ScoreOptions, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
struct Case {
    agreement: String,
    as_of: String,
    on_bad_value: String,
    leads: Vec<Box<RawValue>>,
}

#[derive(Deserialize)]
struct DiffCase {
    description: String,
    old: String,
    new: String,
    as_of: String,
    changes: usize,
    leads: Vec<Box<RawValue>>,
}

fn dir(name: &str) -> PathBuf {
    common::repo_root().join("tests/conformance").join(name)
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "json")
                        && !p.to_string_lossy().ends_with(".expected.json")
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    path.with_file_name(format!("{stem}{suffix}"))
}

/// Compares `got` with the file (or writes it when blessing).
fn check(path: &Path, got: &str, failures: &mut Vec<String>) {
    if std::env::var_os("LEADGATE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, got).unwrap();
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(want) if want == got => {}
        Ok(want) => {
            for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
                if w != g {
                    failures.push(format!(
                        "{}, line {}:\n  expected: {w}\n  actual:   {g}",
                        path.display(),
                        i + 1
                    ));
                    return;
                }
            }
            failures.push(format!("{}: the line counts differ", path.display()));
        }
        Err(e) => failures.push(format!(
            "cannot read {} ({e}); run tests/conformance/regenerate",
            path.display()
        )),
    }
}

fn options(as_of: &str, on_bad_value: &str) -> ScoreOptions {
    let on: OnBadValue = on_bad_value.parse().unwrap();
    ScoreOptions::at(Timestamp::parse(as_of).unwrap()).on_bad_value(on)
}

#[test]
fn explanations_and_reports_of_every_case() {
    let mut failures = Vec::new();
    let cases = inputs(&dir("cases"));
    assert!(cases.len() > 10);
    for path in &cases {
        let case: Case = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let agreement = Agreement::compile(&case.agreement).unwrap();
        let opts = options(&case.as_of, &case.on_bad_value);
        let mut explained = String::new();
        let mut report = Report::new(&agreement, None, None);
        for (i, lead) in case.leads.iter().enumerate() {
            let bound = agreement.bind_json(lead.get(), opts.bad_values());
            let e = agreement.explain(i, &bound, &opts);
            explained.push_str(&to_canonical_json(&e).unwrap());
            explained.push('\n');
            report.add(e.decision(), None, None);
        }
        check(
            &with_suffix(path, ".explained.expected.jsonl"),
            &explained,
            &mut failures,
        );
        let json = to_canonical_json(&report.to_json("", 20)).unwrap() + "\n";
        check(
            &with_suffix(path, ".report.expected.jsonl"),
            &json,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn diffs_of_every_diff_case() {
    let mut failures = Vec::new();
    let cases = inputs(&dir("diffs"));
    assert!(cases.len() >= 2);
    for path in &cases {
        let case: DiffCase = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(!case.description.trim().is_empty());
        let (old, new) = (
            Agreement::compile(&case.old).unwrap(),
            Agreement::compile(&case.new).unwrap(),
        );
        let opts = options(&case.as_of, "error");
        let mut diff = Diff::new(&old, &new, case.changes);
        for (i, lead) in case.leads.iter().enumerate() {
            let od = old.decide(i, &old.bind_json(lead.get(), opts.bad_values()), &opts);
            let nd = new.decide(i, &new.bind_json(lead.get(), opts.bad_values()), &opts);
            assert!(diff.add(&od, &nd));
        }
        let json = to_canonical_json(&diff.to_json()).unwrap() + "\n";
        check(&with_suffix(path, ".expected.json"), &json, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
