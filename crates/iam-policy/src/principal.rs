//! Who makes a request, and how a `Principal` / `NotPrincipal` element of a
//! resource-based policy matches them.

use crate::arn::Arn;
use crate::policy::{Effect, PrincipalElement, PrincipalType};
use crate::span::Span;
use serde::Serialize;

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "type"
)]
pub enum Principal {
    /// An unauthenticated caller.
    Anonymous,
    /// An AWS service, such as `ec2.amazonaws.com`.
    Service { name: String },
    /// The account root user.
    Root { account: String, partition: String },
    User {
        account: String,
        partition: String,
        arn: String,
        name: String,
    },
    /// An IAM role ARN given as the caller. A role never calls AWS itself
    /// (it has no long-term credentials; its sessions do), so the engine
    /// evaluates the request as one of its sessions and says so.
    Role {
        account: String,
        partition: String,
        arn: String,
        name: String,
        service_linked: bool,
    },
    /// A role session: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        account: String,
        partition: String,
        arn: String,
        role_name: String,
        session_name: String,
        service_linked: bool,
    },
    /// A federated user session: `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        account: String,
        partition: String,
        arn: String,
        name: String,
    },
    /// A web identity or SAML provider (the caller of AssumeRoleWith…).
    FederatedProvider { provider: String },
}

/// Why a principal string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrincipalError {
    pub message: String,
    pub hint: String,
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| c.is_ascii_digit())
}

const WEB_IDENTITY_PROVIDERS: [&str; 4] = [
    "cognito-identity.amazonaws.com",
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
];

impl Principal {
    /// Reads a principal as the scenario format writes it: an IAM ARN, an
    /// assumed-role ARN, a service principal, or `anonymous`.
    pub fn parse(text: &str) -> Result<Principal, PrincipalError> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("anonymous") || t == "*" {
            return Ok(Principal::Anonymous);
        }
        if WEB_IDENTITY_PROVIDERS.contains(&t) {
            return Ok(Principal::FederatedProvider {
                provider: t.to_string(),
            });
        }
        if !t.starts_with("arn:") {
            if t.ends_with(".amazonaws.com") || t.ends_with(".amazonaws.com.cn") {
                return Ok(Principal::Service {
                    name: t.to_string(),
                });
            }
            if is_account_id(t) {
                return Ok(Principal::Root {
                    account: t.to_string(),
                    partition: "aws".to_string(),
                });
            }
            return Err(PrincipalError {
                message: format!("\"{t}\" is not a principal"),
                hint: "write an IAM ARN (arn:aws:iam::111122223333:user/alice), an assumed-role ARN (arn:aws:sts::111122223333:assumed-role/Role/session), a service principal (ec2.amazonaws.com) or \"anonymous\"".to_string(),
            });
        }
        let bad = || {
            PrincipalError {
            message: format!("\"{t}\" is not an IAM or STS principal ARN"),
            hint: "principal ARNs look like arn:aws:iam::111122223333:user/alice, …:role/Name, …:root, or arn:aws:sts::111122223333:assumed-role/Name/session".to_string(),
        }
        };
        let a = Arn::parse(t).ok_or_else(bad)?;
        let account = a.account.to_string();
        let partition = a.partition.to_string();
        let arn = t.to_string();
        let last = |r: &str| r.rsplit('/').next().unwrap_or(r).to_string();
        match a.service {
            "iam" => {
                if a.resource == "root" {
                    Ok(Principal::Root { account, partition })
                } else if let Some(r) = a.resource.strip_prefix("user/") {
                    Ok(Principal::User {
                        account,
                        partition,
                        arn,
                        name: last(r),
                    })
                } else if let Some(r) = a.resource.strip_prefix("role/") {
                    Ok(Principal::Role {
                        account,
                        partition,
                        arn,
                        name: last(r),
                        service_linked: r.starts_with("aws-service-role/"),
                    })
                } else if a.resource.starts_with("saml-provider/")
                    || a.resource.starts_with("oidc-provider/")
                {
                    Ok(Principal::FederatedProvider { provider: arn })
                } else {
                    Err(bad())
                }
            }
            "sts" => {
                if let Some(r) = a.resource.strip_prefix("assumed-role/") {
                    let (role, session) = r.split_once('/').ok_or_else(bad)?;
                    Ok(Principal::AssumedRole {
                        account,
                        partition,
                        arn,
                        role_name: role.to_string(),
                        session_name: session.to_string(),
                        service_linked: role.starts_with("AWSServiceRoleFor"),
                    })
                } else if let Some(r) = a.resource.strip_prefix("federated-user/") {
                    Ok(Principal::FederatedUser {
                        account,
                        partition,
                        arn,
                        name: r.to_string(),
                    })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
    }

    /// The account the caller belongs to (None for anonymous callers,
    /// services and identity providers).
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Root { account, .. }
            | Principal::User { account, .. }
            | Principal::Role { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::FederatedUser { account, .. } => Some(account),
            _ => None,
        }
    }

    /// The caller's own ARN.
    pub fn arn(&self) -> Option<String> {
        match self {
            Principal::Root { account, partition } => {
                Some(format!("arn:{partition}:iam::{account}:root"))
            }
            Principal::User { arn, .. }
            | Principal::Role { arn, .. }
            | Principal::AssumedRole { arn, .. }
            | Principal::FederatedUser { arn, .. } => Some(arn.clone()),
            Principal::FederatedProvider { provider } => Some(provider.clone()),
            Principal::Service { name } => Some(name.clone()),
            Principal::Anonymous => None,
        }
    }

    /// Callers whose identity-based policies exist (IAM users, roles and
    /// their sessions, federated users, the root user).
    pub fn is_iam_identity(&self) -> bool {
        self.account().is_some()
    }

    pub fn is_service_linked_role(&self) -> bool {
        matches!(
            self,
            Principal::Role {
                service_linked: true,
                ..
            } | Principal::AssumedRole {
                service_linked: true,
                ..
            }
        )
    }

    /// Sessions carry a session policy (a role ARN given as the caller is
    /// read as a session of that role).
    pub fn is_session(&self) -> bool {
        matches!(
            self,
            Principal::AssumedRole { .. }
                | Principal::FederatedUser { .. }
                | Principal::Role { .. }
        )
    }
}

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
    pub written: String,
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_principals() {
        let p = Principal::parse("arn:aws:sts::111122223333:assumed-role/Admin/alice").unwrap();
        assert_eq!(p.account(), Some("111122223333"));
        assert!(p.is_session());
        assert_eq!(Principal::parse("anonymous").unwrap(), Principal::Anonymous);
        assert!(matches!(
            Principal::parse("ec2.amazonaws.com").unwrap(),
            Principal::Service { .. }
        ));
        assert!(Principal::parse("alice").is_err());
        let slr = Principal::parse("arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder").unwrap();
        assert!(slr.is_service_linked_role());
    }

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
