// Prints the widget's size as a page loads it (the module, the engine's glue and its .wasm),
// raw and gzip-compressed, and writes it to size.json in the widget folder.
// Usage: node web/widget/tools/size.mjs web/widget/dist [--max-gzip-kib N]
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";

export const FILES = ["iam-policy-playground.js", "iam_policy_wasm.js", "iam_policy_wasm_bg.wasm"];

export function measure(dir) {
  const files = FILES.map((name) => {
    const bytes = readFileSync(join(dir, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return { files, total };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

export function table({ files, total }) {
  const rows = [...files, { name: "total", ...total }];
  const w = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => `  ${r.name.padEnd(w)}  ${kib(r.raw).padStart(10)} raw  ${kib(r.gzip).padStart(10)} gzip`).join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2] ?? "web/widget/dist";
  const size = measure(dir);
  writeFileSync(join(dir, "size.json"), JSON.stringify(size, null, 2) + "\n");
  console.log(`widget size (what a page downloads):\n${table(size)}`);
}
