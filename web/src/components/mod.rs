//! The view. Components read the state from context and only dispatch actions
//! (crate::state); they hold no logic of their own beyond wording and layout.

pub mod app;
pub mod gallery;
pub mod managed;
pub mod modal;
pub mod policies;
pub mod problems;
pub mod requests;
pub mod toolbar;
pub mod trace;

use iam_policy::explain::decision_label;
use iam_policy::Decision;
use yew::prelude::*;

use crate::state::State;

/// A decision as a badge (the table, the explanation's heading).
pub fn decision_badge(decision: Option<Decision>, error: bool) -> Html {
    let (class, text) = match (decision, error) {
        (_, true) => ("badge badge-none", "Not evaluated"),
        (Some(d @ Decision::Allowed), _) => ("badge badge-allow", decision_label(d)),
        (Some(d @ Decision::ExplicitDeny), _) => ("badge badge-deny", decision_label(d)),
        (Some(d @ Decision::ImplicitDeny), _) => ("badge badge-implicit", decision_label(d)),
        (None, _) => ("badge", "—"),
    };
    html! { <span class={class} data-decision={decision.map(Decision::as_str)}>{ text }</span> }
}

/// The store every component reads and dispatches to.
pub type Store = UseReducerHandle<State>;

/// The store from context (the App provides it).
#[hook]
pub fn use_store() -> Option<Store> {
    use_context::<Store>()
}

/// The value of an `<input>`/`<select>`/`<textarea>` event target.
pub fn target_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = t.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return a.value();
    }
    String::new()
}

/// Whether a checkbox event target is checked.
pub fn target_checked(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}
