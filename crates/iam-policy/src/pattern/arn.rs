//! ARNs: `arn:partition:service:region:account:resource`. The resource part
//! may itself hold `:` and `/`. Patterns are compared segment by segment, so a
//! wildcard in one segment never spans into the next; within the resource
//! part a `*` spans anything, `:` and `/` included.

use crate::pattern::glob::matches_toks;
use crate::pattern::{Glob, Tok};
use crate::syntax::text::Text;
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

/// The byte offsets of the first `N` colons of `text` (at most `N`) and how
/// many there are, found in one pass over the bytes (':' is ASCII).
fn first_colons<const N: usize>(text: &str) -> ([usize; N], usize) {
    let mut colons = [0usize; N];
    let mut k = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' {
            if let Some(c) = colons.get_mut(k) {
                *c = i;
            }
            k += 1;
            if k == N {
                break;
            }
        }
    }
    (colons, k)
}

impl<'a> Arn<'a> {
    /// Parses a concrete ARN; `None` when the text is not one.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let rest = text.strip_prefix("arn:")?;
        // the next four colons
        let (cut, n) = first_colons::<4>(rest);
        if n < 4 {
            return None;
        }
        let [a, b, c, d] = cut;
        let partition = rest.get(..a)?;
        let service = rest.get(a + 1..b)?;
        let region = rest.get(b + 1..c)?;
        let account = rest.get(c + 1..d)?;
        let resource = rest.get(d + 1..)?;
        if partition.is_empty() || service.is_empty() {
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

/// Why a Resource entry is not a well-formed ARN pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "kind"
)]
pub enum ArnProblem {
    /// Does not start with `arn:` (and is not `*`). AWS rejects it.
    MissingPrefix,
    /// Fewer than six colon-separated parts, one of them empty (`arn:aws:s3::b`).
    /// AWS rejects it ("The policy failed legacy parsing").
    TooFewPartsWithEmpty { found: usize },
    /// Fewer than six parts, none empty: AWS stores it and reads the missing
    /// parts as `*` (`arn:aws:sns:us-east-1:*` is `arn:aws:sns:us-east-1:*:*`).
    TooFewParts { found: usize, padded: String },
    /// The service part is empty or holds a wildcard. AWS rejects it.
    BadService,
}

impl ArnProblem {
    /// Whether AWS refuses to store a policy with this problem.
    pub fn rejected(&self) -> bool {
        !matches!(self, ArnProblem::TooFewParts { .. })
    }
}

/// Checks a Resource entry as written in a policy (wildcards allowed).
pub fn check_arn_pattern(text: &str) -> Result<(), ArnProblem> {
    check_arn_pattern_at(text, first_colons::<5>(text))
}

/// The byte offsets of the first five colons of `text` (at most five) and
/// how many there are: the parts [`check_arn_pattern_at`] checks, and
/// where the resource part of an ARN starts (after the fifth).
pub(crate) fn five_colons(text: &str) -> ([usize; 5], usize) {
    first_colons::<5>(text)
}

/// [`check_arn_pattern`], given the text's first colons ([`five_colons`],
/// found once for the checks and the reading).
pub(crate) fn check_arn_pattern_at(
    text: &str,
    (colons, k): ([usize; 5], usize),
) -> Result<(), ArnProblem> {
    if !text.is_empty() && text.bytes().all(|b| b == b'*') {
        return Ok(());
    }
    if !text.starts_with("arn:") {
        // `arn*` or a pattern starting with a wildcard is allowed by AWS
        if text.starts_with('*') || text.starts_with("arn*") {
            return Ok(());
        }
        return Err(ArnProblem::MissingPrefix);
    }
    // the parts `splitn(6, ':')` gives
    let n = k + 1;
    let part = |j: usize| -> &str {
        if j >= n {
            return "";
        }
        let start = match j.checked_sub(1) {
            Some(p) => colons.get(p).map_or(text.len(), |c| c + 1),
            None => 0,
        };
        let end = if j < k {
            colons.get(j).copied().unwrap_or(text.len())
        } else {
            text.len()
        };
        text.get(start..end).unwrap_or_default()
    };
    let service = part(2);
    if service.is_empty() || service.contains(['*', '?']) {
        return Err(ArnProblem::BadService);
    }
    if n < 6 {
        if (0..n).any(|j| part(j).is_empty()) {
            return Err(ArnProblem::TooFewPartsWithEmpty { found: n });
        }
        return Err(ArnProblem::TooFewParts {
            found: n,
            padded: format!("{text}{}", ":*".repeat(6 - n)),
        });
    }
    Ok(())
}

/// A compiled ARN pattern.
///
/// Two readings, as AWS documents them:
/// - in a `Resource`/`NotResource` element ([`ArnPattern::resource`]): a
///   `*` that is the last character of one of the first five segments "can
///   expand to match beyond the colon boundaries"; other wildcards stay in
///   their segment; a pattern of fewer than six parts reads as padded with
///   `:*`;
/// - in `ArnLike`/`ArnEquals` conditions ([`ArnPattern::condition`]): "each
///   of the six colon-delimited components of the ARN is checked
///   separately".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnPattern {
    whole: Glob,
    /// Condition reading: the six segment patterns.
    segments: Option<Vec<Glob>>,
    /// Condition reading of a pattern that starts with `arn:` but has fewer
    /// than six segments: matches nothing.
    malformed: bool,
}

fn starts_with_arn(toks: &[Tok]) -> bool {
    toks.get(..4) == Some(&[Tok::Lit('a'), Tok::Lit('r'), Tok::Lit('n'), Tok::Lit(':')][..])
}

/// Rewrites a Resource entry's tokens for the `Resource` reading, in place:
/// in the first five segments a `*` that is the last character of its
/// segment may cross colons, other wildcards stay in their segment; a
/// pattern of fewer than six parts is padded with `:*`. Tokens that do not
/// start with `arn:` are left as they are.
pub(crate) fn resource_reading(toks: &mut Vec<Tok>) {
    if !starts_with_arn(toks) {
        return;
    }
    let mut colons = 0usize;
    for i in 0..toks.len() {
        let next_is_boundary = matches!(toks.get(i + 1), None | Some(Tok::Lit(':')));
        let Some(t) = toks.get_mut(i) else { break };
        let in_prefix = colons < 5;
        match *t {
            Tok::Lit(':') => colons += 1,
            Tok::AnyString | Tok::AnyStringInSegment if in_prefix => {
                // the last character of its segment: may cross colons
                *t = if next_is_boundary {
                    Tok::AnyString
                } else {
                    Tok::AnyStringInSegment
                };
            }
            Tok::AnyChar | Tok::AnyCharInSegment if in_prefix => *t = Tok::AnyCharInSegment,
            _ => {}
        }
    }
    for _ in colons..5 {
        toks.push(Tok::Lit(':'));
        toks.push(Tok::AnyString);
    }
}

/// The `ArnLike`/`ArnEquals` reading's six segments: split at the first
/// five literal `:`. Fewer than six when the pattern has fewer colons.
fn condition_segments(toks: &[Tok]) -> ([&[Tok]; 6], usize) {
    let mut segs: [&[Tok]; 6] = [&[]; 6];
    let mut n = 0;
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if *t == Tok::Lit(':') && n < 5 {
            if let Some(s) = segs.get_mut(n) {
                *s = toks.get(start..i).unwrap_or_default();
            }
            n += 1;
            start = i + 1;
        }
    }
    if let Some(s) = segs.get_mut(n) {
        *s = toks.get(start..).unwrap_or_default();
    }
    (segs, n + 1)
}

/// Does `value` match a pattern given as tokens (a condition value whose
/// variables were substituted), under the `ArnLike`/`ArnEquals` reading?
/// The same rules as [`ArnPattern::condition`], without compiling it.
pub(crate) fn condition_matches_toks(toks: &[Tok], value: &str) -> bool {
    let (segs, n) = condition_segments(toks);
    if n < 6 {
        return !starts_with_arn(toks) && matches_toks(toks, value);
    }
    let mut parts = value.splitn(6, ':');
    segs.iter()
        .all(|seg| parts.next().is_some_and(|p| matches_toks(seg, p)))
}

/// Does `resource` match a Resource entry given as tokens (a pattern whose
/// variables were substituted)? Rewrites the tokens for the `Resource`
/// reading (see [`resource_reading`]).
pub(crate) fn resource_matches_toks(toks: &mut Vec<Tok>, resource: &str) -> bool {
    resource_reading(toks);
    matches_toks(toks, resource)
}

impl ArnPattern {
    /// The `Resource` element's reading of a pattern.
    pub fn resource(glob: Glob) -> ArnPattern {
        ArnPattern::resource_toks(glob.toks())
    }

    /// The `Resource` element's reading of a pattern given as tokens.
    pub(crate) fn resource_toks(mut toks: Vec<Tok>) -> ArnPattern {
        resource_reading(&mut toks);
        ArnPattern {
            whole: Glob::from_tok_vec(toks),
            segments: None,
            malformed: false,
        }
    }

    /// The `Resource` element's reading of a pattern written without
    /// variables: `*` and `?` are wildcards.
    #[cfg(test)]
    pub(crate) fn resource_text(text: &Text) -> ArnPattern {
        let head = match five_colons(text) {
            ([.., fifth], 5) => Some(fifth),
            _ => None,
        };
        ArnPattern::resource_text_at(text, head)
    }

    /// The `Resource` element's reading of a pattern written without
    /// variables (`*` and `?` are wildcards), given where the text's fifth
    /// colon is ([`five_colons`], found once for the checks and the reading).
    pub(crate) fn resource_text_at(text: &Text, head: Option<usize>) -> ArnPattern {
        let whole = |g: Glob| ArnPattern {
            whole: g,
            segments: None,
            malformed: false,
        };
        if !text.starts_with("arn:") {
            // not an ARN: the text as a plain pattern
            return whole(Glob::wildcard_text(text));
        }
        // the fifth colon, if any: the reading rewrites only wildcards
        // before it, and pads a pattern that has none
        if let Some(h) = head {
            // the reading changes nothing when every wildcard before the
            // fifth colon is a `*` that ends its segment (it may cross
            // colons, as a plain `*` does): no `?` there, and each `*`
            // followed by a colon (the fifth colon follows the last)
            let plain = text.as_bytes().get(..=h).is_some_and(|upto| {
                !upto.contains(&b'?')
                    && upto.windows(2).all(|w| match w {
                        [b'*', next] => *next == b':',
                        _ => true,
                    })
            });
            if plain {
                return whole(Glob::wildcard_text(text));
            }
        }
        let mut toks = Vec::with_capacity(text.len() + 10);
        toks.extend(text.chars().map(|c| match c {
            '*' => Tok::AnyString,
            '?' => Tok::AnyChar,
            c => Tok::Lit(c),
        }));
        ArnPattern::resource_toks(toks)
    }

    /// The `ArnLike`/`ArnEquals` reading of a pattern: the first five
    /// literal `:` split segments, the rest is the resource part.
    pub fn condition(glob: Glob) -> ArnPattern {
        let toks = glob.toks();
        let (segs, n) = condition_segments(&toks);
        let malformed = n < 6 && starts_with_arn(&toks);
        let segments = if n == 6 && !glob.is_match_all() {
            Some(
                segs.iter()
                    .map(|s| Glob::from_toks(s.iter().copied()))
                    .collect(),
            )
        } else {
            None
        };
        ArnPattern {
            whole: glob,
            segments,
            malformed,
        }
    }

    /// The pattern as it is matched (a short `Resource` ARN padded with `:*`).
    pub fn text(&self) -> String {
        self.whole.text()
    }

    /// Does the value (an ARN, or any text such as `*`) match?
    pub fn matches(&self, value: &str) -> bool {
        if self.malformed {
            return false;
        }
        match &self.segments {
            Some(segs) => {
                let mut parts = value.splitn(6, ':');
                let mut n = 0;
                for g in segs {
                    match parts.next() {
                        Some(p) if g.matches(p) => n += 1,
                        _ => return false,
                    }
                }
                n == 6
            }
            None => self.whole.matches(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, v: &str) -> bool {
        let compiled = ArnPattern::resource(Glob::wildcard(p)).matches(v);
        assert_eq!(
            compiled,
            ArnPattern::resource_text(&p.into()).matches(v),
            "{p} {v}"
        );
        assert_eq!(
            compiled,
            resource_matches_toks(&mut Glob::wildcard(p).toks(), v),
            "{p} {v}"
        );
        compiled
    }

    fn c(p: &str, v: &str) -> bool {
        let compiled = ArnPattern::condition(Glob::wildcard(p)).matches(v);
        assert_eq!(
            compiled,
            condition_matches_toks(&Glob::wildcard(p).toks(), v),
            "{p} {v}"
        );
        compiled
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
        // a short pattern reads as padded with `:*`: `arn:aws:s3:*:bucket` is
        // `arn:aws:s3:*:bucket:*` (account "bucket"), which this ARN is not in
        assert!(!m("arn:aws:s3:*:bucket", "arn:aws:s3:us-east-1:123:bucket"));
        assert!(m(
            "arn:aws:sns:*:111122223333",
            "arn:aws:sns:us-east-1:111122223333:topic"
        ));
        // a wildcard that is not last in its segment stays in the segment
        assert!(!m(
            "arn:aws:sns:us-*-1:111122223333:t",
            "arn:aws:sns:us-east:x-1:111122223333:t"
        ));
        assert!(!m("arn:aws:sns:us-east-?:1:t", "arn:aws:sns:us-east-:1:t"));
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
    fn trailing_star_of_a_segment_crosses_colons() {
        // IAM User Guide, Resource element: "If the * wildcard is the last
        // character of a resource ARN segment, it can expand to match beyond
        // the colon boundaries."
        assert!(m(
            "arn:aws:sns:us-east-1:*",
            "arn:aws:sns:us-east-1:111122223333:my-topic"
        ));
        assert!(m(
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        ));
        // Condition operators page: ArnLike checks "each of the six
        // colon-delimited components of the ARN ... separately"
        assert!(!c(
            "arn:aws:someservice:*:111122223333:finance/*",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
        ));
        assert!(!c(
            "arn:aws:sns:us-east-1:*",
            "arn:aws:sns:us-east-1:111122223333:my-topic"
        ));
        assert!(c(
            "arn:aws:sns:us-east-1:*:*",
            "arn:aws:sns:us-east-1:111122223333:my-topic"
        ));
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
            Err(ArnProblem::TooFewParts {
                found: 3,
                padded: "arn:aws:s3:*:*:*".into()
            })
        );
        assert_eq!(
            check_arn_pattern("arn:aws:s3::bucket"),
            Err(ArnProblem::TooFewPartsWithEmpty { found: 5 })
        );
        assert_eq!(
            check_arn_pattern("arn:aws:*:::bucket"),
            Err(ArnProblem::BadService)
        );
        assert!(check_arn_pattern("arn:aws:s3:::bucket/*").is_ok());
        assert!(check_arn_pattern("*").is_ok());
    }

    /// The parts as `splitn(6, ':')` gives them, the reading the one-pass
    /// split of [`check_arn_pattern`] must agree with.
    fn check_by_splitn(text: &str) -> Result<(), ArnProblem> {
        if text.chars().all(|c| c == '*') && !text.is_empty() {
            return Ok(());
        }
        if !text.starts_with("arn:") {
            if text.starts_with('*') || text.starts_with("arn*") {
                return Ok(());
            }
            return Err(ArnProblem::MissingPrefix);
        }
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let service = parts.get(2).copied().unwrap_or("");
        if service.is_empty() || service.contains(['*', '?']) {
            return Err(ArnProblem::BadService);
        }
        let n = parts.len();
        if n < 6 {
            if parts.iter().any(|p| p.is_empty()) {
                return Err(ArnProblem::TooFewPartsWithEmpty { found: n });
            }
            return Err(ArnProblem::TooFewParts {
                found: n,
                padded: format!("{text}{}", ":*".repeat(6 - n)),
            });
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn check_agrees_with_splitn(rest in "[a:*?é]{0,16}") {
            let text = format!("arn:{rest}");
            proptest::prop_assert_eq!(check_arn_pattern(&text), check_by_splitn(&text));
            proptest::prop_assert_eq!(check_arn_pattern(&rest), check_by_splitn(&rest));
        }
    }
}
