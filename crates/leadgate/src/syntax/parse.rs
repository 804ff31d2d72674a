//! pest pairs → syntax tree. Literal errors are reported here; names are
//! resolved by the checker.

use std::cell::RefCell;

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;

use super::ast::*;
use super::limits::{self, MAX_EXPR_DEPTH};
use super::literal::{parse_date, parse_duration_secs, parse_number, regex_pattern, unescape};
use super::{Grammar, Rule};
use crate::diagnostic::{codes, Code, Sink, Span};

/// Parses an agreement. Returns `None` when the text is not syntactically an
/// agreement; every problem is reported to `sink`.
pub(crate) fn parse_into(source: &str, sink: &mut Sink<'_>) -> Option<File> {
    if !limits::prescan(source, sink) {
        return None;
    }
    let mut pairs = match Grammar::parse(Rule::file, source) {
        Ok(p) => p,
        Err(e) => {
            report_pest_error(e, sink);
            return None;
        }
    };
    let file_pair = pairs.next()?;
    let builder = Builder::new();
    let file = builder.file(file_pair);
    sink.items.extend(
        builder
            .errors
            .into_inner()
            .into_iter()
            .map(|(code, span, msg)| {
                let (line, column) = crate::diagnostic::line_col(source, span.start);
                crate::diagnostic::Diagnostic {
                    code,
                    severity: crate::diagnostic::Severity::Error,
                    message: msg,
                    span,
                    line,
                    column,
                    help: None,
                }
            }),
    );
    Some(file)
}

/// Parses an agreement into its syntax tree, or the diagnostics explaining why not.
pub fn parse(source: &str) -> Result<File, crate::CompileError> {
    let mut sink = Sink::new(source);
    match parse_into(source, &mut sink) {
        Some(file) if !sink.has_errors() => Ok(file),
        _ => Err(crate::CompileError::new(sink.items, source)),
    }
}

fn report_pest_error(e: pest::error::Error<Rule>, sink: &mut Sink<'_>) {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p),
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    let message = match &e.variant {
        // pest's own wording ("expected a, b, or c"), each human name once:
        // several rules share one ("a name").
        pest::error::ErrorVariant::ParsingError {
            positives,
            negatives,
        } => match (names(negatives), names(positives)) {
            (no, yes) if !no.is_empty() && !yes.is_empty() => {
                format!(
                    "unexpected {}; expected {}",
                    enumerate(&no),
                    enumerate(&yes)
                )
            }
            (no, _) if !no.is_empty() => format!("unexpected {}", enumerate(&no)),
            (_, yes) if !yes.is_empty() => format!("expected {}", enumerate(&yes)),
            _ => "unknown parsing error".to_string(),
        },
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
    };
    sink.error(codes::SYNTAX, Span::new(start, end), message);
}

/// The rules' human names in pest's order, each once.
fn names(rules: &[Rule]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in rules.iter().map(rule_name) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `a`, `a or b`, `a, b, or c`, as pest lists rules.
fn enumerate(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        [init @ .., last] => format!("{}, or {}", init.join(", "), last),
    }
}

/// Human names for the grammar's rules in "expected …" messages.
fn rule_name(rule: &Rule) -> String {
    let s = match rule {
        Rule::EOI => "end of file",
        Rule::header | Rule::kw_agreement => "`agreement \"NAME\"`",
        Rule::fields_block | Rule::kw_fields => "`fields`",
        Rule::field_decl => "a field declaration",
        Rule::type_name => "a type (text, number, bool, date, list)",
        Rule::field_mod => "`required` or `id`",
        Rule::list_def | Rule::kw_list => "`list`",
        Rule::score_block | Rule::kw_score => "`score`",
        Rule::grade_block | Rule::kw_grade => "`grade`",
        Rule::route_block | Rule::kw_route => "`route`",
        Rule::example_block | Rule::kw_example => "`example`",
        Rule::score_rule | Rule::sign => "a score rule (`+10 \"Rule name\" when …`)",
        Rule::points => "points",
        Rule::range_line | Rule::kw_range => "`range`",
        Rule::decay_line | Rule::kw_halve => "`halve every`",
        Rule::grade_line => "a grade line (`LABEL when …`)",
        Rule::route_rule | Rule::destination => "a destination (sales, nurture, telemarketing)",
        Rule::expr | Rule::arith => "an expression",
        Rule::primary | Rule::paren | Rule::call | Rule::ident => "a name",
        Rule::name | Rule::word => "a name",
        Rule::label => "a label",
        Rule::number | Rule::signed_number => "a number",
        Rule::string => "a string",
        Rule::date_lit => "a date",
        Rule::duration => "a duration (90m, 12h, 30d, 2w)",
        Rule::regex => "a regex (`/pattern/flags`)",
        Rule::list_lit => "a list (`[…]`)",
        Rule::cmp_op
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_lt
        | Rule::op_le
        | Rule::op_gt
        | Rule::op_ge => "a comparison",
        Rule::op_add | Rule::op_sub | Rule::op_mul | Rule::op_div => "an operator",
        Rule::op_and | Rule::kw_and => "`and`",
        Rule::op_or => "`or`",
        Rule::op_not | Rule::kw_not => "`not`",
        Rule::op_neg => "`-`",
        Rule::kw_true => "`true`",
        Rule::kw_false => "`false`",
        Rule::kw_when => "`when`",
        Rule::kw_otherwise => "`otherwise`",
        Rule::kw_to => "`to`",
        Rule::ex_as_of | Rule::kw_as_of => "`as_of`",
        Rule::ex_lead | Rule::kw_lead => "`lead`",
        Rule::ex_expect | Rule::kw_expect => "`expect`",
        Rule::lead_entry => "`key: value`",
        // A keyword as written, between backticks; any other rule by its
        // grammar name.
        other => {
            let name = format!("{other:?}");
            return match name.strip_prefix("kw_").or(name.strip_prefix("pf_")) {
                Some(word) => format!("`{word}`"),
                None => name,
            };
        }
    };
    s.to_string()
}

type Pending = (Code, Span, String);

struct Builder {
    errors: RefCell<Vec<Pending>>,
    pratt: PrattParser<Rule>,
    arith_pratt: PrattParser<Rule>,
}

fn span(p: &Pair<'_, Rule>) -> Span {
    Span::from_pest(p.as_span())
}

impl Builder {
    fn new() -> Self {
        let pratt = PrattParser::new()
            .op(Op::infix(Rule::op_or, Assoc::Left))
            .op(Op::infix(Rule::op_and, Assoc::Left))
            .op(Op::prefix(Rule::op_not))
            .op(Op::infix(Rule::op_eq, Assoc::Left)
                | Op::infix(Rule::op_ne, Assoc::Left)
                | Op::infix(Rule::op_lt, Assoc::Left)
                | Op::infix(Rule::op_le, Assoc::Left)
                | Op::infix(Rule::op_gt, Assoc::Left)
                | Op::infix(Rule::op_ge, Assoc::Left)
                | Op::postfix(Rule::pf_between)
                | Op::postfix(Rule::pf_in)
                | Op::postfix(Rule::pf_not_in)
                | Op::postfix(Rule::pf_is)
                | Op::postfix(Rule::pf_contains)
                | Op::postfix(Rule::pf_starts_with)
                | Op::postfix(Rule::pf_ends_with)
                | Op::postfix(Rule::pf_matches)
                | Op::postfix(Rule::pf_within))
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg));
        let arith_pratt = PrattParser::new()
            .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
            .op(Op::infix(Rule::op_mul, Assoc::Left) | Op::infix(Rule::op_div, Assoc::Left))
            .op(Op::prefix(Rule::op_neg));
        Builder {
            errors: RefCell::new(Vec::new()),
            pratt,
            arith_pratt,
        }
    }

    fn error(&self, code: Code, span: Span, msg: impl Into<String>) {
        self.errors.borrow_mut().push((code, span, msg.into()));
    }

    /// A grammar rule this builder does not know where it met it: a bug
    /// (the grammar and the builder disagree), reported as an internal
    /// error so that the agreement does not compile — never read as a
    /// plausible value.
    fn unexpected(&self, p: &Pair<'_, Rule>, place: &str) {
        self.unexpected_rule(p.as_rule(), span(p), place);
    }

    fn unexpected_rule(&self, rule: Rule, at: Span, place: &str) {
        self.error(
            codes::INTERNAL,
            at,
            format!("internal error: unexpected {rule:?} in {place}; please report this agreement"),
        );
    }

    fn file(&self, pair: Pair<'_, Rule>) -> File {
        let mut file = File::default();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::header => {
                    let mut strings = p.into_inner().filter(|q| q.as_rule() == Rule::string);
                    if let Some(n) = strings.next() {
                        file.name = self.string(n);
                    }
                    file.version = strings.next().map(|v| self.string(v));
                }
                Rule::fields_block => file.fields.push(self.fields(p)),
                Rule::list_def => file.lists.push(self.list_def(p)),
                Rule::score_block => file.scores.push(self.score_block(p)),
                Rule::grade_block => file.grades.push(self.grade_block(p)),
                Rule::route_block => file.routes.push(self.route_block(p)),
                Rule::example_block => file.examples.push(self.example_block(p)),
                _ => {}
            }
        }
        file
    }

    fn ident(&self, p: Pair<'_, Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: span(&p),
        }
    }

    fn string(&self, p: Pair<'_, Rule>) -> Spanned<String> {
        let sp = span(&p);
        let body = p.into_inner().next().map(|b| b.as_str()).unwrap_or("");
        let value = match unescape(body) {
            Ok(s) => s,
            Err((off, len, msg)) => {
                let start = sp.start + 1 + off;
                self.error(codes::BAD_ESCAPE, Span::new(start, start + len), msg);
                String::new()
            }
        };
        Spanned { value, span: sp }
    }

    fn number(&self, p: &Pair<'_, Rule>) -> f64 {
        match parse_number(p.as_str()) {
            Some(v) => v,
            None => {
                self.error(
                    codes::BAD_LITERAL,
                    span(p),
                    format!("`{}` is not a finite number", p.as_str()),
                );
                0.0
            }
        }
    }

    fn signed_number(&self, p: Pair<'_, Rule>) -> Spanned<f64> {
        let sp = span(&p);
        let mut neg = false;
        let mut value = 0.0;
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::neg_sign => neg = true,
                Rule::number => value = self.number(&q),
                _ => {}
            }
        }
        Spanned {
            value: if neg { -value } else { value },
            span: sp,
        }
    }

    fn date(&self, p: &Pair<'_, Rule>) -> i64 {
        match parse_date(p.as_str()) {
            Some(ms) => ms,
            None => {
                self.error(
                    codes::BAD_LITERAL,
                    span(p),
                    format!("`{}` is not a valid date", p.as_str()),
                );
                0
            }
        }
    }

    fn duration(&self, p: &Pair<'_, Rule>) -> Spanned<i64> {
        let value = match parse_duration_secs(p.as_str()) {
            Some(s) if s > 0 => s,
            Some(_) => {
                self.error(
                    codes::BAD_LITERAL,
                    span(p),
                    "a duration must be longer than zero",
                );
                1
            }
            None => {
                self.error(
                    codes::BAD_LITERAL,
                    span(p),
                    format!("`{}` is too long a duration", p.as_str()),
                );
                1
            }
        };
        Spanned {
            value,
            span: span(p),
        }
    }

    fn literal(&self, p: Pair<'_, Rule>) -> Spanned<Literal> {
        let sp = span(&p);
        let value = match p.as_rule() {
            Rule::date_lit => Literal::Date(self.date(&p)),
            Rule::signed_number => Literal::Number(self.signed_number(p).value),
            Rule::string => Literal::Text(self.string(p).value),
            Rule::kw_true => Literal::Bool(true),
            Rule::kw_false => Literal::Bool(false),
            Rule::list_lit => Literal::List(p.into_inner().map(|q| self.literal(q)).collect()),
            _ => {
                self.unexpected(&p, "a literal");
                Literal::Text(String::new())
            }
        };
        Spanned { value, span: sp }
    }

    fn fields(&self, p: Pair<'_, Rule>) -> FieldsBlock {
        let sp = span(&p);
        let mut decls = Vec::new();
        for d in p.into_inner().filter(|q| q.as_rule() == Rule::field_decl) {
            let dsp = span(&d);
            let mut name = None;
            let mut ty = None;
            let mut modifiers = Vec::new();
            let mut from = None;
            for q in d.into_inner() {
                match q.as_rule() {
                    Rule::name => name = Some(self.ident(q)),
                    Rule::type_name => {
                        let t = match q.as_str() {
                            "text" => FieldType::Text,
                            "number" => FieldType::Number,
                            "bool" => FieldType::Bool,
                            "date" => FieldType::Date,
                            "list" => FieldType::List,
                            _ => {
                                self.unexpected(&q, "a field type");
                                FieldType::Text
                            }
                        };
                        ty = Some(Spanned {
                            value: t,
                            span: span(&q),
                        });
                    }
                    Rule::field_mod => modifiers.push(Spanned {
                        value: if q.as_str() == "id" {
                            Modifier::Id
                        } else {
                            Modifier::Required
                        },
                        span: span(&q),
                    }),
                    Rule::string => from = Some(self.string(q)),
                    _ => {}
                }
            }
            if let (Some(name), Some(ty)) = (name, ty) {
                decls.push(FieldDecl {
                    name,
                    ty,
                    modifiers,
                    from,
                    span: dsp,
                });
            }
        }
        FieldsBlock { decls, span: sp }
    }

    fn list_def(&self, p: Pair<'_, Rule>) -> ListDef {
        let sp = span(&p);
        let mut name = None;
        let mut items = Vec::new();
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::name => name = Some(self.ident(q)),
                Rule::list_lit => items = q.into_inner().map(|r| self.literal(r)).collect(),
                _ => {}
            }
        }
        ListDef {
            name: name.unwrap_or(Ident {
                name: String::new(),
                span: sp,
            }),
            items,
            span: sp,
        }
    }

    fn score_block(&self, p: Pair<'_, Rule>) -> ScoreBlock {
        let sp = span(&p);
        let mut block = ScoreBlock {
            name: Ident {
                name: String::new(),
                span: sp,
            },
            rules: Vec::new(),
            ranges: Vec::new(),
            decays: Vec::new(),
            span: sp,
        };
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::name => block.name = self.ident(q),
                Rule::score_rule => block.rules.push(self.score_rule(q)),
                Rule::range_line => {
                    let rsp = span(&q);
                    let nums: Vec<f64> = q
                        .into_inner()
                        .filter(|r| r.as_rule() == Rule::signed_number)
                        .map(|r| self.signed_number(r).value)
                        .collect();
                    if let [lo, hi] = nums[..] {
                        block.ranges.push(Spanned {
                            value: (lo, hi),
                            span: rsp,
                        });
                    }
                }
                Rule::decay_line => {
                    let dsp = span(&q);
                    let mut every = None;
                    let mut since = None;
                    for r in q.into_inner() {
                        match r.as_rule() {
                            Rule::duration => every = Some(self.duration(&r)),
                            Rule::ident => since = Some(self.ident(r)),
                            _ => {}
                        }
                    }
                    if let (Some(every), Some(since)) = (every, since) {
                        block.decays.push(Decay {
                            every,
                            since,
                            span: dsp,
                        });
                    }
                }
                _ => {}
            }
        }
        block
    }

    fn score_rule(&self, p: Pair<'_, Rule>) -> ScoreRule {
        let sp = span(&p);
        let mut rule = ScoreRule {
            sign: Sign::Plus,
            points: Spanned {
                value: Points::Const(0.0),
                span: sp,
            },
            up_to: None,
            name: Spanned {
                value: String::new(),
                span: sp,
            },
            when: None,
            span: sp,
        };
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::sign => {
                    rule.sign = if q.as_str() == "-" {
                        Sign::Minus
                    } else {
                        Sign::Plus
                    };
                }
                Rule::points => {
                    let psp = span(&q);
                    let value = match q.into_inner().next() {
                        Some(n) if n.as_rule() == Rule::number => Points::Const(self.number(&n)),
                        Some(e) => Points::Expr(self.expr(e)),
                        None => Points::Const(0.0),
                    };
                    rule.points = Spanned { value, span: psp };
                }
                Rule::up_to => {
                    if let Some(n) = q.into_inner().find(|r| r.as_rule() == Rule::number) {
                        rule.up_to = Some(Spanned {
                            value: self.number(&n),
                            span: span(&n),
                        });
                    }
                }
                Rule::string => rule.name = self.string(q),
                Rule::expr => rule.when = Some(self.expr(q)),
                _ => {}
            }
        }
        rule
    }

    fn grade_block(&self, p: Pair<'_, Rule>) -> GradeBlock {
        let sp = span(&p);
        let mut block = GradeBlock {
            name: Ident {
                name: String::new(),
                span: sp,
            },
            lines: Vec::new(),
            span: sp,
        };
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::name => block.name = self.ident(q),
                Rule::grade_line => {
                    let lsp = span(&q);
                    let mut label = None;
                    let mut when = None;
                    for r in q.into_inner() {
                        match r.as_rule() {
                            Rule::label => label = Some(self.ident(r)),
                            Rule::expr => when = Some(self.expr(r)),
                            _ => {}
                        }
                    }
                    if let Some(label) = label {
                        block.lines.push(GradeLine {
                            label,
                            when,
                            span: lsp,
                        });
                    }
                }
                _ => {}
            }
        }
        block
    }

    fn route_block(&self, p: Pair<'_, Rule>) -> RouteBlock {
        let sp = span(&p);
        let mut rules = Vec::new();
        for q in p.into_inner().filter(|q| q.as_rule() == Rule::route_rule) {
            let rsp = span(&q);
            let mut rule = RouteRule {
                destination: Spanned {
                    value: Destination::Nurture,
                    span: rsp,
                },
                queue: None,
                within: None,
                name: None,
                when: None,
                span: rsp,
            };
            let mut after_queue = false;
            for r in q.into_inner() {
                match r.as_rule() {
                    Rule::destination => {
                        let value = Destination::parse(r.as_str()).unwrap_or_else(|| {
                            self.unexpected(&r, "a route destination");
                            Destination::Nurture
                        });
                        rule.destination = Spanned {
                            value,
                            span: span(&r),
                        }
                    }
                    Rule::kw_queue => after_queue = true,
                    Rule::string if after_queue => {
                        rule.queue = Some(self.string(r));
                        after_queue = false;
                    }
                    Rule::string => rule.name = Some(self.string(r)),
                    Rule::duration => rule.within = Some(self.duration(&r)),
                    Rule::expr => rule.when = Some(self.expr(r)),
                    _ => {}
                }
            }
            rules.push(rule);
        }
        RouteBlock { rules, span: sp }
    }

    fn example_block(&self, p: Pair<'_, Rule>) -> ExampleBlock {
        let sp = span(&p);
        let mut ex = ExampleBlock {
            name: Spanned {
                value: String::new(),
                span: sp,
            },
            as_of: None,
            leads: Vec::new(),
            expects: Vec::new(),
            span: sp,
        };
        for q in p.into_inner() {
            match q.as_rule() {
                Rule::string => ex.name = self.string(q),
                Rule::ex_as_of => {
                    if let Some(d) = q.into_inner().find(|r| r.as_rule() == Rule::date_lit) {
                        ex.as_of = Some(Spanned {
                            value: self.date(&d),
                            span: span(&d),
                        });
                    }
                }
                Rule::ex_lead => {
                    let lsp = span(&q);
                    let mut entries = Vec::new();
                    for e in q.into_inner().filter(|r| r.as_rule() == Rule::lead_entry) {
                        let mut inner = e.into_inner();
                        if let (Some(k), Some(v)) = (inner.next(), inner.next()) {
                            entries.push(LeadEntry {
                                key: self.ident(k),
                                value: self.literal(v),
                            });
                        }
                    }
                    ex.leads.push(Spanned {
                        value: entries,
                        span: lsp,
                    });
                }
                Rule::ex_expect => {
                    let esp = span(&q);
                    if let Some(e) = q.into_inner().find(|r| r.as_rule() != Rule::kw_expect) {
                        if let Some(value) = self.expect(e) {
                            ex.expects.push(Spanned { value, span: esp });
                        }
                    }
                }
                _ => {}
            }
        }
        ex
    }

    fn expect(&self, p: Pair<'_, Rule>) -> Option<Expect> {
        let rule = p.as_rule();
        let mut inner = p.into_inner().filter(|r| {
            !matches!(
                r.as_rule(),
                Rule::kw_route | Rule::kw_queue | Rule::kw_fired | Rule::kw_not | Rule::kw_is
            )
        });
        Some(match rule {
            Rule::exp_route => Expect::Route(Destination::parse(inner.next()?.as_str())?),
            Rule::exp_queue => Expect::Queue(self.string(inner.next()?).value),
            Rule::exp_fired => Expect::Fired(self.string(inner.next()?).value),
            Rule::exp_not_fired => Expect::NotFired(self.string(inner.next()?).value),
            Rule::exp_grade => {
                let g = self.ident(inner.next()?);
                Expect::Grade(g, self.ident(inner.next()?))
            }
            Rule::exp_score => {
                let s = self.ident(inner.next()?);
                let op = inner.next()?;
                let op = match cmp_op(op.as_str()) {
                    Some(op) => op,
                    None => {
                        self.unexpected(&op, "an `expect` comparison");
                        return None;
                    }
                };
                Expect::Score(s, op, self.signed_number(inner.next()?).value)
            }
            _ => return None,
        })
    }

    // ------------------------------------------------------------ expressions

    fn expr(&self, p: Pair<'_, Rule>) -> Expr {
        match p.as_rule() {
            Rule::expr => self.pratt_expr(p.into_inner(), false).0,
            Rule::arith => self.pratt_expr(p.into_inner(), true).0,
            _ => self.primary(p).0,
        }
    }

    fn pratt_expr(&self, pairs: Pairs<'_, Rule>, arith: bool) -> (Expr, u32) {
        let pratt = if arith {
            &self.arith_pratt
        } else {
            &self.pratt
        };
        pratt
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, (rhs, d)| {
                let sp = Span::new(span(&op).start, rhs.span.end);
                let kind = match op.as_rule() {
                    Rule::op_not => ExprKind::Not(Box::new(rhs)),
                    Rule::op_neg => ExprKind::Neg(Box::new(rhs)),
                    _ => {
                        self.unexpected(&op, "a prefix operator");
                        ExprKind::Error
                    }
                };
                self.node(kind, sp, d + 1)
            })
            .map_infix(|(lhs, dl), op, (rhs, dr)| {
                let sp = Span::new(lhs.span.start, rhs.span.end);
                let bin = match op.as_rule() {
                    Rule::op_or => BinOp::Or,
                    Rule::op_and => BinOp::And,
                    Rule::op_eq => BinOp::Cmp(CmpOp::Eq),
                    Rule::op_ne => BinOp::Cmp(CmpOp::Ne),
                    Rule::op_lt => BinOp::Cmp(CmpOp::Lt),
                    Rule::op_le => BinOp::Cmp(CmpOp::Le),
                    Rule::op_gt => BinOp::Cmp(CmpOp::Gt),
                    Rule::op_ge => BinOp::Cmp(CmpOp::Ge),
                    Rule::op_add => BinOp::Add,
                    Rule::op_sub => BinOp::Sub,
                    Rule::op_mul => BinOp::Mul,
                    Rule::op_div => BinOp::Div,
                    _ => {
                        self.unexpected(&op, "an operator");
                        BinOp::Div
                    }
                };
                self.node(
                    ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)),
                    sp,
                    dl.max(dr) + 1,
                )
            })
            .map_postfix(|(lhs, d), op| self.postfix(lhs, d, op))
            .parse(pairs)
    }

    /// Builds a node, or an error node when the tree would nest too deeply.
    fn node(&self, kind: ExprKind, span: Span, depth: u32) -> (Expr, u32) {
        if depth > MAX_EXPR_DEPTH {
            let already = self.errors.borrow().iter().any(|e| e.0 == codes::LIMIT);
            if !already {
                self.error(
                    codes::LIMIT,
                    span,
                    format!("the expression nests too deeply: more than {MAX_EXPR_DEPTH} levels"),
                );
            }
            return (
                Expr {
                    kind: ExprKind::Error,
                    span,
                },
                0,
            );
        }
        (Expr { kind, span }, depth)
    }

    fn postfix(&self, lhs: Expr, d: u32, op: Pair<'_, Rule>) -> (Expr, u32) {
        let sp = Span::new(lhs.span.start, span(&op).end);
        let rule = op.as_rule();
        let children: Vec<Pair<'_, Rule>> = op.into_inner().collect();
        let word = children
            .iter()
            .find(|r| matches!(r.as_rule(), Rule::kw_missing | Rule::kw_present))
            .map(|r| r.as_rule());
        let mut inner = children
            .into_iter()
            .filter(|r| !is_keyword_rule(r.as_rule()));
        let lhs_b = Box::new(lhs);
        let mut depth = d + 1;
        let kind = match rule {
            Rule::pf_between => {
                let (lo, dl) = inner
                    .next()
                    .map(|a| self.arith_sub(a))
                    .unwrap_or_else(|| err_expr(sp));
                let (hi, dh) = inner
                    .next()
                    .map(|a| self.arith_sub(a))
                    .unwrap_or_else(|| err_expr(sp));
                depth = depth.max(dl.max(dh) + 1);
                ExprKind::Between(lhs_b, Box::new(lo), Box::new(hi))
            }
            Rule::pf_in | Rule::pf_not_in => {
                let set = match inner.next() {
                    Some(q) if q.as_rule() == Rule::list_lit => {
                        InSet::Literal(q.into_inner().map(|r| self.literal(r)).collect())
                    }
                    Some(q) => InSet::Named(self.ident(q)),
                    None => InSet::Literal(Vec::new()),
                };
                ExprKind::In {
                    value: lhs_b,
                    negated: rule == Rule::pf_not_in,
                    set,
                }
            }
            Rule::pf_is => match (word, inner.next()) {
                (Some(Rule::kw_missing), _) => ExprKind::IsMissing(lhs_b),
                (Some(_), _) => ExprKind::IsPresent(lhs_b),
                (None, Some(l)) => ExprKind::IsLabel(lhs_b, self.ident(l)),
                (None, None) => ExprKind::Error,
            },
            Rule::pf_contains | Rule::pf_starts_with | Rule::pf_ends_with => {
                let op = match rule {
                    Rule::pf_contains => TextOp::Contains,
                    Rule::pf_starts_with => TextOp::StartsWith,
                    Rule::pf_ends_with => TextOp::EndsWith,
                    _ => {
                        self.unexpected_rule(rule, sp, "a text test");
                        TextOp::EndsWith
                    }
                };
                let (rhs, dr) = inner
                    .next()
                    .map(|a| self.arith_sub(a))
                    .unwrap_or_else(|| err_expr(sp));
                depth = depth.max(dr + 1);
                ExprKind::Text2(op, lhs_b, Box::new(rhs))
            }
            Rule::pf_matches => {
                let Some(re) = inner.next() else {
                    return (
                        Expr {
                            kind: ExprKind::Error,
                            span: sp,
                        },
                        0,
                    );
                };
                let mut body = String::new();
                let mut body_span = span(&re);
                let mut flags = Spanned {
                    value: String::new(),
                    span: Span::new(sp.end, sp.end),
                };
                for part in re.into_inner() {
                    match part.as_rule() {
                        Rule::regex_body => {
                            body = regex_pattern(part.as_str());
                            body_span = span(&part);
                        }
                        Rule::regex_flags => {
                            flags = Spanned {
                                value: part.as_str().to_string(),
                                span: span(&part),
                            };
                        }
                        _ => {}
                    }
                }
                ExprKind::Matches {
                    value: lhs_b,
                    pattern: body,
                    flags,
                    pattern_span: body_span,
                }
            }
            Rule::pf_within => {
                let dur = inner
                    .next()
                    .map(|d| self.duration(&d))
                    .unwrap_or(Spanned { value: 1, span: sp });
                ExprKind::Within(lhs_b, dur)
            }
            _ => {
                self.unexpected_rule(rule, sp, "a postfix test");
                ExprKind::Error
            }
        };
        self.node(kind, sp, depth)
    }

    fn arith_sub(&self, p: Pair<'_, Rule>) -> (Expr, u32) {
        self.pratt_expr(p.into_inner(), true)
    }

    fn primary(&self, p: Pair<'_, Rule>) -> (Expr, u32) {
        let sp = span(&p);
        let kind = match p.as_rule() {
            Rule::paren => {
                let (inner, d) = match p.into_inner().next() {
                    Some(e) => self.pratt_expr(e.into_inner(), false),
                    None => err_expr(sp),
                };
                return self.node(ExprKind::Paren(Box::new(inner)), sp, d + 1);
            }
            Rule::call => {
                let mut inner = p.into_inner();
                let Some(name) = inner.next() else {
                    return err_expr(sp);
                };
                let mut depth = 0;
                let args = inner
                    .map(|a| {
                        let (e, d) = self.pratt_expr(a.into_inner(), false);
                        depth = depth.max(d);
                        e
                    })
                    .collect();
                return self.node(ExprKind::Call(self.ident(name), args), sp, depth + 1);
            }
            Rule::date_lit => ExprKind::Date(self.date(&p)),
            Rule::number => ExprKind::Number(self.number(&p)),
            Rule::string => ExprKind::Text(self.string(p).value),
            Rule::kw_true => ExprKind::Bool(true),
            Rule::kw_false => ExprKind::Bool(false),
            Rule::ident => ExprKind::Name(self.ident(p)),
            Rule::expr => return self.pratt_expr(p.into_inner(), false),
            _ => {
                self.unexpected(&p, "an expression");
                ExprKind::Error
            }
        };
        (Expr { kind, span: sp }, 1)
    }
}

fn err_expr(span: Span) -> (Expr, u32) {
    (
        Expr {
            kind: ExprKind::Error,
            span,
        },
        0,
    )
}

fn is_keyword_rule(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_between
            | Rule::kw_and
            | Rule::kw_in
            | Rule::kw_not
            | Rule::kw_is
            | Rule::kw_missing
            | Rule::kw_present
            | Rule::kw_contains
            | Rule::kw_starts_with
            | Rule::kw_ends_with
            | Rule::kw_matches
            | Rule::kw_within
    )
}

fn cmp_op(s: &str) -> Option<CmpOp> {
    Some(match s {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn cond(text: &str) -> Expr {
        let src = format!("agreement \"t\" fields {{ x : number }} score s {{ +1 \"r\" when {text} }} route {{ nurture otherwise }}");
        let file = parse(&src).unwrap_or_else(|e| panic!("{}", e.render()));
        file.scores[0].rules[0].when.clone().unwrap()
    }

    /// A compact rendering of the tree's shape.
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Name(i) => i.name.clone(),
            ExprKind::Number(n) => n.to_string(),
            ExprKind::Not(a) => format!("(not {})", shape(a)),
            ExprKind::Neg(a) => format!("(-{})", shape(a)),
            ExprKind::Paren(a) => shape(a),
            ExprKind::Binary(op, a, b) => format!("({} {op:?} {})", shape(a), shape(b)),
            ExprKind::Between(x, a, b) => {
                format!("({} between {} {})", shape(x), shape(a), shape(b))
            }
            ExprKind::IsMissing(a) => format!("({} missing)", shape(a)),
            other => format!("{other:?}"),
        }
    }

    /// A pair of `rule` made from `text` alone.
    fn pair(rule: Rule, text: &str) -> Pair<'_, Rule> {
        Grammar::parse(rule, text).unwrap().next().unwrap()
    }

    #[test]
    fn unexpected_grammar_rules_are_internal_errors_never_values() {
        let b = Builder::new();
        // Each builder fed a rule it does not expect there.
        let _ = b.literal(pair(Rule::ident, "size"));
        let _ = b.primary(pair(Rule::type_name, "text"));
        let lhs = cond("size");
        let _ = b.postfix(lhs, 1, pair(Rule::ident, "size"));
        let errors = b.errors.into_inner();
        assert_eq!(errors.len(), 3, "{errors:?}");
        for (code, _, msg) in &errors {
            assert_eq!(*code, codes::INTERNAL);
            assert!(msg.starts_with("internal error: unexpected"), "{msg}");
        }
        assert_eq!(cmp_op("=>"), None);
        assert_eq!(cmp_op(">="), Some(CmpOp::Ge));
    }

    #[test]
    fn precedence() {
        assert_eq!(shape(&cond("a or b and c")), "(a Or (b And c))");
        assert_eq!(shape(&cond("not a and b")), "((not a) And b)");
        assert_eq!(
            shape(&cond("not x + 1 > y * 2")),
            "(not ((x Add 1) Cmp(Gt) (y Mul 2)))"
        );
        assert_eq!(
            shape(&cond("x between 1 and 3 and y")),
            "((x between 1 3) And y)"
        );
        assert_eq!(
            shape(&cond("x + 1 between 1 and 3 + 1")),
            "((x Add 1) between 1 (3 Add 1))"
        );
        assert_eq!(shape(&cond("- x - 1 > 0")), "(((-x) Sub 1) Cmp(Gt) 0)");
        assert_eq!(shape(&cond("a is missing or b")), "((a missing) Or b)");
    }

    #[test]
    fn a_sign_that_starts_a_rule_is_not_an_operator() {
        let src = "agreement \"t\" fields { x : number }
          score s {
            +1 \"a\" when x > 0
            -15 \"b\" when x > 1
            +(2 * x) up to 5 \"c\" when x > 2
            + 3 \"d\"
          }
          route { nurture otherwise }";
        let file = parse(src).unwrap_or_else(|e| panic!("{}", e.render()));
        let names: Vec<&str> = file.scores[0]
            .rules
            .iter()
            .map(|r| r.name.value.as_str())
            .collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(file.scores[0].rules[1].sign, Sign::Minus);
        assert_eq!(
            file.scores[0].rules[2].up_to.as_ref().map(|u| u.value),
            Some(5.0)
        );
    }

    #[test]
    fn keywords_need_a_word_boundary() {
        // `android` is not `and`, `index` is not `in`, `nothing` is not `not`.
        let src = "agreement \"t\" fields { android : bool  index : number  nothing : bool }
          score s { +1 \"r\" when android and index > 1 and nothing }
          route { nurture otherwise }";
        assert!(parse(src).is_ok());
    }
}
