'use strict';
// Idle eviction by the host's clock (issue 9: opt-in `maxIdleMs`), for
// graphs, sessions and the stand-alone host-state objects. The module has
// no clock; the binding keeps, per object given maxIdleMs, when a call last
// named it by the load option `clock` (default Date.now), and at the start
// of every call frees what has been idle longer. The clock is
// injected here, so nothing depends on how fast the machine is.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const { TWO_PROVIDERS: DOC, TWO_PROVIDERS_CONTRACT: CONTRACT } = require('./helpers/graphs.js');
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

/** The stand-alone host-state families: constructor, list helper and field, the params field naming one, a use, a raw call. */
const FAMILIES = [
  { name: 'trace log', make: (ceg, o) => ceg.traceLog(o), list: 'listTraceLogs', items: 'logs', key: 'log', use: (x) => x.append('note', { n: 1 }), raw: ['trace.replay', {}] },
  { name: 'dilation field', make: (ceg, o) => ceg.dilationField({ preset: 'original' }, o), list: 'listFields', items: 'fields', key: 'field', use: (x) => x.get('fast'), raw: ['field.snapshot', {}] },
  { name: 'oscillation guard', make: (ceg, o) => ceg.oscillationGuard({ limit: 2, ...o }), list: 'listGuards', items: 'guards', key: 'guard', use: (x) => x.recordSwap('a', 'b', 1), raw: ['guard.isOscillating', { old: 'a', new: 'b', tick: 1 }] },
  { name: 'swap registry', make: (ceg, o) => ceg.swapRegistry({ hysteresis: 'incumbent' }, o), list: 'listRegistries', items: 'registries', key: 'registry', use: (x) => x.observe('fast', 0.5), raw: ['registry.summary', {}] },
];

/**
 * hostState runs, for each host-state family, what scenario runs for
 * graphs and sessions: idle, busy (named by its methods and by a raw call)
 * and one without maxIdleMs; and a session's own objects count as uses of
 * the session.
 */
async function hostState(ceg, clock) {
  const before = ceg.idleEvicted();
  for (const f of FAMILIES) {
    const idle = await f.make(ceg, { maxIdleMs: 100 });
    const busy = await f.make(ceg, { maxIdleMs: 100, maxIdleCalls: 1000 });
    const keep = await f.make(ceg);
    const listed = (await ceg[f.list]())[f.items];
    assert.deepEqual(listed.map((x) => [x.handle, x.idleMs, x.maxIdleMs, x.maxIdleCalls]),
      [[idle.handle, 0, 100, undefined], [busy.handle, 0, 100, 1000], [keep.handle, undefined, undefined, undefined]], f.name);

    clock.now += 60;
    await f.use(busy); // a method names it
    clock.now += 41; // idle 101 ms, busy 41 ms
    await ceg.call(f.raw[0], { ...f.raw[1], [f.key]: busy.handle }); // a raw call naming it counts as a use
    const after = (await ceg[f.list]())[f.items];
    assert.deepEqual(after.map((x) => [x.handle, x.idleMs]), [[busy.handle, 0], [keep.handle, undefined]], `${f.name}: the idle one was freed in the module`);
    const isEvicted = (e) => evicted('UNKNOWN_HANDLE')(e) && e.path === f.key && e.message.includes(f.name) && e.data.maxIdleMs === 100;
    await assert.rejects(Promise.resolve().then(() => f.use(idle)), isEvicted, f.name);
    await assert.rejects(Promise.resolve().then(() => idle.drop()), isEvicted, `${f.name}: drop() too`);

    clock.now += 101;
    assert.equal(await ceg.evictIdle(), 1, `${f.name}: busy, idle 101 ms`);
    await assert.rejects(Promise.resolve().then(() => f.use(busy)), isEvicted);
    assert.deepEqual((await ceg[f.list]())[f.items].map((x) => x.handle), [keep.handle]);
    clock.now += 1e9;
    await f.use(keep); // no maxIdleMs: never evicted
    assert.equal(await keep.drop(), true);
  }
  assert.equal(ceg.idleEvicted() - before, 2 * FAMILIES.length);

  // A session's own trace, field, guard and registry name the session: using them keeps it.
  const s = await ceg.execute({ graph: DOC, contract: CONTRACT, maxIdleMs: 50 });
  for (const use of [() => s.trace.replay(), () => s.field.snapshot(), () => s.guard.check('fast', 'slow', 0), () => s.registry.summary()]) {
    clock.now += 50;
    await use();
  }
  assert.equal((await ceg.listSessions()).sessions.find((x) => x.session === s.id).idleMs, 0);
  clock.now += 51;
  await assert.rejects(Promise.resolve().then(() => s.trace.replay()), evicted('UNKNOWN_SESSION'));
}

for (const [mode, open] of [
  ['loadSync', (o) => loadSync(o)],
  ['load', (o) => load(o)],
  ['worker mode', (o) => load({ worker: true, ...o })],
]) {
  test(`${mode}: graphs and sessions idle longer than maxIdleMs by the injected clock are evicted`, async (t) => {
    const clock = { now: 5000 };
    const ceg = await open({ clock: () => clock.now, ...quiet().options });
    t.after(() => ceg.close()); // the clock stays on the calling thread in worker mode
    await scenario(ceg, clock);
  });

  test(`${mode}: the same for stand-alone trace logs, dilation fields, oscillation guards and swap registries`, async (t) => {
    const clock = { now: 5000 };
    const ceg = await open({ clock: () => clock.now, ...quiet().options });
    t.after(() => ceg.close());
    await hostState(ceg, clock);
  });
}

test('the sweep skips the walk until the earliest deadline, and never an eviction', () => {
  // The binding walks the tracked objects only once the earliest deadline it
  // knows of has passed; uses move deadlines later without updating it, a
  // new object with a shorter maxIdleMs moves it earlier.
  const clock = { now: 0 };
  const ceg = loadSync({ clock: () => clock.now, ...quiet().options });
  const a = ceg.graph(DOC, { maxIdleMs: 1000 });
  clock.now = 900;
  a.snapshot(); // a's deadline moves to 1900; the known one stays 1000
  clock.now = 950;
  const b = ceg.traceLog({ maxIdleMs: 10 }); // due after 960
  clock.now = 960;
  assert.equal(ceg.evictIdle(), 0, 'exactly maxIdleMs: not yet');
  clock.now = 961;
  assert.equal(ceg.evictIdle(), 1);
  assert.throws(() => b.replay(), evicted('UNKNOWN_HANDLE'));
  clock.now = 1900;
  assert.equal(ceg.evictIdle(), 0, 'a was used at 900');
  clock.now = 1901;
  assert.equal(ceg.evictIdle(), 1);
  assert.throws(() => a.snapshot(), evicted('UNKNOWN_HANDLE'));
  assert.equal(ceg.idleEvicted(), 2);
});

test('maxIdleMs and clock are checked', () => {
  const ceg = loadSync(quiet().options);
  for (const bad of [0, -1, NaN, Infinity, '100', 2 ** 53]) {
    assert.throws(() => ceg.graph(DOC, { maxIdleMs: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMs', String(bad));
    assert.throws(() => ceg.execute({ graph: DOC, contract: CONTRACT, maxIdleMs: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMs');
  }
  assert.equal(ceg.listGraphs().graphs.length, 0, 'a refused option creates nothing');
  for (const f of FAMILIES) {
    for (const bad of [0, -1, NaN, Infinity, '100', 2 ** 53]) {
      assert.throws(() => f.make(ceg, { maxIdleMs: bad }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMs', `${f.name} ${String(bad)}`);
    }
    assert.throws(() => f.make(ceg, { maxIdleMS: 5 }), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'maxIdleMS' && /known: .*maxIdleMs/.test(e.message), f.name);
    assert.equal(ceg[f.list]()[f.items].length, 0, `${f.name}: a refused option creates nothing`);
  }
  assert.throws(() => loadSync({ clock: 5 }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'clock');
  assert.throws(() => loadSync({ recover: 'always' }), (e) => e.code === 'INVALID_OPTIONS' && e.path === 'recover');
});
