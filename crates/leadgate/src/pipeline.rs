//! Reading and scoring overlapped: a host reads blocks of leads on its own
//! thread (where its objects live: Python's, with the GIL held) while a
//! worker thread scores the block before, and the results come back in
//! order on the host's thread.

use std::sync::mpsc;

/// How the host's thread waits: some hosts hold a lock that must be
/// released while the thread blocks or works for long (Python's GIL, so
/// that other Python threads run meanwhile).
pub trait Waiting {
    /// Runs `f` (which may block) with the host's lock released.
    fn released<T: Send, F: FnOnce() -> T + Send>(&self, f: F) -> T;
}

/// No lock to release.
impl Waiting for () {
    fn released<T: Send, F: FnOnce() -> T + Send>(&self, f: F) -> T {
        f()
    }
}

/// Reads blocks with `read` and hands each to `score`, then each result to
/// `emit`, in order. `read` gets a block scored before, to reuse its
/// buffers (fresh buffers cost page faults), and gives `None` when no lead
/// is left; a block that is not `full` is the last one. Unless
/// `sequential`, the next block is read while a worker thread scores the
/// last one (one block in flight, so memory stays bounded).
///
/// The first error of `read` or `emit` ends the call once the blocks in
/// flight are done; a panic of `score` is resumed on the calling thread.
///
/// ```
/// // Blocks of up to 3 numbers, scored as their sums, in order.
/// let mut next = 0;
/// let read = |spare: Option<Vec<u32>>| -> Result<Option<Vec<u32>>, String> {
///     let mut block = spare.unwrap_or_default();
///     block.clear();
///     block.extend((next..10).take(3));
///     next += block.len() as u32;
///     Ok((!block.is_empty()).then_some(block))
/// };
/// let mut sums = Vec::new();
/// let emit = |sum: u32| -> Result<(), String> { Ok(sums.push(sum)) };
/// leadgate::pipeline(&(), false, read, |b| b.len() == 3, |b| b.iter().sum::<u32>(), emit)?;
/// assert_eq!(sums, [3, 12, 21, 9]);
/// # Ok::<(), String>(())
/// ```
pub fn pipeline<B, T, E, W>(
    wait: &W,
    sequential: bool,
    mut read: impl FnMut(Option<B>) -> Result<Option<B>, E>,
    full: impl Fn(&B) -> bool,
    score: impl Fn(&B) -> T + Sync + Send,
    mut emit: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    B: Send,
    T: Send,
    W: Waiting,
{
    let score = &score;
    let Some(first) = read(None)? else {
        return Ok(());
    };
    // One thread, or everything in one block: no overlap to be had.
    if sequential || !full(&first) {
        let mut next = Some(first);
        while let Some(block) = next {
            let (result, block) = wait.released(move || (score(&block), block));
            emit(result)?;
            next = if full(&block) {
                read(Some(block))?
            } else {
                None
            };
        }
        return Ok(());
    }
    let mut spare: Vec<B> = Vec::new();
    std::thread::scope(|s| {
        let (to_score, blocks) = mpsc::sync_channel::<B>(1);
        let (to_host, scored) = mpsc::channel::<(T, B)>();
        let worker = s.spawn(move || {
            for block in blocks {
                if to_host.send((score(&block), block)).is_err() {
                    break;
                }
            }
        });
        let mut result = Ok(());
        let mut next = Some(first);
        while let Some(block) = next.take() {
            let last = !full(&block);
            // Hand the block over, waiting (unlocked) if the queue is full.
            let sent = match to_score.try_send(block) {
                Ok(()) => true,
                Err(mpsc::TrySendError::Full(block)) => {
                    let to_score = &to_score;
                    wait.released(move || to_score.send(block)).is_ok()
                }
                Err(mpsc::TrySendError::Disconnected(_)) => false,
            };
            if !sent {
                break; // the worker is gone (it panicked): see the join below
            }
            // Emit the results of the blocks scored meanwhile.
            while let Ok((decided, block)) = scored.try_recv() {
                spare.push(block);
                result = emit(decided);
                if result.is_err() {
                    break;
                }
            }
            if result.is_err() || last {
                break;
            }
            match read(spare.pop()) {
                Ok(block) => next = block,
                Err(e) => result = Err(e),
            }
        }
        drop(to_score);
        // The rest, in order, waiting (unlocked) for each.
        let mut scored = Some(scored);
        while let Some(rx) = scored.take() {
            let (decided, rx) = wait.released(move || (rx.recv().ok(), rx));
            if let Some((decided, _)) = decided {
                if result.is_ok() {
                    result = emit(decided);
                }
                scored = Some(rx);
            }
        }
        if let Err(panic) = wait.released(move || worker.join()) {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Blocks of up to 4 numbers from 0..n, scored as their sums.
    fn sums(
        n: u32,
        sequential: bool,
        fail_at: Option<usize>,
    ) -> (Result<(), String>, Vec<u32>, usize) {
        let mut next = 0;
        let mut reused = 0;
        let mut out = Vec::new();
        let read = |spare: Option<Vec<u32>>| -> Result<Option<Vec<u32>>, String> {
            let mut block = spare.inspect(|_| reused += 1).unwrap_or_default();
            block.clear();
            while block.len() < 4 && next < n {
                block.push(next);
                next += 1;
            }
            Ok((!block.is_empty()).then_some(block))
        };
        let result = pipeline(
            &(),
            sequential,
            read,
            |b| b.len() == 4,
            |b| b.iter().sum::<u32>(),
            |sum| {
                if Some(out.len()) == fail_at {
                    return Err(format!("stopped at {sum}"));
                }
                out.push(sum);
                Ok(())
            },
        );
        (result, out, reused)
    }

    #[test]
    fn results_come_in_order_either_way() {
        let want: Vec<u32> = (0..10_003u32)
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().sum())
            .collect();
        for sequential in [true, false] {
            let (result, out, reused) = sums(10_003, sequential, None);
            assert_eq!(result, Ok(()));
            assert_eq!(out, want);
            assert!(reused > 0, "blocks are reused");
        }
        assert_eq!(sums(0, false, None).1, Vec::<u32>::new());
        assert_eq!(sums(3, false, None).1, [3]);
    }

    #[test]
    fn the_first_error_ends_the_call() {
        for sequential in [true, false] {
            let (result, out, _) = sums(1_000, sequential, Some(7));
            assert_eq!(result, Err(format!("stopped at {}", (28..32).sum::<u32>())));
            assert_eq!(out.len(), 7);
        }
    }
}
