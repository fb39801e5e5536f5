//! Evaluating one policy against a request: for every statement, whether its
//! Action, Resource, Principal and each condition matched, and why.

use crate::ast::policy::{
    Effect, Policy, ResourceMatcher, ResourcePattern, ResourceVars, Statement,
};
use crate::eval::condition::{self, ConditionTrace, RequestCache};
use crate::eval::principal::{
    match_element, principal_grant, GrantKind, PrincipalScope, PrincipalTrace,
};
use crate::eval::trace::{ElementRecord, Range32, Records, StatementRecord};
use crate::pattern::arn::resource_matches_toks;
use crate::pattern::glob::matches_toks;
use crate::pattern::Tok;
use crate::request::{Request, RequestContext};
use crate::span::{Position, Span};
use crate::syntax::text::Text;
use serde::Serialize;

/// One Action/NotAction or Resource/NotResource entry compared with the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryTrace {
    pub written: Text,
    /// After variable substitution (None when a variable is unresolved).
    pub resolved: Option<Text>,
    pub unresolved: Vec<String>,
    /// The entry matches the request's action or resource.
    pub matched: bool,
    /// An Action entry that AWS stores but that names no action: it matches
    /// no request.
    pub inert: bool,
    pub span: Span,
}

/// An Action/NotAction or Resource/NotResource element compared with the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementTrace {
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    /// None when the element is absent (a Resource-less trust policy statement).
    pub key_span: Option<Span>,
    pub entries: Vec<EntryTrace>,
    /// Whether the element covers the request.
    pub matched: bool,
}

/// One statement's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Option<Effect>,
    pub span: Span,
    /// The statement's reported position (its first element).
    pub anchor: Position,
    pub action: ElementTrace,
    pub resource: ElementTrace,
    /// For resource-based policies.
    pub principal: Option<PrincipalTrace>,
    pub conditions: Vec<ConditionTrace>,
    /// Action, Resource and Principal all cover the request.
    pub scope_matched: bool,
    pub conditions_met: bool,
    /// The statement applies to the request.
    pub applies: bool,
}

impl StatementTrace {
    pub fn allows(&self) -> bool {
        self.applies && self.effect == Some(Effect::Allow)
    }

    pub fn denies(&self) -> bool {
        self.applies && self.effect == Some(Effect::Deny)
    }

    /// Keys a condition needed that the request lacked (only for statements
    /// whose Action, Resource and Principal cover the request).
    pub fn missing_keys(&self) -> impl Iterator<Item = &str> {
        self.conditions
            .iter()
            .filter(move |_| self.scope_matched)
            .filter(|c| c.key_missing())
            .map(|c| c.key.as_str())
    }
}

/// Whether a policy allows, denies or says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PolicyDecision {
    Allow,
    Deny,
    NoMatch,
}

/// One policy's evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTrace {
    pub statements: Vec<StatementTrace>,
    pub decision: PolicyDecision,
}

impl PolicyTrace {
    pub fn denying(&self) -> impl Iterator<Item = &StatementTrace> {
        self.statements.iter().filter(|s| s.denies())
    }

    pub fn allowing(&self) -> impl Iterator<Item = &StatementTrace> {
        self.statements.iter().filter(|s| s.allows())
    }

    /// The strongest principal grant among allowing statements.
    pub fn best_grant(&self) -> Option<GrantKind> {
        self.allowing()
            .map(|s| {
                s.principal
                    .as_ref()
                    .and_then(|p| p.grant)
                    .unwrap_or(GrantKind::Direct)
            })
            .max()
    }
}

/// How a layer's policies are matched against the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Matching {
    /// Resource-based kinds compare their Principal element with the caller.
    pub with_principal: bool,
    /// The caller has a permissions boundary attached (a Deny with
    /// NotPrincipal then always applies to it).
    pub caller_has_boundary: bool,
}

/// Evaluates every statement of a policy.
pub fn evaluate_policy(policy: &Policy, req: &Request, how: Matching) -> PolicyTrace {
    evaluate_policy_in(policy, req, how, &mut RequestCache::default())
}

/// [`evaluate_policy`], with the request's cache.
pub(crate) fn evaluate_policy_in(
    policy: &Policy,
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
) -> PolicyTrace {
    let mut records = Records::default();
    let (range, decision) = record_policy(policy, req, how, cache, &mut records);
    let statements = policy
        .statements
        .iter()
        .zip(range.of(&records.statements))
        .map(|(st, r)| expand_statement(st, r, &records, req, how, cache))
        .collect();
    PolicyTrace {
        statements,
        decision,
    }
}

/// Evaluates every statement of a policy, recording each (see
/// [`crate::eval::trace`]): the range of its records and the policy's
/// decision.
pub(crate) fn record_policy(
    policy: &Policy,
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
    records: &mut Records,
) -> (Range32, PolicyDecision) {
    reserve(policy, records);
    let start = records.statements.len();
    let (mut deny, mut allow) = (false, false);
    for st in &policy.statements {
        let r = record_statement(st, req, how, cache, records);
        deny |= r.denies();
        allow |= r.allows();
        records.statements.push(r);
    }
    let decision = if deny {
        PolicyDecision::Deny
    } else if allow {
        PolicyDecision::Allow
    } else {
        PolicyDecision::NoMatch
    };
    (Range32::new(start, records.statements.len()), decision)
}

/// Makes room for the records of every statement of `policy` at once (one
/// allocation per array rather than a series of doublings); two request
/// values per condition, each matching one policy value, is the estimate
/// for the condition values.
fn reserve(policy: &Policy, records: &mut Records) {
    let (mut entries, mut conditions) = (0, 0);
    for st in &policy.statements {
        entries += st.action.as_ref().map_or(0, |a| a.patterns.len())
            + st.resource.as_ref().map_or(0, |r| r.patterns.len());
        conditions += st.conditions.len();
    }
    records.statements.reserve(policy.statements.len());
    records.entries.reserve(entries);
    records.conditions.reserve(conditions);
    records.values.reserve(2 * conditions);
    records.matched.reserve(2 * conditions);
}

fn scope(st: &Statement, how: Matching) -> PrincipalScope {
    PrincipalScope {
        effect: st.effect.as_ref().map(|e| e.value),
        caller_has_boundary: how.caller_has_boundary,
    }
}

/// Every element and condition of one statement, each entry and condition
/// recorded (none is skipped, unlike [`quick_policy`]).
fn record_statement(
    st: &Statement,
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
    records: &mut Records,
) -> StatementRecord {
    let action = match &st.action {
        Some(a) => {
            let start = records.entries.len();
            let mut any = false;
            for p in &a.patterns {
                let m = p.glob.matches(&req.action);
                any |= m;
                records.entries.push(m);
            }
            ElementRecord {
                entries: Range32::new(start, records.entries.len()),
                matched: a.negated != any,
            }
        }
        None => ElementRecord::default(),
    };
    let resource = match &st.resource {
        Some(r) => {
            let start = records.entries.len();
            let mut any = false;
            for p in &r.patterns {
                let m = resource_entry_matches(p, &req.resource, &req.context, cache);
                any |= m;
                records.entries.push(m);
            }
            ElementRecord {
                entries: Range32::new(start, records.entries.len()),
                matched: resource_covers(r.negated, any),
            }
        }
        // Trust policies, SCPs and RCPs may leave Resource out: the policy's
        // own resource (or every resource).
        None => ElementRecord {
            entries: Range32::default(),
            matched: true,
        },
    };
    let (principal_ok, grant) = if how.with_principal {
        let g = st
            .principal
            .as_ref()
            .and_then(|p| principal_grant(p, &req.principal, scope(st, how)));
        (g.is_some(), g)
    } else {
        (true, None)
    };
    let start = records.conditions.len();
    let mut conditions_met = true;
    for c in &st.conditions {
        let r = condition::record(c, &req.context, cache, records);
        conditions_met &= r.result;
        records.conditions.push(r);
    }
    let scope_matched = action.matched && resource.matched && principal_ok;
    let effect = st.effect.as_ref().map(|e| e.value);
    StatementRecord {
        action,
        resource,
        grant,
        conditions: Range32::new(start, records.conditions.len()),
        scope_matched,
        conditions_met,
        applies: scope_matched && conditions_met && effect.is_some(),
        effect,
    }
}

/// The trace of a recorded statement: its entries as written and
/// substituted, its Principal compared entry by entry, its conditions.
pub(crate) fn expand_statement(
    st: &Statement,
    r: &StatementRecord,
    records: &Records,
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
) -> StatementTrace {
    let action = match &st.action {
        Some(a) => ElementTrace {
            negated: a.negated,
            key_span: Some(a.key_span),
            entries: a
                .patterns
                .iter()
                .zip(r.action.entries.of(&records.entries))
                .map(|(p, &matched)| EntryTrace {
                    written: p.text.clone(),
                    resolved: Some(p.text.clone()),
                    unresolved: Vec::new(),
                    matched,
                    inert: p.inert,
                    span: p.span,
                })
                .collect(),
            matched: r.action.matched,
        },
        None => ElementTrace {
            negated: false,
            key_span: None,
            entries: Vec::new(),
            matched: false,
        },
    };
    let resource = match &st.resource {
        Some(el) => ElementTrace {
            negated: el.negated,
            key_span: Some(el.key_span),
            entries: el
                .patterns
                .iter()
                .zip(r.resource.entries.of(&records.entries))
                .map(|(p, &matched)| {
                    let (resolved, unresolved) = match &p.matcher {
                        ResourceMatcher::Fixed { shown, .. } => (
                            Some(shown.clone().unwrap_or_else(|| p.text.clone())),
                            Vec::new(),
                        ),
                        ResourceMatcher::Vars(v) => match cache.render(&v.template, &req.context) {
                            Ok(text) => (Some(text), Vec::new()),
                            Err(keys) => (None, keys),
                        },
                    };
                    EntryTrace {
                        written: p.text.clone(),
                        resolved,
                        unresolved,
                        matched,
                        inert: false,
                        span: p.span,
                    }
                })
                .collect(),
            matched: r.resource.matched,
        },
        None => ElementTrace {
            negated: false,
            key_span: None,
            entries: Vec::new(),
            matched: true,
        },
    };
    let principal = if how.with_principal {
        st.principal
            .as_ref()
            .map(|p| match_element(p, &req.principal, scope(st, how)))
    } else {
        None
    };
    let conditions = st
        .conditions
        .iter()
        .zip(r.conditions.of(&records.conditions))
        .map(|(c, rec)| condition::expand(c, rec, records, &req.context, cache))
        .collect();
    StatementTrace {
        index: st.index,
        sid: st.sid.as_ref().map(|s| String::from(s.value.as_str())),
        effect: st.effect.as_ref().map(|e| e.value),
        span: st.span,
        anchor: st.anchor,
        action,
        resource,
        principal,
        conditions,
        scope_matched: r.scope_matched,
        conditions_met: r.conditions_met,
        applies: r.applies,
    }
}

/// Does one Resource entry match? An entry whose variable has no value
/// matches nothing.
fn resource_entry_matches(
    p: &ResourcePattern,
    resource: &str,
    ctx: &RequestContext,
    cache: &mut RequestCache,
) -> bool {
    match &p.matcher {
        ResourceMatcher::Fixed { pattern, .. } => pattern.matches(resource),
        ResourceMatcher::Vars(v) => {
            if !resource.starts_with(v.prefix.as_str()) {
                // told apart without substituting anything
                return false;
            }
            let toks = cache.toks();
            v.template.resolves_into(ctx, toks) && substituted_matches(v, toks, resource)
        }
    }
}

/// Does `resource` match the substituted tokens of an entry with variables?
fn substituted_matches(v: &ResourceVars, toks: &mut Vec<Tok>, resource: &str) -> bool {
    resource.starts_with(v.prefix.as_str())
        && if v.read {
            matches_toks(toks, resource)
        } else {
            resource_matches_toks(toks, resource)
        }
}

/// Whether a Resource/NotResource element covers the request. An entry
/// whose variable has no value "will not match any resource" (IAM User Guide,
/// "Policy variables with no value"), so in NotResource it excludes nothing.
fn resource_covers(negated: bool, any_matched: bool) -> bool {
    negated != any_matched
}

/// A statement that applies, found by the fast path.
pub(crate) struct Applying<'a> {
    pub statement: &'a Statement,
    pub grant: Option<GrantKind>,
}

/// The fast path: decides which statements apply without recording traces,
/// and collects the keys that conditions of in-scope statements lacked.
/// Must agree with [`evaluate_policy`] (tested over the scenario corpus).
pub(crate) fn quick_policy<'a>(
    policy: &'a Policy,
    req: &Request,
    how: Matching,
    missing: &mut Vec<String>,
    cache: &mut RequestCache,
) -> Vec<Applying<'a>> {
    let with_principal = how.with_principal;
    let mut out = Vec::new();
    for st in &policy.statements {
        let Some(action) = &st.action else { continue };
        let any = action.patterns.iter().any(|p| p.glob.matches(&req.action));
        if action.negated == any {
            continue;
        }
        if let Some(r) = &st.resource {
            let any_matched = r
                .patterns
                .iter()
                .any(|p| resource_entry_matches(p, &req.resource, &req.context, cache));
            if !resource_covers(r.negated, any_matched) {
                continue;
            }
        }
        let grant = if with_principal {
            match &st.principal {
                Some(p) => match principal_grant(p, &req.principal, scope(st, how)) {
                    Some(g) => Some(g),
                    None => continue,
                },
                None => continue,
            }
        } else {
            None
        };
        let mut all = true;
        for c in &st.conditions {
            let (ok, key_missing) = condition::holds_in(c, &req.context, cache);
            all &= ok;
            if key_missing && !missing.iter().any(|k| k.eq_ignore_ascii_case(&c.key)) {
                missing.push(String::from(c.key.as_str()));
            }
        }
        if all && st.effect.is_some() {
            out.push(Applying {
                statement: st,
                grant,
            });
        }
    }
    out
}
