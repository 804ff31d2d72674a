//! Typed values of a bound lead, and the canonical number format.

/// A text value: trimmed as given, and its Unicode lower-case form for
/// case-insensitive comparison (computed once, when the lead is bound).
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Shared, so that a decision can carry the lead's id without a copy.
    orig: std::sync::Arc<str>,
    /// `None` when the lower-case form equals `orig`.
    lower: Option<Box<str>>,
}

/// A text is stored as given; its lower-case form is computed again when
/// it is read (`Text::new`), so the two cannot disagree.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.orig)
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Text::new(&s))
    }
}

impl Text {
    /// `s` must already be trimmed.
    pub fn new(s: &str) -> Self {
        let lower = if s.is_ascii() {
            // The same as below for ASCII, without decoding characters.
            s.bytes()
                .any(|b| b.is_ascii_uppercase())
                .then(|| s.to_ascii_lowercase().into_boxed_str())
        } else if s.chars().any(char::is_uppercase) {
            Some(s.to_lowercase().into_boxed_str())
        } else {
            None
        };
        Text {
            orig: s.into(),
            lower,
        }
    }
    pub fn as_str(&self) -> &str {
        &self.orig
    }
    /// The text as given, shared.
    pub fn shared(&self) -> std::sync::Arc<str> {
        self.orig.clone()
    }
    pub fn lower(&self) -> &str {
        self.lower.as_deref().unwrap_or(&self.orig)
    }
}

/// One field's value in a bound lead.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Missing,
    Text(Text),
    Number(f64),
    Bool(bool),
    /// Milliseconds since the Unix epoch, UTC.
    Date(i64),
    List(Vec<Text>),
}

impl Value {
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }
}

/// Writes a number in the canonical form: the shortest text that reads back
/// to the same 64-bit float; whole numbers without a fraction; `-0` as `0`.
pub fn write_number(out: &mut String, x: f64) {
    if x == 0.0 {
        out.push('0');
    } else if x.fract() == 0.0 && x.abs() < 9.007_199_254_740_992e15 {
        let mut buf = itoa::Buffer::new();
        out.push_str(buf.format(x as i64));
    } else if x.is_finite() {
        let mut buf = ryu::Buffer::new();
        let s = buf.format_finite(x);
        // ryu writes whole numbers from 2^53 up to 1e16 as `9007199254740992.0`.
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
    } else {
        out.push_str("null");
    }
}

/// `x` held to `lo..=hi` as [`f64::clamp`] does, for a range the program
/// was checked to have (`lo <= hi`, neither NaN). Not `f64::clamp` itself:
/// its check of the bounds formats them in a panic message, which would
/// link float formatting into the wasm form runtime (9.5 KB gzipped) for a
/// message no checked program can reach.
pub(crate) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    // As std writes it (two selects, no branch).
    let mut x = x;
    if x < lo {
        x = lo;
    }
    if x > hi {
        x = hi;
    }
    x
}

/// Keeps sums finite: an overflow saturates at the largest float, NaN is 0
/// (the evaluator's and the analysis's arithmetic on scores).
pub(crate) fn saturate(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        clamp(x, -f64::MAX, f64::MAX)
    }
}

/// A number in the canonical form of the decision JSON: the shortest text
/// that reads back to the same 64-bit float, whole numbers without a
/// fraction, `-0` as `0` (`45`, `32.5`, `1e21`).
pub fn format_number(x: f64) -> String {
    let mut s = String::new();
    write_number(&mut s, x);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_numbers() {
        assert_eq!(format_number(45.0), "45");
        assert_eq!(format_number(-0.0), "0");
        assert_eq!(format_number(32.5), "32.5");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_number(1e21), "1e21");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(1e-7), "1e-7");
    }

    proptest::proptest! {
        /// `clamp` is `f64::clamp` for every range a program can hold
        /// (NaN, infinities and signed zeros in `x` included).
        #[test]
        fn clamp_is_f64_clamp(x in proptest::num::f64::ANY, a in proptest::num::f64::ANY, b in proptest::num::f64::ANY) {
            proptest::prop_assume!(!a.is_nan() && !b.is_nan());
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            for x in [x, -0.0, 0.0, lo, hi] {
                let (ours, std) = (clamp(x, lo, hi), x.clamp(lo, hi));
                proptest::prop_assert!(ours.to_bits() == std.to_bits() || (ours.is_nan() && std.is_nan()), "{x} {lo} {hi}: {ours} {std}");
            }
        }
    }

    #[test]
    fn text_lowercase_once() {
        let t = Text::new("Software");
        assert_eq!(t.as_str(), "Software");
        assert_eq!(t.lower(), "software");
        assert_eq!(Text::new("ünïcode").lower(), "ünïcode");
        assert_eq!(Text::new("ÜBER").lower(), "über");
    }
}
