// <iam-policy-playground> end to end, in headless Chromium: the example documentation page
// (web/widget/example, built into web/widget/dist by `cargo xtask widget`) and the README's
// snippet pasted into a plain page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
import { measure, table } from "../tools/size.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../../..");
// The whole built site (Trunk's dist/, e.g. after `cargo xtask serve`), when given: then the
// widget is tested as the serve command serves it, under dist/widget/, beside the playground.
const site = process.env.IAM_WIDGET_SITE ? resolve(process.env.IAM_WIDGET_SITE) : null;
const dist = site ? join(site, "widget") : resolve(process.env.IAM_WIDGET_DIST ?? join(root, "web/widget/dist"));
const shots = process.env.IAM_WIDGET_SCREENSHOTS ? resolve(process.env.IAM_WIDGET_SCREENSHOTS) : null;
if (!existsSync(join(dist, "iam-policy-playground.js"))) throw new Error(`no widget in ${dist}: run \`cargo xtask widget\``);

// The README's copy-paste snippet, exactly as written.
const readme = readFileSync(join(root, "web/widget/README.md"), "utf8");
const snippet = readme.split("## Copy this into a page")[1]?.match(/```html\n([\s\S]*?)```/)?.[1];

const HOSTILE_CSS = `
* { color: red !important; font-size: 40px !important; font-family: "Comic Sans MS", cursive !important;
    line-height: 3 !important; letter-spacing: 4px !important; text-transform: uppercase !important; }
button { display: none !important; }
input, textarea { display: none !important; }
.verdict, .tab, .root, .code { background: magenta !important; display: none !important; }
`;

let server, browser;
before(async () => {
  server = await serve(dist, {
    "/hostile.css": ["text/css", HOSTILE_CSS],
    "/snippet.html": ["text/html; charset=utf-8", `<!doctype html><html><head><meta charset="utf-8"><title>snippet</title></head><body>\n${snippet}\n</body></html>`],
  }, site);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page and records every request, console error and page error. */
async function open(path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  const seen = { requests: [], failed: [], errors: [] };
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("requestfailed", (r) => seen.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("console", (m) => m.type() === "error" && seen.errors.push(m.text()));
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  await page.goto(server.origin + path);
  return { context, page, seen };
}

/** The widget's verdict (decision class and text) once it has one. */
async function verdict(page, host) {
  const v = page.locator(`${host} .verdict`);
  await v.locator(".decision").waitFor();
  return { cls: (await v.getAttribute("class")).replace("verdict", "").trim(), text: await v.innerText() };
}

/** Waits until the verdict has the decision class `cls` and, if given, text matching `re`. */
async function waitVerdict(page, host, cls, re = /./) {
  await page.waitForFunction(
    ([host, cls, source]) => {
      const v = document.querySelector(host)?.shadowRoot?.querySelector(".verdict");
      return v && v.classList.contains(cls) && v.querySelector(".decision") && new RegExp(source).test(v.innerText);
    },
    [host, cls, re.source],
  );
  return verdict(page, host);
}

test("the widget's size is reported", () => {
  const size = measure(dist);
  console.log(`widget size:\n${table(size)}`);
  // Budget: what a docs page downloads, compressed.
  assert.ok(size.total.gzip < 320 * 1024, `gzip total ${size.total.gzip} bytes`);
});

test("the example page: both widgets render, decisions follow the inputs, nothing else is fetched", async () => {
  const { context, page, seen } = await open("/widget/example/index.html");
  try {
    // 1. Both render, with the seed scenarios' decisions.
    const ip = await verdict(page, "#ip-example");
    assert.equal(ip.cls, "allowed");
    assert.match(ip.text, /Allowed/);
    assert.match(ip.text, /The request is allowed: an identity-based policy allows it/);
    assert.match(ip.text, /As expected/);
    const reg = await verdict(page, "#register-image");
    assert.equal(reg.cls, "allowed");
    assert.equal(await page.locator("#register-image .tab").count(), 4);
    assert.deepEqual(
      await page.locator("#register-image .tab .dot").allInnerTexts(),
      ["✓", "✓", "–", "–"],
      "the RegisterImage requests: allowed, allowed, implicit deny, implicit deny",
    );
    // The explanation says why, condition by condition.
    const why = await page.locator("#ip-example .why").innerText();
    assert.match(why, /aws:SourceIp 54\.240\.143\.5 is inside 54\.240\.143\.0\/24, so IpAddress is true/);

    // 2. A decision changes when an input changes: the source IP.
    const sourceIp = page.locator('#ip-example input[data-key="ctx-aws:SourceIp"]');
    assert.equal(await sourceIp.inputValue(), "54.240.143.5");
    assert.equal(await page.locator('#ip-example label[for]', { hasText: "aws:SourceIp" }).count(), 1, "the field has a label");
    await sourceIp.fill("54.240.143.188");
    let v = await waitVerdict(page, "#ip-example", "implicit", /✗ Expected Allowed, but the decision is Implicit deny\./);
    assert.match(v.text, /Implicit deny/);
    assert.match(v.text, /✗ Expected Allowed, but the decision is Implicit deny\./);
    assert.match(await page.locator("#ip-example .why").innerText(), /54\.240\.143\.188 is inside 54\.240\.143\.188\/32, so NotIpAddress is false/);
    assert.equal(await page.locator("#ip-example .tab").first().locator(".dot").innerText(), "–");
    await sourceIp.fill("");
    v = await waitVerdict(page, "#ip-example", "implicit", /Not in the request: aws:SourceIp/);
    await sourceIp.fill("54.240.143.77");
    await waitVerdict(page, "#ip-example", "allowed");

    // Another request of the same widget, by its tab; and back.
    await page.locator("#ip-example .tab", { hasText: "from home" }).click();
    v = await waitVerdict(page, "#ip-example", "implicit", /As expected/);
    assert.equal(await sourceIp.inputValue(), "198.51.100.7");

    // The policy is editable: a broken policy shows its problem with line and column.
    await page.locator("#ip-example .tab", { hasText: "from the office" }).click();
    const editor = page.locator("#ip-example textarea");
    const policy = await editor.inputValue();
    await editor.fill(policy.replace('"Effect": "Allow"', '"Effect": "Alow"'));
    await page.locator("#ip-example .diags li").first().waitFor();
    assert.match(await page.locator("#ip-example .diags").innerText(), /^Line 6, column \d+: /);
    // The policy is named as the engine labels it (no policy ids for readers).
    assert.match(
      await page.locator("#ip-example .verdict").innerText(),
      /AWS would refuse to store identity policy 1, so the request is not evaluated\./,
    );
    await editor.fill(policy.replace("54.240.143.0/24", "54.240.0.0/16"));
    await waitVerdict(page, "#ip-example", "allowed");
    assert.equal(await page.locator("#ip-example .diags li").count(), 0);

    // The readonly widget: fields cannot be edited, tabs still switch.
    assert.equal(await page.locator("#register-image input[readonly]").count(), await page.locator("#register-image input").count());
    assert.equal(await page.locator("#register-image textarea").count(), 0);
    await page.locator("#register-image .tab", { hasText: "tag it from another action" }).click();
    v = await waitVerdict(page, "#register-image", "implicit");
    assert.match(v.text, /implicitly denied/);
    // Its deciding statement is marked in the policy when a request is allowed.
    await page.locator("#register-image .tab", { hasText: "tag the AMI while registering it" }).click();
    await waitVerdict(page, "#register-image", "allowed");
    assert.ok((await page.locator("#register-image .code .ln.mark").count()) >= 5);

    // 3. "Open in playground" carries the edited scenario in the share fragment.
    // The link is compressed with the browser's DEFLATE (a moment after each evaluation).
    await page.waitForSelector("#ip-example a.open[href]");
    const href = await page.locator("#ip-example a.open").getAttribute("href");
    assert.ok(href.startsWith(`${server.origin}/#s=1.`), href);
    const pkg = join(root, "target/npm/node");
    if (existsSync(join(pkg, "package.json"))) {
      const wasm = createRequire(import.meta.url)(pkg);
      const shared = wasm.readShareFragment(new URL(href).hash);
      assert.equal(shared.ok, true, shared.error);
      assert.equal(shared.scenario.requests[0].context["aws:SourceIp"], "54.240.143.77");
      assert.equal(shared.scenario.policies.identity[0].Statement[0].Condition.IpAddress["aws:SourceIp"], "54.240.0.0/16");
    }

    // 4. It fetched nothing but its own files, and nothing failed.
    const foreign = seen.requests.filter((u) => !u.startsWith(server.origin + "/"));
    assert.deepEqual(foreign, [], "requests outside the page's origin");
    assert.deepEqual(seen.failed, []);
    assert.deepEqual(seen.errors, []);
    const paths = seen.requests.map((u) => new URL(u).pathname).sort();
    assert.deepEqual(paths, [
      "/widget/example/docs.css",
      "/widget/example/index.html",
      "/widget/iam-policy-playground.js",
      "/widget/iam_policy_wasm.js",
      "/widget/iam_policy_wasm_bg.wasm",
    ]);

    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.locator("#ip-example .tab", { hasText: "the excluded address" }).click();
      await page.screenshot({ path: join(shots, "example-light.png"), fullPage: true });
    }
  } finally {
    await context.close();
  }
});

test("styles are isolated both ways", async () => {
  const { context, page, seen } = await open("/widget/example/index.html");
  try {
    await verdict(page, "#ip-example");
    await verdict(page, "#register-image");
    const probe = () =>
      page.evaluate(() => {
        const pick = (el) => {
          const s = getComputedStyle(el);
          return {
            color: s.color, fontSize: s.fontSize, fontFamily: s.fontFamily, display: s.display,
            background: s.backgroundColor, lineHeight: s.lineHeight, textTransform: s.textTransform, letterSpacing: s.letterSpacing,
          };
        };
        const out = {};
        for (const host of document.querySelectorAll("iam-policy-playground")) {
          const r = host.shadowRoot;
          for (const sel of [".root", ".title", ".tab", ".verdict", ".decision", ".sentence", "input", ".code", "a.open", ".why summary"]) {
            const el = r.querySelector(sel);
            if (el) out[`${host.id || "attrs"} ${sel}`] = pick(el);
          }
        }
        return out;
      });
    const before = await probe();
    // The page's own opinionated theme (Georgia, brown buttons) did not reach the widget…
    assert.doesNotMatch(before["ip-example .tab"].fontFamily, /Georgia/);
    assert.doesNotMatch(before["ip-example input"].fontFamily, /Georgia/);
    assert.equal(before["ip-example .title"].fontSize, "14px");
    // The widget's styles do not leak out: page elements with the widget's class names stay unstyled.
    const leaked = await page.evaluate(() => {
      const d = document.createElement("div");
      d.innerHTML = '<div class="verdict allowed"><p class="decision">x</p></div><pre class="code"><span class="ln mark" data-n="1">x</span></pre><header class="x"><span class="logo"></span></header>';
      document.body.append(d);
      const bg = (sel) => getComputedStyle(d.querySelector(sel)).backgroundColor;
      return { verdict: bg(".verdict"), ln: bg(".ln"), logo: bg(".logo"), lnBefore: getComputedStyle(d.querySelector(".ln"), "::before").content };
    });
    assert.deepEqual(leaked, { verdict: "rgba(0, 0, 0, 0)", ln: "rgba(0, 0, 0, 0)", logo: "rgba(0, 0, 0, 0)", lnBefore: "none" });
    // …and neither does a hostile stylesheet added now.
    await page.addStyleTag({ url: "/hostile.css" });
    await page.waitForFunction(() => getComputedStyle(document.body).color === "rgb(255, 0, 0)");
    const afterHostile = await probe();
    assert.deepEqual(afterHostile, before);
    for (const [what, s] of Object.entries(afterHostile)) {
      assert.notEqual(s.color, "rgb(255, 0, 0)", what);
      assert.notEqual(s.display, "none", what);
      assert.notEqual(s.fontSize, "40px", what);
    }
    assert.notEqual(await page.locator("#ip-example").evaluate((e) => getComputedStyle(e).display), "none");
    // Still working under the hostile CSS.
    await page.locator('#ip-example input[data-key="ctx-aws:SourceIp"]').fill("10.0.0.1");
    await waitVerdict(page, "#ip-example", "implicit", /✗ Expected Allowed, but the decision is Implicit deny\./);

    assert.deepEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});

test("accessibility: labelled fields, live decision, keyboard tabs", async () => {
  const { context, page } = await open("/widget/example/index.html");
  try {
    await verdict(page, "#ip-example");
    const report = await page.evaluate(() => {
      const r = document.querySelector("#ip-example").shadowRoot;
      const unlabelled = [...r.querySelectorAll("input, textarea")].filter((i) => !r.querySelector(`label[for="${i.id}"]`) && !i.getAttribute("aria-label"));
      return {
        unlabelled: unlabelled.map((i) => i.outerHTML),
        live: r.querySelector(".verdict").getAttribute("aria-live"),
        tabs: [...r.querySelectorAll('[role="tab"]')].map((t) => t.getAttribute("aria-selected")),
        panel: r.querySelector('[role="tabpanel"]').getAttribute("aria-labelledby"),
      };
    });
    assert.deepEqual(report.unlabelled, []);
    assert.equal(report.live, "polite");
    assert.deepEqual(report.tabs, ["true", "false", "false"]);
    assert.ok(report.panel);
    await page.locator("#ip-example .tab").first().focus();
    await page.keyboard.press("ArrowRight");
    await waitVerdict(page, "#ip-example", "implicit");
    assert.equal(await page.locator("#ip-example .tab").nth(1).getAttribute("aria-selected"), "true");
  } finally {
    await context.close();
  }
});

test("dark mode follows the reader's system", async () => {
  const { context, page } = await open("/widget/example/index.html", { colorScheme: "dark" });
  try {
    await verdict(page, "#ip-example");
    const bg = await page.locator("#ip-example .root").evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(bg, "rgb(23, 29, 36)");
    if (shots) await page.screenshot({ path: join(shots, "example-dark.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("the README snippet works pasted into a plain page", async () => {
  assert.ok(snippet, "the README has an html snippet under 'Copy this into a page'");
  const { context, page, seen } = await open("/snippet.html");
  try {
    const v = await verdict(page, "iam-policy-playground");
    assert.equal(v.cls, "allowed");
    await page.locator('iam-policy-playground input[data-key="ctx-aws:SourceIp"]').fill("198.51.100.1");
    await waitVerdict(page, "iam-policy-playground", "implicit", /implicitly denied/);
    // Its "Open in playground" goes to the playground the widget came from (../ of /widget/).
    await page.waitForSelector("iam-policy-playground a.open[href]");
    const href = await page.locator("iam-policy-playground a.open").getAttribute("href");
    assert.ok(href.startsWith(`${server.origin}/#s=1.`), href);
    assert.deepEqual(seen.errors, []);
    if (shots) await page.screenshot({ path: join(shots, "snippet.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("attributes and the script API", async () => {
  const { context, page, seen } = await open("/widget/example/index.html");
  try {
    await verdict(page, "#ip-example");
    // element.scenario and element.result, and the evaluate event.
    const api = await page.evaluate(async () => {
      const el = document.querySelector("#ip-example");
      const events = [];
      el.addEventListener("evaluate", (e) => events.push(e.detail.results[0].decision));
      const input = el.shadowRoot.querySelector('input[data-key="ctx-aws:SourceIp"]');
      input.value = "54.240.143.188";
      input.dispatchEvent(new Event("input"));
      await new Promise((r) => el.addEventListener("evaluate", r, { once: true }));
      return { events, ip: el.scenario.requests[0].context["aws:SourceIp"], decision: el.result.results[0].decision };
    });
    assert.deepEqual(api, { events: ["implicitDeny"], ip: "54.240.143.188", decision: "implicitDeny" });

    // playground="…" sets the link's target; "none" hides the link; theme="dark" forces dark.
    const el = page.locator("#register-image");
    await el.evaluate((e) => e.setAttribute("playground", "https://playground.example/iam/"));
    await page.waitForFunction(() =>
      document.querySelector("#register-image").shadowRoot.querySelector("a.open").href.startsWith("https://playground.example/iam/#s=1."),
    );
    await el.evaluate((e) => e.setAttribute("playground", "javascript:alert(1)"));
    await page.locator("#register-image a.open").waitFor({ state: "hidden" });
    await el.evaluate((e) => e.setAttribute("playground", "none"));
    assert.equal(await page.locator("#register-image a.open").isVisible(), false);
    await el.evaluate((e) => e.setAttribute("theme", "dark"));
    assert.equal(await page.locator("#register-image .root").evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(23, 29, 36)");

    // Removing readonly makes it editable.
    await el.evaluate((e) => e.removeAttribute("readonly"));
    await page.locator("#register-image textarea").waitFor();
    assert.equal(await page.locator("#register-image input[readonly]").count(), 0);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(seen.requests.filter((u) => !u.startsWith(server.origin + "/")), []);
  } finally {
    await context.close();
  }
});

test("errors are shown in the widget, not thrown", async () => {
  const { context, page, seen } = await open("/widget/example/index.html");
  try {
    await verdict(page, "#ip-example");
    await page.evaluate(() => {
      const add = (html) => {
        const d = document.createElement("div");
        d.innerHTML = html;
        document.body.append(d);
      };
      add('<iam-policy-playground id="bad-json"><script type="application/json">{ nope</script></iam-policy-playground>');
      add("<iam-policy-playground id=\"no-policy\"></iam-policy-playground>");
      add('<iam-policy-playground id="bad-principal" policy=\'{"Version":"2012-10-17","Statement":[]}\' action="s3:GetObject" principal="alice"></iam-policy-playground>');
    });
    await page.locator("#bad-json .error").waitFor();
    assert.match(await page.locator("#bad-json .error").innerText(), /not valid JSON/);
    assert.match(await page.locator("#no-policy .error").innerText(), /No policy/);
    await page.locator("#bad-principal .verdict .error").waitFor();
    assert.match(await page.locator("#bad-principal .verdict").innerText(), /"alice" is not a principal/);
    assert.deepEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});

test("an AWS managed policy by name: fetched only when referenced, then decided", async () => {
  const { context, page, seen } = await open("/widget/example/index.html");
  try {
    await verdict(page, "#ip-example");
    assert.equal(seen.requests.filter((u) => u.endsWith("/managed-policies.json")).length, 0, "not fetched without a reference");
    await page.evaluate(() => {
      const d = document.createElement("div");
      d.innerHTML = `<iam-policy-playground id="managed"><script type="application/json">${JSON.stringify({
        policies: { identity: [{ managed: "AWSImageBuilderReadOnlyAccess" }] },
        requests: [
          { name: "read", principal: "arn:aws:iam::111122223333:user/alice", action: "imagebuilder:GetImage", resource: "arn:aws:imagebuilder:us-east-1:111122223333:image/x/1.0.0/1", expect: "allowed" },
          { name: "write", principal: "arn:aws:iam::111122223333:user/alice", action: "imagebuilder:DeleteImage", resource: "arn:aws:imagebuilder:us-east-1:111122223333:image/x/1.0.0/1", expect: "implicitDeny" },
        ],
      })}</script></iam-policy-playground>`;
      document.body.append(d);
    });
    const v = await waitVerdict(page, "#managed", "allowed", /As expected/);
    assert.match(v.text, /Allowed/);
    assert.equal(seen.requests.filter((u) => u.endsWith("/managed-policies.json")).length, 1);
    assert.deepEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});
