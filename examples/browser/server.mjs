/*
 * server.mjs: a tiny read-only static server for the dashboard.
 *
 *   node examples/browser/server.mjs [port]     then open the printed URL
 *
 * It serves the repository (GET/HEAD only, no dotfiles, no path escapes),
 * sends .wasm as application/wasm (so the page can compile while streaming),
 * compresses with brotli (else gzip) when the browser accepts it (the module
 * shrinks about 5x; compressed bodies are cached by file and mtime), lists the conformance
 * vectors at /conformance/index.json, and serves the components' layout
 * library (@dagrejs/dagre's ESM build, a devDependency) at VENDOR_DAGRE.
 */
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const ENCODERS = {
  // Brotli at quality 5: a tenth smaller than gzip and about twice as fast
  // for the browser to decode (which it does on the page's critical path);
  // higher qualities take seconds to compress the module.
  br: (buf) => promisify(zlib.brotliCompress)(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length } }),
  gzip: (buf) => promisify(zlib.gzip)(buf, { level: 6 }),
};

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = 'testdata/conformance';
const PAGE = '/examples/browser/index.html';
/** The URL the pages' import maps give for @dagrejs/dagre. */
export const VENDOR_DAGRE = '/vendor/dagre.esm.js';
const VENDOR = { [VENDOR_DAGRE]: 'node_modules/@dagrejs/dagre/dist/dagre.esm.js' };

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

function send(res, status, type, body, head, extra) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  res.end(head ? undefined : body);
}

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.json', '.wasm', '.css', '.svg', '.md']);
const zCache = new Map(); // encoding + file -> {mtimeMs, size, body}

/** encodingFor picks the first of encodings that the request accepts, or ''. */
function encodingFor(req, encodings) {
  const accepts = String(req.headers['accept-encoding'] || '');
  return encodings.find((e) => new RegExp(`\\b${e}\\b`).test(accepts)) || '';
}

/** sendFile sends a file, compressed (brotli, else gzip) when the client accepts it. */
async function sendFile(req, res, file, head, encodings) {
  const ext = path.extname(file);
  const type = TYPES[ext] || 'application/octet-stream';
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new Error('not a file');
  const enc = encodingFor(req, encodings);
  if (!enc || !COMPRESSIBLE.has(ext) || stat.size < 1024) return send(res, 200, type, await fs.readFile(file), head);
  return send(res, 200, type, await compressed(file, stat, enc), head, { 'content-encoding': enc, vary: 'accept-encoding' });
}

/** compressed returns the file compressed with enc, from the cache while its mtime and size hold. */
async function compressed(file, stat, enc) {
  const key = `${enc}\u0000${file}`;
  let hit = zCache.get(key);
  if (!hit || hit.mtimeMs !== stat.mtimeMs || hit.size !== stat.size) {
    hit = { mtimeMs: stat.mtimeMs, size: stat.size, body: fs.readFile(file).then(ENCODERS[enc]) };
    zCache.set(key, hit);
  }
  return hit.body;
}

/**
 * startServer serves root on host:port (port 0: ephemeral). `encodings`
 * lists the content encodings it may use, preferred first (default br,
 * gzip; [] sends everything uncompressed).
 * @param {{root?: string, host?: string, port?: number, warm?: boolean, encodings?: string[]}} [o]
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 */
export async function startServer(o = {}) {
  const root = o.root || ROOT;
  const encodings = (o.encodings || ['br', 'gzip']).filter((e) => ENCODERS[e]);
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
    if (pathname === '/favicon.ico') {
      res.writeHead(301, { location: '/examples/browser/favicon.svg' }).end();
      return;
    }
    if (VENDOR[pathname]) {
      try {
        return await sendFile(req, res, path.join(root, VENDOR[pathname]), head, encodings);
      } catch {
        return send(res, 404, 'text/plain', `${pathname}: run npm ci (devDependency @dagrejs/dagre)\n`, head);
      }
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
      return await sendFile(req, res, file, head, encodings);
    } catch {
      return send(res, 404, 'text/plain', 'not found\n', head);
    }
  });
  if (o.warm !== false) {
    // Compress the module ahead of the first request so the first page load does not wait for it.
    const wasm = path.join(root, 'bindings/js/ceg.wasm');
    if (encodings.length) fs.stat(wasm).then((st) => compressed(wasm, st, encodings[0])).catch(() => {});
  }
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
  console.log(`conformance: ${srv.url}/examples/browser/conformance.html`);
}
