//! Replays `fuzz/regressions/<target>/*` on stable, with the same checks as
//! the cargo-fuzz targets in `fuzz/fuzz_targets/` (shared through
//! `common.rs`). Every input a fuzz run finds goes into that folder, so it is
//! tested forever without nightly.

use std::path::{Path, PathBuf};

use leadgate::{Agreement, OnBadValue, Raw, Threads};

#[path = "../../../fuzz/fuzz_targets/common.rs"]
mod common;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// The body of `fuzz_targets/agreement.rs`.
fn agreement_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Agreement::compile(&text) {
        Err(e) => {
            assert!(e.error_count() > 0, "a failed compile reports no error");
            for d in &e.diagnostics {
                assert!(d.span.start <= d.span.end && d.span.end <= text.len());
                assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            }
            let _ = e.render(&text, "fuzz.lead");
        }
        Ok(agreement) => {
            let _ = agreement.run_examples();
            for mode in [OnBadValue::Error, OnBadValue::Missing] {
                let opts = common::options(mode);
                let empty = agreement.bind_json("{}", mode);
                common::check(&agreement, &agreement.decide(0, &empty, &opts), 0);
                for raw in ["1", "yes", "2026-11-01", "a;b"] {
                    let mut b = agreement.lead_builder(mode);
                    for slot in 0..agreement.fields().len() {
                        b.set(slot as u32, Raw::Str(raw.into()));
                    }
                    let lead = b.finish();
                    common::check(&agreement, &agreement.decide(0, &lead, &opts), 0);
                }
            }
        }
    }
}

#[test]
fn agreement_inputs() {
    for (path, data) in inputs("agreement") {
        eprintln!("{}", path.display());
        agreement_target(&data);
    }
}

#[test]
fn json_lead_inputs() {
    let a = common::agreement();
    for (path, data) in inputs("json_lead") {
        eprintln!("{}", path.display());
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        for mode in [OnBadValue::Error, OnBadValue::Missing] {
            let d = a.score_json(text, &common::options(mode));
            common::check(&a, &d, 0);
        }
    }
}

#[test]
fn csv_input_inputs() {
    let a = common::agreement();
    let threads = Threads::new(Some(1)).unwrap_or_else(|e| panic!("{e}"));
    for (path, data) in inputs("csv_input") {
        eprintln!("{}", path.display());
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(true)
            .from_reader(&data[..]);
        let Ok(header) = reader.byte_headers().cloned() else {
            continue;
        };
        let binder = a.csv_binder(&header);
        let rows: Vec<Option<csv::ByteRecord>> = reader.byte_records().map(Result::ok).collect();
        for mode in [OnBadValue::Error, OnBadValue::Missing] {
            let opts = common::options(mode);
            let decisions = a.decide_batch(&rows, 0, &opts, &threads, |row| match row {
                Some(r) => a.bind_csv(&binder, r, mode),
                None => {
                    let mut b = a.lead_builder(mode);
                    b.reject("unreadable CSV row");
                    b.finish()
                }
            });
            assert_eq!(decisions.len(), rows.len());
            for (i, d) in decisions.iter().enumerate() {
                common::check(&a, d, i);
            }
        }
    }
}
