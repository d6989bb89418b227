/*
 * run.mjs: the browser suites in headless Chromium (Debian's /usr/bin/chromium,
 * driven by playwright-core).
 *
 *   node examples/browser/test/run.mjs        (or: npm run test:browser)
 *
 * Starts the static server on 127.0.0.1:<ephemeral> and one browser, then
 * runs the components on a blank page (components.mjs), the dashboard as a
 * user drives it (dashboard.mjs; screenshots in build/screenshots/), their
 * accessible basics (a11y.mjs: WCAG AA text contrast, Tab order, names) and
 * the conformance page (conformance.html). For the conformance page it waits for window.__cegResult, then checks here, in Node, that every
 * conformance vector's response bytes from the browser equal the expected
 * bytes read from testdata/conformance, that the page's own checks
 * (default loading, worker mode, trap recovery) passed, and that the page's
 * plan of a sample chat turn is byte-identical to Node's. Ends with "N passed, M failed" and a
 * non-zero exit code on any failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer, ROOT } from '../server.mjs';
import { Checks } from './harness.mjs';
import { components } from './components.mjs';
import { dashboard } from './dashboard.mjs';
import { a11y } from './a11y.mjs';

const require = createRequire(import.meta.url);
const { parseVector } = require('../../../bindings/js/test/conformance.js');
const { loadSync } = require('../../../bindings/js/index.js');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CONFORMANCE_PAGE = '/examples/browser/conformance.html';
const PAGE_TIMEOUT_MS = 180_000;
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function fail(msg) {
  console.error(`test:browser: ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

if (!fs.existsSync(CHROMIUM)) {
  fail(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; make test-browser does it)`);
}
if (!fs.existsSync(path.join(ROOT, 'bindings/js/ceg.wasm'))) fail('bindings/js/ceg.wasm is missing: run make build');

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  fail('playwright-core is not installed: run npm ci');
}

/** expected reads the corpus in Node: file name -> vector. */
function expected() {
  const dir = path.join(ROOT, 'testdata/conformance');
  const out = new Map();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    out.set(f, parseVector(fs.readFileSync(path.join(dir, f), 'utf8'), f));
  }
  return out;
}

const watchdog = setTimeout(() => fail(`no result within ${PAGE_TIMEOUT_MS / 1000 + 30} s`), PAGE_TIMEOUT_MS + 30_000);
watchdog.unref();

const server = await startServer();
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-chromium-'));
let context;
let result;
const pageErrors = [];
const suites = new Checks();
try {
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  await components(context, server, suites);
  await dashboard(context, server, suites);
  await a11y(context, server, suites);
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  await page.goto(server.url + CONFORMANCE_PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => window.__cegResult !== undefined, null, { timeout: PAGE_TIMEOUT_MS, polling: 200 });
  result = await page.evaluate(() => window.__cegResult);
} catch (e) {
  fail(`${e.message}${pageErrors.length ? '\n' + pageErrors.join('\n') : ''}`);
} finally {
  if (context) await context.close();
  await server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

if (result.error) fail(`the page failed: ${result.error}${pageErrors.length ? '\n' + pageErrors.join('\n') : ''}`);

const want = expected();
let passed = 0;
const failures = [];
const seen = new Set();
for (const r of result.vectors) {
  seen.add(r.file);
  const v = want.get(r.file);
  const wantText = v ? (v.response === null ? '' : v.response) : undefined;
  if (v && r.ok && r.got === wantText) passed++;
  else failures.push(`${r.file} (${r.name}): ${v ? r.detail || 'response bytes differ from the file' : 'not in the corpus'}`);
}
for (const f of want.keys()) if (!seen.has(f)) failures.push(`${f}: not run by the page`);
if (want.size === 0) failures.push('the conformance corpus is empty');
// Bounded determinism: the same plan request gives byte-identical plan JSON here and in Chromium.
const node = loadSync().callRaw(result.plan.request);
result.checks.push(node === result.plan.response
  ? { name: 'plan bytes equal in Node and Chromium', ok: true }
  : { name: 'plan bytes equal in Node and Chromium', ok: false, detail: `node: ${node}\nchromium: ${result.plan.response}` });
for (const c of [...result.checks, ...suites.results]) {
  if (c.ok) passed++;
  else failures.push(`check "${c.name}": ${c.detail}`);
}

console.log(`chromium ran ${result.vectors.length} vectors, ${result.checks.length} conformance-page checks and ${suites.results.length} checks of the components and the dashboard against ${result.version.module} (ABI ${result.version.abi}); sample plan feasible: ${result.plan.feasible}`);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
