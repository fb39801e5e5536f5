// Trunk pre_build hook: writes web/editor/dist/examples.json, the Examples dialog's data, which
// the playground fetches when the dialog first opens (not part of the first load; the service
// worker precaches it for offline use). From web/gallery.json (groups with a line on each,
// examples with a name and one line on what each shows) and the scenario files it lists under
// tests/scenarios/ (whitespace between JSON tokens removed, the text otherwise exact: duplicate
// keys and number spellings stay). Trunk copies it to dist/ (index.html, rel="copy-file").
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = process.cwd();
const out = join(root, "web", "editor", "dist");
mkdirSync(out, { recursive: true });

// The JSON text without whitespace between tokens (strings kept exactly), as web/build.rs does.
function compact(text) {
  let s = "";
  let inString = false;
  let escaped = false;
  for (const c of text) {
    if (inString) {
      s += c;
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      s += c;
    } else if (!/\s/.test(c)) {
      s += c;
    }
  }
  return s;
}

const gallery = JSON.parse(readFileSync(join(root, "web", "gallery.json"), "utf8"));
let count = 0;
const groups = gallery.groups.map((g) => ({
  title: g.title,
  line: g.line || "",
  examples: g.examples.map((e) => {
    const text = readFileSync(join(root, "tests", "scenarios", e.file), "utf8");
    const scenario = JSON.parse(text);
    count += 1;
    return {
      path: e.file,
      name: e.name,
      line: e.line,
      requests: (scenario.requests || []).length,
      text: compact(text),
    };
  }),
}));
const examples = JSON.stringify({ groups });
writeFileSync(join(out, "examples.json"), examples);
console.log(`examples: wrote web/editor/dist/examples.json (${count} examples, ${examples.length} bytes)`);
