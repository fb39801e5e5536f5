//! The catalog-based and semantic checks, one module per concern. What
//! several checks need about a statement (its expanded actions) is computed
//! once; pairwise work and catalog searches draw on the budgets of
//! [`crate::limits`], and a check that runs out says so (`not-checked`).

mod actions;
mod conditions;
mod cross;
mod principals;
mod resources;

use crate::engine::ActionElement;
use crate::engine::{Effect, Policy, PolicyKind, Span, Statement};
use crate::limits::{
    Meter, ARN_MATCH_BUDGET, CONTAINMENT_BUDGET, EXPANSION_BUDGET, MAX_CONTAINMENT_STATES,
    MAX_STATEMENT_COMPARISONS, SUGGESTION_BUDGET,
};
use crate::text::{covers, did_you_mean, is_all_star, Cover, CoverIndex, Pattern};
use crate::{Category, Finding, FindingCode as F};
use iam_catalog::{ActionRef, Catalog, ResourceTypeRef};
use std::collections::HashMap;
use std::rc::Rc;

/// A finding being written. Its category comes from the code table
/// ([`F::category`]); the statement, hint and related places are added
/// as needed.
#[must_use]
pub(crate) struct Draft(Finding);

impl Draft {
    pub(crate) fn new(code: F, span: Span, message: impl Into<String>) -> Draft {
        Draft(Finding {
            category: code.category().unwrap_or(Category::Warning),
            code,
            message: message.into(),
            hint: None,
            span,
            related: Vec::new(),
            statement: None,
        })
    }

    /// The finding is about this statement.
    pub(crate) fn of(mut self, st: &Statement) -> Draft {
        self.0.statement = Some(st.index);
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Draft {
        self.0.hint = Some(hint.into());
        self
    }

    /// Another place involved.
    pub(crate) fn related(mut self, span: Span) -> Draft {
        self.0.related.push(span);
        self
    }

    /// A category other than the code's usual one (`unsupported-tag-key`
    /// in a Deny).
    pub(crate) fn category(mut self, category: Category) -> Draft {
        self.0.category = category;
        self
    }
}

/// A work limit a check ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    Containment,
    StatementPairs,
    Expansion,
    ArnMatch,
}

/// The actions one pattern of an Action element stands for.
#[derive(Debug, Clone)]
pub(crate) enum Expanded<'c> {
    /// `*`: every action.
    All,
    /// The catalog actions it matches, in catalog order.
    Actions(Rc<[ActionRef<'c>]>),
    /// Not expanded: [`EXPANSION_BUDGET`] was spent.
    Skipped,
}

impl<'c> Expanded<'c> {
    /// The matched actions, when known (`None` for `*` and skipped patterns).
    pub(crate) fn list(&self) -> Option<&[ActionRef<'c>]> {
        match self {
            Expanded::Actions(list) => Some(list),
            _ => None,
        }
    }
}

/// The expanded actions of one statement.
pub(crate) struct StmtActions<'c> {
    /// Per pattern of the element.
    pub(crate) per_pattern: Vec<Expanded<'c>>,
    /// The union, without duplicates, in catalog order (empty for
    /// `NotAction` and for `*`).
    pub(crate) actions: Vec<ActionRef<'c>>,
    /// Some pattern is `*`.
    pub(crate) star: bool,
    pub(crate) negated: bool,
    /// Every pattern was expanded (none skipped for the budget).
    pub(crate) complete: bool,
}

impl<'c> StmtActions<'c> {
    /// The concrete actions, when the statement names a manageable set of
    /// them (plain `Action`, no `*`, all expanded, at most `max`).
    pub(crate) fn known(&self, max: usize) -> Option<&[ActionRef<'c>]> {
        (!self.negated
            && !self.star
            && self.complete
            && !self.actions.is_empty()
            && self.actions.len() <= max)
            .then_some(self.actions.as_slice())
    }
}

/// Expands action patterns against the catalog, each distinct pattern once,
/// within [`EXPANSION_BUDGET`].
struct Expander<'c> {
    cat: &'c Catalog,
    memo: HashMap<String, Rc<[ActionRef<'c>]>>,
    meter: Meter,
}

impl<'c> Expander<'c> {
    fn pattern(&mut self, text: &str) -> Expanded<'c> {
        if is_all_star(text) {
            return Expanded::All;
        }
        let key = text.to_ascii_lowercase();
        if let Some(list) = self.memo.get(&key) {
            // Listing it again for this statement is work too.
            return if self.meter.charge(list.len() as u64) {
                Expanded::Actions(Rc::clone(list))
            } else {
                Expanded::Skipped
            };
        }
        // What the catalog scans: the service's actions for a literal
        // prefix, else all of them.
        let scanned = match text.split_once(':') {
            Some((svc, _)) if !svc.contains(['*', '?']) => {
                self.cat.service(svc).map_or(0, |s| s.action_count())
            }
            _ => self.cat.action_count(),
        };
        if !self.meter.charge(scanned as u64) {
            return Expanded::Skipped;
        }
        let list: Rc<[ActionRef<'c>]> = self.cat.expand(text).into();
        if !self.meter.charge(list.len() as u64) {
            return Expanded::Skipped;
        }
        self.memo.insert(key, Rc::clone(&list));
        Expanded::Actions(list)
    }

    fn statement(&mut self, el: &ActionElement) -> StmtActions<'c> {
        let per_pattern: Vec<Expanded<'c>> =
            el.patterns.iter().map(|p| self.pattern(&p.text)).collect();
        let star = per_pattern.iter().any(|e| matches!(e, Expanded::All));
        let complete = !per_pattern.iter().any(|e| matches!(e, Expanded::Skipped));
        let mut actions: Vec<ActionRef<'c>> = Vec::new();
        if !el.negated && !star {
            let lists: Vec<&[ActionRef<'c>]> =
                per_pattern.iter().filter_map(Expanded::list).collect();
            let total: usize = lists.iter().map(|l| l.len()).sum();
            if let [one] = lists.as_slice() {
                actions = one.to_vec();
            } else if total <= 64 {
                actions = lists.into_iter().flatten().copied().collect();
                actions.sort_by_key(ActionRef::index);
                actions.dedup_by_key(|a| a.index());
            } else {
                // A bit per catalog action: linear, where sorting is not.
                let mut seen = vec![0u64; self.cat.action_count().div_ceil(64)];
                for a in lists.into_iter().flatten() {
                    if let Some(w) = seen.get_mut(a.index() / 64) {
                        if *w & (1 << (a.index() % 64)) == 0 {
                            *w |= 1 << (a.index() % 64);
                            actions.push(*a);
                        }
                    }
                }
                actions.sort_unstable_by_key(ActionRef::index);
            }
        }
        StmtActions {
            per_pattern,
            actions,
            star,
            negated: el.negated,
            complete,
        }
    }
}

pub(crate) struct Linter<'c, 'p> {
    pub(crate) cat: &'c Catalog,
    pub(crate) kind: PolicyKind,
    pub(crate) policy: &'p Policy,
    pub(crate) variables: bool,
    pub(crate) out: Vec<Finding>,
    /// [`CONTAINMENT_BUDGET`].
    pub(crate) containment: Meter,
    /// Names "did you mean" may still compare ([`SUGGESTION_BUDGET`]).
    suggestions: Meter,
    /// The first place each limit was hit.
    limits_hit: Vec<(Limit, Span, Option<usize>)>,
    /// [`ARN_MATCH_BUDGET`], and the resource types of the ARNs matched so far.
    arn_meter: Meter,
    arn_memo: HashMap<String, Rc<[ResourceTypeRef<'c>]>>,
    /// Lengths of the catalog's ARN formats, for the cost of a match.
    format_sizes: Option<FormatSizes>,
}

/// The total length (+ 1 each) of the catalog's ARN formats: per literal
/// service field, with a placeholder service field, and all.
struct FormatSizes {
    by_service: HashMap<String, u64>,
    any_service: u64,
    all: u64,
}

impl FormatSizes {
    fn new(cat: &Catalog) -> FormatSizes {
        let mut sizes = FormatSizes {
            by_service: HashMap::new(),
            any_service: 0,
            all: 0,
        };
        for svc in cat.services() {
            for rt in svc.resource_types() {
                for f in rt.arn_formats() {
                    let n = f.chars().count() as u64 + 1;
                    sizes.all += n;
                    match f.split(':').nth(2) {
                        Some(s) if !s.contains(['$', '*', '?']) => {
                            *sizes.by_service.entry(s.to_ascii_lowercase()).or_default() += n;
                        }
                        _ => sizes.any_service += n,
                    }
                }
            }
        }
        sizes
    }
}

pub(crate) fn run(policy: &Policy, kind: PolicyKind, cat: &Catalog) -> Vec<Finding> {
    let mut expander = Expander {
        cat,
        memo: HashMap::new(),
        meter: Meter::new(EXPANSION_BUDGET),
    };
    let infos: Vec<Option<StmtActions<'_>>> = policy
        .statements
        .iter()
        .map(|st| st.action.as_ref().map(|a| expander.statement(a)))
        .collect();
    let mut l = Linter {
        cat,
        kind,
        policy,
        variables: policy.variables_enabled(),
        out: Vec::new(),
        containment: Meter::new(CONTAINMENT_BUDGET),
        suggestions: Meter::new(SUGGESTION_BUDGET),
        limits_hit: Vec::new(),
        arn_meter: Meter::new(ARN_MATCH_BUDGET),
        arn_memo: HashMap::new(),
        format_sizes: None,
    };
    for (st, info) in policy.statements.iter().zip(&infos) {
        if let (Some(el), Some(i)) = (&st.action, info) {
            if !i.complete {
                l.limit_hit(Limit::Expansion, el.key_span, Some(st));
            }
        }
        l.statement(st, info.as_ref());
    }
    l.cross_statements(&infos);
    l.report_limits();
    l.out
}

/// The span reported for a whole statement: from its anchor (its first
/// element) to its end.
pub(crate) fn statement_span(st: &Statement) -> Span {
    Span::new(st.anchor, st.span.end)
}

pub(crate) fn describe(st: &Statement) -> String {
    match &st.sid {
        Some(s) if !s.value.is_empty() => format!("statement {} (\"{}\")", st.index, s.value),
        _ => format!("statement {}", st.index),
    }
}

pub(crate) fn is_allow(st: &Statement) -> bool {
    matches!(st.effect.as_ref().map(|e| e.value), Some(Effect::Allow))
}

pub(crate) fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?'])
}

/// Literal text: no wildcard and no policy variable.
pub(crate) fn is_literal(s: &str) -> bool {
    !has_wildcard(s) && !s.contains("${")
}

/// An action's resource types, for messages: `image/snapshot`, or a count.
pub(crate) fn resource_types_of(a: &ActionRef<'_>) -> String {
    let n = a.resource_types().count();
    if n > 3 {
        format!("{n} resource types")
    } else {
        let rts: Vec<&str> = a.resource_types().map(|r| r.resource_type.name()).collect();
        rts.join("/")
    }
}

/// A few actions with their resource types, for messages.
pub(crate) fn examples(actions: &[ActionRef<'_>], n: usize) -> String {
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

pub(crate) fn short_list(actions: &[ActionRef<'_>]) -> String {
    let mut names: Vec<String> = actions.iter().take(3).map(ActionRef::full_name).collect();
    if actions.len() > 3 {
        names.push(format!("{} more", actions.len() - 3));
    }
    names.join(", ")
}

impl<'c> Linter<'c, '_> {
    pub(crate) fn emit(&mut self, draft: Draft) {
        self.out.push(draft.0);
    }

    /// "Did you mean", while [`SUGGESTION_BUDGET`] lasts (each candidate
    /// name compared takes one from it).
    pub(crate) fn suggest<'a, I>(&self, word: &str, candidates: I) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        if self.suggestions.exhausted() {
            return None;
        }
        let mut n = 0u64;
        let best = did_you_mean(word, candidates.into_iter().inspect(|_| n += 1));
        self.suggestions.charge(n);
        best
    }

    /// Whether a suggestion search may start.
    pub(crate) fn may_suggest(&self) -> bool {
        !self.suggestions.exhausted()
    }

    /// Notes that a check stopped at `limit` here (only the first place is kept).
    pub(crate) fn limit_hit(&mut self, limit: Limit, span: Span, st: Option<&Statement>) {
        if !self.limits_hit.iter().any(|(l, _, _)| *l == limit) {
            self.limits_hit.push((limit, span, st.map(|s| s.index)));
        }
    }

    /// The resource types whose ARN format `arn` may match, within
    /// [`ARN_MATCH_BUDGET`] (`None` once it is spent: then the limit is noted).
    pub(crate) fn arn_types(
        &mut self,
        arn: &str,
        span: Span,
        st: &Statement,
    ) -> Option<Rc<[ResourceTypeRef<'c>]>> {
        if let Some(hit) = self.arn_memo.get(arn) {
            return Some(Rc::clone(hit));
        }
        let cat = self.cat;
        let sizes = self
            .format_sizes
            .get_or_insert_with(|| FormatSizes::new(cat));
        // The formats the catalog compares `arn` with: those of its service
        // (and those with a placeholder service), or all of them.
        let head: String = arn.splitn(4, ':').take(3).collect::<Vec<_>>().join(":");
        let formats = match head.split(':').nth(2) {
            Some(svc) if !head.contains(['*', '?']) && !head.contains("${") => {
                sizes
                    .by_service
                    .get(&svc.to_ascii_lowercase())
                    .copied()
                    .unwrap_or(0)
                    + sizes.any_service
            }
            _ => sizes.all.saturating_mul(4),
        };
        let len = arn.chars().count() as u64 + 1;
        // Reading the ARN rescans it from each `${` that is not closed.
        let variables = arn.matches("${").count() as u64;
        let cost = len.saturating_mul(formats + variables);
        if !self.arn_meter.charge(cost) {
            self.limit_hit(Limit::ArnMatch, span, Some(st));
            return None;
        }
        let types: Rc<[ResourceTypeRef<'c>]> = self.cat.resource_types_for_arn(arn).into();
        self.arn_memo.insert(arn.to_string(), Rc::clone(&types));
        Some(types)
    }

    /// Notes a containment test that was too complex to decide.
    pub(crate) fn note_containment(&mut self, span: Span, st: &Statement) {
        self.limit_hit(Limit::Containment, span, Some(st));
    }

    fn report_limits(&mut self) {
        for (limit, span, statement) in std::mem::take(&mut self.limits_hit) {
            let (message, hint) = match limit {
                Limit::Containment => (
                    format!(
                        "not checked: too complex. Comparing the wildcard patterns from here on needs more than {} steps (CONTAINMENT_BUDGET), or a pair of patterns is over {} positions (MAX_CONTAINMENT_STATES), so redundant-action, redundant-resource, redundant-statement, shadowed-statement and pass-role-star-resource findings may be missing",
                        group(CONTAINMENT_BUDGET),
                        group(MAX_CONTAINMENT_STATES as u64)
                    ),
                    "use fewer and shorter wildcard patterns (AWS's largest policy quota is 32 KB)",
                ),
                Limit::StatementPairs => (
                    format!(
                        "not checked: too complex. The statements from here on were not compared with each other: the policy needs more than {} comparison steps (MAX_STATEMENT_COMPARISONS), so redundant-statement and shadowed-statement findings may be missing",
                        group(MAX_STATEMENT_COMPARISONS)
                    ),
                    "split the policy (AWS's largest policy quota, 32 KB, holds a few hundred statements)",
                ),
                Limit::ArnMatch => (
                    format!(
                        "not checked: too complex. The ARNs from here on were not matched against the catalog's ARN formats: that needs more than {} steps (ARN_MATCH_BUDGET), so resource-mismatch findings may be missing",
                        group(ARN_MATCH_BUDGET)
                    ),
                    "use fewer or shorter ARNs, and name the service in each (arn:aws:s3:::… rather than arn:aws:*:…)",
                ),
                Limit::Expansion => (
                    format!(
                        "not checked: too complex. The wildcard actions from here on were not expanded: listing them needs more than {} catalog actions (EXPANSION_BUDGET), so checks that need each statement's actions (action-matches-nothing, resource-mismatch, star-resource, key-not-for-actions, unsupported-tag-key, redundant-statement) skip these statements",
                        group(EXPANSION_BUDGET)
                    ),
                    "use fewer wildcard actions, or name the service in each (s3:Get* rather than *:Get*)",
                ),
            };
            let mut d = Draft::new(F::NotChecked, span, message).hint(hint);
            d.0.statement = statement;
            self.emit(d);
        }
    }

    /// Patterns of one element that another pattern of the same element
    /// already covers (or repeats). Only the patterns that may cover one
    /// ([`CoverIndex`]) are tested, within the containment budget: for each
    /// pattern, the first (in order) that covers it and is not covered back,
    /// or, of two that cover each other, the earlier one.
    pub(crate) fn redundant_patterns<'x>(
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
        let compiled: Vec<Pattern> = pats
            .iter()
            .map(|(t, _)| Pattern::new(t, ignore_case, self.variables))
            .collect();
        let index = CoverIndex::new(&compiled);
        for ((j, (pj, sj)), cj) in pats.iter().enumerate().zip(&compiled) {
            // An earlier copy of the same pattern covers it (and is covered back).
            let same = index.first_same(cj).filter(|&i| i < j);
            let mut wild = index.wild_candidates(cj);
            wild.retain(|&i| i != j && same.is_none_or(|s| i < s));
            if !self.containment.charge(wild.len() as u64) {
                self.note_containment(*sj, st);
                break;
            }
            let mut cover = None;
            for i in wild {
                let Some(ci) = compiled.get(i) else { continue };
                let ok = match covers(ci, cj, &self.containment) {
                    Cover::Yes if i < j => Cover::Yes,
                    Cover::Yes => match covers(cj, ci, &self.containment) {
                        Cover::Yes => Cover::No,
                        Cover::No => Cover::Yes,
                        Cover::TooComplex => Cover::TooComplex,
                    },
                    other => other,
                };
                match ok {
                    Cover::Yes => {
                        cover = Some(i);
                        break;
                    }
                    Cover::No => {}
                    Cover::TooComplex => self.note_containment(*sj, st),
                }
                if self.containment.exhausted() {
                    break;
                }
            }
            let Some((pi, si_span)) = cover.or(same).and_then(|i| pats.get(i)) else {
                continue;
            };
            let same_text = if ignore_case {
                pi.eq_ignore_ascii_case(pj)
            } else {
                pi == pj
            };
            let message = if same_text {
                format!("the {what} \"{pj}\" is listed twice in this statement")
            } else {
                format!("the {what} \"{pj}\" is already covered by \"{pi}\" in this statement")
            };
            self.emit(
                Draft::new(code, *sj, message)
                    .of(st)
                    .hint(format!("remove \"{pj}\""))
                    .related(*si_span),
            );
        }
    }

    fn statement(&mut self, st: &Statement, info: Option<&StmtActions<'c>>) {
        if let Some(sid) = &st.sid {
            if sid.value.is_empty() {
                self.emit(
                    Draft::new(F::EmptySid, sid.span, "the Sid is empty")
                        .of(st)
                        .hint("give the statement a name such as \"AllowReadLogs\", or remove the Sid"),
                );
            }
        }
        if let (Some(el), Some(info)) = (&st.action, info) {
            self.actions(st, el, info);
        }
        self.allow_with_not_action(st);
        self.allow_with_not_resource(st);
        let pass_role = self.pass_role(st, info);
        self.full_access(st, info);
        self.public_principal(st);
        if let Some(res) = &st.resource {
            self.resources(st, res, info, pass_role);
        }
        self.conditions(st, info);
    }
}

/// 4000000 → "4,000,000".
pub(crate) fn group(n: impl Into<u64>) -> String {
    let s = n.into().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn grouped_numbers() {
        assert_eq!(super::group(4_000_000u64), "4,000,000");
        assert_eq!(super::group(250u64), "250");
        assert_eq!(super::group(2_500u64), "2,500");
    }
}
