//! The report is mergeable: counted in parts (threads, Spark partitions),
//! sent as state and merged in any order, it gives the same JSON as one pass.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use leadgate::{Agreement, Decision, OnBadValue, Report};
use proptest::prelude::*;

struct Data {
    agreement: Agreement,
    /// (decision, group, outcome) per lead.
    leads: Vec<(Decision, Option<String>, Option<bool>)>,
}

/// The first lead of the sample that was scored, not rejected.
fn first_scored(d: &Data) -> &Decision {
    let scored = d.leads.iter().find(|(d, _, _)| d.error().is_none());
    &scored.unwrap().0
}

fn data() -> &'static Data {
    static DATA: std::sync::OnceLock<Data> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        let root = common::repo_root();
        let agreement = common::compile(
            &std::fs::read_to_string(root.join("rules-examples/b2b-saas-inbound.lead")).unwrap(),
        );
        let text =
            std::fs::read_to_string(root.join("rules-examples/b2b-saas-inbound.leads.jsonl"))
                .unwrap();
        let opts = common::at("2026-11-23");
        let leads = text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let lead = agreement.bind_json(line, OnBadValue::Error);
                let d = agreement.decide(i, &lead, &opts);
                let v: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
                let group = v["country"].as_str().map(String::from);
                // A made-up outcome, and some unknown.
                let outcome = (i % 7 != 0).then_some(i % 3 == 0);
                (d, group, outcome)
            })
            .collect();
        Data { agreement, leads }
    })
}

fn one_pass(items: &[usize]) -> Report {
    let d = data();
    let mut r = Report::new(&d.agreement, Some("country"), Some("won"));
    for &i in items {
        let (dec, g, o) = &d.leads[i];
        assert!(r.add(dec, g.as_deref(), *o));
    }
    r
}

#[test]
fn the_real_leads_in_8_parts_merge_to_one_pass() {
    let d = data();
    let all: Vec<usize> = (0..d.leads.len()).collect();
    let whole = one_pass(&all).to_json("t", 20);
    // Parts counted with a separately compiled copy of the same text, sent
    // as state and merged in reverse order.
    let copy = Agreement::compile(d.agreement.source()).unwrap();
    let mut merged = Report::new(&copy, Some("country"), Some("won"));
    for part in all.chunks(all.len() / 8 + 1).rev() {
        let state = one_pass(part).to_state();
        let back = Report::from_state(&copy, &state).unwrap();
        assert!(merged.merge(&back));
    }
    assert_eq!(merged.to_json("t", 20), whole);
    assert_eq!(merged.to_text("t", 20), one_pass(&all).to_text("t", 20));
    assert_eq!(merged.to_html("t", 20), one_pass(&all).to_html("t", 20));
}

#[test]
fn reports_of_other_agreements_or_settings_do_not_merge() {
    let d = data();
    let mut r = Report::new(&d.agreement, Some("country"), Some("won"));
    let other_settings = Report::new(&d.agreement, None, Some("won"));
    assert!(!r.merge(&other_settings));
    let other = common::compile(
        r#"agreement "O" fields { a : number } score s { +1 "A" when a > 1 } route { nurture otherwise }"#,
    );
    assert!(Report::from_state(&other, &r.to_state()).is_err());
    assert!(Report::from_state(&d.agreement, "{not json").is_err());
    // A decision of another agreement is not counted.
    let foreign = other.score_json("{}", &common::at("2026-11-23"));
    assert!(!r.add(&foreign, None, None));
    assert_eq!(r.leads(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_split_into_1_2_or_8_parts_gives_the_same_json(
        picks in prop::collection::vec(0usize..1000, 1..300),
        parts in prop::sample::select(vec![1usize, 2, 8]),
        seed in any::<u64>(),
    ) {
        let whole = one_pass(&picks).to_json("t", 5);
        // Deal the leads to parts by a seeded hash, not in runs.
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); parts];
        for (k, &i) in picks.iter().enumerate() {
            let h = (k as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 33;
            buckets[(h % parts as u64) as usize].push(i);
        }
        let d = data();
        let mut merged = Report::new(&d.agreement, Some("country"), Some("won"));
        for b in buckets.iter().rev() {
            prop_assert!(merged.merge(&Report::from_state(&d.agreement, &one_pass(b).to_state()).unwrap()));
        }
        prop_assert_eq!(merged.to_json("t", 5), whole);
    }
}

#[test]
fn the_page_has_calibration_charts_axes_and_whole_words() {
    let d = data();
    let all: Vec<usize> = (0..d.leads.len()).collect();
    let html = one_pass(&all).to_html("b2b", 20);
    // One calibration chart for the total and one per score, when there is an outcome.
    assert_eq!(
        html.matches(r#"class="cal""#).count(),
        1 + d.agreement.scores().len()
    );
    assert!(html.contains("Calibration: conversion per score decile"));
    // Histograms with a leads axis.
    assert_eq!(
        html.matches(r#"class="hist""#).count(),
        1 + d.agreement.scores().len()
    );
    assert!(html.matches(">leads</text>").count() > d.agreement.scores().len());
    // No script, no network.
    assert!(
        !html.contains("<script") && !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count()
    );
    // Cut labels end on a whole word.
    for cut in html.split('…').take(html.matches('…').count()) {
        let last = cut.chars().last().unwrap_or(' ');
        assert!(
            last.is_alphanumeric() || last == '"' || last == ')',
            "cut after {last:?}"
        );
    }
    // Without an outcome there is no calibration.
    let mut plain = Report::new(&d.agreement, None, None);
    for (dec, _, _) in &d.leads {
        plain.add(dec, None, None);
    }
    assert!(!plain.to_html("b2b", 20).contains(r#"class="cal""#));
}

#[test]
fn an_outcome_that_no_scored_lead_holds_is_unknown() {
    let d = data();
    let scored = first_scored(d);
    let mut values = leadgate::OutcomeValues::new();
    let mut r = Report::new(&d.agreement, None, Some("won"));
    assert!(!r.outcome_unknown(), "no lead yet");
    r.add(scored, None, values.read(Some("ebook")));
    assert!(r.outcome_unknown());
    assert_eq!(values.unreadable(), ["ebook"]);
    r.add(scored, None, values.read(Some("yes")));
    assert!(!r.outcome_unknown());
    // Without an outcome there is nothing to know.
    let mut plain = Report::new(&d.agreement, None, None);
    plain.add(scored, None, None);
    assert!(!plain.outcome_unknown());
}

#[test]
fn the_outcome_error_names_the_same_values_however_the_leads_were_split() {
    let d = data();
    let scored: Vec<_> = d
        .leads
        .iter()
        .filter(|(d, _, _)| d.error().is_none())
        .take(30)
        .collect();
    let values = |i: usize| format!("form-{:02}", (i * 7) % 23);
    let mut whole = Report::new(&d.agreement, None, Some("won"));
    for (i, (dec, _, _)) in scored.iter().enumerate() {
        let o = whole.read_outcome(Some(&values(i)));
        whole.add(dec, None, o);
    }
    let want = whole.outcome_error().expect("no outcome is known");
    assert!(want.starts_with("no lead has a truthy or falsy value (1/0, true/false, yes/no); found \"form-00\", \"form-01\""), "{want}");
    for parts in [2, 3, 7] {
        let mut merged = Report::new(&d.agreement, None, Some("won"));
        for p in 0..parts {
            let mut part = Report::new(&d.agreement, None, Some("won"));
            for (i, (dec, _, _)) in scored.iter().enumerate().filter(|(i, _)| i % parts == p) {
                let o = part.read_outcome(Some(&values(i)));
                part.add(dec, None, o);
            }
            // Through the state a Spark executor sends.
            let back = Report::from_state(&d.agreement, &part.to_state()).unwrap();
            assert!(merged.merge(&back));
        }
        assert_eq!(
            merged.outcome_error().as_deref(),
            Some(want.as_str()),
            "{parts} parts"
        );
    }
}

#[test]
fn a_crafted_state_cannot_put_known_blank_or_unsorted_values_in_the_error() {
    let d = data();
    let scored = first_scored(d);
    let mut r = Report::new(&d.agreement, None, Some("won"));
    r.add(scored, None, None);
    let mut state: serde_json::Value = serde_json::from_str(&r.to_state()).unwrap();
    state["outcomes"] = serde_json::json!(["z", "yes", "", "  ", "a", "1"]);
    let back = Report::from_state(&d.agreement, &state.to_string()).unwrap();
    let e = back.outcome_error().unwrap();
    assert!(e.ends_with("; found \"a\", \"z\""), "{e}");
}
