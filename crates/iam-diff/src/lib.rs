//! # iam-diff
//!
//! What access changed between two versions of an IAM policy, per catalog
//! action: granted, revoked, resources/conditions/principals changed, or
//! "may differ" with the reason — never "same" without a proof — with the
//! statements responsible on each side and, per change, an example request
//! the engine decides differently under the two versions (verified by
//! evaluating it against both).
//!
//! - **Exact for actions**: every catalog action is matched against every
//!   statement's Action/NotAction with the engine's own compiled patterns.
//! - **Sound for resources and conditions**: clauses are equal after
//!   normalisation, or one is proven within the other (wildcard containment
//!   by a bounded automaton search, CIDR, number and date ranges, operator
//!   by operator), or the answer says what could not be proven.
//! - **Examples verify**: a candidate request is reported only when the
//!   engine allows it under one version and not under the other.
//!
//! ```
//! use iam_diff::{diff, DiffKind, DiffOptions, ChangeKind};
//! let catalog = iam_catalog::Catalog::embedded();
//! let old = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:Get*","Resource":"*"}]}"#;
//! let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}"#;
//! let d = diff(old, new, &DiffOptions::new(DiffKind::Identity), catalog).unwrap();
//! assert!(d.summary.new_access);
//! let sqs = &d.services[0];
//! assert!(sqs.changes.iter().all(|c| c.kind == ChangeKind::Granted && !c.examples.is_empty()));
//! ```

pub mod automaton;
pub mod clause;
mod diff;
pub mod example;
pub mod model;
mod text;

pub use diff::{diff, DiffOptions, Differ};
pub use model::{
    ActionChange, Aspect, AssumedPolicy, ChangeKind, DiffError, DiffKind, DiffSummary, Evidence,
    Example, PolicyDiff, ServiceDiff, Shows, Side, SideDiagnostic, StatementPos,
};
