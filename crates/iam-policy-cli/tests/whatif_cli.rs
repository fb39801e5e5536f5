//! "What would change it": `simulate` and `check --explain` end with the
//! engine's verified suggestions, each edit of the request in words.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The lines of the "What would change it:" section.
fn section(out: &str) -> Vec<&str> {
    out.lines()
        .skip_while(|l| l.trim() != "What would change it:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect()
}

const COMPONENT: &str = "arn:aws:imagebuilder:us-east-1:111122223333:component/hardening/1.0.0/1";

#[test]
fn simulate_suggests_an_address_for_the_excluded_one() {
    let o = run(&[
        "simulate",
        "--policy",
        "tests/policies/component-ip-restriction.policy.json",
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        COMPONENT,
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--context",
        "aws:SourceIp=54.240.143.188",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    // the explanation is unchanged, the section comes last
    assert!(out.starts_with("Decision: implicitDeny\n"), "{out}");
    let lines = section(&out);
    assert_eq!(
        lines,
        [
            "- statement 0 \"IPAllow\" of identity policy 1 (Allow) comes closest; only this stops it: aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false",
            "try: set aws:SourceIp to 54.240.143.189 → allowed",
            "- the identity-based policies would have to allow imagebuilder:GetComponent on arn:aws:imagebuilder:us-east-1:111122223333:component/hardening/1.0.0/1: no applicable policy allows the request; closest: statement 0 \"IPAllow\" of identity policy 1",
        ]
    );
    // the suggested request is allowed indeed
    let o = run(&[
        "simulate",
        "--policy",
        "tests/policies/component-ip-restriction.policy.json",
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        COMPONENT,
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--context",
        "aws:SourceIp=54.240.143.189",
    ]);
    assert!(stdout(&o).starts_with("Decision: allowed\n"));
}

#[test]
fn simulate_of_an_allowed_request_names_the_allowing_statement() {
    let o = run(&[
        "simulate",
        "--policy",
        "tests/policies/component-ip-restriction.policy.json",
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        COMPONENT,
        "--context",
        "aws:SourceIp=54.240.143.5",
    ]);
    let out = stdout(&o);
    let lines = section(&out);
    assert!(
        lines[0].starts_with("- for the request to be denied, every statement that allows it in the identity-based policies would have to go"),
        "{out}"
    );
    assert_eq!(lines[1], "with the policy changed → implicitDeny");
    assert!(lines.contains(&"try: set aws:SourceIp to 54.240.143.188 → implicitDeny"));
}

#[test]
fn check_explain_ends_each_request_with_its_suggestions() {
    let o = run(&[
        "check",
        "--explain",
        "tests/scenarios/shared/image-builder/require-mfa-and-tls.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    // one section per request whose decision something can change
    assert_eq!(out.matches("What would change it:").count(), 7, "{out}");
    assert!(out.contains("      try: add aws:MultiFactorAuthPresent = true → allowed\n"));
    assert!(out.contains("      try: set aws:SecureTransport to true → allowed\n"));
    // without --explain nothing is added
    let o = run(&[
        "check",
        "tests/scenarios/shared/image-builder/require-mfa-and-tls.json",
    ]);
    assert!(!stdout(&o).contains("What would change it"));
}
