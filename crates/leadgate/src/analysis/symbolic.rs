//! The symbolic diff: which leads change destination between two versions
//! of an agreement, described as regions — a pair of deciding route rules
//! (old → new) with the score ranges and grades its leads share — each
//! with a lead that both agreements, scoring it, confirm.
//!
//! Leads are built from both agreements' cells (every constant their
//! conditions compare with, on either side), from the analysis witnesses of
//! both, and from those witnesses changed one value at a time. The regions
//! are the rule pairs these leads reach; the search is wide but not a
//! proof that no other pair exists (`docs/analysis.md`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::agreement::Agreement;
use crate::decision::Decision;
use crate::options::{ScoreOptions, Timestamp};
use crate::syntax::ast::Destination;

use super::domain::{self, Cell};
use super::render::{lead_json, witness_values};
use super::search::Rng;
use super::{Analysis, Reach, WitnessValue, WITNESS_AS_OF};

/// A route rule of one side of a diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleRef {
    /// Position in the route block.
    pub index: usize,
    /// Its name (`None` for an unnamed `otherwise`).
    pub name: Option<String>,
    /// Where it sends a lead.
    pub destination: Destination,
    /// Its queue.
    pub queue: Option<String>,
}

impl RuleRef {
    fn of(a: &Agreement, index: usize) -> Option<RuleRef> {
        let r = a.routes().get(index)?;
        Some(RuleRef {
            index,
            name: r.name().map(String::from),
            destination: r.destination(),
            queue: r.queue().map(String::from),
        })
    }

    fn describe(&self) -> String {
        let mut s = self.destination.as_str().to_string();
        if let Some(q) = &self.queue {
            let _ = write!(s, " queue \"{q}\"");
        }
        let _ = write!(s, " (\"{}\")", self.name.as_deref().unwrap_or("otherwise"));
        s
    }
}

/// Leads the old agreement decides by one rule and the new one by another,
/// with a different destination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    /// The old deciding rule.
    pub old: RuleRef,
    /// The new deciding rule.
    pub new: RuleRef,
    /// What the region's leads share, readable: score ranges between the
    /// constants both agreements compare them with, and grade labels.
    pub condition: String,
    /// A lead of the region, confirmed by scoring it with both agreements.
    pub witness: Vec<WitnessValue>,
    /// How many searched leads fell in the region.
    pub leads: usize,
}

/// The regions of leads whose destination changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SymbolicDiff {
    /// One per (old rule → new rule) pair found, in rule order.
    pub regions: Vec<Region>,
    /// How many leads were scored with both agreements.
    pub leads_searched: usize,
    /// The instant leads were scored at (RFC 3339).
    pub as_of: String,
}

type Lead = serde_json::Map<String, serde_json::Value>;

/// Candidate values per input key, from both agreements' cells.
fn candidates(agreements: [&Agreement; 2]) -> Vec<(String, Vec<serde_json::Value>)> {
    let mut out: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for a in agreements {
        let dom = domain::build(a.model(), WITNESS_AS_OF);
        for (f, cells) in a.fields().iter().zip(&dom.fields) {
            let values: Vec<crate::value::Value> = cells
                .cells
                .iter()
                .filter_map(|c| match c {
                    Cell::Exact(v) => Some(v.clone()),
                    _ => None,
                })
                .collect();
            let json: Vec<serde_json::Value> = witness_values_one(a, f.name(), &values);
            match out.iter_mut().find(|(k, _)| k == f.key()) {
                Some((_, v)) => {
                    for j in json {
                        if !v.contains(&j) {
                            v.push(j);
                        }
                    }
                }
                None => out.push((f.key().to_string(), json)),
            }
        }
    }
    out
}

/// JSON values of one field, from cell values.
fn witness_values_one(
    a: &Agreement,
    field: &str,
    values: &[crate::value::Value],
) -> Vec<serde_json::Value> {
    let Some(slot) = a.fields().iter().position(|f| f.name() == field) else {
        return Vec::new();
    };
    values
        .iter()
        .filter_map(|v| {
            let mut row = vec![crate::value::Value::Missing; a.fields().len()];
            *row.get_mut(slot)? = v.clone();
            witness_values(a, &row).into_iter().next().map(|w| w.value)
        })
        .collect()
}

fn witnesses(a: &Agreement, analysis: &Analysis) -> Vec<Lead> {
    let _ = a;
    analysis
        .routes
        .iter()
        .filter_map(|r| match &r.reach {
            Reach::Reachable { witness } => Some(
                witness
                    .values
                    .iter()
                    .map(|v| (v.key.clone(), v.value.clone()))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

/// The breakpoints both agreements compare a score with, by score name.
fn score_points(agreements: [&Agreement; 2]) -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for a in agreements {
        let dom = domain::build(a.model(), WITNESS_AS_OF);
        for (i, s) in a.scores().iter().enumerate() {
            let pts = dom.breakpoints(domain::Derived::Score(i as u32));
            let entry = match out.iter().position(|(n, _)| n == s.name()) {
                Some(p) => p,
                None => {
                    out.push((s.name().to_string(), Vec::new()));
                    out.len() - 1
                }
            };
            if let Some((_, v)) = out.get_mut(entry) {
                v.extend_from_slice(pts);
                v.sort_by(f64::total_cmp);
                v.dedup();
            }
        }
    }
    out
}

/// `20 ≤ engagement < 25`: the cells between the constants the agreements
/// compare the score with that hold every value seen in the region.
fn range_text(name: &str, values: &[f64], points: &[f64]) -> Option<String> {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    let num = crate::value::format_number;
    let below = points
        .iter()
        .copied()
        .filter(|p| *p <= lo)
        .fold(f64::NEG_INFINITY, f64::max);
    let above = points
        .iter()
        .copied()
        .filter(|p| *p > hi)
        .fold(f64::INFINITY, f64::min);
    Some(match (below.is_finite(), above.is_finite()) {
        (true, true) => format!("{} ≤ {name} < {}", num(below), num(above)),
        (true, false) => format!("{name} ≥ {}", num(below)),
        (false, true) => format!("{name} < {}", num(above)),
        (false, false) => return None,
    })
}

struct Group {
    old: usize,
    new: usize,
    lead: Lead,
    /// Leads of the region to search around (the first few found).
    seeds: Vec<Lead>,
    count: usize,
    scores: Vec<(String, Vec<f64>)>,
    grades: Vec<(String, Option<String>)>,
}

impl SymbolicDiff {
    /// Searches the leads whose destination differs between `old` and `new`.
    pub fn between(old: &Agreement, new: &Agreement) -> SymbolicDiff {
        let opts = ScoreOptions::at(Timestamp::from_unix_ms(WITNESS_AS_OF));
        let cands = candidates([old, new]);
        let mut seeds = witnesses(old, &Analysis::of(old));
        seeds.extend(witnesses(new, &Analysis::of(new)));
        let mut leads: Vec<Lead> = seeds.iter().flat_map(|s| neighbours(s, &cands)).collect();
        let mut rng = Rng::new(0xd1ff_5eed);
        for i in 0..6000 {
            let mut l = if i % 2 == 0 || seeds.is_empty() {
                Lead::new()
            } else {
                seeds
                    .get(rng.below(seeds.len()))
                    .cloned()
                    .unwrap_or_default()
            };
            for (key, values) in &cands {
                if i % 2 == 1 && rng.below(4) != 0 {
                    continue;
                }
                if rng.below(10) < 3 {
                    l.remove(key);
                } else if let Some(v) = values.get(rng.below(values.len())) {
                    l.insert(key.clone(), v.clone());
                }
            }
            leads.push(l);
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut searched = 0;
        // Then twice more around what moved: the leads next to a region's
        // witness, one value changed, find the regions beside it.
        for round in 0..4 {
            if round > 0 {
                leads = groups
                    .iter()
                    .flat_map(|g| g.seeds.iter().flat_map(|l| neighbours(l, &cands)))
                    .collect();
            }
            searched += leads.len();
            for lead in std::mem::take(&mut leads) {
                let value = serde_json::Value::Object(lead);
                let (od, nd) = (
                    old.score_serde(&value, &opts),
                    new.score_serde(&value, &opts),
                );
                let (Some(i), Some(j)) = (od.rule_index(), nd.rule_index()) else {
                    continue;
                };
                if od.route() == nd.route() {
                    continue;
                }
                let serde_json::Value::Object(lead) = value else {
                    continue;
                };
                record(&mut groups, i, j, lead, &od, &nd);
            }
        }
        groups.sort_by_key(|g| (g.old, g.new));
        let points = score_points([old, new]);
        let regions = groups
            .into_iter()
            .filter_map(|g| region(old, new, g, &points, &opts))
            .collect();
        SymbolicDiff {
            regions,
            leads_searched: searched,
            as_of: super::render::instant(WITNESS_AS_OF),
        }
    }

    /// The region a lead's two decisions put it in, if any.
    pub fn region_of(&self, old: &Decision, new: &Decision) -> Option<&Region> {
        let (i, j) = (old.rule_index()?, new.rule_index()?);
        self.regions
            .iter()
            .find(|r| r.old.index == i && r.new.index == j)
    }

    /// The regions, for people.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Leads whose destination changes, by region ({} leads built from both agreements' constants searched, scored as of {}; each witness confirmed by both):\n",
            self.leads_searched, self.as_of
        );
        if self.regions.is_empty() {
            out.push_str("  none found\n");
        }
        for (n, r) in self.regions.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {}{}{} → {}",
                n + 1,
                r.condition,
                if r.condition.is_empty() { "" } else { ": " },
                r.old.describe(),
                r.new.describe()
            );
            let _ = writeln!(out, "     e.g. {}", lead_json(&r.witness));
        }
        out
    }
}

/// A lead and every lead one value away from it.
fn neighbours(seed: &Lead, cands: &[(String, Vec<serde_json::Value>)]) -> Vec<Lead> {
    let mut out = vec![seed.clone()];
    for (key, values) in cands {
        let mut l = seed.clone();
        l.remove(key);
        out.push(l);
        for v in values {
            let mut l = seed.clone();
            l.insert(key.clone(), v.clone());
            out.push(l);
        }
    }
    out
}

fn record(groups: &mut Vec<Group>, i: usize, j: usize, lead: Lead, od: &Decision, nd: &Decision) {
    let g = match groups.iter().position(|g| g.old == i && g.new == j) {
        Some(p) => p,
        None => {
            groups.push(Group {
                old: i,
                new: j,
                lead: lead.clone(),
                seeds: Vec::new(),
                count: 0,
                scores: Vec::new(),
                grades: od
                    .grades()
                    .map(|(g, l)| (g.to_string(), Some(l.to_string())))
                    .collect(),
            });
            groups.len() - 1
        }
    };
    let Some(group) = groups.get_mut(g) else {
        return;
    };
    group.count += 1;
    if group.seeds.len() < 8 && !group.seeds.contains(&lead) {
        group.seeds.push(lead.clone());
    }
    // Fewer keys make a more readable witness.
    if lead.len() < group.lead.len() {
        group.lead = lead;
    }
    for (side, d) in [("", od), ("new ", nd)] {
        for (name, v) in d.scores() {
            let key = format!("{side}{name}");
            match group.scores.iter_mut().find(|(k, _)| *k == key) {
                Some((_, vals)) => vals.push(v),
                None => group.scores.push((key, vec![v])),
            }
        }
    }
    for (g, l) in od.grades() {
        if let Some((_, label)) = group.grades.iter_mut().find(|(n, _)| n == g) {
            if label.as_deref() != Some(l) {
                *label = None;
            }
        }
    }
}

fn region(
    old: &Agreement,
    new: &Agreement,
    g: Group,
    points: &[(String, Vec<f64>)],
    opts: &ScoreOptions,
) -> Option<Region> {
    // The witness, confirmed by both.
    let value = serde_json::Value::Object(g.lead.clone());
    let (od, nd) = (old.score_serde(&value, opts), new.score_serde(&value, opts));
    if od.rule_index() != Some(g.old) || nd.rule_index() != Some(g.new) {
        return None;
    }
    let mut parts = Vec::new();
    for (key, vals) in &g.scores {
        let (name, is_new) = match key.strip_prefix("new ") {
            Some(n) => (n, true),
            None => (key.as_str(), false),
        };
        if is_new {
            // Only when the new values differ from the old ones.
            let old_vals = g.scores.iter().find(|(k, _)| k == name).map(|(_, v)| v);
            if old_vals == Some(vals) {
                continue;
            }
        }
        let pts = points
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, p)| &p[..]);
        if pts.is_empty() {
            continue;
        }
        if let Some(t) = range_text(key, vals, pts) {
            parts.push(t);
        }
    }
    for (grade, label) in &g.grades {
        if let Some(l) = label {
            parts.push(format!("{grade} {l}"));
        }
    }
    let witness = g
        .lead
        .iter()
        .map(|(k, v)| WitnessValue {
            field: old
                .fields()
                .iter()
                .chain(new.fields())
                .find(|f| f.key() == k)
                .map_or_else(|| k.clone(), |f| f.name().to_string()),
            key: k.clone(),
            value: v.clone(),
        })
        .collect();
    Some(Region {
        old: RuleRef::of(old, g.old)?,
        new: RuleRef::of(new, g.new)?,
        condition: parts.join(" and "),
        witness,
        leads: g.count,
    })
}
