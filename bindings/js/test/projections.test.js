'use strict';
// Projection featureState with the original's meaning: active = in the
// plan and executing or completed; suspended = swapped out (or aborted);
// scheduled = eligible, waiting; inactive = not scheduled.

const test = require('node:test');
const assert = require('node:assert/strict');
const { loadSync } = require('../index.js');

const chain = {
  nodes: [
    { id: 'i1', kind: 'intent' }, { id: 'i2', kind: 'intent' },
    { id: 'r', kind: 'resource', provider: 'openai' },
    { id: 'p1', kind: 'projection', sources: ['i1'] },
    { id: 'p2', kind: 'projection', sources: ['step-i2'] },
    { id: 'p3', kind: 'projection', sources: ['nothing'] },
  ],
  edges: [{ from: 'i2', to: 'i1', kind: 'requires' }],
};

test('the original: completed work stays active, waiting work is scheduled, a completed session leaves its sources active', () => {
  const s = loadSync();
  const session = s.execute({ graph: chain, contract: { id: 'c' } });
  const state = (doc) => Object.fromEntries(doc.nodes.filter((n) => n.kind === 'projection').map((n) => [n.id, n.featureState]));
  // Projections are set at the end of each tick: report tick 0 with i1 still running.
  let pending = session.actions.filter((a) => a.type === 'dispatch');
  session.report(50, []);
  assert.deepEqual(state(session.exportGraph()), { p1: 'active', p2: 'scheduled', p3: 'inactive' });
  let now = 100;
  while (!session.done) {
    const outcomes = pending.map((a) => ({ step: a.step, attempt: a.attempt, status: 'ok', latencyMs: 100 }));
    session.report((now += 100), outcomes);
    pending = session.actions.filter((a) => a.type === 'dispatch');
    if (!session.done) assert.equal(state(session.exportGraph()).p1, 'active', 'completed work stays active');
  }
  assert.equal(session.status, 'complete');
  assert.deepEqual(state(session.exportGraph()), { p1: 'active', p2: 'active', p3: 'inactive' });
  session.close();
});

test('the module: a swap suspends what watched the resource that left; an abort suspends what was running or waiting', () => {
  const s = loadSync();
  const graph = {
    nodes: [
      { id: 'ask', kind: 'intent' },
      { id: 'gpt', kind: 'resource', provider: 'openai', costPerToken: 0.00001 },
      { id: 'claude', kind: 'resource', provider: 'anthropic', costPerToken: 0.00002 },
      { id: 'on-ask', kind: 'projection', sources: ['ask'] },
      { id: 'on-gpt', kind: 'projection', sources: ['gpt'] },
    ],
    edges: [{ from: 'ask', to: 'gpt', kind: 'executes_on' }, { from: 'gpt', to: 'claude', kind: 'swaps_to' }],
  };
  const run = s.simulate({ graph, contract: { id: 'c' }, scenario: { outcomes: [{ tick: 0, status: 'pending' }], events: [{ tick: 1, provider: 'openai', health: 0.2 }] } });
  assert.equal(run.summary.swaps, 1);
  assert.deepEqual(run.steps.at(-1).projections, { 'on-ask': 'active', 'on-gpt': 'suspended' });
  const why = run.trace.find((r) => r.event === 'projection' && r.actor === 'on-gpt');
  assert.equal(why.data.reason, 'swap');

  const abort = {
    nodes: [...chain.nodes.slice(0, 4), { id: 'p2', kind: 'projection', sources: ['i2'] }, { id: 'k', kind: 'constraint', severity: 'critical', satisfied: true }],
    edges: [...chain.edges, { from: 'k', to: 'r', kind: 'blocks' }],
  };
  const ab = s.simulate({ graph: abort, contract: { id: 'c' }, scenario: { outcomes: [{ status: 'pending' }], events: [{ tick: 2, constraint: 'k', satisfied: false }] } });
  assert.equal(ab.summary.status, 'aborted');
  assert.deepEqual(ab.steps.at(-1).projections, { p1: 'suspended', p2: 'suspended' });
});
