// Minifies the widget's module and the engine's JS glue in place, with the esbuild that
// bundles the playground's editor (web/editor, pinned by its package-lock.json; installed with
// npm ci when missing). Run by `cargo xtask widget` before size.mjs; web/widget/src keeps the
// readable module.
// Usage: node web/widget/tools/minify.mjs web/widget/dist
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pinnedTransform } from "../../tools/esbuild.mjs";

const transform = await pinnedTransform("widget");
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
