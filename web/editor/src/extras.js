// The lazy part of the policy editor: imported by editor.js (loadCatalog) after the first
// render, so none of it counts toward the first load. It loads the whole engine, as the
// browser npm package (widget/lint/iam_policy_wasm.js, with iam-lint) and the AWS service
// catalog (widget/lint/catalog.json), and installs:
//   - on window.IamEditor, for Rust (web/src/catalog.rs): lint(text, kind), the findings as
//     tab-separated lines, summary(text, kind), the access summary as an HTML table, and
//     whatWouldChange(scenario), the engine's suggestions for the scenario's one request as
//     tab-separated lines; for web/src/managed.rs: diff(old, new, kind), what access changed
//     as HTML, and the AWS managed policies, fetched only when asked for (loadManaged(done),
//     widget/managed-policies.json), managedSearch(query), the picker's results as HTML,
//     managedShow(name) as lines, and managedDoc(text, ranges), a document's lines as HTML;
//   - in every editor: completion of actions, condition keys and ARN templates, and the
//     popover listing what a wildcard action expands to.
// CodeMirror itself is not bundled again: editor.js passes the classes this module needs.

const MAX_SHOWN = 60;

// The string the position is in, on its line: { from, to, text } (without the quotes), or null.
function stringAt(state, pos) {
  const line = state.doc.lineAt(pos);
  const t = line.text;
  let open = -1;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (open < 0) {
      if (c === '"') open = i;
    } else if (c === "\\") {
      i++;
    } else if (c === '"') {
      if (line.from + open < pos && pos <= line.from + i) {
        return { from: line.from + open + 1, to: line.from + i, text: t.slice(open + 1, i), closed: true };
      }
      open = -1;
    }
  }
  if (open >= 0 && line.from + open < pos) {
    return { from: line.from + open + 1, to: line.to, text: t.slice(open + 1), closed: false };
  }
  return null;
}

// The last JSON key written before `pos` ("Action", "Resource", "StringEquals", …).
function keyBefore(state, pos) {
  const before = state.doc.sliceString(Math.max(0, pos - 4000), pos);
  let last = null;
  for (const m of before.matchAll(/"([^"\\]*)"\s*:/g)) last = m[1];
  return last;
}

// The statement around `pos`, roughly: from the last "Effect"/"Sid" before to the next after.
function actionsNear(state, pos) {
  const text = state.doc.toString();
  const starts = [...text.slice(0, pos).matchAll(/\{\s*"(Sid|Effect|Action|NotAction|Principal)"/g)];
  const from = starts.length ? starts[starts.length - 1].index : 0;
  const next = /\{\s*"(Sid|Effect|Action|NotAction|Principal)"/g;
  next.lastIndex = pos;
  const m = next.exec(text);
  const to = m ? m.index : text.length;
  const out = new Set();
  for (const s of text.slice(from, to).matchAll(/"([A-Za-z0-9-]+:[A-Za-z0-9*?]+)"/g)) out.add(s[1]);
  return [...out];
}

const OPERATOR = /^(ForAllValues:|ForAnyValue:)?(String|Numeric|Date|Bool|Binary|IpAddress|NotIpAddress|Arn|Null)/;

// What to offer at `pos`: { from, items } or null.
function completionsAt(wasm, state, pos) {
  const s = stringAt(state, pos);
  if (!s) return null;
  const typed = state.doc.sliceString(s.from, pos);
  const key = keyBefore(state, s.from - 1);
  let out = null;
  if (key === "Action" || key === "NotAction") {
    if (!/^[A-Za-z0-9-]*(:[A-Za-z0-9]*)?$/.test(typed) || typed === "") return null;
    out = wasm.completeActions(typed);
  } else if (key === "Condition" || (key && OPERATOR.test(key))) {
    // A condition key is a JSON key: the string is followed by ':' (or not closed yet).
    const after = state.doc.sliceString(s.to + 1, s.to + 40);
    if (s.closed && !/^\s*:/.test(after) && !/^\s*$/.test(after)) return null;
    if (key === "Condition") return null; // the operator comes first
    out = wasm.conditionKeys(actionsNear(state, pos), typed);
  } else if (key === "Resource" || key === "NotResource") {
    if (!"arn:".startsWith(typed.slice(0, 4)) && !typed.startsWith("arn:")) return null;
    const seen = new Set();
    const items = [];
    for (const a of actionsNear(state, pos)) {
      const r = wasm.arnTemplates(a);
      for (const i of r.ok ? r.items : []) {
        if (!seen.has(i.label) && i.label.toLowerCase().startsWith(typed.toLowerCase())) {
          seen.add(i.label);
          items.push(i);
        }
      }
    }
    out = { ok: true, items };
  }
  if (!out || !out.ok || !out.items.length) return null;
  const items = out.items.slice(0, MAX_SHOWN);
  // Nothing to add: the only candidate is what is typed.
  if (items.length === 1 && items[0].label === typed) return null;
  return { from: s.from, to: pos, items };
}

function completion(cm, wasm) {
  const { EditorView, StateField, StateEffect, Prec, keymap } = cm;
  const setOpen = StateEffect.define();
  const setActive = StateEffect.define();
  const field = StateField.define({
    create: () => null,
    update(v, tr) {
      for (const e of tr.effects) {
        if (e.is(setOpen)) v = e.value ? { ...e.value, active: 0 } : null;
        if (e.is(setActive) && v) v = { ...v, active: e.value };
      }
      if (v && tr.docChanged && !tr.effects.some((e) => e.is(setOpen))) v = null;
      if (v && tr.selection && !tr.docChanged && tr.selection.main.head !== v.to) v = null;
      return v;
    },
  });

  function accept(view) {
    const v = view.state.field(field, false);
    if (!v) return false;
    const item = v.items[v.active];
    view.dispatch({
      changes: { from: v.from, to: v.to, insert: item.label },
      selection: { anchor: v.from + item.label.length },
      userEvent: "input.complete",
      effects: setOpen.of(null),
    });
    // After a service prefix ("s3:"), go on with its actions.
    if (item.kind === "service") {
      const next = completionsAt(wasm, view.state, view.state.selection.main.head);
      if (next) view.dispatch({ effects: setOpen.of(next) });
    }
    return true;
  }

  const move = (d) => (view) => {
    const v = view.state.field(field, false);
    if (!v) return false;
    view.dispatch({ effects: setActive.of((v.active + d + v.items.length) % v.items.length) });
    return true;
  };

  // The popup: a listbox under the cursor, drawn by a view plugin-like update listener.
  const popup = EditorView.updateListener.of((u) => {
    const v = u.state.field(field, false);
    const old = u.startState.field(field, false);
    let dom = u.view.dom.querySelector(".cm-complete");
    if (!v) {
      if (dom) dom.remove();
      u.view.contentDOM.removeAttribute("aria-activedescendant");
      return;
    }
    if (v === old && dom) return;
    if (!dom) {
      dom = document.createElement("ul");
      dom.className = "cm-complete";
      dom.id = "cm-complete-" + Math.random().toString(36).slice(2, 8);
      dom.setAttribute("role", "listbox");
      dom.setAttribute("aria-label", "Completions");
      dom.addEventListener("mousedown", (e) => {
        const li = e.target.closest("li");
        if (!li) return;
        e.preventDefault();
        u.view.dispatch({ effects: setActive.of(Number(li.dataset.i)) });
        accept(u.view);
      });
      u.view.dom.appendChild(dom);
    }
    dom.textContent = "";
    v.items.forEach((item, i) => {
      const li = document.createElement("li");
      li.id = `${dom.id}-${i}`;
      li.dataset.i = String(i);
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === v.active));
      const label = document.createElement("span");
      label.className = "cm-complete-label";
      label.textContent = item.label;
      const detail = document.createElement("span");
      detail.className = "cm-complete-detail";
      detail.textContent = item.detail;
      li.append(label, detail);
      dom.appendChild(li);
    });
    u.view.contentDOM.setAttribute("aria-activedescendant", `${dom.id}-${v.active}`);
    const c = u.view.coordsAtPos(v.to);
    const box = u.view.dom.getBoundingClientRect();
    if (c) {
      // Inside the editor: never wider than it, never past its right edge.
      dom.style.maxWidth = `${box.width - 8}px`;
      dom.style.left = `${Math.max(0, Math.min(c.left - box.left, box.width - dom.offsetWidth - 4))}px`;
      dom.style.top = `${c.bottom - box.top + 2}px`;
    }
    // Keep the active option in view (scrolling only the list, not the page).
    const act = dom.children[v.active];
    if (act) {
      if (act.offsetTop < dom.scrollTop) dom.scrollTop = act.offsetTop;
      else if (act.offsetTop + act.offsetHeight > dom.scrollTop + dom.clientHeight)
        dom.scrollTop = act.offsetTop + act.offsetHeight - dom.clientHeight;
    }
  });

  // Open on typing inside a string.
  const trigger = EditorView.updateListener.of((u) => {
    if (!u.docChanged || !u.transactions.some((tr) => tr.isUserEvent("input.type") || tr.isUserEvent("delete"))) return;
    const pos = u.state.selection.main.head;
    const next = completionsAt(wasm, u.state, pos);
    // Dispatching inside an update listener is not allowed: defer.
    queueMicrotask(() => {
      if (u.view.state.selection.main.head === pos) u.view.dispatch({ effects: setOpen.of(next) });
    });
  });

  const close = (view) => {
    if (!view.state.field(field, false)) return false;
    view.dispatch({ effects: setOpen.of(null) });
    return true;
  };

  return [
    field,
    popup,
    trigger,
    Prec.highest(
      keymap.of([
        { key: "ArrowDown", run: move(1) },
        { key: "ArrowUp", run: move(-1) },
        { key: "Enter", run: accept },
        { key: "Escape", run: close },
        {
          key: "Ctrl-Space",
          run: (view) => {
            const next = completionsAt(wasm, view.state, view.state.selection.main.head);
            view.dispatch({ effects: setOpen.of(next) });
            return true;
          },
        },
      ])
    ),
    EditorView.domEventHandlers({ blur: (_, view) => void setTimeout(() => close(view), 150) }),
  ];
}

// Hovering an action with a wildcard (`s3:Get*`) lists the actions it matches.
function wildcardPopover(cm, wasm) {
  return cm.hoverTooltip((view, pos) => {
    const s = stringAt(view.state, pos);
    if (!s || !s.closed || !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]*[*?][A-Za-z0-9*?]*$/.test(s.text)) return null;
    const r = wasm.expand(s.text);
    if (!r.ok) return null;
    return {
      pos: s.from,
      end: s.to,
      above: false,
      create() {
        const dom = document.createElement("div");
        dom.className = "cm-expand";
        const head = document.createElement("div");
        head.className = "cm-expand-head";
        const n = r.actions.length;
        head.textContent = n
          ? `${s.text} matches ${n} action${n === 1 ? "" : "s"}`
          : `${s.text} matches no action of the catalog`;
        dom.appendChild(head);
        if (n) {
          const ul = document.createElement("ul");
          for (const a of r.actions.slice(0, 200)) {
            const li = document.createElement("li");
            const name = document.createElement("code");
            name.textContent = a.action;
            const lvl = document.createElement("span");
            lvl.className = "cm-expand-level";
            lvl.textContent = a.accessLevels.join(", ");
            li.append(name, lvl);
            ul.appendChild(li);
          }
          dom.appendChild(ul);
          if (n > 200) {
            const more = document.createElement("div");
            more.className = "cm-expand-head";
            more.textContent = `… and ${n - 200} more`;
            dom.appendChild(more);
          }
        }
        return { dom };
      },
    };
  });
}

const theme = (cm) =>
  cm.EditorView.theme({
    "&": { position: "relative" },
    ".cm-lintRange-securityWarning": {
      textDecoration: "underline wavy var(--security)",
      textDecorationSkipInk: "none",
      textUnderlineOffset: "3px",
    },
    ".cm-lintRange-suggestion": { textDecoration: "underline dashed var(--link)", textUnderlineOffset: "3px" },
    ".cm-problem-securityWarning": { borderLeft: "3px solid var(--security)", paddingLeft: "6px" },
    ".cm-problem-suggestion": { borderLeft: "3px solid var(--link)", paddingLeft: "6px" },
    ".cm-complete": {
      position: "absolute",
      zIndex: "20",
      margin: "0",
      padding: "2px 0",
      listStyle: "none",
      maxHeight: "14em",
      overflowY: "auto",
      minWidth: "16em",
      maxWidth: "40em",
      background: "var(--panel)",
      color: "var(--fg)",
      border: "1px solid var(--border)",
      borderRadius: "4px",
      boxShadow: "0 4px 12px rgba(0,0,0,.18)",
      fontFamily: "var(--mono)",
      fontSize: "12px",
    },
    ".cm-complete li": { display: "flex", gap: "1em", justifyContent: "space-between", padding: "1px 8px", cursor: "pointer" },
    ".cm-complete li[aria-selected=true]": { background: "var(--editor-selection)" },
    ".cm-complete-detail": { color: "var(--muted)", fontFamily: "var(--sans)" },
    ".cm-expand": { padding: "4px 8px", maxHeight: "18em", overflowY: "auto", fontFamily: "var(--sans)", fontSize: "12px" },
    ".cm-expand-head": { fontWeight: "600", margin: "2px 0 4px" },
    ".cm-expand ul": { margin: "0", padding: "0", listStyle: "none", columns: "2", columnGap: "2em" },
    ".cm-expand li": { display: "flex", justifyContent: "space-between", gap: "1em", breakInside: "avoid" },
    ".cm-expand-level": { color: "var(--muted)" },
  });

// A field of the tab-separated lines handed to Rust: tabs and line breaks become spaces.
const lineField = (t) => String(t ?? "").replace(/[\t\n\r]+/g, " ");

// lint()'s findings as lines of tab-separated fields (category, from line, from column, to
// line, to column, code, message, hint): web/src/catalog.rs reads them without a JSON parser.
function findingLines(r) {
  if (!r.ok && !r.findings) throw new Error(r.error);
  return r.findings
    .map((f) =>
      [f.category, f.span.start.line, f.span.start.column, f.span.end.line, f.span.end.column, f.code, f.message, f.hint]
        .map(lineField)
        .join("\t")
    )
    .join("\n");
}

// The playground's styles for what the lazy part adds outside the editor (kept out of the
// first-load stylesheet).
const PAGE_CSS = `
:root { --security: #c2410c; }
@media (prefers-color-scheme: dark) { :root { --security: #fb923c; } }
.diag-list { max-height: 180px; }
.catalog-state { margin-top: 6px; font-size: 12px; }
.diag.securityWarning { border-left-color: var(--security); }
.diag.suggestion { border-left-color: var(--link); }
.cat-badge { font-size: 11px; font-weight: 600; padding: 0 5px; margin-right: 6px; border-radius: 3px; color: var(--panel); background: var(--deny); }
.cat-badge.securityWarning { background: var(--security); }
.cat-badge.warning { background: var(--implicit); }
.cat-badge.suggestion { background: var(--link); }
.cat-badge.error::before { content: "Error"; }
.cat-badge.securityWarning::before { content: "Security warning"; }
.cat-badge.warning::before { content: "Warning"; }
.cat-badge.suggestion::before { content: "Suggestion"; }
.access-summary { max-height: 360px; overflow: auto; }
.access-summary h3 { margin: 8px 0 4px; font-size: 13px; }
.access-summary table { border-collapse: collapse; font-size: 12.5px; }
.access-summary th, .access-summary td { border: 1px solid var(--border); padding: 2px 8px; text-align: left; font-weight: normal; }
.access-summary thead th, .access-summary tbody th { font-weight: 600; }
.access-summary td.full { color: var(--deny); font-weight: 600; }
.access-summary td.partial { color: var(--implicit); }
#managed-search { width: 100%; box-sizing: border-box; padding: 6px 8px; margin: 4px 0 2px; font-size: 14px; }
.managed-hits { list-style: none; margin: 6px 0 0; padding: 0; display: grid; gap: 6px; }
.managed-hits li { min-width: 0; }
.managed-hit { width: 100%; box-sizing: border-box; min-width: 0; white-space: normal; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 12px; text-align: left; padding: 6px 10px; }
.managed-hit .managed-name { font-weight: 600; overflow-wrap: anywhere; min-width: 0; }
.managed-hit .managed-meta, .managed-hit .managed-services { color: var(--muted); font-size: 12px; }
.managed-hit .managed-services { flex-basis: 100%; font-family: var(--mono); overflow-wrap: anywhere; }
.managed-pane .managed-title { font-weight: 600; font-size: 14px; border: none; padding: 4px 0; overflow-wrap: anywhere; }
.managed-info { margin: 6px 0; font-size: 12.5px; overflow-wrap: anywhere; }
.managed-badge { font-size: 11px; font-weight: 600; padding: 1px 6px; border-radius: 3px; background: var(--link); color: var(--panel); }
.managed-doc { margin: 6px 0 0; padding: 8px 0; max-height: 460px; overflow: auto; background: var(--editor-bg); border: 1px solid var(--border); border-radius: 6px; font: 12.5px/1.5 var(--mono); }
.managed-doc .doc-line { display: block; padding: 0 10px; white-space: pre; }
.managed-doc .doc-line.deciding { background: var(--deciding-bg); box-shadow: inset 3px 0 0 var(--deciding-edge); }
.managed-fixes { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.diff-modes { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 8px 0; }
.diff-inputs { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 12px; }
.diff-inputs label { display: flex; flex-direction: column; gap: 2px; font-size: 12.5px; }
.diff-inputs textarea { min-height: 140px; font: 12px/1.4 var(--mono); resize: vertical; }
@media (max-width: 600px) { .diff-inputs { grid-template-columns: 1fr; } }
.diff-result { margin-top: 8px; }
.diff-summary { font-weight: 600; }
.diff-service h3 { margin: 12px 0 4px; font-size: 13px; }
.diff-service > ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
.diff-change { border: 1px solid var(--border); border-left: 3px solid var(--muted); border-radius: 4px; padding: 6px 8px; font-size: 12.5px; }
.diff-change.granted { border-left-color: var(--deny); }
.diff-change.revoked { border-left-color: var(--allow); }
.diff-change.mayDiffer { border-left-color: var(--implicit); }
.diff-kind { font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; padding: 0 5px; border-radius: 3px; background: var(--muted); color: var(--panel); }
.diff-kind.granted { background: var(--deny); }
.diff-kind.revoked { background: var(--allow); }
.diff-kind.mayDiffer { background: var(--implicit); }
.diff-change code { overflow-wrap: anywhere; }
.diff-sentence { margin: 4px 0; color: var(--muted); overflow-wrap: anywhere; }
.diff-statements, .diff-reasons, .diff-assumed { margin: 2px 0; padding-left: 18px; }
.diff-side { font-weight: 600; text-transform: uppercase; font-size: 10.5px; margin-right: 4px; }
.diff-example { margin-top: 4px; overflow-wrap: anywhere; }
.diff-add { margin-left: 6px; padding: 1px 8px; font-size: 12px; }
.diff-failed { color: var(--deny); }
`;

let managed = null; // the managed policies' load, once

const LEVELS = ["List", "Read", "Write", "Permissions management", "Tagging"];
const esc = (t) => String(t).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

// The access summary as an HTML table (services × access levels, Full or Partial), or ""
// when the policy cannot be summarized. Built here, in the lazy part, to keep the first load
// small; web/src/catalog.rs shows it as it is.
function summaryTable(r) {
  if (!r.ok) return "";
  const head = "<h3>Access summary</h3>";
  if (!r.services.length) return `${head}<p class="muted">This policy grants no access.</p>`;
  const rows = r.services.map((s) => {
    const cells = LEVELS.map((l) => {
      const c = s.levels.find((x) => x.level === l);
      return c
        ? `<td class="${c.coverage.toLowerCase()}" data-level="${l}" title="${c.granted} of ${c.total} actions${c.conditional ? ", some under conditions" : ""}">${c.coverage}</td>`
        : `<td data-level="${l}"></td>`;
    });
    const note = s.conditional ? ' <span class="muted">(conditions)</span>' : "";
    return `<tr data-service="${esc(s.prefix)}"><th scope="row" title="${esc(s.name)}">${esc(s.prefix)}${note}</th>${cells.join("")}</tr>`;
  });
  return (
    `${head}<table><thead><tr><th scope="col">Service</th>` +
    LEVELS.map((l) => `<th scope="col">${l}</th>`).join("") +
    `</tr></thead><tbody>${rows.join("")}</tbody></table>`
  );
}

// What would change the decision of the scenario's one request (simulate's whatWouldChange),
// a line per suggestion: kind, decision after, sentence, the edit's sentence, the edited
// request as JSON, and the statements concerned ("identity/0#1 scps/1/0#0"); "" when the
// request is not evaluated (JSON.stringify writes no tab or line break of its own).
function changeLines(out) {
  const r = out.ok ? out.results[0] : null;
  return (r?.whatWouldChange ?? [])
    .map((c) =>
      [
        c.kind,
        c.decisionAfter ?? "",
        lineField(c.sentence),
        lineField(c.edit?.sentence),
        c.edit ? JSON.stringify(c.edit.request) : "",
        c.statements.map((s) => `${s.policy}#${s.statement}`).join(" "),
      ].join("\t"),
    )
    .join("\n");
}

// The picker's results as HTML (web/src/managed.rs shows them as they are; a click on a
// hit's button, which carries the policy's name in data-name, attaches it).
function searchHtml(r) {
  if (!r.ok) return `<p class="notice-error" role="alert">${esc(r.error)}</p>`;
  const n = r.total;
  const count = !n ? "No AWS managed policy matches." : n > r.policies.length ? `${n} match; the first ${r.policies.length} are listed.` : `${n} match${n === 1 ? "es" : ""}.`;
  const hits = r.policies.map(
    (p) =>
      `<li><button type="button" class="managed-hit" data-name="${esc(p.name)}" aria-label="Attach ${esc(p.name)}">` +
      `<span class="managed-name">${esc(p.name)}</span><span class="managed-meta">${esc(p.versionId)} · updated ${esc(p.updateDate.slice(0, 10))}</span>` +
      (p.services.length ? `<span class="managed-services">${esc(p.services.join(", "))}</span>` : "") +
      `</button></li>`,
  );
  return `<p class="hint" role="status">${count}</p><ul class="managed-hits">${hits.join("")}</ul>`;
}

// managedShow: "name\tarn\tversion\tdate" and the document on the next lines, or
// "!\tmessage\tclosest names".
function showText(r) {
  if (!r.ok) return ["!", lineField(r.error), (r.suggestions ?? []).join(" ")].join("\t");
  const p = r.policy;
  return [p.name, p.arn, p.versionId, p.updateDate].map(lineField).join("\t") + "\n" + p.document;
}

// managedDoc: a managed policy's document as HTML lines, those in the ranges ("3-5 9-12",
// 1-based, inclusive: the deciding statements) marked (web/src/components/managed.rs).
function docLines(text, ranges) {
  const lit = ranges.split(" ").filter(Boolean).map((r) => r.split("-").map(Number));
  return text
    .replace(/\r?\n$/, "")
    .split(/\r?\n/)
    .map((l, i) => {
      const deciding = lit.some(([a, b]) => a <= i + 1 && i + 1 <= b) ? " deciding" : "";
      return `<span class="doc-line${deciding}">${esc(l)}\n</span>`;
    })
    .join("");
}

const CHANGE_WORDS = {
  granted: "granted",
  revoked: "revoked",
  resourcesChanged: "resources changed",
  conditionsChanged: "conditions changed",
  principalsChanged: "principals changed",
  mayDiffer: "may differ",
};
const DECISION_WORDS = { allowed: "allowed", explicitDeny: "explicit deny", implicitDeny: "implicit deny" };
const MAX_DIFF_ACTIONS = 400;

function statementRef(s, side) {
  const name = s.sid ? ` “${esc(s.sid)}”` : "";
  return `<li><span class="diff-side">${side}</span> statement ${s.statement}${name} (${esc(s.effect)}, line ${s.line})</li>`;
}

// diff(old, new) as HTML (web/src/managed.rs shows it as it is): a summary, then per service
// the actions whose access changed, with the statements responsible on each side and an
// example request per change, whose button carries the request (data-request) for Rust.
function diffHtml(r) {
  if (!r.ok) {
    const where = (side, ds) =>
      ds.map((d) => `<li>${side} version, line ${d.span.start.line}, column ${d.span.start.column}: ${esc(d.message)}</li>`).join("");
    const list = (r.old || r.new) ? `<ul class="diff-errors">${where("Old", r.old ?? [])}${where("New", r.new ?? [])}</ul>` : "";
    return `<p class="diff-failed" role="alert">The versions cannot be compared: ${esc(r.error)}</p>${list}`;
  }
  const s = r.summary;
  const counts = [
    [s.granted, "granted"],
    [s.revoked, "revoked"],
    [s.resourcesChanged + s.conditionsChanged + s.principalsChanged, "changed resources, conditions or principals"],
    [s.mayDiffer, "may differ"],
  ]
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${n} ${w}`);
  const head = counts.length
    ? `<p class="diff-summary" data-new-access="${s.newAccess}">${s.actionsCompared.toLocaleString("en")} catalog actions compared: ${counts.join(", ")}.${s.newAccess ? " <strong>The new version grants access the old one did not.</strong>" : ""}</p>`
    : `<p class="diff-summary" data-new-access="false">${s.actionsCompared.toLocaleString("en")} catalog actions compared: no access changed.</p>`;
  let shown = 0;
  const services = r.services.map((svc) => {
    const items = svc.changes.map((c) => {
      shown += 1;
      if (shown > MAX_DIFF_ACTIONS) return "";
      const reasons = (c.reasons ?? []).map((x) => `<li>${esc(x)}</li>`).join("");
      const statements =
        c.oldStatements.map((x) => statementRef(x, "old")).join("") + c.newStatements.map((x) => statementRef(x, "new")).join("");
      const examples = c.examples.slice(0, 1).map((e) => {
        const name = `${c.action}: ${CHANGE_WORDS[c.kind] ?? c.kind} (${DECISION_WORDS[e.old]} → ${DECISION_WORDS[e.new]})`;
        const assumed = (e.assumedPolicies ?? []).map((a) => `<li>Assumes a ${esc(a.layer)} policy: ${esc(a.why)}</li>`).join("");
        return (
          `<div class="diff-example"><code>${esc(e.request.action)}</code> on <code>${esc(e.request.resource)}</code>: ` +
          `${DECISION_WORDS[e.old]} before, <strong>${DECISION_WORDS[e.new]}</strong> now. ` +
          `<button type="button" class="diff-add" data-request="${esc(JSON.stringify({ ...e.request, name }))}" data-name="${esc(name)}">Add to requests</button>` +
          (assumed ? `<ul class="diff-assumed">${assumed}</ul>` : "") +
          `</div>`
        );
      });
      return (
        `<li class="diff-change ${esc(c.kind)}" data-action="${esc(c.action)}">` +
        `<span class="diff-kind ${esc(c.kind)}">${CHANGE_WORDS[c.kind] ?? esc(c.kind)}</span> <code>${esc(c.action)}</code>` +
        `<p class="diff-sentence">${esc(c.sentence)}</p>` +
        (reasons ? `<ul class="diff-reasons">${reasons}</ul>` : "") +
        (statements ? `<ul class="diff-statements">${statements}</ul>` : "") +
        examples.join("") +
        `</li>`
      );
    });
    return `<section class="diff-service"><h3>${esc(svc.name)} <span class="muted">(${esc(svc.prefix)})</span></h3><ul>${items.join("")}</ul></section>`;
  });
  const more = shown > MAX_DIFF_ACTIONS ? `<p class="muted">… and ${shown - MAX_DIFF_ACTIONS} more actions (the command line lists all: iam-policy diff).</p>` : "";
  return head + services.join("") + more;
}

// Loads the engine and the catalog, puts lint and summary on window.IamEditor and hands the
// editor extensions (and a marker field) to `install`; resolves to a line about the catalog.
export async function setup(cm, install) {
  const wasm = await import(new URL("widget/lint/iam_policy_wasm.js", cm.base).href);
  await wasm.default();
  const response = await fetch(new URL("widget/lint/catalog.json", cm.base));
  if (!response.ok) throw new Error(`the catalog could not be loaded (HTTP ${response.status})`);
  const info = wasm.loadCatalog(await response.text());
  if (!info.ok) throw new Error(info.error);
  const style = document.createElement("style");
  style.textContent = PAGE_CSS;
  document.head.appendChild(style);
  Object.assign(window.IamEditor, {
    lint: (text, kind) => findingLines(wasm.lint(text, kind)),
    summary: (text, kind) => summaryTable(wasm.summary(text, kind)),
    whatWouldChange: (scenario) => changeLines(wasm.simulate(scenario)),
    diff: (oldText, newText, kind) => diffHtml(wasm.diff(oldText, newText, { kind })),
    // The AWS managed policies: fetched only when asked for (the picker opens, a scenario
    // references one); done(ok, info) as loadCatalog's.
    loadManaged(done) {
      managed ??= fetch(new URL("widget/managed-policies.json", cm.base))
        .then((r) => {
          if (!r.ok) throw new Error(`the AWS managed policies could not be loaded (HTTP ${r.status})`);
          return r.text();
        })
        .then((text) => {
          const m = wasm.loadManagedPolicies(text);
          if (!m.ok) throw new Error(m.error);
          return `${m.policies.toLocaleString("en")} AWS managed policies (${m.package} ${m.dataVersion}, updated up to ${m.latestUpdate.slice(0, 10)})`;
        });
      managed.then(
        (info) => done("1", info),
        (e) => {
          managed = null;
          done("", String(e?.message ?? e));
        },
      );
    },
    managedSearch: (query) => searchHtml(wasm.managedSearch(query, { limit: 40 })),
    managedShow: (name) => showText(wasm.managedShow(name)),
    managedDoc: docLines,
  });
  const marker = cm.StateField.define({ create: () => true, update: (v) => v });
  install({ ext: [marker, theme(cm), completion(cm, wasm), wildcardPopover(cm, wasm)], marker });
  return `${info.services} services, ${info.actions} actions (data ${info.dataVersion})`;
}
