//! Rosters (docs/rosters.md): the conformance cases of
//! `tests/conformance/rosters`, and located errors for bad rosters.
//!
//! A roster case is `<name>.json` (agreement, `as_of`, `as_of_key`,
//! `on_bad_value`, optional `load`, leads), `<name>.roster.yaml` and
//! `<name>.expected.jsonl` (one canonical decision per lead). Leads are
//! scored as one batch, each as of its `as_of_key` value (read in the
//! roster's time zone) or else the case's `as_of`, then assigned in input
//! order. `LEADGATE_BLESS=1` rewrites the expected files (see
//! `tests/conformance/regenerate`).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use leadgate::{Agreement, Load, OnBadValue, Roster, ScoreOptions, Threads, Timestamp};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    description: String,
    agreement: String,
    as_of: String,
    as_of_key: Option<String>,
    on_bad_value: String,
    #[serde(default)]
    load: Vec<Taken>,
    leads: Vec<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Taken {
    person: String,
    date: String,
    count: u32,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/rosters")
}

fn case_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn with_suffix(case: &Path, suffix: &str) -> PathBuf {
    let stem = case.file_stem().unwrap().to_string_lossy().into_owned();
    case.with_file_name(format!("{stem}{suffix}"))
}

/// Scores and assigns one case; the decision lines.
fn run_case(path: &Path, threads: &Threads) -> Vec<String> {
    let case: Case = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(!case.description.trim().is_empty());
    let agreement = Agreement::compile(&case.agreement).unwrap();
    let yaml = std::fs::read_to_string(with_suffix(path, ".roster.yaml")).unwrap();
    let roster = Roster::parse(&yaml).unwrap_or_else(|e| panic!("{e}"));
    let staffing = roster.staff(&agreement).unwrap_or_else(|e| panic!("{e}"));
    let on_bad: OnBadValue = case.on_bad_value.parse().unwrap();
    let opts = ScoreOptions::at(Timestamp::parse(&case.as_of).unwrap()).on_bad_value(on_bad);
    let mut load = Load::new();
    for t in &case.load {
        load.set(&t.person, &t.date, t.count).unwrap();
    }
    #[allow(clippy::borrowed_box)] // decide_batch hands over &T, T = Box<RawValue>
    let lead_opts = |lead: &Box<RawValue>| -> ScoreOptions {
        let v: serde_json::Value = serde_json::from_str(lead.get()).unwrap();
        match case.as_of_key.as_deref().and_then(|k| v.get(k)?.as_str()) {
            Some(t) => opts.with_as_of(roster.instant(t).unwrap()),
            None => opts,
        }
    };
    let decisions = staffing.decide_batch(
        &case.leads,
        0,
        lead_opts,
        threads,
        |lead| agreement.bind_json(lead.get(), on_bad),
        &mut load,
    );
    decisions
        .iter()
        .map(|d| {
            let fast = d.to_json();
            // The fast writer and Serialize agree, roster keys included.
            assert_eq!(fast, leadgate::to_canonical_json(d).unwrap());
            fast
        })
        .collect()
}

#[test]
fn roster_conformance_corpus() {
    let files = case_files();
    assert!(
        files.len() >= 5,
        "roster cases missing in {}",
        dir().display()
    );
    let bless = std::env::var_os("LEADGATE_BLESS").is_some_and(|v| v == "1");
    let one = Threads::new(Some(1)).unwrap();
    let three = Threads::new(Some(3)).unwrap();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let lines = run_case(file, &one);
        if run_case(file, &three) != lines {
            failures.push(format!("{name}: differs between 1 and 3 threads"));
        }
        let expected_path = with_suffix(file, ".expected.jsonl");
        if bless {
            std::fs::write(&expected_path, lines.join("\n") + "\n").unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: Vec<&str> = expected.lines().collect();
        if expected.len() != lines.len() {
            failures.push(format!(
                "{name}: {} leads, {} expected lines",
                lines.len(),
                expected.len()
            ));
            continue;
        }
        for (i, (got, want)) in lines.iter().zip(&expected).enumerate() {
            if got != want {
                failures.push(format!(
                    "{name} lead {i}:\n  got:      {got}\n  expected: {want}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The first problem of a bad roster, as `line:column: error: key: message`.
fn first_error(yaml: &str) -> String {
    match Roster::parse(yaml) {
        Ok(_) => panic!("accepted:\n{yaml}"),
        Err(e) => e.diagnostics()[0].to_string(),
    }
}

const GOOD: &str = "timezone: Europe/Berlin
holidays: [2026-12-24, 2026-12-25]
queues:
  emea:
    hours: Mon-Fri 09:00-18:00
    members:
      - { name: Ana Lopez, weight: 2, per_day: 40, away: [2026-12-01..2026-12-05] }
      - { name: Ben Okafor, timezone: Europe/London }
  callbox:                         # the external telemarketing partner
    hours: Mon-Sat 08:00-20:00
    members: [{ name: Callbox, weight: 1 }]
";

#[test]
fn bad_rosters_get_located_errors() {
    assert!(Roster::parse(GOOD).is_ok());
    let cases = [
        // Syntax and types: serde_yaml's location and path.
        (GOOD.replace("hours: Mon-Fri", "hours: [Mon-Fri"), "5:12: error: "),
        (GOOD.replace("per_day: 40", "per_day: -40"), "7:48: error: queues.emea.members[0].per_day: invalid type: integer `-40`, expected u32"),
        (GOOD.replace("weight: 2,", "wieght: 2,"), "7:28: error: queues.emea.members[0]: unknown field `wieght`"),
        (GOOD.replace("queues:", "queue:"), "3:1: error: unknown field `queue`"),
        // Values: located in the text.
        (GOOD.replace("Europe/London", "Europe/Lndon"), "8:39: error: queues.emea.members[1].timezone: unknown time zone \"Europe/Lndon\""),
        (GOOD.replace("Europe/Berlin", "Mars/Olympus"), "1:11: error: timezone: unknown time zone \"Mars/Olympus\""),
        (GOOD.replace("Mon-Sat 08:00-20:00", "Mon-Sat 20:00-08:00"), "10:12: error: queues.callbox.hours: \"20:00-08:00\" ends before it starts"),
        (GOOD.replace("2026-12-01..2026-12-05", "2026-12-05..2026-12-01"), "7:59: error: queues.emea.members[0].away[0]: \"2026-12-05..2026-12-01\" ends before it starts"),
        (GOOD.replace("weight: 2,", "weight: -2,"), "7:28: error: queues.emea.members[0].weight: the weight must be a number above 0, not -2"),
        (GOOD.replace("2026-12-25]", "2026-12-32]"), "2:24: error: holidays[1]: \"2026-12-32\" is not a date (YYYY-MM-DD)"),
        (GOOD.replace("Ben Okafor", "Ana Lopez"), "8:17: error: queues.emea.members[1].name: \"Ana Lopez\" is a member of emea twice"),
        (GOOD.replace("members: [{ name: Callbox, weight: 1 }]", "members: []"), "11:5: error: queues.callbox.members: the queue has no members"),
    ];
    for (yaml, want) in &cases {
        let got = first_error(yaml);
        assert!(got.starts_with(want), "got:  {got}\nwant: {want}…");
    }
    // Every problem at once, in the order of the text, with the file named.
    let two = GOOD
        .replace("Europe/London", "Europe/Lndon")
        .replace("weight: 2,", "weight: 0,");
    let e = Roster::parse(&two).unwrap_err().with_file_name("team.yaml");
    let text = e.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("team.yaml:7:28: error: queues.emea.members[0].weight"),
        "{text}"
    );
    assert!(lines[1].starts_with("team.yaml:8:39: error:"), "{text}");
    // Hostile sizes are refused before YAML reads them.
    let huge = format!(
        "timezone: UTC\nqueues: {{}}\n#{}\n",
        "x".repeat(leadgate::limits::MAX_ROSTER_BYTES)
    );
    assert!(first_error(&huge).contains("at most 1048576"));
}

#[test]
fn a_roster_is_checked_against_the_agreement() {
    let agreement = |routes: &str| {
        Agreement::compile(&format!(
            "agreement \"A\"\nfields {{ size : number }}\nscore s {{ +1 \"Big\" when size > 10 }}\nroute {{\n{routes}\n}}\n"
        ))
        .unwrap()
    };
    let roster = Roster::parse(GOOD).unwrap();
    // A queue routes can reach with no roster queue: an error naming the rule.
    let a = agreement("sales queue \"apac\" \"Big APAC\" when s >= 1\nnurture otherwise");
    let e = roster.staff(&a).unwrap_err().to_string();
    assert_eq!(e, "3:1: error: queues: the route rule \"Big APAC\" sends leads to the queue \"apac\", which the roster does not have");
    // A rule without a queue reads the queue named after its destination.
    let a = agreement("sales \"Big lead\" when s >= 1\nnurture otherwise");
    let e = roster.staff(&a).unwrap_err().to_string();
    assert!(e.contains("the route rule \"Big lead\" sends leads to sales without a queue, and the roster has no queue named \"sales\""), "{e}");
    // Nurture needs no person; roster queues no rule names are warnings.
    let a = agreement("sales queue \"emea\" \"Big lead\" when s >= 1\nnurture otherwise");
    let s = roster.staff(&a).unwrap();
    assert_eq!(s.route_queues().collect::<Vec<_>>(), [Some("emea"), None]);
    let w: Vec<String> = s.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(w, ["9:3: warning: queues.callbox: no route rule of \"A\" sends leads to the queue \"callbox\""]);
    // A nurture queue the roster does not staff needs no person either.
    let a = agreement(
        "sales queue \"emea\" \"Big lead\" when s >= 1\nnurture queue \"drip\" otherwise",
    );
    let s = roster.staff(&a).unwrap();
    assert_eq!(s.route_queues().collect::<Vec<_>>(), [Some("emea"), None]);
    let a = agreement("telemarketing \"Big lead\" when s >= 1\nnurture otherwise");
    let r = Roster::parse(&GOOD.replace("callbox:  ", "telemarketing:")).unwrap();
    let s = r.staff(&a).unwrap();
    assert_eq!(
        s.route_queues().collect::<Vec<_>>(),
        [Some("telemarketing"), None]
    );
}

/// A report with a roster is mergeable like the rest: parts sent as state
/// and merged in any order give one pass's text, JSON and page; parts of
/// another roster or of none do not merge.
#[test]
fn roster_reports_merge_to_one_pass() {
    use leadgate::Report;
    let agreement = Agreement::compile(
        "agreement \"R\"\nfields { ref : text id from \"id\"  size : number }\nscore s { +1 \"Big\" when size > 10 }\nroute {\n  sales within 2h \"Big lead\" when s >= 1\n  nurture otherwise\n}\n",
    )
    .unwrap();
    let roster = Roster::parse(
        "timezone: Europe/Berlin\nholidays: [2026-12-24]\nqueues:\n  sales:\n    hours: Mon-Fri 09:00-18:00\n    members:\n      - { name: Ana, weight: 2, per_day: 9 }\n      - { name: Ben, timezone: Europe/London, per_day: 12 }\n",
    )
    .unwrap();
    let staffing = roster.staff(&agreement).unwrap();
    let base = Timestamp::parse("2026-12-14T06:00:00Z").unwrap().unix_ms();
    let leads: Vec<(String, i64, Option<Timestamp>)> = (0..300)
        .map(|i| {
            let at = base + i * 47 * 60_000;
            let followed = (i % 5 != 0).then(|| Timestamp::from_unix_ms(at + (i % 7) * 3_600_000));
            (
                format!(r#"{{"id": "R-{i}", "size": {}}}"#, i % 23),
                at,
                followed,
            )
        })
        .collect();
    let mut load = Load::new();
    let opts = ScoreOptions::at(Timestamp::from_unix_ms(base));
    let decisions = staffing.decide_batch(
        &leads,
        0,
        |(_, at, _)| opts.with_as_of(Timestamp::from_unix_ms(*at)),
        &Threads::calling(),
        |(l, _, _)| agreement.bind_json(l, opts.bad_values()),
        &mut load,
    );
    let report = |range: std::ops::Range<usize>| {
        let mut r = Report::new(&agreement, None, None).with_roster(&staffing, Some("Followed up"));
        for i in range {
            assert!(r.add_followed_up(&decisions[i], None, None, leads[i].2));
        }
        r
    };
    let whole = report(0..300);
    let json = whole.to_json("t", 5);
    let a = &json["assignment"];
    assert_eq!(a["people"].as_array().unwrap().len(), 2);
    assert!(
        a["queues"][0]["unassigned"]["everyone at capacity"]
            .as_u64()
            .unwrap()
            > 0,
        "{a}"
    );
    let mut merged =
        Report::new(&agreement, None, None).with_roster(&staffing, Some("Followed up"));
    for part in [200..300, 0..70, 70..200] {
        let back = Report::from_state(&agreement, &report(part).to_state()).unwrap();
        assert!(merged.merge(&back));
    }
    assert_eq!(merged.to_json("t", 5), json);
    assert_eq!(merged.to_text("t", 5), whole.to_text("t", 5));
    assert_eq!(merged.to_html("t", 5), whole.to_html("t", 5));
    // Another roster, or none, does not merge.
    let other = Roster::parse(&roster.source().replace("per_day: 9", "per_day: 8")).unwrap();
    let mut r = Report::new(&agreement, None, None)
        .with_roster(&other.staff(&agreement).unwrap(), Some("Followed up"));
    assert!(!r.merge(&whole));
    assert!(!Report::new(&agreement, None, None).merge(&whole));
}

/// A YAML alias bomb (10^12 strings) is refused at once: the schema (or
/// serde_yaml's repetition limit) stops it before it expands.
#[test]
fn alias_bombs_are_refused() {
    let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        y.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n",
            p = i - 1
        ));
    }
    y.push_str("timezone: UTC\nqueues: {}\n");
    // And as a value the roster reads.
    let inside = format!(
        "timezone: UTC\nholidays: *a11\nqueues: {{}}\n{}",
        y.lines()
            .take(12)
            .map(|l| format!("x{l}\n"))
            .collect::<String>()
    );
    assert!(Roster::parse(&inside).is_err());
    let started = std::time::Instant::now();
    let e = Roster::parse(&y).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(!e.to_string().is_empty());
}
