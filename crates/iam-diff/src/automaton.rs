//! Wildcard patterns as small automata, for three questions the diff asks:
//!
//! - containment: is every text one pattern matches also matched by one of
//!   several others (`arn:aws:s3:::b/logs/*` within `arn:aws:s3:::b/*`)?
//! - intersection: does some text match two patterns at once?
//! - instantiation: a plausible concrete text matching a pattern and a
//!   catalog ARN format, and none of a set of patterns to avoid.
//!
//! Patterns are token lists (literal characters, `?`, `*`, and their
//! "within one ARN segment" forms that never match `:`), the same tokens the
//! engine's matcher runs. Sets of patterns run together as one NFA whose
//! states are bit sets. The searches are breadth- or depth-first over pairs
//! of state sets and stop at a named budget ([`STATE_BUDGET`]) with
//! [`Search::TooComplex`] rather than ever running long.

use std::collections::{HashSet, VecDeque};

/// How many state pairs a containment or intersection search may visit
/// before it answers "too complex".
pub const STATE_BUDGET: usize = 20_000;

/// How many automaton positions one search may step through in all (long
/// patterns make each step dearer): past it, "too complex".
pub const WORK_BUDGET: usize = 4_000_000;

/// How many states an instantiation search may visit.
pub const INSTANTIATE_BUDGET: usize = 4_000;

/// Patterns longer than this are not instantiated (the depth-first search
/// recurses once per token).
pub const MAX_INSTANTIATE_TOKENS: usize = 400;

/// One pattern token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tok {
    Lit(char),
    /// `?`; with `seg`, not `:`.
    One {
        seg: bool,
    },
    /// `*`; with `seg`, never across `:`.
    Star {
        seg: bool,
    },
}

impl Tok {
    /// The engine's token, as is.
    pub fn from_engine(t: iam_policy::pattern::Tok) -> Tok {
        use iam_policy::pattern::Tok as E;
        match t {
            E::Lit(c) => Tok::Lit(c),
            E::AnyChar => Tok::One { seg: false },
            E::AnyCharInSegment => Tok::One { seg: true },
            E::AnyString => Tok::Star { seg: false },
            E::AnyStringInSegment => Tok::Star { seg: true },
        }
    }
}

fn passes(seg: bool, c: char) -> bool {
    !(seg && c == ':')
}

/// Tokens of a plain wildcard text (`*` and `?` are wildcards).
pub fn wildcard(text: &str) -> Vec<Tok> {
    text.chars()
        .map(|c| match c {
            '*' => Tok::Star { seg: false },
            '?' => Tok::One { seg: false },
            c => Tok::Lit(c),
        })
        .collect()
}

/// A set of automaton positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64).max(1)])
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
        }
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(wi, w)| {
            let mut w = *w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

/// Several patterns run as one NFA: a text is accepted when one of them
/// matches it whole.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    /// The token at each position; `None` at each pattern's end.
    toks: Vec<Option<Tok>>,
    starts: Vec<usize>,
    /// Positions stepped through so far (for [`WORK_BUDGET`]).
    work: std::cell::Cell<usize>,
}

impl Bank {
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a [Tok]>) -> Bank {
        let mut b = Bank::default();
        for p in patterns {
            b.starts.push(b.toks.len());
            b.toks.extend(p.iter().copied().map(Some));
            b.toks.push(None);
        }
        b
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Adds the positions a `*` may skip to (forward only, so one pass over
    /// the set positions and their chains of stars).
    fn close(&self, b: &mut Bits) {
        let set: Vec<usize> = b.ones().collect();
        for mut i in set {
            while matches!(self.toks.get(i), Some(Some(Tok::Star { .. }))) {
                i += 1;
                b.set(i);
            }
        }
    }

    /// Positions stepped through so far.
    pub fn work(&self) -> usize {
        self.work.get()
    }

    pub fn start(&self) -> Bits {
        let mut b = Bits::new(self.toks.len());
        for s in &self.starts {
            b.set(*s);
        }
        self.close(&mut b);
        b
    }

    pub fn step(&self, from: &Bits, c: char) -> Bits {
        let mut b = Bits::new(self.toks.len());
        self.work.set(self.work.get() + 1 + from.0.len());
        for i in from.ones() {
            match self.toks.get(i) {
                Some(Some(Tok::Lit(d))) if *d == c => b.set(i + 1),
                Some(Some(Tok::One { seg })) if passes(*seg, c) => b.set(i + 1),
                Some(Some(Tok::Star { seg })) if passes(*seg, c) => b.set(i),
                _ => {}
            }
        }
        self.close(&mut b);
        b
    }

    pub fn step_str(&self, from: &Bits, s: &str) -> Bits {
        let mut b = from.clone();
        for c in s.chars() {
            b = self.step(&b, c);
        }
        b
    }

    pub fn accepts(&self, b: &Bits) -> bool {
        b.ones()
            .any(|i| i < self.toks.len() && matches!(self.toks.get(i), Some(None)))
    }

    /// Does the whole text match one of the patterns?
    pub fn matches(&self, text: &str) -> bool {
        !self.is_empty() && self.accepts(&self.step_str(&self.start(), text))
    }

    fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.toks.iter().filter_map(|t| match t {
            Some(Tok::Lit(c)) => Some(*c),
            _ => None,
        })
    }
}

/// The answer of a bounded search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    /// A text with the property searched for.
    Found(String),
    /// No text has it: proven.
    None,
    /// The budget ran out first.
    TooComplex,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Goal {
    /// `a` accepts and `b` does not.
    Escape,
    /// Both accept.
    Both,
}

/// A text that `a` matches and `b` does not, if any: `Search::None` proves
/// that every text of `a` is matched by `b`.
pub fn escape(a: &Bank, b: &Bank, budget: usize) -> Search {
    search(a, b, Goal::Escape, budget)
}

/// A text that both match, if any: `Search::None` proves they are disjoint.
pub fn common(a: &Bank, b: &Bank, budget: usize) -> Search {
    search(a, b, Goal::Both, budget)
}

fn search(a: &Bank, b: &Bank, goal: Goal, budget: usize) -> Search {
    if a.is_empty() || (goal == Goal::Both && b.is_empty()) {
        return Search::None;
    }
    // Characters that no pattern names behave alike: one stands for all.
    let mut alphabet: Vec<char> = a.literals().chain(b.literals()).collect();
    alphabet.push(':');
    alphabet.sort_unstable();
    alphabet.dedup();
    let other = "xyzqjkwvu0123456789abcdefghilmnoprst-_"
        .chars()
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{2603}');
    alphabet.push(other);

    let start = (a.start(), b.start());
    let mut nodes: Vec<(Bits, Bits, usize, char)> =
        vec![(start.0.clone(), start.1.clone(), 0, ' ')];
    let mut seen: HashSet<(Bits, Bits)> = HashSet::new();
    seen.insert(start);
    let mut queue = VecDeque::from([0usize]);
    while let Some(n) = queue.pop_front() {
        let Some((sa, sb, _, _)) = nodes.get(n).cloned() else {
            break;
        };
        let hit = match goal {
            Goal::Escape => a.accepts(&sa) && !b.accepts(&sb),
            Goal::Both => a.accepts(&sa) && b.accepts(&sb),
        };
        if hit {
            let mut text = Vec::new();
            let mut i = n;
            while i != 0 {
                let Some((_, _, parent, c)) = nodes.get(i) else {
                    break;
                };
                text.push(*c);
                i = *parent;
            }
            return Search::Found(text.into_iter().rev().collect());
        }
        for &c in &alphabet {
            let na = a.step(&sa, c);
            if na.is_empty() {
                continue;
            }
            let nb = b.step(&sb, c);
            if goal == Goal::Both && nb.is_empty() {
                continue;
            }
            let key = (na, nb);
            if seen.contains(&key) {
                continue;
            }
            if seen.len() >= budget || a.work() + b.work() > WORK_BUDGET {
                return Search::TooComplex;
            }
            seen.insert(key.clone());
            nodes.push((key.0, key.1, n, c));
            queue.push_back(nodes.len() - 1);
        }
    }
    Search::None
}

/// One element of a catalog ARN format: a literal character, or a
/// placeholder (`${BucketName}`, or `*`) filled with a plausible value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gen {
    Lit(char),
    Slot {
        /// Values to try, most plausible first (none holds `:`).
        fillers: Vec<String>,
        /// Never holds `:`.
        seg: bool,
        /// Must hold at least one character.
        min1: bool,
    },
}

/// A free slot: any text, filled with `example` where the pattern leaves
/// a choice.
pub fn free() -> Vec<Gen> {
    vec![Gen::Slot {
        fillers: vec!["example".to_string(), "example-2".to_string()],
        seg: false,
        min1: false,
    }]
}

/// Any ARN of a service, for a resource that fits no catalog format:
/// `arn:aws:SERVICE:us-east-1:ACCOUNT:example`, each field left to the
/// pattern where it names one (or leaves it empty).
pub fn any_arn(service: &str, account: &str) -> Vec<Gen> {
    let field = |v: &str, alt: &str| Gen::Slot {
        fillers: vec![v.to_string(), alt.to_string()],
        seg: true,
        min1: false,
    };
    let mut out: Vec<Gen> = "arn:".chars().map(Gen::Lit).collect();
    out.push(field("aws", "aws-us-gov"));
    out.push(Gen::Lit(':'));
    out.push(field(service, "example"));
    out.push(Gen::Lit(':'));
    out.push(field("us-east-1", "eu-west-1"));
    out.push(Gen::Lit(':'));
    out.push(field(account, "444455556666"));
    out.push(Gen::Lit(':'));
    out.push(Gen::Slot {
        fillers: vec!["example".to_string(), "example-2".to_string()],
        seg: false,
        min1: false,
    });
    out
}

/// A concrete text that the pattern `p` and the format `f` both match and
/// that no pattern of `avoid` matches, preferring the format's fillers and
/// the pattern's literal text. `None` when there is none or the search ran
/// out of budget.
pub fn instantiate(p: &[Tok], f: &[Gen], avoid: &Bank) -> Option<String> {
    if p.len() > MAX_INSTANTIATE_TOKENS || f.len() > MAX_INSTANTIATE_TOKENS {
        return None;
    }
    // a pattern that matches everything leaves the format to its fillers
    if p == [Tok::Star { seg: false }] {
        let filled: String = f
            .iter()
            .map(|g| match g {
                Gen::Lit(c) => c.to_string(),
                Gen::Slot { fillers, .. } => fillers.first().cloned().unwrap_or_default(),
            })
            .collect();
        if avoid.is_empty() || !avoid.matches(&filled) {
            return Some(filled);
        }
    }
    // first with placeholders that hold no `/` either (names rarely do),
    // then with any placeholder text but `:`
    for strict in [true, false] {
        let mut s = Inst {
            p,
            f,
            avoid,
            strict,
            failed: HashSet::new(),
            budget: INSTANTIATE_BUDGET,
            out: String::new(),
        };
        let start = avoid.start();
        if s.go(0, 0, false, &start) {
            return Some(s.out);
        }
    }
    None
}

struct Inst<'a> {
    p: &'a [Tok],
    f: &'a [Gen],
    avoid: &'a Bank,
    /// Placeholders hold no `/`.
    strict: bool,
    failed: HashSet<(usize, usize, bool, Bits)>,
    budget: usize,
    out: String,
}

impl Inst<'_> {
    /// May a placeholder (with `seg`, never `:`) hold `c`?
    fn slot_passes(&self, seg: bool, c: char) -> bool {
        passes(seg, c) && !(self.strict && c == '/')
    }

    fn go(&mut self, i: usize, j: usize, started: bool, av: &Bits) -> bool {
        if self.budget == 0 || self.avoid.work() > WORK_BUDGET {
            return false;
        }
        self.budget -= 1;
        let key = (i, j, started, av.clone());
        if self.failed.contains(&key) {
            return false;
        }
        let mark = self.out.len();
        let ok = self.moves(i, j, started, av);
        if !ok {
            self.out.truncate(mark);
            self.failed.insert(key);
        }
        ok
    }

    /// Emits `s` and continues at `(i, j, started)`; undoes it on failure.
    fn emit(&mut self, s: &str, i: usize, j: usize, started: bool, av: &Bits) -> bool {
        let next = if self.avoid.is_empty() {
            av.clone()
        } else {
            self.avoid.step_str(av, s)
        };
        let mark = self.out.len();
        self.out.push_str(s);
        if self.go(i, j, started, &next) {
            return true;
        }
        self.out.truncate(mark);
        false
    }

    fn moves(&mut self, i: usize, j: usize, started: bool, av: &Bits) -> bool {
        let pt = self.p.get(i).copied();
        let ft = self.f.get(j).cloned();
        let slot_can_end = matches!(&ft, Some(Gen::Slot { min1, .. }) if started || !*min1);
        match (pt, ft) {
            (None, None) => self.avoid.is_empty() || !self.avoid.accepts(av),
            (None, Some(Gen::Lit(_))) => false,
            (None, Some(Gen::Slot { .. })) => slot_can_end && self.go(i, j + 1, false, av),
            (Some(Tok::Star { .. }), None) => self.go(i + 1, j, started, av),
            (Some(Tok::Lit(_)) | Some(Tok::One { .. }), None) => false,
            (
                Some(Tok::Star { seg }),
                Some(Gen::Slot {
                    fillers, seg: fs, ..
                }),
            ) => {
                let usable: Vec<&String> = fillers
                    .iter()
                    .filter(|fl| {
                        !fl.is_empty()
                            && fl
                                .chars()
                                .all(|c| passes(seg, c) && self.slot_passes(fs, c))
                    })
                    .collect();
                // the star and the slot take a filler; the slot ends
                for fl in &usable {
                    if self.emit(fl, i, j + 1, false, av) {
                        return true;
                    }
                }
                // a filler starts the slot; the pattern's next literals may
                // continue it
                if !started {
                    for fl in &usable {
                        if self.emit(fl, i, j, true, av) {
                            return true;
                        }
                    }
                }
                if slot_can_end && self.go(i, j + 1, false, av) {
                    return true;
                }
                self.go(i + 1, j, started, av)
            }
            (Some(Tok::Star { seg }), Some(Gen::Lit(c))) => {
                if self.go(i + 1, j, started, av) {
                    return true;
                }
                passes(seg, c) && self.emit(&c.to_string(), i, j + 1, false, av)
            }
            (Some(Tok::Lit(c)), Some(Gen::Lit(d))) => {
                c == d && self.emit(&c.to_string(), i + 1, j + 1, false, av)
            }
            (Some(Tok::Lit(c)), Some(Gen::Slot { seg, .. })) => {
                if slot_can_end && self.go(i, j + 1, false, av) {
                    return true;
                }
                self.slot_passes(seg, c) && self.emit(&c.to_string(), i + 1, j, true, av)
            }
            (Some(Tok::One { seg }), Some(Gen::Lit(d))) => {
                passes(seg, d) && self.emit(&d.to_string(), i + 1, j + 1, false, av)
            }
            (
                Some(Tok::One { seg }),
                Some(Gen::Slot {
                    fillers, seg: fs, ..
                }),
            ) => {
                if slot_can_end && self.go(i, j + 1, false, av) {
                    return true;
                }
                let c = fillers
                    .first()
                    .and_then(|f| f.chars().next())
                    .filter(|c| passes(seg, *c) && self.slot_passes(fs, *c))
                    .unwrap_or('x');
                self.emit(&c.to_string(), i + 1, j, true, av)
            }
        }
    }
}

/// Plausible values for a catalog ARN placeholder.
///
/// `field` is the ARN field the placeholder is in (1 partition, 2 service,
/// 3 region, 4 account, 5 and more the resource).
pub fn fillers_for(placeholder: &str, field: usize, account: &str) -> Vec<String> {
    let lower = placeholder.to_ascii_lowercase();
    let first = if field == 1 || lower == "partition" {
        "aws".to_string()
    } else if field == 3 || lower == "region" {
        "us-east-1".to_string()
    } else if field == 4 || lower.contains("account") {
        account.to_string()
    } else if lower.contains("version") {
        "1".to_string()
    } else {
        "example".to_string()
    };
    let second = match first.as_str() {
        "aws" => "aws-us-gov".to_string(),
        "us-east-1" => "eu-west-1".to_string(),
        "1" => "2".to_string(),
        a if a == account => "444455556666".to_string(),
        _ => "example-2".to_string(),
    };
    vec![first, second]
}

/// A catalog ARN format (`arn:${Partition}:s3:::${BucketName}`) as
/// generator elements.
pub fn format_gen(format: &str, account: &str) -> Vec<Gen> {
    let chars: Vec<char> = format.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    // The catalog lets a placeholder after the fifth colon hold `:`; real
    // names hardly do, so examples keep every placeholder within its field.
    let seg = true;
    let mut field = 0usize;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '$' && chars.get(i + 1) == Some(&'{') {
            if let Some(end) = chars.iter().skip(i + 2).position(|c| *c == '}') {
                let name: String = chars.iter().skip(i + 2).take(end).collect();
                out.push(Gen::Slot {
                    fillers: fillers_for(&name, field, account),
                    seg,
                    min1: true,
                });
                i += end + 3;
                continue;
            }
        }
        if c == '*' {
            out.push(Gen::Slot {
                fillers: fillers_for("", field, account),
                seg,
                min1: false,
            });
        } else {
            if c == ':' {
                field += 1;
            }
            out.push(Gen::Lit(c));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank(ps: &[&str]) -> Bank {
        let toks: Vec<Vec<Tok>> = ps.iter().map(|p| wildcard(p)).collect();
        Bank::new(toks.iter().map(Vec::as_slice))
    }

    #[test]
    fn matching() {
        let b = bank(&["a*c", "x?z"]);
        assert!(b.matches("abbc"));
        assert!(b.matches("ac"));
        assert!(b.matches("xyz"));
        assert!(!b.matches("xz"));
        assert!(!b.matches("ab"));
        let seg = Bank::new([&[Tok::Lit('a'), Tok::Star { seg: true }, Tok::Lit('c')][..]]);
        assert!(seg.matches("abc"));
        assert!(!seg.matches("a:c"));
    }

    #[test]
    fn containment_with_witness() {
        assert_eq!(
            escape(&bank(&["b/logs/*"]), &bank(&["b/*"]), 1000),
            Search::None
        );
        match escape(&bank(&["b/*"]), &bank(&["b/logs/*"]), 1000) {
            Search::Found(w) => {
                assert!(bank(&["b/*"]).matches(&w));
                assert!(!bank(&["b/logs/*"]).matches(&w));
            }
            other => panic!("{other:?}"),
        }
        // a union covers what no single pattern does
        assert_eq!(
            escape(&bank(&["a?"]), &bank(&["a[", "ab", "a*x", "a*"]), 1000),
            Search::None
        );
        assert_eq!(escape(&bank(&["*"]), &bank(&["*"]), 10), Search::None);
        assert!(
            matches!(escape(&bank(&["*"]), &bank(&["?*"]), 10), Search::Found(w) if w.is_empty())
        );
    }

    #[test]
    fn intersection() {
        assert!(
            matches!(common(&bank(&["a*"]), &bank(&["*b"]), 100), Search::Found(w) if w.starts_with('a') && w.ends_with('b'))
        );
        assert_eq!(common(&bank(&["a*"]), &bank(&["b*"]), 100), Search::None);
    }

    #[test]
    fn budget_is_named_and_enforced() {
        // many stars against many stars: the pair space explodes
        let a = "*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*";
        let b = "*p*o*n*m*l*k*j*i*h*g*f*e*d*c*b*a*";
        assert_eq!(escape(&bank(&[a]), &bank(&[b]), 50), Search::TooComplex);
    }

    #[test]
    fn instantiates_a_catalog_format_within_a_pattern() {
        let fmt = format_gen(
            "arn:${Partition}:imagebuilder:${Region}:${Account}:component/${ComponentName}/${ComponentVersion}/${ComponentBuildVersion}",
            "111122223333",
        );
        let p = wildcard("arn:aws:imagebuilder:*:*:component/*");
        let got = instantiate(&p, &fmt, &Bank::default()).unwrap();
        assert_eq!(
            got,
            "arn:aws:imagebuilder:us-east-1:111122223333:component/example/1/1"
        );
        let p = wildcard("arn:aws:s3:::*-logs/*");
        let fmt = format_gen("arn:${Partition}:s3:::${BucketName}/${ObjectName}", "1");
        let got = instantiate(&p, &fmt, &Bank::default()).unwrap();
        assert!(bank(&["arn:aws:s3:::*-logs/*"]).matches(&got), "{got}");
        assert!(got.starts_with("arn:aws:s3:::example-logs/"), "{got}");
        // avoiding a pattern
        let p = wildcard("arn:aws:s3:::b/*");
        let avoid = bank(&["arn:aws:s3:::b/e*"]);
        let got = instantiate(&p, &free(), &avoid).unwrap();
        assert!(bank(&["arn:aws:s3:::b/*"]).matches(&got));
        assert!(!avoid.matches(&got), "{got}");
        // impossible
        assert_eq!(instantiate(&p, &free(), &bank(&["arn:aws:s3:::b/*"])), None);
        let fmt = format_gen(
            "arn:${Partition}:sns:${Region}:${Account}:${TopicName}",
            "1",
        );
        assert_eq!(instantiate(&p, &fmt, &Bank::default()), None);
    }
}
