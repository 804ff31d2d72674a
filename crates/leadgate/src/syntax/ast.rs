//! The syntax tree: what was written, with spans, before any name is resolved.

use crate::diagnostic::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub name: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub fields: Vec<FieldsBlock>,
    pub lists: Vec<ListDef>,
    pub scores: Vec<ScoreBlock>,
    pub grades: Vec<GradeBlock>,
    pub routes: Vec<RouteBlock>,
    pub examples: Vec<ExampleBlock>,
}

/// A field's declared type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// `text`: trimmed; compared without case.
    Text,
    /// `number`: a 64-bit float.
    Number,
    /// `bool`: `true`/`false`, `yes`/`no`, `1`/`0`.
    Bool,
    /// `date`: an instant (a date is midnight UTC).
    Date,
    /// `list`: texts (`;`-separated in a CSV cell).
    List,
}

impl FieldType {
    /// The type's keyword, e.g. `"number"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Date => "date",
            FieldType::List => "list",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldsBlock {
    pub decls: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: Spanned<FieldType>,
    /// `required` / `id` as written, in order.
    pub modifiers: Vec<Spanned<Modifier>>,
    pub from: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    Required,
    Id,
}

/// A literal value: list members, example lead values.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Literal {
    Text(String),
    Number(f64),
    Bool(bool),
    /// Milliseconds since the Unix epoch, UTC.
    Date(i64),
    List(Vec<Spanned<Literal>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListDef {
    pub name: Ident,
    pub items: Vec<Spanned<Literal>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    Plus,
    Minus,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Points {
    Const(f64),
    Expr(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRule {
    pub sign: Sign,
    pub points: Spanned<Points>,
    pub up_to: Option<Spanned<f64>>,
    pub name: Spanned<String>,
    pub when: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decay {
    /// Seconds.
    pub every: Spanned<i64>,
    pub since: Ident,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreBlock {
    pub name: Ident,
    pub rules: Vec<ScoreRule>,
    pub ranges: Vec<Spanned<(f64, f64)>>,
    pub decays: Vec<Decay>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradeLine {
    pub label: Ident,
    /// `None` for `otherwise`.
    pub when: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradeBlock {
    pub name: Ident,
    pub lines: Vec<GradeLine>,
    pub span: Span,
}

/// Where a route rule sends a lead.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    /// The agreed hand-over to sales.
    Sales,
    /// Marketing keeps the lead warm.
    Nurture,
    /// The external telemarketing team qualifies the lead by phone.
    Telemarketing,
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Destination {
    /// Every destination, in the order reports list them.
    pub const ALL: [Destination; 3] = [
        Destination::Sales,
        Destination::Telemarketing,
        Destination::Nurture,
    ];

    /// `"sales"`, `"nurture"` or `"telemarketing"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Destination::Sales => "sales",
            Destination::Nurture => "nurture",
            Destination::Telemarketing => "telemarketing",
        }
    }

    /// Reads `"sales"`, `"nurture"` or `"telemarketing"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sales" => Some(Destination::Sales),
            "nurture" => Some(Destination::Nurture),
            "telemarketing" => Some(Destination::Telemarketing),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteRule {
    pub destination: Spanned<Destination>,
    pub queue: Option<Spanned<String>>,
    /// Seconds.
    pub within: Option<Spanned<i64>>,
    pub name: Option<Spanned<String>>,
    /// `None` for `otherwise`.
    pub when: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteBlock {
    pub rules: Vec<RouteRule>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    Route(Destination),
    Queue(String),
    Fired(String),
    NotFired(String),
    Grade(Ident, Ident),
    Score(Ident, CmpOp, f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct LeadEntry {
    pub key: Ident,
    pub value: Spanned<Literal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExampleBlock {
    pub name: Spanned<String>,
    pub as_of: Option<Spanned<i64>>,
    pub leads: Vec<Spanned<Vec<LeadEntry>>>,
    pub expects: Vec<Spanned<Expect>>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Cmp(CmpOp),
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

impl TextOp {
    pub fn as_str(self) -> &'static str {
        match self {
            TextOp::Contains => "contains",
            TextOp::StartsWith => "starts_with",
            TextOp::EndsWith => "ends_with",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum InSet {
    Literal(Vec<Spanned<Literal>>),
    Named(Ident),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Number(f64),
    Text(String),
    Bool(bool),
    /// Milliseconds since the Unix epoch.
    Date(i64),
    Name(Ident),
    Call(Ident, Vec<Expr>),
    Paren(Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    In {
        value: Box<Expr>,
        negated: bool,
        set: InSet,
    },
    IsMissing(Box<Expr>),
    IsPresent(Box<Expr>),
    IsLabel(Box<Expr>, Ident),
    Text2(TextOp, Box<Expr>, Box<Expr>),
    Matches {
        value: Box<Expr>,
        pattern: String,
        flags: Spanned<String>,
        pattern_span: Span,
    },
    /// Seconds.
    Within(Box<Expr>, Spanned<i64>),
    /// A node that failed to parse (already reported).
    Error,
}
