//! What the user edits: the workspace. Its policies are the engine's [`LayerMap`] of what the
//! user edits per policy (a name and the text as written); its requests are rows as typed
//! (source IP first-class, typed and multivalued context keys), which become the engine's
//! [`RequestSpec`]s in one place ([`RequestRow::to_spec`]). The scenario file is the engine's
//! [`Scenario`]: read by `Scenario::from_json` (crate::engine), written by
//! `Scenario::to_json_pretty`. Playground-only: names, layers switched off, rows as typed.
//!
//! Pure data and conversions, no browser APIs, so it is tested natively.

use iam_policy::{
    Decision, LayerMap, ManagedRef, PolicyId, PolicyKind, PolicySource, RequestSpec,
    ResolvedManaged, Scenario,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One policy: a name for the UI and the text exactly as the user wrote it, or an AWS
/// managed policy attached by name (read-only; its text is the resolved document).
///
/// Written (share links, autosave) as `{"name", "text"}`, or for a managed policy as
/// `{"name", "managed"}`: the reference, never the expanded document, which is looked up
/// again (lazily, `crate::managed`) when it is read.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PolicyDoc {
    pub name: String,
    #[serde(default)]
    pub text: String,
    /// For an AWS managed policy: the reference and what it resolved to.
    #[serde(default, deserialize_with = "managed_ref")]
    pub managed: Option<ManagedDoc>,
}

/// An AWS managed policy attached by name or ARN (`{"managed": "AWSImageBuilderFullAccess"}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedDoc {
    /// The name or ARN as written.
    pub reference: String,
    /// Once looked up: which policy, at which version (the document is the doc's `text`).
    pub resolved: Option<ManagedInfo>,
    /// Why it could not be looked up (an unknown name, with "did you mean"), and the
    /// closest names.
    pub error: Option<(String, Vec<String>)>,
}

/// An AWS managed policy's identity and version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManagedInfo {
    pub name: String,
    pub arn: String,
    pub version_id: String,
    pub update_date: String,
}

fn managed_ref<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<ManagedDoc>, D::Error> {
    let reference = Option::<String>::deserialize(d)?;
    Ok(reference.map(|reference| ManagedDoc {
        reference,
        ..ManagedDoc::default()
    }))
}

impl Serialize for PolicyDoc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("name", &self.name)?;
        match &self.managed {
            Some(m) => map.serialize_entry("managed", &m.reference)?,
            None => map.serialize_entry("text", &self.text)?,
        }
        map.end()
    }
}

impl PolicyDoc {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        PolicyDoc {
            name: name.into(),
            text: text.into(),
            managed: None,
        }
    }

    /// An AWS managed policy by name or ARN, not looked up yet; named after the policy.
    pub fn managed(reference: impl Into<String>) -> Self {
        let reference = reference.into();
        PolicyDoc {
            name: managed_name(&reference).to_string(),
            text: String::new(),
            managed: Some(ManagedDoc {
                reference,
                ..ManagedDoc::default()
            }),
        }
    }

    /// An AWS managed policy reference that is not looked up yet (nor known to be unknown).
    pub fn unresolved(&self) -> bool {
        self.managed
            .as_ref()
            .is_some_and(|m| m.resolved.is_none() && m.error.is_none())
    }

    /// How a scenario holds it: the text, or the managed policy reference (with its
    /// document once resolved, so that the engine names the policy in traces).
    fn source(&self, text: impl Fn(&str) -> PolicySource) -> PolicySource {
        match &self.managed {
            None => text(&self.text),
            Some(m) => PolicySource::Managed(ManagedRef {
                managed: m.reference.clone(),
                span: None,
                resolved: m.resolved.as_ref().map(|r| ResolvedManaged {
                    name: r.name.clone(),
                    arn: r.arn.clone(),
                    version_id: r.version_id.clone(),
                    update_date: r.update_date.clone(),
                    document: self.text.clone(),
                }),
            }),
        }
    }
}

/// The policy name of a managed policy reference (the last part of an ARN's path).
pub fn managed_name(reference: &str) -> &str {
    let r = reference.trim();
    if r.starts_with("arn:") {
        r.rsplit('/').next().unwrap_or(r)
    } else {
        r
    }
}

/// The policies by layer, and the layers switched off (kept, not evaluated). Written as the
/// scenario format's `policies` with an `off` list of layer fields (`"scps"`), as share links
/// and autosaves have always held it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layers {
    pub docs: LayerMap<PolicyDoc>,
    /// In `PolicyKind::ALL`'s order.
    pub off: Vec<PolicyKind>,
}

impl Serialize for Layers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        self.docs.write_fields(&mut map)?;
        let off: Vec<&str> = self.off.iter().map(|k| k.field()).collect();
        map.serialize_entry("off", &off)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Layers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct Fields;
        impl<'de> Visitor<'de> for Fields {
            type Value = Layers;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the policies by layer")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Layers, A::Error> {
                let mut out = Layers::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "off" {
                        // Layer fields ("scps"); kind names ("scp") are read too.
                        for name in map.next_value::<Vec<String>>()? {
                            let kind = PolicyKind::parse(&name).ok_or_else(|| {
                                A::Error::custom(format!("unknown layer \"{name}\""))
                            })?;
                            out.set_off(kind, true);
                        }
                    } else if !out.docs.read_field(&key, &mut map)? {
                        return Err(A::Error::custom(format!(
                            "unknown field \"{key}\" in the policies"
                        )));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Fields)
    }
}

impl Layers {
    /// Switches a layer off (or back on).
    pub fn set_off(&mut self, kind: PolicyKind, off: bool) {
        self.off.retain(|k| *k != kind);
        if off {
            let at = self.off.iter().position(|k| *k > kind);
            self.off.insert(at.unwrap_or(self.off.len()), kind);
        }
    }
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

/// A context key as the user types it: its name, the JSON type its values are written as,
/// whether it is sent as a list, and the values exactly as typed (a number being typed may
/// not be a number yet). [`RequestRow::to_spec`] turns these into the scenario's `context`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextField {
    pub key: String,
    pub kind: ValueKind,
    pub multi: bool,
    pub values: Vec<String>,
}

/// One request row of the table, as typed.
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
    pub context: Vec<ContextField>,
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

/// What was on screen: the request shown in detail and the policy in the editor, so that a
/// reload or a share link opens the same view (not part of the scenario file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct View {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<usize>,
    /// A policy id (`identity/0`, `scps/1/0`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl View {
    pub fn is_empty(&self) -> bool {
        self.request.is_none() && self.policy.is_none()
    }
}

/// Everything the user edits. This is what is shared in links and saved in localStorage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    pub name: String,
    pub description: String,
    pub policies: Layers,
    pub requests: Vec<RequestRow>,
    #[serde(skip_serializing_if = "View::is_empty")]
    pub view: View,
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

/// What a new guardrail (boundary, session policy, SCP, RCP, endpoint policy) starts with:
/// it allows everything, so adding it changes no decision until it is edited.
pub const ALLOW_ALL_TEMPLATE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}"#;

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

impl Workspace {
    pub fn is_on(&self, kind: PolicyKind) -> bool {
        !self.policies.off.contains(&kind)
    }

    pub fn set_on(&mut self, kind: PolicyKind, on: bool) {
        self.policies.set_off(kind, !on);
    }

    pub fn policy(&self, id: PolicyId) -> Option<&PolicyDoc> {
        self.policies.docs.get(id)
    }

    pub fn policy_mut(&mut self, id: PolicyId) -> Option<&mut PolicyDoc> {
        self.policies.docs.get_mut(id)
    }

    /// The first policy, to show in the editor.
    pub fn first_policy(&self) -> Option<PolicyId> {
        self.policies.docs.iter().next().map(|(id, _)| id)
    }

    /// A blank scenario: one identity policy to paste into, no requests.
    pub fn blank() -> Workspace {
        let mut ws = Workspace::default();
        ws.add_policy(PolicyKind::Identity, None);
        ws
    }

    /// Adds a policy to a layer (for SCPs/RCPs: to the given level, or a new level when
    /// `level` is past the end) and returns its id; its name is the engine's title for it
    /// ("Identity policy 2", "SCP 1 · level 1"). A single-policy layer that already has its
    /// policy returns that one.
    pub fn add_policy(&mut self, kind: PolicyKind, level: Option<usize>) -> PolicyId {
        self.add_policy_for(kind, level, None)
    }

    /// As [`Workspace::add_policy`], with a template that fits `request` (the selected one):
    /// an identity or resource policy allows its action on its resource (a resource policy
    /// names its caller), so that adding the layer shows its effect on that request; the
    /// guardrails (boundary, session, SCP, RCP, endpoint) allow everything, so that adding
    /// one changes no decision until it is edited.
    pub fn add_policy_for(
        &mut self,
        kind: PolicyKind,
        level: Option<usize>,
        request: Option<&RequestRow>,
    ) -> PolicyId {
        let docs = &mut self.policies.docs;
        let existing = PolicyId::of(kind, 0, 0);
        if kind.single() && docs.get(existing).is_some() {
            return existing;
        }
        let text = match (kind, request) {
            (PolicyKind::Identity | PolicyKind::Resource, Some(r)) => template_for(kind, r),
            (PolicyKind::Identity, None) => POLICY_TEMPLATE.to_string(),
            (PolicyKind::Resource, None) => RESOURCE_TEMPLATE.to_string(),
            _ => ALLOW_ALL_TEMPLATE.to_string(),
        };
        let id = docs.add(kind, level, PolicyDoc::new(String::new(), text));
        if let Some(doc) = docs.get_mut(id) {
            doc.name = id.title();
        }
        id
    }

    /// Attaches an AWS managed policy (looked up: its identity and document) as a new
    /// identity policy, and returns its id.
    pub fn attach_managed(&mut self, info: ManagedInfo, document: String) -> PolicyId {
        let doc = PolicyDoc {
            name: info.name.clone(),
            text: document,
            managed: Some(ManagedDoc {
                reference: info.name.clone(),
                resolved: Some(info),
                error: None,
            }),
        };
        self.policies.docs.add(PolicyKind::Identity, None, doc)
    }

    /// Whether a managed policy reference is waiting to be looked up.
    pub fn has_unresolved(&self) -> bool {
        self.policies.docs.values().any(PolicyDoc::unresolved)
    }

    /// Removes a policy (an emptied SCP/RCP level goes too). Returns whether it existed.
    pub fn remove_policy(&mut self, id: PolicyId) -> bool {
        self.policies.docs.remove(id).is_some()
    }

    /// The scenario the engine evaluates: layers switched off are left out, each policy is
    /// its text as written, every request is in.
    pub fn scenario(&self) -> Scenario {
        self.scenario_with(|text| PolicySource::Text(text.to_string()))
    }

    /// The scenario file of what is evaluated (downloads, share links): as
    /// [`Workspace::scenario`], with a policy written as a JSON object when its text is the
    /// object's canonical pretty-printed form (so that positions stay the same).
    pub fn scenario_file(&self) -> Scenario {
        self.scenario_with(policy_source)
    }

    fn scenario_with(&self, source: impl Fn(&str) -> PolicySource) -> Scenario {
        let mut policies = self.policies.docs.map(|_, d| d.source(&source));
        for kind in &self.policies.off {
            policies.clear(*kind);
        }
        Scenario {
            format: Some(iam_policy::FORMAT_VERSION),
            name: Some(self.name.clone()).filter(|n| !n.is_empty()),
            description: Some(self.description.clone()).filter(|d| !d.is_empty()),
            policies,
            requests: self.requests.iter().map(RequestRow::to_spec).collect(),
        }
    }

    /// The scenario file text to download.
    pub fn to_scenario_text(&self) -> String {
        self.scenario_file().to_json_pretty() + "\n"
    }

    /// A workspace for a scenario (read by the engine): each policy named by the engine's
    /// title for it.
    pub fn from_scenario(s: &Scenario) -> Workspace {
        Workspace {
            name: s.name.clone().unwrap_or_default(),
            description: s.description.clone().unwrap_or_default(),
            policies: Layers {
                docs: s.policies.map(|id, p| match p {
                    PolicySource::Managed(m) => PolicyDoc::managed(m.managed.clone()),
                    _ => PolicyDoc::new(id.title(), p.text()),
                }),
                off: Vec::new(),
            },
            requests: s.requests.iter().map(RequestRow::from_spec).collect(),
            view: View::default(),
        }
    }
}

/// An identity or resource policy allowing the request's action on its resource (a
/// resource policy naming its caller), pretty-printed as the editor shows it.
fn template_for(kind: PolicyKind, r: &RequestRow) -> String {
    let or = |s: &str, d: &str| {
        let s = s.trim();
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    let action = if r.action.contains(':') {
        r.action.trim().to_string()
    } else {
        "s3:GetObject".to_string()
    };
    let resource = or(&r.resource, "*");
    let mut statement = serde_json::json!({ "Effect": "Allow" });
    if let Some(o) = statement.as_object_mut() {
        if kind == PolicyKind::Resource {
            let p = r.principal.trim();
            let principal = if p.ends_with(".amazonaws.com") {
                serde_json::json!({ "Service": p })
            } else if p.starts_with("arn:") || iam_policy::is_account_id(p) {
                serde_json::json!({ "AWS": p })
            } else {
                Value::from("*")
            };
            o.insert("Principal".into(), principal);
        }
        o.insert("Action".into(), Value::from(action));
        o.insert("Resource".into(), Value::from(resource));
    }
    let policy = serde_json::json!({ "Version": "2012-10-17", "Statement": [statement] });
    serde_json::to_string_pretty(&policy).unwrap_or_else(|_| POLICY_TEMPLATE.to_string())
}

/// A policy in the scenario file: the object itself when the text is exactly its canonical
/// pretty-printed form (so positions stay the same), else the text as a string.
pub fn policy_source(text: &str) -> PolicySource {
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        if v.is_object() && serde_json::to_string_pretty(&v).is_ok_and(|p| p == text) {
            return PolicySource::Object(v);
        }
    }
    PolicySource::Text(text.to_string())
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

/// For a private source IP (RFC 1918, IPv6 unique local): what AWS sets `aws:SourceIp` to. The
/// IAM User Guide (aws:SourceIp): the key holds the requester's public IP address, and "if
/// the request comes from a host that uses an Amazon VPC endpoint, then the aws:SourceIp key is
/// not present"; a request through a public endpoint never carries a private address there.
pub fn private_source_ip_note(ip: &str) -> Option<String> {
    let ip = ip.trim();
    let private = match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => v4.is_private(),
        std::net::IpAddr::V6(v6) => {
            (v6.segments().first().copied().unwrap_or(0) & 0xfe00) == 0xfc00
        }
    };
    private.then(|| {
        format!(
            "{ip} is a private address: a request through a public AWS endpoint never carries a private address in aws:SourceIp (AWS sets it to the caller's public address), and one through a VPC endpoint carries aws:VpcSourceIp instead. This request cannot happen as written."
        )
    })
}

/// A field of a request row, as the form shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Principal,
    Action,
    Resource,
    SourceIp,
    ResourceAccount,
    /// Context key `j`'s name.
    ContextKey(usize),
    /// Value `k` of context key `j`.
    ContextValue(usize, usize),
}

/// What is wrong with a field: `blocks` when the engine cannot evaluate the request with it
/// (the request shows "not evaluated"); otherwise the request is evaluated, but the value
/// cannot be what the user meant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
    pub blocks: bool,
}

impl RequestRow {
    /// Every problem of the row, each at its field (the engine stops at the first one that
    /// keeps it from evaluating; the form marks them all).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        let mut add = |field, message: String, blocks| {
            out.push(FieldProblem {
                field,
                message,
                blocks,
            })
        };
        let principal = self.principal.trim();
        if principal.is_empty() {
            add(
                Field::Principal,
                "Give the caller: an IAM ARN such as arn:aws:iam::111122223333:user/alice, a service principal such as ec2.amazonaws.com, or anonymous.".into(),
                true,
            );
        } else if let Err(e) = iam_policy::Principal::parse(principal) {
            add(
                Field::Principal,
                format!("{}: {}.", e.message, e.hint),
                true,
            );
        }
        let action = self.action.trim();
        if action.is_empty() {
            add(
                Field::Action,
                "Give the action as service:ActionName, for example s3:GetObject.".into(),
                true,
            );
        } else if !action.contains(':') {
            add(
                Field::Action,
                format!("\"{action}\" has no service: write service:ActionName, for example s3:GetObject."),
                true,
            );
        }
        let resource = self.resource.trim();
        if resource.is_empty() {
            add(
                Field::Resource,
                "Give the resource as an ARN, or * for actions that take no resource.".into(),
                true,
            );
        } else if resource != "*" && !resource.starts_with("arn:") {
            add(
                Field::Resource,
                format!("\"{resource}\" is not an ARN (arn:partition:service:region:account:resource): only a Resource of * matches it."),
                false,
            );
        }
        let ip = self.source_ip.trim();
        if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
            add(
                Field::SourceIp,
                format!("\"{ip}\" is not an IPv4 or IPv6 address: IpAddress and NotIpAddress conditions are false for it."),
                false,
            );
        } else if let Some(note) = private_source_ip_note(ip) {
            add(Field::SourceIp, note, false);
        }
        let account = self.resource_account.trim();
        if !account.is_empty() && !iam_policy::is_account_id(account) {
            add(
                Field::ResourceAccount,
                format!("\"{account}\" is not an account ID: an account ID is 12 digits."),
                false,
            );
        }
        for (j, e) in self.context.iter().enumerate() {
            if e.key.trim().is_empty() && e.values.iter().any(|v| !v.trim().is_empty()) {
                add(
                    Field::ContextKey(j),
                    "Name the key (for example aws:PrincipalTag/team): a value without a key is not sent.".into(),
                    false,
                );
            }
            for (k, v) in e.values.iter().enumerate() {
                let bad = match e.kind {
                    ValueKind::Number => {
                        serde_json::from_str::<serde_json::Number>(v.trim()).is_err()
                    }
                    ValueKind::Bool => !matches!(v.trim(), "true" | "false"),
                    ValueKind::String => false,
                };
                if bad {
                    let what = if e.kind == ValueKind::Number {
                        "a number"
                    } else {
                        "true or false"
                    };
                    add(
                        Field::ContextValue(j, k),
                        format!("\"{v}\" is not {what}: it is sent as a string."),
                        false,
                    );
                }
            }
        }
        out
    }

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

    /// The engine's request.
    pub fn to_spec(&self) -> RequestSpec {
        RequestSpec {
            name: Some(self.name.clone()).filter(|n| !n.is_empty()),
            principal: self.principal.clone(),
            action: self.action.clone(),
            resource: self.resource.clone(),
            resource_account: Some(self.resource_account.trim().to_string())
                .filter(|a| !a.is_empty()),
            context: self.context_map(),
            expect: self.expect,
        }
    }

    /// The row for a request of a scenario.
    pub fn from_spec(r: &RequestSpec) -> RequestRow {
        let mut row = RequestRow {
            name: r.name.clone().unwrap_or_default(),
            principal: r.principal.clone(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: r.resource_account.clone().unwrap_or_default(),
            expect: r.expect,
            ..RequestRow::default()
        };
        row.set_context(&r.context);
        row
    }

    /// Sets the context from a scenario's `context` object (aws:SourceIp, when a string, goes
    /// to the Source IP field).
    pub fn set_context(&mut self, ctx: &Map<String, Value>) {
        self.source_ip.clear();
        self.context.clear();
        for (k, v) in ctx {
            if k.eq_ignore_ascii_case(SOURCE_IP_KEY) && self.source_ip.is_empty() {
                if let Value::String(s) = v {
                    self.source_ip = s.clone();
                    continue;
                }
            }
            let field = match v {
                Value::Array(items) => ContextField {
                    key: k.clone(),
                    kind: items.first().map(kind_of).unwrap_or_default(),
                    multi: true,
                    values: items.iter().map(value_string).collect(),
                },
                single => ContextField {
                    key: k.clone(),
                    kind: kind_of(single),
                    multi: false,
                    values: vec![value_string(single)],
                },
            };
            self.context.push(field);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IP: &str =
        include_str!("../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

    fn read(text: &str) -> Workspace {
        Workspace::from_scenario(&Scenario::from_json(text).unwrap())
    }

    #[test]
    fn scenario_round_trips_exactly() {
        let ws = read(IP);
        assert_eq!(ws.policies.docs.identity.len(), 1);
        assert_eq!(ws.policies.docs.identity[0].name, "Identity policy 1");
        assert_eq!(ws.requests.len(), 7);
        assert_eq!(
            ws.requests.first().map(|r| r.source_ip.as_str()),
            Some("54.240.143.5")
        );
        // Objects become their pretty-printed text, and go back out as objects.
        let v: Value = serde_json::from_str(IP).unwrap();
        let written: Value = serde_json::from_str(&ws.to_scenario_text()).unwrap();
        assert_eq!(written, v);
        assert_eq!(
            Scenario::from_json(&ws.to_scenario_text()).unwrap(),
            ws.scenario_file()
        );
    }

    #[test]
    fn edited_text_is_kept_verbatim_as_a_string() {
        let mut ws = Workspace::default();
        let id = ws.add_policy(PolicyKind::Identity, None);
        let text = "{ \"Version\": \"2012-10-17\", \"Statement\": [] }";
        if let Some(p) = ws.policy_mut(id) {
            p.text = text.into();
        }
        let s = ws.scenario_file();
        assert_eq!(s.policies.identity[0], PolicySource::Text(text.into()));
        let back = read(&s.to_json_pretty());
        assert_eq!(back.policies.docs.identity[0].text, text);
    }

    #[test]
    fn new_policies_are_named_by_the_engine() {
        let mut ws = Workspace::default();
        ws.add_policy(PolicyKind::Identity, None);
        let root = ws.add_policy(PolicyKind::Scp, None);
        let below = ws.add_policy(PolicyKind::Scp, None);
        let name = |id| ws.policy(id).map(|p| p.name.clone()).unwrap_or_default();
        assert_eq!(name(PolicyId::Identity(0)), "Identity policy 1");
        assert_eq!(name(root), "SCP 1 · organization root");
        assert_eq!(name(below), "SCP 1 · level 1");
        assert_eq!(name(below), below.title());
        // A single-policy layer keeps its one policy.
        let r = ws.add_policy(PolicyKind::Resource, None);
        ws.policy_mut(r).unwrap().text = "kept".into();
        assert_eq!(ws.add_policy(PolicyKind::Resource, None), r);
        assert_eq!(ws.policy(r).unwrap().text, "kept");
    }

    #[test]
    fn layers_switched_off_are_left_out() {
        let mut ws = Workspace::default();
        ws.add_policy(PolicyKind::Identity, None);
        ws.add_policy(PolicyKind::Scp, None);
        ws.add_policy(PolicyKind::Scp, Some(0));
        ws.add_policy(PolicyKind::Scp, None);
        assert_eq!(ws.policies.docs.scps.len(), 2);
        assert_eq!(ws.policies.docs.scps[0].len(), 2);
        assert_eq!(ws.scenario().policies.scps.len(), 2);
        ws.set_on(PolicyKind::Scp, false);
        assert!(ws.scenario().policies.scps.is_empty());
        assert_eq!(ws.policies.docs.scps.len(), 2, "kept while off");
        ws.set_on(PolicyKind::Scp, true);
        assert!(ws.is_on(PolicyKind::Scp));
    }

    #[test]
    fn removing_the_last_policy_of_a_level_removes_the_level() {
        let mut ws = Workspace::default();
        ws.add_policy(PolicyKind::Rcp, None);
        let id = PolicyId::Rcp { level: 0, index: 0 };
        assert!(ws.remove_policy(id));
        assert!(ws.policies.docs.rcps.is_empty());
        assert!(!ws.remove_policy(id));
    }

    #[test]
    fn the_saved_form_is_the_one_share_links_and_autosaves_hold() {
        // As written before the engine's layer vocabulary: every field, `off` by field name.
        let old = r#"{"name":"n","description":"","policies":{"identity":[{"name":"mine","text":"{}"}],
            "resource":null,"permissionsBoundary":null,"session":null,"scps":[[{"name":"SCP 1 (root)","text":"{}"}],[]],
            "rcps":[],"vpcEndpoint":[],"off":["scps"]},"requests":[{"name":"","principal":"p","action":"a:b",
            "resource":"*","resourceAccount":"","sourceIp":"10.0.0.1","context":[{"key":"k","kind":"number","multi":false,"values":["1.50"]}],"expect":"allowed"}]}"#;
        let ws: Workspace = serde_json::from_str(old).unwrap();
        assert_eq!(ws.policies.docs.identity[0].name, "mine");
        assert_eq!(ws.policies.docs.scps.len(), 2, "an empty level is kept");
        assert!(!ws.is_on(PolicyKind::Scp));
        assert_eq!(ws.requests[0].expect, Some(Decision::Allowed));
        assert_eq!(ws.requests[0].context[0].values, ["1.50"]);
        let text = serde_json::to_string(&ws).unwrap();
        assert!(text.contains(r#""off":["scps"]"#), "{text}");
        assert_eq!(serde_json::from_str::<Workspace>(&text).unwrap(), ws);
    }

    #[test]
    fn typed_and_multivalued_context() {
        let row = RequestRow {
            source_ip: " 10.0.0.1 ".into(),
            resource_account: " 111122223333 ".into(),
            context: vec![
                ContextField {
                    key: "aws:TagKeys".into(),
                    kind: ValueKind::String,
                    multi: true,
                    values: vec!["team".into(), "env".into()],
                },
                ContextField {
                    key: "s3:max-keys".into(),
                    kind: ValueKind::Number,
                    multi: false,
                    values: vec!["10".into()],
                },
                ContextField {
                    key: "aws:MultiFactorAuthPresent".into(),
                    kind: ValueKind::Bool,
                    multi: false,
                    values: vec!["true".into()],
                },
            ],
            ..RequestRow::example()
        };
        let spec = row.to_spec();
        assert_eq!(spec.resource_account.as_deref(), Some("111122223333"));
        assert_eq!(spec.context["aws:SourceIp"], Value::from("10.0.0.1"));
        assert_eq!(
            spec.context["aws:TagKeys"],
            serde_json::json!(["team", "env"])
        );
        assert_eq!(spec.context["s3:max-keys"], serde_json::json!(10));
        assert_eq!(
            spec.context["aws:MultiFactorAuthPresent"],
            Value::Bool(true)
        );
        let back = RequestRow::from_spec(&spec);
        assert_eq!(back.source_ip, "10.0.0.1");
        assert_eq!(back.context.len(), 3);
        assert_eq!(back.context[1].kind, ValueKind::Number);
    }
}
