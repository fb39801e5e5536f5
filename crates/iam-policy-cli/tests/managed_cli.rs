//! `iam-policy managed show|search`: output, `--json`, exit codes.
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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn show_prints_name_arn_version_date_and_the_document() {
    let o = run(&["managed", "show", "AWSImageBuilderFullAccess"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("AWSImageBuilderFullAccess"));
    assert_eq!(
        lines.next(),
        Some("ARN:       arn:aws:iam::aws:policy/AWSImageBuilderFullAccess")
    );
    assert_eq!(lines.next(), Some("Version:   v2 (default version)"));
    assert_eq!(lines.next(), Some("Updated:   2021-04-13T17:33:42Z"));
    assert!(
        out.contains("\n{\n    \"Version\": \"2012-10-17\",\n"),
        "{out}"
    );
    assert!(out.contains("\"imagebuilder:*\""), "{out}");
}

#[test]
fn show_accepts_an_arn_with_a_path() {
    let o = run(&[
        "managed",
        "show",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaRole",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("AWSLambdaRole\n"));
}

#[test]
fn show_document_is_the_exact_text_and_works_as_a_policy_file() {
    let o = run(&["managed", "show", "--document", "AWSImageBuilderFullAccess"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let expected = iam_managed_document("AWSImageBuilderFullAccess");
    assert_eq!(text, format!("{expected}\n"));

    let dir = std::env::temp_dir().join(format!("iam-managed-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("AWSImageBuilderFullAccess.json");
    std::fs::write(&file, &text).unwrap();
    let o = run(&[
        "simulate",
        "--policy",
        file.to_str().unwrap(),
        "--action",
        "imagebuilder:GetComponent",
        "--resource",
        "arn:aws:imagebuilder:us-east-1:111122223333:component/hardening/1.0.0/1",
    ]);
    assert!(
        stdout(&o).starts_with("Decision: allowed"),
        "{}{}",
        stdout(&o),
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The document as the JSON output gives it, to compare with `--document`.
fn iam_managed_document(name: &str) -> String {
    let o = run(&["managed", "show", "--json", name]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["name"], name);
    assert_eq!(v["versionId"], "v2");
    assert_eq!(v["updateDate"], "2021-04-13T17:33:42Z");
    assert_eq!(v["path"], "/");
    v["document"].as_str().unwrap().to_owned()
}

#[test]
fn an_unknown_name_exits_2_with_did_you_mean() {
    let o = run(&["managed", "show", "AWSImageBuilderFulAccess"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        stderr(&o).trim_end(),
        "error: unknown AWS managed policy \"AWSImageBuilderFulAccess\" (did you mean AWSImageBuilderFullAccess?)"
    );
    let o = run(&["managed", "show", "arn:aws:iam::aws:policy/AWSLambdaRole"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean arn:aws:iam::aws:policy/service-role/AWSLambdaRole?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn search_by_service_as_json() {
    let o = run(&["managed", "search", "--service", "imagebuilder", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 18);
    assert!(items
        .iter()
        .any(|p| p["name"] == "AWSImageBuilderFullAccess"));
    for p in items {
        assert!(p.get("document").is_none());
        let services = p["services"].as_array().unwrap();
        assert!(services.iter().any(|s| s == "imagebuilder"), "{p}");
    }
}

#[test]
fn search_by_name_prints_one_line_per_policy_and_a_count() {
    let o = run(&["managed", "search", "imagebuilder", "--limit", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("AWSImageBuilderFullAccess "), "{out}");
    assert!(
        lines[0].ends_with("  v2    2021-04-13  arn:aws:iam::aws:policy/AWSImageBuilderFullAccess")
    );
    assert!(lines[3].starts_with("showing 3 of "), "{out}");

    let o = run(&["managed", "search", "AWSImageBuilderFullAccess"]);
    assert_eq!(stdout(&o).lines().last(), Some("1 matching policy"));
}

#[test]
fn search_with_no_match_exits_1() {
    let o = run(&["managed", "search", "NoSuchPolicyAnywhere"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "0 matching policies\n");
    let o = run(&["managed", "search", "NoSuchPolicyAnywhere", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).trim(), "[]");
}

/// A scenario may name an AWS managed policy (`{"managed": …}`): `check`
/// resolves it from the bundled copy, and the deciding statement names it.
#[test]
fn check_resolves_managed_policy_references() {
    let o = run(&[
        "check",
        "tests/scenarios/managed/console-with-full-access.json",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("by identity/0 (AWSImageBuilderFullAccess) statement 0"),
        "{out}"
    );
}

/// An unknown managed policy name is an error at its line and column, with
/// "did you mean", and the file cannot be checked (exit 2).
#[test]
fn check_refuses_an_unknown_managed_policy_with_did_you_mean() {
    let dir = std::env::temp_dir().join(format!("iam-managed-ref-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("scenario.json");
    std::fs::write(
        &file,
        "{\"policies\": {\"identity\": [\n  {\"managed\": \"AWSImageBuilderFulAccess\"}]},\n \"requests\": []}",
    )
    .unwrap();
    let o = run(&["check", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(":2:15:"), "{err}");
    assert!(
        err.contains("did you mean AWSImageBuilderFullAccess"),
        "{err}"
    );
    assert!(err.contains("NoSuchEntity"), "{err}");
}
