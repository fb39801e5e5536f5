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

    /// Layers of one policy at most: the resource's policy, the permissions
    /// boundary, the session policy.
    pub fn single(self) -> bool {
        matches!(
            self,
            PolicyKind::Resource | PolicyKind::PermissionsBoundary | PolicyKind::Session
        )
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
        let level = level_label;
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
            Some(l) => format!("{} · {}", self.kind().title(), level_title(l)),
            None => self.kind().title().to_string(),
        }
    }

    /// When the layer takes part in a decision, in one line.
    pub fn when(&self) -> &'static str {
        self.kind().when()
    }
}

/// An organization level in a sentence: "the organization root",
/// "organization level 2 below the root".
fn level_label(level: usize) -> String {
    if level == 0 {
        "the organization root".to_string()
    } else {
        format!("organization level {level} below the root")
    }
}

/// An organization level in a heading: "organization root", "level 2".
fn level_title(level: usize) -> String {
    if level == 0 {
        "organization root".to_string()
    } else {
        format!("level {level}")
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
    /// The policy of `kind` at organization `level` (SCPs and RCPs) and
    /// position `index` in its list; single-policy kinds use neither.
    pub fn of(kind: PolicyKind, level: usize, index: usize) -> PolicyId {
        match kind {
            PolicyKind::Identity => PolicyId::Identity(index),
            PolicyKind::Resource => PolicyId::Resource,
            PolicyKind::PermissionsBoundary => PolicyId::PermissionsBoundary,
            PolicyKind::Session => PolicyId::Session,
            PolicyKind::Scp => PolicyId::Scp { level, index },
            PolicyKind::Rcp => PolicyId::Rcp { level, index },
            PolicyKind::VpcEndpoint => PolicyId::VpcEndpoint(index),
        }
    }

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
        let level = level_label;
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

    /// A heading for the policy: "Identity policy 1", "Resource policy",
    /// "SCP 2 · organization root", "RCP 1 · level 2".
    pub fn title(&self) -> String {
        match self {
            PolicyId::Identity(i) => format!("Identity policy {}", i + 1),
            PolicyId::Scp { level, index } => {
                format!("SCP {} · {}", index + 1, level_title(*level))
            }
            PolicyId::Rcp { level, index } => {
                format!("RCP {} · {}", index + 1, level_title(*level))
            }
            PolicyId::VpcEndpoint(i) => format!("VPC endpoint policy {}", i + 1),
            other => other.kind().title().to_string(),
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

    /// The same layers with each policy mapped, in [`LayerMap::iter`]'s
    /// order (empty organization levels are kept).
    pub fn map<U>(&self, mut f: impl FnMut(PolicyId, &T) -> U) -> LayerMap<U> {
        let mut out = LayerMap::default();
        for (id, p) in self.iter() {
            out.put(id, f(id, p));
        }
        out.scps.resize_with(self.scps.len(), Vec::new);
        out.rcps.resize_with(self.rcps.len(), Vec::new);
        out
    }

    /// Empties one layer (every level of SCPs or RCPs).
    pub fn clear(&mut self, kind: PolicyKind) {
        match kind {
            PolicyKind::Identity => self.identity.clear(),
            PolicyKind::Resource => self.resource = None,
            PolicyKind::PermissionsBoundary => self.permissions_boundary = None,
            PolicyKind::Session => self.session = None,
            PolicyKind::Scp => self.scps.clear(),
            PolicyKind::Rcp => self.rcps.clear(),
            PolicyKind::VpcEndpoint => self.vpc_endpoint.clear(),
        }
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

    /// Adds a policy of `kind` as the last of its layer and returns its id.
    /// SCPs and RCPs go to organization `level`, or to a new level below the
    /// others when `level` is `None` or past the last one. A single-policy
    /// layer's policy is replaced.
    pub fn add(&mut self, kind: PolicyKind, level: Option<usize>, p: T) -> PolicyId {
        fn at_level<T>(levels: &mut Vec<Vec<T>>, level: Option<usize>, p: T) -> (usize, usize) {
            let l = match level {
                Some(l) if l < levels.len() => l,
                _ => {
                    levels.push(Vec::new());
                    levels.len() - 1
                }
            };
            match levels.get_mut(l) {
                Some(v) => {
                    v.push(p);
                    (l, v.len() - 1)
                }
                None => (l, 0),
            }
        }
        match kind {
            PolicyKind::Identity => {
                self.identity.push(p);
                PolicyId::Identity(self.identity.len() - 1)
            }
            PolicyKind::Resource => {
                self.resource = Some(p);
                PolicyId::Resource
            }
            PolicyKind::PermissionsBoundary => {
                self.permissions_boundary = Some(p);
                PolicyId::PermissionsBoundary
            }
            PolicyKind::Session => {
                self.session = Some(p);
                PolicyId::Session
            }
            PolicyKind::Scp => {
                let (level, index) = at_level(&mut self.scps, level, p);
                PolicyId::Scp { level, index }
            }
            PolicyKind::Rcp => {
                let (level, index) = at_level(&mut self.rcps, level, p);
                PolicyId::Rcp { level, index }
            }
            PolicyKind::VpcEndpoint => {
                self.vpc_endpoint.push(p);
                PolicyId::VpcEndpoint(self.vpc_endpoint.len() - 1)
            }
        }
    }

    /// Removes a policy; the policies after it in its list move up one. An
    /// organization level left without policies goes too (the levels below
    /// it move up), since an empty level would allow nothing.
    pub fn remove(&mut self, id: PolicyId) -> Option<T> {
        fn remove_at<T>(v: &mut Vec<T>, i: usize) -> Option<T> {
            (i < v.len()).then(|| v.remove(i))
        }
        fn remove_leveled<T>(levels: &mut Vec<Vec<T>>, level: usize, i: usize) -> Option<T> {
            let removed = levels.get_mut(level).and_then(|v| remove_at(v, i));
            if levels.get(level).is_some_and(Vec::is_empty) {
                levels.remove(level);
            }
            removed
        }
        match id {
            PolicyId::Identity(i) => remove_at(&mut self.identity, i),
            PolicyId::Resource => self.resource.take(),
            PolicyId::PermissionsBoundary => self.permissions_boundary.take(),
            PolicyId::Session => self.session.take(),
            PolicyId::Scp { level, index } => remove_leveled(&mut self.scps, level, index),
            PolicyId::Rcp { level, index } => remove_leveled(&mut self.rcps, level, index),
            PolicyId::VpcEndpoint(i) => remove_at(&mut self.vpc_endpoint, i),
        }
    }

    /// The layers in evaluation order, each with its policies. The identity
    /// layer is always there (every request needs an Allow); another layer
    /// without policies is left out, but an SCP or RCP level without
    /// policies is kept, since each level must allow on its own.
    pub fn layers(&self) -> Vec<(Layer, Vec<(PolicyId, &T)>)> {
        type Entry<'a, T> = (Layer, Vec<(PolicyId, &'a T)>);
        fn list<T>(layer: Layer, ps: &[T], id: impl Fn(usize) -> PolicyId) -> Entry<'_, T> {
            (
                layer,
                ps.iter().enumerate().map(|(i, p)| (id(i), p)).collect(),
            )
        }
        fn single<T>(layer: Layer, id: PolicyId, p: &Option<T>) -> Option<Entry<'_, T>> {
            p.as_ref().map(|p| (layer, vec![(id, p)]))
        }
        let mut out = vec![list(Layer::Identity, &self.identity, PolicyId::Identity)];
        out.extend(single(Layer::Resource, PolicyId::Resource, &self.resource));
        out.extend(single(
            Layer::PermissionsBoundary,
            PolicyId::PermissionsBoundary,
            &self.permissions_boundary,
        ));
        out.extend(single(Layer::Session, PolicyId::Session, &self.session));
        // every organization level takes part, an empty one too
        for (level, ps) in self.scps.iter().enumerate() {
            out.push(list(Layer::Scp { level }, ps, |index| PolicyId::Scp {
                level,
                index,
            }));
        }
        for (level, ps) in self.rcps.iter().enumerate() {
            out.push(list(Layer::Rcp { level }, ps, |index| PolicyId::Rcp {
                level,
                index,
            }));
        }
        if !self.vpc_endpoint.is_empty() {
            out.push(list(
                Layer::VpcEndpoint,
                &self.vpc_endpoint,
                PolicyId::VpcEndpoint,
            ));
        }
        out
    }
}

impl<T> LayerMap<T> {
    /// Writes the layers that have policies into a map, under the scenario
    /// format's field names (as `Serialize` writes them), for a map that
    /// holds other fields too.
    pub fn write_fields<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>
    where
        T: Serialize,
    {
        for kind in PolicyKind::ALL {
            let key = kind.field();
            match kind {
                PolicyKind::Identity if !self.identity.is_empty() => {
                    map.serialize_entry(key, &self.identity)?
                }
                PolicyKind::Resource => {
                    if let Some(p) = &self.resource {
                        map.serialize_entry(key, p)?
                    }
                }
                PolicyKind::PermissionsBoundary => {
                    if let Some(p) = &self.permissions_boundary {
                        map.serialize_entry(key, p)?
                    }
                }
                PolicyKind::Session => {
                    if let Some(p) = &self.session {
                        map.serialize_entry(key, p)?
                    }
                }
                PolicyKind::Scp if !self.scps.is_empty() => map.serialize_entry(key, &self.scps)?,
                PolicyKind::Rcp if !self.rcps.is_empty() => map.serialize_entry(key, &self.rcps)?,
                PolicyKind::VpcEndpoint if !self.vpc_endpoint.is_empty() => {
                    map.serialize_entry(key, &self.vpc_endpoint)?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the value of `key` from a map when `key` is a layer's field
    /// (`identity`, `scps`, …), and says whether it was; the map's other
    /// fields are the caller's.
    pub fn read_field<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>
    where
        T: Deserialize<'de>,
    {
        let Some(kind) = PolicyKind::ALL.into_iter().find(|k| k.field() == key) else {
            return Ok(false);
        };
        match kind {
            PolicyKind::Identity => self.identity = map.next_value()?,
            PolicyKind::Resource => self.resource = map.next_value()?,
            PolicyKind::PermissionsBoundary => self.permissions_boundary = map.next_value()?,
            PolicyKind::Session => self.session = map.next_value()?,
            PolicyKind::Scp => self.scps = map.next_value()?,
            PolicyKind::Rcp => self.rcps = map.next_value()?,
            PolicyKind::VpcEndpoint => self.vpc_endpoint = map.next_value()?,
        }
        Ok(true)
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
            "RCP 2 of organization level 2 below the root"
        );
        assert_eq!(
            PolicyId::Scp { level: 0, index: 1 }.title(),
            "SCP 2 · organization root"
        );
        assert_eq!(Layer::Scp { level: 2 }.title(), "SCPs · level 2");
        assert_eq!(PolicyId::Session.title(), "Session policy");
        for kind in PolicyKind::ALL {
            let id = PolicyId::of(kind, 1, 2);
            assert_eq!(id.kind(), kind);
            assert_eq!(id.layer().level(), kind.has_levels().then_some(1));
            assert_eq!(id.index(), if kind.single() { 0 } else { 2 });
        }
    }

    #[test]
    fn layer_maps_add_and_remove_policies() {
        let mut m: LayerMap<&str> = LayerMap::default();
        assert_eq!(
            m.add(PolicyKind::Scp, None, "a"),
            PolicyId::Scp { level: 0, index: 0 }
        );
        assert_eq!(
            m.add(PolicyKind::Scp, Some(0), "b"),
            PolicyId::Scp { level: 0, index: 1 }
        );
        assert_eq!(
            m.add(PolicyKind::Scp, Some(7), "c"),
            PolicyId::Scp { level: 1, index: 0 }
        );
        assert_eq!(
            m.add(PolicyKind::Identity, None, "i"),
            PolicyId::Identity(0)
        );
        assert_eq!(m.add(PolicyKind::Session, Some(3), "s"), PolicyId::Session);
        assert_eq!(m.remove(PolicyId::Scp { level: 0, index: 0 }), Some("a"));
        assert_eq!(m.get(PolicyId::Scp { level: 0, index: 0 }), Some(&"b"));
        assert_eq!(m.remove(PolicyId::Scp { level: 0, index: 0 }), Some("b"));
        assert_eq!(m.scps, vec![vec!["c"]], "an emptied level goes");
        assert_eq!(m.remove(PolicyId::Scp { level: 3, index: 0 }), None);
        assert_eq!(m.remove(PolicyId::Session), Some("s"));
        assert_eq!(m.remove(PolicyId::Session), None);
    }

    /// A LayerMap inside another object, as `write_fields` and `read_field` serve it.
    #[derive(PartialEq, Debug)]
    struct Holder {
        layers: LayerMap<String>,
        other: bool,
    }

    impl Serialize for Holder {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(None)?;
            self.layers.write_fields(&mut m)?;
            m.serialize_entry("other", &self.other)?;
            m.end()
        }
    }

    impl<'de> Deserialize<'de> for Holder {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Holder;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a holder")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Holder, A::Error> {
                    let mut h = Holder {
                        layers: LayerMap::default(),
                        other: false,
                    };
                    while let Some(key) = map.next_key::<String>()? {
                        if key == "other" {
                            h.other = map.next_value()?;
                        } else if !h.layers.read_field(&key, &mut map)? {
                            return Err(serde::de::Error::custom(format!("unknown {key}")));
                        }
                    }
                    Ok(h)
                }
            }
            d.deserialize_map(V)
        }
    }

    #[test]
    fn layer_maps_are_written_and_read_as_fields_of_another_object() {
        let mut layers = LayerMap::default();
        layers.add(PolicyKind::Identity, None, "i".to_string());
        layers.add(PolicyKind::Resource, None, "r".to_string());
        layers.scps = vec![vec!["root".to_string()], vec![]];
        let h = Holder {
            layers,
            other: true,
        };
        let text = serde_json::to_string(&h).unwrap();
        assert_eq!(
            text,
            r#"{"identity":["i"],"resource":"r","scps":[["root"],[]],"other":true}"#
        );
        assert_eq!(
            serde_json::to_value(&h.layers).unwrap(),
            serde_json::json!({"identity":["i"],"resource":"r","scps":[["root"],[]]}),
            "the fields are the ones Serialize writes"
        );
        let back: Holder = serde_json::from_str(&text).unwrap();
        assert_eq!(back, h, "empty organization levels are kept");
        let bad = serde_json::from_str::<Holder>(r#"{"scp":[]}"#).unwrap_err();
        assert!(bad.to_string().contains("unknown scp"), "{bad}");
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
        m.scps.push(Vec::new());
        let same = m.map(|_, p| *p);
        assert_eq!(same, m, "a trailing empty level is kept");
        m.clear(PolicyKind::Scp);
        assert!(m.scps.is_empty());
    }
}
