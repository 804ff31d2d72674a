//! Agreement text: parse + check + compile must never panic or hang; a
//! compiled agreement runs its examples and scores leads without panicking,
//! and diagnostics render with valid spans.
//! The body is in `common.rs`, shared with the stable replay test
//! `crates/leadgate/tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::agreement_target(data));
