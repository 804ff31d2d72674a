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

/// A value an expression reads: a field, or one that scoring derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    Field(u32),
    Score(u32),
    Potential(u32),
    Total,
    Grade(u32),
}

impl Cond {
    /// Calls `f` with each value the condition reads, in the order the
    /// evaluator meets them (repeats included).
    pub fn reads(&self, f: &mut dyn FnMut(Read)) {
        match self {
            Cond::Const(_) => {}
            Cond::Field(s)
            | Cond::FieldIs(s, _)
            | Cond::FieldCmp(_, s, _)
            | Cond::FieldTextEq(_, s, _)
            | Cond::FieldTextIn(_, s, _)
            | Cond::FieldText(_, s, _)
            | Cond::FieldMatches(s, _) => f(Read::Field(*s)),
            Cond::Not(a) => a.reads(f),
            Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| p.reads(f)),
            Cond::NumCmp(_, a, b) => {
                a.reads(f);
                b.reads(f);
            }
            Cond::DateCmp(_, a, b) => {
                a.reads(f);
                b.reads(f);
            }
            Cond::TextEq(_, a, b) | Cond::Text(_, a, b) => {
                a.reads(f);
                b.reads(f);
            }
            Cond::BoolEq(_, a, b) => {
                a.reads(f);
                b.reads(f);
            }
            Cond::TextIn(_, t, _) | Cond::Matches(t, _) => t.reads(f),
            Cond::NumIn(_, n, _) => n.reads(f),
            Cond::ListContains(s, t) => {
                f(Read::Field(*s));
                t.reads(f);
            }
            Cond::Within(d, _) => d.reads(f),
            Cond::Present(_, a) => a.reads(f),
            Cond::GradeIs(g, _) => f(Read::Grade(*g)),
            Cond::ScoreCmp(_, i, _) => f(Read::Score(*i)),
            Cond::PotentialCmp(_, i, _) => f(Read::Potential(*i)),
            Cond::TotalCmp(..) => f(Read::Total),
        }
    }
}

impl Num {
    /// Calls `f` with each value the number reads.
    pub fn reads(&self, f: &mut dyn FnMut(Read)) {
        match self {
            Num::Const(_) => {}
            Num::Field(s) | Num::Count(s) => f(Read::Field(*s)),
            Num::Score(i) => f(Read::Score(*i)),
            Num::Potential(i) => f(Read::Potential(*i)),
            Num::Total => f(Read::Total),
            Num::Arith(_, a, b) | Num::Min(a, b) | Num::Max(a, b) => {
                a.reads(f);
                b.reads(f);
            }
            Num::Neg(a) => a.reads(f),
            Num::DaysSince(d) => d.reads(f),
        }
    }
}

impl TextE {
    /// Calls `f` with each value the text reads.
    pub fn reads(&self, f: &mut dyn FnMut(Read)) {
        match self {
            TextE::Const(_) => {}
            TextE::Field(s) => f(Read::Field(*s)),
            TextE::Domain(inner) => inner.reads(f),
        }
    }
}

impl DateE {
    /// Calls `f` with the field the date reads, if any.
    pub fn reads(&self, f: &mut dyn FnMut(Read)) {
        if let DateE::Field(s) = self {
            f(Read::Field(*s));
        }
    }
}

impl Any {
    /// Calls `f` with each value the expression reads.
    pub fn reads(&self, f: &mut dyn FnMut(Read)) {
        match self {
            Any::Num(n) => n.reads(f),
            Any::Text(t) => t.reads(f),
            Any::Date(d) => d.reads(f),
            Any::List(s) => f(Read::Field(*s)),
            Any::Cond(c) => c.reads(f),
        }
    }
}
