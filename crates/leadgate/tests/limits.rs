//! Hostile agreement text gives diagnostics, never a stack overflow or panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadgate::Agreement;

fn codes(src: &str) -> Vec<&'static str> {
    match Agreement::compile(src) {
        Ok(_) => vec![],
        Err(e) => e.diagnostics().iter().map(|d| d.code.as_str()).collect(),
    }
}

fn wrap(cond: &str) -> String {
    format!("agreement \"L\" fields {{ x : number }} score s {{ +1 \"r\" when {cond} }} route {{ nurture otherwise }}")
}

#[test]
fn fifty_thousand_nested_parentheses() {
    let cond = format!("{}x > 1{}", "(".repeat(50_000), ")".repeat(50_000));
    assert_eq!(codes(&wrap(&cond)), vec!["E0017"]);
}

#[test]
fn long_prefix_runs_and_operator_chains() {
    assert_eq!(
        codes(&wrap(&format!("{}x > 1", "not ".repeat(50_000)))),
        vec!["E0017"]
    );
    assert_eq!(
        codes(&wrap(&format!("{}x > 1", "- ".repeat(50_000)))),
        vec!["E0017"]
    );
    let chain = vec!["x"; 20_000].join(" + ");
    assert_eq!(codes(&wrap(&format!("{chain} > 1"))), vec!["E0017"]);
    let ors = vec!["x > 1"; 20_000].join(" or ");
    assert_eq!(codes(&wrap(&ors)), vec!["E0017"]);
    // Moderate nesting is fine.
    let ok = format!("{}x > 1{}", "(".repeat(40), ")".repeat(40));
    assert!(codes(&wrap(&ok)).is_empty());
}

#[test]
fn oversized_agreement_and_string_literal() {
    let big = wrap(&format!(
        "x > 1 or \"{}\" == \"a\"",
        "a".repeat(10 * 1024 * 1024)
    ));
    assert_eq!(codes(&big), vec!["E0017"]);
}

#[test]
fn random_bytes_give_diagnostics() {
    // A fixed pseudo-random sequence (xorshift) of 5 KB, as text and as arbitrary bytes.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for round in 0..50 {
        let bytes: Vec<u8> = (0..5 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                if round % 2 == 0 {
                    (state % 95) as u8 + 32
                } else {
                    state as u8
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let c = codes(&text);
        assert!(!c.is_empty());
        let prefixed = format!("agreement \"x\" fields {{ {text}");
        assert!(!codes(&prefixed).is_empty());
    }
}

#[test]
fn many_rules_compile() {
    let mut src = String::from("agreement \"Big\" fields { x : number }\nscore s {\n");
    for i in 0..1000 {
        src.push_str(&format!("  +1 \"rule {i}\" when x > {i}\n"));
    }
    src.push_str("}\nroute { nurture otherwise }\n");
    let a = Agreement::compile(&src).unwrap();
    assert_eq!(a.rules().len(), 1000);
}

/// `n` rules `+1 "rxN" when s matches /\w{20}N/`: each regex takes about
/// 1.1 MB compiled (Unicode `\w`), so 3,000 of them took 4 GB and 18 s.
fn word_regexes(n: usize) -> String {
    let mut src = String::from("agreement \"Rx\"\nfields { s : text }\nscore x {\n");
    for i in 0..n {
        src.push_str(&format!("  +1 \"rx{i}\" when s matches /\\w{{20}}{i}/\n"));
    }
    src.push_str("}\nroute { nurture otherwise }\n");
    src
}

#[test]
fn regexes_share_one_size_budget() {
    let src = word_regexes(3000);
    let started = std::time::Instant::now();
    let err = Agreement::compile(&src).expect_err("over the regex budget");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    // One error, on the regex that crosses the budget; the later ones are
    // not compiled.
    assert_eq!(err.diagnostics().len(), 1, "{:?}", err.diagnostics());
    let d = &err.diagnostics()[0];
    assert_eq!(d.code, "E0017");
    assert_eq!(
        d.message,
        "the agreement's regexes are too large: together they take more than the limit of 32 MiB"
    );
    let line = src.lines().nth(d.line - 1).unwrap_or("");
    assert_eq!(
        d.column,
        line.find('/').unwrap() + 2,
        "on the pattern: {line}"
    );
    let crossing: usize = line
        .trim_start_matches("  +1 \"rx")
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Each regex takes about 1.1 MB: the budget is crossed after ~29.
    assert!((20..40).contains(&crossing), "{line}");
    // The ones before compile.
    let a = Agreement::compile(&word_regexes(crossing)).unwrap();
    assert!(a.regex_bytes() <= leadgate::limits::MAX_REGEX_TOTAL_BYTES);
}

/// Every bundled agreement, and the generated 1,000-rule one of the
/// benchmarks (40 regexes like `/^v(alue)? ?3\d*$/i`), stays far below.
#[test]
fn bundled_agreements_stay_far_below_the_regex_budget() {
    let budget = leadgate::limits::MAX_REGEX_TOTAL_BYTES;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut sources = Vec::new();
    for dir in ["rules-examples", "tests/agreements"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "lead") {
                sources.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    let mut generated = String::from("agreement \"G\"\nfields {\n");
    for t in 0..4 {
        generated.push_str(&format!("  t{t} : text\n"));
    }
    generated.push_str("}\nscore s {\n");
    for i in 0..40 {
        generated.push_str(&format!(
            "  +1 \"r{i}\" when t{} matches /^v(alue)? ?{}\\d*$/i\n",
            i % 4,
            i % 10
        ));
    }
    generated.push_str("}\nroute { nurture otherwise }\n");
    sources.push(("generated".into(), generated));
    assert!(sources.len() >= 5);
    for (name, src) in sources {
        let a = Agreement::compile(&src).unwrap_or_else(|e| panic!("{name}: {e}"));
        let used = a.regex_bytes();
        eprintln!("{name}: {used} bytes of compiled regexes");
        assert!(used * 10 < budget, "{name}: {used} bytes of regexes");
    }
}

/// `max_decision_bytes` bounds every decision's JSON (apart from the id):
/// with every rule unknown, every route undecided, every value bad in
/// lenient mode, every rule fired, a rejected lead.
#[test]
fn max_decision_bytes_bounds_every_decision() {
    let mut src = String::from(
        "agreement \"B\"\nfields {\n  key : text id from \"id\"\n  a : number\n  b : text\n  c : list\n  d : date\n  e : bool\n}\n",
    );
    src.push_str("score s {\n");
    for i in 0..200 {
        src.push_str(&format!(
            "  +(a * 1.5) up to 1000000 \"rule {i} \\u{{1}} \\\"q\\\"\" when b contains \"{i}\" or c contains \"x\" or days_since(d) > {i} or e\n"
        ));
    }
    src.push_str("  halve every 30d since d\n}\nscore t { -1 \"neg\" when a > 0 }\n");
    src.push_str("grade g { hot when s > 10 warm when s > 5 cold otherwise }\n");
    src.push_str("route {\n  sales queue \"Q\" within 1h \"big\" when s > 100 and a > 1 and b == \"x\"\n  telemarketing \"mid\" when t < 0 or e\n  nurture otherwise\n}\n");
    let a = Agreement::compile(&src).unwrap_or_else(|e| panic!("{}", e.render()));
    let long = "\u{1}\\\"".repeat(100);
    let leads = [
        "{}".to_string(),
        r#"{"id": "x"}"#.into(),
        r#"{"id": "all", "a": 1e300, "b": "0 1 2 3 4 5 6 7 8 9", "c": ["x"], "d": "2026-01-01", "e": true}"#.into(),
        format!(r#"{{"id": "bad", "a": "{long}", "b": 5, "c": "{long}", "d": "{long}", "e": "{long}"}}"#),
        "[1, 2]".into(),
        "{\"a\": ".into(),
    ];
    let max = a.max_decision_bytes();
    for lenient in [false, true] {
        let opts = leadgate::ScoreOptions::at(leadgate::Timestamp::parse("2026-11-23").unwrap())
            .on_bad_value(if lenient {
                leadgate::OnBadValue::Missing
            } else {
                leadgate::OnBadValue::Error
            });
        for lead in &leads {
            let d = a.score_json(lead, &opts);
            let json = d.to_json();
            let id = d.id().map_or(0, |i| 6 * i.len());
            assert!(json.len() <= max + id, "{} > {max}: {json}", json.len());
        }
    }
    // The all-missing lead lists every rule: the bound is not loose by
    // more than a few times.
    let d = a.score_json(r#"{"id": "x"}"#, &leadgate::ScoreOptions::now());
    let json = d.to_json();
    assert!(json.len() * 3 > max, "{} and {max}: {json}", json.len());
}
