'use strict';
// The dilation field as state (DilationField, field.*) and the swap
// oscillation guard on its own (OscillationGuard, guard.*).

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, DilationField, OscillationGuard } = require('../index.js');

const high = { uncertainty: 1, costPressure: 0, confidence: 0 }; // D = 2

test('the original: D_DEFAULT 1 for unknown ids, dwell above 1.5 for more than 8 updates pulls back to 1', () => {
  const s = loadSync();
  const f = s.dilationField({ preset: 'original' });
  assert.ok(f instanceof DilationField);
  assert.equal(f.get('nobody'), 1);
  const ds = [];
  for (let i = 0; i < 10; i++) ds.push(f.update('gpt', high));
  assert.deepEqual(ds, [2, 2, 2, 2, 2, 2, 2, 2, 1, 2]);
  // Exactly at the threshold is not "above" in the original.
  for (let i = 0; i < 12; i++) assert.equal(f.update('edge', { uncertainty: 0.5, costPressure: 0, confidence: 0 }), 1.5);
  assert.equal(f.entry('edge').dwell, 0);
  assert.equal(f.fromHealth('claude', 0.2, 3), 1.08);
  assert.deepEqual(f.snapshot().nodes.map((n) => n.id), ['claude', 'edge', 'gpt']);
  // apply sets each node's dilation on a graph.
  const g = s.graph({ nodes: [{ id: 'gpt', kind: 'resource' }, { id: 'claude', kind: 'resource' }, { id: 'other', kind: 'resource', dilation: 3 }], edges: [] });
  assert.equal(f.apply(g), 3);
  assert.deepEqual(g.nodesByKind('resource').map((n) => [n.id, n.dilation]), [['claude', 1.08], ['gpt', 2], ['other', 1]]);
  assert.equal(f.drop(), true);
  assert.throws(() => f.get('gpt'), (e) => e.code === 'UNKNOWN_HANDLE');
});

test('the module: D >= 1.5 dwells and is forced to 0.1; thresholds configurable; a session field is readable, not writable', async () => {
  const a = await load();
  const f = await a.dilationField();
  const ds = [];
  for (let i = 0; i < 9; i++) ds.push(await f.update('gpt', high));
  assert.equal(ds[8], 0.1);
  const c = await a.dilationField({ dwellThreshold: 1.2, dwellTicks: 1, pullBackTo: 0.5 });
  assert.deepEqual([await c.update('x', high), await c.update('x', high)], [2, 0.5]);
  await assert.rejects(a.dilationField({ pullBackTo: 0 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'config.pullBackTo');

  const graph = { nodes: [{ id: 'gpt', kind: 'resource', provider: 'openai' }], edges: [] };
  const session = await a.execute({ graph, contract: { id: 'c', intent: 'hi' } });
  assert.equal(await session.field.get('gpt'), 0.5, 'a healthy on-target resource');
  assert.deepEqual((await session.field.snapshot()).nodes, [{ id: 'gpt', d: 0.5, dwell: 0 }]);
  await assert.rejects(session.field.update('gpt', high), (e) => e.code === 'INVALID_PARAMS' && e.path === 'session');
  await session.close();
});

test('the original guard: more than 3 swaps of a pair within 10 ticks oscillate; reset forgets the pair', () => {
  const s = loadSync();
  const g = s.oscillationGuard();
  assert.ok(g instanceof OscillationGuard);
  for (const t of [1, 2, 3]) g.recordSwap('a', 'b', t);
  assert.equal(g.isOscillating('a', 'b', 3), false, '3 swaps: not more than 3');
  g.recordSwap('b', 'a', 4);
  assert.equal(g.isOscillating('b', 'a', 4), true, 'either direction counts');
  assert.equal(g.isOscillating('a', 'b', 13), false, 'only the last 10 ticks count');
  assert.deepEqual(g.check('a', 'b', 12), { oscillating: false, count: 2, limit: 3, window: 10 });
  g.reset('a', 'b');
  assert.equal(g.check('a', 'b', 4).count, 0);
  const tight = s.oscillationGuard({ limit: 1, window: 3 });
  tight.recordSwap('x', 'y', 1);
  assert.equal(tight.recordSwap('x', 'y', 2).oscillating, true);
});

test("the module: a session's guard counts the session's own swaps, and its registry refuses the swap that would oscillate", () => {
  const s = loadSync();
  const graph = {
    nodes: [{ id: 'gpt', kind: 'resource', provider: 'openai' }, { id: 'claude', kind: 'resource', provider: 'anthropic', costPerCall: 0.001 }],
    edges: [{ from: 'gpt', to: 'claude', kind: 'swaps_to' }],
  };
  const session = s.execute({ graph, contract: { id: 'c', intent: 'hi' }, options: { maxTicks: 50 } });
  let now = 0;
  let on = session.actions[0].resource;
  const swaps = [];
  for (let i = 0; i < 4 && !session.done; i++) {
    const turn = session.report((now += 100), [], { swaps: [on] });
    for (const e of turn.events) {
      if (e.event === 'swap') on = e.data.to;
      if (e.event === 'swap' || e.event === 'swap_refused') swaps.push(e.event);
    }
  }
  // Three swaps back and forth, then the fourth is refused (the module's
  // registry refuses the swap that would make the pair oscillate).
  assert.deepEqual(swaps, ['swap', 'swap', 'swap', 'swap_refused']);
  const chk = session.guard.check('gpt', 'claude', session.tick);
  assert.deepEqual(chk, { oscillating: false, count: 3, limit: 3, window: 10 });
  assert.throws(() => session.guard.recordSwap('gpt', 'claude', 1), (e) => e.code === 'INVALID_PARAMS' && e.path === 'session');
  assert.throws(() => session.guard.reset('gpt', 'claude'), (e) => e.code === 'INVALID_PARAMS');
  session.close();
});
