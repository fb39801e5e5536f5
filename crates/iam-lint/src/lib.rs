//! # iam-lint
//!
//! Offline validation of AWS IAM policies in the categories of IAM Access
//! Analyzer's policy checks (error, security warning, warning, suggestion),
//! each finding with a position and a fix hint; plus the least-privilege
//! views: a per-service summary of the access levels a policy grants (like
//! the IAM console's policy summary) and the expansion of wildcard actions.
//!
//! Built on the `iam-policy` engine (parsing with positions, its own
//! grammar diagnostics, which [`lint`] includes) and the `iam-catalog`
//! service authorization data. No I/O; fast enough to run on every
//! keystroke.
//!
//! ```
//! use iam_catalog::Catalog;
//! use iam_lint::{lint, Category, FindingCode};
//! use iam_policy::PolicyKind;
//! let report = lint(r#"{"Version": "2012-10-17", "Statement": [
//!   {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}]}"#,
//!   PolicyKind::Identity, Catalog::embedded());
//! let f = &report.findings[0];
//! assert_eq!(f.code, FindingCode::UnknownAction);
//! assert_eq!(f.category, Category::Error);
//! assert_eq!((f.span.start.line, f.span.start.column), (2, 33));
//! assert!(f.hint.as_deref().unwrap_or("").contains("s3:GetObject"));
//! ```

mod checks;
mod engine;
pub mod limits;
mod size;
mod summary;
mod text;

pub use size::{size_limit, SizeLimit, SizeUnit};
pub use summary::{
    expand, expand_statement, summary, try_summary, ExpandedAction, LevelSummary, ServiceSummary,
    SUMMARY_BUDGET,
};

use iam_catalog::Catalog;
use iam_policy::{parse_policy_as, DiagnosticCode, ParsedPolicy, PolicyKind, Severity, Span};
use serde::{Serialize, Serializer};

/// How serious a finding is: Access Analyzer's four finding types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    /// The policy is invalid, or a part of it can never work (unknown
    /// action, key or ARN field, size over the quota).
    Error,
    /// The policy grants more access than it probably should.
    SecurityWarning,
    /// The policy probably does not work as intended.
    Warning,
    /// It works, but could be simpler or tighter.
    Suggestion,
}

impl Category {
    /// Lower-case words, for text output ("security warning").
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Error => "error",
            Category::SecurityWarning => "security warning",
            Category::Warning => "warning",
            Category::Suggestion => "suggestion",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $category:ident;)*) => {
        /// What a finding is about. Serialized as a stable kebab-case name;
        /// the engine's own diagnostics keep their engine code
        /// ([`FindingCode::Engine`], e.g. `invalid-json`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FindingCode {
            /// A grammar problem reported by the `iam-policy` parser.
            Engine(DiagnosticCode),
            $($(#[$doc])* $variant,)*
        }

        impl FindingCode {
            /// Every lint code (engine codes excluded), in documentation order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            /// The stable kebab-case name.
            pub fn as_str(&self) -> &'static str {
                match self {
                    FindingCode::Engine(d) => d.as_str(),
                    $(FindingCode::$variant => $name,)*
                }
            }

            /// The category a finding of this code has; `None` for the
            /// engine's diagnostics, whose category follows their severity.
            /// One code has a second category: `unsupported-tag-key` is a
            /// security warning in a Deny.
            pub fn category(&self) -> Option<Category> {
                match self {
                    FindingCode::Engine(_) => None,
                    $(FindingCode::$variant => Some(Category::$category),)*
                }
            }
        }
    };
}

codes! {
    /// The service prefix of an action is not in the catalog.
    UnknownService = "unknown-service", Error;
    /// The service exists but has no such action.
    UnknownAction = "unknown-action", Error;
    /// A wildcard action matches no action of the catalog.
    ActionMatchesNothing = "action-matches-nothing", Error;
    /// A wildcard in the service part of an action (`s*:Get*`).
    WildcardInServiceName = "wildcard-in-service-name", Warning;
    /// An action written in another case than the catalog's.
    ActionCase = "action-case", Suggestion;
    /// An action repeated, or covered by a wildcard, in the same statement.
    RedundantAction = "redundant-action", Suggestion;
    /// A literal action that only supports `"Resource": "*"` next to
    /// resources that are all specific ARNs: the action is never granted.
    ActionNeedsStarResource = "action-needs-star-resource", Warning;
    /// An ARN that fits no resource type of the statement's actions.
    ResourceMismatch = "resource-mismatch", Warning;
    /// A resource repeated, or covered by a wildcard, in the same statement.
    RedundantResource = "redundant-resource", Suggestion;
    /// `"Resource": "*"` for actions that support resource-level permissions.
    StarResource = "star-resource", Suggestion;
    /// An ARN partition that is not an AWS partition.
    InvalidArnPartition = "invalid-arn-partition", Error;
    /// An ARN region that is not a region name.
    InvalidArnRegion = "invalid-arn-region", Error;
    /// An ARN account that is not a 12-digit account ID.
    InvalidArnAccount = "invalid-arn-account", Error;
    /// An `aws:` condition key that does not exist.
    UnknownGlobalKey = "unknown-global-key", Error;
    /// A service condition key that does not exist.
    UnknownConditionKey = "unknown-condition-key", Error;
    /// A service condition key that none of the statement's actions supports.
    KeyNotForActions = "key-not-for-actions", Warning;
    /// `aws:ResourceTag`, `aws:RequestTag` or `aws:TagKeys` with actions
    /// that do not support it.
    UnsupportedTagKey = "unsupported-tag-key", Warning;
    /// A condition operator that does not fit the key's type.
    OperatorTypeMismatch = "operator-type-mismatch", Warning;
    /// A single-valued operator on a multivalued key, without a set operator.
    MissingSetOperator = "missing-set-operator", Warning;
    /// `ForAllValues:` on a single-valued key.
    ForAllValuesSingleValuedKey = "for-all-values-single-valued-key", SecurityWarning;
    /// `ForAnyValue:` on a single-valued key.
    ForAnyValueSingleValuedKey = "for-any-value-single-valued-key", Warning;
    /// `ForAllValues:` in an Allow without a Null check: true when the key is absent.
    ForAllValuesWithAllow = "for-all-values-with-allow", SecurityWarning;
    /// `...IfExists` on a negated operator, which is already true when the key is absent.
    RedundantIfExists = "redundant-if-exists", Suggestion;
    /// A `*` in a value of a StringEquals-like operator, where it is literal.
    WildcardWithoutLikeOperator = "wildcard-without-like-operator", Warning;
    /// `Bool` or `Null` given both true and false.
    MultipleBoolValues = "multiple-bool-values", Error;
    /// A private IP range in `aws:SourceIp`.
    PrivateIpInSourceIp = "private-ip-in-source-ip", Error;
    /// `aws:SourceIp` and `aws:SourceVpce`/`aws:SourceVpc` required together.
    SourceIpWithVpcCondition = "source-ip-with-vpc-condition", Warning;
    /// A Deny on `NotIpAddress aws:SourceIp` without an exception for AWS services.
    SourceIpDenyWithoutServiceException = "source-ip-deny-without-service-exception", Warning;
    /// A policy variable whose key does not exist.
    UnknownPolicyVariable = "unknown-policy-variable", Warning;
    /// A policy variable in a policy of Version 2008-10-17, where it is literal text.
    VariableWithoutVersion = "variable-without-version", Warning;
    /// Allow with NotAction.
    AllowWithNotAction = "allow-with-not-action", SecurityWarning;
    /// Allow with NotResource.
    AllowWithNotResource = "allow-with-not-resource", SecurityWarning;
    /// `iam:PassRole` allowed on every role.
    PassRoleStarResource = "pass-role-star-resource", SecurityWarning;
    /// `"Principal": "*"` allowed without a condition in a resource-based policy.
    PublicPrincipalWithoutCondition = "public-principal-without-condition", SecurityWarning;
    /// A trust policy that lets anyone assume the role.
    PublicAssumeRole = "public-assume-role", SecurityWarning;
    /// Allow `*` on `*` without a condition: full administrator access.
    FullAccess = "full-access", SecurityWarning;
    /// A statement whose permissions another statement already gives.
    RedundantStatement = "redundant-statement", Suggestion;
    /// An Allow that an unconditional Deny of the same policy fully overrides.
    ShadowedStatement = "shadowed-statement", Warning;
    /// An empty Sid.
    EmptySid = "empty-sid", Suggestion;
    /// The policy is larger than AWS's quota for its kind.
    PolicyTooLarge = "policy-too-large", Error;
    /// A check that stopped at one of the linter's work limits
    /// ([`limits`]): its findings may be missing.
    NotChecked = "not-checked", Warning;
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub category: Category,
    pub code: FindingCode,
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Where: 1-based line and column (in characters) and 0-based character
    /// offset, relative to the linted text.
    pub span: Span,
    /// Other places involved (the covering statement, the other key…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Span>,
    /// Index of the statement the finding is in, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<usize>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.span.start, self.category, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, " (fix: {h})")?;
        }
        write!(f, " [{}]", self.code)
    }
}

/// The size of the policy against its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySize {
    /// The size as the quota counts it.
    pub size: usize,
    pub limit: SizeLimit,
}

/// Everything [`lint`] found, sorted by position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintReport {
    pub findings: Vec<Finding>,
    pub size: PolicySize,
}

impl LintReport {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.category == Category::Error)
    }

    /// Number of findings of a category.
    pub fn count(&self, category: Category) -> usize {
        self.findings
            .iter()
            .filter(|f| f.category == category)
            .count()
    }
}

/// Options for [`lint_with`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LintOptions {
    /// The size quota to check; `None` picks [`size_limit`]'s default for
    /// the kind (e.g. pass [`SizeLimit::INLINE_ROLE`] for a role's inline policy).
    pub size_limit: Option<SizeLimit>,
}

/// Parses `text` as a policy of `kind` and reports every finding: the
/// engine's grammar diagnostics (errors → [`Category::Error`], warnings →
/// [`Category::Warning`]) and the catalog-based checks.
pub fn lint(text: &str, kind: PolicyKind, catalog: &Catalog) -> LintReport {
    lint_with(text, kind, catalog, &LintOptions::default())
}

/// [`lint`] with options.
pub fn lint_with(
    text: &str,
    kind: PolicyKind,
    catalog: &Catalog,
    options: &LintOptions,
) -> LintReport {
    let parsed = parse_policy_as(text, kind);
    lint_parsed(text, &parsed, kind, catalog, options)
}

/// Lints an already parsed policy (`parsed` must come from
/// `parse_policy_as(text, kind)`), so a caller that keeps the parse for
/// evaluation does not parse twice.
pub fn lint_parsed(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    catalog: &Catalog,
    options: &LintOptions,
) -> LintReport {
    lint_core(text, parsed, kind, Some(catalog), options)
}

/// What can be checked before the service catalog is loaded (a browser loads
/// it lazily): the engine's diagnostics and the size quota.
pub fn lint_without_catalog(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    options: &LintOptions,
) -> LintReport {
    lint_core(text, parsed, kind, None, options)
}

fn lint_core(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    catalog: Option<&Catalog>,
    options: &LintOptions,
) -> LintReport {
    let mut findings: Vec<Finding> = parsed
        .diagnostics
        .iter()
        .map(|d| Finding {
            category: match d.severity {
                Severity::Error => Category::Error,
                Severity::Warning => Category::Warning,
            },
            code: FindingCode::Engine(d.code),
            message: d.message.clone(),
            hint: d.hint.clone(),
            span: d.span,
            related: Vec::new(),
            statement: None,
        })
        .collect();
    let limit = options
        .size_limit
        .unwrap_or_else(|| size_limit(kind, parsed.policy.as_ref()));
    let size = PolicySize {
        size: limit.measure(text),
        limit,
    };
    if let (Some(policy), Some(catalog)) = (&parsed.policy, catalog) {
        findings.extend(checks::run(policy, kind, catalog));
    }
    if size.size > limit.max {
        let span = parsed.policy.as_ref().map_or(Span::default(), |p| p.span);
        let unit = match limit.unit {
            SizeUnit::Characters => "characters",
            SizeUnit::Bytes => "bytes",
        };
        let ws = if limit.counts_whitespace {
            ""
        } else {
            " (whitespace not counted)"
        };
        findings.push(Finding {
            category: Category::Error,
            code: FindingCode::PolicyTooLarge,
            message: format!(
                "the policy is {} {unit}{ws}, over the {} quota of {} {unit}",
                size.size, limit.label, limit.max
            ),
            hint: Some(
                "split it into several policies, merge statements with the same Effect and Resource, or use wildcards such as s3:Get*"
                    .to_string(),
            ),
            span: Span::point(span.start),
            related: Vec::new(),
            statement: None,
        });
    }
    findings.sort_by(|a, b| {
        (a.span.start, a.category, a.code.as_str()).cmp(&(
            b.span.start,
            b.category,
            b.code.as_str(),
        ))
    });
    LintReport { findings, size }
}
