//! The benchmark workloads, shared by the criterion benches (`benches/*.rs`)
//! and the profiling example (`examples/profile.rs`), so that instruction
//! counts and medians measure the same work.
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    dead_code
)]

use iam_policy::{PolicySource, Scenario};
use std::path::{Path, PathBuf};

/// The ten statements of the seed documents' policies (2.2 KB pretty-printed).
pub const TEN: &str = include_str!("../data/seed-statements.policy.json");

/// The seed scenarios (the Image Builder documents).
pub const SEEDS: [&str; 4] = [
    include_str!("../../../../tests/scenarios/shared/image-builder/component-ip-restriction.json"),
    include_str!("../../../../tests/scenarios/shared/image-builder/console-custom-policy.json"),
    include_str!(
        "../../../../tests/scenarios/shared/image-builder/register-image-step-action.json"
    ),
    include_str!("../../../../tests/scenarios/shared/image-builder/require-mfa-and-tls.json"),
];

pub fn seeds() -> Vec<Scenario> {
    SEEDS
        .iter()
        .map(|t| Scenario::from_json(t).unwrap())
        .collect()
}

/// A policy of 100 statements, mixing wildcards, variables and conditions;
/// the requests hit the last statements, so every statement is evaluated.
pub fn hundred_statements() -> Scenario {
    let mut statements = Vec::new();
    for i in 0..100 {
        statements.push(serde_json::json!({
            "Sid": format!("S{i}"),
            "Effect": if i % 10 == 9 { "Deny" } else { "Allow" },
            "Action": [format!("svc{i}:Get*"), format!("svc{i}:List*"), format!("svc{i}:Describe?tem")],
            "Resource": [format!("arn:aws:s3:::bucket-{i}/home/${{aws:username}}/*"), format!("arn:aws:sns:*:111122223333:topic-{i}-*")],
            "Condition": {
                "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]},
                "StringLike": {"aws:PrincipalTag/team": ["blue*", "green*"]},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team", "owner"]}
            }
        }));
    }
    let policy = serde_json::json!({"Version": "2012-10-17", "Statement": statements});
    let mut requests = Vec::new();
    for i in 0..100 {
        requests.push(serde_json::json!({
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": format!("svc{}:GetThing", 99 - (i % 10)),
            "resource": format!("arn:aws:s3:::bucket-{}/home/alice/file-{i}", 99 - (i % 10)),
            "context": {"aws:username": "alice", "aws:SourceIp": "10.1.2.3", "aws:PrincipalTag/team": "blue-1", "aws:TagKeys": ["env", "team"]}
        }));
    }
    serde_json::from_value(
        serde_json::json!({"policies": {"identity": [policy]}, "requests": requests}),
    )
    .unwrap()
}

/// What the playground holds: 5 policies (the four seed scenarios' identity
/// policies and the 100-statement policy) and 100 requests (the seed
/// requests, repeated).
pub fn playground() -> Scenario {
    let mut scenarios = seeds();
    let mut all = scenarios.remove(0);
    for s in scenarios {
        all.policies.identity.extend(s.policies.identity);
        all.requests.extend(s.requests);
    }
    all.policies
        .identity
        .push(hundred_statements().policies.identity.remove(0));
    let base = all.requests.clone();
    all.requests = base.iter().cycle().take(100).cloned().collect();
    all
}

/// The case set compared with the peer: every scenario file under `dir`
/// (by default the repository's scenario corpus, `tests/scenarios`; the
/// `IAM_BENCH_CASES` environment variable names another folder) whose
/// policies are all written out (a reference to an AWS managed policy needs
/// the bundled copy, which neither this crate nor the peer has). Policies
/// written as JSON objects are turned into their pretty-printed text first,
/// so that compiling a case parses text, as the peer's script does
/// (`JSON.parse` of the same text, then its `loadPolicy`). Requests whose
/// action or resource is longer than 1,000 characters are left out: they
/// are the corpus's pathological-pattern cases, which this engine decides
/// in linear time (its tests say so) and on which the peer's backtracking
/// matcher does not finish.
pub fn case_set() -> (PathBuf, Vec<Scenario>) {
    let dir = std::env::var_os("IAM_BENCH_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios"));
    let mut files = Vec::new();
    scenario_files(&dir, &mut files);
    files.sort();
    let scenarios = files
        .iter()
        .map(|f| Scenario::from_json(&std::fs::read_to_string(f).unwrap()).unwrap())
        .filter(|s: &Scenario| {
            !s.policies
                .values()
                .any(|p| matches!(p, PolicySource::Managed(_)))
        })
        .map(|mut s| {
            s.policies = s.policies.map(|_, p| PolicySource::Text(p.text()));
            s.requests
                .retain(|r| r.action.len() <= MAX_LEN && r.resource.len() <= MAX_LEN);
            s
        })
        .collect();
    (dir, scenarios)
}

/// See [`case_set`].
const MAX_LEN: usize = 1000;

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json")
            && !p.to_string_lossy().ends_with(".policy.json")
        {
            out.push(p);
        }
    }
}
