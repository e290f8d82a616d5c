// A static file server for the demo on 127.0.0.1 (an ephemeral port), serving wasm/.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Starts the server; resolves to `{ url, port, close }`. Options, for benchmarks:
 * `htmlTail` is appended to every HTML page served; `onPost(body)` receives the text of
 * each POST request (answered with 204); `noStore` forbids the browser to cache anything.
 */
export function serve({ htmlTail = "", onPost, noStore = false } = {}) {
  const server = createServer(async (req, res) => {
    if (req.method === "POST" && onPost) {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.writeHead(204).end();
      onPost(body);
      return;
    }
    const pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(root, path.normalize(pathname).replace(/^(\.\.[/\\])+/, ""));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = TYPES[path.extname(file)] ?? "application/octet-stream";
      res.writeHead(200, { "content-type": type, ...(noStore && { "cache-control": "no-store" }) });
      res.end(htmlTail && type.startsWith("text/html") ? Buffer.concat([body, Buffer.from(htmlTail)]) : body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, port, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve();
  console.log(`serving wasm/ at ${url}/www/index.html (Ctrl-C stops)`);
}
