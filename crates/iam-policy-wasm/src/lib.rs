//! # iam-policy-wasm
//!
//! The IAM policy engine ([`iam_policy`]) for JavaScript, built by wasm-pack into npm
//! packages for browsers (`--target web`) and Node.js (`--target nodejs`).
//!
//! Every function returns a plain JavaScript object and never throws: a failure is
//! `{ ok: false, error, diagnostics }`. Scenarios are objects or JSON text in the
//! format of `docs/scenario-format.md`; `check` returns the very objects of
//! `iam-policy check --json`. The TypeScript types are written by hand in
//! `src/types.d.ts` (included in the generated `.d.ts`) and checked against real
//! results by the package's Node tests.

pub mod api;

use wasm_bindgen::prelude::*;

// The package's TypeScript types, functions included, are written by hand (every
// function below skips wasm-bindgen's own declaration): see types.d.ts.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// JSON text → JavaScript value (a failure value if the text is somehow not JSON).
fn js(json: String) -> JsValue {
    js_sys::JSON::parse(&json).unwrap_or_else(|_| {
        let f = api::Failure::new("internal error: the result is not JSON");
        js_sys::JSON::parse(&api::to_json::<(), _>(&Err(f))).unwrap_or(JsValue::NULL)
    })
}

/// A scenario given as an object or as JSON text → its text.
fn scenario_text(scenario: &JsValue) -> Result<String, api::Failure> {
    if let Some(s) = scenario.as_string() {
        return Ok(s);
    }
    if scenario.is_undefined() || scenario.is_null() {
        return Err(api::Failure::new(
            "no scenario given: pass a scenario object or its JSON text",
        ));
    }
    match js_sys::JSON::stringify_with_replacer_and_space(
        scenario,
        &JsValue::NULL,
        &JsValue::from_f64(2.0),
    ) {
        Ok(s) => s.as_string().ok_or_else(|| {
            api::Failure::new("the scenario cannot be written as JSON (a function or a symbol?)")
        }),
        Err(_) => Err(api::Failure::new(
            "the scenario cannot be written as JSON (a cycle, or a BigInt?)",
        )),
    }
}

/// The options object of a function (`undefined` or `null`: the defaults) → its Rust form;
/// an unknown option or a wrong type is a failure naming it.
#[cfg(any(all(feature = "managed", feature = "tools"), feature = "diff"))]
fn read_options<T: serde::de::DeserializeOwned + Default>(
    value: &JsValue,
    function: &str,
) -> Result<T, api::Failure> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            api::Failure::new(format!("the options of {function} cannot be read as JSON"))
        })?;
    serde_json::from_str(&text)
        .map_err(|e| api::Failure::new(format!("the options of {function}: {e}")))
}

fn with_scenario<T: serde::Serialize>(
    scenario: &JsValue,
    f: impl FnOnce(&str) -> Result<T, api::Failure>,
) -> JsValue {
    let r = scenario_text(scenario).and_then(|t| f(&t));
    js(api::to_json(&r))
}

/// Parses and validates one policy; diagnostics carry line and column (1-based, in characters).
#[cfg(feature = "tools")]
#[wasm_bindgen(skip_typescript)]
pub fn parse(text: &str, kind: Option<String>) -> JsValue {
    js(api::to_json(&api::parse(text, kind.as_deref())))
}

/// Lints one policy: grammar, size quota and, after `loadCatalog`, the catalog-based checks.
#[cfg(feature = "catalog")]
#[wasm_bindgen(skip_typescript)]
pub fn lint(text: &str, kind: Option<String>) -> JsValue {
    js(api::to_json(&api::lint(text, kind.as_deref())))
}

/// Loads the service catalog (the text of the package's `catalog.json`) for `lint`.
#[cfg(feature = "catalog")]
#[wasm_bindgen(js_name = loadCatalog, skip_typescript)]
pub fn load_catalog(json: &str) -> JsValue {
    js(api::to_json(&api::load_catalog(json)))
}

/// Evaluates every request of a scenario: `results` are the objects of `iam-policy check --json`.
#[cfg(feature = "tools")]
#[wasm_bindgen(skip_typescript)]
pub fn check(scenario: JsValue, file: Option<String>) -> JsValue {
    let file = file.unwrap_or_else(|| "scenario.json".to_string());
    with_scenario(&scenario, |t| api::check(t, &file))
}

/// As `check`, with each request's full evaluation trace and its explanation in words.
#[wasm_bindgen(skip_typescript)]
pub fn simulate(scenario: JsValue, file: Option<String>) -> JsValue {
    let file = file.unwrap_or_else(|| "scenario.json".to_string());
    with_scenario(&scenario, |t| api::simulate(t, &file))
}

/// The playground share-link fragment (`s=1.…`, without `#`) of a scenario.
#[cfg(feature = "share")]
#[wasm_bindgen(js_name = shareFragment, skip_typescript)]
pub fn share_fragment(scenario: JsValue) -> JsValue {
    with_scenario(&scenario, api::share_fragment)
}

/// What a share link of a scenario carries before compression: `{ ok, prefix, json }`.
#[wasm_bindgen(js_name = shareText, skip_typescript)]
pub fn share_text(scenario: JsValue) -> JsValue {
    with_scenario(&scenario, api::share_text)
}

/// Reads the scenario of a share-link fragment (with or without `#`).
#[cfg(feature = "tools")]
#[wasm_bindgen(js_name = readShareFragment, skip_typescript)]
pub fn read_share_fragment(fragment: &str) -> JsValue {
    js(api::to_json(&api::read_share_fragment(fragment)))
}

/// The engine's version.
#[cfg(feature = "tools")]
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The catalog actions an action pattern (`s3:Get*`) matches, with their access levels.
#[cfg(feature = "catalog")]
#[wasm_bindgen(skip_typescript)]
pub fn expand(pattern: &str) -> JsValue {
    js(api::to_json(&api::expand(pattern)))
}

/// What a policy grants, per service and access level (Full or Partial).
#[cfg(feature = "catalog")]
#[wasm_bindgen(skip_typescript)]
pub fn summary(text: &str, kind: Option<String>) -> JsValue {
    js(api::to_json(&api::summary(text, kind.as_deref())))
}

/// Service prefixes, or after `service:` that service's actions, starting with `prefix`.
#[cfg(feature = "catalog")]
#[wasm_bindgen(js_name = completeActions, skip_typescript)]
pub fn complete_actions(prefix: &str) -> JsValue {
    js(api::to_json(&api::complete_actions(prefix)))
}

/// Condition keys valid for any of the actions (patterns allowed), global keys last.
#[cfg(feature = "catalog")]
#[wasm_bindgen(js_name = conditionKeys, skip_typescript)]
pub fn condition_keys(actions: Vec<String>, prefix: Option<String>) -> JsValue {
    js(api::to_json(&api::condition_keys(
        &actions,
        prefix.as_deref().unwrap_or(""),
    )))
}

/// The ARN formats of the resource types of the actions a pattern matches.
#[cfg(feature = "catalog")]
#[wasm_bindgen(js_name = arnTemplates, skip_typescript)]
pub fn arn_templates(action: &str) -> JsValue {
    js(api::to_json(&api::arn_templates(action)))
}

/// Loads the AWS managed policies (the text of the package's `managed-policies.json`), so
/// that scenarios may reference them (`{"managed": "AWSImageBuilderFullAccess"}`).
#[cfg(feature = "managed")]
#[wasm_bindgen(js_name = loadManagedPolicies, skip_typescript)]
pub fn load_managed_policies(json: &str) -> JsValue {
    js(api::to_json(&api::load_managed_policies(json)))
}

/// AWS managed policies by name and by service, best first.
#[cfg(feature = "managed")]
#[cfg(feature = "tools")]
#[wasm_bindgen(js_name = managedSearch, skip_typescript)]
pub fn managed_search(query: Option<String>, options: JsValue) -> JsValue {
    let r = read_options::<api::SearchOptions>(&options, "managedSearch")
        .and_then(|o| api::managed_search(query.as_deref().unwrap_or(""), &o));
    js(api::to_json(&r))
}

/// One AWS managed policy by name or ARN, with its document ("did you mean" when unknown).
#[cfg(feature = "managed")]
#[cfg(feature = "tools")]
#[wasm_bindgen(js_name = managedShow, skip_typescript)]
pub fn managed_show(name: &str) -> JsValue {
    js(api::to_json(&api::managed_show(name)))
}

/// What access changed between two versions of a policy, per catalog action, with verified
/// example requests. Needs `loadCatalog`.
#[cfg(feature = "diff")]
#[wasm_bindgen(skip_typescript)]
pub fn diff(old: &str, new: &str, options: JsValue) -> JsValue {
    let r = read_options::<api::DiffJsOptions>(&options, "diff")
        .map_err(|f| Box::new(api::DiffFailure::from(f)))
        .and_then(|o| api::diff(old, new, &o));
    js(api::to_json(&r))
}
