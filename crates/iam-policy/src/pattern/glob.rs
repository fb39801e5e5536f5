//! Wildcard patterns (`*`, `?`), the one matcher for actions, resources and
//! string conditions, and, through `iam-catalog`, for the catalog's action
//! expansion.
//!
//! A pattern is compiled into the literal text before its first wildcard
//! (the prefix), the literal text after its last wildcard (the suffix), and
//! what lies between. Most patterns IAM policies hold have no wildcard
//! (`s3:GetObject`) or one `*` (`s3:Get*`, `arn:aws:s3:::bucket/*`): they
//! are compared as text, with no automaton and no allocation. Patterns with
//! more wildcards run the automaton of their middle part over the text
//! between the prefix and the suffix, in one pass (a Thompson-style NFA kept
//! as bit sets), so matching is linear in the text for a given pattern:
//! `*a*a*a*a*b` cannot blow up the way a backtracking glob does. Worst case
//! is `O(len(text) * len(pattern) / 64)`.
//!
//! Case: action names are ASCII and IAM matches them case-insensitively, so
//! [`Glob::wildcard_ignore_case`] folds ASCII letters (and only them) on both
//! sides, without lower-casing the text it is given.

use crate::syntax::text::Text;
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
    pub(crate) fn is_star(self) -> bool {
        matches!(self, Tok::AnyString | Tok::AnyStringInSegment)
    }

    fn lit(self) -> Option<char> {
        match self {
            Tok::Lit(c) => Some(c),
            _ => None,
        }
    }

    /// The character the pattern's text shows for this token.
    fn shown(self) -> char {
        match self {
            Tok::Lit(c) => c,
            Tok::AnyChar | Tok::AnyCharInSegment => '?',
            Tok::AnyString | Tok::AnyStringInSegment => '*',
        }
    }
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone, Default)]
pub struct Glob {
    /// The whole pattern when it has no wildcard; otherwise its literal
    /// prefix (before the first wildcard) at the start and its literal
    /// suffix (after the last one) at the end: the pattern's own text when
    /// it has one `*` (shared, not copied), else the two joined. ASCII
    /// lower-cased when `fold`.
    lit: Text,
    /// The prefix's length in bytes, within `lit`.
    prefix: usize,
    /// Where the suffix starts in `lit` (`prefix`, or past the `*`).
    suffix: usize,
    /// ASCII letters match either case.
    fold: bool,
    shape: Shape,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Shape {
    /// Matches nothing ([`Glob::never`]).
    #[default]
    Never,
    /// No wildcard: `lit` is the whole pattern.
    Literal,
    /// Prefix, one `*`, suffix. `colon`: the `*` may span a `:`.
    Star { colon: bool },
    /// Prefix, the automaton of the tokens from the first wildcard to the
    /// last, suffix.
    Middle(Box<Middle>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Middle {
    /// From the first wildcard to the last (consecutive stars collapsed).
    toks: Box<[Tok]>,
    nfa: Nfa,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Nfa {
    Small(SmallNfa),
    /// Longer plain patterns (`*` and `?` only): greedy segments.
    Long(crate::pattern::segments::Segments),
    /// Longer patterns with `:`-bound wildcards.
    Wide(WideNfa),
}

/// What a pattern's text holds, found in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Scan {
    /// How many `*`, and where the last one is.
    stars: usize,
    star_at: usize,
    /// A `?`.
    question: bool,
    /// An upper-case ASCII letter.
    upper: bool,
}

impl Scan {
    /// Eight bytes at a time: for each byte of a word, whether it is a `*`,
    /// a `?` or in `A`..=`Z`, as the high bit of the byte in a mask (exact
    /// per byte: the 7-bit sums below never carry into the next byte).
    fn of(bytes: &[u8]) -> Scan {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const LOW7: u64 = ONES * 0x7F;
        const HIGH: u64 = ONES * 0x80;
        // the bytes of `x` that are zero
        let zero = |x: u64| !(((x & LOW7) + LOW7) | x) & HIGH;
        let mut scan = Scan::default();
        let mut words = bytes.chunks_exact(8);
        let mut at = 0;
        for w in words.by_ref() {
            let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
            let star = zero(w ^ (ONES * u64::from(b'*')));
            if star != 0 {
                scan.stars += star.count_ones() as usize;
                scan.star_at = at + (63 - star.leading_zeros() as usize) / 8;
            }
            scan.question |= zero(w ^ (ONES * u64::from(b'?'))) != 0;
            let low = w & LOW7;
            let at_least_a = low + ONES * (0x80 - u64::from(b'A'));
            let above_z = low + ONES * (0x7F - u64::from(b'Z'));
            scan.upper |= at_least_a & !above_z & !w & HIGH != 0;
            at += 8;
        }
        for (i, &b) in words.remainder().iter().enumerate() {
            match b {
                b'*' => {
                    scan.stars += 1;
                    scan.star_at = at + i;
                }
                b'?' => scan.question = true,
                b'A'..=b'Z' => scan.upper = true,
                _ => {}
            }
        }
        scan
    }
}

/// Appends a token, collapsing consecutive stars into one (the broader kind).
fn push_collapsed(out: &mut Vec<Tok>, t: Tok) {
    if let Some(last) = out.last_mut() {
        if t.is_star() && last.is_star() {
            if t == Tok::AnyString {
                *last = Tok::AnyString;
            }
            return;
        }
    }
    out.push(t);
}

fn fold_char(c: char, fold: bool) -> char {
    if fold {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// Does `text` equal `pattern` (ASCII lower case when `fold`, matching
/// either case of `text`)? Stops at the first difference.
#[inline]
fn eq_bytes(pattern: &[u8], text: &[u8], fold: bool) -> bool {
    if pattern.len() != text.len() {
        return false;
    }
    if fold {
        pattern
            .iter()
            .zip(text)
            .all(|(p, t)| *p == t.to_ascii_lowercase())
    } else {
        pattern == text
    }
}

/// Patterns are equal when they match alike: the same prefix, suffix,
/// case and middle, however their text is held.
impl PartialEq for Glob {
    fn eq(&self, other: &Glob) -> bool {
        self.prefix_suffix() == other.prefix_suffix()
            && self.fold == other.fold
            && self.shape == other.shape
    }
}

impl Eq for Glob {}

impl Glob {
    /// Builds a pattern from tokens (consecutive `*` are collapsed).
    pub fn from_toks(toks: impl IntoIterator<Item = Tok>) -> Glob {
        let mut out = Vec::new();
        for t in toks {
            push_collapsed(&mut out, t);
        }
        Glob::build(&out, false)
    }

    /// [`Glob::from_toks`] of a vector, collapsed in place.
    pub(crate) fn from_tok_vec(mut toks: Vec<Tok>) -> Glob {
        toks.dedup_by(|t, prev| {
            if t.is_star() && prev.is_star() {
                if *t == Tok::AnyString {
                    *prev = Tok::AnyString;
                }
                true
            } else {
                false
            }
        });
        Glob::build(&toks, false)
    }

    /// [`Glob::from_toks`], matching ignoring ASCII case (see
    /// [`Glob::wildcard_ignore_case`]).
    pub fn from_toks_ignore_case(toks: impl IntoIterator<Item = Tok>) -> Glob {
        let mut out = Vec::new();
        for t in toks {
            push_collapsed(&mut out, t);
        }
        Glob::build(&out, true)
    }

    /// Compiles collapsed tokens.
    fn build(toks: &[Tok], fold: bool) -> Glob {
        let first = toks.iter().position(|t| t.lit().is_none());
        let last = toks.iter().rposition(|t| t.lit().is_none());
        let (Some(first), Some(last)) = (first, last) else {
            let lit = Text::build(|s| {
                s.extend(
                    toks.iter()
                        .filter_map(|t| t.lit())
                        .map(|c| fold_char(c, fold)),
                )
            });
            return Glob {
                prefix: lit.len(),
                suffix: lit.len(),
                lit,
                fold,
                shape: Shape::Literal,
            };
        };
        let head = toks.get(..first).unwrap_or_default();
        let tail = toks.get(last + 1..).unwrap_or_default();
        let mut prefix = 0;
        let lit = Text::build(|s| {
            s.extend(
                head.iter()
                    .filter_map(|t| t.lit())
                    .map(|c| fold_char(c, fold)),
            );
            prefix = s.len();
            s.extend(
                tail.iter()
                    .filter_map(|t| t.lit())
                    .map(|c| fold_char(c, fold)),
            );
        });
        let middle = toks.get(first..=last).unwrap_or_default();
        let shape = match middle {
            [t] if t.is_star() => Shape::Star {
                colon: *t == Tok::AnyString,
            },
            _ => {
                let toks: Box<[Tok]> = middle
                    .iter()
                    .map(|t| match t {
                        Tok::Lit(c) => Tok::Lit(fold_char(*c, fold)),
                        other => *other,
                    })
                    .collect();
                let nfa = match SmallNfa::new(&toks) {
                    Some(n) => Nfa::Small(n),
                    None => match crate::pattern::segments::Segments::new(&toks) {
                        Some(l) => Nfa::Long(l),
                        None => Nfa::Wide(WideNfa::new(&toks)),
                    },
                };
                Shape::Middle(Box::new(Middle { toks, nfa }))
            }
        };
        Glob {
            lit,
            prefix,
            suffix: prefix,
            fold,
            shape,
        }
    }

    /// A pattern that matches no text.
    pub fn never() -> Glob {
        Glob::default()
    }

    /// Exactly this text (no wildcard).
    pub fn literal(text: &str) -> Glob {
        Glob::literal_text(text.into())
    }

    /// Exactly this text (no wildcard), shared, not copied.
    pub fn literal_text(text: Text) -> Glob {
        Glob {
            prefix: text.len(),
            suffix: text.len(),
            lit: text,
            fold: false,
            shape: Shape::Literal,
        }
    }

    /// Compiles `text`, reading `*` and `?` as wildcards.
    pub fn wildcard(text: &str) -> Glob {
        Glob::compile_text(text, None, false)
    }

    /// [`Glob::wildcard`], sharing the text when it holds no wildcard.
    pub fn wildcard_text(text: &Text) -> Glob {
        Glob::compile_text(text, Some(text), false)
    }

    /// Compiles `text` for matching that ignores the case of ASCII letters
    /// (action names are ASCII): `S3:get*` matches `s3:GetObject`.
    pub fn wildcard_ignore_case(text: &str) -> Glob {
        Glob::compile_text(text, None, true)
    }

    /// [`Glob::wildcard_ignore_case`], sharing the text when it holds no
    /// upper-case ASCII letter and at most one `*` (pass it lower-cased).
    pub fn wildcard_ignore_case_text(text: &Text) -> Glob {
        Glob::compile_text(text, Some(text), true)
    }

    fn compile_text(text: &str, shared: Option<&Text>, fold: bool) -> Glob {
        let Scan {
            stars,
            star_at,
            question: other,
            upper,
        } = Scan::of(text.as_bytes());
        if stars <= 1 && !other {
            let (prefix, shape) = if stars == 0 {
                (text.len(), Shape::Literal)
            } else {
                (star_at, Shape::Star { colon: true })
            };
            return match shared {
                // the text itself, shared: its `*` lies between the prefix
                // and the suffix
                Some(t) if !(fold && upper) => Glob {
                    lit: t.clone(),
                    prefix,
                    suffix: (prefix + 1).min(text.len()),
                    fold,
                    shape,
                },
                // the prefix and the suffix, joined
                _ => {
                    let lit = Text::build(|s| {
                        s.push_str(text.get(..prefix).unwrap_or_default());
                        s.push_str(text.get(prefix + 1..).unwrap_or_default());
                        if fold {
                            s.make_ascii_lowercase();
                        }
                    });
                    Glob {
                        suffix: prefix,
                        lit,
                        prefix,
                        fold,
                        shape,
                    }
                }
            };
        }
        let mut toks = Vec::with_capacity(text.len());
        for c in text.chars() {
            push_collapsed(
                &mut toks,
                match c {
                    '*' => Tok::AnyString,
                    '?' => Tok::AnyChar,
                    c => Tok::Lit(c),
                },
            );
        }
        Glob::build(&toks, fold)
    }

    /// True when the pattern is exactly `*`.
    pub fn is_match_all(&self) -> bool {
        matches!(self.shape, Shape::Star { colon: true }) && self.prefix_suffix() == ("", "")
    }

    /// True when the pattern holds no wildcard.
    pub fn is_literal(&self) -> bool {
        matches!(self.shape, Shape::Literal)
    }

    /// The text of a pattern without wildcards (lower-cased for a
    /// case-insensitive pattern).
    pub fn as_literal(&self) -> Option<&str> {
        matches!(self.shape, Shape::Literal).then_some(&*self.lit)
    }

    /// [`Glob::as_literal`]'s bytes (what an exact comparison reads).
    #[inline]
    pub fn literal_bytes(&self) -> Option<&[u8]> {
        matches!(self.shape, Shape::Literal).then(|| self.lit.as_bytes())
    }

    fn prefix_suffix(&self) -> (&str, &str) {
        (
            self.lit.get(..self.prefix).unwrap_or_default(),
            self.lit.get(self.suffix..).unwrap_or_default(),
        )
    }

    /// The pattern's tokens (consecutive stars collapsed; lower-cased for a
    /// case-insensitive pattern).
    pub fn toks(&self) -> Vec<Tok> {
        let (prefix, suffix) = self.prefix_suffix();
        let mut out: Vec<Tok> = prefix.chars().map(Tok::Lit).collect();
        match &self.shape {
            Shape::Never => return Vec::new(),
            Shape::Literal => return self.lit.chars().map(Tok::Lit).collect(),
            Shape::Star { colon: true } => out.push(Tok::AnyString),
            Shape::Star { colon: false } => out.push(Tok::AnyStringInSegment),
            Shape::Middle(m) => out.extend(m.toks.iter().copied()),
        }
        out.extend(suffix.chars().map(Tok::Lit));
        out
    }

    /// [`Glob::text`], shared (not copied) for a pattern without wildcards.
    pub fn shared_text(&self) -> Text {
        match self.shape {
            Shape::Literal => self.lit.clone(),
            _ => self.text().into(),
        }
    }

    /// The pattern as text (`*` and `?` for wildcards).
    pub fn text(&self) -> String {
        let (prefix, suffix) = self.prefix_suffix();
        match &self.shape {
            Shape::Never => String::new(),
            Shape::Literal => self.lit.to_string(),
            Shape::Star { .. } => {
                let mut s = String::with_capacity(self.lit.len() + 1);
                s.push_str(prefix);
                s.push('*');
                s.push_str(suffix);
                s
            }
            Shape::Middle(m) => {
                let mut s = String::with_capacity(self.lit.len() + m.toks.len());
                s.push_str(prefix);
                s.extend(m.toks.iter().map(|t| t.shown()));
                s.push_str(suffix);
                s
            }
        }
    }

    /// Does the whole of `text` match the pattern?
    pub fn matches(&self, text: &str) -> bool {
        let fold = self.fold;
        match &self.shape {
            Shape::Literal => eq_bytes(self.lit.as_bytes(), text.as_bytes(), fold),
            Shape::Star { colon } => self
                .between(text)
                .is_some_and(|mid| *colon || !mid.contains(':')),
            Shape::Middle(m) => self.between(text).is_some_and(|mid| match &m.nfa {
                Nfa::Small(n) => n.matches(mid, fold),
                Nfa::Long(l) => l.matches(mid, fold),
                Nfa::Wide(n) => n.matches(mid, fold),
            }),
            Shape::Never => false,
        }
    }

    /// The text between the prefix and the suffix, when it starts with the
    /// one and ends with the other (without overlap).
    #[inline]
    fn between<'t>(&self, text: &'t str) -> Option<&'t str> {
        let (lit, t) = (self.lit.as_bytes(), text.as_bytes());
        let (prefix, rest) = lit.split_at_checked(self.prefix)?;
        let suffix = rest.get(self.suffix.wrapping_sub(self.prefix)..)?;
        let end = t.len().checked_sub(suffix.len())?;
        if end < self.prefix {
            return None;
        }
        if eq_bytes(prefix, t.get(..self.prefix)?, self.fold)
            && eq_bytes(suffix, t.get(end..)?, self.fold)
        {
            text.get(self.prefix..end)
        } else {
            None
        }
    }
}

/// Does `text` match these tokens? For patterns built per request (a
/// template whose variables were substituted): the literal prefix and
/// suffix are compared first, with no allocation, and an automaton is built
/// only when they match and wildcards lie between them.
pub fn matches_toks(toks: &[Tok], text: &str) -> bool {
    let mut rest = text;
    let mut i = 0;
    while let Some(c) = toks.get(i).and_then(|t| t.lit()) {
        match rest.strip_prefix(c) {
            Some(r) => rest = r,
            None => return false,
        }
        i += 1;
    }
    let mut j = toks.len();
    while j > i {
        let Some(c) = toks.get(j - 1).and_then(|t| t.lit()) else {
            break;
        };
        match rest.strip_suffix(c) {
            Some(r) => rest = r,
            None => return false,
        }
        j -= 1;
    }
    let middle = toks.get(i..j).unwrap_or_default();
    if middle.is_empty() {
        return rest.is_empty();
    }
    if middle.iter().all(|t| t.is_star()) {
        return middle.contains(&Tok::AnyString) || !rest.contains(':');
    }
    Glob::from_toks(middle.iter().copied()).matches(rest)
}

/// Renders tokens as text (`*` and `?` for wildcards), consecutive `*`
/// wildcards as one, as the compiled pattern shows them.
pub fn toks_text(toks: &[Tok]) -> String {
    let mut s = String::with_capacity(toks.len());
    toks_text_into(toks, &mut s);
    s
}

/// [`toks_text`], appended to `s`.
fn toks_text_into(toks: &[Tok], s: &mut String) {
    s.reserve(toks.len());
    let mut star = false;
    for t in toks {
        if t.is_star() {
            if !star {
                s.push('*');
            }
            star = true;
        } else {
            s.push(t.shown());
            star = false;
        }
    }
}

/// Lower-cases for case-insensitive comparison (`StringEqualsIgnoreCase`):
/// Unicode lower case.
pub fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

/// Are `a` and `b` equal ignoring case, as [`fold_case`] compares them? No
/// allocation when both are ASCII.
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// The automaton of up to 63 tokens as bit masks: bit `i` is the state "the
/// first `i` tokens have matched". No allocation while matching; one table
/// lookup per ASCII character.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SmallNfa {
    /// `*` states (both kinds): they may match nothing.
    star: u64,
    /// `*` states that may also consume a `:`.
    star_colon: u64,
    /// `?` states (both kinds).
    any: u64,
    /// `?` states that may also consume a `:`.
    any_colon: u64,
    accept: u64,
    /// For an ASCII character, the index in `masks` of the states whose
    /// token is that character (0: none).
    index: [u8; 128],
    /// `masks[0]` is 0.
    masks: Vec<u64>,
    /// Other characters and their states.
    other: Vec<(char, u64)>,
}

impl SmallNfa {
    fn new(toks: &[Tok]) -> Option<SmallNfa> {
        if toks.len() > 63 {
            return None;
        }
        let mut n = SmallNfa {
            star: 0,
            star_colon: 0,
            any: 0,
            any_colon: 0,
            accept: 1u64 << toks.len(),
            index: [0; 128],
            // at most one mask per literal token, allocated once
            masks: Vec::with_capacity(1 + toks.iter().filter(|t| t.lit().is_some()).count()),
            other: Vec::new(),
        };
        n.masks.push(0);
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
                Tok::Lit(c) => match n.index.get_mut(*c as usize) {
                    Some(slot) => {
                        if *slot == 0 {
                            *slot = n.masks.len() as u8;
                            n.masks.push(0);
                        }
                        if let Some(m) = n.masks.get_mut(usize::from(*slot)) {
                            *m |= bit;
                        }
                    }
                    None => match n.other.iter_mut().find(|(o, _)| o == c) {
                        Some((_, m)) => *m |= bit,
                        None => n.other.push((*c, bit)),
                    },
                },
            }
        }
        Some(n)
    }

    fn lit_mask(&self, c: char) -> u64 {
        match self.index.get(c as usize) {
            Some(i) => self.masks.get(usize::from(*i)).copied().unwrap_or(0),
            None => self
                .other
                .iter()
                .filter(|(o, _)| *o == c)
                .fold(0, |m, (_, b)| m | b),
        }
    }

    fn matches(&self, text: &str, fold: bool) -> bool {
        // consecutive stars are collapsed, so one epsilon step closes a set
        let close = |s: u64| s | ((s & self.star) << 1);
        let mut cur = close(1);
        for c in text.chars() {
            let c = fold_char(c, fold);
            let (any, stay) = if c == ':' {
                (self.any_colon, self.star_colon)
            } else {
                (self.any, self.star)
            };
            let mask = any | self.lit_mask(c);
            cur = close(((cur & mask) << 1) | (cur & stay));
            if cur == 0 {
                return false;
            }
        }
        cur & self.accept != 0
    }
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

    fn matches(&self, text: &str, fold: bool) -> bool {
        let w = self.words;
        let mut cur = vec![0u64; w];
        let mut moved = vec![0u64; w];
        let mut next = vec![0u64; w];
        let mut tmp = vec![0u64; w];
        set_bit(&mut cur, 0);
        self.close(&mut cur, &mut tmp);
        for c in text.chars() {
            let c = fold_char(c, fold);
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

#[cfg(test)]
mod tests {
    #[test]
    fn scan_finds_stars_questions_and_upper_case_in_words_and_tails() {
        let byte_by_byte = |t: &[u8]| {
            let mut s = super::Scan::default();
            for (i, &b) in t.iter().enumerate() {
                match b {
                    b'*' => {
                        s.stars += 1;
                        s.star_at = i;
                    }
                    b'?' => s.question = true,
                    b'A'..=b'Z' => s.upper = true,
                    _ => {}
                }
            }
            s
        };
        for t in [
            "",
            "*",
            "s3:GetObject",
            "imagebuilder:*",
            "arn:aws:imagebuilder:*:*:component/*",
            "a?b*c**d",
            "@[Z`{ \u{e9}*\u{7f}\u{80}",
            "ZZZZZZZZ*",
            "********?",
            "zzzzzzzzAzzzzzzz",
            "é*É?Ω",
        ] {
            assert_eq!(
                super::Scan::of(t.as_bytes()),
                byte_by_byte(t.as_bytes()),
                "{t}"
            );
        }
        for b in 0..=255u8 {
            let t = [b'x', b'x', b'x', b, b'x', b'x', b'x', b'x', b];
            assert_eq!(super::Scan::of(&t), byte_by_byte(&t), "byte {b}");
        }
    }

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

    fn toks_of(p: &str) -> Vec<Tok> {
        p.chars()
            .map(|c| match c {
                '*' => Tok::AnyString,
                '?' => Tok::AnyChar,
                c => Tok::Lit(c),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?]{0,8}", t in "[abc]{0,10}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            let expected = reference(&pc, &tc);
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), expected);
            prop_assert_eq!(Glob::from_toks(toks_of(&p)).matches(&t), expected);
            prop_assert_eq!(matches_toks(&toks_of(&p), &t), expected);
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
            let expected = reference(&pc, &tc);
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), expected);
            prop_assert_eq!(matches_toks(&toks_of(&p), &t), expected);
        }

        #[test]
        fn agrees_on_unicode_text(p in "[aé*?]{0,7}", t in "[aéb]{0,9}") {
            let pc: Vec<char> = p.chars().collect();
            let tc: Vec<char> = t.chars().collect();
            let expected = reference(&pc, &tc);
            prop_assert_eq!(Glob::wildcard(&p).matches(&t), expected);
            prop_assert_eq!(matches_toks(&toks_of(&p), &t), expected);
        }

        #[test]
        fn ignore_case_folds_ascii_only(p in "[aAé*?]{0,7}", t in "[aAéÉ]{0,9}") {
            let pc: Vec<char> = p.chars().map(|c| c.to_ascii_lowercase()).collect();
            let tc: Vec<char> = t.chars().map(|c| c.to_ascii_lowercase()).collect();
            prop_assert_eq!(Glob::wildcard_ignore_case(&p).matches(&t), reference(&pc, &tc));
        }

        #[test]
        fn text_round_trips(p in "[ab:*?]{0,12}") {
            let g = Glob::wildcard(&p);
            let collapsed = Glob::from_toks(toks_of(&p));
            prop_assert_eq!(g.text(), collapsed.text());
            prop_assert_eq!(Glob::from_toks(g.toks()), g);
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
        assert!(Glob::wildcard("*").is_match_all());
        assert!(Glob::wildcard("**").is_match_all());
        assert!(Glob::wildcard("s3:Get*").matches("s3:GetObject"));
        assert!(!Glob::wildcard("s3:Get*").matches("s3:PutObject"));
        assert!(Glob::wildcard("s3:?etObject").matches("s3:GetObject"));
        assert!(!Glob::wildcard("a?").matches("a"));
        assert!(!Glob::wildcard("ab*ba").matches("aba"));
        assert!(Glob::wildcard_ignore_case("S3:get*").matches("s3:GetObject"));
        assert!(Glob::wildcard_ignore_case("S3:get*").matches(&fold_case("s3:GetObject")));
        assert!(Glob::wildcard_ignore_case("s3:getobject").matches("S3:GETOBJECT"));
        assert!(!Glob::wildcard_ignore_case("s3:é").matches("s3:É"));
        assert!(!Glob::never().matches(""));
        assert!(Glob::literal("a*").matches("a*"));
        assert!(!Glob::literal("a*").matches("ab"));
        assert_eq!(Glob::wildcard("a*b?c").text(), "a*b?c");
        assert!(eq_ignore_case("AbC", "aBc"));
        assert!(eq_ignore_case("ÉTÉ", "été"));
    }

    #[test]
    fn segment_stars_stop_at_colons() {
        let g = Glob::from_toks([Tok::Lit('a'), Tok::AnyStringInSegment, Tok::Lit('b')]);
        assert!(g.matches("axyb"));
        assert!(!g.matches("ax:yb"));
        let g = Glob::from_toks([
            Tok::Lit('a'),
            Tok::AnyStringInSegment,
            Tok::AnyCharInSegment,
            Tok::Lit('b'),
        ]);
        assert!(g.matches("axyb"));
        assert!(!g.matches("ax:b"));
        assert!(!g.matches("a:b"));
    }
}
