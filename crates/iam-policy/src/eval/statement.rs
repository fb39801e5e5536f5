//! Evaluating one policy against a request: for every statement, whether its
//! Action, Resource, Principal and each condition matched, and why.

use crate::ast::policy::{
    ActionElement, Effect, Policy, ResourceElement, ResourceMatcher, ResourcePattern, ResourceVars,
    Statement,
};
use crate::eval::condition::{self, ConditionTrace, RequestCache};
use crate::eval::principal::{
    match_element, principal_grant, GrantKind, PrincipalScope, PrincipalTrace,
};
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
    let statements: Vec<StatementTrace> = policy
        .statements
        .iter()
        .map(|s| evaluate_statement(s, req, how, cache))
        .collect();
    let decision = if statements.iter().any(StatementTrace::denies) {
        PolicyDecision::Deny
    } else if statements.iter().any(StatementTrace::allows) {
        PolicyDecision::Allow
    } else {
        PolicyDecision::NoMatch
    };
    PolicyTrace {
        statements,
        decision,
    }
}

fn scope(st: &Statement, how: Matching) -> PrincipalScope {
    PrincipalScope {
        effect: st.effect.as_ref().map(|e| e.value),
        caller_has_boundary: how.caller_has_boundary,
    }
}

fn evaluate_statement(
    st: &Statement,
    req: &Request,
    how: Matching,
    cache: &mut RequestCache,
) -> StatementTrace {
    let with_principal = how.with_principal;
    let action = match &st.action {
        Some(a) => match_actions(a, &req.action),
        None => ElementTrace {
            negated: false,
            key_span: None,
            entries: Vec::new(),
            matched: false,
        },
    };
    let resource = match &st.resource {
        Some(r) => match_resources(r, &req.resource, &req.context, cache),
        // Trust policies, SCPs and RCPs may leave Resource out: the policy's
        // own resource (or every resource).
        None => ElementTrace {
            negated: false,
            key_span: None,
            entries: Vec::new(),
            matched: true,
        },
    };
    let principal = if with_principal {
        st.principal
            .as_ref()
            .map(|p| match_element(p, &req.principal, scope(st, how)))
    } else {
        None
    };
    let principal_ok = !with_principal || principal.as_ref().is_some_and(|p| p.matched);
    let conditions: Vec<ConditionTrace> = st
        .conditions
        .iter()
        .map(|c| condition::evaluate_in(c, &req.context, cache))
        .collect();
    let scope_matched = action.matched && resource.matched && principal_ok;
    let conditions_met = conditions.iter().all(|c| c.result);
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
        scope_matched,
        conditions_met,
        applies: scope_matched && conditions_met && st.effect.is_some(),
    }
}

fn match_actions(el: &ActionElement, action: &str) -> ElementTrace {
    let entries: Vec<EntryTrace> = el
        .patterns
        .iter()
        .map(|p| EntryTrace {
            written: p.text.clone(),
            resolved: Some(p.text.clone()),
            unresolved: Vec::new(),
            matched: p.glob.matches(action),
            inert: p.inert,
            span: p.span,
        })
        .collect();
    let any = entries.iter().any(|e| e.matched);
    ElementTrace {
        negated: el.negated,
        key_span: Some(el.key_span),
        matched: el.negated != any,
        entries,
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

fn match_resources(
    el: &ResourceElement,
    resource: &str,
    ctx: &RequestContext,
    cache: &mut RequestCache,
) -> ElementTrace {
    let entries: Vec<EntryTrace> = el
        .patterns
        .iter()
        .map(|p| {
            let (matched, resolved, unresolved) = match &p.matcher {
                ResourceMatcher::Fixed { pattern, shown } => (
                    pattern.matches(resource),
                    Some(shown.clone().unwrap_or_else(|| p.text.clone())),
                    Vec::new(),
                ),
                ResourceMatcher::Vars(v) => match cache.render(&v.template, ctx) {
                    Ok(text) => {
                        // the tokens only when the literal prefix matches
                        let matched = resource.starts_with(v.prefix.as_str()) && {
                            let toks = cache.toks();
                            v.template.resolves_into(ctx, toks)
                                && substituted_matches(v, toks, resource)
                        };
                        (matched, Some(text), Vec::new())
                    }
                    Err(keys) => (false, None, keys),
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
        .collect();
    let any = entries.iter().any(|e| e.matched);
    ElementTrace {
        negated: el.negated,
        key_span: Some(el.key_span),
        matched: resource_covers(el.negated, any),
        entries,
    }
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
