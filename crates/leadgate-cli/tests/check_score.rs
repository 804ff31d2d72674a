//! `leadgate check` and `leadgate score`: outputs and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn leadgate() -> Command {
    let mut c = Command::cargo_bin("leadgate").unwrap();
    c.current_dir(root());
    c
}

#[test]
fn check_passes_on_every_example_agreement() {
    for f in [
        "b2b-saas-inbound",
        "events-webinars",
        "education-admissions",
    ] {
        leadgate()
            .args(["check", &format!("rules-examples/{f}.lead")])
            .assert()
            .success()
            .stdout(predicate::str::contains("0 failed"));
    }
}

#[test]
fn check_fails_with_diagnostics_on_broken_agreements() {
    leadgate()
        .args(["check", "tests/broken/unknown-names.lead"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("E0007")
                .and(predicate::str::contains("did you mean `title`?"))
                .and(predicate::str::contains("unknown-names.lead:9:29")),
        );
}

#[test]
fn check_reports_failed_examples_with_expected_and_actual() {
    let dir = tempfile_dir();
    let src = std::fs::read_to_string(root().join("tests/agreements/acme-inbound.lead")).unwrap();
    let broken = src.replace("expect fit == 45", "expect fit == 46");
    // Where the failing expect is: its line, and its column (1-based).
    let at = broken.find("expect fit == 46").unwrap();
    let line = broken[..at].matches('\n').count() + 1;
    let column = at - broken[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    let path = dir.join("a.lead");
    std::fs::write(&path, broken).unwrap();
    let name = path.to_str().unwrap();
    leadgate().args(["check", name]).assert().code(1).stdout(
        predicate::str::contains("FAILED").and(predicate::str::contains(format!(
            "{name}:{line}:{column}: expected `expect fit == 46`, got fit = 45",
        ))),
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    leadgate()
        .args(["check", "no/such/file.lead"])
        .assert()
        .code(2);
    leadgate()
        .args([
            "score",
            "tests/agreements/acme-inbound.lead",
            "no/such.jsonl",
        ])
        .assert()
        .code(2);
    leadgate()
        .args(["score", "tests/agreements/acme-inbound.lead", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--input-format"));
    leadgate()
        .args([
            "score",
            "tests/agreements/acme-inbound.lead",
            "x.jsonl",
            "--as-of",
            "yesterday",
        ])
        .assert()
        .code(2);
    leadgate().args(["frobnicate"]).assert().code(2);
}

#[test]
fn score_jsonl_from_stdin_keeps_every_row_in_order_and_exits_3_on_rejects() {
    let input = "{\"lead_id\": \"a\", \"email\": \"a@b.io\"}\nnot json\n\n{\"lead_id\": \"c\", \"email\": \"c@gmail.com\", \"Company Size\": \"fifty\"}\n[1]\n{\"lead_id\": \"e\", \"email\": \"e@b.io\"}\n";
    let out = leadgate()
        .args([
            "score",
            "tests/agreements/acme-inbound.lead",
            "-",
            "--input-format",
            "jsonl",
            "--as-of",
            "2026-11-23",
        ])
        .write_stdin(input)
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        5,
        "blank lines are not leads; every other line is"
    );
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["index"], i);
    }
    assert_eq!(lines[0]["route"], "nurture");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON"));
    assert_eq!(lines[2]["error"]["field"], "company_size");
    assert_eq!(
        lines[3]["error"]["message"],
        "expected a JSON object, got an array"
    );
    assert_eq!(lines[4]["id"], "e");
}

#[test]
fn score_csv_json_array_and_threads_agree() {
    let dir = tempfile_dir();
    let csv = dir.join("leads.csv");
    std::fs::write(&csv, "\u{feff}lead_id,email,Company Size,country\r\nL1,a@b.io,200,de\r\nL2,\"multi\nline@b.io\",,fr\r\nL3,c@gmail.com,fifty\r\n").unwrap();
    let json = dir.join("leads.json");
    std::fs::write(&json, r#"[{"lead_id": "L1", "email": "a@b.io", "Company Size": "200", "country": "de"}, {"lead_id": "L2", "email": "multi\nline@b.io", "country": "fr"}, {"lead_id": "L3", "email": "c@gmail.com", "Company Size": "fifty"}]"#).unwrap();
    let run = |input: &PathBuf, threads: &str| {
        let out = leadgate()
            .args([
                "score",
                "tests/agreements/acme-inbound.lead",
                input.to_str().unwrap(),
                "--as-of",
                "2026-11-23",
                "--threads",
                threads,
                "--allow-missing-columns",
            ])
            .assert()
            .code(3)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let a = run(&csv, "1");
    assert_eq!(a.lines().count(), 3);
    assert_eq!(a, run(&csv, "2"));
    assert_eq!(
        a,
        run(&json, "2"),
        "CSV and JSON input give the same decisions"
    );
}

#[test]
fn score_writes_to_output_file_and_lenient_mode_exits_0() {
    let dir = tempfile_dir();
    let out = dir.join("out.jsonl");
    leadgate()
        .args([
            "score",
            "tests/agreements/acme-inbound.lead",
            "-",
            "--input-format",
            "jsonl",
            "--as-of",
            "2026-11-23",
            "--on-bad-value",
            "missing",
            "--output",
            out.to_str().unwrap(),
        ])
        .write_stdin("{\"lead_id\": \"c\", \"email\": \"c@b.io\", \"Company Size\": \"fifty\"}\n")
        .assert()
        .success();
    let text = std::fs::read_to_string(out).unwrap();
    assert!(text.contains("read as missing"), "{text}");
}

#[test]
fn score_real_export_with_spaces_in_headers_and_blank_numbers() {
    let data = root().join("../shared/data/x-education-leads.csv");
    let out = leadgate()
        .args([
            "score",
            "rules-examples/education-admissions.lead",
            data.to_str().unwrap(),
            "--as-of",
            "2026-11-23",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 9240);
    assert!(!text.contains("\"error\""));
}

fn tempfile_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "leadgate-cli-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// More leads than one chunk (8,192): the read-ahead pipeline keeps input
/// order and indices across chunks, and gives what one thread gives.
#[test]
fn score_across_chunks_keeps_order_with_read_ahead() {
    let src =
        std::fs::read_to_string(root().join("rules-examples/events-webinars.leads.csv")).unwrap();
    let mut lines = src.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.filter(|l| !l.trim().is_empty()).collect();
    let mut big = String::from(header);
    big.push('\n');
    let copies = 8192 / rows.len() + 2;
    for _ in 0..copies {
        for r in &rows {
            big.push_str(r);
            big.push('\n');
        }
    }
    let dir = tempfile_dir();
    let input = dir.join("many.csv");
    std::fs::write(&input, &big).unwrap();
    let run = |threads: &str| {
        let out = leadgate()
            .args(["score", "rules-examples/events-webinars.lead"])
            .arg(&input)
            .args(["--as-of", "2026-11-23", "--threads", threads])
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(0 | 3)), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let (one, two) = (run("1"), run("2"));
    assert_eq!(one, two);
    let n = copies * rows.len();
    assert!(n > 8192);
    let lines: Vec<&str> = two.lines().collect();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(d["index"], i);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// On a terminal, `score` ends with a one-line summary on stderr; in a pipe
/// or a file, stderr has no summary.
#[test]
fn score_summarises_on_a_terminal_only() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no `script` to give leadgate a terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_leadgate");
    let out_file =
        std::env::temp_dir().join(format!("leadgate-summary-{}.jsonl", std::process::id()));
    let cmd = format!(
        "{bin} score rules-examples/b2b-saas-inbound.lead rules-examples/b2b-saas-inbound.leads.jsonl --as-of 2026-11-23 -o {}",
        out_file.display()
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tty = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(&root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&tty.stdout);
    assert!(
        text.contains(
            "1000 leads: sales 5.5%, telemarketing 10.9%, nurture 83.1%; 5 rejected (0.5%)"
        ),
        "{text}"
    );
    let piped = leadgate()
        .args([
            "score",
            "rules-examples/b2b-saas-inbound.lead",
            "rules-examples/b2b-saas-inbound.leads.jsonl",
            "--as-of",
            "2026-11-23",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&piped.stderr);
    assert!(!err.contains("1000 leads:"), "{err}");
    assert!(err.contains("5 lead(s) rejected"), "{err}");
    let _ = std::fs::remove_file(out_file);
}
