// Shared set-up of the end-to-end tests: Debian's Chromium driven by playwright-core
// (Playwright's own browser download does not work here), and the built dist/.
import { after, before } from "node:test";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = process.env.PLAYGROUND_DIST || join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "target", "e2e");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const BROWSER_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

export async function launch() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`${DIST}/index.html is missing: build first (cargo xtask test does, or trunk build --release --offline)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS });
}

export { startServer };

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/// Opens the playground and waits until the app has rendered its results.
export async function openApp(context, url, beforeLoad) {
  const page = await context.newPage();
  if (beforeLoad) beforeLoad(page);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector(".req-table tbody tr");
  page.errors = errors;
  return page;
}

/// The decisions of the table, in row order (data-decision of each badge).
export async function decisions(page) {
  return page.$$eval(".req-table tbody tr .col-decision .badge", (els) =>
    els.map((e) => e.getAttribute("data-decision") || e.textContent.trim())
  );
}

/// Waits until the table shows the given decisions.
export async function waitForDecisions(page, expected, timeout = 10000) {
  const want = JSON.stringify(expected);
  await page.waitForFunction(
    (want) =>
      JSON.stringify(
        [...document.querySelectorAll(".req-table tbody tr .col-decision .badge")].map(
          (e) => e.getAttribute("data-decision") || e.textContent.trim()
        )
      ) === want,
    want,
    { timeout }
  );
}

/// Loads an example from the gallery by its path (e.g. image-builder/component-ip-restriction.json).
export async function loadExample(page, path) {
  await page.click("#open-gallery");
  await page.click(`.example[data-path="${path}"]`);
  await page.waitForSelector(".modal", { state: "detached" });
}

/// Replaces the text of the policy editor (CodeMirror) as a user would: select all, type.
export async function replaceEditorText(page, text) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(text);
}

/// Starts Chromium and a server of dist/ before the file's tests and stops them after:
/// `const env = withPlayground();` then `env.browser`, `env.server.url`.
export function withPlayground() {
  const env = { browser: null, server: null };
  before(async () => {
    env.browser = await launch();
    env.server = await startServer(DIST);
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
