//! A progress bar on stderr, shown only when stderr is a terminal and the
//! input is a file of more than a few MB; silent otherwise.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this get no progress bar.
pub const MIN_BYTES: u64 = 8 * 1024 * 1024;

pub struct Progress {
    bar: Option<(ProgressBar, Arc<AtomicU64>)>,
}

impl Progress {
    /// A bar for reading `path`, or a silent one.
    pub fn start(path: &str) -> Progress {
        if path == "-" || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let len = match std::fs::metadata(path) {
            Ok(m) if m.len() > MIN_BYTES => m.len(),
            _ => return Progress { bar: None },
        };
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        ) {
            bar.set_style(style);
        }
        Progress {
            bar: Some((bar, Arc::new(AtomicU64::new(0)))),
        }
    }

    /// The byte counter the reader should add to, when a bar is shown.
    pub fn counter(&self) -> Option<Arc<AtomicU64>> {
        self.bar.as_ref().map(|(_, c)| c.clone())
    }

    pub fn tick(&self) {
        if let Some((bar, count)) = &self.bar {
            bar.set_position(count.load(Ordering::Relaxed));
        }
    }

    pub fn finish(&self) {
        if let Some((bar, _)) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
