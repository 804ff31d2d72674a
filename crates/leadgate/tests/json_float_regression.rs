//! Regression: JSON numbers were parsed with serde_json's default
//! "best effort" float parser, which is off by one unit in the last place
//! for some 17-digit decimals, so the Rust and CLI fronts read a different
//! number than Python's `json` or JavaScript's `JSON.parse` (both correctly
//! rounded). Fixed by serde_json's `float_roundtrip` feature.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use leadgate::{Agreement, ScoreOptions};

#[test]
fn json_numbers_are_correctly_rounded() {
    let agreement = Agreement::compile(
        r#"agreement "Floats"
           fields { n : number }
           score s { +(n) "n" }
           route { nurture otherwise }"#,
    )
    .map_err(|e| e.to_string());
    let Ok(agreement) = agreement else {
        panic!("{agreement:?}");
    };
    let opts = ScoreOptions::now();
    for text in [
        "0.79267761244796412",
        "0.031359011864777806",
        "0.867931292510106775240532",
        "0.49790962493228076",
    ] {
        let exact: f64 = text.parse().unwrap_or(f64::NAN);
        let d = agreement.score_json(&format!("{{\"n\": {text}}}"), &opts);
        let json = d.to_json();
        let want = format!("\"scores\": {{\"s\": {exact:?}}}");
        assert!(json.contains(&want), "{text}: {json} lacks {want}");
    }
}
