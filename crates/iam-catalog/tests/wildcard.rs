#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_catalog::Wildcard;
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Naive recursive reference matcher (exponential in the worst case; fine
/// for the short strings proptest generates).
fn reference(p: &[char], t: &[char]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some('*') => reference(&p[1..], t) || (!t.is_empty() && reference(p, &t[1..])),
        Some('?') => !t.is_empty() && reference(&p[1..], &t[1..]),
        Some(c) => !t.is_empty() && c.eq_ignore_ascii_case(&t[0]) && reference(&p[1..], &t[1..]),
    }
}

fn reference_str(p: &str, t: &str) -> bool {
    let p: Vec<char> = p.chars().collect();
    let t: Vec<char> = t.chars().collect();
    reference(&p, &t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn matches_reference_small_alphabet(p in "[ab*?]{0,10}", t in "[ab]{0,14}") {
        prop_assert_eq!(Wildcard::new(&p).is_match(&t), reference_str(&p, &t), "pattern {:?} text {:?}", p, t);
    }

    #[test]
    fn matches_reference_case_and_unicode(p in "[aAbé:*?]{0,9}", t in "[aAbBéÉ:]{0,12}") {
        prop_assert_eq!(Wildcard::new(&p).is_match(&t), reference_str(&p, &t), "pattern {:?} text {:?}", p, t);
    }

    #[test]
    fn pattern_from_text_matches_it(t in "[a-z:]{0,20}", cuts in proptest::collection::vec((0usize..20, 0u8..3), 0..5)) {
        // Replace some characters of t by wildcards: the result must match t.
        let mut p: Vec<char> = t.chars().collect();
        for (i, kind) in cuts {
            if let Some(c) = p.get_mut(i) {
                *c = match kind { 0 => '?', 1 => '*', _ => c.to_ascii_uppercase() };
            }
        }
        let p: String = p.into_iter().collect();
        prop_assert!(Wildcard::new(&p).is_match(&t), "pattern {:?} text {:?}", p, t);
    }
}

#[test]
fn basics() {
    let w = Wildcard::new("s3:Get*");
    assert!(w.is_match("s3:GetObject"));
    assert!(w.is_match("S3:GETOBJECT"));
    assert!(!w.is_match("s3:PutObject"));
    assert!(Wildcard::new("*").is_match(""));
    assert!(Wildcard::new("**").is_match_all());
    assert!(!Wildcard::new("?").is_match(""));
    assert!(Wildcard::new("?").is_match("é"));
    assert!(Wildcard::new("a*b*c").is_match("abc"));
    assert!(Wildcard::new("a*b*c").is_match("aXbYc"));
    assert!(!Wildcard::new("a*b*c").is_match("aXcYb"));
    assert!(Wildcard::new("*ab").is_match("aab"));
    assert!(!Wildcard::new("ab*ba").is_match("aba"));
    assert!(Wildcard::new("iam:PassRole").is_literal());
    assert!(!Wildcard::new("iam:Pass?ole").is_literal());
}

/// Pattern `*a` x 40 + `b` against 10,000 `a`s: a backtracking glob takes
/// exponential time here; the segment matcher answers at once.
#[test]
fn linear_time_on_adversarial_input() {
    let pattern = format!("{}b", "*a".repeat(40));
    let text = "a".repeat(10_000);
    let w = Wildcard::new(&pattern);
    let t = Instant::now();
    assert!(!w.is_match(&text));
    // Also the non-anchored variant, which must scan.
    let w2 = Wildcard::new(&format!("{}b*", "*a".repeat(40)));
    assert!(!w2.is_match(&text));
    let w3 = Wildcard::new(&format!("{}*", "*a".repeat(40)));
    assert!(w3.is_match(&text));
    // Long segments in the middle: O(text x segment), still quick.
    let w4 = Wildcard::new(&format!("*{}b*", "a".repeat(50)));
    assert!(!w4.is_match(&text));
    let took = t.elapsed();
    // A backtracking glob would take longer than the age of the universe
    // here; 2 s leaves room for a debug build on a busy 2-core machine
    // (the tests of this file run in parallel).
    assert!(took < Duration::from_secs(2), "{took:?}");
}
