//! Diagnostics on stderr, rendered by miette (source line, caret, help).

use std::io::IsTerminal;

use leadgate::{Diagnostic, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource, Report,
};

/// Renders diagnostics as text (no colour unless stderr is a terminal).
pub fn render(source: &str, name: &str, diags: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for d in diags {
        let len = d.span.end.saturating_sub(d.span.start);
        let label = LabeledSpan::new(d.help.clone(), d.span.start, len);
        let md = MietteDiagnostic::new(d.message.clone())
            .with_code(d.code.to_string())
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(label);
        let report = Report::new(md).with_source_code(NamedSource::new(name, source.to_string()));
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
    crate::output::note_text(&render(source, name, diags, color));
}
