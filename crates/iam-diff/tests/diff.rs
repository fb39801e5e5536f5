//! The diff against hand-checked cases: exact action counts from the
//! catalog, "may differ" (never "same") where it cannot prove, proven
//! equality where it can, and every example request evaluated again through
//! the scenario format against both versions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use iam_catalog::Catalog;
use iam_diff::{
    diff, ActionChange, Aspect, ChangeKind, DiffKind, DiffOptions, Evidence, PolicyDiff, Shows,
};
use iam_policy::eval::authorize::Detail;
use iam_policy::{Decision, PolicySource, Scenario};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn policy(statements: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
}

fn run(old: &str, new: &str, kind: DiffKind) -> PolicyDiff {
    diff(old, new, &DiffOptions::new(kind), catalog()).expect("both versions are valid")
}

fn changes(d: &PolicyDiff) -> Vec<&ActionChange> {
    d.services.iter().flat_map(|s| s.changes.iter()).collect()
}

fn change<'a>(d: &'a PolicyDiff, action: &str) -> &'a ActionChange {
    changes(d)
        .into_iter()
        .find(|c| c.action.eq_ignore_ascii_case(action))
        .unwrap_or_else(|| panic!("no change for {action}"))
}

/// Evaluates every example again, as a user would: a scenario with the
/// version (and the policies the example assumed), the request as written.
fn verify_examples(old: &str, new: &str, kind: DiffKind, d: &PolicyDiff) -> usize {
    let mut n = 0;
    for c in changes(d) {
        for e in &c.examples {
            for (text, want) in [(old, e.old), (new, e.new)] {
                let mut s = Scenario::default();
                match kind {
                    DiffKind::Identity => s
                        .policies
                        .identity
                        .push(PolicySource::Text(text.to_string())),
                    DiffKind::Resource => {
                        s.policies.resource = Some(PolicySource::Text(text.to_string()))
                    }
                }
                for a in &e.assumed_policies {
                    let src = PolicySource::Object(a.policy.clone());
                    match a.layer.as_str() {
                        "identity" => s.policies.identity.push(src),
                        "resource" => s.policies.resource = Some(src),
                        other => panic!("unexpected layer {other}"),
                    }
                }
                let got = e
                    .request
                    .evaluate_with(&s.compile(), Detail::Decision)
                    .expect("the example evaluates")
                    .decision;
                assert_eq!(got, want, "{}: {}", c.action, e.summary);
            }
            match e.shows {
                Shows::NewAccess => {
                    assert_eq!(e.new, Decision::Allowed);
                    assert_ne!(e.old, Decision::Allowed);
                }
                Shows::LostAccess => {
                    assert_eq!(e.old, Decision::Allowed);
                    assert_ne!(e.new, Decision::Allowed);
                }
            }
            assert_eq!(e.request.action, c.action);
            n += 1;
        }
    }
    n
}

#[test]
fn widening_s3_get_to_s3_star_grants_exactly_the_non_get_actions() {
    let old = policy(r#"{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}"#);
    let new = policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#);
    let d = run(&old, &new, DiffKind::Identity);
    let s3 = catalog().service("s3").unwrap();
    let gets = catalog().expand("s3:Get*").len();
    let expected = s3.action_count() - gets;
    assert!(expected > 50, "{expected}");
    assert_eq!(d.summary.granted, expected);
    assert_eq!(d.services.len(), 1);
    assert_eq!(d.services[0].prefix, "s3");
    for c in changes(&d) {
        assert_eq!(c.kind, ChangeKind::Granted);
        assert!(
            !c.action.to_ascii_lowercase().starts_with("s3:get"),
            "{}",
            c.action
        );
        assert_eq!(c.new_access, Evidence::Yes, "{}: {:?}", c.action, c.reasons);
        assert_eq!(c.new_statements.len(), 1);
        assert!(c.old_statements.is_empty());
    }
    assert!(d.summary.new_access);
    assert_eq!(
        verify_examples(&old, &new, DiffKind::Identity, &d),
        expected
    );
}

#[test]
fn narrowing_is_revoked_and_grants_nothing_new() {
    let old = policy(r#"{"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}"#);
    let new = policy(r#"{"Effect": "Allow", "Action": "sqs:Get*", "Resource": "*"}"#);
    let d = run(&old, &new, DiffKind::Identity);
    let expected =
        catalog().service("sqs").unwrap().action_count() - catalog().expand("sqs:Get*").len();
    assert_eq!(d.summary.revoked, expected);
    assert!(!d.summary.new_access);
    assert!(changes(&d).iter().all(|c| c.lost_access == Evidence::Yes));
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn star_counts_every_catalog_action() {
    let old = policy(r#"{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}"#);
    let new = policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#);
    let options = DiffOptions {
        examples: false,
        ..DiffOptions::new(DiffKind::Identity)
    };
    let d = diff(&old, &new, &options, catalog()).unwrap();
    assert_eq!(d.summary.actions_compared, catalog().action_count());
    assert_eq!(d.summary.granted, catalog().action_count() - 1);
    assert!(
        d.summary.new_access,
        "unknown new access fails the gate too"
    );
}

#[test]
fn not_action_is_the_complement_within_the_catalog() {
    // "NotAction": iam:* allows every other action; "*" adds exactly iam's
    let old = policy(r#"{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}"#);
    let new = policy(r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#);
    let d = run(&old, &new, DiffKind::Identity);
    assert_eq!(
        d.summary.granted,
        catalog().service("iam").unwrap().action_count()
    );
    assert!(changes(&d).iter().all(|c| c.action.starts_with("iam:")));
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn an_unconditional_deny_revokes_what_it_covers() {
    // "an explicit deny in any of these policies overrides the allow"
    let old = policy(r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#);
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
           {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    assert_eq!(d.summary.revoked, catalog().expand("s3:Delete*").len());
    assert_eq!(changes(&d).len(), d.summary.revoked);
    let c = change(&d, "s3:DeleteBucket");
    assert_eq!(c.kind, ChangeKind::Revoked);
    assert!(c.sentence.contains("NoDeletes"), "{}", c.sentence);
    assert_eq!(c.examples[0].new, Decision::ExplicitDeny);
    assert!(!d.summary.new_access);
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn a_conditional_deny_narrows_and_the_example_meets_its_condition() {
    let old = policy(r#"{"Effect": "Allow", "Action": "imagebuilder:*", "Resource": "*"}"#);
    let new = policy(
        r#"{"Effect": "Allow", "Action": "imagebuilder:*", "Resource": "*"},
           {"Effect": "Deny", "Action": "imagebuilder:Delete*", "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "imagebuilder:DeleteComponent");
    assert_eq!(c.kind, ChangeKind::ConditionsChanged);
    assert_eq!(c.new_access, Evidence::No);
    assert_eq!(c.lost_access, Evidence::Yes);
    assert!(c.aspects.contains(&Aspect::Deny));
    assert!(!d.summary.new_access);
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn a_wider_ip_range_shows_an_address_only_new_allows() {
    let old = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/policies/component-ip-restriction.policy.json"
    ))
    .unwrap();
    let new = old.replace("54.240.143.0/24", "54.240.0.0/16");
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "imagebuilder:GetComponent");
    assert_eq!(c.kind, ChangeKind::ConditionsChanged);
    assert_eq!(c.new_access, Evidence::Yes);
    assert_eq!(c.lost_access, Evidence::No, "the /16 holds the /24");
    let ip = c.examples[0].request.context["aws:SourceIp"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ip.starts_with("54.240."), "{ip}");
    assert!(!ip.starts_with("54.240.143."), "{ip}");
    assert_eq!(c.new_statements[0].line, 5);
    assert_eq!(c.new_statements[0].sid.as_deref(), Some("IPAllow"));
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn moved_resources_change_both_ways() {
    let old = policy(
        r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/a"}"#,
    );
    let new = policy(
        r#"{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/b"}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "dynamodb:GetItem");
    assert_eq!(c.kind, ChangeKind::ResourcesChanged);
    assert_eq!(
        (c.new_access, c.lost_access),
        (Evidence::Yes, Evidence::Yes)
    );
    assert_eq!(c.examples.len(), 2);
    assert_eq!(
        c.examples[0].request.resource,
        "arn:aws:dynamodb:us-east-1:111122223333:table/b"
    );
    assert_eq!(c.examples[0].resource_type.as_deref(), Some("table"));
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn a_wider_resource_pattern_is_proven_wider() {
    let old = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/2024/*"}"#,
    );
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::logs/*"}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.kind, ChangeKind::ResourcesChanged);
    assert_eq!(c.lost_access, Evidence::No);
    assert_eq!(c.new_access, Evidence::Yes);
    let r = &c.examples[0].request.resource;
    assert!(
        r.starts_with("arn:aws:s3:::logs/") && !r.starts_with("arn:aws:s3:::logs/2024/"),
        "{r}"
    );
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn equal_access_written_differently_is_no_change() {
    // reordered lists, split statements, case of keys and booleans, a date
    // written two ways, a redundant narrower resource
    let old = policy(
        r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "true"},
                          "DateLessThan": {"aws:CurrentTime": "2030-01-01"}}}"#,
    );
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:PutObject",
            "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*", "arn:aws:s3:::a/x/*"],
            "Condition": {"DateLessThan": {"aws:currenttime": "2030-01-01T00:00:00Z"},
                          "Bool": {"AWS:SecureTransport": "TRUE"}}},
           {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::a/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "true"},
                          "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    assert!(d.services.is_empty(), "{:#?}", d.services);
    assert!(!d.summary.new_access);
}

#[test]
fn unprovable_conditions_may_differ_never_same() {
    // NumericLessThan 10 and NumericLessThanEquals 9 agree on every integer
    // but not on 9.5: the diff cannot prove them equal and its candidate
    // values are integers, so it must say "may differ"
    let old = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"NumericLessThan": {"s3:max-keys": "10"}}}"#,
    );
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"NumericLessThanEquals": {"s3:max-keys": "9"}}}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:ListBucket");
    assert_eq!(c.kind, ChangeKind::MayDiffer);
    assert_eq!(
        (c.new_access, c.lost_access),
        (Evidence::Unknown, Evidence::Unknown)
    );
    assert!(
        c.reasons.iter().any(|r| r.contains("NumericLessThan")),
        "{:?}",
        c.reasons
    );
    assert!(c.examples.is_empty());
    assert!(d.summary.new_access, "an unproven change fails the gate");
}

#[test]
fn a_different_operator_is_shown_by_an_example_when_one_exists() {
    let old = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"StringEquals": {"s3:prefix": "home/*"}}}"#,
    );
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
            "Condition": {"StringLike": {"s3:prefix": "home/*"}}}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:ListBucket");
    assert_eq!(c.kind, ChangeKind::ConditionsChanged);
    assert_eq!(c.new_access, Evidence::Yes);
    assert_eq!(c.examples[0].request.context["s3:prefix"], "home/example");
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn containment_stops_at_its_named_budget() {
    // `*a` followed by 16 `?` needs 2^16 automaton states to compare
    let q = "?".repeat(16);
    let old = policy(&format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*a{q}"}}"#
    ));
    let new = policy(&format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*b{q}"}}"#
    ));
    let options = DiffOptions {
        examples: false,
        ..DiffOptions::new(DiffKind::Identity)
    };
    let d = diff(&old, &new, &options, catalog()).unwrap();
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.kind, ChangeKind::MayDiffer);
    assert!(
        c.reasons
            .iter()
            .any(|r| r.contains("not checked (too complex)")),
        "{:?}",
        c.reasons
    );
    // examples then show what the proof could not
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.kind, ChangeKind::ResourcesChanged);
    assert_eq!(
        (c.new_access, c.lost_access),
        (Evidence::Yes, Evidence::Yes)
    );
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn policy_variables_are_compared_soundly() {
    let old = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}"#,
    );
    let new =
        policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#);
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:GetObject");
    // every value of the variable lies within b/*: proven wider
    assert_eq!(c.lost_access, Evidence::No);
    assert_eq!(c.new_access, Evidence::Yes);
    verify_examples(&old, &new, DiffKind::Identity, &d);
    // the reverse needs the variable's value: lost access shown
    let d = run(&new, &old, DiffKind::Identity);
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.new_access, Evidence::No);
    assert_eq!(c.lost_access, Evidence::Yes);
    verify_examples(&new, &old, DiffKind::Identity, &d);
    // the same text under 2008-10-17 is literal: not the same statement
    let v2008 = old.replace("2012-10-17", "2008-10-17");
    let d = run(&old, &v2008, DiffKind::Identity);
    assert_eq!(changes(&d).len(), 1);
    verify_examples(&old, &v2008, DiffKind::Identity, &d);
}

#[test]
fn an_action_the_catalog_does_not_list_is_still_compared() {
    let old = policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    let new = policy(
        r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:FutureAction"], "Resource": "*"}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:FutureAction");
    assert!(!c.in_catalog);
    assert_eq!(c.kind, ChangeKind::Granted);
    assert_eq!(c.new_access, Evidence::Yes);
    assert_eq!(changes(&d).len(), 1);
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn resource_policies_name_principals_and_delegate_to_accounts() {
    let old = policy(
        r#"{"Sid": "Alice", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"},
           {"Sid": "Tls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
    );
    let new = policy(
        r#"{"Sid": "Alice", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:role/reader"]},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"},
           {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "444455556666"},
            "Action": "s3:PutObject", "Resource": "arn:aws:s3:::shared/in/*"},
           {"Sid": "Tls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": ["arn:aws:s3:::shared", "arn:aws:s3:::shared/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
    );
    let d = run(&old, &new, DiffKind::Resource);
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.kind, ChangeKind::PrincipalsChanged);
    assert_eq!(c.lost_access, Evidence::No);
    assert_eq!(
        c.examples[0].request.principal,
        "arn:aws:iam::111122223333:role/reader"
    );
    let c = change(&d, "s3:PutObject");
    assert_eq!(c.kind, ChangeKind::Granted);
    let e = &c.examples[0];
    assert!(e
        .request
        .principal
        .starts_with("arn:aws:iam::444455556666:"));
    // a grant to an account needs the account's own identity policy too
    assert_eq!(e.assumed_policies.len(), 1);
    assert_eq!(e.assumed_policies[0].layer, "identity");
    assert_eq!(changes(&d).len(), 2);
    assert_eq!(verify_examples(&old, &new, DiffKind::Resource, &d), 2);
}

#[test]
fn kms_key_actions_need_the_key_policy_and_say_so() {
    let old = policy(r#"{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}"#);
    let new =
        policy(r#"{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}"#);
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "kms:Decrypt");
    assert_eq!(c.new_access, Evidence::Yes, "{:?}", c.reasons);
    let e = &c.examples[0];
    assert!(
        e.request.resource.contains(":key/"),
        "{}",
        e.request.resource
    );
    assert_eq!(e.assumed_policies[0].layer, "resource");
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn seed_policies_widened_denied_and_moved_verify() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/shared/image-builder"
    );
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let s = Scenario::from_json(&text).unwrap();
        for p in &s.policies.identity {
            let old = p.text();
            for (from, to) in [
                ("Get*", "*"),
                ("\"Allow\"", "\"Deny\""),
                (":*:*:", ":us-east-1:*:"),
                ("54.240.143.0/24", "10.0.0.0/8"),
                ("image-builder-logs", "image-builder-logs-2"),
            ] {
                let new = old.replacen(from, to, 1);
                if new == old {
                    continue;
                }
                let d = run(&old, &new, DiffKind::Identity);
                assert!(!d.services.is_empty(), "{from} → {to}");
                seen += verify_examples(&old, &new, DiffKind::Identity, &d);
                // a change without an example says why
                for c in changes(&d) {
                    let unshown =
                        (c.new_access == Evidence::Unknown) || (c.lost_access == Evidence::Unknown);
                    if unshown {
                        assert!(!c.reasons.is_empty(), "{}", c.action);
                    }
                }
            }
        }
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn invalid_versions_report_every_error_with_its_position() {
    let old = policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    let new = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Alow\", \"Action\": \"s3GetObject\", \"Resource\": \"*\"}]\n}";
    let e = diff(&old, new, &DiffOptions::default(), catalog()).unwrap_err();
    assert!(e.diagnostics.len() >= 2, "{e}");
    assert!(e.diagnostics.iter().all(|d| d.side == iam_diff::Side::New));
    assert!(e
        .diagnostics
        .iter()
        .all(|d| d.diagnostic.span.start.line == 3));
    let e = diff("{", new, &DiffOptions::default(), catalog()).unwrap_err();
    assert!(e.diagnostics.iter().any(|d| d.side == iam_diff::Side::Old));
    assert!(e.diagnostics.iter().any(|d| d.side == iam_diff::Side::New));
}

#[test]
fn the_json_shape_is_camel_case() {
    let old = policy(r#"{"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}"#);
    let new = policy(
        r#"{"Sid": "Pub", "Effect": "Allow", "Action": ["sns:Publish", "sns:Subscribe"], "Resource": "*"}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["kind"], "identity");
    assert_eq!(v["summary"]["granted"], 1);
    assert_eq!(v["summary"]["newAccess"], true);
    let c = &v["services"][0]["changes"][0];
    assert_eq!(v["services"][0]["prefix"], "sns");
    assert_eq!(c["action"], "sns:Subscribe");
    assert_eq!(c["kind"], "granted");
    assert_eq!(c["newAccess"], "yes");
    assert_eq!(c["lostAccess"], "no");
    assert_eq!(c["newStatements"][0]["sid"], "Pub");
    assert_eq!(c["newStatements"][0]["side"], "new");
    assert_eq!(c["newStatements"][0]["line"], 1);
    assert_eq!(c["examples"][0]["shows"], "newAccess");
    assert_eq!(c["examples"][0]["request"]["action"], "sns:Subscribe");
    assert_eq!(c["examples"][0]["old"], "implicitDeny");
    assert_eq!(c["examples"][0]["new"], "allowed");
    assert_eq!(c["examples"][0]["resourceType"], "topic");
}

#[test]
fn a_service_filter_compares_only_that_service() {
    let old = policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#);
    let new = policy(r#"{"Effect": "Allow", "Action": ["s3:*", "sqs:*"], "Resource": "*"}"#);
    let options = DiffOptions {
        service: Some("SQS".to_string()),
        ..DiffOptions::new(DiffKind::Identity)
    };
    let d = diff(&old, &new, &options, catalog()).unwrap();
    assert_eq!(d.services.len(), 1);
    assert_eq!(d.services[0].prefix, "sqs");
    assert_eq!(
        d.summary.actions_compared,
        catalog().service("sqs").unwrap().action_count()
    );
}

#[test]
fn pathological_patterns_and_value_lists_stop_at_their_budgets() {
    // long wildcard-heavy resources and thousands of condition values: the
    // diff answers quickly, with "may differ" or examples, never hangs
    let long_a = "*a?".repeat(1500);
    let long_b = "*b?".repeat(1500);
    let ips_a: Vec<String> = (0..2000)
        .map(|i| format!("\"10.{}.{}.0/24\"", i / 256, i % 256))
        .collect();
    let ips_b: Vec<String> = (0..2000)
        .map(|i| format!("\"10.{}.{}.1/32\"", i / 256, i % 256))
        .collect();
    let old = policy(&format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{long_a}",
            "Condition": {{"IpAddress": {{"aws:SourceIp": [{}]}}}}}}"#,
        ips_a.join(",")
    ));
    let new = policy(&format!(
        r#"{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{long_b}",
            "Condition": {{"IpAddress": {{"aws:SourceIp": [{}]}}}}}}"#,
        ips_b.join(",")
    ));
    let start = std::time::Instant::now();
    let d = run(&old, &new, DiffKind::Identity);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    let c = change(&d, "s3:GetObject");
    assert_ne!(c.kind, ChangeKind::Granted);
    verify_examples(&old, &new, DiffKind::Identity, &d);
}

#[test]
fn an_allow_within_a_deny_grants_nothing() {
    // "an explicit deny ... overrides the allow": Allow and Deny on the
    // same objects give no access, so neither version grants it
    let old =
        policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#);
    let new = policy(
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
           {"Sid": "Lock", "Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}"#,
    );
    let d = run(&old, &new, DiffKind::Identity);
    let c = change(&d, "s3:GetObject");
    assert_eq!(c.kind, ChangeKind::Revoked);
    assert!(
        c.sentence.contains("wherever it allows it"),
        "{}",
        c.sentence
    );
    assert_eq!(c.lost_access, Evidence::Yes);
    assert_eq!(changes(&d).len(), 1);
    verify_examples(&old, &new, DiffKind::Identity, &d);
    // and the reverse is granted
    let d = run(&new, &old, DiffKind::Identity);
    assert_eq!(change(&d, "s3:GetObject").kind, ChangeKind::Granted);
}
