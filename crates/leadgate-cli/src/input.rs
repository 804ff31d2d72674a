//! Lead input, read in chunks so memory stays flat however large the file:
//! JSON Lines, a JSON array, or CSV; from a file or stdin.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::Failure;

/// A reader that counts the bytes it has read.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Longest JSON line accepted; a longer one becomes a lead error, and memory stays bounded.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Jsonl,
    Json,
    Csv,
}

/// One input record, not yet bound.
pub enum Record {
    Json(String),
    Csv(csv::ByteRecord),
    /// A record that cannot be read as a lead; it keeps its place with this error.
    Bad(String),
}

pub enum Source {
    Lines(Box<dyn BufRead + Send>),
    Array(std::vec::IntoIter<Record>),
    Csv {
        reader: csv::Reader<Box<dyn Read + Send>>,
        header: csv::ByteRecord,
    },
}

pub fn detect(path: &str, given: Option<InputFormat>) -> Result<InputFormat, Failure> {
    if let Some(f) = given {
        return Ok(f);
    }
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        Ok(InputFormat::Jsonl)
    } else if lower.ends_with(".json") {
        Ok(InputFormat::Json)
    } else if lower.ends_with(".csv") {
        Ok(InputFormat::Csv)
    } else if path == "-" {
        Err(Failure::usage(
            "error: reading stdin (`-`) needs --input-format jsonl|json|csv",
        ))
    } else {
        Err(Failure::usage(format!(
            "error: cannot tell the format of {path}: use a .jsonl, .ndjson, .json or .csv file, or --input-format"
        )))
    }
}

/// Opens an input; `counter`, when given, counts the bytes read (for the progress bar).
pub fn open(
    path: &str,
    format: InputFormat,
    counter: Option<Arc<AtomicU64>>,
) -> Result<Source, Failure> {
    let reader: Box<dyn Read + Send> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        let f = File::open(Path::new(path))
            .map_err(|e| Failure::usage(format!("error: cannot read {path}: {e}")))?;
        match counter {
            Some(count) => Box::new(Counting { inner: f, count }),
            None => Box::new(f),
        }
    };
    match format {
        InputFormat::Jsonl => Ok(Source::Lines(Box::new(BufReader::with_capacity(
            1 << 16,
            reader,
        )))),
        InputFormat::Json => {
            let mut text = String::new();
            BufReader::new(reader)
                .read_to_string(&mut text)
                .map_err(|e| Failure::usage(format!("error: cannot read {path}: {e}")))?;
            let items: Vec<Box<serde_json::value::RawValue>> =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
                    Failure::usage(format!("error: {path} is not a JSON array of leads: {e}"))
                })?;
            let records: Vec<Record> = items
                .into_iter()
                .map(|r| Record::Json(r.get().to_string()))
                .collect();
            Ok(Source::Array(records.into_iter()))
        }
        InputFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .has_headers(true)
                .from_reader(reader);
            let header = reader
                .byte_headers()
                .map_err(|e| {
                    Failure::usage(format!("error: cannot read the CSV header of {path}: {e}"))
                })?
                .clone();
            Ok(Source::Csv { reader, header })
        }
    }
}

impl Source {
    pub fn csv_header(&self) -> Option<&csv::ByteRecord> {
        match self {
            Source::Csv { header, .. } => Some(header),
            _ => None,
        }
    }

    /// Appends up to `max` records; returns false at the end of the input.
    pub fn next_chunk(&mut self, max: usize, out: &mut Vec<Record>) -> Result<bool, Failure> {
        match self {
            Source::Lines(r) => {
                let mut buf = Vec::new();
                while out.len() < max {
                    buf.clear();
                    match read_line(r.as_mut(), &mut buf) {
                        Err(e) => {
                            return Err(Failure::usage(format!(
                                "error: cannot read the input: {e}"
                            )))
                        }
                        Ok(LineRead::Eof) => return Ok(false),
                        Ok(LineRead::TooLong) => out.push(Record::Bad(format!(
                            "the line is longer than {} MiB",
                            MAX_LINE_BYTES / (1024 * 1024)
                        ))),
                        Ok(LineRead::Line) => {
                            let line = buf.strip_suffix(b"\n").unwrap_or(&buf);
                            let line = line.strip_suffix(b"\r").unwrap_or(line);
                            let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
                            if line.iter().all(u8::is_ascii_whitespace) {
                                continue;
                            }
                            match std::str::from_utf8(line) {
                                Ok(s) => out.push(Record::Json(s.to_string())),
                                Err(_) => {
                                    out.push(Record::Bad("the line is not valid UTF-8".into()))
                                }
                            }
                        }
                    }
                }
                Ok(true)
            }
            Source::Array(it) => {
                out.extend(it.by_ref().take(max));
                Ok(it.len() > 0)
            }
            Source::Csv { reader, .. } => {
                while out.len() < max {
                    let mut rec = csv::ByteRecord::new();
                    match reader.read_byte_record(&mut rec) {
                        Ok(true) => out.push(Record::Csv(rec)),
                        Ok(false) => return Ok(false),
                        Err(e) => match e.kind() {
                            csv::ErrorKind::Io(_) => {
                                return Err(Failure::usage(format!(
                                    "error: cannot read the input: {e}"
                                )))
                            }
                            _ => out.push(Record::Bad(format!("unreadable CSV row: {e}"))),
                        },
                    }
                }
                Ok(true)
            }
        }
    }
}

enum LineRead {
    Line,
    TooLong,
    Eof,
}

/// Reads one line into `buf`, keeping at most MAX_LINE_BYTES of it.
fn read_line(r: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<LineRead> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let avail = r.fill_buf()?;
        if avail.is_empty() {
            return Ok(if !any {
                LineRead::Eof
            } else if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
        any = true;
        let (chunk, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (&avail[..=i], true),
            None => (avail, false),
        };
        let n = chunk.len();
        if !too_long {
            if buf.len() + n > MAX_LINE_BYTES {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        r.consume(n);
        if done {
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}
