//! AWS's evaluation logic across policy layers (IAM User Guide: "Policy
//! evaluation logic", "Cross-account policy evaluation logic"):
//!
//! 1. An explicit `Deny` in any applicable policy wins.
//! 2. Resource control policies: every level of the organization (root
//!    first) must allow; `RCPFullAWSAccess` is attached to every level and
//!    cannot be detached, so in practice only their Deny statements bite.
//!    They govern the resource's account, for the services the Organizations
//!    guide lists, and only requests that name a resource; every caller is
//!    restricted (AWS service principals too) except service-linked roles.
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

use crate::ast::policy::{Effect, Statement};
use crate::ast::scenario::PolicySource;
use crate::eval::condition::RequestCache;
use crate::eval::principal::GrantKind;
use crate::eval::statement::{
    quick_policy, record_policy, Matching, PolicyDecision, StatementTrace,
};
use crate::eval::trace::{PolicyRecord, StatementRecord, Trace};
use crate::layer::{Layer, LayerMap, PolicyId};
use crate::parse::diagnostic::{Diagnostic, DiagnosticCode};
use crate::parse::policy::{parse_policy_as, ParsedPolicy};
use crate::request::{Principal, Request};
use crate::span::Span;
use serde::Serialize;

pub use crate::ast::Decision;

/// One policy, parsed once and evaluated against many requests.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// `identity/0`, `resource`, `scps/1/0`, …
    pub id: PolicyId,
    /// For an AWS managed policy: its name.
    pub managed: Option<String>,
    pub text: String,
    pub parsed: ParsedPolicy,
}

impl CompiledPolicy {
    pub fn new(id: PolicyId, text: String) -> CompiledPolicy {
        let parsed = parse_policy_as(&text, id.kind());
        CompiledPolicy {
            id,
            managed: None,
            text,
            parsed,
        }
    }

    /// Compiles a scenario's policy; an unresolved managed policy reference
    /// cannot be evaluated (a front end resolves it first).
    pub fn from_source(id: PolicyId, source: &PolicySource) -> CompiledPolicy {
        match source {
            PolicySource::Managed(m) if m.resolved.is_none() => CompiledPolicy {
                id,
                managed: Some(m.managed.clone()),
                text: String::new(),
                parsed: ParsedPolicy {
                    policy: None,
                    diagnostics: vec![Diagnostic::error(
                        DiagnosticCode::UnknownManagedPolicy,
                        m.span.unwrap_or_default(),
                        format!("the AWS managed policy \"{}\" is not loaded", m.managed),
                        "resolve managed policies before evaluating (the command line, the npm package and the playground do it from their bundled copy)",
                    )],
                },
            },
            _ => CompiledPolicy {
                managed: source.managed_name().map(str::to_string),
                ..CompiledPolicy::new(id, source.text())
            },
        }
    }

    pub fn layer(&self) -> Layer {
        self.id.layer()
    }
}

/// Every policy of a situation, grouped by layer.
pub type PolicySet = LayerMap<CompiledPolicy>;

/// A policy's errors, for refusing to evaluate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyErrors<'a> {
    pub policy: PolicyId,
    pub diagnostics: Vec<&'a Diagnostic>,
}

/// Policies AWS would refuse to store (so no request is evaluated).
pub fn rejected_policies(set: &PolicySet) -> Vec<PolicyErrors<'_>> {
    set.values()
        .filter(|p| p.parsed.has_errors())
        .map(|p| PolicyErrors {
            policy: p.id,
            diagnostics: p.parsed.errors().collect(),
        })
        .collect()
}

pub(crate) fn as_text<S: serde::Serializer>(l: &Layer, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(l)
}

fn layers_as_text<S: serde::Serializer>(ls: &[Layer], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ls.iter().map(Layer::to_string))
}

pub(crate) fn opt_layer_as_text<S: serde::Serializer>(
    l: &Option<Layer>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match l {
        Some(l) => s.collect_str(l),
        None => s.serialize_none(),
    }
}

/// A statement that decided the outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementRef {
    pub policy: PolicyId,
    /// For a statement of an AWS managed policy: the policy's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed: Option<String>,
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
    /// RCPs apply only to the services the Organizations guide lists.
    ServiceNotGovernedByRcps,
    /// RCPs apply to the resource a request authorizes; this one names none
    /// (`*`).
    NoResource,
    /// "RCPs do not impact the kms:RetireGrant permission."
    RetireGrant,
}

/// The services whose actions RCPs apply to: AWS Organizations User Guide,
/// "Resource control policies (RCPs)", "List of AWS services that support
/// RCPs" (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html>).
pub const RCP_SERVICES: [&str; 62] = [
    "aoss",
    "appconfig",
    "appstream",
    "autoscaling",
    "autoscaling-plans",
    "budgets",
    "clouddirectory",
    "cloudfront",
    "cloudsearch",
    "cloudtrail-data",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codepipeline",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "comprehendmedical",
    "compute-optimizer",
    "cost-optimization-hub",
    "dax",
    "dsql",
    "dynamodb",
    "ecr",
    "ecr-public",
    "events",
    "firehose",
    "fis",
    "fms",
    "gamelift",
    "health",
    "inspector-scan",
    "kendra",
    "kinesisvideo",
    "kms",
    "logs",
    "memorydb",
    "networkmonitor",
    "notifications",
    "opensearch",
    "pca-connector-ad",
    "personalize",
    "polly",
    "pricing",
    "resource-groups",
    "rolesanywhere",
    "s3",
    "secretsmanager",
    "servicediscovery",
    "signin",
    "sqs",
    "sts",
    "support",
    "swf",
    "textract",
    "timestream-influxdb",
    "transcribe",
    "transfer",
    "translate",
    "wafv2",
    "workspaces",
    "xray",
];

/// Something the engine noticed about the request, for the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum Note {
    /// The caller was given as a role ARN: roles call AWS only through their
    /// sessions, so the request is read as one of its sessions.
    RoleArnCaller { role: String },
    /// `aws:SourceIp` holds a private address, which AWS never puts there.
    PrivateSourceIp { ip: String },
    /// An action that needs no permission (`sts:GetCallerIdentity`).
    NoPermissionRequired { action: String },
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
    pub policy: PolicyId,
    /// For an AWS managed policy: its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed: Option<String>,
    pub decision: PolicyDecision,
    pub statements: Vec<StatementTrace>,
}

/// A layer's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerResult {
    /// `identity`, `resource`, `scps/0`, …
    #[serde(serialize_with = "as_text")]
    pub layer: Layer,
    /// The same layer, as an object (`{"type": "scp", "level": 0}`).
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
    /// An RCP level allows through `RCPFullAWSAccess`, which AWS attaches to
    /// every level and which cannot be detached.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub implicit_full_access: bool,
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
    ExplicitDeny {
        #[serde(serialize_with = "layers_as_text")]
        layers: Vec<Layer>,
    },
    /// A guardrail layer (RCP or SCP level, VPC endpoint) has no applicable Allow.
    GuardrailNoAllow {
        #[serde(serialize_with = "as_text")]
        layer: Layer,
    },
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
    LimitedBy {
        #[serde(serialize_with = "as_text")]
        layer: Layer,
    },
    /// No applicable policy allows.
    NoAllow,
    /// The action needs no permission and cannot be denied
    /// (`sts:GetCallerIdentity`).
    NoPermissionRequired,
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
    #[serde(serialize_with = "opt_layer_as_text")]
    pub blocked_by: Option<Layer>,
    pub cross_account: bool,
    pub caller_account: Option<String>,
    pub resource_account: Option<String>,
    pub layers: Vec<LayerResult>,
    /// What the engine noticed about the request (a role ARN as caller, a
    /// private source IP, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Whether the resource-based policy must allow, whatever the identity
/// policies say: KMS key policies for operations on a KMS key (KMS Developer
/// Guide: "Without permission from the key policy, IAM policies that allow
/// permissions have no effect"; alias operations' alias half and `*`
/// operations such as CreateKey or ListKeys are IAM-policy only), and role
/// trust policies for `sts:AssumeRole*`.
fn is_resource_policy_required(action: &str, resource: &str) -> Option<&'static str> {
    if starts_with_ignore_case(action, "kms:") {
        let key = crate::pattern::Arn::parse(resource)
            .is_some_and(|r| r.service == "kms" && r.resource.starts_with("key/"));
        key.then_some("kms")
    } else if starts_with_ignore_case(action, "sts:assumerole") {
        Some("sts")
    } else {
        None
    }
}

/// `text` starts with `prefix` (lower case), ignoring ASCII case.
fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether RCPs apply to a service ([`RCP_SERVICES`], sorted: a binary
/// search, ignoring ASCII case, with no lower-cased copy).
fn is_rcp_service(service: &str) -> bool {
    RCP_SERVICES
        .binary_search_by(|s| {
            s.bytes()
                .cmp(service.bytes().map(|b| b.to_ascii_lowercase()))
        })
        .is_ok()
}

/// The action's service prefix.
fn service_of(action: &str) -> &str {
    action.split_once(':').map(|(s, _)| s).unwrap_or(action)
}

/// Private, loopback and link-local addresses: never an `aws:SourceIp`.
fn is_private_ip(ip: &std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback() || (v6.segments().first().is_some_and(|s| s & 0xfe00 == 0xfc00))
        }
    }
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

fn statement_ref(policy: &CompiledPolicy, st: &Statement) -> StatementRef {
    StatementRef {
        policy: policy.id,
        managed: policy.managed.clone(),
        statement: st.index,
        sid: st.sid.as_ref().map(|s| String::from(s.value.as_str())),
        line: st.anchor.line,
        column: st.anchor.column,
        span: st.span,
    }
}

/// The fast form of [`evaluate_layer`]: same verdicts, no traces.
fn quick_layer(
    result: &mut LayerResult,
    policies: &[&CompiledPolicy],
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
) {
    let with_principal = how.with_principal;
    let mut denies = Vec::new();
    let mut allows = Vec::new();
    for p in policies {
        if let Some(policy) = &p.parsed.policy {
            let applying = quick_policy(policy, req, how, &mut result.missing_context, cache);
            for a in applying {
                match a.statement.effect.as_ref().map(|e| e.value) {
                    Some(Effect::Deny) => denies.push(statement_ref(p, a.statement)),
                    Some(Effect::Allow) => {
                        allows.push(statement_ref(p, a.statement));
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
    implicit_full_access(result);
}

/// An RCP level with no Deny that applies allows through RCPFullAWSAccess
/// (AWS Organizations: "This policy is automatically attached to the
/// organization root, every OU, and every account in your organization ...
/// You cannot detach this policy.").
fn implicit_full_access(result: &mut LayerResult) {
    if matches!(result.kind, Layer::Rcp { .. }) && result.decision == LayerDecision::ImplicitDeny {
        result.decision = LayerDecision::Allow;
        result.implicit_full_access = true;
    }
}

/// Evaluates the policies of one layer. Policies whose text could not be
/// parsed take no part. With a `trace`, every statement is recorded into it
/// (the layer being `layers[index]`); without, the fast path decides.
#[allow(clippy::too_many_arguments)]
fn evaluate_layer(
    layer: Layer,
    index: usize,
    policies: &[&CompiledPolicy],
    req: &Request,
    not_applicable: Option<NotApplicable>,
    trace: Option<&mut Trace>,
    caller_has_boundary: bool,
    cache: &mut RequestCache,
) -> LayerResult {
    let how = Matching {
        with_principal: layer.kind().has_principal(),
        caller_has_boundary,
    };
    let mut result = LayerResult {
        layer,
        kind: layer,
        decision: LayerDecision::NotApplicable,
        not_applicable,
        grant: None,
        deciding_statements: Vec::new(),
        missing_context: Vec::new(),
        policies: Vec::new(),
        implicit_full_access: false,
    };
    if not_applicable.is_some() {
        return result;
    }
    let Some(trace) = trace else {
        quick_layer(&mut result, policies, req, how, cache);
        return result;
    };
    let with_principal = how.with_principal;
    let first = trace.policies.len();
    for p in policies {
        if let Some(policy) = &p.parsed.policy {
            let (statements, decision) = record_policy(policy, req, how, cache, &mut trace.records);
            trace.policies.push(PolicyRecord {
                layer: index,
                policy: p.id,
                statements,
                decision,
            });
        }
    }
    let recorded = trace.policies.get(first..).unwrap_or_default();
    let records = &trace.records;
    let statements = |r: &PolicyRecord| r.statements.of(&records.statements);
    let any_deny = recorded.iter().any(|r| r.decision == PolicyDecision::Deny);
    let any_allow = recorded
        .iter()
        .any(|r| statements(r).iter().any(StatementRecord::allows));
    result.decision = if any_deny {
        LayerDecision::ExplicitDeny
    } else if any_allow {
        LayerDecision::Allow
    } else {
        LayerDecision::ImplicitDeny
    };
    let compiled = policies.iter().filter(|p| p.parsed.policy.is_some());
    for (p, r) in compiled.zip(recorded) {
        let Some(policy) = &p.parsed.policy else {
            continue;
        };
        let pairs = || policy.statements.iter().zip(statements(r));
        match result.decision {
            LayerDecision::ExplicitDeny => result.deciding_statements.extend(
                pairs()
                    .filter(|(_, s)| s.denies())
                    .map(|(st, _)| statement_ref(p, st)),
            ),
            LayerDecision::Allow => result.deciding_statements.extend(
                pairs()
                    .filter(|(_, s)| s.allows())
                    .map(|(st, _)| statement_ref(p, st)),
            ),
            _ => {}
        }
        for (st, s) in pairs().filter(|(_, s)| s.scope_matched) {
            for (c, cr) in st
                .conditions
                .iter()
                .zip(s.conditions.of(&records.conditions))
            {
                if cr.key_missing() {
                    push_unique(&mut result.missing_context, &c.key);
                }
            }
        }
        if with_principal && result.decision == LayerDecision::Allow {
            let best = statements(r)
                .iter()
                .filter(|s| s.allows())
                .map(|s| s.grant.unwrap_or(GrantKind::Direct))
                .max();
            result.grant = result.grant.max(best);
        }
    }
    implicit_full_access(&mut result);
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

/// Who is calling and which layers apply to them.
struct Caller<'r> {
    account: Option<&'r str>,
    resource_account: Option<&'r str>,
    cross_account: bool,
    is_root: bool,
    identity_na: Option<NotApplicable>,
    session_na: Option<NotApplicable>,
    scp_na: Option<NotApplicable>,
    rcp_na: Option<NotApplicable>,
    /// An IAM user or role session whose permissions boundary is given.
    has_boundary: bool,
}

impl<'r> Caller<'r> {
    fn new(set: &PolicySet, req: &'r Request, resource_account: Option<&'r str>) -> Caller<'r> {
        let p = &req.principal;
        let account = p.account();
        let resource_account = resource_account
            .or_else(|| {
                crate::pattern::Arn::parse(&req.resource)
                    .map(|a| a.account)
                    .filter(|a| !a.is_empty())
            })
            .or(account);
        let cross_account = matches!((&account, &resource_account), (Some(c), Some(r)) if c != r);
        let is_root = matches!(p, Principal::Root { .. });
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
        let service = service_of(&req.action);
        let rcp_na = if p.is_service_linked_role() {
            Some(NotApplicable::ServiceLinkedRole)
        } else if !is_rcp_service(service) {
            Some(NotApplicable::ServiceNotGovernedByRcps)
        } else if req.resource == "*" {
            Some(NotApplicable::NoResource)
        } else if req.action.eq_ignore_ascii_case("kms:RetireGrant") {
            Some(NotApplicable::RetireGrant)
        } else {
            None
        };
        Caller {
            account,
            resource_account,
            cross_account,
            is_root,
            identity_na,
            session_na,
            scp_na,
            rcp_na,
            has_boundary: set.permissions_boundary.is_some() && identity_na.is_none(),
        }
    }
}

/// Evaluates every layer the policy set has, in the order results list them,
/// recording every statement into `trace` when given.
fn evaluate_layers(
    set: &PolicySet,
    req: &Request,
    who: &Caller<'_>,
    mut trace: Option<&mut Trace>,
    cache: &mut RequestCache,
) -> Vec<LayerResult> {
    if let Some(t) = trace.as_deref_mut() {
        t.caller_has_boundary = who.has_boundary;
    }
    set.layers()
        .into_iter()
        .enumerate()
        .map(|(index, (layer, policies))| {
            let na = match layer {
                Layer::Identity | Layer::PermissionsBoundary => who.identity_na,
                Layer::Session => who.session_na,
                Layer::Scp { .. } => who.scp_na,
                Layer::Rcp { .. } => who.rcp_na,
                Layer::Resource | Layer::VpcEndpoint => None,
            };
            let policies: Vec<&CompiledPolicy> = policies.into_iter().map(|(_, p)| p).collect();
            evaluate_layer(
                layer,
                index,
                &policies,
                req,
                na,
                trace.as_deref_mut(),
                who.has_boundary,
                cache,
            )
        })
        .collect()
}

/// What the engine notices about the request itself.
fn notes(req: &Request) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Principal::Role { arn, .. } = &req.principal {
        notes.push(Note::RoleArnCaller { role: arn.clone() });
    }
    if let Some(ip) = req.context.single_value("aws:SourceIp") {
        if crate::values::parse_ip(ip).is_some_and(|a| is_private_ip(&a)) {
            notes.push(Note::PrivateSourceIp { ip: ip.to_string() });
        }
    }
    if req.action.eq_ignore_ascii_case("sts:GetCallerIdentity")
        && !matches!(req.principal, Principal::Anonymous)
    {
        notes.push(Note::NoPermissionRequired {
            action: req.action.clone(),
        });
    }
    notes
}

/// Same account, or a caller without identity policies: which rule allows,
/// or which rule denies and the layer that blocked.
type Verdict = Result<DecisionRule, (DecisionRule, Option<Layer>)>;

fn find_layer(layers: &[LayerResult], pred: impl Fn(&Layer) -> bool) -> Option<&LayerResult> {
    layers.iter().find(|l| pred(&l.kind))
}

/// The permissions boundary or session policy that has no Allow, if any.
fn limiting_layer(layers: &[LayerResult], kinds: &[Layer]) -> Option<Layer> {
    layers
        .iter()
        .find(|l| kinds.contains(&l.kind) && l.decision == LayerDecision::ImplicitDeny)
        .map(|l| l.layer)
}

fn grant_verdict(req: &Request, who: &Caller<'_>, layers: &[LayerResult]) -> Verdict {
    let p = &req.principal;
    let resource_grant = find_layer(layers, |k| *k == Layer::Resource)
        .filter(|l| l.decision == LayerDecision::Allow)
        .and_then(|l| l.grant);
    let identity_allows = who.is_root
        || find_layer(layers, |k| *k == Layer::Identity)
            .is_some_and(|l| l.decision == LayerDecision::Allow);
    let limit = limiting_layer(layers, &[Layer::PermissionsBoundary, Layer::Session]);
    let chain_allows = identity_allows && limit.is_none();
    let required = is_resource_policy_required(&req.action, &req.resource);

    if !p.is_iam_identity() {
        return match resource_grant {
            Some(_) => Ok(DecisionRule::ResourcePolicyGrantsCaller),
            None => Err((
                DecisionRule::OnlyResourcePolicyCanGrant,
                Some(Layer::Resource),
            )),
        };
    }
    if who.cross_account {
        return if resource_grant.is_some() && chain_allows {
            Ok(DecisionRule::CrossAccountBothAllow)
        } else {
            let blocked = if resource_grant.is_none() {
                Layer::Resource
            } else {
                limit.unwrap_or(Layer::Identity)
            };
            Err((
                DecisionRule::CrossAccountMissingAllow {
                    identity_allows: chain_allows,
                    resource_allows: resource_grant.is_some(),
                },
                Some(blocked),
            ))
        };
    }
    match (resource_grant, required) {
        (None, Some(service)) => Err((
            DecisionRule::ResourcePolicyRequired {
                service: service.to_string(),
            },
            Some(Layer::Resource),
        )),
        (Some(GrantKind::Direct), Some("sts")) if !who.is_root => {
            // "Update a role trust policy": "If a permissions boundary is set
            // for the user, then it must allow the sts:AssumeRole action."
            match limiting_layer(layers, &[Layer::PermissionsBoundary]) {
                None => Ok(DecisionRule::ResourcePolicyGrantsCaller),
                Some(l) => Err((DecisionRule::LimitedBy { layer: l }, Some(l))),
            }
        }
        (Some(GrantKind::Direct), _) => Ok(if who.is_root {
            DecisionRule::RootUser
        } else {
            DecisionRule::ResourcePolicyGrantsCaller
        }),
        (Some(GrantKind::Role), _) => match limit {
            None => Ok(DecisionRule::ResourcePolicyGrantsRole),
            Some(l) => Err((DecisionRule::LimitedBy { layer: l }, Some(l))),
        },
        (Some(GrantKind::Account), _) | (None, None) => {
            if who.is_root && required.is_none() {
                Ok(DecisionRule::RootUser)
            } else if chain_allows {
                Ok(if who.is_root {
                    DecisionRule::RootUser
                } else {
                    DecisionRule::IdentityPolicyAllows
                })
            } else if identity_allows {
                // identity allows but the chain does not: a limit blocked
                let l = limit.unwrap_or(Layer::PermissionsBoundary);
                Err((DecisionRule::LimitedBy { layer: l }, Some(l)))
            } else {
                Err((DecisionRule::NoAllow, Some(Layer::Identity)))
            }
        }
    }
}

/// Decides a request, recording as much as `detail` asks.
pub fn authorize_with(
    set: &PolicySet,
    req: &Request,
    resource_account: Option<&str>,
    detail: Detail,
) -> Authorization {
    match detail {
        Detail::Decision => decide_in(
            set,
            req,
            resource_account,
            None,
            &mut RequestCache::default(),
        ),
        Detail::Full => {
            let mut trace = Trace::default();
            let mut cache = RequestCache::default();
            let mut auth = decide_in(set, req, resource_account, Some(&mut trace), &mut cache);
            // the trace was recorded against these very policies and request
            let _ = trace.expand_into(set, req, &mut auth.layers, &mut cache);
            auth
        }
    }
}

/// Decides a request with the full trace of every statement recorded
/// compactly (see [`crate::eval::trace`]): the answer equals
/// [`authorize`]'s except that `layers[].policies` is empty until
/// [`Trace::expand`] fills it.
pub fn authorize_traced(
    set: &PolicySet,
    req: &Request,
    resource_account: Option<&str>,
) -> (Authorization, Trace) {
    let mut trace = Trace::default();
    let auth = decide_in(
        set,
        req,
        resource_account,
        Some(&mut trace),
        &mut RequestCache::default(),
    );
    (auth, trace)
}

/// Decides a request, recording every statement into `trace` when given.
fn decide_in(
    set: &PolicySet,
    req: &Request,
    resource_account: Option<&str>,
    trace: Option<&mut Trace>,
    cache: &mut RequestCache,
) -> Authorization {
    let who = Caller::new(set, req, resource_account);
    let layers = evaluate_layers(set, req, &who, trace, cache);
    let mut missing_context = Vec::new();
    for l in &layers {
        for k in &l.missing_context {
            push_unique(&mut missing_context, k);
        }
    }
    let mut auth = Authorization {
        decision: Decision::ImplicitDeny,
        rule: DecisionRule::NoAllow,
        deciding_statements: Vec::new(),
        missing_context,
        blocked_by: None,
        cross_account: who.cross_account,
        caller_account: who.account.map(str::to_string),
        resource_account: who.resource_account.map(str::to_string),
        layers: Vec::new(),
        notes: notes(req),
    };

    // sts:GetCallerIdentity: "No permissions are required to perform this
    // operation. If an administrator attaches a policy to your identity that
    // explicitly denies access to the sts:GetCallerIdentity action, you can
    // still perform this operation." (STS API Reference)
    // A signed-in caller only: an anonymous request has no credentials to
    // describe, and STS answers it with an authentication error.
    if req.action.eq_ignore_ascii_case("sts:GetCallerIdentity")
        && !matches!(req.principal, Principal::Anonymous)
    {
        auth.decision = Decision::Allowed;
        auth.rule = DecisionRule::NoPermissionRequired;
        auth.layers = layers;
        return auth;
    }

    // 1. Explicit deny anywhere.
    let denying: Vec<&LayerResult> = layers
        .iter()
        .filter(|l| l.decision == LayerDecision::ExplicitDeny)
        .collect();
    if !denying.is_empty() {
        auth.decision = Decision::ExplicitDeny;
        auth.rule = DecisionRule::ExplicitDeny {
            layers: denying.iter().map(|l| l.layer).collect(),
        };
        auth.deciding_statements = denying
            .iter()
            .flat_map(|l| l.deciding_statements.clone())
            .collect();
        auth.layers = layers;
        return auth;
    }

    // 2–4. Guardrails: each RCP level (checked first, as in AWS's flow
    // chart), each SCP level, the VPC endpoint.
    let blocks = |l: &&LayerResult, rcp: bool| {
        l.decision == LayerDecision::ImplicitDeny
            && match l.kind {
                Layer::Rcp { .. } => rcp,
                Layer::Scp { .. } | Layer::VpcEndpoint => !rcp,
                _ => false,
            }
    };
    let guard_block = layers
        .iter()
        .find(|l| blocks(l, true))
        .or_else(|| layers.iter().find(|l| blocks(l, false)));
    if let Some(l) = guard_block {
        auth.blocked_by = Some(l.layer);
        auth.rule = DecisionRule::GuardrailNoAllow { layer: l.layer };
        auth.layers = layers;
        return auth;
    }

    match grant_verdict(req, &who, &layers) {
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
