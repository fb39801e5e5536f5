// The policy editor's first load: the page shows every policy in a plain text area at once
// (web/editor/src/boot.js, a few KB), and CodeMirror (editor.js, ~110 KiB gzip) is loaded after
// the first render and takes it over. What the user typed before that — the text, the cursor,
// the focus and the undo history — must survive the takeover.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openApp, waitForDecisions, decisions, withPlayground } from "./helpers.mjs";

// The first visit's example (the Image Builder IP restriction), as playground.test.mjs has it.
const IP_DECISIONS = ["allowed", "implicitDeny", "implicitDeny", "implicitDeny", "implicitDeny", "allowed", "implicitDeny"];

const env = withPlayground();

describe("the editor before and after CodeMirror loads", () => {
  test("edits made in the plain text area keep their text, cursor, focus and undo in CodeMirror", async () => {
    const context = await env.browser.newContext();
    // Hold CodeMirror back until the test lets it through.
    let release;
    const held = new Promise((ok) => (release = ok));
    let requested = false;
    const requestedUrls = [];
    await context.route(/\/editor\.js(\?|$)/, async (route) => {
      requested = true;
      requestedUrls.push(route.request().url());
      await held;
      await route.continue();
    });
    const page = await openApp(context, env.server.url);
    await waitForDecisions(page, IP_DECISIONS);
    const original = IP_DECISIONS;

    // The first render: a labelled, editable text area, no CodeMirror yet.
    const area = page.locator("textarea.editor-plain");
    await area.waitFor();
    assert.equal(await page.$(".cm-editor"), null);
    assert.match(await area.getAttribute("aria-label"), /Identity policy 1/);
    const before = await area.inputValue();
    assert.match(before, /54\.240\.143\.0\/24/);

    // Type over part of the CIDR: the requests are decided again from the text area.
    const from = before.indexOf("143.0/24");
    await area.focus();
    await area.evaluate((el, [a, b]) => el.setSelectionRange(a, b), [from, from + "143.0/24".length]);
    await page.keyboard.type("0.0/16");
    const edited = before.replace("54.240.143.0/24", "54.240.0.0/16");
    assert.equal(await area.inputValue(), edited);
    await page.waitForFunction(
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll(".req-table tbody tr .col-decision .badge")].map((e) => e.getAttribute("data-decision"))
        ) !== want,
      JSON.stringify(original)
    );
    const afterEdit = await decisions(page);
    // The cursor somewhere else, then a pause (a later edit starts a new undo step).
    const caret = edited.indexOf("0.0/16") + 2;
    await area.evaluate((el, c) => el.setSelectionRange(c, c), caret);
    await page.waitForTimeout(700);
    assert.ok(requested, "CodeMirror is requested right after the first render");

    // CodeMirror arrives and takes over.
    release();
    // The loader asks for this build's CodeMirror (web/tools/postbuild.mjs: its digest as a query;
    // the service worker's precache asks for the file itself).
    assert.ok(requestedUrls.some((u) => /\/editor\.js\?v=[0-9a-f]{16}$/.test(u)), requestedUrls.join(", "));
    await page.waitForSelector(".cm-editor");
    assert.equal(await page.$("textarea.editor-plain"), null, "the text area is gone");
    const flat = (t) => t.replace(/\n/g, "");
    assert.equal(await page.textContent(".cm-content"), flat(edited), "the text is kept");
    assert.deepEqual(await decisions(page), afterEdit, "the decisions are those of the edited text");
    assert.ok(
      await page.evaluate(() => document.activeElement && document.activeElement.closest(".cm-editor") !== null),
      "the focus is kept"
    );
    assert.match(await page.getAttribute(".cm-content", "aria-label"), /Identity policy 1/);

    // The cursor is where it was: typing goes there.
    await page.keyboard.type("X");
    const withX = edited.slice(0, caret) + "X" + edited.slice(caret);
    await page.waitForFunction((want) => document.querySelector(".cm-content").textContent === want, flat(withX));

    // Undo: first what was typed in CodeMirror, then what was typed in the text area.
    await page.keyboard.press("Control+z");
    await page.waitForFunction((want) => document.querySelector(".cm-content").textContent === want, flat(edited));
    await page.keyboard.press("Control+z");
    await page.waitForFunction((want) => document.querySelector(".cm-content").textContent === want, flat(before));
    await waitForDecisions(page, original);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
