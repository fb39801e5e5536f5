//! # iam-policy
//!
//! An AWS IAM policy engine: parses policies keeping source positions,
//! validates them (every problem, each with a position, a fix, and whether
//! AWS would store it), evaluates requests across every policy layer the way
//! AWS's authorizer does, and explains each decision as data.
//!
//! The folders follow the data path (see ARCHITECTURE.md):
//! `syntax` (spanned JSON) → `parse` (JSON → `ast`, with diagnostics) →
//! `eval` (statements, conditions, principals, then `authorize` across the
//! `layer`s of a `request`) → `explain` (sentences and the explanation tree).
//! `pattern` (wildcards, variables, ARNs) and `values` (typed condition
//! values) are leaves. This file is the curated facade.
//!
//! No I/O, no panics, no WebAssembly dependencies: the same crate runs in the
//! command line, in tests and in the browser.
//!
//! ```
//! use iam_policy::{Scenario, check_scenario, Decision};
//! let scenario = Scenario::from_json(r#"{
//!   "policies": { "identity": [ { "Version": "2012-10-17", "Statement": [
//!     { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*" } ] } ] },
//!   "requests": [ { "principal": "arn:aws:iam::111122223333:user/alice",
//!                   "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k" } ]
//! }"#).unwrap();
//! let results = check_scenario(&scenario, "example.json");
//! assert_eq!(results[0].decision, Some(Decision::Allowed));
//! ```

pub mod ast;
pub mod check;
pub mod eval;
pub mod explain;
pub mod layer;
pub mod limits;
pub mod parse;
pub mod pattern;
pub mod request;
pub mod syntax;
pub mod values;

pub use syntax::span;
pub use syntax::text::Text;

pub use ast::operator::{BaseOperator, Operator, OperatorFamily, SetOperator};
pub use ast::policy::{
    ActionElement, ActionPattern, Condition, ConditionValue, Effect, Policy, PolicyVersion,
    PrincipalElement, PrincipalEntry, PrincipalType, ResourceElement, ResourcePattern, Statement,
};
pub use ast::scenario::{
    ManagedRef, PolicySource, RequestSpec, ResolvedManaged, Scenario, ScenarioPolicies,
    FORMAT_VERSION,
};
pub use check::{check_compiled, check_scenario, check_with, CheckResult, LayerSummary};
pub use eval::authorize::authorize_traced;
pub use eval::authorize::{
    authorize, authorize_with, decide, rejected_policies, Authorization, CompiledPolicy, Decision,
    DecisionRule, Detail, LayerDecision, LayerResult, NotApplicable, Note, PolicyErrors,
    PolicyResult, PolicySet, StatementRef, RCP_SERVICES,
};
pub use eval::condition::{ConditionOutcome, ConditionTrace, PolicyValueTrace, RequestValueTrace};
pub use eval::principal::{GrantKind, PrincipalEntryTrace, PrincipalTrace};
pub use eval::statement::{ElementTrace, EntryTrace, PolicyDecision, PolicyTrace, StatementTrace};
pub use eval::trace::{StaleTrace, Trace};
pub use eval::{RejectedPolicy, RequestError, Traced};
pub use layer::{Layer, LayerMap, PolicyId, PolicyKind};
pub use parse::diagnostic::{did_you_mean, Diagnostic, DiagnosticClass, DiagnosticCode, Severity};
pub use parse::policy::{parse_policy, parse_policy_as, ParsedPolicy};
pub use parse::scenario::{ManagedPolicies, UnknownManaged};
pub use pattern::{check_arn_pattern, Arn, ArnPattern, ArnProblem, Glob};
pub use request::principal::is_account_id;
pub use request::{
    context_from_json, ContextEntry, Principal, PrincipalError, Request, RequestContext,
};
pub use span::{Position, Span, Spanned};
