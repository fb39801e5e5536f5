//! `cargo bench -p iam-catalog --bench summary`
//!
//! Summarizes a policy that allows `*` plus a few patterns and denies some,
//! across every catalog action (target: well under 50 ms).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iam_catalog::{Catalog, StatementActions};

fn statements() -> Vec<StatementActions> {
    let s = |allow: bool, not_action: bool, p: &[&str]| StatementActions {
        allow,
        not_action,
        patterns: p.iter().map(|x| (*x).to_owned()).collect(),
    };
    vec![
        s(true, false, &["*"]),
        s(
            true,
            false,
            &["s3:Get*", "s3:List*", "ec2:Describe*", "*:Tag*"],
        ),
        s(false, false, &["iam:*", "*:Delete*", "organizations:*"]),
        s(
            false,
            true,
            &["s3:*", "ec2:*", "lambda:*", "dynamodb:*", "*:Get*"],
        ),
        s(true, true, &["sts:*"]),
    ]
}

fn bench(c: &mut Criterion) {
    let cat = Catalog::embedded();
    let stmts = statements();
    c.bench_function("summarize(* + patterns)", |b| {
        b.iter(|| black_box(cat.summarize(black_box(&stmts))))
    });
    c.bench_function("expand(*:Get*)", |b| {
        b.iter(|| black_box(cat.expand(black_box("*:Get*"))))
    });
    c.bench_function("resource_types_for_arn(s3 object)", |b| {
        b.iter(|| black_box(cat.resource_types_for_arn(black_box("arn:aws:s3:::bucket/key"))))
    });
    c.bench_function("resource_types_for_arn(*)", |b| {
        b.iter(|| black_box(cat.resource_types_for_arn(black_box("arn:aws:*"))))
    });
    c.bench_function("from_json(embedded)", |b| {
        b.iter(|| black_box(Catalog::from_json(black_box(iam_catalog::EMBEDDED_JSON))))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
