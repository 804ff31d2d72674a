//! The decision columns of a batch scored column by column, built straight
//! from the evaluator's columns (the same names, types and cells as
//! [`DecisionBatch`](crate::arrow::DecisionBatch) gives per decision).

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, ListArray, RecordBatch, StringArray};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};

use super::Fired;
use crate::check::Model;

/// What scoring a batch found, column by column.
pub(super) struct Scored {
    pub(super) rows: usize,
    /// Per row, its lead error's text (`None`: scored).
    pub(super) errors: Vec<Option<Arc<str>>>,
    /// Whether any row is rejected.
    pub(super) any_error: bool,
    /// Per row, the index of its route rule.
    pub(super) route: Vec<u32>,
    pub(super) total: Vec<f64>,
    /// Per score, per row.
    pub(super) scores: Vec<Vec<f64>>,
    /// Per grade, per row: the label's index.
    pub(super) grades: Vec<Vec<u32>>,
    /// Which score rules fired for each row.
    pub(super) fired: Fired,
}

/// The largest choice copied by a fixed-size copy (the rest by length).
const PAD: usize = 32;

/// A `Utf8` array whose rows each hold one of a few texts: row `i` holds
/// `choices[picks[i]]` (`None`: null). The rows are written by one
/// fixed-size copy each, from the choices padded to [`PAD`] bytes.
fn choose(choices: &[Option<&str>], picks: &[u32]) -> Result<StringArray, ArrowError> {
    let choice = |c: &u32| choices.get(*c as usize).copied().flatten();
    let lens: Vec<usize> = choices.iter().map(|c| c.map_or(0, str::len)).collect();
    let len = |c: &u32| lens.get(*c as usize).copied().unwrap_or(0);
    let total: usize = picks.iter().map(len).sum();
    let too_long = || ArrowError::ComputeError("decision texts over 2 GiB in one batch".into());
    i32::try_from(total).map_err(|_| too_long())?;
    let mut offsets: Vec<i32> = Vec::with_capacity(picks.len() + 1);
    offsets.push(0);
    let mut end = 0i32;
    for c in picks {
        end += len(c) as i32;
        offsets.push(end);
    }
    let padded: Vec<Option<[u8; PAD]>> = (choices.iter())
        .map(|c| {
            let b = c.map_or(&[][..], str::as_bytes);
            let mut p = [0u8; PAD];
            p.get_mut(..b.len()).map(|p| {
                p.copy_from_slice(b);
            })?;
            Some(p)
        })
        .collect();
    let mut bytes = vec![0u8; total + PAD];
    let mut at = 0;
    for c in picks {
        let n = len(c);
        let to = bytes
            .get_mut(at..at + PAD)
            .and_then(|s| <&mut [u8; PAD]>::try_from(s).ok());
        match (padded.get(*c as usize), to) {
            // A copy of a size known here: no call to memcpy.
            (Some(Some(p)), Some(to)) => *to = *p,
            _ => {
                if let (Some(to), Some(from)) = (bytes.get_mut(at..at + n), choice(c)) {
                    to.copy_from_slice(from.as_bytes());
                }
            }
        }
        at += n;
    }
    bytes.truncate(total);
    let nulls = (picks.iter().any(|c| choice(c).is_none()))
        .then(|| NullBuffer::from_iter(picks.iter().map(|c| choice(c).is_some())));
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    StringArray::try_new(offsets, Buffer::from_vec(bytes), nulls)
}

/// A `Utf8` array of any texts (the rare `error` column).
fn texts<'s>(rows: usize, text: impl Fn(usize) -> Option<&'s str>) -> Result<ArrayRef, ArrowError> {
    let cells: Vec<Option<&str>> = (0..rows).map(text).collect();
    Ok(Arc::new(StringArray::from(cells)))
}

impl Scored {
    fn ok(&self, row: usize) -> bool {
        !self.any_error || self.errors.get(row).is_some_and(Option::is_none)
    }

    fn numbers(&self, values: Vec<f64>) -> ArrayRef {
        if self.any_error {
            let cells = values.iter().enumerate();
            Arc::new(Float64Array::from_iter(
                cells.map(|(i, x)| self.ok(i).then_some(*x)),
            ))
        } else {
            Arc::new(Float64Array::from(values))
        }
    }

    /// The record batch of the decision columns (`schema`: their schema;
    /// `roster`-less columns).
    pub(super) fn batch(
        mut self,
        m: &Model,
        schema: &SchemaRef,
    ) -> Result<RecordBatch, ArrowError> {
        let rows = self.rows;
        let (total, scores) = (
            std::mem::take(&mut self.total),
            std::mem::take(&mut self.scores),
        );
        // Per row, its route rule (the number of rules: rejected, null).
        let none = m.routes.len() as u32;
        let route: Vec<u32> = (0..rows)
            .map(|i| match self.route.get(i) {
                Some(r) if self.ok(i) && (*r as usize) < m.routes.len() => *r,
                _ => none,
            })
            .collect();
        let of_route = |f: &dyn Fn(&crate::check::RouteRule) -> Option<&str>| {
            let choices: Vec<Option<&str>> = m.routes.iter().map(f).chain([None]).collect();
            choose(&choices, &route).map(|a| Arc::new(a) as ArrayRef)
        };
        let within = |i: usize| m.routes.get(*route.get(i)? as usize)?.within_s;
        let mut columns: Vec<ArrayRef> = vec![
            of_route(&|r| Some(r.destination.as_str()))?,
            of_route(&|r| r.queue.as_deref())?,
            of_route(&|r| r.name.as_deref())?,
            Arc::new(Int64Array::from_iter((0..rows).map(within))),
            self.numbers(total),
        ];
        for s in scores {
            columns.push(self.numbers(s));
        }
        for (g, labels) in m.grades.iter().zip(&self.grades) {
            let choices: Vec<Option<&str>> = g
                .labels
                .iter()
                .map(|l| Some(l.as_str()))
                .chain([None])
                .collect();
            let none = g.labels.len() as u32;
            let picks: Vec<u32> = (labels.iter().enumerate())
                .map(|(i, l)| if self.ok(i) && *l < none { *l } else { none })
                .collect();
            columns.push(Arc::new(choose(&choices, &picks)?));
        }
        columns.push(self.fired_lists(m)?);
        columns.push(texts(rows, |i| {
            self.errors.get(i).and_then(|e| e.as_deref())
        })?);
        RecordBatch::try_new(schema.clone(), columns)
    }

    /// The `fired` column: per row, the names of the rules that fired.
    fn fired_lists(&self, m: &Model) -> Result<ArrayRef, ArrowError> {
        let fired = &self.fired;
        let names: Vec<Option<&str>> = (fired.rules.iter())
            .map(|r| Some(m.rules.get(*r as usize).map_or("", |r| r.name.as_str())))
            .collect();
        // Each fired rule's place among the names, row after row, and
        // where each row's list ends.
        let mut items: Vec<u32> = Vec::with_capacity(self.rows * 2);
        let mut ends: Vec<i32> = Vec::with_capacity(self.rows + 1);
        ends.push(0);
        let words = fired.words.max(1);
        for (i, masks) in fired
            .masks
            .chunks_exact(words)
            .chain(std::iter::repeat(&[][..]))
            .take(self.rows)
            .enumerate()
        {
            if self.ok(i) {
                for (w, word) in masks.iter().enumerate() {
                    let mut bits = *word;
                    while bits != 0 {
                        items.push((w * 64) as u32 + bits.trailing_zeros());
                        bits &= bits - 1;
                    }
                }
            }
            let end = i32::try_from(items.len()).map_err(|_| {
                ArrowError::ComputeError("too many fired rules in one batch".into())
            })?;
            ends.push(end);
        }
        let valid =
            (self.any_error).then(|| NullBuffer::from_iter((0..self.rows).map(|i| self.ok(i))));
        let item = Arc::new(Field::new("item", DataType::Utf8, true));
        let lists = ListArray::try_new(
            item,
            OffsetBuffer::new(ScalarBuffer::from(ends)),
            Arc::new(choose(&names, &items)?),
            valid,
        )?;
        Ok(Arc::new(lists))
    }
}
