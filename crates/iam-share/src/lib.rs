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
//! ```
//! use iam_policy::Scenario;
//! let s = Scenario::from_json(r#"{"policies":{},"requests":[]}"#).unwrap();
//! let fragment = iam_share::encode_scenario(&s);
//! assert!(fragment.starts_with("s=1."));
//! let back = iam_share::decode_scenario(&fragment).unwrap();
//! assert_eq!(back, s);
//! ```

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use iam_policy::{Diagnostic, Scenario};

/// The share format version written in links.
pub const SHARE_VERSION: u32 = 1;

/// The fragment part that holds a share payload.
pub const PREFIX: &str = "s=";

/// Largest decompressed payload accepted: a link is untrusted input.
pub const MAX_PAYLOAD: usize = 4 * 1024 * 1024;

/// Why a fragment could not be read. Every failure is a value; nothing panics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment holds no `s=` part: not a share link (not an error to show).
    NotALink,
    /// Made by a newer playground.
    UnknownVersion(String),
    /// Not base64url, or no `.` after the version.
    BadEncoding,
    /// Not raw DEFLATE, cut short, or larger than [`MAX_PAYLOAD`] once inflated.
    BadCompression,
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
                "the link is cut short or damaged (bad compressed data, or larger than {} MiB)",
                MAX_PAYLOAD / (1024 * 1024)
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

/// The fragment (without `#`) for any payload bytes (normally JSON).
pub fn encode_bytes(payload: &[u8]) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(payload, 9);
    format!("{PREFIX}{SHARE_VERSION}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The fragment (without `#`) for a scenario: its compact JSON.
pub fn encode_scenario(scenario: &Scenario) -> String {
    encode_bytes(&serde_json::to_vec(scenario).unwrap_or_default())
}

/// The raw payload bytes of a fragment (with or without the leading `#`).
pub fn decode_bytes(fragment: &str) -> Result<Vec<u8>, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(PREFIX))
        .ok_or(ShareError::NotALink)?;
    let (version, data) = rest.split_once('.').ok_or(ShareError::BadEncoding)?;
    if version != SHARE_VERSION.to_string() {
        return Err(ShareError::UnknownVersion(version.to_string()));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| ShareError::BadEncoding)?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_PAYLOAD)
        .map_err(|_| ShareError::BadCompression)
}

/// The payload of a fragment as JSON.
pub fn decode_payload(fragment: &str) -> Result<serde_json::Value, ShareError> {
    let bytes = decode_bytes(fragment)?;
    serde_json::from_slice(&bytes).map_err(|e| ShareError::BadJson(e.to_string()))
}

/// The scenario of a fragment, read with the scenario reader (unknown fields are errors).
pub fn decode_scenario(fragment: &str) -> Result<Scenario, ShareError> {
    let bytes = decode_bytes(fragment)?;
    let text = String::from_utf8(bytes).map_err(|e| ShareError::BadJson(e.to_string()))?;
    Scenario::from_json(&text).map_err(ShareError::BadScenario)
}

#[cfg(test)]
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
        assert_eq!(decode_bytes(&frag), Err(ShareError::BadCompression));
        let ok = vec![b' '; MAX_PAYLOAD];
        assert_eq!(
            decode_bytes(&encode_bytes(&ok)).map(|b| b.len()),
            Ok(MAX_PAYLOAD)
        );
    }
}
