//! Where results go, written so that nothing is ever lost.
//!
//! - A file the user names (`score --output`, `report --html`, `fmt --write`)
//!   is written to a temporary file in the same directory and renamed over it
//!   only when the command succeeds: a failed or interrupted run leaves the
//!   old file exactly as it was, and removes the temporary file.
//! - An output path that is also one of the command's inputs is refused
//!   before anything is read or written.
//! - SIGINT, SIGTERM and SIGHUP remove the temporary files, then end the
//!   process by the same signal (a signal ignored when leadgate started, as
//!   under `nohup`, stays ignored).
//! - A closed pipe on stdout ends the command quietly, as `cat` does (by
//!   SIGPIPE); any other write error, such as a full disk, is a clear error.
//! - Messages on stderr never panic, whatever stderr is.

use std::fmt::Display;
use std::fs::{File, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::Failure;

/// Temporary files to remove if a signal ends the process.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// The exit code of a command whose stdout was closed by its reader, used
/// only if the process cannot end by SIGPIPE itself (128 + 13, as a shell
/// reports `cat` ended so).
pub const EXIT_CLOSED_PIPE: u8 = 141;

/// Signals that end a run: their temporary files are removed first.
#[cfg(unix)]
const ENDING: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// Starts the thread that cleans up and ends the process on SIGINT, SIGTERM
/// or SIGHUP. Signals that were ignored when the process started are left
/// ignored.
pub fn handle_signals() {
    #[cfg(unix)]
    {
        let ignored = ignored_at_start();
        let signals: Vec<i32> = ENDING
            .iter()
            .copied()
            .filter(|s| !ignored.contains(s))
            .collect();
        let Ok(mut signals) = signal_hook::iterator::Signals::new(&signals) else {
            return;
        };
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Holding the lock until the end: no rename can follow.
                let mut files = pending();
                for path in files.drain(..) {
                    let _ = std::fs::remove_file(path);
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    }
}

/// The signals the process ignores, from `/proc/self/status` (Linux; none
/// known elsewhere).
#[cfg(unix)]
fn ignored_at_start() -> Vec<i32> {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|m| u64::from_str_radix(m.trim(), 16).ok())
        .unwrap_or(0);
    (1..=64).filter(|s| mask & (1u64 << (s - 1)) != 0).collect()
}

/// Ends the process as a closed pipe ends `cat`: quietly, by SIGPIPE.
pub fn end_on_closed_pipe() -> u8 {
    #[cfg(unix)]
    {
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGPIPE);
    }
    EXIT_CLOSED_PIPE
}

/// The failure for an error writing the output: a closed pipe ends quietly,
/// anything else (a full disk) is a usage/I-O error with the reason.
pub fn write_failure(e: io::Error) -> Failure {
    output_failure(e.kind() == io::ErrorKind::BrokenPipe, e)
}

/// [`write_failure`] for the CSV writer's errors.
pub fn csv_write_failure(e: csv::Error) -> Failure {
    let closed =
        matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe);
    output_failure(closed, e)
}

fn output_failure(closed_pipe: bool, e: impl Display) -> Failure {
    if closed_pipe {
        Failure {
            code: EXIT_CLOSED_PIPE,
            message: String::new(),
        }
    } else {
        Failure::usage(format!("error: cannot write the output: {e}"))
    }
}

/// Writes text to stdout and flushes it.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(write_failure)
}

/// Writes text for a person to stdout: control characters that a terminal
/// would obey (ESC and OSC sequences that retitle the window or clear the
/// screen, C1 controls, bidirectional overrides), which lead data or names
/// may carry, are shown escaped (`\u{1b}`); line ends and tabs stay.
pub fn print_for_people(text: &str) -> Result<(), Failure> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return print(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            safe.push_str(&c.escape_unicode().to_string());
        } else {
            safe.push(c);
        }
    }
    print(&safe)
}

fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Writes one line to stderr; a closed or full stderr is ignored.
pub fn note(text: impl Display) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Writes text as it is to stderr; a closed or full stderr is ignored.
pub fn note_text(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Refuses an output path that names the same file as one of the inputs
/// (`-` and paths that do not exist are no files yet).
pub fn refuse_overwriting_input(output: &Path, inputs: &[&Path]) -> Result<(), Failure> {
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        if same_file::is_same_file(output, input).unwrap_or(false) {
            return Err(Failure::usage(format!(
                "error: the output {} is also an input ({}): write to another file",
                output.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// A file written in full or not at all: see the module documentation.
pub struct OutputFile {
    target: PathBuf,
    inner: Inner,
}

enum Inner {
    /// A regular file (or a new one): a temporary file beside it.
    Temp(Option<tempfile::NamedTempFile>),
    /// A device or a FIFO (`/dev/null`, `/dev/stdout`): written directly,
    /// never replaced.
    Direct(File),
}

impl OutputFile {
    /// Prepares to write `path`, refusing it if it is one of `inputs`.
    pub fn create(path: &Path, inputs: &[&Path]) -> Result<OutputFile, Failure> {
        refuse_overwriting_input(path, inputs)?;
        let cannot =
            |e: io::Error| Failure::usage(format!("error: cannot write {}: {e}", path.display()));
        // Write through a symbolic link to the file it names.
        let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let existing = std::fs::metadata(&target).ok();
        if let Some(meta) = &existing {
            if meta.is_dir() {
                return Err(cannot(io::Error::other("it is a directory")));
            }
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .map_err(cannot)?;
                return Ok(OutputFile {
                    target,
                    inner: Inner::Direct(file),
                });
            }
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name_prefix = format!(".{name}.");
        let permissions = match existing {
            Some(m) => Some(m.permissions()),
            None => default_permissions(),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(&name_prefix).suffix(".leadgate-tmp");
        if let Some(p) = permissions {
            builder.permissions(p);
        }
        let mut files = pending();
        let temp = builder.tempfile_in(&dir).map_err(cannot)?;
        files.push(temp.path().to_path_buf());
        Ok(OutputFile {
            target,
            inner: Inner::Temp(Some(temp)),
        })
    }

    /// Puts the written file in place of the old one (on disk first).
    pub fn commit(mut self) -> Result<(), Failure> {
        let target = self.target.clone();
        let cannot =
            |e: io::Error| Failure::usage(format!("error: cannot write {}: {e}", target.display()));
        match &mut self.inner {
            Inner::Direct(file) => file.flush().map_err(write_failure),
            Inner::Temp(temp) => {
                let Some(temp) = temp.take() else {
                    return Ok(());
                };
                temp.as_file().sync_all().map_err(cannot)?;
                let mut files = pending();
                let path = temp.path().to_path_buf();
                let result = temp.persist(&self.target).map_err(|e| cannot(e.error));
                files.retain(|p| *p != path);
                result.map(drop)
            }
        }
    }
}

/// A new file's permissions as open(2) gives them (the umask applies);
/// tempfile's default, 0600, would hide the output from its readers.
#[cfg(unix)]
fn default_permissions() -> Option<Permissions> {
    Some(std::os::unix::fs::PermissionsExt::from_mode(0o666))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<Permissions> {
    None
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Inner::Direct(f) => f.write(buf),
            Inner::Temp(Some(t)) => t.write(buf),
            Inner::Temp(None) => Err(io::Error::other("the output is already complete")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Inner::Direct(f) => f.flush(),
            Inner::Temp(Some(t)) => t.flush(),
            Inner::Temp(None) => Ok(()),
        }
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        // Not committed: the temporary file goes, the old file stays.
        if let Inner::Temp(temp) = &mut self.inner {
            if let Some(temp) = temp.take() {
                let path = temp.path().to_path_buf();
                let mut files = pending();
                drop(temp);
                files.retain(|p| *p != path);
            }
        }
    }
}
