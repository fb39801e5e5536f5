//! Diff timings. The issue's budget: the diff of two 50-statement policies
//! across the whole catalog in under 100 ms native (examples included).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iam_catalog::Catalog;
use iam_diff::{DiffKind, DiffOptions, Differ};

/// A realistic 50-statement policy over a dozen services: wildcards, ARNs,
/// conditions and a few Deny statements. `new` changes a fifth of it:
/// widened actions, a wider IP range, moved resources, an added Deny, a
/// removed statement and an added NotAction statement.
pub fn fifty_statements(new: bool) -> String {
    let mut st = Vec::new();
    for i in 0..50 {
        let changed = new && i % 5 == 0;
        let s = match i % 10 {
            0 => {
                let acts = if changed {
                    r#""s3:*""#
                } else {
                    r#"["s3:GetObject", "s3:PutObject"]"#
                };
                format!(
                    r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": {acts}, "Resource": "arn:aws:s3:::bucket-{i}/*"}}"#
                )
            }
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
            5 => {
                let table = if changed {
                    format!("t{i}-v2")
                } else {
                    format!("t{i}")
                };
                format!(
                    r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/{table}"}}"#
                )
            }
            6 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "arn:aws:logs:us-east-1:111122223333:log-group:/app/{i}:*"}}"#
            ),
            7 => {
                let cidr = if new {
                    "203.0.113.0/24"
                } else {
                    "203.0.113.0/26"
                };
                format!(
                    r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["imagebuilder:Get*", "imagebuilder:List*"], "Resource": "*", "Condition": {{"IpAddress": {{"aws:SourceIp": "{cidr}"}}}}}}"#
                )
            }
            8 => format!(
                r#"{{"Sid": "S{i}", "Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::bucket-{i}", "Condition": {{"Bool": {{"aws:MultiFactorAuthPresent": "false"}}}}}}"#
            ),
            _ => {
                if changed {
                    format!(
                        r#"{{"Sid": "S{i}", "Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}}"#
                    )
                } else {
                    format!(
                        r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "kms:Decrypt"], "Resource": ["arn:aws:sqs:us-east-1:111122223333:q{i}", "arn:aws:kms:us-east-1:111122223333:key/k{i}"]}}"#
                    )
                }
            }
        };
        st.push(s);
    }
    if new {
        // one statement removed, one added
        st.remove(13);
        st.push(
            r#"{"Sid": "NotIam", "Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#
                .to_string(),
        );
    }
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        st.join(",\n")
    )
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::embedded();
    let differ = Differ::new(catalog);
    let old = fifty_statements(false);
    let new = fifty_statements(true);
    let mut without_not_action = fifty_statements(true);
    if let Some(i) = without_not_action.find(",\n{\"Sid\": \"NotIam\"") {
        without_not_action.truncate(i);
        without_not_action.push_str("\n]}");
    }
    let options = DiffOptions::new(DiffKind::Identity);
    let no_examples = DiffOptions {
        examples: false,
        ..options.clone()
    };
    c.bench_function(
        "diff 50 vs 50 statements, every catalog action, examples",
        |b| b.iter(|| differ.diff(black_box(&old), black_box(&without_not_action), &options)),
    );
    c.bench_function("diff 50 vs 50 statements, no examples", |b| {
        b.iter(|| {
            differ.diff(
                black_box(&old),
                black_box(&without_not_action),
                &no_examples,
            )
        })
    });
    c.bench_function(
        "diff 50 vs 50 statements + NotAction granting ~20k actions, examples",
        |b| b.iter(|| differ.diff(black_box(&old), black_box(&new), &options)),
    );
    c.bench_function(
        "diff 50 vs 50 statements + NotAction granting ~20k actions, no examples",
        |b| b.iter(|| differ.diff(black_box(&old), black_box(&new), &no_examples)),
    );
    c.bench_function("index the catalog (Differ::new)", |b| {
        b.iter(|| Differ::new(black_box(catalog)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
