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
