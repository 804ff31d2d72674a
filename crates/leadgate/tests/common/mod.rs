#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadgate::{Agreement, ScoreOptions};

pub fn compile(src: &str) -> Agreement {
    match Agreement::compile(src) {
        Ok(a) => a,
        Err(e) => panic!("does not compile:\n{}", e.render(src, "test.lead")),
    }
}

pub fn at(date: &str) -> ScoreOptions {
    ScoreOptions { as_of_ms: leadgate::parse_instant(date).expect("date"), ..ScoreOptions::default() }
}

/// Scores one JSON lead and returns the canonical decision as a JSON value.
pub fn decide(a: &Agreement, lead: &str, as_of: &str) -> serde_json::Value {
    let d = a.score_json(lead, &at(as_of));
    let text = a.decision_json(&d);
    serde_json::from_str(&text).expect("canonical JSON parses")
}

pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn shared_data() -> std::path::PathBuf {
    repo_root().join("../shared/data")
}
