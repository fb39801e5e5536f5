// Minifies the widget's module and the engine's JS glue in place, with the esbuild that
// bundles the playground's editor (web/editor, pinned by its package-lock.json; installed with
// npm ci when missing). Run by `cargo xtask widget` before size.mjs; web/widget/src keeps the
// readable module.
// Usage: node web/widget/tools/minify.mjs web/widget/dist
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const editor = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "editor");
if (!existsSync(join(editor, "node_modules", "esbuild"))) {
  console.log("widget: npm ci in web/editor (esbuild, pinned by package-lock.json)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: editor, stdio: "inherit" });
}
const esbuildPath = join(editor, "node_modules", "esbuild", "lib", "main.js");
const { transform } = await import(pathToFileURL(esbuildPath).href);

const dir = process.argv[2] ?? "web/widget/dist";
for (const name of ["iam-policy-playground.js", "iam_policy_wasm.js"]) {
  const path = join(dir, name);
  const { code } = await transform(readFileSync(path, "utf8"), {
    format: "esm",
    minify: true,
    legalComments: "none",
  });
  writeFileSync(path, code);
}
