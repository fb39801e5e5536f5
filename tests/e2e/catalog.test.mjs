// End-to-end tests of the playground's lazy half: the service catalog, loaded after the first
// render (editor-extras.js, the browser npm package with iam-lint, widget/lint/catalog.json):
// findings as squiggles and in the list, the access summary, the wildcard popover, completion.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { artifact, openApp, replaceEditorText, withPlayground } from "./helpers.mjs";

const env = withPlayground();

const POLICY = [
  "{",
  '  "Version": "2012-10-17",',
  '  "Statement": [',
  '    { "Effect": "Allow", "Action": ["s3:GetObjekt", "s3:Get*"], "Resource": "*" },',
  '    { "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*" }',
  "  ]",
  "}",
].join("\n");

async function readyPage() {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await openApp(context, env.server.url);
  // The first render does not wait for the catalog: the app is usable while it loads.
  assert.ok(await page.$(".req-table tbody tr"));
  await page.waitForSelector('.app[data-catalog="ready"]', { timeout: 30000 });
  return { context, page };
}

describe("the service catalog (lazy)", () => {
  test("findings: squiggles by category, the list with hints, click to jump", async () => {
    const { context, page } = await readyPage();
    await replaceEditorText(page, POLICY);
    await page.waitForFunction(() => /did you mean/i.test(document.querySelector(".diag-list")?.textContent || ""));
    const items = await page.$$eval(".diag-list .diag", (els) =>
      els.map((e) => ({ cls: e.className, text: e.textContent }))
    );
    const unknown = items.find((i) => /GetObjekt/.test(i.text));
    assert.ok(unknown, JSON.stringify(items));
    assert.match(unknown.cls, /\berror\b/);
    assert.match(unknown.text, /^Line 4, column \d+: .*did you mean "s3:GetObject"/);
    // The category badge's name (CSS generated content, from the lazy stylesheet).
    const badge = await page.$eval(".diag-list .diag.error .cat-badge", (e) => getComputedStyle(e, "::before").content);
    assert.equal(badge, '"Error"');
    assert.ok(items.some((i) => /securityWarning/.test(i.cls) && /^Line 5/.test(i.text)), JSON.stringify(items));
    // The squiggle is on line 4, under the unknown action.
    await page.waitForSelector(".cm-lintRange-error");
    const marked = await page.$$eval(".cm-lintRange-error", (els) => els.map((e) => e.textContent).join(" "));
    assert.match(marked, /GetObjekt/);
    assert.ok(await page.$(".cm-lintRange-securityWarning"));
    // Clicking the finding selects it in the editor.
    await page.click(".diag-list .diag.error .diag-pos");
    const selected = await page.evaluate(() => String(window.getSelection()));
    assert.match(selected, /GetObjekt/);
    await context.close();
  });

  test("the access summary of an identity policy", async () => {
    const { context, page } = await readyPage();
    // The seed example (imagebuilder:*): every access level in full.
    await page.waitForSelector('.access-summary tr[data-service="imagebuilder"]');
    assert.equal(await page.textContent('.access-summary tr[data-service="imagebuilder"] td[data-level="Read"]'), "Full");
    await replaceEditorText(page, POLICY);
    await page.waitForSelector('.access-summary tr[data-service="s3"]');
    assert.equal(await page.textContent('.access-summary tr[data-service="s3"] td[data-level="Read"]'), "Partial");
    assert.equal(await page.textContent('.access-summary tr[data-service="s3"] td[data-level="Write"]'), "");
    assert.equal(await page.textContent('.access-summary tr[data-service="iam"] td[data-level="Write"]'), "Partial");
    await page.screenshot({ path: artifact("catalog-findings-summary.png"), fullPage: true });
    await context.close();
  });

  test("hovering a wildcard action lists what it expands to", async () => {
    const { context, page } = await readyPage();
    await replaceEditorText(page, POLICY);
    const token = page.locator(".cm-line span", { hasText: '"s3:Get*"' }).first();
    await token.hover();
    await page.waitForSelector(".cm-expand");
    const text = await page.textContent(".cm-expand");
    assert.match(text, /s3:Get\* matches \d+ actions/);
    assert.match(text, /s3:GetObjectRead/);
    assert.match(text, /s3:GetBucketPolicyRead/);
    await page.screenshot({ path: artifact("catalog-wildcard-popover.png") });
    await context.close();
  });

  test("completion of actions, condition keys and ARN templates", async () => {
    const { context, page } = await readyPage();
    await replaceEditorText(page, '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", "Action": "');
    await page.keyboard.type("s3:GetOb");
    await page.waitForSelector(".cm-complete li");
    const options = await page.$$eval(".cm-complete li", (els) => els.map((e) => e.textContent));
    assert.ok(options.some((o) => o.startsWith("s3:GetObject") && o.endsWith("Read")), JSON.stringify(options));
    await page.screenshot({ path: artifact("catalog-completion.png") });
    // The first option is s3:GetObject; Enter takes it.
    assert.match(options[0], /^s3:GetObjectRead$/);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".cm-complete", { state: "detached" });
    assert.match(await page.textContent(".cm-content"), /"Action": "s3:GetObject/);
    // ARN templates for the statement's action.
    await page.keyboard.type('", "Resource": "arn:');
    await page.waitForSelector(".cm-complete li");
    const arns = await page.$$eval(".cm-complete li", (els) => els.map((e) => e.textContent));
    assert.ok(arns.some((o) => o.includes("${BucketName}/${ObjectName}")), JSON.stringify(arns));
    await page.keyboard.press("Escape");
    await page.waitForSelector(".cm-complete", { state: "detached" });
    // Condition keys valid for the statement's actions.
    await page.keyboard.type('", "Condition": { "IpAddress": { "aws:SourceI');
    await page.waitForSelector(".cm-complete li");
    const keys = await page.$$eval(".cm-complete li", (els) => els.map((e) => e.textContent));
    assert.ok(keys.some((o) => o.startsWith("aws:SourceIp")), JSON.stringify(keys));
    await context.close();
  });
});
