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
/// Largest CSV record (the bytes of all its fields) accepted; a longer one
/// becomes a lead error in its place, and memory stays bounded.
pub const MAX_CSV_RECORD_BYTES: usize = MAX_LINE_BYTES;
/// Most fields in one CSV record.
pub const MAX_CSV_FIELDS: usize = 1 << 20;
/// A chunk of records stops growing past this many bytes, so that many
/// long records do not add up (records per chunk are bounded separately).
/// The decisions of a chunk are bounded too (`score::chunk_len`).
pub const MAX_CHUNK_BYTES: usize = 64 * 1024 * 1024;

/// Records larger than this are not kept for reuse (memory stays flat).
const RECYCLE_BYTES: usize = 64 * 1024;

/// The memory a CSV record holds: its bytes and the end of every field (a
/// row of 100,000 empty fields holds 800 KB, not 0).
fn record_bytes(rec: &csv::ByteRecord) -> usize {
    rec.as_slice().len() + rec.len() * std::mem::size_of::<usize>()
}

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
        reader: Box<CsvRecords>,
        header: csv::ByteRecord,
        /// Records handed back by [`Source::recycle`], read into again.
        spare: Vec<csv::ByteRecord>,
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
    delimiter: u8,
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
    let reader = decode(path, reader)?;
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
            let mut reader = Box::new(CsvRecords::with_delimiter(
                Box::new(BufReader::with_capacity(1 << 16, reader)),
                delimiter,
            ));
            let header = match reader.read() {
                Ok(CsvRead::Record(h)) => h,
                Ok(CsvRead::Eof) => csv::ByteRecord::new(),
                Ok(CsvRead::TooLong(why)) => {
                    return Err(Failure::usage(format!(
                        "error: cannot read the CSV header of {path}: {why}"
                    )))
                }
                Err(e) => {
                    return Err(Failure::usage(format!(
                        "error: cannot read the CSV header of {path}: {e}"
                    )))
                }
            };
            Ok(Source::Csv {
                reader,
                header,
                spare: Vec::new(),
            })
        }
    }
}

/// Reads the first bytes of an input for a byte order mark: UTF-16 (Excel's
/// "Unicode text", LE or BE) is decoded to UTF-8 as it is read (an unpaired
/// surrogate becomes U+FFFD); UTF-32 is refused with a clear error. Any
/// other input is passed through as it is (a UTF-8 BOM is skipped later).
fn decode(path: &str, mut reader: Box<dyn Read + Send>) -> Result<Box<dyn Read + Send>, Failure> {
    let mut head = Vec::with_capacity(4);
    (&mut reader)
        .take(4)
        .read_to_end(&mut head)
        .map_err(|e| Failure::usage(format!("error: cannot read {path}: {e}")))?;
    let utf32 = head == [0xFF, 0xFE, 0, 0] || head == [0, 0, 0xFE, 0xFF];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    let reader = std::io::Cursor::new(head).chain(reader);
    if utf32 {
        Err(Failure::usage(format!(
            "error: {path} is UTF-32 text (it starts with a UTF-32 byte order mark): save it as UTF-8 or UTF-16"
        )))
    } else if utf16 {
        Ok(Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .strip_bom(true)
                .build(reader),
        ))
    } else {
        Ok(Box::new(reader))
    }
}

impl Source {
    /// Takes back the records of a chunk that has been scored, so that the
    /// next chunk is read into their buffers (CSV; other records are dropped).
    pub fn recycle(&mut self, records: &mut Vec<Record>) {
        if let Source::Csv { spare, .. } = self {
            spare.extend(records.drain(..).filter_map(|r| match r {
                Record::Csv(rec) if record_bytes(&rec) <= RECYCLE_BYTES => Some(rec),
                _ => None,
            }));
        } else {
            records.clear();
        }
    }

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
                let mut bytes = 0usize;
                while out.len() < max && bytes < MAX_CHUNK_BYTES {
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
                            let line = buf.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&buf);
                            if line.iter().all(u8::is_ascii_whitespace) {
                                continue;
                            }
                            bytes += line.len();
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
            Source::Csv { reader, spare, .. } => {
                let mut bytes = 0usize;
                while out.len() < max && bytes < MAX_CHUNK_BYTES {
                    match reader.read_into(spare.pop().unwrap_or_default()) {
                        Ok(CsvRead::Record(rec)) => {
                            bytes += record_bytes(&rec);
                            out.push(Record::Csv(rec));
                        }
                        Ok(CsvRead::TooLong(why)) => out.push(Record::Bad(why)),
                        Ok(CsvRead::Eof) => return Ok(false),
                        Err(e) => {
                            return Err(Failure::usage(format!(
                                "error: cannot read the input: {e}"
                            )))
                        }
                    }
                }
                Ok(true)
            }
        }
    }
}

impl Source {
    /// Hands the input to `f` chunk by chunk (up to `max` records each), in
    /// order. With `read_ahead`, a second thread reads (and parses) the next
    /// chunk while `f` works on the current one; at most two chunks wait, so
    /// memory stays bounded.
    pub fn for_each_chunk(
        mut self,
        max: usize,
        read_ahead: bool,
        mut f: impl FnMut(&[Record]) -> Result<(), Failure>,
    ) -> Result<(), Failure> {
        if !read_ahead {
            let mut records = Vec::with_capacity(max);
            loop {
                self.recycle(&mut records);
                let more = self.next_chunk(max, &mut records)?;
                f(&records)?;
                if !more {
                    return Ok(());
                }
            }
        }
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<(Vec<Record>, bool), Failure>>(1);
            // Emptied chunks go back to the reader, which drops their records
            // off this thread.
            let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<Record>>();
            scope.spawn(move || loop {
                let mut records = match back_rx.try_recv() {
                    Ok(mut old) => {
                        self.recycle(&mut old);
                        old
                    }
                    Err(_) => Vec::with_capacity(max),
                };
                let read = self.next_chunk(max, &mut records);
                let more = matches!(read, Ok(true));
                if tx.send(read.map(|more| (records, more))).is_err() || !more {
                    return;
                }
            });
            for chunk in rx {
                let (records, more) = chunk?;
                f(&records)?;
                let _ = back_tx.send(records);
                if !more {
                    break;
                }
            }
            Ok(())
        })
    }
}

enum LineRead {
    Line,
    TooLong,
    Eof,
}

/// Reads one line into `buf`, without its line end (`\n`, `\r\n` or a lone
/// `\r`, as in CSV), keeping at most MAX_LINE_BYTES of it. A raw CR cannot
/// be inside a JSON string, only between tokens.
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
        let (n, end) = match memchr::memchr2(b'\n', b'\r', avail) {
            Some(i) => (i, avail.get(i).copied()),
            None => (avail.len(), None),
        };
        if !too_long {
            if buf.len() + n > MAX_LINE_BYTES {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&avail[..n]);
            }
        }
        r.consume(n + usize::from(end.is_some()));
        if let Some(end) = end {
            // CR LF is one line end.
            if end == b'\r' && r.fill_buf()?.first() == Some(&b'\n') {
                r.consume(1);
            }
            return Ok(if too_long {
                LineRead::TooLong
            } else {
                LineRead::Line
            });
        }
    }
}

/// A CSV reader with bounded memory: records are split by `csv_core` (the
/// parser inside the `csv` crate, with the same defaults: `,`, `"` quotes
/// doubled to escape, CR / LF / CRLF terminators, a UTF-8 BOM skipped, empty
/// lines skipped, rows of any length), but a record longer than
/// [`MAX_CSV_RECORD_BYTES`] or with more than [`MAX_CSV_FIELDS`] fields is
/// skipped to its end and reported in its place instead of being buffered.
pub struct CsvRecords {
    input: Box<dyn BufRead + Send>,
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
}

pub enum CsvRead {
    Record(csv::ByteRecord),
    /// A record too large to keep, with the reason; the input continues after it.
    TooLong(String),
    Eof,
}

impl CsvRecords {
    #[cfg(test)]
    pub fn new(input: Box<dyn BufRead + Send>) -> Self {
        Self::with_delimiter(input, b',')
    }

    /// Records separated by `delimiter` (`,` or `;` or a tab, …).
    pub fn with_delimiter(input: Box<dyn BufRead + Send>, delimiter: u8) -> Self {
        CsvRecords {
            input,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// Reads the next record.
    pub fn read(&mut self) -> std::io::Result<CsvRead> {
        self.read_into(csv::ByteRecord::new())
    }

    /// Reads the next record into `rec` (cleared first; its buffers are
    /// reused, so that reading allocates nothing once records are recycled).
    pub fn read_into(&mut self, mut rec: csv::ByteRecord) -> std::io::Result<CsvRead> {
        use csv_core::ReadRecordResult as R;
        let (mut nout, mut nend) = (0usize, 0usize);
        let mut too_long: Option<String> = None;
        loop {
            let input = self.input.fill_buf()?;
            let (res, nin, o, e) =
                self.core
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            self.input.consume(nin);
            nout += o;
            nend += e;
            match res {
                R::InputEmpty => {}
                R::OutputFull => {
                    if self.out.len() >= MAX_CSV_RECORD_BYTES {
                        // Keep reading to the end of the record, dropping its bytes.
                        too_long.get_or_insert_with(|| {
                            format!(
                                "the CSV row is longer than {} MiB",
                                MAX_CSV_RECORD_BYTES / (1024 * 1024)
                            )
                        });
                        nout = 0;
                    } else {
                        let len = (self.out.len() * 2).min(MAX_CSV_RECORD_BYTES);
                        self.out.resize(len, 0);
                    }
                }
                R::OutputEndsFull => {
                    if self.ends.len() >= MAX_CSV_FIELDS {
                        too_long.get_or_insert_with(|| {
                            format!("the CSV row has more than {MAX_CSV_FIELDS} fields")
                        });
                        nend = 0;
                    } else {
                        let len = (self.ends.len() * 2).min(MAX_CSV_FIELDS);
                        self.ends.resize(len, 0);
                    }
                }
                R::Record => {
                    if let Some(why) = too_long {
                        return Ok(CsvRead::TooLong(why));
                    }
                    rec.clear();
                    let mut start = 0;
                    for &end in &self.ends[..nend] {
                        rec.push_field(self.out.get(start..end).unwrap_or_default());
                        start = end;
                    }
                    return Ok(CsvRead::Record(rec));
                }
                R::End => return Ok(CsvRead::Eof),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bounded(input: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut r = CsvRecords::new(Box::new(std::io::Cursor::new(input.to_vec())));
        let mut out = Vec::new();
        loop {
            match r.read() {
                Ok(CsvRead::Record(rec)) => out.push(rec.iter().map(<[u8]>::to_vec).collect()),
                Ok(CsvRead::TooLong(why)) => out.push(vec![why.into_bytes()]),
                Ok(CsvRead::Eof) | Err(_) => return out,
            }
        }
    }

    fn reference(input: &[u8]) -> Vec<Vec<Vec<u8>>> {
        csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(input)
            .byte_records()
            .map_while(Result::ok)
            .map(|rec| rec.iter().map(<[u8]>::to_vec).collect())
            .collect()
    }

    /// The bounded reader splits records exactly as the csv crate does.
    #[test]
    fn csv_records_match_the_csv_crate() {
        let alphabet: &[&[u8]] = &[
            b"a",
            b"b",
            b",",
            b",",
            b"\"",
            b"\"",
            b"\r",
            b"\n",
            b"\r\n",
            b" ",
            b"\xef\xbb\xbf",
            b"\xff",
            b"#",
            b"\t",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..2_000 {
            let len = (next() % 40) as usize;
            let mut input = Vec::new();
            for _ in 0..len {
                input.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
            }
            assert_eq!(
                bounded(&input),
                reference(&input),
                "case {case}: {:?}",
                String::from_utf8_lossy(&input)
            );
        }
    }

    /// `\n`, `\r\n` and a lone `\r` end a JSON line, also when a CR LF is
    /// split between two reads.
    #[test]
    fn json_lines_end_at_lf_crlf_or_cr() {
        let input = b"a\rb\r\nc\n\rd\r".to_vec();
        for capacity in [1, 2, 3, 64] {
            let mut r = BufReader::with_capacity(capacity, std::io::Cursor::new(input.clone()));
            let mut lines = Vec::new();
            let mut buf = Vec::new();
            while let LineRead::Line = read_line(&mut r, &mut buf).unwrap() {
                lines.push(String::from_utf8(buf.clone()).unwrap());
                buf.clear();
            }
            assert_eq!(lines, ["a", "b", "c", "", "d"], "capacity {capacity}");
        }
    }

    /// A record's memory counts the end of each of its fields: a chunk of
    /// rows of 100,000 empty fields stops at 64 MiB of them.
    #[test]
    fn chunks_of_rows_of_empty_fields_are_bounded_by_memory() {
        let mut input = Vec::new();
        for _ in 0..200 {
            input.resize(input.len() + 100_000, b',');
            input.push(b'\n');
        }
        let reader = CsvRecords::new(Box::new(std::io::Cursor::new(input)));
        let mut source = Source::Csv {
            reader: Box::new(reader),
            header: csv::ByteRecord::new(),
            spare: Vec::new(),
        };
        let mut chunk = Vec::new();
        assert!(source.next_chunk(8192, &mut chunk).unwrap());
        let held: usize = chunk
            .iter()
            .map(|r| match r {
                Record::Csv(rec) => record_bytes(rec),
                _ => 0,
            })
            .sum();
        assert!(chunk.len() < 100, "{} rows", chunk.len());
        assert!(held <= MAX_CHUNK_BYTES + 800_008, "{held}");
        // Such rows are not kept for reuse either.
        source.recycle(&mut chunk);
        assert!(matches!(&source, Source::Csv { spare, .. } if spare.is_empty()));
    }

    #[test]
    fn a_long_record_is_reported_in_its_place() {
        let mut input = b"a,b\n\"".to_vec();
        input.resize(input.len() + MAX_CSV_RECORD_BYTES + 10, b'x');
        input.extend_from_slice(b"\",\"\n\"\nc,d\n");
        let got = bounded(&input);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0], [b"a".to_vec(), b"b".to_vec()]);
        assert_eq!(got[1], [b"the CSV row is longer than 16 MiB".to_vec()]);
        assert_eq!(got[2], [b"c".to_vec(), b"d".to_vec()]);
    }
}
