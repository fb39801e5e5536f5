//! # iam-share
//!
//! Share links: a whole scenario (see `docs/scenario-format.md`) in the URL
//! fragment, so that a link opens the playground on exactly that situation. Fragments
//! are never sent to a server by browsers: a shared scenario stays between the people
//! who share it.
//!
//! Fragment (without `#`): `s=1.<data>` where `1` is the share format version and
//! `<data>` is the payload JSON, raw-DEFLATE compressed (no zlib header), in unpadded
//! base64url. Other `&`-separated parts of a fragment are ignored, so
//! `#top&s=1.…` reads too.
//!
//! A link is untrusted input: a few kilobytes inflate to megabytes. The
//! decoder stops inflating at [`MAX_PAYLOAD`] and checks what the scenario
//! holds against named limits ([`check_limits`]: each policy, all policies,
//! the number of policies and requests, context keys and values, request
//! strings) before the engine reads anything; [`ShareError::TooLarge`] names
//! the limit.
//!
//! With the `deflate` feature (the default; the playground leaves it out and uses the
//! browser's DEFLATE around [`packed_payload`] and [`fragment_of_packed`]):
//!
//! ```
//! # #[cfg(feature = "deflate")] {
//! use iam_policy::Scenario;
//! let s = Scenario::from_json(r#"{"policies":{},"requests":[]}"#).unwrap();
//! let fragment = iam_share::encode_scenario(&s);
//! assert!(fragment.starts_with("s=1."));
//! let back = iam_share::decode_scenario(&fragment).unwrap();
//! assert_eq!(back, s);
//! # }
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use iam_policy::Diagnostic;
#[cfg(feature = "deflate")]
use iam_policy::Scenario;

/// The share format version written in links.
pub const SHARE_VERSION: u32 = 1;

/// The fragment part that holds a share payload.
pub const PREFIX: &str = "s=";

// ---------------------------------------------------------------- limits
//
// A link is untrusted input: a few kilobytes of a repetitive payload inflate
// about 700:1. Everything in it is measured against these limits before
// anything is read by the engine, let alone evaluated; they are far above
// what AWS allows (its largest policy quota is 32 KB, a KMS key policy).

/// Largest decompressed payload: 1 MiB.
pub const MAX_PAYLOAD: usize = 1024 * 1024;
/// Largest policy: 128 KiB of text (a JSON object counts as the engine
/// pretty-prints it).
pub const MAX_POLICY_TEXT: usize = 128 * 1024;
/// All the policies of a scenario together: 1 MiB.
pub const MAX_TOTAL_POLICY_TEXT: usize = 1024 * 1024;
/// Policies in a scenario, all layers together.
pub const MAX_POLICIES: usize = 100;
/// Requests in a scenario.
pub const MAX_REQUESTS: usize = 1_000;
/// Requests × bytes of policy text: every request is decided against every
/// policy (100,000,000: 100 requests against 1 MiB of policies, about 0.1 s).
pub const MAX_EVALUATION_SIZE: usize = 100_000_000;
/// Context keys of one request.
pub const MAX_CONTEXT_KEYS: usize = 256;
/// Values of one multivalued context key.
pub const MAX_CONTEXT_VALUES: usize = 1_024;
/// Any one string of a request (principal, action, resource, a context key
/// or value, its name): 4 KiB (an ARN is at most 2,048 characters, a tag
/// value 256).
pub const MAX_REQUEST_TEXT: usize = 4 * 1024;
/// The scenario's name or description: 64 KiB.
pub const MAX_DESCRIPTION: usize = 64 * 1024;

/// What is over which limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exceeded {
    /// What was measured ("policy identity/0", "request 3's context").
    pub what: String,
    /// Its size; `None` when measuring stopped at the limit.
    pub size: Option<usize>,
    pub limit: usize,
    /// "bytes", "policies", …
    pub unit: &'static str,
    /// The limit's name (`MAX_POLICY_TEXT`).
    pub name: &'static str,
}

/// 1048576 → "1,048,576".
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = self.unit;
        match self.size {
            Some(size) => write!(f, "{} is {} {unit}", self.what, group(size))?,
            None => write!(f, "{} is more than {} {unit}", self.what, group(self.limit))?,
        }
        write!(
            f,
            ", over the share-link limit of {} {unit} ({})",
            group(self.limit),
            self.name
        )
    }
}

/// Why a fragment could not be read. Every failure is a value; nothing panics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment holds no `s=` part: not a share link (not an error to show).
    NotALink,
    /// Made by a newer playground.
    UnknownVersion(String),
    /// Not base64url, or no `.` after the version.
    BadEncoding,
    /// Not raw DEFLATE, or cut short.
    BadCompression,
    /// Over one of the limits above (checked before the engine reads anything).
    TooLarge(Box<Exceeded>),
    /// Not JSON.
    BadJson(String),
    /// JSON, but not a scenario (with the scenario reader's diagnostics).
    BadScenario(Vec<Diagnostic>),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotALink => write!(f, "the address holds no shared scenario"),
            ShareError::UnknownVersion(v) => write!(
                f,
                "this link was made by a newer playground (share format {v}); this one reads format {SHARE_VERSION}"
            ),
            ShareError::BadEncoding => write!(f, "the link is cut short or damaged (bad base64)"),
            ShareError::BadCompression => write!(
                f,
                "the link is cut short or damaged (bad compressed data)"
            ),
            ShareError::TooLarge(e) => write!(
                f,
                "the link's scenario is too large to open: {e}; nothing in it was evaluated"
            ),
            ShareError::BadJson(e) => write!(f, "the link's content is not JSON: {e}"),
            ShareError::BadScenario(diags) => match diags.first() {
                Some(d) => write!(
                    f,
                    "the link's scenario cannot be read: line {}, column {}: {}",
                    d.span.start.line, d.span.start.column, d.message
                ),
                None => write!(f, "the link's scenario cannot be read"),
            },
        }
    }
}

impl std::error::Error for ShareError {}

fn too_large(
    what: impl Into<String>,
    size: Option<usize>,
    limit: usize,
    unit: &'static str,
    name: &'static str,
) -> ShareError {
    ShareError::TooLarge(Box::new(Exceeded {
        what: what.into(),
        size,
        limit,
        unit,
        name,
    }))
}

/// Counts bytes written, refusing past `cap` (so measuring stops there).
struct Counter {
    n: usize,
    cap: usize,
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.n += buf.len();
        if self.n > self.cap {
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The size of a policy as the engine reads it: a string's bytes, or an
/// object pretty-printed; `None` when over `cap`.
fn policy_size(v: &serde_json::Value, cap: usize) -> Option<usize> {
    match v {
        serde_json::Value::String(s) => Some(s.len()),
        serde_json::Value::Null => Some(0),
        other => {
            let mut c = Counter { n: 0, cap };
            serde_json::to_writer_pretty(&mut c, other)
                .ok()
                .map(|()| c.n)
        }
    }
}

/// Checks a scenario (as JSON, before the engine reads it) against the
/// share-link limits. Parts of the wrong type are left to the scenario
/// reader, which reports them with positions.
pub fn check_limits(scenario: &serde_json::Value) -> Result<(), ShareError> {
    use serde_json::Value;
    let Some(root) = scenario.as_object() else {
        return Ok(());
    };
    for field in ["name", "description"] {
        if let Some(Value::String(s)) = root.get(field) {
            if s.len() > MAX_DESCRIPTION {
                return Err(too_large(
                    format!("the scenario's {field}"),
                    Some(s.len()),
                    MAX_DESCRIPTION,
                    "bytes",
                    "MAX_DESCRIPTION",
                ));
            }
        }
    }
    // Every policy, with the name the check results use (identity/0, scps/1/0).
    let mut policies: Vec<(String, &Value)> = Vec::new();
    let too_many = |n: usize| {
        if n > MAX_POLICIES {
            Err(too_large(
                "the number of policies",
                Some(n),
                MAX_POLICIES,
                "policies",
                "MAX_POLICIES",
            ))
        } else {
            Ok(())
        }
    };
    if let Some(p) = root.get("policies").and_then(Value::as_object) {
        for (layer, v) in p {
            match (layer.as_str(), v) {
                ("scps" | "rcps", Value::Array(levels)) => {
                    for (l, level) in levels.iter().enumerate() {
                        match level {
                            Value::Array(items) => {
                                too_many(policies.len() + items.len())?;
                                policies.extend(
                                    items
                                        .iter()
                                        .enumerate()
                                        .map(|(i, it)| (format!("{layer}/{l}/{i}"), it)),
                                );
                            }
                            other => policies.push((format!("{layer}/{l}"), other)),
                        }
                        too_many(policies.len())?;
                    }
                }
                (_, Value::Array(items)) => {
                    too_many(policies.len() + items.len())?;
                    policies.extend(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, it)| (format!("{layer}/{i}"), it)),
                    );
                }
                (_, other) => policies.push((layer.clone(), other)),
            }
            too_many(policies.len())?;
        }
    }
    let mut total = 0usize;
    for (name, v) in &policies {
        let size = policy_size(v, MAX_POLICY_TEXT).ok_or_else(|| {
            too_large(
                format!("policy {name}"),
                None,
                MAX_POLICY_TEXT,
                "bytes",
                "MAX_POLICY_TEXT",
            )
        })?;
        if size > MAX_POLICY_TEXT {
            return Err(too_large(
                format!("policy {name}"),
                Some(size),
                MAX_POLICY_TEXT,
                "bytes",
                "MAX_POLICY_TEXT",
            ));
        }
        total += size;
        if total > MAX_TOTAL_POLICY_TEXT {
            return Err(too_large(
                "all the policies together",
                None,
                MAX_TOTAL_POLICY_TEXT,
                "bytes",
                "MAX_TOTAL_POLICY_TEXT",
            ));
        }
    }
    let Some(Value::Array(requests)) = root.get("requests") else {
        return Ok(());
    };
    if requests.len() > MAX_REQUESTS {
        return Err(too_large(
            "the number of requests",
            Some(requests.len()),
            MAX_REQUESTS,
            "requests",
            "MAX_REQUESTS",
        ));
    }
    let work = requests.len().saturating_mul(total.max(1));
    if work > MAX_EVALUATION_SIZE {
        return Err(too_large(
            format!(
                "deciding {} requests against {} bytes of policies",
                group(requests.len()),
                group(total)
            ),
            Some(work),
            MAX_EVALUATION_SIZE,
            "request-bytes",
            "MAX_EVALUATION_SIZE",
        ));
    }
    for (i, r) in requests.iter().enumerate() {
        let Some(r) = r.as_object() else { continue };
        let text = |what: String, s: &str| {
            if s.len() > MAX_REQUEST_TEXT {
                Err(too_large(
                    what,
                    Some(s.len()),
                    MAX_REQUEST_TEXT,
                    "bytes",
                    "MAX_REQUEST_TEXT",
                ))
            } else {
                Ok(())
            }
        };
        for (field, v) in r {
            if let Value::String(s) = v {
                text(format!("request {i}'s {field}"), s)?;
            }
        }
        let Some(Value::Object(ctx)) = r.get("context") else {
            continue;
        };
        if ctx.len() > MAX_CONTEXT_KEYS {
            return Err(too_large(
                format!("request {i}'s context"),
                Some(ctx.len()),
                MAX_CONTEXT_KEYS,
                "keys",
                "MAX_CONTEXT_KEYS",
            ));
        }
        for (k, v) in ctx {
            text(format!("request {i}'s context key name"), k)?;
            let values: &[Value] = match v {
                Value::Array(items) => items,
                other => std::slice::from_ref(other),
            };
            if values.len() > MAX_CONTEXT_VALUES {
                return Err(too_large(
                    format!("request {i}'s context key {k}"),
                    Some(values.len()),
                    MAX_CONTEXT_VALUES,
                    "values",
                    "MAX_CONTEXT_VALUES",
                ));
            }
            for v in values {
                if let Value::String(s) = v {
                    text(format!("a value of request {i}'s context key {k}"), s)?;
                }
            }
        }
    }
    Ok(())
}

/// The fragment (without `#`) for payload bytes already compressed with raw DEFLATE (by any
/// compressor: the playground uses the browser's `CompressionStream("deflate-raw")`).
pub fn fragment_of_packed(packed: &[u8]) -> String {
    format!("{PREFIX}{SHARE_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The compressed (raw DEFLATE) payload of a fragment (with or without the leading `#`): the
/// `s=` part found, its version checked, its base64url decoded. Inflating it is left to the
/// caller ([`decode_bytes`] with the `deflate` feature, the browser's `DecompressionStream`
/// in the playground), which must stop at [`MAX_PAYLOAD`] ([`payload_too_large`]).
pub fn packed_payload(fragment: &str) -> Result<Vec<u8>, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(PREFIX))
        .ok_or(ShareError::NotALink)?;
    let (version, data) = rest.split_once('.').ok_or(ShareError::BadEncoding)?;
    if version != SHARE_VERSION.to_string() {
        return Err(ShareError::UnknownVersion(version.to_string()));
    }
    URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| ShareError::BadEncoding)
}

/// The error of a payload that inflates past [`MAX_PAYLOAD`].
pub fn payload_too_large() -> ShareError {
    too_large(
        "its content once decompressed",
        None,
        MAX_PAYLOAD,
        "bytes",
        "MAX_PAYLOAD",
    )
}

/// The scenario JSON text of an inflated payload, checked against the limits
/// ([`check_limits`]) but not yet read by the engine.
pub fn scenario_text_of_payload(bytes: Vec<u8>) -> Result<String, ShareError> {
    let text = String::from_utf8(bytes).map_err(|e| ShareError::BadJson(e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| ShareError::BadJson(e.to_string()))?;
    check_limits(&value)?;
    Ok(text)
}

/// The fragment (without `#`) for any payload bytes (normally JSON).
#[cfg(feature = "deflate")]
pub fn encode_bytes(payload: &[u8]) -> String {
    fragment_of_packed(&miniz_oxide::deflate::compress_to_vec(payload, 9))
}

/// The fragment (without `#`) for a scenario: its compact JSON.
#[cfg(feature = "deflate")]
pub fn encode_scenario(scenario: &Scenario) -> String {
    encode_bytes(&serde_json::to_vec(scenario).unwrap_or_default())
}

/// Inflates raw DEFLATE data, stopping at [`MAX_PAYLOAD`].
#[cfg(feature = "deflate")]
pub fn inflate(packed: &[u8]) -> Result<Vec<u8>, ShareError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_PAYLOAD).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => payload_too_large(),
            _ => ShareError::BadCompression,
        }
    })
}

/// The raw payload bytes of a fragment (with or without the leading `#`).
#[cfg(feature = "deflate")]
pub fn decode_bytes(fragment: &str) -> Result<Vec<u8>, ShareError> {
    inflate(&packed_payload(fragment)?)
}

/// The payload of a fragment as JSON (any JSON: only [`MAX_PAYLOAD`] applies).
#[cfg(feature = "deflate")]
pub fn decode_payload(fragment: &str) -> Result<serde_json::Value, ShareError> {
    let bytes = decode_bytes(fragment)?;
    serde_json::from_slice(&bytes).map_err(|e| ShareError::BadJson(e.to_string()))
}

/// The scenario JSON text of a fragment, checked against the limits
/// ([`check_limits`]) but not yet read by the engine.
#[cfg(feature = "deflate")]
pub fn decode_scenario_text(fragment: &str) -> Result<String, ShareError> {
    scenario_text_of_payload(decode_bytes(fragment)?)
}

/// The scenario of a fragment, read with the scenario reader (unknown fields
/// are errors) once it is known to be within the limits.
#[cfg(feature = "deflate")]
pub fn decode_scenario(fragment: &str) -> Result<Scenario, ShareError> {
    let text = decode_scenario_text(fragment)?;
    Scenario::from_json(&text).map_err(ShareError::BadScenario)
}

/// The parts that need no codec (what the playground uses).
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod format_tests {
    use super::*;

    #[test]
    fn the_fragment_carries_the_packed_bytes_in_base64url() {
        let packed = [0u8, 1, 2, 250, 251, 252, 253, 254, 255];
        let frag = fragment_of_packed(&packed);
        assert_eq!(frag, "s=1.AAEC-vv8_f7_");
        assert_eq!(packed_payload(&frag).unwrap(), packed);
        assert_eq!(packed_payload(&format!("#top&{frag}")).unwrap(), packed);
        assert_eq!(packed_payload("#top"), Err(ShareError::NotALink));
        assert_eq!(
            packed_payload("s=2.AAAA"),
            Err(ShareError::UnknownVersion("2".into()))
        );
        assert_eq!(packed_payload("s=1.%%"), Err(ShareError::BadEncoding));
        assert!(payload_too_large().to_string().contains("MAX_PAYLOAD"));
    }

    #[test]
    fn an_inflated_payload_is_checked_against_the_limits() {
        let ok = br#"{"policies":{"identity":["{}"]},"requests":[]}"#.to_vec();
        assert!(scenario_text_of_payload(ok).is_ok());
        let big = format!(
            r#"{{"policies":{{"identity":["{}"]}},"requests":[]}}"#,
            "x".repeat(MAX_POLICY_TEXT + 1)
        );
        match scenario_text_of_payload(big.into_bytes()) {
            Err(e @ ShareError::TooLarge(_)) => assert!(e.to_string().contains("MAX_POLICY_TEXT")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            scenario_text_of_payload(vec![0xff, 0xfe]),
            Err(ShareError::BadJson(_))
        ));
    }
}

#[cfg(all(test, feature = "deflate"))]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    const SEED: &str =
        include_str!("../../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

    #[test]
    fn round_trip_of_a_seed_scenario() {
        let s = Scenario::from_json(SEED).unwrap();
        let frag = encode_scenario(&s);
        assert!(frag.starts_with("s=1."));
        assert!(
            frag.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c)),
            "{frag}"
        );
        assert_eq!(decode_scenario(&frag), Ok(s.clone()));
        assert_eq!(decode_scenario(&format!("#{frag}")), Ok(s.clone()));
        assert_eq!(decode_scenario(&format!("#top&{frag}")), Ok(s.clone()));
        // The payload is the scenario's JSON: decoding it as a value gives the same object.
        assert_eq!(
            decode_payload(&frag).unwrap(),
            serde_json::to_value(&s).unwrap()
        );
        // Compression pays: the link is much shorter than the JSON.
        assert!(
            frag.len() < s.to_json_pretty().len() / 2,
            "{} vs {}",
            frag.len(),
            s.to_json_pretty().len()
        );
    }

    #[test]
    fn unicode_and_text_policies_survive() {
        let s = Scenario::from_json(
            r#"{"name":"ünïcode ✓","policies":{"identity":["{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}"]},"requests":[]}"#,
        )
        .unwrap();
        assert_eq!(decode_scenario(&encode_scenario(&s)), Ok(s));
    }

    #[test]
    fn errors_are_values() {
        assert_eq!(decode_payload(""), Err(ShareError::NotALink));
        assert_eq!(decode_payload("#top"), Err(ShareError::NotALink));
        assert_eq!(
            decode_payload("s=9.abc"),
            Err(ShareError::UnknownVersion("9".into()))
        );
        assert_eq!(decode_payload("s=1"), Err(ShareError::BadEncoding));
        assert_eq!(decode_payload("s=1.%%%"), Err(ShareError::BadEncoding));
        assert_eq!(decode_payload("s=1.AAAA"), Err(ShareError::BadCompression));
        let not_json = encode_bytes(b"hello");
        assert!(matches!(
            decode_payload(&not_json),
            Err(ShareError::BadJson(_))
        ));
        let not_scenario = encode_bytes(br#"{"policies":{},"requestz":[]}"#);
        match decode_scenario(&not_scenario) {
            Err(e @ ShareError::BadScenario(_)) => assert!(e.to_string().contains("line 1"), "{e}"),
            other => panic!("{other:?}"),
        }
        let s = Scenario::from_json(SEED).unwrap();
        let frag = encode_scenario(&s);
        let cut = &frag[..frag.len() / 2];
        assert!(decode_scenario(cut).is_err());
        for e in [
            ShareError::NotALink,
            ShareError::BadEncoding,
            ShareError::BadCompression,
        ] {
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn size_limit_holds() {
        // 5 MiB of zeros compresses to a few KiB: a "zip bomb" link must be refused.
        let big = vec![b' '; 5 * 1024 * 1024];
        let frag = encode_bytes(&big);
        assert!(frag.len() < 64 * 1024);
        match decode_bytes(&frag) {
            Err(e @ ShareError::TooLarge(_)) => {
                assert!(e.to_string().contains("MAX_PAYLOAD"), "{e}");
                assert!(e.to_string().contains("1,048,576 bytes"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        let ok = vec![b' '; MAX_PAYLOAD];
        assert_eq!(
            decode_bytes(&encode_bytes(&ok)).map(|b| b.len()),
            Ok(MAX_PAYLOAD)
        );
    }
}
