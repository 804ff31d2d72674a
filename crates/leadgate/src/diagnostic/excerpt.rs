//! The source lines shown under a diagnostic, cut to a bounded width around
//! its span, so that a diagnostic on a 200 MB line prints a few hundred
//! bytes, not the line. Every renderer uses it (the plain one here, miette
//! in the CLI, the Python and wasm bindings through [`Diagnostic::render`]),
//! so they all show the same window.

use super::{Diagnostic, Span};

/// Most characters of a source line shown under a diagnostic.
pub const EXCERPT_WIDTH: usize = 200;
/// Most lines of a multi-line span shown (the span is cut after them).
pub const EXCERPT_SPAN_LINES: usize = 8;

/// Source lines around a diagnostic, each cut to the same window of at
/// most [`EXCERPT_WIDTH`] characters, which holds the start of the span.
/// Lines no wider than the window (nearly all) are shown whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The lines, without their line ends (`\n` or `\r\n`), joined by `\n`.
    pub text: String,
    /// 1-based line number of the first line of `text`.
    pub first_line: usize,
    /// 1-based column, in characters, of the first character of the window
    /// in the source (1 unless long lines were cut at the start).
    pub first_column: usize,
    /// The diagnostic's span in `text` (byte offsets), cut to the window.
    pub span: Span,
}

/// The byte range of the line starting at `start`, without its line end.
fn line_range(source: &str, start: usize) -> std::ops::Range<usize> {
    let end = source[start..]
        .find('\n')
        .map(|i| start + i)
        .unwrap_or(source.len());
    let end = if source[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// The byte offset of the `n`th character of `line` (or its length).
fn char_offset(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

/// The start of the line holding `offset` (a character boundary).
fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The start of the line after the one starting at `start`, if any.
fn next_line(source: &str, start: usize) -> Option<usize> {
    source[start..].find('\n').map(|i| start + i + 1)
}

impl Diagnostic {
    /// The lines of the span (at most [`EXCERPT_SPAN_LINES`]) with `before`
    /// lines above and `after` below, cut to the window around the span.
    pub(crate) fn excerpt(&self, source: &str, before: usize, after: usize) -> Excerpt {
        let floor = super::floor_char_boundary;
        let start = floor(source, self.span.start.min(source.len()));
        let end = floor(source, self.span.end.clamp(start, source.len()));
        let first = line_start(source, start);
        let last = line_start(source, end);
        // The window: from column 0 unless the span starts far to the right.
        let column = source[first..start].chars().count();
        let skip = if column < EXCERPT_WIDTH - EXCERPT_WIDTH / 4 {
            0
        } else {
            column - EXCERPT_WIDTH / 4
        };
        let mut starts = Vec::new();
        let mut top = first;
        while starts.len() < before && top > 0 {
            top = line_start(source, top - 1);
            starts.push(top);
        }
        starts.reverse();
        let above = starts.len();
        let mut at = Some(first);
        while let Some(s) = at {
            starts.push(s);
            if s >= last || starts.len() - above >= EXCERPT_SPAN_LINES {
                break;
            }
            at = next_line(source, s);
        }
        let span_end_line = starts.last().copied().unwrap_or(first);
        // No lines after a span that was cut: they would be inside it.
        let after = if span_end_line == last { after } else { 0 };
        let mut at = next_line(source, span_end_line);
        for _ in 0..after {
            match at {
                Some(s) => {
                    starts.push(s);
                    at = next_line(source, s);
                }
                None => break,
            }
        }
        let mut text = String::new();
        let mut span = Span::new(0, 0);
        for (i, &s) in starts.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let range = line_range(source, s);
            let line = &source[range.clone()];
            let from = char_offset(line, skip);
            let to = from + char_offset(&line[from..], EXCERPT_WIDTH);
            let (lo, hi) = (range.start + from, range.start + to);
            // A source offset on this line, as an offset in `text`.
            let map = |offset: usize| text.len() + offset.clamp(lo, hi) - lo;
            if s == first {
                span.start = map(start);
            }
            if s == span_end_line {
                span.end = if s == last { map(end) } else { map(hi) };
            }
            text.push_str(&line[from..to]);
        }
        span.end = span.end.min(text.len());
        Excerpt {
            text,
            first_line: self.line.saturating_sub(above).max(1),
            first_column: skip + 1,
            span,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn diag(source: &str, start: usize, end: usize) -> Diagnostic {
        let (line, column) = crate::diagnostic::line_col(source, start);
        Diagnostic {
            code: crate::Code::Syntax,
            severity: Severity::Error,
            message: "m".into(),
            span: Span::new(start, end),
            line,
            column,
            help: None,
        }
    }

    #[test]
    fn short_lines_are_shown_whole_with_context() {
        let src = "one\r\ntwo x three\nfour\nfive";
        let d = diag(src, 9, 10);
        let e = d.excerpt(src, 1, 1);
        assert_eq!(e.text, "one\ntwo x three\nfour");
        assert_eq!((e.first_line, e.first_column), (1, 1));
        assert_eq!(&e.text[e.span.start..e.span.end], "x");
        let e = d.excerpt(src, 0, 0);
        assert_eq!(e.text, "two x three");
        // The last line, without a line end after it.
        let e = diag(src, src.len(), src.len()).excerpt(src, 1, 1);
        assert_eq!(e.text, "four\nfive");
        assert_eq!(e.span, Span::new(9, 9));
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let mut src = "é".repeat(3_000_000);
        let at = src.len();
        src.push_str("ERR");
        src.push_str(&"x".repeat(5_000_000));
        let d = diag(&src, at, at + 3);
        let e = d.excerpt(&src, 1, 1);
        assert_eq!(e.text.chars().count(), EXCERPT_WIDTH);
        assert_eq!(&e.text[e.span.start..e.span.end], "ERR");
        assert_eq!(e.first_column, 3_000_000 - EXCERPT_WIDTH / 4 + 1);
        assert_eq!(
            e.first_column + e.text[..e.span.start].chars().count(),
            d.column
        );
        let shown = d.render(&src, "a.lead");
        assert!(shown.len() < 1000, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[4].chars().position(|c| c == '^').unwrap();
        let under: String = lines[3].chars().skip(caret).take(3).collect();
        assert_eq!(under, "ERR", "{shown}");
        assert!(lines[4].ends_with(" ^^^"));
        // At the start of a long line: the first characters.
        let d = diag(&src, 0, 0);
        let e = d.excerpt(&src, 0, 0);
        assert_eq!((e.first_column, e.span), (1, Span::new(0, 0)));
        assert_eq!(e.text.chars().count(), EXCERPT_WIDTH);
    }

    #[test]
    fn a_span_over_many_lines_is_cut_after_a_few() {
        let src = "a\n".repeat(100);
        let d = diag(&src, 2, src.len());
        let e = d.excerpt(&src, 1, 1);
        assert_eq!(e.text.lines().count(), 1 + EXCERPT_SPAN_LINES);
        assert_eq!(e.first_line, 1);
        assert_eq!((e.span.start, e.span.end), (2, e.text.len()));
        // A span that ends with a line end takes in the next line's start
        // (as miette shows it).
        let d = diag(&src, 2, 4);
        let e = d.excerpt(&src, 0, 0);
        assert_eq!((e.text.as_str(), e.span), ("a\na", Span::new(0, 2)));
    }
}
