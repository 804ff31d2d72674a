//! Diagnostics on stderr, rendered by miette (source line, caret, help).
//! miette is handed only the excerpt of the source around each diagnostic
//! (the core's [`leadgate::Excerpt`], the window every front shows), never
//! the whole text: a diagnostic on a 200 MB line prints a few hundred bytes.

use std::io::IsTerminal;

use leadgate::{Diagnostic, Excerpt, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Report, SourceCode, SourceSpan, SpanContents,
};

/// Lines of context above and below a diagnostic's lines (miette's default).
const CONTEXT_LINES: usize = 1;

/// An excerpt as miette's source: line and column numbers are the ones of
/// the whole text.
struct Windowed {
    name: String,
    excerpt: Excerpt,
}

impl SourceCode for Windowed {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.excerpt.text.as_str();
        let inner = text.read_span(span, before, after)?;
        // miette counts columns in bytes of the excerpt; the text's
        // columns are in characters, from the window's first one.
        let at = span.offset().min(text.len());
        let line_start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let column = self.excerpt.first_column - 1
            + text.get(line_start..at).map_or(0, |t| t.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.excerpt.first_line - 1,
            column,
            inner.line_count(),
        )))
    }
}

fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(CONTEXT_LINES)
}

/// `d` for miette, labelled at `span` of the source miette is given.
fn for_miette(d: &Diagnostic, span: leadgate::Span) -> MietteDiagnostic {
    let len = span.end.saturating_sub(span.start);
    MietteDiagnostic::new(d.message.clone())
        .with_code(d.code.to_string())
        .with_severity(match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
        .with_label(LabeledSpan::new(d.help.clone(), span.start, len))
}

/// Renders diagnostics as text (no colour unless stderr is a terminal).
pub fn render(source: &str, name: &str, diags: &[Diagnostic], color: bool) -> String {
    let handler = handler(color);
    let mut out = String::new();
    for d in diags {
        let excerpt = d.excerpt(source, CONTEXT_LINES, CONTEXT_LINES);
        let md = for_miette(d, excerpt.span);
        let windowed = Windowed {
            name: name.to_string(),
            excerpt,
        };
        let report = Report::new(md).with_source_code(windowed);
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&d.render(source, name));
        }
    }
    out
}

pub fn print(source: &str, name: &str, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal();
    eprint!("{}", render(source, name, diags, color));
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use miette::NamedSource;

    use super::*;

    /// What miette printed when it was handed the whole text.
    fn whole(source: &str, name: &str, d: &Diagnostic) -> String {
        let report = Report::new(for_miette(d, d.span))
            .with_source_code(NamedSource::new(name, source.to_string()));
        let mut out = String::new();
        handler(false)
            .render_report(&mut out, report.as_ref())
            .unwrap();
        out
    }

    /// For the broken agreements (ASCII lines of ordinary length), the
    /// excerpt renders exactly as the whole text did.
    #[test]
    fn excerpts_render_as_the_whole_text_did() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/broken");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "lead") {
                continue;
            }
            let src = std::fs::read_to_string(&path).unwrap();
            if !src.is_ascii() {
                continue;
            }
            let Err(err) = leadgate::Agreement::compile(&src) else {
                panic!("{} compiles", path.display());
            };
            for d in &err.diagnostics {
                n += 1;
                let got = render(&src, "x.lead", std::slice::from_ref(d), false);
                assert_eq!(got, whole(&src, "x.lead", d), "{}", path.display());
            }
        }
        assert!(n > 10, "{n} diagnostics");
    }

    #[test]
    fn a_diagnostic_on_a_huge_line_prints_a_window_of_it() {
        let src = format!(
            "agreement \"x\"\nfields {{ x : number }}\nscore s {{ +1 \"{}\" when x > 1 and y > 2 }}\nroute {{ nurture otherwise }}\n",
            "é".repeat(1_000_000)
        );
        let err = leadgate::Agreement::compile(&src).err().unwrap();
        assert_eq!(err.diagnostics[0].message, "unknown name `y`");
        let out = render(&src, "big.lead", &err.diagnostics, false);
        assert!(out.len() < 4000, "{} bytes:\n{out}", out.len());
        let d = &err.diagnostics[0];
        // The header gives the line and the column (in characters) of the text.
        assert!(
            out.contains(&format!("[big.lead:{}:{}]", d.line, d.column)),
            "{out}"
        );
    }
}
