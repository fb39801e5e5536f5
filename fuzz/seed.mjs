// Seed corpus for the fuzz targets, generated from tests/scenarios (and the
// policy fixtures of tests/policies): nothing is checked in.
//
//   node fuzz/seed.mjs [OUT]        (OUT defaults to fuzz/corpus)
//
// scenario_check: every scenario file; share_decode: each scenario as a
// share-link fragment and as a raw payload; parse_policy and lint: every
// policy of every scenario (a JSON object pretty-printed, as the engine
// reads it) and every *.policy.json fixture.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "fuzz", "corpus"));

function* jsonFiles(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules") continue;
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith(".json")) yield p;
  }
}

const counts = {};
function seed(target, text) {
  const dir = join(out, target);
  mkdirSync(dir, { recursive: true });
  const name = createHash("sha1").update(text).digest("hex");
  writeFileSync(join(dir, name), text);
  counts[target] = (counts[target] ?? 0) + 1;
}

function policies(p) {
  const list = [];
  for (const [layer, v] of Object.entries(p ?? {})) {
    if (layer === "scps" || layer === "rcps") list.push(...(v ?? []).flat());
    else if (Array.isArray(v)) list.push(...v);
    else if (v != null) list.push(v);
  }
  return list.map((v) => (typeof v === "string" ? v : JSON.stringify(v, null, 2)));
}

for (const dir of ["tests/scenarios", "tests/policies"]) {
  let files;
  try {
    files = [...jsonFiles(join(root, dir))];
  } catch {
    continue;
  }
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    let value;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (value && typeof value === "object" && "policies" in value) {
      seed("scenario_check", text);
      const compact = JSON.stringify(value);
      seed("share_decode", compact);
      seed("share_decode", "s=1." + deflateRawSync(Buffer.from(compact)).toString("base64url"));
      for (const p of policies(value.policies)) {
        seed("parse_policy", p);
        seed("lint", p);
      }
    } else {
      seed("parse_policy", text);
      seed("lint", text);
    }
  }
}
console.log(`seed corpus in ${out}: ${JSON.stringify(counts)}`);
