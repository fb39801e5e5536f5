use std::rc::Rc;

use yew::prelude::*;

use super::{target_checked, target_value, use_store, Store};
use crate::catalog::CatalogStatus;
use crate::editor::PolicyEditor;
use crate::engine::Range;
use crate::model::{LayerKind, PolicyDoc, PolicyId};
use crate::state::Action;

/// What a person calls each layer, and one line on what it is.
pub fn layer_title(layer: LayerKind) -> &'static str {
    match layer {
        LayerKind::Identity => "Identity policies",
        LayerKind::Resource => "Resource policy",
        LayerKind::PermissionsBoundary => "Permissions boundary",
        LayerKind::Session => "Session policy",
        LayerKind::Scps => "Service control policies (SCPs)",
        LayerKind::Rcps => "Resource control policies (RCPs)",
        LayerKind::VpcEndpoint => "VPC endpoint policies",
    }
}

pub fn layer_help(layer: LayerKind) -> &'static str {
    match layer {
        LayerKind::Identity => "Attached to the caller: a user, group or role.",
        LayerKind::Resource => "On the resource itself: a bucket, key or trust policy.",
        LayerKind::PermissionsBoundary => "Caps what the identity policies can allow.",
        LayerKind::Session => "Passed when the role session was created; caps it too.",
        LayerKind::Scps => {
            "AWS Organizations guardrails for the caller's account, one list per level, root first."
        }
        LayerKind::Rcps => {
            "AWS Organizations guardrails for the resource's account, one list per level."
        }
        LayerKind::VpcEndpoint => "Of the VPC endpoint the request went through.",
    }
}

fn policy_button(store: &Store, id: PolicyId, doc: &PolicyDoc) -> Html {
    let selected = store.selected == Some(id);
    let errors = store.eval.errors_in(id);
    let onclick = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::SelectPolicy(id)))
    };
    html! {
        <li>
            <button class={classes!("policy-item", selected.then_some("selected"))}
                id={id.dom_id()} aria-current={selected.then_some("true")} {onclick}>
                <span class="policy-name">{ doc.name.clone() }</span>
                if errors > 0 {
                    <span class="error-count" title="problems in this policy">
                        { errors }<span class="visually-hidden">{ " problems" }</span>
                    </span>
                }
            </button>
        </li>
    }
}

fn add_button(store: &Store, layer: LayerKind, level: Option<usize>, label: &str) -> Html {
    let d = store.dispatcher();
    let onclick = Callback::from(move |_| d.dispatch(Action::AddPolicy(layer, level)));
    html! { <li><button class="add-item" {onclick}>{ label.to_string() }</button></li> }
}

fn layer_group(store: &Store, layer: LayerKind) -> Html {
    let ws = &store.ws;
    let p = &ws.policies;
    let on = ws.is_on(layer);
    let has_any = match layer {
        LayerKind::Identity => !p.identity.is_empty(),
        LayerKind::Resource => p.resource.is_some(),
        LayerKind::PermissionsBoundary => p.permissions_boundary.is_some(),
        LayerKind::Session => p.session.is_some(),
        LayerKind::Scps => !p.scps.is_empty(),
        LayerKind::Rcps => !p.rcps.is_empty(),
        LayerKind::VpcEndpoint => !p.vpc_endpoint.is_empty(),
    };
    let toggle = {
        let d = store.dispatcher();
        Callback::from(move |e: Event| d.dispatch(Action::SetLayerOn(layer, target_checked(&e))))
    };
    let mut items: Vec<Html> = Vec::new();
    match layer {
        LayerKind::Identity => {
            for (i, doc) in p.identity.iter().enumerate() {
                items.push(policy_button(store, PolicyId::Identity(i), doc));
            }
            items.push(add_button(store, layer, None, "+ Add identity policy"));
        }
        LayerKind::Resource | LayerKind::PermissionsBoundary | LayerKind::Session => {
            let (id, doc) = match layer {
                LayerKind::Resource => (PolicyId::Resource, &p.resource),
                LayerKind::PermissionsBoundary => {
                    (PolicyId::PermissionsBoundary, &p.permissions_boundary)
                }
                _ => (PolicyId::Session, &p.session),
            };
            match doc {
                Some(doc) => items.push(policy_button(store, id, doc)),
                None => items.push(add_button(store, layer, None, "+ Add")),
            }
        }
        LayerKind::Scps | LayerKind::Rcps => {
            let levels = if layer == LayerKind::Scps {
                &p.scps
            } else {
                &p.rcps
            };
            for (l, level) in levels.iter().enumerate() {
                let title = if l == 0 {
                    "Level 1 (root)".to_string()
                } else {
                    format!("Level {}", l + 1)
                };
                items.push(html! { <li class="level-title">{ title }</li> });
                for (i, doc) in level.iter().enumerate() {
                    let id = if layer == LayerKind::Scps {
                        PolicyId::Scp(l, i)
                    } else {
                        PolicyId::Rcp(l, i)
                    };
                    items.push(policy_button(store, id, doc));
                }
                items.push(add_button(
                    store,
                    layer,
                    Some(l),
                    "+ Add policy to this level",
                ));
            }
            items.push(add_button(store, layer, None, "+ Add level"));
        }
        LayerKind::VpcEndpoint => {
            for (i, doc) in p.vpc_endpoint.iter().enumerate() {
                items.push(policy_button(store, PolicyId::VpcEndpoint(i), doc));
            }
            items.push(add_button(store, layer, None, "+ Add endpoint policy"));
        }
    }
    let switch_id = format!("layer-on-{}", layer.key());
    html! {
        <li class={classes!("layer", (!on).then_some("layer-off"), (!has_any).then_some("layer-empty"))}
            data-layer={layer.key()}>
            <div class="layer-head">
                <span class="layer-title" title={layer_help(layer)}>{ layer_title(layer) }</span>
                if has_any {
                    <label class="switch" for={switch_id.clone()} title="Switch this layer off to see the decision without it">
                        <input type="checkbox" id={switch_id} checked={on} onchange={toggle}
                            aria-label={format!("Evaluate {}", layer_title(layer).to_lowercase())} />
                        <span aria-hidden="true">{ if on { "on" } else { "off" } }</span>
                    </label>
                }
            </div>
            <ul class="layer-items">{ for items }</ul>
        </li>
    }
}

/// The policies: the layers on the left, the selected policy in the editor.
#[component]
pub fn PolicyPanel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let layers = LayerKind::ALL
        .iter()
        .map(|l| layer_group(&store, *l))
        .collect::<Html>();
    html! {
        <section class="panel policies" aria-labelledby="policies-heading">
            <div class="panel-head">
                <h2 id="policies-heading">{ "Policies" }</h2>
                <p class="hint">{ "Every edit re-evaluates every request." }</p>
            </div>
            <div class="policies-body">
                <nav class="layers" aria-label="Policy layers">
                    <ul>{ layers }</ul>
                </nav>
                <EditorPane />
            </div>
        </section>
    }
}

#[component]
fn EditorPane() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some((id, doc)) = store
        .selected
        .and_then(|id| store.ws.policy(id).map(|d| (id, d.clone())))
    else {
        return html! {
            <div class="editor-pane empty">
                <p>{ "No policy yet. Add one on the left, or open an example." }</p>
            </div>
        };
    };
    // Once the catalog is loaded, iam-lint's findings (the engine's diagnostics among them).
    let diags = Rc::new(
        store
            .lint
            .findings
            .get(&id)
            .or_else(|| store.eval.diagnostics.get(&id))
            .cloned()
            .unwrap_or_default(),
    );
    // The deciding statements of the selected request that are in this policy.
    let highlight: Rc<Vec<Range>> = Rc::new(
        store
            .active_request
            .and_then(|i| store.eval.outcomes.get(i))
            .map(|o| {
                o.deciding
                    .iter()
                    .filter(|d| d.policy == id)
                    .map(|d| d.range)
                    .collect()
            })
            .unwrap_or_default(),
    );
    let reveal = store
        .reveal
        .as_ref()
        .filter(|r| r.policy == id)
        .map(|r| (r.range, r.nonce));
    let on_change = {
        let d = store.dispatcher();
        Callback::from(move |(doc_id, text): (String, String)| {
            if let Some(pid) = PolicyId::from_engine_id(&doc_id) {
                d.dispatch(Action::EditPolicy(pid, text));
            }
        })
    };
    let rename = {
        let d = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            d.dispatch(Action::RenamePolicy(id, target_value(&e)));
        })
    };
    let remove = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::RemovePolicy(id)))
    };
    let on = store.ws.is_on(id.layer());
    let problems = diags.len();
    let diag_list = diags
        .iter()
        .map(|dg| {
            let d = store.dispatcher();
            let range = dg.range;
            let onclick = Callback::from(move |_| d.dispatch(Action::Reveal(id, range)));
            html! {
                <li class={classes!("diag", dg.category.unwrap_or(dg.severity.key()))}>
                    // The category's name comes from the lazy stylesheet (editor-extras.js).
                    if let Some(c) = dg.category { <span class={classes!("cat-badge", c)}></span> }
                    <button class="link-button diag-pos" {onclick}>
                        { format!("Line {}, column {}", dg.range.from_line, dg.range.from_col) }
                    </button>
                    { ": " }{ dg.message.clone() }
                    if let Some((key, label)) = dg.class {
                        <span class={classes!("diag-class", key)}>{ " (" }{ label }
                            if let Some(a) = dg.aws_error.clone() { { ": " }<q>{ a }</q> }
                        { ")" }</span>
                    }
                    if let Some(h) = dg.hint.clone() { <span class="diag-hint">{ " — " }{ h }</span> }
                </li>
            }
        })
        .collect::<Html>();
    let label = format!("{} — {} (JSON)", doc.name, layer_title(id.layer()));
    html! {
        <div class="editor-pane">
            <div class="editor-head">
                <label class="visually-hidden" for="policy-name">{ "Policy name" }</label>
                <input id="policy-name" class="policy-name-input" value={doc.name.clone()} oninput={rename}
                    title="Rename this policy" />
                <span class="layer-badge">{ layer_title(id.layer()) }</span>
                <button class="danger-link" onclick={remove}
                    aria-label={format!("Remove policy {}", doc.name)}>{ "Remove" }</button>
            </div>
            if !on {
                <p class="layer-off-note">{ "This layer is switched off: kept here, but left out of the evaluation." }</p>
            }
            <PolicyEditor doc_id={AttrValue::from(id.engine_id())} text={AttrValue::from(doc.text.clone())}
                label={AttrValue::from(label)} diagnostics={diags.clone()} {highlight} {reveal} {on_change} />
            <div class="diagnostics" aria-live="polite">
                if problems == 0 {
                    <p class="ok-line">{ "✓ No problems in this policy." }</p>
                } else {
                    <ul class="diag-list" aria-label="Problems in this policy">{ diag_list }</ul>
                }
                <p class="hint catalog-state">{ match &store.catalog {
                    CatalogStatus::Loading => "Loading the AWS service catalog…",
                    CatalogStatus::Ready => "Checked against the AWS service catalog. Hover a wildcard action to see what it grants.",
                    CatalogStatus::Failed(_) => "Grammar checks only: the AWS service catalog could not be loaded.",
                } }</p>
            </div>
            if let Some((_, table)) = store.lint.summary.as_ref().filter(|(p, _)| *p == id) {
                <section class="access-summary" aria-label="Access summary">
                    { Html::from_html_unchecked(AttrValue::from(table.clone())) }
                </section>
            }
        </div>
    }
}
