//! Hostile input through the `leadgate` command line: every input gives a
//! clear error or a defined result — never a panic, a hang or a lost row
//! (records in == decisions out). Fixtures are generated into a temporary
//! directory; the multi-gigabyte variants run from `tests/hostile/run-large`
//! (see docs/reliability.md), not here, so that this suite stays fast.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

/// Sizes used here; `tests/hostile/run-large` uses the full ones.
const NESTED_PARENS: usize = 50_000;
const STRING_LITERAL_BYTES: usize = 10 * 1024 * 1024;
const MANY_RULES: usize = 5_000;
const LONG_LINE_BYTES: usize = 17 * 1024 * 1024;
const DEEP_JSON: usize = 100_000;

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn lines(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|l| match serde_json::from_str(l) {
                Ok(v) => v,
                Err(e) => panic!("output line is not JSON ({e}): {l}"),
            })
            .collect()
    }
}

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("leadgate-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {e}", dir.display());
        }
        Scratch(dir)
    }
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.0.join(name);
        if let Err(e) = std::fs::write(&p, bytes) {
            panic!("cannot write {}: {e}", p.display());
        }
        p.to_string_lossy().into_owned()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `leadgate` and checks the things that hold for every input: it
/// ends in time, with a documented exit code, and without a panic.
fn leadgate(args: &[&str], stdin: Option<&[u8]>) -> Out {
    let mut cmd = match Command::cargo_bin("leadgate") {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    cmd.args(args).timeout(Duration::from_secs(60));
    if let Some(input) = stdin {
        cmd.write_stdin(input.to_vec());
    }
    let started = Instant::now();
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => panic!("leadgate {args:?}: {e}"),
    };
    let out = Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        matches!(out.code, Some(0..=3)),
        "leadgate {args:?}: exit {:?} after {:?}\n{}",
        out.code,
        started.elapsed(),
        out.stderr
    );
    assert!(
        !out.stderr.contains("panicked"),
        "leadgate {args:?} panicked:\n{}",
        out.stderr
    );
    out
}

const AGREEMENT: &str = r#"agreement "Hostile"
fields {
  lead_id : text id
  email   : text required
  size    : number from "Company Size"
  tags    : list
  seen    : date
}
score s {
  +10 "Big"    when size > 100
  +1  "Tagged" when tags contains "x" or seen within 30d
}
route {
  sales "Big lead" when s >= 10
  nurture otherwise
}
"#;

fn score(dir: &Scratch, input: &str, extra: &[&str]) -> Out {
    let a = dir.file("a.lead", AGREEMENT);
    // These inputs test reading, not the header check: a header without
    // some declared fields is scored with those fields missing.
    let mut args = vec![
        "score",
        a.as_str(),
        input,
        "--as-of",
        "2026-11-23",
        "--allow-missing-columns",
    ];
    args.extend_from_slice(extra);
    leadgate(&args, None)
}

fn check_agreement(dir: &Scratch, text: &[u8]) -> Out {
    let a = dir.file("x.lead", text);
    leadgate(&["check", a.as_str()], None)
}

/// `what` failed (exit 1) with E0017 and `message` on stderr.
fn assert_limit_error(out: &Out, message: &str, what: &str) {
    assert_eq!(out.code, Some(1), "{what}: {}", out.stderr);
    assert!(
        out.stderr.contains("E0017") && out.stderr.contains(message),
        "{what}: {}",
        out.stderr
    );
}

/// `what` ended within `secs` seconds of `started`.
fn assert_quick(started: Instant, secs: u64, what: &str) {
    let took = started.elapsed();
    assert!(took < Duration::from_secs(secs), "{what}: took {took:?}");
}

fn error_of(v: &serde_json::Value) -> Option<(&str, &str)> {
    let e = v.get("error")?;
    Some((
        e.get("field")
            .and_then(|f| f.as_str())
            .unwrap_or("<record>"),
        e.get("message").and_then(|m| m.as_str()).unwrap_or(""),
    ))
}

/// Runs `leadgate score AGREEMENT - --input-format FORMAT` with stdin from
/// the file `input`, counting stdout lines without keeping them, and polls
/// the peak memory of the process (VmHWM in /proc, Linux): (exit code,
/// stdout lines, peak RSS in MiB, or 0 where /proc is not there).
fn score_measured(agreement: &str, format: &str, input: &str) -> (Option<i32>, usize, u64) {
    use std::io::Read;
    let args = [
        "score",
        agreement,
        "-",
        "--input-format",
        format,
        "--as-of",
        "2026-11-23",
        "--allow-missing-columns",
    ];
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_leadgate"))
        .args(args)
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let lines = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut n = 0;
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => return n,
                Ok(k) => n += buf[..k].iter().filter(|&&b| b == b'\n').count(),
            }
        }
    });
    let status = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak_kib = 0u64;
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "leadgate {args:?} hangs"
        );
        let hwm = std::fs::read_to_string(&status).ok().and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak_kib = peak_kib.max(hwm.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    };
    eprintln!(
        "leadgate {args:?}: {:?}, peak {} MiB",
        started.elapsed(),
        peak_kib / 1024
    );
    (code, lines.join().unwrap(), peak_kib / 1024)
}

// ------------------------------------------------------------------ agreements

/// An agreement with one field `x` and one score rule `name` when `condition`.
fn one_rule(name: &str, condition: &str) -> String {
    format!(
        "agreement \"N\"\nfields {{ x : number }}\nscore s {{ +1 \"{name}\" when {condition} }}\nroute {{ nurture otherwise }}\n"
    )
}

/// `check` rejects each agreement (exit 1) with a message containing `needle`.
fn assert_rejected(name: &str, agreements: &[(&str, String)], needle: &str) {
    let dir = Scratch::new(name);
    for (what, text) in agreements {
        let out = check_agreement(&dir, text.as_bytes());
        assert_eq!(out.code, Some(1), "{what}: {}", out.stderr);
        assert!(out.stderr.contains(needle), "{what}: {}", out.stderr);
    }
}

#[test]
fn fifty_thousand_nested_parentheses_are_a_limit_error() {
    let parens = format!(
        "{}x > 1{}",
        "(".repeat(NESTED_PARENS),
        ")".repeat(NESTED_PARENS)
    );
    let lists = format!("x in {}1{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_rejected(
        "parens",
        &[
            ("parentheses", one_rule("r", &parens)),
            ("lists", one_rule("r", &lists)),
            ("unclosed", one_rule("r", &"(".repeat(100_000))),
        ],
        "brackets nest too deeply",
    );
}

#[test]
fn long_runs_of_prefix_operators_are_a_limit_error() {
    let nots = format!("{}x > 1", "not ".repeat(100_000));
    let minuses = format!("x > {}x", "- ".repeat(100_000));
    assert_rejected(
        "runs",
        &[
            ("not", one_rule("r", &nots)),
            ("minus", one_rule("r", &minuses)),
        ],
        "too many operators in a row",
    );
}

#[test]
fn long_operator_chains_are_a_clear_error() {
    let sum = format!("x > {}", vec!["x"; 5_000].join(" + "));
    let or = vec!["x > 1"; 5_000].join(" or ");
    assert_rejected(
        "chains",
        &[("sum", one_rule("r", &sum)), ("or", one_rule("r", &or))],
        "the expression nests too deeply",
    );
}

#[test]
fn a_ten_megabyte_string_literal_is_a_size_error() {
    let literal = "a".repeat(STRING_LITERAL_BYTES);
    assert_rejected(
        "string",
        &[
            ("rule name", one_rule(&literal, "x > 1")),
            ("unterminated", format!("agreement \"{literal}")),
        ],
        "the agreement is too large",
    );
}

#[test]
fn many_rules_compile_and_score() {
    let dir = Scratch::new("rules");
    let rules: String = (0..MANY_RULES)
        .map(|i| format!("  +1 \"r{i}\" when x > {i}\n"))
        .collect();
    let text = format!(
        "agreement \"R\"\nfields {{ x : number }}\nscore s {{\n{rules}}}\nroute {{ sales \"All\" when s >= {MANY_RULES}\n nurture otherwise }}\n"
    );
    let a = dir.file("r.lead", &text);
    let out = leadgate(&["check", a.as_str()], None);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let leads = dir.file(
        "l.jsonl",
        format!("{{\"x\": {MANY_RULES}}}\n{{\"x\": 1}}\n{{}}\n"),
    );
    let out = leadgate(
        &["score", a.as_str(), leads.as_str(), "--as-of", "2026-11-23"],
        None,
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines = out.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["scores"]["s"], MANY_RULES);
    assert_eq!(lines[0]["route"], "sales");
    assert_eq!(
        lines[2]["unknown"].as_array().map(Vec::len),
        Some(MANY_RULES)
    );
}

#[test]
fn agreements_that_are_not_text_are_a_clear_error() {
    let dir = Scratch::new("notext");
    let out = check_agreement(&dir, b"agreement \"\xff\xfe\"\n");
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("not valid UTF-8"), "{}", out.stderr);
    for text in [
        &b""[..],
        b"\0\0\0",
        b"\xef\xbb\xbf",
        b"agreement \"x\0\" fields { }",
    ] {
        let out = check_agreement(&dir, text);
        assert_eq!(out.code, Some(1), "{text:?}: {}", out.stderr);
        assert!(out.stderr.contains("error"), "{text:?}: {}", out.stderr);
    }
}

/// An agreement file is read only to its size limit (4 MiB) and one byte:
/// a 64 MiB comment, or `/dev/zero`, is E0017 at once, and the diagnostic
/// shows a window of the offending line, not the line.
#[test]
fn a_huge_agreement_file_is_read_only_to_the_limit() {
    let dir = Scratch::new("hugeagreement");
    let mut text = b"# ".to_vec();
    text.resize(64 << 20, b'#');
    let big = dir.file("big.lead", &text);
    let mut files = vec![big];
    if Path::new("/dev/zero").exists() {
        files.push("/dev/zero".into());
    }
    for path in &files {
        for cmd in ["check", "fmt"] {
            let started = Instant::now();
            let out = leadgate(&[cmd, path.as_str()], None);
            assert_limit_error(
                &out,
                "the agreement is too large: more than the limit of 4194304 bytes",
                &format!("{cmd} {path}"),
            );
            assert!(
                out.stderr.len() < 2000,
                "{cmd} {path}: {} bytes on stderr",
                out.stderr.len()
            );
            assert_quick(started, 30, &format!("{cmd} {path}"));
        }
    }
}

/// A diagnostic on a long line (under the size limit) shows the part of the
/// line around the span, with the right line and column.
#[test]
fn a_diagnostic_on_a_long_line_shows_a_window_around_the_span() {
    let dir = Scratch::new("longline-diag");
    let name = "é".repeat(1_500_000);
    let out = check_agreement(&dir, one_rule(&name, "x > 1 and nope > 2").as_bytes());
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(
        out.stderr.len() < 2000,
        "{} bytes on stderr",
        out.stderr.len()
    );
    assert!(out.stderr.contains("unknown name `nope`"), "{}", out.stderr);
    let column = "score s { +1 \"".chars().count() + 1_500_000 + "\" when x > 1 and ".len() + 1;
    assert!(
        out.stderr.contains(&format!("x.lead:3:{column}\n")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("and nope > 2"), "{}", out.stderr);
}

/// 3,000 rules `when s matches /\w{20}N/` (124 KB) took 4 GB and 18 s or
/// more to check: an agreement's regexes share a 32 MiB budget.
#[test]
fn thousands_of_large_regexes_are_a_limit_error() {
    let dir = Scratch::new("regexes");
    let rules: String = (0..3000)
        .map(|i| format!("  +1 \"rx{i}\" when s matches /\\w{{20}}{i}/\n"))
        .collect();
    let text = format!(
        "agreement \"R\"\nfields {{ s : text }}\nscore x {{\n{rules}}}\nroute {{ nurture otherwise }}\n"
    );
    let started = Instant::now();
    let out = check_agreement(&dir, text.as_bytes());
    assert_limit_error(
        &out,
        "the agreement's regexes are too large: together they take more than the limit of 32 MiB",
        "check",
    );
    assert_eq!(out.stderr.matches("E0017").count(), 1, "{}", out.stderr);
    assert_quick(started, 50, "check");
}

// ------------------------------------------------------------------ JSON Lines

#[test]
fn hostile_json_lines_each_keep_their_place() {
    let dir = Scratch::new("jsonl");
    let deep = format!(
        "{{\"lead_id\": \"deep\", \"email\": \"a@b.io\", \"tags\": {}\"x\"{}}}",
        "[".repeat(DEEP_JSON),
        "]".repeat(DEEP_JSON)
    );
    let deep_ignored = format!(
        "{{\"lead_id\": \"deep-ignored\", \"email\": \"a@b.io\", \"other\": {}1{}}}",
        "{\"a\":".repeat(DEEP_JSON),
        "}".repeat(DEEP_JSON)
    );
    let records: Vec<Vec<u8>> = vec![
        b"\xef\xbb\xbf{\"lead_id\": \"bom\", \"email\": \"a@b.io\", \"Company Size\": 500}\r".to_vec(),
        b"{\"lead_id\": \"bad-utf8\xff\", \"email\": \"a@b.io\"}".to_vec(),
        b"{\"lead_id\": \"nan\", \"email\": \"a@b.io\", \"Company Size\": NaN}".to_vec(),
        b"{\"lead_id\": \"inf\", \"email\": \"a@b.io\", \"Company Size\": -Infinity}".to_vec(),
        b"{\"lead_id\": \"1e400\", \"email\": \"a@b.io\", \"Company Size\": 1e400}".to_vec(),
        b"{\"lead_id\": \"1e400 text\", \"email\": \"a@b.io\", \"Company Size\": \"1e400\"}".to_vec(),
        b"{\"lead_id\": \"tiny\", \"email\": \"a@b.io\", \"Company Size\": 1e-400}".to_vec(),
        b"{\"lead_id\": \"huge int\", \"email\": \"a@b.io\", \"Company Size\": 123456789012345678901234567890}".to_vec(),
        deep.into_bytes(),
        deep_ignored.into_bytes(),
        b"[1, 2]".to_vec(),
        b"\"a string\"".to_vec(),
        b"null".to_vec(),
        b"{\"lead_id\": \"dup\", \"email\": \"a@b.io\", \"email\": \"second@b.io\"}".to_vec(),
        b"{\"lead_id\": \"trailing\", \"email\": \"a@b.io\"} {}".to_vec(),
        b"{\"lead_id\": \"nul \\u0000\", \"email\": \"a@b.io\"}".to_vec(),
        b"{\"lead_id\": \"lone surrogate \\ud800\", \"email\": \"a@b.io\"}".to_vec(),
        b"{\"lead_id\": \"truncated\", \"email\": ".to_vec(),
    ];
    let mut input = Vec::new();
    for r in &records {
        input.extend_from_slice(r);
        input.extend_from_slice(b"\n\n   \r\n");
    }
    let path = dir.file("in.jsonl", &input);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    let lines = out.lines();
    assert_eq!(lines.len(), records.len(), "records in != decisions out");
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["index"], i);
    }
    let err = |i: usize| error_of(&lines[i]).unwrap_or(("-", "-")).1.to_string();
    assert_eq!(lines[0]["id"], "bom");
    assert_eq!(lines[0]["route"], "sales");
    assert_eq!(err(1), "the line is not valid UTF-8");
    assert!(err(2).starts_with("invalid JSON"), "{}", err(2));
    assert!(err(3).starts_with("invalid JSON"), "{}", err(3));
    assert!(err(4).contains("number out of range"), "{}", err(4));
    assert_eq!(err(5), "expected a number, got \"1e400\"");
    assert_eq!(lines[6]["scores"]["s"], 0);
    assert_eq!(lines[7]["scores"]["s"], 10);
    assert!(err(8).contains("recursion limit"), "{}", err(8));
    // Deep nesting under a key that is not a field is skipped without recursion.
    assert_eq!(lines[9]["id"], "deep-ignored");
    assert!(lines[9].get("error").is_none());
    assert_eq!(err(10), "expected a JSON object, got an array");
    assert_eq!(err(11), "expected a JSON object, got a string");
    assert_eq!(err(12), "expected a JSON object, got null");
    assert!(
        lines[13].get("error").is_none(),
        "duplicate keys: the last wins"
    );
    assert!(err(14).contains("trailing characters"), "{}", err(14));
    assert_eq!(lines[15]["id"], "nul \u{0}");
    assert!(out.stdout.contains(r#""id": "nul \u0000""#));
    assert!(err(16).starts_with("invalid JSON"), "{}", err(16));
    assert!(err(17).contains("EOF while parsing"), "{}", err(17));
}

#[test]
fn a_json_line_over_16_mib_is_a_lead_error_in_place() {
    let dir = Scratch::new("longline");
    let mut input =
        b"{\"lead_id\": \"A\", \"email\": \"a@b.io\"}\n{\"lead_id\": \"B\", \"email\": \"".to_vec();
    input.resize(input.len() + LONG_LINE_BYTES, b'x');
    input.extend_from_slice(b"\"}\n{\"lead_id\": \"C\", \"email\": \"c@b.io\"}");
    let path = dir.file("long.jsonl", &input);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3));
    let lines = out.lines();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "A");
    assert_eq!(
        error_of(&lines[1]),
        Some(("<record>", "the line is longer than 16 MiB"))
    );
    assert_eq!(lines[2]["id"], "C");
}

#[test]
fn json_arrays_that_do_not_parse_are_a_clear_error_and_elements_keep_their_place() {
    let dir = Scratch::new("jsonarray");
    for (what, text) in [
        ("nan", "[{\"email\": NaN}]".to_string()),
        ("object", "{\"email\": \"a@b.io\"}".to_string()),
        ("truncated", "[{\"email\": \"a@b.io\"},".to_string()),
    ] {
        let path = dir.file("in.json", &text);
        let out = score(&dir, &path, &[]);
        assert_eq!(out.code, Some(2), "{what}");
        assert!(
            out.stderr.contains("is not a JSON array of leads"),
            "{what}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{what}");
    }
    let path = dir.file(
        "ok.json",
        "[{\"lead_id\": \"A\", \"email\": \"a@b.io\"}, 5, [], {}]",
    );
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3));
    assert_eq!(out.lines().len(), 4);
    // A deeply nested element is one record, rejected in its place.
    let deep = format!("[{}{}, {{}}]", "[".repeat(DEEP_JSON), "]".repeat(DEEP_JSON));
    let path = dir.file("deep.json", deep);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3));
    let lines = out.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        error_of(&lines[0]),
        Some(("<record>", "expected a JSON object, got an array"))
    );
}

#[test]
fn empty_inputs_give_no_decisions() {
    let dir = Scratch::new("empty");
    for (name, text) in [
        ("e.jsonl", ""),
        ("b.jsonl", "\n \r\n\t\n"),
        ("e.json", "[]"),
        ("e.csv", ""),
        ("h.csv", "lead_id,email\r\n"),
    ] {
        let path = dir.file(name, text);
        let out = score(&dir, &path, &[]);
        assert_eq!(out.code, Some(0), "{name}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{name}");
    }
}

// ------------------------------------------------------------------ CSV

#[test]
fn hostile_csv_rows_each_keep_their_place() {
    let dir = Scratch::new("csv");
    // BOM, CRLF, an empty header, a duplicate header (the first column wins),
    // ragged rows, quoted newlines and quotes, invalid UTF-8, a blank line,
    // a lone CR as a terminator, an unterminated quote at the end.
    let input: &[u8] = b"\xef\xbb\xbflead_id,email,Company Size,,email,tags\r\n\
A,a@b.io,500,x,second@b.io,x\r\n\
B,b@b.io\r\n\
C,c@b.io,200,,,\"multi\r\nline;x\",extra,fields\r\n\
\"D \"\"quoted\"\"\",d@b.io,\"1,000\"\r\n\
E,\xff@b.io,5\r\n\
\r\n\
F,f@b.io,7\rG,g@b.io,8\n\
H,h@b.io,\"unterminated\n";
    let path = dir.file("in.csv", input);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: the input has no column for 1 declared field: `seen`"),
        "{}",
        out.stderr
    );
    let lines = out.lines();
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(ids, ["A", "B", "C", "D \"quoted\"", "E", "F", "G", "H"]);
    assert_eq!(lines[0]["route"], "sales");
    assert_eq!(lines[0]["scores"]["s"], 11);
    assert_eq!(lines[1]["unknown"][0]["missing"][0], "size");
    assert_eq!(lines[2]["scores"]["s"], 11);
    assert_eq!(
        error_of(&lines[3]),
        Some(("size", "expected a number, got \"1,000\""))
    );
    assert_eq!(
        error_of(&lines[4]),
        Some((
            "email",
            "expected a text, got bytes that are not valid UTF-8"
        ))
    );
    assert_eq!(lines[6]["scores"]["s"], 0);
    assert_eq!(
        error_of(&lines[7]),
        Some(("size", "expected a number, got \"unterminated\n\""))
    );
}

#[test]
fn csv_headers_that_are_not_text_or_missing_still_score() {
    let dir = Scratch::new("csvheader");
    let path = dir.file("h.csv", b"lead_id,em\xffail,Company Size\nA,a@b.io,500\n");
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3));
    assert_eq!(
        error_of(&out.lines()[0]),
        Some(("email", "required field is missing"))
    );
    let path = dir.file("n.csv", b"A,a@b.io,500\nB,b@b.io,5\n");
    let out = score(&dir, &path, &[]);
    assert_eq!(out.lines().len(), 1, "the first row is the header");
}

#[test]
fn a_csv_row_over_16_mib_or_with_too_many_fields_is_a_lead_error_in_place() {
    let dir = Scratch::new("csvlong");
    let mut input = b"lead_id,email,Company Size\nA,a@b.io,5\nB,\"".to_vec();
    input.resize(input.len() + LONG_LINE_BYTES, b'x');
    input.extend_from_slice(b"\n\",7\nC,c@b.io,500\nD,");
    input.resize(input.len() + (1 << 20) + 10, b',');
    input.extend_from_slice(b"\nE,e@b.io,1\n");
    let path = dir.file("long.csv", &input);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(3));
    let lines = out.lines();
    assert_eq!(lines.len(), 5, "records in != decisions out");
    assert_eq!(lines[0]["id"], "A");
    assert_eq!(
        error_of(&lines[1]),
        Some(("<record>", "the CSV row is longer than 16 MiB"))
    );
    assert_eq!(lines[2]["id"], "C");
    assert_eq!(
        error_of(&lines[3]),
        Some(("<record>", "the CSV row has more than 1048576 fields"))
    );
    assert_eq!(lines[4]["id"], "E");
}

// ------------------------------------------------------------------ usage

#[test]
fn bad_options_and_outputs_are_usage_errors() {
    let dir = Scratch::new("usage");
    let path = dir.file("in.jsonl", "{\"lead_id\": \"A\", \"email\": \"a@b.io\"}\n");
    for extra in [
        &["--threads", "0"][..],
        &["--threads", "1025"],
        &["--threads", "10000"],
        &["--threads", "18446744073709551615"],
        &["--as-of", "yesterday"],
        &["--on-bad-value", "ignore"],
        &["--output", "/nonexistent-dir/out.jsonl"],
    ] {
        let out = score(&dir, &path, extra);
        assert_eq!(out.code, Some(2), "{extra:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    for n in ["0", "10000", "18446744073709551615"] {
        let started = Instant::now();
        let out = score(&dir, &path, &["--threads", n]);
        assert_eq!(
            out.stderr.trim(),
            format!("error: the thread count must be at least 1 and at most 1024, not {n}")
        );
        assert_quick(started, 20, n);
    }
    if Path::new("/dev/full").exists() {
        let out = score(&dir, &path, &["--output", "/dev/full"]);
        assert_eq!(out.code, Some(2), "{}", out.stderr);
        assert!(
            out.stderr.contains("cannot write the output"),
            "{}",
            out.stderr
        );
    }
    let out = score(&dir, &dir.path("missing.jsonl"), &[]);
    assert_eq!(out.code, Some(2));
    let out = leadgate(&["score", &dir.path("missing.lead"), &path], None);
    assert_eq!(out.code, Some(2));
}

#[test]
fn stdin_is_read_as_a_stream() {
    let dir = Scratch::new("stdin");
    let a = dir.file("a.lead", AGREEMENT);
    let input = b"lead_id,email\r\nA,a@b.io\r\nB,\r\n";
    let out = leadgate(
        &[
            "score",
            a.as_str(),
            "-",
            "--input-format",
            "csv",
            "--as-of",
            "2026-11-23",
            "--allow-missing-columns",
        ],
        Some(input),
    );
    assert_eq!(out.code, Some(3));
    assert_eq!(out.lines().len(), 2);
}

// ------------------------------------------------------------------ memory

/// Rows of many empty fields hold the end of every field: 600 rows of
/// 100,000 commas (60 MB) took over 600 MB when chunks were counted by rows
/// and bytes of text only (4,000 such rows: 4.4 GB, a SIGABRT under 3 GB).
#[test]
fn rows_of_many_empty_fields_keep_memory_bounded() {
    let dir = Scratch::new("emptyfields");
    let mut input = b"lead_id,email,Company Size\n".to_vec();
    for i in 0..600 {
        input.extend_from_slice(format!("L{i},a@b.io,").as_bytes());
        input.resize(input.len() + 100_000, b',');
        input.push(b'\n');
    }
    let path = dir.file("fields.csv", &input);
    drop(input);
    let a = dir.file("a.lead", AGREEMENT);
    let (code, lines, peak) = score_measured(&a, "csv", &path);
    assert_eq!((code, lines), (Some(0), 600));
    assert!(peak < 400, "{peak} MiB");
}

/// A 5,000-rule agreement whose leads miss every field lists every rule as
/// unknown: decisions of 1.2 MB here. A chunk of 8,192 of them took
/// gigabytes (10,000 rules, 20,000 leads: 4.6 GB); chunks are now bounded by
/// the largest decision the agreement can give (400 leads: 500 MB out).
#[test]
fn large_decisions_keep_memory_bounded() {
    let dir = Scratch::new("bigdecisions");
    let long = "a long rule name to make the decision large ".repeat(4);
    let rules: String = (0..5000)
        .map(|i| format!("  +1 \"{long}{i}\" when x > {i}\n"))
        .collect();
    let a = dir.file(
        "r.lead",
        format!("agreement \"R\"\nfields {{ x : number }}\nscore s {{\n{rules}}}\nroute {{ nurture otherwise }}\n"),
    );
    let leads = dir.file("l.jsonl", "{}\n".repeat(400));
    let (code, lines, peak) = score_measured(&a, "jsonl", &leads);
    assert_eq!((code, lines), (Some(0), 400));
    assert!(peak < 400, "{peak} MiB");
}

// ------------------------------------------------------------------ encodings and line ends

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

/// Excel's "Unicode text" is UTF-16 with a byte order mark: it was read as
/// bytes (every value missing, 18,482 "leads" for 9,240 rows, exit 0). It is
/// decoded: the same decisions as the UTF-8 file.
#[test]
fn utf16_input_gives_the_decisions_of_the_utf8_input() {
    let dir = Scratch::new("utf16");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = root.join("../shared/data/x-education-leads.csv");
    let text = std::fs::read_to_string(&data).unwrap_or_else(|e| panic!("{}: {e}", data.display()));
    let agreement = root.join("rules-examples/education-admissions.lead");
    let agreement = agreement.to_str().unwrap();
    let run = |input: &str| {
        let out = leadgate(&["score", agreement, input, "--as-of", "2026-11-23"], None);
        (out.code, out.stdout)
    };
    let (code, want) = run(data.to_str().unwrap());
    assert_eq!(code, Some(0));
    assert_eq!(want.lines().count(), 9240);
    for (name, big_endian) in [("le.csv", false), ("be.csv", true)] {
        let path = dir.file(name, utf16(text.trim_start_matches('\u{feff}'), big_endian));
        assert_eq!(run(&path), (Some(0), want.clone()), "{name}");
    }
    // JSON Lines and a JSON array in UTF-16, from a file and from stdin.
    let a = dir.file("a.lead", AGREEMENT);
    let lead = r#"{"lead_id": "Zoë", "email": "z@b.io", "Company Size": 500}"#;
    let jsonl = utf16(&format!("{lead}\r\n{lead}\n"), true);
    let json = utf16(&format!("[{lead}, {lead}]"), false);
    for (format, bytes) in [("jsonl", jsonl), ("json", json)] {
        let path = dir.file(&format!("in.{format}"), &bytes);
        let out = score(&dir, &path, &[]);
        let stdin = leadgate(
            &[
                "score",
                a.as_str(),
                "-",
                "--input-format",
                format,
                "--as-of",
                "2026-11-23",
            ],
            Some(&bytes),
        );
        for out in [out, stdin] {
            assert_eq!(out.code, Some(0), "{format}: {}", out.stderr);
            let lines = out.lines();
            assert_eq!(lines.len(), 2, "{format}");
            assert_eq!(lines[1]["id"], "Zoë");
            assert_eq!(lines[1]["route"], "sales");
        }
    }
    // UTF-32 is refused, clearly.
    for bom in [&[0xFF, 0xFE, 0, 0][..], &[0, 0, 0xFE, 0xFF]] {
        let mut bytes = bom.to_vec();
        bytes.extend_from_slice(&[0; 8]);
        let path = dir.file("in.csv", &bytes);
        let out = score(&dir, &path, &[]);
        assert_eq!(out.code, Some(2));
        assert!(out.stderr.contains("is UTF-32 text"), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

/// JSON Lines with CR-only line ends were read as one record ("trailing
/// characters"): a lone CR ends a line, and CR LF is one line end.
#[test]
fn json_lines_with_cr_line_ends_are_one_lead_per_line() {
    let dir = Scratch::new("crlines");
    let input = "{\"lead_id\": \"A\", \"email\": \"a@b.io\"}\r{\"lead_id\": \"B\", \"email\": \"b@b.io\"}\r\n\r\n{\"lead_id\": \"C\", \"email\": \"c@b.io\"}\r\r{\"lead_id\": \"D\", \"email\": \"d@b.io\"}\n{\"lead_id\": \"E\", \"email\": \"e@b.io\"}\r";
    let path = dir.file("cr.jsonl", input);
    let out = score(&dir, &path, &[]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let ids: Vec<String> = out
        .lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-").to_string())
        .collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E"]);
}

/// Rule names may hold `; `, quotes and commas: the `fired` cell of
/// `--format csv` is a JSON array of the names, so they can be told apart.
#[test]
fn the_fired_cell_tells_rule_names_apart() {
    let dir = Scratch::new("fired");
    let a = dir.file(
        "f.lead",
        "agreement \"F\"\nfields { x : number }\nscore s {\n  +1 \"a; b\" when x > 0\n  +1 \"c\" when x > 0\n  +1 \"say \\\"hi\\\", then; go\" when x > 0\n  +1 \"never\" when x > 5\n}\nroute { nurture otherwise }\n",
    );
    let leads = dir.file("l.jsonl", "{\"x\": 1}\n{\"x\": 0}\n");
    let out = leadgate(
        &[
            "score",
            a.as_str(),
            leads.as_str(),
            "--format",
            "csv",
            "--as-of",
            "2026-11-23",
        ],
        None,
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut rows = csv::Reader::from_reader(out.stdout.as_bytes());
    let fired_at = rows
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "fired")
        .unwrap();
    let cells: Vec<serde_json::Value> = rows
        .records()
        .map(|r| serde_json::from_str(&r.unwrap()[fired_at]).unwrap())
        .collect();
    assert_eq!(
        cells,
        [
            serde_json::json!(["a; b", "c", "say \"hi\", then; go"]),
            serde_json::json!([])
        ]
    );
}
