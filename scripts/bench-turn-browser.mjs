#!/usr/bin/env node
/*
 * bench-turn-browser.mjs: the chat turn by handle in Debian's chromium, the
 * browser column of the side-by-side table (scripts/bench-turn.mjs, part of
 * `make bench`; never a test). One invocation is one measurement in a
 * browser of its own, so every page starts cold:
 *
 *   node scripts/bench-turn-browser.mjs --warm [--workload NAME] [WORKLOADS]
 *       a page warm: µs per turn after 3,000 turns, the median of three
 *       timed batches (as scripts/bench-node.mjs --warm);
 *       prints {nsPerTurn, batches, ...}
 *   node scripts/bench-turn-browser.mjs --fresh MODE [--workload NAME] [WORKLOADS]
 *       a fresh page: the first 200 turns, MODE plain (load()) or warmup
 *       (load({warmup: true}): 2,000 chat turns on a throwaway instance
 *       first);
 *       prints {readyMs, firstTurnUs, turnsUs, ...}: ready is navigation to
 *       graph.create done, turnsUs the mean over the 200 turns
 *   --no-isolation  serve the page without the COOP/COEP headers
 *   --workload NAME  default chat-turn-handle; chat-turn-handle-new sends the
 *       workload's alternate request on every odd call (new inputs every
 *       turn, so plan.optimize's answer memo never answers)
 *
 * How: examples/browser/server.mjs serves the repository (the binding and
 * the module, brotli, application/wasm: as for the dashboard and `make
 * test-browser`); chromium (/usr/bin/chromium, or $CHROMIUM; never
 * downloaded) runs headless, driven by playwright-core, with a fresh profile
 * (a new browser context, no compiled-code cache). The page (served by this
 * script at one URL of the server's origin, with the workload's requests
 * inlined) imports bindings/js/browser.mjs, calls load({epoch: false}) (and
 * warmup: true for --fresh warmup; plain ids: the setup's graph.create
 * makes the handle g1 the requests name),
 * sends the setup and then the turns through the public async API
 * (ceg.callRaw, a Promise per turn), and times batches of turns with
 * performance.now(). The page is cross-origin isolated (COOP/COEP headers):
 * Chromium then gives performance.now() a 5 µs resolution instead of 100 µs
 * (plus jitter); the resolution seen is reported (resolutionUs), and single
 * turns are never timed alone except the first, which takes milliseconds.
 * Every answer is checked to be a JSON-RPC result: warm, turns 0 and 1
 * before timing and the length of every timed answer; fresh, the setup
 * before timing and all 200 answers after it (checking a turn before would
 * warm the code the first turns are to measure).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer } from '../examples/browser/server.mjs';

// The launch of scripts/bench-browser.mjs and examples/browser/test/run.mjs.
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT_MS = 300_000;

const args = process.argv.slice(2);
const at = args.indexOf('--workload');
const turnName = at >= 0 ? args.splice(at, 2)[1] : 'chat-turn-handle';
// --no-isolation: serve the page without COOP/COEP (performance.now() coarser).
const ni = args.indexOf('--no-isolation');
const isolated = ni < 0;
if (!isolated) args.splice(ni, 1);
const mode = args[0] === '--fresh' ? 'fresh' : args[0] === '--warm' ? 'warm' : '';
if (!mode) throw new Error('bench-turn-browser: --warm or --fresh plain|warmup');
const freshMode = mode === 'fresh' ? args[1] : undefined;
if (mode === 'fresh' && freshMode !== 'plain' && freshMode !== 'warmup') throw new Error(`bench-turn-browser: --fresh plain|warmup, not ${freshMode}`);
const file = (mode === 'fresh' ? args[2] : args[1]) ?? 'build/bench/workloads.jsonl';
const w = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((x) => x.name === turnName);
if (!w) throw new Error(`bench-turn-browser: no workload ${turnName} in ${file}`);
if (!w.setup) throw new Error(`bench-turn-browser: workload ${turnName} has no setup request`);

/**
 * bench runs in the page (a module script): it is stringified into the page
 * with its argument, so it refers to nothing outside itself.
 */
async function bench({ mode, freshMode, setup, request, alternate }) {
  const { load } = await import('/bindings/js/browser.mjs');
  const turn = (i) => (alternate && i % 2 === 1 ? alternate : request);
  const check = (text, what) => {
    let x;
    try { x = JSON.parse(text); } catch { x = undefined; }
    if (!x || !('result' in x) || 'error' in x) throw new Error(`${what}: not a result: ${String(text).slice(0, 200)}`);
    return text;
  };
  // The smallest step of performance.now() seen in 200 steps.
  let resolutionUs = Infinity;
  for (let k = 0; k < 200; k++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    resolutionUs = Math.min(resolutionUs, (b - a) * 1000);
  }
  const env = { resolutionUs, crossOriginIsolated: globalThis.crossOriginIsolated === true, userAgent: navigator.userAgent };
  const ceg = await load(mode === 'fresh' && freshMode === 'warmup' ? { epoch: false, warmup: true } : { epoch: false });
  check(await ceg.callRaw(setup), 'setup');
  if (mode === 'fresh') {
    // performance.now() counts from the navigation's start.
    const readyMs = performance.now();
    const out = new Array(200);
    let firstTurnUs = 0;
    const t1 = performance.now();
    for (let i = 0; i < 200; i++) {
      out[i] = await ceg.callRaw(turn(i));
      if (i === 0) firstTurnUs = (performance.now() - t1) * 1000;
    }
    const turnsUs = ((performance.now() - t1) * 1000) / 200;
    out.forEach((t, i) => check(t, `turn ${i}`));
    return { ...env, mode: freshMode, readyMs, firstTurnUs, turnsUs };
  }
  const want = [check(await ceg.callRaw(turn(0)), 'turn 0').length, check(await ceg.callRaw(turn(1)), 'turn 1').length];
  for (let i = 0; i < 3000; i++) await ceg.callRaw(turn(i));
  let i = 0;
  const one = async () => {
    if ((await ceg.callRaw(turn(i))).length !== want[i++ % 2]) throw new Error('response changed');
  };
  // time: fn until at least minMs have passed (after 5 warm-up calls); ns per call.
  const time = async (minMs) => {
    for (let k = 0; k < 5; k++) await one();
    let n = 1;
    for (;;) {
      const t0 = performance.now();
      for (let k = 0; k < n; k++) await one();
      const dt = performance.now() - t0;
      if (dt >= minMs) return { ns: (dt * 1e6) / n, n };
      n = Math.max(n * 2, Math.ceil((n * minMs * 1.2) / Math.max(dt, 1)));
    }
  };
  // Three timed batches: the median, so one descheduled batch does not make the figure.
  const batches = [];
  for (let b = 0; b < 3; b++) batches.push(await time(300));
  const ns = batches.map((x) => x.ns).sort((a, b) => a - b);
  return { ...env, nsPerTurn: ns[1], batches: ns, turnsPerBatch: batches.map((x) => x.n) };
}

const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>chat turn bench</title></head><body>
<script type="module">
const bench = ${bench.toString()};
bench(${JSON.stringify({ mode, freshMode, setup: w.setup, request: w.request, alternate: w.alternate })})
  .then((r) => { window.__benchTurn = r; }, (e) => { window.__benchTurn = { error: String(e && e.stack || e) }; });
</script></body></html>`;

if (!fs.existsSync(CHROMIUM)) throw new Error(`bench-turn-browser: ${CHROMIUM} is missing: install Debian's chromium (make chromium)`);
const { chromium } = await import('playwright-core');
const server = await startServer();
// Let the server compress the module before the page asks for it.
await fetch(`${server.url}/bindings/js/ceg.wasm`, { headers: { 'accept-encoding': 'br, gzip' } }).then((r) => r.arrayBuffer());
const PAGE = `${server.url}/bench-turn-browser.html`; // answered by the route below
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-bench-turn-'));
let result;
const errors = [];
try {
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    // The page itself (not a file of the repository), cross-origin isolated;
    // everything it loads comes from the server.
    await ctx.route(PAGE, (route) => route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      headers: { 'cache-control': 'no-store', ...(isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {}) },
      body: html,
    }));
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.goto(PAGE, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__benchTurn !== undefined, null, { timeout: TIMEOUT_MS, polling: 100 });
    result = await page.evaluate(() => window.__benchTurn);
  } finally {
    await ctx.close();
  }
} finally {
  await server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
if (result.error) throw new Error(`bench-turn-browser: ${turnName} ${mode}: ${result.error}${errors.length ? '\n' + errors.join('\n') : ''}`);
result.chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
result.workload = turnName;
process.stdout.write(JSON.stringify(result) + '\n');
