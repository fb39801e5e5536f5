//! Who makes a request: the caller as an ARN (or a service, or anonymous),
//! read into its parts.

use crate::pattern::Arn;
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

#[cfg(test)]
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
}
