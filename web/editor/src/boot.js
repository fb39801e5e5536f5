// The first-load part of the policy editor (dist/editor-boot.js, a few KB): installs
// `window.IamEditor` at once, so the first render shows every policy in a plain, editable,
// labelled text area; right after that render it loads CodeMirror (dist/editor.js, bundled from
// editor.js) and upgrades each text area in place, keeping its text, its selection, its focus and
// its undo history (each edit made in the text area is replayed into CodeMirror's history with
// its own time, so undo steps are grouped as if it had been typed there).
//
// Rust (web/src/editor.rs, catalog.rs) sees the same `IamEditor` functions and handle methods
// before and after the upgrade. When CodeMirror cannot load (offline on a first visit) the
// text areas stay and everything else works.

(function () {
  if (window.IamEditor) return; // the full editor is already on the page (component tests)

  // Where the full editor is: beside this script (any sub-path; Trunk hashes this file's name).
  const here = document.currentScript && document.currentScript.src;
  const fullUrl = new URL("editor.js", here || document.baseURI).href;

  let full = null; // the full editor's API once loaded ({ create, loadCatalog, adopt })
  let loading = null;
  const live = new Set(); // facades still showing a plain text area

  function loadFull() {
    loading =
      loading ||
      new Promise((ok, fail) => {
        const s = document.createElement("script");
        s.src = fullUrl;
        s.async = true;
        s.onerror = () => fail(new Error("the code editor (editor.js) could not be loaded"));
        // editor.js calls IamEditor.upgrade(api) when it runs.
        boot.resolve = ok;
        document.head.appendChild(s);
      });
    loading.catch(() => {}); // the text areas stay; callers see the error where they wait
    return loading;
  }

  // After the first render: the page is drawn and the app's WebAssembly has run.
  function loadSoon() {
    const later = () => setTimeout(() => loadFull().catch(() => {}), 0);
    if (window.requestAnimationFrame) requestAnimationFrame(later);
    else later();
  }

  // 1-based line and character column -> UTF-16 offset in `text` (clamped).
  function offsetOf(text, line, col) {
    let pos = 0;
    for (let l = 1; l < line; l++) {
      const nl = text.indexOf("\n", pos);
      if (nl < 0) return text.length;
      pos = nl + 1;
    }
    for (let c = 1; c < col && pos < text.length && text[pos] !== "\n"; c++) {
      const code = text.codePointAt(pos);
      pos += code > 0xffff ? 2 : 1;
    }
    return pos;
  }

  // The editor before CodeMirror: a text area, and the record of every change to its text
  // (per document), which the upgrade replays into CodeMirror's undo history.
  class Plain {
    constructor(parent, id, text, label, onChange) {
      this.parent = parent;
      this.id = id;
      this.label = label;
      this.onChange = onChange;
      this.docs = new Map(); // document id -> { base, steps, sel } of the documents not shown
      this.cur = { base: text, steps: [] };
      const ta = document.createElement("textarea");
      ta.className = "editor-fallback editor-plain";
      ta.setAttribute("aria-label", label);
      ta.setAttribute("aria-multiline", "true");
      ta.spellcheck = false;
      ta.value = text;
      ta.style.height = "100%";
      ta.style.resize = "none";
      ta.style.tabSize = "2";
      ta.addEventListener("input", (e) => {
        this.record(e.inputType);
        this.onChange(this.id, ta.value);
      });
      this.ta = ta;
      parent.appendChild(ta);
    }

    record(inputType) {
      const ta = this.ta;
      this.cur.steps.push({
        text: ta.value,
        time: Date.now(),
        // CodeMirror's names for the kinds of edit (they decide how undo steps group).
        event: !inputType
          ? undefined
          : /^delete/.test(inputType)
            ? inputType === "deleteContentForward"
              ? "delete.forward"
              : "delete.backward"
            : /Paste/.test(inputType)
              ? "input.paste"
              : /^(historyUndo|historyRedo)$/.test(inputType)
                ? undefined
                : "input.type",
        sel: [ta.selectionStart, ta.selectionEnd],
      });
    }

    setDoc(id, text) {
      if (id !== this.id) {
        this.docs.set(this.id, this.cur);
        const old = this.docs.get(id);
        this.docs.delete(id);
        this.id = id;
        const oldText = old && (old.steps.length ? old.steps[old.steps.length - 1].text : old.base);
        this.cur = old && oldText === text ? old : { base: text, steps: [] };
        this.ta.value = text;
        return;
      }
      if (this.ta.value === text) return;
      this.ta.value = text;
      this.cur.steps.push({ text, time: Date.now(), event: undefined, sel: [text.length, text.length], host: true });
    }

    getText() {
      return this.ta.value;
    }

    reveal(fromLine, fromCol, toLine, toCol) {
      const t = this.ta.value;
      const from = offsetOf(t, fromLine, fromCol);
      const to = Math.max(from, offsetOf(t, toLine, toCol));
      this.ta.focus();
      this.ta.setSelectionRange(from, to);
    }

    focus() {
      this.ta.focus();
    }

    destroy() {
      this.ta.remove();
    }

    // What the upgrade needs: every document's record, the text area's state.
    snapshot() {
      const ta = this.ta;
      return {
        id: this.id,
        current: this.cur,
        text: ta.value,
        others: this.docs,
        selection: [ta.selectionStart, ta.selectionEnd],
        focused: document.activeElement === ta,
        scrollTop: ta.scrollTop,
      };
    }
  }

  // The object Rust holds: forwards to the plain editor, then to CodeMirror's handle.
  class Facade {
    constructor(parent, id, text, label, onChange) {
      this.args = { parent, label, onChange };
      this.impl = new Plain(parent, id, text, label, onChange);
      this.diags = null;
      this.ranges = null;
      live.add(this);
    }

    upgrade() {
      if (!live.has(this)) return;
      live.delete(this);
      const plain = this.impl;
      const { parent, label, onChange } = this.args;
      this.impl = full.adopt(parent, plain.snapshot(), label, onChange, plain.ta);
      plain.destroy();
      if (this.diags !== null) this.impl.setDiagnostics(this.diags);
      if (this.ranges !== null) this.impl.setHighlight(this.ranges);
    }

    setDoc(id, text) {
      this.impl.setDoc(id, text);
    }
    setDiagnostics(diags) {
      if (this.impl instanceof Plain) this.diags = diags;
      else this.impl.setDiagnostics(diags);
    }
    setHighlight(ranges) {
      if (this.impl instanceof Plain) this.ranges = ranges;
      else this.impl.setHighlight(ranges);
    }
    reveal(a, b, c, d) {
      this.impl.reveal(a, b, c, d);
    }
    focus() {
      this.impl.focus();
    }
    getText() {
      return this.impl.getText();
    }
    destroy() {
      live.delete(this);
      this.impl.destroy();
    }
  }

  const boot = {
    version: 1,
    // create(parent, id, text, label, onChange(id, text)) -> handle
    create(parent, id, text, label, onChange) {
      if (full) return full.create(parent, id, text, label, onChange);
      const f = new Facade(parent, id, text, label, onChange);
      loadSoon();
      return f;
    },
    // The lazy catalog checks (editor-extras.js) need CodeMirror first.
    loadCatalog(done) {
      loadFull().then(
        () => full.loadCatalog(done),
        (e) => done("", String(e))
      );
    },
    // Called by editor.js when it has loaded.
    upgrade(api) {
      full = api;
      for (const f of [...live]) {
        try {
          f.upgrade();
        } catch (e) {
          live.delete(f); // keep the text area: the page stays usable
          console.error("the code editor could not replace the text area:", e);
        }
      }
      if (boot.resolve) boot.resolve(api);
    },
  };
  window.IamEditor = boot;
})();
