//! How a `Principal` / `NotPrincipal` element of a resource-based policy
//! matches the caller.

use crate::ast::policy::{Effect, PrincipalElement, PrincipalType};
use crate::pattern::Arn;
use crate::request::principal::{is_account_id, Principal};
use crate::span::Span;
use crate::syntax::text::Text;
use serde::Serialize;

/// How a Principal entry matched the caller. The kind matters for
/// same-account evaluation: a grant to a role's ARN still needs the role's
/// permissions boundary and session policy, while a grant to the session
/// itself does not; a grant to the account delegates to identity policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GrantKind {
    /// The account (`111122223333` or `arn:aws:iam::111122223333:root`):
    /// the account's identity policies must also allow.
    Account,
    /// The role whose session is calling (the role ARN).
    Role,
    /// The caller exactly (user, session, federated user, service, `*`).
    Direct,
}

/// How one Principal entry compared with the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalEntryTrace {
    pub principal_type: PrincipalType,
    pub written: Text,
    pub span: Span,
    /// None when it does not match the caller.
    pub grant: Option<GrantKind>,
}

/// Compares one Principal entry with the caller.
pub fn match_entry(kind: PrincipalType, written: &str, p: &Principal) -> Option<GrantKind> {
    match kind {
        PrincipalType::Everyone => Some(GrantKind::Direct),
        PrincipalType::Aws => {
            if written == "*" {
                return Some(GrantKind::Direct);
            }
            let account = p.account()?;
            if is_account_id(written) {
                return (written == account).then_some(GrantKind::Account);
            }
            let a = Arn::parse(written)?;
            if a.account != account {
                return None;
            }
            if a.service == "iam" && a.resource == "root" {
                return match p {
                    Principal::Root { .. } => Some(GrantKind::Direct),
                    _ => Some(GrantKind::Account),
                };
            }
            match p {
                Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => {
                    (written == arn).then_some(GrantKind::Direct)
                }
                // a role ARN caller stands for a session of the role: a
                // grant to the role ARN is limited by its boundary and
                // session policy
                Principal::Role { arn, .. } => (written == arn).then_some(GrantKind::Role),
                Principal::AssumedRole { arn, role_name, .. } => {
                    if written == arn {
                        Some(GrantKind::Direct)
                    } else if a.service == "iam" {
                        let r = a.resource.strip_prefix("role/")?;
                        (r.rsplit('/').next() == Some(role_name.as_str()))
                            .then_some(GrantKind::Role)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        PrincipalType::Service => match p {
            Principal::Service { name } => name
                .eq_ignore_ascii_case(written)
                .then_some(GrantKind::Direct),
            _ => None,
        },
        PrincipalType::Federated => match p {
            Principal::FederatedProvider { provider } => {
                (provider == written).then_some(GrantKind::Direct)
            }
            _ => None,
        },
        PrincipalType::CanonicalUser => None,
    }
}

/// The caller's identities as a NotPrincipal may list them: its own ARN,
/// its role (for a session), its account.
struct Listed {
    own: bool,
    role: bool,
    account: bool,
}

fn listed_identities(el: &PrincipalElement, p: &Principal) -> Option<Listed> {
    let any = |pred: &dyn Fn(PrincipalType, &str) -> bool| {
        el.entries.iter().any(|e| pred(e.kind, &e.text))
    };
    let account = p.account()?;
    // {"AWS": "*"} lists every principal
    let everyone =
        any(&|k, t| t == "*" && matches!(k, PrincipalType::Aws | PrincipalType::Everyone));
    let role_name = match p {
        Principal::AssumedRole { role_name, .. } => Some(role_name.as_str()),
        Principal::Role { name, .. } => Some(name.as_str()),
        _ => None,
    };
    let own_arn = p.arn().unwrap_or_default();
    Some(Listed {
        own: everyone
            || matches!(p, Principal::Root { .. })
            || any(&|k, t| k == PrincipalType::Aws && t == own_arn),
        role: everyone
            || role_name.is_some_and(|role| {
                any(&|k, t| {
                    k == PrincipalType::Aws
                        && Arn::parse(t).is_some_and(|a| {
                            a.account == account
                                && a.resource
                                    .strip_prefix("role/")
                                    .and_then(|r| r.rsplit('/').next())
                                    == Some(role)
                        })
                })
            }),
        account: everyone
            || any(&|k, t| {
                k == PrincipalType::Aws
                    && (t == account
                        || Arn::parse(t)
                            .is_some_and(|a| a.account == account && a.resource == "root"))
            }),
    })
}

/// Whether a NotPrincipal leaves the caller out.
///
/// - With `Deny` (IAM User Guide, NotPrincipal): the list must name the
///   caller's account and the caller (for a role session: the session, the
///   role and the account) — "you must also specify the account ARN of the
///   not-denied principal". And "the NotPrincipal element with a Deny effect
///   will always deny any IAM principal that has a permissions boundary
///   policy attached, regardless of the values specified in the NotPrincipal
///   element".
/// - With `Allow` ("not supported", but stored by older policies): the
///   statement allows every principal except those listed, so the caller is
///   left out when any of its identities (its ARN, its role, its account) is
///   listed.
fn not_principal_excludes(
    el: &PrincipalElement,
    p: &Principal,
    effect: Option<Effect>,
    caller_has_boundary: bool,
) -> bool {
    let listed = |pred: &dyn Fn(PrincipalType, &str) -> bool| {
        el.entries.iter().any(|e| pred(e.kind, &e.text))
    };
    match p {
        Principal::Anonymous => {
            listed(&|k, t| k == PrincipalType::Everyone || (k == PrincipalType::Aws && t == "*"))
        }
        Principal::Service { name } => {
            listed(&|k, t| k == PrincipalType::Service && t.eq_ignore_ascii_case(name))
        }
        Principal::FederatedProvider { provider } => {
            listed(&|k, t| k == PrincipalType::Federated && t == provider)
        }
        _ => {
            let Some(l) = listed_identities(el, p) else {
                return false;
            };
            if effect == Some(Effect::Allow) {
                return l.own || l.role || l.account;
            }
            if caller_has_boundary {
                return false;
            }
            let session_role = !matches!(p, Principal::AssumedRole { .. }) || l.role;
            l.account && l.own && session_role
        }
    }
}

/// How a statement's Principal or NotPrincipal compared with the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalTrace {
    pub negated: bool,
    pub key_span: Span,
    pub entries: Vec<PrincipalEntryTrace>,
    /// Whether the element covers the caller.
    pub matched: bool,
    /// The strongest grant among matching entries (Principal only).
    pub grant: Option<GrantKind>,
    /// NotPrincipal with Deny and a caller with a permissions boundary: AWS
    /// always denies such a caller, whatever the list names.
    pub boundary_denies: bool,
}

/// What principal matching needs besides the element and the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalScope {
    /// The statement's effect (NotPrincipal reads differently with Allow).
    pub effect: Option<Effect>,
    /// The caller is an IAM user or role session with a permissions
    /// boundary attached.
    pub caller_has_boundary: bool,
}

/// How a Principal/NotPrincipal element covers the caller, without a trace
/// (None: it does not). Agrees with [`match_element`].
pub fn principal_grant(
    el: &PrincipalElement,
    p: &Principal,
    scope: PrincipalScope,
) -> Option<GrantKind> {
    if el.negated {
        (!not_principal_excludes(el, p, scope.effect, scope.caller_has_boundary))
            .then_some(GrantKind::Direct)
    } else {
        el.entries
            .iter()
            .filter_map(|e| match_entry(e.kind, &e.text, p))
            .max()
    }
}

pub fn match_element(
    el: &PrincipalElement,
    p: &Principal,
    scope: PrincipalScope,
) -> PrincipalTrace {
    let entries: Vec<PrincipalEntryTrace> = el
        .entries
        .iter()
        .map(|e| PrincipalEntryTrace {
            principal_type: e.kind,
            written: e.text.clone(),
            span: e.span,
            grant: match_entry(e.kind, &e.text, p),
        })
        .collect();
    let boundary_denies = el.negated
        && scope.effect != Some(Effect::Allow)
        && scope.caller_has_boundary
        && p.is_iam_identity();
    let (matched, grant) = if el.negated {
        let excluded = not_principal_excludes(el, p, scope.effect, scope.caller_has_boundary);
        (!excluded, (!excluded).then_some(GrantKind::Direct))
    } else {
        let g = entries.iter().filter_map(|e| e.grant).max();
        (g.is_some(), g)
    };
    PrincipalTrace {
        negated: el.negated,
        key_span: el.key_span,
        entries,
        matched,
        grant,
        boundary_denies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants() {
        let s = Principal::parse("arn:aws:sts::111122223333:assumed-role/Admin/alice").unwrap();
        assert_eq!(
            match_entry(
                PrincipalType::Aws,
                "arn:aws:iam::111122223333:role/Admin",
                &s
            ),
            Some(GrantKind::Role)
        );
        assert_eq!(
            match_entry(
                PrincipalType::Aws,
                "arn:aws:iam::111122223333:role/team/Admin",
                &s
            ),
            Some(GrantKind::Role)
        );
        assert_eq!(
            match_entry(
                PrincipalType::Aws,
                "arn:aws:sts::111122223333:assumed-role/Admin/alice",
                &s
            ),
            Some(GrantKind::Direct)
        );
        assert_eq!(
            match_entry(PrincipalType::Aws, "111122223333", &s),
            Some(GrantKind::Account)
        );
        assert_eq!(
            match_entry(PrincipalType::Aws, "arn:aws:iam::111122223333:root", &s),
            Some(GrantKind::Account)
        );
        assert_eq!(match_entry(PrincipalType::Aws, "444455556666", &s), None);
        assert_eq!(
            match_entry(PrincipalType::Everyone, "*", &Principal::Anonymous),
            Some(GrantKind::Direct)
        );
        assert_eq!(
            match_entry(PrincipalType::Aws, "*", &Principal::Anonymous),
            Some(GrantKind::Direct)
        );
    }
}
