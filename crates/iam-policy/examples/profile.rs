//! Runs one benchmark workload many times, for profilers: valgrind
//! --tool=callgrind counts instructions, which stay stable on a busy
//! machine where wall-clock medians do not.
//!
//! ```sh
//! cargo build --release --example profile -p iam-policy
//! valgrind --tool=callgrind target/release/examples/profile compile 200
//! ```
//!
//! Workloads (see `benches/common/workloads.rs`): `compile`, `seeds`,
//! `seeds-full`, `hundred`, `hundred-full`, `playground`,
//! `playground-full`, `cases-each`, `cases-once`; `seeds-trace`,
//! `hundred-trace`, `playground-trace` record the full traces compactly
//! (`RequestSpec::evaluate_traced`), `hundred-trace-expand` and
//! `playground-trace-expand` also expand each into the trace a user reads;
//! `seeds-decide`, `hundred-decide`, `playground-decide` decide the same
//! requests the same way without traces (`evaluate_with(…, Decision)`). Prints the number of
//! iterations and a checksum, so that the work cannot be optimized away.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../benches/common/workloads.rs"]
mod workloads;

use iam_policy::{check_with, parse_policy, Detail, Scenario};
use std::hint::black_box;

fn decide_all(scenarios: &[Scenario], detail: Detail, n: usize) -> usize {
    let compiled: Vec<_> = scenarios.iter().map(Scenario::compile).collect();
    let mut sum = 0;
    for _ in 0..n {
        for (s, set) in scenarios.iter().zip(&compiled) {
            sum += check_with(black_box(s), set, "profile", detail).len();
        }
    }
    sum
}

/// Every request with its full trace recorded compactly (expanded on
/// demand, so not here).
fn trace_all(scenarios: &[Scenario], n: usize) -> usize {
    let compiled: Vec<_> = scenarios.iter().map(Scenario::compile).collect();
    let mut sum = 0;
    for _ in 0..n {
        for (s, set) in scenarios.iter().zip(&compiled) {
            for r in &black_box(s).requests {
                sum += r
                    .evaluate_traced(set)
                    .map_or(0, |t| black_box(t).trace.statements());
            }
        }
    }
    sum
}

/// Every request decided without traces, called as [`trace_all`] calls
/// the traced path (no `CheckResult` around it): the like-for-like baseline.
fn decide_each(scenarios: &[Scenario], n: usize) -> usize {
    let compiled: Vec<_> = scenarios.iter().map(Scenario::compile).collect();
    let mut sum = 0;
    for _ in 0..n {
        for (s, set) in scenarios.iter().zip(&compiled) {
            for r in &black_box(s).requests {
                sum += r
                    .evaluate_with(set, Detail::Decision)
                    .map_or(0, |a| black_box(a).layers.len());
            }
        }
    }
    sum
}

/// Every request with its full trace recorded, then expanded into the
/// trace a user reads.
fn trace_expand_all(scenarios: &[Scenario], n: usize) -> usize {
    let compiled: Vec<_> = scenarios.iter().map(Scenario::compile).collect();
    let mut sum = 0;
    for _ in 0..n {
        for (s, set) in scenarios.iter().zip(&compiled) {
            for r in &black_box(s).requests {
                let t = r.evaluate_traced(set).unwrap();
                sum += black_box(t.expand(set).unwrap()).layers.len();
            }
        }
    }
    sum
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workload = args.get(1).map_or("compile", String::as_str);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100);
    let sum = match workload {
        "compile" => (0..n)
            .map(|_| {
                parse_policy(black_box(workloads::TEN))
                    .policy
                    .map_or(0, |p| p.statements.len())
            })
            .sum(),
        "seeds" => decide_all(&workloads::seeds(), Detail::Decision, n),
        "seeds-full" => decide_all(&workloads::seeds(), Detail::Full, n),
        "hundred" => decide_all(&[workloads::hundred_statements()], Detail::Decision, n),
        "hundred-full" => decide_all(&[workloads::hundred_statements()], Detail::Full, n),
        "seeds-decide" => decide_each(&workloads::seeds(), n),
        "hundred-decide" => decide_each(&[workloads::hundred_statements()], n),
        "playground-decide" => decide_each(&[workloads::playground()], n),
        "seeds-trace" => trace_all(&workloads::seeds(), n),
        "hundred-trace" => trace_all(&[workloads::hundred_statements()], n),
        "playground-trace" => trace_all(&[workloads::playground()], n),
        "hundred-trace-expand" => trace_expand_all(&[workloads::hundred_statements()], n),
        "playground-trace-expand" => trace_expand_all(&[workloads::playground()], n),
        "playground" => decide_all(&[workloads::playground()], Detail::Decision, n),
        "playground-full" => decide_all(&[workloads::playground()], Detail::Full, n),
        "playground-edit" => {
            let s = workloads::playground();
            (0..n)
                .map(|_| check_with(&s, &s.compile(), "profile", Detail::Decision).len())
                .sum()
        }
        "cases-once" => decide_all(&workloads::case_set().1, Detail::Decision, n),
        "cases-each" => {
            let (_, scenarios) = workloads::case_set();
            let mut sum = 0;
            for _ in 0..n {
                for s in &scenarios {
                    for r in &s.requests {
                        let set = black_box(s).compile();
                        sum += usize::from(r.evaluate_with(&set, Detail::Decision).is_ok());
                    }
                }
            }
            sum
        }
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2)
        }
    };
    println!("{workload} x{n}: {sum}");
}
