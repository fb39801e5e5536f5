//! Requests from the statements of the policies (issue: "reaching two requests of one's own
//! took 22 clicks"): one request per statement, with its first action, a resource that fits
//! its `Resource`, and the context keys its conditions use, each with a value the condition
//! accepts where one is easy to give. A starting point for the user to edit, not a proof:
//! the decision of each request is the engine's, shown in the table as usual.
//!
//! Pure data (the engine's parsed statements in, request rows out), so it is tested natively.

use iam_policy::{
    parse_policy_as, ArnPattern, BaseOperator, Condition, Glob, OperatorFamily, PolicyId,
    PolicyKind, PrincipalType, Statement,
};

use crate::browser::capitalized;
use crate::model::{ContextField, RequestRow, ValueKind, Workspace, SOURCE_IP_KEY};

/// The caller when no policy or row names one.
pub const DEFAULT_PRINCIPAL: &str = "arn:aws:iam::111122223333:user/alice";
const DEFAULT_ACCOUNT: &str = "111122223333";
const DEFAULT_REGION: &str = "us-east-1";

/// Actions tried, in order, for a `NotAction` statement: the first its patterns leave out.
const OTHER_ACTIONS: [&str; 4] = [
    "s3:GetObject",
    "ec2:DescribeInstances",
    "sqs:SendMessage",
    "dynamodb:GetItem",
];
/// Resources tried for a `NotResource` statement.
const OTHER_RESOURCES: [&str; 3] = [
    "arn:aws:s3:::amzn-s3-demo-bucket/example.txt",
    "arn:aws:sqs:us-east-1:111122223333:example-queue",
    "arn:aws:dynamodb:us-east-1:111122223333:table/example",
];

/// Turns wildcards into text they match: `*` → `example`, `?` → `x`.
fn fill(pattern: &str) -> String {
    pattern.replace('*', "example").replace('?', "x")
}

/// A resource ARN matched by an ARN pattern: wildcards in the region and account become a
/// region and the example account, the rest is filled with text.
fn fill_arn(pattern: &str) -> String {
    if pattern == "*" {
        return "*".into();
    }
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    if parts.len() < 6 {
        return fill(pattern);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| match (i, *p) {
            (3, "*" | "?") => DEFAULT_REGION.to_string(),
            (4, "*") => DEFAULT_ACCOUNT.to_string(),
            _ => fill(p),
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// The name part of a principal ARN (`alice` of `…:user/alice`), for `${aws:username}`.
fn user_name(principal: &str) -> String {
    principal
        .rsplit(['/', ':'])
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("alice")
        .to_string()
}

/// Replaces each `${key}` or `${key, 'default'}` with a value; the keys (not `${*}`, `${?}`,
/// `${$}`) go to `vars` so the request can carry them.
fn substitute(text: &str, principal: &str, vars: &mut Vec<(String, String)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 2..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(at..).unwrap_or_default());
            return out;
        };
        let inner = after.get(..close).unwrap_or_default();
        let key = inner.split(',').next().unwrap_or_default().trim();
        match key {
            "*" | "?" | "$" => out.push_str(key),
            _ => {
                let value = if key.eq_ignore_ascii_case("aws:username") {
                    user_name(principal)
                } else {
                    "example".to_string()
                };
                if !vars.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
                    vars.push((key.to_string(), value.clone()));
                }
                out.push_str(&value);
            }
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The caller a resource policy statement names (its first entry), if any.
fn named_principal(st: &Statement) -> Option<String> {
    let p = st.principal.as_ref().filter(|p| !p.negated)?;
    let e = p.entries.first()?;
    match e.kind {
        PrincipalType::Everyone => None,
        PrincipalType::Service => Some(e.text.as_str().to_string()),
        PrincipalType::Aws if iam_policy::is_account_id(&e.text) => {
            Some(format!("arn:aws:iam::{}:user/alice", e.text))
        }
        PrincipalType::Aws => Some(match e.text.strip_suffix(":root") {
            Some(account) => format!("{account}:user/alice"),
            None => fill(&e.text),
        }),
        PrincipalType::Federated | PrincipalType::CanonicalUser => None,
    }
}

/// A value for a number condition that the operator accepts. Integer arithmetic only (no
/// float formatting in the first-load wasm): the policy's number itself for the operators
/// that accept it, else the integer just below or above it (its integer part ∓ 1 for a
/// decimal, which is on the right side of it too).
fn number_for(base: BaseOperator, v: &str) -> String {
    let v = v.trim();
    let whole = v.split(['.', 'e', 'E']).next().unwrap_or_default();
    let Ok(n) = whole.parse::<i64>() else {
        return if v.is_empty() {
            "0".into()
        } else {
            v.to_string()
        };
    };
    match base {
        BaseOperator::NumericLessThan => n.saturating_sub(1).to_string(),
        BaseOperator::NumericGreaterThan | BaseOperator::NumericNotEquals => {
            n.saturating_add(1).to_string()
        }
        _ => v.to_string(),
    }
}

/// The request value for one condition (None: leave the key out).
fn value_for(c: &Condition, principal: &str, vars: &mut Vec<(String, String)>) -> Option<String> {
    let base = c.operator.base;
    let first = c
        .values
        .first()
        .map(|v| v.text.as_str())
        .unwrap_or_default();
    Some(match base.family() {
        OperatorFamily::Null => {
            // `"true"`: the key must be absent; `"false"`: present.
            if first.eq_ignore_ascii_case("true") {
                return None;
            }
            "example".into()
        }
        OperatorFamily::Bool => first.to_ascii_lowercase(),
        OperatorFamily::Numeric => number_for(base, first),
        OperatorFamily::Date => match base {
            BaseOperator::DateLessThan | BaseOperator::DateLessThanEquals => {
                "2000-01-01T00:00:00Z".into()
            }
            BaseOperator::DateGreaterThan | BaseOperator::DateGreaterThanEquals => {
                "2099-12-31T00:00:00Z".into()
            }
            BaseOperator::DateNotEquals => "2001-02-03T04:05:06Z".into(),
            _ => first.to_string(),
        },
        OperatorFamily::IpAddress if base.is_negated() => "203.0.113.10".into(),
        OperatorFamily::IpAddress => first.split('/').next().unwrap_or_default().to_string(),
        _ if base.is_negated() => format!("not-{}", fill(first)),
        _ => fill(&substitute(first, principal, vars)),
    })
}

fn kind_of(family: OperatorFamily) -> ValueKind {
    match family {
        OperatorFamily::Numeric => ValueKind::Number,
        OperatorFamily::Bool => ValueKind::Bool,
        _ => ValueKind::String,
    }
}

/// The request for one statement.
fn request_for(st: &Statement, title: &str, principal: &str) -> RequestRow {
    let principal = named_principal(st).unwrap_or_else(|| principal.to_string());
    let action = match &st.action {
        Some(a) if a.negated => OTHER_ACTIONS
            .iter()
            .find(|c| {
                !a.patterns
                    .iter()
                    .any(|p| Glob::wildcard_ignore_case(&p.text).matches(&c.to_lowercase()))
            })
            .map(|c| c.to_string())
            .unwrap_or_default(),
        Some(a) => a
            .patterns
            .first()
            .map(|p| {
                if p.text.trim() == "*" {
                    "s3:GetObject".to_string()
                } else {
                    fill(&p.text)
                }
            })
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut vars = Vec::new();
    let resource = match &st.resource {
        Some(r) if r.negated => OTHER_RESOURCES
            .iter()
            .find(|c| {
                !r.patterns
                    .iter()
                    .any(|p| ArnPattern::resource(Glob::wildcard(&p.text)).matches(c))
            })
            .map(|c| c.to_string())
            .unwrap_or_else(|| "*".into()),
        Some(r) => r
            .patterns
            .first()
            .map(|p| fill_arn(&substitute(&p.text, &principal, &mut vars)))
            .unwrap_or_else(|| "*".into()),
        None => "*".into(),
    };
    let mut row = RequestRow {
        name: title.to_string(),
        principal: principal.clone(),
        action,
        resource,
        ..RequestRow::default()
    };
    for c in &st.conditions {
        let key = c.key.trim();
        let known = |row: &RequestRow| {
            (key.eq_ignore_ascii_case(SOURCE_IP_KEY) && !row.source_ip.is_empty())
                || row.context.iter().any(|e| e.key.eq_ignore_ascii_case(key))
        };
        if key.is_empty() || known(&row) {
            continue;
        }
        let Some(value) = value_for(c, &principal, &mut vars) else {
            continue;
        };
        if key.eq_ignore_ascii_case(SOURCE_IP_KEY) && c.operator.set.is_none() {
            row.source_ip = value;
            continue;
        }
        row.context.push(ContextField {
            key: key.to_string(),
            kind: kind_of(c.operator.base.family()),
            multi: c.operator.set.is_some(),
            values: vec![value],
        });
    }
    for (key, value) in vars {
        if !row.context.iter().any(|e| e.key.eq_ignore_ascii_case(&key)) {
            row.context.push(ContextField {
                key,
                kind: ValueKind::String,
                multi: false,
                values: vec![value],
            });
        }
    }
    row
}

/// One request per statement of the policies that grant or deny access to a caller: the
/// identity-based and resource-based policies (every policy when there are none of those).
/// `principal`: the caller for statements that name none (the selected row's, usually).
pub fn requests_from_statements(ws: &Workspace, principal: &str) -> Vec<RequestRow> {
    let docs: Vec<(PolicyId, &crate::model::PolicyDoc)> = ws
        .policies
        .docs
        .iter()
        .filter(|(id, _)| ws.is_on(id.kind()))
        .collect();
    let main = |id: &PolicyId| matches!(id.kind(), PolicyKind::Identity | PolicyKind::Resource);
    let any_main = docs.iter().any(|(id, _)| main(id));
    let several = docs.iter().filter(|(id, _)| !any_main || main(id)).count() > 1;
    let principal = if principal.trim().is_empty() {
        DEFAULT_PRINCIPAL
    } else {
        principal
    };
    let mut out = Vec::new();
    for (id, doc) in docs {
        if any_main && !main(&id) {
            continue;
        }
        let parsed = parse_policy_as(&doc.text, id.kind());
        let Some(policy) = parsed.policy else {
            continue;
        };
        for st in &policy.statements {
            let label = iam_policy::explain::statement_label(
                st.index,
                st.sid.as_ref().map(|s| s.value.as_str()),
            );
            let mut title = capitalized(&label);
            if several {
                title = format!("{title} · {}", doc.name);
            }
            out.push(request_for(st, &title, principal));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_policy::Decision;

    const IP: &str =
        include_str!("../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

    fn ws_with(text: &str) -> Workspace {
        let mut ws = Workspace::default();
        let id = ws.add_policy(PolicyKind::Identity, None);
        ws.policy_mut(id).unwrap().text = text.into();
        ws
    }

    #[test]
    fn the_seed_statement_gets_a_request_the_engine_allows() {
        let ws = crate::engine::import_scenario(IP).unwrap();
        let rows = requests_from_statements(&ws, DEFAULT_PRINCIPAL);
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(r.name, "Statement 0 \"IPAllow\"");
        assert!(r.action.starts_with("imagebuilder:"), "{}", r.action);
        assert_eq!(r.source_ip, "54.240.143.0");
        let mut ws = ws;
        ws.requests = rows;
        let eval = crate::engine::evaluate(&ws, None);
        assert_eq!(
            eval.results[0].decision,
            Some(Decision::Allowed),
            "{:?}",
            eval.results[0]
        );
    }

    #[test]
    fn wildcards_variables_and_negations_become_values_that_fit() {
        let ws = ws_with(
            r#"{"Version":"2012-10-17","Statement":[
              {"Sid":"Home","Effect":"Allow","Action":["s3:Get*","s3:PutObject"],
               "Resource":"arn:aws:s3:::bucket/home/${aws:username}/*"},
              {"Effect":"Allow","NotAction":"s3:*","Resource":"arn:aws:ec2:*:*:instance/*",
               "Condition":{"NumericLessThan":{"s3:max-keys":"10"},"Bool":{"aws:SecureTransport":"true"},
               "ForAnyValue:StringEquals":{"aws:TagKeys":["team"]},"StringNotEquals":{"aws:PrincipalTag/dept":"hr"}}}]}"#,
        );
        let rows = requests_from_statements(&ws, "arn:aws:iam::111122223333:user/bob");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].action, "s3:Getexample");
        assert_eq!(rows[0].resource, "arn:aws:s3:::bucket/home/bob/example");
        assert_eq!(rows[0].context[0].key, "aws:username");
        assert_eq!(rows[0].context[0].values, ["bob"]);
        assert_eq!(rows[1].name, "Statement 1");
        assert_eq!(rows[1].action, "ec2:DescribeInstances");
        assert_eq!(
            rows[1].resource,
            "arn:aws:ec2:us-east-1:111122223333:instance/example"
        );
        let ctx = |k: &str| rows[1].context.iter().find(|e| e.key == k).unwrap().clone();
        assert_eq!(ctx("s3:max-keys").values, ["9"]);
        assert_eq!(ctx("s3:max-keys").kind, ValueKind::Number);
        assert_eq!(ctx("aws:SecureTransport").kind, ValueKind::Bool);
        assert!(ctx("aws:TagKeys").multi);
        assert_eq!(ctx("aws:PrincipalTag/dept").values, ["not-hr"]);
        let mut ws = ws;
        ws.requests = rows;
        let eval = crate::engine::evaluate(&ws, None);
        for r in &eval.results {
            assert_eq!(r.decision, Some(Decision::Allowed), "{r:?}");
        }
    }

    #[test]
    fn numbers_land_on_the_right_side_of_the_condition() {
        use BaseOperator::*;
        assert_eq!(number_for(NumericLessThan, "10"), "9");
        assert_eq!(number_for(NumericGreaterThan, "10"), "11");
        assert_eq!(number_for(NumericEquals, "10"), "10");
        assert_eq!(number_for(NumericLessThanEquals, "1.5"), "1.5");
        assert_eq!(number_for(NumericLessThan, "1.5"), "0");
        assert_eq!(number_for(NumericLessThan, "-1.5"), "-2");
        assert_eq!(number_for(NumericGreaterThan, "1.5"), "2");
        assert_eq!(number_for(NumericGreaterThan, "-1.5"), "0");
    }

    #[test]
    fn a_resource_policy_names_its_caller_and_broken_policies_are_skipped() {
        let mut ws = ws_with("{ not json");
        let r = ws.add_policy(PolicyKind::Resource, None);
        ws.policy_mut(r).unwrap().text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sqs:SendMessage",
            "Resource":"arn:aws:sqs:*:111122223333:queue"}]}"#
            .into();
        let rows = requests_from_statements(&ws, "");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].principal, "arn:aws:iam::444455556666:user/alice");
        assert_eq!(rows[0].resource, "arn:aws:sqs:us-east-1:111122223333:queue");
    }
}
