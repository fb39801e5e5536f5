//! The one vocabulary for policy layers, used by the engine, the command
//! line, the npm package, the widget and the playground:
//!
//! - [`PolicyKind`]: which kind of policy (decides the elements it may have);
//! - [`Layer`]: one layer of a request's evaluation (a kind, and for SCPs and
//!   RCPs the organization level);
//! - [`PolicyId`]: one policy of a scenario (`identity/0`, `scps/1/0`, …),
//!   with [`std::fmt::Display`] and [`std::str::FromStr`];
//! - [`LayerMap`]: one slot per layer (the scenario format's `policies`);
//! - the words people read: [`Layer::label`], [`Layer::title`],
//!   [`Layer::when`], [`PolicyId::label`].
//!
//! Adding a layer touches this file (and the evaluation that gives it a
//! meaning).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which kind of policy; decides which elements it may or must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyKind {
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    Scp,
    Rcp,
    VpcEndpoint,
}

impl PolicyKind {
    /// Every kind, in the order results list them.
    pub const ALL: [PolicyKind; 7] = [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::PermissionsBoundary,
        PolicyKind::Session,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::VpcEndpoint,
    ];

    /// The kind's name in the npm package and the CLI (`identity`, `scp`, …).
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::PermissionsBoundary => "permissionsBoundary",
            PolicyKind::Session => "session",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::VpcEndpoint => "vpcEndpoint",
        }
    }

    /// Reads a kind's name (case-insensitive), as [`PolicyKind::name`] or as
    /// the scenario field (`scps`, `rcps`).
    pub fn parse(name: &str) -> Option<PolicyKind> {
        PolicyKind::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name) || k.field().eq_ignore_ascii_case(name))
    }

    /// The scenario format's field (`identity`, `scps`, …).
    pub fn field(self) -> &'static str {
        match self {
            PolicyKind::Scp => "scps",
            PolicyKind::Rcp => "rcps",
            other => other.name(),
        }
    }

    /// Resource-based kinds name a principal; identity-based ones must not.
    pub fn has_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::Rcp | PolicyKind::VpcEndpoint
        )
    }

    /// Policies IAM itself validates (its `MalformedPolicyDocument` rules).
    pub fn is_iam_policy(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity | PolicyKind::PermissionsBoundary | PolicyKind::Session
        )
    }

    /// Organization policies come in levels (root first).
    pub fn has_levels(self) -> bool {
        matches!(self, PolicyKind::Scp | PolicyKind::Rcp)
    }

    /// One policy of this kind, for sentences: "an identity-based policy".
    pub fn label(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity-based policy",
            PolicyKind::Resource => "resource-based policy",
            PolicyKind::PermissionsBoundary => "permissions boundary",
            PolicyKind::Session => "session policy",
            PolicyKind::Scp => "service control policy",
            PolicyKind::Rcp => "resource control policy",
            PolicyKind::VpcEndpoint => "VPC endpoint policy",
        }
    }

    /// A heading: "Identity policies", "SCPs", …
    pub fn title(self) -> &'static str {
        match self {
            PolicyKind::Identity => "Identity policies",
            PolicyKind::Resource => "Resource policy",
            PolicyKind::PermissionsBoundary => "Permissions boundary",
            PolicyKind::Session => "Session policy",
            PolicyKind::Scp => "SCPs",
            PolicyKind::Rcp => "RCPs",
            PolicyKind::VpcEndpoint => "VPC endpoint policies",
        }
    }

    /// When the layer takes part in a decision, in one line.
    pub fn when(self) -> &'static str {
        match self {
            PolicyKind::Identity => "Attached to the caller (user, group or role). They can allow; every request needs an Allow somewhere.",
            PolicyKind::Resource => "Attached to the resource (bucket, queue, key or trust policy). Names principals; can allow on its own within one account.",
            PolicyKind::PermissionsBoundary => "The most the caller's identity policies may grant: an Allow outside it does nothing.",
            PolicyKind::Session => "Passed when a role session or federated session is created: the most that session may do.",
            PolicyKind::Scp => "Set by the organization for its accounts' users and roles, level by level: every level must allow.",
            PolicyKind::Rcp => "Set by the organization for its accounts' resources: their Deny statements limit every caller.",
            PolicyKind::VpcEndpoint => "Applies when the request goes through a VPC endpoint: it must allow too.",
        }
    }
}

/// One layer of a request's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Layer {
    Identity,
    Resource,
    PermissionsBoundary,
    Session,
    /// The SCPs of one organization level (0 is the root).
    Scp {
        level: usize,
    },
    /// The RCPs of one organization level (0 is the root).
    Rcp {
        level: usize,
    },
    VpcEndpoint,
}

impl Layer {
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

    /// The organization level of an SCP or RCP layer.
    pub fn level(&self) -> Option<usize> {
        match self {
            Layer::Scp { level } | Layer::Rcp { level } => Some(*level),
            _ => None,
        }
    }

    /// The layer's id in results: `identity`, `scps/1`, …
    pub fn id(&self) -> String {
        self.to_string()
    }

    /// The layer for people: "the identity-based policies", "the SCPs of the
    /// organization root", "the RCPs of organization level 2".
    pub fn label(&self) -> String {
        let level = |l: usize| {
            if l == 0 {
                "the organization root".to_string()
            } else {
                format!("organization level {l} below the root")
            }
        };
        match self {
            Layer::Identity => "the identity-based policies".to_string(),
            Layer::Resource => "the resource-based policy".to_string(),
            Layer::PermissionsBoundary => "the permissions boundary".to_string(),
            Layer::Session => "the session policy".to_string(),
            Layer::Scp { level: l } => format!("the SCPs of {}", level(*l)),
            Layer::Rcp { level: l } => format!("the RCPs of {}", level(*l)),
            Layer::VpcEndpoint => "the VPC endpoint policies".to_string(),
        }
    }

    /// A heading: "SCPs · organization root", "Identity policies".
    pub fn title(&self) -> String {
        match self.level() {
            Some(0) => format!("{} · organization root", self.kind().title()),
            Some(l) => format!("{} · level {l}", self.kind().title()),
            None => self.kind().title().to_string(),
        }
    }

    /// When the layer takes part in a decision, in one line.
    pub fn when(&self) -> &'static str {
        self.kind().when()
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Scp { level } => write!(f, "scps/{level}"),
            Layer::Rcp { level } => write!(f, "rcps/{level}"),
            other => f.write_str(other.kind().field()),
        }
    }
}

/// One policy of a scenario: `identity/0`, `resource`, `permissionsBoundary`,
/// `session`, `scps/LEVEL/N`, `rcps/LEVEL/N`, `vpcEndpoint/N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyId {
    Identity(usize),
    Resource,
    PermissionsBoundary,
    Session,
    Scp { level: usize, index: usize },
    Rcp { level: usize, index: usize },
    VpcEndpoint(usize),
}

impl PolicyId {
    pub fn layer(&self) -> Layer {
        match self {
            PolicyId::Identity(_) => Layer::Identity,
            PolicyId::Resource => Layer::Resource,
            PolicyId::PermissionsBoundary => Layer::PermissionsBoundary,
            PolicyId::Session => Layer::Session,
            PolicyId::Scp { level, .. } => Layer::Scp { level: *level },
            PolicyId::Rcp { level, .. } => Layer::Rcp { level: *level },
            PolicyId::VpcEndpoint(_) => Layer::VpcEndpoint,
        }
    }

    pub fn kind(&self) -> PolicyKind {
        self.layer().kind()
    }

    /// The policy's position within its layer (0 for single-policy layers).
    pub fn index(&self) -> usize {
        match self {
            PolicyId::Identity(i) | PolicyId::VpcEndpoint(i) => *i,
            PolicyId::Scp { index, .. } | PolicyId::Rcp { index, .. } => *index,
            _ => 0,
        }
    }

    /// The policy for people: "identity policy 1", "the resource policy",
    /// "SCP 2 of the organization root".
    pub fn label(&self) -> String {
        let level = |l: usize| {
            if l == 0 {
                "the organization root".to_string()
            } else {
                format!("organization level {l}")
            }
        };
        match self {
            PolicyId::Identity(i) => format!("identity policy {}", i + 1),
            PolicyId::Resource => "the resource policy".to_string(),
            PolicyId::PermissionsBoundary => "the permissions boundary".to_string(),
            PolicyId::Session => "the session policy".to_string(),
            PolicyId::Scp { level: l, index } => format!("SCP {} of {}", index + 1, level(*l)),
            PolicyId::Rcp { level: l, index } => format!("RCP {} of {}", index + 1, level(*l)),
            PolicyId::VpcEndpoint(i) => format!("VPC endpoint policy {}", i + 1),
        }
    }
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyId::Identity(i) => write!(f, "identity/{i}"),
            PolicyId::Scp { level, index } => write!(f, "scps/{level}/{index}"),
            PolicyId::Rcp { level, index } => write!(f, "rcps/{level}/{index}"),
            PolicyId::VpcEndpoint(i) => write!(f, "vpcEndpoint/{i}"),
            other => f.write_str(other.kind().field()),
        }
    }
}

/// Why a policy id could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPolicyId(pub String);

impl fmt::Display for BadPolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a policy id: write identity/N, resource, permissionsBoundary, session, scps/LEVEL/N, rcps/LEVEL/N or vpcEndpoint/N",
            self.0
        )
    }
}

impl std::error::Error for BadPolicyId {}

impl FromStr for PolicyId {
    type Err = BadPolicyId;

    fn from_str(s: &str) -> Result<PolicyId, BadPolicyId> {
        let bad = || BadPolicyId(s.to_string());
        let mut parts = s.split('/');
        let head = parts.next().unwrap_or_default();
        let nums: Vec<usize> = parts
            .map(|p| p.parse::<usize>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match (head, nums.as_slice()) {
            ("identity", [i]) => Ok(PolicyId::Identity(*i)),
            ("resource", []) => Ok(PolicyId::Resource),
            ("permissionsBoundary", []) => Ok(PolicyId::PermissionsBoundary),
            ("session", []) => Ok(PolicyId::Session),
            ("scps", [level, index]) => Ok(PolicyId::Scp {
                level: *level,
                index: *index,
            }),
            ("rcps", [level, index]) => Ok(PolicyId::Rcp {
                level: *level,
                index: *index,
            }),
            ("vpcEndpoint", [i]) => Ok(PolicyId::VpcEndpoint(*i)),
            _ => Err(bad()),
        }
    }
}

impl Serialize for PolicyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PolicyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// One slot per layer: the caller's identity policies, the resource's
/// policy, the boundary, the session policy, SCPs and RCPs per organization
/// level (root first), the VPC endpoint's policies. Field names are the
/// scenario format's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerMap<T> {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<T>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scps: Vec<Vec<T>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rcps: Vec<Vec<T>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vpc_endpoint: Vec<T>,
}

impl<T> Default for LayerMap<T> {
    fn default() -> Self {
        LayerMap {
            identity: Vec::new(),
            resource: None,
            permissions_boundary: None,
            session: None,
            scps: Vec::new(),
            rcps: Vec::new(),
            vpc_endpoint: Vec::new(),
        }
    }
}

impl<T> LayerMap<T> {
    /// Every policy with its id, in the order results list them.
    pub fn iter(&self) -> impl Iterator<Item = (PolicyId, &T)> {
        self.identity
            .iter()
            .enumerate()
            .map(|(i, p)| (PolicyId::Identity(i), p))
            .chain(self.resource.iter().map(|p| (PolicyId::Resource, p)))
            .chain(
                self.permissions_boundary
                    .iter()
                    .map(|p| (PolicyId::PermissionsBoundary, p)),
            )
            .chain(self.session.iter().map(|p| (PolicyId::Session, p)))
            .chain(by_level(&self.scps, |level, index| PolicyId::Scp {
                level,
                index,
            }))
            .chain(by_level(&self.rcps, |level, index| PolicyId::Rcp {
                level,
                index,
            }))
            .chain(
                self.vpc_endpoint
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (PolicyId::VpcEndpoint(i), p)),
            )
    }

    /// Every policy, without ids.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.iter().map(|(_, p)| p)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    pub fn get(&self, id: PolicyId) -> Option<&T> {
        match id {
            PolicyId::Identity(i) => self.identity.get(i),
            PolicyId::Resource => self.resource.as_ref(),
            PolicyId::PermissionsBoundary => self.permissions_boundary.as_ref(),
            PolicyId::Session => self.session.as_ref(),
            PolicyId::Scp { level, index } => self.scps.get(level).and_then(|v| v.get(index)),
            PolicyId::Rcp { level, index } => self.rcps.get(level).and_then(|v| v.get(index)),
            PolicyId::VpcEndpoint(i) => self.vpc_endpoint.get(i),
        }
    }

    pub fn get_mut(&mut self, id: PolicyId) -> Option<&mut T> {
        match id {
            PolicyId::Identity(i) => self.identity.get_mut(i),
            PolicyId::Resource => self.resource.as_mut(),
            PolicyId::PermissionsBoundary => self.permissions_boundary.as_mut(),
            PolicyId::Session => self.session.as_mut(),
            PolicyId::Scp { level, index } => {
                self.scps.get_mut(level).and_then(|v| v.get_mut(index))
            }
            PolicyId::Rcp { level, index } => {
                self.rcps.get_mut(level).and_then(|v| v.get_mut(index))
            }
            PolicyId::VpcEndpoint(i) => self.vpc_endpoint.get_mut(i),
        }
    }

    /// The same layers with each policy mapped.
    pub fn map<U>(&self, mut f: impl FnMut(PolicyId, &T) -> U) -> LayerMap<U> {
        let mut out = LayerMap::default();
        for (id, p) in self.iter() {
            out.put(id, f(id, p));
        }
        out
    }

    /// Puts a policy at its id: a new last policy of its layer (or level),
    /// or the single policy of a single-policy layer.
    pub fn put(&mut self, id: PolicyId, p: T) {
        fn at_level<T>(levels: &mut Vec<Vec<T>>, level: usize, p: T) {
            while levels.len() <= level {
                levels.push(Vec::new());
            }
            if let Some(v) = levels.get_mut(level) {
                v.push(p);
            }
        }
        match id {
            PolicyId::Identity(_) => self.identity.push(p),
            PolicyId::Resource => self.resource = Some(p),
            PolicyId::PermissionsBoundary => self.permissions_boundary = Some(p),
            PolicyId::Session => self.session = Some(p),
            PolicyId::Scp { level, .. } => at_level(&mut self.scps, level, p),
            PolicyId::Rcp { level, .. } => at_level(&mut self.rcps, level, p),
            PolicyId::VpcEndpoint(_) => self.vpc_endpoint.push(p),
        }
    }

    /// The layers in evaluation order, each with its policies. The identity
    /// layer is always there (every request needs an Allow); another layer
    /// without policies is left out, but an SCP or RCP level without
    /// policies is kept, since each level must allow on its own.
    pub fn layers(&self) -> Vec<(Layer, Vec<(PolicyId, &T)>)> {
        let mut out: Vec<(Layer, Vec<(PolicyId, &T)>)> = vec![(Layer::Identity, Vec::new())];
        for (id, p) in self.iter() {
            let layer = id.layer();
            match out.last_mut() {
                Some((l, ps)) if *l == layer => ps.push((id, p)),
                _ => out.push((layer, vec![(id, p)])),
            }
        }
        // empty organization levels still take part
        for (level, ps) in self.scps.iter().enumerate() {
            if ps.is_empty() {
                out.push((Layer::Scp { level }, Vec::new()));
            }
        }
        for (level, ps) in self.rcps.iter().enumerate() {
            if ps.is_empty() {
                out.push((Layer::Rcp { level }, Vec::new()));
            }
        }
        out.sort_by_key(|(l, _)| *l);
        out
    }
}

/// The policies of organization levels with their ids.
fn by_level<T>(
    levels: &[Vec<T>],
    make: fn(usize, usize) -> PolicyId,
) -> impl Iterator<Item = (PolicyId, &T)> {
    levels
        .iter()
        .enumerate()
        .flat_map(move |(l, ps)| ps.iter().enumerate().map(move |(i, p)| (make(l, i), p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for text in [
            "identity/0",
            "resource",
            "permissionsBoundary",
            "session",
            "scps/1/0",
            "rcps/0/2",
            "vpcEndpoint/3",
        ] {
            let id: PolicyId = text.parse().unwrap();
            assert_eq!(id.to_string(), text);
        }
        assert!("scps/1".parse::<PolicyId>().is_err());
        assert!("identity/x".parse::<PolicyId>().is_err());
        assert_eq!(
            PolicyId::Scp { level: 1, index: 0 }.layer().to_string(),
            "scps/1"
        );
        assert_eq!(
            Layer::Scp { level: 0 }.label(),
            "the SCPs of the organization root"
        );
        assert_eq!(
            PolicyId::Rcp { level: 2, index: 1 }.label(),
            "RCP 2 of organization level 2"
        );
    }

    #[test]
    fn layer_map_iterates_in_order_and_keeps_empty_levels() {
        let mut m: LayerMap<&str> = LayerMap::default();
        m.put(PolicyId::Resource, "r");
        m.put(PolicyId::Identity(0), "i0");
        m.put(PolicyId::Rcp { level: 0, index: 0 }, "rcp");
        m.scps = vec![vec![], vec!["scp1"]];
        let ids: Vec<String> = m.iter().map(|(id, _)| id.to_string()).collect();
        assert_eq!(ids, ["identity/0", "resource", "scps/1/0", "rcps/0/0"]);
        let layers: Vec<String> = m.layers().iter().map(|(l, _)| l.to_string()).collect();
        assert_eq!(
            layers,
            ["identity", "resource", "scps/0", "scps/1", "rcps/0"]
        );
        let empty: LayerMap<&str> = LayerMap::default();
        assert_eq!(
            empty.layers().len(),
            1,
            "the identity layer is always there"
        );
        assert_eq!(m.get(PolicyId::Scp { level: 1, index: 0 }), Some(&"scp1"));
        let upper = m.map(|_, p| p.to_uppercase());
        assert_eq!(upper.resource.as_deref(), Some("R"));
    }
}
