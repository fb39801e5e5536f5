//! The seed policies (tests/scenarios/shared/image-builder) lint clean but
//! for two suggestions, each explained below; and their summaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_catalog::{AccessLevel, Catalog, Coverage};
use iam_lint::{lint_parsed, summary, Category, FindingCode, LintOptions};
use iam_policy::Scenario;
use std::path::PathBuf;

fn seeds_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios/shared/image-builder")
}

fn scenario(name: &str) -> Scenario {
    let text = std::fs::read_to_string(seeds_dir().join(name)).unwrap();
    Scenario::from_json(&text).unwrap()
}

/// (file, policy id, code, category, line, column) of every finding.
fn findings(name: &str) -> Vec<(String, String, FindingCode, Category, u32, u32)> {
    let set = scenario(name).compile();
    let mut out = Vec::new();
    for p in set.values() {
        let r = lint_parsed(
            &p.text,
            &p.parsed,
            p.id.kind(),
            Catalog::embedded(),
            &LintOptions::default(),
        );
        for f in r.findings {
            out.push((
                name.to_string(),
                p.id.to_string(),
                f.code,
                f.category,
                f.span.start.line,
                f.span.start.column,
            ));
        }
    }
    out
}

#[test]
fn every_seed_file_is_covered() {
    let mut names: Vec<String> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "component-ip-restriction.json",
            "console-custom-policy.json",
            "register-image-step-action.json",
            "require-mfa-and-tls.json"
        ]
    );
}

/// `imagebuilder:*` on `component/*` with IpAddress + NotIpAddress on
/// aws:SourceIp: the ARN fits the `component` resource type, aws:SourceIp
/// is a global IPAddress key used with IP operators, and 54.240.143.0/24 is
/// public. Clean.
#[test]
fn component_ip_restriction_is_clean() {
    assert_eq!(findings("component-ip-restriction.json"), vec![]);
}

/// The console's custom policy: each action on the one resource it works on
/// (sns:Publish → topic, iam:GetInstanceProfile → instance-profile,
/// s3:ListBucket → bucket), and `iam:PassRole` on one named role with
/// iam:PassedToService (an action key of PassRole) — which is exactly what
/// pass-role-star-resource asks for. Clean.
#[test]
fn console_custom_policy_is_clean() {
    assert_eq!(findings("console-custom-policy.json"), vec![]);
}

/// The RegisterImage step action. One suggestion, and it is correct:
/// `ec2:DescribeSnapshots` only supports `"Resource": "*"` (List access, no
/// resource type), but `ec2:RegisterImage` supports the `image` (required)
/// and `snapshot` resource types, so `"*"` is broader than needed. The
/// Image Builder documentation grants it on `*` because the AMI being
/// registered has no ID yet; `arn:aws:ec2:*::image/*` plus the snapshot
/// ARNs would be the least-privilege form. `ec2:CreateTags` on
/// `image/*` with `ec2:CreateAction` (an action key of CreateTags) is clean.
#[test]
fn register_image_step_action_has_one_suggestion() {
    assert_eq!(
        findings("register-image-step-action.json"),
        vec![(
            "register-image-step-action.json".to_string(),
            "identity/0".to_string(),
            FindingCode::StarResource,
            Category::Suggestion,
            10,
            19
        )]
    );
}

/// Require MFA and TLS. One suggestion, and it is correct: of the 39
/// actions `imagebuilder:Get*` and `imagebuilder:List*` match, 29 work on
/// specific resources (components, images, recipes…: the Get actions and
/// the List actions that take a parent ARN, such as
/// ListComponentBuildVersions), yet are granted on `*`; the other 10
/// (ListComponents, ListImages…) do need `*`. Read-only access to all of
/// Image Builder on `*` is the seed's intent, so the suggestion is
/// informational. The two Denies are fine: BoolIfExists on aws:MultiFactorAuthPresent
/// and Bool on aws:SecureTransport are Bool operators on Bool keys, with
/// one value each; being conditional, they shadow nothing.
#[test]
fn require_mfa_and_tls_has_one_suggestion() {
    let f = findings("require-mfa-and-tls.json");
    assert_eq!(
        f,
        vec![(
            "require-mfa-and-tls.json".to_string(),
            "identity/0".to_string(),
            FindingCode::StarResource,
            Category::Suggestion,
            11,
            19
        )]
    );
}

#[test]
fn seed_summaries() {
    let cat = Catalog::embedded();
    let policy = |name: &str| {
        let set = scenario(name).compile();
        set.identity[0].parsed.policy.clone().unwrap()
    };
    // imagebuilder:* on components only, under an IP condition: every level
    // in full, but conditional and scoped to specific resources
    let s = summary(&policy("component-ip-restriction.json"), cat);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].prefix, "imagebuilder");
    assert!(s[0].levels.iter().all(|l| l.coverage == Coverage::Full));
    assert_eq!(s[0].levels.len(), 5);
    assert!(s[0].conditional && s[0].resource_scoped);

    // Get* and List* on *: List and Read in full, nothing else; both Denies
    // are conditional, so the grants are too
    let s = summary(&policy("require-mfa-and-tls.json"), cat);
    assert_eq!(s.len(), 1);
    let levels: Vec<(AccessLevel, Coverage)> =
        s[0].levels.iter().map(|l| (l.level, l.coverage)).collect();
    assert_eq!(
        levels,
        vec![
            (AccessLevel::List, Coverage::Full),
            (AccessLevel::Read, Coverage::Full)
        ]
    );
    assert!(s[0].conditional && !s[0].resource_scoped);

    // one action each of three services; PassRole only under its condition
    let s = summary(&policy("console-custom-policy.json"), cat);
    let prefixes: Vec<&str> = s.iter().map(|x| x.prefix.as_str()).collect();
    assert_eq!(prefixes, ["iam", "s3", "sns"]);
    let iam = &s[0];
    assert_eq!(iam.granted_actions, 2);
    let write = iam.level(AccessLevel::Write).unwrap();
    assert_eq!(
        (write.granted, write.unconditional, write.coverage),
        (1, 0, Coverage::Partial)
    );
    assert!(write.conditional);
    assert!(!iam.level(AccessLevel::Read).unwrap().conditional);
    assert!(s.iter().all(|x| x.resource_scoped));
}
