//! Compile diagnostics: a stable code, a message, a span, and a rendering
//! with the source line and a caret.

mod excerpt;

pub use excerpt::{Excerpt, EXCERPT_SPAN_LINES, EXCERPT_WIDTH};

/// A byte range in the agreement text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub(crate) fn from_pest(s: pest::Span<'_>) -> Self {
        Span::new(s.start(), s.end())
    }
}

/// Whether a diagnostic fails compilation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about an agreement text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Diagnostic {
    /// Stable code: `E0001`… for errors, `W0001`… for warnings.
    pub code: &'static str,
    pub severity: Severity,
    /// Lower-case, one line.
    pub message: String,
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column (in characters) of `span.start`.
    pub column: usize,
    /// A suggestion ("did you mean `title`?"), shown under the caret.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic the way a compiler does:
    ///
    /// ```text
    /// error[E0008]: unknown field `titel`
    ///  --> agreement.lead:12:29
    ///    |
    /// 12 |   +20 "Decision maker" when titel matches /vp/i
    ///    |                             ^^^^^ did you mean `title`?
    /// ```
    pub fn render(&self, source: &str, file_name: &str) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{kind}[{}]: {}\n", self.code, self.message);
        let excerpt = self.excerpt(source, 0, 0);
        // The span's first line only.
        let text = excerpt.text.split('\n').next().unwrap_or("");
        let span_end = excerpt.span.end.min(text.len());
        let caret_col = text
            .get(..excerpt.span.start)
            .map_or(0, |s| s.chars().count());
        let width = text
            .get(excerpt.span.start.min(span_end)..span_end)
            .map_or(0, |s| s.chars().count())
            .max(1);
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        out.push_str(&format!(
            "{pad}--> {file_name}:{}:{}\n",
            self.line, self.column
        ));
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!("{} | {}\n", self.line, text.replace('\t', " ")));
        out.push_str(&format!(
            "{pad} | {}{}",
            " ".repeat(caret_col),
            "^".repeat(width)
        ));
        if let Some(help) = &self.help {
            out.push(' ');
            out.push_str(help);
        }
        out.push('\n');
        out
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Collects diagnostics while a stage runs.
#[derive(Debug, Default)]
pub(crate) struct Sink<'s> {
    source: &'s str,
    pub items: Vec<Diagnostic>,
}

impl<'s> Sink<'s> {
    pub fn new(source: &'s str) -> Self {
        Sink {
            source,
            items: Vec::new(),
        }
    }

    fn push(&mut self, code: &'static str, severity: Severity, span: Span, message: String) {
        let (line, column) = line_col(self.source, span.start);
        self.items.push(Diagnostic {
            code,
            severity,
            message,
            span,
            line,
            column,
            help: None,
        });
    }

    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.push(code, Severity::Error, span, message.into());
    }

    pub fn error_help(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(code, Severity::Error, span, message.into());
        if let Some(d) = self.items.last_mut() {
            d.help = help;
        }
    }

    pub fn warning(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.push(code, Severity::Warning, span, message.into());
    }

    pub fn source(&self) -> &'s str {
        self.source
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}

/// Compilation failed: every diagnostic found, errors and warnings, in source order.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
#[error("the agreement has {} error(s)", self.error_count())]
pub struct CompileError {
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// All diagnostics rendered with source lines and carets.
    pub fn render(&self, source: &str, file_name: &str) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(source, file_name));
            out.push('\n');
        }
        out
    }
}

/// The stable codes, documented in docs/language.md.
pub mod codes {
    pub const SYNTAX: &str = "E0001";
    pub const BAD_ESCAPE: &str = "E0002";
    pub const BAD_LITERAL: &str = "E0003";
    pub const BLOCKS: &str = "E0004";
    pub const KEYWORD_NAME: &str = "E0005";
    pub const DUPLICATE_NAME: &str = "E0006";
    pub const UNKNOWN_NAME: &str = "E0007";
    pub const FIELD_MODIFIERS: &str = "E0008";
    pub const DUPLICATE_RULE: &str = "E0009";
    pub const TYPE: &str = "E0010";
    pub const SCORE_IN_SCORE: &str = "E0011";
    pub const UNKNOWN_LABEL: &str = "E0012";
    pub const OTHERWISE: &str = "E0013";
    pub const REGEX: &str = "E0014";
    pub const FUNCTION: &str = "E0015";
    pub const EXAMPLE: &str = "E0016";
    pub const LIMIT: &str = "E0017";
    pub const GRADE_ORDER: &str = "E0018";
    pub const SCORE_SETTINGS: &str = "E0019";
    pub const LIST: &str = "E0020";

    pub const UNUSED_FIELD: &str = "W0001";
    pub const UNUSED_LIST: &str = "W0002";
    pub const NEVER_FIRES: &str = "W0003";
    pub const SHADOWED: &str = "W0004";
    pub const MIXED_SCRIPT: &str = "W0005";
    pub const CONFUSABLE: &str = "W0006";
}
