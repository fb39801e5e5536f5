use std::rc::Rc;

use iam_policy::{Layer, PolicyId, PolicyKind, Span};
use yew::prelude::*;

use super::problems::{diagnostic_item, finding_item};
use super::{target_checked, target_value, use_store, Store};
use crate::catalog::CatalogStatus;
use crate::editor::{Mark, PolicyEditor};
use crate::model::PolicyDoc;
use crate::state::Action;

/// A stable string for a policy's DOM id.
pub fn dom_id(id: PolicyId) -> String {
    format!("policy-{}", id.to_string().replace('/', "-"))
}

fn policy_button(store: &Store, id: PolicyId, doc: &PolicyDoc) -> Html {
    let selected = store.selected == Some(id);
    // The engine's errors and, once the catalog is loaded, its findings in the error category.
    let errors = store.eval.errors_in(id)
        + store
            .lint
            .findings
            .get(&id)
            .map_or(0, |f| f.iter().filter(|f| f.category == "error").count());
    let onclick = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::SelectPolicy(id)))
    };
    html! {
        <li>
            <button class={classes!("policy-item", selected.then_some("selected"))}
                id={dom_id(id)} aria-current={selected.then_some("true")} title={id.title()} {onclick}>
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

fn add_button(store: &Store, kind: PolicyKind, level: Option<usize>, label: String) -> Html {
    let d = store.dispatcher();
    let onclick = Callback::from(move |_| d.dispatch(Action::AddPolicy(kind, level)));
    html! { <li><button class="add-item" {onclick}>{ label }</button></li> }
}

fn layer_group(store: &Store, kind: PolicyKind) -> Html {
    let ws = &store.ws;
    let on = ws.is_on(kind);
    // The layers of this kind, in evaluation order (SCPs and RCPs: one per level).
    let layers: Vec<(Layer, Vec<(PolicyId, &PolicyDoc)>)> = ws
        .policies
        .docs
        .layers()
        .into_iter()
        .filter(|(l, _)| l.kind() == kind)
        .collect();
    let has_any = layers.iter().any(|(_, ps)| !ps.is_empty());
    let toggle = {
        let d = store.dispatcher();
        Callback::from(move |e: Event| d.dispatch(Action::SetLayerOn(kind, target_checked(&e))))
    };
    let mut items: Vec<Html> = Vec::new();
    for (layer, policies) in &layers {
        if let Some(level) = layer.level() {
            items.push(html! { <li class="level-title">{ layer.title() }</li> });
            for (id, doc) in policies {
                items.push(policy_button(store, *id, doc));
            }
            items.push(add_button(
                store,
                kind,
                Some(level),
                "+ Add policy to this level".into(),
            ));
        } else {
            for (id, doc) in policies {
                items.push(policy_button(store, *id, doc));
            }
        }
    }
    if kind.has_levels() {
        items.push(add_button(store, kind, None, "+ Add level".into()));
    } else if !(kind.single() && has_any) {
        items.push(add_button(
            store,
            kind,
            None,
            format!("+ Add {}", kind.label()),
        ));
    }
    if kind == PolicyKind::Identity {
        let d = store.dispatcher();
        let onclick = Callback::from(move |_| d.dispatch(Action::ShowPicker(true)));
        items.push(html! {
            <li><button class="add-item" id="add-managed" aria-haspopup="dialog" {onclick}>
                { "+ AWS managed policy" }
            </button></li>
        });
    }
    let switch_id = format!("layer-on-{}", kind.field());
    html! {
        <li class={classes!("layer", (!on).then_some("layer-off"), (!has_any).then_some("layer-empty"))}
            data-layer={kind.field()}>
            <div class="layer-head">
                <span class="layer-title">{ kind.title() }</span>
                if has_any {
                    <label class="switch" for={switch_id.clone()} title="Switch this layer off to see the decision without it">
                        <input type="checkbox" id={switch_id} checked={on} onchange={toggle}
                            aria-label={format!("Evaluate {}", kind.title())} />
                        <span aria-hidden="true">{ if on { "on" } else { "off" } }</span>
                    </label>
                }
            </div>
            <p class="layer-when">{ kind.when() }</p>
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
    let layers = PolicyKind::ALL
        .iter()
        .map(|k| layer_group(&store, *k))
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
    // The engine's diagnostics, and once the catalog is loaded, iam-lint's own findings.
    let no_diags = Vec::new();
    let no_findings = Vec::new();
    let diags = store.eval.diagnostics.get(&id).unwrap_or(&no_diags);
    let findings = store.lint.findings.get(&id).unwrap_or(&no_findings);
    // The deciding statements of the selected request that are in this policy.
    let highlight: Rc<Vec<Span>> = Rc::new(
        store
            .active_request
            .and_then(|i| store.eval.results.get(i))
            .map(|r| {
                r.deciding_statements
                    .iter()
                    .filter(|d| d.policy == id)
                    .map(|d| d.span)
                    .collect()
            })
            .unwrap_or_default(),
    );
    if doc.managed.is_some() {
        return super::managed::managed_pane(&store, id, &doc, &highlight);
    }
    let reveal = store
        .reveal
        .as_ref()
        .filter(|r| r.policy == id)
        .map(|r| (r.range, r.nonce));
    let on_change = {
        let d = store.dispatcher();
        Callback::from(move |(doc_id, text): (String, String)| {
            if let Ok(pid) = doc_id.parse::<PolicyId>() {
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
    let open_diff = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowDiff(true)))
    };
    let on = store.ws.is_on(id.kind());
    // The engine's diagnostics where their fix goes (crate::fixes::relocate), then the
    // catalog's findings.
    let shown: Vec<(iam_policy::Diagnostic, Span)> = diags
        .iter()
        .map(|d| crate::fixes::relocate(&doc.text, d))
        .collect();
    let problems: Vec<Html> = shown
        .iter()
        .map(|(d, _)| diagnostic_item(&store, id, d, None))
        .chain(findings.iter().map(|f| finding_item(&store, id, f)))
        .collect();
    let marks: Rc<Vec<Mark>> = Rc::new(
        shown
            .iter()
            .map(|(d, squiggle)| Mark {
                span: *squiggle,
                ..Mark::of(d)
            })
            .chain(
                findings
                    .iter()
                    .map(|f| Mark::new(f.span, f.category, f.message.clone(), f.hint.as_deref())),
            )
            .collect(),
    );
    let count = problems.len();
    let layer = id.layer().title();
    let label = format!("{} — {layer} (JSON)", doc.name);
    html! {
        <div class="editor-pane">
            <div class="editor-head">
                <label class="visually-hidden" for="policy-name">{ "Policy name" }</label>
                <input id="policy-name" class="policy-name-input" value={doc.name.clone()} oninput={rename}
                    title="Rename this policy" />
                <span class="layer-badge" title={id.layer().when()}>{ layer }</span>
                <button class="link-button" id="open-diff" aria-haspopup="dialog" onclick={open_diff}
                    title="What access changed since you started, or between two pasted versions">{ "Compare versions" }</button>
                <button class="danger-link" onclick={remove}
                    aria-label={format!("Remove policy {}", doc.name)}>{ "Remove" }</button>
            </div>
            if !on {
                <p class="layer-off-note">{ "This layer is switched off: kept here, but left out of the evaluation." }</p>
            }
            <PolicyEditor doc_id={AttrValue::from(id.to_string())} text={AttrValue::from(doc.text.clone())}
                label={AttrValue::from(label)} {marks} {highlight} {reveal} {on_change} />
            <div class="diagnostics" aria-live="polite">
                if count == 0 {
                    <p class="ok-line">{ "✓ No problems in this policy." }</p>
                } else {
                    <ul class="diag-list" aria-label="Problems in this policy">
                        { for problems }
                    </ul>
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
