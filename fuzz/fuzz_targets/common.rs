//! Shared by the fuzz targets: a fixed agreement using every field type and
//! most constructs, and the invariants every decision must keep.
#![allow(dead_code)]

use leadgate::{Agreement, Decision, OnBadValue, ScoreOptions};

pub const AGREEMENT: &str = r#"
agreement "Fuzz" version "1"
fields {
  lead_id : text id
  email   : text required
  title   : text
  size    : number from "Company Size"
  demo    : bool
  tags    : list
  last    : date
  budget  : number
}
list free = ["gmail.com", "yahoo.com"]
score fit {
  +20 "Title" when title matches /\b(vp|chief|head)\b/i
  +15 "Mid" when size between 50 and 1000
  +(budget / 1000) up to 25 "Budget" when budget > 0
  -15 "Free" when domain(email) in free
  +5 "Tagged" when tags contains "webinar" or count(tags) > 3
  range 0 to 100
}
score eng {
  +30 "Demo" when demo
  +(2 * size / (budget - 100)) up to 10 "Odd ratio" when size is present
  +10 "Recent" when last within 30d and days_since(last) >= 0
  halve every 30d since last
}
grade tier {
  hot when fit >= 40 and eng >= 20
  warm when fit >= 20 or potential(fit) >= 50
  cold otherwise
}
grade again {
  same when tier is hot
  other otherwise
}
route {
  sales queue "q" within 1h "Hot" when tier is hot
  telemarketing "Maybe" when potential(fit) > fit and total > min(fit, eng)
  nurture otherwise
}
"#;

pub fn agreement() -> Agreement {
    match Agreement::compile(AGREEMENT) {
        Ok(a) => a,
        Err(e) => panic!("the fuzz agreement does not compile: {e:?}"),
    }
}

pub fn options(on_bad_value: OnBadValue) -> ScoreOptions {
    ScoreOptions {
        as_of_ms: 1_795_392_000_000, // 2026-11-23
        on_bad_value,
        explain: true,
    }
}

/// The invariants of SPEC.md that hold for every decision.
pub fn check(agreement: &Agreement, d: &Decision, index: usize) {
    assert_eq!(d.index, index);
    let json = agreement.decision_json(d);
    let parsed: serde_json::Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => panic!("decision is not valid JSON ({e}): {json}"),
    };
    assert_eq!(parsed["index"].as_u64(), Some(index as u64), "{json}");
    if let Some(v) = d.verdict() {
        let m = agreement.model();
        assert!((v.route as usize) < m.routes.len());
        assert_eq!(v.scores.len(), m.scores.len());
        for (s, p) in v.scores.iter().zip(&v.potentials) {
            assert!(s.is_finite() && p.is_finite(), "{json}");
            assert!(p >= s, "potential {p} < score {s}: {json}");
        }
        assert!(v.total.is_finite());
    } else {
        assert!(parsed.get("error").is_some(), "{json}");
    }
}
