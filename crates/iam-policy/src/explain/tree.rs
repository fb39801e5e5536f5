//! The explanation tree: a decision, each layer, policy, statement, element
//! and condition in words, with the positions to highlight. The command
//! line, the npm package, the widget and the playground render this one
//! tree.

use crate::eval::authorize::Authorization;
use crate::eval::statement::{PolicyDecision, StatementTrace};
use crate::explain::sentences::{
    condition_sentence, decision_sentence, element_sentence, layer_sentence, note_sentence,
    principal_sentence, statement_summary,
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
    pub summary: String,
    pub line: u32,
    pub column: u32,
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
    pub sentence: String,
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
}

fn explain_statement(s: &StatementTrace, action: &str, resource: &str) -> StatementExplanation {
    StatementExplanation {
        index: s.index,
        sid: s.sid.clone(),
        applies: s.applies,
        summary: statement_summary(s),
        line: s.anchor.line,
        column: s.anchor.column,
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
    }
}
