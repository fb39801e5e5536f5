//! Component tests in a real browser (headless Chromium through chromedriver):
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p iam-playground --target wasm32-unknown-unknown`
//! (`cargo xtask test` runs them). Each test mounts the app on its own element.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use gloo_timers::future::TimeoutFuture;
use iam_playground::components::app::{App, AppProps};
use iam_playground::engine;
use iam_playground::gallery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The CodeMirror bundle (web/editor/dist/editor.js, built before these tests).
const EDITOR_JS: &str = include_str!("../editor/dist/editor.js");

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn install_editor() {
    let doc = document();
    if js_sys::Reflect::has(&web_sys::window().unwrap(), &"IamEditor".into()).unwrap() {
        return;
    }
    let script = doc.create_element("script").unwrap();
    script.set_text_content(Some(EDITOR_JS));
    doc.head().unwrap().append_child(&script).unwrap();
}

fn uninstall_editor() {
    let window: js_sys::Object = web_sys::window().unwrap().into();
    let _ = js_sys::Reflect::delete_property(&window, &"IamEditor".into());
}

async fn tick() {
    TimeoutFuture::new(30).await;
}

/// The embedded example (the one a first visit opens; the others are fetched by the dialog).
fn example(path: &str) -> iam_playground::model::Workspace {
    assert_eq!(path, gallery::DEFAULT_EXAMPLE);
    engine::import_scenario(gallery::DEFAULT_TEXT).unwrap()
}

/// Mounts the app with a gallery example on a fresh element.
async fn mount(path: &str) -> Element {
    mount_ws(example(path)).await
}

async fn mount_ws(ws: iam_playground::model::Workspace) -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            initial: Some(ws),
            persist: false,
        },
    )
    .render();
    tick().await;
    root
}

fn decisions(root: &Element) -> Vec<String> {
    let list = root
        .query_selector_all(".req-table tbody .col-decision .badge")
        .unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<Element>()
                .get_attribute("data-decision")
                .unwrap_or_default()
        })
        .collect()
}

fn q(root: &Element, sel: &str) -> Element {
    root.query_selector(sel)
        .unwrap()
        .unwrap_or_else(|| panic!("no {sel}"))
}

fn type_into(root: &Element, sel: &str, value: &str) {
    let input: HtmlInputElement = q(root, sel).unchecked_into();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

fn click(root: &Element, sel: &str) {
    q(root, sel).unchecked_into::<HtmlElement>().click();
}

const IP: &str = gallery::DEFAULT_EXAMPLE;

#[wasm_bindgen_test]
async fn the_seed_example_shows_its_decisions() {
    uninstall_editor();
    let root = mount(IP).await;
    assert_eq!(
        decisions(&root),
        [
            "allowed",
            "implicitDeny",
            "implicitDeny",
            "implicitDeny",
            "implicitDeny",
            "allowed",
            "implicitDeny"
        ]
    );
    let summary = q(&root, "#summary").text_content().unwrap_or_default();
    assert!(summary.contains("2 of 7 allowed"), "{summary}");
    assert!(summary.contains("7 as expected, 0 not"), "{summary}");
}

#[wasm_bindgen_test]
async fn changing_the_source_ip_changes_the_decision_and_the_explanation() {
    uninstall_editor();
    let root = mount(IP).await;
    click(&root, ".req-table tbody tr:nth-child(2) .row-select");
    tick().await;
    let why = q(&root, ".explanation").text_content().unwrap_or_default();
    assert!(
        why.contains(
            "aws:SourceIp 54.240.143.188 is inside 54.240.143.188/32, so NotIpAddress is false"
        ),
        "{why}"
    );
    type_into(&root, "#req-source-ip", "54.240.143.7");
    tick().await;
    assert_eq!(decisions(&root)[1], "allowed");
    let verdict = q(&root, "#verdict").text_content().unwrap_or_default();
    assert!(
        verdict.starts_with("The request is allowed: an identity-based policy allows it"),
        "{verdict}"
    );
    let decided = q(&root, ".decided-by").text_content().unwrap_or_default();
    assert!(
        decided.contains("statement 0 \"IPAllow\" of “Identity policy 1”"),
        "{decided}"
    );
    // An empty source IP: the missing key is called out.
    type_into(&root, "#req-source-ip", "");
    tick().await;
    let missing = q(&root, "#missing-keys").text_content().unwrap_or_default();
    assert!(missing.contains("aws:SourceIp"), "{missing}");
}

#[wasm_bindgen_test]
async fn the_textarea_fallback_reports_errors_at_their_line() {
    uninstall_editor();
    let root = mount(IP).await;
    let area: web_sys::HtmlTextAreaElement = q(&root, "textarea.editor-fallback").unchecked_into();
    area.set_value("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Allow\" \"Action\": \"*\" } ]\n}");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    tick().await;
    let diags = q(&root, ".diag-list").text_content().unwrap_or_default();
    assert!(diags.contains("Line 3"), "{diags}");
    assert!(
        decisions(&root).iter().all(|d| d.is_empty()),
        "requests are not evaluated"
    );
}

#[wasm_bindgen_test]
async fn codemirror_mounts_labelled_and_highlights_the_deciding_statement() {
    install_editor();
    let root = mount(IP).await;
    tick().await;
    q(&root, ".cm-editor");
    let content = q(&root, ".cm-content");
    assert_eq!(
        content.get_attribute("aria-label").unwrap_or_default(),
        "Identity policy 1 — Identity policies (JSON)"
    );
    // No problems: no lint marks.
    assert!(root
        .query_selector(".cm-lintRange-error")
        .unwrap()
        .is_none());
    // The deciding statement of the selected (allowed) request is highlighted.
    assert!(root.query_selector(".cm-deciding").unwrap().is_some());
    // Switch to a policy with an error through the UI: add a policy and break it.
    click(&root, ".layer[data-layer=identity] .add-item");
    tick().await;
    let count = root
        .query_selector_all(".layer[data-layer=identity] .policy-item")
        .unwrap()
        .length();
    assert_eq!(count, 2);
    let name: HtmlInputElement = q(&root, "#policy-name").unchecked_into();
    assert_eq!(name.value(), "Identity policy 2");
    type_into(&root, "#policy-name", "extra rules");
    tick().await;
    assert!(q(&root, ".layer[data-layer=identity]")
        .text_content()
        .unwrap_or_default()
        .contains("extra rules"));
}

#[wasm_bindgen_test]
async fn engine_errors_are_squiggles_at_their_line() {
    install_editor();
    let mut ws = example(IP);
    ws.policies.docs.identity[0].text =
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Alow\" } ]\n}"
            .into();
    let root = mount_ws(ws).await;
    tick().await;
    let marks = root.query_selector_all(".cm-lintRange-error").unwrap();
    assert!(marks.length() > 0, "squiggles under the errors");
    // The squiggle is on line 3 (CodeMirror's line elements are in document order).
    let lines = root.query_selector_all(".cm-line").unwrap();
    let line3 = lines.item(2).unwrap().unchecked_into::<Element>();
    assert!(line3
        .query_selector(".cm-lintRange-error")
        .unwrap()
        .is_some());
    // Hovering a squiggle explains it; the list under the editor says it too.
    let listed = q(&root, ".diag-list").text_content().unwrap_or_default();
    assert!(listed.contains("Line 3"), "{listed}");
}

#[wasm_bindgen_test]
async fn layers_can_be_switched_off() {
    uninstall_editor();
    let root = mount(IP).await;
    let switch: HtmlInputElement = q(&root, "#layer-on-identity").unchecked_into();
    assert!(switch.checked());
    switch.click();
    tick().await;
    assert!(decisions(&root).iter().all(|d| d == "implicitDeny"));
    let switch: HtmlInputElement = q(&root, "#layer-on-identity").unchecked_into();
    switch.click();
    tick().await;
    assert_eq!(decisions(&root)[0], "allowed");
}

/// Examples as examples.json gives them (the dialog fetches it; here it is provided).
fn provided_examples() -> gallery::Examples {
    let file = |path: &str, text: &str| {
        let requests = serde_json::from_str::<serde_json::Value>(text).unwrap()["requests"]
            .as_array()
            .unwrap()
            .len();
        serde_json::json!({"path": path, "name": path, "line": "a line on it", "requests": requests, "text": text})
    };
    let json = serde_json::json!({"groups": [
        {"title": "Start here", "line": "Single identity policies.", "examples": [
            file(gallery::DEFAULT_EXAMPLE, gallery::DEFAULT_TEXT),
            file("shared/image-builder/require-mfa-and-tls.json",
                include_str!("../../tests/scenarios/shared/image-builder/require-mfa-and-tls.json")),
        ]},
        {"title": "Layers", "line": "Policies of several layers.", "examples": [
            file("layers/scps.json", include_str!("../../tests/scenarios/layers/scps.json")),
            file("layers/permissions-boundary.json",
                include_str!("../../tests/scenarios/layers/permissions-boundary.json")),
        ]},
    ]});
    gallery::Examples::parse(&json.to_string()).unwrap()
}

#[wasm_bindgen_test]
async fn the_gallery_loads_every_example_and_keeps_the_previous_work() {
    uninstall_editor();
    let examples = gallery::provide(provided_examples());
    let root = mount(IP).await;
    assert_eq!(
        root.query_selector_all(".example-group").unwrap().length(),
        0
    );
    for e in examples.all() {
        click(&root, "#open-gallery");
        tick().await;
        assert_eq!(
            root.query_selector_all(".example-group").unwrap().length(),
            2
        );
        click(&root, &format!(".example[data-path=\"{}\"]", e.path));
        tick().await;
        assert!(root.query_selector(".modal").unwrap().is_none());
        assert_eq!(decisions(&root).len(), e.requests, "{}", e.path);
        let summary = q(&root, "#summary").text_content().unwrap_or_default();
        assert!(summary.contains(", 0 not"), "{}: {summary}", e.path);
        // What was there before (another scenario) can be restored.
        if e.path != IP {
            assert!(
                root.query_selector("#restore-kept").unwrap().is_some(),
                "{}",
                e.path
            );
        }
    }
}

#[wasm_bindgen_test]
fn bench_runs_in_the_browser() {
    let out = iam_playground::bench_reevaluate(5, 100, 3);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["requests"], 100);
    assert!(v["medianMs"].as_f64().unwrap() >= 0.0);
}

/// In the browser a non-ASCII first letter is upper-cased by JavaScript (no upper-case table
/// in the page's WebAssembly): the same full Unicode mapping as Rust's `char::to_uppercase`.
#[wasm_bindgen_test]
fn capitalized_in_the_browser_matches_rust() {
    use iam_playground::browser::capitalized;
    for s in [
        "élan vital",
        "ßtraße",
        "ǆemal",
        "ﬁle",
        "ωmega",
        "statement 2",
        "",
        "1 request",
    ] {
        let mut c = s.chars();
        let rust = c
            .next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default();
        assert_eq!(capitalized(s), rust, "{s}");
    }
}

#[wasm_bindgen_test]
fn the_page_mounts_with_autosave_on() {
    // yew::Renderer::new() mounts the App with AppProps::default().
    assert!(AppProps::default().persist);
    assert!(AppProps::default().initial.is_none());
}

/// The browser's DEFLATE (share links) and the CLI's and npm package's (miniz_oxide, crate
/// `iam-share`) read each other's links; a bomb stops at MAX_PAYLOAD, corrupt data is an error.
#[wasm_bindgen_test]
async fn share_links_are_byte_compatible_with_the_cli_and_bombs_stop_at_the_cap() {
    use iam_playground::browser::{deflate_raw, inflate_raw};
    use iam_share::ShareError;
    let json = gallery::DEFAULT_TEXT.as_bytes();
    // The CLI's link, inflated by the browser.
    let packed = iam_share::packed_payload(&iam_share::encode_bytes(json)).unwrap();
    assert_eq!(inflate_raw(&packed).await.unwrap(), json);
    // The browser's link, inflated by the CLI's codec.
    let mine = deflate_raw(json).await.unwrap();
    assert!(mine.len() < json.len() / 2);
    assert_eq!(iam_share::inflate(&mine).unwrap(), json);
    // 5 MiB of spaces in a few KiB: refused at the cap, without inflating it all.
    let bomb = iam_share::packed_payload(&iam_share::encode_bytes(&vec![b' '; 5 << 20])).unwrap();
    match inflate_raw(&bomb).await {
        Err(e @ ShareError::TooLarge(_)) => assert!(e.to_string().contains("MAX_PAYLOAD"), "{e}"),
        other => panic!("{other:?}"),
    }
    // Exactly the cap opens.
    let full = deflate_raw(&vec![b' '; iam_share::MAX_PAYLOAD])
        .await
        .unwrap();
    assert_eq!(
        inflate_raw(&full).await.map(|b| b.len()),
        Ok(iam_share::MAX_PAYLOAD)
    );
    // Cut short or not DEFLATE: an error, never a hang.
    assert_eq!(
        inflate_raw(&[0, 0, 0]).await,
        Err(ShareError::BadCompression)
    );
    let cut = packed.get(..packed.len() / 2).unwrap();
    assert_eq!(inflate_raw(cut).await, Err(ShareError::BadCompression));
}
