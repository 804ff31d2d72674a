//! Arrow in, Arrow out: record batches are read column by column, in place
//! (strings are borrowed from the Arrow buffers), and decisions come back as
//! columns. No Python object is made per row.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, OffsetSizeTrait, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use leadgate::{Agreement, Decision, Raw, ScoreOptions, Threads};

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

/// Scores every row of `batch`; decisions are numbered from `first_index`.
pub fn score_batch(
    agreement: &Agreement,
    keys: &[(String, u32)],
    batch: &RecordBatch,
    first_index: usize,
    opts: &ScoreOptions,
    threads: &Threads,
) -> Vec<Decision> {
    let schema = batch.schema();
    let getters: Vec<(u32, Getter<'_>)> = keys
        .iter()
        .filter_map(|(key, slot)| {
            let idx = schema.index_of(key).ok()?;
            Some((*slot, getter(batch.column(idx).as_ref(), 0)))
        })
        .collect();
    let rows: Vec<usize> = (0..batch.num_rows()).collect();
    agreement.decide_batch(&rows, first_index, opts, threads, |&row| {
        let mut b = agreement.lead_builder(opts.on_bad_value);
        for (slot, get) in &getters {
            let raw = get(row);
            if !matches!(raw, Raw::Null) {
                b.set(*slot, raw);
            }
        }
        b.finish()
    })
}

/// Decisions as a record batch of `schema` (from [`decision_schema`]).
pub fn decisions_batch(
    agreement: &Agreement,
    decisions: &[Decision],
    schema: &SchemaRef,
) -> Result<RecordBatch, ArrowError> {
    let m = agreement.model();
    let n = decisions.len();
    let mut route = StringBuilder::with_capacity(n, n * 6);
    let mut queue = StringBuilder::with_capacity(n, n * 8);
    let mut rule = StringBuilder::with_capacity(n, n * 16);
    let mut within = Int64Builder::with_capacity(n);
    let mut total = Float64Builder::with_capacity(n);
    let mut scores: Vec<Float64Builder> = m
        .scores
        .iter()
        .map(|_| Float64Builder::with_capacity(n))
        .collect();
    let mut grades: Vec<StringBuilder> = m
        .grades
        .iter()
        .map(|_| StringBuilder::with_capacity(n, n * 6))
        .collect();
    let mut fired = ListBuilder::new(StringBuilder::new());
    let mut error = StringBuilder::new();
    for d in decisions {
        match &d.outcome {
            Ok(v) => {
                let r = m.routes.get(v.route as usize);
                route.append_option(r.map(|r| r.destination.as_str()));
                queue.append_option(r.and_then(|r| r.queue.as_deref()));
                rule.append_option(r.and_then(|r| r.name.as_deref()));
                within.append_option(r.and_then(|r| r.within_s));
                total.append_value(v.total);
                for (b, x) in scores.iter_mut().zip(&v.scores) {
                    b.append_value(*x);
                }
                for ((b, g), label) in grades.iter_mut().zip(&m.grades).zip(&v.grades) {
                    b.append_option(g.labels.get(*label as usize));
                }
                for f in &v.fired {
                    fired
                        .values()
                        .append_option(m.rules.get(f.rule as usize).map(|r| r.name.as_str()));
                }
                fired.append(true);
                error.append_null();
            }
            Err(e) => {
                route.append_null();
                queue.append_null();
                rule.append_null();
                within.append_null();
                total.append_null();
                for b in scores.iter_mut() {
                    b.append_null();
                }
                for b in grades.iter_mut() {
                    b.append_null();
                }
                fired.append(false);
                error.append_value(e.to_string());
            }
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(route.finish()),
        Arc::new(queue.finish()),
        Arc::new(rule.finish()),
        Arc::new(within.finish()),
        Arc::new(total.finish()),
    ];
    for mut b in scores {
        columns.push(Arc::new(b.finish()));
    }
    for mut b in grades {
        columns.push(Arc::new(b.finish()));
    }
    columns.push(Arc::new(fired.finish()));
    columns.push(Arc::new(error.finish()));
    RecordBatch::try_new(schema.clone(), columns)
}
