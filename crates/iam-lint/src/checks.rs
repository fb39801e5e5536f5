//! The catalog-based and semantic checks. Everything about a statement that
//! several checks need (its expanded actions) is computed once.

use crate::text::{char_index, covers, did_you_mean, is_all_star, sub_span};
use crate::{Category, Finding, FindingCode as F};
use iam_catalog::{ActionRef, Catalog, KeyType, Wildcard};
use iam_policy::check_arn_pattern;
use iam_policy::{
    ActionElement, Condition, PolicyVersion, PrincipalElement, PrincipalType, ResourceElement,
};
use iam_policy::{BaseOperator, OperatorFamily, SetOperator};
use iam_policy::{Effect, Policy, PolicyKind, Span, Statement};
use std::collections::HashSet;

/// Above this many actions a statement is treated as "broad": per-action
/// condition-key lookups are skipped (they would cost milliseconds).
const MAX_ACTIONS_FOR_KEYS: usize = 256;

/// AWS partitions.
const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Keys that tell a request made by an AWS service on the caller's behalf.
const SERVICE_CALL_KEYS: [&str; 5] = [
    "aws:viaawsservice",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "aws:principalisawsservice",
];

/// The expanded actions of one statement.
struct StmtActions<'c> {
    /// Per pattern of the element: the catalog actions it matches; `None`
    /// for a pattern that matches everything (`*`).
    per_pattern: Vec<Option<Vec<ActionRef<'c>>>>,
    /// The union, without duplicates, in catalog order (empty for
    /// `NotAction` and for `*`).
    actions: Vec<ActionRef<'c>>,
    /// Some pattern is `*`.
    star: bool,
    negated: bool,
}

impl<'c> StmtActions<'c> {
    fn new(el: &ActionElement, cat: &'c Catalog) -> Self {
        let mut per_pattern = Vec::with_capacity(el.patterns.len());
        let mut star = false;
        for p in &el.patterns {
            if is_all_star(&p.text) {
                star = true;
                per_pattern.push(None);
            } else {
                per_pattern.push(Some(cat.expand(&p.text)));
            }
        }
        let mut actions: Vec<ActionRef<'c>> = Vec::new();
        if !el.negated && !star {
            actions = per_pattern.iter().flatten().flatten().copied().collect();
            actions.sort_by_key(ActionRef::index);
            actions.dedup_by_key(|a| a.index());
        }
        StmtActions {
            per_pattern,
            actions,
            star,
            negated: el.negated,
        }
    }

    /// The concrete actions, when the statement names a manageable set of
    /// them (plain `Action`, no `*`, at most `max`).
    fn known(&self, max: usize) -> Option<&[ActionRef<'c>]> {
        (!self.negated && !self.star && !self.actions.is_empty() && self.actions.len() <= max)
            .then_some(self.actions.as_slice())
    }
}

struct Linter<'c, 'p> {
    cat: &'c Catalog,
    kind: PolicyKind,
    policy: &'p Policy,
    variables: bool,
    out: Vec<Finding>,
}

pub(crate) fn run(policy: &Policy, kind: PolicyKind, cat: &Catalog) -> Vec<Finding> {
    let mut l = Linter {
        cat,
        kind,
        policy,
        variables: policy.variables_enabled(),
        out: Vec::new(),
    };
    let infos: Vec<Option<StmtActions<'_>>> = policy
        .statements
        .iter()
        .map(|st| st.action.as_ref().map(|a| StmtActions::new(a, cat)))
        .collect();
    for (st, info) in policy.statements.iter().zip(&infos) {
        l.statement(st, info.as_ref());
    }
    l.cross_statements(&infos);
    l.out
}

/// The span reported for a whole statement: from its anchor (its first
/// element) to its end.
fn statement_span(st: &Statement) -> Span {
    Span::new(st.anchor, st.span.end)
}

fn describe(st: &Statement) -> String {
    match &st.sid {
        Some(s) if !s.value.is_empty() => format!("statement {} (\"{}\")", st.index, s.value),
        _ => format!("statement {}", st.index),
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Literal text: no wildcard and no policy variable.
fn is_literal(s: &str) -> bool {
    !has_wildcard(s) && !s.contains("${")
}

fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lower = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase());
    match (parts.first(), parts.last()) {
        (Some(first), Some(last)) if parts.len() >= 3 => {
            (2..=4).contains(&first.len())
                && lower(first)
                && !last.is_empty()
                && last.chars().all(|c| c.is_ascii_digit())
                && parts
                    .get(1..parts.len() - 1)
                    .is_some_and(|mid| mid.iter().all(lower))
        }
        _ => false,
    }
}

fn is_tag_key(lower: &str) -> bool {
    lower.starts_with("aws:resourcetag/")
        || lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
}

/// An IP range entirely inside RFC 1918 (or IPv6 unique local) space.
fn is_private_range(v: &str) -> bool {
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

/// An action's resource types, for messages: `image/snapshot`, or a count.
fn resource_types_of(a: &ActionRef<'_>) -> String {
    let n = a.resource_types().count();
    if n > 3 {
        format!("{n} resource types")
    } else {
        let rts: Vec<&str> = a.resource_types().map(|r| r.resource_type.name()).collect();
        rts.join("/")
    }
}

/// A few actions with their resource types, for messages.
fn examples(actions: &[ActionRef<'_>], n: usize) -> String {
    let mut parts: Vec<String> = actions
        .iter()
        .take(n)
        .map(|a| format!("{} on {}", a.full_name(), resource_types_of(a)))
        .collect();
    if actions.len() > n {
        parts.push(format!("{} more", actions.len() - n));
    }
    parts.join(", ")
}

/// Byte offsets of `${...}` variables in `s`: (start, end exclusive, inner).
fn variables_in(s: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find("${")).map(|i| i + from) {
        let Some(close) = s.get(i + 2..).and_then(|r| r.find('}')) else {
            break;
        };
        let end = i + 2 + close + 1;
        out.push((i, end, s.get(i + 2..i + 2 + close).unwrap_or_default()));
        from = end;
    }
    out
}

impl<'c> Linter<'c, '_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        category: Category,
        code: F,
        span: Span,
        statement: Option<usize>,
        message: String,
        hint: String,
        related: Vec<Span>,
    ) {
        self.out.push(Finding {
            category,
            code,
            message,
            hint: Some(hint),
            span,
            related,
            statement,
        });
    }

    fn statement(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) {
        let si = Some(st.index);
        if let Some(sid) = &st.sid {
            if sid.value.is_empty() {
                self.push(
                    Category::Suggestion,
                    F::EmptySid,
                    sid.span,
                    si,
                    "the Sid is empty".into(),
                    "give the statement a name such as \"AllowReadLogs\", or remove the Sid".into(),
                    Vec::new(),
                );
            }
        }
        if let (Some(el), Some(info)) = (&st.action, info) {
            self.actions(st, el, info);
        }
        let pass_role = self.security(st, info);
        if let Some(res) = &st.resource {
            self.resources(st, res, info, pass_role);
        }
        for c in &st.conditions {
            self.condition(st, c, info);
        }
        self.condition_combinations(st);
        self.variables(st);
    }

    // ------------------------------------------------------------ actions

    fn actions(&mut self, st: &Statement, el: &ActionElement, info: &StmtActions<'c>) {
        let si = Some(st.index);
        for (k, p) in el.patterns.iter().enumerate() {
            if is_all_star(&p.text) {
                continue;
            }
            let Some((svc, name)) = p.text.split_once(':') else {
                continue;
            };
            let matched = info
                .per_pattern
                .get(k)
                .and_then(|x| x.as_ref())
                .map_or(0, Vec::len);
            if has_wildcard(svc) {
                self.push(
                    Category::Warning,
                    F::WildcardInServiceName,
                    p.span,
                    si,
                    format!(
                        "\"{}\" has a wildcard in the service prefix, so it matches actions of every service whose prefix fits ({matched} actions now, and any new service's later)",
                        p.text
                    ),
                    "name the service, for example \"s3:Get*\" instead of \"s*:Get*\"".into(),
                    Vec::new(),
                );
                if matched == 0 {
                    self.nothing_matches(
                        st,
                        p.text.as_str(),
                        p.span,
                        "no service's actions".into(),
                    );
                }
                continue;
            }
            let Some(service) = self.cat.service(svc) else {
                let hint = match did_you_mean(svc, self.cat.services().map(|s| s.prefix())) {
                    Some(s) => format!("did you mean \"{s}:{name}\"?"),
                    None => "use the service prefix from the Service Authorization Reference, for example s3, ec2 or iam".into(),
                };
                self.push(
                    Category::Error,
                    F::UnknownService,
                    p.span,
                    si,
                    format!(
                        "\"{svc}\" is not a known service prefix, so \"{}\" matches no action",
                        p.text
                    ),
                    hint,
                    Vec::new(),
                );
                continue;
            };
            if !has_wildcard(name) {
                match service.action(name) {
                    None => {
                        let hint = match did_you_mean(name, service.actions().map(|a| a.name())) {
                            Some(s) => format!("did you mean \"{}:{s}\"?", service.prefix()),
                            None => format!(
                                "check the spelling; `iam-policy expand '{}:*'` lists the service's {} actions",
                                service.prefix(),
                                service.action_count()
                            ),
                        };
                        self.push(
                            Category::Error,
                            F::UnknownAction,
                            p.span,
                            si,
                            format!(
                                "{} ({}) has no action \"{name}\"",
                                service.name(),
                                service.prefix()
                            ),
                            hint,
                            Vec::new(),
                        );
                    }
                    Some(a) => {
                        let full = a.full_name();
                        if p.text != full {
                            self.push(
                                Category::Suggestion,
                                F::ActionCase,
                                p.span,
                                si,
                                format!("\"{}\" is written \"{full}\" in the Service Authorization Reference", p.text),
                                format!("write \"{full}\" (actions match case-insensitively, but the documented spelling is easier to search)"),
                                Vec::new(),
                            );
                        }
                    }
                }
            } else if matched == 0 {
                let lit_len = name.find(['*', '?']).unwrap_or(name.len());
                let lit = name.get(..lit_len).unwrap_or_default();
                let rest = name.get(lit_len..).unwrap_or_default();
                let prefixes: Vec<String> = if lit.is_empty() {
                    Vec::new()
                } else {
                    let mut v: Vec<String> = service
                        .actions()
                        .filter_map(|a| a.name().get(..lit.len()).map(str::to_string))
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                };
                let hint = match did_you_mean(lit, prefixes.iter().map(String::as_str)) {
                    Some(s) => format!("did you mean \"{}:{s}{rest}\"?", service.prefix()),
                    None => format!(
                        "`iam-policy expand '{}:*'` lists the service's actions",
                        service.prefix()
                    ),
                };
                self.nothing_matches(st, p.text.as_str(), p.span, hint);
            }
        }
        // Patterns already reported as unknown are not also "redundant".
        let reported: Vec<Span> = self
            .out
            .iter()
            .filter(|f| f.category == Category::Error && f.statement == si)
            .map(|f| f.span)
            .collect();
        self.redundant_patterns(
            st,
            el.patterns
                .iter()
                .filter(|p| !reported.contains(&p.span))
                .map(|p| (p.text.as_str(), p.span)),
            true,
            F::RedundantAction,
            "action",
        );
    }

    fn nothing_matches(&mut self, st: &Statement, text: &str, span: Span, hint: String) {
        self.push(
            Category::Error,
            F::ActionMatchesNothing,
            span,
            Some(st.index),
            format!("\"{text}\" matches no action in the catalog"),
            hint,
            Vec::new(),
        );
    }

    /// Patterns of one element that another pattern of the same element
    /// already covers (or repeats).
    fn redundant_patterns<'x>(
        &mut self,
        st: &Statement,
        patterns: impl Iterator<Item = (&'x str, Span)>,
        ignore_case: bool,
        code: F,
        what: &str,
    ) {
        let pats: Vec<(&str, Span)> = patterns.collect();
        if pats.len() < 2 {
            return;
        }
        let vars = self.variables;
        for (j, (pj, sj)) in pats.iter().enumerate() {
            let cover = pats.iter().enumerate().find(|(i, (pi, _))| {
                *i != j
                    && covers(pi, pj, ignore_case, vars)
                    && (*i < j || !covers(pj, pi, ignore_case, vars))
            });
            if let Some((_, (pi, si_span))) = cover {
                let same = if ignore_case {
                    pi.eq_ignore_ascii_case(pj)
                } else {
                    pi == pj
                };
                let message = if same {
                    format!("the {what} \"{pj}\" is listed twice in this statement")
                } else {
                    format!("the {what} \"{pj}\" is already covered by \"{pi}\" in this statement")
                };
                self.push(
                    Category::Suggestion,
                    code,
                    *sj,
                    Some(st.index),
                    message,
                    format!("remove \"{pj}\""),
                    vec![*si_span],
                );
            }
        }
    }

    // ---------------------------------------------------------- resources

    fn resources(
        &mut self,
        st: &Statement,
        res: &ResourceElement,
        info: Option<&StmtActions<'c>>,
        pass_role: bool,
    ) {
        let si = Some(st.index);
        for p in &res.patterns {
            if is_all_star(&p.text) || check_arn_pattern(&p.text).is_err() {
                continue;
            }
            if p.text.starts_with("arn:") {
                self.arn_fields(st, &p.text, p.span);
            }
        }
        self.redundant_patterns(
            st,
            res.patterns.iter().map(|p| (p.text.as_str(), p.span)),
            false,
            F::RedundantResource,
            "resource",
        );
        let Some(info) = info else { return };
        if res.negated || info.negated {
            return;
        }
        // Literal actions that only work with "Resource": "*".
        let star_ok = res
            .patterns
            .iter()
            .any(|r| Wildcard::new(&r.text).is_match("*"));
        if !star_ok && !res.patterns.is_empty() {
            if let Some(el) = &st.action {
                for (p, expanded) in el.patterns.iter().zip(&info.per_pattern) {
                    if has_wildcard(&p.text) {
                        continue;
                    }
                    if let Some([a]) = expanded.as_deref() {
                        if a.only_star_resource() {
                            self.push(
                                Category::Warning,
                                F::ActionNeedsStarResource,
                                p.span,
                                si,
                                format!(
                                    "{} does not support resource-level permissions: only \"Resource\": \"*\" grants it, so this statement never does",
                                    a.full_name()
                                ),
                                "move the action to a statement with \"Resource\": \"*\"".into(),
                                vec![res.key_span],
                            );
                        }
                    }
                }
            }
        }
        // The statement's actions that take specific resources, and an ARN
        // format to suggest (used by both checks below).
        let scoped: Vec<ActionRef<'_>> = info
            .actions
            .iter()
            .filter(|a| !a.only_star_resource())
            .copied()
            .collect();
        let format = scoped
            .first()
            .and_then(|a| a.resource_types().next())
            .and_then(|r| r.resource_type.arn_formats().first().cloned())
            .unwrap_or_default();
        // ARNs that no action of the statement works on.
        for p in &res.patterns {
            if is_all_star(&p.text)
                || check_arn_pattern(&p.text).is_err()
                || !p.text.starts_with("arn:")
            {
                continue;
            }
            let rts = self.cat.resource_types_for_arn(&p.text);
            let svc = p.text.split(':').nth(2).unwrap_or_default();
            // Formats with a placeholder service field match any service, so
            // look for a format that names this one.
            let unknown_service = is_literal(svc)
                && self.cat.service(svc).is_none()
                && !rts.iter().any(|r| {
                    r.arn_formats().iter().any(|f| {
                        f.split(':')
                            .nth(2)
                            .is_some_and(|s| s.eq_ignore_ascii_case(svc))
                    })
                });
            if rts.is_empty() || unknown_service {
                let hint = if unknown_service {
                    match did_you_mean(svc, self.cat.services().map(|s| s.prefix())) {
                        Some(s) => {
                            format!("\"{svc}\" is not a service prefix; did you mean \"{s}\"?")
                        }
                        None => format!("\"{svc}\" is not a service prefix"),
                    }
                } else {
                    format!("compare it with the ARN formats of {svc}'s resource types (Service Authorization Reference)")
                };
                self.push(
                    Category::Warning,
                    F::ResourceMismatch,
                    p.span,
                    si,
                    format!(
                        "\"{}\" matches the ARN format of no resource type in the catalog",
                        p.text
                    ),
                    hint,
                    Vec::new(),
                );
                continue;
            }
            if info.star || scoped.is_empty() {
                continue;
            }
            let set: HashSet<(&str, &str)> =
                rts.iter().map(|r| (r.service_prefix(), r.name())).collect();
            let fits = info.actions.iter().any(|a| {
                a.resource_types().any(|art| {
                    set.contains(&(art.resource_type.service_prefix(), art.resource_type.name()))
                })
            });
            if !fits {
                self.push(
                    Category::Warning,
                    F::ResourceMismatch,
                    p.span,
                    si,
                    format!(
                        "\"{}\" fits no resource type of the statement's actions ({}), so it grants nothing",
                        p.text,
                        examples(&scoped, 3)
                    ),
                    format!("use an ARN of the form {format}"),
                    Vec::new(),
                );
            }
        }
        // "Resource": "*" where the actions support resource-level permissions.
        if self.kind != PolicyKind::Identity
            || pass_role
            || info.star
            || !matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Allow))
        {
            return;
        }
        let Some(star) = res.patterns.iter().find(|p| is_all_star(&p.text)) else {
            return;
        };
        let abac = st.conditions.iter().any(|c| {
            let k = c.key.to_ascii_lowercase();
            k.contains("resourcetag/")
                || k.starts_with("aws:resourceaccount")
                || k.starts_with("aws:resourceorg")
        });
        if abac {
            return;
        }
        if scoped.is_empty() {
            return;
        }
        self.push(
            Category::Suggestion,
            F::StarResource,
            star.span,
            si,
            if scoped.len() == 1 && info.actions.len() == 1 {
                format!(
                    "\"Resource\": \"*\" grants {} on every resource, though it supports resource-level permissions (on {})",
                    scoped.first().map(ActionRef::full_name).unwrap_or_default(),
                    scoped.first().map(resource_types_of).unwrap_or_default()
                )
            } else {
                format!(
                    "\"Resource\": \"*\" grants {} of the statement's {} actions on every resource, though they support resource-level permissions ({})",
                    scoped.len(),
                    info.actions.len(),
                    examples(&scoped, 2)
                )
            },
            format!(
                "for least privilege list the ARNs they need (e.g. {format}) and keep \"*\" only for actions that require it"
            ),
            Vec::new(),
        );
    }

    fn arn_fields(&mut self, st: &Statement, text: &str, span: Span) {
        let si = Some(st.index);
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let (Some(partition), Some(service), Some(region), Some(account)) =
            (parts.get(1), parts.get(2), parts.get(3), parts.get(4))
        else {
            return;
        };
        let part_at = 4;
        let region_at = part_at + partition.len() + 1 + service.len() + 1;
        let account_at = region_at + region.len() + 1;
        let sub = |byte: usize, field: &str| {
            sub_span(span, text, char_index(text, byte), field.chars().count())
        };
        if is_literal(partition) && !PARTITIONS.contains(partition) {
            let hint = match did_you_mean(partition, PARTITIONS) {
                Some(p) => format!("did you mean \"{p}\"?"),
                None => "use aws, aws-cn or aws-us-gov (or * for any partition)".into(),
            };
            self.push(
                Category::Error,
                F::InvalidArnPartition,
                sub(part_at, partition),
                si,
                format!("\"{partition}\" is not an AWS partition"),
                hint,
                Vec::new(),
            );
        }
        if is_literal(region) && !region.is_empty() && !is_region(region) {
            self.push(
                Category::Error,
                F::InvalidArnRegion,
                sub(region_at, region),
                si,
                format!("\"{region}\" is not a region name"),
                "write a region such as us-east-1, * for any region, or leave it empty for services without regions (s3, iam)".into(),
                Vec::new(),
            );
        }
        if is_literal(account)
            && !account.is_empty()
            && *account != "aws"
            && !(account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        {
            self.push(
                Category::Error,
                F::InvalidArnAccount,
                sub(account_at, account),
                si,
                format!("\"{account}\" is not a 12-digit account ID"),
                "write the 12-digit account ID (e.g. 111122223333), * for any account, or leave it empty for services without accounts (s3)".into(),
                Vec::new(),
            );
        }
    }

    // --------------------------------------------------------- conditions

    fn condition(&mut self, st: &Statement, c: &Condition, info: Option<&StmtActions<'c>>) {
        let si = Some(st.index);
        let op = c.operator;
        let base = op.base;
        let family = base.family();
        let lower = c.key.to_ascii_lowercase();
        let allow = matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Allow));

        // Checks that need no catalog.
        if op.if_exists && base.is_negated() {
            self.push(
                Category::Suggestion,
                F::RedundantIfExists,
                c.operator_span,
                si,
                format!(
                    "{} is already true when {} is absent from the request, so IfExists changes nothing",
                    base.name(),
                    c.key
                ),
                format!("write {}{}", op.set.map_or("", |s| match s {
                    SetOperator::ForAllValues => "ForAllValues:",
                    SetOperator::ForAnyValue => "ForAnyValue:",
                }), base.name()),
                Vec::new(),
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
                    self.push(
                        Category::Warning,
                        F::WildcardWithoutLikeOperator,
                        v.span,
                        si,
                        format!(
                            "{} compares \"{}\" literally: the * is not a wildcard here",
                            base.name(),
                            v.text
                        ),
                        format!(
                            "use {like} for wildcard matching, or ${{*}} for a literal asterisk"
                        ),
                        vec![c.operator_span],
                    );
                }
            }
        }
        if matches!(family, OperatorFamily::Bool | OperatorFamily::Null) {
            let vals: HashSet<bool> = c
                .values
                .iter()
                .filter_map(|v| iam_policy::values::parse_bool(&v.text))
                .collect();
            if vals.len() == 2 {
                self.push(
                    Category::Error,
                    F::MultipleBoolValues,
                    c.key_span,
                    si,
                    format!("{} on {} lists both true and false, so the condition does not restrict anything", base.name(), c.key),
                    "keep one value".into(),
                    Vec::new(),
                );
            }
        }
        if lower == "aws:sourceip" && family == OperatorFamily::IpAddress {
            for v in &c.values {
                if is_private_range(&v.text) {
                    self.push(
                        Category::Error,
                        F::PrivateIpInSourceIp,
                        v.span,
                        si,
                        format!("\"{}\" is a private range, but aws:SourceIp only ever holds public addresses", v.text),
                        "for requests through a VPC endpoint use aws:VpcSourceIp (with aws:SourceVpc or aws:SourceVpce); keep public ranges in aws:SourceIp".into(),
                        Vec::new(),
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
                let (head, tail) = match c.key.split_once('/') {
                    Some((h, t)) => (h, Some(t)),
                    None => (c.key.as_str(), None),
                };
                let globals: Vec<&str> = self
                    .cat
                    .global_keys()
                    .filter(|g| g.name.starts_with("aws:"))
                    .map(|g| g.name.split('/').next().unwrap_or(g.name))
                    .collect();
                let hint = match did_you_mean(head, globals.iter().copied()) {
                    Some(g) => match tail {
                        Some(t) => format!("did you mean \"{g}/{t}\"?"),
                        None => format!("did you mean \"{g}\"?"),
                    },
                    None => "see the list of AWS global condition context keys".into(),
                };
                self.push(
                    Category::Error,
                    F::UnknownGlobalKey,
                    c.key_span,
                    si,
                    format!(
                        "\"{}\" is not an AWS global condition key, so it is never in a request",
                        c.key
                    ),
                    hint,
                    Vec::new(),
                );
            } else {
                let (message, hint) = match self.cat.service(prefix) {
                    Some(svc) => {
                        let names: Vec<&str> = svc.condition_keys().map(|k| k.name).collect();
                        let hint = match did_you_mean(&c.key, names.iter().copied()) {
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
                        let hint =
                            match did_you_mean(prefix, self.cat.services().map(|s| s.prefix())) {
                                Some(s) => format!("did you mean the prefix \"{s}\"?"),
                                None => "condition keys are service:Name or aws:Name".into(),
                            };
                        (
                            format!("no service defines the condition key \"{}\"", c.key),
                            hint,
                        )
                    }
                };
                self.push(
                    Category::Error,
                    F::UnknownConditionKey,
                    c.key_span,
                    si,
                    message,
                    hint,
                    Vec::new(),
                );
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
                    self.push(
                        category,
                        F::UnsupportedTagKey,
                        c.key_span,
                        si,
                        format!(
                            "none of the statement's actions ({}) supports {} in its request context, so {effect}",
                            short_list(actions),
                            key.name
                        ),
                        "use the tag keys the actions support (their resource types' condition keys), or move these actions to a statement without the tag condition".into(),
                        Vec::new(),
                    );
                }
            } else if !global && !actions.iter().any(|a| a.key_info(&c.key).is_some()) {
                self.push(
                    Category::Warning,
                    F::KeyNotForActions,
                    c.key_span,
                    si,
                    format!(
                        "{} is not a condition key of any of the statement's actions ({}), so it is never in their requests",
                        key.name,
                        short_list(actions)
                    ),
                    "use a key listed for these actions in the Service Authorization Reference, or move the condition to the statement whose actions support it".into(),
                    Vec::new(),
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
            self.push(
                Category::Warning,
                F::OperatorTypeMismatch,
                c.key_span,
                si,
                format!(
                    "{} compares {}, but {} is of type {}{extra}",
                    base.name(),
                    family_text(family),
                    c.key,
                    ktype
                ),
                format!("use {}", operators_for(ktype)),
                vec![c.operator_span],
            );
        }
        if family == OperatorFamily::Null {
            return;
        }
        if ktype.is_multivalued() {
            match op.set {
                None => self.push(
                    Category::Warning,
                    F::MissingSetOperator,
                    c.key_span,
                    si,
                    format!("{} is multivalued ({ktype}), but {} compares a single value", c.key, c.operator_text),
                    format!(
                        "write ForAnyValue:{} (some value of the request matches) or ForAllValues:{} (every value matches)",
                        base.name(),
                        base.name()
                    ),
                    vec![c.operator_span],
                ),
                Some(SetOperator::ForAllValues) if allow && !has_null_false(st, &lower) => self.push(
                    Category::SecurityWarning,
                    F::ForAllValuesWithAllow,
                    c.key_span,
                    si,
                    format!(
                        "ForAllValues is also true when the request has no {} at all, so this Allow matches requests without the key",
                        c.key
                    ),
                    format!("add \"Null\": {{\"{}\": \"false\"}} to the statement's conditions", c.key),
                    vec![c.operator_span],
                ),
                _ => {}
            }
        } else {
            match op.set {
                Some(SetOperator::ForAllValues) => self.push(
                    Category::SecurityWarning,
                    F::ForAllValuesSingleValuedKey,
                    c.key_span,
                    si,
                    format!(
                        "{} is single-valued; ForAllValues is true when the key is absent, which can make the condition overly permissive",
                        c.key
                    ),
                    format!("write {}{}", base.name(), if op.if_exists { "IfExists" } else { "" }),
                    vec![c.operator_span],
                ),
                Some(SetOperator::ForAnyValue) => self.push(
                    Category::Warning,
                    F::ForAnyValueSingleValuedKey,
                    c.key_span,
                    si,
                    format!("{} is single-valued; set operators are meant for multivalued keys", c.key),
                    format!("write {}{}", base.name(), if op.if_exists { "IfExists" } else { "" }),
                    vec![c.operator_span],
                ),
                None => {}
            }
        }
    }

    /// Checks about several conditions of one statement.
    fn condition_combinations(&mut self, st: &Statement) {
        let si = Some(st.index);
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
            self.push(
                Category::Warning,
                F::SourceIpWithVpcCondition,
                ip.key_span,
                si,
                format!(
                    "aws:SourceIp is absent from requests made through a VPC endpoint, and {} is present only in those, so both conditions never hold together",
                    vpc.key
                ),
                "split them into two statements (one per network path), or use aws:VpcSourceIp for the endpoint path".into(),
                vec![vpc.key_span],
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
                self.push(
                    Category::Warning,
                    F::SourceIpDenyWithoutServiceException,
                    c.key_span,
                    si,
                    "this Deny also blocks calls that AWS services make on the caller's behalf (their source IP is the service's) and requests through VPC endpoints (which carry no aws:SourceIp)".into(),
                    "add \"Bool\": {\"aws:ViaAWSService\": \"false\"} to the Deny's conditions, as the IAM User Guide's example does".into(),
                    Vec::new(),
                );
            }
        }
    }

    fn variables(&mut self, st: &Statement) {
        let si = Some(st.index);
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
            for (start, end, inner) in variables_in(text) {
                let sub = sub_span(
                    span,
                    text,
                    char_index(text, start),
                    char_index(text, end) - char_index(text, start),
                );
                if v2008 {
                    self.push(
                        Category::Warning,
                        F::VariableWithoutVersion,
                        sub,
                        si,
                        format!("under Version 2008-10-17 \"${{{inner}}}\" is literal text, not a policy variable"),
                        "set \"Version\": \"2012-10-17\"".into(),
                        Vec::new(),
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
                let hint = match did_you_mean(name, self.cat.global_keys().map(|g| g.name)) {
                    Some(g) => format!("did you mean ${{{g}}}?"),
                    None => "use a condition key as the variable, e.g. ${aws:username} or ${aws:PrincipalTag/team}".into(),
                };
                self.push(
                    Category::Warning,
                    F::UnknownPolicyVariable,
                    sub,
                    si,
                    format!("\"${{{inner}}}\" names no known condition key, so it never resolves and the element matches nothing"),
                    hint,
                    Vec::new(),
                );
            }
        }
    }

    // ---------------------------------------------------------- security

    /// Statement-level security checks. Returns whether the PassRole check fired.
    fn security(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) -> bool {
        let si = Some(st.index);
        let allow = matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Allow));
        if !allow {
            return false;
        }
        if let Some(a) = &st.action {
            if a.negated {
                self.push(
                    Category::SecurityWarning,
                    F::AllowWithNotAction,
                    a.key_span,
                    si,
                    format!(
                        "Allow with NotAction grants every action except {} — including actions AWS adds later",
                        a.patterns.len()
                    ),
                    "list the actions to allow in Action; use NotAction with Deny".into(),
                    Vec::new(),
                );
            }
        }
        if let Some(r) = &st.resource {
            if r.negated {
                self.push(
                    Category::SecurityWarning,
                    F::AllowWithNotResource,
                    r.key_span,
                    si,
                    "Allow with NotResource grants the actions on every resource except those listed — including resources created later".into(),
                    "list the resources to allow in Resource; use NotResource with Deny".into(),
                    Vec::new(),
                );
            }
        }
        let mut pass_role = false;
        if self.kind == PolicyKind::Identity {
            if let (Some(a), Some(r)) = (&st.action, &st.resource) {
                let matching = a
                    .patterns
                    .iter()
                    .find(|p| Wildcard::new(&p.text).is_match("iam:PassRole"));
                let grants = if a.negated {
                    matching.is_none()
                } else {
                    matching.is_some()
                };
                let broad: Option<Span> = if r.negated {
                    Some(r.key_span)
                } else {
                    r.patterns
                        .iter()
                        .find(|p| covers(&p.text, "arn:aws:iam::*:role/*", false, false))
                        .map(|p| p.span)
                };
                if let (true, Some(span)) = (grants, broad) {
                    pass_role = true;
                    let via = match matching {
                        Some(m) if !m.text.eq_ignore_ascii_case("iam:PassRole") => {
                            format!(" (through \"{}\")", m.text)
                        }
                        _ => String::new(),
                    };
                    self.push(
                        Category::SecurityWarning,
                        F::PassRoleStarResource,
                        span,
                        si,
                        format!("the statement allows iam:PassRole{via} on every role, so the caller can hand any role, administrator roles included, to a service"),
                        "name the roles that may be passed (arn:aws:iam::ACCOUNT:role/NAME) and add a condition on iam:PassedToService".into(),
                        matching.map(|m| vec![m.span]).unwrap_or_default(),
                    );
                }
                if !a.negated && info.is_some_and(|i| i.star) && st.conditions.is_empty() {
                    let star_res = !r.negated && r.patterns.iter().any(|p| is_all_star(&p.text));
                    if let (true, Some(p)) =
                        (star_res, a.patterns.iter().find(|p| is_all_star(&p.text)))
                    {
                        self.push(
                            Category::SecurityWarning,
                            F::FullAccess,
                            p.span,
                            si,
                            "Allow \"*\" on \"*\" without a condition is full administrator access".into(),
                            "grant only the actions and resources the task needs (least privilege); use an AWS managed job-function policy if you need broad access".into(),
                            Vec::new(),
                        );
                    }
                }
            }
        }
        if self.kind == PolicyKind::Resource && st.conditions.is_empty() {
            if let Some(entry) = st.principal.as_ref().and_then(public_entry) {
                let trust = st.action.as_ref().is_some_and(|a| {
                    !a.negated
                        && !a.patterns.is_empty()
                        && a.patterns.iter().all(|p| {
                            p.text
                                .get(..4)
                                .is_some_and(|s| s.eq_ignore_ascii_case("sts:"))
                        })
                });
                if trust {
                    self.push(
                        Category::SecurityWarning,
                        F::PublicAssumeRole,
                        entry,
                        si,
                        "this trust policy lets any AWS principal, in any account, assume the role".into(),
                        "name the trusted accounts, roles or services in Principal, or add a condition such as aws:PrincipalOrgID or sts:ExternalId".into(),
                        Vec::new(),
                    );
                } else {
                    self.push(
                        Category::SecurityWarning,
                        F::PublicPrincipalWithoutCondition,
                        entry,
                        si,
                        "\"Principal\": \"*\" with Allow and no condition grants access to everyone, anonymous callers included".into(),
                        "name the principals, or restrict with a condition such as aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn".into(),
                        Vec::new(),
                    );
                }
            }
        }
        pass_role
    }

    // ------------------------------------------------- across statements

    fn cross_statements(&mut self, infos: &[Option<StmtActions<'c>>]) {
        let sts = &self.policy.statements;
        if sts.len() < 2 {
            return;
        }
        let words = self.cat.action_count().div_ceil(64);
        // The catalog actions of each statement, as bit sets (empty for `*`,
        // NotAction and statements without actions).
        let bits: Vec<Vec<u64>> = infos
            .iter()
            .map(|info| match info {
                Some(info) if !info.star && !info.negated => {
                    let mut b = vec![0u64; words];
                    for a in &info.actions {
                        if let Some(w) = b.get_mut(a.index() / 64) {
                            *w |= 1u64 << (a.index() % 64);
                        }
                    }
                    b
                }
                _ => Vec::new(),
            })
            .collect();
        let bits_of = |i: usize| bits.get(i).map_or(&[][..], Vec::as_slice);
        let vars = self.variables;
        // Candidate coverers: unconditional statements with plain elements.
        let plain = |st: &Statement| {
            st.effect.is_some()
                && st
                    .action
                    .as_ref()
                    .is_some_and(|a| !a.negated && !a.patterns.is_empty())
                && st
                    .resource
                    .as_ref()
                    .is_none_or(|r| !r.negated && !r.patterns.is_empty())
                && st.principal.as_ref().is_none_or(|p| !p.negated)
        };
        let mut found: Vec<Finding> = Vec::new();
        for (i, a) in sts.iter().enumerate() {
            if !plain(a) {
                continue;
            }
            let (Some(a_act), Some(Some(a_info))) = (&a.action, infos.get(i)) else {
                continue;
            };
            let a_allow = matches!(a.effect.as_ref().map(|e| e.value), Some(Effect::Allow));
            let mut result: Option<(usize, bool)> = None; // (j, shadowed)
            for (j, b) in sts.iter().enumerate() {
                if i == j || !b.conditions.is_empty() || !plain(b) {
                    continue;
                }
                let (Some(b_act), Some(Some(b_info))) = (&b.action, infos.get(j)) else {
                    continue;
                };
                let b_allow = matches!(b.effect.as_ref().map(|e| e.value), Some(Effect::Allow));
                let shadow = a_allow && !b_allow;
                if a_allow != b_allow && !shadow {
                    continue;
                }
                if !covers_resources(b.resource.as_ref(), a.resource.as_ref(), vars)
                    || !covers_principals(b.principal.as_ref(), a.principal.as_ref())
                {
                    continue;
                }
                if !covers_actions(b_act, b_info, bits_of(j), a_act, a_info) {
                    continue;
                }
                if !shadow && a.conditions.is_empty() {
                    // mutual cover between unconditional statements: report the later one
                    let mutual = covers_resources(a.resource.as_ref(), b.resource.as_ref(), vars)
                        && covers_principals(a.principal.as_ref(), b.principal.as_ref())
                        && covers_actions(a_act, a_info, bits_of(i), b_act, b_info);
                    if mutual && i < j {
                        continue;
                    }
                }
                if shadow {
                    result = Some((j, true));
                    break;
                }
                if result.is_none() {
                    result = Some((j, false));
                }
            }
            let Some((j, shadow)) = result else { continue };
            let Some(b) = sts.get(j) else { continue };
            let (category, code, message, hint) = if shadow {
                (
                    Category::Warning,
                    F::ShadowedStatement,
                    format!(
                        "{} never grants anything: the unconditional Deny in {} covers all its actions and resources, and an explicit Deny always wins",
                        describe(a),
                        describe(b)
                    ),
                    "narrow the Deny (add a condition or exclude these actions or resources), or remove the Allow".to_string(),
                )
            } else {
                (
                    Category::Suggestion,
                    F::RedundantStatement,
                    format!(
                        "{} is redundant: {} already {} every action on every resource it covers, without conditions",
                        describe(a),
                        describe(b),
                        if a_allow { "allows" } else { "denies" }
                    ),
                    "remove it, or merge the two statements".to_string(),
                )
            };
            found.push(Finding {
                category,
                code,
                message,
                hint: Some(hint),
                span: statement_span(a),
                related: vec![statement_span(b)],
                statement: Some(a.index),
            });
        }
        self.out.extend(found);
    }
}

fn short_list(actions: &[ActionRef<'_>]) -> String {
    let mut names: Vec<String> = actions.iter().take(3).map(ActionRef::full_name).collect();
    if actions.len() > 3 {
        names.push(format!("{} more", actions.len() - 3));
    }
    names.join(", ")
}

/// The span of a `"*"` / `{"AWS": "*"}` entry of a Principal element.
fn public_entry(p: &PrincipalElement) -> Option<Span> {
    if p.negated {
        return None;
    }
    p.entries
        .iter()
        .find(|e| {
            e.kind == PrincipalType::Everyone || (e.kind == PrincipalType::Aws && e.text == "*")
        })
        .map(|e| e.span)
}

fn has_null_false(st: &Statement, lower_key: &str) -> bool {
    st.conditions.iter().any(|c| {
        c.operator.base == BaseOperator::Null
            && c.key.eq_ignore_ascii_case(lower_key)
            && c.values
                .iter()
                .any(|v| v.text.eq_ignore_ascii_case("false"))
    })
}

/// Every action `inner` covers is covered by `outer`: pattern by pattern,
/// either a pattern of `outer` contains it, or the catalog actions it
/// matches are all matched by `outer`.
fn covers_actions(
    outer: &ActionElement,
    outer_info: &StmtActions<'_>,
    outer_bits: &[u64],
    inner: &ActionElement,
    inner_info: &StmtActions<'_>,
) -> bool {
    if outer_info.star {
        return true;
    }
    inner
        .patterns
        .iter()
        .zip(&inner_info.per_pattern)
        .all(|(p, expanded)| {
            if outer
                .patterns
                .iter()
                .any(|q| covers(&q.text, &p.text, true, false))
            {
                return true;
            }
            match expanded {
                Some(list) if !list.is_empty() => list.iter().all(|a| {
                    outer_bits
                        .get(a.index() / 64)
                        .is_some_and(|w| w & (1u64 << (a.index() % 64)) != 0)
                }),
                _ => false,
            }
        })
}

fn covers_resources(
    outer: Option<&ResourceElement>,
    inner: Option<&ResourceElement>,
    vars: bool,
) -> bool {
    match (outer, inner) {
        (None, _) => true,
        (Some(o), None) => o.patterns.iter().any(|p| is_all_star(&p.text)),
        (Some(o), Some(i)) => {
            !o.negated
                && !i.negated
                && i.patterns.iter().all(|p| {
                    o.patterns
                        .iter()
                        .any(|q| covers(&q.text, &p.text, false, vars))
                })
        }
    }
}

fn covers_principals(outer: Option<&PrincipalElement>, inner: Option<&PrincipalElement>) -> bool {
    match (outer, inner) {
        (None, None) => true,
        (None, Some(_)) | (Some(_), None) => false,
        (Some(o), Some(i)) => {
            if o.negated || i.negated {
                return false;
            }
            if public_entry(o).is_some() {
                return true;
            }
            i.entries.iter().all(|e| {
                o.entries
                    .iter()
                    .any(|x| x.kind == e.kind && x.text == e.text)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for r in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eusc-de-east-1",
            "ap-southeast-5",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in ["useast1", "us-east", "US-EAST-1", "global", "us-east-1a"] {
            assert!(!is_region(r), "{r}");
        }
    }

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
}
