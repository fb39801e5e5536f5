//! Diagnostics: every parse and validation problem is a value with a span,
//! a machine-readable code, a message and a hint on how to fix it.

use crate::span::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    /// AWS would reject the policy, or the engine cannot evaluate it.
    Error,
    /// Valid, but probably not what was meant.
    Warning,
}

/// Would AWS store a policy with this problem, and what does the part do at
/// request time? ("Would AWS store it?" decides whether the engine decides.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DiagnosticClass {
    /// AWS refuses to store the policy (`MalformedPolicyDocument` and its
    /// kin): no request is evaluated against a layer that holds it.
    Rejected,
    /// AWS stores it, and at request time this part does nothing: the engine
    /// decides, and the trace says what the part did.
    Inert,
    /// AWS stores it and it takes effect, but probably not as meant.
    Advice,
}

impl DiagnosticClass {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticClass::Rejected => "rejected",
            DiagnosticClass::Inert => "inert",
            DiagnosticClass::Advice => "advice",
        }
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            DiagnosticClass::Rejected => "AWS rejects this policy",
            DiagnosticClass::Inert => "AWS stores it; this part does nothing",
            DiagnosticClass::Advice => "AWS stores it; probably not what was meant",
        }
    }
}

/// What kind of problem. Stable names (kebab-case) for tools and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticCode {
    InvalidJson,
    DuplicateKey,
    UnknownElement,
    MissingElement,
    ConflictingElements,
    NotAllowedHere,
    WrongType,
    EmptyValue,
    InvalidVersion,
    MissingVersion,
    InvalidEffect,
    DuplicateSid,
    InvalidSid,
    MalformedAction,
    MalformedArn,
    InvalidPrincipal,
    UnknownOperator,
    OperatorCase,
    InvalidConditionValue,
    NotPrincipalWithAllow,
    InvalidValue,
    UnknownManagedPolicy,
}

impl DiagnosticCode {
    /// The stable kebab-case name (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::InvalidJson => "invalid-json",
            DiagnosticCode::DuplicateKey => "duplicate-key",
            DiagnosticCode::UnknownElement => "unknown-element",
            DiagnosticCode::MissingElement => "missing-element",
            DiagnosticCode::ConflictingElements => "conflicting-elements",
            DiagnosticCode::NotAllowedHere => "not-allowed-here",
            DiagnosticCode::WrongType => "wrong-type",
            DiagnosticCode::EmptyValue => "empty-value",
            DiagnosticCode::InvalidVersion => "invalid-version",
            DiagnosticCode::MissingVersion => "missing-version",
            DiagnosticCode::InvalidEffect => "invalid-effect",
            DiagnosticCode::DuplicateSid => "duplicate-sid",
            DiagnosticCode::InvalidSid => "invalid-sid",
            DiagnosticCode::MalformedAction => "malformed-action",
            DiagnosticCode::MalformedArn => "malformed-arn",
            DiagnosticCode::InvalidPrincipal => "invalid-principal",
            DiagnosticCode::UnknownOperator => "unknown-operator",
            DiagnosticCode::OperatorCase => "operator-case",
            DiagnosticCode::InvalidConditionValue => "invalid-condition-value",
            DiagnosticCode::NotPrincipalWithAllow => "not-principal-with-allow",
            DiagnosticCode::InvalidValue => "invalid-value",
            DiagnosticCode::UnknownManagedPolicy => "unknown-managed-policy",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `error` exactly when the class is `rejected`.
    pub severity: Severity,
    pub class: DiagnosticClass,
    pub code: DiagnosticCode,
    pub message: String,
    pub hint: Option<String>,
    /// AWS's own error text for a rejected policy, where known.
    #[serde(rename = "awsError", skip_serializing_if = "Option::is_none")]
    pub aws_error: Option<String>,
    pub span: Span,
}

impl Diagnostic {
    /// A diagnostic of the given class (its severity follows from it).
    pub fn new(
        class: DiagnosticClass,
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: if class == DiagnosticClass::Rejected {
                Severity::Error
            } else {
                Severity::Warning
            },
            class,
            code,
            message: message.into(),
            hint: Some(hint.into()),
            aws_error: None,
            span,
        }
    }

    /// AWS rejects the policy (or, outside policies, the input is unusable).
    pub fn error(
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic::new(DiagnosticClass::Rejected, code, span, message, hint)
    }

    /// AWS stores it and it takes effect, but probably not as meant.
    pub fn warning(
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic::new(DiagnosticClass::Advice, code, span, message, hint)
    }

    /// AWS stores it; at request time the part does nothing.
    pub fn inert(
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic::new(DiagnosticClass::Inert, code, span, message, hint)
    }

    /// Attaches AWS's own error text (for rejected policies).
    pub fn aws(mut self, text: impl Into<String>) -> Self {
        self.aws_error = Some(text.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_rejected(&self) -> bool {
        self.class == DiagnosticClass::Rejected
    }
}

/// AWS's error texts for policies it refuses to store (IAM's
/// `MalformedPolicyDocument` messages, as AWS returns them).
pub mod aws_errors {
    pub const SYNTAX: &str = "MalformedPolicyDocument: Syntax errors in policy.";
    pub const LEGACY_PARSING: &str = "MalformedPolicyDocument: The policy failed legacy parsing";
    pub const NO_PRINCIPAL_ALLOWED: &str =
        "MalformedPolicyDocument: Policy document should not specify a principal.";
    pub const MISSING_ACTIONS: &str =
        "MalformedPolicyDocument: Policy statement must contain actions.";
    pub const MISSING_RESOURCES: &str =
        "MalformedPolicyDocument: Policy statement must contain resources.";
    pub const MISSING_PRINCIPAL: &str = "MalformedPolicyDocument: Missing required field Principal";
    pub const ACTION_VENDOR: &str =
        "MalformedPolicyDocument: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    pub const ACTION_VENDOR_WILDCARD: &str =
        "MalformedPolicyDocument: Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.";
    pub const ACTION_ONE_COLON: &str =
        "MalformedPolicyDocument: Actions/Condition can contain only one colon.";
    pub const RESOURCE_VENDOR: &str =
        "MalformedPolicyDocument: Resource vendor must be fully qualified and cannot contain regexes.";
    pub const DUPLICATE_SID: &str =
        "MalformedPolicyDocument: Statement IDs (SID) in a single policy must be unique.";
    pub const SID_ALPHANUMERIC: &str = "MalformedPolicyDocument: Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    pub const INVALID_PRINCIPAL: &str = "MalformedPolicyDocument: Invalid principal in policy";
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {sev}: {}", self.span.start, self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " (fix: {h})")?;
        }
        Ok(())
    }
}

/// Edit distance (Levenshtein, in characters, case-insensitive), for "did
/// you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().flat_map(char::to_lowercase).collect();
    let b: Vec<char> = b.chars().flat_map(char::to_lowercase).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest candidate, if close enough to be a typo of `word`: short
/// names tolerate one typo, longer ones about one per three characters.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    let max = if len <= 4 { 1 } else { (len / 3).max(2) };
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        // cheap length filter before the quadratic distance
        if c.chars().count().abs_diff(len) > max {
            continue;
        }
        let d = edit_distance(word, c);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("Efect", ["Effect", "Action"]), Some("Effect"));
        assert_eq!(did_you_mean("effect", ["Effect", "Action"]), Some("Effect"));
        assert_eq!(did_you_mean("Banana", ["Effect", "Action"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            DiagnosticCode::NotPrincipalWithAllow.as_str(),
            "not-principal-with-allow"
        );
        assert_eq!(
            serde_json::to_value(DiagnosticCode::InvalidConditionValue).ok(),
            Some(serde_json::json!(
                DiagnosticCode::InvalidConditionValue.as_str()
            ))
        );
    }
}
