'use strict';
// σ rollback on graphs: Graph.rollback(id) and the graph.apply op.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync } = require('../index.js');

const doc = () => ({
  nodes: [
    { id: 'ask', kind: 'intent' },
    { id: 'gpt', kind: 'resource', provider: 'openai' },
    { id: 'claude', kind: 'resource', provider: 'anthropic' },
  ],
  edges: [
    { from: 'ask', to: 'gpt', kind: 'executes_on' },
    { from: 'gpt', to: 'claude', kind: 'swaps_to' },
  ],
});

test('the original: swap keeps rollback state under the new id; rollback restores the old node and its edges', () => {
  const s = loadSync();
  const g = s.graph(doc());
  const before = g.export();
  g.swapNode('gpt', { id: 'gemini', kind: 'resource', provider: 'google' });
  assert.deepEqual(g.edgesTo('gemini').map((e) => e.from), ['ask']);
  const r = g.rollback('gemini');
  assert.equal(r.rolledBack, true);
  assert.equal(r.node.id, 'gpt');
  assert.deepEqual(g.export(), before);
  // Nothing to roll back: a clear no-op result, not an error.
  assert.deepEqual(g.rollback('gemini'), { op: 'rollback', rolledBack: false });
  assert.deepEqual(g.rollback('never-swapped'), { op: 'rollback', rolledBack: false });
});

test('the module: a declared replacement is put back as it was, and apply stays all-or-nothing', async () => {
  const a = await load();
  const g = await a.graph(doc());
  const before = await g.export();
  await g.swapNode('gpt', { id: 'claude', kind: 'resource', provider: 'anthropic', health: 0.5 });
  assert.equal((await g.getNode('claude')).health, 0.5);
  // A failing op later in the batch undoes the rollback too.
  await assert.rejects(g.apply([{ op: 'rollback', id: 'claude' }, { op: 'removeNode', id: 'nope' }]), (e) => e.code === 'UNKNOWN_NODE' && e.path === 'ops[1]');
  assert.equal((await g.getNode('claude')).health, 0.5, 'nothing was applied');
  const r = await g.apply([{ op: 'rollback', id: 'claude' }]);
  assert.equal(r.results[0].rolledBack, true);
  assert.deepEqual(await g.export(), before, 'claude is back as it was, with its swaps_to edge');
  await assert.rejects(g.apply([{ op: 'rollback' }]), (e) => e.code === 'INVALID_PARAMS' && e.path === 'ops[0].id');
});
