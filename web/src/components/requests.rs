use iam_policy::explain::decision_label;
use iam_policy::{CheckResult, Decision};
use yew::prelude::*;

use super::trace::Explanation;
use super::{decision_badge, target_checked, target_value, use_store, Store};
use crate::model::{ContextField, RequestRow, ValueKind, SOURCE_IP_KEY};
use crate::state::{Action, RequestEdit};

/// The decisions, in the order the expected-decision menu lists them.
const DECISIONS: [Decision; 3] = [
    Decision::Allowed,
    Decision::ExplicitDeny,
    Decision::ImplicitDeny,
];

fn pass_mark(r: Option<&CheckResult>) -> Html {
    match r.and_then(|r| r.pass) {
        Some(true) => {
            html! { <span class="mark pass" title="as expected">{ "✓" }<span class="visually-hidden">{ " pass" }</span></span> }
        }
        Some(false) => {
            html! { <span class="mark fail" title="not as expected">{ "✗" }<span class="visually-hidden">{ " fail" }</span></span> }
        }
        None => {
            html! { <span class="mark none" title="no expected decision">{ "·" }<span class="visually-hidden">{ " no expectation" }</span></span> }
        }
    }
}

pub fn request_title(row: &RequestRow, i: usize) -> String {
    if row.name.trim().is_empty() {
        format!("Request {}", i + 1)
    } else {
        row.name.clone()
    }
}

fn expect_select(store: &Store, i: usize, value: Option<Decision>, id: String) -> Html {
    let d = store.dispatcher();
    let onchange = Callback::from(move |e: Event| {
        let v = target_value(&e);
        d.dispatch(Action::EditRequest(
            i,
            RequestEdit::Expect(Decision::parse(&v)),
        ));
    });
    html! {
        <select {id} class="expect" {onchange} aria-label="Expected decision">
            <option value="" selected={value.is_none()}>{ "(none)" }</option>
            { for DECISIONS.iter().map(|dec| html! {
                <option value={dec.as_str()} selected={value == Some(*dec)}>{ decision_label(*dec) }</option>
            }) }
        </select>
    }
}

/// The requests: a table of all of them with their decisions, then the selected one in full.
#[component]
pub fn RequestPanel() -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let results = &store.eval.results;
    let total = store.ws.requests.len();
    let allowed = results
        .iter()
        .filter(|o| o.decision == Some(Decision::Allowed))
        .count();
    let passed = results.iter().filter(|o| o.pass == Some(true)).count();
    let failed = results.iter().filter(|o| o.pass == Some(false)).count();
    let summary = if total == 0 {
        "No requests yet.".to_string()
    } else {
        let mut s = format!("{allowed} of {total} allowed");
        if passed + failed > 0 {
            s.push_str(&format!(" · {passed} as expected, {failed} not"));
        }
        s
    };

    let rows = store
        .ws
        .requests
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let o = results.get(i);
            let active = store.active_request == Some(i);
            let select = {
                let d = store.dispatcher();
                Callback::from(move |_| d.dispatch(Action::SelectRequest(i)))
            };
            let ip = if row.source_ip.is_empty() {
                html! { <span class="muted">{ "none" }</span> }
            } else {
                html! { <code>{ row.source_ip.clone() }</code> }
            };
            html! {
                <tr class={classes!("req-row", active.then_some("active"), o.and_then(|o| o.pass).map(|p| if p { "row-pass" } else { "row-fail" }))}
                    data-index={i.to_string()} onclick={select.clone()}>
                    <td class="col-mark" title={row.expect.map(|e| format!("expected: {}", decision_label(e)))}>{ pass_mark(o) }</td>
                    <th scope="row" class="col-name">
                        <button class="link-button row-select" aria-pressed={active.to_string()} onclick={select}>
                            { request_title(row, i) }
                        </button>
                        <code class="row-action">{ row.action.clone() }</code>
                    </th>
                    <td class="col-ip">{ ip }</td>
                    <td class="col-decision">{ decision_badge(o.and_then(|o| o.decision), o.is_some_and(|o| o.error.is_some())) }</td>
                </tr>
            }
        })
        .collect::<Html>();

    let add = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::AddRequest))
    };
    html! {
        <section class="panel requests" aria-labelledby="requests-heading">
            <div class="panel-head">
                <h2 id="requests-heading">{ "Requests" }</h2>
                <p class="summary" id="summary" role="status" aria-live="polite">{ summary }</p>
            </div>
            <div class="table-wrap">
                <table class="req-table">
                    <caption class="visually-hidden">{ "Requests and their decisions. Select a request to edit it and see why." }</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="col-mark"><span class="visually-hidden">{ "As expected" }</span></th>
                            <th scope="col">{ "Request and action" }</th>
                            <th scope="col">{ "Source IP" }</th>
                            <th scope="col">{ "Decision" }</th>
                        </tr>
                    </thead>
                    <tbody>{ rows }</tbody>
                </table>
            </div>
            <div class="row-actions">
                <button id="add-request" onclick={add}>{ "+ Add request" }</button>
            </div>
            if let Some(i) = store.active_request.filter(|i| *i < total) {
                <RequestDetail index={i} />
            }
        </section>
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct DetailProps {
    pub index: usize,
}

fn text_field(
    store: &Store,
    i: usize,
    id: &str,
    label: &str,
    value: &str,
    placeholder: &str,
    edit: fn(String) -> RequestEdit,
) -> Html {
    let d = store.dispatcher();
    let oninput = Callback::from(move |e: InputEvent| {
        let e: Event = e.into();
        d.dispatch(Action::EditRequest(i, edit(target_value(&e))));
    });
    html! {
        <div class="field">
            <label for={id.to_string()}>{ label.to_string() }</label>
            <input id={id.to_string()} type="text" spellcheck="false" autocomplete="off"
                value={value.to_string()} placeholder={placeholder.to_string()} {oninput} />
        </div>
    }
}

/// The selected request: every field, then why it got its decision.
#[component]
pub fn RequestDetail(props: &DetailProps) -> Html {
    let Some(store) = use_store() else {
        return html! {};
    };
    let i = props.index;
    let Some(row) = store.ws.requests.get(i).cloned() else {
        return html! {};
    };
    let d = store.dispatcher();
    let dup = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::DuplicateRequest(i)))
    };
    let remove = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::RemoveRequest(i)))
    };
    let add_ctx = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::EditRequest(i, RequestEdit::AddContext)))
    };
    let context_rows = row
        .context
        .iter()
        .enumerate()
        .map(|(j, e)| context_row(&store, i, j, e))
        .collect::<Html>();
    html! {
        <section class="detail" aria-labelledby="detail-heading">
            <div class="detail-head">
                <h3 id="detail-heading">{ request_title(&row, i) }</h3>
                <div class="detail-actions">
                    <button class="link-button" onclick={dup}>{ "Duplicate" }</button>
                    <button class="danger-link" onclick={remove}>{ "Remove" }</button>
                </div>
            </div>
            <div class="form-grid">
                { text_field(&store, i, "req-name", "Name", &row.name, "optional", RequestEdit::Name) }
                { text_field(&store, i, "req-principal", "Principal", &row.principal, "arn:aws:iam::111122223333:user/alice", RequestEdit::Principal) }
                { text_field(&store, i, "req-action", "Action", &row.action, "service:Action", RequestEdit::Action) }
                { text_field(&store, i, "req-resource", "Resource", &row.resource, "an ARN, or *", RequestEdit::Resource) }
                { text_field(&store, i, "req-source-ip", &format!("Source IP ({SOURCE_IP_KEY})"), &row.source_ip, "none: the request carries no source IP", RequestEdit::SourceIp) }
                { text_field(&store, i, "req-resource-account", "Resource account", &row.resource_account, "default: from the ARN", RequestEdit::ResourceAccount) }
                <div class="field">
                    <label for="req-expect">{ "Expected decision" }</label>
                    { expect_select(&store, i, row.expect, "req-expect".into()) }
                </div>
            </div>
            <fieldset class="context">
                <legend>{ "Other context keys" }</legend>
                if row.context.is_empty() {
                    <p class="muted">{ "None. Conditions on keys the request does not carry are called out below." }</p>
                } else {
                    <div class="ctx-head" aria-hidden="true">
                        <span>{ "Key" }</span><span>{ "Type" }</span><span>{ "Values" }</span><span></span>
                    </div>
                    { context_rows }
                }
                <button class="add-item" onclick={add_ctx}>{ "+ Add context key" }</button>
            </fieldset>
            <Explanation index={i} />
        </section>
    }
}

fn context_row(store: &Store, i: usize, j: usize, e: &ContextField) -> Html {
    let d = store.dispatcher();
    let on_key = {
        let d = d.clone();
        Callback::from(move |ev: InputEvent| {
            let ev: Event = ev.into();
            d.dispatch(Action::EditRequest(
                i,
                RequestEdit::ContextKey(j, target_value(&ev)),
            ));
        })
    };
    let on_kind = {
        let d = d.clone();
        Callback::from(move |ev: Event| {
            let kind = match target_value(&ev).as_str() {
                "number" => ValueKind::Number,
                "bool" => ValueKind::Bool,
                _ => ValueKind::String,
            };
            d.dispatch(Action::EditRequest(i, RequestEdit::ContextKind(j, kind)));
        })
    };
    let on_multi = {
        let d = d.clone();
        Callback::from(move |ev: Event| {
            d.dispatch(Action::EditRequest(
                i,
                RequestEdit::ContextMulti(j, target_checked(&ev)),
            ));
        })
    };
    let remove = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::EditRequest(i, RequestEdit::RemoveContext(j))))
    };
    let add_value = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::EditRequest(i, RequestEdit::AddContextValue(j))))
    };
    let key_label = if e.key.is_empty() {
        format!("context key {}", j + 1)
    } else {
        e.key.clone()
    };
    let values = e
        .values
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let d2 = d.clone();
            let oninput = Callback::from(move |ev: InputEvent| {
                let ev: Event = ev.into();
                d2.dispatch(Action::EditRequest(i, RequestEdit::ContextValue(j, k, target_value(&ev))));
            });
            let d3 = d.clone();
            let remove_value = Callback::from(move |_| {
                d3.dispatch(Action::EditRequest(i, RequestEdit::RemoveContextValue(j, k)))
            });
            html! {
                <span class="ctx-value">
                    if e.kind == ValueKind::Bool {
                        <select aria-label={format!("Value {} of {}", k + 1, key_label)}
                            onchange={{
                                let d4 = d.clone();
                                Callback::from(move |ev: Event| d4.dispatch(Action::EditRequest(i, RequestEdit::ContextValue(j, k, target_value(&ev)))))
                            }}>
                            <option value="true" selected={v == "true"}>{ "true" }</option>
                            <option value="false" selected={v == "false"}>{ "false" }</option>
                            if v != "true" && v != "false" { <option value={v.clone()} selected=true>{ v.clone() }</option> }
                        </select>
                    } else {
                        <input type={if e.kind == ValueKind::Number { "number" } else { "text" }}
                            value={v.clone()} spellcheck="false"
                            aria-label={format!("Value {} of {}", k + 1, key_label)} {oninput} />
                    }
                    if e.multi && e.values.len() > 1 {
                        <button class="icon-button" onclick={remove_value}
                            aria-label={format!("Remove value {} of {}", k + 1, key_label)}>{ "−" }</button>
                    }
                </span>
            }
        })
        .collect::<Html>();
    let kind = match e.kind {
        ValueKind::String => "string",
        ValueKind::Number => "number",
        ValueKind::Bool => "bool",
    };
    html! {
        <div class="ctx-row" data-key={e.key.clone()}>
            <input class="ctx-key" type="text" value={e.key.clone()} placeholder="aws:PrincipalTag/team"
                spellcheck="false" aria-label={format!("Name of context key {}", j + 1)} oninput={on_key} />
            <select class="ctx-kind" onchange={on_kind} aria-label={format!("Type of {key_label}")}>
                <option value="string" selected={kind == "string"}>{ "string" }</option>
                <option value="number" selected={kind == "number"}>{ "number" }</option>
                <option value="bool" selected={kind == "bool"}>{ "boolean" }</option>
            </select>
            <span class="ctx-values">
                { values }
                <button class="icon-button" onclick={add_value}
                    aria-label={format!("Add a value to {key_label}")} title="Add a value (makes the key multivalued)">{ "+" }</button>
                <label class="multi" title="Send as a list, even with one value">
                    <input type="checkbox" checked={e.multi} onchange={on_multi} />{ " list" }
                </label>
            </span>
            <button class="icon-button" onclick={remove} aria-label={format!("Remove {key_label}")}>{ "×" }</button>
        </div>
    }
}
