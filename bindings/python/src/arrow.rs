//! Arrow in, Arrow out: record batches are read column by column, in place
//! (strings are borrowed from the Arrow buffers), and decisions come back as
//! columns, built on the scoring threads. No Python object is made per row.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, LargeStringArray, OffsetSizeTrait,
    RecordBatch, StringArray, StringViewArray,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use leadgate::{Agreement, Decision, Model, Raw, ScoreOptions, Threads};

use crate::dates::PERIOD;

/// Reads the raw value of one row of a column.
type Getter<'a> = Box<dyn Fn(usize) -> Raw<'a> + Send + Sync + 'a>;

const MAX_DEPTH: u32 = 8;

fn constant<'a>(raw: Raw<'static>) -> Getter<'a> {
    Box::new(move |_| raw.clone())
}

/// Null where `array` is null, else `value(row)`.
fn non_null<'a, A, F>(array: &'a A, value: F) -> Getter<'a>
where
    A: Array + ?Sized,
    F: Fn(usize) -> Raw<'a> + Send + Sync + 'a,
{
    Box::new(move |i| {
        if array.is_null(i) {
            Raw::Null
        } else {
            value(i)
        }
    })
}

const UNSUPPORTED: Raw<'static> = Raw::Other("a value of an unsupported type");

/// Reads `Some(typed array)` with `read`, or names the value unsupported.
fn typed<'a, A: Array + 'a, F>(array: Option<&'a A>, read: F) -> Getter<'a>
where
    F: Fn(&'a A, usize) -> Raw<'a> + Send + Sync + 'a,
{
    match array {
        Some(a) => non_null(a, move |i| read(a, i)),
        None => constant(UNSUPPORTED),
    }
}

fn primitive<'a, T: ArrowPrimitiveType, F>(array: &'a dyn Array, make: F) -> Getter<'a>
where
    F: Fn(T::Native) -> Raw<'a> + Send + Sync + 'a,
{
    typed(array.as_primitive_opt::<T>(), move |a, i| make(a.value(i)))
}

fn strings<O: OffsetSizeTrait>(array: &dyn Array) -> Getter<'_> {
    typed(array.as_string_opt::<O>(), |a, i| {
        Raw::Str(Cow::Borrowed(a.value(i)))
    })
}

fn list<O: OffsetSizeTrait>(array: &dyn Array, depth: u32) -> Getter<'_> {
    let Some(a) = array.as_list_opt::<O>() else {
        return constant(Raw::Other("an array"));
    };
    let items = getter(a.values().as_ref(), depth + 1);
    let offsets = a.value_offsets();
    non_null(a, move |i| match (offsets.get(i), offsets.get(i + 1)) {
        (Some(s), Some(e)) => Raw::Array((s.as_usize()..e.as_usize()).map(&items).collect()),
        _ => Raw::Null,
    })
}

fn ms_from(value: i64, unit: TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => value.saturating_mul(1000),
        TimeUnit::Millisecond => value,
        TimeUnit::Microsecond => value.div_euclid(1000),
        TimeUnit::Nanosecond => value.div_euclid(1_000_000),
    }
}

/// How to read each row of `array` as a raw value.
fn getter(array: &dyn Array, depth: u32) -> Getter<'_> {
    if depth > MAX_DEPTH {
        return constant(Raw::Other("an array"));
    }
    match array.data_type() {
        DataType::Null => constant(Raw::Null),
        DataType::Boolean => typed(array.as_boolean_opt(), |a, i| Raw::Bool(a.value(i))),
        DataType::Int8 => primitive::<Int8Type, _>(array, |v| Raw::Int(v.into())),
        DataType::Int16 => primitive::<Int16Type, _>(array, |v| Raw::Int(v.into())),
        DataType::Int32 => primitive::<Int32Type, _>(array, |v| Raw::Int(v.into())),
        DataType::Int64 => primitive::<Int64Type, _>(array, Raw::Int),
        DataType::UInt8 => primitive::<UInt8Type, _>(array, |v| Raw::UInt(v.into())),
        DataType::UInt16 => primitive::<UInt16Type, _>(array, |v| Raw::UInt(v.into())),
        DataType::UInt32 => primitive::<UInt32Type, _>(array, |v| Raw::UInt(v.into())),
        DataType::UInt64 => primitive::<UInt64Type, _>(array, Raw::UInt),
        DataType::Float16 => primitive::<Float16Type, _>(array, |v| Raw::Float(v.to_f64())),
        DataType::Float32 => primitive::<Float32Type, _>(array, |v| Raw::Float(v.into())),
        DataType::Float64 => primitive::<Float64Type, _>(array, Raw::Float),
        DataType::Utf8 => strings::<i32>(array),
        DataType::LargeUtf8 => strings::<i64>(array),
        DataType::Utf8View => typed(array.as_string_view_opt(), |a, i| {
            Raw::Str(Cow::Borrowed(a.value(i)))
        }),
        DataType::Date32 => {
            primitive::<Date32Type, _>(array, |v| Raw::DateMs(i64::from(v) * 86_400_000))
        }
        DataType::Date64 => primitive::<Date64Type, _>(array, Raw::DateMs),
        DataType::Timestamp(unit, _) => {
            let unit = *unit;
            let ms = move |v: i64| Raw::DateMs(ms_from(v, unit));
            match unit {
                TimeUnit::Second => primitive::<TimestampSecondType, _>(array, ms),
                TimeUnit::Millisecond => primitive::<TimestampMillisecondType, _>(array, ms),
                TimeUnit::Microsecond => primitive::<TimestampMicrosecondType, _>(array, ms),
                TimeUnit::Nanosecond => primitive::<TimestampNanosecondType, _>(array, ms),
            }
        }
        // Decimals are read as their decimal text: exact for a text field,
        // parsed by the core for a number field.
        DataType::Decimal128(_, _) => typed(array.as_primitive_opt::<Decimal128Type>(), |a, i| {
            Raw::Str(Cow::Owned(a.value_as_string(i)))
        }),
        DataType::Decimal256(_, _) => typed(array.as_primitive_opt::<Decimal256Type>(), |a, i| {
            Raw::Str(Cow::Owned(a.value_as_string(i)))
        }),
        DataType::Dictionary(_, _) => match array.as_any_dictionary_opt() {
            Some(dict) => {
                let keys = dict.normalized_keys();
                let values = getter(dict.values().as_ref(), depth);
                non_null(array, move |i| {
                    keys.get(i).map_or(Raw::Null, |k| values(*k))
                })
            }
            None => constant(UNSUPPORTED),
        },
        DataType::List(_) => list::<i32>(array, depth),
        DataType::LargeList(_) => list::<i64>(array, depth),
        DataType::FixedSizeList(_, _) => match array.as_fixed_size_list_opt() {
            Some(a) => {
                let items = getter(a.values().as_ref(), depth + 1);
                let len = usize::try_from(a.value_length()).unwrap_or(0);
                non_null(a, move |i| {
                    Raw::Array((i * len..(i + 1) * len).map(&items).collect())
                })
            }
            None => constant(Raw::Other("an array")),
        },
        DataType::Struct(_) | DataType::Map(_, _) => non_null(array, |_| Raw::Other("an object")),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => non_null(array, |_| Raw::Other("bytes")),
        _ => non_null(array, |_| UNSUPPORTED),
    }
}

/// The names of the decision columns, in order.
pub fn decision_schema(agreement: &Agreement, prefix: &str) -> Result<SchemaRef, String> {
    let m = agreement.model();
    let utf8 = |name: &str| Field::new(format!("{prefix}{name}"), DataType::Utf8, true);
    let mut fields = vec![
        utf8("route"),
        utf8("queue"),
        utf8("route_rule"),
        Field::new(format!("{prefix}follow_up_within_s"), DataType::Int64, true),
        Field::new(format!("{prefix}total"), DataType::Float64, true),
    ];
    for s in &m.scores {
        fields.push(Field::new(
            format!("{prefix}{}", s.name),
            DataType::Float64,
            true,
        ));
    }
    for g in &m.grades {
        fields.push(utf8(&g.name));
    }
    fields.push(Field::new(
        format!("{prefix}fired"),
        DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        true,
    ));
    fields.push(utf8("error"));
    let mut seen = std::collections::HashSet::new();
    for f in &fields {
        if !seen.insert(f.name().clone()) {
            return Err(format!(
                "the decision column `{}` would appear twice: a score or grade has the name of \
                 one of the decision columns (route, queue, route_rule, follow_up_within_s, \
                 total, fired, error); rename it in the agreement",
                f.name()
            ));
        }
    }
    Ok(Arc::new(Schema::new(fields)))
}

/// One input column, read by its type. The common types are read in place
/// (a text is borrowed from the Arrow buffer); every other type goes through
/// its [`Getter`], which reads these types the same way.
enum Column<'a> {
    Utf8(&'a StringArray),
    LargeUtf8(&'a LargeStringArray),
    Utf8View(&'a StringViewArray),
    Float64(&'a Float64Array),
    Int64(&'a Int64Array),
    Boolean(&'a BooleanArray),
    /// Dictionary-encoded: each row's key into the values, read as a column.
    Dictionary {
        array: &'a dyn Array,
        keys: Vec<usize>,
        values: Box<Column<'a>>,
    },
    Other(Getter<'a>),
}

impl<'a> Column<'a> {
    fn new(array: &'a dyn Array) -> Self {
        let typed = match array.data_type() {
            DataType::Utf8 => array.as_string_opt::<i32>().map(Column::Utf8),
            DataType::LargeUtf8 => array.as_string_opt::<i64>().map(Column::LargeUtf8),
            DataType::Utf8View => array.as_string_view_opt().map(Column::Utf8View),
            DataType::Float64 => array.as_primitive_opt::<Float64Type>().map(Column::Float64),
            DataType::Int64 => array.as_primitive_opt::<Int64Type>().map(Column::Int64),
            DataType::Boolean => array.as_boolean_opt().map(Column::Boolean),
            DataType::Dictionary(_, _) => {
                array
                    .as_any_dictionary_opt()
                    .map(|dict| Column::Dictionary {
                        array,
                        keys: dict.normalized_keys(),
                        values: Box::new(Column::new(dict.values().as_ref())),
                    })
            }
            _ => None,
        };
        typed.unwrap_or_else(|| Column::Other(getter(array, 0)))
    }

    /// The raw value of row `i` (`Raw::Null` where the row is null).
    fn read(&self, i: usize) -> Raw<'a> {
        fn str_at<'a, A: Array>(a: &A, i: usize, value: impl Fn(usize) -> &'a str) -> Raw<'a> {
            if a.is_null(i) {
                Raw::Null
            } else {
                Raw::Str(Cow::Borrowed(value(i)))
            }
        }
        match self {
            Column::Utf8(a) => str_at(*a, i, |i| a.value(i)),
            Column::LargeUtf8(a) => str_at(*a, i, |i| a.value(i)),
            Column::Utf8View(a) => str_at(*a, i, |i| a.value(i)),
            Column::Float64(a) if !a.is_null(i) => Raw::Float(a.value(i)),
            Column::Int64(a) if !a.is_null(i) => Raw::Int(a.value(i)),
            Column::Boolean(a) if !a.is_null(i) => Raw::Bool(a.value(i)),
            Column::Dictionary {
                array,
                keys,
                values,
            } if !array.is_null(i) => keys.get(i).map_or(Raw::Null, |k| values.read(*k)),
            Column::Other(get) => get(i),
            _ => Raw::Null,
        }
    }
}

/// Scores every row of `batch` and returns its decision columns (`schema`,
/// from [`decision_schema`]); decisions are numbered from `first_index`.
///
/// The rows are split into chunks, and each chunk is read, bound, scored and
/// written to column builders of its own on one thread, each decision
/// dropped as soon as it is written; the chunks' columns are then joined.
pub fn score_batch(
    agreement: &Agreement,
    keys: &[(String, u32)],
    batch: &RecordBatch,
    first_index: usize,
    opts: &ScoreOptions,
    pool: &Threads,
    schema: &SchemaRef,
) -> Result<RecordBatch, ArrowError> {
    let input = batch.schema();
    let columns: Vec<(u32, Column<'_>)> = keys
        .iter()
        .filter_map(|(key, slot)| {
            let idx = input.index_of(key).ok()?;
            let array = batch.column(idx).as_ref();
            // pandas' Period columns arrive as this extension type over
            // int64 ordinals (months since 1970, …), not as instants.
            let column = match input.field(idx).extension_type_name() {
                Some("pandas.period") => Column::Other(non_null(array, |_| Raw::Other(PERIOD))),
                _ => Column::new(array),
            };
            Some((*slot, column))
        })
        .collect();
    let mut parts = pool.map_ranges(batch.num_rows(), 256, |rows| {
        score_rows(agreement, &columns, rows, first_index, opts)
    });
    let columns = match parts.len() {
        0 => Output::new(agreement.model(), 0).finish(),
        1 => parts.pop().unwrap_or_default(),
        _ => {
            let width = parts.first().map_or(0, Vec::len);
            let mut joined = Vec::with_capacity(width);
            for j in 0..width {
                let pieces: Vec<&dyn Array> = parts
                    .iter()
                    .filter_map(|p| p.get(j))
                    .map(|a| a.as_ref())
                    .collect();
                joined.push(arrow_select::concat::concat(&pieces)?);
            }
            joined
        }
    };
    RecordBatch::try_new(schema.clone(), columns)
}

fn score_rows(
    agreement: &Agreement,
    columns: &[(u32, Column<'_>)],
    rows: Range<usize>,
    first_index: usize,
    opts: &ScoreOptions,
) -> Vec<ArrayRef> {
    let m = agreement.model();
    let mut out = Output::new(m, rows.len());
    for row in rows {
        let mut b = agreement.lead_builder(opts.on_bad_value);
        for (slot, column) in columns {
            let raw = column.read(row);
            if !matches!(raw, Raw::Null) {
                b.set(*slot, raw);
            }
        }
        let lead = b.finish();
        out.push(m, &agreement.decide(first_index + row, &lead, opts));
    }
    out.finish()
}

/// The longest of some names, for sizing a string builder.
fn longest<'s>(names: impl Iterator<Item = &'s str>) -> usize {
    names.map(str::len).max().unwrap_or(0)
}

/// The decision columns of some rows, being built.
struct Output {
    route: StringBuilder,
    queue: StringBuilder,
    rule: StringBuilder,
    within: Int64Builder,
    total: Float64Builder,
    scores: Vec<Float64Builder>,
    grades: Vec<StringBuilder>,
    fired: ListBuilder<StringBuilder>,
    error: StringBuilder,
}

impl Output {
    /// Builders sized for `n` rows: the route, queue, rule and grade columns
    /// hold at most their longest name per row, so they never grow.
    fn new(m: &Model, n: usize) -> Self {
        let routes = &m.routes;
        let text = |longest: usize| StringBuilder::with_capacity(n, n * longest);
        let rule_name = if m.rules.is_empty() {
            0
        } else {
            m.rules.iter().map(|r| r.name.len()).sum::<usize>() / m.rules.len()
        };
        Output {
            route: text(longest(routes.iter().map(|r| r.destination.as_str()))),
            queue: text(longest(routes.iter().filter_map(|r| r.queue.as_deref()))),
            rule: text(longest(routes.iter().filter_map(|r| r.name.as_deref()))),
            within: Int64Builder::with_capacity(n),
            total: Float64Builder::with_capacity(n),
            scores: m
                .scores
                .iter()
                .map(|_| Float64Builder::with_capacity(n))
                .collect(),
            grades: m
                .grades
                .iter()
                .map(|g| text(longest(g.labels.iter().map(String::as_str))))
                .collect(),
            fired: ListBuilder::with_capacity(
                StringBuilder::with_capacity(2 * n, 2 * n * rule_name),
                n,
            ),
            error: StringBuilder::with_capacity(n, 0),
        }
    }

    fn push(&mut self, m: &Model, d: &Decision) {
        match &d.outcome {
            Ok(v) => {
                let r = m.routes.get(v.route as usize);
                self.route.append_option(r.map(|r| r.destination.as_str()));
                self.queue.append_option(r.and_then(|r| r.queue.as_deref()));
                self.rule.append_option(r.and_then(|r| r.name.as_deref()));
                self.within.append_option(r.and_then(|r| r.within_s));
                self.total.append_value(v.total);
                for (b, x) in self.scores.iter_mut().zip(&v.scores) {
                    b.append_value(*x);
                }
                for ((b, g), label) in self.grades.iter_mut().zip(&m.grades).zip(&v.grades) {
                    b.append_option(g.labels.get(*label as usize));
                }
                for f in &v.fired {
                    self.fired
                        .values()
                        .append_option(m.rules.get(f.rule as usize).map(|r| r.name.as_str()));
                }
                self.fired.append(true);
                self.error.append_null();
            }
            Err(e) => {
                self.route.append_null();
                self.queue.append_null();
                self.rule.append_null();
                self.within.append_null();
                self.total.append_null();
                for b in self.scores.iter_mut() {
                    b.append_null();
                }
                for b in self.grades.iter_mut() {
                    b.append_null();
                }
                self.fired.append(false);
                self.error.append_value(e.to_string());
            }
        }
    }

    fn finish(mut self) -> Vec<ArrayRef> {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(self.route.finish()),
            Arc::new(self.queue.finish()),
            Arc::new(self.rule.finish()),
            Arc::new(self.within.finish()),
            Arc::new(self.total.finish()),
        ];
        for mut b in self.scores {
            columns.push(Arc::new(b.finish()));
        }
        for mut b in self.grades {
            columns.push(Arc::new(b.finish()));
        }
        columns.push(Arc::new(self.fired.finish()));
        columns.push(Arc::new(self.error.finish()));
        columns
    }
}
