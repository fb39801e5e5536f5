// Shared by the package tests: where the built package and the scenarios are.
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, "../../../..");
/** The wasm-pack `--target nodejs` build (cargo xtask widget). */
export const pkgDir = process.env.IAM_POLICY_WASM_NODE
  ? resolve(process.env.IAM_POLICY_WASM_NODE)
  : join(root, "target/npm/node");

if (!existsSync(join(pkgDir, "package.json"))) {
  throw new Error(`no built package in ${pkgDir}: run \`cargo xtask widget\` first`);
}
const require = createRequire(import.meta.url);
/** The package, loaded the way `npm install` users load it (its package.json `main`). */
export const wasm = require(pkgDir);

/** Every scenario file under tests/scenarios, as [path relative to the repo, text]. */
export function scenarioFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".json")) out.push([relative(root, p), readFileSync(p, "utf8")]);
    }
  };
  walk(join(root, "tests/scenarios"));
  return out;
}

/** Loads the AWS managed policies the package ships (managed-policies.json beside it). */
export function loadManaged() {
  const out = wasm.loadManagedPolicies(readFileSync(join(pkgDir, "managed-policies.json"), "utf8"));
  if (!out.ok) throw new Error(`loadManagedPolicies failed: ${out.error}`);
  return out;
}
