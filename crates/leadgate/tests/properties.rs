//! Property tests: potential(s) >= s, the same decisions at 1 and N threads,
//! every valid lead gets exactly one route.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use leadgate::{Agreement, ScoreOptions, Threads};
use proptest::prelude::*;

static AGREEMENT: std::sync::LazyLock<Agreement> = std::sync::LazyLock::new(|| {
    let src =
        std::fs::read_to_string(common::repo_root().join("tests/agreements/acme-inbound.lead"))
            .unwrap();
    common::compile(&src)
});
static ONE: std::sync::LazyLock<Threads> =
    std::sync::LazyLock::new(|| Threads::new(Some(1)).unwrap());
static FOUR: std::sync::LazyLock<Threads> =
    std::sync::LazyLock::new(|| Threads::new(Some(4)).unwrap());

fn agreement() -> &'static Agreement {
    &AGREEMENT
}

fn value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(|b| json!(b)),
        (-5000i64..200_000).prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|n| json!(n)),
        "[ a-zA-Z@.;]{0,12}".prop_map(|s| json!(s)),
        prop::sample::select(vec![
            "VP Sales",
            "head of it",
            "gmail.com",
            "a@gmail.com",
            "x@acme.io",
            "software",
            "DE",
            "yes",
            "no",
            "2026-11-01",
            "2026-11-20T10:00:00Z",
            "webinar; ebook",
            "1200",
            " 12.5 ",
            "fifty"
        ])
        .prop_map(|s| json!(s)),
        prop::collection::vec("[a-z]{0,6}", 0..4).prop_map(|v| json!(v)),
    ]
}

const KEYS: [&str; 12] = [
    "lead_id",
    "email",
    "title",
    "Company Size",
    "industry",
    "country",
    "pages_viewed",
    "demo_requested",
    "phone",
    "budget",
    "tags",
    "last_activity",
];

fn lead() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::option::weighted(0.7, value()), KEYS.len()).prop_map(|vals| {
        let mut m = serde_json::Map::new();
        for (k, v) in KEYS.iter().zip(vals) {
            if let Some(v) = v {
                m.insert((*k).to_string(), v);
            }
        }
        serde_json::Value::Object(m).to_string()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn potential_is_never_below_the_score_and_every_lead_gets_one_route(l in lead(), day in 0i64..400) {
        let a = agreement();
        let opts = ScoreOptions::at(leadgate::Timestamp::from_unix_ms(1_780_000_000_000 + day * 86_400_000));
        let d = a.score_json(&l, &opts);
        prop_assert_eq!(leadgate::to_canonical_json(&d).unwrap(), d.to_json());
        if d.is_scored() {
            for ((_, s), (_, p)) in d.scores().zip(d.potentials()) {
                prop_assert!(p >= s, "potential {p} < score {s} for {l}");
            }
            prop_assert!(d.route().is_some());
            let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
            prop_assert!(["sales", "nurture", "telemarketing"].contains(&json["route"].as_str().unwrap()));
        } else {
            let json: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
            prop_assert!(json["error"]["message"].is_string());
        }
    }

    #[test]
    fn explanation_does_not_change_the_decision(l in lead()) {
        let a = agreement();
        let with = common::at("2026-11-23");
        let without = with.explain(false);
        let (x, y) = (a.score_json(&l, &with), a.score_json(&l, &without));
        prop_assert_eq!(x.is_scored(), y.is_scored(), "explain changed acceptance");
        prop_assert_eq!(x.route(), y.route());
        prop_assert_eq!(x.rule(), y.rule());
        prop_assert_eq!(x.scores().collect::<Vec<_>>(), y.scores().collect::<Vec<_>>());
        prop_assert_eq!(x.grades().collect::<Vec<_>>(), y.grades().collect::<Vec<_>>());
    }

    #[test]
    fn arbitrary_json_text_never_panics(s in ".{0,200}") {
        let a = agreement();
        let _ = a.score_json(&s, &ScoreOptions::now());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn one_thread_and_many_threads_decide_identically(leads in prop::collection::vec(lead(), 1..300)) {
        let a = agreement();
        let opts = common::at("2026-11-23");
        let d1 = a.decide_batch(&leads, 0, &opts, &ONE, |l| a.bind_json(l, opts.bad_values()));
        let d4 = a.decide_batch(&leads, 0, &opts, &FOUR, |l| a.bind_json(l, opts.bad_values()));
        prop_assert_eq!(d1.len(), leads.len());
        let j1: Vec<String> = d1.iter().map(|d| d.to_json()).collect();
        let j4: Vec<String> = d4.iter().map(|d| d.to_json()).collect();
        prop_assert_eq!(j1, j4);
    }

}
