//! The thread pools of batch calls, and the `threads` argument.
//!
//! `threads=None` scores on one pool per process, sized to the cores, built
//! on first use and kept. It is not rayon's global pool, because a pool's
//! threads do not survive `fork()`: a child of a process that has scored
//! (a `multiprocessing` worker with the `fork` start method) would hand its
//! work to threads that do not exist and wait forever. The pool remembers
//! the process it was built in, and a forked child builds its own.

use std::sync::{Arc, Mutex, PoisonError};

use leadgate::Threads;
use pyo3::exceptions::{PyOverflowError, PyValueError};
use pyo3::prelude::*;

/// The most threads a call may ask for, as in the core. More is never
/// faster (there are only so many cores), and each thread costs a stack:
/// 10,000 took 29 s and 1 GB to start, `usize::MAX` would never finish.
pub(crate) const MAX_THREADS: i64 = 1024;

/// The all-cores pool and the id of the process that built it. Only
/// touched with the GIL held, so no other thread holds the lock when
/// Python forks (`os.fork` runs with the GIL), and a child never finds it
/// locked.
static ALL_CORES: Mutex<Option<(u32, Arc<Threads>)>> = Mutex::new(None);

/// The pool for a batch call's `threads`: `None` (all cores), or an int
/// from 1 to [`MAX_THREADS`]; anything else is a `ValueError` (an int) or a
/// `TypeError` (not an int).
pub(crate) fn pool(threads: Option<&Bound<'_, PyAny>>) -> PyResult<Arc<Threads>> {
    let Some(threads) = threads.filter(|t| !t.is_none()) else {
        return all_cores();
    };
    // The range and the words of the core's own check in `Threads::new`,
    // made here before a count too large for a `usize` can get there.
    let out_of_range = |shown: String| {
        PyValueError::new_err(format!(
            "the thread count must be at least 1 and at most {MAX_THREADS}, not {shown}"
        ))
    };
    let n = match threads.extract::<i64>() {
        Ok(n) => n,
        Err(e) if e.is_instance_of::<PyOverflowError>(threads.py()) => {
            return Err(out_of_range(threads.str()?.to_string()))
        }
        Err(e) => return Err(e),
    };
    if !(1..=MAX_THREADS).contains(&n) {
        return Err(out_of_range(n.to_string()));
    }
    let n = usize::try_from(n).map_err(|_| out_of_range(n.to_string()))?;
    Threads::new(Some(n))
        .map(Arc::new)
        .map_err(PyValueError::new_err)
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
    let cores = cores.min(MAX_THREADS as usize);
    let pool = Arc::new(Threads::new(Some(cores)).map_err(PyValueError::new_err)?);
    *slot = Some((pid, pool.clone()));
    Ok(pool)
}
