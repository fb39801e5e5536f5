//! The diff reads Resource entries with its own automata; they must match
//! exactly what the engine's `ArnPattern::resource` matches.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use iam_diff::automaton::Bank;
use iam_diff::clause::resource_tokens;
use iam_policy::pattern::Template;
use iam_policy::ArnPattern;
use proptest::prelude::*;

fn engine(pattern: &str, text: &str) -> bool {
    let t = Template::parse_resource(pattern, true);
    let glob = t.fixed().expect("no variables").clone();
    ArnPattern::resource(glob).matches(text)
}

fn ours(pattern: &str, text: &str) -> bool {
    let t = Template::parse_resource(pattern, true);
    let toks = resource_tokens(t.parts(), None);
    Bank::new([toks.as_slice()]).matches(text)
}

fn pattern() -> impl Strategy<Value = String> {
    (
        prop::bool::ANY,
        prop::collection::vec(
            prop::sample::select(vec!["a", "b", ":", "/", "*", "?", "*:", "?:"]),
            0..12,
        ),
    )
        .prop_map(|(arn, parts)| {
            let body: String = parts.concat();
            if arn {
                format!("arn:{body}")
            } else {
                body
            }
        })
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::bool::ANY,
        prop::collection::vec(prop::sample::select(vec!["a", "b", ":", "/", "ab"]), 0..14),
    )
        .prop_map(|(arn, parts)| {
            let body: String = parts.concat();
            if arn {
                format!("arn:{body}")
            } else {
                body
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn resource_patterns_match_as_the_engine_matches(p in pattern(), t in text()) {
        prop_assert_eq!(ours(&p, &t), engine(&p, &t), "pattern {} text {}", p, t);
    }
}

#[test]
fn documented_cases() {
    // "a * ... as the last character of a segment can expand to match beyond
    // the colon boundaries"
    for (p, t) in [
        (
            "arn:aws:imagebuilder:*:*:component/*",
            "arn:aws:imagebuilder:us-east-1:111122223333:component/a/1.0.0/1",
        ),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/k"),
        ("arn:aws:sns:us-east-1", "arn:aws:sns:us-east-1:1:topic"),
        ("arn:aws:iam::*:role/x*y", "arn:aws:iam::1:role/xay"),
        (
            "arn:aws:ec2:us-*-1:*:instance/*",
            "arn:aws:ec2:us-east-1:1:instance/i",
        ),
        ("*", "*"),
    ] {
        assert_eq!(ours(p, t), engine(p, t), "{p} {t}");
        assert!(ours(p, t), "{p} {t}");
    }
}
