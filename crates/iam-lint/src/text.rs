//! Small text helpers: "did you mean" suggestions, sub-spans inside a JSON
//! string, and containment of one IAM wildcard pattern in another.

use iam_policy::{Position, Span};

pub(crate) use iam_policy::did_you_mean;

/// The span of characters `[start, start + len)` of a JSON string's content,
/// when the string sits on one line and holds no escape (so that source
/// characters and content characters line up); otherwise the whole span.
pub(crate) fn sub_span(span: Span, content: &str, start: usize, len: usize) -> Span {
    let total = content.chars().count();
    let raw = span.end.offset.saturating_sub(span.start.offset) as usize;
    if raw != total + 2 || span.start.line != span.end.line || start + len > total {
        return span;
    }
    let at = |k: usize| Position {
        line: span.start.line,
        column: span.start.column + 1 + k as u32,
        offset: span.start.offset + 1 + k as u32,
    };
    Span::new(at(start), at(start + len))
}

/// Character index of a byte index in `s`.
pub(crate) fn char_index(s: &str, byte: usize) -> usize {
    s.get(..byte).map_or(0, |p| p.chars().count())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Lit(char),
    One,
    Star,
    /// A policy variable `${...}`, compared as an opaque token.
    Var(String),
}

fn tokens(p: &str, ignore_case: bool, variables: bool) -> Vec<Tok> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if variables && c == '$' && chars.get(i + 1) == Some(&'{') {
            if let Some(close) = chars
                .get(i + 2..)
                .and_then(|r| r.iter().position(|&x| x == '}'))
            {
                let inner: String = chars
                    .get(i + 2..i + 2 + close)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                out.push(match inner.as_str() {
                    "*" => Tok::Lit('*'),
                    "?" => Tok::Lit('?'),
                    "$" => Tok::Lit('$'),
                    _ => Tok::Var(inner),
                });
                i += close + 3;
                continue;
            }
        }
        out.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c if ignore_case => Tok::Lit(c.to_lowercase().next().unwrap_or(c)),
            c => Tok::Lit(c),
        });
        i += 1;
    }
    out.dedup_by(|a, b| *a == Tok::Star && *b == Tok::Star);
    out
}

/// Does every string that `inner` matches also match `outer`? Both are IAM
/// wildcard patterns (`*`, `?`); with `variables`, `${...}` is a policy
/// variable that only a `*` or the same variable in `outer` covers.
///
/// Sound but not complete: `true` is always right, `false` may miss an
/// exotic containment. Runs over pairs of positions, O(|outer| × |inner|).
pub(crate) fn covers(outer: &str, inner: &str, ignore_case: bool, variables: bool) -> bool {
    if outer.chars().all(|c| c == '*') && !outer.is_empty() {
        return true;
    }
    // Fast reject: the literal start of `outer` must begin `inner` (each of
    // those characters can only be matched by the same literal character).
    let lit_len = outer.find(['*', '?', '$']).unwrap_or(outer.len());
    let lit = outer.get(..lit_len).unwrap_or(outer);
    let starts = if ignore_case {
        inner
            .get(..lit.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(lit))
            || (!lit.is_ascii() && inner.to_lowercase().starts_with(&lit.to_lowercase()))
    } else {
        inner.starts_with(lit)
    };
    if !starts {
        return false;
    }
    let o = tokens(outer, ignore_case, variables);
    let n = tokens(inner, ignore_case, variables);
    let width = n.len() + 1;
    let mut seen = vec![false; (o.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let Some(slot) = seen.get_mut(i * width + j) else {
            continue;
        };
        if *slot {
            continue;
        }
        *slot = true;
        if i == o.len() && j == n.len() {
            return true;
        }
        match o.get(i) {
            Some(Tok::Star) => {
                stack.push((i + 1, j));
                if j < n.len() {
                    stack.push((i, j + 1));
                }
            }
            Some(Tok::One) => {
                if matches!(n.get(j), Some(Tok::Lit(_) | Tok::One)) {
                    stack.push((i + 1, j + 1));
                }
            }
            Some(t) if n.get(j) == Some(t) => stack.push((i + 1, j + 1)),
            _ => {}
        }
    }
    false
}

/// True for `*`, `**`, …: a pattern that matches everything.
pub(crate) fn is_all_star(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        assert!(covers("s3:*", "s3:GetObject", true, false));
        assert!(covers("s3:Get*", "S3:getobject", true, false));
        assert!(covers("s3:Get*", "s3:GetObject*", true, false));
        assert!(!covers("s3:GetObject", "s3:Get*", true, false));
        assert!(!covers("a?c", "a*c", false, false));
        assert!(covers("a*c", "a?c", false, false));
        assert!(covers("*", "anything", false, false));
        assert!(!covers(
            "arn:aws:s3:::B/*",
            "arn:aws:s3:::b/x",
            false,
            false
        ));
        assert!(covers(
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/${aws:username}/*",
            false,
            true
        ));
        assert!(!covers(
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::b/${aws:username}",
            false,
            true
        ));
        assert!(covers(
            "arn:aws:s3:::b/${aws:username}",
            "arn:aws:s3:::b/${aws:username}",
            false,
            true
        ));
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("GetObjekt", ["GetObject", "PutObject"]),
            Some("GetObject")
        );
        assert_eq!(did_you_mean("Banana", ["GetObject"]), None);
    }
}
