//! The Learn view's own WebAssembly (`iam-learn.js` + `iam-learn_bg.wasm`): built by Trunk
//! beside the playground's but not loaded with the page. index.html's `IamLearn.open`
//! imports it when the Learn view first opens and calls [`mount`].
//!
//! It also exports the playground's timing functions ([`bench_reevaluate`],
//! [`bench_reevaluate_traced`]: the library's, timing the playground's own evaluation), which
//! the end-to-end test `measures re-evaluation time and first-load size` imports from here: a
//! file the page loads only on demand, so they are not part of the playground's first load.

use wasm_bindgen::prelude::*;

/// Mounts the Learn view on `root` with the course bundle (`lessons.json`'s text).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, course_json: String) {
    iam_playground::learn::mount(root, &course_json);
}

/// The playground's re-evaluation timing: [`iam_playground::bench_reevaluate`].
#[wasm_bindgen]
pub fn bench_reevaluate(policies: usize, requests: usize, runs: usize) -> String {
    iam_playground::bench_reevaluate(policies, requests, runs)
}

/// The same with the full trace of every request: [`iam_playground::bench_reevaluate_traced`].
#[wasm_bindgen]
pub fn bench_reevaluate_traced(policies: usize, requests: usize, runs: usize) -> String {
    iam_playground::bench_reevaluate_traced(policies, requests, runs)
}

fn main() {}
