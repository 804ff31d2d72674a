//! Reading an agreement text from a file or a stream, bounded by the size
//! limit: at most one byte more than [`MAX_AGREEMENT_BYTES`] is read, so a
//! 1 GiB file or `/dev/zero` costs no more than a text at the limit.

use std::io::Read;

use crate::diagnostic::{codes, CompileError, Sink, Span};
use crate::syntax::limits::MAX_AGREEMENT_BYTES;

/// Why an agreement text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The reader failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not an agreement text: over the size limit (E0017) or
    /// not UTF-8 (E0001). `head` is the text read (at most the limit; up to
    /// the end of the line of the first bytes that are not UTF-8, shown as
    /// U+FFFD), to render the diagnostic with.
    #[error("{error}")]
    Invalid {
        /// The text read, to show the diagnostic in.
        head: String,
        /// The diagnostic (E0017 or E0001).
        error: CompileError,
    },
}

/// Reads an agreement text (UTF-8, at most [`MAX_AGREEMENT_BYTES`]) from
/// `reader`, reading at most one byte past the limit.
pub fn read_agreement(reader: impl Read) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_AGREEMENT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    let too_large = bytes.len() > MAX_AGREEMENT_BYTES;
    bytes.truncate(MAX_AGREEMENT_BYTES);
    let (head, bad_utf8) = match String::from_utf8(bytes) {
        Ok(mut text) if !too_large => {
            // (read_to_end grows the buffer by doubling; the text is kept.)
            text.shrink_to_fit();
            return Ok(text);
        }
        Ok(text) => (text, None),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            // A character cut by the limit is not an encoding error.
            let cut = too_large && e.utf8_error().error_len().is_none();
            let bytes = e.into_bytes();
            let (text, rest) = bytes.split_at(valid);
            let mut head = String::from_utf8_lossy(text).into_owned();
            if !cut {
                // The rest of the line, the bad bytes as U+FFFD, to show.
                let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
                head.push_str(&String::from_utf8_lossy(&line[..line.len().min(400)]));
            }
            (head, (!cut).then_some(valid))
        }
    };
    let mut sink = Sink::new(&head);
    match bad_utf8 {
        // The first problem in the text is reported: bytes that are not
        // UTF-8 before the limit, or else the size.
        Some(at) => sink.error(
            codes::SYNTAX,
            Span::new(at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
            format!("the agreement is not valid UTF-8 text (at byte {at})"),
        ),
        None => sink.error(
            codes::LIMIT,
            Span::new(0, 0),
            format!(
                "the agreement is too large: more than the limit of {MAX_AGREEMENT_BYTES} bytes"
            ),
        ),
    }
    let error = CompileError::new(sink.items, &head);
    Err(ReadError::Invalid { head, error })
}

/// What an agreement file holds: its text, or the agreement compiled from
/// it (`leadgate compile`, [`Agreement::to_compiled`](crate::Agreement::to_compiled)).
#[derive(Debug)]
pub enum AgreementFile {
    /// An agreement text, read as [`read_agreement`] reads it.
    Text(String),
    /// The bytes of a compiled agreement, for
    /// [`Agreement::from_compiled`](crate::Agreement::from_compiled) (not
    /// loaded yet: a front may hand them on).
    Compiled(Vec<u8>),
}

/// Reads an agreement file, text or compiled, in one pass (a pipe works
/// too): a text as [`read_agreement`] reads it; bytes that start as a
/// compiled agreement does ([`MAGIC`](crate::MAGIC)) whole, up to
/// [`MAX_COMPILED_BYTES`](crate::limits::MAX_COMPILED_BYTES) and one more
/// (more is refused when they are loaded).
pub fn read_agreement_file(mut reader: impl Read) -> Result<AgreementFile, ReadError> {
    let mut head = Vec::new();
    (&mut reader)
        .take(MAX_AGREEMENT_BYTES as u64 + 1)
        .read_to_end(&mut head)?;
    if !head.starts_with(crate::MAGIC) {
        return read_agreement(&head[..]).map(AgreementFile::Text);
    }
    let left = (crate::limits::MAX_COMPILED_BYTES + 1).saturating_sub(head.len());
    reader.take(left as u64).read_to_end(&mut head)?;
    Ok(AgreementFile::Compiled(head))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn invalid(r: impl Read) -> (String, crate::Diagnostic) {
        match read_agreement(r) {
            Err(ReadError::Invalid { head, error }) => (head, error.diagnostics()[0].clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_texts_and_compiled_agreements() {
        let text = "agreement \"a\"\nfields { n : number }\nscore s { +1 \"r\" when n > 1 }\nroute { nurture otherwise }\n";
        match read_agreement_file(text.as_bytes()).unwrap() {
            AgreementFile::Text(t) => assert_eq!(t, text),
            other => panic!("{other:?}"),
        }
        let bytes = crate::Agreement::compile(text).unwrap().to_compiled();
        match read_agreement_file(&bytes[..]).unwrap() {
            AgreementFile::Compiled(b) => assert_eq!(b, bytes),
            other => panic!("{other:?}"),
        }
        // Past the text limit, a compiled agreement is read on, to its own.
        let mut big = bytes.clone();
        big.resize(MAX_AGREEMENT_BYTES + 10, 0);
        match read_agreement_file(&big[..]).unwrap() {
            AgreementFile::Compiled(b) => assert_eq!(b.len(), MAX_AGREEMENT_BYTES + 10),
            other => panic!("{other:?}"),
        }
        let endless = read_agreement_file(std::io::Read::chain(&bytes[..], std::io::repeat(0)));
        match endless.unwrap() {
            AgreementFile::Compiled(b) => {
                assert_eq!(b.len(), crate::limits::MAX_COMPILED_BYTES + 1);
                assert!(crate::Agreement::from_compiled(&b).is_err());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_texts_up_to_the_limit() {
        assert_eq!(
            read_agreement(&b"agreement \"a\""[..]).unwrap(),
            "agreement \"a\""
        );
        let at_limit = vec![b'#'; MAX_AGREEMENT_BYTES];
        assert_eq!(
            read_agreement(&at_limit[..]).unwrap().len(),
            MAX_AGREEMENT_BYTES
        );
    }

    /// An endless reader (`/dev/zero`) is read to one byte past the limit.
    #[test]
    fn stops_one_byte_past_the_limit() {
        let (head, d) = invalid(std::io::repeat(b'#'));
        assert_eq!(d.code, "E0017");
        assert_eq!(
            d.message,
            "the agreement is too large: more than the limit of 4194304 bytes"
        );
        assert_eq!((d.line, d.column), (1, 1));
        assert_eq!(head.len(), MAX_AGREEMENT_BYTES);
        let mut counted = Counted(std::io::repeat(b'#'), 0);
        let _ = read_agreement(&mut counted);
        assert_eq!(counted.1, MAX_AGREEMENT_BYTES + 1);
    }

    struct Counted<R>(R, usize);
    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(buf)?;
            self.1 += n;
            Ok(n)
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let (head, d) = invalid(&b"agreement \"x\"\nfields { a\xff : text }"[..]);
        assert_eq!(d.code, "E0001");
        assert_eq!(
            d.message,
            "the agreement is not valid UTF-8 text (at byte 24)"
        );
        assert_eq!((d.line, d.column), (2, 11));
        assert_eq!(head, "agreement \"x\"\nfields { a\u{FFFD} : text }");
        assert_eq!(&head[d.span.start..d.span.end], "\u{FFFD}");
        // A character cut by the limit is the size error, not an encoding one.
        let mut big = vec![b'#'; MAX_AGREEMENT_BYTES - 1];
        big.extend_from_slice("é and more".as_bytes());
        assert_eq!(invalid(&big[..]).1.code, "E0017");
        // Bad bytes before the limit are reported first.
        let mut big = vec![b'#'; 10];
        big.push(0xff);
        big.resize(MAX_AGREEMENT_BYTES + 10, b'#');
        assert_eq!(invalid(&big[..]).1.code, "E0001");
    }
}
