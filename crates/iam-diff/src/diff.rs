//! The diff itself: which statements of each version cover each catalog
//! action (exactly, with the engine's own action matcher), then, once per
//! combination of covering statements, whether the access they give is
//! provably equal, wider, narrower or neither, then per changed action an
//! example request verified against both versions.

use crate::clause::{self, Clause, ClauseKey};
use crate::example::{Evaluator, Target};
use crate::model::{
    ActionChange, Aspect, ChangeKind, DiffError, DiffKind, DiffSummary, Evidence, PolicyDiff,
    ServiceDiff, Shows, Side, SideDiagnostic, StatementPos,
};
use crate::text;
use iam_catalog::{ActionRef, Catalog};
use iam_policy::pattern::fold_case;
use iam_policy::{parse_policy_as, Effect, Glob, ParsedPolicy, Policy, Statement};
use std::collections::{BTreeSet, HashMap};

/// What to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    pub kind: DiffKind,
    /// Only this service prefix (case-insensitive).
    pub service: Option<String>,
    /// Search a verified example request for every change (the default).
    pub examples: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            kind: DiffKind::Identity,
            service: None,
            examples: true,
        }
    }
}

impl DiffOptions {
    pub fn new(kind: DiffKind) -> DiffOptions {
        DiffOptions {
            kind,
            ..DiffOptions::default()
        }
    }
}

struct ServiceIndex<'c> {
    prefix: String,
    lower: String,
    name: String,
    actions: Vec<(ActionRef<'c>, String, String)>,
}

/// The catalog, indexed once for many diffs (about 2 ms for all 22,091
/// actions).
pub struct Differ<'c> {
    services: Vec<ServiceIndex<'c>>,
    by_prefix: HashMap<String, usize>,
}

/// A statement's Action element, per service.
struct ActionMatcher {
    negated: bool,
    /// (lower-cased service prefix, or `None` for a pattern such as `*`
    /// that spans services; the engine's compiled pattern).
    patterns: Vec<(Option<String>, Glob)>,
}

impl ActionMatcher {
    fn new(st: &Statement) -> Option<ActionMatcher> {
        let a = st.action.as_ref()?;
        let patterns = a
            .patterns
            .iter()
            // an inert entry names no action: it matches no request
            .filter(|p| !p.inert)
            .map(|p| {
                let service = p
                    .text
                    .split_once(':')
                    .map(|(s, _)| fold_case(s))
                    .filter(|s| !s.contains(['*', '?']));
                // the engine compiles Action entries exactly so
                (service, Glob::wildcard_ignore_case(&p.text))
            })
            .collect();
        Some(ActionMatcher {
            negated: a.negated,
            patterns,
        })
    }

    /// The patterns that can match an action of `service`; `None` when the
    /// statement covers no action of it.
    fn for_service(&self, service: &str) -> Option<Vec<&Glob>> {
        let pats: Vec<&Glob> = self
            .patterns
            .iter()
            .filter(|(s, _)| s.as_deref().is_none_or(|s| s == service))
            .map(|(_, g)| g)
            .collect();
        if pats.is_empty() && !self.negated {
            None
        } else {
            Some(pats)
        }
    }
}

/// One version, compiled.
struct Version<'p> {
    side: Side,
    policy: &'p Policy,
    clauses: Vec<Option<Clause<'p>>>,
    matchers: Vec<Option<ActionMatcher>>,
}

impl<'p> Version<'p> {
    fn new(side: Side, policy: &'p Policy, kind: DiffKind) -> Version<'p> {
        let with_principal = kind == DiffKind::Resource;
        let clauses = policy
            .statements
            .iter()
            .map(|s| Clause::new(s, policy, with_principal))
            .collect();
        let matchers = policy
            .statements
            .iter()
            .map(|s| s.effect.as_ref().and(ActionMatcher::new(s)))
            .collect();
        Version {
            side,
            policy,
            clauses,
            matchers,
        }
    }

    /// The statements (with their patterns) that may cover actions of `service`.
    fn relevant(&self, service: &str) -> Vec<(usize, bool, Vec<&Glob>)> {
        self.matchers
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let m = m.as_ref()?;
                m.for_service(service).map(|p| (i, m.negated, p))
            })
            .collect()
    }

    fn position(&self, i: usize) -> Option<StatementPos> {
        let st = self.policy.statements.get(i)?;
        Some(StatementPos {
            side: self.side,
            statement: st.index,
            sid: st.sid.as_ref().map(|s| s.value.to_string()),
            effect: st.effect.as_ref().map_or(Effect::Allow, |e| e.value),
            line: st.anchor.line,
            column: st.anchor.column,
            span: st.span,
        })
    }

    fn clause(&self, i: usize) -> Option<&Clause<'p>> {
        self.clauses.get(i).and_then(Option::as_ref)
    }
}

/// Which statements cover an action: a bit per statement.
type Bits = Vec<u64>;

fn covering(rel: &[(usize, bool, Vec<&Glob>)], words: usize, lower: &str) -> Bits {
    let mut bits = vec![0u64; words];
    for (i, negated, pats) in rel {
        let any = pats.iter().any(|g| g.matches(lower));
        if *negated != any {
            if let Some(w) = bits.get_mut(i / 64) {
                *w |= 1u64 << (i % 64);
            }
        }
    }
    bits
}

fn ones(bits: &Bits) -> Vec<usize> {
    let mut out = Vec::new();
    for (wi, w) in bits.iter().enumerate() {
        let mut w = *w;
        while w != 0 {
            out.push(wi * 64 + w.trailing_zeros() as usize);
            w &= w - 1;
        }
    }
    out
}

/// The verdict for one combination of covering statements.
#[derive(Debug, Clone)]
struct Analysis {
    kind: ChangeKind,
    /// The kind once an example shows a difference.
    shown_kind: ChangeKind,
    new_access: Evidence,
    lost_access: Evidence,
    aspects: Vec<Aspect>,
    reasons: Vec<String>,
}

struct Group<'v, 'p> {
    old_allows: Vec<&'v Clause<'p>>,
    old_denies: Vec<&'v Clause<'p>>,
    new_allows: Vec<&'v Clause<'p>>,
    new_denies: Vec<&'v Clause<'p>>,
    old_positions: Vec<StatementPos>,
    new_positions: Vec<StatementPos>,
    analysis: Option<Analysis>,
}

fn split<'v, 'p>(
    v: &'v Version<'p>,
    bits: &Bits,
) -> (Vec<&'v Clause<'p>>, Vec<&'v Clause<'p>>, Vec<usize>) {
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let idx = ones(bits);
    for &i in &idx {
        if let Some(c) = v.clause(i) {
            match c.effect {
                Effect::Allow => allows.push(c),
                Effect::Deny => denies.push(c),
            }
        }
    }
    (allows, denies, idx)
}

fn keys<'a>(cs: &'a [&Clause<'_>]) -> BTreeSet<&'a ClauseKey> {
    cs.iter().map(|c| &c.key).collect()
}

fn union_within(cs: &[&Clause<'_>], others: &[&Clause<'_>]) -> Result<(), String> {
    for c in cs {
        clause::within(c, others)?;
    }
    Ok(())
}

/// Which components of `c` differ from the closest clause of `others`.
fn differing(c: &Clause<'_>, others: &[&Clause<'_>], out: &mut BTreeSet<Aspect>) {
    let parts = |o: &Clause<'_>| {
        let mut v = Vec::new();
        if o.key.resources != c.key.resources {
            v.push(Aspect::Resources);
        }
        if o.key.conditions != c.key.conditions {
            v.push(Aspect::Conditions);
        }
        if o.key.principals != c.key.principals {
            v.push(Aspect::Principals);
        }
        v
    };
    match others.iter().map(|o| parts(o)).min_by_key(Vec::len) {
        Some(v) => out.extend(v),
        None => {
            if !c.all_resources {
                out.insert(Aspect::Resources);
            }
            if !c.conditions.is_empty() {
                out.insert(Aspect::Conditions);
            }
            if c.principals
                .as_ref()
                .is_some_and(|p| p.negated || !p.everyone)
            {
                out.insert(Aspect::Principals);
            }
        }
    }
}

fn aspects(g: &Group<'_, '_>) -> Vec<Aspect> {
    let mut out = BTreeSet::new();
    let (ok, nk) = (keys(&g.old_allows), keys(&g.new_allows));
    for c in &g.old_allows {
        if !nk.contains(&c.key) {
            differing(c, &g.new_allows, &mut out);
        }
    }
    for c in &g.new_allows {
        if !ok.contains(&c.key) {
            differing(c, &g.old_allows, &mut out);
        }
    }
    let (od, nd) = (keys(&g.old_denies), keys(&g.new_denies));
    if od != nd {
        out.insert(Aspect::Deny);
        for c in &g.old_denies {
            if !nd.contains(&c.key) {
                differing(c, &g.new_denies, &mut out);
            }
        }
        for c in &g.new_denies {
            if !od.contains(&c.key) {
                differing(c, &g.old_denies, &mut out);
            }
        }
    }
    out.into_iter().collect()
}

fn kind_of(aspects: &[Aspect]) -> ChangeKind {
    if aspects.contains(&Aspect::Resources) {
        ChangeKind::ResourcesChanged
    } else if aspects.contains(&Aspect::Principals) {
        ChangeKind::PrincipalsChanged
    } else {
        ChangeKind::ConditionsChanged
    }
}

fn analyse(g: &Group<'_, '_>) -> Option<Analysis> {
    if keys(&g.old_allows) == keys(&g.new_allows) && keys(&g.old_denies) == keys(&g.new_denies) {
        return None;
    }
    // no access at all: no Allow, an unconditional Deny everywhere, or
    // every Allow provably within the Denies
    let none = |allows: &[&Clause<'_>], denies: &[&Clause<'_>]| {
        allows.is_empty()
            || denies.iter().any(|d| d.is_total())
            || (!denies.is_empty() && union_within(allows, denies).is_ok())
    };
    let old_none = none(&g.old_allows, &g.old_denies);
    let new_none = none(&g.new_allows, &g.new_denies);
    let aspects = aspects(g);
    let shown_kind = kind_of(&aspects);
    match (old_none, new_none) {
        (true, true) => return None,
        (true, false) => {
            return Some(Analysis {
                kind: ChangeKind::Granted,
                shown_kind: ChangeKind::Granted,
                new_access: Evidence::Unknown,
                lost_access: Evidence::No,
                aspects: Vec::new(),
                reasons: Vec::new(),
            })
        }
        (false, true) => {
            return Some(Analysis {
                kind: ChangeKind::Revoked,
                shown_kind: ChangeKind::Revoked,
                new_access: Evidence::No,
                lost_access: Evidence::Unknown,
                aspects: Vec::new(),
                reasons: Vec::new(),
            })
        }
        (false, false) => {}
    }
    // OLD ⊆ NEW when OLD's Allows are within NEW's and NEW's Denies within OLD's
    let wide = union_within(&g.old_allows, &g.new_allows)
        .and_then(|()| union_within(&g.new_denies, &g.old_denies));
    let narrow = union_within(&g.new_allows, &g.old_allows)
        .and_then(|()| union_within(&g.old_denies, &g.new_denies));
    let mut reasons = Vec::new();
    if let Err(e) = &narrow {
        reasons.push(format!("new access not ruled out: {e}"));
    }
    if let Err(e) = &wide {
        reasons.push(format!("lost access not ruled out: {e}"));
    }
    let (wide, narrow) = (wide.is_ok(), narrow.is_ok());
    if wide && narrow {
        // provably the same access, written differently
        return None;
    }
    Some(Analysis {
        kind: if wide || narrow {
            shown_kind
        } else {
            ChangeKind::MayDiffer
        },
        shown_kind,
        new_access: if narrow {
            Evidence::No
        } else {
            Evidence::Unknown
        },
        lost_access: if wide {
            Evidence::No
        } else {
            Evidence::Unknown
        },
        aspects,
        reasons,
    })
}

impl<'c> Differ<'c> {
    pub fn new(catalog: &'c Catalog) -> Differ<'c> {
        let mut services = Vec::new();
        let mut by_prefix = HashMap::new();
        for s in catalog.services() {
            let actions: Vec<(ActionRef<'c>, String, String)> = s
                .actions()
                .map(|a| {
                    let full = a.full_name();
                    let lower = fold_case(&full);
                    (a, full, lower)
                })
                .collect();
            by_prefix.insert(fold_case(s.prefix()), services.len());
            services.push(ServiceIndex {
                prefix: s.prefix().to_string(),
                lower: fold_case(s.prefix()),
                name: s.name().to_string(),
                actions,
            });
        }
        Differ {
            services,
            by_prefix,
        }
    }

    /// Compares two policy texts.
    pub fn diff(
        &self,
        old: &str,
        new: &str,
        options: &DiffOptions,
    ) -> Result<PolicyDiff, DiffError> {
        let kind = options.kind.policy_kind();
        let old_parsed = parse_policy_as(old, kind);
        let new_parsed = parse_policy_as(new, kind);
        let mut diagnostics = Vec::new();
        for (side, p) in [(Side::Old, &old_parsed), (Side::New, &new_parsed)] {
            diagnostics.extend(p.errors().map(|d| SideDiagnostic {
                side,
                diagnostic: d.clone(),
            }));
        }
        let (Some(op), Some(np)) = (&old_parsed.policy, &new_parsed.policy) else {
            return Err(DiffError { diagnostics });
        };
        if !diagnostics.is_empty() {
            return Err(DiffError { diagnostics });
        }
        Ok(self.diff_policies((old, op, &old_parsed), (new, np, &new_parsed), options))
    }

    fn diff_policies(
        &self,
        old: (&str, &Policy, &ParsedPolicy),
        new: (&str, &Policy, &ParsedPolicy),
        options: &DiffOptions,
    ) -> PolicyDiff {
        let vo = Version::new(Side::Old, old.1, options.kind);
        let vn = Version::new(Side::New, new.1, options.kind);
        let wo = old.1.statements.len().div_ceil(64).max(1);
        let wn = new.1.statements.len().div_ceil(64).max(1);
        let only = options.service.as_deref().map(fold_case);

        // actions named literally that the catalog does not list
        let mut extra: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for v in [&vo, &vn] {
            for st in &v.policy.statements {
                let Some(a) = &st.action else { continue };
                for p in a
                    .patterns
                    .iter()
                    .filter(|p| !p.inert && !p.text.contains(['*', '?']))
                {
                    let Some((svc, name)) = p.text.split_once(':') else {
                        continue;
                    };
                    let (svc_l, lower) = (fold_case(svc), fold_case(&p.text));
                    let known = self
                        .by_prefix
                        .get(&svc_l)
                        .and_then(|i| self.services.get(*i))
                        .is_some_and(|s| s.actions.iter().any(|(_, _, l)| *l == lower));
                    let list = extra.entry(svc_l).or_default();
                    if !known && !list.iter().any(|(_, l)| *l == lower) {
                        list.push((format!("{svc}:{name}"), lower));
                    }
                }
            }
        }
        let mut prefixes: Vec<String> = self.services.iter().map(|s| s.lower.clone()).collect();
        prefixes.extend(
            extra
                .keys()
                .filter(|k| !self.by_prefix.contains_key(*k))
                .cloned(),
        );
        prefixes.sort();
        prefixes.dedup();

        let mut groups: Vec<Group<'_, '_>> = Vec::new();
        let mut group_of: HashMap<(Bits, Bits), usize> = HashMap::new();
        // per service: (prefix, name, [(action, in catalog, action ref, group)])
        type Row<'a> = (String, bool, Option<ActionRef<'a>>, usize);
        let mut per_service: Vec<(String, String, Vec<Row<'c>>)> = Vec::new();
        let mut compared = 0usize;
        for prefix in &prefixes {
            if only.as_ref().is_some_and(|o| o != prefix) {
                continue;
            }
            let svc = self
                .by_prefix
                .get(prefix)
                .and_then(|i| self.services.get(*i));
            let extras = extra.get(prefix).cloned().unwrap_or_default();
            compared += svc.map_or(0, |s| s.actions.len()) + extras.len();
            let ro = vo.relevant(prefix);
            let rn = vn.relevant(prefix);
            if ro.is_empty() && rn.is_empty() {
                continue;
            }
            let mut rows: Vec<Row<'c>> = Vec::new();
            let listed = svc
                .map(|s| {
                    s.actions
                        .iter()
                        .map(|(a, full, lower)| (full.clone(), lower.clone(), Some(*a)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let extras = extras.into_iter().map(|(full, lower)| (full, lower, None));
            for (full, lower, aref) in listed.into_iter().chain(extras) {
                let bo = covering(&ro, wo, &lower);
                let bn = covering(&rn, wn, &lower);
                if bo.iter().all(|w| *w == 0) && bn.iter().all(|w| *w == 0) {
                    continue;
                }
                let key = (bo, bn);
                let gi = match group_of.get(&key) {
                    Some(g) => *g,
                    None => {
                        let (oa, od, os) = split(&vo, &key.0);
                        let (na, nd, ns) = split(&vn, &key.1);
                        let mut g = Group {
                            old_allows: oa,
                            old_denies: od,
                            new_allows: na,
                            new_denies: nd,
                            old_positions: os.iter().filter_map(|i| vo.position(*i)).collect(),
                            new_positions: ns.iter().filter_map(|i| vn.position(*i)).collect(),
                            analysis: None,
                        };
                        g.analysis = analyse(&g);
                        groups.push(g);
                        group_of.insert(key, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                if groups.get(gi).is_some_and(|g| g.analysis.is_some()) {
                    rows.push((full, aref.is_some(), aref, gi));
                }
            }
            if !rows.is_empty() {
                let (p, n) = svc.map_or((prefix.clone(), String::new()), |s| {
                    (s.prefix.clone(), s.name.clone())
                });
                per_service.push((p, n, rows));
            }
        }

        let mut eval = Evaluator::new(
            options.kind,
            (old.0.to_string(), old.2.clone()),
            (new.0.to_string(), new.2.clone()),
        );
        let mut summary = DiffSummary {
            actions_compared: compared,
            ..DiffSummary::default()
        };
        let mut services = Vec::new();
        let mut sentences = HashMap::new();
        for (prefix, name, rows) in per_service {
            let mut changes = Vec::new();
            for (action, in_catalog, aref, gi) in rows {
                let Some(g) = groups.get(gi) else { continue };
                let Some(a) = &g.analysis else { continue };
                let change = self.change(
                    &mut eval,
                    g,
                    gi,
                    a,
                    &action,
                    in_catalog,
                    aref,
                    options,
                    &mut sentences,
                );
                match change.kind {
                    ChangeKind::Granted => summary.granted += 1,
                    ChangeKind::Revoked => summary.revoked += 1,
                    ChangeKind::ResourcesChanged => summary.resources_changed += 1,
                    ChangeKind::ConditionsChanged => summary.conditions_changed += 1,
                    ChangeKind::PrincipalsChanged => summary.principals_changed += 1,
                    ChangeKind::MayDiffer => summary.may_differ += 1,
                }
                if change.new_access == Evidence::Yes {
                    summary.new_access_shown += 1;
                }
                if change.new_access != Evidence::No {
                    summary.new_access = true;
                }
                changes.push(change);
            }
            services.push(ServiceDiff {
                prefix,
                name,
                changes,
            });
        }
        PolicyDiff {
            kind: options.kind,
            summary,
            services,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn change(
        &self,
        eval: &mut Evaluator,
        g: &Group<'_, '_>,
        gi: usize,
        a: &Analysis,
        action: &str,
        in_catalog: bool,
        aref: Option<ActionRef<'_>>,
        options: &DiffOptions,
        sentences: &mut HashMap<(usize, ChangeKind, Evidence, Evidence), String>,
    ) -> ActionChange {
        let mut change = ActionChange {
            action: action.to_string(),
            in_catalog,
            kind: a.kind,
            new_access: a.new_access,
            lost_access: a.lost_access,
            aspects: a.aspects.clone(),
            old_statements: g.old_positions.clone(),
            new_statements: g.new_positions.clone(),
            sentence: String::new(),
            reasons: a.reasons.clone(),
            examples: Vec::new(),
        };
        if options.examples {
            for shows in [Shows::NewAccess, Shows::LostAccess] {
                let wanted = match shows {
                    Shows::NewAccess => change.new_access == Evidence::Unknown,
                    Shows::LostAccess => change.lost_access == Evidence::Unknown,
                };
                if !wanted {
                    continue;
                }
                let target = match shows {
                    Shows::NewAccess => Target {
                        group: gi,
                        action,
                        action_ref: aref,
                        shows,
                        t_allows: &g.new_allows,
                        t_denies: &g.new_denies,
                        o_allows: &g.old_allows,
                        o_denies: &g.old_denies,
                    },
                    Shows::LostAccess => Target {
                        group: gi,
                        action,
                        action_ref: aref,
                        shows,
                        t_allows: &g.old_allows,
                        t_denies: &g.old_denies,
                        o_allows: &g.new_allows,
                        o_denies: &g.new_denies,
                    },
                };
                match eval.find(&target) {
                    Ok(ex) => {
                        match shows {
                            Shows::NewAccess => change.new_access = Evidence::Yes,
                            Shows::LostAccess => change.lost_access = Evidence::Yes,
                        }
                        change.examples.push(ex);
                    }
                    Err(why) => {
                        let dir = match shows {
                            Shows::NewAccess => "new access",
                            Shows::LostAccess => "lost access",
                        };
                        change.reasons.push(format!("{dir}: {why}"));
                    }
                }
            }
            // a direction an example shows needs no "not ruled out"
            if change.new_access == Evidence::Yes {
                change.reasons.retain(|r| !r.starts_with("new access"));
            }
            if change.lost_access == Evidence::Yes {
                change.reasons.retain(|r| !r.starts_with("lost access"));
            }
            if change.kind == ChangeKind::MayDiffer
                && (change.new_access == Evidence::Yes || change.lost_access == Evidence::Yes)
            {
                change.kind = a.shown_kind;
            }
        }
        change.sentence = sentences
            .entry((gi, change.kind, change.new_access, change.lost_access))
            .or_insert_with(|| {
                text::sentence(
                    &change,
                    text::ACTION,
                    g.old_allows.as_slice(),
                    g.old_denies.as_slice(),
                    g.new_allows.as_slice(),
                    g.new_denies.as_slice(),
                )
            })
            .replace(text::ACTION, action);
        change
    }
}

/// Compares two versions of a policy across the whole catalog. For many
/// diffs against one catalog, keep a [`Differ`].
pub fn diff(
    old: &str,
    new: &str,
    options: &DiffOptions,
    catalog: &Catalog,
) -> Result<PolicyDiff, DiffError> {
    Differ::new(catalog).diff(old, new, options)
}
