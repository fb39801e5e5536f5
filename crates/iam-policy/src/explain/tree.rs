//! The explanation tree: a decision, each layer, policy, statement, element
//! and condition in words, with the positions to highlight. The command
//! line, the npm package, the widget and the playground render this one
//! tree.

use crate::ast::policy::Effect;
use crate::eval::authorize::{Authorization, Decision};
use crate::eval::statement::{PolicyDecision, StatementTrace};
use crate::explain::sentences::{
    condition_sentence, decision_sentence, element_sentence, layer_sentence, layer_verdict,
    near_miss_sentence, note_sentence, principal_sentence, statement_label, statement_summary,
    statement_verdict,
};
use crate::layer::PolicyId;
use crate::span::Span;
use serde::Serialize;

/// One element of a statement (Principal, Action, Resource or a condition) in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementExplanation {
    /// Whether the element covers the request (for a condition: whether it is true).
    pub ok: bool,
    pub sentence: String,
    /// Where the element is written (its key, or the condition's operator).
    pub span: Option<Span>,
}

/// One statement in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatementExplanation {
    pub index: usize,
    pub sid: Option<String>,
    pub applies: bool,
    /// `statement 0 "IPAllow" (Allow) does not apply: a condition is false`:
    /// the label, the effect and the verdict in one line.
    pub summary: String,
    /// `statement 0 "IPAllow"`.
    pub label: String,
    pub effect: Option<Effect>,
    /// `does not apply: a condition is false`.
    pub verdict: String,
    pub line: u32,
    pub column: u32,
    /// The whole statement, for highlighting.
    pub span: Span,
    pub principal: Option<ElementExplanation>,
    pub action: ElementExplanation,
    pub resource: ElementExplanation,
    pub conditions: Vec<ElementExplanation>,
}

/// One policy of a layer in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyExplanation {
    pub policy: PolicyId,
    /// The policy for people: "identity policy 1".
    pub label: String,
    /// A heading: "Identity policy 1", "SCP 2 · organization root".
    pub title: String,
    pub decision: PolicyDecision,
    pub statements: Vec<StatementExplanation>,
}

/// One layer in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayerExplanation {
    /// `identity`, `scps/0`, …
    pub layer: String,
    /// The layer for people: "the SCPs of the organization root".
    pub label: String,
    /// A heading: "SCPs · organization root".
    pub title: String,
    /// `scps/0 has no statement that allows`.
    pub sentence: String,
    /// The sentence without the layer: `has no statement that allows`.
    pub verdict: String,
    pub policies: Vec<PolicyExplanation>,
}

/// A decision in words: the sentences of the command line's `simulate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// "The request is allowed: …".
    pub decision: String,
    /// What the engine noticed about the request (a role ARN as caller, a
    /// private source IP, …), one sentence each.
    pub notes: Vec<String>,
    pub layers: Vec<LayerExplanation>,
    /// For an implicit deny: the Allow statements that cover the request but
    /// for a false condition (the usual reason for a surprise).
    pub near_misses: Vec<NearMiss>,
}

/// An Allow statement that would have allowed the request but for its
/// conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    pub policy: PolicyId,
    pub statement: usize,
    /// `statement 0 "IPAllow"`.
    pub label: String,
    /// The sentences of its false conditions.
    pub conditions: Vec<String>,
    /// `statement 0 "IPAllow" of identity policy 1 would allow it, but …`
    /// (see [`near_miss_sentence`] to name the policy otherwise).
    pub sentence: String,
}

fn explain_statement(s: &StatementTrace, action: &str, resource: &str) -> StatementExplanation {
    StatementExplanation {
        index: s.index,
        sid: s.sid.clone(),
        applies: s.applies,
        summary: statement_summary(s),
        label: statement_label(s.index, s.sid.as_deref()),
        effect: s.effect,
        verdict: statement_verdict(s),
        line: s.anchor.line,
        column: s.anchor.column,
        span: s.span,
        principal: s.principal.as_ref().map(|p| ElementExplanation {
            ok: p.matched,
            sentence: principal_sentence(p),
            span: Some(p.key_span),
        }),
        action: ElementExplanation {
            ok: s.action.matched,
            sentence: element_sentence("Action", &s.action, action),
            span: s.action.key_span,
        },
        resource: ElementExplanation {
            ok: s.resource.matched,
            sentence: element_sentence("Resource", &s.resource, resource),
            span: s.resource.key_span,
        },
        conditions: s
            .conditions
            .iter()
            .map(|c| ElementExplanation {
                ok: c.result,
                sentence: condition_sentence(c),
                span: Some(c.operator_span),
            })
            .collect(),
    }
}

/// The near misses of an implicit deny (none for other decisions).
fn near_misses(a: &Authorization) -> Vec<NearMiss> {
    if a.decision != Decision::ImplicitDeny {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in a.layers.iter().flat_map(|l| &l.policies) {
        for s in &p.statements {
            if s.effect == Some(Effect::Allow) && s.scope_matched && !s.conditions_met {
                let label = statement_label(s.index, s.sid.as_deref());
                let conditions: Vec<String> = s
                    .conditions
                    .iter()
                    .filter(|c| !c.result)
                    .map(condition_sentence)
                    .collect();
                out.push(NearMiss {
                    policy: p.policy,
                    statement: s.index,
                    sentence: near_miss_sentence(&label, &p.policy.label(), &conditions),
                    label,
                    conditions,
                });
            }
        }
    }
    out
}

/// Explains one authorization in words.
pub fn explain_authorization(a: &Authorization, action: &str, resource: &str) -> Explanation {
    Explanation {
        decision: decision_sentence(a),
        notes: a.notes.iter().map(note_sentence).collect(),
        layers: a
            .layers
            .iter()
            .map(|l| LayerExplanation {
                layer: l.layer.to_string(),
                label: l.layer.label(),
                title: l.layer.title(),
                sentence: layer_sentence(l),
                verdict: layer_verdict(l),
                policies: l
                    .policies
                    .iter()
                    .map(|p| PolicyExplanation {
                        policy: p.policy,
                        label: match &p.managed {
                            Some(name) => {
                                format!("{name} (AWS managed policy, {})", p.policy.label())
                            }
                            None => p.policy.label(),
                        },
                        title: match &p.managed {
                            Some(name) => format!("{name} (AWS managed)"),
                            None => p.policy.title(),
                        },
                        decision: p.decision,
                        statements: p
                            .statements
                            .iter()
                            .map(|s| explain_statement(s, action, resource))
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        near_misses: near_misses(a),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::ast::scenario::Scenario;

    const IP: &str = include_str!(
        "../../../../tests/scenarios/shared/image-builder/component-ip-restriction.json"
    );

    #[test]
    fn the_tree_names_statements_layers_and_near_misses() {
        let s = Scenario::from_json(IP).unwrap();
        let results = crate::check::check_scenario(&s, "ip.json");
        // Request 1: 54.240.143.188, the excluded address.
        let r = &s.requests[1];
        let a = results[1].authorization.as_ref().unwrap();
        let e = explain_authorization(a, &r.action, &r.resource);
        let layer = &e.layers[0];
        assert_eq!(layer.title, "Identity policies");
        assert_eq!(layer.sentence, format!("identity {}", layer.verdict));
        let p = &layer.policies[0];
        assert_eq!(
            (p.label.as_str(), p.title.as_str()),
            ("identity policy 1", "Identity policy 1")
        );
        let st = &p.statements[0];
        assert_eq!(st.label, "statement 0 \"IPAllow\"");
        assert_eq!(st.effect, Some(Effect::Allow));
        assert_eq!(st.summary, format!("{} (Allow) {}", st.label, st.verdict));
        assert!(st.span.start.line <= st.line && st.line <= st.span.end.line);
        assert_eq!(e.near_misses.len(), 1);
        let m = &e.near_misses[0];
        assert_eq!((m.policy, m.statement), (PolicyId::Identity(0), 0));
        assert_eq!(
            m.sentence,
            "statement 0 \"IPAllow\" of identity policy 1 would allow it, but aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false."
        );
        // An allowed request has no near misses.
        let allowed = explain_authorization(results[0].authorization.as_ref().unwrap(), "x", "y");
        assert!(allowed.near_misses.is_empty());
    }
}
