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
    match t.parse::<f64>() {
        Ok(f) if f.is_finite() => Some(Number::Float(f)),
        _ => None,
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
