//! Shared by the benches: where the data is, and "the limit", a hand-written
//! Rust function implementing `benches/compare/agreement.lead` with plain
//! `if`s on a typed struct.
#![allow(dead_code)]

use std::path::PathBuf;

use leadgate::value::Value;
use leadgate::{Agreement, Lead, OnBadValue, ScoreOptions};

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The real CRM export (9,240 leads), kept outside the repository:
/// `$LEADGATE_BENCH_DATA`, else `../shared/data/x-education-leads.csv`
/// beside the repository.
pub fn x_education_csv() -> Option<PathBuf> {
    let path = match std::env::var_os("LEADGATE_BENCH_DATA") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("../shared/data/x-education-leads.csv"),
    };
    path.is_file().then_some(path)
}

pub fn read(path: &PathBuf) -> String {
    match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => die(&format!("cannot read {}: {e}", path.display())),
    }
}

pub fn die(msg: &str) -> ! {
    eprintln!("bench: {msg}");
    std::process::exit(1)
}

pub fn compile(source: &str) -> Agreement {
    match Agreement::compile(source) {
        Ok(a) => a,
        Err(e) => die(&format!(
            "agreement does not compile: {:?}",
            e.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
        )),
    }
}

/// Binds every row of a CSV file.
pub fn bind_csv_file(agreement: &Agreement, path: &PathBuf) -> Vec<Lead> {
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => die(&format!("cannot open {}: {e}", path.display())),
    };
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => die(&format!("bad CSV header: {e}")),
    };
    let binder = agreement.csv_binder(&header);
    let mut leads = Vec::new();
    for row in reader.byte_records() {
        match row {
            Ok(row) => leads.push(agreement.bind_csv(&binder, &row, OnBadValue::Error)),
            Err(e) => die(&format!("bad CSV row: {e}")),
        }
    }
    leads
}

pub fn opts(explain: bool) -> ScoreOptions {
    ScoreOptions {
        as_of_ms: leadgate::parse_instant("2026-11-23").unwrap_or(0),
        explain,
        ..ScoreOptions::default()
    }
}

// ---------------------------------------------------------------------------
// The limit.

/// One lead of `benches/compare/agreement.lead`, typed. Texts are trimmed and
/// lower-cased once, when the struct is built (as binding does for the engine).
#[derive(Debug, Clone, Default)]
pub struct LimitLead {
    pub origin: Option<Box<str>>,
    pub lead_source: Option<Box<str>>,
    pub do_not_email: Option<bool>,
    pub do_not_call: Option<bool>,
    pub visits: Option<f64>,
    pub seconds_on_site: Option<f64>,
    pub last_activity: Option<Box<str>>,
    pub occupation: Option<Box<str>>,
    pub city: Option<Box<str>>,
    pub counselor_tag: Option<Box<str>>,
    pub lead_quality: Option<Box<str>>,
    pub free_ebook: Option<bool>,
}

/// What the limit decides: route rule index, `stage` label index, scores
/// (profile, engagement, intent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitOut {
    pub route: u32,
    pub stage: u32,
    pub scores: [f64; 3],
}

impl LimitLead {
    /// Reads the struct from a lead bound by the engine (field slots in
    /// declaration order), so both get exactly the same input.
    pub fn from_bound(lead: &Lead) -> LimitLead {
        let text = |slot: usize| match lead.value(slot) {
            Some(Value::Text(t)) => Some(Box::from(t.lower())),
            _ => None,
        };
        let num = |slot: usize| match lead.value(slot) {
            Some(Value::Number(x)) => Some(*x),
            _ => None,
        };
        let flag = |slot: usize| match lead.value(slot) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        };
        LimitLead {
            origin: text(1),
            lead_source: text(2),
            do_not_email: flag(3),
            do_not_call: flag(4),
            visits: num(5),
            seconds_on_site: num(6),
            last_activity: text(7),
            occupation: text(8),
            city: text(9),
            counselor_tag: text(10),
            lead_quality: text(11),
            free_ebook: flag(12),
        }
    }
}

const NOT_INTERESTED: [&str; 6] = [
    "interested in other courses",
    "not doing further education",
    "already a student",
    "lost to eins",
    "lost to others",
    "diploma holder (not eligible)",
];

/// `benches/compare/agreement.lead`, by hand. Three-valued logic is written
/// out: a rule on a missing field does not fire, and `potential(profile)`
/// adds the positive rules whose field is missing.
#[inline(never)]
pub fn limit(l: &LimitLead) -> LimitOut {
    // profile
    let mut profile = 0.0f64;
    let mut extra = 0.0f64;
    match l.occupation.as_deref() {
        Some("working professional") => profile += 30.0,
        Some("businessman") => profile += 15.0,
        Some("student") => profile -= 10.0,
        Some(_) => {}
        None => extra += 30.0 + 15.0,
    }
    match l.city.as_deref() {
        Some("mumbai" | "thane & outskirts" | "other metro cities") => profile += 5.0,
        Some(_) => {}
        None => extra += 5.0,
    }
    match l.lead_quality.as_deref() {
        Some("high in relevance") => profile += 20.0,
        Some(_) => {}
        None => extra += 20.0,
    }
    let potential = (profile + extra).clamp(0.0, 100.0);
    let profile = profile.clamp(0.0, 100.0);

    // engagement
    let mut engagement = 0.0f64;
    if let Some(s) = l.seconds_on_site {
        if s > 0.0 {
            engagement += (s / 60.0).min(30.0);
        }
    }
    if let Some(v) = l.visits {
        if v >= 2.0 {
            engagement += (2.0 * v).min(10.0);
        }
    }
    match l.last_activity.as_deref() {
        Some("had a phone conversation" | "approached upfront") => engagement += 20.0,
        Some("email bounced" | "unsubscribed" | "unreachable") => engagement -= 15.0,
        _ => {}
    }
    let engagement = engagement.clamp(0.0, 80.0);

    // intent
    let mut intent = 0.0f64;
    if let Some(o) = l.origin.as_deref() {
        if o.ends_with("add form") {
            intent += 25.0;
        }
    }
    if let Some("google" | "bing" | "organic search") = l.lead_source.as_deref() {
        intent += 5.0;
    }
    if let Some(t) = l.counselor_tag.as_deref() {
        if t.contains("will revert")
            || t.contains("next batch")
            || t.contains("want to take admission")
            || t.contains("next coming month")
        {
            intent += 40.0;
        }
        if NOT_INTERESTED.contains(&t) {
            intent -= 30.0;
        }
    }
    let intent = intent.clamp(0.0, 100.0);

    // grade stage: ready, promising, early
    let stage = if intent >= 40.0 || (profile >= 30.0 && engagement >= 30.0) {
        0
    } else if profile >= 25.0 || engagement >= 25.0 || intent >= 25.0 {
        1
    } else {
        2
    };

    let may_call = l.do_not_call == Some(false);
    let route = if l.do_not_call == Some(true) && l.do_not_email == Some(true) {
        0
    } else if stage == 0 && may_call {
        1
    } else if intent >= 25.0 && engagement >= 10.0 && may_call {
        2
    } else if engagement >= 30.0 && l.occupation.is_none() && potential >= 50.0 && may_call {
        3
    } else if l.free_ebook == Some(true) && l.do_not_email == Some(false) {
        4
    } else {
        5
    };
    LimitOut {
        route,
        stage,
        scores: [profile, engagement, intent],
    }
}

/// Checks the limit against the engine on every lead, bit for bit. Returns
/// the number of leads compared.
pub fn verify_limit(agreement: &Agreement, leads: &[Lead], typed: &[LimitLead]) -> usize {
    let opts = opts(false);
    for (i, (lead, t)) in leads.iter().zip(typed).enumerate() {
        let d = agreement.decide(i, lead, &opts);
        let Some(v) = d.verdict() else {
            die(&format!("lead {i} was rejected: {:?}", d.error()));
        };
        let got = limit(t);
        let want = LimitOut {
            route: v.route,
            stage: v.grades.first().copied().unwrap_or(u32::MAX),
            scores: [
                v.scores.first().copied().unwrap_or(f64::NAN),
                v.scores.get(1).copied().unwrap_or(f64::NAN),
                v.scores.get(2).copied().unwrap_or(f64::NAN),
            ],
        };
        let same = got.route == want.route
            && got.stage == want.stage
            && got
                .scores
                .iter()
                .zip(want.scores)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        if !same {
            die(&format!(
                "the hand-written function disagrees with the engine on lead {i}: {got:?} vs {want:?}"
            ));
        }
    }
    leads.len()
}
