'use strict';
// Linear memory stays bounded over many calls: every request and response
// buffer is freed (SPEC §10: memory never shrinks, so a leak would show as
// growth).

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync } = require('../index.js');

const doc = {
  nodes: Array.from({ length: 50 }, (_, i) => ({ id: `n${i}`, kind: i % 2 ? 'intent' : 'resource', provider: `p${i % 5}` })),
  edges: [],
};

/** round makes 8 calls of every kind: create/query/export/drop, estimate, a batch, an error. */
function round(s) {
  const g = s.graph(doc);
  g.snapshot();
  g.nodesByKind('intent');
  g.export();
  g.drop();
  s.estimate('what is the latest news about the price of btc vs eth??');
  s.batch([{ method: 'version' }, { method: 'dilation.compute', params: { uncertainty: 0.5, costPressure: 0.2, confidence: 0.3 } }]);
  assert.throws(() => s.validate({ nodes: [{ id: 'x', kind: 'bad' }], edges: [] }));
}

test('memory stays bounded over 10,000 calls', () => {
  const s = loadSync();
  for (let i = 0; i < 100; i++) round(s); // warm-up: let the Go heap reach its working size
  const warm = s.memoryBytes();
  for (let i = 0; i < 1250; i++) round(s); // 10,000 calls
  const after = s.memoryBytes();
  assert.ok(after - warm <= 1 << 20, `memory grew from ${warm} to ${after} bytes over 10,000 calls`);
});
