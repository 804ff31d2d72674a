//! Compiled agreements: any bytes through `Agreement::from_compiled`, as
//! they are and under a valid header and checksum (a crafted `.lgc` file);
//! a loaded agreement scores, explains and runs its examples without
//! panicking. The body is in `common.rs`, shared with the stable replay
//! test `crates/leadgate/tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::compiled_target(data));
