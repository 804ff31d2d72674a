//! CSV input: any bytes as a CSV file read the way the CLI reads it
//! (flexible rows, a header), every row bound, scored and written; rows in
//! == decisions out, and every decision keeps the invariants.
//! The body is in `common.rs`, shared with the stable replay test
//! `crates/leadgate/tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::csv_input_target(data));
