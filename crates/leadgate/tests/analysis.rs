//! The analysis over every possible lead: hand-made agreements under
//! `tests/analysis/` with known findings, reported exactly; witnesses for
//! every bundled agreement, verified by scoring them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use leadgate::{Agreement, Analysis, Reach};

fn load(path: &std::path::Path) -> Agreement {
    let text = std::fs::read_to_string(path).unwrap();
    Agreement::compile(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.render()))
}

#[test]
fn bundled_agreements_get_a_witness_for_every_route_rule() {
    let root = common::repo_root();
    for name in ["education-admissions", "b2b-saas-inbound", "events-webinars"] {
        let a = load(&root.join(format!("rules-examples/{name}.lead")));
        let t = std::time::Instant::now();
        let analysis = Analysis::of(&a);
        eprintln!("{name}: {:?}", t.elapsed());
        for f in &analysis.findings {
            eprintln!("  {} {}:{} {}", f.code, f.line, f.column, f.message);
        }
        for u in &analysis.undecided {
            eprintln!("  undecided line {}: {:?} {}", u.line, u.subject, u.reason);
        }
        for r in &analysis.routes {
            match &r.reach {
                Reach::Reachable { .. } => {}
                other => panic!("{name}: route rule {:?}: {other:?}", r.name),
            }
        }
    }
}

/// The findings and undecided items of an analysis, one per line.
fn report(a: &Agreement, analysis: &Analysis) -> String {
    let mut out = String::new();
    for f in &analysis.findings {
        out.push_str(&format!("{} {}:{} {}\n", f.code, f.line, f.column, f.message));
    }
    for u in &analysis.undecided {
        out.push_str(&format!("undecided line {}: {:?}: {}\n", u.line, u.subject, u.reason));
    }
    for r in &analysis.routes {
        if let Reach::Reachable { witness } = &r.reach {
            // Every witness reaches its rule when scored as JSON.
            let lead: serde_json::Map<String, serde_json::Value> = witness
                .values
                .iter()
                .map(|v| (v.key.clone(), v.value.clone()))
                .collect();
            let d = a.score_serde(
                serde_json::Value::Object(lead),
                &common::at(&witness.as_of),
            );
            assert_eq!(d.rule_index(), Some(r.index), "{r:?}");
        }
    }
    out
}

#[test]
fn hand_made_agreements_are_reported_exactly() {
    let dir = common::repo_root().join("tests/analysis");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "lead"))
        .collect();
    names.sort();
    assert!(names.len() >= 4);
    let mut failures = Vec::new();
    for path in names {
        let a = load(&path);
        let got = report(&a, &Analysis::of(&a));
        let expected_path = path.with_extension("expected");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&expected_path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!("{}:\n--- expected\n{want}--- got\n{got}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
