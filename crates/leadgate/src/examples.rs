//! Running an agreement's own `example` blocks.

use std::borrow::Cow;

use crate::bind::{OnBadValue, Raw};
use crate::check::Expectation;
use crate::compiled::Compiled;
use crate::syntax::ast::{CmpOp, Literal};
use crate::value::format_number;
use crate::{ScoreOptions, Timestamp};

/// The outcome of one `example` block of an agreement (serialises as
/// `{name, line, failures: [{message, line, column}]}`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExampleResult {
    /// The example's name.
    pub name: String,
    /// 1-based line of the `example` keyword.
    pub line: usize,
    /// One per failed expectation: what was expected, what came out, and
    /// where the `expect` is.
    pub failures: Vec<ExampleFailure>,
}

/// One expectation of an example that did not hold (or the example lead
/// being rejected), located at its `expect` (or the example's `lead`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExampleFailure {
    /// `expected `route sales`, got nurture (rule "Everyone else")`.
    pub message: String,
    /// 1-based line of the failing `expect`.
    pub line: usize,
    /// 1-based column, in characters, of the failing `expect`.
    pub column: usize,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ExampleResult {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn raw(lit: &Literal) -> Raw<'_> {
    match lit {
        Literal::Text(s) => Raw::Str(Cow::Borrowed(s)),
        Literal::Number(n) => Raw::Float(*n),
        Literal::Bool(b) => Raw::Bool(*b),
        Literal::Date(ms) => Raw::DateMs(*ms),
        Literal::List(items) => Raw::Array(items.iter().map(|i| raw(&i.value)).collect()),
    }
}

fn close(op: CmpOp, actual: f64, expected: f64) -> bool {
    let tol = 1e-9 * expected.abs().max(1.0);
    match op {
        CmpOp::Eq => (actual - expected).abs() <= tol,
        CmpOp::Ne => (actual - expected).abs() > tol,
        CmpOp::Lt => actual < expected,
        CmpOp::Le => actual <= expected + tol,
        CmpOp::Gt => actual > expected,
        CmpOp::Ge => actual >= expected - tol,
    }
}

/// Binds and scores an example's lead at its `as_of`.
fn decide(agreement: &std::sync::Arc<Compiled>, ex: &crate::check::Example) -> crate::Decision {
    let mut b = agreement.lead_builder(OnBadValue::Error);
    for (slot, lit) in &ex.lead {
        b.set(*slot, raw(lit));
    }
    let lead = b.finish_except(agreement.model().id_slot);
    // Without `as_of` only when the agreement does not use time.
    let opts = ScoreOptions::at(Timestamp::from_unix_ms(ex.as_of.unwrap_or(0)));
    crate::decision::decide(agreement, 0, &lead, &opts)
}

pub(crate) fn run(agreement: &std::sync::Arc<Compiled>) -> Vec<ExampleResult> {
    let m = agreement.model();
    m.examples
        .iter()
        .map(|ex| {
            let d = decide(agreement, ex);
            let line = agreement.line_of(ex.span.start);
            let mut failures = Vec::new();
            let v = match &d.outcome {
                Ok(v) => v,
                Err(e) => {
                    let (line, column) =
                        crate::diagnostic::line_col(agreement.source(), ex.span.start);
                    failures.push(ExampleFailure {
                        message: format!("the example lead was rejected: {e}"),
                        line,
                        column,
                    });
                    return ExampleResult {
                        name: ex.name.clone(),
                        line,
                        failures,
                    };
                }
            };
            let route = &m.routes[v.route as usize];
            let route_desc = format!(
                "{}{} (rule {})",
                route.destination.as_str(),
                route
                    .queue
                    .as_ref()
                    .map(|q| format!(" queue \"{q}\""))
                    .unwrap_or_default(),
                route
                    .name
                    .as_ref()
                    .map(|n| format!("\"{n}\""))
                    .unwrap_or_else(|| "otherwise".into())
            );
            for (exp, text, span) in &ex.expects {
                let ok = match exp {
                    Expectation::Route(dest) => route.destination == *dest,
                    Expectation::Queue(q) => route.queue.as_deref() == Some(q.as_str()),
                    Expectation::Fired(n) | Expectation::NotFired(n) => {
                        let fired = v.fired.iter().any(|f| m.rules[f.rule as usize].name == *n)
                            || route.name.as_deref() == Some(n.as_str());
                        fired == matches!(exp, Expectation::Fired(_))
                    }
                    Expectation::Grade { grade, label } => {
                        v.grades.get(*grade as usize) == Some(label)
                    }
                    Expectation::Score { score, op, value } => {
                        let actual = score.map(|s| v.scores[s as usize]).unwrap_or(v.total);
                        close(*op, actual, *value)
                    }
                };
                if ok {
                    continue;
                }
                let got = match exp {
                    Expectation::Route(_) | Expectation::Queue(_) => format!("got {route_desc}"),
                    Expectation::Fired(_) | Expectation::NotFired(_) => {
                        let names: Vec<String> = v
                            .fired
                            .iter()
                            .map(|f| format!("\"{}\"", m.rules[f.rule as usize].name))
                            .collect();
                        format!(
                            "fired: {}",
                            if names.is_empty() {
                                "none".into()
                            } else {
                                names.join(", ")
                            }
                        )
                    }
                    Expectation::Grade { grade, label: _ } => {
                        let g = &m.grades[*grade as usize];
                        format!(
                            "got {} is {}",
                            g.name, g.labels[v.grades[*grade as usize] as usize]
                        )
                    }
                    Expectation::Score { score, .. } => match score {
                        Some(s) => format!(
                            "got {} = {}",
                            m.scores[*s as usize].name,
                            format_number(v.scores[*s as usize])
                        ),
                        None => format!("got total = {}", format_number(v.total)),
                    },
                };
                let (line, column) = crate::diagnostic::line_col(agreement.source(), span.start);
                failures.push(ExampleFailure {
                    message: format!("expected `{}`, {got}", text.trim()),
                    line,
                    column,
                });
            }
            ExampleResult {
                name: ex.name.clone(),
                line,
                failures,
            }
        })
        .collect()
}

/// The route rule each example's lead reaches (examples whose lead is
/// rejected reach none), for coverage.
pub(crate) fn routes_reached(agreement: &std::sync::Arc<Compiled>) -> Vec<usize> {
    agreement
        .model()
        .examples
        .iter()
        .filter_map(|ex| {
            let d = decide(agreement, ex);
            d.outcome.as_ref().ok().map(|v| v.route as usize)
        })
        .collect()
}
