// A tiny static server for the widget tests, on 127.0.0.1 and a free port. It lays out a
// site as the playground's build does: the widget under /widget/ (web/widget/dist), a
// stand-in playground page at /, and test-only pages given to serve().
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
};

const PLAYGROUND = `<!doctype html><meta charset="utf-8"><title>IAM policy playground (stand-in)</title><p>playground</p>`;

async function readStatic(dir, rel) {
  const file = join(dir, rel);
  try {
    return [file, await readFile(file)];
  } catch (e) {
    if (e.code !== "EISDIR") throw e;
    return [join(file, "index.html"), await readFile(join(file, "index.html"))];
  }
}

/**
 * Starts the server. `widgetDir`: the built widget; `extra`: { "/path": [contentType, body] };
 * `siteDir`: a whole built site (Trunk's dist/, with the widget in widget/) to serve instead
 * of the stand-in playground.
 * Resolves to { origin, close(), requests } where requests lists every path served.
 */
export function serve(widgetDir, extra = {}, siteDir = null) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    const send = (status, type, body) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (extra[path]) return send(200, ...extra[path]);
    // Browsers ask for it on their own: not a request of the widget's.
    if (path === "/favicon.ico") return send(204, "image/x-icon", "");
    let dir, rel;
    if (siteDir) [dir, rel] = [siteDir, path.slice(1)];
    else if (path === "/" || path === "/index.html") return send(200, TYPES[".html"], PLAYGROUND);
    else if (path.startsWith("/widget/")) [dir, rel] = [widgetDir, path.slice("/widget/".length)];
    else return send(404, "text/plain", "not found");
    rel = normalize(rel || ".");
    if (rel.startsWith("..")) return send(403, "text/plain", "forbidden");
    try {
      const [file, body] = await readStatic(dir, rel);
      return send(200, TYPES[extname(file)] ?? "application/octet-stream", body);
    } catch {
      return send(404, "text/plain", "not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise((r) => server.close(r)),
      });
    });
  });
}
