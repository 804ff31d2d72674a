//! Column-at-a-time scoring of a record batch ([`Columnar`]): each field's
//! column is bound once per distinct value ([`slots`]), each condition is
//! evaluated over a whole column (once per distinct value of the field it
//! reads, then gathered; `and` / `or` / `not` by Kleene logic over the
//! parts' columns), scores are summed rule by rule over all rows, and the
//! decision columns are built from those columns ([`out`]).
//!
//! Every node means what it means per lead: a condition on one field is
//! evaluated by the per-lead evaluator itself (`eval::Ctx`), on that
//! field's distinct values; a leaf that reads several fields, or fields
//! and scores (`visits > engagement`), by the same evaluator row by row
//! with those fields' values swapped in; and the sums, decay, ranges,
//! grades and routes take the same floating-point steps in the same
//! order. The output is
//! the per-lead path's, cell for cell (`tests/columnar/` compares them
//! on random agreements and batches and on the conformance corpus).

mod out;
mod plan;
mod slots;
mod texts;

use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, SchemaRef};

use crate::bind::{LeadError, OnBadValue};
use crate::check::{Model, Points};
use crate::compile::compare_f64;
use crate::eval::{decay_factor, finish, Ctx};
use crate::expr::{Cond, Num, Tri};
use crate::syntax::ast::CmpOp;
use crate::value::{saturate, Value};
use crate::{Agreement, DecisionColumns, ScoreOptions};
use smallvec::SmallVec;

use out::Scored;
use plan::Node;
use slots::Slot;

/// A condition's truth per row: [`F`], [`U`] or [`T`], ordered so that
/// Kleene `and` is the minimum and `or` the maximum.
type Truth = Vec<u8>;
const F: u8 = 0;
const U: u8 = 1;
const T: u8 = 2;

fn truth(t: Tri) -> u8 {
    match t {
        Tri::False => F,
        Tri::Unknown => U,
        Tri::True => T,
    }
}

/// `x OP k` for each `x` by `compare_f64`, one loop per operator (the
/// operator a constant in each, so the compiler drops the match).
fn compare(op: CmpOp, xs: &[f64], k: f64) -> Truth {
    fn each(xs: &[f64], f: impl Fn(f64) -> bool) -> Truth {
        xs.iter().map(|x| if f(*x) { T } else { F }).collect()
    }
    match op {
        CmpOp::Eq => each(xs, |a| compare_f64(CmpOp::Eq, a, k)),
        CmpOp::Ne => each(xs, |a| compare_f64(CmpOp::Ne, a, k)),
        CmpOp::Lt => each(xs, |a| compare_f64(CmpOp::Lt, a, k)),
        CmpOp::Le => each(xs, |a| compare_f64(CmpOp::Le, a, k)),
        CmpOp::Gt => each(xs, |a| compare_f64(CmpOp::Gt, a, k)),
        CmpOp::Ge => each(xs, |a| compare_f64(CmpOp::Ge, a, k)),
    }
}

/// A score rule's points, planned.
enum PointsPlan {
    Const(f64),
    /// Computed from at most one field, once per distinct value.
    Computed(Option<u32>, Num),
    /// Computed from several fields, per row.
    Row(SmallVec<[u32; 4]>, Num),
}

struct RulePlan {
    when: Node,
    points: PointsPlan,
}

/// Scores record batches column by column, with the decisions the
/// per-lead path makes (see the module documentation). Built once per
/// call, for one agreement and its options.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// use leadgate::arrow::{decision_schema, Columnar};
/// let a = leadgate::Agreement::compile(r#"agreement "A"
///   fields { size : number  country : text }
///   score s { +10 "Big" when size > 100  +5 "German" when country == "de" }
///   route { sales "Hot" when s >= 15  nurture otherwise }"#)?;
/// let columns = a.decision_columns("")?;
/// let opts = leadgate::ScoreOptions::now();
/// let columnar = Columnar::new(&a, &opts, &columns).expect("a shape it covers");
/// let batch = RecordBatch::try_from_iter([
///     ("size", Arc::new(Float64Array::from(vec![Some(500.0), None])) as ArrayRef),
///     ("country", Arc::new(StringArray::from(vec!["DE", "FR"])) as ArrayRef),
/// ])?;
/// let out = columnar.score(&batch, &decision_schema(&columns))?;
/// let rule = out.column_by_name("route_rule").expect("a column");
/// assert_eq!(rule.as_any().downcast_ref::<StringArray>().map(|r| r.value(0)), Some("Hot"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Columnar {
    agreement: Agreement,
    as_of: i64,
    on_bad: OnBadValue,
    explain: bool,
    /// Per score rule, by index.
    rules: Vec<RulePlan>,
    /// Per grade, per line.
    grades: Vec<Vec<Node>>,
    routes: Vec<Node>,
    /// Per field slot, whether a condition, points or decay reads it.
    used: Vec<bool>,
}

impl Columnar {
    /// The columnar plan of `agreement` with `opts`, writing `columns`;
    /// `None` for a roster's columns (assignments depend on the leads
    /// before, in order: the caller assigns per lead).
    pub fn new(
        agreement: &Agreement,
        opts: &ScoreOptions,
        columns: &DecisionColumns,
    ) -> Option<Columnar> {
        if columns.has_roster() {
            return None;
        }
        let m = agreement.model();
        let mut used = vec![false; m.fields.len()];
        let mut mark = |slot: Option<u32>| {
            if let Some(u) = slot.and_then(|s| used.get_mut(s as usize)) {
                *u = true;
            }
        };
        let mut rules = Vec::with_capacity(m.rules.len());
        for rule in &m.rules {
            // Score rules read fields only (the checker's rule; a rule
            // that read a score would see none, per lead).
            let when = plan::cond(&rule.when);
            if when.derived() {
                return None;
            }
            let points = match &rule.points {
                Points::Const(p) => PointsPlan::Const(*p),
                Points::Computed(n) => match plan::num(n) {
                    // Points read fields only (the checker's rule).
                    (_, true) => return None,
                    (slots, false) if slots.len() <= 1 => {
                        PointsPlan::Computed(slots.first().copied(), n.clone())
                    }
                    (slots, false) => PointsPlan::Row(slots, n.clone()),
                },
            };
            rules.push(RulePlan { when, points });
        }
        let grades: Vec<Vec<Node>> = (m.grades.iter())
            .map(|g| g.lines.iter().map(|l| plan::cond(&l.when)).collect())
            .collect();
        let routes: Vec<Node> = m.routes.iter().map(|r| plan::cond(&r.when)).collect();
        let all = (rules.iter().map(|r| &r.when))
            .chain(grades.iter().flatten())
            .chain(&routes);
        for node in all {
            node.fields(&mut mark);
        }
        for r in &rules {
            match &r.points {
                PointsPlan::Const(_) => {}
                PointsPlan::Computed(slot, _) => mark(*slot),
                PointsPlan::Row(slots, _) => slots.iter().for_each(|s| mark(Some(*s))),
            }
        }
        for s in &m.scores {
            mark(s.decay.map(|d| d.slot));
        }
        Some(Columnar {
            agreement: agreement.clone(),
            as_of: opts.as_of().unix_ms(),
            on_bad: opts.bad_values(),
            explain: opts.explains(),
            rules,
            grades,
            routes,
            used,
        })
    }

    /// The decision columns of every row of `batch`, in order (`schema`:
    /// [`decision_schema`](super::decision_schema) of the columns `new`
    /// was given).
    pub fn score(
        &self,
        batch: &RecordBatch,
        schema: &SchemaRef,
    ) -> Result<RecordBatch, ArrowError> {
        let m = self.agreement.model();
        let rows = batch.num_rows();
        let slots = (m.fields.iter().zip(&self.used))
            .map(|(f, used)| slots::bind(batch, f, self.on_bad, *used))
            .collect();
        let mut ev = Eval {
            m,
            rows,
            as_of: self.as_of,
            slots,
            scratch: vec![Value::Missing; m.fields.len()],
            scores: Vec::with_capacity(m.scores.len()),
            potentials: Vec::with_capacity(m.scores.len()),
            total: vec![0.0; rows],
            grades: Vec::with_capacity(m.grades.len()),
        };
        let fired = self.sum(&mut ev);
        for lines in &self.grades {
            ev.grade(lines);
        }
        let route = ev.route(&self.routes);
        let (errors, any_error) = ev.errors();
        let scored = Scored {
            rows,
            errors,
            any_error,
            route,
            total: ev.total,
            scores: ev.scores,
            grades: ev.grades,
            fired,
        };
        scored.batch(m, schema)
    }

    /// Sums every score over all rows, rule by rule, as `eval::evaluate`
    /// does per lead; returns which rules fired for each row (explaining).
    fn sum(&self, ev: &mut Eval<'_>) -> Fired {
        let (m, rows) = (ev.m, ev.rows);
        let mut fired = Fired {
            rules: Vec::new(),
            words: if self.explain {
                m.rules.len().div_ceil(64)
            } else {
                0
            },
            masks: Vec::new(),
        };
        fired.masks = vec![0; rows * fired.words];
        for score in &m.scores {
            let mut sum = vec![0.0f64; rows];
            let mut extra = vec![0.0f64; rows];
            for &ri in &score.rules {
                let (Some(rule), Some(p)) = (m.rules.get(ri as usize), self.rules.get(ri as usize))
                else {
                    continue;
                };
                let when = ev.truth(&p.when);
                let sign = if rule.negative { -1.0 } else { 1.0 };
                let cap = |p: f64| match rule.cap {
                    Some(c) => p.min(c),
                    None => p,
                };
                let rows = when.iter().zip(sum.iter_mut().zip(extra.iter_mut()));
                // Computed points, per row (`None`: constant points).
                let computed = match &p.points {
                    PointsPlan::Const(_) => None,
                    PointsPlan::Computed(slot, n) => Some(ev.numbers(*slot, n)),
                    PointsPlan::Row(slots, n) => Some(ev.per_row(slots, |ctx| ctx.num(n))),
                };
                match (&p.points, &computed) {
                    (PointsPlan::Const(points), _) => {
                        let add = sign * cap(*points);
                        // Selects, not additions of 0.0 (which would turn a
                        // -0.0 into 0.0): every value stays bit for bit.
                        let open = (!rule.negative).then(|| cap(*points));
                        for (t, (sum, extra)) in rows {
                            let fired = saturate(*sum + add);
                            *sum = if *t == T { fired } else { *sum };
                            if let Some(open) = open {
                                let more = *extra + open;
                                *extra = if *t == U { more } else { *extra };
                            }
                        }
                    }
                    (_, Some(computed)) => {
                        // Undecided, a rule of computed points adds its cap.
                        let open = rule.cap.unwrap_or(0.0);
                        for ((t, (sum, extra)), x) in rows.zip(computed) {
                            match (*t, x) {
                                (T, Some(p)) => *sum = saturate(*sum + sign * cap(*p)),
                                (F, _) => {}
                                _ if !rule.negative => *extra += open,
                                _ => {}
                            }
                        }
                    }
                    (_, None) => {}
                }
                if self.explain {
                    // The rule's place in a decision's list of fired rules:
                    // a bit of one word of each row's mask.
                    let k = fired.rules.len();
                    let (word, bit) = (k / 64, 1u64 << (k % 64));
                    match &computed {
                        // One word a row (at most 64 rules), constant points:
                        // a loop the compiler vectorises.
                        None if fired.words == 1 => {
                            for (m, t) in fired.masks.iter_mut().zip(&when) {
                                *m |= bit & 0u64.wrapping_sub(u64::from(*t == T));
                            }
                        }
                        _ => {
                            let known = |row: usize| match &computed {
                                None => true,
                                Some(c) => matches!(c.get(row), Some(Some(_))),
                            };
                            let masks = fired.masks.chunks_exact_mut(fired.words.max(1));
                            for (row, (m, t)) in masks.zip(&when).enumerate() {
                                if let Some(m) = m.get_mut(word) {
                                    *m |= bit * u64::from(*t == T && known(row));
                                }
                            }
                        }
                    }
                    fired.rules.push(ri);
                }
            }
            let as_of = ev.as_of;
            let factor = match score.decay {
                Some(d) => ev.per_value(d.slot, |v| match v {
                    Value::Date(date) => decay_factor(as_of, *date, d.every_ms),
                    _ => 1.0,
                }),
                None => Vec::new(),
            };
            let (mut s, mut pot) = (sum.clone(), sum);
            for row in 0..rows {
                let f = factor.get(row).copied().unwrap_or(1.0);
                s[row] = finish(s[row], f, score.range);
                pot[row] = finish(saturate(pot[row] + extra[row]), f, score.range);
                ev.total[row] = saturate(ev.total[row] + s[row]);
            }
            ev.scores.push(s);
            ev.potentials.push(pot);
        }
        fired
    }
}

/// Which score rules fired, per row: a bit per rule, in the order a
/// decision lists them.
pub(super) struct Fired {
    /// The rules, by index, in that order (none without explanations).
    pub(super) rules: Vec<u32>,
    /// Words of bits per row.
    pub(super) words: usize,
    /// `words` words per row, row after row.
    pub(super) masks: Vec<u64>,
}

impl Node {
    /// Whether a part reads scores, potentials, the total or grades.
    fn derived(&self) -> bool {
        match self {
            Node::Field(..) => false,
            Node::Derived(_) => true,
            Node::Row(_, c) => {
                let mut derived = false;
                c.reads(&mut |r| derived |= !matches!(r, crate::expr::Read::Field(_)));
                derived
            }
            Node::And(parts) | Node::Or(parts) => parts.iter().any(Node::derived),
            Node::Not(a) => a.derived(),
        }
    }

    /// Marks each field the node reads.
    fn fields(&self, mark: &mut impl FnMut(Option<u32>)) {
        match self {
            Node::Field(slot, _) => mark(*slot),
            Node::Row(slots, _) => slots.iter().for_each(|s| mark(Some(*s))),
            Node::Derived(_) => {}
            Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| p.fields(mark)),
            Node::Not(a) => a.fields(mark),
        }
    }
}

/// A batch being scored: its bound columns and what is known so far.
struct Eval<'m> {
    m: &'m Model,
    rows: usize,
    as_of: i64,
    slots: Vec<Slot>,
    /// Every field missing but the one being evaluated.
    scratch: Vec<Value>,
    /// Per score, per row (filled score by score).
    scores: Vec<Vec<f64>>,
    potentials: Vec<Vec<f64>>,
    total: Vec<f64>,
    /// Per grade, per row (filled grade by grade).
    grades: Vec<Vec<u32>>,
}

impl Eval<'_> {
    fn ctx<'a>(&'a self, values: &'a [Value]) -> Ctx<'a> {
        Ctx::values(values, self.as_of)
    }

    /// `f` of each distinct value of field `slot`, per row.
    fn per_value<X: Copy>(&self, slot: u32, f: impl Fn(&Value) -> X) -> Vec<X> {
        let Some(s) = self.slots.get(slot as usize) else {
            return vec![f(&Value::Missing); self.rows];
        };
        let table: Vec<X> = s.values.iter().map(&f).collect();
        let missing = f(&Value::Missing);
        (s.codes.iter())
            .map(|c| table.get(*c as usize).copied().unwrap_or(missing))
            .collect()
    }

    /// Evaluates `eval` with each distinct value of field `slot` in its
    /// place among the other fields (missing), per row.
    fn per_lead_value<X: Copy>(
        &mut self,
        slot: Option<u32>,
        eval: impl Fn(&Ctx<'_>) -> X,
    ) -> Vec<X> {
        let (table, missing) = self.table(slot, eval);
        match slot.and_then(|s| self.slots.get(s as usize)) {
            Some(s) => (s.codes.iter())
                .map(|c| table.get(*c as usize).copied().unwrap_or(missing))
                .collect(),
            None => vec![missing; self.rows],
        }
    }

    /// `eval` of each distinct value of field `slot` (in its place among
    /// the other fields, missing), by code, and of a missing value.
    fn table<X: Copy>(&mut self, slot: Option<u32>, eval: impl Fn(&Ctx<'_>) -> X) -> (Vec<X>, X) {
        let mut scratch = std::mem::take(&mut self.scratch);
        let missing = eval(&self.ctx(&scratch));
        let table = match slot.filter(|s| (*s as usize) < scratch.len().min(self.slots.len())) {
            None => Vec::new(),
            Some(slot) => {
                let at = slot as usize;
                let mut values = std::mem::take(&mut self.slots[at].values);
                let table: Vec<X> = (values.iter_mut())
                    .map(|v| {
                        std::mem::swap(v, &mut scratch[at]);
                        let x = eval(&self.ctx(&scratch));
                        std::mem::swap(v, &mut scratch[at]);
                        x
                    })
                    .collect();
                self.slots[at].values = values;
                table
            }
        };
        self.scratch = scratch;
        (table, missing)
    }

    /// A number of at most one field, per row (`None`: missing).
    fn numbers(&mut self, slot: Option<u32>, n: &Num) -> Vec<Option<f64>> {
        self.per_lead_value(slot, |ctx| ctx.num(n))
    }

    /// A condition's truth per row.
    fn truth(&mut self, node: &Node) -> Truth {
        match node {
            Node::Field(slot, c) => self.per_lead_value(*slot, |ctx| truth(ctx.cond(c))),
            Node::Derived(c) => self.derived(c),
            Node::Row(slots, c) => self.per_row(slots, |ctx| truth(ctx.cond(c))),
            Node::And(parts) => self.combine(parts, T, u8::min),
            Node::Or(parts) => self.combine(parts, F, u8::max),
            Node::Not(a) => {
                let mut t = self.truth(a);
                t.iter_mut().for_each(|x| *x = T - *x);
                t
            }
        }
    }

    fn combine(&mut self, parts: &[Node], unit: u8, op: impl Fn(u8, u8) -> u8) -> Truth {
        let mut acc = vec![unit; self.rows];
        for p in parts {
            // A part on one field is folded in from its table, without a
            // column of its own.
            if let Node::Field(Some(slot), c) = p {
                let (table, missing) = self.table(Some(*slot), |ctx| truth(ctx.cond(c)));
                if let Some(s) = self.slots.get(*slot as usize) {
                    for (a, code) in acc.iter_mut().zip(&s.codes) {
                        *a = op(*a, table.get(*code as usize).copied().unwrap_or(missing));
                    }
                    continue;
                }
            }
            let t = self.truth(p);
            acc.iter_mut().zip(&t).for_each(|(a, b)| *a = op(*a, *b));
        }
        acc
    }

    /// A condition on scores, potentials, the total and grades, per row.
    fn derived(&mut self, c: &Cond) -> Truth {
        let cmp = |op: CmpOp, xs: Option<&Vec<f64>>, k: f64| -> Truth {
            match xs {
                Some(xs) => compare(op, xs, k),
                None => vec![U; self.rows],
            }
        };
        match c {
            Cond::ScoreCmp(op, i, k) => cmp(*op, self.scores.get(*i as usize), *k),
            Cond::PotentialCmp(op, i, k) => cmp(*op, self.potentials.get(*i as usize), *k),
            Cond::TotalCmp(op, k) => cmp(*op, Some(&self.total), *k),
            Cond::GradeIs(g, l) => match self.grades.get(*g as usize) {
                Some(labels) => labels.iter().map(|x| if x == l { T } else { F }).collect(),
                None => vec![F; self.rows],
            },
            _ => self.per_row(&[], |ctx| truth(ctx.cond(c))),
        }
    }

    /// `eval` per row, with fields `slots` (deduplicated) holding the
    /// row's values, every other field missing, and the row's scores,
    /// potentials, total and grades so far.
    fn per_row<X>(&mut self, slots: &[u32], eval: impl Fn(&Ctx<'_>) -> X) -> Vec<X> {
        let mut scratch = std::mem::take(&mut self.scratch);
        let slots: Vec<usize> = (slots.iter().map(|s| *s as usize))
            .filter(|s| *s < scratch.len() && *s < self.slots.len())
            .collect();
        let mut values: Vec<Vec<Value>> = (slots.iter())
            .map(|s| std::mem::take(&mut self.slots[*s].values))
            .collect();
        let (n_s, n_g) = (self.scores.len(), self.grades.len());
        let (mut s, mut p, mut g) = (vec![0.0; n_s], vec![0.0; n_s], vec![0; n_g]);
        let mut out = Vec::with_capacity(self.rows);
        for row in 0..self.rows {
            // Each field's value of this row, swapped in (and out after).
            let swap = |values: &mut Vec<Vec<Value>>, scratch: &mut Vec<Value>| {
                for (at, vals) in slots.iter().zip(values.iter_mut()) {
                    let code = self.slots[*at].codes.get(row).copied().unwrap_or(0);
                    if let (Some(v), Some(x)) = (vals.get_mut(code as usize), scratch.get_mut(*at))
                    {
                        std::mem::swap(v, x);
                    }
                }
            };
            swap(&mut values, &mut scratch);
            for i in 0..n_s {
                s[i] = self.scores[i][row];
                p[i] = self.potentials[i][row];
            }
            for (i, labels) in self.grades.iter().enumerate() {
                g[i] = labels[row];
            }
            let ctx = Ctx {
                values: &scratch,
                scores: &s,
                potentials: &p,
                total: self.total.get(row).copied().unwrap_or(0.0),
                grades: &g,
                as_of: self.as_of,
            };
            out.push(eval(&ctx));
            swap(&mut values, &mut scratch);
        }
        for (at, vals) in slots.iter().zip(values) {
            self.slots[*at].values = vals;
        }
        self.scratch = scratch;
        out
    }

    /// The next grade's label per row: its first line that is true.
    fn grade(&mut self, lines: &[Node]) {
        let (lines_m, rows) = (self.m.grades.get(self.grades.len()), self.rows);
        let mut label = vec![u32::MAX; rows];
        for (node, line) in lines.iter().zip(lines_m.map_or(&[][..], |g| &g.lines)) {
            let t = self.truth(node);
            for (l, t) in label.iter_mut().zip(&t) {
                *l = if *l == u32::MAX && *t == T {
                    line.label
                } else {
                    *l
                };
            }
        }
        label
            .iter_mut()
            .filter(|l| **l == u32::MAX)
            .for_each(|l| *l = 0);
        self.grades.push(label);
    }

    /// Each row's route rule: the first whose condition is true, else the last.
    fn route(&mut self, routes: &[Node]) -> Vec<u32> {
        let last = routes.len().saturating_sub(1) as u32;
        let mut route = vec![u32::MAX; self.rows];
        for (i, node) in routes.iter().enumerate() {
            let t = self.truth(node);
            for (r, t) in route.iter_mut().zip(&t) {
                *r = if *r == u32::MAX && *t == T {
                    i as u32
                } else {
                    *r
                };
            }
        }
        route
            .iter_mut()
            .filter(|r| **r == u32::MAX)
            .for_each(|r| *r = last);
        route
    }

    /// Per row, its lead error's text: the first field, in declaration
    /// order, whose value rejects it.
    fn errors(&self) -> (Vec<Option<Arc<str>>>, bool) {
        let mut errors: Vec<Option<Arc<str>>> = Vec::new();
        for (slot, field) in self.slots.iter().zip(&self.m.fields) {
            if slot.problems.is_empty() {
                continue;
            }
            if errors.is_empty() {
                errors = vec![None; self.rows];
            }
            // Each problem's text once, shared by the rows holding it.
            let texts: Vec<Option<Arc<str>>> = (slot.problems.iter())
                .map(|p| {
                    let (kind, message) = p.as_ref()?;
                    let error = LeadError::new(*kind, Some(field.name.clone()), message.clone());
                    Some(error.to_string().into())
                })
                .collect();
            for (e, code) in errors.iter_mut().zip(&slot.codes) {
                if e.is_none() {
                    *e = texts.get(*code as usize).cloned().flatten();
                }
            }
        }
        let any = errors.iter().any(Option::is_some);
        (errors, any)
    }
}
