//! `Amount`: a table of valid and invalid inputs, JSON numbers, and format∘parse properties.

use juspay_types::{Amount, AmountProblem, Error};
use proptest::prelude::*;

#[test]
fn valid_inputs() {
    let table: &[(&str, u64, &str)] = &[
        ("100", 10_000, "100.00"),
        ("100.15", 10_015, "100.15"),
        ("100.1", 10_010, "100.10"),
        ("100.10", 10_010, "100.10"),
        ("10.00", 1_000, "10.00"),
        ("1.0", 100, "1.00"),
        ("0", 0, "0.00"),
        ("0.01", 1, "0.01"),
        ("0.5", 50, "0.50"),
        ("007", 700, "7.00"),
        ("184467440737095516.15", u64::MAX, "184467440737095516.15"),
        ("100.5", 10_050, "100.50"),
        ("100.05", 10_005, "100.05"),
        ("00.5", 50, "0.50"),
    ];
    for (input, minor, canonical) in table {
        let a = Amount::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(a.minor_units(), *minor, "{input}");
        assert_eq!(a.to_string(), *canonical, "{input}");
    }
    assert_eq!(Amount::parse("100.5"), Amount::parse("100.50"));
}

#[test]
fn invalid_inputs_say_why() {
    use AmountProblem as P;
    let table: &[(&str, AmountProblem)] = &[
        ("100.1532", P::TooManyDecimals { found: 4 }),
        ("100.123", P::TooManyDecimals { found: 3 }),
        ("-1", P::Negative),
        ("-0.5", P::Negative),
        ("+1", P::Sign),
        ("1e3", P::Exponent),
        ("1E3", P::Exponent),
        ("1.5e2", P::Exponent),
        ("NaN", P::NotANumber),
        ("nan", P::NotANumber),
        ("inf", P::NotANumber),
        ("-Infinity", P::NotANumber),
        ("", P::Empty),
        (" 100", P::Whitespace { index: 0 }),
        ("100 ", P::Whitespace { index: 3 }),
        ("1 00", P::Whitespace { index: 1 }),
        ("100\n", P::Whitespace { index: 3 }),
        (".5", P::MissingDigits),
        ("5.", P::MissingDigits),
        ("1.2.3", P::InvalidCharacter { index: 3 }),
        ("1,000", P::InvalidCharacter { index: 1 }),
        ("₹100", P::InvalidCharacter { index: 0 }),
        ("0x10", P::InvalidCharacter { index: 1 }),
        ("184467440737095516.16", P::Overflow),
        ("99999999999999999999", P::Overflow),
        // Edge texts.
        (".", P::MissingDigits),
        ("1.", P::MissingDigits),
        ("-", P::Negative),
        ("1e", P::Exponent),
        ("\u{a0}1", P::Whitespace { index: 0 }),
        ("١٢", P::InvalidCharacter { index: 0 }),
        ("184467440737095517", P::Overflow),
    ];
    for (input, problem) in table {
        assert_eq!(
            Amount::parse(input),
            Err(Error::InvalidAmount(*problem)),
            "{input:?}"
        );
    }
    let message = Amount::parse("100.1532").unwrap_err().to_string();
    assert_eq!(
        message,
        "invalid amount: 4 decimal places, at most 2 are allowed"
    );
}

#[test]
fn json_strings_and_numbers() {
    let ok: &[(&str, u64)] = &[
        (r#""100""#, 10_000),
        (r#""100.15""#, 10_015),
        ("100", 10_000),
        ("100.5", 10_050),
        ("100.15", 10_015),
        ("0.07", 7),
        ("400", 40_000),
    ];
    for (json, minor) in ok {
        let a: Amount = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(a.minor_units(), *minor, "{json}");
    }
    // 0.1 + 0.2 is 0.30000000000000004: rejected, never rounded.
    // 927473290204.0101 needs correctly rounded float parsing (serde_json `float_roundtrip`):
    // a one-ulp error turns it into 927473290204.01 (found by proptest).
    for bad in [
        r#""100.1532""#,
        "100.1532",
        "-1",
        "0.30000000000000004",
        "927473290204.0101",
        "true",
        "null",
        r#""""#,
    ] {
        assert!(serde_json::from_str::<Amount>(bad).is_err(), "{bad}");
    }
    assert_eq!(
        serde_json::to_string(&Amount::from_minor_units(10_015)).unwrap(),
        r#""100.15""#
    );
}

/// A JSON number with a fraction reaches us as an `f64`; from 10^13 up, two-decimal amounts
/// no longer survive that (`90071992547409.93` would read as `...409.94`), so such numbers
/// are refused with a reason instead of being silently changed.
#[test]
fn large_json_floats_are_refused_not_altered() {
    for json in [
        "90071992547409.93",
        "99999999999999.99",
        "100000000000000.01",
        "12345678901234567.5",
        "92233720368547758.07",
        "10000000000000.5",
        "1e13",
        "18446744073709551616",
    ] {
        assert_eq!(
            serde_json::from_str::<Amount>(json)
                .map_err(|e| e.to_string())
                .unwrap_err(),
            "invalid amount: a JSON number of 10^13 or more cannot carry an exact amount, send it as a string",
            "{json}"
        );
    }
    // Integers travel exactly (u64), and strings are never limited.
    let a: Amount = serde_json::from_str("18446744073709551").unwrap();
    assert_eq!(a.minor_units(), 1_844_674_407_370_955_100);
    let a: Amount = serde_json::from_str(r#""90071992547409.93""#).unwrap();
    assert_eq!(a.minor_units(), 9_007_199_254_740_993);
    // Just below the bound every two-decimal text is exact.
    let a: Amount = serde_json::from_str("9999999999999.99").unwrap();
    assert_eq!(a.minor_units(), 999_999_999_999_999);
}

proptest! {
    /// Every two-decimal amount below 10^13 sent as a JSON number reads exactly.
    #[test]
    fn json_numbers_below_the_bound_are_exact(major in 0u64..10_000_000_000_000, minor in 0u64..100) {
        let text = format!("{major}.{minor:02}");
        let a: Amount = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(a.minor_units(), major * 100 + minor, "{}", text);
    }

    /// parse(format(a)) == a for every amount.
    #[test]
    fn parse_of_format_is_identity(minor in any::<u64>()) {
        let a = Amount::from_minor_units(minor);
        prop_assert_eq!(Amount::parse(&a.to_string()), Ok(a));
    }

    /// format(parse(s)) == s for every canonical string, and parse accepts every string of
    /// the schema pattern with up to two decimals, normalising it.
    #[test]
    fn format_of_parse_is_identity_on_canonical_text(major in 0u64..=184_467_440_737_095_515, minor in 0u64..100) {
        let text = format!("{major}.{minor:02}");
        prop_assert_eq!(Amount::parse(&text).map(|a| a.to_string()), Ok(text));
    }

    #[test]
    fn pattern_strings_parse_to_the_same_value(major in 0u64..1_000_000_000, frac in "[0-9]{0,2}") {
        let text = if frac.is_empty() { major.to_string() } else { format!("{major}.{frac}") };
        let a = Amount::parse(&text).unwrap();
        let padded = format!("{frac:0<2}");
        let minor: u64 = if frac.is_empty() { 0 } else { padded.parse().unwrap() };
        prop_assert_eq!(a.minor_units(), major * 100 + minor);
    }

    /// Any JSON float whose shortest text has at most two decimals parses to that text.
    #[test]
    fn json_numbers_follow_their_text(x in 0.0f64..1e12) {
        let text = format!("{x}");
        let via_json = serde_json::from_str::<Amount>(&serde_json::to_string(&x).unwrap());
        prop_assert_eq!(via_json.ok(), Amount::parse(&text).ok());
    }

    /// Parsing never panics on arbitrary input.
    #[test]
    fn parse_never_panics(s in "\\PC{0,40}") {
        let _ = Amount::parse(&s);
    }
}
