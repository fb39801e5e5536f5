//! Lint and summary timings: the seed policies, a 100-statement policy, and
//! the summary of a policy that touches every action of the catalog (the
//! issue's budget: under 50 ms native).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iam_catalog::Catalog;
use iam_lint::{lint, lint_parsed, summary, LintOptions};
use iam_policy::{parse_policy, PolicyKind, Scenario};
use std::path::PathBuf;

fn seeds() -> Vec<(String, iam_policy::PolicyKind)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/scenarios/shared/image-builder");
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let Ok(s) = Scenario::from_json(&text) else {
            continue;
        };
        for p in s.compile().values() {
            out.push((p.text.clone(), p.id.kind()));
        }
    }
    out
}

/// A realistic large policy: 100 statements over a dozen services, with
/// wildcards, ARNs, conditions and a few deliberate findings.
fn hundred_statements() -> String {
    let mut st = Vec::new();
    for i in 0..100 {
        let s = match i % 10 {
            0 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::bucket-{i}/*"}}"#
            ),
            1 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket-{i}", "Condition": {{"StringLike": {{"s3:prefix": ["home/${{aws:username}}/*"]}}}}}}"#
            ),
            2 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "arn:aws:ec2:us-east-1:111122223333:instance/*", "Condition": {{"StringEquals": {{"aws:ResourceTag/team": "t{i}"}}}}}}"#
            ),
            3 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}}"#
            ),
            4 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-{i}", "Condition": {{"StringEquals": {{"iam:PassedToService": "ec2.amazonaws.com"}}}}}}"#
            ),
            5 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t{i}"}}"#
            ),
            6 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/app/{i}:*"}}"#
            ),
            7 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "arn:aws:sqs:us-east-1:111122223333:q{i}", "Condition": {{"IpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}}}"#
            ),
            8 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "arn:aws:kms:us-east-1:111122223333:key/k{i}", "Condition": {{"ForAnyValue:StringEquals": {{"aws:CalledVia": ["s3.amazonaws.com"]}}}}}}"#
            ),
            _ => format!(
                r#"{{"Sid": "S{i}", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "arn:aws:s3:::bucket-{i}/*", "Condition": {{"Bool": {{"aws:MultiFactorAuthPresent": "false"}}}}}}"#
            ),
        };
        st.push(s);
    }
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
        st.join(",\n    ")
    )
}

/// Touches every catalog action: Allow *, a NotAction Allow with a
/// condition, wildcard-service Denies.
const EVERYTHING: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"},
  {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
  {"Effect": "Allow", "Action": ["*:Get*", "*:List*", "*:Describe*"], "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Deny", "Action": ["*:Delete*", "s3:Put*"], "Resource": "*"},
  {"Effect": "Deny", "Action": "ec2:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}
]}"#;

fn benches(c: &mut Criterion) {
    let cat = Catalog::embedded();
    let seeds = seeds();
    assert!(seeds.len() >= 4, "seed policies not found");
    c.bench_function("lint/seeds", |b| {
        b.iter(|| {
            for (text, kind) in &seeds {
                black_box(lint(black_box(text), *kind, cat));
            }
        })
    });
    let big = hundred_statements();
    c.bench_function("lint/100-statements", |b| {
        b.iter(|| black_box(lint(black_box(&big), PolicyKind::Identity, cat)))
    });
    let parsed = iam_policy::parse_policy_as(&big, PolicyKind::Identity);
    c.bench_function("lint/100-statements-parsed", |b| {
        b.iter(|| {
            black_box(lint_parsed(
                &big,
                &parsed,
                PolicyKind::Identity,
                cat,
                &LintOptions::default(),
            ))
        })
    });
    c.bench_function("lint/allow-everything", |b| {
        b.iter(|| black_box(lint(black_box(EVERYTHING), PolicyKind::Identity, cat)))
    });
    let everything = parse_policy(EVERYTHING).policy;
    c.bench_function("summary/every-action", |b| {
        b.iter(|| {
            if let Some(p) = &everything {
                black_box(summary(black_box(p), cat));
            }
        })
    });
    let big_policy = parsed.policy.clone();
    c.bench_function("summary/100-statements", |b| {
        b.iter(|| {
            if let Some(p) = &big_policy {
                black_box(summary(black_box(p), cat));
            }
        })
    });
}

criterion_group! {
    name = lint_benches;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(lint_benches);
