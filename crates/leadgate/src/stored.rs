//! A compiled agreement as bytes (`leadgate compile -o agreement.lgc`):
//! what a front can load and score with without parsing or checking the
//! agreement again. The bytes are versioned and checksummed, carry the
//! agreement's text and fingerprint, and are checked when read: a file of
//! another format version, a damaged file or one whose program refers to
//! fields, scores or rules it does not have is an error, never a panic or
//! a wrong decision.
//!
//! Layout: `LGC\0`, the format version (u32, little-endian), the FNV-1a
//! hash of the payload (u64, little-endian), then the payload (postcard):
//! the fingerprint, the text, the compiled program and the warnings.

use std::sync::Arc;

use crate::compile::Program;
use crate::compiled::{fnv1a, Compiled};
use crate::diagnostic::Diagnostic;
use crate::Agreement;

/// The first bytes of a compiled agreement.
pub const MAGIC: &[u8; 4] = b"LGC\0";

/// The format version this build writes and reads. Changed whenever the
/// compiled program's layout changes; a file of another version is
/// refused with [`LoadError::Version`], and is compiled again from its
/// agreement text. Version 2 stores each regex's NFA beside its pattern,
/// for a runtime without the regex compiler (version 1: the pattern only).
pub const FORMAT_VERSION: u32 = 2;

const HEADER: usize = 16;

/// The most bytes a compiled agreement may have (64 MiB): the largest
/// agreement text and its program take a fraction of it. Fronts read at
/// most this many bytes (and one more) of a file.
pub const MAX_COMPILED_BYTES: usize = 64 << 20;

/// Why bytes could not be loaded as a compiled agreement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// The bytes do not start as a compiled agreement does.
    #[error("not a compiled agreement (a .lgc file starts with \"LGC\"): compile the agreement with `leadgate compile AGREEMENT -o FILE.lgc`")]
    #[diagnostic(code(leadgate::load::not_compiled))]
    NotCompiled,
    /// Written in another format version.
    #[error("the compiled agreement is of format version {found}, this leadgate reads version {supported}: compile the agreement again with this version")]
    #[diagnostic(code(leadgate::load::version))]
    Version {
        /// The file's version.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// The bytes are damaged (cut short, changed) or inconsistent.
    #[error("the compiled agreement is damaged: {0}")]
    #[diagnostic(code(leadgate::load::damaged))]
    Damaged(String),
}

impl LoadError {
    /// A stable name of the kind: `not_compiled`, `version` or `damaged`.
    pub fn kind(&self) -> &'static str {
        match self {
            LoadError::NotCompiled => "not_compiled",
            LoadError::Version { .. } => "version",
            LoadError::Damaged(_) => "damaged",
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    fingerprint: String,
    source: String,
    program: Program,
    warnings: Vec<Diagnostic>,
}

impl Agreement {
    /// The compiled agreement as bytes, for [`Agreement::from_compiled`]
    /// (the `.lgc` files of `leadgate compile`): loading them skips
    /// parsing and checking, and gives the same decisions.
    ///
    /// ```
    /// let a = leadgate::Agreement::compile(
    ///     "agreement \"a\"\nfields { size : number }\nscore s { +10 \"Big\" when size > 100 }\n\
    ///      route { sales \"Big lead\" when s >= 10\n nurture otherwise }\n",
    /// )?;
    /// let bytes = a.to_compiled();
    /// let b = leadgate::Agreement::from_compiled(&bytes)?;
    /// let opts = leadgate::ScoreOptions::now();
    /// let lead = r#"{"size": 500}"#;
    /// assert_eq!(b.score_json(lead, &opts).to_json(), a.score_json(lead, &opts).to_json());
    /// assert_eq!(b.fingerprint(), a.fingerprint());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_compiled(&self) -> Vec<u8> {
        let compiled = self.compiled();
        let stored = StoredRef {
            fingerprint: &compiled.fingerprint,
            source: compiled.source(),
            program: &compiled.program,
            warnings: &compiled.warnings,
        };
        // Writing to memory fails only for types postcard cannot write,
        // which these are not; an empty payload would fail to load.
        let payload = postcard::to_allocvec(&stored).unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Loads a compiled agreement written by [`Agreement::to_compiled`] of
    /// a build of the same format version ([`FORMAT_VERSION`]).
    pub fn from_compiled(bytes: &[u8]) -> Result<Agreement, LoadError> {
        if !bytes.starts_with(MAGIC) {
            return Err(LoadError::NotCompiled);
        }
        if bytes.len() > MAX_COMPILED_BYTES {
            return Err(LoadError::Damaged(format!(
                "it is larger than {} MiB",
                MAX_COMPILED_BYTES >> 20
            )));
        }
        let word = |at: usize| bytes.get(at..at + 8);
        let version = word(4)
            .and_then(|w| w.get(..4)?.try_into().ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| LoadError::Damaged("it is cut short".into()))?;
        if version != FORMAT_VERSION {
            return Err(LoadError::Version {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let sum = word(8)
            .and_then(|w| w.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| LoadError::Damaged("it is cut short".into()))?;
        let payload = bytes.get(HEADER..).unwrap_or_default();
        if fnv1a(payload) != sum {
            return Err(LoadError::Damaged(
                "its checksum does not match its contents (the file is cut short or was changed)"
                    .into(),
            ));
        }
        let mut stored: Stored =
            postcard::from_bytes(payload).map_err(|e| LoadError::Damaged(e.to_string()))?;
        stored.program.model.regex_bytes =
            crate::valid::check(&stored.program).map_err(LoadError::Damaged)?;
        let compiled = Compiled::new(stored.program, stored.warnings, &stored.source);
        if compiled.fingerprint != stored.fingerprint {
            return Err(LoadError::Damaged(
                "its fingerprint is not its agreement text's".into(),
            ));
        }
        Ok(Agreement::from_inner(Arc::new(compiled)))
    }
}

/// [`Stored`], borrowed, to write.
#[derive(serde::Serialize)]
struct StoredRef<'a> {
    fingerprint: &'a str,
    source: &'a str,
    program: &'a Program,
    warnings: &'a [Diagnostic],
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn agreement() -> Agreement {
        let text = r#"agreement "t" version "2"
fields {
  ref   : text id from "id"
  title : text
  size  : number from "Company Size"
  seen  : date
  tags  : list
  paid  : bool
}
list big = ["acme", "globex"]
score fit {
  +20 "Leader"   when title matches /\b(vp|head|chief)\b/i
  +(size / 100) up to 30 "Size" when size > 0
  +5 "Tagged"    when tags contains "vip"
  +3 "Big"       when title in big or title is missing
  -5 "Unpaid"    when not paid
}
grade tier {
  hot  when fit >= 20
  cold otherwise
}
route {
  sales within 1h "Hot" when tier is hot and seen within 30d
  telemarketing "Maybe" when potential(fit) >= 20
  nurture otherwise
}
"#;
        Agreement::compile(text).unwrap()
    }

    #[test]
    fn loads_what_it_wrote_and_decides_the_same() {
        let a = agreement();
        let b = Agreement::from_compiled(&a.to_compiled()).unwrap();
        assert_eq!(b.fingerprint(), a.fingerprint());
        assert_eq!(b.source(), a.source());
        assert_eq!(b.name(), "t");
        let opts = crate::ScoreOptions::at(crate::Timestamp::parse("2026-11-23").unwrap());
        for lead in [
            r#"{"id": "1", "title": "VP Sales", "Company Size": 900, "seen": "2026-11-20", "tags": ["vip"], "paid": true}"#,
            r#"{"id": "2", "title": "Engineer", "Company Size": "x"}"#,
            r#"{"id": "3", "paid": "no", "seen": "2025-01-01"}"#,
            r#"[1]"#,
        ] {
            assert_eq!(
                b.score_json(lead, &opts).to_json(),
                a.score_json(lead, &opts).to_json()
            );
            let (x, y) = (
                a.bind_json(lead, opts.bad_values()),
                b.bind_json(lead, opts.bad_values()),
            );
            assert_eq!(
                b.explain(0, &y, &opts).text(),
                a.explain(0, &x, &opts).text()
            );
        }
    }

    /// An agreement without fields (its rules constant) is an agreement.
    #[test]
    fn an_agreement_without_fields_loads() {
        let a = Agreement::compile(
            "agreement \"a\"\nfields { }\nscore s { +1 \"r\" when true }\nroute { nurture otherwise }\n",
        )
        .unwrap();
        let b = Agreement::from_compiled(&a.to_compiled()).unwrap();
        let opts = crate::ScoreOptions::now();
        assert_eq!(
            b.score_json("{}", &opts).to_json(),
            a.score_json("{}", &opts).to_json()
        );
    }

    #[test]
    fn refuses_other_bytes_versions_and_damage() {
        let bytes = agreement().to_compiled();
        assert_eq!(
            Agreement::from_compiled(b"agreement \"x\"").unwrap_err(),
            LoadError::NotCompiled
        );
        let mut other = bytes.clone();
        other[4] = 9;
        assert_eq!(
            Agreement::from_compiled(&other).unwrap_err(),
            LoadError::Version {
                found: 9,
                supported: FORMAT_VERSION
            }
        );
        assert!(Agreement::from_compiled(&other)
            .unwrap_err()
            .to_string()
            .contains("compile the agreement again"));
        for cut in [3, 6, 12, 16, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                matches!(
                    Agreement::from_compiled(&bytes[..cut]),
                    Err(LoadError::Damaged(_) | LoadError::NotCompiled)
                ),
                "cut at {cut}"
            );
        }
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        assert_eq!(
            Agreement::from_compiled(&flipped).unwrap_err().to_string(),
            "the compiled agreement is damaged: its checksum does not match its contents (the file is cut short or was changed)"
        );
    }

    /// A range whose bound is NaN (a crafted file with a matching
    /// checksum) is refused, the bound named as written.
    #[test]
    fn refuses_a_nan_range_by_name() {
        let a = Agreement::compile(
            "agreement \"a\"\nfields { n : number }\nscore s {\n  +1 \"r\" when n > 1\n  range 0 to 12345.5\n}\nroute { nurture otherwise }\n",
        )
        .unwrap();
        let mut bytes = a.to_compiled();
        let hi = 12345.5f64.to_le_bytes();
        let at = bytes.windows(8).position(|w| w == hi).unwrap();
        bytes[at..at + 8].copy_from_slice(&f64::NAN.to_le_bytes());
        let sum = fnv1a(&bytes[16..]);
        bytes[8..16].copy_from_slice(&sum.to_le_bytes());
        assert_eq!(
            Agreement::from_compiled(&bytes).unwrap_err(),
            LoadError::Damaged("score 0 has the range 0 to NaN".into())
        );
    }

    proptest::proptest! {
        /// Damage with a matching checksum (a crafted file) is caught by the
        /// checks of the program, or loads an agreement that scores without
        /// a panic.
        #[test]
        fn crafted_bytes_never_panic(at in 16usize..4096, byte in 0u8..=255) {
            let mut bytes = agreement().to_compiled();
            let at = 16 + at % (bytes.len() - 16);
            bytes[at] = byte;
            let sum = fnv1a(&bytes[16..]);
            bytes[8..16].copy_from_slice(&sum.to_le_bytes());
            if let Ok(a) = Agreement::from_compiled(&bytes) {
                let opts = crate::ScoreOptions::at(crate::Timestamp::parse("2026-11-23").unwrap());
                let d = a.score_json(r#"{"id": "1", "title": "VP", "Company Size": 500, "seen": "2026-11-01", "tags": ["vip"], "paid": false}"#, &opts);
                let _ = d.to_json();
                let lead = a.bind_json(r#"{"title": "x"}"#, opts.bad_values());
                let _ = a.explain(0, &lead, &opts).text();
            }
        }
    }
}
