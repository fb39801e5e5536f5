//! Plain-language rendering of evaluation traces. The engine's results are
//! data (see [`crate::eval`]);
//! this module is one renderer of that data, shared by the command line and
//! the playground so that both say the same thing the same way.

use crate::ast::operator::{BaseOperator, SetOperator};
use crate::ast::policy::Effect;
use crate::eval::authorize::{
    Authorization, Decision, DecisionRule, LayerDecision, LayerResult, NotApplicable,
};
use crate::eval::condition::{ConditionOutcome, ConditionTrace};
use crate::eval::principal::GrantKind;
use crate::eval::statement::{ElementTrace, StatementTrace};

fn quote_list(items: &[String]) -> String {
    match items {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        many => format!("any of {}", many.join(", ")),
    }
}

/// The verb for "request value matches policy value" under a positive operator.
fn relation(op: BaseOperator, matched: bool) -> &'static str {
    use BaseOperator::*;
    match (op.positive(), matched) {
        (StringEquals | BinaryEquals, true) => "equals",
        (StringEquals | BinaryEquals, false) => "does not equal",
        (StringEqualsIgnoreCase, true) => "equals (ignoring case)",
        (StringEqualsIgnoreCase, false) => "does not equal (even ignoring case)",
        (StringLike | ArnLike | ArnEquals, true) => "matches",
        (StringLike | ArnLike | ArnEquals, false) => "does not match",
        (IpAddress, true) => "is inside",
        (IpAddress, false) => "is not inside",
        (NumericEquals, true) | (DateEquals, true) => "equals",
        (NumericEquals, false) | (DateEquals, false) => "does not equal",
        (NumericLessThan, true) => "is less than",
        (NumericLessThan, false) => "is not less than",
        (NumericLessThanEquals, true) => "is at most",
        (NumericLessThanEquals, false) => "is greater than",
        (NumericGreaterThan, true) => "is greater than",
        (NumericGreaterThan, false) => "is not greater than",
        (NumericGreaterThanEquals, true) => "is at least",
        (NumericGreaterThanEquals, false) => "is less than",
        (DateLessThan, true) => "is before",
        (DateLessThan, false) => "is not before",
        (DateLessThanEquals, true) => "is at or before",
        (DateLessThanEquals, false) => "is after",
        (DateGreaterThan, true) => "is after",
        (DateGreaterThan, false) => "is not after",
        (DateGreaterThanEquals, true) => "is at or after",
        (DateGreaterThanEquals, false) => "is before",
        (Bool, true) => "is",
        (Bool, false) => "is not",
        _ => "compares with",
    }
}

fn truth(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// One sentence on a condition, e.g. "aws:SourceIp 54.240.143.188 is inside
/// 54.240.143.188/32, so NotIpAddress is false".
pub fn condition_sentence(c: &ConditionTrace) -> String {
    let op = &c.operator;
    let key = &c.key;
    let policy_values: Vec<String> = c
        .values
        .iter()
        .map(|v| v.resolved.clone().unwrap_or_else(|| v.written.clone()))
        .collect();
    match &c.outcome {
        ConditionOutcome::KeyAbsent => format!("{key} is not in the request, so {op} is false"),
        ConditionOutcome::KeyAbsentNegated => {
            format!("{key} is not in the request, and a negated operator is true when its key is absent, so {op} is true")
        }
        ConditionOutcome::KeyAbsentIfExists => {
            format!("{key} is not in the request, so {op} is true (…IfExists only checks a key that is present)")
        }
        ConditionOutcome::ForAllValuesNoValues => {
            format!("{key} has no values in the request, so {op} is true (ForAllValues holds for an empty set)")
        }
        ConditionOutcome::ForAnyValueNoValues => {
            format!("{key} has no values in the request, so {op} is false (ForAnyValue needs at least one)")
        }
        ConditionOutcome::NullCheck { present } => {
            let state = if *present {
                "is in the request"
            } else {
                "is not in the request"
            };
            format!(
                "{key} {state}; Null {} asks whether it is absent, so the condition is {}",
                quote_list(&policy_values),
                truth(c.result)
            )
        }
        ConditionOutcome::UnresolvedVariable { keys } => {
            let vars: Vec<String> = keys.iter().map(|k| format!("${{{k}}}")).collect();
            let negated = if c.negated {
                " (a negated operator is true of it)"
            } else {
                ""
            };
            format!(
                "the policy value uses {} but the request has no single value for it, so that value is effectively null and matches no request value{negated}: {op} is {}",
                vars.join(", "),
                truth(c.result)
            )
        }
        ConditionOutcome::Compared
            if c.parsed.base == BaseOperator::Bool && c.parsed.set.is_none() =>
        {
            let rvs = c.request_values.as_deref().unwrap_or_default();
            let got: Vec<&str> = rvs.iter().map(|v| v.value.as_str()).collect();
            if c.result {
                format!(
                    "{key} is {}, as the policy requires, so {op} is true",
                    got.join(", ")
                )
            } else {
                format!(
                    "{key} is {}, but the policy requires {}, so {op} is false",
                    got.join(", "),
                    quote_list(&policy_values)
                )
            }
        }
        ConditionOutcome::Compared => {
            let rvs = c.request_values.as_deref().unwrap_or_default();
            let positive = c.parsed.base.positive();
            let parts: Vec<String> = rvs
                .iter()
                .map(|rv| {
                    if !rv.valid {
                        format!("{} is not {}", rv.value, c.family.type_name())
                    } else if rv.matched.is_empty() {
                        format!(
                            "{} {} {}",
                            rv.value,
                            relation(positive, false),
                            quote_list(&policy_values)
                        )
                    } else {
                        let m: Vec<String> = rv
                            .matched
                            .iter()
                            .filter_map(|i| policy_values.get(*i).cloned())
                            .collect();
                        format!(
                            "{} {} {}",
                            rv.value,
                            relation(positive, true),
                            m.join(" and ")
                        )
                    }
                })
                .collect();
            let how = match c.parsed.set {
                Some(SetOperator::ForAllValues) => " (ForAllValues: every request value must pass)",
                Some(SetOperator::ForAnyValue) => " (ForAnyValue: one request value must pass)",
                None if rvs.len() > 1 && c.negated => {
                    " (a negated operator: no request value may match)"
                }
                None if rvs.len() > 1 => " (one request value must match)",
                None => "",
            };
            let invalid: Vec<String> = c
                .values
                .iter()
                .filter(|v| !v.valid)
                .map(|v| format!("\"{}\"", v.written))
                .collect();
            let invalid = if invalid.is_empty() {
                String::new()
            } else {
                format!(
                    "; the policy value {} is not {}, so it satisfies neither {} nor its negation",
                    or_list(&invalid),
                    c.family.type_name(),
                    positive.name()
                )
            };
            format!(
                "{key} {}{invalid}, so {op} is {}{how}",
                parts.join("; "),
                truth(c.result)
            )
        }
    }
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// One sentence on an Action/NotAction or Resource/NotResource element, e.g.
/// "Action imagebuilder:* matches imagebuilder:GetComponent" (entries shown
/// after variable substitution).
pub fn element_sentence(what: &str, e: &ElementTrace, subject: &str) -> String {
    if e.key_span.is_none() {
        return format!("no {what} element: the statement covers the policy's own resource");
    }
    let name = if e.negated {
        format!("Not{what}")
    } else {
        what.to_string()
    };
    let hit = e.entries.iter().find(|x| x.matched);
    let written: Vec<String> = e.entries.iter().map(|x| x.written.clone()).collect();
    let unresolved: Vec<String> = e
        .entries
        .iter()
        .flat_map(|x| x.unresolved.iter().map(|k| format!("${{{k}}}")))
        .collect();
    let mut s = match (e.negated, hit) {
        (false, Some(h)) => format!(
            "{name} {} matches {subject}",
            h.resolved.as_deref().unwrap_or(&h.written)
        ),
        (false, None) => format!("{name} {} does not match {subject}", or_list(&written)),
        (true, Some(h)) => format!("{name} {} excludes {subject}", h.written),
        (true, None) => format!(
            "{name} {} does not exclude {subject}, so it is covered",
            or_list(&written)
        ),
    };
    if !unresolved.is_empty() {
        s.push_str(&format!(
            " ({} has no value in this request, so that entry matches nothing)",
            unresolved.join(", ")
        ));
    }
    let inert: Vec<String> = e
        .entries
        .iter()
        .filter(|x| x.inert)
        .map(|x| format!("\"{}\"", x.written))
        .collect();
    if !inert.is_empty() {
        s.push_str(&format!(
            " ({} names no action AWS has, so it matches no request)",
            or_list(&inert)
        ));
    }
    s
}

/// One sentence on a Principal/NotPrincipal element.
pub fn principal_sentence(p: &crate::eval::principal::PrincipalTrace) -> String {
    let name = if p.negated {
        "NotPrincipal"
    } else {
        "Principal"
    };
    let hit = p.entries.iter().find(|e| e.grant.is_some());
    let written: Vec<String> = p.entries.iter().map(|e| e.written.clone()).collect();
    if p.boundary_denies {
        return format!("{name} cannot leave out a caller with a permissions boundary: a Deny with NotPrincipal \"will always deny any IAM principal that has a permissions boundary policy attached, regardless of the values specified in the NotPrincipal element\"");
    }
    match (p.negated, hit) {
        (false, Some(h)) => format!("{name} {} covers the caller", h.written),
        (false, None) => format!("{name} {} does not cover the caller", or_list(&written)),
        (true, Some(h)) => format!("{name} {} excludes the caller", h.written),
        (true, None) => format!("{name} does not exclude the caller, so it is covered"),
    }
}

/// A statement for people: `statement 0 "IPAllow"`, `statement 2` (its
/// position in the policy's Statement list, as results number it).
pub fn statement_label(index: usize, sid: Option<&str>) -> String {
    match sid {
        Some(sid) => format!("statement {index} \"{sid}\""),
        None => format!("statement {index}"),
    }
}

/// Why a statement applies or not, in one line.
pub fn statement_summary(s: &StatementTrace) -> String {
    let name = statement_label(s.index, s.sid.as_deref());
    let effect = match s.effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "(no valid Effect)",
    };
    format!("{name} ({effect}) {}", statement_verdict(s))
}

/// Whether a statement applies, and if not why: "applies: it allows the
/// request", "does not apply: the action is not covered, a condition is false".
pub fn statement_verdict(s: &StatementTrace) -> String {
    if s.applies {
        let verb = if s.effect == Some(Effect::Deny) {
            "denies"
        } else {
            "allows"
        };
        return format!("applies: it {verb} the request");
    }
    let mut why = Vec::new();
    if !s.action.matched {
        why.push("the action is not covered");
    }
    if !s.resource.matched {
        why.push("the resource is not covered");
    }
    if s.principal.as_ref().is_some_and(|p| !p.matched) {
        why.push("the caller is not covered");
    }
    if !s.conditions_met {
        why.push("a condition is false");
    }
    format!("does not apply: {}", why.join(", "))
}

fn grant_phrase(g: GrantKind) -> &'static str {
    match g {
        GrantKind::Direct => "names the caller",
        GrantKind::Role => "names the caller's role",
        GrantKind::Account => "names the caller's account",
    }
}

/// One line on a layer's own verdict: "scps/1 has no statement that allows".
pub fn layer_sentence(l: &LayerResult) -> String {
    format!("{} {}", l.layer, layer_verdict(l))
}

/// A layer's own verdict, without the layer: "has no statement that
/// allows", "allows (its Principal names the caller)".
pub fn layer_verdict(l: &LayerResult) -> String {
    match l.decision {
        LayerDecision::Allow if l.implicit_full_access => {
            "allows through RCPFullAWSAccess, which AWS attaches to every organization level and which cannot be detached".to_string()
        }
        LayerDecision::Allow => {
            let mut s = "allows".to_string();
            if let Some(g) = l.grant {
                s.push_str(&format!(" (its Principal {})", grant_phrase(g)));
            }
            s
        }
        LayerDecision::ExplicitDeny => "denies explicitly".to_string(),
        LayerDecision::ImplicitDeny => "has no statement that allows".to_string(),
        LayerDecision::NotApplicable => format!(
            "does not apply: {}",
            match l.not_applicable {
                Some(NotApplicable::NoIamIdentity) => "the caller has no identity-based policies",
                Some(NotApplicable::RootUser) =>
                    "the root user is not limited by identity-based policies",
                Some(NotApplicable::NotASession) =>
                    "only role and federated-user sessions have a session policy",
                Some(NotApplicable::ServiceLinkedRole) =>
                    "service-linked roles are not restricted by SCPs or RCPs",
                Some(NotApplicable::NotAnAccountPrincipal) =>
                    "SCPs govern principals of the organization's accounts",
                Some(NotApplicable::ServiceNotGovernedByRcps) =>
                    "RCPs apply only to the services AWS Organizations lists for them, and not to this action's service",
                Some(NotApplicable::NoResource) =>
                    "RCPs apply to the resource a request authorizes, and this request names none (*)",
                Some(NotApplicable::RetireGrant) =>
                    "RCPs do not impact the kms:RetireGrant permission",
                None => "not applicable",
            }
        ),
    }
}

/// For an implicit deny: an Allow statement that covers the action,
/// resource and caller but whose conditions are false — "statement 0
/// \"IPAllow\" of identity policy 1 would allow it, but aws:SourceIp … is
/// false." `statement` and `policy` name them (each front end names
/// policies its way); `conditions` are the false conditions' sentences.
pub fn near_miss_sentence(statement: &str, policy: &str, conditions: &[String]) -> String {
    format!(
        "{statement} of {policy} would allow it, but {}.",
        conditions.join("; and ")
    )
}

/// Why a request is not evaluated when AWS would refuse to store some of
/// its policies (named by the caller): "AWS would refuse to store identity
/// policy 1, so the request is not evaluated."
pub fn rejected_sentence(policies: &[String]) -> String {
    let names = match policies {
        [] => "a policy".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    format!("AWS would refuse to store {names}, so the request is not evaluated.")
}

/// A decision as a short label: "Allowed", "Explicit deny", "Implicit deny".
pub fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "Allowed",
        Decision::ExplicitDeny => "Explicit deny",
        Decision::ImplicitDeny => "Implicit deny",
    }
}

/// One sentence on something the engine noticed about the request.
pub fn note_sentence(n: &crate::eval::authorize::Note) -> String {
    use crate::eval::authorize::Note;
    match n {
        Note::RoleArnCaller { role } => format!(
            "A role never calls AWS itself: requests come from its sessions (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION). {role} is read as one of its sessions, so a resource-based policy that names the role ARN is still limited by the role's permissions boundary and session policy."
        ),
        Note::PrivateSourceIp { ip } => format!(
            "aws:SourceIp {ip} is a private address, which AWS never puts in aws:SourceIp: requests through a public endpoint carry the caller's public address, and requests through a VPC endpoint carry no aws:SourceIp at all (compare aws:VpcSourceIp instead)."
        ),
        Note::NoPermissionRequired { action } => format!(
            "{action} needs no permission: \"If an administrator attaches a policy to your identity that explicitly denies access to the sts:GetCallerIdentity action, you can still perform this operation\" (STS API Reference)."
        ),
    }
}

/// The headline: the decision and the documented rule behind it.
pub fn decision_sentence(a: &Authorization) -> String {
    let rule = match &a.rule {
        DecisionRule::ExplicitDeny { layers } => {
            let names: Vec<String> = layers.iter().map(|l| l.label()).collect();
            format!("an explicit Deny in {} overrides every Allow", names.join(" and "))
        }
        DecisionRule::GuardrailNoAllow { layer } => format!(
            "no statement in {} allows the request, and each guardrail (every SCP and RCP level, the VPC endpoint policy) must allow it",
            layer.label()
        ),
        DecisionRule::ResourcePolicyRequired { service } => match service.as_str() {
            "kms" => "a KMS key policy must allow the request (directly, or by delegating to the account's IAM policies), and it does not".to_string(),
            _ => "the role's trust policy must allow sts:AssumeRole, and it does not".to_string(),
        },
        DecisionRule::OnlyResourcePolicyCanGrant => {
            "the caller has no identity-based policies, so only a resource-based policy can grant access, and none does".to_string()
        }
        DecisionRule::ResourcePolicyGrantsCaller => {
            "the resource-based policy grants access to the caller itself".to_string()
        }
        DecisionRule::ResourcePolicyGrantsRole => {
            "the resource-based policy grants access to the caller's role, and the boundary and session policy allow it".to_string()
        }
        DecisionRule::IdentityPolicyAllows => "an identity-based policy allows it, and no guardrail objects".to_string(),
        DecisionRule::RootUser => "the root user of the account has full access unless a Deny or an SCP/RCP stops it".to_string(),
        DecisionRule::CrossAccountBothAllow => {
            "across accounts, both the caller's identity-based policy and the resource-based policy allow it".to_string()
        }
        DecisionRule::CrossAccountMissingAllow { identity_allows, resource_allows } => format!(
            "across accounts both sides must allow: the caller's identity-based policies {} and the resource-based policy {}",
            if *identity_allows { "allow" } else { "do not allow" },
            if *resource_allows { "allows" } else { "does not allow" }
        ),
        DecisionRule::LimitedBy { layer } => format!(
            "{} does not allow it, and it limits what the other policies grant",
            layer.label()
        ),
        DecisionRule::NoAllow => "no applicable policy allows it".to_string(),
        DecisionRule::NoPermissionRequired => {
            "this action needs no permission, and no policy can deny it".to_string()
        }
    };
    let head = match a.decision {
        Decision::Allowed => "allowed",
        Decision::ExplicitDeny => "explicitly denied",
        Decision::ImplicitDeny => "implicitly denied",
    };
    format!("The request is {head}: {rule}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::scenario::Scenario;

    #[test]
    fn bool_sentence_reads_naturally() {
        let s = Scenario::from_json(
            r#"{"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*",
            "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}]},
            "requests":[{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*","context":{"aws:SecureTransport":"true"}}]}"#,
        )
        .unwrap();
        let r = crate::check::check_scenario(&s, "x");
        let c =
            &r[0].authorization.as_ref().unwrap().layers[0].policies[0].statements[0].conditions[0];
        assert_eq!(
            condition_sentence(c),
            "aws:SecureTransport is true, but the policy requires false, so Bool is false"
        );
    }

    #[test]
    fn not_ip_address_sentence() {
        let s = Scenario::from_json(
            r#"{"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Sid":"IPAllow","Effect":"Allow","Action":"imagebuilder:*","Resource":"*",
            "Condition":{"IpAddress":{"aws:SourceIp":"54.240.143.0/24"},"NotIpAddress":{"aws:SourceIp":"54.240.143.188/32"}}}]}]},
            "requests":[{"principal":"arn:aws:iam::111122223333:user/alice","action":"imagebuilder:GetComponent","resource":"*","context":{"aws:SourceIp":"54.240.143.188"}}]}"#,
        )
        .unwrap();
        let r = crate::check::check_scenario(&s, "x");
        let a = r[0].authorization.as_ref().unwrap();
        let st = &a.layers[0].policies[0].statements[0];
        assert_eq!(
            condition_sentence(&st.conditions[1]),
            "aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false"
        );
        assert_eq!(
            condition_sentence(&st.conditions[0]),
            "aws:SourceIp 54.240.143.188 is inside 54.240.143.0/24, so IpAddress is true"
        );
        assert!(statement_summary(st).contains("a condition is false"));
        assert!(decision_sentence(a).starts_with("The request is implicitly denied"));
        assert_eq!(
            crate::layer::Layer::Scp { level: 1 }.label(),
            "the SCPs of organization level 1 below the root"
        );
    }
}
