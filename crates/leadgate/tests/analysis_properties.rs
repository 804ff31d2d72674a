//! Every "never" of the analysis is checked against the engine: random
//! agreements × random leads (150 agreements × 100 leads = 15,000 pairs),
//! and no lead may reach a route rule, destination or grade label declared
//! unreachable, fire a score rule declared never-firing, or make a
//! `potential` test differ from its score test when it was declared never to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadgate::{Agreement, Analysis, Code, Reach, ScoreOptions, Subject, Timestamp};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestRunner};

const NUM: &[&str] = &["0", "5", "10", "20"];
const TXT: &[&str] = &["\"x\"", "\"y\"", "\"X\""];

/// A random condition over the fields.
fn field_cond() -> impl Strategy<Value = String> {
    let n = prop::sample::select(NUM);
    let t = prop::sample::select(TXT);
    let atom = prop_oneof![
        (
            prop::sample::select(vec!["a", "b"]),
            prop::sample::select(vec![">", ">=", "<", "==", "!="]),
            n.clone()
        )
            .prop_map(|(f, op, c)| format!("{f} {op} {c}")),
        (n.clone(), n.clone()).prop_map(|(x, y)| format!("a between {x} and {y}")),
        n.clone().prop_map(|c| format!("a + b > {c}")),
        n.clone().prop_map(|c| format!("a in [{c}, 1]")),
        t.clone().prop_map(|c| format!("t == {c}")),
        t.clone().prop_map(|c| format!("t != {c}")),
        Just("t in [\"x\", \"z\"]".to_string()),
        Just("t not in [\"y\"]".to_string()),
        Just("t contains \"x\"".to_string()),
        Just("t starts_with \"y\"".to_string()),
        Just("t matches /^x/".to_string()),
        Just("f".to_string()),
        Just("not f".to_string()),
        Just("d within 7d".to_string()),
        Just("days_since(d) > 3".to_string()),
        Just("l contains \"x\"".to_string()),
        n.clone().prop_map(|c| format!("count(l) >= {c}")),
        Just("a is missing".to_string()),
        Just("t is present".to_string()),
        Just("(a / b) > 1".to_string()),
    ];
    prop_oneof![
        3 => atom.clone(),
        1 => (atom.clone(), atom.clone()).prop_map(|(x, y)| format!("{x} and {y}")),
        1 => (atom.clone(), atom).prop_map(|(x, y)| format!("({x} or {y})")),
    ]
}

fn score_rule(i: usize) -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["+", "-", "+"]),
        prop_oneof![
            prop::sample::select(NUM).prop_map(|p| p.to_string()),
            Just("(a) up to 10".to_string()),
            Just("(a * 2)".to_string()),
        ],
        prop::option::weighted(0.9, field_cond()),
    )
        .prop_map(move |(sign, pts, when)| {
            let pts = if pts == "0" { "1".to_string() } else { pts };
            match when {
                Some(w) => format!("  {sign}{pts} \"r{i}\" when {w}\n"),
                None => format!("  {sign}{pts} \"r{i}\"\n"),
            }
        })
}

/// A random condition over scores, grades and fields.
fn route_cond() -> impl Strategy<Value = String> {
    let n = prop::sample::select(vec!["0", "5", "10", "15", "20", "30"]);
    let atom = prop_oneof![
        (
            prop::sample::select(vec!["s1", "s2", "total", "potential(s1)", "potential(s2)"]),
            prop::sample::select(vec![">", ">=", "<", "=="]),
            n.clone()
        )
            .prop_map(|(x, op, c)| format!("{x} {op} {c}")),
        prop::sample::select(vec!["hi", "mid", "lo"]).prop_map(|l| format!("g is {l}")),
        n.prop_map(|c| format!("s1 + s2 >= {c}")),
        field_cond(),
    ];
    prop_oneof![
        2 => atom.clone(),
        2 => (atom.clone(), atom.clone()).prop_map(|(x, y)| format!("{x} and {y}")),
        1 => (atom.clone(), atom).prop_map(|(x, y)| format!("({x} or {y})")),
    ]
}

fn agreement() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(score_rule(0), 1..4),
        prop::collection::vec(score_rule(0), 1..3),
        prop::bool::ANY,
        (route_cond(), route_cond()),
        prop::collection::vec(
            (prop::sample::select(vec!["sales", "nurture", "telemarketing"]), route_cond()),
            2..5,
        ),
    )
        .prop_map(|(r1, r2, decay, (g1, g2), routes)| {
            let mut s = String::from(
                "agreement \"random\"\nfields {\n  a : number\n  b : number\n  t : text\n  f : bool\n  d : date\n  l : list\n}\n",
            );
            let mut k = 0;
            for (name, rules) in [("s1", r1), ("s2", r2)] {
                s.push_str(&format!("score {name} {{\n"));
                for r in rules {
                    s.push_str(&r.replacen("\"r0\"", &format!("\"r{k}\""), 1));
                    k += 1;
                }
                if name == "s1" {
                    s.push_str("  range 0 to 25\n");
                    if decay {
                        s.push_str("  halve every 10d since d\n");
                    }
                }
                s.push_str("}\n");
            }
            s.push_str(&format!(
                "grade g {{\n  hi when {}\n  mid when {}\n  lo otherwise\n}}\nroute {{\n",
                no_grade(&g1),
                no_grade(&g2)
            ));
            for (j, (dest, c)) in routes.into_iter().enumerate() {
                s.push_str(&format!("  {dest} \"q{j}\" when {c}\n"));
            }
            s.push_str("  nurture otherwise\n}\n");
            s
        })
}

/// A grade cannot test itself: its lines test a score instead.
fn no_grade(c: &str) -> String {
    c.replace("g is hi", "s2 > 3")
        .replace("g is mid", "s2 <= 3")
        .replace("g is lo", "s1 < 5")
}

fn lead_value(k: u64, field: &str) -> Option<serde_json::Value> {
    use serde_json::json;
    let k = k as usize;
    Some(match field {
        "a" | "b" => {
            let xs = [
                -1.0, 0.0, 0.5, 1.0, 4.0, 5.0, 6.0, 9.0, 10.0, 11.0, 19.0, 20.0, 21.0, 100.0,
            ];
            json!(xs.get(k % (xs.len() + 2)).copied()?)
        }
        "t" => {
            let xs = ["x", "X", "y", "xy", "yx", "z", " x "];
            json!(xs.get(k % (xs.len() + 2))?)
        }
        "f" => [json!(true), json!(false)].get(k % 3)?.clone(),
        "d" => {
            let days = [0i64, 1, 3, 6, 7, 8, 30, -1];
            let ms = 1_795_392_000_000i64 - days.get(k % (days.len() + 2))? * 86_400_000;
            json!(ms as f64 / 1000.0)
        }
        "l" => {
            let xs = [
                json!([]),
                json!(["x"]),
                json!(["x", "y"]),
                json!(["Y", "z", "w"]),
            ];
            xs.get(k % (xs.len() + 1))?.clone()
        }
        _ => return None,
    })
}

static CLAIMS: AtomicUsize = AtomicUsize::new(0);
static PAIRS: AtomicUsize = AtomicUsize::new(0);

fn check(text: &str, seeds: &[u64]) -> Result<(), TestCaseError> {
    let a = match Agreement::compile(text) {
        Ok(a) => a,
        Err(e) => panic!("{text}\n{}", e.render()),
    };
    let analysis = Analysis::of(&a);
    CLAIMS.fetch_add(
        analysis.findings.len()
            + analysis
                .routes
                .iter()
                .filter(|r| r.reach == Reach::Unreachable)
                .count(),
        Ordering::Relaxed,
    );
    let opts = ScoreOptions::at(Timestamp::from_unix_ms(1_795_392_000_000));
    for seed in seeds {
        PAIRS.fetch_add(1, Ordering::Relaxed);
        let mut lead = serde_json::Map::new();
        for (i, f) in ["a", "b", "t", "f", "d", "l"].iter().enumerate() {
            if let Some(v) = lead_value(seed.rotate_left(i as u32 * 10) % 1000, f) {
                lead.insert((*f).to_string(), v);
            }
        }
        let d = a.score_serde(serde_json::Value::Object(lead.clone()), &opts);
        for r in &analysis.routes {
            if r.reach == Reach::Unreachable {
                prop_assert_ne!(d.rule_index(), Some(r.index), "{}\n{:?}", text, lead);
            }
        }
        for f in &analysis.findings {
            match (&f.code, &f.subject) {
                (Code::RuleNeverFires, Subject::ScoreRule { name, .. }) => {
                    prop_assert!(d.fired().all(|x| x.rule != name), "{}\n{:?}", text, lead);
                }
                (Code::LabelNeverGiven, Subject::GradeLabel { grade, label }) => {
                    prop_assert_ne!(d.grade(grade), Some(label.as_str()), "{}\n{:?}", text, lead);
                }
                (Code::DestinationUnreachable, Subject::Destination { destination }) => {
                    prop_assert_ne!(d.route(), Some(*destination), "{}\n{:?}", text, lead);
                }
                (Code::PotentialSameAsScore, Subject::PotentialTest { score, test }) => {
                    let (op, value) = parse_test(test);
                    let s = d.score(score).unwrap();
                    let p = d.potentials().find(|(n, _)| n == score).unwrap().1;
                    prop_assert_eq!(op(s, value), op(p, value), "{}\n{:?}", text, lead);
                }
                (Code::UnreachableRoute, _) => {}
                other => prop_assert!(false, "unexpected finding {:?}", other),
            }
        }
    }
    Ok(())
}

#[test]
fn no_lead_contradicts_a_never() {
    let mut runner = TestRunner::new(ProptestConfig::with_cases(150));
    let strategy = (agreement(), prop::collection::vec(any::<u64>(), 100));
    runner
        .run(&strategy, |(text, seeds)| check(&text, &seeds))
        .unwrap();
    let (claims, pairs) = (
        CLAIMS.load(Ordering::Relaxed),
        PAIRS.load(Ordering::Relaxed),
    );
    eprintln!("{claims} never-claims checked against {pairs} agreement/lead pairs");
    assert!(pairs >= 10_000, "{pairs}");
    // The generator makes agreements with something to prove.
    assert!(claims >= 50, "{claims}");
}

/// `potential(s) OP value` → the comparison and the value.
fn parse_test(test: &str) -> (fn(f64, f64) -> bool, f64) {
    let mut parts = test.split_whitespace().skip(1);
    let op = parts.next().unwrap();
    let value: f64 = parts.next().unwrap().parse().unwrap();
    let f: fn(f64, f64) -> bool = match op {
        ">" => |a, b| a > b,
        ">=" => |a, b| a >= b,
        "<" => |a, b| a < b,
        "<=" => |a, b| a <= b,
        "==" => |a, b| a == b,
        _ => |a, b| a != b,
    };
    (f, value)
}
