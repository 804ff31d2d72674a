//! Decimal texts read as floats without tables (feature compact-floats, the
//! wasm form runtime): the value `str::parse::<f64>` gives, correctly
//! rounded (ties to even), for every text (exponents read as std reads
//! them: digits after it reaches 65,536 are not counted). std's reader keeps a 10 KB table
//! of powers of five for its fast algorithm, about 9 KB gzipped of a form
//! runtime of 120 KB; this one takes the exact fast path when it applies (a
//! short mantissa and a small power of ten, one correctly rounded
//! operation) and otherwise divides big integers. Slower on long or
//! hard-to-round texts, which lead data rarely has. The tests compare it
//! with std on ties, texts just past them, overflow, underflow, syntax and
//! random texts.

use smallvec::SmallVec;

/// Significant digits kept: a float's halfway points have at most 768, so
/// the digits past 800 matter only in whether any is non-zero.
const MAX_DIGITS: usize = 800;

/// `s` as `str::parse::<f64>` reads it, for texts of digits (not `inf` or
/// `nan`, which the caller has ruled out): `None` where it gives an error.
pub(crate) fn parse(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    // The value is `digits × 10^exp`; leading zeros are not kept. Inline
    // up to 32 digits: a lead's numbers allocate nothing.
    let mut digits: SmallVec<[u8; 32]> = SmallVec::new();
    let mut exp: i64 = 0;
    let mut dropped_nonzero = false;
    let mut seen_digit = false;
    let mut i = 0;
    // The digits before the point, then those after it.
    for fraction in [false, true] {
        if fraction {
            if b.get(i) != Some(&b'.') {
                break;
            }
            i += 1;
        }
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()).map(|c| c - b'0') {
            seen_digit = true;
            if digits.len() == MAX_DIGITS {
                // Kept only as "something non-zero"; before the point it
                // still counts a place.
                dropped_nonzero |= d != 0;
                exp += i64::from(!fraction);
            } else {
                if d != 0 || !digits.is_empty() {
                    digits.push(d);
                }
                exp -= i64::from(fraction);
            }
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        let negative_exp = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        let mut e: i64 = 0;
        while let Some(d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            // As std does: digits past the first that reach 65,536 are read
            // but not counted (`e700000` is `e70000`), which only a text of
            // some 655,360 digits could tell from the exact value.
            if e < 0x10000 {
                e = e * 10 + i64::from(d - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        exp += if negative_exp { -e } else { e };
    }
    if i != b.len() {
        return None;
    }
    if dropped_nonzero {
        // Just above the digits kept, and below the next text of that many
        // digits: on the same side of every halfway point as the text.
        digits.push(1);
        exp -= 1;
    }
    let x = if digits.is_empty() {
        0.0
    } else {
        value(&digits, exp)
    };
    Some(if negative { -x } else { x })
}

/// `digits × 10^exp`, correctly rounded (`digits` starts with a non-zero).
fn value(digits: &[u8], exp: i64) -> f64 {
    // The value is below 10^magnitude and at least a tenth of it.
    let magnitude = exp + digits.len() as i64;
    if magnitude > 310 {
        return f64::INFINITY;
    }
    if magnitude < -325 {
        return 0.0;
    }
    if digits.len() <= 15 && (-22..=22).contains(&exp) {
        // Both exact, so one operation rounds correctly (Clinger).
        let w = digits.iter().fold(0u64, |w, &d| w * 10 + u64::from(d)) as f64;
        let p = (0..exp.unsigned_abs()).fold(1.0f64, |p, _| p * 10.0);
        return if exp < 0 { w / p } else { w * p };
    }
    let mut n = Big::from_digits(digits);
    let mut s = Big(vec![1]);
    // value = n / s × 2^b2
    let b2 = if exp >= 0 {
        for _ in 0..exp {
            n.mul_small(10);
        }
        0
    } else {
        for _ in 0..-exp {
            s.mul_small(5);
        }
        exp
    };
    // q = ⌊n × 2^shift / s⌋ has 54 bits (53 and a rounding bit), or fewer
    // where the result is subnormal.
    let excess = n.bits() as i64 - s.bits() as i64;
    let shift = (54 - excess).min(b2 + 1075);
    if shift >= 0 {
        n.shl(shift as usize);
    } else {
        s.shl(shift.unsigned_abs() as usize);
    }
    let (mut q, mut rest) = n.div_small_quotient(&s);
    let mut shift = shift;
    if q >> 54 != 0 {
        rest |= q & 1 != 0;
        q >>= 1;
        shift -= 1;
    }
    // The float is m × 2^e2 (m: 53 bits, or fewer when subnormal).
    let (mut m, half) = (q >> 1, q & 1 != 0);
    let e2 = b2 - shift + 1;
    if half && (rest || m & 1 != 0) {
        m += 1;
    }
    let biased = e2 + 1074;
    if biased >= 2046 {
        return f64::INFINITY;
    }
    // ((biased exponent − 1) << 52) + m: a carry out of 53 bits moves into
    // the exponent, and a subnormal m (e2 = −1074) is its own bits.
    f64::from_bits(((biased as u64) << 52).wrapping_add(m))
}

/// A non-negative big integer, 32-bit limbs, least significant first.
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(vec![0]);
        for chunk in digits.chunks(9) {
            let (mut scale, mut add) = (1u32, 0u32);
            for &d in chunk {
                scale *= 10;
                add = add * 10 + u32::from(d);
            }
            b.mul_small(scale);
            b.add_small(add);
        }
        b
    }

    fn mul_small(&mut self, k: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(k) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, k: u32) {
        let mut carry = u64::from(k);
        for limb in &mut self.0 {
            if carry == 0 {
                return;
            }
            let x = u64::from(*limb) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn bits(&self) -> usize {
        let top = self.0.iter().rposition(|&l| l != 0);
        top.map_or(0, |i| 32 * i + 32 - self.0[i].leading_zeros() as usize)
    }

    fn shl(&mut self, bits: usize) {
        let (limbs, bits) = (bits / 32, bits % 32);
        if bits != 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let x = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = x;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let (a, b) = (self.bits(), other.bits());
        if a != b {
            return a.cmp(&b);
        }
        let n = a.div_ceil(32);
        (0..n)
            .rev()
            .map(|i| self.0[i].cmp(&other.0[i]))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }

    /// `self -= other`, for `other <= self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let o = other.0.get(i).map_or(0, |&x| i64::from(x));
            let x = i64::from(*limb) - o - borrow;
            borrow = i64::from(x < 0);
            *limb = x.rem_euclid(1 << 32) as u32;
        }
    }

    /// `⌊self / d⌋` when it is below 2^56, and whether anything remains.
    fn div_small_quotient(mut self, d: &Big) -> (u64, bool) {
        let mut q = 0u64;
        for bit in (0..56).rev() {
            let mut shifted = Big(d.0.clone());
            shifted.shl(bit);
            if self.cmp(&shifted).is_ge() {
                self.sub(&shifted);
                q |= 1 << bit;
            }
        }
        (q, self.bits() != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use proptest::prelude::*;

    /// Ours and std's, bit for bit (`None` for a text std refuses).
    fn same(s: &str) -> Result<(), TestCaseError> {
        let std = s.parse::<f64>().ok().map(f64::to_bits);
        let shown: String = s.chars().take(120).collect();
        prop_assert_eq!(
            parse(s).map(f64::to_bits),
            std,
            "{:?}… ({} bytes)",
            shown,
            s.len()
        );
        Ok(())
    }

    #[test]
    fn edges() -> Result<(), TestCaseError> {
        for s in [
            "0",
            "-0",
            "+0",
            "1",
            "1.",
            ".5",
            "+.5",
            "-.5",
            ".",
            "+.",
            "1e",
            "1e+",
            "1.e5",
            ".e5",
            "1e5",
            "1E5",
            "1e-5",
            "1_000",
            "0x10",
            "1,5",
            "1.5.5",
            "1e5e5",
            "--1",
            "+-1",
            " 1",
            "1 ",
            "",
            "+",
            "-",
            "e5",
            "1e400",
            "-1e400",
            "1e-400",
            "0e99999999999999999999",
            "1e-99999999999999999999",
            "9007199254740993",
            "9007199254740993.0000000000000000000000001",
            "9007199254740995",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "1e22",
            "1e23",
            "8.5e-323",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "7.4109846876186982e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405301e276",
            "00000000000000000000000000001",
            "000.000",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126",
            "10201039226423554199265476608.000000000000000000000000000001",
        ] {
            same(s)?;
        }
        same(&format!("0.{}1", "0".repeat(400)))?;
        same(&format!("1{}", "0".repeat(310)))?;
        same(&format!("1{}e-300", "0".repeat(1000)))?;
        same(&format!("2.{}e-320", "4".repeat(900)))?;
        same(&format!("9{}", "9".repeat(308)))?;
        // The exact halfway point below the smallest subnormal, and past it.
        let half = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125";
        same(half)?;
        same(&format!("{half}1"))?;
        // Between f64::MAX and 2^1024: the overflow threshold, and beside it.
        let threshold = digits_of((1 << 54) - 1, 970, 0);
        same(&threshold)?;
        same(&format!("{threshold}.000000000000000000001"))?;
        // A power of two times an odd number ends in 2, 4, 6 or 8: one less.
        let last = threshold.as_bytes()[threshold.len() - 1];
        let below = format!(
            "{}{}",
            &threshold[..threshold.len() - 1],
            char::from(last - 1)
        );
        same(&format!("{below}.999999999999999999999"))?;
        same(&digits_of(1, 1024, 0))?;
        same(&digits_of((1 << 53) - 1, 971, 0))?;
        // Exponents read as std reads them: past 65,536 digits are not counted.
        same(&format!("1{}e-700000", "0".repeat(700_000)))?;
        same(&format!("0.{}1e700001", "0".repeat(700_000)))?;
        same(&format!("0.{}1e655361", "0".repeat(655_400)))?;
        same("1e99999999999999999999999999")?;
        same("1e-99999999999999999999999999")?;
        Ok(())
    }

    /// The decimal digits of m × 2^twos × 5^fives.
    fn digits_of(m: u64, twos: u32, fives: u32) -> String {
        // Little-endian base-10 digits.
        let mut d: Vec<u32> = m
            .to_string()
            .bytes()
            .rev()
            .map(|b| u32::from(b - b'0'))
            .collect();
        let mut times = |k: u32| {
            let mut carry = 0;
            for x in d.iter_mut() {
                let v = *x * k + carry;
                *x = v % 10;
                carry = v / 10;
            }
            while carry > 0 {
                d.push(carry % 10);
                carry /= 10;
            }
        };
        for _ in 0..twos {
            times(2);
        }
        for _ in 0..fives {
            times(5);
        }
        d.iter()
            .rev()
            .map(|x| char::from(b'0' + *x as u8))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn texts(s in "[+-]?[0-9]{0,22}(\\.[0-9]{0,22})?([eE][+-]?[0-9]{0,4})?") {
            same(&s)?;
        }

        #[test]
        fn junk(s in "[-+.eE0-9_ xa-z]{0,14}") {
            same(&s)?;
        }

        /// A float's own text, and texts near it.
        #[test]
        fn floats(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                same(&format!("{x:e}"))?;
                same(&format!("{x:.30e}"))?;
                same(&format!("{:e}", x.abs()))?;
            }
        }

        /// A tie between two floats above 2^53 (an integer), and the texts
        /// just below and above it.
        #[test]
        fn ties(m in (1u64 << 52)..(1u64 << 53), shift in 1u32..70) {
            let tie = (u128::from(m) << shift) + (1u128 << (shift - 1));
            same(&tie.to_string())?;
            same(&format!("{tie}.000000000000000000000000000001"))?;
            same(&format!("{}.999999999999999999999999999999", tie - 1))?;
        }

        /// Ties between two floats below 2^27, written out exactly: an odd
        /// m of 54 bits over 2^k is halfway between two floats, and
        /// m × 5^k / 10^k has k digits after the point.
        #[test]
        fn small_ties(m in (1u64 << 53)..(1u64 << 54), k in 1u32..=27) {
            let scaled = u128::from(m | 1) * 5u128.pow(k);
            same(&format!("{scaled}e-{k}"))?;
            same(&format!("{scaled}000000000000000000001e-{}", k + 21))?;
            same(&format!("{}999999999999999999999e-{}", scaled - 1, k + 21))?;
        }

        /// Ties between subnormals: (2j + 1) × 2^-1075, written out in
        /// its 750-odd digits, and a hair above and below it.
        #[test]
        fn subnormal_ties(j in 0u64..(1u64 << 52)) {
            let tie = digits_of(2 * j + 1, 0, 1075);
            same(&format!("{tie}e-1075"))?;
            same(&format!("{tie}1e-1076"))?;
            // An odd multiple of 5^1075 ends in 5: one less, then 999.
            same(&format!("{}4999e-1078", &tie[..tie.len() - 1]))?;
        }

        /// Many digits, in any place.
        #[test]
        fn long(digits in "[0-9]{1,900}", point in 0usize..900, exp in -400i32..400) {
            let at = point.min(digits.len());
            same(&format!("{}.{}e{exp}", &digits[..at], &digits[at..]))?;
        }
    }
}
