//! The JavaScript API as plain Rust: every function takes text and returns a
//! serializable value, so it is tested natively (`cargo test`) and the
//! WebAssembly glue in `lib.rs` only converts. Nothing here panics or throws:
//! failures are `{ ok: false, error, diagnostics }` values.
//!
//! The parts behind cargo features live in their own modules: `catalog` (the service
//! catalog, lint, summary, completion), `managed` (AWS managed policies) and `diff`.

#[cfg(feature = "catalog")]
mod catalog;
#[cfg(feature = "diff")]
mod diff;
#[cfg(feature = "managed")]
mod managed;

#[cfg(feature = "catalog")]
pub use catalog::*;
#[cfg(feature = "diff")]
pub use diff::*;
#[cfg(feature = "managed")]
pub use managed::*;

#[cfg(feature = "whatif")]
use iam_policy::explain::whatif::what_would_change;
#[cfg(feature = "whatif")]
use iam_policy::explain::whatif::Suggestion;
use iam_policy::explain::{explain_authorization, rejected_sentence, Explanation};
use iam_policy::CheckResult;
use iam_policy::{
    check_compiled, check_with, parse_policy_as, Authorization, Detail, Diagnostic, PolicyKind,
    PolicySource, Scenario,
};
use serde::Serialize;

/// `{ ok: false, error, diagnostics }`: what every function returns instead of throwing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub ok: bool,
    /// One line for people: the first problem, with its line and column when it has one.
    pub error: String,
    /// Every problem with its position (empty when the input could not be read at all).
    pub diagnostics: Vec<Diagnostic>,
    /// What the input may have meant (an unknown AWS managed policy's closest names),
    /// absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

impl Failure {
    pub fn new(error: impl Into<String>) -> Failure {
        Failure {
            ok: false,
            error: error.into(),
            diagnostics: Vec::new(),
            suggestions: Vec::new(),
        }
    }

    /// A failure whose problems are these diagnostics, `error` saying `what` and the first
    /// problem with its line and column (and its fix, when `with_hint`).
    fn with_diagnostics(what: &str, diagnostics: Vec<Diagnostic>, with_hint: bool) -> Failure {
        let error = match diagnostics
            .iter()
            .find(|d| d.is_error())
            .or(diagnostics.first())
        {
            Some(d) => {
                let hint = match (&d.hint, with_hint) {
                    (Some(h), true) => format!(" ({h})"),
                    _ => String::new(),
                };
                format!(
                    "{what}: line {}, column {}: {}{hint}",
                    d.span.start.line, d.span.start.column, d.message
                )
            }
            None => what.to_string(),
        };
        Failure {
            ok: false,
            error,
            diagnostics,
            suggestions: Vec::new(),
        }
    }

    /// A scenario that could not be read.
    pub fn scenario(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::with_diagnostics("the scenario cannot be read", diagnostics, false)
    }

    /// A scenario whose AWS managed policy references do not resolve (each diagnostic at
    /// its reference, with "did you mean" or how to load the data in its hint).
    pub fn managed(diagnostics: Vec<Diagnostic>) -> Failure {
        Failure::with_diagnostics(
            "an AWS managed policy of the scenario cannot be resolved",
            diagnostics,
            true,
        )
    }
}

/// The result of `parse` and `lint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParseOutput {
    /// No error-severity diagnostic (warnings may remain).
    pub ok: bool,
    pub kind: PolicyKind,
    pub diagnostics: Vec<Diagnostic>,
    /// Statements read (0 when the text is not a policy).
    pub statement_count: usize,
}

/// The policy kinds' names as JavaScript passes them.
pub const KINDS: [(&str, PolicyKind); 7] = [
    ("identity", PolicyKind::Identity),
    ("resource", PolicyKind::Resource),
    ("permissionsBoundary", PolicyKind::PermissionsBoundary),
    ("session", PolicyKind::Session),
    ("scp", PolicyKind::Scp),
    ("rcp", PolicyKind::Rcp),
    ("vpcEndpoint", PolicyKind::VpcEndpoint),
];

/// Reads a kind name (`identity` when none is given).
pub fn policy_kind(name: Option<&str>) -> Result<PolicyKind, Failure> {
    let Some(name) = name else {
        return Ok(PolicyKind::Identity);
    };
    KINDS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|(n, _)| *n).collect();
            Failure::new(format!(
                "unknown policy kind \"{name}\": use one of {}",
                names.join(", ")
            ))
        })
}

/// Parses and validates one policy.
pub fn parse(text: &str, kind: Option<&str>) -> Result<ParseOutput, Failure> {
    let kind = policy_kind(kind)?;
    let parsed = parse_policy_as(text, kind);
    Ok(ParseOutput {
        ok: !parsed.has_errors(),
        kind,
        statement_count: parsed.policy.as_ref().map_or(0, |p| p.statements.len()),
        diagnostics: parsed.diagnostics,
    })
}

/// Reads a scenario file's text and resolves its AWS managed policy references (from the
/// data `loadManagedPolicies` loaded); a reference that does not resolve is a failure.
pub fn read_scenario(text: &str) -> Result<Scenario, Failure> {
    let mut scenario = Scenario::from_json(text).map_err(Failure::scenario)?;
    if scenario
        .policies
        .values()
        .any(|p| matches!(p, PolicySource::Managed(_)))
    {
        resolve_managed(&mut scenario)?;
    }
    Ok(scenario)
}

/// Resolves the scenario's managed policy references from the loaded data.
#[cfg(feature = "managed")]
fn resolve_managed(scenario: &mut Scenario) -> Result<(), Failure> {
    match managed::loaded() {
        Some(data) => {
            let diags = scenario.resolve_managed(data);
            if diags.is_empty() {
                Ok(())
            } else {
                Err(Failure::managed(diags))
            }
        }
        None => Err(Failure::managed(unresolved(
            scenario,
            "load the managed policies first: call loadManagedPolicies with the text of the package's managed-policies.json",
        ))),
    }
}

/// This build has no managed policies (the feature is off).
#[cfg(not(feature = "managed"))]
fn resolve_managed(scenario: &mut Scenario) -> Result<(), Failure> {
    Err(Failure::managed(unresolved(
        scenario,
        "this build of the engine has no AWS managed policies: use the iam-policy-wasm package, which has loadManagedPolicies",
    )))
}

/// One error per managed policy reference, at the reference, with `hint`.
fn unresolved(scenario: &Scenario, hint: &str) -> Vec<Diagnostic> {
    scenario
        .policies
        .iter()
        .filter_map(|(id, p)| match p {
            PolicySource::Managed(m) => Some(Diagnostic::error(
                iam_policy::DiagnosticCode::UnknownManagedPolicy,
                m.span.unwrap_or_default(),
                format!(
                    "{id}: the AWS managed policy \"{}\" is not loaded",
                    m.managed
                ),
                hint,
            )),
            _ => None,
        })
        .collect()
}

/// The result of `check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOutput {
    pub ok: bool,
    /// Exactly the objects `iam-policy check --json` prints, one per request.
    pub results: Vec<CheckResult>,
    /// Requests whose expectation holds.
    pub passed: usize,
    /// Requests whose expectation fails, or that could not be evaluated.
    pub failed: usize,
}

fn tally(results: &[CheckResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| r.pass == Some(true)).count();
    let failed = results
        .iter()
        .filter(|r| r.pass == Some(false) || r.error.is_some())
        .count();
    (passed, failed)
}

/// Evaluates every request of a scenario (as `iam-policy check --json`).
pub fn check(text: &str, file: &str) -> Result<CheckOutput, Failure> {
    let scenario = read_scenario(text)?;
    // As `iam-policy check --json`: decisions without per-statement traces (the JSON is
    // the same; the traces are `simulate`'s).
    let set = scenario.compile();
    let results = check_with(&scenario, &set, file, Detail::Decision);
    let (passed, failed) = tally(&results);
    Ok(CheckOutput {
        ok: true,
        results,
        passed,
        failed,
    })
}

/// One request's result with the full trace and its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulateResult {
    /// The `check --json` object.
    #[serde(flatten)]
    pub check: CheckResult,
    /// The full evaluation (null when the request could not be evaluated).
    pub authorization: Option<Authorization>,
    /// The same in words (null when the request could not be evaluated).
    pub explanation: Option<Explanation>,
    /// When AWS would refuse to store some of the policies: why the request is not
    /// evaluated, naming them for people ("AWS would refuse to store identity policy 1, so
    /// the request is not evaluated."); null otherwise.
    pub rejection: Option<String>,
    /// The smallest changes that flip the decision, each verified by the engine (null when
    /// the request could not be evaluated).
    #[serde(rename = "whatWouldChange")]
    pub what_would_change: Option<Vec<Suggestion>>,
}

/// Without the what-if search there are no suggestions: `whatWouldChange` is always null, and
/// a type that has no value keeps the serializers of the suggestions out of the WebAssembly.
#[cfg(not(feature = "whatif"))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Suggestion {}

/// One policy of the scenario, as the engine read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyReport {
    /// `identity/0`, `resource`, `scps/0/1`, …
    pub policy: String,
    pub kind: PolicyKind,
    /// The policy for people: "identity policy 1", "SCP 2 of the organization root".
    pub label: String,
    /// A heading: "Identity policy 1", "SCP 2 · organization root".
    pub title: String,
    /// The text that positions refer to (an object policy's pretty-printed form, an AWS
    /// managed policy's document).
    pub text: String,
    /// For an AWS managed policy: which one, at which version (null otherwise).
    pub managed: Option<ManagedReport>,
    pub ok: bool,
    pub diagnostics: Vec<Diagnostic>,
}

/// The AWS managed policy a scenario's `{"managed": …}` reference resolved to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedReport {
    /// `AWSImageBuilderFullAccess`.
    pub name: String,
    /// `arn:aws:iam::aws:policy/AWSImageBuilderFullAccess`.
    pub arn: String,
    /// The default version, `v2`.
    pub version_id: String,
    /// When that version was created, `2021-04-13T17:33:42Z`.
    pub update_date: String,
}

/// The result of `simulate`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulateOutput {
    pub ok: bool,
    pub results: Vec<SimulateResult>,
    pub policies: Vec<PolicyReport>,
    pub passed: usize,
    pub failed: usize,
}

/// Evaluates every request of a scenario and explains each decision.
pub fn simulate(text: &str, file: &str) -> Result<SimulateOutput, Failure> {
    let scenario = read_scenario(text)?;
    let set = scenario.compile();
    let checks = check_compiled(&scenario, &set, file);
    let (passed, failed) = tally(&checks);
    let results = checks
        .into_iter()
        .zip(scenario.requests.iter())
        .map(|(mut check, req)| {
            let authorization = check.authorization.take();
            let explanation = authorization
                .as_ref()
                .map(|a| explain_authorization(a, req.action.trim(), req.resource.trim()));
            // The what-if search (a feature: the documentation widget shows no suggestions,
            // and leaves the search out of its WebAssembly).
            #[cfg(feature = "whatif")]
            let what_would_change = authorization
                .as_ref()
                .map(|a| what_would_change(&set, req, a));
            #[cfg(not(feature = "whatif"))]
            let what_would_change = None;
            let rejected: Vec<String> = check
                .rejected_policies
                .iter()
                .map(|r| r.policy.label())
                .collect();
            let rejection = (!rejected.is_empty()).then(|| rejected_sentence(&rejected));
            SimulateResult {
                check,
                authorization,
                explanation,
                rejection,
                what_would_change,
            }
        })
        .collect();
    let policies = set
        .values()
        .map(|p| PolicyReport {
            policy: p.id.to_string(),
            kind: p.id.kind(),
            label: p.id.label(),
            title: p.id.title(),
            text: p.text.clone(),
            managed: match scenario.policies.get(p.id) {
                Some(PolicySource::Managed(m)) => m.resolved.as_ref().map(|r| ManagedReport {
                    name: r.name.clone(),
                    arn: r.arn.clone(),
                    version_id: r.version_id.clone(),
                    update_date: r.update_date.clone(),
                }),
                _ => None,
            },
            ok: !p.parsed.has_errors(),
            diagnostics: p.parsed.diagnostics.clone(),
        })
        .collect();
    Ok(SimulateOutput {
        ok: true,
        results,
        policies,
        passed,
        failed,
    })
}

/// The result of `shareFragment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareOutput {
    pub ok: bool,
    /// `s=1.…`, to put after `#` in the playground's address.
    pub fragment: String,
}

/// The share-link fragment of a scenario.
pub fn share_fragment(text: &str) -> Result<ShareOutput, Failure> {
    let scenario = read_scenario(text)?;
    Ok(ShareOutput {
        ok: true,
        fragment: iam_share::encode_scenario(&scenario),
    })
}

/// The result of `shareText`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareText {
    pub ok: bool,
    /// `s=1.`: the fragment's start (its part name and the share format version).
    pub prefix: String,
    /// The JSON a share link carries: the fragment is `prefix` followed by the base64url (no
    /// padding) of this text compressed with raw DEFLATE (any compressor, e.g. the browser's
    /// `CompressionStream("deflate-raw")`).
    pub json: String,
}

/// What a share link of the scenario carries, before compression (the widget compresses it
/// with the browser's own DEFLATE, so its WebAssembly has no compressor).
pub fn share_text(text: &str) -> Result<ShareText, Failure> {
    let scenario = read_scenario(text)?;
    let json = serde_json::to_string(&scenario).map_err(|e| {
        Failure::new(format!(
            "internal error: the scenario cannot be written: {e}"
        ))
    })?;
    Ok(ShareText {
        ok: true,
        prefix: format!("{}{}.", iam_share::PREFIX, iam_share::SHARE_VERSION),
        json,
    })
}

/// The result of `readShareFragment`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadShareOutput {
    pub ok: bool,
    pub scenario: Scenario,
}

/// Reads the scenario of a share-link fragment (with or without `#`).
pub fn read_share_fragment(fragment: &str) -> Result<ReadShareOutput, Failure> {
    match iam_share::decode_scenario(fragment) {
        Ok(scenario) => Ok(ReadShareOutput { ok: true, scenario }),
        Err(iam_share::ShareError::BadScenario(d)) => Err(Failure::scenario(d)),
        Err(e) => Err(Failure::new(e.to_string())),
    }
}

/// Any result as JSON text (a failure if it cannot be serialized, which does not happen).
pub fn to_json<T: Serialize, E: Serialize>(r: &Result<T, E>) -> String {
    let out = match r {
        Ok(v) => serde_json::to_string(v),
        Err(f) => serde_json::to_string(f),
    };
    out.unwrap_or_else(|e| {
        serde_json::to_string(&Failure::new(format!(
            "internal error: cannot serialize the result: {e}"
        )))
        .unwrap_or_default()
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    const IP: &str = include_str!(
        "../../../../tests/scenarios/shared/image-builder/component-ip-restriction.json"
    );

    #[test]
    fn check_matches_the_engine() {
        let out = check(IP, "ip.json").unwrap();
        let s = Scenario::from_json(IP).unwrap();
        let engine = iam_policy::check_scenario(&s, "ip.json");
        assert_eq!(
            serde_json::to_value(&out.results).unwrap(),
            serde_json::to_value(&engine).unwrap()
        );
        assert_eq!((out.passed, out.failed), (7, 0));
    }

    #[test]
    fn simulate_explains() {
        let out = simulate(IP, "ip.json").unwrap();
        let first = &out.results[0];
        assert_eq!(first.check.decision, Some(iam_policy::Decision::Allowed));
        let e = first.explanation.as_ref().unwrap();
        assert!(
            e.decision.starts_with("The request is allowed"),
            "{}",
            e.decision
        );
        let st = &e.layers[0].policies[0].statements[0];
        assert!(st.applies);
        assert_eq!(st.conditions.len(), 2);
        assert!(
            st.conditions[0]
                .sentence
                .contains("is inside 54.240.143.0/24"),
            "{}",
            st.conditions[0].sentence
        );
        let v = serde_json::to_value(&out).unwrap();
        // flattened check fields sit beside the trace
        assert_eq!(v["results"][0]["decision"], "allowed");
        assert_eq!(v["results"][0]["authorization"]["decision"], "allowed");
        assert_eq!(v["policies"][0]["policy"], "identity/0");
        assert_eq!(v["policies"][0]["title"], "Identity policy 1");
        assert_eq!(v["policies"][0]["ok"], true);
        assert_eq!(v["results"][0]["rejection"], serde_json::Value::Null);
        assert_eq!(
            v["results"][0]["explanation"]["layers"][0]["title"],
            "Identity policies"
        );
    }

    /// `shareText` is what `shareFragment` compresses: the same link, whatever compresses it.
    #[test]
    fn share_text_is_what_a_share_fragment_carries() {
        let t = share_text(IP).unwrap();
        assert_eq!(t.prefix, "s=1.");
        let f = share_fragment(IP).unwrap();
        assert_eq!(iam_share::encode_bytes(t.json.as_bytes()), f.fragment);
        let back = iam_share::decode_bytes(&f.fragment).unwrap();
        assert_eq!(back, t.json.as_bytes());
        assert!(share_text(r#"{"requests": []}"#).is_err());
    }

    /// `whatWouldChange` comes with the `whatif` feature (the npm packages); the widget's
    /// engine, built without it, leaves the search out and says null.
    #[test]
    fn what_would_change_follows_the_whatif_feature() {
        let out = simulate(IP, "ip.json").unwrap();
        let v = serde_json::to_value(&out).unwrap();
        for r in v["results"].as_array().unwrap() {
            let changes = &r["whatWouldChange"];
            if cfg!(feature = "whatif") {
                assert!(!changes.as_array().unwrap().is_empty(), "{r}");
            } else {
                assert!(changes.is_null(), "{r}");
            }
        }
    }

    /// The widget shows what this returns, the playground renders the same tree, and the
    /// command line prints the same sentence: an SCP level has one label everywhere.
    #[test]
    fn an_scp_level_has_the_engines_label() {
        let text = include_str!("../../../../tests/scenarios/layers/scps.json");
        let out = simulate(text, "scps.json").unwrap();
        let level = iam_policy::Layer::Scp { level: 1 };
        // Request 1: the second level has no Allow for IAM.
        let r = &out.results[1];
        let e = r.explanation.as_ref().unwrap();
        assert!(e.decision.contains(&level.label()), "{}", e.decision);
        let a = r.authorization.as_ref().unwrap();
        assert_eq!(e.decision, iam_policy::explain::decision_sentence(a));
        let shown = e.layers.iter().find(|l| l.layer == "scps/1").unwrap();
        assert_eq!(
            (shown.title.as_str(), shown.label.clone()),
            ("SCPs · level 1", level.label())
        );
        let report = out
            .policies
            .iter()
            .find(|p| p.policy == "scps/1/0")
            .unwrap();
        assert_eq!(report.title, "SCP 1 · level 1");
    }

    #[test]
    fn a_rejected_policy_is_named_for_people() {
        let scenario = r#"{"policies":{"identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"*","Resource":"*"}]}]},
            "requests":[{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"*"}]}"#;
        let out = simulate(scenario, "x").unwrap();
        let r = &out.results[0];
        assert!(r.check.error.is_some());
        assert_eq!(
            r.rejection.as_deref(),
            Some("AWS would refuse to store identity policy 1, so the request is not evaluated.")
        );
    }

    #[test]
    fn errors_are_values() {
        let f = check("{", "x").unwrap_err();
        assert!(!f.ok);
        assert!(f.error.contains("line 1"), "{}", f.error);
        assert_eq!(f.diagnostics.len(), 1);
        let f = simulate(r#"{"policies":{},"requestz":[]}"#, "x").unwrap_err();
        assert!(f.error.contains("requestz"), "{}", f.error);
        let f = parse("{}", Some("banana")).unwrap_err();
        assert!(f.error.contains("unknown policy kind"));
        let p = parse(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Efect\": \"Allow\" } ]\n}",
            None,
        )
        .unwrap();
        assert!(!p.ok);
        assert!(
            p.diagnostics.iter().any(|d| d.span.start.line == 3),
            "{:?}",
            p.diagnostics
        );
        let r = read_share_fragment("s=1.AAAA").unwrap_err();
        assert!(r.error.contains("damaged"));
    }

    #[test]
    fn share_round_trip() {
        let f = share_fragment(IP).unwrap();
        let back = read_share_fragment(&f.fragment).unwrap();
        assert_eq!(back.scenario, Scenario::from_json(IP).unwrap());
    }

    #[test]
    fn kinds() {
        for (name, kind) in KINDS {
            assert_eq!(policy_kind(Some(name)).unwrap(), kind);
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                name,
                "JS names equal the engine's serialized names"
            );
        }
    }
}
