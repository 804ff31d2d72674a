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

macro_rules! primitive {
    ($array:expr, $ty:ty, $make:expr) => {
        match $array.as_primitive_opt::<$ty>() {
            Some(a) => Box::new(move |i| {
                if a.is_null(i) {
                    Raw::Null
                } else {
                    #[allow(clippy::redundant_closure_call)]
                    ($make)(a.value(i))
                }
            }),
            None => constant(Raw::Other("a value of an unsupported type")),
        }
    };
}

fn strings<'a, O: OffsetSizeTrait>(array: &'a dyn Array) -> Getter<'a> {
    match array.as_string_opt::<O>() {
        Some(a) => Box::new(move |i| {
            if a.is_null(i) {
                Raw::Null
            } else {
                Raw::Str(Cow::Borrowed(a.value(i)))
            }
        }),
        None => constant(Raw::Other("a value of an unsupported type")),
    }
}

fn list<'a, O: OffsetSizeTrait>(array: &'a dyn Array, depth: u32) -> Getter<'a> {
    match array.as_list_opt::<O>() {
        Some(a) => {
            let items = getter(a.values().as_ref(), depth + 1);
            let offsets = a.value_offsets();
            Box::new(move |i| {
                if a.is_null(i) {
                    return Raw::Null;
                }
                let (start, end) = match (offsets.get(i), offsets.get(i + 1)) {
                    (Some(s), Some(e)) => (s.as_usize(), e.as_usize()),
                    _ => return Raw::Null,
                };
                Raw::Array((start..end).map(&items).collect())
            })
        }
        None => constant(Raw::Other("an array")),
    }
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
        DataType::Boolean => match array.as_boolean_opt() {
            Some(a) => Box::new(move |i| {
                if a.is_null(i) {
                    Raw::Null
                } else {
                    Raw::Bool(a.value(i))
                }
            }),
            None => constant(Raw::Other("a value of an unsupported type")),
        },
        DataType::Int8 => primitive!(array, Int8Type, |v: i8| Raw::Int(v.into())),
        DataType::Int16 => primitive!(array, Int16Type, |v: i16| Raw::Int(v.into())),
        DataType::Int32 => primitive!(array, Int32Type, |v: i32| Raw::Int(v.into())),
        DataType::Int64 => primitive!(array, Int64Type, Raw::Int),
        DataType::UInt8 => primitive!(array, UInt8Type, |v: u8| Raw::UInt(v.into())),
        DataType::UInt16 => primitive!(array, UInt16Type, |v: u16| Raw::UInt(v.into())),
        DataType::UInt32 => primitive!(array, UInt32Type, |v: u32| Raw::UInt(v.into())),
        DataType::UInt64 => primitive!(array, UInt64Type, Raw::UInt),
        DataType::Float16 => {
            primitive!(
                array,
                Float16Type,
                |v: <Float16Type as ArrowPrimitiveType>::Native| { Raw::Float(v.to_f64()) }
            )
        }
        DataType::Float32 => primitive!(array, Float32Type, |v: f32| Raw::Float(v.into())),
        DataType::Float64 => primitive!(array, Float64Type, Raw::Float),
        DataType::Utf8 => strings::<i32>(array),
        DataType::LargeUtf8 => strings::<i64>(array),
        DataType::Utf8View => match array.as_string_view_opt() {
            Some(a) => Box::new(move |i| {
                if a.is_null(i) {
                    Raw::Null
                } else {
                    Raw::Str(Cow::Borrowed(a.value(i)))
                }
            }),
            None => constant(Raw::Other("a value of an unsupported type")),
        },
        DataType::Date32 => primitive!(array, Date32Type, |v: i32| Raw::DateMs(
            i64::from(v) * 86_400_000
        )),
        DataType::Date64 => primitive!(array, Date64Type, Raw::DateMs),
        DataType::Timestamp(unit, _) => {
            let unit = *unit;
            match unit {
                TimeUnit::Second => {
                    primitive!(array, TimestampSecondType, move |v| Raw::DateMs(ms_from(
                        v, unit
                    )))
                }
                TimeUnit::Millisecond => {
                    primitive!(array, TimestampMillisecondType, Raw::DateMs)
                }
                TimeUnit::Microsecond => {
                    primitive!(array, TimestampMicrosecondType, move |v| Raw::DateMs(
                        ms_from(v, unit)
                    ))
                }
                TimeUnit::Nanosecond => {
                    primitive!(array, TimestampNanosecondType, move |v| Raw::DateMs(
                        ms_from(v, unit)
                    ))
                }
            }
        }
        DataType::Decimal128(_, _) => match array.as_primitive_opt::<Decimal128Type>() {
            Some(a) => Box::new(move |i| {
                if a.is_null(i) {
                    Raw::Null
                } else {
                    Raw::Str(Cow::Owned(a.value_as_string(i)))
                }
            }),
            None => constant(Raw::Other("a value of an unsupported type")),
        },
        DataType::Decimal256(_, _) => match array.as_primitive_opt::<Decimal256Type>() {
            Some(a) => Box::new(move |i| {
                if a.is_null(i) {
                    Raw::Null
                } else {
                    Raw::Str(Cow::Owned(a.value_as_string(i)))
                }
            }),
            None => constant(Raw::Other("a value of an unsupported type")),
        },
        DataType::Dictionary(_, _) => match array.as_any_dictionary_opt() {
            Some(dict) => {
                let keys = dict.normalized_keys();
                let values = getter(dict.values().as_ref(), depth);
                Box::new(move |i| {
                    if array.is_null(i) {
                        return Raw::Null;
                    }
                    match keys.get(i) {
                        Some(k) => values(*k),
                        None => Raw::Null,
                    }
                })
            }
            None => constant(Raw::Other("a value of an unsupported type")),
        },
        DataType::List(_) => list::<i32>(array, depth),
        DataType::LargeList(_) => list::<i64>(array, depth),
        DataType::FixedSizeList(_, _) => match array.as_fixed_size_list_opt() {
            Some(a) => {
                let items = getter(a.values().as_ref(), depth + 1);
                let len = usize::try_from(a.value_length()).unwrap_or(0);
                Box::new(move |i| {
                    if a.is_null(i) {
                        Raw::Null
                    } else {
                        Raw::Array((i * len..(i + 1) * len).map(&items).collect())
                    }
                })
            }
            None => constant(Raw::Other("an array")),
        },
        DataType::Struct(_) | DataType::Map(_, _) => nullable(array, Raw::Other("an object")),
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => nullable(array, Raw::Other("bytes")),
        _ => nullable(array, Raw::Other("a value of an unsupported type")),
    }
}

/// Null where the array is null, else `raw`.
fn nullable<'a>(array: &'a dyn Array, raw: Raw<'static>) -> Getter<'a> {
    Box::new(move |i| {
        if array.is_null(i) {
            Raw::Null
        } else {
            raw.clone()
        }
    })
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
