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
//! - Policy variables are substituted in String and Arn operators; a value
//!   whose variable cannot be resolved matches nothing.

use crate::arn::ArnPattern;
use crate::context::RequestContext;
use crate::operator::{BaseOperator, Operator, OperatorFamily, SetOperator};
use crate::pattern::{fold_case, Resolved};
use crate::policy::Condition;
use crate::span::Span;
use crate::values;
use serde::Serialize;
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

/// Evaluates one condition against the request context.
pub fn evaluate(c: &Condition, ctx: &RequestContext) -> ConditionTrace {
    let op = c.operator;
    let base = op.base;
    let negated = base.is_negated();
    let entry = ctx.get(&c.key);

    let mut resolved: Vec<Option<Resolved>> = Vec::with_capacity(c.values.len());
    let mut values = Vec::with_capacity(c.values.len());
    let mut unresolved_keys: Vec<String> = Vec::new();
    for v in &c.values {
        match v.template.resolve(ctx) {
            Ok(r) => {
                values.push(PolicyValueTrace {
                    written: v.text.clone(),
                    resolved: Some(r.text.clone()),
                    unresolved: Vec::new(),
                    span: v.span,
                });
                resolved.push(Some(r));
            }
            Err(keys) => {
                for k in &keys {
                    if !unresolved_keys.contains(k) {
                        unresolved_keys.push(k.clone());
                    }
                }
                values.push(PolicyValueTrace {
                    written: v.text.clone(),
                    resolved: None,
                    unresolved: keys,
                    span: v.span,
                });
                resolved.push(None);
            }
        }
    }

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
        let present = entry.is_some_and(|e| !e.values.is_empty());
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
        trace.result = c
            .values
            .iter()
            .any(|v| values::parse_bool(&v.text) == Some(!present));
        trace.outcome = ConditionOutcome::NullCheck { present };
        return trace;
    }

    let present_values = entry.filter(|e| !e.values.is_empty());
    let Some(e) = present_values else {
        if entry.is_some() {
            trace.request_values = Some(Vec::new());
        }
        let (outcome, result) = match op.set {
            Some(SetOperator::ForAllValues) => (ConditionOutcome::ForAllValuesNoValues, true),
            _ if op.if_exists => (ConditionOutcome::KeyAbsentIfExists, true),
            Some(SetOperator::ForAnyValue) => (ConditionOutcome::ForAnyValueNoValues, false),
            None if negated => (ConditionOutcome::KeyAbsentNegated, true),
            None => (ConditionOutcome::KeyAbsent, false),
        };
        trace.outcome = outcome;
        trace.result = result;
        return trace;
    };

    let positive = base.positive();
    let mut per_value = Vec::with_capacity(e.values.len());
    for rv in &e.values {
        let valid = request_value_valid(positive.family(), rv);
        let matched: Vec<usize> = if valid {
            resolved
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.as_ref().filter(|r| positive_match(positive, r, &c.values, i, rv)).map(|_| i))
                .collect()
        } else {
            Vec::new()
        };
        let result = if negated { valid && matched.is_empty() } else { !matched.is_empty() };
        per_value.push(RequestValueTrace {
            value: rv.clone(),
            matched,
            valid,
            result,
        });
    }
    let any = per_value.iter().any(|v| v.result);
    let all = per_value.iter().all(|v| v.result);
    let mut result = match op.set {
        Some(SetOperator::ForAnyValue) => any,
        Some(SetOperator::ForAllValues) => all,
        // A plain operator on several request values: a positive operator
        // needs one value to match; a negated one needs none to match.
        None => {
            if negated {
                all
            } else {
                any
            }
        }
    };
    if !unresolved_keys.is_empty() && (negated || !result) {
        // An unresolvable variable makes the condition not match.
        result = false;
        trace.outcome = ConditionOutcome::UnresolvedVariable { keys: unresolved_keys };
    }
    trace.request_values = Some(per_value);
    trace.result = result;
    trace
}

fn request_value_valid(family: OperatorFamily, v: &str) -> bool {
    match family {
        OperatorFamily::Numeric => values::parse_number(v).is_some(),
        OperatorFamily::Date => values::parse_date(v).is_some(),
        OperatorFamily::Bool => values::parse_bool(v).is_some(),
        OperatorFamily::IpAddress => values::parse_ip(v).is_some(),
        _ => true,
    }
}

/// Does request value `rv` match policy value `i` under a positive operator?
fn positive_match(
    op: BaseOperator,
    r: &Resolved,
    written: &[crate::policy::ConditionValue],
    i: usize,
    rv: &str,
) -> bool {
    let pv = written.get(i).map(|v| v.text.as_str()).unwrap_or_default();
    match op {
        BaseOperator::StringEquals | BaseOperator::StringLike => r.glob.matches(rv),
        BaseOperator::StringEqualsIgnoreCase => fold_case(&r.text) == fold_case(rv),
        BaseOperator::ArnEquals | BaseOperator::ArnLike => ArnPattern::new(r.glob.clone()).matches(rv),
        BaseOperator::NumericEquals
        | BaseOperator::NumericLessThan
        | BaseOperator::NumericLessThanEquals
        | BaseOperator::NumericGreaterThan
        | BaseOperator::NumericGreaterThanEquals => {
            match (values::parse_number(rv), values::parse_number(pv)) {
                (Some(a), Some(b)) => ordering_ok(op, values::compare_numbers(a, b)),
                _ => false,
            }
        }
        BaseOperator::DateEquals
        | BaseOperator::DateLessThan
        | BaseOperator::DateLessThanEquals
        | BaseOperator::DateGreaterThan
        | BaseOperator::DateGreaterThanEquals => match (values::parse_date(rv), values::parse_date(pv)) {
            (Some(a), Some(b)) => ordering_ok(op, Some(a.cmp(&b))),
            _ => false,
        },
        BaseOperator::Bool => match (values::parse_bool(rv), values::parse_bool(pv)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        BaseOperator::BinaryEquals => match (values::decode_base64(rv), values::decode_base64(pv)) {
            (Some(a), Some(b)) => a == b,
            _ => rv == pv,
        },
        BaseOperator::IpAddress => match (values::parse_ip(rv), values::parse_cidr(pv)) {
            (Some(ip), Some(net)) => net.contains(&ip),
            _ => false,
        },
        // negated operators and Null never reach here
        _ => false,
    }
}

fn ordering_ok(op: BaseOperator, ord: Option<Ordering>) -> bool {
    let Some(o) = ord else { return false };
    match op {
        BaseOperator::NumericEquals | BaseOperator::DateEquals => o == Ordering::Equal,
        BaseOperator::NumericLessThan | BaseOperator::DateLessThan => o == Ordering::Less,
        BaseOperator::NumericLessThanEquals | BaseOperator::DateLessThanEquals => o != Ordering::Greater,
        BaseOperator::NumericGreaterThan | BaseOperator::DateGreaterThan => o == Ordering::Greater,
        BaseOperator::NumericGreaterThanEquals | BaseOperator::DateGreaterThanEquals => o != Ordering::Less,
        _ => false,
    }
}
