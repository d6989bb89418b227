'use strict';
// The Graph helper: every operation and query, synchronously and through
// Promises, against the real module.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync, CegError, Graph } = require('../index.js');

const doc = () => ({
  nodes: [
    { id: 'ask', kind: 'intent', text: 'summarise', capabilities: ['chat'] },
    { id: 'answer', kind: 'intent', text: 'answer', capabilities: ['chat'] },
    { id: 'gpt', kind: 'resource', resourceKind: 'llm', provider: 'openai', capabilities: ['chat'] },
    { id: 'claude', kind: 'resource', resourceKind: 'llm', provider: 'anthropic', capabilities: ['chat'] },
    { id: 'budget', kind: 'constraint', predicate: 'money <= 0.01', severity: 'hard' },
  ],
  edges: [
    { from: 'answer', to: 'ask', kind: 'requires' },
    { from: 'ask', to: 'gpt', kind: 'executes_on' },
    { from: 'ask', to: 'claude', kind: 'executes_on' },
    { from: 'budget', to: 'claude', kind: 'blocks' },
  ],
});

const ids = (list) => list.map((n) => n.id);

test('graph() creates a handle; queries answer from it (sync)', () => {
  const s = loadSync();
  const g = s.graph(doc());
  assert.ok(g instanceof Graph);
  assert.equal(typeof g.handle, 'string');
  assert.deepEqual(g.snapshot(), { tick: 0, nodes: 5, edges: 4, byKind: { constraint: 1, intent: 2, resource: 2 } });
  const n = g.getNode('gpt');
  assert.equal(n.provider, 'openai');
  assert.equal(n.health, 1, 'defaults are filled in');
  assert.equal(n.latencyTargetMs, 2000);
  assert.deepEqual(ids(g.nodesByKind('resource')), ['claude', 'gpt']);
  assert.deepEqual(g.edgesFrom('ask').map((e) => e.to).sort(), ['claude', 'gpt']);
  assert.deepEqual(g.edgesTo('claude').map((e) => e.from).sort(), ['ask', 'budget']);
  assert.deepEqual(g.blockedBy('claude'), ['budget']);
  assert.deepEqual(g.requiredBy('answer'), ['ask']);
});

test('mutations: addNode, addEdge, removeEdge, swapNode, removeNode, advanceTick', () => {
  const s = loadSync();
  const g = s.graph(doc());
  assert.deepEqual(g.addNode({ id: 'gemini', kind: 'resource', provider: 'google', capabilities: ['chat'] }), { op: 'addNode', id: 'gemini' });
  const added = g.addEdge({ from: 'ask', to: 'gemini', kind: 'executes_on' });
  assert.equal(added.added, true);
  assert.equal(g.addEdge({ from: 'ask', to: 'gemini', kind: 'executes_on' }).added, false, 'adding an edge twice keeps one');
  assert.equal(g.snapshot().edges, 5);

  g.removeEdge('ask', 'gemini', 'executes_on');
  assert.equal(g.snapshot().edges, 4);
  g.addEdge({ from: 'ask', to: 'gemini', kind: 'executes_on' });
  g.removeEdge({ from: 'ask', to: 'gemini', kind: 'executes_on' });
  assert.equal(g.snapshot().edges, 4);

  const swapped = g.swapNode('gpt', { id: 'gpt-mini', kind: 'resource', provider: 'openai', capabilities: ['chat'] });
  assert.equal(swapped.old.id, 'gpt', 'swapNode returns the node that left');
  assert.deepEqual(g.edgesTo('gpt-mini').map((e) => e.from), ['ask'], 'the new node takes the old one\'s edges');
  assert.throws(() => g.getNode('gpt'), (e) => e.code === 'UNKNOWN_NODE' && e.path === 'id');

  g.removeNode('claude');
  assert.deepEqual(g.blockedBy('gpt-mini'), []);
  assert.equal(g.snapshot().edges, 2, 'removeNode drops its edges');

  assert.equal(g.advanceTick().tick, 1);
  assert.equal(g.snapshot().tick, 1);
});

test('apply is all-or-nothing and the error path names the op', () => {
  const s = loadSync();
  const g = s.graph(doc());
  const before = g.export();
  assert.throws(() => g.apply([
    { op: 'addNode', node: { id: 'x', kind: 'intent' } },
    { op: 'addEdge', edge: { from: 'ask', to: 'answer', kind: 'requires' } }, // closes a cycle
  ]), (e) => e instanceof CegError && e.code === 'CYCLE' && /^ops\[1\]/.test(e.path) && e.ids.includes('ask') && e.ids.includes('answer'));
  assert.deepEqual(g.export(), before, 'nothing was applied');

  const r = g.apply([{ op: 'addNode', node: { id: 'x', kind: 'intent' } }, { op: 'advanceTick' }]);
  assert.equal(r.results.length, 2);
  assert.equal(r.snapshot.nodes, 6);
  assert.equal(r.snapshot.tick, 1);
});

test('errors name the ids: duplicate node, unknown node in an edge, unknown edge', () => {
  const g = loadSync().graph(doc());
  assert.throws(() => g.addNode({ id: 'ask', kind: 'intent' }), (e) => e.code === 'DUPLICATE_NODE' && e.ids[0] === 'ask');
  assert.throws(() => g.addEdge({ from: 'ask', to: 'ghost', kind: 'executes_on' }), (e) => e.code === 'UNKNOWN_NODE' && e.ids[0] === 'ghost');
  assert.throws(() => g.removeEdge('ask', 'gpt', 'requires'), (e) => e.code === 'UNKNOWN_EDGE');
  assert.throws(() => g.swapNode('ghost', { id: 'y', kind: 'intent' }), (e) => e.code === 'UNKNOWN_NODE');
});

test('export returns the whole document and round-trips through graph()', () => {
  const s = loadSync();
  const g = s.graph(doc());
  const d = g.export();
  assert.deepEqual(ids(d.nodes).sort(), ['answer', 'ask', 'budget', 'claude', 'gpt']);
  assert.equal(d.edges.length, 4);
  assert.deepEqual(s.graph(d).export(), d);
});

test('validate accepts a valid graph and reports counts', () => {
  assert.deepEqual(loadSync().validate(doc()), { valid: true, nodes: 5, edges: 4 });
});

test('drop releases the handle; later use is UNKNOWN_HANDLE', () => {
  const s = loadSync();
  const g = s.graph();
  assert.equal(g.drop(), true);
  assert.throws(() => g.snapshot(), (e) => e.code === 'UNKNOWN_HANDLE');
  const again = s.openGraph(g.handle);
  assert.throws(() => again.snapshot(), (e) => e.code === 'UNKNOWN_HANDLE');
});

test('the async API returns promises for every graph helper', async () => {
  const a = await load();
  const p = a.graph(doc());
  assert.ok(p instanceof Promise);
  const g = await p;
  assert.deepEqual(await g.blockedBy('claude'), ['budget']);
  assert.deepEqual((await g.addNode({ id: 'z', kind: 'memory', content: 'notes' })).id, 'z');
  assert.equal((await g.snapshot()).nodes, 6);
  await assert.rejects(g.addNode({ id: 'z', kind: 'memory' }), (e) => e.code === 'DUPLICATE_NODE');
  assert.equal(await g.drop(), true);
});
