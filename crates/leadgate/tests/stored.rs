//! Compiled agreements as bytes (`Agreement::to_compiled`, the `.lgc`
//! files of `leadgate compile`): every bundled agreement loads back with
//! the same examples, warnings, description and bytes. The conformance
//! corpus is scored through them too (`tests/conformance.rs`).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};

use leadgate::Agreement;

fn agreements() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["rules-examples", "tests/agreements", "benches/compare"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "lead") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_bundled_agreement_loads_back_the_same() {
    let files = agreements();
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let a = Agreement::compile(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let bytes = a.to_compiled();
        assert!(
            bytes == Agreement::compile(&text).unwrap().to_compiled(),
            "{}: the same bytes each time",
            file.display()
        );
        let b =
            Agreement::from_compiled(&bytes).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let json = |v: &dyn Erased| v.json();
        assert_eq!(json(&b.info()), json(&a.info()), "{}", file.display());
        assert_eq!(b.warnings(), a.warnings(), "{}", file.display());
        // Loaded without the regex compiler (feature runtime-regex), a
        // regex is its NFA alone: less memory than the compiled engine.
        match cfg!(feature = "runtime-regex") {
            false => assert_eq!(
                b.regex_bytes(),
                a.regex_bytes(),
                "{}: counted again",
                file.display()
            ),
            true => assert!(
                b.regex_bytes() <= a.regex_bytes(),
                "{}: counted again",
                file.display()
            ),
        }
        assert_eq!(b.render_warnings("x.lead"), a.render_warnings("x.lead"));
        let (ra, rb) = (a.run_examples(), b.run_examples());
        assert_eq!(
            serde_json::to_string(&rb).unwrap(),
            serde_json::to_string(&ra).unwrap(),
            "{}",
            file.display()
        );
        assert!(ra.iter().all(|r| r.passed()), "{}", file.display());
        assert!(
            b.to_compiled() == bytes,
            "{}: written again, the same bytes",
            file.display()
        );
    }
}

/// A value's JSON, for comparing.
trait Erased {
    fn json(&self) -> String;
}

impl<T: serde::Serialize> Erased for T {
    fn json(&self) -> String {
        serde_json::to_string(self).unwrap()
    }
}

/// The compiled form of one agreement, byte for byte: a change of the
/// program's layout (a field added to the model, an enum variant moved)
/// changes these bytes, and files written before would be read wrongly by a
/// build of the same format version. When this fails on purpose: bump
/// `FORMAT_VERSION` (crates/leadgate/src/stored.rs), then write the file
/// again with `LEADGATE_BLESS=1 cargo test -p leadgate --test stored`.
#[test]
fn the_compiled_form_is_pinned_by_its_format_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("rules-examples/events-webinars.lead")).unwrap();
    let bytes = Agreement::compile(&text).unwrap().to_compiled();
    let golden = root.join(format!(
        "tests/golden/compiled/events-webinars.v{}.lgc",
        leadgate::FORMAT_VERSION
    ));
    if std::env::var_os("LEADGATE_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::write(&golden, &bytes).unwrap();
    }
    let pinned = std::fs::read(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
    assert!(
        bytes == pinned,
        "the compiled form of events-webinars.lead is not {} ({} bytes, pinned {}): if the layout changed, bump FORMAT_VERSION; if the agreement changed, bless again",
        golden.display(),
        bytes.len(),
        pinned.len()
    );
    // And the pinned file loads, deciding as the text.
    let loaded = Agreement::from_compiled(&pinned).unwrap();
    assert_eq!(loaded.source(), text);
    // The files of earlier versions are refused, as "version".
    for version in 1..leadgate::FORMAT_VERSION {
        let old = golden.with_file_name(format!("events-webinars.v{version}.lgc"));
        let bytes = std::fs::read(&old).unwrap_or_else(|e| panic!("{}: {e}", old.display()));
        let e = Agreement::from_compiled(&bytes).unwrap_err();
        assert_eq!(e.kind(), "version", "{}: {e}", old.display());
    }
}
