//! Properties of assignment (docs/rosters.md): weights hold in proportion
//! over many leads, removing a person moves only that person's leads, and
//! the same leads and roster give the same assignees at any thread count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use leadgate::{Agreement, Load, Roster, ScoreOptions, Staffing, Threads, Timestamp};
use proptest::prelude::*;

const AGREEMENT: &str = r#"agreement "Assign"
fields { ref : text id from "id"  size : number }
score fit { +20 "Big" when size >= 100 }
route { sales within 1h "Big lead" when fit >= 20
        nurture otherwise }
"#;

/// A roster whose one queue is open around the clock, so that everyone is
/// on duty: weights alone decide.
fn roster(members: &[(String, f64, Option<u32>)]) -> String {
    let mut y = String::from(
        "timezone: UTC\nqueues:\n  sales:\n    hours: Mon-Sun 00:00-24:00\n    members:\n",
    );
    for (name, w, cap) in members {
        y.push_str(&format!("      - {{ name: \"{name}\", weight: {w}"));
        if let Some(c) = cap {
            y.push_str(&format!(", per_day: {c}"));
        }
        y.push_str(" }\n");
    }
    y
}

fn staffing(members: &[(String, f64, Option<u32>)]) -> Staffing {
    let agreement = Agreement::compile(AGREEMENT).unwrap();
    Roster::parse(&roster(members))
        .unwrap()
        .staff(&agreement)
        .unwrap()
}

/// Assignees of leads `ids`, in order (`None`: unassigned).
fn assign(s: &Staffing, ids: &[String], threads: &Threads) -> Vec<Option<String>> {
    let opts = ScoreOptions::at(Timestamp::parse("2026-12-07T10:00:00Z").unwrap()).explain(false);
    let leads: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id": "{id}", "size": 500}}"#))
        .collect();
    let mut load = Load::new();
    s.decide_batch(
        &leads,
        0,
        |_| opts,
        threads,
        |l| s.agreement().bind_json(l, opts.bad_values()),
        &mut load,
    )
    .iter()
    .map(|d| d.assignee().map(String::from))
    .collect()
}

fn people(ws: &[f64]) -> Vec<(String, f64, Option<u32>)> {
    ws.iter()
        .enumerate()
        .map(|(i, w)| (format!("P{i}"), *w, None))
        .collect()
}

#[test]
fn weights_hold_in_proportion_over_100000_leads() {
    let weights = [1.0, 2.0, 3.0, 4.0, 0.5];
    let s = staffing(&people(&weights));
    let ids: Vec<String> = (0..100_000).map(|i| format!("L-{i}")).collect();
    let got = assign(&s, &ids, &Threads::new(None).unwrap());
    let mut counts: HashMap<String, u64> = HashMap::new();
    for a in got {
        *counts.entry(a.unwrap()).or_default() += 1;
    }
    let total: f64 = weights.iter().sum();
    for (i, w) in weights.iter().enumerate() {
        let share = counts[&format!("P{i}")] as f64 / 100_000.0;
        let want = w / total;
        eprintln!("P{i} weight {w}: {share:.4} of the leads, {want:.4} expected");
        // Within ±2% of the weight's share.
        assert!(
            (share - want).abs() <= 0.02 * want,
            "P{i} (weight {w}): {share:.4} of the leads, expected {want:.4} ± 2%"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Removing one of n people moves only the leads that person had; they
    /// spread over the others.
    #[test]
    fn removing_one_person_moves_only_their_leads(
        weights in prop::collection::vec(0.25f64..5.0, 2..8),
        gone in any::<prop::sample::Index>(),
        salt in any::<u32>(),
    ) {
        let all = people(&weights);
        let gone = gone.index(all.len());
        let mut fewer = all.clone();
        let removed = fewer.remove(gone).0;
        let ids: Vec<String> = (0..3000).map(|i| format!("{salt}-{i}")).collect();
        let one = Threads::calling();
        let before = assign(&staffing(&all), &ids, &one);
        let after = assign(&staffing(&fewer), &ids, &one);
        let mut moved = 0usize;
        for (b, a) in before.iter().zip(&after) {
            if b.as_deref() == Some(removed.as_str()) {
                moved += 1;
                prop_assert_ne!(a.as_deref(), Some(removed.as_str()));
            } else {
                prop_assert_eq!(b, a);
            }
        }
        // About 1/n of the leads (by weight) moved, and only those.
        let share = weights[gone] / weights.iter().sum::<f64>();
        let expected = share * ids.len() as f64;
        prop_assert!((moved as f64 - expected).abs() < 5.0 * expected.sqrt() + 5.0,
            "{moved} moved, about {expected:.0} expected");
    }

    /// The same leads and roster give the same assignees on 1, 2 or 8
    /// threads, capacity included (settled in input order).
    #[test]
    fn the_same_assignees_at_any_thread_count(
        weights in prop::collection::vec(0.25f64..5.0, 1..6),
        caps in prop::collection::vec(prop::option::of(1u32..400), 6),
        salt in any::<u32>(),
    ) {
        let mut members = people(&weights);
        for (m, c) in members.iter_mut().zip(&caps) {
            m.2 = *c;
        }
        let s = staffing(&members);
        let ids: Vec<String> = (0..2000).map(|i| format!("{salt}:{i}")).collect();
        let one = assign(&s, &ids, &Threads::calling());
        for n in [2, 8] {
            prop_assert_eq!(&one, &assign(&s, &ids, &Threads::new(Some(n)).unwrap()));
        }
        // Capacity holds: nobody takes more than their per_day.
        for (name, _, cap) in &members {
            let taken = one.iter().filter(|a| a.as_deref() == Some(name.as_str())).count();
            if let Some(c) = cap {
                prop_assert!(taken <= *c as usize);
            }
        }
    }
}
