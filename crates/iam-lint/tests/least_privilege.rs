//! Summary and expansion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_catalog::{AccessLevel, Catalog, Coverage};
use iam_lint::{expand, expand_statement, summary, ExpandedAction};
use iam_policy::parse_policy;

fn policy(text: &str) -> iam_policy::Policy {
    parse_policy(text).policy.unwrap()
}

#[test]
fn expand_a_wildcard() {
    let cat = Catalog::embedded();
    let names: Vec<String> = expand("s3:Get*", cat)
        .iter()
        .map(|a| a.full_name())
        .collect();
    assert!(names.contains(&"s3:GetObject".to_string()));
    assert!(names.iter().all(|n| n.starts_with("s3:Get")));
    assert!(expand("s3:Nope*", cat).is_empty());
    let plain = ExpandedAction::from(expand("s3:GetObject", cat)[0]);
    assert_eq!(plain.action, "s3:GetObject");
    assert!(plain.resource_types.contains(&"object".to_string()));
    assert_eq!(
        serde_json::to_value(&plain).unwrap()["accessLevels"],
        serde_json::json!(["Read"])
    );
}

#[test]
fn expand_statements() {
    let cat = Catalog::embedded();
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*", "S3:GETOBJECT"], "Resource": "*"},
      {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]}"#,
    );
    let first = expand_statement(&p.statements[0], cat);
    assert_eq!(first.len(), expand("s3:Get*", cat).len(), "no duplicates");
    let second = expand_statement(&p.statements[1], cat);
    assert_eq!(second.len(), cat.action_count() - expand("s3:*", cat).len());
    assert!(second.iter().all(|a| a.service_prefix() != "s3"));
}

#[test]
fn allow_minus_deny_and_not_action() {
    let cat = Catalog::embedded();
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}]}"#,
    );
    let s = summary(&p, cat);
    assert_eq!(s.len(), 1);
    let write = s[0].level(AccessLevel::Write).unwrap();
    assert_eq!(write.coverage, Coverage::Partial);
    assert!(!write.conditional && !write.resource_scoped);
    assert_eq!(
        s[0].level(AccessLevel::Read).unwrap().coverage,
        Coverage::Full
    );

    // NotAction: everything but IAM
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}"#,
    );
    let s = summary(&p, cat);
    assert!(s.iter().all(|x| x.prefix != "iam"));
    assert!(s.len() > 400);
}

#[test]
fn conditions_and_resources_are_marked() {
    let cat = Catalog::embedded();
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
      {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
      {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/secret/*"}]}"#,
    );
    let s = summary(&p, cat);
    let read = s[0].level(AccessLevel::Read).unwrap();
    // the Deny covers only part of the bucket: GetObject still counts, but not for sure
    assert_eq!((read.granted, read.unconditional), (1, 0));
    assert!(read.conditional && read.resource_scoped);
    let write = s[0].level(AccessLevel::Write).unwrap();
    assert_eq!(
        (write.granted, write.unconditional, write.on_all_resources),
        (1, 0, 1)
    );
    assert!(write.conditional && !write.resource_scoped);
    // a Deny-only policy grants nothing
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}"#,
    );
    assert!(summary(&p, cat).is_empty());
}

#[test]
fn summary_of_everything_is_fast_enough() {
    let cat = Catalog::embedded();
    let p = policy(
        r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
      {"Effect": "Deny", "Action": ["*:Delete*", "s3:Put*"], "Resource": "*"}]}"#,
    );
    let _ = summary(&p, cat); // warm up
    let t = std::time::Instant::now();
    let s = summary(&p, cat);
    let took = t.elapsed();
    assert!(s.len() > 400);
    // the bench measures this precisely; here only a generous sanity bound
    // (debug build, shared CI machine)
    assert!(took.as_millis() < 2_000, "{took:?}");
}
