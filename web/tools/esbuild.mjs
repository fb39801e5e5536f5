// The esbuild pinned by web/editor's package-lock.json (which bundles the editor), for the
// build scripts that minify: web/tools/postbuild.mjs (the playground's glue and stylesheet) and
// web/widget/tools/minify.mjs (the widget's module and glue). Installs web/editor's packages
// with npm ci when they are missing, and says so.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const editor = join(dirname(fileURLToPath(import.meta.url)), "..", "editor");

/** esbuild's `transform`, from web/editor's pinned copy. */
export async function pinnedTransform(who) {
  if (!existsSync(join(editor, "node_modules", "esbuild"))) {
    console.log(`${who}: npm ci in web/editor (esbuild, pinned by package-lock.json)`);
    execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: editor, stdio: "inherit" });
  }
  const path = join(editor, "node_modules", "esbuild", "lib", "main.js");
  const { transform } = await import(pathToFileURL(path).href);
  return transform;
}
