#!/usr/bin/env node
/*
 * bench-browser.mjs: the dashboard's speed in Debian's chromium (part of
 * `make bench`; never a test).
 *
 *   node scripts/bench-browser.mjs [out.json] [--runs N] [--markdown section.md]
 *   node scripts/bench-browser.mjs --splice section.md docs/BENCHMARKS.md
 *
 * - navigation -> first plan: RUNS cold loads of examples/browser/index.html
 *   (a fresh browser profile each, so no compiled-code cache; then one reload
 *   in that profile, which may reuse the browser's code cache), read from the
 *   page's own marks: `ceg:module-ready` (module fetched, compiled while
 *   streaming, instantiated) and `ceg:first-plan` (first plan drawn);
 *   navigation is time 0.
 * - change -> redraw: per built-in scenario, CHANGES what-if changes by
 *   keyboard (a health slider one step down, then back up), each measured by
 *   the page from the input event: plan.optimize, the redrawn plan, graph and
 *   change log (work), the style, layout and paint of the frame that shows
 *   them (render), their sum (busy: the main thread's cost of a change, to
 *   hold within a 16.7 ms frame), whether the change is shown in the first
 *   frame after the input, and the input to that frame rendered (which adds
 *   the wait for the frame).
 * Reports min / median / max and the machine's load average (the machine is
 * shared: read the numbers with it). --markdown writes the table as a
 * section between browser-bench markers; --splice puts such a section into
 * docs/BENCHMARKS.md (between its markers, or appended), as make bench-update
 * does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../examples/browser/server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const RUNS = Number(opt('--runs', 5));
const CHANGES = Number(opt('--changes', 30));
const FRAME_MS = 1000 / 60;
const MARKDOWN = opt('--markdown', '');
const SPLICE = argv.indexOf('--splice');
if (SPLICE >= 0) {
  // --splice section.md doc.md: only put an earlier run's section into doc.md (make bench-update).
  const [section, docFile] = argv.slice(SPLICE + 1, SPLICE + 3);
  if (!fs.existsSync(section)) {
    console.error(`bench-browser: ${section} is missing: run make bench first`);
    process.exit(1);
  }
  spliceInto(fs.readFileSync(section, 'utf8'), docFile);
  console.log(`bench-browser: ${section} -> ${docFile}`);
  process.exit(0);
}
const OUT = argv[0] || '';

const { chromium } = await import('playwright-core');

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const med = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { n: s.length, min: s[0], median: med, max: s[s.length - 1] };
}

const server = await startServer();
// Let the server compress the module before the first timed load.
await fetch(`${server.url}/bindings/js/ceg.wasm`, { headers: { 'accept-encoding': 'br, gzip' } }).then((r) => r.arrayBuffer());
const load0 = os.loadavg();
const first = [];
const ready = [];
const warm = [];
const compiled = [];
const replan = {};
try {
  for (let i = 0; i < RUNS; i++) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ceg-bench-'));
    const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = ctx.pages()[0] || await ctx.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      page.on('pageerror', (e) => process.stderr.write(`bench-browser: page error: ${e.message}\n`));
      await page.goto(server.page, { waitUntil: 'load' });
      await page.waitForFunction(() => performance.getEntriesByName('ceg:first-plan').length > 0, null, { timeout: 120_000, polling: 50 });
      const m = await page.evaluate(() => ({
        first: performance.getEntriesByName('ceg:first-plan')[0].startTime,
        ready: performance.getEntriesByName('ceg:module-ready')[0].startTime,
        compiled: performance.getEntriesByName('ceg:module-compiled')[0].startTime,
      }));
      compiled.push(m.compiled);
      first.push(m.first);
      ready.push(m.ready);
      // The same page again in the same profile: the browser may reuse its compiled code.
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(() => performance.getEntriesByName('ceg:first-plan').length > 0, null, { timeout: 120_000, polling: 50 });
      const w = await page.evaluate(() => performance.getEntriesByName('ceg:first-plan')[0].startTime);
      warm.push(w);
      process.stderr.write(`bench-browser: load ${i + 1}/${RUNS}: compiled ${m.compiled.toFixed(0)} ms, module ready ${m.ready.toFixed(0)} ms, first plan ${m.first.toFixed(0)} ms; reload: first plan ${w.toFixed(0)} ms\n`);
      if (i === RUNS - 1) {
        for (const name of ['chat-failover', 'agent-tools', 'infeasible-budget']) {
          await page.selectOption('#scenario', name);
          await page.waitForFunction((n) => window.__ceg.scenario.name === n && window.__ceg.plan, name, { timeout: 60_000 });
          const provider = await page.evaluate(() => Object.keys(window.__ceg.scenario.request.state.resources.health)[0]
            || window.__ceg.scenario.request.graph.nodes.find((n) => n.kind === 'resource').provider);
          const slider = page.locator(`#health-${provider}`);
          await slider.focus();
          const changes = async () => {
            const before = await page.evaluate(() => window.__ceg.replans.length);
            for (let k = 0; k < CHANGES; k++) {
              await page.keyboard.press(k < CHANGES / 2 ? 'ArrowLeft' : 'ArrowRight');
              await page.waitForFunction((n) => window.__ceg.replans.length >= n, before + k + 1, { timeout: 60_000 });
            }
            return page.evaluate((n) => window.__ceg.replans.slice(n), before);
          };
          const rs = await changes();
          // The same changes again under a trace, for the main thread's CPU time
          // per change (what a change costs whatever the machine's load).
          const cpu = cpuPerChange(await traced(ctx, page, changes));
          replan[name] = {
            optimize: stats(rs.map((r) => r.optimizeMs)),
            work: stats(rs.map((r) => r.workMs)),
            render: stats(rs.map((r) => r.renderMs)),
            busy: stats(rs.map((r) => r.busyMs)),
            frame: stats(rs.map((r) => r.frameMs)),
            withinFrame: rs.filter((r) => r.busyMs <= FRAME_MS).length,
            nextFrame: rs.filter((r) => r.nextFrame).length,
            cpu: stats(cpu),
            cpuWithinFrame: cpu.filter((x) => x <= FRAME_MS).length,
          };
          const r = replan[name];
          process.stderr.write(`bench-browser: ${name}: medians: optimize ${r.optimize.median.toFixed(1)} ms, work ${r.work.median.toFixed(1)} ms, render ${r.render.median.toFixed(1)} ms, busy ${r.busy.median.toFixed(1)} ms (${r.withinFrame}/${r.busy.n} within ${FRAME_MS.toFixed(1)} ms), shown in the next frame ${r.nextFrame}/${r.busy.n}, input -> frame rendered ${r.frame.median.toFixed(1)} ms; main-thread CPU ${r.cpu.median.toFixed(1)} ms (${r.cpuWithinFrame}/${r.cpu.n} within ${FRAME_MS.toFixed(1)} ms)\n`);
        }
      }
    } finally {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}
const load1 = os.loadavg();
const wasm = fs.statSync(path.join(ROOT, 'bindings/js/ceg.wasm')).size;
const result = {
  chromium: (await import('node:child_process')).execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).trim(),
  cores: os.cpus().length,
  loadavg: { before: load0.map((x) => +x.toFixed(2)), after: load1.map((x) => +x.toFixed(2)) },
  wasmBytes: wasm,
  firstPlanMs: stats(first),
  reloadFirstPlanMs: stats(warm),
  moduleCompiledMs: stats(compiled),
  moduleReadyMs: stats(ready),
  replan,
};
if (OUT) fs.writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
else console.log(JSON.stringify(result, null, 2));

/**
 * traced runs fn while the page is traced (devtools.timeline) and returns
 * the trace events.
 */
async function traced(ctx, page, fn) {
  const cdp = await ctx.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] } });
  try {
    await fn();
  } finally {
    await cdp.send('Tracing.end');
    await done;
    await cdp.detach();
  }
  return events;
}

/**
 * cpuPerChange reads, per keydown, the thread CPU time (tdur) of the page's
 * main-thread tasks that handle that input or render a frame, up to the
 * next keydown: the re-plan, the redraw and the frame that shows it.
 * Other tasks (the harness's polling) are left out.
 */
function cpuPerChange(events) {
  const key0 = events.find((e) => e.name === 'EventDispatch' && e.args && e.args.data && e.args.data.type === 'keydown');
  if (!key0) return [];
  const main = events.filter((e) => e.pid === key0.pid && e.tid === key0.tid && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const keys = main.filter((e) => e.name === 'EventDispatch' && e.args.data && e.args.data.type === 'keydown');
  const MARK = new Set(['EventDispatch', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Commit']);
  const marks = main.filter((e) => MARK.has(e.name));
  const tasks = main.filter((e) => e.name === 'RunTask' && marks.some((m) => m.ts >= e.ts && m.ts + m.dur <= e.ts + e.dur));
  return keys.map((k, i) => {
    const from = k.ts - 1000;
    const to = i + 1 < keys.length ? keys[i + 1].ts - 1000 : Infinity;
    return tasks.filter((t) => t.ts >= from && t.ts < to).reduce((sum, t) => sum + (t.tdur ?? t.dur) / 1000, 0);
  });
}

/** splice puts a section between the browser-bench markers of doc (appending it when they are missing). */
function spliceInto(section, docFile) {
  const doc = fs.readFileSync(docFile, 'utf8');
  const re = /<!-- browser-bench:start[^]*?<!-- browser-bench:end -->/;
  const body = section.trim();
  fs.writeFileSync(docFile, re.test(doc) ? doc.replace(re, body) : `${doc.trimEnd()}\n\n## Dashboard (browser)\n\n${body}\n`);
}

if (MARKDOWN) {
  const f = (x) => x.toFixed(x < 10 ? 1 : 0);
  const row = (name, st) => `| ${name} | ${st.n} | ${f(st.min)} | ${f(st.median)} | ${f(st.max)} |`;
  const cell = (st) => `${f(st.median)} (${f(st.min)}–${f(st.max)})`;
  const lines = [
    '<!-- browser-bench:start (written by scripts/bench-browser.mjs) -->',
    `Dashboard in ${result.chromium}, headless, 1280×800, ${result.cores} cores; load average ${result.loadavg.before[0]} before and ${result.loadavg.after[0]} after (1 min), on a machine shared with other work: read medians, not single runs. Module ${(wasm / 1048576).toFixed(2)} MiB raw, served brotli-compressed as \`application/wasm\`; index.html starts compiling it while streaming before the page's scripts load. Each load is a fresh browser profile (no compiled-code cache), then one reload in that profile.`,
    '',
    '| start-up (ms after navigation) | runs | min | median | max |',
    '|---|---|---|---|---|',
    row('module compiled, streaming (`ceg:module-compiled`)', result.moduleCompiledMs),
    row('module instantiated and initialised (`ceg:module-ready`)', result.moduleReadyMs),
    row('first plan drawn and its frame rendered (`ceg:first-plan`)', result.firstPlanMs),
    row('reload in the same profile: first plan', result.reloadFirstPlanMs),
    '',
    `What-if changes (${CHANGES} per scenario, a health slider moved by keyboard), ms, median (min–max). Work: the input to the redrawn plan, graph and change log, of which \`plan.optimize\` in the module; render: style, layout and paint of the frame that shows the change; busy = work + render, the main thread's cost of one change, against a ${FRAME_MS.toFixed(1)} ms frame; next frame: the change is shown in the first frame after the input; input → frame rendered adds the wait for that frame. These are wall-clock times, so on a loaded machine they include time the page's thread waited for a core; the main-thread CPU column is the same ${CHANGES} changes again under a trace, the thread CPU time of the tasks that handle each input and render its frame (tracing adds some overhead).`,
    '',
    '| scenario | optimize | work | render | busy | busy ≤ 16.7 ms | in the next frame | input → frame rendered | main-thread CPU (trace) | CPU ≤ 16.7 ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(replan).map(([name, r]) => `| ${name} | ${cell(r.optimize)} | ${cell(r.work)} | ${cell(r.render)} | ${cell(r.busy)} | ${r.withinFrame} of ${r.busy.n} | ${r.nextFrame} of ${r.busy.n} | ${cell(r.frame)} | ${cell(r.cpu)} | ${r.cpuWithinFrame} of ${r.cpu.n} |`),
    '<!-- browser-bench:end -->',
  ];
  fs.writeFileSync(MARKDOWN, lines.join('\n') + '\n');
}
