//! # iam-policy
//!
//! An AWS IAM policy engine: parses policies keeping source positions,
//! validates them (every problem, each with a position and a fix), evaluates
//! requests across every policy layer the way AWS's authorizer does, and
//! explains each decision as data.
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

pub mod arn;
pub mod authorize;
pub mod check;
pub mod condition;
pub mod context;
pub mod diagnostic;
pub mod eval;
pub mod explain;
pub mod json;
pub mod operator;
pub mod pattern;
pub mod policy;
pub mod principal;
pub mod scenario;
pub mod span;
pub mod values;

pub use authorize::{
    authorize, authorize_with, decide, Authorization, CompiledPolicy, Decision, DecisionRule,
    Detail, Layer, LayerDecision, LayerResult, Note, PolicySet, StatementRef, RCP_SERVICES,
};
pub use check::{check_compiled, check_scenario, check_with, CheckResult, LayerSummary};
pub use condition::{ConditionOutcome, ConditionTrace};
pub use context::RequestContext;
pub use diagnostic::{Diagnostic, DiagnosticClass, DiagnosticCode, Severity};
pub use eval::{ElementTrace, EntryTrace, PolicyDecision, PolicyTrace, Request, StatementTrace};
pub use policy::{
    parse_policy, parse_policy_as, Effect, ParsedPolicy, Policy, PolicyKind, Statement,
};
pub use principal::{GrantKind, Principal};
pub use scenario::{PolicySource, RejectedPolicy, RequestSpec, Scenario};
pub use span::{Position, Span, Spanned};
