//! Long plain wildcard patterns (`*` and `?` only, more than 63 tokens):
//! the pattern is cut at its stars into segments; the first is anchored at
//! the start, the last at the end, and every segment between is placed at
//! its leftmost occurrence after the one before. Leftmost is always safe —
//! it leaves the most text to the segments after it — so there is no
//! backtracking, and each segment is found by a bit-parallel scan
//! (shift-and, `?` matching any character): the whole match reads the text
//! about once, `O(len(text) * longest segment / 64)`.

use crate::pattern::glob::Tok;
use std::collections::HashMap;

/// One segment: literal characters and `?`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Segment {
    /// `None` is `?`.
    chars: Vec<Option<char>>,
    words: usize,
    /// For each literal character, the positions where it stands.
    masks: HashMap<char, Vec<u64>>,
    /// The positions of `?`.
    any: Vec<u64>,
}

impl Segment {
    fn new(chars: Vec<Option<char>>) -> Segment {
        let words = chars.len().div_ceil(64).max(1);
        let mut s = Segment {
            words,
            any: vec![0; words],
            ..Segment::default()
        };
        for (i, c) in chars.iter().enumerate() {
            let slot = match c {
                None => Some(&mut s.any),
                Some(c) => Some(s.masks.entry(*c).or_insert_with(|| vec![0; words])),
            };
            if let Some(w) = slot.and_then(|m| m.get_mut(i / 64)) {
                *w |= 1u64 << (i % 64);
            }
        }
        s.chars = chars;
        s
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    /// Does the segment match `text` exactly?
    fn matches_exactly(&self, text: &[char]) -> bool {
        text.len() == self.chars.len()
            && self
                .chars
                .iter()
                .zip(text)
                .all(|(p, t)| p.is_none_or(|p| p == *t))
    }

    /// The end of the segment's leftmost occurrence in `text[from..to]`.
    fn find(&self, text: &[char], from: usize, to: usize, state: &mut Vec<u64>) -> Option<usize> {
        let m = self.len();
        if m == 0 {
            return Some(from);
        }
        let last_word = (m - 1) / 64;
        let last_bit = 1u64 << ((m - 1) % 64);
        state.clear();
        state.resize(self.words, 0);
        for (i, c) in text.get(from..to)?.iter().enumerate() {
            let mask = self.masks.get(c);
            // state = ((state << 1) | 1) & (mask(c) | any)
            let mut carry = 1u64;
            for (w, s) in state.iter_mut().enumerate() {
                let shifted = (*s << 1) | carry;
                carry = *s >> 63;
                let allowed = self.any.get(w).copied().unwrap_or(0)
                    | mask.and_then(|m| m.get(w)).copied().unwrap_or(0);
                *s = shifted & allowed;
            }
            if state.get(last_word).is_some_and(|w| w & last_bit != 0) {
                return Some(from + i + 1);
            }
        }
        None
    }
}

/// A long plain pattern, cut at its stars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segments {
    first: Segment,
    middle: Vec<Segment>,
    last: Segment,
    has_star: bool,
}

impl Segments {
    /// `None` when the pattern has segment-bound wildcards (`:`-aware ARN
    /// tokens): those keep the automaton.
    pub(crate) fn new(toks: &[Tok]) -> Option<Segments> {
        let mut pieces: Vec<Vec<Option<char>>> = vec![Vec::new()];
        for t in toks {
            match t {
                Tok::AnyString => pieces.push(Vec::new()),
                Tok::AnyChar => pieces.last_mut()?.push(None),
                Tok::Lit(c) => pieces.last_mut()?.push(Some(*c)),
                Tok::AnyCharInSegment | Tok::AnyStringInSegment => return None,
            }
        }
        let has_star = pieces.len() > 1;
        let last = if has_star {
            pieces.pop().unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut pieces = pieces.into_iter();
        let first = pieces.next().unwrap_or_default();
        Some(Segments {
            first: Segment::new(first),
            middle: pieces.filter(|p| !p.is_empty()).map(Segment::new).collect(),
            last: Segment::new(last),
            has_star,
        })
    }

    /// Does the whole of `text` match? `fold`: the pattern is ASCII
    /// lower case and ASCII letters of `text` match either case.
    pub(crate) fn matches(&self, text: &str, fold: bool) -> bool {
        let text: Vec<char> = if fold {
            text.chars().map(|c| c.to_ascii_lowercase()).collect()
        } else {
            text.chars().collect()
        };
        let n = text.len();
        if !self.has_star {
            return self.first.matches_exactly(&text);
        }
        let (head, tail) = (self.first.len(), self.last.len());
        if head + tail > n {
            return false;
        }
        let end = n - tail;
        let anchored = text
            .get(..head)
            .is_some_and(|t| self.first.matches_exactly(t))
            && text
                .get(end..)
                .is_some_and(|t| self.last.matches_exactly(t));
        if !anchored {
            return false;
        }
        let mut pos = head;
        let mut state = Vec::new();
        for seg in &self.middle {
            match seg.find(&text, pos, end, &mut state) {
                Some(after) => pos = after,
                None => return false,
            }
        }
        true
    }
}
