//! Linear-time `*` / `?` wildcard matching (IAM style, case-insensitive).
//!
//! A pattern is compiled into *segments* separated by runs of `*` (consecutive
//! stars collapse into one). A segment is a fixed-length run of literals and
//! `?`. Matching anchors the first segment at the start and the last segment
//! at the end, then places every middle segment at its leftmost possible
//! position (greedy). Leftmost placement is always safe because a segment
//! placed further left leaves a superset of the text for the segments after
//! it, so no backtracking is ever needed: the cost is at most
//! O(text length x pattern length), with no exponential blow-up.

/// One element of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok<T> {
    /// Exactly this (already case-folded) element.
    Lit(T),
    /// Exactly one element (`?`).
    One,
    /// Any run of elements, possibly empty (`*`).
    Star,
}

/// Element types the matcher runs over: bytes (ASCII text) or chars.
pub(crate) trait Elem: Copy + PartialEq {
    fn fold(self) -> Self;
}

impl Elem for u8 {
    #[inline]
    fn fold(self) -> Self {
        self.to_ascii_lowercase()
    }
}

impl Elem for char {
    #[inline]
    fn fold(self) -> Self {
        self.to_ascii_lowercase()
    }
}

/// Segment element: a literal (case-folded) or `?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SegTok<T> {
    Lit(T),
    One,
}

/// A compiled wildcard pattern over elements `T`.
#[derive(Clone, Debug)]
pub(crate) struct Pattern<T> {
    /// Segment before the first `*` (anchored at the start).
    first: Vec<SegTok<T>>,
    /// Non-empty segments between stars, in order.
    middle: Vec<Vec<SegTok<T>>>,
    /// Segment after the last `*` (anchored at the end). Unused without stars.
    last: Vec<SegTok<T>>,
    /// Whether the pattern contains at least one `*`.
    has_star: bool,
    /// Minimum text length that can match.
    min_len: usize,
}

impl<T: Elem> Pattern<T> {
    /// Compiles a token list. Literal elements are case-folded here.
    pub(crate) fn from_tokens<I: IntoIterator<Item = Tok<T>>>(tokens: I) -> Self {
        let mut pieces: Vec<Vec<SegTok<T>>> = vec![Vec::new()];
        let mut has_star = false;
        for tok in tokens {
            match tok {
                Tok::Star => {
                    has_star = true;
                    pieces.push(Vec::new());
                }
                Tok::One => push_last(&mut pieces, SegTok::One),
                Tok::Lit(c) => push_last(&mut pieces, SegTok::Lit(c.fold())),
            }
        }
        let (first, middle, last) = if has_star {
            let last = pieces.pop().unwrap_or_default();
            let mut rest = pieces.into_iter();
            let first = rest.next().unwrap_or_default();
            let middle: Vec<_> = rest.filter(|s| !s.is_empty()).collect();
            (first, middle, last)
        } else {
            (pieces.pop().unwrap_or_default(), Vec::new(), Vec::new())
        };
        let min_len = first.len() + last.len() + middle.iter().map(Vec::len).sum::<usize>();
        Pattern {
            first,
            middle,
            last,
            has_star,
            min_len,
        }
    }

    /// True when the pattern is exactly `*` (matches everything).
    pub(crate) fn is_match_all(&self) -> bool {
        self.has_star && self.min_len == 0
    }

    /// True when the pattern has no wildcard at all.
    pub(crate) fn literal(&self) -> Option<impl Iterator<Item = T> + '_> {
        if self.has_star || self.first.iter().any(|t| matches!(t, SegTok::One)) {
            return None;
        }
        Some(self.first.iter().filter_map(|t| match t {
            SegTok::Lit(c) => Some(*c),
            SegTok::One => None,
        }))
    }

    /// Matches the whole of `text`.
    pub(crate) fn matches(&self, text: &[T]) -> bool {
        if !self.has_star {
            return text.len() == self.first.len() && seg_at(&self.first, text, 0);
        }
        if text.len() < self.min_len {
            return false;
        }
        let end = text.len() - self.last.len();
        if !seg_at(&self.first, text, 0) || !seg_at(&self.last, text, end) {
            return false;
        }
        let mut pos = self.first.len();
        for seg in &self.middle {
            match find_seg(seg, text, pos, end) {
                Some(at) => pos = at + seg.len(),
                None => return false,
            }
        }
        true
    }
}

fn push_last<T>(pieces: &mut [Vec<SegTok<T>>], tok: SegTok<T>) {
    if let Some(last) = pieces.last_mut() {
        last.push(tok);
    }
}

/// Does `seg` match `text[at..at + seg.len()]`?
#[inline]
fn seg_at<T: Elem>(seg: &[SegTok<T>], text: &[T], at: usize) -> bool {
    let Some(window) = text.get(at..at + seg.len()) else {
        return false;
    };
    seg.iter().zip(window).all(|(s, &c)| match s {
        SegTok::One => true,
        SegTok::Lit(l) => c.fold() == *l,
    })
}

/// Leftmost position `p` in `[from, end - seg.len()]` where `seg` matches.
fn find_seg<T: Elem>(seg: &[SegTok<T>], text: &[T], from: usize, end: usize) -> Option<usize> {
    let last_start = end.checked_sub(seg.len())?;
    (from..=last_start).find(|&p| seg_at(seg, text, p))
}

/// Tokenizes an IAM wildcard string: `*` and `?` are wildcards, everything
/// else is literal.
pub(crate) fn tokenize<T, I: IntoIterator<Item = T>>(items: I, star: T, one: T) -> Vec<Tok<T>>
where
    T: PartialEq,
{
    items
        .into_iter()
        .map(|c| {
            if c == star {
                Tok::Star
            } else if c == one {
                Tok::One
            } else {
                Tok::Lit(c)
            }
        })
        .collect()
}

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
    /// Byte pattern, used when both pattern and text are ASCII.
    ascii: Option<Pattern<u8>>,
    /// Char pattern, used otherwise (so `?` is one character, not one byte).
    chars: Pattern<char>,
}

impl Wildcard {
    /// Compiles `pattern`. Never fails: every string is a valid pattern.
    pub fn new(pattern: &str) -> Self {
        let ascii = pattern
            .is_ascii()
            .then(|| Pattern::from_tokens(tokenize(pattern.bytes(), b'*', b'?')));
        Wildcard {
            source: pattern.to_owned(),
            ascii,
            chars: Pattern::from_tokens(tokenize(pattern.chars(), '*', '?')),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// True for patterns that match every string (`*`, `**`, ...).
    pub fn is_match_all(&self) -> bool {
        self.chars.is_match_all()
    }

    /// True when the pattern contains no `*` or `?`.
    pub fn is_literal(&self) -> bool {
        self.chars.literal().is_some()
    }

    /// Whether the whole of `text` matches the pattern.
    pub fn is_match(&self, text: &str) -> bool {
        match &self.ascii {
            Some(p) if text.is_ascii() => p.matches(text.as_bytes()),
            _ => {
                let chars: Vec<char> = text.chars().collect();
                self.chars.matches(&chars)
            }
        }
    }
}
