//! Abstract evaluation: what a condition, a score or a grade can be over a
//! set of leads (each field restricted to one cell, or to all of them).
//!
//! Every answer over-approximates: a truth value, label or interval is left
//! out only when no lead of the set can give it. The float arithmetic is the
//! engine's own, applied to interval ends: rounding is monotone, so the ends
//! of a sum, product or quotient computed so bound every value the engine
//! can compute in between. Only `libm::pow` (decay) is widened.

use crate::check::{Model, Points};
use crate::expr::{Any, ArithOp, Cond, DateE, Num, TextE, TextSet};
use crate::syntax::ast::{CmpOp, TextOp};
use crate::value::{saturate, Value};

use super::domain::{Cell, Derived, Domains, Iv, MS_PER_DAY};

/// A set of truth values: bit 1 false, 2 unknown, 4 true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Truths(pub u8);

impl Truths {
    pub const F: Truths = Truths(1);
    pub const U: Truths = Truths(2);
    pub const T: Truths = Truths(4);
    pub const NONE: Truths = Truths(0);
    pub fn tf() -> Truths {
        Truths(5)
    }
    pub fn of_bool(b: bool) -> Truths {
        if b {
            Truths::T
        } else {
            Truths::F
        }
    }
    pub fn can_true(self) -> bool {
        self.0 & 4 != 0
    }
    pub fn can_false(self) -> bool {
        self.0 & 1 != 0
    }
    pub fn can_unknown(self) -> bool {
        self.0 & 2 != 0
    }
    /// False or unknown possible: the rule can be passed over.
    pub fn can_pass(self) -> bool {
        self.0 & 3 != 0
    }
    pub fn or(self, o: Truths) -> Truths {
        Truths(self.0 | o.0)
    }
    fn not(self) -> Truths {
        let mut r = self.0 & 2;
        if self.0 & 1 != 0 {
            r |= 4;
        }
        if self.0 & 4 != 0 {
            r |= 1;
        }
        Truths(r)
    }
}

/// Kleene `and` over independent parts.
fn and_all(parts: impl Iterator<Item = Truths>) -> Truths {
    let (mut all_t, mut any_f, mut all_nf, mut any_u) = (true, false, true, false);
    for p in parts {
        all_t &= p.can_true();
        any_f |= p.can_false();
        all_nf &= p.0 & 6 != 0;
        any_u |= p.can_unknown();
    }
    let mut r = 0;
    if all_t {
        r |= 4;
    }
    if any_f {
        r |= 1;
    }
    if all_nf && any_u {
        r |= 2;
    }
    Truths(r)
}

fn or_all(parts: impl Iterator<Item = Truths>) -> Truths {
    and_all(parts.map(Truths::not)).not()
}

/// What a number expression can be: an interval when present, and whether
/// it can be missing.
#[derive(Debug, Clone, Copy)]
pub(super) struct NumA {
    pub iv: Option<Iv>,
    pub missing: bool,
}

impl NumA {
    fn point(x: f64) -> NumA {
        NumA {
            iv: Some(Iv::point(x)),
            missing: false,
        }
    }
    const MISSING: NumA = NumA {
        iv: None,
        missing: true,
    };
    fn join(self, o: NumA) -> NumA {
        NumA {
            iv: match (self.iv, o.iv) {
                (Some(a), Some(b)) => Some(a.hull(b)),
                (a, b) => a.or(b),
            },
            missing: self.missing || o.missing,
        }
    }
    fn top() -> NumA {
        NumA {
            iv: Some(Iv::all()),
            missing: true,
        }
    }
}

/// The texts an expression can be.
#[derive(Debug, Default)]
struct TextA<'a> {
    /// (as written, lower-cased)
    exact: Vec<(&'a str, &'a str)>,
    /// Any text whose lower-case form is none of these.
    rest: Option<&'a [Box<str>]>,
    missing: bool,
}

const NO_EXCLUSIONS: &[Box<str>] = &[];

/// `exists x ∈ a, y ∈ b: x < y`, and `x <= y` (over-approximate).
fn lt(a: Iv, b: Iv) -> bool {
    a.lo < b.hi
}
fn le(a: Iv, b: Iv) -> bool {
    a.lo < b.hi || (a.lo == b.hi && !a.lo_open && !b.hi_open)
}
fn eq(a: Iv, b: Iv) -> bool {
    a.meet(b).is_some()
}
fn ne(a: Iv, b: Iv) -> bool {
    !(a.is_point() && b.is_point() && a.lo == b.lo)
}

/// The truths of `a OP b` for values in the intervals.
pub(super) fn compare(op: CmpOp, a: Iv, b: Iv) -> Truths {
    let (t, f) = match op {
        CmpOp::Lt => (lt(a, b), le(b, a)),
        CmpOp::Le => (le(a, b), lt(b, a)),
        CmpOp::Gt => (lt(b, a), le(a, b)),
        CmpOp::Ge => (le(b, a), lt(a, b)),
        CmpOp::Eq => (eq(a, b), ne(a, b)),
        CmpOp::Ne => (ne(a, b), eq(a, b)),
    };
    Truths((if t { 4 } else { 0 }) | (if f { 1 } else { 0 }))
}

/// The values of one score at a node.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScoreA {
    pub score: Iv,
    pub potential: Iv,
    /// Whether `potential − score` is 0 for every lead of the node.
    pub no_extra: bool,
}

/// A set of leads: each field one cell or all of them, and the derived
/// numbers possibly restricted.
pub(super) struct Node<'a> {
    pub model: &'a Model,
    pub dom: &'a Domains,
    pub assign: &'a [Option<u16>],
    pub derived: &'a [(Derived, Option<Iv>)],
    pub scores: Vec<ScoreA>,
    pub total: Iv,
    /// Possible labels per grade.
    pub grades: Vec<Vec<bool>>,
    /// Whether some derived restriction leaves no value.
    pub empty: bool,
}

impl<'a> Node<'a> {
    pub fn new(
        model: &'a Model,
        dom: &'a Domains,
        assign: &'a [Option<u16>],
        derived: &'a [(Derived, Option<Iv>)],
    ) -> Node<'a> {
        let mut n = Node {
            model,
            dom,
            assign,
            derived,
            scores: Vec::new(),
            total: Iv::point(0.0),
            grades: Vec::new(),
            empty: false,
        };
        n.compute_scores();
        n.compute_grades();
        n
    }

    fn cells(&self, slot: u32) -> &'a [Cell] {
        let s = slot as usize;
        let all = self.dom.fields.get(s).map_or(&[][..], |f| &f.cells[..]);
        match self.assign.get(s).copied().flatten() {
            Some(i) => all.get(i as usize..=i as usize).unwrap_or(&[]),
            None => all,
        }
    }

    fn restriction(&self, d: Derived) -> Option<Iv> {
        self.derived
            .iter()
            .find(|(k, _)| *k == d)
            .and_then(|(_, iv)| *iv)
    }

    fn compute_scores(&mut self) {
        let m = self.model;
        let mut scores = Vec::with_capacity(m.scores.len());
        for (si, score) in m.scores.iter().enumerate() {
            let (mut lo, mut hi, mut elo, mut ehi) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for &ri in &score.rules {
                let Some(rule) = m.rules.get(ri as usize) else {
                    continue;
                };
                let sign = if rule.negative { -1.0 } else { 1.0 };
                let cap = |p: f64| match rule.cap {
                    Some(c) => p.min(c),
                    None => p,
                };
                let c = self.cond(&rule.when);
                // (sum low, sum high, extra low, extra high) over the options.
                let mut opt: Option<(f64, f64, f64, f64)> = None;
                let mut add = |a: f64, b: f64, x: f64, y: f64| {
                    opt = Some(match opt {
                        None => (a, b, x, y),
                        Some((p, q, r, s)) => (p.min(a), q.max(b), r.min(x), s.max(y)),
                    });
                };
                let unknown_extra = if rule.negative {
                    0.0
                } else {
                    match &rule.points {
                        Points::Const(p) => cap(*p),
                        Points::Computed(_) => rule.cap.unwrap_or(0.0),
                    }
                };
                if c.can_false() {
                    add(0.0, 0.0, 0.0, 0.0);
                }
                if c.can_unknown() {
                    add(0.0, 0.0, unknown_extra, unknown_extra);
                }
                if c.can_true() {
                    match &rule.points {
                        Points::Const(p) => {
                            let v = sign * cap(*p);
                            add(v, v, 0.0, 0.0);
                        }
                        Points::Computed(n) => {
                            let a = self.num(n);
                            if let Some(iv) = a.iv {
                                let (x, y) = (sign * cap(iv.lo), sign * cap(iv.hi));
                                add(x.min(y), x.max(y), 0.0, 0.0);
                            }
                            if a.missing {
                                add(0.0, 0.0, unknown_extra, unknown_extra);
                            }
                        }
                    }
                }
                if let Some((a, b, x, y)) = opt {
                    lo = saturate(lo + a);
                    hi = saturate(hi + b);
                    elo += x;
                    ehi += y;
                }
            }
            let (flo, fhi) = self.decay_factor(si);
            let range = score.range;
            let finish = |x: f64, f: f64| {
                let v = saturate(x * f);
                match range {
                    Some((a, b)) => crate::value::clamp(v, a, b),
                    None => v,
                }
            };
            let span = |a: f64, b: f64| {
                let c = [
                    finish(a, flo),
                    finish(a, fhi),
                    finish(b, flo),
                    finish(b, fhi),
                ];
                let mn = c.iter().copied().fold(f64::INFINITY, f64::min);
                let mx = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                Iv::closed(mn, mx)
            };
            let s_iv = span(lo, hi);
            let p_iv = span(saturate(lo + elo), saturate(hi + ehi));
            scores.push(ScoreA {
                score: s_iv,
                potential: p_iv,
                no_extra: elo == 0.0 && ehi == 0.0,
            });
        }
        // Restrict to the chosen cells; potential >= score always.
        for (i, s) in scores.iter_mut().enumerate() {
            let i = i as u32;
            let mut sc = Some(s.score);
            let mut po = Some(s.potential);
            if let Some(r) = self.restriction(Derived::Score(i)) {
                sc = sc.and_then(|x| x.meet(r));
            }
            if let Some(r) = self.restriction(Derived::Potential(i)) {
                po = po.and_then(|x| x.meet(r));
            }
            if let (Some(a), Some(b)) = (sc, po) {
                if s.no_extra {
                    sc = a.meet(b);
                    po = sc;
                } else {
                    po = b.meet(Iv {
                        lo: a.lo,
                        hi: f64::INFINITY,
                        lo_open: a.lo_open,
                        hi_open: true,
                    });
                    sc = a.meet(Iv {
                        lo: f64::NEG_INFINITY,
                        hi: b.hi,
                        lo_open: true,
                        hi_open: b.hi_open,
                    });
                }
            }
            match (sc, po) {
                (Some(a), Some(b)) => {
                    s.score = a;
                    s.potential = b;
                }
                _ => self.empty = true,
            }
        }
        let (mut tlo, mut thi) = (0.0f64, 0.0f64);
        for s in &scores {
            tlo = saturate(tlo + s.score.lo);
            thi = saturate(thi + s.score.hi);
        }
        let mut total = Some(Iv::closed(tlo, thi));
        if let Some(r) = self.restriction(Derived::Total) {
            total = total.and_then(|t| t.meet(r));
        }
        match total {
            Some(t) => self.total = t,
            None => self.empty = true,
        }
        self.scores = scores;
    }

    /// The decay factor's bounds for score `si`.
    fn decay_factor(&self, si: usize) -> (f64, f64) {
        let Some(decay) = self.model.scores.get(si).and_then(|s| s.decay) else {
            return (1.0, 1.0);
        };
        let every = decay.every_ms as f64;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut see = |a: f64, b: f64| {
            lo = lo.min(a);
            hi = hi.max(b);
        };
        for cell in self.cells(decay.slot) {
            match cell {
                Cell::Exact(Value::Date(d)) => {
                    let age = self.dom.as_of.saturating_sub(*d).max(0) as f64;
                    let f = libm::pow(0.5, age / every);
                    see(f, f);
                }
                Cell::Range(iv) => {
                    let (a, b) = (iv.lo.max(0.0), iv.hi.max(0.0));
                    let fa = libm::pow(0.5, a / every);
                    let fb = libm::pow(0.5, b / every);
                    see(
                        (fb * (1.0 - 1e-12)).clamp(0.0, 1.0),
                        (fa * (1.0 + 1e-12)).clamp(0.0, 1.0),
                    );
                }
                _ => see(1.0, 1.0),
            }
        }
        if lo > hi {
            (1.0, 1.0)
        } else {
            (lo, hi)
        }
    }

    fn compute_grades(&mut self) {
        let m = self.model;
        for (gi, grade) in m.grades.iter().enumerate() {
            let mut possible = vec![false; grade.labels.len()];
            let mut all_pass = true;
            for line in &grade.lines {
                if !all_pass {
                    break;
                }
                if line.otherwise {
                    if let Some(p) = possible.get_mut(line.label as usize) {
                        *p = true;
                    }
                    break;
                }
                let t = self.cond(&line.when);
                if t.can_true() {
                    if let Some(p) = possible.get_mut(line.label as usize) {
                        *p = true;
                    }
                }
                all_pass &= t.can_pass();
            }
            // A label chosen by the search: the leads that get it.
            if let Some(iv) = self.restriction(Derived::Grade(gi as u32)) {
                let l = iv.lo as usize;
                if possible.get(l).copied().unwrap_or(false) {
                    possible.iter_mut().for_each(|p| *p = false);
                    if let Some(p) = possible.get_mut(l) {
                        *p = true;
                    }
                } else {
                    self.empty = true;
                }
            }
            self.grades.push(possible);
        }
    }

    fn date_ages(&self, d: &DateE) -> NumA {
        match d {
            DateE::Const(_) => NumA {
                iv: Some(Iv::all()),
                missing: false,
            },
            DateE::Field(s) => {
                let mut acc: Option<NumA> = None;
                for cell in self.cells(*s) {
                    let a = match cell {
                        Cell::Missing => NumA::MISSING,
                        Cell::Exact(Value::Date(x)) => {
                            NumA::point(self.dom.as_of.saturating_sub(*x) as f64)
                        }
                        Cell::Range(iv) => NumA {
                            iv: Some(*iv),
                            missing: false,
                        },
                        _ => NumA::top(),
                    };
                    acc = Some(acc.map_or(a, |x| x.join(a)));
                }
                acc.unwrap_or(NumA::MISSING)
            }
        }
    }

    pub fn num(&self, n: &Num) -> NumA {
        match n {
            Num::Const(c) => NumA::point(*c),
            Num::Field(s) => {
                let mut acc: Option<NumA> = None;
                for cell in self.cells(*s) {
                    let a = match cell {
                        Cell::Missing => NumA::MISSING,
                        Cell::Exact(Value::Number(x)) => NumA::point(*x),
                        Cell::Range(iv) => NumA {
                            iv: Some(*iv),
                            missing: false,
                        },
                        _ => NumA::top(),
                    };
                    acc = Some(acc.map_or(a, |x| x.join(a)));
                }
                acc.unwrap_or(NumA::MISSING)
            }
            Num::Score(i) => NumA {
                iv: self.scores.get(*i as usize).map(|s| s.score),
                missing: false,
            },
            Num::Potential(i) => NumA {
                iv: self.scores.get(*i as usize).map(|s| s.potential),
                missing: false,
            },
            Num::Total => NumA {
                iv: Some(self.total),
                missing: false,
            },
            Num::Arith(op, a, b) => {
                let (a, b) = (self.num(a), self.num(b));
                let missing = a.missing || b.missing;
                let (Some(x), Some(y)) = (a.iv, b.iv) else {
                    return NumA::MISSING;
                };
                if *op == ArithOp::Div && y.lo <= 0.0 && y.hi >= 0.0 {
                    return NumA {
                        iv: Some(Iv::all()),
                        missing: true,
                    };
                }
                let f = |p: f64, q: f64| match op {
                    ArithOp::Add => p + q,
                    ArithOp::Sub => p - q,
                    ArithOp::Mul => p * q,
                    ArithOp::Div => p / q,
                };
                let corners = [f(x.lo, y.lo), f(x.lo, y.hi), f(x.hi, y.lo), f(x.hi, y.hi)];
                if corners.iter().any(|c| !c.is_finite()) {
                    return NumA {
                        iv: Some(Iv::all()),
                        missing: true,
                    };
                }
                let mn = corners.iter().copied().fold(f64::INFINITY, f64::min);
                let mx = corners.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                NumA {
                    iv: Some(Iv::closed(mn, mx)),
                    missing,
                }
            }
            Num::Neg(a) => {
                let a = self.num(a);
                NumA {
                    iv: a.iv.map(|iv| Iv {
                        lo: -iv.hi,
                        hi: -iv.lo,
                        lo_open: iv.hi_open,
                        hi_open: iv.lo_open,
                    }),
                    missing: a.missing,
                }
            }
            Num::Min(a, b) | Num::Max(a, b) => {
                let (a, b) = (self.num(a), self.num(b));
                let missing = a.missing || b.missing;
                let (Some(x), Some(y)) = (a.iv, b.iv) else {
                    return NumA::MISSING;
                };
                let iv = if matches!(n, Num::Min(..)) {
                    Iv::closed(x.lo.min(y.lo), x.hi.min(y.hi))
                } else {
                    Iv::closed(x.lo.max(y.lo), x.hi.max(y.hi))
                };
                NumA {
                    iv: Some(iv),
                    missing,
                }
            }
            Num::Count(s) => {
                let mut acc: Option<NumA> = None;
                for cell in self.cells(*s) {
                    let a = match cell {
                        Cell::Missing => NumA::MISSING,
                        Cell::Exact(Value::List(l)) => NumA::point(l.len() as f64),
                        _ => NumA {
                            iv: Some(Iv::closed(0.0, f64::INFINITY)),
                            missing: false,
                        },
                    };
                    acc = Some(acc.map_or(a, |x| x.join(a)));
                }
                acc.unwrap_or(NumA::MISSING)
            }
            Num::DaysSince(d) => {
                let a = self.date_ages(d);
                let day = MS_PER_DAY as f64;
                NumA {
                    iv: a.iv.map(|iv| {
                        if iv.is_point() {
                            Iv::point(iv.lo / day)
                        } else {
                            Iv::closed(iv.lo / day, iv.hi / day)
                        }
                    }),
                    missing: a.missing,
                }
            }
        }
    }

    fn field_texts(&self, s: u32) -> TextA<'a> {
        let mut out = TextA::default();
        for cell in self.cells(s) {
            match cell {
                Cell::Missing => out.missing = true,
                Cell::Exact(Value::Text(x)) => out.exact.push((x.as_str(), x.lower())),
                Cell::TextRest(ex) => out.rest = Some(ex),
                _ => out.rest = Some(NO_EXCLUSIONS),
            }
        }
        out
    }

    fn texts(&self, t: &'a TextE) -> TextA<'a> {
        let mut out = TextA::default();
        match t {
            TextE::Const(c) => out.exact.push((c.as_str(), c.lower())),
            TextE::Field(s) => return self.field_texts(*s),
            TextE::Domain(inner) => {
                let a = self.texts(inner);
                out.missing = a.missing;
                for (_, lower) in a.exact {
                    match lower.rfind('@') {
                        Some(at) => {
                            let d = lower.get(at + 1..).unwrap_or("").trim();
                            if d.is_empty() {
                                out.missing = true;
                            } else {
                                out.exact.push((d, d));
                            }
                        }
                        None => out.missing = true,
                    }
                }
                if a.rest.is_some() {
                    out.rest = Some(NO_EXCLUSIONS);
                    out.missing = true;
                }
            }
        }
        out
    }

    /// Truths of a predicate on one text: exact texts exactly, the rest by
    /// `rest(excluded)`.
    fn on_text(
        &self,
        a: &TextA<'_>,
        exact: impl Fn(&str, &str) -> bool,
        rest: impl Fn(&[Box<str>]) -> Truths,
    ) -> Truths {
        let mut r = Truths::NONE;
        if a.missing {
            r = r.or(Truths::U);
        }
        for (orig, lower) in &a.exact {
            r = r.or(Truths::of_bool(exact(orig, lower)));
        }
        if let Some(ex) = a.rest {
            r = r.or(rest(ex));
        }
        r
    }

    fn set_in_excluded(set: &TextSet, ex: &[Box<str>]) -> bool {
        match set {
            TextSet::Small(v) => v.iter().all(|m| ex.contains(m)),
            TextSet::Large(s) => s.iter().all(|m| ex.contains(m)),
        }
    }

    fn text_in(&self, neg: bool, a: &TextA<'_>, set: &TextSet) -> Truths {
        self.on_text(
            a,
            |_, l| set.contains(l) != neg,
            |ex| {
                if Self::set_in_excluded(set, ex) {
                    Truths::of_bool(neg)
                } else {
                    Truths::tf()
                }
            },
        )
    }

    fn text_eq(&self, neg: bool, a: &TextA<'_>, b: &TextA<'_>) -> Truths {
        let mut r = Truths::NONE;
        if a.missing || b.missing {
            r = r.or(Truths::U);
        }
        for (_, x) in &a.exact {
            for (_, y) in &b.exact {
                r = r.or(Truths::of_bool((x == y) != neg));
            }
        }
        let rest_vs = |ex: &[Box<str>], other: &TextA<'_>| -> Truths {
            let mut r = Truths::NONE;
            for (_, y) in &other.exact {
                if ex.iter().any(|e| &**e == *y) {
                    r = r.or(Truths::of_bool(neg));
                } else {
                    r = r.or(Truths::tf());
                }
            }
            if other.rest.is_some() {
                r = r.or(Truths::tf());
            }
            r
        };
        if let Some(ex) = a.rest {
            r = r.or(rest_vs(ex, b));
        }
        if let Some(ex) = b.rest {
            r = r.or(rest_vs(ex, a));
        }
        r
    }

    fn text_op(op: TextOp, a: &str, b: &str) -> bool {
        match op {
            TextOp::Contains => a.contains(b),
            TextOp::StartsWith => a.starts_with(b),
            TextOp::EndsWith => a.ends_with(b),
        }
    }

    fn present(&self, a: &'a Any) -> (bool, bool) {
        // (can be present, can be missing)
        match a {
            Any::Num(n) => {
                let v = self.num(n);
                (v.iv.is_some(), v.missing)
            }
            Any::Text(t) => {
                let v = self.texts(t);
                (!v.exact.is_empty() || v.rest.is_some(), v.missing)
            }
            Any::Date(d) => {
                let v = self.date_ages(d);
                (v.iv.is_some(), v.missing)
            }
            Any::List(s) => {
                let cells = self.cells(*s);
                (
                    cells.iter().any(|c| !matches!(c, Cell::Missing)),
                    cells.iter().any(|c| matches!(c, Cell::Missing)),
                )
            }
            Any::Cond(c) => {
                let t = self.cond(c);
                (t.0 & 5 != 0, t.can_unknown())
            }
        }
    }

    fn bool_field(&self, s: u32, want: bool) -> Truths {
        let mut r = Truths::NONE;
        for cell in self.cells(s) {
            r = r.or(match cell {
                Cell::Exact(Value::Bool(b)) => Truths::of_bool(*b == want),
                _ => Truths::U,
            });
        }
        r
    }

    fn num_cmp(&self, op: CmpOp, a: NumA, b: NumA) -> Truths {
        let mut r = if a.missing || b.missing {
            Truths::U
        } else {
            Truths::NONE
        };
        if let (Some(x), Some(y)) = (a.iv, b.iv) {
            r = r.or(compare(op, x, y));
        }
        r
    }

    pub fn cond(&self, c: &'a Cond) -> Truths {
        match c {
            Cond::Const(t) => match t {
                crate::expr::Tri::True => Truths::T,
                crate::expr::Tri::False => Truths::F,
                crate::expr::Tri::Unknown => Truths::U,
            },
            Cond::Field(s) => self.bool_field(*s, true),
            Cond::FieldIs(s, want) => self.bool_field(*s, *want),
            Cond::Not(a) => self.cond(a).not(),
            Cond::And(parts) => and_all(parts.iter().map(|p| self.cond(p))),
            Cond::Or(parts) => or_all(parts.iter().map(|p| self.cond(p))),
            Cond::NumCmp(op, a, b) => self.num_cmp(*op, self.num(a), self.num(b)),
            Cond::FieldCmp(op, s, k) => {
                self.num_cmp(*op, self.num(&Num::Field(*s)), NumA::point(*k))
            }
            Cond::ScoreCmp(op, i, k) => {
                self.num_cmp(*op, self.num(&Num::Score(*i)), NumA::point(*k))
            }
            Cond::PotentialCmp(op, i, k) => {
                self.num_cmp(*op, self.num(&Num::Potential(*i)), NumA::point(*k))
            }
            Cond::TotalCmp(op, k) => self.num_cmp(*op, self.num(&Num::Total), NumA::point(*k)),
            Cond::DateCmp(op, a, b) => {
                if matches!(a, DateE::Const(_)) || matches!(b, DateE::Const(_)) {
                    // Absolute dates depend on the evaluation instant.
                    let (x, y) = (self.date_ages(a), self.date_ages(b));
                    let mut r = Truths::NONE;
                    if x.missing || y.missing {
                        r = r.or(Truths::U);
                    }
                    if x.iv.is_some() && y.iv.is_some() {
                        r = r.or(Truths::tf());
                    }
                    r
                } else {
                    // date a OP date b  ⟺  age b OP age a
                    self.num_cmp(*op, self.date_ages(b), self.date_ages(a))
                }
            }
            Cond::TextEq(neg, a, b) => self.text_eq(*neg, &self.texts(a), &self.texts(b)),
            Cond::FieldTextEq(neg, s, k) => {
                let a = self.field_texts(*s);
                let neg = *neg;
                self.on_text(
                    &a,
                    |_, l| (l == &**k) != neg,
                    |ex| {
                        if ex.iter().any(|e| **e == **k) {
                            Truths::of_bool(neg)
                        } else {
                            Truths::tf()
                        }
                    },
                )
            }
            Cond::BoolEq(neg, a, b) => {
                let (x, y) = (self.cond(a), self.cond(b));
                let mut r = Truths::NONE;
                if x.can_unknown() || y.can_unknown() {
                    r = r.or(Truths::U);
                }
                for (xv, xs) in [(true, x.can_true()), (false, x.can_false())] {
                    for (yv, ys) in [(true, y.can_true()), (false, y.can_false())] {
                        if xs && ys {
                            r = r.or(Truths::of_bool((xv == yv) != *neg));
                        }
                    }
                }
                r
            }
            Cond::TextIn(neg, t, set) => self.text_in(*neg, &self.texts(t), set),
            Cond::FieldTextIn(neg, s, set) => self.text_in(*neg, &self.field_texts(*s), set),
            Cond::NumIn(neg, n, set) => {
                let a = self.num(n);
                let mut r = if a.missing { Truths::U } else { Truths::NONE };
                if let Some(iv) = a.iv {
                    if iv.is_point() {
                        r = r.or(Truths::of_bool(set.contains(&iv.lo) != *neg));
                    } else {
                        let inside = set.iter().any(|x| iv.meet(Iv::point(*x)).is_some());
                        // An interval that is not a point always holds values
                        // outside a finite set.
                        r = r.or(Truths::of_bool(*neg));
                        if inside {
                            r = r.or(Truths::of_bool(!*neg));
                        }
                    }
                }
                r
            }
            Cond::Text(op, a, b) => {
                let (x, y) = (self.texts(a), self.texts(b));
                let mut r = Truths::NONE;
                if x.missing || y.missing {
                    r = r.or(Truths::U);
                }
                for (_, p) in &x.exact {
                    for (_, q) in &y.exact {
                        r = r.or(Truths::of_bool(Self::text_op(*op, p, q)));
                    }
                }
                if x.rest.is_some() || y.rest.is_some() {
                    r = r.or(Truths::tf());
                }
                r
            }
            Cond::FieldText(op, s, k) => {
                let a = self.field_texts(*s);
                self.on_text(&a, |_, l| Self::text_op(*op, l, k), |_| Truths::tf())
            }
            Cond::ListContains(s, t) => {
                let y = self.texts(t);
                let mut r = Truths::NONE;
                if y.missing {
                    r = r.or(Truths::U);
                }
                for cell in self.cells(*s) {
                    match cell {
                        Cell::Missing => r = r.or(Truths::U),
                        Cell::Exact(Value::List(items)) => {
                            for (_, q) in &y.exact {
                                r = r.or(Truths::of_bool(items.iter().any(|i| i.lower() == *q)));
                            }
                            if y.rest.is_some() {
                                r = r.or(Truths::tf());
                            }
                        }
                        _ => r = r.or(Truths::tf()),
                    }
                }
                r
            }
            Cond::Matches(t, m) => {
                let a = self.texts(t);
                self.on_text(&a, |o, l| m.is_match(o, l), |_| Truths::tf())
            }
            Cond::FieldMatches(s, m) => {
                let a = self.field_texts(*s);
                self.on_text(&a, |o, l| m.is_match(o, l), |_| Truths::tf())
            }
            Cond::Within(d, ms) => match d {
                DateE::Const(_) => Truths::tf(),
                DateE::Field(_) => {
                    let a = self.date_ages(d);
                    self.num_cmp(CmpOp::Le, a, NumA::point(*ms as f64))
                }
            },
            Cond::Present(want, a) => {
                let (p, mi) = self.present(a);
                let mut r = Truths::NONE;
                if p {
                    r = r.or(Truths::of_bool(*want));
                }
                if mi {
                    r = r.or(Truths::of_bool(!*want));
                }
                r
            }
            Cond::GradeIs(g, l) => {
                let Some(labels) = self.grades.get(*g as usize) else {
                    return Truths::tf();
                };
                let mut r = Truths::NONE;
                for (i, p) in labels.iter().enumerate() {
                    if *p {
                        r = r.or(Truths::of_bool(i as u32 == *l));
                    }
                }
                r
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_sets() {
        let tf = Truths::tf();
        assert_eq!(and_all([Truths::T, Truths::U].into_iter()), Truths::U);
        assert_eq!(and_all([Truths::F, Truths::U].into_iter()), Truths::F);
        assert_eq!(or_all([Truths::T, Truths::U].into_iter()), Truths::T);
        assert_eq!(or_all([Truths::F, Truths::U].into_iter()), Truths::U);
        assert_eq!(and_all([tf, tf].into_iter()), tf);
        assert_eq!(Truths::T.not(), Truths::F);
    }

    #[test]
    fn interval_comparisons() {
        let open = Iv::open(0.0, 10.0);
        assert_eq!(compare(CmpOp::Gt, open, Iv::point(0.0)), Truths::T);
        assert_eq!(compare(CmpOp::Ge, open, Iv::point(10.0)), Truths::F);
        assert_eq!(
            compare(CmpOp::Eq, Iv::point(3.0), Iv::point(3.0)),
            Truths::T
        );
        assert_eq!(
            compare(CmpOp::Lt, Iv::closed(0.0, 5.0), Iv::point(5.0)),
            Truths::tf()
        );
    }
}
