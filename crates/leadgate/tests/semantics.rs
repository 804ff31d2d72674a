//! One test per construct of docs/language.md, including the missing-data cases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{compile, decide};
use serde_json::json;

const BASE: &str = r#"
agreement "Semantics" version "1"
fields {
  lead_id : text id
  email   : text required
  title   : text
  size    : number from "Company Size"
  budget  : number
  demo    : bool
  tags    : list
  seen    : date
  country : text
}
list free_mail = ["gmail.com", "Yahoo.com "]
list big = [500, 1_000]
score fit {
  +20 "Decision maker" when title matches /\b(vp|head)\b/i
  +15 "Mid-market"     when size between 50 and 1000
  +10 "Has budget"     when budget >= 10000
  -15 "Free mailbox"   when domain(email) in free_mail
  +(size / 100) up to 8 "Size points" when size > 0
  range 0 to 100
}
score engagement {
  +30 "Demo"    when demo
  +10 "Webinar" when tags contains "webinar"
  +5 "Base"
  halve every 10d since seen
}
grade tier {
  hot  when fit >= 40
  warm when fit >= 20 or potential(fit) >= 40
  cold otherwise
}
route {
  sales queue "emea" within 1h "EMEA hot" when tier is hot and country in ["de", "fr"]
  sales within 24h "Hot" when tier is hot
  telemarketing "Maybe" when potential(fit) >= 40
  nurture otherwise
}
"#;

fn d(lead: serde_json::Value) -> serde_json::Value {
    decide(&compile(BASE), &lead.to_string(), "2026-11-23")
}

fn fired(v: &serde_json::Value) -> Vec<String> {
    v["fired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn unknown(v: &serde_json::Value) -> Vec<String> {
    v["unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn canonical_key_order_and_shape() {
    let a = compile(BASE);
    let dec = a.score_json(r#"{"lead_id": "L-1", "email": "a@acme.io", "title": "VP Sales", "Company Size": 200, "country": "DE", "seen": "2026-11-23"}"#, &common::at("2026-11-23"));
    let text = dec.to_json();
    // fit 37 < 40 makes the tier warm, but potential(fit) = 37 + 10 (budget unknown) >= 40.
    assert_eq!(
        text,
        r#"{"index": 0, "id": "L-1", "route": "telemarketing", "queue": null, "rule": "Maybe", "follow_up_within_s": null, "scores": {"fit": 37, "engagement": 5}, "total": 42, "grades": {"tier": "warm"}, "fired": [{"rule": "Decision maker", "score": "fit", "points": 20}, {"rule": "Mid-market", "score": "fit", "points": 15}, {"rule": "Size points", "score": "fit", "points": 2}, {"rule": "Base", "score": "engagement", "points": 5}], "unknown": [{"rule": "Has budget", "score": "fit", "missing": ["budget"]}, {"rule": "Demo", "score": "engagement", "missing": ["demo"]}, {"rule": "Webinar", "score": "engagement", "missing": ["tags"]}], "undecided": [], "warnings": []}"#
    );
}

#[test]
fn text_is_trimmed_and_case_insensitive() {
    let v = d(
        json!({"lead_id": "1", "email": " Ana@GMAIL.com ", "title": "  Head of Data ", "country": " DE "}),
    );
    assert!(fired(&v).contains(&"Free mailbox".to_string()), "{v}");
    assert!(fired(&v).contains(&"Decision maker".to_string()));
}

#[test]
fn matches_uses_the_text_as_written() {
    let a = compile(&BASE.replace(r"/\b(vp|head)\b/i", r"/^VP/"));
    let upper = decide(
        &a,
        r#"{"lead_id": "1", "email": "a@b.io", "title": "VP Sales"}"#,
        "2026-11-23",
    );
    let lower = decide(
        &a,
        r#"{"lead_id": "1", "email": "a@b.io", "title": "vp sales"}"#,
        "2026-11-23",
    );
    assert!(fired(&upper).contains(&"Decision maker".to_string()));
    assert!(!fired(&lower).contains(&"Decision maker".to_string()));
}

#[test]
fn missing_values_make_rules_unknown_not_false() {
    let v = d(json!({"lead_id": "1", "email": "a@b.io"}));
    let u = unknown(&v);
    for r in [
        "Decision maker",
        "Mid-market",
        "Has budget",
        "Size points",
        "Demo",
        "Webinar",
    ] {
        assert!(u.contains(&r.to_string()), "{r} should be unknown: {v}");
    }
    assert_eq!(v["unknown"][1]["missing"], json!(["size"]));
    // potential(fit) = 20 + 15 + 10 + 8 (the computed rule's cap) = 53
    assert_eq!(v["route"], "telemarketing");
    assert_eq!(v["grades"]["tier"], "warm");
}

#[test]
fn empty_and_whitespace_strings_and_null_are_missing() {
    let v = d(
        json!({"lead_id": "1", "email": "a@b.io", "title": "   ", "Company Size": "", "budget": null}),
    );
    let u = unknown(&v);
    assert!(u.contains(&"Decision maker".to_string()));
    assert!(u.contains(&"Mid-market".to_string()));
    assert!(u.contains(&"Has budget".to_string()));
}

#[test]
fn kleene_logic() {
    let src = r#"agreement "K"
      fields { a : bool  b : bool }
      score s {
        +1 "and" when a and b
        +2 "or" when a or b
        +4 "not" when not a
      }
      route { sales "x" when s > 100  nurture otherwise }"#;
    let a = compile(src);
    let case = |lead: &str| {
        let v = decide(&a, lead, "2026-01-01");
        (fired(&v), unknown(&v))
    };
    // a false, b unknown: and = false, or = unknown, not a = true
    let (f, u) = case(r#"{"a": false}"#);
    assert_eq!(f, vec!["not"]);
    assert_eq!(u, vec!["or"]);
    // a true, b unknown: and = unknown, or = true, not a = false
    let (f, u) = case(r#"{"a": true}"#);
    assert_eq!(f, vec!["or"]);
    assert_eq!(u, vec!["and"]);
    // both unknown
    let (f, u) = case(r#"{}"#);
    assert!(f.is_empty());
    assert_eq!(u, vec!["and", "or", "not"]);
}

#[test]
fn decay_halves_per_period_and_range_applies_last() {
    // Demo 30 + Base 5 = 35, 20 days at a 10-day half-life: 35 / 4 = 8.75
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "demo": "yes", "seen": "2026-11-03"}));
    assert_eq!(v["scores"]["engagement"], json!(8.75));
    // A future date means no decay.
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "demo": true, "seen": "2027-01-01"}));
    assert_eq!(v["scores"]["engagement"], json!(35));
    // A missing date: no decay, and the decision says so.
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "demo": true}));
    assert_eq!(v["scores"]["engagement"], json!(35));
    assert_eq!(v["warnings"][0]["field"], "seen");
    // Range: fit never goes below 0.
    let v = d(
        json!({"lead_id": "1", "email": "a@gmail.com", "title": "clerk", "Company Size": 10, "budget": 1}),
    );
    assert_eq!(v["scores"]["fit"], json!(0));
    assert_eq!(
        v["fired"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "Free mailbox")
            .unwrap()["points"],
        json!(-15)
    );
}

#[test]
fn computed_points_and_up_to() {
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "Company Size": 250}));
    let f = v["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "Size points")
        .cloned()
        .unwrap();
    assert_eq!(f["points"], json!(2.5));
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "Company Size": 5000}));
    let f = v["fired"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "Size points")
        .cloned()
        .unwrap();
    assert_eq!(f["points"], json!(8));
}

#[test]
fn first_true_route_rule_decides_and_unknown_ones_are_undecided() {
    let v = d(
        json!({"lead_id": "1", "email": "a@b.io", "title": "VP", "Company Size": 200, "budget": 20000, "country": "fr"}),
    );
    assert_eq!(v["route"], "sales");
    assert_eq!(v["queue"], "emea");
    assert_eq!(v["follow_up_within_s"], 3600);
    let v = d(
        json!({"lead_id": "1", "email": "a@b.io", "title": "VP", "Company Size": 200, "budget": 20000}),
    );
    assert_eq!(v["rule"], "Hot");
    assert_eq!(v["follow_up_within_s"], 86400);
    assert_eq!(
        v["undecided"],
        json!([{"rule": "EMEA hot", "route": "sales", "missing": ["country"]}])
    );
}

#[test]
fn lead_errors_name_the_field() {
    let v = d(json!({"lead_id": "L-9", "email": "a@b.io", "Company Size": "fifty"}));
    assert_eq!(
        v,
        json!({"index": 0, "id": "L-9", "error": {"field": "size", "message": "expected a number, got \"fifty\""}})
    );
    let v = d(json!({"lead_id": "L-9"}));
    assert_eq!(
        v["error"],
        json!({"field": "email", "message": "required field is missing"})
    );
    let v = d(json!({"email": "a@b.io"}));
    assert_eq!(
        v["error"],
        json!({"field": "lead_id", "message": "required field is missing"})
    );
    let v = d(json!({"lead_id": "1", "email": {"x": 1}}));
    assert_eq!(v["error"]["message"], "expected a text, got an object");
    // The first bad field in declaration order is reported.
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "demo": "maybe", "budget": "lots"}));
    assert_eq!(v["error"]["field"], "budget");
}

#[test]
fn lenient_mode_reads_bad_values_as_missing_with_a_warning() {
    let a = compile(BASE);
    let opts = common::at("2026-11-23").on_bad_value(leadgate::OnBadValue::Missing);
    let dec = a.score_json(
        r#"{"lead_id": "1", "email": "a@b.io", "Company Size": "fifty"}"#,
        &opts,
    );
    let v: serde_json::Value = serde_json::from_str(&dec.to_json()).unwrap();
    assert_eq!(
        v["warnings"][0],
        json!({"field": "size", "message": "expected a number, got \"fifty\"; read as missing"})
    );
    assert!(unknown(&v).contains(&"Mid-market".to_string()));
    // A required field with a bad value is still an error.
    let dec = a.score_json(r#"{"lead_id": "1", "email": 12}"#, &opts);
    assert!(dec.error().is_none(), "a number is accepted as text");
    let dec = a.score_json(r#"{"lead_id": "1", "email": ["x"]}"#, &opts);
    assert_eq!(
        dec.error().map(|e| e.message()),
        Some("expected a text, got an array")
    );
}

#[test]
fn lists_from_arrays_and_semicolons() {
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "tags": ["ebook", " WEBINAR "]}));
    assert!(fired(&v).contains(&"Webinar".to_string()));
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "tags": "ebook; Webinar ;"}));
    assert!(fired(&v).contains(&"Webinar".to_string()));
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "tags": []}));
    assert!(
        !unknown(&v).contains(&"Webinar".to_string()),
        "an empty list is present"
    );
    let v = d(json!({"lead_id": "1", "email": "a@b.io", "tags": " ; "}));
    assert!(
        unknown(&v).contains(&"Webinar".to_string()),
        "no non-empty part is missing"
    );
}

#[test]
fn functions_and_arithmetic() {
    let src = r#"agreement "F"
      fields { email : text  n : number  d : number  seen : date  tags : list }
      score s {
        +1 "domain" when domain(email) == "acme.io"
        +2 "div0" when n / d > 1
        +4 "minmax" when min(n, 3) == 3 and max(n, 3) == n
        +8 "days" when days_since(seen) between 1.5 and 2.5
        +16 "within" when seen within 2d
        +32 "count" when count(tags) == 2
        +64 "neg" when -n < 0
      }
      route { nurture otherwise }"#;
    let a = compile(src);
    let v = decide(
        &a,
        r#"{"email": "x@Sub@ACME.io", "n": 5, "d": 0, "seen": "2026-11-21", "tags": ["a", "b"]}"#,
        "2026-11-23",
    );
    assert_eq!(v["scores"]["s"], json!(1 + 4 + 8 + 16 + 32 + 64), "{v}");
    assert_eq!(unknown(&v), vec!["div0"], "division by zero is missing");
    let v = decide(
        &a,
        r#"{"email": "no-at-sign", "n": 1, "d": 1, "seen": "2026-11-20T00:00:00Z"}"#,
        "2026-11-23",
    );
    assert!(unknown(&v).contains(&"domain".to_string()));
    assert!(!fired(&v).contains(&"within".to_string()));
}

#[test]
fn presence_tests_are_never_unknown() {
    let src = r#"agreement "P"
      fields { phone : text  x : number }
      score s { +1 "has phone" when phone is present  +2 "no x" when x is missing }
      route { nurture otherwise }"#;
    let a = compile(src);
    let v = decide(&a, r#"{"phone": "  "}"#, "2026-01-01");
    assert_eq!(fired(&v), vec!["no x"]);
    assert!(unknown(&v).is_empty());
}

#[test]
fn grades_can_use_earlier_grades_and_routes_use_total() {
    let src = r#"agreement "G"
      fields { n : number }
      score a { +(n) "n" when n > 0 }
      score b { +1 "one" }
      grade g1 { high when a >= 10  low otherwise }
      grade g2 { top when g1 is high and total > 10  rest otherwise }
      route { sales "top" when g2 is top  nurture otherwise }"#;
    let a = compile(src);
    let v = decide(&a, r#"{"n": 10}"#, "2026-01-01");
    assert_eq!(v["grades"], json!({"g1": "high", "g2": "top"}));
    assert_eq!(v["total"], json!(11));
    assert_eq!(v["route"], "sales");
    let v = decide(&a, r#"{}"#, "2026-01-01");
    assert_eq!(v["grades"], json!({"g1": "low", "g2": "rest"}));
    assert_eq!(v["rule"], serde_json::Value::Null);
}

#[test]
fn numbers_print_in_shortest_round_trip_form() {
    let src = r#"agreement "N"
      fields { n : number }
      score s { +(n) "n" when n is present }
      route { nurture otherwise }"#;
    let a = compile(src);
    for (input, out) in [
        ("0.1", "0.1"),
        ("45.0", "45"),
        ("1e21", "1e21"),
        ("-0.5", "-0.5"),
        ("0.30000000000000004", "0.30000000000000004"),
    ] {
        let dec = a.score_json(&format!(r#"{{"n": {input}}}"#), &common::at("2026-01-01"));
        let text = dec.to_json();
        assert!(
            text.contains(&format!(r#""scores": {{"s": {out}}}"#)),
            "{input}: {text}"
        );
    }
}

#[test]
fn number_lists_and_bool_equality() {
    let src = r#"agreement "L"
      fields { n : number  b : bool }
      list big = [500, 1_000]
      score s { +1 "big" when n in big  +2 "not big" when n not in big  +4 "b" when b == false }
      route { nurture otherwise }"#;
    let a = compile(src);
    let v = decide(&a, r#"{"n": "1000", "b": "N"}"#, "2026-01-01");
    assert_eq!(fired(&v), vec!["big", "b"]);
    let v = decide(&a, r#"{"n": 3, "b": 1}"#, "2026-01-01");
    assert_eq!(fired(&v), vec!["not big"]);
}

#[test]
fn dates_accept_rfc3339_offsets_and_epoch_seconds() {
    let src = r#"agreement "D"
      fields { seen : date }
      score s { +1 "recent" when seen within 1d  +2 "after" when seen >= 2026-11-22T12:00:00+01:00 }
      route { nurture otherwise }"#;
    let a = compile(src);
    let v = decide(&a, r#"{"seen": "2026-11-22T11:00:00Z"}"#, "2026-11-23");
    assert_eq!(fired(&v), vec!["recent", "after"]);
    let v = decide(&a, r#"{"seen": 1795392000}"#, "2026-11-23");
    assert_eq!(
        fired(&v),
        vec!["recent", "after"],
        "1795392000 is 2026-11-23T00:00:00Z"
    );
}

#[test]
fn examples_run_and_report_expected_vs_actual() {
    let src = format!(
        "{BASE}\n{}",
        r#"example "passes" {
          as_of 2026-11-23
          lead { email: "a@b.io", title: "VP", size: 200, budget: 20000, country: "de" }
          expect route sales
          expect queue "emea"
          expect fit == 47
          expect tier is hot
          expect fired "Decision maker"
          expect not fired "Free mailbox"
        }
        example "fails" {
          as_of 2026-11-23
          lead { email: "a@gmail.com" }
          expect route sales
          expect fit > 10
        }"#
    );
    let a = compile(&src);
    let r = a.run_examples();
    assert!(r[0].passed(), "{:?}", r[0].failures);
    assert_eq!(r[1].failures.len(), 2, "{:?}", r[1].failures);
    assert!(
        r[1].failures[0]
            .message
            .starts_with("expected `expect route sales`, got nurture"),
        "{:?}",
        r[1].failures
    );
    assert_eq!(
        r[1].failures[1].message,
        "expected `expect fit > 10`, got fit = 0"
    );
}

#[test]
fn lenient_warnings_follow_field_declaration_order() {
    let a = compile(BASE);
    let opts = common::at("2026-11-23").on_bad_value(leadgate::OnBadValue::Missing);
    // Keys given in the reverse of declaration order (size before budget before demo).
    let dec = a.score_json(r#"{"lead_id": "1", "email": "a@b.io", "demo": "maybe", "budget": "lots", "Company Size": "fifty"}"#, &opts);
    let v: serde_json::Value = serde_json::from_str(&dec.to_json()).unwrap();
    let fields: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["size", "budget", "demo", "seen"]);
}

#[test]
fn csv_headers_match_keys_exactly() {
    let a = compile(BASE);
    let header = csv::ByteRecord::from(vec!["lead_id", " email ", "email", "Company Size"]);
    let binder = a.csv_binder(&header);
    assert!(binder.missing_columns().iter().all(|k| k != "email"));
    let row = common::Row(csv::ByteRecord::from(vec![
        "L1",
        "wrong@gmail.com",
        "right@acme.io",
        "200",
    ]));
    let lead = a.bind_csv(&binder, &row, leadgate::OnBadValue::Error);
    let d = a.decide(0, &lead, &common::at("2026-11-23"));
    let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    assert!(
        !fired(&v).contains(&"Free mailbox".to_string()),
        "the exact `email` column is read, not ` email `: {v}"
    );
    let spaced = a.csv_binder(&csv::ByteRecord::from(vec!["lead_id", " email "]));
    assert!(spaced.missing_columns().iter().any(|k| k == "email"));
}

#[test]
fn an_explanation_is_data_and_text() {
    let a = compile(
        r#"agreement "E" version "3"
        fields { lead_id : text id  size : number from "Company Size"  title : text  seen : date }
        score fit {
          +20 "Big" when size > 100
          +25 "Boss" when title contains "vp"
          halve every 30d since seen
          range 0 to 30
        }
        grade tier { hot when fit >= 20  cold otherwise }
        route {
          sales "Fit" when fit >= 20
          telemarketing "Maybe" when potential(fit) >= 20
          nurture otherwise
        }"#,
    );
    assert!(a.fields()[0].is_id() && !a.fields()[1].is_id());
    let opts = common::at("2026-11-23");
    let lead = a.bind_json(
        r#"{"lead_id": "L1", "Company Size": 500, "seen": "2026-10-24"}"#,
        leadgate::OnBadValue::Error,
    );
    let e = a.explain(4, &lead, &opts);
    let json: serde_json::Value = serde_json::to_value(&e).unwrap();
    assert_eq!(json["decision"]["index"], 4);
    assert_eq!(json["as_of"], "2026-11-23T00:00:00Z");
    let fit = &json["scores"][0];
    assert_eq!(fit["fired"][0]["rule"], "Big");
    assert_eq!(fit["undecided"][0]["rule"], "Boss");
    assert_eq!(fit["undecided"][0]["missing"][0]["name"], "title");
    assert_eq!(fit["undecided"][0]["worth"]["points"], 25);
    assert_eq!(fit["decay"]["factor"], 0.5);
    assert_eq!(fit["decay"]["age_days"], 30);
    assert_eq!(json["grades"][0]["label"], "cold");
    let statuses: Vec<&str> = json["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["false", "matched", "not_tried"]);
    let text = e.text();
    assert!(
        text.starts_with("Lead L1 (index 4), agreement \"E\" version 3, as of 2026-11-23\n"),
        "{text}"
    );
    assert!(
        text.contains("=> TELEMARKETING by route rule 2 of 3: \"Maybe\""),
        "{text}"
    );
    assert!(
        text.contains("decay: 20 x 0.500 (seen 30 days before as_of, halves every 30d)"),
        "{text}"
    );
    assert!(
        text.contains("?  Boss: undecided, missing title (+25 if it fired)"),
        "{text}"
    );
    assert_eq!(e.to_string(), text);
}
