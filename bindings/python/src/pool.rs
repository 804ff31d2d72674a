//! The threads of a batch call, as `threads=` says: `None` is rayon's global
//! pool (all cores, the pool the core's own batch scoring uses), `1` the
//! calling thread alone, `n` a pool of `n` threads for this call.
//!
//! The bindings split a batch into chunks of rows and run each chunk whole
//! on one thread (read, bind, score, write the output), so they map chunks
//! here rather than through `Agreement::decide_batch`, which maps leads.

use rayon::prelude::*;

pub(crate) enum Pool {
    Calling,
    Global,
    Own(rayon::ThreadPool),
}

impl Pool {
    /// The same rules and messages as `leadgate::Threads::new`.
    pub(crate) fn new(threads: Option<usize>) -> Result<Pool, String> {
        match threads {
            Some(0) => Err("the thread count must be at least 1".into()),
            Some(1) => Ok(Pool::Calling),
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(Pool::Own)
                .map_err(|e| format!("cannot start {n} threads: {e}")),
            None => Ok(Pool::Global),
        }
    }

    /// How many threads share the work.
    pub(crate) fn threads(&self) -> usize {
        match self {
            Pool::Calling => 1,
            Pool::Global => rayon::current_num_threads(),
            Pool::Own(pool) => pool.current_num_threads(),
        }
    }

    /// `f` over `items`, results in order. A panic on a worker thread comes
    /// back to the caller (rayon re-raises it), inside the caller's guard.
    pub(crate) fn map<T, R, F>(&self, items: &[T], f: F) -> Vec<R>
    where
        T: Sync,
        R: Send,
        F: Fn(&T) -> R + Sync + Send,
    {
        if items.len() < 2 || matches!(self, Pool::Calling) {
            return items.iter().map(f).collect();
        }
        let run = || items.par_iter().map(&f).collect();
        match self {
            Pool::Own(pool) => pool.install(run),
            _ => run(),
        }
    }

    /// Splits `0..n` into chunks of at least `min` rows, a few per thread
    /// (so that a slow chunk does not hold the others up).
    pub(crate) fn chunks(&self, n: usize, min: usize) -> Vec<std::ops::Range<usize>> {
        let parts = match self.threads() {
            0 | 1 => 1,
            t => t * 4,
        };
        let size = n.div_ceil(parts).max(min).max(1);
        (0..n)
            .step_by(size)
            .map(|start| start..(start + size).min(n))
            .collect()
    }
}
