//! Browser side effects: autosave in localStorage, the share link in the URL fragment, the
//! clipboard, file download, and fetching the page's own lazily loaded files (the examples).
//! Nothing here sends anything: the playground keeps everything in the page.

use gloo::storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;

use crate::model::Workspace;
use crate::share::{self, ShareError, Shared};
use crate::state::Action;

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

// ------------------------------------------------------------ share links
//
// The DEFLATE of share links is the browser's (`CompressionStream`/`DecompressionStream`
// "deflate-raw", in every current browser): the page's WebAssembly carries no compressor, and
// the links stay byte-compatible with the CLI's and the npm package's (miniz_oxide).

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// A transform stream of bytes: `new CompressionStream(format)`.
    type CompressionStream;
    #[wasm_bindgen(catch, constructor)]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;

    /// `new DecompressionStream(format)`.
    type DecompressionStream;
    #[wasm_bindgen(catch, constructor)]
    fn new(format: &str) -> Result<DecompressionStream, wasm_bindgen::JsValue>;

    /// What has a `.stream()` (a `Blob`).
    type Streamable;
    #[wasm_bindgen(method)]
    fn stream(this: &Streamable) -> ByteStream;

    /// A `ReadableStream` of bytes.
    type ByteStream;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &ByteStream, transform: &wasm_bindgen::JsValue) -> ByteStream;
    #[wasm_bindgen(method, js_name = getReader)]
    fn get_reader(this: &ByteStream) -> StreamReader;

    type StreamReader;
    #[wasm_bindgen(method)]
    fn read(this: &StreamReader) -> js_sys::Promise;
    #[wasm_bindgen(method)]
    fn cancel(this: &StreamReader) -> js_sys::Promise;
}

/// The bytes as a stream (`new Blob([bytes]).stream()`).
fn byte_stream(bytes: &[u8]) -> Option<ByteStream> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    Some(blob.unchecked_ref::<Streamable>().stream())
}

/// Everything a stream gives, stopping with `Ok(None)` as soon as it is over `cap` bytes (a
/// link of a few kilobytes may inflate to gigabytes: it is never inflated past the cap).
async fn read_all(
    stream: &ByteStream,
    cap: usize,
) -> Result<Option<Vec<u8>>, wasm_bindgen::JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let reader = stream.get_reader();
    let mut out = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if js_sys::Reflect::get(&chunk, &"done".into())?.is_truthy() {
            return Ok(Some(out));
        }
        let value = js_sys::Uint8Array::new(&js_sys::Reflect::get(&chunk, &"value".into())?);
        if out.len().saturating_add(value.length() as usize) > cap {
            let _ = reader.cancel();
            return Ok(None);
        }
        out.extend_from_slice(&value.to_vec());
    }
}

/// Raw DEFLATE with the browser's `CompressionStream`.
pub async fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let failed = || "this browser cannot compress it (CompressionStream)".to_string();
    let codec = CompressionStream::new("deflate-raw").map_err(|_| failed())?;
    let stream = byte_stream(bytes).ok_or_else(failed)?.pipe_through(&codec);
    read_all(&stream, usize::MAX)
        .await
        .ok()
        .flatten()
        .ok_or_else(failed)
}

/// Base64url without padding (RFC 4648 §5, as `iam-share` writes it), by the browser's `btoa`
/// of the bytes as a binary string (one character per byte); decoding stays in `iam-share`.
fn base64url(bytes: &[u8]) -> Result<String, String> {
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let b64 = web_sys::window()
        .and_then(|w| w.btoa(&binary).ok())
        .ok_or_else(|| "this browser cannot encode it (btoa)".to_string())?;
    Ok(b64
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect())
}

/// Raw INFLATE with the browser's `DecompressionStream`, stopping at `iam_share::MAX_PAYLOAD`.
pub async fn inflate_raw(packed: &[u8]) -> Result<Vec<u8>, ShareError> {
    let codec = DecompressionStream::new("deflate-raw").map_err(|_| ShareError::BadCompression)?;
    let stream = byte_stream(packed)
        .ok_or(ShareError::BadCompression)?
        .pipe_through(&codec);
    match read_all(&stream, iam_share::MAX_PAYLOAD).await {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(iam_share::payload_too_large()),
        Err(_) => Err(ShareError::BadCompression),
    }
}

/// What a fragment's payload opens, once the browser has inflated it (then `share::read`).
async fn open_packed(packed: share::Packed) -> Result<Workspace, String> {
    let bytes = inflate_raw(&packed.data).await.map_err(|e| e.to_string())?;
    match share::read(packed.workspace, bytes).map_err(|e| e.to_string())? {
        Shared::Workspace(ws) => Ok(*ws),
        Shared::Scenario(text) => crate::engine::import_scenario(&text).map_err(|e| {
            format!(
                "the link's scenario cannot be read: {}",
                crate::engine::problems_text(&e)
            )
        }),
    }
}

/// Opens the share link in the page's address, if it holds one (`startup`: the address the page
/// was opened with, else one pasted into an open page): the fragment is removed from the
/// address bar at once (a reload shows the autosave), and `dispatch` gets
/// `Action::LinkOpened` once the browser has inflated it.
pub fn open_link_in_address(startup: bool, dispatch: impl FnOnce(Action) + 'static) {
    let frag = fragment();
    if crate::learn::route::is_learn(&frag) {
        return;
    }
    let packed = match share::packed(&frag) {
        Err(ShareError::NotALink) => {
            if startup && !frag.is_empty() {
                clear_fragment();
            }
            return;
        }
        other => other,
    };
    clear_fragment();
    match packed {
        Ok(packed) => wasm_bindgen_futures::spawn_local(async move {
            let opened = open_packed(packed).await.map(Box::new);
            dispatch(Action::LinkOpened(opened, startup));
        }),
        Err(e) => dispatch(Action::LinkOpened(Err(e.to_string()), startup)),
    }
}

/// What the page starts with: the autosave, else the default example (a share link in the
/// address opens a moment later: `open_link_in_address`).
pub fn initial_workspace() -> Workspace {
    load_saved().unwrap_or_else(crate::gallery::default_workspace)
}

/// Makes the share link of a workspace (this page's address with the workspace in the
/// fragment, compressed by the browser, so a moment later), copies it to the clipboard and
/// hands `dispatch` `Action::ShareLinkMade`.
pub fn share(ws: &Workspace, dispatch: impl FnOnce(Action) + 'static) {
    share_url(ws, move |link| {
        if let Ok(url) = &link {
            copy_to_clipboard(url);
        }
        dispatch(Action::ShareLinkMade(link));
    });
}

/// Goes to the playground on a workspace, by its share link (Learn's "Open in playground").
pub fn open_in_playground(ws: &Workspace) {
    share_url(ws, |link| {
        if let (Ok(url), Some(w)) = (link, web_sys::window()) {
            let _ = w.location().set_href(&url);
        }
    });
}

/// The share link for a workspace: this page's address with the workspace in the fragment
/// (compressed by the browser: `done` gets it a moment later).
pub fn share_url(ws: &Workspace, done: impl FnOnce(Result<String, String>) + 'static) {
    let base = location()
        .and_then(|l| {
            let origin = l.origin().ok()?;
            let path = l.pathname().ok()?;
            let search = l.search().ok().unwrap_or_default();
            Some(format!("{origin}{path}{search}"))
        })
        .unwrap_or_default();
    let [scenario, workspace] = share::payloads(ws);
    wasm_bindgen_futures::spawn_local(async move {
        let link = async {
            let s = base64url(&deflate_raw(&scenario).await?)?;
            let p = base64url(&deflate_raw(&workspace).await?)?;
            Ok(format!("{base}#{}", share::fragment_of_encoded(&s, &p)))
        };
        done(link.await);
    });
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

/// `s` with its first letter upper-cased (Unicode's full mapping: "ß" becomes "SS"), as the
/// trace's headings and the starter's request names show a sentence or a label. In the browser
/// a non-ASCII first letter is upper-cased by JavaScript's `toUpperCase` (the same Unicode
/// mapping), so the page's WebAssembly carries no upper-case table of its own (12 KB).
pub fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out = String::with_capacity(s.len() + 2);
    if first.is_ascii() {
        out.push(first.to_ascii_uppercase());
    } else {
        out.push_str(&upper_case_letter(first));
    }
    out.push_str(chars.as_str());
    out
}

#[cfg(target_arch = "wasm32")]
fn upper_case_letter(c: char) -> String {
    let mut buf = [0u8; 4];
    String::from(js_sys::JsString::from(&*c.encode_utf8(&mut buf)).to_upper_case())
}

#[cfg(not(target_arch = "wasm32"))]
fn upper_case_letter(c: char) -> String {
    c.to_uppercase().collect()
}

/// performance.now(), in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Fetches a file that sits next to the page (relative URL, so it works under any sub-path
/// and offline through the service worker) as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let describe = |e: wasm_bindgen::JsValue| {
        e.as_string()
            .or_else(|| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            })
            .unwrap_or_else(|| "the browser refused".to_string())
    };
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(describe)?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|_| "not a response".to_string())?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(describe)?)
        .await
        .map_err(describe)?;
    text.as_string().ok_or_else(|| format!("{url} is not text"))
}

#[cfg(test)]
mod tests {
    use super::capitalized;

    #[test]
    fn capitalized_upper_cases_the_first_letter_only() {
        assert_eq!(
            capitalized("statement 0 \"IPAllow\""),
            "Statement 0 \"IPAllow\""
        );
        assert_eq!(
            capitalized("aws:SourceIp is absent"),
            "Aws:SourceIp is absent"
        );
        assert_eq!(capitalized("élan vital"), "Élan vital");
        assert_eq!(capitalized("ßtraße"), "SStraße");
        assert_eq!(capitalized("1 request"), "1 request");
        assert_eq!(capitalized(""), "");
    }
}
