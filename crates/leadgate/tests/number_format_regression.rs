//! Regression: whole numbers between 2^53 and 1e16 printed with a `.0`
//! fraction (ryu's form), against docs/language.md ("Numbers": a whole
//! number below 10^16 is written as an integer). Found by the conformance
//! corpus (number-formatting case).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code

use leadgate::format_number;

#[test]
fn whole_numbers_above_2_pow_53_have_no_fraction() {
    assert_eq!(format_number(9_007_199_254_740_992.0), "9007199254740992");
    assert_eq!(format_number(-9_007_199_254_740_994.0), "-9007199254740994");
    assert_eq!(format_number(9_999_999_999_999_998.0), "9999999999999998");
    assert_eq!(format_number(1e16), "1e16");
    assert_eq!(
        format_number(1.7976931348623157e308),
        "1.7976931348623157e308"
    );
    assert_eq!(format_number(9_007_199_254_740_991.0), "9007199254740991");
    assert_eq!(format_number(0.5), "0.5");
    assert_eq!(format_number(1e15 + 0.5), "1000000000000000.5");
}

#[test]
fn every_whole_number_round_trips_without_a_fraction() {
    let mut x = 1.0f64;
    while x < 1e22 {
        for v in [x, x + 1.0, -x, x * 3.0] {
            let s = format_number(v);
            // A fraction only ever appears in a mantissa (`1.35e16`).
            assert!(!s.contains('.') || s.contains('e'), "{v} printed as {s}");
            assert_eq!(s.parse::<f64>().ok(), Some(v), "{s} does not read back");
        }
        x *= 2.0;
    }
}
