//! The fast decision path (`Detail::Decision`) must give the same answers as
//! the fully traced path, for every request of the scenario corpus.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use iam_policy::{check_with, Detail, Scenario};
use std::path::{Path, PathBuf};

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

#[test]
fn fast_and_traced_paths_agree_on_the_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files = Vec::new();
    scenario_files(&root, &mut files);
    assert!(files.len() >= 20, "{} scenario files", files.len());
    let mut compared = 0;
    for f in files {
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let set = s.compile();
        let full = check_with(&s, &set, "x", Detail::Full);
        let fast = check_with(&s, &set, "x", Detail::Decision);
        for (a, b) in full.iter().zip(&fast) {
            let ctx = format!("{} #{}", f.display(), a.request);
            assert_eq!(a.error, b.error, "{ctx}");
            if a.error.is_some() {
                // an unresolved managed policy (this crate bundles none)
                continue;
            }
            assert_eq!(a.decision, b.decision, "{ctx}");
            assert_eq!(a.deciding_statements, b.deciding_statements, "{ctx}");
            assert_eq!(a.missing_context, b.missing_context, "{ctx}");
            assert_eq!(a.blocked_by, b.blocked_by, "{ctx}");
            assert_eq!(a.rule, b.rule, "{ctx}");
            assert_eq!(a.layers, b.layers, "{ctx}");
            assert!(b
                .authorization
                .as_ref()
                .unwrap()
                .layers
                .iter()
                .all(|l| l.policies.is_empty()));
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared}");
}

/// The compact trace ([`iam_policy::RequestSpec::evaluate_traced`]), expanded, is the full
/// trace; before expansion its answer is the decision-only answer (every request of the corpus).
#[test]
fn expanded_traces_equal_full_traces_on_the_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files = Vec::new();
    scenario_files(&root, &mut files);
    let mut compared = 0;
    for f in files {
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let set = s.compile();
        for (i, r) in s.requests.iter().enumerate() {
            let ctx = format!("{} #{i}", f.display());
            let full = r.evaluate_with(&set, Detail::Full);
            let fast = r.evaluate_with(&set, Detail::Decision);
            let traced = r.evaluate_traced(&set);
            let (Ok(full), Ok(fast), Ok(traced)) = (full, fast, traced) else {
                continue;
            };
            assert_eq!(traced.authorization, fast, "{ctx}");
            assert_eq!(traced.expand(&set).unwrap(), full, "{ctx}");
            let statements: usize = full
                .layers
                .iter()
                .flat_map(|l| &l.policies)
                .map(|p| p.statements.len())
                .sum();
            assert_eq!(traced.trace.statements(), statements, "{ctx}");
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared}");
}
