//! Typed comparison of condition values: numbers, dates (ISO 8601 or epoch
//! seconds), booleans, base64 binaries and IP addresses/CIDR ranges.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;
use std::net::IpAddr;

/// A number as IAM compares it: integers exactly, others as floats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i128),
    Float(f64),
}

pub fn parse_number(s: &str) -> Option<Number> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i128>() {
        return Some(Number::Int(i));
    }
    parse_float(t).map(Number::Float)
}

/// The finite `f64` nearest to a decimal number written as `str::parse::<f64>` reads it
/// (`[+-]digits[.digits][(e|E)[+-]digits]`, at least one digit before the exponent), rounding
/// to even on a tie; `None` for anything else, infinities and NaN included. The same value as
/// `t.parse::<f64>().ok().filter(|f| f.is_finite())` (a test compares them), without the
/// standard parser's 10 KB table of powers of five in the playground's WebAssembly: numbers
/// that IAM policies hold (up to 2^53 with at most 22 decimal places or zeros) are converted
/// exactly by one multiplication or division; the others by exact integer arithmetic on at
/// most [`FLOAT_DIGITS`] significant digits (more digits than any tie between two floats has,
/// so the ones after them only tell whether the number is above such a tie).
pub fn parse_float(t: &str) -> Option<f64> {
    let (negative, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, t.get(1..)?),
        Some(b'+') => (false, t.get(1..)?),
        _ => (false, t),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (rest.get(..i)?, Some(rest.get(i + 1..)?)),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // The exponent, saturated far beyond where every number is infinite or zero.
    let exp10: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (minus, digits) = match e.as_bytes().first() {
                Some(b'-') => (true, e.get(1..)?),
                Some(b'+') => (false, e.get(1..)?),
                _ => (false, e),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            let n = digits
                .bytes()
                .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(1 << 40));
            if minus {
                -n
            } else {
                n
            }
        }
    };
    // Significant digits: leading and trailing zeros dropped; value = digits × 10^exp10.
    let digits = whole.bytes().chain(fraction.bytes());
    let mut significant: Vec<u8> = digits
        .skip_while(|&b| b == b'0')
        .map(|b| b - b'0')
        .collect();
    let mut exp10 = exp10 - fraction.len() as i64;
    while significant.last() == Some(&0) {
        significant.pop();
        exp10 += 1;
    }
    let signed = |f: f64| if negative { -f } else { f };
    let n = significant.len() as i64;
    if n == 0 || n + exp10 < -324 {
        // Zero, or below half the smallest subnormal (10^-325 < 2^-1075).
        return Some(signed(0.0));
    }
    if n - 1 + exp10 > 308 {
        return None; // at least 10^309: beyond f64::MAX
    }
    // Clinger's fast path: an integer of at most 53 bits and a power of ten that f64 holds
    // exactly give the correctly rounded quotient or product in one operation.
    if n <= 15 && (-22..=22).contains(&exp10) {
        let w = significant.iter().fold(0u64, |w, &d| w * 10 + u64::from(d)) as f64;
        let p = POW10.get(exp10.unsigned_abs() as usize).copied()?;
        return Some(signed(if exp10 < 0 { w / p } else { w * p }));
    }
    let sticky = significant.len() > FLOAT_DIGITS;
    if sticky {
        exp10 += (significant.len() - FLOAT_DIGITS) as i64;
        significant.truncate(FLOAT_DIGITS);
    }
    let mut w = Big::from_digits(&significant);
    // q × 2^-scale is the value, to 64 bits or more, `inexact` if bits were left out.
    let (q, scale, inexact) = if exp10 >= 0 {
        for _ in 0..exp10 {
            w.mul_small(10);
        }
        let drop = w.bits().saturating_sub(64);
        let low_bits = w.any_low_bits(drop);
        (w.shr_to_u128(drop), -(drop as i64), sticky || low_bits)
    } else {
        let mut d = Big::from_digits(&[1]);
        for _ in 0..exp10.unsigned_abs() {
            d.mul_small(10);
        }
        // Scaled by a power of two so that the quotient has 64 or 65 bits.
        let shift = (d.bits() + 64) as i64 - w.bits() as i64;
        if shift >= 0 {
            w.shl(shift.unsigned_abs());
        } else {
            d.shl(shift.unsigned_abs());
        }
        let (q, remainder) = w.div_small_quotient(&d);
        (q, shift, sticky || remainder)
    };
    round_to_f64(q, scale, inexact).map(signed)
}

/// Significant digits kept by [`parse_float`]: a tie between two floats has at most 767.
const FLOAT_DIGITS: usize = 800;

/// The powers of ten that an `f64` holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The float nearest to `q × 2^-scale` (plus a little when `inexact`), ties to even; `None`
/// when it is beyond `f64::MAX`.
fn round_to_f64(q: u128, scale: i64, inexact: bool) -> Option<f64> {
    let bits = i64::from(128 - q.leading_zeros());
    if bits == 0 {
        return Some(0.0);
    }
    let top = bits - 1 - scale; // the value is in [2^top, 2^(top+1))
    let ulp = (top - 52).max(-1074); // the exponent of the last bit kept
    let drop = ulp + scale; // bits of q below that bit
    let (mut mantissa, half, below) = if drop <= 0 {
        (q << drop.unsigned_abs().min(127), false, false)
    } else if drop > 127 {
        (0, false, true)
    } else {
        let d = drop as u32;
        let half_bit = 1u128 << (d - 1);
        (
            q >> d,
            q & half_bit != 0,
            q & (half_bit - 1) != 0 || inexact,
        )
    };
    let below = below || drop <= 0 && inexact;
    if half && (below || mantissa & 1 == 1) {
        mantissa += 1;
    }
    let mut ulp = ulp;
    if mantissa >> 53 != 0 {
        mantissa >>= 1;
        ulp += 1;
    }
    if mantissa >> 52 == 0 {
        // A subnormal (ulp is -1074): the bits are the mantissa itself.
        return Some(f64::from_bits(mantissa as u64));
    }
    let biased = ulp + 52 + 1023;
    if biased >= 0x7ff {
        return None;
    }
    let fraction = (mantissa as u64) & ((1 << 52) - 1);
    Some(f64::from_bits(((biased as u64) << 52) | fraction))
}

/// A non-negative integer of any size, 32-bit limbs, least significant first: what
/// [`parse_float`] needs for numbers out of the fast path.
struct Big(Vec<u32>);

impl Big {
    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(Vec::with_capacity(digits.len() / 9 + 1));
        for chunk in digits.chunks(9) {
            let mut value = 0u32;
            let mut scale = 1u32;
            for &d in chunk {
                value = value * 10 + u32::from(d);
                scale *= 10;
            }
            b.mul_small(scale);
            b.add_small(value);
        }
        b
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let x = u64::from(*limb) * u64::from(m) + carry;
            *limb = x as u32;
            carry = x >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
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

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bits(&self) -> u64 {
        match self.0.iter().rposition(|&l| l != 0) {
            Some(i) => {
                i as u64 * 32 + u64::from(32 - self.0.get(i).map_or(32, |l| l.leading_zeros()))
            }
            None => 0,
        }
    }

    fn bit(&self, i: u64) -> bool {
        self.0
            .get((i / 32) as usize)
            .is_some_and(|l| l >> (i % 32) & 1 == 1)
    }

    /// Whether any of the `n` lowest bits is set.
    fn any_low_bits(&self, n: u64) -> bool {
        (0..n).any(|i| self.bit(i))
    }

    /// `self >> n`, which must fit in 128 bits.
    fn shr_to_u128(&self, n: u64) -> u128 {
        (0..128u64)
            .filter(|&i| self.bit(n + i))
            .fold(0u128, |q, i| q | 1 << i)
    }

    fn shl(&mut self, n: u64) {
        let limbs = (n / 32) as usize;
        let bits = (n % 32) as u32;
        if bits != 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for limb in self.0.iter_mut().rev() {
            let next = *limb & 1;
            *limb = (*limb >> 1) | (carry << 31);
            carry = next;
        }
        self.trim();
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let (a, b) = (self.bits(), other.bits());
        if a != b {
            return a.cmp(&b);
        }
        let n = self.0.len().max(other.0.len());
        for i in (0..n).rev() {
            let x = self.0.get(i).copied().unwrap_or(0);
            let y = other.0.get(i).copied().unwrap_or(0);
            if x != y {
                return x.cmp(&y);
            }
        }
        Ordering::Equal
    }

    /// `self -= other`, `other` being at most `self`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let x = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(x < 0);
            *limb = (x + (borrow << 32)) as u32;
        }
        self.trim();
    }

    /// `self / d` (a quotient of at most 127 bits), and whether a remainder is left.
    fn div_small_quotient(mut self, d: &Big) -> (u128, bool) {
        let steps = self.bits().saturating_sub(d.bits()).min(126);
        let mut divisor = Big(d.0.clone());
        divisor.shl(steps);
        let mut q = 0u128;
        for _ in 0..=steps {
            q <<= 1;
            if self.cmp(&divisor) != Ordering::Less {
                self.sub(&divisor);
                q |= 1;
            }
            divisor.shr1();
        }
        (q, self.bits() != 0)
    }
}

pub fn compare_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (x, y) => as_f64(x).partial_cmp(&as_f64(y)),
    }
}

fn as_f64(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

/// Parses a date as IAM accepts it: ISO 8601 (with or without time, zone
/// and fraction; without a zone it is UTC; basic or extended format) or epoch
/// seconds (an 8-digit number is a basic-format date, YYYYMMDD: epoch
/// seconds of that length would be dates in 1970). Returns epoch nanoseconds.
pub fn parse_date(s: &str) -> Option<i128> {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) && t.len() != 8 {
        // An epoch too large for nanoseconds in an i128 is not a date (it
        // would otherwise wrap around to a date before 1970).
        return t
            .parse::<i128>()
            .ok()
            .and_then(|secs| secs.checked_mul(1_000_000_000));
    }
    let d = DateTime::parse_from_rfc3339(&to_rfc3339(t)?)
        .ok()?
        .with_timezone(&Utc);
    Some(i128::from(d.timestamp()) * 1_000_000_000 + i128::from(d.timestamp_subsec_nanos()))
}

/// Rewrites the ISO 8601 forms IAM accepts into RFC 3339, so that one parser
/// (chrono's RFC 3339 parser) reads them all: `2026-01-01` and `20260101`
/// (midnight UTC), `2026-01-01T10:00` (seconds added), `20260101T100000Z`
/// (basic format), no zone (UTC), `+0100` (colon added).
fn to_rfc3339(t: &str) -> Option<String> {
    let (date, time) = match t.split_once(['T', 't', ' ']) {
        Some((d, tm)) => (d, Some(tm)),
        None => (t, None),
    };
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    let date = match date.len() {
        10 => date.to_string(),
        8 if digits(date) => format!("{}-{}-{}", date.get(..4)?, date.get(4..6)?, date.get(6..8)?),
        _ => return None,
    };
    let Some(time) = time else {
        return Some(format!("{date}T00:00:00Z"));
    };
    // split off the zone: Z, or the last + or -
    let (clock, zone) = match time.strip_suffix(['Z', 'z']) {
        Some(c) => (c, "Z".to_string()),
        None => match time.rfind(['+', '-']) {
            Some(i) => {
                let (c, z) = time.split_at(i);
                let z = match z.len() {
                    5 if digits(z.get(1..)?) => format!("{}:{}", z.get(..3)?, z.get(3..)?),
                    3 if digits(z.get(1..)?) => format!("{z}:00"),
                    _ => z.to_string(),
                };
                (c, z)
            }
            None => (time, "Z".to_string()),
        },
    };
    let (whole, fraction) = match clock.split_once('.') {
        Some((w, f)) => (w, format!(".{f}")),
        None => (clock, String::new()),
    };
    let whole = if digits(whole) {
        // basic format: HHMM or HHMMSS
        match whole.len() {
            4 => format!("{}:{}:00", whole.get(..2)?, whole.get(2..)?),
            6 => format!(
                "{}:{}:{}",
                whole.get(..2)?,
                whole.get(2..4)?,
                whole.get(4..)?
            ),
            _ => return None,
        }
    } else {
        match whole.len() {
            5 => format!("{whole}:00"),
            _ => whole.to_string(),
        }
    };
    Some(format!("{date}T{whole}{fraction}{zone}"))
}

pub fn parse_bool(s: &str) -> Option<bool> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A CIDR range, or a single address (as /32 or /128).
pub fn parse_cidr(s: &str) -> Option<ipnet::IpNet> {
    let t = s.trim();
    if let Ok(n) = t.parse::<ipnet::IpNet>() {
        return Some(n);
    }
    t.parse::<IpAddr>().ok().map(ipnet::IpNet::from)
}

pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let t = s.trim();
    t.parse::<IpAddr>().ok().or_else(|| {
        // a request may carry a /32-style single address
        t.parse::<ipnet::IpNet>()
            .ok()
            .filter(|n| n.prefix_len() == n.max_prefix_len())
            .map(|n| n.addr())
    })
}

pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let a = parse_date("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_date("2026-01-01").unwrap(), a);
        assert_eq!(parse_date("1767225600").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T01:00:00+01:00").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T00:00:00.000Z").unwrap(), a);
        assert_eq!(parse_date("20260101").unwrap(), a);
        assert_eq!(parse_date("20260101T000000Z").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T00:00").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T00:00:00").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T01:00:00+0100").unwrap(), a);
        assert_eq!(parse_date("2025-12-31T19:00:00-05").unwrap(), a);
        assert_eq!(
            parse_date("2026-01-01T00:00:00.5Z").unwrap(),
            a + 500_000_000
        );
        assert!(parse_date("next tuesday").is_none());
        assert!(parse_date("2026-13-01").is_none());
        assert!(parse_date("2026-01-01T25:00:00Z").is_none());
        // epoch seconds whose nanoseconds overflow are not a date (no wrap-around)
        assert!(parse_date("200000000000000000000000000000").is_none());
        assert!(parse_date("99999999999999999999999999999999999999999").is_none());
    }

    #[test]
    fn numbers() {
        assert_eq!(
            compare_numbers(parse_number("10").unwrap(), parse_number("9.5").unwrap()),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_numbers(parse_number("3").unwrap(), parse_number("3.0").unwrap()),
            Some(Ordering::Equal)
        );
        assert!(parse_number("ten").is_none());
    }

    /// The standard parser, which `parse_float` replaces in the WebAssembly builds.
    fn std_float(t: &str) -> Option<f64> {
        t.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    fn same_as_std(t: &str) {
        let got = parse_float(t).map(f64::to_bits);
        let want = std_float(t).map(f64::to_bits);
        assert_eq!(got, want, "{t}: {:?} != {:?}", parse_float(t), std_float(t));
    }

    #[test]
    fn float_reader_agrees_with_the_standard_parser_on_written_forms() {
        for t in [
            "0",
            "-0",
            "+0.0",
            "0.5",
            ".5",
            "5.",
            "-.5",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "2.5e-3",
            "3.14159",
            "0.1",
            "0.2",
            "0.3",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e308",
            "1e309",
            "2e308",
            "4.9e-324",
            "5e-324",
            "2.5e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000001",
            "123456789012345678901234567890",
            "0.000000000000000000000000000001",
            "1e-400",
            "1e400",
            "0e999999999999999999999",
            "1e-999999999999999999999",
            "1e999999999999999999999",
            "00000001.5000000",
            "1e22",
            "1e23",
            "8.98846567431158e307",
            "1.5e-45",
            "7.2057594037927933e16",
            "",
            ".",
            "e5",
            "1e",
            "1e+",
            "-",
            "+",
            "1.2.3",
            "1e5e5",
            "0x10",
            "1_000",
            " 1",
            "inf",
            "-inf",
            "NaN",
            "infinity",
            "1,5",
            "١",
        ] {
            same_as_std(t);
        }
        // 2^-1075 written out exactly, then just above it and just below it
        let half_min = format!("{:.1100}", f64::from_bits(1) / 2.0);
        same_as_std(&half_min);
    }

    /// Adds two non-negative decimals written with the same number of fraction digits.
    fn add_decimals(a: &str, b: &str) -> String {
        let (ai, af) = a.split_once('.').unwrap();
        let (bi, bf) = b.split_once('.').unwrap();
        let width = ai.len().max(bi.len());
        let x: Vec<u8> = format!("{ai:0>width$}{af}").bytes().collect();
        let y: Vec<u8> = format!("{bi:0>width$}{bf}").bytes().collect();
        let mut out = Vec::new();
        let mut carry = 0;
        for (p, q) in x.iter().rev().zip(y.iter().rev()) {
            let d = (p - b'0') + (q - b'0') + carry;
            out.push(b'0' + d % 10);
            carry = d / 10;
        }
        if carry > 0 {
            out.push(b'1');
        }
        out.reverse();
        let s = String::from_utf8(out).unwrap();
        let (i, f) = s.split_at(s.len() - af.len());
        format!("{i}.{f}")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Ties between two neighbouring floats (exactly, and a hair above and below), where a
        /// reader that rounds twice goes wrong, read as the standard parser reads them.
        #[test]
        fn float_reader_rounds_ties_as_the_standard_parser(bits in 0u64..0x7fef_ffff_ffff_ffff) {
            let x = f64::from_bits(bits);
            let half_ulp = (f64::from_bits(bits + 1) - x) / 2.0;
            // Exact: both are doubles and {:.1100} prints every digit of one.
            let tie = add_decimals(&format!("{x:.1100}"), &format!("{half_ulp:.1100}"));
            same_as_std(&tie);
            same_as_std(&format!("{tie}1"));
            let below = tie.trim_end_matches('0');
            if let Some(last) = below.bytes().last().filter(|b| b.is_ascii_digit() && *b > b'0') {
                same_as_std(&format!("{}{}", &below[..below.len() - 1], (last - 1) as char));
            }
        }

        #[test]
        fn float_reader_agrees_with_the_standard_parser(
            sign in "[-+]?",
            whole in "[0-9]{0,30}",
            fraction in proptest::option::of("[0-9]{0,30}"),
            exp in proptest::option::of(-400i32..400),
        ) {
            let mut t = format!("{sign}{whole}");
            if let Some(f) = &fraction {
                t = format!("{t}.{f}");
            }
            if let Some(e) = exp {
                t = format!("{t}e{e}");
            }
            same_as_std(&t);
        }

        #[test]
        fn float_reader_agrees_on_every_double_printed(bits in 0u64..0x7ff0_0000_0000_0000) {
            let x = f64::from_bits(bits);
            same_as_std(&format!("{x}"));
            same_as_std(&format!("{x:e}"));
            same_as_std(&format!("{x:.17e}"));
            same_as_std(&format!("{x:.30e}"));
        }
    }

    #[test]
    fn ips() {
        let n = parse_cidr("54.240.143.0/24").unwrap();
        assert!(n.contains(&parse_ip("54.240.143.188").unwrap()));
        assert!(!n.contains(&parse_ip("2001:db8::1").unwrap()));
        assert!(parse_cidr("203.0.113.7")
            .unwrap()
            .contains(&parse_ip("203.0.113.7").unwrap()));
        assert!(parse_cidr("2001:db8::/32")
            .unwrap()
            .contains(&parse_ip("2001:db8::1").unwrap()));
    }
}
