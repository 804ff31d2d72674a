//! A replay before rollout on the real export (`../shared/data`, never
//! committed): the 9,240 X Education leads, each given an arrival time and
//! a follow-up time generated here (the export has neither), assigned with
//! `rules-examples/education-admissions.roster.yaml`. The report shows
//! per-person load and SLA figures in text, JSON and HTML, and they add up.
//!
//! `LEADGATE_REPLAY_DIR=dir` keeps the generated CSV and the three reports
//! there (to look at the HTML page).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fixed pseudo-random sequence (SplitMix64), the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `2026-03-02 14:37` from minutes since 2026-03-02 00:00 (local time).
fn local(minutes: u64) -> String {
    // 2026-03-02 is day 0; March has 31 days, April 30, May 31.
    let (mut day, rest) = (minutes / 1440, minutes % 1440);
    let mut month = 3;
    let mut dom = 2 + day;
    for len in [31, 30, 31, 30] {
        let first = if month == 3 { 2 } else { 1 };
        if dom <= len {
            break;
        }
        day -= len - first + 1;
        month += 1;
        dom = 1 + day;
    }
    format!("2026-{month:02}-{dom:02} {:02}:{:02}", rest / 60, rest % 60)
}

/// The export with `Created` (13 weeks from 2026-03-02, busier in the day
/// and on weekdays, in input order) and `Followed up` (10 minutes to 30
/// hours later for 85% of the leads, else empty).
fn with_times(src: &Path, dst: &Path) -> usize {
    let mut r = csv::Reader::from_path(src).unwrap();
    let mut w = csv::Writer::from_path(dst).unwrap();
    let mut header = r.headers().unwrap().clone();
    // The export ends every row with an empty column.
    header.push_field("Created");
    header.push_field("Followed up");
    w.write_record(&header).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let mut rng = Rng(13);
    let span = 91 * 1440;
    let mut arrivals: Vec<u64> = (0..rows.len())
        .map(|_| loop {
            let m = rng.below(span);
            let (hour, weekday) = ((m % 1440) / 60, (m / 1440) % 7);
            let keep = match (weekday, hour) {
                (5 | 6, _) => rng.below(4) == 0,
                (_, 8..=20) => true,
                _ => rng.below(3) == 0,
            };
            if keep {
                break m;
            }
        })
        .collect();
    arrivals.sort_unstable();
    for (row, at) in rows.iter().zip(&arrivals) {
        let mut rec = row.clone();
        rec.push_field(&local(*at));
        let followed = (rng.below(100) < 85).then(|| local(at + 10 + rng.below(30 * 60)));
        rec.push_field(followed.as_deref().unwrap_or(""));
        w.write_record(&rec).unwrap();
    }
    w.flush().unwrap();
    rows.len()
}

fn leadgate(args: &[&str]) -> String {
    let out = Command::cargo_bin("leadgate")
        .unwrap()
        .current_dir(root())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn replay_of_the_real_export_with_the_example_roster() {
    let dir = match std::env::var_os("LEADGATE_REPLAY_DIR") {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("leadgate-replay-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("x-education-with-times.csv");
    let n = with_times(&root().join("../shared/data/x-education-leads.csv"), &csv);
    assert_eq!(n, 9240);
    let html = dir.join("replay.html");
    let base = [
        "report",
        "rules-examples/education-admissions.lead",
        csv.to_str().unwrap(),
        "--roster",
        "rules-examples/education-admissions.roster.yaml",
        "--as-of-column",
        "Created",
        "--followed-up-at",
        "Followed up",
    ];
    let json = leadgate(
        &[
            &base[..],
            &["--format", "json", "--html", html.to_str().unwrap()],
        ]
        .concat(),
    );
    let text = leadgate(&base);
    std::fs::write(dir.join("replay.json"), &json).unwrap();
    std::fs::write(dir.join("replay.txt"), &text).unwrap();

    let j: serde_json::Value = serde_json::from_str(&json).unwrap();
    let a = &j["assignment"];
    let queues = a["queues"].as_array().unwrap();
    let people = a["people"].as_array().unwrap();
    let names: Vec<&str> = queues.iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "enrolment",
            "qualify",
            "redial",
            "referrals",
            "working-pros"
        ]
    );
    assert_eq!(people.len(), 7);
    let n = |v: &serde_json::Value| v.as_u64().unwrap();
    // Every lead routed to a staffed queue is assigned or unassigned with a
    // reason; the rest need no person; together, all scored leads.
    let mut routed = 0;
    for q in queues {
        let unassigned: u64 = q["unassigned"].as_object().unwrap().values().map(n).sum();
        assert_eq!(n(&q["leads"]), n(&q["assigned"]) + unassigned, "{q}");
        let per_day: u64 = q["per_day"].as_object().unwrap().values().map(n).sum();
        assert_eq!(per_day, n(&q["assigned"]));
        let s = &q["sla"];
        assert_eq!(n(&s["due"]), n(&q["assigned"]));
        assert_eq!(
            n(&s["met"]) + n(&s["late"]) + n(&s["open"]),
            n(&s["due"]),
            "{q}"
        );
        routed += n(&q["leads"]);
    }
    assert_eq!(routed + n(&a["no_person"]), n(&j["scored"]));
    assert!(routed > 1000, "{routed} leads to people");
    // People's leads add up to the queues'; nobody takes more than per_day.
    let by_people: u64 = people.iter().map(|p| n(&p["assigned"])).sum();
    let by_queues: u64 = queues.iter().map(|q| n(&q["assigned"])).sum();
    assert_eq!(by_people, by_queues);
    for p in people {
        if let Some(cap) = p["capacity"].as_u64() {
            assert!(n(&p["max_per_day"]) <= cap, "{p}");
        }
    }
    // Many leads arrive at night or on Sundays and wait for the next opening.
    assert!(queues.iter().map(|q| n(&q["waited"])).sum::<u64>() > 100);
    // Text and HTML show the same people.
    let page = std::fs::read_to_string(&html).unwrap();
    for p in people {
        let name = p["name"].as_str().unwrap();
        assert!(text.contains(name) && page.contains(name), "{name}");
    }
    assert!(text.contains("Assignment (roster):"));
    assert!(page.contains("Leads per person per day"));
    // Scoring with the roster gives one decision per lead, all assigned or
    // saying why not.
    let scored = leadgate(&[
        "score",
        "rules-examples/education-admissions.lead",
        csv.to_str().unwrap(),
        "--roster",
        "rules-examples/education-admissions.roster.yaml",
        "--as-of-column",
        "Created",
    ]);
    assert_eq!(scored.lines().count(), 9240);
    assert!(scored.lines().all(|l| l.contains("\"assignee\": ")));
}
