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
    for name in [
        "education-admissions",
        "b2b-saas-inbound",
        "events-webinars",
    ] {
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
        out.push_str(&format!(
            "{} {}:{} {}\n",
            f.code, f.line, f.column, f.message
        ));
    }
    for u in &analysis.undecided {
        out.push_str(&format!(
            "undecided line {}: {:?}: {}\n",
            u.line, u.subject, u.reason
        ));
    }
    for r in &analysis.routes {
        if let Reach::Reachable { witness } = &r.reach {
            // Every witness reaches its rule when scored as JSON.
            let lead: serde_json::Map<String, serde_json::Value> = witness
                .values
                .iter()
                .map(|v| (v.key.clone(), v.value.clone()))
                .collect();
            let d = a.score_serde(serde_json::Value::Object(lead), &common::at(&witness.as_of));
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
            failures.push(format!(
                "{}:\n--- expected\n{want}--- got\n{got}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The bundled admissions agreement with the threshold of "Engaged
/// professional" raised from 20 to 25 and a new telemarketing rule.
fn education_v2(text: &str) -> String {
    let v2 = text
        .replace("and engagement >= 20", "and engagement >= 25")
        .replace(
            "  nurture       queue \"ebook-drip\" ",
            "  telemarketing queue \"callback\" within 24h \"Came back often\" when visits >= 10 and reachability is phone_ok\n  nurture       queue \"ebook-drip\" ",
        );
    assert_ne!(v2.matches("Came back often").count(), 0);
    v2
}

#[test]
fn symbolic_diff_lists_the_regions_that_move_and_covers_the_real_export() {
    let root = common::repo_root();
    let text =
        std::fs::read_to_string(root.join("rules-examples/education-admissions.lead")).unwrap();
    let old = common::compile(&text);
    let new = common::compile(&education_v2(&text));
    let sd = leadgate::SymbolicDiff::between(&old, &new);
    eprintln!("{}", sd.to_text());
    // The threshold change: professionals with engagement 20 to 25 leave sales.
    assert!(sd
        .regions
        .iter()
        .any(|r| r.old.name.as_deref() == Some("Engaged professional")
            && r.condition.contains("20 ≤ engagement < 25")));
    // The new rule takes leads from nurture.
    assert!(sd
        .regions
        .iter()
        .any(|r| r.new.name.as_deref() == Some("Came back often")
            && r.old.destination == leadgate::Destination::Nurture));
    // Every region's witness moves as stated, scored by both.
    let opts = common::at(&sd.as_of);
    for r in &sd.regions {
        let lead: serde_json::Map<String, serde_json::Value> = r
            .witness
            .iter()
            .map(|v| (v.key.clone(), v.value.clone()))
            .collect();
        let lead = serde_json::Value::Object(lead);
        let (od, nd) = (old.score_serde(&lead, &opts), new.score_serde(&lead, &opts));
        assert_eq!(od.rule_index(), Some(r.old.index), "{r:?}");
        assert_eq!(nd.rule_index(), Some(r.new.index), "{r:?}");
        assert_ne!(od.route(), nd.route());
    }
    // On the real export, every lead that moves lies in a listed region.
    let input = common::shared_data().join("x-education-leads.csv");
    assert!(input.exists(), "{} is missing", input.display());
    let mut reader = csv::Reader::from_path(&input).unwrap();
    let header = reader.headers().unwrap().clone();
    let (mut moved, mut rows) = (0, 0);
    for row in reader.records() {
        let row = row.unwrap();
        let lead: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(row.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        let lead = serde_json::Value::Object(lead);
        let (od, nd) = (old.score_serde(&lead, &opts), new.score_serde(&lead, &opts));
        rows += 1;
        if od.route() != nd.route() {
            moved += 1;
            assert!(
                sd.region_of(&od, &nd).is_some(),
                "a lead moves outside the listed regions: {:?} → {:?}: {lead}",
                od.rule(),
                nd.rule()
            );
        }
    }
    assert_eq!(rows, 9240);
    assert!(moved > 0);
    eprintln!("{moved} of {rows} leads move, each in a listed region");
}
