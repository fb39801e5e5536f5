//! The engine's policy parser on any text: no panic, no hang, and every
//! diagnostic points inside the text.
#![no_main]

use iam_policy::{parse_policy_as, PolicyKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [PolicyKind; 7] = [
    PolicyKind::Identity,
    PolicyKind::Resource,
    PolicyKind::PermissionsBoundary,
    PolicyKind::Session,
    PolicyKind::Scp,
    PolicyKind::Rcp,
    PolicyKind::VpcEndpoint,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars = text.chars().count() as u32;
    let kind = KINDS[text.len() % KINDS.len()];
    let parsed = parse_policy_as(text, kind);
    for d in &parsed.diagnostics {
        assert!(
            d.span.start.offset <= d.span.end.offset && d.span.end.offset <= chars,
            "{d:?} outside a text of {chars} characters"
        );
    }
});
