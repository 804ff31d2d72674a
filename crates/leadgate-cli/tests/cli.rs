//! Integration tests of the `leadgate` binary: every command, its exit
//! codes, and its figures checked against independent computations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn repo(path: &str) -> String {
    root().join(path).display().to_string()
}

fn leadgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leadgate"));
    c.current_dir(root());
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = leadgate().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadgate-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Every agreement shipped in the repository.
fn agreements() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["rules-examples", "tests/agreements"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "lead") {
                v.push(p);
            }
        }
    }
    v.sort();
    assert!(v.len() >= 4);
    v
}

// ------------------------------------------------------------------ help

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        "check", "score", "explain", "report", "diff", "fmt", "examples",
    ] {
        leadgate()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example: leadgate"));
    }
    leadgate().arg("frobnicate").assert().code(2);
}

// ------------------------------------------------------------------ the mini fixture, recomputed by hand

struct Row {
    size: Option<Result<f64, ()>>,
    source: String,
    demo: Option<bool>,
    converted: Option<bool>,
}

fn mini_rows() -> Vec<Row> {
    let mut r = csv::Reader::from_path(fixture("mini.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let size = match rec[1].trim() {
                "" => None,
                s => Some(s.parse::<f64>().map_err(|_| ())),
            };
            let yes_no = |s: &str| match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => Some(true),
                "0" | "false" | "no" => Some(false),
                _ => None,
            };
            Row {
                size,
                source: rec[2].trim().to_string(),
                demo: yes_no(&rec[3]),
                converted: yes_no(&rec[4]),
            }
        })
        .collect()
}

/// The route the mini agreement gives (None: rejected), with `big` as its size threshold.
fn mini_route(r: &Row, big: f64) -> Option<&'static str> {
    let size = match &r.size {
        Some(Err(())) => return None,
        Some(Ok(s)) => Some(*s),
        None => None,
    };
    let mut fit = 0.0;
    let mut potential = 0.0;
    match size {
        Some(s) if s >= big => {
            fit += 30.0;
            potential += 30.0;
        }
        Some(_) => {}
        None => potential += 30.0,
    }
    match r.demo {
        Some(true) => {
            fit += 10.0;
            potential += 10.0;
        }
        Some(false) => {}
        None => potential += 10.0,
    }
    Some(if fit >= 40.0 {
        "sales"
    } else if potential >= 30.0 && fit < 30.0 {
        "telemarketing"
    } else {
        "nurture"
    })
}

/// `report` of the mini fixture by source, against `Converted`.
fn mini_report(extra: &[&str]) -> (i32, String, String) {
    let (a, leads) = (fixture("mini.lead"), fixture("mini.csv"));
    let mut args = vec![
        "report",
        &a,
        &leads,
        "--by",
        "Source",
        "--outcome",
        "Converted",
    ];
    args.extend(extra);
    run(&args)
}

#[test]
fn report_figures_match_an_independent_computation() {
    let (code, out, err) = mini_report(&["--format", "json"]);
    assert_eq!(code, 3, "one lead is rejected: {err}");
    let j: Value = serde_json::from_str(&out).unwrap();
    let rows = mini_rows();
    let routes: Vec<Option<&str>> = rows.iter().map(|r| mini_route(r, 100.0)).collect();
    let rejected = routes.iter().filter(|r| r.is_none()).count() as u64;
    assert_eq!(rejected, 1);
    assert_eq!(j["leads"], rows.len() as u64);
    assert_eq!(j["rejected"], rejected);

    // Overall conversion among scored leads with a known outcome.
    let known: Vec<(&Row, &str)> = rows
        .iter()
        .zip(&routes)
        .filter_map(|(r, d)| d.map(|d| (r, d)))
        .filter(|(r, _)| r.converted.is_some())
        .collect();
    let conv = known
        .iter()
        .filter(|(r, _)| r.converted == Some(true))
        .count() as f64;
    let overall = conv / known.len() as f64;
    let bt = &j["backtest"];
    assert_eq!(bt["known"], known.len() as u64);
    assert_eq!(bt["converted"], conv as u64);
    let unknown = rows
        .iter()
        .zip(&routes)
        .filter(|(r, d)| d.is_some() && r.converted.is_none())
        .count();
    assert_eq!(bt["unknown_outcome"], unknown as u64);

    for (i, dest) in ["sales", "telemarketing", "nurture"].iter().enumerate() {
        let n = routes.iter().filter(|r| **r == Some(*dest)).count() as u64;
        let route = &j["routes"][i];
        assert_eq!(route["route"], *dest);
        assert_eq!(route["leads"], n, "{dest}");
        let k: Vec<_> = known.iter().filter(|(_, d)| d == dest).collect();
        let c = k.iter().filter(|(r, _)| r.converted == Some(true)).count() as f64;
        let o = &route["outcome"];
        assert_eq!(o["known"], k.len() as u64, "{dest}");
        if !k.is_empty() {
            let rate = c / k.len() as f64;
            assert!((o["rate"].as_f64().unwrap() - rate).abs() < 1e-12);
            assert!((o["lift"].as_f64().unwrap() - rate / overall).abs() < 1e-12);
        }
        if *dest == "sales" {
            let all_conv = conv;
            assert!((bt["sales_precision"].as_f64().unwrap() - c / k.len() as f64).abs() < 1e-12);
            assert!((bt["sales_recall"].as_f64().unwrap() - c / all_conv).abs() < 1e-12);
        }
    }

    // Groups: leads per source, largest first, and the route mix.
    let mut groups: HashMap<String, (u64, [u64; 3])> = HashMap::new();
    for (r, d) in rows.iter().zip(&routes) {
        let key = if r.source.is_empty() {
            "(missing)".to_string()
        } else {
            r.source.clone()
        };
        let g = groups.entry(key).or_default();
        g.0 += 1;
        match d {
            Some("sales") => g.1[0] += 1,
            Some("telemarketing") => g.1[1] += 1,
            Some("nurture") => g.1[2] += 1,
            _ => {}
        }
    }
    let jg = j["groups"].as_array().unwrap();
    assert_eq!(jg.len(), groups.len());
    let sizes: Vec<u64> = jg.iter().map(|g| g["leads"].as_u64().unwrap()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
    for g in jg {
        let (n, mix) = groups[g["group"].as_str().unwrap()];
        assert_eq!(g["leads"], n);
        assert_eq!(g["routes"]["sales"], mix[0]);
        assert_eq!(g["routes"]["telemarketing"], mix[1]);
        assert_eq!(g["routes"]["nurture"], mix[2]);
    }

    // Rules fired / undecided.
    let scored: Vec<&Row> = rows
        .iter()
        .zip(&routes)
        .filter(|(_, d)| d.is_some())
        .map(|(r, _)| r)
        .collect();
    let big_fired = scored
        .iter()
        .filter(|r| matches!(r.size, Some(Ok(s)) if s >= 100.0))
        .count() as u64;
    let big_gap = scored.iter().filter(|r| r.size.is_none()).count() as u64;
    let rules = j["rules"].as_array().unwrap();
    assert_eq!(rules[0]["rule"], "Big");
    assert_eq!(rules[0]["fired"], big_fired);
    assert_eq!(rules[0]["undecided"], big_gap);
    let demo_gap = scored.iter().filter(|r| r.demo.is_none()).count() as u64;
    assert_eq!(rules[1]["undecided"], demo_gap);
}

#[test]
fn report_text_and_html() {
    let html = tmp("mini-report.html");
    let (code, out, _) = mini_report(&["--html", html.to_str().unwrap()]);
    assert_eq!(code, 3);
    for s in [
        "Routes",
        "Queues",
        "Grade tier",
        "Scores",
        "Data gaps",
        "By \"Source\"",
        "Backtest against \"Converted\"",
        "precision",
        "lift",
    ] {
        assert!(out.contains(s), "missing {s} in\n{out}");
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.matches("<svg").count() >= 5);
    assert!(
        !page.contains("http://") || !page.contains("src=\"http"),
        "no network"
    );
    assert!(!page.contains("<script"));
}

#[test]
fn report_usage_errors() {
    let (code, _, err) = run(&[
        "report",
        &fixture("mini.lead"),
        &fixture("mini.csv"),
        "--by",
        "Nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no column \"Nope\""), "{err}");
    let (code, _, _) = run(&["report", &fixture("mini.lead"), "/nonexistent.csv"]);
    assert_eq!(code, 2);
}

#[test]
fn report_counts_match_score_on_sample_leads() {
    let agreement = repo("rules-examples/b2b-saas-inbound.lead");
    let leads = repo("rules-examples/b2b-saas-inbound.leads.jsonl");
    let (_, scored, _) = run(&["score", &agreement, &leads, "--as-of", "2026-11-23"]);
    let (_, report, _) = run(&[
        "report",
        &agreement,
        &leads,
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
        "--by",
        "utm_source",
    ]);
    let j: Value = serde_json::from_str(&report).unwrap();
    let mut routes: HashMap<String, u64> = HashMap::new();
    let mut fired: HashMap<String, u64> = HashMap::new();
    let mut unknown: HashMap<String, u64> = HashMap::new();
    let mut rejected = 0;
    for line in scored.lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        if d.get("error").is_some() {
            rejected += 1;
            continue;
        }
        *routes
            .entry(d["route"].as_str().unwrap().into())
            .or_default() += 1;
        for f in d["fired"].as_array().unwrap() {
            *fired.entry(f["rule"].as_str().unwrap().into()).or_default() += 1;
        }
        for f in d["unknown"].as_array().unwrap() {
            *unknown
                .entry(f["rule"].as_str().unwrap().into())
                .or_default() += 1;
        }
    }
    assert_eq!(j["rejected"], rejected);
    assert_eq!(j["leads"], scored.lines().count() as u64);
    for r in j["routes"].as_array().unwrap() {
        let name = r["route"].as_str().unwrap();
        assert_eq!(r["leads"], routes.get(name).copied().unwrap_or(0), "{name}");
    }
    for r in j["rules"].as_array().unwrap() {
        let name = r["rule"].as_str().unwrap();
        assert_eq!(r["fired"], fired.get(name).copied().unwrap_or(0), "{name}");
        assert_eq!(
            r["undecided"],
            unknown.get(name).copied().unwrap_or(0),
            "{name}"
        );
    }
    let groups: u64 = j["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["leads"].as_u64().unwrap())
        .sum();
    assert_eq!(groups, j["leads"].as_u64().unwrap());
}

// ------------------------------------------------------------------ diff

#[test]
fn diff_matrix_matches_an_independent_computation() {
    let (code, out, _) = run(&[
        "diff",
        &fixture("mini.lead"),
        &fixture("mini-new.lead"),
        &fixture("mini.csv"),
        "--format",
        "json",
        "--changes",
        "3",
    ]);
    assert_eq!(code, 3, "one lead is rejected by both");
    let j: Value = serde_json::from_str(&out).unwrap();
    let states = ["sales", "telemarketing", "nurture", "rejected"];
    let mut m = [[0u64; 4]; 4];
    let idx = |r: Option<&str>| match r {
        Some(s) => states.iter().position(|x| *x == s).unwrap(),
        None => 3,
    };
    let rows = mini_rows();
    for r in &rows {
        m[idx(mini_route(r, 100.0))][idx(mini_route(r, 50.0))] += 1;
    }
    let moved: u64 = (0..4)
        .flat_map(|i| (0..4).map(move |k| (i, k)))
        .filter(|(i, k)| i != k)
        .map(|(i, k)| m[i][k])
        .sum();
    assert!(moved > 0);
    assert_eq!(j["moved"], moved);
    assert_eq!(j["leads"], rows.len() as u64);
    for (i, row) in j["matrix"].as_array().unwrap().iter().enumerate() {
        assert_eq!(row["old"], states[i]);
        for (k, s) in states.iter().enumerate() {
            assert_eq!(row["new"][s], m[i][k], "{} -> {s}", states[i]);
        }
    }
    assert_eq!(j["changes"].as_array().unwrap().len(), 3);
    let first = &j["explained_by"][0];
    assert_eq!(first["rule"], "Big");
    assert_eq!(first["change"], "now fires");
    assert_eq!(first["edited"], "edited");

    let (code, text, _) = run(&[
        "diff",
        &fixture("mini.lead"),
        &fixture("mini-new.lead"),
        &fixture("mini.csv"),
        "--changes",
        "2",
    ]);
    assert_eq!(code, 3);
    assert!(text.contains("Transition matrix"));
    assert!(text.contains(&format!("{moved} change destination")));
    assert!(text.contains("now fires: \"Big\""), "{text}");
}

#[test]
fn diff_of_an_agreement_with_itself_moves_nothing() {
    let a = repo("rules-examples/events-webinars.lead");
    let leads = repo("rules-examples/events-webinars.leads.csv");
    let (code, out, _) = run(&["diff", &a, &a, &leads, "--as-of", "2026-11-23"]);
    assert_eq!(code, 3, "the sample has rejected leads");
    assert!(out.contains(" 0 change destination (0.0%)"), "{out}");
}

#[test]
fn diff_exit_codes() {
    let bad = tmp("bad.lead");
    std::fs::write(
        &bad,
        "agreement \"x\"\nfields { a : number }\nroute { sales when b > 1 }\n",
    )
    .unwrap();
    let (code, _, _) = run(&[
        "diff",
        &fixture("mini.lead"),
        bad.to_str().unwrap(),
        &fixture("mini.csv"),
    ]);
    assert_eq!(code, 1);
    let (code, _, _) = run(&[
        "diff",
        &fixture("mini.lead"),
        &fixture("mini.lead"),
        "/nonexistent.csv",
    ]);
    assert_eq!(code, 2);
    // Without an input file: the symbolic summary (nothing moves here).
    let (code, out, _) = run(&["diff", &fixture("mini.lead"), &fixture("mini.lead")]);
    assert_eq!(code, 0);
    assert!(out.contains("none found"), "{out}");
}

// ------------------------------------------------------------------ explain

#[test]
fn explain_a_lead() {
    let a = repo("tests/agreements/acme-inbound.lead");
    let lead = r#"{"lead_id": "L-1", "email": "ana@acme.io", "title": "VP Marketing", "Company Size": 200, "industry": "Software", "demo_requested": true, "pages_viewed": 10, "last_activity": "2026-11-08"}"#;
    let (code, out, _) = run(&["explain", &a, "--lead", lead, "--as-of", "2026-11-23"]);
    assert_eq!(code, 0, "{out}");
    for s in [
        "=> SALES",
        "fit = 45",
        "+20  Decision maker",
        "Has budget: undecided, missing budget",
        "+20  Reads the site",
        "potential",
        "decay: 50 x 0.707",
        "tier = hot",
        "MATCHED",
        "not tried",
    ] {
        assert!(out.contains(s), "missing {s:?} in\n{out}");
    }
    // An undecided route rule is shown with its missing fields.
    let lead = r#"{"lead_id": "L-2", "email": "bo@gmail.com", "title": "Director", "industry": "fintech", "pages_viewed": 3}"#;
    let (code, out, _) = run(&["explain", &a, "--lead", lead, "--as-of", "2026-11-23"]);
    assert_eq!(code, 0);
    assert!(out.contains("undecided"), "{out}");
    assert!(
        out.contains("decay: none, last_activity is missing"),
        "{out}"
    );
}

#[test]
fn explain_by_index_and_exit_codes() {
    let a = repo("rules-examples/events-webinars.lead");
    let leads = repo("rules-examples/events-webinars.leads.csv");
    let (code, out, _) = run(&[
        "explain",
        &a,
        "--index",
        "1",
        &leads,
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("(index 1)"), "{out}");
    let (code, _, err) = run(&["explain", &a, "--index", "100000", &leads]);
    assert_eq!(code, 2);
    assert!(err.contains("has"), "{err}");
    let (code, out, _) = run(&[
        "explain",
        &fixture("mini.lead"),
        "--lead",
        r#"{"ID": "x", "Size": "fifty"}"#,
    ]);
    assert_eq!(code, 3);
    assert!(out.contains("REJECTED"), "{out}");
    let (code, _, _) = run(&["explain", &fixture("mini.lead")]);
    assert_eq!(code, 2);
    leadgate()
        .args(["explain", &fixture("mini.lead"), "--lead", "-"])
        .write_stdin(r#"{"ID": "s1", "Size": 500, "Demo": "yes"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("=> SALES"));
}

// ------------------------------------------------------------------ score

#[test]
fn score_csv_keeps_input_columns_and_order() {
    let a = repo("rules-examples/events-webinars.lead");
    let leads = repo("rules-examples/events-webinars.leads.csv");
    let (code, out, _) = run(&[
        "score",
        &a,
        &leads,
        "--as-of",
        "2026-11-23",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 3);
    let mut input = csv::Reader::from_path(&leads).unwrap();
    let in_header = input.headers().unwrap().clone();
    let mut output = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(out.as_bytes());
    let out_header = output.headers().unwrap().clone();
    let n = in_header.len();
    assert_eq!(
        &out_header.iter().take(n).collect::<Vec<_>>(),
        &in_header.iter().collect::<Vec<_>>()
    );
    let tail: Vec<&str> = out_header.iter().skip(n).collect();
    // The core's DecisionColumns: the same order as Arrow, pandas, polars, Spark.
    assert_eq!(
        &tail[..5],
        &[
            "route",
            "queue",
            "route_rule",
            "follow_up_within_s",
            "total"
        ]
    );
    assert_eq!(&tail[tail.len() - 2..], &["fired", "error"]);
    let ins: Vec<csv::StringRecord> = input.records().map(|r| r.unwrap()).collect();
    let outs: Vec<csv::StringRecord> = output.records().map(|r| r.unwrap()).collect();
    assert_eq!(ins.len(), outs.len());
    let mut errors = 0;
    for (i, o) in ins.iter().zip(&outs) {
        assert_eq!(&i[0], &o[0]);
        if !o[o.len() - 1].is_empty() {
            errors += 1;
            assert!(o[n].is_empty());
        } else {
            assert!(["sales", "nurture", "telemarketing"].contains(&&o[n]));
        }
    }
    assert!(errors > 0);
}

#[test]
fn streaming_keeps_every_lead_in_order() {
    // More leads than three chunks of 8192: rows in == rows out, in order,
    // with several threads, from a file and from stdin.
    let n = 3 * 8192 + 123;
    let path = tmp("many.jsonl");
    let mut text = String::new();
    for i in 0..n {
        if i % 1000 == 7 {
            text.push_str(&format!("{{\"ID\": \"L{i}\", \"Size\": \"many\"}}\n"));
        } else {
            text.push_str(&format!(
                "{{\"ID\": \"L{i}\", \"Size\": {}, \"Demo\": {}}}\n",
                i % 300,
                i % 2 == 0
            ));
        }
    }
    std::fs::write(&path, &text).unwrap();
    let a = fixture("mini.lead");
    let (code, out, _) = run(&["score", &a, path.to_str().unwrap(), "--threads", "3"]);
    assert_eq!(code, 3);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        let d: Value = serde_json::from_str(line).unwrap();
        assert_eq!(d["index"], i as u64);
        assert_eq!(d["id"], format!("L{i}"));
        assert_eq!(d.get("error").is_some(), i % 1000 == 7);
    }
    let out = leadgate()
        .args([
            "score",
            &a,
            "-",
            "--input-format",
            "jsonl",
            "--format",
            "csv",
        ])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let rows: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(rows.len(), n + 1);
    assert!(
        rows[0].starts_with("index,ID,Size,Source,Demo,route,"),
        "{}",
        rows[0]
    );
    for (i, row) in rows.iter().skip(1).enumerate() {
        assert!(row.starts_with(&format!("{i},L{i},")), "{row}");
    }
}

// ------------------------------------------------------------------ fmt

#[test]
fn fmt_is_idempotent_and_keeps_meaning_on_every_agreement() {
    for path in agreements() {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let (code, once, err) = run(&["fmt", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{name}: {err}");
        let formatted = tmp(&name);
        std::fs::write(&formatted, &once).unwrap();
        let (code, twice, _) = run(&["fmt", formatted.to_str().unwrap()]);
        assert_eq!(code, 0);
        assert_eq!(once, twice, "{name}: fmt is not idempotent");
        leadgate()
            .args(["fmt", "--check", formatted.to_str().unwrap()])
            .assert()
            .code(0);
        // Comments are all kept.
        let comments = |s: &str| s.lines().filter(|l| l.contains('#')).count();
        assert_eq!(
            comments(&once),
            comments(&std::fs::read_to_string(&path).unwrap()),
            "{name}"
        );
        // Same examples, same results.
        let (c1, o1, _) = run(&["check", path.to_str().unwrap()]);
        let (c2, o2, _) = run(&["check", formatted.to_str().unwrap()]);
        assert_eq!(c1, c2);
        let o1 = o1.replace(path.to_str().unwrap(), "AGREEMENT");
        let o2 = o2.replace(formatted.to_str().unwrap(), "AGREEMENT");
        let strip = |s: &str| {
            s.lines()
                .map(|l| l.split(" (line").next().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&o1), strip(&o2), "{name}");
        // Same decisions on every sample lead file that goes with it.
        for ext in ["leads.jsonl", "leads.csv"] {
            let leads = path.with_extension(ext);
            if leads.exists() {
                let l = leads.to_str().unwrap();
                let (_, d1, _) =
                    run(&["score", path.to_str().unwrap(), l, "--as-of", "2026-11-23"]);
                let (_, d2, _) = run(&[
                    "score",
                    formatted.to_str().unwrap(),
                    l,
                    "--as-of",
                    "2026-11-23",
                ]);
                assert!(!d1.is_empty());
                assert_eq!(d1, d2, "{name}: decisions differ after fmt");
            }
        }
    }
}

#[test]
fn fmt_check_write_and_errors() {
    let messy = tmp("messy.lead");
    let src = "agreement \"M\"   # the name\nfields{a:number   # a number\nb : bool}\nscore s{+10 \"A\" when a>1\n-5 \"B\" when b}\nroute{sales \"S\" when s>=10 nurture otherwise}\n";
    std::fs::write(&messy, src).unwrap();
    let p = messy.to_str().unwrap();
    let (code, out, _) = run(&["fmt", "--check", p]);
    assert_eq!(code, 1);
    assert!(out.contains("would reformat"));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        src,
        "--check changes nothing"
    );
    leadgate().args(["fmt", "--write", p]).assert().code(0);
    let written = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(
        written,
        "agreement \"M\"  # the name\n\nfields {\n  a : number  # a number\n  b : bool\n}\n\nscore s {\n  +10 \"A\" when a > 1\n  -5  \"B\" when b\n}\n\nroute {\n  sales   \"S\" when s >= 10\n  nurture     otherwise\n}\n"
    );
    leadgate().args(["fmt", "--check", p]).assert().code(0);
    let broken = tmp("broken.lead");
    std::fs::write(&broken, "agreement \"x\" fields {").unwrap();
    leadgate()
        .args(["fmt", broken.to_str().unwrap()])
        .assert()
        .code(1);
    leadgate()
        .args(["fmt", "/nonexistent.lead"])
        .assert()
        .code(2);
}

#[test]
fn fmt_and_explain_handle_comments_in_awkward_places() {
    let edge = fixture("edge.lead");
    let (code, once, err) = run(&["fmt", &edge]);
    assert_eq!(code, 0, "{err}");
    let formatted = tmp("edge-formatted.lead");
    std::fs::write(&formatted, &once).unwrap();
    let (_, twice, _) = run(&["fmt", formatted.to_str().unwrap()]);
    assert_eq!(once, twice);
    for c in [
        "# trailing on header",
        "# after brace",
        "# after close",
        "# between name and brace",
        "# inside rule",
        "# in lead",
        "# end",
        "# final",
    ] {
        assert!(once.contains(c), "{c} lost:\n{once}");
    }
    assert!(
        once.contains("b matches /a\\/b#c/i"),
        "a # in a regex is not a comment"
    );
    assert!(once.contains("\"#notacomment\""));
    leadgate()
        .args(["check", formatted.to_str().unwrap()])
        .assert()
        .code(0);
    let (code, out, _) = run(&[
        "explain",
        &edge,
        "--lead",
        r#"{"a": 3, "b": "x"}"#,
        "--as-of",
        "2026-01-01",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("matches /a\\/b#c/i"), "{out}");
    assert!(
        !out.contains("# end"),
        "comments are not part of a rule: {out}"
    );
}
