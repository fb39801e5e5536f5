//! `iam-policy diff OLD NEW`: the per-service list, `--json`, `--service`,
//! `--kind resource`, and the exit codes (1 when NEW grants anything OLD
//! did not, 2 on unreadable or invalid input), on the seed policies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iam-policy"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("iam-policy-diff-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const MFA: &str = "tests/scenarios/shared/image-builder/require-mfa-and-tls.json";
const IP: &str = "tests/policies/component-ip-restriction.policy.json";

fn seed_identity(path: &str) -> String {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let s = iam_policy::Scenario::from_json(&text).unwrap();
    s.policies.identity[0].text()
}

#[test]
fn widening_get_to_star_is_granted_with_examples_and_exit_1() {
    // the scenario file itself is OLD; NEW widens imagebuilder:Get* to imagebuilder:*
    let new = temp(
        "mfa-widened.json",
        &seed_identity(MFA).replace("\"imagebuilder:Get*\"", "\"imagebuilder:*\""),
    );
    let o = run(&["diff", MFA, &new]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("imagebuilder (Amazon EC2 Image Builder): "),
        "{out}"
    );
    assert!(
        out.contains("    + imagebuilder:CreateComponent  granted\n"),
        "{out}"
    );
    assert!(!out.contains("imagebuilder:GetComponent "), "{out}");
    // the example meets the Deny statements' conditions: MFA present
    assert!(
        out.contains("imagebuilder:CreateComponent arn:aws:imagebuilder:us-east-1:111122223333:component/example/1/1 aws:MultiFactorAuthPresent=true → OLD implicitDeny, NEW allowed"),
        "{out}"
    );
    assert!(
        out.contains("statements: OLD 1 \"DenyWithoutMFA\" Deny at 14:7, 2 \"DenyInsecureTransport\" Deny at 25:7; NEW 0 \"AllowImageBuilderRead\" Allow at"),
        "{out}"
    );
    assert!(out.contains("NEW grants access OLD did not"), "{out}");
}

#[test]
fn adding_a_deny_revokes_and_exits_0() {
    let old = seed_identity(MFA);
    let new = old.replacen(
        "\"Statement\": [",
        "\"Statement\": [\n    {\"Sid\": \"NoLists\", \"Effect\": \"Deny\", \"Action\": \"imagebuilder:List*\", \"Resource\": \"*\"},",
        1,
    );
    assert_ne!(new, old);
    let (old, new) = (temp("mfa-old.json", &old), temp("mfa-deny.json", &new));
    let o = run(&["diff", &old, &new]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("    - imagebuilder:ListComponents  revoked\n"),
        "{out}"
    );
    assert!(
        out.contains("NEW denies these actions unconditionally (statement 0 \"NoLists\" (line 4))"),
        "{out}"
    );
    assert!(out.contains("→ OLD allowed, NEW explicitDeny"), "{out}");
    assert!(out.contains("NEW grants nothing OLD did not."), "{out}");
}

#[test]
fn a_wider_ip_range_changes_conditions_and_exits_1() {
    let new = temp(
        "ip-wider.json",
        &std::fs::read_to_string(root().join(IP))
            .unwrap()
            .replace("54.240.143.0/24", "54.240.0.0/16"),
    );
    let o = run(&["diff", IP, &new, "--service", "imagebuilder"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("    ~ imagebuilder:GetComponent  conditions changed\n"),
        "{out}"
    );
    assert!(
        out.contains("NEW allows these actions under weaker conditions"),
        "{out}"
    );
    assert!(
        out.contains("aws:SourceIp=54.240.0.0 → OLD implicitDeny, NEW allowed"),
        "{out}"
    );
    assert!(
        out.contains("statements: OLD 0 \"IPAllow\" Allow at 5:7; NEW 0 \"IPAllow\" Allow at 5:7"),
        "{out}"
    );
}

#[test]
fn a_narrower_ip_range_exits_0() {
    let new = temp(
        "ip-narrower.json",
        &std::fs::read_to_string(root().join(IP))
            .unwrap()
            .replace("54.240.143.0/24", "54.240.143.0/25"),
    );
    let o = run(&["diff", IP, &new]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("under stricter conditions"), "{out}");
    assert!(out.contains("→ OLD allowed, NEW implicitDeny"), "{out}");
}

#[test]
fn a_moved_resource_shows_both_directions_in_json() {
    let new = temp(
        "ip-images.json",
        &std::fs::read_to_string(root().join(IP))
            .unwrap()
            .replace(":component/*", ":image/*"),
    );
    let o = run(&["diff", IP, &new, "--json", "--service", "imagebuilder"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["old"], IP);
    assert_eq!(v["kind"], "identity");
    assert_eq!(v["summary"]["newAccess"], true);
    let changes = v["services"][0]["changes"].as_array().unwrap();
    let c = changes
        .iter()
        .find(|c| c["action"] == "imagebuilder:GetImage")
        .unwrap();
    assert_eq!(c["kind"], "resourcesChanged");
    assert_eq!(c["newAccess"], "yes");
    assert_eq!(c["lostAccess"], "yes");
    assert_eq!(c["aspects"], serde_json::json!(["resources"]));
    let ex = c["examples"].as_array().unwrap();
    assert_eq!(ex[0]["shows"], "newAccess");
    assert_eq!(ex[0]["old"], "implicitDeny");
    assert_eq!(ex[0]["new"], "allowed");
    assert!(ex[0]["request"]["resource"]
        .as_str()
        .unwrap()
        .contains(":image/"));
    assert_eq!(ex[0]["request"]["context"]["aws:SourceIp"], "54.240.143.0");
    assert_eq!(ex[1]["shows"], "lostAccess");
    assert!(ex[1]["request"]["resource"]
        .as_str()
        .unwrap()
        .contains(":component/"));
    assert_eq!(c["newStatements"][0]["line"], 5);
    assert_eq!(c["newStatements"][0]["column"], 7);
    assert!(c["sentence"]
        .as_str()
        .unwrap()
        .starts_with("NEW allows imagebuilder:GetImage in some cases OLD did not"));
}

#[test]
fn identical_versions_exit_0_with_nothing_listed() {
    let o = run(&["diff", IP, IP]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.ends_with(
            "\n0 granted, 0 revoked, 0 changed, 0 may differ: NEW grants nothing OLD did not.\n"
        ),
        "{out}"
    );
}

#[test]
fn resource_policies_compare_principals() {
    let old = temp(
        "bucket-old.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}
]}"#,
    );
    let new = temp(
        "bucket-new.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"]}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}
]}"#,
    );
    let o = run(&["diff", "--kind", "resource", &old, &new]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("    ~ s3:GetObject  principals changed\n"),
        "{out}"
    );
    assert!(
        out.contains("NEW allows s3:GetObject to more principals"),
        "{out}"
    );
    assert!(
        out.contains("example: arn:aws:iam::111122223333:user/bob s3:GetObject arn:aws:s3:::shared/example → OLD implicitDeny, NEW allowed"),
        "{out}"
    );
    // without --kind resource the Principal element is an error
    let o = run(&["diff", &old, &new]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_input_exits_2_with_every_error_and_its_position() {
    let bad = temp(
        "bad.json",
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"s3GetObject\", \"Resource\": \"*\"}]\n}",
    );
    let o = run(&["diff", IP, &bad]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("bad.json:3:")).collect();
    assert!(lines.len() >= 2, "{err}");
    assert!(err.contains("Alow"), "{err}");
    assert!(err.contains("s3GetObject"), "{err}");
    assert!(stdout(&o).is_empty());

    let o = run(&["diff", IP, "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no/such/file.json: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_scenario_with_several_identity_policies_is_refused() {
    let two = temp(
        "two.json",
        r#"{"policies": {"identity": [
  {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
  {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}
]}, "requests": []}"#,
    );
    let o = run(&["diff", &two, IP]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("holds 2 identity policies"),
        "{}",
        stderr(&o)
    );
}
