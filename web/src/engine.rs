//! The one module that calls the engine (crate `iam-policy`): it reads scenario files and
//! evaluates the workspace. What it returns is the engine's own data — diagnostics
//! (`Diagnostic`), results (`CheckResult`, with the deciding statements and, for a request
//! that is not evaluated, the rejected policies with their diagnostics), and the explanation
//! tree (`Explanation`) of the request shown in detail — which the components render. (What
//! would change a decision comes from the lazy part: `catalog::what_would_change`.)

use std::collections::BTreeMap;
use std::rc::Rc;

use iam_policy::explain::{explain_authorization, Explanation};
use iam_policy::{
    check_with, CheckResult, CompiledPolicy, Detail, Diagnostic, DiagnosticCode, PolicyId,
    Scenario, Span,
};

use crate::model::Workspace;

/// Reads a scenario file (upload, gallery, scenario-only share link) into a workspace, or
/// says why it cannot (the errors, each with its position).
pub fn import_scenario(text: &str) -> Result<Workspace, Vec<Diagnostic>> {
    Scenario::from_json(text)
        .map(|s| Workspace::from_scenario(&s))
        .map_err(|diags| diags.into_iter().filter(Diagnostic::is_error).collect())
}

/// Problems for a message: "line 1, column 18: unknown field \"bogus\" …; line …".
pub fn problems_text(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| {
            format!(
                "line {}, column {}: {}",
                d.span.start.line, d.span.start.column, d.message
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything the UI shows about the current workspace.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    /// Problems per policy (also for layers switched off).
    pub diagnostics: BTreeMap<PolicyId, Vec<Diagnostic>>,
    /// One result per request (decided without per-statement traces).
    pub results: Vec<CheckResult>,
    /// The engine's explanation (every layer, policy, statement and condition in words) of
    /// the request shown in detail: (its index, the explanation).
    pub detail: Option<(usize, Rc<Explanation>)>,
}

impl Evaluation {
    /// The explanation of request `index`, when it is the one explained.
    pub fn explanation(&self, index: usize) -> Option<&Explanation> {
        self.detail
            .as_ref()
            .filter(|(i, _)| *i == index)
            .map(|(_, e)| e.as_ref())
    }

    /// How many problems of a policy make AWS reject it.
    pub fn errors_in(&self, id: PolicyId) -> usize {
        self.diagnostics
            .get(&id)
            .map_or(0, |d| d.iter().filter(|d| d.is_error()).count())
    }
}

/// Evaluates every request of the workspace (this runs on every edit). Each policy is parsed
/// once; every request is decided against the compiled policies without per-statement
/// traces, and request `detail` (the one the UI explains) is also explained in full.
pub fn evaluate(ws: &Workspace, detail: Option<usize>) -> Evaluation {
    let scenario = ws.scenario();
    let set = scenario.compile();

    let mut diagnostics = BTreeMap::new();
    for (id, p) in set.iter() {
        diagnostics.insert(id, p.parsed.diagnostics.clone());
    }
    // Layers switched off are not evaluated, but their problems are still shown.
    for (id, doc) in ws.policies.docs.iter() {
        if !ws.is_on(id.kind()) {
            let c = CompiledPolicy::new(id, doc.text.clone());
            diagnostics.insert(id, c.parsed.diagnostics);
        }
    }

    // An AWS managed policy reference not looked up yet, or unknown: the engine says it is
    // not loaded; the playground says which it is (with "did you mean").
    let mut managed = BTreeMap::new();
    for (id, doc) in ws.policies.docs.iter() {
        if let Some(m) = doc.managed.as_ref().filter(|m| m.resolved.is_none()) {
            let d = match &m.error {
                Some((message, closest)) => Diagnostic::error(
                    DiagnosticCode::UnknownManagedPolicy,
                    Span::default(),
                    message.clone(),
                    match closest.first() {
                        Some(c) => format!("did you mean \"{c}\"?"),
                        None => "check the name in the IAM console's list of AWS managed policies"
                            .into(),
                    },
                ),
                None => Diagnostic::error(
                    DiagnosticCode::UnknownManagedPolicy,
                    Span::default(),
                    format!("the AWS managed policy \"{}\" is being loaded", m.reference),
                    "the AWS managed policies load once, when a scenario uses one",
                ),
            };
            diagnostics.insert(id, vec![d.clone()]);
            managed.insert(id, d);
        }
    }

    let results = check_with(&scenario, &set, "playground", Detail::Decision)
        .into_iter()
        .map(|mut r| {
            r.authorization = None; // the decision-only trace is not shown
            for p in &mut r.rejected_policies {
                if let Some(d) = managed.get(&p.policy) {
                    p.diagnostics = vec![d.clone()];
                }
            }
            r
        })
        .collect();
    let detail = detail.and_then(|i| {
        let r = scenario.requests.get(i)?;
        let a = r.evaluate_with(&set, Detail::Full).ok()?;
        let e = explain_authorization(&a, r.action.trim(), r.resource.trim());
        Some((i, Rc::new(e)))
    });
    Evaluation {
        diagnostics,
        results,
        detail,
    }
}

/// A workspace of `policies` identity policies and `requests` requests, for timing.
pub fn bench_workspace(policies: usize, requests: usize) -> Workspace {
    use crate::model::{ContextField, PolicyDoc, RequestRow};
    use iam_policy::PolicyKind;
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
        let id = ws.add_policy(PolicyKind::Identity, None);
        if let Some(doc) = ws.policy_mut(id) {
            *doc = PolicyDoc::new(format!("Policy {}", p + 1), text);
        }
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
                ContextField {
                    key: "aws:PrincipalTag/team".into(),
                    values: vec![format!("team-{p}")],
                    ..ContextField::default()
                },
                ContextField {
                    key: "aws:MultiFactorAuthPresent".into(),
                    values: vec![if r % 3 == 0 { "false" } else { "true" }.into()],
                    ..ContextField::default()
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
    use iam_policy::{Decision, Layer, PolicyKind};

    const IP: &str =
        include_str!("../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

    fn example() -> Workspace {
        import_scenario(IP).expect("loads")
    }

    #[test]
    fn the_excluded_address_is_denied_with_an_explanation() {
        let mut ws = example();
        let eval = evaluate(&ws, Some(1));
        assert_eq!(eval.results[1].decision, Some(Decision::ImplicitDeny));
        assert!(
            eval.explanation(0).is_none(),
            "only the request shown in detail is explained"
        );
        let e = eval.explanation(1).expect("explanation");
        assert!(
            e.decision.starts_with("The request is implicitly denied"),
            "{}",
            e.decision
        );
        let st = &e.layers[0].policies[0].statements[0];
        assert!(!st.applies);
        assert_eq!(st.conditions.len(), 2);
        assert!(!st.conditions[1].ok, "NotIpAddress is false");
        assert_eq!(e.near_misses.len(), 1);
        // Changing the source IP changes the decision.
        ws.requests[1].source_ip = "54.240.143.5".into();
        let eval = evaluate(&ws, None);
        assert_eq!(eval.results[1].decision, Some(Decision::Allowed));
        let d = &eval.results[1].deciding_statements[0];
        assert_eq!(d.policy, PolicyId::Identity(0));
        assert_eq!(d.sid.as_deref(), Some("IPAllow"));
        assert!(d.span.start.line >= 3);
        // No source IP: the missing key is called out.
        ws.requests[1].source_ip.clear();
        let eval = evaluate(&ws, None);
        assert_eq!(
            eval.results[1].missing_context,
            vec!["aws:SourceIp".to_string()]
        );
    }

    #[test]
    fn a_rejected_policy_has_a_positioned_error_and_requests_say_which() {
        let mut ws = example();
        ws.policies.docs.identity[0].text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\" \"Action\": \"*\" } ]\n}".into();
        let eval = evaluate(&ws, None);
        let diags = &eval.diagnostics[&PolicyId::Identity(0)];
        assert!(diags[0].is_error());
        assert_eq!(diags[0].span.start.line, 3);
        let r = &eval.results[0];
        assert!(r.error.is_some());
        assert_eq!(r.rejected_policies[0].policy, PolicyId::Identity(0));
        assert_eq!(r.rejected_policies[0].diagnostics[0].span.start.line, 3);
    }

    #[test]
    fn switched_off_layers_still_get_diagnostics() {
        let mut ws = example();
        ws.set_on(PolicyKind::Identity, false);
        ws.policies.docs.identity[0].text = "{".into();
        let eval = evaluate(&ws, None);
        assert!(eval.errors_in(PolicyId::Identity(0)) > 0);
        // Without identity policies nothing is allowed, and nothing errors.
        assert!(eval
            .results
            .iter()
            .all(|r| r.decision == Some(Decision::ImplicitDeny) && r.error.is_none()));
    }

    /// The label of an SCP level is the engine's, whichever front end shows it: the
    /// playground renders this explanation, the npm package (and so the widget) returns the
    /// same tree, and the command line prints `decision_sentence`.
    #[test]
    fn an_scp_level_has_the_engines_label() {
        let text = include_str!("../../tests/scenarios/layers/scps.json");
        let ws = import_scenario(text).expect("loads");
        let level1 = PolicyId::Scp { level: 1, index: 0 };
        assert_eq!(
            ws.policy(level1).map(|p| p.name.as_str()),
            Some("SCP 1 · level 1")
        );
        // Request 1: the second level has no Allow for IAM.
        let eval = evaluate(&ws, Some(1));
        let e = eval.explanation(1).expect("explained");
        let layer = Layer::Scp { level: 1 };
        assert!(e.decision.contains(&layer.label()), "{}", e.decision);
        assert!(e
            .decision
            .contains("the SCPs of organization level 1 below the root"));
        let shown = e
            .layers
            .iter()
            .find(|l| l.layer == "scps/1")
            .expect("the level");
        assert_eq!(shown.title, "SCPs · level 1");
        assert_eq!(shown.label, layer.label());
        let s = Scenario::from_json(text).expect("reads");
        let cli = iam_policy::check_scenario(&s, "scps.json");
        let a = cli[1].authorization.as_ref().expect("evaluated");
        assert_eq!(e.decision, iam_policy::explain::decision_sentence(a));
    }

    #[test]
    fn bench_workspace_evaluates() {
        let ws = bench_workspace(5, 100);
        let eval = evaluate(&ws, None);
        assert_eq!(eval.results.len(), 100);
        assert!(
            eval.results.iter().all(|r| r.error.is_none()),
            "{:?}",
            eval.results[0].error
        );
        assert!(eval
            .results
            .iter()
            .any(|r| r.decision == Some(Decision::Allowed)));
        assert!(eval
            .results
            .iter()
            .any(|r| r.decision == Some(Decision::ExplicitDeny)));
    }

    #[test]
    fn malformed_uploads_are_errors_with_positions() {
        let err = import_scenario("{\"policies\": {}, \"bogus\": 1}").unwrap_err();
        assert_eq!(err[0].span.start.line, 1);
        assert!(err[0].message.contains("bogus"), "{}", err[0].message);
        assert!(import_scenario("nope").is_err());
    }
}
