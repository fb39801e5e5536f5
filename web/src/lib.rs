//! The IAM policy playground: a Yew app. Built by Trunk from the repository's index.html.
//!
//! - `model`: the workspace the user edits (a scenario plus names and switched-off layers)
//! - `state`: the reducer; components only dispatch actions
//! - `engine`: the one module that calls the policy engine
//! - `catalog`: the lazily loaded service catalog: lint findings, access summaries
//! - `share`, `browser`: share links, autosave, downloads (nothing leaves the browser)
//! - `editor`: the CodeMirror 6 editor, driven through wasm-bindgen
//! - `components`: the view
//! - `learn`: the Learn view (`#learn/<lesson>`); only its route and host element are in the
//!   first load, the rest is the `iam-learn` binary, loaded when the view opens
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod browser;
pub mod catalog;
pub mod components;
pub mod editor;
pub mod engine;
pub mod fixes;
pub mod gallery;
pub mod learn;
pub mod managed;
pub mod model;
pub mod share;
pub mod starter;
pub mod state;

/// Mounts the app on the page's body.
pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}

/// Times what every edit costs: parse and check `policies` policies, decide `requests`
/// requests against them and trace the one shown in detail, `runs` times. Returns JSON `{"runs":…, "medianMs":…, "minMs":…,
/// "maxMs":…, "policies":…, "requests":…}`. The end-to-end timing test calls it through the
/// lazily loaded `iam-learn` WebAssembly (`src/learn/main.rs` exports it): the same code as
/// the page's, kept out of the page's first load (8 KB gzip with the traced variant).
pub fn bench_reevaluate(policies: usize, requests: usize, runs: usize) -> String {
    let ws = engine::bench_workspace(policies, requests);
    time_runs(policies, requests, runs, || {
        std::hint::black_box(engine::evaluate(&ws, Some(0)));
    })
}

/// Times the same edit with the full trace of **every** request (issue 15: "100 requests × 5
/// policies with full traces in < 16 ms in headless Chromium"): parse the policies, decide
/// each request with its whole trace recorded ([`iam_policy::RequestSpec::evaluate_traced`]:
/// every layer, statement, condition and value, expandable on demand) and expand the trace of
/// the request shown in detail into the explanation people read. Same JSON as
/// [`bench_reevaluate`].
pub fn bench_reevaluate_traced(policies: usize, requests: usize, runs: usize) -> String {
    let ws = engine::bench_workspace(policies, requests);
    let scenario = ws.scenario();
    time_runs(policies, requests, runs, || {
        let set = scenario.compile();
        let traced: Vec<_> = scenario
            .requests
            .iter()
            .map(|r| r.evaluate_traced(&set))
            .collect();
        let shown = traced
            .first()
            .and_then(|t| t.as_ref().ok())
            .and_then(|t| t.expand(&set).ok());
        std::hint::black_box((traced, shown));
    })
}

/// Runs `f` once to warm up, then `runs` times; the timings as JSON.
fn time_runs(policies: usize, requests: usize, runs: usize, mut f: impl FnMut()) -> String {
    let runs = runs.max(1);
    let mut times = Vec::with_capacity(runs);
    f();
    for _ in 0..runs {
        let t0 = browser::now_ms();
        f();
        times.push(browser::now_ms() - t0);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    serde_json::json!({
        "runs": runs,
        "policies": policies,
        "requests": requests,
        "medianMs": median,
        "minMs": times.first().copied().unwrap_or_default(),
        "maxMs": times.last().copied().unwrap_or_default(),
    })
    .to_string()
}
