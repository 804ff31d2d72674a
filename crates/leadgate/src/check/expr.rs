//! Typing of expressions: names resolved, operators checked, nodes built.

use std::sync::Arc;

use super::names::Entity;
use super::{Checker, Context, ListValue};
use crate::diagnostic::{codes, Span};
use crate::expr::{Any, ArithOp, Cond, DateE, Num, TextE, TextSet, Tri};
use crate::matcher::Matcher;
use crate::syntax::ast::{self, BinOp, CmpOp, ExprKind, FieldType, InSet, TextOp};
use crate::syntax::limits::{MAX_REGEX_BYTES, MAX_REGEX_TOTAL_BYTES};
use crate::value::Text;

/// A checked expression of a known type.
#[derive(Clone)]
pub(crate) enum Typed {
    Num(Num),
    Text(TextE),
    Date(DateE),
    List(u32),
    Cond(Cond),
    /// A grade name: only valid before `is LABEL`.
    Grade(u32),
    /// A list name: only valid after `in`.
    ListName,
    /// Already reported.
    Error,
}

impl Typed {
    fn kind(&self) -> &'static str {
        match self {
            Typed::Num(_) => "a number",
            Typed::Text(_) => "a text",
            Typed::Date(_) => "a date",
            Typed::List(_) => "a list",
            Typed::Cond(_) => "a condition",
            Typed::Grade(_) => "a grade",
            Typed::ListName => "a named list",
            Typed::Error => "an error",
        }
    }
}

const FUNCTIONS: &[&str] = &["domain", "count", "days_since", "min", "max", "potential"];

impl Checker<'_, '_> {
    pub(crate) fn cond(&mut self, e: &ast::Expr, ctx: Context) -> Cond {
        let t = self.typed(e, ctx);
        self.want_cond(t, e.span)
    }

    pub(crate) fn num(&mut self, e: &ast::Expr, ctx: Context) -> Num {
        let t = self.typed(e, ctx);
        self.want_num(t, e.span)
    }

    fn want_cond(&mut self, t: Typed, span: Span) -> Cond {
        match t {
            Typed::Cond(c) => c,
            Typed::Error => Cond::Const(Tri::Unknown),
            Typed::Grade(_) => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    "a grade is tested with `is LABEL`, e.g. `tier is hot`",
                );
                Cond::Const(Tri::Unknown)
            }
            other => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!("expected a condition, found {}", other.kind()),
                );
                Cond::Const(Tri::Unknown)
            }
        }
    }

    fn want_num(&mut self, t: Typed, span: Span) -> Num {
        match t {
            Typed::Num(n) => n,
            Typed::Error => Num::Const(0.0),
            other => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!("expected a number, found {}", other.kind()),
                );
                Num::Const(0.0)
            }
        }
    }

    fn want_text(&mut self, t: Typed, span: Span, what: &str) -> Option<TextE> {
        match t {
            Typed::Text(x) => Some(x),
            Typed::Error => None,
            other => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!("{what} needs a text, found {}", other.kind()),
                );
                None
            }
        }
    }

    fn want_date(&mut self, t: Typed, span: Span, what: &str) -> Option<DateE> {
        match t {
            Typed::Date(x) => Some(x),
            Typed::Error => None,
            other => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!("{what} needs a date, found {}", other.kind()),
                );
                None
            }
        }
    }

    fn arith(&mut self, op: ArithOp, l: &ast::Expr, r: &ast::Expr, ctx: Context) -> Typed {
        let a = self.num(l, ctx);
        let b = self.num(r, ctx);
        Typed::Num(Num::Arith(op, Box::new(a), Box::new(b)))
    }

    pub(crate) fn typed(&mut self, e: &ast::Expr, ctx: Context) -> Typed {
        match &e.kind {
            ExprKind::Number(n) => Typed::Num(Num::Const(*n)),
            ExprKind::Text(s) => Typed::Text(TextE::Const(Text::new(s.trim()))),
            ExprKind::Bool(b) => Typed::Cond(Cond::Const(Tri::from_bool(*b))),
            ExprKind::Date(d) => Typed::Date(DateE::Const(*d)),
            ExprKind::Error => Typed::Error,
            ExprKind::Paren(inner) => self.typed(inner, ctx),
            ExprKind::Name(id) => self.name(id, ctx),
            ExprKind::Call(f, args) => self.call(f, args, e.span, ctx),
            ExprKind::Not(inner) => Typed::Cond(Cond::Not(Box::new(self.cond(inner, ctx)))),
            ExprKind::Neg(inner) => Typed::Num(Num::Neg(Box::new(self.num(inner, ctx)))),
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span, ctx),
            ExprKind::Between(x, lo, hi) => {
                let xt = self.typed(x, ctx);
                let lot = self.typed(lo, ctx);
                let hit = self.typed(hi, ctx);
                let ge = self.compare(CmpOp::Ge, xt.clone(), lot, e.span);
                let xt2 = xt;
                let le = self.compare(CmpOp::Le, xt2, hit, e.span);
                Typed::Cond(Cond::And(vec![ge, le]))
            }
            ExprKind::In {
                value,
                negated,
                set,
            } => self.in_set(value, *negated, set, ctx),
            ExprKind::IsMissing(x) | ExprKind::IsPresent(x) => {
                let present = matches!(e.kind, ExprKind::IsPresent(_));
                let any = match self.typed(x, ctx) {
                    Typed::Num(n) => Any::Num(n),
                    Typed::Text(t) => Any::Text(t),
                    Typed::Date(d) => Any::Date(d),
                    Typed::List(l) => Any::List(l),
                    Typed::Cond(c) => Any::Cond(c),
                    Typed::Error => return Typed::Error,
                    other => {
                        self.sink.error(
                            codes::TYPE,
                            x.span,
                            format!(
                                "`is missing` / `is present` apply to a field or a value, not {}",
                                other.kind()
                            ),
                        );
                        return Typed::Error;
                    }
                };
                Typed::Cond(Cond::Present(present, Box::new(any)))
            }
            ExprKind::IsLabel(x, label) => self.is_label(x, label, ctx),
            ExprKind::Text2(op, l, r) => {
                let lt = self.typed(l, ctx);
                let rt = self.typed(r, ctx);
                match (lt, op) {
                    (Typed::List(slot), TextOp::Contains) => {
                        match self.want_text(rt, r.span, "`contains`") {
                            Some(t) => Typed::Cond(Cond::ListContains(slot, t)),
                            None => Typed::Error,
                        }
                    }
                    (lt, _) => {
                        let what = format!("`{}`", op.as_str());
                        let a = self.want_text(lt, l.span, &what);
                        let b = self.want_text(rt, r.span, &what);
                        match (a, b) {
                            (Some(a), Some(b)) => Typed::Cond(Cond::Text(*op, a, b)),
                            _ => Typed::Error,
                        }
                    }
                }
            }
            ExprKind::Matches {
                value,
                pattern,
                flags,
                pattern_span,
            } => {
                let vt = self.typed(value, ctx);
                let text = self.want_text(vt, value.span, "`matches`");
                let re = self.regex(pattern, flags, *pattern_span);
                match (text, re) {
                    (Some(t), Some(re)) => Typed::Cond(Cond::Matches(t, Arc::new(re))),
                    _ => Typed::Error,
                }
            }
            ExprKind::Within(x, dur) => {
                self.uses_time = true;
                let xt = self.typed(x, ctx);
                match self.want_date(xt, x.span, "`within`") {
                    Some(d) => Typed::Cond(Cond::Within(d, dur.value.saturating_mul(1000))),
                    None => Typed::Error,
                }
            }
        }
    }

    fn name(&mut self, id: &ast::Ident, ctx: Context) -> Typed {
        if id.name == "total" {
            if ctx == Context::Score {
                self.sink.error(codes::SCORE_IN_SCORE, id.span, "`total` cannot be used inside a score rule: score rules read fields and lists only");
                return Typed::Error;
            }
            return Typed::Num(Num::Total);
        }
        match self.names.get(&id.name) {
            Some((Entity::Field(slot), _)) => {
                self.used_fields.insert(slot);
                self.reads.push(slot);
                match self.fields[slot as usize].ty {
                    FieldType::Text => Typed::Text(TextE::Field(slot)),
                    FieldType::Number => Typed::Num(Num::Field(slot)),
                    FieldType::Bool => Typed::Cond(Cond::Field(slot)),
                    FieldType::Date => Typed::Date(DateE::Field(slot)),
                    FieldType::List => Typed::List(slot),
                }
            }
            Some((Entity::Score(i), _)) => {
                if ctx == Context::Score {
                    self.sink.error(codes::SCORE_IN_SCORE, id.span, format!("the score `{}` cannot be used inside a score rule: score rules read fields and lists only", id.name));
                    return Typed::Error;
                }
                Typed::Num(Num::Score(i))
            }
            Some((Entity::Grade(i), _)) => Typed::Grade(i),
            Some((Entity::List(_), _)) => Typed::ListName,
            None => {
                self.unknown_name(id, "name", |_| true);
                Typed::Error
            }
        }
    }

    fn call(&mut self, f: &ast::Ident, args: &[ast::Expr], span: Span, ctx: Context) -> Typed {
        let arity = match f.name.as_str() {
            "min" | "max" => 2,
            "domain" | "count" | "days_since" | "potential" => 1,
            _ => {
                let help = super::names::suggest(&f.name, FUNCTIONS.iter().copied());
                self.sink.error_help(
                    codes::FUNCTION,
                    f.span,
                    format!("unknown function `{}`", f.name),
                    help,
                );
                return Typed::Error;
            }
        };
        if args.len() != arity {
            self.sink.error(
                codes::FUNCTION,
                span,
                format!(
                    "`{}` takes {arity} argument{}, found {}",
                    f.name,
                    if arity == 1 { "" } else { "s" },
                    args.len()
                ),
            );
            return Typed::Error;
        }
        match f.name.as_str() {
            "potential" => {
                let arg = &args[0];
                let inner = match &arg.kind {
                    ExprKind::Paren(i) => i.as_ref(),
                    _ => arg,
                };
                if let ExprKind::Name(id) = &inner.kind {
                    if let Some((Entity::Score(i), _)) = self.names.get(&id.name) {
                        if ctx == Context::Score {
                            self.sink.error(codes::SCORE_IN_SCORE, span, "`potential` cannot be used inside a score rule: score rules read fields and lists only");
                            return Typed::Error;
                        }
                        return Typed::Num(Num::Potential(i));
                    }
                    if self.names.get(&id.name).is_none() {
                        self.unknown_name(id, "score", |e| matches!(e, Entity::Score(_)));
                        return Typed::Error;
                    }
                }
                self.sink.error(
                    codes::FUNCTION,
                    arg.span,
                    "`potential` takes the name of a score, e.g. `potential(fit)`",
                );
                Typed::Error
            }
            "domain" => {
                let t = self.typed(&args[0], ctx);
                match self.want_text(t, args[0].span, "`domain`") {
                    Some(t) => Typed::Text(TextE::Domain(Box::new(t))),
                    None => Typed::Error,
                }
            }
            "count" => match self.typed(&args[0], ctx) {
                Typed::List(slot) => Typed::Num(Num::Count(slot)),
                Typed::Error => Typed::Error,
                other => {
                    self.sink.error(
                        codes::TYPE,
                        args[0].span,
                        format!("`count` needs a list field, found {}", other.kind()),
                    );
                    Typed::Error
                }
            },
            "days_since" => {
                self.uses_time = true;
                let t = self.typed(&args[0], ctx);
                match self.want_date(t, args[0].span, "`days_since`") {
                    Some(d) => Typed::Num(Num::DaysSince(Box::new(d))),
                    None => Typed::Error,
                }
            }
            _ => {
                let a = self.num(&args[0], ctx);
                let b = self.num(&args[1], ctx);
                if f.name == "min" {
                    Typed::Num(Num::Min(Box::new(a), Box::new(b)))
                } else {
                    Typed::Num(Num::Max(Box::new(a), Box::new(b)))
                }
            }
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
        ctx: Context,
    ) -> Typed {
        match op {
            BinOp::And | BinOp::Or => {
                let a = self.cond(l, ctx);
                let b = self.cond(r, ctx);
                let and = op == BinOp::And;
                let mut parts = Vec::new();
                for c in [a, b] {
                    match c {
                        Cond::And(v) if and => parts.extend(v),
                        Cond::Or(v) if !and => parts.extend(v),
                        c => parts.push(c),
                    }
                }
                Typed::Cond(if and {
                    Cond::And(parts)
                } else {
                    Cond::Or(parts)
                })
            }
            BinOp::Cmp(c) => {
                let a = self.typed(l, ctx);
                let b = self.typed(r, ctx);
                Typed::Cond(self.compare(c, a, b, span))
            }
            BinOp::Add => self.arith(ArithOp::Add, l, r, ctx),
            BinOp::Sub => self.arith(ArithOp::Sub, l, r, ctx),
            BinOp::Mul => self.arith(ArithOp::Mul, l, r, ctx),
            BinOp::Div => self.arith(ArithOp::Div, l, r, ctx),
        }
    }

    fn compare(&mut self, op: CmpOp, a: Typed, b: Typed, span: Span) -> Cond {
        let eq_only = matches!(op, CmpOp::Eq | CmpOp::Ne);
        match (a, b) {
            (Typed::Error, _) | (_, Typed::Error) => Cond::Const(Tri::Unknown),
            (Typed::Num(x), Typed::Num(y)) => Cond::NumCmp(op, x, y),
            (Typed::Date(x), Typed::Date(y)) => Cond::DateCmp(op, x, y),
            (Typed::Text(x), Typed::Text(y)) if eq_only => Cond::TextEq(op == CmpOp::Ne, x, y),
            (Typed::Cond(x), Typed::Cond(y)) if eq_only => {
                Cond::BoolEq(op == CmpOp::Ne, Box::new(x), Box::new(y))
            }
            (Typed::Text(_), Typed::Text(_)) => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!(
                        "texts can be compared with `==` and `!=` only, not `{}`",
                        op.as_str()
                    ),
                );
                Cond::Const(Tri::Unknown)
            }
            (Typed::Grade(_), _) | (_, Typed::Grade(_)) => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    "a grade is tested with `is LABEL`, e.g. `tier is hot`",
                );
                Cond::Const(Tri::Unknown)
            }
            (a, b) => {
                self.sink.error(
                    codes::TYPE,
                    span,
                    format!("cannot compare {} with {}", a.kind(), b.kind()),
                );
                Cond::Const(Tri::Unknown)
            }
        }
    }

    fn in_set(&mut self, value: &ast::Expr, negated: bool, set: &InSet, ctx: Context) -> Typed {
        let v = self.typed(value, ctx);
        let list = match set {
            InSet::Literal(items) => {
                let span = value.span;
                self.list_value(items, span)
            }
            InSet::Named(id) => match self.names.get(&id.name) {
                Some((Entity::List(i), _)) => {
                    self.used_lists.insert(i);
                    self.lists[i as usize].clone()
                }
                Some(_) => {
                    self.sink.error(
                        codes::TYPE,
                        id.span,
                        format!(
                            "`{}` is not a list: `in` takes a list name or `[…]`",
                            id.name
                        ),
                    );
                    ListValue::Invalid
                }
                None => {
                    self.unknown_name(id, "list", |e| matches!(e, Entity::List(_)));
                    ListValue::Invalid
                }
            },
        };
        match (v, list) {
            (Typed::Error, _) | (_, ListValue::Invalid) => Typed::Error,
            (Typed::Text(t), ListValue::Text(s)) => Typed::Cond(Cond::TextIn(negated, t, s)),
            (Typed::Num(n), ListValue::Number(s)) => Typed::Cond(Cond::NumIn(negated, n, s)),
            // An empty literal list `[]` is a text list: a number is in no empty list.
            (Typed::Num(n), ListValue::Text(s)) if matches!(&*s, TextSet::Small(v) if v.is_empty()) => {
                Typed::Cond(Cond::NumIn(negated, n, Arc::from(Vec::<f64>::new())))
            }
            (Typed::List(_), _) => {
                self.sink.error(
                    codes::TYPE,
                    value.span,
                    "a list field is tested with `contains`, e.g. `tags contains \"webinar\"`",
                );
                Typed::Error
            }
            (v, ListValue::Text(_)) => {
                self.sink.error(
                    codes::TYPE,
                    value.span,
                    format!("this list holds texts, but the value is {}", v.kind()),
                );
                Typed::Error
            }
            (v, ListValue::Number(_)) => {
                self.sink.error(
                    codes::TYPE,
                    value.span,
                    format!("this list holds numbers, but the value is {}", v.kind()),
                );
                Typed::Error
            }
        }
    }

    fn is_label(&mut self, x: &ast::Expr, label: &ast::Ident, ctx: Context) -> Typed {
        let g = match self.typed(x, ctx) {
            Typed::Grade(g) => g,
            Typed::Error => return Typed::Error,
            other => {
                self.sink.error(
                    codes::TYPE,
                    x.span,
                    format!(
                        "`is {}` tests a grade, but this is {}",
                        label.name,
                        other.kind()
                    ),
                );
                return Typed::Error;
            }
        };
        match ctx {
            Context::Score => {
                self.sink.error(codes::SCORE_IN_SCORE, x.span, "a grade cannot be used inside a score rule: score rules read fields and lists only");
                return Typed::Error;
            }
            Context::Grade(cur) if g >= cur => {
                self.sink.error(
                    codes::GRADE_ORDER,
                    x.span,
                    "a grade can only use grades declared before it",
                );
                return Typed::Error;
            }
            _ => {}
        }
        let labels = &self.grades[g as usize].1;
        match labels.iter().position(|l| *l == label.name) {
            Some(li) => Typed::Cond(Cond::GradeIs(g, li as u32)),
            None => {
                let help = super::names::suggest(&label.name, labels.iter().map(String::as_str));
                let gname = self.grades[g as usize].0.clone();
                self.sink.error_help(
                    codes::UNKNOWN_LABEL,
                    label.span,
                    format!("grade `{gname}` has no label `{}`", label.name),
                    help,
                );
                Typed::Error
            }
        }
    }

    /// Compiles a `matches` pattern. Every regex of the agreement draws on
    /// one budget of [`MAX_REGEX_TOTAL_BYTES`]: the regex that crosses it is
    /// error E0017, and the ones after it are not compiled.
    fn regex(
        &mut self,
        pattern: &str,
        flags: &ast::Spanned<String>,
        span: Span,
    ) -> Option<Matcher> {
        if let Some((i, other)) = flags
            .value
            .char_indices()
            .find(|(_, f)| !matches!(f, 'i' | 'm' | 's' | 'x'))
        {
            let at = flags.span.start + i;
            self.sink.error(
                codes::REGEX,
                Span::new(at, at + other.len_utf8()),
                format!("unknown regex flag `{other}`: use i, m, s or x"),
            );
            return None;
        }
        let left = MAX_REGEX_TOTAL_BYTES.checked_sub(self.regex_bytes)?;
        let over_budget = || {
            format!(
                "the agreement's regexes are too large: together they take more than the limit of {} MiB",
                MAX_REGEX_TOTAL_BYTES >> 20
            )
        };
        match Matcher::build(pattern, &flags.value, MAX_REGEX_BYTES.min(left)) {
            Ok(re) => {
                self.regex_bytes = self.regex_bytes.saturating_add(re.memory_usage());
                if self.regex_bytes > MAX_REGEX_TOTAL_BYTES {
                    self.sink.error(codes::LIMIT, span, over_budget());
                    return None;
                }
                Some(re)
            }
            Err(e) if e.size_limit.is_some_and(|l| l < MAX_REGEX_BYTES) => {
                self.regex_bytes = usize::MAX;
                self.sink.error(codes::LIMIT, span, over_budget());
                None
            }
            Err(e) => {
                let msg = match e.size_limit {
                    Some(_) => "the regex is too large".to_string(),
                    None => e.message,
                };
                self.sink
                    .error(codes::REGEX, span, format!("invalid regex: {msg}"));
                None
            }
        }
    }
}
