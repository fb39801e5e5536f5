//! A modal dialog as the WAI-ARIA dialog pattern asks: it takes the focus when it opens and
//! gives it back to the control that opened it, Tab and Shift+Tab cycle through its own
//! controls only, Escape closes it from anywhere on the page, and the page behind it is
//! `inert` (neither focusable nor read) while it is open.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, Clone, PartialEq)]
pub struct ModalProps {
    /// The id of the heading that names the dialog (its `aria-labelledby`).
    pub title_id: AttrValue,
    pub title: AttrValue,
    /// The close button's accessible name ("Close examples").
    pub close_label: AttrValue,
    /// The id of the control to give the focus back to when it closes.
    pub opener: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// The page's focusable controls inside `root`, in tab order (document order; none of the
/// page uses a positive tabindex).
fn focusables(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    const SELECTOR: &str = "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    let Ok(list) = root.query_selector_all(SELECTOR) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .filter(|e| e.offset_parent().is_some())
        .collect()
}

fn set_page_inert(inert: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(list) = doc.query_selector_all(".app > :not(.modal-backdrop)") {
        for i in 0..list.length() {
            if let Some(el) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = if inert {
                    el.set_attribute("inert", "")
                } else {
                    el.remove_attribute("inert")
                };
            }
        }
    }
}

#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let dialog = use_node_ref();
    // Focus the first control, make the page inert, listen for Escape anywhere; undo it all
    // when the dialog closes.
    {
        let dialog = dialog.clone();
        let on_close = props.on_close.clone();
        let opener = props.opener.clone();
        use_effect_with((), move |_| {
            set_page_inert(true);
            // The control marked `data-autofocus` (the first example), else the first one.
            if let Some(el) = dialog.cast::<web_sys::Element>() {
                let marked = el
                    .query_selector("[data-autofocus]")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(first) = marked.or_else(|| focusables(&el).into_iter().next()) {
                    let _ = first.focus();
                }
            }
            let escape = web_sys::window().map(|w| {
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&w, "keydown", options, move |e| {
                    if let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                        if k.key() == "Escape" {
                            k.prevent_default();
                            on_close.emit(());
                        }
                    }
                })
            });
            move || {
                drop(escape);
                set_page_inert(false);
                let button = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&opener))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(b) = button {
                    let _ = b.focus();
                }
            }
        });
    }
    // Tab and Shift+Tab wrap around inside the dialog.
    let onkeydown = {
        let dialog = dialog.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            let Some(el) = dialog.cast::<web_sys::Element>() else {
                return;
            };
            let items = focusables(&el);
            let (Some(first), Some(last)) = (items.first(), items.last()) else {
                return;
            };
            let active = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element());
            let is = |x: &web_sys::HtmlElement| {
                active.as_ref().is_some_and(|a| {
                    let a: &wasm_bindgen::JsValue = a.as_ref();
                    a == AsRef::<wasm_bindgen::JsValue>::as_ref(x)
                })
            };
            let inside = active.as_ref().is_some_and(|a| el.contains(Some(a)));
            if e.shift_key() && (is(first) || !inside) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && (is(last) || !inside) {
                e.prevent_default();
                let _ = first.focus();
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let backdrop_close = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: MouseEvent| {
            // Only a click on the backdrop itself, not one inside the dialog.
            let on_backdrop = e
                .target()
                .zip(e.current_target())
                .is_some_and(|(t, c)| t == c);
            if on_backdrop {
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="modal-backdrop" onclick={backdrop_close}>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby={props.title_id.clone()}
                ref={dialog} {onkeydown}>
                <div class="modal-head">
                    <h2 id={props.title_id.clone()}>{ props.title.clone() }</h2>
                    <button class="link-button modal-close" onclick={close} aria-label={props.close_label.clone()}>{ "×" }</button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}
