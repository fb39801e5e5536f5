// "What would change this decision" (issue 13): the explanation lists the engine's verified
// suggestions, and "Try it" adds the edited request as a new row beside the user's own —
// here the seed's excluded address (implicitly denied) gets a neighbouring address, which
// the seed policy allows. The user's request and policies stay as they were.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, artifact, decisions, openApp, waitForDecisions, withPlayground } from "./helpers.mjs";

const IP = join(ROOT, "tests/scenarios/shared/image-builder/component-ip-restriction.json");
const SCENARIO = JSON.parse(readFileSync(IP, "utf8"));
const EXPECTED = SCENARIO.requests.map((r) => r.expect);
const EXCLUDED = SCENARIO.requests.findIndex((r) => r.expect === "implicitDeny");

const env = withPlayground();

describe("what would change the decision", () => {
  test("a suggestion's Try it adds the edited request, whose decision flips", async () => {
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await openApp(context, env.server.url);
    await page.setInputFiles("#upload", IP);
    await page.waitForSelector(".notice");
    await waitForDecisions(page, EXPECTED);
    const row = EXCLUDED + 1;
    await page.click(`.req-table tbody tr:nth-child(${row}) .row-select`);
    await page.waitForSelector(`.req-table tbody tr:nth-child(${row}).active`);

    const box = page.locator(".what-would-change");
    await box.waitFor();
    assert.match(await box.locator("h5").textContent(), /What would change it/);
    const tryIt = box.locator("button.try-it").first();
    const label = await tryIt.getAttribute("aria-label");
    assert.match(label, /^Try it: set aws:SourceIp to [\d.]+\. Adds a copy of this request with the change \(Allowed\)\.$/);
    await page.locator(".what-would-change").screenshot({ path: artifact("what-would-change.png") });

    await tryIt.click();
    // A new row after the excluded address, allowed; every other decision as before.
    const after = [...EXPECTED];
    after.splice(row, 0, "allowed");
    await waitForDecisions(page, after);
    await page.waitForSelector(`.req-table tbody tr:nth-child(${row + 1}).active`);
    const name = await page.locator(`.req-table tbody tr:nth-child(${row + 1})`).textContent();
    assert.match(name, /\(try: set aws:SourceIp to [\d.]+\)/);
    assert.match(await page.textContent(".notice"), new RegExp(`Added request ${row + 1} with the change .*request ${row} is as it was`));
    // The new row is explained: allowed by the seed's IPAllow statement.
    assert.match(await page.textContent("#verdict"), /^The request is allowed/);
    assert.deepEqual((await decisions(page)).length, EXPECTED.length + 1);
    await page.screenshot({ path: artifact("what-would-change-tried.png") });
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
