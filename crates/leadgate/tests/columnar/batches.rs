//! Random record batches for an agreement's fields, for the columnar tests.

use super::*;

// --------------------------------------------------------- random batches

/// One input column's values, by Arrow type.
#[derive(Debug, Clone)]
pub(crate) enum Data {
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
pub(crate) fn dictionary<T: PartialEq + Clone>(
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

pub(crate) fn dictionary_array(keys: &[Option<usize>], values: ArrayRef, kind: u8) -> ArrayRef {
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

pub(crate) fn strs(v: &[Option<String>]) -> Vec<Option<&str>> {
    v.iter().map(Option::as_deref).collect()
}

pub(crate) fn string_list<O: arrow_array::OffsetSizeTrait>(
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

pub(crate) const GENERAL: &[&str] = &[
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
pub(crate) const NUMBER_OK: &[&str] = &[
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
pub(crate) const NUMBER_BAD: &[&str] = &[
    "1_000", "1,200", "fifty", "NaN", "Infinity", "inf", "1e400", "0x10", "1e-400", "- 5", "1.2.3",
];
pub(crate) const BOOL_OK: &[&str] = &[
    "true", "false", "yes", "No", "Y", "n", "1", "0", " TRUE ", "",
];
pub(crate) const BOOL_BAD: &[&str] = &["maybe", "1.0", "2", "on"];
pub(crate) const DATE_OK: &[&str] = &[
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
pub(crate) const DATE_BAD: &[&str] = &["2026-02-30", "23/11/2026", "2026-11", "yesterday"];
pub(crate) const LIST_OK: &[&str] = &[
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
pub(crate) fn words_of(source: &str) -> Vec<String> {
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
pub(crate) fn twins(words: &Arc<Vec<String>>) -> S {
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
pub(crate) fn strings(ty: Ty, words: &Arc<Vec<String>>, dirt: u32) -> BoxedStrategy<String> {
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

pub(crate) fn floats(ty: Ty, dirt: u32) -> BoxedStrategy<f64> {
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

pub(crate) fn ints(ty: Ty, dirt: u32) -> BoxedStrategy<i64> {
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

pub(crate) fn ms_of(date: &str) -> i64 {
    Timestamp::parse(date).unwrap().unix_ms()
}

/// Instants (ms) around the scoring instants, many exactly a duration of
/// the agreements (or a millisecond more or less) before one of them.
pub(crate) fn instants() -> BoxedStrategy<i64> {
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

pub(crate) fn string_items(words: &Arc<Vec<String>>) -> BoxedStrategy<Vec<Option<String>>> {
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
pub(crate) fn values<T: std::fmt::Debug + Clone + 'static>(
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
pub(crate) fn column(
    ty: Ty,
    required: bool,
    n: usize,
    words: Arc<Vec<String>>,
) -> BoxedStrategy<Data> {
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
pub(crate) struct BatchSpec {
    pub(crate) rows: usize,
    /// Per field (in the order of `cols`): its column, or none.
    pub(crate) fields: Vec<Option<Data>>,
    /// Per field: a column named by the field's name rather than its key
    /// (read by neither path when the two differ).
    pub(crate) by_name: Vec<Option<Data>>,
    /// Unused columns.
    pub(crate) extra: Vec<(String, Data)>,
    /// A second column under a field's key: (field, data, placed first).
    pub(crate) duplicate: Option<(usize, Data, bool)>,
    /// The order of the columns (a permutation seed).
    pub(crate) order: Vec<u16>,
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

pub(crate) fn rows() -> BoxedStrategy<usize> {
    prop_oneof![1 => Just(0usize), 3 => 1..12usize, 6 => 12..300usize].boxed()
}

pub(crate) fn batch_spec(cols: Arc<Vec<Col>>, words: Arc<Vec<String>>) -> BoxedStrategy<BatchSpec> {
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

pub(crate) fn make_batch(cols: &[Col], spec: &BatchSpec) -> RecordBatch {
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
