//! Small text helpers: "did you mean" suggestions, sub-spans inside a JSON
//! string, and containment of one IAM wildcard pattern in another.

use crate::engine::{Position, Span};
use crate::limits::{Meter, MAX_CONTAINMENT_STATES};
use std::collections::HashMap;

pub(crate) use crate::engine::did_you_mean;

/// The span of characters `[start, start + len)` of a JSON string's content
/// of `total` characters, when the string sits on one line and holds no
/// escape (so that source characters and content characters line up);
/// otherwise the whole span.
pub(crate) fn sub_span(span: Span, total: usize, start: usize, len: usize) -> Span {
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

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Lit(char),
    One,
    Star,
    /// A policy variable `${...}`, compared as an opaque token.
    Var(Box<str>),
}

/// Tokens of a pattern, in one pass: an unclosed `${` is literal text, and
/// once one is unclosed no later `${` can close either, so no search for
/// `}` runs twice over the same text.
fn tokens(p: &str, ignore_case: bool, variables: bool) -> Vec<Tok> {
    let mut out = Vec::with_capacity(p.len());
    let mut rest = p;
    let mut unclosed = false;
    while let Some(c) = rest.chars().next() {
        if variables && !unclosed && rest.starts_with("${") {
            match rest.get(2..).and_then(|r| r.find('}')) {
                Some(close) => {
                    let inner = rest.get(2..2 + close).unwrap_or_default();
                    out.push(match inner {
                        "*" => Tok::Lit('*'),
                        "?" => Tok::Lit('?'),
                        "$" => Tok::Lit('$'),
                        _ => Tok::Var(inner.into()),
                    });
                    rest = rest.get(close + 3..).unwrap_or_default();
                    continue;
                }
                None => unclosed = true,
            }
        }
        let t = match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c if ignore_case => Tok::Lit(c.to_lowercase().next().unwrap_or(c)),
            c => Tok::Lit(c),
        };
        if !(t == Tok::Star && out.last() == Some(&Tok::Star)) {
            out.push(t);
        }
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// An IAM wildcard pattern (`*`, `?`; with variables, `${...}`), tokenized
/// once for the containment tests.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    toks: Vec<Tok>,
    /// Number of leading literal tokens.
    lit: usize,
    /// `*`, `**`, …: matches everything.
    all_star: bool,
    /// [`token_hash`] of all the tokens.
    hash: u64,
    /// [`token_hash`] of the leading literal tokens.
    lit_hash: u64,
}

/// FNV-1a over tokens: incremental, so the hash of every prefix comes in
/// one pass. Only used to find candidates that are then compared token by
/// token, so a collision costs a comparison, never a wrong answer.
fn token_hash(h: u64, t: &Tok) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mix = |h: u64, x: u64| (h ^ x).wrapping_mul(PRIME);
    match t {
        Tok::Lit(c) => mix(h, u64::from(*c)),
        Tok::One => mix(h, 1 << 32),
        Tok::Star => mix(h, 2 << 32),
        Tok::Var(v) => v.bytes().fold(mix(h, 3 << 32), |h, b| mix(h, u64::from(b))),
    }
}

const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

impl Pattern {
    pub(crate) fn new(p: &str, ignore_case: bool, variables: bool) -> Pattern {
        let toks = tokens(p, ignore_case, variables);
        let lit = toks
            .iter()
            .position(|t| !matches!(t, Tok::Lit(_)))
            .unwrap_or(toks.len());
        let mut hash = HASH_START;
        let mut lit_hash = HASH_START;
        for (k, t) in toks.iter().enumerate() {
            hash = token_hash(hash, t);
            if k + 1 == lit {
                lit_hash = hash;
            }
        }
        Pattern {
            toks,
            lit,
            all_star: is_all_star(p),
            hash,
            lit_hash,
        }
    }

    /// The leading literal tokens: every pattern this one covers starts
    /// with them.
    pub(crate) fn literal_prefix(&self) -> &[Tok] {
        self.toks.get(..self.lit).unwrap_or_default()
    }

    /// Has a `*` or `?`: it may cover other patterns than itself.
    pub(crate) fn is_wild(&self) -> bool {
        self.toks.iter().any(|t| matches!(t, Tok::Star | Tok::One))
    }

    /// The tokens: two patterns with the same tokens match the same strings.
    #[cfg(test)]
    pub(crate) fn tokens(&self) -> &[Tok] {
        &self.toks
    }
}

/// The answer of a containment test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cover {
    Yes,
    No,
    /// Not decided: the pair is over [`MAX_CONTAINMENT_STATES`], or the
    /// budget is spent.
    TooComplex,
}

/// Does every string that `inner` matches also match `outer`? With
/// variables, `${...}` is a token that only a `*` or the same variable in
/// `outer` covers.
///
/// Sound but not complete: `Yes` is always right, `No` may miss an exotic
/// containment. A search over pairs of positions (no backtracking), after
/// a check of the literal start; every step is taken from `meter`.
pub(crate) fn covers(outer: &Pattern, inner: &Pattern, meter: &Meter) -> Cover {
    if outer.all_star {
        return Cover::Yes;
    }
    // The literal start of `outer` must begin `inner` (each of those tokens
    // can only be matched by the same literal token).
    if !meter.charge(1 + outer.lit as u64 / 16) {
        return Cover::TooComplex;
    }
    if inner.toks.get(..outer.lit) != Some(outer.literal_prefix()) {
        return Cover::No;
    }
    let o = outer.toks.get(outer.lit..).unwrap_or_default();
    let n = inner.toks.get(outer.lit..).unwrap_or_default();
    if !o.contains(&Tok::Star) {
        // Token for token: `?` takes one literal or `?`, the rest match themselves.
        if !meter.charge(o.len() as u64 / 16) {
            return Cover::TooComplex;
        }
        let fits = o.len() == n.len()
            && o.iter().zip(n).all(|(a, b)| match a {
                Tok::One => matches!(b, Tok::Lit(_) | Tok::One),
                a => a == b,
            });
        return if fits { Cover::Yes } else { Cover::No };
    }
    if o == [Tok::Star] {
        return Cover::Yes;
    }
    let width = n.len() + 1;
    let states = (o.len() + 1).saturating_mul(width);
    if states > MAX_CONTAINMENT_STATES || !meter.charge(states as u64 / 64) {
        return Cover::TooComplex;
    }
    let mut seen = vec![0u64; states.div_ceil(64)];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let at = i * width + j;
        let Some(word) = seen.get_mut(at / 64) else {
            continue;
        };
        let bit = 1u64 << (at % 64);
        if *word & bit != 0 {
            continue;
        }
        *word |= bit;
        if !meter.charge(1) {
            return Cover::TooComplex;
        }
        if i == o.len() && j == n.len() {
            return Cover::Yes;
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
    Cover::No
}

/// The patterns of a list that may cover a given pattern: those with a
/// wildcard whose literal start begins it, and those with the same tokens.
/// Built in one pass over the patterns, queried in one pass over a
/// pattern's literal start (hashes of its prefixes, looked up at the
/// lengths that occur), so finding redundant patterns does not compare
/// every pair. Of identical patterns only the first is kept: a later copy
/// covers exactly what the first does.
pub(crate) struct CoverIndex<'p> {
    patterns: Vec<&'p Pattern>,
    /// (length, hash) of a literal start → the wild patterns starting so.
    wild: HashMap<(usize, u64), Vec<usize>>,
    /// The lengths of those literal starts, ascending.
    lengths: Vec<usize>,
    /// Hash of the tokens → the first pattern with those tokens.
    first: HashMap<u64, Vec<usize>>,
}

impl<'p> CoverIndex<'p> {
    pub(crate) fn new(patterns: impl IntoIterator<Item = &'p Pattern>) -> CoverIndex<'p> {
        let mut ix = CoverIndex {
            patterns: patterns.into_iter().collect(),
            wild: HashMap::new(),
            lengths: Vec::new(),
            first: HashMap::new(),
        };
        for (k, p) in ix.patterns.iter().enumerate() {
            let firsts = ix.first.entry(p.hash).or_default();
            if firsts
                .iter()
                .any(|&i| ix.patterns.get(i).is_some_and(|q| q.toks == p.toks))
            {
                continue;
            }
            firsts.push(k);
            if p.is_wild() {
                ix.wild.entry((p.lit, p.lit_hash)).or_default().push(k);
                ix.lengths.push(p.lit);
            }
        }
        ix.lengths.sort_unstable();
        ix.lengths.dedup();
        ix
    }

    /// The first pattern with the same tokens as `p`.
    pub(crate) fn first_same(&self, p: &Pattern) -> Option<usize> {
        self.first.get(&p.hash).and_then(|firsts| {
            firsts
                .iter()
                .copied()
                .find(|&i| self.patterns.get(i).is_some_and(|q| q.toks == p.toks))
        })
    }

    /// Indices (ascending) of the first copies of the wild patterns whose
    /// literal start begins `p`, plus, rarely, a few others (hash
    /// collisions). With [`CoverIndex::first_same`], a superset of the first
    /// copies of the patterns that cover `p`.
    pub(crate) fn wild_candidates(&self, p: &Pattern) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut lengths = self.lengths.iter().copied().peekable();
        let mut h = HASH_START;
        for len in 0..=p.lit {
            if len > 0 {
                match p.toks.get(len - 1) {
                    Some(t) => h = token_hash(h, t),
                    None => break,
                }
            }
            while lengths.next_if(|&l| l < len).is_some() {}
            if lengths.next_if_eq(&len).is_some() {
                out.extend(self.wild.get(&(len, h)).into_iter().flatten());
            }
            if lengths.peek().is_none() {
                break;
            }
        }
        out.sort_unstable();
        out
    }
}

/// True for `*`, `**`, …: a pattern that matches everything.
pub(crate) fn is_all_star(p: &str) -> bool {
    !p.is_empty() && p.chars().all(|c| c == '*')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn covers(outer: &str, inner: &str, ignore_case: bool, variables: bool) -> bool {
        let m = Meter::new(u64::MAX);
        super::covers(
            &Pattern::new(outer, ignore_case, variables),
            &Pattern::new(inner, ignore_case, variables),
            &m,
        ) == Cover::Yes
    }

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
    fn unclosed_variables_are_text_and_tokenized_once() {
        let p = Pattern::new("a${x", false, true);
        assert_eq!(p.tokens().len(), 4);
        assert_eq!(
            Pattern::new("${a}${b", false, true).tokens()[0],
            Tok::Var("a".into())
        );
        // 200,000 unclosed `${`: linear, so this is instant even in a debug build.
        let long = "${".repeat(200_000);
        let t0 = std::time::Instant::now();
        assert_eq!(Pattern::new(&long, false, true).tokens().len(), 400_000);
        assert!(t0.elapsed().as_secs_f64() < 1.0, "{:?}", t0.elapsed());
    }

    #[test]
    fn containment_has_a_budget() {
        let a = Pattern::new(&"*a".repeat(5_000), false, false);
        let b = Pattern::new(&format!("{}b", "*a".repeat(5_000)), false, false);
        // 10,001 × 10,002 positions: over the table limit, answered at once.
        let m = Meter::new(u64::MAX);
        assert_eq!(super::covers(&a, &b, &m), Cover::TooComplex);
        // Small pairs within a spent budget are too complex as well.
        let m = Meter::new(3);
        let x = Pattern::new("s3:*Object*", true, false);
        let y = Pattern::new("s3:GetObject", true, false);
        assert_eq!(super::covers(&x, &y, &m), Cover::TooComplex);
        assert!(m.exhausted());
        let m = Meter::new(1_000);
        assert_eq!(super::covers(&x, &y, &m), Cover::Yes);
    }

    #[test]
    fn the_index_finds_every_coverer() {
        let texts = [
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::c/*",
            "*",
            "arn:aws:s3:::b/x",
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::b/x/*",
            "arn:aws:s3:::b/*",
        ];
        let pats: Vec<Pattern> = texts.iter().map(|t| Pattern::new(t, false, true)).collect();
        let ix = CoverIndex::new(&pats);
        let m = Meter::new(u64::MAX);
        for (j, p) in pats.iter().enumerate() {
            let wild = ix.wild_candidates(p);
            for (i, q) in pats.iter().enumerate() {
                if super::covers(q, p, &m) == Cover::Yes {
                    let first = ix.first_same(q).unwrap();
                    assert!(
                        wild.contains(&first) || ix.first_same(p) == Some(first),
                        "{} covers {}",
                        texts[i],
                        texts[j]
                    );
                }
            }
        }
        assert_eq!(ix.wild_candidates(&pats[1]), vec![0, 3, 5]);
        assert_eq!(ix.first_same(&pats[4]), Some(1));
        assert_eq!(ix.first_same(&pats[7]), Some(0));
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
