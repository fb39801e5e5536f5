//! AWS managed policies (the picker, the read-only pane) and the diff view. What they show
//! comes from the state (`crate::state`: the search, the diff's HTML), which gets it from
//! the one service module (`crate::managed`); these only lay it out and dispatch.

use std::rc::Rc;

use iam_policy::{PolicyId, Span};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::modal::Modal;
use super::{target_value, use_store, Store};
use crate::managed::ManagedStatus;
use crate::model::PolicyDoc;
use crate::state::{day, Action, DiffSide};

/// The status line of the managed policies (picker, pane).
fn status_line(status: &ManagedStatus, catalog_failed: bool) -> Html {
    match status {
        ManagedStatus::Ready(info) => html! { <p class="hint managed-state">{ info.clone() }</p> },
        ManagedStatus::Failed(e) => html! {
            <p class="notice-error" role="alert">{ format!("The AWS managed policies could not be loaded: {e}.") }</p>
        },
        _ if catalog_failed => html! {
            <p class="notice-error" role="alert">{ "The AWS managed policies need the engine's lazy part, which could not be loaded." }</p>
        },
        _ => {
            html! { <p class="hint managed-state" role="status">{ "Loading the AWS managed policies (once, about 460 KB)…" }</p> }
        }
    }
}

/// The picker: search AWS managed policies by name or service, attach one as a read-only
/// identity policy.
#[component]
pub fn ManagedPicker() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(search) = store.picker.clone() else {
        return html! {};
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowPicker(false)))
    };
    let oninput = {
        let d = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            d.dispatch(Action::SearchManaged(target_value(&e)));
        })
    };
    let failed = matches!(store.catalog, crate::catalog::CatalogStatus::Failed(_));
    // The lazy part's hits carry their policy's name: one listener for all of them.
    let onclick = {
        let d = store.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let name = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("button.managed-hit").ok().flatten())
                .and_then(|b| b.get_attribute("data-name"));
            if let Some(name) = name {
                d.dispatch(Action::AttachManaged(name));
            }
        })
    };
    html! {
        <Modal title_id="picker-title" title="Attach an AWS managed policy" close_label="Close the AWS managed policies"
            opener="add-managed" on_close={close}>
            <p class="hint">{ "By name or by service (“imagebuilder”). Attached read-only, at its current version; share links keep only its name." }</p>
            <label for="managed-search">{ "Search AWS managed policies" }</label>
            <input id="managed-search" type="search" spellcheck="false" autocomplete="off" data-autofocus=""
                value={search.query.clone()} {oninput} placeholder="imagebuilder" />
            { status_line(&store.managed, failed) }
            <div class="managed-results" aria-live="polite" {onclick}>
                { Html::from_html_unchecked(AttrValue::from(search.html.clone())) }
            </div>
        </Modal>
    }
}

/// The document of an AWS managed policy, read-only, with the deciding statements of the
/// selected request marked: its lines as HTML built by the lazy part (which gave the
/// document), plain text if it is gone.
fn document(text: &str, highlight: &[Span]) -> Html {
    let lines: Vec<(u32, u32)> = highlight
        .iter()
        .map(|s| (s.start.line, s.end.line))
        .collect();
    let body = match crate::managed::document_html(text, &lines) {
        Some(h) => Html::from_html_unchecked(AttrValue::from(h)),
        None => html! { { text.to_string() } },
    };
    html! { <pre class="managed-doc" tabindex="0" aria-label="The policy document (read-only)">{ body }</pre> }
}

/// The pane of an AWS managed policy: its name, version and last update, read-only; while
/// it is looked up, or when the name is unknown (with "did you mean").
pub fn managed_pane(store: &Store, id: PolicyId, doc: &PolicyDoc, highlight: &[Span]) -> Html {
    let Some(m) = &doc.managed else {
        return html! {};
    };
    let remove = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::RemovePolicy(id)))
    };
    let failed = matches!(store.catalog, crate::catalog::CatalogStatus::Failed(_));
    let body = match (&m.resolved, &m.error) {
        (Some(r), _) => html! {
            <>
                <p class="managed-info">
                    <span class="managed-badge">{ "AWS managed" }</span>
                    { format!(" version {} · last updated {} · ", r.version_id, day(&r.update_date)) }
                    <code>{ r.arn.clone() }</code>
                </p>
                <p class="hint">{ "Read-only: AWS maintains this policy. To change it, copy its statements into a policy of your own." }</p>
                { document(&doc.text, highlight) }
            </>
        },
        (None, Some((message, closest))) => {
            let fixes = closest.iter().take(5).map(|c| {
                let d = store.dispatcher();
                let name = c.clone();
                let onclick = Callback::from(move |_| d.dispatch(Action::SetManagedRef(id, name.clone())));
                html! { <li><button class="fix-button" {onclick}>{ format!("Use {c}") }</button></li> }
            });
            html! {
                <>
                    <p class="notice-error" role="alert">{ message.clone() }</p>
                    <ul class="managed-fixes" aria-label="Did you mean">{ for fixes }</ul>
                </>
            }
        }
        (None, None) => status_line(&store.managed, failed),
    };
    html! {
        <div class="editor-pane managed-pane">
            <div class="editor-head">
                <span class="policy-name-input managed-title" id="policy-name">{ doc.name.clone() }</span>
                <span class="layer-badge" title={id.layer().when()}>{ id.layer().title() }</span>
                <button class="danger-link" onclick={remove}
                    aria-label={format!("Remove policy {}", doc.name)}>{ "Remove" }</button>
            </div>
            if m.reference != doc.name {
                <p class="hint">{ format!("Attached as “{}”.", m.reference) }</p>
            }
            { body }
        </div>
    }
}

/// The diff view: what access changed between the version the session started from and
/// the selected policy, or between two pasted versions; each example request is added to
/// the table in one click.
#[component]
pub fn DiffDialog() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let Some(view) = store.diff.clone() else {
        return html! {};
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowDiff(false)))
    };
    let mode = |pasted: bool| {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::DiffPasted(pasted)))
    };
    let text = |side: DiffSide| {
        let d = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            d.dispatch(Action::DiffText(side, target_value(&e)));
        })
    };
    let kind = {
        let d = store.dispatcher();
        Callback::from(move |e: Event| d.dispatch(Action::DiffKind(target_value(&e))))
    };
    // The lazy part's buttons carry their request: one listener for all of them.
    let onclick = {
        let d = store.dispatcher();
        Callback::from(move |e: MouseEvent| {
            let Some(button) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("button.diff-add").ok().flatten())
            else {
                return;
            };
            let request = button.get_attribute("data-request").unwrap_or_default();
            let name = button.get_attribute("data-name").unwrap_or_default();
            if let Some(spec) = crate::managed::example_request(&request) {
                d.dispatch(Action::AddExample(Box::new(spec), name));
                let _ = button.set_attribute("disabled", "");
                button.set_text_content(Some("Added ✓"));
            }
        })
    };
    let subject = match store.selected.and_then(|id| store.ws.policy(id)) {
        Some(p) => format!(
            "“{}”: the version you started from (old) against the current text (new).",
            p.name
        ),
        None => "No policy is selected.".into(),
    };
    let result = match (store.diff_inputs(), &view.html) {
        (Err(why), _) => html! { <p class="hint">{ why }</p> },
        (Ok(_), Some(h)) => Html::from_html_unchecked(AttrValue::from(Rc::clone(h).to_string())),
        (Ok(_), None) => match &store.catalog {
            crate::catalog::CatalogStatus::Failed(e) => html! {
                <p class="notice-error" role="alert">{ format!("The diff needs the AWS service catalog, which could not be loaded: {e}.") }</p>
            },
            _ => html! { <p class="hint" role="status">{ "Loading the AWS service catalog…" }</p> },
        },
    };
    html! {
        <Modal title_id="diff-title" title="What access changed" close_label="Close the diff"
            opener="open-diff" on_close={close}>
            <div class="diff-modes" role="radiogroup" aria-label="Compare">
                <label><input type="radio" name="diff-mode" id="diff-since-start" checked={!view.pasted}
                    onchange={mode(false)} data-autofocus={(!view.pasted).then_some("")} />{ " Since you started" }</label>
                <label><input type="radio" name="diff-mode" id="diff-pasted" checked={view.pasted}
                    onchange={mode(true)} />{ " Two pasted versions" }</label>
            </div>
            if view.pasted {
                <div class="diff-inputs">
                    <label>{ "Old version" }
                        <textarea id="diff-old" spellcheck="false" value={view.old.clone()} oninput={text(DiffSide::Old)} />
                    </label>
                    <label>{ "New version" }
                        <textarea id="diff-new" spellcheck="false" value={view.new.clone()} oninput={text(DiffSide::New)} />
                    </label>
                    <label>{ "Kind " }
                        <select id="diff-kind" onchange={kind}>
                            <option value="identity" selected={view.kind != "resource"}>{ "identity-based" }</option>
                            <option value="resource" selected={view.kind == "resource"}>{ "resource-based" }</option>
                        </select>
                    </label>
                </div>
            } else {
                <p class="hint">{ subject }</p>
            }
            <p class="hint">{ "Every catalog action is compared. Each example request is decided differently by the two versions (checked by evaluating it)." }</p>
            <div class="diff-result" id="diff-result" aria-live="polite" {onclick}>{ result }</div>
        </Modal>
    }
}
