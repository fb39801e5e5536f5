//! What would change a decision: for any authorization, the smallest changes
//! that flip it, as data.
//!
//! - An implicit deny: the Allow statements that came closest (every element
//!   but one matched: the action, the resource, the caller, or only their
//!   conditions) and what was missing, each with an edit of the request that
//!   makes it apply; and the layer that has no Allow.
//! - An explicit deny: each denying statement and the condition that would
//!   have to be false, with an edit of the request that makes it false; the
//!   denying statements that would have to go.
//! - An allow: every statement that allows (they would all have to go, since
//!   one Allow is enough), and edits of the request that make an allowing
//!   statement's condition false or a Deny's conditions true.
//!
//! Every edit of the request is verified: the edited request is decided again
//! by the engine and kept only when the decision differs, with the decision
//! it gets (`decisionAfter`). Policy changes (removing statements) are
//! verified the same way on a copy of the policies. The work is bounded:
//! at most [`MAX_EVALUATIONS`] engine decisions per request, at most
//! [`MAX_CLOSEST`] near-miss statements examined, at most [`MAX_VALUES`]
//! candidate values per context key; finding the statements is one pass over
//! the traces.

use crate::ast::operator::OperatorFamily;
use crate::ast::policy::{
    ActionElement, Condition, Effect, PrincipalElement, PrincipalType, ResourceElement, Statement,
    Typed,
};
use crate::ast::scenario::RequestSpec;
use crate::eval::authorize::{
    opt_layer_as_text, Authorization, Decision, DecisionRule, Detail, LayerDecision, LayerResult,
    PolicyResult, PolicySet, StatementRef,
};
use crate::eval::condition;
use crate::eval::statement::StatementTrace;
use crate::explain::sentences::{condition_sentence, element_sentence, principal_sentence};
use crate::layer::{Layer, PolicyId};
use crate::pattern::{Arn, Glob, Part, Template, Tok};
use crate::request::{context_from_json, Principal, RequestContext};
use crate::span::Span;
use crate::values;
use serde::Serialize;
use serde_json::{Map, Value};

/// At most this many engine decisions (each candidate edit is decided once)
/// per request.
pub const MAX_EVALUATIONS: usize = 64;
/// At most this many near-miss statements are examined per request.
pub const MAX_CLOSEST: usize = 8;
/// At most this many candidate values are judged per context key.
pub const MAX_VALUES: usize = 32;
/// Policy values of one condition that seed candidate values.
const MAX_SEEDS: usize = 8;
/// Candidate edits per statement element (resource, caller, action).
const MAX_PER_ELEMENT: usize = 3;

/// What a suggestion changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SuggestionKind {
    /// Add a context key to the request (`edit` holds it).
    AddContextKey,
    /// Change a context key's value.
    ChangeContextValue,
    /// Remove a context key.
    RemoveContextKey,
    /// Ask for another resource.
    ChangeResource,
    /// Call as another principal.
    ChangePrincipal,
    /// Ask for another action.
    ChangeAction,
    /// Several of the above together.
    ChangeRequest,
    /// A denying statement's condition would have to be false; no verified
    /// edit of the request alone makes it so and changes the decision.
    FalsifyDenyCondition,
    /// The denying statements would have to go (a policy change).
    RemoveDenyStatements,
    /// The allowing statements would have to go (a policy change).
    RemoveAllowStatements,
    /// A layer has no statement that allows, and it must allow (a policy change).
    LayerNeedsAllow,
    /// The resource-based policy must grant the caller (KMS key policy, role
    /// trust policy, cross-account access, anonymous callers and services).
    ResourcePolicyNeedsGrant,
}

/// What the change does to the statements it concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Goal {
    /// Makes an Allow statement apply (from an implicit deny).
    ApplyAllow,
    /// Makes a denying statement stop applying (from an explicit deny).
    AvoidDeny,
    /// Makes the allowing statements stop applying (from an allow).
    DropAllow,
    /// Makes a Deny statement apply (from an allow).
    ApplyDeny,
}

/// One change of the request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "change",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Change {
    /// Set a context key (added when `previous` is absent).
    SetContext {
        key: String,
        value: Value,
        #[serde(skip_serializing_if = "Option::is_none")]
        previous: Option<Value>,
    },
    /// Remove a context key.
    RemoveContext {
        key: String,
        previous: Value,
    },
    SetResource {
        value: String,
        previous: String,
    },
    SetPrincipal {
        value: String,
        previous: String,
    },
    SetAction {
        value: String,
        previous: String,
    },
}

/// An edited request: the changes, in words, and the whole request after them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestEdit {
    pub changes: Vec<Change>,
    /// "set aws:SourceIp to 54.240.143.189".
    pub sentence: String,
    /// The request with the changes made (everything else as it was).
    pub request: RequestSpec,
}

/// The part of a statement a suggestion concerns, with its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "element",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ElementRef {
    Action {
        span: Option<Span>,
    },
    Resource {
        span: Option<Span>,
    },
    Principal {
        span: Span,
    },
    Condition {
        /// The operator as written.
        operator: String,
        key: String,
        operator_span: Span,
        key_span: Span,
    },
}

/// One way the decision would change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub kind: SuggestionKind,
    pub goal: Goal,
    /// The layer of the statements concerned (or the layer that needs an Allow).
    #[serde(serialize_with = "opt_layer_as_text")]
    pub layer: Option<Layer>,
    pub statements: Vec<StatementRef>,
    /// The elements of those statements the change concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<ElementRef>,
    /// For people, in the words of the explanations.
    pub sentence: String,
    /// The verified edit of the request, when one changes the decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edit: Option<RequestEdit>,
    /// The engine's decision after the change (the edited request, or the
    /// policies without the statements), when it was verified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_after: Option<Decision>,
}

/// The smallest changes that flip `auth`, the authorization of `spec`
/// against `set` (with full detail; a decision-only authorization is traced
/// again first). Every edit is verified with the engine; see the module
/// documentation for the bounds.
pub fn what_would_change(
    set: &PolicySet,
    spec: &RequestSpec,
    auth: &Authorization,
) -> Vec<Suggestion> {
    let untraced = auth.layers.iter().all(|l| l.policies.is_empty()) && !set.is_empty();
    if untraced {
        // the trace of the request itself is not one of the candidates
        return match spec.evaluate_with(set, Detail::Full) {
            Ok(full) => search(set, spec, &full),
            Err(_) => Vec::new(),
        };
    }
    search(set, spec, auth)
}

fn search(set: &PolicySet, spec: &RequestSpec, auth: &Authorization) -> Vec<Suggestion> {
    let mut w = WhatIf {
        set,
        spec,
        auth,
        principal: Principal::parse(&spec.principal).ok(),
        evaluations: 0,
        tried: Vec::new(),
        out: Vec::new(),
    };
    w.run();
    w.out
}

/// "set aws:SourceIp to 54.240.143.189 and use resource arn:…".
pub fn edit_sentence(changes: &[Change]) -> String {
    let parts: Vec<String> = changes.iter().map(change_sentence).collect();
    parts.join(" and ")
}

/// One change in words.
pub fn change_sentence(c: &Change) -> String {
    match c {
        Change::SetContext {
            key,
            value,
            previous: None,
        } => format!("add {key} = {}", value_text(value)),
        Change::SetContext { key, value, .. } => format!("set {key} to {}", value_text(value)),
        Change::RemoveContext { key, .. } => format!("remove {key} from the request"),
        Change::SetResource { value, .. } => format!("use resource {value}"),
        Change::SetPrincipal { value, .. } => format!("call as {value}"),
        Change::SetAction { value, .. } => format!("use action {value}"),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(Value::to_string).collect();
            format!("[{}]", parts.join(", "))
        }
        other => other.to_string(),
    }
}

// ------------------------------------------------------------ the search

/// A statement of the trace, with its layer and policy.
#[derive(Clone, Copy)]
struct Traced<'t> {
    layer: Layer,
    policy: &'t PolicyResult,
    trace: &'t StatementTrace,
}

/// The one element that kept an Allow statement from applying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    Conditions,
    Resource,
    Principal,
    Action,
}

impl Missing {
    fn rank(self) -> u8 {
        match self {
            Missing::Conditions => 0,
            Missing::Resource => 1,
            Missing::Principal => 2,
            Missing::Action => 3,
        }
    }
}

/// An Allow statement that came closest: all but one element matched.
#[derive(Clone, Copy)]
struct NearMiss<'t> {
    at: Traced<'t>,
    missing: Missing,
}

/// Whether a decision after a change reaches the goal: an Allow that
/// applies must give `allowed`, a Deny that applies `explicitDeny`; leaving a
/// Deny or an Allow behind must give any other decision.
fn reaches(goal: Goal, before: Decision, after: Decision) -> bool {
    after != before
        && match goal {
            Goal::ApplyAllow => after == Decision::Allowed,
            Goal::ApplyDeny => after == Decision::ExplicitDeny,
            Goal::AvoidDeny => after != Decision::ExplicitDeny,
            Goal::DropAllow => after != Decision::Allowed,
        }
}

/// The result of deciding an edited request.
enum Tried {
    Flipped(Box<RequestEdit>, Decision),
    Same(Box<Authorization>),
    Failed,
}

struct WhatIf<'a> {
    set: &'a PolicySet,
    spec: &'a RequestSpec,
    auth: &'a Authorization,
    principal: Option<Principal>,
    evaluations: usize,
    /// Edits already decided, and the decision they got.
    tried: Vec<(Vec<Change>, Decision)>,
    out: Vec<Suggestion>,
}

impl<'a> WhatIf<'a> {
    fn run(&mut self) {
        if self.auth.rule == DecisionRule::NoPermissionRequired {
            return;
        }
        match self.auth.decision {
            Decision::ImplicitDeny => self.implicit_deny(),
            Decision::ExplicitDeny => self.explicit_deny(),
            Decision::Allowed => self.allowed(),
        }
    }

    fn budget_left(&self) -> bool {
        self.evaluations < MAX_EVALUATIONS
    }

    fn decide_with(
        &mut self,
        set: &PolicySet,
        spec: &RequestSpec,
        detail: Detail,
    ) -> Option<Authorization> {
        if !self.budget_left() {
            return None;
        }
        self.evaluations += 1;
        spec.evaluate_with(set, detail).ok()
    }

    fn trace(&mut self, spec: &RequestSpec) -> Option<Authorization> {
        let set = self.set;
        self.decide_with(set, spec, Detail::Full)
    }

    /// Decides the request with `changes` made: `Flipped` when the decision
    /// it gets reaches the goal.
    fn try_edit(&mut self, goal: Goal, changes: &[Change]) -> Tried {
        if changes.is_empty() {
            return Tried::Failed;
        }
        if let Some((_, seen)) = self.tried.iter().find(|(c, _)| same_changes(c, changes)) {
            let seen = *seen;
            return if reaches(goal, self.auth.decision, seen) {
                Tried::Flipped(Box::new(self.edit(changes)), seen)
            } else {
                Tried::Failed
            };
        }
        let edited = apply(self.spec, changes);
        let set = self.set;
        let Some(a) = self.decide_with(set, &edited, Detail::Decision) else {
            return Tried::Failed;
        };
        self.tried.push((changes.to_vec(), a.decision));
        if reaches(goal, self.auth.decision, a.decision) {
            Tried::Flipped(
                Box::new(RequestEdit {
                    changes: changes.to_vec(),
                    sentence: edit_sentence(changes),
                    request: edited,
                }),
                a.decision,
            )
        } else {
            Tried::Same(Box::new(a))
        }
    }

    fn edit(&self, changes: &[Change]) -> RequestEdit {
        RequestEdit {
            changes: changes.to_vec(),
            sentence: edit_sentence(changes),
            request: apply(self.spec, changes),
        }
    }

    /// Adds a suggestion; an edit already suggested gains the statements.
    fn push(&mut self, s: Suggestion) {
        if let Some(e) = &s.edit {
            if let Some(existing) = self.out.iter_mut().find(|o| {
                o.goal == s.goal
                    && o.edit
                        .as_ref()
                        .is_some_and(|x| same_changes(&x.changes, &e.changes))
            }) {
                for r in s.statements {
                    if !existing.statements.contains(&r) {
                        existing.statements.push(r);
                    }
                }
                return;
            }
        }
        self.out.push(s);
    }

    // -------------------------------------------------------- implicit deny

    fn implicit_deny(&mut self) {
        let auth = self.auth;
        let misses = near_misses(auth);
        let spec = self.spec;
        let mut progress: Vec<(NearMiss<'a>, Vec<Change>)> = Vec::new();
        let mut action_suggestions = 0;
        for nm in &misses {
            // Asking for another action is the last resort: only when no
            // other element's change helps, and for two statements at most.
            if nm.missing == Missing::Action {
                if action_suggestions >= 2
                    || self
                        .out
                        .iter()
                        .any(|s| s.kind != SuggestionKind::ChangeAction)
                {
                    continue;
                }
                action_suggestions += 1;
            }
            for changes in self.near_miss_edits(spec, nm) {
                match self.try_edit(Goal::ApplyAllow, &changes) {
                    Tried::Flipped(boxed, after) => {
                        let edit = *boxed;
                        let s = near_miss_suggestion(&[*nm], spec, edit, after);
                        self.push(s);
                        break;
                    }
                    Tried::Same(a) => {
                        let now_allows = a
                            .layers
                            .iter()
                            .any(|l| l.layer == nm.at.layer && l.decision == LayerDecision::Allow);
                        if now_allows && progress.len() < 2 {
                            progress.push((*nm, changes));
                        }
                    }
                    Tried::Failed => {}
                }
            }
        }
        // No single change flips it, but one makes its layer allow: another
        // layer blocks too; look for the second change on top of the first.
        if self.out.is_empty() {
            for (first, changes) in progress {
                self.chain(first, changes);
            }
        }
        self.layer_suggestion(&misses);
    }

    /// A change that made one layer allow, then a change for the layer that
    /// still blocks.
    fn chain(&mut self, first: NearMiss<'a>, changes: Vec<Change>) {
        let spec1 = apply(self.spec, &changes);
        let Some(a1) = self.trace(&spec1) else {
            return;
        };
        for nm in near_misses(&a1) {
            for more in self.near_miss_edits(&spec1, &nm) {
                let all = merge(&changes, &more);
                if let Tried::Flipped(boxed, after) = self.try_edit(Goal::ApplyAllow, &all) {
                    let edit = *boxed;
                    let mut s = near_miss_suggestion(&[first], self.spec, edit, after);
                    let second = near_miss_suggestion(&[nm], &spec1, self.edit(&more), after);
                    s.sentence = format!("{}; then {}", s.sentence, second.sentence);
                    s.statements.extend(second.statements);
                    s.elements.extend(second.elements);
                    self.push(s);
                    return;
                }
            }
        }
    }

    /// Candidate edits that make a near-miss statement apply.
    fn near_miss_edits(&self, base: &RequestSpec, nm: &NearMiss<'_>) -> Vec<Vec<Change>> {
        let Some(st) = statement_ast(self.set, nm.at.policy.policy, nm.at.trace.index) else {
            return Vec::new();
        };
        match nm.missing {
            Missing::Conditions => {
                let failing: Vec<&Condition> = st
                    .conditions
                    .iter()
                    .zip(&nm.at.trace.conditions)
                    .filter(|(_, t)| !t.result)
                    .map(|(c, _)| c)
                    .collect();
                all_true_changes(base, st, &failing, self.hints())
                    .into_iter()
                    .collect()
            }
            Missing::Resource => st
                .resource
                .as_ref()
                .map(|r| resource_edits(base, r))
                .unwrap_or_default(),
            Missing::Principal => st
                .principal
                .as_ref()
                .map(|p| principal_edits(base, p, self.principal.as_ref()))
                .unwrap_or_default(),
            Missing::Action => st
                .action
                .as_ref()
                .map(|a| action_edits(base, a))
                .unwrap_or_default(),
        }
    }

    fn hints(&self) -> Hints<'_> {
        Hints {
            principal: self.principal.as_ref(),
        }
    }

    /// The layer that has no Allow (or the resource policy that must grant).
    fn layer_suggestion(&mut self, misses: &[NearMiss<'_>]) {
        let auth = self.auth;
        let Some(layer) = auth.blocked_by else {
            return;
        };
        let (kind, why) = match &auth.rule {
            DecisionRule::ResourcePolicyRequired { service } if service == "kms" => (
                SuggestionKind::ResourcePolicyNeedsGrant,
                "a KMS key policy must allow the request, directly or by delegating to the account's IAM policies".to_string(),
            ),
            DecisionRule::ResourcePolicyRequired { .. } => (
                SuggestionKind::ResourcePolicyNeedsGrant,
                "the role's trust policy must allow sts:AssumeRole for the caller".to_string(),
            ),
            DecisionRule::OnlyResourcePolicyCanGrant => (
                SuggestionKind::ResourcePolicyNeedsGrant,
                "the caller has no identity-based policies, so only a resource-based policy can grant access".to_string(),
            ),
            DecisionRule::CrossAccountMissingAllow {
                resource_allows: false,
                ..
            } => (
                SuggestionKind::ResourcePolicyNeedsGrant,
                "across accounts the resource-based policy must allow the caller too".to_string(),
            ),
            DecisionRule::CrossAccountMissingAllow { .. } => (
                SuggestionKind::LayerNeedsAllow,
                "across accounts the caller's own policies must allow too".to_string(),
            ),
            DecisionRule::GuardrailNoAllow { .. } => (
                SuggestionKind::LayerNeedsAllow,
                "each guardrail (every SCP and RCP level, the VPC endpoint policy) must allow the request".to_string(),
            ),
            DecisionRule::LimitedBy { .. } => (
                SuggestionKind::LayerNeedsAllow,
                "it limits what the other policies grant".to_string(),
            ),
            _ => (
                SuggestionKind::LayerNeedsAllow,
                "no applicable policy allows the request".to_string(),
            ),
        };
        let closest: Vec<&NearMiss<'_>> = misses.iter().filter(|m| m.at.layer == layer).collect();
        let statements: Vec<StatementRef> = closest.iter().map(|m| statement_ref(&m.at)).collect();
        let mut sentence = format!(
            "{} would have to allow {} on {}: {why}",
            layer.label(),
            self.spec.action.trim(),
            self.spec.resource.trim()
        );
        if !closest.is_empty() {
            let names: Vec<String> = closest.iter().map(|m| statement_label(&m.at)).collect();
            sentence.push_str(&format!("; closest: {}", names.join(", ")));
        }
        self.out.push(Suggestion {
            kind,
            goal: Goal::ApplyAllow,
            layer: Some(layer),
            statements,
            elements: Vec::new(),
            sentence,
            edit: None,
            decision_after: None,
        });
    }

    // -------------------------------------------------------- explicit deny

    fn explicit_deny(&mut self) {
        let auth = self.auth;
        let spec = self.spec;
        let denying: Vec<Traced<'a>> = traced(auth).filter(|t| t.trace.denies()).collect();
        // the first change that makes each denying statement stop applying
        let mut first_per_statement: Vec<Option<Change>> = Vec::new();
        for d in denying.iter().take(MAX_CLOSEST) {
            let Some(st) = statement_ast(self.set, d.policy.policy, d.trace.index) else {
                first_per_statement.push(None);
                continue;
            };
            let mut first: Option<Change> = None;
            if st.conditions.is_empty() {
                for changes in escape_scope_edits(spec, st) {
                    if first.is_none() {
                        first = changes.first().cloned();
                    }
                    if let Tried::Flipped(boxed, after) = self.try_edit(Goal::AvoidDeny, &changes) {
                        let edit = *boxed;
                        let what = match changes.first() {
                            Some(Change::SetAction { .. }) => "for an action its NotAction lists",
                            Some(Change::SetPrincipal { .. }) => {
                                "for a caller its NotPrincipal leaves out"
                            }
                            _ => "for a resource its NotResource lists",
                        };
                        self.push(Suggestion {
                            kind: kind_of(&edit.changes),
                            goal: Goal::AvoidDeny,
                            layer: Some(d.layer),
                            statements: vec![statement_ref(d)],
                            elements: Vec::new(),
                            sentence: format!(
                                "{} (Deny) denies the request; it would not {what}",
                                statement_label(d)
                            ),
                            edit: Some(edit),
                            decision_after: Some(after),
                        });
                        break;
                    }
                }
            }
            for (c, ct) in st.conditions.iter().zip(&d.trace.conditions) {
                let change = false_change(spec, c, self.hints());
                if first.is_none() {
                    first.clone_from(&change);
                }
                let sentence = format!(
                    "{} (Deny) denies the request; it would not if this were false: {}",
                    statement_label(d),
                    condition_sentence(ct)
                );
                let element = condition_ref(c);
                let flipped = match change {
                    Some(ch) => match self.try_edit(Goal::AvoidDeny, std::slice::from_ref(&ch)) {
                        Tried::Flipped(boxed, after) => Some((*boxed, after)),
                        _ => None,
                    },
                    None => None,
                };
                let (kind, edit, after) = match flipped {
                    Some((edit, after)) => (kind_of(&edit.changes), Some(edit), Some(after)),
                    None => (SuggestionKind::FalsifyDenyCondition, None, None),
                };
                self.push(Suggestion {
                    kind,
                    goal: Goal::AvoidDeny,
                    layer: Some(d.layer),
                    statements: vec![statement_ref(d)],
                    elements: vec![element],
                    sentence,
                    edit,
                    decision_after: after,
                });
            }
            first_per_statement.push(first);
        }
        // several denying statements: one change for each, together
        if denying.len() > 1
            && denying.len() <= MAX_CLOSEST
            && first_per_statement.iter().all(Option::is_some)
        {
            let changes: Vec<Change> = first_per_statement.into_iter().flatten().collect();
            let merged = changes
                .iter()
                .fold(Vec::new(), |acc, c| merge(&acc, std::slice::from_ref(c)));
            if merged.len() == changes.len() {
                if let Tried::Flipped(boxed, after) = self.try_edit(Goal::AvoidDeny, &merged) {
                    let edit = *boxed;
                    let names: Vec<String> = denying.iter().map(statement_label).collect();
                    self.push(Suggestion {
                        kind: kind_of(&edit.changes),
                        goal: Goal::AvoidDeny,
                        layer: denying.first().map(|d| d.layer),
                        statements: denying.iter().map(statement_ref).collect(),
                        elements: Vec::new(),
                        sentence: format!(
                            "every denying statement would have to stop applying: {}",
                            names.join(", ")
                        ),
                        edit: Some(edit),
                        decision_after: Some(after),
                    });
                }
            }
        }
        let refs: Vec<StatementRef> = denying.iter().map(statement_ref).collect();
        if let Some(after) = self.without(&refs) {
            let names: Vec<String> = denying.iter().map(statement_label).collect();
            let what = if names.len() == 1 {
                "it is the statement that denies"
            } else {
                "they are the statements that deny"
            };
            self.out.push(Suggestion {
                kind: SuggestionKind::RemoveDenyStatements,
                goal: Goal::AvoidDeny,
                layer: denying.first().map(|d| d.layer),
                statements: refs,
                elements: Vec::new(),
                sentence: format!(
                    "{} would have to go (a change of the policy): {what}",
                    names.join(", ")
                ),
                edit: None,
                decision_after: Some(after),
            });
        }
    }

    /// The decision with these statements removed from the policies, when it
    /// differs.
    fn without(&mut self, refs: &[StatementRef]) -> Option<Decision> {
        if refs.is_empty() {
            return None;
        }
        let mut set = self.set.clone();
        for r in refs {
            if let Some(p) = set.get_mut(r.policy).and_then(|p| p.parsed.policy.as_mut()) {
                p.statements.retain(|s| s.index != r.statement);
            }
        }
        let spec = self.spec;
        let a = self.decide_with(&set, spec, Detail::Decision)?;
        (a.decision != self.auth.decision).then_some(a.decision)
    }

    // -------------------------------------------------------------- allowed

    fn allowed(&mut self) {
        let auth = self.auth;
        let spec = self.spec;
        // Policy changes: the allowing statements of one layer, or of both
        // granting layers (within one account either suffices).
        let mut cut_found = false;
        for l in &auth.layers {
            if l.decision != LayerDecision::Allow || l.deciding_statements.is_empty() {
                continue;
            }
            if let Some(after) = self.without(&l.deciding_statements) {
                cut_found |= matches!(l.layer, Layer::Identity | Layer::Resource);
                self.push_cut(&[l], after);
            }
        }
        if !cut_found {
            let granting: Vec<&LayerResult> = auth
                .layers
                .iter()
                .filter(|l| {
                    matches!(l.layer, Layer::Identity | Layer::Resource)
                        && l.decision == LayerDecision::Allow
                        && !l.deciding_statements.is_empty()
                })
                .collect();
            if granting.len() > 1 {
                let refs: Vec<StatementRef> = granting
                    .iter()
                    .flat_map(|l| l.deciding_statements.clone())
                    .collect();
                if let Some(after) = self.without(&refs) {
                    self.push_cut(&granting, after);
                }
            }
        }
        // Request edits: an allowing statement's condition made false.
        let allowing: Vec<Traced<'a>> = traced(auth).filter(|t| t.trace.allows()).collect();
        for a in &allowing {
            let Some(st) = statement_ast(self.set, a.policy.policy, a.trace.index) else {
                continue;
            };
            for (c, ct) in st.conditions.iter().zip(&a.trace.conditions) {
                let Some(ch) = false_change(spec, c, self.hints()) else {
                    continue;
                };
                if let Tried::Flipped(boxed, after) =
                    self.try_edit(Goal::DropAllow, std::slice::from_ref(&ch))
                {
                    let edit = *boxed;
                    self.push(Suggestion {
                        kind: kind_of(&edit.changes),
                        goal: Goal::DropAllow,
                        layer: Some(a.layer),
                        statements: vec![statement_ref(a)],
                        elements: vec![condition_ref(c)],
                        sentence: format!(
                            "{} (Allow) allows the request; it would not if this were false: {}",
                            statement_label(a),
                            condition_sentence(ct)
                        ),
                        edit: Some(edit),
                        decision_after: Some(after),
                    });
                }
            }
        }
        // Request edits: a Deny whose conditions alone are false made to apply.
        let near_denies: Vec<Traced<'a>> = traced(auth)
            .filter(|t| {
                t.trace.effect == Some(Effect::Deny)
                    && t.trace.scope_matched
                    && !t.trace.conditions_met
            })
            .take(MAX_CLOSEST)
            .collect();
        for d in &near_denies {
            let Some(st) = statement_ast(self.set, d.policy.policy, d.trace.index) else {
                continue;
            };
            let failing: Vec<&Condition> = st
                .conditions
                .iter()
                .zip(&d.trace.conditions)
                .filter(|(_, t)| !t.result)
                .map(|(c, _)| c)
                .collect();
            let Some(changes) = all_true_changes(spec, st, &failing, self.hints()) else {
                continue;
            };
            if let Tried::Flipped(boxed, after) = self.try_edit(Goal::ApplyDeny, &changes) {
                let edit = *boxed;
                let reasons: Vec<String> = d
                    .trace
                    .conditions
                    .iter()
                    .filter(|c| !c.result)
                    .map(condition_sentence)
                    .collect();
                let elements = failing.iter().map(|c| condition_ref(c)).collect();
                self.push(Suggestion {
                    kind: kind_of(&edit.changes),
                    goal: Goal::ApplyDeny,
                    layer: Some(d.layer),
                    statements: vec![statement_ref(d)],
                    elements,
                    sentence: format!(
                        "{} (Deny) would deny the request if this were true: {}",
                        statement_label(d),
                        reasons.join("; ")
                    ),
                    edit: Some(edit),
                    decision_after: Some(after),
                });
            }
        }
    }

    fn push_cut(&mut self, layers: &[&LayerResult], after: Decision) {
        let refs: Vec<StatementRef> = layers
            .iter()
            .flat_map(|l| l.deciding_statements.clone())
            .collect();
        let names: Vec<String> = refs.iter().map(ref_label).collect();
        let labels: Vec<String> = layers.iter().map(|l| l.layer.label()).collect();
        let sentence = format!(
            "for the request to be denied, every statement that allows it in {} would have to go (one Allow is enough): {}",
            labels.join(" and "),
            names.join(", ")
        );
        self.out.push(Suggestion {
            kind: SuggestionKind::RemoveAllowStatements,
            goal: Goal::DropAllow,
            layer: layers.first().map(|l| l.layer),
            statements: refs,
            elements: Vec::new(),
            sentence,
            edit: None,
            decision_after: Some(after),
        });
    }
}

// ------------------------------------------------------------ statements

/// Every traced statement, layer by layer.
fn traced(auth: &Authorization) -> impl Iterator<Item = Traced<'_>> {
    auth.layers.iter().flat_map(|l| {
        l.policies.iter().flat_map(move |p| {
            p.statements.iter().map(move |s| Traced {
                layer: l.layer,
                policy: p,
                trace: s,
            })
        })
    })
}

/// Which single element kept an Allow statement from applying.
fn missing_element(s: &StatementTrace) -> Option<Missing> {
    if s.effect != Some(Effect::Allow) || s.applies {
        return None;
    }
    let principal_ok = s.principal.as_ref().is_none_or(|p| p.matched);
    match (
        s.action.matched,
        s.resource.matched,
        principal_ok,
        s.conditions_met,
    ) {
        (true, true, true, false) => Some(Missing::Conditions),
        (true, false, true, true) => Some(Missing::Resource),
        (true, true, false, true) => Some(Missing::Principal),
        (false, true, true, true) => Some(Missing::Action),
        _ => None,
    }
}

/// The Allow statements that came closest, in the layers that have no
/// Allow: the blocking layer first, then conditions before resources,
/// callers and actions. One pass over the traces, at most [`MAX_CLOSEST`].
fn near_misses(auth: &Authorization) -> Vec<NearMiss<'_>> {
    let mut layers: Vec<&LayerResult> = Vec::new();
    if let Some(b) = auth.blocked_by {
        layers.extend(auth.layers.iter().filter(|l| l.layer == b));
    }
    layers.extend(
        auth.layers.iter().filter(|l| {
            l.decision == LayerDecision::ImplicitDeny && Some(l.layer) != auth.blocked_by
        }),
    );
    // one pass, into buckets by the element that failed: no sorting
    let mut out: Vec<NearMiss<'_>> = Vec::new();
    for l in layers {
        let mut buckets: [Vec<NearMiss<'_>>; 4] = Default::default();
        for p in &l.policies {
            for s in &p.statements {
                if let Some(missing) = missing_element(s) {
                    if let Some(b) = buckets.get_mut(usize::from(missing.rank())) {
                        if b.len() < MAX_CLOSEST {
                            b.push(NearMiss {
                                at: Traced {
                                    layer: l.layer,
                                    policy: p,
                                    trace: s,
                                },
                                missing,
                            });
                        }
                    }
                }
            }
        }
        for b in buckets {
            out.extend(b.into_iter().take(MAX_CLOSEST.saturating_sub(out.len())));
        }
        if out.len() >= MAX_CLOSEST {
            break;
        }
    }
    out
}

fn statement_ast(set: &PolicySet, id: PolicyId, index: usize) -> Option<&Statement> {
    let policy = set.get(id)?.parsed.policy.as_ref()?;
    match policy.statements.get(index) {
        Some(s) if s.index == index => Some(s),
        _ => policy.statements.iter().find(|s| s.index == index),
    }
}

fn statement_ref(t: &Traced<'_>) -> StatementRef {
    StatementRef {
        policy: t.policy.policy,
        managed: t.policy.managed.clone(),
        statement: t.trace.index,
        sid: t.trace.sid.clone(),
        line: t.trace.anchor.line,
        column: t.trace.anchor.column,
        span: t.trace.span,
    }
}

fn policy_label(policy: PolicyId, managed: Option<&str>) -> String {
    match managed {
        Some(name) => format!("{name} (AWS managed policy, {})", policy.label()),
        None => policy.label(),
    }
}

/// `statement 0 "IPAllow" of identity policy 1`.
fn statement_label(t: &Traced<'_>) -> String {
    ref_label(&statement_ref(t))
}

fn ref_label(r: &StatementRef) -> String {
    let sid = r
        .sid
        .as_deref()
        .map(|s| format!(" \"{s}\""))
        .unwrap_or_default();
    format!(
        "statement {}{sid} of {}",
        r.statement,
        policy_label(r.policy, r.managed.as_deref())
    )
}

fn condition_ref(c: &Condition) -> ElementRef {
    ElementRef::Condition {
        operator: c.operator_text.to_string(),
        key: c.key.to_string(),
        operator_span: c.operator_span,
        key_span: c.key_span,
    }
}

fn near_miss_suggestion(
    misses: &[NearMiss<'_>],
    base: &RequestSpec,
    edit: RequestEdit,
    after: Decision,
) -> Suggestion {
    let mut statements = Vec::new();
    let mut elements = Vec::new();
    let mut sentences = Vec::new();
    for nm in misses {
        let s = nm.at.trace;
        statements.push(statement_ref(&nm.at));
        let reason = match nm.missing {
            Missing::Conditions => {
                for c in s.conditions.iter().filter(|c| !c.result) {
                    elements.push(ElementRef::Condition {
                        operator: c.operator.to_string(),
                        key: c.key.to_string(),
                        operator_span: c.operator_span,
                        key_span: c.key_span,
                    });
                }
                let r: Vec<String> = s
                    .conditions
                    .iter()
                    .filter(|c| !c.result)
                    .map(condition_sentence)
                    .collect();
                r.join("; ")
            }
            Missing::Resource => {
                elements.push(ElementRef::Resource {
                    span: s.resource.key_span,
                });
                element_sentence("Resource", &s.resource, base.resource.trim())
            }
            Missing::Action => {
                elements.push(ElementRef::Action {
                    span: s.action.key_span,
                });
                element_sentence("Action", &s.action, base.action.trim())
            }
            Missing::Principal => match &s.principal {
                Some(p) => {
                    elements.push(ElementRef::Principal { span: p.key_span });
                    principal_sentence(p)
                }
                None => String::new(),
            },
        };
        sentences.push(format!(
            "{} (Allow) comes closest; only this stops it: {reason}",
            statement_label(&nm.at)
        ));
    }
    Suggestion {
        kind: kind_of(&edit.changes),
        goal: Goal::ApplyAllow,
        layer: misses.first().map(|m| m.at.layer),
        statements,
        elements,
        sentence: sentences.join("; "),
        edit: Some(edit),
        decision_after: Some(after),
    }
}

fn kind_of(changes: &[Change]) -> SuggestionKind {
    match changes {
        [one] => match one {
            Change::SetContext { previous: None, .. } => SuggestionKind::AddContextKey,
            Change::SetContext { .. } => SuggestionKind::ChangeContextValue,
            Change::RemoveContext { .. } => SuggestionKind::RemoveContextKey,
            Change::SetResource { .. } => SuggestionKind::ChangeResource,
            Change::SetPrincipal { .. } => SuggestionKind::ChangePrincipal,
            Change::SetAction { .. } => SuggestionKind::ChangeAction,
        },
        _ => SuggestionKind::ChangeRequest,
    }
}

// ------------------------------------------------------------ request edits

/// The request's spelling of a context key (names are case-insensitive); a
/// key whose value is `null` is absent.
fn context_value<'m>(map: &'m Map<String, Value>, key: &str) -> Option<(&'m String, &'m Value)> {
    map.iter()
        .find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_null())
}

fn set_context(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    let existing: Vec<String> = map
        .keys()
        .filter(|k| k.eq_ignore_ascii_case(key))
        .cloned()
        .collect();
    match value {
        Some(v) => match existing.first() {
            Some(k) => {
                if let Some(slot) = map.get_mut(k) {
                    *slot = v;
                }
            }
            None => {
                map.insert(key.to_string(), v);
            }
        },
        None => {
            for k in existing {
                map.shift_remove(&k);
            }
        }
    }
}

/// The request with the changes made.
fn apply(spec: &RequestSpec, changes: &[Change]) -> RequestSpec {
    let mut s = spec.clone();
    for c in changes {
        match c {
            Change::SetContext { key, value, .. } => {
                set_context(&mut s.context, key, Some(value.clone()));
            }
            Change::RemoveContext { key, .. } => set_context(&mut s.context, key, None),
            Change::SetResource { value, .. } => s.resource.clone_from(value),
            Change::SetPrincipal { value, .. } => s.principal.clone_from(value),
            Change::SetAction { value, .. } => s.action.clone_from(value),
        }
    }
    s
}

/// What a change sets: a context key (lower-cased), or a part of the request.
fn target(c: &Change) -> String {
    match c {
        Change::SetContext { key, .. } | Change::RemoveContext { key, .. } => {
            format!("context:{}", key.to_lowercase())
        }
        Change::SetResource { .. } => "resource".to_string(),
        Change::SetPrincipal { .. } => "principal".to_string(),
        Change::SetAction { .. } => "action".to_string(),
    }
}

/// `first` then `then`; a later change of the same target replaces an
/// earlier one (keeping what the request held before either), and a key
/// added then removed again is no change.
fn merge(first: &[Change], then: &[Change]) -> Vec<Change> {
    let mut out: Vec<Change> = first.to_vec();
    for c in then {
        match out.iter().position(|o| target(o) == target(c)) {
            Some(i) => {
                let earlier = out.remove(i);
                if let Some(merged) = with_previous(c.clone(), &earlier) {
                    out.insert(i, merged);
                }
            }
            None => out.push(c.clone()),
        }
    }
    out
}

/// A change of the same target as `earlier`, made after it, as one change
/// from the original request (None: the two cancel out).
fn with_previous(c: Change, earlier: &Change) -> Option<Change> {
    Some(match (c, earlier) {
        (Change::SetContext { key, value, .. }, Change::SetContext { previous, .. }) => {
            Change::SetContext {
                key,
                value,
                previous: previous.clone(),
            }
        }
        (Change::SetContext { key, value, .. }, Change::RemoveContext { previous, .. }) => {
            Change::SetContext {
                key,
                value,
                previous: Some(previous.clone()),
            }
        }
        (Change::RemoveContext { key, .. }, Change::SetContext { previous, .. }) => {
            Change::RemoveContext {
                key,
                previous: previous.clone()?,
            }
        }
        (Change::SetResource { value, .. }, Change::SetResource { previous, .. }) => {
            Change::SetResource {
                value,
                previous: previous.clone(),
            }
        }
        (Change::SetPrincipal { value, .. }, Change::SetPrincipal { previous, .. }) => {
            Change::SetPrincipal {
                value,
                previous: previous.clone(),
            }
        }
        (Change::SetAction { value, .. }, Change::SetAction { previous, .. }) => {
            Change::SetAction {
                value,
                previous: previous.clone(),
            }
        }
        (c, _) => c,
    })
}

/// The same changes, in any order.
fn same_changes(a: &[Change], b: &[Change]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}

/// The change that gives a context key this value (None: absent).
fn context_change(map: &Map<String, Value>, key: &str, value: Option<Value>) -> Option<Change> {
    let current = context_value(map, key);
    let spelled = current.map_or_else(|| key.to_string(), |(k, _)| k.clone());
    match (value, current) {
        (Some(v), cur) => Some(Change::SetContext {
            key: spelled,
            value: v,
            previous: cur.map(|(_, p)| p.clone()),
        }),
        (None, Some((_, p))) => Some(Change::RemoveContext {
            key: spelled,
            previous: p.clone(),
        }),
        (None, None) => None,
    }
}

// ------------------------------------------------------------ context values

/// What the value search knows about the request besides its context.
#[derive(Clone, Copy)]
struct Hints<'h> {
    principal: Option<&'h Principal>,
}

fn context_of(map: &Map<String, Value>) -> Option<RequestContext> {
    context_from_json(map).ok()
}

/// The texts of a context value (one, or each of a list).
fn texts(v: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => {
            matches!(x, Value::Array(_)) == matches!(y, Value::Array(_))
                && texts(Some(x)) == texts(Some(y))
        }
        _ => false,
    }
}

/// Values that a context key plausibly holds, for keys AWS documents.
fn plausible(key: &str, hints: Hints<'_>) -> Vec<String> {
    let k = key.to_ascii_lowercase();
    let account = hints
        .principal
        .and_then(Principal::account)
        .unwrap_or("111122223333")
        .to_string();
    let v: Vec<&str> = match k.as_str() {
        "aws:sourceip" => vec!["203.0.113.10"],
        "aws:multifactorauthpresent"
        | "aws:securetransport"
        | "aws:viaawsservice"
        | "aws:principalisawsservice" => vec!["true"],
        "aws:currenttime" | "aws:tokenissuetime" => vec!["2026-01-01T00:00:00Z"],
        "aws:epochtime" => vec!["1767225600"],
        "aws:multifactorauthage" => vec!["300"],
        "aws:requestedregion" => vec![
            "us-east-1",
            "us-west-2",
            "eu-west-1",
            "eu-central-1",
            "ap-southeast-1",
        ],
        "aws:principalaccount" | "aws:resourceaccount" | "aws:sourceaccount" => {
            return vec![account]
        }
        "aws:username" => {
            return match hints.principal {
                Some(Principal::User { name, .. }) => vec![name.clone()],
                _ => Vec::new(),
            }
        }
        "aws:principalarn" => {
            return hints
                .principal
                .and_then(Principal::arn)
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    };
    v.into_iter().map(str::to_string).collect()
}

fn ip_seeds(net: &ipnet::IpNet, out: &mut Vec<String>) {
    // Both families as numbers (IPv4 in the low 32 bits), with their largest address and the
    // prefix length from which a network has no address but its ends.
    let (a, b, max, whole) = match net {
        ipnet::IpNet::V4(n) => (
            u128::from(u32::from(n.network())),
            u128::from(u32::from(n.broadcast())),
            u128::from(u32::MAX),
            31,
        ),
        ipnet::IpNet::V6(n) => (
            u128::from(n.network()),
            u128::from(n.broadcast()),
            u128::MAX,
            127,
        ),
    };
    let v4 = matches!(net, ipnet::IpNet::V4(_));
    let mut push = |x: Option<u128>| {
        let Some(x) = x.filter(|x| *x <= max) else {
            return;
        };
        if v4 {
            if let Ok(x) = u32::try_from(x) {
                out.push(std::net::Ipv4Addr::from(x).to_string());
            }
        } else {
            out.push(std::net::Ipv6Addr::from(x).to_string());
        }
    };
    if net.prefix_len() >= whole {
        push(Some(a));
        push(Some(b));
    } else {
        push(a.checked_add(1));
        push(b.checked_sub(1));
    }
    push(a.checked_sub(1));
    push(b.checked_add(1));
}

fn ip_number(s: &str) -> Option<(bool, u128)> {
    match values::parse_ip(s)? {
        std::net::IpAddr::V4(a) => Some((false, u128::from(u32::from(a)))),
        std::net::IpAddr::V6(a) => Some((true, u128::from(a))),
    }
}

fn ip_neighbours(s: &str, out: &mut Vec<String>) {
    match values::parse_ip(s) {
        Some(std::net::IpAddr::V4(a)) => {
            let x = u32::from(a);
            for y in [x.checked_add(1), x.checked_sub(1)].into_iter().flatten() {
                out.push(std::net::Ipv4Addr::from(y).to_string());
            }
        }
        Some(std::net::IpAddr::V6(a)) => {
            let x = u128::from(a);
            for y in [x.checked_add(1), x.checked_sub(1)].into_iter().flatten() {
                out.push(std::net::Ipv6Addr::from(y).to_string());
            }
        }
        None => {}
    }
}

fn number_seeds(n: values::Number, out: &mut Vec<String>) {
    match n {
        values::Number::Int(i) => {
            for x in [i.checked_sub(1), Some(i), i.checked_add(1)]
                .into_iter()
                .flatten()
            {
                out.push(x.to_string());
            }
        }
        values::Number::Float(f) => {
            for x in [f - 1.0, f, f + 1.0] {
                if x.is_finite() {
                    out.push(x.to_string());
                }
            }
        }
    }
}

/// A date (epoch nanoseconds) as RFC 3339 text.
fn date_text(nanos: i128) -> Option<String> {
    let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).ok()?;
    let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).ok()?;
    let d = chrono::DateTime::<chrono::Utc>::from_timestamp(secs, sub)?;
    Some(d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
}

const DAY_NANOS: i128 = 86_400 * 1_000_000_000;

/// Candidate values for one context key, judged later against the
/// conditions on it: the values the conditions name (instantiated, and just
/// inside and outside each range or bound), values the key plausibly holds,
/// absence, and a placeholder. At most [`MAX_VALUES`], none equal to the
/// current value; addresses nearest the current one first.
fn value_pool(
    conds: &[&Condition],
    key: &str,
    current: Option<&Value>,
    ctx: &RequestContext,
    hints: Hints<'_>,
) -> Vec<Option<Value>> {
    let cur_texts = texts(current);
    let guide = cur_texts.first().cloned().unwrap_or_default();
    let mut scalars: Vec<String> = Vec::new();
    for c in conds {
        let base = c.operator.base;
        let family = base.positive().family();
        for v in c.values.iter().take(MAX_SEEDS) {
            match &v.typed {
                Typed::Invalid => {}
                Typed::Cidr(net) => ip_seeds(net, &mut scalars),
                Typed::Number(n) => number_seeds(*n, &mut scalars),
                Typed::Date(ns) => {
                    scalars.push(v.text.to_string());
                    for d in [ns - DAY_NANOS, ns + DAY_NANOS] {
                        scalars.extend(date_text(d));
                    }
                }
                Typed::Bool(_) if family == OperatorFamily::Bool => {
                    scalars.push("true".to_string());
                    scalars.push("false".to_string());
                }
                Typed::Bool(_) => {}
                Typed::Bytes(_) => scalars.push(v.text.to_string()),
                Typed::Arn(_) | Typed::Text => {
                    let Ok(g) = v.template.resolve(ctx) else {
                        continue;
                    };
                    match family {
                        OperatorFamily::Arn => scalars.push(instantiate_arn(&g.toks(), &guide)),
                        OperatorFamily::String if base.takes_wildcards() => {
                            scalars.push(instantiate(&g.toks(), &guide));
                        }
                        OperatorFamily::String => scalars.push(g.text()),
                        _ => {}
                    }
                }
            }
        }
        if family == OperatorFamily::IpAddress {
            ip_neighbours(&guide, &mut scalars);
        }
    }
    // addresses nearest the current one first (a stable sort)
    if let Some((v6, here)) = ip_number(&guide) {
        scalars.sort_by_key(|s| match ip_number(s) {
            Some((f, x)) if f == v6 => x.abs_diff(here),
            _ => u128::MAX,
        });
    }
    scalars.extend(plausible(key, hints));
    let bool_key = !conds.is_empty()
        && conds.iter().all(|c| {
            matches!(
                c.operator.base.family(),
                OperatorFamily::Bool | OperatorFamily::Null
            )
        });
    let scalar = |s: &String| -> Value {
        match (bool_key, values::parse_bool(s)) {
            (true, Some(b)) => Value::Bool(b),
            _ => Value::String(s.clone()),
        }
    };
    let mut seen: Vec<String> = Vec::new();
    scalars.retain(|s| {
        let fresh = !seen.contains(s);
        if fresh {
            seen.push(s.clone());
        }
        fresh
    });
    let multi =
        conds.iter().any(|c| c.operator.set.is_some()) || matches!(current, Some(Value::Array(_)));
    let mut out: Vec<Option<Value>> = Vec::new();
    let list =
        |items: Vec<String>| Some(Value::Array(items.into_iter().map(Value::String).collect()));
    if multi {
        // one value less, one value more, then one value alone
        for i in 0..cur_texts.len().min(MAX_SEEDS) {
            let mut l = cur_texts.clone();
            l.remove(i);
            out.push(list(l));
        }
        for s in scalars.iter().take(MAX_SEEDS) {
            if !cur_texts.contains(s) {
                let mut l = cur_texts.clone();
                l.push(s.clone());
                out.push(list(l));
            }
        }
        for s in &scalars {
            out.push(list(vec![s.clone()]));
        }
    } else {
        out.extend(scalars.iter().map(|s| Some(scalar(s))));
    }
    out.push(None);
    out.push(if multi {
        list(vec!["example".to_string()])
    } else {
        Some(Value::String("example".to_string()))
    });
    let mut kept: Vec<Option<Value>> = Vec::new();
    for c in out {
        if !same_value(c.as_ref(), current)
            && !kept.iter().any(|k| same_value(k.as_ref(), c.as_ref()))
        {
            kept.push(c);
        }
        if kept.len() >= MAX_VALUES {
            break;
        }
    }
    kept
}

/// The value a template's one variable must take for the template to give
/// `text`: `home/${aws:username}/*` and `home/bob/x` give (`aws:username`,
/// `bob`).
fn extract_variable(t: &Template, text: &str) -> Option<(String, String)> {
    let parts = t.parts();
    let mut vars = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, Part::Var { .. }));
    let (vi, var) = vars.next()?;
    if vars.next().is_some() {
        return None;
    }
    let Part::Var { key, .. } = var else {
        return None;
    };
    let mut prefix = String::new();
    for p in parts.get(..vi)? {
        let Part::Toks(toks) = p else {
            return None;
        };
        for t in toks {
            match t {
                Tok::Lit(c) => prefix.push(*c),
                _ => return None,
            }
        }
    }
    let rest = text.strip_prefix(&prefix)?;
    let value = match parts.get(vi + 1) {
        Some(Part::Toks(toks)) => match toks.first() {
            Some(Tok::Lit(c)) => rest.split(*c).next()?,
            _ => return None,
        },
        None => rest,
        Some(_) => return None,
    };
    (!value.is_empty()).then(|| (key.clone(), value.to_string()))
}

/// Changes that make every failing condition of a statement true: for each
/// key, the first candidate value under which all the statement's
/// conditions on that key hold (or, for a condition whose value uses a
/// variable, the variable's key set to what the request's value needs).
fn all_true_changes(
    base: &RequestSpec,
    st: &Statement,
    failing: &[&Condition],
    hints: Hints<'_>,
) -> Option<Vec<Change>> {
    let mut keys: Vec<String> = Vec::new();
    for c in failing {
        let k = c.key.to_lowercase();
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut map = base.context.clone();
    let mut changes: Vec<Change> = Vec::new();
    for key in keys {
        let on_key: Vec<&Condition> = st
            .conditions
            .iter()
            .filter(|c| c.key.to_lowercase() == key)
            .collect();
        let spelled = on_key.first().map_or(key.clone(), |c| c.key.to_string());
        let all_hold = |m: &Map<String, Value>| {
            context_of(m).is_some_and(|ctx| on_key.iter().all(|c| condition::holds(c, &ctx).0))
        };
        if all_hold(&map) {
            continue;
        }
        let ctx = context_of(&map)?;
        let current = context_value(&map, &spelled).map(|(_, v)| v.clone());
        let pool = value_pool(&on_key, &spelled, current.as_ref(), &ctx, hints);
        let mut chosen: Option<(String, Option<Value>)> = None;
        for cand in pool {
            let mut m = map.clone();
            set_context(&mut m, &spelled, cand.clone());
            if all_hold(&m) {
                chosen = Some((spelled.clone(), cand));
                break;
            }
        }
        if chosen.is_none() {
            chosen = variable_route(&map, &on_key, &spelled, |m| all_hold(m));
        }
        let (k, v) = chosen?;
        changes.extend(context_change(&map, &k, v.clone()));
        set_context(&mut map, &k, v);
    }
    (!changes.is_empty()).then_some(changes)
}

/// For conditions whose value uses a variable: the variable's key set to
/// the part of the request's value it must match, when that satisfies `ok`.
fn variable_route(
    map: &Map<String, Value>,
    conds: &[&Condition],
    key: &str,
    ok: impl Fn(&Map<String, Value>) -> bool,
) -> Option<(String, Option<Value>)> {
    let value = texts(context_value(map, key).map(|(_, v)| v))
        .into_iter()
        .next()?;
    for c in conds {
        for v in c.values.iter().take(MAX_SEEDS) {
            if let Some((var, x)) = extract_variable(&v.template, &value) {
                let mut m = map.clone();
                let cand = Some(Value::String(x));
                set_context(&mut m, &var, cand.clone());
                if ok(&m) {
                    return Some((var, cand));
                }
            }
        }
    }
    None
}

/// A change that makes one condition false.
fn false_change(base: &RequestSpec, c: &Condition, hints: Hints<'_>) -> Option<Change> {
    let map = &base.context;
    let is_false =
        |m: &Map<String, Value>| context_of(m).is_some_and(|ctx| !condition::holds(c, &ctx).0);
    let ctx = context_of(map)?;
    let current = context_value(map, &c.key).map(|(_, v)| v.clone());
    let pool = value_pool(&[c], &c.key, current.as_ref(), &ctx, hints);
    for cand in pool {
        let mut m = map.clone();
        set_context(&mut m, &c.key, cand.clone());
        if is_false(&m) {
            return context_change(map, &c.key, cand);
        }
    }
    let (k, v) = variable_route(map, &[c], &c.key, is_false)?;
    context_change(map, &k, v)
}

// ------------------------------------------------------------ patterns

/// What a trailing `*` stands for, guided by the request's text: the rest
/// of the guide when the text so far is its beginning, else the guide past
/// as many `/` as the text so far holds, else the guide's last path part;
/// without a guide nothing (a `*` matches the empty text), or `example`
/// after a `/` or at the start.
fn tail(guide: &str, so_far: &str) -> String {
    if let Some(rest) = guide.strip_prefix(so_far) {
        if !rest.is_empty() {
            return rest.to_string();
        }
    }
    let k = so_far.matches('/').count();
    if k > 0 {
        if let Some((i, _)) = guide.match_indices('/').nth(k - 1) {
            let rest = guide.get(i + 1..).unwrap_or_default();
            if !rest.is_empty() {
                return rest.to_string();
            }
        }
    }
    match guide.rsplit_once('/') {
        Some((_, last)) if !last.is_empty() => last.to_string(),
        _ if so_far.is_empty() || so_far.ends_with(['/', ':']) => "example".to_string(),
        _ => String::new(),
    }
}

/// A text the pattern matches, as close to `guide` as it can: literal
/// characters as written, `?` the guide's character, a `*` the guide's
/// corresponding text (a trailing one: see [`tail`]), else `example`.
fn instantiate(toks: &[Tok], guide: &str) -> String {
    let mut out = String::new();
    let n = toks.len();
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Lit(c) => out.push(*c),
            Tok::AnyChar | Tok::AnyCharInSegment => {
                let c = guide
                    .chars()
                    .nth(out.chars().count())
                    .filter(|c| *c != ':')
                    .unwrap_or('x');
                out.push(c);
            }
            Tok::AnyString | Tok::AnyStringInSegment => {
                if i + 1 == n {
                    out.push_str(&tail(guide, &out));
                    continue;
                }
                let next = toks.get(i + 1).and_then(|t| match t {
                    Tok::Lit(c) => Some(*c),
                    _ => None,
                });
                let aligned = guide.strip_prefix(out.as_str());
                let fill = match (aligned, next) {
                    (Some(rest), Some(c)) => rest.split(c).next().unwrap_or_default(),
                    _ => "",
                };
                if fill.is_empty() || fill.contains(':') {
                    out.push_str("example");
                } else {
                    out.push_str(fill);
                }
            }
        }
    }
    out
}

const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];

/// An ARN the pattern matches, part by part: each part of the guide ARN
/// that fits is kept, the others are instantiated (regions and accounts
/// from typical values).
fn instantiate_arn(toks: &[Tok], guide: &str) -> String {
    if toks.get(..4) != Some(&[Tok::Lit('a'), Tok::Lit('r'), Tok::Lit('n'), Tok::Lit(':')][..]) {
        return instantiate(toks, guide);
    }
    let mut segments: Vec<Vec<Tok>> = vec![Vec::new()];
    for t in toks {
        if *t == Tok::Lit(':') && segments.len() < 6 {
            segments.push(Vec::new());
        } else if let Some(last) = segments.last_mut() {
            last.push(*t);
        }
    }
    while segments.len() < 6 {
        segments.push(vec![Tok::AnyString]);
    }
    let guide_parts: Vec<&str> = if guide.starts_with("arn:") {
        guide.splitn(6, ':').collect()
    } else {
        Vec::new()
    };
    let mut out: Vec<String> = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        let g = Glob::from_toks(seg.iter().copied());
        let gp = guide_parts.get(i).copied().unwrap_or("");
        let typical: &[&str] = match i {
            1 => &["aws"],
            3 => &REGIONS,
            4 => &["111122223333"],
            _ => &[],
        };
        let text = if g.matches(gp) && (!gp.is_empty() || seg.is_empty()) {
            gp.to_string()
        } else if let Some(t) = typical.iter().find(|t| g.matches(t)) {
            (*t).to_string()
        } else {
            instantiate(seg, gp)
        };
        out.push(text);
    }
    out.join(":")
}

/// Another resource each Resource entry covers, close to the request's, or
/// the variable an entry needs set to what the request's resource holds.
fn resource_edits(base: &RequestSpec, el: &ResourceElement) -> Vec<Vec<Change>> {
    if el.negated {
        return Vec::new();
    }
    let Some(ctx) = context_of(&base.context) else {
        return Vec::new();
    };
    let resource = base.resource.trim();
    let mut out: Vec<Vec<Change>> = Vec::new();
    for p in &el.patterns {
        let template = p.template();
        if let Ok(g) = template.resolve(&ctx) {
            let value = instantiate_arn(&g.toks(), resource);
            if value != resource && same_service(&value, base) {
                out.push(vec![Change::SetResource {
                    value,
                    previous: base.resource.clone(),
                }]);
            }
        }
        if template.has_variables() {
            if let Some((var, x)) = extract_variable(&template, resource) {
                out.extend(
                    context_change(&base.context, &var, Some(Value::String(x))).map(|c| vec![c]),
                );
            }
        }
        if out.len() >= MAX_PER_ELEMENT {
            break;
        }
    }
    out.truncate(MAX_PER_ELEMENT);
    out
}

/// Whether a resource suggested for the request belongs to the service of
/// the request's resource or of its action (an `s3:GetObject` is not
/// suggested on an SQS queue).
fn same_service(candidate: &str, base: &RequestSpec) -> bool {
    let Some(c) = Arn::parse(candidate).map(|a| a.service) else {
        return true;
    };
    let resource = Arn::parse(base.resource.trim()).map(|a| a.service);
    let action = base.action.trim().split_once(':').map(|(s, _)| s);
    resource == Some(c) || action.is_some_and(|a| a.eq_ignore_ascii_case(c))
}

/// The NotAction, NotResource or NotPrincipal entries of an unconditioned
/// Deny: asking for one of those actions or resources, or calling as one of
/// those principals, escapes it.
fn escape_scope_edits(base: &RequestSpec, st: &Statement) -> Vec<Vec<Change>> {
    let mut out = Vec::new();
    if let Some(a) = st.action.as_ref().filter(|a| a.negated) {
        out.extend(
            action_candidates(a, base.action.trim())
                .into_iter()
                .map(|v| {
                    vec![Change::SetAction {
                        value: v,
                        previous: base.action.clone(),
                    }]
                }),
        );
    }
    if let Some(p) = st.principal.as_ref().filter(|p| p.negated) {
        for e in &p.entries {
            // a caller the list names itself (a user, a session, a service)
            let callable = match e.kind {
                PrincipalType::Service | PrincipalType::Federated => true,
                PrincipalType::Aws => Arn::parse(&e.text).is_some_and(|a| {
                    a.resource.starts_with("user/")
                        || a.resource.starts_with("assumed-role/")
                        || a.resource.starts_with("federated-user/")
                }),
                _ => false,
            };
            if callable && e.text != base.principal.trim() && Principal::parse(&e.text).is_ok() {
                out.push(vec![Change::SetPrincipal {
                    value: e.text.to_string(),
                    previous: base.principal.clone(),
                }]);
            }
        }
    }
    if let Some(r) = st.resource.as_ref().filter(|r| r.negated) {
        if let Some(ctx) = context_of(&base.context) {
            for p in r.patterns.iter().take(MAX_PER_ELEMENT) {
                if let Ok(g) = p.template().resolve(&ctx) {
                    let value = instantiate_arn(&g.toks(), base.resource.trim());
                    if !same_service(&value, base) {
                        continue;
                    }
                    out.push(vec![Change::SetResource {
                        value,
                        previous: base.resource.clone(),
                    }]);
                }
            }
        }
    }
    out.truncate(MAX_PER_ELEMENT);
    out
}

/// `CreateImage` → (`Create`, `Image`).
fn verb_noun(name: &str) -> (&str, &str) {
    let second_upper = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i);
    match second_upper {
        Some(i) => name.split_at(i),
        None => (name, ""),
    }
}

/// Actions an Action element names in the request's service, closest to
/// the request's action first (same noun, then same verb): a listed action
/// as written, a wildcard one completed with the request's noun or verb
/// (`imagebuilder:Get*` for `imagebuilder:CreateImage` gives
/// `imagebuilder:GetImage`). Another service's actions are not guessed.
fn action_candidates(el: &ActionElement, current: &str) -> Vec<String> {
    let Some((svc, name)) = current.split_once(':') else {
        return Vec::new();
    };
    let (verb, noun) = verb_noun(name);
    let mut scored: Vec<(u8, String)> = Vec::new();
    for p in el.patterns.iter().filter(|p| !p.inert) {
        let Some((psvc, pname)) = p.text.split_once(':') else {
            continue;
        };
        if !psvc.eq_ignore_ascii_case(svc) {
            continue;
        }
        let candidate = if pname.contains(['*', '?']) {
            let mut s = String::new();
            let chars: Vec<char> = pname.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                match c {
                    '*' if i + 1 == chars.len() => s.push_str(noun),
                    '*' if i == 0 => s.push_str(verb),
                    '*' => {}
                    '?' => s.push('X'),
                    c => s.push(*c),
                }
            }
            format!("{psvc}:{s}")
        } else {
            p.text.to_string()
        };
        let (_, cname) = candidate.split_once(':').unwrap_or(("", ""));
        if cname.is_empty()
            || !p.glob.matches(&crate::pattern::fold_case(&candidate))
            || candidate.eq_ignore_ascii_case(current)
        {
            continue;
        }
        let (cverb, cnoun) = verb_noun(cname);
        let score = if !noun.is_empty() && cnoun.eq_ignore_ascii_case(noun) {
            0
        } else if cverb.eq_ignore_ascii_case(verb) {
            1
        } else {
            2
        };
        if !scored
            .iter()
            .any(|(_, c)| c.eq_ignore_ascii_case(&candidate))
        {
            scored.push((score, candidate));
        }
    }
    scored.sort_by_key(|(s, _)| *s);
    scored
        .into_iter()
        .take(MAX_PER_ELEMENT)
        .map(|(_, c)| c)
        .collect()
}

fn action_edits(base: &RequestSpec, el: &ActionElement) -> Vec<Vec<Change>> {
    if el.negated {
        return Vec::new();
    }
    action_candidates(el, base.action.trim())
        .into_iter()
        .map(|value| {
            vec![Change::SetAction {
                value,
                previous: base.action.clone(),
            }]
        })
        .collect()
}

/// The caller's ARN moved to another account, keeping its kind and name.
fn in_account(current: Option<&Principal>, account: &str) -> String {
    let swap = |arn: &str| -> Option<String> {
        let a = Arn::parse(arn)?;
        Some(format!(
            "arn:{}:{}:{}:{account}:{}",
            a.partition, a.service, a.region, a.resource
        ))
    };
    let moved = match current {
        Some(Principal::User { arn, .. })
        | Some(Principal::Role { arn, .. })
        | Some(Principal::AssumedRole { arn, .. })
        | Some(Principal::FederatedUser { arn, .. }) => swap(arn),
        _ => None,
    };
    moved.unwrap_or_else(|| format!("arn:aws:iam::{account}:user/example"))
}

/// Callers a Principal element names, the caller's own kind first.
fn principal_edits(
    base: &RequestSpec,
    el: &PrincipalElement,
    current: Option<&Principal>,
) -> Vec<Vec<Change>> {
    if el.negated {
        return Vec::new();
    }
    let session = match current {
        Some(Principal::AssumedRole { session_name, .. }) => session_name.as_str(),
        _ => "session",
    };
    let mut out: Vec<(bool, String)> = Vec::new();
    for e in &el.entries {
        let cand = match e.kind {
            PrincipalType::Everyone | PrincipalType::CanonicalUser => None,
            PrincipalType::Service | PrincipalType::Federated => Some(e.text.to_string()),
            PrincipalType::Aws if e.text == "*" => None,
            PrincipalType::Aws if crate::request::principal::is_account_id(&e.text) => {
                Some(in_account(current, &e.text))
            }
            PrincipalType::Aws => Arn::parse(&e.text).map(|a| {
                if a.service == "iam" && a.resource == "root" {
                    in_account(current, a.account)
                } else if let Some(role) = a.resource.strip_prefix("role/") {
                    let name = role.rsplit('/').next().unwrap_or(role);
                    format!(
                        "arn:{}:sts::{}:assumed-role/{name}/{session}",
                        a.partition, a.account
                    )
                } else {
                    e.text.to_string()
                }
            }),
        };
        let Some(cand) = cand else { continue };
        if cand == base.principal.trim() || Principal::parse(&cand).is_err() {
            continue;
        }
        let same_kind = match (Principal::parse(&cand).ok(), current) {
            (Some(p), Some(c)) => std::mem::discriminant(&p) == std::mem::discriminant(c),
            _ => false,
        };
        if !out.iter().any(|(_, c)| *c == cand) {
            out.push((!same_kind, cand));
        }
    }
    out.sort_by_key(|(other, _)| *other);
    out.into_iter()
        .take(MAX_PER_ELEMENT)
        .map(|(_, value)| {
            vec![Change::SetPrincipal {
                value,
                previous: base.principal.clone(),
            }]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        Glob::wildcard(s).toks().to_vec()
    }

    #[test]
    fn instantiates_resource_patterns_close_to_the_request() {
        assert_eq!(
            instantiate_arn(
                &toks("arn:aws:imagebuilder:*:*:component/*"),
                "arn:aws:imagebuilder:us-east-1:111122223333:image-recipe/web/1.0.0"
            ),
            "arn:aws:imagebuilder:us-east-1:111122223333:component/web/1.0.0"
        );
        assert_eq!(
            instantiate_arn(
                &toks("arn:aws:s3:::shared-artifacts/public/*"),
                "arn:aws:s3:::shared-artifacts/private/key.pem"
            ),
            "arn:aws:s3:::shared-artifacts/public/key.pem"
        );
        assert_eq!(
            instantiate_arn(
                &toks("arn:aws:sns:us-east-1:*"),
                "arn:aws:sns:us-west-2:111122223333:my-topic"
            ),
            "arn:aws:sns:us-east-1:111122223333:my-topic"
        );
        assert_eq!(
            instantiate(&toks("home/alice/*"), "home/bob/"),
            "home/alice/example"
        );
        assert_eq!(instantiate(&toks("*-logs"), "app-data"), "app-logs");
    }

    #[test]
    fn merged_changes_keep_the_original_value() {
        let add = |v: &str| Change::SetContext {
            key: "k".to_string(),
            value: Value::String(v.to_string()),
            previous: None,
        };
        let remove = Change::RemoveContext {
            key: "k".to_string(),
            previous: Value::String("b".to_string()),
        };
        // a key added then removed again is no change
        assert_eq!(merge(&[add("a")], std::slice::from_ref(&remove)), vec![]);
        // set twice: one change, from the original (absent) value
        assert_eq!(merge(&[add("a")], &[add("b")]), vec![add("b")]);
        let mut spec = RequestSpec::default();
        spec.context
            .insert("K".to_string(), Value::String("x".to_string()));
        let edited = apply(&spec, &[add("y")]);
        assert_eq!(edited.context.len(), 1, "keys are case-insensitive");
        assert_eq!(edited.context["K"], Value::String("y".to_string()));
        assert!(apply(&spec, &[remove]).context.is_empty());
    }

    #[test]
    fn splits_action_names() {
        assert_eq!(verb_noun("CreateImage"), ("Create", "Image"));
        assert_eq!(verb_noun("List"), ("List", ""));
    }

    fn seeds(cidr: &str) -> Vec<String> {
        let mut out = Vec::new();
        ip_seeds(&cidr.parse().unwrap(), &mut out);
        out
    }

    #[test]
    fn ip_seeds_are_inside_and_just_outside_each_end() {
        assert_eq!(
            seeds("54.240.143.0/24"),
            [
                "54.240.143.1",
                "54.240.143.254",
                "54.240.142.255",
                "54.240.144.0"
            ]
        );
        assert_eq!(
            seeds("54.240.143.188/32"),
            [
                "54.240.143.188",
                "54.240.143.188",
                "54.240.143.187",
                "54.240.143.189"
            ]
        );
        // No address below 0.0.0.0 or above 255.255.255.255.
        assert_eq!(seeds("0.0.0.0/0"), ["0.0.0.1", "255.255.255.254"]);
        assert_eq!(
            seeds("2001:db8::/126"),
            [
                "2001:db8::1",
                "2001:db8::2",
                "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db8::4"
            ]
        );
        assert_eq!(
            seeds("::/0"),
            ["::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"]
        );
    }
}
