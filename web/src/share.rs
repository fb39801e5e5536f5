//! Share links: the whole workspace in the URL fragment (crate `iam-share` does the
//! format: `<part>=1.<base64url(raw DEFLATE(JSON))>`, `1` being the share format version). The
//! DEFLATE is the browser's own (`CompressionStream`/`DecompressionStream("deflate-raw")`,
//! `browser::share_url` and `browser::open_fragment`), so the page's WebAssembly carries no
//! compressor; links stay byte-compatible with the CLI's and the npm package's (miniz_oxide).
//!
//! A playground link has two `&`-separated parts:
//! - `s=1.…`: the scenario (spec format) that is evaluated. Any tool that reads share links
//!   (`iam_share::decode_scenario`) gets the scenario from it.
//! - `p=1.…`: the playground's workspace exactly as it was (policy names, layers switched
//!   off, request rows as typed), so that opening the link restores the same screen.
//!
//! A link with only `s=` (made by another tool) opens too. Browsers never send the fragment
//! to a server: a shared scenario stays between the people who share it.

use crate::model::Workspace;
use iam_policy::PolicyKind;

pub use iam_share::{ShareError, SHARE_VERSION};

/// The fragment part holding the playground's workspace.
const WORKSPACE_PREFIX: &str = "p=";

/// What a fragment holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shared {
    /// A playground link: the workspace exactly.
    Workspace(Box<Workspace>),
    /// A scenario-only link (`s=` part, JSON text), to read with the engine.
    Scenario(String),
}

/// The two payloads of a workspace's link, before compression: the scenario's JSON (`s=`) and
/// the workspace's (`p=`).
pub fn payloads(ws: &Workspace) -> [Vec<u8>; 2] {
    [
        serde_json::to_vec(&ws.scenario_file()).unwrap_or_default(),
        serde_json::to_vec(ws).unwrap_or_default(),
    ]
}

/// The fragment (without `#`) from the two payloads of [`payloads`], each compressed with raw
/// DEFLATE and base64url-encoded without padding by the browser (`CompressionStream` and
/// `btoa`: `browser::share_url`, so the page's WebAssembly has no base64 encoder).
pub fn fragment_of_encoded(scenario: &str, workspace: &str) -> String {
    let prefix = iam_share::PREFIX;
    format!("{prefix}{SHARE_VERSION}.{scenario}&{WORKSPACE_PREFIX}{SHARE_VERSION}.{workspace}")
}

/// The compressed payload of a fragment: the workspace part (`p=`) when there is one, else the
/// scenario part (`s=`) of a link made by another tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    pub workspace: bool,
    /// Raw DEFLATE, to inflate up to `iam_share::MAX_PAYLOAD` bytes.
    pub data: Vec<u8>,
}

/// Finds the payload of a fragment (with or without the leading `#`) and decodes its base64url.
pub fn packed(fragment: &str) -> Result<Packed, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let workspace_part = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(WORKSPACE_PREFIX));
    Ok(match workspace_part {
        Some(p) => Packed {
            workspace: true,
            data: iam_share::packed_payload(&format!("{}{p}", iam_share::PREFIX))?,
        },
        None => Packed {
            workspace: false,
            data: iam_share::packed_payload(fragment)?,
        },
    })
}

/// What an inflated payload holds. A link over the share-link limits
/// (`iam_share::check_limits`) is refused with a message naming the limit, before anything in it
/// is evaluated.
pub fn read(workspace: bool, bytes: Vec<u8>) -> Result<Shared, ShareError> {
    if !workspace {
        return iam_share::scenario_text_of_payload(bytes).map(Shared::Scenario);
    }
    let text = String::from_utf8(bytes).map_err(|e| ShareError::BadJson(e.to_string()))?;
    let ws =
        serde_json::from_str::<Workspace>(&text).map_err(|e| ShareError::BadJson(e.to_string()))?;
    // Every policy counts, switched-off layers included: they are edited and linted.
    let mut all = ws.clone();
    for kind in PolicyKind::ALL {
        all.set_on(kind, true);
    }
    // Through the scenario's text (the writer and reader the page has anyway, where
    // `serde_json::to_value` would add a second serializer of every scenario type).
    let scenario = serde_json::from_str(&all.scenario().to_json_pretty()).unwrap_or_default();
    iam_share::check_limits(&scenario)?;
    Ok(Shared::Workspace(Box::new(ws)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codec of the CLI and the npm package (crate `iam-share`'s miniz_oxide), in place of
    /// the browser's: the links are the same format.
    fn encode(ws: &Workspace) -> String {
        let encoded = payloads(ws).map(|p| {
            let f = iam_share::encode_bytes(&p);
            f.strip_prefix(&format!("{}{SHARE_VERSION}.", iam_share::PREFIX))
                .expect("iam-share's format")
                .to_string()
        });
        fragment_of_encoded(&encoded[0], &encoded[1])
    }

    fn decode(fragment: &str) -> Result<Shared, ShareError> {
        let p = packed(fragment)?;
        read(p.workspace, iam_share::inflate(&p.data)?)
    }
    use crate::model::{ContextField, RequestRow, ValueKind};
    use iam_policy::{PolicyId, PolicyKind};

    fn sample() -> Workspace {
        let mut ws = Workspace {
            name: "ünïcode ✓ name".into(),
            ..Workspace::default()
        };
        ws.add_policy(PolicyKind::Identity, None);
        ws.add_policy(PolicyKind::Scp, None);
        ws.set_on(PolicyKind::Scp, false);
        if let Some(p) = ws.policy_mut(PolicyId::Identity(0)) {
            p.name = "my own name".into();
        }
        ws.requests.push(RequestRow {
            source_ip: "54.240.143.188".into(),
            context: vec![ContextField {
                key: "s3:max-keys".into(),
                kind: ValueKind::Number,
                multi: false,
                values: vec!["1.50".into()],
            }],
            ..RequestRow::example()
        });
        ws
    }

    #[test]
    fn round_trip_is_exact() {
        let ws = sample();
        let frag = encode(&ws);
        assert!(frag.starts_with("s=1."));
        assert!(frag.contains("&p=1."));
        assert!(frag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.=&".contains(c)));
        let expected = Shared::Workspace(Box::new(ws.clone()));
        assert_eq!(decode(&frag), Ok(expected.clone()));
        assert_eq!(decode(&format!("#{frag}")), Ok(expected));
    }

    #[test]
    fn other_tools_read_the_scenario_part() {
        let ws = sample();
        let frag = encode(&ws);
        let scenario = iam_share::decode_scenario(&frag).expect("a scenario");
        assert_eq!(scenario.requests.len(), 1);
        assert!(
            scenario.policies.scps.is_empty(),
            "switched-off layers are not evaluated"
        );
        // And a scenario-only link opens in the playground.
        let s_only = frag.split('&').next().unwrap_or_default();
        match decode(s_only) {
            Ok(Shared::Scenario(text)) => {
                let back = crate::engine::import_scenario(&text).expect("reads");
                assert_eq!(back.requests.len(), 1);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_are_reported_not_panicked() {
        assert_eq!(decode(""), Err(ShareError::NotALink));
        assert_eq!(decode("#top"), Err(ShareError::NotALink));
        assert_eq!(
            decode("s=9.abc"),
            Err(ShareError::UnknownVersion("9".into()))
        );
        assert_eq!(decode("s=1.%%%"), Err(ShareError::BadEncoding));
        assert_eq!(decode("p=1.AAAA"), Err(ShareError::BadCompression));
        let frag = encode(&sample());
        let cut = frag.get(..frag.len() - 20).unwrap_or_default();
        assert!(decode(cut).is_err());
    }

    #[test]
    fn links_over_the_limits_are_refused_with_the_limit_named() {
        // A switched-off layer's policy of 600 KB of `${`: a link of a few KB.
        let mut ws = sample();
        if let Some(p) = ws.policy_mut(PolicyId::Scp { level: 0, index: 0 }) {
            p.text = "${".repeat(300_000);
        }
        let frag = encode(&ws);
        assert!(frag.len() < 8 * 1024, "{}", frag.len());
        match decode(&frag) {
            Err(e @ ShareError::TooLarge(_)) => {
                let msg = e.to_string();
                assert!(msg.contains("MAX_POLICY_TEXT"), "{msg}");
                assert!(msg.contains("nothing in it was evaluated"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
        // The scenario part alone (a link from another tool) is refused too.
        let s_only = iam_share::encode_bytes(
            format!(
                r#"{{"policies":{{"identity":["{}"]}},"requests":[]}}"#,
                "${".repeat(2 * 1024 * 1024)
            )
            .as_bytes(),
        );
        match decode(&s_only) {
            Err(e @ ShareError::TooLarge(_)) => {
                assert!(e.to_string().contains("MAX_PAYLOAD"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }
}
