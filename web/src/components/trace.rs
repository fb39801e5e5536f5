//! Why a request got its decision, in plain language. The engine explains as data
//! (`iam_policy::Authorization`: layers, policies, statements, conditions, each with its
//! verdict and the reason); the wording is the UI's, here.

use iam_policy::authorize::{NotApplicable, PolicyResult};
use iam_policy::condition::{ConditionOutcome, ConditionTrace};
use iam_policy::eval::{ElementTrace, StatementTrace};
use iam_policy::operator::{BaseOperator, OperatorFamily, SetOperator};
use iam_policy::{Authorization, DecisionRule, Effect, GrantKind, LayerDecision, LayerResult};
use yew::prelude::*;

use super::requests::decision_badge;
use super::{use_store, Store};
use crate::engine::Range;
use crate::model::{Decision, PolicyId, RequestRow, Workspace};
use crate::state::Action;

#[derive(Properties, Clone, PartialEq)]
pub struct ExplanationProps {
    pub index: usize,
}

/// What a person calls a layer id of the engine (`identity`, `scps/0`, …).
pub fn layer_name(id: &str) -> String {
    let mut parts = id.split('/');
    let head = parts.next().unwrap_or_default();
    let level = parts
        .next()
        .and_then(|l| l.parse::<usize>().ok())
        .map(|l| l + 1);
    match (head, level) {
        ("identity", _) => "the identity policies".into(),
        ("resource", _) => "the resource policy".into(),
        ("permissionsBoundary", _) => "the permissions boundary".into(),
        ("session", _) => "the session policy".into(),
        ("scps", Some(1)) => "the SCPs at the root (level 1)".into(),
        ("scps", Some(l)) => format!("the SCPs of level {l}"),
        ("rcps", Some(1)) => "the RCPs at the root (level 1)".into(),
        ("rcps", Some(l)) => format!("the RCPs of level {l}"),
        ("vpcEndpoint", _) => "the VPC endpoint policy".into(),
        _ => id.to_string(),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn policy_name(ws: &Workspace, engine_id: &str) -> String {
    PolicyId::from_engine_id(engine_id)
        .and_then(|id| ws.policy(id))
        .map(|p| p.name.clone())
        .unwrap_or_else(|| engine_id.to_string())
}

fn statement_label(s: &StatementTrace) -> String {
    match &s.sid {
        Some(sid) => format!("Statement “{sid}”"),
        None => format!("Statement {}", s.index + 1),
    }
}

/// One line on the documented rule that decided.
fn verdict(ws: &Workspace, row: &RequestRow, a: &Authorization) -> String {
    let deciding = a
        .deciding_statements
        .iter()
        .map(|s| {
            let st = match &s.sid {
                Some(sid) => format!("statement “{sid}”"),
                None => format!("statement {}", s.statement + 1),
            };
            format!("{st} of “{}”", policy_name(ws, &s.policy))
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let action = &row.action;
    match &a.rule {
        DecisionRule::ExplicitDeny { .. } => {
            format!("Explicitly denied: {deciding} denies it, and a Deny always wins over any Allow.")
        }
        DecisionRule::GuardrailNoAllow { layer } => format!(
            "Denied by a guardrail: {} have no statement that allows {action}, and every level must allow.",
            layer_name(layer)
        ),
        DecisionRule::ResourcePolicyRequired { service } => if service == "kms" {
            "Implicitly denied: a KMS key policy must allow the request itself (or delegate to the account's IAM policies), and it does not."
        } else {
            "Implicitly denied: the role's trust policy (the resource policy) must allow sts:AssumeRole, and it does not."
        }
        .to_string(),
        DecisionRule::OnlyResourcePolicyCanGrant => format!(
            "Implicitly denied: this caller has no identity policies, so only a resource policy could allow {action}, and none does."
        ),
        DecisionRule::ResourcePolicyGrantsCaller => {
            format!("Allowed: {deciding} grants it to the caller, and nothing denies it.")
        }
        DecisionRule::ResourcePolicyGrantsRole => format!(
            "Allowed: {deciding} grants it to the caller's role, and the boundary and session policy allow it too."
        ),
        DecisionRule::IdentityPolicyAllows => {
            format!("Allowed: {deciding} allows {action}, and nothing denies it.")
        }
        DecisionRule::RootUser => {
            "Allowed: the account's root user may do anything no Deny, SCP or RCP stops.".to_string()
        }
        DecisionRule::CrossAccountBothAllow => format!(
            "Allowed across accounts: both the caller's identity policies and the resource policy allow it ({deciding})."
        ),
        DecisionRule::CrossAccountMissingAllow {
            identity_allows,
            resource_allows,
        } => format!(
            "Implicitly denied: the resource is in another account, so both sides must allow — the caller's identity policies {} and the resource policy {}.",
            if *identity_allows { "do" } else { "do not" },
            if *resource_allows { "does" } else { "does not" }
        ),
        DecisionRule::LimitedBy { layer } => format!(
            "Implicitly denied: {} does not allow {action}, and it caps what the other policies grant.",
            capitalized(&layer_name(layer))
        ),
        DecisionRule::NoAllow => format!(
            "Implicitly denied: no statement allows {action} on this resource. Nothing denies it either — whatever is not allowed is denied."
        ),
    }
}

fn not_applicable_reason(n: Option<NotApplicable>) -> &'static str {
    match n {
        Some(NotApplicable::NoIamIdentity) => "this caller has no identity policies",
        Some(NotApplicable::RootUser) => "the root user is not limited by identity policies",
        Some(NotApplicable::NotASession) => {
            "only role and federated sessions have a session policy"
        }
        Some(NotApplicable::ServiceLinkedRole) => {
            "SCPs and RCPs do not restrict service-linked roles"
        }
        Some(NotApplicable::NotAnAccountPrincipal) => {
            "SCPs govern principals of the organization's accounts"
        }
        Some(NotApplicable::ServicePrincipal) => "RCPs do not restrict AWS service principals",
        None => "not used for this request",
    }
}

fn layer_verdict(l: &LayerResult) -> String {
    match l.decision {
        LayerDecision::Allow => match l.grant {
            Some(GrantKind::Account) => "allow (the Principal names the caller's account)".into(),
            Some(GrantKind::Role) => "allow (the Principal names the caller's role)".into(),
            Some(GrantKind::Direct) => "allow (the Principal names the caller)".into(),
            None => "allow".into(),
        },
        LayerDecision::ExplicitDeny => "deny explicitly".into(),
        LayerDecision::ImplicitDeny => "have no statement that allows".into(),
        LayerDecision::NotApplicable => {
            format!("do not apply: {}", not_applicable_reason(l.not_applicable))
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

/// A check with its mark: ✓ (true), ✗ (false).
fn check(ok: bool, sentence: String) -> Html {
    html! { <li class={if ok { "yes" } else { "no" }}>{ sentence }</li> }
}

/// "Action imagebuilder:* matches imagebuilder:GetComponent" and friends.
fn element_sentence(what: &str, e: &ElementTrace, subject: &str) -> String {
    if e.key_span.is_none() {
        return format!("No {what} element: the statement covers the policy's own resource.");
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
    s
}

fn principal_sentence(p: &iam_policy::principal::PrincipalTrace) -> String {
    let name = if p.negated {
        "NotPrincipal"
    } else {
        "Principal"
    };
    let hit = p.entries.iter().find(|e| e.grant.is_some());
    let written: Vec<String> = p.entries.iter().map(|e| e.written.clone()).collect();
    match (p.negated, hit) {
        (false, Some(h)) => format!("{name} {} covers the caller", h.written),
        (false, None) => format!("{name} {} does not cover the caller", or_list(&written)),
        (true, Some(h)) => format!("{name} {} excludes the caller", h.written),
        (true, None) => format!("{name} does not exclude the caller, so it is covered"),
    }
}

/// The verb for "request value vs policy value" under the positive form of an operator.
fn relation(op: BaseOperator, matched: bool) -> &'static str {
    use BaseOperator::*;
    match (op.positive(), matched) {
        (StringEquals | BinaryEquals | NumericEquals | DateEquals | ArnEquals, true) => "equals",
        (StringEquals | BinaryEquals | NumericEquals | DateEquals | ArnEquals, false) => {
            "does not equal"
        }
        (StringEqualsIgnoreCase, true) => "equals (ignoring case)",
        (StringEqualsIgnoreCase, false) => "does not equal (even ignoring case)",
        (StringLike | ArnLike, true) => "matches",
        (StringLike | ArnLike, false) => "does not match",
        (IpAddress, true) => "is inside",
        (IpAddress, false) => "is not inside",
        (NumericLessThan, true) => "is less than",
        (NumericLessThan, false) => "is not less than",
        (NumericLessThanEquals, true) => "is at most",
        (NumericLessThanEquals, false) => "is more than",
        (NumericGreaterThan, true) => "is more than",
        (NumericGreaterThan, false) => "is not more than",
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
        _ => "is compared with",
    }
}

fn kind_of_value(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::Numeric => "a number",
        OperatorFamily::Date => "a date",
        OperatorFamily::Bool => "true or false",
        OperatorFamily::IpAddress => "an IP address",
        OperatorFamily::Binary => "base64",
        OperatorFamily::Arn => "an ARN",
        _ => "a string",
    }
}

fn tf(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// One condition, e.g. "aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so
/// NotIpAddress is false".
fn condition_sentence(c: &ConditionTrace) -> String {
    let (key, op, result) = (&c.key, &c.operator, tf(c.result));
    let values: Vec<String> = c
        .values
        .iter()
        .map(|v| v.resolved.clone().unwrap_or_else(|| v.written.clone()))
        .collect();
    match &c.outcome {
        ConditionOutcome::KeyAbsent => format!("{key} is not in the request, so {op} is {result}"),
        ConditionOutcome::KeyAbsentNegated => format!(
            "{key} is not in the request; a negated operator is true for a missing key, so {op} is {result}"
        ),
        ConditionOutcome::KeyAbsentIfExists => format!(
            "{key} is not in the request, so {op} is {result} (…IfExists only tests a key that is there)"
        ),
        ConditionOutcome::ForAllValuesNoValues => format!(
            "{key} has no values in the request, so {op} is {result} (ForAllValues holds for an empty set)"
        ),
        ConditionOutcome::ForAnyValueNoValues => format!(
            "{key} has no values in the request, so {op} is {result} (ForAnyValue needs at least one)"
        ),
        ConditionOutcome::NullCheck { present } => format!(
            "{key} {}; Null {} asks whether it is missing, so the condition is {result}",
            if *present {
                "is in the request"
            } else {
                "is not in the request"
            },
            or_list(&values)
        ),
        ConditionOutcome::UnresolvedVariable { keys } => {
            let vars: Vec<String> = keys.iter().map(|k| format!("${{{k}}}")).collect();
            format!(
                "the policy value uses {} but the request has no single value for it, so that value matches nothing and {op} is {result}",
                or_list(&vars)
            )
        }
        ConditionOutcome::Compared => {
            let rvs = c.request_values.as_deref().unwrap_or_default();
            let parts: Vec<String> = rvs
                .iter()
                .map(|rv| {
                    if !rv.valid {
                        format!("{} is not {}", rv.value, kind_of_value(c.family))
                    } else if rv.matched.is_empty() {
                        format!(
                            "{} {} {}",
                            rv.value,
                            relation(c.parsed.base, false),
                            or_list(&values)
                        )
                    } else {
                        let m: Vec<String> = rv
                            .matched
                            .iter()
                            .filter_map(|j| values.get(*j).cloned())
                            .collect();
                        format!(
                            "{} {} {}",
                            rv.value,
                            relation(c.parsed.base, true),
                            m.join(" and ")
                        )
                    }
                })
                .collect();
            let how = match c.parsed.set {
                Some(SetOperator::ForAllValues) => " (ForAllValues: every request value must pass)",
                Some(SetOperator::ForAnyValue) => " (ForAnyValue: one request value must pass)",
                None if rvs.len() > 1 && c.negated => " (negated: no request value may match)",
                None if rvs.len() > 1 => " (one request value must match)",
                None => "",
            };
            format!("{key} {}, so {op} is {result}{how}", parts.join("; "))
        }
    }
}

/// For a request nothing allows: the Allow statements that cover its action and resource but
/// whose conditions are false ("would allow it, but …"), the usual reason for a surprise.
fn near_misses(ws: &Workspace, a: &Authorization) -> Html {
    if a.decision != iam_policy::Decision::ImplicitDeny {
        return html! {};
    }
    let mut items: Vec<Html> = Vec::new();
    for p in a.layers.iter().flat_map(|l| &l.policies) {
        for s in &p.statements {
            if s.effect == Some(Effect::Allow) && s.scope_matched && !s.conditions_met {
                let failed: Vec<String> = s
                    .conditions
                    .iter()
                    .filter(|c| !c.result)
                    .map(condition_sentence)
                    .collect();
                items.push(html! {
                    <li>{ format!(
                        "{} of “{}” would allow it, but {}.",
                        statement_label(s),
                        policy_name(ws, &p.policy),
                        failed.join("; and ")
                    ) }</li>
                });
            }
        }
    }
    if items.is_empty() {
        return html! {};
    }
    html! { <ul class="near-misses">{ items }</ul> }
}

fn statement_view(
    store: &Store,
    row: &RequestRow,
    policy: Option<PolicyId>,
    s: &StatementTrace,
    decided: bool,
) -> Html {
    let effect = match s.effect {
        Some(Effect::Allow) => "Allow",
        Some(Effect::Deny) => "Deny",
        None => "no valid Effect",
    };
    let summary = if s.applies {
        if s.effect == Some(Effect::Deny) {
            "applies: it denies the request".to_string()
        } else {
            "applies: it allows the request".to_string()
        }
    } else {
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
    };
    let jump = policy.map(|pid| {
        let d = store.dispatcher();
        let range = Range::from(s.span);
        let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(pid, range)));
        html! {
            <button class="link-button jump" {onclick}
                aria-label={format!("Show {} in the editor", statement_label(s))}>{ "show in editor" }</button>
        }
    });
    let effect_class = if s.effect == Some(Effect::Deny) {
        "deny"
    } else {
        "allow"
    };
    html! {
        <li class={classes!("stmt", effect_class, s.applies.then_some("applies"), decided.then_some("decided"))}>
            <div class="stmt-head">
                <span class="stmt-title">{ statement_label(s) }</span>
                <span class="stmt-effect">{ effect }</span>
                <span class="stmt-summary">{ summary }</span>
                { for jump }
            </div>
            <ul class="checks">
                { check(s.action.matched, element_sentence("Action", &s.action, &row.action)) }
                { check(s.resource.matched, element_sentence("Resource", &s.resource, &row.resource)) }
                { for s.principal.as_ref().map(|p| check(p.matched, principal_sentence(p))) }
                { for s.conditions.iter().map(|c| check(c.result, condition_sentence(c))) }
                if !s.applies && s.action.matched && s.resource.matched && !s.conditions_met {
                    <li class="na">{ "So the statement does not apply." }</li>
                }
            </ul>
        </li>
    }
}

fn policy_view(store: &Store, row: &RequestRow, a: &Authorization, p: &PolicyResult) -> Html {
    let pid = PolicyId::from_engine_id(&p.policy);
    let name = policy_name(&store.ws, &p.policy);
    let decided = |s: &StatementTrace| {
        a.deciding_statements
            .iter()
            .any(|d| d.policy == p.policy && d.statement == s.index)
    };
    html! {
        <div class="trace-policy">
            <p class="trace-policy-name">{ format!("“{name}”") }</p>
            <ul class="trace">
                { for p.statements.iter().map(|s| statement_view(store, row, pid, s, decided(s))) }
            </ul>
        </div>
    }
}

fn layer_view(store: &Store, row: &RequestRow, a: &Authorization, l: &LayerResult) -> Html {
    let blocked = a.blocked_by.as_deref() == Some(l.layer.as_str())
        || (l.decision == LayerDecision::ExplicitDeny);
    html! {
        <li class={classes!("trace-layer", blocked.then_some("blocked"))} data-layer={l.layer.clone()}>
            <header>
                <span>{ capitalized(&layer_name(&l.layer)) }</span>
                <span class="layer-verdict">{ layer_verdict(l) }</span>
            </header>
            { for l.policies.iter().map(|p| policy_view(store, row, a, p)) }
        </li>
    }
}

#[component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let (Some(o), Some(row)) = (
        store.eval.outcomes.get(props.index),
        store.ws.requests.get(props.index),
    ) else {
        return html! {};
    };
    let trace = store.eval.trace(props.index);
    let expectation = match (o.expect, o.pass) {
        (Some(e), Some(true)) => Some(html! {
            <p class="expect-line pass">{ format!("✓ As expected ({}).", e.label()) }</p>
        }),
        (Some(e), Some(false)) => Some(html! {
            <p class="expect-line fail">{ format!("✗ Expected {}, but the decision is {}.", e.label(), o.decision.map_or("none", Decision::label)) }</p>
        }),
        _ => None,
    };
    let missing = (!o.missing.is_empty()).then(|| {
        html! {
            <p class="missing" id="missing-keys">
                <strong>{ "Missing from the request: " }</strong>
                { format!("{}. A condition on a missing key is false (true for negated and …IfExists operators). Add it as Source IP or as a context key above.", o.missing.join(", ")) }
            </p>
        }
    });
    html! {
        <section class="explanation" aria-labelledby="why-heading">
            <h4 id="why-heading">{ "Why " }{ decision_badge(o.decision, o.error.is_some()) }</h4>
            <div aria-live="polite" class="verdict-wrap">
                if let Some(e) = &o.error {
                    <p class="verdict error-text" id="verdict">{ format!("Not evaluated: {e}") }</p>
                } else if let Some(a) = trace {
                    <p class="verdict" id="verdict">{ verdict(&store.ws, row, a) }</p>
                    { near_misses(&store.ws, a) }
                }
                { for expectation }
            </div>
            { for missing }
            if let Some(a) = trace {
                <ul class="trace layers-trace" aria-label="Every layer, policy, statement and condition">
                    { for a.layers.iter().map(|l| layer_view(&store, row, a, l)) }
                </ul>
            }
        </section>
    }
}
