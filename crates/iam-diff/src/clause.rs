//! A statement as the diff compares it, once its Action element is known to
//! cover an action: its effect, resources, conditions and (in a resource
//! policy) principals, normalised so that equal clauses compare equal
//! (sorted lists, canonical operator names, lower-cased keys), and compiled
//! for the containment proofs of [`within`].
//!
//! Containment is sound, not complete: `Holds` only with a proof, anything
//! else is a reason why it could not be proven.

use crate::automaton::{self, Bank, Search, Tok, STATE_BUDGET};
use iam_policy::pattern::{fold_case, Part, Template};
use iam_policy::values::{self, Number};
use iam_policy::{
    BaseOperator, Condition, Effect, Operator, OperatorFamily, Policy, PrincipalType, Statement,
};
use std::cmp::Ordering;

/// The canonical form of a clause: two clauses with equal keys grant or
/// deny exactly the same requests (for an action both cover).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClauseKey {
    pub effect: bool,
    pub resources: Resources,
    /// (operator, lower-cased key, sorted values).
    pub conditions: Vec<(String, String, Vec<String>)>,
    pub principals: Option<(bool, Vec<(String, String)>)>,
    /// Policy variables are substituted (only recorded when a text holds `${`).
    pub variables: bool,
}

/// A Resource/NotResource element, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resources {
    /// `"Resource": "*"` (among others), or no Resource element.
    All,
    /// Sorted, without duplicates.
    List { negated: bool, texts: Vec<String> },
}

/// One Resource entry, compiled.
#[derive(Debug, Clone)]
pub struct ResPattern {
    pub text: String,
    /// The engine's tokens with each variable read as `*` (every value a
    /// variable can take is within it).
    pub over: Vec<Tok>,
    pub has_vars: bool,
    /// The variables' keys, for filling them in an example.
    pub var_keys: Vec<String>,
    template: Template,
}

impl ResPattern {
    fn new(text: &str, variables: bool) -> ResPattern {
        let template = Template::parse_resource(text, variables);
        let over = resource_tokens(template.parts(), None);
        ResPattern {
            text: text.to_string(),
            has_vars: template.has_variables(),
            var_keys: template.variable_keys().map(str::to_string).collect(),
            over,
            template,
        }
    }

    /// The tokens with every variable replaced by `value` (literal text).
    pub fn with_value(&self, value: &str) -> Vec<Tok> {
        resource_tokens(self.template.parts(), Some(value))
    }
}

/// The engine's reading of a Resource entry (`iam_policy::ArnPattern::resource`):
/// in the first five ARN fields a `*` that ends its field may run across
/// colons, other wildcards stay in their field; a short ARN is padded with
/// `:*`. The property test in `tests/engine_agreement.rs` checks it against
/// the engine's matcher.
pub fn resource_tokens(parts: &[Part], var_value: Option<&str>) -> Vec<Tok> {
    let mut raw: Vec<Tok> = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Part::Toks(ts) => raw.extend(ts.iter().map(|t| Tok::from_engine(*t))),
            Part::Var { .. } => match var_value {
                Some(v) => raw.extend(v.chars().map(Tok::Lit)),
                None => raw.push(Tok::Star { seg: false }),
            },
        }
    }
    let arn =
        raw.get(..4) == Some(&[Tok::Lit('a'), Tok::Lit('r'), Tok::Lit('n'), Tok::Lit(':')][..]);
    if !arn {
        return raw;
    }
    let mut out = Vec::with_capacity(raw.len() + 4);
    let mut colons = 0usize;
    for (i, t) in raw.iter().enumerate() {
        let in_prefix = colons < 5;
        out.push(match *t {
            Tok::Lit(':') => {
                colons += 1;
                Tok::Lit(':')
            }
            Tok::Star { .. } if in_prefix => {
                let last = matches!(raw.get(i + 1), None | Some(Tok::Lit(':')));
                Tok::Star { seg: !last }
            }
            Tok::One { .. } if in_prefix => Tok::One { seg: true },
            other => other,
        });
    }
    for _ in colons..5 {
        out.push(Tok::Lit(':'));
        out.push(Tok::Star { seg: false });
    }
    out
}

/// One condition value, parsed for its operator's family.
#[derive(Debug, Clone)]
pub struct CondValue {
    pub text: String,
    pub has_vars: bool,
    /// Wildcard tokens (StringLike), without variables.
    toks: Option<Vec<Tok>>,
    /// Not a value of the operator's type: it matches nothing.
    pub invalid: bool,
    number: Option<Number>,
    date: Option<i128>,
    pub cidr: Option<ipnet::IpNet>,
    bytes: Option<Vec<u8>>,
}

/// One condition (operator, key, values), compiled.
#[derive(Debug, Clone)]
pub struct Cond<'p> {
    pub ast: &'p Condition,
    pub op: Operator,
    pub key_lower: String,
    pub values: Vec<CondValue>,
}

impl Cond<'_> {
    /// `IpAddress aws:SourceIp 10.0.0.0/8`, for sentences.
    pub fn describe(&self) -> String {
        let vals: Vec<&str> = self.values.iter().map(|v| v.text.as_str()).collect();
        let vals = if vals.len() == 1 {
            vals.concat()
        } else {
            format!("[{}]", vals.join(", "))
        };
        format!("{} {} {}", self.op.canonical_name(), self.ast.key, vals)
    }
}

/// Principals of a resource-policy statement.
#[derive(Debug, Clone)]
pub struct Principals {
    pub negated: bool,
    pub entries: Vec<(PrincipalType, String)>,
    /// `"*"` or `{"AWS": "*"}`: every caller.
    pub everyone: bool,
}

/// A statement as the diff compares it.
#[derive(Debug, Clone)]
pub struct Clause<'p> {
    pub statement: &'p Statement,
    pub effect: Effect,
    pub key: ClauseKey,
    pub resources: Vec<ResPattern>,
    pub negated_resources: bool,
    pub all_resources: bool,
    pub conditions: Vec<Cond<'p>>,
    pub principals: Option<Principals>,
}

impl<'p> Clause<'p> {
    /// `None` for a statement without an effect (AWS would reject it).
    pub fn new(st: &'p Statement, policy: &Policy, with_principal: bool) -> Option<Clause<'p>> {
        let effect = st.effect.as_ref()?.value;
        let vars = policy.variables_enabled();
        let mut uses_vars = false;
        let (resources, negated, all) = match &st.resource {
            None => (Vec::new(), false, true),
            Some(r) => {
                let pats: Vec<ResPattern> = r
                    .patterns
                    .iter()
                    .map(|p| ResPattern::new(&p.text, vars))
                    .collect();
                uses_vars |= r.patterns.iter().any(|p| p.text.contains("${"));
                let all = !r.negated && r.patterns.iter().any(|p| p.text == "*");
                (pats, r.negated, all)
            }
        };
        let res_key = if all {
            Resources::All
        } else {
            let mut texts: Vec<String> = resources.iter().map(|p| p.text.clone()).collect();
            texts.sort();
            texts.dedup();
            Resources::List { negated, texts }
        };
        let conditions: Vec<Cond<'p>> = st
            .conditions
            .iter()
            .map(|c| compile_cond(c, vars))
            .collect();
        uses_vars |= st
            .conditions
            .iter()
            .any(|c| c.values.iter().any(|v| v.text.contains("${")));
        let mut cond_key: Vec<(String, String, Vec<String>)> = conditions
            .iter()
            .map(|c| {
                let mut vals: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| canonical_value(c.op, &v.text))
                    .collect();
                vals.sort();
                vals.dedup();
                (c.op.canonical_name(), c.key_lower.clone(), vals)
            })
            .collect();
        cond_key.sort();
        cond_key.dedup();
        let principals = if with_principal {
            st.principal.as_ref().map(|p| {
                let mut entries: Vec<(PrincipalType, String)> = p
                    .entries
                    .iter()
                    .map(|e| (e.kind, e.text.to_string()))
                    .collect();
                entries.sort_by(|a, b| (type_name(a.0), &a.1).cmp(&(type_name(b.0), &b.1)));
                entries.dedup();
                let everyone = entries.iter().any(|(k, t)| {
                    *k == PrincipalType::Everyone || (*k == PrincipalType::Aws && t == "*")
                });
                Principals {
                    negated: p.negated,
                    entries,
                    everyone,
                }
            })
        } else {
            None
        };
        let principal_key = principals.as_ref().map(|p| {
            (
                p.negated,
                p.entries
                    .iter()
                    .map(|(k, t)| (type_name(*k).to_string(), t.clone()))
                    .collect(),
            )
        });
        Some(Clause {
            statement: st,
            effect,
            key: ClauseKey {
                effect: effect == Effect::Allow,
                resources: res_key,
                conditions: cond_key,
                principals: principal_key,
                variables: vars && uses_vars,
            },
            resources,
            negated_resources: negated,
            all_resources: all,
            conditions,
            principals,
        })
    }

    /// A Deny that applies to every request for the actions it covers: no
    /// condition, every resource, every caller.
    pub fn is_total(&self) -> bool {
        self.conditions.is_empty()
            && self.all_resources
            && self
                .principals
                .as_ref()
                .is_none_or(|p| !p.negated && p.everyone)
    }

    /// The positive Resource patterns without variables (what an example
    /// should avoid to escape this clause).
    pub fn avoidable_patterns(&self) -> Vec<Vec<Tok>> {
        if self.negated_resources || self.all_resources {
            return Vec::new();
        }
        self.resources
            .iter()
            .filter(|p| !p.has_vars)
            .map(|p| p.over.clone())
            .collect()
    }

    /// The resources, for sentences: `*`, `arn:…`, `[a, b]`, `NotResource [a]`.
    pub fn describe_resources(&self) -> String {
        match &self.key.resources {
            Resources::All => "*".to_string(),
            Resources::List { negated, texts } => {
                let list = if texts.len() == 1 {
                    texts.concat()
                } else {
                    format!("[{}]", texts.join(", "))
                };
                if *negated {
                    format!("every resource except {list}")
                } else {
                    list
                }
            }
        }
    }
}

fn type_name(t: PrincipalType) -> &'static str {
    match t {
        PrincipalType::Everyone => "*",
        PrincipalType::Aws => "AWS",
        PrincipalType::Service => "Service",
        PrincipalType::Federated => "Federated",
        PrincipalType::CanonicalUser => "CanonicalUser",
    }
}

fn canonical_value(op: Operator, text: &str) -> String {
    match op.base.family() {
        OperatorFamily::Bool | OperatorFamily::Null => text.trim().to_ascii_lowercase(),
        _ => text.to_string(),
    }
}

fn compile_cond(c: &Condition, vars: bool) -> Cond<'_> {
    let base = c.operator.base;
    let family = base.family();
    let vars_here = vars && base.takes_variables();
    let wild = base.takes_wildcards();
    let values = c
        .values
        .iter()
        .map(|v| {
            let template = Template::parse(&v.text, vars_here, wild);
            let has_vars = template.has_variables();
            let toks = template
                .fixed()
                .map(|g| g.toks().iter().map(|t| Tok::from_engine(*t)).collect());
            let number = values::parse_number(&v.text);
            let date = values::parse_date(&v.text);
            let cidr = values::parse_cidr(&v.text);
            let bytes = values::decode_base64(&v.text);
            let invalid = match family {
                OperatorFamily::Numeric => number.is_none(),
                OperatorFamily::Date => date.is_none(),
                OperatorFamily::Bool | OperatorFamily::Null => {
                    values::parse_bool(&v.text).is_none()
                }
                OperatorFamily::IpAddress => cidr.is_none(),
                OperatorFamily::Binary => bytes.is_none(),
                OperatorFamily::String | OperatorFamily::Arn => false,
            };
            CondValue {
                text: v.text.to_string(),
                has_vars,
                toks,
                invalid,
                number,
                date,
                cidr,
                bytes,
            }
        })
        .collect();
    Cond {
        ast: c,
        op: c.operator,
        key_lower: fold_case(&c.key),
        values,
    }
}

/// Why a containment could not be proven.
pub type Unproven = String;

/// `StringLike` values longer than this together are compared as text only.
pub const MAX_LIKE_TOKENS: usize = 200;

/// Conditions with more value pairs than this are compared value by value
/// as text only.
pub const MAX_VALUE_PAIRS: usize = 4_096;

/// Is every request value that matches policy value `x` also matched by
/// `y`, under the positive operator `base`?
fn value_within(base: BaseOperator, x: &CondValue, y: &CondValue) -> bool {
    if x.text == y.text && x.has_vars == y.has_vars {
        return true;
    }
    if x.has_vars || y.has_vars || y.invalid {
        return false;
    }
    use BaseOperator as B;
    match base {
        B::StringEqualsIgnoreCase => fold_case(&x.text) == fold_case(&y.text),
        B::StringLike
            if x.toks.as_ref().map_or(0, Vec::len) + y.toks.as_ref().map_or(0, Vec::len)
                > MAX_LIKE_TOKENS =>
        {
            false
        }
        B::StringLike => match (&x.toks, &y.toks) {
            (Some(a), Some(b)) => {
                automaton::escape(
                    &Bank::new([a.as_slice()]),
                    &Bank::new([b.as_slice()]),
                    STATE_BUDGET,
                ) == Search::None
            }
            _ => false,
        },
        B::NumericEquals
        | B::NumericLessThan
        | B::NumericLessThanEquals
        | B::NumericGreaterThan
        | B::NumericGreaterThanEquals => match (x.number, y.number) {
            (Some(a), Some(b)) => order_within(base, values::compare_numbers(a, b)),
            _ => false,
        },
        B::DateEquals
        | B::DateLessThan
        | B::DateLessThanEquals
        | B::DateGreaterThan
        | B::DateGreaterThanEquals => match (x.date, y.date) {
            (Some(a), Some(b)) => order_within(base, Some(a.cmp(&b))),
            _ => false,
        },
        B::IpAddress => match (x.cidr, y.cidr) {
            (Some(a), Some(b)) => b.contains(&a),
            _ => false,
        },
        B::BinaryEquals => x.bytes.is_some() && x.bytes == y.bytes,
        B::Bool => x.text.trim().eq_ignore_ascii_case(y.text.trim()),
        _ => false,
    }
}

/// For an ordering operator, is `op x` within `op y` given `x` vs `y`?
fn order_within(base: BaseOperator, ord: Option<Ordering>) -> bool {
    use BaseOperator as B;
    let Some(o) = ord else { return false };
    match base {
        B::NumericEquals | B::DateEquals => o == Ordering::Equal,
        B::NumericLessThan | B::NumericLessThanEquals | B::DateLessThan | B::DateLessThanEquals => {
            o != Ordering::Greater
        }
        _ => o != Ordering::Less,
    }
}

/// Does condition `a` imply condition `b` (every request `a` is true of, `b`
/// is true of)? Only for the same key and operator.
fn cond_implies(a: &Cond<'_>, b: &Cond<'_>) -> bool {
    if a.key_lower != b.key_lower || a.op != b.op {
        return false;
    }
    let base = a.op.base;
    if base == BaseOperator::Null {
        let set = |c: &Cond<'_>| {
            let mut v: Vec<String> = c
                .values
                .iter()
                .map(|v| v.text.trim().to_ascii_lowercase())
                .collect();
            v.sort();
            v.dedup();
            v
        };
        return set(a) == set(b);
    }
    let positive = base.positive();
    if a.values.len().saturating_mul(b.values.len()) > MAX_VALUE_PAIRS {
        // too many to compare pairwise: the same values, or no proof
        fn texts<'a>(c: &'a Cond<'_>) -> Vec<&'a str> {
            let mut v: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
            v.sort_unstable();
            v.dedup();
            v
        }
        return texts(a) == texts(b);
    }
    if base.is_negated() {
        // "matches none of b's values" follows from "none of a's" when a
        // excludes at least what b excludes; a value of the wrong type makes
        // the negation false, so b may hold one only if a does too
        b.values.iter().all(|vb| {
            if vb.invalid {
                a.values.iter().any(|va| va.invalid)
            } else {
                a.values.iter().any(|va| value_within(positive, vb, va))
            }
        })
    } else {
        a.values
            .iter()
            .all(|va| va.invalid || b.values.iter().any(|vb| value_within(positive, va, vb)))
    }
}

/// Do conditions `a` (all true) imply conditions `b` (all true)?
pub fn conditions_imply(a: &[Cond<'_>], b: &[Cond<'_>]) -> Result<(), Unproven> {
    for cb in b {
        if !a.iter().any(|ca| cond_implies(ca, cb)) {
            return Err(format!(
                "the condition {} does not follow from {}",
                cb.describe(),
                describe_conditions(a)
            ));
        }
    }
    Ok(())
}

pub fn describe_conditions(cs: &[Cond<'_>]) -> String {
    if cs.is_empty() {
        return "no condition".to_string();
    }
    let parts: Vec<String> = cs.iter().map(Cond::describe).collect();
    parts.join(" and ")
}

/// Is every caller `a` names also named by `b`?
fn principals_within(a: Option<&Principals>, b: Option<&Principals>) -> Result<(), Unproven> {
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(());
    };
    if a.negated == b.negated && a.entries == b.entries {
        return Ok(());
    }
    if a.negated || b.negated {
        return Err("NotPrincipal elements are compared only when they are equal".to_string());
    }
    if b.everyone {
        return Ok(());
    }
    // an account ID grants what its root ARN grants, or less (the root ARN
    // names the root user itself; the ID delegates for every caller)
    let covered = |e: &(PrincipalType, String)| {
        b.entries.contains(e)
            || (e.0 == PrincipalType::Aws
                && iam_policy::is_account_id(&e.1)
                && b.entries.iter().any(|(k, t)| {
                    *k == PrincipalType::Aws
                        && iam_policy::Arn::parse(t).is_some_and(|a| {
                            a.service == "iam" && a.resource == "root" && a.account == e.1
                        })
                }))
    };
    match a.entries.iter().find(|e| !covered(e)) {
        None => Ok(()),
        Some((_, t)) => Err(format!(
            "the principal {t} is not named by the other statement"
        )),
    }
}

/// Is every resource of clause `c` within the union of the others'?
fn resources_within(c: &Clause<'_>, others: &[&Clause<'_>]) -> Result<(), Unproven> {
    if others.iter().any(|o| o.all_resources) {
        return Ok(());
    }
    if c.all_resources {
        return Err("every resource (\"*\") against specific resources".to_string());
    }
    if c.negated_resources {
        // every resource except N, within every resource except N': N' ⊆ N
        for o in others.iter().filter(|o| o.negated_resources) {
            if o.resources.iter().any(|p| p.has_vars) || c.resources.iter().any(|p| p.has_vars) {
                if o.key.resources == c.key.resources && o.key.variables == c.key.variables {
                    return Ok(());
                }
                continue;
            }
            let n: Vec<&[Tok]> = c.resources.iter().map(|p| p.over.as_slice()).collect();
            let n2: Vec<&[Tok]> = o.resources.iter().map(|p| p.over.as_slice()).collect();
            if automaton::escape(&Bank::new(n2), &Bank::new(n), STATE_BUDGET) == Search::None {
                return Ok(());
            }
        }
        return Err(format!(
            "NotResource {} is compared only with NotResource lists it excludes more than",
            c.describe_resources()
        ));
    }
    // text-equal entries cover each other whatever their variables
    let remaining: Vec<&ResPattern> = c
        .resources
        .iter()
        .filter(|p| {
            !others.iter().any(|o| {
                !o.negated_resources
                    && o.key.variables == c.key.variables
                    && o.resources.iter().any(|q| q.text == p.text)
            })
        })
        .collect();
    if remaining.is_empty() {
        return Ok(());
    }
    let p_bank = Bank::new(remaining.iter().map(|p| p.over.as_slice()));
    // one NotResource clause that excludes none of them covers them all
    for o in others.iter().filter(|o| o.negated_resources) {
        if o.resources.iter().any(|q| q.has_vars) {
            continue;
        }
        let n = Bank::new(o.resources.iter().map(|q| q.over.as_slice()));
        if automaton::common(&p_bank, &n, STATE_BUDGET) == Search::None {
            return Ok(());
        }
    }
    let q: Vec<&[Tok]> = others
        .iter()
        .filter(|o| !o.negated_resources)
        .flat_map(|o| o.resources.iter())
        .filter(|q| !q.has_vars)
        .map(|q| q.over.as_slice())
        .collect();
    let texts: Vec<&str> = remaining.iter().map(|p| p.text.as_str()).collect();
    match automaton::escape(&p_bank, &Bank::new(q), STATE_BUDGET) {
        Search::None => Ok(()),
        Search::Found(w) => Err(format!(
            "{} also matches {w}, which the other version's statements do not cover",
            texts.join(", ")
        )),
        Search::TooComplex => Err(format!(
            "not checked (too complex): comparing {} exceeded the budget of {STATE_BUDGET} automaton states",
            texts.join(", ")
        )),
    }
}

/// Is every request clause `c` applies to also covered by one of `others`
/// (same effect)? Sound: `Ok` only with a proof.
pub fn within(c: &Clause<'_>, others: &[&Clause<'_>]) -> Result<(), Unproven> {
    if others.iter().any(|o| o.key == c.key) {
        return Ok(());
    }
    let mut why: Option<Unproven> = None;
    let fitting: Vec<&Clause<'_>> = others
        .iter()
        .copied()
        .filter(|o| {
            let r = principals_within(c.principals.as_ref(), o.principals.as_ref())
                .and_then(|()| conditions_imply(&c.conditions, &o.conditions));
            match r {
                Ok(()) => true,
                Err(e) => {
                    why.get_or_insert(e);
                    false
                }
            }
        })
        .collect();
    if fitting.is_empty() {
        return Err(
            why.unwrap_or_else(|| "no statement of the other version covers it".to_string())
        );
    }
    resources_within(c, &fitting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_policy::parse_policy;

    fn clauses(policy: &str) -> (Policy, usize) {
        let p = parse_policy(policy);
        assert!(!p.has_errors(), "{:?}", p.diagnostics);
        let policy = p.policy.unwrap();
        let n = policy.statements.len();
        (policy, n)
    }

    fn pair(a: &str, b: &str) -> (Result<(), Unproven>, Result<(), Unproven>) {
        let wrap = |s: &str| format!(r#"{{"Version":"2012-10-17","Statement":[{s}]}}"#);
        let (pa, _) = clauses(&wrap(a));
        let (pb, _) = clauses(&wrap(b));
        let ca = Clause::new(&pa.statements[0], &pa, false).unwrap();
        let cb = Clause::new(&pb.statements[0], &pb, false).unwrap();
        (within(&ca, &[&cb]), within(&cb, &[&ca]))
    }

    #[test]
    fn equal_after_normalisation() {
        let (ab, ba) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::a"],"Condition":{"Bool":{"aws:SecureTransport":"TRUE"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:Get*","Resource":["arn:aws:s3:::a","arn:aws:s3:::b"],"Condition":{"Bool":{"AWS:securetransport":"true"}}}"#,
        );
        assert!(ab.is_ok() && ba.is_ok(), "{ab:?} {ba:?}");
    }

    #[test]
    fn resource_widening_is_one_way() {
        let (narrow_in_wide, wide_in_narrow) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/logs/*"}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#,
        );
        assert!(narrow_in_wide.is_ok());
        let why = wide_in_narrow.unwrap_err();
        assert!(why.contains("arn:aws:s3:::b/*"), "{why}");
    }

    #[test]
    fn cidr_and_numeric_containment() {
        let (a, b) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/24"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/16","192.0.2.0/24"]}}}"#,
        );
        assert!(a.is_ok() && b.is_err());
        let (a, b) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"20"}}}"#,
        );
        assert!(a.is_ok() && b.is_err());
        // negated operators turn around: excluding more is narrower
        let (a, b) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/16"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/24"}}}"#,
        );
        assert!(a.is_ok() && b.is_err());
    }

    #[test]
    fn different_operators_are_never_claimed_equal() {
        let (a, b) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:PrincipalTag/team":"a"}}}"#,
        );
        assert!(a.is_err() && b.is_err());
    }

    #[test]
    fn a_condition_added_narrows() {
        let (with_in_without, without_in_with) = pair(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#,
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#,
        );
        assert!(with_in_without.is_ok());
        assert!(without_in_with.is_err());
    }

    #[test]
    fn an_account_id_is_within_its_root_arn_not_the_reverse() {
        let wrap = |p: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{p}"}},"Action":"s3:*","Resource":"*"}}]}}"#
            )
        };
        let parse = |t: &str| {
            let p = iam_policy::parse_policy_as(t, iam_policy::PolicyKind::Resource);
            assert!(!p.has_errors(), "{:?}", p.diagnostics);
            p.policy.unwrap()
        };
        let (id, root) = (
            parse(&wrap("111122223333")),
            parse(&wrap("arn:aws:iam::111122223333:root")),
        );
        let a = Clause::new(&id.statements[0], &id, true).unwrap();
        let b = Clause::new(&root.statements[0], &root, true).unwrap();
        assert!(within(&a, &[&b]).is_ok());
        assert!(
            within(&b, &[&a]).is_err(),
            "the root ARN also names the root user directly"
        );
    }

    #[test]
    fn resource_tokens_follow_the_engine() {
        let t = Template::parse_resource("arn:aws:s3:::b/*", true);
        let toks = resource_tokens(t.parts(), None);
        assert_eq!(toks.last(), Some(&Tok::Star { seg: false }));
        // a short ARN is padded
        let t = Template::parse_resource("arn:aws:sns:us-east-1", true);
        let toks = resource_tokens(t.parts(), None);
        let b = Bank::new([toks.as_slice()]);
        assert!(b.matches("arn:aws:sns:us-east-1:1:topic"));
    }
}
