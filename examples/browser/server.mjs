/*
 * server.mjs: a tiny read-only static server for the dashboard.
 *
 *   node examples/browser/server.mjs [port]     then open the printed URL
 *
 * It serves the repository (GET/HEAD only, no dotfiles, no path escapes),
 * sends .wasm as application/wasm (so the page can compile while streaming),
 * and lists the conformance vectors at /conformance/index.json.
 */
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = 'testdata/conformance';
const PAGE = '/examples/browser/index.html';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

async function corpusIndex(root) {
  const files = (await fs.readdir(path.join(root, CORPUS))).filter((f) => f.endsWith('.json')).sort();
  return { files: files.map((f) => `/${CORPUS}/${f}`) };
}

function send(res, status, type, body, head) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(head ? undefined : body);
}

/**
 * startServer serves root on host:port (port 0: ephemeral).
 * @param {{root?: string, host?: string, port?: number}} [o]
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 */
export async function startServer(o = {}) {
  const root = o.root || ROOT;
  const server = http.createServer(async (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return send(res, 405, 'text/plain', 'read-only\n', head);
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(res, 400, 'text/plain', 'bad path\n', head);
    }
    if (pathname === '/') {
      res.writeHead(302, { location: PAGE }).end();
      return;
    }
    if (pathname === '/conformance/index.json') {
      return send(res, 200, TYPES['.json'], JSON.stringify(await corpusIndex(root)), head);
    }
    // A folder path serves its index.html, as a user typing the folder expects.
    const file = path.resolve(root, '.' + pathname + (pathname.endsWith('/') ? 'index.html' : ''));
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || rel.split(path.sep).some((s) => s.startsWith('.') || s === 'node_modules')) {
      return send(res, 404, 'text/plain', 'not found\n', head);
    }
    try {
      const body = await fs.readFile(file);
      return send(res, 200, TYPES[path.extname(file)] || 'application/octet-stream', body, head);
    } catch {
      return send(res, 404, 'text/plain', 'not found\n', head);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port || 0, o.host || '127.0.0.1', resolve);
  });
  const { address, port } = server.address();
  return {
    url: `http://${address}:${port}`,
    page: `http://${address}:${port}${PAGE}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const srv = await startServer({ port: Number(process.argv[2] || process.env.PORT || 8080) });
  console.log(`dashboard: ${srv.page}`);
}
