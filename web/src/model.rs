//! What the user edits: the workspace. It is a scenario (../shared/spec/scenario-format.md)
//! plus what only the playground needs: names for policies and layers switched off.
//!
//! Pure data and conversions, no browser APIs, so it is tested natively.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The policy layers of the scenario format, in evaluation order of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LayerKind {
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    Scps,
    Rcps,
    VpcEndpoint,
}

impl LayerKind {
    pub const ALL: [LayerKind; 7] = [
        LayerKind::Identity,
        LayerKind::Resource,
        LayerKind::PermissionsBoundary,
        LayerKind::Session,
        LayerKind::Scps,
        LayerKind::Rcps,
        LayerKind::VpcEndpoint,
    ];

    /// The field name in the scenario format.
    pub fn key(self) -> &'static str {
        match self {
            LayerKind::Identity => "identity",
            LayerKind::Resource => "resource",
            LayerKind::PermissionsBoundary => "permissionsBoundary",
            LayerKind::Session => "session",
            LayerKind::Scps => "scps",
            LayerKind::Rcps => "rcps",
            LayerKind::VpcEndpoint => "vpcEndpoint",
        }
    }

    /// Layers holding at most one policy.
    pub fn is_single(self) -> bool {
        matches!(
            self,
            LayerKind::Resource | LayerKind::PermissionsBoundary | LayerKind::Session
        )
    }

    /// Layers organised in levels of an organization (root first).
    pub fn is_leveled(self) -> bool {
        matches!(self, LayerKind::Scps | LayerKind::Rcps)
    }
}

/// Which policy of the workspace. Indices are positions in the layer's lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyId {
    Identity(usize),
    Resource,
    PermissionsBoundary,
    Session,
    Scp(usize, usize),
    Rcp(usize, usize),
    VpcEndpoint(usize),
}

impl PolicyId {
    pub fn layer(self) -> LayerKind {
        match self {
            PolicyId::Identity(_) => LayerKind::Identity,
            PolicyId::Resource => LayerKind::Resource,
            PolicyId::PermissionsBoundary => LayerKind::PermissionsBoundary,
            PolicyId::Session => LayerKind::Session,
            PolicyId::Scp(..) => LayerKind::Scps,
            PolicyId::Rcp(..) => LayerKind::Rcps,
            PolicyId::VpcEndpoint(_) => LayerKind::VpcEndpoint,
        }
    }

    /// The policy id the engine and `check --json` use: "identity/0", "resource",
    /// "permissionsBoundary", "session", "scps/LEVEL/N", "rcps/LEVEL/N", "vpcEndpoint/N".
    pub fn engine_id(self) -> String {
        match self {
            PolicyId::Identity(i) => format!("identity/{i}"),
            PolicyId::Resource => "resource".into(),
            PolicyId::PermissionsBoundary => "permissionsBoundary".into(),
            PolicyId::Session => "session".into(),
            PolicyId::Scp(l, i) => format!("scps/{l}/{i}"),
            PolicyId::Rcp(l, i) => format!("rcps/{l}/{i}"),
            PolicyId::VpcEndpoint(i) => format!("vpcEndpoint/{i}"),
        }
    }

    pub fn from_engine_id(id: &str) -> Option<PolicyId> {
        let mut parts = id.split('/');
        let head = parts.next()?;
        let nums: Vec<usize> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
        match (head, nums.as_slice()) {
            ("identity", [i]) => Some(PolicyId::Identity(*i)),
            ("resource", []) => Some(PolicyId::Resource),
            ("permissionsBoundary", []) => Some(PolicyId::PermissionsBoundary),
            ("session", []) => Some(PolicyId::Session),
            ("scps", [l, i]) => Some(PolicyId::Scp(*l, *i)),
            ("rcps", [l, i]) => Some(PolicyId::Rcp(*l, *i)),
            ("vpcEndpoint", [i]) => Some(PolicyId::VpcEndpoint(*i)),
            _ => None,
        }
    }

    /// A stable string for DOM ids and the editor's document map.
    pub fn dom_id(self) -> String {
        format!("policy-{}", self.engine_id().replace('/', "-"))
    }
}

/// One policy: a name for the UI and the text exactly as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDoc {
    pub name: String,
    pub text: String,
}

impl PolicyDoc {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        PolicyDoc {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// All policies, by layer, plus the layers the user switched off (kept, not evaluated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Policies {
    pub identity: Vec<PolicyDoc>,
    pub resource: Option<PolicyDoc>,
    pub permissions_boundary: Option<PolicyDoc>,
    pub session: Option<PolicyDoc>,
    pub scps: Vec<Vec<PolicyDoc>>,
    pub rcps: Vec<Vec<PolicyDoc>>,
    pub vpc_endpoint: Vec<PolicyDoc>,
    /// Layers switched off: kept in the workspace, left out of evaluation and downloads.
    pub off: Vec<LayerKind>,
}

/// How a context value is written in the scenario file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueKind {
    #[default]
    String,
    Number,
    Bool,
}

/// One context key of a request, with one value or several (multivalued).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextEntry {
    pub key: String,
    pub kind: ValueKind,
    pub multi: bool,
    pub values: Vec<String>,
}

/// The three decisions, named as in AWS's simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    Allowed,
    ExplicitDeny,
    ImplicitDeny,
}

impl Decision {
    pub const ALL: [Decision; 3] = [
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }

    pub fn from_key(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.key() == s)
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ExplicitDeny => "Explicit deny",
            Decision::ImplicitDeny => "Implicit deny",
        }
    }
}

/// One request row of the table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestRow {
    pub name: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub resource_account: String,
    /// aws:SourceIp, a first-class field (empty: the request carries no source IP).
    pub source_ip: String,
    /// Every other context key.
    pub context: Vec<ContextEntry>,
    pub expect: Option<Decision>,
}

pub const SOURCE_IP_KEY: &str = "aws:SourceIp";

impl RequestRow {
    pub fn example() -> Self {
        RequestRow {
            name: String::new(),
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::example-bucket/report.csv".into(),
            ..RequestRow::default()
        }
    }
}

/// Everything the user edits. This is what is shared in links and saved in localStorage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    pub name: String,
    pub description: String,
    pub policies: Policies,
    pub requests: Vec<RequestRow>,
}

pub const POLICY_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }
  ]
}"#;

pub const DENY_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

impl Workspace {
    pub fn is_on(&self, layer: LayerKind) -> bool {
        !self.policies.off.contains(&layer)
    }

    pub fn set_on(&mut self, layer: LayerKind, on: bool) {
        self.policies.off.retain(|l| *l != layer);
        if !on {
            self.policies.off.push(layer);
            self.policies.off.sort();
        }
    }

    pub fn policy(&self, id: PolicyId) -> Option<&PolicyDoc> {
        let p = &self.policies;
        match id {
            PolicyId::Identity(i) => p.identity.get(i),
            PolicyId::Resource => p.resource.as_ref(),
            PolicyId::PermissionsBoundary => p.permissions_boundary.as_ref(),
            PolicyId::Session => p.session.as_ref(),
            PolicyId::Scp(l, i) => p.scps.get(l).and_then(|v| v.get(i)),
            PolicyId::Rcp(l, i) => p.rcps.get(l).and_then(|v| v.get(i)),
            PolicyId::VpcEndpoint(i) => p.vpc_endpoint.get(i),
        }
    }

    pub fn policy_mut(&mut self, id: PolicyId) -> Option<&mut PolicyDoc> {
        let p = &mut self.policies;
        match id {
            PolicyId::Identity(i) => p.identity.get_mut(i),
            PolicyId::Resource => p.resource.as_mut(),
            PolicyId::PermissionsBoundary => p.permissions_boundary.as_mut(),
            PolicyId::Session => p.session.as_mut(),
            PolicyId::Scp(l, i) => p.scps.get_mut(l).and_then(|v| v.get_mut(i)),
            PolicyId::Rcp(l, i) => p.rcps.get_mut(l).and_then(|v| v.get_mut(i)),
            PolicyId::VpcEndpoint(i) => p.vpc_endpoint.get_mut(i),
        }
    }

    /// Every policy with its id, in layer order.
    pub fn all_policies(&self) -> Vec<(PolicyId, &PolicyDoc)> {
        let p = &self.policies;
        let mut out = Vec::new();
        out.extend(
            p.identity
                .iter()
                .enumerate()
                .map(|(i, d)| (PolicyId::Identity(i), d)),
        );
        if let Some(d) = &p.resource {
            out.push((PolicyId::Resource, d));
        }
        if let Some(d) = &p.permissions_boundary {
            out.push((PolicyId::PermissionsBoundary, d));
        }
        if let Some(d) = &p.session {
            out.push((PolicyId::Session, d));
        }
        for (l, level) in p.scps.iter().enumerate() {
            out.extend(
                level
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (PolicyId::Scp(l, i), d)),
            );
        }
        for (l, level) in p.rcps.iter().enumerate() {
            out.extend(
                level
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (PolicyId::Rcp(l, i), d)),
            );
        }
        out.extend(
            p.vpc_endpoint
                .iter()
                .enumerate()
                .map(|(i, d)| (PolicyId::VpcEndpoint(i), d)),
        );
        out
    }

    /// The policies that take part in evaluation (their layer is on).
    pub fn active_policies(&self) -> Vec<(PolicyId, &PolicyDoc)> {
        self.all_policies()
            .into_iter()
            .filter(|(id, _)| self.is_on(id.layer()))
            .collect()
    }

    /// The first policy, to show in the editor.
    pub fn first_policy(&self) -> Option<PolicyId> {
        self.all_policies().first().map(|(id, _)| *id)
    }

    /// Adds a policy to a layer (for SCPs/RCPs: to the given level, or a new level when
    /// `level` is past the end) and returns its id. A single layer that already has a policy
    /// returns the existing one.
    pub fn add_policy(&mut self, layer: LayerKind, level: Option<usize>) -> PolicyId {
        let p = &mut self.policies;
        match layer {
            LayerKind::Identity => {
                let n = p.identity.len();
                p.identity
                    .push(PolicyDoc::new(format!("Policy {}", n + 1), POLICY_TEMPLATE));
                PolicyId::Identity(n)
            }
            LayerKind::Resource => {
                p.resource
                    .get_or_insert_with(|| PolicyDoc::new("Resource policy", RESOURCE_TEMPLATE));
                PolicyId::Resource
            }
            LayerKind::PermissionsBoundary => {
                p.permissions_boundary
                    .get_or_insert_with(|| PolicyDoc::new("Permissions boundary", DENY_TEMPLATE));
                PolicyId::PermissionsBoundary
            }
            LayerKind::Session => {
                p.session
                    .get_or_insert_with(|| PolicyDoc::new("Session policy", DENY_TEMPLATE));
                PolicyId::Session
            }
            LayerKind::Scps | LayerKind::Rcps => {
                let (levels, short) = if layer == LayerKind::Scps {
                    (&mut p.scps, "SCP")
                } else {
                    (&mut p.rcps, "RCP")
                };
                let l = match level {
                    Some(l) if l < levels.len() => l,
                    _ => {
                        levels.push(Vec::new());
                        levels.len() - 1
                    }
                };
                let n = levels.get(l).map_or(0, Vec::len);
                let name = leveled_name(short, l, n);
                if let Some(level) = levels.get_mut(l) {
                    level.push(PolicyDoc::new(name, DENY_TEMPLATE));
                }
                if layer == LayerKind::Scps {
                    PolicyId::Scp(l, n)
                } else {
                    PolicyId::Rcp(l, n)
                }
            }
            LayerKind::VpcEndpoint => {
                let n = p.vpc_endpoint.len();
                p.vpc_endpoint.push(PolicyDoc::new(
                    format!("Endpoint policy {}", n + 1),
                    DENY_TEMPLATE,
                ));
                PolicyId::VpcEndpoint(n)
            }
        }
    }

    /// Removes a policy (an emptied SCP/RCP level goes too). Returns whether it existed.
    pub fn remove_policy(&mut self, id: PolicyId) -> bool {
        fn remove_at<T>(v: &mut Vec<T>, i: usize) -> bool {
            if i < v.len() {
                v.remove(i);
                true
            } else {
                false
            }
        }
        fn remove_leveled(levels: &mut Vec<Vec<PolicyDoc>>, l: usize, i: usize) -> bool {
            let removed = levels.get_mut(l).is_some_and(|level| remove_at(level, i));
            if levels.get(l).is_some_and(Vec::is_empty) {
                levels.remove(l);
            }
            removed
        }
        let p = &mut self.policies;
        match id {
            PolicyId::Identity(i) => remove_at(&mut p.identity, i),
            PolicyId::Resource => p.resource.take().is_some(),
            PolicyId::PermissionsBoundary => p.permissions_boundary.take().is_some(),
            PolicyId::Session => p.session.take().is_some(),
            PolicyId::Scp(l, i) => remove_leveled(&mut p.scps, l, i),
            PolicyId::Rcp(l, i) => remove_leveled(&mut p.rcps, l, i),
            PolicyId::VpcEndpoint(i) => remove_at(&mut p.vpc_endpoint, i),
        }
    }

    /// The scenario file (spec format) of what is evaluated: layers switched off are left out.
    pub fn to_scenario(&self) -> Value {
        let mut root = Map::new();
        root.insert("format".into(), Value::from(1));
        if !self.name.is_empty() {
            root.insert("name".into(), Value::from(self.name.clone()));
        }
        if !self.description.is_empty() {
            root.insert("description".into(), Value::from(self.description.clone()));
        }
        let p = &self.policies;
        let mut pol = Map::new();
        let on = |l: LayerKind| self.is_on(l);
        if on(LayerKind::Identity) && !p.identity.is_empty() {
            pol.insert("identity".into(), policy_list(&p.identity));
        }
        for (layer, doc) in [
            (LayerKind::Resource, &p.resource),
            (LayerKind::PermissionsBoundary, &p.permissions_boundary),
            (LayerKind::Session, &p.session),
        ] {
            if let (true, Some(d)) = (on(layer), doc) {
                pol.insert(layer.key().into(), policy_source(&d.text));
            }
        }
        for (layer, levels) in [(LayerKind::Scps, &p.scps), (LayerKind::Rcps, &p.rcps)] {
            if on(layer) && !levels.is_empty() {
                let v = levels.iter().map(|lv| policy_list(lv)).collect::<Vec<_>>();
                pol.insert(layer.key().into(), Value::Array(v));
            }
        }
        if on(LayerKind::VpcEndpoint) && !p.vpc_endpoint.is_empty() {
            pol.insert("vpcEndpoint".into(), policy_list(&p.vpc_endpoint));
        }
        root.insert("policies".into(), Value::Object(pol));
        let requests = self.requests.iter().map(request_json).collect::<Vec<_>>();
        root.insert("requests".into(), Value::Array(requests));
        Value::Object(root)
    }

    /// The scenario file text to download.
    pub fn to_scenario_text(&self) -> String {
        serde_json::to_string_pretty(&self.to_scenario()).unwrap_or_default() + "\n"
    }

    /// Reads a scenario (spec format, already validated by the engine) into a workspace.
    pub fn from_scenario(v: &Value) -> Result<Workspace, String> {
        let root = v
            .as_object()
            .ok_or_else(|| "a scenario file holds one JSON object".to_string())?;
        let mut ws = Workspace {
            name: str_field(root, "name"),
            description: str_field(root, "description"),
            ..Workspace::default()
        };
        let empty = Map::new();
        let pol = root
            .get("policies")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let p = &mut ws.policies;
        if let Some(list) = pol.get("identity").and_then(Value::as_array) {
            p.identity = docs(list, |i| format!("Policy {}", i + 1));
        }
        p.resource = single(pol.get("resource"), "Resource policy");
        p.permissions_boundary = single(pol.get("permissionsBoundary"), "Permissions boundary");
        p.session = single(pol.get("session"), "Session policy");
        p.scps = levels(pol.get("scps"), "SCP");
        p.rcps = levels(pol.get("rcps"), "RCP");
        if let Some(list) = pol.get("vpcEndpoint").and_then(Value::as_array) {
            p.vpc_endpoint = docs(list, |i| format!("Endpoint policy {}", i + 1));
        }
        if let Some(reqs) = root.get("requests").and_then(Value::as_array) {
            ws.requests = reqs.iter().map(request_from_json).collect();
        }
        Ok(ws)
    }
}

pub const RESOURCE_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-bucket/*"
    }
  ]
}"#;

fn str_field(m: &Map<String, Value>, k: &str) -> String {
    m.get(k)
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_default()
}

/// A policy in the scenario file: the object itself when the text is exactly its canonical
/// pretty-printed form (so positions stay the same), else the text as a string.
pub fn policy_source(text: &str) -> Value {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if v.is_object() && serde_json::to_string_pretty(&v).is_ok_and(|p| p == text) {
            return v;
        }
    }
    Value::String(text.to_string())
}

/// The text to edit for a policy of a scenario file.
pub fn policy_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn policy_list(docs: &[PolicyDoc]) -> Value {
    Value::Array(docs.iter().map(|d| policy_source(&d.text)).collect())
}

fn docs(list: &[Value], name: impl Fn(usize) -> String) -> Vec<PolicyDoc> {
    list.iter()
        .enumerate()
        .map(|(i, v)| PolicyDoc::new(name(i), policy_text(v)))
        .collect()
}

fn single(v: Option<&Value>, name: &str) -> Option<PolicyDoc> {
    match v {
        None | Some(Value::Null) => None,
        Some(v) => Some(PolicyDoc::new(name, policy_text(v))),
    }
}

fn levels(v: Option<&Value>, short: &str) -> Vec<Vec<PolicyDoc>> {
    let Some(levels) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    levels
        .iter()
        .enumerate()
        .map(|(l, level)| {
            let list = level.as_array().map(Vec::as_slice).unwrap_or_default();
            docs(list, |i| leveled_name(short, l, i))
        })
        .collect()
}

/// The default name of policy `i` of level `l` of the SCPs or RCPs.
pub fn leveled_name(short: &str, l: usize, i: usize) -> String {
    if l == 0 {
        format!("{short} {} (root)", i + 1)
    } else {
        format!("{short} {} (level {})", i + 1, l + 1)
    }
}

fn typed_value(kind: ValueKind, s: &str) -> Value {
    match kind {
        ValueKind::String => Value::String(s.to_string()),
        ValueKind::Number => serde_json::from_str::<serde_json::Number>(s.trim())
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(s.to_string())),
        ValueKind::Bool => match s.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s.to_string()),
        },
    }
}

impl RequestRow {
    /// The request's context as the scenario file writes it (source IP included).
    pub fn context_map(&self) -> Map<String, Value> {
        let mut ctx = Map::new();
        if !self.source_ip.trim().is_empty() {
            ctx.insert(SOURCE_IP_KEY.into(), Value::from(self.source_ip.trim()));
        }
        for e in &self.context {
            if e.key.trim().is_empty() {
                continue;
            }
            let v = if e.multi {
                Value::Array(e.values.iter().map(|s| typed_value(e.kind, s)).collect())
            } else {
                typed_value(e.kind, e.values.first().map_or("", String::as_str))
            };
            ctx.insert(e.key.trim().to_string(), v);
        }
        ctx
    }
}

fn request_json(r: &RequestRow) -> Value {
    let mut m = Map::new();
    if !r.name.is_empty() {
        m.insert("name".into(), Value::from(r.name.clone()));
    }
    m.insert("principal".into(), Value::from(r.principal.clone()));
    m.insert("action".into(), Value::from(r.action.clone()));
    m.insert("resource".into(), Value::from(r.resource.clone()));
    if !r.resource_account.is_empty() {
        m.insert(
            "resourceAccount".into(),
            Value::from(r.resource_account.clone()),
        );
    }
    let ctx = r.context_map();
    if !ctx.is_empty() {
        m.insert("context".into(), Value::Object(ctx));
    }
    if let Some(d) = r.expect {
        m.insert("expect".into(), Value::from(d.key()));
    }
    Value::Object(m)
}

fn kind_of(v: &Value) -> ValueKind {
    match v {
        Value::Number(_) => ValueKind::Number,
        Value::Bool(_) => ValueKind::Bool,
        _ => ValueKind::String,
    }
}

fn value_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A request row from a request of a scenario file (its `context` object as written).
pub fn request_from_json(v: &Value) -> RequestRow {
    let empty = Map::new();
    let m = v.as_object().unwrap_or(&empty);
    let mut row = RequestRow {
        name: str_field(m, "name"),
        principal: str_field(m, "principal"),
        action: str_field(m, "action"),
        resource: str_field(m, "resource"),
        resource_account: str_field(m, "resourceAccount"),
        expect: m
            .get("expect")
            .and_then(Value::as_str)
            .and_then(Decision::from_key),
        ..RequestRow::default()
    };
    if let Some(ctx) = m.get("context").and_then(Value::as_object) {
        row.set_context(ctx);
    }
    row
}

impl RequestRow {
    /// Sets the context from a scenario file's `context` object (aws:SourceIp, when a
    /// string, goes to the Source IP field).
    pub fn set_context(&mut self, ctx: &Map<String, Value>) {
        let row = self;
        row.source_ip.clear();
        row.context.clear();
        for (k, v) in ctx {
            if k.eq_ignore_ascii_case(SOURCE_IP_KEY) && row.source_ip.is_empty() {
                if let Value::String(s) = v {
                    row.source_ip = s.clone();
                    continue;
                }
            }
            let entry = match v {
                Value::Array(items) => ContextEntry {
                    key: k.clone(),
                    kind: items.first().map(kind_of).unwrap_or_default(),
                    multi: true,
                    values: items.iter().map(value_string).collect(),
                },
                single => ContextEntry {
                    key: k.clone(),
                    kind: kind_of(single),
                    multi: false,
                    values: vec![value_string(single)],
                },
            };
            row.context.push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: &str =
        include_str!("../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

    #[test]
    fn engine_ids_round_trip() {
        for id in [
            PolicyId::Identity(2),
            PolicyId::Resource,
            PolicyId::PermissionsBoundary,
            PolicyId::Session,
            PolicyId::Scp(1, 0),
            PolicyId::Rcp(0, 3),
            PolicyId::VpcEndpoint(0),
        ] {
            assert_eq!(PolicyId::from_engine_id(&id.engine_id()), Some(id));
        }
        assert_eq!(PolicyId::Scp(1, 0).engine_id(), "scps/1/0");
        assert_eq!(PolicyId::from_engine_id("scps/x/0"), None);
        assert_eq!(PolicyId::from_engine_id("bogus"), None);
    }

    #[test]
    fn scenario_round_trips_exactly() {
        let v: Value = serde_json::from_str(IP).unwrap_or_default();
        let ws = Workspace::from_scenario(&v).unwrap_or_default();
        assert_eq!(ws.policies.identity.len(), 1);
        assert_eq!(ws.requests.len(), 7);
        assert_eq!(
            ws.requests.first().map(|r| r.source_ip.as_str()),
            Some("54.240.143.5")
        );
        // Objects become their pretty-printed text, and go back out as objects.
        assert_eq!(ws.to_scenario(), v);
    }

    #[test]
    fn edited_text_is_kept_verbatim_as_a_string() {
        let mut ws = Workspace::default();
        let id = ws.add_policy(LayerKind::Identity, None);
        let text = "{ \"Version\": \"2012-10-17\", \"Statement\": [] }";
        if let Some(p) = ws.policy_mut(id) {
            p.text = text.into();
        }
        let v = ws.to_scenario();
        assert_eq!(v["policies"]["identity"][0], Value::from(text));
        let back = Workspace::from_scenario(&v).unwrap_or_default();
        assert_eq!(back.policies.identity[0].text, text);
    }

    #[test]
    fn layers_switched_off_are_left_out() {
        let mut ws = Workspace::default();
        ws.add_policy(LayerKind::Identity, None);
        ws.add_policy(LayerKind::Scps, None);
        ws.add_policy(LayerKind::Scps, Some(0));
        ws.add_policy(LayerKind::Scps, None);
        assert_eq!(ws.policies.scps.len(), 2);
        assert_eq!(ws.policies.scps[0].len(), 2);
        assert!(ws.to_scenario()["policies"].get("scps").is_some());
        ws.set_on(LayerKind::Scps, false);
        assert!(ws.to_scenario()["policies"].get("scps").is_none());
        assert_eq!(ws.policies.scps.len(), 2, "kept while off");
        ws.set_on(LayerKind::Scps, true);
        assert!(ws.is_on(LayerKind::Scps));
    }

    #[test]
    fn removing_the_last_policy_of_a_level_removes_the_level() {
        let mut ws = Workspace::default();
        ws.add_policy(LayerKind::Rcps, None);
        assert!(ws.remove_policy(PolicyId::Rcp(0, 0)));
        assert!(ws.policies.rcps.is_empty());
        assert!(!ws.remove_policy(PolicyId::Rcp(0, 0)));
    }

    #[test]
    fn typed_and_multivalued_context() {
        let row = RequestRow {
            source_ip: " 10.0.0.1 ".into(),
            context: vec![
                ContextEntry {
                    key: "aws:TagKeys".into(),
                    kind: ValueKind::String,
                    multi: true,
                    values: vec!["team".into(), "env".into()],
                },
                ContextEntry {
                    key: "s3:max-keys".into(),
                    kind: ValueKind::Number,
                    multi: false,
                    values: vec!["10".into()],
                },
                ContextEntry {
                    key: "aws:MultiFactorAuthPresent".into(),
                    kind: ValueKind::Bool,
                    multi: false,
                    values: vec!["true".into()],
                },
            ],
            ..RequestRow::example()
        };
        let v = request_json(&row);
        assert_eq!(v["context"]["aws:SourceIp"], Value::from("10.0.0.1"));
        assert_eq!(
            v["context"]["aws:TagKeys"],
            serde_json::json!(["team", "env"])
        );
        assert_eq!(v["context"]["s3:max-keys"], serde_json::json!(10));
        assert_eq!(
            v["context"]["aws:MultiFactorAuthPresent"],
            Value::Bool(true)
        );
        let back = request_from_json(&v);
        assert_eq!(back.source_ip, "10.0.0.1");
        assert_eq!(back.context.len(), 3);
        assert_eq!(back.context[1].kind, ValueKind::Number);
    }
}
