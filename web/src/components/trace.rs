//! Why a request got its decision: the engine's explanation tree
//! (`iam_policy::explain::Explanation`: the decision sentence, notes, near misses, every
//! layer, policy, statement and condition in words) rendered with the playground's headings,
//! its policy names and links into the editor. The wording is the engine's.

use iam_policy::explain::{
    decision_label, near_miss_sentence, rejected_sentence, statement_label, ElementExplanation,
    Explanation as Tree, LayerExplanation, PolicyExplanation, StatementExplanation,
};
use iam_policy::{CheckResult, Effect, LayerDecision, PolicyId};
use yew::prelude::*;

use super::problems::diagnostic_item;
use super::{decision_badge, use_store, Store};
use crate::browser::capitalized;
use crate::state::Action;

/// Which part of the explanation: the answer (decision, its reason, the deciding statements)
/// sits right under the request's heading, the whole trace below the request's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Answer,
    Trace,
}

#[derive(Properties, Clone, PartialEq)]
pub struct ExplanationProps {
    pub index: usize,
    pub part: Part,
}

/// The name the user gave a policy (the engine's title if it has none); an AWS managed
/// policy's name says so.
fn policy_name(store: &Store, id: PolicyId) -> String {
    let doc = store.ws.policy(id);
    let name = doc
        .map(|p| p.name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| id.title());
    if doc.is_some_and(|p| p.managed.is_some()) {
        format!("{name} (AWS managed)")
    } else {
        name
    }
}

/// The name in quotes, as sentences show it.
fn quoted(name: &str) -> String {
    format!("“{name}”")
}

/// A check with its mark: ✓ (holds), ✗ (does not).
fn check(e: &ElementExplanation) -> Html {
    html! { <li class={if e.ok { "yes" } else { "no" }}>{ e.sentence.clone() }</li> }
}

/// Why a request was not evaluated: the policies AWS would refuse to store, with their
/// problems (a click shows each in the editor), or the engine's reason.
fn not_evaluated(store: &Store, r: &CheckResult) -> Html {
    if r.rejected_policies.is_empty() {
        let error = r.error.clone().unwrap_or_default();
        return html! { <p class="verdict error-text" id="verdict">{ format!("Not evaluated: {error}") }</p> };
    }
    let names: Vec<String> = r
        .rejected_policies
        .iter()
        .map(|p| policy_name(store, p.policy))
        .collect();
    let quoted_names: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    html! {
        <>
            <p class="verdict error-text" id="verdict">{ rejected_sentence(&quoted_names) }</p>
            <ul class="diag-list rejected" aria-label="Why AWS would refuse them">
                { for r.rejected_policies.iter().zip(&names).flat_map(|(p, name)| {
                    p.diagnostics
                        .iter()
                        .map(move |d| diagnostic_item(store, p.policy, d, Some(name)))
                        .collect::<Vec<_>>()
                }) }
            </ul>
        </>
    }
}

/// The statements that decided, each a link to it in the editor.
fn decided_by(store: &Store, r: &CheckResult) -> Html {
    if r.deciding_statements.is_empty() {
        return html! {};
    }
    let items = r.deciding_statements.iter().map(|s| {
        let d = store.dispatcher();
        let (policy, span) = (s.policy, s.span);
        let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(policy, span)));
        let label = statement_label(s.statement, s.sid.as_deref());
        html! {
            <li>
                <button class="link-button" {onclick}>{ label }</button>
                { " of " }{ quoted(&policy_name(store, s.policy)) }
            </li>
        }
    });
    html! {
        <div class="decided-by">
            <span class="decided-by-head">{ "Decided by" }</span>
            <ul>{ for items }</ul>
        </div>
    }
}

/// For an implicit deny: the Allow statements that would have applied but for a condition.
fn near_misses(store: &Store, e: &Tree) -> Html {
    if e.near_misses.is_empty() {
        return html! {};
    }
    let items = e.near_misses.iter().map(|m| {
        let sentence = near_miss_sentence(
            &capitalized(&m.label),
            &quoted(&policy_name(store, m.policy)),
            &m.conditions,
        );
        html! { <li>{ sentence }</li> }
    });
    html! { <ul class="near-misses">{ for items }</ul> }
}

/// At most this many of the engine's suggestions are shown (smallest changes first).
const MAX_CHANGES_SHOWN: usize = 6;

/// What would change the decision (issue 13): the engine's suggestions, each verified (from
/// the lazy part, so they appear once it has loaded). An edit of the request gets "Try it",
/// which adds the edited request as a new row beside the user's own (never touching the
/// policies); a change of the policies links to the statements it concerns.
fn what_would_change(store: &Store, index: usize, tree: &Tree) -> Html {
    let changes = store.changes.of(index);
    if changes.is_empty() {
        return html! {};
    }
    // The statements by policy and index, with their labels and places, from the explanation.
    let statement = |policy: PolicyId, n: usize| {
        tree.layers
            .iter()
            .flat_map(|l| &l.policies)
            .filter(|p| p.policy == policy)
            .flat_map(|p| &p.statements)
            .find(|s| s.index == n)
    };
    let items = changes.iter().take(MAX_CHANGES_SHOWN).map(|c| {
        let try_it = c.edit.as_ref().zip(c.decision_after).map(|((change, request), after)| {
            let d = store.dispatcher();
            let spec = Box::new(request.clone());
            let change = change.clone();
            let label = format!(
                "Try it: {change}. Adds a copy of this request with the change ({}).",
                decision_label(after)
            );
            let onclick = Callback::from(move |_| {
                d.dispatch(Action::TryChange(index, spec.clone(), change.clone()))
            });
            html! {
                <button class="try-it" {onclick} aria-label={label.clone()} title={label}>
                    { "Try it" }
                </button>
            }
        });
        let places = c.statements.iter().filter_map(|&(policy, n)| {
            let s = statement(policy, n)?;
            let d = store.dispatcher();
            let span = s.span;
            let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(policy, span)));
            Some(html! {
                <>
                    { " · " }
                    <button class="link-button" {onclick}>{ s.label.clone() }</button>
                    <span class="change-where">{ " of " }{ quoted(&policy_name(store, policy)) }</span>
                </>
            })
        });
        html! {
            <li data-kind={c.kind.clone()}>
                { capitalized(&c.sentence) }
                { for places }
                { for try_it }
            </li>
        }
    });
    html! {
        <div class="what-would-change" aria-labelledby="changes-heading">
            <h5 id="changes-heading">{ "What would change it" }</h5>
            <ul>{ for items }</ul>
        </div>
    }
}

fn statement_view(
    store: &Store,
    r: &CheckResult,
    policy: PolicyId,
    s: &StatementExplanation,
) -> Html {
    let decided = r
        .deciding_statements
        .iter()
        .any(|d| d.policy == policy && d.statement == s.index);
    let (effect, effect_class) = match s.effect {
        Some(Effect::Allow) => ("Allow", "allow"),
        Some(Effect::Deny) => ("Deny", "deny"),
        None => ("no valid Effect", "allow"),
    };
    let title = capitalized(&s.label);
    let jump = {
        let d = store.dispatcher();
        let span = s.span;
        let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(policy, span)));
        html! {
            <button class="link-button jump" {onclick}
                aria-label={format!("Show {} in the editor", s.label)}>{ "show in editor" }</button>
        }
    };
    html! {
        <li class={classes!("stmt", effect_class, s.applies.then_some("applies"), decided.then_some("decided"))}>
            <div class="stmt-head">
                <span class="stmt-title">{ title }</span>
                <span class="stmt-effect">{ effect }</span>
                <span class="stmt-summary">{ s.verdict.clone() }</span>
                { jump }
            </div>
            <ul class="checks">
                { check(&s.action) }
                { check(&s.resource) }
                { for s.principal.as_ref().map(check) }
                { for s.conditions.iter().map(check) }
            </ul>
        </li>
    }
}

fn policy_view(store: &Store, r: &CheckResult, p: &PolicyExplanation) -> Html {
    html! {
        <div class="trace-policy">
            <p class="trace-policy-name" title={p.title.clone()}>{ quoted(&policy_name(store, p.policy)) }</p>
            <ul class="trace">
                { for p.statements.iter().map(|s| statement_view(store, r, p.policy, s)) }
            </ul>
        </div>
    }
}

fn layer_view(store: &Store, r: &CheckResult, l: &LayerExplanation) -> Html {
    let is_this = |layer: &iam_policy::Layer| layer.to_string() == l.layer;
    let blocked = r.blocked_by.as_ref().is_some_and(is_this)
        || r.layers
            .iter()
            .any(|s| is_this(&s.layer) && s.decision == LayerDecision::ExplicitDeny);
    html! {
        <li class={classes!("trace-layer", blocked.then_some("blocked"))} data-layer={l.layer.clone()}>
            <header>
                <span class="layer-name" title={capitalized(&l.label)}>{ l.title.clone() }</span>
                <span class="layer-verdict">{ l.verdict.clone() }</span>
            </header>
            { for l.policies.iter().map(|p| policy_view(store, r, p)) }
        </li>
    }
}

#[component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(r) = store.eval.results.get(props.index) else {
        return html! {};
    };
    let tree = store.eval.explanation(props.index);
    // A request that is not evaluated neither meets nor misses its expectation.
    let pass = r.pass.filter(|_| r.error.is_none());
    let expectation = match (r.expect, pass) {
        (Some(e), Some(true)) => Some(html! {
            <p class="expect-line pass">{ format!("✓ As expected ({}).", decision_label(e)) }</p>
        }),
        (Some(e), Some(false)) => Some(html! {
            <p class="expect-line fail">{ format!("✗ Expected {}, but the decision is {}.", decision_label(e), r.decision.map_or("none", decision_label)) }</p>
        }),
        _ => None,
    };
    let missing = (!r.missing_context.is_empty()).then(|| {
        html! {
            <p class="missing" id="missing-keys">
                <strong>{ "Missing from the request: " }</strong>
                { format!("{}. Add it as Source IP or as a context key below.", r.missing_context.join(", ")) }
            </p>
        }
    });
    let private_ip = store
        .ws
        .requests
        .get(props.index)
        .and_then(|row| crate::model::private_source_ip_note(&row.source_ip));
    if props.part == Part::Trace {
        return match tree {
            Some(e) if r.error.is_none() => html! {
                <section class="explanation trace-part" aria-labelledby="trace-heading">
                    { what_would_change(&store, props.index, e) }
                    <h4 id="trace-heading">{ "Every layer, policy, statement and condition" }</h4>
                    <ul class="trace layers-trace" aria-label="Every layer, policy, statement and condition">
                        { for e.layers.iter().map(|l| layer_view(&store, r, l)) }
                    </ul>
                </section>
            },
            _ => html! {},
        };
    }
    html! {
        <section class="explanation" aria-labelledby="why-heading">
            <h4 id="why-heading">{ "Why " }{ decision_badge(r.decision, r.error.is_some()) }</h4>
            <div aria-live="polite" class="verdict-wrap">
                if r.error.is_some() {
                    { not_evaluated(&store, r) }
                } else if let Some(e) = tree {
                    <p class="verdict" id="verdict">{ e.decision.clone() }</p>
                    { decided_by(&store, r) }
                    { near_misses(&store, e) }
                    if !e.notes.is_empty() || private_ip.is_some() {
                        <ul class="notes">
                            { for e.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                            if let Some(n) = private_ip { <li class="private-ip-note">{ n }</li> }
                        </ul>
                    }
                }
                { for expectation }
            </div>
            { for missing }
        </section>
    }
}
