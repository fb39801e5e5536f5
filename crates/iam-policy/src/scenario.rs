//! Scenario files: the interchange format of the playground, the command line
//! and the tests (see `shared/spec/scenario-format.md`). Field names are a
//! contract; unknown fields are errors with positions.

use crate::authorize::{authorize_with, Authorization, CompiledPolicy, Decision, Layer, PolicySet};
use crate::context::RequestContext;
use crate::diagnostic::{did_you_mean, Diagnostic, DiagnosticCode as C};
use crate::eval::Request;
use crate::json::{self, JsonKind, JsonMember, JsonValue};
use crate::principal::Principal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A policy as a scenario holds it: its text exactly as written, or a JSON
/// object (whose positions refer to its canonical pretty-printed form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PolicySource {
    Text(String),
    Object(serde_json::Value),
}

impl PolicySource {
    /// The text positions refer to.
    pub fn text(&self) -> String {
        match self {
            PolicySource::Text(t) => t.clone(),
            PolicySource::Object(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioPolicies {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<PolicySource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<PolicySource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<PolicySource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<PolicySource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Vec<PolicySource>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Vec<PolicySource>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_endpoint: Vec<PolicySource>,
}

/// One request to simulate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// Key → string, number, boolean, or an array of them (multivalued).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub context: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Decision>,
}

/// A whole scenario file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub policies: ScenarioPolicies,
    #[serde(default)]
    pub requests: Vec<RequestSpec>,
}

/// The newest format version this engine reads.
pub const FORMAT_VERSION: u64 = 1;

/// A policy AWS would refuse to store, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedPolicy {
    /// `identity/0`, `resource`, …
    pub policy: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a request could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestError {
    pub message: String,
    /// Policies AWS would refuse to store: their layers are not evaluated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedPolicy>,
}

impl RequestError {
    fn new(message: impl Into<String>) -> RequestError {
        RequestError {
            message: message.into(),
            rejected: Vec::new(),
        }
    }
}

impl Scenario {
    /// Reads a scenario file, reporting every problem with its position.
    pub fn from_json(text: &str) -> Result<Scenario, Vec<Diagnostic>> {
        let root = json::parse(text)
            .map_err(|e| vec![Diagnostic::error(C::InvalidJson, e.span, e.message, e.hint)])?;
        let mut r = Reader { diags: Vec::new() };
        let s = r.scenario(&root);
        if r.diags.iter().any(Diagnostic::is_error) {
            Err(r.diags)
        } else {
            s.ok_or(r.diags)
        }
    }

    /// Pretty-printed JSON (two-space indent), as the playground downloads it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Parses every policy once, for evaluating many requests.
    pub fn compile(&self) -> PolicySet {
        let p = &self.policies;
        let one =
            |id: String, layer: Layer, s: &PolicySource| CompiledPolicy::new(id, layer, s.text());
        PolicySet {
            identity: p
                .identity
                .iter()
                .enumerate()
                .map(|(i, s)| one(format!("identity/{i}"), Layer::Identity, s))
                .collect(),
            resource: p
                .resource
                .as_ref()
                .map(|s| one("resource".into(), Layer::Resource, s)),
            permissions_boundary: p
                .permissions_boundary
                .as_ref()
                .map(|s| one("permissionsBoundary".into(), Layer::PermissionsBoundary, s)),
            session: p
                .session
                .as_ref()
                .map(|s| one("session".into(), Layer::Session, s)),
            scps: p
                .scps
                .iter()
                .enumerate()
                .map(|(l, ps)| {
                    ps.iter()
                        .enumerate()
                        .map(|(i, s)| one(format!("scps/{l}/{i}"), Layer::Scp { level: l }, s))
                        .collect()
                })
                .collect(),
            rcps: p
                .rcps
                .iter()
                .enumerate()
                .map(|(l, ps)| {
                    ps.iter()
                        .enumerate()
                        .map(|(i, s)| one(format!("rcps/{l}/{i}"), Layer::Rcp { level: l }, s))
                        .collect()
                })
                .collect(),
            vpc_endpoint: p
                .vpc_endpoint
                .iter()
                .enumerate()
                .map(|(i, s)| one(format!("vpcEndpoint/{i}"), Layer::VpcEndpoint, s))
                .collect(),
        }
    }
}

impl RequestSpec {
    /// Turns the request into the engine's form.
    pub fn to_request(&self) -> Result<Request, RequestError> {
        let principal = Principal::parse(&self.principal)
            .map_err(|e| RequestError::new(format!("principal: {} ({})", e.message, e.hint)))?;
        let action = self.action.trim();
        if action.is_empty() || (!action.contains(':')) {
            return Err(RequestError::new(format!(
                "action \"{}\" is not service:ActionName, for example imagebuilder:GetComponent",
                self.action
            )));
        }
        if self.resource.trim().is_empty() {
            return Err(RequestError::new(
                "resource is empty: give an ARN, or \"*\"",
            ));
        }
        Ok(Request {
            principal,
            action: action.to_string(),
            resource: self.resource.trim().to_string(),
            context: context_from_json(&self.context)?,
        })
    }

    /// Evaluates this request against compiled policies, with full traces.
    pub fn evaluate(&self, set: &PolicySet) -> Result<Authorization, RequestError> {
        self.evaluate_with(set, crate::authorize::Detail::Full)
    }

    /// Evaluates this request, recording as much as `detail` asks.
    pub fn evaluate_with(
        &self,
        set: &PolicySet,
        detail: crate::authorize::Detail,
    ) -> Result<Authorization, RequestError> {
        let errors = set.errors();
        if !errors.is_empty() {
            let rejected: Vec<RejectedPolicy> = errors
                .iter()
                .map(|e| RejectedPolicy {
                    policy: e.policy.to_string(),
                    diagnostics: e.diagnostics.iter().map(|d| (*d).clone()).collect(),
                })
                .collect();
            let total: usize = rejected.iter().map(|r| r.diagnostics.len()).sum();
            let names: Vec<&str> = rejected.iter().map(|r| r.policy.as_str()).collect();
            let first = rejected
                .iter()
                .flat_map(|r| r.diagnostics.first())
                .next()
                .map(|d| {
                    format!(
                        ": line {}, column {}: {}",
                        d.span.start.line, d.span.start.column, d.message
                    )
                })
                .unwrap_or_default();
            return Err(RequestError {
                message: format!(
                    "AWS would refuse to store policy {} ({total} problem{}), so the request is not evaluated{first}",
                    names.join(", "),
                    if total == 1 { "" } else { "s" },
                ),
                rejected,
            });
        }
        let req = self.to_request()?;
        Ok(authorize_with(
            set,
            &req,
            self.resource_account.as_deref(),
            detail,
        ))
    }
}

/// Converts JSON context values: scalars are single values, arrays are
/// multivalued keys, null means the key is absent.
pub fn context_from_json(
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<RequestContext, RequestError> {
    let mut ctx = RequestContext::new();
    for (k, v) in map {
        let scalar = |v: &serde_json::Value| -> Option<String> {
            match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        };
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                let mut vals = Vec::with_capacity(items.len());
                for it in items {
                    vals.push(scalar(it).ok_or_else(|| {
                        RequestError::new(format!(
                            "context key {k}: array elements must be strings, numbers or booleans"
                        ))
                    })?);
                }
                ctx.insert(k, vals, true);
            }
            other => match scalar(other) {
                Some(s) => ctx.insert(k, vec![s], false),
                None => {
                    return Err(RequestError::new(format!(
                        "context key {k}: a value must be a string, number, boolean or array"
                    )))
                }
            },
        }
    }
    Ok(ctx)
}

struct Reader {
    diags: Vec<Diagnostic>,
}

const SCENARIO_FIELDS: [&str; 5] = ["format", "name", "description", "policies", "requests"];
const POLICY_FIELDS: [&str; 7] = [
    "identity",
    "resource",
    "permissionsBoundary",
    "session",
    "scps",
    "rcps",
    "vpcEndpoint",
];
const REQUEST_FIELDS: [&str; 7] = [
    "name",
    "principal",
    "action",
    "resource",
    "resourceAccount",
    "context",
    "expect",
];

impl Reader {
    fn err(
        &mut self,
        span: crate::span::Span,
        code: C,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, span, message, hint));
    }

    /// Checks an object's keys against the known ones; reports unknown and duplicate keys.
    fn fields<'a>(
        &mut self,
        v: &'a JsonValue,
        known: &[&str],
        what: &str,
    ) -> Option<Vec<&'a JsonMember>> {
        let Some(members) = v.as_object() else {
            self.err(
                v.span,
                C::WrongType,
                format!("{what} must be an object, found {}", v.type_name()),
                format!("write {what} as {{ … }}"),
            );
            return None;
        };
        let mut out: Vec<&JsonMember> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for m in members {
            if !seen.insert(m.key.as_str()) {
                self.err(
                    m.key_span,
                    C::DuplicateKey,
                    format!("duplicate field \"{}\" in {what}", m.key),
                    "keep only one",
                );
                continue;
            }
            if !known.contains(&m.key.as_str()) {
                let hint = match did_you_mean(&m.key, known.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"? Field names are camelCase"),
                    None => format!("{what} may hold only {}", known.join(", ")),
                };
                self.err(
                    m.key_span,
                    C::UnknownElement,
                    format!("unknown field \"{}\" in {what}", m.key),
                    hint,
                );
                continue;
            }
            out.push(m);
        }
        Some(out)
    }

    fn string(&mut self, m: &JsonMember) -> Option<String> {
        match m.value.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.err(
                    m.value.span,
                    C::WrongType,
                    format!(
                        "\"{}\" must be a string, found {}",
                        m.key,
                        m.value.type_name()
                    ),
                    "write the value in double quotes",
                );
                None
            }
        }
    }

    fn scenario(&mut self, root: &JsonValue) -> Option<Scenario> {
        let fields = self.fields(root, &SCENARIO_FIELDS, "a scenario")?;
        let mut s = Scenario::default();
        let mut saw_policies = false;
        for m in fields {
            match m.key.as_str() {
                "format" => match &m.value.kind {
                    JsonKind::Number(n) => match n.parse::<u64>() {
                        Ok(v) if (1..=FORMAT_VERSION).contains(&v) => s.format = Some(v),
                        _ => self.err(
                            m.value.span,
                            C::InvalidValue,
                            format!("format {n} is not supported: this version reads format {FORMAT_VERSION}"),
                            format!("write \"format\": {FORMAT_VERSION}, or update the playground"),
                        ),
                    },
                    _ => self.err(
                        m.value.span,
                        C::WrongType,
                        format!("format must be a number, found {}", m.value.type_name()),
                        format!("write \"format\": {FORMAT_VERSION}"),
                    ),
                },
                "name" => s.name = self.string(m),
                "description" => s.description = self.string(m),
                "policies" => {
                    saw_policies = true;
                    s.policies = self.policies(&m.value);
                }
                "requests" => match &m.value.kind {
                    JsonKind::Array(items) => {
                        s.requests = items.iter().enumerate().filter_map(|(i, it)| self.request(it, i)).collect();
                    }
                    _ => self.err(
                        m.value.span,
                        C::WrongType,
                        format!("requests must be an array, found {}", m.value.type_name()),
                        "write \"requests\": [ { \"principal\": …, \"action\": …, \"resource\": … } ]",
                    ),
                },
                _ => {}
            }
        }
        if !saw_policies {
            self.err(
                crate::span::Span::point(root.span.start),
                C::MissingElement,
                "the scenario has no \"policies\"",
                "add \"policies\": { \"identity\": [ … ] }",
            );
        }
        Some(s)
    }

    fn policy_source(&mut self, v: &JsonValue, what: &str) -> Option<PolicySource> {
        match &v.kind {
            JsonKind::String(s) => Some(PolicySource::Text(s.clone())),
            JsonKind::Object(_) => Some(PolicySource::Object(v.to_serde())),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!("{what} must be a policy object or a string holding the policy text, found {}", v.type_name()),
                    "write the policy document itself, or its text as a JSON string",
                );
                None
            }
        }
    }

    fn policy_list(&mut self, v: &JsonValue, what: &str) -> Vec<PolicySource> {
        match &v.kind {
            JsonKind::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, it)| self.policy_source(it, &format!("{what}[{i}]")))
                .collect(),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!(
                        "{what} must be an array of policies, found {}",
                        v.type_name()
                    ),
                    format!("write \"{what}\": [ {{ … }} ]"),
                );
                Vec::new()
            }
        }
    }

    fn levels(&mut self, v: &JsonValue, what: &str) -> Vec<Vec<PolicySource>> {
        match &v.kind {
            JsonKind::Array(levels) => levels
                .iter()
                .enumerate()
                .map(|(l, lv)| {
                    if matches!(lv.kind, JsonKind::Object(_) | JsonKind::String(_)) {
                        self.err(
                            lv.span,
                            C::WrongType,
                            format!("{what}[{l}] must be an array: one array of policies per organization level"),
                            format!("write \"{what}\": [ [ {{ …root policy… }} ], [ {{ …OU policy… }} ] ]"),
                        );
                        Vec::new()
                    } else {
                        self.policy_list(lv, &format!("{what}[{l}]"))
                    }
                })
                .collect(),
            _ => {
                self.err(
                    v.span,
                    C::WrongType,
                    format!("{what} must be an array of levels, found {}", v.type_name()),
                    format!("write \"{what}\": [ [ {{ … }} ] ]"),
                );
                Vec::new()
            }
        }
    }

    fn optional_policy(&mut self, v: &JsonValue, what: &str) -> Option<PolicySource> {
        if v.kind == JsonKind::Null {
            None
        } else {
            self.policy_source(v, what)
        }
    }

    fn policies(&mut self, v: &JsonValue) -> ScenarioPolicies {
        let mut p = ScenarioPolicies::default();
        let Some(fields) = self.fields(v, &POLICY_FIELDS, "\"policies\"") else {
            return p;
        };
        for m in fields {
            match m.key.as_str() {
                "identity" => p.identity = self.policy_list(&m.value, "identity"),
                "resource" => p.resource = self.optional_policy(&m.value, "resource"),
                "permissionsBoundary" => {
                    p.permissions_boundary = self.optional_policy(&m.value, "permissionsBoundary")
                }
                "session" => p.session = self.optional_policy(&m.value, "session"),
                "scps" => p.scps = self.levels(&m.value, "scps"),
                "rcps" => p.rcps = self.levels(&m.value, "rcps"),
                "vpcEndpoint" => p.vpc_endpoint = self.policy_list(&m.value, "vpcEndpoint"),
                _ => {}
            }
        }
        p
    }

    fn request(&mut self, v: &JsonValue, index: usize) -> Option<RequestSpec> {
        let what = format!("request {index}");
        let fields = self.fields(v, &REQUEST_FIELDS, &what)?;
        let mut r = RequestSpec::default();
        let (mut has_p, mut has_a, mut has_r) = (false, false, false);
        for m in fields {
            match m.key.as_str() {
                "name" => r.name = self.string(m),
                "principal" => {
                    has_p = true;
                    if let Some(s) = self.string(m) {
                        if let Err(e) = Principal::parse(&s) {
                            self.err(m.value.span, C::InvalidPrincipal, e.message, e.hint);
                        }
                        r.principal = s;
                    }
                }
                "action" => {
                    has_a = true;
                    if let Some(s) = self.string(m) {
                        if !s.contains(':') {
                            self.err(
                                m.value.span,
                                C::MalformedAction,
                                format!("action \"{s}\" is not service:ActionName"),
                                "write the action as service:ActionName, for example imagebuilder:GetComponent",
                            );
                        }
                        r.action = s;
                    }
                }
                "resource" => {
                    has_r = true;
                    if let Some(s) = self.string(m) {
                        r.resource = s;
                    }
                }
                "resourceAccount" => {
                    if let Some(s) = self.string(m) {
                        if !crate::principal::is_account_id(&s) {
                            self.err(
                                m.value.span,
                                C::InvalidValue,
                                format!("resourceAccount \"{s}\" is not a 12-digit account ID"),
                                "write the account ID, for example \"111122223333\"",
                            );
                        }
                        r.resource_account = Some(s);
                    }
                }
                "context" => self.context(&m.value, &mut r),
                "expect" => match m.value.as_str().and_then(Decision::parse) {
                    Some(d) => r.expect = Some(d),
                    None => self.err(
                        m.value.span,
                        C::InvalidValue,
                        "expect must be \"allowed\", \"explicitDeny\" or \"implicitDeny\""
                            .to_string(),
                        "use one of the decision names of AWS's policy simulator",
                    ),
                },
                _ => {}
            }
        }
        for (has, field, example) in [
            (
                has_p,
                "principal",
                "\"arn:aws:iam::111122223333:user/alice\"",
            ),
            (has_a, "action", "\"imagebuilder:GetComponent\""),
            (has_r, "resource", "an ARN or \"*\""),
        ] {
            if !has {
                self.err(
                    crate::span::Span::point(v.span.start),
                    C::MissingElement,
                    format!("{what} has no \"{field}\""),
                    format!("add \"{field}\": {example}"),
                );
            }
        }
        Some(r)
    }

    fn context(&mut self, v: &JsonValue, r: &mut RequestSpec) {
        let Some(members) = v.as_object() else {
            self.err(
                v.span,
                C::WrongType,
                format!(
                    "context must be an object of keys and values, found {}",
                    v.type_name()
                ),
                "write \"context\": { \"aws:SourceIp\": \"203.0.113.5\" }",
            );
            return;
        };
        // lower-cased keys seen so far: key names are case-insensitive
        let mut seen: HashSet<String> = HashSet::with_capacity(members.len());
        for m in members {
            if !seen.insert(m.key.to_lowercase()) {
                self.err(
                    m.key_span,
                    C::DuplicateKey,
                    format!(
                        "context key \"{}\" is given twice (key names are case-insensitive)",
                        m.key
                    ),
                    "keep one; give several values as an array",
                );
                continue;
            }
            let ok = match &m.value.kind {
                JsonKind::Array(items) => items.iter().all(|i| {
                    matches!(
                        i.kind,
                        JsonKind::String(_) | JsonKind::Number(_) | JsonKind::Bool(_)
                    )
                }),
                JsonKind::Object(_) => false,
                _ => true,
            };
            if !ok {
                self.err(
                    m.value.span,
                    C::WrongType,
                    format!("context key \"{}\": values must be strings, numbers, booleans or an array of them", m.key),
                    "write \"key\": \"value\" or \"key\": [\"a\", \"b\"] for a multivalued key",
                );
                continue;
            }
            r.context.insert(m.key.clone(), m.value.to_serde());
        }
    }
}
