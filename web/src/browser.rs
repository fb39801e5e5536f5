//! Browser side effects: autosave in localStorage, the share link in the URL fragment, the
//! clipboard, file download. Nothing here talks to a network: the playground keeps
//! everything in the page.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::model::Workspace;
use crate::share::{self, ShareError, Shared};
use crate::state::Notice;

/// localStorage key of the autosaved workspace (same JSON as in share links).
pub const STORAGE_KEY: &str = "iam-playground/workspace/v1";

pub fn save(ws: &Workspace) {
    let _ = LocalStorage::set(STORAGE_KEY, ws);
}

pub fn load_saved() -> Option<Workspace> {
    LocalStorage::get(STORAGE_KEY).ok()
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    location()
        .and_then(|l| l.hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar (without reloading or adding history), so that
/// after opening a share link, a reload shows the autosaved edits, not the link again.
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// What a fragment opens: `Ok(None)` when it is no share link.
pub fn open_fragment(fragment: &str) -> Result<Option<Workspace>, String> {
    match share::decode(fragment) {
        Ok(Shared::Workspace(ws)) => Ok(Some(*ws)),
        Ok(Shared::Scenario(text)) => {
            crate::engine::import_scenario(&text)
                .map(Some)
                .map_err(|e| {
                    format!(
                        "the link's scenario cannot be read: {}",
                        crate::engine::problems_text(&e)
                    )
                })
        }
        Err(ShareError::NotALink) => Ok(None),
        Err(e) => Err(e.to_string()),
    }
}

/// The workspace the page starts with: a share link in the address, else the autosave, else
/// the default example; plus what to tell the user.
pub fn initial_workspace() -> (Workspace, Option<Notice>) {
    let frag = fragment();
    let from_link = open_fragment(&frag);
    if !frag.is_empty() {
        clear_fragment();
    }
    let saved_or_default = || load_saved().unwrap_or_else(crate::gallery::default_workspace);
    match from_link {
        Ok(Some(ws)) => (
            ws,
            Some(Notice::info("Opened the shared scenario from the link.")),
        ),
        Ok(None) => (saved_or_default(), None),
        Err(e) => (
            saved_or_default(),
            Some(Notice::error(format!("Could not open the link: {e}."))),
        ),
    }
}

/// The share link for a workspace: this page's address with the workspace in the fragment.
pub fn share_url(ws: &Workspace) -> String {
    let base = location()
        .and_then(|l| {
            let origin = l.origin().ok()?;
            let path = l.pathname().ok()?;
            let search = l.search().ok().unwrap_or_default();
            Some(format!("{origin}{path}{search}"))
        })
        .unwrap_or_default();
    format!("{base}#{}", share::encode(ws))
}

/// Copies text to the clipboard (best effort: the link is also shown for manual copying).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A file name for a scenario download.
pub fn file_name(ws: &Workspace) -> String {
    let slug: String = ws
        .name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() {
        "scenario.json".into()
    } else {
        format!("{slug}.json")
    }
}

/// performance.now(), in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}
