//! The playground's side of the Learn view: whether the address asks for it, and the
//! element it is mounted on. This is all of the Learn view that is in the playground's first
//! load; the view itself comes with its own WebAssembly when it first opens (crate::learn).

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::route;
use crate::browser;

/// Whether the address is a Learn route (`#learn…`), following its changes.
#[hook]
pub fn use_learn_route() -> bool {
    let learn = use_state(|| route::is_learn(&browser::fragment()));
    {
        let learn = learn.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    learn.set(route::is_learn(&browser::fragment()));
                })
            });
            move || drop(listener)
        });
    }
    *learn
}

/// The element the Learn view is mounted on. It asks the page's `IamLearn.open` (index.html)
/// to load the view's WebAssembly and the course, once, and to mount the view in it.
#[component]
pub fn LearnHost() -> Html {
    let host = use_node_ref();
    {
        let host = host.clone();
        use_effect_with((), move |_| {
            if let Some(el) = host.cast::<web_sys::Element>() {
                open(&el);
            }
        });
    }
    // No children of Yew's: the Learn view owns what is inside.
    html! { <div class="learn-host" ref={host}></div> }
}

fn open(host: &web_sys::Element) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(root) = doc.create_element("div") else {
        return;
    };
    root.set_id("learn-root");
    root.set_class_name("learn-root");
    root.set_text_content(Some("Loading the course…"));
    let _ = root.set_attribute("role", "status");
    let _ = host.append_child(&root);
    let opened = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("IamLearn")).ok())
        .filter(|l| l.is_object())
        .and_then(|l| {
            let f = js_sys::Reflect::get(&l, &JsValue::from_str("open")).ok()?;
            let f = f.dyn_into::<js_sys::Function>().ok()?;
            f.call1(&l, &root).ok()
        });
    if opened.is_none() {
        root.set_text_content(Some(
            "The course is not part of this page (IamLearn is missing from index.html).",
        ));
    }
}
