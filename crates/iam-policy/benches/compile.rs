//! Compiling policies: parse + validate + prepare matchers, the work done on
//! every keystroke in the playground and for every file the CLI reads.
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used)]

#[path = "common/workloads.rs"]
mod workloads;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iam_policy::{parse_policy, parse_policy_as, PolicyKind};
use workloads::TEN;

fn compile(c: &mut Criterion) {
    assert!(!parse_policy(TEN).has_errors());
    let mut g = c.benchmark_group("compile");
    g.throughput(Throughput::Bytes(TEN.len() as u64));
    g.bench_function("a realistic 10-statement policy", |b| {
        b.iter(|| black_box(parse_policy_as(black_box(TEN), PolicyKind::Identity)))
    });
    g.finish();
}

criterion_group!(benches, compile);
criterion_main!(benches);
