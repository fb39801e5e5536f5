//! Parse and validation errors: message, line and column (in characters),
//! every problem reported rather than only the first.
// Helper functions outside #[test] fns are not covered by clippy.toml's allow-*-in-tests.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use iam_policy::{parse_policy, parse_policy_as, DiagnosticCode, PolicyKind, Scenario, Severity};

/// Finds the diagnostic with `code` and checks its position and message.
fn expect(
    text: &str,
    kind: PolicyKind,
    code: DiagnosticCode,
    line: u32,
    column: u32,
    message_part: &str,
) {
    let parsed = parse_policy_as(text, kind);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code:?} in {:#?}", parsed.diagnostics));
    assert_eq!(
        (d.span.start.line, d.span.start.column),
        (line, column),
        "{d:?}"
    );
    assert!(
        d.message.contains(message_part),
        "message {:?} lacks {:?}",
        d.message,
        message_part
    );
    assert!(
        d.hint.as_deref().is_some_and(|h| !h.is_empty()),
        "every diagnostic says how to fix it"
    );
}

fn id(text: &str, code: DiagnosticCode, line: u32, column: u32, message_part: &str) {
    expect(text, PolicyKind::Identity, code, line, column, message_part)
}

#[test]
fn invalid_json_names_line_and_column() {
    id("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",}\n  ]\n}", DiagnosticCode::InvalidJson, 4, 24, "trailing comma");
    id(
        "{\"Version\": \"2012-10-17\" \"Statement\": []}",
        DiagnosticCode::InvalidJson,
        1,
        26,
        "missing comma between object members",
    );
    id(
        "{\n  \"Statement\": [\n",
        DiagnosticCode::InvalidJson,
        2,
        16,
        "never closed",
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    // "é" and "ü" are two bytes each in UTF-8: the value "Alow" is at character column 65, byte column 67.
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"éü\", \"Effect\": \"Alow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    id(
        text,
        DiagnosticCode::InvalidEffect,
        1,
        65,
        "Effect must be \"Allow\" or \"Deny\"",
    );
}

#[test]
fn duplicate_keys() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Effect\": \"Deny\",\n    \"Action\": \"s3:GetObject\",\n    \"Resource\": \"*\"\n  }]\n}";
    // reported at the entry that does nothing (AWS keeps the last one)
    id(
        text,
        DiagnosticCode::DuplicateKey,
        4,
        5,
        "duplicate key \"Effect\"",
    );
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
"Condition": {"StringEquals": {"a:b": "1"}, "StringEquals": {"c:d": "2"}}}]}"#;
    id(
        text,
        DiagnosticCode::DuplicateKey,
        2,
        15,
        "AWS keeps only the last one (line 2, column 45)",
    );
}

#[test]
fn unknown_element_with_did_you_mean() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Efect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    let p = parse_policy(text);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::UnknownElement)
        .unwrap();
    assert_eq!((d.span.start.line, d.span.start.column), (1, 42));
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean \"Effect\""));
    // and the missing Effect is reported too
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.code == DiagnosticCode::MissingElement && d.message.contains("no Effect")));
    id(
        "{\"version\": \"2012-10-17\", \"Statement\": []}",
        DiagnosticCode::UnknownElement,
        1,
        2,
        "unknown element \"version\"",
    );
}

#[test]
fn missing_effect_and_conflicting_elements() {
    let text = "{\"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Action\": \"s3:GetObject\", \"NotAction\": \"s3:PutObject\", \"Resource\": \"*\"}]}";
    id(text, DiagnosticCode::MissingElement, 3, 3, "no Effect");
    id(
        text,
        DiagnosticCode::ConflictingElements,
        3,
        30,
        "both Action and NotAction",
    );
}

#[test]
fn unknown_operator_with_did_you_mean() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\",\n  \"Condition\": {\"StringEqual\": {\"aws:PrincipalTag/team\": \"blue\"}}}]}";
    id(
        text,
        DiagnosticCode::UnknownOperator,
        2,
        17,
        "unknown condition operator \"StringEqual\"",
    );
    let p = parse_policy(text);
    assert!(p.diagnostics.iter().any(|d| d
        .hint
        .as_deref()
        .is_some_and(|h| h.contains("StringEquals"))));
}

#[test]
fn wrong_value_types() {
    id("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": 42, \"Resource\": \"*\"}]}", DiagnosticCode::WrongType, 1, 71, "Action must be a string or an array of strings");
    id("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": \"ten\"}}}]}", DiagnosticCode::InvalidConditionValue, 1, 153, "expects a number");
    id("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/33\"}}}]}", DiagnosticCode::InvalidConditionValue, 1, 148, "IP address or CIDR");
    id("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Condition\": {\"DateLessThan\": {\"aws:CurrentTime\": \"soon\"}}}]}", DiagnosticCode::InvalidConditionValue, 1, 154, "expects a date");
    id(
        "{\"Version\": \"17-10-2012\", \"Statement\": []}",
        DiagnosticCode::InvalidVersion,
        1,
        13,
        "Version must be",
    );
}

#[test]
fn malformed_action_suggests_the_colon() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3GetObject\"], \"Resource\": \"*\"}]}";
    id(
        text,
        DiagnosticCode::MalformedAction,
        1,
        88,
        "\"s3GetObject\" is not a valid action",
    );
    let p = parse_policy(text);
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::MalformedAction)
        .unwrap();
    assert!(d
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean \"s3:GetObject\""));
    // An action name without its service: no guessed split ("Get:Object"), the prefix asked for.
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"GetObject\", \"Resource\": \"*\"}]}";
    let p = parse_policy(text);
    let hint = p
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::MalformedAction)
        .and_then(|d| d.hint.clone())
        .unwrap();
    assert!(!hint.contains("Get:Object"), "{hint}");
    assert!(!hint.contains("did you mean"), "{hint}");
    assert!(hint.contains("put its service prefix before it"), "{hint}");
}

#[test]
fn malformed_arn() {
    // the seed document's placeholder text is not an ARN
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sns:Publish\", \"Resource\": \"sns topic arn\"}]\n}";
    id(
        text,
        DiagnosticCode::MalformedArn,
        3,
        74,
        "\"sns topic arn\" is not an ARN",
    );
    id("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3\"}]}", DiagnosticCode::MalformedArn, 1, 91, "has 3 colon-separated parts");
}

#[test]
fn principal_rules_depend_on_the_policy_kind() {
    let with_principal = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    id(
        with_principal,
        DiagnosticCode::NotAllowedHere,
        1,
        61,
        "Principal is not allowed in a identity-based policy",
    );
    assert!(!parse_policy_as(with_principal, PolicyKind::Resource).has_errors());
    let without = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";
    expect(
        without,
        PolicyKind::Resource,
        DiagnosticCode::MissingElement,
        1,
        41,
        "has no Principal",
    );
    expect(
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"alice\"}, \"Action\": \"s3:GetObject\"}]}",
        PolicyKind::Resource,
        DiagnosticCode::InvalidPrincipal,
        1,
        82,
        "not a valid AWS principal",
    );
    expect(
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Aws\": \"*\"}, \"Action\": \"s3:GetObject\"}]}",
        PolicyKind::Resource,
        DiagnosticCode::UnknownElement,
        1,
        75,
        "unknown element \"Aws\"",
    );
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "One", "Effect": "Alow", "Action": "s3GetObject", "Resource": "not an arn"},
    {"Sid": "One", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*",
     "Condition": {"StringEqulas": {"a:b": "c"}}}
  ]
}"#;
    let p = parse_policy(text);
    let codes: Vec<DiagnosticCode> = p.diagnostics.iter().map(|d| d.code).collect();
    for c in [
        DiagnosticCode::InvalidEffect,
        DiagnosticCode::MalformedAction,
        DiagnosticCode::MalformedArn,
        DiagnosticCode::DuplicateSid,
        DiagnosticCode::ConflictingElements,
        DiagnosticCode::UnknownOperator,
        DiagnosticCode::MissingElement,
    ] {
        assert!(codes.contains(&c), "{c:?} missing from {codes:?}");
    }
    // sorted by position
    let positions: Vec<_> = p.diagnostics.iter().map(|d| d.span.start).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted);
}

#[test]
fn missing_version_is_a_warning_about_variables() {
    let p = parse_policy("{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}");
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == DiagnosticCode::MissingVersion)
        .unwrap();
    assert_eq!(d.severity, Severity::Warning);
    assert!(d.message.contains("policy variables"));
    assert!(!p.has_errors());
}

#[test]
fn scenario_errors_have_file_positions() {
    let text = "{\n  \"policies\": {\"identity\": []},\n  \"requests\": [\n    {\"principal\": \"arn:aws:iam::111122223333:user/a\", \"acton\": \"s3:GetObject\", \"resource\": \"*\", \"expect\": \"allow\"}\n  ]\n}";
    let errs = Scenario::from_json(text).unwrap_err();
    let unknown = errs
        .iter()
        .find(|d| d.code == DiagnosticCode::UnknownElement)
        .unwrap();
    assert_eq!(
        (unknown.span.start.line, unknown.span.start.column),
        (4, 55)
    );
    assert!(unknown
        .hint
        .as_deref()
        .unwrap()
        .contains("did you mean \"action\""));
    let expect_err = errs
        .iter()
        .find(|d| d.message.contains("expect must be"))
        .unwrap();
    assert_eq!(expect_err.span.start.line, 4);
    assert!(errs.iter().any(|d| d.message.contains("has no \"action\"")));
    let errs = Scenario::from_json("{\"policies\": {\"identity\": [], \"resourcePolicy\": null}}")
        .unwrap_err();
    assert!(errs[0].message.contains("unknown field \"resourcePolicy\""));
}

#[test]
fn garbage_input_never_panics() {
    for text in [
        "",
        "null",
        "[]",
        "\"x\"",
        "{",
        "{\"Statement\": 5}",
        "{\"Statement\": [1, null, []]}",
        "\u{0}",
        "{\"Statement\": [{\"Condition\": []}]}",
        "{\"Statement\": [{\"Condition\": {\"ForAllValues:\": {}}}]}",
        "{\"Statement\": [{\"Principal\": {\"AWS\": [1]}}]}",
    ] {
        let _ = parse_policy(text);
        let _ = parse_policy_as(text, PolicyKind::Resource);
        let _ = Scenario::from_json(text);
    }
}
