//! CSV input: any bytes as a CSV file read the way the CLI reads it
//! (flexible rows, a header), every row bound, scored and written; rows in
//! == decisions out, and every decision keeps the invariants.
#![no_main]

use std::sync::OnceLock;

use leadgate::{Agreement, OnBadValue, Threads};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn agreement() -> &'static Agreement {
    static A: OnceLock<Agreement> = OnceLock::new();
    A.get_or_init(common::agreement)
}

fuzz_target!(|data: &[u8]| {
    let a = agreement();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let Ok(header) = reader.byte_headers().cloned() else {
        return;
    };
    let binder = a.csv_binder(&header);
    let mut rows = Vec::new();
    for rec in reader.byte_records() {
        match rec {
            Ok(r) => rows.push(Some(r)),
            // The CLI keeps an unreadable row in place as a lead error.
            Err(_) => rows.push(None),
        }
    }
    let threads = match Threads::new(Some(1)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
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
        assert_eq!(decisions.len(), rows.len(), "rows in != decisions out");
        for (i, d) in decisions.iter().enumerate() {
            common::check(a, d, i);
        }
    }
});
