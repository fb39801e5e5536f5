//! Least-privilege summary: which access levels of which services a set of
//! statements grants, fully or partly.

use crate::{AccessLevel, ActionRef, Catalog};
use serde::{Deserialize, Serialize};

/// The action part of one policy statement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementActions {
    /// `"Effect": "Allow"` (true) or `"Deny"` (false).
    pub allow: bool,
    /// The patterns come from `NotAction` rather than `Action`: the statement
    /// covers every catalog action that matches none of them.
    pub not_action: bool,
    /// Action patterns (`"s3:Get*"`, `"*"`), case-insensitive.
    pub patterns: Vec<String>,
}

/// How much of one access level of a service is granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Coverage {
    /// Every action of that level in the service.
    Full,
    /// Some but not all.
    Partial,
}

/// One access level of a [`ServiceSummary`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LevelSummary {
    pub level: AccessLevel,
    pub coverage: Coverage,
    /// Granted actions that have this level.
    pub granted: usize,
    /// All actions of the service that have this level.
    pub total: usize,
}

/// What a policy grants in one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    pub prefix: String,
    pub name: String,
    pub granted_actions: usize,
    pub total_actions: usize,
    /// Levels with at least one granted action, in [`AccessLevel::ALL`]
    /// order. An action with a combined level ("Tagging, Write") counts
    /// toward each of its levels.
    pub levels: Vec<LevelSummary>,
}

impl ServiceSummary {
    /// The summary of one level, if anything of that level is granted.
    pub fn level(&self, level: AccessLevel) -> Option<&LevelSummary> {
        self.levels.iter().find(|l| l.level == level)
    }
}

/// Fixed-size bit set over action indices.
struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    fn new(len: usize) -> Self {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
        }
    }

    fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    fn fill(&mut self) {
        self.words.iter_mut().for_each(|w| *w = u64::MAX);
        self.trim();
    }

    fn invert(&mut self) {
        self.words.iter_mut().for_each(|w| *w = !*w);
        self.trim();
    }

    fn trim(&mut self) {
        let rem = self.len % 64;
        if rem != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << rem) - 1;
            }
        }
    }

    fn union(&mut self, other: &Bits) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= *b);
    }

    fn subtract(&mut self, other: &Bits) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= !*b);
    }
}

impl Catalog {
    fn statement_bits(&self, st: &StatementActions) -> Bits {
        let mut bits = Bits::new(self.actions.len());
        for p in &st.patterns {
            if p == "*" {
                bits.fill();
                break;
            }
            self.for_each_match(p, |i| bits.set(i));
        }
        if st.not_action {
            bits.invert();
        }
        bits
    }

    fn granted_bits(&self, statements: &[StatementActions]) -> Bits {
        let mut allowed = Bits::new(self.actions.len());
        let mut denied = Bits::new(self.actions.len());
        for st in statements {
            let bits = self.statement_bits(st);
            if st.allow {
                allowed.union(&bits);
            } else {
                denied.union(&bits);
            }
        }
        allowed.subtract(&denied);
        allowed
    }

    /// The catalog actions that `statements` allow and do not deny (every
    /// Deny is treated as unconditional), in catalog order.
    pub fn granted_actions(&self, statements: &[StatementActions]) -> Vec<ActionRef<'_>> {
        let granted = self.granted_bits(statements);
        (0..self.actions.len())
            .filter(|&i| granted.get(i))
            .filter_map(|i| self.action_ref(i))
            .collect()
    }

    /// Per service, which access levels `statements` grant fully or partly.
    /// Allow statements add actions, Deny statements remove them (treated as
    /// unconditional); `NotAction` statements cover the complement of their
    /// patterns. Only services with at least one granted action are listed,
    /// sorted by prefix.
    pub fn summarize(&self, statements: &[StatementActions]) -> Vec<ServiceSummary> {
        let granted = self.granted_bits(statements);
        let mut out = Vec::new();
        for svc in &self.services {
            let mut total = [0usize; 5];
            let mut got = [0usize; 5];
            let mut granted_actions = 0;
            let Some(actions) = self.actions.get(svc.actions.clone()) else {
                continue;
            };
            for (offset, a) in actions.iter().enumerate() {
                let hit = granted.get(svc.actions.start + offset);
                granted_actions += usize::from(hit);
                let bits = a.levels.bits();
                for (i, (t, g)) in total.iter_mut().zip(got.iter_mut()).enumerate() {
                    if bits & (1 << i) != 0 {
                        *t += 1;
                        *g += usize::from(hit);
                    }
                }
            }
            if granted_actions == 0 {
                continue;
            }
            let levels = AccessLevel::ALL
                .into_iter()
                .zip(total.into_iter().zip(got))
                .filter(|&(_, (_, g))| g > 0)
                .map(|(level, (t, g))| LevelSummary {
                    level,
                    coverage: if g == t {
                        Coverage::Full
                    } else {
                        Coverage::Partial
                    },
                    granted: g,
                    total: t,
                })
                .collect();
            out.push(ServiceSummary {
                prefix: svc.prefix.clone(),
                name: svc.name.clone(),
                granted_actions,
                total_actions: actions.len(),
                levels,
            });
        }
        out
    }
}
