//! What the user edits: the workspace. Its policies are the engine's [`LayerMap`] of what the
//! user edits per policy (a name and the text as written); its requests are rows as typed
//! (source IP first-class, typed and multivalued context keys), which become the engine's
//! [`RequestSpec`]s in one place ([`RequestRow::to_spec`]). The scenario file is the engine's
//! [`Scenario`]: read by `Scenario::from_json` (crate::engine), written by
//! `Scenario::to_json_pretty`. Playground-only: names, layers switched off, rows as typed.
//!
//! Pure data and conversions, no browser APIs, so it is tested natively.

use iam_policy::{Decision, LayerMap, PolicyId, PolicyKind, PolicySource, RequestSpec, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

/// Everything the user edits. This is what is shared in links and saved in localStorage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Workspace {
    pub name: String,
    pub description: String,
    pub policies: Layers,
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

    /// Adds a policy to a layer (for SCPs/RCPs: to the given level, or a new level when
    /// `level` is past the end) and returns its id; its name is the engine's title for it
    /// ("Identity policy 2", "SCP 1 · level 1"). A single-policy layer that already has its
    /// policy returns that one.
    pub fn add_policy(&mut self, kind: PolicyKind, level: Option<usize>) -> PolicyId {
        let docs = &mut self.policies.docs;
        let existing = PolicyId::of(kind, 0, 0);
        if kind.single() && docs.get(existing).is_some() {
            return existing;
        }
        let text = match kind {
            PolicyKind::Identity => POLICY_TEMPLATE,
            PolicyKind::Resource => RESOURCE_TEMPLATE,
            _ => ALLOW_ALL_TEMPLATE,
        };
        let id = docs.add(kind, level, PolicyDoc::new(String::new(), text));
        if let Some(doc) = docs.get_mut(id) {
            doc.name = id.title();
        }
        id
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
        let mut policies = self.policies.docs.map(|_, d| source(&d.text));
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
                docs: s.policies.map(|id, p| PolicyDoc::new(id.title(), p.text())),
                off: Vec::new(),
            },
            requests: s.requests.iter().map(RequestRow::from_spec).collect(),
        }
    }
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
