//! The thread pools of batch calls, and the `threads` argument.
//!
//! `threads=None` scores on one pool per process, sized to the cores, built
//! on first use and kept. It is not rayon's global pool, because a pool's
//! threads do not survive `fork()`: a child of a process that has scored
//! (a `multiprocessing` worker with the `fork` start method) would hand its
//! work to threads that do not exist and wait forever. The pool remembers
//! the process it was built in, and a forked child builds its own.

use std::sync::{Arc, Mutex, PoisonError};

use leadgate::limits::MAX_THREADS;
use leadgate::Threads;
use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;

use crate::errors::value_error;

/// The all-cores pool and the id of the process that built it. Only
/// touched with the GIL held, so no other thread holds the lock when
/// Python forks (`os.fork` runs with the GIL), and a child never finds it
/// locked.
static ALL_CORES: Mutex<Option<(u32, Arc<Threads>)>> = Mutex::new(None);

/// The pool for a batch call's `threads`: `None` (all cores), or an int the
/// core's [`Threads::new`] accepts (1 to 1024); another int is a
/// `ValueError`, anything else a `TypeError`.
pub(crate) fn pool(threads: Option<&Bound<'_, PyAny>>) -> PyResult<Arc<Threads>> {
    let Some(threads) = threads.filter(|t| !t.is_none()) else {
        return all_cores();
    };
    let n = match threads.extract::<usize>() {
        Ok(n) => n,
        // Negative, or beyond a usize: out of the core's range all the same,
        // said in its words.
        Err(e) if e.is_instance_of::<PyOverflowError>(threads.py()) => {
            return Err(value_error(format!(
                "the thread count must be at least 1 and at most {MAX_THREADS}, not {}",
                threads.str()?
            )))
        }
        Err(e) => return Err(e),
    };
    Threads::new(Some(n)).map(Arc::new).map_err(value_error)
}

/// The pool of this process for `threads=None`.
fn all_cores() -> PyResult<Arc<Threads>> {
    let pid = std::process::id();
    let mut slot = ALL_CORES.lock().unwrap_or_else(PoisonError::into_inner);
    match slot.take() {
        Some((built_in, pool)) if built_in == pid => {
            *slot = Some((built_in, pool.clone()));
            return Ok(pool);
        }
        // Built before a fork: its threads are the parent's. Dropping it
        // would signal them through locks they may have held at the fork,
        // so it is leaked instead (once per fork, a few hundred bytes).
        Some(inherited) => std::mem::forget(inherited),
        None => {}
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pool = Arc::new(Threads::new(Some(cores.min(MAX_THREADS))).map_err(value_error)?);
    *slot = Some((pid, pool.clone()));
    Ok(pool)
}
