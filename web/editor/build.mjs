// Bundles src/editor.js (CodeMirror 6) into dist/editor.js, an IIFE that installs
// window.IamEditor. Run by Trunk's pre_build hook (Trunk.toml) and by `cargo xtask`.
// Installs the pinned npm packages first (npm ci) when node_modules is missing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "dist", "editor.js");

if (!existsSync(join(here, "node_modules", "esbuild"))) {
  console.log("editor: npm ci in web/editor (CodeMirror 6 and esbuild, pinned by package-lock.json)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: here, stdio: "inherit" });
}

const esbuild = await import("esbuild");
const result = await esbuild.build({
  entryPoints: [join(here, "src", "editor.js")],
  bundle: true,
  format: "iife",
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
  console.log(`editor: wrote web/editor/dist/editor.js (${code.length} bytes)`);
} else {
  console.log("editor: web/editor/dist/editor.js is up to date");
}
