'use strict';
// Idle eviction by the host's clock (issue 9: opt-in `maxIdleMs`). The
// module has no clock; the binding keeps, per object given maxIdleMs, when a
// call last named it by the load option `clock` (default Date.now), and at
// the start of every call frees what has been idle longer. The clock is
// injected here, so nothing depends on how fast the machine is.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const DOC = {
  nodes: [
    { id: 'fast', kind: 'resource', provider: 'fast', capabilities: ['chat'], costPerToken: 1e-6 },
    { id: 'slow', kind: 'resource', provider: 'slow', capabilities: ['chat'], costPerToken: 2e-6 },
  ],
  edges: [],
};
const CONTRACT = { id: 'chat', intent: 'hello' };
const evicted = (code) => (e) => e instanceof CegError && e.code === code && e.data.evicted === true && /maxIdleMs/.test(e.message);

/** scenario runs the checks on one loaded object whose clock reads clock.now. */
async function scenario(ceg, clock) {
  const idle = await ceg.graph(DOC, { maxIdleMs: 100 });
  const busy = await ceg.graph(DOC, { maxIdleMs: 100 });
  const keep = await ceg.graph(DOC); // no maxIdleMs: never evicted
  const s = await ceg.execute({ graph: busy, contract: CONTRACT, maxIdleMs: 250 });
  const handles = (await ceg.listGraphs()).graphs;
  assert.deepEqual(handles.map((x) => [x.idleMs, x.maxIdleMs]), [[0, 100], [0, 100], [undefined, undefined]]);

  clock.now += 100; // exactly maxIdleMs: still alive
  assert.equal((await busy.snapshot()).nodes, 2);
  assert.equal(await ceg.evictIdle(), 0);
  clock.now += 1; // idle 101 ms: evicted at the start of the next call
  await ceg.call('graph.query', { handle: busy.handle, query: 'snapshot' }); // a raw call naming it counts as a use
  const list = await ceg.listGraphs();
  assert.deepEqual(list.graphs.map((x) => x.handle), [busy.handle, keep.handle], 'the idle graph was freed in the module');
  assert.equal(list.graphs[0].idleMs, 0);
  assert.equal(ceg.idleEvicted(), 1);
  await assert.rejects(Promise.resolve().then(() => idle.getNode('fast')), evicted('UNKNOWN_HANDLE'));

  clock.now += 200; // the session: 301 ms since it was last named
  assert.equal(await ceg.evictIdle(), 2, 'busy (200 ms) and the session (301 ms)');
  await assert.rejects(Promise.resolve().then(() => s.report(clock.now, [])), evicted('UNKNOWN_SESSION'));
  assert.equal((await ceg.listSessions()).sessions.length, 0);
  clock.now += 1e9;
  assert.equal((await keep.snapshot()).nodes, 2, 'an object without maxIdleMs stays');

  // restore takes maxIdleMs (and maxIdleCalls) next to timeoutMs.
  const s2 = await ceg.execute({ graph: DOC, contract: CONTRACT });
  const r = await ceg.restore(await s2.snapshot(), { maxIdleMs: 5, maxIdleCalls: 1000 });
  assert.deepEqual((await ceg.listSessions()).sessions.map((x) => [x.maxIdleMs, x.maxIdleCalls]), [[undefined, undefined], [5, 1000]]);
  clock.now += 6;
  await assert.rejects(Promise.resolve().then(() => r.snapshot()), evicted('UNKNOWN_SESSION'));
  assert.equal(ceg.idleEvicted(), 4);
}

test('loadSync: objects idle longer than maxIdleMs by the injected clock are evicted', async () => {
  const clock = { now: 5000 };
  await scenario(loadSync({ clock: () => clock.now, ...quiet().options }), clock);
});

test('load: the same with Promise helpers', async () => {
  const clock = { now: 5000 };
  await scenario(await load({ clock: () => clock.now, ...quiet().options }), clock);
});

test('worker mode: the same (the clock stays on the calling thread)', async (t) => {
  const clock = { now: 5000 };
  const ceg = await load({ worker: true, clock: () => clock.now, ...quiet().options });
  t.after(() => ceg.close());
  await scenario(ceg, clock);
});

test('maxIdleMs and clock are checked', () => {
  const ceg = loadSync(quiet().options);
  for (const bad of [0, -1, NaN, Infinity, '100', 2 ** 53]) {
    assert.throws(() => ceg.graph(DOC, { maxIdleMs: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMs', String(bad));
    assert.throws(() => ceg.execute({ graph: DOC, contract: CONTRACT, maxIdleMs: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMs');
  }
  assert.equal(ceg.listGraphs().graphs.length, 0, 'a refused option creates nothing');
  assert.throws(() => loadSync({ clock: 5 }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'clock');
  assert.throws(() => loadSync({ recover: 'always' }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'recover');
});
