//! Stage 5, evaluate: a bound lead → a verdict with its explanation.
//! Typed nodes are walked directly: no name lookups, no regex compiles.

use crate::bind::{Lead, LeadWarning, LeadWarningKind};
use crate::check::Points;
use crate::compile::{compare_f64, compare_i64, Program};
use crate::expr::{Any, ArithOp, Cond, DateE, Num, TextE, Tri};
use crate::syntax::ast::{CmpOp, TextOp};
use crate::value::{saturate, Value};
use crate::verdict::{Fired, PerScore, Undecided, UnknownRule, Verdict};

const MS_PER_DAY: f64 = 86_400_000.0;

/// What a condition is evaluated against: a lead's values and, once
/// scored, its scores, potentials, total and grades so far. The columnar
/// evaluator (`arrow::columnar`) uses it too, for each distinct value of a
/// column, so both evaluators share every node's meaning.
pub(crate) struct Ctx<'a> {
    pub(crate) values: &'a [Value],
    pub(crate) scores: &'a [f64],
    pub(crate) potentials: &'a [f64],
    pub(crate) total: f64,
    pub(crate) grades: &'a [u32],
    pub(crate) as_of: i64,
}

impl<'a> Ctx<'a> {
    /// A lead's values alone, before scoring: no scores or grades yet.
    pub(crate) fn values(values: &'a [Value], as_of: i64) -> Self {
        Ctx {
            values,
            scores: &[],
            potentials: &[],
            total: 0.0,
            grades: &[],
            as_of,
        }
    }
}

impl Ctx<'_> {
    pub(crate) fn num(&self, n: &Num) -> Option<f64> {
        let v = match n {
            Num::Const(c) => *c,
            Num::Field(s) => match self.values.get(*s as usize) {
                Some(Value::Number(x)) => *x,
                _ => return None,
            },
            Num::Score(i) => self.scores.get(*i as usize).copied()?,
            Num::Potential(i) => self.potentials.get(*i as usize).copied()?,
            Num::Total => self.total,
            Num::Arith(op, a, b) => {
                let (a, b) = (self.operand(a)?, self.operand(b)?);
                match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    ArithOp::Div => a / b,
                }
            }
            Num::Neg(a) => -self.num(a)?,
            Num::Min(a, b) => self.num(a)?.min(self.num(b)?),
            Num::Max(a, b) => self.num(a)?.max(self.num(b)?),
            Num::Count(s) => match self.values.get(*s as usize) {
                Some(Value::List(l)) => l.len() as f64,
                _ => return None,
            },
            Num::DaysSince(d) => (self.as_of.checked_sub(self.date(d)?)?) as f64 / MS_PER_DAY,
        };
        // Division by zero and overflow give a missing value.
        v.is_finite().then_some(v)
    }

    /// An operand of arithmetic: a constant or a field read inline (the
    /// common `seconds / 60`, `2 * visits`), anything else by a call.
    #[inline(always)]
    fn operand(&self, n: &Num) -> Option<f64> {
        match n {
            Num::Const(c) if c.is_finite() => Some(*c),
            Num::Field(s) => match self.values.get(*s as usize) {
                Some(Value::Number(x)) if x.is_finite() => Some(*x),
                _ => None,
            },
            _ => self.num(n),
        }
    }

    /// A text as (as written, lower-cased).
    fn text<'s>(&'s self, t: &'s TextE) -> Option<(&'s str, &'s str)> {
        match t {
            TextE::Const(c) => Some((c.as_str(), c.lower())),
            TextE::Field(s) => match self.values.get(*s as usize) {
                Some(Value::Text(x)) => Some((x.as_str(), x.lower())),
                _ => None,
            },
            TextE::Domain(inner) => {
                let (_, lower) = self.text(inner)?;
                let at = lower.rfind('@')?;
                let d = lower[at + 1..].trim();
                (!d.is_empty()).then_some((d, d))
            }
        }
    }

    fn date(&self, d: &DateE) -> Option<i64> {
        match d {
            DateE::Const(c) => Some(*c),
            DateE::Field(s) => match self.values.get(*s as usize) {
                Some(Value::Date(x)) => Some(*x),
                _ => None,
            },
        }
    }

    fn present(&self, a: &Any) -> bool {
        match a {
            Any::Num(n) => self.num(n).is_some(),
            Any::Text(t) => self.text(t).is_some(),
            Any::Date(d) => self.date(d).is_some(),
            Any::List(s) => matches!(self.values.get(*s as usize), Some(Value::List(_))),
            Any::Cond(c) => self.cond(c) != Tri::Unknown,
        }
    }

    /// A condition's truth. The specialised leaves are evaluated here,
    /// inlined into the caller; only compound and general nodes make a call.
    #[inline(always)]
    pub(crate) fn cond(&self, c: &Cond) -> Tri {
        if let Some(t) = self.leaf(c) {
            return t;
        }
        match c {
            Cond::And(parts) => self.all(parts),
            Cond::Or(parts) => self.any(parts),
            _ => self.general(c),
        }
    }

    /// A child of `and` / `or`: a leaf inline, anything else by a call.
    #[inline(always)]
    fn part(&self, c: &Cond) -> Tri {
        match self.leaf(c) {
            Some(t) => t,
            None => self.general(c),
        }
    }

    /// Kleene `and`: false wins, then unknown.
    #[inline(always)]
    fn all(&self, parts: &[Cond]) -> Tri {
        let mut r = Tri::True;
        for p in parts {
            match self.part(p) {
                Tri::False => return Tri::False,
                Tri::Unknown => r = Tri::Unknown,
                Tri::True => {}
            }
        }
        r
    }

    /// Kleene `or`: true wins, then unknown.
    #[inline(always)]
    fn any(&self, parts: &[Cond]) -> Tri {
        let mut r = Tri::False;
        for p in parts {
            match self.part(p) {
                Tri::True => return Tri::True,
                Tri::Unknown => r = Tri::Unknown,
                Tri::False => {}
            }
        }
        r
    }

    /// The specialised leaves; `None` for any other node.
    #[inline(always)]
    fn leaf(&self, c: &Cond) -> Option<Tri> {
        Some(match c {
            Cond::FieldIs(s, want) => match self.values.get(*s as usize) {
                Some(Value::Bool(b)) => Tri::from_bool(b == want),
                _ => Tri::Unknown,
            },
            Cond::FieldCmp(op, s, c) => match self.values.get(*s as usize) {
                Some(Value::Number(x)) => Tri::from_bool(compare_f64(*op, *x, *c)),
                _ => Tri::Unknown,
            },
            Cond::ScoreCmp(op, i, c) => cmp_known(*op, self.scores.get(*i as usize), *c),
            Cond::PotentialCmp(op, i, c) => cmp_known(*op, self.potentials.get(*i as usize), *c),
            Cond::TotalCmp(op, c) => Tri::from_bool(compare_f64(*op, self.total, *c)),
            Cond::FieldTextEq(neg, s, k) => match self.values.get(*s as usize) {
                Some(Value::Text(x)) => Tri::from_bool((x.lower() == &**k) != *neg),
                _ => Tri::Unknown,
            },
            Cond::FieldTextIn(neg, s, set) => match self.values.get(*s as usize) {
                Some(Value::Text(x)) => Tri::from_bool(set.contains(x.lower()) != *neg),
                _ => Tri::Unknown,
            },
            Cond::FieldText(op, s, k) => match self.values.get(*s as usize) {
                Some(Value::Text(x)) => {
                    let t = x.lower();
                    Tri::from_bool(match op {
                        TextOp::Contains => t.contains(&**k),
                        TextOp::StartsWith => t.starts_with(&**k),
                        TextOp::EndsWith => t.ends_with(&**k),
                    })
                }
                _ => Tri::Unknown,
            },
            Cond::FieldMatches(s, m) => match self.values.get(*s as usize) {
                Some(Value::Text(x)) => Tri::from_bool(m.is_match(x.as_str(), x.lower())),
                _ => Tri::Unknown,
            },
            Cond::GradeIs(g, l) => Tri::from_bool(self.grades.get(*g as usize) == Some(l)),
            // `field is present` / `is missing`, read inline as `present` does.
            Cond::Present(want, a) => {
                let v = |s: &u32| self.values.get(*s as usize);
                let present = match &**a {
                    Any::Text(TextE::Field(s)) => matches!(v(s), Some(Value::Text(_))),
                    Any::List(s) => matches!(v(s), Some(Value::List(_))),
                    Any::Date(DateE::Field(s)) => matches!(v(s), Some(Value::Date(_))),
                    Any::Cond(Cond::Field(s)) => matches!(v(s), Some(Value::Bool(_))),
                    Any::Num(Num::Field(s)) => {
                        matches!(v(s), Some(Value::Number(x)) if x.is_finite())
                    }
                    _ => return None,
                };
                Tri::from_bool(present == *want)
            }
            _ => return None,
        })
    }

    #[inline(never)]
    fn general(&self, c: &Cond) -> Tri {
        match c {
            Cond::Const(t) => *t,
            Cond::Field(s) => match self.values.get(*s as usize) {
                Some(Value::Bool(b)) => Tri::from_bool(*b),
                _ => Tri::Unknown,
            },
            Cond::Not(a) => self.cond(a).negate(),
            Cond::And(parts) => self.all(parts),
            Cond::Or(parts) => self.any(parts),
            Cond::NumCmp(op, a, b) => match (self.num(a), self.num(b)) {
                (Some(a), Some(b)) => Tri::from_bool(compare_f64(*op, a, b)),
                _ => Tri::Unknown,
            },
            Cond::DateCmp(op, a, b) => match (self.date(a), self.date(b)) {
                (Some(a), Some(b)) => Tri::from_bool(compare_i64(*op, a, b)),
                _ => Tri::Unknown,
            },
            Cond::TextEq(neg, a, b) => match (self.text(a), self.text(b)) {
                (Some((_, a)), Some((_, b))) => Tri::from_bool((a == b) != *neg),
                _ => Tri::Unknown,
            },
            Cond::BoolEq(neg, a, b) => match (self.cond(a), self.cond(b)) {
                (Tri::Unknown, _) | (_, Tri::Unknown) => Tri::Unknown,
                (a, b) => Tri::from_bool((a == b) != *neg),
            },
            Cond::TextIn(neg, t, set) => match self.text(t) {
                Some((_, lower)) => Tri::from_bool(set.contains(lower) != *neg),
                None => Tri::Unknown,
            },
            Cond::NumIn(neg, n, set) => match self.num(n) {
                Some(x) => Tri::from_bool(set.contains(&x) != *neg),
                None => Tri::Unknown,
            },
            Cond::Text(op, a, b) => match (self.text(a), self.text(b)) {
                (Some((_, a)), Some((_, b))) => Tri::from_bool(match op {
                    TextOp::Contains => a.contains(b),
                    TextOp::StartsWith => a.starts_with(b),
                    TextOp::EndsWith => a.ends_with(b),
                }),
                _ => Tri::Unknown,
            },
            Cond::ListContains(s, t) => match (self.values.get(*s as usize), self.text(t)) {
                (Some(Value::List(items)), Some((_, lower))) => {
                    Tri::from_bool(items.iter().any(|i| i.lower() == lower))
                }
                _ => Tri::Unknown,
            },
            Cond::Matches(t, m) => match self.text(t) {
                Some((orig, lower)) => Tri::from_bool(m.is_match(orig, lower)),
                None => Tri::Unknown,
            },
            Cond::Within(d, ms) => match self.date(d) {
                Some(x) => match self.as_of.checked_sub(x) {
                    Some(age) => Tri::from_bool(age <= *ms),
                    None => Tri::False,
                },
                None => Tri::Unknown,
            },
            Cond::Present(want, a) => Tri::from_bool(self.present(a) == *want),
            _ => self.cond(c),
        }
    }
}

/// The decay factor of a score whose date is `date`, as of `as_of`.
pub(crate) fn decay_factor(as_of: i64, date: i64, every_ms: i64) -> f64 {
    let age = as_of.saturating_sub(date).max(0) as f64;
    libm::pow(0.5, age / every_ms as f64)
}

/// A score's (or potential's) sum → its value: decayed, then kept in its range.
#[inline]
pub(crate) fn finish(x: f64, factor: f64, range: Option<(f64, f64)>) -> f64 {
    let x = saturate(x * factor);
    match range {
        Some((lo, hi)) => crate::value::clamp(x, lo, hi),
        None => x,
    }
}

/// A score compared with a constant (scores are always known).
fn cmp_known(op: CmpOp, x: Option<&f64>, c: f64) -> Tri {
    match x {
        Some(x) => Tri::from_bool(compare_f64(op, *x, c)),
        None => Tri::Unknown,
    }
}

fn missing_of(needs: &[u32], values: &[Value]) -> Vec<u32> {
    needs
        .iter()
        .copied()
        .filter(|s| values.get(*s as usize).is_none_or(Value::is_missing))
        .collect()
}

/// Scores a bound, valid lead. `explain` = false skips the fired / unknown /
/// undecided lists (scores, grades and route are the same).
pub(crate) fn evaluate(program: &Program, lead: &Lead, as_of: i64, explain: bool) -> Verdict {
    let m = &program.model;
    let values = &lead.values[..];
    let n_scores = m.scores.len();
    let mut scores = PerScore::with_capacity(n_scores);
    let mut potentials = PerScore::with_capacity(n_scores);
    let mut decay_skipped = PerScore::with_capacity(n_scores);
    // Sized once when explaining: no regrowth while rules fire.
    let n_rules = if explain { m.rules.len() } else { 0 };
    let mut fired = Vec::with_capacity(n_rules);
    let mut unknown = Vec::with_capacity(n_rules.min(8));
    let mut warnings = lead.warnings.clone();
    let base = Ctx::values(values, as_of);

    for score in &m.scores {
        let mut sum = 0.0f64;
        let mut extra = 0.0f64;
        for &ri in &score.rules {
            let rule = &m.rules[ri as usize];
            let sign = if rule.negative { -1.0 } else { 1.0 };
            let cap = |p: f64| match rule.cap {
                Some(c) => p.min(c),
                None => p,
            };
            let state = match base.cond(&rule.when) {
                Tri::False => continue,
                Tri::True => match &rule.points {
                    Points::Const(p) => Some(*p),
                    Points::Computed(n) => base.num(n),
                },
                Tri::Unknown => None,
            };
            match state {
                Some(p) => {
                    let points = sign * cap(p);
                    sum = saturate(sum + points);
                    if explain {
                        fired.push(Fired { rule: ri, points });
                    }
                }
                None => {
                    if !rule.negative {
                        extra += match &rule.points {
                            Points::Const(p) => cap(*p),
                            Points::Computed(_) => rule.cap.unwrap_or(0.0),
                        };
                    }
                    if explain {
                        unknown.push(UnknownRule {
                            rule: ri,
                            missing: missing_of(&rule.needs, values),
                        });
                    }
                }
            }
        }
        let mut factor = 1.0;
        let mut skipped = false;
        if let Some(decay) = score.decay {
            match values.get(decay.slot as usize) {
                Some(Value::Date(d)) => factor = decay_factor(as_of, *d, decay.every_ms),
                _ => {
                    skipped = true;
                    let field = &m.fields[decay.slot as usize].name;
                    warnings.push(LeadWarning {
                        field: field.clone(),
                        kind: LeadWarningKind::NoDecay,
                        message: format!("no decay applied to {}: {field} is missing", score.name),
                    });
                }
            }
        }
        scores.push(finish(sum, factor, score.range));
        potentials.push(finish(saturate(sum + extra), factor, score.range));
        decay_skipped.push(skipped);
    }
    let total = scores.iter().fold(0.0, |a, b| saturate(a + b));

    let mut grades: PerScore<u32> = PerScore::with_capacity(m.grades.len());
    for grade in &m.grades {
        let ctx = Ctx {
            values,
            scores: &scores,
            potentials: &potentials,
            total,
            grades: &grades,
            as_of,
        };
        let label = grade
            .lines
            .iter()
            .find(|l| ctx.cond(&l.when) == Tri::True)
            .map(|l| l.label)
            .unwrap_or(0);
        grades.push(label);
    }

    let ctx = Ctx {
        values,
        scores: &scores,
        potentials: &potentials,
        total,
        grades: &grades,
        as_of,
    };
    let mut undecided = Vec::new();
    let mut route = m.routes.len().saturating_sub(1) as u32;
    for (i, r) in m.routes.iter().enumerate() {
        match ctx.cond(&r.when) {
            Tri::True => {
                route = i as u32;
                break;
            }
            Tri::Unknown if explain => undecided.push(Undecided {
                route: i as u32,
                missing: missing_of(&r.needs, values),
            }),
            _ => {}
        }
    }

    Verdict {
        route,
        scores,
        potentials,
        total,
        grades,
        fired,
        unknown,
        undecided,
        warnings,
        decay_skipped,
    }
}

/// The truth of route rule `r`'s condition for a lead already evaluated
/// into `verdict` (the analysis asks which rules a lead satisfies, beyond
/// the one that decided).
pub(crate) fn route_truth(
    program: &Program,
    lead: &Lead,
    verdict: &Verdict,
    as_of: i64,
    r: usize,
) -> Tri {
    let ctx = Ctx {
        values: &lead.values,
        scores: &verdict.scores,
        potentials: &verdict.potentials,
        total: verdict.total,
        grades: &verdict.grades,
        as_of,
    };
    match program.model.routes.get(r) {
        Some(rule) => ctx.cond(&rule.when),
        None => Tri::Unknown,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::value::Text;

    /// A context of `values` only, no scores or grades, as of the epoch.
    fn ctx(values: &[Value]) -> Ctx<'_> {
        Ctx::values(values, 0)
    }

    /// The inline `is present` of a field gives what `present` gives, for
    /// every kind of field and value (non-finite numbers included).
    #[test]
    fn inline_presence_is_presence() {
        let values = [
            Value::Missing,
            Value::Text(Text::new("x")),
            Value::Number(3.0),
            Value::Number(f64::INFINITY),
            Value::Number(f64::NAN),
            Value::Bool(false),
            Value::Date(0),
            Value::List(vec![]),
        ];
        for v in &values {
            let values = [v.clone()];
            let ctx = ctx(&values);
            for any in [
                Any::Text(TextE::Field(0)),
                Any::List(0),
                Any::Date(DateE::Field(0)),
                Any::Cond(Cond::Field(0)),
                Any::Num(Num::Field(0)),
            ] {
                for want in [true, false] {
                    let general = Tri::from_bool(ctx.present(&any) == want);
                    let c = Cond::Present(want, Box::new(any.clone()));
                    assert_eq!(ctx.leaf(&c), Some(general), "{v:?} {any:?} {want}");
                }
            }
        }
    }

    /// Arithmetic reads constant and field operands inline as `num` would.
    #[test]
    fn inline_operands_are_operands() {
        let values = [
            Value::Number(120.0),
            Value::Number(f64::INFINITY),
            Value::Missing,
        ];
        let ctx = ctx(&values);
        for n in [
            Num::Const(60.0),
            Num::Const(f64::NAN),
            Num::Field(0),
            Num::Field(1),
            Num::Field(2),
            Num::Field(9),
            Num::Total,
        ] {
            assert_eq!(ctx.operand(&n), ctx.num(&n), "{n:?}");
        }
    }
}
