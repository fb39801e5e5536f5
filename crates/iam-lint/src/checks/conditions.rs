//! Checks of the Condition element and of policy variables: unknown keys,
//! keys the actions do not support, operators that do not fit the key,
//! set operators, values (wildcards without Like, booleans, private IPs),
//! combinations of conditions, variables.

use super::{is_allow, short_list, Draft, Linter, StmtActions};
use crate::engine::{BaseOperator, OperatorFamily, SetOperator};
use crate::engine::{Condition, PolicyVersion};
use crate::engine::{Effect, Span, Statement};
use crate::text::sub_span;
use crate::{Category, FindingCode as F};
use iam_catalog::KeyType;
use std::collections::HashSet;

/// Above this many actions a statement is treated as "broad": per-action
/// condition-key lookups are skipped (they would cost milliseconds).
const MAX_ACTIONS_FOR_KEYS: usize = 256;

/// Keys that tell a request made by an AWS service on the caller's behalf.
const SERVICE_CALL_KEYS: [&str; 5] = [
    "aws:viaawsservice",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:principalisawsservice",
];

fn is_tag_key(lower: &str) -> bool {
    lower.starts_with("aws:resourcetag/")
        || lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
}

/// An IP range entirely inside RFC 1918 (or IPv6 unique local) space.
pub(super) fn is_private_range(v: &str) -> bool {
    let t = v.trim();
    let (addr, prefix) = match t.split_once('/') {
        Some((a, p)) => match p.parse::<u8>() {
            Ok(p) => (a, Some(p)),
            Err(_) => return false,
        },
        None => (t, None),
    };
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            let p = prefix.unwrap_or(32);
            let [a, b, ..] = ip.octets();
            (a == 10 && p >= 8)
                || (a == 172 && (16..=31).contains(&b) && p >= 12)
                || (a == 192 && b == 168 && p >= 16)
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            let p = prefix.unwrap_or(128);
            let [first, ..] = ip.segments();
            first & 0xfe00 == 0xfc00 && p >= 7
        }
        Err(_) => false,
    }
}

/// Does an operator of this family fit a key whose (element) type is `t`?
fn type_fits(family: OperatorFamily, t: KeyType, lower_key: &str) -> bool {
    match family {
        OperatorFamily::String => matches!(t, KeyType::String | KeyType::Arn),
        OperatorFamily::Numeric => {
            t == KeyType::Numeric || (t == KeyType::Date && lower_key == "aws:epochtime")
        }
        OperatorFamily::Date => t == KeyType::Date,
        OperatorFamily::Bool => t == KeyType::Bool,
        OperatorFamily::Binary => t == KeyType::Binary,
        OperatorFamily::IpAddress => t == KeyType::IpAddress,
        OperatorFamily::Arn => t == KeyType::Arn,
        OperatorFamily::Null => true,
    }
}

fn operators_for(t: KeyType) -> &'static str {
    match t.element_type() {
        KeyType::Arn => "ArnEquals or ArnLike (String operators also work on ARN keys)",
        KeyType::Numeric => "a Numeric operator such as NumericEquals or NumericLessThan",
        KeyType::Date => "a Date operator such as DateGreaterThan or DateLessThan",
        KeyType::Bool => "Bool",
        KeyType::IpAddress => "IpAddress or NotIpAddress",
        KeyType::Binary => "BinaryEquals",
        _ => "a String operator such as StringEquals or StringLike",
    }
}

fn family_text(f: OperatorFamily) -> &'static str {
    match f {
        OperatorFamily::String => "text",
        OperatorFamily::Numeric => "numbers",
        OperatorFamily::Date => "dates",
        OperatorFamily::Bool => "booleans",
        OperatorFamily::Binary => "binary values",
        OperatorFamily::IpAddress => "IP addresses",
        OperatorFamily::Arn => "ARNs",
        OperatorFamily::Null => "presence",
    }
}

/// The `${...}` variables of `s`, in one pass: (first character, number of
/// characters, inner text). Stops at an unclosed `${`.
fn variables_in(s: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    // Character index of byte `from`, advanced as `from` moves on.
    let mut chars_before = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find("${")).map(|i| i + from) {
        let Some(close) = s.get(i + 2..).and_then(|r| r.find('}')) else {
            break;
        };
        let end = i + 2 + close + 1;
        let start_char = chars_before + s.get(from..i).map_or(0, |t| t.chars().count());
        let inner = s.get(i + 2..i + 2 + close).unwrap_or_default();
        let len = inner.chars().count() + 3;
        out.push((start_char, len, inner));
        chars_before = start_char + len;
        from = end;
    }
    out
}

impl<'c> Linter<'c, '_> {
    /// Every condition of a statement, their combinations, and its variables.
    pub(super) fn conditions(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) {
        // Keys with `"Null": {key: "false"}`, for for-all-values-with-allow.
        let null_false: HashSet<String> = st
            .conditions
            .iter()
            .filter(|c| {
                c.operator.base == BaseOperator::Null
                    && c.values
                        .iter()
                        .any(|v| v.text.eq_ignore_ascii_case("false"))
            })
            .map(|c| c.key.to_ascii_lowercase())
            .collect();
        for c in &st.conditions {
            self.condition(st, c, info, &null_false);
        }
        self.condition_combinations(st);
        self.variables(st);
    }

    fn condition(
        &mut self,
        st: &Statement,
        c: &Condition,
        info: Option<&StmtActions<'c>>,
        null_false: &HashSet<String>,
    ) {
        let op = c.operator;
        let base = op.base;
        let family = base.family();
        let lower = c.key.to_ascii_lowercase();
        let allow = is_allow(st);

        // Checks that need no catalog.
        if op.if_exists && base.is_negated() {
            let set = op.set.map_or("", |s| match s {
                SetOperator::ForAllValues => "ForAllValues:",
                SetOperator::ForAnyValue => "ForAnyValue:",
            });
            self.emit(
                Draft::new(
                    F::RedundantIfExists,
                    c.operator_span,
                    format!(
                        "{} is already true when {} is absent from the request, so IfExists changes nothing",
                        base.name(),
                        c.key
                    ),
                )
                .of(st)
                .hint(format!("write {set}{}", base.name())),
            );
        }
        if matches!(
            base,
            BaseOperator::StringEquals
                | BaseOperator::StringNotEquals
                | BaseOperator::StringEqualsIgnoreCase
                | BaseOperator::StringNotEqualsIgnoreCase
        ) {
            for v in &c.values {
                if v.text.replace("${*}", "").contains('*') {
                    let like = if base.is_negated() {
                        "StringNotLike"
                    } else {
                        "StringLike"
                    };
                    self.emit(
                        Draft::new(
                            F::WildcardWithoutLikeOperator,
                            v.span,
                            format!(
                                "{} compares \"{}\" literally: the * is not a wildcard here",
                                base.name(),
                                v.text
                            ),
                        )
                        .of(st)
                        .hint(format!(
                            "use {like} for wildcard matching, or ${{*}} for a literal asterisk"
                        ))
                        .related(c.operator_span),
                    );
                }
            }
        }
        if matches!(family, OperatorFamily::Bool | OperatorFamily::Null) {
            let vals: HashSet<bool> = c
                .values
                .iter()
                .filter_map(|v| crate::engine::parse_bool(&v.text))
                .collect();
            if vals.len() == 2 {
                self.emit(
                    Draft::new(
                        F::MultipleBoolValues,
                        c.key_span,
                        format!("{} on {} lists both true and false, so the condition does not restrict anything", base.name(), c.key),
                    )
                    .of(st)
                    .hint("keep one value"),
                );
            }
        }
        if lower == "aws:sourceip" && family == OperatorFamily::IpAddress {
            for v in &c.values {
                if is_private_range(&v.text) {
                    self.emit(
                        Draft::new(
                            F::PrivateIpInSourceIp,
                            v.span,
                            format!("\"{}\" is a private range, but aws:SourceIp only ever holds public addresses", v.text),
                        )
                        .of(st)
                        .hint("for requests through a VPC endpoint use aws:VpcSourceIp (with aws:SourceVpc or aws:SourceVpce); keep public ranges in aws:SourceIp"),
                    );
                }
            }
        }

        // The key itself.
        let prefix = lower.split_once(':').map_or(lower.as_str(), |(p, _)| p);
        let Some(key) = self.cat.condition_key(&c.key) else {
            if prefix.contains('.') || !c.key.contains(':') {
                // an OIDC provider's claim (token.actions.githubusercontent.com:sub): not in the catalog
                return;
            }
            if prefix == "aws" {
                self.unknown_global_key(st, c);
            } else {
                self.unknown_service_key(st, c, prefix);
            }
            return;
        };
        let ktype = key.key_type;
        let global = matches!(key.source, iam_catalog::KeySource::Global);

        // Does the key apply to the statement's actions?
        if let Some(actions) = info.and_then(|i| i.known(MAX_ACTIONS_FOR_KEYS)) {
            if is_tag_key(&lower) {
                let supported = actions.iter().any(|a| {
                    a.key_info(&c.key)
                        .is_some_and(|k| !matches!(k.source, iam_catalog::KeySource::Global))
                });
                if !supported {
                    let (category, effect) = if allow {
                        (
                            Category::Warning,
                            "this Allow never matches a request it should",
                        )
                    } else {
                        (Category::SecurityWarning, "this Deny may never apply")
                    };
                    self.emit(
                        Draft::new(
                            F::UnsupportedTagKey,
                            c.key_span,
                            format!(
                                "none of the statement's actions ({}) supports {} in its request context, so {effect}",
                                short_list(actions),
                                key.name
                            ),
                        )
                        .category(category)
                        .of(st)
                        .hint("use the tag keys the actions support (their resource types' condition keys), or move these actions to a statement without the tag condition"),
                    );
                }
            } else if !global && !actions.iter().any(|a| a.key_info(&c.key).is_some()) {
                self.emit(
                    Draft::new(
                        F::KeyNotForActions,
                        c.key_span,
                        format!(
                            "{} is not a condition key of any of the statement's actions ({}), so it is never in their requests",
                            key.name,
                            short_list(actions)
                        ),
                    )
                    .of(st)
                    .hint("use a key listed for these actions in the Service Authorization Reference, or move the condition to the statement whose actions support it"),
                );
            }
        }

        // Operator against the key's type.
        let elem = ktype.element_type();
        if !type_fits(family, elem, &lower) {
            let extra = match (family, elem) {
                (OperatorFamily::String, KeyType::IpAddress) => {
                    ": a CIDR range such as 203.0.113.0/24 never equals an address"
                }
                (OperatorFamily::String, _) => {
                    ": values are compared as text, not by their meaning"
                }
                _ => ", so the comparison fails",
            };
            self.emit(
                Draft::new(
                    F::OperatorTypeMismatch,
                    c.key_span,
                    format!(
                        "{} compares {}, but {} is of type {}{extra}",
                        base.name(),
                        family_text(family),
                        c.key,
                        ktype
                    ),
                )
                .of(st)
                .hint(format!("use {}", operators_for(ktype)))
                .related(c.operator_span),
            );
        }
        if family == OperatorFamily::Null {
            return;
        }
        let if_exists = if op.if_exists { "IfExists" } else { "" };
        let draft = if ktype.is_multivalued() {
            match op.set {
                None => Some(
                    Draft::new(
                        F::MissingSetOperator,
                        c.key_span,
                        format!("{} is multivalued ({ktype}), but {} compares a single value", c.key, c.operator_text),
                    )
                    .hint(format!(
                        "write ForAnyValue:{} (some value of the request matches) or ForAllValues:{} (every value matches)",
                        base.name(),
                        base.name()
                    )),
                ),
                Some(SetOperator::ForAllValues) if allow && !null_false.contains(&lower) => Some(
                    Draft::new(
                        F::ForAllValuesWithAllow,
                        c.key_span,
                        format!(
                            "ForAllValues is also true when the request has no {} at all, so this Allow matches requests without the key",
                            c.key
                        ),
                    )
                    .hint(format!("add \"Null\": {{\"{}\": \"false\"}} to the statement's conditions", c.key)),
                ),
                _ => None,
            }
        } else {
            match op.set {
                Some(SetOperator::ForAllValues) => Some(
                    Draft::new(
                        F::ForAllValuesSingleValuedKey,
                        c.key_span,
                        format!(
                            "{} is single-valued; ForAllValues is true when the key is absent, which can make the condition overly permissive",
                            c.key
                        ),
                    )
                    .hint(format!("write {}{if_exists}", base.name())),
                ),
                Some(SetOperator::ForAnyValue) => Some(
                    Draft::new(
                        F::ForAnyValueSingleValuedKey,
                        c.key_span,
                        format!("{} is single-valued; set operators are meant for multivalued keys", c.key),
                    )
                    .hint(format!("write {}{if_exists}", base.name())),
                ),
                None => None,
            }
        };
        if let Some(d) = draft {
            self.emit(d.of(st).related(c.operator_span));
        }
    }

    fn unknown_global_key(&mut self, st: &Statement, c: &Condition) {
        let (head, tail) = match c.key.split_once('/') {
            Some((h, t)) => (h, Some(t)),
            None => (c.key.as_str(), None),
        };
        let suggestion = self.suggest(
            head,
            self.cat
                .global_keys()
                .filter(|g| g.name.starts_with("aws:"))
                .map(|g| g.name.split('/').next().unwrap_or(g.name)),
        );
        let hint = match suggestion {
            Some(g) => match tail {
                Some(t) => format!("did you mean \"{g}/{t}\"?"),
                None => format!("did you mean \"{g}\"?"),
            },
            None => "see the list of AWS global condition context keys".into(),
        };
        self.emit(
            Draft::new(
                F::UnknownGlobalKey,
                c.key_span,
                format!(
                    "\"{}\" is not an AWS global condition key, so it is never in a request",
                    c.key
                ),
            )
            .of(st)
            .hint(hint),
        );
    }

    fn unknown_service_key(&mut self, st: &Statement, c: &Condition, prefix: &str) {
        let (message, hint) = match self.cat.service(prefix) {
            Some(svc) => {
                let names: Vec<&str> = svc.condition_keys().map(|k| k.name).collect();
                let hint = match self.suggest(&c.key, names.iter().copied()) {
                    Some(k) => format!("did you mean \"{k}\"?"),
                    None => format!(
                        "{} defines {} condition keys; check the spelling",
                        svc.prefix(),
                        names.len()
                    ),
                };
                (
                    format!(
                        "{} ({}) has no condition key \"{}\"",
                        svc.name(),
                        svc.prefix(),
                        c.key
                    ),
                    hint,
                )
            }
            None => {
                let hint = match self.suggest(prefix, self.cat.services().map(|s| s.prefix())) {
                    Some(s) => format!("did you mean the prefix \"{s}\"?"),
                    None => "condition keys are service:Name or aws:Name".into(),
                };
                (
                    format!("no service defines the condition key \"{}\"", c.key),
                    hint,
                )
            }
        };
        self.emit(
            Draft::new(F::UnknownConditionKey, c.key_span, message)
                .of(st)
                .hint(hint),
        );
    }

    /// Checks about several conditions of one statement.
    fn condition_combinations(&mut self, st: &Statement) {
        let key_is = |c: &Condition, k: &str| c.key.eq_ignore_ascii_case(k);
        let positive_ip = st.conditions.iter().find(|c| {
            key_is(c, "aws:SourceIp")
                && c.operator.base == BaseOperator::IpAddress
                && !c.operator.if_exists
                && c.operator.set.is_none()
        });
        let vpc = st.conditions.iter().find(|c| {
            (key_is(c, "aws:SourceVpce") || key_is(c, "aws:SourceVpc"))
                && c.operator.base.family() == OperatorFamily::String
                && !c.operator.base.is_negated()
                && !c.operator.if_exists
        });
        if let (Some(ip), Some(vpc)) = (positive_ip, vpc) {
            self.emit(
                Draft::new(
                    F::SourceIpWithVpcCondition,
                    ip.key_span,
                    format!(
                        "aws:SourceIp is absent from requests made through a VPC endpoint, and {} is present only in those, so both conditions never hold together",
                        vpc.key
                    ),
                )
                .of(st)
                .hint("split them into two statements (one per network path), or use aws:VpcSourceIp for the endpoint path")
                .related(vpc.key_span),
            );
        }
        if matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Deny)) {
            let not_ip = st.conditions.iter().find(|c| {
                key_is(c, "aws:SourceIp") && c.operator.base == BaseOperator::NotIpAddress
            });
            let exception = st
                .conditions
                .iter()
                .any(|c| SERVICE_CALL_KEYS.contains(&c.key.to_ascii_lowercase().as_str()));
            if let (Some(c), false) = (not_ip, exception) {
                self.emit(
                    Draft::new(
                        F::SourceIpDenyWithoutServiceException,
                        c.key_span,
                        "this Deny also blocks calls that AWS services make on the caller's behalf (their source IP is the service's) and requests through VPC endpoints (which carry no aws:SourceIp)",
                    )
                    .of(st)
                    .hint("add \"Bool\": {\"aws:ViaAWSService\": \"false\"} to the Deny's conditions, as the IAM User Guide's example does"),
                );
            }
        }
    }

    fn variables(&mut self, st: &Statement) {
        let v2008 = matches!(
            self.policy.version.as_ref().map(|v| v.value),
            Some(PolicyVersion::V2008)
        );
        let mut places: Vec<(&str, Span)> = Vec::new();
        if let Some(r) = &st.resource {
            places.extend(r.patterns.iter().map(|p| (p.text.as_str(), p.span)));
        }
        for c in &st.conditions {
            if c.operator.base.takes_variables() {
                places.extend(c.values.iter().map(|v| (v.text.as_str(), v.span)));
            }
        }
        for (text, span) in places {
            let vars = variables_in(text);
            if vars.is_empty() {
                continue;
            }
            let total = text.chars().count();
            for (start, len, inner) in vars {
                let sub = sub_span(span, total, start, len);
                if v2008 {
                    self.emit(
                        Draft::new(
                            F::VariableWithoutVersion,
                            sub,
                            format!("under Version 2008-10-17 \"${{{inner}}}\" is literal text, not a policy variable"),
                        )
                        .of(st)
                        .hint("set \"Version\": \"2012-10-17\""),
                    );
                    continue;
                }
                if !self.variables || matches!(inner, "*" | "?" | "$") {
                    continue;
                }
                let name = inner.split(',').next().unwrap_or(inner).trim();
                let prefix = name.split_once(':').map_or("", |(p, _)| p);
                if prefix.contains('.') || self.cat.condition_key(name).is_some() {
                    continue;
                }
                let hint = match self.suggest(name, self.cat.global_keys().map(|g| g.name)) {
                    Some(g) => format!("did you mean ${{{g}}}?"),
                    None => "use a condition key as the variable, e.g. ${aws:username} or ${aws:PrincipalTag/team}".into(),
                };
                self.emit(
                    Draft::new(
                        F::UnknownPolicyVariable,
                        sub,
                        format!("\"${{{inner}}}\" names no known condition key, so it never resolves and the element matches nothing"),
                    )
                    .of(st)
                    .hint(hint),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges() {
        assert!(is_private_range("10.0.0.0/8"));
        assert!(is_private_range("192.168.1.7"));
        assert!(is_private_range("172.20.0.0/16"));
        assert!(!is_private_range("172.32.0.0/16"));
        assert!(!is_private_range("0.0.0.0/0"));
        assert!(!is_private_range("54.240.143.0/24"));
        assert!(is_private_range("fd00::/8"));
    }

    #[test]
    fn variables_are_found_with_character_positions() {
        assert_eq!(
            variables_in("é/${a}/${bb}x${"),
            vec![(2, 4, "a"), (7, 5, "bb")]
        );
        assert!(variables_in("${ unclosed").is_empty());
    }
}
