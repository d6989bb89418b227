// The chat turn side by side (part of `make bench`; issue 10's table): one
// turn of the chat-turn workload (6 providers, one intent, state with
// breakers) planned by graph handle, measured in every runtime in one
// interleaved run — each round runs every measurement once, in a fresh
// process, so load that comes and goes falls on all of them alike:
//
//   - a Python stand-in for the reference optimizer (scripts/bench_ref.py),
//   - Go native, plan.Optimize directly (core/plan BenchmarkChatTurn),
//   - Go native, api.Handle by handle (core/api BenchmarkHandle/chat-turn-handle),
//   - wazero by handle (testrunner BenchmarkWazero/chat-turn-handle),
//   - Node through the binding by handle, warm (bench-node.mjs --warm),
//   - Node, the first 200 turns of a fresh process, without and with the
//     binding's warm-up (bench-node.mjs --fresh plain|warmup);
//   - headless Chromium through the browser binding (load(), a Promise per
//     turn), warm and the first 200 turns of a fresh page without and with
//     the binding's warm-up (load({warmup: true})), each in a browser of
//     its own (scripts/bench-turn-browser.mjs);
//   - the same turn with new inputs every call (chat-turn-handle-new: the
//     state's tick alternates, so plan.optimize's answer memo never
//     answers), natively, under wazero, in Node and in Chromium, warm and
//     fresh.
//
//   node scripts/bench-turn.mjs WORKLOADS OUT.json OUT.md [ROUNDS]
//
// Writes the raw figures (µs per turn, each round) to OUT.json and the
// table (min / median, ratios of medians) to OUT.md. Needs `make build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [workloads = 'build/bench/workloads.jsonl', outJSON = 'build/bench/turn.json', outMD = 'build/bench/turn.md', roundsArg = '5'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const bin = path.join(root, 'build/bench/bin');
mkdirSync(bin, { recursive: true });

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...opts });

// Test binaries are built once, so a round times the work, not the build.
for (const [name, pkg] of [['plan', './core/plan'], ['api', './core/api'], ['testrunner', './testrunner']]) {
  run('go', ['test', '-c', '-o', path.join(bin, `${name}.test`), pkg]);
}

/** gobench runs one Go benchmark and returns {us, allocs}. */
function gobench(name, pattern, cwd = root) {
  const out = run(path.join(bin, `${name}.test`), ['-test.run', '^$', '-test.bench', pattern, '-test.benchmem', '-test.benchtime', '0.5s'], { cwd });
  const m = out.match(/\s([\d.]+) ns\/op(?:.*?\s(\d+) allocs\/op)?/);
  if (!m) throw new Error(`bench-turn: no result from ${name} ${pattern}:\n${out}`);
  return { us: Number(m[1]) / 1000, allocs: m[2] === undefined ? undefined : Number(m[2]) };
}

const node = (...args) => JSON.parse(run(process.execPath, [path.join(root, 'scripts/bench-node.mjs'), ...args, workloads]));

// The Python row needs python3; without it the row shows dashes.
let hasPython = true;
try { run('python3', ['--version']); } catch { hasPython = false; }

// The Chromium rows need Debian's chromium (make chromium) and
// playwright-core (make node-deps); without them the rows show dashes.
let hasChromium = existsSync(process.env.CHROMIUM || '/usr/bin/chromium');
try { await import('playwright-core'); } catch { hasChromium = false; }
const browser = (...args) => (hasChromium ? JSON.parse(run(process.execPath, [path.join(root, 'scripts/bench-turn-browser.mjs'), ...args, workloads])) : undefined);
/** browserFresh: the first 200 turns of a fresh page, or {} without chromium. */
const browserFresh = (mode, ...args) => {
  const x = browser('--fresh', mode, ...args);
  return x ? { us: x.turnsUs, readyMs: x.readyMs, firstTurnUs: x.firstTurnUs, resolutionUs: x.resolutionUs, isolated: x.crossOriginIsolated } : {};
};
const browserWarm = (...args) => {
  const x = browser('--warm', ...args);
  return x ? { us: x.nsPerTurn / 1000, resolutionUs: x.resolutionUs, isolated: x.crossOriginIsolated, chromium: x.chromium } : {};
};

const NEW = 'chat-turn-handle-new';
const measures = {
  python: () => (hasPython ? { us: JSON.parse(run('python3', [path.join(root, 'scripts/bench_ref.py'), '1'])).nsPerTurn[0] / 1000 } : {}),
  plan: () => gobench('plan', '^BenchmarkChatTurn$'),
  handle: () => gobench('api', '^BenchmarkHandle$/^chat-turn-handle$'),
  wazero: () => gobench('testrunner', '^BenchmarkWazero$/^chat-turn-handle$', path.join(root, 'testrunner')),
  nodeWarm: () => ({ us: node('--warm').nsPerTurn / 1000 }),
  nodeFresh: () => { const x = node('--fresh', 'plain'); return { us: x.turnsUs, readyMs: x.readyMs, firstTurnUs: x.firstTurnUs }; },
  nodeFreshWarmup: () => { const x = node('--fresh', 'warmup'); return { us: x.turnsUs, readyMs: x.readyMs, firstTurnUs: x.firstTurnUs }; },
  chromeWarm: () => browserWarm(),
  chromeFresh: () => browserFresh('plain'),
  chromeFreshWarmup: () => browserFresh('warmup'),
  // The same turn with new inputs every call (the state's tick alternates),
  // so plan.optimize's answer memo never answers: planning itself.
  handleNew: () => gobench('api', '^BenchmarkHandle$/^chat-turn-handle-new$'),
  wazeroNew: () => gobench('testrunner', '^BenchmarkWazero$/^chat-turn-handle-new$', path.join(root, 'testrunner')),
  nodeWarmNew: () => ({ us: node('--warm', '--workload', NEW).nsPerTurn / 1000 }),
  nodeFreshWarmupNew: () => { const x = node('--fresh', 'warmup', '--workload', NEW); return { us: x.turnsUs, readyMs: x.readyMs, firstTurnUs: x.firstTurnUs }; },
  chromeWarmNew: () => browserWarm('--workload', NEW),
  chromeFreshNew: () => browserFresh('plain', '--workload', NEW),
  chromeFreshWarmupNew: () => browserFresh('warmup', '--workload', NEW),
};

const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');
const results = { rounds: [], loadBefore: load(), machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`, node: process.version };
for (let r = 0; r < rounds; r++) {
  const round = {};
  for (const [k, fn] of Object.entries(measures)) {
    round[k] = fn();
    process.stderr.write(`bench-turn: round ${r + 1}/${rounds} ${k}: ${round[k].us?.toFixed(1) ?? '—'} µs\n`);
  }
  results.rounds.push(round);
}
results.loadAfter = load();
writeFileSync(outJSON, JSON.stringify(results, null, 1) + '\n');

const stats = (xs) => { const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b); return { min: s[0], median: s[Math.floor((s.length - 1) / 2)] }; };
const col = (k, f = 'us') => stats(results.rounds.map((r) => r[k][f]));
const f = (x) => (x === undefined ? '—' : x >= 1000 ? Math.round(x).toLocaleString('en') : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ref = col('python').median, handle = col('handle').median;
const rows = [
  ['python', 'Python stand-in for the reference optimizer (`scripts/bench_ref.py`), graph already built, in-process'],
  ['plan', 'Go native, `plan.Optimize` directly'],
  ['handle', 'Go native, `api.Handle` by handle (JSON in and out)'],
  ['nodeWarm', 'Node through the binding, by handle, warm'],
  ['nodeFresh', 'Node, first 200 turns of a fresh process (`loadSync()`)'],
  ['nodeFreshWarmup', 'Node, first 200 turns of a fresh process (`loadSync({warmup: true})`)'],
  ['chromeWarm', 'Chromium, by handle, warm (`load()`, a Promise per turn)'],
  ['chromeFresh', 'Chromium, first 200 turns of a fresh page (`load()`)'],
  ['chromeFreshWarmup', 'Chromium, first 200 turns of a fresh page (`load({warmup: true})`)'],
  ['wazero', 'wazero, by handle'],
  ['handleNew', 'new inputs every turn: Go native, `api.Handle` by handle'],
  ['nodeWarmNew', 'new inputs every turn: Node, warm'],
  ['nodeFreshWarmupNew', 'new inputs every turn: Node, first 200 turns (`loadSync({warmup: true})`)'],
  ['chromeWarmNew', 'new inputs every turn: Chromium, warm'],
  ['chromeFreshNew', 'new inputs every turn: Chromium, first 200 turns of a fresh page (`load()`)'],
  ['chromeFreshWarmupNew', 'new inputs every turn: Chromium, first 200 turns of a fresh page (`load({warmup: true})`)'],
  ['wazeroNew', 'new inputs every turn: wazero'],
];
const lines = [
  `### The chat turn side by side (\`scripts/bench-turn.mjs\`)`,
  '',
  `${rounds} interleaved rounds on ${results.machine}, Node ${results.node}; load average (1, 5, 15 min) ${results.loadBefore} before and ${results.loadAfter} after. Ratios are of medians.`,
  '',
  '| chat turn by handle | µs per turn, min | median | vs Python stand-in | vs native `api.Handle` | native allocs/turn |',
  '|---|---:|---:|---:|---:|---:|',
];
for (const [k, label] of rows) {
  // Allocations are the Go engine's: the wazero figure would be the host's.
  const s = col(k), a = k.startsWith('wazero') ? {} : stats(results.rounds.map((r) => r[k].allocs));
  const vsRef = ref === undefined || s.median === undefined ? '—' : `${(s.median / ref).toFixed(2)}×`;
  const vsHandle = s.median === undefined ? '—' : `${(s.median / handle).toFixed(1)}×`;
  lines.push(`| ${label} | ${f(s.min)} | ${f(s.median)} | ${vsRef} | ${vsHandle} | ${a.min === undefined ? '—' : a.min} |`);
}
const rf = col('nodeFresh', 'readyMs'), rw = col('nodeFreshWarmup', 'readyMs');
const ff = col('nodeFresh', 'firstTurnUs'), fw = col('nodeFreshWarmup', 'firstTurnUs');
lines.push('', `Fresh processes: ready (process start to \`graph.create\` done) ${f(rf.median)} ms without warm-up and ${f(rw.median)} ms with it (medians); the first turn ${f(ff.median / 1000)} ms and ${f(fw.median / 1000)} ms.`);
if (hasChromium) {
  const ks = ['chromeWarm', 'chromeFresh', 'chromeFreshWarmup', 'chromeWarmNew', 'chromeFreshNew', 'chromeFreshWarmupNew'];
  const cr = col('chromeFresh', 'readyMs'), cw = col('chromeFreshWarmup', 'readyMs');
  const c1 = col('chromeFresh', 'firstTurnUs'), w1 = col('chromeFreshWarmup', 'firstTurnUs');
  const res = stats(results.rounds.flatMap((r) => ks.map((k) => r[k].resolutionUs)));
  const iso = results.rounds.every((r) => ks.every((k) => r[k].isolated));
  lines.push('', `Fresh pages (${results.rounds[0].chromeWarm.chromium}, headless, a fresh profile each, the module served brotli-compressed by \`examples/browser/server.mjs\`): ready (navigation to \`graph.create\` done) ${f(cr.median)} ms without warm-up and ${f(cw.median)} ms with it (medians); the first turn ${f(c1.median / 1000)} ms and ${f(w1.median / 1000)} ms. The pages are ${iso ? '' : 'not all '}cross-origin isolated, so \`performance.now()\` has a resolution of ${f(res.median)} µs (100 µs without isolation); turns are timed in batches (warm: ≥ 300 ms each, the median of three; fresh: the 200 turns), only the first turn alone.`);
}
const table = lines.join('\n') + '\n';
writeFileSync(outMD, table);
process.stdout.write(table);
