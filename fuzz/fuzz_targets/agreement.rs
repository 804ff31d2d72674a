//! Agreement text: parse + check + compile must never panic or hang; a
//! compiled agreement runs its examples and scores leads without panicking,
//! and diagnostics render with valid spans.
#![no_main]

use leadgate::{Agreement, OnBadValue, Raw};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
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
                // An empty lead, and one with every field set from the same text.
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
});
