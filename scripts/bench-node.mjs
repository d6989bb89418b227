// Node side of `make bench`: runs the workloads of build/bench/workloads.jsonl
// (the very requests the Go benchmarks send) through the binding, plus cold
// and warm start, a 100k-call memory run and the first 200 chat turns of
// fresh processes, and prints JSON results.
//
//   node scripts/bench-node.mjs [WORKLOADS]              the whole Node side
//   node scripts/bench-node.mjs --fresh MODE [WORKLOADS]  one fresh process:
//       the first 200 chat turns by handle, MODE plain (loadSync()) or
//       warmup (loadSync({warmup: true}));
//       prints {readyMs, firstTurnUs, turnsUs}: ready is load + graph.create
//       from process start, turnsUs the mean over the 200 turns
//   node scripts/bench-node.mjs --warm [WORKLOADS]        one process, warm:
//       prints {nsPerTurn} of a chat turn by handle after 3,000 turns (the
//       median of three timed batches)
//   --workload NAME  the turn of --fresh and --warm (default chat-turn-handle;
//       chat-turn-handle-new: a turn with new inputs every call)
//
// The child modes are what the fresh-process figures here and the
// interleaved side-by-side run (scripts/bench-turn.mjs) start.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadSync, DEFAULT_WASM } = require('../bindings/js/index.js');

const args = process.argv.slice(2);
// --workload NAME (anywhere) picks the turn of the --fresh and --warm modes.
const at = args.indexOf('--workload');
const turnName = at >= 0 ? args.splice(at, 2)[1] : 'chat-turn-handle';
const mode = args[0] === '--fresh' ? 'fresh' : args[0] === '--warm' ? 'warm' : 'all';
const freshMode = mode === 'fresh' ? args[1] : undefined;
const file = (mode === 'fresh' ? args[2] : mode === 'warm' ? args[1] : args[0]) ?? 'build/bench/workloads.jsonl';
const workloads = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const chat = workloads.find((w) => w.name === turnName);
if (!chat) throw new Error(`bench-node: no workload ${turnName}`);

/**
 * turn returns the request of call i of workload w: its alternate on every
 * other call when it has one (two requests that differ in the state's
 * tick, so no call repeats the one before and plan.optimize's answer memo
 * never answers: the workload times planning itself).
 */
const turn = (w, i) => (w.alternate && i % 2 === 1 ? w.alternate : w.request);

// Instances that run a workload with a setup request use plain ids
// (epoch: false), so the graph.create of the setup makes the handle "g1"
// the request names. (With epochs the handle would be g1.<epoch> and every
// request an UNKNOWN_HANDLE error.)
const PLAIN = { epoch: false };

/** checked runs a request and fails unless it got a result. */
function checked(inst, req, what) {
  const out = inst.callRaw(req);
  if (!String(out).includes('"result":')) throw new Error(`${what}: not a result: ${String(out).slice(0, 200)}`);
  return out;
}

if (mode === 'fresh') {
  // performance.now() counts from the process's start.
  if (freshMode !== 'plain' && freshMode !== 'warmup') throw new Error(`--fresh plain|warmup, not ${freshMode}`);
  const inst = loadSync(freshMode === 'warmup' ? { ...PLAIN, warmup: true } : PLAIN);
  checked(inst, chat.setup, 'setup');
  const readyMs = performance.now();
  const t1 = performance.now();
  let firstTurnUs = 0;
  for (let i = 0; i < 200; i++) {
    inst.callRaw(turn(chat, i));
    if (i === 0) firstTurnUs = (performance.now() - t1) * 1000;
  }
  const turnsUs = ((performance.now() - t1) * 1000) / 200;
  checked(inst, turn(chat, 0), 'turn');
  process.stdout.write(JSON.stringify({ mode: freshMode, readyMs, firstTurnUs, turnsUs }) + '\n');
  process.exit(0);
}

/** time runs fn until at least minMs have passed (after warm-up) and returns ns/op. */
function time(fn, minMs = 1000) {
  for (let i = 0; i < 5; i++) fn();
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = performance.now() - t0;
    if (dt >= minMs) return (dt * 1e6) / n;
    n = Math.max(n * 2, Math.ceil((n * minMs * 1.2) / Math.max(dt, 1)));
  }
}

if (mode === 'warm') {
  const inst = loadSync(PLAIN);
  checked(inst, chat.setup, 'setup');
  const want = [0, 1].map((i) => checked(inst, turn(chat, i), 'turn').length);
  for (let i = 0; i < 3000; i++) inst.callRaw(turn(chat, i));
  // Three timed batches: the median, so one descheduled batch does not
  // make the figure.
  let i = 0;
  const batches = [0, 1, 2].map(() => time(() => {
    if (inst.callRaw(turn(chat, i)).length !== want[i++ % 2]) throw new Error(`${chat.name}: response changed`);
  }, 300)).sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ nsPerTurn: batches[1], batches }) + '\n');
  process.exit(0);
}

/** fresh starts one fresh process in a child mode and returns its JSON line. */
function fresh(freshMode, workloadsFile = file) {
  const self = fileURLToPath(import.meta.url);
  return JSON.parse(execFileSync(process.execPath, [self, '--fresh', freshMode, workloadsFile], { encoding: 'utf8' }));
}

const results = { workloads: {}, start: {}, memory: {}, fresh: { plain: [], warmup: [] } };
const ceg = loadSync();
for (const w of workloads) {
  // A workload with a setup request (graph.create of the handle the
  // request names) runs on a fresh instance with plain ids.
  const inst = w.setup ? loadSync(PLAIN) : ceg;
  if (w.setup) checked(inst, w.setup, `${w.name} setup`);
  const want = [0, 1].map((i) => checked(inst, turn(w, i), w.name).length);
  let i = 0;
  results.workloads[w.name] = time(() => {
    if (inst.callRaw(turn(w, i)).length !== want[i++ % 2]) throw new Error(`${w.name}: response changed`);
  });
  process.stderr.write(`node ${w.name}: ${results.workloads[w.name].toFixed(0)} ns/op\n`);
}

const bytes = readFileSync(DEFAULT_WASM);
results.start.compileColdMs = time(() => new WebAssembly.Module(bytes), 2000) / 1e6;
results.start.instantiateWarmMs = time(() => loadSync(), 2000) / 1e6;

const mem = loadSync();
const req = workloads.find((w) => w.name === 'decode-encode-2kb').request;
for (let i = 0; i < 100_000; i++) mem.callRaw(req);
results.memory.after100kCallsBytes = mem.memoryBytes();

// The first 200 chat turns of fresh processes, without and with the
// binding's warm-up, five of each, interleaved.
for (let r = 0; r < 5; r++) {
  for (const m of ['plain', 'warmup']) {
    const x = fresh(m);
    results.fresh[m].push(x);
    process.stderr.write(`node fresh ${m}: ready ${x.readyMs.toFixed(0)} ms, ${x.turnsUs.toFixed(0)} µs/turn over 200\n`);
  }
}

process.stdout.write(JSON.stringify(results) + '\n');
