//! The search for a lead that reaches a target (a route rule, a score rule
//! firing, a grade label, a potential test differing from its score test).
//!
//! Random leads drawn from the exact cells come first: one engine run can
//! witness many targets. A target still without a witness is searched
//! depth first: the derived numbers it compares (scores, potentials,
//! `total`) are cut at their constants and fixed cell by cell, then the
//! fields it reads; a branch is pruned as soon as the abstract evaluator
//! shows no lead of it can reach the target. A branch whose fields all sit
//! in exact cells is decided by the engine itself. When every branch is
//! pruned or decided without a witness, and no abstract cell was left
//! standing, no lead reaches the target: that is the proof. Otherwise (an
//! abstract cell the evaluator could not rule out, or the budget spent) the
//! target is undecided.

use rustc_hash::FxHashSet;

use crate::bind::Lead;
use crate::check::{Model, Points};
use crate::compile::{compare_f64, Program};
use crate::eval::{evaluate, route_truth};
use crate::expr::{Cond, Num, Read, Tri};
use crate::syntax::ast::CmpOp;
use crate::value::Value;
use crate::verdict::Verdict;

use super::bounds::{compare, Node, Truths};
use super::domain::{Cell, Derived, Domains, Iv};

/// What a search looks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    /// A lead decided by route rule `r`.
    Route(u32),
    /// Route rule `r`'s condition true.
    CondTrue(u32),
    /// Route rule `r`'s condition true for a lead decided by rule `i`.
    TakenBy(u32, u32),
    /// Score rule `k` fires.
    Fires(u32),
    /// Grade `g` gives label `l`.
    Label(u32, u32),
    /// `potential(score) OP value` differs from `score OP value`.
    PotDiff(u32, CmpOp, f64),
}

/// How a search ended.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    /// A lead (one value per field) the engine takes to the target.
    Witness(Vec<Value>),
    /// No lead reaches the target: every branch was ruled out.
    Never,
    /// Neither shown: `true` when the budget ran out, `false` when an
    /// abstract cell could not be ruled out.
    Undecided(bool),
}

/// A small deterministic generator (SplitMix64): the same leads on every
/// platform.
pub(super) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// What a condition reads.
#[derive(Default)]
struct Reads {
    fields: Vec<u32>,
    scores: Vec<u32>,
    grades: Vec<u32>,
    derived: Vec<Derived>,
}

impl Reads {
    fn field(&mut self, s: u32) {
        if !self.fields.contains(&s) {
            self.fields.push(s);
        }
    }
    fn derive(&mut self, d: Derived) {
        if !self.derived.contains(&d) {
            self.derived.push(d);
        }
    }
    fn note(&mut self, r: Read) {
        match r {
            Read::Field(s) => self.field(s),
            Read::Score(i) | Read::Potential(i) => {
                if !self.scores.contains(&i) {
                    self.scores.push(i);
                }
                self.derive(match r {
                    Read::Score(_) => Derived::Score(i),
                    _ => Derived::Potential(i),
                });
            }
            Read::Total => {
                self.derive(Derived::Total);
                self.scores.push(u32::MAX);
            }
            Read::Grade(g) => {
                if !self.grades.contains(&g) {
                    self.grades.push(g);
                }
                self.derive(Derived::Grade(g));
            }
        }
    }
    fn num(&mut self, n: &Num) {
        n.reads(&mut |r| self.note(r));
    }
    fn cond(&mut self, c: &Cond) {
        c.reads(&mut |r| self.note(r));
    }
}

/// The engine's answer for one lead.
pub(super) struct Run {
    pub lead: Lead,
    pub verdict: Verdict,
}

pub(super) struct Searcher<'a> {
    pub program: &'a Program,
    pub dom: &'a Domains,
    /// Work left (abstract evaluations weighted by the agreement's size).
    pub budget: u64,
    /// Work one node costs.
    pub node_cost: u64,
    /// Nodes one search may visit.
    pub per_search: u64,
    /// Engine runs of the walk before the depth-first search.
    pub walk: u32,
}

impl<'a> Searcher<'a> {
    fn model(&self) -> &'a Model {
        &self.program.model
    }

    /// Runs the engine on one value per field.
    pub fn run(&self, values: Vec<Value>) -> Run {
        let lead = Lead {
            values,
            warnings: Vec::new(),
            error: None,
            misnamed: Vec::new(),
        };
        let verdict = evaluate(self.program, &lead, self.dom.as_of, true);
        Run { lead, verdict }
    }

    /// Whether the engine's run reaches the target.
    pub fn reaches(&self, run: &Run, t: Target) -> bool {
        let v = &run.verdict;
        let truth = |r: u32| {
            route_truth(self.program, &run.lead, v, self.dom.as_of, r as usize) == Tri::True
        };
        match t {
            Target::Route(r) => v.route == r,
            Target::CondTrue(r) => truth(r),
            Target::TakenBy(r, i) => v.route == i && truth(r),
            Target::Fires(k) => v.fired.iter().any(|f| f.rule == k),
            Target::Label(g, l) => v.grades.get(g as usize) == Some(&l),
            Target::PotDiff(s, op, c) => {
                match (v.scores.get(s as usize), v.potentials.get(s as usize)) {
                    (Some(a), Some(b)) => compare_f64(op, *a, c) != compare_f64(op, *b, c),
                    _ => false,
                }
            }
        }
    }

    /// How far a run is from the target: for a route rule, the earlier
    /// rules that match plus one when its own condition is not true.
    fn distance(&self, run: &Run, t: Target) -> usize {
        match t {
            Target::Route(r) => {
                let truth = |i: u32| {
                    route_truth(
                        self.program,
                        &run.lead,
                        &run.verdict,
                        self.dom.as_of,
                        i as usize,
                    )
                };
                (0..r).filter(|i| truth(*i) == Tri::True).count()
                    + usize::from(truth(r) != Tri::True)
            }
            _ => usize::from(!self.reaches(run, t)),
        }
    }

    /// A default lead: every field missing, or its first exact cell when
    /// it is required.
    pub fn base(&self) -> Vec<Value> {
        self.dom
            .fields
            .iter()
            .map(|f| {
                f.cells
                    .iter()
                    .find_map(|c| match c {
                        Cell::Missing => Some(Value::Missing),
                        Cell::Exact(v) => Some(v.clone()),
                        _ => None,
                    })
                    .unwrap_or(Value::Missing)
            })
            .collect()
    }

    /// A random lead over the exact cells.
    pub fn sample(&self, rng: &mut Rng) -> Vec<Value> {
        self.dom
            .fields
            .iter()
            .map(|f| {
                let exact: Vec<&Cell> = f.cells.iter().filter(|c| c.is_exact()).collect();
                let has_missing = matches!(exact.first(), Some(Cell::Missing));
                if has_missing && rng.below(10) < 3 {
                    return Value::Missing;
                }
                match exact.get(rng.below(exact.len())) {
                    Some(Cell::Exact(v)) => v.clone(),
                    _ => Value::Missing,
                }
            })
            .collect()
    }

    /// Drops the values the witness does not need: each field in turn is
    /// set to missing (or its default) when the target is still reached.
    pub fn minimize(&self, mut values: Vec<Value>, t: Target) -> Vec<Value> {
        let base = self.base();
        for i in 0..values.len() {
            let Some(b) = base.get(i) else { continue };
            if values.get(i) == Some(b) {
                continue;
            }
            let mut trial = values.clone();
            if let Some(slot) = trial.get_mut(i) {
                *slot = b.clone();
            }
            let run = self.run(trial);
            if self.reaches(&run, t) {
                values = run.lead.values;
            }
        }
        values
    }

    fn conds_of(&self, t: Target) -> Vec<&'a Cond> {
        let m = self.model();
        let route = |r: u32| m.routes.get(r as usize).map(|x| &x.when);
        match t {
            // The rule's own condition first: its fields are searched first.
            Target::Route(r) => route(r)
                .into_iter()
                .chain(m.routes.iter().take(r as usize).map(|x| &x.when))
                .collect(),
            Target::CondTrue(r) => route(r).into_iter().collect(),
            Target::TakenBy(r, i) => route(r)
                .into_iter()
                .chain(m.routes.iter().take(i as usize + 1).map(|x| &x.when))
                .collect(),
            Target::Fires(k) => m
                .rules
                .get(k as usize)
                .map(|x| &x.when)
                .into_iter()
                .collect(),
            Target::Label(g, l) => m
                .grades
                .get(g as usize)
                .map(|gr| {
                    gr.lines
                        .iter()
                        .take_while(|x| x.label != l)
                        .chain(gr.lines.iter().find(|x| x.label == l))
                        .map(|x| &x.when)
                        .collect()
                })
                .unwrap_or_default(),
            Target::PotDiff(..) => Vec::new(),
        }
    }

    /// The derived numbers and fields a target depends on, in search order.
    /// Also how many of the fields the conditions read directly (they come first).
    fn variables(&self, t: Target) -> (Vec<DerivedCells>, Vec<u32>, usize) {
        let m = self.model();
        let mut reads = Reads::default();
        for c in self.conds_of(t) {
            reads.cond(c);
        }
        match t {
            Target::Fires(k) => {
                if let Some(Points::Computed(n)) = m.rules.get(k as usize).map(|r| &r.points) {
                    reads.num(n);
                }
            }
            Target::PotDiff(s, ..) => {
                reads.num(&Num::Score(s));
                reads.num(&Num::Potential(s));
            }
            _ => {}
        }
        // Grades read other grades, scores and fields.
        let mut gi = 0;
        while let Some(&g) = reads.grades.get(gi) {
            gi += 1;
            if let Some(grade) = m.grades.get(g as usize) {
                for line in &grade.lines {
                    reads.cond(&line.when);
                }
            }
        }
        let mut fields = reads.fields.clone();
        let direct = fields.len();
        let all_scores = reads.scores.contains(&u32::MAX);
        for (si, score) in m.scores.iter().enumerate() {
            if !all_scores && !reads.scores.contains(&(si as u32)) {
                continue;
            }
            for &ri in &score.rules {
                if let Some(rule) = m.rules.get(ri as usize) {
                    let mut r = Reads::default();
                    r.cond(&rule.when);
                    if let Points::Computed(n) = &rule.points {
                        r.num(n);
                    }
                    for s in r.fields {
                        if !fields.contains(&s) {
                            fields.push(s);
                        }
                    }
                }
            }
            if let Some(d) = score.decay {
                if !fields.contains(&d.slot) {
                    fields.push(d.slot);
                }
            }
        }
        // In the order the conditions name them, the target's own first:
        // the numbers and labels that decide it are fixed first.
        let mut derived = Vec::new();
        for d in reads.derived {
            if let Derived::Grade(g) = d {
                if let Some(grade) = m.grades.get(g as usize) {
                    let cells = (0..grade.labels.len())
                        .map(|l| Iv::point(l as f64))
                        .collect();
                    derived.push((d, cells));
                }
                continue;
            }
            let mut pts: Vec<f64> = self.dom.breakpoints(d).to_vec();
            if let Target::PotDiff(s, _, c) = t {
                if d == Derived::Score(s) || d == Derived::Potential(s) {
                    pts.push(c);
                }
            }
            pts.sort_by(f64::total_cmp);
            pts.dedup();
            let mut cells = Vec::new();
            let mut prev = f64::NEG_INFINITY;
            for &p in &pts {
                cells.push(Iv::open(prev, p));
                cells.push(Iv::point(p));
                prev = p;
            }
            cells.push(Iv::open(prev, f64::INFINITY));
            derived.push((d, cells));
        }
        (derived, fields, direct)
    }

    /// Whether a lead of the node may reach the target.
    fn possible(&self, node: &Node<'a>, t: Target) -> bool {
        if node.empty {
            return false;
        }
        let m = self.model();
        let cond = |r: u32| {
            m.routes
                .get(r as usize)
                .map_or(Truths::NONE, |x| node.cond(&x.when))
        };
        match t {
            Target::Route(r) => (0..r).all(|i| cond(i).can_pass()) && cond(r).can_true(),
            Target::CondTrue(r) => cond(r).can_true(),
            Target::TakenBy(r, i) => {
                cond(r).can_true() && (0..i).all(|k| cond(k).can_pass()) && cond(i).can_true()
            }
            Target::Fires(k) => match m.rules.get(k as usize) {
                Some(rule) => {
                    node.cond(&rule.when).can_true()
                        && match &rule.points {
                            Points::Const(_) => true,
                            Points::Computed(n) => node.num(n).iv.is_some(),
                        }
                }
                None => false,
            },
            Target::Label(g, l) => node
                .grades
                .get(g as usize)
                .and_then(|x| x.get(l as usize))
                .copied()
                .unwrap_or(false),
            Target::PotDiff(s, op, c) => match node.scores.get(s as usize) {
                Some(a) => {
                    let x = compare(op, a.score, Iv::point(c));
                    let y = compare(op, a.potential, Iv::point(c));
                    (x.can_true() && y.can_false()) || (x.can_false() && y.can_true())
                }
                None => false,
            },
        }
    }

    /// Searches for a lead that reaches `t`.
    pub fn search(&mut self, t: Target) -> Outcome {
        if self.budget < self.node_cost {
            return Outcome::Undecided(true);
        }
        let (derived_vars, fields, direct) = self.variables(t);
        let m = self.model();
        let mut assign: Vec<Option<u16>> = vec![None; m.fields.len()];
        let mut derived: Vec<(Derived, Option<Iv>)> =
            derived_vars.iter().map(|(d, _)| (*d, None)).collect();
        // Each field's cells that, alone, leave the target possible: a cell
        // that rules it out rules out every lead in it.
        let mut live: Vec<Vec<u16>> = Vec::with_capacity(fields.len());
        // (Only the fields the conditions read directly: a field behind a
        // score seldom rules a target out alone, and each test reads every
        // rule.)
        for (k, &f) in fields.iter().enumerate() {
            let n = self.dom.fields.get(f as usize).map_or(0, |x| x.cells.len());
            if k >= direct {
                live.push((0..n as u16).collect());
                continue;
            }
            let mut keep = Vec::new();
            for c in 0..n {
                if self.budget < self.node_cost {
                    return Outcome::Undecided(true);
                }
                self.budget -= self.node_cost;
                if let Some(a) = assign.get_mut(f as usize) {
                    *a = Some(c as u16);
                }
                let node = Node::new(m, self.dom, &assign, &derived);
                if self.possible(&node, t) {
                    keep.push(c as u16);
                }
            }
            if let Some(a) = assign.get_mut(f as usize) {
                *a = None;
            }
            if keep.is_empty() {
                return Outcome::Never;
            }
            live.push(keep);
        }
        // Random leads over the live exact cells.
        let mut rng = Rng::new(0x5eed ^ u64::from(fields.len() as u32));
        let run_cost = self.node_cost
            / self
                .dom
                .fields
                .iter()
                .map(|f| f.cells.len() as u64)
                .max()
                .unwrap_or(1)
                .max(1);
        for _ in 0..self.walk.min(400) {
            if self.budget < run_cost {
                return Outcome::Undecided(true);
            }
            self.budget -= run_cost;
            let mut values = self.base();
            for (&f, cells) in fields.iter().zip(&live) {
                let exact: Vec<&Cell> = cells
                    .iter()
                    .filter_map(|c| self.dom.fields.get(f as usize)?.cells.get(*c as usize))
                    .filter(|c| c.is_exact())
                    .collect();
                let v = match exact.get(rng.below(exact.len())) {
                    Some(Cell::Exact(v)) => v.clone(),
                    _ => Value::Missing,
                };
                if let Some(slot) = values.get_mut(f as usize) {
                    *slot = v;
                }
            }
            let run = self.run(values);
            if self.reaches(&run, t) {
                return Outcome::Witness(run.lead.values);
            }
        }
        // Then a walk: one field changed at a time, kept unless it makes
        // the lead farther from the target.
        let mut current = self.run(self.base());
        let mut distance = self.distance(&current, t);
        for _ in 0..self.walk {
            if self.budget < run_cost {
                return Outcome::Undecided(true);
            }
            self.budget -= run_cost;
            let k = rng.below(fields.len());
            let (Some(&f), Some(cells)) = (fields.get(k), live.get(k)) else {
                break;
            };
            let cell = cells
                .get(rng.below(cells.len()))
                .and_then(|c| self.dom.fields.get(f as usize)?.cells.get(*c as usize));
            let v = match cell {
                Some(Cell::Exact(v)) => v.clone(),
                Some(Cell::Missing) => Value::Missing,
                _ => continue,
            };
            let mut values = current.lead.values.clone();
            if let Some(slot) = values.get_mut(f as usize) {
                *slot = v;
            }
            let run = self.run(values);
            if self.reaches(&run, t) {
                return Outcome::Witness(run.lead.values);
            }
            let d = self.distance(&run, t);
            if d <= distance {
                distance = d;
                current = run;
            }
        }
        let mut st = State {
            nodes: 0,
            tainted: false,
            out_of_budget: false,
            seen: FxHashSet::default(),
        };
        let plan = Plan {
            t,
            derived_vars: &derived_vars,
            fields: &fields,
            live: &live,
        };
        let found = self.dfs(&plan, 0, &mut assign, &mut derived, &mut st);
        match found {
            Some(v) => Outcome::Witness(v),
            None if st.out_of_budget => Outcome::Undecided(true),
            None if st.tainted => Outcome::Undecided(false),
            None => Outcome::Never,
        }
    }

    fn dfs(
        &mut self,
        plan: &Plan<'_>,
        depth: usize,
        assign: &mut Vec<Option<u16>>,
        derived: &mut Vec<(Derived, Option<Iv>)>,
        st: &mut State,
    ) -> Option<Vec<Value>> {
        let Plan {
            t,
            derived_vars,
            fields,
            live,
        } = *plan;
        if st.out_of_budget {
            return None;
        }
        st.nodes += 1;
        if st.nodes > self.per_search || self.budget < self.node_cost {
            st.out_of_budget = true;
            return None;
        }
        self.budget -= self.node_cost;
        {
            let node = Node::new(self.model(), self.dom, assign, derived);
            if !self.possible(&node, t) {
                return None;
            }
        }
        let nd = derived_vars.len();
        if depth < nd {
            let (_, cells) = derived_vars.get(depth)?;
            for iv in cells {
                if let Some(slot) = derived.get_mut(depth) {
                    slot.1 = Some(*iv);
                }
                if let Some(w) = self.dfs(plan, depth + 1, assign, derived, st) {
                    return Some(w);
                }
                if st.out_of_budget {
                    return None;
                }
            }
            if let Some(slot) = derived.get_mut(depth) {
                slot.1 = None;
            }
            return None;
        }
        let fi = depth - nd;
        let Some(&slot) = fields.get(fi) else {
            return self.leaf(t, fields, assign, st);
        };
        for &c in live.get(fi).map_or(&[][..], |v| &v[..]) {
            if let Some(a) = assign.get_mut(slot as usize) {
                *a = Some(c);
            }
            if let Some(w) = self.dfs(plan, depth + 1, assign, derived, st) {
                return Some(w);
            }
            if st.out_of_budget {
                break;
            }
        }
        if let Some(a) = assign.get_mut(slot as usize) {
            *a = None;
        }
        None
    }

    fn leaf(
        &mut self,
        t: Target,
        fields: &[u32],
        assign: &[Option<u16>],
        st: &mut State,
    ) -> Option<Vec<Value>> {
        let mut values = self.base();
        let mut key = Vec::with_capacity(fields.len());
        for &s in fields {
            let cell = assign
                .get(s as usize)
                .copied()
                .flatten()
                .and_then(|c| self.dom.fields.get(s as usize)?.cells.get(c as usize));
            match cell {
                Some(Cell::Missing) => {
                    if let Some(v) = values.get_mut(s as usize) {
                        *v = Value::Missing;
                    }
                }
                Some(Cell::Exact(x)) => {
                    if let Some(v) = values.get_mut(s as usize) {
                        *v = x.clone();
                    }
                }
                _ => {
                    // An abstract cell the evaluator could not rule out.
                    st.tainted = true;
                    return None;
                }
            }
            key.push(assign.get(s as usize).copied().flatten().unwrap_or(0));
        }
        if !st.seen.insert(key) {
            return None;
        }
        let run = self.run(values);
        if self.reaches(&run, t) {
            return Some(run.lead.values);
        }
        if self.dom.absolute_time {
            // The engine ran at one instant; another could decide otherwise.
            st.tainted = true;
        }
        None
    }
}

/// A derived number (or grade) and the cells the search tries for it.
type DerivedCells = (Derived, Vec<Iv>);

/// What one search works through: the target, the derived numbers and
/// fields in search order, and each field's live cells.
#[derive(Clone, Copy)]
struct Plan<'p> {
    t: Target,
    derived_vars: &'p [(Derived, Vec<Iv>)],
    fields: &'p [u32],
    live: &'p [Vec<u16>],
}

struct State {
    nodes: u64,
    tainted: bool,
    out_of_budget: bool,
    seen: FxHashSet<Vec<u16>>,
}
