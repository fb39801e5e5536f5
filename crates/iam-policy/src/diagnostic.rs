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
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: DiagnosticCode,
    pub message: String,
    pub hint: Option<String>,
    pub span: Span,
}

impl Diagnostic {
    pub fn error(
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: Some(hint.into()),
            span,
        }
    }

    pub fn warning(
        code: DiagnosticCode,
        span: Span,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            hint: Some(hint.into()),
            span,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
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
