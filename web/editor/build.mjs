// Bundles src/boot.js into dist/editor-boot.js (the first load: plain text areas, and the
// loader of the rest), src/editor.js (CodeMirror 6) into dist/editor.js, an IIFE that installs
// window.IamEditor or upgrades boot.js's text areas (loaded after the first render), and
// src/extras.js into dist/editor-extras.js (loaded lazily after that).
// Run by Trunk's pre_build hook (Trunk.toml) and by `cargo xtask`.
// Installs the pinned npm packages first (npm ci) when node_modules is missing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

if (!existsSync(join(here, "node_modules", "esbuild"))) {
  console.log("editor: npm ci in web/editor (CodeMirror 6 and esbuild, pinned by package-lock.json)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit" });
}

const esbuild = await import("esbuild");

// editor-boot.js: the first-load script (IIFE). editor.js: CodeMirror (IIFE), loaded by it after
// the first render. editor-extras.js: the lazy part (an ES module that
// editor.js imports after the first render; it gets CodeMirror from editor.js, so it bundles
// none of it).
for (const [entry, name, format] of [
  ["boot.js", "editor-boot.js", "iife"],
  ["editor.js", "editor.js", "iife"],
  ["extras.js", "editor-extras.js", "esm"],
]) {
  const out = join(here, "dist", name);
  const result = await esbuild.build({
    entryPoints: [join(here, "src", entry)],
    bundle: true,
    format,
    minify: true,
    target: ["es2020"],
    legalComments: "none",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text;
  mkdirSync(dirname(out), { recursive: true });
  // Write only when the bundle changed, so `trunk serve` does not see a change on every build.
  if (!existsSync(out) || readFileSync(out, "utf8") !== code) {
    writeFileSync(out, code);
    console.log(`editor: wrote web/editor/dist/${name} (${code.length} bytes)`);
  } else {
    console.log(`editor: web/editor/dist/${name} is up to date`);
  }
}
