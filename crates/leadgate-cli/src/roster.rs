//! `--roster` and `--as-of-column`: the roster file checked against an
//! agreement, and each lead's own instant read from its data.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use leadgate::{Agreement, Arrival, Raw, Roster, Staffing, Timestamp};
use serde_json::value::RawValue;

use crate::input::Record;
use crate::Failure;

/// Reads a roster file and checks it against `agreement`; its problems go
/// to stderr, located (`team.yaml:7:31: error: …`). A bad roster ends the
/// command with exit 1, as a bad agreement does.
pub fn load(path: &Path, agreement: &Agreement) -> Result<Staffing, Failure> {
    let name = path.display().to_string();
    let cannot = |e: std::io::Error| Failure::usage(format!("error: cannot read {name}: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(leadgate::limits::MAX_ROSTER_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Failure::agreement(format!("error: {name} is not UTF-8 text")))?;
    let bad = |e: leadgate::RosterError| {
        let e = e.with_file_name(&name);
        crate::output::note_text(&format!("{e}\n"));
        let n = e.diagnostics().len();
        Failure::agreement(format!("error: {name} cannot be used: {n} error(s)"))
    };
    let staffing = Roster::parse(&text)
        .map_err(bad)?
        .staff(agreement)
        .map_err(bad)?;
    for w in staffing.warnings() {
        crate::output::note(format_args!("{name}:{w}"));
    }
    Ok(staffing)
}

/// `--as-of-column`: the column (or JSON key) holding each lead's arrival,
/// read by the core's `Arrival`: dates and date-times without an offset in
/// the roster's time zone, else in UTC; with `--as-of`, a lead whose cell
/// is empty is scored as of it; without, such a lead is rejected (never
/// silently "now").
#[derive(Clone)]
pub struct AsOfColumn {
    arrival: Arrival,
    /// The CSV column, once the header is read.
    column: Option<usize>,
}

impl AsOfColumn {
    pub fn new(key: &str, roster: Option<&Roster>, fallback: bool) -> AsOfColumn {
        AsOfColumn {
            arrival: Arrival::new(key, roster, fallback, "--as-of"),
            column: None,
        }
    }

    /// Finds the column in a CSV header: a missing column is an error
    /// naming the columns there are.
    pub fn resolve(&mut self, header: &csv::ByteRecord) -> Result<(), Failure> {
        let key = self.arrival.key();
        let column = crate::columns::find_column(header, key)
            .map_err(|e| Failure::usage(format!("error: --as-of-column {key}: {e}")))?;
        self.column = Some(column);
        Ok(())
    }

    /// The lead's instant (`None`: empty, scored as of `--as-of`), or why
    /// it has none (a lead error in its place).
    pub fn instant(&self, record: &Record) -> Result<Option<Timestamp>, String> {
        let found;
        let value = match record {
            Record::Csv(row) => (self.column.and_then(|c| row.get(c)))
                .map_or(Raw::Null, |b| Raw::Str(String::from_utf8_lossy(b))),
            Record::Json(json) => {
                found = json_value(json, self.arrival.key());
                match &found {
                    None => Raw::Null,
                    Some(Ok(value)) => Raw::from(value),
                    Some(Err(unreadable)) => unreadable.clone(),
                }
            }
            // Bound as a lead error already; any instant will do.
            Record::Bad(_) => return Ok(None),
        };
        self.arrival.instant(&value)
    }
}

/// A JSON object's value at `key` (`None` when absent, or when the lead is
/// no object: the binding has rejected it already). A value serde_json
/// cannot hold is still a value, read as the other fronts read theirs (the
/// lead is scored only if its arrival is a date): a number beyond `f64` as
/// the infinity it is in Python and JS, a text with a lone surrogate as one
/// that is not valid Unicode, nesting past serde_json's limit as what it
/// nests.
fn json_value(json: &str, key: &str) -> Option<Result<serde_json::Value, Raw<'static>>> {
    let read = |text: &str| serde_json::from_str(text).map_err(|_| unreadable(text));
    // Keys without escapes borrow; a key with escapes falls back to owning.
    match serde_json::from_str::<HashMap<&str, &RawValue>>(json) {
        Ok(map) => map.get(key).map(|v| read(v.get())),
        Err(_) => (serde_json::from_str::<HashMap<String, &RawValue>>(json).ok()?)
            .get(key)
            .map(|v| read(v.get())),
    }
}

/// A JSON value serde_json could not read, by what it starts with.
fn unreadable(text: &str) -> Raw<'static> {
    match text.as_bytes().first() {
        Some(b'"') => Raw::Other("a text that is not valid Unicode"),
        Some(b'[') => Raw::Other("an array"),
        Some(b'{') => Raw::Other("an object"),
        _ => text
            .parse()
            .map_or(Raw::Other("a value that cannot be read"), Raw::Float),
    }
}
