//! Compile diagnostics: a stable code, a message, a span, and a rendering
//! with the source line and a caret.

mod excerpt;

/// A byte range in the agreement text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub(crate) fn from_pest(s: pest::Span<'_>) -> Self {
        Span::new(s.start(), s.end())
    }
}

/// Whether a diagnostic fails compilation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The agreement does not compile.
    Error,
    /// The agreement compiles, but something in it is probably a mistake.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about an agreement text.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{severity_text}[{code}]: {message} (line {line}, column {column})", severity_text = self.severity.as_str())]
pub struct Diagnostic {
    /// Stable code: `E0001`… for errors, `W0001`… for warnings.
    pub code: Code,
    /// Whether it fails compilation.
    pub severity: Severity,
    /// Lower-case, one line.
    pub message: String,
    /// The bytes of the agreement text it points at.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: usize,
    /// 1-based column (in characters) of `span.start`.
    pub column: usize,
    /// A suggestion ("did you mean `title`?"), shown under the caret.
    pub help: Option<String>,
}

/// A diagnostic with its rendering, as the Python and JavaScript fronts
/// hand it over: the diagnostic's fields, then `rendered`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RenderedDiagnostic<'a> {
    /// The diagnostic.
    #[serde(flatten)]
    pub diagnostic: &'a Diagnostic,
    /// What [`Diagnostic::render`] shows: the source line and a caret.
    pub rendered: String,
}

impl Diagnostic {
    /// Whether it fails compilation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic with its rendering (see [`render`](Self::render)).
    pub fn rendered(&self, source: &str, file_name: &str) -> RenderedDiagnostic<'_> {
        RenderedDiagnostic {
            diagnostic: self,
            rendered: self.render(source, file_name),
        }
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
        let kind = self.severity.as_str();
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

/// The 1-based line of a byte offset in a text.
pub fn line_of(source: &str, offset: usize) -> usize {
    line_col(source, offset).0
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

    fn push(&mut self, code: Code, severity: Severity, span: Span, message: String) {
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

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.push(code, Severity::Error, span, message.into());
    }

    pub fn error_help(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.push(code, Severity::Error, span, message.into());
        if let Some(d) = self.items.last_mut() {
            d.help = help;
        }
    }

    pub fn warning(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.push(code, Severity::Warning, span, message.into());
    }

    pub fn source(&self) -> &'s str {
        self.source
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}

/// Compilation failed: every diagnostic found, errors and warnings, in
/// source order, with the source they point into.
///
/// `Display` lists every diagnostic on a line of its own (code, message,
/// line and column); [`render`](Self::render) shows each with its source
/// line and a caret, and [`to_text`](Self::to_text) adds the summary: the
/// text every front prints. As a
/// [`miette::Diagnostic`], each diagnostic is a related report with the
/// source and a label, so `fn main() -> miette::Result<()>` shows them all.
#[derive(Clone)]
pub struct CompileError {
    diagnostics: Vec<Diagnostic>,
    source: std::sync::Arc<str>,
    name: String,
    /// The diagnostics as miette reports, made when miette first asks.
    related: std::sync::OnceLock<Vec<Located>>,
}

impl CompileError {
    pub(crate) fn new(diagnostics: Vec<Diagnostic>, source: &str) -> CompileError {
        CompileError {
            diagnostics,
            source: source.into(),
            name: "agreement.lead".into(),
            related: std::sync::OnceLock::new(),
        }
    }

    /// Names the agreement's file in rendered diagnostics (default
    /// `agreement.lead`).
    pub fn with_file_name(mut self, name: impl Into<String>) -> CompileError {
        self.name = name.into();
        self.related = std::sync::OnceLock::new();
        self
    }

    /// Every diagnostic, errors and warnings, in source order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many of the diagnostics are errors (at least one).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Every diagnostic with its source line and a caret, a blank line after
    /// each (what [`to_text`](Self::to_text) shows before its summary).
    pub fn render(&self) -> String {
        render_all(&self.diagnostics, &self.source, &self.name)
    }

    /// The text every front shows for the error: each diagnostic with its
    /// source line and a caret ([`render`](Self::render)), then the
    /// summary, `error: NAME does not compile: N errors`. The CLI prints it,
    /// Python's `AgreementError` and JavaScript's `CompileError` carry it.
    pub fn to_text(&self) -> String {
        let n = self.error_count();
        let s = if n == 1 { "" } else { "s" };
        let name = &self.name;
        format!(
            "{}error: {name} does not compile: {n} error{s}\n",
            self.render()
        )
    }

    /// Every diagnostic with its rendering, in source order.
    pub fn rendered_diagnostics(&self) -> Vec<RenderedDiagnostic<'_>> {
        (self.diagnostics.iter())
            .map(|d| d.rendered(&self.source, &self.name))
            .collect()
    }
}

/// Diagnostics rendered with source lines and carets, a blank line after each.
pub fn render_all(diagnostics: &[Diagnostic], source: &str, file_name: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(source, file_name));
        out.push('\n');
    }
    out
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.error_count();
        write!(
            f,
            "{} does not compile: {n} error{}",
            self.name,
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}

impl std::fmt::Debug for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompileError")
            .field("name", &self.name)
            .field("diagnostics", &self.diagnostics)
            .finish_non_exhaustive()
    }
}

/// One diagnostic with its source, for miette.
#[derive(Debug, Clone)]
struct Located {
    diagnostic: Diagnostic,
    source: std::sync::Arc<miette::NamedSource<std::sync::Arc<str>>>,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Located {}

impl miette::Diagnostic for Located {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.diagnostic.span;
        let label = miette::LabeledSpan::new(
            self.diagnostic.help.clone(),
            span.start,
            span.end.saturating_sub(span.start),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

impl miette::Diagnostic for CompileError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| Box::new(d.code) as Box<dyn std::fmt::Display>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        let related = self.related.get_or_init(|| {
            let source = std::sync::Arc::new(miette::NamedSource::new(
                self.name.clone(),
                self.source.clone(),
            ));
            self.diagnostics
                .iter()
                .map(|d| Located {
                    diagnostic: d.clone(),
                    source: source.clone(),
                })
                .collect()
        });
        Some(Box::new(
            related.iter().map(|l| l as &dyn miette::Diagnostic),
        ))
    }
}

/// A diagnostic's stable code: `E…` for errors, `W…` for warnings. The
/// codes are listed with examples in `docs/language.md`; their text never
/// changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// `E0000`: an internal error (a bug in leadgate, not in the agreement).
    Internal,
    /// `E0001`: the text does not follow the grammar.
    Syntax,
    /// `E0002`: an escape in a string literal is not valid.
    BadEscape,
    /// `E0003`: a number, duration or date literal is not valid.
    BadLiteral,
    /// `E0004`: blocks are missing, repeated or out of order.
    Blocks,
    /// `E0005`: a keyword is used as a name.
    KeywordName,
    /// `E0006`: a name is declared twice.
    DuplicateName,
    /// `E0007`: a name is not declared.
    UnknownName,
    /// `E0008`: field modifiers conflict or repeat.
    FieldModifiers,
    /// `E0009`: two rules have the same name.
    DuplicateRule,
    /// `E0010`: a type error.
    Type,
    /// `E0011`: a score rule reads a score.
    ScoreInScore,
    /// `E0012`: a grade label is not declared.
    UnknownLabel,
    /// `E0013`: `otherwise` is missing or misplaced.
    Otherwise,
    /// `E0014`: a regex does not compile.
    Regex,
    /// `E0015`: a function is unknown or misused.
    Function,
    /// `E0016`: an `example` block is not valid.
    Example,
    /// `E0017`: a limit is exceeded (size, nesting, regex size).
    Limit,
    /// `E0018`: grade lines are out of order.
    GradeOrder,
    /// `E0019`: a score's `range` or `decay` is not valid.
    ScoreSettings,
    /// `E0020`: a `list` is not valid.
    List,
    /// `W0001`: a field no rule reads.
    UnusedField,
    /// `W0002`: a list no rule reads.
    UnusedList,
    /// `W0003`: a rule or grade line that can never match.
    NeverFires,
    /// `W0004`: a rule or label never reached because an earlier one always matches.
    Shadowed,
    /// `W0005`: a name, queue or input key with a word in two scripts.
    MixedScript,
    /// `W0006`: two names that differ only in look-alike characters.
    Confusable,
    /// `W0007`: a route rule no lead can reach (found by the analysis).
    UnreachableRoute,
    /// `W0008`: a score rule no lead can fire (found by the analysis).
    RuleNeverFires,
    /// `W0009`: a grade label no lead gets (found by the analysis).
    LabelNeverGiven,
    /// `W0010`: a destination no lead can reach (found by the analysis).
    DestinationUnreachable,
    /// `W0011`: a `potential(…)` test that never differs from the same test
    /// on the score (found by the analysis).
    PotentialSameAsScore,
}

impl Code {
    /// Every code, in order (`E0000` … then `W0001` …).
    pub const ALL: [Code; 32] = [
        Code::Internal,
        Code::Syntax,
        Code::BadEscape,
        Code::BadLiteral,
        Code::Blocks,
        Code::KeywordName,
        Code::DuplicateName,
        Code::UnknownName,
        Code::FieldModifiers,
        Code::DuplicateRule,
        Code::Type,
        Code::ScoreInScore,
        Code::UnknownLabel,
        Code::Otherwise,
        Code::Regex,
        Code::Function,
        Code::Example,
        Code::Limit,
        Code::GradeOrder,
        Code::ScoreSettings,
        Code::List,
        Code::UnusedField,
        Code::UnusedList,
        Code::NeverFires,
        Code::Shadowed,
        Code::MixedScript,
        Code::Confusable,
        Code::UnreachableRoute,
        Code::RuleNeverFires,
        Code::LabelNeverGiven,
        Code::DestinationUnreachable,
        Code::PotentialSameAsScore,
    ];

    /// The stable text, e.g. `"E0007"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Internal => "E0000",
            Code::Syntax => "E0001",
            Code::BadEscape => "E0002",
            Code::BadLiteral => "E0003",
            Code::Blocks => "E0004",
            Code::KeywordName => "E0005",
            Code::DuplicateName => "E0006",
            Code::UnknownName => "E0007",
            Code::FieldModifiers => "E0008",
            Code::DuplicateRule => "E0009",
            Code::Type => "E0010",
            Code::ScoreInScore => "E0011",
            Code::UnknownLabel => "E0012",
            Code::Otherwise => "E0013",
            Code::Regex => "E0014",
            Code::Function => "E0015",
            Code::Example => "E0016",
            Code::Limit => "E0017",
            Code::GradeOrder => "E0018",
            Code::ScoreSettings => "E0019",
            Code::List => "E0020",
            Code::UnusedField => "W0001",
            Code::UnusedList => "W0002",
            Code::NeverFires => "W0003",
            Code::Shadowed => "W0004",
            Code::MixedScript => "W0005",
            Code::Confusable => "W0006",
            Code::UnreachableRoute => "W0007",
            Code::RuleNeverFires => "W0008",
            Code::LabelNeverGiven => "W0009",
            Code::DestinationUnreachable => "W0010",
            Code::PotentialSameAsScore => "W0011",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let text = String::deserialize(d)?;
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code {text}")))
    }
}

/// Short names for the codes, as the stages report them.
pub(crate) mod codes {
    use super::Code;

    pub const INTERNAL: Code = Code::Internal;
    pub const SYNTAX: Code = Code::Syntax;
    pub const BAD_ESCAPE: Code = Code::BadEscape;
    pub const BAD_LITERAL: Code = Code::BadLiteral;
    pub const BLOCKS: Code = Code::Blocks;
    pub const KEYWORD_NAME: Code = Code::KeywordName;
    pub const DUPLICATE_NAME: Code = Code::DuplicateName;
    pub const UNKNOWN_NAME: Code = Code::UnknownName;
    pub const FIELD_MODIFIERS: Code = Code::FieldModifiers;
    pub const DUPLICATE_RULE: Code = Code::DuplicateRule;
    pub const TYPE: Code = Code::Type;
    pub const SCORE_IN_SCORE: Code = Code::ScoreInScore;
    pub const UNKNOWN_LABEL: Code = Code::UnknownLabel;
    pub const OTHERWISE: Code = Code::Otherwise;
    pub const REGEX: Code = Code::Regex;
    pub const FUNCTION: Code = Code::Function;
    pub const EXAMPLE: Code = Code::Example;
    pub const LIMIT: Code = Code::Limit;
    pub const GRADE_ORDER: Code = Code::GradeOrder;
    pub const SCORE_SETTINGS: Code = Code::ScoreSettings;
    pub const LIST: Code = Code::List;
    pub const UNUSED_FIELD: Code = Code::UnusedField;
    pub const UNUSED_LIST: Code = Code::UnusedList;
    pub const NEVER_FIRES: Code = Code::NeverFires;
    pub const SHADOWED: Code = Code::Shadowed;
    #[cfg(feature = "look-alikes")]
    pub const MIXED_SCRIPT: Code = Code::MixedScript;
    #[cfg(feature = "look-alikes")]
    pub const CONFUSABLE: Code = Code::Confusable;
}
