//! Policy size quotas, per kind of policy.

use crate::engine::{Policy, PolicyKind};
use serde::Serialize;

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SizeUnit {
    /// Characters (Unicode scalar values).
    Characters,
    /// Bytes of the UTF-8 text.
    Bytes,
}

/// A size quota for one kind of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeLimit {
    /// The quota.
    pub max: usize,
    pub unit: SizeUnit,
    /// Whether whitespace counts toward the quota (IAM does not count it;
    /// AWS Organizations, STS session policies, S3 and VPC endpoints do).
    pub counts_whitespace: bool,
    /// Which quota this is, for messages ("managed policy", "role trust policy").
    pub label: &'static str,
}

impl SizeLimit {
    /// IAM customer managed policy: 6,144 characters, whitespace not counted.
    pub const MANAGED: SizeLimit = SizeLimit::chars(6_144, false, "IAM managed policy");
    /// Inline policies: the aggregate of all inline policies of one identity.
    pub const INLINE_USER: SizeLimit =
        SizeLimit::chars(2_048, false, "user inline policies (aggregate)");
    pub const INLINE_ROLE: SizeLimit =
        SizeLimit::chars(10_240, false, "role inline policies (aggregate)");
    pub const INLINE_GROUP: SizeLimit =
        SizeLimit::chars(5_120, false, "group inline policies (aggregate)");
    /// Role trust policy: 2,048 characters by default (an adjustable IAM
    /// quota), whitespace not counted.
    pub const TRUST: SizeLimit = SizeLimit::chars(2_048, false, "role trust policy");
    /// S3 bucket policy: 20 KB.
    pub const BUCKET: SizeLimit = SizeLimit {
        max: 20_480,
        unit: SizeUnit::Bytes,
        counts_whitespace: true,
        label: "S3 bucket policy",
    };
    /// KMS key policy: 32 KB.
    pub const KEY: SizeLimit = SizeLimit {
        max: 32_768,
        unit: SizeUnit::Bytes,
        counts_whitespace: true,
        label: "KMS key policy",
    };
    /// Session policy passed to AssumeRole*/GetFederationToken: 2,048
    /// characters of plaintext (AWS then also checks a packed size).
    pub const SESSION: SizeLimit = SizeLimit::chars(2_048, true, "session policy");
    /// SCPs and RCPs: 5,120 characters, whitespace included.
    pub const SCP: SizeLimit = SizeLimit::chars(5_120, true, "service control policy");
    pub const RCP: SizeLimit = SizeLimit::chars(5_120, true, "resource control policy");
    /// VPC endpoint policy: 20,480 characters, whitespace included.
    pub const VPC_ENDPOINT: SizeLimit = SizeLimit::chars(20_480, true, "VPC endpoint policy");

    const fn chars(max: usize, counts_whitespace: bool, label: &'static str) -> SizeLimit {
        SizeLimit {
            max,
            unit: SizeUnit::Characters,
            counts_whitespace,
            label,
        }
    }

    /// The size of `text` as this quota counts it.
    pub fn measure(&self, text: &str) -> usize {
        let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
        match (self.unit, self.counts_whitespace) {
            (SizeUnit::Characters, true) => text.chars().count(),
            (SizeUnit::Characters, false) => text.chars().filter(|c| !ws(*c)).count(),
            (SizeUnit::Bytes, true) => text.len(),
            (SizeUnit::Bytes, false) => text.chars().filter(|c| !ws(*c)).map(char::len_utf8).sum(),
        }
    }
}

/// The default quota for a kind of policy. A resource-based policy whose
/// statements only grant `sts:` actions is taken for a role trust policy
/// (2,048); any other for an S3 bucket policy (20 KB), the most common
/// resource policy. Identity-based policies and permissions boundaries use
/// the managed-policy quota; pass [`SizeLimit::INLINE_USER`] & co. through
/// [`crate::LintOptions`] for inline policies.
pub fn size_limit(kind: PolicyKind, policy: Option<&Policy>) -> SizeLimit {
    match kind {
        PolicyKind::Identity | PolicyKind::PermissionsBoundary => SizeLimit::MANAGED,
        PolicyKind::Session => SizeLimit::SESSION,
        PolicyKind::Scp => SizeLimit::SCP,
        PolicyKind::Rcp => SizeLimit::RCP,
        PolicyKind::VpcEndpoint => SizeLimit::VPC_ENDPOINT,
        PolicyKind::Resource => match policy {
            Some(p) if is_trust_policy(p) => SizeLimit::TRUST,
            _ => SizeLimit::BUCKET,
        },
    }
}

/// Every statement's actions are `sts:` actions (AssumeRole*, TagSession, …).
pub(crate) fn is_trust_policy(p: &Policy) -> bool {
    let mut any = false;
    for st in &p.statements {
        let Some(a) = &st.action else { continue };
        if a.negated {
            return false;
        }
        for pat in &a.patterns {
            if !pat
                .text
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("sts:"))
            {
                return false;
            }
            any = true;
        }
    }
    any
}
