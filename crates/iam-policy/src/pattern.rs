//! Wildcard patterns (`*`, `?`) and policy variables (`${aws:username}`).
//!
//! Matching simulates the pattern's automaton over the text in one pass
//! (a Thompson-style NFA with a set of live states), so it is linear in the
//! text for a given pattern: `*a*a*a*a*b` cannot blow up the way a
//! backtracking glob does. Worst case is `O(len(text) * len(pattern))`.

use crate::context::RequestContext;
use std::borrow::Cow;

/// One element of a compiled wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// This exact character.
    Lit(char),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, the empty one included.
    AnyString,
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Glob {
    toks: Vec<Tok>,
    /// Set when the pattern holds no wildcard: compared as plain text.
    literal: Option<String>,
    /// Literal text before the first wildcard and after the last one: a
    /// quick rejection before running the automaton.
    prefix: String,
    suffix: String,
    /// Bit-parallel form, for patterns of at most 63 tokens.
    small: Option<SmallNfa>,
}

/// The pattern's automaton as bit masks: bit `i` is the state "the first `i`
/// tokens have matched". No allocation while matching.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct SmallNfa {
    star: u64,
    any: u64,
    lits: Vec<(u64, char)>,
    accept: u64,
}

impl SmallNfa {
    fn new(toks: &[Tok]) -> Option<SmallNfa> {
        if toks.len() > 63 {
            return None;
        }
        let mut n = SmallNfa {
            accept: 1u64 << toks.len(),
            ..SmallNfa::default()
        };
        for (i, t) in toks.iter().enumerate() {
            let bit = 1u64 << i;
            match t {
                Tok::AnyString => n.star |= bit,
                Tok::AnyChar => n.any |= bit,
                Tok::Lit(c) => n.lits.push((bit, *c)),
            }
        }
        Some(n)
    }

    fn matches(&self, text: &str) -> bool {
        // consecutive stars are collapsed, so one epsilon step closes a set
        let close = |s: u64| s | ((s & self.star) << 1);
        let mut cur = close(1);
        for c in text.chars() {
            let mut mask = self.any;
            for (bit, l) in &self.lits {
                if *l == c {
                    mask |= bit;
                }
            }
            cur = close(((cur & mask) << 1) | (cur & self.star));
            if cur == 0 {
                return false;
            }
        }
        cur & self.accept != 0
    }
}

impl Glob {
    /// Builds a pattern from tokens (consecutive `*` are collapsed).
    pub fn from_toks(toks: impl IntoIterator<Item = Tok>) -> Glob {
        let mut out: Vec<Tok> = Vec::new();
        for t in toks {
            if t == Tok::AnyString && out.last() == Some(&Tok::AnyString) {
                continue;
            }
            out.push(t);
        }
        let lit = |t: &Tok| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        };
        let literal = if out.iter().all(|t| matches!(t, Tok::Lit(_))) {
            Some(out.iter().filter_map(lit).collect())
        } else {
            None
        };
        let prefix: String = out.iter().map_while(lit).collect();
        let mut suffix: Vec<char> = out.iter().rev().map_while(lit).collect();
        suffix.reverse();
        let small = if literal.is_none() {
            SmallNfa::new(&out)
        } else {
            None
        };
        Glob {
            toks: out,
            literal,
            prefix,
            suffix: suffix.into_iter().collect(),
            small,
        }
    }

    /// Compiles `text`, reading `*` and `?` as wildcards.
    pub fn wildcard(text: &str) -> Glob {
        Glob::from_toks(text.chars().map(|c| match c {
            '*' => Tok::AnyString,
            '?' => Tok::AnyChar,
            c => Tok::Lit(c),
        }))
    }

    /// Compiles `text` for case-insensitive matching (the text is lower-cased
    /// here; callers lower-case the subject with [`fold_case`]).
    pub fn wildcard_ignore_case(text: &str) -> Glob {
        Glob::wildcard(&fold_case(text))
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        self.toks == [Tok::AnyString]
    }

    pub fn toks(&self) -> &[Tok] {
        &self.toks
    }

    /// The pattern as text (`*` and `?` for wildcards).
    pub fn text(&self) -> String {
        glob_text(&self.toks)
    }

    /// Does the whole of `text` match the pattern?
    pub fn matches(&self, text: &str) -> bool {
        if let Some(lit) = &self.literal {
            return lit == text;
        }
        if self.is_match_all() {
            return true;
        }
        if !text.starts_with(&self.prefix) || !text.ends_with(&self.suffix) {
            return false;
        }
        match &self.small {
            Some(n) => n.matches(text),
            None => nfa_match(&self.toks, text.chars()),
        }
    }
}

/// Lower-cases for case-insensitive comparison.
pub fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

/// NFA simulation for long patterns. State `i` means "the first `i` tokens
/// have matched". Each state is visited at most once per input character.
fn nfa_match(toks: &[Tok], text: impl Iterator<Item = char>) -> bool {
    let m = toks.len();
    let mut cur: Vec<usize> = Vec::with_capacity(m + 1);
    let mut next: Vec<usize> = Vec::with_capacity(m + 1);
    // stamp[i] == generation means state i is already in `next`.
    let mut stamp: Vec<usize> = vec![usize::MAX; m + 1];

    fn add(state: usize, toks: &[Tok], set: &mut Vec<usize>, stamp: &mut [usize], gen: usize) {
        let mut s = state;
        loop {
            match stamp.get_mut(s) {
                Some(st) if *st != gen => *st = gen,
                _ => return,
            }
            set.push(s);
            // epsilon: a `*` may match nothing
            if toks.get(s) == Some(&Tok::AnyString) {
                s += 1;
            } else {
                return;
            }
        }
    }

    add(0, toks, &mut cur, &mut stamp, 0);
    for (k, c) in text.enumerate() {
        let gen = k + 1;
        next.clear();
        for &s in &cur {
            match toks.get(s) {
                Some(Tok::AnyString) => add(s, toks, &mut next, &mut stamp, gen),
                Some(Tok::AnyChar) => add(s + 1, toks, &mut next, &mut stamp, gen),
                Some(Tok::Lit(x)) if *x == c => add(s + 1, toks, &mut next, &mut stamp, gen),
                _ => {}
            }
        }
        std::mem::swap(&mut cur, &mut next);
        if cur.is_empty() {
            return false;
        }
    }
    cur.contains(&m)
}

/// One element of a policy string that may hold variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Tok(Tok),
    /// `${key}` or `${key, 'default'}`.
    Var {
        key: String,
        default: Option<String>,
    },
}

/// A policy string (a Resource entry or a condition value) compiled into
/// literal characters, wildcards and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    has_vars: bool,
    /// Precompiled pattern when there are no variables.
    fixed: Option<Glob>,
}

impl Template {
    /// Compiles `text`. With `variables`, `${…}` is a policy variable (policy
    /// version 2012-10-17); otherwise it is literal text. With `wildcards`,
    /// `*` and `?` are wildcards; otherwise they are literal.
    pub fn parse(text: &str, variables: bool, wildcards: bool) -> Template {
        let chars: Vec<char> = text.chars().collect();
        let mut parts = Vec::with_capacity(chars.len());
        let mut i = 0;
        let mut has_vars = false;
        while let Some(&c) = chars.get(i) {
            if variables && c == '$' && chars.get(i + 1) == Some(&'{') {
                if let Some(close) = chars.iter().skip(i + 2).position(|&c| c == '}') {
                    let inner: String = chars.iter().skip(i + 2).take(close).collect();
                    i += close + 3;
                    match inner.trim() {
                        "*" => parts.push(Part::Tok(Tok::Lit('*'))),
                        "?" => parts.push(Part::Tok(Tok::Lit('?'))),
                        "$" => parts.push(Part::Tok(Tok::Lit('$'))),
                        _ => {
                            has_vars = true;
                            parts.push(parse_var(&inner));
                        }
                    }
                    continue;
                }
            }
            parts.push(Part::Tok(match c {
                '*' if wildcards => Tok::AnyString,
                '?' if wildcards => Tok::AnyChar,
                c => Tok::Lit(c),
            }));
            i += 1;
        }
        let fixed = if has_vars {
            None
        } else {
            Some(Glob::from_toks(parts.iter().filter_map(|p| match p {
                Part::Tok(t) => Some(*t),
                Part::Var { .. } => None,
            })))
        };
        Template {
            parts,
            has_vars,
            fixed,
        }
    }

    /// The compiled pattern when the template holds no variable.
    pub fn fixed(&self) -> Option<&Glob> {
        self.fixed.as_ref()
    }

    pub fn has_variables(&self) -> bool {
        self.has_vars
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The variable keys this template uses.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.as_str()),
            Part::Tok(_) => None,
        })
    }

    /// Substitutes variables from the request context. A substituted value is
    /// literal text (its `*` is not a wildcard). Fails with the keys that have
    /// no value (nor a default) or that are multivalued.
    pub fn resolve(&self, ctx: &RequestContext) -> Result<Cow<'_, Glob>, Vec<String>> {
        if let Some(g) = &self.fixed {
            return Ok(Cow::Borrowed(g));
        }
        let mut toks = Vec::with_capacity(self.parts.len());
        let mut missing = Vec::new();
        for p in &self.parts {
            match p {
                Part::Tok(t) => toks.push(*t),
                Part::Var { key, default } => match ctx.single_value(key) {
                    Some(v) => toks.extend(v.chars().map(Tok::Lit)),
                    None => match default {
                        Some(d) if ctx.get(key).is_none() => toks.extend(d.chars().map(Tok::Lit)),
                        _ => missing.push(key.clone()),
                    },
                },
            }
        }
        if missing.is_empty() {
            Ok(Cow::Owned(Glob::from_toks(toks)))
        } else {
            Err(missing)
        }
    }
}

fn glob_text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            Tok::AnyChar => '?',
            Tok::AnyString => '*',
        })
        .collect()
}

/// Parses the inside of `${…}`: `key` or `key, 'default'`.
fn parse_var(inner: &str) -> Part {
    if let Some((key, rest)) = inner.split_once(',') {
        let rest = rest.trim();
        let default = rest
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .map(str::to_string);
        if default.is_some() {
            return Part::Var {
                key: key.trim().to_string(),
                default,
            };
        }
    }
    Part::Var {
        key: inner.trim().to_string(),
        default: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The textbook dynamic program: `dp[i][j]` is "pattern[i..] matches
    /// text[j..]". A different algorithm from the engine's automaton, so a
    /// reference for the property tests.
    fn reference(p: &[char], t: &[char]) -> bool {
        let (m, n) = (p.len(), t.len());
        let mut dp = vec![vec![false; n + 1]; m + 1];
        dp[m][n] = true;
        for i in (0..m).rev() {
            for j in (0..=n).rev() {
                dp[i][j] = match p[i] {
                    '*' => dp[i + 1][j] || (j < n && dp[i][j + 1]),
                    '?' => j < n && dp[i + 1][j + 1],
                    c => j < n && t[j] == c && dp[i + 1][j + 1],
                };
            }
        }
        dp[0][0]
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?]{0,8}", t in "[abc]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), reference(&pc, &tc));
        }

        #[test]
        fn long_patterns_agree_with_reference(p in "[ab*?]{60,80}", t in "[ab]{0,90}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), reference(&pc, &tc));
        }

        #[test]
        fn agrees_on_arn_like_text(p in "[a:/*?]{0,7}", t in "[a:/]{0,9}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), reference(&pc, &tc));
        }
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let pattern = format!("{}b", "*a".repeat(40));
        let text = "a".repeat(10_000);
        let g = Glob::wildcard(&pattern);
        let start = std::time::Instant::now();
        assert!(!g.matches(&text));
        let ms = start.elapsed().as_millis();
        assert!(ms < 200, "took {ms} ms");
        assert!(g.matches(&format!("{text}b")));
    }

    #[test]
    fn basics() {
        assert!(Glob::wildcard("*").matches(""));
        assert!(Glob::wildcard("s3:Get*").matches("s3:GetObject"));
        assert!(!Glob::wildcard("s3:Get*").matches("s3:PutObject"));
        assert!(Glob::wildcard("s3:?etObject").matches("s3:GetObject"));
        assert!(!Glob::wildcard("a?").matches("a"));
        assert!(Glob::wildcard_ignore_case("S3:get*").matches(&fold_case("s3:GetObject")));
    }

    #[test]
    fn template_escapes_and_defaults() {
        let ctx = RequestContext::from_pairs([("aws:username", vec!["alice"])]);
        let t = Template::parse("home/${aws:username}/${*}", true, true);
        let r = t.resolve(&ctx).unwrap();
        assert_eq!(r.text(), "home/alice/*");
        assert!(r.matches("home/alice/*"));
        assert!(!r.matches("home/alice/x"), "${{*}} is a literal star");
        let t = Template::parse("${aws:PrincipalTag/team, 'none'}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "none");
        let t = Template::parse("${aws:userid}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap_err(), vec!["aws:userid".to_string()]);
        let t = Template::parse("${aws:username}", false, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "${aws:username}");
        // variable names are case-insensitive, like context keys
        let t = Template::parse("${AWS:UserName}", true, false);
        assert_eq!(t.resolve(&ctx).unwrap().text(), "alice");
        // a substituted value is literal, not a wildcard
        let ctx = RequestContext::from_pairs([("aws:username", vec!["a*"])]);
        let t = Template::parse("${aws:username}", true, true);
        let r = t.resolve(&ctx).unwrap();
        assert!(!r.matches("abc"));
        assert!(r.matches("a*"));
    }

    #[test]
    fn multivalued_keys_do_not_resolve() {
        let ctx = RequestContext::from_pairs([("aws:TagKeys", vec!["a", "b"])]);
        let t = Template::parse("${aws:TagKeys, 'x'}", true, false);
        assert!(t.resolve(&ctx).is_err());
    }
}
