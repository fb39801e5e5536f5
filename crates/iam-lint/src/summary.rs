//! Least privilege: what a policy grants per service and access level (the
//! IAM console's policy summary), and which concrete actions a statement or
//! a wildcard grants.

use crate::engine::ResourceElement;
use crate::engine::{Effect, Policy, Statement};
use crate::text::is_all_star;
use iam_catalog::{AccessLevel, AccessLevels, ActionRef, Catalog, Coverage, StatementActions};
use serde::Serialize;
use std::collections::HashSet;

/// One access level of a [`ServiceSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelSummary {
    pub level: AccessLevel,
    /// `Full` when every action of the level in the service may be granted.
    pub coverage: Coverage,
    /// Actions of this level the policy may grant (Allow statements, minus
    /// unconditional Denies on all resources).
    pub granted: usize,
    /// Actions of this level in the service.
    pub total: usize,
    /// Of `granted`, those granted whatever the request: by an Allow without
    /// conditions and not removed by any Deny.
    pub unconditional: usize,
    /// Of `granted`, those granted on every resource (`"Resource": "*"` or
    /// NotResource).
    pub on_all_resources: usize,
    /// Some granted actions depend on conditions (`unconditional < granted`).
    pub conditional: bool,
    /// Every granted action is limited to specific resources (`on_all_resources == 0`).
    pub resource_scoped: bool,
}

/// What a policy grants in one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    pub prefix: String,
    pub name: String,
    pub granted_actions: usize,
    pub total_actions: usize,
    /// Levels with something granted, in List, Read, Write, Permissions
    /// management, Tagging order. An action with two levels ("Tagging,
    /// Write") counts toward both.
    pub levels: Vec<LevelSummary>,
    /// Some of the service's grants depend on conditions.
    pub conditional: bool,
    /// All of the service's grants are limited to specific resources.
    pub resource_scoped: bool,
}

impl ServiceSummary {
    pub fn level(&self, level: AccessLevel) -> Option<&LevelSummary> {
        self.levels.iter().find(|l| l.level == level)
    }
}

fn broad(res: Option<&ResourceElement>) -> bool {
    res.is_some_and(|r| r.negated || r.patterns.iter().any(|p| is_all_star(&p.text)))
}

fn statement_actions(st: &Statement, allow: bool) -> Option<StatementActions> {
    let a = st.action.as_ref()?;
    Some(StatementActions {
        allow,
        not_action: a.negated,
        patterns: a.patterns.iter().map(|p| p.text.clone()).collect(),
    })
}

/// Merges what [`Catalog::summarize`] would otherwise expand again and
/// again: the patterns of all plain Allows (and of all plain Denies) into one
/// statement each, without repeated patterns, and repeated NotAction
/// statements into one. The result is the same (a union of Allows minus a
/// union of Denies); the work is one catalog scan per distinct pattern.
fn compact(list: Vec<StatementActions>) -> Vec<StatementActions> {
    let mut plain: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut seen: HashSet<(bool, String)> = HashSet::new();
    let mut negated: Vec<StatementActions> = Vec::new();
    let mut negated_seen: HashSet<(bool, Vec<String>)> = HashSet::new();
    for sa in list {
        if sa.not_action {
            let mut key: Vec<String> = sa.patterns.iter().map(|p| p.to_ascii_lowercase()).collect();
            key.sort_unstable();
            key.dedup();
            if negated_seen.insert((sa.allow, key)) {
                negated.push(sa);
            }
            continue;
        }
        for p in sa.patterns {
            if seen.insert((sa.allow, p.to_ascii_lowercase())) {
                if let Some(list) = plain.get_mut(usize::from(sa.allow)) {
                    list.push(p);
                }
            }
        }
    }
    let [deny, allow] = plain;
    let mut out = Vec::new();
    for (allow, patterns) in [(true, allow), (false, deny)] {
        if !patterns.is_empty() {
            out.push(StatementActions {
                allow,
                not_action: false,
                patterns,
            });
        }
    }
    out.extend(negated);
    out
}

/// Catalog actions [`Catalog::summarize`] looks at for these statements.
fn scan_cost(list: &[StatementActions], catalog: &Catalog) -> u64 {
    let all = catalog.action_count() as u64;
    list.iter()
        .flat_map(|sa| &sa.patterns)
        .map(|p| match p.split_once(':') {
            Some((svc, _)) if !svc.contains(['*', '?']) && !is_all_star(p) => {
                catalog.service(svc).map_or(0, |s| s.action_count() as u64)
            }
            _ => all,
        })
        .sum::<u64>()
        + list.len() as u64 * all / 64
}

/// Catalog actions looked at by [`try_summary`] (all three passes
/// together): about 130 whole-catalog scans, 150 ms in a release build.
/// Each distinct action pattern is scanned once per pass; a policy that
/// names its services takes a few thousand.
pub const SUMMARY_BUDGET: u64 = 3_000_000;

/// Per service, the access levels `policy` grants, fully or in part, like
/// the IAM console's policy summary. Built on [`Catalog::summarize`] three
/// times: the most the policy can grant (every Allow, minus unconditional
/// Denies that cover all resources), the least (unconditional Allows minus
/// every Deny), and what it grants on all resources; the differences mark
/// levels as `conditional` or `resource_scoped`. Services sorted by prefix.
///
/// Its work grows with the number of distinct wildcard actions times the
/// catalog: [`try_summary`] stops at [`SUMMARY_BUDGET`] instead.
pub fn summary(policy: &Policy, catalog: &Catalog) -> Vec<ServiceSummary> {
    summary_within(policy, catalog, u64::MAX).unwrap_or_default()
}

/// [`summary`], or a message naming [`SUMMARY_BUDGET`] when the policy's
/// wildcard actions would need more catalog scans than it allows (a 1 MB
/// policy of distinct `*:…` patterns would take minutes).
pub fn try_summary(policy: &Policy, catalog: &Catalog) -> Result<Vec<ServiceSummary>, String> {
    summary_within(policy, catalog, SUMMARY_BUDGET)
}

fn summary_within(
    policy: &Policy,
    catalog: &Catalog,
    budget: u64,
) -> Result<Vec<ServiceSummary>, String> {
    let mut max: Vec<StatementActions> = Vec::new();
    let mut min: Vec<StatementActions> = Vec::new();
    let mut all_res: Vec<StatementActions> = Vec::new();
    let mut deny_all: Vec<StatementActions> = Vec::new();
    let mut deny_certain: Vec<StatementActions> = Vec::new();
    for st in &policy.statements {
        let Some(effect) = st.effect.as_ref().map(|e| e.value) else {
            continue;
        };
        let allow = effect == Effect::Allow;
        let Some(sa) = statement_actions(st, allow) else {
            continue;
        };
        if allow {
            if st.conditions.is_empty() {
                min.push(sa.clone());
            }
            if broad(st.resource.as_ref()) {
                all_res.push(sa.clone());
            }
            max.push(sa);
        } else {
            // A Deny without conditions on every resource (or, in a
            // resource-based policy, on the resource itself) removes the
            // actions for sure; any other Deny only may.
            let everywhere = st
                .resource
                .as_ref()
                .is_none_or(|r| !r.negated && r.patterns.iter().any(|p| is_all_star(&p.text)));
            if st.conditions.is_empty() && everywhere {
                deny_certain.push(sa.clone());
            }
            deny_all.push(sa);
        }
    }
    if max.is_empty() {
        return Ok(Vec::new());
    }
    max.extend(deny_certain.iter().cloned());
    all_res.extend(deny_certain);
    min.extend(deny_all);
    let (max, min, all_res) = (compact(max), compact(min), compact(all_res));
    let cost = scan_cost(&max, catalog)
        .saturating_add(scan_cost(&min, catalog))
        .saturating_add(scan_cost(&all_res, catalog));
    if cost > budget {
        return Err(format!(
            "the access summary is not computed: the policy's wildcard actions need {cost} catalog actions looked at, over the limit of {budget} (SUMMARY_BUDGET); name the service in each wildcard (s3:Get* rather than *:Get*)"
        ));
    }
    let most = catalog.summarize(&max);
    let least = if min.iter().any(|s| s.allow) {
        catalog.summarize(&min)
    } else {
        Vec::new()
    };
    let everywhere = if all_res.iter().any(|s| s.allow) {
        catalog.summarize(&all_res)
    } else {
        Vec::new()
    };
    let find = |v: &[iam_catalog::ServiceSummary], prefix: &str, level: AccessLevel| -> usize {
        v.iter()
            .find(|s| s.prefix == prefix)
            .and_then(|s| s.level(level))
            .map_or(0, |l| l.granted)
    };
    Ok(most
        .into_iter()
        .map(|s| {
            let levels: Vec<LevelSummary> = s
                .levels
                .iter()
                .map(|l| {
                    let unconditional = find(&least, &s.prefix, l.level);
                    let on_all_resources = find(&everywhere, &s.prefix, l.level);
                    LevelSummary {
                        level: l.level,
                        coverage: l.coverage,
                        granted: l.granted,
                        total: l.total,
                        unconditional,
                        on_all_resources,
                        conditional: unconditional < l.granted,
                        resource_scoped: on_all_resources == 0,
                    }
                })
                .collect();
            ServiceSummary {
                conditional: levels.iter().any(|l| l.conditional),
                resource_scoped: levels.iter().all(|l| l.resource_scoped),
                prefix: s.prefix,
                name: s.name,
                granted_actions: s.granted_actions,
                total_actions: s.total_actions,
                levels,
            }
        })
        .collect())
}

/// The catalog actions a pattern such as `s3:Get*` matches, in catalog order.
pub fn expand<'c>(pattern: &str, catalog: &'c Catalog) -> Vec<ActionRef<'c>> {
    catalog.expand(pattern)
}

/// The catalog actions a statement's Action element covers (for
/// `NotAction`, every action it does not list), without duplicates, in
/// catalog order. Empty without an Action element.
pub fn expand_statement<'c>(statement: &Statement, catalog: &'c Catalog) -> Vec<ActionRef<'c>> {
    match statement_actions(statement, true) {
        Some(sa) => catalog.granted_actions(&[sa]),
        None => Vec::new(),
    }
}

/// One action as plain data, for JSON output and the playground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpandedAction {
    /// `s3:GetObject`.
    pub action: String,
    pub access_levels: AccessLevels,
    /// Resource types the action works on (empty: only `"Resource": "*"`).
    pub resource_types: Vec<String>,
}

impl From<ActionRef<'_>> for ExpandedAction {
    fn from(a: ActionRef<'_>) -> Self {
        ExpandedAction {
            action: a.full_name(),
            access_levels: a.access_levels(),
            resource_types: a
                .resource_types()
                .map(|r| r.resource_type.name().to_string())
                .collect(),
        }
    }
}
