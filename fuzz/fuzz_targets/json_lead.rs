//! JSON lead binding: any bytes as a JSON record, in both bad-value modes,
//! bind + evaluate + canonical JSON without panicking; every decision keeps
//! the invariants (valid JSON, potential >= score, finite numbers).
#![no_main]

use std::sync::OnceLock;

use leadgate::{Agreement, OnBadValue};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn agreement() -> &'static Agreement {
    static A: OnceLock<Agreement> = OnceLock::new();
    A.get_or_init(common::agreement)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let a = agreement();
    for mode in [OnBadValue::Error, OnBadValue::Missing] {
        let opts = common::options(mode);
        let d = a.score_json(text, &opts);
        common::check(a, &d, 0);
    }
});
