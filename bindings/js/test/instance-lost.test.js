'use strict';
// Ids never alias (issue 9, item 1). Every instance gets a fresh epoch that
// ends every handle and session id it issues; after a trap the binding's
// Graph and Session objects of the dead instance answer INSTANCE_LOST
// without a call, and nothing they do can reach an object of the instance
// that replaced it. Checked in sync, async and worker modes.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const { TWO_PROVIDERS: DOC, TWO_PROVIDERS_CONTRACT: CONTRACT, TRAP } = require('./helpers/graphs.js');

const isLost = (e) => e instanceof CegError && e.code === 'INSTANCE_LOST' && /gone/.test(e.message);

/** uses lists one call of every Graph and Session method (each returns a value or a Promise). */
function uses(g, s) {
  return [
    ['graph.addNode', () => g.addNode({ id: 'x', kind: 'intent' })],
    ['graph.removeNode', () => g.removeNode('fast')],
    ['graph.addEdge', () => g.addEdge({ from: 'fast', to: 'slow', kind: 'swaps_to' })],
    ['graph.removeEdge', () => g.removeEdge('fast', 'slow', 'swaps_to')],
    ['graph.swapNode', () => g.swapNode('fast', { id: 'f2', kind: 'resource', provider: 'f2' })],
    ['graph.advanceTick', () => g.advanceTick()],
    ['graph.apply', () => g.apply([{ op: 'advanceTick' }])],
    ['graph.getNode', () => g.getNode('fast')],
    ['graph.nodesByKind', () => g.nodesByKind('resource')],
    ['graph.edgesFrom', () => g.edgesFrom('fast')],
    ['graph.edgesTo', () => g.edgesTo('fast')],
    ['graph.blockedBy', () => g.blockedBy('fast')],
    ['graph.requiredBy', () => g.requiredBy('fast')],
    ['graph.snapshot', () => g.snapshot()],
    ['graph.export', () => g.export()],
    ['graph.drop', () => g.drop()],
    ['session.report', () => s.report(1000, [])],
    ['session.exportGraph', () => s.exportGraph()],
    ['session.snapshot', () => s.snapshot()],
    ['session.close', () => s.close()],
  ];
}

/** state reads what a fresh graph and session hold, to show nothing touched them. */
async function state(ceg, g, s) {
  return JSON.stringify([await g.export(), await s.exportGraph(), await ceg.call('exec.snapshot', { session: s.id })]);
}

/** scenario runs the whole check on one loaded object (sync or Promise helpers alike). */
async function scenario(ceg, trap) {
  const g = await ceg.graph(DOC);
  const s = await ceg.execute({ graph: g, contract: CONTRACT });
  assert.match(g.handle, /^g1\.[0-9a-f]{12}$/, 'a handle carries the instance epoch');
  assert.match(s.id, /^s1\.[0-9a-f]{12}$/);
  assert.equal(g.handle.split('.')[1], ceg.epoch());
  assert.equal(g.lost, false);
  const before = ceg.epoch();

  await trap();
  assert.notEqual(ceg.epoch(), before, 'the new instance has a new epoch');
  assert.equal(g.lost, true);
  assert.equal(s.lost, true);

  // The replacement issues the same counters under its own epoch.
  const g2 = await ceg.graph(DOC);
  const s2 = await ceg.execute({ graph: g2, contract: CONTRACT });
  assert.equal(g2.handle, 'g1.' + ceg.epoch());
  assert.equal(s2.id, 's1.' + ceg.epoch());
  const untouched = await state(ceg, g2, s2);

  for (const [name, use] of uses(g, s)) {
    let r;
    try { r = use(); } catch (e) { assert.ok(isLost(e), `${name}: ${e}`); continue; }
    if (ceg.sync) assert.fail(`${name} answered ${JSON.stringify(r)} on a dead instance`);
    await assert.rejects(r, isLost, name);
  }
  // Helpers that take a Graph check it too.
  for (const [name, use] of [
    ['optimize', () => ceg.optimize({ graph: g, contract: CONTRACT })],
    ['reoptimize', () => ceg.reoptimize({ graph: g, contract: CONTRACT, previous: s.plan })],
    ['execute', () => ceg.execute({ graph: g, contract: CONTRACT })],
    ['simulate', () => ceg.simulate({ graph: g, contract: CONTRACT })],
  ]) {
    let r;
    try { r = use(); } catch (e) { assert.ok(isLost(e), `${name}: ${e}`); continue; }
    await assert.rejects(Promise.resolve(r), isLost, name);
  }
  // A raw call with an old id reaches nothing: the epoch differs.
  for (const [method, params, code] of [
    ['graph.query', { handle: g.handle, query: 'snapshot' }, 'UNKNOWN_HANDLE'],
    ['exec.report', { session: s.id, now: 2000, outcomes: [] }, 'UNKNOWN_SESSION'],
  ]) {
    let err;
    try { await ceg.call(method, params); } catch (e) { err = e; }
    assert.equal(err && err.code, code, method);
  }
  assert.equal(await state(ceg, g2, s2), untouched, 'no new object was touched');
  // openGraph of the old handle is lost as well.
  let r;
  try { r = ceg.openGraph(g.handle).snapshot(); } catch (e) { assert.ok(isLost(e)); }
  if (r) await assert.rejects(Promise.resolve(r), isLost);
}

test('loadSync: after a trap every old object answers INSTANCE_LOST and no new one is touched', async () => {
  const ceg = loadSync(quiet().options);
  await scenario(ceg, () => assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('load: the same, with Promise helpers', async () => {
  const ceg = await load(quiet().options);
  await scenario(ceg, () => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('worker mode: the same, and a dead worker counts as a lost instance', async (t) => {
  const ceg = await load({ worker: true, ...quiet().options });
  t.after(() => ceg.close());
  await scenario(ceg, () => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('debug.panic is recovered inside the module: objects stay usable', async () => {
  const ceg = loadSync(quiet().options);
  const g = ceg.graph(DOC);
  assert.throws(() => ceg.call('debug.panic'), (e) => e.code === 'INTERNAL');
  assert.equal(g.lost, false);
  assert.equal(g.snapshot().nodes, 2);
});

test('epoch: false keeps plain ids (byte-comparing runners) and objects are still marked lost', () => {
  const ceg = loadSync({ epoch: false, ...quiet().options });
  const g = ceg.graph(DOC);
  assert.equal(g.handle, 'g1');
  assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED');
  const g2 = ceg.graph(DOC);
  assert.equal(g2.handle, 'g1', 'without an epoch the counter restarts: the raw id aliases');
  assert.throws(() => g.removeNode('fast'), isLost);
  assert.equal(g2.snapshot().nodes, 2, 'but the old object did not reach the new graph');
});

test('two loaded objects never share ids', () => {
  const a = loadSync(quiet().options);
  const b = loadSync(quiet().options);
  const ga = a.graph(DOC);
  assert.notEqual(ga.handle, b.graph(DOC).handle);
  assert.throws(() => b.call('graph.query', { handle: ga.handle, query: 'snapshot' }), (e) => e.code === 'UNKNOWN_HANDLE');
});

test('a closed instance answers CLOSED, not INSTANCE_LOST', async () => {
  const ceg = await load(quiet().options);
  const g = await ceg.graph(DOC);
  await ceg.close();
  await assert.rejects(g.snapshot(), (e) => e.code === 'CLOSED');
});
