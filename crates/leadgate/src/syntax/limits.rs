//! Bounds checked before the recursive-descent parser runs, so that no text
//! can exhaust the stack: agreement size, bracket nesting, runs of prefix
//! operators.

use crate::diagnostic::{codes, Sink, Span};

/// Largest agreement text accepted, in bytes.
pub const MAX_AGREEMENT_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of `(`, `[` and `{`.
pub const MAX_NESTING: usize = 64;
/// Longest run of prefix operators and opening brackets (`not not - (x)`).
pub const MAX_PREFIX_RUN: usize = 64;
/// Deepest expression tree (operators nested in operators).
pub const MAX_EXPR_DEPTH: u32 = 256;
/// Largest compiled regex, in bytes (the regex crate's size limit).
pub const MAX_REGEX_BYTES: usize = 1 << 20;
/// Largest total of an agreement's compiled regexes, in bytes: each may
/// take up to [`MAX_REGEX_BYTES`], and thousands of them would take
/// gigabytes and minutes to compile.
pub const MAX_REGEX_TOTAL_BYTES: usize = 32 << 20;

/// Returns false (after reporting) when the text must not be parsed.
pub(crate) fn prescan(source: &str, sink: &mut Sink<'_>) -> bool {
    if source.len() > MAX_AGREEMENT_BYTES {
        sink.error(
            codes::LIMIT,
            Span::new(0, 0),
            format!(
                "the agreement is too large: {} bytes, the limit is {} bytes",
                source.len(),
                MAX_AGREEMENT_BYTES
            ),
        );
        return false;
    }
    let bytes = source.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    let mut run = 0usize;
    let mut after_matches = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                run = 0;
                after_matches = false;
                continue;
            }
            b'/' if after_matches => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'/' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                run = 0;
                after_matches = false;
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                run += 1;
                if depth > MAX_NESTING {
                    sink.error(
                        codes::LIMIT,
                        Span::new(i, i + 1),
                        format!("brackets nest too deeply: more than {MAX_NESTING} levels"),
                    );
                    return false;
                }
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                run = 0;
            }
            b'-' | b'+' | b'!' => run += 1,
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ if b.is_ascii_alphanumeric() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &source[start..i];
                after_matches = word == "matches";
                if word == "not" {
                    run += 1;
                } else {
                    run = 0;
                }
                if run > MAX_PREFIX_RUN {
                    sink.error(
                        codes::LIMIT,
                        Span::new(start, i),
                        format!("too many operators in a row: more than {MAX_PREFIX_RUN}"),
                    );
                    return false;
                }
                continue;
            }
            _ => run = 0,
        }
        if run > MAX_PREFIX_RUN {
            sink.error(
                codes::LIMIT,
                Span::new(i, i + 1),
                format!("too many operators in a row: more than {MAX_PREFIX_RUN}"),
            );
            return false;
        }
        i += 1;
    }
    true
}
