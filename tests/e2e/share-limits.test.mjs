// A share link is untrusted input: a few kilobytes of a repetitive payload inflate about
// 700:1. Crafted links (generated here) must be refused with a message naming the limit,
// within a second of what opening the playground takes anyway, and the page must stay usable.
// Run by `cargo xtask test` (or `node --test tests/e2e/share-limits.test.mjs` after
// `cargo xtask build`).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { DIST, artifact, decisions, launch, openApp, startServer } from "./helpers.mjs";

let browser;
let server;

before(async () => {
  browser = await launch();
  server = await startServer(DIST);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/// The fragment of a share link holding `scenario` (as the playground writes it).
function link(scenario) {
  const json = Buffer.from(JSON.stringify(scenario));
  return `${server.url}#s=1.${deflateRawSync(json, { level: 9 }).toString("base64url")}`;
}

function policy(resource, condition) {
  const st = { Effect: "Allow", Action: "s3:GetObject", Resource: resource };
  if (condition) st.Condition = condition;
  return JSON.stringify({ Version: "2012-10-17", Statement: [st] });
}

const REQUEST = {
  principal: "arn:aws:iam::111122223333:user/alice",
  action: "s3:GetObject",
  resource: "arn:aws:s3:::b/k",
};

/// Opens `url` and returns the page with the milliseconds from navigation until the app first
/// rendered its request table and, if any, its error notice (recorded in the page as the
/// elements appear, not when the test gets to look).
async function open(url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await openApp(context, url, (p) =>
    p.addInitScript(() => {
      window.__shown = {};
      new MutationObserver(() => {
        const now = performance.now();
        if (!window.__shown.app && document.querySelector(".req-table tbody tr")) window.__shown.app = now;
        if (!window.__shown.notice && document.querySelector(".notice-error")) window.__shown.notice = now;
      }).observe(document, { childList: true, subtree: true });
    })
  );
  const shown = await page.evaluate(() => window.__shown);
  return { context, page, shown };
}

/// How much longer than the playground alone (opened just before, best of three tries: the
/// machine may be busy) the link takes to show its notice; and the page, still open.
async function extraTime(url) {
  let best;
  for (let i = 0; i < 3; i++) {
    const plain = await open(server.url);
    await plain.context.close();
    const linked = await open(url);
    const extra = (linked.shown.notice ?? Infinity) - plain.shown.app;
    if (!best || extra < best.extra) {
      await best?.context.close();
      best = { ...linked, extra, plain: plain.shown.app };
    } else {
      await linked.context.close();
    }
    if (best.extra < 1000) break;
  }
  return best;
}

describe("share links over the limits", () => {
  const cases = [
    {
      name: "4 MiB of unclosed ${ in a policy",
      scenario: {
        policies: { identity: [policy(`arn:aws:s3:::b/${"${".repeat(2 * 1024 * 1024)}`)] },
        requests: [REQUEST],
      },
      limit: "MAX_PAYLOAD",
    },
    {
      name: "a 600 KB policy of unclosed ${",
      scenario: {
        policies: { identity: [policy(`arn:aws:s3:::b/${"${".repeat(300000)}`)] },
        requests: [REQUEST],
      },
      limit: "MAX_POLICY_TEXT",
    },
    {
      name: "a giant StringLike pattern and value",
      scenario: {
        policies: {
          identity: [policy("*", { StringLike: { "aws:userid": `${"*a".repeat(25000)}b` } })],
        },
        requests: [{ ...REQUEST, context: { "aws:userid": "a".repeat(50000) } }],
      },
      limit: "MAX_REQUEST_TEXT",
    },
  ];

  test("each crafted link is refused with the limit named, within a second", async () => {
    for (const c of cases) {
      const url = link(c.scenario);
      const fragment = url.length - server.url.length;
      assert.ok(fragment < 16 * 1024, `${c.name}: the link is ${fragment} bytes`);
      const { context, page, shown, extra, plain } = await extraTime(url);
      const text = await page.textContent(".notice-error");
      console.log(
        `${c.name}: a ${fragment}-byte link refused ${Math.round(shown.notice)} ms after navigation, ` +
          `${Math.round(extra)} ms more than the playground alone (${Math.round(plain)} ms): ${text}`
      );
      assert.match(text, /Could not open the link/);
      assert.match(text, /too large to open/);
      assert.ok(text.includes(c.limit), text);
      assert.match(text, /nothing in it was evaluated/);
      assert.ok(extra < 1000, `${c.name}: ${Math.round(extra)} ms more than without a link`);
      // The page stays usable: the autosaved or default workspace is shown and evaluated.
      assert.ok((await decisions(page)).length > 0);
      assert.deepEqual(page.errors, []);
      if (c.limit === "MAX_PAYLOAD") await page.screenshot({ path: artifact("share-limits.png") });
      await context.close();
    }
  });
});

describe("damaged share links", () => {
  test("a link cut short or not DEFLATE says so, and the page stays usable", async () => {
    const whole = link({ policies: { identity: [policy("*")] }, requests: [REQUEST] });
    const [base, data] = whole.split("#s=1.");
    const cases = [
      // Half of the base64url (whole groups of 4: valid base64 of DEFLATE data cut short).
      { name: "cut short", url: `${base}#s=1.${data.slice(0, Math.floor(data.length / 8) * 4)}` },
      { name: "not DEFLATE", url: `${server.url}#s=1.AAAA` },
      { name: "not base64url", url: `${server.url}#s=1.%25%25` },
    ];
    for (const c of cases) {
      const { context, page } = await open(c.url);
      await page.waitForSelector(".notice-error");
      const text = await page.textContent(".notice-error");
      console.log(`${c.name}: ${text}`);
      assert.match(text, /Could not open the link: the link is cut short or damaged/);
      assert.ok((await decisions(page)).length > 0);
      assert.equal(new URL(page.url()).hash, "", "the fragment is removed once read");
      assert.deepEqual(page.errors, []);
      await context.close();
    }
  });
});
