//! Everything the linter takes from the `iam-policy` engine, named in one
//! place.

pub(crate) use iam_policy::values::parse_bool;
pub(crate) use iam_policy::{
    check_arn_pattern, did_you_mean, ActionElement, BaseOperator, Condition, Effect,
    OperatorFamily, Policy, PolicyKind, PolicyVersion, Position, PrincipalElement, PrincipalType,
    ResourceElement, SetOperator, Span, Statement,
};
