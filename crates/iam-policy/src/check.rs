//! `check`: evaluates the requests of a scenario and compares them with
//! their expected decisions. The result objects are the `check --json`
//! contract of `docs/scenario-format.md`.

use crate::ast::scenario::Scenario;
use crate::eval::authorize::{
    Authorization, Decision, DecisionRule, Detail, LayerDecision, LayerResult, NotApplicable,
    PolicySet, StatementRef,
};
use crate::eval::principal::GrantKind;
use crate::layer::Layer;
use serde::Serialize;

/// One layer's verdict, as `check --json` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerSummary {
    #[serde(serialize_with = "crate::eval::authorize::as_text")]
    pub layer: Layer,
    pub decision: LayerDecision,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_applicable: Option<NotApplicable>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantKind>,
    pub deciding_statements: Vec<StatementRef>,
    pub missing_context: Vec<String>,
}

impl From<&LayerResult> for LayerSummary {
    fn from(l: &LayerResult) -> Self {
        LayerSummary {
            layer: l.layer,
            decision: l.decision,
            not_applicable: l.not_applicable,
            grant: l.grant,
            deciding_statements: l.deciding_statements.clone(),
            missing_context: l.missing_context.clone(),
        }
    }
}

/// The result of one request (one object of `check --json`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub file: String,
    pub request: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub decision: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pass: Option<bool>,
    pub deciding_statements: Vec<StatementRef>,
    pub missing_context: Vec<String>,
    pub error: Option<String>,
    /// Policies AWS would refuse to store (the reason the request was not
    /// evaluated), with every diagnostic and its position.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected_policies: Vec<crate::eval::RejectedPolicy>,
    /// The layer whose missing allow caused an implicit deny.
    #[serde(serialize_with = "crate::eval::authorize::opt_layer_as_text")]
    pub blocked_by: Option<Layer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<DecisionRule>,
    pub layers: Vec<LayerSummary>,
    /// The full evaluation, for renderers (not part of the JSON).
    #[serde(skip)]
    pub authorization: Option<Authorization>,
}

/// Evaluates every request of a scenario against its policies.
pub fn check_scenario(scenario: &Scenario, file: &str) -> Vec<CheckResult> {
    let set = scenario.compile();
    check_compiled(scenario, &set, file)
}

/// As [`check_scenario`], with policies already compiled (full traces in
/// `authorization`).
pub fn check_compiled(scenario: &Scenario, set: &PolicySet, file: &str) -> Vec<CheckResult> {
    check_with(scenario, set, file, Detail::Full)
}

/// As [`check_compiled`], recording as much as `detail` asks: with
/// [`Detail::Decision`] the results are the same but `authorization` holds no
/// per-statement traces, which is much faster for many requests.
pub fn check_with(
    scenario: &Scenario,
    set: &PolicySet,
    file: &str,
    detail: Detail,
) -> Vec<CheckResult> {
    scenario
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut out = CheckResult {
                file: file.to_string(),
                request: i,
                name: r.name.clone(),
                decision: None,
                expect: r.expect,
                pass: None,
                deciding_statements: Vec::new(),
                missing_context: Vec::new(),
                error: None,
                rejected_policies: Vec::new(),
                blocked_by: None,
                rule: None,
                layers: Vec::new(),
                authorization: None,
            };
            match r.evaluate_with(set, detail) {
                Ok(a) => {
                    out.decision = Some(a.decision);
                    out.deciding_statements = a.deciding_statements.clone();
                    out.missing_context = a.missing_context.clone();
                    out.blocked_by = a.blocked_by;
                    out.rule = Some(a.rule.clone());
                    out.layers = a.layers.iter().map(LayerSummary::from).collect();
                    out.authorization = Some(a);
                }
                Err(e) => {
                    out.error = Some(e.message);
                    out.rejected_policies = e.rejected;
                }
            }
            out.pass = r.expect.map(|e| out.decision == Some(e));
            out
        })
        .collect()
}
