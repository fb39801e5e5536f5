//! The lazy half of the playground: AWS's service catalog and the checks against it.
//!
//! The one module that talks to it. None of it is in the first load: after the first render
//! `start` asks editor.js to import `editor-extras.js`, which loads the engine package of the
//! browser npm package (`widget/lint/iam_policy_wasm.js`, with iam-lint) and `widget/lint/catalog.json`; completion
//! and the wildcard popover then live in the editor, and `lint` and `summary` below are
//! answered by that package (the findings as tab-separated lines, the summary as an HTML
//! table: no JSON parsing here). Until it has loaded (or when it
//! cannot), the app shows the engine's own diagnostics as before.

use std::collections::BTreeMap;

use iam_policy::{Decision, Diagnostic, PolicyId, Position, RequestSpec, Scenario, Span};

use crate::model::Workspace;

/// Where the lazy load is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogStatus {
    Loading,
    Ready,
    /// It could not load (offline on a first visit, a test page without it): why.
    Failed(String),
}

/// One of iam-lint's findings as the lazy part hands it over (a line of text: the app's
/// WebAssembly holds neither iam-lint nor a JSON reader for its types).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// IAM Access Analyzer's category: `error`, `securityWarning`, `warning`, `suggestion`.
    pub category: &'static str,
    /// iam-lint's stable code (`unknown-action`, …).
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
    /// Where (lines and columns; no offsets).
    pub span: Span,
}

/// What the catalog says about the workspace.
#[derive(Clone, Debug, Default)]
pub struct Lint {
    /// iam-lint's own findings per policy: those that are not one of the engine's
    /// diagnostics, which are shown as they are (with whether AWS would store the policy).
    pub findings: BTreeMap<PolicyId, Vec<Finding>>,
    /// The access summary of the selected policy, when it is an identity policy: services ×
    /// access levels (Full or Partial), as an HTML table built by the lazy part (editor-extras.js,
    /// so that it adds nothing to the first load).
    pub summary: Option<(PolicyId, String)>,
}

/// The lazy part's findings (one a line: category, from line, from column, to line, to
/// column, code, message, hint, separated by tabs; no JSON parser needed).
pub fn findings_of(lines: &str) -> Vec<Finding> {
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
            let at = |line: &str, column: &str| Position {
                line: line.parse().unwrap_or(1),
                column: column.parse().unwrap_or(1),
                offset: 0,
            };
            Some(Finding {
                category,
                code: code.to_string(),
                message: message.to_string(),
                hint: Some(hint.to_string()).filter(|h| !h.is_empty()),
                span: Span::new(at(fl, fc), at(tl, tc)),
            })
        })
        .collect()
}

/// One way the decision of the request shown in detail would change: the engine's
/// suggestion (`iam_policy::explain::whatif::Suggestion`, computed by the lazy part, so that
/// the what-if search is not in the first load), as the view needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The engine's kind (`addContextKey`, `removeAllowStatements`, …).
    pub kind: String,
    /// The decision after the change, when the engine verified it.
    pub decision_after: Option<Decision>,
    /// For people, in the words of the explanations.
    pub sentence: String,
    /// The verified edit of the request: its sentence and the whole edited request.
    pub edit: Option<(String, RequestSpec)>,
    /// The statements concerned: policy and statement index.
    pub statements: Vec<(PolicyId, usize)>,
}

/// The suggestions for the request shown in detail (its index).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub index: Option<usize>,
    pub suggestions: Vec<Suggestion>,
}

impl Changes {
    /// The suggestions for request `index`, when they are its.
    pub fn of(&self, index: usize) -> &[Suggestion] {
        if self.index == Some(index) {
            &self.suggestions
        } else {
            &[]
        }
    }
}

fn decision_named(name: &str) -> Option<Decision> {
    match name {
        "allowed" => Some(Decision::Allowed),
        "explicitDeny" => Some(Decision::ExplicitDeny),
        "implicitDeny" => Some(Decision::ImplicitDeny),
        _ => None,
    }
}

/// A request written as JSON (an edited request), read with the scenario reader.
fn request_of(json: &str) -> Option<RequestSpec> {
    let text = format!("{{\"policies\": {{}}, \"requests\": [{json}]}}");
    Scenario::from_json(&text).ok()?.requests.into_iter().next()
}

/// The lazy part's suggestions (one a line: kind, decision after, sentence, the edit's
/// sentence, the edited request as JSON, the statements as `policy#index` separated by
/// spaces; tabs between them).
pub fn suggestions_of(lines: &str) -> Vec<Suggestion> {
    lines
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let [kind, after, sentence, edit_sentence, request, statements] = f.as_slice() else {
                return None;
            };
            let edit = Some(*request)
                .filter(|r| !r.is_empty())
                .and_then(request_of)
                .map(|r| (edit_sentence.to_string(), r));
            let statements = statements
                .split_whitespace()
                .filter_map(|s| {
                    let (policy, index) = s.rsplit_once('#')?;
                    Some((policy.parse().ok()?, index.parse().ok()?))
                })
                .collect();
            Some(Suggestion {
                kind: kind.to_string(),
                decision_after: decision_named(after),
                sentence: sentence.to_string(),
                edit,
                statements,
            })
        })
        .collect()
}

/// What would change the decision of request `index` (the one shown in detail), from the
/// lazy part: the scenario's policies as evaluated and that one request. Empty when the
/// catalog part is not loaded (and natively).
pub fn what_would_change(ws: &Workspace, index: Option<usize>) -> Changes {
    let Some(i) = index else {
        return Changes::default();
    };
    let mut scenario = ws.scenario();
    let Some(request) = scenario.requests.get(i).cloned() else {
        return Changes::default();
    };
    scenario.requests = vec![request];
    let suggestions = js::call("whatWouldChange", &scenario.to_json_pretty(), "")
        .map(|lines| suggestions_of(&lines))
        .unwrap_or_default();
    Changes {
        index: Some(i),
        suggestions,
    }
}

/// Whether a finding is one of the engine's own diagnostics (iam-lint passes them on with
/// their code and position).
fn is_engines(f: &Finding, engine: &[Diagnostic]) -> bool {
    engine.iter().any(|d| {
        d.code.as_str() == f.code
            && (d.span.start.line, d.span.start.column) == (f.span.start.line, f.span.start.column)
    })
}

/// Lints every policy of the workspace, and summarizes the selected one if it is an identity
/// policy. Empty when the catalog is not loaded (and natively, where there is none).
/// `engine`: the engine's diagnostics per policy, which the findings leave out.
pub fn lint_workspace(
    ws: &Workspace,
    selected: Option<PolicyId>,
    engine: &BTreeMap<PolicyId, Vec<Diagnostic>>,
) -> Lint {
    let mut out = Lint::default();
    for (id, doc) in ws.policies.docs.iter() {
        if let Some(lines) = js::call("lint", &doc.text, id.kind().name()) {
            let own = engine.get(&id).map_or(&[][..], Vec::as_slice);
            let findings = findings_of(&lines)
                .into_iter()
                .filter(|f| !is_engines(f, own))
                .collect();
            out.findings.insert(id, findings);
        }
    }
    if let Some(id @ PolicyId::Identity(_)) = selected {
        if let Some(doc) = ws.policy(id) {
            out.summary = js::call("summary", &doc.text, id.kind().name())
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
        #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = whatWouldChange)]
        fn what_would_change(scenario: &str) -> Result<String, JsValue>;
    }

    pub fn call(f: &str, text: &str, kind: &str) -> Option<String> {
        if !crate::editor::available() {
            return None;
        }
        match f {
            "lint" => lint(text, kind).ok(),
            "whatWouldChange" => what_would_change(text).ok(),
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
    fn findings_are_read_with_their_categories() {
        let lines = "error\t4\t33\t4\t47\tunknown-action\tAmazon S3 (s3) has no action \"GetObjekt\"\tdid you mean \"s3:GetObject\"?\n\
                     securityWarning\t5\t1\t5\t2\tpass-role-star-resource\tm\t\n\
                     not a finding";
        let d = findings_of(lines);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].category, "error");
        assert_eq!((d[0].span.start.line, d[0].span.start.column), (4, 33));
        assert_eq!((d[0].span.end.line, d[0].span.end.column), (4, 47));
        assert_eq!(d[0].code, "unknown-action");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"s3:GetObject\"?"));
        assert_eq!(d[1].category, "securityWarning");
        assert_eq!(d[1].hint, None);
        assert!(findings_of("").is_empty());
    }

    #[test]
    fn suggestions_are_read_with_their_edits_and_statements() {
        let lines = "addContextKey\tallowed\tStatement 0 \"IPAllow\" comes closest\tset aws:SourceIp to 54.240.143.189\t{\"principal\":\"arn:aws:iam::111122223333:user/alice\",\"action\":\"s3:GetObject\",\"resource\":\"*\",\"context\":{\"aws:SourceIp\":\"54.240.143.189\"}}\tidentity/0#0 scps/1/0#2\n\
                     removeAllowStatements\t\tThe statements would have to go\t\t\tidentity/0#0\n\
                     not a suggestion";
        let s = suggestions_of(lines);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].kind, "addContextKey");
        assert_eq!(s[0].decision_after, Some(Decision::Allowed));
        let (sentence, request) = s[0].edit.as_ref().expect("an edit");
        assert_eq!(sentence, "set aws:SourceIp to 54.240.143.189");
        assert_eq!(request.action, "s3:GetObject");
        assert_eq!(request.context["aws:SourceIp"], "54.240.143.189");
        assert_eq!(
            s[0].statements,
            vec![
                (PolicyId::Identity(0), 0),
                (PolicyId::Scp { level: 1, index: 0 }, 2)
            ]
        );
        assert_eq!(s[1].decision_after, None);
        assert!(s[1].edit.is_none());
        assert!(suggestions_of("").is_empty());
        // Natively there is no lazy part: nothing, and no crash.
        let ws = crate::gallery::default_workspace();
        assert_eq!(
            what_would_change(&ws, Some(1)),
            Changes {
                index: Some(1),
                suggestions: vec![]
            }
        );
        assert_eq!(what_would_change(&ws, Some(99)), Changes::default());
    }

    #[test]
    fn the_engines_own_diagnostics_are_not_findings_twice() {
        let parsed = iam_policy::parse_policy(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ { \"Effect\": \"Alow\" } ]\n}",
        );
        let d = parsed.diagnostics.first().expect("a diagnostic").clone();
        let line = |code: &str| {
            format!(
                "error\t{}\t{}\t{}\t{}\t{code}\tm\t",
                d.span.start.line, d.span.start.column, d.span.end.line, d.span.end.column
            )
        };
        let engine = [d.clone()];
        let same = findings_of(&line(d.code.as_str()));
        assert!(is_engines(&same[0], &engine));
        let other = findings_of(&line("unknown-action"));
        assert!(!is_engines(&other[0], &engine));
    }
}
