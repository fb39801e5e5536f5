//! Checks of the Principal element: public access in resource-based and
//! trust policies.

use super::{is_allow, Draft, Linter};
use crate::engine::{PolicyKind, Span, Statement};
use crate::engine::{PrincipalElement, PrincipalType};
use crate::FindingCode as F;

/// The span of a `"*"` / `{"AWS": "*"}` entry of a Principal element.
pub(super) fn public_entry(p: &PrincipalElement) -> Option<Span> {
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

impl Linter<'_, '_> {
    /// `"Principal": "*"` allowed without a condition.
    pub(super) fn public_principal(&mut self, st: &Statement) {
        if self.kind != PolicyKind::Resource || !is_allow(st) || !st.conditions.is_empty() {
            return;
        }
        let Some(entry) = st.principal.as_ref().and_then(public_entry) else {
            return;
        };
        let trust = st.action.as_ref().is_some_and(|a| {
            !a.negated
                && !a.patterns.is_empty()
                && a.patterns.iter().all(|p| {
                    p.text
                        .get(..4)
                        .is_some_and(|s| s.eq_ignore_ascii_case("sts:"))
                })
        });
        let draft = if trust {
            Draft::new(
                F::PublicAssumeRole,
                entry,
                "this trust policy lets any AWS principal, in any account, assume the role",
            )
            .hint("name the trusted accounts, roles or services in Principal, or add a condition such as aws:PrincipalOrgID or sts:ExternalId")
        } else {
            Draft::new(
                F::PublicPrincipalWithoutCondition,
                entry,
                "\"Principal\": \"*\" with Allow and no condition grants access to everyone, anonymous callers included",
            )
            .hint("name the principals, or restrict with a condition such as aws:PrincipalOrgID, aws:SourceVpce or aws:SourceArn")
        };
        self.emit(draft.of(st));
    }
}
