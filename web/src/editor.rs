//! The policy editor: CodeMirror 6 (web/editor/src/editor.js, bundled by esbuild into a
//! script that installs `window.IamEditor`), driven through wasm-bindgen.
//!
//! When the bundle is missing (it failed to load, or a test page without it) the component
//! falls back to a plain labelled textarea, so the app still works.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use iam_policy::{Diagnostic, Severity, Span};

#[wasm_bindgen]
extern "C" {
    /// The handle editor.js returns (a small class around an EditorView).
    pub type EditorHandle;

    #[wasm_bindgen(catch, js_namespace = IamEditor, js_name = create)]
    fn create_editor(
        parent: &web_sys::Element,
        id: &str,
        text: &str,
        label: &str,
        on_change: &Closure<dyn FnMut(String, String)>,
    ) -> Result<EditorHandle, JsValue>;

    #[wasm_bindgen(method, catch, js_name = setDoc)]
    fn set_doc(this: &EditorHandle, id: &str, text: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = setHighlight)]
    fn set_highlight(this: &EditorHandle, json: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn reveal(
        this: &EditorHandle,
        from_line: u32,
        from_col: u32,
        to_line: u32,
        to_col: u32,
    ) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch)]
    fn destroy(this: &EditorHandle) -> Result<(), JsValue>;
}

/// Whether the CodeMirror bundle is on the page.
pub fn available() -> bool {
    web_sys::window()
        .map(|w| js_sys::Reflect::has(&w, &JsValue::from_str("IamEditor")).unwrap_or(false))
        .unwrap_or(false)
}

fn span_json(s: &Span) -> serde_json::Value {
    serde_json::json!({
        "fromLine": s.start.line, "fromCol": s.start.column,
        "toLine": s.end.line, "toCol": s.end.column,
    })
}

/// A problem to underline, as editor.js takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub span: Span,
    /// The squiggle's class: `error`, `warning`, or an IAM Access Analyzer category.
    pub severity: &'static str,
    /// The message on hover (its first line is the problem itself).
    pub message: String,
}

impl Mark {
    /// The message with the fix, on a line of its own.
    pub fn new(span: Span, severity: &'static str, message: String, hint: Option<&str>) -> Mark {
        let message = match hint.filter(|h| !h.is_empty()) {
            Some(h) => format!("{message}\n{h}"),
            None => message,
        };
        Mark {
            span,
            severity,
            message,
        }
    }

    /// An engine diagnostic, with what AWS does with the policy and AWS's own error text.
    pub fn of(d: &Diagnostic) -> Mark {
        let mut message = format!("{}\n{}", d.message, d.class.label());
        if let Some(a) = &d.aws_error {
            message.push_str(&format!(": {a}"));
        }
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        Mark::new(d.span, severity, message, d.hint.as_deref())
    }
}

/// The marks as editor.js takes them.
pub fn marks_json(marks: &[Mark]) -> String {
    let list = marks.iter().map(|m| {
        let mut v = span_json(&m.span);
        if let Some(o) = v.as_object_mut() {
            o.insert("severity".into(), m.severity.into());
            o.insert("message".into(), m.message.clone().into());
        }
        v
    });
    serde_json::Value::Array(list.collect()).to_string()
}

fn spans_json(spans: &[Span]) -> String {
    serde_json::Value::Array(spans.iter().map(span_json).collect()).to_string()
}

#[derive(Properties, Clone, PartialEq)]
pub struct EditorProps {
    /// Which document is shown (the editor keeps undo history per document).
    pub doc_id: AttrValue,
    pub text: AttrValue,
    /// Accessible name of the text area.
    pub label: AttrValue,
    /// The problems to underline (the engine's diagnostics, then the catalog's findings).
    pub marks: Rc<Vec<Mark>>,
    /// Ranges to highlight (the deciding statement of the selected request).
    pub highlight: Rc<Vec<Span>>,
    /// Select and scroll to a range; the number changes for each new request.
    #[prop_or_default]
    pub reveal: Option<(Span, u64)>,
    /// (doc_id, new text) on every user edit.
    pub on_change: Callback<(String, String)>,
}

struct Live {
    handle: EditorHandle,
    _on_change: Closure<dyn FnMut(String, String)>,
}

#[component]
pub fn PolicyEditor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let live: Rc<RefCell<Option<Live>>> = use_mut_ref(|| None);
    // The latest callback, read by the JS closure (props change between renders).
    let on_change = use_mut_ref(|| props.on_change.clone());
    *on_change.borrow_mut() = props.on_change.clone();
    let use_cm = use_state(available);

    {
        let host = host.clone();
        let live = live.clone();
        let on_change = on_change.clone();
        let (doc_id, text, label) = (
            props.doc_id.clone(),
            props.text.clone(),
            props.label.clone(),
        );
        let use_cm = *use_cm;
        use_effect_with((), move |_| {
            if use_cm {
                if let Some(el) = host.cast::<web_sys::Element>() {
                    let cb = on_change.clone();
                    let closure = Closure::<dyn FnMut(String, String)>::new(
                        move |id: String, text: String| {
                            let cb = cb.borrow().clone();
                            cb.emit((id, text));
                        },
                    );
                    if let Ok(handle) = create_editor(&el, &doc_id, &text, &label, &closure) {
                        *live.borrow_mut() = Some(Live {
                            handle,
                            _on_change: closure,
                        });
                    }
                }
            }
            let live = live.clone();
            move || {
                if let Some(l) = live.borrow_mut().take() {
                    let _ = l.handle.destroy();
                }
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(
            (props.doc_id.clone(), props.text.clone()),
            move |(id, text)| {
                if let Some(l) = live.borrow().as_ref() {
                    let _ = l.handle.set_doc(id, text);
                }
            },
        );
    }
    {
        let live = live.clone();
        use_effect_with(
            (props.doc_id.clone(), props.marks.clone()),
            move |(_, marks)| {
                if let Some(l) = live.borrow().as_ref() {
                    let _ = l.handle.set_diagnostics(&marks_json(marks));
                }
            },
        );
    }
    {
        let live = live.clone();
        use_effect_with(
            (props.doc_id.clone(), props.highlight.clone()),
            move |(_, ranges)| {
                if let Some(l) = live.borrow().as_ref() {
                    let _ = l.handle.set_highlight(&spans_json(ranges));
                }
            },
        );
    }
    {
        let live = live.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let (Some(l), Some((r, _))) = (live.borrow().as_ref(), reveal) {
                let _ = l
                    .handle
                    .reveal(r.start.line, r.start.column, r.end.line, r.end.column);
            }
        });
    }

    if *use_cm {
        html! { <div class="editor-host" ref={host} data-doc={props.doc_id.clone()}></div> }
    } else {
        let id = props.doc_id.clone();
        let cb = props.on_change.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                cb.emit((id.to_string(), t.value()));
            }
        });
        let first = props.marks.first().map(|m| {
            format!(
                "Line {}, column {}: {}",
                m.span.start.line,
                m.span.start.column,
                m.message.lines().next().unwrap_or_default()
            )
        });
        html! {
            <div class="editor-host fallback" ref={host}>
                <textarea class="editor-fallback" aria-label={props.label.clone()}
                    spellcheck="false" value={props.text.clone()} {oninput} />
                if let Some(msg) = first { <p class="diag-line" role="alert">{ msg }</p> }
            </div>
        }
    }
}
