//! The diff as data: what the command line prints, and what the npm package
//! and the playground render (`serde`, camelCase).

use iam_policy::{Decision, Diagnostic, Effect, RequestSpec, Span};
use serde::Serialize;

/// Which kind of policy both versions are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DiffKind {
    /// Identity-based: requests by a user of the policy's account.
    Identity,
    /// Resource-based: requests by the principals the policy names.
    Resource,
}

impl DiffKind {
    pub fn policy_kind(self) -> iam_policy::PolicyKind {
        match self {
            DiffKind::Identity => iam_policy::PolicyKind::Identity,
            DiffKind::Resource => iam_policy::PolicyKind::Resource,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DiffKind::Identity => "identity",
            DiffKind::Resource => "resource",
        }
    }
}

/// The old or the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
    Old,
    New,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }

    pub fn upper(self) -> &'static str {
        match self {
            Side::Old => "OLD",
            Side::New => "NEW",
        }
    }
}

/// What happened to an action's access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// OLD allowed the action in no case (no Allow covers it, or an
    /// unconditional Deny on every resource does); NEW has an Allow for it.
    Granted,
    /// The reverse: NEW allows it in no case, OLD did.
    Revoked,
    /// Both allow it; the resources differ (and possibly more: see `aspects`).
    ResourcesChanged,
    /// Both allow it; the conditions differ.
    ConditionsChanged,
    /// Both allow it; the principals (resource policies) differ.
    PrincipalsChanged,
    /// The statements that decide it changed and the diff can neither prove
    /// the access equal nor show a request decided differently.
    MayDiffer,
}

impl ChangeKind {
    /// `+`, `-`, `~` or `?`, as the command line marks it.
    pub fn mark(self) -> char {
        match self {
            ChangeKind::Granted => '+',
            ChangeKind::Revoked => '-',
            ChangeKind::MayDiffer => '?',
            _ => '~',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Granted => "granted",
            ChangeKind::Revoked => "revoked",
            ChangeKind::ResourcesChanged => "resources changed",
            ChangeKind::ConditionsChanged => "conditions changed",
            ChangeKind::PrincipalsChanged => "principals changed",
            ChangeKind::MayDiffer => "may differ",
        }
    }
}

/// Whether something is shown, disproven, or undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Evidence {
    /// Shown by an example request the engine decides that way.
    Yes,
    /// Proven impossible.
    No,
    /// Neither shown nor disproven.
    Unknown,
}

/// Which parts of the deciding statements differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Aspect {
    Resources,
    Conditions,
    Principals,
    /// A Deny statement that covers the action was added, removed or changed.
    Deny,
}

/// A statement of one version, where it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementPos {
    pub side: Side,
    /// Index in the policy's Statement list.
    pub statement: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub effect: Effect,
    /// 1-based, in characters: where the statement's first element starts.
    pub line: u32,
    pub column: u32,
    /// The whole statement, for highlighting.
    pub span: Span,
}

impl StatementPos {
    /// `new statement 2 "Sid" (line 14, column 5)`.
    pub fn describe(&self) -> String {
        let sid = self
            .sid
            .as_deref()
            .map(|s| format!(" \"{s}\""))
            .unwrap_or_default();
        format!(
            "{} statement {}{sid} (line {}, column {})",
            self.side.upper(),
            self.statement,
            self.line,
            self.column
        )
    }
}

/// A policy the example was evaluated with besides the two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssumedPolicy {
    /// The scenario-format slot: `identity` or `resource`.
    pub layer: String,
    pub policy: serde_json::Value,
    pub why: String,
}

/// Which way an example shows the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Shows {
    /// NEW allows it, OLD does not.
    NewAccess,
    /// OLD allowed it, NEW does not.
    LostAccess,
}

/// A request the engine decides differently under the two versions,
/// verified by evaluating it against both.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub shows: Shows,
    /// In the scenario format: add it to a scenario's `requests` as is.
    pub request: RequestSpec,
    pub old: Decision,
    pub new: Decision,
    /// The catalog resource type whose ARN format the resource follows
    /// (none: the resource fits the statement but no format of the action).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Policies evaluated with the version (e.g. the caller's identity
    /// policy for a cross-account grant), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed_policies: Vec<AssumedPolicy>,
    /// One line: principal, action, resource, context.
    pub summary: String,
}

/// How one action's access changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionChange {
    /// `s3:PutObject`, as the catalog spells it.
    pub action: String,
    /// False for an action a policy names literally that the catalog does
    /// not list.
    pub in_catalog: bool,
    pub kind: ChangeKind,
    /// Does NEW allow a request OLD did not?
    pub new_access: Evidence,
    /// Did OLD allow a request NEW does not?
    pub lost_access: Evidence,
    pub aspects: Vec<Aspect>,
    /// The statements of each version whose Action covers it (Allow and Deny).
    pub old_statements: Vec<StatementPos>,
    pub new_statements: Vec<StatementPos>,
    pub sentence: String,
    /// Why the diff could not prove more (for `mayDiffer`, and for any
    /// change without an example).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// At most one per direction, new access first.
    pub examples: Vec<Example>,
}

/// The changes of one service.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDiff {
    pub prefix: String,
    /// Empty for a service the catalog does not know.
    pub name: String,
    pub changes: Vec<ActionChange>,
}

/// Counts over every change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffSummary {
    /// Catalog actions compared (plus actions named literally that the
    /// catalog does not list).
    pub actions_compared: usize,
    pub granted: usize,
    pub revoked: usize,
    pub resources_changed: usize,
    pub conditions_changed: usize,
    pub principals_changed: usize,
    pub may_differ: usize,
    /// Changes whose new access an example shows.
    pub new_access_shown: usize,
    /// NEW grants, or may grant, something OLD did not: some change's
    /// `newAccess` is not `no`. The command line exits 1 then.
    pub new_access: bool,
}

/// What access changed between two versions of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDiff {
    pub kind: DiffKind,
    pub summary: DiffSummary,
    /// Services with a change, by prefix.
    pub services: Vec<ServiceDiff>,
}

/// A diagnostic of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SideDiagnostic {
    pub side: Side,
    pub diagnostic: Diagnostic,
}

/// The versions could not be compared: AWS would refuse to store one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffError {
    /// Every error of both versions, each with its line and column.
    pub diagnostics: Vec<SideDiagnostic>,
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "{n} error{} in the policies: ",
            if n == 1 { "" } else { "s" }
        )?;
        let parts: Vec<String> = self
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "{} {}:{}: {}",
                    d.side.upper(),
                    d.diagnostic.span.start.line,
                    d.diagnostic.span.start.column,
                    d.diagnostic.message
                )
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for DiffError {}
