'use strict';
// The state views predicates see: memoryLoad is a number (active memory
// nodes) as in the original; S's memory view is memoryState.

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync } = require('../index.js');

const graph = (pred, activeMemories) => ({
  nodes: [
    { id: 'ask', kind: 'intent' },
    { id: 'gpt', kind: 'resource', provider: 'openai' },
    ...Array.from({ length: 4 }, (_, i) => ({ id: `m${i}`, kind: 'memory', active: i < activeMemories })),
    { id: 'load', kind: 'constraint', severity: 'hard', predicate: pred },
  ],
  edges: [],
});

test('the original: memoryLoad is the number of active memory nodes', () => {
  const s = loadSync();
  for (const active of [0, 1, 3, 4]) {
    const plan = s.optimize({ graph: graph('memoryLoad < 3', active), contract: { id: 'c' } });
    assert.equal(plan.feasible, active < 3, `${active} active memories`);
  }
  // resourceHealth, resourceLatency and activeConstraints stay.
  const state = { resources: { health: { openai: 0.9 }, latencyMs: { openai: 800 } }, policy: { activeConstraints: ['load'] } };
  const plan = s.optimize({ graph: graph('resourceHealth["openai"] == 0.9 && resourceLatency["openai"] == 800 && "load" in activeConstraints', 0), contract: { id: 'c' }, state });
  assert.equal(plan.feasible, true);
});

test('the module: S memory stays available as memoryState; the old object form is a clear error', () => {
  const s = loadSync();
  const state = { memory: { activeNodes: 12, entries: 300 } };
  const plan = s.optimize({ graph: graph('memoryLoad == 2 && memoryState.activeNodes == 12 && memoryState.entries == 300', 2), contract: { id: 'c' }, state });
  assert.equal(plan.feasible, true);
  assert.throws(() => s.optimize({ graph: graph('memoryLoad.activeNodes < 10', 0), contract: { id: 'c' } }),
    (e) => e.code === 'INVALID_PREDICATE' && e.path === 'graph.nodes[6].predicate');
});
