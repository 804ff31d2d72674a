//! `score_many`: leads are read from Python objects in blocks (with the GIL),
//! bound and scored on the thread pool (without it), and their decisions
//! made into Python objects (with it). With more than one thread the three
//! overlap (the core's [`pipeline`]): while the pool scores a block, the
//! calling thread reads the next one and makes the Decisions of the last one.

use leadgate::{pipeline, OwnedRows, Threads, Waiting};
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use crate::block::{read, Keys};

/// How many leads a block holds.
pub(crate) const BLOCK: usize = 2048;

/// Waits and scores with the GIL released, unless the only block is small
/// (`.1`: under 64 leads, less work than releasing the GIL costs).
struct Gil<'a, 'py>(Python<'py>, &'a std::cell::Cell<bool>);

impl Waiting for Gil<'_, '_> {
    fn released<T: Send, F: FnOnce() -> T + Send>(&self, f: F) -> T {
        if self.1.get() {
            f()
        } else {
            self.0.detach(f)
        }
    }
}

/// Reads every lead `leads` yields, block by block, and hands each block
/// to `score` (which scores it on the pool); `emit` gets the results of
/// each block, in order, on the calling thread.
pub(crate) fn run<'py, T: Send>(
    py: Python<'py>,
    mut leads: Bound<'py, PyIterator>,
    keys: &mut Keys<'_, 'py>,
    pool: &Threads,
    score: impl Fn(&OwnedRows) -> Vec<T> + Sync + Send,
    emit: impl FnMut(Vec<T>) -> PyResult<()>,
) -> PyResult<()> {
    let mut first = 0;
    let small = std::cell::Cell::new(false);
    // Reads up to BLOCK leads into a block scored before, if any.
    let next_block = |spare: Option<OwnedRows>| -> PyResult<Option<OwnedRows>> {
        // Ctrl-C and other signals are handled here, between two blocks
        // (a block takes milliseconds): the call ends with the exception.
        py.check_signals()?;
        let mut block = spare.unwrap_or_default();
        block.clear(first, BLOCK, keys.len());
        keys.adopt = true;
        while block.len() < BLOCK {
            match leads.next() {
                Some(lead) => read(&mut block, &lead?, keys)?,
                None => break,
            }
        }
        small.set(first == 0 && block.len() < 64);
        first += block.len();
        Ok((!block.is_empty()).then_some(block))
    };
    let full = |b: &OwnedRows| b.len() == BLOCK;
    let (gil, sequential) = (Gil(py, &small), pool.is_sequential());
    pipeline(&gil, sequential, next_block, full, score, emit)
}
