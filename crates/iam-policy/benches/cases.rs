//! The case set compared with the peer (`tests/bench-peer`): every request
//! of every scenario file of the corpus (`tests/scenarios`, or the folder
//! `IAM_BENCH_CASES` names), decided with its policies compiled once, and
//! compiling them for every request (what a caller that keeps nothing
//! between requests pays). `cargo xtask bench` prints both per case next to
//! the peer's figures.
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "common/workloads.rs"]
mod workloads;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iam_policy::{check_with, Detail, Scenario};

fn cases(c: &mut Criterion) {
    let (dir, scenarios) = workloads::case_set();
    let compiled: Vec<_> = scenarios.iter().map(Scenario::compile).collect();
    let n: usize = scenarios.iter().map(|s| s.requests.len()).sum();
    eprintln!(
        "case set: {n} requests in {} scenario files under {}",
        scenarios.len(),
        dir.display()
    );
    let mut g = c.benchmark_group("case set");
    g.sample_size(20);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("decide every case (policies compiled once)", |b| {
        b.iter(|| {
            for (s, set) in scenarios.iter().zip(&compiled) {
                black_box(check_with(s, set, "bench", Detail::Decision));
            }
        })
    });
    g.bench_function("decide every case (policies compiled for each case)", |b| {
        b.iter(|| {
            for s in &scenarios {
                for r in &s.requests {
                    let set = black_box(s).compile();
                    let _ = black_box(r.evaluate_with(&set, Detail::Decision));
                }
            }
        })
    });
    g.finish();
}

criterion_group!(benches, cases);
criterion_main!(benches);
