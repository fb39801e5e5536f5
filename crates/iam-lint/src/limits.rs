//! The linter's work limits. Every check is linear in the policy text,
//! except those that compare things pairwise (wildcard containment,
//! statements against statements) or search the catalog; those draw on the
//! budgets below. A check that runs out reports one `not-checked` finding
//! naming the limit, instead of running for seconds: the playground lints on
//! every keystroke, and a policy is untrusted input (a pasted text, a share
//! link).
//!
//! The budgets count steps, not time, so a report is the same on every
//! machine. They are far above what real policies need: AWS's largest
//! policy quota is 32 KB (a KMS key policy); the limits only bite on inputs
//! of hundreds of kilobytes built to be slow.

use std::cell::Cell;

/// Steps of wildcard-pattern containment ("does `s3:Get*` cover
/// `s3:GetObject`?") for one lint run, shared by `redundant-action`,
/// `redundant-resource`, `redundant-statement`, `shadowed-statement` and
/// the every-role test of `pass-role-star-resource`. A step is one pair of
/// pattern positions visited, a candidate pattern considered, or 64
/// positions of the table cleared. About 40 ms of work in a release build
/// (a 300-statement policy takes about 1,000).
pub const CONTAINMENT_BUDGET: u64 = 1_000_000;

/// The largest containment table for one pair of patterns: (tokens of
/// one + 1) × (tokens of the other + 1) positions. Two ARNs of AWS's
/// 2,048-character maximum fit; a longer pair is "too complex" at once.
pub const MAX_CONTAINMENT_STATES: usize = 1 << 22;

/// Steps of the statement comparisons of `redundant-statement` and
/// `shadowed-statement`, after the index by action has set aside the pairs
/// that cannot cover each other: one per pair of statements compared, plus
/// one per 16 catalog actions or principals looked up. Enough to compare
/// every pair of a 700-statement policy.
pub const MAX_STATEMENT_COMPARISONS: u64 = 1_000_000;

/// Catalog actions looked at to expand wildcard actions (`s3:Get*` looks at
/// the 190 actions of S3, `*:Get*` at all 22,000) and listed for the
/// statements, for one lint run: about 22 whole-catalog expansions (a
/// 300-statement policy naming its services takes 20,000).
/// Checks that need a statement's actions (`action-matches-nothing`,
/// `resource-mismatch`, `star-resource`, `key-not-for-actions`,
/// `unsupported-tag-key`, `action-needs-star-resource`, the statement
/// comparisons) skip the statements whose actions were not expanded.
pub const EXPANSION_BUDGET: u64 = 500_000;

/// Steps of matching resource ARNs against the catalog's ARN formats for
/// `resource-mismatch`, for one lint run: the catalog compares an ARN with
/// each candidate format on a table of positions (one more than the ARN's
/// length times one more than the format's), so an ARN costs its length
/// times the length of the formats
/// it is compared with (those of its service, about 900 characters for S3
/// and 10,000 for EC2; all 196,000 when the service field has a wildcard).
/// Each distinct ARN is matched once; an ARN with a wildcard in its service
/// field counts four times (the catalog then explores most of each table).
/// About 50 ms of work: 6,000 distinct S3 ARNs, or 200 EC2 ARNs (a
/// 300-statement policy with 75 distinct EC2 ARNs takes half).
pub const ARN_MATCH_BUDGET: u64 = 150_000_000;

/// Names compared by "did you mean" (with a service's actions, the service
/// prefixes, the condition keys) for one lint run; once spent, unknown
/// names get a generic hint. About 30 searches among a large service's
/// actions.
pub const SUGGESTION_BUDGET: u64 = 20_000;

/// A budget drawn on through shared references (the checks borrow the
/// linter immutably while they measure).
#[derive(Debug)]
pub(crate) struct Meter {
    left: Cell<u64>,
    exhausted: Cell<bool>,
}

impl Meter {
    pub(crate) fn new(budget: u64) -> Meter {
        Meter {
            left: Cell::new(budget),
            exhausted: Cell::new(false),
        }
    }

    /// Takes `n` steps; false (and from then on exhausted) when fewer are left.
    pub(crate) fn charge(&self, n: u64) -> bool {
        let left = self.left.get();
        if self.exhausted.get() || left < n {
            self.left.set(0);
            self.exhausted.set(true);
            false
        } else {
            self.left.set(left - n);
            true
        }
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meter_stops_for_good() {
        let m = Meter::new(10);
        assert!(m.charge(4));
        assert!(m.charge(6));
        assert!(!m.exhausted());
        assert!(!m.charge(1));
        assert!(m.exhausted());
        assert!(!m.charge(0));
    }
}
