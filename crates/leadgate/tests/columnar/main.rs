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

#[path = "../common/mod.rs"]
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

mod agreements;
mod batches;

use agreements::*;
use batches::*;

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
