//! ARNs: `arn:partition:service:region:account:resource`. The resource part
//! may itself hold `:` and `/`. Patterns are compared segment by segment, so a
//! wildcard in one segment never spans into the next; within the resource
//! part a `*` spans anything, `:` and `/` included.

use crate::pattern::{Glob, Tok};
use serde::Serialize;

/// The six parts of a concrete ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Parses a concrete ARN; `None` when the text is not one.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut it = text.splitn(6, ':');
        let (prefix, partition, service, region, account, resource) = (
            it.next()?,
            it.next()?,
            it.next()?,
            it.next()?,
            it.next()?,
            it.next()?,
        );
        if prefix != "arn" || partition.is_empty() || service.is_empty() {
            return None;
        }
        Some(Arn {
            partition,
            service,
            region,
            account,
            resource,
        })
    }
}

/// Why an ARN pattern written in a policy is malformed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ArnProblem {
    /// Does not start with `arn:` (and is not `*`).
    MissingPrefix,
    /// Fewer than six colon-separated parts.
    TooFewParts { found: usize },
    /// The service part is empty.
    EmptyService,
}

/// Checks an ARN pattern as written in a policy (wildcards allowed).
pub fn check_arn_pattern(text: &str) -> Result<(), ArnProblem> {
    if text.chars().all(|c| c == '*') && !text.is_empty() {
        return Ok(());
    }
    if !text.starts_with("arn:") {
        // `arn*` or a pattern starting with a wildcard is allowed by AWS
        if text.starts_with('*') || text.starts_with("arn*") {
            return Ok(());
        }
        return Err(ArnProblem::MissingPrefix);
    }
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() < 6 {
        return Err(ArnProblem::TooFewParts { found: parts.len() });
    }
    if parts.get(2).is_some_and(|s| s.is_empty()) {
        return Err(ArnProblem::EmptyService);
    }
    Ok(())
}

/// A compiled ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnPattern {
    whole: Glob,
    /// The six segment patterns, when the pattern has six segments.
    segments: Option<Vec<Glob>>,
    /// Starts with `arn:` but has fewer than six segments: matches nothing.
    malformed: bool,
}

impl ArnPattern {
    /// Builds the segment patterns from a compiled glob: the first five
    /// literal `:` split segments; the rest is the resource part.
    pub fn new(glob: Glob) -> ArnPattern {
        let toks = glob.toks();
        let mut segments: Vec<Vec<Tok>> = vec![Vec::new()];
        for t in toks {
            if *t == Tok::Lit(':') && segments.len() < 6 {
                segments.push(Vec::new());
            } else if let Some(last) = segments.last_mut() {
                last.push(*t);
            }
        }
        let malformed = segments.len() < 6
            && toks.get(..4)
                == Some(&[Tok::Lit('a'), Tok::Lit('r'), Tok::Lit('n'), Tok::Lit(':')][..]);
        let segments = if segments.len() == 6 && !glob.is_match_all() {
            Some(segments.into_iter().map(Glob::from_toks).collect())
        } else {
            None
        };
        ArnPattern {
            whole: glob,
            segments,
            malformed,
        }
    }

    /// Does the value (an ARN, or any text such as `*`) match?
    pub fn matches(&self, value: &str) -> bool {
        if self.malformed {
            return false;
        }
        match &self.segments {
            Some(segs) => {
                let parts: Vec<&str> = value.splitn(6, ':').collect();
                parts.len() == 6 && segs.iter().zip(parts.iter()).all(|(g, p)| g.matches(p))
            }
            None => self.whole.matches(value),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn m(p: &str, v: &str) -> bool {
        ArnPattern::new(Glob::wildcard(p)).matches(v)
    }

    #[test]
    fn segment_by_segment() {
        assert!(m(
            "arn:aws:imagebuilder:*:*:component/*",
            "arn:aws:imagebuilder:us-east-1:111122223333:component/a/1.0.0/1"
        ));
        assert!(!m(
            "arn:aws:imagebuilder:*:*:component/*",
            "arn:aws:imagebuilder:us-east-1:111122223333:image-recipe/web/1.0.0"
        ));
        assert!(m(
            "arn:aws:ec2:*::image/*",
            "arn:aws:ec2:us-east-1::image/ami-1"
        ));
        assert!(!m(
            "arn:aws:ec2:*::image/*",
            "arn:aws:ec2:us-east-1::snapshot/snap-1"
        ));
        // a wildcard in the region segment does not span into the account
        assert!(!m("arn:aws:s3:*:bucket", "arn:aws:s3:us-east-1:123:bucket"));
        assert!(!m(
            "arn:aws:sns:*:111122223333",
            "arn:aws:sns:us-east-1:111122223333:topic"
        ));
        // the resource part may hold ':' and '/'
        assert!(m(
            "arn:aws:logs:*:*:log-group:/aws/*",
            "arn:aws:logs:us-east-1:1:log-group:/aws/lambda/x:*"
        ));
        assert!(m("*", "*"));
        assert!(m("*", "arn:aws:s3:::b"));
        assert!(!m("arn:aws:s3:::b", "*"));
        assert!(m("arn:aws:s3:::b?cket", "arn:aws:s3:::bucket"));
        // case-sensitive
        assert!(!m("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket"));
    }

    #[test]
    fn parse_and_check() {
        let a = Arn::parse("arn:aws:iam::111122223333:role/path/name").unwrap();
        assert_eq!(a.account, "111122223333");
        assert_eq!(a.resource, "role/path/name");
        assert!(Arn::parse("instance profile role arn").is_none());
        assert_eq!(
            check_arn_pattern("sns topic arn"),
            Err(ArnProblem::MissingPrefix)
        );
        assert_eq!(
            check_arn_pattern("arn:aws:s3"),
            Err(ArnProblem::TooFewParts { found: 3 })
        );
        assert!(check_arn_pattern("arn:aws:s3:::bucket/*").is_ok());
        assert!(check_arn_pattern("*").is_ok());
    }
}
