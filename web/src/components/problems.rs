//! Problems in a policy as list items: the engine's diagnostics (with whether AWS would store
//! the policy, and AWS's own error text) and the catalog's findings (with their category).
//! A click selects the place in the editor.

use iam_policy::{Diagnostic, PolicyId, Severity, Span};
use yew::prelude::*;

use super::Store;
use crate::catalog::Finding;
use crate::state::Action;

fn position_button(store: &Store, policy: PolicyId, span: Span, what: Option<&str>) -> Html {
    let d = store.dispatcher();
    let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(policy, span)));
    let at = format!("Line {}, column {}", span.start.line, span.start.column);
    let text = match what {
        Some(name) => format!("“{name}”, {}", at.to_lowercase()),
        None => at,
    };
    html! { <button class="link-button diag-pos" {onclick}>{ text }</button> }
}

/// One diagnostic of the engine; `policy_name` names the policy when the list is not the
/// policy's own.
pub fn diagnostic_item(
    store: &Store,
    policy: PolicyId,
    d: &Diagnostic,
    policy_name: Option<&str>,
) -> Html {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    html! {
        <li class={classes!("diag", severity)}>
            { position_button(store, policy, d.span, policy_name) }
            { ": " }{ d.message.clone() }
            <span class={classes!("diag-class", d.class.as_str())}>{ " (" }{ d.class.label() }
                if let Some(a) = d.aws_error.clone() { { ": " }<q>{ a }</q> }
            { ")" }</span>
            if let Some(h) = d.hint.clone().filter(|h| !h.is_empty()) {
                <span class="diag-hint">{ " — " }{ h }</span>
            }
        </li>
    }
}

/// One finding of the catalog.
pub fn finding_item(store: &Store, policy: PolicyId, f: &Finding) -> Html {
    html! {
        <li class={classes!("diag", f.category)}>
            // The category's name comes from the lazy stylesheet (editor-extras.js).
            <span class={classes!("cat-badge", f.category)}></span>
            { position_button(store, policy, f.span, None) }
            { ": " }{ f.message.clone() }
            if let Some(h) = f.hint.clone() { <span class="diag-hint">{ " — " }{ h }</span> }
        </li>
    }
}
