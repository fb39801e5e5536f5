//! Wildcard patterns (`*`, `?`), the one matcher for actions, resources and
//! string conditions (and, through `iam-catalog`, the catalog's expansion).
//!
//! Matching simulates the pattern's automaton over the text in one pass
//! (a Thompson-style NFA with a set of live states), so it is linear in the
//! text for a given pattern: `*a*a*a*a*b` cannot blow up the way a
//! backtracking glob does. Worst case is `O(len(text) * len(pattern) / 64)`.

use std::collections::HashMap;

/// One element of a compiled wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// This exact character.
    Lit(char),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, the empty one included.
    AnyString,
    /// `?` inside one colon-separated segment of an ARN: any character but `:`.
    AnyCharInSegment,
    /// `*` inside one colon-separated segment of an ARN: any run of
    /// characters without `:`.
    AnyStringInSegment,
}

impl Tok {
    fn is_star(self) -> bool {
        matches!(self, Tok::AnyString | Tok::AnyStringInSegment)
    }
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
    /// Multi-word bit-parallel form, for longer patterns with `:`-bound
    /// wildcards.
    wide: Option<WideNfa>,
    /// Greedy segments, for longer plain patterns.
    long: Option<crate::pattern::segments::Segments>,
}

/// The pattern's automaton as bit masks: bit `i` is the state "the first `i`
/// tokens have matched". No allocation while matching.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct SmallNfa {
    /// `*` states (both kinds): they may match nothing.
    star: u64,
    /// `*` states that may also consume a `:`.
    star_colon: u64,
    /// `?` states (both kinds).
    any: u64,
    /// `?` states that may also consume a `:`.
    any_colon: u64,
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
                Tok::AnyString => {
                    n.star |= bit;
                    n.star_colon |= bit;
                }
                Tok::AnyStringInSegment => n.star |= bit,
                Tok::AnyChar => {
                    n.any |= bit;
                    n.any_colon |= bit;
                }
                Tok::AnyCharInSegment => n.any |= bit,
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
            let (mut mask, stay) = if c == ':' {
                (self.any_colon, self.star_colon)
            } else {
                (self.any, self.star)
            };
            for (bit, l) in &self.lits {
                if *l == c {
                    mask |= bit;
                }
            }
            cur = close(((cur & mask) << 1) | (cur & stay));
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
            // consecutive stars are one star (the broader kind)
            if let Some(last) = out.last_mut() {
                if t.is_star() && last.is_star() {
                    if t == Tok::AnyString {
                        *last = Tok::AnyString;
                    }
                    continue;
                }
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
        let long = if literal.is_none() && small.is_none() {
            crate::pattern::segments::Segments::new(&out)
        } else {
            None
        };
        let wide = if literal.is_none() && small.is_none() && long.is_none() {
            Some(WideNfa::new(&out))
        } else {
            None
        };
        Glob {
            toks: out,
            literal,
            prefix,
            suffix: suffix.into_iter().collect(),
            small,
            wide,
            long,
        }
    }

    /// A pattern that matches no text.
    pub fn never() -> Glob {
        Glob::default()
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
        if self.toks.is_empty() && self.literal.is_none() {
            // `Glob::never()`
            return false;
        }
        if let Some(lit) = &self.literal {
            return lit == text;
        }
        if self.is_match_all() {
            return true;
        }
        if !text.starts_with(&self.prefix) || !text.ends_with(&self.suffix) {
            return false;
        }
        match (&self.small, &self.long, &self.wide) {
            (Some(n), _, _) => n.matches(text),
            (None, Some(s), _) => s.matches(text),
            (None, None, Some(n)) => n.matches(text),
            (None, None, None) => false,
        }
    }
}

/// Lower-cases for case-insensitive comparison.
pub fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

/// The automaton of a pattern of more than 63 tokens, as bit sets of
/// `words` 64-bit words (bit `i` is the state "the first `i` tokens have
/// matched"). Each text character costs `O(words)`: matching is
/// `O(len(text) * len(pattern) / 64)` with no allocation per character, so a
/// 50,000-character pattern against a 50,000-character text takes
/// milliseconds rather than seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct WideNfa {
    words: usize,
    /// `*` states (both kinds), and those that may also consume a `:`.
    star: Vec<u64>,
    star_colon: Vec<u64>,
    /// `?` states (both kinds), and those that may also consume a `:`.
    any: Vec<u64>,
    any_colon: Vec<u64>,
    /// Characters that occur at least `words` times: their full mask.
    dense: HashMap<char, Vec<u64>>,
    /// The other characters: the token positions where they occur (fewer
    /// than `words`, so applying them costs no more than a full mask).
    sparse: HashMap<char, Vec<usize>>,
    accept: usize,
}

fn set_bit(v: &mut [u64], i: usize) {
    if let Some(w) = v.get_mut(i / 64) {
        *w |= 1u64 << (i % 64);
    }
}

fn bit(v: &[u64], i: usize) -> bool {
    v.get(i / 64).is_some_and(|w| w & (1u64 << (i % 64)) != 0)
}

/// `dst = src << 1` across words.
fn shift_into(dst: &mut [u64], src: &[u64]) {
    let mut carry = 0u64;
    for (d, s) in dst.iter_mut().zip(src) {
        *d = (s << 1) | carry;
        carry = s >> 63;
    }
}

impl WideNfa {
    fn new(toks: &[Tok]) -> WideNfa {
        let words = (toks.len() + 1).div_ceil(64);
        let mut n = WideNfa {
            words,
            star: vec![0; words],
            star_colon: vec![0; words],
            any: vec![0; words],
            any_colon: vec![0; words],
            accept: toks.len(),
            ..WideNfa::default()
        };
        let mut positions: HashMap<char, Vec<usize>> = HashMap::new();
        for (i, t) in toks.iter().enumerate() {
            match t {
                Tok::AnyString => {
                    set_bit(&mut n.star, i);
                    set_bit(&mut n.star_colon, i);
                }
                Tok::AnyStringInSegment => set_bit(&mut n.star, i),
                Tok::AnyChar => {
                    set_bit(&mut n.any, i);
                    set_bit(&mut n.any_colon, i);
                }
                Tok::AnyCharInSegment => set_bit(&mut n.any, i),
                Tok::Lit(c) => positions.entry(*c).or_default().push(i),
            }
        }
        for (c, ps) in positions {
            if ps.len() >= words {
                let mut mask = vec![0; words];
                for p in ps {
                    set_bit(&mut mask, p);
                }
                n.dense.insert(c, mask);
            } else {
                n.sparse.insert(c, ps);
            }
        }
        n
    }

    /// Adds the epsilon moves: a `*` may match nothing (consecutive stars are
    /// collapsed, so one step closes the set).
    fn close(&self, set: &mut [u64], tmp: &mut [u64]) {
        for ((t, s), st) in tmp.iter_mut().zip(set.iter()).zip(&self.star) {
            *t = s & st;
        }
        let mut carry = 0u64;
        for (s, t) in set.iter_mut().zip(tmp.iter()) {
            *s |= (t << 1) | carry;
            carry = t >> 63;
        }
    }

    fn matches(&self, text: &str) -> bool {
        let w = self.words;
        let mut cur = vec![0u64; w];
        let mut moved = vec![0u64; w];
        let mut next = vec![0u64; w];
        let mut tmp = vec![0u64; w];
        set_bit(&mut cur, 0);
        self.close(&mut cur, &mut tmp);
        for c in text.chars() {
            let (any, stay) = if c == ':' {
                (&self.any_colon, &self.star_colon)
            } else {
                (&self.any, &self.star)
            };
            // states whose token accepts c
            for ((m, s), a) in moved.iter_mut().zip(&cur).zip(any) {
                *m = s & a;
            }
            if let Some(mask) = self.dense.get(&c) {
                for ((m, s), k) in moved.iter_mut().zip(&cur).zip(mask) {
                    *m |= s & k;
                }
            } else if let Some(ps) = self.sparse.get(&c) {
                for &p in ps {
                    if bit(&cur, p) {
                        set_bit(&mut moved, p);
                    }
                }
            }
            shift_into(&mut next, &moved);
            // a `*` state stays where it is, consuming c
            let mut live = false;
            for ((n, s), st) in next.iter_mut().zip(&cur).zip(stay) {
                *n |= s & st;
                live |= *n != 0;
            }
            if !live {
                return false;
            }
            self.close(&mut next, &mut tmp);
            std::mem::swap(&mut cur, &mut next);
        }
        bit(&cur, self.accept)
    }
}

fn glob_text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            Tok::AnyChar | Tok::AnyCharInSegment => '?',
            Tok::AnyString | Tok::AnyStringInSegment => '*',
        })
        .collect()
}

#[cfg(test)]
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
        fn very_long_patterns_agree_with_reference(p in "[ab*?]{120,300}", t in "[ab]{0,320}") {
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
}
