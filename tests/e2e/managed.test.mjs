// AWS managed policies and the policy diff in the playground (issue 13): the picker searches
// the managed policies by name and by service and attaches one as a read-only identity policy
// whose statement then decides, named in the trace; a scenario's {"managed": …} reference
// resolves (an unknown name says "did you mean"), and share links keep the reference; the
// diff view lists what access changed with an example request added in one click. The
// managed data (widget/managed-policies.json) is fetched only when it is needed.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { join } from "node:path";
import { DIST, ROOT, artifact, decisions, openApp, replaceEditorText, startServer, waitForDecisions, withPlayground } from "./helpers.mjs";

const env = withPlayground();
const MANAGED_URL = /widget\/managed-policies\.json/;

const ALICE = "arn:aws:iam::111122223333:user/alice";
const S3_ONLY = {
  Version: "2012-10-17",
  Statement: [{ Sid: "ReadReports", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }],
};
const SCENARIO = {
  format: 1,
  name: "Image Builder without its managed policy",
  policies: { identity: [S3_ONLY] },
  requests: [
    { name: "list images", principal: ALICE, action: "imagebuilder:ListImages", resource: "*", expect: "allowed" },
    { name: "read a report", principal: ALICE, action: "s3:GetObject", resource: "arn:aws:s3:::reports/q1.csv", expect: "allowed" },
  ],
};

function scenarioFile(name, scenario) {
  const dir = join(ROOT, "target", "e2e", "tmp");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(scenario, null, 2));
  return path;
}

/// A share link of a scenario (the `s=` part, as any tool writes it).
const linkOf = (url, scenario) => `${url}#s=1.${deflateRawSync(JSON.stringify(scenario), { level: 9 }).toString("base64url")}`;

/// The page, counting its requests for the managed policies.
async function page(options = {}, url) {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  const fetched = [];
  const p = await openApp(context, url ?? env.server.url, (pg) => pg.on("request", (r) => fetched.push(r.url())));
  p.managedFetches = () => fetched.filter((u) => MANAGED_URL.test(u)).length;
  return { context, page: p };
}

async function attach(page, query, name) {
  await page.click("#add-managed");
  await page.waitForSelector("#managed-search");
  await page.fill("#managed-search", query);
  await page.waitForSelector(`.managed-hit[data-name="${name}"]`, { timeout: 30000 });
  await page.click(`.managed-hit[data-name="${name}"]`);
  await page.waitForSelector(".modal", { state: "detached" });
}

describe("AWS managed policies", () => {
  test("not fetched at first load; the picker finds them by service and attaches one that decides", async () => {
    const { context, page: p } = await page();
    await p.setInputFiles("#upload", scenarioFile("no-managed.json", SCENARIO));
    await waitForDecisions(p, ["implicitDeny", "allowed"]);
    await p.waitForSelector('.app[data-catalog="ready"]', { timeout: 30000 });
    await p.waitForTimeout(300);
    assert.equal(p.managedFetches(), 0, "the managed policies are not part of the first load");

    await p.click("#add-managed");
    await p.fill("#managed-search", "imagebuilder");
    await p.waitForSelector('.managed-hit[data-name="AWSImageBuilderFullAccess"]', { timeout: 30000 });
    assert.equal(p.managedFetches(), 1);
    const names = await p.$$eval(".managed-hit", (els) => els.map((e) => e.dataset.name));
    assert.ok(names.includes("AWSImageBuilderReadOnlyAccess"), names.join());
    const hit = await p.textContent('.managed-hit[data-name="AWSImageBuilderFullAccess"]');
    assert.match(hit, /v\d+ · updated \d{4}-\d\d-\d\d/);
    assert.match(hit, /imagebuilder/);
    await p.screenshot({ path: artifact("managed-picker-1440x900-light.png") });
    await p.click('.managed-hit[data-name="AWSImageBuilderFullAccess"]');
    await p.waitForSelector(".modal", { state: "detached" });

    // Attached as a read-only identity policy with its version and last update.
    await p.waitForSelector(".managed-pane .managed-doc");
    const info = await p.textContent(".managed-info");
    assert.match(info, /AWS managed\s+version v\d+ · last updated \d{4}-\d\d-\d\d · arn:aws:iam::aws:policy\/AWSImageBuilderFullAccess/);
    assert.equal(await p.$(".managed-pane .cm-content"), null, "no editor: read-only");
    // Its statement decides imagebuilder:ListImages, and the trace names it.
    await waitForDecisions(p, ["allowed", "allowed"]);
    await p.click(".req-table tbody tr:nth-child(1) .row-select");
    await p.waitForSelector(".decided-by");
    const decided = await p.textContent(".decided-by");
    assert.match(decided, /statement 0 of “AWSImageBuilderFullAccess \(AWS managed\)”/);
    assert.match(await p.textContent("#verdict"), /allowed/);
    const trace = await p.textContent(".layers-trace");
    assert.match(trace, /AWSImageBuilderFullAccess/);
    // The deciding statement is marked in the document.
    const lit = await p.$$eval(".managed-doc .doc-line.deciding", (els) => els.map((e) => e.textContent).join(""));
    assert.match(lit, /imagebuilder:\*/);
    await p.screenshot({ path: artifact("managed-attached-1440x900-light.png") });

    // A share link keeps the reference, not the document.
    await p.click("#share");
    const link = await p.inputValue("#share-link");
    const parts = Object.fromEntries(link.split("#")[1].split("&").map((x) => [x.slice(0, 1), x.slice(4)]));
    const s = inflateRawSync(Buffer.from(parts.s, "base64url")).toString();
    const w = inflateRawSync(Buffer.from(parts.p, "base64url")).toString();
    assert.match(s, /"managed":"AWSImageBuilderFullAccess"/);
    assert.match(w, /"managed":"AWSImageBuilderFullAccess"/);
    assert.doesNotMatch(s + w, /imagebuilder:\*/);
    // Opening it elsewhere resolves it again.
    const other = await page({}, link);
    await waitForDecisions(other.page, ["allowed", "allowed"], 30000);
    assert.equal(other.page.managedFetches(), 1);
    assert.deepEqual(other.page.errors, []);
    await other.context.close();
    assert.deepEqual(p.errors, []);
    await context.close();
  });

  test("a scenario's {\"managed\": …} reference resolves; an unknown name says did you mean", async () => {
    const scenario = {
      ...SCENARIO,
      name: "attached by ARN",
      policies: { identity: [{ managed: "arn:aws:iam::aws:policy/AWSImageBuilderFullAccess" }, S3_ONLY] },
    };
    const { context, page: p } = await page({}, linkOf(env.server.url, scenario));
    await waitForDecisions(p, ["allowed", "allowed"], 30000);
    assert.equal(p.managedFetches(), 1);
    await p.click('.policy-item:has-text("AWSImageBuilderFullAccess")');
    assert.match(await p.textContent(".managed-info"), /arn:aws:iam::aws:policy\/AWSImageBuilderFullAccess/);

    // The gallery's console example attaches AWSImageBuilderFullAccess beside the custom policy.
    await p.click("#open-gallery");
    await p.click('.example[data-path="managed/console-with-full-access.json"]');
    await p.waitForSelector(".modal", { state: "detached" });
    const items = await p.$$eval(".layer[data-layer=identity] .policy-name", (els) => els.map((e) => e.textContent));
    assert.equal(items[0], "AWSImageBuilderFullAccess");
    assert.equal(items.length, 2);
    // Every request's expectation holds (the managed policy's among them).
    await p.waitForFunction(() => {
      const rows = [...document.querySelectorAll(".req-table tbody tr")];
      return rows.length >= 6 && rows.every((r) => r.querySelector(".col-mark .mark.pass"));
    }, null, { timeout: 30000 });

    // Unknown name: an error with "did you mean", one click to use it.
    const typo = { ...SCENARIO, policies: { identity: [{ managed: "AWSImageBuilderFulAccess" }] } };
    await p.setInputFiles("#upload", scenarioFile("typo.json", typo));
    await p.waitForSelector(".managed-pane .notice-error");
    assert.match(await p.textContent(".managed-pane .notice-error"), /did you mean AWSImageBuilderFullAccess/);
    assert.match(await p.textContent(".req-table"), /Not evaluated/);
    await p.click('.managed-fixes button:has-text("Use AWSImageBuilderFullAccess")');
    await waitForDecisions(p, ["allowed", "implicitDeny"]);
    assert.deepEqual(p.errors, []);
    await context.close();
  });

  test("offline after a visit that used them, a managed reference still resolves", async () => {
    // Its own server, so that it can be stopped: the network really goes away.
    const own = await startServer(DIST);
    const scenario = { ...SCENARIO, name: "offline", policies: { identity: [{ managed: "AWSImageBuilderFullAccess" }, S3_ONLY] } };
    const url = linkOf(own.url, scenario);
    const { context, page: p } = await page({}, url);
    await waitForDecisions(p, ["allowed", "allowed"], 30000);
    await p.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((ok) => navigator.serviceWorker.addEventListener("controllerchange", ok, { once: true }));
      }
    });
    // The page was not yet controlled when it fetched the managed policies: fetch them once
    // more under the service worker (as any later visit does), then lose the network.
    await p.reload();
    await waitForDecisions(p, ["allowed", "allowed"], 30000);
    await own.close();
    await p.reload();
    await waitForDecisions(p, ["allowed", "allowed"], 30000);
    assert.equal(await p.$(".managed-pane .notice-error"), null);
    await context.close();
  });
});

describe("the diff view", () => {
  test("what changed since the start, with an example request added in one click", async () => {
    const { context, page: p } = await page();
    await p.setInputFiles("#upload", scenarioFile("diff.json", SCENARIO));
    await waitForDecisions(p, ["implicitDeny", "allowed"]);
    await p.waitForSelector('.app[data-catalog="ready"]', { timeout: 30000 });
    const wider = {
      ...S3_ONLY,
      Statement: [{ ...S3_ONLY.Statement[0], Action: ["s3:GetObject", "s3:PutObject"] }],
    };
    await replaceEditorText(p, JSON.stringify(wider, null, 2));
    await p.click("#open-diff");
    await p.waitForSelector('.diff-change[data-action="s3:PutObject"]', { timeout: 30000 });
    assert.match(await p.textContent(".diff-summary"), /1 granted/);
    const change = p.locator('.diff-change[data-action="s3:PutObject"]');
    assert.match(await change.textContent(), /granted/);
    assert.match(await change.locator(".diff-statements").textContent(), /new statement 0 “ReadReports”/);
    await p.screenshot({ path: artifact("diff-1440x900-light.png") });
    const before = (await decisions(p)).length;
    await change.locator("button.diff-add").click();
    await p.waitForFunction((n) => document.querySelectorAll(".req-table tbody tr").length === n, before + 1);
    assert.equal(await change.locator("button.diff-add").textContent(), "Added ✓");
    await p.keyboard.press("Escape");
    await p.waitForSelector(".modal", { state: "detached" });
    // The new request is decided as the example says under the new version.
    assert.equal((await decisions(p))[before], "allowed");
    assert.match(await p.textContent(`.req-table tbody tr:nth-child(${before + 1})`), /s3:PutObject: granted \(implicit deny → allowed\)/);

    // Two pasted versions: what was revoked.
    await p.click("#open-diff");
    await p.click("#diff-pasted");
    await p.fill("#diff-old", JSON.stringify(wider));
    await p.fill("#diff-new", JSON.stringify(S3_ONLY));
    await p.waitForSelector('.diff-change.revoked[data-action="s3:PutObject"]', { timeout: 30000 });
    assert.deepEqual(p.errors, []);
    await context.close();
  });
});

describe("screenshots of the picker and the diff view", () => {
  test("1440×900, 1024×768 and 390×844, light and dark", async () => {
    for (const theme of ["light", "dark"]) {
      for (const [width, height] of [[1440, 900], [1024, 768], [390, 844]]) {
        const phone = width < 600;
        const { context, page: p } = await page({ viewport: { width, height }, colorScheme: theme, isMobile: phone, hasTouch: phone });
        await p.setInputFiles("#upload", scenarioFile("shots.json", SCENARIO));
        await waitForDecisions(p, ["implicitDeny", "allowed"]);
        await p.waitForSelector('.app[data-catalog="ready"]', { timeout: 30000 });
        await p.click("#add-managed");
        await p.fill("#managed-search", "imagebuilder");
        await p.waitForSelector('.managed-hit[data-name="AWSImageBuilderFullAccess"]', { timeout: 30000 });
        await p.screenshot({ path: artifact(`managed-picker-${width}x${height}-${theme}.png`) });
        await p.click('.managed-hit[data-name="AWSImageBuilderFullAccess"]');
        await p.waitForSelector(".managed-pane .managed-doc");
        await p.locator(".managed-pane").scrollIntoViewIfNeeded();
        await p.screenshot({ path: artifact(`managed-pane-${width}x${height}-${theme}.png`) });
        await p.click('.policy-item:has-text("Identity policy 1")');
        await replaceEditorText(p, JSON.stringify({ ...S3_ONLY, Statement: [{ ...S3_ONLY.Statement[0], Action: "s3:*" }] }, null, 2));
        await p.click("#open-diff");
        await p.waitForSelector(".diff-change", { timeout: 30000 });
        await p.screenshot({ path: artifact(`diff-${width}x${height}-${theme}.png`) });
        const sideways = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(sideways, false, `${width}x${height}: nothing scrolls sideways`);
        assert.deepEqual(p.errors, []);
        await context.close();
      }
    }
  });
});
