//! The checks a compiled program read from bytes must pass before it is
//! used ([`Agreement::from_compiled`](crate::Agreement::from_compiled)):
//! every field, score, rule, grade and label it refers to exists, and
//! every number the evaluator relies on is in range. The compiler
//! guarantees all of this for what it builds; bytes from elsewhere are
//! checked, so that no file can make scoring panic.

use std::cell::Cell;

use crate::check::{Expectation, Model, Points};
use crate::compile::Program;
use crate::expr::{Any, Cond, DateE, Num, TextE};
use crate::matcher::Matcher;
use crate::syntax::limits::MAX_REGEX_TOTAL_BYTES;

/// The memory of the program's regexes, counted again (each was rebuilt
/// when read); `Err` names the first thing out of place.
pub(crate) fn check(p: &Program) -> Result<usize, String> {
    let m = &p.model;
    let v = Refs {
        m,
        regex_bytes: Cell::new(0),
    };
    let slot = |s: u32, what: &str| v.field(s).map_err(|e| format!("{what}: {e}"));
    for s in p.keys.values().chain(p.renamed.values()).chain(&p.required) {
        slot(*s, "an input key")?;
    }
    if let Some(id) = m.id_slot {
        slot(id, "the id field")?;
    }
    if m.routes.is_empty() {
        return Err("it has no route rule".into());
    }
    for (i, score) in m.scores.iter().enumerate() {
        for &r in &score.rules {
            match m.rules.get(r as usize) {
                Some(rule) if rule.score as usize == i => {}
                _ => {
                    return Err(format!(
                        "score {i} lists rule {r}, which is not one of its rules"
                    ))
                }
            }
        }
        if let Some((lo, hi)) = score.range {
            if lo.is_nan() || hi.is_nan() || lo > hi {
                // As a bound is written, NaN and infinities by name (not
                // `{}` of a float: that would link float formatting into
                // the form runtime).
                let bound = |x: f64| match x {
                    x if x.is_nan() => "NaN".to_string(),
                    f64::INFINITY => "inf".to_string(),
                    f64::NEG_INFINITY => "-inf".to_string(),
                    x => crate::value::format_number(x),
                };
                return Err(format!(
                    "score {i} has the range {} to {}",
                    bound(lo),
                    bound(hi)
                ));
            }
        }
        if let Some(d) = score.decay {
            slot(d.slot, "a decay")?;
        }
    }
    for rule in &m.rules {
        if rule.score as usize >= m.scores.len() {
            return Err(format!("rule \"{}\" belongs to no score", rule.name));
        }
        v.cond(&rule.when)?;
        if let Points::Computed(n) = &rule.points {
            v.num(n)?;
        }
        rule.needs.iter().try_for_each(|s| slot(*s, "a rule"))?;
    }
    for (g, grade) in m.grades.iter().enumerate() {
        if grade.labels.is_empty() {
            return Err(format!("grade {g} has no label"));
        }
        for line in &grade.lines {
            v.label(g as u32, line.label)?;
            v.cond(&line.when)?;
        }
    }
    for route in &m.routes {
        v.cond(&route.when)?;
        route
            .needs
            .iter()
            .try_for_each(|s| slot(*s, "a route rule"))?;
    }
    for e in &m.examples {
        e.lead
            .iter()
            .try_for_each(|(s, _)| slot(*s, "an example"))?;
        for (expect, _, _) in &e.expects {
            match expect {
                Expectation::Grade { grade, label } => v.label(*grade, *label)?,
                Expectation::Score { score: Some(s), .. } => v.score(*s)?,
                _ => {}
            }
        }
    }
    let bytes = v.regex_bytes.get();
    if bytes > MAX_REGEX_TOTAL_BYTES {
        return Err(format!(
            "its regexes take {bytes} bytes, over the limit of {MAX_REGEX_TOTAL_BYTES}"
        ));
    }
    Ok(bytes)
}

/// Checks what expressions refer to.
struct Refs<'a> {
    m: &'a Model,
    /// The memory of the regexes seen.
    regex_bytes: Cell<usize>,
}

impl Refs<'_> {
    fn field(&self, s: u32) -> Result<(), String> {
        match (s as usize) < self.m.fields.len() {
            true => Ok(()),
            false => Err(format!("field {s} does not exist")),
        }
    }

    fn score(&self, i: u32) -> Result<(), String> {
        match (i as usize) < self.m.scores.len() {
            true => Ok(()),
            false => Err(format!("score {i} does not exist")),
        }
    }

    fn label(&self, g: u32, l: u32) -> Result<(), String> {
        match self.m.grades.get(g as usize) {
            Some(grade) if (l as usize) < grade.labels.len() => Ok(()),
            _ => Err(format!("grade {g} has no label {l}")),
        }
    }

    fn regex(&self, m: &Matcher) {
        let total = self.regex_bytes.get().saturating_add(m.memory_usage());
        self.regex_bytes.set(total);
    }

    fn num(&self, n: &Num) -> Result<(), String> {
        match n {
            Num::Const(_) | Num::Total => Ok(()),
            Num::Field(s) | Num::Count(s) => self.field(*s),
            Num::Score(i) | Num::Potential(i) => self.score(*i),
            Num::Arith(_, a, b) | Num::Min(a, b) | Num::Max(a, b) => {
                self.num(a)?;
                self.num(b)
            }
            Num::Neg(a) => self.num(a),
            Num::DaysSince(d) => self.date(d),
        }
    }

    fn text(&self, t: &TextE) -> Result<(), String> {
        match t {
            TextE::Const(_) => Ok(()),
            TextE::Field(s) => self.field(*s),
            TextE::Domain(t) => self.text(t),
        }
    }

    fn date(&self, d: &DateE) -> Result<(), String> {
        match d {
            DateE::Const(_) => Ok(()),
            DateE::Field(s) => self.field(*s),
        }
    }

    fn cond(&self, c: &Cond) -> Result<(), String> {
        match c {
            Cond::Const(_) => Ok(()),
            Cond::Field(s)
            | Cond::FieldIs(s, _)
            | Cond::FieldCmp(_, s, _)
            | Cond::FieldTextEq(_, s, _)
            | Cond::FieldTextIn(_, s, _)
            | Cond::FieldText(_, s, _) => self.field(*s),
            Cond::FieldMatches(s, m) => {
                self.regex(m);
                self.field(*s)
            }
            Cond::ScoreCmp(_, i, _) | Cond::PotentialCmp(_, i, _) => self.score(*i),
            Cond::TotalCmp(..) => Ok(()),
            Cond::Not(a) => self.cond(a),
            Cond::And(parts) | Cond::Or(parts) => parts.iter().try_for_each(|p| self.cond(p)),
            Cond::NumCmp(_, a, b) => {
                self.num(a)?;
                self.num(b)
            }
            Cond::DateCmp(_, a, b) => {
                self.date(a)?;
                self.date(b)
            }
            Cond::TextEq(_, a, b) | Cond::Text(_, a, b) => {
                self.text(a)?;
                self.text(b)
            }
            Cond::BoolEq(_, a, b) => {
                self.cond(a)?;
                self.cond(b)
            }
            Cond::TextIn(_, t, _) => self.text(t),
            Cond::Matches(t, m) => {
                self.regex(m);
                self.text(t)
            }
            Cond::NumIn(_, n, _) => self.num(n),
            Cond::ListContains(s, t) => {
                self.field(*s)?;
                self.text(t)
            }
            Cond::Within(d, _) => self.date(d),
            Cond::Present(_, a) => match &**a {
                Any::Num(n) => self.num(n),
                Any::Text(t) => self.text(t),
                Any::Date(d) => self.date(d),
                Any::List(s) => self.field(*s),
                Any::Cond(c) => self.cond(c),
            },
            Cond::GradeIs(g, l) => self.label(*g, *l),
        }
    }
}
