'use strict';
// @convergence-io/ceg/stream-chat: the drop-in adapter's functions give what
// the full API gives, synchronously, with the shapes a chat server calls.

const test = require('node:test');
const assert = require('node:assert/strict');
const chat = require('../stream-chat.js');
const { loadSync } = require('../index.js');

const s = loadSync();

test('the package path resolves to the adapter', () => {
  assert.equal(require('@convergence-io/ceg/stream-chat').providerOrder, chat.providerOrder);
});

test('dilation(u, p, c, x?) returns a number equal to the API\'s', () => {
  const d = chat.dilation(0.5, 0.2, 0.3);
  assert.equal(typeof d, 'number');
  assert.equal(d, s.dilation({ uncertainty: 0.5, costPressure: 0.2, confidence: 0.3, collapseProximity: 0 }));
  assert.equal(chat.dilation(0.5, 0.2, 0.3, 0.4), s.dilation({ uncertainty: 0.5, costPressure: 0.2, confidence: 0.3, collapseProximity: 0.4 }));
});

test('groundingPolicy(d, base?, min?) keeps the grounding shape', () => {
  assert.deepEqual(chat.groundingPolicy(2), { fetchExternal: true, maxResults: 10, minSources: 2, deepMode: false });
  assert.deepEqual(chat.groundingPolicy(3, 4), { fetchExternal: true, maxResults: 12, minSources: 3, deepMode: true });
  assert.deepEqual(chat.groundingPolicy(0.4, 4, 1), { fetchExternal: false, maxResults: 4, minSources: 1, deepMode: false });
});

test('chatDilation(text) and isGroundingDue(text)', () => {
  const text = 'what is the latest price, compared to last week??';
  assert.deepEqual(chat.chatDilation(text), s.estimate(text));
  assert.equal(chat.isGroundingDue(text), s.grounding(s.estimate(text).d).fetchExternal);
  assert.equal(typeof chat.isGroundingDue('hello'), 'boolean');
});

test('the adapter keeps one lazily loaded engine', () => {
  assert.equal(chat.ceg(), chat.ceg());
  assert.equal(chat.ceg().sync, true);
});

test('providerOrder validates its providers before planning', () => {
  assert.deepEqual(chat.providerOrder([]), []);
  assert.throws(() => chat.providerOrder('openai'), (e) => e.code === 'INVALID_ARGUMENT');
  assert.throws(() => chat.providerOrder([{ model: 'x' }]), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'providers[0]');
  assert.throws(() => chat.providerOrder([{ name: 'a', costPerTokn: 1 }]), (e) => e.code === 'INVALID_ARGUMENT' && e.path === 'providers[0].costPerTokn');
});

const providers = [
  { name: 'fast-cheap', provider: 'alpha', costPerToken: 0.000001, latencyTargetMs: 800 },
  { name: 'mid', provider: 'beta', costPerToken: 0.000004, latencyTargetMs: 1500 },
  { name: 'slow-dear', provider: 'gamma', costPerToken: 0.00001, latencyTargetMs: 4000 },
];

test('providerOrder returns every eligible provider, best first', () => {
  const order = chat.providerOrder(providers, { text: 'hello' });
  assert.deepEqual([...order].sort(), ['fast-cheap', 'mid', 'slow-dear']);
  assert.equal(order[0], 'fast-cheap', 'cheapest and fastest wins');
  assert.equal(order[2], 'slow-dear');
  assert.deepEqual(chat.providerOrder(providers, { text: 'hello' }), order, 'deterministic');
});

test('providerOrder follows observed health and the contract', () => {
  const down = chat.providerOrder(providers, { health: { alpha: 0 } });
  assert.ok(!down.includes('fast-cheap'), 'a provider with health 0 is left out');
  assert.equal(down[0], 'mid');
  const forbidden = chat.providerOrder(providers, { contract: { forbiddenProviders: ['beta'] } });
  assert.deepEqual(forbidden, ['fast-cheap', 'slow-dear']);
  assert.deepEqual(chat.providerOrder(providers, { health: { alpha: 0, beta: 0, gamma: 0 } }), [], 'none eligible: empty');
});
