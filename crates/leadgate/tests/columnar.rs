//! The columnar evaluator (`leadgate::arrow::Columnar`) against the per-lead
//! path (`ArrowRows` + `Part::decide` + `DecisionBatch`): for every record
//! batch it scores, its decision columns must be identical to the per-lead
//! path's, cell for cell, floats bit for bit (`-0.0` is not `0.0`), nulls
//! where nulls are, empty lists where empty lists are.
//!
//! `Columnar::new` may decline an agreement (`None`: the caller then takes
//! the per-lead path); every test here only compares when it accepts, and
//! reports how many it declined.
//!
//! - random agreements (source text over every field type, operator,
//!   function, grade and route form) with random record batches: every
//!   Arrow type a field may arrive as, the wrong ones included, nulls,
//!   duplicate and unused columns, zero rows, sliced batches;
//! - the bundled agreements (rules-examples, tests/agreements, the
//!   benchmark's) with random record batches;
//! - the conformance corpus, its leads as columns;
//! - the real CRM export of ../shared/data, as text and dictionary-encoded.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use arrow_array::builder::{
    GenericListBuilder, Int64Builder, ListBuilder, StringBuilder, StringDictionaryBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int16Type, Int32Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Date64Array, Decimal128Array,
    Float32Array, Float64Array, Int32Array, Int64Array, LargeStringArray, NullArray, RecordBatch,
    RecordBatchOptions, StringArray, StringViewArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use leadgate::arrow::{decision_schema, ArrowRows, Columnar, DecisionBatch};
use leadgate::{
    Agreement, BatchKeys, BatchRun, Decision, DecisionColumns, FieldType, OnBadValue, Part,
    ScoreOptions, Threads, Timestamp,
};
use proptest::prelude::*;
use proptest::strategy::{Union, ValueTree};
use proptest::test_runner::TestRunner;

// ------------------------------------------------------------ the reference

/// The decision columns of `batch` by the per-lead path, on one thread:
/// what `Columnar::score` must give.
fn per_lead(
    agreement: &Agreement,
    opts: &ScoreOptions,
    columns: &DecisionColumns,
    batch: &RecordBatch,
) -> RecordBatch {
    let agreements = [agreement];
    let keys = BatchKeys::new(&agreements, &[]);
    let run = BatchRun::new(&agreements, &keys, *opts);
    let rows = ArrowRows::new(batch, &keys);
    let chunk = |p: &Part<'_, '_, ArrowRows<'_>>, r: Range<usize>| {
        r.map(|i| p.decide(0, i)).collect::<Vec<Decision>>()
    };
    let decided = run.parts(
        run.part(&rows, 0),
        batch.num_rows(),
        1,
        &Threads::calling(),
        &chunk,
    );
    let mut out = DecisionBatch::new(columns, batch.num_rows());
    decided.iter().flatten().for_each(|d| out.push(d));
    out.finish(&decision_schema(columns))
        .expect("the per-lead decision columns")
}

/// One output cell, compared exactly (a float by its bits).
#[derive(Debug, PartialEq)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Num(Bits),
    List(Vec<Option<String>>),
    /// A column type the decision columns never have.
    Unexpected(String),
}

#[derive(PartialEq)]
struct Bits(u64);

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} (bits {:#018x})", f64::from_bits(self.0), self.0)
    }
}

fn cell(a: &dyn Array, row: usize) -> Cell {
    if a.is_null(row) {
        return Cell::Null;
    }
    match a.data_type() {
        DataType::Utf8 => Cell::Text(a.as_string::<i32>().value(row).to_string()),
        DataType::Int64 => Cell::Int(a.as_primitive::<Int64Type>().value(row)),
        DataType::Float64 => Cell::Num(Bits(a.as_primitive::<Float64Type>().value(row).to_bits())),
        DataType::List(_) => {
            let items = a.as_list::<i32>().value(row);
            let items = items.as_string::<i32>();
            Cell::List(items.iter().map(|s| s.map(str::to_string)).collect())
        }
        other => Cell::Unexpected(format!("{other}")),
    }
}

/// Where `got` (columnar) and `want` (per-lead) differ, first schema, then
/// row count, then the first differing cell in row order.
fn difference(got: &RecordBatch, want: &RecordBatch) -> Option<String> {
    if got.schema() != want.schema() {
        return Some(format!(
            "the schemas differ:\n  columnar: {:?}\n  per-lead: {:?}",
            got.schema(),
            want.schema()
        ));
    }
    if got.num_rows() != want.num_rows() {
        return Some(format!(
            "the row counts differ: columnar {}, per-lead {}",
            got.num_rows(),
            want.num_rows()
        ));
    }
    let names: Vec<String> = want
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    for row in 0..want.num_rows() {
        for (c, name) in names.iter().enumerate() {
            let (g, w) = (
                cell(got.column(c).as_ref(), row),
                cell(want.column(c).as_ref(), row),
            );
            if g != w {
                let whole: Vec<String> = (0..names.len())
                    .map(|k| format!("{}={:?}", names[k], cell(want.column(k).as_ref(), row)))
                    .collect();
                return Some(format!(
                    "row {row} of {}, column `{name}`:\n  columnar: {g:?}\n  per-lead: {w:?}\n  per-lead row: {}",
                    want.num_rows(),
                    whole.join(", ")
                ));
            }
        }
    }
    None
}

/// Asserts that two decision batches are identical.
fn assert_same(a: &RecordBatch, b: &RecordBatch) {
    if let Some(d) = difference(a, b) {
        panic!("{d}");
    }
}

/// The input row `row` of `batch`, column by column.
fn input_row(batch: &RecordBatch, row: usize) -> String {
    let schema = batch.schema();
    let mut out = String::new();
    for (f, c) in schema.fields().iter().zip(batch.columns()) {
        let one = c.slice(row, 1);
        let v = match one.as_any_dictionary_opt() {
            Some(d) if d.keys().is_valid(0) => {
                let k = d.normalized_keys()[0];
                format!("key {k} of the dictionary: {:?}", d.values().slice(k, 1))
            }
            _ => format!("{one:?}"),
        };
        let v: String = v.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = write!(out, "\n    {:?} ({}): {v}", f.name(), f.data_type());
    }
    out
}

/// Scores each of `batches`, and slices of it (`cut`: where a slice of a
/// slice starts, and its length), with one `Columnar` (when the agreement
/// is covered: a columnar evaluator is built once per call and scores every
/// batch of a stream, whatever their column types) and compares each with
/// the per-lead path. `Ok(false)`: `Columnar::new` declined.
fn compare(
    a: &Agreement,
    opts: &ScoreOptions,
    columns: &DecisionColumns,
    batches: &[&RecordBatch],
    cut: (usize, usize),
) -> Result<bool, String> {
    let Some(columnar) = Columnar::new(a, opts, columns) else {
        return Ok(false);
    };
    let schema = decision_schema(columns);
    let mut parts = Vec::new();
    for (b, batch) in batches.iter().enumerate() {
        let n = batch.num_rows();
        parts.push((format!("batch {b}"), (*batch).clone()));
        if n > 3 {
            let inner = batch.slice(3, n - 3);
            let start = cut.0.min(n - 3);
            let len = cut.1.min(n - 3 - start);
            parts.push((format!("batch {b}.slice(3, {})", n - 3), inner.clone()));
            parts.push((
                format!("batch {b}.slice(3, {}).slice({start}, {len})", n - 3),
                inner.slice(start, len),
            ));
        }
    }
    for (what, part) in &parts {
        let want = per_lead(a, opts, columns, part);
        let got = columnar
            .score(part, &schema)
            .map_err(|e| format!("{what}: Columnar::score failed: {e}"))?;
        if let Some(d) = difference(&got, &want) {
            let row = d
                .strip_prefix("row ")
                .and_then(|r| r.split(' ').next())
                .and_then(|r| r.parse::<usize>().ok());
            let input = row.map_or(String::new(), |r| {
                format!("\n  input row {r}:{}", input_row(part, r))
            });
            return Err(format!(
                "{what} ({} rows; as_of {}, on_bad_value {:?}, explain {}):\n{d}{input}\nagreement:\n{}",
                part.num_rows(),
                opts.as_of(),
                opts.bad_values(),
                opts.explains(),
                a.source()
            ));
        }
    }
    Ok(true)
}

// ------------------------------------------------------- random agreements

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Text,
    Number,
    Bool,
    Date,
    List,
}

impl From<FieldType> for Ty {
    fn from(t: FieldType) -> Ty {
        match t {
            FieldType::Text => Ty::Text,
            FieldType::Number => Ty::Number,
            FieldType::Bool => Ty::Bool,
            FieldType::Date => Ty::Date,
            FieldType::List => Ty::List,
        }
    }
}

/// A field as the record batch generator sees it.
#[derive(Debug, Clone)]
struct Col {
    name: String,
    key: String,
    ty: Ty,
    /// `required` or `id`: its column is nearly always there and full.
    required: bool,
}

fn cols_of(a: &Agreement) -> Vec<Col> {
    a.fields()
        .iter()
        .map(|f| Col {
            name: f.name().to_string(),
            key: f.key().to_string(),
            ty: f.field_type().into(),
            required: f.is_required(),
        })
        .collect()
}

#[derive(Debug, Clone)]
struct FieldSpec {
    name: String,
    ty: Ty,
    key: Option<String>,
    required: bool,
    id: bool,
}

const NUMS: &[&str] = &[
    "0", "1", "2", "5", "10", "12.5", "20", "30", "60", "100", "1_000", "0.1", "0.5", "2.5",
];
const TEXTS: &[&str] = &[
    "VP Sales",
    "vp",
    "Head of Data",
    "DE",
    "fr",
    "Software",
    "gmail.com",
    "corp.io",
    "İstanbul",
    "istanbul",
    "straße",
    "STRASSE",
    "ß",
    "ÜBER",
    "12.5",
    "7",
    "yes",
    "true",
    "abc",
    "a  b",
    "webinar",
    "Working Professional",
    "Head of Data Engineering",
    "say \"hi\"",
    "back\\slash",
    "Ⅻ",
];
const REGEXES: &[&str] = &[
    r"/^vp\b/i",
    r"/(head|chief) of/",
    r"/\d+/",
    r"/stra(ss|ß)e/i",
    r"/^İ/",
    r"/gmail\.com$/i",
    r"/^[a-z]+$/",
    r"/ü/i",
    r"/^x/m",
    r"/a.b/s",
    r"/\bDE\b/",
];
const DURATIONS: &[&str] = &["90m", "2h", "12h", "1d", "30d", "2w"];
const DATE_LITS: &[&str] = &[
    "2026-11-01",
    "2026-11-22",
    "2026-11-22T10:00:00Z",
    "2026-10-24T00:00:00+02:00",
    "2026-11-23T00:00:00.001Z",
];
/// The instants leads are scored at (and that generated dates cluster around).
const AS_OFS: &[&str] = &[
    "2026-11-23",
    "2026-11-22T10:00:00Z",
    "2026-11-01T12:00:00Z",
    "2026-12-31T23:59:59.999Z",
    "2027-06-01",
    "2026-11-23T00:00:00.001Z",
];
const LABELS: &[&str] = &["hot", "warm", "cold", "x", "sales", "tier_2"];
/// Rule names (each gets a number): some longer than 32 bytes, some
/// around it.
const RULE_NAMES: &[&str] = &[
    "Rule",
    "Größe ü",
    "quote \"q\"",
    "Big, deal; yes",
    "ℝ",
    "A rule name of thirty bytes ab",
    "A rule whose name is longer than thirty-two bytes",
];
const QUEUES: &[&str] = &[
    "emea",
    "",
    "Ünï \"q\"",
    "a b",
    "EMEA",
    "a queue whose name is longer than thirty-two bytes",
];

/// A string literal of the language.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The names an expression may use.
#[derive(Debug, Clone, Default)]
struct Ctx {
    text: Vec<String>,
    num: Vec<String>,
    flag: Vec<String>,
    date: Vec<String>,
    list: Vec<String>,
    all: Vec<String>,
    /// Empty inside score rules.
    scores: Vec<String>,
    grades: Vec<(String, Vec<String>)>,
    /// Only the shapes typical agreements have: a comparison tests one
    /// field, function, score, potential or total against a constant (no
    /// arithmetic mixing fields and scores, no field against field, no
    /// condition against condition).
    plain: bool,
}

impl Ctx {
    fn of(fields: &[FieldSpec]) -> Ctx {
        let names = |t: Ty| -> Vec<String> {
            fields
                .iter()
                .filter(|f| f.ty == t)
                .map(|f| f.name.clone())
                .collect()
        };
        Ctx {
            text: names(Ty::Text),
            num: names(Ty::Number),
            flag: names(Ty::Bool),
            date: names(Ty::Date),
            list: names(Ty::List),
            all: fields.iter().map(|f| f.name.clone()).collect(),
            ..Ctx::default()
        }
    }
}

type S = BoxedStrategy<String>;

fn pick(items: &[&'static str]) -> S {
    prop::sample::select(items.to_vec())
        .prop_map(str::to_string)
        .boxed()
}

fn pick_owned(items: &[String]) -> S {
    prop::sample::select(items.to_vec()).boxed()
}

fn union(options: Vec<(u32, S)>) -> S {
    Union::new_weighted(options.into_iter().filter(|(w, _)| *w > 0).collect()).boxed()
}

fn num_leaf(ctx: &Ctx) -> S {
    let mut u = vec![(3, pick(NUMS))];
    if !ctx.num.is_empty() {
        u.push((6, pick_owned(&ctx.num)));
    }
    if !ctx.list.is_empty() {
        u.push((
            1,
            pick_owned(&ctx.list)
                .prop_map(|l| format!("count({l})"))
                .boxed(),
        ));
    }
    if !ctx.date.is_empty() {
        u.push((
            1,
            pick_owned(&ctx.date)
                .prop_map(|d| format!("days_since({d})"))
                .boxed(),
        ));
    }
    if !ctx.scores.is_empty() {
        u.push((4, pick_owned(&ctx.scores)));
        u.push((
            2,
            pick_owned(&ctx.scores)
                .prop_map(|s| format!("potential({s})"))
                .boxed(),
        ));
        u.push((1, Just("total".to_string()).boxed()));
    }
    union(u)
}

fn num_expr(ctx: &Ctx, depth: u32) -> S {
    let leaf = num_leaf(ctx);
    if depth == 0 {
        return leaf;
    }
    let sub = num_expr(ctx, depth - 1);
    union(vec![
        (6, leaf),
        (
            2,
            (sub.clone(), pick(&["+", "-", "*", "/"]), sub.clone())
                .prop_map(|(a, o, b)| format!("({a} {o} {b})"))
                .boxed(),
        ),
        (
            1,
            (pick(&["min", "max"]), sub.clone(), sub.clone())
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})"))
                .boxed(),
        ),
        (1, sub.prop_map(|a| format!("(-{a})")).boxed()),
    ])
}

fn text_atom(ctx: &Ctx) -> S {
    let t = pick_owned(&ctx.text);
    union(vec![
        (5, t.clone()),
        (1, t.prop_map(|t| format!("domain({t})")).boxed()),
    ])
}

fn text_const() -> S {
    pick(TEXTS).prop_map(|s| lit(&s)).boxed()
}

fn text_list() -> S {
    union(vec![
        (3, Just("L0".to_string()).boxed()),
        (
            3,
            prop::collection::vec(text_const(), 1..4)
                .prop_map(|v| format!("[{}]", v.join(", ")))
                .boxed(),
        ),
        (1, Just("[]".to_string()).boxed()),
    ])
}

fn cmp_op() -> S {
    pick(&["==", "!=", "<", "<=", ">", ">="])
}

fn cond_leaf(ctx: &Ctx) -> S {
    let num = if ctx.plain {
        num_leaf(ctx)
    } else {
        num_expr(ctx, 1)
    };
    let mixed = if ctx.plain { 0 } else { 1 };
    let mut u: Vec<(u32, S)> = vec![
        (
            6,
            (num.clone(), cmp_op(), pick(NUMS))
                .prop_map(|(a, o, c)| format!("{a} {o} {c}"))
                .boxed(),
        ),
        (
            2 * mixed,
            (num.clone(), cmp_op(), num.clone())
                .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                .boxed(),
        ),
        (
            1,
            (num.clone(), pick(NUMS), pick(NUMS))
                .prop_map(|(a, l, h)| format!("{a} between {l} and {h}"))
                .boxed(),
        ),
        (
            1,
            (
                num,
                pick(&["in", "not in"]),
                union(vec![
                    (1, Just("N0".to_string()).boxed()),
                    (
                        2,
                        prop::collection::vec(pick(NUMS), 0..3)
                            .prop_map(|v| format!("[{}]", v.join(", ")))
                            .boxed(),
                    ),
                ]),
            )
                .prop_map(|(a, o, l)| format!("{a} {o} {l}"))
                .boxed(),
        ),
        (
            2,
            (pick_owned(&ctx.all), pick(&["is missing", "is present"]))
                .prop_map(|(f, t)| format!("{f} {t}"))
                .boxed(),
        ),
        (1, pick(&["true", "false"])),
    ];
    if !ctx.num.is_empty() {
        u.push((
            mixed,
            (
                pick_owned(&ctx.num),
                pick_owned(&ctx.num),
                pick(&["missing", "present"]),
            )
                .prop_map(|(a, b, t)| format!("({a} / {b}) is {t}"))
                .boxed(),
        ));
    }
    if !ctx.text.is_empty() {
        let t = text_atom(ctx);
        u.extend([
            (
                4,
                (t.clone(), pick(&["==", "!="]), text_const())
                    .prop_map(|(a, o, s)| format!("{a} {o} {s}"))
                    .boxed(),
            ),
            (
                mixed,
                (t.clone(), pick(&["==", "!="]), text_atom(ctx))
                    .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                    .boxed(),
            ),
            (
                2,
                (t.clone(), pick(&["in", "not in"]), text_list())
                    .prop_map(|(a, o, l)| format!("{a} {o} {l}"))
                    .boxed(),
            ),
            (
                3,
                (
                    t.clone(),
                    pick(&["contains", "starts_with", "ends_with"]),
                    text_const(),
                )
                    .prop_map(|(a, o, s)| format!("{a} {o} {s}"))
                    .boxed(),
            ),
            (
                3,
                (t.clone(), pick(REGEXES))
                    .prop_map(|(a, r)| format!("{a} matches {r}"))
                    .boxed(),
            ),
            (1, t.prop_map(|a| format!("{a} is present")).boxed()),
        ]);
    }
    if !ctx.flag.is_empty() {
        let b = pick_owned(&ctx.flag);
        u.extend([
            (3, b.clone()),
            (1, b.clone().prop_map(|b| format!("not {b}")).boxed()),
            (
                1,
                (b, pick(&["==", "!="]), pick(&["true", "false"]))
                    .prop_map(|(b, o, v)| format!("{b} {o} {v}"))
                    .boxed(),
            ),
        ]);
    }
    if !ctx.date.is_empty() {
        let d = pick_owned(&ctx.date);
        u.extend([
            (
                3,
                (d.clone(), pick(DURATIONS))
                    .prop_map(|(d, w)| format!("{d} within {w}"))
                    .boxed(),
            ),
            (
                1,
                (d.clone(), cmp_op(), pick(DATE_LITS))
                    .prop_map(|(d, o, l)| format!("{d} {o} {l}"))
                    .boxed(),
            ),
            (
                1,
                (d.clone(), pick(DATE_LITS), pick(DATE_LITS))
                    .prop_map(|(d, a, b)| format!("{d} between {a} and {b}"))
                    .boxed(),
            ),
            (
                mixed,
                (d.clone(), cmp_op(), d)
                    .prop_map(|(a, o, b)| format!("{a} {o} {b}"))
                    .boxed(),
            ),
        ]);
    }
    if !ctx.list.is_empty() {
        u.push((
            3,
            (pick_owned(&ctx.list), text_const())
                .prop_map(|(l, s)| format!("{l} contains {s}"))
                .boxed(),
        ));
    }
    if !ctx.grades.is_empty() {
        let tests: Vec<String> = ctx
            .grades
            .iter()
            .flat_map(|(g, labels)| labels.iter().map(move |l| format!("{g} is {l}")))
            .collect();
        u.push((4, pick_owned(&tests)));
    }
    union(u)
}

fn cond(ctx: &Ctx, depth: u32) -> S {
    let leaf = cond_leaf(ctx);
    if depth == 0 {
        return leaf;
    }
    let sub = cond(ctx, depth - 1);
    union(vec![
        (5, leaf),
        (
            2,
            (sub.clone(), sub.clone())
                .prop_map(|(a, b)| format!("({a}) and ({b})"))
                .boxed(),
        ),
        (
            2,
            (sub.clone(), sub.clone())
                .prop_map(|(a, b)| format!("({a}) or ({b})"))
                .boxed(),
        ),
        (1, sub.clone().prop_map(|a| format!("not ({a})")).boxed()),
        (
            if ctx.plain { 0 } else { 1 },
            (sub.clone(), pick(&["==", "!="]), sub)
                .prop_map(|(a, o, b)| format!("({a}) {o} ({b})"))
                .boxed(),
        ),
    ])
}

/// One score rule, its name left as `{NAME}`.
fn score_rule(ctx: &Ctx) -> S {
    let points = if ctx.num.is_empty() {
        pick(&["5", "10", "0.5", "12.25", "1_000", "3"])
    } else {
        let n = pick_owned(&ctx.num);
        union(vec![
            (4, pick(&["5", "10", "0.5", "12.25", "1_000", "3"])),
            (1, n.clone().prop_map(|n| format!("({n} / 60)")).boxed()),
            (1, n.prop_map(|n| format!("(2 * {n})")).boxed()),
            (
                if ctx.plain { 0 } else { 2 },
                num_expr(ctx, 2).prop_map(|e| format!("({e})")).boxed(),
            ),
        ])
    };
    (
        pick(&["+", "+", "+", "-"]),
        points,
        prop::option::weighted(0.3, pick(&["10", "30", "0.5", "100"])),
        prop::option::weighted(0.85, cond(ctx, 2)),
    )
        .prop_map(|(sign, points, cap, when)| {
            let cap = cap.map_or(String::new(), |c| format!(" up to {c}"));
            let when = when.map_or(String::new(), |w| format!(" when {w}"));
            format!("{sign}{points}{cap} {{NAME}}{when}")
        })
        .boxed()
}

fn score_block(ctx: &Ctx) -> BoxedStrategy<(Vec<String>, Option<String>, Option<String>)> {
    let decay = if ctx.date.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::weighted(
            0.4,
            (pick(DURATIONS), pick_owned(&ctx.date))
                .prop_map(|(w, d)| format!("halve every {w} since {d}")),
        )
        .boxed()
    };
    let range = prop::option::weighted(
        0.6,
        (
            prop::sample::select(vec![-50.0, -10.0, 0.0, -0.0, 5.0]),
            prop::sample::select(vec![0.0, 10.0, 50.0, 100.5]),
        )
            .prop_map(|(lo, span): (f64, f64)| format!("range {lo} to {}", lo + span)),
    );
    (prop::collection::vec(score_rule(ctx), 0..6), range, decay).boxed()
}

fn route_rule(ctx: &Ctx) -> S {
    (
        pick(&["sales", "nurture", "telemarketing"]),
        prop::option::weighted(0.4, pick(QUEUES)),
        prop::option::weighted(0.4, pick(DURATIONS)),
        cond(ctx, 2),
    )
        .prop_map(|(dest, queue, within, when)| {
            let queue = queue.map_or(String::new(), |q| format!(" queue {}", lit(&q)));
            let within = within.map_or(String::new(), |w| format!(" within {w}"));
            format!("{dest}{queue}{within} {{NAME}} when {when}")
        })
        .boxed()
}

fn otherwise_rule() -> S {
    (
        pick(&["sales", "nurture", "telemarketing"]),
        prop::option::weighted(0.3, pick(QUEUES)),
        prop::option::weighted(0.3, pick(DURATIONS)),
        any::<bool>(),
    )
        .prop_map(|(dest, queue, within, named)| {
            let queue = queue.map_or(String::new(), |q| format!(" queue {}", lit(&q)));
            let within = within.map_or(String::new(), |w| format!(" within {w}"));
            let name = if named { " {NAME}" } else { "" };
            format!("{dest}{queue}{within}{name} otherwise")
        })
        .boxed()
}

fn field_specs() -> BoxedStrategy<Vec<FieldSpec>> {
    (
        1..=3usize,
        1..=3usize,
        0..=2usize,
        0..=2usize,
        0..=2usize,
        prop::bool::weighted(0.3),
        prop::collection::vec((0..10u8, 0..20u8), 12),
    )
        .prop_map(|(t, n, b, d, l, id, mods)| {
            let mut fields = Vec::new();
            for (ty, count, prefix) in [
                (Ty::Text, t, "t"),
                (Ty::Number, n, "n"),
                (Ty::Bool, b, "b"),
                (Ty::Date, d, "d"),
                (Ty::List, l, "l"),
            ] {
                for i in 0..count {
                    let (rename, req) = mods[fields.len()];
                    let name = format!("{prefix}{i}");
                    let key = match rename {
                        0 => Some(format!("Src {name}")),
                        1 => Some(format!("naïve clé {name}")),
                        2 => Some(format!("{} ", name.to_uppercase())),
                        3 => Some(format!("{name}.{name}")),
                        _ => None,
                    };
                    fields.push(FieldSpec {
                        id: id && ty == Ty::Text && i == 0,
                        required: req == 0 && !id,
                        name,
                        ty,
                        key,
                    });
                }
            }
            fields
        })
        .prop_shuffle()
        .boxed()
}

/// A random agreement: its source text and its fields.
#[derive(Clone)]
struct Generated {
    source: String,
    cols: Vec<Col>,
    plain: bool,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "agreement (plain: {}):\n{}", self.plain, self.source)
    }
}

/// A grade: its name, its lines (label, condition) and its `otherwise` label.
type GradeSpec = (String, Vec<(String, String)>, String);

fn render(
    fields: &[FieldSpec],
    scores: &[(Vec<String>, Option<String>, Option<String>)],
    grades: &[GradeSpec],
    routes: &[String],
    otherwise: &str,
    names: &[String],
) -> String {
    let mut names = names.iter().cycle().enumerate();
    let mut name = || {
        let (i, base) = names.next().unwrap();
        lit(&format!("{base} {i}"))
    };
    let mut s = String::from("agreement \"generated\" version \"1\"\n\nfields {\n");
    for f in fields {
        let ty = match f.ty {
            Ty::Text => "text",
            Ty::Number => "number",
            Ty::Bool => "bool",
            Ty::Date => "date",
            Ty::List => "list",
        };
        let _ = write!(s, "  {} : {ty}", f.name);
        if f.id {
            s.push_str(" id");
        } else if f.required {
            s.push_str(" required");
        }
        if let Some(k) = &f.key {
            let _ = write!(s, " from {}", lit(k));
        }
        s.push('\n');
    }
    s.push_str("}\n\nlist L0 = [\"DE\", \"gmail.com\", \"Software\", \"İstanbul\", \"ß\"]\n");
    s.push_str("list N0 = [0, 5, 12.5, -3]\n\n");
    for (i, (rules, range, decay)) in scores.iter().enumerate() {
        let _ = writeln!(s, "score s{i} {{");
        for r in rules {
            let _ = writeln!(s, "  {}", r.replace("{NAME}", &name()));
        }
        for line in [range, decay].into_iter().flatten() {
            let _ = writeln!(s, "  {line}");
        }
        s.push_str("}\n\n");
    }
    for (g, lines, last) in grades {
        let _ = writeln!(s, "grade {g} {{");
        for (label, when) in lines {
            let _ = writeln!(s, "  {label} when {when}");
        }
        let _ = writeln!(s, "  {last} otherwise\n}}\n");
    }
    s.push_str("route {\n");
    for r in routes {
        let _ = writeln!(s, "  {}", r.replace("{NAME}", &name()));
    }
    let _ = writeln!(s, "  {}\n}}", otherwise.replace("{NAME}", &name()));
    s
}

/// Random agreements as source text: fields of every type (some `id`,
/// `required`, `from`), 1 to 3 scores, 0 to 2 grades, 1 to 4 route rules
/// and `otherwise`.
fn agreement() -> BoxedStrategy<Generated> {
    let grade_shapes = prop::collection::vec(
        Just(LABELS.to_vec()).prop_shuffle().prop_flat_map(|l| {
            (2..=4usize).prop_map(move |n| l[..n].iter().map(|s| s.to_string()).collect())
        }),
        0..=2,
    );
    (
        field_specs(),
        1..=3usize,
        grade_shapes,
        prop::bool::weighted(0.6),
    )
        .prop_flat_map(
            |(fields, n_scores, shapes, plain): (_, _, Vec<Vec<String>>, _)| {
                let base = Ctx {
                    plain,
                    ..Ctx::of(&fields)
                };
                let scores: Vec<_> = (0..n_scores).map(|_| score_block(&base)).collect();
                let mut upper = base.clone();
                upper.scores = (0..n_scores).map(|i| format!("s{i}")).collect();
                let grades: Vec<_> = shapes
                    .iter()
                    .enumerate()
                    .map(|(i, labels)| {
                        let mut ctx = upper.clone();
                        ctx.grades = shapes[..i]
                            .iter()
                            .enumerate()
                            .map(|(j, l)| (format!("g{j}"), l.clone()))
                            .collect();
                        let (last, lines) = labels.split_last().unwrap();
                        let lines: Vec<S> = lines
                            .iter()
                            .map(|l| {
                                let l = l.clone();
                                cond(&ctx, 2)
                                    .prop_map(move |c| format!("{l}\u{0}{c}"))
                                    .boxed()
                            })
                            .collect();
                        (Just(format!("g{i}")), lines, Just(last.clone()))
                    })
                    .collect();
                let mut route_ctx = upper.clone();
                route_ctx.grades = shapes
                    .iter()
                    .enumerate()
                    .map(|(j, l)| (format!("g{j}"), l.clone()))
                    .collect();
                (
                    Just(fields),
                    scores,
                    grades,
                    prop::collection::vec(route_rule(&route_ctx), 1..=4),
                    otherwise_rule(),
                    Just(RULE_NAMES.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                        .prop_shuffle(),
                    Just(plain),
                )
            },
        )
        .prop_map(
            |(fields, scores, grades, routes, otherwise, names, plain)| {
                let grades: Vec<GradeSpec> = grades
                    .into_iter()
                    .map(|(g, lines, last)| {
                        let lines = lines
                            .into_iter()
                            .map(|l| {
                                let (label, when) = l.split_once('\u{0}').unwrap();
                                (label.to_string(), when.to_string())
                            })
                            .collect();
                        (g, lines, last)
                    })
                    .collect();
                let source = render(&fields, &scores, &grades, &routes, &otherwise, &names);
                let cols = fields
                    .iter()
                    .map(|f| Col {
                        name: f.name.clone(),
                        key: f.key.clone().unwrap_or_else(|| f.name.clone()),
                        ty: f.ty,
                        required: f.required || f.id,
                    })
                    .collect();
                Generated {
                    source,
                    cols,
                    plain,
                }
            },
        )
        .boxed()
}

// --------------------------------------------------------- random batches

/// One input column's values, by Arrow type.
#[derive(Debug, Clone)]
enum Data {
    Utf8(Vec<Option<String>>),
    LargeUtf8(Vec<Option<String>>),
    View(Vec<Option<String>>),
    /// Dictionary-encoded texts: keys Int32, Int16, UInt32 or Int8 (by the
    /// first number), values Utf8, LargeUtf8 or Utf8View (by the second);
    /// rows whose value is null alternate between a null key and a key to a
    /// null value, and one value is used by no row.
    Dict(Vec<Option<String>>, u8, u8),
    /// Dictionary-encoded numbers (a pandas categorical of floats).
    DictNum(Vec<Option<f64>>, u8),
    F64(Vec<Option<f64>>),
    F32(Vec<Option<f32>>),
    I64(Vec<Option<i64>>),
    I32(Vec<Option<i32>>),
    U64(Vec<Option<u64>>),
    Bool(Vec<Option<bool>>),
    /// Milliseconds since the epoch, written as the unit the variant names.
    TsMs(Vec<Option<i64>>),
    TsUs(Vec<Option<i64>>),
    TsSecTz(Vec<Option<i64>>),
    TsNs(Vec<Option<i64>>),
    Date32(Vec<Option<i64>>),
    Date64(Vec<Option<i64>>),
    List(Vec<Option<Vec<Option<String>>>>),
    LargeList(Vec<Option<Vec<Option<String>>>>),
    ListI64(Vec<Option<Vec<Option<i64>>>>),
    Decimal(Vec<Option<i128>>),
    Binary(Vec<Option<Vec<u8>>>),
    Null(usize),
    /// pandas' Period extension type over int64: a bad value in every row.
    Period(Vec<Option<i64>>),
}

/// The values of a dictionary for `v` (each distinct value once, then
/// `unused`, then a null) and each row's key.
fn dictionary<T: PartialEq + Clone>(
    v: &[Option<T>],
    unused: T,
) -> (Vec<Option<T>>, Vec<Option<usize>>) {
    let mut values: Vec<Option<T>> = Vec::new();
    for x in v.iter().flatten() {
        if !values.iter().any(|y| y.as_ref() == Some(x)) {
            values.push(Some(x.clone()));
        }
    }
    values.push(Some(unused));
    values.push(None);
    let null_value = values.len() - 1;
    let keys = v
        .iter()
        .enumerate()
        .map(|(row, x)| match x {
            Some(x) => values.iter().position(|y| y.as_ref() == Some(x)),
            None if row % 2 == 0 => None,
            None => Some(null_value),
        })
        .collect();
    (values, keys)
}

fn dictionary_array(keys: &[Option<usize>], values: ArrayRef, kind: u8) -> ArrayRef {
    use arrow_array::types::{Int8Type, UInt32Type};
    use arrow_array::{DictionaryArray, Int16Array, Int8Array, UInt32Array};
    let wide = |k: usize| i32::try_from(k).unwrap();
    match kind % 4 {
        0 => Arc::new(
            DictionaryArray::<Int32Type>::try_new(
                keys.iter().map(|k| k.map(wide)).collect::<Int32Array>(),
                values,
            )
            .unwrap(),
        ),
        2 => Arc::new(
            DictionaryArray::<UInt32Type>::try_new(
                keys.iter()
                    .map(|k| k.map(|k| u32::try_from(k).unwrap()))
                    .collect::<UInt32Array>(),
                values,
            )
            .unwrap(),
        ),
        3 if values.len() <= 127 => Arc::new(
            DictionaryArray::<Int8Type>::try_new(
                keys.iter()
                    .map(|k| k.map(|k| i8::try_from(k).unwrap()))
                    .collect::<Int8Array>(),
                values,
            )
            .unwrap(),
        ),
        _ => Arc::new(
            DictionaryArray::<Int16Type>::try_new(
                keys.iter()
                    .map(|k| k.map(|k| i16::try_from(k).unwrap()))
                    .collect::<Int16Array>(),
                values,
            )
            .unwrap(),
        ),
    }
}

fn strs(v: &[Option<String>]) -> Vec<Option<&str>> {
    v.iter().map(Option::as_deref).collect()
}

fn string_list<O: arrow_array::OffsetSizeTrait>(
    v: &[Option<Vec<Option<String>>>],
) -> arrow_array::GenericListArray<O> {
    let mut b = GenericListBuilder::<O, _>::new(StringBuilder::new());
    for l in v {
        match l {
            Some(items) => {
                for i in items {
                    b.values().append_option(i.as_deref());
                }
                b.append(true);
            }
            None => b.append(false),
        }
    }
    b.finish()
}

impl Data {
    fn array(&self) -> (ArrayRef, Option<&'static str>) {
        let ms = |v: &Vec<Option<i64>>, f: fn(i64) -> i64| -> Vec<Option<i64>> {
            v.iter().map(|x| x.map(f)).collect()
        };
        let a: ArrayRef = match self {
            Data::Utf8(v) => Arc::new(StringArray::from(strs(v))),
            Data::LargeUtf8(v) => Arc::new(LargeStringArray::from(strs(v))),
            Data::View(v) => Arc::new(StringViewArray::from(strs(v))),
            Data::Dict(v, keys, kind) => {
                let (values, at) = dictionary(v, "a value no row uses".to_string());
                let values = strs(&values);
                let values: ArrayRef = match kind % 3 {
                    0 => Arc::new(StringArray::from(values)),
                    1 => Arc::new(LargeStringArray::from(values)),
                    _ => Arc::new(StringViewArray::from(values)),
                };
                dictionary_array(&at, values, *keys)
            }
            Data::DictNum(v, keys) => {
                // By their bits: a NaN is one value.
                let bits: Vec<Option<u64>> = v.iter().map(|x| x.map(f64::to_bits)).collect();
                let (values, at) = dictionary(&bits, (-1.5f64).to_bits());
                let values: Float64Array = values.iter().map(|x| x.map(f64::from_bits)).collect();
                dictionary_array(&at, Arc::new(values), *keys)
            }
            Data::F64(v) => Arc::new(Float64Array::from(v.clone())),
            Data::F32(v) => Arc::new(Float32Array::from(v.clone())),
            Data::I64(v) => Arc::new(Int64Array::from(v.clone())),
            Data::I32(v) => Arc::new(Int32Array::from(v.clone())),
            Data::U64(v) => Arc::new(UInt64Array::from(v.clone())),
            Data::Bool(v) => Arc::new(BooleanArray::from(v.clone())),
            Data::TsMs(v) => Arc::new(TimestampMillisecondArray::from(v.clone())),
            Data::TsUs(v) => Arc::new(TimestampMicrosecondArray::from(ms(v, |m| {
                m.saturating_mul(1000) + m.rem_euclid(7) * 111
            }))),
            Data::TsSecTz(v) => Arc::new(
                TimestampSecondArray::from(ms(v, |m| m.div_euclid(1000))).with_timezone("+01:00"),
            ),
            Data::TsNs(v) => Arc::new(
                TimestampNanosecondArray::from(ms(v, |m| m.saturating_mul(1_000_000)))
                    .with_timezone("UTC"),
            ),
            Data::Date32(v) => Arc::new(Date32Array::from(
                v.iter()
                    .map(|x| x.map(|m| i32::try_from(m.div_euclid(86_400_000)).unwrap_or(0)))
                    .collect::<Vec<_>>(),
            )),
            Data::Date64(v) => Arc::new(Date64Array::from(v.clone())),
            Data::List(v) => Arc::new(string_list::<i32>(v)),
            Data::LargeList(v) => Arc::new(string_list::<i64>(v)),
            Data::ListI64(v) => {
                let mut b = ListBuilder::new(Int64Builder::new());
                for l in v {
                    match l {
                        Some(items) => {
                            items.iter().for_each(|i| b.values().append_option(*i));
                            b.append(true);
                        }
                        None => b.append(false),
                    }
                }
                Arc::new(b.finish())
            }
            Data::Decimal(v) => Arc::new(
                Decimal128Array::from(v.clone())
                    .with_precision_and_scale(12, 2)
                    .unwrap(),
            ),
            Data::Binary(v) => Arc::new(BinaryArray::from_opt_vec(
                v.iter().map(|b| b.as_deref()).collect(),
            )),
            Data::Null(n) => Arc::new(NullArray::new(*n)),
            Data::Period(v) => Arc::new(Int64Array::from(v.clone())),
        };
        let extension = matches!(self, Data::Period(_)).then_some("pandas.period");
        (a, extension)
    }
}

const GENERAL: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "\u{3000}",
    "abc",
    "İstanbul",
    "ß",
    "12.5",
    " 7 ",
    "1e3",
    "yes",
    "No",
    "0",
    "2026-11-01",
    "2026-11-01T10:00:00Z",
    "garbage ☃",
    "null",
    "NaN",
    "x\"y\\z",
    "a;b",
    "-0",
    "a long value that goes on past sixty characters: ü ü ü ü ü ü ü ü ü ü ü ü",
    "x@Corp.IO",
    "a@b@gmail.com",
    "@",
];
const NUMBER_OK: &[&str] = &[
    "0",
    "1",
    "5",
    "10",
    "12.5",
    " 7 ",
    "1e3",
    "-3",
    "+5",
    ".5",
    "5.",
    "0.1",
    "1800",
    "100",
    "-0",
    "30",
    "60",
    "  ",
    "",
    "00012",
    "1.5e-3",
    "1E2",
    "9007199254740993",
    "4.9e-324",
];
const NUMBER_BAD: &[&str] = &[
    "1_000", "1,200", "fifty", "NaN", "Infinity", "inf", "1e400", "0x10", "1e-400", "- 5", "1.2.3",
];
const BOOL_OK: &[&str] = &[
    "true", "false", "yes", "No", "Y", "n", "1", "0", " TRUE ", "",
];
const BOOL_BAD: &[&str] = &["maybe", "1.0", "2", "on"];
const DATE_OK: &[&str] = &[
    "2026-11-01",
    "2026-11-22",
    "2026-11-23",
    "2026-11-22T10:00:00Z",
    "2026-11-23T00:00:00.001Z",
    "2026-10-24T00:00:00+02:00",
    "2026-11-22 10:00:00",
    "2026-11-23t00:00:00z",
    "2027-01-01",
    "2026-11-21T10:00:00Z",
    "",
];
const DATE_BAD: &[&str] = &["2026-02-30", "23/11/2026", "2026-11", "yesterday"];
const LIST_OK: &[&str] = &[
    "webinar",
    "a; b",
    "WEBINAR;x",
    " ; ",
    "ebook; Webinar ;",
    "İstanbul",
    ";;",
    "",
];

/// Texts for a text field: the agreements' constants in several cases and
/// paddings, and the general pool.
fn words_of(source: &str) -> Vec<String> {
    let mut out: Vec<String> = TEXTS.iter().map(|s| s.to_string()).collect();
    // The string literals of the source (rule names and keys too: harmless).
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut s = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some(n) = chars.next() {
                            s.push(n);
                        }
                    }
                    c => s.push(c),
                }
            }
            if s.chars().count() <= 40 {
                out.push(s);
            }
        }
    }
    let mut all = Vec::new();
    for w in out {
        for v in [
            w.clone(),
            w.to_uppercase(),
            w.to_lowercase(),
            format!("  {w} "),
            format!("{w}x"),
            format!("x {w}"),
        ] {
            if !all.contains(&v) {
                all.push(v);
            }
        }
    }
    all
}

/// Twins of the long texts among `words`: the same length and the same
/// first and last eight bytes, another middle (a table of distinct texts
/// keyed by their ends must still tell them apart).
fn twins(words: &Arc<Vec<String>>) -> S {
    let long: Vec<String> = words.iter().filter(|w| w.len() > 17).cloned().collect();
    if long.is_empty() {
        return pick(TEXTS);
    }
    (
        pick_owned(&long),
        any::<u16>(),
        prop::sample::select(vec!['x', 'é', 'A']),
    )
        .prop_map(|(w, at, c)| {
            let b = w.as_bytes();
            let middle = 8..b.len() - 8;
            let at = middle.start + usize::from(at) % middle.len();
            let mut out = b.to_vec();
            let mut buf = [0u8; 4];
            let c = c.encode_utf8(&mut buf).as_bytes();
            // Replace one byte of the middle by a one-byte letter, or two by
            // a two-byte one, keeping the length (and the ends).
            if c.len() == 1 || at + 1 >= middle.end {
                out[at] = b'x';
            } else {
                out[at..at + 2].copy_from_slice(c);
            }
            String::from_utf8(out).unwrap_or(w)
        })
        .boxed()
}

/// Strings for a field of type `ty`; `dirt` weighs the bad and unrelated ones.
fn strings(ty: Ty, words: &Arc<Vec<String>>, dirt: u32) -> BoxedStrategy<String> {
    let ok: S = match ty {
        Ty::Text => union(vec![
            (8, pick_owned(words)),
            (2, pick(GENERAL)),
            (1, twins(words)),
        ]),
        Ty::Number => union(vec![
            (4, pick(NUMBER_OK)),
            (1, (-1e6..1e6f64).prop_map(|x| x.to_string()).boxed()),
            (1, any::<i32>().prop_map(|x| format!(" {x} ")).boxed()),
        ]),
        Ty::Bool => pick(BOOL_OK),
        Ty::Date => union(vec![
            (3, pick(DATE_OK)),
            (
                1,
                instants()
                    .prop_map(|ms| Timestamp::from_unix_ms(ms).to_string())
                    .boxed(),
            ),
        ]),
        Ty::List => union(vec![(3, pick(LIST_OK)), (1, pick_owned(words))]),
    };
    let bad: S = match ty {
        Ty::Number => pick(NUMBER_BAD),
        Ty::Bool => pick(BOOL_BAD),
        Ty::Date => pick(DATE_BAD),
        Ty::Text | Ty::List => pick(GENERAL),
    };
    let mut u = vec![(20, ok), (2, "[ a-zA-Z0-9;.@ü-]{0,12}".boxed())];
    if dirt > 0 {
        u.push((dirt, bad));
        u.push((dirt, pick(GENERAL)));
    }
    union(u)
}

fn floats(ty: Ty, dirt: u32) -> BoxedStrategy<f64> {
    let nums = prop::sample::select(vec![
        0.0,
        1.0,
        2.0,
        5.0,
        10.0,
        12.5,
        20.0,
        30.0,
        60.0,
        100.0,
        1000.0,
        1800.0,
        0.1,
        0.2,
        0.3,
        -3.0,
        -0.0,
        2.5,
        1e308,
        f64::MAX,
        5e-324,
        1e16,
    ]);
    let bad = prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY]);
    let ok = match ty {
        Ty::Date => instants().prop_map(|ms| ms as f64 / 1000.0).boxed(),
        Ty::Bool => prop::sample::select(vec![0.0, 1.0, -0.0]).boxed(),
        _ => prop_oneof![3 => nums, 1 => -1e4..1e4f64].boxed(),
    };
    let mut u = vec![(20, ok)];
    if dirt > 0 {
        u.push((dirt, bad.boxed()));
        u.push((dirt, prop::sample::select(vec![0.5, 2.0, 1e300]).boxed()));
    }
    Union::new_weighted(u).boxed()
}

fn ints(ty: Ty, dirt: u32) -> BoxedStrategy<i64> {
    let ok = match ty {
        Ty::Date => instants().prop_map(|ms| ms.div_euclid(1000)).boxed(),
        Ty::Bool => prop::sample::select(vec![0i64, 1]).boxed(),
        _ => prop_oneof![
            3 => prop::sample::select(vec![0i64, 1, 2, 5, 10, 20, 30, 60, 100, 1000, 1800, -3]),
            1 => -5000i64..5000,
        ]
        .boxed(),
    };
    let mut u = vec![(20, ok)];
    if dirt > 0 {
        u.push((
            dirt,
            prop::sample::select(vec![i64::MAX, i64::MIN, 2, -1, 9_007_199_254_740_993]).boxed(),
        ));
    }
    Union::new_weighted(u).boxed()
}

fn ms_of(date: &str) -> i64 {
    Timestamp::parse(date).unwrap().unix_ms()
}

/// Instants (ms) around the scoring instants, many exactly a duration of
/// the agreements (or a millisecond more or less) before one of them.
fn instants() -> BoxedStrategy<i64> {
    let anchors: Vec<i64> = AS_OFS.iter().map(|d| ms_of(d)).collect();
    let back = prop::sample::select(vec![
        0i64,
        90 * 60_000,
        12 * 3_600_000,
        86_400_000,
        30 * 86_400_000,
        14 * 86_400_000,
        -86_400_000,
        365 * 86_400_000,
    ]);
    prop_oneof![
        8 => (prop::sample::select(anchors.clone()), back, prop::sample::select(vec![0i64, 0, 1, -1]))
            .prop_map(|(a, b, e)| a - b + e),
        4 => (prop::sample::select(anchors), -90 * 86_400_000i64..90 * 86_400_000)
            .prop_map(|(a, d)| a + d),
        1 => prop::sample::select(vec![0i64, i64::MAX / 1_000_000, -62_135_596_800_000]),
    ]
    .boxed()
}

fn string_items(words: &Arc<Vec<String>>) -> BoxedStrategy<Vec<Option<String>>> {
    prop::collection::vec(
        prop::option::weighted(
            0.9,
            union(vec![
                (
                    3,
                    pick(&["webinar", "WEBINAR", " ebook ", "", "  ", "a", "İstanbul"]),
                ),
                (2, pick_owned(words)),
            ]),
        ),
        0..4,
    )
    .boxed()
}

/// `n` values, each present with probability `present`.
fn values<T: std::fmt::Debug + Clone + 'static>(
    present: f64,
    n: usize,
    s: BoxedStrategy<T>,
) -> BoxedStrategy<Vec<Option<T>>> {
    if present >= 1.0 {
        prop::collection::vec(s.prop_map(Some), n).boxed()
    } else if present <= 0.0 {
        Just(vec![None; n]).boxed()
    } else {
        prop::collection::vec(prop::option::weighted(present, s), n).boxed()
    }
}

/// One column of `n` values for a field of type `ty`, of an Arrow type
/// chosen among those a front may send (the wrong ones included).
fn column(ty: Ty, required: bool, n: usize, words: Arc<Vec<String>>) -> BoxedStrategy<Data> {
    let present = if required {
        vec![1.0, 1.0, 1.0, 0.97]
    } else {
        vec![1.0, 1.0, 0.9, 0.5, 0.0]
    };
    let dirt = if required {
        vec![0u32]
    } else {
        vec![0u32, 0, 0, 1, 6]
    };
    (prop::sample::select(present), prop::sample::select(dirt))
        .prop_flat_map(move |(present, dirt)| {
            let st = || strings(ty, &words, dirt);
            let w = |t: &[Ty], hit: u32, miss: u32| match (t.contains(&ty), required) {
                (true, _) => hit,
                (false, false) => miss,
                (false, true) => 0,
            };
            use Ty::*;
            let kinds: Vec<(u32, BoxedStrategy<Data>)> = vec![
                (
                    w(&[Text, Number, Bool, Date, List], 6, 0),
                    values(present, n, st()).prop_map(Data::Utf8).boxed(),
                ),
                (
                    w(&[Text, Number, Bool, Date, List], 1, 0),
                    values(present, n, st()).prop_map(Data::LargeUtf8).boxed(),
                ),
                (
                    w(&[Text], 3, 1),
                    values(present, n, st()).prop_map(Data::View).boxed(),
                ),
                (
                    w(&[Text, List], 3, 1),
                    (values(present, n, st()), any::<u8>(), any::<u8>())
                        .prop_map(|(v, k, w)| Data::Dict(v, k, w))
                        .boxed(),
                ),
                (
                    w(&[Number], 1, 0),
                    (values(present, n, floats(ty, dirt)), any::<u8>())
                        .prop_map(|(v, k)| Data::DictNum(v, k))
                        .boxed(),
                ),
                (
                    w(&[Number], 5, 1),
                    values(present, n, floats(ty, dirt))
                        .prop_map(Data::F64)
                        .boxed(),
                ),
                (
                    w(&[Number], 1, 0),
                    values(present, n, floats(ty, dirt).prop_map(|x| x as f32).boxed())
                        .prop_map(Data::F32)
                        .boxed(),
                ),
                (
                    w(&[Number, Bool], 3, 1),
                    values(present, n, ints(ty, dirt))
                        .prop_map(Data::I64)
                        .boxed(),
                ),
                (
                    w(&[Number], 2, 1),
                    values(present, n, ints(ty, dirt).prop_map(|x| x as i32).boxed())
                        .prop_map(Data::I32)
                        .boxed(),
                ),
                (
                    w(&[Number], 1, 0),
                    values(present, n, (0u64..2000).boxed())
                        .prop_map(Data::U64)
                        .boxed(),
                ),
                (
                    w(&[Bool], 6, 1),
                    values(present, n, any::<bool>().boxed())
                        .prop_map(Data::Bool)
                        .boxed(),
                ),
                (
                    w(&[Date], 4, 0),
                    values(present, n, instants()).prop_map(Data::TsMs).boxed(),
                ),
                (
                    w(&[Date], 3, 0),
                    values(present, n, instants()).prop_map(Data::TsUs).boxed(),
                ),
                (
                    w(&[Date], 1, 0),
                    values(present, n, instants())
                        .prop_map(Data::TsSecTz)
                        .boxed(),
                ),
                (
                    w(&[Date], 1, 0),
                    values(present, n, instants()).prop_map(Data::TsNs).boxed(),
                ),
                (
                    w(&[Date], 2, 0),
                    values(present, n, instants())
                        .prop_map(Data::Date32)
                        .boxed(),
                ),
                (
                    w(&[Date], 1, 0),
                    values(present, n, instants())
                        .prop_map(Data::Date64)
                        .boxed(),
                ),
                (
                    w(&[Date], 1, 0),
                    values(present, n, instants())
                        .prop_map(Data::Period)
                        .boxed(),
                ),
                (
                    w(&[List], 8, 1),
                    values(present, n, string_items(&words))
                        .prop_map(Data::List)
                        .boxed(),
                ),
                (
                    w(&[List], 1, 0),
                    values(present, n, string_items(&words))
                        .prop_map(Data::LargeList)
                        .boxed(),
                ),
                (
                    w(&[List], 1, 0),
                    values(
                        present,
                        n,
                        prop::collection::vec(prop::option::of(-5i64..20), 0..3).boxed(),
                    )
                    .prop_map(Data::ListI64)
                    .boxed(),
                ),
                (
                    w(&[Number, Text], 1, 0),
                    values(present, n, (-100_000i128..100_000).boxed())
                        .prop_map(Data::Decimal)
                        .boxed(),
                ),
                (
                    w(&[], 0, 1),
                    values(present, n, prop::collection::vec(any::<u8>(), 0..4).boxed())
                        .prop_map(Data::Binary)
                        .boxed(),
                ),
                (w(&[], 0, 1), Just(Data::Null(n)).boxed()),
            ];
            Union::new_weighted(kinds.into_iter().filter(|(w, _)| *w > 0).collect())
        })
        .boxed()
}

/// The columns of a random batch, before it is put together.
#[derive(Clone)]
struct BatchSpec {
    rows: usize,
    /// Per field (in the order of `cols`): its column, or none.
    fields: Vec<Option<Data>>,
    /// Per field: a column named by the field's name rather than its key
    /// (read by neither path when the two differ).
    by_name: Vec<Option<Data>>,
    /// Unused columns.
    extra: Vec<(String, Data)>,
    /// A second column under a field's key: (field, data, placed first).
    duplicate: Option<(usize, Data, bool)>,
    /// The order of the columns (a permutation seed).
    order: Vec<u16>,
}

impl Data {
    fn kind(&self) -> String {
        let text = format!("{self:?}");
        text.split('(').next().unwrap_or_default().to_string()
    }
}

impl std::fmt::Debug for BatchSpec {
    /// The shape only (the failure message shows the differing row).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kinds = |v: &[Option<Data>]| -> Vec<String> {
            v.iter()
                .map(|d| d.as_ref().map_or("absent".into(), Data::kind))
                .collect()
        };
        write!(
            f,
            "BatchSpec {{ rows: {}, fields: {:?}, by_name: {:?}, extra: {:?}, duplicate: {:?} }}",
            self.rows,
            kinds(&self.fields),
            kinds(&self.by_name),
            self.extra
                .iter()
                .map(|(n, d)| format!("{n:?}: {}", d.kind()))
                .collect::<Vec<_>>(),
            self.duplicate
                .as_ref()
                .map(|(i, d, first)| format!("field {i}: {}, first: {first}", d.kind()))
        )
    }
}

fn rows() -> BoxedStrategy<usize> {
    prop_oneof![1 => Just(0usize), 3 => 1..12usize, 6 => 12..300usize].boxed()
}

fn batch_spec(cols: Arc<Vec<Col>>, words: Arc<Vec<String>>) -> BoxedStrategy<BatchSpec> {
    rows()
        .prop_flat_map(move |n| {
            let fields: Vec<_> = cols
                .iter()
                .map(|c| {
                    let present = if c.required { 0.98 } else { 0.9 };
                    prop::option::weighted(present, column(c.ty, c.required, n, words.clone()))
                })
                .collect();
            let by_name: Vec<_> = cols
                .iter()
                .map(|c| prop::option::weighted(0.2, column(c.ty, false, n, words.clone())))
                .collect();
            let extra = prop::collection::vec(
                (
                    pick(&["unused", "extra ☃", "Unused", ""]),
                    column(Ty::Text, false, n, words.clone()),
                ),
                0..3,
            );
            let duplicate = if cols.is_empty() {
                Just(None).boxed()
            } else {
                let k = cols.len();
                let cols = cols.clone();
                let words = words.clone();
                prop::option::weighted(
                    0.2,
                    (0..k).prop_flat_map(move |i| {
                        (
                            Just(i),
                            column(cols[i].ty, false, n, words.clone()),
                            any::<bool>(),
                        )
                    }),
                )
                .boxed()
            };
            let order = prop::collection::vec(any::<u16>(), cols.len() * 2 + 4);
            (Just(n), fields, by_name, extra, duplicate, order)
        })
        .prop_map(
            |(rows, fields, by_name, extra, duplicate, order)| BatchSpec {
                rows,
                fields,
                by_name,
                extra,
                duplicate,
                order,
            },
        )
        .boxed()
}

fn make_batch(cols: &[Col], spec: &BatchSpec) -> RecordBatch {
    let mut columns: Vec<(String, &Data)> = Vec::new();
    for (c, d) in cols.iter().zip(&spec.fields) {
        if let Some(d) = d {
            columns.push((c.key.clone(), d));
        }
    }
    for (c, d) in cols.iter().zip(&spec.by_name) {
        if let Some(d) = d {
            if c.name != c.key && !cols.iter().any(|o| o.key == c.name) {
                columns.push((c.name.clone(), d));
            }
        }
    }
    for (name, d) in &spec.extra {
        columns.push((name.clone(), d));
    }
    // A stable shuffle: the order of the columns does not matter.
    let mut keyed: Vec<(u16, (String, &Data))> = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| (spec.order.get(i).copied().unwrap_or(0), c))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    let mut columns: Vec<(String, &Data)> = keyed.into_iter().map(|(_, c)| c).collect();
    if let Some((i, d, first)) = &spec.duplicate {
        let key = cols[*i].key.clone();
        let at = columns.iter().position(|(n, _)| *n == key);
        match (at, first) {
            (Some(at), true) => columns.insert(at, (key, d)),
            _ => columns.push((key, d)),
        }
    }
    let mut fields = Vec::new();
    let mut arrays = Vec::new();
    for (name, d) in columns {
        let (array, extension) = d.array();
        let mut field = Field::new(name, array.data_type().clone(), true);
        if let Some(e) = extension {
            field = field.with_metadata(HashMap::from([(
                "ARROW:extension:name".to_string(),
                e.to_string(),
            )]));
        }
        fields.push(field);
        arrays.push(array);
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(spec.rows)),
    )
    .unwrap()
}

// ---------------------------------------------------------------- options

#[derive(Debug, Clone)]
struct Opts {
    as_of: &'static str,
    lenient: bool,
    explain: bool,
    prefix: &'static str,
    /// Where a further slice starts, and its length.
    cut: (usize, usize),
}

impl Opts {
    fn score(&self) -> ScoreOptions {
        let bad = if self.lenient {
            OnBadValue::Missing
        } else {
            OnBadValue::Error
        };
        common::at(self.as_of)
            .on_bad_value(bad)
            .explain(self.explain)
    }
}

fn options() -> BoxedStrategy<Opts> {
    (
        prop::sample::select(AS_OFS.to_vec()),
        any::<bool>(),
        prop::bool::weighted(0.7),
        prop::sample::select(vec!["", "p_", "décision."]),
        (0..40usize, 0..300usize),
    )
        .prop_map(|(as_of, lenient, explain, prefix, cut)| Opts {
            as_of,
            lenient,
            explain,
            prefix,
            cut,
        })
        .boxed()
}

/// Compiles, makes the batch, compares. `Ok(None)`: the agreement does not
/// compile or has no decision columns under the prefix (skipped).
fn run_case(
    source: &str,
    cols: &[Col],
    specs: &[BatchSpec],
    o: &Opts,
) -> Result<Option<bool>, String> {
    let Ok(a) = Agreement::compile(source) else {
        return Ok(None);
    };
    let Ok(columns) = a.decision_columns(o.prefix) else {
        return Ok(None);
    };
    let batches: Vec<RecordBatch> = specs.iter().map(|s| make_batch(cols, s)).collect();
    let batches: Vec<&RecordBatch> = batches.iter().collect();
    compare(&a, &o.score(), &columns, &batches, o.cut).map(Some)
}

/// A generated agreement with a batch for its fields.
fn generated_case() -> BoxedStrategy<(Generated, Vec<BatchSpec>, Opts)> {
    agreement()
        .prop_flat_map(|g| {
            let cols = Arc::new(g.cols.clone());
            let words = Arc::new(words_of(&g.source));
            (
                Just(g),
                prop::collection::vec(batch_spec(cols, words), 2),
                options(),
            )
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_shrink_iters: 400,
        ..ProptestConfig::default()
    })]

    /// Random agreements, random batches: columnar == per-lead.
    #[test]
    fn random_agreements_score_alike((g, specs, o) in generated_case()) {
        let outcome = run_case(&g.source, &g.cols, &specs, &o);
        prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
    }
}

// ---------------------------------------------------- the bundled agreements

fn bundled_files() -> Vec<PathBuf> {
    let root = common::repo_root();
    let mut files = Vec::new();
    for dir in ["rules-examples", "tests/agreements"] {
        let mut here: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lead"))
            .collect();
        here.sort();
        files.extend(here);
    }
    files.push(root.join("benches/compare/agreement.lead"));
    files
}

/// The bundled agreements that compile, with their file names.
static BUNDLED: LazyLock<Vec<(String, Agreement)>> = LazyLock::new(|| {
    bundled_files()
        .iter()
        .filter_map(|p| {
            let src = std::fs::read_to_string(p).ok()?;
            let name = p.strip_prefix(common::repo_root()).unwrap_or(p);
            Some((name.display().to_string(), Agreement::compile(&src).ok()?))
        })
        .collect()
});

/// Which bundled agreements the columnar evaluator declines: reported, not
/// failed.
#[test]
fn bundled_agreements_the_columnar_evaluator_declines() {
    assert!(BUNDLED.len() >= 4, "bundled agreements not found");
    let opts = common::at("2026-11-23");
    for (name, a) in BUNDLED.iter() {
        let columns = a.decision_columns("").unwrap();
        match Columnar::new(a, &opts, &columns) {
            Some(_) => eprintln!("columnar: {name}: covered"),
            None => eprintln!("columnar: {name}: NOT covered (Columnar::new gives None)"),
        }
    }
}

fn bundled_case() -> BoxedStrategy<(usize, Vec<BatchSpec>, Opts)> {
    (0..BUNDLED.len())
        .prop_flat_map(|i| {
            let a = &BUNDLED[i].1;
            let cols = Arc::new(cols_of(a));
            let words = Arc::new(words_of(a.source()));
            (
                Just(i),
                prop::collection::vec(batch_spec(cols, words), 2),
                options(),
            )
        })
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        max_shrink_iters: 400,
        ..ProptestConfig::default()
    })]

    /// The bundled agreements, random batches: columnar == per-lead.
    #[test]
    fn bundled_agreements_score_alike((i, specs, o) in bundled_case()) {
        let (name, a) = &BUNDLED[i];
        let columns = a.decision_columns(o.prefix).unwrap();
        let batches: Vec<RecordBatch> = specs.iter().map(|s| make_batch(&cols_of(a), s)).collect();
        let batches: Vec<&RecordBatch> = batches.iter().collect();
        let outcome = compare(a, &o.score(), &columns, &batches, o.cut);
        prop_assert!(outcome.is_ok(), "{name}: {}", outcome.unwrap_err());
    }
}

// ---------------------------------------------- the generators themselves

/// The generators make what the comparisons need: agreements that compile,
/// and batches whose leads reach every destination, fire rules, score
/// fractions and get rejected (a test that compares only errors proves
/// nothing). Prints the figures.
#[test]
fn the_generators_cover_what_they_should() {
    let mut runner = TestRunner::deterministic();
    let strategy = generated_case();
    let (mut compiled, mut failed, mut rows, mut errors, mut fractions, mut fired) =
        (0, 0, 0, 0, 0, 0);
    let mut routes: HashMap<String, usize> = HashMap::new();
    let mut first_error = None;
    let (mut declined, mut plain, mut negative_zeros) = ([0, 0], 0, 0);
    for _ in 0..100 {
        let (g, specs, o) = strategy.new_tree(&mut runner).unwrap().current();
        let spec = &specs[0];
        let a = match Agreement::compile(&g.source) {
            Ok(a) => a,
            Err(e) => {
                failed += 1;
                first_error.get_or_insert_with(|| {
                    format!("{}\n{}", g.source, e.with_file_name("generated").render())
                });
                continue;
            }
        };
        compiled += 1;
        let columns = a.decision_columns("").unwrap();
        if Columnar::new(&a, &o.score(), &columns).is_none() {
            declined[usize::from(g.plain)] += 1;
        }
        plain += usize::from(g.plain);
        let out = per_lead(&a, &o.score(), &columns, &make_batch(&g.cols, spec));
        rows += out.num_rows();
        let route = out.column_by_name("route").unwrap().as_string::<i32>();
        let error = out.column_by_name("error").unwrap();
        let total = out
            .column_by_name("total")
            .unwrap()
            .as_primitive::<Float64Type>();
        let list = out.column_by_name("fired").unwrap().as_list::<i32>();
        for r in 0..out.num_rows() {
            if error.is_valid(r) {
                errors += 1;

                continue;
            }
            *routes.entry(route.value(r).to_string()).or_default() += 1;
            fractions += usize::from(total.value(r).fract() != 0.0);
            for (f, c) in out.schema().fields().iter().zip(out.columns()) {
                if f.name().starts_with('s') && *f.data_type() == DataType::Float64 {
                    let x = c.as_primitive::<Float64Type>().value(r);
                    negative_zeros += usize::from(x == 0.0 && x.is_sign_negative());
                }
            }
            fired += usize::from(list.value_length(r) > 0);
        }
    }
    eprintln!(
        "generators: {compiled} agreements compiled, {failed} did not; {rows} rows: {errors} rejected, \
         {fractions} with a fractional total, {fired} with fired rules, {negative_zeros} scores of -0.0; \
         routes {routes:?}"
    );
    eprintln!(
        "generators: Columnar::new declined {} of {plain} plain agreements and {} of {} others",
        declined[1],
        declined[0],
        compiled - plain
    );
    assert!(
        failed * 10 <= compiled,
        "too many generated agreements do not compile ({failed} of {}); the first:\n{}",
        compiled + failed,
        first_error.unwrap_or_default()
    );
    let scored = rows - errors;
    assert!(
        errors * 20 > rows && scored * 2 > rows,
        "{errors} of {rows} rejected"
    );
    assert!(
        fractions * 20 > scored,
        "{fractions} of {scored} with a fractional total"
    );
    assert!(fired * 4 > scored, "{fired} of {scored} fired a rule");
    for dest in ["sales", "nurture", "telemarketing"] {
        assert!(
            routes.get(dest).copied().unwrap_or(0) * 20 > scored,
            "{dest}: {routes:?}"
        );
    }
}

// ------------------------------------------------ the conformance corpus

fn conformance_files() -> Vec<PathBuf> {
    let dir = common::repo_root().join("tests/conformance/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".json") && !name.contains(".expected")
        })
        .collect();
    files.sort();
    files
}

/// The leads of a conformance case as a record batch, one column per key
/// (in order of first appearance), typed by the key's non-null values:
/// all strings → Utf8; all bools → Boolean; all integers that fit i64 →
/// Int64; all numbers → Float64; all arrays of strings (and nulls) →
/// List<Utf8>. Any other mix → Utf8, strings as they are and every other
/// value as its JSON text (so `17` and `"17"` both read as the text `17`).
/// A null or absent value is null. `dictionary`: Utf8 columns
/// dictionary-encoded instead.
fn leads_batch(
    leads: &[serde_json::Map<String, serde_json::Value>],
    dictionary: bool,
) -> RecordBatch {
    use serde_json::Value as J;
    let mut keys: Vec<&String> = Vec::new();
    for l in leads {
        for k in l.keys() {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for k in keys {
        let values: Vec<Option<&J>> = leads
            .iter()
            .map(|l| l.get(k).filter(|v| !v.is_null()))
            .collect();
        let all = |f: fn(&J) -> bool| values.iter().flatten().all(|v| f(v));
        let array: ArrayRef = if all(J::is_boolean) {
            Arc::new(BooleanArray::from(
                values
                    .iter()
                    .map(|v| v.and_then(J::as_bool))
                    .collect::<Vec<_>>(),
            ))
        } else if all(J::is_i64) {
            Arc::new(Int64Array::from(
                values
                    .iter()
                    .map(|v| v.and_then(J::as_i64))
                    .collect::<Vec<_>>(),
            ))
        } else if all(J::is_number) {
            Arc::new(Float64Array::from(
                values
                    .iter()
                    .map(|v| v.and_then(J::as_f64))
                    .collect::<Vec<_>>(),
            ))
        } else if all(|v| {
            v.as_array()
                .is_some_and(|items| items.iter().all(|i| i.is_string() || i.is_null()))
        }) {
            let lists: Vec<Option<Vec<Option<String>>>> = values
                .iter()
                .map(|v| {
                    v.and_then(J::as_array).map(|items| {
                        items
                            .iter()
                            .map(|i| i.as_str().map(str::to_string))
                            .collect()
                    })
                })
                .collect();
            Arc::new(string_list::<i32>(&lists))
        } else {
            let texts: Vec<Option<String>> = values
                .iter()
                .map(|v| {
                    v.map(|v| match v {
                        J::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                })
                .collect();
            if dictionary {
                let mut b = StringDictionaryBuilder::<Int32Type>::new();
                texts.iter().for_each(|t| b.append_option(t.as_deref()));
                Arc::new(b.finish())
            } else {
                Arc::new(StringArray::from(strs(&texts)))
            }
        };
        fields.push(Field::new(k.as_str(), array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        arrays,
        &RecordBatchOptions::new().with_row_count(Some(leads.len())),
    )
    .unwrap()
}

/// Every conformance case, its leads as one batch (and dictionary-encoded,
/// and sliced), in strict and lenient mode, with and without explanation.
#[test]
fn conformance_cases_score_alike() {
    let (mut cases, mut leads_in_all, mut declined, mut rows, mut failures) =
        (0, 0, 0, 0, Vec::new());
    for file in conformance_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let a = Agreement::compile(case["agreement"].as_str().unwrap()).unwrap();
        let as_of = case["as_of"].as_str().unwrap();
        let leads: Vec<serde_json::Map<String, serde_json::Value>> = case["leads"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l.as_object().cloned())
            .collect();
        cases += 1;
        leads_in_all += leads.len();
        for dictionary in [false, true] {
            let batch = leads_batch(&leads, dictionary);
            for bad in [OnBadValue::Error, OnBadValue::Missing] {
                for explain in [true, false] {
                    let opts = common::at(as_of).on_bad_value(bad).explain(explain);
                    let columns = a.decision_columns(if explain { "" } else { "x_" }).unwrap();
                    match compare(&a, &opts, &columns, &[&batch], (1, batch.num_rows())) {
                        Ok(true) => rows += batch.num_rows(),
                        Ok(false) => declined += 1,
                        Err(e) => failures.push(format!("{name} (dictionary {dictionary}): {e}")),
                    }
                }
            }
        }
    }
    eprintln!(
        "conformance: {cases} cases, {leads_in_all} leads; {rows} rows compared in 8 runs per case \
         (text or dictionary columns, strict or lenient, explained or not; each batch whole and \
         sliced), {declined} runs declined by Columnar::new"
    );
    assert!(cases >= 10, "conformance cases not found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ---------------------------------------------------------- the real data

/// The real CRM export, every cell as text as it is in the file (an empty
/// cell is an empty string).
fn real_batch(dictionary: bool) -> RecordBatch {
    let path = common::shared_data().join("x-education-leads.csv");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the real export lives in ../shared/data)",
                path.display()
            )
        });
    let header: Vec<String> = reader
        .byte_headers()
        .unwrap()
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let records: Vec<csv::ByteRecord> = reader.byte_records().map(Result::unwrap).collect();
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let cells: Vec<Option<String>> = records
            .iter()
            .map(|r| r.get(i).map(|c| String::from_utf8_lossy(c).into_owned()))
            .collect();
        let array: ArrayRef = if dictionary {
            let mut b = StringDictionaryBuilder::<Int32Type>::new();
            cells.iter().for_each(|c| b.append_option(c.as_deref()));
            Arc::new(b.finish())
        } else {
            Arc::new(StringArray::from(strs(&cells)))
        };
        fields.push(Field::new(name, array.data_type().clone(), true));
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).unwrap()
}

#[test]
fn the_real_export_scores_alike() {
    let root = common::repo_root();
    let mut compared = 0;
    for file in [
        "benches/compare/agreement.lead",
        "rules-examples/education-admissions.lead",
    ] {
        let a = common::compile(&std::fs::read_to_string(root.join(file)).unwrap());
        let columns = a.decision_columns("").unwrap();
        for dictionary in [false, true] {
            let batch = real_batch(dictionary);
            assert!(batch.num_rows() > 9000, "{} rows", batch.num_rows());
            for opts in [
                common::at("2026-11-23"),
                common::at("2026-11-23")
                    .explain(false)
                    .on_bad_value(OnBadValue::Missing),
            ] {
                match compare(&a, &opts, &columns, &[&batch], (4096, 1000)) {
                    Ok(true) => compared += batch.num_rows(),
                    Ok(false) => eprintln!("real data: {file}: declined by Columnar::new"),
                    Err(e) => panic!("{file} (dictionary {dictionary}): {e}"),
                }
            }
        }
    }
    eprintln!("real data: {compared} rows compared");
}

// ---------------------------------------------------- the helpers' own test

/// `assert_same` tells apart what it must: -0.0 from 0.0, an empty list
/// from a null one, one ulp, another column name.
#[test]
fn assert_same_sees_every_difference() {
    let batch = |total: f64, fired: Option<Vec<Option<String>>>, name: &str| {
        let t: ArrayRef = Arc::new(Float64Array::from(vec![Some(1.0), Some(total)]));
        let f: ArrayRef = Arc::new(string_list::<i32>(&[Some(vec![]), fired]));
        RecordBatch::try_from_iter([(name, t), ("fired", f)]).unwrap()
    };
    let base = batch(0.0, Some(vec![]), "total");
    assert_same(&base, &batch(0.0, Some(vec![]), "total"));
    for other in [
        batch(-0.0, Some(vec![]), "total"),
        batch(f64::from_bits(1), Some(vec![]), "total"),
        batch(0.0, None, "total"),
        batch(0.0, Some(vec![None]), "total"),
        batch(0.0, Some(vec![]), "p_total"),
    ] {
        assert!(difference(&base, &other).is_some(), "{other:?}");
    }
    let d = difference(&base, &batch(-0.0, Some(vec![]), "total")).unwrap();
    assert!(d.starts_with("row 1 of 2, column `total`"), "{d}");
}

// ------------------------------------------------- shapes found in review

/// Both paths on `batch` with `opts`, compared.
fn same(a: &Agreement, opts: &ScoreOptions, batch: &RecordBatch) {
    let columns = a.decision_columns("").unwrap();
    let schema = decision_schema(&columns);
    let columnar = Columnar::new(a, opts, &columns).expect("covered");
    let got = columnar.score(batch, &schema).unwrap();
    assert_same(&got, &per_lead(a, opts, &columns, batch));
}

fn at_review() -> ScoreOptions {
    ScoreOptions::at(Timestamp::parse("2026-11-23").unwrap())
}

/// More than 64 score rules: a row's fired bits take two words.
#[test]
fn over_64_rules_fired_lists() {
    let mut src = String::from("agreement \"A\"\nfields { n : number }\nscore s {\n");
    for i in 0..70 {
        src.push_str(&format!("  +1 \"r{i}\" when n > {i}\n"));
    }
    src.push_str("}\nscore t {\n");
    for i in 0..70 {
        src.push_str(&format!("  +1 \"t{i}\" when n < {i}\n"));
    }
    src.push_str("}\nroute { sales \"hot\" when s >= 15  nurture otherwise }\n");
    let a = Agreement::compile(&src).unwrap();
    let n: Float64Array = (0..200)
        .map(|i| (i % 7 != 0).then_some((i % 80) as f64))
        .collect();
    let batch = RecordBatch::try_from_iter([("n", Arc::new(n) as ArrayRef)]).unwrap();
    same(&a, &at_review(), &batch);
    same(&a, &at_review(), &batch.slice(3, 150));
}

/// Texts under null slots (a bad number, a number also valid elsewhere),
/// dictionaries with null keys and a null entry, at every offset.
#[test]
fn texts_under_nulls_and_dictionary_nulls() {
    use arrow_array::types::UInt8Type;
    use arrow_array::{DictionaryArray, UInt8Array};
    use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
    let a = Agreement::compile(
        "agreement \"A\"\nfields { n : number required  c : text required  d : text }\n\
         score s { +1 \"x\" when n > 1  +2 \"y\" when c == \"de\" +3 \"z\" when d starts_with \"a\" }\n\
         route { sales \"hot\" when s >= 3  nurture otherwise }",
    )
    .unwrap();
    let offsets = OffsetBuffer::new(ScalarBuffer::from(vec![0i32, 2, 5, 7, 9, 9, 9, 9, 9, 9]));
    let nulls = NullBuffer::from(vec![
        false, false, true, true, false, true, true, true, true,
    ]);
    let n = StringArray::new(offsets, Buffer::from("12abc12zz".as_bytes()), Some(nulls));
    let values = StringArray::from(vec![Some("DE"), None, Some("fr"), Some("  ")]);
    let keys = Int32Array::from(vec![
        Some(0),
        Some(1),
        None,
        Some(2),
        Some(3),
        Some(0),
        Some(1),
        Some(2),
        Some(3),
    ]);
    let c = arrow_array::DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values)).unwrap();
    let dv = StringArray::from(vec!["abc", "b", "a"]);
    let dk = UInt8Array::from(vec![0u8, 1, 2, 0, 1, 2, 0, 1, 2]);
    let d = DictionaryArray::<UInt8Type>::try_new(dk, Arc::new(dv)).unwrap();
    let batch = RecordBatch::try_from_iter([
        ("n", Arc::new(n) as ArrayRef),
        ("c", Arc::new(c) as ArrayRef),
        ("d", Arc::new(d) as ArrayRef),
    ])
    .unwrap();
    for o in [at_review(), at_review().on_bad_value(OnBadValue::Missing)] {
        for s in 0..batch.num_rows() {
            same(&a, &o, &batch.slice(s, batch.num_rows() - s));
        }
    }
}

/// Thousands of long texts sharing their first and last eight bytes (text
/// timestamps), and a slice of a large dictionary: the same decisions.
#[test]
fn long_texts_sharing_their_ends_and_a_slice_of_a_large_dictionary() {
    let a = Agreement::compile(
        "agreement \"A\"\nfields { seen : date  tag : text }\n\
         score s { +1 \"recent\" when seen within 30d  +2 \"vip\" when tag ends_with \"7\" }\n\
         route { sales \"hot\" when s >= 3  nurture otherwise }",
    )
    .unwrap();
    let seen: StringArray = (0..3_000)
        .map(|i| {
            Some(format!(
                "2026-11-{:02}T{:02}:{:02}:00+01:00",
                1 + i % 28,
                i / 60 % 24,
                i % 60
            ))
        })
        .collect();
    let entries: StringArray = (0..20_000).map(|i| Some(format!("tag {i}"))).collect();
    let keys = Int32Array::from(
        (0..3_000)
            .map(|i| (i * 7919) % 20_000)
            .collect::<Vec<i32>>(),
    );
    let tag = arrow_array::DictionaryArray::<Int32Type>::try_new(keys, Arc::new(entries)).unwrap();
    let batch = RecordBatch::try_from_iter([
        ("seen", Arc::new(seen) as ArrayRef),
        ("tag", Arc::new(tag) as ArrayRef),
    ])
    .unwrap();
    same(&a, &at_review(), &batch);
    same(&a, &at_review(), &batch.slice(100, 50));
}
