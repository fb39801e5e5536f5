//! The linter (with the engine's parser) and the access summary on any
//! text, against the embedded catalog.
#![no_main]

use iam_catalog::Catalog;
use iam_policy::{parse_policy_as, PolicyKind};
use libfuzzer_sys::fuzz_target;

const KINDS: [PolicyKind; 3] = [PolicyKind::Identity, PolicyKind::Resource, PolicyKind::Scp];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = Catalog::embedded();
    let kind = KINDS[text.len() % KINDS.len()];
    let parsed = parse_policy_as(text, kind);
    let report = iam_lint::lint_parsed(text, &parsed, kind, catalog, &Default::default());
    for f in &report.findings {
        assert!(!f.message.is_empty(), "{f:?}");
    }
    if let Some(policy) = &parsed.policy {
        let _ = iam_lint::summary(policy, catalog);
    }
});
