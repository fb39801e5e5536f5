use std::rc::Rc;

use yew::prelude::*;

use super::modal::Modal;
use super::use_store;
use crate::engine;
use crate::gallery::{self, Examples};
use crate::state::{Action, Notice};

/// Where the examples are: fetched once per page when the dialog first opens.
#[derive(Clone, PartialEq)]
enum Fetch {
    Loading,
    Ready(Rc<Examples>),
    Failed(String),
}

fn focus_first_example() {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let active = doc.active_element();
    let idle = active.as_ref().is_none_or(|a| {
        a.class_list().contains("modal-close") || a.tag_name().eq_ignore_ascii_case("body")
    });
    if !idle {
        return;
    }
    if let Some(first) = doc
        .query_selector(".modal [data-autofocus]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = first.focus();
    }
}

/// The Examples dialog: scenarios grouped by topic, a line on each, one click to load.
#[component]
pub fn Gallery() -> Html {
    let fetch = use_state(|| match gallery::loaded() {
        Some(ex) => Fetch::Ready(ex),
        None => Fetch::Loading,
    });
    {
        let fetch = fetch.clone();
        use_effect_with((), move |_| {
            if *fetch == Fetch::Loading {
                wasm_bindgen_futures::spawn_local(async move {
                    let result = crate::browser::fetch_text("examples.json")
                        .await
                        .and_then(|text| Examples::parse(&text));
                    fetch.set(match result {
                        Ok(ex) => Fetch::Ready(gallery::provide(ex)),
                        Err(e) => Fetch::Failed(e),
                    });
                });
            }
        });
    }
    // Once the examples are there, the first one takes the focus (unless the user has moved
    // it elsewhere in the dialog meanwhile).
    {
        let ready = matches!(*fetch, Fetch::Ready(_));
        use_effect_with(ready, move |ready| {
            if *ready {
                focus_first_example();
            }
        });
    }
    let Some(store) = use_store() else {
        return html! {};
    };
    let close = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowGallery(false)))
    };
    let body = match &*fetch {
        Fetch::Loading => html! { <p class="hint" role="status">{ "Loading the examples…" }</p> },
        Fetch::Failed(e) => html! {
            <p class="notice-error" role="alert">{ format!("Could not load the examples: {e}.") }</p>
        },
        Fetch::Ready(ex) => {
            let mut first = true;
            ex.groups
                .iter()
                .enumerate()
                .map(|(gi, g)| {
                    let cards = g
                        .examples
                        .iter()
                        .map(|e| {
                            let d = store.dispatcher();
                            let text = e.text.clone();
                            let name = e.name.clone();
                            let onclick = Callback::from(move |_| match engine::import_scenario(&text) {
                                Ok(ws) => d.dispatch(Action::Load(
                                    Box::new(ws),
                                    Notice::info(format!("Opened the example “{name}”.")),
                                )),
                                Err(e) => d.dispatch(Action::Notify(Notice::error(
                                    engine::problems_text(&e),
                                ))),
                            });
                            let autofocus = std::mem::take(&mut first).then_some("");
                            let requests = if e.requests == 1 {
                                "1 request".to_string()
                            } else {
                                format!("{} requests", e.requests)
                            };
                            html! {
                                <li>
                                    <button class="example" id={format!("example-{}", e.slug())}
                                        data-path={e.path.clone()} data-autofocus={autofocus} {onclick}>
                                        <span class="example-name">{ e.name.clone() }</span>
                                        <span class="example-desc">{ e.line.clone() }</span>
                                        <span class="example-meta">{ requests }</span>
                                    </button>
                                </li>
                            }
                        })
                        .collect::<Html>();
                    let heading = format!("example-group-{gi}");
                    html! {
                        <section class="example-group" aria-labelledby={heading.clone()}>
                            <h3 id={heading}>{ g.title.clone() }</h3>
                            if !g.line.is_empty() { <p class="group-line">{ g.line.clone() }</p> }
                            <ul class="example-list">{ cards }</ul>
                        </section>
                    }
                })
                .collect::<Html>()
        }
    };
    html! {
        <Modal title_id="gallery-title" title="Examples" close_label="Close examples"
            opener="open-gallery" on_close={close}>
            <p class="hint">{ "Each example is a scenario: policies and requests with the decisions AWS documents. Opening one keeps what you had: “Restore your previous work” brings it back." }</p>
            <div class="example-groups">{ body }</div>
        </Modal>
    }
}
