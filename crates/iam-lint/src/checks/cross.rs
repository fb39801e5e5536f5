//! Checks across statements: a statement another one already covers
//! (`redundant-statement`), an Allow an unconditional Deny overrides
//! (`shadowed-statement`).
//!
//! Not every pair is compared. A statement can only be covered by one that
//! grants (or denies) `*` or each of its catalog actions, and whose
//! resources cover its first resource; so the unconditional statements are
//! indexed by catalog action and by resource pattern (a trie of literal
//! starts, [`CoverIndex`]), and each statement is compared with the
//! smaller of the two candidate lists, in order, stopping at the first
//! that covers it. What remains is bounded by [`MAX_STATEMENT_COMPARISONS`]
//! and the containment budget.

use super::principals::public_entry;
use super::{describe, is_allow, statement_span, Draft, Limit, Linter, StmtActions};
use crate::engine::PrincipalType;
use crate::engine::Statement;
use crate::limits::{Meter, MAX_STATEMENT_COMPARISONS};
use crate::text::{covers, Cover, CoverIndex, Pattern};
use crate::FindingCode as F;
use std::cell::OnceCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// What the comparisons need of one statement, computed once.
struct Side<'s, 'c> {
    st: &'s Statement,
    info: &'s StmtActions<'c>,
    allow: bool,
    /// May cover others: unconditional (and plain, as every `Side` is).
    coverer: bool,
    /// Action patterns (case-insensitive, no variables), tokenized when
    /// first compared.
    actions: OnceCell<Vec<Pattern>>,
    /// Resource patterns, `None` without a Resource element.
    resources: Option<Vec<Pattern>>,
    /// Principal entries, `None` without a Principal element.
    principals: Option<HashSet<(PrincipalType, &'s str)>>,
    public: bool,
    /// Catalog indices of the statement's actions, ascending.
    ids: Vec<usize>,
}

impl Side<'_, '_> {
    fn action_patterns(&self) -> &[Pattern] {
        self.actions.get_or_init(|| {
            self.st.action.as_ref().map_or_else(Vec::new, |a| {
                a.patterns
                    .iter()
                    .map(|p| Pattern::new(&p.text, true, false))
                    .collect()
            })
        })
    }
}

/// Plain elements: an Effect, a non-empty Action, no NotResource or
/// NotPrincipal.
fn plain(st: &Statement) -> bool {
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
}

/// The union of ascending index lists, ascending and without duplicates,
/// taken lazily (a comparison loop often stops at the first candidate).
struct Union<'a> {
    heap: BinaryHeap<Reverse<(usize, usize)>>,
    lists: Vec<&'a [usize]>,
    pos: Vec<usize>,
    last: Option<usize>,
}

impl<'a> Union<'a> {
    fn new(lists: Vec<&'a [usize]>) -> Union<'a> {
        let heap = lists
            .iter()
            .enumerate()
            .filter_map(|(l, list)| list.first().map(|&v| Reverse((v, l))))
            .collect();
        Union {
            heap,
            pos: vec![0; lists.len()],
            lists,
            last: None,
        }
    }
}

impl Iterator for Union<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while let Some(Reverse((v, l))) = self.heap.pop() {
            if let (Some(pos), Some(list)) = (self.pos.get_mut(l), self.lists.get(l)) {
                *pos += 1;
                if let Some(&next) = list.get(*pos) {
                    self.heap.push(Reverse((next, l)));
                }
            }
            if self.last != Some(v) {
                self.last = Some(v);
                return Some(v);
            }
        }
        None
    }
}

/// The statements that may cover others, of one effect, indexed.
#[derive(Default)]
struct Index {
    /// By catalog action.
    holders: HashMap<usize, Vec<usize>>,
    /// With a `*` action.
    stars: Vec<usize>,
    all: Vec<usize>,
    /// Without a Resource element (they cover every resource).
    no_resource: Vec<usize>,
    /// By distinct resource pattern.
    resource_owners: HashMap<usize, Vec<usize>>,
}

/// Combines two answers of an "and".
fn and(a: Cover, b: impl FnOnce() -> Cover) -> Cover {
    match a {
        Cover::Yes => b(),
        other => other,
    }
}

impl<'c, 'p> Linter<'c, 'p> {
    pub(super) fn cross_statements(&mut self, infos: &[Option<StmtActions<'c>>]) {
        let policy: &'p crate::engine::Policy = self.policy;
        let sts = &policy.statements;
        if sts.len() < 2 {
            return;
        }
        let vars = self.variables;
        // Statements that take part, by position in `sides`.
        let sides: Vec<Side<'_, 'c>> = sts
            .iter()
            .zip(infos)
            .filter_map(|(st, info)| {
                let info = info.as_ref().filter(|_| plain(st))?;
                Some(Side {
                    st,
                    info,
                    allow: is_allow(st),
                    coverer: st.conditions.is_empty(),
                    actions: OnceCell::new(),
                    resources: st.resource.as_ref().map(|r| {
                        r.patterns
                            .iter()
                            .map(|p| Pattern::new(&p.text, false, vars))
                            .collect()
                    }),
                    principals: st.principal.as_ref().map(|p| {
                        p.entries
                            .iter()
                            .map(|e| (e.kind, e.text.as_str()))
                            .collect()
                    }),
                    public: st.principal.as_ref().and_then(public_entry).is_some(),
                    ids: info.actions.iter().map(|a| a.index()).collect(),
                })
            })
            .collect();
        // The coverers, per effect (0: Deny, 1: Allow), by action and by
        // resource pattern (each distinct pattern once).
        let mut index = [Index::default(), Index::default()];
        // Every resource pattern of a coverer, with its statement.
        let mut flat: Vec<(&Pattern, usize)> = Vec::new();
        for (k, s) in sides.iter().enumerate() {
            if !s.coverer {
                continue;
            }
            let Some(ix) = index.get_mut(usize::from(s.allow)) else {
                continue;
            };
            ix.all.push(k);
            if s.info.star {
                ix.stars.push(k);
            }
            for &id in &s.ids {
                ix.holders.entry(id).or_default().push(k);
            }
            match &s.resources {
                None => ix.no_resource.push(k),
                Some(res) => flat.extend(res.iter().map(|p| (p, k))),
            }
        }
        let resource_index = CoverIndex::new(flat.iter().map(|(p, _)| *p));
        for (p, k) in &flat {
            let (Some(id), Some(s)) = (resource_index.first_same(p), sides.get(*k)) else {
                continue;
            };
            let Some(ix) = index.get_mut(usize::from(s.allow)) else {
                continue;
            };
            let owners = ix.resource_owners.entry(id).or_default();
            if owners.last() != Some(k) {
                owners.push(*k);
            }
        }
        let meter = Meter::new(MAX_STATEMENT_COMPARISONS);
        let mut found: Vec<Draft> = Vec::new();
        'statements: for (ka, a) in sides.iter().enumerate() {
            // The distinct resource patterns that may cover a's first one.
            let first_resource = a.resources.as_ref().and_then(|r| r.first());
            let resource_ids: Vec<usize> = first_resource.map_or_else(Vec::new, |p| {
                let mut ids = resource_index.wild_candidates(p);
                ids.extend(resource_index.first_same(p));
                ids
            });
            if !meter.charge(1 + (a.ids.len() as u64 + resource_ids.len() as u64) / 16) {
                self.limit_hit(Limit::StatementPairs, statement_span(a.st), Some(a.st));
                break;
            }
            // An Allow looks for a shadowing Deny first, then for a covering
            // Allow; a Deny for a covering Deny.
            let passes: &[bool] = if a.allow { &[false, true] } else { &[false] };
            let mut result: Option<(usize, bool)> = None; // (kb, shadowed)
            for &b_allow in passes {
                let Some(ix) = index.get(usize::from(b_allow)) else {
                    continue;
                };
                let shadow = a.allow && !b_allow;
                let by_action: Vec<&[usize]> = if a.info.star {
                    vec![&ix.stars]
                } else {
                    match a
                        .ids
                        .iter()
                        .map(|id| ix.holders.get(id).map_or(&[][..], Vec::as_slice))
                        .min_by_key(|h| h.len())
                    {
                        Some(h) => vec![&ix.stars, h],
                        None => vec![&ix.all],
                    }
                };
                let candidates = if first_resource.is_some() {
                    let mut by_resource: Vec<&[usize]> = vec![&ix.no_resource];
                    by_resource.extend(
                        resource_ids
                            .iter()
                            .filter_map(|id| ix.resource_owners.get(id).map(Vec::as_slice)),
                    );
                    let count = |lists: &[&[usize]]| lists.iter().map(|l| l.len()).sum::<usize>();
                    if count(&by_resource) < count(&by_action) {
                        Union::new(by_resource)
                    } else {
                        Union::new(by_action)
                    }
                } else {
                    Union::new(by_action)
                };
                for kb in candidates {
                    if ka == kb {
                        continue;
                    }
                    let Some(b) = sides.get(kb) else { continue };
                    if !meter.charge(1) {
                        self.limit_hit(Limit::StatementPairs, statement_span(a.st), Some(a.st));
                        break 'statements;
                    }
                    let b_covers_a = and(self.covers_resources(b, a), || {
                        and(covers_principals(b, a, &meter), || {
                            self.covers_actions(b, a, &meter)
                        })
                    });
                    match b_covers_a {
                        Cover::Yes => {}
                        Cover::No => continue,
                        Cover::TooComplex => {
                            self.too_complex(a.st, &meter);
                            continue;
                        }
                    }
                    if !shadow && a.st.conditions.is_empty() && ka < kb {
                        // mutual cover between unconditional statements: report the later one
                        let mutual = and(self.covers_resources(a, b), || {
                            and(covers_principals(a, b, &meter), || {
                                self.covers_actions(a, b, &meter)
                            })
                        });
                        match mutual {
                            Cover::Yes => continue,
                            Cover::No => {}
                            Cover::TooComplex => {
                                self.too_complex(a.st, &meter);
                                continue;
                            }
                        }
                    }
                    result = Some((kb, shadow));
                    break;
                }
                if result.is_some() {
                    break;
                }
            }
            let Some((kb, shadow)) = result else { continue };
            let Some(b) = sides.get(kb) else { continue };
            let draft = if shadow {
                Draft::new(
                    F::ShadowedStatement,
                    statement_span(a.st),
                    format!(
                        "{} never grants anything: the unconditional Deny in {} covers all its actions and resources, and an explicit Deny always wins",
                        describe(a.st),
                        describe(b.st)
                    ),
                )
                .hint("narrow the Deny (add a condition or exclude these actions or resources), or remove the Allow")
            } else {
                Draft::new(
                    F::RedundantStatement,
                    statement_span(a.st),
                    format!(
                        "{} is redundant: {} already {} every action on every resource it covers, without conditions",
                        describe(a.st),
                        describe(b.st),
                        if a.allow { "allows" } else { "denies" }
                    ),
                )
                .hint("remove it, or merge the two statements")
            };
            found.push(draft.of(a.st).related(statement_span(b.st)));
        }
        for d in found {
            self.emit(d);
        }
    }

    /// Notes which budget an undecided comparison ran into.
    fn too_complex(&mut self, st: &Statement, meter: &Meter) {
        let limit = if meter.exhausted() {
            Limit::StatementPairs
        } else {
            Limit::Containment
        };
        self.limit_hit(limit, statement_span(st), Some(st));
    }

    /// Every action `inner` covers is covered by `outer`: pattern by pattern,
    /// either a pattern of `outer` contains it, or the catalog actions it
    /// matches are all matched by `outer`.
    fn covers_actions(&self, outer: &Side<'_, 'c>, inner: &Side<'_, 'c>, meter: &Meter) -> Cover {
        if outer.info.star {
            return Cover::Yes;
        }
        for (p, expanded) in inner.action_patterns().iter().zip(&inner.info.per_pattern) {
            let mut answer = Cover::No;
            for q in outer.action_patterns() {
                match covers(q, p, &self.containment) {
                    Cover::Yes => {
                        answer = Cover::Yes;
                        break;
                    }
                    Cover::No => {}
                    Cover::TooComplex => answer = Cover::TooComplex,
                }
                if self.containment.exhausted() {
                    return Cover::TooComplex;
                }
            }
            if answer == Cover::Yes {
                continue;
            }
            match expanded.list() {
                Some(list) if !list.is_empty() => {
                    if !meter.charge(list.len() as u64 / 16) {
                        return Cover::TooComplex;
                    }
                    if !list
                        .iter()
                        .all(|a| outer.ids.binary_search(&a.index()).is_ok())
                    {
                        // (No, unless an undecided pattern test might have said yes.)
                        return answer;
                    }
                }
                _ => return answer,
            }
        }
        Cover::Yes
    }

    fn covers_resources(&self, outer: &Side<'_, 'c>, inner: &Side<'_, 'c>) -> Cover {
        let (o, i) = match (&outer.resources, &inner.resources) {
            (None, _) => return Cover::Yes,
            (Some(_), None) => {
                let star =
                    outer.st.resource.as_ref().is_some_and(|r| {
                        r.patterns.iter().any(|p| crate::text::is_all_star(&p.text))
                    });
                return if star { Cover::Yes } else { Cover::No };
            }
            (Some(o), Some(i)) => (o, i),
        };
        for p in i {
            let mut answer = Cover::No;
            for q in o {
                match covers(q, p, &self.containment) {
                    Cover::Yes => {
                        answer = Cover::Yes;
                        break;
                    }
                    Cover::No => {}
                    Cover::TooComplex => answer = Cover::TooComplex,
                }
                if self.containment.exhausted() {
                    return Cover::TooComplex;
                }
            }
            if answer != Cover::Yes {
                return answer;
            }
        }
        Cover::Yes
    }
}

fn covers_principals(outer: &Side<'_, '_>, inner: &Side<'_, '_>, meter: &Meter) -> Cover {
    match (&outer.principals, &inner.principals) {
        (None, None) => Cover::Yes,
        (None, Some(_)) | (Some(_), None) => Cover::No,
        (Some(o), Some(i)) => {
            if outer.public {
                return Cover::Yes;
            }
            if !meter.charge(i.len() as u64 / 16) {
                return Cover::TooComplex;
            }
            if i.iter().all(|e| o.contains(e)) {
                Cover::Yes
            } else {
                Cover::No
            }
        }
    }
}
