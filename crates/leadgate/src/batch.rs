//! Stage 6, batch: many leads scored in parallel, input order preserved,
//! per-lead errors kept in place.

use crate::decision::Decision;

/// How many threads batch scoring uses.
pub struct Threads {
    #[cfg(feature = "parallel")]
    pool: Option<rayon::ThreadPool>,
    sequential: bool,
}

impl Threads {
    /// `None`: all cores (rayon's global pool). `Some(1)`: the calling thread only.
    pub fn new(n: Option<usize>) -> Result<Threads, String> {
        match n {
            Some(0) => Err("the thread count must be at least 1".into()),
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
    pub fn map<T: Sync, F>(&self, items: &[T], f: F) -> Vec<Decision>
    where
        F: Fn(usize, &T) -> Decision + Sync + Send,
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
}
