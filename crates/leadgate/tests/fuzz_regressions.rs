//! Replays `fuzz/regressions/<target>/*` on stable, through the same target
//! bodies as the cargo-fuzz targets (`fuzz/fuzz_targets/common.rs`). Every
//! input a fuzz run finds goes into that folder, so it is tested forever
//! without nightly.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/fuzz_targets/common.rs"]
mod common;

fn replay(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for file in files {
        eprintln!("{}", file.display());
        body(&std::fs::read(&file).unwrap_or_default());
    }
}

#[test]
fn agreement_inputs() {
    replay("agreement", common::agreement_target);
}

#[test]
fn json_lead_inputs() {
    replay("json_lead", common::json_lead_target);
}

#[test]
fn csv_input_inputs() {
    replay("csv_input", common::csv_input_target);
}

#[test]
fn compiled_inputs() {
    replay("compiled", common::compiled_target);
}
