// End-to-end tests of the Learn view (#learn/<lesson>) of the built playground (dist/):
// the course loads only when the view opens; a wrong prediction gets the engine's
// explanation, a right one is saved; a policy is fixed until its marks pass; progress
// survives a reload; the last lesson opens offline. Screenshots of a lesson (light, dark,
// desktop and phone) go to target/e2e/ (and to $LEARN_SHOTS when set).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { DIST, ROOT, artifact, openApp, replaceEditorText, startServer, withPlayground } from "./helpers.mjs";
import { SUB_PATH } from "./server.mjs";

const LESSONS = join(ROOT, "web", "lessons");
const lessonIds = readdirSync(LESSONS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && /^\d\d-/.test(d.name))
  .map((d) => d.name)
  .sort();
const FIRST = lessonIds[0];
const LAST = lessonIds[lessonIds.length - 1];
const title = (id) => /^title\s*=\s*"(.*)"\s*$/m.exec(readFileSync(join(LESSONS, id, "lesson.md"), "utf8"))[1];
const exercises = (id) => JSON.parse(readFileSync(join(LESSONS, id, "exercises.json"), "utf8")).exercises;
const LEARN_FILES = ["iam-learn.js", "iam-learn_bg.wasm", "lessons.json"];

const env = withPlayground();

function shot(name) {
  const path = artifact(name);
  return {
    path,
    keep() {
      if (process.env.LEARN_SHOTS) {
        mkdirSync(process.env.LEARN_SHOTS, { recursive: true });
        copyFileSync(path, join(process.env.LEARN_SHOTS, name));
      }
    },
  };
}

async function openLesson(page, id) {
  await page.waitForSelector(`.learn[data-lesson="${id}"] .learn-text h1`, { timeout: 30000 });
}

/// The bench's table rows: [name, decision, mark] per row.
async function benchRows(page) {
  return page.$$eval(".learn-bench .req-table tbody tr", (rows) =>
    rows.map((r) => [
      r.querySelector(".row-select")?.textContent.trim(),
      r.querySelector(".col-decision .badge")?.getAttribute("data-decision"),
      r.querySelector(".mark")?.classList.contains("pass") ? "pass" : r.querySelector(".mark")?.classList.contains("fail") ? "fail" : "none",
    ])
  );
}

describe("the Learn view", () => {
  test("lesson 1: lazy load, a wrong then a right prediction, a fixed policy, progress kept on reload", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const loaded = [];
    const page = await openApp(context, env.server.url, (p) => p.on("request", (r) => loaded.push(new URL(r.url()).pathname)));
    // The first load of the playground has none of the course.
    const learnLoaded = () => loaded.filter((p) => LEARN_FILES.includes(basename(p)));
    assert.deepEqual(learnLoaded(), [], "nothing of the Learn view in the first load");

    // The toolbar's Learn entry opens the lesson list; the course loads now.
    await page.click("#open-learn");
    await page.waitForSelector(".lesson-list .lesson-item", { timeout: 30000 });
    assert.equal(await page.$$eval(".lesson-list .lesson-item", (l) => l.length), lessonIds.length);
    assert.deepEqual([...new Set(learnLoaded().map((p) => basename(p)))].sort(), [...LEARN_FILES].sort());
    const sizes = Object.fromEntries(LEARN_FILES.map((f) => [f, gzipSync(readFileSync(join(DIST, f)), { level: 9 }).length]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(
      `Learn view, loaded when it opens (gzip): ` +
        Object.entries(sizes).map(([f, n]) => `${f} ${(n / 1024).toFixed(1)} KiB`).join(" + ") +
        ` = ${(total / 1024).toFixed(1)} KiB`
    );

    // Lesson 1 from the list.
    await page.click(`.lesson-item[data-lesson="${FIRST}"] .lesson-link`);
    await openLesson(page, FIRST);
    assert.equal(new URL(page.url()).hash, `#learn/${FIRST}`);
    assert.equal((await page.textContent(".learn-text h1")).trim(), title(FIRST));
    assert.ok((await page.$$(".lesson-docs a[href^='https://docs.aws.amazon.com/']")).length > 0);
    // The workbench is the playground's editor and request table.
    await page.waitForSelector(".learn-bench .cm-editor");

    // Predict, then reveal: a wrong answer first.
    const predict = exercises(FIRST).find((e) => e.kind === "predict");
    const card = `#ex-${predict.id}`;
    assert.ok(
      !(await benchRows(page)).some(([name]) => name === predict.request),
      "the request to predict is not in the table before the prediction"
    );
    const wrong = ["allowed", "explicitDeny", "implicitDeny"].find((d) => d !== predict.answer);
    await page.check(`#pred-${predict.id}-${wrong}`);
    await page.click(`${card} button.check`);
    await page.waitForSelector(`${card} .feedback .verdict-wrong`);
    const feedback = await page.textContent(`${card} .feedback`);
    assert.match(feedback, /Not quite/);
    const explanation = await page.$$eval(`${card} .explain-lines li`, (l) => l.map((e) => e.textContent));
    assert.ok(explanation.length > 0, "the engine's explanation of the deciding step");
    assert.match(explanation[0], /^The request is (allowed|explicitly denied|implicitly denied)/);
    assert.equal(await page.getAttribute(card, "data-done"), "false");
    // ... then the right one.
    await page.check(`#pred-${predict.id}-${predict.answer}`);
    await page.click(`${card} button.check`);
    await page.waitForSelector(`${card} .feedback .verdict-right`);
    assert.match(await page.textContent(`${card} .feedback`), /Right\./);
    assert.equal(await page.getAttribute(card, "data-done"), "true");
    // Its request has joined the table, with the engine's decision.
    await page.waitForFunction(
      (name) => [...document.querySelectorAll(".learn-bench .req-table .row-select")].some((b) => b.textContent.trim() === name),
      predict.request
    );
    const row = (await benchRows(page)).find(([name]) => name === predict.request);
    assert.equal(row[1], predict.answer);

    // Fix the policy until every mark passes.
    const fix = exercises(FIRST).find((e) => e.kind === "fix");
    const fixCard = `#ex-${fix.id}`;
    await page.click(`${fixCard} button.work`);
    await page.waitForFunction(() => /fix the policy/.test(document.querySelector("#bench-heading")?.textContent || ""));
    await page.waitForFunction(
      (n) => document.querySelectorAll(".learn-bench .req-table tbody tr").length === n,
      fix.requests.length
    );
    let rows = await benchRows(page);
    assert.ok(rows.some(([, , mark]) => mark === "fail"), `the exercise starts wrong: ${JSON.stringify(rows)}`);
    assert.match(await page.textContent(`${fixCard} .bench-status`), /of \d+ requests as expected/);
    // A hint, on request.
    await page.click(`${fixCard} .show-hint`);
    await page.waitForSelector(`${fixCard} .hint-list li`);
    // A first try that is not enough (the resource widened too far), then the solution.
    const [policyId, solution] = Object.entries(fix.solution)[0];
    assert.equal(policyId, "identity/0");
    const tooWide = JSON.parse(JSON.stringify(solution));
    tooWide.Statement[0].Resource = "*";
    await replaceEditorText(page, JSON.stringify(tooWide, null, 2));
    await page.waitForFunction(() => /Not yet/.test(document.querySelector(".bench-status")?.textContent || ""));
    await replaceEditorText(page, JSON.stringify(solution, null, 2));
    await page.waitForSelector(`${fixCard} .bench-status .verdict-right`);
    rows = await benchRows(page);
    assert.ok(rows.every(([, , mark]) => mark === "pass"), JSON.stringify(rows));
    assert.equal(await page.getAttribute(fixCard, "data-done"), "true");

    // Write the request: change only what the exercise lets you change.
    const write = exercises(FIRST).find((e) => e.kind === "request");
    const writeCard = `#ex-${write.id}`;
    await page.click(`${writeCard} button.work`);
    await page.waitForFunction(() => /write the request/.test(document.querySelector("#bench-heading")?.textContent || ""));
    await page.waitForSelector(`${writeCard} .bench-status p`);
    assert.match(await page.textContent(`${writeCard} .bench-status`), /the goal is/);
    assert.deepEqual(write.editable, ["resource"]);
    await page.fill("#req-action", "s3:PutObject");
    await page.waitForFunction(() => /keeps the action as given/.test(document.querySelector(".bench-status")?.textContent || ""));
    await page.fill("#req-action", write.start.action);
    await page.fill("#req-resource", write.solution.resource);
    await page.waitForSelector(`${writeCard} .bench-status .verdict-right`);
    assert.equal(await page.getAttribute(writeCard, "data-done"), "true");
    assert.deepEqual(page.errors, []);

    // Reload: the progress is kept (localStorage), and the lesson is still the one open.
    await page.reload();
    await openLesson(page, FIRST);
    assert.equal(await page.getAttribute(card, "data-done"), "true");
    assert.equal(await page.getAttribute(fixCard, "data-done"), "true");
    assert.equal(await page.getAttribute(`#ex-${write.id}`, "data-done"), "true");
    assert.match(await page.textContent("#lesson-done"), new RegExp(`3 of ${exercises(FIRST).length} exercises done`));
    await page.click("#learn-lessons");
    await page.waitForSelector(".lesson-list");
    assert.match(
      await page.textContent(`.lesson-item[data-lesson="${FIRST}"] .lesson-progress`),
      new RegExp(`3 of ${exercises(FIRST).length} exercises done`)
    );
    // Reset asks first, then forgets.
    await page.click("#learn-reset");
    await page.click("#learn-reset-no");
    assert.match(await page.textContent("#learn-total"), /^3 of/);
    await page.click("#learn-reset");
    await page.click("#learn-reset-yes");
    await page.waitForFunction(() => /^0 of/.test(document.querySelector("#learn-total")?.textContent || ""));
    // "Open in playground" carries the lesson's scenario over as a share link.
    await page.click(`.lesson-item[data-lesson="${FIRST}"] .lesson-link`);
    await openLesson(page, FIRST);
    await page.click("#open-in-playground");
    await page.waitForSelector("#open-gallery");
    const scenario = JSON.parse(readFileSync(join(LESSONS, FIRST, "scenario.json"), "utf8"));
    await page.waitForFunction((n) => document.querySelectorAll(".req-table tbody tr").length === n, scenario.requests.length);
    assert.match(await page.inputValue("#scenario-title"), new RegExp(scenario.name));
    const marks = await page.$$eval(".req-table tbody tr .mark", (l) => l.map((m) => m.classList.contains("pass")));
    assert.ok(marks.every(Boolean), "every request of the lesson's scenario as expected in the playground");
    // And back: the Learn entry, the back link.
    await page.click("#open-learn");
    await page.waitForSelector(".lesson-list");
    await page.click("#learn-back");
    await page.waitForSelector("#open-gallery");
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("keyboard only: answer a prediction, the answer is announced", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openApp(context, `${env.server.url}#learn/${FIRST}`);
    await openLesson(page, FIRST);
    const predict = exercises(FIRST).find((e) => e.kind === "predict");
    const card = `#ex-${predict.id}`;
    // The heading has the focus on arrival; Tab moves through the page (the text's links, the
    // documentation links) to the prediction's choices.
    assert.equal(await page.evaluate(() => document.activeElement?.id), "learn-heading");
    const prefix = `pred-${predict.id}-`;
    for (let i = 0; i < 80; i++) {
      if ((await page.evaluate(() => document.activeElement?.id || "")).startsWith(prefix)) break;
      await page.keyboard.press("Tab");
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), `${prefix}allowed`);
    const order = ["allowed", "explicitDeny", "implicitDeny"];
    for (let i = 0; i < order.indexOf(predict.answer); i++) await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement?.id), `pred-${predict.id}-${predict.answer}`);
    await page.keyboard.press("Tab");
    assert.match(await page.evaluate(() => document.activeElement?.textContent || ""), /Check my answer/);
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${card} .feedback .verdict-right`);
    assert.equal(await page.getAttribute(`${card} .feedback`, "aria-live"), "polite");
    // Every form control of the view has a label.
    const unlabelled = await page.$$eval(".learn input, .learn select, .learn button", (els) =>
      els
        .filter((e) => e.offsetParent !== null)
        .filter((e) => {
          if (e.getAttribute("aria-label") || e.getAttribute("aria-labelledby")) return false;
          if (e.tagName === "BUTTON") return !e.textContent.trim();
          if (e.labels && e.labels.length) return false;
          return !e.closest("label");
        })
        .map((e) => e.outerHTML.slice(0, 120))
    );
    assert.deepEqual(unlabelled, []);
    await context.close();
  });

  test("screenshots of a lesson: light and dark, desktop and phone", async () => {
    const predictLesson = lessonIds.find((id) => exercises(id).some((e) => e.kind === "predict" && e.deciding)) || FIRST;
    for (const [w, h] of [
      [1440, 900],
      [390, 844],
    ]) {
      for (const scheme of ["light", "dark"]) {
        const context = await env.browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme });
        const page = await openApp(context, `${env.server.url}#learn/${predictLesson}`);
        await openLesson(page, predictLesson);
        await page.waitForSelector(".learn-bench .cm-editor");
        if (w < 600) {
          // On a phone the text comes first, the editor below it.
          const [text, bench] = await page.$$eval([".learn-text", ".learn-bench"].join(","), (els) =>
            els.map((e) => e.getBoundingClientRect().top)
          );
          assert.ok(text < bench, `text above the editor: ${text} < ${bench}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `no sideways scrolling on a phone (${overflow} px too wide)`);
        }
        const s = shot(`learn-${scheme}-${w}x${h}.png`);
        await page.screenshot({ path: s.path });
        s.keep();
        // A prediction answered wrongly, with the engine's explanation.
        const p = exercises(predictLesson).find((e) => e.kind === "predict");
        const wrong = ["allowed", "explicitDeny", "implicitDeny"].find((d) => d !== p.answer);
        await page.check(`#pred-${p.id}-${wrong}`);
        await page.click(`#ex-${p.id} button.check`);
        await page.waitForSelector(`#ex-${p.id} .explain-lines li`);
        await page.evaluate((id) => document.getElementById(id).scrollIntoView(), `ex-${p.id}`);
        const e = shot(`learn-${scheme}-${w}x${h}-exercise.png`);
        await page.screenshot({ path: e.path });
        e.keep();
        await context.close();
      }
    }
  });

  test("offline, under a sub-path: the last lesson opens after a first visit", async () => {
    const own = await startServer(DIST);
    const url = own.url.slice(0, -1) + SUB_PATH;
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openApp(context, url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok, { once: true }));
      }
    });
    await own.close();
    await context.setOffline(true);
    await page.goto(`${url}#learn/${LAST}`);
    await page.reload();
    await openLesson(page, LAST);
    assert.equal((await page.textContent(".learn-text h1")).trim(), title(LAST));
    // The workbench evaluates offline.
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".learn-bench .req-table .col-decision .badge")].some((b) => b.getAttribute("data-decision"))
    );
    // A prediction checks offline too.
    const predict = exercises(LAST).find((e) => e.kind === "predict");
    if (predict) {
      await page.check(`#pred-${predict.id}-${predict.answer}`);
      await page.click(`#ex-${predict.id} button.check`);
      await page.waitForSelector(`#ex-${predict.id} .feedback p`);
    }
    await context.close();
  });
});
