//! One test per check: a minimal policy, and the finding's code, category
//! and line/column (computed from the policy text by a needle, so the
//! expected position does not depend on counting by hand).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_catalog::Catalog;
use iam_lint::{lint, lint_with, Category, Finding, FindingCode as F, LintOptions, SizeLimit};
use iam_policy::{DiagnosticCode, PolicyKind};

const ID: PolicyKind = PolicyKind::Identity;
const RES: PolicyKind = PolicyKind::Resource;

/// 1-based (line, column) of the `nth` occurrence of `needle` in `text`.
fn at_nth(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the policy"))
        .0;
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap().chars().count() as u32 + 1;
    (line, col)
}

fn with_code(kind: PolicyKind, text: &str, code: F) -> Vec<Finding> {
    lint(text, kind, Catalog::embedded())
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// Exactly one finding of `code`, of `category`, at the `nth` `needle`.
#[track_caller]
fn expect_nth(
    kind: PolicyKind,
    text: &str,
    code: F,
    category: Category,
    needle: &str,
    nth: usize,
) -> Finding {
    let found = with_code(kind, text, code);
    assert_eq!(
        found.len(),
        1,
        "expected one {code} finding, got {found:#?}\nall: {:#?}",
        lint(text, kind, Catalog::embedded()).findings
    );
    let f = found.into_iter().next().unwrap();
    assert_eq!(f.category, category, "{f:#?}");
    assert_eq!(
        (f.span.start.line, f.span.start.column),
        at_nth(text, needle, nth),
        "{f:#?}"
    );
    f
}

#[track_caller]
fn expect(kind: PolicyKind, text: &str, code: F, category: Category, needle: &str) -> Finding {
    expect_nth(kind, text, code, category, needle, 0)
}

#[track_caller]
fn expect_none(kind: PolicyKind, text: &str, code: F) {
    let found = with_code(kind, text, code);
    assert!(
        found.is_empty(),
        "expected no {code} finding, got {found:#?}"
    );
}

/// An identity policy with one Allow statement.
fn allow(action: &str, resource: &str) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": {action},\n      \"Resource\": {resource}\n    }}\n  ]\n}}"
    )
}

/// An identity policy with one statement and a condition block.
fn cond(effect: &str, action: &str, resource: &str, condition: &str) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"{effect}\",\n      \"Action\": {action},\n      \"Resource\": {resource},\n      \"Condition\": {condition}\n    }}\n  ]\n}}"
    )
}

// ------------------------------------------------------------------ actions

#[test]
fn unknown_service() {
    let p = allow("\"s4:GetObject\"", "\"*\"");
    let f = expect(
        ID,
        &p,
        F::UnknownService,
        Category::Error,
        "\"s4:GetObject\"",
    );
    assert_eq!(f.hint.as_deref(), Some("did you mean \"s3:GetObject\"?"));
}

#[test]
fn unknown_action() {
    let p = allow("\"s3:GetObjekt\"", "\"arn:aws:s3:::b/*\"");
    let f = expect(
        ID,
        &p,
        F::UnknownAction,
        Category::Error,
        "\"s3:GetObjekt\"",
    );
    assert_eq!(f.hint.as_deref(), Some("did you mean \"s3:GetObject\"?"));
    assert_eq!(f.statement, Some(0));
}

#[test]
fn action_matches_nothing() {
    let p = allow("[\"s3:Gett*\", \"s3:Get*\"]", "\"*\"");
    let f = expect(
        ID,
        &p,
        F::ActionMatchesNothing,
        Category::Error,
        "\"s3:Gett*\"",
    );
    assert!(f.hint.unwrap().starts_with("did you mean \"s3:Get"));
}

#[test]
fn wildcard_in_service_name() {
    let p = allow("\"s*:GetObject\"", "\"*\"");
    expect(
        ID,
        &p,
        F::WildcardInServiceName,
        Category::Warning,
        "\"s*:GetObject\"",
    );
}

#[test]
fn action_case() {
    let p = allow("\"S3:getobject\"", "\"arn:aws:s3:::b/*\"");
    let f = expect(
        ID,
        &p,
        F::ActionCase,
        Category::Suggestion,
        "\"S3:getobject\"",
    );
    assert!(f.message.contains("s3:GetObject"));
    expect_none(
        ID,
        &allow("\"s3:GetObject\"", "\"arn:aws:s3:::b/*\""),
        F::ActionCase,
    );
}

#[test]
fn redundant_action() {
    let p = allow("[\"s3:*\", \"s3:GetObject\"]", "\"arn:aws:s3:::b/*\"");
    let f = expect(
        ID,
        &p,
        F::RedundantAction,
        Category::Suggestion,
        "\"s3:GetObject\"",
    );
    assert_eq!(f.related.len(), 1);
    // a repeated action: the second one is reported
    let p = allow(
        "[\"s3:GetObject\", \"s3:getobject\"]",
        "\"arn:aws:s3:::b/*\"",
    );
    expect(
        ID,
        &p,
        F::RedundantAction,
        Category::Suggestion,
        "\"s3:getobject\"",
    );
}

#[test]
fn action_needs_star_resource() {
    let p = allow(
        "[\"s3:ListAllMyBuckets\", \"s3:ListBucket\"]",
        "\"arn:aws:s3:::b\"",
    );
    expect(
        ID,
        &p,
        F::ActionNeedsStarResource,
        Category::Warning,
        "\"s3:ListAllMyBuckets\"",
    );
    expect_none(
        ID,
        &allow("\"s3:ListAllMyBuckets\"", "\"*\""),
        F::ActionNeedsStarResource,
    );
}

// ---------------------------------------------------------------- resources

#[test]
fn resource_mismatch() {
    // the classic: object actions on the bucket ARN
    let p = allow("\"s3:GetObject\"", "\"arn:aws:s3:::my-bucket\"");
    let f = expect(
        ID,
        &p,
        F::ResourceMismatch,
        Category::Warning,
        "\"arn:aws:s3:::my-bucket\"",
    );
    assert!(f.hint.unwrap().contains("${ObjectName}"));
    expect_none(
        ID,
        &allow("\"s3:GetObject\"", "\"arn:aws:s3:::my-bucket/*\""),
        F::ResourceMismatch,
    );
    // an ARN of no known service
    let p = allow("\"s3:GetObject\"", "\"arn:aws:s4:::my-bucket/*\"");
    let f = expect(
        ID,
        &p,
        F::ResourceMismatch,
        Category::Warning,
        "\"arn:aws:s4:::my-bucket/*\"",
    );
    assert!(f.hint.unwrap().contains("did you mean \"s3\""));
}

#[test]
fn redundant_resource() {
    let p = allow(
        "\"s3:GetObject\"",
        "[\"arn:aws:s3:::b/*\", \"arn:aws:s3:::b/reports/*\"]",
    );
    expect(
        ID,
        &p,
        F::RedundantResource,
        Category::Suggestion,
        "\"arn:aws:s3:::b/reports/*\"",
    );
    // resources are case-sensitive: these are different buckets
    expect_none(
        ID,
        &allow(
            "\"s3:GetObject\"",
            "[\"arn:aws:s3:::b/*\", \"arn:aws:s3:::B/*\"]",
        ),
        F::RedundantResource,
    );
}

#[test]
fn star_resource() {
    let p = allow("[\"s3:GetObject\", \"s3:ListAllMyBuckets\"]", "\"*\"");
    let f = expect(ID, &p, F::StarResource, Category::Suggestion, "\"*\"");
    assert!(
        f.message.contains("1 of the statement's 2 actions"),
        "{}",
        f.message
    );
    // actions that only accept "*" are fine
    expect_none(
        ID,
        &allow("\"s3:ListAllMyBuckets\"", "\"*\""),
        F::StarResource,
    );
    // ABAC: a ResourceTag condition scopes the resources
    let p = cond(
        "Allow",
        "\"ec2:StartInstances\"",
        "\"*\"",
        "{\"StringEquals\": {\"aws:ResourceTag/team\": \"blue\"}}",
    );
    expect_none(ID, &p, F::StarResource);
    // not in resource-based policies, where "*" means the resource itself
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}]}";
    expect_none(RES, p, F::StarResource);
}

#[test]
fn invalid_arn_partition() {
    let p = allow(
        "\"sns:Publish\"",
        "\"arn:amazon:sns:us-east-1:111122223333:t\"",
    );
    expect(ID, &p, F::InvalidArnPartition, Category::Error, "amazon");
}

#[test]
fn invalid_arn_region() {
    let p = allow("\"sns:Publish\"", "\"arn:aws:sns:useast1:111122223333:t\"");
    expect(ID, &p, F::InvalidArnRegion, Category::Error, "useast1");
    expect_none(
        ID,
        &allow("\"sns:Publish\"", "\"arn:aws:sns:*:111122223333:t\""),
        F::InvalidArnRegion,
    );
}

#[test]
fn invalid_arn_account() {
    let p = allow(
        "\"sns:Publish\"",
        "\"arn:aws:sns:us-east-1:1111-2222-3333:t\"",
    );
    expect(
        ID,
        &p,
        F::InvalidArnAccount,
        Category::Error,
        "1111-2222-3333",
    );
    // AWS managed policies live in the "aws" account
    expect_none(
        ID,
        &allow(
            "\"iam:GetPolicy\"",
            "\"arn:aws:iam::aws:policy/ReadOnlyAccess\"",
        ),
        F::InvalidArnAccount,
    );
}

// --------------------------------------------------------------- conditions

#[test]
fn unknown_global_key() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"StringEquals\": {\"aws:PrincipleTag/team\": \"blue\"}}",
    );
    let f = expect(
        ID,
        &p,
        F::UnknownGlobalKey,
        Category::Error,
        "\"aws:PrincipleTag/team\"",
    );
    assert_eq!(
        f.hint.as_deref(),
        Some("did you mean \"aws:PrincipalTag/team\"?")
    );
    // condition keys are case-insensitive
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"IpAddress\": {\"AWS:SOURCEIP\": \"203.0.113.0/24\"}}",
    );
    expect_none(ID, &p, F::UnknownGlobalKey);
}

#[test]
fn unknown_condition_key() {
    let p = cond(
        "Allow",
        "\"s3:ListBucket\"",
        "\"arn:aws:s3:::b\"",
        "{\"StringLike\": {\"s3:prefixx\": \"home/*\"}}",
    );
    let f = expect(
        ID,
        &p,
        F::UnknownConditionKey,
        Category::Error,
        "\"s3:prefixx\"",
    );
    assert_eq!(f.hint.as_deref(), Some("did you mean \"s3:prefix\"?"));
    // an OIDC provider's claims are not in the catalog, and are fine
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {\"StringEquals\": {\"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\"}}}]}";
    assert!(
        lint(p, RES, Catalog::embedded()).findings.is_empty(),
        "{:#?}",
        lint(p, RES, Catalog::embedded()).findings
    );
}

#[test]
fn key_not_for_actions() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"StringLike\": {\"s3:prefix\": \"home/*\"}}",
    );
    let f = expect(
        ID,
        &p,
        F::KeyNotForActions,
        Category::Warning,
        "\"s3:prefix\"",
    );
    assert!(f.message.contains("s3:GetObject"));
    let p = cond(
        "Allow",
        "\"s3:ListBucket\"",
        "\"arn:aws:s3:::b\"",
        "{\"StringLike\": {\"s3:prefix\": \"home/*\"}}",
    );
    expect_none(ID, &p, F::KeyNotForActions);
}

#[test]
fn unsupported_tag_key() {
    let c = "{\"StringEquals\": {\"aws:RequestTag/team\": \"blue\"}}";
    let p = cond("Allow", "\"sns:Publish\"", "\"*\"", c);
    expect(
        ID,
        &p,
        F::UnsupportedTagKey,
        Category::Warning,
        "\"aws:RequestTag/team\"",
    );
    // in a Deny the gap is a security problem: the Deny never applies
    let p = cond("Deny", "\"sns:Publish\"", "\"*\"", c);
    expect(
        ID,
        &p,
        F::UnsupportedTagKey,
        Category::SecurityWarning,
        "\"aws:RequestTag/team\"",
    );
    // sns:CreateTopic supports aws:RequestTag
    expect_none(
        ID,
        &cond("Allow", "\"sns:CreateTopic\"", "\"*\"", c),
        F::UnsupportedTagKey,
    );
}

fn type_mismatch(op: &str, key: &str, value: &str) {
    let c = format!("{{\"{op}\": {{\"{key}\": \"{value}\"}}}}");
    let p = cond("Allow", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", &c);
    expect(
        ID,
        &p,
        F::OperatorTypeMismatch,
        Category::Warning,
        &format!("\"{key}\""),
    );
}

#[test]
fn operator_type_mismatch_string_on_ip() {
    type_mismatch("StringEquals", "aws:SourceIp", "203.0.113.0/24");
}

#[test]
fn operator_type_mismatch_numeric_on_string() {
    type_mismatch("NumericEquals", "aws:username", "10");
}

#[test]
fn operator_type_mismatch_date_on_non_date() {
    type_mismatch("DateGreaterThan", "aws:SourceIp", "2026-01-01T00:00:00Z");
}

#[test]
fn operator_type_mismatch_bool_on_non_bool() {
    type_mismatch("Bool", "aws:username", "true");
}

#[test]
fn operator_type_mismatch_arn_on_non_arn() {
    type_mismatch(
        "ArnLike",
        "aws:username",
        "arn:aws:iam::111122223333:user/*",
    );
}

#[test]
fn operator_type_mismatch_ip_on_non_ip() {
    type_mismatch("IpAddress", "aws:username", "203.0.113.0/24");
}

#[test]
fn operator_type_fits() {
    for (op, key, value) in [
        (
            "StringEquals",
            "aws:SourceArn",
            "arn:aws:sns:us-east-1:111122223333:t",
        ),
        (
            "ArnLike",
            "aws:PrincipalArn",
            "arn:aws:iam::111122223333:role/*",
        ),
        ("NumericLessThan", "aws:EpochTime", "1767225600"),
        ("NumericLessThan", "aws:MultiFactorAuthAge", "3600"),
        ("DateLessThan", "aws:CurrentTime", "2026-01-01T00:00:00Z"),
        ("Null", "aws:SourceIp", "true"),
    ] {
        let c = format!("{{\"{op}\": {{\"{key}\": \"{value}\"}}}}");
        expect_none(
            ID,
            &cond("Allow", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", &c),
            F::OperatorTypeMismatch,
        );
    }
}

#[test]
fn missing_set_operator() {
    let p = cond(
        "Allow",
        "\"s3:PutObjectTagging\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"StringEquals\": {\"aws:TagKeys\": \"team\"}}",
    );
    expect(
        ID,
        &p,
        F::MissingSetOperator,
        Category::Warning,
        "\"aws:TagKeys\"",
    );
}

#[test]
fn for_all_values_single_valued_key() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"ForAllValues:StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}",
    );
    expect(
        ID,
        &p,
        F::ForAllValuesSingleValuedKey,
        Category::SecurityWarning,
        "\"aws:PrincipalTag/team\"",
    );
}

#[test]
fn for_any_value_single_valued_key() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"ForAnyValue:StringEquals\": {\"aws:PrincipalTag/team\": \"blue\"}}",
    );
    expect(
        ID,
        &p,
        F::ForAnyValueSingleValuedKey,
        Category::Warning,
        "\"aws:PrincipalTag/team\"",
    );
}

#[test]
fn for_all_values_with_allow() {
    let c = "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"team\", \"env\"]}}";
    let p = cond("Allow", "\"ec2:CreateTags\"", "\"*\"", c);
    expect(
        ID,
        &p,
        F::ForAllValuesWithAllow,
        Category::SecurityWarning,
        "\"aws:TagKeys\"",
    );
    // the documented fix: a Null check that the key is present
    let c = "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"team\", \"env\"]}, \"Null\": {\"aws:TagKeys\": \"false\"}}";
    expect_none(
        ID,
        &cond("Allow", "\"ec2:CreateTags\"", "\"*\"", c),
        F::ForAllValuesWithAllow,
    );
    // in a Deny, "true when absent" is the safe side
    let c = "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"team\", \"env\"]}}";
    expect_none(
        ID,
        &cond("Deny", "\"ec2:CreateTags\"", "\"*\"", c),
        F::ForAllValuesWithAllow,
    );
}

#[test]
fn redundant_if_exists() {
    let p = cond(
        "Deny",
        "\"s3:*\"",
        "\"*\"",
        "{\"StringNotEqualsIfExists\": {\"aws:RequestedRegion\": \"eu-west-1\"}}",
    );
    expect(
        ID,
        &p,
        F::RedundantIfExists,
        Category::Suggestion,
        "\"StringNotEqualsIfExists\"",
    );
    let p = cond(
        "Deny",
        "\"s3:*\"",
        "\"*\"",
        "{\"StringEqualsIfExists\": {\"aws:RequestedRegion\": \"eu-west-1\"}}",
    );
    expect_none(ID, &p, F::RedundantIfExists);
}

#[test]
fn wildcard_without_like_operator() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"dev*\"}}",
    );
    let f = expect(
        ID,
        &p,
        F::WildcardWithoutLikeOperator,
        Category::Warning,
        "\"dev*\"",
    );
    assert!(f.hint.unwrap().contains("StringLike"));
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"StringEquals\": {\"aws:PrincipalTag/team\": \"a${*}b\"}}",
    );
    expect_none(ID, &p, F::WildcardWithoutLikeOperator);
}

#[test]
fn multiple_bool_values() {
    let p = cond(
        "Deny",
        "\"*\"",
        "\"*\"",
        "{\"Bool\": {\"aws:SecureTransport\": [\"false\", \"true\"]}}",
    );
    expect(
        ID,
        &p,
        F::MultipleBoolValues,
        Category::Error,
        "\"aws:SecureTransport\"",
    );
}

#[test]
fn private_ip_in_source_ip() {
    let p = cond(
        "Allow",
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/*\"",
        "{\"IpAddress\": {\"aws:SourceIp\": [\"203.0.113.0/24\", \"10.0.0.0/8\"]}}",
    );
    expect(
        ID,
        &p,
        F::PrivateIpInSourceIp,
        Category::Error,
        "\"10.0.0.0/8\"",
    );
}

#[test]
fn source_ip_with_vpc_condition() {
    let c = "{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}, \"StringEquals\": {\"aws:SourceVpce\": \"vpce-1a2b3c4d\"}}";
    let p = cond("Allow", "\"s3:GetObject\"", "\"arn:aws:s3:::b/*\"", c);
    let f = expect(
        ID,
        &p,
        F::SourceIpWithVpcCondition,
        Category::Warning,
        "\"aws:SourceIp\"",
    );
    assert_eq!(
        (f.related[0].start.line, f.related[0].start.column),
        at_nth(&p, "\"aws:SourceVpce\"", 0)
    );
}

#[test]
fn source_ip_deny_without_service_exception() {
    let c = "{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}";
    let p = cond("Deny", "\"*\"", "\"*\"", c);
    expect(
        ID,
        &p,
        F::SourceIpDenyWithoutServiceException,
        Category::Warning,
        "\"aws:SourceIp\"",
    );
    // the IAM User Guide's version of this policy
    let c = "{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}, \"Bool\": {\"aws:ViaAWSService\": \"false\"}}";
    expect_none(
        ID,
        &cond("Deny", "\"*\"", "\"*\"", c),
        F::SourceIpDenyWithoutServiceException,
    );
}

#[test]
fn unknown_policy_variable() {
    let p = allow(
        "\"s3:GetObject\"",
        "\"arn:aws:s3:::b/home/${aws:usernme}/*\"",
    );
    let f = expect(
        ID,
        &p,
        F::UnknownPolicyVariable,
        Category::Warning,
        "${aws:usernme}",
    );
    assert_eq!(f.hint.as_deref(), Some("did you mean ${aws:username}?"));
    assert_eq!(
        f.span.end.column - f.span.start.column,
        "${aws:usernme}".len() as u32
    );
    expect_none(
        ID,
        &allow(
            "\"s3:GetObject\"",
            "\"arn:aws:s3:::b/home/${aws:username}/*\"",
        ),
        F::UnknownPolicyVariable,
    );
}

#[test]
fn variable_without_version() {
    let p = "{\n  \"Version\": \"2008-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/${aws:username}/*\"}]\n}";
    expect(
        ID,
        p,
        F::VariableWithoutVersion,
        Category::Warning,
        "${aws:username}",
    );
}

// ---------------------------------------------------------------- security

#[test]
fn allow_with_not_action() {
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}]}";
    expect(
        ID,
        p,
        F::AllowWithNotAction,
        Category::SecurityWarning,
        "\"NotAction\"",
    );
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"Resource\": \"*\"}]}";
    expect_none(ID, p, F::AllowWithNotAction);
}

#[test]
fn allow_with_not_resource() {
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"NotResource\": \"arn:aws:s3:::secret/*\"}]}";
    expect(
        ID,
        p,
        F::AllowWithNotResource,
        Category::SecurityWarning,
        "\"NotResource\"",
    );
}

#[test]
fn pass_role_star_resource() {
    let p = allow("\"iam:PassRole\"", "\"*\"");
    expect(
        ID,
        &p,
        F::PassRoleStarResource,
        Category::SecurityWarning,
        "\"*\"",
    );
    // through a wildcard, and on every role of every account
    let p = allow("[\"iam:Get*\", \"iam:Pass*\"]", "\"arn:aws:iam::*:role/*\"");
    let f = expect(
        ID,
        &p,
        F::PassRoleStarResource,
        Category::SecurityWarning,
        "\"arn:aws:iam::*:role/*\"",
    );
    assert!(f.message.contains("iam:Pass*"));
    // the console policy's way: one named role
    expect_none(
        ID,
        &allow(
            "\"iam:PassRole\"",
            "\"arn:aws:iam::111122223333:role/ImageBuilderInstanceRole\"",
        ),
        F::PassRoleStarResource,
    );
}

#[test]
fn public_principal_without_condition() {
    let p = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]\n}";
    expect(
        RES,
        p,
        F::PublicPrincipalWithoutCondition,
        Category::SecurityWarning,
        "\"*\"",
    );
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\", \"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-1234567890\"}}}]}";
    expect_none(RES, p, F::PublicPrincipalWithoutCondition);
}

#[test]
fn public_assume_role() {
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"sts:AssumeRole\"}]}";
    expect(
        RES,
        p,
        F::PublicAssumeRole,
        Category::SecurityWarning,
        "\"*\"",
    );
    expect_none(RES, p, F::PublicPrincipalWithoutCondition);
}

#[test]
fn full_access() {
    let p = allow("\"*\"", "\"*\"");
    expect(ID, &p, F::FullAccess, Category::SecurityWarning, "\"*\"");
    // an SCP's FullAWSAccess is not a grant
    expect_none(PolicyKind::Scp, &p, F::FullAccess);
}

// ------------------------------------------------------ across statements

#[test]
fn redundant_statement() {
    let p = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectTagging"], "Resource": "arn:aws:s3:::b/reports/*",
     "Condition": {"Bool": {"aws:SecureTransport": "true"}}}
  ]
}"#;
    let f = expect(
        ID,
        p,
        F::RedundantStatement,
        Category::Suggestion,
        "\"Sid\": \"Read\"",
    );
    assert_eq!(f.statement, Some(1));
    assert_eq!(
        f.related[0].start,
        iam_policy::parse_policy(p).policy.unwrap().statements[0].anchor
    );
    // identical statements: only the second is reported
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
      {"Sid": "B", "Effect": "Allow", "Action": "s3:getobject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    expect(
        ID,
        p,
        F::RedundantStatement,
        Category::Suggestion,
        "\"Sid\": \"B\"",
    );
    // a conditional statement does not make others redundant
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
    expect_none(ID, p, F::RedundantStatement);
}

#[test]
fn redundant_statement_through_the_catalog() {
    // s3:GetObject* is not a pattern inside s3:Get*Object*, but every action it matches is
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"},
      {"Sid": "Narrow", "Effect": "Allow", "Action": ["s3:GetObjectAcl", "s3:ListBucket"], "Resource": "*"}]}"#;
    expect_none(ID, p, F::RedundantStatement);
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:GetObject*", "s3:ListBucket"], "Resource": "*"},
      {"Sid": "Narrow", "Effect": "Allow", "Action": ["s3:Get*Acl", "s3:ListBucket"], "Resource": "*"}]}"#;
    // s3:Get*Acl also matches s3:GetBucketAcl, which s3:GetObject* does not cover
    expect_none(ID, p, F::RedundantStatement);
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": "*"},
      {"Sid": "Narrow", "Effect": "Allow", "Action": ["s3:*Acl", "s3:ListBucket"], "Resource": "*"}]}"#;
    // s3:*Acl also matches s3:PutBucketAcl
    expect_none(ID, p, F::RedundantStatement);
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:Get*", "s3:Put*"], "Resource": "*"},
      {"Sid": "Narrow", "Effect": "Allow", "Action": ["s3:*ObjectAcl"], "Resource": "*"}]}"#;
    expect(
        ID,
        p,
        F::RedundantStatement,
        Category::Suggestion,
        "\"Sid\": \"Narrow\"",
    );
}

#[test]
fn shadowed_statement() {
    let p = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
    {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}
  ]
}"#;
    let f = expect(
        ID,
        p,
        F::ShadowedStatement,
        Category::Warning,
        "\"Sid\": \"Read\"",
    );
    assert!(f.message.contains("\"NoS3\""));
    // a conditional Deny only sometimes applies
    let p = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
      {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;
    expect_none(ID, p, F::ShadowedStatement);
}

// ------------------------------------------------------------ policy level

#[test]
fn empty_sid() {
    let p = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"\", \"Effect\": \"Allow\", \"Action\": \"s3:ListAllMyBuckets\", \"Resource\": \"*\"}]}";
    expect(ID, p, F::EmptySid, Category::Suggestion, "\"\"");
}

fn big_policy(statements: usize) -> String {
    let st: Vec<String> = (0..statements)
        .map(|i| format!("{{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket-number-{i}/*\"}}"))
        .collect();
    format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [\n{}\n]}}",
        st.join(",\n")
    )
}

#[test]
fn policy_too_large() {
    // about 100 non-whitespace characters a statement: 70 is over 6,144
    let p = big_policy(70);
    let r = lint(&p, ID, Catalog::embedded());
    assert!(r.size.size > 6_144);
    assert_eq!(r.size.limit, SizeLimit::MANAGED);
    let f = expect(ID, &p, F::PolicyTooLarge, Category::Error, "{");
    assert!(f.message.contains("6144"), "{}", f.message);
    // under the quota: nothing
    expect_none(ID, &big_policy(50), F::PolicyTooLarge);
    // an inline user policy is limited to 2,048
    let r = lint_with(
        &big_policy(25),
        ID,
        Catalog::embedded(),
        &LintOptions {
            size_limit: Some(SizeLimit::INLINE_USER),
        },
    );
    assert!(r.findings.iter().any(|f| f.code == F::PolicyTooLarge));
    // whitespace is not counted by IAM
    let spaced = big_policy(50).replace(", ", ",                                        ");
    assert_eq!(
        lint(&spaced, ID, Catalog::embedded()).size.size,
        lint(&big_policy(50), ID, Catalog::embedded()).size.size
    );
}

#[test]
fn size_limits_per_kind() {
    let trust = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]}";
    assert_eq!(
        lint(trust, RES, Catalog::embedded()).size.limit,
        SizeLimit::TRUST
    );
    let bucket = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111122223333\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    assert_eq!(
        lint(bucket, RES, Catalog::embedded()).size.limit,
        SizeLimit::BUCKET
    );
    assert_eq!(
        lint(bucket, PolicyKind::Scp, Catalog::embedded())
            .size
            .limit,
        SizeLimit::SCP
    );
    assert_eq!(
        lint(bucket, PolicyKind::Session, Catalog::embedded())
            .size
            .limit,
        SizeLimit::SESSION
    );
    assert_eq!(
        lint(bucket, PolicyKind::VpcEndpoint, Catalog::embedded())
            .size
            .limit,
        SizeLimit::VPC_ENDPOINT
    );
    assert_eq!(SizeLimit::SCP.measure("{ \"a\" }"), 7);
    assert_eq!(SizeLimit::MANAGED.measure("{ \"a\" }"), 5);
}

// -------------------------------------------------------- engine + format

#[test]
fn engine_diagnostics_are_findings() {
    let r = lint("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\",}]}", ID, Catalog::embedded());
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].code, F::Engine(DiagnosticCode::InvalidJson));
    assert_eq!(r.findings[0].category, Category::Error);
    assert!(r.has_errors());
    // a warning stays a warning, next to the catalog checks
    let p = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"arn:aws:s3:::b/*\"}]}";
    let r = lint(p, ID, Catalog::embedded());
    let codes: Vec<(&str, Category)> = r
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.category))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("missing-version", Category::Warning),
            ("unknown-action", Category::Error)
        ]
    );
}

#[test]
fn findings_serialize_as_plain_data() {
    let p = allow("\"s3:GetObjekt\"", "\"arn:aws:s3:::b/*\"");
    let r = lint(&p, ID, Catalog::embedded());
    let v = serde_json::to_value(&r).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["code"], "unknown-action");
    assert_eq!(f["category"], "error");
    assert_eq!(f["span"]["start"]["line"], 6);
    assert_eq!(f["statement"], 0);
    assert!(f.get("related").is_none());
    assert_eq!(v["size"]["limit"]["max"], 6144);
    let r = lint("{", ID, Catalog::embedded());
    assert_eq!(
        serde_json::to_value(&r).unwrap()["findings"][0]["code"],
        "invalid-json"
    );
}

#[test]
fn codes_are_unique_and_kebab_case() {
    let mut names: Vec<&str> = F::ALL.iter().map(F::as_str).collect();
    assert!(names.len() >= 25, "{} checks", names.len());
    assert!(names
        .iter()
        .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-')));
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len());
}

#[test]
fn clean_policy_has_no_findings() {
    let p = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
     "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/*"]}}},
    {"Sid": "Objects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::b/home/${aws:username}/*"},
    {"Sid": "Buckets", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}
  ]
}"#;
    let r = lint(p, ID, Catalog::embedded());
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}
