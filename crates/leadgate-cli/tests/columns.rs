//! A CSV whose header lacks a declared field's column is an error naming the
//! closest column, on every command that reads leads; `--allow-missing-columns`
//! scores anyway, with a warning.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const EDUCATION: &str = "rules-examples/education-admissions.lead";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn leadgate(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadgate"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The real export (or a few rows like it when it is not there) with its
/// header rewritten by `rename`, in a temporary file.
fn export_with_header(name: &str, rename: impl Fn(&str) -> String) -> PathBuf {
    let data = root().join("../shared/data/x-education-leads.csv");
    let text = std::fs::read_to_string(&data).unwrap_or_else(|_| {
        "Prospect ID,Lead Origin,Lead Source,Tags,Converted\nP1,API,Google,Interested,1\n".into()
    });
    let (header, rest) = text.split_once('\n').unwrap();
    let header: Vec<String> = header.split(',').map(&rename).collect();
    let dir = std::env::temp_dir().join(format!("leadgate-columns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("{}\n{rest}", header.join(","))).unwrap();
    path
}

#[test]
fn a_renamed_column_is_an_error_with_did_you_mean_on_every_command() {
    let csv = export_with_header("renamed.csv", |h| {
        if h == "Tags" {
            "tags".into()
        } else {
            h.into()
        }
    });
    let csv = csv.to_str().unwrap();
    let at = ["--as-of", "2026-11-23"];
    let cases: Vec<Vec<&str>> = vec![
        vec!["score", EDUCATION, csv],
        vec!["score", EDUCATION, csv, "--format", "csv"],
        vec!["report", EDUCATION, csv],
        vec!["diff", EDUCATION, EDUCATION, csv],
        vec!["explain", EDUCATION, "--index", "0", csv],
    ];
    for mut args in cases {
        args.extend(at);
        let (code, stdout, stderr) = leadgate(&args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?} wrote {stdout}");
        assert!(
            stderr.contains("no column for 1 declared field: `Tags` (field counselor_tag), did you mean `tags`?"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("--allow-missing-columns"), "{stderr}");
        // Opted out: scored, with the warning.
        args.push("--allow-missing-columns");
        let (code, stdout, stderr) = leadgate(&args);
        assert!(matches!(code, Some(0 | 3)), "{args:?}: {stderr}");
        assert!(!stdout.is_empty());
        assert!(
            stderr.contains("warning: the input has no column"),
            "{stderr}"
        );
    }
}

#[test]
fn a_snake_cased_header_names_each_missing_column_and_its_match() {
    let csv = export_with_header("snake.csv", |h| h.to_lowercase().replace(' ', "_"));
    let (code, _, stderr) = leadgate(&[
        "score",
        EDUCATION,
        csv.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    for (key, column) in [
        ("Lead Source", "lead_source"),
        ("Tags", "tags"),
        ("TotalVisits", "totalvisits"),
    ] {
        assert!(
            stderr.contains(&format!("`{key}`"))
                && stderr.contains(&format!("did you mean `{column}`?")),
            "{key}: {stderr}"
        );
    }
}

#[test]
fn json_input_is_not_checked_by_columns() {
    let (code, stdout, stderr) = leadgate(&[
        "score",
        "rules-examples/b2b-saas-inbound.lead",
        "rules-examples/b2b-saas-inbound.leads.jsonl",
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(stdout.lines().count(), 1000);
}

#[test]
fn a_json_lead_keyed_by_a_field_name_instead_of_its_key_gets_a_warning() {
    let dir = std::env::temp_dir().join(format!("leadgate-columns-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let leads = dir.join("leads.jsonl");
    std::fs::write(
        &leads,
        "{\"lead_id\": \"a\", \"email\": \"a@b.io\", \"company_size\": 200}\n\
         {\"lead_id\": \"b\", \"email\": \"b@b.io\", \"Company Size\": 200}\n\
         {\"lead_id\": \"c\", \"email\": \"c@b.io\", \"company_size\": 20}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = leadgate(&[
        "score",
        "tests/agreements/acme-inbound.lead",
        leads.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    // Decisions are as ever: the key is not read.
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(!lines[0].to_string().contains("company_size\" but"));
    assert_eq!(lines[0]["unknown"], lines[2]["unknown"]);
    assert!(
        stderr.contains("warning: 2 leads have the key \"company_size\" but no \"Company Size\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean \"Company Size\"?"),
        "{stderr}"
    );
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn a_semicolon_separated_export_scores_with_delimiter() {
    let commas = std::fs::read_to_string(fixture("mini.csv")).unwrap();
    assert!(!commas.contains(';') && !commas.contains('"'));
    let dir = std::env::temp_dir().join(format!("leadgate-delim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let semi = dir.join("mini-semicolons.csv");
    std::fs::write(&semi, commas.replace(',', ";")).unwrap();
    let semi = semi.to_str().unwrap();
    let mini = fixture("mini.lead");
    let csv = fixture("mini.csv");
    let at = ["--as-of", "2026-11-23"];
    let (code, want, _) = leadgate(&[&["score", &mini, &csv][..], &at].concat());
    assert!(matches!(code, Some(0 | 3)));
    // Without --delimiter the header is one column: the missing fields are named.
    let (code, _, stderr) = leadgate(&[&["score", &mini, semi][..], &at].concat());
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no column for"), "{stderr}");
    let (code, got, stderr) =
        leadgate(&[&["score", &mini, semi, "--delimiter", ";"][..], &at].concat());
    assert!(matches!(code, Some(0 | 3)), "{stderr}");
    assert_eq!(got, want);
    // The CSV output keeps the input's separator.
    let (_, out, _) = leadgate(
        &[
            &["score", &mini, semi, "--delimiter", ";", "--format", "csv"][..],
            &at,
        ]
        .concat(),
    );
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("ID;Size;Source;Demo;Converted;route;queue;"),
        "{out}"
    );
    let (code, _, stderr) =
        leadgate(&[&["score", &mini, semi, "--delimiter", ";;"][..], &at].concat());
    assert_eq!(code, Some(2));
    assert!(stderr.contains("not one ASCII character"), "{stderr}");
}

#[test]
fn decision_columns_named_like_input_columns_need_a_prefix() {
    let text = std::fs::read_to_string(fixture("mini.csv"))
        .unwrap()
        .replacen("Converted", "route", 1);
    let dir = std::env::temp_dir().join(format!("leadgate-prefix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("with-route.csv");
    std::fs::write(&input, text).unwrap();
    let (mini, input) = (fixture("mini.lead"), input.to_str().unwrap().to_string());
    let args = [
        "score",
        &mini,
        &input,
        "--as-of",
        "2026-11-23",
        "--format",
        "csv",
    ];
    let (code, out, stderr) = leadgate(&args);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(out.is_empty());
    assert!(
        stderr.contains("already has a column named \"route\""),
        "{stderr}"
    );
    assert!(stderr.contains("--prefix"), "{stderr}");
    let (code, out, stderr) = leadgate(&[&args[..], &["--prefix", "lg_"]].concat());
    assert!(matches!(code, Some(0 | 3)), "{stderr}");
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("ID,Size,Source,Demo,route,lg_route,lg_queue,lg_route_rule,lg_follow_up_within_s,lg_total,"),
        "{header}"
    );
}

#[test]
fn report_by_and_outcome_take_a_field_name_or_a_column_and_refuse_a_column_without_outcomes() {
    let csv = export_with_header("plain.csv", |h| h.to_string());
    let csv = csv.to_str().unwrap();
    let base = [
        "report",
        EDUCATION,
        csv,
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ];
    let (code, by_field, e) = leadgate(
        &[
            &base[..],
            &["--by", "lead_source", "--outcome", "Converted"],
        ]
        .concat(),
    );
    assert_eq!(code, Some(0), "{e}");
    let (_, by_column, _) = leadgate(
        &[
            &base[..],
            &["--by", "Lead Source", "--outcome", "Converted"],
        ]
        .concat(),
    );
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&by_field).unwrap(),
        serde_json::from_str(&by_column).unwrap(),
    );
    assert_eq!(a["groups"], b["groups"]);
    assert!(a["groups"].as_array().unwrap().len() > 3);
    assert_eq!(a["by"], "lead_source");
    let (code, out, e) = leadgate(&[&base[..], &["--outcome", "Lead Origin"]].concat());
    assert_eq!(code, Some(2), "{e}");
    assert!(out.is_empty());
    assert!(
        e.contains("--outcome Lead Origin: no lead has a truthy or falsy value"),
        "{e}"
    );
    assert!(e.contains("found \""), "{e}");
}
