//! The differential tester (tests/differential/): random scenarios decided by our CLI and by the
//! pinned `@cloud-copilot/iam-simulate` (a dev-only test oracle), every disagreement explained by a
//! class of tests/differential/LEDGER.md.
//!
//! - `cargo xtask differential [--cases N] [--seed S]`: builds the CLI in release and runs N cases
//!   (default 100,000) from seed S (default 1).
//! - `cargo xtask test` runs the fixed-seed sample ([`CI_CASES`] cases, seed [`CI_SEED`]) with the
//!   debug CLI that the scenario-corpus step has just built.

use crate::{npm_ci_step, Runner, Step};

/// The fixed-seed sample `cargo xtask test` runs.
pub const CI_CASES: &str = "2000";
pub const CI_SEED: &str = "1";
const LONG_CASES: &str = "100000";

/// The steps of the fixed-seed sample in `cargo xtask test` (debug CLI, already built by then).
pub fn test_steps() -> Vec<Step> {
    let mut steps: Vec<Step> = npm_ci_step("tests/differential").into_iter().collect();
    steps.push(Step::new(
        "build the CLI (debug) for the differential tester",
        &["cargo", "build", "--quiet", "-p", "iam-policy-cli"],
    ));
    steps.push(driver(CI_CASES, CI_SEED, "target/debug/iam-policy"));
    steps
}

fn driver(cases: &str, seed: &str, cli: &str) -> Step {
    Step::new(
        &format!(
            "differential test against @cloud-copilot/iam-simulate ({cases} cases, seed {seed})"
        ),
        &[
            "node",
            "tests/differential/run.mjs",
            "--cases",
            cases,
            "--seed",
            seed,
            "--cli",
            cli,
        ],
    )
}

/// `cargo xtask differential [--cases N] [--seed S]`.
pub fn cmd(args: &[String]) -> bool {
    let mut cases = LONG_CASES.to_string();
    let mut seed = "1".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let target = match a.as_str() {
            "--cases" => &mut cases,
            "--seed" => &mut seed,
            other => {
                eprintln!("xtask differential: unknown argument '{other}'\nusage: cargo xtask differential [--cases N] [--seed S]");
                return false;
            }
        };
        match it.next() {
            Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                *target = v.clone()
            }
            _ => {
                eprintln!("xtask differential: {a} needs a whole number");
                return false;
            }
        }
    }
    let mut steps: Vec<Step> = npm_ci_step("tests/differential").into_iter().collect();
    steps.push(Step::new(
        "build the CLI (release)",
        &[
            "cargo",
            "build",
            "--release",
            "--quiet",
            "-p",
            "iam-policy-cli",
        ],
    ));
    steps.push(driver(&cases, &seed, "target/release/iam-policy"));
    let mut r = Runner::new(steps.len());
    for step in steps {
        if !r.run(step) {
            break;
        }
    }
    r.summary()
}
