//! The check of a compiled agreement: its warnings and its own `example`
//! blocks run, as data (what wasm's `check()` hands over) and as the text
//! `leadgate check` prints (the CLI prints it; wasm hands it over too).

use std::fmt::Write as _;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::{Agreement, ExampleResult, RenderedDiagnostic};

/// The check of an agreement ([`Agreement::check_report`]): the compile
/// warnings and each `example` block's outcome. (The analysis over every
/// possible lead is [`Analysis`](crate::Analysis).)
///
/// Serialises as `{ok, warnings: [diagnostic + rendered], examples: [{name,
/// line, passed, failures: [message]}]}`.
///
/// ```
/// let text = r#"agreement "Demo"
/// fields { country: text }
/// score fit {
///   +10 "German" when country == "DE"
/// }
/// route {
///   sales queue "de" "Fits" when fit >= 10
///   nurture "Everyone else" otherwise
/// }
/// example "German" {
///   lead { country: "DE" }
///   expect route sales
/// }
/// "#;
/// let agreement = leadgate::Agreement::compile(text).unwrap();
/// let report = agreement.check_report("demo.lead");
/// assert!(report.ok());
/// assert_eq!(
///     report.to_text(),
///     "ok      example \"German\" (line 10)\n\
///      demo.lead: 1 fields, 1 score rules, 0 grades, 2 route rules; examples: 1 passed, 0 failed\n"
/// );
/// ```
#[derive(Debug)]
pub struct CheckReport<'a> {
    /// The compile warnings, each with its source line and a caret.
    pub warnings: Vec<RenderedDiagnostic<'a>>,
    /// Each `example` block's outcome, in file order.
    pub examples: Vec<ExampleResult>,
    agreement: &'a Agreement,
    file_name: String,
}

impl Agreement {
    /// Checks the agreement: runs its `example` blocks and gathers its
    /// warnings, rendered for a file named `file_name` (the name the text
    /// shows).
    pub fn check_report(&self, file_name: &str) -> CheckReport<'_> {
        CheckReport {
            warnings: (self.warnings().iter())
                .map(|d| d.rendered(self.source(), file_name))
                .collect(),
            examples: self.run_examples(),
            agreement: self,
            file_name: file_name.to_string(),
        }
    }
}

impl CheckReport<'_> {
    /// Whether every example passed (warnings do not fail a check).
    pub fn ok(&self) -> bool {
        self.examples.iter().all(ExampleResult::passed)
    }

    /// One line per example, `ok` or `FAILED` with a line per failed
    /// expectation (`FILE:LINE:COLUMN: message`): what `leadgate check`
    /// prints before its summary.
    pub fn examples_text(&self) -> String {
        let (mut out, file) = (String::new(), &self.file_name);
        for r in &self.examples {
            if r.passed() {
                let _ = writeln!(out, "ok      example \"{}\" (line {})", r.name, r.line);
            } else {
                let _ = writeln!(out, "FAILED  example \"{}\" ({file}:{})", r.name, r.line);
                for f in &r.failures {
                    let _ = writeln!(out, "          {file}:{}:{}: {f}", f.line, f.column);
                }
            }
        }
        out
    }

    /// `FILE: N fields, N score rules, N grades, N route rules; examples: N
    /// passed, N failed` (no newline).
    pub fn summary(&self) -> String {
        let failed = self.examples.iter().filter(|r| !r.passed()).count();
        let a = self.agreement;
        format!(
            "{}: {} fields, {} score rules, {} grades, {} route rules; examples: {} passed, {failed} failed",
            self.file_name,
            a.fields().len(),
            a.rules().len(),
            a.grades().len(),
            a.routes().len(),
            self.examples.len() - failed,
        )
    }

    /// [`examples_text`](Self::examples_text) and the
    /// [`summary`](Self::summary) line: what `leadgate check` prints (its
    /// warnings and analysis notes, on stderr, aside).
    pub fn to_text(&self) -> String {
        self.examples_text() + &self.summary() + "\n"
    }
}

/// An example as the check's data gives it.
#[derive(Serialize)]
struct ExampleOutcome<'a> {
    name: &'a str,
    line: usize,
    passed: bool,
    failures: Vec<&'a str>,
}

impl Serialize for CheckReport<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let examples: Vec<_> = (self.examples.iter())
            .map(|r| ExampleOutcome {
                name: &r.name,
                line: r.line,
                passed: r.passed(),
                failures: r.failures.iter().map(|f| f.message.as_str()).collect(),
            })
            .collect();
        let mut s = serializer.serialize_struct("CheckReport", 3)?;
        s.serialize_field("ok", &self.ok())?;
        s.serialize_field("warnings", &self.warnings)?;
        s.serialize_field("examples", &examples)?;
        s.end()
    }
}
