//! The command line's contract: output lines, closing line, exit codes, `--json`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin().current_dir(root()).args(args).output().expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("iam-policy-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn check_all_tests_passes() {
    let o = run(&["check", "tests/"]);
    let out = stdout(&o);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let n: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(n > 200, "{n} requests");
}

#[test]
fn check_reports_a_failed_expectation_with_exit_1() {
    let p = temp(
        "fail.json",
        r#"{"policies": {"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]},
          "requests": [
            {"name": "ok", "principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*", "expect": "allowed"},
            {"name": "wrong", "principal": "arn:aws:iam::111122223333:user/a", "action": "s3:PutObject", "resource": "*", "expect": "allowed"},
            {"name": "no expectation", "principal": "arn:aws:iam::111122223333:user/a", "action": "s3:PutObject", "resource": "*"}
          ]}"#,
    );
    let o = run(&["check", p.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(out.lines().nth(1).unwrap().starts_with("FAIL"), "{out}");
    assert_eq!(out.lines().last().unwrap(), "1 passed, 1 failed");
}

#[test]
fn check_exits_2_on_an_unparsable_file_with_position() {
    let p = temp(
        "broken.json",
        "{\n  \"policies\": {\"identity\": []},\n  \"requests\": [\n",
    );
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.json:3:15:"), "{err}");
    let p = temp("unknown-field.json", "{\"policies\": {}, \"request\": []}");
    let o = run(&["check", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("unknown-field.json:1:18: unknown field \"request\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"requests\""), "{err}");
}

#[test]
fn check_json_has_the_contract_fields() {
    let o = run(&[
        "check",
        "--json",
        "tests/scenarios/shared/image-builder/component-ip-restriction.json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 7);
    let first = &arr[0];
    assert_eq!(
        first["file"],
        "tests/scenarios/shared/image-builder/component-ip-restriction.json"
    );
    assert_eq!(first["request"], 0);
    assert_eq!(first["name"], "inside the range");
    assert_eq!(first["decision"], "allowed");
    assert_eq!(first["expect"], "allowed");
    assert_eq!(first["pass"], true);
    assert_eq!(
        first["decidingStatements"][0],
        serde_json::json!({"policy": "identity/0", "statement": 0, "sid": "IPAllow", "line": 5, "column": 7})
    );
    assert_eq!(first["missingContext"], serde_json::json!([]));
    assert!(first["error"].is_null());
    assert_eq!(
        arr[4]["missingContext"],
        serde_json::json!(["aws:SourceIp"])
    );
    assert_eq!(arr[1]["blockedBy"], "identity");
    assert_eq!(arr[1]["layers"][0]["layer"], "identity");
    assert_eq!(arr[1]["layers"][0]["decision"], "implicitDeny");
}

#[test]
fn check_json_reports_layers_and_blocking_level() {
    let o = run(&["check", "--json", "tests/scenarios/layers/scps.json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v[1];
    assert_eq!(r["decision"], "implicitDeny");
    assert_eq!(r["blockedBy"], "scps/1");
    let layers: Vec<(String, String)> = r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["layer"].as_str().unwrap().to_string(),
                l["decision"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        layers.contains(&("scps/1".to_string(), "implicitDeny".to_string())),
        "{layers:?}"
    );
    assert!(
        layers.contains(&("scps/0".to_string(), "allow".to_string())),
        "{layers:?}"
    );
}

#[test]
fn simulate_explains_not_ip_address() {
    let o = run(&[
        "simulate",
        "--policy",
        "tests/policies/component-ip-restriction.policy.json",
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        "arn:aws:imagebuilder:us-east-1:111122223333:component/hardening/1.0.0/1",
        "--principal",
        "arn:aws:iam::111122223333:user/alice",
        "--context",
        "aws:SourceIp=54.240.143.188",
    ]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.starts_with("Decision: implicitDeny"), "{out}");
    assert!(
        out.contains(
            "✗ aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "✓ aws:SourceIp 54.240.143.188 is inside 54.240.143.0/24, so IpAddress is true"
        ),
        "{out}"
    );
    assert!(
        out.contains("statement 0 \"IPAllow\" (Allow) does not apply: a condition is false"),
        "{out}"
    );

    let o = run(&[
        "simulate",
        "--policy",
        "tests/policies/component-ip-restriction.policy.json",
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        "arn:aws:imagebuilder:us-east-1:111122223333:component/hardening/1.0.0/1",
        "--source-ip",
        "54.240.143.5",
    ]);
    let out = stdout(&o);
    assert!(out.starts_with("Decision: allowed"), "{out}");
    assert!(out.contains("Decided by identity/0"), "{out}");
}

#[test]
fn simulate_reports_missing_context_and_multivalued_keys() {
    let p = temp(
        "tags.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}, "StringEquals": {"aws:RequestTag/env": "prod"}}}]}"#,
    );
    let o = run(&[
        "simulate",
        "--policy",
        p.to_str().unwrap(),
        "--action",
        "ec2:CreateTags",
        "--resource",
        "*",
        "--context",
        "aws:TagKeys=env",
        "--context",
        "aws:TagKeys=owner",
    ]);
    let out = stdout(&o);
    assert!(out.starts_with("Decision: implicitDeny"), "{out}");
    assert!(out.contains("Missing context: aws:RequestTag/env"), "{out}");
    assert!(
        out.contains("owner does not equal any of env, team"),
        "{out}"
    );
}

#[test]
fn simulate_refuses_invalid_policies_with_positions() {
    let p = temp("bad.json", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3GetObject\", \"Resource\": \"*\"}]}");
    let o = run(&[
        "simulate",
        "--policy",
        p.to_str().unwrap(),
        "--action",
        "s3:GetObject",
        "--resource",
        "*",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.json:1:71: \"s3GetObject\" is not a valid action"),
        "{err}"
    );
}

/// Issue 11, item 12: `check` on a scenario whose policy AWS would refuse prints every problem
/// of it, each with its line and column, as a compiler would (not only the first).
#[test]
fn check_prints_every_error_of_a_rejected_policy_with_its_position() {
    let p = temp(
        "five-errors.json",
        r#"{"policies": {"identity": [
  {"Version": "2012-10-18",
   "Statement": [
     {"Effect": "Allwo", "Action": "GetObject", "Resource": "*", "Bogus": 1},
     {"Effect": "Allow", "Action": "s3:GetObject"}
   ]}
]},
 "requests": [{"principal": "arn:aws:iam::111122223333:user/a", "action": "s3:GetObject", "resource": "*", "expect": "allowed"}]}"#,
    );
    let o = run(&["check", p.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    // "… refuse to store policy identity/0 (N problems) …", then one "error: FILE (POLICY):LINE:COLUMN:
    // message" per problem, with what AWS says and the fix.
    let first = out.lines().next().unwrap();
    let n: usize = first
        .split(" problems)")
        .next()
        .and_then(|s| s.rsplit('(').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a count of problems in {first:?}"));
    assert_eq!(n, 5, "{out}");
    let positioned: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  error: ") && l.contains("(identity/0):"))
        .filter(|l| {
            let after = l.split("(identity/0):").nth(1).unwrap_or_default();
            let mut parts = after.splitn(3, ':');
            parts.next().is_some_and(|x| x.parse::<u32>().is_ok())
                && parts.next().is_some_and(|x| x.parse::<u32>().is_ok())
        })
        .collect();
    assert_eq!(
        positioned.len(),
        n,
        "every error with its line and column:\n{out}"
    );
    for what in ["2012-10-18", "Allwo", "GetObject", "Bogus", "Resource"] {
        assert!(out.contains(what), "{what} is reported:\n{out}");
    }
}
