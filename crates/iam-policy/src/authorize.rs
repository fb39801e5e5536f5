//! AWS's evaluation logic across policy layers (IAM User Guide: "Policy
//! evaluation logic", "Cross-account policy evaluation logic"):
//!
//! 1. An explicit `Deny` in any applicable policy wins.
//! 2. Resource control policies: every level of the organization (root
//!    first) must allow. They govern the resource's account; service-linked
//!    roles and AWS service principals are not restricted.
//! 3. Service control policies: every level must allow. They govern the
//!    caller's account; service-linked roles are not restricted.
//! 4. VPC endpoint policies: when the request went through an endpoint, its
//!    policy must allow.
//! 5. Within one account, an allow in either the identity-based policies or
//!    the resource-based policy suffices — with the documented exceptions:
//!    a resource-policy grant to a role's ARN is still limited by the role's
//!    permissions boundary and session policy (a grant to the session ARN, or
//!    to an IAM user, is not); a grant to the account delegates to identity
//!    policies; KMS key policies and role trust policies must always allow.
//! 6. Across accounts, both the caller's identity-based policies (within
//!    their boundary and session policy) and the resource-based policy must
//!    allow.
//! 7. Anonymous callers and service principals have no identity-based
//!    policies: only a resource-based policy can grant them access.
//! 8. The permissions boundary and session policy must each allow what the
//!    identity-based policies allow.

use crate::context::RequestContext;
use crate::diagnostic::Diagnostic;
use crate::eval::{evaluate_policy, PolicyDecision, PolicyTrace, Request, StatementTrace};
use crate::policy::{parse_policy_as, ParsedPolicy, PolicyKind};
use crate::principal::{GrantKind, Principal};
use crate::span::Span;
use serde::Serialize;

/// The final decision, named as in AWS's policy simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        match s {
            "allowed" => Some(Decision::Allowed),
            "explicitDeny" => Some(Decision::ExplicitDeny),
            "implicitDeny" => Some(Decision::ImplicitDeny),
            _ => None,
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Layer {
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    Scp { level: usize },
    Rcp { level: usize },
    VpcEndpoint,
}

impl Layer {
    /// The layer's name in results: `identity`, `scps/1`, …
    pub fn id(&self) -> String {
        match self {
            Layer::Identity => "identity".into(),
            Layer::Resource => "resource".into(),
            Layer::PermissionsBoundary => "permissionsBoundary".into(),
            Layer::Session => "session".into(),
            Layer::Scp { level } => format!("scps/{level}"),
            Layer::Rcp { level } => format!("rcps/{level}"),
            Layer::VpcEndpoint => "vpcEndpoint".into(),
        }
    }

    pub fn kind(&self) -> PolicyKind {
        match self {
            Layer::Identity => PolicyKind::Identity,
            Layer::Resource => PolicyKind::Resource,
            Layer::PermissionsBoundary => PolicyKind::PermissionsBoundary,
            Layer::Session => PolicyKind::Session,
            Layer::Scp { .. } => PolicyKind::Scp,
            Layer::Rcp { .. } => PolicyKind::Rcp,
            Layer::VpcEndpoint => PolicyKind::VpcEndpoint,
        }
    }
}

/// One policy, parsed once and evaluated against many requests.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// `identity/0`, `resource`, `scps/1/0`, …
    pub id: String,
    pub layer: Layer,
    pub text: String,
    pub parsed: ParsedPolicy,
}

impl CompiledPolicy {
    pub fn new(id: String, layer: Layer, text: String) -> CompiledPolicy {
        let parsed = parse_policy_as(&text, layer.kind());
        CompiledPolicy {
            id,
            layer,
            text,
            parsed,
        }
    }
}

/// Every policy of a situation, grouped by layer.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    pub identity: Vec<CompiledPolicy>,
    pub resource: Option<CompiledPolicy>,
    pub permissions_boundary: Option<CompiledPolicy>,
    pub session: Option<CompiledPolicy>,
    /// One entry per organization level, root first.
    pub scps: Vec<Vec<CompiledPolicy>>,
    pub rcps: Vec<Vec<CompiledPolicy>>,
    pub vpc_endpoint: Vec<CompiledPolicy>,
}

/// A policy's errors, for refusing to evaluate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyErrors<'a> {
    pub policy: &'a str,
    pub diagnostics: Vec<&'a Diagnostic>,
}

impl PolicySet {
    /// Every policy with its id.
    pub fn all(&self) -> impl Iterator<Item = &CompiledPolicy> {
        self.identity
            .iter()
            .chain(self.resource.iter())
            .chain(self.permissions_boundary.iter())
            .chain(self.session.iter())
            .chain(self.scps.iter().flatten())
            .chain(self.rcps.iter().flatten())
            .chain(self.vpc_endpoint.iter())
    }

    /// Policies with errors (AWS would refuse them, so no request is evaluated).
    pub fn errors(&self) -> Vec<PolicyErrors<'_>> {
        self.all()
            .filter(|p| p.parsed.has_errors())
            .map(|p| PolicyErrors {
                policy: &p.id,
                diagnostics: p.parsed.errors().collect(),
            })
            .collect()
    }
}

/// A statement that decided the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub policy: String,
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub line: u32,
    pub column: u32,
    /// The whole statement, for highlighting (not part of the JSON contract).
    #[serde(skip)]
    pub span: Span,
}

/// Why a layer does not take part in this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NotApplicable {
    /// Anonymous callers, services and identity providers have no identity-based policies.
    NoIamIdentity,
    /// The root user is not limited by identity-based policies or boundaries.
    RootUser,
    /// Session policies exist only for role and federated-user sessions.
    NotASession,
    /// SCPs and RCPs do not restrict service-linked roles.
    ServiceLinkedRole,
    /// SCPs govern principals of an organization's accounts.
    NotAnAccountPrincipal,
    /// RCPs do not restrict AWS service principals.
    ServicePrincipal,
}

/// A layer's own verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LayerDecision {
    Allow,
    ExplicitDeny,
    /// No statement allows.
    ImplicitDeny,
    NotApplicable,
}

/// One policy of a layer and its evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyResult {
    pub policy: String,
    pub decision: PolicyDecision,
    pub statements: Vec<StatementTrace>,
}

/// A layer's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerResult {
    /// `identity`, `resource`, `scps/0`, …
    pub layer: String,
    pub kind: Layer,
    pub decision: LayerDecision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    /// For the resource layer: the strongest way its Principal covered the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantKind>,
    pub deciding_statements: Vec<StatementRef>,
    pub missing_context: Vec<String>,
    pub policies: Vec<PolicyResult>,
}

/// The documented rule that produced the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "rule"
)]
pub enum DecisionRule {
    /// An explicit Deny in some layer.
    ExplicitDeny { layers: Vec<String> },
    /// A guardrail layer (RCP or SCP level, VPC endpoint) has no applicable Allow.
    GuardrailNoAllow { layer: String },
    /// KMS key policies and role trust policies must allow.
    ResourcePolicyRequired { service: String },
    /// Anonymous callers and services can only be granted by a resource-based policy.
    OnlyResourcePolicyCanGrant,
    /// Same account: the resource-based policy names the caller itself.
    ResourcePolicyGrantsCaller,
    /// Same account: the resource-based policy names the caller's role, so
    /// the boundary and session policy still apply.
    ResourcePolicyGrantsRole,
    /// The identity-based policies allow, within boundary and session policy.
    IdentityPolicyAllows,
    /// The root user of the resource's account.
    RootUser,
    /// Across accounts both sides must allow.
    CrossAccountBothAllow,
    /// Across accounts, one side does not allow.
    CrossAccountMissingAllow {
        identity_allows: bool,
        resource_allows: bool,
    },
    /// A boundary or session policy does not allow what the other policies grant.
    LimitedBy { layer: String },
    /// No applicable policy allows.
    NoAllow,
}

/// The full answer for one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authorization {
    pub decision: Decision,
    pub rule: DecisionRule,
    pub deciding_statements: Vec<StatementRef>,
    pub missing_context: Vec<String>,
    /// The layer whose missing allow caused an implicit deny.
    pub blocked_by: Option<String>,
    pub cross_account: bool,
    pub caller_account: Option<String>,
    pub resource_account: Option<String>,
    pub layers: Vec<LayerResult>,
}

fn is_resource_policy_required(action: &str) -> Option<&'static str> {
    let a = action.to_ascii_lowercase();
    if a.starts_with("kms:") {
        Some("kms")
    } else if a.starts_with("sts:assumerole") {
        Some("sts")
    } else {
        None
    }
}

fn refs(policy_id: &str, statements: &[&StatementTrace]) -> Vec<StatementRef> {
    statements
        .iter()
        .map(|s| StatementRef {
            policy: policy_id.to_string(),
            statement: s.index,
            sid: s.sid.clone(),
            line: s.anchor.line,
            column: s.anchor.column,
            span: s.span,
        })
        .collect()
}

fn push_unique(into: &mut Vec<String>, key: &str) {
    if !into.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        into.push(key.to_string());
    }
}

/// How much to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every statement's trace: why each element and condition matched or not.
    Full,
    /// Only the decision, deciding statements, missing keys and each layer's
    /// verdict (no per-statement traces): fast, for many requests.
    Decision,
}

fn statement_ref(policy_id: &str, st: &crate::policy::Statement) -> StatementRef {
    StatementRef {
        policy: policy_id.to_string(),
        statement: st.index,
        sid: st.sid.as_ref().map(|s| s.value.clone()),
        line: st.anchor.line,
        column: st.anchor.column,
        span: st.span,
    }
}

/// The fast form of [`evaluate_layer`]: same verdicts, no traces.
fn quick_layer(result: &mut LayerResult, policies: &[&CompiledPolicy], req: &Request) {
    let with_principal = result.kind.kind().has_principal();
    let folded = crate::pattern::fold_case(&req.action);
    let mut denies = Vec::new();
    let mut allows = Vec::new();
    for p in policies {
        if let Some(policy) = &p.parsed.policy {
            let applying = crate::eval::quick_policy(
                policy,
                req,
                &folded,
                with_principal,
                &mut result.missing_context,
            );
            for a in applying {
                match a.statement.effect.as_ref().map(|e| e.value) {
                    Some(crate::policy::Effect::Deny) => {
                        denies.push(statement_ref(&p.id, a.statement))
                    }
                    Some(crate::policy::Effect::Allow) => {
                        allows.push(statement_ref(&p.id, a.statement));
                        if with_principal {
                            result.grant =
                                result.grant.max(Some(a.grant.unwrap_or(GrantKind::Direct)));
                        }
                    }
                    None => {}
                }
            }
        }
    }
    if !denies.is_empty() {
        result.decision = LayerDecision::ExplicitDeny;
        result.deciding_statements = denies;
        result.grant = None;
    } else if !allows.is_empty() {
        result.decision = LayerDecision::Allow;
        result.deciding_statements = allows;
    } else {
        result.decision = LayerDecision::ImplicitDeny;
        result.grant = None;
    }
}

/// Evaluates the policies of one layer. Policies whose text could not be
/// parsed take no part.
fn evaluate_layer(
    layer: Layer,
    policies: &[&CompiledPolicy],
    req: &Request,
    not_applicable: Option<NotApplicable>,
    detail: Detail,
) -> LayerResult {
    let mut result = LayerResult {
        layer: layer.id(),
        kind: layer,
        decision: LayerDecision::NotApplicable,
        not_applicable,
        grant: None,
        deciding_statements: Vec::new(),
        missing_context: Vec::new(),
        policies: Vec::new(),
    };
    if not_applicable.is_some() {
        return result;
    }
    if detail == Detail::Decision {
        quick_layer(&mut result, policies, req);
        return result;
    }
    let with_principal = layer.kind().has_principal();
    let mut traces: Vec<(&str, PolicyTrace)> = Vec::new();
    for p in policies {
        if let Some(policy) = &p.parsed.policy {
            traces.push((&p.id, evaluate_policy(policy, req, with_principal)));
        }
    }
    let any_deny = traces
        .iter()
        .any(|(_, t)| t.decision == PolicyDecision::Deny);
    let any_allow = traces.iter().any(|(_, t)| t.allowing().next().is_some());
    result.decision = if any_deny {
        LayerDecision::ExplicitDeny
    } else if any_allow {
        LayerDecision::Allow
    } else {
        LayerDecision::ImplicitDeny
    };
    for (id, t) in &traces {
        let deciding: Vec<&StatementTrace> = match result.decision {
            LayerDecision::ExplicitDeny => t.denying().collect(),
            LayerDecision::Allow => t.allowing().collect(),
            _ => Vec::new(),
        };
        result.deciding_statements.extend(refs(id, &deciding));
        for s in &t.statements {
            for k in s.missing_keys() {
                push_unique(&mut result.missing_context, k);
            }
        }
        if with_principal && result.decision == LayerDecision::Allow {
            result.grant = result.grant.max(t.best_grant());
        }
    }
    result.policies = traces
        .into_iter()
        .map(|(id, t)| PolicyResult {
            policy: id.to_string(),
            decision: t.decision,
            statements: t.statements,
        })
        .collect();
    result
}

/// Decides a request against every layer of a policy set, with the full
/// trace of every statement.
///
/// `resource_account`: the account that owns the resource; by default the
/// resource ARN's account, else the caller's.
pub fn authorize(set: &PolicySet, req: &Request, resource_account: Option<&str>) -> Authorization {
    authorize_with(set, req, resource_account, Detail::Full)
}

/// Decides a request without per-statement traces (`layers[].policies` is
/// empty); everything else equals [`authorize`]'s answer.
pub fn decide(set: &PolicySet, req: &Request, resource_account: Option<&str>) -> Authorization {
    authorize_with(set, req, resource_account, Detail::Decision)
}

/// Decides a request, recording as much as `detail` asks.
pub fn authorize_with(
    set: &PolicySet,
    req: &Request,
    resource_account: Option<&str>,
    detail: Detail,
) -> Authorization {
    let p = &req.principal;
    let caller_account = p.account().map(str::to_string);
    let resource_account = resource_account
        .map(str::to_string)
        .or_else(|| {
            crate::arn::Arn::parse(&req.resource)
                .map(|a| a.account.to_string())
                .filter(|a| !a.is_empty())
        })
        .or_else(|| caller_account.clone());
    let cross_account =
        matches!((&caller_account, &resource_account), (Some(c), Some(r)) if c != r);
    let is_root = matches!(p, Principal::Root { .. });

    // Which layers apply to this caller.
    let identity_na = if !p.is_iam_identity() {
        Some(NotApplicable::NoIamIdentity)
    } else if is_root {
        Some(NotApplicable::RootUser)
    } else {
        None
    };
    let session_na = identity_na.or((!p.is_session()).then_some(NotApplicable::NotASession));
    let scp_na = if p.is_service_linked_role() {
        Some(NotApplicable::ServiceLinkedRole)
    } else if !p.is_iam_identity() {
        Some(NotApplicable::NotAnAccountPrincipal)
    } else {
        None
    };
    let rcp_na = if p.is_service_linked_role() {
        Some(NotApplicable::ServiceLinkedRole)
    } else if matches!(p, Principal::Service { .. }) {
        Some(NotApplicable::ServicePrincipal)
    } else {
        None
    };

    let mut layers: Vec<LayerResult> = Vec::new();
    let identity: Vec<&CompiledPolicy> = set.identity.iter().collect();
    layers.push(evaluate_layer(
        Layer::Identity,
        &identity,
        req,
        identity_na,
        detail,
    ));
    if let Some(r) = &set.resource {
        layers.push(evaluate_layer(Layer::Resource, &[r], req, None, detail));
    }
    if let Some(b) = &set.permissions_boundary {
        layers.push(evaluate_layer(
            Layer::PermissionsBoundary,
            &[b],
            req,
            identity_na,
            detail,
        ));
    }
    if let Some(s) = &set.session {
        layers.push(evaluate_layer(
            Layer::Session,
            &[s],
            req,
            session_na,
            detail,
        ));
    }
    for (level, ps) in set.scps.iter().enumerate() {
        let ps: Vec<&CompiledPolicy> = ps.iter().collect();
        layers.push(evaluate_layer(
            Layer::Scp { level },
            &ps,
            req,
            scp_na,
            detail,
        ));
    }
    for (level, ps) in set.rcps.iter().enumerate() {
        let ps: Vec<&CompiledPolicy> = ps.iter().collect();
        layers.push(evaluate_layer(
            Layer::Rcp { level },
            &ps,
            req,
            rcp_na,
            detail,
        ));
    }
    if !set.vpc_endpoint.is_empty() {
        let ps: Vec<&CompiledPolicy> = set.vpc_endpoint.iter().collect();
        layers.push(evaluate_layer(Layer::VpcEndpoint, &ps, req, None, detail));
    }

    let mut missing_context = Vec::new();
    for l in &layers {
        for k in &l.missing_context {
            push_unique(&mut missing_context, k);
        }
    }
    let find = |pred: &dyn Fn(&Layer) -> bool| layers.iter().find(|l| pred(&l.kind));
    let decision_of = |pred: &dyn Fn(&Layer) -> bool| find(pred).map(|l| l.decision);

    let mut auth = Authorization {
        decision: Decision::ImplicitDeny,
        rule: DecisionRule::NoAllow,
        deciding_statements: Vec::new(),
        missing_context,
        blocked_by: None,
        cross_account,
        caller_account,
        resource_account,
        layers: Vec::new(),
    };

    // 1. Explicit deny anywhere.
    let denying: Vec<&LayerResult> = layers
        .iter()
        .filter(|l| l.decision == LayerDecision::ExplicitDeny)
        .collect();
    if !denying.is_empty() {
        auth.decision = Decision::ExplicitDeny;
        auth.rule = DecisionRule::ExplicitDeny {
            layers: denying.iter().map(|l| l.layer.clone()).collect(),
        };
        auth.deciding_statements = denying
            .iter()
            .flat_map(|l| l.deciding_statements.clone())
            .collect();
        auth.layers = layers;
        return auth;
    }

    // 2–4. Guardrails: each RCP level, each SCP level, the VPC endpoint.
    let guard_block = layers.iter().find(|l| {
        matches!(
            l.kind,
            Layer::Rcp { .. } | Layer::Scp { .. } | Layer::VpcEndpoint
        ) && l.decision == LayerDecision::ImplicitDeny
    });
    // RCPs are checked before SCPs, as in AWS's flow chart.
    let guard_block = layers
        .iter()
        .find(|l| matches!(l.kind, Layer::Rcp { .. }) && l.decision == LayerDecision::ImplicitDeny)
        .or(guard_block);
    if let Some(l) = guard_block {
        auth.blocked_by = Some(l.layer.clone());
        auth.rule = DecisionRule::GuardrailNoAllow {
            layer: l.layer.clone(),
        };
        auth.layers = layers;
        return auth;
    }

    let resource_grant = find(&|k| *k == Layer::Resource)
        .filter(|l| l.decision == LayerDecision::Allow)
        .and_then(|l| l.grant);
    let identity_allows =
        is_root || decision_of(&|k| *k == Layer::Identity) == Some(LayerDecision::Allow);
    let limit_block = |auth_layers: &[LayerResult]| -> Option<String> {
        auth_layers
            .iter()
            .find(|l| {
                matches!(l.kind, Layer::PermissionsBoundary | Layer::Session)
                    && l.decision == LayerDecision::ImplicitDeny
            })
            .map(|l| l.layer.clone())
    };
    let limit = limit_block(&layers);
    let chain_allows = identity_allows && limit.is_none();
    let required = is_resource_policy_required(&req.action);

    let allowed_by: Result<DecisionRule, (DecisionRule, Option<String>)> = if !p.is_iam_identity() {
        if resource_grant.is_some() {
            Ok(DecisionRule::ResourcePolicyGrantsCaller)
        } else {
            Err((
                DecisionRule::OnlyResourcePolicyCanGrant,
                Some("resource".to_string()),
            ))
        }
    } else if cross_account {
        if resource_grant.is_some() && chain_allows {
            Ok(DecisionRule::CrossAccountBothAllow)
        } else {
            let blocked = if resource_grant.is_none() {
                "resource".to_string()
            } else {
                limit.clone().unwrap_or_else(|| "identity".to_string())
            };
            Err((
                DecisionRule::CrossAccountMissingAllow {
                    identity_allows: chain_allows,
                    resource_allows: resource_grant.is_some(),
                },
                Some(blocked),
            ))
        }
    } else {
        match (resource_grant, required) {
            (None, Some(service)) => Err((
                DecisionRule::ResourcePolicyRequired {
                    service: service.to_string(),
                },
                Some("resource".to_string()),
            )),
            (Some(GrantKind::Direct), _) => Ok(if is_root {
                DecisionRule::RootUser
            } else {
                DecisionRule::ResourcePolicyGrantsCaller
            }),
            (Some(GrantKind::Role), _) => match &limit {
                None => Ok(DecisionRule::ResourcePolicyGrantsRole),
                Some(l) => Err((
                    DecisionRule::LimitedBy { layer: l.clone() },
                    Some(l.clone()),
                )),
            },
            (Some(GrantKind::Account), _) | (None, None) => {
                if is_root && required.is_none() {
                    Ok(DecisionRule::RootUser)
                } else if chain_allows {
                    Ok(if is_root {
                        DecisionRule::RootUser
                    } else {
                        DecisionRule::IdentityPolicyAllows
                    })
                } else if identity_allows {
                    let l = limit.clone().unwrap_or_default();
                    Err((DecisionRule::LimitedBy { layer: l.clone() }, Some(l)))
                } else {
                    Err((DecisionRule::NoAllow, Some("identity".to_string())))
                }
            }
        }
    };

    match allowed_by {
        Ok(rule) => {
            auth.decision = Decision::Allowed;
            auth.rule = rule;
            auth.deciding_statements = layers
                .iter()
                .filter(|l| l.decision == LayerDecision::Allow)
                .flat_map(|l| l.deciding_statements.clone())
                .collect();
        }
        Err((rule, blocked)) => {
            auth.rule = rule;
            auth.blocked_by = blocked;
        }
    }
    auth.layers = layers;
    auth
}

/// Builds a request from its parts.
pub fn request(
    principal: Principal,
    action: &str,
    resource: &str,
    context: RequestContext,
) -> Request {
    Request {
        principal,
        action: action.to_string(),
        resource: resource.to_string(),
        context,
    }
}
