//! What a compiled agreement shares with every decision it makes: the
//! program, the constant parts of the decision JSON, the warnings and the
//! source text.

use crate::bind::{LeadBuilder, OnBadValue};
use crate::canonical::JsonParts;
use crate::check::Model;
use crate::compile::Program;
use crate::diagnostic::Diagnostic;

/// FNV-1a, 64 bits: the fingerprint of a source text, and the checksum of a
/// compiled agreement's bytes (`stored`).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) program: Program,
    /// The constant parts of decision JSON, rendered once.
    pub(crate) json: JsonParts,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) source: std::sync::Arc<str>,
    /// Byte offsets of line starts, to report example lines.
    line_starts: Vec<usize>,
    /// FNV-1a of the source text, in hex: the same for the same text on
    /// every front and machine.
    pub(crate) fingerprint: String,
}

impl Compiled {
    pub(crate) fn new(program: Program, warnings: Vec<Diagnostic>, source: &str) -> Compiled {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let json = JsonParts::new(&program.model);
        let fingerprint = format!("{:016x}", fnv1a(source.as_bytes()));
        Compiled {
            fingerprint,
            program,
            json,
            warnings,
            source: source.into(),
            line_starts,
        }
    }

    pub(crate) fn model(&self) -> &Model {
        &self.program.model
    }

    pub(crate) fn source(&self) -> &str {
        &self.source
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    pub(crate) fn lead_builder(&self, on_bad_value: OnBadValue) -> LeadBuilder<'_> {
        LeadBuilder::new(&self.program, on_bad_value)
    }
}
