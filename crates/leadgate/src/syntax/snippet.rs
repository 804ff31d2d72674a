//! The agreement text of a span on one line, without comments: how
//! explanations and diffs quote a rule.

use crate::diagnostic::Span;

/// The source text of a span, on one line, without comments.
pub(crate) fn snippet(source: &str, span: Span) -> String {
    let text = source.get(span.start..span.end).unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_string, mut in_regex) = (false, false);
    while let Some(c) = chars.next() {
        if in_string || in_regex {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if (in_string && c == '"') || (in_regex && (c == '/' || c == '\n')) {
                in_string = false;
                in_regex = false;
            }
            continue;
        }
        match c {
            '#' => {
                // A comment: skip to the end of the line.
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push(' ');
                        break;
                    }
                }
            }
            '"' => {
                in_string = true;
                out.push(c);
            }
            '/' if out.trim_end().ends_with("matches") => {
                in_regex = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // Collapse whitespace outside strings and regexes (they rarely hold runs of it).
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
