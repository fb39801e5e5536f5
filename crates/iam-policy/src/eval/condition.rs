//! Condition evaluation, following the IAM User Guide's condition operator
//! rules, and the trace that explains each result.
//!
//! - Several operators in a block, and several keys under one operator: all
//!   must be true (AND). Several values for one key: any may match (OR).
//! - A key absent from the request: the condition is false, except for
//!   negated operators (`StringNotEquals`, `NotIpAddress`, …), which are true,
//!   and `…IfExists` operators, which are true.
//! - `ForAllValues:` is true when every request value matches (and when the
//!   key is absent or empty); `ForAnyValue:` when at least one does (false
//!   when the key is absent or empty).
//! - Policy variables are substituted in String and Arn operators. A value
//!   whose variable has no value is "effectively null": positive operators
//!   do not match it, negated ones (`StringNotEquals`, …) do (IAM User Guide,
//!   "Policy variables with no value").
//! - A policy value that is not of the operator's type (a date operator
//!   given "not a date") satisfies neither the operator nor its negation.
//!
//! Two entry points share one core: [`evaluate`] records a full trace for
//! explanations; [`holds`] only decides, for evaluating many requests fast.

use crate::ast::operator::{BaseOperator, Operator, OperatorFamily, SetOperator};
use crate::ast::policy::{Condition, ConditionValue, Typed};
use crate::pattern::ArnPattern;
use crate::pattern::{fold_case, Glob};
use crate::request::context::{ContextEntry, RequestContext};
use crate::span::Span;
use crate::values;
use serde::Serialize;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Why a condition came out the way it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ConditionOutcome {
    /// The request's values were compared with the policy's.
    Compared,
    /// The key is absent: a plain operator is false.
    KeyAbsent,
    /// The key is absent: a negated operator is true.
    KeyAbsentNegated,
    /// The key is absent: an `…IfExists` operator is true.
    KeyAbsentIfExists,
    /// The key is absent or empty: `ForAllValues:` is true.
    ForAllValuesNoValues,
    /// The key is absent or empty: `ForAnyValue:` is false.
    ForAnyValueNoValues,
    /// `Null` checks presence only.
    NullCheck { present: bool },
    /// A policy value's variable has no value in the request.
    UnresolvedVariable { keys: Vec<String> },
}

/// One value written in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyValueTrace {
    /// As written.
    pub written: String,
    /// After variable substitution (None when a variable is unresolved).
    pub resolved: Option<String>,
    /// Variables without a value.
    pub unresolved: Vec<String>,
    /// False when the value is not of the operator's type: it then
    /// satisfies neither the operator nor its negation.
    pub valid: bool,
    pub span: Span,
}

/// One value the request carries for the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestValueTrace {
    pub value: String,
    /// Indexes (into `values`) of the policy values it matched under the
    /// positive form of the operator (`IpAddress` for `NotIpAddress`, …).
    pub matched: Vec<usize>,
    /// False when the value is not of the operator's type (not a number, not
    /// an IP address, …): it then satisfies neither form of the operator.
    pub valid: bool,
    /// This value's own verdict under the operator (negation applied).
    pub result: bool,
}

/// The evaluation of one condition key under one operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConditionTrace {
    /// The operator as written.
    pub operator: String,
    pub parsed: Operator,
    pub family: OperatorFamily,
    pub negated: bool,
    pub key: String,
    pub operator_span: Span,
    pub key_span: Span,
    /// None when the request does not carry the key.
    pub request_values: Option<Vec<RequestValueTrace>>,
    /// Whether the request carried the key as a multivalued (array) key.
    pub multivalued: bool,
    pub values: Vec<PolicyValueTrace>,
    pub outcome: ConditionOutcome,
    pub result: bool,
}

impl ConditionTrace {
    /// True when the key was absent from the request (the Null operator,
    /// for which absence is the point, excepted).
    pub fn key_missing(&self) -> bool {
        self.parsed.base != BaseOperator::Null && self.request_values.is_none()
    }
}

// ------------------------------------------------------------ shared core

/// A request value parsed for the operator's family.
enum Parsed<'a> {
    Text(&'a str),
    Number(values::Number),
    Date(i128),
    Bool(bool),
    Ip(std::net::IpAddr),
    Bytes(Option<Vec<u8>>),
}

/// Parses a request value; None when it is not of the family's type.
fn parse_request_value(family: OperatorFamily, rv: &str) -> Option<Parsed<'_>> {
    Some(match family {
        OperatorFamily::Numeric => Parsed::Number(values::parse_number(rv)?),
        OperatorFamily::Date => Parsed::Date(values::parse_date(rv)?),
        OperatorFamily::Bool => Parsed::Bool(values::parse_bool(rv)?),
        OperatorFamily::IpAddress => Parsed::Ip(values::parse_ip(rv)?),
        OperatorFamily::Binary => Parsed::Bytes(values::decode_base64(rv)),
        _ => Parsed::Text(rv),
    })
}

/// Policy values after variable substitution (None: unresolved), and the
/// unresolved variable keys.
type ResolvedValues<'a> = (Vec<Option<Cow<'a, Glob>>>, Vec<String>);

fn resolve_values<'a>(c: &'a Condition, ctx: &RequestContext) -> ResolvedValues<'a> {
    let mut unresolved: Vec<String> = Vec::new();
    let resolved = c
        .values
        .iter()
        .map(|v| match v.template.resolve(ctx) {
            Ok(g) => Some(g),
            Err(keys) => {
                for k in keys {
                    if !unresolved.contains(&k) {
                        unresolved.push(k);
                    }
                }
                None
            }
        })
        .collect();
    (resolved, unresolved)
}

/// Does a (valid) request value match policy value `v` under a positive operator?
fn value_matches(op: BaseOperator, v: &ConditionValue, glob: &Glob, rv: &Parsed<'_>) -> bool {
    let typed = &v.typed;
    match (op, rv, typed) {
        (BaseOperator::StringEquals | BaseOperator::StringLike, Parsed::Text(t), _) => {
            glob.matches(t)
        }
        (BaseOperator::StringEqualsIgnoreCase, Parsed::Text(t), _) => {
            fold_case(&glob.text()) == fold_case(t)
        }
        (BaseOperator::ArnEquals | BaseOperator::ArnLike, Parsed::Text(t), Typed::Arn(p)) => {
            p.matches(t)
        }
        (BaseOperator::ArnEquals | BaseOperator::ArnLike, Parsed::Text(t), _) => {
            ArnPattern::condition(glob.clone()).matches(t)
        }
        (_, Parsed::Number(a), Typed::Number(b)) => {
            ordering_ok(op, values::compare_numbers(*a, *b))
        }
        (_, Parsed::Date(a), Typed::Date(b)) => ordering_ok(op, Some(a.cmp(b))),
        (BaseOperator::Bool, Parsed::Bool(a), Typed::Bool(b)) => a == b,
        (BaseOperator::BinaryEquals, Parsed::Bytes(Some(a)), Typed::Bytes(b)) => a == b,
        (BaseOperator::BinaryEquals, Parsed::Bytes(None), _) => false,
        (BaseOperator::IpAddress, Parsed::Ip(ip), Typed::Cidr(net)) => net.contains(ip),
        _ => false,
    }
}

fn ordering_ok(op: BaseOperator, ord: Option<Ordering>) -> bool {
    let Some(o) = ord else { return false };
    match op {
        BaseOperator::NumericEquals | BaseOperator::DateEquals => o == Ordering::Equal,
        BaseOperator::NumericLessThan | BaseOperator::DateLessThan => o == Ordering::Less,
        BaseOperator::NumericLessThanEquals | BaseOperator::DateLessThanEquals => {
            o != Ordering::Greater
        }
        BaseOperator::NumericGreaterThan | BaseOperator::DateGreaterThan => o == Ordering::Greater,
        BaseOperator::NumericGreaterThanEquals | BaseOperator::DateGreaterThanEquals => {
            o != Ordering::Less
        }
        _ => false,
    }
}

/// The verdict when the key is absent or has no values.
fn absent_outcome(op: Operator, negated: bool) -> (ConditionOutcome, bool) {
    match op.set {
        Some(SetOperator::ForAllValues) => (ConditionOutcome::ForAllValuesNoValues, true),
        _ if op.if_exists => (ConditionOutcome::KeyAbsentIfExists, true),
        Some(SetOperator::ForAnyValue) => (ConditionOutcome::ForAnyValueNoValues, false),
        None if negated => (ConditionOutcome::KeyAbsentNegated, true),
        None => (ConditionOutcome::KeyAbsent, false),
    }
}

/// Combines per-request-value verdicts: ForAnyValue needs one, ForAllValues
/// all; a plain positive operator needs one value to match, a plain negated
/// one needs none to match (every value's negated verdict true).
fn combine(
    set: Option<SetOperator>,
    negated: bool,
    mut results: impl Iterator<Item = bool>,
) -> bool {
    match set {
        Some(SetOperator::ForAnyValue) => results.any(|r| r),
        Some(SetOperator::ForAllValues) => results.all(|r| r),
        None if negated => results.all(|r| r),
        None => results.any(|r| r),
    }
}

/// The values of a present, non-empty key.
fn present(entry: Option<&ContextEntry>) -> Option<&ContextEntry> {
    entry.filter(|e| !e.values.is_empty())
}

fn null_result(c: &Condition, is_present: bool) -> bool {
    c.values
        .iter()
        .any(|v| matches!(v.typed, Typed::Bool(b) if b != is_present))
}

/// One request value's verdict and the indexes of the policy values it matched.
fn judge_value(
    c: &Condition,
    resolved: &[Option<Cow<'_, Glob>>],
    rv: &str,
    record: bool,
) -> (bool, bool, Vec<usize>) {
    let base = c.operator.base;
    let positive = base.positive();
    let Some(parsed) = parse_request_value(positive.family(), rv) else {
        return (false, false, Vec::new());
    };
    let mut matched = Vec::new();
    let mut any = false;
    // a policy value of the wrong type makes the negated form false too
    let mut any_invalid = false;
    for (i, (v, g)) in c.values.iter().zip(resolved).enumerate() {
        if matches!(v.typed, Typed::Invalid) {
            any_invalid = true;
            continue;
        }
        if let Some(g) = g {
            if value_matches(positive, v, g, &parsed) {
                any = true;
                if !record {
                    break;
                }
                matched.push(i);
            }
        }
    }
    let result = if base.is_negated() {
        !any && !any_invalid
    } else {
        any
    };
    (true, result, matched)
}

// ------------------------------------------------------------ entry points

/// Decides a condition without recording a trace. Returns the result and
/// whether the key was missing from the request.
pub fn holds(c: &Condition, ctx: &RequestContext) -> (bool, bool) {
    let op = c.operator;
    let entry = ctx.get(&c.key);
    if op.base == BaseOperator::Null {
        return (null_result(c, present(entry).is_some()), false);
    }
    let missing = entry.is_none();
    let Some(e) = present(entry) else {
        return (absent_outcome(op, op.base.is_negated()).1, missing);
    };
    let (resolved, _) = resolve_values(c, ctx);
    let negated = op.base.is_negated();
    let result = combine(
        op.set,
        negated,
        e.values.iter().map(|rv| {
            let (valid, r, _) = judge_value(c, &resolved, rv, false);
            valid && r
        }),
    );
    (result, missing)
}

/// Evaluates one condition against the request context, recording why.
pub fn evaluate(c: &Condition, ctx: &RequestContext) -> ConditionTrace {
    let op = c.operator;
    let base = op.base;
    let negated = base.is_negated();
    let entry = ctx.get(&c.key);
    let (resolved, unresolved_keys) = resolve_values(c, ctx);
    let values = c
        .values
        .iter()
        .zip(&resolved)
        .map(|(v, r)| PolicyValueTrace {
            written: v.text.clone(),
            resolved: r.as_ref().map(|g| g.text()),
            unresolved: if r.is_none() {
                v.template
                    .variable_keys()
                    .filter(|k| ctx.single_value(k).is_none())
                    .map(str::to_string)
                    .collect()
            } else {
                Vec::new()
            },
            valid: !matches!(v.typed, Typed::Invalid),
            span: v.span,
        })
        .collect();
    let mut trace = ConditionTrace {
        operator: c.operator_text.clone(),
        parsed: op,
        family: base.family(),
        negated,
        key: c.key.clone(),
        operator_span: c.operator_span,
        key_span: c.key_span,
        request_values: None,
        multivalued: entry.is_some_and(|e| e.multivalued),
        values,
        outcome: ConditionOutcome::Compared,
        result: false,
    };

    if base == BaseOperator::Null {
        let is_present = present(entry).is_some();
        trace.request_values = entry.map(|e| {
            e.values
                .iter()
                .map(|v| RequestValueTrace {
                    value: v.clone(),
                    matched: Vec::new(),
                    valid: true,
                    result: true,
                })
                .collect()
        });
        trace.result = null_result(c, is_present);
        trace.outcome = ConditionOutcome::NullCheck {
            present: is_present,
        };
        return trace;
    }

    let Some(e) = present(entry) else {
        if entry.is_some() {
            trace.request_values = Some(Vec::new());
        }
        let (outcome, result) = absent_outcome(op, negated);
        trace.outcome = outcome;
        trace.result = result;
        return trace;
    };

    let per_value: Vec<RequestValueTrace> = e
        .values
        .iter()
        .map(|rv| {
            let (valid, r, matched) = judge_value(c, &resolved, rv, true);
            RequestValueTrace {
                value: rv.clone(),
                matched,
                valid,
                result: valid && r,
            }
        })
        .collect();
    let result = combine(op.set, negated, per_value.iter().map(|v| v.result));
    if !unresolved_keys.is_empty() {
        // Values whose variable has no value matched nothing (a negated
        // operator is true of them): say which keys were missing.
        trace.outcome = ConditionOutcome::UnresolvedVariable {
            keys: unresolved_keys,
        };
    }
    trace.request_values = Some(per_value);
    trace.result = result;
    trace
}
