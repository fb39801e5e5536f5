//! Why a request got its decision, in plain language. The engine explains as data
//! (`iam_policy::Authorization`: layers, policies, statements, conditions, each with its
//! verdict and the reason); the wording is the UI's, here.

use iam_policy::explain::{
    condition_sentence, element_sentence, principal_sentence, statement_verdict,
};
use iam_policy::StatementTrace;
use iam_policy::{Authorization, DecisionRule, Effect, GrantKind, LayerDecision, LayerResult};
use iam_policy::{NotApplicable, PolicyResult};
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
            format!("{st} of “{}”", policy_name(ws, &s.policy.to_string()))
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
            layer_name(&layer.to_string())
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
            capitalized(&layer_name(&layer.to_string()))
        ),
        DecisionRule::NoAllow => format!(
            "Implicitly denied: no statement allows {action} on this resource. Nothing denies it either — whatever is not allowed is denied."
        ),
        DecisionRule::NoPermissionRequired => format!(
            "Allowed: {action} needs no permission, and no policy can deny it."
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
        Some(NotApplicable::ServiceNotGovernedByRcps) => {
            "RCPs apply only to the services AWS Organizations lists for them"
        }
        Some(NotApplicable::NoResource) => {
            "RCPs apply to the resource a request authorizes, and this request names none"
        }
        Some(NotApplicable::RetireGrant) => "RCPs do not impact kms:RetireGrant",
        None => "not used for this request",
    }
}

fn layer_verdict(l: &LayerResult) -> String {
    match l.decision {
        LayerDecision::Allow if l.implicit_full_access => {
            "allow through RCPFullAWSAccess (attached to every level; it cannot be detached)".into()
        }
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

/// A check with its mark: ✓ (true), ✗ (false).
fn check(ok: bool, sentence: String) -> Html {
    html! { <li class={if ok { "yes" } else { "no" }}>{ sentence }</li> }
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
                        policy_name(ws, &p.policy.to_string()),
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
    let summary = statement_verdict(s);
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
    let pid = PolicyId::from_engine_id(&p.policy.to_string());
    let name = policy_name(&store.ws, &p.policy.to_string());
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
    let blocked = a.blocked_by == Some(l.layer) || (l.decision == LayerDecision::ExplicitDeny);
    html! {
        <li class={classes!("trace-layer", blocked.then_some("blocked"))} data-layer={l.layer.to_string()}>
            <header>
                <span>{ capitalized(&layer_name(&l.layer.to_string())) }</span>
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
