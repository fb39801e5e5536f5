//! Matching text against what a policy writes: wildcard globs, policy
//! strings with variables, and ARN patterns. A leaf of the engine: it knows
//! nothing of policies or layers.

pub mod arn;
pub mod glob;
mod segments;
pub mod template;

pub use arn::{check_arn_pattern, Arn, ArnPattern, ArnProblem};
pub use glob::{eq_ignore_case, fold_case, matches_toks, Glob, Tok};
pub use template::{Part, Template, Variables};
