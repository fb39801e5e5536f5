use yew::prelude::*;

use super::use_store;
use crate::engine;
use crate::gallery::examples;
use crate::state::{Action, Notice};

/// The examples dialog: every seed scenario, one click to load.
#[component]
pub fn Gallery() -> Html {
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with((), move |_| {
            if let Some(el) = first.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
            // Closing the dialog gives the focus back to the button that opened it.
            || {
                let button = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("open-gallery"))
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let Some(b) = button {
                    let _ = b.focus();
                }
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
    let onkeydown = {
        let d = store.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                d.dispatch(Action::ShowGallery(false));
            }
        })
    };
    let list = examples();
    let mut groups: Vec<(String, Vec<Html>)> = Vec::new();
    for (i, ex) in list.into_iter().enumerate() {
        let d = store.dispatcher();
        let text = ex.text;
        let name = ex.name.clone();
        let onclick = Callback::from(move |_| match engine::import_scenario(text) {
            Ok(ws) => {
                d.dispatch(Action::Load(
                    Box::new(ws),
                    Notice::info(format!("Loaded the example “{name}”.")),
                ));
            }
            Err(e) => d.dispatch(Action::Notify(Notice::error(engine::problems_text(&e)))),
        });
        let node_ref = if i == 0 {
            first.clone()
        } else {
            NodeRef::default()
        };
        let card = html! {
            <li>
                <button class="example" id={format!("example-{}", ex.slug())} data-path={ex.path}
                    ref={node_ref} {onclick}>
                    <span class="example-name">{ ex.name.clone() }</span>
                    <span class="example-desc">{ ex.description.clone() }</span>
                    <span class="example-meta">{ format!("{} requests · {}", ex.requests, ex.path) }</span>
                </button>
            </li>
        };
        match groups.iter_mut().find(|(g, _)| *g == ex.group) {
            Some((_, cards)) => cards.push(card),
            None => groups.push((ex.group.clone(), vec![card])),
        }
    }
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="gallery-title"
                {onkeydown} onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <div class="modal-head">
                    <h2 id="gallery-title">{ "Examples" }</h2>
                    <button class="link-button" onclick={close} aria-label="Close examples">{ "×" }</button>
                </div>
                <p class="hint">{ "Each example is a scenario: policies and requests with the decisions AWS documents. Loading one replaces what you have (it is not lost if you shared or downloaded it)." }</p>
                { for groups.into_iter().map(|(g, cards)| html! {
                    <section class="example-group">
                        <h3>{ g }</h3>
                        <ul class="example-list">{ for cards }</ul>
                    </section>
                }) }
            </div>
        </div>
    }
}
