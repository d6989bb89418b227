// Two modes:
//
//   node scripts/bench-report.mjs GO.txt NODE.json MODULE.wasm OUT.md
//     turns the Go benchmark output and the Node results into the tables of
//     docs/BENCHMARKS.md, with wasm/native ratios, and writes them to OUT.md
//     (make bench: build/bench/tables.md, untracked);
//   node scripts/bench-report.mjs --splice TABLES.md DOC.md
//     replaces what is between <!-- bench:start --> and <!-- bench:end --> in
//     DOC.md with TABLES.md (make bench-update). Prose outside is kept.
//
// The module's sha256 is not in the tables: it changes with every commit,
// and `make build` prints it. Its size is, rounded to 0.01 MiB; the doc test
// (bindings/js/test/docs.test.js) fails when the built module is more than
// 10% away from it, so a stale figure cannot stay.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';

if (process.argv[2] === '--splice') {
  const [tablesFile, docFile] = process.argv.slice(3);
  const table = readFileSync(tablesFile, 'utf8').trimEnd();
  let doc = readFileSync(docFile, 'utf8');
  const a = doc.indexOf('<!-- bench:start -->'), b = doc.indexOf('<!-- bench:end -->');
  if (a < 0 || b < a) throw new Error(`${docFile}: bench markers missing`);
  doc = doc.slice(0, a) + '<!-- bench:start -->\n' + table + '\n' + doc.slice(b);
  writeFileSync(docFile, doc);
  console.log(`bench-report: ${docFile} updated from ${tablesFile}`);
  process.exit(0);
}

const [goFile, nodeFile, wasmFile, outFile] = process.argv.slice(2);
const go = {};
for (const line of readFileSync(goFile, 'utf8').split('\n')) {
  const m = line.match(/^Benchmark(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns\/op(.*)$/);
  if (!m) continue;
  const extra = {};
  for (const x of m[4].matchAll(/([\d.]+) (\S+)/g)) extra[x[2]] = Number(x[1]);
  go[m[1]] = { ns: Number(m[3]), ...extra };
}
const node = JSON.parse(readFileSync(nodeFile, 'utf8'));
const wasm = readFileSync(wasmFile);

const fmt = (ns) => ns === undefined ? '—' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(1)} µs` : `${ns.toFixed(0)} ns`;
const ratio = (a, b) => (a === undefined || b === undefined) ? '—' : `${(a / b).toFixed(1)}x`;

// The first 200 chat turns of fresh Node processes (bench-node.mjs --fresh),
// next to the warm figure of the same workload.
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { min: s[0], median: s[Math.floor((s.length - 1) / 2)] }; };
const freshCol = (runs) => {
  if (!runs?.length) return '—';
  const s = stats(runs.map((x) => x.turnsUs * 1000));
  return `${fmt(s.min)} / ${fmt(s.median)}`;
};
const rows = [];
rows.push('| workload | native | wazero | Node (warm) | Node, first 200 turns of a fresh process (min / median) | wazero/native | Node/native | native allocs/op |');
rows.push('|---|---|---|---|---|---|---|---|');
for (const name of Object.keys(node.workloads)) {
  const n = go[`Native/${name}`], w = go[`Wazero/${name}`], j = node.workloads[name];
  const first = name === 'chat-turn-handle' ? freshCol(node.fresh?.plain) : '—';
  rows.push(`| ${name} | ${fmt(n?.ns)} | ${fmt(w?.ns)} | ${fmt(j)} | ${first} | ${ratio(w?.ns, n?.ns)} | ${ratio(j, n?.ns)} | ${n?.['allocs/op'] ?? '—'} |`);
}
const freshNote = [];
if (node.fresh?.plain?.length) {
  const p = stats(node.fresh.plain.map((x) => x.readyMs)), wu = node.fresh.warmup ?? [];
  freshNote.push('', `First 200 turns: ${node.fresh.plain.length} fresh processes (\`loadSync()\`, then \`graph.create\` and 200 \`chat-turn-handle\` requests), ready in ${p.median.toFixed(0)} ms (median, from process start).` +
    (wu.length ? ` With the binding's warm-up (\`loadSync({warmup: true})\`, ${wu.length} processes, interleaved): ${freshCol(wu)} per turn, ready in ${stats(wu.map((x) => x.readyMs)).median.toFixed(0)} ms.` : ''));
}

const plan = ['ChatTurn', 'DAG100x10', 'DAG1000x20'].map((k) => {
  const b = go[k];
  return `| ${k} | ${fmt(b?.ns)} | ${b?.['B/op'] ?? '—'} | ${b?.['allocs/op'] ?? '—'} |`;
});

const start = [
  `| bare export call (wazero, \`ceg_abi_version\`) | ${fmt(go.WazeroExportCall?.ns)} |`,
  `| compile, cold (wazero, no cache) | ${fmt(go.WazeroCompileCold?.ns)} |`,
  `| compile, from the compilation cache (wazero) | ${fmt(go.WazeroCompileCached?.ns)} |`,
  `| instantiate + \`_initialize\` (wazero) | ${fmt(go.WazeroInstantiate?.ns)} |`,
  `| compile, cold (Node, \`new WebAssembly.Module\`) | ${node.start.compileColdMs.toFixed(1)} ms |`,
  `| instantiate + \`_initialize\` + ABI check (Node, \`loadSync\`) | ${node.start.instantiateWarmMs.toFixed(1)} ms |`,
];

const mem = [
  `| wazero, after 100,000 \`graph.validate\` calls | ${go.WazeroMemoryRun?.['mem-bytes'] ? (go.WazeroMemoryRun['mem-bytes'] / 1048576).toFixed(1) + ' MiB' : '—'} |`,
  `| Node, after 100,000 \`graph.validate\` calls | ${(node.memory.after100kCallsBytes / 1048576).toFixed(1)} MiB |`,
];

const size = [
  `| raw | ${wasm.length.toLocaleString('en')} bytes (${(wasm.length / 1048576).toFixed(2)} MiB) |`,
  `| gzip -9 | ${gzipSync(wasm, { level: 9 }).length.toLocaleString('en')} bytes (${(gzipSync(wasm, { level: 9 }).length / 1048576).toFixed(2)} MiB) |`,
];

const table = [
  `Measured by \`make bench\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average (1, 5, 15 min) ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} when the report was written.`,
  '',
  '### Requests: the same bytes natively, under wazero and in Node',
  '',
  ...rows,
  ...freshNote,
  '',
  '### Optimizer alone (native, `core/plan` benchmarks)',
  '',
  '| benchmark | time/op | B/op | allocs/op |',
  '|---|---|---|---|',
  ...plan,
  '',
  '### Start-up',
  '',
  '| what | time |',
  '|---|---|',
  ...start,
  '',
  '### Memory',
  '',
  '| run | linear memory at the end |',
  '|---|---|',
  ...mem,
  '',
  '### Module size',
  '',
  '| | |',
  '|---|---|',
  ...size,
].join('\n');

writeFileSync(outFile, table + '\n');
