//! Matching ARNs (or ARN patterns) against resource-type ARN formats.
//!
//! A format such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}` is
//! compiled into tokens where every `${...}` placeholder (and the odd literal
//! `*` some formats contain) matches any run of characters. In the five
//! header fields (`arn`, partition, service, region, account) a placeholder
//! cannot swallow a `:`, which keeps e.g. `${Region}` from eating the account
//! and resource fields.
//!
//! The query may itself contain `*` / `?` wildcards (a policy `Resource`), so
//! the question is whether the two patterns *intersect*: is there a string
//! that both match? That is decided by a reachability search over pairs of
//! positions `(i, j)`, O(len(format) x len(query)) with no backtracking.

/// Format token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FTok {
    Lit(char),
    /// Any run of characters (resource part placeholder or `*`).
    Star,
    /// Any run of characters without `:` (header placeholder).
    SegStar,
}

/// Query token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QTok {
    Lit(char),
    One,
    Star,
}

/// What one consumed character must satisfy.
#[derive(Clone, Copy)]
enum Need {
    Exact(char),
    Any,
    NotColon,
}

fn compatible(a: Need, b: Need) -> bool {
    match (a, b) {
        (Need::Exact(x), Need::Exact(y)) => x == y,
        (Need::Exact(x), Need::NotColon) | (Need::NotColon, Need::Exact(x)) => x != ':',
        _ => true,
    }
}

/// A compiled resource-type ARN format.
#[derive(Clone, Debug)]
pub(crate) struct ArnFormat {
    toks: Vec<FTok>,
    /// The literal service field (lowercase), if it has no placeholder.
    pub(crate) service: Option<String>,
    /// (literal characters, `${...}` placeholders): higher = more specific.
    /// A named placeholder ranks above a literal `*` in a format (e.g.
    /// imagebuilder `component/${Name}/${Version}/${BuildVersion}` beats
    /// `allComponentBuildVersions`, `component/${Name}/${Version}/*`).
    pub(crate) specificity: (usize, usize),
}

/// Splits off a `${...}` placeholder starting at `chars[i]` (which is `$`).
/// Returns the inner text and the index after `}`.
fn placeholder(chars: &[char], i: usize) -> Option<(String, usize)> {
    if chars.get(i + 1) != Some(&'{') {
        return None;
    }
    let rest = chars.get(i + 2..)?;
    let close = rest.iter().position(|&c| c == '}')?;
    let inner: String = rest.get(..close)?.iter().collect();
    Some((inner, i + 2 + close + 1))
}

impl ArnFormat {
    pub(crate) fn compile(format: &str) -> Self {
        let chars: Vec<char> = format.chars().collect();
        let mut toks = Vec::with_capacity(chars.len());
        let mut colons = 0usize;
        let mut field = String::new();
        let mut field_literal = true;
        let mut service = None;
        let mut named = 0usize;
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            let in_header = colons < 5;
            let wild = if in_header { FTok::SegStar } else { FTok::Star };
            if c == '$' {
                if let Some((_, next)) = placeholder(&chars, i) {
                    toks.push(wild);
                    named += 1;
                    field_literal = false;
                    i = next;
                    continue;
                }
            }
            if c == '*' {
                toks.push(wild);
                field_literal = false;
            } else {
                if c == ':' {
                    if colons == 2 && field_literal && !field.is_empty() {
                        service = Some(field.to_ascii_lowercase());
                    }
                    colons += 1;
                    field.clear();
                    field_literal = true;
                } else {
                    field.push(c);
                }
                toks.push(FTok::Lit(c.to_ascii_lowercase()));
            }
            i += 1;
        }
        // Collapse runs of wildcards: `**` == `*`, and a SegStar next to a
        // Star adds nothing.
        let mut collapsed: Vec<FTok> = Vec::with_capacity(toks.len());
        for t in toks {
            match (collapsed.last().copied(), t) {
                (Some(FTok::Star), FTok::Star | FTok::SegStar) => {}
                (Some(FTok::SegStar), FTok::SegStar) => {}
                (Some(FTok::SegStar), FTok::Star) => {
                    if let Some(last) = collapsed.last_mut() {
                        *last = FTok::Star;
                    }
                }
                _ => collapsed.push(t),
            }
        }
        let literals = collapsed
            .iter()
            .filter(|t| matches!(t, FTok::Lit(_)))
            .count();
        let specificity = (literals, named);
        ArnFormat {
            toks: collapsed,
            service,
            specificity,
        }
    }
}

/// A compiled query ARN (concrete or with wildcards).
#[derive(Clone, Debug)]
pub(crate) struct ArnQuery {
    toks: Vec<QTok>,
    /// Literal service field (lowercase), when it has no wildcard.
    pub(crate) service: Option<String>,
}

impl ArnQuery {
    /// `*` and `?` are wildcards; policy variables `${...}` match anything
    /// except the escapes `${*}`, `${?}` and `${$}`, which are literals.
    pub(crate) fn compile(arn: &str) -> Self {
        let chars: Vec<char> = arn.chars().collect();
        let mut toks = Vec::with_capacity(chars.len());
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c == '$' {
                if let Some((inner, next)) = placeholder(&chars, i) {
                    toks.push(match inner.as_str() {
                        "*" => QTok::Lit('*'),
                        "?" => QTok::Lit('?'),
                        "$" => QTok::Lit('$'),
                        _ => QTok::Star,
                    });
                    i = next;
                    continue;
                }
            }
            toks.push(match c {
                '*' => QTok::Star,
                '?' => QTok::One,
                c => QTok::Lit(c.to_ascii_lowercase()),
            });
            i += 1;
        }
        toks.dedup_by(|a, b| *a == QTok::Star && *b == QTok::Star);
        // Literal service field: the third field, if no wildcard precedes the
        // third colon.
        let mut service = None;
        let mut colons = 0;
        let mut field = String::new();
        for t in &toks {
            match t {
                QTok::Lit(':') => {
                    if colons == 2 {
                        service = Some(std::mem::take(&mut field));
                        break;
                    }
                    colons += 1;
                    field.clear();
                }
                QTok::Lit(c) => field.push(*c),
                QTok::One | QTok::Star => break,
            }
        }
        ArnQuery { toks, service }
    }

    /// Whether some string matches both the query and `format`.
    /// `scratch` is a reusable visited set.
    pub(crate) fn intersects(&self, format: &ArnFormat, scratch: &mut Vec<bool>) -> bool {
        let f = &format.toks;
        let q = &self.toks;
        let (n, m) = (f.len(), q.len());
        let width = m + 1;
        scratch.clear();
        scratch.resize((n + 1) * width, false);
        let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
        let visit =
            |i: usize, j: usize, scratch: &mut Vec<bool>, stack: &mut Vec<(usize, usize)>| {
                if let Some(seen) = scratch.get_mut(i * width + j) {
                    if !*seen {
                        *seen = true;
                        stack.push((i, j));
                    }
                }
            };
        if let Some(s) = scratch.get_mut(0) {
            *s = true;
        }
        while let Some((i, j)) = stack.pop() {
            if i == n && j == m {
                return true;
            }
            let ft = f.get(i).copied();
            let qt = q.get(j).copied();
            // Epsilon moves: a star may match the empty string.
            if matches!(ft, Some(FTok::Star | FTok::SegStar)) {
                visit(i + 1, j, scratch, &mut stack);
            }
            if qt == Some(QTok::Star) {
                visit(i, j + 1, scratch, &mut stack);
            }
            // Consume one character on both sides.
            let fmove = match ft {
                Some(FTok::Lit(c)) => Some((i + 1, Need::Exact(c))),
                Some(FTok::Star) => Some((i, Need::Any)),
                Some(FTok::SegStar) => Some((i, Need::NotColon)),
                None => None,
            };
            let qmove = match qt {
                Some(QTok::Lit(c)) => Some((j + 1, Need::Exact(c))),
                Some(QTok::One) => Some((j + 1, Need::Any)),
                Some(QTok::Star) => Some((j, Need::Any)),
                None => None,
            };
            if let (Some((ni, a)), Some((nj, b))) = (fmove, qmove) {
                if (ni, nj) != (i, j) && compatible(a, b) {
                    visit(ni, nj, scratch, &mut stack);
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(format: &str, arn: &str) -> bool {
        ArnQuery::compile(arn).intersects(&ArnFormat::compile(format), &mut Vec::new())
    }

    #[test]
    fn concrete() {
        let obj = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(hit(obj, "arn:aws:s3:::bucket/key"));
        assert!(hit(obj, "arn:aws:s3:::bucket/a/b/c"));
        assert!(!hit(obj, "arn:aws:s3:::bucket"));
        assert!(hit(bucket, "arn:aws:s3:::bucket"));
        assert!(!hit(bucket, "arn:aws:ec2:::bucket"));
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(hit(role, "arn:aws:iam::123456789012:role/a/b"));
        assert!(!hit(role, "arn:aws:iam::123456789012:user/a"));
        // Header placeholders do not cross ':'.
        let fmt = "arn:${Partition}:svc:${Region}:${Account}:thing/${Id}";
        assert!(!hit(fmt, "arn:aws:svc:us-east-1:x:y:123:thing/1"));
        assert!(hit(fmt, "arn:aws:svc:us-east-1:123:thing/1"));
        assert!(hit(fmt, "ARN:AWS:SVC:us-east-1:123:THING/1"));
    }

    #[test]
    fn wildcard_queries() {
        let obj = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(hit(obj, "arn:aws:s3:::bucket/*"));
        assert!(hit(bucket, "arn:aws:s3:::*"));
        assert!(hit(obj, "arn:aws:s3:::*"));
        assert!(hit(obj, "*"));
        assert!(!hit(obj, "arn:aws:s3:::bucket"));
        assert!(hit(obj, "arn:aws:s3:::bucket?key"));
        assert!(hit(obj, "arn:aws:s3:::${aws:username}/x"));
        // Escapes are literals, other policy variables are wildcards.
        let lit = "arn:${Partition}:svc:::x/abc";
        assert!(hit(lit, "arn:aws:svc:::x/???"));
        assert!(!hit(lit, "arn:aws:svc:::x/${?}bc"));
        assert!(hit(
            "arn:${Partition}:svc:::x/?bc",
            "arn:aws:svc:::x/${?}bc"
        ));
        assert!(hit(lit, "arn:aws:svc:::x/${aws:username}"));
        assert!(!hit(
            "arn:${Partition}:sqs:${Region}:${Account}:${QueueName}",
            "arn:aws:sns:*"
        ));
    }

    #[test]
    fn service_field() {
        assert_eq!(
            ArnQuery::compile("arn:aws:S3:::b").service.as_deref(),
            Some("s3")
        );
        assert_eq!(ArnQuery::compile("arn:aws:s*:::b").service, None);
        assert_eq!(ArnQuery::compile("*").service, None);
        assert_eq!(
            ArnFormat::compile("arn:${Partition}:s3:::${BucketName}")
                .service
                .as_deref(),
            Some("s3")
        );
        assert_eq!(
            ArnFormat::compile(
                "arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${RecoveryPointId}"
            )
            .service,
            None
        );
    }
}
