// <iam-policy-playground>: the IAM policy playground as an element for documentation pages.
//
//   <script type="module" src="https://…/widget/iam-policy-playground.js"></script>
//   <iam-policy-playground>
//     <script type="application/json">{ "policies": { … }, "requests": [ … ] }</script>
//   </iam-policy-playground>
//
// No build step and no dependencies: this module loads the policy engine (WebAssembly,
// built from crates/iam-policy-wasm) from its own folder and fetches nothing else. Everything
// it shows lives in a shadow root with its own styles, so the page cannot restyle it and it
// cannot restyle the page. See web/widget/README.md for the attributes.

import init, { simulate, shareText, loadManagedPolicies } from "./iam_policy_wasm.js";

const TAG = "iam-policy-playground";
const DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:user/alice";

/** The engine, loaded once for every widget of the page, from this module's own folder. */
let engine = null;
function loadEngine() {
  engine ??= init({ module_or_path: new URL("./iam_policy_wasm_bg.wasm", import.meta.url) }).then(
    () => ({ ok: true }),
    (e) => ({ ok: false, error: String((e && e.message) || e) }),
  );
  return engine;
}

/**
 * The share-link fragment of a scenario (`s=1.…`): the engine's `shareText` (the scenario's
 * JSON as links carry it) compressed with the browser's own raw DEFLATE, in base64url without
 * padding — the format of the playground's links and the npm package's `shareFragment`, whose
 * compressor the widget's WebAssembly leaves out.
 */
async function shareFragment(text) {
  const packed = new Blob([text.json]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = new Uint8Array(await new Response(packed).arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return text.prefix + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The AWS managed policies (managed-policies.json beside this module, ~6 MB): fetched once,
 * and only when a scenario references one (`{"managed": "AWSImageBuilderFullAccess"}`).
 */
let managed = null;
function loadManaged() {
  managed ??= loadEngine()
    .then((e) => {
      if (!e.ok) return e;
      return fetch(new URL("./managed-policies.json", import.meta.url))
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
        .then((text) => {
          const out = loadManagedPolicies(text);
          return out.ok ? { ok: true } : { ok: false, error: out.error };
        });
    })
    .catch((e) => ({ ok: false, error: `the AWS managed policies could not be loaded: ${(e && e.message) || e}` }));
  return managed;
}

/** `{"managed": "…"}` (a reference to an AWS managed policy), else null. */
function managedReference(text) {
  if (!/"managed"/.test(text)) return null;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.managed === "string" ? v : null;
  } catch {
    return null;
  }
}

const DECISIONS = {
  allowed: { label: "Allowed", cls: "allowed", icon: "✓" },
  explicitDeny: { label: "Explicit deny", cls: "deny", icon: "✕" },
  implicitDeny: { label: "Implicit deny", cls: "implicit", icon: "–" },
};

const STYLE = `
:host { display: block !important; contain: content; }
:host([hidden]) { display: none !important; }
.root {
  all: initial;
  display: block;
  box-sizing: border-box;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px;
  line-height: 1.45;
  color: var(--fg);
  background: var(--panel);
  border: 1px solid var(--border);
  border-radius: 10px;
  overflow: hidden;
  text-align: left;
  --fg: #1d2433; --muted: #5f6b7a; --panel: #ffffff; --sunk: #f6f7f9; --border: #d9dee5;
  --accent: #b45309; --focus: #2563eb; --link: #1d4ed8;
  --allow: #137333; --allow-bg: #e6f4ea; --deny: #b3261e; --deny-bg: #fce8e6;
  --implicit: #7a5a00; --implicit-bg: #fef3c7; --mark: rgba(250, 204, 21, 0.28); --mark-edge: #d97706;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  color-scheme: light;
}
@media (prefers-color-scheme: dark) {
  :host(:not([theme="light"])) .root {
    --fg: #e6e9ee; --muted: #9aa5b1; --panel: #171d24; --sunk: #12171d; --border: #2b3540;
    --accent: #f59e0b; --focus: #60a5fa; --link: #93c5fd;
    --allow: #6ee7a0; --allow-bg: #12351f; --deny: #fca5a5; --deny-bg: #43181a;
    --implicit: #fcd34d; --implicit-bg: #3a2d07; --mark: rgba(250, 204, 21, 0.14); --mark-edge: #f59e0b;
    color-scheme: dark;
  }
}
:host([theme="dark"]) .root {
  --fg: #e6e9ee; --muted: #9aa5b1; --panel: #171d24; --sunk: #12171d; --border: #2b3540;
  --accent: #f59e0b; --focus: #60a5fa; --link: #93c5fd;
  --allow: #6ee7a0; --allow-bg: #12351f; --deny: #fca5a5; --deny-bg: #43181a;
  --implicit: #fcd34d; --implicit-bg: #3a2d07; --mark: rgba(250, 204, 21, 0.14); --mark-edge: #f59e0b;
  color-scheme: dark;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
header {
  display: flex; align-items: center; gap: 10px; padding: 9px 14px;
  border-bottom: 1px solid var(--border); background: var(--sunk);
}
.logo {
  flex: none; width: 20px; height: 20px; border-radius: 5px; background: var(--accent);
  display: grid; place-items: center;
}
.logo svg { width: 14px; height: 14px; display: block; }
.title { flex: 1; min-width: 0; margin: 0; font-size: 14px; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.open {
  flex: none; color: var(--link); text-decoration: none; font-size: 13px; font-weight: 500;
  border: 1px solid var(--border); border-radius: 6px; padding: 3px 9px; background: var(--panel);
}
.open:hover { text-decoration: underline; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible {
  outline: 2px solid var(--focus); outline-offset: 1px;
}
.body { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.compact .body, .narrow .body { grid-template-columns: minmax(0, 1fr); }
.pane { padding: 12px 14px; min-width: 0; }
.policies { border-right: 1px solid var(--border); background: var(--panel); }
.compact .policies, .narrow .policies { border-right: 0; border-bottom: 1px solid var(--border); }
.label { display: block; font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; margin: 0 0 6px; }
.policy + .policy { margin-top: 12px; }
details.fold > summary { cursor: pointer; color: var(--muted); font-size: 13px; font-weight: 600; list-style-position: inside; }
details.fold[open] > summary { margin-bottom: 8px; }
.code {
  margin: 0; font-family: var(--mono); font-size: 12.5px; line-height: 1.5; color: var(--fg);
  background: var(--sunk); border: 1px solid var(--border); border-radius: 6px; padding: 6px 0;
  overflow: auto; max-height: 420px; white-space: pre; tab-size: 2;
}
.code .ln { display: block; padding: 0 10px 0 0; }
.code .ln::before {
  content: attr(data-n); display: inline-block; width: 3ch; margin-right: 10px; text-align: right;
  color: var(--muted); opacity: .7;
}
.code .ln.mark { background: var(--mark); box-shadow: inset 3px 0 0 var(--mark-edge); }
textarea.code {
  display: block; width: 100%; resize: vertical; padding: 6px 10px; min-height: 120px;
  outline-offset: 0;
}
.diags { list-style: none; margin: 6px 0 0; padding: 0; font-size: 12.5px; }
.diags li { color: var(--deny); padding: 2px 0; }
.diags li.warning { color: var(--implicit); }
.diags .hint { color: var(--muted); }
.tabs { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; }
.tab {
  display: inline-flex; align-items: center; gap: 6px; max-width: 100%;
  font: inherit; font-size: 13px; color: var(--fg); background: var(--panel);
  border: 1px solid var(--border); border-radius: 999px; padding: 3px 10px 3px 4px; cursor: pointer;
}
.tab[aria-selected="true"] { border-color: var(--focus); box-shadow: 0 0 0 1px var(--focus); }
.tab .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.dot {
  flex: none; display: inline-grid; place-items: center; width: 18px; height: 18px; border-radius: 50%;
  font-size: 11px; font-weight: 700; background: var(--sunk); color: var(--muted);
}
.dot.allowed { background: var(--allow-bg); color: var(--allow); }
.dot.deny { background: var(--deny-bg); color: var(--deny); }
.dot.implicit { background: var(--implicit-bg); color: var(--implicit); }
.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 6px 10px; align-items: center; margin: 0 0 12px; }
.fields label { font-size: 12.5px; color: var(--muted); font-family: var(--mono); }
.fields input {
  font: inherit; font-family: var(--mono); font-size: 12.5px; color: var(--fg); background: var(--panel);
  border: 1px solid var(--border); border-radius: 5px; padding: 4px 7px; width: 100%; min-width: 0;
}
.fields input[readonly] { background: var(--sunk); border-color: transparent; }
.fields input::placeholder { color: var(--muted); opacity: .8; }
.verdict { border-radius: 8px; padding: 10px 12px; background: var(--sunk); border: 1px solid var(--border); }
.verdict.allowed { background: var(--allow-bg); border-color: color-mix(in srgb, var(--allow) 35%, transparent); }
.verdict.deny { background: var(--deny-bg); border-color: color-mix(in srgb, var(--deny) 35%, transparent); }
.verdict.implicit { background: var(--implicit-bg); border-color: color-mix(in srgb, var(--implicit) 35%, transparent); }
.decision { display: flex; align-items: center; gap: 8px; font-size: 15px; font-weight: 700; margin: 0 0 4px; }
.allowed .decision { color: var(--allow); }
.deny .decision { color: var(--deny); }
.implicit .decision { color: var(--implicit); }
.sentence { margin: 0; }
.meta { margin: 6px 0 0; font-size: 12.5px; color: var(--muted); }
.meta.fail { color: var(--deny); font-weight: 600; }
.why { margin-top: 10px; }
.why > summary { cursor: pointer; font-size: 13px; font-weight: 600; color: var(--muted); }
.layer { margin: 8px 0 0; }
.layer-head { font-size: 12.5px; font-weight: 600; margin: 0 0 4px; }
.stmts { list-style: none; margin: 0; padding: 0; }
.stmt { margin: 0 0 6px; padding: 6px 8px; border: 1px solid var(--border); border-radius: 6px; background: var(--panel); }
.stmt.applies { border-color: var(--mark-edge); }
.stmt-head { font-size: 13px; }
.stmt-head .at { color: var(--muted); font-size: 12px; }
.checks { list-style: none; margin: 4px 0 0; padding: 0; font-size: 12.5px; }
.checks li { display: flex; gap: 6px; padding: 1px 0; }
.checks .mark { flex: none; width: 1.1em; text-align: center; font-weight: 700; }
.checks .yes .mark { color: var(--allow); }
.checks .no .mark { color: var(--deny); }
.checks .no { color: var(--fg); }
.error { color: var(--deny); background: var(--deny-bg); border-radius: 6px; padding: 8px 10px; margin: 0; font-size: 13px; white-space: pre-wrap; }
.loading { color: var(--muted); padding: 14px; margin: 0; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

let sheet = null;
function styleShadow(shadow) {
  // A constructed stylesheet is shared by every widget and needs no inline-style CSP allowance.
  try {
    sheet ??= new CSSStyleSheet();
    if (sheet.cssRules.length === 0) sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    const s = document.createElement("style");
    s.textContent = STYLE;
    shadow.append(s);
  }
}

/** A tiny element builder: h("div", { class: "x", onclick }, child, "text", …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const LOGO = `<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M4 8.5l2.5 2.5L12 5" stroke="white" stroke-width="2" fill="none"/></svg>`;

function parseJson(text, what) {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: `${what} is not valid JSON: ${e.message}` };
  }
}

/** One policy of the scenario as the widget holds it: its layer path and its text. */
function flattenPolicies(policies) {
  const out = [];
  const text = (p) => (typeof p === "string" ? p : JSON.stringify(p, null, 2));
  for (const [i, p] of (policies.identity ?? []).entries()) out.push({ id: `identity/${i}`, text: text(p) });
  for (const k of ["resource", "permissionsBoundary", "session"]) if (policies[k] != null) out.push({ id: k, text: text(policies[k]) });
  for (const k of ["scps", "rcps"])
    for (const [l, level] of (policies[k] ?? []).entries())
      for (const [i, p] of (level ?? []).entries()) out.push({ id: `${k}/${l}/${i}`, text: text(p) });
  for (const [i, p] of (policies.vpcEndpoint ?? []).entries()) out.push({ id: `vpcEndpoint/${i}`, text: text(p) });
  return out;
}

/** Back from the widget's texts to the scenario's `policies` (objects where the text is JSON). */
function buildPolicies(list, asObjects) {
  const policies = {};
  const value = (t) => {
    // A managed policy reference stays an object, as the scenario format wants it.
    const reference = managedReference(t);
    if (reference) return reference;
    if (!asObjects) return t;
    try {
      const v = JSON.parse(t);
      return v && typeof v === "object" && !Array.isArray(v) ? v : t;
    } catch {
      return t;
    }
  };
  for (const { id, text } of list) {
    const [layer, a, b] = id.split("/");
    if (layer === "scps" || layer === "rcps") {
      policies[layer] ??= [];
      (policies[layer][Number(a)] ??= [])[Number(b)] = value(text);
    } else if (a !== undefined) {
      (policies[layer] ??= [])[Number(a)] = value(text);
    } else {
      policies[layer] = value(text);
    }
  }
  return policies;
}

function contextToText(v) {
  if (Array.isArray(v)) return v.map(String).join(", ");
  if (v === null || v === undefined) return "";
  return String(v);
}

function textToContext(text, multi) {
  const t = text.trim();
  if (t === "") return undefined;
  if (multi) return t.split(",").map((s) => s.trim()).filter((s) => s !== "");
  return t;
}

/** Condition keys any statement of any traced policy tests, in order of appearance. */
function conditionKeys(results) {
  const keys = [];
  for (const r of results)
    for (const l of r.authorization?.layers ?? [])
      for (const p of l.policies)
        for (const s of p.statements) for (const c of s.conditions) if (!c.key.includes("${")) keys.push(c.key);
  return keys;
}

function uniqueKeys(keys) {
  const seen = new Map();
  for (const k of keys) if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
  return [...seen.values()];
}

class IamPolicyPlayground extends HTMLElement {
  static get observedAttributes() {
    return ["policy", "principal", "action", "resource", "context", "expect", "name", "readonly", "compact", "playground"];
  }

  constructor() {
    super();
    this._shadow = this.attachShadow({ mode: "open" });
    styleShadow(this._shadow);
    this._root = h("div", { class: "root", part: "root" });
    this._shadow.append(this._root);
    this._selected = 0;
    this._output = null;
    this._timer = 0;
    this._uid = `ipp${Math.random().toString(36).slice(2, 8)}`;
  }

  connectedCallback() {
    if (this._started) return;
    this._started = true;
    this._root.replaceChildren(h("p", { class: "loading", role: "status", text: "Loading the policy engine…" }));
    // Inline JSON may still be parsing when the element is upgraded: wait for the document.
    const go = () => this._load();
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go, { once: true });
    else queueMicrotask(go);
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (!this._loaded || oldValue === newValue) return;
    if (name === "compact") this._root.classList.toggle("compact", this.compact);
    if (name === "playground") return this._evaluate();
    this._load();
  }

  get readonly() {
    return this.hasAttribute("readonly");
  }

  get compact() {
    return this.hasAttribute("compact");
  }

  /** The scenario being shown, with the reader's edits (policies as given, or as text when edited). */
  get scenario() {
    return this._scenarioFromState(true);
  }

  /** The last result of `simulate` (the package's SimulateOutput or Failure). */
  get result() {
    return this._output;
  }

  /** Where "Open in playground" points: the `playground` attribute, else the playground this widget was built with. */
  get playgroundUrl() {
    const attr = this.getAttribute("playground");
    if (attr === "none") return null;
    try {
      const url = new URL(attr || "../", attr ? document.baseURI : import.meta.url);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href.split("#")[0] : null;
    } catch {
      return null;
    }
  }

  async _load() {
    const loaded = await loadEngine();
    const config = this._readConfig();
    this._loaded = true;
    this._root.classList.toggle("compact", this.compact);
    if (!loaded.ok) return this._fatal(`The policy engine could not be loaded: ${loaded.error}`);
    if (!config.ok) return this._fatal(config.error);
    const s = config.scenario;
    this._meta = { name: s.name, description: s.description, format: s.format };
    this._policies = flattenPolicies(s.policies ?? {});
    if (this._policies.some((p) => managedReference(p.text))) {
      const m = await loadManaged();
      if (!m.ok) return this._fatal(m.error);
    }
    this._edited = false;
    this._requests = (s.requests ?? []).map((r) => ({ ...r, context: { ...(r.context ?? {}) } }));
    this._multi = new Set();
    for (const r of this._requests)
      for (const [k, v] of Object.entries(r.context)) if (Array.isArray(v)) this._multi.add(k.toLowerCase());
    this._selected = Math.min(this._selected, Math.max(0, this._requests.length - 1));
    // The engine's titles of the policies ("Identity policy 1", "SCP 1 · level 1"): the
    // policies alone, so that a request the engine cannot read yet does not hide them.
    const described = this._run(() => simulate({ policies: buildPolicies(this._policies, false) }));
    this._titles = new Map(described.ok ? described.policies.map((p) => [p.policy, p.title]) : []);
    const first = this._run(() => simulate(this._scenarioFromState(false)));
    this._keys = uniqueKeys([
      ...this._requests.flatMap((r) => Object.keys(r.context)),
      ...(first.ok ? conditionKeys(first.results) : []),
    ]);
    this._build();
    this._evaluate();
  }

  /** Reads the scenario from inline JSON, else from attributes. */
  _readConfig() {
    const inline = [...this.children].find((c) => c.localName === "script" && /json/i.test(c.type));
    if (inline) {
      const j = parseJson(inline.textContent, "The scenario in <script type=\"application/json\">");
      if (!j.ok) return j;
      const v = j.value;
      if (!v || typeof v !== "object" || Array.isArray(v)) return { ok: false, error: "The inline JSON must be a scenario object: { \"policies\": …, \"requests\": … }." };
      // A bare policy document is accepted too: it becomes the identity-based policy.
      if ("Statement" in v) return { ok: true, scenario: { policies: { identity: [v] }, requests: this._attrRequests() } };
      return { ok: true, scenario: v };
    }
    const policy = this.getAttribute("policy");
    if (!policy) return { ok: false, error: "No policy: give the element a policy=\"{…}\" attribute or a <script type=\"application/json\"> scenario." };
    // Shown pretty-printed (an attribute is usually one line); text that is not JSON stays as
    // written, so that the engine reports where its problem is.
    const parsed = parseJson(policy, "The policy attribute");
    const identity = parsed.ok && parsed.value && typeof parsed.value === "object" && !Array.isArray(parsed.value) ? parsed.value : policy;
    return { ok: true, scenario: { name: this.getAttribute("name") ?? undefined, policies: { identity: [identity] }, requests: this._attrRequests() } };
  }

  _attrRequests() {
    const ctx = this.getAttribute("context");
    let context = {};
    if (ctx) {
      const j = parseJson(ctx, "The context attribute");
      context = j.ok && j.value && typeof j.value === "object" ? j.value : {};
    }
    const r = {
      principal: this.getAttribute("principal") || DEFAULT_PRINCIPAL,
      action: this.getAttribute("action") || "",
      resource: this.getAttribute("resource") || "*",
      context,
    };
    if (this.getAttribute("expect")) r.expect = this.getAttribute("expect");
    return [r];
  }

  _scenarioFromState(asObjects) {
    const s = {};
    if (this._meta?.format !== undefined) s.format = this._meta.format;
    if (this._meta?.name) s.name = this._meta.name;
    if (this._meta?.description) s.description = this._meta.description;
    s.policies = buildPolicies(this._policies ?? [], asObjects);
    s.requests = (this._requests ?? []).map((r) => {
      const out = { ...r, context: { ...r.context } };
      if (Object.keys(out.context).length === 0) delete out.context;
      if (out.name === undefined) delete out.name;
      if (out.expect === undefined) delete out.expect;
      return out;
    });
    return s;
  }

  _fatal(message) {
    this._root.replaceChildren(h("p", { class: "error", role: "alert", text: message }));
  }

  /** Builds the parts that do not change while the reader types. */
  _build() {
    const ro = this.readonly;
    const title = this._meta.name || "IAM policy";
    this._link = h("a", { class: "open", target: "_blank", rel: "noopener", text: "Open in playground ↗" });
    const header = h("header", {}, h("span", { class: "logo" }), h("h2", { class: "title", title, text: title }), this._link);
    header.firstChild.innerHTML = LOGO;

    // Policies: text areas (editable) or numbered lines (readonly).
    this._policyViews = this._policies.map((p, i) => {
      const label = this._titles.get(p.id) ?? p.id;
      const id = `${this._uid}-p${i}`;
      const diags = h("ul", { class: "diags", "aria-live": "polite" });
      let view;
      if (ro) {
        view = h("pre", { class: "code", id, tabindex: 0, "aria-label": `${label} (JSON)` });
      } else {
        view = h("textarea", {
          class: "code", id, spellcheck: "false", autocapitalize: "off", autocomplete: "off", wrap: "off",
          rows: Math.min(24, p.text.split("\n").length + 1),
          oninput: (e) => {
            p.text = e.target.value;
            this._edited = true;
            this._schedule();
          },
        });
        view.value = p.text;
      }
      const box = h("div", { class: "policy" }, h("label", { class: "label", for: id, text: label }), view, diags);
      return { policy: p, view, diags, box, label };
    });
    const policyBoxes = this._policyViews.map((v) => v.box);
    const statements = this._policies.length === 1 ? "Policy" : `${this._policies.length} policies`;
    const policies = h(
      "section",
      { class: "pane policies", "aria-label": "Policies" },
      this.compact ? h("details", { class: "fold", open: true }, h("summary", { text: `${statements} (JSON)` }), policyBoxes) : policyBoxes,
    );

    // Requests: one tab per request, the selected one's fields and verdict.
    this._tabs = this._requests.map((r, i) =>
      h(
        "button",
        {
          class: "tab", type: "button", role: "tab", id: `${this._uid}-t${i}`,
          "aria-controls": `${this._uid}-panel`,
          onclick: () => this._select(i),
          onkeydown: (e) => {
            const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
            if (!d) return;
            e.preventDefault();
            const n = (i + d + this._requests.length) % this._requests.length;
            this._select(n);
            this._tabs[n].focus();
          },
        },
        h("span", { class: "dot", "aria-hidden": "true" }),
        h("span", { class: "name", title: r.name || r.action, text: r.name || r.action }),
        h("span", { class: "sr" }),
      ),
    );
    this._fields = h("div", { class: "fields" });
    this._verdict = h("div", { class: "verdict", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this._why = h("details", { class: "why", open: !this.compact }, h("summary", { text: "Why" }));
    this._panel = h(
      "div",
      { id: `${this._uid}-panel`, role: "tabpanel" },
      this._fields,
      this._verdict,
      this._why,
    );
    const requests = h(
      "section",
      { class: "pane requests", "aria-label": "Requests" },
      h("span", { class: "label", text: this._requests.length === 1 ? "Request" : "Requests" }),
      this._requests.length > 1 ? h("div", { class: "tabs", role: "tablist", "aria-label": "Requests" }, this._tabs) : null,
      this._requests.length ? this._panel : h("p", { class: "meta", text: "This scenario has no requests." }),
    );
    this._root.replaceChildren(header, h("div", { class: "body" }, policies, requests));
    this._observeWidth();
    this._select(this._selected, false);
  }

  /** Stacks the panes when the widget is narrow, whatever the page's width. */
  _observeWidth() {
    if (this._resize || typeof ResizeObserver === "undefined") return;
    this._resize = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 800;
      this._root.classList.toggle("narrow", w < 640);
    });
    this._resize.observe(this);
  }

  _select(i, evaluate = true) {
    this._selected = i;
    this._tabs.forEach((t, j) => {
      t.setAttribute("aria-selected", String(i === j));
      t.tabIndex = i === j ? 0 : -1;
    });
    this._panel.setAttribute("aria-labelledby", this._tabs[i]?.id ?? "");
    this._buildFields();
    if (evaluate) this._render();
  }

  _buildFields() {
    const r = this._requests[this._selected];
    if (!r) return;
    const ro = this.readonly;
    const rows = [];
    const field = (key, label, value, set, placeholder) => {
      const id = `${this._uid}-f-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
      const input = h("input", {
        id, type: "text", spellcheck: "false", autocomplete: "off", autocapitalize: "off",
        readonly: ro, placeholder, "data-key": key,
        oninput: (e) => {
          set(e.target.value);
          this._schedule();
        },
      });
      input.value = value;
      rows.push(h("label", { for: id, text: label }), input);
    };
    field("principal", "Principal", r.principal, (v) => (r.principal = v));
    field("action", "Action", r.action, (v) => (r.action = v));
    field("resource", "Resource", r.resource, (v) => (r.resource = v));
    for (const key of this._keys) {
      const have = Object.keys(r.context).find((k) => k.toLowerCase() === key.toLowerCase());
      const multi = this._multi.has(key.toLowerCase());
      field(
        `ctx-${key}`, key, contextToText(have ? r.context[have] : undefined),
        (v) => {
          const name = Object.keys(r.context).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
          const value = textToContext(v, multi);
          if (value === undefined) delete r.context[name];
          else r.context[name] = value;
        },
        multi ? "not in the request (a, b, … for several values)" : "not in the request",
      );
    }
    this._fields.replaceChildren(...rows);
  }

  _schedule() {
    clearTimeout(this._timer);
    this._timer = setTimeout(() => this._evaluate(), 60);
  }

  /** Calls the engine; an engine failure (a bug) becomes a value like any other failure. */
  _run(call) {
    try {
      return call();
    } catch (e) {
      return { ok: false, error: `internal error in the policy engine: ${(e && e.message) || e}`, diagnostics: [] };
    }
  }

  /** Runs the engine on the current state and shows the result. */
  _evaluate() {
    if (!this._policies) return;
    // A managed policy reference typed in: load the managed policies, then decide again.
    if (managed === null && this._policies.some((p) => managedReference(p.text))) {
      loadManaged().then(() => this._evaluate());
    }
    this._output = this._run(() => simulate(this._scenarioFromState(false), "widget"));
    const share = this._run(() => shareText(this._scenarioFromState(true)));
    const base = this.playgroundUrl;
    this._link.hidden = !base || !share.ok;
    // The link of this very state: none until it is compressed (a moment), so that it never
    // opens an earlier state.
    const turn = (this._linkTurn = (this._linkTurn || 0) + 1);
    this._link.removeAttribute("href");
    if (base && share.ok) {
      shareFragment(share).then(
        (fragment) => {
          if (turn === this._linkTurn) this._link.href = `${base}#${fragment}`;
        },
        () => {
          if (turn === this._linkTurn) this._link.hidden = true;
        },
      );
    }
    this._link.setAttribute("aria-label", "Open this scenario in the IAM policy playground (new tab)");
    this._render();
    this.dispatchEvent(new CustomEvent("evaluate", { detail: this._output }));
  }

  _render() {
    const out = this._output;
    if (!out) return;
    const result = out.ok ? out.results[this._selected] : null;

    // Tabs: one decision dot each.
    this._tabs.forEach((t, i) => {
      const r = out.ok ? out.results[i] : null;
      const d = r && DECISIONS[r.decision];
      const dot = t.querySelector(".dot");
      dot.className = `dot ${d ? d.cls : ""}`;
      dot.textContent = d ? d.icon : "!";
      t.querySelector(".sr").textContent = `: ${d ? d.label : "error"}`;
    });

    // Policies: diagnostics, and the deciding statements marked (readonly view).
    const marks = new Map();
    if (result?.authorization) {
      const deciding = new Set(result.decidingStatements.map((s) => `${s.policy}#${s.statement}`));
      for (const l of result.authorization.layers)
        for (const p of l.policies)
          for (const s of p.statements)
            if (deciding.has(`${p.policy}#${s.index}`)) {
              const set = marks.get(p.policy) ?? new Set();
              for (let n = s.span.start.line; n <= s.span.end.line; n++) set.add(n);
              marks.set(p.policy, set);
            }
    }
    for (const v of this._policyViews) {
      const report = out.ok ? out.policies.find((p) => p.policy === v.policy.id) : null;
      const diags = report ? report.diagnostics : [];
      v.diags.replaceChildren(
        ...diags.map((d) =>
          h(
            "li",
            { class: d.severity },
            `Line ${d.span.start.line}, column ${d.span.start.column}: ${d.message}`,
            d.hint ? h("span", { class: "hint", text: ` — ${d.hint}` }) : null,
          ),
        ),
      );
      if (v.view.localName === "pre") {
        const mark = marks.get(v.policy.id) ?? new Set();
        v.view.replaceChildren(
          ...v.policy.text.split("\n").map((line, n) =>
            h("span", { class: `ln${mark.has(n + 1) ? " mark" : ""}`, "data-n": n + 1, text: line === "" ? " " : line }),
          ),
        );
      } else {
        v.view.setAttribute("aria-invalid", String(diags.some((d) => d.severity === "error")));
      }
    }

    // Verdict.
    if (!out.ok) {
      this._verdict.className = "verdict";
      this._verdict.replaceChildren(h("p", { class: "error", text: out.error.replace(/^the scenario cannot be read: line \d+, column \d+: /, "") }));
      const hint = out.diagnostics.find((d) => d.hint)?.hint;
      if (hint) this._verdict.append(h("p", { class: "meta", text: `Fix: ${hint}` }));
      this._why.hidden = true;
      return;
    }
    if (!result) return;
    if (result.error) {
      this._verdict.className = "verdict";
      this._verdict.replaceChildren(h("p", { class: "error", text: result.rejection ?? result.error }));
      this._why.hidden = true;
      return;
    }
    const d = DECISIONS[result.decision];
    this._verdict.className = `verdict ${d.cls}`;
    const parts = [
      h("p", { class: "decision" }, h("span", { class: `dot ${d.cls}`, "aria-hidden": "true", text: d.icon }), d.label),
      h("p", { class: "sentence", text: result.explanation.decision }),
      ...result.explanation.nearMisses.map((m) => h("p", { class: "meta near", text: capitalize(m.sentence) })),
      ...result.explanation.notes.map((n) => h("p", { class: "meta", text: n })),
    ];
    if (result.missingContext.length)
      parts.push(h("p", { class: "meta", text: `Not in the request: ${result.missingContext.join(", ")} (a condition needed ${result.missingContext.length === 1 ? "it" : "them"}).` }));
    if (result.expect)
      parts.push(
        h("p", {
          class: `meta${result.pass ? "" : " fail"}`,
          // The playground's words (web/src/components/trace.rs).
          text: result.pass
            ? `✓ As expected (${DECISIONS[result.expect].label}).`
            : `✗ Expected ${DECISIONS[result.expect].label}, but the decision is ${DECISIONS[result.decision]?.label ?? "none"}.`,
        }),
      );
    this._verdict.replaceChildren(...parts);

    // Why: every layer, policy and statement, in words.
    this._why.hidden = false;
    const summary = this._why.querySelector("summary");
    const many = this._policies.length > 1;
    const layers = result.explanation.layers
      .filter((l) => many || l.policies.length > 0)
      .map((l) =>
        h(
          "div",
          { class: "layer" },
          many ? h("p", { class: "layer-head", text: `${l.title} — ${l.verdict}` }) : null,
          l.policies.map((p) =>
            h(
              "ul",
              { class: "stmts", "aria-label": p.title },
              p.statements.map((s) => {
                const checks = [s.principal, s.action, s.resource, ...s.conditions].filter(Boolean);
                return h(
                  "li",
                  { class: `stmt${s.applies ? " applies" : ""}` },
                  h("div", { class: "stmt-head" }, capitalize(s.summary), " ", h("span", { class: "at", text: `(line ${s.line})` })),
                  h(
                    "ul",
                    { class: "checks" },
                    checks.map((c) =>
                      h(
                        "li",
                        { class: c.ok ? "yes" : "no" },
                        h("span", { class: "mark", "aria-label": c.ok ? "holds" : "fails", text: c.ok ? "✓" : "✗" }),
                        h("span", { text: c.sentence }),
                      ),
                    ),
                  ),
                );
              }),
            ),
          ),
        ),
      );
    this._why.replaceChildren(summary, ...layers);
  }
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

if (!customElements.get(TAG)) customElements.define(TAG, IamPolicyPlayground);

export { IamPolicyPlayground };
