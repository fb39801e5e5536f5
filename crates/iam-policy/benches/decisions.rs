//! Decisions per second: the seed scenarios, a 100-statement policy, and
//! the playground's per-edit workload (parse 5 policies, decide 100 requests).
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iam_policy::{check_compiled, check_with, Detail, Scenario};

const SEEDS: [&str; 4] = [
    include_str!("../../../tests/scenarios/shared/image-builder/component-ip-restriction.json"),
    include_str!("../../../tests/scenarios/shared/image-builder/console-custom-policy.json"),
    include_str!("../../../tests/scenarios/shared/image-builder/register-image-step-action.json"),
    include_str!("../../../tests/scenarios/shared/image-builder/require-mfa-and-tls.json"),
];

/// A policy of 100 statements, mixing wildcards, variables and conditions;
/// the requests hit the last statements, so every statement is evaluated.
fn hundred_statements() -> Scenario {
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

fn seeds(c: &mut Criterion) {
    let scenarios: Vec<Scenario> = SEEDS
        .iter()
        .map(|t| Scenario::from_json(t).unwrap())
        .collect();
    let compiled: Vec<_> = scenarios.iter().map(|s| s.compile()).collect();
    let n: usize = scenarios.iter().map(|s| s.requests.len()).sum();
    let mut g = c.benchmark_group("seed scenarios");
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(format!("decide all {n} seed requests (full traces)"), |b| {
        b.iter(|| {
            for (s, set) in scenarios.iter().zip(&compiled) {
                black_box(check_compiled(s, set, "bench"));
            }
        })
    });
    g.bench_function(
        format!("decide all {n} seed requests (decision only)"),
        |b| {
            b.iter(|| {
                for (s, set) in scenarios.iter().zip(&compiled) {
                    black_box(check_with(s, set, "bench", Detail::Decision));
                }
            })
        },
    );
    g.finish();
}

fn hundred(c: &mut Criterion) {
    let s = hundred_statements();
    let set = s.compile();
    assert!(iam_policy::rejected_policies(&set).is_empty());
    let mut g = c.benchmark_group("100-statement policy");
    g.throughput(Throughput::Elements(s.requests.len() as u64));
    g.bench_function("decide 100 requests (full traces)", |b| {
        b.iter(|| black_box(check_compiled(&s, &set, "bench")))
    });
    g.bench_function("decide 100 requests (decision only)", |b| {
        b.iter(|| black_box(check_with(&s, &set, "bench", Detail::Decision)))
    });
    g.finish();
}

/// What the playground does on every edit: parse 5 policies, decide 100 requests.
fn playground_edit(c: &mut Criterion) {
    let mut scenarios: Vec<Scenario> = SEEDS
        .iter()
        .map(|t| Scenario::from_json(t).unwrap())
        .collect();
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
    let mut g = c.benchmark_group("playground edit");
    g.throughput(Throughput::Elements(100));
    g.bench_function(
        "parse 5 policies + decide 100 requests (decision only)",
        |b| {
            b.iter(|| {
                let set = all.compile();
                black_box(check_with(&all, &set, "bench", Detail::Decision))
            })
        },
    );
    g.bench_function("parse 5 policies + decide 100 requests + trace 1", |b| {
        b.iter(|| {
            let set = all.compile();
            black_box(check_with(&all, &set, "bench", Detail::Decision));
            black_box(all.requests[0].evaluate(&set))
        })
    });
    g.finish();
}

criterion_group!(benches, seeds, hundred, playground_edit);
criterion_main!(benches);
