'use strict';
// contractFromMessage (contract.fromMessage): the original CEG's contract
// compiler, and the per-turn helpers taking a message where they take a
// contract.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync } = require('../index.js');

// The original's rule, written out: lower-cased substring tests.
function original(message) {
  const m = message.toLowerCase();
  const quick = ['quick', 'fast', 'brief'].some((w) => m.includes(w));
  const exact = ['exact', 'precise', 'deterministic'].some((w) => m.includes(w));
  return { maxCost: quick ? 0.05 : 0.2, maxLatencyMs: quick ? 3000 : 10000, determinism: exact ? 0.9 : 0.7, intent: message };
}

test('contractFromMessage restates the original compiler', () => {
  const s = loadSync();
  for (const msg of ['hello', 'Be QUICK', 'a brief note', 'fast and precise', 'EXACT figures', 'deterministic please', 'breakfast ideas', '']) {
    const c = s.contractFromMessage(msg);
    const want = original(msg);
    assert.equal(c.constraints.maxCost, want.maxCost, msg);
    assert.equal(c.constraints.maxLatencyMs, want.maxLatencyMs, msg);
    assert.equal(c.constraints.determinismLevel, want.determinism, msg);
    assert.equal(c.intent ?? '', want.intent, 'intent is the message (an empty one is omitted)');
    assert.match(c.id, /^msg-[0-9a-f]{16}$/);
  }
  assert.equal(s.contractFromMessage('same').id, s.contractFromMessage('same').id, 'equal messages, equal ids');
});

test('every field is overridable; the module keeps determinism a hard switch apart from the level', () => {
  const s = loadSync();
  const c = s.contractFromMessage('quick', { maxCost: 1, maxLatencyMs: 500, determinismLevel: 0.2, id: 'turn-1', intent: 'x', forbiddenProviders: ['p'] });
  assert.deepEqual(c, {
    id: 'turn-1', intent: 'x',
    constraints: { maxCost: 1, maxLatencyMs: 500, determinismLevel: 0.2, memoryPolicy: 'internal', externalIo: 'allow' },
    forbiddenProviders: ['p'], identityScope: 'operator',
  });
  // The module's richer rule: an "exact" message raises the level but does not
  // demand the `deterministic` capability (that would refuse most chat
  // providers); determinism: true does.
  assert.equal(s.contractFromMessage('exact').constraints.determinism, undefined);
  assert.equal(s.contractFromMessage('exact', { determinism: true }).constraints.determinism, true);
  assert.throws(() => s.contractFromMessage('x', { maxCost: -1 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'overrides.maxCost');
  assert.throws(() => s.contractFromMessage('x', { memoryPolicy: 'secret' }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'overrides.memoryPolicy');
  assert.throws(() => s.contractFromMessage('x', { maxCosts: 1 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'overrides.maxCosts');
  assert.throws(() => s.contractFromMessage('x', 5), (e) => e.code === 'INVALID_ARGUMENT');
});

const providers = {
  nodes: [
    { id: 'cheap', kind: 'resource', provider: 'cheap', costPerToken: 0.00001 },
    { id: 'pricey', kind: 'resource', provider: 'pricey', costPerToken: 0.0001 },
  ],
  edges: [],
};

test('per-turn helpers take a message where they take a contract (sync and async)', async () => {
  const s = loadSync();
  // 0.1 USD per call: over a quick message's 0.05 budget, inside the default 0.20.
  const plan = s.optimize({ graph: providers, contract: 'tell me a story' });
  assert.equal(plan.contractId, s.contractFromMessage('tell me a story').id);
  assert.equal(plan.feasible, true);
  const quick = s.optimize({ graph: providers, contract: 'quick: tell me a story' });
  assert.equal(quick.steps[0].fallbacks.length, 1);
  const byObject = s.optimize({ graph: providers, contract: s.contractFromMessage('tell me a story') });
  assert.equal(byObject.id, plan.id, 'a message and its compiled contract give the same plan');

  const a = await load();
  assert.equal((await a.optimize({ graph: providers, contract: 'tell me a story' })).id, plan.id);
  const session = await a.execute({ graph: providers, contract: 'quick one' });
  assert.equal(session.plan.contractId, s.contractFromMessage('quick one').id);
  await session.close();
  const sim = await a.simulate({ graph: providers, contract: 'quick one' });
  assert.equal(sim.summary.status, 'complete');
  const re = await a.reoptimize({ graph: providers, contract: 'tell me a story', previous: plan });
  assert.equal(re.plan.steps[0].resource, plan.steps[0].resource);
  await assert.rejects(a.contractFromMessage(), (e) => e.code === 'INVALID_PARAMS' && e.path === 'message');
});
