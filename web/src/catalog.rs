//! The lazy half of the playground: AWS's service catalog and the checks against it.
//!
//! The one module that talks to it. None of it is in the first load: after the first render
//! `start` asks editor.js to import `editor-extras.js`, which loads the engine package of the
//! widget (`widget/iam_policy_wasm.js`, with iam-lint) and `widget/catalog.json`; completion
//! and the wildcard popover then live in the editor, and `lint` and `summary` below are
//! answered by that package (the findings as tab-separated lines, the summary as an HTML
//! table: no JSON parsing here). Until it has loaded (or when it
//! cannot), the app shows the engine's own diagnostics as before.

use std::collections::BTreeMap;

use crate::engine::{Diag, Range, Severity};
use crate::model::{LayerKind, PolicyId, Workspace};

/// Where the lazy load is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogStatus {
    Loading,
    Ready,
    /// It could not load (offline on a first visit, a test page without it): why.
    Failed(String),
}

/// What the catalog says about the workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lint {
    /// iam-lint's findings per policy (the engine's diagnostics included).
    pub findings: BTreeMap<PolicyId, Vec<Diag>>,
    /// The access summary of the selected policy, when it is an identity policy: services ×
    /// access levels (Full or Partial), as an HTML table built by the lazy part (editor-extras.js,
    /// so that it adds nothing to the first load).
    pub summary: Option<(PolicyId, String)>,
}

/// The package's name for a layer's policy kind.
pub fn kind(layer: LayerKind) -> &'static str {
    match layer {
        LayerKind::Identity => "identity",
        LayerKind::Resource => "resource",
        LayerKind::PermissionsBoundary => "permissionsBoundary",
        LayerKind::Session => "session",
        LayerKind::Scps => "scp",
        LayerKind::Rcps => "rcp",
        LayerKind::VpcEndpoint => "vpcEndpoint",
    }
}

/// The lazy part's findings (one a line: category, from line, from column, to line, to
/// column, code, message, hint, separated by tabs; no JSON parser needed) → editor
/// diagnostics, each with its category.
pub fn findings_of(lines: &str) -> Vec<Diag> {
    lines
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [cat, fl, fc, tl, tc, code, message, hint] = f.as_slice() else {
                return None;
            };
            let category = match *cat {
                "securityWarning" => "securityWarning",
                "warning" => "warning",
                "suggestion" => "suggestion",
                _ => "error",
            };
            let n = |s: &str| s.parse().unwrap_or(1);
            Some(Diag {
                severity: match category {
                    "error" => Severity::Error,
                    "suggestion" => Severity::Info,
                    _ => Severity::Warning,
                },
                code: code.to_string(),
                message: message.to_string(),
                hint: Some(hint.to_string()).filter(|h| !h.is_empty()),
                range: Range {
                    from_line: n(fl),
                    from_col: n(fc),
                    to_line: n(tl),
                    to_col: n(tc),
                },
                category: Some(category),
                class: None,
                aws_error: None,
            })
        })
        .collect()
}

/// Lints every policy of the workspace, and summarizes the selected one if it is an identity
/// policy. Empty when the catalog is not loaded (and natively, where there is none).
pub fn lint_workspace(ws: &Workspace, selected: Option<PolicyId>) -> Lint {
    let mut out = Lint::default();
    for (id, doc) in ws.all_policies() {
        if let Some(lines) = js::call("lint", &doc.text, kind(id.layer())) {
            out.findings.insert(id, findings_of(&lines));
        }
    }
    if let Some(id @ PolicyId::Identity(_)) = selected {
        if let Some(doc) = ws.policy(id) {
            out.summary = js::call("summary", &doc.text, "identity")
                .filter(|h| !h.is_empty())
                .map(|h| (id, h));
        }
    }
    out
}

/// Starts the lazy load (once per page); `done` gets `Ok` or why it failed.
pub fn start(done: impl Fn(Result<(), String>) + 'static) {
    js::start(done);
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = loadCatalog)]
        fn load_catalog(done: &Closure<dyn FnMut(String, String)>) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor)]
        fn lint(text: &str, kind: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor)]
        fn summary(text: &str, kind: &str) -> Result<String, JsValue>;
    }

    pub fn call(f: &str, text: &str, kind: &str) -> Option<String> {
        if !crate::editor::available() {
            return None;
        }
        match f {
            "lint" => lint(text, kind).ok(),
            _ => summary(text, kind).ok(),
        }
    }

    pub fn start(done: impl Fn(Result<(), String>) + 'static) {
        if !crate::editor::available() {
            done(Err("the editor bundle is not loaded".into()));
            return;
        }
        // (ok: "1" or "", info): the editor's onChange signature, so no new closure glue.
        let closure = Closure::<dyn FnMut(String, String)>::new(move |ok: String, info: String| {
            done(if ok.is_empty() { Err(info) } else { Ok(()) })
        });
        let _ = load_catalog(&closure);
        closure.forget(); // called once; one per page
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod js {
    pub fn call(_f: &str, _text: &str, _kind: &str) -> Option<String> {
        None
    }

    pub fn start(done: impl Fn(Result<(), String>) + 'static) {
        done(Err("no browser".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_become_diagnostics_with_categories() {
        let lines = "error\t4\t33\t4\t47\tunknown-action\tAmazon S3 (s3) has no action \"GetObjekt\"\tdid you mean \"s3:GetObject\"?\n\
                     securityWarning\t5\t1\t5\t2\tpass-role-star-resource\tm\t\n\
                     not a finding";
        let d = findings_of(lines);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].category, Some("error"));
        assert_eq!(d[0].severity, Severity::Error);
        assert_eq!((d[0].range.from_line, d[0].range.from_col), (4, 33));
        assert_eq!((d[0].range.to_line, d[0].range.to_col), (4, 47));
        assert_eq!(d[0].code, "unknown-action");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"s3:GetObject\"?"));
        assert_eq!(d[1].category, Some("securityWarning"));
        assert_eq!(d[1].severity, Severity::Warning);
        assert_eq!(d[1].hint, None);
        assert!(findings_of("").is_empty());
    }

    #[test]
    fn kinds_are_the_package_names() {
        assert_eq!(kind(LayerKind::PermissionsBoundary), "permissionsBoundary");
        assert_eq!(kind(LayerKind::Scps), "scp");
    }
}
