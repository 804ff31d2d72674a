//! Stage 6, batch: many leads scored in parallel, input order preserved,
//! per-lead errors kept in place.

/// Most threads a batch may ask for: more only costs memory and start-up
/// time (each thread has its own stack), and a count such as `usize::MAX`
/// would never finish starting.
pub const MAX_THREADS: usize = 1024;

/// How many threads batch scoring uses.
pub struct Threads {
    #[cfg(feature = "parallel")]
    pool: Option<rayon::ThreadPool>,
    sequential: bool,
}

impl Threads {
    /// `None`: all cores (rayon's global pool). `Some(1)`: the calling thread
    /// only. A count outside `1..=MAX_THREADS` is an error naming the range.
    pub fn new(n: Option<usize>) -> Result<Threads, String> {
        match n {
            Some(n) if !(1..=MAX_THREADS).contains(&n) => Err(format!(
                "the thread count must be at least 1 and at most {MAX_THREADS}, not {n}"
            )),
            Some(1) => Ok(Threads {
                #[cfg(feature = "parallel")]
                pool: None,
                sequential: true,
            }),
            #[cfg(feature = "parallel")]
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .map(|p| Threads {
                    pool: Some(p),
                    sequential: false,
                })
                .map_err(|e| format!("cannot start {n} threads: {e}")),
            #[cfg(not(feature = "parallel"))]
            Some(_) => Ok(Threads { sequential: true }),
            None => Ok(Threads {
                #[cfg(feature = "parallel")]
                pool: None,
                sequential: !cfg!(feature = "parallel"),
            }),
        }
    }

    /// Maps `f` over `items` (with their index), in order.
    pub fn map<T: Sync, R: Send, F>(&self, items: &[T], f: F) -> Vec<R>
    where
        F: Fn(usize, &T) -> R + Sync + Send,
    {
        if self.sequential || items.len() < 2 {
            return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
        }
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let run = || {
                items
                    .par_iter()
                    .enumerate()
                    .with_min_len(64)
                    .map(|(i, t)| f(i, t))
                    .collect()
            };
            match &self.pool {
                Some(pool) => pool.install(run),
                None => run(),
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            items.iter().enumerate().map(|(i, t)| f(i, t)).collect()
        }
    }

    /// Maps `f` over consecutive runs of `len` items (the last may be
    /// shorter), in order; `f` gets the index of the run's first item. For
    /// work that should stay together on one thread, such as rendering a
    /// run of decisions into one buffer.
    pub fn map_runs<T: Sync, R: Send, F>(&self, items: &[T], len: usize, f: F) -> Vec<R>
    where
        F: Fn(usize, &[T]) -> R + Sync + Send,
    {
        let runs = ranges(items.len(), len);
        self.map_each(&runs, |r| {
            f(r.start, items.get(r.clone()).unwrap_or_default())
        })
    }

    /// Splits the rows `0..n` into ranges of at least `min` rows, a few per
    /// thread (so that one slow range does not hold the others up), and
    /// maps `f` over them, in order. For fronts that read and write rows
    /// by position (Arrow columns, blocks of host objects).
    pub fn map_ranges<R: Send, F>(&self, n: usize, min: usize, f: F) -> Vec<R>
    where
        F: Fn(std::ops::Range<usize>) -> R + Sync + Send,
    {
        let parts = match self.count() {
            0 | 1 => 1,
            t => t * 4,
        };
        let size = n.div_ceil(parts).max(min);
        self.map_each(&ranges(n, size), |r| f(r.clone()))
    }

    /// One task per item, in order (few, large items).
    fn map_each<T: Sync, R: Send, F>(&self, items: &[T], f: F) -> Vec<R>
    where
        F: Fn(&T) -> R + Sync + Send,
    {
        if self.sequential || items.len() < 2 {
            return items.iter().map(f).collect();
        }
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let run = || items.par_iter().map(&f).collect();
            match &self.pool {
                Some(pool) => pool.install(run),
                None => run(),
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            items.iter().map(f).collect()
        }
    }

    /// The calling thread only (`Threads::new(Some(1))`, which cannot fail).
    pub fn calling() -> Threads {
        Threads {
            #[cfg(feature = "parallel")]
            pool: None,
            sequential: true,
        }
    }

    /// How many threads share the work.
    pub fn count(&self) -> usize {
        if self.sequential {
            return 1;
        }
        #[cfg(feature = "parallel")]
        {
            match &self.pool {
                Some(pool) => pool.current_num_threads(),
                None => rayon::current_num_threads(),
            }
        }
        #[cfg(not(feature = "parallel"))]
        {
            1
        }
    }

    /// Whether work runs on the calling thread only.
    pub fn is_sequential(&self) -> bool {
        self.sequential
    }
}

/// `0..n` in consecutive ranges of `len` (the last may be shorter).
fn ranges(n: usize, len: usize) -> Vec<std::ops::Range<usize>> {
    let len = len.max(1);
    (0..n).step_by(len).map(|s| s..(s + len).min(n)).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::Threads;

    #[test]
    fn runs_keep_order_and_indices() {
        let items: Vec<usize> = (0..1000).collect();
        for threads in [Some(1), Some(2), None] {
            let t = Threads::new(threads).unwrap_or_else(|e| panic!("{e}"));
            let runs = t.map_runs(&items, 64, |first, run| (first, run.to_vec()));
            assert_eq!(runs.len(), 16);
            let mut flat = Vec::new();
            for (first, run) in runs {
                assert_eq!(run.first(), Some(&first));
                flat.extend(run);
            }
            assert_eq!(flat, items);
            assert!(t.map_runs(&items[..0], 64, |f, _| f).is_empty());
            let ranges = t.map_ranges(1000, 100, |r| r);
            assert!(ranges.iter().all(|r| r.len() >= 100 || r.end == 1000));
            let flat: Vec<usize> = ranges.into_iter().flatten().collect();
            assert_eq!(flat, items);
            assert!(t.map_ranges(0, 10, |r| r).is_empty());
        }
        assert_eq!(Threads::calling().count(), 1);
        assert_eq!(Threads::new(Some(2)).unwrap().count(), 2);
    }

    #[test]
    fn absurd_thread_counts_are_an_error_naming_the_range() {
        for n in [0, super::MAX_THREADS + 1, 10_000, usize::MAX] {
            match Threads::new(Some(n)) {
                Ok(_) => panic!("{n} threads were accepted"),
                Err(e) => assert_eq!(
                    e,
                    format!("the thread count must be at least 1 and at most 1024, not {n}")
                ),
            }
        }
        assert_eq!(Threads::new(Some(4)).unwrap().count(), 4);
    }
}
