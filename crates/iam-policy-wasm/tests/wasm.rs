//! The JavaScript boundary, in WebAssembly (Node.js): `cargo test --target wasm32-unknown-unknown
//! -p iam-policy-wasm` (the runner, wasm-bindgen-test-runner, comes with wasm-bindgen-cli).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use iam_policy_wasm::{check, parse, read_share_fragment, share_fragment, simulate};
use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const IP: &str =
    include_str!("../../../tests/scenarios/shared/image-builder/component-ip-restriction.json");

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

#[wasm_bindgen_test]
fn objects_and_text_give_the_same_results() {
    let object = JSON::parse(IP).unwrap();
    let a = JSON::stringify(&check(object, None)).unwrap();
    let b = JSON::stringify(&check(JsValue::from_str(IP), None)).unwrap();
    assert_eq!(a, b);
    let out = check(JsValue::from_str(IP), Some("ip.json".into()));
    assert_eq!(get(&out, "ok"), JsValue::TRUE);
    assert_eq!(get(&out, "passed").as_f64(), Some(7.0));
}

#[wasm_bindgen_test]
fn failures_are_values() {
    for v in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_str("{"),
        JsValue::from_f64(1.0),
    ] {
        let out = simulate(v, None);
        assert_eq!(get(&out, "ok"), JsValue::FALSE);
        assert!(get(&out, "error")
            .as_string()
            .is_some_and(|e| !e.is_empty()));
    }
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &JsValue::from_str("self"), &cyclic).unwrap();
    assert_eq!(get(&check(cyclic.into(), None), "ok"), JsValue::FALSE);
    assert_eq!(
        get(&parse("{}", Some("banana".into())), "ok"),
        JsValue::FALSE
    );
    assert_eq!(get(&read_share_fragment("s=1.AAAA"), "ok"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn share_round_trip() {
    let frag = get(&share_fragment(JsValue::from_str(IP)), "fragment")
        .as_string()
        .unwrap();
    let back = read_share_fragment(&frag);
    assert_eq!(get(&back, "ok"), JsValue::TRUE);
    let name = get(&get(&back, "scenario"), "name").as_string().unwrap();
    assert!(name.starts_with("Image Builder"), "{name}");
}
