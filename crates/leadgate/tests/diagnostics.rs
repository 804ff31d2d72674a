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
