//! Arrow in: the columns of a record batch read row by row as raw values,
//! in place (strings are borrowed from the Arrow buffers).

use std::borrow::Cow;

use crate::Raw;
use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    Array, BooleanArray, Float64Array, Int64Array, LargeStringArray, OffsetSizeTrait, RecordBatch,
    StringArray, StringViewArray,
};
use arrow_schema::{DataType, TimeUnit};

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

/// One input column, read by its type (every Arrow type: a value of a type
/// no field can hold reads as [`Raw::Other`], a bad value). The common
/// types are read in place (a text is borrowed from the Arrow buffer);
/// every other type goes through a general reader, which reads these
/// types the same way.
pub struct ArrowColumn<'a>(Kind<'a>);

enum Kind<'a> {
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
        values: Box<Kind<'a>>,
    },
    Other(Getter<'a>),
}

impl<'a> ArrowColumn<'a> {
    /// Reads `array` by its type.
    pub fn new(array: &'a dyn Array) -> Self {
        ArrowColumn(Kind::new(array))
    }

    /// The raw value of row `i` (`Raw::Null` where the row is null).
    pub fn read(&self, i: usize) -> Raw<'a> {
        self.0.read(i)
    }
}

impl<'a> Kind<'a> {
    fn new(array: &'a dyn Array) -> Self {
        let typed = match array.data_type() {
            DataType::Utf8 => array.as_string_opt::<i32>().map(Kind::Utf8),
            DataType::LargeUtf8 => array.as_string_opt::<i64>().map(Kind::LargeUtf8),
            DataType::Utf8View => array.as_string_view_opt().map(Kind::Utf8View),
            DataType::Float64 => array.as_primitive_opt::<Float64Type>().map(Kind::Float64),
            DataType::Int64 => array.as_primitive_opt::<Int64Type>().map(Kind::Int64),
            DataType::Boolean => array.as_boolean_opt().map(Kind::Boolean),
            DataType::Dictionary(_, _) => {
                array.as_any_dictionary_opt().map(|dict| Kind::Dictionary {
                    array,
                    keys: dict.normalized_keys(),
                    values: Box::new(Kind::new(dict.values().as_ref())),
                })
            }
            _ => None,
        };
        typed.unwrap_or_else(|| Kind::Other(getter(array, 0)))
    }

    fn read(&self, i: usize) -> Raw<'a> {
        fn str_at<'a, A: Array>(a: &A, i: usize, value: impl Fn(usize) -> &'a str) -> Raw<'a> {
            if a.is_null(i) {
                Raw::Null
            } else {
                Raw::Str(Cow::Borrowed(value(i)))
            }
        }
        match self {
            Kind::Utf8(a) => str_at(*a, i, |i| a.value(i)),
            Kind::LargeUtf8(a) => str_at(*a, i, |i| a.value(i)),
            Kind::Utf8View(a) => str_at(*a, i, |i| a.value(i)),
            Kind::Float64(a) if !a.is_null(i) => Raw::Float(a.value(i)),
            Kind::Int64(a) if !a.is_null(i) => Raw::Int(a.value(i)),
            Kind::Boolean(a) if !a.is_null(i) => Raw::Bool(a.value(i)),
            Kind::Dictionary {
                array,
                keys,
                values,
            } if !array.is_null(i) => keys.get(i).map_or(Raw::Null, |k| values.read(*k)),
            Kind::Other(get) => get(i),
            _ => Raw::Null,
        }
    }
}

/// What a pandas `Period` value reads as: a bad value. A period is a span
/// of time (a month, a quarter), not an instant; which instant of it is
/// meant is the caller's to say.
pub const PANDAS_PERIOD: &str =
    "a pandas Period (a span of time, not an instant: convert it with .to_timestamp())";

/// The column `name` of `batch`, read by its type (the first of that name).
pub fn column<'a>(batch: &'a RecordBatch, name: &str) -> Option<ArrowColumn<'a>> {
    let input = batch.schema_ref();
    let idx = input.index_of(name).ok()?;
    let array = batch.column(idx).as_ref();
    // pandas' Period columns arrive as this extension type over int64
    // ordinals (months since 1970, …), not as instants.
    Some(match input.field(idx).extension_type_name() {
        Some("pandas.period") => {
            ArrowColumn(Kind::Other(non_null(array, |_| Raw::Other(PANDAS_PERIOD))))
        }
        _ => ArrowColumn::new(array),
    })
}
