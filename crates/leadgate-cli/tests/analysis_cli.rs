//! `leadgate examples`, `check --coverage` and the analysis warnings of
//! `leadgate check`.
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
fn examples_pasted_back_pass_check_for_every_bundled_agreement() {
    let dir = tempfile_dir();
    for name in [
        "education-admissions",
        "b2b-saas-inbound",
        "events-webinars",
    ] {
        let path = root().join(format!("rules-examples/{name}.lead"));
        let out = leadgate()
            .args(["examples", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let blocks = String::from_utf8(out.stdout).unwrap();
        let n = blocks.matches("\nexample ").count() + usize::from(blocks.starts_with("example "));
        let routes = leadgate::Agreement::compile(&std::fs::read_to_string(&path).unwrap())
            .unwrap()
            .routes()
            .len();
        assert_eq!(n, routes, "one example per route rule:\n{blocks}");
        assert!(!blocks.contains("# no example"), "{blocks}");
        let text = std::fs::read_to_string(&path).unwrap() + "\n" + &blocks;
        let pasted = dir.join(format!("{name}.lead"));
        std::fs::write(&pasted, text).unwrap();
        leadgate()
            .args(["check", "--coverage", pasted.to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "coverage: examples reach {routes} of {routes} route rules"
            )))
            .stdout(predicate::str::contains(" 0 failed"));
    }
}

#[test]
fn coverage_lists_route_rules_no_example_reaches() {
    leadgate()
        .args([
            "check",
            "--coverage",
            "rules-examples/education-admissions.lead",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "coverage: examples reach 6 of 9 route rules",
        ))
        .stdout(predicate::str::contains(
            "not covered: route rule \"Engaged professional\" (line 144): reached by {",
        ));
}

#[test]
fn check_prints_the_findings_as_located_warnings() {
    leadgate()
        .args(["check", "tests/analysis/shadowed.lead"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning[W0007]: the route rule \"Very hot\" is never reached: every lead it matches is taken by \"Hot\"\n  --> tests/analysis/shadowed.lead:30:3",
        ))
        .stderr(predicate::str::contains("warning[W0010]"))
        .stderr(predicate::str::contains("warning[W0008]"))
        .stderr(predicate::str::contains("warning[W0009]"));
    // The bundled agreements have nothing to report.
    for name in [
        "education-admissions",
        "b2b-saas-inbound",
        "events-webinars",
    ] {
        leadgate()
            .args(["check", &format!("rules-examples/{name}.lead")])
            .assert()
            .success()
            .stderr(predicate::str::contains("W00").not())
            .stderr(predicate::str::contains("undecided").not());
    }
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("leadgate-analysis-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
