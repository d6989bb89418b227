'use strict';
// Issue 9 through the binding: listing live handles and sessions, idle
// eviction, byte and depth limits and fail-closed input, against the real
// module (the instance survives every refusal).

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync } = require('../index.js');

const chat = () => ({
  nodes: [
    { id: 'gpt', kind: 'resource', provider: 'openai', costPerToken: 0.00001 },
    { id: 'claude', kind: 'resource', provider: 'anthropic', costPerToken: 0.00002 },
  ],
  edges: [],
});

test('listGraphs and listSessions show what is live, with sizes and ages (sync)', () => {
  const s = loadSync();
  const g = s.graph(chat());
  const idle = s.graph({ nodes: [], edges: [] }, { maxIdleCalls: 50 });
  const session = s.execute({ graph: g, contract: { id: 'c', intent: 'hi' } });
  const gl = s.listGraphs();
  assert.deepEqual(gl.graphs.map((x) => x.handle), [g.handle, idle.handle]);
  assert.equal(gl.graphs[0].nodes, 2);
  assert.ok(gl.graphs[0].bytes > 0);
  assert.equal(gl.graphs[1].maxIdleCalls, 50);
  assert.equal(gl.totals.count, 2);
  const sl = s.listSessions();
  assert.equal(sl.sessions.length, 1);
  assert.equal(sl.sessions[0].session, session.id);
  assert.equal(sl.sessions[0].status, 'running');
  assert.equal(sl.totals.evicted, 0);
  s.close();
});

test('idle eviction counts calls; an evicted handle answers UNKNOWN_HANDLE (async)', async () => {
  const ceg = await load();
  const g = await ceg.graph(chat(), { maxIdleCalls: 1 });
  await ceg.version();
  await ceg.version();
  await assert.rejects(g.snapshot(), { code: 'UNKNOWN_HANDLE' });
  const l = await ceg.listGraphs();
  assert.equal(l.totals.evicted, 1);
  await assert.rejects(ceg.graph(chat(), { maxIdleCalls: 0 }), { code: 'INVALID_PARAMS', path: 'maxIdleCalls' });
  await ceg.close();
});

test('refused input leaves the instance working: depth, bytes, null numbers, budgets', () => {
  const s = loadSync();
  // Raw text: JSON.stringify itself cannot write a value this deep.
  const meta = '{"a":'.repeat(8560) + '1' + '}'.repeat(8560);
  const raw = s.callRaw('{"jsonrpc":"2.0","id":1,"method":"plan.optimize","params":{"graph":{"nodes":[{"id":"i","kind":"intent","meta":' + meta +
    '},{"id":"r","kind":"resource","provider":"p"},{"id":"k","kind":"constraint","predicate":"intent.meta.a != nil"}],"edges":[]},"contract":{"id":"c"}}}');
  assert.match(raw, /"code":"LIMIT_EXCEEDED","path":"graph.nodes\[0\].meta"/);
  // health: NaN is sent as null by JSON.stringify: an error, not "healthy".
  const g = chat();
  g.nodes[0].health = null;
  assert.throws(() => s.optimize({ graph: g, contract: { id: 'c', intent: 'hi' } }), { code: 'INVALID_PARAMS', path: 'graph.nodes[0].health' });
  assert.throws(() => s.optimize({ graph: chat(), contract: { id: 'c', intent: 'hi' }, state: { resources: { breakers: { openai: { state: 'open', errors: 3, level: 0 } } } } }),
    { code: 'INVALID_PARAMS', path: 'state.resources.breakers.openai.state' });
  const none = s.optimize({ graph: chat(), contract: { id: 'c', intent: 'hi', allowedProviders: [] } });
  assert.equal(none.feasible, false);
  const forbidden = s.optimize({ graph: { nodes: [{ id: 'gpt', kind: 'resource', provider: 'OpenAI ', costPerToken: 0 }, chat().nodes[1]], edges: [] }, contract: { id: 'c', intent: 'hi', forbiddenProviders: ['openai'] } });
  assert.equal(forbidden.steps[0].provider, 'anthropic');
  const emb = Array.from({ length: 400 }, (_, i) => (i % 7) / 10);
  const start = Date.now();
  const p = s.optimize({ graph: { nodes: [{ id: 'ask', kind: 'intent', embedding: emb }, ...chat().nodes,
    { id: 'k', kind: 'constraint', predicate: 'all(intent.embedding, {all(intent.embedding, {all(intent.embedding, {# >= 0})})})' }], edges: [] }, contract: { id: 'c' } });
  assert.equal(p.infeasibility.candidates[0].rejected[0].reason, 'PREDICATE_BUDGET');
  assert.ok(Date.now() - start < 20000, 'the predicate budget answers in seconds, not minutes');
  assert.equal(s.version().abi, '1.0', 'the instance still answers');
  s.close();
});

test('host-state objects: ids checked as node ids, bytes within the budgets; the instance survives (sync)', () => {
  const s = loadSync();
  const f = s.dilationField();
  // A lone surrogate would become U+FFFD in the module, so two ids would be
  // one: the binding refuses it before sending, the module refuses U+FFFD.
  assert.throws(() => f.update('\ud800', { uncertainty: 0.5, costPressure: 0, confidence: 0.5 }), { code: 'INVALID_ARGUMENT', path: 'id' });
  assert.throws(() => f.update('a\ufffd', { uncertainty: 0.5, costPressure: 0, confidence: 0.5 }), { code: 'INVALID_PARAMS', path: 'id' });
  const g = s.oscillationGuard();
  assert.throws(() => g.recordSwap('', 'b', 1), { code: 'INVALID_PARAMS', path: 'old' });
  // Ids of 6 MiB: one guard holds at most 64 MiB, then LIMIT_EXCEEDED.
  const big = 'x'.repeat(6 << 20);
  let n = 0;
  let refused;
  for (; n < 12 && !refused; n++) {
    try {
      g.recordSwap(big + n, 'b', 1);
    } catch (e) {
      refused = e;
    }
  }
  assert.equal(refused?.code, 'LIMIT_EXCEEDED');
  assert.match(refused.message, /guard\.reset|guard\.drop/);
  assert.equal(n, 11, 'ten 6 MiB swaps fit in 64 MiB, the eleventh does not');
  const l = s.listGuards();
  assert.equal(l.guards[0].items, 10);
  assert.ok(l.guards[0].bytes <= 64 << 20 && l.guards[0].bytes > 60 << 20);
  g.drop();
  assert.equal(s.listGuards().totals.count, 0);
  assert.equal(s.version().abi, '1.0', 'the instance still answers');
  s.close();
});
