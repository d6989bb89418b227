'use strict';
// Per-call deadlines (issue 9, item 3). In worker mode a call still running
// past timeoutMs fails with TIMEOUT, the worker is terminated and replaced
// (objects of the old one answer INSTANCE_LOST) and the calls queued behind
// it run on the new worker; a queued call whose deadline passes before it
// starts fails with TIMEOUT and never runs. In this thread a call cannot be
// interrupted, so timeoutMs is refused there.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

/**
 * slowRun is an exec.run that takes minutes in the module: a 600-intent
 * chain, one step finishing per tick, each tick planning what is left.
 * The tests end it with a deadline far shorter than that.
 */
function slowRun() {
  const nodes = [];
  const edges = [];
  for (let j = 0; j < 10; j++) nodes.push({ id: 'r' + j, kind: 'resource', provider: 'p' + (j % 7), capabilities: ['chat'], costPerToken: 1e-6 * (j + 1) });
  for (let i = 0; i < 600; i++) {
    nodes.push({ id: 'i' + i, kind: 'intent', capabilities: ['chat'], tokens: 100 });
    if (i > 0) edges.push({ from: 'i' + i, to: 'i' + (i - 1), kind: 'requires' });
  }
  return { graph: { nodes, edges }, contract: { id: 'c', constraints: { maxCost: 1000, maxLatencyMs: 1e9 } }, maxTicks: 1000 };
}

const isTimeout = (started) => (e) => e instanceof CegError && e.code === 'TIMEOUT' && e.data.started === started;

test('a running call past its deadline: TIMEOUT, a new worker, old objects lost, queued calls run', async (t) => {
  const q = quiet();
  const ceg = await load({ worker: true, ...q.options });
  t.after(() => ceg.close());
  const g = await ceg.graph({ nodes: [{ id: 'a', kind: 'intent' }], edges: [] });
  const epoch = ceg.epoch();
  const t0 = Date.now();
  const slow = ceg.simulate(slowRun(), { timeoutMs: 150 });
  const behind = ceg.version(); // queued behind the slow call, no deadline
  await assert.rejects(slow, (e) => isTimeout(true)(e) && /terminated and replaced/.test(e.message));
  const waited = Date.now() - t0;
  assert.ok(waited < 5000, `the deadline ended the call (${waited} ms)`);
  assert.equal((await behind).abi, '1.0', 'the queued call ran on the new worker');
  assert.equal(q.log.recreated.length, 1);
  assert.match(q.log.recreated[0].reason, /^timeout: exec\.run ran past its deadline of 150 ms/);
  assert.notEqual(ceg.epoch(), epoch);
  assert.equal(g.lost, true);
  await assert.rejects(g.snapshot(), (e) => e.code === 'INSTANCE_LOST');
  const g2 = await ceg.graph({ nodes: [], edges: [] });
  assert.equal(g2.handle, 'g1.' + ceg.epoch());
  assert.equal((await g2.snapshot()).nodes, 0);
});

test('a queued call whose deadline passes never runs; the running one is not disturbed', async (t) => {
  const q = quiet();
  const ceg = await load({ worker: true, ...q.options });
  t.after(() => ceg.close());
  const slow = ceg.simulate(slowRun(), { timeoutMs: 1500 });
  const queued = ceg.call('graph.create', { graph: { nodes: [], edges: [] } }, { timeoutMs: 50 });
  const behind = ceg.graph(); // no deadline: waits, then runs on the new worker
  await assert.rejects(queued, isTimeout(false));
  await assert.rejects(slow, isTimeout(true));
  // The timed-out graph.create never ran: the call behind it got the new worker's first handle.
  assert.equal((await behind).handle, 'g1.' + ceg.epoch());
});

test('the load option timeoutMs is every call\'s deadline; a per-call one overrides it', async (t) => {
  // The deadline counts from the call: it includes waiting behind other
  // calls and for a replacement worker to start.
  const ceg = await load({ worker: true, timeoutMs: 5000, ...quiet().options });
  t.after(() => ceg.close());
  await assert.rejects(ceg.simulate(slowRun()), isTimeout(true));
  assert.equal((await ceg.version()).abi, '1.0');
  const r = await ceg.estimate('hello');
  assert.equal(typeof r.d, 'number');
  // A generous per-call deadline lets a quick call finish.
  assert.equal((await ceg.call('version', {}, { timeoutMs: 60000 })).abi, '1.0');
});

test('timeoutMs is checked: worker mode only, a positive number, no unknown call options', async () => {
  assert.throws(() => loadSync({ timeoutMs: 10 }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'timeoutMs');
  await assert.rejects(load({ timeoutMs: 10 }), (e) => e.code === 'INVALID_OPTIONS');
  await assert.rejects(load({ worker: true, timeoutMs: -1 }), (e) => e.code === 'INVALID_OPTIONS');
  await assert.rejects(load({ worker: true, timeoutMs: NaN }), (e) => e.code === 'INVALID_OPTIONS');
  const s = loadSync(quiet().options);
  assert.throws(() => s.call('version', {}, { timeoutMs: 10 }), (e) => e.code === 'INVALID_ARGUMENT' && /worker mode/.test(e.message));
  const w = await load({ worker: true, ...quiet().options });
  try {
    await assert.rejects(w.call('version', {}, { timeoutMs: 0 }), (e) => e.code === 'INVALID_ARGUMENT');
    await assert.rejects(w.call('version', {}, { deadline: 5 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'deadline');
  } finally { await w.close(); }
});
