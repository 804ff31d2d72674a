//! A field's column, bound once per distinct input value: each row holds a
//! code into the field's bound values. Texts (`Utf8`, `LargeUtf8`,
//! `Utf8View`), `Float64` and `Int64` numbers and dictionary keys are
//! deduplicated as the rows are read, so a text is trimmed, lower-cased and
//! type-checked once per distinct value in a part, not once per row;
//! booleans are three values; any other type is bound row by row by the
//! general reader. The coercion is the one every front uses
//! (`bind::coerce`).

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, OffsetSizeTrait, RecordBatch};
use arrow_schema::DataType;

use super::texts::Distinct;
use crate::arrow::input::{column, ArrowColumn};
use crate::bind::{coerce, LeadErrorKind, OnBadValue};
use crate::check::Field;
use crate::syntax::ast::FieldType;
use crate::value::Value;
use crate::Raw;

/// Why the rows holding a value are rejected.
pub(super) type Problem = (LeadErrorKind, String);

/// One field's column, bound.
pub(super) struct Slot {
    /// Per row, its value's index in `values`.
    pub(super) codes: Vec<u32>,
    /// The distinct values as bound (a bad value as missing).
    pub(super) values: Vec<Value>,
    /// Per value, why a lead holding it is rejected (empty: none is).
    pub(super) problems: Vec<Option<Problem>>,
}

/// Reads raw values into distinct bound values.
struct Binder<'f> {
    field: &'f Field,
    on_bad: OnBadValue,
    values: Vec<Value>,
    problems: Vec<Option<Problem>>,
}

impl Binder<'_> {
    /// Binds one more distinct value; returns its code.
    fn push(&mut self, raw: Raw<'_>) -> u32 {
        let (value, problem) = match coerce(self.field.ty, raw) {
            Ok(v) => {
                let missing = self.field.required && v.is_missing();
                let problem = missing.then(|| {
                    let why = "required field is missing";
                    (LeadErrorKind::MissingRequired, why.to_string())
                });
                (v, problem)
            }
            // A bad value rejects the lead, unless it reads as missing
            // (`on_bad_value: missing`) in a field that is not required.
            Err(message) => {
                let rejects = self.on_bad == OnBadValue::Error || self.field.required;
                let problem = rejects.then_some((LeadErrorKind::BadValue, message));
                (Value::Missing, problem)
            }
        };
        self.values.push(value);
        self.problems.push(problem);
        (self.values.len() - 1) as u32
    }

    fn finish(mut self, codes: Vec<u32>) -> Slot {
        if self.problems.iter().all(Option::is_none) {
            self.problems = Vec::new();
        }
        Slot {
            codes,
            values: self.values,
            problems: self.problems,
        }
    }
}

/// Codes of the rows of a column of numbers: each distinct value (by its
/// bits) bound once (`raw`), nulls as code 0.
fn numbers<T: Copy>(
    b: &mut Binder<'_>,
    values: &[T],
    nulls: Option<&arrow_buffer::NullBuffer>,
    bits: impl Fn(T) -> u64,
    raw: impl Fn(T) -> Raw<'static>,
) -> Vec<u32> {
    let mut distinct = Distinct::new();
    let mut code = |x: T| distinct.code_word(bits(x), || b.push(raw(x)));
    match nulls {
        None => values.iter().map(|x| code(*x)).collect(),
        Some(nulls) => (values.iter().zip(nulls.iter()))
            .map(|(x, valid)| if valid { code(*x) } else { 0 })
            .collect(),
    }
}

/// Codes of the `n` rows of a column of texts (`None`: null).
fn texts<'a>(b: &mut Binder<'_>, n: usize, text: impl Fn(usize) -> Option<&'a str>) -> Vec<u32> {
    let mut distinct = Distinct::new();
    (0..n)
        .map(|i| match text(i) {
            Some(s) => distinct.code(s.as_bytes(), || b.push(Raw::Str(s.into()))),
            None => 0,
        })
        .collect()
}

/// Codes of the rows of a `Utf8` / `LargeUtf8` column, read straight
/// from its offsets (texts are compared as bytes; a new one is bound as
/// its text).
fn offsets<O: OffsetSizeTrait>(
    b: &mut Binder<'_>,
    a: &arrow_array::GenericStringArray<O>,
) -> Vec<u32> {
    let data = a.value_data();
    let mut distinct = Distinct::new();
    let code = |(i, w): (usize, &[O])| {
        let (start, end) = (w[0].as_usize(), w[1].as_usize());
        let bytes = data.get(start..end).unwrap_or_default();
        distinct.code(bytes, || b.push(Raw::Str(a.value(i).into())))
    };
    // Every row's text first (a null's, usually empty, too), then the
    // nulls set to code 0: the loop over the texts tests no bits.
    let mut codes: Vec<u32> = a.value_offsets().windows(2).enumerate().map(code).collect();
    if let Some(nulls) = a.nulls().filter(|n| n.null_count() > 0) {
        let chunks = nulls.inner().bit_chunks();
        for (w, word) in chunks.iter_padded().enumerate() {
            let mut null = !word;
            while null != 0 {
                if let Some(c) = codes.get_mut(w * 64 + null.trailing_zeros() as usize) {
                    *c = 0;
                }
                null &= null - 1;
            }
        }
    }
    codes
}

/// The text of each row of a column of texts (`None`: null or another type).
fn text_column<'a>(array: &'a dyn Array) -> Option<Box<dyn Fn(usize) -> Option<&'a str> + 'a>> {
    fn offsets<'a, O: OffsetSizeTrait>(
        a: &'a arrow_array::GenericStringArray<O>,
    ) -> Box<dyn Fn(usize) -> Option<&'a str> + 'a> {
        match a.nulls() {
            Some(nulls) => Box::new(move |i| nulls.is_valid(i).then(|| a.value(i))),
            None => Box::new(move |i| Some(a.value(i))),
        }
    }
    match array.data_type() {
        DataType::Utf8 => array.as_string_opt::<i32>().map(offsets),
        DataType::LargeUtf8 => array.as_string_opt::<i64>().map(offsets),
        DataType::Utf8View => array.as_string_view_opt().map(|a| {
            Box::new(move |i| a.is_valid(i).then(|| a.value(i))) as Box<dyn Fn(usize) -> _>
        }),
        _ => None,
    }
}

/// Binds the column `field` reads (none in `batch`: every row missing).
/// A field nothing reads (`used` false) is only checked: a text field in
/// a column of texts cannot hold a bad value, so only whether it is
/// missing is read, and only if it is required.
pub(super) fn bind(batch: &RecordBatch, field: &Field, on_bad: OnBadValue, used: bool) -> Slot {
    let n = batch.num_rows();
    let mut b = Binder {
        field,
        on_bad,
        values: Vec::new(),
        problems: Vec::new(),
    };
    // Code 0 is a null (the missing value, or a required field's problem).
    b.push(Raw::Null);
    let schema = batch.schema_ref();
    let Ok(at) = schema.index_of(&field.key) else {
        return b.finish(vec![0; n]);
    };
    let array = batch.column(at).as_ref();
    // Extension types (pandas periods) are read only by the general reader.
    let plain = schema.field(at).extension_type_name().is_none();
    let only_checked = !used && field.ty == FieldType::Text;
    let fast = match (plain, text_column(array)) {
        (false, _) => None,
        // Nothing reads it and it is not required: nothing to bind.
        (true, Some(_)) if only_checked && !field.required => Some(vec![0; n]),
        (true, Some(text)) if only_checked => {
            let present = b.push(Raw::Str("-".into()));
            let filled = |i| text(i).is_some_and(|s| !s.trim().is_empty());
            Some(
                (0..n)
                    .map(|i| if filled(i) { present } else { 0 })
                    .collect(),
            )
        }
        (true, Some(text)) => Some(
            match array.data_type() {
                DataType::Utf8 => array.as_string_opt::<i32>().map(|a| offsets(&mut b, a)),
                DataType::LargeUtf8 => array.as_string_opt::<i64>().map(|a| offsets(&mut b, a)),
                _ => None,
            }
            .unwrap_or_else(|| texts(&mut b, n, text)),
        ),
        (true, None) => typed(&mut b, array, n),
    };
    let codes = match fast {
        Some(codes) => codes,
        // Any other type: each row read by the general reader, bound alone.
        None => match column(batch, &field.key) {
            Some(c) => (0..n).map(|i| b.push(c.read(i))).collect(),
            None => vec![0; n],
        },
    };
    b.finish(codes)
}

/// Codes of the rows of a column of numbers, booleans or a dictionary
/// (`None`: another type, read by the general reader).
fn typed(b: &mut Binder<'_>, array: &dyn Array, n: usize) -> Option<Vec<u32>> {
    match array.data_type() {
        DataType::Float64 => array
            .as_primitive_opt::<Float64Type>()
            .map(|a| numbers(b, a.values(), a.nulls(), f64::to_bits, Raw::Float)),
        DataType::Int64 => array
            .as_primitive_opt::<Int64Type>()
            .map(|a| numbers(b, a.values(), a.nulls(), |x| x as u64, Raw::Int)),
        DataType::Boolean => array.as_boolean_opt().map(|a| {
            let (f, t) = (b.push(Raw::Bool(false)), b.push(Raw::Bool(true)));
            let code = |v| if v { t } else { f };
            match a.nulls() {
                None => a.values().iter().map(code).collect(),
                Some(nulls) => (a.values().iter().zip(nulls.iter()))
                    .map(|(v, valid)| if valid { code(v) } else { 0 })
                    .collect(),
            }
        }),
        // A dictionary's entries are bound when a row first uses them: a
        // slice keeps the whole dictionary (a pandas category, a polars
        // categorical may hold far more entries than the slice has rows).
        DataType::Dictionary(_, _) => array.as_any_dictionary_opt().map(|dict| {
            let values = ArrowColumn::new(dict.values().as_ref());
            let (keys, len) = (dict.normalized_keys(), dict.values().len());
            let mut distinct = Distinct::new();
            (0..n)
                .map(|i| match keys.get(i) {
                    Some(&k) if k < len && !array.is_null(i) => {
                        distinct.code_word(k as u64, || b.push(values.read(k)))
                    }
                    _ => 0,
                })
                .collect()
        }),
        _ => None,
    }
}
