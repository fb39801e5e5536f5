// A tiny static server for the built playground (dist/), on 127.0.0.1 and a free port.
// It serves dist/ at "/" and again under a sub-path ("/sub/path/"), to check that the
// build works from any static host and under a sub-path. It records every request it gets.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
};

export const SUB_PATH = "/sub/path/";

export async function startServer(root) {
  const dist = resolve(root);
  const log = [];
  const server = createServer(async (req, res) => {
    log.push({ method: req.method, url: req.url });
    try {
      let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path.startsWith(SUB_PATH)) path = "/" + path.slice(SUB_PATH.length);
      if (path.endsWith("/")) path += "index.html";
      const file = normalize(join(dist, path));
      if (!file.startsWith(dist + sep) && file !== dist) throw new Error("outside");
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] || "application/octet-stream",
        "content-length": body.length,
        "cache-control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    log,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

// `node tests/e2e/server.mjs [dist]` serves by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startServer(process.argv[2] || "dist");
  console.log(`serving ${process.argv[2] || "dist"} at ${s.url} (and ${s.url.slice(0, -1)}${SUB_PATH})`);
}
