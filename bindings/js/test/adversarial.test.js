'use strict';
// Inputs that once trapped the instance in V8 (call-stack overflow: V8
// holds about 10,000 frames) or ran for tens of seconds. Each must be
// answered by the same instance. testrunner/adversarial_test.go runs the
// same shapes under wazero.

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync } = require('../index.js');

const N = 12000;

function chain(kind, reverse) {
  const nodes = [];
  for (let i = 0; i < N; i++) nodes.push({ id: 'i' + String(i).padStart(5, '0'), kind: 'intent', labels: ['l' + (i % 3)] });
  nodes.push({ id: 'cheap', kind: 'resource', provider: 'a', costPerToken: 0.000001, latencyTargetMs: 100 });
  nodes.push({ id: 'dear', kind: 'resource', provider: 'b', costPerToken: 0.000002, latencyTargetMs: 50 });
  const edges = [];
  for (let i = 0; i + 1 < N; i++) {
    const [a, b] = reverse ? [i + 1, i] : [i, i + 1];
    edges.push({ from: nodes[a].id, to: nodes[b].id, kind });
  }
  return { nodes, edges };
}

test('adversarial inputs are answered without a trap', () => {
  let recreated = 0;
  const s = loadSync({ onRecreate: () => { recreated++; } });
  const deep = '('.repeat(100000) + 'true' + ')'.repeat(100000);
  assert.throws(() => s.optimize({
    graph: { nodes: [{ id: 'r', kind: 'resource', provider: 'p' }, { id: 'k', kind: 'constraint', predicate: deep }], edges: [] },
    contract: { id: 'c', intent: 'hi' },
  }), (e) => e.code === 'INVALID_PREDICATE');

  const bb = s.optimize({
    graph: chain('requires', true),
    contract: { id: 'c', constraints: { maxLatencyMs: N * 90, maxCost: 1e9 } },
    weights: { latency: 0, compute: 1, risk: 0, instability: 0 },
  });
  assert.equal(bb.feasible, true);
  assert.equal(bb.steps.length, N);

  const labels = s.optimize({ graph: chain('transforms_into', false), contract: { id: 'c', constraints: { maxLatencyMs: 1e12, maxCost: 1e9 } } });
  assert.equal(labels.feasible, true);

  const data = '['.repeat(9000) + ']'.repeat(9000);
  const raw = s.callRaw('{"jsonrpc":"2.0","id":1,"method":"trace.verify","params":{"records":[{"id":"t-000001","tick":0,"at":0,"event":"x","actor":"a","causalParent":"","data":' + data + ',"prevHash":"","hash":"00"}]}}');
  assert.match(raw, /"code":"LIMIT_EXCEEDED"/, "data nested past the depth limit is refused before anything walks it");
  assert.equal(recreated, 0, 'the instance was never replaced');
});

test('plans too wide to compute are refused before the work (4,000 x 4,000 pairs; 30,000 x 30,000 capabilities)', () => {
  let recreated = 0;
  const s = loadSync({ onRecreate: () => { recreated++; } });
  const nodes = [];
  for (let j = 0; j < 4000; j++) nodes.push({ id: 'r' + j, kind: 'resource', provider: 'p' + j, capabilities: ['chat'] });
  for (let i = 0; i < 4000; i++) nodes.push({ id: 'i' + i, kind: 'intent', capabilities: ['chat'] });
  // This once ran 55 s in Node and grew the instance to 4.2 GB of its 4 GiB.
  assert.throws(() => s.route({ graph: { nodes, edges: [] }, contract: { id: 'c' } }),
    (e) => e.code === 'LIMIT_EXCEEDED' && /16000000 intent and candidate resource pairs/.test(e.message));
  // Executes_on edges bring it within: each intent names its resource.
  const edges = nodes.slice(4000).map((n, i) => ({ from: n.id, to: 'r' + i, kind: 'executes_on' }));
  assert.equal(s.route({ graph: { nodes, edges }, contract: { id: 'c', constraints: { maxCost: 1e6, maxLatencyMs: 1e9 } } }).steps.length, 4000);
  // A pair used to cost the product of both capability lists (5 s here).
  const caps = Array.from({ length: 30000 }, (_, i) => 'c' + i);
  const p = s.optimize({ graph: { nodes: [{ id: 'i', kind: 'intent', capabilities: caps }, { id: 'r', kind: 'resource', provider: 'p', capabilities: caps.slice(1) }], edges: [] }, contract: { id: 'c' } });
  assert.equal(p.infeasibility.candidates[0].rejected[0].detail, 'lacks capability: c0');
  assert.equal(recreated, 0, 'the instance was never replaced');
});
