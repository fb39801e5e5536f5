//! "Would AWS store this policy?" Every diagnostic is classified: rejected
//! (AWS refuses the policy: the layer is not evaluated), inert (AWS stores
//! it and the part does nothing: the engine decides) or advice (stored, takes
//! effect, probably not meant). The AWS error texts are those IAM returns.
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use iam_policy::{
    check_scenario, parse_policy_as, Decision, DiagnosticClass as Class, DiagnosticCode as Code,
    PolicyKind, Scenario,
};

/// A statement body inside an identity policy (or the given kind).
fn policy(statement: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{{{statement}}}]}}")
}

fn classify(text: &str, kind: PolicyKind, code: Code) -> (Class, Option<String>, String) {
    let p = parse_policy_as(text, kind);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {:#?}", p.diagnostics));
    (d.class, d.aws_error.clone(), d.message.clone())
}

fn assert_class(
    name: &str,
    text: &str,
    kind: PolicyKind,
    code: Code,
    class: Class,
    aws: Option<&str>,
) {
    let (got, aws_error, message) = classify(text, kind, code);
    assert_eq!(got, class, "{name}: {message}");
    match aws {
        Some(part) => assert!(
            aws_error.as_deref().is_some_and(|e| e.contains(part)),
            "{name}: AWS error {aws_error:?} lacks {part:?}"
        ),
        None => assert!(aws_error.is_none(), "{name}: {aws_error:?}"),
    }
}

const ID: PolicyKind = PolicyKind::Identity;
const RES: PolicyKind = PolicyKind::Resource;

#[test]
fn what_aws_refuses_to_store() {
    let rows: &[(&str, String, PolicyKind, Code, &str)] = &[
        ("wildcard in an action's service prefix: 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.'",
         policy(r#""Effect": "Allow", "Action": "*:GetObject", "Resource": "*""#), ID, Code::MalformedAction, "must not contain wildcards"),
        ("an action without a service: 'Actions/Conditions must be prefaced by a vendor'",
         policy(r#""Effect": "Allow", "Action": "GetObject", "Resource": "*""#), ID, Code::MalformedAction, "must be prefaced by a vendor"),
        ("an action with two colons: 'Actions/Condition can contain only one colon.'",
         policy(r#""Effect": "Allow", "Action": "s3:Get:Object", "Resource": "*""#), ID, Code::MalformedAction, "only one colon"),
        ("a resource that is not an ARN: 'must be in ARN format or \"*\"'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "my-bucket""#), ID, Code::MalformedArn, "must be in ARN format"),
        ("a wildcard in a resource ARN's service segment: 'Resource vendor must be fully qualified and cannot contain regexes.'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s*:::b""#), ID, Code::MalformedArn, "Resource vendor must be fully qualified"),
        ("a short resource ARN with an empty part: 'The policy failed legacy parsing'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3::b""#), ID, Code::MalformedArn, "legacy parsing"),
        ("Principal in an identity policy: 'Policy document should not specify a principal.'",
         policy(r#""Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*""#), ID, Code::NotAllowedHere, "should not specify a principal"),
        ("a resource policy statement without Principal",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "*""#), RES, Code::MissingElement, "Principal"),
        ("a bare ARN string as Principal",
         policy(r#""Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "s3:*", "Resource": "*""#), RES, Code::InvalidPrincipal, "Invalid principal"),
        ("an Effect in the wrong case: 'The policy failed legacy parsing'",
         policy(r#""Effect": "allow", "Action": "s3:*", "Resource": "*""#), ID, Code::InvalidEffect, "legacy parsing"),
        ("a condition operator in the wrong case: 'Invalid Condition type : stringEquals'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"stringEquals": {"aws:username": "a"}}"#), ID, Code::OperatorCase, "Invalid Condition type : stringEquals"),
        ("an unknown condition operator",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqualz": {"aws:username": "a"}}"#), ID, Code::UnknownOperator, "Invalid Condition type"),
        ("an unknown statement element: 'Syntax errors in policy.'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Actions": "s3:*""#), ID, Code::UnknownElement, "Syntax errors in policy"),
        ("both Action and NotAction",
         policy(r#""Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*""#), ID, Code::ConflictingElements, "Syntax errors"),
        ("no Action: 'Policy statement must contain actions.'",
         policy(r#""Effect": "Allow", "Resource": "*""#), ID, Code::MissingElement, "must contain actions"),
        ("an empty Resource list: 'Policy statement must contain resources.'",
         policy(r#""Effect": "Allow", "Action": "s3:*", "Resource": []"#), ID, Code::EmptyValue, "must contain resources"),
        ("a Sid with other characters in an IAM policy: 'Statement IDs (SID) must be alpha-numeric.'",
         policy(r#""Sid": "read-logs", "Effect": "Allow", "Action": "s3:*", "Resource": "*""#), ID, Code::InvalidSid, "alpha-numeric"),
        ("NotPrincipal in an RCP: 'The NotPrincipal element isn't supported in ... Resource Control Policies (RCP)'",
         policy(r#""Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*""#), PolicyKind::Rcp, Code::NotAllowedHere, "Syntax errors"),
    ];
    for (name, text, kind, code, aws) in rows {
        assert_class(name, text, *kind, *code, Class::Rejected, Some(aws));
    }
    // duplicate Sids
    let text = r#"{"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "A", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}"#;
    assert_class(
        "duplicate Sids: 'Statement IDs (SID) in a single policy must be unique.'",
        text,
        ID,
        Code::DuplicateSid,
        Class::Rejected,
        Some("must be unique"),
    );
    // an empty Statement list
    assert_class(
        "an empty Statement list",
        r#"{"Version": "2012-10-17", "Statement": []}"#,
        ID,
        Code::EmptyValue,
        Class::Rejected,
        Some("Syntax errors"),
    );
}

#[test]
fn what_aws_stores_but_does_nothing() {
    let rows: &[(&str, String, PolicyKind, Code)] = &[
        (
            "an action name with a space names no action",
            policy(r#""Effect": "Allow", "Action": "s3:Get Object", "Resource": "*""#),
            ID,
            Code::MalformedAction,
        ),
        (
            "nothing after the colon names no action",
            policy(r#""Effect": "Allow", "Action": "s3:", "Resource": "*""#),
            ID,
            Code::MalformedAction,
        ),
        (
            "a date operator given 'not a date'",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "not a date"}}"#,
            ),
            ID,
            Code::InvalidConditionValue,
        ),
        (
            "an IP operator given '1.2.3'",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "1.2.3"}}"#,
            ),
            ID,
            Code::InvalidConditionValue,
        ),
        (
            "a policy variable inside Bool, where variables are not substituted",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "${aws:PrincipalTag/tls}"}}"#,
            ),
            ID,
            Code::InvalidConditionValue,
        ),
        (
            "a policy variable inside NumericLessThan",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:PrincipalTag/max}"}}"#,
            ),
            ID,
            Code::InvalidConditionValue,
        ),
        (
            "an epoch too large to be a date",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "200000000000000000000000000000"}}"#,
            ),
            ID,
            Code::InvalidConditionValue,
        ),
        (
            "an empty list of condition values",
            policy(
                r#""Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": []}}"#,
            ),
            ID,
            Code::EmptyValue,
        ),
        (
            "a policy variable before the fifth colon of a resource ARN",
            policy(
                r#""Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:${aws:PrincipalAccount}:q""#,
            ),
            ID,
            Code::MalformedArn,
        ),
        (
            "a duplicate key: AWS keeps the last one",
            policy(r#""Effect": "Deny", "Effect": "Allow", "Action": "s3:*", "Resource": "*""#),
            ID,
            Code::DuplicateKey,
        ),
    ];
    for (name, text, kind, code) in rows {
        assert_class(name, text, *kind, *code, Class::Inert, None);
        assert!(
            !parse_policy_as(text, *kind).has_errors(),
            "{name}: no error, AWS stores it"
        );
    }
}

#[test]
fn what_aws_stores_with_advice() {
    let rows: &[(&str, String, PolicyKind, Code)] = &[
        (
            "a short resource ARN: AWS reads the missing parts as *",
            policy(
                r#""Effect": "Allow", "Action": "sns:*", "Resource": "arn:aws:sns:us-east-1:*""#,
            ),
            ID,
            Code::MalformedArn,
        ),
        (
            "NotPrincipal with Allow: 'not supported'",
            policy(
                r#""Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*""#,
            ),
            RES,
            Code::NotPrincipalWithAllow,
        ),
        (
            "a Sid with spaces in a resource policy",
            policy(
                r#""Sid": "read logs", "Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*""#,
            ),
            PolicyKind::Scp,
            Code::NotAllowedHere,
        ),
    ];
    for (name, text, kind, code) in rows {
        let (class, _, message) = classify(text, *kind, *code);
        if *kind == PolicyKind::Scp {
            // the SCP row: Principal is not allowed in an SCP, AWS refuses it
            assert_eq!(class, Class::Rejected, "{name}: {message}");
            continue;
        }
        assert_eq!(class, Class::Advice, "{name}: {message}");
    }
    let missing_version = parse_policy_as(
        r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#,
        ID,
    );
    assert!(missing_version
        .diagnostics
        .iter()
        .all(|d| d.class == Class::Advice));
}

#[test]
fn a_rejected_policy_is_not_evaluated_and_every_reason_is_reported() {
    let s = Scenario::from_json(
        r#"{"policies": {"identity": [
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "allow", "Action": "*:Get*", "Resource": "bucket"}]}]},
          "requests": [{"principal": "arn:aws:iam::111122223333:user/alice",
                        "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}]}"#,
    )
    .unwrap();
    let r = &check_scenario(&s, "x.json")[0];
    assert_eq!(r.decision, None);
    assert!(r
        .error
        .as_deref()
        .unwrap()
        .contains("AWS would refuse to store policy identity/0"));
    let rejected = &r.rejected_policies[0];
    assert_eq!(rejected.policy.to_string(), "identity/0");
    let codes: Vec<Code> = rejected.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::InvalidEffect,
            Code::MalformedAction,
            Code::MalformedArn
        ],
        "every reason, in text order"
    );
    assert!(rejected.diagnostics.iter().all(|d| d
        .aws_error
        .as_deref()
        .is_some_and(|e| e.starts_with("MalformedPolicyDocument"))));
    let json = serde_json::to_value(r).unwrap();
    assert_eq!(
        json["rejectedPolicies"][0]["diagnostics"][0]["class"],
        "rejected"
    );
    // positions refer to the policy's canonical pretty-printed text
    assert_eq!(
        json["rejectedPolicies"][0]["diagnostics"][0]["span"]["start"]["line"],
        5
    );
}

#[test]
fn an_inert_part_is_decided_with_its_warning() {
    let s = Scenario::from_json(
        r#"{"policies": {"identity": [
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:Get Object", "s3:PutObject"], "Resource": "*"}]}]},
          "requests": [
            {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"},
            {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject", "resource": "arn:aws:s3:::b/k"}]}"#,
    )
    .unwrap();
    let r = check_scenario(&s, "x.json");
    assert_eq!(r[0].decision, Some(Decision::ImplicitDeny));
    assert_eq!(r[1].decision, Some(Decision::Allowed));
    let a = r[0].authorization.as_ref().unwrap();
    let entry = &a.layers[0].policies[0].statements[0].action.entries[0];
    assert!(entry.inert && !entry.matched);
    let sentence = iam_policy::explain::element_sentence(
        "Action",
        &a.layers[0].policies[0].statements[0].action,
        "s3:GetObject",
    );
    assert!(sentence.contains("names no action"), "{sentence}");
}
