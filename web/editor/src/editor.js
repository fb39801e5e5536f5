// CodeMirror 6 policy editor, driven from Rust (web/src/editor.rs) through wasm-bindgen.
//
// The bundle (esbuild, IIFE) installs one global, `window.IamEditor`, with `create(...)`.
// Rust never sees CodeMirror objects: it talks to the small handle returned by `create`.
// The playground loads it after its first render: boot.js (the first-load part) shows plain
// text areas until then, and this bundle takes them over (`adopt`: text, selection, focus and
// undo history kept).
//
// Positions that cross this boundary are engine positions: 1-based line and column counted in
// characters (Unicode scalar values). CodeMirror counts UTF-16 code units; `toPos` converts.
//
// Size: search, auto-closing brackets and code folding are left out, and problems are drawn
// by a few lines here instead of @codemirror/lint (together about 20 KB gzip less); the
// browser's own find (Ctrl+F) still works on the visible text.
//
// Keyboard: Tab is NOT bound (no indentWithTab), so Tab and Shift-Tab move focus out of the
// editor as everywhere else on the page.

import {
  EditorState,
  EditorSelection,
  StateEffect,
  StateField,
  Annotation,
  RangeSetBuilder,
  Prec,
  Transaction,
} from "@codemirror/state";
import {
  EditorView,
  Decoration,
  keymap,
  lineNumbers,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  highlightActiveLine,
  hoverTooltip,
} from "@codemirror/view";
import { history, defaultKeymap, historyKeymap } from "@codemirror/commands";
import {
  indentOnInput,
  bracketMatching,
  syntaxHighlighting,
  HighlightStyle,
} from "@codemirror/language";
import { json } from "@codemirror/lang-json";
import { tags as t } from "@lezer/highlight";

// Transactions made on Rust's behalf carry this, so they don't echo back as user edits.
const fromHost = Annotation.define();

// ---- the deciding-statement highlight ----------------------------------------------------

const setHighlight = StateEffect.define();

const highlightField = StateField.define({
  create() {
    return Decoration.none;
  },
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setHighlight)) deco = e.value;
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const decidingMark = Decoration.mark({ class: "cm-deciding" });
const decidingLine = Decoration.line({ class: "cm-deciding-line" });

function buildHighlight(doc, ranges) {
  const marks = [];
  for (const r of ranges) {
    const from = toPos(doc, r.fromLine, r.fromCol);
    const to = Math.max(from, toPos(doc, r.toLine, r.toCol));
    marks.push({ from, to });
  }
  marks.sort((a, b) => a.from - b.from);
  const builder = new RangeSetBuilder();
  // Line decorations must come before marks starting at the same position.
  const items = [];
  for (const m of marks) {
    const first = doc.lineAt(m.from).number;
    const last = doc.lineAt(m.to).number;
    for (let n = first; n <= last; n++) {
      const line = doc.line(n);
      items.push({ from: line.from, to: line.from, deco: decidingLine, order: 0 });
    }
    if (m.to > m.from) items.push({ from: m.from, to: m.to, deco: decidingMark, order: 1 });
  }
  items.sort((a, b) => a.from - b.from || a.order - b.order || a.to - b.to);
  let lastLineStart = -1;
  for (const it of items) {
    if (it.order === 0) {
      if (it.from === lastLineStart) continue;
      lastLineStart = it.from;
    }
    builder.add(it.from, it.to, it.deco);
  }
  return builder.finish();
}

// ---- the engine's problems: squiggles, with the message on hover -------------------------
// (Our own few lines instead of @codemirror/lint: the same underlines and hover, 9 KB gzip
// less. The list under the editor shows every problem too, for keyboard and screen readers.)

const setProblems = StateEffect.define();

const problemsField = StateField.define({
  create() {
    return { deco: Decoration.none, list: [] };
  },
  update(value, tr) {
    let { deco, list } = value;
    if (tr.docChanged) {
      deco = deco.map(tr.changes);
      list = list.map((d) => ({ ...d, from: tr.changes.mapPos(d.from), to: tr.changes.mapPos(d.to) }));
    }
    for (const e of tr.effects) {
      if (e.is(setProblems)) {
        list = e.value;
        const ranges = list
          .filter((d) => d.to > d.from)
          .map((d) =>
            Decoration.mark({
              class: `cm-lintRange-${d.severity}`,
              attributes: { "aria-invalid": "true" },
            }).range(d.from, d.to)
          );
        deco = Decoration.set(ranges, true);
      }
    }
    return { deco, list };
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.deco),
});

const problemTooltip = hoverTooltip((view, pos) => {
  const hits = view.state.field(problemsField).list.filter((d) => d.from <= pos && pos <= d.to);
  if (!hits.length) return null;
  return {
    pos: Math.min(...hits.map((d) => d.from)),
    end: Math.max(...hits.map((d) => d.to)),
    above: true,
    create() {
      const dom = document.createElement("div");
      dom.className = "cm-problem-tooltip";
      for (const d of hits) {
        const line = document.createElement("div");
        line.className = `cm-problem cm-problem-${d.severity}`;
        line.textContent = d.message;
        dom.appendChild(line);
      }
      return { dom };
    },
  };
});

// ---- positions ---------------------------------------------------------------------------

// 1-based line and character column -> CodeMirror offset (clamped into the document).
function toPos(doc, line, col) {
  if (!(line >= 1)) line = 1;
  if (line > doc.lines) return doc.length;
  const l = doc.line(line);
  let pos = l.from;
  let chars = 1;
  const text = l.text;
  let i = 0;
  while (chars < col && i < text.length) {
    const code = text.codePointAt(i);
    i += code > 0xffff ? 2 : 1;
    chars += 1;
  }
  pos += i;
  return Math.min(pos, l.to);
}

// ---- theme: colours come from CSS variables, so light and dark follow the page ----------

const theme = EditorView.theme({
  "&": {
    color: "var(--fg)",
    backgroundColor: "var(--editor-bg)",
    height: "100%",
    fontSize: "13px",
  },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5" },
  ".cm-content": { caretColor: "var(--accent)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--accent)" },
  ".cm-gutters": {
    backgroundColor: "var(--editor-gutter)",
    color: "var(--muted)",
    borderRight: "1px solid var(--border)",
  },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--editor-selection) !important",
  },
  ".cm-matchingBracket": {
    backgroundColor: "var(--editor-bracket)",
    outline: "1px solid var(--accent)",
  },
  ".cm-deciding": { backgroundColor: "var(--deciding-bg)" },
  ".cm-deciding-line": { boxShadow: "inset 3px 0 0 var(--deciding-edge)" },
  "&.cm-focused": { outline: "2px solid var(--focus)", outlineOffset: "-2px" },
  ".cm-tooltip": {
    backgroundColor: "var(--panel)",
    color: "var(--fg)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
  },
  ".cm-lintRange-error": {
    textDecoration: "underline wavy var(--deny)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
  },
  ".cm-lintRange-warning": {
    textDecoration: "underline wavy var(--implicit)",
    textDecorationSkipInk: "none",
    textUnderlineOffset: "3px",
  },
  ".cm-lintRange-info": { textDecoration: "underline dotted var(--muted)" },
  ".cm-problem-tooltip": { padding: "4px 8px", maxWidth: "480px", fontFamily: "var(--sans)", whiteSpace: "pre-wrap" },
  ".cm-problem-error": { borderLeft: "3px solid var(--deny)", paddingLeft: "6px" },
  ".cm-problem-warning": { borderLeft: "3px solid var(--implicit)", paddingLeft: "6px" },
});

const highlightStyle = HighlightStyle.define([
  { tag: t.propertyName, color: "var(--syn-key)" },
  { tag: t.string, color: "var(--syn-string)" },
  { tag: t.number, color: "var(--syn-number)" },
  { tag: [t.bool, t.null], color: "var(--syn-atom)" },
  { tag: [t.brace, t.squareBracket, t.separator, t.punctuation], color: "var(--syn-punct)" },
  { tag: t.invalid, color: "var(--deny)" },
]);

function extensions(label, onChange, getId) {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(highlightStyle),
    bracketMatching(),
    highlightActiveLine(),
    json(),
    highlightField,
    problemsField,
    problemTooltip,
    theme,
    EditorState.tabSize.of(2),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ "aria-label": label, "aria-multiline": "true" }),
    keymap.of([
      ...defaultKeymap,
      ...historyKeymap,
    ]),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      if (update.transactions.some((tr) => tr.annotation(fromHost))) return;
      onChange(getId(), update.state.doc.toString());
    }),
  ];
}

// ---- the lazy part: catalog checks, completion, wildcard popover ---------------------------
// Not in this bundle (it counts toward the first load): editor-extras.js (web/editor/src/
// extras.js) is imported after the first render, and it loads the whole engine (the browser
// npm package, widget/lint/iam_policy_wasm.js) and the service catalog (widget/lint/catalog.json). What it
// returns is installed here: functions on window.IamEditor for Rust, editor extensions for
// every editor.

let extras = null; // { ext, marker }: the extensions, and a field that tells they are in a state
const live = new Set();
let lazy = null;
const extrasUrl = "./editor-extras.js";

function withExtras(view) {
  if (extras && !view.state.field(extras.marker, false)) {
    view.dispatch({ effects: StateEffect.appendConfig.of(extras.ext) });
  }
}

// loadCatalog(done(ok, info)): starts the lazy load once (when the browser is idle); `ok` is
// "1" or "" (the same callback type as onChange, for Rust). extras.js installs itself.
function loadCatalog(done) {
  lazy =
    lazy ||
    new Promise((ok) => (window.requestIdleCallback || setTimeout)(ok))
      .then(() => import(extrasUrl)) // beside this script: works under any sub-path
      .then((m) =>
        m.setup({ base: document.baseURI, EditorView, StateField, StateEffect, Prec, keymap, hoverTooltip }, (x) => {
          extras = x;
          for (const h of live) withExtras(h.view);
        })
      );
  lazy.then(
    (info) => done("1", info),
    (e) => done("", String(e))
  );
}

// Lists come from Rust as JSON text (or as arrays from JS callers).
function parseList(v) {
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return [];
    }
  }
  return Array.isArray(v) ? v : [];
}

// ---- the handle Rust holds ---------------------------------------------------------------

class Handle {
  // `before`: an element of `parent` to put the editor in front of (boot.js's text area).
  constructor(parent, id, text, label, onChange, before) {
    this.id = id;
    this.label = label;
    this.saved = new Map(); // document id -> EditorState (keeps undo history per policy)
    this.ext = extensions(label, onChange, () => this.id);
    this.view = new EditorView({
      state: EditorState.create({ doc: text, extensions: this.ext }),
    });
    parent.insertBefore(this.view.dom, before && before.parentNode === parent ? before : null);
    live.add(this);
    withExtras(this.view);
  }

  // Show document `id` with `text`. Switching back to a document restores its undo history.
  setDoc(id, text) {
    if (id !== this.id) {
      this.saved.set(this.id, this.view.state);
      const old = this.saved.get(id);
      this.id = id;
      if (old && old.doc.toString() === text) {
        this.show(old);
        return;
      }
      this.show(EditorState.create({ doc: text, extensions: this.ext }));
      return;
    }
    this.setText(text);
  }

  // A saved or new state, with the lazy extensions when they are loaded.
  show(state) {
    this.view.setState(state);
    withExtras(this.view);
  }

  // Replace the text (no-op when it is already the same, so the cursor is kept while typing).
  setText(text) {
    const cur = this.view.state.doc.toString();
    if (cur === text) return;
    this.view.dispatch({
      changes: { from: 0, to: cur.length, insert: text },
      annotations: fromHost.of(true),
    });
  }

  getText() {
    return this.view.state.doc.toString();
  }

  // diags: [{fromLine, fromCol, toLine, toCol, severity: "error"|"warning"|"info", message}]
  setDiagnostics(diags) {
    diags = parseList(diags);
    const doc = this.view.state.doc;
    const list = [];
    for (const d of diags) {
      let from = toPos(doc, d.fromLine, d.fromCol);
      let to = toPos(doc, d.toLine, d.toCol);
      if (to < from) to = from;
      if (to === from && from < doc.length) to = from + 1; // a visible squiggle
      // The engine's severities (error, warning, info) or, once the catalog is loaded,
      // iam-lint's categories (error, securityWarning, warning, suggestion).
      const severity = d.severity || "error";
      list.push({ from, to, severity, message: String(d.message || "") });
    }
    this.view.dispatch({ effects: setProblems.of(list) });
  }

  // ranges: [{fromLine, fromCol, toLine, toCol}] — the deciding statement(s).
  setHighlight(ranges) {
    const deco = buildHighlight(this.view.state.doc, parseList(ranges));
    this.view.dispatch({ effects: setHighlight.of(deco) });
  }

  // Select a range, scroll it to the middle and focus the editor.
  reveal(fromLine, fromCol, toLine, toCol) {
    const doc = this.view.state.doc;
    const from = toPos(doc, fromLine, fromCol);
    const to = Math.max(from, toPos(doc, toLine, toCol));
    this.view.dispatch({
      selection: { anchor: from, head: to },
      effects: EditorView.scrollIntoView(from, { y: "center" }),
    });
    this.view.focus();
  }

  focus() {
    this.view.focus();
  }

  destroy() {
    live.delete(this);
    this.view.destroy();
    this.saved.clear();
  }
}

// create(parent, id, text, label, onChange(id, text)) -> Handle
function create(parent, id, text, label, onChange) {
  return new Handle(parent, id, text, label, onChange);
}

// ---- taking over a plain text area (boot.js) -----------------------------------------------

// The state of a document whose text started as `base` and went through `steps` (each the whole
// text after one edit, with its time and kind): every step becomes a transaction carrying its
// own time, so CodeMirror's history groups and undoes them as if they had been typed here.
function replay(base, steps, ext) {
  let state = EditorState.create({ doc: base, extensions: ext });
  for (const step of steps) {
    const cur = state.doc.toString();
    const next = step.text;
    if (cur === next) continue;
    const max = Math.min(cur.length, next.length);
    let a = 0;
    while (a < max && cur.charCodeAt(a) === next.charCodeAt(a)) a++;
    let b = 0;
    while (b < max - a && cur.charCodeAt(cur.length - 1 - b) === next.charCodeAt(next.length - 1 - b)) b++;
    const sel = (step.sel || []).map((n) => Math.max(0, Math.min(next.length, n | 0)));
    const annotations = [Transaction.time.of(step.time || Date.now())];
    if (step.event) annotations.push(Transaction.userEvent.of(step.event));
    if (step.host) annotations.push(fromHost.of(true));
    state = state.update({
      changes: { from: a, to: cur.length - b, insert: next.slice(a, next.length - b) },
      selection: sel.length === 2 ? EditorSelection.single(sel[0], sel[1]) : undefined,
      annotations,
    }).state;
  }
  return state;
}

// A record's final state, made to end on `text` (an edit the record missed becomes one more step).
function stateOf(record, text, ext) {
  const steps = text === undefined ? record.steps : [...record.steps, { text, time: Date.now() }];
  return replay(record.base, steps, ext);
}

// adopt(parent, snapshot, label, onChange, before) -> Handle: a CodeMirror editor in place of
// the plain text area `before` (snapshot: boot.js's record of its documents and its state).
function adopt(parent, snap, label, onChange, before) {
  const h = new Handle(parent, snap.id, snap.text, label, onChange, before);
  for (const [id, record] of snap.others) h.saved.set(id, stateOf(record, undefined, h.ext));
  const state = stateOf(snap.current, snap.text, h.ext);
  const len = state.doc.length;
  const [from, to] = snap.selection.map((n) => Math.max(0, Math.min(len, n | 0)));
  h.show(state);
  h.view.dispatch({ selection: EditorSelection.single(from, to) });
  h.view.scrollDOM.scrollTop = snap.scrollTop || 0;
  if (snap.focused) h.view.focus();
  return h;
}

const api = { create, loadCatalog, adopt, version: 1 };
if (window.IamEditor && typeof window.IamEditor.upgrade === "function") {
  window.IamEditor.upgrade(api); // boot.js is on the page: take over its text areas
} else {
  window.IamEditor = api;
}
