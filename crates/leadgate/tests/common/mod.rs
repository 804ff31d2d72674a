#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadgate::{Agreement, ScoreOptions};

pub fn compile(src: &str) -> Agreement {
    match Agreement::compile(src) {
        Ok(a) => a,
        Err(e) => panic!(
            "does not compile:\n{}",
            e.clone().with_file_name("test.lead").render()
        ),
    }
}

pub fn at(date: &str) -> ScoreOptions {
    ScoreOptions::at(leadgate::Timestamp::parse(date).expect("date"))
}

/// Scores one JSON lead and returns the canonical decision as a JSON value.
pub fn decide(a: &Agreement, lead: &str, as_of: &str) -> serde_json::Value {
    let d = a.score_json(lead, &at(as_of));
    let text = d.to_json();
    serde_json::from_str(&text).expect("canonical JSON parses")
}

pub fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn shared_data() -> std::path::PathBuf {
    repo_root().join("../shared/data")
}

/// Compares `actual` with the golden file, or rewrites it when
/// `LEADGATE_BLESS=1` (review the diff before committing).
pub fn golden(path: &std::path::Path, actual: &str) {
    if std::env::var("LEADGATE_BLESS").as_deref() == Ok("1") {
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {} (run with LEADGATE_BLESS=1)",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b);
        panic!(
            "{} differs (first differing line: {:?}); run with LEADGATE_BLESS=1 to accept and review the diff\nexpected: {:?}\nactual:   {:?}",
            path.display(),
            first.map(|i| i + 1),
            first.and_then(|i| expected.lines().nth(i)),
            first.and_then(|i| actual.lines().nth(i)),
        );
    }
}

/// A CSV row for `Agreement::bind_csv`.
pub struct Row(pub csv::ByteRecord);

impl leadgate::CsvRow for Row {
    fn bytes(&self) -> &[u8] {
        self.0.as_slice()
    }
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.0.range(i)
    }
}
