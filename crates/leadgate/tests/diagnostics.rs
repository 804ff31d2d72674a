//! Snapshot tests of diagnostics for broken agreements (tests/broken/*.lead):
//! every error at once, with code, line, column, source line and caret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use leadgate::{Agreement, Severity};

#[test]
fn broken_agreements_report_every_error_with_position() {
    let dir = common::repo_root().join("tests/broken");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_none_or(|x| x != "lead") {
            continue;
        }
        n += 1;
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let err = match Agreement::compile(&src) {
            Ok(_) => panic!("{name} compiled, but it is broken"),
            Err(e) => e,
        };
        assert!(err.error_count() > 0);
        for d in err.diagnostics() {
            assert!(d
                .code
                .as_str()
                .starts_with(if d.severity == Severity::Error {
                    'E'
                } else {
                    'W'
                }));
            assert!(d.line >= 1 && d.column >= 1);
            assert_eq!(d.message, d.message.trim());
            assert!(
                !d.message.starts_with(char::is_uppercase),
                "messages are lower-case: {}",
                d.message
            );
        }
        common::golden(
            &path.with_extension("expected"),
            &err.clone().with_file_name(&name).render(),
        );
    }
    assert!(n >= 5);
}

#[test]
fn warnings_do_not_fail_compilation() {
    let src = r#"agreement "W"
      fields { a : number  unused : text }
      list never = ["x"]
      score s {
        +1 "Never" when 1 > 2
        +1 "One" when a > 1
      }
      route {
        sales "Always" when 1 == 1
        telemarketing "Shadowed" when a > 3
        nurture otherwise
      }"#;
    let a = Agreement::compile(src).unwrap();
    let codes: Vec<&str> = a.warnings().iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        vec!["W0001", "W0002", "W0003", "W0004", "W0004"],
        "{:?}",
        a.warnings()
    );
}

#[test]
fn did_you_mean_suggestions() {
    let src = std::fs::read_to_string(common::repo_root().join("tests/broken/unknown-names.lead"))
        .unwrap();
    let err = Agreement::compile(&src).err().unwrap();
    let helps: Vec<String> = err
        .diagnostics()
        .iter()
        .filter_map(|d| d.help.clone())
        .collect();
    for want in [
        "did you mean `title`?",
        "did you mean `targets`?",
        "did you mean `company_size`?",
        "did you mean `fit`?",
    ] {
        assert!(helps.iter().any(|h| h == want), "missing {want}: {helps:?}");
    }
}

#[test]
fn look_alike_names_are_warnings_that_do_not_fail_compilation() {
    let src = r#"agreement "Scripts"
      fields { s : text from "Sоurce"  t : text from "Source" }
      score fit {
        +1 "Paid leаd" when s == "x"
        +1 "Paid lead" when t == "x"
        +1 "Вебинар (webinar)" when s == "y"
        +1 "東京オフィス" when s == "z"
        +1 "Café crème" when s == "w"
      }
      route {
        sales queue "ΑΒ" "A" when fit >= 2
        sales queue "AB" "B" when fit >= 1
        nurture otherwise
      }"#;
    let a = Agreement::compile(src).unwrap();
    let found: Vec<(&str, usize)> = a
        .warnings()
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("W0005", 2),  // the key "Sоurce" (Cyrillic о)
            ("W0006", 2),  // … which looks like "Source"
            ("W0005", 4),  // "Paid leаd"
            ("W0006", 5),  // "Paid lead" looks like it
            ("W0006", 12)  // the queue "AB" looks like the Greek "ΑΒ"
        ],
        "{:?}",
        a.warnings()
    );
}

#[test]
fn bundled_agreements_have_no_look_alike_names() {
    for dir in ["rules-examples", "tests/agreements"] {
        for e in std::fs::read_dir(common::repo_root().join(dir)).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_some_and(|x| x == "lead") {
                let a = Agreement::compile(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let codes: Vec<&str> = a.warnings().iter().map(|d| d.code.as_str()).collect();
                assert!(
                    !codes.iter().any(|c| *c == "W0005" || *c == "W0006"),
                    "{}: {codes:?}",
                    path.display()
                );
            }
        }
    }
}

/// A `CompileError` is a miette diagnostic whose related diagnostics carry
/// the source and a label each: `fn main() -> miette::Result<()>` shows them
/// all, not "the agreement has 1 error(s)".
#[test]
fn compile_errors_render_through_miette_with_every_diagnostic() {
    let src = std::fs::read_to_string(common::repo_root().join("tests/broken/unknown-names.lead"))
        .unwrap();
    let err = Agreement::compile(&src)
        .unwrap_err()
        .with_file_name("unknown-names.lead");
    assert!(err.diagnostics().len() >= 3);
    let report = miette::Report::new(err.clone());
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, report.as_ref())
        .unwrap();
    for d in err.diagnostics() {
        assert!(out.contains(d.code.as_str()), "{} missing:\n{out}", d.code);
        assert!(out.contains(&d.message), "{} missing:\n{out}", d.message);
        if let Some(help) = &d.help {
            assert!(out.contains(help.as_str()), "{help} missing:\n{out}");
        }
    }
    assert!(out.contains("unknown-names.lead"), "{out}");
    // Display lists every diagnostic with its line and column.
    let display = err.to_string();
    assert!(
        display.starts_with("unknown-names.lead does not compile:"),
        "{display}"
    );
    for d in err.diagnostics() {
        assert!(
            display.contains(&format!("(line {}, column {})", d.line, d.column)),
            "{display}"
        );
    }
}

#[test]
fn the_text_every_front_shows_is_the_rendering_then_the_summary() {
    let text = "agreement \"a\"\nfields { n : number }\nscore s { +1 \"r\" when m > 1 }\nroute { sales \"r\" when s >= \"x\"\n nurture otherwise }\n";
    let err = leadgate::Agreement::compile(text)
        .unwrap_err()
        .with_file_name("a.lead");
    let full = err.to_text();
    assert_eq!(
        full,
        format!("{}error: a.lead does not compile: 3 errors\n", err.render())
    );
    // Each diagnostic with its rendering, flattened: what Python and JS hand over.
    let rendered = err.rendered_diagnostics();
    assert_eq!(rendered.len(), 3);
    let v = serde_json::to_value(&rendered[0]).unwrap();
    assert_eq!(v["code"], "E0007");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(3), Some(23))
    );
    assert_eq!(v["rendered"], rendered[0].diagnostic.render(text, "a.lead"));
    assert!(full.contains(v["rendered"].as_str().unwrap()));
}
