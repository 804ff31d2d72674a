//! Reports and diffs: the core's, over Arrow data or mappings.

use std::borrow::Cow;
use std::ops::Range;

use leadgate::{Agreement, Decision, Diff, Raw, Report, Staffing};
use pyo3::prelude::*;

use crate::agreement::Call;
use crate::block::KeySet;
use crate::roster::instant;
use crate::run::{self, Data, Part};

/// A `by` or `outcome` value as text (as a CSV cell reads): trimmed, `None`
/// when missing or blank; numbers in the canonical form.
fn text<'a>(raw: &'a Raw<'_>) -> Option<Cow<'a, str>> {
    Some(match raw {
        Raw::Str(s) => Cow::Borrowed(Some(s.trim()).filter(|s| !s.is_empty())?),
        Raw::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Raw::Int(i) => Cow::Owned(i.to_string()),
        Raw::UInt(u) => Cow::Owned(u.to_string()),
        Raw::Float(f) if f.is_finite() => Cow::Owned(leadgate::format_number(*f)),
        Raw::DateMs(ms) => Cow::Owned(leadgate::Timestamp::from_unix_ms(*ms).to_string()),
        Raw::Array(items) => {
            let items: Vec<Cow<'_, str>> = items.iter().filter_map(text).collect();
            Cow::Owned(items.join("; "))
        }
        _ => return None,
    })
}

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
    let place = named.map(|c| c.map(|_| (next, next += 1).0));
    let keys = KeySet::new(py, &[a], &columns);
    let agreements = [a];
    let run = call.run(&agreements, &keys);
    let staffing = run.staffing(0);
    let new_report = || match staffing {
        Some(s) => Report::new(a, by, outcome).with_roster(s, followed_up_at),
        None => Report::new(a, by, outcome),
    };
    let mut report = new_report();
    let chunk = |part: &Part<'_, '_, '_>, rows: Range<usize>| {
        let mut r = new_report();
        for row in rows {
            let value = |i: usize| place[i].map(|k| part.value(row, k));
            let (g, o) = (value(0), value(1));
            let (g, o) = (g.as_ref().and_then(text), o.as_ref().and_then(text));
            let known = o.and_then(|o| leadgate::parse_outcome(&o));
            let roster = staffing.map(Staffing::roster);
            let followed = value(2).and_then(|v| instant(v, "", roster, true).ok().flatten());
            r.add_followed_up(&part.decide(0, row), g.as_deref(), known, followed);
        }
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
