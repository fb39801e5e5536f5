//! Scenario files: the interchange format of the playground, the command line
//! and the tests (`docs/scenario-format.md`). Types only: the one reader is
//! `crate::parse::scenario` (also behind these types' `Deserialize`), the
//! writer is their `Serialize`.

use crate::ast::Decision;
use crate::layer::LayerMap;
use crate::span::Span;
use serde::Serialize;

/// A policy as a scenario holds it: its text exactly as written, a JSON
/// object (whose positions refer to its canonical pretty-printed form), or a
/// reference to an AWS managed policy (`{"managed": "AWSImageBuilderFullAccess"}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PolicySource {
    Text(String),
    Object(serde_json::Value),
    Managed(ManagedRef),
}

/// A reference to an AWS managed policy by name or ARN. The engine holds no
/// managed policies: a front end resolves the reference (from the bundled
/// copy, `iam-managed`) before compiling, filling in `document`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagedRef {
    /// The name or ARN as written.
    pub managed: String,
    /// Where the reference is written in the scenario file.
    #[serde(skip)]
    pub span: Option<Span>,
    /// The resolved policy, once a front end has looked it up.
    #[serde(skip)]
    pub resolved: Option<ResolvedManaged>,
}

/// An AWS managed policy as resolved from the bundled copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedManaged {
    pub name: String,
    pub arn: String,
    pub version_id: String,
    pub update_date: String,
    /// The document text (positions refer to it).
    pub document: String,
}

impl ManagedRef {
    pub fn new(name: impl Into<String>) -> ManagedRef {
        ManagedRef {
            managed: name.into(),
            span: None,
            resolved: None,
        }
    }
}

impl PolicySource {
    /// The text positions refer to (empty for an unresolved managed policy).
    pub fn text(&self) -> String {
        match self {
            PolicySource::Text(t) => t.clone(),
            PolicySource::Object(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
            PolicySource::Managed(m) => m
                .resolved
                .as_ref()
                .map(|r| r.document.clone())
                .unwrap_or_default(),
        }
    }

    /// The managed policy's name, for a reference.
    pub fn managed_name(&self) -> Option<&str> {
        match self {
            PolicySource::Managed(m) => Some(
                m.resolved
                    .as_ref()
                    .map_or(m.managed.as_str(), |r| r.name.as_str()),
            ),
            _ => None,
        }
    }
}

/// The policies of a scenario, one slot per layer.
pub type ScenarioPolicies = LayerMap<PolicySource>;

/// One request to simulate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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

impl Scenario {
    /// Pretty-printed JSON (two-space indent), as the playground downloads it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
