//! Full traces recorded compactly: for every statement of every policy,
//! whether each Action/Resource entry matched, how the Principal covered
//! the caller, and for every condition its verdict, its outcome and, for
//! each request value, its verdict and the indexes of the policy values it
//! matched. Records are plain values (flags, enums and ranges into a few
//! arrays shared by the whole request): recording a statement allocates
//! nothing of its own, so a full trace costs a few times a bare decision.
//!
//! The trace a user reads ([`StatementTrace`](crate::eval::statement::StatementTrace):
//! the text of every entry and value, variables substituted, spans) is
//! expanded from the records, the compiled policy and the request on demand
//! ([`Trace::expand`]); [`Detail::Full`](crate::eval::authorize::Detail)
//! records and expands at once.

use crate::eval::authorize::{Authorization, PolicySet};
use crate::eval::principal::GrantKind;
use crate::eval::statement::PolicyDecision;
use crate::layer::PolicyId;
use crate::request::Request;

/// `start..end` into one of the arrays of [`Records`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Range32 {
    pub start: u32,
    pub end: u32,
}

impl Range32 {
    /// The range from `start` to the current length `end`. A request's
    /// records number far fewer than 2^32 (each takes memory), so the
    /// conversions keep every value; [`Range32::of`] stays within bounds
    /// whatever they hold.
    #[allow(clippy::cast_possible_truncation)]
    pub fn new(start: usize, end: usize) -> Range32 {
        Range32 {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The items of `v` in this range (empty when out of bounds).
    pub fn of<T>(self, v: &[T]) -> &[T] {
        v.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// An Action/NotAction or Resource/NotResource element: each entry's
/// verdict (in [`Records::entries`]) and whether the element covers the
/// request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ElementRecord {
    pub entries: Range32,
    pub matched: bool,
}

/// How a condition came out (the trace's
/// [`ConditionOutcome`](crate::eval::condition::ConditionOutcome); the keys
/// of unresolved variables are named on expansion).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutcomeRecord {
    Compared,
    KeyAbsent,
    KeyAbsentNegated,
    KeyAbsentIfExists,
    ForAllValuesNoValues,
    ForAnyValueNoValues,
    NullCheck { present: bool },
}

/// One condition key under one operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ConditionRecord {
    pub result: bool,
    pub outcome: OutcomeRecord,
    /// The request's values (in [`Records::values`]); None when the request
    /// does not carry the key.
    pub values: Option<Range32>,
    /// The condition's operator is `Null`.
    pub null: bool,
}

impl ConditionRecord {
    /// The key was absent from the request (the Null operator excepted).
    pub fn key_missing(&self) -> bool {
        !self.null && self.values.is_none()
    }
}

/// One request value compared under a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ValueRecord {
    pub valid: bool,
    pub result: bool,
    /// Indexes of the policy values it matched (in [`Records::matched`]).
    pub matched: Range32,
}

/// One statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatementRecord {
    pub action: ElementRecord,
    pub resource: ElementRecord,
    /// The grant of the Principal element (resource-based layers only).
    pub grant: Option<GrantKind>,
    pub conditions: Range32,
    pub scope_matched: bool,
    pub conditions_met: bool,
    pub applies: bool,
    pub effect: Option<crate::ast::policy::Effect>,
}

impl StatementRecord {
    pub fn allows(&self) -> bool {
        self.applies && self.effect == Some(crate::ast::policy::Effect::Allow)
    }

    pub fn denies(&self) -> bool {
        self.applies && self.effect == Some(crate::ast::policy::Effect::Deny)
    }
}

/// The arrays every record of one request points into.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Records {
    pub statements: Vec<StatementRecord>,
    /// Action and Resource entries: matched or not.
    pub entries: Vec<bool>,
    pub conditions: Vec<ConditionRecord>,
    pub values: Vec<ValueRecord>,
    pub matched: Vec<u32>,
}

/// One policy evaluated with a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PolicyRecord {
    /// Its layer's position in [`Authorization::layers`].
    pub layer: usize,
    pub policy: PolicyId,
    pub statements: Range32,
    pub decision: PolicyDecision,
}

/// The full trace of one request, recorded compactly (see the module
/// documentation); [`Trace::expand`] gives the trace a user reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trace {
    pub(crate) records: Records,
    pub(crate) policies: Vec<PolicyRecord>,
    /// The caller has a permissions boundary (NotPrincipal reads differently).
    pub(crate) caller_has_boundary: bool,
}

/// Why a trace could not be expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleTrace;

impl std::fmt::Display for StaleTrace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the trace was recorded against other policies or another request")
    }
}

impl std::error::Error for StaleTrace {}

impl Trace {
    /// The number of statements recorded.
    pub fn statements(&self) -> usize {
        self.records.statements.len()
    }

    /// The answer with every statement's trace (`layers[].policies`), as
    /// [`authorize`](crate::eval::authorize::authorize) gives it: expanded
    /// from the records, the policies `set` and the request `req` the trace
    /// was recorded with (an error when they no longer fit it).
    pub fn expand(
        &self,
        set: &PolicySet,
        req: &Request,
        auth: &Authorization,
    ) -> Result<Authorization, StaleTrace> {
        let mut out = auth.clone();
        for l in &mut out.layers {
            l.policies.clear();
        }
        let mut cache = crate::eval::condition::RequestCache::default();
        self.expand_into(set, req, &mut out.layers, &mut cache)?;
        Ok(out)
    }

    pub(crate) fn expand_into(
        &self,
        set: &PolicySet,
        req: &Request,
        layers: &mut [crate::eval::authorize::LayerResult],
        cache: &mut crate::eval::condition::RequestCache,
    ) -> Result<(), StaleTrace> {
        for p in &self.policies {
            let compiled = set.get(p.policy).ok_or(StaleTrace)?;
            let policy = compiled.parsed.policy.as_ref().ok_or(StaleTrace)?;
            let records = p.statements.of(&self.records.statements);
            if records.len() != policy.statements.len() {
                return Err(StaleTrace);
            }
            let layer = layers.get_mut(p.layer).ok_or(StaleTrace)?;
            let how = crate::eval::statement::Matching {
                with_principal: layer.kind.kind().has_principal(),
                caller_has_boundary: self.caller_has_boundary,
            };
            let statements = policy
                .statements
                .iter()
                .zip(records)
                .map(|(st, r)| {
                    crate::eval::statement::expand_statement(st, r, &self.records, req, how, cache)
                })
                .collect();
            layer.policies.push(crate::eval::authorize::PolicyResult {
                policy: compiled.id,
                managed: compiled.managed.clone(),
                decision: p.decision,
                statements,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::ast::scenario::Scenario;

    /// A trace expanded against other policies is refused, not misread.
    #[test]
    fn a_trace_does_not_expand_against_other_policies() {
        let s = Scenario::from_json(
            r#"{"policies": {"identity": [{"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}]},
              "requests": [{"principal": "arn:aws:iam::111122223333:user/a",
                "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
                "context": {"aws:SecureTransport": "true"}}]}"#,
        )
        .unwrap();
        let set = s.compile();
        let traced = s.requests[0].evaluate_traced(&set).unwrap();
        assert_eq!(traced.trace.statements(), 2);
        let expanded = traced.expand(&set).unwrap();
        let st = &expanded.layers[0].policies[0].statements;
        assert!(st[0].applies && !st[1].applies);
        assert_eq!(
            st[1].conditions[0].request_values.as_ref().unwrap()[0].value,
            "true"
        );

        let mut other = s.clone();
        other.policies.identity[0] = crate::ast::scenario::PolicySource::Text(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#
                .to_string(),
        );
        assert_eq!(traced.expand(&other.compile()), Err(super::StaleTrace));
        assert_eq!(
            traced.expand(&crate::eval::authorize::PolicySet::default()),
            Err(super::StaleTrace)
        );
    }
}
