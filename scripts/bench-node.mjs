// Node side of `make bench`: runs the workloads of build/bench/workloads.jsonl
// (the very requests the Go benchmarks send) through the binding, plus cold
// and warm start and a 100k-call memory run, and prints JSON results.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const { loadSync, DEFAULT_WASM } = require('../bindings/js/index.js');

const workloads = readFileSync(process.argv[2] ?? 'build/bench/workloads.jsonl', 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l));

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

const results = { workloads: {}, start: {}, memory: {} };
const ceg = loadSync();
for (const w of workloads) {
  // A workload with a setup request (graph.create of the handle the
  // request names) runs on a fresh instance, where that handle is "g1".
  const inst = w.setup ? loadSync() : ceg;
  if (w.setup) inst.callRaw(w.setup);
  const want = inst.callRaw(w.request);
  results.workloads[w.name] = time(() => {
    if (inst.callRaw(w.request).length !== want.length) throw new Error(`${w.name}: response changed`);
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

process.stdout.write(JSON.stringify(results) + '\n');
