//! Lookup by name or ARN, and the error with "did you mean".

use crate::{ManagedPolicies, ManagedPolicy, ARN_PREFIX};
use iam_policy::did_you_mean;
use serde::Serialize;
use std::fmt;

/// At most this many suggestions.
const MAX_SUGGESTIONS: usize = 3;

/// Why a name or ARN does not resolve to an AWS managed policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// No AWS managed policy has this name.
    UnknownName,
    /// The name exists, but under another path than the ARN says.
    WrongPath,
    /// A well-formed IAM policy ARN that is not an AWS managed policy of the
    /// `aws` partition (a customer managed policy, or another partition).
    NotAwsManaged,
    /// Starts with `arn:` but is not an IAM policy ARN.
    MalformedArn,
    /// The managed policy data itself did not load.
    DataUnavailable,
}

/// A name or ARN that is not an AWS managed policy, with suggestions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnknownManagedPolicy {
    /// What was asked for.
    pub input: String,
    pub reason: Reason,
    /// One sentence, e.g. `unknown AWS managed policy "AWSImageBuilderFulAccess"`.
    pub message: String,
    /// Names (or ARNs, when an ARN was asked for), closest first.
    pub suggestions: Vec<String>,
    /// How to fix it, e.g. `did you mean AWSImageBuilderFullAccess?`.
    pub hint: String,
}

impl fmt::Display for UnknownManagedPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.hint)
    }
}

impl std::error::Error for UnknownManagedPolicy {}

impl UnknownManagedPolicy {
    /// The error for `input` when the data itself is not there (it did not
    /// load, or a browser could not fetch it): [`Reason::DataUnavailable`].
    pub fn data_unavailable(input: &str, why: impl fmt::Display) -> Self {
        UnknownManagedPolicy {
            input: input.to_owned(),
            reason: Reason::DataUnavailable,
            message: format!("cannot look up AWS managed policy {input:?}: {why}"),
            suggestions: Vec::new(),
            hint: "the AWS managed policy data (crates/iam-managed/data/managed-policies.json) must load first".to_owned(),
        }
    }
}

/// `did you mean A?`, `did you mean A or B?`, `did you mean A, B or C?`
fn did_you_mean_text(suggestions: &[String]) -> Option<String> {
    let (last, rest) = suggestions.split_last()?;
    Some(if rest.is_empty() {
        format!("did you mean {last}?")
    } else {
        format!("did you mean {} or {last}?", rest.join(", "))
    })
}

impl ManagedPolicies {
    /// The AWS managed policy named by `name_or_arn`: a name
    /// (`AWSImageBuilderFullAccess`, case-sensitive like IAM's ARNs) or an ARN
    /// with the policy's path (`arn:aws:iam::aws:policy/AWSImageBuilderFullAccess`,
    /// `arn:aws:iam::aws:policy/service-role/AWSLambdaRole`).
    ///
    /// Anything else is an error with a message, a hint and up to three
    /// suggestions: the name in its right case, the closest name by edit
    /// distance, then names containing what was typed; for an ARN with the
    /// wrong path, the right ARN.
    pub fn lookup(&self, name_or_arn: &str) -> Result<&ManagedPolicy, UnknownManagedPolicy> {
        if name_or_arn.starts_with("arn:") {
            return self.lookup_arn(name_or_arn);
        }
        if let Some(p) = self.get(name_or_arn) {
            return Ok(p);
        }
        // "service-role/AWSLambdaRole": suggest by the last segment.
        let word = name_or_arn.rsplit('/').next().unwrap_or(name_or_arn);
        let suggestions: Vec<String> = self
            .suggest(word)
            .into_iter()
            .map(|p| p.name.clone())
            .collect();
        Err(self.unknown(name_or_arn, suggestions, false))
    }

    fn lookup_arn(&self, arn: &str) -> Result<&ManagedPolicy, UnknownManagedPolicy> {
        let err = |reason, message: String, suggestions: Vec<String>, hint: String| {
            UnknownManagedPolicy {
                input: arn.to_owned(),
                reason,
                message,
                suggestions,
                hint,
            }
        };
        // arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME
        let mut parts = arn.splitn(6, ':');
        let (_, partition, service, region, account, resource) = (
            parts.next(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let rest = resource.strip_prefix("policy/");
        let (Some(rest), "iam", "") = (rest, service, region) else {
            return Err(err(
                Reason::MalformedArn,
                format!("{arn} is not an IAM policy ARN"),
                Vec::new(),
                format!(
                    "an AWS managed policy's ARN is {ARN_PREFIX}/NAME or {ARN_PREFIX}/PATH/NAME"
                ),
            ));
        };
        let (path_inside, name) = match rest.rsplit_once('/') {
            Some((dirs, name)) => (Some(dirs), name),
            None => (None, rest),
        };
        let path = path_inside.map_or_else(|| "/".to_owned(), |d| format!("/{d}/"));
        if partition != "aws" || account != "aws" {
            let known = self.get(name);
            let suggestions: Vec<String> = known.map(|p| p.arn.clone()).into_iter().collect();
            let (message, mut hint) = if account != "aws" {
                (
                    format!(
                        "{arn} is a customer managed policy of account {account}, not an AWS managed policy"
                    ),
                    "paste the customer managed policy's document as a policy instead".to_owned(),
                )
            } else {
                (
                    format!(
                        "{arn} is in the {partition} partition; only the aws partition's managed policies are included"
                    ),
                    format!("use {ARN_PREFIX}{path}{name}"),
                )
            };
            if let Some(text) = did_you_mean_text(&suggestions) {
                hint = text;
            }
            return Err(err(Reason::NotAwsManaged, message, suggestions, hint));
        }
        match self.get(name) {
            Some(p) if p.path == path => Ok(p),
            Some(p) => Err(err(
                Reason::WrongPath,
                format!(
                    "AWS managed policy {name} has the path {}, not {path}",
                    p.path
                ),
                vec![p.arn.clone()],
                format!("did you mean {}?", p.arn),
            )),
            None => {
                let suggestions = self
                    .suggest(name)
                    .into_iter()
                    .map(|p| p.arn.clone())
                    .collect();
                Err(self.unknown(arn, suggestions, true))
            }
        }
    }

    fn unknown(&self, input: &str, suggestions: Vec<String>, arn: bool) -> UnknownManagedPolicy {
        let what = if arn { "ARN" } else { "name" };
        let hint = did_you_mean_text(&suggestions).unwrap_or_else(|| {
            format!(
                "no AWS managed policy has a similar {what}; names are case-sensitive, e.g. \
                 AWSImageBuilderFullAccess; search the {} AWS managed policies by name or service",
                self.len()
            )
        });
        UnknownManagedPolicy {
            input: input.to_owned(),
            reason: Reason::UnknownName,
            message: format!("unknown AWS managed policy {input:?}"),
            suggestions,
            hint,
        }
    }

    /// Up to three policies `word` may have meant: the same name in another
    /// case, the closest by edit distance (`did_you_mean`'s rule), then the
    /// shortest names containing `word` (at least 4 characters).
    fn suggest(&self, word: &str) -> Vec<&ManagedPolicy> {
        let lower = word.to_lowercase();
        let same_but_case = self
            .by_lower
            .get(&lower)
            .and_then(|&i| self.policies.get(i));
        let closest = did_you_mean(word, self.policies.iter().map(|p| p.name.as_str()))
            .and_then(|name| self.get(name));
        let mut containing: Vec<&ManagedPolicy> = Vec::new();
        if lower.chars().count() >= 4 {
            containing = self
                .lower
                .iter()
                .zip(&self.policies)
                .filter(|(l, _)| l.contains(&lower))
                .map(|(_, p)| p)
                .collect();
            containing.sort_by(|a, b| (a.name.len(), &a.name).cmp(&(b.name.len(), &b.name)));
        }
        let mut out: Vec<&ManagedPolicy> = Vec::new();
        for p in same_but_case.into_iter().chain(closest).chain(containing) {
            if out.len() == MAX_SUGGESTIONS {
                break;
            }
            if !out.iter().any(|q| std::ptr::eq(*q, p)) {
                out.push(p);
            }
        }
        out
    }
}

/// The engine's hook: a scenario's `{"managed": …}` references resolve from
/// this collection (`Scenario::resolve_managed`).
impl iam_policy::ManagedPolicies for ManagedPolicies {
    fn resolve(
        &self,
        name_or_arn: &str,
    ) -> Result<iam_policy::ResolvedManaged, iam_policy::UnknownManaged> {
        self.lookup(name_or_arn)
            .map(|p| iam_policy::ResolvedManaged {
                name: p.name.clone(),
                arn: p.arn.clone(),
                version_id: p.version_id.clone(),
                update_date: p.update_date.clone(),
                document: p.document.to_string(),
            })
            .map_err(|e| iam_policy::UnknownManaged {
                message: e.message,
                hint: e.hint,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_lists_suggestions() {
        assert_eq!(did_you_mean_text(&[]), None);
        assert_eq!(
            did_you_mean_text(&["A".into()]).as_deref(),
            Some("did you mean A?")
        );
        assert_eq!(
            did_you_mean_text(&["A".into(), "B".into(), "C".into()]).as_deref(),
            Some("did you mean A, B or C?")
        );
    }
}
