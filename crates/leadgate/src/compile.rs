//! Stage 3, compile: checked model → program built for evaluation.
//! Constants are folded, rules that can never fire or are shadowed are
//! reported, and the input-key table for binding is built once.

use rustc_hash::FxHashMap;

use crate::check::Model;
use crate::diagnostic::{codes, Sink};
use crate::expr::{ArithOp, Cond, Num, TextE, Tri};
use crate::syntax::ast::CmpOp;

/// A compiled agreement, ready to score leads.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Program {
    pub(crate) model: Model,
    /// Input key → field slot, for binding keyed records (JSON, dicts).
    #[serde(serialize_with = "crate::serial::sorted_map")]
    pub(crate) keys: FxHashMap<Box<str>, u32>,
    /// Field name → slot, for the fields that read another key (`from`): a
    /// record keyed by the name instead gets a warning.
    #[serde(serialize_with = "crate::serial::sorted_map")]
    pub(crate) renamed: FxHashMap<Box<str>, u32>,
    /// Slots of `required` fields, in declaration order.
    pub(crate) required: Vec<u32>,
}

pub(crate) fn compile(model: Model, sink: &mut Sink<'_>) -> Program {
    compile_with(model, sink, true)
}

/// [`compile`], with or without the specialised nodes (tests compare both).
pub(crate) fn compile_with(mut model: Model, sink: &mut Sink<'_>, special: bool) -> Program {
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
    if special {
        for rule in &mut model.rules {
            specialize(&mut rule.when);
        }
        for line in model.grades.iter_mut().flat_map(|g| g.lines.iter_mut()) {
            specialize(&mut line.when);
        }
        for route in &mut model.routes {
            specialize(&mut route.when);
        }
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
    let renamed = model
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.name != f.key)
        .map(|(i, f)| (f.name.clone().into_boxed_str(), i as u32))
        .collect();
    Program {
        model,
        keys,
        renamed,
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

/// `a OP b` read as `b OP' a`.
pub(crate) fn flip(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

/// A comparison of a field or score with a constant, as one node.
fn num_cmp(op: CmpOp, a: &Num, b: &Num) -> Option<Cond> {
    let (op, x, c) = match (a, b) {
        (x, Num::Const(c)) => (op, x, *c),
        (Num::Const(c), x) => (flip(op), x, *c),
        _ => return None,
    };
    // A non-finite constant makes the general comparison unknown.
    if !c.is_finite() {
        return None;
    }
    Some(match x {
        Num::Field(s) => Cond::FieldCmp(op, *s, c),
        Num::Score(i) => Cond::ScoreCmp(op, *i, c),
        Num::Potential(i) => Cond::PotentialCmp(op, *i, c),
        Num::Total => Cond::TotalCmp(op, c),
        _ => return None,
    })
}

/// Rewrites the common shapes into the specialised nodes of [`Cond`]
/// (same meaning, fewer steps per lead). Runs after folding and the
/// compile warnings, which read the general shapes.
fn specialize(c: &mut Cond) {
    let special = match c {
        Cond::Not(a) => {
            specialize(a);
            match **a {
                Cond::Field(s) => Some(Cond::FieldIs(s, false)),
                _ => None,
            }
        }
        Cond::And(parts) | Cond::Or(parts) => {
            parts.iter_mut().for_each(specialize);
            None
        }
        Cond::BoolEq(_, a, b) => {
            specialize(a);
            specialize(b);
            None
        }
        Cond::Present(..) => None,
        Cond::Field(s) => Some(Cond::FieldIs(*s, true)),
        Cond::NumCmp(op, a, b) => num_cmp(*op, a, b),
        Cond::TextEq(neg, TextE::Field(s), TextE::Const(k))
        | Cond::TextEq(neg, TextE::Const(k), TextE::Field(s)) => {
            Some(Cond::FieldTextEq(*neg, *s, k.lower().into()))
        }
        Cond::TextIn(neg, TextE::Field(s), set) => Some(Cond::FieldTextIn(*neg, *s, set.clone())),
        Cond::Text(op, TextE::Field(s), TextE::Const(k)) => {
            Some(Cond::FieldText(*op, *s, k.lower().into()))
        }
        Cond::Matches(TextE::Field(s), m) => Some(Cond::FieldMatches(*s, m.clone())),
        _ => None,
    };
    if let Some(special) = special {
        *c = special;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use proptest::prelude::*;

    use crate::bind::{OnBadValue, Raw};
    use crate::diagnostic::Sink;
    use crate::eval::evaluate;

    /// Every shape `specialize` rewrites, both ways round, beside shapes it
    /// leaves alone, with missing values and the `i`-flag literal regexes.
    const AGREEMENT: &str = r#"
agreement "specialised nodes"
fields { t : text  u : text  n : number  m : number  b : bool  c : bool }
list set = ["Alpha", "beta", "ÜBER", "k"]
score s {
  +1 "eq"      when t == "Alpha"
  +2 "eq'"     when "BETA" == t
  +3 "ne"      when t != "alpha"
  +4 "in"      when t in set
  +5 "nin"     when t not in ["x", "Y"]
  +6 "has"     when t contains "ph"
  +7 "starts"  when t starts_with "AL"
  +8 "ends"    when t ends_with "TA"
  +9 "re"      when t matches /^(alpha|k)$/i
  +10 "re2"    when t matches /lph|eta/
  +11 "re3"    when u matches /^(?:a|b)/i
  +12 "gt"     when n > 3
  +13 "le'"    when 3 >= n
  +14 "ne#"    when n != m
  +15 "flag"   when b
  +16 "notb"   when not c
  +17 "mix"    when (b and n > 1) or not (c or t == "k")
  +18 "tt"     when t == u
  +19 "arith"  when n + 0 == 5
  +(n) up to 20 "pts" when m <= 2
}
score r { +5 "p" when u is present  -3 "q" when b == c }
grade g {
  hi  when s >= 20 and potential(s) > 30
  mid when r > 0 or total < 10
  lo  otherwise
}
route {
  sales "a"   when g is hi
  nurture "b" when s == 4 or r != 5
  telemarketing "c" when total >= 1 and potential(r) >= 5
  nurture otherwise
}
"#;

    fn text() -> impl Strategy<Value = Raw<'static>> {
        prop_oneof![
            Just(Raw::Null),
            prop::sample::select(vec![
                "Alpha", "alpha", "BETA", "beta", "über", "ÜBER", "k", "\u{212A}", "K", "Y",
                "alphabet", "a", "B", "", "  ", "Theta", "zeta"
            ])
            .prop_map(|s| Raw::Str(s.into())),
            "[a-zA-Z \u{212A}]{0,6}".prop_map(|s| Raw::Str(s.into())),
        ]
    }

    fn number() -> impl Strategy<Value = Raw<'static>> {
        prop_oneof![
            Just(Raw::Null),
            (-3i64..8).prop_map(Raw::Int),
            (-1e3f64..1e3).prop_map(Raw::Float),
            Just(Raw::Str("fifty".into())),
        ]
    }

    fn flag() -> impl Strategy<Value = Raw<'static>> {
        prop_oneof![Just(Raw::Null), any::<bool>().prop_map(Raw::Bool)]
    }

    fn program(special: bool) -> crate::compile::Program {
        let mut sink = Sink::new(AGREEMENT);
        let file = crate::syntax::parse::parse_into(AGREEMENT, &mut sink);
        let model = file.and_then(|f| crate::check::check(&f, &mut sink));
        assert!(!sink.has_errors(), "{:?}", sink.items);
        match model {
            Some(m) => super::compile_with(m, &mut sink, special),
            None => panic!("no model"),
        }
    }

    static FAST: std::sync::LazyLock<crate::compile::Program> =
        std::sync::LazyLock::new(|| program(true));
    static SLOW: std::sync::LazyLock<crate::compile::Program> =
        std::sync::LazyLock::new(|| program(false));

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn specialised_nodes_decide_as_the_general_ones(
            t in text(), u in text(), n in number(), m in number(), b in flag(), c in flag()
        ) {
            let mut verdicts = Vec::new();
            for p in [&*FAST, &*SLOW] {
                let mut builder = crate::bind::LeadBuilder::new(p, OnBadValue::Missing);
                for (slot, raw) in [&t, &u, &n, &m, &b, &c].into_iter().enumerate() {
                    builder.set(slot as u32, raw.clone());
                }
                let lead = builder.finish();
                verdicts.push(evaluate(p, &lead, 0, true));
            }
            prop_assert_eq!(&verdicts[0], &verdicts[1]);
        }
    }
}
