//! The one module that calls the engine (crate `iam-policy`). The rest of the app sees the
//! workspace (crate::model) and the results below; the explanation (`Outcome::auth`) is the
//! engine's own data, which the UI renders into sentences (components::trace).

use std::collections::BTreeMap;
use std::rc::Rc;

use iam_policy::Detail;
use iam_policy::{
    check_with, Authorization, CompiledPolicy, Diagnostic, PolicySet, PolicySource, RequestSpec,
    Scenario, Span,
};

use crate::model::{Decision, LayerKind, PolicyId, Workspace};

/// A range of a policy text: 1-based lines and columns counted in characters, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    pub from_line: u32,
    pub from_col: u32,
    pub to_line: u32,
    pub to_col: u32,
}

impl From<Span> for Range {
    fn from(s: Span) -> Self {
        Range {
            from_line: s.start.line,
            from_col: s.start.column,
            to_line: s.end.line,
            to_col: s.end.column,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A problem found in a policy text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    pub range: Range,
    /// iam-lint's category (`error`, `securityWarning`, `warning`, `suggestion`) for the
    /// catalog's findings (crate::catalog); `None` for the engine's own diagnostics.
    pub category: Option<&'static str>,
    /// The engine's answer to "would AWS store it?" (`rejected`, `inert`, `advice`), its
    /// words for people, and AWS's own error text; `None` for the catalog's findings.
    pub class: Option<(&'static str, &'static str)>,
    pub aws_error: Option<String>,
}

impl From<&Diagnostic> for Diag {
    fn from(d: &Diagnostic) -> Self {
        Diag {
            severity: match d.severity {
                iam_policy::Severity::Error => Severity::Error,
                iam_policy::Severity::Warning => Severity::Warning,
            },
            code: serde_json::to_value(d.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            message: d.message.clone(),
            hint: d.hint.clone().filter(|h| !h.is_empty()),
            range: d.span.into(),
            category: None,
            class: Some((d.class.as_str(), d.class.label())),
            aws_error: d.aws_error.clone(),
        }
    }
}

/// A statement that decided a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deciding {
    pub policy: PolicyId,
    pub statement: usize,
    pub sid: Option<String>,
    pub range: Range,
}

/// The result of one request.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub decision: Option<Decision>,
    pub expect: Option<Decision>,
    pub pass: Option<bool>,
    pub deciding: Vec<Deciding>,
    pub missing: Vec<String>,
    pub error: Option<String>,
}

/// Everything the UI shows about the current workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluation {
    /// Problems per policy (also for layers switched off).
    pub diagnostics: BTreeMap<PolicyId, Vec<Diag>>,
    pub outcomes: Vec<Outcome>,
    /// The engine's full explanation (every layer, policy, statement and condition) of the
    /// request shown in detail: (its index, the trace).
    pub detail: Option<(usize, Rc<Authorization>)>,
}

impl Evaluation {
    /// The full explanation of request `index`, when it is the one computed.
    pub fn trace(&self, index: usize) -> Option<&Authorization> {
        self.detail
            .as_ref()
            .filter(|(i, _)| *i == index)
            .map(|(_, a)| a.as_ref())
    }

    pub fn errors_in(&self, id: PolicyId) -> usize {
        self.diagnostics.get(&id).map_or(0, |d| {
            d.iter().filter(|d| d.severity == Severity::Error).count()
        })
    }
}

fn decision_from(d: iam_policy::Decision) -> Decision {
    match d {
        iam_policy::Decision::Allowed => Decision::Allowed,
        iam_policy::Decision::ExplicitDeny => Decision::ExplicitDeny,
        iam_policy::Decision::ImplicitDeny => Decision::ImplicitDeny,
    }
}

fn decision_to(d: Decision) -> iam_policy::Decision {
    match d {
        Decision::Allowed => iam_policy::Decision::Allowed,
        Decision::ExplicitDeny => iam_policy::Decision::ExplicitDeny,
        Decision::ImplicitDeny => iam_policy::Decision::ImplicitDeny,
    }
}

fn position(d: &Diagnostic) -> String {
    format!(
        "line {}, column {}: {}",
        d.span.start.line, d.span.start.column, d.message
    )
}

/// Reads a scenario file (upload, gallery, scenario-only share link) into a workspace.
/// Errors carry line and column.
pub fn import_scenario(text: &str) -> Result<Workspace, Vec<String>> {
    use crate::model::{PolicyDoc, RequestRow};
    let s = Scenario::from_json(text).map_err(|diags| {
        diags
            .iter()
            .filter(|d| d.is_error())
            .map(position)
            .collect::<Vec<_>>()
    })?;
    let docs = |list: &[PolicySource], name: &dyn Fn(usize) -> String| {
        list.iter()
            .enumerate()
            .map(|(i, p)| PolicyDoc::new(name(i), p.text()))
            .collect::<Vec<_>>()
    };
    let leveled = |levels: &[Vec<PolicySource>], short: &str| {
        levels
            .iter()
            .enumerate()
            .map(|(l, list)| docs(list, &|i| crate::model::leveled_name(short, l, i)))
            .collect::<Vec<_>>()
    };
    let p = &s.policies;
    let mut ws = Workspace {
        name: s.name.clone().unwrap_or_default(),
        description: s.description.clone().unwrap_or_default(),
        ..Workspace::default()
    };
    let wp = &mut ws.policies;
    wp.identity = docs(&p.identity, &|i| format!("Policy {}", i + 1));
    wp.resource = p
        .resource
        .as_ref()
        .map(|x| PolicyDoc::new("Resource policy", x.text()));
    wp.permissions_boundary = p
        .permissions_boundary
        .as_ref()
        .map(|x| PolicyDoc::new("Permissions boundary", x.text()));
    wp.session = p
        .session
        .as_ref()
        .map(|x| PolicyDoc::new("Session policy", x.text()));
    wp.scps = leveled(&p.scps, "SCP");
    wp.rcps = leveled(&p.rcps, "RCP");
    wp.vpc_endpoint = docs(&p.vpc_endpoint, &|i| format!("Endpoint policy {}", i + 1));
    ws.requests = s
        .requests
        .iter()
        .map(|r| {
            let mut row = RequestRow {
                name: r.name.clone().unwrap_or_default(),
                principal: r.principal.clone(),
                action: r.action.clone(),
                resource: r.resource.clone(),
                resource_account: r.resource_account.clone().unwrap_or_default(),
                expect: r.expect.map(decision_from),
                ..RequestRow::default()
            };
            row.set_context(&r.context);
            row
        })
        .collect();
    Ok(ws)
}

/// The scenario the engine evaluates: policies of layers switched on, every request.
fn scenario_of(ws: &Workspace) -> Scenario {
    let on = |l: LayerKind| ws.is_on(l);
    let p = &ws.policies;
    let text = |d: &crate::model::PolicyDoc| PolicySource::Text(d.text.clone());
    let list = |v: &Vec<crate::model::PolicyDoc>| v.iter().map(text).collect::<Vec<_>>();
    let mut s = Scenario {
        format: Some(1),
        ..Scenario::default()
    };
    let sp = &mut s.policies;
    if on(LayerKind::Identity) {
        sp.identity = list(&p.identity);
    }
    if on(LayerKind::Resource) {
        sp.resource = p.resource.as_ref().map(text);
    }
    if on(LayerKind::PermissionsBoundary) {
        sp.permissions_boundary = p.permissions_boundary.as_ref().map(text);
    }
    if on(LayerKind::Session) {
        sp.session = p.session.as_ref().map(text);
    }
    if on(LayerKind::Scps) {
        sp.scps = p.scps.iter().map(list).collect();
    }
    if on(LayerKind::Rcps) {
        sp.rcps = p.rcps.iter().map(list).collect();
    }
    if on(LayerKind::VpcEndpoint) {
        sp.vpc_endpoint = list(&p.vpc_endpoint);
    }
    s.requests = ws
        .requests
        .iter()
        .map(|r| RequestSpec {
            name: (!r.name.is_empty()).then(|| r.name.clone()),
            principal: r.principal.clone(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: (!r.resource_account.trim().is_empty())
                .then(|| r.resource_account.trim().to_string()),
            context: r.context_map(),
            expect: r.expect.map(decision_to),
        })
        .collect();
    s
}

/// Replaces the engine's policy ids in a message by the names the user gave.
fn with_names(ws: &Workspace, message: &str) -> String {
    let mut out = message.to_string();
    for (id, doc) in ws.all_policies() {
        let needle = format!("policy {} ", id.engine_id());
        if out.contains(&needle) {
            out = out.replace(&needle, &format!("policy “{}” ", doc.name));
        }
    }
    out
}

/// Evaluates every request of the workspace (this runs on every edit). Each policy is parsed
/// once; every request is decided against the compiled policies without per-statement
/// traces, and request `detail` (the one the UI explains) also gets its full trace.
pub fn evaluate(ws: &Workspace, detail: Option<usize>) -> Evaluation {
    let scenario = scenario_of(ws);
    let set: PolicySet = scenario.compile();

    let mut diagnostics = BTreeMap::new();
    for p in set.values() {
        if let Some(id) = PolicyId::from_engine_id(&p.id.to_string()) {
            diagnostics.insert(id, p.parsed.diagnostics.iter().map(Diag::from).collect());
        }
    }
    // Layers switched off are not evaluated, but their problems are still shown.
    for (id, doc) in ws.all_policies() {
        if !ws.is_on(id.layer()) {
            if let Ok(engine_id) = id.engine_id().parse() {
                let c = CompiledPolicy::new(engine_id, doc.text.clone());
                diagnostics.insert(id, c.parsed.diagnostics.iter().map(Diag::from).collect());
            }
        }
    }

    let outcomes = check_with(&scenario, &set, "playground", Detail::Decision)
        .into_iter()
        .map(|r| Outcome {
            decision: r.decision.map(decision_from),
            expect: r.expect.map(decision_from),
            pass: r.pass,
            deciding: r
                .deciding_statements
                .iter()
                .filter_map(|s| {
                    Some(Deciding {
                        policy: PolicyId::from_engine_id(&s.policy.to_string())?,
                        statement: s.statement,
                        sid: s.sid.clone(),
                        range: s.span.into(),
                    })
                })
                .collect(),
            missing: r.missing_context,
            error: r.error.map(|e| with_names(ws, &e)),
        })
        .collect();
    let detail = detail.and_then(|i| {
        let r = scenario.requests.get(i)?;
        let a = r.evaluate_with(&set, Detail::Full).ok()?;
        Some((i, Rc::new(a)))
    });
    Evaluation {
        diagnostics,
        outcomes,
        detail,
    }
}

/// A workspace of `policies` identity policies and `requests` requests, for timing.
pub fn bench_workspace(policies: usize, requests: usize) -> Workspace {
    use crate::model::{ContextEntry, PolicyDoc, RequestRow};
    let mut ws = Workspace::default();
    for p in 0..policies {
        let text = format!(
            r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "AllowReads{p}",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket", "imagebuilder:Get*"],
      "Resource": ["arn:aws:s3:::bucket-{p}/*", "arn:aws:imagebuilder:*:*:component/*"],
      "Condition": {{
        "IpAddress": {{ "aws:SourceIp": ["10.{p}.0.0/16", "54.240.143.0/24"] }},
        "StringLike": {{ "aws:PrincipalTag/team": ["team-{p}", "ops-*"] }}
      }}
    }},
    {{
      "Sid": "DenyWithoutMfa{p}",
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {{ "BoolIfExists": {{ "aws:MultiFactorAuthPresent": "false" }} }}
    }},
    {{
      "Sid": "AllowOwnFolder{p}",
      "Effect": "Allow",
      "NotAction": ["iam:*"],
      "Resource": "arn:aws:s3:::home-{p}/${{aws:username}}/*"
    }}
  ]
}}"#
        );
        ws.policies
            .identity
            .push(PolicyDoc::new(format!("Policy {}", p + 1), text));
    }
    for r in 0..requests {
        let p = r % policies.max(1);
        ws.requests.push(RequestRow {
            name: format!("request {r}"),
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: if r % 2 == 0 {
                "s3:GetObject"
            } else {
                "imagebuilder:GetComponent"
            }
            .into(),
            resource: format!("arn:aws:s3:::bucket-{p}/file-{r}.txt"),
            source_ip: format!("54.240.143.{}", r % 250),
            context: vec![
                ContextEntry {
                    key: "aws:PrincipalTag/team".into(),
                    values: vec![format!("team-{p}")],
                    ..ContextEntry::default()
                },
                ContextEntry {
                    key: "aws:MultiFactorAuthPresent".into(),
                    values: vec![if r % 3 == 0 { "false" } else { "true" }.into()],
                    ..ContextEntry::default()
                },
            ],
            ..RequestRow::default()
        });
    }
    ws
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(path: &str) -> Workspace {
        let e = crate::gallery::example(path).expect("embedded");
        import_scenario(e.text).expect("loads")
    }

    #[test]
    fn every_gallery_example_meets_its_expectations() {
        for e in crate::gallery::examples() {
            let ws = import_scenario(e.text).expect("loads");
            let eval = evaluate(&ws, None);
            assert_eq!(eval.outcomes.len(), ws.requests.len());
            for (i, o) in eval.outcomes.iter().enumerate() {
                assert_eq!(o.error, None, "{} request {i}", e.path);
                if o.expect.is_some() {
                    assert_eq!(
                        o.pass,
                        Some(true),
                        "{} request {i}: {:?}",
                        e.path,
                        o.decision
                    );
                }
            }
        }
    }

    #[test]
    fn the_excluded_address_is_denied_with_a_trace() {
        let mut ws = example("image-builder/component-ip-restriction.json");
        let eval = evaluate(&ws, Some(1));
        let excluded = &eval.outcomes[1];
        assert_eq!(excluded.decision, Some(Decision::ImplicitDeny));
        assert!(
            eval.trace(0).is_none(),
            "only the request shown in detail is traced"
        );
        let auth = eval.trace(1).expect("trace");
        let st = &auth.layers[0].policies[0].statements[0];
        assert!(!st.applies);
        assert_eq!(st.conditions.len(), 2);
        assert!(!st.conditions[1].result, "NotIpAddress is false");
        // Changing the source IP changes the decision.
        ws.requests[1].source_ip = "54.240.143.5".into();
        let eval = evaluate(&ws, None);
        assert_eq!(eval.outcomes[1].decision, Some(Decision::Allowed));
        let d = &eval.outcomes[1].deciding[0];
        assert_eq!(d.policy, PolicyId::Identity(0));
        assert_eq!(d.sid.as_deref(), Some("IPAllow"));
        assert!(d.range.from_line >= 3);
        // No source IP: the missing key is called out.
        ws.requests[1].source_ip.clear();
        let eval = evaluate(&ws, None);
        assert_eq!(eval.outcomes[1].missing, vec!["aws:SourceIp".to_string()]);
    }

    #[test]
    fn an_invalid_policy_has_a_positioned_error_and_requests_say_why() {
        let mut ws = example("image-builder/component-ip-restriction.json");
        ws.policies.identity[0].text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\" \"Action\": \"*\" } ]\n}".into();
        let eval = evaluate(&ws, None);
        let diags = &eval.diagnostics[&PolicyId::Identity(0)];
        assert!(!diags.is_empty());
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(diags[0].range.from_line, 3);
        let err = eval.outcomes[0].error.as_deref().unwrap_or_default();
        assert!(err.contains("“Policy 1”"), "{err}");
    }

    #[test]
    fn switched_off_layers_still_get_diagnostics() {
        let mut ws = example("image-builder/component-ip-restriction.json");
        ws.set_on(LayerKind::Identity, false);
        ws.policies.identity[0].text = "{".into();
        let eval = evaluate(&ws, None);
        assert!(eval.errors_in(PolicyId::Identity(0)) > 0);
        // Without identity policies nothing is allowed, and nothing errors.
        assert!(eval
            .outcomes
            .iter()
            .all(|o| o.decision == Some(Decision::ImplicitDeny) && o.error.is_none()));
    }

    #[test]
    fn bench_workspace_evaluates() {
        let ws = bench_workspace(5, 100);
        let eval = evaluate(&ws, None);
        assert_eq!(eval.outcomes.len(), 100);
        assert!(
            eval.outcomes.iter().all(|o| o.error.is_none()),
            "{:?}",
            eval.outcomes[0].error
        );
        assert!(eval
            .outcomes
            .iter()
            .any(|o| o.decision == Some(Decision::Allowed)));
        assert!(eval
            .outcomes
            .iter()
            .any(|o| o.decision == Some(Decision::ExplicitDeny)));
    }

    #[test]
    fn malformed_uploads_are_errors_with_positions() {
        let err = import_scenario("{\"policies\": {}, \"bogus\": 1}").unwrap_err();
        assert!(err[0].starts_with("line 1, column"), "{err:?}");
        assert!(import_scenario("nope").is_err());
    }
}
