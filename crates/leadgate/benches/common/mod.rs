//! Shared by the benches: where the data is, and "the limit", a hand-written
//! Rust function implementing `benches/compare/agreement.lead` with plain
//! `if`s on a typed struct.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

use std::borrow::Cow;

use leadgate::{Agreement, FieldType, Lead, OnBadValue, Raw, ScoreOptions, Timestamp};

/// A CSV record for `Agreement::bind_csv`.
pub struct Row(pub csv::ByteRecord);

impl leadgate::CsvRow for Row {
    fn bytes(&self) -> &[u8] {
        self.0.as_slice()
    }
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.0.range(i)
    }
}

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
            e.diagnostics()
                .iter()
                .map(|d| &d.message)
                .collect::<Vec<_>>()
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
            Ok(row) => leads.push(agreement.bind_csv(&binder, &Row(row), OnBadValue::Error)),
            Err(e) => die(&format!("bad CSV row: {e}")),
        }
    }
    leads
}

pub fn opts(explain: bool) -> ScoreOptions {
    let as_of = Timestamp::parse("2026-11-23").unwrap_or_else(|| die("bad date"));
    ScoreOptions::at(as_of).explain(explain)
}

/// Every row of a CSV file as (field slot, raw value) pairs, the way the
/// bindings hand values to the core.
pub fn raw_csv_rows(agreement: &Agreement, path: &PathBuf) -> Vec<Vec<(u32, Raw<'static>)>> {
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(path) {
        Ok(r) => r,
        Err(e) => die(&format!("cannot open {}: {e}", path.display())),
    };
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(String::from).collect(),
        Err(e) => die(&format!("bad CSV header: {e}")),
    };
    let columns: Vec<(u32, usize)> = agreement
        .fields()
        .iter()
        .enumerate()
        .filter_map(|(slot, f)| Some((slot as u32, header.iter().position(|h| h == f.key())?)))
        .collect();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap_or_else(|e| die(&format!("bad CSV row: {e}")));
            columns
                .iter()
                .map(|(slot, col)| {
                    let v = row.get(*col).unwrap_or("").to_string();
                    (*slot, Raw::Str(Cow::Owned(v)))
                })
                .collect()
        })
        .collect()
}

/// Binds one pre-read lead (slot, value) by value, as the bindings do.
pub fn bind(agreement: &Agreement, row: &[(u32, Raw<'_>)]) -> Lead {
    let mut b = agreement.lead_builder(OnBadValue::Error);
    for (slot, v) in row {
        b.set(*slot, v.clone());
    }
    b.finish()
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
    /// Reads the struct from the raw values the engine binds (field slots
    /// in declaration order), with its own plain coercion: trimmed,
    /// lower-cased texts; decimal numbers; yes/no flags.
    pub fn from_raw(agreement: &Agreement, row: &[(u32, Raw<'_>)]) -> LimitLead {
        let get = |slot: usize| {
            row.iter()
                .rev()
                .find(|(s, _)| *s as usize == slot)
                .map(|(_, v)| v)
        };
        let is = |slot: usize, ty: FieldType| {
            agreement.fields().get(slot).map(|f| f.field_type()) == Some(ty)
        };
        let text = |slot: usize| match get(slot) {
            Some(Raw::Str(s)) if is(slot, FieldType::Text) && !s.trim().is_empty() => {
                Some(Box::from(s.trim().to_lowercase()))
            }
            _ => None,
        };
        let num = |slot: usize| match get(slot) {
            Some(Raw::Str(s)) if is(slot, FieldType::Number) => s.trim().parse::<f64>().ok(),
            Some(Raw::Float(x)) => Some(*x),
            _ => None,
        };
        let flag = |slot: usize| match get(slot) {
            Some(Raw::Bool(b)) => Some(*b),
            Some(Raw::Str(s)) if is(slot, FieldType::Bool) => {
                match s.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "y" | "1" => Some(true),
                    "false" | "no" | "n" | "0" => Some(false),
                    _ => None,
                }
            }
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
        if let Some(e) = d.error() {
            die(&format!("lead {i} was rejected: {e}"));
        }
        let got = limit(t);
        let route = agreement.routes().get(got.route as usize);
        let stage = agreement
            .grades()
            .first()
            .and_then(|g| g.labels().get(got.stage as usize));
        let scores: Vec<f64> = d.scores().map(|(_, x)| x).collect();
        let want = (
            d.route(),
            d.rule(),
            d.grades().next().map(|(_, l)| l),
            scores,
        );
        let same = route.map(|r| (r.destination(), r.name()))
            == Some((want.0.unwrap_or(leadgate::Destination::Nurture), want.1))
            && want.0.is_some()
            && stage.map(String::as_str) == want.2
            && got
                .scores
                .iter()
                .zip(&want.3)
                .all(|(a, b)| a.to_bits() == b.to_bits())
            && want.3.len() == 3;
        if !same {
            die(&format!(
                "the hand-written function disagrees with the engine on lead {i}: {got:?} vs {want:?}"
            ));
        }
    }
    leads.len()
}

/// A realistic agreement with 1,000 score rules: 24 fields, 10 scores of
/// 100 rules (comparisons, `between`, `in` lists, text operators, a regex
/// every 25 rules (40 in all), computed points every 11), two grades and 21 route rules.
pub fn generated_agreement(rules: usize) -> String {
    let mut s =
        String::from("agreement \"Generated\" version \"1\"\nfields {\n  lead_id : text id\n");
    for i in 0..10 {
        let _ = writeln!(s, "  n{i} : number\n  t{i} : text");
    }
    for i in 0..3 {
        let _ = writeln!(s, "  b{i} : bool");
    }
    s.push_str("}\nlist regions = [\"emea\", \"amer\", \"apac\", \"latam\", \"anz\"]\n");
    let scores = 10;
    for sc in 0..scores {
        let _ = writeln!(s, "score s{sc} {{");
        for r in 0..rules / scores {
            let i = sc * (rules / scores) + r;
            let (n, t) = (i % 10, (i / 10) % 10);
            let sign = if i % 7 == 3 { '-' } else { '+' };
            let pts = 1 + i % 9;
            let when = if i % 25 == 12 {
                format!("t{t} matches /^v(alue)? ?{}\\d*$/i", i % 10)
            } else {
                match i % 8 {
                    0 => format!("n{n} > {}", i % 500),
                    1 => format!("t{t} == \"value {}\"", i % 13),
                    2 => format!("t{t} in regions"),
                    3 => format!("n{n} between {} and {}", i % 50, i % 50 + 100),
                    4 => format!("t{t} starts_with \"v{}\"", i % 5),
                    5 => format!("b{} and n{n} >= {}", i % 3, i % 20),
                    6 => format!("t{t} contains \"{}\" or n{n} < 0", i % 10),
                    _ => format!("not (t{t} in [\"x{i}\", \"y{i}\"]) and n{n} != {}", i % 3),
                }
            };
            if i % 11 == 0 {
                let _ = writeln!(
                    s,
                    "  {sign}(n{n} / 10) up to {pts} \"rule {i}\" when n{n} > 0 and {when}"
                );
            } else {
                let _ = writeln!(s, "  {sign}{pts} \"rule {i}\" when {when}");
            }
        }
        s.push_str("  range 0 to 100\n}\n");
    }
    s.push_str(
        "grade tier {\n  hot when s0 + s1 >= 60\n  warm when total >= 100\n  cold otherwise\n}\n",
    );
    s.push_str("grade size {\n  big when n0 > 1000\n  small otherwise\n}\n");
    s.push_str("route {\n");
    for j in 0..20 {
        let dest = ["sales", "telemarketing", "nurture"][j % 3];
        let _ = writeln!(
            s,
            "  {dest} queue \"q{j}\" \"route {j}\" when s{} >= {} and (tier is hot or potential(s{}) >= 50)",
            j % 10,
            20 + j,
            (j + 1) % 10
        );
    }
    s.push_str("  nurture \"Everyone else\" otherwise\n}\n");
    s
}
