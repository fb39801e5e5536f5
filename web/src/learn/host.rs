//! The playground's side of the Learn view: whether the address asks for it, and the
//! element it is mounted on. This is all of the Learn view that is in the playground's first
//! load; the view itself comes with its own WebAssembly when it first opens (crate::learn).

use gloo::events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use super::route;
use crate::browser;

/// The id of the element the Learn view is mounted in (see [`host`]).
pub const HOST_ID: &str = "learn-host";

/// Whether the address is a Learn route (`#learn…`), following its changes; when it is,
/// the page's `IamLearn.open` (index.html) is asked to load the view's WebAssembly and the
/// course, once, and to mount the view in [`host`]'s element. (A hook of the App's rather
/// than a component of its own: less code in the first load.)
#[hook]
pub fn use_learn_view() -> bool {
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
    use_effect_with(*learn, |on| {
        if *on {
            open();
        }
    });
    *learn
}

/// The element the Learn view is mounted in. No children of Yew's: the view owns what is
/// inside.
pub fn host() -> Html {
    html! { <div class="learn-host" id={HOST_ID}></div> }
}

fn open() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Some(host), Ok(root)) = (doc.get_element_by_id(HOST_ID), doc.create_element("div")) else {
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
