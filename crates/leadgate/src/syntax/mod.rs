//! Stage 1, parse: agreement text → syntax tree with spans.

pub mod ast;
mod lexer;
pub mod limits;
mod literal;
pub(crate) mod parse;
mod snippet;

pub(crate) use lexer::{tokens, Kind as TokenKind};
pub(crate) use literal::parse_date;
pub use parse::parse;
pub(crate) use snippet::snippet;

/// The pest parser generated from `grammar/leadgate.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../leadgate.pest"]
pub(crate) struct Grammar;

/// Every keyword of the language; none can name a field, list, score or grade.
pub const KEYWORDS: &[&str] = &[
    "agreement",
    "version",
    "fields",
    "list",
    "score",
    "grade",
    "route",
    "example",
    "when",
    "otherwise",
    "and",
    "or",
    "not",
    "in",
    "is",
    "missing",
    "present",
    "between",
    "contains",
    "starts_with",
    "ends_with",
    "matches",
    "within",
    "since",
    "halve",
    "every",
    "range",
    "to",
    "up",
    "from",
    "queue",
    "sales",
    "nurture",
    "telemarketing",
    "true",
    "false",
    "required",
    "id",
    "as_of",
    "lead",
    "expect",
    "fired",
    "text",
    "number",
    "bool",
    "date",
];

pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}
