//! JSON lead binding: any bytes as a JSON record, in both bad-value modes,
//! bind + evaluate + canonical JSON without panicking; every decision keeps
//! the invariants (valid JSON, potential >= score, finite numbers).
//! The body is in `common.rs`, shared with the stable replay test
//! `crates/leadgate/tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::json_lead_target(data));
