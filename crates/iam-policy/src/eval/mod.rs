//! Deciding: one statement at a time (`statement`), its conditions
//! (`condition`) and principal (`principal`), then every layer together as
//! AWS's evaluation logic does (`authorize`).

pub mod authorize;
pub mod condition;
pub mod principal;
pub mod statement;
pub mod trace;

use crate::ast::scenario::{RequestSpec, Scenario};
use crate::eval::authorize::{authorize_with, Authorization, CompiledPolicy, PolicySet};
use serde::Serialize;

/// A policy AWS would refuse to store, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedPolicy {
    /// `identity/0`, `resource`, …
    pub policy: crate::layer::PolicyId,
    pub diagnostics: Vec<crate::parse::diagnostic::Diagnostic>,
}

/// Why a request could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestError {
    pub message: String,
    /// Policies AWS would refuse to store: their layers are not evaluated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedPolicy>,
}

impl RequestError {
    pub fn new(message: impl Into<String>) -> RequestError {
        RequestError {
            message: message.into(),
            rejected: Vec::new(),
        }
    }
}

impl Scenario {
    /// Parses every policy once, for evaluating many requests.
    pub fn compile(&self) -> PolicySet {
        self.policies.map(CompiledPolicy::from_source)
    }
}

impl RequestSpec {
    /// Evaluates this request against compiled policies, with full traces.
    pub fn evaluate(&self, set: &PolicySet) -> Result<Authorization, RequestError> {
        self.evaluate_with(set, authorize::Detail::Full)
    }

    /// Evaluates this request, recording as much as `detail` asks.
    pub fn evaluate_with(
        &self,
        set: &PolicySet,
        detail: authorize::Detail,
    ) -> Result<Authorization, RequestError> {
        let req = self.checked_request(set)?;
        Ok(authorize_with(
            set,
            &req,
            self.resource_account.as_deref(),
            detail,
        ))
    }

    /// Evaluates this request with the full trace of every statement
    /// recorded compactly ([`trace`]): a few times the cost of the decision
    /// alone, the trace a user reads being expanded on demand
    /// ([`Traced::expand`]).
    pub fn evaluate_traced(&self, set: &PolicySet) -> Result<Traced, RequestError> {
        let request = self.checked_request(set)?;
        let (authorization, trace) =
            authorize::authorize_traced(set, &request, self.resource_account.as_deref());
        Ok(Traced {
            authorization,
            trace,
            request,
        })
    }

    /// The request, once every policy is known to be one AWS would store.
    fn checked_request(&self, set: &PolicySet) -> Result<crate::request::Request, RequestError> {
        let errors = authorize::rejected_policies(set);
        if !errors.is_empty() {
            let rejected: Vec<RejectedPolicy> = errors
                .iter()
                .map(|e| RejectedPolicy {
                    policy: e.policy,
                    diagnostics: e.diagnostics.iter().map(|d| (*d).clone()).collect(),
                })
                .collect();
            let total: usize = rejected.iter().map(|r| r.diagnostics.len()).sum();
            let names: Vec<String> = rejected.iter().map(|r| r.policy.to_string()).collect();
            let first = rejected
                .iter()
                .flat_map(|r| r.diagnostics.first())
                .next()
                .map(|d| {
                    format!(
                        ": line {}, column {}: {}",
                        d.span.start.line, d.span.start.column, d.message
                    )
                })
                .unwrap_or_default();
            return Err(RequestError {
                message: format!(
                    "AWS would refuse to store policy {} ({total} problem{}), so the request is not evaluated{first}",
                    names.join(", "),
                    if total == 1 { "" } else { "s" },
                ),
                rejected,
            });
        }
        self.to_request().map_err(RequestError::new)
    }
}

/// A request's answer with its full trace recorded compactly
/// ([`RequestSpec::evaluate_traced`]).
#[derive(Debug, Clone)]
pub struct Traced {
    /// The answer; `layers[].policies` is empty (see [`Traced::expand`]).
    pub authorization: Authorization,
    pub trace: trace::Trace,
    /// The request as evaluated.
    pub request: crate::request::Request,
}

impl Traced {
    /// The answer with every statement's trace, as
    /// [`RequestSpec::evaluate`] gives it, expanded from the records and
    /// `set` (the policies the trace was recorded with: an error when they
    /// no longer fit it).
    pub fn expand(&self, set: &PolicySet) -> Result<Authorization, trace::StaleTrace> {
        self.trace.expand(set, &self.request, &self.authorization)
    }
}
