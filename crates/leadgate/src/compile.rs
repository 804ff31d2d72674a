//! Stage 3, compile: checked model → program built for evaluation.
//! Constants are folded, rules that can never fire or are shadowed are
//! reported, and the input-key table for binding is built once.

use rustc_hash::FxHashMap;

use crate::check::Model;
use crate::diagnostic::{codes, Sink};
use crate::expr::{ArithOp, Cond, Num, Tri};
use crate::syntax::ast::CmpOp;

/// A compiled agreement, ready to score leads.
#[derive(Debug, Clone)]
pub struct Program {
    pub model: Model,
    /// Input key → field slot, for binding keyed records (JSON, dicts).
    pub(crate) keys: FxHashMap<Box<str>, u32>,
    /// Slots of `required` fields, in declaration order.
    pub(crate) required: Vec<u32>,
}

pub(crate) fn compile(mut model: Model, sink: &mut Sink<'_>) -> Program {
    for rule in &mut model.rules {
        fold_cond(&mut rule.when);
        if let crate::check::Points::Computed(n) = &mut rule.points {
            fold_num(n);
        }
        if rule.when.is_const(Tri::False) || rule.when.is_const(Tri::Unknown) {
            let span = rule.when_span.unwrap_or(rule.span);
            sink.warning(
                codes::NEVER_FIRES,
                span,
                format!(
                    "the rule \"{}\" can never fire: its condition is never true",
                    rule.name
                ),
            );
        }
    }
    for grade in &mut model.grades {
        let mut always = false;
        for line in &mut grade.lines {
            fold_cond(&mut line.when);
            if always && !line.otherwise {
                sink.warning(
                    codes::SHADOWED,
                    line.span,
                    format!(
                        "the label `{}` is never given: an earlier line always matches",
                        grade.labels[line.label as usize]
                    ),
                );
            } else if !line.otherwise
                && (line.when.is_const(Tri::False) || line.when.is_const(Tri::Unknown))
            {
                sink.warning(
                    codes::NEVER_FIRES,
                    line.span,
                    "this grade line can never match: its condition is never true",
                );
            }
            always |= !line.otherwise && line.when.is_const(Tri::True);
        }
    }
    let mut always = false;
    for route in &mut model.routes {
        fold_cond(&mut route.when);
        if always {
            sink.warning(
                codes::SHADOWED,
                route.span,
                "this route rule is never reached: an earlier rule always matches",
            );
        } else if !route.otherwise
            && (route.when.is_const(Tri::False) || route.when.is_const(Tri::Unknown))
        {
            sink.warning(
                codes::NEVER_FIRES,
                route.span,
                "this route rule can never match: its condition is never true",
            );
        }
        always |= !route.otherwise && route.when.is_const(Tri::True);
    }
    let keys = model
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.key.clone().into_boxed_str(), i as u32))
        .collect();
    let required = model
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.required)
        .map(|(i, _)| i as u32)
        .collect();
    Program {
        model,
        keys,
        required,
    }
}

fn fold_num(n: &mut Num) {
    let folded = match n {
        Num::Arith(op, a, b) => {
            fold_num(a);
            fold_num(b);
            match (&**a, &**b) {
                (Num::Const(x), Num::Const(y)) => {
                    let r = match op {
                        ArithOp::Add => x + y,
                        ArithOp::Sub => x - y,
                        ArithOp::Mul => x * y,
                        ArithOp::Div => x / y,
                    };
                    r.is_finite().then_some(r)
                }
                _ => None,
            }
        }
        Num::Neg(a) => {
            fold_num(a);
            match **a {
                Num::Const(x) => Some(-x),
                _ => None,
            }
        }
        Num::Min(a, b) | Num::Max(a, b) => {
            fold_num(a);
            fold_num(b);
            None
        }
        _ => None,
    };
    if let Some(v) = folded {
        *n = Num::Const(v);
    }
}

fn cmp(op: CmpOp, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq => o == Equal,
        CmpOp::Ne => o != Equal,
        CmpOp::Lt => o == Less,
        CmpOp::Le => o != Greater,
        CmpOp::Gt => o == Greater,
        CmpOp::Ge => o != Less,
    }
}

pub(crate) fn compare_f64(op: CmpOp, a: f64, b: f64) -> bool {
    match a.partial_cmp(&b) {
        Some(o) => cmp(op, o),
        None => false,
    }
}

pub(crate) fn compare_i64(op: CmpOp, a: i64, b: i64) -> bool {
    cmp(op, a.cmp(&b))
}

fn fold_cond(c: &mut Cond) {
    let is_and = matches!(c, Cond::And(_));
    let folded = match c {
        Cond::Not(a) => {
            fold_cond(a);
            match **a {
                Cond::Const(t) => Some(t.negate()),
                _ => None,
            }
        }
        Cond::And(parts) | Cond::Or(parts) => {
            for p in parts.iter_mut() {
                fold_cond(p);
            }
            let (absorbing, neutral) = if is_and {
                (Tri::False, Tri::True)
            } else {
                (Tri::True, Tri::False)
            };
            if parts.iter().any(|p| p.is_const(absorbing)) {
                Some(absorbing)
            } else {
                parts.retain(|p| !p.is_const(neutral));
                match parts.len() {
                    0 => Some(neutral),
                    1 => {
                        if let Some(only) = parts.pop() {
                            *c = only;
                        }
                        return;
                    }
                    _ => None,
                }
            }
        }
        Cond::NumCmp(op, a, b) => {
            fold_num(a);
            fold_num(b);
            match (&*a, &*b) {
                (Num::Const(x), Num::Const(y)) => Some(Tri::from_bool(compare_f64(*op, *x, *y))),
                _ => None,
            }
        }
        Cond::DateCmp(op, crate::expr::DateE::Const(x), crate::expr::DateE::Const(y)) => {
            Some(Tri::from_bool(compare_i64(*op, *x, *y)))
        }
        Cond::NumIn(_, a, _) => {
            fold_num(a);
            None
        }
        Cond::BoolEq(_, a, b) => {
            fold_cond(a);
            fold_cond(b);
            None
        }
        _ => None,
    };
    if let Some(t) = folded {
        *c = Cond::Const(t);
    }
}
