//! `--roster`, `--as-of-column`, `--followed-up-at` and `--roster-new`
//! through the `leadgate` binary: the roster conformance cases
//! (`tests/conformance/rosters`), located roster errors, leads without a
//! readable arrival kept in place, the CSV columns, the replay report and
//! the diff of two rosters.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::value::RawValue;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/rosters")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leadgate-rosters-cli-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("leadgate")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `COMMAND a.lead leads.csv --roster team.yaml --as-of-column Created
/// --as-of 2026-12-21 EXTRA…`
fn replay(cmd: &str, a: &Path, r: &Path, l: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        cmd,
        p(a),
        p(l),
        "--roster",
        p(r),
        "--as-of-column",
        "Created",
    ];
    args.extend(["--as-of", "2026-12-21"]);
    args.extend(extra);
    run(&args)
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[derive(serde::Deserialize)]
struct Case {
    agreement: String,
    as_of: String,
    as_of_key: Option<String>,
    #[serde(default)]
    load: Vec<serde_json::Value>,
    leads: Vec<Box<RawValue>>,
}

#[test]
fn cli_matches_the_roster_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut ran = 0;
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let case: Case = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        // Counts given beforehand are for hosts that keep them; every CLI
        // run starts with nobody having taken a lead.
        if !case.load.is_empty() {
            continue;
        }
        let dir = scratch(&stem);
        let (agreement, leads) = (dir.join("a.lead"), dir.join("leads.jsonl"));
        std::fs::write(&agreement, &case.agreement).unwrap();
        let lines: String = case
            .leads
            .iter()
            .map(|l| format!("{}\n", l.get()))
            .collect();
        std::fs::write(&leads, lines).unwrap();
        let roster = corpus().join(format!("{stem}.roster.yaml"));
        let expected =
            std::fs::read_to_string(corpus().join(format!("{stem}.expected.jsonl"))).unwrap();
        for threads in ["1", "3"] {
            let mut args = vec![
                "score",
                p(&agreement),
                p(&leads),
                "--roster",
                p(&roster),
                "--as-of",
                &case.as_of,
                "--threads",
                threads,
            ];
            if let Some(k) = &case.as_of_key {
                args.extend(["--as-of-column", k]);
            }
            let (code, out, err) = run(&args);
            assert!(code == 0 || code == 3, "{stem}: exit {code}: {err}");
            assert_eq!(out, expected, "{stem} on {threads} thread(s)");
        }
        ran += 1;
    }
    assert!(ran >= 5, "{ran} roster cases ran");
}

const AGREEMENT: &str = r#"agreement "Replay"
fields {
  ref  : text id from "Lead Number"
  size : number from "Size"
}
score fit { +20 "Big" when size >= 100 }
route {
  sales within 1h "Big lead" when fit >= 20
  nurture otherwise
}
"#;

const ROSTER: &str = "timezone: Europe/Berlin
holidays: [2026-12-24]
queues:
  sales:
    hours: Mon-Fri 09:00-18:00
    members:
      - { name: Ana Lopez, weight: 2, per_day: 2 }
      - { name: Ben Okafor, timezone: Europe/London }
";

fn setup(name: &str, csv: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch(name);
    let (a, r, l) = (
        dir.join("a.lead"),
        dir.join("team.yaml"),
        dir.join("leads.csv"),
    );
    std::fs::write(&a, AGREEMENT).unwrap();
    std::fs::write(&r, ROSTER).unwrap();
    std::fs::write(&l, csv).unwrap();
    (a, r, l)
}

const LEADS: &str = "Lead Number,Size,Created,Followed up
L-1,500,2026-12-21 10:00,2026-12-21 10:30
L-2,500,2026-12-21 10:05,2026-12-21 12:00
L-3,500,2026-12-21 10:10,
L-4,500,2026-12-21 10:15,2026-12-21 10:20
L-5,500,2026-12-23 17:30,2026-12-28 09:10
L-6,5,2026-12-21 11:00,
L-7,500,someday,
L-8,500,,
";

#[test]
fn a_bad_roster_is_a_located_error_and_nothing_is_scored() {
    let (a, r, l) = setup("bad", LEADS);
    std::fs::write(&r, ROSTER.replace("Europe/London", "Europe/Lndon")).unwrap();
    let (code, out, err) = run(&[
        "score",
        p(&a),
        p(&l),
        "--roster",
        p(&r),
        "--as-of",
        "2026-12-21",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("team.yaml:8:39: error: queues.sales.members[1].timezone: unknown time zone \"Europe/Lndon\""),
        "{err}"
    );
    // A queue the agreement's routes reach with no roster entry.
    std::fs::write(&r, ROSTER.replace("  sales:", "  emea:")).unwrap();
    let (code, _, err) = run(&[
        "score",
        p(&a),
        p(&l),
        "--roster",
        p(&r),
        "--as-of",
        "2026-12-21",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("the route rule \"Big lead\" sends leads to sales without a queue, and the roster has no queue named \"sales\""), "{err}");
    // A roster queue no route names is a warning; scoring goes on.
    std::fs::write(
        &r,
        format!("{ROSTER}  spare:\n    hours: Mon 09:00-10:00\n    members: [{{ name: Cy }}]\n"),
    )
    .unwrap();
    let (code, out, err) = run(&[
        "score",
        p(&a),
        p(&l),
        "--roster",
        p(&r),
        "--as-of",
        "2026-12-21",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 8);
    assert!(err.contains("team.yaml:9:3: warning: queues.spare: no route rule of \"Replay\" sends leads to the queue \"spare\""), "{err}");
}

#[test]
fn each_lead_at_its_own_instant_and_unreadable_ones_in_place() {
    let (a, r, l) = setup("asof", LEADS);
    let (code, out, err) = run(&[
        "score",
        p(&a),
        p(&l),
        "--roster",
        p(&r),
        "--as-of-column",
        "Created",
    ]);
    assert_eq!(code, 3, "{err}");
    let d: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(d.len(), 8, "rows in == rows out");
    // Times without an offset are Berlin's (the roster's); an hour of
    // working time later, in the assignee's zone: Ana (Berlin) takes 2 a
    // day, then Ben (London, where 10:10 Berlin is 09:10, on duty). The
    // Wednesday 17:30 lead skips the holiday (Thursday): Friday 09:30.
    let by: Vec<&str> = d
        .iter()
        .map(|x| x["follow_up_by"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        by,
        [
            "2026-12-21T11:00:00+01:00",
            "2026-12-21T11:05:00+01:00",
            "2026-12-21T10:10:00+00:00",
            "2026-12-21T10:15:00+00:00",
            "2026-12-25T09:30:00+01:00",
            "-",
            "-",
            "-"
        ]
    );
    assert_eq!(d[6]["error"]["message"], "\"Created\" holds \"someday\", not a date or timestamp (2026-11-23, 2026-11-23 10:30, RFC 3339)");
    assert_eq!(d[6]["id"], "L-7");
    assert!(d[7]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("no arrival time"));
    // With --as-of, an empty cell is scored as of it.
    let (_, out, _) = run(&[
        "score",
        p(&a),
        p(&l),
        "--roster",
        p(&r),
        "--as-of-column",
        "Created",
        "--as-of",
        "2026-12-22T10:00:00+01:00",
    ]);
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["follow_up_by"], "2026-12-22T11:00:00+01:00");
    // Without a roster, times without an offset are UTC.
    let (_, out, _) = run(&[
        "explain",
        p(&a),
        p(&l),
        "--index",
        "1",
        "--as-of-column",
        "Created",
        "--format",
        "json",
    ]);
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["as_of"], "2026-12-21T10:05:00Z");
    // JSON leads: a value that is no text is shown as lead errors show
    // values, as every front shows it.
    let json = l.with_extension("jsonl");
    let lines = r#"{"Lead Number": "J-1", "Size": 500, "Created": 7}
{"Lead Number": "J-2", "Size": 500, "Created": {"at": "2026-12-21"}}
{"Lead Number": "J-3", "Size": 500, "Created": " 2026-12-21 10:00 "}
{"Lead Number": "J-4", "Size": 500, "Created": 1e400}
{"Lead Number": "J-5", "Size": 500, "Created": "2026-12-21\ud800"}
"#
    .to_string()
        // Nested past serde_json's limit: still a value, not a missing one.
        + &format!(
            "{{\"Lead Number\": \"J-6\", \"Size\": 500, \"Created\": {}{}}}\n",
            "[".repeat(200),
            "]".repeat(200)
        );
    std::fs::write(&json, lines).unwrap();
    let not_text = |v: &str| format!("\"Created\" holds {v}, not a date or timestamp text");
    // With --as-of too: a value that is there is never read as missing.
    for as_of in [&[][..], &["--as-of", "2026-12-22"][..]] {
        let args = [
            &["score", p(&a), p(&json), "--as-of-column", "Created"][..],
            as_of,
        ]
        .concat();
        let (_, out, err) = run(&args);
        let d: Vec<serde_json::Value> = (out.lines())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(d.len(), 6, "{err}");
        assert_eq!(d[0]["error"]["message"], not_text("7"));
        assert_eq!(d[1]["error"]["message"], not_text("an object"));
        assert!(d[2]["error"].is_null(), "{}", d[2]);
        // As Python and JS show an infinity and a lone surrogate.
        assert_eq!(d[3]["error"]["message"], not_text("Infinity"));
        assert_eq!(
            d[4]["error"]["message"],
            not_text("a text that is not valid Unicode")
        );
        assert_eq!(d[5]["error"]["message"], not_text("an array"));
    }
    // A column that is not there is a usage error naming the columns.
    let (code, _, err) = run(&["score", p(&a), p(&l), "--as-of-column", "Arrived"]);
    assert_eq!(code, 2);
    assert!(err.contains("the input has no column \"Arrived\"; its columns are: Lead Number, Size, Created, Followed up"), "{err}");
}

#[test]
fn csv_gains_the_roster_columns_only_with_a_roster() {
    let (a, r, l) = setup("csv", LEADS);
    let (_, plain, _) = run(&[
        "score",
        p(&a),
        p(&l),
        "--format",
        "csv",
        "--as-of",
        "2026-12-21",
    ]);
    assert_eq!(
        plain.lines().next().unwrap(),
        "Lead Number,Size,Created,Followed up,route,queue,route_rule,follow_up_within_s,total,fit,fired,error"
    );
    let (_, out, _) = run(&[
        "score",
        p(&a),
        p(&l),
        "--format",
        "csv",
        "--roster",
        p(&r),
        "--as-of-column",
        "Created",
        "--as-of",
        "2026-12-21",
    ]);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let head: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        head.join(","),
        "Lead Number,Size,Created,Followed up,route,queue,route_rule,follow_up_within_s,assignee,unassigned,follow_up_by,total,fit,fired,error"
    );
    let recs: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(recs.len(), 8);
    // Ana takes at most 2 a day; the other Monday leads go to Ben.
    let monday: Vec<&str> = recs[..4].iter().map(|r| &r[8]).collect();
    assert_eq!(
        monday.iter().filter(|a| **a == "Ana Lopez").count(),
        2,
        "{monday:?}"
    );
    assert_eq!(
        monday.iter().filter(|a| **a == "Ben Okafor").count(),
        2,
        "{monday:?}"
    );
    // Nurture needs no person.
    assert_eq!((&recs[5][4], &recs[5][8], &recs[5][9]), ("nurture", "", ""));
}

#[test]
fn the_replay_report_shows_load_capacity_and_sla() {
    let (a, r, l) = setup("report", LEADS);
    let (code, out, err) = replay(
        "report",
        &a,
        &r,
        &l,
        &["--followed-up-at", "Followed up", "--format", "json"],
    );
    // L-7's arrival cannot be read: rejected in place (exit 3).
    assert_eq!(code, 3, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let asg = &j["assignment"];
    let sales = &asg["queues"][0];
    assert_eq!(sales["name"], "sales");
    assert_eq!(sales["leads"], 6);
    assert_eq!(sales["assigned"], 6);
    // L-8 has no arrival: scored as of --as-of, Monday 00:00, assigned at 09:00.
    assert_eq!(sales["per_day"]["2026-12-21"], 5);
    assert_eq!(sales["per_day"]["2026-12-23"], 1);
    assert_eq!(sales["waited"], 1);
    assert_eq!(sales["sla"]["due"], 6);
    let ana = &asg["people"][0];
    assert_eq!(ana["name"], "Ana Lopez");
    assert_eq!(ana["capacity"], 2);
    assert_eq!(ana["max_per_day"], 2);
    assert_eq!(asg["no_person"], 1);
    let s = &sales["sla"];
    // Met: L-1 (10:30, due 11:00), L-4. Late: L-2 (12:00, due 11:05), L-5
    // (Monday 28th, due Friday 25th 09:30). Open: L-3, L-8.
    assert_eq!(
        (&s["met"], &s["late"], &s["open"]),
        (&2.into(), &2.into(), &2.into()),
        "{s}"
    );
    // Text and HTML carry the same section.
    let (_, text, _) = replay("report", &a, &r, &l, &["--followed-up-at", "Followed up"]);
    assert!(text.contains("Assignment (roster): 6 leads to roster queues, 6 assigned (100.0%), 0 unassigned; 1 need no person"), "{text}");
    assert!(text.contains("Ana Lopez"));
    let html = l.with_file_name("r.html");
    let (code, _, _) = replay("report", &a, &r, &l, &["--html", p(&html)]);
    assert_eq!(code, 3);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<h2 id=assignment>Assignment (roster)</h2>")
            && page.contains("Leads per person per day")
    );
    // --followed-up-at needs a roster.
    let (code, _, _) = run(&[
        "report",
        p(&a),
        p(&l),
        "--followed-up-at",
        "Followed up",
        "--as-of",
        "2026-12-21",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn diff_counts_leads_changing_hands() {
    let (a, r, l) = setup("diff", LEADS);
    let new = r.with_file_name("new.yaml");
    // Ben leaves; Cy joins.
    std::fs::write(
        &new,
        ROSTER.replace("Ben Okafor, timezone: Europe/London", "Cy Park"),
    )
    .unwrap();
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", p(&a), p(&a), p(&l), "--roster", p(&r)];
        args.extend(["--roster-new", p(&new), "--as-of-column", "Created"]);
        args.extend(["--as-of", "2026-12-21"]);
        args.extend(extra);
        run(&args)
    };
    let (code, out, err) = diff(&["--format", "json"]);
    assert_eq!(code, 3, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hands = &j["hands"];
    // Scored under both (L-7 is rejected under both).
    assert_eq!(hands["leads"], 7);
    assert!(hands["changed"].as_u64().unwrap() >= 1, "{hands}");
    // Leads move only away from Ben, who left, or to Cy, who joined.
    for m in hands["moves"].as_array().unwrap() {
        assert!(
            m["old_assignee"] == "Ben Okafor" || m["new_assignee"] == "Cy Park",
            "{hands}"
        );
    }
    let (_, text, _) = diff(&[]);
    assert!(text.contains("Leads changing hands:"), "{text}");
    // Without rosters the diff's JSON has no `hands`.
    let (_, plain, _) = run(&[
        "diff",
        p(&a),
        p(&a),
        p(&l),
        "--as-of",
        "2026-12-21",
        "--format",
        "json",
    ]);
    assert!(!plain.contains("\"hands\""));
}

#[test]
fn explain_says_who_and_by_when() {
    let (a, r, l) = setup("explain", LEADS);
    let (code, out, err) = run(&[
        "explain",
        p(&a),
        p(&l),
        "--index",
        "4",
        "--roster",
        p(&r),
        "--as-of-column",
        "Created",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("when the queue next opens") || out.contains("assigned to"),
        "{out}"
    );
    assert!(out.contains("follow up by 2026-12-2"), "{out}");
}
