//! "What would change this decision": the suggestions for the seed policies
//! and, over every request of the scenario corpus, that every edit the
//! engine proposes was verified (its `decisionAfter` is what the engine
//! decides for the edited request, and differs from the original decision).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use iam_policy::explain::{
    what_would_change, Change, ElementRef, Goal, Suggestion, SuggestionKind, MAX_CLOSEST,
};
use iam_policy::{Decision, Detail, PolicySet, RequestSpec, Scenario};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn load(rel: &str) -> Scenario {
    Scenario::from_json(&std::fs::read_to_string(root().join(rel)).unwrap()).unwrap()
}

fn request<'s>(s: &'s Scenario, name: &str) -> &'s RequestSpec {
    s.requests
        .iter()
        .find(|r| r.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no request {name}"))
}

/// The original decision and the suggestions for one request of a scenario.
fn suggest(s: &Scenario, name: &str) -> (Decision, Vec<Suggestion>) {
    let set = s.compile();
    let spec = request(s, name);
    let auth = spec.evaluate(&set).unwrap();
    (auth.decision, what_would_change(&set, spec, &auth))
}

fn context_set(key: &str, value: Value, previous: Option<Value>) -> Change {
    Change::SetContext {
        key: key.to_string(),
        value,
        previous,
    }
}

fn with_edit(s: &[Suggestion]) -> Vec<&Suggestion> {
    s.iter().filter(|x| x.edit.is_some()).collect()
}

#[test]
fn the_excluded_address_gets_an_edit_that_allows() {
    let s = load("shared/image-builder/component-ip-restriction.json");
    let (before, sugg) = suggest(&s, "the excluded address");
    assert_eq!(before, Decision::ImplicitDeny);
    let first = with_edit(&sugg)[0];
    assert_eq!(first.kind, SuggestionKind::ChangeContextValue);
    assert_eq!(first.goal, Goal::ApplyAllow);
    assert_eq!(first.decision_after, Some(Decision::Allowed));
    assert_eq!(first.statements[0].sid.as_deref(), Some("IPAllow"));
    // the NotIpAddress condition is the element that failed
    assert!(
        matches!(&first.elements[..], [ElementRef::Condition { operator, key, .. }]
        if operator == "NotIpAddress" && key == "aws:SourceIp")
    );
    let edit = first.edit.as_ref().unwrap();
    // the nearest address inside 54.240.143.0/24 other than .188
    assert_eq!(
        edit.changes,
        vec![context_set(
            "aws:SourceIp",
            json!("54.240.143.189"),
            Some(json!("54.240.143.188"))
        )]
    );
    assert_eq!(edit.sentence, "set aws:SourceIp to 54.240.143.189");
    assert_eq!(
        edit.request.context["aws:SourceIp"],
        json!("54.240.143.189")
    );
    assert!(first
        .sentence
        .contains("54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false"));
    // and the layer without an Allow is named, without an edit
    let layer = sugg.last().unwrap();
    assert_eq!(layer.kind, SuggestionKind::LayerNeedsAllow);
    assert_eq!(
        layer.layer.map(|l| l.to_string()).as_deref(),
        Some("identity")
    );
    assert!(layer.edit.is_none());
}

#[test]
fn a_missing_source_ip_is_added_inside_the_range() {
    let s = load("shared/image-builder/component-ip-restriction.json");
    let (_, sugg) = suggest(&s, "no source IP in the request");
    let first = with_edit(&sugg)[0];
    assert_eq!(first.kind, SuggestionKind::AddContextKey);
    assert_eq!(
        first.edit.as_ref().unwrap().changes,
        vec![context_set("aws:SourceIp", json!("54.240.143.1"), None)]
    );
    assert_eq!(first.decision_after, Some(Decision::Allowed));
}

#[test]
fn a_resource_outside_the_pattern_gets_one_inside_it() {
    let s = load("shared/image-builder/component-ip-restriction.json");
    let (_, sugg) = suggest(&s, "not a component");
    let first = with_edit(&sugg)[0];
    assert_eq!(first.kind, SuggestionKind::ChangeResource);
    assert_eq!(
        first.edit.as_ref().unwrap().changes,
        vec![Change::SetResource {
            value: "arn:aws:imagebuilder:us-east-1:111122223333:component/web/1.0.0".to_string(),
            previous: "arn:aws:imagebuilder:us-east-1:111122223333:image-recipe/web/1.0.0"
                .to_string()
        }]
    );
}

/// IAM User Guide, "…IfExists condition operators": with BoolIfExists an
/// absent aws:MultiFactorAuthPresent makes the Deny apply; the request with
/// the key set to true is allowed.
#[test]
fn an_absent_mfa_key_gets_add_the_key_true() {
    let s = load("shared/image-builder/require-mfa-and-tls.json");
    let (before, sugg) = suggest(
        &s,
        "MFA key absent (long-term access keys): BoolIfExists matches",
    );
    assert_eq!(before, Decision::ExplicitDeny);
    let first = &sugg[0];
    assert_eq!(first.kind, SuggestionKind::AddContextKey);
    assert_eq!(first.goal, Goal::AvoidDeny);
    assert_eq!(first.statements[0].sid.as_deref(), Some("DenyWithoutMFA"));
    let edit = first.edit.as_ref().unwrap();
    assert_eq!(
        edit.changes,
        vec![context_set("aws:MultiFactorAuthPresent", json!(true), None)]
    );
    assert_eq!(edit.sentence, "add aws:MultiFactorAuthPresent = true");
    assert_eq!(first.decision_after, Some(Decision::Allowed));
    // the policy change: the denying statement would have to go
    let removal = sugg
        .iter()
        .find(|x| x.kind == SuggestionKind::RemoveDenyStatements)
        .unwrap();
    assert!(removal.edit.is_none());
    assert_eq!(removal.decision_after, Some(Decision::Allowed));
}

#[test]
fn an_explicit_deny_by_bool_gets_the_falsifying_edit() {
    let s = load("shared/image-builder/require-mfa-and-tls.json");
    let (_, sugg) = suggest(&s, "plain HTTP");
    let first = &sugg[0];
    assert_eq!(
        first.statements[0].sid.as_deref(),
        Some("DenyInsecureTransport")
    );
    assert_eq!(
        first.edit.as_ref().unwrap().changes,
        vec![context_set(
            "aws:SecureTransport",
            json!(true),
            Some(json!("false"))
        )]
    );
    assert_eq!(first.decision_after, Some(Decision::Allowed));
}

#[test]
fn an_explicit_deny_by_not_ip_address_gets_an_address_inside_the_range() {
    let s = load("what-if/office-mfa-region.json");
    let (before, sugg) = suggest(
        &s,
        "From outside the range: NotIpAddress is true, so the Deny applies and overrides the Allow",
    );
    assert_eq!(before, Decision::ExplicitDeny);
    let first = &sugg[0];
    assert_eq!(first.kind, SuggestionKind::ChangeContextValue);
    assert_eq!(
        first.statements[0].sid.as_deref(),
        Some("DenyOutsideOffice")
    );
    assert_eq!(
        first.edit.as_ref().unwrap().changes,
        vec![context_set(
            "aws:SourceIp",
            json!("203.0.113.1"),
            Some(json!("198.51.100.7"))
        )]
    );
    assert_eq!(first.decision_after, Some(Decision::Allowed));
    // with the key absent the negated operator is true: adding it helps
    let (_, sugg) = suggest(
        &s,
        "No aws:SourceIp: a negated operator is true when its key is absent, so the Deny applies",
    );
    assert_eq!(sugg[0].kind, SuggestionKind::AddContextKey);
    assert_eq!(sugg[0].decision_after, Some(Decision::Allowed));
}

#[test]
fn two_blocking_layers_need_two_changes_together() {
    let s = load("what-if/office-mfa-region.json");
    let (before, sugg) = suggest(
        &s,
        "Without MFA and in another region: the SCP has no applicable Allow and neither has the identity policy",
    );
    assert_eq!(before, Decision::ImplicitDeny);
    let first = &sugg[0];
    assert_eq!(first.kind, SuggestionKind::ChangeRequest);
    let changes = &first.edit.as_ref().unwrap().changes;
    assert_eq!(changes.len(), 2);
    assert!(changes.contains(&context_set(
        "aws:MultiFactorAuthPresent",
        json!(true),
        None
    )));
    assert!(changes.contains(&context_set(
        "aws:RequestedRegion",
        json!("eu-west-1"),
        Some(json!("us-east-1"))
    )));
    let sids: Vec<_> = first
        .statements
        .iter()
        .map(|r| r.sid.clone().unwrap())
        .collect();
    assert_eq!(sids, ["AllowWithMfa", "ReadReportsInIreland"]);
    assert_eq!(first.decision_after, Some(Decision::Allowed));
    // the blocking guardrail is named
    let layer = sugg
        .iter()
        .find(|x| x.kind == SuggestionKind::LayerNeedsAllow)
        .unwrap();
    assert_eq!(
        layer.layer.map(|l| l.to_string()).as_deref(),
        Some("scps/0")
    );
}

/// "An Allow in either policy is enough" (same account): for the request to
/// be denied, every allowing statement of both would have to go.
#[test]
fn an_allow_lists_every_statement_that_would_have_to_go() {
    let s = load("layers/same-account.json");
    let (before, sugg) = suggest(&s, "Both allow: allowed");
    assert_eq!(before, Decision::Allowed);
    let cut = sugg
        .iter()
        .find(|x| x.kind == SuggestionKind::RemoveAllowStatements)
        .unwrap();
    let names: Vec<(String, Option<String>)> = cut
        .statements
        .iter()
        .map(|r| (r.policy.to_string(), r.sid.clone()))
        .collect();
    assert_eq!(
        names,
        [
            (
                "identity/0".to_string(),
                Some("IdentityTagsObjects".to_string())
            ),
            (
                "resource".to_string(),
                Some("BucketGrantsAlice".to_string())
            )
        ]
    );
    assert_eq!(cut.goal, Goal::DropAllow);
    assert!(cut.edit.is_none());
    assert_eq!(cut.decision_after, Some(Decision::ImplicitDeny));

    // the seed IP policy: its one Allow would have to go, or the request
    // would have to make one of its conditions false
    let s = load("shared/image-builder/component-ip-restriction.json");
    let (_, sugg) = suggest(&s, "inside the range");
    assert_eq!(sugg[0].kind, SuggestionKind::RemoveAllowStatements);
    assert_eq!(sugg[0].statements[0].sid.as_deref(), Some("IPAllow"));
    let edits: Vec<&str> = sugg
        .iter()
        .filter_map(|x| x.edit.as_ref().map(|e| e.sentence.as_str()))
        .collect();
    assert_eq!(
        edits,
        [
            "set aws:SourceIp to 54.240.142.255",
            "set aws:SourceIp to 54.240.143.188"
        ]
    );
    assert!(sugg
        .iter()
        .filter(|x| x.edit.is_some())
        .all(|x| x.goal == Goal::DropAllow && x.decision_after == Some(Decision::ImplicitDeny)));
}

#[test]
fn a_guardrail_without_an_allow_is_named() {
    let s = load("layers/scps.json");
    let (_, sugg) = suggest(
        &s,
        "The second level (scps/1) has no Allow for IAM: implicit deny blocked by scps/1",
    );
    let layer = sugg
        .iter()
        .find(|x| x.kind == SuggestionKind::LayerNeedsAllow)
        .unwrap();
    assert_eq!(
        layer.layer.map(|l| l.to_string()).as_deref(),
        Some("scps/1")
    );
    assert_eq!(layer.statements[0].sid.as_deref(), Some("OuAllowsS3AndEc2"));
    assert!(layer.sentence.starts_with(
        "the SCPs of organization level 1 below the root would have to allow iam:CreateUser"
    ));
    assert!(layer.edit.is_none() && layer.decision_after.is_none());
    // no action of another service is guessed
    assert!(sugg.iter().all(|x| x.kind != SuggestionKind::ChangeAction));
}

#[test]
fn a_trust_policy_that_names_another_caller_suggests_that_caller() {
    let s = load("layers/trust-policy.json");
    let (_, sugg) = suggest(
        &s,
        "A user of the same account not named: the identity Allow is not enough, the trust policy must allow",
    );
    assert_eq!(sugg[0].kind, SuggestionKind::ChangePrincipal);
    assert_eq!(
        sugg[0].edit.as_ref().unwrap().sentence,
        "call as arn:aws:iam::111122223333:user/alice"
    );
    assert!(sugg
        .iter()
        .any(|x| x.kind == SuggestionKind::ResourcePolicyNeedsGrant && x.edit.is_none()));
}

#[test]
fn a_variable_without_value_gets_its_key() {
    let s = load("shared/iam-basics/variables-notaction-deny.json");
    let (_, sugg) = suggest(&s, "variable cannot be resolved");
    assert_eq!(
        sugg[0].edit.as_ref().unwrap().changes,
        vec![context_set("aws:username", json!("alice"), None)]
    );
}

#[test]
fn suggestions_serialize_as_camel_case_data() {
    let s = load("shared/image-builder/component-ip-restriction.json");
    let (_, sugg) = suggest(&s, "the excluded address");
    let v = serde_json::to_value(&sugg[0]).unwrap();
    assert_eq!(v["kind"], "changeContextValue");
    assert_eq!(v["goal"], "applyAllow");
    assert_eq!(v["layer"], "identity");
    assert_eq!(v["statements"][0]["policy"], "identity/0");
    assert_eq!(v["statements"][0]["sid"], "IPAllow");
    assert_eq!(v["elements"][0]["element"], "condition");
    assert_eq!(v["elements"][0]["operator"], "NotIpAddress");
    assert_eq!(v["edit"]["changes"][0]["change"], "setContext");
    assert_eq!(v["edit"]["changes"][0]["key"], "aws:SourceIp");
    assert_eq!(v["edit"]["changes"][0]["previous"], "54.240.143.188");
    assert_eq!(
        v["edit"]["request"]["context"]["aws:SourceIp"],
        "54.240.143.189"
    );
    assert_eq!(v["decisionAfter"], "allowed");
    let layer = serde_json::to_value(sugg.last().unwrap()).unwrap();
    assert_eq!(layer["kind"], "layerNeedsAllow");
    assert!(layer.get("edit").is_none() && layer.get("decisionAfter").is_none());
}

#[test]
fn a_decision_only_authorization_gives_the_same_suggestions() {
    let s = load("shared/image-builder/component-ip-restriction.json");
    let set = s.compile();
    for spec in &s.requests {
        let full = spec.evaluate(&set).unwrap();
        let quick = spec.evaluate_with(&set, Detail::Decision).unwrap();
        assert_eq!(
            what_would_change(&set, spec, &full),
            what_would_change(&set, spec, &quick)
        );
    }
}

/// Many near-miss statements, each needing its own key: the search stops
/// at its named limits instead of trying them all.
#[test]
fn the_search_is_bounded() {
    let statements: Vec<Value> = (0..500)
        .map(|i| {
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                   "Condition": {"StringEquals": {format!("demo:key{i}"): "yes"}}})
        })
        .collect();
    let s: Scenario = Scenario::from_json(
        &json!({
            "policies": {"identity": [{"Version": "2012-10-17", "Statement": statements}]},
            "requests": [{"principal": "arn:aws:iam::111122223333:user/alice",
                          "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}]
        })
        .to_string(),
    )
    .unwrap();
    let set = s.compile();
    let spec = &s.requests[0];
    let auth = spec.evaluate(&set).unwrap();
    let started = std::time::Instant::now();
    let sugg = what_would_change(&set, spec, &auth);
    let edits = with_edit(&sugg);
    assert_eq!(edits.len(), MAX_CLOSEST);
    assert_eq!(
        edits[0].edit.as_ref().unwrap().changes,
        vec![context_set("demo:key0", json!("yes"), None)]
    );
    // the layer suggestion lists the closest statements, no more
    assert_eq!(sugg.last().unwrap().statements.len(), MAX_CLOSEST);
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json")
            && !p.to_string_lossy().ends_with(".policy.json")
        {
            out.push(p);
        }
    }
}

/// The property, over every request of the corpus: every edit was
/// verified — the engine decides the edited request as `decisionAfter`
/// says, which differs from the original decision and reaches the
/// suggestion's goal; every policy change's `decisionAfter` differs too.
#[test]
fn every_edit_over_the_corpus_is_verified() {
    let mut files = Vec::new();
    scenario_files(&root(), &mut files);
    let (mut requests, mut with_an_edit, mut edits) = (0, 0, 0);
    for f in files {
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let set: PolicySet = s.compile();
        for (i, spec) in s.requests.iter().enumerate() {
            let Ok(auth) = spec.evaluate(&set) else {
                continue;
            };
            requests += 1;
            let at = format!("{} #{i}", f.display());
            let sugg = what_would_change(&set, spec, &auth);
            let mut any = false;
            for x in &sugg {
                assert!(!x.sentence.is_empty(), "{at}");
                if let Some(after) = x.decision_after {
                    assert_ne!(after, auth.decision, "{at}: {}", x.sentence);
                }
                let Some(edit) = &x.edit else {
                    assert!(
                        matches!(
                            x.kind,
                            SuggestionKind::FalsifyDenyCondition
                                | SuggestionKind::RemoveDenyStatements
                                | SuggestionKind::RemoveAllowStatements
                                | SuggestionKind::LayerNeedsAllow
                                | SuggestionKind::ResourcePolicyNeedsGrant
                        ),
                        "{at}: {:?} without an edit",
                        x.kind
                    );
                    continue;
                };
                any = true;
                edits += 1;
                assert!(!edit.changes.is_empty(), "{at}");
                assert_ne!(&edit.request, spec, "{at}: the edit changes nothing");
                let again = edit.request.evaluate(&set).unwrap();
                assert_eq!(
                    Some(again.decision),
                    x.decision_after,
                    "{at}: {}",
                    edit.sentence
                );
                let reached = match x.goal {
                    Goal::ApplyAllow => again.decision == Decision::Allowed,
                    Goal::ApplyDeny => again.decision == Decision::ExplicitDeny,
                    Goal::AvoidDeny => again.decision != Decision::ExplicitDeny,
                    Goal::DropAllow => again.decision != Decision::Allowed,
                };
                assert!(
                    reached,
                    "{at}: {:?} not reached by {}",
                    x.goal, edit.sentence
                );
            }
            with_an_edit += usize::from(any);
        }
    }
    println!("{requests} requests, {with_an_edit} with at least one verified edit, {edits} edits");
    assert!(requests > 200, "{requests}");
    // most decisions of the corpus can be flipped by editing the request
    assert!(
        with_an_edit * 100 >= requests * 60,
        "{with_an_edit} of {requests}"
    );
}

#[test]
#[ignore = "prints every suggestion of the corpus, for review"]
fn print_corpus() {
    let mut files = Vec::new();
    scenario_files(&root(), &mut files);
    for f in files {
        let s = Scenario::from_json(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let set = s.compile();
        for (i, r) in s.requests.iter().enumerate() {
            let Ok(auth) = r.evaluate(&set) else { continue };
            println!("== {} #{i} {:?}: {}", f.display(), r.name, auth.decision);
            for x in what_would_change(&set, r, &auth) {
                println!("  - [{:?}] {}", x.kind, x.sentence);
                match (&x.edit, x.decision_after) {
                    (Some(e), Some(d)) => println!("      try: {} → {d}", e.sentence),
                    (None, Some(d)) => println!("      policy change → {d}"),
                    _ => {}
                }
            }
        }
    }
}
