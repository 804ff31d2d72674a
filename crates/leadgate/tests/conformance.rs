//! The shared conformance corpus (`tests/conformance/cases`), Rust front.
//!
//! Each case is `<name>.json` (agreement, `as_of`, `on_bad_value`, leads)
//! and `<name>.expected.jsonl` (one canonical decision per lead). The
//! agreement is compiled, the leads are scored as one batch, and every
//! decision's canonical JSON must equal its expected line byte for byte.
//! The Python and wasm test suites run the same files.
//!
//! `LEADGATE_BLESS=1` rewrites the expected files from this engine instead
//! of comparing (see `tests/conformance/regenerate`); review the diff.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use leadgate::{Agreement, OnBadValue, ScoreOptions, Threads};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    agreement: String,
    as_of: String,
    on_bad_value: String,
    /// Kept as raw JSON text: each lead is bound exactly as written.
    leads: Vec<Box<RawValue>>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases")
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension().is_some_and(|x| x == "json")
                        && !p.to_string_lossy().ends_with(".expected.json")
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Scores one case; returns the decision lines, or why the case is invalid.
/// `stored`: scored with the agreement written by `to_compiled` and read
/// back by `from_compiled` (a `.lgc` file), which must decide the same.
fn run_case(path: &Path, threads: &Threads, stored: bool) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let case: Case = serde_json::from_str(&text).map_err(|e| format!("not a case: {e}"))?;
    if case.description.trim().is_empty() {
        return Err("the description is empty".into());
    }
    let agreement = Agreement::compile(&case.agreement).map_err(|e| {
        format!(
            "the agreement does not compile:\n{}",
            e.clone().with_file_name("agreement").render()
        )
    })?;
    let agreement = match stored {
        true => Agreement::from_compiled(&agreement.to_compiled()).map_err(|e| e.to_string())?,
        false => agreement,
    };
    let as_of = leadgate::Timestamp::parse(&case.as_of)
        .ok_or_else(|| format!("as_of {:?} is not a date", case.as_of))?;
    let on_bad_value: OnBadValue = case.on_bad_value.parse()?;
    for (i, lead) in case.leads.iter().enumerate() {
        if !lead.get().trim_start().starts_with('{') {
            return Err(format!("lead {i} is not a JSON object"));
        }
    }
    let opts = ScoreOptions::at(as_of).on_bad_value(on_bad_value);
    let decisions = agreement.decide_batch(&case.leads, 0, &opts, threads, |lead| {
        agreement.bind_json(lead.get(), on_bad_value)
    });
    Ok(decisions.iter().map(|d| d.to_json()).collect())
}

fn expected_path(case: &Path) -> PathBuf {
    let stem = case
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    case.with_file_name(format!("{stem}.expected.jsonl"))
}

#[test]
fn conformance_corpus() {
    let files = case_files();
    assert!(
        files.len() >= 2,
        "no conformance cases found in {}",
        cases_dir().display()
    );
    let bless = std::env::var_os("LEADGATE_BLESS").is_some_and(|v| v == "1");
    let sequential = Threads::new(Some(1)).unwrap_or_else(|e| panic!("{e}"));
    let parallel = Threads::new(Some(3)).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut compared = 0usize;
    for file in &files {
        let name = file
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lines = match run_case(file, &sequential, false) {
            Ok(lines) => lines,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        // The same batch on several threads gives the same bytes.
        match run_case(file, &parallel, false) {
            Ok(p) if p == lines => {}
            _ => failures.push(format!("{name}: differs between 1 and 3 threads")),
        }
        match run_case(file, &sequential, true) {
            Ok(p) if p == lines => {}
            Ok(_) => failures.push(format!("{name}: differs when loaded from to_compiled")),
            Err(e) => failures.push(format!("{name}: to_compiled / from_compiled: {e}")),
        }
        let exp_path = expected_path(file);
        if bless {
            let mut text = lines.join("\n");
            text.push('\n');
            if let Err(e) = std::fs::write(&exp_path, text) {
                failures.push(format!("{name}: cannot write {}: {e}", exp_path.display()));
            }
            continue;
        }
        let expected = match std::fs::read_to_string(&exp_path) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!(
                    "{name}: cannot read {} ({e}); run tests/conformance/regenerate",
                    exp_path.display()
                ));
                continue;
            }
        };
        let expected: Vec<&str> = expected.lines().collect();
        if expected.len() != lines.len() {
            failures.push(format!(
                "{name}: {} leads but {} expected lines",
                lines.len(),
                expected.len()
            ));
        }
        for (i, (got, want)) in lines.iter().zip(&expected).enumerate() {
            compared += 1;
            if got != want {
                failures.push(format!(
                    "{name}, lead {i}:\n  expected: {want}\n  actual:   {got}"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} conformance failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    if !bless {
        assert!(compared > 0, "no decisions compared");
    }
}

/// Large batches (which rayon splits across threads) give the same bytes as
/// scoring one lead at a time, in order.
#[test]
fn parallel_batches_match_sequential() {
    let sequential = Threads::new(Some(1)).unwrap_or_else(|e| panic!("{e}"));
    let parallel = Threads::new(Some(4)).unwrap_or_else(|e| panic!("{e}"));
    for file in case_files() {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let Ok(case) = serde_json::from_str::<Case>(&text) else {
            continue;
        };
        let Ok(agreement) = Agreement::compile(&case.agreement) else {
            continue;
        };
        let on_bad_value: OnBadValue = case.on_bad_value.parse().unwrap_or_default();
        let Some(as_of) = leadgate::Timestamp::parse(&case.as_of) else {
            continue;
        };
        let opts = ScoreOptions::at(as_of).on_bad_value(on_bad_value);
        let leads: Vec<&RawValue> = (0..1000 / case.leads.len().max(1) + 1)
            .flat_map(|_| case.leads.iter().map(|l| &**l))
            .collect();
        let bind = |lead: &&RawValue| agreement.bind_json(lead.get(), on_bad_value);
        let one = agreement.decide_batch(&leads, 7, &opts, &sequential, bind);
        let many = agreement.decide_batch(&leads, 7, &opts, &parallel, bind);
        assert_eq!(one.len(), leads.len());
        for (a, b) in one.iter().zip(&many) {
            assert_eq!(a.to_json(), b.to_json(), "{}", file.display());
        }
        assert_eq!(many.last().map(|d| d.index()), Some(leads.len() + 6));
    }
}

/// Every expected line is the canonical shape: valid JSON, keys in the order
/// of docs/language.md ("The decision"), `index` equal to the line number.
#[test]
fn expected_files_are_canonical() {
    const SCORED: [&str; 13] = [
        "index",
        "id",
        "route",
        "queue",
        "rule",
        "follow_up_within_s",
        "scores",
        "total",
        "grades",
        "fired",
        "unknown",
        "undecided",
        "warnings",
    ];
    const REJECTED: [&str; 3] = ["index", "id", "error"];
    let mut failures = Vec::new();
    for file in case_files() {
        let exp_path = expected_path(&file);
        let Ok(text) = std::fs::read_to_string(&exp_path) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            let keys: Vec<String> =
                match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(line) {
                    Ok(m) => {
                        if m.get("index").and_then(|v| v.as_u64()) != Some(i as u64) {
                            failures.push(format!(
                                "{}:{}: index is not {i}",
                                exp_path.display(),
                                i + 1
                            ));
                        }
                        m.keys().cloned().collect()
                    }
                    Err(e) => {
                        failures.push(format!("{}:{}: {e}", exp_path.display(), i + 1));
                        continue;
                    }
                };
            // serde_json's Map is sorted unless preserve_order; compare as sets,
            // and check the order on the text itself.
            let want: &[&str] = if keys.iter().any(|k| k == "error") {
                &REJECTED
            } else {
                &SCORED
            };
            let mut sorted_want: Vec<&str> = want.to_vec();
            sorted_want.sort_unstable();
            let mut sorted_keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            sorted_keys.sort_unstable();
            let mut last = 0usize;
            let in_order = want.iter().all(|k| match line.find(&format!("\"{k}\": ")) {
                Some(p) if p >= last => {
                    last = p;
                    true
                }
                _ => false,
            });
            if sorted_keys != sorted_want || !in_order {
                failures.push(format!(
                    "{}:{}: keys are not the canonical ones in order",
                    exp_path.display(),
                    i + 1
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
