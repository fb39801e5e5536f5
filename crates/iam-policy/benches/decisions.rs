//! Decisions per second: the seed scenarios, a 100-statement policy, and
//! the playground's per-edit workload (parse 5 policies, decide 100 requests).
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "common/workloads.rs"]
mod workloads;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use iam_policy::{check_compiled, check_with, Detail, Scenario};
use workloads::{hundred_statements, playground};

/// Every request of `s` with its full trace recorded compactly
/// (`RequestSpec::evaluate_traced`; expanded on demand, so not here).
fn trace_all(s: &Scenario, set: &iam_policy::PolicySet) -> usize {
    s.requests
        .iter()
        .map(|r| {
            r.evaluate_traced(set)
                .map_or(0, |t| black_box(t).trace.statements())
        })
        .sum()
}

/// The same, each trace then expanded into the trace a user reads.
fn trace_expand_all(s: &Scenario, set: &iam_policy::PolicySet) -> usize {
    s.requests
        .iter()
        .filter_map(|r| r.evaluate_traced(set).ok()?.expand(set).ok())
        .map(|a| black_box(a).layers.len())
        .sum()
}

fn seeds(c: &mut Criterion) {
    let scenarios: Vec<Scenario> = workloads::seeds();
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
    // slow iterations: fewer samples, so that a short measurement time suffices
    g.sample_size(20);
    g.throughput(Throughput::Elements(s.requests.len() as u64));
    g.bench_function("decide 100 requests (full traces)", |b| {
        b.iter(|| black_box(check_compiled(&s, &set, "bench")))
    });
    g.bench_function("decide 100 requests (decision only)", |b| {
        b.iter(|| black_box(check_with(&s, &set, "bench", Detail::Decision)))
    });
    g.bench_function("decide 100 requests (full traces, compact)", |b| {
        b.iter(|| black_box(trace_all(&s, &set)))
    });
    g.bench_function(
        "decide 100 requests (full traces, compact, expanded)",
        |b| b.iter(|| black_box(trace_expand_all(&s, &set))),
    );
    g.finish();
}

/// The playground's table: 5 policies, 100 requests, decided with and without
/// full traces; and what it does on every edit (parse the 5 policies first).
fn playground_edit(c: &mut Criterion) {
    let all = playground();
    let set = all.compile();
    let mut g = c.benchmark_group("playground");
    g.sample_size(20);
    g.throughput(Throughput::Elements(100));
    g.bench_function(
        "decide 100 requests against 5 policies (decision only)",
        |b| b.iter(|| black_box(check_with(&all, &set, "bench", Detail::Decision))),
    );
    g.bench_function(
        "decide 100 requests against 5 policies (full traces)",
        |b| b.iter(|| black_box(check_with(&all, &set, "bench", Detail::Full))),
    );
    g.bench_function(
        "decide 100 requests against 5 policies (full traces, compact)",
        |b| b.iter(|| black_box(trace_all(&all, &set))),
    );
    g.finish();
    let mut g = c.benchmark_group("playground edit");
    g.sample_size(20);
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
    g.bench_function(
        "parse 5 policies + decide 100 requests (full traces)",
        |b| {
            b.iter(|| {
                let set = all.compile();
                black_box(check_with(&all, &set, "bench", Detail::Full))
            })
        },
    );
    g.finish();
}

criterion_group!(benches, seeds, hundred, playground_edit);
criterion_main!(benches);
