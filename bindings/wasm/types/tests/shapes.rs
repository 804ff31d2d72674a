//! The declared shapes are the core's: every decision of the conformance
//! corpus, and explanations, reports and diffs of the example agreement and
//! its leads, read into the declared types with unknown fields refused.
//! A field the core adds, renames or drops fails here, before the `.d.ts`
//! says something else than what JS gets.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use leadgate::{Agreement, Decision, Diff, DiffNames, OnBadValue, Report, ScoreOptions, Timestamp};
use leadgate_wasm_types as types;
use serde_json::{json, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// The files of `dir` (under tests/conformance) whose names end with `suffix`.
fn corpus(dir: &str, suffix: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/conformance").join(dir);
    let paths = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path());
    paths
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

fn read<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{what}: {e}\n{value:#}"))
}

/// A decision as the binding hands it to JS: its canonical JSON, and the
/// kind of its lead error.
fn as_js(d: &Decision) -> Value {
    let mut v: Value = serde_json::from_str(&d.to_json()).unwrap();
    if let Some(e) = d.error() {
        v["error"]["kind"] = json!(e.kind().as_str());
    }
    v
}

#[test]
fn every_conformance_decision_is_a_declared_decision() {
    let mut n = 0;
    for path in corpus("cases", ".json") {
        let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected.jsonl")).unwrap();
        let a = Agreement::compile(spec["agreement"].as_str().unwrap()).unwrap();
        let at = Timestamp::parse(spec["as_of"].as_str().unwrap()).unwrap();
        let on_bad = match spec["on_bad_value"].as_str() {
            Some("missing") => OnBadValue::Missing,
            _ => OnBadValue::Error,
        };
        let opts = ScoreOptions::at(at).on_bad_value(on_bad);
        let leads = spec["leads"].as_array().unwrap();
        for (i, (lead, line)) in leads.iter().zip(expected.lines()).enumerate() {
            let lead = a.bind_json(&lead.to_string(), on_bad);
            let d = a.decide(i, &lead, &opts);
            assert_eq!(d.to_json(), line, "{} lead {i}", path.display());
            read::<types::Decision>(as_js(&d), &format!("{} lead {i}", path.display()));
            n += 1;
        }
    }
    assert!(n > 100, "{n} decisions");
}

#[test]
fn every_roster_decision_is_a_declared_decision() {
    let mut n = 0;
    for path in corpus("rosters", ".expected.jsonl") {
        for (i, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            let v: Value = serde_json::from_str(line).unwrap();
            let what = format!("{} line {}", path.display(), i + 1);
            assert!(
                v.get("assignee").is_some() || v.get("error").is_some(),
                "{what}"
            );
            read::<types::Decision>(v, &what);
            n += 1;
        }
    }
    assert!(n > 20, "{n} decisions");
}

fn b2b() -> (Agreement, Vec<String>) {
    let rules = root().join("rules-examples");
    let text = std::fs::read_to_string(rules.join("b2b-saas-inbound.lead")).unwrap();
    let leads = std::fs::read_to_string(rules.join("b2b-saas-inbound.leads.jsonl")).unwrap();
    let mut leads: Vec<String> = leads.lines().take(300).map(String::from).collect();
    // Rejected leads too.
    leads.extend([
        "{}".into(),
        "[1]".into(),
        r#"{"email": "a@b.io", "employees": "x"}"#.into(),
    ]);
    (Agreement::compile(&text).unwrap(), leads)
}

fn opts() -> ScoreOptions {
    ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap())
}

#[test]
fn explanations_are_declared_explanations() {
    let (a, leads) = b2b();
    for (i, text) in leads.iter().enumerate() {
        let e = a.explain(i, &a.bind_json(text, OnBadValue::Error), &opts());
        let mut v = serde_json::to_value(&e).unwrap();
        v["text"] = json!(e.text());
        v["decision"] = as_js(e.decision());
        read::<types::Explanation>(v, &format!("lead {i}"));
    }
}

#[test]
fn reports_are_declared_reports() {
    let (a, leads) = b2b();
    for (by, outcome) in [(None, None), (Some("country"), Some("demo_requested"))] {
        let mut r = Report::new(&a, by, outcome);
        for (i, text) in leads.iter().enumerate() {
            let d = a.decide(i, &a.bind_json(text, OnBadValue::Error), &opts());
            let lead: Value = serde_json::from_str(text).unwrap_or_default();
            let value = |key: Option<&str>| {
                let v = key.and_then(|k| lead.get(k))?;
                Some(v.as_str().map_or_else(|| v.to_string(), String::from))
            };
            let o = value(outcome).as_deref().and_then(leadgate::parse_outcome);
            r.add(&d, value(by).as_deref(), o);
        }
        let mut v = r.to_json("t", 20);
        v["text"] = json!(r.to_text("t", 20));
        v["html"] = json!(r.to_html("t", 20));
        read::<types::Report>(v, &format!("report by {by:?}"));
    }
}

#[test]
fn diffs_are_declared_diffs() {
    let (old, leads) = b2b();
    let proposed = old
        .source()
        .replace("+25 \"Economic buyer\"", "+40 \"Economic buyer\"")
        .replace("title          : text", "title          : text required");
    let new = Agreement::compile(&proposed).unwrap();
    let mut diff = Diff::new(&old, &new, 50);
    for (i, text) in leads.iter().enumerate() {
        let d = |a: &Agreement| a.decide(i, &a.bind_json(text, OnBadValue::Error), &opts());
        diff.add(&d(&old), &d(&new));
    }
    assert!(diff.moved() > 0 && diff.rejected() > 0);
    let mut v = diff.to_json();
    let names = DiffNames {
        old: "a",
        new: "b",
        input: "leads",
    };
    v["text"] = json!(diff.to_text(&names));
    let d = read::<types::Diff>(v, "diff");
    assert!(d
        .changes
        .iter()
        .any(|c| matches!(c.new, types::Decision::Rejected(_))));
}

#[test]
fn fields_checks_analyses_and_symbolic_diffs_are_declared_ones() {
    let (mut findings, mut examples) = (0, 0);
    for dir in ["tests/analysis", "rules-examples"] {
        let paths = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path());
        for path in paths.filter(|p| p.extension().is_some_and(|x| x == "lead")) {
            let a = Agreement::compile(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let v = serde_json::to_value(leadgate::Analysis::of(&a)).unwrap();
            let analysis = read::<types::Analysis>(v, &path.display().to_string());
            let fields = serde_json::to_value(a.info().fields).unwrap();
            read::<Vec<types::FieldInfo>>(fields, &path.display().to_string());
            let check = a.check_report("agreement.lead");
            let mut v = serde_json::to_value(&check).unwrap();
            v["text"] = json!(check.to_text());
            let check = read::<types::CheckReport>(v, &path.display().to_string());
            assert!(check.ok, "{}", path.display());
            examples += check.examples.len();
            findings += analysis.findings.len();
        }
    }
    assert!(findings >= 8, "{findings} findings");
    assert!(examples >= 10, "{examples} examples");
    // A warning (an unused field) and a failed example, as `check()` gives them.
    let text = "agreement \"x\"\nfields { a: text  unused: number }\nscore s {\n  +1 \"A\" when a == \"x\"\n}\nroute {\n  sales \"S\" when s >= 1\n  nurture \"N\" otherwise\n}\nexample \"e\" {\n  lead { a: \"y\" }\n  expect route sales\n}\n";
    let a = Agreement::compile(text).unwrap();
    let check = a.check_report("agreement.lead");
    let mut v = serde_json::to_value(&check).unwrap();
    v["text"] = json!(check.to_text());
    let check = read::<types::CheckReport>(v, "a failed check");
    assert!(!check.ok && check.warnings.len() == 1 && !check.examples[0].passed);
    assert!(
        check
            .text
            .contains("FAILED  example \"e\" (agreement.lead:10)"),
        "{}",
        check.text
    );
    // A compile error's diagnostics, as `compile` throws them.
    let e = Agreement::compile("agreement \"x\"\nfields { a: text }\n").unwrap_err();
    let v = serde_json::to_value(e.rendered_diagnostics()).unwrap();
    assert!(!read::<Vec<types::DiagnosticInfo>>(v, "compile error").is_empty());
    let rules = root().join("rules-examples");
    let old = std::fs::read_to_string(rules.join("education-admissions.lead")).unwrap();
    let new = old.replace("and engagement >= 20", "and engagement >= 25");
    let [old, new] = [old, new].map(|t| Agreement::compile(&t).unwrap());
    let sd = leadgate::SymbolicDiff::between(&old, &new);
    let mut v = serde_json::to_value(&sd).unwrap();
    v["text"] = json!(sd.to_text());
    let d = read::<types::SymbolicDiff>(v, "symbolic diff");
    assert!(!d.regions.is_empty() && !d.regions[0].witness.is_empty());
}
