// A newcomer's first five minutes (issue 11): the answer on the first screen, on any screen,
// and no lost work. End-to-end tests of the built playground (dist/) in headless Chromium.
// Screenshots at three sizes in both themes go to target/e2e/ (and to $UX_SHOTS when set).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  artifact,
  decisions,
  openApp,
  replaceEditorText,
  waitForDecisions,
  withPlayground,
} from "./helpers.mjs";

const STORAGE_KEY = "iam-playground/workspace/v1";
const env = withPlayground();

async function freshPage(options = {}, url = env.server.url) {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  const page = await openApp(context, url);
  return { context, page };
}

async function selectRequest(page, n) {
  await page.click(`.req-table tbody tr:nth-child(${n}) .row-select`);
  await page.waitForSelector(`.req-table tbody tr:nth-child(${n}).active`);
}

const activeInside = (page, selector) =>
  page.evaluate((s) => !!document.activeElement && !!document.activeElement.closest(s), selector);

describe("bugs", () => {
  test("the Expected decision menu shows the selected request's own value (keyed, not a stale select)", async () => {
    const { context, page } = await freshPage();
    await selectRequest(page, 1);
    await page.selectOption("#req-expect", "implicitDeny");
    await page.click("text=Duplicate");
    // The copy comes right after the original.
    await page.waitForSelector(".req-table tbody tr:nth-child(2).active");
    await page.selectOption("#req-expect", "explicitDeny");
    // "the excluded address" (now row 3), whose own expectation is Implicit deny.
    await selectRequest(page, 3);
    assert.match(await page.textContent("#detail-heading"), /the excluded address/);
    assert.equal(await page.inputValue("#req-expect"), "implicitDeny");
    assert.match(await page.textContent(".expect-line"), /As expected \(Implicit deny\)/);
    await selectRequest(page, 2);
    assert.equal(await page.inputValue("#req-expect"), "explicitDeny");
    await selectRequest(page, 1);
    assert.equal(await page.inputValue("#req-expect"), "implicitDeny");
    await context.close();
  });

  test("the Examples dialog keeps the focus inside; Escape closes it from anywhere", async () => {
    const { context, page } = await freshPage();
    await page.focus("#open-gallery");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".example");
    assert.ok(await activeInside(page, ".modal"), "the dialog takes the focus");
    const count = await page.$$eval(".modal button", (b) => b.length);
    assert.ok(count > 40, `${count} buttons in the dialog`);
    // Past the last example Tab wraps to the first control; Shift+Tab wraps back.
    await page.focus(".example-group:last-child li:last-child .example");
    await page.keyboard.press("Tab");
    assert.ok(await activeInside(page, ".modal"), "Tab after the last example stays in the dialog");
    await page.keyboard.press("Shift+Tab");
    assert.ok(await activeInside(page, ".modal"), "Shift+Tab stays in the dialog");
    for (let i = 0; i < 5; i++) await page.keyboard.press("Shift+Tab");
    assert.ok(await activeInside(page, ".modal"));
    // The page behind is inert.
    assert.equal(await page.getAttribute("main.workspace", "inert"), "");
    // Escape closes it even with the focus on the page (a click on the body).
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press("Escape");
    await page.waitForSelector(".modal", { state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement.id), "open-gallery");
    assert.equal(await page.getAttribute("main.workspace", "inert"), null);
    await context.close();
  });

  test("a share link keeps the autosaved work: “Restore your previous work”", async () => {
    const { context, page } = await freshPage();
    await selectRequest(page, 1);
    await page.fill("#req-name", "my own request");
    await page.fill("#scenario-title", "My work");
    // A link to another scenario: the blank one with its own title.
    await page.click("#new-blank");
    await page.fill("#scenario-title", "Shared with me");
    await page.click("#share");
    const link = await page.inputValue("#share-link");
    // Back to my work, then open the link in a new tab of the same browser.
    await page.click("#restore-kept");
    await page.waitForFunction(() => document.querySelector("#scenario-title").value === "My work");
    await page.waitForTimeout(100);
    const tab = await context.newPage();
    await tab.goto(link);
    await tab.waitForSelector("#restore-kept");
    assert.equal(await tab.inputValue("#scenario-title"), "Shared with me");
    assert.match(await tab.textContent(".notice-kept"), /Opened the shared scenario from the link/);
    assert.equal(await tab.textContent("#restore-kept"), "Restore your previous work");
    await tab.click("#restore-kept");
    await tab.waitForFunction(() => document.querySelector("#scenario-title").value === "My work");
    assert.match(await tab.textContent(".req-table"), /my own request/);
    await context.close();
  });
});

describe("starting your own", () => {
  test("New (blank), an editable title, requests from these statements, clear all requests", async () => {
    const { context, page } = await freshPage();
    await page.click("#new-blank");
    await page.waitForSelector("#requests-from-statements.primary");
    assert.equal((await decisions(page)).length, 0);
    assert.equal(await page.$$eval(".policy-item", (p) => p.length), 1);
    await page.fill("#scenario-title", "My bucket");
    await replaceEditorText(
      page,
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadReports",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: "arn:aws:s3:::reports-bucket/${aws:username}/*",
            Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
          },
          { Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
        ],
      })
    );
    await page.click("#requests-from-statements");
    await waitForDecisions(page, ["allowed", "explicitDeny"]);
    await selectRequest(page, 1);
    assert.equal(await page.inputValue("#req-action"), "s3:GetObject");
    assert.equal(await page.inputValue("#req-resource"), "arn:aws:s3:::reports-bucket/alice/example");
    assert.equal(await page.inputValue("#req-source-ip"), "203.0.113.0");
    // One click clears them all, and Undo brings them back.
    await page.click("#clear-requests");
    await waitForDecisions(page, []);
    assert.match(await page.textContent(".notice-kept"), /Removed 2 requests/);
    await page.click("#restore-kept");
    await waitForDecisions(page, ["allowed", "explicitDeny"]);
    // A reload keeps the title.
    await page.reload();
    await page.waitForSelector(".req-table tbody tr");
    assert.equal(await page.inputValue("#scenario-title"), "My bucket");
    await context.close();
  });
});

describe("layout", () => {
  test("at 1280×720 the decision, its reason and the highlighted statement are on the first screen", async () => {
    const { context, page } = await freshPage({ viewport: { width: 1280, height: 720 } });
    await selectRequest(page, 1);
    await page.waitForSelector(".cm-deciding");
    const box = async (s) => page.$eval(s, (e) => e.getBoundingClientRect().toJSON());
    const verdict = await box("#verdict");
    assert.ok(verdict.bottom <= 720, `the reason ends at ${verdict.bottom}px`);
    const decided = await box(".decided-by");
    assert.ok(decided.bottom <= 720, `the deciding statement's line ends at ${decided.bottom}px`);
    const highlight = await box(".cm-deciding");
    assert.ok(highlight.top < 720, `the highlighted statement starts at ${highlight.top}px`);
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    await context.close();
  });

  test("at 1024×768 the requests and their decisions come first", async () => {
    const { context, page } = await freshPage({ viewport: { width: 1024, height: 768 } });
    const table = await page.$eval(".req-table", (e) => e.getBoundingClientRect().toJSON());
    assert.ok(table.bottom <= 768, `the table ends at ${table.bottom}px`);
    await context.close();
  });

  test("on a phone (390 px) nothing scrolls sideways, the table comes first and every dialog fits", async () => {
    const { context, page } = await freshPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.equal(width, 390, `the page is ${width} px wide`);
    const badge = await page.$eval(".req-table tbody tr:first-child .badge", (e) => e.getBoundingClientRect().toJSON());
    assert.ok(badge.right <= 390, `the Decision badge ends at ${badge.right}px`);
    assert.ok(badge.top < 844, `the first decision is at ${badge.top}px`);
    await page.click("#open-gallery");
    await page.waitForSelector(".example");
    const close = await page.$eval(".modal-close", (e) => e.getBoundingClientRect().toJSON());
    assert.ok(close.right <= 390 && close.top >= 0 && close.bottom <= 844, `close button at ${JSON.stringify(close)}`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390);
    await page.click(".modal-close");
    await page.waitForSelector(".modal", { state: "detached" });
    await context.close();
  });
});

describe("errors where the user looks", () => {
  test("each bad request field is marked at the field", async () => {
    const { context, page } = await freshPage();
    await selectRequest(page, 1);
    await page.fill("#req-principal", "not an arn");
    await page.fill("#req-action", "GetObject");
    await page.fill("#req-source-ip", "999.1.1.1");
    for (const id of ["req-principal", "req-action", "req-source-ip"]) {
      assert.equal(await page.getAttribute(`#${id}`, "aria-invalid"), "true", id);
      assert.ok((await page.textContent(`#${id}-problem`)).length > 10, id);
    }
    assert.match(await page.textContent("#req-action-problem"), /has no service/);
    await context.close();
  });

  test("while the JSON is broken the requests are “not evaluated” in grey, not failed", async () => {
    const { context, page } = await freshPage();
    await replaceEditorText(page, '{ "Version": "2012-10-17", "Statement": [');
    await page.waitForSelector(".badge-none");
    const all = await decisions(page);
    assert.ok(all.length === 7 && all.every((d) => d === "Not evaluated"), JSON.stringify(all));
    assert.equal(await page.$$eval(".mark.fail", (m) => m.length), 0);
    assert.equal(await page.$(".expect-line.fail"), null, "no failed expectation under Why");
    assert.doesNotMatch(await page.textContent("#summary"), /not$|\d+ not\b(?! evaluated)/);
    assert.match(await page.textContent("#summary"), /not evaluated/);
    await context.close();
  });

  test("a missing comma is marked at the end of the line where the comma goes", async () => {
    const { context, page } = await freshPage();
    await replaceEditorText(
      page,
      '{\n  "Version": "2012-10-17"\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}'
    );
    await page.waitForSelector(".diag.error");
    assert.match(await page.textContent(".diag.error"), /Line 2, column 26: missing comma at the end of line 2/);
    // The squiggle is on line 2 (where the comma belongs), and wide enough to see.
    const squiggle = await page.$eval(".cm-lintRange-error", (e) => ({
      text: e.textContent,
      width: e.getBoundingClientRect().width,
      line: [...document.querySelectorAll(".cm-line")].indexOf(e.closest(".cm-line")) + 1,
    }));
    assert.equal(squiggle.line, 2, JSON.stringify(squiggle));
    assert.ok(squiggle.width > 40, JSON.stringify(squiggle));
    await context.close();
  });

  test("lint errors count in the badge, and “did you mean” is a one-click fix", async () => {
    const { context, page } = await freshPage();
    await page.waitForSelector('.app[data-catalog="ready"]', { timeout: 30000 });
    await replaceEditorText(
      page,
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObjekt", Resource: "*" }] })
    );
    await page.waitForSelector('.fix-button[data-fix="s3:GetObject"]');
    assert.equal(await page.textContent(".policy-item.selected .error-count"), "1 problems");
    await page.click('.fix-button[data-fix="s3:GetObject"]');
    await page.waitForFunction(() => document.querySelector(".cm-content").textContent.includes('"s3:GetObject"'));
    await page.waitForSelector(".policy-item.selected .error-count", { state: "detached" });
    await context.close();
  });

  test("a private source IP is called out: aws:SourceIp never holds one through a public endpoint", async () => {
    const { context, page } = await freshPage();
    await selectRequest(page, 1);
    await page.fill("#req-source-ip", "10.1.2.3");
    await page.waitForSelector(".private-ip-note");
    assert.match(await page.textContent(".private-ip-note"), /10\.1\.2\.3 is a private address/);
    assert.match(await page.textContent("#req-source-ip-problem"), /private address/);
    await context.close();
  });
});

describe("the gallery", () => {
  test("grouped by topic, a line on each example, and every layer among them", async () => {
    const { context, page } = await freshPage();
    await page.click("#open-gallery");
    await page.waitForSelector(".example");
    const groups = await page.$$eval(".example-group", (gs) =>
      gs.map((g) => ({
        title: g.querySelector("h3").textContent,
        line: g.querySelector(".group-line")?.textContent || "",
        examples: [...g.querySelectorAll(".example")].map((e) => ({
          path: e.dataset.path,
          line: e.querySelector(".example-desc").textContent,
        })),
      }))
    );
    assert.ok(groups.length >= 6, JSON.stringify(groups.map((g) => g.title)));
    const all = groups.flatMap((g) => g.examples);
    assert.ok(all.length >= 40, `${all.length} examples`);
    for (const g of groups) assert.ok(g.line.length > 20, g.title);
    for (const e of all) assert.ok(e.line.length > 20, e.path);
    assert.doesNotMatch(JSON.stringify(groups), /seed document/);
    for (const layer of ["scps", "rcps", "permissions-boundary", "role-sessions", "vpc-endpoint", "cross-account"]) {
      assert.ok(all.some((e) => e.path.includes(layer)), layer);
    }
    // An SCP example loads with every expectation met.
    await page.click('.example[data-path="layers/scps.json"]');
    await page.waitForSelector(".modal", { state: "detached" });
    assert.match(await page.textContent("#summary"), /, 0 not/);
    assert.ok(await page.$('.layer[data-layer="scps"] .policy-item'));
    await context.close();
  });

  test("each layer heading says when it applies", async () => {
    const { context, page } = await freshPage();
    const whens = await page.$$eval(".layer .layer-when", (w) => w.map((e) => e.textContent));
    assert.equal(whens.length, 7);
    assert.ok(whens.every((w) => w.length > 30));
    await context.close();
  });
});

describe("one voice", () => {
  test("the selected request survives a reload; the pass/fail column has a header; no console warnings", async () => {
    const warnings = [];
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await openApp(context, env.server.url, (p) =>
      p.on("console", (m) => {
        if (m.type() === "warning" || m.type() === "error") warnings.push(m.text());
      })
    );
    await page.waitForTimeout(300);
    assert.deepEqual(warnings, [], "no console warnings on load");
    assert.equal((await page.textContent(".req-table thead .col-mark")).trim(), "Expected?");
    await selectRequest(page, 3);
    await page.waitForTimeout(100);
    await page.reload();
    await page.waitForSelector(".req-table tbody tr:nth-child(3).active");
    // And a share link opens on the same request.
    await page.click("#share");
    const link = await page.inputValue("#share-link");
    const other = await (await env.browser.newContext()).newPage();
    await other.goto(link);
    await other.waitForSelector(".req-table tbody tr:nth-child(3).active");
    await other.context().close();
    await context.close();
  });
});

describe("screenshots", () => {
  const sizes = [
    [1440, 900],
    [1024, 768],
    [390, 844],
  ];
  test("three sizes, light and dark", async () => {
    const extra = process.env.UX_SHOTS;
    if (extra) mkdirSync(extra, { recursive: true });
    for (const theme of ["light", "dark"]) {
      for (const [width, height] of sizes) {
        const { context, page } = await freshPage({
          viewport: { width, height },
          colorScheme: theme,
          isMobile: width < 600,
          hasTouch: width < 600,
        });
        await selectRequest(page, 2);
        await page.waitForTimeout(150);
        const name = `newcomer-${width}x${height}-${theme}.png`;
        await page.screenshot({ path: artifact(name) });
        if (extra) await page.screenshot({ path: join(extra, name) });
        await page.click("#open-gallery");
        await page.waitForSelector(".example");
        const gallery = `newcomer-gallery-${width}x${height}-${theme}.png`;
        await page.screenshot({ path: artifact(gallery) });
        if (extra) await page.screenshot({ path: join(extra, gallery) });
        await context.close();
      }
    }
  });
});
