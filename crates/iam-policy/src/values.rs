//! Typed comparison of condition values: numbers, dates (ISO 8601 or epoch
//! seconds), booleans, base64 binaries and IP addresses/CIDR ranges.

use crate::operator::{BaseOperator, OperatorFamily};
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
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
/// and fraction; without a zone it is UTC) or epoch seconds. Returns epoch
/// nanoseconds.
pub fn parse_date(s: &str) -> Option<i128> {
    let t = s.trim();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse::<i128>().ok().map(|secs| secs * 1_000_000_000);
    }
    let to_ns = |d: DateTime<Utc>| -> i128 {
        i128::from(d.timestamp()) * 1_000_000_000 + i128::from(d.timestamp_subsec_nanos())
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(to_ns(d.with_timezone(&Utc)));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y%m%dT%H%M%S%z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Some(to_ns(d.with_timezone(&Utc)));
        }
    }
    let naive = t.strip_suffix('Z').unwrap_or(t);
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y%m%dT%H%M%S",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(to_ns(d.and_utc()));
        }
    }
    for f in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(naive, f) {
            return d.and_hms_opt(0, 0, 0).map(|dt| to_ns(dt.and_utc()));
        }
    }
    None
}

pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
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

/// Checks a value written in a policy for the operator's type. Returns the
/// message and the fix hint when it cannot be a value of that type.
pub fn check_policy_value(op: BaseOperator, text: &str) -> Option<(String, String)> {
    let bad = |what: &str, example: &str| {
        Some((
            format!("{} expects {what}, but \"{text}\" is not one", op.name()),
            format!("write {what}, for example {example}"),
        ))
    };
    match op.family() {
        OperatorFamily::Numeric if parse_number(text).is_none() => bad("a number", "\"10\""),
        OperatorFamily::Date if parse_date(text).is_none() => {
            bad("a date (ISO 8601 or epoch seconds)", "\"2026-01-01T00:00:00Z\"")
        }
        OperatorFamily::Bool if parse_bool(text).is_none() => bad("true or false", "\"true\""),
        OperatorFamily::Null if parse_bool(text).is_none() => Some((
            format!("Null expects true (the key is absent) or false (the key is present), found \"{text}\""),
            "write \"true\" or \"false\"".to_string(),
        )),
        OperatorFamily::IpAddress if parse_cidr(text).is_none() => {
            bad("an IP address or CIDR range", "\"203.0.113.0/24\" or \"2001:db8::/32\"")
        }
        OperatorFamily::Binary if decode_base64(text).is_none() => bad("a base64-encoded value", "\"QmluYXJ5VmFsdWU=\""),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let a = parse_date("2026-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_date("2026-01-01").unwrap(), a);
        assert_eq!(parse_date("1767225600").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T01:00:00+01:00").unwrap(), a);
        assert_eq!(parse_date("2026-01-01T00:00:00.000Z").unwrap(), a);
        assert!(parse_date("next tuesday").is_none());
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
