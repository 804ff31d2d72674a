//! The shared conformance corpus (`tests/conformance/cases`) through the
//! `leadgate score` command: each case's leads as a JSON array file and as
//! JSON Lines on stdin must print exactly the expected lines.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use std::collections::HashMap;

use assert_cmd::Command;
use serde_json::value::RawValue;

struct Case {
    agreement: String,
    as_of: String,
    on_bad_value: String,
    leads: Vec<Box<RawValue>>,
}

/// Reads a case, keeping each lead's JSON text as written.
fn parse_case(text: &str) -> Result<Case, serde_json::Error> {
    let map: HashMap<String, Box<RawValue>> = serde_json::from_str(text)?;
    let get = |k: &str| map.get(k).map(|v| v.get()).unwrap_or("null");
    Ok(Case {
        agreement: serde_json::from_str(get("agreement"))?,
        as_of: serde_json::from_str(get("as_of"))?,
        on_bad_value: serde_json::from_str(get("on_bad_value"))?,
        leads: serde_json::from_str(get("leads"))?,
    })
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leadgate-conformance-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn score(args: &[&str], stdin: Option<String>) -> (Option<i32>, String) {
    let mut cmd = match Command::cargo_bin("leadgate") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn cli_matches_the_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no conformance cases");
    let mut failures = Vec::new();
    for file in &files {
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let case = match parse_case(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{stem}: {e}"));
                continue;
            }
        };
        let expected =
            std::fs::read_to_string(file.with_file_name(format!("{stem}.expected.jsonl")))
                .unwrap_or_default();
        let rejected = expected.contains("\"error\": {");
        let dir = scratch(&stem);
        let agreement = dir.join("case.lead");
        let leads = dir.join("leads.json");
        let array = format!(
            "[{}]",
            case.leads
                .iter()
                .map(|l| l.get())
                .collect::<Vec<_>>()
                .join(",\n")
        );
        // JSON strings cannot hold a raw newline, so this keeps every value.
        let lines: String = case
            .leads
            .iter()
            .map(|l| format!("{}\n", l.get().replace(['\n', '\r'], " ")))
            .collect();
        if std::fs::write(&agreement, &case.agreement).is_err()
            || std::fs::write(&leads, &array).is_err()
        {
            failures.push(format!("{stem}: cannot write to {}", dir.display()));
            continue;
        }
        let a = agreement.to_string_lossy().into_owned();
        let l = leads.to_string_lossy().into_owned();
        let common = [
            "--as-of",
            case.as_of.as_str(),
            "--on-bad-value",
            case.on_bad_value.as_str(),
        ];
        let runs = [
            (
                "json array",
                score(
                    &[
                        &["score", a.as_str(), l.as_str(), "--threads", "1"],
                        &common[..],
                    ]
                    .concat(),
                    None,
                ),
            ),
            (
                "jsonl on stdin",
                score(
                    &[
                        &["score", a.as_str(), "-", "--input-format", "jsonl"],
                        &common[..],
                    ]
                    .concat(),
                    Some(lines),
                ),
            ),
        ];
        for (how, (code, stdout)) in runs {
            let want_code = if rejected { 3 } else { 0 };
            if code != Some(want_code) {
                failures.push(format!("{stem} ({how}): exit {code:?}, want {want_code}"));
            }
            if stdout != expected {
                let diff = stdout
                    .lines()
                    .zip(expected.lines())
                    .enumerate()
                    .find(|(_, (g, w))| g != w)
                    .map(|(i, (g, w))| {
                        format!("first difference at lead {i}:\n  want {w}\n  got  {g}")
                    })
                    .unwrap_or_else(|| {
                        format!(
                            "{} lines, want {}",
                            stdout.lines().count(),
                            expected.lines().count()
                        )
                    });
                failures.push(format!("{stem} ({how}): {diff}"));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus's explanations (`explain --format json`, byte for byte),
/// reports (`report --format json`, the same JSON) and diffs (`diff
/// --format json`).
#[test]
fn cli_matches_the_explanations_reports_and_diffs() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let case = parse_case(&std::fs::read_to_string(file).unwrap()).unwrap();
        let dir = scratch(&format!("views-{stem}"));
        let (a, l) = (dir.join("case.lead"), dir.join("leads.json"));
        std::fs::write(&a, &case.agreement).unwrap();
        let array: Vec<&str> = case.leads.iter().map(|x| x.get()).collect();
        std::fs::write(&l, format!("[{}]", array.join(",\n"))).unwrap();
        let (a, l) = (
            a.to_string_lossy().into_owned(),
            l.to_string_lossy().into_owned(),
        );
        let common = [
            "--as-of",
            case.as_of.as_str(),
            "--on-bad-value",
            case.on_bad_value.as_str(),
        ];
        let expected = std::fs::read_to_string(
            file.with_file_name(format!("{stem}.explained.expected.jsonl")),
        )
        .unwrap();
        for (i, want) in expected.lines().enumerate() {
            let index = i.to_string();
            let args = [
                &[
                    "explain",
                    a.as_str(),
                    "--index",
                    &index,
                    l.as_str(),
                    "--format",
                    "json",
                ][..],
                &common[..],
            ]
            .concat();
            let (_, got) = score(&args, None);
            if got.trim_end() != want {
                failures.push(format!(
                    "{stem}, explanation {i}:\n  want {want}\n  got  {}",
                    got.trim_end()
                ));
            }
        }
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(file.with_file_name(format!("{stem}.report.expected.jsonl")))
                .unwrap(),
        )
        .unwrap();
        let (_, got) = score(
            &[
                &["report", a.as_str(), l.as_str(), "--format", "json"][..],
                &common[..],
            ]
            .concat(),
            None,
        );
        match serde_json::from_str::<serde_json::Value>(&got) {
            Ok(got) if got == want => {}
            _ => failures.push(format!("{stem}: the report differs: {got}")),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    let diffs = cases_dir().join("../diffs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&diffs)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 2);
    for file in &cases {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let dir = scratch(&format!("diff-{stem}"));
        let (o, n, l) = (
            dir.join("old.lead"),
            dir.join("new.lead"),
            dir.join("leads.json"),
        );
        std::fs::write(&o, case["old"].as_str().unwrap()).unwrap();
        std::fs::write(&n, case["new"].as_str().unwrap()).unwrap();
        std::fs::write(&l, case["leads"].to_string()).unwrap();
        let changes = case["changes"].to_string();
        let (_, got) = score(
            &[
                "diff",
                o.to_str().unwrap(),
                n.to_str().unwrap(),
                l.to_str().unwrap(),
                "--changes",
                &changes,
                "--format",
                "json",
                "--as-of",
                case["as_of"].as_str().unwrap(),
            ],
            None,
        );
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(file.with_file_name(format!("{stem}.expected.json"))).unwrap(),
        )
        .unwrap();
        match serde_json::from_str::<serde_json::Value>(&got) {
            Ok(got) if got == want => {}
            _ => failures.push(format!("diff {stem} differs: {got}")),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
