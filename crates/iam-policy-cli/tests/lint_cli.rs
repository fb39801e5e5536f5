//! `iam-policy lint`, `expand` and `summary`, run as a user would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp_file(name: &str, text: &str) -> String {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const SEEDS: [&str; 4] = [
    "tests/scenarios/shared/image-builder/component-ip-restriction.json",
    "tests/scenarios/shared/image-builder/console-custom-policy.json",
    "tests/scenarios/shared/image-builder/register-image-step-action.json",
    "tests/scenarios/shared/image-builder/require-mfa-and-tls.json",
];

#[test]
fn lint_seed_scenarios() {
    let o = run(&[&["lint"][..], &SEEDS[..]].concat());
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with(
        "tests/scenarios/shared/image-builder/register-image-step-action.json [identity/0] 10:19: suggestion: \"Resource\": \"*\" grants"
    ));
    assert!(lines[0].ends_with("[star-resource]"));
    assert!(lines[1].starts_with("tests/scenarios/shared/image-builder/require-mfa-and-tls.json [identity/0] 11:19: suggestion:"));
    assert_eq!(
        lines[2],
        "4 policies in 4 files: 0 errors, 0 security warnings, 0 warnings, 2 suggestions"
    );
}

#[test]
fn lint_errors_exit_1() {
    let f = temp_file(
        "typo.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObjekt\",\n      \"Resource\": \"arn:aws:s3:::b/*\"\n    }\n  ]\n}\n",
    );
    let o = run(&["lint", &f]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(
        out.lines().next().unwrap(),
        format!("{f}:6:17: error: Amazon S3 (s3) has no action \"GetObjekt\" (fix: did you mean \"s3:GetObject\"?) [unknown-action]")
    );
}

#[test]
fn lint_json_and_kind() {
    let f = temp_file(
        "public-bucket.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    );
    let o = run(&["lint", "--json", "--kind", "resource", &f]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["file"], f.as_str());
    assert_eq!(v[0]["kind"], "resource");
    assert_eq!(
        v[0]["findings"][0]["code"],
        "public-principal-without-condition"
    );
    assert_eq!(v[0]["findings"][0]["category"], "securityWarning");
    assert_eq!(v[0]["size"]["limit"]["label"], "S3 bucket policy");
    // as an identity policy, Principal is an error of the engine
    let o = run(&["lint", &f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("[not-allowed-here]"));
}

#[test]
fn lint_unreadable_file_exits_2() {
    let o = run(&["lint", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
}

#[test]
fn expand_lists_actions_with_levels() {
    let o = run(&["expand", "s3:GetObject*"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("s3:GetObject ") && first.contains("Read") && first.contains("object"),
        "{first}"
    );
    assert!(out
        .lines()
        .last()
        .unwrap()
        .ends_with("actions match s3:GetObject*"));
    let o = run(&["expand", "--json", "imagebuilder:ListImages"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!([{"action": "imagebuilder:ListImages", "accessLevels": ["List"], "resourceTypes": []}])
    );
    let o = run(&["expand", "s3:Nope*"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn summary_table() {
    let o = run(&["summary", SEEDS[1]]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{} [identity/0]", SEEDS[1]));
    assert!(lines[1].starts_with("Service  Actions  List"));
    assert!(
        lines[2].starts_with("iam      2/190") && lines[2].contains("Partial 1/113 (cr)"),
        "{out}"
    );
    assert!(lines.last().unwrap().starts_with("(c) only under"));
    let o = run(&["summary", "--json", SEEDS[3]]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["services"][0]["prefix"], "imagebuilder");
    assert_eq!(v[0]["services"][0]["levels"][0]["coverage"], "Full");
}
