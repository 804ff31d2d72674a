//! The agreement text of a span on one line, without comments: how
//! explanations and diffs quote a rule.

use super::lexer::Kind;
use crate::diagnostic::Span;

/// The source text of a span, on one line, without comments.
pub(crate) fn snippet(source: &str, span: Span) -> String {
    let text = source.get(span.start..span.end).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    for t in super::lexer::tokens(text) {
        match t.kind {
            // Whitespace and comments collapse to one space between tokens.
            Kind::Space | Kind::Comment => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ => out.push_str(&text[t.start..t.end]),
        }
    }
    out.trim_end().to_string()
}
