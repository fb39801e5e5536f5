use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_store;
use crate::browser;
use crate::engine;
use crate::state::{Action, Notice};

#[component]
pub fn Toolbar() -> Html {
    // Keeps the file reader alive while it reads.
    let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> = use_mut_ref(|| None);
    let Some(store) = use_store() else {
        return html! {};
    };

    let new_blank = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::NewBlank))
    };
    let rename = {
        let d = store.dispatcher();
        Callback::from(move |e: InputEvent| {
            let e: Event = e.into();
            d.dispatch(Action::Rename(super::target_value(&e)));
        })
    };
    let open_gallery = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowGallery(true)))
    };
    let share = {
        let store = store.clone();
        Callback::from(move |_| {
            let d = store.dispatcher();
            browser::share(&store.ws, move |a| d.dispatch(a));
        })
    };
    let close_share = {
        let d = store.dispatcher();
        Callback::from(move |_| d.dispatch(Action::ShowShareLink(None)))
    };
    let download = {
        let store = store.clone();
        Callback::from(move |_| {
            browser::download(&browser::file_name(&store.ws), &store.ws.to_scenario_text());
        })
    };
    let upload = {
        let d = store.dispatcher();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let file = gloo::file::File::from(file);
            let name = file.name();
            let d = d.clone();
            let task = gloo::file::callbacks::read_as_text(&file, move |result| match result {
                Ok(text) => match engine::import_scenario(&text) {
                    Ok(ws) => d.dispatch(Action::Load(
                        Box::new(ws),
                        Notice::info(format!("Loaded {name}.")),
                    )),
                    Err(errors) => d.dispatch(Action::Notify(Notice::error(format!(
                        "{name} is not a scenario file: {}",
                        engine::problems_text(&errors)
                    )))),
                },
                Err(e) => d.dispatch(Action::Notify(Notice::error(format!(
                    "Could not read {name}: {e}"
                )))),
            });
            *reader.borrow_mut() = Some(task);
        })
    };

    html! {
        <header class="topbar">
            <div class="brand">
                <h1>{ "IAM policy playground" }</h1>
                <label class="visually-hidden" for="scenario-title">{ "Scenario title" }</label>
                <input id="scenario-title" class="scenario-name" type="text" spellcheck="false"
                    value={store.ws.name.clone()} placeholder="Untitled scenario"
                    title={if store.ws.description.is_empty() { "Rename this scenario".to_string() } else { store.ws.description.clone() }}
                    oninput={rename} />
            </div>
            <nav class="actions" aria-label="Scenario actions">
                <button id="new-blank" onclick={new_blank} title="Start from a blank scenario: one empty identity policy, no requests (what you had can be restored)">
                    { "New" }
                </button>
                <a class="button" id="open-learn" href="#learn">{ "Learn" }</a>
                <button id="open-gallery" class="primary" aria-haspopup="dialog" onclick={open_gallery}>
                    { "Examples" }
                </button>
                <button id="share" onclick={share}>{ "Share link" }</button>
                <button id="download" onclick={download}>{ "Download" }</button>
                <label class="button" for="upload">{ "Upload" }</label>
                <input id="upload" class="visually-hidden" type="file"
                    accept=".json,application/json" onchange={upload} />
            </nav>
            if let Some(link) = store.share_link.clone() {
                <div class="share-box" role="group" aria-label="Share link">
                    <label for="share-link">{ "Anyone with this link sees this scenario:" }</label>
                    <input id="share-link" readonly=true value={link}
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                i.select();
                            }
                        })} />
                    <button onclick={close_share}>{ "Close" }</button>
                </div>
            }
        </header>
    }
}
