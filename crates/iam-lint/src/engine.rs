//! Everything the linter takes from the `iam-policy` engine, named in one
//! place.

pub(crate) use iam_policy::arn::check_arn_pattern;
pub(crate) use iam_policy::diagnostic::did_you_mean;
pub(crate) use iam_policy::operator::{BaseOperator, OperatorFamily, SetOperator};
pub(crate) use iam_policy::policy::{
    ActionElement, Condition, PolicyVersion, PrincipalElement, PrincipalType, ResourceElement,
};
pub(crate) use iam_policy::values::parse_bool;
pub(crate) use iam_policy::{Effect, Policy, PolicyKind, Position, Span, Statement};
