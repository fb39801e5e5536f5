//! IAM wildcard patterns (`*`, `?`), matched case-insensitively: a thin
//! wrapper over the engine's matcher ([`iam_policy::Glob`]), so that the
//! catalog expands an action pattern exactly as the engine matches it (one
//! matcher, one case-folding rule: action names are ASCII, and ASCII letters
//! match either case). Matching is linear in the text for a given pattern
//! (no backtracking).

use iam_policy::Glob;

/// A compiled IAM wildcard pattern (`*` = any run, `?` = one character),
/// matched case-insensitively (ASCII case folding) against whole strings.
///
/// ```
/// use iam_catalog::Wildcard;
/// let w = Wildcard::new("s3:Get*");
/// assert!(w.is_match("s3:GetObject"));
/// assert!(w.is_match("S3:getobject"));
/// assert!(!w.is_match("s3:PutObject"));
/// ```
#[derive(Clone, Debug)]
pub struct Wildcard {
    source: String,
    glob: Glob,
}

impl Wildcard {
    /// Compiles `pattern`. Never fails: every string is a valid pattern.
    pub fn new(pattern: &str) -> Self {
        Wildcard {
            source: pattern.to_owned(),
            glob: Glob::wildcard_ignore_case(pattern),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True for patterns that match every string (`*`, `**`, ...).
    pub fn is_match_all(&self) -> bool {
        self.glob.is_match_all()
    }

    /// True when the pattern contains no `*` or `?`.
    pub fn is_literal(&self) -> bool {
        self.glob.is_literal()
    }

    /// Whether the whole of `text` matches the pattern.
    pub fn is_match(&self, text: &str) -> bool {
        self.glob.matches(text)
    }
}
