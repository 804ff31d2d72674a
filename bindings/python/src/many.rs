//! `score_many`: leads are read from Python objects in blocks (with the GIL),
//! bound and scored on the thread pool (without it), and their decisions
//! made into Python objects (with it). With more than one thread the three
//! overlap: while the pool scores a block, the calling thread reads the next
//! one and makes the Decisions of the last one.

use std::sync::mpsc;

use leadgate::Threads;
use pyo3::prelude::*;
use pyo3::types::PyIterator;

use leadgate::OwnedRows as Block;

use crate::block::{read, Keys};

/// How many leads a block holds.
pub(crate) const BLOCK: usize = 2048;

/// Reads the leads of a batch, block by block.
struct Reader<'k, 'a, 'py> {
    leads: Bound<'py, PyIterator>,
    keys: &'k mut Keys<'a, 'py>,
    /// How many leads have been read.
    read: usize,
    /// Blocks already scored, whose buffers the next blocks reuse (fresh
    /// buffers cost page faults: a block's values are about a megabyte).
    spare: Vec<Block>,
}

impl Reader<'_, '_, '_> {
    /// Reads up to [`BLOCK`] leads; `None` when there are none left.
    fn block(&mut self) -> PyResult<Option<Block>> {
        // Ctrl-C and other signals are handled here, between two blocks
        // (a block takes milliseconds): the call ends with the exception.
        self.leads.py().check_signals()?;
        let mut block = self.spare.pop().unwrap_or_default();
        block.clear(self.read, BLOCK, self.keys.len());
        self.keys.adopt = true;
        while block.len() < BLOCK {
            match self.leads.next() {
                Some(lead) => read(&mut block, &lead?, self.keys)?,
                None => break,
            }
        }
        self.read += block.len();
        Ok((!block.is_empty()).then_some(block))
    }
}

/// Reads every lead `leads` yields, block by block, and hands each block
/// to `score` (which scores it on the pool); `emit` gets the results of
/// each block, in order, on the calling thread.
pub(crate) fn run<'py, T: Send>(
    py: Python<'py>,
    leads: Bound<'py, PyIterator>,
    keys: &mut Keys<'_, 'py>,
    pool: &Threads,
    score: impl Fn(&Block) -> Vec<T> + Sync + Send,
    mut emit_all: impl FnMut(Vec<T>) -> PyResult<()>,
) -> PyResult<()> {
    let score = &score;
    let mut reader = Reader {
        leads,
        keys,
        read: 0,
        spare: Vec::new(),
    };
    let Some(first) = reader.block()? else {
        return Ok(());
    };
    // One thread, or everything in one block: no overlap to be had.
    if pool.is_sequential() || first.len() < BLOCK {
        let mut next = Some(first);
        while let Some(block) = next {
            let decided = py.detach(|| score(&block));
            emit_all(decided)?;
            next = if block.len() < BLOCK {
                None
            } else {
                reader.spare.push(block);
                reader.block()?
            };
        }
        return Ok(());
    }
    std::thread::scope(|s| {
        let (to_score, blocks) = mpsc::sync_channel::<Block>(1);
        let (to_python, scored) = mpsc::channel::<(Vec<T>, Block)>();
        let worker = s.spawn(move || {
            for block in blocks {
                if to_python.send((score(&block), block)).is_err() {
                    break;
                }
            }
        });
        let mut result = Ok(());
        let mut next = Some(first);
        while let Some(block) = next.take() {
            let last = block.len() < BLOCK;
            // Hand the block over, waiting without the GIL if the queue is full.
            let sent = match to_score.try_send(block) {
                Ok(()) => true,
                Err(mpsc::TrySendError::Full(block)) => {
                    let to_score = &to_score;
                    py.detach(move || to_score.send(block)).is_ok()
                }
                Err(mpsc::TrySendError::Disconnected(_)) => false,
            };
            if !sent {
                break; // the worker is gone (it panicked): see the join below
            }
            // Make the Decisions of the blocks scored meanwhile.
            while let Ok((decided, block)) = scored.try_recv() {
                reader.spare.push(block);
                result = emit_all(decided);
                if result.is_err() {
                    break;
                }
            }
            if result.is_err() || last {
                break;
            }
            match reader.block() {
                Ok(block) => next = block,
                Err(e) => result = Err(e),
            }
        }
        drop(to_score);
        // The rest, in order, waiting for each without the GIL.
        let mut scored = Some(scored);
        while let Some(rx) = scored.take() {
            let (decided, rx) = py.detach(move || (rx.recv().ok(), rx));
            if let Some((decided, _)) = decided {
                if result.is_ok() {
                    result = emit_all(decided);
                }
                scored = Some(rx);
            }
        }
        if let Err(panic) = py.detach(move || worker.join()) {
            std::panic::resume_unwind(panic);
        }
        result
    })
}
