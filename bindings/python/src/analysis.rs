//! Reports and diffs: the core's, over Arrow data or mappings.

use std::ops::Range;

use leadgate::{Agreement, Decision, Diff, Report, ReportColumns};
use pyo3::prelude::*;

use crate::agreement::Call;
use crate::block::KeySet;
use crate::run::{self, Data, Part};

/// The funnel report of `data` by the columns of `[by, outcome]` (a
/// field's name reads the field's input column); with a roster, its
/// assignment part, with the follow-up instants of `followed_up_at`; each
/// lead as of its `as_of_column` value if asked.
pub(crate) fn report(
    py: Python<'_>,
    a: &Agreement,
    data: Data<'_>,
    [by, outcome, followed_up_at, as_of_column]: [Option<&str>; 4],
    call: &mut Call,
    allow_missing: bool,
) -> PyResult<Report> {
    let named = [
        by.map(|n| a.column_for(n)),
        outcome.map(|n| a.column_for(n)),
        followed_up_at,
        as_of_column,
    ];
    let columns: Vec<&str> = named.iter().flatten().copied().collect();
    // The place of each among the other keys read.
    let mut next = 0;
    let [by_at, outcome_at, followed_at, _] = named.map(|c| c.map(|_| (next, next += 1).0));
    let places = ReportColumns {
        by: by_at,
        outcome: outcome_at,
        followed_up_at: followed_at,
    };
    let keys = KeySet::new(py, &[a], &columns);
    let agreements = [a];
    let run = call.run(&agreements, &keys);
    let new_report = || match run.staffing(0) {
        Some(s) => Report::new(a, by, outcome).with_roster(s, followed_up_at),
        None => Report::new(a, by, outcome),
    };
    let mut report = new_report();
    let chunk = |part: &Part<'_, '_, '_>, rows: Range<usize>| {
        let mut r = new_report();
        part.report(rows, places, &mut r);
        r
    };
    run::each(
        py,
        &run,
        &keys,
        data,
        &call.pool,
        allow_missing,
        chunk,
        |parts| {
            parts.iter().for_each(|p| _ = report.merge(p));
            Ok(())
        },
    )?;
    Ok(report)
}

/// Two agreements (the one in force, the proposed one) over the same leads.
pub(crate) fn diff(
    py: Python<'_>,
    agreements: [&Agreement; 2],
    data: Data<'_>,
    changes: usize,
    as_of_column: Option<&str>,
    call: &mut Call,
    allow_missing: bool,
) -> PyResult<Diff> {
    // Each lead is read once, with the keys of both agreements.
    let keys = KeySet::new(py, &agreements, as_of_column.as_slice());
    let run = call.run(&agreements, &keys);
    let mut diff = Diff::new(agreements[0], agreements[1], changes);
    let chunk = |part: &Part<'_, '_, '_>, rows: Range<usize>| -> Vec<(Decision, Decision)> {
        rows.map(|row| (part.decide(0, row), part.decide(1, row)))
            .collect()
    };
    run::each(
        py,
        &run,
        &keys,
        data,
        &call.pool,
        allow_missing,
        chunk,
        |parts| {
            parts
                .iter()
                .flatten()
                .for_each(|(old, new)| _ = diff.add(old, new));
            Ok(())
        },
    )?;
    Ok(diff)
}
