// Trunk post_build hook: writes sw.js, the service worker that makes the playground work
// offline after the first visit. It lists the files of this very build:
//   - hashed assets (name-<16 hex>.ext): cache-first, they never change;
//   - the page (./, index.html): network-first, so a new deploy is picked up when online;
//   - anything else: network, falling back to the cache.
// The cache name carries a digest of the build, so an old build's cache is dropped.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pinnedTransform } from "./esbuild.mjs";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("postbuild: TRUNK_STAGING_DIR is not set (run by Trunk's post_build hook)");
  process.exit(1);
}

// Release builds: minify wasm-bindgen's JS glue and the stylesheet with the esbuild that
// bundles the editor (smaller than Trunk's own minifier, which cannot parse the glue), and
// update their subresource-integrity hashes in index.html.
if (process.env.TRUNK_PROFILE === "release") {
  const transform = await pinnedTransform("postbuild");
  const indexPath = join(staging, "index.html");
  let index = readFileSync(indexPath, "utf8");
  for (const name of readdirSync(staging)) {
    const js = /^iam-playground-[0-9a-f]+\.js$/.test(name);
    const css = /^style-[0-9a-f]+\.css$/.test(name);
    if (!js && !css) continue;
    const path = join(staging, name);
    const before = readFileSync(path, "utf8");
    const options = js
      ? { format: "esm", minify: true, target: "es2020", legalComments: "none" }
      : { loader: "css", minify: true, legalComments: "none" };
    const { code } = await transform(before, options);
    writeFileSync(path, code);
    const oldSri = "sha384-" + createHash("sha384").update(before).digest("base64");
    const newSri = "sha384-" + createHash("sha384").update(code).digest("base64");
    index = index.split(oldSri).join(newSri);
    console.log(`postbuild: minified ${name} (${before.length} -> ${code.length} bytes)`);
  }
  writeFileSync(indexPath, index);
}

// The wasm's `<link rel="preload" as="fetch">`: Chromium ignores `integrity` on preloads of
// that destination and says so in the console on every load ("The `integrity` attribute is
// currently ignored for preload destinations that do not support subresource integrity"). The
// attribute protects nothing there, so it goes; the glue's own fetch of the wasm is unchanged.
{
  const indexPath = join(staging, "index.html");
  const index = readFileSync(indexPath, "utf8");
  const fixed = index.replace(/<link rel="preload"[^>]*as="fetch"[^>]*>/g, (tag) =>
    tag.replace(/\s+integrity="[^"]*"/, "")
  );
  if (fixed !== index) writeFileSync(indexPath, fixed);
}

// The Learn view's files (its wasm-bindgen glue and wasm, not hashed by Trunk because they are
// built as a "worker", and the course) are loaded with this build's digest of them as a query
// (index.html's IamLearn.open), so that no cache pairs files of different builds.
{
  const learnFiles = ["iam-learn.js", "iam-learn_bg.wasm", "lessons.json"].filter((f) => existsSync(join(staging, f)));
  const learn = createHash("sha256");
  for (const f of learnFiles) learn.update(readFileSync(join(staging, f)));
  const learnVersion = learn.digest("hex").slice(0, 16);
  const indexPath = join(staging, "index.html");
  const index = readFileSync(indexPath, "utf8");
  writeFileSync(indexPath, index.split("LEARN_VERSION").join(learnVersion));
  console.log(`postbuild: Learn view files ${learnFiles.join(", ")} (version ${learnVersion})`);
}

// CodeMirror (editor.js, copied rather than hashed by Trunk) is asked for by the first-load
// loader (editor-boot-<hash>.js) with this build's digest of it as a query, so that a browser
// holding an older editor.js in its HTTP cache never pairs it with this build's loader; the
// loader's subresource-integrity hash in index.html follows its new text.
{
  const indexPath = join(staging, "index.html");
  let index = readFileSync(indexPath, "utf8");
  const boot = readdirSync(staging).find((f) => /^editor-boot-[0-9a-f]+\.js$/.test(f));
  if (boot && existsSync(join(staging, "editor.js"))) {
    const editorVersion = createHash("sha256").update(readFileSync(join(staging, "editor.js"))).digest("hex").slice(0, 16);
    const bootPath = join(staging, boot);
    const before = readFileSync(bootPath, "utf8");
    const after = before.split('"editor.js"').join(`"editor.js?v=${editorVersion}"`);
    if (after === before) {
      console.error(`postbuild: ${boot} does not name "editor.js"; cannot version CodeMirror's URL`);
      process.exit(1);
    }
    writeFileSync(bootPath, after);
    const oldSri = "sha384-" + createHash("sha384").update(before).digest("base64");
    const newSri = "sha384-" + createHash("sha384").update(after).digest("base64");
    index = index.split(oldSri).join(newSri);
    writeFileSync(indexPath, index);
    console.log(`postbuild: ${boot} loads editor.js?v=${editorVersion}`);
  }
}

// The playground's own files: the top level of the build (other files of sub-folders such as
// widget/ are for other pages, fetched from the network when asked for).
const files = readdirSync(staging)
  .filter((name) => statSync(join(staging, name)).isFile())
  .filter((f) => f !== "sw.js")
  .sort();
// ... plus what the playground loads lazily from widget/lint/ (the whole engine, with iam-lint,
// and the service catalog), so that the catalog checks work offline too.
const lazy = ["widget/lint/iam_policy_wasm.js", "widget/lint/iam_policy_wasm_bg.wasm", "widget/lint/catalog.json"].filter((f) =>
  existsSync(join(staging, f))
);
const digest = createHash("sha256");
for (const f of [...files, ...lazy]) {
  digest.update(f);
  digest.update(readFileSync(join(staging, f)));
}
const version = digest.digest("hex").slice(0, 16);
const hashed = files.filter((f) => /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/.test(f));
const precache = ["./", ...files, ...lazy];

const sw = `// Generated by web/tools/postbuild.mjs for one build. Do not edit.
const CACHE = "iam-playground-${version}";
const PRECACHE = ${JSON.stringify(precache)};
const HASHED = new Set(${JSON.stringify(hashed)});
const scope = new URL(self.registration.scope);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("iam-playground-") && k !== CACHE)
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

function relPath(url) {
  return url.pathname.startsWith(scope.pathname) ? url.pathname.slice(scope.pathname.length) : null;
}

async function cacheFirst(request) {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) (await caches.open(CACHE)).put(request, response.clone());
  return response;
}

async function pageNetworkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(CACHE)).put(new URL("./", scope).href, response.clone());
    return response;
  } catch (err) {
    const hit = (await caches.match(new URL("./", scope).href)) || (await caches.match(new URL("index.html", scope).href));
    if (hit) return hit;
    throw err;
  }
}

// What the page fetches on demand and is not precached (the AWS managed policies, ~460 KB gzip,
// fetched only when a policy references one or the picker opens) is kept once fetched, so that it
// works offline afterwards too.
async function networkThenCache(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") (await caches.open(CACHE)).put(request, response.clone());
    return response;
  } catch (err) {
    const hit = await caches.match(request, { ignoreSearch: true });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  const rel = relPath(url);
  if (rel === null) return;
  if (HASHED.has(rel)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate" || rel === "" || rel === "index.html") {
    event.respondWith(pageNetworkFirst(request));
  } else {
    event.respondWith(networkThenCache(request));
  }
});
`;
writeFileSync(join(staging, "sw.js"), sw);
console.log(`postbuild: wrote sw.js (cache iam-playground-${version}, ${precache.length} files, ${hashed.length} hashed)`);
