//! The lead space, cut into finitely many cells per field.
//!
//! Every constant a condition compares a field with is collected; the
//! field's possible values are then covered by cells. An *exact* cell is
//! one value, or a class of values that every condition of the agreement
//! treats alike, so running the engine on its representative decides it
//! for the whole class. An *abstract* cell covers what the exact cells may
//! leave out (a number between two constants that arithmetic reads, any
//! text a regex reads); the abstract evaluator bounds it. Together the
//! cells of a field cover every value it can take, `missing` included
//! unless the field is `required`.

use crate::check::{Model, Points};
use crate::expr::{Any, Cond, DateE, Num, TextE, TextSet};
use crate::syntax::ast::FieldType;
use crate::value::{Text, Value};

pub(super) const MS_PER_DAY: i64 = 86_400_000;

/// An interval of numbers; either end may be open and infinite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Iv {
    pub lo: f64,
    pub hi: f64,
    pub lo_open: bool,
    pub hi_open: bool,
}

impl Iv {
    pub fn point(x: f64) -> Iv {
        Iv {
            lo: x,
            hi: x,
            lo_open: false,
            hi_open: false,
        }
    }
    pub fn closed(lo: f64, hi: f64) -> Iv {
        Iv {
            lo,
            hi,
            lo_open: false,
            hi_open: false,
        }
    }
    pub fn open(lo: f64, hi: f64) -> Iv {
        Iv {
            lo,
            hi,
            lo_open: true,
            hi_open: true,
        }
    }
    pub fn all() -> Iv {
        Iv::open(f64::NEG_INFINITY, f64::INFINITY)
    }
    pub fn is_point(&self) -> bool {
        self.lo == self.hi && !self.lo_open && !self.hi_open
    }
    /// The smallest interval holding both.
    pub fn hull(self, o: Iv) -> Iv {
        let (lo, lo_open) = if self.lo < o.lo {
            (self.lo, self.lo_open)
        } else if o.lo < self.lo {
            (o.lo, o.lo_open)
        } else {
            (self.lo, self.lo_open && o.lo_open)
        };
        let (hi, hi_open) = if self.hi > o.hi {
            (self.hi, self.hi_open)
        } else if o.hi > self.hi {
            (o.hi, o.hi_open)
        } else {
            (self.hi, self.hi_open && o.hi_open)
        };
        Iv {
            lo,
            hi,
            lo_open,
            hi_open,
        }
    }
    /// The common part, if any.
    pub fn meet(self, o: Iv) -> Option<Iv> {
        let (lo, lo_open) = if self.lo > o.lo {
            (self.lo, self.lo_open)
        } else if o.lo > self.lo {
            (o.lo, o.lo_open)
        } else {
            (self.lo, self.lo_open || o.lo_open)
        };
        let (hi, hi_open) = if self.hi < o.hi {
            (self.hi, self.hi_open)
        } else if o.hi < self.hi {
            (o.hi, o.hi_open)
        } else {
            (self.hi, self.hi_open || o.hi_open)
        };
        if lo < hi || (lo == hi && !lo_open && !hi_open) {
            Some(Iv {
                lo,
                hi,
                lo_open,
                hi_open,
            })
        } else {
            None
        }
    }
}

/// One cell of a field's values.
#[derive(Debug, Clone)]
pub(super) enum Cell {
    Missing,
    /// A value, or the class of values it represents.
    Exact(Value),
    /// Numbers in an interval (number fields), or ages in milliseconds
    /// (date fields: `as_of − date`).
    Range(Iv),
    /// Any text whose lower-case form is none of these.
    TextRest(Vec<Box<str>>),
    /// Any list.
    ListAny,
}

impl Cell {
    pub fn is_exact(&self) -> bool {
        matches!(self, Cell::Missing | Cell::Exact(_))
    }
}

/// The cells of one field: missing first, then exact, then abstract.
#[derive(Debug, Clone)]
pub(super) struct FieldCells {
    pub cells: Vec<Cell>,
}

/// Where each comparison constant of a field came from.
#[derive(Debug, Default, Clone)]
struct Uses {
    points: Vec<f64>,
    arith: bool,
    texts: Vec<String>,
    subs: Vec<String>,
    regexes: Vec<String>,
    domains: Vec<String>,
    relational: bool,
    domain_opaque: bool,
    items: Vec<String>,
    counts: Vec<f64>,
    count_arith: bool,
    ages: Vec<i64>,
    absolute_date: bool,
}

/// A derived number the route and grade conditions compare: a score, its
/// potential, or `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Derived {
    Score(u32),
    Potential(u32),
    Total,
    /// A grade's label (by index, as the point of an interval): searched
    /// like the numbers, never compared with constants.
    Grade(u32),
}

/// The cells of every field, and the constants each derived number is
/// compared with.
#[derive(Debug, Clone)]
pub(super) struct Domains {
    pub fields: Vec<FieldCells>,
    /// Breakpoints per derived number, sorted.
    pub derived: Vec<(Derived, Vec<f64>)>,
    /// The instant witnesses are scored at.
    pub as_of: i64,
    /// Whether a condition compares a date with a date constant (or tests
    /// one): decisions then depend on the instant itself, not only on ages.
    pub absolute_time: bool,
}

impl Domains {
    pub fn breakpoints(&self, d: Derived) -> &[f64] {
        self.derived
            .iter()
            .find(|(k, _)| *k == d)
            .map_or(&[], |(_, v)| v)
    }
}

struct Collector<'m> {
    uses: Vec<Uses>,
    derived: Vec<(Derived, Vec<f64>)>,
    model: &'m Model,
    absolute_time: bool,
}

fn derived_of(n: &Num) -> Option<Derived> {
    match n {
        Num::Score(i) => Some(Derived::Score(*i)),
        Num::Potential(i) => Some(Derived::Potential(*i)),
        Num::Total => Some(Derived::Total),
        _ => None,
    }
}

impl Collector<'_> {
    fn add_derived(&mut self, d: Derived, c: f64) {
        match self.derived.iter_mut().find(|(k, _)| *k == d) {
            Some((_, v)) => v.push(c),
            None => self.derived.push((d, vec![c])),
        }
    }

    fn uses(&mut self, s: u32) -> Option<&mut Uses> {
        self.uses.get_mut(s as usize)
    }

    fn num_cmp(&mut self, a: &Num, b: &Num) {
        match (a, b) {
            (Num::Field(s), Num::Const(c)) | (Num::Const(c), Num::Field(s)) => {
                let c = *c;
                if let Some(u) = self.uses(*s) {
                    u.points.push(c);
                }
            }
            (Num::Count(s), Num::Const(c)) | (Num::Const(c), Num::Count(s)) => {
                let c = *c;
                if let Some(u) = self.uses(*s) {
                    u.counts.push(c);
                }
            }
            (Num::DaysSince(d), Num::Const(c)) | (Num::Const(c), Num::DaysSince(d)) => {
                let c = *c;
                match &**d {
                    DateE::Field(s) => {
                        if let Some(u) = self.uses(*s) {
                            let ms = c * MS_PER_DAY as f64;
                            if ms.abs() < 1e15 {
                                u.ages.push(ms.floor() as i64);
                                u.ages.push(ms.ceil() as i64);
                            }
                        }
                    }
                    DateE::Const(_) => self.absolute_time = true,
                }
            }
            (x, Num::Const(c)) | (Num::Const(c), x) if derived_of(x).is_some() => {
                if let Some(d) = derived_of(x) {
                    self.add_derived(d, *c);
                }
            }
            _ => {
                self.arith(a);
                self.arith(b);
            }
        }
    }

    /// A number read by arithmetic: its fields' cells cannot be classes.
    fn arith(&mut self, n: &Num) {
        match n {
            Num::Const(_) | Num::Score(_) | Num::Potential(_) | Num::Total => {}
            Num::Field(s) => {
                if let Some(u) = self.uses(*s) {
                    u.arith = true;
                }
            }
            Num::Arith(_, a, b) | Num::Min(a, b) | Num::Max(a, b) => {
                self.arith(a);
                self.arith(b);
            }
            Num::Neg(a) => self.arith(a),
            Num::Count(s) => {
                if let Some(u) = self.uses(*s) {
                    u.count_arith = true;
                }
            }
            Num::DaysSince(d) => match &**d {
                DateE::Field(s) => {
                    if let Some(u) = self.uses(*s) {
                        u.ages.push(0);
                    }
                }
                DateE::Const(_) => self.absolute_time = true,
            },
        }
    }

    fn text_const(&mut self, t: &TextE, k: &str, sub: bool) {
        match t {
            TextE::Field(s) => {
                if let Some(u) = self.uses(*s) {
                    if sub {
                        u.subs.push(k.to_string());
                    } else {
                        u.texts.push(k.to_string());
                    }
                }
            }
            TextE::Domain(inner) => match &**inner {
                TextE::Field(s) => {
                    if let Some(u) = self.uses(*s) {
                        u.domains.push(k.to_string());
                    }
                }
                other => self.text_any(other),
            },
            TextE::Const(_) => {}
        }
    }

    /// A text read in a way the cells do not track: no class cells.
    fn text_any(&mut self, t: &TextE) {
        match t {
            TextE::Field(s) => {
                if let Some(u) = self.uses(*s) {
                    u.relational = true;
                }
            }
            TextE::Domain(inner) => {
                if let TextE::Field(s) = &**inner {
                    if let Some(u) = self.uses(*s) {
                        u.domain_opaque = true;
                    }
                }
                self.text_any(inner)
            }
            TextE::Const(_) => {}
        }
    }

    fn text_pair(&mut self, a: &TextE, b: &TextE, sub: bool) {
        match (a, b) {
            (x, TextE::Const(k)) => self.text_const(x, k.lower(), sub),
            (TextE::Const(k), x) if !sub => self.text_const(x, k.lower(), sub),
            _ => {
                self.text_any(a);
                self.text_any(b);
            }
        }
    }

    fn set_members(set: &TextSet) -> Vec<String> {
        let mut v: Vec<String> = match set {
            TextSet::Small(v) => v.iter().map(|s| s.to_string()).collect(),
            TextSet::Large(s) => s.iter().map(|s| s.to_string()).collect(),
        };
        v.sort();
        v
    }

    fn date(&mut self, d: &DateE, absolute: bool) {
        if absolute {
            self.absolute_time = true;
        }
        if let DateE::Field(s) = d {
            if let Some(u) = self.uses(*s) {
                u.ages.push(0);
                if absolute {
                    u.absolute_date = true;
                }
            }
        }
    }

    fn any(&mut self, a: &Any) {
        match a {
            Any::Num(n) => self.arith(n),
            Any::Text(t) => self.text_any(t),
            Any::Date(d) => self.date(d, false),
            Any::List(_) => {}
            Any::Cond(c) => self.cond(c),
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::Const(_) | Cond::Field(_) | Cond::FieldIs(..) | Cond::GradeIs(..) => {}
            Cond::Not(a) => self.cond(a),
            Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| self.cond(p)),
            Cond::NumCmp(_, a, b) => self.num_cmp(a, b),
            Cond::DateCmp(_, a, b) => {
                let absolute = matches!(a, DateE::Const(_)) || matches!(b, DateE::Const(_));
                self.date(a, absolute);
                self.date(b, absolute);
            }
            Cond::TextEq(_, a, b) => self.text_pair(a, b, false),
            Cond::BoolEq(_, a, b) => {
                self.cond(a);
                self.cond(b);
            }
            Cond::TextIn(_, t, set) => {
                for m in Self::set_members(set) {
                    self.text_const(t, &m, false);
                }
                if let TextE::Field(s) = t {
                    // An empty set still reads the field.
                    let _ = self.uses(*s);
                }
            }
            Cond::NumIn(_, n, set) => match n {
                Num::Field(s) => {
                    if let Some(u) = self.uses(*s) {
                        u.points.extend(set.iter().copied());
                    }
                }
                other => self.arith(other),
            },
            Cond::Text(_, a, b) => self.text_pair(a, b, true),
            Cond::ListContains(s, t) => match t {
                TextE::Const(k) => {
                    let k = k.lower().to_string();
                    if let Some(u) = self.uses(*s) {
                        u.items.push(k);
                    }
                }
                other => {
                    // Membership of another value: lists are not classes.
                    if let Some(u) = self.uses(*s) {
                        u.count_arith = true;
                    }
                    self.text_any(other)
                }
            },
            Cond::Matches(t, m) => match t {
                TextE::Field(s) => {
                    let (p, _) = m.source();
                    let p = p.to_string();
                    if let Some(u) = self.uses(*s) {
                        u.regexes.push(p);
                    }
                }
                other => self.text_any(other),
            },
            Cond::Within(d, ms) => {
                if matches!(d, DateE::Const(_)) {
                    self.absolute_time = true;
                }
                if let DateE::Field(s) = d {
                    if let Some(u) = self.uses(*s) {
                        u.ages.push(*ms);
                        u.ages.push(0);
                    }
                }
            }
            Cond::Present(_, a) => self.any(a),
            Cond::FieldCmp(_, s, c) => {
                if let Some(u) = self.uses(*s) {
                    u.points.push(*c);
                }
            }
            Cond::ScoreCmp(_, i, c) => self.add_derived(Derived::Score(*i), *c),
            Cond::PotentialCmp(_, i, c) => self.add_derived(Derived::Potential(*i), *c),
            Cond::TotalCmp(_, c) => self.add_derived(Derived::Total, *c),
            Cond::FieldTextEq(_, s, k) => {
                if let Some(u) = self.uses(*s) {
                    u.texts.push(k.to_string());
                }
            }
            Cond::FieldTextIn(_, s, set) => {
                let members = Self::set_members(set);
                if let Some(u) = self.uses(*s) {
                    u.texts.extend(members);
                }
            }
            Cond::FieldText(_, s, k) => {
                if let Some(u) = self.uses(*s) {
                    u.subs.push(k.to_string());
                }
            }
            Cond::FieldMatches(s, m) => {
                let (p, _) = m.source();
                let p = p.to_string();
                if let Some(u) = self.uses(*s) {
                    u.regexes.push(p);
                }
            }
        }
    }

    fn collect(&mut self) {
        let m = self.model;
        for rule in &m.rules {
            self.cond(&rule.when);
            if let Points::Computed(n) = &rule.points {
                self.arith(n);
            }
        }
        for score in &m.scores {
            if let Some(d) = score.decay {
                if let Some(u) = self.uses(d.slot) {
                    u.ages.push(0);
                    u.arith = true;
                }
            }
        }
        for line in m.grades.iter().flat_map(|g| g.lines.iter()) {
            self.cond(&line.when);
        }
        for r in &m.routes {
            self.cond(&r.when);
        }
    }
}

/// Strings a regex is likely to match: its top-level alternatives with
/// anchors, word boundaries and groups taken out, a character class read
/// as its first character. Only candidates: the engine decides.
pub(super) fn regex_samples(pattern: &str) -> Vec<String> {
    let mut body = pattern.trim_start_matches('^').trim_end_matches('$');
    let mut inner = body.replace("\\b", "");
    if let Some(s) = inner
        .strip_prefix("(?:")
        .or_else(|| inner.strip_prefix('('))
        .and_then(|s| s.strip_suffix(')'))
    {
        if !s.contains('(') {
            inner = s.to_string();
        }
    }
    body = &inner;
    let mut out = Vec::new();
    let parts: Vec<&str> = if body.contains('(') {
        vec![body]
    } else {
        body.split('|').collect()
    };
    for alt in parts {
        let mut s = String::new();
        let mut chars = alt.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '(' | ')' | '^' | '$' | '?' | '*' | '+' => {}
                '|' => break,
                '[' => {
                    let mut first = None;
                    for d in chars.by_ref() {
                        if d == ']' {
                            break;
                        }
                        if first.is_none() && d != '^' {
                            first = Some(d);
                        }
                    }
                    s.extend(first);
                }
                '{' => {
                    // `x{3}`, `x{2,5}`: the last character as often as the minimum.
                    let mut count = String::new();
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                        count.push(d);
                    }
                    let min: usize = count
                        .split(',')
                        .next()
                        .and_then(|n| n.trim().parse().ok())
                        .unwrap_or(1);
                    if let Some(last) = s.chars().last() {
                        for _ in 1..min.min(64) {
                            s.push(last);
                        }
                    }
                }
                '.' => s.push('a'),
                '\\' => match chars.next() {
                    Some('d') => s.push('1'),
                    Some('w') => s.push('a'),
                    Some('s') => s.push(' '),
                    Some(d) if d.is_ascii_alphabetic() => {}
                    Some(d) => s.push(d),
                    None => {}
                },
                c => s.push(c),
            }
        }
        let s = s.trim().to_string();
        if !s.is_empty() {
            out.push(s);
        }
    }
    out
}

fn sorted_points(mut v: Vec<f64>) -> Vec<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// A number strictly between `a` and `b` (either may be infinite), round
/// when it can be.
fn between(a: f64, b: f64) -> f64 {
    match (a.is_finite(), b.is_finite()) {
        (false, false) => 0.0,
        (true, false) => a.floor() + 1.0,
        (false, true) => b.ceil() - 1.0,
        (true, true) => {
            let mid = a + (b - a) / 2.0;
            let round = mid.round();
            if round > a && round < b {
                round
            } else if mid > a && mid < b {
                mid
            } else {
                a
            }
        }
    }
}

/// Sample numbers inside `(a, b)`, for fields arithmetic reads.
fn samples(a: f64, b: f64) -> Vec<f64> {
    let mut v = vec![between(a, b)];
    match (a.is_finite(), b.is_finite()) {
        (true, false) => {
            for k in [0.5, 2.0, 5.0, 10.0, 30.0, 100.0, 1000.0, 10000.0, 100_000.0] {
                v.push(a + k);
            }
        }
        (false, true) => {
            for k in [0.5, 1.0, 10.0, 100.0] {
                v.push(b - k);
            }
        }
        (true, true) => {
            for k in 1..8 {
                let x = a + (b - a) * f64::from(k) / 8.0;
                v.push(if x.round() > a && x.round() < b {
                    x.round()
                } else {
                    x
                });
            }
        }
        (false, false) => v.extend([-1.0, 1.0, 10.0, 100.0]),
    }
    v.retain(|x| *x > a && *x < b && x.is_finite());
    v
}

fn number_cells(u: &Uses) -> Vec<Cell> {
    let pts = sorted_points(u.points.clone());
    let mut cells: Vec<Cell> = Vec::new();
    let mut bounds = vec![f64::NEG_INFINITY];
    bounds.extend(pts.iter().copied());
    bounds.push(f64::INFINITY);
    for &p in &pts {
        cells.push(Cell::Exact(Value::Number(p)));
    }
    for w in bounds.windows(2) {
        let (a, b) = (w[0], w[1]);
        if u.arith {
            for x in samples(a, b) {
                cells.push(Cell::Exact(Value::Number(x)));
            }
        } else {
            // Every condition reads the field only against the constants:
            // the open interval is one class.
            cells.push(Cell::Exact(Value::Number(between(a, b))));
        }
    }
    if u.arith {
        for w in bounds.windows(2) {
            cells.push(Cell::Range(Iv::open(w[0], w[1])));
        }
    }
    cells
}

fn date_cells(u: &Uses, as_of: i64) -> Vec<Cell> {
    let mut pts: Vec<i64> = u.ages.clone();
    pts.push(0);
    pts.sort_unstable();
    pts.dedup();
    let mut ages: Vec<i64> = Vec::new();
    for &p in &pts {
        for d in [0, -1, 1, -MS_PER_DAY, MS_PER_DAY, 3 * MS_PER_DAY] {
            ages.push(p.saturating_add(d));
        }
    }
    ages.extend([
        10 * MS_PER_DAY,
        45 * MS_PER_DAY,
        120 * MS_PER_DAY,
        400 * MS_PER_DAY,
    ]);
    ages.sort_unstable();
    ages.dedup();
    let mut cells: Vec<Cell> = ages
        .into_iter()
        .filter(|a| a.abs() < 100 * 365 * MS_PER_DAY)
        .map(|a| Cell::Exact(Value::Date(as_of - a)))
        .collect();
    // Ages between the exact ones are covered by ranges: decay and
    // `days_since` read the age as a number.
    let mut bounds = vec![f64::NEG_INFINITY];
    bounds.extend(pts.iter().map(|p| *p as f64));
    bounds.push(f64::INFINITY);
    for &p in &pts {
        cells.push(Cell::Range(Iv::point(p as f64)));
    }
    for w in bounds.windows(2) {
        cells.push(Cell::Range(Iv::open(w[0], w[1])));
    }
    cells
}

fn push_text(out: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() && !out.iter().any(|o| o == s) {
        out.push(s.to_string());
    }
}

fn text_cells(u: &Uses) -> Vec<Cell> {
    let mut cands: Vec<String> = Vec::new();
    for t in u.texts.iter().chain(&u.subs) {
        push_text(&mut cands, t);
    }
    for r in &u.regexes {
        for s in regex_samples(r) {
            push_text(&mut cands, &s);
        }
    }
    for d in &u.domains {
        push_text(&mut cands, &format!("someone@{d}"));
    }
    if !u.domains.is_empty() || u.domain_opaque {
        push_text(&mut cands, "someone@example.net");
        push_text(&mut cands, "no-at-sign");
    }
    if !u.subs.is_empty() {
        // A text holding every substring constant at once.
        let all: Vec<&str> = u.subs.iter().map(|s| s.trim()).collect();
        push_text(&mut cands, &all.join(" "));
    }
    let mut fresh = String::from("sample");
    while cands.iter().any(|c| c.to_lowercase().contains(&fresh)) {
        fresh.push('z');
    }
    push_text(&mut cands, &fresh);
    let mut cells: Vec<Cell> = cands
        .iter()
        .map(|c| Cell::Exact(Value::Text(Text::new(c))))
        .collect();
    let regexes = !u.regexes.is_empty();
    let classes_only =
        !regexes && u.subs.is_empty() && u.domains.is_empty() && !u.domain_opaque && !u.relational;
    if !classes_only {
        // With a regex, texts of one lower-case form can still differ:
        // the rest is every text.
        let excluded = if regexes {
            Vec::new()
        } else {
            let mut v: Vec<Box<str>> = cands.iter().map(|c| c.to_lowercase().into()).collect();
            v.sort();
            v.dedup();
            v
        };
        cells.push(Cell::TextRest(excluded));
    }
    cells
}

fn list_cells(u: &Uses) -> Vec<Cell> {
    let mut items: Vec<String> = Vec::new();
    for i in &u.items {
        push_text(&mut items, i);
    }
    let mut lists: Vec<Vec<String>> = Vec::new();
    if items.len() <= 4 {
        for mask in 0u32..(1 << items.len()) {
            lists.push(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, s)| s.clone())
                    .collect(),
            );
        }
    } else {
        lists.push(Vec::new());
        for i in &items {
            lists.push(vec![i.clone()]);
        }
        lists.push(items.clone());
    }
    let counts = sorted_points(u.counts.clone());
    let mut out: Vec<Vec<String>> = Vec::new();
    for l in lists {
        let mut targets: Vec<usize> = vec![l.len()];
        for c in &counts {
            for t in [c.floor(), c.ceil(), c.floor() + 1.0] {
                if t >= l.len() as f64 && t <= 64.0 {
                    targets.push(t as usize);
                }
            }
        }
        if u.count_arith {
            targets.extend([l.len() + 1, l.len() + 3, l.len() + 5]);
        }
        targets.sort_unstable();
        targets.dedup();
        for t in targets {
            let mut v = l.clone();
            let mut k = 1;
            while v.len() < t {
                let filler = format!("other item {k}");
                k += 1;
                if !items.iter().any(|i| i.to_lowercase() == filler) {
                    v.push(filler);
                }
            }
            out.push(v);
        }
    }
    let mut cells: Vec<Cell> = out
        .into_iter()
        .map(|v| Cell::Exact(Value::List(v.iter().map(|s| Text::new(s)).collect())))
        .collect();
    let classes_only = items.len() <= 4 && counts.is_empty() && !u.count_arith;
    if !classes_only {
        cells.push(Cell::ListAny);
    }
    cells
}

/// Cuts every field's values into cells.
pub(super) fn build(model: &Model, as_of: i64) -> Domains {
    let mut c = Collector {
        uses: vec![Uses::default(); model.fields.len()],
        derived: Vec::new(),
        model,
        absolute_time: false,
    };
    c.collect();
    let mut fields = Vec::with_capacity(model.fields.len());
    for (f, u) in model.fields.iter().zip(&c.uses) {
        let mut cells = Vec::new();
        if !f.required {
            cells.push(Cell::Missing);
        }
        cells.extend(match f.ty {
            FieldType::Bool => vec![
                Cell::Exact(Value::Bool(true)),
                Cell::Exact(Value::Bool(false)),
            ],
            FieldType::Number => number_cells(u),
            FieldType::Text => text_cells(u),
            FieldType::Date => {
                let mut v = date_cells(u, as_of);
                if u.absolute_date {
                    v.push(Cell::Range(Iv::all()));
                }
                v
            }
            FieldType::List => list_cells(u),
        });
        fields.push(FieldCells { cells });
    }
    let derived = c
        .derived
        .into_iter()
        .map(|(d, v)| (d, sorted_points(v)))
        .collect();
    Domains {
        fields,
        derived,
        as_of,
        absolute_time: c.absolute_time,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_samples_read_alternatives() {
        assert_eq!(
            regex_samples(r"\b(vp|head|c[eft]o)\b"),
            vec!["vp".to_string(), "head".into(), "ceo".into()]
        );
        assert_eq!(
            regex_samples("^(google|bing)$"),
            vec!["google".to_string(), "bing".into()]
        );
    }

    #[test]
    fn intervals_meet_and_hull() {
        let a = Iv::open(0.0, 10.0);
        assert!(a.meet(Iv::point(0.0)).is_none());
        assert!(a.meet(Iv::point(5.0)).is_some());
        assert!(Iv::point(1.0).hull(Iv::point(2.0)) == Iv::closed(1.0, 2.0));
    }
}
