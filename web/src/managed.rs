//! AWS managed policies and the policy diff: the one module that talks to them.
//!
//! Both live in the lazy part (`web/editor/src/extras.js`, which loads the whole engine as
//! the browser npm package): `diff` needs the service catalog, and the managed policies
//! (`widget/managed-policies.json`, about 460 KB gzip) are fetched only when the picker opens
//! or a scenario references one (`start`), never at first load. A look-up comes as
//! tab-separated lines (no JSON reader in the app's WebAssembly), the picker's hits and the
//! diff as HTML built by the lazy part (as the access summary is), to keep the first load
//! small.

use iam_policy::{PolicyKind, RequestSpec};

use crate::model::{ManagedDoc, ManagedInfo, Workspace};

/// Where the managed policies are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ManagedStatus {
    /// Not asked for (nothing references one, the picker never opened).
    #[default]
    NotLoaded,
    Loading,
    /// Loaded: a line about the data ("1,4xx policies, …").
    Ready(String),
    /// It could not load: why.
    Failed(String),
}

/// The picker's answer to a query: the hits as HTML built by the lazy part (each a button
/// carrying the policy's name in `data-name`), empty until the managed policies are loaded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    pub html: String,
}

/// What looking one policy up gave: the policy and its document, or why not (the message,
/// with "did you mean", and the closest names).
pub type Shown = Result<(ManagedInfo, String), (String, Vec<String>)>;

/// `managedShow`'s answer: `name\tarn\tversion\tdate` then the document on the next lines,
/// or `!\tmessage\tclosest names separated by spaces`.
pub fn shown_of(text: &str) -> Shown {
    let (head, document) = text.split_once('\n').unwrap_or((text, ""));
    let f: Vec<&str> = head.split('\t').collect();
    match f.as_slice() {
        ["!", message, closest] => Err((
            message.to_string(),
            closest.split_whitespace().map(str::to_string).collect(),
        )),
        [name, arn, version_id, update_date] if !document.is_empty() => Ok((
            ManagedInfo {
                name: name.to_string(),
                arn: arn.to_string(),
                version_id: version_id.to_string(),
                update_date: update_date.to_string(),
            },
            document.to_string(),
        )),
        _ => Err((format!("unexpected answer: {head}"), Vec::new())),
    }
}

/// Searches the managed policies by name and by service ("imagebuilder").
pub fn search(query: &str) -> Search {
    Search {
        query: query.to_string(),
        html: js::call("managedSearch", query, "", "").unwrap_or_default(),
    }
}

/// Looks one managed policy up by name or ARN.
pub fn show(reference: &str) -> Shown {
    match js::call("managedShow", reference, "", "") {
        Some(text) => shown_of(&text),
        None => Err(("the AWS managed policies are not loaded".into(), Vec::new())),
    }
}

/// Looks up every managed policy reference of the workspace that is waiting (the document
/// becomes the policy's text; an unknown name keeps its error). Returns whether anything
/// changed.
pub fn resolve(ws: &mut Workspace) -> bool {
    resolve_with(ws, show)
}

/// As [`resolve`], with the look-up given (tests).
pub fn resolve_with(ws: &mut Workspace, look_up: impl Fn(&str) -> Shown) -> bool {
    let ids: Vec<_> = ws
        .policies
        .docs
        .iter()
        .filter(|(_, d)| d.unresolved())
        .map(|(id, _)| id)
        .collect();
    for id in &ids {
        if let Some(doc) = ws.policy_mut(*id) {
            let reference = doc
                .managed
                .as_ref()
                .map(|m| m.reference.clone())
                .unwrap_or_default();
            match look_up(&reference) {
                Ok((info, document)) => {
                    doc.name = info.name.clone();
                    doc.text = document;
                    doc.managed = Some(ManagedDoc {
                        reference,
                        resolved: Some(info),
                        error: None,
                    });
                }
                Err(e) => {
                    doc.managed = Some(ManagedDoc {
                        reference,
                        resolved: None,
                        error: Some(e),
                    });
                }
            }
        }
    }
    !ids.is_empty()
}

/// The diff's kind for a policy of a layer: policies with a `Principal` are compared as
/// resource-based policies.
pub fn diff_kind(kind: PolicyKind) -> &'static str {
    if kind.has_principal() {
        "resource"
    } else {
        "identity"
    }
}

/// What access changed from `old` to `new` (`diff` of the npm package), as HTML built by the
/// lazy part: per service, the actions granted, revoked or that may differ (with the
/// reason), the statements responsible on each side, and an example request per change,
/// each with an "Add to requests" button carrying the request (`data-request`, JSON) and its
/// name (`data-name`). None when the lazy part is not loaded.
pub fn diff(old: &str, new: &str, kind: &str) -> Option<String> {
    js::call("diff", old, new, kind)
}

/// An example request of the diff (a button's `data-request`), read with the scenario reader.
pub fn example_request(json: &str) -> Option<RequestSpec> {
    RequestSpec::from_json(json).ok()
}

/// A managed policy's document as HTML lines (`<span class="doc-line">`, with `deciding` on
/// the lines of the given ranges, 1-based and inclusive), built by the lazy part. None when
/// it is not loaded.
pub fn document_html(text: &str, lines: &[(u32, u32)]) -> Option<String> {
    let ranges: Vec<String> = lines.iter().map(|(a, b)| format!("{a}-{b}")).collect();
    js::call("managedDoc", text, &ranges.join(" "), "")
}

/// Starts loading the managed policies (once per page); `done` gets the line about the data
/// or why it failed.
pub fn start(done: impl Fn(Result<String, String>) + 'static) {
    js::start(done);
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = loadManaged)]
        fn load_managed(done: &Closure<dyn FnMut(String, String)>) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = managedSearch)]
        fn managed_search(query: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = managedShow)]
        fn managed_show(name: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = managedDoc)]
        fn managed_doc(text: &str, lines: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = IamEditor)]
        fn diff(old: &str, new: &str, kind: &str) -> Result<String, JsValue>;
    }

    pub fn call(f: &str, a: &str, b: &str, c: &str) -> Option<String> {
        if !crate::editor::available() {
            return None;
        }
        match f {
            "managedSearch" => managed_search(a).ok(),
            "managedShow" => managed_show(a).ok(),
            "managedDoc" => managed_doc(a, b).ok(),
            _ => diff(a, b, c).ok(),
        }
    }

    pub fn start(done: impl Fn(Result<String, String>) + 'static) {
        if !crate::editor::available() {
            done(Err("the editor bundle is not loaded".into()));
            return;
        }
        let done = std::rc::Rc::new(done);
        let on_done = done.clone();
        // (ok: "1" or "", info): the editor's onChange signature, so no new closure glue.
        let closure = Closure::<dyn FnMut(String, String)>::new(move |ok: String, info: String| {
            on_done(if ok.is_empty() { Err(info) } else { Ok(info) })
        });
        if load_managed(&closure).is_err() {
            done(Err("the lazy part is not loaded".into()));
        }
        closure.forget(); // called once; one per page
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod js {
    pub fn call(_f: &str, _a: &str, _b: &str, _c: &str) -> Option<String> {
        None
    }

    pub fn start(done: impl Fn(Result<String, String>) + 'static) {
        done(Err("no browser".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PolicyDoc;
    use iam_policy::{Decision, PolicyId};

    const FULL: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ImageBuilder",
      "Effect": "Allow",
      "Action": ["imagebuilder:*"],
      "Resource": "*"
    }
  ]
}"#;

    fn look_up(name: &str) -> Shown {
        match super::super::model::managed_name(name) {
            "AWSImageBuilderFullAccess" => Ok((
                ManagedInfo {
                    name: "AWSImageBuilderFullAccess".into(),
                    arn: "arn:aws:iam::aws:policy/AWSImageBuilderFullAccess".into(),
                    version_id: "v9".into(),
                    update_date: "2024-01-02T03:04:05Z".into(),
                },
                FULL.into(),
            )),
            other => Err((
                format!("no AWS managed policy \"{other}\"; did you mean \"AWSImageBuilderFullAccess\"?"),
                vec!["AWSImageBuilderFullAccess".into()],
            )),
        }
    }

    #[test]
    fn a_shown_policy_or_its_error_is_read() {
        let (info, doc) = shown_of("A\tarn:aws:iam::aws:policy/A\tv2\t2020-01-01T00:00:00Z\n{\n  \"Version\": \"2012-10-17\"\n}").unwrap();
        assert_eq!(info.name, "A");
        assert!(doc.starts_with("{\n"));
        let (message, closest) =
            shown_of("!\tno such policy; did you mean \"B\"?\tB C").unwrap_err();
        assert!(message.contains("did you mean"));
        assert_eq!(closest, ["B", "C"]);
        assert!(shown_of("garbage").is_err());
        // Natively the lazy part is absent: an error, no crash.
        assert!(show("AWSImageBuilderFullAccess").is_err());
        assert_eq!(search("x").html, "");
        assert_eq!(diff("{}", "{}", "identity"), None);
        assert_eq!(document_html("{}", &[(1, 1)]), None);
    }

    /// "You can attach AWS managed policies to users, groups and roles; you cannot change
    /// the permissions defined in AWS managed policies" (IAM User Guide, AWS managed
    /// policies): the reference resolves to the document, which then decides as an identity
    /// policy and is named in the trace.
    #[test]
    fn a_reference_resolves_and_its_statement_decides_with_its_name() {
        let mut ws = Workspace::default();
        ws.policies.docs.add(
            PolicyKind::Identity,
            None,
            PolicyDoc::managed("arn:aws:iam::aws:policy/AWSImageBuilderFullAccess"),
        );
        ws.requests.push(crate::model::RequestRow {
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "imagebuilder:ListImages".into(),
            resource: "*".into(),
            ..Default::default()
        });
        assert!(ws.has_unresolved());
        // Before the look-up the request is not evaluated.
        let eval = crate::engine::evaluate(&ws, Some(0));
        assert!(eval.results[0].error.is_some());
        assert!(resolve_with(&mut ws, look_up));
        assert!(!ws.has_unresolved());
        let doc = ws.policy(PolicyId::Identity(0)).unwrap();
        assert_eq!(doc.name, "AWSImageBuilderFullAccess");
        let eval = crate::engine::evaluate(&ws, Some(0));
        let r = &eval.results[0];
        assert_eq!(r.decision, Some(Decision::Allowed));
        assert_eq!(
            r.deciding_statements[0].sid.as_deref(),
            Some("ImageBuilder")
        );
        let e = eval.explanation(0).unwrap();
        let title = &e.layers[0].policies[0].title;
        assert!(title.contains("AWSImageBuilderFullAccess"), "{title}");
        // The scenario file and the saved workspace keep the reference, not the text.
        let file = ws.to_scenario_text();
        assert!(
            file.contains("\"managed\": \"arn:aws:iam::aws:policy/AWSImageBuilderFullAccess\""),
            "{file}"
        );
        assert!(!file.contains("imagebuilder:*"), "{file}");
        let saved = serde_json::to_string(&ws).unwrap();
        assert!(!saved.contains("imagebuilder:*"), "{saved}");
        let back: Workspace = serde_json::from_str(&saved).unwrap();
        assert!(back.has_unresolved());
        // Nothing left to look up: nothing changes.
        assert!(!resolve_with(&mut ws, look_up));
    }

    #[test]
    fn an_unknown_name_keeps_its_error_with_did_you_mean() {
        let mut ws = Workspace::default();
        ws.policies.docs.add(
            PolicyKind::Identity,
            None,
            PolicyDoc::managed("AWSImageBuilderFulAccess"),
        );
        assert!(resolve_with(&mut ws, look_up));
        let m = ws
            .policy(PolicyId::Identity(0))
            .unwrap()
            .managed
            .clone()
            .unwrap();
        let (message, closest) = m.error.unwrap();
        assert!(message.contains("did you mean"), "{message}");
        assert_eq!(closest, ["AWSImageBuilderFullAccess"]);
        assert!(!ws.has_unresolved(), "not looked up again and again");
    }

    #[test]
    fn resource_like_layers_are_diffed_as_resource_policies() {
        assert_eq!(diff_kind(PolicyKind::Identity), "identity");
        assert_eq!(diff_kind(PolicyKind::Scp), "identity");
        assert_eq!(diff_kind(PolicyKind::Resource), "resource");
        let r = example_request(r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}"#).unwrap();
        assert_eq!(r.action, "s3:GetObject");
        assert!(example_request("{").is_none());
    }
}
