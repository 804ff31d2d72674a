//! `leadgate compile` and `.lgc` files in every command, as processes:
//! the same outputs as from the text, and clear refusals of damaged,
//! outdated and misused files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

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

fn compile(agreement: &str, out: &Path) {
    leadgate()
        .args(["compile", agreement, "-o"])
        .arg(out)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("compiled \"").and(predicate::str::contains(format!(
                "format {}",
                leadgate::FORMAT_VERSION
            ))),
        );
}

/// stdout and exit code of `leadgate ARGS`.
fn run(args: &[String]) -> (Vec<u8>, Option<i32>) {
    let out = leadgate().args(args).output().unwrap();
    (out.stdout, out.status.code())
}

#[test]
fn every_command_decides_the_same_from_the_compiled_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "b2b-saas-inbound",
        "education-admissions",
        "events-webinars",
    ] {
        let lead = format!("rules-examples/{name}.lead");
        let lgc = dir.path().join(format!("{name}.lgc"));
        compile(&lead, &lgc);
        let lgc = lgc.to_str().unwrap();
        let input = match name {
            "b2b-saas-inbound" => format!("rules-examples/{name}.leads.jsonl"),
            _ => format!("rules-examples/{name}.leads.csv"),
        };
        for args in [
            vec!["score", "AGREEMENT", &input, "--as-of", "2026-11-23"],
            vec![
                "score",
                "AGREEMENT",
                &input,
                "--as-of",
                "2026-11-23",
                "--format",
                "csv",
            ],
            vec![
                "explain",
                "AGREEMENT",
                "--index",
                "3",
                &input,
                "--as-of",
                "2026-11-23",
            ],
            vec![
                "report",
                "AGREEMENT",
                &input,
                "--as-of",
                "2026-11-23",
                "--format",
                "json",
            ],
            vec!["check", "AGREEMENT"],
            vec!["examples", "AGREEMENT"],
        ] {
            let with = |a: &str| -> Vec<String> {
                args.iter()
                    .map(|x| if *x == "AGREEMENT" { a } else { *x }.to_string())
                    .collect()
            };
            let (text, text_code) = run(&with(&lead));
            let (compiled, compiled_code) = run(&with(lgc));
            assert_eq!(compiled_code, text_code, "{name}: {args:?}");
            if args[0] == "check" {
                // The summary line names the file.
                let last = |b: &[u8]| {
                    String::from_utf8_lossy(b)
                        .lines()
                        .last()
                        .map(|l| l.split(": ").nth(1).map(str::to_string))
                        .unwrap_or_default()
                };
                assert_eq!(last(&compiled), last(&text), "{name}: {args:?}");
            } else {
                assert!(compiled == text, "{name}: {args:?} differs from the text's");
            }
        }
        // diff: the compiled file against its text, as the text against itself.
        let diff = |old: &str| {
            run(&[
                "diff",
                old,
                &lead,
                &input,
                "--as-of",
                "2026-11-23",
                "--format",
                "json",
            ]
            .map(String::from))
        };
        let (same, code) = diff(&lead);
        assert!(diff(lgc) == (same, code), "{name}: diff");
    }
}

#[test]
fn outdated_damaged_and_misused_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lgc = dir.path().join("a.lgc");
    compile("rules-examples/b2b-saas-inbound.lead", &lgc);
    let bytes = std::fs::read(&lgc).unwrap();
    let input = "rules-examples/b2b-saas-inbound.leads.jsonl";

    let mut outdated = bytes.clone();
    outdated[4] = 1;
    let path = dir.path().join("outdated.lgc");
    std::fs::write(&path, &outdated).unwrap();
    leadgate()
        .arg("score")
        .arg(&path)
        .args([input, "--as-of", "2026-11-23"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "the compiled agreement is of format version 1, this leadgate reads version 2: compile the agreement again",
        ));

    let path = dir.path().join("cut.lgc");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    leadgate()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "is damaged: its checksum does not match its contents",
        ));

    // fmt formats texts only.
    leadgate()
        .arg("fmt")
        .arg(&lgc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is a compiled agreement, not its text",
        ));

    // A text that happens to be no agreement is still a text.
    let path = dir.path().join("text.lgc");
    std::fs::write(&path, "LGC is not a magic word here\n").unwrap();
    leadgate()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E0001"));
}

#[test]
fn a_failed_compile_leaves_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.lgc");
    std::fs::write(&out, b"the previous build").unwrap();
    leadgate()
        .args(["compile", "tests/broken/unknown-names.lead", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("does not compile"));
    assert_eq!(std::fs::read(&out).unwrap(), b"the previous build");
    // The output may not be the input.
    let lead = dir.path().join("a.lead");
    std::fs::copy(root().join("rules-examples/events-webinars.lead"), &lead).unwrap();
    leadgate()
        .arg("compile")
        .arg(&lead)
        .arg("-o")
        .arg(&lead)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is also an input"));
    assert!(std::fs::read_to_string(&lead)
        .unwrap()
        .contains("agreement"));
}
