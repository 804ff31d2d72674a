//! Analysis of a compiled agreement over every possible lead: route rules
//! no lead can reach, score rules that never fire, grade labels never
//! given, destinations no lead reaches, `potential` tests that never differ
//! from their score test — and, for every route rule that can be reached,
//! a witness lead the engine takes there. The method and why its "never"
//! is a proof are in `docs/analysis.md`.

mod bounds;
mod domain;
mod render;
mod search;
mod symbolic;

use serde::Serialize;

use crate::agreement::Agreement;
use crate::diagnostic::{line_col, Code, Diagnostic, Severity, Span};
use crate::expr::{Cond, Num};
use crate::syntax::ast::{CmpOp, Destination};
use crate::value::Value;

use search::{Outcome, Rng, Searcher, Target};

pub use render::WitnessValue;
pub use symbolic::{Region, RuleRef, SymbolicDiff};

/// Limits of one analysis run.
#[derive(Debug, Clone, Copy)]
pub struct AnalysisOptions {
    /// Work the searches may do in all, in abstract rule evaluations: beyond
    /// it what is left is reported undecided.
    pub budget: u64,
    /// Random leads tried before any search.
    pub samples: u32,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            budget: 4_000_000_000,
            samples: 3000,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Subject {
    /// A route rule, by position (0-based) and name.
    RouteRule {
        /// Position in the route block.
        index: usize,
        /// Its name (`None` for an unnamed `otherwise`).
        name: Option<String>,
    },
    /// A score rule, by position in [`Agreement::rules`] and name.
    ScoreRule {
        /// Position among the score rules.
        index: usize,
        /// Its name.
        name: String,
    },
    /// A label of a grade.
    GradeLabel {
        /// The grade's name.
        grade: String,
        /// The label.
        label: String,
    },
    /// A destination.
    Destination {
        /// sales, nurture or telemarketing.
        destination: Destination,
    },
    /// A `potential(score) OP value` test.
    PotentialTest {
        /// The score.
        score: String,
        /// The test as written (`potential(fit) >= 40`).
        test: String,
    },
}

/// Why a finding holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// The condition is true for no lead.
    ConditionNeverTrue,
    /// The condition holds for some leads, but every one of them is taken
    /// by an earlier route rule; `rules` are the earlier rules that take
    /// some of them.
    TakenByEarlierRules {
        /// The earlier rules, by name.
        rules: Vec<String>,
    },
    /// Every route rule of the destination is unreachable.
    NoReachableRule {
        /// Its route rules, by name.
        rules: Vec<String>,
    },
    /// No `+` rule of the score can be unknown, so the potential always
    /// equals the score.
    PotentialEqualsScore,
    /// Potential and score can differ, but never across the test's value.
    NeverAcrossValue,
}

/// One finding: a warning with its code, location and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// W0007 … W0011.
    pub code: Code,
    /// Lower-case, one line.
    pub message: String,
    /// What it points at in the agreement text.
    pub span: Span,
    /// 1-based line of the span.
    pub line: usize,
    /// 1-based column (characters) of the span.
    pub column: usize,
    /// What it is about.
    pub subject: Subject,
    /// Why it holds.
    pub evidence: Evidence,
}

impl Finding {
    /// The finding as a warning diagnostic, shown like every other.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic {
            code: self.code,
            severity: Severity::Warning,
            message: self.message.clone(),
            span: self.span,
            line: self.line,
            column: self.column,
            help: None,
        }
    }
}

/// A lead that reaches a route rule, verified by scoring it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Witness {
    /// The values given, in field declaration order (missing fields left out).
    pub values: Vec<WitnessValue>,
    /// The instant it was scored at (RFC 3339).
    pub as_of: String,
    /// Its scores, in declaration order.
    pub scores: Vec<(String, f64)>,
    /// Its grades' labels, in declaration order.
    pub grades: Vec<(String, String)>,
}

impl Witness {
    /// The lead as one JSON object text, keys in field order.
    pub fn lead_json(&self) -> String {
        render::lead_json(&self.values)
    }
}

/// Whether a route rule can be reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reach {
    /// A lead reaches it: here is one.
    Reachable {
        /// The lead.
        witness: Witness,
    },
    /// No lead reaches it (there is a finding saying why).
    Unreachable,
    /// The analysis could not tell.
    Undecided {
        /// Why.
        reason: String,
    },
}

/// One route rule and whether a lead can reach it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteReach {
    /// Position in the route block.
    pub index: usize,
    /// Its name (`None` for an unnamed `otherwise`).
    pub name: Option<String>,
    /// Where it sends a lead.
    pub destination: Destination,
    /// Its queue.
    pub queue: Option<String>,
    /// Reachable (with a witness), unreachable, or undecided.
    pub reach: Reach,
}

/// Something the analysis could neither prove impossible nor witness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Undecided {
    /// What it is about.
    pub subject: Subject,
    /// Why it is undecided.
    pub reason: String,
    /// Where it is written.
    pub line: usize,
}

/// What the analysis of an agreement found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Proven findings, in source order.
    pub findings: Vec<Finding>,
    /// Every route rule, in order, with a witness lead when it is reachable.
    pub routes: Vec<RouteReach>,
    /// What it could not decide, in source order.
    pub undecided: Vec<Undecided>,
}

/// The instant witnesses are scored at: 2026-11-23T00:00:00Z.
pub(crate) const WITNESS_AS_OF: i64 = 1_795_392_000_000;

const BUDGET_REASON: &str = "the analysis budget ran out";
const OPAQUE_REASON: &str =
    "a regex, text test or computed value the analysis cannot bound leaves it open";

fn reason(out_of_budget: bool) -> String {
    if out_of_budget {
        BUDGET_REASON
    } else {
        OPAQUE_REASON
    }
    .to_string()
}

/// `potential(S) OP c` tests in grades and routes, with where they are.
fn potential_tests(a: &Agreement) -> Vec<(u32, CmpOp, f64, Span)> {
    fn walk(c: &Cond, out: &mut Vec<(u32, CmpOp, f64)>) {
        match c {
            Cond::PotentialCmp(op, i, k) => out.push((*i, *op, *k)),
            Cond::NumCmp(op, Num::Potential(i), Num::Const(k)) => out.push((*i, *op, *k)),
            Cond::NumCmp(op, Num::Const(k), Num::Potential(i)) => {
                out.push((*i, crate::compile::flip(*op), *k))
            }
            Cond::Not(a) => walk(a, out),
            Cond::And(p) | Cond::Or(p) => p.iter().for_each(|x| walk(x, out)),
            Cond::BoolEq(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            _ => {}
        }
    }
    let m = a.model();
    let mut out = Vec::new();
    let places = m
        .grades
        .iter()
        .flat_map(|g| g.lines.iter().map(|l| (&l.when, l.span)))
        .chain(m.routes.iter().map(|r| (&r.when, r.span)));
    for (cond, span) in places {
        let mut found = Vec::new();
        walk(cond, &mut found);
        for (i, op, k) in found {
            if !out
                .iter()
                .any(|(j, o, x, _)| *j == i && *o == op && *x == k)
            {
                out.push((i, op, k, span));
            }
        }
    }
    out
}

/// Where `potential(NAME)` is written inside `span`, else `span`.
fn locate_potential(source: &str, span: Span, name: &str) -> Span {
    let text = source.get(span.start..span.end).unwrap_or("");
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find("potential")) {
        let at = from + i;
        let rest = text.get(at + "potential".len()..).unwrap_or("");
        let inner = rest.trim_start().strip_prefix('(').map(str::trim_start);
        if let Some(after) = inner.and_then(|r| r.strip_prefix(name)) {
            if after.trim_start().starts_with(')') {
                let close = text.len() - after.trim_start().len() + 1;
                return Span::new(span.start + at, span.start + close);
            }
        }
        from = at + 1;
    }
    span
}

impl Analysis {
    /// Analyses an agreement with the default budget.
    pub fn of(agreement: &Agreement) -> Analysis {
        Analysis::with_options(agreement, &AnalysisOptions::default())
    }

    /// Analyses an agreement within `options`' budget.
    pub fn with_options(agreement: &Agreement, options: &AnalysisOptions) -> Analysis {
        analyse(agreement, options)
    }

    /// The findings as warning diagnostics.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.findings.iter().map(Finding::to_diagnostic).collect()
    }

    /// The route rules no `example` block of the agreement reaches (by
    /// running the examples' leads), in order.
    pub fn uncovered<'a>(&'a self, agreement: &Agreement) -> Vec<&'a RouteReach> {
        let covered = agreement.example_routes();
        self.routes
            .iter()
            .filter(|r| !covered.contains(&r.index))
            .collect()
    }

    /// Ready-to-paste `example` blocks, one per reachable route rule.
    pub fn example_blocks(&self, agreement: &Agreement) -> String {
        render::example_blocks(self, agreement)
    }
}

/// Everything the analysis searches for, by kind.
struct Targets {
    all: Vec<Target>,
    /// Index into `all` of Route(r), Fires(k), Label(g, l) and PotDiff.
    route: Vec<usize>,
    fires: Vec<usize>,
    labels: Vec<Vec<usize>>,
    pots: Vec<(usize, Span)>,
}

fn targets(agreement: &Agreement) -> Targets {
    let m = agreement.model();
    let mut all = Vec::new();
    let mut push = |t: Target| {
        all.push(t);
        all.len() - 1
    };
    let route = (0..m.routes.len() as u32)
        .map(|r| push(Target::Route(r)))
        .collect();
    let fires = (0..m.rules.len() as u32)
        .map(|k| push(Target::Fires(k)))
        .collect();
    let labels = m
        .grades
        .iter()
        .enumerate()
        .map(|(g, gr)| {
            (0..gr.labels.len() as u32)
                .map(|l| push(Target::Label(g as u32, l)))
                .collect()
        })
        .collect();
    let pots = potential_tests(agreement)
        .into_iter()
        .map(|(i, op, k, span)| (push(Target::PotDiff(i, op, k)), span))
        .collect();
    Targets {
        all,
        route,
        fires,
        labels,
        pots,
    }
}

/// Runs the analysis.
fn analyse(agreement: &Agreement, options: &AnalysisOptions) -> Analysis {
    let program = agreement.program();
    let m = &program.model;
    let dom = domain::build(m, WITNESS_AS_OF);
    let size = (m.rules.len()
        + m.routes.len()
        + m.grades.iter().map(|g| g.lines.len()).sum::<usize>()
        + 1) as u64;
    // An abstract evaluation reads each condition over the cells of the
    // fields left open: its cost grows with both.
    let cells = dom
        .fields
        .iter()
        .map(|f| f.cells.len())
        .max()
        .unwrap_or(1)
        .max(1) as u64;
    let mut s = Searcher {
        program,
        dom: &dom,
        budget: options.budget,
        node_cost: size.saturating_mul(cells),
        // One search may spend at most a twentieth of the budget.
        walk: 3000,
        per_search: (options.budget / size.saturating_mul(cells).max(1) / 20).clamp(200, 100_000),
    };
    let ts = targets(agreement);
    let mut found: Vec<Option<Vec<Value>>> = vec![None; ts.all.len()];
    let mut outcomes: Vec<Option<Outcome>> = vec![None; ts.all.len()];

    // Random leads first: one run witnesses many targets.
    let mut rng = Rng::new(0x1ead_9a7e_5eed_0001);
    let mut left = ts.all.len();
    for n in 0..=options.samples {
        if left == 0 {
            break;
        }
        // An engine run costs about as much as reading every rule once.
        if s.budget < size {
            break;
        }
        s.budget -= size;
        let values = if n == 0 { s.base() } else { s.sample(&mut rng) };
        let run = s.run(values);
        let v = &run.verdict;
        let mut hits: Vec<usize> = Vec::new();
        hits.extend(ts.route.get(v.route as usize));
        hits.extend(v.fired.iter().filter_map(|f| ts.fires.get(f.rule as usize)));
        for (g, l) in v.grades.iter().enumerate() {
            hits.extend(ts.labels.get(g).and_then(|x| x.get(*l as usize)));
        }
        for (i, _) in &ts.pots {
            if let Some(t) = ts.all.get(*i) {
                if s.reaches(&run, *t) {
                    hits.push(*i);
                }
            }
        }
        for i in hits {
            if let Some(slot) = found.get_mut(i) {
                if slot.is_none() {
                    *slot = Some(run.lead.values.clone());
                    left -= 1;
                }
            }
        }
    }

    // Then a search for each target still without a witness.
    for (i, t) in ts.all.iter().enumerate() {
        let o = match found.get(i).cloned().flatten() {
            Some(w) => Outcome::Witness(w),
            None => s.search(*t),
        };
        if let Some(slot) = outcomes.get_mut(i) {
            *slot = Some(o);
        }
    }
    let outcome = |i: usize| -> Outcome {
        outcomes
            .get(i)
            .cloned()
            .flatten()
            .unwrap_or(Outcome::Undecided(true))
    };

    let source = agreement.source();
    let warned = |span: Span| {
        agreement.warnings().iter().any(|w| {
            matches!(w.code, Code::NeverFires | Code::Shadowed)
                && w.span.start >= span.start
                && w.span.start < span.end.max(span.start + 1)
        })
    };
    let mut findings = Vec::new();
    let mut undecided = Vec::new();
    let mut finding =
        |code: Code, span: Span, message: String, subject: Subject, evidence: Evidence| {
            let (line, column) = line_col(source, span.start);
            findings.push(Finding {
                code,
                message,
                span,
                line,
                column,
                subject,
                evidence,
            });
        };
    let mut open = |subject: Subject, why: bool, span: Span| {
        undecided.push(Undecided {
            subject,
            reason: reason(why),
            line: line_col(source, span.start).0,
        });
    };
    let rule_name = |r: usize| {
        m.routes
            .get(r)
            .and_then(|x| x.name.clone())
            .unwrap_or_else(|| "otherwise".to_string())
    };

    // Route rules.
    let mut routes = Vec::new();
    let mut unreachable = vec![false; m.routes.len()];
    for (r, rule) in m.routes.iter().enumerate() {
        let o = ts
            .route
            .get(r)
            .map_or(Outcome::Undecided(true), |i| outcome(*i));
        let subject = Subject::RouteRule {
            index: r,
            name: rule.name.clone(),
        };
        let reach = match o {
            Outcome::Witness(values) => {
                let values = s.minimize(values, Target::Route(r as u32));
                match render::witness(agreement, &values, r) {
                    Some(witness) => Reach::Reachable { witness },
                    None => Reach::Undecided {
                        reason: "the witness lead did not verify".to_string(),
                    },
                }
            }
            Outcome::Never => {
                if let Some(slot) = unreachable.get_mut(r) {
                    *slot = true;
                }
                if !warned(rule.span) {
                    // Explaining costs less than proving: smaller searches.
                    let (full, walk) = (s.per_search, s.walk);
                    s.per_search = full.min(2_000);
                    s.walk = 100;
                    let evidence = match s.search(Target::CondTrue(r as u32)) {
                        Outcome::Never => Evidence::ConditionNeverTrue,
                        _ => {
                            let mut takers = Vec::new();
                            for i in 0..r {
                                if let Outcome::Witness(_) =
                                    s.search(Target::TakenBy(r as u32, i as u32))
                                {
                                    takers.push(rule_name(i));
                                }
                            }
                            Evidence::TakenByEarlierRules { rules: takers }
                        }
                    };
                    s.per_search = full;
                    s.walk = walk;
                    let message = match &evidence {
                        Evidence::ConditionNeverTrue => format!(
                            "the route rule \"{}\" is never reached: its condition is true for no lead",
                            rule_name(r)
                        ),
                        Evidence::TakenByEarlierRules { rules } if !rules.is_empty() => format!(
                            "the route rule \"{}\" is never reached: every lead it matches is taken by {}",
                            rule_name(r),
                            rules
                                .iter()
                                .map(|n| format!("\"{n}\""))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => format!(
                            "the route rule \"{}\" is never reached: every lead it matches is taken by earlier rules",
                            rule_name(r)
                        ),
                    };
                    finding(
                        Code::UnreachableRoute,
                        rule.span,
                        message,
                        subject,
                        evidence,
                    );
                }
                Reach::Unreachable
            }
            Outcome::Undecided(why) => {
                open(subject, why, rule.span);
                Reach::Undecided {
                    reason: reason(why),
                }
            }
        };
        routes.push(RouteReach {
            index: r,
            name: rule.name.clone(),
            destination: rule.destination,
            queue: rule.queue.clone(),
            reach,
        });
    }

    // Destinations whose every rule is unreachable.
    for dest in [
        Destination::Sales,
        Destination::Nurture,
        Destination::Telemarketing,
    ] {
        let rules: Vec<usize> = m
            .routes
            .iter()
            .enumerate()
            .filter(|(_, x)| x.destination == dest)
            .map(|(i, _)| i)
            .collect();
        let Some(&first) = rules.first() else {
            continue;
        };
        if rules
            .iter()
            .all(|r| unreachable.get(*r).copied().unwrap_or(false))
        {
            let names: Vec<String> = rules.iter().map(|r| rule_name(*r)).collect();
            let span = m.routes.get(first).map_or(Span::default(), |x| x.span);
            finding(
                Code::DestinationUnreachable,
                span,
                if names.len() == 1 {
                    format!(
                        "no lead can reach {}: its only route rule \"{}\" is unreachable",
                        dest.as_str(),
                        rule_name(first)
                    )
                } else {
                    format!(
                        "no lead can reach {}: its route rules {} are all unreachable",
                        dest.as_str(),
                        names
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                Subject::Destination { destination: dest },
                Evidence::NoReachableRule { rules: names },
            );
        }
    }

    // Score rules.
    for (k, rule) in m.rules.iter().enumerate() {
        let subject = Subject::ScoreRule {
            index: k,
            name: rule.name.clone(),
        };
        match ts.fires.get(k).map(|i| outcome(*i)) {
            Some(Outcome::Never) if !warned(rule.span) => finding(
                Code::RuleNeverFires,
                rule.span,
                format!(
                    "the rule \"{}\" can never fire: no lead makes its condition true with its points known",
                    rule.name
                ),
                subject,
                Evidence::ConditionNeverTrue,
            ),
            Some(Outcome::Undecided(why)) => open(subject, why, rule.span),
            _ => {}
        }
    }

    // Grade labels.
    for (g, grade) in m.grades.iter().enumerate() {
        for line in &grade.lines {
            let label = grade
                .labels
                .get(line.label as usize)
                .cloned()
                .unwrap_or_default();
            let subject = Subject::GradeLabel {
                grade: grade.name.clone(),
                label: label.clone(),
            };
            let o = ts
                .labels
                .get(g)
                .and_then(|x| x.get(line.label as usize))
                .map(|i| outcome(*i));
            match o {
                Some(Outcome::Never) if !warned(line.span) => finding(
                    Code::LabelNeverGiven,
                    line.span,
                    format!(
                        "the label `{label}` of grade `{}` is never given: no lead gets it",
                        grade.name
                    ),
                    subject,
                    Evidence::ConditionNeverTrue,
                ),
                Some(Outcome::Undecided(why)) => open(subject, why, line.span),
                _ => {}
            }
        }
    }

    // Potential tests.
    let unassigned: Vec<Option<u16>> = vec![None; m.fields.len()];
    // Every lead at once, for the potential tests' evidence (built only
    // when there are such tests: it reads every rule over every cell).
    let root = (!ts.pots.is_empty()).then(|| bounds::Node::new(m, &dom, &unassigned, &[]));
    for (i, span) in &ts.pots {
        let Some(Target::PotDiff(si, op, k)) = ts.all.get(*i).copied() else {
            continue;
        };
        let name = m
            .scores
            .get(si as usize)
            .map(|x| x.name.clone())
            .unwrap_or_default();
        let value = crate::value::format_number(k);
        let test = format!("potential({name}) {} {value}", op.as_str());
        let subject = Subject::PotentialTest {
            score: name.clone(),
            test: test.clone(),
        };
        let at = locate_potential(source, *span, &name);
        match outcome(*i) {
            Outcome::Never => {
                let same = root
                    .as_ref()
                    .and_then(|r| r.scores.get(si as usize))
                    .is_some_and(|x| x.no_extra);
                let (evidence, why) = if same {
                    (
                        Evidence::PotentialEqualsScore,
                        format!("no `+` rule of `{name}` can be unknown, so its potential is always the score"),
                    )
                } else {
                    (
                        Evidence::NeverAcrossValue,
                        format!("the potential never crosses {value} unless the score does"),
                    )
                };
                finding(
                    Code::PotentialSameAsScore,
                    at,
                    format!(
                        "`{test}` never differs from `{name} {} {value}`: {why}",
                        op.as_str()
                    ),
                    subject,
                    evidence,
                );
            }
            Outcome::Undecided(why) => open(subject, why, at),
            Outcome::Witness(_) => {}
        }
    }

    findings.sort_by_key(|f| (f.span.start, f.code.as_str()));
    undecided.sort_by_key(|u| u.line);
    Analysis {
        findings,
        routes,
        undecided,
    }
}
