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
use crate::eval::trace::{ConditionRecord, OutcomeRecord, Range32, Records, ValueRecord};
use crate::pattern::arn::condition_matches_toks;
use crate::pattern::glob::{eq_ignore_case, matches_toks, toks_text};
use crate::pattern::{Glob, Tok};
use crate::request::context::{ContextEntry, RequestContext};
use crate::span::Span;
use crate::syntax::text::Text;
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
    pub written: Text,
    /// After variable substitution (None when a variable is unresolved).
    pub resolved: Option<Text>,
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
    pub value: Text,
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
    pub operator: Text,
    pub parsed: Operator,
    pub family: OperatorFamily,
    pub negated: bool,
    pub key: Text,
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

/// A request value parsed for a typed operator family.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Number(values::Number),
    Date(i128),
    Bool(bool),
    Ip(std::net::IpAddr),
    /// Base64 that does not decode is still a value (it equals nothing).
    Bytes(Option<Vec<u8>>),
    /// Not a value of the family's type.
    Invalid,
}

/// The slot of a typed family in the cache; `None` for families compared
/// as text.
fn family_slot(family: OperatorFamily) -> Option<usize> {
    match family {
        OperatorFamily::Numeric => Some(0),
        OperatorFamily::Date => Some(1),
        OperatorFamily::Bool => Some(2),
        OperatorFamily::IpAddress => Some(3),
        OperatorFamily::Binary => Some(4),
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Null => None,
    }
}

fn parse_val(family: OperatorFamily, rv: &str) -> Val {
    let v = match family {
        OperatorFamily::Numeric => values::parse_number(rv).map(Val::Number),
        OperatorFamily::Date => values::parse_date(rv).map(Val::Date),
        OperatorFamily::Bool => values::parse_bool(rv).map(Val::Bool),
        OperatorFamily::IpAddress => values::parse_ip(rv).map(Val::Ip),
        OperatorFamily::Binary => Some(Val::Bytes(values::decode_base64(rv))),
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Null => None,
    };
    v.unwrap_or(Val::Invalid)
}

/// What evaluating one request keeps between conditions: the request's
/// context values parsed for each typed family they are compared under
/// (an IP address is parsed once per request, not once per condition), and
/// a buffer for substituting policy variables. Valid for one request
/// context only.
#[derive(Debug, Default)]
pub(crate) struct RequestCache {
    parsed: ParsedValues,
    toks: Vec<Tok>,
    text: String,
}

/// By context entry number, by family slot: the entry's values parsed.
#[derive(Debug, Default)]
struct ParsedValues(Vec<[Option<Vec<Val>>; 5]>);

impl ParsedValues {
    /// The values of context entry `index` parsed for `family`.
    fn get(
        &mut self,
        ctx: &RequestContext,
        index: usize,
        entry: &ContextEntry,
        family: OperatorFamily,
    ) -> &[Val] {
        let Some(slot) = family_slot(family) else {
            return &[];
        };
        if self.0.len() < ctx.len() {
            self.0.resize_with(ctx.len(), Default::default);
        }
        match self.0.get_mut(index).and_then(|s| s.get_mut(slot)) {
            Some(cell) => cell
                .get_or_insert_with(|| entry.values.iter().map(|v| parse_val(family, v)).collect()),
            None => &[],
        }
    }
}

impl RequestCache {
    /// A buffer for substituted tokens (emptied).
    pub(crate) fn toks(&mut self) -> &mut Vec<Tok> {
        self.toks.clear();
        &mut self.toks
    }

    /// The text a template shows once its variables are substituted (one
    /// allocation: the text is rendered in a reused buffer first).
    pub(crate) fn render(
        &mut self,
        t: &crate::pattern::Template,
        ctx: &RequestContext,
    ) -> Result<Text, Vec<String>> {
        self.text.clear();
        t.render_into(ctx, &mut self.text)?;
        Ok(Text::from(self.text.as_str()))
    }
}

/// A policy value after variable substitution.
#[derive(Debug, Clone, Copy)]
enum Resolved<'a> {
    /// No variable: its compiled pattern.
    Fixed(&'a Glob),
    /// Substituted: `toks[start..end]` of the cache's buffer.
    Toks(usize, usize),
    /// A variable has no value.
    Missing,
}

/// Substitutes the variables of every value of a condition that has some
/// (None when it has none: every value is [`Resolved::Fixed`]). Collects the
/// keys without a value into `unresolved` (each once).
#[inline]
fn resolve_values<'a>(
    c: &'a Condition,
    ctx: &RequestContext,
    toks: &mut Vec<Tok>,
    unresolved: Option<&mut Vec<String>>,
) -> Option<Vec<Resolved<'a>>> {
    if c.values.iter().all(|v| !v.template.has_variables()) {
        return None;
    }
    substitute_values(c, ctx, toks, unresolved)
}

/// [`resolve_values`] for a condition with variables.
#[inline(never)]
fn substitute_values<'a>(
    c: &'a Condition,
    ctx: &RequestContext,
    toks: &mut Vec<Tok>,
    mut unresolved: Option<&mut Vec<String>>,
) -> Option<Vec<Resolved<'a>>> {
    toks.clear();
    let mut scratch = Vec::new();
    let out = c
        .values
        .iter()
        .map(|v| {
            if let Some(g) = v.template.fixed() {
                return Resolved::Fixed(g);
            }
            match v.template.resolve_into(ctx, &mut scratch) {
                Ok(()) => {
                    let start = toks.len();
                    toks.extend_from_slice(&scratch);
                    Resolved::Toks(start, toks.len())
                }
                Err(keys) => {
                    if let Some(u) = unresolved.as_deref_mut() {
                        for k in keys {
                            if !u.contains(&k) {
                                u.push(k);
                            }
                        }
                    }
                    Resolved::Missing
                }
            }
        })
        .collect();
    Some(out)
}

fn resolved_at<'a>(c: &'a Condition, vars: Option<&[Resolved<'a>]>, i: usize) -> Resolved<'a> {
    match vars {
        Some(r) => r.get(i).copied().unwrap_or(Resolved::Missing),
        None => c
            .values
            .get(i)
            .and_then(|v| v.template.fixed())
            .map_or(Resolved::Missing, Resolved::Fixed),
    }
}

/// The text a resolved value shows in a trace.
fn resolved_text(v: &ConditionValue, r: Resolved<'_>, toks: &[Tok]) -> Option<Text> {
    match r {
        Resolved::Fixed(g) => Some(v.shown.clone().unwrap_or_else(|| g.shared_text())),
        Resolved::Toks(a, b) => Some(toks_text(toks.get(a..b).unwrap_or_default()).into()),
        Resolved::Missing => None,
    }
}

/// Does a (valid) request value match policy value `v` under a positive
/// operator? `t` is the request value as text, `val` parsed for a typed
/// family.
fn value_matches(
    op: BaseOperator,
    v: &ConditionValue,
    r: Resolved<'_>,
    toks: &[Tok],
    t: &str,
    val: Option<&Val>,
) -> bool {
    use BaseOperator as B;
    let toks_of = |a: usize, b: usize| toks.get(a..b).unwrap_or_default();
    match op {
        B::StringEquals | B::StringLike => match r {
            Resolved::Fixed(g) => g.matches(t),
            Resolved::Toks(a, b) => matches_toks(toks_of(a, b), t),
            Resolved::Missing => false,
        },
        B::StringEqualsIgnoreCase => match r {
            Resolved::Fixed(g) => match g.as_literal() {
                Some(l) => eq_ignore_case(l, t),
                None => eq_ignore_case(&g.text(), t),
            },
            Resolved::Toks(a, b) => eq_ignore_case(&toks_text(toks_of(a, b)), t),
            Resolved::Missing => false,
        },
        B::ArnEquals | B::ArnLike => match (&v.typed, r) {
            (Typed::Arn(p), _) => p.matches(t),
            (_, Resolved::Toks(a, b)) => condition_matches_toks(toks_of(a, b), t),
            (_, Resolved::Fixed(g)) => condition_matches_toks(&g.toks(), t),
            (_, Resolved::Missing) => false,
        },
        _ => match (val, &v.typed) {
            (Some(Val::Number(a)), Typed::Number(b)) => {
                ordering_ok(op, values::compare_numbers(*a, *b))
            }
            (Some(Val::Date(a)), Typed::Date(b)) => ordering_ok(op, Some(a.cmp(b))),
            (Some(Val::Bool(a)), Typed::Bool(b)) => op == B::Bool && a == b,
            (Some(Val::Bytes(Some(a))), Typed::Bytes(b)) => op == B::BinaryEquals && a == b,
            (Some(Val::Ip(ip)), Typed::Cidr(net)) => op == B::IpAddress && net.contains(ip),
            _ => false,
        },
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

/// What judging a request value needs to know of the operator, worked out
/// once per condition rather than once per value.
#[derive(Debug, Clone, Copy)]
struct Judge {
    /// The positive form of the operator (`IpAddress` for `NotIpAddress`).
    positive: BaseOperator,
    negated: bool,
}

impl Judge {
    fn of(c: &Condition) -> Judge {
        let positive = c.operator.base.positive();
        Judge {
            positive,
            negated: positive != c.operator.base,
        }
    }
}

/// One request value's verdict: whether it is of the operator's type and the
/// verdict (negation applied); the indexes of the policy values it matched
/// are appended to `record` when given (else the first match decides).
fn judge_value(
    c: &Condition,
    how: Judge,
    vars: Option<&[Resolved<'_>]>,
    toks: &[Tok],
    t: &str,
    val: Option<&Val>,
    mut record: Option<&mut Vec<u32>>,
) -> (bool, bool) {
    if matches!(val, Some(Val::Invalid)) {
        return (false, false);
    }
    let mut any = false;
    // a policy value of the wrong type makes the negated form false too
    let mut any_invalid = false;
    if vars.is_none()
        && matches!(
            how.positive,
            BaseOperator::StringEquals | BaseOperator::StringLike
        )
    {
        // the common case, without dispatching on the operator per value:
        // strings compared with the values' compiled patterns
        for (i, v) in c.values.iter().enumerate() {
            if matches!(v.typed, Typed::Invalid) {
                any_invalid = true;
            } else if v.template.fixed().is_some_and(|g| g.matches(t)) {
                any = true;
                match record.as_deref_mut() {
                    Some(m) => m.push(u32::try_from(i).unwrap_or(u32::MAX)),
                    None => break,
                }
            }
        }
        return (true, verdict(how.negated, any, any_invalid));
    }
    for (i, v) in c.values.iter().enumerate() {
        if matches!(v.typed, Typed::Invalid) {
            any_invalid = true;
            continue;
        }
        let r = match vars {
            Some(r) => r.get(i).copied().unwrap_or(Resolved::Missing),
            None => match v.template.fixed() {
                Some(g) => Resolved::Fixed(g),
                None => continue,
            },
        };
        if matches!(r, Resolved::Missing) {
            continue;
        }
        if value_matches(how.positive, v, r, toks, t, val) {
            any = true;
            match record.as_deref_mut() {
                Some(m) => m.push(u32::try_from(i).unwrap_or(u32::MAX)),
                None => break,
            }
        }
    }
    (true, verdict(how.negated, any, any_invalid))
}

/// A request value's verdict once compared with every policy value: true when
/// one matched (`any`); the negated form, when none did and no policy value
/// was of the wrong type (`any_invalid` makes it false too).
fn verdict(negated: bool, any: bool, any_invalid: bool) -> bool {
    if negated {
        !any && !any_invalid
    } else {
        any
    }
}

// ------------------------------------------------------------ entry points

/// Decides a condition without recording a trace. Returns the result and
/// whether the key was missing from the request.
pub fn holds(c: &Condition, ctx: &RequestContext) -> (bool, bool) {
    holds_in(c, ctx, &mut RequestCache::default())
}

/// [`holds`], with the request's cache.
pub(crate) fn holds_in(
    c: &Condition,
    ctx: &RequestContext,
    cache: &mut RequestCache,
) -> (bool, bool) {
    let op = c.operator;
    let found = ctx.lookup(&c.key_lower);
    let entry = found.map(|(_, e)| e);
    if op.base == BaseOperator::Null {
        return (null_result(c, present(entry).is_some()), false);
    }
    let missing = entry.is_none();
    let (Some((index, _)), Some(e)) = (found, present(entry)) else {
        return (absent_outcome(op, op.base.is_negated()).1, missing);
    };
    let vars = resolve_values(c, ctx, &mut cache.toks, None);
    let how = Judge::of(c);
    let parsed = cache.parsed.get(ctx, index, e, how.positive.family());
    let toks = &cache.toks;
    let result = combine(
        op.set,
        how.negated,
        e.values.iter().enumerate().map(|(j, rv)| {
            let (valid, r) = judge_value(c, how, vars.as_deref(), toks, rv, parsed.get(j), None);
            valid && r
        }),
    );
    (result, missing)
}

/// Evaluates one condition against the request context, recording why.
pub fn evaluate(c: &Condition, ctx: &RequestContext) -> ConditionTrace {
    evaluate_in(c, ctx, &mut RequestCache::default())
}

/// [`evaluate`], with the request's cache.
pub(crate) fn evaluate_in(
    c: &Condition,
    ctx: &RequestContext,
    cache: &mut RequestCache,
) -> ConditionTrace {
    let mut records = Records::default();
    let r = record(c, ctx, cache, &mut records);
    expand(c, &r, &records, ctx, cache)
}

/// Evaluates one condition, recording its verdict, and each request
/// value's, into `records` (see [`crate::eval::trace`]).
pub(crate) fn record(
    c: &Condition,
    ctx: &RequestContext,
    cache: &mut RequestCache,
    records: &mut Records,
) -> ConditionRecord {
    let op = c.operator;
    let how = Judge::of(c);
    let found = ctx.lookup(&c.key_lower);
    let entry = found.map(|(_, e)| e);

    if op.base == BaseOperator::Null {
        let is_present = present(entry).is_some();
        let values = entry.map(|e| {
            let start = records.values.len();
            records.values.extend(e.values.iter().map(|_| ValueRecord {
                valid: true,
                result: true,
                matched: Range32::default(),
            }));
            Range32::new(start, records.values.len())
        });
        return ConditionRecord {
            result: null_result(c, is_present),
            outcome: OutcomeRecord::NullCheck {
                present: is_present,
            },
            values,
            null: true,
        };
    }

    let (Some((index, _)), Some(e)) = (found, present(entry)) else {
        let (outcome, result) = absent_record(op, how.negated);
        return ConditionRecord {
            result,
            outcome,
            values: entry.map(|_| Range32::default()),
            null: false,
        };
    };

    let vars = resolve_values(c, ctx, &mut cache.toks, None);
    let family = how.positive.family();
    let parsed: &[Val] = match family_slot(family) {
        Some(_) => cache.parsed.get(ctx, index, e, family),
        None => &[],
    };
    let toks = &cache.toks;
    let start = records.values.len();
    if vars.is_none()
        && matches!(
            how.positive,
            BaseOperator::StringEquals | BaseOperator::StringLike
        )
    {
        record_strings(c, how.negated, &e.values, records);
    } else if vars.is_none() && how.positive == BaseOperator::IpAddress {
        record_addresses(c, how.negated, e.values.len(), parsed, records);
    } else {
        record_values(c, how, vars.as_deref(), toks, &e.values, parsed, records);
    }
    let range = Range32::new(start, records.values.len());
    let result = combine(
        op.set,
        how.negated,
        range.of(&records.values).iter().map(|v| v.result),
    );
    ConditionRecord {
        result,
        outcome: OutcomeRecord::Compared,
        values: Some(range),
        null: false,
    }
}

/// Closes the record of a request value compared with every policy value,
/// the policy values it matched pushed since `from` ([`verdict`]).
fn close_compared(records: &mut Records, from: usize, negated: bool, any_invalid: bool) {
    let any = records.matched.len() > from;
    records.values.push(ValueRecord {
        valid: true,
        result: verdict(negated, any, any_invalid),
        matched: Range32::new(from, records.matched.len()),
    });
}

/// Records every request value of a condition compared as strings with
/// policy values without variables (the common case): [`judge_value`]'s
/// first branch for all values at once, without a call per value.
fn record_strings(c: &Condition, negated: bool, texts: &[Text], records: &mut Records) {
    // a policy value of the wrong type makes the negated form false too
    let any_invalid = c.values.iter().any(|v| matches!(v.typed, Typed::Invalid));
    for t in texts {
        let from = records.matched.len();
        for (i, v) in (0u32..).zip(&c.values) {
            if matches!(v.typed, Typed::Invalid) {
                continue;
            }
            let Some(g) = v.template.fixed() else {
                continue;
            };
            // StringEquals and StringLike are case-sensitive: a value
            // without wildcards matches the text equal to it
            // (compared as bytes: a policy value is a part of its policy's
            // shared text, whose bytes are read without re-checking
            // character boundaries)
            let hit = match g.literal_bytes() {
                Some(l) => l == t.as_bytes(),
                None => g.matches(t),
            };
            if hit {
                records.matched.push(i);
            }
        }
        close_compared(records, from, negated, any_invalid);
    }
}

/// Records every request value of an `IpAddress`/`NotIpAddress` condition
/// (the `count` request values parsed once per request, in `parsed`):
/// [`judge_value`]'s verdicts, without a call per value.
fn record_addresses(
    c: &Condition,
    negated: bool,
    count: usize,
    parsed: &[Val],
    records: &mut Records,
) {
    let any_invalid = c.values.iter().any(|v| matches!(v.typed, Typed::Invalid));
    for j in 0..count {
        let val = parsed.get(j);
        let from = records.matched.len();
        if matches!(val, Some(Val::Invalid)) {
            records.values.push(ValueRecord {
                valid: false,
                result: false,
                matched: Range32::new(from, from),
            });
            continue;
        }
        if let Some(Val::Ip(ip)) = val {
            for (i, v) in (0u32..).zip(&c.values) {
                if matches!(&v.typed, Typed::Cidr(net) if net.contains(ip)) {
                    records.matched.push(i);
                }
            }
        }
        close_compared(records, from, negated, any_invalid);
    }
}

/// Records every request value of a condition, each judged by
/// [`judge_value`].
fn record_values(
    c: &Condition,
    how: Judge,
    vars: Option<&[Resolved<'_>]>,
    toks: &[Tok],
    texts: &[Text],
    parsed: &[Val],
    records: &mut Records,
) {
    for (j, rv) in texts.iter().enumerate() {
        let from = records.matched.len();
        let (valid, r) = judge_value(
            c,
            how,
            vars,
            toks,
            rv,
            parsed.get(j),
            Some(&mut records.matched),
        );
        records.values.push(ValueRecord {
            valid,
            result: valid && r,
            matched: Range32::new(from, records.matched.len()),
        });
    }
}

/// [`absent_outcome`], as a record.
fn absent_record(op: Operator, negated: bool) -> (OutcomeRecord, bool) {
    let (o, result) = absent_outcome(op, negated);
    let o = match o {
        ConditionOutcome::ForAllValuesNoValues => OutcomeRecord::ForAllValuesNoValues,
        ConditionOutcome::KeyAbsentIfExists => OutcomeRecord::KeyAbsentIfExists,
        ConditionOutcome::ForAnyValueNoValues => OutcomeRecord::ForAnyValueNoValues,
        ConditionOutcome::KeyAbsentNegated => OutcomeRecord::KeyAbsentNegated,
        _ => OutcomeRecord::KeyAbsent,
    };
    (o, result)
}

/// The trace of a recorded condition: the policy's values as written and
/// substituted, the request's values with their verdicts.
pub(crate) fn expand(
    c: &Condition,
    rec: &ConditionRecord,
    records: &Records,
    ctx: &RequestContext,
    cache: &mut RequestCache,
) -> ConditionTrace {
    let op = c.operator;
    let base = op.base;
    let entry = ctx.lookup(&c.key_lower).map(|(_, e)| e);
    let mut unresolved_keys: Vec<String> = Vec::new();
    let vars = resolve_values(c, ctx, &mut cache.toks, Some(&mut unresolved_keys));
    let values = c
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let r = resolved_at(c, vars.as_deref(), i);
            let missing = matches!(r, Resolved::Missing);
            PolicyValueTrace {
                written: v.text.clone(),
                resolved: resolved_text(v, r, &cache.toks),
                unresolved: if missing {
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
            }
        })
        .collect();
    let request_values = rec.values.map(|range| {
        let texts = entry.map_or(&[][..], |e| e.values.as_slice());
        texts
            .iter()
            .zip(range.of(&records.values))
            .map(|(value, v)| RequestValueTrace {
                value: value.clone(),
                matched: v
                    .matched
                    .of(&records.matched)
                    .iter()
                    .map(|&i| i as usize)
                    .collect(),
                valid: v.valid,
                result: v.result,
            })
            .collect()
    });
    let outcome = match rec.outcome {
        OutcomeRecord::Compared if !unresolved_keys.is_empty() => {
            // Values whose variable has no value matched nothing (a negated
            // operator is true of them): say which keys were missing.
            ConditionOutcome::UnresolvedVariable {
                keys: unresolved_keys,
            }
        }
        OutcomeRecord::Compared => ConditionOutcome::Compared,
        OutcomeRecord::KeyAbsent => ConditionOutcome::KeyAbsent,
        OutcomeRecord::KeyAbsentNegated => ConditionOutcome::KeyAbsentNegated,
        OutcomeRecord::KeyAbsentIfExists => ConditionOutcome::KeyAbsentIfExists,
        OutcomeRecord::ForAllValuesNoValues => ConditionOutcome::ForAllValuesNoValues,
        OutcomeRecord::ForAnyValueNoValues => ConditionOutcome::ForAnyValueNoValues,
        OutcomeRecord::NullCheck { present } => ConditionOutcome::NullCheck { present },
    };
    ConditionTrace {
        operator: c.operator_text.clone(),
        parsed: op,
        family: base.family(),
        negated: base.is_negated(),
        key: c.key.clone(),
        operator_span: c.operator_span,
        key_span: c.key_span,
        request_values,
        multivalued: entry.is_some_and(|e| e.multivalued),
        values,
        outcome,
        result: rec.result,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Each request value's (valid, verdict, matched policy values).
    type Verdicts = Vec<(bool, bool, Vec<u32>)>;

    fn verdicts(records: &Records, range: Range32) -> Verdicts {
        range
            .of(&records.values)
            .iter()
            .map(|v| (v.valid, v.result, v.matched.of(&records.matched).to_vec()))
            .collect()
    }

    /// The verdicts of [`judge_value`], value by value (the general path,
    /// which the decision path shares).
    fn judged(c: &Condition, ctx: &RequestContext) -> Option<Verdicts> {
        let (index, e) = ctx.lookup(&c.key_lower)?;
        let how = Judge::of(c);
        let mut cache = RequestCache::default();
        let mut toks = Vec::new();
        let vars = resolve_values(c, ctx, &mut toks, None);
        let parsed = cache
            .parsed
            .get(ctx, index, e, how.positive.family())
            .to_vec();
        let mut records = Records::default();
        record_values(
            c,
            how,
            vars.as_deref(),
            &toks,
            &e.values,
            &parsed,
            &mut records,
        );
        Some(verdicts(&records, Range32::new(0, records.values.len())))
    }

    /// The string and address loops of [`record`] give every request value
    /// the verdict [`judge_value`] gives it, and the condition the result of
    /// the decision path ([`holds`]).
    #[test]
    fn recording_loops_agree_with_judging_each_value() {
        let operators = [
            (r#""StringEquals""#, r#"["env", "team", "owner"]"#),
            (r#""StringNotEquals""#, r#"["env", "team"]"#),
            (r#""StringLike""#, r#"["blue*", "gr?en", "env"]"#),
            (r#""StringNotLike""#, r#"["blue*", "*-1"]"#),
            (r#""StringEqualsIfExists""#, r#"["env"]"#),
            (
                r#""ForAllValues:StringEquals""#,
                r#"["env", "team", "owner"]"#,
            ),
            (r#""ForAnyValue:StringLike""#, r#"["b*", "t?am"]"#),
            (r#""ForAllValues:StringNotLike""#, r#"["*e*"]"#),
            (r#""StringEquals""#, r#"["${aws:username}", "env"]"#),
            (r#""IpAddress""#, r#"["10.0.0.0/8", "192.168.0.0/16"]"#),
            (r#""NotIpAddress""#, r#"["10.0.0.0/8", "192.168.0.0/16"]"#),
            (r#""IpAddress""#, r#"["10.0.0.0/8", "not an address"]"#),
            (r#""NotIpAddress""#, r#"["10.0.0.0/8", "not an address"]"#),
            (
                r#""ForAnyValue:IpAddress""#,
                r#"["192.168.0.0/16", "10.1.0.0/16"]"#,
            ),
            (r#""ForAllValues:NotIpAddress""#, r#"["10.0.0.0/8"]"#),
        ];
        let contexts: [&[&str]; 9] = [
            &["env"],
            &["ENV"],
            &["blue-1"],
            &["green", "env", "team"],
            &["x"],
            &["10.1.2.3"],
            &["172.16.0.1"],
            &["not-an-ip"],
            &["10.1.1.1", "bad", "192.168.1.1"],
        ];
        let mut compared = 0;
        for (op, values) in operators {
            let text = format!(
                r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow",
                  "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {{{op}: {{"aws:RequestTag/k": {values}}}}}}}}}"#
            );
            let policy = crate::parse::policy::parse_policy(&text).policy.unwrap();
            let c = &policy.statements[0].conditions[0];
            for values in contexts {
                for multivalued in [false, true] {
                    let mut ctx = RequestContext::new();
                    ctx.insert_single("aws:username", "env");
                    ctx.insert(
                        "aws:RequestTag/K",
                        values.iter().map(|v| v.to_string()).collect(),
                        multivalued || values.len() > 1,
                    );
                    let mut records = Records::default();
                    let r = record(c, &ctx, &mut RequestCache::default(), &mut records);
                    let ctx_text = format!("{op} {values:?}");
                    assert_eq!(r.result, holds(c, &ctx).0, "{ctx_text}");
                    assert_eq!(
                        r.values.map(|range| verdicts(&records, range)),
                        judged(c, &ctx),
                        "{ctx_text}"
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 15 * 9 * 2);
    }
}
