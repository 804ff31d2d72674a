//! One lead's decision explained for a person: every score with the rules
//! that fired and the ones that lacked data, decay, range clamps and
//! `potential`; each grade's line; every route rule in order. Built once as
//! data ([`Explanation`], serialisable), rendered as text the same way on
//! every front.

mod text;

use serde::Serialize;

use crate::check::{Model, Points};
use crate::compiled::Compiled;
use crate::decision::Number;
use crate::syntax::snippet;
use crate::value::Value;
use crate::{Decision, Destination, Lead, Timestamp};

/// One lead's decision with everything a person needs to see why.
/// `Serialize` gives the structure; [`text`](Self::text) (and `Display`)
/// the text every front shows.
#[derive(Debug, Clone)]
pub struct Explanation {
    decision: Decision,
    agreement: String,
    version: Option<String>,
    as_of: Timestamp,
    scores: Vec<ScoreExplained>,
    grades: Vec<GradeExplained>,
    routes: Vec<RouteExplained>,
    route_count: usize,
}

/// A score of the explanation.
#[derive(Debug, Clone, Serialize)]
struct ScoreExplained {
    name: String,
    value: Number,
    potential: Number,
    fired: Vec<RuleFired>,
    undecided: Vec<RuleUndecided>,
    decay: Option<DecayExplained>,
    range: Option<RangeClamp>,
}

#[derive(Debug, Clone, Serialize)]
struct RuleFired {
    rule: String,
    points: Number,
}

#[derive(Debug, Clone, Serialize)]
struct RuleUndecided {
    rule: String,
    missing: Vec<FieldRef>,
    /// What the rule would add if it fired.
    worth: Worth,
}

/// A field by name and by the input key it reads.
#[derive(Debug, Clone, Serialize)]
struct FieldRef {
    name: String,
    key: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
enum Worth {
    /// Constant points (signed).
    Points(Number),
    /// Computed points capped by `up to` (signed).
    UpTo(Number),
    /// Computed points without a cap.
    Computed,
}

#[derive(Debug, Clone, Serialize)]
struct DecayExplained {
    field: String,
    /// The date field is missing: no decay applied.
    skipped: bool,
    /// The fired points before decay.
    raw: Option<Number>,
    factor: Option<Number>,
    age_days: Option<Number>,
    halves_every_s: i64,
}

#[derive(Debug, Clone, Serialize)]
struct RangeClamp {
    low: Number,
    high: Number,
    raw: Number,
    clamped_to: Number,
}

#[derive(Debug, Clone, Serialize)]
struct GradeExplained {
    name: String,
    label: String,
    /// 1-based line of the grade that gave the label.
    line: usize,
    lines: usize,
    condition: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum RouteStatus {
    False,
    Undecided,
    Matched,
    NotTried,
}

#[derive(Debug, Clone, Serialize)]
struct RouteExplained {
    position: usize,
    status: RouteStatus,
    destination: Destination,
    queue: Option<String>,
    name: Option<String>,
    within_s: Option<i64>,
    rule: String,
    missing: Vec<FieldRef>,
}

fn field_refs(m: &Model, slots: &[u32]) -> Vec<FieldRef> {
    slots
        .iter()
        .filter_map(|s| m.fields.get(*s as usize))
        .map(|f| FieldRef {
            name: f.name.clone(),
            key: f.key.clone(),
        })
        .collect()
}

impl Explanation {
    pub(crate) fn new(
        agreement: &Compiled,
        lead: &Lead,
        decision: Decision,
        as_of: Timestamp,
    ) -> Explanation {
        let m = agreement.model();
        let source = agreement.source();
        let mut e = Explanation {
            agreement: m.name.clone(),
            version: m.version.clone(),
            as_of,
            scores: Vec::new(),
            grades: Vec::new(),
            routes: Vec::new(),
            route_count: m.routes.len(),
            decision,
        };
        let Ok(v) = &e.decision.outcome else {
            return e;
        };
        for (si, score) in m.scores.iter().enumerate() {
            let in_score = |rule: u32| {
                m.rules
                    .get(rule as usize)
                    .is_some_and(|r| r.score == si as u32)
            };
            let fired: Vec<RuleFired> = v
                .fired
                .iter()
                .filter(|f| in_score(f.rule))
                .map(|f| RuleFired {
                    rule: m.rules[f.rule as usize].name.clone(),
                    points: Number(f.points),
                })
                .collect();
            let undecided = v
                .unknown
                .iter()
                .filter(|u| in_score(u.rule))
                .map(|u| {
                    let rule = &m.rules[u.rule as usize];
                    let sign = if rule.negative { -1.0 } else { 1.0 };
                    let worth = match (&rule.points, rule.cap) {
                        (Points::Const(p), _) => Worth::Points(Number(sign * p)),
                        (Points::Computed(_), Some(c)) => Worth::UpTo(Number(sign * c)),
                        (Points::Computed(_), None) => Worth::Computed,
                    };
                    RuleUndecided {
                        rule: rule.name.clone(),
                        missing: field_refs(m, &u.missing),
                        worth,
                    }
                })
                .collect();
            let mut raw: f64 = fired.iter().map(|f| f.points.0).sum();
            let decay = score.decay.map(|decay| {
                let field = m.fields[decay.slot as usize].name.clone();
                let skipped = v.decay_skipped.get(si).copied().unwrap_or(false);
                let mut d = DecayExplained {
                    field,
                    skipped,
                    raw: None,
                    factor: None,
                    age_days: None,
                    halves_every_s: decay.every_ms / 1000,
                };
                if let (false, Some(Value::Date(ms))) = (skipped, lead.value(decay.slot as usize)) {
                    let age_ms = (as_of.unix_ms() - ms).max(0) as f64;
                    let factor = libm::pow(0.5, age_ms / decay.every_ms as f64);
                    d.raw = Some(Number(raw));
                    d.factor = Some(Number(factor));
                    d.age_days = Some(Number(age_ms / 86_400_000.0));
                    raw *= factor;
                }
                d
            });
            let value = v.scores[si];
            let range = score.range.and_then(|(lo, hi)| {
                (raw < lo || raw > hi).then_some(RangeClamp {
                    low: Number(lo),
                    high: Number(hi),
                    raw: Number(raw),
                    clamped_to: Number(value),
                })
            });
            e.scores.push(ScoreExplained {
                name: score.name.clone(),
                value: Number(value),
                potential: Number(v.potentials[si]),
                fired,
                undecided,
                decay,
                range,
            });
        }
        for (gi, grade) in m.grades.iter().enumerate() {
            let label = v.grades[gi];
            let line = grade.lines.iter().position(|l| l.label == label);
            e.grades.push(GradeExplained {
                name: grade.name.clone(),
                label: grade.labels[label as usize].clone(),
                line: line.map_or(0, |l| l + 1),
                lines: grade.lines.len(),
                condition: line
                    .map(|l| snippet(source, grade.lines[l].span))
                    .unwrap_or_default(),
            });
        }
        for (ri, rule) in m.routes.iter().enumerate() {
            let undecided = v.undecided.iter().find(|u| u.route == ri as u32);
            let status = if ri as u32 == v.route {
                RouteStatus::Matched
            } else if ri as u32 > v.route {
                RouteStatus::NotTried
            } else if undecided.is_some() {
                RouteStatus::Undecided
            } else {
                RouteStatus::False
            };
            e.routes.push(RouteExplained {
                position: ri + 1,
                status,
                destination: rule.destination,
                queue: rule.queue.clone(),
                name: rule.name.clone(),
                within_s: rule.within_s,
                rule: snippet(source, rule.span),
                missing: undecided.map_or_else(Vec::new, |u| field_refs(m, &u.missing)),
            });
        }
        e
    }

    /// The decision explained.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The explanation as text, one line per fact (the same on every front).
    pub fn text(&self) -> String {
        text::render(self)
    }
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Explanation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("agreement", &self.agreement)?;
        map.serialize_entry("version", &self.version)?;
        map.serialize_entry("as_of", &self.as_of.to_string())?;
        map.serialize_entry("decision", &self.decision)?;
        if self.decision.is_scored() {
            map.serialize_entry("scores", &self.scores)?;
            map.serialize_entry("grades", &self.grades)?;
            map.serialize_entry("routes", &self.routes)?;
        }
        map.end()
    }
}
