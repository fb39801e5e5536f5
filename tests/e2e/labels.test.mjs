// One layer vocabulary: the playground and the documentation widget show the engine's
// labels (the command line prints the same sentences: see the Rust tests
// `an_scp_level_has_the_engines_label` in web/src/engine.rs and crates/iam-policy-wasm).
// Also the screenshots for review: SCP levels, a rejected policy, the widget.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, openApp, replaceEditorText, waitForDecisions, withPlayground } from "./helpers.mjs";

const SCPS = join(ROOT, "tests/scenarios/layers/scps.json");
const SCENARIO = JSON.parse(readFileSync(SCPS, "utf8"));
const EXPECTED = SCENARIO.requests.map((r) => r.expect);

// The engine's words for the second SCP level (crates/iam-policy/src/layer.rs).
const LEVEL_LABEL = "the SCPs of organization level 1 below the root";
const LEVEL_TITLE = "SCPs · level 1";
const POLICY_TITLE = "SCP 1 · level 1";

const env = withPlayground();

describe("one layer vocabulary", () => {
  test("the playground shows the engine's labels for an SCP level, and a rejected policy by its name", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await openApp(context, env.server.url);
    await page.setInputFiles("#upload", SCPS);
    await page.waitForSelector(".notice");
    await waitForDecisions(page, EXPECTED);
    // Request 2: the second level has no Allow for IAM.
    await page.click(".req-table tbody tr:nth-child(2) .row-select");
    await page.waitForSelector(".req-table tbody tr:nth-child(2).active");
    assert.match(await page.textContent("#verdict"), new RegExp(`no statement in ${LEVEL_LABEL} allows the request`));
    const layer = page.locator('.trace-layer[data-layer="scps/1"]');
    assert.equal(await layer.locator(".layer-name").textContent(), LEVEL_TITLE);
    assert.equal(await layer.locator(".layer-verdict").textContent(), "has no statement that allows");
    assert.ok(await layer.evaluate((e) => e.classList.contains("blocked")), "the blocking level is marked");
    // The policy list: the same level titles, and the engine's title as the default name.
    const levels = await page.$$eval(".layer[data-layer=scps] .level-title", (els) => els.map((e) => e.textContent));
    assert.deepEqual(levels, ["SCPs · organization root", LEVEL_TITLE]);
    assert.equal(await page.textContent("#policy-scps-1-0 .policy-name"), POLICY_TITLE);
    await page.screenshot({ path: artifact("scps-playground.png") });
    await page.locator(".explanation").screenshot({ path: artifact("scps-explanation.png") });

    // AWS would refuse an identity policy with a Principal: no request is evaluated, and the
    // explanation names the policy as the user named it, with its problem and position.
    await page.fill("#policy-name", "admin access");
    await replaceEditorText(
      page,
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*" }\n  ]\n}'
    );
    await waitForDecisions(page, EXPECTED.map(() => "Error"));
    assert.equal(
      await page.textContent("#verdict"),
      "AWS would refuse to store “admin access”, so the request is not evaluated."
    );
    const why = await page.textContent(".diag-list.rejected");
    assert.match(why, /^“admin access”, line 4, column \d+: .*AWS rejects this policy/);
    await page.screenshot({ path: artifact("rejected-policy.png") });
    await page.locator(".explanation").screenshot({ path: artifact("rejected-policy-explanation.png") });
    assert.deepEqual(page.errors, []);
    await context.close();
  });

  test("the widget shows the same labels", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1100, height: 1400 }, serviceWorkers: "block" });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>SCP labels</title>
<script type="module" src="./iam-policy-playground.js"></script></head><body>
<iam-policy-playground id="scps" playground="none"><script type="application/json">${JSON.stringify(SCENARIO)}</script></iam-policy-playground>
</body></html>`;
    await page.route("**/widget/scp-labels.html", (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }));
    await page.goto(`${env.server.url}widget/scp-labels.html`);
    const widget = page.locator("#scps");
    await widget.locator(".verdict .decision").waitFor();
    await widget.locator(".tab").nth(1).click();
    await page.waitForFunction(
      (label) => document.querySelector("#scps").shadowRoot.querySelector(".verdict").innerText.includes(label),
      LEVEL_LABEL
    );
    const heads = await widget.locator(".layer-head").allTextContents();
    assert.ok(heads.includes(`${LEVEL_TITLE} — has no statement that allows`), JSON.stringify(heads));
    const labels = await widget.locator(".policy label").allTextContents();
    assert.ok(labels.includes(POLICY_TITLE), JSON.stringify(labels));
    // Statements are numbered as in the playground (the engine's labels).
    assert.match(await widget.locator(".why").innerText(), /Statement 0 "OuAllowsS3AndEc2" \(Allow\) does not apply/);
    await page.screenshot({ path: artifact("scps-widget.png"), fullPage: true });

    // The widget's own example page, for review.
    await page.goto(`${env.server.url}widget/example/`);
    await page.locator("#ip-example .verdict .decision").waitFor();
    await page.screenshot({ path: artifact("widget-example.png"), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
});
