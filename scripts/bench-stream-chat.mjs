// The stream-chat adapter's side of `make bench`: buildBrainOrder per turn
// against the original hand-written rule, warm, and over the first 200
// turns of fresh processes started with and without preload/warm-up.
// Prints a markdown table (µs per turn, min and median of interleaved
// rounds) and writes it to the file named by argv[2] when given.
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ADAPTER = fileURLToPath(new URL('../bindings/js/stream-chat.js', import.meta.url));
const KEYS = { ANTHROPIC_API_KEY: 'k', GEMINI_API_KEY: 'k', OPENAI_API_KEY: 'k', XAI_API_KEY: 'k' };

// The original rule, transcribed: pinned or hint first, then a fixed order.
const FIXED = ['anthropic', 'gemini', 'openai', 'xai', 'ollama'];
const ALIAS = { claude: 'anthropic', 'claude-sonnet': 'anthropic', google: 'gemini', gpt: 'openai', grok: 'xai', local: 'ollama' };
const KEYVARS = { anthropic: ['ANTHROPIC_API_KEY'], gemini: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], openai: ['OPENAI_API_KEY'], xai: ['XAI_API_KEY'], ollama: [] };
function canonical(n) {
  const s = String(n || '').trim().toLowerCase();
  return FIXED.includes(s) ? s : ALIAS[s] || (s.startsWith('gemini-') ? 'gemini' : null);
}
function originalOrder({ requestedProvider, hintProvider } = {}) {
  const avail = FIXED.filter((p) => KEYVARS[p].length === 0 || KEYVARS[p].some((k) => process.env[k]));
  if (requestedProvider) {
    const p = canonical(requestedProvider);
    return p && avail.includes(p) ? [p, ...avail.filter((x) => x !== p)] : [];
  }
  const h = canonical(hintProvider);
  return h && avail.includes(h) ? [h, ...avail.filter((x) => x !== h)] : avail;
}

/** perTurn runs fn n times per round over `rounds` rounds and returns µs/turn of each round. */
function rounds(fns, n, count) {
  const out = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let r = 0; r < count; r++) {
    for (const [k, fn] of Object.entries(fns)) { // interleaved
      const t0 = performance.now();
      for (let i = 0; i < n; i++) fn(i);
      out[k].push(((performance.now() - t0) * 1000) / n);
    }
  }
  return out;
}
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], median: s[Math.floor(s.length / 2)] }; };

// The preload options of each fresh-process mode ('lazy': no preload).
const PRELOAD = { warm: {}, plain: { eagerTierUp: false }, cold: { warmUp: false } };

/** child runs one fresh process and returns its JSON line. */
function child(mode) {
  const src = `
    const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
    const t0 = performance.now();
    const chat = require(${JSON.stringify(ADAPTER)});
    const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
    const ready = ${mode === 'lazy' ? 'Promise.resolve()' : `chat.preload(${JSON.stringify(PRELOAD[mode])})`};
    ready.then(() => {
      const readyMs = performance.now() - t0;
      const providers = chat.PROVIDERS;
      const t1 = performance.now();
      let firstTurnMs = 0;
      for (let i = 0; i < 200; i++) {
        if (i === 1) firstTurnMs = performance.now() - t1;
        chat.buildBrainOrder({ hintProvider: i % 3 ? undefined : 'grok' });
        chat.recordOutcome(providers[i % providers.length], i % 9 === 4 ? 'error' : 'ok', 800 + (i % 7) * 50); // every turn re-plans
      }
      const turnsUs = (performance.now() - t1) * 1000 / 200;
      h.disable();
      console.log(JSON.stringify({ readyMs, firstTurnMs, turnsUs, maxStallMs: h.max / 1e6 }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', src], { env: Object.assign({}, process.env, KEYS), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

Object.assign(process.env, KEYS);
const chat = require(ADAPTER);
await chat.preload();
const providers = chat.PROVIDERS;
const turn = (c) => (i) => { c.recordOutcome(providers[i % providers.length], i % 9 === 4 ? 'error' : 'ok', 800 + (i % 7) * 50); c.buildBrainOrder({ hintProvider: i % 3 ? undefined : 'grok' }); };
const fns = {
  original: (i) => originalOrder({ hintProvider: i % 3 ? undefined : 'grok' }),
  cached: (i) => chat.buildBrainOrder({ hintProvider: i % 3 ? undefined : 'grok' }),
  replan: turn(chat),
};
// BENCH_STREAM_CHAT_BASE=<another checkout, built> interleaves its
// adapter's re-planned turn with this one's: an A/B on the same machine
// and run (its own module and engine).
const BASE = process.env.BENCH_STREAM_CHAT_BASE;
let base = null;
if (BASE) {
  base = require(`${BASE}/bindings/js/stream-chat.js`);
  await base.preload();
  fns.base = turn(base);
}
const warm = rounds(fns, 2000, 7);
chat.reset();

const fresh = { warm: [], plain: [], cold: [], lazy: [] };
for (let r = 0; r < 5; r++) for (const m of Object.keys(fresh)) fresh[m].push(child(m)); // interleaved

const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const o = stats(warm.original), c = stats(warm.cached), p = stats(warm.replan);
const lines = [
  '### The stream-chat adapter (scripts/bench-stream-chat.mjs)',
  '',
  '| stream-chat, per turn (Node) | min µs | median µs | vs original (median) |',
  '|---|---:|---:|---:|',
  `| original hand-written rule (pin, hint, fixed order) | ${f(o.min)} | ${f(o.median)} | 1× |`,
  `| buildBrainOrder, plan cached (no new outcome) | ${f(c.min)} | ${f(c.median)} | ${f(c.median / o.median)}× |`,
  `| buildBrainOrder after an outcome (one state.observe call: the outcome and the re-plan, breakers kept by the handle) | ${f(p.min)} | ${f(p.median)} | ${f(p.median / o.median)}× |`,
  ...(base ? [`| the same, the adapter of ${BASE} (interleaved A/B) | ${f(stats(warm.base).min)} | ${f(stats(warm.base).median)} | ${f(stats(warm.base).median / o.median)}× |`] : []),
  '',
  '| fresh process, first 200 turns (each re-plans) | ready ms (min / median) | first turn ms (median) | µs per turn over 200 (min / median) | longest event-loop stall while getting ready, ms (median) |',
  '|---|---:|---:|---:|---:|',
];
const names = {
  warm: '`await preload()` (compile with eager tier-up + warm-up in a worker)',
  plain: '`await preload({eagerTierUp: false})` (V8\'s dynamic tiering + warm-up)',
  cold: '`await preload({warmUp: false})` (eager tier-up, no warm-up)',
  lazy: 'no preload (synchronous compile at first use)',
};
for (const [m, runs] of Object.entries(fresh)) {
  const ft = stats(runs.map((x) => x.firstTurnMs));
  const rd = stats(runs.map((x) => x.readyMs)), tu = stats(runs.map((x) => x.turnsUs)), st = stats(runs.map((x) => x.maxStallMs));
  lines.push(`| ${names[m]} | ${f(rd.min)} / ${f(rd.median)} | ${f(ft.median)} | ${f(tu.min)} / ${f(tu.median)} | ${f(st.median)} |`);
}
const vsWarm = (m) => f(stats(fresh[m].map((x) => x.turnsUs)).median / p.median);
lines.push('', `warm re-plan per turn for comparison: ${f(p.median)} µs (median); the first 200 turns cost ${vsWarm('warm')}× that with preload(), ${vsWarm('plain')}× without eager tier-up, ${vsWarm('cold')}× without warm-up, ${vsWarm('lazy')}× without preload (medians).`);
const table = lines.join('\n') + '\n';
process.stdout.write(table);
if (process.argv[2]) writeFileSync(process.argv[2], table);
