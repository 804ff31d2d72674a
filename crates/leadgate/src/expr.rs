//! Typed, resolved expression nodes: produced by the checker, folded by the
//! compiler, walked by the evaluator. Every name is already a slot or an
//! index; every `in` list is a set of lower-cased texts; every regex is
//! compiled.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::matcher::Matcher;
use crate::syntax::ast::{CmpOp, TextOp};
use crate::value::Text;

/// Three-valued truth (Kleene logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tri {
    False,
    Unknown,
    True,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A number-valued expression. `None` at evaluation means missing.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Num {
    Const(f64),
    Field(u32),
    Score(u32),
    Potential(u32),
    Total,
    Arith(
        ArithOp,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
    ),
    Neg(#[serde(deserialize_with = "crate::serial::nested")] Box<Num>),
    Min(
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
    ),
    Max(
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Num>,
    ),
    Count(u32),
    DaysSince(#[serde(deserialize_with = "crate::serial::nested")] Box<DateE>),
}

/// A text-valued expression.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TextE {
    Const(Text),
    Field(u32),
    Domain(#[serde(deserialize_with = "crate::serial::nested")] Box<TextE>),
}

/// A date-valued expression (milliseconds since the epoch).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum DateE {
    Const(i64),
    Field(u32),
}

/// A set of lower-cased texts for `in`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TextSet {
    Small(Vec<Box<str>>),
    Large(#[serde(serialize_with = "crate::serial::sorted_set")] FxHashSet<Box<str>>),
}

impl TextSet {
    pub fn new(items: impl IntoIterator<Item = String>) -> TextSet {
        let mut v: Vec<Box<str>> = items.into_iter().map(String::into_boxed_str).collect();
        v.sort();
        v.dedup();
        if v.len() <= 12 {
            TextSet::Small(v)
        } else {
            TextSet::Large(v.into_iter().collect())
        }
    }
    pub fn contains(&self, lower: &str) -> bool {
        match self {
            TextSet::Small(v) => v.iter().any(|s| &**s == lower),
            TextSet::Large(s) => s.contains(lower),
        }
    }
}

/// Any typed expression, for `is missing` / `is present`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Any {
    Num(Num),
    Text(TextE),
    Date(DateE),
    List(u32),
    Cond(Cond),
}

/// A condition: evaluates to true, false or unknown.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Cond {
    Const(Tri),
    /// A `bool` field used as a condition.
    Field(u32),
    Not(#[serde(deserialize_with = "crate::serial::nested")] Box<Cond>),
    And(#[serde(deserialize_with = "crate::serial::nested")] Vec<Cond>),
    Or(#[serde(deserialize_with = "crate::serial::nested")] Vec<Cond>),
    NumCmp(CmpOp, Num, Num),
    DateCmp(CmpOp, DateE, DateE),
    /// `==` (false) or `!=` (true) on texts, case-insensitively.
    TextEq(bool, TextE, TextE),
    /// `==` (false) or `!=` (true) on conditions / bool fields.
    BoolEq(
        bool,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Cond>,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Cond>,
    ),
    /// `x in set` (false) or `x not in set` (true).
    TextIn(bool, TextE, Arc<TextSet>),
    NumIn(bool, Num, Arc<[f64]>),
    Text(TextOp, TextE, TextE),
    ListContains(u32, TextE),
    Matches(TextE, Arc<Matcher>),
    /// `date within DURATION`: age in milliseconds ≤ the duration.
    Within(DateE, i64),
    /// `is present` (true) / `is missing` (false).
    Present(
        bool,
        #[serde(deserialize_with = "crate::serial::nested")] Box<Any>,
    ),
    /// `grade is label`
    GradeIs(u32, u32),

    // Shapes the compiler specialises (`compile::specialize`): the common
    // comparisons of one field or score with a constant, evaluated without
    // walking operand nodes.
    /// A `bool` field is `true` (`flag`) or `false` (`not flag`).
    FieldIs(u32, bool),
    /// `field OP constant` on a number field.
    FieldCmp(CmpOp, u32, f64),
    /// `score OP constant`.
    ScoreCmp(CmpOp, u32, f64),
    /// `potential(score) OP constant`.
    PotentialCmp(CmpOp, u32, f64),
    /// `total OP constant`.
    TotalCmp(CmpOp, f64),
    /// `field == "text"` (false) / `!=` (true), the constant lower-cased.
    FieldTextEq(bool, u32, Box<str>),
    /// `field in set` (false) / `not in` (true).
    FieldTextIn(bool, u32, Arc<TextSet>),
    /// `field contains / starts_with / ends_with "text"`, lower-cased.
    FieldText(TextOp, u32, Box<str>),
    /// `field matches /re/`.
    FieldMatches(u32, Arc<Matcher>),
}

impl Cond {
    pub fn is_const(&self, t: Tri) -> bool {
        matches!(self, Cond::Const(c) if *c == t)
    }
}
