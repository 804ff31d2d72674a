//! Shared by the fuzz targets: a fixed agreement using every field type and
//! most constructs, and the invariants every decision must keep.
#![allow(dead_code, clippy::panic)]

use std::sync::OnceLock;

use leadgate::{Agreement, Decision, OnBadValue, Raw, ScoreOptions, Threads};

pub const AGREEMENT: &str = r#"
agreement "Fuzz" version "1"
fields {
  lead_id : text id
  email   : text required
  title   : text
  size    : number from "Company Size"
  demo    : bool
  tags    : list
  last    : date
  budget  : number
}
list free = ["gmail.com", "yahoo.com"]
score fit {
  +20 "Title" when title matches /\b(vp|chief|head)\b/i
  +15 "Mid" when size between 50 and 1000
  +(budget / 1000) up to 25 "Budget" when budget > 0
  -15 "Free" when domain(email) in free
  +5 "Tagged" when tags contains "webinar" or count(tags) > 3
  range 0 to 100
}
score eng {
  +30 "Demo" when demo
  +(2 * size / (budget - 100)) up to 10 "Odd ratio" when size is present
  +10 "Recent" when last within 30d and days_since(last) >= 0
  halve every 30d since last
}
grade tier {
  hot when fit >= 40 and eng >= 20
  warm when fit >= 20 or potential(fit) >= 50
  cold otherwise
}
grade again {
  same when tier is hot
  other otherwise
}
route {
  sales queue "q" within 1h "Hot" when tier is hot
  telemarketing "Maybe" when potential(fit) > fit and total > min(fit, eng)
  nurture otherwise
}
"#;

/// [`AGREEMENT`], compiled once.
pub fn agreement() -> &'static Agreement {
    static A: OnceLock<Agreement> = OnceLock::new();
    A.get_or_init(|| match Agreement::compile(AGREEMENT) {
        Ok(a) => a,
        Err(e) => panic!("the fuzz agreement does not compile: {e:?}"),
    })
}

pub fn options(on_bad_value: OnBadValue) -> ScoreOptions {
    // 2026-11-23
    ScoreOptions::at(leadgate::Timestamp::from_unix_ms(1_795_392_000_000))
        .on_bad_value(on_bad_value)
}

/// The invariants of docs/language.md that hold for every decision.
pub fn check(agreement: &Agreement, d: &Decision, index: usize) {
    assert_eq!(d.index(), index);
    assert!(agreement.made(d));
    let json = d.to_json();
    let parsed: serde_json::Value = match serde_json::from_str(&json) {
        Ok(v) => v,
        Err(e) => panic!("decision is not valid JSON ({e}): {json}"),
    };
    assert_eq!(parsed["index"].as_u64(), Some(index as u64), "{json}");
    if d.is_scored() {
        assert!(d.route().is_some());
        assert_eq!(d.scores().len(), agreement.scores().len());
        for ((_, s), (_, p)) in d.scores().zip(d.potentials()) {
            assert!(s.is_finite() && p.is_finite(), "{json}");
            assert!(p >= s, "potential {p} < score {s}: {json}");
        }
        assert!(d.total().is_some_and(f64::is_finite));
        assert_eq!(
            leadgate::to_canonical_json(d).ok().as_deref(),
            Some(json.as_str())
        );
    } else {
        assert!(parsed.get("error").is_some(), "{json}");
    }
}

/// Target `agreement`: any text through parse + check + compile; a compiled
/// agreement runs its examples and scores leads; diagnostics have valid spans.
pub fn agreement_target(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Agreement::compile(&text) {
        Err(e) => {
            assert!(e.error_count() > 0, "a failed compile reports no error");
            for d in e.diagnostics() {
                assert!(d.span.start <= d.span.end && d.span.end <= text.len());
                assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            }
            let _ = e.render();
            let _ = e.to_string();
        }
        Ok(agreement) => {
            let _ = agreement.run_examples();
            for mode in [OnBadValue::Error, OnBadValue::Missing] {
                let opts = options(mode);
                // An empty lead, and leads with every field set from one text.
                let empty = agreement.bind_json("{}", mode);
                check(&agreement, &agreement.decide(0, &empty, &opts), 0);
                for raw in ["1", "yes", "2026-11-01", "a;b"] {
                    let mut b = agreement.lead_builder(mode);
                    for slot in 0..agreement.fields().len() {
                        b.set(slot as u32, Raw::Str(raw.into()));
                    }
                    let lead = b.finish();
                    check(&agreement, &agreement.decide(0, &lead, &opts), 0);
                }
            }
        }
    }
}

/// Target `json_lead`: any text as one JSON record, in both bad-value modes.
pub fn json_lead_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let a = agreement();
    for mode in [OnBadValue::Error, OnBadValue::Missing] {
        check(a, &a.score_json(text, &options(mode)), 0);
    }
}

/// Target `csv_input`: any bytes as a CSV file with a header and rows of
/// any length; rows in == decisions out.
pub fn csv_input_target(data: &[u8]) {
    let a = agreement();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let Ok(header) = reader.byte_headers().cloned() else {
        return;
    };
    let binder = a.csv_binder(&header);
    struct Row(csv::ByteRecord);
    impl leadgate::CsvRow for Row {
        fn bytes(&self) -> &[u8] {
            self.0.as_slice()
        }
        fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
            self.0.range(i)
        }
    }
    // An unreadable row keeps its place as a lead error, as in the CLI.
    let rows: Vec<Option<Row>> = reader.byte_records().map(|r| r.ok().map(Row)).collect();
    let threads = match Threads::new(Some(1)) {
        Ok(t) => t,
        Err(e) => panic!("{e}"),
    };
    for mode in [OnBadValue::Error, OnBadValue::Missing] {
        let opts = options(mode);
        let decisions = a.decide_batch(&rows, 0, &opts, &threads, |row| match row {
            Some(r) => a.bind_csv(&binder, r, mode),
            None => {
                let mut b = a.lead_builder(mode);
                b.reject(leadgate::LeadErrorKind::Unreadable, "unreadable CSV row");
                b.finish()
            }
        });
        assert_eq!(decisions.len(), rows.len(), "rows in != decisions out");
        for (i, d) in decisions.iter().enumerate() {
            check(a, d, i);
        }
    }
}

/// Target `compiled`: any bytes as a compiled agreement, as they are and as
/// the payload under a valid header and checksum (what a crafted `.lgc`
/// file has). Loading refuses them or gives an agreement that scores,
/// explains, runs its examples and is written again without panicking;
/// its decisions are valid JSON.
pub fn compiled_target(data: &[u8]) {
    let _ = Agreement::from_compiled(data);
    let sum = data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut bytes = Vec::with_capacity(data.len() + 16);
    bytes.extend_from_slice(leadgate::MAGIC);
    bytes.extend_from_slice(&leadgate::FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&sum.to_le_bytes());
    bytes.extend_from_slice(data);
    let Ok(a) = Agreement::from_compiled(&bytes) else {
        return;
    };
    let _ = a.run_examples();
    let _ = a.render_warnings("fuzz.lgc");
    let _ = serde_json::to_string(&a.info());
    assert!(Agreement::from_compiled(&a.to_compiled()).is_ok());
    for mode in [OnBadValue::Error, OnBadValue::Missing] {
        let opts = options(mode);
        let mut leads = vec![a.bind_json("{}", mode)];
        for raw in ["1", "yes", "2026-11-01", "a;b", "VP Sales"] {
            let mut b = a.lead_builder(mode);
            for slot in 0..a.fields().len() {
                b.set(slot as u32, Raw::Str(raw.into()));
            }
            leads.push(b.finish());
        }
        for (i, lead) in leads.iter().enumerate() {
            let d = a.decide(i, lead, &opts);
            let json = d.to_json();
            assert!(
                serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                "{json}"
            );
            let _ = a.explain(i, lead, &opts).text();
        }
    }
}
