//! Bounds checked before the recursive-descent parser runs, so that no text
//! can exhaust the stack: agreement size, bracket nesting, runs of prefix
//! operators.

use super::lexer::Kind;
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
    let mut depth = 0usize;
    let mut run = 0usize;
    for t in super::lexer::tokens(source) {
        let text = &source[t.start..t.end];
        match t.kind {
            Kind::Comment | Kind::Space => continue,
            Kind::Str | Kind::Regex => run = 0,
            Kind::Word => {
                if text == "not" {
                    run += 1;
                } else {
                    run = 0;
                }
            }
            Kind::Punct => match text {
                "(" | "[" | "{" => {
                    depth += 1;
                    run += 1;
                    if depth > MAX_NESTING {
                        sink.error(
                            codes::LIMIT,
                            Span::new(t.start, t.end),
                            format!("brackets nest too deeply: more than {MAX_NESTING} levels"),
                        );
                        return false;
                    }
                }
                ")" | "]" | "}" => {
                    depth = depth.saturating_sub(1);
                    run = 0;
                }
                "-" | "+" | "!" => run += 1,
                _ => run = 0,
            },
        }
        if run > MAX_PREFIX_RUN {
            sink.error(
                codes::LIMIT,
                Span::new(t.start, t.end),
                format!("too many operators in a row: more than {MAX_PREFIX_RUN}"),
            );
            return false;
        }
    }
    true
}
