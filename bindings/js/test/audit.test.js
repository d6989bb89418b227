'use strict';
// Audit data through the binding (issue 9, item 5): a session's trace
// verifies after a store that reorders keys, verifyTrace({expectHead,
// expectCount}) catches records dropped from the end, a trace key makes
// re-hashed chains fail and is handed to every instance the binding makes
// after a trap, and snapshots restore only intact and only here.

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const TRAP = Symbol.for('@convergence-io/ceg/debugTrap');
const DOC = {
  nodes: [
    { id: 'gpt', kind: 'resource', provider: 'openai', capabilities: ['chat'], costPerToken: 0.00001, meta: { z: 1, a: [1e-7, 'é'] } },
    { id: 'claude', kind: 'resource', provider: 'anthropic', capabilities: ['chat'], costPerToken: 0.00002 },
  ],
  edges: [],
};
const CONTRACT = { id: 'turn', intent: 'hello', forbiddenProviders: ['shady'] };
const KEY = Buffer.from('0123456789abcdef0123456789abcdef');

/** sortKeys re-encodes a value with every object's keys sorted (a store that keeps values, not bytes). */
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().reverse().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** session runs a short session and returns it with all its trace records. */
async function session(ceg) {
  const s = await ceg.execute({ graph: DOC, contract: CONTRACT, state: { now: 1000 } });
  const records = [...s.events];
  const t = await s.report(1500.25, [{ step: 'step-intent', attempt: 1, status: 'error' }]);
  records.push(...t.events);
  return { s, records };
}

test('a trace verifies after keys are reordered; cutting its end is caught with expectHead/expectCount', () => {
  const ceg = loadSync(quiet().options);
  const run = ceg.simulate({ graph: DOC, contract: CONTRACT });
  assert.equal(ceg.verifyTrace(run.trace).valid, true);
  const stored = JSON.parse(JSON.stringify(sortKeys(run.trace)));
  assert.notEqual(JSON.stringify(stored), JSON.stringify(run.trace), 'the store changed the bytes');
  assert.equal(ceg.verifyTrace(stored).valid, true, 'the same values in another key order verify');
  const jsonl = stored.map((r) => JSON.stringify(r)).join('\n');
  assert.equal(ceg.verifyTrace(jsonl).valid, true);

  return (async () => {
    const { s, records } = await session(ceg);
    assert.equal(s.traceCount, records.length);
    assert.equal(s.traceHead, records[records.length - 1].hash);
    const expect = { expectHead: s.traceHead, expectCount: s.traceCount };
    assert.equal(ceg.verifyTrace(records, expect).valid, true);
    const cut = ceg.verifyTrace(records.slice(0, -2), expect);
    assert.equal(cut.valid, false);
    assert.equal(cut.firstInvalid, records.length - 2);
    assert.match(cut.reason, /truncated/);
    assert.equal(ceg.verifyTrace(records.slice(0, -2)).valid, true, 'without the expectations a cut chain still verifies');
    assert.throws(() => ceg.verifyTrace(records, { expectHead: 'x', typo: 1 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'typo');
  })();
});

test('keyed mode: a re-hashed chain fails; the key survives a trap; snapshots are sealed under it', async () => {
  const q = quiet();
  const ceg = loadSync(q.options);
  assert.deepEqual(ceg.setTraceKey(KEY), { keyed: true });
  const { s, records } = await session(ceg);
  assert.equal(ceg.verifyTrace(records).valid, true);
  // The forger edits a record and re-hashes the chain with plain SHA-256.
  const plain = loadSync(quiet().options);
  const forged = plain.simulate({ graph: DOC, contract: CONTRACT }).trace;
  assert.equal(plain.verifyTrace(forged).valid, true);
  const r = ceg.verifyTrace(forged);
  assert.equal(r.valid, false);
  assert.match(r.reason, /under the trace key/);
  const snap = s.snapshot();
  assert.match(snap.digest, /^[0-9a-f]{64}$/);
  assert.throws(() => plain.restore(snap), (e) => e.code === 'INVALID_SNAPSHOT' && e.path === 'snapshot.digest');
  // Setting the key with a live session is refused.
  assert.throws(() => ceg.setTraceKey(null), (e) => e instanceof CegError && e.code === 'INVALID_PARAMS');
  s.close();
  // After a trap the binding hands the key to the new instance.
  assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED');
  assert.equal(ceg.verifyTrace(records).valid, true, 'the new instance verifies under the same key');
  const back = ceg.restore(snap);
  assert.match(back.id, /^s1\./);
  back.close();
  assert.deepEqual(ceg.setTraceKey(null), { keyed: false });
  assert.equal(ceg.verifyTrace(records).valid, false);
  assert.throws(() => ceg.setTraceKey('not base64'), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'key');
  assert.throws(() => ceg.setTraceKey(Buffer.from('short')), (e) => e.code === 'INVALID_PARAMS' && e.path === 'key');
});

test('worker mode: the key is handed to a replacement worker too', async (t) => {
  const ceg = await load({ worker: true, ...quiet().options });
  t.after(() => ceg.close());
  await ceg.setTraceKey(KEY.toString('base64'));
  const run = await ceg.simulate({ graph: DOC, contract: CONTRACT });
  await assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED');
  assert.equal((await ceg.verifyTrace(run.trace)).valid, true);
  // A deadline that replaces the whole worker keeps the key as well.
  const nodes = [{ id: 'r', kind: 'resource', provider: 'r', capabilities: ['chat'] }];
  const edges = [];
  for (let i = 0; i < 600; i++) {
    nodes.push({ id: 'i' + i, kind: 'intent', capabilities: ['chat'] });
    if (i > 0) edges.push({ from: 'i' + i, to: 'i' + (i - 1), kind: 'requires' });
  }
  await assert.rejects(ceg.simulate({ graph: { nodes, edges }, contract: { id: 'c' }, maxTicks: 1000 }, { timeoutMs: 100 }), (e) => e.code === 'TIMEOUT');
  assert.equal((await ceg.verifyTrace(run.trace)).valid, true);
});

test('snapshots: edited content, another module or an oversized graph are refused; a stored one restores', () => {
  const ceg = loadSync(quiet().options);
  const live = ceg.execute({ graph: DOC, contract: CONTRACT, state: { now: 1000 } });
  live.report(1400, [{ step: 'step-intent', attempt: 1, status: 'error' }]);
  const snap = live.snapshot();
  assert.equal(snap.module, ceg.version().module);
  const stored = JSON.parse(JSON.stringify(sortKeys(snap)));
  const back = ceg.restore(stored);
  assert.equal(back.report(1600, []).tick, live.report(1600, []).tick, 'a key-reordered snapshot restores and continues alike');
  const edits = {
    'forbiddenProviders deleted': (m) => { delete m.contract.forbiddenProviders; },
    'a cost edited': (m) => { m.graph.nodes[0].costPerToken = 0; },
    'breakers edited': (m) => { m.breakers = {}; },
    'a record dropped': (m) => { m.trace.pop(); },
  };
  for (const [name, edit] of Object.entries(edits)) {
    const m = structuredClone(snap);
    edit(m);
    assert.throws(() => ceg.restore(m), (e) => e.code === 'INVALID_SNAPSHOT', name);
  }
  const other = structuredClone(snap);
  other.module = 'ceg 0.0.1';
  assert.throws(() => ceg.restore(other), (e) => e.code === 'INVALID_SNAPSHOT' && e.path === 'snapshot.module' && /written by module "ceg 0\.0\.1"/.test(e.message));
  const big = structuredClone(snap);
  for (let i = 0; i < 60000; i++) big.graph.nodes.push({ id: 'm' + i, kind: 'memory' });
  assert.throws(() => ceg.restore(big), (e) => e.code === 'LIMIT_EXCEEDED' && e.path === 'snapshot.graph');
});

test('python json.dumps(sort_keys=True) round trip (skipped without python3)', (t) => {
  let py;
  try { execFileSync('python3', ['-c', 'pass']); py = 'python3'; } catch (_) { t.skip('python3 is not installed'); return; }
  const ceg = loadSync(quiet().options);
  const run = ceg.simulate({ graph: DOC, contract: CONTRACT });
  const out = execFileSync(py, ['-c', 'import json,sys\nfor l in sys.stdin:\n    print(json.dumps(json.loads(l), sort_keys=True))'],
    { input: run.trace.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8' });
  assert.notEqual(out.trim(), run.trace.map((r) => JSON.stringify(r)).join('\n'));
  assert.deepEqual(ceg.verifyTrace(out, { expectHead: run.trace[run.trace.length - 1].hash, expectCount: run.trace.length }), { valid: true, count: run.trace.length });
});
