//! The Learn view's own WebAssembly (`iam-learn.js` + `iam-learn_bg.wasm`): built by Trunk
//! beside the playground's but not loaded with the page. index.html's `IamLearn.open`
//! imports it when the Learn view first opens and calls [`mount`].

use wasm_bindgen::prelude::*;

/// Mounts the Learn view on `root` with the course bundle (`lessons.json`'s text).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, course_json: String) {
    iam_playground::learn::mount(root, &course_json);
}

fn main() {}
